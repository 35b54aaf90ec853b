//! Capture files: a [`Reader`] for pcap and pcapng in either byte order,
//! and a [`Writer`] for both.

mod endian;
mod inputs;
mod meta;
mod origin;
mod pcap;
mod pcapng;
mod rotate;
mod shrink;
mod source;
mod writer;

use std::fmt;
use std::fs::File;
use std::io::{self, Read};
use std::os::fd::AsFd;
use std::path::Path;

use bpfcap_filter::{LinkType, PacketSource};

pub use meta::{InterfaceOptions, PacketOptions, RawBlock};
pub use origin::{
    InterfaceCounts, Origin, Port, Verdict, flags_for_ethernet, flags_for_pkttype,
    pkttype_for_flags,
};
pub use pcap::native_record_count;
pub(crate) use pcap::{native_record_ends, write_record as write_pcap_record};
pub(crate) use pcapng::{Halt as BlockHalt, PcapNgWalker, write_kept_epb};
pub use rotate::{RotatingWriter, Rotation};
use source::Source;
pub use source::{Memory, Mmap};
pub use writer::Writer;

/// A packet's capture time: seconds and nanoseconds since the Unix epoch.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Timestamp {
    /// Whole seconds.
    pub secs: i64,
    /// Nanoseconds into the second (below 1,000,000,000).
    pub nanos: u32,
}

impl Timestamp {
    /// Time stamp from a count of `1/units_per_sec` ticks, truncated to
    /// nanoseconds (pcapng's `if_tsresol` may be finer than that).
    #[inline]
    pub fn from_ticks(ticks: u64, units_per_sec: u64) -> Timestamp {
        // The common resolutions, with constant divisors the compiler
        // turns into multiplications: this runs for every packet.
        match units_per_sec {
            1_000_000 => {
                return Timestamp {
                    secs: (ticks / 1_000_000) as i64,
                    nanos: (ticks % 1_000_000) as u32 * 1000,
                };
            }
            1_000_000_000 => {
                return Timestamp {
                    secs: (ticks / 1_000_000_000) as i64,
                    nanos: (ticks % 1_000_000_000) as u32,
                };
            }
            _ => {}
        }
        let secs = ticks / units_per_sec;
        let frac = u128::from(ticks % units_per_sec);
        let nanos = (frac * 1_000_000_000 / u128::from(units_per_sec)) as u32;
        Timestamp {
            secs: secs as i64,
            nanos,
        }
    }

    /// The time stamp as libpcap's `struct timeval` in microseconds (or
    /// nanoseconds with `nanos`): seconds and the fraction of a second.
    pub fn timeval(self, nanos: bool) -> (i64, i64) {
        let frac = if nanos { self.nanos } else { self.nanos / 1000 };
        (self.secs, i64::from(frac))
    }
}

/// A classic pcap record's time stamp as stored: seconds, and a fraction
/// of a second in the file's resolution that damaged files may hold out
/// of range (a second or more). libpcap hands such a fraction on as it
/// is, and tcpdump writes and prints it so, where [`Packet::ts`] carries
/// the excess into the seconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StoredTime {
    /// The seconds field.
    pub secs: u32,
    /// The microseconds or nanoseconds field.
    pub frac: u32,
}

/// One packet as read from a file; `data` borrows the reader's buffer.
#[derive(Clone, Copy, Debug)]
pub struct Packet<'a> {
    /// When it was captured.
    pub ts: Timestamp,
    /// Length on the wire (`data.len()` is the captured length).
    pub wirelen: u32,
    /// The captured bytes.
    pub data: &'a [u8],
    /// The interface it was captured on.
    pub interface: &'a Interface,
    /// The interface's index in [`Reader::interfaces`].
    pub interface_id: usize,
    /// The interface's name (pcapng's `if_name`), if the file gives one.
    pub interface_name: Option<&'a str>,
    /// The pcap record as stored in the file (header and data), if the
    /// packet was read whole from a pcap file: a pcap writer with the same
    /// byte order and time resolution copies it verbatim.
    pub record: Option<&'a [u8]>,
    /// The pcap record's time stamp as stored, if the packet was read
    /// from a pcap file (see [`Packet::timeval`]).
    pub stored_time: Option<StoredTime>,
    /// The enhanced packet block's body as stored (pcapng input), in the
    /// byte order of `interface`: its time stamp and options.
    pub block: Option<&'a [u8]>,
    /// The metadata blocks (see [`Reader::pending_blocks`]) read before
    /// this packet and not yet handed on.
    pub blocks: &'a [RawBlock],
    /// What a live capture knows of it (its interface's name, direction,
    /// XDP's verdict), written as pcapng options.
    pub origin: Origin<'a>,
}

