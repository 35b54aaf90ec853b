//! Program templates around a compiled filter: XDP pass/drop with
//! counters, XDP capture through a ring buffer, and the eBPF socket filter.
//!
//! The filter's code comes from the compiler's eBPF back end; a template
//! only adds what happens after the verdict (the `on_match`/`on_miss`
//! tails) and the maps, and the result is written as a BPF ELF object.

use bpfcap_filter::ebpf::codegen::{Flavour, Target, generate_for};
use bpfcap_filter::ebpf::insn::*;
use bpfcap_filter::{CompileOptions, Error, ErrorKind, compile_ebpf, compile_ir};

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

fn call(helper: Helper) -> Insn {
    Insn::new(JMP | 0x80, 0, 0, 0, helper as i32)
}

/// `counters[idx] += 1` on this CPU.
fn count(out: &mut Vec<Insn>, idx: u32) {
    out.push(Insn::new(0x02 | MEM | W, R10, 0, KEY_SLOT, idx as i32));
    out.extend(ld_map(1, MAP_COUNTERS));
    out.push(Insn::new(ALU64 | MOV | X, 2, R10, 0, 0));
    out.push(Insn::new(ALU64 | ADD | K, 2, 0, 0, i32::from(KEY_SLOT)));
    out.push(call(Helper::MapLookupElem));
    out.push(Insn::new(JMP | JEQ | K, R0, 0, 3, 0));
    out.push(Insn::new(LDX | MEM | 0x18, 1, R0, 0, 0));
    out.push(Insn::new(ALU64 | ADD | K, 1, 0, 0, 1));
    out.push(Insn::new(STX | MEM | 0x18, R0, 1, 0, 0));
}

/// `bpf_ringbuf_submit` flags (`BPF_RB_NO_WAKEUP`, `BPF_RB_FORCE_WAKEUP`)
/// and the `bpf_ringbuf_query` flag for the unconsumed bytes
/// (`BPF_RB_AVAIL_DATA`), from the kernel's UAPI `linux/bpf.h`.
const BPF_RB_NO_WAKEUP: i32 = 1;
const BPF_RB_FORCE_WAKEUP: i32 = 2;
const BPF_RB_AVAIL_DATA: i32 = 0;

/// The helpers the templates call, by their numbers in `enum bpf_func_id`
/// (`linux/bpf.h`).
#[derive(Clone, Copy)]
enum Helper {
    MapLookupElem = 1,
    KtimeGetNs = 5,
    RingbufReserve = 131,
    RingbufSubmit = 132,
    RingbufDiscard = 133,
    RingbufQuery = 134,
    XdpGetBuffLen = 188,
    XdpLoadBytes = 189,
}

/// The kernel's header in front of each ring-buffer record.
const RINGBUF_HDR: u32 = 8;

/// The record sizes (header included) the program reserves: the size of
/// `bpf_ringbuf_reserve` must be a constant the verifier knows, so a
/// packet gets the smallest of these that holds it — 16-byte steps up to
/// 256 bytes, then steps of a half and a third (at most a third wasted) —
/// and the last one holds a whole snapshot length.
pub fn record_classes(snaplen: u32) -> Vec<u32> {
    let full = (RECORD_HEADER + snaplen.clamp(1, 0xffff)).next_multiple_of(8);
    let mut classes = Vec::new();
    let mut c = 32;
    while c < full {
        classes.push(c);
        c = if c < 256 {
            c + 16
        } else if c.is_power_of_two() {
            c + c / 2
        } else {
            (c / 3) * 4
        };
    }
    classes.push(full);
    classes
}

/// Unconsumed bytes in the ring at which the consumer is woken: each
/// time a record takes them past a multiple of this (a power of two, an
/// eighth of the ring). Below it, records are submitted without a
/// wake-up and the consumer finds them on its timer.
pub fn wakeup_bytes(ring_bytes: u32) -> u32 {
    (ring_bytes / 8).max(RINGBUF_HDR).next_power_of_two()
}

