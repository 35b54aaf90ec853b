//! Classic BPF → x86-64 machine code: a small encoder for the handful of
//! instructions the translation needs, and the translation itself.
//!
//! The generated function has the System V signature
//! `fn(pkt: *const u8, caplen: usize, wirelen: u32) -> u32` and is a leaf
//! (it calls nothing), so it keeps the scratch memory `M[]` in the red zone
//! below the stack pointer and needs no frame. Registers:
//!
//! | BPF       | x86-64 |
//! |-----------|--------|
//! | A         | `eax`  |
//! | X         | `r9d`  |
//! | packet    | `rdi`  |
//! | caplen    | `rsi`  |
//! | wirelen   | `r8d` (moved from `edx`, which `div` clobbers) |
//! | `M[i]`    | `[rsp - 64 + 4 i]` |
//! | decided   | `r10d` (see below) |
//! | temporaries | `ecx`, `edx`, `r11` |
//!
//! Semantics are the interpreter's ([`crate::cbpf::interp::run`]): a load
//! past the captured bytes (or whose offset overflows 32 bits) and a
//! division or modulo by a zero X return 0; shifts by 32 or more give 0.
//! The caller guarantees `caplen <= i32::MAX`, so a constant offset that
//! does not fit in a 32-bit displacement is known to be out of bounds.
//!
//! Bounds checks: since classic BPF only jumps forward, one pass over the
//! program finds, for every instruction, how many bytes of packet every
//! path to it has already proven present (a failed check ends the run);
//! an absolute load within that length needs no check of its own.
//!
//! Verdicts without a branch: a conditional jump one of whose ways is a
//! return of a constant (a leaf: `ret #0`, or the program's one accepting
//! `ret #k`) is not a branch in the code. Its condition is noted in the
//! `decided` register and the code goes on the other way; every exit then
//! returns what the first noted leaf would have returned, if any. The
//! other way runs for nothing on such packets, but it can only end the
//! same: at a `ret`, a failed bounds check or a division by zero, all of
//! which consult `decided`; it stores nothing that outlives the run. This
//! pays where packets take either way at random (the protocol tests of a
//! capture's mix): a mispredicted branch costs more than running a few
//! instructions. The bounds proofs stay sound: the code still only
//! follows edges of the program. Two forms (see [`Defer`]): where only
//! rejections are deferred, `decided` is an "or" of their conditions;
//! with accepting leaves too, the first leaf met wins (`cmov`).

use crate::cbpf::Program;
use crate::cbpf::insn::*;

// Register numbers.
const RAX: u8 = 0;
const RCX: u8 = 1;
const RDX: u8 = 2;
const RSP: u8 = 4;
const RSI: u8 = 6;
const RDI: u8 = 7;
const R8: u8 = 8;
const R9: u8 = 9;
const R10: u8 = 10;
const R11: u8 = 11;

const REG_A: u8 = RAX;
const REG_X: u8 = R9;
const REG_PKT: u8 = RDI;
const REG_CAPLEN: u8 = RSI;
const REG_WIRELEN: u8 = R8;
/// What the deferred leaves decided (see [`Defer`]).
const REG_DECIDED: u8 = R10;

// Condition codes (the low nibble of `Jcc`).
const CC_B: u8 = 0x2;
const CC_AE: u8 = 0x3;
const CC_E: u8 = 0x4;
const CC_NE: u8 = 0x5;
const CC_A: u8 = 0x7;

/// The largest packet offset (plus load size) a constant displacement
/// can name; the caller keeps `caplen` at or below it.
const MAX_CAPLEN: usize = super::JitFilter::MAX_CAPLEN;

/// Where a jump goes.
#[derive(Clone, Copy)]
enum Target {
    /// The code of a BPF instruction.
    Pc(usize),
    /// The shared "return 0" exit (failed bounds check, division by zero).
    Reject,
}

/// An x86-64 code buffer with forward jumps to labels resolved at the end.
struct Asm {
    code: Vec<u8>,
    /// Per jump, in emission order: whether it is encoded with an 8-bit
    /// displacement (decided by a first pass with all jumps long).
    short: Vec<bool>,
    /// Per jump: where its displacement is, how wide, and the target.
    jumps: Vec<(usize, bool, Target)>,
}

