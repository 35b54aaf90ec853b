//! Matching records collected to be handed on together (replay's
//! `writev` batches, parallel replay's parts): only the bookkeeping, so
//! that replay and parallel replay share it without importing each other;
//! handing a batch on to a sink is replay's.

use std::ops::Range;

/// Matching records waiting to be handed on: byte ranges of the in-memory
/// input, adjacent ones merged, each with its count of records.
///
/// Replay's fast loop hands its batches on from the window of the file
/// it copied the records into. Records the reader read, and those
/// parallel replay's threads collect for their parts (handed on as a
/// whole later), are handed on from the mapping, which may shrink at any
/// time: before handing them on, records past what the file still holds
/// are dropped; after, if the file shrank while they were copied, the
/// sink is told to keep only those still inside it (the rest may have
/// been copied as zeros).
#[derive(Default)]
pub(crate) struct Batch {
    pub(crate) ranges: Vec<(Range<usize>, u64)>,
    pub(crate) bytes: usize,
}

/// Hand a batch on when it holds this many ranges (the kernel's `IOV_MAX`)
/// or bytes.
const BATCH_RANGES: usize = 1024;
const BATCH_BYTES: usize = 4 << 20;

impl Batch {
    /// Adds `records` records stored in `record`.
    #[inline]
    pub(crate) fn add(&mut self, record: Range<usize>, records: u64) {
        self.bytes += record.len();
        match self.ranges.last_mut() {
            Some((last, n)) if last.end == record.start => {
                last.end = record.end;
                *n += records;
            }
            _ => self.ranges.push((record, records)),
        }
    }

    /// Whether the batch is to be handed on.
    #[inline]
    pub(crate) fn full(&self) -> bool {
        self.ranges.len() >= BATCH_RANGES || self.bytes >= BATCH_BYTES
    }

    /// Forgets every record.
    pub(crate) fn clear(&mut self) {
        self.ranges.clear();
        self.bytes = 0;
    }
}