impl<'a> Packet<'a> {
    /// A packet captured live (not read from a file, so with no stored
    /// record to copy).
    pub fn live(
        ts: Timestamp,
        wirelen: u32,
        data: &'a [u8],
        interface: &'a Interface,
    ) -> Packet<'a> {
        Packet {
            ts,
            wirelen,
            data,
            interface,
            interface_id: 0,
            interface_name: None,
            record: None,
            stored_time: None,
            block: None,
            blocks: &[],
            origin: Origin::default(),
        }
    }

    /// The same packet with a live capture's metadata.
    pub fn with_origin(self, origin: Origin<'a>) -> Packet<'a> {
        Packet { origin, ..self }
    }

    /// Its time stamp as libpcap 1.10 hands it to tcpdump, reading at
    /// micro- (or with `nanos` nano)second precision: seconds and
    /// fraction. A pcap record's are as stored, even out of range, the
    /// fraction multiplied or divided by 1000 to the precision: read as a
    /// signed 32-bit number, or an unsigned one from a file in the other
    /// byte order (libpcap's byte swap makes it unsigned). Others are
    /// [`Packet::ts`]'s.
    pub fn timeval(&self, nanos: bool) -> (i64, i64) {
        let Some(t) = self.stored_time else {
            return self.ts.timeval(nanos);
        };
        let frac = if self.interface.big_endian == cfg!(target_endian = "big") {
            i64::from(t.frac as i32)
        } else {
            i64::from(t.frac)
        };
        let frac = match (self.interface.ts_units_per_sec == 1_000_000_000, nanos) {
            (false, true) => frac * 1000,
            (true, false) => frac / 1000,
            _ => frac,
        };
        (i64::from(t.secs), frac)
    }

    /// Its `epb_flags` (enhanced packet blocks only), read without
    /// parsing the other options.
    pub fn flags(&self) -> Option<u32> {
        let big = self.interface.big_endian;
        let raw = meta::epb_options(self.block?, big);
        let (_, v) = meta::options(raw, big).find(|&(code, v)| code == 2 && v.len() == 4)?;
        let b = [v[0], v[1], v[2], v[3]];
        Some(if big {
            u32::from_be_bytes(b)
        } else {
            u32::from_le_bytes(b)
        })
    }

    /// The options of its enhanced packet block (none for other packets).
    pub fn options(&self) -> PacketOptions {
        let big = self.interface.big_endian;
        self.block.map_or_else(PacketOptions::default, |b| {
            PacketOptions::parse(meta::epb_options(b, big), big)
        })
    }
}

/// What a file says about the interface packets were captured on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Interface {
    /// The LINKTYPE_ value as stored in the file.
    pub linktype: u32,
    /// Snapshot length from the header (0 = unknown).
    pub snaplen: u32,
    /// Byte order of the file (or pcapng section): host-order link
    /// headers such as DLT_NULL's are written in it.
    pub big_endian: bool,
    /// Ticks per second of the interface's time stamps in the file.
    pub ts_units_per_sec: u64,
}

impl Interface {
    /// The link type as the filter compiler knows it (DLT_ value).
    pub fn link_type(&self) -> LinkType {
        LinkType::from_linktype(self.linktype & 0x03ff_ffff)
    }

    /// libpcap's `pcap_adjust_snapshot`: an unset or oversized snapshot
    /// length becomes the largest one allowed for the link type.
    fn snapshot(&self) -> u32 {
        let max = max_snaplen(self.linktype & 0xffff);
        if self.snaplen == 0 || self.snaplen > max {
            max
        } else {
            self.snaplen
        }
    }
}

