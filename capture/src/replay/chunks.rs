//! Parallel replay of records that are rewritten on the way out (cut to
//! the snaplen, or turned round from the other byte order; see
//! [`Keep::Rewritten`](super::Keep::Rewritten)).
//!
//! Records handed on as stored need only their byte ranges to be
//! collected by the threads: the replaying thread hands them on from the
//! mapping later. Rewritten records are copies, and copying them again
//! from the file on the replaying thread would cost it about what the
//! threads saved. So here every thread walks chunks of the file (a few
//! MiB each, claimed in order) and rewrites the matching records into a
//! buffer of its own, and the replaying thread hands the buffers on in
//! the file's order. Buffers go round as tickets: a thread claims a
//! chunk only with a free one, so at most [`IN_FLIGHT`] per thread exist,
//! whatever the file's size, and chunks are small enough for all of them
//! to hold about [`BUDGET`] bytes.
//!
//! Each chunk after the first starts at a guessed record boundary (see
//! [`parallel::boundary`]), accepted only if the chunk before ended
//! exactly there. Bytes read from the mapping are confirmed as the
//! file's window by window (as the fast loop does) before a chunk is
//! done; a chunk that cannot be confirmed (the file shrank), or the first
//! that ended elsewhere (a wrong guess, or a record only the reader may
//! read), is where the sequential loop goes on.

use std::convert::Infallible;
use std::io::IoSlice;
use std::ops::Range;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};

use bpfcap_filter::cbpf::Runner;

use super::{ReplayStats, Sink, Stop, Walked, kept, rewrite};
use crate::file::{Memory, PcapWalker, RECORD_HEADER, Visit, Window};
use crate::parallel;

/// The most bytes of the file in one chunk.
const CHUNK: usize = 4 << 20;

/// The fewest (for small files, replayed on threads by tests).
const MIN_CHUNK: usize = 16 << 10;

/// Output buffers per thread: chunks rewritten or being rewritten that
/// are not handed on yet.
const IN_FLIGHT: usize = 4;

/// About the most bytes all buffers hold together: on many CPUs the
/// chunks are smaller.
const BUDGET: usize = 64 << 20;

/// The chunks of an in-memory pcap file, from where the reader stands.
pub(super) struct Chunks<'a> {
    walker: &'a PcapWalker,
    /// Where each chunk starts, then the end.
    bounds: Vec<usize>,
    threads: usize,
}

/// What a thread made of one chunk.
struct Chunk {
    /// The matching records, rewritten.
    out: Vec<u8>,
    read: u64,
    matched: u64,
    /// Where the walk stopped: the chunk's end, or before a record the
    /// reader must read.
    stop: usize,
    /// Whether every byte read from the mapping was confirmed as the
    /// file's.
    confirmed: bool,
}

