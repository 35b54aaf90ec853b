//! Classic pcap files (libpcap's savefile format): a 24-byte header, then
//! a 16-byte record header before each packet.

use std::io::Write;

use super::endian::Endian;
use super::source::Source;
use super::{Interface, Meta, ReadError, StoredTime, Timestamp, max_snaplen};

/// What a magic number says: byte order, time resolution, and whether
/// records carry the 8 extra bytes of Alexey Kuznetzov's patched libpcap.
#[derive(Clone, Copy, Debug)]
pub(crate) struct MagicKind {
    endian: Endian,
    nanos: bool,
    kuznetzov: bool,
}

const MAGIC_USEC: u32 = 0xa1b2_c3d4;
const MAGIC_NSEC: u32 = 0xa1b2_3c4d;
const MAGIC_KUZNETZOV: u32 = 0xa1b2_cd34;

pub(crate) fn magic_kind(magic: [u8; 4]) -> Option<MagicKind> {
    for endian in [Endian::Little, Endian::Big] {
        let (nanos, kuznetzov) = match endian.u32(&magic) {
            MAGIC_USEC => (false, false),
            MAGIC_NSEC => (true, false),
            MAGIC_KUZNETZOV => (false, true),
            _ => continue,
        };
        return Some(MagicKind {
            endian,
            nanos,
            kuznetzov,
        });
    }
    None
}

#[derive(Clone)]
pub(crate) struct PcapReader {
    kind: MagicKind,
    interface: Interface,
    snapshot: u32,
}

impl PcapReader {
    /// Reads the rest of the file header (after the magic).
    pub fn new(src: &mut Source, kind: MagicKind) -> Result<Self, ReadError> {
        let range = src.need(20)?;
        let hdr = &src.bytes()[range];
        let e = kind.endian;
        let major = e.u16(&hdr[0..]);
        if major != 2 {
            return Err(ReadError::Malformed(format!(
                "archaic or unsupported pcap file format version {major}"
            )));
        }
        let interface = Interface {
            snaplen: e.u32(&hdr[12..]),
            linktype: e.u32(&hdr[16..]),
            big_endian: e == Endian::Big,
            ts_units_per_sec: if kind.nanos { 1_000_000_000 } else { 1_000_000 },
        };
        Ok(PcapReader {
            kind,
            snapshot: interface.snapshot(),
            interface,
        })
    }

    /// The length of the record at the start of `b` if its header looks
    /// like one (see `PcapWalker::plausible_record`).
    pub fn plausible_record(&self, b: &[u8]) -> Option<usize> {
        let hlen = if self.kind.kuznetzov { 24 } else { 16 };
        let h = b.get(..hlen)?;
        let e = self.kind.endian;
        let frac = e.u32(&h[4..]);
        let caplen = e.u32(&h[8..]);
        let wirelen = e.u32(&h[12..]);
        let ok = u64::from(frac) < self.interface.ts_units_per_sec
            && caplen <= self.snapshot
            && caplen <= wirelen
            && wirelen <= 0x0100_0000;
        ok.then_some(hlen + caplen as usize)
    }

    pub fn nanos(&self) -> bool {
        self.kind.nanos
    }

    /// Whether records are standard ones in this host's byte order, as a
    /// pcap writer copies them.
    pub fn native(&self) -> bool {
        self.verbatim() && self.interface.big_endian == cfg!(target_endian = "big")
    }

    /// The snapshot length records are cut to (see `Interface::snapshot`).
    pub fn snapshot(&self) -> u32 {
        self.snapshot
    }

    pub fn interface(&self) -> &Interface {
        &self.interface
    }

    /// Length of a record header.
    pub fn header_len(&self) -> usize {
        if self.kind.kuznetzov { 24 } else { 16 }
    }

    /// What a record header says: (captured length, bytes of it to keep,
    /// wire length), checked as libpcap checks it.
    #[inline]
    pub fn header(&self, hdr: &[u8]) -> Result<(usize, usize, u32), ReadError> {
        let e = self.kind.endian;
        let caplen = e.u32(&hdr[8..]);
        let wirelen = e.u32(&hdr[12..]);
        let max = max_snaplen(self.interface.linktype & 0xffff);
        if caplen > max {
            // libpcap 1.10 names the snapshot length when the record
            // exceeds it too (a header's 0 or "negative" one counting as
            // the maximum).
            let snap = match self.interface.snaplen {
                0 => max,
                s if s > i32::MAX as u32 => max,
                s => s,
            };
            let limit = if caplen > snap {
                format!("snaplen of {snap}")
            } else {
                format!("maximum of {max}")
            };
            return Err(ReadError::Malformed(format!(
                "invalid packet capture length {caplen}, bigger than {limit}"
            )));
        }
        // libpcap hands the filter at most the file's snapshot length and
        // skips the rest of an oversized record.
        Ok((caplen as usize, caplen.min(self.snapshot) as usize, wirelen))
    }

