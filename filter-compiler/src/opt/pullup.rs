//! libpcap's `or_pullup` and `and_pullup`: grouping the tests of an
//! alternative by the value they compare.
//!
//! `host A or host B` becomes, after threading, the chain
//! `src == A, dst == A, src == B, dst == B`, all jumping to the same place
//! on success.  libpcap's optimizer moves `src == B` up next to
//! `src == A`, so it tests both sources before it loads the destination.
//! On a packet cut inside the destination address that order decides the
//! verdict (a load past the captured bytes rejects the packet), so ours
//! must be the same.
//!
//! The rule, for a node `b` all of whose predecessors compare the same
//! value `v` (in libpcap: leave the same value number in A): follow the
//! chain from `b` along false branches through tests that share `b`'s true
//! target and are reached only through the chain (libpcap: dominated by
//! `b`); skip the run of tests on `v` at its top, then find the next test
//! on `v` further down and move it to just after that run (before `b` if
//! the run is empty).  `and_pullup` is the same along true branches with a
//! shared false target.  Repeated from the leaves up until nothing moves,
//! this groups a chain's tests by value in order of first appearance.
//!
//! The moved test reads a value its new predecessors have just read, so
//! it cannot reject the packet where it now stands; the tests it jumps
//! over are pure alternatives, so on packets that hold every byte read the
//! verdict is unchanged.  Only truncated packets see the difference, as
//! they do with libpcap.

use rustc_hash::FxHashMap as HashMap;

use crate::ir::{Cfg, Node, NodeId, Relink, Val};

use super::fold_val;

/// Passes without reaching a fixed point after which the pass gives up
/// (libpcap's optimizer stops after 100 passes that only move branches).
const MAX_PASSES: usize = 100;

/// No value: the node is not a branch.
const NONE: u32 = u32::MAX;

/// Which chains: linked by false branches sharing the true target (`A or
/// B`), or by true branches sharing the false target (`A and B`).
#[derive(Clone, Copy)]
enum Kind {
    Or,
    And,
}

/// A graph's chains as the pass sees them: the nodes (relinked in
/// place), and what it knows of each.
struct Graph<'r, 'n> {
    nodes: &'r mut Relink<'n>,
    /// Interned left-hand value of each branch, `NONE` for other nodes.
    val: Vec<u32>,
    /// Whether each interned value depends on a variable.
    uses_var: Vec<bool>,
    /// Predecessors of each node, one entry per edge.
    preds: Vec<Vec<NodeId>>,
    root: NodeId,
}

/// Groups the tests of or- and and-chains by value, as libpcap does.
pub fn pullup(cfg: &mut Cfg) {
    let (val, uses_var, preds) = chains(cfg);
    let root = cfg.root;
    // The moves relink nodes in place; if any happened, `relink` rebuilds
    // the graph (and its hash-consing index) afterwards.
    cfg.relink(|nodes| {
        let mut g = Graph {
            nodes,
            val,
            uses_var,
            preds,
            root,
        };
        for _ in 0..MAX_PASSES {
            let mut changed = false;
            for b in g.bottom_up() {
                changed |= g.pull(b, Kind::Or);
                changed |= g.pull(b, Kind::And);
            }
            if !changed {
                break;
            }
        }
    });
}

/// The interned left-hand value of each node , whether
/// each value uses a variable, and each node's predecessors.
fn chains(cfg: &Cfg) -> (Vec<u32>, Vec<bool>, Vec<Vec<NodeId>>) {
    let mut ids: HashMap<Val, u32> = HashMap::default();
    let mut uses_var = Vec::new();
    let mut val = vec![NONE; cfg.nodes().len()];
    let mut preds = vec![Vec::new(); cfg.nodes().len()];
    for n in cfg.topo_order() {
        let node = cfg.node(n);
        if let Node::Branch { cond, .. } = node {
            let v = fold_val(&cond.lhs);
            let next = ids.len() as u32;
            val[n as usize] = *ids.entry(v.clone()).or_insert_with(|| {
                uses_var.push(v.uses_any_var());
                next
            });
        }
        for s in node.successors() {
            preds[s as usize].push(n);
        }
    }
    (val, uses_var, preds)
}

impl Graph<'_, '_> {
    /// The branch nodes reachable from the root, leaves' side first
    /// (libpcap's order: by level, the longest path to a leaf).
    fn bottom_up(&self) -> Vec<NodeId> {
        let mut order = Vec::new();
        let mut level = vec![usize::MAX; self.nodes.len()];
        // Iterative post-order from the root.
        let mut stack = vec![(self.root, false)];
        while let Some((n, done)) = stack.pop() {
            if level[n as usize] != usize::MAX {
                continue;
            }
            let succ: Vec<NodeId> = self.nodes.node(n).successors().collect();
            if done {
                level[n as usize] = succ
                    .iter()
                    .map(|&s| level[s as usize] + 1)
                    .max()
                    .unwrap_or(0);
                if !succ.is_empty() {
                    order.push(n);
                }
            } else {
                stack.push((n, true));
                for s in succ {
                    if level[s as usize] == usize::MAX {
                        stack.push((s, false));
                    }
                }
            }
        }
        order.sort_by_key(|&n| level[n as usize]);
        order
    }

    /// `(link, shared)` targets of a branch for chains of `kind`.
    fn targets(&self, n: NodeId, kind: Kind) -> Option<(NodeId, NodeId)> {
        match *self.nodes.node(n) {
            Node::Branch { t, f, .. } => Some(match kind {
                Kind::Or => (f, t),
                Kind::And => (t, f),
            }),
            _ => None,
        }
    }

