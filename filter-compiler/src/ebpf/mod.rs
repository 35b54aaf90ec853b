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

use crate::sets::SetMap;

/// The immediate of the [`Insn::ld_map_fd`] that loads the map of
/// `set_maps()[i]` is `SET_MAP_BASE + i`: the loader creates the map and
/// puts its descriptor there (or an ELF relocation against it).
pub const SET_MAP_BASE: i32 = 0x1_0000;

/// A generated eBPF program.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Program {
    insns: Vec<Insn>,
    set_maps: Vec<SetMap>,
}

impl Program {
    pub(crate) fn new(insns: Vec<Insn>, set_maps: Vec<SetMap>) -> Program {
        Program { insns, set_maps }
    }

    /// The maps the program looks set members up in (`host @NAME`), in
    /// the order of their [`SET_MAP_BASE`] immediates; empty for an
    /// expression naming no set.
    pub fn set_maps(&self) -> &[SetMap] {
        &self.set_maps
    }

    /// The set map an `ld_map_fd` instruction loads, if it loads one.
    pub fn set_map_of(&self, insn: &Insn) -> Option<SetMap> {
        let i = usize::try_from(insn.imm.checked_sub(SET_MAP_BASE)?).ok()?;
        insn.is_ld_map_fd().then(|| self.set_maps.get(i).copied())?
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
