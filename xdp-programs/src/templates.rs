//! Program templates around a compiled filter: XDP pass/drop with
//! counters, XDP capture through a ring buffer, and the eBPF socket filter.
//!
//! The filter's code comes from the compiler's eBPF back end; a template
//! only adds what happens after the verdict (the `on_match`/`on_miss`
//! tails) and the maps, and the result is written as a BPF ELF object.

use bpfcap_filter::ebpf::codegen::{Flavour, Target, generate_for, ret};
use bpfcap_filter::ebpf::insn::{AluOp, Insn, JmpOp, Reg, Size};
use bpfcap_filter::ebpf::{self, Asm, Helper};
use bpfcap_filter::sets::SetMap;
use bpfcap_filter::{CompileOptions, Error, ErrorKind, compile_ebpf, compile_ir};

use crate::objects::{Action, Counter, SocketFilter, SocketObject, XdpObject, XdpOptions};
use crate::record::{RINGBUF_HEADER_LEN, Record};
use crate::{MapDef, ProgramDef, map_type, write_object};

/// XDP action: drop the packet.
pub const XDP_DROP: i32 = 1;
/// XDP action: let the packet continue into the stack.
pub const XDP_PASS: i32 = 2;

/// Map indexes in the object, used as placeholders in `ld_imm64` until
/// the ELF writer turns them into relocations.
const MAP_COUNTERS: i32 = 0;
const MAP_EVENTS: i32 = 1;

/// The captured packet's header in the ring buffer record, and where its
/// fields go (see [`Record`]).
const RECORD_HEADER: u32 = Record::HEADER_LEN as u32;
const TIMESTAMP_AT: i16 = Record::TIMESTAMP_AT as i16;
const WIRE_LEN_AT: i16 = Record::WIRE_LEN_AT as i16;
const CAPTURED_LEN_AT: i16 = Record::CAPTURED_LEN_AT as i16;
const RX_QUEUE_AT: i16 = Record::RX_QUEUE_AT as i16;
const ACTION_AT: i16 = Record::ACTION_AT as i16;

/// Where `struct xdp_md` (the program's context) holds the receive queue.
const XDP_MD_RX_QUEUE_INDEX: i16 = 16;

/// Stack slot for map keys, below the compiler's variable slots.
const KEY_SLOT: i16 = -72;

/// `counters[counter] += 1` on this CPU.
fn count(out: &mut Asm, counter: Counter) {
    let idx = counter.index();
    let missing = out.new_label();
    out.emit(Insn::st_mem(Size::W, Reg::R10, KEY_SLOT, idx as i32));
    out.emit_all(Insn::ld_map_fd(Reg::R1, MAP_COUNTERS));
    out.emit(Insn::mov64_reg(Reg::R2, Reg::R10));
    out.emit(Insn::alu64_imm(AluOp::Add, Reg::R2, i32::from(KEY_SLOT)));
    out.emit(Insn::call(Helper::MapLookupElem));
    out.jump_if(Insn::jmp_imm(JmpOp::Jeq, Reg::R0, 0, 0), missing);
    out.emit(Insn::ldx_mem(Size::DW, Reg::R1, Reg::R0, 0));
    out.emit(Insn::alu64_imm(AluOp::Add, Reg::R1, 1));
    out.emit(Insn::stx_mem(Size::DW, Reg::R0, Reg::R1, 0));
    out.bind(missing);
}

/// `bpf_ringbuf_submit` flags (`BPF_RB_NO_WAKEUP`, `BPF_RB_FORCE_WAKEUP`)
/// and the `bpf_ringbuf_query` flag for the unconsumed bytes
/// (`BPF_RB_AVAIL_DATA`), from the kernel's UAPI `linux/bpf.h`.
const BPF_RB_NO_WAKEUP: i32 = 1;
const BPF_RB_FORCE_WAKEUP: i32 = 2;
const BPF_RB_AVAIL_DATA: i32 = 0;

