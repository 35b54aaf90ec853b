//! The classic BPF instruction, laid out exactly like the kernel's
//! `struct sock_filter` so a program can be handed to `SO_ATTACH_FILTER`
//! without conversion.
//!
//! The ALU and jump operations come from [`crate::opcode`], the table
//! shared with eBPF.

use crate::opcode::{AluOp, JmpOp};

/// One classic BPF instruction (`struct sock_filter` / `struct bpf_insn`).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Insn {
    /// Opcode: class, size/mode or operation, and operand source, or'ed
    /// together from the constants below.
    pub code: u16,
    /// Conditional jumps: instructions to skip when the test holds.
    pub jt: u8,
    /// Conditional jumps: instructions to skip when it does not.
    pub jf: u8,
    /// The operand: a constant, an offset, a scratch word, a return
    /// value or (`ja`) the distance to jump, depending on `code`.
    pub k: u32,
}

impl Insn {
    /// A non-jump instruction.
    pub const fn stmt(code: u16, k: u32) -> Insn {
        Insn {
            code,
            jt: 0,
            jf: 0,
            k,
        }
    }

    /// A conditional (or unconditional, with `jt = jf = 0`) jump.
    pub const fn jump(code: u16, k: u32, jt: u8, jf: u8) -> Insn {
        Insn { code, jt, jf, k }
    }

    /// Where a conditional jump at `pc` goes: its true and false ways
    /// (offsets count from the next instruction).
    pub const fn targets(&self, pc: usize) -> (usize, usize) {
        (pc + 1 + self.jt as usize, pc + 1 + self.jf as usize)
    }
}

// Instruction classes (`BPF_CLASS`, bits 0–2).
/// `BPF_LD`: load into the accumulator.
pub const LD: u16 = 0x00;
/// `BPF_LDX`: load into the index register.
pub const LDX: u16 = 0x01;
/// `BPF_ST`: store the accumulator in scratch memory.
pub const ST: u16 = 0x02;
/// `BPF_STX`: store the index register in scratch memory.
pub const STX: u16 = 0x03;
/// `BPF_ALU`: arithmetic on the accumulator.
pub const ALU: u16 = 0x04;
/// `BPF_JMP`: jumps.
pub const JMP: u16 = 0x05;
/// `BPF_RET`: end the program with a verdict.
pub const RET: u16 = 0x06;
/// `BPF_MISC`: register transfers.
pub const MISC: u16 = 0x07;

// Load sizes (`BPF_SIZE`, bits 3–4).
/// `BPF_W`: 32 bits.
pub const W: u16 = 0x00;
/// `BPF_H`: 16 bits.
pub const H: u16 = 0x08;
/// `BPF_B`: 8 bits.
pub const B: u16 = 0x10;

// Load modes (`BPF_MODE`, bits 5–7).
/// `BPF_IMM`: the constant `k`.
pub const IMM: u16 = 0x00;
/// `BPF_ABS`: the packet at offset `k`.
pub const ABS: u16 = 0x20;
/// `BPF_IND`: the packet at offset `x + k`.
pub const IND: u16 = 0x40;
/// `BPF_MEM`: scratch memory word `k`.
pub const MEM: u16 = 0x60;
/// `BPF_LEN`: the packet's length.
pub const LEN: u16 = 0x80;
/// `BPF_MSH`: `4 * (packet[k] & 0xf)`, an IPv4 header's length.
pub const MSH: u16 = 0xa0;

