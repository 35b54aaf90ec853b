//! Balanced comparison trees for many-way alternatives.
//!
//! `port 21 or port 22 or ... or port 8888` becomes, after threading, a
//! chain of equality tests that all jump to the same place on success:
//! `src == 21, dst == 21, src == 22, dst == 22, ...`.  Testing a value
//! against a sorted set takes log₂(n) comparisons with a binary tree
//! instead of n.
//!
//! Reordering must not change verdicts on truncated packets: a load that
//! falls outside the packet rejects at the point it is made.  So the chain
//! is cut where each distinct value is first loaded; within a piece only
//! that first load can reject, and it stays first, while the rest of the
//! piece becomes one tree per value.  After libpcap's grouping by value
//! (see `pullup`) the pieces are the groups: `port a or ... or port z`
//! tests every source port, in a tree, before it loads the destination.

use crate::ir::{ACCEPT, Cfg, CmpOp, Cond, Node, NodeId, REJECT, Val};

/// Chains (and pieces of chains) no longer than this stay linear.
const MIN_TREE: usize = 8;
/// Leaves with at most this many keys are linear runs of `jeq`.
const LEAF: usize = 3;
/// Not a node (yet): a node outside the chains, or not yet rebuilt.
const NONE: NodeId = NodeId::MAX;

/// One link of a chain: `value == key` (the value borrowed from the
/// graph being rewritten: only the new nodes own a copy).
#[derive(Clone, Copy)]
struct Link<'v> {
    value: &'v Val,
    key: u32,
}

/// A long chain: its links, where it goes on a match, and otherwise.
struct Chain<'v> {
    links: Vec<Link<'v>>,
    t: NodeId,
    f: NodeId,
}

fn eq_const(node: &Node) -> Option<(&Val, u32, NodeId, NodeId)> {
    match node {
        Node::Branch {
            cond:
                Cond {
                    op: CmpOp::Eq,
                    lhs,
                    rhs: Val::Const(k),
                },
            t,
            f,
        } if !lhs.uses_any_var() => Some((lhs, *k, *t, *f)),
        _ => None,
    }
}

/// Rewrites every long equality chain of `cfg` into trees; whether there
/// was one.
///
/// The tables are vectors indexed by node id (ids are dense): hash maps
/// and ordered sets in their place were most of a long list's time here.
pub fn balance(cfg: &mut Cfg) -> bool {
    // A long chain has more than `MIN_TREE` links, so at least that many
    // equality tests whose false way is another one with the same true
    // target: most expressions have fewer, and stop here, before any
    // allocation.
    let nodes = cfg.nodes();
    let linked = nodes
        .iter()
        .filter(|n| {
            eq_const(n).is_some_and(|(_, _, t, f)| {
                eq_const(&nodes[f as usize]).is_some_and(|(_, _, t2, _)| t2 == t)
            })
        })
        .count();
    if linked < MIN_TREE {
        return false;
    }
    let src = &*cfg;
    let len = src.nodes().len();
    // Any topological order finds the same chains (a chain's nodes come
    // in its order in every one) and builds the same graph, numbered
    // apart: the compaction that follows numbers it by its shape.
    let order = src.any_topo_order();
    let mut preds = vec![0u32; len];
    for &n in &order {
        for s in src.node(n).successors() {
            preds[s as usize] += 1;
        }
    }
    // Find chain heads and their links: `chain_at[head]` indexes `chains`.
    let mut chains: Vec<Chain> = Vec::new();
    let mut chain_at = vec![NONE; len];
    let mut inside = vec![false; len];
    let mut members = Vec::new();
    for &n in &order {
        if inside[n as usize] {
            continue;
        }
        let Some((value, key, t, mut f)) = eq_const(src.node(n)) else {
            continue;
        };
        let mut links = vec![Link { value, key }];
        members.clear();
        while preds[f as usize] == 1 {
            match eq_const(src.node(f)) {
                Some((value, key, t2, f2)) if t2 == t => {
                    links.push(Link { value, key });
                    members.push(f);
                    f = f2;
                }
                _ => break,
            }
        }
        if links.len() > MIN_TREE {
            for &m in &members {
                inside[m as usize] = true;
            }
            chain_at[n as usize] = chains.len() as NodeId;
            chains.push(Chain { links, t, f });
        }
    }
    if chains.is_empty() {
        return false;
    }
    // Rebuild bottom-up, replacing chain heads by trees: each tree of n
    // keys has about n / 2 comparisons more than its chain's n tests.
    let links: usize = chains.iter().map(|c| c.links.len()).sum();
    let mut out = Cfg::with_capacity(len + links / 2);
    out.vars = src.vars;
    let mut map = vec![NONE; len];
    map[ACCEPT as usize] = ACCEPT;
    map[REJECT as usize] = REJECT;
    for &n in order.iter().rev() {
        // A chain's tests after its head are reached only through the
        // chain, which its tree replaces: rebuilt, they would only be
        // dropped by the compaction that follows.
        if map[n as usize] != NONE || inside[n as usize] {
            continue;
        }
        let new = match chains.get(chain_at[n as usize] as usize) {
            Some(c) => build_chain(&mut out, &c.links, map[c.t as usize], map[c.f as usize]),
            None => match src.node(n).clone() {
                Node::Branch { cond, t, f } => out.add(Node::Branch {
                    cond,
                    t: map[t as usize],
                    f: map[f as usize],
                }),
                Node::Assign { var, val, next } => out.add(Node::Assign {
                    var,
                    val,
                    next: map[next as usize],
                }),
                Node::Accept | Node::Reject => unreachable!(),
            },
        };
        map[n as usize] = new;
    }
    out.root = map[src.root as usize];
    *cfg = out;
    true
}

