//! IR → eBPF, in two flavours of packet access.
//!
//! * Socket filters read the packet with the legacy `LD_ABS`/`LD_IND`
//!   instructions (no direct packet access there).
//! * XDP programs read it directly, each load preceded by the bounds check
//!   the verifier wants (`data + off + size <= data_end`); a variable
//!   offset is first bounded to 16 bits so the verifier can track it. A
//!   load past the end means "no match", as in classic BPF.
//!
//! Values are computed in the callee-saved registers r7–r9 (packet loads
//! clobber r0–r5), variables live in 4-byte stack slots that the prologue
//! zeroes (the verifier refuses reads of unwritten stack), and every
//! arithmetic operation and comparison is 32-bit, as in classic BPF:
//! `JMP32` compares, so constants above 2^31 compare right.

use crate::CompileOptions;
use crate::ast::ArithOp;
use crate::error::{Error, ErrorKind, Result};
use crate::ir::{ACCEPT, Cfg, CmpOp, Node, NodeId, REJECT, Val, VarId};

use super::Program;
use super::insn::*;

/// Registers for intermediate values, innermost last.
const REGS: [u8; 3] = [7, 8, 9];

/// A jump whose offset is filled in once every node has a place.
struct Fixup {
    at: usize,
    to: NodeId,
}

struct Gen {
    out: Vec<Insn>,
    fixups: Vec<Fixup>,
    flavour: Flavour,
}

/// How the program reaches the packet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flavour {
    /// `__sk_buff` context, legacy loads (socket filters, tc).
    Socket,
    /// `xdp_md` context, direct packet access.
    Xdp,
}

/// What the program does at the end: the instructions run when the filter
/// matches and when it does not (each must end in `exit`). Templates put
/// their counters, ring-buffer output and XDP actions here; r6 holds the
/// context, r0–r5 and r7–r9 are free.
#[derive(Clone, Debug)]
pub struct Target {
    pub flavour: Flavour,
    pub on_match: Vec<Insn>,
    pub on_miss: Vec<Insn>,
}

impl Target {
    /// A socket filter: return the snapshot length, or 0.
    pub fn socket(snaplen: u32) -> Target {
        Target {
            flavour: Flavour::Socket,
            on_match: ret(snaplen as i32),
            on_miss: ret(0),
        }
    }

    /// An XDP program returning `on_match` or `on_miss` (XDP actions).
    pub fn xdp(on_match: i32, on_miss: i32) -> Target {
        Target {
            flavour: Flavour::Xdp,
            on_match: ret(on_match),
            on_miss: ret(on_miss),
        }
    }
}

/// `r0 = v; exit`.
pub fn ret(v: i32) -> Vec<Insn> {
    vec![
        Insn::new(ALU | MOV | K, R0, 0, 0, v),
        Insn::new(JMP | EXIT, 0, 0, 0, 0),
    ]
}

/// Generates the eBPF socket filter for `cfg`.
pub fn generate(cfg: &Cfg, opts: &CompileOptions) -> Result<Program> {
    generate_for(cfg, &Target::socket(opts.snaplen))
}

/// Generates `cfg` for `target`.
pub fn generate_for(cfg: &Cfg, target: &Target) -> Result<Program> {
    let mut g = Gen {
        out: Vec::new(),
        fixups: Vec::new(),
        flavour: target.flavour,
    };
    // The legacy packet loads take the context from r6.
    g.emit(Insn::new(ALU64 | MOV | X, R6, R1, 0, 0));
    for v in 0..cfg.vars {
        g.emit(Insn::new(0x02 | MEM | W, R10, 0, slot(v), 0));
    }
    let order: Vec<NodeId> = cfg
        .topo_order()
        .into_iter()
        .filter(|&n| n != ACCEPT && n != REJECT)
        .collect();
    let mut place = vec![usize::MAX; cfg.nodes.len()];
    if order.is_empty() || cfg.root != order[0] {
        g.jump_to(cfg.root);
    }
    for (i, &n) in order.iter().enumerate() {
        place[n as usize] = g.out.len();
        let next = order.get(i + 1).copied();
        match cfg.node(n) {
            Node::Branch { cond, t, f } => {
                g.eval(&cond.lhs, 0)?;
                let op = match cond.op {
                    CmpOp::Eq => JEQ,
                    CmpOp::Gt => JGT,
                    CmpOp::Ge => JGE,
                    CmpOp::Set => JSET,
                };
                match cond.rhs {
                    Val::Const(k) => g.emit(Insn::new(JMP32 | op | K, REGS[0], 0, 0, k as i32)),
                    ref rhs => {
                        g.eval(rhs, 1)?;
                        g.emit(Insn::new(JMP32 | op | X, REGS[0], REGS[1], 0, 0));
                    }
                }
                g.fixup(*t);
                if next != Some(*f) {
                    g.jump_to(*f);
                }
            }
            Node::Assign { var, val, next: to } => {
                g.eval(val, 0)?;
                g.emit(Insn::new(STX | MEM | W, R10, REGS[0], slot(*var), 0));
                if next != Some(*to) {
                    g.jump_to(*to);
                }
            }
            Node::Accept | Node::Reject => unreachable!("filtered out"),
        }
    }
    // The two exits, each only if something jumps there: the verifier
    // refuses unreachable instructions.
    for (end, tail) in [(ACCEPT, &target.on_match), (REJECT, &target.on_miss)] {
        if g.fixups.iter().any(|f| f.to == end) {
            place[end as usize] = g.out.len();
            g.out.extend_from_slice(tail);
        }
    }
    for f in &g.fixups {
        let off = place[f.to as usize] as i64 - f.at as i64 - 1;
        g.out[f.at].off =
            i16::try_from(off).map_err(|_| too_large("a jump is out of eBPF's range"))?;
    }
    if g.out.len() > 1_000_000 {
        return Err(too_large(
            "the program exceeds the kernel's instruction limit",
        ));
    }
    Ok(Program::new(g.out))
}