/// The kernel's header in front of each ring-buffer record.
const RINGBUF_HDR: u32 = RINGBUF_HEADER_LEN as u32;

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

/// Copies the packet into the ring buffer (or counts it lost), saying
/// that `action` is returned for it.
///
/// The record is reserved at the smallest [`record_classes`] size that
/// holds `min(length, snaplen)` bytes, and submitted without waking the
/// consumer unless the unconsumed data crosses a multiple of
/// [`wakeup_bytes`].
fn capture(out: &mut Asm, snaplen: u32, ring_bytes: u32, action: i32) {
    let snap = snaplen.clamp(1, 0xffff) as i32;
    let classes = record_classes(snaplen);
    let mask = wakeup_bytes(ring_bytes) as i32 - 1;
    let [end, reserve, lost, discard, small] = [(); 5].map(|()| out.new_label());
    let (caplen, record, size) = (Reg::R8, Reg::R7, Reg::R9);
    // caplen = min(length, snaplen), in [1, snaplen] for the verifier.
    out.emit(Insn::mov64_reg(Reg::R1, Reg::R6));
    out.emit(Insn::call(Helper::XdpGetBuffLen));
    out.emit(Insn::mov64_reg(caplen, Reg::R0));
    out.jump_if(Insn::jmp_imm(JmpOp::Jle, caplen, snap, 0), small);
    out.emit(Insn::mov64_imm(caplen, snap));
    out.bind(small);
    out.jump_if(Insn::jmp_imm(JmpOp::Jeq, caplen, 0, 0), end);
    // size = the record size: a constant on each path to the reserve.
    for (i, &c) in classes.iter().enumerate() {
        if i + 1 == classes.len() {
            out.emit(Insn::mov64_imm(size, c as i32));
            break;
        }
        // if caplen > c - the header, try the next class
        let next = out.new_label();
        let bigger = Insn::jmp_imm(JmpOp::Jgt, caplen, (c - RECORD_HEADER) as i32, 0);
        out.jump_if(bigger, next);
        out.emit(Insn::mov64_imm(size, c as i32));
        out.jump(reserve);
        out.bind(next);
    }
    out.bind(reserve);
    out.emit_all(Insn::ld_map_fd(Reg::R1, MAP_EVENTS));
    out.emit(Insn::mov64_reg(Reg::R2, size));
    out.emit(Insn::mov64_imm(Reg::R3, 0));
    out.emit(Insn::call(Helper::RingbufReserve));
    out.jump_if(Insn::jmp_imm(JmpOp::Jeq, Reg::R0, 0, 0), lost);
    // The record header: time stamp (filled in last), wire length,
    // captured length, receive queue, action.
    out.emit(Insn::mov64_reg(record, Reg::R0));
    out.emit(Insn::stx_mem(Size::W, record, caplen, CAPTURED_LEN_AT));
    out.emit(Insn::ldx_mem(
        Size::W,
        Reg::R1,
        Reg::R6,
        XDP_MD_RX_QUEUE_INDEX,
    ));
    out.emit(Insn::stx_mem(Size::W, record, Reg::R1, RX_QUEUE_AT));
    out.emit(Insn::mov64_imm(Reg::R1, action));
    out.emit(Insn::stx_mem(Size::W, record, Reg::R1, ACTION_AT));
    out.emit(Insn::mov64_reg(Reg::R1, Reg::R6));
    out.emit(Insn::call(Helper::XdpGetBuffLen));
    out.emit(Insn::stx_mem(Size::W, record, Reg::R0, WIRE_LEN_AT));
    out.emit(Insn::mov64_reg(Reg::R1, Reg::R6));
    out.emit(Insn::mov64_imm(Reg::R2, 0));
    out.emit(Insn::mov64_reg(Reg::R3, record));
    out.emit(Insn::alu64_imm(AluOp::Add, Reg::R3, RECORD_HEADER as i32));
    out.emit(Insn::mov64_reg(Reg::R4, caplen));
    out.emit(Insn::call(Helper::XdpLoadBytes));
    out.jump_if(Insn::jmp_imm(JmpOp::Jne, Reg::R0, 0, 0), discard);
    out.emit(Insn::call(Helper::KtimeGetNs));
    out.emit(Insn::stx_mem(Size::DW, record, Reg::R0, TIMESTAMP_AT));
    // Wake the consumer only when this record takes the unconsumed bytes
    // (ours included) past a multiple of the wake-up size: avail % size <
    // what this record took (the kernel's header and the record).
    let quiet = out.new_label();
    out.emit_all(Insn::ld_map_fd(Reg::R1, MAP_EVENTS));
    out.emit(Insn::mov64_imm(Reg::R2, BPF_RB_AVAIL_DATA));
    out.emit(Insn::call(Helper::RingbufQuery));
    out.emit(Insn::alu64_imm(AluOp::And, Reg::R0, mask));
    out.emit(Insn::alu64_imm(AluOp::Add, size, RINGBUF_HDR as i32));
    out.emit(Insn::mov64_imm(Reg::R2, BPF_RB_NO_WAKEUP));
    out.jump_if(Insn::jmp_reg(JmpOp::Jge, Reg::R0, size, 0), quiet);
    out.emit(Insn::mov64_imm(Reg::R2, BPF_RB_FORCE_WAKEUP));
    out.bind(quiet);
    out.emit(Insn::mov64_reg(Reg::R1, record));
    out.emit(Insn::call(Helper::RingbufSubmit));
    out.jump(end);
    out.bind(discard);
    out.emit(Insn::mov64_reg(Reg::R1, record));
    out.emit(Insn::mov64_imm(Reg::R2, BPF_RB_NO_WAKEUP));
    out.emit(Insn::call(Helper::RingbufDiscard));
    out.jump(end);
    out.bind(lost);
    count(out, Counter::Lost);
    out.bind(end);
}

