//! What is known along a path: the outcomes of tests made so far.
//!
//! Conditions are interned, so a fact is a small `(id, outcome)` pair
//! (one word):
//! the threader copies, hashes and compares sets of facts at every node
//! it visits, and doing that on whole expression trees dominated the
//! compile time of long filters.

use rustc_hash::FxHashMap as HashMap;
use std::borrow::Cow;
use std::hash::{Hash, Hasher};

use super::{can_fail, surely_out_of_bounds};
use crate::ir::{CmpOp, Cond, Val, VarId};

/// An interned condition.
pub type CondId = u32;

/// A test's outcome on the current path: its condition's id and
/// whether it held, in one word (the facts of the threader's memo keys
/// are most of its memory: 107,000 for 1,000 hosts). Condition ids stay
/// below 2³¹: there are no more of them than nodes in a graph.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Fact(u32);

impl Fact {
    /// Condition `c` came out `b`.
    #[inline]
    pub fn new(c: CondId, b: bool) -> Fact {
        debug_assert!(c < 1 << 31);
        Fact(c << 1 | b as u32)
    }

    /// The condition.
    #[inline]
    pub fn cond(self) -> CondId {
        self.0 >> 1
    }

    /// Whether it held.
    #[inline]
    pub fn held(self) -> bool {
        self.0 & 1 != 0
    }
}

/// How many "value is not K" facts are kept per value: enough to thread
/// the tests of one primitive, few enough that a chain of a thousand
/// `host` tests does not carry a thousand facts along.
pub const MAX_NOT_EQUAL: usize = 8;

/// What deciding a test reads of a condition, side by side for all of
/// them: [`Conds::decide`] looks at every fact on a path, and reaching
/// into the expression trees for each was most of its time.
#[derive(Clone, Copy)]
pub struct Info {
    /// The id of the left-hand value (dense, from 0).
    pub value: u32,
    /// The relation.
    pub op: CmpOp,
    /// The right-hand side when it is a constant.
    pub k: Option<u32>,
    /// Whether the left-hand side is a variable.
    pub var: bool,
    /// The outcome when both sides are constants.
    pub fixed: Option<bool>,
    /// Whether computing a side surely reads out of bounds (see
    /// [`surely_out_of_bounds`]); asked at every test visited, so worked
    /// out once.
    pub out_of_bounds: bool,
    /// Whether computing a side can reject the packet (see [`can_fail`]).
    pub can_fail: bool,
}

/// What scans over whole lists of facts ask of a fact's condition, side
/// by side for all conditions in a vector of their own (8 bytes each):
/// trimming and adding facts look at every fact of a list, and reading
/// [`Info`] out of the conditions' big records took several times as
/// many instructions.
#[derive(Clone, Copy)]
pub struct Kind {
    /// The left-hand value's id; [`ANY_VAR`] for a variable, whose facts
    /// always matter.
    pub value: u32,
    /// For an equality, the value's id again: when false, a "not equal"
    /// fact about it; else [`NOT_EQ`].
    pub not_equal: u32,
    /// Its bit in [`List::values`].
    bit: u64,
    /// What a "not equal" fact on it adds to [`List::not_equal`] (one in
    /// its value's count, if counted there), else 0.
    count: u64,
}

/// [`Kind::value`] of a variable.
pub const ANY_VAR: u32 = u32::MAX;
/// [`Kind::not_equal`] of a condition that is no equality.
pub const NOT_EQ: u32 = u32::MAX;

impl Kind {
    /// The value a fact with this condition and outcome `held` says "is
    /// not K" of, else [`NOT_EQ`].
    #[inline]
    pub fn not_equal(self, held: bool) -> u32 {
        if held { NOT_EQ } else { self.not_equal }
    }

    /// What a fact with this condition and outcome `held` adds to
    /// [`List::not_equal`]: one in its value's count, if it is a "not
    /// equal" fact about a value counted there.
    #[inline]
    pub fn counted(self, held: bool) -> u64 {
        if held { 0 } else { self.count }
    }
}

