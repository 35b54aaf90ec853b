//! pcapng files: a sequence of blocks; a section header block (SHB) sets
//! the byte order, interface description blocks (IDB) give each
//! interface's link type, snapshot length and time resolution, and packet
//! blocks (enhanced, simple, or the obsolete packet block) carry packets.
//!
//! Damaged files are judged as libpcap 1.10 (`sf-pcapng.c`) judges them,
//! with its messages: block lengths (at least 12, a multiple of 4, at most
//! 16 MiB or what the first interface's link type needs, the trailing copy
//! equal to the leading one), fixed parts and packet data within their
//! block, interface options within theirs and of the lengths they must
//! have. Two things libpcap refuses are read on purpose: sections in
//! different byte orders and interfaces of different link types or
//! snapshot lengths (pcapng output and per-interface filters handle them).

use std::io::Write;
use std::ops::Range;

use super::endian::Endian;
use super::meta::{self, InterfaceOptions, RawBlock};
use super::source::Source;
use super::{Interface, Meta, Packet, ReadError, Timestamp, max_snaplen};

use super::meta::{IDB, ISB, SHB};
use super::origin::{InterfaceCounts, Origin, Port};

mod walk;
pub(crate) use walk::{Halt, PcapNgWalker};

const PB: u32 = 2;
const SPB: u32 = 3;
const EPB: u32 = 6;
const BYTE_ORDER_MAGIC: u32 = 0x1a2b_3c4d;
const OPT_END: u16 = 0;
const OPT_COMMENT: u16 = 1;
const OPT_IF_NAME: u16 = 2;
const OPT_IF_DESCRIPTION: u16 = 3;
const OPT_IF_TSRESOL: u16 = 9;
const OPT_EPB_FLAGS: u16 = 2;
const OPT_EPB_QUEUE: u16 = 6;
const OPT_EPB_VERDICT: u16 = 7;
/// `epb_verdict`'s type for a Linux eBPF XDP program's action.
const VERDICT_EBPF_XDP: u8 = 2;
const OPT_ISB_ENDTIME: u16 = 3;
const OPT_ISB_IFRECV: u16 = 4;
const OPT_ISB_IFDROP: u16 = 5;
const OPT_ISB_FILTERACCEPT: u16 = 6;
const OPT_IF_TSOFFSET: u16 = 14;
const OPT_SHB_USERAPPL: u16 = 4;
/// libpcap's `INITIAL_MAX_BLOCKSIZE`: larger blocks are taken for
/// corruption rather than read (unless the first interface's link type
/// allows bigger packets).
const MAX_BLOCK: u32 = 16 << 20;
/// libpcap's `BT_SHB_INSANE_MAX`, the largest first section header.
const MAX_FIRST_SHB: u32 = 1 << 20;

pub(crate) fn is_magic(magic: [u8; 4]) -> bool {
    u32::from_le_bytes(magic) == SHB
}

/// What reading an interface's packets takes besides its public
/// description (kept in the same order in `interfaces`).
#[derive(Clone)]
struct Idb {
    /// Seconds added to its time stamps (`if_tsoffset`).
    ts_offset: i64,
    /// Its snapshot length as libpcap adjusts it.
    snapshot: u32,
    /// Ticks per second of its time stamps.
    units: u64,
}

pub(crate) struct PcapNgReader {
    endian: Endian,
    idbs: Vec<Idb>,
    /// The interfaces' descriptions, for [`super::Reader::interfaces`].
    interfaces: Vec<Interface>,
    /// The largest block accepted.
    max_block: u32,
    /// The options of each interface of `interfaces`.
    options: Vec<InterfaceOptions>,
    /// The first section header and the first interface description.
    opening: Vec<RawBlock>,
    /// Metadata blocks read since [`PcapNgReader::clear_pending`].
    pending: Vec<RawBlock>,
    /// (link type, snapshot length) of the interfaces described before
    /// the first packet, as far as could be seen when opening.
    announced: Vec<(u32, u32)>,
    /// `pending` grows across packets until cleared (else it holds the
    /// blocks before the last packet only).
    keep: bool,
    /// A packet was read since `pending` was last cleared.
    handed: bool,
    /// The last packet's enhanced packet block body.
    block: Option<Range<usize>>,
}