/// The code run for a packet the action applies to.
fn act(opts: &XdpOptions) -> Asm {
    let mut out = Asm::new();
    count(&mut out, Counter::Seen);
    count(&mut out, Counter::Matched);
    let drop = match opts.action {
        Action::Pass => false,
        Action::Drop => true,
        Action::Capture { drop } => {
            let action = if drop { XDP_DROP } else { XDP_PASS };
            capture(&mut out, opts.snaplen, opts.ring_bytes, action);
            drop
        }
    };
    if drop {
        count(&mut out, Counter::Dropped);
    }
    out.emit_all(ret(if drop { XDP_DROP } else { XDP_PASS }));
    out
}

/// The code run for the other packets: count and pass.
fn pass() -> Asm {
    let mut out = Asm::new();
    count(&mut out, Counter::Seen);
    out.emit_all(ret(XDP_PASS));
    out
}

/// Where the program loads map addresses: (instruction index, map name).
fn map_refs(prog: &ebpf::Program) -> Vec<(usize, String)> {
    prog.insns()
        .iter()
        .enumerate()
        .filter(|(_, i)| i.is_ld_map_fd())
        .map(|(at, i)| {
            let name = match prog.set_map_of(i) {
                Some(set) => set.name(),
                None if i.imm == MAP_EVENTS => XdpObject::EVENTS_MAP.into(),
                None => XdpObject::COUNTERS_MAP.into(),
            };
            (at, name)
        })
        .collect()
}

/// The definitions of the program's set maps (empty: the loader fills
/// them).
fn set_map_defs(prog: &ebpf::Program) -> Vec<MapDef> {
    prog.set_maps()
        .iter()
        .map(|m: &SetMap| MapDef {
            name: m.name(),
            map_type: m.map_type(),
            key_size: m.key_size(),
            value_size: SetMap::VALUE_SIZE,
            max_entries: bpfcap_filter::sets::MAP_CAPACITY,
            map_flags: m.flags(),
        })
        .collect()
}