impl Asm {
    fn byte(&mut self, b: u8) {
        self.code.push(b);
    }

    fn bytes(&mut self, b: &[u8]) {
        self.code.extend_from_slice(b);
    }

    fn imm32(&mut self, v: u32) {
        self.bytes(&v.to_le_bytes());
    }

    /// A REX prefix, when one is needed (64-bit operand or a register
    /// numbered 8 or more).
    fn rex(&mut self, w: bool, reg: u8, index: u8, base: u8) {
        let rex = 0x40 | u8::from(w) << 3 | (reg >> 3) << 2 | (index >> 3) << 1 | base >> 3;
        if rex != 0x40 {
            self.byte(rex);
        }
    }

    /// `op reg, rm` (or `op rm, reg`, per the opcode) between registers.
    fn rr(&mut self, w: bool, op: &[u8], reg: u8, rm: u8) {
        self.rex(w, reg, 0, rm);
        self.bytes(op);
        self.byte(0xc0 | (reg & 7) << 3 | (rm & 7));
    }

    /// `op reg, [base + disp]` with the shortest displacement; `base` is
    /// neither `rsp` nor `r12` (they need a SIB byte).
    fn mem(&mut self, w: bool, op: &[u8], reg: u8, base: u8, disp: i32) {
        self.rex(w, reg, 0, base);
        self.bytes(op);
        let (r, b) = ((reg & 7) << 3, base & 7);
        if disp == 0 && b != 5 {
            self.byte(r | b);
        } else if let Ok(d) = i8::try_from(disp) {
            self.byte(0x40 | r | b);
            self.byte(d as u8);
        } else {
            self.byte(0x80 | r | b);
            self.imm32(disp as u32);
        }
    }

    /// `op reg, [base + index + disp]`; `index` is not `rsp`.
    fn mem_index(&mut self, op: &[u8], reg: u8, base: u8, index: u8, disp: i32) {
        self.rex(false, reg, index, base);
        self.bytes(op);
        let (r, sib) = ((reg & 7) << 3, (index & 7) << 3 | (base & 7));
        if disp == 0 && base & 7 != 5 {
            self.bytes(&[r | 4, sib]);
        } else if let Ok(d) = i8::try_from(disp) {
            self.bytes(&[0x40 | r | 4, sib, d as u8]);
        } else {
            self.bytes(&[0x80 | r | 4, sib]);
            self.imm32(disp as u32);
        }
    }

    /// `op reg, [rsp + disp]` (scratch memory in the red zone).
    fn stack(&mut self, op: &[u8], reg: u8, disp: i8) {
        self.rex(false, reg, 0, RSP);
        self.bytes(op);
        self.byte(0x40 | (reg & 7) << 3 | 4);
        self.byte(0x24);
        self.byte(disp as u8);
    }

    /// Group-1 operation (`/digit`: 0 add, 1 or, 4 and, 5 sub, 6 xor,
    /// 7 cmp) of a register with an immediate.
    fn alu_imm(&mut self, w: bool, digit: u8, rm: u8, imm: u32) {
        if let Ok(i) = i8::try_from(imm as i32) {
            self.rr(w, &[0x83], digit, rm);
            self.byte(i as u8);
        } else {
            self.rr(w, &[0x81], digit, rm);
            self.imm32(imm);
        }
    }

    fn mov_imm(&mut self, reg: u8, imm: u32) {
        if imm == 0 {
            self.rr(false, &[0x31], reg, reg); // xor reg, reg
        } else {
            self.rex(false, 0, 0, reg);
            self.byte(0xb8 | (reg & 7));
            self.imm32(imm);
        }
    }

    fn mov(&mut self, dst: u8, src: u8) {
        self.rr(false, &[0x89], src, dst);
    }

    fn ret(&mut self) {
        self.byte(0xc3);
    }

    /// A jump (`cc` = `None`: unconditional) to `target`.
    fn jump(&mut self, cc: Option<u8>, target: Target) {
        let i = self.jumps.len();
        let short = self.short.get(i).copied().unwrap_or(false);
        match (cc, short) {
            (None, true) => self.byte(0xeb),
            (None, false) => self.byte(0xe9),
            (Some(cc), true) => self.byte(0x70 | cc),
            (Some(cc), false) => self.bytes(&[0x0f, 0x80 | cc]),
        }
        self.jumps.push((self.code.len(), short, target));
        let width = if short { 1 } else { 4 };
        self.code.resize(self.code.len() + width, 0);
    }
}

