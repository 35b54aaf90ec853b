//! Boolean formulas over predicates: what the lowering of one primitive
//! produces before it is woven into the control-flow graph.
//!
//! Formulas are evaluated left to right with short-circuiting, exactly as
//! written; the order matters because a predicate that reads beyond the
//! captured bytes rejects the whole packet.

use rustc_hash::FxHashMap as HashMap;

use crate::ast::{Operands, Span, drop_operands};
use crate::ir::{ACCEPT, Cfg, CmpOp, Cond, NO_NODE, Node, NodeId, REJECT, Val, VarId};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum F {
    True,
    False,
    Test(Cond),
    Not(Box<F>),
    /// All of these, left to right (`a and b and ...`): one list rather
    /// than a box for each `and`, since a primitive's formula is a few
    /// such chains and each box is an allocation and a free per compile.
    All(Vec<F>),
    /// Any of these, left to right (`a or b or ...`).
    Any(Vec<F>),
    /// Any of these pairs, each pair both (`a and b or c and d or ...`):
    /// what a host test is, one pair (link type, address) for each
    /// protocol and direction. One list for all of them rather than a
    /// list for each pair: 1,000 hosts made 6,000 of those.
    AnyBoth(Vec<[F; 2]>),
    /// A value is one of some constants, then a formula holds (see
    /// [`OneOf`]; boxed, as the other variants are no larger than a test).
    OneOf(Box<OneOf>),
    /// Sets a variable; as a formula it is true.
    Assign(VarId, Val),
    /// The formula of the primitive written at this span: made only when
    /// lowering for `explain` (see [`Origins`]); otherwise the formula
    /// inside, which it means.
    Origin(Span, Box<F>),
}

/// `value` is one of `ks` (tested in that order), and `then` holds: what
/// a port test without a protocol is, `value` the transport protocol and
/// `then` the port comparisons, which are the same for TCP, UDP and SCTP.
///
/// libpcap writes it `value == k_1 and then or value == k_2 and then
/// ...`, a copy of `then` for each protocol. One copy after the `or` of
/// the tests has the same verdict on every packet, truncated ones
/// included: at most one test holds, those after the first read nothing
/// new, and that one's copy makes the same loads in the same order.
/// [`to_cfg`] weaves the one copy when nothing else in the whole formula
/// reads `value`: otherwise a copy for each `k` keeps, on each path, which
/// one held, for the optimizer to decide the other tests by (`port 80
/// and tcp`, `port 22 and port 80`). With one copy, the optimizer has a
/// third of the comparisons to thread (a 40-port list has 160, not 480).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OneOf {
    pub value: Val,
    pub ks: Vec<u32>,
    pub then: F,
}

/// Which primitive each node of a graph was built for (the innermost
/// [`F::Origin`] around its test), for `explain`. A node shared by two
/// primitives (hash-consing: same test, same way on) keeps the first.
pub type Origins = HashMap<NodeId, Span>;

/// The [`F::Origin`] of the protocol-semantics header walk's nodes (a
/// span no primitive has), so `explain` can summarise them in one step.
pub const PROLOGUE: Span = usize::MAX..usize::MAX;

impl F {
    pub fn and(a: F, b: F) -> F {
        F::join(true, a, b)
    }

    pub fn or(a: F, b: F) -> F {
        F::join(false, a, b)
    }

    /// `a and b` (`all`) or `a or b`, adding to `a`'s list when it is one
    /// of the same kind, and taking in `b`'s: `and` and `or` associate,
    /// and [`F::build`] weaves a list's operands in the same order as the
    /// nested pairs it stands for, so the graph is the same.
    fn join(all: bool, mut a: F, b: F) -> F {
        if let Some(items) = a.list_mut(all) {
            push_flat(items, all, b);
            return a;
        }
        let mut items = Vec::with_capacity(4);
        items.push(a);
        push_flat(&mut items, all, b);
        F::list(all, items)
    }

