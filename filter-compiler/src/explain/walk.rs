//! Runs a packet through the IR graph, one node at a time, keeping what
//! each test read: the path `explain` shows.
//!
//! The meaning is classic BPF's, as every back end keeps it: a load past
//! the captured bytes, or a division by a run-time zero, rejects the
//! packet at once; shifts of 32 or more give 0.

use crate::ast::ArithOp;
use crate::cbpf::ancillary::Answers;
use crate::ir::{Cfg, Meta, Node, NodeId, REJECT, Val};

/// Why a value could not be computed: the program rejects the packet
/// there (or cannot run on it, for [`Stop::Unanswered`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stop {
    /// A load needs `needs` bytes of the packet and only `captured` are
    /// there.
    TooShort {
        /// The end of the bytes the load reads.
        needs: u64,
        /// The captured length.
        captured: u32,
    },
    /// A division or modulo by zero.
    DivisionByZero,
    /// The packet's metadata does not say what the program reads (a
    /// pcapng record without a direction, for `inbound`).
    Unanswered(Meta),
}

/// One node on the path: the test made there and what it found.
#[derive(Clone, Debug)]
pub(crate) struct Visit {
    pub node: NodeId,
    /// For a branch, the two sides compared; for an assignment, its
    /// value; or why it could not be computed.
    pub found: Result<(u32, u32), Stop>,
    /// For a branch whose sides were computed: whether the test held.
    pub held: Option<bool>,
}

/// A packet as the filter sees it.
pub(crate) struct Packet<'a> {
    pub data: &'a [u8],
    pub wirelen: u32,
    pub answers: Answers,
}

impl Packet<'_> {
    /// The value of `v` given the variables set so far.
    pub fn eval(&self, v: &Val, vars: &[u32]) -> Result<u32, Stop> {
        Ok(match v {
            Val::Const(k) => *k,
            Val::Len => self.wirelen,
            Val::Load { size, off, index } => {
                let base = match index {
                    Some(i) => self.eval(i, vars)?,
                    None => 0,
                };
                self.load(*size, base.wrapping_add(*off))?
            }
            Val::IpHdrLen(off) => 4 * (self.load(1, *off)? & 0x0f),
            Val::Var(x) => vars.get(usize::from(*x)).copied().unwrap_or(0),
            Val::Alu(op, a, b) => {
                let (a, b) = (self.eval(a, vars)?, self.eval(b, vars)?);
                alu(*op, a, b)?
            }
            Val::Neg(a) => self.eval(a, vars)?.wrapping_neg(),
            Val::Meta(m) => match m {
                Meta::PktType => self.answers.pkttype.ok_or(Stop::Unanswered(*m))?,
                Meta::IfIndex => self.answers.ifindex,
            },
        })
    }

    /// `size` bytes, big-endian, at `at`.
    fn load(&self, size: u8, at: u32) -> Result<u32, Stop> {
        let end = u64::from(at) + u64::from(size);
        let captured = self.data.len() as u64;
        if end > captured {
            return Err(Stop::TooShort {
                needs: end,
                captured: self.data.len() as u32,
            });
        }
        let bytes = &self.data[at as usize..end as usize];
        Ok(bytes.iter().fold(0, |acc, &b| (acc << 8) | u32::from(b)))
    }
}

/// `a op b` as classic BPF computes it.
fn alu(op: ArithOp, a: u32, b: u32) -> Result<u32, Stop> {
    Ok(match op {
        ArithOp::Add => a.wrapping_add(b),
        ArithOp::Sub => a.wrapping_sub(b),
        ArithOp::Mul => a.wrapping_mul(b),
        ArithOp::Div => a.checked_div(b).ok_or(Stop::DivisionByZero)?,
        ArithOp::Mod => a.checked_rem(b).ok_or(Stop::DivisionByZero)?,
        ArithOp::And => a & b,
        ArithOp::Or => a | b,
        ArithOp::Xor => a ^ b,
        ArithOp::Shl => a.checked_shl(b).unwrap_or(0),
        ArithOp::Shr => a.checked_shr(b).unwrap_or(0),
    })
}

/// The nodes `pkt` goes through from the root of `cfg`, and whether it
/// ends at the accept node.
pub(crate) fn walk(cfg: &Cfg, pkt: &Packet<'_>) -> (Vec<Visit>, bool) {
    let mut vars = vec![0u32; usize::from(cfg.vars())];
    let mut path = Vec::new();
    let mut at = cfg.root();
    loop {
        match cfg.node(at) {
            Node::Accept => return (path, true),
            Node::Reject => return (path, false),
            Node::Branch { cond, t, f } => {
                let found = pkt
                    .eval(&cond.lhs, &vars)
                    .and_then(|l| Ok((l, pkt.eval(&cond.rhs, &vars)?)));
                let held = found.ok().map(|(l, r)| cond.op.eval(l, r));
                path.push(Visit {
                    node: at,
                    found,
                    held,
                });
                at = match held {
                    Some(true) => *t,
                    Some(false) => *f,
                    None => return (path, false),
                };
            }
            Node::Assign { var, val, next } => {
                let found = pkt.eval(val, &vars);
                if let Ok(v) = found {
                    vars[usize::from(*var)] = v;
                }
                let stopped = found.is_err();
                path.push(Visit {
                    node: at,
                    found: found.map(|v| (v, v)),
                    held: None,
                });
                at = if stopped { REJECT } else { *next };
            }
        }
    }
}
