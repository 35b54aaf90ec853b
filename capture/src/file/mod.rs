//! Capture files: a [`Reader`] for pcap and pcapng in either byte order,
//! and a [`Writer`] for both.

mod endian;
mod pcap;
mod pcapng;
mod writer;

use std::fmt;
use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::Path;

use filter_compiler::LinkType;

pub use writer::Writer;

/// A packet's capture time: seconds and nanoseconds since the Unix epoch.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Timestamp {
    pub secs: i64,
    pub nanos: u32,
}

impl Timestamp {
    /// Time stamp from a count of `1/units_per_sec` ticks, truncated to
    /// nanoseconds (pcapng's `if_tsresol` may be finer than that).
    pub fn from_ticks(ticks: u64, units_per_sec: u64) -> Timestamp {
        let secs = ticks / units_per_sec;
        let frac = u128::from(ticks % units_per_sec);
        let nanos = (frac * 1_000_000_000 / u128::from(units_per_sec)) as u32;
        Timestamp {
            secs: secs as i64,
            nanos,
        }
    }
}

/// One packet as read from a file; `data` borrows the reader's buffer.
#[derive(Clone, Copy, Debug)]
pub struct Packet<'a> {
    pub ts: Timestamp,
    /// Length on the wire (`data.len()` is the captured length).
    pub wirelen: u32,
    pub data: &'a [u8],
    /// The interface it was captured on.
    pub interface: &'a Interface,
    /// The interface's index in [`Reader::interfaces`].
    pub interface_id: usize,
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
        _ => filter_compiler::DEFAULT_SNAPLEN,
    }
}

/// The container format of a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileFormat {
    /// Classic pcap; `nanos` for the nanosecond-resolution magic.
    Pcap {
        nanos: bool,
    },
    PcapNg,
}

/// Why a file could not be read.
#[derive(Debug)]
pub enum ReadError {
    Io(io::Error),
    /// The file is not a capture file we know.
    UnknownFormat,
    /// The file ends in the middle of a header or packet.
    Truncated {
        wanted: usize,
        got: usize,
    },
    /// A header or block is malformed.
    Malformed(String),
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
        }
    }
}

impl std::error::Error for ReadError {}

impl From<io::Error> for ReadError {
    fn from(e: io::Error) -> ReadError {
        ReadError::Io(e)
    }
}

/// Reads exactly `buf.len()` bytes; `Ok(false)` at a clean end of file
/// (nothing read), [`ReadError::Truncated`] at an end in the middle.
pub(crate) fn read_full(r: &mut impl Read, buf: &mut [u8]) -> Result<bool, ReadError> {
    let mut got = 0;
    while got < buf.len() {
        match r.read(&mut buf[got..]) {
            Ok(0) if got == 0 => return Ok(false),
            Ok(0) => {
                return Err(ReadError::Truncated {
                    wanted: buf.len(),
                    got,
                });
            }
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(true)
}

/// Like [`read_full`], but the end of file is an error too.
pub(crate) fn read_exact(r: &mut impl Read, buf: &mut [u8]) -> Result<(), ReadError> {
    if read_full(r, buf)? {
        Ok(())
    } else {
        Err(ReadError::Truncated {
            wanted: buf.len(),
            got: 0,
        })
    }
}

enum Decoder {
    Pcap(pcap::PcapReader),
    PcapNg(pcapng::PcapNgReader),
}

/// A capture file reader, pcap or pcapng, told apart by the magic number.
pub struct Reader<R: Read> {
    input: R,
    decoder: Decoder,
    buf: Vec<u8>,
}

/// Large reads: replay is I/O bound.
const READ_BUFFER: usize = 1 << 20;

impl Reader<BufReader<Box<dyn Read>>> {
    /// Opens a file, or standard input for `-`.
    pub fn open(path: &Path) -> Result<Self, ReadError> {
        let input: Box<dyn Read> = if path == Path::new("-") {
            Box::new(io::stdin())
        } else {
            Box::new(File::open(path)?)
        };
        Reader::new(BufReader::with_capacity(READ_BUFFER, input))
    }
}

impl<R: Read> Reader<R> {
    /// Reads the file header from `input`.
    pub fn new(mut input: R) -> Result<Self, ReadError> {
        let mut magic = [0u8; 4];
        if !read_full(&mut input, &mut magic)? {
            return Err(ReadError::Malformed(
                "file is empty; no capture file header".into(),
            ));
        }
        let decoder = if pcapng::is_magic(magic) {
            Decoder::PcapNg(pcapng::PcapNgReader::new(&mut input, magic)?)
        } else if let Some(kind) = pcap::magic_kind(magic) {
            Decoder::Pcap(pcap::PcapReader::new(&mut input, kind)?)
        } else {
            return Err(ReadError::UnknownFormat);
        };
        Ok(Reader {
            input,
            decoder,
            buf: Vec::with_capacity(65536),
        })
    }

    /// The file's format.
    pub fn format(&self) -> FileFormat {
        match &self.decoder {
            Decoder::Pcap(p) => FileFormat::Pcap { nanos: p.nanos() },
            Decoder::PcapNg(_) => FileFormat::PcapNg,
        }
    }

    /// The interfaces seen so far (one for pcap; pcapng files describe
    /// theirs as they go, and a new section starts a new list).
    pub fn interfaces(&self) -> &[Interface] {
        match &self.decoder {
            Decoder::Pcap(p) => std::slice::from_ref(p.interface()),
            Decoder::PcapNg(p) => p.interfaces(),
        }
    }

    /// The next packet, or `None` at the end of the file.
    pub fn next_packet(&mut self) -> Result<Option<Packet<'_>>, ReadError> {
        let meta = match &mut self.decoder {
            Decoder::Pcap(p) => p.next(&mut self.input, &mut self.buf)?,
            Decoder::PcapNg(p) => p.next(&mut self.input, &mut self.buf)?,
        };
        let interfaces = match &self.decoder {
            Decoder::Pcap(p) => std::slice::from_ref(p.interface()),
            Decoder::PcapNg(p) => p.interfaces(),
        };
        Ok(meta.map(|m| Packet {
            ts: m.ts,
            wirelen: m.wirelen,
            data: &self.buf[m.data.clone()],
            interface: &interfaces[m.interface],
            interface_id: m.interface,
        }))
    }
}

/// A packet's place in the reader's buffer, before it is lent out.
pub(crate) struct Meta {
    ts: Timestamp,
    wirelen: u32,
    data: std::ops::Range<usize>,
    interface: usize,
}

#[cfg(test)]
mod tests;
