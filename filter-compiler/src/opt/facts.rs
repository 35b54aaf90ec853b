//! What is known along a path: the outcomes of tests made so far.
//!
//! Conditions are interned, so a fact is a small `(id, outcome)` pair:
//! the threader copies, hashes and compares sets of facts at every node
//! it visits, and doing that on whole expression trees dominated the
//! compile time of long filters.

use rustc_hash::FxHashMap as HashMap;
use std::hash::{Hash, Hasher};
use std::rc::Rc;

use crate::ir::{CmpOp, Cond, Val, VarId};

/// An interned condition.
pub type CondId = u32;

/// A test's outcome on the current path.
pub type Fact = (CondId, bool);

/// How many "value is not K" facts are kept per value: enough to thread
/// the tests of one primitive, few enough that a chain of a thousand
/// `host` tests does not carry a thousand facts along.
pub const MAX_NOT_EQUAL: usize = 8;

/// The conditions met so far, each with the id of its left-hand value.
#[derive(Default)]
pub struct Conds {
    list: Vec<Cond>,
    /// Value id of each condition's left-hand side.
    lhs: Vec<usize>,
    /// Whether each condition's left-hand side is a variable.
    lhs_var: Vec<bool>,
    /// The newest condition of each hash, and for each condition the
    /// previous one with the same hash (`CondId::MAX` ends a chain), as in
    /// `Cfg`'s hash-consing: a condition is hashed once, and not stored
    /// twice.
    ids: HashMap<u64, CondId>,
    same_hash: Vec<CondId>,
    vals: HashMap<Val, usize>,
}

impl Conds {
    /// Room for `n` conditions (and as many values).
    pub fn with_capacity(n: usize) -> Conds {
        Conds {
            list: Vec::with_capacity(n),
            lhs: Vec::with_capacity(n),
            lhs_var: Vec::with_capacity(n),
            ids: HashMap::with_capacity_and_hasher(n, Default::default()),
            same_hash: Vec::with_capacity(n),
            vals: HashMap::with_capacity_and_hasher(n, Default::default()),
        }
    }

    pub fn intern(&mut self, c: Cond) -> CondId {
        let mut h = rustc_hash::FxHasher::default();
        c.hash(&mut h);
        let hash = h.finish();
        let head = self.ids.get(&hash).copied().unwrap_or(CondId::MAX);
        let mut next = head;
        while next != CondId::MAX {
            if self.list[next as usize] == c {
                return next;
            }
            next = self.same_hash[next as usize];
        }
        let lhs = match self.vals.get(&c.lhs) {
            Some(&v) => v,
            None => {
                let v = self.vals.len();
                self.vals.insert(c.lhs.clone(), v);
                v
            }
        };
        let id = self.list.len() as CondId;
        self.list.push(c);
        self.lhs.push(lhs);
        self.lhs_var
            .push(matches!(self.list[id as usize].lhs, Val::Var(_)));
        self.same_hash.push(head);
        self.ids.insert(hash, id);
        id
    }

    pub fn get(&self, id: CondId) -> &Cond {
        &self.list[id as usize]
    }

    /// The condition with id `id`, if there is one (ids count up from 0).
    pub fn try_get(&self, id: CondId) -> Option<&Cond> {
        self.list.get(id as usize)
    }

    /// The id of a condition's left-hand value.
    pub fn lhs(&self, id: CondId) -> usize {
        self.lhs[id as usize]
    }

    /// Whether a condition's left-hand side is a variable.
    pub fn lhs_is_var(&self, id: CondId) -> bool {
        self.lhs_var[id as usize]
    }

    /// Whether a condition reads variable `v`.
    pub fn mentions(&self, id: CondId, v: VarId) -> bool {
        let c = self.get(id);
        c.lhs.uses_var(v) || c.rhs.uses_var(v)
    }

    /// What the facts say about test `c`: `Some(outcome)` when decided —
    /// by an identical test, by equality with a constant, or (with
    /// `ranges`) by the range the comparisons made so far leave for the
    /// value.
    ///
    /// Without `ranges`, only what libpcap's `fold_edge` decides: the
    /// same test, and an equality test after the value was found equal to
    /// another constant. libpcap does not know that `len >= 0` always
    /// holds, so `arp[12:2] = 2 or greater 0` keeps reading `arp[12:2]`
    /// (and rejects packets too short for it); where its verdicts are the
    /// reference, so must we.
    pub fn decide(&self, facts: &[Fact], c: CondId, ranges: bool) -> Option<bool> {
        let cond = self.get(c);
        if let (Val::Const(a), Val::Const(b)) = (&cond.lhs, &cond.rhs) {
            return Some(cond.op.eval(*a, *b));
        }
        if let Some(&(_, b)) = facts.iter().find(|(f, _)| *f == c) {
            return Some(b);
        }
        if cond.op == CmpOp::In {
            // What the value was compared with says nothing of a set
            // whose members are not known here.
            return None;
        }
        let Val::Const(k) = cond.rhs else {
            return None;
        };
        let lhs = self.lhs(c);
        let (mut lo, mut hi) = (0u32, u32::MAX);
        for &(f, b) in facts.iter().filter(|(f, _)| self.lhs(*f) == lhs) {
            let fc = self.get(f);
            let Val::Const(kf) = fc.rhs else { continue };
            match (fc.op, b) {
                (CmpOp::Eq, true) if !ranges && cond.op == CmpOp::Eq => return Some(kf == k),
                _ if !ranges => {}
                (CmpOp::Eq, true) => return Some(cond.op.eval(kf, k)),
                (CmpOp::Eq, false) if cond.op == CmpOp::Eq && kf == k => return Some(false),
                (CmpOp::Gt, true) => lo = lo.max(kf.saturating_add(1)),
                (CmpOp::Gt, false) => hi = hi.min(kf),
                (CmpOp::Ge, true) => lo = lo.max(kf),
                (CmpOp::Ge, false) => hi = hi.min(kf.saturating_sub(1)),
                _ => {}
            }
        }
        if !ranges {
            return None;
        }
        if lo > hi {
            // Contradictory facts: the path cannot be taken; any answer is
            // correct, keep the test.
            return None;
        }
        match cond.op {
            CmpOp::Eq if k < lo || k > hi => Some(false),
            CmpOp::Eq if lo == hi && lo == k => Some(true),
            CmpOp::Gt if lo > k => Some(true),
            CmpOp::Gt if hi <= k => Some(false),
            CmpOp::Ge if lo >= k => Some(true),
            CmpOp::Ge if hi < k => Some(false),
            CmpOp::Set if lo == hi => Some(lo & k != 0),
            _ => None,
        }
    }