    /// The operands of an `and` list (`all`) or an `or` list, if this
    /// formula is one.
    fn list_mut(&mut self, all: bool) -> Option<&mut Vec<F>> {
        match self {
            F::All(items) if all => Some(items),
            F::Any(items) if !all => Some(items),
            _ => None,
        }
    }

    /// The operands of this formula as an `and` (`all`) or `or` list (its
    /// own list when it is one of that kind, taken over), with room for
    /// `more` to come.
    fn into_list(mut self, all: bool, more: usize) -> Vec<F> {
        if let Some(items) = self.list_mut(all) {
            let mut items = std::mem::take(items);
            items.reserve(more);
            return items;
        }
        let mut items = Vec::with_capacity((1 + more).max(4));
        items.push(self);
        items
    }

    fn list(all: bool, items: Vec<F>) -> F {
        if all { F::All(items) } else { F::Any(items) }
    }

    /// [`F::all`] (`all`) or [`F::any`] of `items`, in one list sized
    /// for them.
    fn gather(all: bool, items: impl IntoIterator<Item = F>) -> Option<F> {
        let mut items = items.into_iter();
        let first = items.next()?;
        let Some(second) = items.next() else {
            return Some(first);
        };
        let mut list = first.into_list(all, 1 + items.size_hint().0);
        push_flat(&mut list, all, second);
        for b in items {
            push_flat(&mut list, all, b);
        }
        Some(F::list(all, list))
    }

    #[allow(clippy::should_implement_trait)]
    pub fn not(a: F) -> F {
        F::Not(Box::new(a))
    }

    /// `a and b and ...`, in order.
    pub fn all(items: impl IntoIterator<Item = F>) -> F {
        F::gather(true, items).unwrap_or(F::True)
    }

    /// `a or b or ...`, in order.
    pub fn any(items: impl IntoIterator<Item = F>) -> F {
        F::gather(false, items).unwrap_or(F::False)
    }

    /// [`F::all`] of a list built for it (see [`F::any_of`]).
    pub fn all_of(items: Vec<F>) -> F {
        F::of(true, items)
    }

    /// [`F::any`] of a list built for it: the list itself becomes the
    /// formula's when none of its items is an `or` list to take in.
    pub fn any_of(items: Vec<F>) -> F {
        F::of(false, items)
    }

    fn of(all: bool, mut items: Vec<F>) -> F {
        if items.len() > 1 && !items.iter_mut().any(|f| f.list_mut(all).is_some()) {
            F::list(all, items)
        } else {
            F::gather(all, items).unwrap_or(if all { F::True } else { F::False })
        }
    }

    /// `if cond { then }` where `then` is always true (assignments).
    pub fn when(cond: F, then: F) -> F {
        F::or(F::not(cond), then)
    }

    pub fn test(op: CmpOp, lhs: Val, rhs: Val) -> F {
        F::Test(Cond { op, lhs, rhs })
    }

    /// `v == k`
    pub fn eq(v: Val, k: u32) -> F {
        F::test(CmpOp::Eq, v, Val::Const(k))
    }

    /// `v > k`
    pub fn gt(v: Val, k: u32) -> F {
        F::test(CmpOp::Gt, v, Val::Const(k))
    }

    /// `v >= k`
    pub fn ge(v: Val, k: u32) -> F {
        F::test(CmpOp::Ge, v, Val::Const(k))
    }

    /// `v & mask != 0`
    pub fn set(v: Val, mask: u32) -> F {
        F::test(CmpOp::Set, v, Val::Const(mask))
    }

    /// `v & mask == k`, libpcap's `gen_mcmp`.  A zero mask compares
    /// nothing, but the test and its load stay: libpcap's optimizer drops
    /// them (it folds `and #0`, and so does ours), yet programs it leaves
    /// unoptimized (`protochain`, `geneve`) still read the word and reject
    /// a packet too short for it.
    pub fn masked(v: Val, mask: u32, k: u32) -> F {
        match mask {
            0xffff_ffff => F::eq(v, k),
            _ => F::eq(Val::alu(crate::ast::ArithOp::And, v, Val::Const(mask)), k),
        }
    }