impl PcapNgReader {
    /// Reads the first section header (its block type already read).
    pub fn new(src: &mut Source) -> Result<Self, ReadError> {
        let mut r = PcapNgReader {
            endian: Endian::Little,
            idbs: Vec::new(),
            interfaces: Vec::new(),
            max_block: MAX_BLOCK,
            options: Vec::new(),
            opening: Vec::new(),
            pending: Vec::new(),
            announced: Vec::new(),
            keep: false,
            handed: false,
            block: None,
        };
        r.read_first_shb(src)?;
        // Like libpcap, read up to the first interface description so the
        // file's link type is known before any packet.
        loop {
            match r.next_block(src, true)? {
                Some(Block::Interface) => break,
                // (`next_block` refuses packet blocks before an interface.)
                Some(Block::Other | Block::Packet(_)) => {}
                None => {
                    return Err(ReadError::Malformed(
                        "the capture file has no Interface Description Blocks".into(),
                    ));
                }
            }
        }
        // libpcap's MAX_BLOCKSIZE_FOR_SNAPLEN: room for an enhanced packet
        // block of the largest packet of the link type, and options.
        let largest = 8 + 20 + max_snaplen(r.interfaces[0].linktype & 0xffff) + 131_072 + 4;
        r.max_block = r.max_block.max(largest);
        r.announce(src);
        Ok(r)
    }

    /// Looks ahead, without reading, for the interface descriptions that
    /// come before the first packet (in memory only: a stream cannot be
    /// looked into), so that a pcap writer knows them all up front.
    fn announce(&mut self, src: &Source) {
        let e = self.endian;
        self.announced = self
            .interfaces
            .iter()
            .map(|i| (i.linktype, i.snaplen))
            .collect();
        let Some(mut pos) = src.position() else {
            return;
        };
        let bytes = src.bytes();
        // A few blocks at most: this is a look, not a read.
        for _ in 0..64 {
            let Some(head) = bytes.get(pos..pos + 8) else {
                return;
            };
            let (t, len) = (e.u32(head), e.u32(&head[4..]) as usize);
            if len < 12 || !len.is_multiple_of(4) || matches!(t, SHB | EPB | SPB | PB) {
                return;
            }
            let Some(body) = bytes.get(pos + 8..pos + len - 4) else {
                return;
            };
            if t == IDB && body.len() >= 8 {
                self.announced
                    .push((u32::from(e.u16(body)), e.u32(&body[4..])));
            }
            pos += len;
        }
    }

    pub fn announced(&self) -> &[(u32, u32)] {
        &self.announced
    }

    pub fn interfaces(&self) -> &[Interface] {
        &self.interfaces
    }

    pub fn interface_options(&self) -> &[InterfaceOptions] {
        &self.options
    }

    pub fn opening(&self) -> &[RawBlock] {
        &self.opening
    }

    pub fn pending(&self) -> &[RawBlock] {
        &self.pending
    }

    pub fn clear_pending(&mut self) {
        self.pending.clear();
        self.handed = false;
    }

    pub fn block(&self) -> Option<Range<usize>> {
        self.block.clone()
    }

    pub fn keep_pending(&mut self, keep: bool) {
        self.keep = keep;
    }

    /// Reads the first section header after its block type: the byte
    /// order, a length of 28 bytes to 1 MiB, version 1.0 or 1.2. (libpcap
    /// reads no trailer check into this one.)
    fn read_first_shb(&mut self, src: &mut Source) -> Result<(), ReadError> {
        let range = src.need(8)?;
        let head = &src.bytes()[range];
        let magic = [head[4], head[5], head[6], head[7]];
        self.endian = if u32::from_le_bytes(magic) == BYTE_ORDER_MAGIC {
            Endian::Little
        } else if u32::from_be_bytes(magic) == BYTE_ORDER_MAGIC {
            Endian::Big
        } else {
            return Err(ReadError::UnknownFormat);
        };
        let total = self.endian.u32(head);
        if !(28..=MAX_FIRST_SHB).contains(&total) {
            return Err(ReadError::Malformed(format!(
                "Section Header Block in pcapng dump file has invalid length 28 < _{total}_ < {MAX_FIRST_SHB} (BT_SHB_INSANE_MAX)"
            )));
        }
        let body = src.need(total as usize - 12)?;
        let b = &src.bytes()[body];
        let (major, minor) = (self.endian.u16(b), self.endian.u16(&b[2..]));
        if major != 1 || (minor != 0 && minor != 2) {
            return Err(ReadError::Malformed(format!(
                "unsupported pcapng savefile version {major}.{minor}"
            )));
        }
        let mut body = magic.to_vec();
        body.extend_from_slice(&b[..b.len() - 4]);
        self.opening.push(RawBlock {
            block_type: SHB,
            big_endian: self.endian == Endian::Big,
            body,
        });
        Ok(())
    }

