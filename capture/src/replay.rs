//! Offline replay: run a filter over every packet of a capture file and
//! hand the matching ones on, as `tcpdump -r` does.
//!
//! A filter is compiled per (link type, byte order) pair met in the file:
//! pcapng files may mix link types, and DLT_NULL headers are in the byte
//! order of the machine that wrote them.
//!
//! On pcapng records the filter can also test what each enhanced packet
//! block says about its packet (see [`PacketSource::Records`]): its
//! direction (`epb_flags`, answered as Linux's packet type) and its
//! interface (`ifname`, by the id of an interface of that name). Interfaces
//! are learned as the file describes them, and the filter compiled again
//! when one with a name appears.

use std::fmt;
use std::io::{self, IoSlice};
use std::ops::Range;

use std::sync::atomic::{AtomicBool, Ordering};

use bpfcap_filter::cbpf::Runner;
use bpfcap_filter::cbpf::ancillary::{Answered, Answers};
use bpfcap_filter::{FilterSpec, LinkType, PacketSource, compile};

use crate::batch::Batch;
use crate::file::{
    FileFormat, Interface, Memory, Packet, PcapWalker, RECORD_HEADER, RawBlock, ReadError, Reader,
    Visit, Window, Writer, pkttype_for_flags,
};
use crate::parallel;

mod chunks;
mod pcapng_fast;

use chunks::Chunks;

/// What to replay.
#[derive(Clone, Debug)]
pub struct ReplayOptions {
    /// The filter (empty expression: every packet), compiled for each
    /// link type and byte order the file holds.
    pub filter: FilterSpec,
    /// Cut matching packets to this many bytes (`-s`); `None` keeps them
    /// as they are in the file.
    pub snaplen: Option<u32>,
    /// Stop after this many matching packets (`-c`).
    pub count: Option<u64>,
}

impl ReplayOptions {
    /// Replay `filter` (an expression, or a [`FilterSpec`]) with packets
    /// kept whole and no count limit.
    pub fn new(filter: impl Into<FilterSpec>) -> ReplayOptions {
        ReplayOptions {
            filter: filter.into(),
            snaplen: None,
            count: None,
        }
    }
}

/// Counts of a finished replay.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReplayStats {
    /// Packets read from the file.
    pub read: u64,
    /// Packets the filter accepted (and handed on).
    pub matched: u64,
}

/// Why a replay stopped early.
#[derive(Debug)]
pub enum ReplayError {
    /// The expression does not compile for a link type in the file.
    Compile {
        /// The link type it was compiled for.
        link_type: LinkType,
        /// The compiler's error.
        error: bpfcap_filter::Error,
    },
    /// The file could not be read; the stats count what came before.
    Read {
        /// What went wrong.
        error: ReadError,
        /// Counts up to the damage.
        stats: ReplayStats,
    },
    /// The filter tests the direction (`inbound`, `outbound`) on a link
    /// type whose header does not record it, and a pcapng record does not
    /// say it either (no direction in `epb_flags`).
    NoDirection {
        /// The packet's link type.
        link_type: LinkType,
        /// The packet's number in the file (from 1).
        packet: u64,
    },
    /// The consumer of matching packets failed (e.g. a full disk).
    Output(io::Error),
}

/// Says what the cause says (the compile error without its position,
/// which needs the expression to show); the cause itself is kept as
/// [`source`](std::error::Error::source).
impl fmt::Display for ReplayError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReplayError::Compile { error, .. } => write!(f, "{}", error.message),
            ReplayError::Read { error, .. } => write!(f, "{error}"),
            ReplayError::NoDirection { link_type, packet } => write!(
                f,
                "inbound/outbound not supported on {} when reading savefiles, \
                 unless each packet's pcapng epb_flags give its direction: packet {packet} has none",
                link_type.name()
            ),
            ReplayError::Output(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for ReplayError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(match self {
            ReplayError::Compile { error, .. } => error,
            ReplayError::Read { error, .. } => error,
            ReplayError::NoDirection { .. } => return None,
            ReplayError::Output(e) => e,
        })
    }
}

/// A filter ready to replay over files; compiled programs are kept
/// across files.
pub struct Replay {
    opts: ReplayOptions,
    filters: Vec<((LinkType, bool), Answered)>,
    /// The pcapng interfaces met so far; `None` for a pcap file.
    records: Option<Learned>,
}

/// The interfaces of a pcapng file met so far, for `ifname`.
#[derive(Debug, Default, PartialEq, Eq)]
struct Learned {
    /// The name of each interface id met (`Some(None)`: met, no name).
    /// A new section describes its interfaces again from id 0, so an id
    /// may change names.
    ids: Vec<Option<Option<String>>>,
    /// Every name met in the file.
    every: Vec<String>,
}