    /// A copy of the formula: without the derived `clone`'s calls for the
    /// usual one, a test of a value at a fixed place against a constant
    /// (a host's link type test, made once for both directions).
    pub fn copy(&self) -> F {
        match self {
            &F::Test(Cond {
                op,
                lhs:
                    Val::Load {
                        size,
                        off,
                        index: None,
                    },
                rhs: Val::Const(k),
            }) => F::Test(Cond {
                op,
                lhs: Val::Load {
                    size,
                    off,
                    index: None,
                },
                rhs: Val::Const(k),
            }),
            _ => self.clone(),
        }
    }

    /// How many tests and assignments the formula has: at most as many
    /// nodes as [`F::build`] adds. Like `build`, follows the first
    /// operand in a loop and recurses only into the others.
    pub fn leaves(&self) -> usize {
        let mut n = 0;
        let mut f = self;
        loop {
            match f {
                F::True | F::False => return n,
                F::Test(_) | F::Assign(..) => return n + 1,
                F::Not(a) | F::Origin(_, a) => f = a,
                F::All(items) | F::Any(items) => {
                    let Some((first, rest)) = items.split_first() else {
                        return n;
                    };
                    n += rest.iter().map(operand_leaves).sum::<usize>();
                    f = first;
                }
                F::AnyBoth(pairs) => {
                    return n + pairs.iter().flatten().map(operand_leaves).sum::<usize>();
                }
                // As many as a copy of `then` for each test makes.
                F::OneOf(one) => return n + one.ks.len() * (1 + one.then.leaves()),
            }
        }
    }

    /// Weaves the formula into `loom`'s graph: a node that goes to `t`
    /// when the formula holds and to `f` when it does not.
    ///
    /// Long formulas lean left ([`F::any`] and [`F::all`] of a 50,000-way
    /// `or`), so the left operand is followed in a loop and only the
    /// right one, as deep as the expression's parentheses, recurses.
    ///
    /// The formula is used up: its conditions and values move into the
    /// graph's nodes instead of being copied and then dropped. `within`:
    /// the [`F::Origin`] around this formula, for the loom's origins.
    pub fn build(
        self,
        loom: &mut Loom,
        mut t: NodeId,
        mut f: NodeId,
        mut within: Option<Span>,
    ) -> NodeId {
        let mut node = self;
        loop {
            let all = matches!(node, F::All(_));
            match &mut node {
                F::True => return t,
                F::False => return f,
                F::Test(c) => {
                    let cond = std::mem::replace(c, Cond::MOVED);
                    // What is left of a test owns nothing: no drop to run.
                    std::mem::forget(node);
                    return loom.add(within.as_ref(), Node::Branch { cond, t, f });
                }
                F::Assign(var, val) => {
                    let (var, val) = (*var, std::mem::replace(val, Val::Len));
                    return loom.add(within.as_ref(), Node::Assign { var, val, next: t });
                }
                F::Not(a) => {
                    std::mem::swap(&mut t, &mut f);
                    node = take(a);
                }
                F::All(items) | F::Any(items) => {
                    // Right to left: an operand of an `and` goes on to the
                    // next when it holds, of an `or` when it does not; the
                    // first is followed in the loop.
                    let mut items = std::mem::take(items).into_iter();
                    let first = items.next();
                    for b in items.rev() {
                        let next = operand(b, loom, t, f, within.as_ref());
                        if all {
                            t = next;
                        } else {
                            f = next;
                        }
                    }
                    // The list taken out of `node` left nothing to free.
                    let first = first.unwrap_or(if all { F::True } else { F::False });
                    std::mem::forget(std::mem::replace(&mut node, first));
                }
                F::AnyBoth(pairs) => {
                    // Right to left, as an `or` of `and`s; the first
                    // pair's first is followed in the loop.
                    let mut pairs = std::mem::take(pairs).into_iter();
                    let first = pairs.next();
                    for [a, b] in pairs.rev() {
                        let b = operand(b, loom, t, f, within.as_ref());
                        f = operand(a, loom, b, f, within.as_ref());
                    }
                    let first = match first {
                        Some([a, b]) => {
                            t = operand(b, loom, t, f, within.as_ref());
                            a
                        }
                        None => F::False,
                    };
                    std::mem::forget(std::mem::replace(&mut node, first));
                }
                F::OneOf(one) => {
                    let v = std::mem::replace(&mut one.value, Val::Len);
                    let (ks, then) = (std::mem::take(&mut one.ks), take(&mut one.then));
                    node = match ks.split_last() {
                        Some((&last, firsts)) if !firsts.is_empty() && !loom.once.contains(&v) => {
                            // A copy for each, the last one `then` itself.
                            let mut pairs = Vec::with_capacity(ks.len());
                            for &k in firsts {
                                pairs.push([F::eq(v.clone(), k), then.clone()]);
                            }
                            pairs.push([F::eq(v, last), then]);
                            F::AnyBoth(pairs)
                        }
                        _ => F::and(F::any(ks.iter().map(|&k| F::eq(v.clone(), k))), then),
                    };
                }
                F::Origin(span, a) => {
                    within = Some(span.clone());
                    node = take(a);
                }
            }
        }
    }
}