    /// A later section header's body (already checked as a block): a new
    /// section may change the byte order and starts with no interfaces.
    fn read_shb(&mut self, body: &[u8]) -> Result<(), ReadError> {
        let body = fixed_part(SHB, body, 16)?;
        let magic = [body[0], body[1], body[2], body[3]];
        self.endian = if u32::from_le_bytes(magic) == BYTE_ORDER_MAGIC {
            Endian::Little
        } else if u32::from_be_bytes(magic) == BYTE_ORDER_MAGIC {
            Endian::Big
        } else {
            return Err(ReadError::Malformed(
                "the file has a section with a bad byte order magic field".into(),
            ));
        };
        let major = self.endian.u16(&body[4..]);
        if major != 1 {
            return Err(ReadError::Malformed(format!(
                "unknown pcapng savefile major version number {major}"
            )));
        }
        self.idbs.clear();
        self.interfaces.clear();
        self.options.clear();
        Ok(())
    }

    /// The next packet, skipping (and taking note of) other blocks.
    pub fn next(&mut self, src: &mut Source) -> Result<Option<Meta>, ReadError> {
        if self.handed && !self.keep {
            self.clear_pending();
        }
        while let Some(block) = self.next_block(src, false)? {
            if let Block::Packet(meta) = block {
                self.handed = true;
                return Ok(Some(meta));
            }
        }
        Ok(None)
    }

    /// Reads one block; section headers and interface descriptions update
    /// the reader's state. `opening`: looking for the first interface,
    /// before which a packet is an error.
    fn next_block(&mut self, src: &mut Source, opening: bool) -> Result<Option<Block>, ReadError> {
        src.begin();
        let Some(head) = src.take(8)? else {
            return Ok(None);
        };
        let block_type = self.endian.u32(&src.bytes()[head.clone()]);
        // The length is in the current byte order, except in a section
        // header whose byte-order magic says it starts a section in the
        // other one.
        let (mut endian, mut got) = (self.endian, 8);
        if block_type == SHB {
            let magic = src.need(4)?;
            if self.endian.u32(&src.bytes()[magic]) == BYTE_ORDER_MAGIC.swap_bytes() {
                endian = self.endian.swapped();
            }
            got = 12;
        }
        let total = endian.u32(&src.bytes()[head.start + 4..]);
        self.check_length(total)?;
        let rest = src.need(total as usize - got)?;
        let bytes = src.bytes();
        if endian.u32(&bytes[rest.end - 4..]) != total {
            return Err(ReadError::Malformed(
                "block total length in header and trailer don't match".into(),
            ));
        }
        let body = head.end..rest.end - 4;
        if opening && matches!(block_type, EPB | SPB | PB) {
            return Err(ReadError::Malformed(
                "the capture file has a packet block before any Interface Description Blocks"
                    .into(),
            ));
        }
        let keep = |r: &mut PcapNgReader| {
            let block = RawBlock {
                block_type,
                big_endian: r.endian == Endian::Big,
                body: bytes[body.clone()].to_vec(),
            };
            if opening && block_type == IDB {
                r.opening.push(block);
            } else {
                r.pending.push(block);
            }
        };
        Ok(Some(match block_type {
            SHB => {
                self.read_shb(&bytes[body.clone()])?;
                keep(self);
                Block::Other
            }
            IDB => {
                self.read_idb(&bytes[body.clone()])?;
                keep(self);
                Block::Interface
            }
            t if meta::kept(t) => {
                keep(self);
                Block::Other
            }
            EPB => {
                self.block = Some(body.clone());
                Block::Packet(self.packet_block(bytes, body, PacketLayout::Enhanced)?)
            }
            PB => {
                self.block = None;
                Block::Packet(self.packet_block(bytes, body, PacketLayout::Obsolete)?)
            }
            SPB => {
                self.block = None;
                Block::Packet(self.simple_packet(bytes, body)?)
            }
            _ => Block::Other, // statistics, name resolution, custom...: not needed
        }))
    }

