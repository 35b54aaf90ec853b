#![doc = include_str!("../README.md")]
//! ## Design
//!
//! aya 0.14 has no public API for loading raw instructions: every loader goes
//! through its ELF parser. So bpfcap's compiled filters (XDP, socket filter,
//! classifier) are wrapped in an in-memory `.o` file by [`write_object`] and
//! handed to `aya::EbpfLoader::load`. The same bytes can be written to disk and
//! loaded by libbpf-based tools (`bpftool prog load`, `ip link … xdp obj`),
//! which is useful for debugging and interoperability.
//!
//! Maps are defined the BTF way (a `.maps` section described by `.BTF`),
//! because libbpf 1.0+ rejects the legacy `maps` section; aya accepts both.
//! Map addresses are loaded with `ld_imm64` instructions that get `R_BPF_64_64`
//! relocations against the map's symbol, which the loader turns into map fds.
//!
//! The BTF also types what the wider toolchain looks for: map keys and values
//! (so `bpftool map dump` prints numbers, not hex), and each program as a
//! `FUNC` with its context argument, pointed at from `.BTF.ext` function info
//! (so the kernel keeps the program's BTF, and libxdp's multi-program
//! dispatcher can attach it as an extension of its `int prog0(struct xdp_md
//! *ctx)` stubs).

#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod btf;
mod elf;
mod objects;
mod record;
pub mod templates;

pub use objects::{
    Action, Counter, Counters, Object, SocketFilter, SocketObject, XdpObject, XdpOptions,
};
pub use record::{RINGBUF_HEADER_LEN, Record};

use std::fmt;

/// `BPF_MAP_TYPE_*` numbers, so callers need not hard-code kernel ABI values.
pub mod map_type {
    /// `BPF_MAP_TYPE_HASH`: key → value lookups (e.g. per-flow state).
    pub const HASH: u32 = 1;
    /// `BPF_MAP_TYPE_ARRAY`: fixed-size counters and configuration slots.
    pub const ARRAY: u32 = 2;
    /// `BPF_MAP_TYPE_PERF_EVENT_ARRAY`: per-CPU perf buffers for sending packets
    /// to userspace; leave `max_entries` 0 to get one entry per CPU.
    pub const PERF_EVENT_ARRAY: u32 = 4;
    /// `BPF_MAP_TYPE_PERCPU_ARRAY`: contention-free per-CPU counters.
    pub const PERCPU_ARRAY: u32 = 6;
    /// `BPF_MAP_TYPE_RINGBUF`: shared ring buffer for captured packets; key and
    /// value size must be 0 and `max_entries` is the size in bytes (a power of
    /// two multiple of the page size).
    pub const RINGBUF: u32 = 27;
    /// `BPF_MAP_TYPE_LPM_TRIE`: longest-prefix match (the prefixes of a
    /// set, `net @NAME`); needs `BPF_F_NO_PREALLOC` in `map_flags`.
    pub const LPM_TRIE: u32 = 11;
}

/// A map the programs use, defined in BTF `.maps` as libbpf does.
///
/// This is the libbpf-style definition (`__uint(type, …)` etc.); the loader
/// creates the map from it and patches the programs' references with its fd.
/// Zero `key_size`, `value_size` or `max_entries` are left out of the BTF
/// definition, as a C ring buffer or perf event array definition would be.
/// Keys and values are typed by their size: `__u8`, `__u16`, `__u32` or
/// `__u64` for 1, 2, 4 or 8 bytes (counters and indices, which is what the
/// maps here hold), `__u8[n]` otherwise. The loaders drop these types for
/// map kinds that take none (perf event arrays, ring buffers).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MapDef {
    /// Map name: the symbol name and BTF `VAR` name, used to find the map in
    /// aya (`Ebpf::map`) or bpftool. Must be a C identifier (the kernel's BTF
    /// checker rejects anything else).
    pub name: String,
    /// `BPF_MAP_TYPE_*` value (see [`map_type`]).
    pub map_type: u32,
    /// Key size in bytes (0 for ring buffers).
    pub key_size: u32,
    /// Value size in bytes (0 for ring buffers).
    pub value_size: u32,
    /// Maximum number of entries (bytes for ring buffers; 0 lets the loader
    /// choose, e.g. the CPU count for perf event arrays).
    pub max_entries: u32,
    /// `map_flags` (`BPF_F_NO_PREALLOC` for LPM tries); left out of the
    /// definition when 0.
    pub map_flags: u32,
}