/// The chain cut where each value is first tested; each piece that is
/// long enough becomes one tree per value, the new value's first.
///
/// Within a piece, every value but the one it starts with has been read
/// already, so only that first value's load can reject the packet, and it
/// still comes first; the tests after it are alternatives that can be
/// made in any order.
fn build_chain(out: &mut Cfg, links: &[Link], t: NodeId, f: NodeId) -> NodeId {
    // Values in order of first appearance, where each first appears, and
    // each link's value by its place there (compared as numbers below,
    // not as values: after the pull-up a link's value is mostly the one
    // before's).
    let mut values: Vec<&Val> = Vec::new();
    let mut starts = Vec::new();
    let mut ids = Vec::with_capacity(links.len());
    let mut last = 0;
    for (i, l) in links.iter().enumerate() {
        if values.get(last) != Some(&l.value) {
            last = match values.iter().position(|&v| v == l.value) {
                Some(id) => id,
                None => {
                    values.push(l.value);
                    starts.push(i);
                    values.len() - 1
                }
            };
        }
        ids.push(last);
    }
    let mut next = f;
    for j in (0..starts.len()).rev() {
        let end = starts.get(j + 1).copied().unwrap_or(links.len());
        let (before, piece) = (starts[j], starts[j]..end);
        if piece.len() <= MIN_TREE {
            next = linear(out, links[piece].iter().copied(), t, next);
            continue;
        }
        // The piece's own value first, then the older ones; keys tested
        // before the piece are known not to match by the time it runs.
        let order = std::iter::once(j).chain(0..j);
        let trees: Vec<(&Val, Vec<u32>)> = order
            .map(|v| {
                let mut keys = keys_of(links, &ids, piece.clone(), v);
                // (Most older values have no keys here: after the pull-up
                // each value's tests are together.)
                if !keys.is_empty() {
                    let tested = keys_of(links, &ids, 0..before, v);
                    keys.dedup();
                    keys.retain(|k| tested.binary_search(k).is_err());
                }
                (values[v], keys)
            })
            .collect();
        for (v, keys) in trees.iter().rev() {
            next = tree(out, v, keys, t, next);
        }
    }
    next
}

/// The keys the links in `range` compare value `id` with (`ids` has
/// each link's), sorted (duplicates kept).
fn keys_of(links: &[Link], ids: &[usize], range: std::ops::Range<usize>, id: usize) -> Vec<u32> {
    let mut keys: Vec<u32> = range
        .filter(|&i| ids[i] == id)
        .map(|i| links[i].key)
        .collect();
    keys.sort_unstable();
    keys
}

/// `value == k1 → t, else value == k2 → t, ... else f`, in order.
fn linear<'v>(
    out: &mut Cfg,
    links: impl DoubleEndedIterator<Item = Link<'v>>,
    t: NodeId,
    f: NodeId,
) -> NodeId {
    links.rev().fold(f, |next, l| {
        out.add(Node::Branch {
            cond: Cond {
                op: CmpOp::Eq,
                lhs: l.value.clone(),
                rhs: Val::Const(l.key),
            },
            t,
            f: next,
        })
    })
}

/// A binary search for `value` in the sorted `keys`.
fn tree(out: &mut Cfg, value: &Val, keys: &[u32], t: NodeId, f: NodeId) -> NodeId {
    if keys.len() <= LEAF {
        let links = keys.iter().map(|&key| Link { value, key });
        return linear(out, links, t, f);
    }
    let mid = (keys.len() - 1) / 2;
    let hi = tree(out, value, &keys[mid + 1..], t, f);
    let lo = tree(out, value, &keys[..=mid], t, f);
    out.add(Node::Branch {
        cond: Cond {
            op: CmpOp::Gt,
            lhs: value.clone(),
            rhs: Val::Const(keys[mid]),
        },
        t: hi,
        f: lo,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(keys: &[u32]) -> Cfg {
        let mut cfg = Cfg::new();
        let mut next = REJECT;
        for &k in keys.iter().rev() {
            next = cfg.add(Node::Branch {
                cond: Cond {
                    op: CmpOp::Eq,
                    lhs: Val::load(2, 20),
                    rhs: Val::Const(k),
                },
                t: ACCEPT,
                f: next,
            });
        }
        cfg.root = next;
        cfg
    }

    fn eval(cfg: &Cfg, v: u32) -> (bool, usize) {
        let mut n = cfg.root;
        let mut steps = 0;
        loop {
            match cfg.node(n) {
                Node::Accept => return (true, steps),
                Node::Reject => return (false, steps),
                Node::Branch { cond, t, f } => {
                    let Val::Const(k) = cond.rhs else { panic!() };
                    steps += 1;
                    n = if cond.op.eval(v, k) { *t } else { *f };
                }
                Node::Assign { next, .. } => n = *next,
            }
        }
    }

    #[test]
    fn long_chain_becomes_a_tree_with_same_answers() {
        let keys: Vec<u32> = (0..40).map(|i| i * 7 + 3).collect();
        let mut cfg = chain(&keys);
        balance(&mut cfg);
        for v in 0..300 {
            let (hit, steps) = eval(&cfg, v);
            assert_eq!(hit, keys.contains(&v), "value {v}");
            assert!(steps <= 10, "value {v} took {steps} tests");
        }
    }

    #[test]
    fn short_chain_stays_linear() {
        let mut cfg = chain(&[1, 2, 3]);
        let before = cfg.nodes().len();
        balance(&mut cfg);
        assert_eq!(cfg.nodes().len(), before);
    }
}
