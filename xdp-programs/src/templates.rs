//! Program templates around a compiled filter: XDP pass/drop with
//! counters, XDP capture through a ring buffer, and the eBPF socket filter.
//!
//! The filter's code comes from the compiler's eBPF back end; a template
//! only adds what happens after the verdict (the `on_match`/`on_miss`
//! tails) and the maps, and the result is written as a BPF ELF object.

use filter_compiler::ebpf::codegen::{Flavour, Target, generate_for};
use filter_compiler::ebpf::insn::*;
use filter_compiler::{CompileOptions, Error, ErrorKind, compile_ebpf, compile_ir};

use crate::{MapDef, ProgramDef, map_type, write_object};

/// XDP action: drop the packet.
pub const XDP_DROP: i32 = 1;
/// XDP action: let the packet continue into the stack.
pub const XDP_PASS: i32 = 2;

/// Index of the "packets seen" counter in the `counters` per-CPU array.
pub const SEEN: u32 = 0;
/// Index of the "packets the action applied to" counter.
pub const MATCHED: u32 = 1;
/// Index of the "packets dropped" counter.
pub const DROPPED: u32 = 2;
/// Matching packets the ring buffer had no room for.
pub const LOST: u32 = 3;
/// How many counters there are.
pub const COUNTERS: u32 = 4;

/// Map indexes in the object, used as placeholders in `ld_imm64` until
/// the ELF writer turns them into relocations.
const MAP_COUNTERS: i32 = 0;
const MAP_EVENTS: i32 = 1;

/// Name of the XDP program in the objects built here.
pub const XDP_PROGRAM: &str = "bpfcap_xdp";
/// Name of the socket filter program.
pub const SOCKET_PROGRAM: &str = "bpfcap_socket";
/// Name of the per-CPU counters map.
pub const COUNTERS_MAP: &str = "counters";
/// Name of the capture ring buffer.
pub const EVENTS_MAP: &str = "events";

/// Each captured packet in the ring buffer: time stamp (ns, monotonic),
/// wire length, captured length, then the bytes.
pub const RECORD_HEADER: u32 = 16;

/// What the XDP program does with a matching packet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Count, and let it continue.
    Pass,
    /// Count, and drop it.
    Drop,
    /// Copy to user space through the ring buffer; drop it afterwards if
    /// asked.
    Capture {
        /// Drop the packet after copying it.
        drop: bool,
    },
}

/// How to build an XDP object.
#[derive(Clone, Debug)]
pub struct XdpOptions {
    /// What to do with a matching packet.
    pub action: Action,
    /// Apply the action to packets that do *not* match.
    pub invert: bool,
    /// Bytes of each captured packet to copy.
    pub snaplen: u32,
    /// Ring buffer size (a power of two, a multiple of the page size).
    pub ring_bytes: u32,
}

impl Default for XdpOptions {
    fn default() -> XdpOptions {
        XdpOptions {
            action: Action::Pass,
            invert: false,
            snaplen: 262_144,
            ring_bytes: 4 << 20,
        }
    }
}

/// Stack slot for map keys, below the compiler's variable slots.
const KEY_SLOT: i16 = -72;

fn ld_map(dst: u8, map: i32) -> [Insn; 2] {
    // BPF_LD | BPF_DW | BPF_IMM with src = BPF_PSEUDO_MAP_FD.
    [
        Insn::new(LD | 0x18, dst, 1, 0, map),
        Insn::new(0, 0, 0, 0, 0),
    ]
}

fn call(helper: i32) -> Insn {
    Insn::new(JMP | 0x80, 0, 0, 0, helper)
}