/// Copies the packet into the ring buffer (or counts it lost).
///
/// The record is reserved at the smallest [`record_classes`] size that
/// holds `min(length, snaplen)` bytes, and submitted without waking the
/// consumer unless the unconsumed data crosses a multiple of
/// [`wakeup_bytes`].
fn capture(out: &mut Vec<Insn>, snaplen: u32, ring_bytes: u32) {
    let snap = snaplen.clamp(1, 0xffff) as i32;
    let classes = record_classes(snaplen);
    let mask = wakeup_bytes(ring_bytes) as i32 - 1;
    let rel = |from: usize, to: usize| (to as i64 - from as i64 - 1) as i16;
    // r8 = caplen = min(length, snaplen), in [1, snaplen] for the verifier.
    out.push(Insn::new(ALU64 | MOV | X, 1, R6, 0, 0));
    out.push(call(Helper::XdpGetBuffLen));
    out.push(Insn::new(ALU64 | MOV | X, 8, R0, 0, 0));
    out.push(Insn::new(JMP | JLE | K, 8, 0, 1, snap));
    out.push(Insn::new(ALU64 | MOV | K, 8, 0, 0, snap));
    let empty = out.len();
    out.push(Insn::new(JMP | JEQ | K, 8, 0, 0, 0)); // → end, patched
    // r9 = the record size: a constant on each path to the reserve.
    let mut to_reserve = Vec::new();
    for (i, &c) in classes.iter().enumerate() {
        let last = i + 1 == classes.len();
        if !last {
            // if caplen > c - 16 try the next class
            out.push(Insn::new(
                JMP | JGT | K,
                8,
                0,
                2,
                (c - RECORD_HEADER) as i32,
            ));
        }
        out.push(Insn::new(ALU64 | MOV | K, 9, 0, 0, c as i32));
        if !last {
            to_reserve.push(out.len());
            out.push(Insn::new(JMP | JA, 0, 0, 0, 0)); // → reserve, patched
        }
    }
    let reserve = out.len();
    for at in to_reserve {
        out[at].off = rel(at, reserve);
    }
    out.extend(ld_map(1, MAP_EVENTS));
    out.push(Insn::new(ALU64 | MOV | X, 2, 9, 0, 0));
    out.push(Insn::new(ALU64 | MOV | K, 3, 0, 0, 0));
    out.push(call(Helper::RingbufReserve));
    let full = out.len();
    out.push(Insn::new(JMP | JEQ | K, R0, 0, 0, 0)); // → lost, patched below
    out.push(Insn::new(ALU64 | MOV | X, 7, R0, 0, 0));
    out.push(Insn::new(STX | MEM | W, 7, 8, 12, 0));
    out.push(Insn::new(ALU64 | MOV | X, 1, R6, 0, 0));
    out.push(call(Helper::XdpGetBuffLen));
    out.push(Insn::new(STX | MEM | W, 7, R0, 8, 0));
    out.push(Insn::new(ALU64 | MOV | X, 1, R6, 0, 0));
    out.push(Insn::new(ALU64 | MOV | K, 2, 0, 0, 0));
    out.push(Insn::new(ALU64 | MOV | X, 3, 7, 0, 0));
    out.push(Insn::new(ALU64 | ADD | K, 3, 0, 0, RECORD_HEADER as i32));
    out.push(Insn::new(ALU64 | MOV | X, 4, 8, 0, 0));
    out.push(call(Helper::XdpLoadBytes));
    let failed = out.len();
    out.push(Insn::new(JMP | JNE | K, R0, 0, 0, 0)); // → discard
    out.push(call(Helper::KtimeGetNs));
    out.push(Insn::new(STX | MEM | 0x18, 7, R0, 0, 0));
    // Wake the consumer only when this record takes the unconsumed bytes
    // (ours included) past a multiple of the wake-up size: avail % size <
    // what this record took (the kernel's header and the record).
    out.extend(ld_map(1, MAP_EVENTS));
    out.push(Insn::new(ALU64 | MOV | K, 2, 0, 0, BPF_RB_AVAIL_DATA));
    out.push(call(Helper::RingbufQuery));
    out.push(Insn::new(ALU64 | AND | K, R0, 0, 0, mask));
    out.push(Insn::new(ALU64 | ADD | K, 9, 0, 0, RINGBUF_HDR as i32));
    out.push(Insn::new(ALU64 | MOV | K, 2, 0, 0, BPF_RB_NO_WAKEUP));
    out.push(Insn::new(JMP | JGE | X, R0, 9, 1, 0));
    out.push(Insn::new(ALU64 | MOV | K, 2, 0, 0, BPF_RB_FORCE_WAKEUP));
    out.push(Insn::new(ALU64 | MOV | X, 1, 7, 0, 0));
    out.push(call(Helper::RingbufSubmit));
    let submitted = out.len();
    out.push(Insn::new(JMP | JA, 0, 0, 0, 0)); // → end, patched
    let discard = out.len();
    out.push(Insn::new(ALU64 | MOV | X, 1, 7, 0, 0));
    out.push(Insn::new(ALU64 | MOV | K, 2, 0, 0, BPF_RB_NO_WAKEUP));
    out.push(call(Helper::RingbufDiscard));
    let after_discard = out.len();
    out.push(Insn::new(JMP | JA, 0, 0, 0, 0)); // → end, patched
    let lost = out.len();
    count(out, LOST);
    let end = out.len();
    out[empty].off = rel(empty, end);
    out[full].off = rel(full, lost);
    out[failed].off = rel(failed, discard);
    out[submitted].off = rel(submitted, end);
    out[after_discard].off = rel(after_discard, end);
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
            capture(&mut out, opts.snaplen, opts.ring_bytes);
            drop
        }
    };
    if drop {
        count(&mut out, DROPPED);
    }
    out.extend(bpfcap_filter::ebpf::codegen::ret(if drop {
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
    out.extend(bpfcap_filter::ebpf::codegen::ret(XDP_PASS));
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
        ErrorKind::Internal,
        0..0,
        format!("cannot write the BPF object: {e}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_classes_cover_every_caplen_with_little_waste() {
        for snaplen in [1, 15, 16, 64, 100, 1500, 2048, 9000, 65535] {
            let classes = record_classes(snaplen);
            assert!(classes.windows(2).all(|w| w[0] < w[1]), "{classes:?}");
            assert!(classes.iter().all(|c| c % 8 == 0), "{classes:?}");
            assert_eq!(
                *classes.last().unwrap(),
                (RECORD_HEADER + snaplen).next_multiple_of(8)
            );
            for caplen in 1..=snaplen {
                let need = RECORD_HEADER + caplen;
                let c = *classes.iter().find(|&&c| c >= need).unwrap();
                assert!(c <= need.max(64) * 3 / 2, "{caplen}: {c}");
            }
        }
        assert!(record_classes(65535).len() < 40);
    }

    #[test]
    fn the_wakeup_size_is_an_eighth_of_the_ring() {
        assert_eq!(wakeup_bytes(32 << 20), 4 << 20);
        assert_eq!(wakeup_bytes(4096), 512);
        assert_eq!(wakeup_bytes(4096 * 3), 2048);
    }
}
