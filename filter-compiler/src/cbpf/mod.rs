//! The classic BPF back end: code generation from the IR, the kernel's
//! validity rules, a reference interpreter, a fast executor, a JIT to
//! native code (x86-64) and [`Runner`], which picks between them for
//! filtering in user space, tcpdump-style listings, and the rewriting of
//! programs for cooked packet sockets.

#[doc(hidden)]
pub mod arbitrary;
pub mod codegen;
pub mod cooked;
pub mod fast;
pub mod insn;
pub mod interp;
pub mod jit;
pub mod listing;
pub mod runner;
mod tails;
pub mod validate;

pub use insn::Insn;
pub use runner::{Engine, Runner};

/// A validated classic BPF program.
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
}
