//! Offline replay: run a filter over every packet of a capture file and
//! hand the matching ones on, as `tcpdump -r` does.
//!
//! A filter is compiled per (link type, byte order) pair met in the file:
//! pcapng files may mix link types, and DLT_NULL headers are in the byte
//! order of the machine that wrote them.

use std::fmt;
use std::io::{self, Read};

use filter_compiler::cbpf::fast::Executor;
use filter_compiler::{CompileOptions, LinkType, compile};

use crate::file::{Interface, Packet, ReadError, Reader};

/// What to replay.
#[derive(Clone, Debug)]
pub struct ReplayOptions {
    /// The filter expression (empty: every packet).
    pub expr: String,
    /// Cut matching packets to this many bytes (`-s`); `None` keeps them
    /// as they are in the file.
    pub snaplen: Option<u32>,
    /// Stop after this many matching packets (`-c`).
    pub count: Option<u64>,
    /// Run the optimizer (`-O` turns it off).
    pub optimize: bool,
    /// Netmask for `ip broadcast`.
    pub netmask: Option<u32>,
}

impl ReplayOptions {
    pub fn new(expr: impl Into<String>) -> ReplayOptions {
        ReplayOptions {
            expr: expr.into(),
            snaplen: None,
            count: None,
            optimize: true,
            netmask: None,
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
        link_type: LinkType,
        error: filter_compiler::Error,
    },
    /// The file could not be read; the stats count what came before.
    Read {
        error: ReadError,
        stats: ReplayStats,
    },
    /// The consumer of matching packets failed (e.g. a full disk).
    Output(io::Error),
}

impl fmt::Display for ReplayError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReplayError::Compile { error, .. } => write!(f, "{}", error.message),
            ReplayError::Read { error, .. } => write!(f, "{error}"),
            ReplayError::Output(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for ReplayError {}

/// A filter ready to replay over files; compiled programs are kept
/// across files.
pub struct Replay {
    opts: ReplayOptions,
    filters: Vec<((LinkType, bool), Executor)>,
}

impl Replay {
    pub fn new(opts: ReplayOptions) -> Replay {
        Replay {
            opts,
            filters: Vec::new(),
        }
    }

    /// The filter for packets from `interface`, compiled on first use.
    fn filter(&mut self, interface: &Interface) -> Result<usize, ReplayError> {
        let key = (interface.link_type(), interface.big_endian);
        if let Some(i) = self.filters.iter().position(|(k, _)| *k == key) {
            return Ok(i);
        }
        let mut copts = CompileOptions::new(key.0);
        copts.big_endian_capture = key.1;
        copts.optimize = self.opts.optimize;
        copts.netmask = self.opts.netmask;
        if let Some(s) = self.opts.snaplen {
            copts.snaplen = s;
        }
        let prog = compile(&self.opts.expr, &copts).map_err(|error| ReplayError::Compile {
            link_type: key.0,
            error,
        })?;
        self.filters.push((key, Executor::new(&prog)));
        Ok(self.filters.len() - 1)
    }

    /// Compiles the filter for every interface the reader knows of, so an
    /// expression that is wrong for the file fails before any output.
    pub fn prepare<R: Read>(&mut self, reader: &Reader<R>) -> Result<(), ReplayError> {
        for interface in reader.interfaces() {
            self.filter(interface)?;
        }
        Ok(())
    }

    /// Reads every packet of `reader`, and calls `sink` with each matching
    /// one (its data cut to the filter's verdict when a snaplen is set).
    pub fn run<R: Read>(
        &mut self,
        reader: &mut Reader<R>,
        mut sink: impl FnMut(&Packet<'_>) -> io::Result<()>,
    ) -> Result<ReplayStats, ReplayError> {
        self.prepare(reader)?;
        let mut stats = ReplayStats::default();
        if self.opts.count == Some(0) {
            return Ok(stats);
        }
        // Consecutive packets mostly share an interface: remember the last
        // one's filter.
        let mut last: Option<(Interface, usize)> = None;
        loop {
            let pkt = match reader.next_packet() {
                Ok(Some(p)) => p,
                Ok(None) => break,
                Err(error) => return Err(ReplayError::Read { error, stats }),
            };
            stats.read += 1;
            let f = match &last {
                Some((iface, f)) if iface == pkt.interface => *f,
                _ => {
                    let f = self.filter(pkt.interface)?;
                    last = Some((pkt.interface.clone(), f));
                    f
                }
            };
            let verdict = self.filters[f].1.run(pkt.data, pkt.wirelen);
            if verdict == 0 {
                continue;
            }
            stats.matched += 1;
            let mut pkt = pkt;
            if self.opts.snaplen.is_some() {
                pkt.data = &pkt.data[..pkt.data.len().min(verdict as usize)];
            }
            sink(&pkt).map_err(ReplayError::Output)?;
            if Some(stats.matched) == self.opts.count {
                break;
            }
        }
        Ok(stats)
    }
}
