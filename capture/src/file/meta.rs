//! pcapng metadata kept through replay: interface options, packet
//! options, and the blocks between packets (name resolution, decryption
//! secrets, custom blocks, interface statistics, and the section headers
//! and interface descriptions after the first ones).

use super::endian::Endian;

/// A pcapng block as read: its type and body (what lies between the
/// total length and its trailing copy, padding included), in the byte
/// order of its section.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawBlock {
    /// The block type (1 interface description, 4 name resolution,
    /// 5 interface statistics, 10 decryption secrets, 0xBAD and
    /// 0x40000BAD custom, 0x0A0D0D0A section header).
    pub block_type: u32,
    /// Byte order of its section.
    pub big_endian: bool,
    /// The body, between the total length and its trailing copy.
    pub body: Vec<u8>,
}

/// Section header block.
pub const SHB: u32 = 0x0a0d_0d0a;
/// Interface description block.
pub const IDB: u32 = 1;
/// Name resolution block.
pub const NRB: u32 = 4;
/// Interface statistics block.
pub const ISB: u32 = 5;
/// Decryption secrets block.
pub const DSB: u32 = 10;
/// Custom block, copyable.
pub const CB_COPY: u32 = 0x0000_0bad;
/// Custom block, not to be copied (kept all the same, as editcap does).
pub const CB_NOCOPY: u32 = 0x4000_0bad;

impl RawBlock {
    /// A section header (no options) and an interface description for
    /// packets of `interface` that come with no pcapng blocks of their own
    /// (read from a pcap file), in its byte order, so that a pcapng copy
    /// can take them in a section of their own.
    pub fn section_for(interface: &super::Interface) -> Vec<RawBlock> {
        let big = interface.big_endian;
        let (u16b, u32b) = if big {
            (
                u16::to_be_bytes as fn(u16) -> [u8; 2],
                u32::to_be_bytes as fn(u32) -> [u8; 4],
            )
        } else {
            (
                u16::to_le_bytes as fn(u16) -> [u8; 2],
                u32::to_le_bytes as fn(u32) -> [u8; 4],
            )
        };
        let mut shb = u32b(0x1a2b_3c4d).to_vec();
        shb.extend_from_slice(&u16b(1));
        shb.extend_from_slice(&u16b(0));
        shb.extend_from_slice(&[0xff; 8]);
        let mut idb = u16b(interface.linktype as u16).to_vec();
        idb.extend_from_slice(&u16b(0));
        idb.extend_from_slice(&u32b(interface.snaplen));
        let units = interface.ts_units_per_sec;
        if let Some(exp) = (0..20u8).find(|&e| 10u64.checked_pow(u32::from(e)) == Some(units)) {
            push_option(&mut idb, big, 9, &[exp]);
            idb.extend_from_slice(&[0; 4]);
        }
        vec![
            RawBlock {
                block_type: SHB,
                big_endian: big,
                body: shb,
            },
            RawBlock {
                block_type: IDB,
                big_endian: big,
                body: idb,
            },
        ]
    }
}

/// Whether a block of this type is kept to be written out again.
pub(crate) fn kept(block_type: u32) -> bool {
    matches!(block_type, NRB | ISB | DSB | CB_COPY | CB_NOCOPY)
}

/// The options in `body` (code, value), in order; stops
/// at `opt_endofopt` or at the first option that does not fit.
pub fn options(body: &[u8], big_endian: bool) -> impl Iterator<Item = (u16, &[u8])> {
    let e = if big_endian {
        Endian::Big
    } else {
        Endian::Little
    };
    let mut rest = body;
    std::iter::from_fn(move || {
        if rest.len() < 4 {
            return None;
        }
        let (code, len) = (e.u16(rest), usize::from(e.u16(&rest[2..])));
        let padded = len.next_multiple_of(4);
        if code == 0 || rest.len() < 4 + padded {
            rest = &[];
            return None;
        }
        let value = &rest[4..4 + len];
        rest = &rest[4 + padded..];
        Some((code, value))
    })
}

/// Appends an option (code, length, value, padding) in a byte order.
pub(crate) fn push_option(out: &mut Vec<u8>, big_endian: bool, code: u16, value: &[u8]) {
    let (c, l) = (code, value.len() as u16);
    if big_endian {
        out.extend_from_slice(&c.to_be_bytes());
        out.extend_from_slice(&l.to_be_bytes());
    } else {
        out.extend_from_slice(&c.to_le_bytes());
        out.extend_from_slice(&l.to_le_bytes());
    }
    out.extend_from_slice(value);
    out.resize(out.len().next_multiple_of(4), 0);
}

fn text(v: &[u8]) -> String {
    String::from_utf8_lossy(v)
        .trim_end_matches('\0')
        .to_string()
}

/// What an interface description says besides link type and snapshot
/// length.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InterfaceOptions {
    /// The options as stored (up to and without `opt_endofopt`), in the
    /// section's byte order.
    pub raw: Vec<u8>,
    /// `if_name`.
    pub name: Option<String>,
    /// `if_description`.
    pub description: Option<String>,
    /// `if_tsresol` as stored.
    pub tsresol: Option<u8>,
    /// `if_tsoffset`, in seconds.
    pub tsoffset: Option<i64>,
}

impl InterfaceOptions {
    /// Parses the options part of an interface description's body.
    pub fn parse(raw: &[u8], big_endian: bool) -> InterfaceOptions {
        let e = if big_endian {
            Endian::Big
        } else {
            Endian::Little
        };
        let mut o = InterfaceOptions::default();
        let mut len = 0;
        for (code, v) in options(raw, big_endian) {
            len += 4 + v.len().next_multiple_of(4);
            match code {
                2 => o.name = Some(text(v)),
                3 => o.description = Some(text(v)),
                9 if v.len() == 1 => o.tsresol = Some(v[0]),
                14 if v.len() == 8 => o.tsoffset = Some(e.u64(v) as i64),
                _ => {}
            }
        }
        o.raw = raw[..len].to_vec();
        o
    }
}

/// The options of an enhanced packet block.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PacketOptions {
    /// `opt_comment`s.
    pub comments: Vec<String>,
    /// `epb_flags`.
    pub flags: Option<u32>,
    /// `epb_hash`es (algorithm byte, then the hash).
    pub hashes: Vec<Vec<u8>>,
    /// `epb_dropcount`.
    pub dropcount: Option<u64>,
    /// Any other option, as stored.
    pub other: Vec<(u16, Vec<u8>)>,
}

impl PacketOptions {
    /// Parses an enhanced packet block's options.
    pub fn parse(raw: &[u8], big_endian: bool) -> PacketOptions {
        let e = if big_endian {
            Endian::Big
        } else {
            Endian::Little
        };
        let mut o = PacketOptions::default();
        for (code, v) in options(raw, big_endian) {
            match code {
                1 => o.comments.push(text(v)),
                2 if v.len() == 4 => o.flags = Some(e.u32(v)),
                3 => o.hashes.push(v.to_vec()),
                4 if v.len() == 8 => o.dropcount = Some(e.u64(v)),
                _ => o.other.push((code, v.to_vec())),
            }
        }
        o
    }
}

/// The options part of an enhanced packet block's body, read in its
/// byte order.
pub(crate) fn epb_options(body: &[u8], big_endian: bool) -> &[u8] {
    let e = if big_endian {
        Endian::Big
    } else {
        Endian::Little
    };
    if body.len() < 20 {
        return &[];
    }
    let caplen = e.u32(&body[12..]) as usize;
    body.get(20 + caplen.next_multiple_of(4)..).unwrap_or(&[])
}
