//! Writing packets to a pcap or pcapng file (or standard output).

use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, IoSlice, Seek, SeekFrom, Write};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use super::{
    FileFormat, Interface, InterfaceCounts, Packet, Port, RawBlock, Timestamp, inputs, meta, pcap,
    pcapng,
};

/// A capture file being written. Records are written whole, so a file cut
/// short by a signal after [`Writer::flush`] is always readable; and when
/// writing fails (a full disk), the file is cut back to its last whole
/// record before the error is returned.
pub struct Writer {
    out: Counting<BufWriter<Box<dyn Write>>>,
    kind: Kind,
    repair: Option<Repair>,
    /// Where the records of the last [`Writer::write_records`] begin.
    records_start: u64,
}

/// Counts the bytes written through it.
struct Counting<W> {
    inner: W,
    count: u64,
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.count += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// What is needed to cut a file back to whole records after a failed write.
struct Repair {
    file: File,
    /// Stream offsets where records end, since the last good flush.
    ends: Vec<u64>,
    /// Everything up to here is known to be in the file.
    flushed: u64,
    /// Set once repaired: the file takes no more bytes (the buffer would
    /// otherwise try again when dropped).
    closed: Arc<AtomicBool>,
}

/// How many record ends are remembered before a flush makes them moot.
const MAX_ENDS: usize = 1 << 16;

/// The file under the buffer, closed for writing after a repair.
struct Guarded {
    file: File,
    closed: Arc<AtomicBool>,
}

impl Write for Guarded {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.closed.load(Ordering::Relaxed) {
            return Err(io::Error::other("capture file closed after a write error"));
        }
        self.file.write(buf)
    }

