//! Replay of a large in-memory classic pcap file on several threads.
//!
//! Records of a pcap file form a chain: where one starts is known only
//! from the one before. Each thread after the first starts at a guessed
//! boundary — the first offset past an even split from which several
//! record headers in a row look valid and chain exactly — and the guess
//! is accepted only if the previous part, read sequentially, ends exactly
//! there. Otherwise the caller replays the file sequentially, so a wrong
//! guess costs time, never a wrong result.

use std::ops::Range;

use bpfcap_filter::cbpf::Runner;

use crate::file::{PcapWalker, ReadError};

/// Files smaller than this are not worth the threads.
pub(crate) const MIN_BYTES: usize = 32 << 20;

/// How many headers in a row must chain for a boundary guess.
const CHAIN: usize = 16;

/// How far past the split point to look for a boundary.
const SEARCH: usize = 1 << 20;

/// What one thread found in its part of the file.
pub(crate) struct Part {
    /// Byte ranges of matching records, adjacent ones merged, with how
    /// many records each holds.
    pub ranges: Vec<(Range<usize>, u64)>,
    pub read: u64,
    /// Where reading stopped.
    pub end: usize,
    /// Why it stopped early, if it did.
    pub error: Option<ReadError>,
    /// A record could not be passed on as stored (cut to the snapshot
    /// length): the part must be replayed sequentially instead.
    pub not_verbatim: bool,
}

/// Filters the records of `start..end` of an in-memory pcap file.
pub(crate) fn scan(walker: &PcapWalker, start: usize, end: usize, exec: &Runner) -> Part {
    let mut part = Part {
        ranges: Vec::new(),
        read: 0,
        end: 0,
        error: None,
        not_verbatim: false,
    };
    let (stop, error) = walker.walk(start, end, |data, wirelen, record, verbatim| {
        part.read += 1;
        if exec.run(data, wirelen) == 0 {
            return;
        }
        part.not_verbatim |= !verbatim;
        match part.ranges.last_mut() {
            Some((last, n)) if last.end == record.start => {
                last.end = record.end;
                *n += 1;
            }
            _ => part.ranges.push((record, 1)),
        }
    });
    part.end = stop;
    part.error = error;
    part
}

/// A likely record boundary at or after `guess` (and before `end`).
pub(crate) fn boundary(walker: &PcapWalker, guess: usize, end: usize) -> Option<usize> {
    (guess..(guess + SEARCH).min(end)).find(|&start| {
        let mut at = start;
        for _ in 0..CHAIN {
            match walker.plausible_record(at) {
                Some(len) if at + len <= end => at += len,
                _ => return false,
            }
        }
        true
    })
}