/// What [`F::build`] weaves formulas into: the graph's nodes, hash-consed
/// as [`Cfg::add`] does it, the [`Origins`] it learns (when asked to),
/// and the values of the [`F::OneOf`]s it weaves once.
///
/// The graph becomes a [`Cfg`] only when it is woven ([`to_cfg`]): a node
/// equal to one already there has the same ways, so it is looked for among
/// the nodes that go the same way, not by hashing. Nodes are woven from
/// the last test to the first, each towards nodes just made, which have
/// no other node going their way yet: finding that a node is new costs a
/// look at two counts, where [`Cfg::add`]'s hashing and probing cost 190
/// instructions a node (12,000 nodes for a list of 1,000 hosts). No pass
/// after the lowering adds nodes to its graph (the threader builds a new
/// one): [`Cfg::from_distinct`] hashes them only if one ever does.
pub struct Loom<'o> {
    nodes: Vec<Node>,
    /// For each node, the nodes going its way: see [`Ways`].
    ways: Vec<Ways>,
    origins: &'o mut Option<Origins>,
    once: Vec<Val>,
}

/// The nodes whose true way (for an assignment: its next node) or false
/// way is a node, each kept as a list through the nodes themselves: the
/// latest one, the one before it of each ([`NO_NODE`] ends a list), and
/// how many.
#[derive(Clone, Copy)]
struct Ways {
    last_t: NodeId,
    last_f: NodeId,
    before_t: NodeId,
    before_f: NodeId,
    count_t: u32,
    count_f: u32,
}

impl Ways {
    const NONE: Ways = Ways {
        last_t: NO_NODE,
        last_f: NO_NODE,
        before_t: NO_NODE,
        before_f: NO_NODE,
        count_t: 0,
        count_f: 0,
    };
}