/// libpcap's `max_snaplen_for_dlt`.
fn max_snaplen(linktype: u32) -> u32 {
    match linktype {
        231 => 128 * 1024 * 1024, // DBUS
        279 => 8 * 1024 * 1024,   // EBHSCR
        249 => 1024 * 1024,       // USBPCAP
        _ => bpfcap_filter::DEFAULT_SNAPLEN,
    }
}

/// The container format of a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileFormat {
    /// Classic pcap; `nanos` for the nanosecond-resolution magic.
    Pcap {
        /// Nanosecond time stamps (else microseconds).
        nanos: bool,
    },
    /// pcapng.
    PcapNg,
}

/// Why a file could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// The file could not be read.
    Io(io::Error),
    /// The file is not a capture file we know.
    UnknownFormat,
    /// The file ends in the middle of a header or packet.
    Truncated {
        /// Bytes the next header or packet needed.
        wanted: usize,
        /// Bytes that were left.
        got: usize,
    },
    /// A header or block is malformed.
    Malformed(String),
    /// The (memory-mapped) file shrank while it was read: the packets
    /// before its new end were read, nothing after.
    Shrunk {
        /// The file's size when that was noticed.
        size: u64,
    },
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Io(e) => write!(f, "{e}"),
            ReadError::UnknownFormat => write!(f, "unknown file format"),
            ReadError::Truncated { wanted, got } => write!(
                f,
                "truncated dump file; tried to read {wanted} bytes, only got {got}"
            ),
            ReadError::Malformed(m) => f.write_str(m),
            ReadError::Shrunk { size } => write!(
                f,
                "truncated dump file; the file shrank to {size} bytes while being read"
            ),
        }
    }
}

/// [`ReadError::Io`] displays the system's error as its own text, so its
/// cause is that error's cause (each level said once).
impl std::error::Error for ReadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ReadError::Io(e) => e.source(),
            _ => None,
        }
    }
}

impl From<io::Error> for ReadError {
    fn from(e: io::Error) -> ReadError {
        ReadError::Io(e)
    }
}

enum Decoder {
    Pcap(pcap::PcapReader),
    PcapNg(pcapng::PcapNgReader),
}

/// A capture file reader, pcap or pcapng, told apart by the magic number.
pub struct Reader {
    /// Keeps this process's writers from truncating the file being read.
    /// First, so that it is dropped first: once the file is closed, its
    /// inode may go to a file created next, which must not be refused.
    _reading: Option<inputs::Reading>,
    src: Source,
    decoder: Decoder,
}

impl Reader {
    /// Opens a file (memory-mapped when possible), or standard input for `-`.
    pub fn open(path: &Path) -> Result<Reader, ReadError> {
        if path == Path::new("-") {
            let stdin = io::stdin();
            let reading = stdin
                .as_fd()
                .try_clone_to_owned()
                .ok()
                .and_then(|fd| inputs::Reading::register(&File::from(fd)));
            return Reader::new(Source::stream(Box::new(stdin)), reading);
        }
        let file = File::open(path)?;
        let reading = inputs::Reading::register(&file);
        Reader::new(Source::file(file), reading)
    }

    /// Reads a capture from a stream (a pipe, a socket...).
    pub fn from_read(input: Box<dyn Read + Send>) -> Result<Reader, ReadError> {
        Reader::new(Source::stream(input), None)
    }

    /// Reads a capture held in memory.
    pub fn from_bytes(data: Vec<u8>) -> Result<Reader, ReadError> {
        Reader::new(Source::bytes_owned(data), None)
    }

    /// A reader of `src`, which `reading` (if any) lists as being read.
    fn new(mut src: Source, reading: Option<inputs::Reading>) -> Result<Reader, ReadError> {
        let decoder = Reader::decoder(&mut src);
        // A header read as zeros from a file that shrank is the shrink.
        match src.confirm().and(decoder) {
            Ok(decoder) => Ok(Reader {
                _reading: reading,
                src,
                decoder,
            }),
            Err(e) => {
                // Unlisted before the file closes, as a reader's fields are.
                drop(reading);
                Err(e)
            }
        }
    }

