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
use super::source::Source;
use super::{Interface, Meta, ReadError, Timestamp, max_snaplen};

const SHB: u32 = 0x0a0d_0d0a;
const IDB: u32 = 1;
const PB: u32 = 2;
const SPB: u32 = 3;
const EPB: u32 = 6;
const BYTE_ORDER_MAGIC: u32 = 0x1a2b_3c4d;
const OPT_END: u16 = 0;
const OPT_IF_TSRESOL: u16 = 9;
const OPT_IF_TSOFFSET: u16 = 14;
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
}

impl PcapNgReader {
    /// Reads the first section header (its block type already read).
    pub fn new(src: &mut Source) -> Result<Self, ReadError> {
        let mut r = PcapNgReader {
            endian: Endian::Little,
            idbs: Vec::new(),
            interfaces: Vec::new(),
            max_block: MAX_BLOCK,
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
        Ok(r)
    }

    pub fn interfaces(&self) -> &[Interface] {
        &self.interfaces
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
        Ok(())
    }

    /// The next packet, skipping (and taking note of) other blocks.
    pub fn next(&mut self, src: &mut Source) -> Result<Option<Meta>, ReadError> {
        while let Some(block) = self.next_block(src, false)? {
            if let Block::Packet(meta) = block {
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
        Ok(Some(match block_type {
            SHB => {
                self.read_shb(&bytes[body])?;
                Block::Other
            }
            IDB => {
                self.read_idb(&bytes[body])?;
                Block::Interface
            }
            EPB => Block::Packet(self.packet_block(bytes, body, PacketLayout::Enhanced)?),
            PB => Block::Packet(self.packet_block(bytes, body, PacketLayout::Obsolete)?),
            SPB => Block::Packet(self.simple_packet(bytes, body)?),
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
    let len: usize = body.iter().map(|b| b.len()).sum();
    let padded = len.next_multiple_of(4);
    let total = (12 + padded) as u32;
    out.write_all(&block_type.to_ne_bytes())?;
    out.write_all(&total.to_ne_bytes())?;
    for part in body {
        out.write_all(part)?;
    }
    out.write_all(&[0u8; 3][..padded - len])?;
    out.write_all(&total.to_ne_bytes())
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

/// Writes an interface description with nanosecond time stamps.
pub(crate) fn write_idb(out: &mut impl Write, linktype: u32, snaplen: u32) -> std::io::Result<()> {
    let mut body = Vec::with_capacity(20);
    body.extend_from_slice(&(linktype as u16).to_ne_bytes());
    body.extend_from_slice(&0u16.to_ne_bytes());
    body.extend_from_slice(&snaplen.to_ne_bytes());
    body.extend_from_slice(&OPT_IF_TSRESOL.to_ne_bytes());
    body.extend_from_slice(&1u16.to_ne_bytes());
    body.extend_from_slice(&[9, 0, 0, 0]);
    body.extend_from_slice(&[0u8; 4]); // opt_endofopt
    write_block(out, IDB, &[&body])
}

/// Writes an enhanced packet block with a nanosecond time stamp.
pub(crate) fn write_epb(
    out: &mut impl Write,
    id: u32,
    ts: Timestamp,
    wirelen: u32,
    data: &[u8],
) -> std::io::Result<()> {
    let ticks = (ts.secs as u64)
        .wrapping_mul(1_000_000_000)
        .wrapping_add(u64::from(ts.nanos));
    let mut hdr = [0u8; 20];
    hdr[0..4].copy_from_slice(&id.to_ne_bytes());
    hdr[4..8].copy_from_slice(&((ticks >> 32) as u32).to_ne_bytes());
    hdr[8..12].copy_from_slice(&(ticks as u32).to_ne_bytes());
    hdr[12..16].copy_from_slice(&(data.len() as u32).to_ne_bytes());
    hdr[16..20].copy_from_slice(&wirelen.to_ne_bytes());
    write_block(out, EPB, &[&hdr, data])
}
