//! Whether libpcap would refuse an expression with "expression rejects all
//! packets".
//!
//! libpcap reports that error when *its* optimizer reduces the program to
//! `ret #0`. Our optimizer proves more (ranges, path-sensitive facts,
//! loads beyond any packet), so its verdict cannot decide the error:
//! `len < 0` or `tcp and udp` on DLT_NULL compile fine with libpcap. This
//! module replays the reasoning libpcap's optimizer is capable of — jump
//! threading along each edge with the facts of the edges dominating it
//! (a load through an index, `proto[k]`, kept apart from a load of the
//! same bytes at a fixed offset, as libpcap's value numbering has them —
//! `vlan and ether[12:2] = 0x800` compiles there),
//! used only for identical tests and for equality with another constant,
//! plus constant folding — and says whether "accept" is still reachable.

use crate::ir::{Cfg, CmpOp, Cond, Node, NodeId, Val};

/// A test's outcome known on an edge: the test (its node, for tests; none
/// for what a variable holds, which libpcap's value numbering knows
/// whatever the path), its condition and the outcome.
type Fact = (Option<NodeId>, Cond, bool);

use super::fold;

/// Graphs larger than this are not analysed; the optimizer's verdict
/// stands (libpcap proves the same on large, regular filters).
const MAX_NODES: usize = 20_000;

/// Whether libpcap's optimizer would find that `cfg` rejects everything.
pub fn rejects_all(cfg: &Cfg) -> bool {
    if cfg.nodes().len() > MAX_NODES {
        return true;
    }
    // Facts holding on every path into each node (None: not reached).
    let mut facts: Vec<Option<Vec<Fact>>> = vec![None; cfg.nodes().len()];
    facts[cfg.root as usize] = Some(Vec::new());
    for n in cfg.topo_order() {
        let Some(here) = facts[n as usize].take() else {
            continue;
        };
        match cfg.node(n) {
            Node::Accept => return false,
            Node::Reject => {}
            Node::Branch { cond, t, f } => {
                let cond = Cond {
                    op: cond.op,
                    lhs: fold(&cond.lhs, false, true),
                    rhs: fold(&cond.rhs, false, true),
                };
                match decide(&here, &cond) {
                    Some(true) => forward(cfg, &mut facts, *t, here),
                    Some(false) => forward(cfg, &mut facts, *f, here),
                    None => {
                        let mut yes = here.clone();
                        yes.push((Some(n), cond.clone(), true));
                        let mut no = here;
                        no.push((Some(n), cond, false));
                        forward(cfg, &mut facts, *t, yes);
                        forward(cfg, &mut facts, *f, no);
                    }
                }
            }
            Node::Assign { var, val, next } => {
                // Value numbering: storing the value a variable already
                // holds changes nothing; otherwise facts about it go, and
                // its new value is a fact.
                let holds = Cond {
                    op: CmpOp::Eq,
                    lhs: Val::Var(*var),
                    rhs: fold(val, false, true),
                };
                let mut kept = here;
                let holds = (None, holds, true);
                if !kept.contains(&holds) {
                    kept.retain(|(_, c, _)| !c.lhs.uses_var(*var) && !c.rhs.uses_var(*var));
                    if !holds.1.rhs.uses_var(*var) {
                        kept.push(holds);
                    }
                }
                forward(cfg, &mut facts, *next, kept);
            }
        }
    }
    true
}

/// Follows an edge carrying `edge` facts: past every test those facts
/// decide (libpcap's `opt_j` moves the edge there), then merges them into
/// the facts of where it lands, where only facts common to all incoming
/// edges survive — the outcomes of the same tests, as libpcap threads
/// only with edges that dominate: after `(udp and port 9) or (net 10/8
/// and udp)`, a join, the packet is UDP on both ways in, but through two
/// different tests, and libpcap does not know it there.
fn forward(cfg: &Cfg, facts: &mut [Option<Vec<Fact>>], mut to: NodeId, edge: Vec<Fact>) {
    while let Node::Branch { cond, t, f } = cfg.node(to) {
        let cond = Cond {
            op: cond.op,
            lhs: fold(&cond.lhs, false, true),
            rhs: fold(&cond.rhs, false, true),
        };
        match decide(&edge, &cond) {
            Some(true) => to = *t,
            Some(false) => to = *f,
            None => break,
        }
    }
    match &mut facts[to as usize] {
        slot @ None => *slot = Some(edge),
        Some(have) => have.retain(|f| edge.contains(f)),
    }
}

/// libpcap's `fold_edge`: the same test has the same outcome, and a value
/// known equal to one constant is not equal to another.
fn decide(facts: &[Fact], c: &Cond) -> Option<bool> {
    if let (Val::Const(a), Val::Const(b)) = (&c.lhs, &c.rhs) {
        return Some(c.op.eval(*a, *b));
    }
    facts.iter().find_map(|(_, f, b)| {
        if f == c {
            Some(*b)
        } else if *b && f.op == CmpOp::Eq && c.op == CmpOp::Eq && f.lhs == c.lhs {
            matches!((&f.rhs, &c.rhs), (Val::Const(x), Val::Const(y)) if x != y).then_some(false)
        } else {
            None
        }
    })
}
