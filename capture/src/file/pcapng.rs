//! pcapng files: a sequence of blocks; a section header block (SHB) sets
//! the byte order, interface description blocks (IDB) give each
//! interface's link type, snapshot length and time resolution, and packet
//! blocks (enhanced, simple, or the obsolete packet block) carry packets.

use std::io::Write;
use std::ops::Range;

use super::endian::Endian;
use super::source::Source;
use super::{Interface, Meta, ReadError, Timestamp};

const SHB: u32 = 0x0a0d_0d0a;
const IDB: u32 = 1;
const PB: u32 = 2;
const SPB: u32 = 3;
const EPB: u32 = 6;
const BYTE_ORDER_MAGIC: u32 = 0x1a2b_3c4d;
const OPT_END: u16 = 0;
const OPT_IF_TSRESOL: u16 = 9;
const OPT_IF_TSOFFSET: u16 = 14;
/// Larger blocks are taken for corruption rather than allocated.
const MAX_BLOCK: u32 = 256 << 20;

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
}

impl PcapNgReader {
    /// Reads the first section header (its block type already read).
    pub fn new(src: &mut Source) -> Result<Self, ReadError> {
        let mut r = PcapNgReader {
            endian: Endian::Little,
            idbs: Vec::new(),
            interfaces: Vec::new(),
        };
        r.read_shb(src)?;
        // Like libpcap, read up to the first interface description so the
        // file's link type is known before any packet.
        loop {
            match r.next_block(src)? {
                Some(Block::Interface) => return Ok(r),
                Some(Block::Other) => {}
                // (A packet block before any interface fails in `idb`.)
                Some(Block::Packet(_)) | None => {
                    return Err(ReadError::Malformed(
                        "the capture file has no interface description blocks".into(),
                    ));
                }
            }
        }
    }

    pub fn interfaces(&self) -> &[Interface] {
        &self.interfaces
    }

    /// Reads a section header's body after its block type; a new section
    /// may change the byte order and starts with no interfaces.
    fn read_shb(&mut self, src: &mut Source) -> Result<(), ReadError> {
        let range = src.need(8)?;
        let head = &src.bytes()[range];
        let magic = [head[4], head[5], head[6], head[7]];
        self.endian = if u32::from_le_bytes(magic) == BYTE_ORDER_MAGIC {
            Endian::Little
        } else if u32::from_be_bytes(magic) == BYTE_ORDER_MAGIC {
            Endian::Big
        } else {
            return Err(ReadError::Malformed(
                "pcapng section header has an unknown byte-order magic".into(),
            ));
        };
        let total = check_length(self.endian.u32(head), 28)?;
        let body = src.need(total as usize - 12)?;
        let major = self.endian.u16(&src.bytes()[body]);
        if major != 1 {
            return Err(ReadError::Malformed(format!(
                "unsupported pcapng file version {major}"
            )));
        }
        self.idbs.clear();
        self.interfaces.clear();
        Ok(())
    }

    /// The next packet, skipping (and taking note of) other blocks.
    pub fn next(&mut self, src: &mut Source) -> Result<Option<Meta>, ReadError> {
        while let Some(block) = self.next_block(src)? {
            if let Block::Packet(meta) = block {
                return Ok(Some(meta));
            }
        }
        Ok(None)
    }

    /// Reads one block; section headers and interface descriptions update
    /// the reader's state.
    fn next_block(&mut self, src: &mut Source) -> Result<Option<Block>, ReadError> {
        src.begin();
        let Some(range) = src.take(4)? else {
            return Ok(None);
        };
        let block_type = self.endian.u32(&src.bytes()[range]);
        if block_type == SHB {
            self.read_shb(src)?;
            return Ok(Some(Block::Other));
        }
        let range = src.need(4)?;
        let total = check_length(self.endian.u32(&src.bytes()[range]), 12)?;
        // The body without the trailing copy of the length.
        let body = src.need(total as usize - 8)?;
        let body = body.start..body.end - 4;
        Ok(Some(match block_type {
            IDB => {
                self.read_idb(&src.bytes()[body])?;
                Block::Interface
            }
            EPB => Block::Packet(self.packet_block(src.bytes(), body, PacketLayout::Enhanced)?),
            PB => Block::Packet(self.packet_block(src.bytes(), body, PacketLayout::Obsolete)?),
            SPB => Block::Packet(self.simple_packet(src.bytes(), body)?),
            _ => Block::Other, // statistics, name resolution, custom...: not needed
        }))
    }