/// Translates a validated program. `short` holds the first pass's
/// decisions (empty: every jump long); `deferred` is [`deferred_leaves`]'s.
fn emit(
    prog: &Program,
    proven: &[Option<u64>],
    deferred: &Deferral,
    short: Vec<bool>,
) -> (Asm, Vec<usize>) {
    let insns = prog.insns();
    let mut asm = Asm {
        code: Vec::with_capacity(insns.len() * 12 + 16),
        short,
        jumps: Vec::new(),
    };
    let mut label = vec![0usize; insns.len()];
    let Deferral {
        form: defer,
        ref leaves,
    } = *deferred;
    // Entry: A = X = 0, wirelen out of edx, nothing decided yet.
    asm.mov_imm(REG_A, 0);
    asm.mov_imm(REG_X, 0);
    asm.mov(REG_WIRELEN, RDX);
    if defer != Defer::Not {
        asm.mov_imm(REG_DECIDED, 0);
    }
    for (pc, insn) in insns.iter().enumerate() {
        // Instructions no path reaches get no code.
        let Some(known) = proven[pc] else { continue };
        label[pc] = asm.code.len();
        let k = insn.k;
        let next = pc + 1;
        match insn.class() {
            LD | LDX => {
                let dst = if insn.class() == LD { REG_A } else { REG_X };
                match insn.mode() {
                    IMM => asm.mov_imm(dst, k),
                    MEM => asm.stack(&[0x8b], dst, scratch(k)),
                    LEN => asm.mov(dst, REG_WIRELEN),
                    ABS => load_abs(&mut asm, insn.size(), k, known),
                    IND => load_ind(&mut asm, insn.size(), k),
                    _ /* MSH */ => {
                        if !check_abs(&mut asm, k, 1, known) {
                            continue;
                        }
                        asm.mem(false, &[0x0f, 0xb6], REG_X, REG_PKT, k as i32);
                        asm.alu_imm(false, 4, REG_X, 0xf); // and r9d, 0xf
                        asm.rr(false, &[0xc1], 4, REG_X); // shl r9d, 2
                        asm.byte(2);
                    }
                }
            }
            ST => asm.stack(&[0x89], REG_A, scratch(k)),
            STX => asm.stack(&[0x89], REG_X, scratch(k)),
            ALU => alu(&mut asm, insn.code, k),
            JMP => {
                let op = insn.op();
                if op == JA {
                    let t = next + k as usize;
                    if t != next {
                        asm.jump(None, Target::Pc(t));
                    }
                    continue;
                }
                let (t, f) = insn.targets(pc);
                if t == f {
                    // Both ways lead to the same place: no test needed.
                    if t != next {
                        asm.jump(None, Target::Pc(t));
                    }
                    continue;
                }
                let leaf = leaves[pc];
                if leaf.is_some() && defer != Defer::Rejects {
                    asm.mov_imm(RCX, 0); // before the flags are set
                }
                let cc = match (op, insn.src() == X) {
                    (JSET, false) => {
                        if k <= 0xff {
                            asm.bytes(&[0xa8, k as u8]); // test al, imm8
                        } else {
                            asm.byte(0xa9); // test eax, imm32
                            asm.imm32(k);
                        }
                        CC_NE
                    }
                    (JSET, true) => {
                        asm.rr(false, &[0x85], REG_X, REG_A);
                        CC_NE
                    }
                    (_, x) => {
                        if x {
                            asm.rr(false, &[0x39], REG_X, REG_A); // cmp eax, r9d
                        } else if k == 0 && op == JEQ {
                            asm.rr(false, &[0x85], REG_A, REG_A); // test eax, eax
                        } else {
                            asm.alu_imm(false, 7, REG_A, k);
                        }
                        match op {
                            JEQ => CC_E,
                            JGT => CC_A,
                            _ /* JGE */ => CC_AE,
                        }
                    }
                };
                if let Some(Leaf { taken, accepts }) = leaf {
                    // Note the leaf's verdict, go the other way.
                    let (cc, other) = if taken { (cc, f) } else { (cc ^ 1, t) };
                    asm.bytes(&[0x0f, 0x90 | cc, 0xc0 | RCX]); // setcc cl
                    if defer == Defer::Rejects {
                        asm.rr(false, &[0x08], RCX, REG_DECIDED); // or r10b, cl
                    } else {
                        if accepts {
                            asm.rr(false, &[0x01], RCX, RCX); // add ecx, ecx
                        }
                        asm.rr(false, &[0x85], REG_DECIDED, REG_DECIDED); // test r10d, r10d
                        asm.rr(false, &[0x0f, 0x44], REG_DECIDED, RCX); // cmovz r10d, ecx
                    }
                    if other != next {
                        asm.jump(None, Target::Pc(other));
                    }
                } else if t == next {
                    asm.jump(Some(cc ^ 1), Target::Pc(f));
                } else {
                    asm.jump(Some(cc), Target::Pc(t));
                    if f != next {
                        asm.jump(None, Target::Pc(f));
                    }
                }
            }
            RET => {
                if insn.rval() == K {
                    asm.mov_imm(REG_A, k);
                }
                match defer {
                    Defer::Rejects if insn.rval() != K || k != 0 => {
                        // A & (rejected - 1): 0 once rejected.
                        asm.rr(false, &[0xff], 1, REG_DECIDED); // dec r10d
                        asm.rr(false, &[0x21], REG_DECIDED, REG_A); // and eax, r10d
                    }
                    Defer::Leaves { accept } => decided_verdict(&mut asm, k, accept),
                    _ => {}
                }
                asm.ret();
            }
            _ /* MISC */ => {
                if insn.miscop() == TXA {
                    asm.mov(REG_A, REG_X);
                } else {
                    asm.mov(REG_X, REG_A);
                }
            }
        }
    }
    (asm, label)
}