impl Learned {
    /// Notes that interface `id` is called `name`; whether that changes
    /// what `ifname` stands for (so the filter must be compiled again).
    fn learn(&mut self, id: usize, name: Option<&str>) -> bool {
        let known = self.ids.get(id).and_then(|n| n.as_ref());
        if known.is_some_and(|n| n.as_deref() == name) {
            return false;
        }
        let named = known.is_some_and(Option::is_some) || name.is_some();
        if self.ids.len() <= id {
            self.ids.resize(id + 1, None);
        }
        self.ids[id] = Some(name.map(str::to_owned));
        if let Some(n) = name
            && !self.every.iter().any(|e| e == n)
        {
            self.every.push(n.to_owned());
        }
        named
    }

    /// (name, id) of the named interfaces; with `every`, also the names
    /// of earlier sections' interfaces (under no id).
    fn names(&self, every: bool) -> Vec<(String, u32)> {
        let current =
            (self.ids.iter().enumerate()).filter_map(|(id, n)| Some((n.clone()??, id as u32)));
        if every {
            let all = self.every.iter().map(|n| (n.clone(), u32::MAX));
            current.chain(all).collect()
        } else {
            current.collect()
        }
    }
}

/// What the kernel would say about `pkt`, from its record.
fn answers(pkt: &Packet<'_>) -> Answers {
    Answers {
        pkttype: pkt.flags().and_then(pkttype_for_flags).map(u32::from),
        ifindex: pkt.interface_id as u32,
    }
}

impl Replay {
    /// A replay of `opts.filter`; nothing is compiled until a file is read.
    pub fn new(opts: ReplayOptions) -> Replay {
        Replay {
            opts,
            filters: Vec::new(),
            records: None,
        }
    }

    /// What the filter can test besides the packets' bytes; `complete`
    /// when every interface of the file is known.
    fn source(&self, complete: bool) -> PacketSource {
        match &self.records {
            None => PacketSource::Savefile,
            Some(l) => PacketSource::Records {
                interfaces: l.names(complete),
                complete,
            },
        }
    }

    /// Notes the interface of a pcapng packet; a new named one makes the
    /// filters be compiled again.
    fn learn(&mut self, id: usize, name: Option<&str>) {
        if let Some(l) = &mut self.records
            && l.learn(id, name)
        {
            self.filters.clear();
        }
    }

    /// The filter compiled for packets from `interface`, if it is.
    fn compiled(&self, interface: &Interface) -> Option<usize> {
        let key = (interface.link_type(), interface.big_endian);
        self.filters.iter().position(|(k, _)| *k == key)
    }

    /// The filter for packets from `interface`, compiled on first use.
    fn filter(&mut self, interface: &Interface) -> Result<usize, ReplayError> {
        if let Some(i) = self.compiled(interface) {
            return Ok(i);
        }
        let key = (interface.link_type(), interface.big_endian);
        let mut copts = self.opts.filter.options(key.0);
        copts.big_endian_capture = key.1;
        copts.source = self.source(false);
        if let Some(s) = self.opts.snaplen {
            copts.snaplen = s;
        }
        let prog =
            compile(&self.opts.filter.expr, &copts).map_err(|error| ReplayError::Compile {
                link_type: key.0,
                error,
            })?;
        self.filters.push((key, Answered::new(&prog)));
        Ok(self.filters.len() - 1)
    }

    /// Compiles the filter for every interface the reader knows of, so an
    /// expression that is wrong for the file fails before any output.
    pub fn prepare(&mut self, reader: &Reader) -> Result<(), ReplayError> {
        // pcapng programs depend on the file's interfaces.
        let records = (reader.format() == FileFormat::PcapNg).then(|| {
            let mut l = Learned::default();
            for (id, o) in reader.interface_options().iter().enumerate() {
                l.learn(id, o.name.as_deref());
            }
            l
        });
        if records != self.records {
            self.records = records;
            self.filters.clear();
        }
        for interface in reader.interfaces() {
            self.filter(interface)?;
        }
        Ok(())
    }

    /// After a whole pcapng file: an `ifname` that named none of its
    /// interfaces is an error (as an unknown interface is live).
    fn check_names(&self) -> Result<(), ReplayError> {
        let Some(((link_type, big_endian), _)) = self.filters.first() else {
            return Ok(());
        };
        if self.records.is_none() {
            return Ok(());
        }
        let mut copts = self.opts.filter.options(*link_type);
        copts.big_endian_capture = *big_endian;
        copts.source = self.source(true);
        compile(&self.opts.filter.expr, &copts)
            .map(drop)
            .map_err(|error| ReplayError::Compile {
                link_type: *link_type,
                error,
            })
    }