/// The conditions met so far, each with the id of its left-hand value.
#[derive(Default)]
pub struct Conds {
    list: Vec<Interned>,
    /// Per condition, its [`Kind`].
    kinds: Vec<Kind>,
    /// The newest condition of each hash (chained through
    /// [`Interned::same_hash`]), as in `Cfg`'s hash-consing: a condition
    /// is hashed once, and not stored twice.
    ids: HashMap<u64, CondId>,
    /// The same for left-hand values: the newest condition whose
    /// left-hand side has each hash (chained through
    /// [`Interned::same_value_hash`]); a value is found through a
    /// condition that has it, so it is neither hashed twice nor copied.
    vals: HashMap<u64, CondId>,
    values: u32,
}

/// A condition, what deciding reads of it, and the previous conditions
/// with the same hash and with the same left-hand side's hash
/// (`CondId::MAX` ends a chain).
struct Interned {
    cond: Cond,
    info: Info,
    same_hash: CondId,
    same_value_hash: CondId,
    /// How many nodes of a graph being built test it (see
    /// [`Conds::take`]).
    uses: u32,
}

fn hash_of(v: &impl Hash) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    v.hash(&mut h);
    h.finish()
}

/// The hash of a condition's side: a load at a fixed offset (most
/// left-hand sides) is hashed from its width and offset without the
/// derived walk of a value (a tenth of interning's cost for 1,000
/// hosts). Equal values hash alike, which is all the maps need.
#[inline]
fn side_hash(v: &Val) -> u64 {
    match *v {
        Val::Load {
            size,
            off,
            index: None,
        } => hash_of(&(size, off)),
        _ => hash_of(v),
    }
}

/// Whether computing a side surely reads out of bounds, and whether it
/// can reject the packet: the common sides (constants, loads at fixed
/// offsets or after an IPv4 header) told without the recursive walks.
#[inline]
fn risks(v: &Val) -> (bool, bool) {
    match v {
        Val::Const(_) => (false, false),
        Val::Load {
            off, index: None, ..
        } => (*off >= 0x8000_0000, true),
        Val::Load { index: Some(i), .. } if matches!(**i, Val::IpHdrLen(_)) => (false, true),
        _ => (surely_out_of_bounds(v), can_fail(v)),
    }
}

/// A side of a new condition to keep, the common ones (constants, loads
/// at fixed offsets) copied without a call.
#[inline]
fn owned(v: Cow<'_, Val>) -> Val {
    match v {
        Cow::Borrowed(&Val::Const(k)) => Val::Const(k),
        Cow::Borrowed(&Val::Load {
            size,
            off,
            index: None,
        }) => Val::Load {
            size,
            off,
            index: None,
        },
        // (An IPv4 port's load, `ldh [x+14]`: its boxed index made
        // without the derived clone's walk.)
        Cow::Borrowed(&Val::Load {
            size,
            off,
            index: Some(ref i),
        }) if matches!(**i, Val::IpHdrLen(_)) => Val::Load {
            size,
            off,
            index: Some(Box::new((**i).clone())),
        },
        v => v.into_owned(),
    }
}

/// Whether two sides are equal, the common ones (constants, loads at
/// fixed offsets, an IPv4 port's `ldh [x+14]`) compared without a call.
#[inline]
fn same_side(a: &Val, b: &Val) -> bool {
    match (a, b) {
        (Val::Const(x), Val::Const(y)) => x == y,
        (
            Val::Load {
                size: s,
                off: o,
                index: None,
            },
            Val::Load {
                size: t,
                off: p,
                index: None,
            },
        ) => s == t && o == p,
        (
            Val::Load {
                size: s,
                off: o,
                index: Some(i),
            },
            Val::Load {
                size: t,
                off: p,
                index: Some(j),
            },
        ) => {
            s == t
                && o == p
                && match (&**i, &**j) {
                    (Val::IpHdrLen(x), Val::IpHdrLen(y)) => x == y,
                    (i, j) => i == j,
                }
        }
        _ => a == b,
    }
}

impl Conds {
    /// Room for `n` conditions (and as many values).
    pub fn with_capacity(n: usize) -> Conds {
        Conds {
            list: Vec::with_capacity(n),
            kinds: Vec::with_capacity(n),
            ids: HashMap::with_capacity_and_hasher(n, Default::default()),
            vals: HashMap::with_capacity_and_hasher(n, Default::default()),
            values: 0,
        }
    }