fn too_large(what: &str) -> Error {
    Error::new(
        ErrorKind::TooLarge,
        0..0,
        format!("expression too complex for eBPF: {what}"),
    )
}

/// Stack offset of a variable.
fn slot(v: VarId) -> i16 {
    -4 * (i16::from(v) + 1)
}

impl Gen {
    fn emit(&mut self, i: Insn) {
        self.out.push(i);
    }

    /// Makes the instruction just emitted jump to `to`.
    fn fixup(&mut self, to: NodeId) {
        self.fixups.push(Fixup {
            at: self.out.len() - 1,
            to,
        });
    }

    fn jump_to(&mut self, to: NodeId) {
        self.emit(Insn::new(JMP | JA, 0, 0, 0, 0));
        self.fixup(to);
    }

    /// Computes `v` into `REGS[depth]`, using the registers after it.
    fn eval(&mut self, v: &Val, depth: usize) -> Result<()> {
        let dst = *REGS
            .get(depth)
            .ok_or_else(|| too_large("arithmetic nested too deeply"))?;
        match v {
            Val::Const(k) => self.emit(Insn::new(ALU | MOV | K, dst, 0, 0, *k as i32)),
            Val::Len => match self.flavour {
                // `struct __sk_buff` starts with `len`.
                Flavour::Socket => self.emit(Insn::new(LDX | MEM | W, dst, R6, 0, 0)),
                Flavour::Xdp => {
                    self.packet_bounds();
                    self.emit(Insn::new(ALU64 | MOV | X, dst, 3, 0, 0));
                    self.emit(Insn::new(ALU64 | SUB | X, dst, 2, 0, 0));
                }
            },
            Val::Load { size, off, index } => {
                let index = match index {
                    None => None,
                    Some(i) => {
                        self.eval(i, depth)?;
                        Some(dst)
                    }
                };
                self.load(*size, *off, index);
                self.emit(Insn::new(ALU64 | MOV | X, dst, R0, 0, 0));
            }
            Val::IpHdrLen(off) => {
                self.load(1, *off, None);
                self.emit(Insn::new(ALU | AND | K, R0, 0, 0, 0x0f));
                self.emit(Insn::new(ALU | LSH | K, R0, 0, 0, 2));
                self.emit(Insn::new(ALU64 | MOV | X, dst, R0, 0, 0));
            }
            Val::Var(var) => self.emit(Insn::new(LDX | MEM | W, dst, R10, slot(*var), 0)),
            Val::Neg(a) => {
                self.eval(a, depth)?;
                self.emit(Insn::new(ALU | NEG, dst, 0, 0, 0));
            }
            Val::Alu(op, a, b) => {
                self.eval(a, depth)?;
                self.alu(*op, dst, b, depth)?;
            }
        }
        Ok(())
    }

    /// Goes to "no match" with a jump that is always taken but leaves the
    /// code after it reachable for the verifier's static check.
    fn reject_always(&mut self) {
        self.emit(Insn::new(JMP | JEQ | X, R6, R6, 0, 0));
        self.fixup(REJECT);
    }

    /// r2 = packet start, r3 = packet end (XDP).
    fn packet_bounds(&mut self) {
        self.emit(Insn::new(LDX | MEM | W, 2, R6, 0, 0));
        self.emit(Insn::new(LDX | MEM | W, 3, R6, 4, 0));
    }