    /// Reads every packet of `reader` and hands each matching one to
    /// `sink` (its data cut to the filter's verdict when a snaplen is set).
    ///
    /// When the file is in memory and the sink can take records as they
    /// are stored, runs of matching records are passed on without being
    /// copied, many at a time.
    pub fn run(
        &mut self,
        reader: &mut Reader,
        sink: &mut impl Sink,
    ) -> Result<ReplayStats, ReplayError> {
        self.prepare(reader)?;
        let mut stats = ReplayStats::default();
        if self.opts.count == Some(0) {
            return Ok(stats);
        }
        let shared = reader.shared_bytes();
        let mut batch = Batch::default();
        let mut window = Vec::new();
        let mut fast = self.fast_path(reader, sink)?;
        if let Some((walker, f, keep)) = &fast
            && let Some(exec) = self.filters[*f].1.plain()
        {
            let parallel = self.run_parallel(walker, exec, *keep, sink, &mut batch, &mut stats);
            if let Some(walked) = parallel.map_err(|s| s.into_error(stats))? {
                // The sequential loop goes on where the parts ended.
                reader.seek(walked.stop);
                if !walked.confirmed {
                    fast = None;
                }
            }
        }
        let mut scratch = Vec::new();
        // Consecutive packets mostly share an interface: remember the last
        // one's filter.
        let mut last: Option<(Interface, usize, Option<String>, usize)> = None;
        // pcapng metadata blocks handed on with the last packet; kept
        // across packets filtered out only for a sink that copies them.
        let mut handed = false;
        reader.keep_blocks(sink.takes_blocks());
        // pcapng's fast loop (see `pcapng_fast`), while worth trying.
        let mut blocks_fast = reader.format() == FileFormat::PcapNg;
        loop {
            if let (Some((walker, f, keep)), Some(from)) = (&fast, reader.position())
                && let Some(exec) = self.filters[*f].1.plain()
            {
                let (end, count) = (walker.memory().bytes().len(), self.opts.count);
                let walked = Fast::new(walker, exec, *keep, &mut batch, &mut stats, sink, count)
                    .walk(walker, from, end, &mut window)
                    .map_err(|s| s.into_error(stats))?;
                reader.seek(walked.stop);
                if Some(stats.matched) == self.opts.count {
                    break;
                }
                if !walked.confirmed {
                    // Read again one record at a time, each checked.
                    fast = None;
                }
            }
            // One record the fast loop left (or every record, without
            // it): the end, damage, a record cut to the snapshot length.
            if std::mem::take(&mut handed) {
                reader.clear_pending_blocks();
            }
            if blocks_fast {
                blocks_fast = self.walk_pcapng(reader, sink, &mut stats)?;
                if Some(stats.matched) == self.opts.count {
                    break;
                }
            }
            let mut pkt = match reader.next_packet() {
                Ok(Some(p)) => p,
                Ok(None) => {
                    // What follows the last packet (statistics...).
                    let blocks = reader.pending_blocks();
                    if !blocks.is_empty() {
                        batch
                            .flush(shared.as_deref(), sink)
                            .and_then(|()| sink.blocks(blocks).map_err(Stop::Output))
                            .map_err(|s| s.into_error(stats))?;
                        reader.clear_pending_blocks();
                    }
                    batch
                        .flush(shared.as_deref(), sink)
                        .map_err(|s| s.into_error(stats))?;
                    self.check_names()?;
                    break;
                }
                Err(error) => {
                    // Keep what matched before the damage.
                    batch
                        .flush(shared.as_deref(), sink)
                        .map_err(|s| s.into_error(stats))?;
                    return Err(ReplayError::Read { error, stats });
                }
            };
            stats.read += 1;
            let f = match &last {
                Some((iface, id, name, f))
                    if *id == pkt.interface_id
                        && name.as_deref() == pkt.interface_name
                        && iface == pkt.interface =>
                {
                    *f
                }
                _ => {
                    self.learn(pkt.interface_id, pkt.interface_name);
                    let f = self.filter(pkt.interface)?;
                    let name = pkt.interface_name.map(str::to_owned);
                    last = Some((pkt.interface.clone(), pkt.interface_id, name, f));
                    f
                }
            };
            let filter = &mut self.filters[f].1;
            let told = if filter.reads_metadata() {
                answers(&pkt)
            } else {
                Answers::default()
            };
            let Ok(verdict) = filter.run(pkt.data, pkt.wirelen, told) else {
                // Keep what matched before.
                batch
                    .flush(shared.as_deref(), sink)
                    .map_err(|s| s.into_error(stats))?;
                return Err(ReplayError::NoDirection {
                    link_type: pkt.interface.link_type(),
                    packet: stats.read,
                });
            };
            if verdict == 0 {
                continue;
            }
            stats.matched += 1;
            if self.opts.snaplen.is_some() && (verdict as usize) < pkt.data.len() {
                pkt.data = &pkt.data[..verdict as usize];
                pkt.record = None;
            }
            let in_memory = match (&shared, pkt.record) {
                (Some(mem), Some(rec)) if sink.takes_record(&pkt) => {
                    let start = rec.as_ptr() as usize - mem.bytes().as_ptr() as usize;
                    Some(start..start + rec.len())
                }
                _ => None,
            };
            let sent = match in_memory {
                Some(record) => batch.add_and_flush(record, 1, shared.as_deref(), sink),
                None => batch.flush(shared.as_deref(), sink).and_then(|()| {
                    if !pkt.blocks.is_empty() {
                        sink.blocks(pkt.blocks).map_err(Stop::Output)?;
                        handed = true;
                    }
                    let pkt = steady(&pkt, shared.as_deref(), &mut scratch)?;
                    sink.packet(&pkt).map_err(Stop::Output)
                }),
            };
            sent.map_err(|s| s.into_error(stats))?;
            if Some(stats.matched) == self.opts.count {
                break;
            }
        }
        batch
            .flush(shared.as_deref(), sink)
            .map_err(|s| s.into_error(stats))?;
        Ok(stats)
    }