    fn write_vectored(&mut self, bufs: &[IoSlice<'_>]) -> io::Result<usize> {
        if self.closed.load(Ordering::Relaxed) {
            return Err(io::Error::other("capture file closed after a write error"));
        }
        // One writev for many records (the default writes one slice).
        self.file.write_vectored(bufs)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

enum Kind {
    Pcap {
        nanos: bool,
        linktype: u32,
    },
    /// pcapng written from packets: an interface description for each
    /// link type and interface name met.
    PcapNg {
        /// The (link type, interface name) of each interface description
        /// written so far; its index is the interface id.
        written: Vec<(u32, Option<String>)>,
        /// The snapshot length of every interface.
        snaplen: u32,
        /// The link type of the packets to come, described unnamed at the
        /// first packet or flush if no interface is described before
        /// (so that readers know the link type of an empty file).
        first: u32,
    },
    /// pcapng copying a pcapng input's sections: the snapshot length its
    /// interfaces get instead of their own, if any.
    Mirror {
        snaplen: Option<u32>,
        /// What a file continuing the current section starts with (see
        /// [`Writer::section_blocks`]).
        section: Vec<RawBlock>,
    },
}

/// What a new file starts with.
enum Header<'a> {
    /// A pcap header, or a pcapng section with one interface.
    Plain {
        format: FileFormat,
        first: &'a Interface,
        snaplen: u32,
    },
    /// A pcapng input's opening blocks, its interfaces' snapshot lengths
    /// replaced by `snaplen` if given.
    Mirror {
        opening: &'a [RawBlock],
        snaplen: Option<u32>,
    },
}

impl Writer {
    /// Creates `path` (`-` for standard output) and writes the file
    /// header. A pcap file takes its link type and snapshot length from
    /// `first`, the interface of the packets to come.
    pub fn create(
        path: &Path,
        format: FileFormat,
        first: &Interface,
        snaplen: u32,
    ) -> io::Result<Writer> {
        let header = Header::Plain {
            format,
            first,
            snaplen,
        };
        Writer::create_with(path, header)
    }

    /// Creates a pcapng file that copies a pcapng input: every interface
    /// apart with its options, packets with their options, the section
    /// headers' options and the metadata blocks between packets (see
    /// [`Writer::write_blocks`]). `opening` is the input's
    /// [`super::Reader::opening_blocks`]; `snaplen` (`-s`) replaces the
    /// interfaces' snapshot lengths.
    pub fn create_pcapng_copy(
        path: &Path,
        opening: &[RawBlock],
        snaplen: Option<u32>,
    ) -> io::Result<Writer> {
        Writer::create_with(path, Header::Mirror { opening, snaplen })
    }

    fn create_with(path: &Path, header: Header<'_>) -> io::Result<Writer> {
        if path == Path::new("-") {
            return Writer::new_with(Box::new(io::stdout()), header);
        }
        // Opened without truncating: if this is the file being read, it
        // must be refused before any of its bytes are gone.
        let file = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)?;
        inputs::refuse_if_read(&file)?;
        // Only a regular file can be cut back after a failed write (not
        // /dev/full, a fifo or a terminal).
        let regular = file.metadata()?.is_file();
        if regular {
            file.set_len(0)?;
        }
        let closed = Arc::new(AtomicBool::new(false));
        let guarded = Guarded {
            file: file.try_clone()?,
            closed: closed.clone(),
        };
        let mut w = Writer::new_with(Box::new(guarded), header)?;
        w.repair = regular.then(|| Repair {
            file,
            ends: vec![w.out.count],
            flushed: 0,
            closed,
        });
        Ok(w)
    }

    /// Like [`Writer::create`], on any output.
    pub fn new(
        out: Box<dyn Write>,
        format: FileFormat,
        first: &Interface,
        snaplen: u32,
    ) -> io::Result<Writer> {
        let header = Header::Plain {
            format,
            first,
            snaplen,
        };
        Writer::new_with(out, header)
    }

    /// Like [`Writer::create_pcapng_copy`], on any output.
    pub fn new_pcapng_copy(
        out: Box<dyn Write>,
        opening: &[RawBlock],
        snaplen: Option<u32>,
    ) -> io::Result<Writer> {
        Writer::new_with(out, Header::Mirror { opening, snaplen })
    }

    fn new_with(out: Box<dyn Write>, header: Header<'_>) -> io::Result<Writer> {
        let mut out = Counting {
            inner: BufWriter::with_capacity(1 << 20, out),
            count: 0,
        };
        let (format, first, snaplen) = match header {
            Header::Plain {
                format,
                first,
                snaplen,
            } => (format, first, snaplen),
            Header::Mirror { opening, snaplen } => {
                let mut section = Vec::new();
                for block in opening {
                    pcapng::write_kept_block(&mut out, block, snaplen)?;
                    continue_section(&mut section, block);
                }
                return Ok(Writer {
                    out,
                    kind: Kind::Mirror { snaplen, section },
                    repair: None,
                    records_start: 0,
                });
            }
        };
        let kind = match format {
            FileFormat::Pcap { nanos } => {
                pcap::write_header(&mut out, first.linktype, snaplen, nanos)?;
                Kind::Pcap {
                    nanos,
                    linktype: first.linktype,
                }
            }
            FileFormat::PcapNg => {
                pcapng::write_shb(&mut out)?;
                Kind::PcapNg {
                    written: Vec::new(),
                    snaplen,
                    first: first.linktype,
                }
            }
        };
        Ok(Writer {
            out,
            kind,
            repair: None,
            records_start: 0,
        })
    }

    /// Whether pcap records of packets from `i` are already in this
    /// file's format (byte order, time resolution, link type) and can be
    /// copied as they are.
    pub fn takes_records_of(&self, i: &Interface) -> bool {
        let Kind::Pcap { nanos, linktype } = self.kind else {
            return false;
        };
        let units = if nanos { 1_000_000_000 } else { 1_000_000 };
        i.linktype == linktype
            && i.ts_units_per_sec == units
            && i.big_endian == cfg!(target_endian = "big")
    }

    /// Appends a packet as read by a [`super::Reader`], copying its record
    /// as it is when [`Writer::takes_records_of`] allows.
    pub fn write_packet(&mut self, pkt: &Packet<'_>) -> io::Result<()> {
        match pkt.record {
            Some(record) if self.takes_records_of(pkt.interface) => {
                let r = self.out.write_all(record);
                self.settle(r)
            }
            _ => self.write_with(pkt),
        }
    }

    /// Writes a pcapng input's metadata blocks (its
    /// [`super::Reader::pending_blocks`], or the opening blocks of a next
    /// input file) where they were met, in a file made by
    /// [`Writer::create_pcapng_copy`]; other files ignore them.
    pub fn write_blocks(&mut self, blocks: &[RawBlock]) -> io::Result<()> {
        for block in blocks {
            let Kind::Mirror { snaplen, section } = &mut self.kind else {
                return Ok(());
            };
            continue_section(section, block);
            let r = pcapng::write_kept_block(&mut self.out, block, *snaplen);
            self.settle(r)?;
        }
        Ok(())
    }

    /// Appends enhanced packet blocks of a pcapng input as this file
    /// (made by [`Writer::create_pcapng_copy`]) writes them (see
    /// [`crate::Sink::pcapng_blocks`]), in one piece: if writing fails,
    /// the file is cut back to before them.
    pub fn write_pcapng_blocks(&mut self, blocks: &[u8]) -> io::Result<()> {
        if !self.copies_pcapng() {
            return Err(io::ErrorKind::Unsupported.into());
        }
        let r = self.out.write_all(blocks);
        self.settle(r)
    }

    /// For a file made by [`Writer::create_pcapng_copy`]: the blocks a
    /// next file must start with to go on with the section being
    /// written (its section header, every interface description met so
    /// far, so that packets keep their interface ids, and the decryption
    /// secrets met so far, which later packets may need, as editcap
    /// repeats them when it splits a file), and the `-s` snapshot length.
    pub fn section_blocks(&self) -> Option<(&[RawBlock], Option<u32>)> {
        match &self.kind {
            Kind::Mirror { snaplen, section } => Some((section, *snaplen)),
            _ => None,
        }
    }

    /// Whether this file copies a pcapng input's metadata
    /// ([`Writer::create_pcapng_copy`]).
    pub fn copies_pcapng(&self) -> bool {
        matches!(self.kind, Kind::Mirror { .. })
    }

    /// After a record: remember where it ends, or repair the file.
    fn settle(&mut self, result: io::Result<()>) -> io::Result<()> {
        match (result, &mut self.repair) {
            (Ok(()), Some(r)) => {
                r.ends.push(self.out.count);
                // Flushing now and then keeps the list of ends short.
                if r.ends.len() >= MAX_ENDS {
                    self.flush()?;
                }
                Ok(())
            }
            (Ok(()), None) => Ok(()),
            (Err(e), Some(r)) => Err(r.cut(e)),
            (Err(e), None) => Err(e),
        }
    }

    /// Appends records accepted by [`Writer::takes_records_of`], straight from
    /// the caller's memory with one system call for many records.
    pub fn write_records(&mut self, records: &[IoSlice<'_>]) -> io::Result<()> {
        self.flush()?;
        let start = self.out.count;
        self.records_start = start;
        let out = self.out.inner.get_mut();
        let total: usize = records.iter().map(|r| r.len()).sum();
        // Mostly one writev takes them all: the slices are copied (to be
        // advanced through) only after a partial write.
        let mut rest: Vec<IoSlice<'_>> = Vec::new();
        let mut written = 0;
        let mut result = Ok(());
        while written < total {
            let bufs = if written == 0 { records } else { &rest[..] };
            match out.write_vectored(bufs) {
                Ok(0) => {
                    result = Err(io::ErrorKind::WriteZero.into());
                    break;
                }
                Ok(n) => {
                    self.out.count += n as u64;
                    if written == 0 && n < total {
                        rest.extend_from_slice(records);
                    }
                    written += n;
                    if written < total {
                        let len = rest.len();
                        let mut left = &mut rest[..];
                        IoSlice::advance_slices(&mut left, n);
                        let done = len - left.len();
                        rest.drain(..done);
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    result = Err(e);
                    break;
                }
            }
        }
        match (result, &mut self.repair) {
            (Err(e), Some(r)) => {
                // Find where the records end: each slice is a run of
                // whole pcap records in this host's byte order.
                let mut at = start;
                for s in records {
                    r.ends
                        .extend(pcap::native_record_ends(s).map(|end| at + end as u64));
                    at += s.len() as u64;
                }
                Err(r.cut(e))
            }
            (result, _) => result,
        }
    }

    /// Keeps only the first `keep` bytes of the records given to the last
    /// [`Writer::write_records`] (a record boundary), cutting the file
    /// back: replay's way of taking back records whose input vanished
    /// while they were being copied. Fails for an output that is not a
    /// file.
    pub fn keep_records(&mut self, keep: u64) -> io::Result<()> {
        let Some(r) = &mut self.repair else {
            return Err(io::Error::other(
                "the output is not a file, and the records copied as the input shrank cannot be taken back",
            ));
        };
        // A failed write may have left less than that in the file (cut
        // back to whole records already).
        let size = r.file.metadata()?.len();
        let end = (self.records_start + keep).min(size);
        r.file.set_len(end)?;
        r.file.seek(SeekFrom::Start(end))?;
        self.out.count = end;
        r.flushed = end;
        r.ends.clear();
        Ok(())
    }

    /// Appends a packet captured on `interface`.
    pub fn write(
        &mut self,
        interface: &Interface,
        ts: Timestamp,
        wirelen: u32,
        data: &[u8],
    ) -> io::Result<()> {
        self.write_with(&Packet::live(ts, wirelen, data, interface))
    }

    /// Writes `pkt` whole, with what a live capture knows of it (pcapng
    /// only: its interface's name and its options), or a pcapng input's
    /// block (in a copy of it).
    fn write_with(&mut self, pkt: &Packet<'_>) -> io::Result<()> {
        let interface = pkt.interface;
        match &mut self.kind {
            Kind::Pcap { nanos, linktype } => {
                if interface.linktype != *linktype {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidInput,
                        format!(
                            "a pcap file holds one link type ({}), but a packet has link type {}; write pcapng (--pcapng)",
                            *linktype, interface.linktype
                        ),
                    ));
                }
                let time = pkt.timeval(*nanos);
                let r = pcap::write_record(&mut self.out, time, pkt.wirelen, pkt.data);
                self.settle(r)
            }
            Kind::Mirror { .. } => {
                let r = pcapng::write_kept_epb(&mut self.out, pkt);
                self.settle(r)
            }
            Kind::PcapNg { .. } => {
                let (ts, origin) = (pkt.ts, &pkt.origin);
                let r = self
                    .described(interface.linktype, origin.port)
                    .and_then(|id| {
                        pcapng::write_epb(&mut self.out, id, ts, pkt.wirelen, pkt.data, origin)
                    });
                self.settle(r)
            }
        }
    }

    /// pcapng: the id of the interface description for packets of
    /// `linktype` from `port`, written now if it is the first.
    fn described(&mut self, linktype: u32, port: Option<Port<'_>>) -> io::Result<u32> {
        let Kind::PcapNg {
            written, snaplen, ..
        } = &mut self.kind
        else {
            return Ok(0);
        };
        let name = port.map(|p| p.name);
        if let Some(id) = written
            .iter()
            .position(|(l, n)| *l == linktype && n.as_deref() == name)
        {
            return Ok(id as u32);
        }
        pcapng::write_idb(&mut self.out, linktype, *snaplen, port)?;
        written.push((linktype, name.map(str::to_string)));
        Ok(written.len() as u32 - 1)
    }

    /// Describes an interface packets will come from (pcapng written
    /// from packets; other files ignore it), so that the file lists the
    /// capture's interfaces in order, even those no packet comes from.
    pub fn describe(&mut self, interface: &Interface, port: Port<'_>) -> io::Result<()> {
        let r = self.described(interface.linktype, Some(port)).map(drop);
        self.settle(r)
    }

    /// Writes an interface's counts at the end of a capture as an
    /// interface statistics block (pcapng written from packets; other
    /// files ignore them), taken at `ts`.
    pub fn write_statistics(
        &mut self,
        interface: &Interface,
        port: Option<Port<'_>>,
        counts: &InterfaceCounts,
        ts: Timestamp,
    ) -> io::Result<()> {
        if !matches!(self.kind, Kind::PcapNg { .. }) {
            return Ok(());
        }
        let r = self
            .described(interface.linktype, port)
            .and_then(|id| pcapng::write_isb(&mut self.out, id, ts, counts));
        self.settle(r)
    }

    /// Bytes of the file so far, buffered ones included: what `ftell`
    /// reports for a stdio stream, and so what tcpdump's `-C` compares.
    pub fn position(&self) -> u64 {
        self.out.count
    }

    /// Pushes buffered records to the file (having described the first
    /// interface if nothing has yet).
    pub fn flush(&mut self) -> io::Result<()> {
        if let Kind::PcapNg { written, first, .. } = &self.kind
            && written.is_empty()
        {
            let first = *first;
            let r = self.described(first, None).map(drop);
            self.settle(r)?;
        }
        let r = self.out.flush();
        match (r, &mut self.repair) {
            (Ok(()), Some(rep)) => {
                rep.flushed = self.out.count;
                rep.ends.clear();
                Ok(())
            }
            (Ok(()), None) => Ok(()),
            (Err(e), Some(rep)) => Err(rep.cut(e)),
            (Err(e), None) => Err(e),
        }
    }
}

/// Takes `block`, written to a pcapng copy, into what a next file of the
/// same section starts with (see [`Writer::section_blocks`]): a section
/// header starts a new section, which keeps the decryption secrets met
/// before it (as editcap does) when they are in its byte order.
fn continue_section(section: &mut Vec<RawBlock>, block: &RawBlock) {
    match block.block_type {
        meta::SHB => {
            section.retain(|b| b.block_type == meta::DSB && b.big_endian == block.big_endian);
            section.insert(0, block.clone());
        }
        meta::IDB | meta::DSB => section.push(block.clone()),
        _ => {}
    }
}

impl Repair {
    /// Cuts the file back to the last record that is whole in it, closes
    /// it for writing, and explains `e`.
    fn cut(&mut self, e: io::Error) -> io::Error {
        self.closed.store(true, Ordering::Relaxed);
        let size = self.file.metadata().map(|m| m.len()).unwrap_or(0);
        let good = self
            .ends
            .iter()
            .rev()
            .copied()
            .find(|&end| end <= size)
            .unwrap_or(self.flushed)
            .min(size);
        match self.file.set_len(good) {
            Ok(()) => io::Error::new(
                e.kind(),
                format!("{e}; the file keeps the {good} bytes of whole packets before it"),
            ),
            Err(cut) => io::Error::new(
                e.kind(),
                format!("{e}; and it could not be cut back to whole packets: {cut}"),
            ),
        }
    }
}
