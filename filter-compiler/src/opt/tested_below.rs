//! Which tested values a fact can still matter for, below each node.
//!
//! The threader keys its memo on a node and the facts that can matter in
//! the node's subgraph: facts about values tested there.  A fact about a
//! value comes from a test before the node, so only values tested both
//! before the node (in topological order) and in its subgraph can be
//! asked about.  Keeping just those, as a sorted list per node shared with
//! a successor whenever it is the same, takes space in proportion to the
//! nodes for the long alternatives of real filters (`port a or port b or
//! ...` tests a handful of values, and most values of an `ether[k] = ...`
//! list are tested once) — a bit set of all values for every node grew
//! with the square of the expression (16,000 ports took 4.6 GB).
//!
//! Values live across many nodes at once (the same long list of different
//! fields tested twice, far apart) still grow as a square; past a budget
//! in proportion to the nodes this ends in an "expression too complex"
//! error instead of exhausting memory.

use crate::error::{Error, ErrorKind, Result};
use crate::ir::{Cfg, NodeId};

/// Average number of values per node the lists may hold ...
const PER_NODE: usize = 32;
/// ... and in total at least this many, so that small expressions, where
/// the square is small, never hit the budget.
const FLOOR: usize = 1 << 22;

/// For each node: the ids of the values tested in its subgraph (itself
/// included) and also before it in topological order.
pub(super) struct TestedBelow {
    /// Per node, the range of `ids` holding its sorted list.
    lists: Vec<(u32, u32)>,
    ids: Vec<u32>,
    /// Per node, the values below [`SMALL`] of its list as bits: the
    /// threader asks about every fact at every node it visits, and most
    /// filters test fewer values than that, so most answers take one
    /// load instead of a binary search.
    small: Vec<u64>,
}

/// Values with ids below this are also kept in [`TestedBelow::small`].
const SMALL: u32 = 64;

/// The bits of the values below [`SMALL`] in a sorted list.
fn small_bits(list: &[u32]) -> u64 {
    list.iter()
        .take_while(|&&v| v < SMALL)
        .fold(0, |bits, &v| bits | 1 << v)
}

impl TestedBelow {
    /// Computes the lists for the nodes of `cfg` in `order` (topological,
    /// from the root); `value(n)` is the id of the value branch `n` tests,
    /// `None` for other nodes.
    pub(super) fn new(
        cfg: &Cfg,
        order: &[NodeId],
        value: impl Fn(NodeId) -> Option<u32>,
    ) -> Result<TestedBelow> {
        // Topological position of the first test of each value (room for
        // the values of most filters at once).
        let mut first: Vec<u32> = Vec::with_capacity(SMALL as usize);
        for (i, &n) in order.iter().enumerate() {
            if let Some(v) = value(n) {
                let v = v as usize;
                if v >= first.len() {
                    first.resize(v + 1, u32::MAX);
                }
                first[v] = first[v].min(i as u32);
            }
        }
        let mut below = TestedBelow {
            lists: Vec::new(),
            ids: Vec::new(),
            small: vec![0; cfg.nodes().len()],
        };
        if first.len() <= SMALL as usize {
            below.fill_small(cfg, order, &first, value);
            return Ok(below);
        }
        below.lists = vec![(0, 0); cfg.nodes().len()];
        let mut pos = vec![u32::MAX; cfg.nodes().len()];
        for (i, &n) in order.iter().enumerate() {
            pos[n as usize] = i as u32;
        }
        let budget = (PER_NODE * order.len()).max(FLOOR);
        let mut merged = Vec::new();
        for &n in order.iter().rev() {
            let here = pos[n as usize];
            let asked = |v: u32| first[v as usize] < here;
            let mut succ = cfg.node(n).successors();
            let succ = [succ.next(), succ.next()];
            merged.clear();
            match succ {
                [Some(t), Some(f)] => merge(below.get(t), below.get(f), &asked, &mut merged),
                [Some(s), None] => {
                    merged.extend(below.get(s).iter().copied().filter(|&v| asked(v)))
                }
                _ => {}
            }
            if let Some(v) = value(n).filter(|&v| asked(v))
                && let Err(at) = merged.binary_search(&v)
            {
                merged.insert(at, v);
            }
            // Share a successor's list when it is the same one.
            let list = match succ.into_iter().flatten().find(|&s| below.get(s) == merged) {
                Some(s) => {
                    below.small[n as usize] = below.small[s as usize];
                    below.lists[s as usize]
                }
                None => {
                    below.small[n as usize] = small_bits(&merged);
                    let start = below.ids.len() as u32;
                    below.ids.extend_from_slice(&merged);
                    if below.ids.len() > budget {
                        return Err(Error::new(
                            ErrorKind::TooComplex,
                            0..0,
                            "expression too complex: too many different values are tested \
                             across too many alternatives to optimize it",
                        ));
                    }
                    (start, below.ids.len() as u32)
                }
            };
            below.lists[n as usize] = list;
        }
        Ok(below)
    }

    /// [`TestedBelow::new`] where every value id is below [`SMALL`] (most
    /// filters): the bits alone answer, so no lists are merged or kept.
    fn fill_small(
        &mut self,
        cfg: &Cfg,
        order: &[NodeId],
        first: &[u32],
        value: impl Fn(NodeId) -> Option<u32>,
    ) {
        // The values first tested at `n` or after it, as the walk back
        // meets their first tests (one mask, not a look at each value).
        let mut later = 0u64;
        for (here, &n) in order.iter().enumerate().rev() {
            let mut bits = cfg
                .node(n)
                .successors()
                .fold(0, |bits, s| bits | self.small[s as usize]);
            if let Some(v) = value(n) {
                bits |= 1 << v;
                if first[v as usize] == here as u32 {
                    later |= 1 << v;
                }
            }
            // Keep the values also tested before `n`.
            self.small[n as usize] = bits & !later;
        }
    }