/// `counters[idx] += 1` on this CPU.
fn count(out: &mut Vec<Insn>, idx: u32) {
    out.push(Insn::new(0x02 | MEM | W, R10, 0, KEY_SLOT, idx as i32));
    out.extend(ld_map(1, MAP_COUNTERS));
    out.push(Insn::new(ALU64 | MOV | X, 2, R10, 0, 0));
    out.push(Insn::new(ALU64 | ADD | K, 2, 0, 0, i32::from(KEY_SLOT)));
    out.push(call(1)); // bpf_map_lookup_elem
    out.push(Insn::new(JMP | JEQ | K, R0, 0, 3, 0));
    out.push(Insn::new(LDX | MEM | 0x18, 1, R0, 0, 0));
    out.push(Insn::new(ALU64 | ADD | K, 1, 0, 0, 1));
    out.push(Insn::new(STX | MEM | 0x18, R0, 1, 0, 0));
}

/// Copies the packet into the ring buffer (or counts it lost).
fn capture(out: &mut Vec<Insn>, snaplen: u32) {
    let snap = snaplen.clamp(1, 0xffff) as i32;
    let start = out.len();
    out.extend(ld_map(1, MAP_EVENTS));
    out.push(Insn::new(
        ALU64 | MOV | K,
        2,
        0,
        0,
        RECORD_HEADER as i32 + snap,
    ));
    out.push(Insn::new(ALU64 | MOV | K, 3, 0, 0, 0));
    out.push(call(131)); // bpf_ringbuf_reserve
    let full = out.len();
    out.push(Insn::new(JMP | JEQ | K, R0, 0, 0, 0)); // → lost, patched below
    out.push(Insn::new(ALU64 | MOV | X, 7, R0, 0, 0));
    out.push(call(5)); // bpf_ktime_get_ns
    out.push(Insn::new(STX | MEM | 0x18, 7, R0, 0, 0));
    out.push(Insn::new(ALU64 | MOV | X, 1, R6, 0, 0));
    out.push(call(188)); // bpf_xdp_get_buff_len
    out.push(Insn::new(STX | MEM | W, 7, R0, 8, 0));
    out.push(Insn::new(ALU64 | MOV | X, 9, R0, 0, 0));
    // caplen = min(len, snaplen), in [1, snaplen] for the verifier.
    out.push(Insn::new(JMP | JLE | K, 9, 0, 1, snap));
    out.push(Insn::new(ALU64 | MOV | K, 9, 0, 0, snap));
    let empty = out.len();
    out.push(Insn::new(JMP | JEQ | K, 9, 0, 0, 0)); // → discard, patched
    out.push(Insn::new(STX | MEM | W, 7, 9, 12, 0));
    out.push(Insn::new(ALU64 | MOV | X, 1, R6, 0, 0));
    out.push(Insn::new(ALU64 | MOV | K, 2, 0, 0, 0));
    out.push(Insn::new(ALU64 | MOV | X, 3, 7, 0, 0));
    out.push(Insn::new(ALU64 | ADD | K, 3, 0, 0, RECORD_HEADER as i32));
    out.push(Insn::new(ALU64 | MOV | X, 4, 9, 0, 0));
    out.push(call(189)); // bpf_xdp_load_bytes
    let failed = out.len();
    out.push(Insn::new(JMP | JNE | K, R0, 0, 0, 0)); // → discard
    out.push(Insn::new(ALU64 | MOV | X, 1, 7, 0, 0));
    out.push(Insn::new(ALU64 | MOV | K, 2, 0, 0, 0));
    out.push(call(132)); // bpf_ringbuf_submit
    let submitted = out.len();
    out.push(Insn::new(JMP | JA, 0, 0, 0, 0)); // → end, patched
    let discard = out.len();
    out.push(Insn::new(ALU64 | MOV | X, 1, 7, 0, 0));
    out.push(Insn::new(ALU64 | MOV | K, 2, 0, 0, 0));
    out.push(call(133)); // bpf_ringbuf_discard
    let after_discard = out.len();
    out.push(Insn::new(JMP | JA, 0, 0, 0, 0)); // → end, patched
    let lost = out.len();
    count(out, LOST);
    let end = out.len();
    let rel = |from: usize, to: usize| (to as i64 - from as i64 - 1) as i16;
    out[full].off = rel(full, lost);
    out[empty].off = rel(empty, discard);
    out[failed].off = rel(failed, discard);
    out[submitted].off = rel(submitted, end);
    out[after_discard].off = rel(after_discard, end);
    debug_assert!(start < end);
}

