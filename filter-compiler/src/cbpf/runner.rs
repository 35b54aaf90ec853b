//! Running a classic BPF program in user space with the fastest engine
//! available: native code from the [JIT](super::jit) where there is one
//! (x86-64, executable memory allowed), else the pre-decoded
//! [fast executor](super::fast), with the [reference
//! interpreter](super::interp) on request for debugging.
//!
//! The environment variable `BPFCAP_ENGINE` (`jit`, `fast` or `interp`)
//! picks the engine for [`Runner::new`]; `jit` (the default) still falls
//! back to the fast executor where no JIT is possible.

use std::fmt;

use super::Program;
use super::fast::Executor;
use super::interp;
use super::jit::JitFilter;

/// The environment variable that picks [`Runner::new`]'s engine.
pub const ENGINE_VAR: &str = "BPFCAP_ENGINE";

/// How a [`Runner`] executes its program.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    /// Native code from [`JitFilter`].
    Jit,
    /// The pre-decoded [`Executor`].
    Fast,
    /// The reference interpreter, [`interp::run`].
    Interp,
}

impl Engine {
    /// The engine named by `BPFCAP_ENGINE` (`Jit` when unset or unknown).
    pub fn from_env() -> Engine {
        match std::env::var(ENGINE_VAR).as_deref() {
            Ok("fast") => Engine::Fast,
            Ok("interp") => Engine::Interp,
            _ => Engine::Jit,
        }
    }
}

impl fmt::Display for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Engine::Jit => "jit",
            Engine::Fast => "fast",
            Engine::Interp => "interp",
        })
    }
}

/// A validated program ready to run over many packets.
pub struct Runner {
    kind: Kind,
}

enum Kind {
    /// The program is kept for packets too long for the native code.
    Jit(JitFilter, Program),
    Fast(Executor),
    Interp(Program),
}

impl Runner {
    /// The program on the engine `BPFCAP_ENGINE` names (the JIT by
    /// default), falling back to the fast executor when the JIT is not
    /// available.
    pub fn new(prog: &Program) -> Runner {
        Runner::with_engine(prog, Engine::from_env())
    }

    /// The program on `engine`; [`Engine::Jit`] falls back to
    /// [`Engine::Fast`] when no native code can be made here.
    pub fn with_engine(prog: &Program, engine: Engine) -> Runner {
        let kind = match engine {
            Engine::Jit => match JitFilter::new(prog) {
                Some(jit) => Kind::Jit(jit, prog.clone()),
                None => Kind::Fast(Executor::new(prog)),
            },
            Engine::Fast => Kind::Fast(Executor::new(prog)),
            Engine::Interp => Kind::Interp(prog.clone()),
        };
        Runner { kind }
    }

    /// The engine actually in use.
    pub fn engine(&self) -> Engine {
        match self.kind {
            Kind::Jit(..) => Engine::Jit,
            Kind::Fast(_) => Engine::Fast,
            Kind::Interp(_) => Engine::Interp,
        }
    }

    /// Runs the program; same contract as [`interp::run`].
    ///
    /// Only the call into native code is inlined into the caller's loop
    /// (replay's, per packet): with the other engines inlined too, every
    /// call paid for their stack frame.
    #[inline(always)]
    pub fn run(&self, pkt: &[u8], wirelen: u32) -> u32 {
        match &self.kind {
            Kind::Jit(jit, _) if pkt.len() <= JitFilter::MAX_CAPLEN => jit.run(pkt, wirelen),
            _ => self.run_other(pkt, wirelen),
        }
    }

    /// [`Runner::run`] without native code.
    #[inline(never)]
    fn run_other(&self, pkt: &[u8], wirelen: u32) -> u32 {
        match &self.kind {
            Kind::Jit(_, prog) | Kind::Interp(prog) => interp::run(prog, pkt, wirelen),
            Kind::Fast(exec) => exec.run(pkt, wirelen),
        }
    }
}

impl fmt::Debug for Runner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Runner")
            .field("engine", &self.engine())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{CompileOptions, LinkType, compile};

    #[test]
    fn every_engine_gives_the_same_verdict() {
        let prog = compile("tcp port 80", &CompileOptions::new(LinkType::EN10MB)).unwrap();
        let mut pkt = vec![0u8; 54];
        pkt[12] = 0x08;
        pkt[14] = 0x45;
        pkt[23] = 6;
        pkt[36] = 0;
        pkt[37] = 80;
        for engine in [Engine::Jit, Engine::Fast, Engine::Interp] {
            let r = Runner::with_engine(&prog, engine);
            assert_eq!(r.run(&pkt, 54), 262_144, "{engine}");
            assert_eq!(r.run(&pkt[..30], 54), 0, "{engine}");
        }
    }

    #[test]
    fn jit_is_used_on_x86_64() {
        let prog = compile("ip", &CompileOptions::new(LinkType::EN10MB)).unwrap();
        let want = if cfg!(all(target_arch = "x86_64", unix)) {
            Engine::Jit
        } else {
            Engine::Fast
        };
        assert_eq!(Runner::with_engine(&prog, Engine::Jit).engine(), want);
        assert_eq!(
            Runner::with_engine(&prog, Engine::Interp).engine(),
            Engine::Interp
        );
    }
}