    /// libpcap's checks of a block's total length, in its order.
    fn check_length(&self, total: u32) -> Result<(), ReadError> {
        let problem = if total < 12 {
            format!("block in pcapng dump file has a length of {total} < 12")
        } else if !total.is_multiple_of(4) {
            format!("block in pcapng dump file has a length of {total} that is not a multiple of 4")
        } else if total > self.max_block {
            format!("pcapng block size {total} > maximum {}", self.max_block)
        } else {
            return Ok(());
        };
        Err(ReadError::Malformed(problem))
    }

    fn read_idb(&mut self, body: &[u8]) -> Result<(), ReadError> {
        let fixed = fixed_part(IDB, body, 8)?;
        let e = self.endian;
        let mut interface = Interface {
            linktype: u32::from(e.u16(fixed)),
            snaplen: e.u32(&fixed[4..]),
            big_endian: e == Endian::Big,
            ts_units_per_sec: 1_000_000,
        };
        let (mut ts_offset, mut saw_tsresol, mut saw_tsoffset) = (0, false, false);
        let mut rest = &body[8..];
        while !rest.is_empty() {
            let head = fixed_part(IDB, rest, 4)?;
            let (code, len) = (e.u16(head), usize::from(e.u16(&head[2..])));
            let padded = fixed_part(IDB, &rest[4..], len.next_multiple_of(4))?;
            let value = &padded[..len];
            rest = &rest[4 + padded.len()..];
            match code {
                OPT_END => {
                    exact_length("opt_endofopt", len, 0)?;
                    break;
                }
                OPT_IF_TSRESOL => {
                    exact_length("if_tsresol", len, 1)?;
                    only_once("if_tsresol", &mut saw_tsresol)?;
                    interface.ts_units_per_sec = ts_units(value[0])?;
                }
                OPT_IF_TSOFFSET => {
                    exact_length("if_tsoffset", len, 8)?;
                    only_once("if_tsoffset", &mut saw_tsoffset)?;
                    ts_offset = e.u64(value) as i64;
                }
                _ => {}
            }
        }
        self.options
            .push(InterfaceOptions::parse(&body[8..], e == Endian::Big));
        self.idbs.push(Idb {
            ts_offset,
            snapshot: interface.snapshot(),
            units: interface.ts_units_per_sec,
        });
        self.interfaces.push(interface);
        Ok(())
    }

    fn idb(&self, id: u32) -> Result<&Idb, ReadError> {
        self.idbs.get(id as usize).ok_or_else(|| {
            ReadError::Malformed(format!(
                "a packet arrived on interface {id}, but there's no Interface Description Block for that interface"
            ))
        })
    }

    fn packet_block(
        &self,
        bytes: &[u8],
        body: Range<usize>,
        layout: PacketLayout,
    ) -> Result<Meta, ReadError> {
        let e = self.endian;
        let (block_type, id) = match layout {
            PacketLayout::Enhanced => (EPB, e.u32(fixed_part(EPB, &bytes[body.clone()], 20)?)),
            PacketLayout::Obsolete => (
                PB,
                u32::from(e.u16(fixed_part(PB, &bytes[body.clone()], 20)?)),
            ),
        };
        let b = &bytes[body.clone()];
        let ticks = (u64::from(e.u32(&b[4..])) << 32) | u64::from(e.u32(&b[8..]));
        let caplen = e.u32(&b[12..]);
        let wirelen = e.u32(&b[16..]);
        let idb = self.idb(id)?;
        if caplen > idb.snapshot {
            return Err(ReadError::Malformed(format!(
                "invalid packet capture length {caplen}, bigger than snaplen of {}",
                idb.snapshot
            )));
        }
        fixed_part(block_type, &b[20..], caplen as usize)?;
        let start = body.start + 20;
        Ok(Meta {
            ts: idb.timestamp(ticks),
            wirelen,
            data: start..start + caplen as usize,
            record: None,
            stored_time: None,
            interface: id as usize,
        })
    }