// ALU operations (`BPF_OP`), from the table shared with eBPF.
/// `BPF_ADD`.
pub const ADD: u16 = AluOp::Add.code() as u16;
/// `BPF_SUB`.
pub const SUB: u16 = AluOp::Sub.code() as u16;
/// `BPF_MUL`.
pub const MUL: u16 = AluOp::Mul.code() as u16;
/// `BPF_DIV`.
pub const DIV: u16 = AluOp::Div.code() as u16;
/// `BPF_OR`.
pub const OR: u16 = AluOp::Or.code() as u16;
/// `BPF_AND`.
pub const AND: u16 = AluOp::And.code() as u16;
/// `BPF_LSH`.
pub const LSH: u16 = AluOp::Lsh.code() as u16;
/// `BPF_RSH`.
pub const RSH: u16 = AluOp::Rsh.code() as u16;
/// `BPF_NEG`.
pub const NEG: u16 = AluOp::Neg.code() as u16;
/// `BPF_MOD`.
pub const MOD: u16 = AluOp::Mod.code() as u16;
/// `BPF_XOR`.
pub const XOR: u16 = AluOp::Xor.code() as u16;

// Jump operations (`BPF_OP`), from the table shared with eBPF.
/// `BPF_JA`.
pub const JA: u16 = JmpOp::Ja.code() as u16;
/// `BPF_JEQ`.
pub const JEQ: u16 = JmpOp::Jeq.code() as u16;
/// `BPF_JGT`.
pub const JGT: u16 = JmpOp::Jgt.code() as u16;
/// `BPF_JGE`.
pub const JGE: u16 = JmpOp::Jge.code() as u16;
/// `BPF_JSET`.
pub const JSET: u16 = JmpOp::Jset.code() as u16;

// Operand source (`BPF_SRC`, bit 3).
/// `BPF_K`: the constant `k`.
pub const K: u16 = 0x00;
/// `BPF_X`: the index register.
pub const X: u16 = 0x08;
/// `BPF_RVAL` for `ret a`.
pub const A: u16 = 0x10;

// Misc operations.
/// `BPF_TAX`: `x = a`.
pub const TAX: u16 = 0x00;
/// `BPF_TXA`: `a = x`.
pub const TXA: u16 = 0x80;

/// Number of scratch memory words (`BPF_MEMWORDS`).
pub const MEMWORDS: u32 = 16;

/// Largest program the kernel accepts (`BPF_MAXINSNS`).
pub const MAXINSNS: usize = 4096;

/// Largest program iptables' `-m bpf --bytecode` takes
/// (`XT_BPF_MAX_NUM_INSTR` in `linux/netfilter/xt_bpf.h`).
pub const XT_BPF_MAX_NUM_INSTR: usize = 64;

/// Largest program bpfcap generates. Like libpcap, it compiles programs
/// longer than the kernel takes: they run in user space (offline replay,
/// or live capture filtering after the kernel). The bound only keeps a
/// pathological expression from taking unbounded time and memory.
pub const MAX_PROGRAM: usize = 1 << 20;

// The fields of an opcode (`linux/bpf_common.h`). Bits 0–2 are the class;
// the rest depends on it: a load's size (bits 3–4) and mode (5–7); an ALU
// operation's or jump's source (bit 3) and operation (4–7); a return's
// value (3–4); a `MISC` instruction's operation (3–7).
//
// Code that reads instructions names the field instead of masking `code`:
// with the `Insn` methods below, or, where there is only a raw code (opcode
// tables, the validator's and the JIT's scans), with these `*_of`
// functions. Both are inlined const fns of one mask each, so the
// per-packet paths (interpreter, fast executor, JIT) pay nothing for them.
// Each field compares with the constants of this module.

/// Instruction class (`BPF_CLASS`): [`LD`], [`LDX`], [`ST`], [`STX`],
/// [`ALU`], [`JMP`], [`RET`] or [`MISC`].
#[inline]
pub const fn class_of(code: u16) -> u16 {
    code & 0x07
}

/// Width of a load (`BPF_SIZE`): [`W`], [`H`] or [`B`].
#[inline]
pub const fn size_of(code: u16) -> u16 {
    code & 0x18
}

/// Addressing mode of a load (`BPF_MODE`): [`IMM`], [`ABS`], [`IND`],
/// [`MEM`], [`LEN`] or [`MSH`].
#[inline]
pub const fn mode_of(code: u16) -> u16 {
    code & 0xe0
}

