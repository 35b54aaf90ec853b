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

use rustc_hash::FxHashMap as HashMap;

use crate::CompileOptions;
use crate::ast::ArithOp;
use crate::error::{Error, ErrorKind, Result};
use crate::ir::{ACCEPT, Cfg, CmpOp, Node, NodeId, REJECT, Val, VarId};
use crate::jumps::{self, Item, Label, Unresolved};

use super::Program;
use super::insn::*;

/// Registers for intermediate values, innermost last.
const REGS: [u8; 3] = [7, 8, 9];

/// The kernel's limit on a program's instructions (`BPF_COMPLEXITY_LIMIT_INSNS`,
/// for a loader with `CAP_BPF`).
pub const MAX_INSNS: usize = 1_000_000;

/// What the value registers are known to hold, on every path to here:
/// a value computed once (a port loaded for a comparison tree) is not
/// loaded again, as libpcap's optimizer does for classic BPF. Besides
/// saving time, this keeps programs small enough for the socket's memory
/// limit, which the kernel charges with the program's size.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Known([Option<Val>; REGS.len()]);

impl Known {
    fn meet(&self, o: &Known) -> Known {
        Known(std::array::from_fn(|r| {
            (self.0[r] == o.0[r]).then(|| self.0[r].clone()).flatten()
        }))
    }
}