    fn simple_packet(&self, bytes: &[u8], body: Range<usize>) -> Result<Meta, ReadError> {
        let wirelen = self.endian.u32(fixed_part(SPB, &bytes[body.clone()], 4)?);
        let idb = self.idb(0)?;
        // No captured length is stored: the packet is cut to the snapshot.
        let caplen = wirelen.min(idb.snapshot) as usize;
        fixed_part(SPB, &bytes[body.start + 4..body.end], caplen)?;
        let start = body.start + 4;
        Ok(Meta {
            // Simple packet blocks carry no time stamp.
            ts: Timestamp::default(),
            wirelen,
            data: start..start + caplen,
            record: None,
            stored_time: None,
            interface: 0,
        })
    }
}

/// The first `n` bytes of a block's (remaining) body, or libpcap's error
/// for a block too short to hold them.
fn fixed_part(block_type: u32, body: &[u8], n: usize) -> Result<&[u8], ReadError> {
    body.get(..n).ok_or_else(|| {
        ReadError::Malformed(format!(
            "block of type {block_type} in pcapng dump file is too short"
        ))
    })
}

/// libpcap's check of an interface option's length.
fn exact_length(name: &str, len: usize, want: usize) -> Result<(), ReadError> {
    if len == want {
        return Ok(());
    }
    Err(ReadError::Malformed(format!(
        "Interface Description Block has {name} option with length {len} != {want}"
    )))
}

/// libpcap refuses a second time-stamp option of a kind.
fn only_once(name: &str, seen: &mut bool) -> Result<(), ReadError> {
    if std::mem::replace(seen, true) {
        return Err(ReadError::Malformed(format!(
            "Interface Description Block has more than one {name} option"
        )));
    }
    Ok(())
}

/// What a block was.
enum Block {
    Packet(Meta),
    Interface,
    Other,
}

#[derive(Clone, Copy)]
enum PacketLayout {
    /// Enhanced packet block: 32-bit interface id.
    Enhanced,
    /// The obsolete packet block: 16-bit interface id and a drop count.
    Obsolete,
}

impl Idb {
    fn timestamp(&self, ticks: u64) -> Timestamp {
        let mut ts = Timestamp::from_ticks(ticks, self.units);
        // libpcap adds the offset in unsigned 64-bit arithmetic: a hostile
        // offset wraps there, and must not panic here.
        ts.secs = ts.secs.wrapping_add(self.ts_offset);
        ts
    }
}

/// `if_tsresol`: a negative power of 10, or of 2 when the top bit is set.
fn ts_units(resol: u8) -> Result<u64, ReadError> {
    let exp = u32::from(resol & 0x7f);
    let (units, base) = if resol & 0x80 != 0 {
        (1u64.checked_shl(exp).filter(|_| exp < 64), 2)
    } else {
        (10u64.checked_pow(u32::from(resol)), 10)
    };
    units.ok_or_else(|| {
        ReadError::Malformed(format!(
            "Interface Description Block if_tsresol option resolution {base}^-{exp} is too high"
        ))
    })
}

/// Appends a block: type, length, body padded to 4 bytes, length.
fn write_block(out: &mut impl Write, block_type: u32, body: &[&[u8]]) -> std::io::Result<()> {
    write_block_in(out, cfg!(target_endian = "big"), block_type, body)
}

/// A `u32` in a byte order.
fn put32(big_endian: bool, v: u32) -> [u8; 4] {
    if big_endian {
        v.to_be_bytes()
    } else {
        v.to_le_bytes()
    }
}

/// Appends a block in a byte order (that of the section it goes in).
pub(crate) fn write_block_in(
    out: &mut impl Write,
    big_endian: bool,
    block_type: u32,
    body: &[&[u8]],
) -> std::io::Result<()> {
    let len: usize = body.iter().map(|b| b.len()).sum();
    let padded = len.next_multiple_of(4);
    let total = put32(big_endian, (12 + padded) as u32);
    out.write_all(&put32(big_endian, block_type))?;
    out.write_all(&total)?;
    for part in body {
        out.write_all(part)?;
    }
    out.write_all(&[0u8; 3][..padded - len])?;
    out.write_all(&total)
}

