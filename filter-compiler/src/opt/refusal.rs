//! Whether libpcap would refuse an expression with "expression rejects all
//! packets".
//!
//! libpcap reports that error when *its* optimizer reduces the program to
//! `ret #0`. Our optimizer proves more (ranges, path-sensitive facts,
//! loads beyond any packet), so its verdict cannot decide the error:
//! `len < 0` or `tcp and udp` on DLT_NULL compile fine with libpcap. This
//! module replays the reasoning libpcap's optimizer is capable of — jump
//! threading along each edge with the facts of the edges dominating it,
//! in libpcap's passes (the `dominated` module)
//! (a load through an index, `proto[k]`, kept apart from a load of the
//! same bytes at a fixed offset, as libpcap's value numbering has them —
//! `vlan and ether[12:2] = 0x800` compiles there),
//! used only for identical tests and for equality with another constant,
//! plus constant folding — and says whether "accept" is still reachable.

use crate::ir::{ACCEPT, Cfg, CmpOp, Cond, NodeId, Val, VarId};

use super::dominated::{Known, Logic, on_all_paths, thread_jumps};
use super::fold;

/// Graphs larger than this are not analysed; the optimizer's verdict
/// stands (libpcap proves the same on large, regular filters).
const MAX_NODES: usize = 20_000;

/// Whether libpcap's optimizer would find that `cfg` rejects everything.
pub fn rejects_all(cfg: &Cfg) -> bool {
    if cfg.nodes().len() > MAX_NODES {
        return true;
    }
    let mut threaded = cfg.clone();
    thread_jumps(&mut threaded, &ValueNumbers);
    on_all_paths(&threaded, &threaded.topo_order(), &ValueNumbers, true)[ACCEPT as usize].is_none()
}

/// Conditions as libpcap's value numbering sees them: folded, a load
/// through an index kept apart from a load of the same bytes at a fixed
/// offset; decided as `fold_edge` decides them.
struct ValueNumbers;

impl Logic for ValueNumbers {
    type C = Cond;

    fn cond(&self, _n: NodeId, cond: &Cond) -> Cond {
        Cond {
            op: cond.op,
            lhs: fold(&cond.lhs, false, true),
            rhs: fold(&cond.rhs, false, true),
        }
    }

    fn decide(&self, known: &[Known<Cond>], c: &Cond) -> Option<bool> {
        decide(known, c)
    }

    fn holds(&self, _n: NodeId, var: VarId, val: &Val) -> (Cond, bool) {
        let rhs = fold(val, false, true);
        let keep = !rhs.uses_var(var);
        let holds = Cond {
            op: CmpOp::Eq,
            lhs: Val::Var(var),
            rhs,
        };
        (holds, keep)
    }

    fn mentions(&self, c: &Cond, var: VarId) -> bool {
        c.lhs.uses_var(var) || c.rhs.uses_var(var)
    }
}

/// libpcap's `fold_edge`: the same test has the same outcome, and a value
/// known equal to one constant is not equal to another.
fn decide(facts: &[Known<Cond>], c: &Cond) -> Option<bool> {
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
