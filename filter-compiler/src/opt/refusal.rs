//! What libpcap's optimizer refuses a filter for: "expression rejects all
//! packets", and the division or modulus by zero (or shift past 31 bits)
//! it finds folding constants.
//!
//! libpcap reports "rejects all" when *its* optimizer reduces the program
//! to `ret #0`. Our optimizer proves more (ranges, path-sensitive facts,
//! loads beyond any packet), so its verdict cannot decide the error:
//! `len < 0` or `tcp and udp` on DLT_NULL compile fine with libpcap. This
//! module replays what libpcap's optimizer (`bpf_optimize`) is capable of,
//! in its two loops of passes:
//!
//! 1. `opt_loop(.., 0)` numbers values *without changing a statement*:
//!    arithmetic is never folded there, so the only constants are the
//!    numbers the code loads (`1 + 1 = 2` is not decided, `2 = 2` is).
//!    Its jump threading is replayed by the `dominated` module, with the
//!    facts of the edges dominating each edge, used only for identical
//!    tests and for equality with another constant; a load through an
//!    index, `proto[k]`, is kept apart from a load of the same bytes at a
//!    fixed offset, as libpcap's value numbering has them (`vlan and
//!    ether[12:2] = 0x800` compiles there), and a test of masked bits
//!    against zero is the `jset` its peephole makes of it, which it cannot
//!    relate to a test of the same bits against another value (`mpls 1
//!    and ip and mpls` compiles: the second label's bottom-of-stack test
//!    is a `jset`, `ip`'s a `jeq`). A program whose accept it makes
//!    unreachable collapses there, up to the first block.
//! 2. `opt_loop(.., 1)` folds constants in statements (`1 + 1`, `0 * X`,
//!    `X & 0`) and points both ways of a test so decided at the way it
//!    takes, but moves no jump; `opt_root` then skips the first blocks
//!    whose two ways agree. So a test decided only here refuses the filter
//!    only when every test before it is skipped too: `(ether[0] & 0) = 1`
//!    is refused, `ip and (ether[0] & 0) = 1` compiles to a program whose
//!    paths all reject. This loop is also where a divisor or shift that
//!    folds to a bad constant is reported, in the blocks it still visits.

use rustc_hash::FxHashMap as HashMap;

use crate::ast::ArithOp;
use crate::error::Error;
use crate::ir::{ACCEPT, Cfg, CmpOp, Cond, Node, NodeId, REJECT, Val, VarId};

use super::dominated::{AllPaths, Known, Logic, on_all_paths, thread_jumps};
use super::fold;

/// Graphs larger than this are not analysed; the optimizer's verdict
/// stands (libpcap proves the same on large, regular filters).
const MAX_NODES: usize = 20_000;

/// Nor are graphs whose lists of facts could hold more entries than this
/// all together (nodes × the longest path, which bounds each list): in a
/// long chain of conjunctions every test knows every test above it, a
/// square of the expression (1,000 × `tcp dst port N and src net
/// 10.0.0.0/16` took 820 MB).
const MAX_FACTS: usize = 2_000_000;

/// The number of edges on the longest path from the root of `cfg`.
fn longest_path(cfg: &Cfg) -> usize {
    let mut depth = vec![0usize; cfg.nodes().len()];
    let mut longest = 0;
    for n in cfg.topo_order() {
        let d = depth[n as usize];
        longest = longest.max(d);
        for s in cfg.node(n).successors() {
            depth[s as usize] = depth[s as usize].max(d + 1);
        }
    }
    longest
}

/// libpcap's optimizer replayed on a lowered (unoptimized) graph: the
/// graph after its first loop, and which nodes that loop still reaches.
pub struct Replay {
    threaded: Cfg,
    known: AllPaths<Test>,
}

impl Replay {
    /// Replays libpcap's first loop on `cfg`; `None` for graphs too large
    /// to analyse.
    pub fn new(cfg: &Cfg) -> Option<Replay> {
        if cfg.nodes().len() > MAX_NODES
            || cfg.nodes().len().saturating_mul(longest_path(cfg) + 1) > MAX_FACTS
        {
            return None;
        }
        let mut threaded = cfg.clone();
        thread_jumps(&mut threaded, &ValueNumbers);
        let known = on_all_paths(&threaded, &threaded.topo_order(), &ValueNumbers, true);
        Some(Replay { threaded, known })
    }

