//! The kernel's rules for classic BPF (`bpf_check_classic` and
//! `check_load_and_stores` in net/core/filter.c), so that a program we
//! hand to `SO_ATTACH_FILTER` is never refused, and so that the
//! interpreters may assume well-formed input.

use std::fmt;

use super::insn::*;

/// Why the kernel would refuse a program.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidProgram {
    /// Index of the offending instruction (the length for "empty"/"too long").
    pub pc: usize,
    /// The rule broken there.
    pub reason: Reason,
}

/// The rule a program breaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reason {
    /// No instructions at all: there would be no verdict.
    Empty,
    /// More than [`MAX_PROGRAM`] instructions, bpfcap's own bound (the
    /// kernel's smaller one, [`MAXINSNS`], is checked when attaching).
    TooLong,
    /// An opcode outside the kernel's table (`codes[]`).
    UnknownOpcode,
    /// `div #0` or `mod #0`: the kernel refuses a constant zero divisor
    /// (a zero in `x` rejects the packet at run time instead).
    DivisionByZero,
    /// A load or store of scratch word `k` with `k` not below
    /// [`MEMWORDS`].
    ScratchOutOfRange,
    /// A jump past the last instruction (jumps only go forward, so
    /// programs always end).
    JumpOutOfRange,
    /// The last instruction is not `ret`, so a path could fall off the
    /// end.
    NoFinalReturn,
    /// On some path a scratch word is loaded before anything was stored
    /// there (the kernel would leak its stack otherwise).
    ScratchReadBeforeWrite,
}

impl fmt::Display for InvalidProgram {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.reason {
            Reason::Empty => "program is empty",
            Reason::TooLong => "program has more than 1048576 instructions",
            Reason::UnknownOpcode => "unknown opcode",
            Reason::DivisionByZero => "division by constant zero",
            Reason::ScratchOutOfRange => "scratch memory index out of range",
            Reason::JumpOutOfRange => "jump target out of range",
            Reason::NoFinalReturn => "last instruction is not a return",
            Reason::ScratchReadBeforeWrite => "scratch memory read before write",
        };
        write!(f, "invalid BPF program at instruction {}: {what}", self.pc)
    }
}

impl std::error::Error for InvalidProgram {}

/// Whether `code` is one of the opcodes the kernel knows (its `codes[]`).
pub(crate) fn known_opcode(code: u16) -> bool {
    const ALU_OPS: [u16; 10] = [ADD, SUB, MUL, DIV, MOD, AND, OR, XOR, LSH, RSH];
    const JMP_OPS: [u16; 4] = [JEQ, JGT, JGE, JSET];
    match class_of(code) {
        ALU => {
            code == ALU | NEG
                || ALU_OPS
                    .iter()
                    .any(|&op| code == ALU | op | K || code == ALU | op | X)
        }
        LD => [LD | W | IMM, LD | W | MEM, LD | W | LEN].contains(&code)
            || [W, H, B]
                .iter()
                .any(|&size| code == LD | size | ABS || code == LD | size | IND),
        LDX => [LDX | W | IMM, LDX | W | MEM, LDX | W | LEN, LDX | B | MSH].contains(&code),
        ST => code == ST,
        STX => code == STX,
        MISC => code == MISC | TAX || code == MISC | TXA,
        RET => code == RET | K || code == RET | A,
        _ /* JMP */ => {
            code == JMP | JA
                || JMP_OPS
                    .iter()
                    .any(|&op| code == JMP | op | K || code == JMP | op | X)
        }
    }
}

/// Whether `code` divides by the constant `k` (`div #k`, `mod #k`), which
/// must not be 0.
pub(crate) fn divides_by_k(code: u16) -> bool {
    code == ALU | DIV | K || code == ALU | MOD | K
}

/// Whether `code` loads a scratch memory word (`ld M[k]`, `ldx M[k]`).
fn loads_scratch(code: u16) -> bool {
    code == LD | W | MEM || code == LDX | W | MEM
}

/// Whether `code` reads or writes scratch memory word `k`.
pub(crate) fn uses_scratch(code: u16) -> bool {
    loads_scratch(code) || code == ST || code == STX
}