    /// Whether records can be copied as stored (the Kuznetzov variant's
    /// extra header fields cannot go into a standard pcap file).
    pub fn verbatim(&self) -> bool {
        !self.kind.kuznetzov
    }

    pub fn next(&mut self, src: &mut Source) -> Result<Option<Meta>, ReadError> {
        src.begin();
        let Some(range) = src.take(self.header_len())? else {
            return Ok(None);
        };
        let hdr = &src.bytes()[range.clone()];
        let e = self.kind.endian;
        let (secs, frac) = (e.u32(&hdr[0..]), e.u32(&hdr[4..]));
        let (caplen, keep, wirelen) = self.header(hdr)?;
        let data = src.need(keep)?;
        let skip = caplen - keep;
        if skip > 0 {
            src.skip(skip)?;
        }
        // An out-of-range fraction (seen in damaged files) carries into
        // the seconds, as reading it as a real number would.
        let mut ts = Timestamp::from_ticks(u64::from(frac), self.interface.ts_units_per_sec);
        ts.secs += i64::from(secs);
        Ok(Some(Meta {
            ts,
            wirelen,
            // Only a record kept whole can be copied verbatim.
            record: (skip == 0 && self.verbatim()).then_some(range.start..data.end),
            stored_time: Some(StoredTime { secs, frac }),
            data,
            interface: 0,
        }))
    }
}

/// Where the records of `run`, pcap records in this host's byte order as
/// a writer copies them, end (offsets into `run`), for each record that
/// lies wholly in `run`; a record cut by the end of `run` ends the walk.
pub(crate) fn native_record_ends(run: &[u8]) -> impl Iterator<Item = usize> + '_ {
    let mut pos = 0;
    std::iter::from_fn(move || {
        let cap = run.get(pos + 8..pos + 12)?;
        pos += 16 + u32::from_ne_bytes([cap[0], cap[1], cap[2], cap[3]]) as usize;
        (pos <= run.len()).then_some(pos)
    })
}

/// How many records a run of pcap records in this host's byte order
/// holds, such as [`crate::Sink::records`] is handed: for a sink that
/// counts the packets it writes.
pub fn native_record_count(run: &[u8]) -> u64 {
    native_record_ends(run).count() as u64
}

/// Writes the pcap file header.
pub(crate) fn write_header(
    out: &mut impl Write,
    linktype: u32,
    snaplen: u32,
    nanos: bool,
) -> std::io::Result<()> {
    let magic = if nanos { MAGIC_NSEC } else { MAGIC_USEC };
    let mut hdr = Vec::with_capacity(24);
    hdr.extend_from_slice(&magic.to_ne_bytes());
    hdr.extend_from_slice(&2u16.to_ne_bytes());
    hdr.extend_from_slice(&4u16.to_ne_bytes());
    hdr.extend_from_slice(&0i32.to_ne_bytes()); // thiszone
    hdr.extend_from_slice(&0u32.to_ne_bytes()); // sigfigs
    hdr.extend_from_slice(&snaplen.to_ne_bytes());
    hdr.extend_from_slice(&linktype.to_ne_bytes());
    out.write_all(&hdr)
}

/// Writes one record (header and data) in the host's byte order, as
/// libpcap's `pcap_dump` does: the time stamp is a `struct timeval` (see
/// [`super::Packet::timeval`]), each field cut to 32 bits.
pub(crate) fn write_record(
    out: &mut impl Write,
    (secs, frac): (i64, i64),
    wirelen: u32,
    data: &[u8],
) -> std::io::Result<()> {
    let mut hdr = [0u8; 16];
    hdr[0..4].copy_from_slice(&(secs as u32).to_ne_bytes());
    hdr[4..8].copy_from_slice(&(frac as u32).to_ne_bytes());
    hdr[8..12].copy_from_slice(&(data.len() as u32).to_ne_bytes());
    hdr[12..16].copy_from_slice(&wirelen.to_ne_bytes());
    out.write_all(&hdr)?;
    out.write_all(data)
}