    /// The fast loop's walker and filter, and what it does with matching
    /// records, when `reader` holds a pcap file in memory, the filter
    /// reads nothing but the packets' bytes (its [`Answered::plain`]
    /// runner) and `sink` only counts packets, or takes pcap records in
    /// this host's byte order of the file's link type and time
    /// resolution: as stored if they are, else rewritten (turned round,
    /// cut to the snaplen).
    fn fast_path(
        &mut self,
        reader: &Reader,
        sink: &impl Sink,
    ) -> Result<Option<(PcapWalker, usize, Keep)>, ReplayError> {
        let (Some(walker), Some(iface)) = (reader.walker(), reader.interfaces().first()) else {
            return Ok(None);
        };
        let native = Interface {
            big_endian: cfg!(target_endian = "big"),
            ..iface.clone()
        };
        let (swap, cut) = (walker.swapped(), self.opts.snaplen.is_some());
        let keep = if sink.counts_only() {
            Keep::Counted
        } else if !swap && !cut && sink.takes_records_of(iface) {
            Keep::Stored
        } else if sink.takes_records_of(&native) {
            Keep::Rewritten { swap, cut }
        } else {
            return Ok(None);
        };
        let f = self.filter(iface)?;
        Ok(self.filters[f]
            .1
            .plain()
            .is_some()
            .then_some((walker, f, keep)))
    }

    /// Replays a large in-memory pcap file on all CPUs: the first part
    /// here, handed on as it is walked, the others on threads, handed on
    /// in order after it. `None` if not worth it (or a boundary guess
    /// failed); else where the sequential loop goes on: the end, or a
    /// record a part stopped before.
    fn run_parallel(
        &self,
        walker: &PcapWalker,
        exec: &Runner,
        keep: Keep,
        sink: &mut impl Sink,
        batch: &mut Batch,
        stats: &mut ReplayStats,
    ) -> Result<Option<Walked>, Stop> {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        let (start, len) = (walker.start, walker.memory().bytes().len());
        if threads < 2 || !parallel::worth(len - start) || self.opts.count.is_some() {
            return Ok(None);
        }
        if let Keep::Rewritten { swap, cut } = keep {
            let chunks = Chunks::new(walker, start, threads);
            return chunks.run(exec, (swap, cut), sink, stats).map(Some);
        }
        // Part boundaries: the start, guesses at even splits, the end.
        let mut bounds = vec![start];
        for i in 1..threads {
            match parallel::boundary(walker, start + (len - start) * i / threads, len) {
                Some(b) if b > *bounds.last().expect("not empty") => bounds.push(b),
                _ => return Ok(None),
            }
        }
        bounds.push(len);
        let stop = AtomicBool::new(false);
        std::thread::scope(|s| {
            let handles: Vec<_> = bounds[1..]
                .windows(2)
                .map(|w| {
                    let (from, to, stop) = (w[0], w[1], &stop);
                    s.spawn(move || parallel::scan(walker, from, to, exec, stop))
                })
                .collect();
            let mut fast = Fast::new(walker, exec, keep, batch, stats, sink, None);
            let first = fast.walk(walker, start, bounds[1], &mut Vec::new());
            let first = match first {
                Ok(w) if w.confirmed && w.stop == bounds[1] => w,
                other => {
                    // The others' work is moot.
                    stop.store(true, Ordering::Relaxed);
                    return other.map(Some);
                }
            };
            let parts: Vec<parallel::Part> =
                handles.into_iter().filter_map(|h| h.join().ok()).collect();
            // If the file shrank meanwhile, parts may have read zeros: the
            // sequential loop reads them again, checking as it goes.
            if parts.len() + 1 < threads || walker.memory().intact() < len {
                return Ok(Some(first));
            }
            let mut at = first.stop;
            for (part, &end) in parts.into_iter().zip(&bounds[2..]) {
                stats.read += part.read;
                for (r, records) in part.matched.ranges {
                    stats.matched += records;
                    if keep == Keep::Counted {
                        sink.count(records).map_err(Stop::Output)?;
                    } else {
                        batch.add_and_flush(r, records, Some(walker.memory()), sink)?;
                    }
                }
                at = part.end;
                // A record the part stopped before is the sequential
                // loop's; what the next parts found is moot.
                if at != end {
                    break;
                }
            }
            Ok(Some(Walked {
                stop: at,
                confirmed: true,
            }))
        })
    }
}

