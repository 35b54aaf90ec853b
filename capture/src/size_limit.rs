//! Which of the kernel's size limits keeps a socket filter out, told from
//! how compiling, loading or attaching it failed, so that live capture can
//! fall back (from eBPF to the classic filter, from the classic filter to
//! user space) and say what the limit was.
//!
//! The limits, as Linux 6.18 applies them to a loader with `CAP_BPF`:
//!
//! * at most 1,000,000 instructions (`BPF_COMPLEXITY_LIMIT_INSNS`), which
//!   the compiler checks, and as many processed by the verifier (`E2BIG`,
//!   "BPF program is too large");
//! * jumps that still fit 16 bits once the verifier has rewritten the
//!   instructions they span (`ENOMEM`, "cannot be patched due to 16-bit
//!   range"), which the compiler's trampolines keep to;
//! * `SO_ATTACH_BPF` charges the program's size after that rewriting
//!   (`xlated_prog_len`, plus about 100 bytes of `struct bpf_prog`) to the
//!   socket's option memory, which may not reach `net.core.optmem_max`
//!   (per network namespace, 131072 by default): `ENOMEM` from
//!   `setsockopt`. Classic programs are charged the same way, as the
//!   kernel translates them to eBPF: each packet load becomes several
//!   instructions, so a classic filter of 4000 instructions (2000 loads)
//!   can exceed the limit while the eBPF one of the same expression fits.

use std::fmt;
use std::io;

use bpfcap_filter::{Error, ErrorKind};

use crate::bpf::LoadError;
use crate::socket_filter::AttachError;

/// Which filter ran into a limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `SO_ATTACH_FILTER`.
    Classic,
    /// `SO_ATTACH_BPF`.
    Ebpf,
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Kind::Classic => "classic",
            Kind::Ebpf => "eBPF",
        })
    }
}

/// A size limit a socket filter ran into.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SizeLimit {
    /// The compiler found the program too large for the kernel; the
    /// message says which limit.
    Compile(String),
    /// The verifier gave up on the program.
    Verifier {
        /// Instructions as generated.
        insns: usize,
        /// The verifier's last word (or the system error, without a log).
        reason: String,
    },
    /// Attaching would charge more than the socket's memory limit.
    SocketMemory {
        /// The filter.
        kind: Kind,
        /// Instructions as generated.
        insns: usize,
        /// The program's size in the kernel, when it could be asked.
        bytes: Option<u32>,
        /// `net.core.optmem_max`, when it could be read.
        optmem_max: Option<u64>,
    },
}

impl SizeLimit {
    /// The limit behind a compile error, if it is one (an error about the
    /// program as a whole rather than a part of the expression).
    pub fn of_compile(err: &Error) -> Option<SizeLimit> {
        (err.kind == ErrorKind::Limit).then(|| SizeLimit::Compile(err.message.clone()))
    }

    /// The limit behind the kernel's refusal to load a program of `insns`
    /// instructions, if it is a size limit.
    pub fn of_load(insns: usize, err: &LoadError) -> Option<SizeLimit> {
        let errno = err.source.raw_os_error()?;
        if errno != libc::E2BIG && errno != libc::ENOMEM {
            return None;
        }
        let reason = err
            .log
            .lines()
            .rev()
            .map(str::trim)
            .find(|l| !l.is_empty() && !l.starts_with("processed "))
            .map(str::to_string)
            .unwrap_or_else(|| crate::sys::strerror(&err.source));
        Some(SizeLimit::Verifier { insns, reason })
    }

    /// The limit behind a failure to attach a `kind` program of `insns`
    /// instructions and `bytes` bytes in the kernel, if it is the socket's
    /// memory limit (`ENOMEM`).
    pub fn of_attach(
        kind: Kind,
        insns: usize,
        bytes: Option<u32>,
        err: &AttachError,
    ) -> Option<SizeLimit> {
        (err.io_error().raw_os_error() == Some(libc::ENOMEM)).then(|| SizeLimit::SocketMemory {
            kind,
            insns,
            bytes,
            optmem_max: optmem_max().ok(),
        })
    }
}

/// `net.core.optmem_max` of this process's network namespace.
fn optmem_max() -> io::Result<u64> {
    std::fs::read_to_string("/proc/sys/net/core/optmem_max")?
        .trim()
        .parse()
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
}

impl fmt::Display for SizeLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SizeLimit::Compile(message) => write!(f, "{message}"),
            SizeLimit::Verifier { insns, reason } => write!(
                f,
                "the eBPF filter ({insns} instructions) exceeds what the kernel's verifier \
                 takes ({reason})"
            ),
            SizeLimit::SocketMemory {
                kind,
                insns,
                bytes,
                optmem_max,
            } => {
                write!(f, "the {kind} filter ({insns} instructions")?;
                if let Some(b) = bytes {
                    write!(f, ", {b} bytes in the kernel")?;
                }
                write!(
                    f,
                    ") exceeds the socket's memory limit (net.core.optmem_max"
                )?;
                match optmem_max {
                    Some(m) => write!(f, " = {m})"),
                    None => write!(f, ")"),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_error(errno: i32, log: &str) -> LoadError {
        LoadError {
            source: io::Error::from_raw_os_error(errno),
            log: log.to_string(),
        }
    }

    #[test]
    fn verifier_limits_quote_the_verifier() {
        let e = load_error(
            libc::E2BIG,
            "...\nBPF program is too large. Processed 1000001 insn\n\
             processed 1000001 insns (limit 1000000) max_states_per_insn 4\n",
        );
        assert_eq!(
            SizeLimit::of_load(20000, &e).unwrap().to_string(),
            "the eBPF filter (20000 instructions) exceeds what the kernel's verifier takes \
             (BPF program is too large. Processed 1000001 insn)"
        );
        let e = load_error(
            libc::ENOMEM,
            "insn 9657 cannot be patched due to 16-bit range\n",
        );
        assert!(
            SizeLimit::of_load(19178, &e)
                .unwrap()
                .to_string()
                .ends_with("(insn 9657 cannot be patched due to 16-bit range)")
        );
    }

    #[test]
    fn other_refusals_are_not_size_limits() {
        assert_eq!(
            SizeLimit::of_load(10, &load_error(libc::EACCES, "R0 !read_ok")),
            None
        );
        assert_eq!(SizeLimit::of_load(10, &load_error(libc::EPERM, "")), None);
    }

    #[test]
    fn the_socket_memory_limit_is_named_with_its_value() {
        let limit = SizeLimit::SocketMemory {
            kind: Kind::Ebpf,
            insns: 9888,
            bytes: Some(63968),
            optmem_max: Some(20480),
        };
        assert_eq!(
            limit.to_string(),
            "the eBPF filter (9888 instructions, 63968 bytes in the kernel) exceeds the \
             socket's memory limit (net.core.optmem_max = 20480)"
        );
        let limit = SizeLimit::SocketMemory {
            kind: Kind::Classic,
            insns: 4021,
            bytes: None,
            optmem_max: Some(131072),
        };
        assert_eq!(
            limit.to_string(),
            "the classic filter (4021 instructions) exceeds the socket's memory limit \
             (net.core.optmem_max = 131072)"
        );
    }
}