    /// The id of `lhs op rhs`, a new one if the condition is new (only
    /// then are borrowed sides copied).
    pub fn intern(&mut self, op: CmpOp, lhs: Cow<'_, Val>, rhs: Cow<'_, Val>) -> CondId {
        let (l, r) = (&*lhs, &*rhs);
        let lhs_hash = side_hash(l);
        // (Most right-hand sides are constants: hashed without a walk of
        // the value.)
        let hash = match *r {
            Val::Const(k) => hash_of(&(lhs_hash, op, k)),
            _ => hash_of(&(lhs_hash, op, r)),
        };
        // Each map is probed once: a new condition becomes the head of
        // its chains where the probes found them.
        let id = self.list.len() as CondId;
        let head = self.ids.entry(hash).or_insert(CondId::MAX);
        let mut next = *head;
        while let Some(e) = self.list.get(next as usize) {
            if e.cond.op == op && same_side(&e.cond.rhs, r) && same_side(&e.cond.lhs, l) {
                return next;
            }
            next = e.same_hash;
        }
        let head = std::mem::replace(head, id);
        let val_head = std::mem::replace(self.vals.entry(lhs_hash).or_insert(CondId::MAX), id);
        let mut next = val_head;
        let value = loop {
            let Some(e) = self.list.get(next as usize) else {
                self.values += 1;
                break self.values - 1;
            };
            if same_side(&e.cond.lhs, l) {
                break e.info.value;
            }
            next = e.same_value_hash;
        };
        let konst = |v: &Val| match *v {
            Val::Const(k) => Some(k),
            _ => None,
        };
        let k = konst(r);
        let ((l_oob, l_fails), (r_oob, r_fails)) = (risks(l), risks(r));
        let info = Info {
            value,
            op,
            k,
            var: matches!(l, Val::Var(_)),
            fixed: konst(l).zip(k).map(|(a, b)| op.eval(a, b)),
            out_of_bounds: l_oob || r_oob,
            can_fail: l_fails || r_fails,
        };
        self.kinds.push(Kind {
            value: if info.var { ANY_VAR } else { value },
            not_equal: if op == CmpOp::Eq { value } else { NOT_EQ },
            bit: if info.var {
                0
            } else {
                1 << value.min(List::MANY)
            },
            count: if op == CmpOp::Eq {
                counted_one(value)
            } else {
                0
            },
        });
        self.list.push(Interned {
            cond: Cond {
                op,
                lhs: owned(lhs),
                rhs: owned(rhs),
            },
            info,
            same_hash: head,
            same_value_hash: val_head,
            uses: 0,
        });
        id
    }

    /// Counts one more node of a graph being built that tests `id`.
    pub fn count_use(&mut self, id: CondId) {
        self.list[id as usize].uses += 1;
    }

    /// Condition `id` for one of the nodes counted by
    /// [`Conds::count_use`]: a copy, or for the last of them the
    /// condition itself (it is not found again here after that).
    pub fn take(&mut self, id: CondId) -> Cond {
        let i = &mut self.list[id as usize];
        i.uses -= 1;
        if i.uses == 0 {
            std::mem::replace(&mut i.cond, Cond::MOVED)
        } else {
            i.cond.clone()
        }
    }

    /// How many conditions there are (their ids are below).
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// How many left-hand values there are (their ids are below).
    pub fn values(&self) -> usize {
        self.values as usize
    }

    pub fn get(&self, id: CondId) -> &Cond {
        &self.list[id as usize].cond
    }

    /// What deciding reads of condition `id`.
    #[inline]
    pub fn info(&self, id: CondId) -> Info {
        self.list[id as usize].info
    }

    /// Every condition's [`Kind`], by id.
    #[inline]
    pub fn kinds(&self) -> &[Kind] {
        &self.kinds
    }