/// Which jumps to leaves are emitted without a branch, and how `decided`
/// (r10d) keeps their verdicts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Defer {
    /// None: every jump is a branch.
    Not,
    /// Only jumps to `ret #0`: `decided` is 1 once one's condition held
    /// (an "or"), and every return is masked to 0 then.
    Rejects,
    /// Jumps to `ret #0` and to `ret #accept`, the program's only other
    /// return (it returns no register): `decided` is 0 until the first
    /// leaf whose condition holds sets it, to 1 (rejected) or 2
    /// (accepted); later leaves leave it.
    Leaves { accept: u32 },
}

/// A conditional jump emitted without a branch: whether its leaf is the
/// way taken (else the way not taken), and whether that leaf accepts.
#[derive(Clone, Copy, Debug)]
struct Leaf {
    taken: bool,
    accepts: bool,
}

/// How a program's jumps to leaves are emitted: the form, and per
/// instruction the [`Leaf`] of each jump emitted without a branch.
struct Deferral {
    form: Defer,
    leaves: Vec<Option<Leaf>>,
}

/// The longest run of instructions a deferred jump may make every packet
/// go through to a return: a long linear chain (`--optimize-size` port
/// lists) costs more run in full than its one mispredicted exit.
const MAX_DEFERRED: usize = 24;