    fn read_idb(&mut self, body: &[u8]) -> Result<(), ReadError> {
        if body.len() < 8 {
            return Err(ReadError::Malformed(
                "pcapng interface block is too short".into(),
            ));
        }
        let e = self.endian;
        let mut interface = Interface {
            linktype: u32::from(e.u16(body)),
            snaplen: e.u32(&body[4..]),
            big_endian: e == Endian::Big,
            ts_units_per_sec: 1_000_000,
        };
        let mut ts_offset = 0;
        for (code, value) in options(e, &body[8..]) {
            match code {
                OPT_IF_TSRESOL if !value.is_empty() => {
                    interface.ts_units_per_sec = ts_units(value[0])?;
                }
                OPT_IF_TSOFFSET if value.len() >= 8 => ts_offset = e.u64(value) as i64,
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
                "a packet arrived on interface {id}, but there's no interface with that ID"
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
        let b = &bytes[body.clone()];
        if b.len() < 20 {
            return Err(ReadError::Malformed(
                "pcapng packet block is too short".into(),
            ));
        }
        let id = match layout {
            PacketLayout::Enhanced => e.u32(b),
            PacketLayout::Obsolete => u32::from(e.u16(b)),
        };
        let ticks = (u64::from(e.u32(&b[4..])) << 32) | u64::from(e.u32(&b[8..]));
        let caplen = e.u32(&b[12..]);
        let wirelen = e.u32(&b[16..]);
        if caplen as usize > b.len() - 20 {
            return Err(ReadError::Malformed(format!(
                "pcapng packet block has a captured length of {caplen}, larger than the block"
            )));
        }
        let idb = self.idb(id)?;
        let keep = caplen.min(idb.snapshot) as usize;
        let start = body.start + 20;
        Ok(Meta {
            ts: idb.timestamp(ticks),
            wirelen,
            data: start..start + keep,
            record: None,
            interface: id as usize,
        })
    }

    fn simple_packet(&self, bytes: &[u8], body: Range<usize>) -> Result<Meta, ReadError> {
        if body.len() < 4 {
            return Err(ReadError::Malformed(
                "pcapng simple packet block is too short".into(),
            ));
        }
        let wirelen = self.endian.u32(&bytes[body.clone()]);
        let idb = self.idb(0)?;
        let keep = (wirelen as usize)
            .min(body.len() - 4)
            .min(idb.snapshot as usize);
        let start = body.start + 4;
        Ok(Meta {
            // Simple packet blocks carry no time stamp.
            ts: Timestamp::default(),
            wirelen,
            data: start..start + keep,
            record: None,
            interface: 0,
        })
    }
}

/// Checks a block's total length: at least `min`, a multiple of 4, and
/// not absurd.
fn check_length(total: u32, min: u32) -> Result<u32, ReadError> {
    if total < min || !total.is_multiple_of(4) || total > MAX_BLOCK {
        return Err(ReadError::Malformed(format!(
            "pcapng block has an invalid length of {total} bytes"
        )));
    }
    Ok(total)
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
    let units = if resol & 0x80 != 0 {
        1u64.checked_shl(exp).filter(|_| exp < 64)
    } else {
        10u64.checked_pow(exp)
    };
    units.ok_or_else(|| {
        ReadError::Malformed(format!(
            "pcapng interface has an unsupported time resolution {resol:#x}"
        ))
    })
}

/// The (code, value) options of a block, up to `opt_endofopt` or the end.
fn options(e: Endian, mut rest: &[u8]) -> impl Iterator<Item = (u16, &[u8])> {
    std::iter::from_fn(move || {
        if rest.len() < 4 {
            return None;
        }
        let code = e.u16(rest);
        let len = usize::from(e.u16(&rest[2..]));
        if code == OPT_END || rest.len() < 4 + len {
            return None;
        }
        let value = &rest[4..4 + len];
        rest = &rest[(4 + len.next_multiple_of(4)).min(rest.len())..];
        Some((code, value))
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