    /// Reads the file header and picks the decoder for it.
    fn decoder(src: &mut Source) -> Result<Decoder, ReadError> {
        let Some(range) = src.take(4)? else {
            return Err(ReadError::Malformed(
                "file is empty; no capture file header".into(),
            ));
        };
        let b = &src.bytes()[range];
        let magic = [b[0], b[1], b[2], b[3]];
        if pcapng::is_magic(magic) {
            Ok(Decoder::PcapNg(pcapng::PcapNgReader::new(src)?))
        } else if let Some(kind) = pcap::magic_kind(magic) {
            Ok(Decoder::Pcap(pcap::PcapReader::new(src, kind)?))
        } else {
            Err(ReadError::UnknownFormat)
        }
    }

    /// What a filter over this file can test besides the packets' bytes:
    /// nothing for pcap (libpcap's savefile); for pcapng, each record's
    /// direction and interface, with the interfaces described so far.
    pub fn packet_source(&self) -> PacketSource {
        match &self.decoder {
            Decoder::Pcap(_) => PacketSource::Savefile,
            Decoder::PcapNg(p) => PacketSource::Records {
                interfaces: (p.interface_options().iter().enumerate())
                    .filter_map(|(id, o)| Some((o.name.clone()?, id as u32)))
                    .collect(),
                complete: false,
            },
        }
    }

    /// The file's format.
    pub fn format(&self) -> FileFormat {
        match &self.decoder {
            Decoder::Pcap(p) => FileFormat::Pcap { nanos: p.nanos() },
            Decoder::PcapNg(_) => FileFormat::PcapNg,
        }
    }

    /// Whether records are stored in this host's byte order (so a pcap
    /// writer of the same format can copy them verbatim).
    pub fn native_byte_order(&self) -> bool {
        self.interfaces()
            .first()
            .is_some_and(|i| i.big_endian == cfg!(target_endian = "big"))
    }

    /// The interfaces seen so far (one for pcap; pcapng files describe
    /// theirs as they go, and a new section starts a new list).
    pub fn interfaces(&self) -> &[Interface] {
        match &self.decoder {
            Decoder::Pcap(p) => std::slice::from_ref(p.interface()),
            Decoder::PcapNg(p) => p.interfaces(),
        }
    }

    /// The options of each interface of [`Reader::interfaces`] (pcapng;
    /// empty for pcap).
    pub fn interface_options(&self) -> &[InterfaceOptions] {
        match &self.decoder {
            Decoder::Pcap(_) => &[],
            Decoder::PcapNg(p) => p.interface_options(),
        }
    }

    /// (link type, snapshot length) of the interfaces known when the file
    /// was opened: pcap's one; for pcapng, the first section's interface
    /// descriptions before its first packet (when the file is in memory,
    /// else only the first).
    pub fn announced_interfaces(&self) -> Vec<(u32, u32)> {
        match &self.decoder {
            Decoder::Pcap(p) => vec![(p.interface().linktype, p.interface().snaplen)],
            Decoder::PcapNg(p) => p.announced().to_vec(),
        }
    }

    /// pcapng: the first section header and interface description, as
    /// read when the file was opened (empty for pcap).
    pub fn opening_blocks(&self) -> &[RawBlock] {
        match &self.decoder {
            Decoder::Pcap(_) => &[],
            Decoder::PcapNg(p) => p.opening(),
        }
    }

    /// pcapng: the blocks read since the last
    /// [`Reader::clear_pending_blocks`] that a pcapng writer copies (later
    /// section headers and interface descriptions, name resolution,
    /// statistics, decryption secrets, custom blocks), in file order.
    pub fn pending_blocks(&self) -> &[RawBlock] {
        match &self.decoder {
            Decoder::Pcap(_) => &[],
            Decoder::PcapNg(p) => p.pending(),
        }
    }

    /// Forgets the blocks handed on.
    pub fn clear_pending_blocks(&mut self) {
        if let Decoder::PcapNg(p) = &mut self.decoder {
            p.clear_pending();
        }
    }

    /// Whether [`Reader::pending_blocks`] keeps growing across packets
    /// until cleared (what a pcapng copy that filters needs); by default
    /// they are only those read before the last packet.
    pub fn keep_blocks(&mut self, keep: bool) {
        if let Decoder::PcapNg(p) = &mut self.decoder {
            p.keep_pending(keep);
        }
    }