impl Loom<'_> {
    /// Adds `n` to the graph; the origins, when asked for, learn that it
    /// comes from the primitive at `within` (unless they knew the node).
    fn add(&mut self, within: Option<&Span>, n: Node) -> NodeId {
        let id = self.intern(n);
        if let (Some(o), Some(span)) = (&mut *self.origins, within) {
            o.entry(id).or_insert_with(|| span.clone());
        }
        id
    }

    /// [`Cfg::add`]: the id of the node equal to `n` if there is one,
    /// else of `n` added; a branch that decides nothing is its target.
    #[inline(always)]
    fn intern(&mut self, n: Node) -> NodeId {
        let (t, f) = match n {
            Node::Branch { ref cond, t, f } => {
                if cond.decides_nothing(t, f) {
                    return t;
                }
                (t, f)
            }
            Node::Assign { next, .. } => (next, NO_NODE),
            Node::Accept | Node::Reject => unreachable!("the verdicts are there from the start"),
        };
        // Among the nodes going the same way as `n` on the side fewer do.
        let by_f = f != NO_NODE && self.ways[f as usize].count_f < self.ways[t as usize].count_t;
        let mut at = if by_f {
            self.ways[f as usize].last_f
        } else {
            self.ways[t as usize].last_t
        };
        while at != NO_NODE {
            if self.nodes[at as usize] == n {
                return at;
            }
            let w = &self.ways[at as usize];
            at = if by_f { w.before_f } else { w.before_t };
        }
        let id = self.nodes.len() as NodeId;
        let mut ways = Ways::NONE;
        let to = &mut self.ways[t as usize];
        ways.before_t = std::mem::replace(&mut to.last_t, id);
        to.count_t += 1;
        if f != NO_NODE {
            let to = &mut self.ways[f as usize];
            ways.before_f = std::mem::replace(&mut to.last_f, id);
            to.count_f += 1;
        }
        self.nodes.push(n);
        self.ways.push(ways);
        id
    }
}

/// The values of `f`'s [`F::OneOf`]s that nothing else in `f` reads (no
/// other `OneOf`, test or assignment): the `OneOf`s woven once.
fn read_once(f: &F) -> Vec<Val> {
    // What the `OneOf`s test, each with whether something else reads it.
    let mut values: Vec<(&Val, bool)> = Vec::new();
    let mut leaves: Vec<&Val> = Vec::new();
    let mut pending = vec![f];
    while let Some(f) = pending.pop() {
        match f {
            F::True | F::False => {}
            // Not the constants (most right-hand sides): a `OneOf` tests a
            // load, which no constant reads; a 40-port list has 320.
            F::Test(c) => leaves.extend(
                [&c.lhs, &c.rhs]
                    .into_iter()
                    .filter(|v| !matches!(v, Val::Const(_))),
            ),
            F::Assign(_, val) => leaves.push(val),
            F::Not(a) | F::Origin(_, a) => pending.push(a),
            F::All(items) | F::Any(items) => pending.extend(items),
            F::AnyBoth(pairs) => pending.extend(pairs.iter().flatten()),
            F::OneOf(one) => {
                match values.iter_mut().find(|(w, _)| *w == &one.value) {
                    Some((_, again)) => *again = true,
                    None => values.push((&one.value, false)),
                }
                pending.push(&one.then);
            }
        }
    }
    values
        .into_iter()
        .filter(|&(v, again)| !again && !leaves.iter().any(|val| reads(val, v)))
        .map(|(v, _)| v.clone())
        .collect()
}

/// Whether computing `val` reads `v`.
fn reads(val: &Val, v: &Val) -> bool {
    val == v
        || match val {
            Val::Load { index: Some(i), .. } => reads(i, v),
            Val::Alu(_, a, b) => reads(a, v) || reads(b, v),
            Val::Neg(a) => reads(a, v),
            _ => false,
        }
}

/// [`F::leaves`] of an operand of a list or pair, without a call for the
/// usual ones: a test, or a list or pairs of tests (the operands of a long
/// list are mostly hosts, a list of (link type, address) pairs; a call
/// for each of their tests was 1.3 M instructions for 1,000 hosts).
fn operand_leaves(g: &F) -> usize {
    let leaf = |g: &F| matches!(g, F::Test(_) | F::Assign(..));
    match g {
        F::Test(_) | F::Assign(..) => 1,
        F::All(items) | F::Any(items) if items.iter().all(leaf) => items.len(),
        F::AnyBoth(pairs) if pairs.iter().flatten().all(leaf) => 2 * pairs.len(),
        _ => g.leaves(),
    }
}