    /// Whether libpcap's optimizer would reduce the program to `ret #0`.
    pub fn rejects_all(&self) -> bool {
        !self.known.reached(ACCEPT) || self.first_blocks_reject()
    }

    /// The first of `errors` (a value, and what libpcap says folding it)
    /// whose value libpcap's second loop folds: one in a block that the
    /// first loop left in the program.
    pub fn folding_error(&self, errors: &[(Val, Error)]) -> Option<Error> {
        let live = self.leads_to_accept();
        let cfg = &self.threaded;
        cfg.topo_order()
            .into_iter()
            .filter(|&n| n == cfg.root || (live[n as usize] && self.known.reached(n)))
            .find_map(|n| {
                let vals: Vec<&Val> = match cfg.node(n) {
                    Node::Branch { cond, .. } => vec![&cond.lhs, &cond.rhs],
                    Node::Assign { val, .. } => vec![val],
                    Node::Accept | Node::Reject => Vec::new(),
                };
                errors
                    .iter()
                    .find(|(bad, _)| vals.iter().any(|v| contains(v, bad)))
                    .map(|(_, e)| e.clone())
            })
    }

    /// For each node, whether accept can be reached from it: the others
    /// libpcap's first loop collapses (both ways of a block that leads
    /// only to `ret #0` end there, and its edges move past it).
    fn leads_to_accept(&self) -> Vec<bool> {
        let cfg = &self.threaded;
        let mut live = vec![false; cfg.nodes().len()];
        live[ACCEPT as usize] = true;
        for n in cfg.topo_order().into_iter().rev() {
            if cfg.node(n).successors().any(|s| live[s as usize]) {
                live[n as usize] = true;
            }
        }
        live
    }

    /// libpcap's second loop, `intern_blocks` and `opt_root`: tests whose
    /// folded constants decide them lead both ways to the way they take,
    /// equal blocks are merged, and the program starts at the first block
    /// whose two ways differ; whether that is `ret #0`.
    fn first_blocks_reject(&self) -> bool {
        let cfg = &self.threaded;
        // Each node's ways once decided tests point both at the one they
        // take, with equal nodes merged (by their first id, bottom-up).
        let mut ways: Vec<(NodeId, NodeId)> = cfg
            .nodes()
            .iter()
            .enumerate()
            .map(|(n, _)| (n as NodeId, n as NodeId))
            .collect();
        let mut canon: Vec<NodeId> = (0..cfg.nodes().len() as NodeId).collect();
        let mut interned: HashMap<Node, NodeId> = HashMap::default();
        for n in cfg.topo_order().into_iter().rev() {
            let merged = match cfg.node(n) {
                Node::Accept | Node::Reject => continue,
                Node::Branch { cond, t, f } => {
                    let (t, f) = match folded_outcome(cond) {
                        Some(b) => {
                            let to = canon[if b { *t } else { *f } as usize];
                            (to, to)
                        }
                        None => (canon[*t as usize], canon[*f as usize]),
                    };
                    ways[n as usize] = (t, f);
                    Node::Branch {
                        cond: cond.clone(),
                        t,
                        f,
                    }
                }
                Node::Assign { var, val, next } => {
                    let next = canon[*next as usize];
                    ways[n as usize] = (next, next);
                    Node::Assign {
                        var: *var,
                        val: val.clone(),
                        next,
                    }
                }
            };
            canon[n as usize] = *interned.entry(merged).or_insert(n);
        }
        let mut n = canon[cfg.root as usize];
        while !matches!(cfg.node(n), Node::Accept | Node::Reject) {
            let (t, f) = ways[n as usize];
            if t != f {
                return false;
            }
            n = t;
        }
        n == REJECT
    }
}

/// The outcome of `cond` once libpcap's second loop has folded its
/// constants (`0 * X` and `X & 0` included), if that decides it.
fn folded_outcome(cond: &Cond) -> Option<bool> {
    match (fold(&cond.lhs, false, true), fold(&cond.rhs, false, true)) {
        (Val::Const(a), Val::Const(b)) => Some(cond.op.eval(a, b)),
        _ => None,
    }
}