    /// The whole file, if it is held in memory (mapped): the records of
    /// packets read stay valid in it after the reader has moved on.
    pub fn shared_bytes(&self) -> Option<std::sync::Arc<Memory>> {
        self.src.shared()
    }

    /// For an in-memory pcap file of standard records (in either byte
    /// order): what replay's fast loop and its threads need to walk the
    /// records from the reader's position.
    pub(crate) fn walker(&self) -> Option<PcapWalker> {
        match &self.decoder {
            Decoder::Pcap(p) if p.verbatim() => Some(PcapWalker {
                snapshot: p.snapshot() as usize,
                swapped: !p.native(),
                pcap: p.clone(),
                mem: self.src.shared()?,
                start: self.src.position()?,
            }),
            _ => None,
        }
    }

    /// For an in-memory pcapng file: what replay's pcapng fast loop needs
    /// to walk the current section's enhanced packet blocks from the
    /// reader's position.
    pub(crate) fn pcapng_walker(&self) -> Option<PcapNgWalker> {
        match &self.decoder {
            Decoder::PcapNg(p) => Some(p.walker(self.src.shared()?, self.src.position()?)),
            Decoder::Pcap(_) => None,
        }
    }

    /// Where an in-memory reader stands: the next record's offset.
    pub(crate) fn position(&self) -> Option<usize> {
        self.src.position()
    }

    /// Moves an in-memory reader to `pos`, where a record begins (where
    /// a [`PcapWalker`] stopped): the records before it were handed on.
    pub(crate) fn seek(&mut self, pos: usize) {
        self.src.seek(pos);
    }

    /// The next packet, or `None` at the end of the file.
    #[inline]
    pub fn next_packet(&mut self) -> Result<Option<Packet<'_>>, ReadError> {
        let meta = match &mut self.decoder {
            Decoder::Pcap(p) => p.next(&mut self.src),
            Decoder::PcapNg(p) => p.next(&mut self.src),
        };
        // Nothing is handed on unless it was read before the file (if
        // mapped) shrank; damage read as zeros is reported as the shrink.
        self.src.confirm()?;
        let meta = meta?;
        let bytes = self.src.bytes();
        let (interfaces, names, blocks, block) = match &self.decoder {
            Decoder::Pcap(p) => (std::slice::from_ref(p.interface()), &[][..], &[][..], None),
            Decoder::PcapNg(p) => (
                p.interfaces(),
                p.interface_options(),
                p.pending(),
                p.block().map(|r| &bytes[r]),
            ),
        };
        Ok(meta.map(|m| Packet {
            block,
            blocks,
            ts: m.ts,
            wirelen: m.wirelen,
            data: &bytes[m.data],
            record: m.record.map(|r| &bytes[r]),
            stored_time: m.stored_time,
            interface: &interfaces[m.interface],
            interface_id: m.interface,
            interface_name: names.get(m.interface).and_then(|o| o.name.as_deref()),
            origin: Origin::default(),
        }))
    }
}

/// A classic pcap file in memory, walked by replay's fast loop and its
/// threads (see [`Reader::walker`]).
pub(crate) struct PcapWalker {
    pcap: pcap::PcapReader,
    mem: std::sync::Arc<Memory>,
    /// Records longer than this are left to the [`Reader`]: cut to the
    /// snapshot length, or invalid.
    snapshot: usize,
    /// Whether the file is in the other byte order than this host's: its
    /// records cannot be copied as stored (see [`PcapWalker::swapped`]).
    swapped: bool,
    /// Where the reader stood: the first record not read yet.
    pub start: usize,
}

/// Length of a standard pcap record header.
pub(crate) const RECORD_HEADER: usize = 16;

/// How many bytes of a mapped file a walk copies at a time (see
/// [`Mmap::read_at`]): small enough to stay in a core's cache while it is
/// walked and handed on, large enough for system calls not to count;
/// longer records are left to the reader.
const COPY_WINDOW: usize = 256 << 10;

/// How many bytes of a mapping a walk goes through before the records
/// are confirmed as the file's ([`Memory::confirm`]) and handed on.
const MAP_WINDOW: usize = 1 << 20;

