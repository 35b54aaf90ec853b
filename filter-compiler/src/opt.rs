//! Optimizations on the IR graph.
//!
//! * constant folding of values and predicates;
//! * known-outcome threading: along every path, a test whose outcome
//!   follows from the tests already made on that path (same test, or the
//!   same value compared with other constants) is removed and the path
//!   goes straight to the branch it would take — libpcap's jump threading
//!   and redundant-test elimination, done on paths instead of dominators;
//! * balanced comparison trees for long chains of equality tests on one
//!   value (`port a or port b or ...`), see [`nway`];
//! * merging of equal nodes and removal of unreachable ones (hash-consing
//!   in [`Cfg::add`] and [`Cfg::compact`]).
//!
//! No pass moves a load before a test that could reject first, so verdicts
//! on truncated packets do not change.

mod nway;
mod refusal;

pub use refusal::rejects_all as libpcap_rejects_all;

use rustc_hash::FxHashMap as HashMap;
use std::rc::Rc;

use crate::ast::ArithOp;
use crate::ir::{ACCEPT, Cfg, CmpOp, Cond, Node, NodeId, REJECT, Val, VarId};

/// Optimizes `cfg` in place.
///
/// With `drop_dead_loads`, a test whose two branches lead to the same
/// place is removed even if its load could have rejected the packet — what
/// libpcap's optimizer does (its dead-code removal ignores that loads can
/// fail), so that verdicts on truncated packets stay the same as libpcap's.
pub fn optimize(cfg: &mut Cfg, drop_dead_loads: bool) {
    cfg.compact();
    if let Some(threaded) = Threader::run(cfg, drop_dead_loads) {
        *cfg = threaded;
        cfg.compact();
    }
    nway::balance(cfg);
    cfg.compact();
}

/// Folds constant arithmetic in a value.
pub fn fold_val(v: &Val) -> Val {
    match v {
        Val::Alu(op, a, b) => {
            let (a, b) = (fold_val(a), fold_val(b));
            if let (Val::Const(x), Val::Const(y)) = (&a, &b)
                && let Some(r) = eval_alu(*op, *x, *y)
            {
                return Val::Const(r);
            }
            Val::alu(*op, a, b)
        }
        Val::Neg(a) => match fold_val(a) {
            Val::Const(x) => Val::Const(x.wrapping_neg()),
            a => Val::Neg(Box::new(a)),
        },
        Val::Load {
            size,
            off,
            index: Some(i),
        } => Val::load_at(*size, Some(fold_val(i)), *off),
        _ => v.clone(),
    }
}

/// Classic BPF arithmetic; `None` for a division or modulo by zero, which
/// rejects the packet at run time and so is not folded.
pub fn eval_alu(op: ArithOp, x: u32, y: u32) -> Option<u32> {
    Some(match op {
        ArithOp::Add => x.wrapping_add(y),
        ArithOp::Sub => x.wrapping_sub(y),
        ArithOp::Mul => x.wrapping_mul(y),
        ArithOp::Div => x.checked_div(y)?,
        ArithOp::Mod => x.checked_rem(y)?,
        ArithOp::And => x & y,
        ArithOp::Or => x | y,
        ArithOp::Xor => x ^ y,
        ArithOp::Shl => x.checked_shl(y).unwrap_or(0),
        ArithOp::Shr => x.checked_shr(y).unwrap_or(0),
    })
}

/// Whether evaluating `v` surely reads out of bounds (a constant offset of
/// 2 GiB or more): classic BPF rejects the packet there, and the kernel
/// would read such offsets as ancillary data, so the test becomes a reject.
fn surely_out_of_bounds(v: &Val) -> bool {
    match v {
        Val::Load {
            off, index: None, ..
        } => *off >= 0x8000_0000,
        Val::Load { index: Some(i), .. } => surely_out_of_bounds(i),
        Val::Alu(_, a, b) => surely_out_of_bounds(a) || surely_out_of_bounds(b),
        Val::Neg(a) => surely_out_of_bounds(a),
        _ => false,
    }
}

/// Tests made so far on a path, with their outcomes.
type Facts = Rc<Vec<(Cond, bool)>>;