impl<'a> Chunks<'a> {
    /// Chunks of the file from `start` on, for `threads` threads.
    pub(super) fn new(walker: &'a PcapWalker, start: usize, threads: usize) -> Chunks<'a> {
        let len = walker.memory().bytes().len();
        let buffers = threads * IN_FLIGHT;
        let size = ((len - start) / buffers)
            .min(BUDGET / buffers)
            .clamp(MIN_CHUNK, CHUNK);
        let mut bounds = vec![start];
        let mut guess = start + size;
        // No chunk much smaller than the others at the end.
        while guess + size / 2 < len {
            match parallel::boundary(walker, guess, len) {
                Some(b) if b > *bounds.last().expect("not empty") => bounds.push(b),
                // No boundary found: the chunk before takes the bytes.
                _ => {}
            }
            guess += size;
        }
        bounds.push(len);
        Chunks {
            walker,
            bounds,
            threads,
        }
    }

    /// Filters and rewrites the chunks on `threads` threads and hands
    /// the matching records on in order; where the sequential loop goes
    /// on (see [`Walked`]).
    pub(super) fn run(
        &self,
        exec: &Runner,
        (swap, cut): (bool, bool),
        sink: &mut impl Sink,
        stats: &mut ReplayStats,
    ) -> Result<Walked, Stop> {
        let n = self.bounds.len() - 1;
        let (next, stop) = (AtomicUsize::new(0), AtomicBool::new(false));
        std::thread::scope(|s| {
            let in_flight = self.threads * IN_FLIGHT;
            let (tickets, free) = sync_channel::<Vec<u8>>(in_flight);
            for _ in 0..in_flight {
                tickets.send(Vec::new()).expect("room for every ticket");
            }
            let free = Arc::new(Mutex::new(free));
            let (done, finished) = sync_channel(in_flight);
            // Tests choose for every thread how the file is read.
            #[cfg(test)]
            let mapped = crate::file::tests::READ_MAPPED.get();
            for _ in 0..self.threads {
                let (free, done, next, stop) = (free.clone(), done.clone(), &next, &stop);
                s.spawn(move || {
                    #[cfg(test)]
                    crate::file::tests::READ_MAPPED.set(mapped);
                    let mut window = Vec::new();
                    while let Some(out) = ticket(&free) {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= n || stop.load(Ordering::Relaxed) {
                            return;
                        }
                        let range = self.bounds[i]..self.bounds[i + 1];
                        let rewriting = Rewriting {
                            exec,
                            mem: self.walker.memory(),
                            keep: (swap, cut),
                            stop,
                            out,
                            read: 0,
                            matched: 0,
                            confirmed: true,
                        };
                        if done
                            .send((i, rewriting.walk(self.walker, range, &mut window)))
                            .is_err()
                        {
                            return;
                        }
                    }
                });
            }
            drop(done);
            let walked = self.hand_on(&finished, &tickets, sink, stats);
            // The threads' work is moot now; dropping the channels ends it.
            stop.store(true, Ordering::Relaxed);
            walked
        })
    }

    /// Hands the rewritten chunks on in order as the threads finish them
    /// (giving their buffers back as tickets).
    fn hand_on(
        &self,
        finished: &Receiver<(usize, Chunk)>,
        tickets: &SyncSender<Vec<u8>>,
        sink: &mut impl Sink,
        stats: &mut ReplayStats,
    ) -> Result<Walked, Stop> {
        let mut early: Vec<Option<Chunk>> = (1..self.bounds.len()).map(|_| None).collect();
        let mut at = self.bounds[0];
        for (i, end) in self.bounds[1..].iter().enumerate() {
            let chunk = loop {
                if let Some(c) = early[i].take() {
                    break c;
                }
                match finished.recv() {
                    Ok((j, c)) => early[j] = Some(c),
                    // No thread is left (none could be started).
                    Err(_) => {
                        return Ok(Walked {
                            stop: at,
                            confirmed: true,
                        });
                    }
                }
            };
            if !chunk.confirmed {
                // Read again one record at a time, each checked.
                return Ok(Walked {
                    stop: at,
                    confirmed: false,
                });
            }
            stats.read += chunk.read;
            stats.matched += chunk.matched;
            if !chunk.out.is_empty() {
                sink.records(&[IoSlice::new(&chunk.out)])
                    .map_err(Stop::Output)?;
            }
            at = chunk.stop;
            if at != *end {
                // A record the chunk stopped before is the sequential
                // loop's; what the next chunks found is moot.
                break;
            }
            let mut out = chunk.out;
            out.clear();
            // A thread takes it if any is still waiting for one.
            let _ = tickets.try_send(out);
        }
        Ok(Walked {
            stop: at,
            confirmed: true,
        })
    }
}

/// A free output buffer, once one is handed back (`None`: replay is over).
fn ticket(free: &Mutex<Receiver<Vec<u8>>>) -> Option<Vec<u8>> {
    free.lock().ok()?.recv().ok()
}

/// A thread's walk through one chunk: the matching records are rewritten
/// into `out` as the fast loop rewrites them ([`Keep::Rewritten`](super::Keep::Rewritten)).
struct Rewriting<'a> {
    exec: &'a Runner,
    mem: &'a Memory,
    /// Whether headers are turned round; whether data is cut to the
    /// filter's verdict.
    keep: (bool, bool),
    stop: &'a AtomicBool,
    out: Vec<u8>,
    read: u64,
    matched: u64,
    confirmed: bool,
}

impl Rewriting<'_> {
    fn walk(mut self, walker: &PcapWalker, range: Range<usize>, window: &mut Vec<u8>) -> Chunk {
        let Ok(stop) = walker.walk(range.start, range.end, window, &mut self);
        Chunk {
            out: self.out,
            read: self.read,
            matched: self.matched,
            stop,
            confirmed: self.confirmed,
        }
    }
}

impl Visit for Rewriting<'_> {
    type Error = Infallible;

    #[inline(always)]
    fn record(&mut self, record: &[u8], wirelen: u32, _: Range<usize>) -> bool {
        self.read += 1;
        let data = &record[RECORD_HEADER..];
        let verdict = self.exec.run(data, wirelen);
        if verdict != 0 {
            self.matched += 1;
            let (swap, cut) = self.keep;
            rewrite(
                &mut self.out,
                record,
                kept(data.len(), verdict, cut),
                wirelen,
                swap,
            );
        }
        true
    }

    fn window(&mut self, window: &Window, walked: usize) -> Result<bool, Infallible> {
        if !window.copied && self.mem.confirm(walked).is_err() {
            // The file shrank: the records may have been read as zeros.
            self.confirmed = false;
            return Ok(false);
        }
        Ok(!self.stop.load(Ordering::Relaxed))
    }
}
