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
use crate::ir::{ACCEPT, Cfg, CmpOp, Cond, MAX_VARS, Meta, Node, NodeId, REJECT, Val, VarId};
use crate::sets::{Family, SetMap, member_words};

use super::asm::{Asm, AsmError, Label};
use super::helper::Helper;
use super::insn::{AluOp, Insn, JmpOp, Reg, Size};
use super::{Program, SET_MAP_BASE};

/// Registers for intermediate values, innermost last.
const REGS: [Reg; 3] = [Reg::R7, Reg::R8, Reg::R9];

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
    asm: Asm,
    /// The labels of the nodes jumped to or laid out so far.
    labels: HashMap<NodeId, Label>,
    flavour: Flavour,
    known: Known,
    /// The set maps looked up so far (see [`Program::set_maps`]).
    set_maps: Vec<SetMap>,
}

/// How the program reaches the packet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flavour {
    /// `__sk_buff` context, legacy loads (socket filters, tc).
    Socket,
    /// `xdp_md` context, direct packet access.
    Xdp,
}

/// What the program does at the end: the code run when the filter matches
/// and when it does not (each must end in `exit`; its jumps stay within
/// it, and it goes into the program whole). Templates put their counters,
/// ring-buffer output and XDP actions here; r6 holds the context, r0–r5
/// and r7–r9 are free.
#[derive(Clone, Debug)]
pub struct Target {
    /// How the program reaches the packet.
    pub flavour: Flavour,
    /// The code run when the filter matches.
    pub on_match: Asm,
    /// The code run when it does not.
    pub on_miss: Asm,
}

impl Target {
    /// A socket filter: return the snapshot length, or 0.
    pub fn socket(snaplen: u32) -> Target {
        Target {
            flavour: Flavour::Socket,
            on_match: returning(snaplen as i32),
            on_miss: returning(0),
        }
    }

    /// An XDP program returning `on_match` or `on_miss` (XDP actions).
    pub fn xdp(on_match: i32, on_miss: i32) -> Target {
        Target {
            flavour: Flavour::Xdp,
            on_match: returning(on_match),
            on_miss: returning(on_miss),
        }
    }
}

/// `r0 = v; exit`.
pub fn ret(v: i32) -> [Insn; 2] {
    [Insn::mov32_imm(Reg::R0, v), Insn::exit()]
}

/// [`ret`] as a tail.
fn returning(v: i32) -> Asm {
    let mut a = Asm::new();
    a.emit_all(ret(v));
    a
}

/// Generates the eBPF socket filter for `cfg`.
pub fn generate(cfg: &Cfg, opts: &CompileOptions) -> Result<Program> {
    generate_for(cfg, &Target::socket(opts.snaplen))
}