/// How often a walk asks again whether to read the mapping or copies
/// ([`Mmap::cheap_at`]): part of a file may be cached in small pages,
/// part in huge ones.
const PROBE_EVERY: usize = 16 << 20;

/// Bytes of the file a walk goes through: `bytes` are the file's from
/// offset `base` on.
pub(crate) struct Window<'a> {
    pub bytes: &'a [u8],
    pub base: usize,
    /// Whether the bytes were copied from the file ([`Mmap::read_at`]),
    /// so they stay the file's even if it shrinks; else they are the
    /// mapping's or the in-memory input's.
    pub copied: bool,
    /// Whether no record ends past the window's end that a later window
    /// could hold (the window reaches the walk's end, or the file's).
    pub last: bool,
}

impl<'a> Window<'a> {
    /// The file's bytes from `at` to at most `end`, for a walk (pcap's
    /// records, pcapng's blocks): of a mapped file, a window of the
    /// mapping or of copies into `buf` as `plan` says (decided again
    /// every [`PROBE_EVERY`] bytes); else all of them.
    pub(crate) fn of(
        mem: &'a Memory,
        at: usize,
        end: usize,
        buf: &'a mut Vec<u8>,
        plan: &mut (bool, usize),
    ) -> Window<'a> {
        let bytes = mem.bytes();
        let Some(map) = mem.mapped() else {
            return Window {
                bytes: bytes.get(at..end).unwrap_or_default(),
                base: at,
                copied: false,
                last: true,
            };
        };
        if at >= plan.1 {
            *plan = (read_mapped(map, at), at + PROBE_EVERY);
        }
        if plan.0 {
            let to = end.min(at + MAP_WINDOW);
            return Window {
                bytes: bytes.get(at..to).unwrap_or_default(),
                base: at,
                copied: false,
                last: to >= end,
            };
        }
        buf.resize(COPY_WINDOW, 0);
        let want = COPY_WINDOW.min(end.saturating_sub(at));
        let got = map.read_at(at, &mut buf[..want]);
        Window {
            bytes: &buf[..got],
            base: at,
            copied: true,
            last: got < want || at + got >= end,
        }
    }
}

/// What a walk does with the records it meets (see
/// [`PcapWalker::walk`]).
pub(crate) trait Visit {
    /// Why handing records on failed.
    type Error;

    /// One record: the whole record as stored (its data after
    /// [`RECORD_HEADER`] bytes), its wire length (in this host's byte
    /// order) and its byte range in the file; `false` pauses the walk
    /// after it for a [`Visit::window`].
    fn record(&mut self, record: &[u8], wirelen: u32, range: std::ops::Range<usize>) -> bool;

    /// The records met since the last call lie in `window`, which is
    /// about to be replaced, and end at `walked`: the last moment to copy
    /// them. Whether the walk goes on.
    fn window(&mut self, window: &Window, walked: usize) -> Result<bool, Self::Error>;
}

impl PcapWalker {
    /// The whole file.
    pub fn memory(&self) -> &Memory {
        &self.mem
    }

    /// Whether the records' headers are in the other byte order than
    /// this host's (a pcap writer must turn them round).
    pub fn swapped(&self) -> bool {
        self.swapped
    }

    /// The length of the record at `off` if its header looks valid: the
    /// captured length within the snapshot length and the wire length,
    /// the time stamp's fraction in range. Used to find record boundaries
    /// in the middle of a file (each guess is checked against a
    /// sequential read).
    pub fn plausible_record(&self, off: usize) -> Option<usize> {
        self.pcap.plausible_record(self.mem.bytes().get(off..)?)
    }