    /// `facts` plus the outcome `b` of `c`, forgetting the oldest "not
    /// equal" fact about the same value beyond [`MAX_NOT_EQUAL`].
    pub fn add_fact(&self, facts: &[Fact], c: CondId, b: bool) -> Rc<[Fact]> {
        let mut forget = None;
        if !b && self.get(c).op == CmpOp::Eq {
            let lhs = self.lhs(c);
            let mut same = facts
                .iter()
                .enumerate()
                .filter(|(_, (f, fb))| !*fb && self.get(*f).op == CmpOp::Eq && self.lhs(*f) == lhs);
            let oldest = same.next().map(|(i, _)| i);
            if same.count() + 1 >= MAX_NOT_EQUAL {
                forget = oldest;
            }
        }
        // Collected straight into the shared list (the iterator knows its
        // length): one allocation, not a vector and then its copy.
        let (before, after) = match forget {
            Some(i) => (&facts[..i], &facts[i + 1..]),
            None => (facts, &[][..]),
        };
        before
            .iter()
            .chain(after)
            .copied()
            .chain(std::iter::once((c, b)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eq(v: Val, k: u32) -> Cond {
        Cond {
            op: CmpOp::Eq,
            lhs: v,
            rhs: Val::Const(k),
        }
    }

    #[test]
    fn equal_value_decides_other_constants() {
        let mut c = Conds::default();
        let v = Val::load(2, 12);
        let (ip, ip6) = (c.intern(eq(v.clone(), 0x800)), c.intern(eq(v, 0x86dd)));
        assert_eq!(c.decide(&[(ip, true)], ip6, true), Some(false));
        assert_eq!(c.decide(&[(ip, true)], ip, true), Some(true));
        assert_eq!(c.decide(&[(ip, false)], ip, true), Some(false));
        assert_eq!(c.decide(&[(ip, false)], ip6, true), None);
    }

    #[test]
    fn ranges_decide_comparisons() {
        let mut c = Conds::default();
        let gt = |k| Cond {
            op: CmpOp::Gt,
            lhs: Val::Len,
            rhs: Val::Const(k),
        };
        let (gt100, gt50, eq20) = (
            c.intern(gt(100)),
            c.intern(gt(50)),
            c.intern(eq(Val::Len, 20)),
        );
        assert_eq!(c.decide(&[(gt100, true)], gt50, true), Some(true));
        assert_eq!(c.decide(&[(gt100, true)], eq20, true), Some(false));
    }

    /// As libpcap's `fold_edge`: no ranges (not even `len >= 0`), only
    /// the same test and equality with another constant.
    #[test]
    fn without_ranges_only_what_libpcap_decides() {
        let mut c = Conds::default();
        let ge0 = c.intern(Cond {
            op: CmpOp::Ge,
            lhs: Val::Len,
            rhs: Val::Const(0),
        });
        let gt100 = c.intern(Cond {
            op: CmpOp::Gt,
            lhs: Val::Len,
            rhs: Val::Const(100),
        });
        let (eq20, eq30) = (c.intern(eq(Val::Len, 20)), c.intern(eq(Val::Len, 30)));
        assert_eq!(c.decide(&[], ge0, true), Some(true));
        assert_eq!(c.decide(&[], ge0, false), None);
        assert_eq!(c.decide(&[(eq20, true)], gt100, false), None);
        assert_eq!(c.decide(&[(eq20, true)], eq30, false), Some(false));
        assert_eq!(c.decide(&[(eq20, true)], eq20, false), Some(true));
        assert_eq!(c.decide(&[(gt100, false)], gt100, false), Some(false));
    }

    #[test]
    fn not_equal_facts_are_bounded() {
        let mut c = Conds::default();
        let mut facts: Rc<[Fact]> = Rc::new([]);
        for k in 0..20 {
            let id = c.intern(eq(Val::Len, k));
            facts = c.add_fact(&facts, id, false);
        }
        assert_eq!(facts.len(), MAX_NOT_EQUAL);
    }
}
