//! The eBPF back end: code generation from the same optimized IR as the
//! classic back end (64-bit registers, 32-bit arithmetic and compares, as
//! the filter language defines them).
//!
//! The socket-filter flavour reads the packet with the legacy
//! `LD_ABS`/`LD_IND` instructions, which `BPF_PROG_TYPE_SOCKET_FILTER`
//! (and `SCHED_CLS`) programs may use: a read past the packet ends the
//! program with 0, exactly the classic semantics, and the kernel converts
//! the big-endian value to host order, as classic loads do.
//!
//! Code is written with the instruction constructors of [`insn`] and the
//! [`Asm`] assembler, which resolves jumps to labels.

pub mod asm;
pub mod codegen;
pub mod helper;
pub mod insn;

pub use asm::Asm;
pub use helper::Helper;
pub use insn::{Insn, Reg};

/// A generated eBPF program.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Program {
    insns: Vec<Insn>,
}

impl Program {
    pub(crate) fn new(insns: Vec<Insn>) -> Program {
        Program { insns }
    }

    /// The instructions, ready for `BPF_PROG_LOAD`.
    pub fn insns(&self) -> &[Insn] {
        &self.insns
    }

    /// The instructions as the bytes of an ELF program section
    /// (little-endian `struct bpf_insn`s).
    pub fn to_bytes(&self) -> Vec<u8> {
        self.insns.iter().flat_map(|i| i.to_bytes()).collect()
    }
}