/// One program: its ELF section (decides the program type: "xdp", "socket", "classifier"), its symbol name, its instructions (8-byte little-endian struct bpf_insn each), and the ld_imm64 instructions that load a map's address (index of the first half of the 16-byte ld_imm64, map name) — these get R_BPF_64_64 relocations against the map's symbol.
///
/// The loaders derive the program type from the section name alone, so it must
/// be one they know (`xdp`, `xdp.frags`, `socket`, `classifier`, `tc`, …); aya
/// rejects unknown names such as `xdp/foo`. Programs with the same section name
/// share one ELF section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgramDef {
    /// ELF section name; selects the program type in aya and libbpf.
    pub section: String,
    /// Program (symbol) name, as passed to `Ebpf::program_mut`. Must be a C
    /// identifier and distinct from other program and map names.
    pub name: String,
    /// Raw instructions: a multiple of 8 bytes, each a little-endian
    /// `struct bpf_insn`.
    pub insns: Vec<u8>,
    /// `(instruction index, map name)` for each `ld_imm64` that loads a map's
    /// address. The index is of the first 8-byte half (opcode `0x18`); its
    /// `src_reg` should be 1 (`BPF_PSEUDO_MAP_FD`) and `imm` 0, which the
    /// loader overwrites with the map fd.
    pub map_refs: Vec<(usize, String)>,
}

/// Why [`write_object`] refused its input or failed to write the ELF.
///
/// Input is checked up front because a malformed object otherwise only fails
/// later, at load time, with a much less specific loader or verifier message.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// A map or program name is not a C identifier.
    InvalidName(String),
    /// Two maps/programs share a symbol name.
    DuplicateName(String),
    /// A program section name is empty or contains NUL.
    InvalidSection(String),
    /// A program's instruction bytes are empty or not a multiple of 8.
    BadInstructions {
        /// Program name.
        program: String,
        /// Length of `insns` in bytes.
        len: usize,
    },
    /// A map reference does not point at a complete `ld_imm64`.
    BadMapRef {
        /// Program name.
        program: String,
        /// The offending instruction index.
        index: usize,
    },
    /// A map reference names a map not in the `maps` list.
    UnknownMap {
        /// Program name.
        program: String,
        /// The unknown map name.
        map: String,
    },
    /// The `object` crate failed to build the ELF.
    Object(object::write::Error),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidName(n) => {
                write!(f, "invalid map/program name {n:?}: not a C identifier")
            }
            Error::DuplicateName(n) => write!(f, "duplicate map/program name {n:?}"),
            Error::InvalidSection(s) => write!(f, "invalid program section name {s:?}"),
            Error::BadInstructions { program, len } => write!(
                f,
                "program {program:?}: instruction bytes length {len} is empty or not a multiple of 8"
            ),
            Error::BadMapRef { program, index } => write!(
                f,
                "program {program:?}: map reference at instruction {index} is not a complete ld_imm64"
            ),
            Error::UnknownMap { program, map } => {
                write!(f, "program {program:?} references unknown map {map:?}")
            }
            Error::Object(e) => write!(f, "writing ELF: {e}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Object(e) => Some(e),
            _ => None,
        }
    }
}

impl From<object::write::Error> for Error {
    fn from(e: object::write::Error) -> Self {
        Error::Object(e)
    }
}

/// Writes `programs` and `maps` as an ELF64 little-endian `EM_BPF` relocatable
/// object that aya 0.14 and libbpf (bpftool, iproute2) can load.
///
/// This is the only way to get runtime-generated instructions into aya, and it
/// keeps the result inspectable with standard tools. The object contains a
/// `license` section (`"GPL\0"`, so GPL-only helpers are allowed), one
/// executable section per distinct program section name with a global
/// `STT_FUNC` symbol per program, a `.maps` section with a global `STT_OBJECT`
/// symbol per map, the `.BTF` describing those maps and programs (each
/// program an `int name(ctx *)` `FUNC`, its context `struct xdp_md` for `xdp`
/// sections and `struct __sk_buff` for socket filters and classifiers), the
/// `.BTF.ext` function info pointing each program at its `FUNC`, and an
/// `R_BPF_64_64` relocation for each entry of [`ProgramDef::map_refs`].
///
/// # Errors
///
/// Returns an [`Error`] if names are not unique C identifiers, instructions are
/// not whole `bpf_insn`s, a map reference is not an `ld_imm64` or names an
/// unknown map, or the `object` crate fails.
pub fn write_object(programs: &[ProgramDef], maps: &[MapDef]) -> Result<Vec<u8>, Error> {
    elf::write_object(programs, maps)
}