struct Gen {
    items: Vec<Item<Insn>>,
    flavour: Flavour,
    known: Known,
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

fn label(n: NodeId) -> Label {
    n as Label
}

/// Generates `cfg` for `target`.
pub fn generate_for(cfg: &Cfg, target: &Target) -> Result<Program> {
    let mut g = Gen {
        items: Vec::new(),
        flavour: target.flavour,
        known: Known::default(),
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
    let mut preds: HashMap<NodeId, Vec<NodeId>> = HashMap::default();
    for &n in &order {
        for s in cfg.node(n).successors() {
            preds.entry(s).or_default().push(n);
        }
    }
    // What the registers hold where each node's code ends (it ends in
    // jumps, so that is what every successor gets from it).
    let mut exit: HashMap<NodeId, Known> = HashMap::default();
    if order.is_empty() || cfg.root != order[0] {
        g.jump_to(cfg.root);
    }
    for (i, &n) in order.iter().enumerate() {
        g.items.push(Item::Label(label(n)));
        g.known = match preds.get(&n) {
            None => Known::default(),
            Some(ps) => {
                let mut it = ps.iter().map(|p| &exit[p]);
                let first = it.next().cloned().unwrap_or_default();
                it.fold(first, |acc, k| acc.meet(k))
            }
        };
        let next = order.get(i + 1).copied();
        match cfg.node(n) {
            Node::Branch { cond, t, f } => {
                g.eval(&cond.lhs, 0)?;
                // The jump and its complement (none for `jset`).
                let (op, not) = match cond.op {
                    CmpOp::Eq => (JEQ, Some(JNE)),
                    CmpOp::Gt => (JGT, Some(JLE)),
                    CmpOp::Ge => (JGE, Some(JLT)),
                    CmpOp::Set => (JSET, None),
                };
                // Fall through to whichever target comes next, so only a
                // branch with neither next needs a `ja` (in a comparison
                // tree the inner nodes go on to their true branch).
                let (op, to, other) = match not {
                    Some(not) if next == Some(*t) => (not, *f, *t),
                    _ => (op, *t, *f),
                };
                let insn = match cond.rhs {
                    Val::Const(k) => Insn::new(JMP32 | op | K, REGS[0], 0, 0, k as i32),
                    ref rhs => {
                        g.eval(rhs, 1)?;
                        Insn::new(JMP32 | op | X, REGS[0], REGS[1], 0, 0)
                    }
                };
                g.jump_if(insn, to);
                if next != Some(other) {
                    g.jump_to(other);
                }
            }
            Node::Assign { var, val, next: to } => {
                g.eval(val, 0)?;
                g.emit(Insn::new(STX | MEM | W, R10, REGS[0], slot(*var), 0));
                // Values computed from the old value are stale now.
                for k in &mut g.known.0 {
                    if k.as_ref().is_some_and(|v| v.uses_var(*var)) {
                        *k = None;
                    }
                }
                g.known.0[0] = Some(Val::Var(*var));
                if next != Some(*to) {
                    g.jump_to(*to);
                }
            }
            Node::Accept | Node::Reject => unreachable!("filtered out"),
        }
        exit.insert(n, g.known.clone());
    }
    // The two exits, each only if something jumps there: the verifier
    // refuses unreachable instructions.
    for (end, tail) in [(ACCEPT, &target.on_match), (REJECT, &target.on_miss)] {
        let end = label(end);
        let reached = g.items.iter().any(|it| match *it {
            Item::Cond { t, .. } => t == end,
            Item::Ja(to) => to == end,
            _ => false,
        });
        if reached {
            g.items.push(Item::Label(end));
            g.items.extend(tail.iter().copied().map(Item::Plain));
        }
    }
    let insns = jumps::resolve::<Ebpf>(g.items, MAX_INSNS).map_err(|e| match e {
        Unresolved::TooLong(n) => too_large(&format!(
            "the program would have {n} instructions; the kernel takes at most {MAX_INSNS}"
        )),
        Unresolved::NoPlace => too_large("a jump is out of eBPF's 16-bit range"),
    })?;
    Ok(Program::new(insns))
}

/// eBPF's jumps for [`jumps::resolve`]: conditional jumps and `ja` both
/// have a signed 16-bit offset, and the reach is counted in instructions
/// after the kernel's rewriting ([`kernel_len`]).
struct Ebpf;

impl jumps::Isa for Ebpf {
    type Insn = Insn;
    const COND_REACH: usize = i16::MAX as usize;
    const JA_REACH: usize = i16::MAX as usize;
    const PLACE_WITHIN: usize = 30_000;

    fn cost(insn: &Insn) -> usize {
        kernel_len(insn)
    }

    fn ends_flow(insn: &Insn) -> bool {
        insn.code == JMP | EXIT || insn.code == JMP | JA
    }

    fn is_return(_: &Insn) -> bool {
        false
    }

    fn ja(off: usize) -> Insn {
        Insn::new(JMP | JA, 0, 0, off as i16, 0)
    }

    fn set_offsets(insn: &mut Insn, t: usize, _: Option<usize>) {
        insn.off = t as i16;
    }
}

/// At most how many instructions the kernel makes of `insn` before it
/// checks that jumps still fit their offsets: the verifier turns legacy
/// packet loads into a helper call (`bpf_gen_ld_abs`: six instructions,
/// seven for `LD_IND` with an offset), guards division by a register
/// against zero (four), and inlines some helpers the templates call (map
/// lookups: fewer than 16).
pub fn kernel_len(insn: &Insn) -> usize {
    let class = insn.code & 0x07;
    let mode = insn.code & 0xe0;
    let op = insn.code & 0xf0;
    match class {
        LD if mode == ABS || mode == IND => 7,
        ALU | ALU64 if (op == DIV || op == MOD) && insn.code & X != 0 => 4,
        JMP if op == CALL => 16,
        _ => 1,
    }
}

/// An error for a program the kernel would not take as a whole; no part
/// of the expression is to blame, so it has no position.
fn too_large(what: &str) -> Error {
    Error::new(
        ErrorKind::Limit,
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
        self.items.push(Item::Plain(i));
    }

    /// Emits the conditional jump `insn` to `to` (it falls through
    /// otherwise).
    fn jump_if(&mut self, insn: Insn, to: NodeId) {
        self.items.push(Item::Cond {
            insn,
            t: label(to),
            f: None,
        });
    }

    fn jump_to(&mut self, to: NodeId) {
        self.items.push(Item::Ja(label(to)));
    }

    /// Computes `v` into `REGS[depth]`, using the registers after it,
    /// unless a register already holds it.
    fn eval(&mut self, v: &Val, depth: usize) -> Result<()> {
        let dst = *REGS
            .get(depth)
            .ok_or_else(|| too_large("arithmetic nested too deeply"))?;
        if let Some(r) = self.known.0.iter().position(|k| k.as_ref() == Some(v)) {
            if r != depth {
                self.emit(Insn::new(ALU64 | MOV | X, dst, REGS[r], 0, 0));
                self.known.0[depth] = Some(v.clone());
            }
            return Ok(());
        }
        self.compute(v, depth, dst)?;
        self.known.0[depth] = Some(v.clone());
        Ok(())
    }

    /// Computes `v` into `dst`, which is `REGS[depth]`.
    fn compute(&mut self, v: &Val, depth: usize, dst: u8) -> Result<()> {
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
        self.jump_if(Insn::new(JMP | JEQ | X, R6, R6, 0, 0), REJECT);
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
                    self.jump_if(
                        Insn::new(JMP32 | JGT | K, r, 0, 0, (0xffff - end) as i32),
                        REJECT,
                    );
                    self.emit(Insn::new(ALU | MOV | X, 4, r, 0, 0));
                    self.emit(Insn::new(ALU64 | ADD | X, 2, 4, 0, 0));
                }
                self.emit(Insn::new(ALU64 | ADD | K, 2, 0, 0, off as i32));
                self.emit(Insn::new(ALU64 | MOV | X, 4, 2, 0, 0));
                self.emit(Insn::new(ALU64 | ADD | K, 4, 0, 0, i32::from(size)));
                self.jump_if(Insn::new(JMP | JGT | X, 4, 3, 0, 0), REJECT);
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
            self.jump_if(Insn::new(JMP32 | JEQ | K, src, 0, 0, 0), REJECT);
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
    use crate::ir::Cond;
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

    /// `ether[0] = 1 or ether[1] = 1 or ...` with `n` tests, straight
    /// as IR: a chain of `n` packet loads, each test jumping to "accept",
    /// which lies after all of them.
    fn chain(n: u32) -> Cfg {
        let mut cfg = Cfg::new();
        let mut next = REJECT;
        for off in (0..n).rev() {
            let cond = Cond {
                op: CmpOp::Eq,
                lhs: Val::load(1, off),
                rhs: Val::Const(1),
            };
            next = cfg.add(Node::Branch {
                cond,
                t: ACCEPT,
                f: next,
            });
        }
        cfg.root = next;
        cfg
    }

    /// Every jump reaches its target within 16 bits even after the
    /// kernel's rewriting of the instructions it spans.
    fn in_kernel_reach(p: &[Insn]) {
        for (pc, i) in p.iter().enumerate() {
            let class = i.code & 0x07;
            if (class == JMP || class == JMP32) && !matches!(i.code & 0xf0, EXIT | CALL) {
                let span = &p[pc + 1..(pc as i64 + 1 + i64::from(i.off)) as usize];
                let after_rewriting: usize = span.iter().map(kernel_len).sum();
                assert!(after_rewriting <= i16::MAX as usize, "jump at {pc}");
            }
        }
    }

    /// Runs what the socket flavour emits for [`chain`] on `pkt`.
    fn run(p: &[Insn], pkt: &[u8]) -> u32 {
        let mut r = [0u32; 11];
        let mut pc = 0usize;
        loop {
            let i = p[pc];
            pc += 1;
            let (dst, src) = (usize::from(i.regs & 0x0f), usize::from(i.regs >> 4));
            let jump = |pc: usize| (pc as i64 + i64::from(i.off)) as usize;
            match i.code {
                c if c == ALU64 | MOV | X => r[dst] = r[src],
                c if c == ALU | MOV | K => r[dst] = i.imm as u32,
                c if c == LD | ABS | B => match pkt.get(i.imm as usize) {
                    Some(&b) => r[0] = u32::from(b),
                    None => return 0,
                },
                c if c == JMP32 | JEQ | K && r[dst] == i.imm as u32 => pc = jump(pc),
                c if c == JMP32 | JEQ | K => {}
                c if c == JMP | JA => pc = jump(pc),
                c if c == JMP | EXIT => return r[0],
                c => panic!("unexpected opcode {c:#x} at {}", pc - 1),
            }
        }
    }

    #[test]
    fn jumps_beyond_16_bits_go_through_trampolines() {
        let n = 12_000;
        let p = generate(&chain(n), &CompileOptions::new(LinkType::EN10MB))
            .unwrap()
            .insns()
            .to_vec();
        // The first test's jump to "accept" spans more than 32767
        // instructions (three per test).
        assert!(p.len() > 3 * n as usize);
        well_formed(&p);
        in_kernel_reach(&p);
        let mut pkt = vec![0u8; n as usize];
        assert_eq!(run(&p, &pkt), 0);
        for at in [0, 1, n as usize / 2, n as usize - 1] {
            pkt[at] = 1;
            assert_eq!(run(&p, &pkt), crate::DEFAULT_SNAPLEN, "byte {at}");
            pkt[at] = 0;
        }
        // Too short: the load past the end does not match.
        assert_eq!(run(&p, &pkt[..10]), 0);
    }

    #[test]
    fn xdp_programs_get_trampolines_too() {
        // Direct packet access: about nine instructions per test, and
        // every bounds check jumps to "no match" at the very end.
        let p = generate_for(&chain(4_000), &Target::xdp(2, 1)).unwrap();
        assert!(p.insns().len() > i16::MAX as usize);
        well_formed(p.insns());
        in_kernel_reach(p.insns());
    }

    fn port_tree() -> Vec<Insn> {
        let ports: Vec<String> = (0..200).map(|i| format!("dst port {}", 1000 + i)).collect();
        emit(&format!("udp and ({})", ports.join(" or ")))
    }

    fn count(p: &[Insn], code: u8) -> usize {
        p.iter().filter(|i| i.code == code).count()
    }

    #[test]
    fn values_in_registers_are_not_loaded_again() {
        // A tree of comparisons of one port loads it once per header
        // layout, not once per comparison.
        let p = port_tree();
        well_formed(&p);
        let loads = p.iter().filter(|i| i.code & 0x07 == LD).count();
        assert!(loads < 20, "{loads} loads");
    }

    #[test]
    fn inner_tree_nodes_fall_through_to_their_true_branch() {
        // They jump to their false branch with the complement (`jle` for
        // `jgt`) instead of adding a `ja`; only leaves whose false branch
        // is elsewhere need one.
        let p = port_tree();
        well_formed(&p);
        let (jgt, jle, jeq) = (
            count(&p, JMP32 | JGT | K),
            count(&p, JMP32 | JLE | K),
            count(&p, JMP32 | JEQ | K),
        );
        assert!(jgt == 0 && jle > 100, "{jgt} jgt, {jle} jle");
        assert!(count(&p, JMP | JA) < jeq / 2, "{} ja", count(&p, JMP | JA));
    }

    #[test]
    fn programs_past_the_kernel_limit_name_it() {
        let err = generate(&chain(400_000), &CompileOptions::new(LinkType::EN10MB)).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Limit);
        assert!(
            err.message.contains("the kernel takes at most 1000000"),
            "{err}"
        );
    }
}