    /// Walks the records that start at `start` (where a record begins)
    /// and end by `end`, handing each to `visit`, window by window: a
    /// mapped file is read from the mapping where that is cheap
    /// ([`Mmap::cheap_at`]), else copied [`COPY_WINDOW`] bytes at a time
    /// into `buf`; bytes in memory are one window. Returns where the walk
    /// stopped.
    ///
    /// This is replay's hot loop: a header is two loads, one comparison
    /// against the snapshot length (which also refuses what libpcap
    /// refuses) and one against the window's end. It stops before
    /// anything else (a record cut to the snapshot length, a damaged
    /// header, a record longer than a window or past `end`, the end of
    /// the file, or the file's end as it was when copied if it shrank):
    /// the [`Reader`] reads that record, reports what it must, and the
    /// walk may go on after it. Bytes read from the mapping are not
    /// checked against a shrinking file here: the visitor confirms them
    /// ([`Memory::confirm`]) before it hands any on.
    pub fn walk<V: Visit>(
        &self,
        start: usize,
        end: usize,
        buf: &mut Vec<u8>,
        visit: &mut V,
    ) -> Result<usize, V::Error> {
        let end = end.min(self.mem.bytes().len());
        let mut at = start;
        // Whether to read the mapping, and up to where before asking again.
        let mut plan = (false, at);
        loop {
            let window = Window::of(&self.mem, at, end, buf, &mut plan);
            let from = at;
            loop {
                let (stop, halt) = match (window.copied, self.swapped) {
                    (true, false) => self.walk_window::<false, false, V>(&window, at, visit),
                    (false, false) => self.walk_window::<true, false, V>(&window, at, visit),
                    (true, true) => self.walk_window::<false, true, V>(&window, at, visit),
                    (false, true) => self.walk_window::<true, true, V>(&window, at, visit),
                };
                at = stop;
                let go_on = visit.window(&window, at)?;
                match halt {
                    Halt::Asked if go_on => {}
                    Halt::Edge if go_on && !window.last && at > from => break,
                    _ => return Ok(at),
                }
            }
        }
    }

    /// Walks the records of `window` from `start` (an offset in the
    /// file) on; where it stopped, and why. `PREFETCH`: bytes not in the
    /// cache yet (the mapping's) are asked for ahead of the walk. `SWAP`:
    /// the headers are in the other byte order.
    #[inline(always)]
    fn walk_window<const PREFETCH: bool, const SWAP: bool, V: Visit>(
        &self,
        window: &Window,
        start: usize,
        visit: &mut V,
    ) -> (usize, Halt) {
        let (bytes, base) = (window.bytes, window.base);
        let snapshot = self.snapshot;
        let mut pos = start - base;
        let mut fetched = pos;
        let halt = loop {
            let Some(h) = bytes.get(pos..pos + RECORD_HEADER) else {
                break Halt::Edge;
            };
            let (caplen, wirelen) = (
                u32::from_ne_bytes([h[8], h[9], h[10], h[11]]),
                u32::from_ne_bytes([h[12], h[13], h[14], h[15]]),
            );
            let (caplen, wirelen) = if SWAP {
                (caplen.swap_bytes() as usize, wirelen.swap_bytes())
            } else {
                (caplen as usize, wirelen)
            };
            let data = pos + RECORD_HEADER;
            let next = data + caplen;
            if caplen > snapshot {
                break Halt::Refused;
            }
            if next > bytes.len() {
                break Halt::Edge;
            }
            if PREFETCH {
                source::prefetch(bytes, next, &mut fetched);
            }
            let more = visit.record(&bytes[pos..next], wirelen, base + pos..base + next);
            pos = next;
            if !more {
                break Halt::Asked;
            }
        };
        (base + pos, halt)
    }
}

/// Whether a walk reads the mapping from `at` on (see
/// [`Mmap::cheap_at`]); tests choose (`tests::READ_MAPPED`).
fn read_mapped(map: &Mmap, at: usize) -> bool {
    #[cfg(test)]
    if let Some(mapped) = tests::READ_MAPPED.get() {
        return mapped;
    }
    map.cheap_at(at)
}

/// Why a walk through a window stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Halt {
    /// The visitor paused it.
    Asked,
    /// Before a record not wholly in the window.
    Edge,
    /// Before a record the reader must read: cut to the snapshot length,
    /// or damaged.
    Refused,
}

/// A packet's place in the source's bytes, before it is lent out.
pub(crate) struct Meta {
    ts: Timestamp,
    wirelen: u32,
    data: std::ops::Range<usize>,
    /// The whole pcap record (header and data), when it can be copied as is.
    record: Option<std::ops::Range<usize>>,
    /// A pcap record's time stamp as stored.
    stored_time: Option<StoredTime>,
    interface: usize,
}

#[cfg(test)]
pub(crate) mod tests;