    /// r0 = the big-endian `size`-byte value at `index + off`; a load past
    /// the packet ends in "no match".
    fn load(&mut self, size: u8, off: u32, index: Option<u8>) {
        let bits = match size {
            1 => B,
            2 => H,
            _ => W,
        };
        match (self.flavour, index) {
            (Flavour::Socket, None) => self.emit(Insn::new(LD | ABS | bits, 0, 0, 0, off as i32)),
            (Flavour::Socket, Some(r)) => {
                self.emit(Insn::new(LD | IND | bits, 0, r, 0, off as i32))
            }
            (Flavour::Xdp, _) => {
                // The verifier tracks packet offsets up to 0xffff (no
                // frame is that long): anything further never loads.
                let end = off as u64 + u64::from(size);
                if end >= 0xffff {
                    self.reject_always();
                    return;
                }
                self.packet_bounds();
                if let Some(r) = index {
                    // Bound the variable part so that it plus the rest
                    // stays within what the verifier tracks.
                    self.emit(Insn::new(JMP32 | JGT | K, r, 0, 0, (0xffff - end) as i32));
                    self.fixup(REJECT);
                    self.emit(Insn::new(ALU | MOV | X, 4, r, 0, 0));
                    self.emit(Insn::new(ALU64 | ADD | X, 2, 4, 0, 0));
                }
                self.emit(Insn::new(ALU64 | ADD | K, 2, 0, 0, off as i32));
                self.emit(Insn::new(ALU64 | MOV | X, 4, 2, 0, 0));
                self.emit(Insn::new(ALU64 | ADD | K, 4, 0, 0, i32::from(size)));
                self.emit(Insn::new(JMP | JGT | X, 4, 3, 0, 0));
                self.fixup(REJECT);
                self.emit(Insn::new(LDX | MEM | bits, R0, 2, 0, 0));
                if size > 1 {
                    // Packet bytes are big-endian; make the value a number.
                    self.emit(Insn::new(ALU | END | TO_BE, R0, 0, 0, i32::from(size) * 8));
                }
            }
        }
    }

    /// `dst = dst OP b` with classic BPF's rules: division by zero rejects
    /// the packet, shifts by 32 or more give 0.
    fn alu(&mut self, op: ArithOp, dst: u8, b: &Val, depth: usize) -> Result<()> {
        let code = match op {
            ArithOp::Add => ADD,
            ArithOp::Sub => SUB,
            ArithOp::Mul => MUL,
            ArithOp::Div => DIV,
            ArithOp::Mod => MOD,
            ArithOp::And => AND,
            ArithOp::Or => OR,
            ArithOp::Xor => XOR,
            ArithOp::Shl => LSH,
            ArithOp::Shr => RSH,
        };
        let shift = matches!(op, ArithOp::Shl | ArithOp::Shr);
        let divide = matches!(op, ArithOp::Div | ArithOp::Mod);
        if let Val::Const(k) = b {
            match () {
                _ if divide && *k == 0 => self.reject_always(),
                _ if shift && *k >= 32 => self.emit(Insn::new(ALU | MOV | K, dst, 0, 0, 0)),
                _ => self.emit(Insn::new(ALU | code | K, dst, 0, 0, *k as i32)),
            }
            return Ok(());
        }
        self.eval(b, depth + 1)?;
        let src = REGS[depth + 1];
        if divide {
            self.emit(Insn::new(JMP32 | JEQ | K, src, 0, 0, 0));
            self.fixup(REJECT);
        }
        if shift {
            // if src >= 32 { dst = 0 } else { dst = dst OP src }
            self.emit(Insn::new(JMP32 | JGE | K, src, 0, 2, 32));
            self.emit(Insn::new(ALU | code | X, dst, src, 0, 0));
            self.emit(Insn::new(JMP | JA, 0, 0, 1, 0));
            self.emit(Insn::new(ALU | MOV | K, dst, 0, 0, 0));
        } else {
            self.emit(Insn::new(ALU | code | X, dst, src, 0, 0));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{LinkType, compile_ebpf};

    fn emit(expr: &str) -> Vec<Insn> {
        compile_ebpf(expr, &CompileOptions::new(LinkType::EN10MB))
            .unwrap()
            .insns()
            .to_vec()
    }

    /// Every jump lands inside the program and the last instruction exits.
    fn well_formed(p: &[Insn]) {
        for (pc, i) in p.iter().enumerate() {
            let class = i.code & 0x07;
            if (class == JMP || class == JMP32) && i.code & 0xf0 != EXIT {
                let to = pc as i64 + 1 + i64::from(i.off);
                assert!((0..p.len() as i64).contains(&to), "jump at {pc} to {to}");
            }
        }
        assert_eq!(p.last().unwrap().code, JMP | EXIT);
    }

    #[test]
    fn accept_all_is_a_bare_return() {
        let p = emit("");
        well_formed(&p);
        // Only the accepting exit is there: the verifier refuses dead code.
        assert_eq!(p.iter().filter(|i| i.code == JMP | EXIT).count(), 1);
        assert_eq!(p[p.len() - 2].imm, crate::DEFAULT_SNAPLEN as i32);
    }

    #[test]
    fn tests_are_32_bit_and_loads_are_legacy() {
        let p = emit("tcp port 80 and ip[2:2] > 0x80000000");
        well_formed(&p);
        assert!(
            p.iter()
                .any(|i| i.code == JMP32 | JGT | K && i.imm as u32 == 0x8000_0000)
        );
        assert!(p.iter().any(|i| i.code == LD | ABS | H));
        assert!(p.iter().any(|i| i.code == LD | IND | H));
    }

    #[test]
    fn division_by_a_runtime_zero_rejects() {
        let p = emit("ip[0] / ip[1] = 1");
        well_formed(&p);
        // A test of the divisor against 0 precedes the division.
        let div = p.iter().position(|i| i.code == ALU | DIV | X).unwrap();
        assert!(
            p[..div]
                .iter()
                .any(|i| i.code == JMP32 | JEQ | K && i.imm == 0)
        );
    }
}