/// What bpfcap says of itself in `shb_userappl`.
const USERAPPL: &str = concat!("bpfcap ", env!("CARGO_PKG_VERSION"));

/// Writes a block read from a pcapng file again, in its byte order: a
/// section header with an unknown section length and bpfcap as its
/// `shb_userappl` (its other options kept); an interface description
/// with its snapshot length set to `snaplen` if given (options kept);
/// any other block as it was.
pub(crate) fn write_kept_block(
    out: &mut impl Write,
    block: &RawBlock,
    snaplen: Option<u32>,
) -> std::io::Result<()> {
    let big = block.big_endian;
    let b = &block.body;
    match block.block_type {
        SHB if b.len() >= 16 => {
            let mut body = b[..8].to_vec();
            body.extend_from_slice(&[0xff; 8]); // section length -1
            for (code, value) in meta::options(&b[16..], big) {
                if code != OPT_SHB_USERAPPL {
                    meta::push_option(&mut body, big, code, value);
                }
            }
            meta::push_option(&mut body, big, OPT_SHB_USERAPPL, USERAPPL.as_bytes());
            body.extend_from_slice(&[0u8; 4]);
            write_block_in(out, big, SHB, &[&body])
        }
        IDB if b.len() >= 8 => {
            let mut body = b.clone();
            if let Some(s) = snaplen {
                body[4..8].copy_from_slice(&put32(big, s));
            }
            write_block_in(out, big, IDB, &[&body])
        }
        t => write_block_in(out, big, t, &[b]),
    }
}

/// Writes an enhanced packet block for a packet of a pcapng file, in the
/// section's byte order: its interface id, time stamp (in its interface's
/// resolution) and options as read, its data as given.
pub(crate) fn write_kept_epb(out: &mut impl Write, pkt: &Packet<'_>) -> std::io::Result<()> {
    let big = pkt.interface.big_endian;
    let mut hdr = [0u8; 20];
    let options = match pkt.block {
        Some(b) if b.len() >= 20 => {
            hdr[..12].copy_from_slice(&b[..12]);
            meta::epb_options(b, big)
        }
        _ => {
            // A simple or obsolete packet block: the time stamp again in
            // the interface's ticks.
            let units = pkt.interface.ts_units_per_sec;
            let frac = u128::from(pkt.ts.nanos) * u128::from(units) / 1_000_000_000;
            let ticks = (pkt.ts.secs as u64)
                .wrapping_mul(units)
                .wrapping_add(frac as u64);
            hdr[..4].copy_from_slice(&put32(big, pkt.interface_id as u32));
            hdr[4..8].copy_from_slice(&put32(big, (ticks >> 32) as u32));
            hdr[8..12].copy_from_slice(&put32(big, ticks as u32));
            &[]
        }
    };
    hdr[12..16].copy_from_slice(&put32(big, pkt.data.len() as u32));
    hdr[16..20].copy_from_slice(&put32(big, pkt.wirelen));
    let pad = &[0u8; 3][..pkt.data.len().next_multiple_of(4) - pkt.data.len()];
    write_block_in(out, big, EPB, &[&hdr, pkt.data, pad, options])
}

/// Writes a section header for a section of unknown length.
pub(crate) fn write_shb(out: &mut impl Write) -> std::io::Result<()> {
    let mut body = Vec::with_capacity(16);
    body.extend_from_slice(&BYTE_ORDER_MAGIC.to_ne_bytes());
    body.extend_from_slice(&1u16.to_ne_bytes());
    body.extend_from_slice(&0u16.to_ne_bytes());
    body.extend_from_slice(&(-1i64).to_ne_bytes());
    write_block(out, SHB, &[&body])
}

/// Writes an interface description with nanosecond time stamps, and the
/// interface's name and description when known.
pub(crate) fn write_idb(
    out: &mut impl Write,
    linktype: u32,
    snaplen: u32,
    port: Option<Port<'_>>,
) -> std::io::Result<()> {
    let big = cfg!(target_endian = "big");
    let mut body = Vec::with_capacity(64);
    body.extend_from_slice(&(linktype as u16).to_ne_bytes());
    body.extend_from_slice(&0u16.to_ne_bytes());
    body.extend_from_slice(&snaplen.to_ne_bytes());
    if let Some(port) = port {
        meta::push_option(&mut body, big, OPT_IF_NAME, port.name.as_bytes());
        if let Some(d) = port.description {
            meta::push_option(&mut body, big, OPT_IF_DESCRIPTION, d.as_bytes());
        }
    }
    meta::push_option(&mut body, big, OPT_IF_TSRESOL, &[9]);
    body.extend_from_slice(&[0u8; 4]); // opt_endofopt
    write_block(out, IDB, &[&body])
}