/// Whether `v` is or has `part` among its operands.
fn contains(v: &Val, part: &Val) -> bool {
    v == part
        || match v {
            Val::Alu(_, a, b) => contains(a, part) || contains(b, part),
            Val::Neg(a) => contains(a, part),
            Val::Load { index: Some(i), .. } => contains(i, part),
            _ => false,
        }
}

/// A test as libpcap's first loop sees it: `reversed` when its peephole
/// turned `and #k; jeq #0` into `jset #k` with the ways swapped (`cond`
/// is then the `jset`).
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Test {
    cond: Cond,
    reversed: bool,
}

impl Test {
    /// Whether the test held, given the way its branch went (or the way
    /// its branch goes, given whether it holds).
    fn held(&self, way: bool) -> bool {
        way != self.reversed
    }
}

/// Conditions as libpcap's first loop of value numbering sees them:
/// nothing folded, a load through an index kept apart from a load of the
/// same bytes at a fixed offset; decided as `fold_edge` decides them.
struct ValueNumbers;

impl Logic for ValueNumbers {
    type C = Test;

    fn cond(&self, _n: NodeId, cond: &Cond) -> Test {
        if let Cond {
            op: CmpOp::Eq,
            lhs: Val::Alu(ArithOp::And, v, mask),
            rhs: Val::Const(0),
        } = cond
            && let Val::Const(_) = **mask
            && generated_load(v)
        {
            return Test {
                cond: Cond {
                    op: CmpOp::Set,
                    lhs: (**v).clone(),
                    rhs: (**mask).clone(),
                },
                reversed: true,
            };
        }
        Test {
            cond: cond.clone(),
            reversed: false,
        }
    }

    fn decide(&self, known: &[Known<Test>], t: &Test) -> Option<bool> {
        decide(known, &t.cond).map(|holds| t.held(holds))
    }

    fn holds(&self, _n: NodeId, var: VarId, val: &Val) -> (Test, bool) {
        let keep = !val.uses_var(var);
        let holds = Test {
            cond: Cond {
                op: CmpOp::Eq,
                lhs: Val::Var(var),
                rhs: val.clone(),
            },
            reversed: false,
        };
        (holds, keep)
    }

    fn mentions(&self, t: &Test, var: VarId) -> bool {
        t.cond.lhs.uses_var(var) || t.cond.rhs.uses_var(var)
    }
}

/// [`decided_below_root`](super::dominated::decided_below_root) on `cfg`
/// as [`Replay::new`] asks it: threaded first.
#[cfg(test)]
pub(super) fn decided_below_root(cfg: &Cfg) -> (usize, usize) {
    let mut threaded = cfg.clone();
    thread_jumps(&mut threaded, &ValueNumbers);
    super::dominated::decided_below_root(&threaded, &ValueNumbers)
}

/// Whether `v` is a load libpcap's code generator makes for a protocol
/// test (at a fixed offset, or one a variable holds), masked with `and
/// #k`; a load the expression asks for (`ether[0] & 1 = 0`) is indexed by
/// the expression's own arithmetic and masked with `and x`, which the
/// first loop leaves as it is.
fn generated_load(v: &Val) -> bool {
    match v {
        Val::Load { index, .. } => matches!(index.as_deref(), None | Some(Val::Var(_))),
        _ => false,
    }
}

/// libpcap's `fold_edge`: the same test has the same outcome, and a value
/// known equal to one constant is not equal to another. The outcome is
/// whether `c` holds.
fn decide(facts: &[Known<Test>], c: &Cond) -> Option<bool> {
    if let (Val::Const(a), Val::Const(b)) = (&c.lhs, &c.rhs) {
        return Some(c.op.eval(*a, *b));
    }
    facts.iter().find_map(|(_, f, way)| {
        let held = f.held(*way);
        let f = &f.cond;
        if f == c {
            Some(held)
        } else if held && f.op == CmpOp::Eq && c.op == CmpOp::Eq && f.lhs == c.lhs {
            matches!((&f.rhs, &c.rhs), (Val::Const(x), Val::Const(y)) if x != y).then_some(false)
        } else {
            None
        }
    })
}
