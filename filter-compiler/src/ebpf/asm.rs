//! A small eBPF assembler: instructions and jumps to labels, laid out by
//! the crate's `jumps` module (the resolver the classic back end uses
//! too), which turns labels into offsets and routes jumps beyond eBPF's
//! 16-bit reach through trampolines.
//!
//! The filter code generator and the program templates (counters, ring
//! buffer output) both write their code with it. A sequence that must stay
//! whole (a template's tail, a short `if`) is laid out on its own with
//! [`Asm::finish`] and emitted into the program as plain instructions:
//! no trampoline then goes inside it.
//!
//! ```
//! use bpfcap_filter::ebpf::asm::Asm;
//! use bpfcap_filter::ebpf::insn::{Insn, JmpOp, Reg};
//! let mut a = Asm::new();
//! let zero = a.new_label();
//! a.jump_if(Insn::jmp_imm(JmpOp::Jeq, Reg::R1, 0, 0), zero);
//! a.emit_all([Insn::mov64_imm(Reg::R0, 1), Insn::exit()]);
//! a.bind(zero);
//! a.emit_all([Insn::mov64_imm(Reg::R0, 0), Insn::exit()]);
//! let code = a.finish().unwrap();
//! assert_eq!(code[0].off, 2);
//! ```

use std::fmt;

use rustc_hash::FxHashMap as HashMap;

use super::insn::{ABS, ALU, ALU64, AluOp, IND, Insn, JMP, JmpOp, LD};
use crate::jumps::{self, Item, Unresolved};

/// The kernel's limit on a program's instructions
/// (`BPF_COMPLEXITY_LIMIT_INSNS`, for a loader with `CAP_BPF`).
pub const MAX_INSNS: usize = 1_000_000;

/// A place in the code that jumps go to, made by [`Asm::new_label`] and
/// placed by [`Asm::bind`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Label(jumps::Label);

/// Code with jumps to labels, not yet laid out.
#[derive(Clone, Debug, Default)]
pub struct Asm {
    items: Vec<Item<Insn>>,
    /// Labels made so far (the next one's number).
    labels: usize,
    /// The first instruction given to [`Asm::jump_if`] that is not a
    /// conditional jump, reported by [`Asm::finish`].
    not_a_jump: Option<Insn>,
}

/// Why [`Asm::finish`] could not lay out the code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AsmError {
    /// A jump goes to a label that was never bound.
    Unbound(Label),
    /// A label was bound twice.
    BoundTwice(Label),
    /// A jump goes back (to a label bound before it): eBPF programs
    /// here have no loops.
    Backward(Label),
    /// [`Asm::jump_if`] was given something other than a conditional
    /// jump.
    NotAJump(Insn),
    /// The program would have this many instructions, more than
    /// [`MAX_INSNS`].
    TooLong(usize),
    /// A jump's target is out of the 16-bit offset's reach and there is
    /// no place for a trampoline within it.
    OutOfRange,
}

impl fmt::Display for AsmError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AsmError::Unbound(l) => write!(f, "a jump goes to label {}, which is not bound", l.0),
            AsmError::BoundTwice(l) => write!(f, "label {} is bound twice", l.0),
            AsmError::Backward(l) => write!(f, "a jump goes back to label {}", l.0),
            AsmError::NotAJump(i) => write!(f, "{i:?} is not a conditional jump"),
            AsmError::TooLong(n) => write!(
                f,
                "the program would have {n} instructions; the kernel takes at most {MAX_INSNS}"
            ),
            AsmError::OutOfRange => f.write_str("a jump is out of eBPF's 16-bit range"),
        }
    }
}

impl std::error::Error for AsmError {}

impl Asm {
    /// No code yet.
    pub fn new() -> Asm {
        Asm::default()
    }

    /// Adds an instruction that jumps nowhere (or by a fixed offset that
    /// stays within code without labels, such as the two halves of a
    /// 64-bit immediate).
    pub fn emit(&mut self, insn: Insn) {
        self.items.push(Item::Plain(insn));
    }

    /// Adds instructions, as [`Asm::emit`] does.
    pub fn emit_all(&mut self, insns: impl IntoIterator<Item = Insn>) {
        self.items.extend(insns.into_iter().map(Item::Plain));
    }

    /// A new label, to [bind](Asm::bind) later.
    pub fn new_label(&mut self) -> Label {
        self.labels += 1;
        Label(self.labels - 1)
    }

    /// Places `label` before the next instruction.
    pub fn bind(&mut self, label: Label) {
        self.items.push(Item::Label(label.0));
    }

    /// Adds the conditional jump `cond` (made with offset 0, e.g. by
    /// [`Insn::jmp32_imm`]), taken to `to`; otherwise control goes on.
    pub fn jump_if(&mut self, cond: Insn, to: Label) {
        if !cond.is_jump() || cond.op() == JmpOp::Ja.code() {
            self.not_a_jump.get_or_insert(cond);
        }
        self.items.push(Item::Cond {
            insn: cond,
            t: to.0,
            f: None,
        });
    }

    /// Adds `goto to`.
    pub fn jump(&mut self, to: Label) {
        self.items.push(Item::Ja(to.0));
    }

    /// Whether any jump goes to `label`.
    pub fn is_used(&self, label: Label) -> bool {
        self.items.iter().any(|it| match *it {
            Item::Cond { t, .. } => t == label.0,
            Item::Ja(to) => to == label.0,
            _ => false,
        })
    }