/// Operation of an ALU instruction or jump (`BPF_OP`): [`ADD`] … [`XOR`],
/// or [`JA`] … [`JSET`] (the `BPF_OP` bits of [`AluOp`] and [`JmpOp`]).
#[inline]
pub const fn op_of(code: u16) -> u16 {
    code & 0xf0
}

/// Operand of an ALU instruction or jump (`BPF_SRC`): [`K`] or [`X`].
#[inline]
pub const fn src_of(code: u16) -> u16 {
    code & 0x08
}

/// What a return returns (`BPF_RVAL`): [`K`] or [`A`].
#[inline]
pub const fn rval_of(code: u16) -> u16 {
    code & 0x18
}

/// Operation of a `MISC` instruction (`BPF_MISCOP`): [`TAX`] or [`TXA`].
#[inline]
pub const fn miscop_of(code: u16) -> u16 {
    code & 0xf8
}

/// The fields of [`code`](Insn::code), as the functions above decode them.
impl Insn {
    /// Instruction class: see [`class_of`].
    #[inline]
    pub const fn class(&self) -> u16 {
        class_of(self.code)
    }

    /// Width of a load: see [`size_of`].
    #[inline]
    pub const fn size(&self) -> u16 {
        size_of(self.code)
    }

    /// Addressing mode of a load: see [`mode_of`].
    #[inline]
    pub const fn mode(&self) -> u16 {
        mode_of(self.code)
    }

    /// Operation of an ALU instruction or jump: see [`op_of`].
    #[inline]
    pub const fn op(&self) -> u16 {
        op_of(self.code)
    }

    /// Operand of an ALU instruction or jump: see [`src_of`].
    #[inline]
    pub const fn src(&self) -> u16 {
        src_of(self.code)
    }

    /// What a return returns: see [`rval_of`].
    #[inline]
    pub const fn rval(&self) -> u16 {
        rval_of(self.code)
    }

    /// Operation of a `MISC` instruction: see [`miscop_of`].
    #[inline]
    pub const fn miscop(&self) -> u16 {
        miscop_of(self.code)
    }
}

/// Linux's `SKF_AD_OFF`: absolute loads at or above this offset read packet
/// metadata ("ancillary data") instead of packet bytes; `SKF_AD_OFF + n`
/// reads the item at offset `n` (`SKF_AD_PROTOCOL` = 0, ...).
pub const SKF_AD_OFF: u32 = 0xffff_f000;

#[cfg(test)]
mod tests {
    use super::*;

    /// Every opcode the kernel knows decodes back into the fields it was
    /// or'ed together from.
    #[test]
    fn fields_decode_what_was_composed() {
        for class in [LD, LDX] {
            for size in [W, H, B] {
                for mode in [IMM, ABS, IND, MEM, LEN, MSH] {
                    let i = Insn::stmt(class | size | mode, 0);
                    assert_eq!((i.class(), i.size(), i.mode()), (class, size, mode));
                }
            }
        }
        let alu = [ADD, SUB, MUL, DIV, OR, AND, LSH, RSH, NEG, MOD, XOR];
        for (class, ops) in [(ALU, &alu[..]), (JMP, &[JA, JEQ, JGT, JGE, JSET])] {
            for &op in ops {
                for src in [K, X] {
                    let code = class | op | src;
                    assert_eq!(
                        (class_of(code), op_of(code), src_of(code)),
                        (class, op, src)
                    );
                }
            }
        }
        assert_eq!(Insn::stmt(RET | A, 0).rval(), A);
        assert_eq!(Insn::stmt(RET | K, 0).rval(), K);
        assert_eq!(Insn::stmt(MISC | TXA, 0).miscop(), TXA);
        assert_eq!(Insn::stmt(MISC | TAX, 0).miscop(), TAX);
    }
}
