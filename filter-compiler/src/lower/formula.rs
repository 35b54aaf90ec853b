//! Boolean formulas over predicates: what the lowering of one primitive
//! produces before it is woven into the control-flow graph.
//!
//! Formulas are evaluated left to right with short-circuiting, exactly as
//! written; the order matters because a predicate that reads beyond the
//! captured bytes rejects the whole packet.

use rustc_hash::FxHashMap as HashMap;

use crate::ast::{Operands, Span, drop_operands};
use crate::ir::{ACCEPT, Cfg, CmpOp, Cond, Node, NodeId, REJECT, Val, VarId};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum F {
    True,
    False,
    Test(Cond),
    Not(Box<F>),
    And(Box<F>, Box<F>),
    Or(Box<F>, Box<F>),
    /// Sets a variable; as a formula it is true.
    Assign(VarId, Val),
    /// The formula of the primitive written at this span: made only when
    /// lowering for `explain` (see [`Origins`]); otherwise the formula
    /// inside, which it means.
    Origin(Span, Box<F>),
}

/// Which primitive each node of a graph was built for (the innermost
/// [`F::Origin`] around its test), for `explain`. A node shared by two
/// primitives (hash-consing: same test, same way on) keeps the first.
pub type Origins = HashMap<NodeId, Span>;

impl F {
    pub fn and(a: F, b: F) -> F {
        F::And(Box::new(a), Box::new(b))
    }

    pub fn or(a: F, b: F) -> F {
        F::Or(Box::new(a), Box::new(b))
    }

    #[allow(clippy::should_implement_trait)]
    pub fn not(a: F) -> F {
        F::Not(Box::new(a))
    }

    /// `a and b and ...`, in order.
    pub fn all(items: impl IntoIterator<Item = F>) -> F {
        items.into_iter().reduce(F::and).unwrap_or(F::True)
    }

    /// `a or b or ...`, in order.
    pub fn any(items: impl IntoIterator<Item = F>) -> F {
        items.into_iter().reduce(F::or).unwrap_or(F::False)
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
    /// nothing: libpcap's optimizer drops such a test and its load, so it
    /// is true here without reading the packet.
    pub fn masked(v: Val, mask: u32, k: u32) -> F {
        match mask {
            0 if k == 0 => F::True,
            0xffff_ffff => F::eq(v, k),
            _ => F::eq(Val::alu(crate::ast::ArithOp::And, v, Val::Const(mask)), k),
        }
    }

    /// Weaves the formula into `cfg`: a node that goes to `t` when the
    /// formula holds and to `f` when it does not.
    ///
    /// Long formulas lean left ([`F::any`] and [`F::all`] of a 50,000-way
    /// `or`), so the left operand is followed in a loop and only the
    /// right one, as deep as the expression's parentheses, recurses.
    ///
    /// `origins`, when given, learns the [`F::Origin`] of each node added
    /// (`within`: the one around this formula).
    pub fn build<'a>(
        &'a self,
        cfg: &mut Cfg,
        mut t: NodeId,
        mut f: NodeId,
        origins: &mut Option<Origins>,
        mut within: Option<&'a Span>,
    ) -> NodeId {
        let mut node = self;
        let added = |cfg: &mut Cfg, origins: &mut Option<Origins>, within: Option<&Span>, n| {
            let id = cfg.add(n);
            if let (Some(o), Some(span)) = (origins, within) {
                o.entry(id).or_insert_with(|| span.clone());
            }
            id
        };
        loop {
            match node {
                F::True => return t,
                F::False => return f,
                F::Test(c) => {
                    let n = Node::Branch {
                        cond: c.clone(),
                        t,
                        f,
                    };
                    return added(cfg, origins, within, n);
                }
                F::Assign(var, val) => {
                    let n = Node::Assign {
                        var: *var,
                        val: val.clone(),
                        next: t,
                    };
                    return added(cfg, origins, within, n);
                }
                F::Not(a) => {
                    std::mem::swap(&mut t, &mut f);
                    node = a;
                }
                F::And(a, b) => {
                    t = b.build(cfg, t, f, origins, within);
                    node = a;
                }
                F::Or(a, b) => {
                    f = b.build(cfg, t, f, origins, within);
                    node = a;
                }
                F::Origin(span, a) => {
                    within = Some(span);
                    node = a;
                }
            }
        }
    }
}

impl Operands for F {
    fn take_operands(&mut self, into: &mut Vec<F>) {
        match self {
            F::Not(a) | F::Origin(_, a) => into.push(std::mem::replace(a, F::True)),
            F::And(a, b) | F::Or(a, b) => {
                into.push(std::mem::replace(a, F::True));
                into.push(std::mem::replace(b, F::True));
            }
            F::True | F::False | F::Test(_) | F::Assign(..) => {}
        }
    }
}

/// Formulas lean left like the expressions they come from.
impl Drop for F {
    fn drop(&mut self) {
        drop_operands(self);
    }
}

/// Builds a whole program: accept when `f` holds, reject otherwise;
/// `origins`, when given, learns where each node comes from.
pub fn to_cfg(f: &F, mut cfg: Cfg, origins: &mut Option<Origins>) -> Cfg {
    cfg.root = f.build(&mut cfg, ACCEPT, REJECT, origins, None);
    cfg
}