/// What replay's fast loop does with a matching record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Keep {
    /// Hands it on as stored: its byte range joins the batch.
    Stored,
    /// Copies it into the output buffer as a pcap writer in this host's
    /// byte order writes it: the header turned round (`swap`), the data
    /// cut to the filter's verdict (`cut`, the snaplen), the rest as
    /// stored.
    Rewritten { swap: bool, cut: bool },
    /// Only counts it, for a sink that only counts ([`Sink::counts_only`]).
    Counted,
}

/// Hand the output buffer of rewritten records on when it holds this
/// many bytes.
const OUT_BYTES: usize = 1 << 20;

/// Replay's fast loop over the records of a pcap file held in memory:
/// the matching ones are collected in `batch` (or `out`, or only counted,
/// as `keep` says) and handed on window by window (see
/// [`PcapWalker::walk`]), until `count` matched.
struct Fast<'a, S> {
    /// The file, to confirm windows of its mapping.
    mem: &'a Memory,
    exec: &'a Runner,
    keep: Keep,
    /// Rewritten records ([`Keep::Rewritten`]) not handed on yet.
    out: Vec<u8>,
    /// Stop once this many matched (`-c`).
    count: Option<u64>,
    batch: &'a mut Batch,
    stats: &'a mut ReplayStats,
    /// Where the batches go.
    sink: &'a mut S,
    /// Where the records not handed on yet begin, and the counts before
    /// them: what a window of the mapping that cannot be confirmed as the
    /// file's is taken back to.
    since: (usize, ReplayStats),
    /// Whether the walk ended on a window that could not be confirmed.
    unconfirmed: bool,
}

/// Where [`Fast::walk`] stopped.
struct Walked {
    /// Before the next record not handed on.
    stop: usize,
    /// `false` if the last window's bytes could not be confirmed as the
    /// file's (it shrank): they are to be read again one record at a time.
    confirmed: bool,
}

impl<'a, S: Sink> Fast<'a, S> {
    fn new(
        walker: &'a PcapWalker,
        exec: &'a Runner,
        keep: Keep,
        batch: &'a mut Batch,
        stats: &'a mut ReplayStats,
        sink: &'a mut S,
        count: Option<u64>,
    ) -> Self {
        let since = (0, *stats);
        Fast {
            mem: walker.memory(),
            exec,
            keep,
            out: Vec::new(),
            count,
            batch,
            stats,
            sink,
            since,
            unconfirmed: false,
        }
    }

    /// Walks the records from `from` to `end` (see [`PcapWalker::walk`]),
    /// copying a mapped file through `window` where that is cheaper.
    fn walk(
        &mut self,
        walker: &PcapWalker,
        from: usize,
        end: usize,
        window: &mut Vec<u8>,
    ) -> Result<Walked, Stop> {
        // Records the reader added are in the mapping, not in a window.
        self.batch.flush(Some(self.mem), self.sink)?;
        self.since = (from, *self.stats);
        self.unconfirmed = false;
        let stop = walker.walk(from, end, window, self)?;
        Ok(Walked {
            stop: if self.unconfirmed { self.since.0 } else { stop },
            confirmed: !self.unconfirmed,
        })
    }
}