/// How `prog`'s jumps to leaves are emitted.
///
/// A jump is deferred only when the code on its other way has no branch
/// left (its own leaf jumps deferred) and reaches a return within
/// [`MAX_DEFERRED`] instructions. Deferring a jump in front of a real
/// branch would make packets that used to leave early go through that
/// branch (often a mispredicted one, as the protocol dispatch of
/// `len > 1200 and udp` after its length test), and hide the deferred
/// condition from the branch predictor's history.
fn deferred_leaves(prog: &Program, proven: &[Option<u64>]) -> Deferral {
    let insns = prog.insns();
    let live = |pc: &usize| proven[*pc].is_some();
    let rets = (0..insns.len())
        .filter(live)
        .filter(|&pc| insns[pc].class() == RET);
    let mut accepts = rets.map(|pc| (insns[pc].rval() == K).then_some(insns[pc].k));
    // Accepting leaves are deferred when every return is `ret #0` or one
    // and the same `ret #k`.
    let accept = accepts.try_fold(None, |one: Option<u32>, k| match (one, k?) {
        (_, 0) => Some(one),
        (None, k) => Some(Some(k)),
        (Some(a), k) => (a == k).then_some(Some(a)),
    });
    // Some(accepts) when `pc` is a leaf of the form.
    let leaf = |pc: usize, accept: Option<u32>| match insns[pc] {
        i if i.code != RET | K => None,
        i if i.k == 0 => Some(false),
        i => (Some(i.k) == accept).then_some(true),
    };
    // Backwards (jumps only go forward): whether the code from each
    // instruction on runs without a branch once its leaf jumps are
    // deferred, and at most how many instructions it runs.
    let per_jump = |accept: Option<u32>| -> Vec<Option<Leaf>> {
        let n = insns.len();
        let mut leaves = vec![None; n];
        let mut rest: Vec<Option<usize>> = vec![None; n];
        for (pc, insn) in insns.iter().enumerate().rev() {
            let next = pc + 1;
            rest[pc] = match insn.class() {
                RET => Some(1),
                JMP if insn.op() == JA => rest[next + insn.k as usize],
                JMP => {
                    let (t, f) = insn.targets(pc);
                    let jump = match (leaf(t, accept), leaf(f, accept)) {
                        (Some(a), _) => Some((true, a, f)),
                        (None, Some(a)) => Some((false, a, t)),
                        (None, None) => None,
                    };
                    match jump {
                        _ if t == f => rest[t],
                        Some((taken, accepts, other)) => {
                            let after = rest[other].map(|r| r + 1).filter(|&r| r <= MAX_DEFERRED);
                            if after.is_some() && live(&pc) {
                                leaves[pc] = Some(Leaf { taken, accepts });
                            }
                            after
                        }
                        None => None,
                    }
                }
                _ => rest[next].map(|r| r + 1),
            };
        }
        leaves
    };
    if let Some(Some(accept)) = accept {
        let leaves = per_jump(Some(accept));
        if leaves.iter().flatten().any(|l| l.accepts) {
            let form = Defer::Leaves { accept };
            return Deferral { form, leaves };
        }
    }
    let leaves = per_jump(None);
    let form = if leaves.iter().any(Option::is_some) {
        Defer::Rejects
    } else {
        Defer::Not
    };
    Deferral { form, leaves }
}

/// Under [`Defer::Leaves`], makes A (holding `k`, what this exit returns
/// if no leaf decided) the first decided leaf's verdict: 0 if rejected,
/// `accept` if accepted. Clobbers ecx.
fn decided_verdict(asm: &mut Asm, k: u32, accept: u32) {
    let (state, other) = if k == 0 { (2, accept) } else { (1, 0) };
    asm.mov_imm(RCX, other);
    asm.alu_imm(false, 7, REG_DECIDED, state); // cmp r10d, state
    asm.rr(false, &[0x0f, 0x44], REG_A, RCX); // cmove eax, ecx
}

/// The red-zone offset of `M[k]`.
fn scratch(k: u32) -> i8 {
    -64 + 4 * k as i8
}

fn size_bytes(size: u16) -> u64 {
    match size {
        W => 4,
        H => 2,
        _ => 1,
    }
}

/// Rejects the packet unless `k + n` bytes are captured (skipped when the
/// paths here proved `known` bytes already). `false` when the load can
/// never be in bounds (the code after it is then unreachable).
fn check_abs(asm: &mut Asm, k: u32, n: u64, known: u64) -> bool {
    let end = u64::from(k) + n;
    if end <= known {
        return true;
    }
    if end > MAX_CAPLEN as u64 {
        asm.jump(None, Target::Reject);
        return false;
    }
    asm.alu_imm(true, 7, REG_CAPLEN, end as u32); // cmp rsi, end
    asm.jump(Some(CC_B), Target::Reject);
    true
}

