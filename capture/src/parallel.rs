//! Replay of a large in-memory classic pcap file on several threads.
//!
//! Records of a pcap file form a chain: where one starts is known only
//! from the one before. Each thread after the first starts at a guessed
//! boundary — the first offset past an even split from which several
//! record headers in a row look valid and chain exactly — and the guess
//! is accepted only if the previous part, read sequentially, ends exactly
//! there. The replaying thread walks the first part itself and hands its
//! records on as it goes; the other parts' records are handed on after
//! it, in order, as far as each part ended where the next begins. From
//! the first part that did not (a wrong guess, or a record only the
//! reader may read), replay goes on sequentially, so a wrong guess costs
//! time, never a wrong result.

use std::ops::Range;
use std::sync::atomic::{AtomicBool, Ordering};

use bpfcap_filter::cbpf::Runner;

use crate::batch::Batch;
use crate::file::{PcapWalker, RECORD_HEADER, Visit, Window};

/// Files smaller than this are not worth the threads.
const MIN_BYTES: usize = 32 << 20;

#[cfg(test)]
thread_local! {
    /// Set by tests that replay small files in parallel.
    pub(crate) static SMALL: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether `bytes` of records are worth replaying on several threads
/// (for a replay started on this thread).
pub(crate) fn worth(bytes: usize) -> bool {
    #[cfg(test)]
    if SMALL.get() {
        return bytes >= 64 << 10;
    }
    bytes >= MIN_BYTES
}

/// How many headers in a row must chain for a boundary guess.
const CHAIN: usize = 16;

/// How far past the split point to look for a boundary.
const SEARCH: usize = 1 << 20;

/// What one thread found in its part of the file.
pub(crate) struct Part {
    /// The matching records.
    pub matched: Batch,
    pub read: u64,
    /// Where the walk stopped: the part's end, or before a record the
    /// reader must read (cut to the snapshot length, damaged, or the
    /// file's last and truncated one).
    pub end: usize,
}

/// Filters the records of `start..end` of an in-memory pcap file; gives
/// up early (as stopped before `end`) once `stop` is set.
pub(crate) fn scan(
    walker: &PcapWalker,
    start: usize,
    end: usize,
    exec: &Runner,
    stop: &AtomicBool,
) -> Part {
    let mut scan = Scan {
        exec,
        stop,
        matched: Batch::default(),
        read: 0,
    };
    let Ok(end) = walker.walk(start, end, &mut Vec::new(), &mut scan);
    Part {
        matched: scan.matched,
        read: scan.read,
        end,
    }
}

/// A thread's walk through its part: the matching records are kept, to
/// be handed on from the file's mapping after the parts before.
struct Scan<'a> {
    exec: &'a Runner,
    stop: &'a AtomicBool,
    matched: Batch,
    read: u64,
}

impl Visit for Scan<'_> {
    type Error = std::convert::Infallible;

    #[inline(always)]
    fn record(&mut self, record: &[u8], wirelen: u32, range: Range<usize>) -> bool {
        self.read += 1;
        if self.exec.run(&record[RECORD_HEADER..], wirelen) != 0 {
            self.matched.add(range, 1);
        }
        true
    }

    fn window(&mut self, _: &Window, _: usize) -> Result<bool, Self::Error> {
        Ok(!self.stop.load(Ordering::Relaxed))
    }
}

/// A likely record boundary at or after `guess` (and before `end`).
///
/// Each header of the chain must hold at least one byte of data: 16
/// zero bytes read as an empty record, and a packet padded with zeros
/// (an ARP reply's Ethernet padding) has them right before the next
/// record, which then chains. Such a wrong guess is caught later (the
/// part before does not end there), but it costs the parallel replay
/// the rest of the file.
pub(crate) fn boundary(walker: &PcapWalker, guess: usize, end: usize) -> Option<usize> {
    (guess..(guess + SEARCH).min(end)).find(|&start| {
        let mut at = start;
        for _ in 0..CHAIN {
            match walker.plausible_record(at) {
                Some(len) if len > RECORD_HEADER && at + len <= end => at += len,
                _ => return false,
            }
        }
        true
    })
}