/// `prog` with its map references as the ELF writer wants them: listed,
/// with immediates of 0 (it relocates them).
fn program_def(prog: &ebpf::Program, section: &str, name: &str) -> ProgramDef {
    let refs = map_refs(prog);
    let mut insns = prog.insns().to_vec();
    for (at, _) in &refs {
        insns[*at].imm = 0;
    }
    ProgramDef {
        section: section.into(),
        name: name.into(),
        insns: insns.iter().flat_map(|i| i.to_bytes()).collect(),
        map_refs: refs,
    }
}

/// The XDP program for `expr` as a BPF ELF object, with the names and
/// layouts its loader needs (see [`XdpObject`]).
pub fn xdp_object(
    expr: &str,
    copts: &CompileOptions,
    opts: &XdpOptions,
) -> Result<XdpObject, Error> {
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
    let mut maps = vec![MapDef {
        name: XdpObject::COUNTERS_MAP.into(),
        map_type: map_type::PERCPU_ARRAY,
        key_size: 4,
        value_size: 8,
        max_entries: Counter::ALL.len() as u32,
        map_flags: 0,
    }];
    if matches!(opts.action, Action::Capture { .. }) {
        maps.push(MapDef {
            name: XdpObject::EVENTS_MAP.into(),
            map_type: map_type::RINGBUF,
            key_size: 0,
            value_size: 0,
            max_entries: opts.ring_bytes,
            map_flags: 0,
        });
    }
    maps.extend(set_map_defs(&prog));
    let program = program_def(&prog, XdpObject::SECTION, XdpObject::PROGRAM);
    let elf = write_object(&[program], &maps).map_err(object_error)?;
    Ok(XdpObject::new(
        elf,
        copts.link_type,
        opts.clone(),
        prog.set_maps().to_vec(),
    ))
}

/// The eBPF socket filter for `expr` as an ELF object (see
/// [`SocketObject`]).
pub fn socket_object(expr: &str, copts: &CompileOptions) -> Result<SocketObject, Error> {
    let prog = compile_ebpf(expr, copts)?;
    let program = program_def(&prog, SocketObject::SECTION, SocketObject::PROGRAM);
    let elf = write_object(&[program], &set_map_defs(&prog)).map_err(object_error)?;
    Ok(SocketObject::new(
        elf,
        copts.link_type,
        SocketFilter,
        prog.set_maps().to_vec(),
    ))
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
    use bpfcap_filter::ebpf::insn;

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

    /// The capture code stores the record's header fields where
    /// [`Record::parse`] reads them, each with its width.
    #[test]
    fn the_program_stores_the_header_where_the_reader_reads_it() {
        let insns = act(&XdpOptions {
            action: Action::Capture { drop: false },
            ..XdpOptions::default()
        })
        .finish()
        .unwrap();
        // Stores through r7, the reserved record.
        let mut stores: Vec<(usize, usize)> = insns
            .iter()
            .filter(|i| i.class() == insn::STX && i.dst() == Reg::R7)
            .map(|i| {
                let width = match i.code & insn::DW {
                    insn::W => 4,
                    insn::DW => 8,
                    other => panic!("store of size {other:#x}"),
                };
                (i.off as usize, width)
            })
            .collect();
        stores.sort();
        let mut header = [
            (Record::TIMESTAMP_AT, 8),
            (Record::WIRE_LEN_AT, 4),
            (Record::CAPTURED_LEN_AT, 4),
            (Record::RX_QUEUE_AT, 4),
            (Record::ACTION_AT, 4),
        ];
        header.sort();
        assert_eq!(stores, header);
    }

    #[test]
    fn the_wakeup_size_is_an_eighth_of_the_ring() {
        assert_eq!(wakeup_bytes(32 << 20), 4 << 20);
        assert_eq!(wakeup_bytes(4096), 512);
        assert_eq!(wakeup_bytes(4096 * 3), 2048);
    }
}
