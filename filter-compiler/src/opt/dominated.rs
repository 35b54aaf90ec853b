//! What libpcap's optimizer knows at each node: the test outcomes that
//! hold on *every* path into it.
//!
//! libpcap threads a jump (`opt_j`) only with the edges that dominate it
//! (`find_edom`), never with what one path alone knows; where two paths
//! meet, it knows only the outcomes of tests both made (the same test
//! node, not merely an equal test). Both its "expression rejects all
//! packets" and its verdicts on damaged packets follow from that.
//!
//! It moves edges in passes: each pass finds the edges dominating every
//! edge on the graph as the pass starts, then moves each edge past the
//! tests those decide, from the leaves up; passes repeat until none
//! moves. Within a pass an edge may so use an edge that no longer
//! dominates it (moved away earlier in the pass) — a fact that still
//! holds there; in the next pass it is gone.
//!
//! Two replays of that live here:
//! * [`thread_jumps`] moves edges in such passes (the refusal check runs
//!   it, then asks whether "accept" is reached):
//!   `(ether[1] = 6 && ip6[16] = 1 || ip6[3] = 1) && ip` is refused by
//!   tcpdump (the first pass still knows the second IPv6 test's outcome
//!   after `ip6[3]`), `((dst port 9 or net 10.0.0.0/8) and
//!   udp[icmptype:2] != 0) && tcp portrange 547-547` is not (the UDP test
//!   the port's way skipped no longer dominates once that would matter);
//! * [`on_all_paths`] with `moving`, one pass in topological order that
//!   moves each edge at once and lets it keep the outcomes of the tests it
//!   skipped, which is what the threader restricts itself to at each test
//!   it keeps (on the random expressions of `conformance/run.py` it gives
//!   libpcap's programs; [`thread_jumps`] alone would not, as libpcap
//!   interleaves its passes with the `or`/`and` pull-ups, which bpfcap
//!   makes after threading).

use crate::ir::{Cfg, Cond, Node, NodeId, Val, VarId};

/// A test's outcome known on an edge: the test node (none for what a
/// variable holds, which libpcap's value numbering knows whatever the
/// path), its condition and the outcome.
pub(super) type Known<C> = (Option<NodeId>, C, bool);

/// How conditions are represented and decided by a caller.
pub(super) trait Logic {
    /// A condition.
    type C: Clone + PartialEq;
    /// The condition `cond` that branch `n` tests.
    fn cond(&self, n: NodeId, cond: &Cond) -> Self::C;
    /// The outcome of `c` when `known` holds, if decided; decided too
    /// on any list holding one that decides (what [`on_all_paths`]
    /// relies on).
    fn decide(&self, known: &[Known<Self::C>], c: &Self::C) -> Option<bool>;
    /// "`var` holds `val`" (assignment `n`), and whether that is a fact
    /// (not when `val` reads `var` itself).
    fn holds(&self, n: NodeId, var: VarId, val: &Val) -> (Self::C, bool);
    /// Whether `c` reads `var`.
    fn mentions(&self, c: &Self::C, var: VarId) -> bool;
    /// Drops what cannot matter below `to` from what an edge from `from`
    /// knows there (a bound on the memory long filters take): `known`
    /// starts with what is known on every path into `from` (or part of
    /// it), already trimmed for `from`, then has what the edge added.
    fn trim(&self, _from: NodeId, _to: NodeId, _known: &mut Vec<Known<Self::C>>, _added: usize) {}
}

/// Passes after which [`thread_jumps`] stops even if edges still move
/// (libpcap's own loop has no bound; real filters settle in a few).
const MAX_PASSES: usize = 64;

/// What [`on_all_paths`] found: for each node, what is known on every
/// path into it, all lists in one vector (a vector per node was most of
/// the pass's time on small graphs: allocating, copying, freeing).
pub(super) struct AllPaths<C> {
    store: Vec<Known<C>>,
    /// Per node, the range of `store` holding its list; [`UNREACHED`]
    /// for nodes no path reaches.
    lists: Vec<(u32, u32)>,
    /// Whether a list may hold a condition with one outcome twice (from
    /// two test nodes): only where an edge was moved past a test decided
    /// by the same condition. Elsewhere no list holds a condition twice:
    /// an edge into a test whose condition it knows is moved past it, and
    /// assigning a variable first forgets the facts about it.
    repeats: bool,
}