/// `ld{,h,b} [k]` into A, byte-swapped from network order.
fn load_abs(asm: &mut Asm, size: u16, k: u32, known: u64) {
    if !check_abs(asm, k, size_bytes(size), known) {
        return;
    }
    let disp = k as i32;
    match size {
        W => {
            asm.mem(false, &[0x8b], REG_A, REG_PKT, disp);
            asm.bytes(&[0x0f, 0xc8]); // bswap eax
        }
        H => {
            asm.mem(false, &[0x0f, 0xb7], REG_A, REG_PKT, disp);
            asm.bytes(&[0x66, 0xc1, 0xc0, 0x08]); // rol ax, 8
        }
        _ => asm.mem(false, &[0x0f, 0xb6], REG_A, REG_PKT, disp),
    }
}

/// `ld{,h,b} [x + k]` into A. The offset is computed in 64 bits (X's
/// register is only ever written by 32-bit operations, so its upper half
/// is 0), so an overflow of X + k is simply out of bounds.
fn load_ind(asm: &mut Asm, size: u16, k: u32) {
    let n = size_bytes(size);
    let (index, disp) = if u64::from(k) + n <= MAX_CAPLEN as u64 {
        // lea r11, [r9 + k + n]; the load then uses [rdi + r9 + k].
        asm.mem(true, &[0x8d], R11, REG_X, (u64::from(k) + n) as i32);
        (REG_X, k as i32)
    } else {
        // X + k > i32::MAX: out of bounds, but computed all the same.
        asm.mov(RDX, REG_X);
        asm.mov_imm(R11, k);
        asm.rr(true, &[0x01], R11, RDX); // add rdx, r11
        asm.mem(true, &[0x8d], R11, RDX, n as i32); // lea r11, [rdx + n]
        (RDX, 0)
    };
    asm.rr(true, &[0x39], REG_CAPLEN, R11); // cmp r11, rsi
    asm.jump(Some(CC_A), Target::Reject);
    match size {
        W => {
            asm.mem_index(&[0x8b], REG_A, REG_PKT, index, disp);
            asm.bytes(&[0x0f, 0xc8]);
        }
        H => {
            asm.mem_index(&[0x0f, 0xb7], REG_A, REG_PKT, index, disp);
            asm.bytes(&[0x66, 0xc1, 0xc0, 0x08]);
        }
        _ => asm.mem_index(&[0x0f, 0xb6], REG_A, REG_PKT, index, disp),
    }
}

fn alu(asm: &mut Asm, code: u16, k: u32) {
    let op = op_of(code);
    if op == NEG {
        asm.rr(false, &[0xf7], 3, REG_A);
        return;
    }
    if src_of(code) == K {
        match op {
            ADD => asm.alu_imm(false, 0, REG_A, k),
            OR => asm.alu_imm(false, 1, REG_A, k),
            AND => asm.alu_imm(false, 4, REG_A, k),
            SUB => asm.alu_imm(false, 5, REG_A, k),
            XOR => asm.alu_imm(false, 6, REG_A, k),
            MUL => {
                asm.rr(false, &[0x69], REG_A, REG_A); // imul eax, eax, k
                asm.imm32(k);
            }
            // k != 0 in a validated program.
            DIV if k.is_power_of_two() => shift_imm(asm, 5, k.trailing_zeros()),
            MOD if k.is_power_of_two() => asm.alu_imm(false, 4, REG_A, k - 1),
            DIV | MOD => {
                asm.mov_imm(RCX, k);
                divide(asm, RCX, op == MOD);
            }
            LSH => shift_imm(asm, 4, k),
            _ /* RSH */ => shift_imm(asm, 5, k),
        }
        return;
    }
    match op {
        ADD => asm.rr(false, &[0x01], REG_X, REG_A),
        OR => asm.rr(false, &[0x09], REG_X, REG_A),
        AND => asm.rr(false, &[0x21], REG_X, REG_A),
        SUB => asm.rr(false, &[0x29], REG_X, REG_A),
        XOR => asm.rr(false, &[0x31], REG_X, REG_A),
        MUL => asm.rr(false, &[0x0f, 0xaf], REG_A, REG_X), // imul eax, r9d
        DIV | MOD => {
            asm.rr(false, &[0x85], REG_X, REG_X); // test r9d, r9d
            asm.jump(Some(CC_E), Target::Reject);
            divide(asm, REG_X, op == MOD);
        }
        _ /* LSH, RSH */ => {
            // x86 masks the count to 5 bits; BPF gives 0 from 32 on.
            let digit = if op == LSH { 4 } else { 5 };
            asm.mov_imm(RDX, 0);
            asm.mov(RCX, REG_X);
            asm.rr(false, &[0xd3], digit, REG_A); // shl/shr eax, cl
            asm.alu_imm(false, 7, RCX, 32); // cmp ecx, 32
            asm.rr(false, &[0x0f, 0x43], REG_A, RDX); // cmovae eax, edx
        }
    }
}