impl<S: Sink> Visit for Fast<'_, S> {
    type Error = Stop;

    #[inline(always)]
    fn record(&mut self, record: &[u8], wirelen: u32, range: Range<usize>) -> bool {
        self.stats.read += 1;
        let data = &record[RECORD_HEADER..];
        let verdict = self.exec.run(data, wirelen);
        if verdict == 0 {
            return true;
        }
        self.stats.matched += 1;
        let full = match self.keep {
            Keep::Stored => {
                self.batch.add(range, 1);
                self.batch.full()
            }
            Keep::Rewritten { swap, cut } => {
                let kept = kept(data.len(), verdict, cut);
                rewrite(&mut self.out, record, kept, wirelen, swap);
                self.out.len() >= OUT_BYTES
            }
            Keep::Counted => false,
        };
        !full && Some(self.stats.matched) != self.count
    }

    fn window(&mut self, window: &Window, walked: usize) -> Result<bool, Stop> {
        if !window.copied && self.mem.confirm(walked).is_err() {
            // The file shrank: the records may have been read as zeros.
            self.batch.clear();
            self.out.clear();
            *self.stats = self.since.1;
            self.unconfirmed = true;
            return Ok(false);
        }
        // Copies made before the confirmation are the file's.
        if !self.out.is_empty() {
            let written = self.sink.records(&[IoSlice::new(&self.out)]);
            self.out.clear();
            written.map_err(Stop::Output)?;
        }
        if self.keep == Keep::Counted {
            let counted = self.stats.matched - self.since.1.matched;
            self.sink.count(counted).map_err(Stop::Output)?;
        }
        if window.copied {
            self.batch
                .flush_window(window.bytes, window.base, self.sink)?;
        } else {
            // From the mapping, which may shrink during the copy.
            self.batch.flush(Some(self.mem), self.sink)?;
        }
        self.since = (walked, *self.stats);
        Ok(Some(self.stats.matched) != self.count)
    }
}

/// How many of a matching packet's `len` captured bytes are handed on:
/// with `-s` (`cut`), no more than the filter's verdict (the snaplen).
#[inline]
fn kept(len: usize, verdict: u32, cut: bool) -> usize {
    if cut { len.min(verdict as usize) } else { len }
}

/// Appends a pcap record in this host's byte order to `out`: `record`'s
/// header (turned round if `swap`) with a captured length of `kept` and
/// a wire length of `wirelen`, then the first `kept` bytes of its data.
/// The time stamp is copied as stored, as for records copied whole.
#[inline]
fn rewrite(out: &mut Vec<u8>, record: &[u8], kept: usize, wirelen: u32, swap: bool) {
    let word = |at: usize| {
        let w = u32::from_ne_bytes([record[at], record[at + 1], record[at + 2], record[at + 3]]);
        if swap { w.swap_bytes() } else { w }
    };
    let (secs, frac) = (word(0), word(4));
    out.extend_from_slice(&secs.to_ne_bytes());
    out.extend_from_slice(&frac.to_ne_bytes());
    out.extend_from_slice(&(kept as u32).to_ne_bytes());
    out.extend_from_slice(&wirelen.to_ne_bytes());
    out.extend_from_slice(&record[RECORD_HEADER..RECORD_HEADER + kept]);
}

/// `pkt` as a sink may read it. A sink copies a packet it is handed one
/// at a time after the reader checked it; from a mapped file, which may
/// shrink in between, it is handed a copy checked after it was made.
fn steady<'a>(
    pkt: &Packet<'a>,
    mem: Option<&Memory>,
    scratch: &'a mut Vec<u8>,
) -> Result<Packet<'a>, Stop> {
    let Some(Memory::Map(map)) = mem else {
        return Ok(*pkt);
    };
    // The enhanced packet block, if any, holds the data.
    let whole = pkt.block.unwrap_or(pkt.data);
    let at = pkt.data.as_ptr() as usize - whole.as_ptr() as usize;
    scratch.clear();
    scratch.extend_from_slice(whole);
    let end = whole.as_ptr() as usize + whole.len() - map.bytes().as_ptr() as usize;
    match map.confirm(end) {
        Ok(()) => Ok(Packet {
            data: &scratch[at..at + pkt.data.len()],
            block: pkt.block.map(|_| &scratch[..]),
            record: None,
            ..*pkt
        }),
        Err(error) => Err(Stop::Read { error, dropped: 1 }),
    }
}

