//! The threader's new graph while it grows: nodes named by interned
//! conditions.
//!
//! Every condition the threader emits is interned (see `facts`), so two
//! branches are equal exactly when they test the same condition id and
//! go to the same places, and two assignments when they make a variable
//! hold the same value (the same "holds" condition) and go on to the
//! same place. Hash-consing on those ids instead of on whole nodes, as
//! [`Cfg::add`] does, neither hashes nor compares value trees, and no
//! condition is copied until the graph is done ([`Rebuilt::finish`]),
//! once per node at most.

use rustc_hash::FxHashMap as HashMap;

use super::facts::{CondId, Conds};
use crate::ir::{ACCEPT, Cfg, Node, NodeId, REJECT, Val};

/// A node of the new graph, by its condition's id.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Shape {
    /// Accept or reject (ids [`ACCEPT`] and [`REJECT`] only).
    Verdict,
    /// A test of condition `c`: to `t` when it holds, else to `f`.
    Branch { c: CondId, t: NodeId, f: NodeId },
    /// An assignment: `holds` is the interned "variable == value".
    Assign { holds: CondId, next: NodeId },
}

/// The graph being built, hash-consed as [`Cfg::add`] would: the same
/// nodes, with the same ids.
pub(super) struct Rebuilt {
    nodes: Vec<Shape>,
    index: HashMap<Shape, NodeId>,
}

impl Rebuilt {
    /// Room for `n` nodes.
    pub(super) fn with_capacity(n: usize) -> Rebuilt {
        let mut nodes = Vec::with_capacity(n.max(2));
        nodes.extend([Shape::Verdict, Shape::Verdict]);
        Rebuilt {
            nodes,
            index: HashMap::with_capacity_and_hasher(n, Default::default()),
        }
    }

    /// How many nodes there are (ids are below).
    pub(super) fn len(&self) -> usize {
        self.nodes.len()
    }

    fn add(&mut self, conds: &mut Conds, shape: Shape) -> NodeId {
        let next = self.nodes.len() as NodeId;
        let id = *self.index.entry(shape).or_insert(next);
        if id == next {
            self.nodes.push(shape);
            match shape {
                Shape::Branch { c, .. } | Shape::Assign { holds: c, .. } => conds.count_use(c),
                Shape::Verdict => {}
            }
        }
        id
    }

    /// The branch on condition `c`, as [`Cfg::add`] makes it: none where
    /// it [decides nothing](crate::ir::Cond::decides_nothing).
    pub(super) fn branch(&mut self, conds: &mut Conds, c: CondId, t: NodeId, f: NodeId) -> NodeId {
        if conds.get(c).decides_nothing(t, f) {
            return t;
        }
        self.add(conds, Shape::Branch { c, t, f })
    }

    /// The assignment that makes a variable hold what `holds` says it
    /// does (interned `Var(v) == value`), then goes on to `next`.
    pub(super) fn assign(&mut self, conds: &mut Conds, holds: CondId, next: NodeId) -> NodeId {
        self.add(conds, Shape::Assign { holds, next })
    }

    /// The finished graph, rooted at `root`, with `vars` variables: each
    /// condition moved into the last node that tests it, copied into the
    /// others. Its nodes are distinct, so it is left to be hash-consed
    /// again only if a pass adds to it.
    pub(super) fn finish(self, mut conds: Conds, root: NodeId, vars: u8) -> Cfg {
        let nodes = self
            .nodes
            .iter()
            .enumerate()
            .map(|(id, shape)| match *shape {
                Shape::Verdict if id as NodeId == ACCEPT => Node::Accept,
                Shape::Verdict => {
                    debug_assert_eq!(id as NodeId, REJECT);
                    Node::Reject
                }
                Shape::Branch { c, t, f } => Node::Branch {
                    cond: conds.take(c),
                    t,
                    f,
                },
                Shape::Assign { holds, next } => {
                    let cond = conds.take(holds);
                    let Val::Var(var) = cond.lhs else {
                        unreachable!("an assignment's condition is on its variable")
                    };
                    Node::Assign {
                        var,
                        val: cond.rhs,
                        next,
                    }
                }
            })
            .collect();
        Cfg::from_distinct(nodes, root, vars)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::CmpOp;
    use std::borrow::Cow;

    /// The same additions give the same graph, ids included, as
    /// [`Cfg::add`]: equal nodes shared, a branch whose ways agree kept
    /// only if it reads the packet, conditions tested twice copied.
    #[test]
    fn builds_what_cfg_add_builds() {
        let mut conds = Conds::default();
        let mut intern = |op, lhs, rhs| conds.intern(op, Cow::Owned(lhs), Cow::Owned(rhs));
        let eth = intern(CmpOp::Eq, Val::load(2, 12), Val::Const(0x800));
        let len = intern(CmpOp::Gt, Val::Len, Val::Const(60));
        let holds = intern(CmpOp::Eq, Val::Var(0), Val::IpHdrLen(14));
        let mut cfg = Cfg::new();
        let mut rebuilt = Rebuilt::with_capacity(4);
        let mut both = |cfg: &mut Cfg, r: &mut Rebuilt, c: CondId, t, f, assign: bool| {
            let cond = conds.get(c).clone();
            let (id, want) = if assign {
                let Val::Var(var) = cond.lhs else { panic!() };
                let next = t;
                (
                    r.assign(&mut conds, c, next),
                    cfg.add(Node::Assign {
                        var,
                        val: cond.rhs,
                        next,
                    }),
                )
            } else {
                (
                    r.branch(&mut conds, c, t, f),
                    cfg.add(Node::Branch { cond, t, f }),
                )
            };
            assert_eq!(id, want);
            id
        };
        let a = both(&mut cfg, &mut rebuilt, eth, ACCEPT, REJECT, false);
        let b = both(&mut cfg, &mut rebuilt, len, a, REJECT, false);
        assert_eq!(both(&mut cfg, &mut rebuilt, eth, ACCEPT, REJECT, false), a);
        assert_eq!(both(&mut cfg, &mut rebuilt, len, b, b, false), b);
        let c = both(&mut cfg, &mut rebuilt, eth, b, b, false);
        assert_ne!(c, b);
        let d = both(&mut cfg, &mut rebuilt, holds, c, c, true);
        let e = both(&mut cfg, &mut rebuilt, eth, d, a, false);
        let built = rebuilt.finish(conds, e, 1);
        assert_eq!(built.nodes(), cfg.nodes());
        assert_eq!((built.root(), built.vars()), (e, 1));
    }
}