    /// The id of a condition's left-hand value.
    #[inline]
    pub fn lhs(&self, id: CondId) -> u32 {
        self.list[id as usize].info.value
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
    ///
    /// One pass over the facts: an identical test decides wherever it is
    /// in the list, else the first fact about the value that settles the
    /// question, else (with `ranges`) the range the facts before it left.
    pub fn decide(
        &self,
        facts: impl IntoIterator<Item = Fact>,
        c: CondId,
        ranges: bool,
    ) -> Option<bool> {
        let ci = self.info(c);
        if ci.fixed.is_some() {
            return ci.fixed;
        }
        if !ranges {
            // Only the same test and a value found equal decide: most
            // facts (false ones) need no look at their condition.
            let k = ci.k.filter(|_| ci.op == CmpOp::Eq);
            let mut settled = None;
            for fact in facts {
                let (f, b) = (fact.cond(), fact.held());
                if f == c {
                    return Some(b);
                }
                if let Some(k) = k.filter(|_| b && settled.is_none()) {
                    let fi = self.info(f);
                    if fi.value == ci.value
                        && fi.op == CmpOp::Eq
                        && let Some(kf) = fi.k
                    {
                        settled = Some(kf == k);
                    }
                }
            }
            return settled;
        }
        // What the value was compared with says nothing of a set whose
        // members are not known here.
        let k = ci.k.filter(|_| ci.op != CmpOp::In);
        let (mut lo, mut hi) = (0u32, u32::MAX);
        let mut settled = None;
        for fact in facts {
            let (f, b) = (fact.cond(), fact.held());
            if f == c {
                return Some(b);
            }
            let Some(k) = k.filter(|_| settled.is_none()) else {
                continue;
            };
            let fi = self.info(f);
            if fi.value != ci.value {
                continue;
            }
            let Some(kf) = fi.k else { continue };
            match (fi.op, b) {
                (CmpOp::Eq, true) => settled = Some(ci.op.eval(kf, k)),
                (CmpOp::Eq, false) if ci.op == CmpOp::Eq && kf == k => settled = Some(false),
                (CmpOp::Gt, true) => lo = lo.max(kf.saturating_add(1)),
                (CmpOp::Gt, false) => hi = hi.min(kf),
                (CmpOp::Ge, true) => lo = lo.max(kf),
                (CmpOp::Ge, false) => hi = hi.min(kf.saturating_sub(1)),
                _ => {}
            }
        }
        let k = k?;
        if settled.is_some() {
            return settled;
        }
        if lo > hi {
            // Contradictory facts: the path cannot be taken; any answer is
            // correct, keep the test.
            return None;
        }
        match ci.op {
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

    /// Adds to `lists` the facts of `base` plus the outcome `b` of `c`,
    /// forgetting the oldest "not equal" fact about the same value beyond
    /// [`MAX_NOT_EQUAL`] (summed up from `base`, not from its facts).
    pub fn add_fact(&self, lists: &mut Lists, base: List, c: CondId, b: bool) -> List {
        let forget = self.forgets(lists, base, Fact::new(c, b));
        lists.add(self, base, forget, Fact::new(c, b))
    }

    /// Where adding `f` to `list` forgets a fact: a "not equal" fact
    /// forgets the oldest about the same value once there are
    /// [`MAX_NOT_EQUAL`] of them. For a value whose facts `list` counts
    /// (most), the facts are looked at only when it forgets, and only up
    /// to the oldest (mostly near the start).
    pub fn forgets(&self, lists: &Lists, list: List, f: Fact) -> Option<usize> {
        self.forgets_about(
            lists,
            list,
            self.kinds[f.cond() as usize].not_equal(f.held()),
        )
    }

    /// Where adding a "not equal" fact about value `v` (none if
    /// [`NOT_EQ`]) to `list` forgets a fact (see [`Conds::forgets`]).
    fn forgets_about(&self, lists: &Lists, list: List, v: u32) -> Option<usize> {
        if v == NOT_EQ {
            return None;
        }
        let about_v = |f: &Fact| !f.held() && self.kinds[f.cond() as usize].not_equal == v;
        let facts = lists.get(list);
        if v < List::COUNTED {
            if list.not_equal(v) < MAX_NOT_EQUAL {
                return None;
            }
            return facts.iter().position(about_v);
        }
        let (mut oldest, mut same) = (0, 0);
        for (i, f) in facts.iter().enumerate() {
            if about_v(f) {
                if same == 0 {
                    oldest = i;
                }
                same += 1;
            }
        }
        (same >= MAX_NOT_EQUAL).then_some(oldest)
    }

    /// Bit `v` of [`List::values`] for a fact on condition `c`.
    #[inline]
    fn value_bit(&self, c: CondId) -> u64 {
        self.kinds[c as usize].bit
    }
}

/// What one "not equal" fact about value `v` adds to counts summed as
/// [`List::not_equal`] is: nothing for a value not counted there.
#[inline]
pub fn counted_one(v: u32) -> u64 {
    if v < List::COUNTED { 1 << (4 * v) } else { 0 }
}

/// How many "not equal" facts about value `v` (below [`List::COUNTED`])
/// counts summed as [`List::not_equal`] is say there are.
#[inline]
pub fn count_in(counts: u64, v: u32) -> usize {
    debug_assert!(v < List::COUNTED);
    (counts >> (4 * v) & 15) as usize
}

/// A fact's part of its list's hash: a list hashes as the sum of its
/// facts' parts, so that one made by adding a fact to another (and maybe
/// forgetting one of its facts) is hashed from the other's hash. Lists
/// with the same facts in another order hash alike, which the memo's
/// comparison of the facts tells apart.
fn hash_part(f: Fact) -> u64 {
    let h = u64::from(f.0 | 1 << 31).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    h ^ h >> 29
}

/// Where a list of facts lies in [`Lists`].
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Span {
    start: u32,
    len: u32,
}

impl Span {
    /// How many facts there are.
    pub fn len(self) -> usize {
        self.len as usize
    }
}

/// A list of facts kept in [`Lists`], with what the threader asks of
/// it at every node it visits, worked out once as the list is made: its
/// hash (its memo key's) and which values it has facts about.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct List {
    span: Span,
    hash: u64,
    /// Bit `v` for a fact about value `v` (below [`List::MANY`]) that is
    /// not a variable, bit [`List::MANY`] for one about a higher value.
    values: u64,
    /// Bits `4v..4v + 4`: how many "not equal" facts about value `v`
    /// (below [`List::COUNTED`]) there are, at most [`MAX_NOT_EQUAL`]:
    /// adding one is asked at most tests the threader keeps, and counting
    /// them in the list, each fact's condition looked up, was most of
    /// making the lists of 1,000 `host` tests.
    not_equal: u64,
}

impl List {
    /// The empty list.
    pub const EMPTY: List = List {
        span: Span { start: 0, len: 0 },
        hash: 0,
        values: 0,
        not_equal: 0,
    };

    /// Values from this id on share one bit of [`List::values`].
    pub const MANY: u32 = 63;

    /// Values below this id have their "not equal" facts counted (see
    /// [`List::not_equal`]).
    pub const COUNTED: u32 = 16;

    pub fn len(self) -> usize {
        self.span.len as usize
    }

    /// Where the facts lie.
    pub fn span(self) -> Span {
        self.span
    }

    /// The hash of the facts.
    pub fn hash(self) -> u64 {
        self.hash
    }

    /// What the list is summed up as: its hash, value bits and counts.
    #[cfg(test)]
    pub fn summary(self) -> (u64, u64, u64) {
        (self.hash, self.values, self.not_equal)
    }

    /// How many "not equal" facts about value `v` (below
    /// [`List::COUNTED`]) there are.
    #[inline]
    fn not_equal(self, v: u32) -> usize {
        count_in(self.not_equal, v)
    }

    /// Whether the list has no fact about a value outside `values`
    /// (bit `v` for value `v`) that is not a variable: `None` when that
    /// takes a look at the facts (values from [`List::MANY`] on).
    pub fn only_values(self, values: u64) -> Option<bool> {
        if self.values >> List::MANY != 0 {
            None
        } else {
            Some(self.values & !values == 0)
        }
    }

    /// Whether the list has a fact about value `v`, if that is known
    /// without a look at the facts (`v` not a variable).
    pub fn has_value(self, v: u32) -> Option<bool> {
        (v < List::MANY).then(|| self.values >> v & 1 != 0)
    }
}

/// Lists of facts, all in one vector: the threader makes one for most
/// edges it walks, and allocating (and freeing, and counting references
/// to) each on its own was a quarter of a small filter's compile time.
/// Lists are never freed one by one; the last one made can be dropped.
#[derive(Default)]
pub struct Lists {
    facts: Vec<Fact>,
}

impl Lists {
    /// Room for `n` facts.
    pub fn with_capacity(n: usize) -> Lists {
        Lists {
            facts: Vec::with_capacity(n),
        }
    }

    /// Room for `n` more facts.
    pub fn reserve(&mut self, n: usize) {
        self.facts.reserve(n);
    }

    /// The facts of `l`.
    #[inline]
    pub fn get(&self, l: List) -> &[Fact] {
        self.at(l.span)
    }

    /// The facts at `s`.
    #[inline]
    pub fn at(&self, s: Span) -> &[Fact] {
        &self.facts[s.start as usize..(s.start + s.len) as usize]
    }

    /// A new list of `base` without its fact at `forget`, then `last`,
    /// summed up from `base`.
    pub fn add(&mut self, conds: &Conds, base: List, forget: Option<usize>, last: Fact) -> List {
        let start = self.facts.len();
        let (from, to) = (
            base.span.start as usize,
            (base.span.start + base.span.len) as usize,
        );
        let gone = forget.map(|i| self.facts[from + i]);
        let counted = |f: Fact| conds.kinds[f.cond() as usize].counted(f.held());
        match forget {
            Some(i) => {
                self.facts.extend_from_within(from..from + i);
                self.facts.extend_from_within(from + i + 1..to);
            }
            None => self.facts.extend_from_within(from..to),
        }
        self.facts.push(last);
        // A fact forgotten is about the value of `last`: its bit stays.
        List {
            span: Span {
                start: start as u32,
                len: (self.facts.len() - start) as u32,
            },
            hash: base
                .hash
                .wrapping_sub(gone.map_or(0, hash_part))
                .wrapping_add(hash_part(last)),
            values: base.values | conds.value_bit(last.cond()),
            not_equal: base
                .not_equal
                .wrapping_sub(gone.map_or(0, counted))
                .wrapping_add(counted(last)),
        }
    }

    /// Stores `facts`, to be summed up when needed ([`Lists::sum`]).
    pub fn store(&mut self, facts: impl IntoIterator<Item = Fact>) -> Span {
        let start = self.facts.len();
        self.facts.extend(facts);
        Span {
            start: start as u32,
            len: (self.facts.len() - start) as u32,
        }
    }

    /// The facts at `s` summed up as a list, and where adding to them a
    /// "not equal" fact about value `v` forgets one (see
    /// [`Conds::forgets`]).
    pub fn sum(&self, conds: &Conds, s: Span, v: u32) -> (List, Option<usize>) {
        let (mut hash, mut values, mut not_equal) = (0u64, 0, 0);
        for &f in self.at(s) {
            let k = conds.kinds[f.cond() as usize];
            hash = hash.wrapping_add(hash_part(f));
            values |= k.bit;
            not_equal += k.counted(f.held());
        }
        let list = List {
            span: s,
            hash,
            values,
            not_equal,
        };
        (list, conds.forgets_about(self, list, v))
    }

    /// A new list of the facts at `base` that `keep` accepts.
    pub fn filter(&mut self, conds: &Conds, base: Span, keep: impl Fn(&Fact) -> bool) -> List {
        let start = self.facts.len();
        for i in base.start..base.start + base.len {
            let f = self.facts[i as usize];
            if keep(&f) {
                self.facts.push(f);
            }
        }
        self.made(conds, start)
    }

    /// `l`, the last list made, with `f` added at its end.
    pub fn add_last(&mut self, conds: &Conds, l: List, f: Fact) -> List {
        debug_assert_eq!((l.span.start + l.span.len) as usize, self.facts.len());
        self.facts.push(f);
        List {
            span: Span {
                start: l.span.start,
                len: l.span.len + 1,
            },
            hash: l.hash.wrapping_add(hash_part(f)),
            values: l.values | conds.value_bit(f.cond()),
            not_equal: l.not_equal + conds.kinds[f.cond() as usize].counted(f.held()),
        }
    }

    /// The list of the facts from `start` on, summed up.
    fn made(&self, conds: &Conds, start: usize) -> List {
        let (mut hash, mut values, mut not_equal) = (0u64, 0, 0);
        for &f in &self.facts[start..] {
            let k = conds.kinds[f.cond() as usize];
            hash = hash.wrapping_add(hash_part(f));
            values |= k.bit;
            not_equal += k.counted(f.held());
        }
        List {
            span: Span {
                start: start as u32,
                len: (self.facts.len() - start) as u32,
            },
            // (An empty list hashes as [`List::EMPTY`] does.)
            hash,
            values,
            not_equal,
        }
    }

    /// Drops `l` if it is the last list made (a list found not needed).
    pub fn drop_last(&mut self, l: List) {
        let Span { start, len } = l.span;
        if (start + len) as usize == self.facts.len() && len > 0 {
            self.facts.truncate(start as usize);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn intern(c: &mut Conds, cond: Cond) -> CondId {
        c.intern(cond.op, Cow::Owned(cond.lhs), Cow::Owned(cond.rhs))
    }

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
        let (ip, ip6) = (
            intern(&mut c, eq(v.clone(), 0x800)),
            intern(&mut c, eq(v, 0x86dd)),
        );
        assert_eq!(c.decide([Fact::new(ip, true)], ip6, true), Some(false));
        assert_eq!(c.decide([Fact::new(ip, true)], ip, true), Some(true));
        assert_eq!(c.decide([Fact::new(ip, false)], ip, true), Some(false));
        assert_eq!(c.decide([Fact::new(ip, false)], ip6, true), None);
    }

    /// The shortcuts for an IPv4 port's load (`ldh [x+14]`) tell it
    /// apart from the same load after another header length or at a
    /// fixed offset, and keep what deciding reads of it.
    #[test]
    fn port_loads_are_interned_as_values() {
        let mut c = Conds::default();
        let port = |hdr: Val, off| Val::load_at(2, Some(hdr), off);
        let mut is22 = |lhs: Cow<'_, Val>| c.intern(CmpOp::Eq, lhs, Cow::Owned(Val::Const(22)));
        let (src, src2, dst, other, fixed) = (
            is22(Cow::Owned(port(Val::IpHdrLen(14), 14))),
            is22(Cow::Borrowed(&port(Val::IpHdrLen(14), 14))),
            is22(Cow::Borrowed(&port(Val::IpHdrLen(14), 16))),
            is22(Cow::Borrowed(&port(Val::IpHdrLen(18), 14))),
            is22(Cow::Owned(Val::load(2, 14))),
        );
        assert_eq!(src, src2);
        assert_eq!(c.len(), 4);
        assert_eq!(c.values(), 4);
        assert!(src != dst && src != other && src != fixed && dst != other);
        assert!(c.get(dst) == &eq(port(Val::IpHdrLen(14), 16), 22));
        let info = c.info(other);
        assert!(info.can_fail && !info.out_of_bounds);
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
            intern(&mut c, gt(100)),
            intern(&mut c, gt(50)),
            intern(&mut c, eq(Val::Len, 20)),
        );
        assert_eq!(c.decide([Fact::new(gt100, true)], gt50, true), Some(true));
        assert_eq!(c.decide([Fact::new(gt100, true)], eq20, true), Some(false));
    }

    /// As libpcap's `fold_edge`: no ranges (not even `len >= 0`), only
    /// the same test and equality with another constant.
    #[test]
    fn without_ranges_only_what_libpcap_decides() {
        let mut c = Conds::default();
        let ge0 = intern(
            &mut c,
            Cond {
                op: CmpOp::Ge,
                lhs: Val::Len,
                rhs: Val::Const(0),
            },
        );
        let gt100 = intern(
            &mut c,
            Cond {
                op: CmpOp::Gt,
                lhs: Val::Len,
                rhs: Val::Const(100),
            },
        );
        let (eq20, eq30) = (
            intern(&mut c, eq(Val::Len, 20)),
            intern(&mut c, eq(Val::Len, 30)),
        );
        assert_eq!(c.decide([], ge0, true), Some(true));
        assert_eq!(c.decide([], ge0, false), None);
        assert_eq!(c.decide([Fact::new(eq20, true)], gt100, false), None);
        assert_eq!(c.decide([Fact::new(eq20, true)], eq30, false), Some(false));
        assert_eq!(c.decide([Fact::new(eq20, true)], eq20, false), Some(true));
        assert_eq!(
            c.decide([Fact::new(gt100, false)], gt100, false),
            Some(false)
        );
    }

    /// What a list's summary answers (which values it has facts about)
    /// is what a look at its facts finds, for value ids below
    /// [`List::MANY`] and above (where the summary cannot tell).
    #[test]
    fn list_summaries_agree_with_the_facts() {
        let mut c = Conds::default();
        let ids: Vec<_> = (0..70)
            .map(|off| intern(&mut c, eq(Val::load(1, off), 1)))
            .collect();
        let var = intern(&mut c, eq(Val::Var(0), 1));
        let mut lists = Lists::default();
        let base = lists.store([Fact::new(ids[3], true), Fact::new(var, true)]);
        let (base, _) = lists.sum(&c, base, NOT_EQ);
        let l = c.add_fact(&mut lists, base, ids[5], false);
        let got: Vec<_> = lists.get(l).iter().map(|f| (f.cond(), f.held())).collect();
        assert_eq!(got, [(ids[3], true), (var, true), (ids[5], false)]);
        for v in 0..List::MANY {
            assert_eq!(l.has_value(v), Some(v == 3 || v == 5), "{v}");
        }
        assert_eq!(l.has_value(List::MANY), None);
        assert_eq!(l.only_values(1 << 3 | 1 << 5), Some(true));
        assert_eq!(l.only_values(1 << 3), Some(false));
        let high = c.add_fact(&mut lists, l, ids[66], true);
        assert_eq!(high.only_values(u64::MAX >> 1), None);
        // Equal facts, equal hashes, wherever the lists lie.
        let again = lists.filter(&c, l.span(), |_| true);
        assert_eq!((again.hash(), lists.get(again)), (l.hash(), lists.get(l)));
        assert_eq!(
            lists.filter(&c, base.span(), |_| false).hash(),
            List::EMPTY.hash()
        );
    }

    /// Where adding a fact forgets one is found from a list's counts
    /// (values below [`List::COUNTED`]) as by looking at every fact
    /// (all values), and the counts made by adding to a list are those
    /// of its facts, on lists grown, forgetting and filtered at random.
    #[test]
    fn counted_lists_forget_what_their_facts_say() {
        let mut c = Conds::default();
        let ids: Vec<_> = (0..20)
            .flat_map(|off| (0..3).map(move |k| eq(Val::load(1, off), k)))
            .map(|cond| intern(&mut c, cond))
            .collect();
        assert!(c.values() > List::COUNTED as usize);
        let by_look = |facts: &[Fact], f: Fact| {
            let v = c.kinds[f.cond() as usize].not_equal(f.held());
            let about_v = |g: &&Fact| c.kinds[g.cond() as usize].not_equal(g.held()) == v;
            let same = facts.iter().filter(about_v).count();
            (v != NOT_EQ && same >= MAX_NOT_EQUAL)
                .then(|| facts.iter().position(|g| about_v(&g)))
                .flatten()
        };
        let mut lists = Lists::default();
        let (mut l, mut seed, mut forgot) = (List::EMPTY, 0x2545_f491u32, 0);
        for step in 0..4000 {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            let f = Fact::new(ids[seed as usize % ids.len()], seed >> 28 == 0);
            let forget = c.forgets(&lists, l, f);
            assert_eq!(forget, by_look(lists.get(l), f), "step {step}");
            forgot += forget.is_some() as usize;
            l = c.add_fact(&mut lists, l, f.cond(), f.held());
            if step % 50 == 49 {
                l = lists.filter(&c, l.span(), |f| !f.held() && f.cond() % 5 != 0);
            }
            let again = lists.filter(&c, l.span(), |_| true);
            assert_eq!(again.summary(), l.summary(), "step {step}");
        }
        assert!(forgot > 1000, "{forgot} forgetting");
    }

    #[test]
    fn not_equal_facts_are_bounded() {
        let mut c = Conds::default();
        let mut lists = Lists::default();
        let mut facts = List::EMPTY;
        for k in 0..20 {
            let id = intern(&mut c, eq(Val::Len, k));
            facts = c.add_fact(&mut lists, facts, id, false);
            // Summed up from the list it grew from (a fact forgotten
            // from 8 on), as from its facts.
            let again = lists.filter(&c, facts.span(), |_| true);
            assert_eq!(again.summary(), facts.summary());
        }
        assert_eq!(facts.len(), MAX_NOT_EQUAL);
        // The latest ones, oldest first.
        let ks: Vec<_> = lists
            .get(facts)
            .iter()
            .map(|f| c.get(f.cond()).rhs.clone())
            .collect();
        assert_eq!(ks, (12..20).map(Val::Const).collect::<Vec<_>>());
    }
}