/// [`F::build`] of an operand of a list: a test is added here, without a
/// call of its own (most operands are tests).
fn operand(mut b: F, loom: &mut Loom, t: NodeId, f: NodeId, within: Option<&Span>) -> NodeId {
    match &mut b {
        F::Test(c) => {
            let cond = std::mem::replace(c, Cond::MOVED);
            // What is left of a test owns nothing: no drop to run.
            std::mem::forget(b);
            loom.add(within, Node::Branch { cond, t, f })
        }
        _ => b.build(loom, t, f, within.cloned()),
    }
}

/// Adds `b` to an `and` (`all`) or `or` list, or its operands when it is
/// a list of the same kind.
fn push_flat(items: &mut Vec<F>, all: bool, mut b: F) {
    match b.list_mut(all) {
        Some(more) => items.append(more),
        None => items.push(b),
    }
}

/// The operand in `a`, leaving a leaf in its place.
fn take(a: &mut F) -> F {
    std::mem::replace(a, F::True)
}

impl Operands for F {
    fn take_operands(&mut self, into: &mut Vec<F>) {
        // Only operands with operands of their own go on the work list;
        // leaves are dropped where they are, without one.
        let mut push = |a: &mut F| {
            if matches!(
                a,
                F::Not(_) | F::Origin(..) | F::All(_) | F::Any(_) | F::AnyBoth(_)
            ) {
                into.push(take(a));
            }
        };
        match self {
            F::Not(a) | F::Origin(_, a) => push(a),
            F::All(items) | F::Any(items) => items.iter_mut().for_each(push),
            F::AnyBoth(pairs) => pairs.iter_mut().flatten().for_each(push),
            F::OneOf(one) => push(&mut one.then),
            F::True | F::False | F::Test(_) | F::Assign(..) => {}
        }
    }
}

/// Formulas lean left like the expressions they come from.
impl Drop for F {
    fn drop(&mut self) {
        // Most formulas dropped are leaves and lists [`F::build`] has
        // emptied: nothing to walk.
        let nothing_below = match self {
            F::True | F::False | F::Test(_) | F::Assign(..) => true,
            F::All(items) | F::Any(items) => items.is_empty(),
            F::AnyBoth(pairs) => pairs.is_empty(),
            F::Not(_) | F::Origin(..) | F::OneOf(..) => false,
        };
        if !nothing_below {
            drop_operands(self);
        }
    }
}