    fn set_link(&mut self, n: NodeId, kind: Kind, to: NodeId) {
        self.nodes.set_target(n, matches!(kind, Kind::And), to);
    }

    /// One pull-up at `b`, if its chain has a test to move.
    fn pull(&mut self, b: NodeId, kind: Kind) -> bool {
        let preds = &self.preds[b as usize];
        let Some(&first) = preds.first() else {
            return false;
        };
        // Every predecessor compares the same value.
        let v = self.val[first as usize];
        if v == NONE || preds.iter().any(|&p| self.val[p as usize] != v) {
            return false;
        }
        // Through a variable, equal values on different paths may differ.
        if self.uses_var[v as usize] && preds.iter().any(|&p| p != first) {
            return false;
        }
        let Some((_, shared)) = self.targets(b, kind) else {
            return false;
        };
        // A chain member: shares the target, and only the chain leads to
        // it (so `b` dominates it).
        let member = |g: &Graph, n: NodeId| {
            g.targets(n, kind).is_some_and(|(_, s)| s == shared)
                && (n == b || g.preds[n as usize].len() == 1)
        };
        // Skip the run of tests on `v` at the top.
        let mut run_end = None;
        let mut diff = b;
        loop {
            if !member(self, diff) {
                return false;
            }
            if self.val[diff as usize] != v {
                break;
            }
            run_end = Some(diff);
            diff = self.targets(diff, kind).unwrap().0;
        }
        // Find the next test on `v`.
        let mut prev = diff;
        let mut same = self.targets(diff, kind).unwrap().0;
        loop {
            if same == b || !member(self, same) {
                return false;
            }
            if self.val[same as usize] == v {
                break;
            }
            prev = same;
            same = self.targets(same, kind).unwrap().0;
        }
        // Unlink it ...
        let after = self.targets(same, kind).unwrap().0;
        self.set_link(prev, kind, after);
        let at = self.preds[after as usize]
            .iter()
            .position(|&p| p == same)
            .unwrap();
        self.preds[after as usize][at] = prev;
        // ... and put it before `diff`.
        self.set_link(same, kind, diff);
        match run_end {
            Some(end) => {
                self.set_link(end, kind, same);
                self.preds[same as usize] = vec![end];
            }
            None => {
                let old = std::mem::take(&mut self.preds[b as usize]);
                for &p in &old {
                    if let Node::Branch { t, f, .. } = *self.nodes.node(p) {
                        if t == b {
                            self.nodes.set_target(p, true, same);
                        }
                        if f == b {
                            self.nodes.set_target(p, false, same);
                        }
                    }
                }
                self.preds[same as usize] = old;
            }
        }
        self.preds[diff as usize] = vec![same];
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{ACCEPT, CmpOp, Cond, REJECT};

    /// `ethertype == 0x800` then an or-chain of `(offset, key)` tests.
    fn chain(tests: &[(u32, u32)]) -> Cfg {
        let mut cfg = Cfg::new();
        let mut next = REJECT;
        for &(off, k) in tests.iter().rev() {
            next = cfg.add(Node::Branch {
                cond: Cond {
                    op: CmpOp::Eq,
                    lhs: Val::load(4, off),
                    rhs: Val::Const(k),
                },
                t: ACCEPT,
                f: next,
            });
        }
        cfg.root = cfg.add(Node::Branch {
            cond: Cond {
                op: CmpOp::Eq,
                lhs: Val::load(2, 12),
                rhs: Val::Const(0x800),
            },
            t: next,
            f: REJECT,
        });
        cfg
    }

    /// The `(offset, key)` tests along the false branches from the root's
    /// true branch.
    fn order(cfg: &Cfg) -> Vec<(u32, u32)> {
        let Node::Branch { t, .. } = cfg.node(cfg.root) else {
            panic!()
        };
        let mut n = *t;
        let mut out = Vec::new();
        while let Node::Branch { cond, f, .. } = cfg.node(n) {
            let (Val::Load { off, .. }, Val::Const(k)) = (&cond.lhs, &cond.rhs) else {
                panic!()
            };
            out.push((*off, *k));
            n = *f;
        }
        out
    }

    #[test]
    fn groups_or_chain_by_value_in_order_of_first_appearance() {
        let mut cfg = chain(&[(26, 1), (30, 1), (26, 2), (30, 2), (26, 3), (30, 3)]);
        pullup(&mut cfg);
        assert_eq!(
            order(&cfg),
            [(26, 1), (26, 2), (26, 3), (30, 1), (30, 2), (30, 3)]
        );
    }

    #[test]
    fn shared_nodes_are_not_moved() {
        // The second `dst` test is also reached from elsewhere: libpcap
        // pulls only tests the chain's head dominates.
        let mut cfg = chain(&[(26, 1), (30, 1), (26, 2)]);
        let Node::Branch { t, .. } = *cfg.node(cfg.root) else {
            panic!()
        };
        let Node::Branch { f: second, .. } = *cfg.node(t) else {
            panic!()
        };
        let Node::Branch { f: third, .. } = *cfg.node(second) else {
            panic!()
        };
        let root = cfg.root;
        cfg.root = cfg.add(Node::Branch {
            cond: Cond {
                op: CmpOp::Gt,
                lhs: Val::Len,
                rhs: Val::Const(60),
            },
            t: root,
            f: third,
        });
        let before = cfg.nodes().to_vec();
        pullup(&mut cfg);
        assert_eq!(cfg.nodes(), before);
    }
}
