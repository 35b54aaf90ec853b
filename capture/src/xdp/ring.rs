//! The reading end of a BPF ring buffer, mapped as the kernel lays it
//! out (`kernel/bpf/ringbuf.c`): a read-write page with the consumer
//! position, then a read-only page with the producer position followed by
//! the data pages mapped twice in a row, so that a record that wraps
//! around the end reads as one slice.
//!
//! Unlike aya's `RingBuf`, which publishes the consumer position after
//! every record, [`Ring::read`] publishes it once per batch, or per 64 KiB
//! (an eighth of a smaller ring) within a long one: the program reads
//! that position for every packet it reserves room for, and each write
//! from here moves its cache line to this CPU.

use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd};
use std::ptr::NonNull;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

use aya::maps::{Map, MapData};
use bpfcap_xdp::RINGBUF_HEADER_LEN;

/// Header bits of a record (`BPF_RINGBUF_BUSY_BIT`, `BPF_RINGBUF_DISCARD_BIT`)
/// and the header's size.
const BUSY: u32 = 1 << 31;
const DISCARD: u32 = 1 << 30;
const HDR: u64 = RINGBUF_HEADER_LEN as u64;

/// One `mmap`ed region, unmapped on drop.
struct Mapping {
    at: NonNull<u8>,
    len: usize,
}

impl Mapping {
    fn new(fd: BorrowedFd<'_>, len: usize, prot: i32, offset: usize) -> io::Result<Mapping> {
        // SAFETY: a fresh shared mapping of the map's fd; the kernel
        // checks the length, protection and offset against the map.
        let at = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                prot,
                libc::MAP_SHARED,
                fd.as_raw_fd(),
                offset as libc::off_t,
            )
        };
        if at == libc::MAP_FAILED {
            return Err(io::Error::last_os_error());
        }
        let at = NonNull::new(at.cast()).ok_or_else(|| io::Error::other("mmap returned null"))?;
        Ok(Mapping { at, len })
    }
}

impl Drop for Mapping {
    fn drop(&mut self) {
        // SAFETY: mapped in `new` with this length, not used afterwards.
        unsafe { libc::munmap(self.at.as_ptr().cast(), self.len) };
    }
}

/// A BPF ring buffer's reading end.
pub(super) struct Ring {
    map: MapData,
    /// The consumer page (read-write).
    consumer: Mapping,
    /// The producer page and the data pages, twice (read-only).
    producer: Mapping,
    page: usize,
    size: u64,
}

// SAFETY: the mappings are plain shared memory owned by this value.
unsafe impl Send for Ring {}

impl Ring {
    /// Maps the ring buffer `map` (a `BPF_MAP_TYPE_RINGBUF`).
    pub(super) fn new(map: Map) -> Result<Ring, String> {
        let Map::RingBuf(map) = map else {
            return Err("the capture map is not a ring buffer".into());
        };
        let size = map.info().map_err(|e| e.to_string())?.max_entries();
        // SAFETY: sysconf has no preconditions.
        let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) } as usize;
        let fd = map.fd().as_fd();
        let consumer = Mapping::new(fd, page, libc::PROT_READ | libc::PROT_WRITE, 0)
            .map_err(|e| format!("mapping the ring buffer: {e}"))?;
        let producer = Mapping::new(fd, page + 2 * size as usize, libc::PROT_READ, page)
            .map_err(|e| format!("mapping the ring buffer: {e}"))?;
        Ok(Ring {
            map,
            consumer,
            producer,
            page,
            size: u64::from(size),
        })
    }

    fn consumer_pos(&self) -> &AtomicU64 {
        // SAFETY: the page starts with the kernel's `consumer_pos`, an
        // aligned u64 that lives as long as the mapping.
        unsafe { &*self.consumer.at.as_ptr().cast::<AtomicU64>() }
    }

    fn producer_pos(&self) -> &AtomicU64 {
        // SAFETY: as above, for the producer page's `producer_pos`.
        unsafe { &*self.producer.at.as_ptr().cast::<AtomicU64>() }
    }

    /// Hands the records in the ring, oldest first, to `f` until it
    /// returns `Ok(false)` (having taken that record), `limit` were
    /// handed over, or the ring holds no more committed records, giving
    /// their room back to the program in a few steps. How many were
    /// handed over.
    pub(super) fn read<E>(
        &mut self,
        limit: usize,
        mut f: impl FnMut(&[u8]) -> Result<bool, E>,
    ) -> Result<usize, E> {
        let start = self.consumer_pos().load(Ordering::Relaxed);
        // Pairs with the kernel's release store after reserving.
        let end = self.producer_pos().load(Ordering::Acquire);
        let mut pos = start;
        let mut published = start;
        // Room is given back every so often within a long batch, so that
        // a small ring does not stay full while the batch is written.
        let every = (self.size / 8).min(64 << 10);
        let mut n = 0;
        let mut result = Ok(());
        while pos < end && n < limit {
            let off = (pos & (self.size - 1)) as usize;
            // SAFETY: `off` is within the first copy of the data pages,
            // which start a page into the mapping; the header is 8-byte
            // aligned (records are), and the kernel commits it with an
            // xchg, which this Acquire load pairs with.
            let header = unsafe {
                &*self
                    .producer
                    .at
                    .as_ptr()
                    .add(self.page + off)
                    .cast::<AtomicU32>()
            }
            .load(Ordering::Acquire);
            if header & BUSY != 0 {
                break;
            }
            let len = header & !(BUSY | DISCARD);
            if u64::from(len) + HDR > self.size {
                break; // cannot be: a corrupt ring is read no further
            }
            let record_end = pos + (u64::from(len) + HDR).next_multiple_of(8);
            if header & DISCARD == 0 {
                // SAFETY: the record lies within the data pages mapped
                // twice, so it is contiguous even when it wraps; the
                // kernel does not touch it until the consumer position
                // passes it, which happens below, after `f` is done.
                let rec = unsafe {
                    std::slice::from_raw_parts(
                        self.producer
                            .at
                            .as_ptr()
                            .add(self.page + off + HDR as usize),
                        len as usize,
                    )
                };
                n += 1;
                match f(rec) {
                    Ok(true) => {}
                    Ok(false) => {
                        pos = record_end;
                        break;
                    }
                    Err(e) => {
                        // The record stays taken, as if written.
                        pos = record_end;
                        result = Err(e);
                        break;
                    }
                }
            }
            pos = record_end;
            if pos - published >= every {
                self.consumer_pos().store(pos, Ordering::Release);
                published = pos;
            }
        }
        if pos != published {
            // Pairs with the kernel's acquire load when reserving: the
            // room is reused only after the reads above.
            self.consumer_pos().store(pos, Ordering::Release);
        }
        result.map(|()| n)
    }
}

impl AsRawFd for Ring {
    fn as_raw_fd(&self) -> i32 {
        self.map.fd().as_fd().as_raw_fd()
    }
}