/// Where replay sends matching packets.
pub trait Sink {
    /// One matching packet.
    fn packet(&mut self, pkt: &Packet<'_>) -> io::Result<()>;

    /// Whether stored records of packets from `interface` may be given to
    /// [`Sink::records`] instead of [`Sink::packet`].
    fn takes_records_of(&self, _interface: &Interface) -> bool {
        false
    }

    /// Whether `pkt`'s stored record may be given to [`Sink::records`].
    fn takes_record(&self, pkt: &Packet<'_>) -> bool {
        pkt.record.is_some() && self.takes_records_of(pkt.interface)
    }

    /// Matching records, in order, as pcap records in this host's byte
    /// order that [`Sink::takes_records_of`] accepted: as stored in the
    /// input, or (from a file in the other byte order, or cut to the
    /// snaplen) as a pcap writer writes them.
    fn records(&mut self, _records: &[IoSlice<'_>]) -> io::Result<()> {
        Err(io::ErrorKind::Unsupported.into())
    }

    /// Whether the sink only counts matching packets ([`Sink::count`]):
    /// then replay hands none on, and may filter without reading more of
    /// a packet than the filter does.
    fn counts_only(&self) -> bool {
        false
    }

    /// `n` more packets matched, for a sink that [`Sink::counts_only`];
    /// an error ends the replay (as from [`Sink::packet`]).
    fn count(&mut self, _n: u64) -> io::Result<()> {
        Ok(())
    }

    /// pcapng metadata blocks met before the next packet handed on (or
    /// after the last one), in file order; ignored unless the sink copies
    /// them.
    fn blocks(&mut self, _blocks: &[RawBlock]) -> io::Result<()> {
        Ok(())
    }

    /// Whether [`Sink::blocks`] copies the blocks somewhere.
    fn takes_blocks(&self) -> bool {
        false
    }

    /// Whether matching enhanced packet blocks of a pcapng input may be
    /// given to [`Sink::pcapng_blocks`] instead of [`Sink::packet`]
    /// (for a sink that copies pcapng input, [`Sink::takes_blocks`]).
    fn takes_pcapng_blocks(&self) -> bool {
        false
    }

    /// `packets` matching enhanced packet blocks, in order, as a pcapng
    /// copy writes the packets (`Writer::write_packet`): each in its
    /// section's byte order, cut to the snaplen; the metadata blocks
    /// before them were given to [`Sink::blocks`] already.
    fn pcapng_blocks(&mut self, _blocks: &[u8], _packets: u64) -> io::Result<()> {
        Err(io::ErrorKind::Unsupported.into())
    }

    /// Keeps only the first `keep` bytes (whole records) of those given
    /// to the last [`Sink::records`]: the input shrank while they were
    /// copied, so the rest may be zeros rather than packets.
    fn keep_records(&mut self, _keep: u64) -> io::Result<()> {
        Err(io::ErrorKind::Unsupported.into())
    }
}

/// Any packet callback is a sink.
impl<F: FnMut(&Packet<'_>) -> io::Result<()>> Sink for F {
    fn packet(&mut self, pkt: &Packet<'_>) -> io::Result<()> {
        self(pkt)
    }
}

/// A capture file is a sink that copies records it can take verbatim.
impl Sink for Writer {
    fn packet(&mut self, pkt: &Packet<'_>) -> io::Result<()> {
        self.write_packet(pkt)
    }

    fn takes_records_of(&self, interface: &Interface) -> bool {
        Writer::takes_records_of(self, interface)
    }

    fn records(&mut self, records: &[IoSlice<'_>]) -> io::Result<()> {
        self.write_records(records)
    }

    fn blocks(&mut self, blocks: &[RawBlock]) -> io::Result<()> {
        self.write_blocks(blocks)
    }

    fn takes_blocks(&self) -> bool {
        self.copies_pcapng()
    }

    fn takes_pcapng_blocks(&self) -> bool {
        self.copies_pcapng()
    }

    fn pcapng_blocks(&mut self, blocks: &[u8], _packets: u64) -> io::Result<()> {
        self.write_pcapng_blocks(blocks)
    }

    fn keep_records(&mut self, keep: u64) -> io::Result<()> {
        Writer::keep_records(self, keep)
    }
}

/// Why handing packets on stopped the replay.
enum Stop {
    /// The sink failed.
    Output(io::Error),
    /// The input shrank under packets already read: `dropped` matching
    /// ones were not handed on.
    Read { error: ReadError, dropped: u64 },
}

impl Stop {
    fn into_error(self, mut stats: ReplayStats) -> ReplayError {
        match self {
            Stop::Output(e) => ReplayError::Output(e),
            Stop::Read { error, dropped } => {
                stats.matched -= dropped;
                ReplayError::Read { error, stats }
            }
        }
    }
}

/// Handing a batch on to a sink (the batch itself is in [`crate::batch`]).
impl Batch {
    /// Adds `records` records stored in `record`, handing the batch on
    /// when full.
    fn add_and_flush(
        &mut self,
        record: Range<usize>,
        records: u64,
        mem: Option<&Memory>,
        sink: &mut impl Sink,
    ) -> Result<(), Stop> {
        self.add(record, records);
        if self.full() {
            self.flush(mem, sink)?;
        }
        Ok(())
    }

    /// Hands the batch on from `bytes`, a copy of the input's bytes from
    /// `base` on that holds all of its records.
    fn flush_window(
        &mut self,
        bytes: &[u8],
        base: usize,
        sink: &mut impl Sink,
    ) -> Result<(), Stop> {
        if self.ranges.is_empty() {
            return Ok(());
        }
        let slices: Vec<IoSlice<'_>> = (self.ranges.iter())
            .map(|(r, _)| IoSlice::new(&bytes[r.start - base..r.end - base]))
            .collect();
        let written = sink.records(&slices);
        self.clear();
        written.map_err(Stop::Output)
    }

    fn flush(&mut self, mem: Option<&Memory>, sink: &mut impl Sink) -> Result<(), Stop> {
        let (Some(mem), false) = (mem, self.ranges.is_empty()) else {
            return Ok(());
        };
        let result = hand_on(mem, &self.ranges, sink);
        self.clear();
        result
    }
}

/// Hands the records of `ranges` to `sink` as far as the input still
/// holds them, and takes back those it lost while they were copied.
fn hand_on(mem: &Memory, ranges: &[(Range<usize>, u64)], sink: &mut impl Sink) -> Result<(), Stop> {
    let bytes = mem.bytes();
    let before = Kept::below(mem.intact(), bytes, ranges);
    let slices: Vec<IoSlice<'_>> = ranges[..before.whole]
        .iter()
        .map(|(r, _)| IoSlice::new(&bytes[r.clone()]))
        .chain(before.partial.clone().map(|r| IoSlice::new(&bytes[r])))
        .collect();
    if slices.is_empty() {
        return before.shrunk();
    }
    let written = sink.records(&slices);
    // Copied while the file shrank? (A failed copy may be that too:
    // EFAULT.)
    let after = mem.intact();
    if after < before.end(ranges) {
        let after = Kept::below(after, bytes, ranges);
        sink.keep_records(after.bytes(ranges) as u64)
            .map_err(Stop::Output)?;
        return after.shrunk();
    }
    written.map_err(Stop::Output)?;
    before.shrunk()
}

/// The part of a batch's ranges (merged runs of native-order pcap
/// records, in order) that lies wholly below a limit.
struct Kept {
    /// The limit: the bytes the input still held.
    limit: usize,
    /// Ranges kept whole.
    whole: usize,
    /// The kept start of the next range.
    partial: Option<Range<usize>>,
    /// Records left out.
    dropped: u64,
}

impl Kept {
    fn below(limit: usize, bytes: &[u8], ranges: &[(Range<usize>, u64)]) -> Kept {
        let whole = if ranges.last().is_some_and(|(r, _)| r.end <= limit) {
            // All of them (the common case, without walking the ranges).
            ranges.len()
        } else {
            ranges.iter().take_while(|(r, _)| r.end <= limit).count()
        };
        let mut kept = Kept {
            limit,
            whole,
            partial: None,
            dropped: ranges[whole..].iter().map(|(_, n)| n).sum(),
        };
        if let Some((r, _)) = ranges.get(whole).filter(|(r, _)| r.start < limit) {
            // Only the bytes below the limit are read to find record ends.
            let run = &bytes[r.start..limit];
            let ends = crate::file::native_record_ends(run);
            let (n, last) = ends.fold((0u64, 0), |(n, _), e| (n + 1, e));
            if n > 0 {
                kept.partial = Some(r.start..r.start + last);
                kept.dropped = kept.dropped.saturating_sub(n);
            }
        }
        kept
    }

    /// Where the kept part ends in the input.
    fn end(&self, ranges: &[(Range<usize>, u64)]) -> usize {
        match (&self.partial, self.whole) {
            (Some(p), _) => p.end,
            (None, 0) => 0,
            (None, n) => ranges[n - 1].0.end,
        }
    }

    /// How many bytes are kept.
    fn bytes(&self, ranges: &[(Range<usize>, u64)]) -> usize {
        let whole: usize = ranges[..self.whole].iter().map(|(r, _)| r.len()).sum();
        whole + self.partial.as_ref().map_or(0, Range::len)
    }

    /// The end of a flush: an error if records were left out.
    fn shrunk(&self) -> Result<(), Stop> {
        match self.dropped {
            0 => Ok(()),
            dropped => Err(Stop::Read {
                error: ReadError::Shrunk {
                    size: self.limit as u64,
                },
                dropped,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Only a new name for an id changes what `ifname` compiles to; a
    /// new section may give an id another name.
    #[test]
    fn interfaces_are_learned_once_per_name() {
        let mut l = Learned::default();
        assert!(l.learn(0, Some("eth0")));
        assert!(!l.learn(0, Some("eth0")));
        assert!(!l.learn(2, None));
        assert!(l.learn(1, Some("eth0")));
        assert_eq!(l.names(false), [("eth0".into(), 0), ("eth0".into(), 1)]);
        assert!(l.learn(0, Some("be0")));
        assert!(l.learn(0, None));
        assert_eq!(l.names(false), [("eth0".into(), 1)]);
        let every = l.names(true);
        assert!(every.contains(&("be0".into(), u32::MAX)), "{every:?}");
    }
}