/// The range of a node no path reaches.
const UNREACHED: (u32, u32) = (u32::MAX, 0);

impl<C> AllPaths<C> {
    /// What is known on every path into `n` (nothing for a verdict);
    /// `None` if no path reaches it.
    pub(super) fn get(&self, n: NodeId) -> Option<&[Known<C>]> {
        match self.lists[n as usize] {
            UNREACHED => None,
            (start, len) => Some(&self.store[start as usize..(start + len) as usize]),
        }
    }

    /// Whether some list may hold a condition with one outcome twice
    /// (see [`AllPaths::repeats`]); when not, none does.
    pub(super) fn repeats(&self) -> bool {
        self.repeats
    }

    /// Whether a path reaches `n`.
    pub(super) fn reached(&self, n: NodeId) -> bool {
        self.lists[n as usize] != UNREACHED
    }
}

/// For each node of `cfg` (`order`: topological from the root), what is
/// known on every path into it; nothing for nodes no path reaches. With
/// `moving`, each edge is first moved past the tests it decides, keeping
/// their outcomes (and a test decided on every path leads one way only);
/// without, the graph is taken as it is (libpcap's `find_edom`).
pub(super) fn on_all_paths<L: Logic>(
    cfg: &Cfg,
    order: &[NodeId],
    logic: &L,
    moving: bool,
) -> AllPaths<L::C> {
    let mut all = AllPaths {
        store: Vec::with_capacity(order.len()),
        lists: vec![UNREACHED; cfg.nodes().len()],
        repeats: false,
    };
    all.lists[cfg.root as usize] = (0, 0);
    // What an edge knows is built in `edge`, reused by every edge: a list
    // is copied only where it becomes a node's first (a join only keeps
    // what its list has in common with the edge's, in place).
    // `edge` holds (part of) what is known on every path into `from`,
    // then from `added` on what the edge adds.
    let reach = |from: NodeId,
                 mut to: NodeId,
                 edge: &mut Vec<Known<L::C>>,
                 added: usize,
                 all: &mut AllPaths<L::C>| {
        while moving && let Node::Branch { cond, t, f } = cfg.node(to) {
            let c = logic.cond(to, cond);
            let Some(b) = logic.decide(edge, &c) else {
                break;
            };
            all.repeats = all.repeats || edge.iter().any(|(_, e, _)| *e == c);
            edge.push((Some(to), c, b));
            to = if b { *t } else { *f };
        }
        // What a verdict knows is never asked: it is only reached.
        if matches!(cfg.node(to), Node::Accept | Node::Reject) {
            all.lists[to as usize] = (0, 0);
            return;
        }
        logic.trim(from, to, edge, added);
        match all.lists[to as usize] {
            UNREACHED => {
                let start = all.store.len() as u32;
                all.store.extend_from_slice(edge);
                all.lists[to as usize] = (start, edge.len() as u32);
            }
            (start, len) => {
                // Both lists mostly hold the same facts in the same order
                // (copied from common predecessors): each is first looked
                // for just after the previous one found, so that a join of
                // long lists is not a square of comparisons.
                let have = &mut all.store[start as usize..(start + len) as usize];
                let (mut next, mut kept) = (0, 0);
                for i in 0..have.len() {
                    let found = if edge.get(next) == Some(&have[i]) {
                        Some(next)
                    } else {
                        edge.iter().position(|e| *e == have[i])
                    };
                    if let Some(j) = found {
                        next = j + 1;
                        have.swap(kept, i);
                        kept += 1;
                    }
                }
                all.lists[to as usize] = (start, kept as u32);
            }
        }
    };
    // (Room for an everyday filter's facts at once.)
    let mut edge = Vec::with_capacity(16);
    for &n in order {
        let here = match (cfg.node(n), all.lists[n as usize]) {
            (Node::Accept | Node::Reject, _) | (_, UNREACHED) => continue,
            (_, (start, len)) => start as usize..(start + len) as usize,
        };
        match cfg.node(n) {
            Node::Accept | Node::Reject => {}
            Node::Branch { cond, t, f } => {
                let c = logic.cond(n, cond);
                // Moving, only the root's test can be decided here: every
                // edge into another node was moved as far as what it knew
                // decides, and the node knows a part of that (each
                // `Logic::decide` decides on any list holding one that
                // decides).
                match (moving && n == cfg.root)
                    .then(|| logic.decide(&all.store[here.clone()], &c))
                    .flatten()
                {
                    Some(b) => {
                        edge.clear();
                        edge.extend_from_slice(&all.store[here]);
                        let added = edge.len();
                        reach(n, if b { *t } else { *f }, &mut edge, added, &mut all);
                    }
                    None => {
                        for (to, b) in [(*t, true), (*f, false)] {
                            edge.clear();
                            edge.extend_from_slice(&all.store[here.clone()]);
                            let added = edge.len();
                            edge.push((Some(n), c.clone(), b));
                            reach(n, to, &mut edge, added, &mut all);
                        }
                    }
                }
            }
            Node::Assign { var, val, next } => {
                // Value numbering: storing the value a variable already
                // holds changes nothing; otherwise facts about it go, and
                // its new value is a fact.
                let (holds, keep) = logic.holds(n, *var, val);
                let holds = (None, holds, true);
                edge.clear();
                edge.extend_from_slice(&all.store[here]);
                let mut added = edge.len();
                if !edge.contains(&holds) {
                    edge.retain(|(_, c, _)| !logic.mentions(c, *var));
                    added = edge.len();
                    if keep {
                        edge.push(holds);
                    }
                }
                reach(n, *next, &mut edge, added, &mut all);
            }
        }
    }
    all
}