/// Writes an enhanced packet block with a nanosecond time stamp and the
/// options a live capture knows (`epb_flags`; XDP's verdict as
/// `epb_queue`, `epb_verdict` and a comment).
pub(crate) fn write_epb(
    out: &mut impl Write,
    id: u32,
    ts: Timestamp,
    wirelen: u32,
    data: &[u8],
    origin: &Origin<'_>,
) -> std::io::Result<()> {
    let mut hdr = [0u8; 20];
    hdr[0..4].copy_from_slice(&id.to_ne_bytes());
    hdr[4..12].copy_from_slice(&ticks(ts));
    hdr[12..16].copy_from_slice(&(data.len() as u32).to_ne_bytes());
    hdr[16..20].copy_from_slice(&wirelen.to_ne_bytes());
    let pad = &[0u8; 3][..data.len().next_multiple_of(4) - data.len()];
    let options = epb_options(origin);
    write_block(out, EPB, &[&hdr, data, pad, &options])
}

/// A nanosecond time stamp as pcapng stores it: high then low 32 bits.
fn ticks(ts: Timestamp) -> [u8; 8] {
    let ticks = (ts.secs as u64)
        .wrapping_mul(1_000_000_000)
        .wrapping_add(u64::from(ts.nanos));
    let mut out = [0u8; 8];
    out[..4].copy_from_slice(&((ticks >> 32) as u32).to_ne_bytes());
    out[4..].copy_from_slice(&(ticks as u32).to_ne_bytes());
    out
}

/// The options of a live packet's enhanced packet block (none: empty).
fn epb_options(origin: &Origin<'_>) -> Vec<u8> {
    let big = cfg!(target_endian = "big");
    let mut o = Vec::new();
    if let Some(v) = &origin.verdict {
        meta::push_option(&mut o, big, OPT_COMMENT, v.comment().as_bytes());
    }
    if let Some(flags) = origin.flags {
        meta::push_option(&mut o, big, OPT_EPB_FLAGS, &flags.to_ne_bytes());
    }
    if let Some(v) = &origin.verdict {
        meta::push_option(&mut o, big, OPT_EPB_QUEUE, &v.rx_queue.to_ne_bytes());
        let mut verdict = vec![VERDICT_EBPF_XDP];
        verdict.extend_from_slice(&u64::from(v.action).to_ne_bytes());
        meta::push_option(&mut o, big, OPT_EPB_VERDICT, &verdict);
    }
    if !o.is_empty() {
        o.extend_from_slice(&[0u8; 4]); // opt_endofopt
    }
    o
}

/// Writes an interface statistics block for interface `id`: what was
/// received, dropped and (if counted) accepted by the filter, as of `ts`.
pub(crate) fn write_isb(
    out: &mut impl Write,
    id: u32,
    ts: Timestamp,
    counts: &InterfaceCounts,
) -> std::io::Result<()> {
    let big = cfg!(target_endian = "big");
    let mut body = id.to_ne_bytes().to_vec();
    body.extend_from_slice(&ticks(ts));
    meta::push_option(&mut body, big, OPT_ISB_ENDTIME, &ticks(ts));
    meta::push_option(
        &mut body,
        big,
        OPT_ISB_IFRECV,
        &counts.received.to_ne_bytes(),
    );
    meta::push_option(
        &mut body,
        big,
        OPT_ISB_IFDROP,
        &counts.dropped.to_ne_bytes(),
    );
    if let Some(accepted) = counts.accepted {
        meta::push_option(
            &mut body,
            big,
            OPT_ISB_FILTERACCEPT,
            &accepted.to_ne_bytes(),
        );
    }
    body.extend_from_slice(&[0u8; 4]); // opt_endofopt
    write_block(out, ISB, &[&body])
}