/// Checks `insns` against the kernel's rules, but for the kernel's length
/// limit ([`MAXINSNS`]): longer programs run in user space, as libpcap's
/// do (see [`crate::Program::fits_in_kernel`]).
pub fn validate(insns: &[Insn]) -> Result<(), InvalidProgram> {
    let len = insns.len();
    let fail = |pc, reason| Err(InvalidProgram { pc, reason });
    if len == 0 {
        return fail(0, Reason::Empty);
    }
    if len > MAX_PROGRAM {
        return fail(len, Reason::TooLong);
    }
    // Whether some instruction loads a scratch word: without one (most
    // programs) no load can come before its store.
    let mut loads = false;
    for (pc, insn) in insns.iter().enumerate() {
        if !known_opcode(insn.code) {
            return fail(pc, Reason::UnknownOpcode);
        }
        loads |= loads_scratch(insn.code);
        let rest = len - pc - 1;
        let reason = match insn.code {
            c if divides_by_k(c) && insn.k == 0 => Some(Reason::DivisionByZero),
            c if uses_scratch(c) && insn.k >= MEMWORDS => Some(Reason::ScratchOutOfRange),
            c if c == JMP | JA && insn.k as usize >= rest => Some(Reason::JumpOutOfRange),
            c if class_of(c) == JMP
                && c != JMP | JA
                && (insn.jt as usize >= rest || insn.jf as usize >= rest) =>
            {
                Some(Reason::JumpOutOfRange)
            }
            _ => None,
        };
        if let Some(reason) = reason {
            return fail(pc, reason);
        }
    }
    if insns[len - 1].class() != RET {
        return fail(len - 1, Reason::NoFinalReturn);
    }
    if loads { check_scratch(insns) } else { Ok(()) }
}

/// The kernel's data-flow check that every scratch word is stored before
/// it is loaded, on every path: a bit mask of valid words flows forward
/// and is intersected where jumps meet.
fn check_scratch(insns: &[Insn]) -> Result<(), InvalidProgram> {
    let mut masks = vec![u16::MAX; insns.len()];
    let mut valid: u16 = 0;
    for (pc, insn) in insns.iter().enumerate() {
        valid &= masks[pc];
        match insn.code {
            ST | STX => valid |= 1 << insn.k,
            c if loads_scratch(c) && valid & (1 << insn.k) == 0 => {
                return Err(InvalidProgram {
                    pc,
                    reason: Reason::ScratchReadBeforeWrite,
                });
            }
            c if c == JMP | JA => {
                masks[pc + 1 + insn.k as usize] &= valid;
                valid = u16::MAX;
            }
            c if class_of(c) == JMP => {
                let (t, f) = insn.targets(pc);
                masks[t] &= valid;
                masks[f] &= valid;
                valid = u16::MAX;
            }
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ret(k: u32) -> Insn {
        Insn::stmt(RET | K, k)
    }

    #[test]
    fn accepts_minimal_program() {
        assert_eq!(validate(&[ret(0)]), Ok(()));
    }

    /// Longer than the kernel takes is still a valid program (it runs in
    /// user space); only absurd lengths are refused.
    #[test]
    fn length_limit_is_bpfcaps_not_the_kernels() {
        let mut p = vec![Insn::stmt(LD | IMM, 1); MAXINSNS + 10];
        p.push(ret(0));
        assert_eq!(validate(&p), Ok(()));
        let prog = crate::Program::new(p).unwrap();
        assert!(!prog.fits_in_kernel());
        let mut p = vec![Insn::stmt(LD | IMM, 1); MAX_PROGRAM];
        p.push(ret(0));
        assert_eq!(validate(&p).unwrap_err().reason, Reason::TooLong);
        assert!(crate::Program::new(vec![ret(0)]).unwrap().fits_in_kernel());
    }

    #[test]
    fn rejects_empty_and_unterminated() {
        assert_eq!(validate(&[]).unwrap_err().reason, Reason::Empty);
        let p = [Insn::stmt(LD | H | ABS, 12)];
        assert_eq!(validate(&p).unwrap_err().reason, Reason::NoFinalReturn);
    }

    #[test]
    fn rejects_bad_jumps() {
        let p = [Insn::jump(JMP | JEQ | K, 1, 0, 1), ret(0)];
        assert_eq!(validate(&p).unwrap_err().reason, Reason::JumpOutOfRange);
        let p = [Insn::stmt(JMP | JA, 1), ret(0)];
        assert_eq!(validate(&p).unwrap_err().reason, Reason::JumpOutOfRange);
    }

    #[test]
    fn rejects_unknown_opcode_and_div_zero() {
        let p = [Insn::stmt(LDX | H | ABS, 0), ret(0)];
        assert_eq!(validate(&p).unwrap_err().reason, Reason::UnknownOpcode);
        let p = [Insn::stmt(ALU | DIV | K, 0), ret(0)];
        assert_eq!(validate(&p).unwrap_err().reason, Reason::DivisionByZero);
    }

    #[test]
    fn scratch_must_be_written_on_every_path() {
        // 0: jeq #1 jt 1 jf 2; 1: st M[0]; 2: ld M[0]; 3: ret a
        let p = [
            Insn::jump(JMP | JEQ | K, 1, 0, 1),
            Insn::stmt(ST, 0),
            Insn::stmt(LD | MEM, 0),
            Insn::stmt(RET | A, 0),
        ];
        let err = validate(&p).unwrap_err();
        assert_eq!((err.pc, err.reason), (2, Reason::ScratchReadBeforeWrite));
        let p = [
            Insn::stmt(ST, 0),
            Insn::jump(JMP | JEQ | K, 1, 0, 0),
            Insn::stmt(LD | MEM, 0),
            Insn::stmt(RET | A, 0),
        ];
        assert_eq!(validate(&p), Ok(()));
    }
}