/// What the facts say about a test: `Some(outcome)` when it is decided.
fn decide(facts: &[(Cond, bool)], c: &Cond) -> Option<bool> {
    if let (Val::Const(a), Val::Const(b)) = (&c.lhs, &c.rhs) {
        return Some(c.op.eval(*a, *b));
    }
    if let Some((_, b)) = facts.iter().find(|(f, _)| f == c) {
        return Some(*b);
    }
    let Val::Const(k) = c.rhs else {
        return None;
    };
    let (mut lo, mut hi) = (0u32, u32::MAX);
    for (f, b) in facts.iter().filter(|(f, _)| f.lhs == c.lhs) {
        let Val::Const(kf) = f.rhs else { continue };
        match (f.op, *b) {
            (CmpOp::Eq, true) => return Some(c.op.eval(kf, k)),
            (CmpOp::Eq, false) if c.op == CmpOp::Eq && kf == k => return Some(false),
            (CmpOp::Gt, true) => lo = lo.max(kf.saturating_add(1)),
            (CmpOp::Gt, false) => hi = hi.min(kf),
            (CmpOp::Ge, true) => lo = lo.max(kf),
            (CmpOp::Ge, false) => hi = hi.min(kf.saturating_sub(1)),
            _ => {}
        }
    }
    if lo > hi {
        // Contradictory facts: the path cannot be taken; any answer is
        // correct, keep the test.
        return None;
    }
    match c.op {
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

struct Threader<'a> {
    src: &'a Cfg,
    out: Cfg,
    /// For each source node: the tested values (by id) in its subgraph.
    below: Vec<Vec<u64>>,
    val_id: HashMap<Val, usize>,
    memo: HashMap<(NodeId, Vec<(Cond, bool)>), NodeId>,
    budget: usize,
    drop_dead_loads: bool,
    /// Variables with more than one distinct assigned value.
    varying: Vec<VarId>,
}

impl<'a> Threader<'a> {
    /// Rebuilds `src` with known outcomes threaded; `None` if the rebuilt
    /// graph would grow past its budget (facts differing on many paths).
    fn run(src: &'a Cfg, drop_dead_loads: bool) -> Option<Cfg> {
        let order = src.topo_order();
        let mut val_id = HashMap::default();
        for &n in &order {
            if let Node::Branch { cond, .. } = src.node(n) {
                let next = val_id.len();
                val_id.entry(cond.lhs.clone()).or_insert(next);
            }
        }
        let words = val_id.len().div_ceil(64).max(1);
        let mut below = vec![vec![0u64; words]; src.nodes.len()];
        for &n in order.iter().rev() {
            let mut set = vec![0u64; words];
            if let Node::Branch { cond, .. } = src.node(n) {
                let id = val_id[&cond.lhs];
                set[id / 64] |= 1 << (id % 64);
            }
            for s in src.node(n).successors() {
                for (w, b) in set.iter_mut().zip(&below[s as usize]) {
                    *w |= b;
                }
            }
            below[n as usize] = set;
        }
        let mut assigned: HashMap<VarId, Vec<&Val>> = HashMap::default();
        for node in &src.nodes {
            if let Node::Assign { var, val, .. } = node {
                let vals = assigned.entry(*var).or_default();
                if !vals.contains(&val) {
                    vals.push(val);
                }
            }
        }
        let varying = assigned
            .into_iter()
            .filter(|(_, v)| v.len() > 1)
            .map(|(k, _)| k)
            .collect();
        let mut out = Cfg::new();
        out.vars = src.vars;
        let mut t = Threader {
            src,
            out,
            below,
            val_id,
            memo: HashMap::default(),
            budget: (src.nodes.len() * 4).max(4096),
            drop_dead_loads,
            varying,
        };
        let root = t.visit(src.root, Rc::new(Vec::new()))?;
        t.out.root = root;
        Some(t.out)
    }

    /// Whether `v` reads the packet at an offset computed from a variable
    /// that is assigned different values on different paths.
    fn offset_varies(&self, v: &Val) -> bool {
        match v {
            Val::Load { index: Some(i), .. } => self.varying.iter().any(|&var| i.uses_var(var)),
            Val::Alu(_, a, b) => self.offset_varies(a) || self.offset_varies(b),
            Val::Neg(a) => self.offset_varies(a),
            _ => false,
        }
    }

    /// The facts that can matter below `n`.
    fn relevant(&self, n: NodeId, facts: &[(Cond, bool)]) -> Vec<(Cond, bool)> {
        let set = &self.below[n as usize];
        facts
            .iter()
            .filter(|(c, _)| {
                matches!(c.lhs, Val::Var(_))
                    || self
                        .val_id
                        .get(&c.lhs)
                        .is_some_and(|&id| set[id / 64] & (1 << (id % 64)) != 0)
            })
            .cloned()
            .collect()
    }

    fn visit(&mut self, n: NodeId, facts: Facts) -> Option<NodeId> {
        match self.src.node(n) {
            Node::Accept => return Some(ACCEPT),
            Node::Reject => return Some(REJECT),
            _ => {}
        }
        let key = (n, self.relevant(n, &facts));
        if let Some(&id) = self.memo.get(&key) {
            return Some(id);
        }
        let facts: Facts = Rc::new(key.1.clone());
        let id = match self.src.node(n).clone() {
            Node::Branch { cond, t, f } => {
                let cond = Cond {
                    op: cond.op,
                    lhs: fold_val(&cond.lhs),
                    rhs: fold_val(&cond.rhs),
                };
                if surely_out_of_bounds(&cond.lhs) || surely_out_of_bounds(&cond.rhs) {
                    REJECT
                } else if let Some(b) = decide(&facts, &cond) {
                    self.visit(if b { t } else { f }, facts.clone())?
                } else {
                    let with = |b: bool| Rc::new(add_fact(&facts, &cond, b));
                    let nt = self.visit(t, with(true))?;
                    let nf = self.visit(f, with(false))?;
                    // A test whose value was already read on this path
                    // cannot reject, so it can go when both ways agree.
                    let loaded =
                        facts.iter().any(|(c, _)| c.lhs == cond.lhs) && !cond.rhs.reads_packet();
                    // libpcap drops such a test too, but only where it can
                    // tell the branches agree, which it cannot through an
                    // offset that differs between paths (a variable given
                    // several values).
                    let libpcap_would = self.drop_dead_loads
                        && !self.offset_varies(&cond.lhs)
                        && !self.offset_varies(&cond.rhs);
                    if nt == nf && (libpcap_would || loaded) {
                        nt
                    } else {
                        self.out.add(Node::Branch { cond, t: nt, f: nf })
                    }
                }
            }
            Node::Assign { var, val, next } => {
                // Storing the value the variable already holds on this
                // path (a second `tcp` re-reading the header length) is a
                // no-op; otherwise facts about the variable go, and its
                // new value becomes one.
                let holds = (
                    Cond {
                        op: CmpOp::Eq,
                        lhs: Val::Var(var),
                        rhs: fold_val(&val),
                    },
                    true,
                );
                if facts.contains(&holds) {
                    return self.visit(next, facts);
                }
                let mut kept: Vec<(Cond, bool)> = facts
                    .iter()
                    .filter(|(c, _)| !mentions(c, var))
                    .cloned()
                    .collect();
                if !holds.0.rhs.uses_var(var) {
                    kept.push(holds);
                }
                let nn = self.visit(next, Rc::new(kept))?;
                // A variable set just before the end is never read.
                if self.drop_dead_loads && (nn == ACCEPT || nn == REJECT) {
                    return Some(nn);
                }
                self.out.add(Node::Assign {
                    var,
                    val: fold_val(&val),
                    next: nn,
                })
            }
            Node::Accept | Node::Reject => unreachable!(),
        };
        if self.out.nodes.len() > self.budget {
            return None;
        }
        self.memo.insert(key, id);
        Some(id)
    }
}

/// How many "value is not K" facts are kept per value: enough to thread
/// the tests of one primitive, few enough that a chain of a thousand
/// `host` tests does not carry a thousand facts along.
const MAX_NOT_EQUAL: usize = 8;

/// `facts` plus the outcome `b` of `c`.
fn add_fact(facts: &[(Cond, bool)], c: &Cond, b: bool) -> Vec<(Cond, bool)> {
    let mut v = facts.to_vec();
    if !b && c.op == CmpOp::Eq {
        let same: Vec<usize> = v
            .iter()
            .enumerate()
            .filter(|(_, (f, fb))| !*fb && f.op == CmpOp::Eq && f.lhs == c.lhs)
            .map(|(i, _)| i)
            .collect();
        if same.len() >= MAX_NOT_EQUAL {
            v.remove(same[0]);
        }
    }
    v.push((c.clone(), b));
    v
}

fn mentions(c: &Cond, v: VarId) -> bool {
    c.lhs.uses_var(v) || c.rhs.uses_var(v)
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
        let v = Val::load(2, 12);
        let facts = vec![(eq(v.clone(), 0x800), true)];
        assert_eq!(decide(&facts, &eq(v.clone(), 0x86dd)), Some(false));
        assert_eq!(decide(&facts, &eq(v.clone(), 0x800)), Some(true));
        let facts = vec![(eq(v.clone(), 0x800), false)];
        assert_eq!(decide(&facts, &eq(v.clone(), 0x800)), Some(false));
        assert_eq!(decide(&facts, &eq(v, 0x86dd)), None);
    }

    #[test]
    fn ranges_decide_comparisons() {
        let v = Val::Len;
        let gt = |k| Cond {
            op: CmpOp::Gt,
            lhs: Val::Len,
            rhs: Val::Const(k),
        };
        let facts = vec![(gt(100), true)];
        assert_eq!(decide(&facts, &gt(50)), Some(true));
        assert_eq!(decide(&facts, &eq(v, 20)), Some(false));
    }

    #[test]
    fn folding_keeps_division_by_zero() {
        let v = Val::alu(ArithOp::Div, Val::Const(4), Val::Const(0));
        assert_eq!(fold_val(&v), v);
        let v = Val::alu(ArithOp::Shl, Val::Const(1), Val::Const(3));
        assert_eq!(fold_val(&v), Val::Const(8));
    }
}