/// The instructions run for a packet the action applies to.
fn act(opts: &XdpOptions) -> Vec<Insn> {
    let mut out = Vec::new();
    count(&mut out, SEEN);
    count(&mut out, MATCHED);
    let drop = match opts.action {
        Action::Pass => false,
        Action::Drop => true,
        Action::Capture { drop } => {
            capture(&mut out, opts.snaplen);
            drop
        }
    };
    if drop {
        count(&mut out, DROPPED);
    }
    out.extend(filter_compiler::ebpf::codegen::ret(if drop {
        XDP_DROP
    } else {
        XDP_PASS
    }));
    out
}

/// The instructions run for the other packets: count and pass.
fn pass() -> Vec<Insn> {
    let mut out = Vec::new();
    count(&mut out, SEEN);
    out.extend(filter_compiler::ebpf::codegen::ret(XDP_PASS));
    out
}

/// Where the program loads map addresses: (instruction index, map name).
fn map_refs(insns: &[Insn]) -> Vec<(usize, String)> {
    insns
        .iter()
        .enumerate()
        .filter(|(_, i)| i.code == LD | 0x18 && i.regs >> 4 == 1)
        .map(|(at, i)| {
            (
                at,
                if i.imm == MAP_EVENTS {
                    EVENTS_MAP
                } else {
                    COUNTERS_MAP
                }
                .to_string(),
            )
        })
        .collect()
}

/// The XDP program for `expr` as a BPF ELF object (section `xdp`, program
/// `bpfcap_xdp`, maps `counters` and, for capture, `events`).
pub fn xdp_object(expr: &str, copts: &CompileOptions, opts: &XdpOptions) -> Result<Vec<u8>, Error> {
    let cfg = compile_ir(expr, copts)?;
    let (on_match, on_miss) = if opts.invert {
        (pass(), act(opts))
    } else {
        (act(opts), pass())
    };
    let target = Target {
        flavour: Flavour::Xdp,
        on_match,
        on_miss,
    };
    let prog = generate_for(&cfg, &target)?;
    let mut insns = prog.insns().to_vec();
    let refs = map_refs(&insns);
    // The ELF writer relocates these; the immediate must be 0 in the file.
    for (at, _) in &refs {
        insns[*at].imm = 0;
    }
    let mut maps = vec![MapDef {
        name: COUNTERS_MAP.into(),
        map_type: map_type::PERCPU_ARRAY,
        key_size: 4,
        value_size: 8,
        max_entries: COUNTERS,
    }];
    if matches!(opts.action, Action::Capture { .. }) {
        maps.push(MapDef {
            name: EVENTS_MAP.into(),
            map_type: map_type::RINGBUF,
            key_size: 0,
            value_size: 0,
            max_entries: opts.ring_bytes,
        });
    }
    let program = ProgramDef {
        section: "xdp".into(),
        name: XDP_PROGRAM.into(),
        insns: insns.iter().flat_map(|i| i.to_bytes()).collect(),
        map_refs: refs,
    };
    write_object(&[program], &maps).map_err(object_error)
}

/// The eBPF socket filter for `expr` as an ELF object (section `socket`).
pub fn socket_object(expr: &str, copts: &CompileOptions) -> Result<Vec<u8>, Error> {
    let prog = compile_ebpf(expr, copts)?;
    let program = ProgramDef {
        section: "socket".into(),
        name: SOCKET_PROGRAM.into(),
        insns: prog.to_bytes(),
        map_refs: Vec::new(),
    };
    write_object(&[program], &[]).map_err(object_error)
}

/// An object-writing failure, reported like a compile error (it would be a
/// bug: the names and instructions come from this module).
fn object_error(e: crate::Error) -> Error {
    Error::new(
        ErrorKind::TooLarge,
        0..0,
        format!("cannot write the BPF object: {e}"),
    )
}