/// Builds a whole program: accept when `f` holds, reject otherwise;
/// `origins`, when given, learns where each node comes from. `one_ofs`:
/// whether `f` may have [`F::OneOf`]s (looking for them is a walk of the
/// whole formula). `nodes`: room for that many nodes (the verdicts
/// included), `vars`: the graph's variables.
pub fn to_cfg(f: F, nodes: usize, vars: u8, origins: &mut Option<Origins>, one_ofs: bool) -> Cfg {
    let once = if one_ofs { read_once(&f) } else { Vec::new() };
    let nodes = nodes.max(2);
    let mut loom = Loom {
        nodes: Vec::with_capacity(nodes),
        ways: Vec::with_capacity(nodes),
        origins,
        once,
    };
    loom.nodes.extend([Node::Accept, Node::Reject]);
    loom.ways.extend([Ways::NONE; 2]);
    let root = f.build(&mut loom, ACCEPT, REJECT, None);
    Cfg::from_distinct(loom.nodes, root, vars)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{CompileOptions, LinkType};

    /// A list of pairs builds what the `or` of their `and`s builds (what
    /// host tests were made of before), whatever the pairs hold.
    #[test]
    fn pairs_build_as_an_or_of_ands() {
        let v = |k| Val::load(1, k);
        let pairs = || {
            vec![
                [F::eq(v(12), 8), F::eq(v(26), 1)],
                [F::eq(v(12), 8), F::eq(v(30), 1)],
                [F::and(F::eq(v(0), 1), F::not(F::eq(v(1), 2))), F::True],
                [F::any([F::eq(v(2), 3), F::eq(v(3), 4)]), F::Assign(0, v(4))],
                [F::eq(v(12), 6), F::eq(v(28), 1)],
            ]
        };
        let graph = |f: F| {
            let cfg = to_cfg(f, 2, 0, &mut None, false);
            (cfg.root, cfg.nodes().to_vec())
        };
        for n in 0..=5 {
            let mut ps = pairs();
            ps.truncate(n);
            let or_of_ands = F::any(ps.into_iter().map(|[a, b]| F::and(a, b)));
            let mut ps = pairs();
            ps.truncate(n);
            let both = F::AnyBoth(ps);
            assert_eq!(both.leaves(), or_of_ands.leaves());
            assert_eq!(graph(both), graph(or_of_ands), "{n} pairs");
        }
    }

    /// The count sizes the graph: every node the lowering adds is a test
    /// or an assignment of the formula, so it is never short, and equal
    /// where no two build the same node.
    #[test]
    fn leaves_count_the_nodes_a_formula_can_add() {
        let v = |k| Val::load(1, k);
        let f = F::all([
            F::eq(v(0), 1),
            F::not(F::any([F::eq(v(1), 2), F::True, F::Assign(0, v(2))])),
            F::any_of(vec![F::and(F::eq(v(3), 3), F::gt(v(4), 4)), F::False]),
        ]);
        assert_eq!(f.leaves(), 5);
        let leaves = f.leaves();
        let cfg = to_cfg(f, 2 + leaves, 0, &mut None, false);
        assert_eq!(cfg.nodes().len(), 2 + 5);

        let opts = CompileOptions::new(LinkType::EN10MB);
        let hosts = crate::tests::joined(300, " or ", |i| {
            format!("host 10.0.{}.{}", i / 256, i % 256)
        });
        for expr in [
            "host 10.1.2.3 and (tcp port 443 or udp port 53)".to_string(),
            "ip protochain 6 or vlan and tcp".to_string(),
            hosts,
        ] {
            let ast = crate::parse::parse(&expr).unwrap().unwrap();
            let mut lw = crate::lower::Lowerer::new(&opts).unwrap();
            let f = lw.expr(&ast).unwrap();
            let leaves = f.leaves();
            let built = to_cfg(f, 2, 0, &mut None, false).nodes().len();
            assert!(built <= 2 + leaves, "{expr}");
        }
    }

    /// The loom hash-conses as [`Cfg::add`] does: adding its nodes to a
    /// graph in their order finds none of them there (and none that
    /// decides nothing), so each was new when the loom added it.
    #[test]
    fn woven_nodes_are_what_cfg_add_keeps() {
        let opts = CompileOptions::new(LinkType::EN10MB);
        let exprs = [
            "port 80 and tcp",
            "port 22 or port 80 or host 10.0.0.1 or port 22",
            "not (tcp port 1 or udp port 2) and (ip or ip6)",
            "(port 1 or port 2) and (port 1 or port 2)",
            "ether[0] = 1 and ether[0] = 1 or not ether[0] = 1",
            "(tcp or udp) and (tcp or udp) or (host 1.2.3.4 and host 1.2.3.4)",
            "vlan and (ip or ip) and vlan and (ip or ip)",
        ];
        let hosts = crate::tests::joined(200, " or ", |i| format!("host 10.0.0.{}", i % 7));
        for expr in exprs.into_iter().chain([hosts.as_str()]) {
            let ast = crate::parse::parse(expr).unwrap();
            let cfg = crate::lower::lower(ast.as_ref(), &opts).unwrap().cfg;
            let mut again = Cfg::with_capacity(cfg.nodes().len());
            for (id, node) in cfg.nodes().iter().enumerate().skip(2) {
                assert_eq!(again.add(node.clone()), id as NodeId, "{expr}");
            }
        }
    }
}