/// `shl`/`shr` (`digit` 4/5) of A by a constant; 32 or more gives 0.
fn shift_imm(asm: &mut Asm, digit: u8, k: u32) {
    match k {
        0 => {}
        1..=31 => {
            asm.rr(false, &[0xc1], digit, REG_A);
            asm.byte(k as u8);
        }
        _ => asm.mov_imm(REG_A, 0),
    }
}

/// Unsigned `A / divisor` (or `A % divisor`) into A; the divisor is not 0.
fn divide(asm: &mut Asm, divisor: u8, modulo: bool) {
    asm.mov_imm(RDX, 0);
    asm.rr(false, &[0xf7], 6, divisor); // div divisor
    if modulo {
        asm.mov(REG_A, RDX);
    }
}

/// For every instruction, the number of packet bytes all paths reaching
/// it have proven captured; `None` when no path reaches it.
fn proven_lengths(prog: &Program) -> Vec<Option<u64>> {
    let insns = prog.insns();
    let mut at: Vec<Option<u64>> = vec![None; insns.len()];
    at[0] = Some(0);
    let meet = |at: &mut Vec<Option<u64>>, to: usize, v: u64| {
        at[to] = Some(at[to].map_or(v, |w| w.min(v)));
    };
    for (pc, insn) in insns.iter().enumerate() {
        let Some(mut known) = at[pc] else { continue };
        let next = pc + 1;
        let code = insn.code;
        if insn.class() == LD && insn.mode() == ABS || code == LDX | B | MSH {
            let n = if code == LDX | B | MSH {
                1
            } else {
                size_bytes(insn.size())
            };
            let end = u64::from(insn.k) + n;
            if end <= MAX_CAPLEN as u64 {
                known = known.max(end);
            }
        }
        match insn.class() {
            RET => {}
            JMP if insn.op() == JA => meet(&mut at, next + insn.k as usize, known),
            JMP => {
                let (t, f) = insn.targets(pc);
                meet(&mut at, t, known);
                meet(&mut at, f, known);
            }
            _ => meet(&mut at, next, known),
        }
    }
    at
}

/// The machine code for `prog`.
pub(super) fn compile(prog: &Program) -> Vec<u8> {
    let proven = proven_lengths(prog);
    // Every jump starts long. All jumps go forward, so a distance in one
    // layout bounds the distance in the next (where more jumps are
    // short): those that fit in 8 bits are made short, a few times over.
    let mut short = Vec::new();
    let deferred = deferred_leaves(prog, &proven);
    let (mut asm, mut labels) = emit(prog, &proven, &deferred, Vec::new());
    for _ in 0..4 {
        let reject = asm.code.len();
        let fits: Vec<bool> = asm
            .jumps
            .iter()
            .map(|&(at, was_short, target)| {
                let to = match target {
                    Target::Pc(pc) => labels[pc],
                    Target::Reject => reject,
                };
                let end = at + if was_short { 1 } else { 4 };
                was_short || to - end <= i8::MAX as usize
            })
            .collect();
        if fits == short {
            break;
        }
        short = fits;
        (asm, labels) = emit(prog, &proven, &deferred, short.clone());
    }
    let reject = asm.code.len();
    asm.mov_imm(REG_A, 0);
    if let Defer::Leaves { accept } = deferred.form {
        decided_verdict(&mut asm, 0, accept);
    }
    asm.ret();
    for &(at, short, target) in &asm.jumps {
        let to = match target {
            Target::Pc(pc) => labels[pc],
            Target::Reject => reject,
        };
        if short {
            let d = to - (at + 1);
            asm.code[at] = u8::try_from(d).expect("short jump fits");
        } else {
            let d = u32::try_from(to - (at + 4)).expect("code under 4 GiB");
            asm.code[at..at + 4].copy_from_slice(&d.to_le_bytes());
        }
    }
    asm.code
}