/// Generates `cfg` for `target`.
pub fn generate_for(cfg: &Cfg, target: &Target) -> Result<Program> {
    let mut g = Gen {
        asm: Asm::new(),
        labels: HashMap::default(),
        flavour: target.flavour,
        known: Known::default(),
        set_maps: Vec::new(),
    };
    // The legacy packet loads take the context from r6.
    g.emit(Insn::mov64_reg(Reg::R6, Reg::R1));
    for v in 0..cfg.vars {
        g.emit(Insn::st_mem(Size::W, Reg::R10, slot(v), 0));
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
        let here = g.label(n);
        g.asm.bind(here);
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
            Node::Branch { cond, t, f } if cond.op == CmpOp::In => {
                g.lookup(cond)?;
                // r0: the member's value, or NULL.
                let (op, to, other) = if next == Some(*t) {
                    (JmpOp::Jeq, *f, *t)
                } else {
                    (JmpOp::Jne, *t, *f)
                };
                g.jump_if(Insn::jmp_imm(op, Reg::R0, 0, 0), to);
                if next != Some(other) {
                    g.jump_to(other);
                }
            }
            Node::Branch { cond, t, f } => {
                g.eval(&cond.lhs, 0)?;
                // The jump and its complement (none for `jset`).
                let (op, not) = (JmpOp::of(cond.op), JmpOp::not(cond.op));
                // Fall through to whichever target comes next, so only a
                // branch with neither next needs a `ja` (in a comparison
                // tree the inner nodes go on to their true branch).
                let (op, to, other) = match not {
                    Some(not) if next == Some(*t) => (not, *f, *t),
                    _ => (op, *t, *f),
                };
                let insn = match cond.rhs {
                    Val::Const(k) => Insn::jmp32_imm(op, REGS[0], k as i32, 0),
                    ref rhs => {
                        g.eval(rhs, 1)?;
                        Insn::jmp32_reg(op, REGS[0], REGS[1], 0)
                    }
                };
                g.jump_if(insn, to);
                if next != Some(other) {
                    g.jump_to(other);
                }
            }
            Node::Assign { var, val, next: to } => {
                g.eval(val, 0)?;
                g.emit(Insn::stx_mem(Size::W, Reg::R10, REGS[0], slot(*var)));
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
        if let Some(&end) = g.labels.get(&end)
            && g.asm.is_used(end)
        {
            g.asm.bind(end);
            g.asm.emit_all(block(tail.clone())?);
        }
    }
    let insns = g.asm.finish().map_err(|e| match e {
        AsmError::TooLong(_) | AsmError::OutOfRange => too_large(&e.to_string()),
        _ => cannot_lay_out(e),
    })?;
    Ok(Program::new(insns, g.set_maps))
}

/// `code` laid out on its own, to go whole into a program: its jumps stay
/// within it, and so no trampoline for a jump across it goes inside.
fn block(code: Asm) -> Result<Vec<Insn>> {
    code.finish().map_err(cannot_lay_out)
}

/// An error for code this generator or a template's tail got wrong
/// (a jump to a label that is not there).
fn cannot_lay_out(e: AsmError) -> Error {
    Error::new(
        ErrorKind::Internal,
        0..0,
        format!("cannot lay out the eBPF program: {e}"),
    )
}

/// An error for a set membership test this generator cannot look up (a
/// bug of the lowering).
fn cannot_look_up(what: &str) -> Error {
    Error::new(
        ErrorKind::Internal,
        0..0,
        format!("cannot look a set member up: {what}"),
    )
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

/// Stack offset of a set lookup's key, below the variables (20 bytes at
/// most: an LPM trie's prefix length and an IPv6 address).
const KEY_AT: i16 = -4 * MAX_VARS as i16 - 24;

/// Stack offset of a variable.
fn slot(v: VarId) -> i16 {
    -4 * (i16::from(v) + 1)
}

impl Gen {
    fn emit(&mut self, i: Insn) {
        self.asm.emit(i);
    }

    /// Looks the value of the membership test `cond` up in its set's map:
    /// r0 = the member's entry, or NULL. The key is the value in network
    /// byte order, after the prefix length for an LPM trie (see
    /// [`SetMap`]).
    fn lookup(&mut self, cond: &Cond) -> Result<()> {
        let map = match cond.rhs {
            Val::Const(code) => SetMap::from_code(code),
            _ => None,
        }
        .ok_or_else(|| cannot_look_up("no set"))?;
        let at = match self.set_maps.iter().position(|m| *m == map) {
            Some(i) => i,
            None => {
                self.set_maps.push(map);
                self.set_maps.len() - 1
            }
        };
        let mut key = KEY_AT;
        if map.lpm {
            let bits = map.family.bytes() as i32 * 8;
            self.emit(Insn::st_mem(Size::W, Reg::R10, key, bits));
            key += 4;
        }
        let words = member_words(map.family, &cond.lhs)
            .ok_or_else(|| cannot_look_up("an IPv6 address not loaded by words"))?;
        let (size, bits) = match map.family {
            Family::Port => (Size::H, 16),
            _ => (Size::W, 32),
        };
        for w in &words {
            self.eval(w, 0)?;
            self.emit(Insn::mov32_reg(Reg::R1, REGS[0]));
            self.emit(Insn::to_be(Reg::R1, bits));
            self.emit(Insn::stx_mem(size, Reg::R10, Reg::R1, key));
            key += bits as i16 / 8;
        }
        self.emit_all(Insn::ld_map_fd(Reg::R1, SET_MAP_BASE + at as i32));
        self.emit(Insn::mov64_reg(Reg::R2, Reg::R10));
        self.emit(Insn::alu64_imm(AluOp::Add, Reg::R2, i32::from(KEY_AT)));
        self.emit(Insn::call(Helper::MapLookupElem));
        Ok(())
    }

    fn emit_all(&mut self, insns: impl IntoIterator<Item = Insn>) {
        self.asm.emit_all(insns);
    }

    /// The label of node `n`.
    fn label(&mut self, n: NodeId) -> Label {
        *self.labels.entry(n).or_insert_with(|| self.asm.new_label())
    }

    /// Emits the conditional jump `insn` to `to` (it falls through
    /// otherwise).
    fn jump_if(&mut self, insn: Insn, to: NodeId) {
        let to = self.label(to);
        self.asm.jump_if(insn, to);
    }

    fn jump_to(&mut self, to: NodeId) {
        let to = self.label(to);
        self.asm.jump(to);
    }

    /// Computes `v` into `REGS[depth]`, using the registers after it,
    /// unless a register already holds it.
    fn eval(&mut self, v: &Val, depth: usize) -> Result<()> {
        let dst = *REGS
            .get(depth)
            .ok_or_else(|| too_large("arithmetic nested too deeply"))?;
        if let Some(r) = self.known.0.iter().position(|k| k.as_ref() == Some(v)) {
            if r != depth {
                self.emit(Insn::mov64_reg(dst, REGS[r]));
                self.known.0[depth] = Some(v.clone());
            }
            return Ok(());
        }
        self.compute(v, depth, dst)?;
        self.known.0[depth] = Some(v.clone());
        Ok(())
    }

    /// Computes `v` into `dst`, which is `REGS[depth]`.
    fn compute(&mut self, v: &Val, depth: usize, dst: Reg) -> Result<()> {
        match v {
            Val::Const(k) => self.emit(Insn::mov32_imm(dst, *k as i32)),
            Val::Len => match self.flavour {
                // `struct __sk_buff` starts with `len`.
                Flavour::Socket => self.emit(Insn::ldx_mem(Size::W, dst, Reg::R6, 0)),
                Flavour::Xdp => {
                    self.packet_bounds();
                    self.emit(Insn::mov64_reg(dst, Reg::R3));
                    self.emit(Insn::alu64_reg(AluOp::Sub, dst, Reg::R2));
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
                self.emit(Insn::mov64_reg(dst, Reg::R0));
            }
            Val::IpHdrLen(off) => {
                self.load(1, *off, None);
                self.emit(Insn::alu32_imm(AluOp::And, Reg::R0, 0x0f));
                self.emit(Insn::alu32_imm(AluOp::Lsh, Reg::R0, 2));
                self.emit(Insn::mov64_reg(dst, Reg::R0));
            }
            Val::Var(var) => self.emit(Insn::ldx_mem(Size::W, dst, Reg::R10, slot(*var))),
            Val::Meta(m) => self.meta(*m, dst),
            Val::Neg(a) => {
                self.eval(a, depth)?;
                self.emit(Insn::neg32(dst));
            }
            Val::Alu(op, a, b) => {
                self.eval(a, depth)?;
                self.alu(*op, dst, b, depth)?;
            }
        }
        Ok(())
    }

    /// `dst` = packet metadata, from the context. XDP sees only packets
    /// the interface received, so their type is always `PACKET_HOST` (0):
    /// `inbound` holds for every one, `outbound` for none.
    fn meta(&mut self, m: Meta, dst: Reg) {
        // Offsets in `struct __sk_buff` and `struct xdp_md`.
        const SKB_PKT_TYPE: i16 = 4;
        const SKB_IFINDEX: i16 = 40;
        const XDP_INGRESS_IFINDEX: i16 = 12;
        match (self.flavour, m) {
            (Flavour::Socket, Meta::PktType) => {
                self.emit(Insn::ldx_mem(Size::W, dst, Reg::R6, SKB_PKT_TYPE))
            }
            (Flavour::Socket, Meta::IfIndex) => {
                self.emit(Insn::ldx_mem(Size::W, dst, Reg::R6, SKB_IFINDEX))
            }
            (Flavour::Xdp, Meta::PktType) => self.emit(Insn::mov32_imm(dst, 0)),
            (Flavour::Xdp, Meta::IfIndex) => {
                self.emit(Insn::ldx_mem(Size::W, dst, Reg::R6, XDP_INGRESS_IFINDEX))
            }
        }
    }

    /// Goes to "no match" with a jump that is always taken but leaves the
    /// code after it reachable for the verifier's static check.
    fn reject_always(&mut self) {
        self.jump_if(Insn::jmp_reg(JmpOp::Jeq, Reg::R6, Reg::R6, 0), REJECT);
    }

    /// r2 = packet start, r3 = packet end (XDP).
    fn packet_bounds(&mut self) {
        self.emit(Insn::ldx_mem(Size::W, Reg::R2, Reg::R6, 0));
        self.emit(Insn::ldx_mem(Size::W, Reg::R3, Reg::R6, 4));
    }

    /// r0 = the big-endian `size`-byte value at `index + off`; a load past
    /// the packet ends in "no match".
    fn load(&mut self, size: u8, off: u32, index: Option<Reg>) {
        let bits = Size::of_bytes(size);
        match (self.flavour, index) {
            (Flavour::Socket, None) => self.emit(Insn::ld_abs(bits, off as i32)),
            (Flavour::Socket, Some(r)) => self.emit(Insn::ld_ind(bits, r, off as i32)),
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
                        Insn::jmp32_imm(JmpOp::Jgt, r, (0xffff - end) as i32, 0),
                        REJECT,
                    );
                    self.emit(Insn::mov32_reg(Reg::R4, r));
                    self.emit(Insn::alu64_reg(AluOp::Add, Reg::R2, Reg::R4));
                }
                self.emit(Insn::alu64_imm(AluOp::Add, Reg::R2, off as i32));
                self.emit(Insn::mov64_reg(Reg::R4, Reg::R2));
                self.emit(Insn::alu64_imm(AluOp::Add, Reg::R4, i32::from(size)));
                self.jump_if(Insn::jmp_reg(JmpOp::Jgt, Reg::R4, Reg::R3, 0), REJECT);
                self.emit(Insn::ldx_mem(bits, Reg::R0, Reg::R2, 0));
                if size > 1 {
                    // Packet bytes are big-endian; make the value a number.
                    self.emit(Insn::to_be(Reg::R0, i32::from(size) * 8));
                }
            }
        }
    }

    /// `dst = dst OP b` with classic BPF's rules: division by zero rejects
    /// the packet, shifts by 32 or more give 0.
    fn alu(&mut self, op: ArithOp, dst: Reg, b: &Val, depth: usize) -> Result<()> {
        let code = AluOp::of(op);
        let shift = matches!(op, ArithOp::Shl | ArithOp::Shr);
        let divide = matches!(op, ArithOp::Div | ArithOp::Mod);
        if let Val::Const(k) = b {
            match () {
                _ if divide && *k == 0 => self.reject_always(),
                _ if shift && *k >= 32 => self.emit(Insn::mov32_imm(dst, 0)),
                _ => self.emit(Insn::alu32_imm(code, dst, *k as i32)),
            }
            return Ok(());
        }
        self.eval(b, depth + 1)?;
        let src = REGS[depth + 1];
        if divide {
            self.jump_if(Insn::jmp32_imm(JmpOp::Jeq, src, 0, 0), REJECT);
        }
        if shift {
            // if src >= 32 { dst = 0 } else { dst = dst OP src }
            let mut b = Asm::new();
            let (wide, done) = (b.new_label(), b.new_label());
            b.jump_if(Insn::jmp32_imm(JmpOp::Jge, src, 32, 0), wide);
            b.emit(Insn::alu32_reg(code, dst, src));
            b.jump(done);
            b.bind(wide);
            b.emit(Insn::mov32_imm(dst, 0));
            b.bind(done);
            self.asm.emit_all(block(b)?);
        } else {
            self.emit(Insn::alu32_reg(code, dst, src));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ebpf::asm::kernel_len;
    use crate::ebpf::insn::LD;
    use crate::ir::{CmpOp, Cond};
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
            if i.is_jump() {
                let to = pc as i64 + 1 + i64::from(i.off);
                assert!((0..p.len() as i64).contains(&to), "jump at {pc} to {to}");
            }
        }
        assert_eq!(*p.last().unwrap(), Insn::exit());
    }

    #[test]
    fn accept_all_is_a_bare_return() {
        let p = emit("");
        well_formed(&p);
        // Only the accepting exit is there: the verifier refuses dead code.
        assert_eq!(count(&p, Insn::exit()), 1);
        assert_eq!(p[p.len() - 2].imm, crate::DEFAULT_SNAPLEN as i32);
    }

    #[test]
    fn tests_are_32_bit_and_loads_are_legacy() {
        let p = emit("tcp port 80 and ip[2:2] > 0x80000000");
        well_formed(&p);
        let jgt = Insn::jmp32_imm(JmpOp::Jgt, Reg::R7, i32::MIN, 0);
        assert!(p.iter().any(|i| i.code == jgt.code && i.imm == jgt.imm));
        assert!(p.iter().any(|i| i.code == Insn::ld_abs(Size::H, 0).code));
        assert!(
            p.iter()
                .any(|i| i.code == Insn::ld_ind(Size::H, Reg::R7, 0).code)
        );
    }

    #[test]
    fn division_by_a_runtime_zero_rejects() {
        let p = emit("ip[0] / ip[1] = 1");
        well_formed(&p);
        // A test of the divisor against 0 precedes the division.
        let div = Insn::alu32_reg(AluOp::Div, Reg::R7, Reg::R8);
        let div = p.iter().position(|i| i.code == div.code).unwrap();
        let test = Insn::jmp32_imm(JmpOp::Jeq, Reg::R8, 0, 0);
        assert!(p[..div].iter().any(|i| i.code == test.code && i.imm == 0));
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
            if i.is_jump() {
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
            let (dst, src) = (usize::from(i.dst().index()), usize::from(i.src().index()));
            let jump = |pc: usize| (pc as i64 + i64::from(i.off)) as usize;
            // The instruction with the fields that are not operands zeroed.
            let op = Insn {
                regs: 0,
                off: 0,
                imm: 0,
                ..i
            };
            let zero = Reg::R0;
            match op {
                _ if op == Insn::mov64_reg(zero, zero) => r[dst] = r[src],
                _ if op == Insn::mov32_imm(zero, 0) => r[dst] = i.imm as u32,
                _ if op == Insn::ld_abs(Size::B, 0) => match pkt.get(i.imm as usize) {
                    Some(&b) => r[0] = u32::from(b),
                    None => return 0,
                },
                _ if op == Insn::jmp32_imm(JmpOp::Jeq, zero, 0, 0) => {
                    if r[dst] == i.imm as u32 {
                        pc = jump(pc)
                    }
                }
                _ if op == Insn::ja(0) => pc = jump(pc),
                _ if op == Insn::exit() => return r[0],
                _ => panic!("unexpected opcode {:#x} at {}", i.code, pc - 1),
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

    /// How many instructions have the opcode of `like`.
    fn count(p: &[Insn], like: Insn) -> usize {
        p.iter().filter(|i| i.code == like.code).count()
    }

    #[test]
    fn values_in_registers_are_not_loaded_again() {
        // A tree of comparisons of one port loads it once per header
        // layout, not once per comparison.
        let p = port_tree();
        well_formed(&p);
        let loads = p.iter().filter(|i| i.class() == LD).count();
        assert!(loads < 20, "{loads} loads");
    }

    #[test]
    fn inner_tree_nodes_fall_through_to_their_true_branch() {
        // They jump to their false branch with the complement (`jle` for
        // `jgt`) instead of adding a `ja`; only leaves whose false branch
        // is elsewhere need one.
        let p = port_tree();
        well_formed(&p);
        let test = |op| count(&p, Insn::jmp32_imm(op, Reg::R7, 0, 0));
        let (jgt, jle, jeq) = (test(JmpOp::Jgt), test(JmpOp::Jle), test(JmpOp::Jeq));
        assert!(jgt == 0 && jle > 100, "{jgt} jgt, {jle} jle");
        let ja = count(&p, Insn::ja(0));
        assert!(ja < jeq / 2, "{ja} ja");
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