/// How many branches other than the root of `cfg` (reached, moving
/// edges) [`on_all_paths`] finds decided by what every path into them
/// knows, of how many: none, if it may skip deciding them.
#[cfg(test)]
pub(super) fn decided_below_root<L: Logic>(cfg: &Cfg, logic: &L) -> (usize, usize) {
    let all = on_all_paths(cfg, &cfg.topo_order(), logic, true);
    let (mut decided, mut asked) = (0, 0);
    for n in 0..cfg.nodes().len() as NodeId {
        if let (Some(known), Node::Branch { cond, .. }) = (all.get(n), cfg.node(n))
            && n != cfg.root
        {
            asked += 1;
            decided += logic.decide(known, &logic.cond(n, cond)).is_some() as usize;
        }
    }
    (decided, asked)
}

/// libpcap's jump threading (`opt_j`, in passes as above): every edge is
/// moved past the tests decided by what is known on it — on every path
/// into its node, and its own outcome — and past tests whose two ways
/// lead to the same node, unless their value is read through a variable
/// (which libpcap's data-flow check may find assigned differently).
pub(super) fn thread_jumps<L: Logic>(cfg: &mut Cfg, logic: &L) {
    let may_drop = |c: &Cond| !c.lhs.uses_any_var() && !c.rhs.uses_any_var();
    for _ in 0..MAX_PASSES {
        let order = cfg.topo_order();
        let known = on_all_paths(cfg, &order, logic, false);
        let moved = cfg.relink(|nodes| {
            let mut moved = false;
            for &n in order.iter().rev() {
                let (Some(here), Node::Branch { cond, .. }) = (known.get(n), nodes.node(n)) else {
                    continue;
                };
                let c = logic.cond(n, cond);
                for way in [true, false] {
                    let mut edge = here.to_vec();
                    edge.push((Some(n), c.clone(), way));
                    let Node::Branch { t, f, .. } = nodes.node(n) else {
                        unreachable!("n is a branch")
                    };
                    let start = if way { *t } else { *f };
                    let mut to = start;
                    while let Node::Branch { cond, t, f } = nodes.node(to) {
                        to = if t == f && may_drop(cond) {
                            *t
                        } else {
                            match logic.decide(&edge, &logic.cond(to, cond)) {
                                Some(true) => *t,
                                Some(false) => *f,
                                None => break,
                            }
                        };
                    }
                    if to != start {
                        nodes.set_target(n, way, to);
                        moved = true;
                    }
                }
            }
            moved
        });
        if !moved {
            return;
        }
    }
}
