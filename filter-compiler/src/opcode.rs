//! The operation tables classic BPF and eBPF share: the `BPF_OP` bits
//! (4–7) of ALU and jump opcodes have the same values in both
//! (`linux/bpf_common.h`, extended by `linux/bpf.h`), so they are defined
//! once here and both back ends build their opcodes from them.

use crate::ast::ArithOp;
use crate::ir::CmpOp;

/// An ALU operation (`BPF_OP` of a `BPF_ALU`/`BPF_ALU64` opcode).
///
/// Classic BPF has `Add` through `Xor`; [`Mov`](AluOp::Mov),
/// [`Arsh`](AluOp::Arsh) and [`End`](AluOp::End) are eBPF's.
#[repr(u8)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AluOp {
    /// `BPF_ADD`: `dst += src`.
    Add = 0x00,
    /// `BPF_SUB`: `dst -= src`.
    Sub = 0x10,
    /// `BPF_MUL`: `dst *= src`.
    Mul = 0x20,
    /// `BPF_DIV`: unsigned `dst /= src`.
    Div = 0x30,
    /// `BPF_OR`: `dst |= src`.
    Or = 0x40,
    /// `BPF_AND`: `dst &= src`.
    And = 0x50,
    /// `BPF_LSH`: `dst <<= src`.
    Lsh = 0x60,
    /// `BPF_RSH`: logical `dst >>= src`.
    Rsh = 0x70,
    /// `BPF_NEG`: `dst = -dst`.
    Neg = 0x80,
    /// `BPF_MOD`: unsigned `dst %= src`.
    Mod = 0x90,
    /// `BPF_XOR`: `dst ^= src`.
    Xor = 0xa0,
    /// `BPF_MOV` (eBPF): `dst = src`.
    Mov = 0xb0,
    /// `BPF_ARSH` (eBPF): sign-extending `dst >>= src`.
    Arsh = 0xc0,
    /// `BPF_END` (eBPF): byte swap to the order the source bit picks.
    End = 0xd0,
}

impl AluOp {
    /// The `BPF_OP` bits.
    pub const fn code(self) -> u8 {
        self as u8
    }

    /// The operation for a filter-language operator.
    pub(crate) const fn of(op: ArithOp) -> AluOp {
        match op {
            ArithOp::Add => AluOp::Add,
            ArithOp::Sub => AluOp::Sub,
            ArithOp::Mul => AluOp::Mul,
            ArithOp::Div => AluOp::Div,
            ArithOp::Mod => AluOp::Mod,
            ArithOp::And => AluOp::And,
            ArithOp::Or => AluOp::Or,
            ArithOp::Xor => AluOp::Xor,
            ArithOp::Shl => AluOp::Lsh,
            ArithOp::Shr => AluOp::Rsh,
        }
    }
}

/// A jump operation (`BPF_OP` of a `BPF_JMP`/`BPF_JMP32` opcode).
///
/// Classic BPF has `Ja` through `Jset`; the others are eBPF's. Compares
/// are unsigned unless the name says signed (`Js…`).
#[repr(u8)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum JmpOp {
    /// `BPF_JA`: always.
    Ja = 0x00,
    /// `BPF_JEQ`: `dst == src`.
    Jeq = 0x10,
    /// `BPF_JGT`: `dst > src`.
    Jgt = 0x20,
    /// `BPF_JGE`: `dst >= src`.
    Jge = 0x30,
    /// `BPF_JSET`: `dst & src != 0`.
    Jset = 0x40,
    /// `BPF_JNE`: `dst != src`.
    Jne = 0x50,
    /// `BPF_JSGT`: signed `dst > src`.
    Jsgt = 0x60,
    /// `BPF_JSGE`: signed `dst >= src`.
    Jsge = 0x70,
    /// `BPF_CALL`: a helper call (not a jump, but in the jump class).
    Call = 0x80,
    /// `BPF_EXIT`: return `r0`.
    Exit = 0x90,
    /// `BPF_JLT`: `dst < src`.
    Jlt = 0xa0,
    /// `BPF_JLE`: `dst <= src`.
    Jle = 0xb0,
    /// `BPF_JSLT`: signed `dst < src`.
    Jslt = 0xc0,
    /// `BPF_JSLE`: signed `dst <= src`.
    Jsle = 0xd0,
}

impl JmpOp {
    /// The `BPF_OP` bits.
    pub const fn code(self) -> u8 {
        self as u8
    }

    /// The jump for a comparison (a set membership is no comparison: the
    /// back ends expand or look it up before asking, `jeq` stands in).
    pub(crate) const fn of(op: CmpOp) -> JmpOp {
        match op {
            CmpOp::Eq | CmpOp::In => JmpOp::Jeq,
            CmpOp::Gt => JmpOp::Jgt,
            CmpOp::Ge => JmpOp::Jge,
            CmpOp::Set => JmpOp::Jset,
        }
    }

    /// The jump taken exactly when a comparison is false (eBPF), if there
    /// is one (`jset` has none).
    pub(crate) const fn not(op: CmpOp) -> Option<JmpOp> {
        match op {
            CmpOp::Eq => Some(JmpOp::Jne),
            CmpOp::Gt => Some(JmpOp::Jle),
            CmpOp::Ge => Some(JmpOp::Jlt),
            CmpOp::Set | CmpOp::In => None,
        }
    }
}
