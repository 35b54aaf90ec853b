//! Enhanced packet blocks walked in place, for replay's fast loop over a
//! pcapng file held in memory: the blocks are read where they lie, with
//! no per-block state kept, and the walk stops before anything else (any
//! other block, damage, an interface the caller does not take), which
//! the [`super::PcapNgReader`] then reads as usual.

use std::ops::Range;
use std::sync::Arc;

use super::{EPB, Idb, PcapNgReader};
use crate::file::endian::Endian;
use crate::file::source::{self, Memory};
use crate::file::{Timestamp, Window};

/// What the walk needs to know of a section: its byte order, the largest
/// block accepted, and its interfaces' time stamps and snapshot lengths.
pub(crate) struct PcapNgWalker {
    mem: Arc<Memory>,
    /// Where the reader stood: a block begins there.
    pub start: usize,
    endian: Endian,
    max_block: u32,
    /// The section's interfaces.
    idbs: Vec<Idb>,
}

/// One enhanced packet block as the reader reads it.
pub(crate) struct EnhancedPacket<'a> {
    /// Its interface's id in the section.
    pub interface: usize,
    pub ts: Timestamp,
    pub wirelen: u32,
    /// The captured bytes.
    pub data: &'a [u8],
    /// The block's body as stored (see [`crate::Packet::block`]).
    pub body: &'a [u8],
}

/// Why a walk stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Halt {
    /// The visitor asked to pause after the last block.
    Asked,
    /// Before a block that does not end by the walk's end.
    Edge,
    /// Before a block the reader must read: not an enhanced packet
    /// block, damaged, or of an interface not taken.
    Refused,
}

impl PcapNgReader {
    /// A walker of the current section's enhanced packet blocks from
    /// `start` on, in `mem`.
    pub(crate) fn walker(&self, mem: Arc<Memory>, start: usize) -> PcapNgWalker {
        PcapNgWalker {
            mem,
            start,
            endian: self.endian,
            max_block: self.max_block,
            idbs: self.idbs.clone(),
        }
    }
}

impl PcapNgWalker {
    /// The whole file.
    pub fn memory(&self) -> &Memory {
        &self.mem
    }

    /// How many interfaces the section has described so far.
    pub fn interfaces(&self) -> usize {
        self.idbs.len()
    }

    /// The file's bytes from `at` to at most `end`, to walk, as replay's
    /// pcap walk reads them ([`Window::of`]: the mapping, or copies into
    /// `buf`, as `plan` says). `longer`: a block did not fit in the last
    /// window from `at`, so this one is the mapping's, as long as the
    /// longest block.
    pub fn window<'a>(
        &'a self,
        at: usize,
        end: usize,
        longer: bool,
        buf: &'a mut Vec<u8>,
        plan: &mut (bool, usize),
    ) -> Window<'a> {
        let bytes = self.mem.bytes();
        if !longer {
            return Window::of(&self.mem, at, end.min(bytes.len()), buf, plan);
        }
        // (No block the walk takes is longer than `max_block`.)
        let to = end.min(bytes.len()).min(at + self.max_block as usize);
        Window {
            bytes: bytes.get(at..to).unwrap_or_default(),
            base: at,
            copied: false,
            last: to >= end.min(bytes.len()),
        }
    }

    /// Walks the blocks of `window` from `at` (where a block begins) that
    /// end in it, handing each enhanced packet block of an interface
    /// `take`s to `visit` (with its byte range in the file), which says
    /// whether to go on. Returns where the walk stopped, and why.
    ///
    /// A block is handed on only if the reader would read it as a packet
    /// with the same fields: its lengths within libpcap's limits and its
    /// trailer equal to its header, its interface known, its packet
    /// within the snapshot length and the block. Bytes read from a
    /// mapping are not checked against a shrinking file here: the caller
    /// confirms them ([`Memory::confirm`]) before it hands any on.
    pub fn walk(
        &self,
        window: &Window,
        at: usize,
        take: &[bool],
        visit: &mut impl FnMut(EnhancedPacket<'_>, Range<usize>) -> bool,
    ) -> (usize, Halt) {
        let (bytes, base) = (window.bytes, window.base);
        let mut at = at - base;
        let e = self.endian;
        let mut fetched = at;
        loop {
            let Some(head) = bytes.get(at..at + 8) else {
                return (base + at, Halt::Edge);
            };
            let (block_type, total) = (e.u32(head), e.u32(&head[4..]));
            // An enhanced packet block has 20 bytes before its data.
            if block_type != EPB || total < 32 || total % 4 != 0 || total > self.max_block {
                return (base + at, Halt::Refused);
            }
            let next = at + total as usize;
            let Some(block) = bytes.get(at..next) else {
                return (base + at, Halt::Edge);
            };
            if !window.copied {
                source::prefetch(bytes, next, &mut fetched);
            }
            let body = &block[8..block.len() - 4];
            let id = e.u32(body) as usize;
            let caplen = e.u32(&body[12..]);
            let known = take.get(id).copied().unwrap_or(false);
            let Some(idb) = self.idbs.get(id).filter(|_| known) else {
                return (base + at, Halt::Refused);
            };
            if e.u32(&block[block.len() - 4..]) != total
                || caplen > idb.snapshot
                || 20 + caplen as usize > body.len()
            {
                return (base + at, Halt::Refused);
            }
            let ticks = (u64::from(e.u32(&body[4..])) << 32) | u64::from(e.u32(&body[8..]));
            let packet = EnhancedPacket {
                interface: id,
                ts: idb.timestamp(ticks),
                wirelen: e.u32(&body[16..]),
                data: &body[20..20 + caplen as usize],
                body,
            };
            let more = visit(packet, base + at..base + next);
            at = next;
            if !more {
                return (base + at, Halt::Asked);
            }
        }
    }
}
