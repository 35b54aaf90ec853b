//! The classic BPF back end: code generation from the IR, the kernel's
//! validity rules, a reference interpreter, a fast executor, a JIT to
//! native code (x86-64) and [`Runner`], which picks between them for
//! filtering in user space, tcpdump-style listings, and the rewriting of
//! programs for cooked packet sockets.

pub mod ancillary;
#[doc(hidden)]
pub mod arbitrary;
pub(crate) mod codegen;
pub mod cooked;
pub mod fast;
pub mod insn;
pub mod interp;
pub mod jit;
pub mod listing;
pub mod runner;
mod set_tree;
mod tails;
pub mod validate;

pub use insn::Insn;
pub use runner::{Engine, Runner};

use crate::CompileOptions;
use crate::error::Error;
use crate::ir::Cfg;

/// The classic BPF program for a graph from [`compile_ir`](crate::compile_ir):
/// what [`compile`](crate::compile) makes of it, for a caller that keeps
/// the graph (a run that exits after listing the program need not free
/// it node by node).
pub fn generate(cfg: &Cfg, opts: &CompileOptions) -> Result<Program, Error> {
    codegen::generate(cfg, opts)
}

/// A validated classic BPF program: the kernel's form rules hold (see
/// [`validate::validate`]), so attaching it can fail only on its length
/// and the user-space engines run it without checking it again.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Program {
    insns: Vec<Insn>,
}

impl Program {
    /// Wraps instructions after checking them with the kernel's rules
    /// (see [`validate::validate`]).
    pub fn new(insns: Vec<Insn>) -> Result<Program, validate::InvalidProgram> {
        validate::validate(&insns)?;
        Ok(Program { insns })
    }

    /// Wraps instructions the caller has just checked with
    /// [`validate::validate`] (code generation, which validates once to
    /// find reads of unset scratch words).
    pub(crate) fn validated(insns: Vec<Insn>) -> Program {
        debug_assert!(validate::validate(&insns).is_ok());
        Program { insns }
    }

    /// The instructions, ready for `SO_ATTACH_FILTER` (when they
    /// [fit](Program::fits_in_kernel)).
    pub fn insns(&self) -> &[Insn] {
        &self.insns
    }

    /// Whether the kernel takes the program (at most
    /// [`insn::MAXINSNS`] instructions); longer ones run in user space.
    pub fn fits_in_kernel(&self) -> bool {
        self.insns.len() <= insn::MAXINSNS
    }

    /// The program as the `struct sock_filter` array `SO_ATTACH_FILTER`
    /// takes: 8 bytes an instruction (`code` u16, `jt`, `jf`, `k` u32), in
    /// this host's byte order. `bpfcap compile --target cbpf-raw` writes
    /// it, for loaders that read the array from a file.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.insns
            .iter()
            .flat_map(|i| {
                let mut b = [0u8; 8];
                b[0..2].copy_from_slice(&i.code.to_ne_bytes());
                b[2] = i.jt;
                b[3] = i.jf;
                b[4..8].copy_from_slice(&i.k.to_ne_bytes());
                b
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each instruction is `struct sock_filter`'s 8 bytes, as the kernel
    /// lays them out on this host.
    #[test]
    fn to_bytes_is_the_sock_filter_array() {
        let prog = Program::new(vec![
            Insn::jump(0x15, 0x0800, 0, 1),
            Insn::stmt(0x06, 0x4_0000),
            Insn::stmt(0x06, 0),
        ])
        .unwrap();
        assert_eq!(std::mem::size_of::<libc::sock_filter>(), 8);
        let mut want = vec![
            [0x15, 0x00, 0, 1, 0x00, 0x08, 0x00, 0x00],
            [0x06, 0x00, 0, 0, 0x00, 0x00, 0x04, 0x00],
            [0x06, 0x00, 0, 0, 0x00, 0x00, 0x00, 0x00],
        ];
        if cfg!(target_endian = "big") {
            for insn in &mut want {
                insn[0..2].reverse();
                insn[4..8].reverse();
            }
        }
        assert_eq!(prog.to_bytes(), want.concat());
    }
}