    /// The list of `n` (empty where only the bits are kept).
    fn get(&self, n: NodeId) -> &[u32] {
        match self.lists.get(n as usize) {
            Some(&(start, end)) => &self.ids[start as usize..end as usize],
            None => &[],
        }
    }

    /// Whether value `v`, tested before `n`, is tested again in `n`'s
    /// subgraph.
    #[inline]
    pub(super) fn contains(&self, n: NodeId, v: u32) -> bool {
        if v < SMALL {
            return self.small[n as usize] >> v & 1 != 0;
        }
        self.get(n).binary_search(&v).is_ok()
    }

    /// Whether every value of `n`'s list is in `m`'s too (where that
    /// is quick to tell; `false` otherwise).
    #[inline]
    pub(super) fn keeps(&self, n: NodeId, m: NodeId) -> bool {
        self.small[n as usize] & !self.small[m as usize] == 0
            && match self.lists.get(n as usize) {
                None => true,
                Some(&(start, end)) => start == end || (start, end) == self.lists[m as usize],
            }
    }

    /// The values below 64 of `n`'s list, as bits (bit `v` for value
    /// `v`): all of them where every value id is below 64.
    #[inline]
    pub(super) fn bits(&self, n: NodeId) -> u64 {
        self.small[n as usize]
    }

    /// Number of value ids stored in all lists together.
    #[cfg(test)]
    pub(super) fn stored(&self) -> usize {
        self.ids.len()
    }
}

/// Merges the sorted lists `a` and `b` into `out`, keeping the values
/// `keep` accepts, each once.
fn merge(a: &[u32], b: &[u32], keep: &impl Fn(u32) -> bool, out: &mut Vec<u32>) {
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        let v = match (a.get(i), b.get(j)) {
            (Some(&x), Some(&y)) if x == y => {
                i += 1;
                j += 1;
                x
            }
            (Some(&x), Some(&y)) if x < y => {
                i += 1;
                x
            }
            (Some(&x), None) => {
                i += 1;
                x
            }
            (_, Some(&y)) => {
                j += 1;
                y
            }
            (None, None) => unreachable!("loop condition"),
        };
        if keep(v) {
            out.push(v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{ACCEPT, CmpOp, Cond, Node, REJECT, Val};

    fn branch(cfg: &mut Cfg, off: u32, t: NodeId, f: NodeId) -> NodeId {
        cfg.add(Node::Branch {
            cond: Cond {
                op: CmpOp::Eq,
                lhs: Val::load(1, off),
                rhs: Val::Const(1),
            },
            t,
            f,
        })
    }

    /// Builds `cfg` and its lists, the value of a branch being the offset
    /// it loads.
    fn lists(cfg: &Cfg) -> Result<TestedBelow> {
        TestedBelow::new(cfg, &cfg.topo_order(), |n| match cfg.node(n) {
            Node::Branch { cond, .. } => match cond.lhs {
                Val::Load { off, .. } => Some(off),
                _ => None,
            },
            _ => None,
        })
    }

    /// With value ids below [`SMALL`] (bits only) and above (lists).
    #[test]
    fn values_tested_before_and_below() {
        // 0 → 1 → 0 → 2: value 0 is asked about at the second test of it,
        // value 1 and 2 never again.
        for (base, stored) in [(0, 0), (SMALL, 1)] {
            let mut cfg = Cfg::new();
            let c = branch(&mut cfg, base + 2, ACCEPT, REJECT);
            let b = branch(&mut cfg, base, c, REJECT);
            let a = branch(&mut cfg, base + 1, b, REJECT);
            cfg.root = branch(&mut cfg, base, a, REJECT);
            let below = lists(&cfg).unwrap();
            assert!(!below.contains(cfg.root, base), "nothing is tested before");
            assert!(below.contains(a, base) && below.contains(b, base));
            assert!(!below.contains(a, base + 1) && !below.contains(c, base));
            assert_eq!(below.stored(), stored, "lists: one, shared by a and b");
        }
    }

    /// `ether[0] = 1 or ether[1] = 1 or ...`: every value tested once, so
    /// nothing is stored however long the chain.
    #[test]
    fn values_tested_once_take_no_space() {
        let mut cfg = Cfg::new();
        let mut next = REJECT;
        for off in 0..50_000 {
            next = branch(&mut cfg, off, ACCEPT, next);
        }
        cfg.root = next;
        assert_eq!(lists(&cfg).unwrap().stored(), 0);
    }

    /// The same 3,000 values tested in a row twice: each node of the
    /// second run may be asked about the rest of them, a square that
    /// ends in an error, not in exhausted memory.
    #[test]
    fn a_square_of_live_values_is_refused() {
        let mut cfg = Cfg::new();
        let mut next = ACCEPT;
        for _ in 0..2 {
            for off in 0..3_000 {
                next = branch(&mut cfg, off, next, REJECT);
            }
        }
        cfg.root = next;
        let e = lists(&cfg).err().unwrap();
        assert_eq!(e.kind, ErrorKind::TooComplex);
        assert!(e.message.starts_with("expression too complex"));
    }
}