    /// Lays the code out: labels become offsets, far jumps go through
    /// trampolines.
    pub fn finish(self) -> Result<Vec<Insn>, AsmError> {
        if let Some(i) = self.not_a_jump {
            return Err(AsmError::NotAJump(i));
        }
        let mut bound_at: HashMap<jumps::Label, usize> = HashMap::default();
        for (at, it) in self.items.iter().enumerate() {
            if let Item::Label(l) = *it
                && bound_at.insert(l, at).is_some()
            {
                return Err(AsmError::BoundTwice(Label(l)));
            }
        }
        for (at, it) in self.items.iter().enumerate() {
            let to = match *it {
                Item::Cond { t, .. } => t,
                Item::Ja(to) => to,
                _ => continue,
            };
            match bound_at.get(&to) {
                None => return Err(AsmError::Unbound(Label(to))),
                Some(&there) if there < at => return Err(AsmError::Backward(Label(to))),
                Some(_) => {}
            }
        }
        jumps::resolve::<Ebpf>(self.items, MAX_INSNS).map_err(|e| match e {
            Unresolved::TooLong(n) => AsmError::TooLong(n),
            Unresolved::NoPlace => AsmError::OutOfRange,
        })
    }
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
        insn.code == JMP | JmpOp::Exit.code() || insn.code == JMP | JmpOp::Ja.code()
    }

    fn is_return(_: &Insn) -> bool {
        false
    }

    fn ja(off: usize) -> Insn {
        Insn::ja(off as i16)
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
    let divides = insn.op() == AluOp::Div.code() || insn.op() == AluOp::Mod.code();
    match insn.class() {
        LD if insn.mode() == ABS || insn.mode() == IND => 7,
        ALU | ALU64 if divides && insn.uses_src_reg() => 4,
        JMP if insn.op() == JmpOp::Call.code() => 16,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ebpf::insn::{Reg, Size};

    fn jeq0() -> Insn {
        Insn::jmp_imm(JmpOp::Jeq, Reg::R0, 0, 0)
    }

    #[test]
    fn labels_become_offsets() {
        let mut a = Asm::new();
        let (skip, end) = (a.new_label(), a.new_label());
        a.jump_if(jeq0(), skip);
        a.emit_all(Insn::ld_map_fd(Reg::R1, 0));
        a.jump(end);
        a.bind(skip);
        a.emit(Insn::mov64_imm(Reg::R0, 1));
        a.bind(end);
        a.emit(Insn::exit());
        let code = a.finish().unwrap();
        assert_eq!(code.len(), 6);
        assert_eq!((code[0].off, code[3].off), (3, 1));
        assert_eq!(code[3], Insn::ja(1));
    }

    #[test]
    fn finished_blocks_go_whole_into_other_code() {
        let mut block = Asm::new();
        let done = block.new_label();
        block.jump_if(jeq0(), done);
        block.emit(Insn::mov64_imm(Reg::R0, 2));
        block.bind(done);
        let block = block.finish().unwrap();
        assert_eq!(block[0].off, 1);
        let mut a = Asm::new();
        let end = a.new_label();
        a.jump_if(jeq0(), end);
        a.emit_all(block.clone());
        a.emit_all(block);
        a.bind(end);
        a.emit(Insn::exit());
        let offs: Vec<i16> = a.finish().unwrap().iter().map(|i| i.off).collect();
        assert_eq!(offs, [4, 1, 0, 1, 0, 0]);
    }

    #[test]
    fn mistakes_are_reported() {
        let mut a = Asm::new();
        let l = a.new_label();
        a.jump(l);
        assert_eq!(a.clone().finish(), Err(AsmError::Unbound(l)));
        let mut b = Asm::new();
        let back = b.new_label();
        b.bind(back);
        b.emit(Insn::exit());
        b.jump(back);
        assert_eq!(b.finish(), Err(AsmError::Backward(back)));
        a.bind(l);
        a.bind(l);
        assert_eq!(a.finish(), Err(AsmError::BoundTwice(l)));
        let mut d = Asm::new();
        let l = d.new_label();
        d.jump_if(Insn::exit(), l);
        d.bind(l);
        assert_eq!(d.finish(), Err(AsmError::NotAJump(Insn::exit())));
        assert!(AsmError::Unbound(l).to_string().contains("not bound"));
    }

    #[test]
    fn far_jumps_are_routed_and_overlong_programs_refused() {
        // 5,000 legacy loads cost 35,000 after the kernel's rewriting:
        // beyond the reach of one jump.
        let mut a = Asm::new();
        let end = a.new_label();
        a.jump_if(jeq0(), end);
        for i in 0..5_000 {
            let next = a.new_label();
            a.emit(Insn::ld_abs(Size::B, i));
            a.jump(next);
            a.bind(next);
        }
        a.bind(end);
        a.emit(Insn::exit());
        let code = a.finish().unwrap();
        let to = usize::try_from(code[0].off).unwrap() + 1;
        assert_ne!(
            code[to],
            Insn::exit(),
            "the first jump goes to a trampoline"
        );

        let mut long = Asm::new();
        long.emit_all(std::iter::repeat_n(Insn::exit(), MAX_INSNS + 1));
        assert_eq!(long.finish(), Err(AsmError::TooLong(MAX_INSNS + 1)));
    }
}
