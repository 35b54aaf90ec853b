//! Where a reader's bytes come from: a memory-mapped file (zero-copy, the
//! common case for offline replay of big files), bytes in memory, or a
//! stream such as a pipe, copied through a buffer.
//!
//! Both hand out byte ranges into one slice, [`Source::bytes`], so the
//! decoders are written once. A record's header and data are contiguous in
//! that slice, which lets writers copy whole records verbatim.
//!
//! A mapped file may shrink while it is read; [`super::shrink`] keeps
//! that from killing the process, and [`Source::confirm`] from handing on
//! bytes that are no longer the file's.

use std::fs::File;
use std::io::{self, Read};
use std::ops::Range;
use std::os::fd::AsRawFd;
use std::os::unix::fs::FileExt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::thread::JoinHandle;

use super::ReadError;
use super::shrink::{self, Guard};

/// A read-only private mapping of a whole file.
pub struct Mmap {
    ptr: *mut libc::c_void,
    len: usize,
    /// Started by [`Mmap::populate`] once a reader walks the mapping
    /// itself; replay's fast loop copies the file instead (see
    /// [`Mmap::read_at`]) and leaves the pages unmapped.
    populator: OnceLock<Option<Populator>>,
    /// Registration with the SIGBUS handler (dropped before unmapping).
    guard: Option<Guard>,
    /// The file, to learn its current size once it may have shrunk.
    file: File,
    /// The system's page size.
    page: usize,
}

/// A huge page (a page table's worth of pages) on x86-64 and aarch64.
const HUGE_PAGE: usize = 2 << 20;

/// The calling thread's minor page faults so far.
fn minor_faults() -> Option<i64> {
    // SAFETY: getrusage fills the struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: as above; RUSAGE_THREAD exists since Linux 2.6.26.
    let r = unsafe { libc::getrusage(libc::RUSAGE_THREAD, &mut usage) };
    (r == 0).then_some(usage.ru_minflt as i64)
}

/// `MADV_POPULATE_READ` (Linux 5.14), not in every libc crate version.
const MADV_POPULATE_READ: libc::c_int = 22;

/// A thread that faults the mapping's pages in ahead of the reader, so the
/// kernel's share of the work (a page-table entry per 4 KiB page) runs on
/// another CPU while the reader decodes.
struct Populator {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Populator {
    fn start(addr: usize, len: usize) -> Option<Populator> {
        const CHUNK: usize = 2 << 20;
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::Builder::new()
            .name("bpfcap-populate".into())
            .spawn(move || {
                let mut off = 0;
                while off < len && !flag.load(Ordering::Relaxed) {
                    let n = CHUNK.min(len - off);
                    // SAFETY: a hint on a range of the live mapping (the
                    // owner joins this thread before unmapping); an error
                    // (old kernel) just ends the prefaulting.
                    let r = unsafe {
                        libc::madvise((addr + off) as *mut libc::c_void, n, MADV_POPULATE_READ)
                    };
                    if r != 0 {
                        break;
                    }
                    off += n;
                }
            })
            .ok()?;
        Some(Populator {
            stop,
            thread: Some(thread),
        })
    }
}

impl Drop for Populator {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Mmap {
    /// Maps `file`; `None` if it is empty or cannot be mapped safely
    /// (then it is read as a stream instead).
    fn new(file: File) -> Result<Mmap, File> {
        match Mmap::map(&file) {
            Some((ptr, len)) => match Guard::register(ptr as usize, len) {
                Some(guard) => Ok(Mmap {
                    ptr,
                    len,
                    populator: OnceLock::new(),
                    guard: Some(guard),
                    file,
                    page: shrink::page_size(),
                }),
                None => {
                    // SAFETY: unmapping what `map` just mapped, unused.
                    unsafe { libc::munmap(ptr, len) };
                    Err(file)
                }
            },
            None => Err(file),
        }
    }

    /// Maps the whole of `file` for reading.
    fn map(file: &File) -> Option<(*mut libc::c_void, usize)> {
        let len = usize::try_from(file.metadata().ok()?.len()).ok()?;
        if len == 0 {
            return None;
        }
        // SAFETY: a fresh read-only private mapping of an open descriptor;
        // the result is checked before use.
        let ptr = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ,
                libc::MAP_PRIVATE,
                file.as_raw_fd(),
                0,
            )
        };
        if ptr == libc::MAP_FAILED {
            return None;
        }
        // SAFETY: advice on the mapping just made; failure is harmless.
        unsafe { libc::madvise(ptr, len, libc::MADV_SEQUENTIAL) };
        Some((ptr, len))
    }

    /// Has the pages from `from` on faulted in by a thread of their own,
    /// ahead of a reader that walks the mapping (once; later calls do
    /// nothing).
    fn populate(&self, from: usize) {
        let from = from.min(self.len) & !(self.page - 1);
        self.populator
            .get_or_init(|| Populator::start(self.ptr as usize + from, self.len - from));
    }

    /// Copies the file's bytes from `at` into `buf` with `pread`, as many
    /// as it holds (fewer only at the file's end, or if it shrank); how
    /// many. An error reads as the end: the mapping's reader reports it.
    ///
    /// Replay's fast loop reads this way: copying into a small buffer
    /// that stays in the cache costs the kernel less than mapping each
    /// 4 KiB page and unmapping it again (about 0.21 s against 0.37 s of
    /// CPU for a walk over a 1 GB capture), and what was read stays the
    /// file's bytes even if the file shrinks afterwards.
    pub(crate) fn read_at(&self, at: usize, buf: &mut [u8]) -> usize {
        let mut got = 0;
        while got < buf.len() {
            match self.file.read_at(&mut buf[got..], (at + got) as u64) {
                Ok(0) => break,
                Ok(n) => got += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => break,
            }
        }
        got
    }

    /// Whether reading the mapping from `at` on costs less than copying
    /// the file ([`Mmap::read_at`]): where the page cache holds the file
    /// in 2 MiB folios (as after reading it from disk, on recent
    /// kernels), a page fault maps 2 MiB at once and walking the mapping
    /// costs the kernel nothing more; where it holds 4 KiB pages (a file
    /// written in small pieces and still cached), mapping and unmapping
    /// each page costs more than copying it.
    ///
    /// Probed on the first whole 2 MiB block at or after `at`: its first
    /// byte is read, then its last page's; if that faults again, the
    /// block is mapped page by page. (Pages mapped already cost nothing
    /// either.)
    pub(crate) fn cheap_at(&self, at: usize) -> bool {
        let block = at.next_multiple_of(HUGE_PAGE);
        if block + HUGE_PAGE > self.len {
            return false;
        }
        let base = self.ptr as *const u8;
        // SAFETY: in bounds of the live mapping; a fault past the file's
        // end is handled (see `shrink`), and the caller confirms what it
        // reads.
        unsafe { std::ptr::read_volatile(base.add(block)) };
        let before = minor_faults();
        // SAFETY: as above.
        unsafe { std::ptr::read_volatile(base.add(block + HUGE_PAGE - self.page)) };
        before.is_some() && minor_faults() == before
    }

    pub(crate) fn bytes(&self) -> &[u8] {
        // SAFETY: the mapping is `len` readable bytes until dropped: if
        // the file shrinks, the SIGBUS handler puts zero pages where the
        // file's pages were (see `shrink`).
        unsafe { std::slice::from_raw_parts(self.ptr as *const u8, self.len) }
    }

    /// How many of the mapping's bytes are still the file's: its current
    /// size, capped at the pages the SIGBUS handler zeroed. Only bytes
    /// read before this call are vouched for.
    pub fn intact(&self) -> usize {
        let zeroed = self.guard.as_ref().map_or(usize::MAX, Guard::zeroed_from);
        let size = match self.file.metadata() {
            Ok(m) => usize::try_from(m.len()).unwrap_or(usize::MAX),
            // A file whose size cannot be learned cannot be trusted.
            Err(_) => 0,
        };
        self.len.min(size).min(zeroed)
    }

    /// Checks, after they were read, that bytes up to `end` were still the
    /// file's when read. Touching the first byte of the page after `end`
    /// does it without a system call: if the file had shrunk to below
    /// `end` before the bytes were read, that whole page is past the end
    /// now, so the touch faults and the handler marks the mapping zeroed.
    /// Only in the mapping's last page is the file's size asked for.
    #[inline]
    pub(crate) fn confirm(&self, end: usize) -> Result<(), ReadError> {
        // The page size is a power of two.
        let next_page = (end + self.page - 1) & !(self.page - 1);
        if next_page < self.len {
            // SAFETY: in bounds of the live mapping; a fault is handled.
            unsafe { std::ptr::read_volatile((self.ptr as *const u8).add(next_page)) };
            if self.guard.as_ref().map_or(usize::MAX, Guard::zeroed_from) == usize::MAX {
                return Ok(());
            }
        }
        self.check(end)
    }

    /// The slow part of [`Mmap::confirm`].
    #[cold]
    fn check(&self, end: usize) -> Result<(), ReadError> {
        let intact = self.intact();
        if end > intact {
            return Err(ReadError::Shrunk {
                size: intact as u64,
            });
        }
        Ok(())
    }
}

impl Drop for Mmap {
    fn drop(&mut self) {
        // The populating thread must be done with the range first, and
        // the handler must no longer replace pages in it.
        drop(self.populator.take());
        drop(self.guard.take());
        // SAFETY: unmapping exactly what `new` mapped, once.
        unsafe { libc::munmap(self.ptr, self.len) };
    }
}

/// Bytes of a whole capture held in memory, shared so that a consumer can
/// keep slices of records while the reader moves on.
pub enum Memory {
    #[doc(hidden)]
    Map(Mmap),
    #[doc(hidden)]
    Owned(Vec<u8>),
}

impl Memory {
    /// The whole file.
    pub fn bytes(&self) -> &[u8] {
        match self {
            Memory::Map(m) => m.bytes(),
            Memory::Owned(v) => v,
        }
    }

    /// How many bytes are still those of the input (see [`Mmap::intact`]):
    /// all of them unless a mapped file shrank.
    pub fn intact(&self) -> usize {
        match self {
            Memory::Map(m) => m.intact(),
            Memory::Owned(v) => v.len(),
        }
    }

    /// The mapped file, if the bytes are one.
    pub(crate) fn mapped(&self) -> Option<&Mmap> {
        match self {
            Memory::Map(m) => Some(m),
            Memory::Owned(_) => None,
        }
    }

    /// Checks, after they were read, that the bytes up to `end` were
    /// still the input's when read (see [`Mmap::confirm`]).
    #[inline]
    pub(crate) fn confirm(&self, end: usize) -> Result<(), ReadError> {
        match self {
            Memory::Map(m) => m.confirm(end),
            Memory::Owned(_) => Ok(()),
        }
    }
}

pub(crate) enum Source {
    Memory {
        mem: Arc<Memory>,
        pos: usize,
        /// How far ahead of `pos` the cache has been asked to fetch.
        fetched: usize,
        /// Where this source's part of the bytes ends.
        end: usize,
        /// Where reading on from the last seek without one has the pages
        /// of a mapped file faulted in ahead ([`Mmap::populate`]);
        /// `usize::MAX` once done, or for bytes not mapped.
        populate_at: usize,
    },
    Stream {
        input: Box<dyn Read + Send>,
        buf: Vec<u8>,
    },
}

// SAFETY: the mapping is read-only and owned; nothing aliases it mutably,
// so it may move between threads and be read from several.
unsafe impl Send for Mmap {}
unsafe impl Sync for Mmap {}

const STREAM_BUFFER: usize = 1 << 20;

/// How far a reader walks a mapped file on its own before the rest is
/// faulted in ahead of it: replay's fast loop seeks past what it copied
/// ([`Mmap::read_at`]), and a record it leaves the reader must not set a
/// thread mapping the rest of the file.
const POPULATE_AFTER: usize = 1 << 20;

impl Source {
    /// A file: mapped into memory if possible, else read as a stream.
    pub fn file(file: File) -> Source {
        match Mmap::new(file) {
            Ok(map) => Source::Memory {
                end: map.len,
                mem: Arc::new(Memory::Map(map)),
                pos: 0,
                fetched: 0,
                populate_at: POPULATE_AFTER,
            },
            Err(file) => Source::stream(Box::new(file)),
        }
    }

    pub fn bytes_owned(data: Vec<u8>) -> Source {
        Source::Memory {
            end: data.len(),
            mem: Arc::new(Memory::Owned(data)),
            pos: 0,
            fetched: 0,
            populate_at: usize::MAX,
        }
    }

    pub fn stream(input: Box<dyn Read + Send>) -> Source {
        Source::Stream {
            input: Box::new(io::BufReader::with_capacity(STREAM_BUFFER, input)),
            buf: Vec::with_capacity(65536),
        }
    }

    /// The slice the ranges returned by [`Source::take`] index.
    #[inline]
    pub fn bytes(&self) -> &[u8] {
        match self {
            Source::Memory { mem, .. } => mem.bytes(),
            Source::Stream { buf, .. } => buf,
        }
    }

    /// The whole input, if it is in memory.
    pub fn shared(&self) -> Option<Arc<Memory>> {
        match self {
            Source::Memory { mem, .. } => Some(mem.clone()),
            Source::Stream { .. } => None,
        }
    }

    /// How far an in-memory source has been read.
    pub fn position(&self) -> Option<usize> {
        match self {
            Source::Memory { pos, .. } => Some(*pos),
            Source::Stream { .. } => None,
        }
    }

    /// Checks that the bytes read so far were the file's when read (a
    /// mapped file may have shrunk): called before a record is handed on.
    #[inline]
    pub fn confirm(&self) -> Result<(), ReadError> {
        match self {
            Source::Memory { mem, pos, .. } => mem.confirm(*pos),
            Source::Stream { .. } => Ok(()),
        }
    }

    /// Moves an in-memory source to `to` (within its bytes).
    pub fn seek(&mut self, to: usize) {
        if let Source::Memory {
            pos,
            fetched,
            end,
            populate_at,
            ..
        } = self
        {
            *pos = to.min(*end);
            *fetched = *pos;
            if *populate_at != usize::MAX {
                *populate_at = pos.saturating_add(POPULATE_AFTER);
            }
        }
    }

    /// Starts a new record: a stream may reuse its buffer from here on.
    #[inline]
    pub fn begin(&mut self) {
        if let Source::Stream { buf, .. } = self {
            buf.clear();
        }
    }

    /// The next `n` bytes, following those taken since [`Source::begin`];
    /// `Ok(None)` if the input ended exactly before them.
    #[inline]
    pub fn take(&mut self, n: usize) -> Result<Option<Range<usize>>, ReadError> {
        match self {
            Source::Memory {
                mem,
                pos,
                fetched,
                end,
                populate_at,
            } => {
                let bytes = &mem.bytes()[..*end];
                let len = bytes.len();
                let start = *pos;
                if start >= *populate_at {
                    *populate_at = usize::MAX;
                    if let Some(map) = mem.mapped() {
                        map.populate(start);
                    }
                }
                prefetch(bytes, start + n, fetched);
                let left = len - start;
                if left >= n {
                    *pos += n;
                    Ok(Some(start..start + n))
                } else if left == 0 {
                    Ok(None)
                } else {
                    *pos = len;
                    Err(ReadError::Truncated {
                        wanted: n,
                        got: left,
                    })
                }
            }
            Source::Stream { input, buf } => {
                let start = buf.len();
                let got = fill(input, buf, n)?;
                match got {
                    _ if got == n => Ok(Some(start..start + n)),
                    0 => Ok(None),
                    _ => Err(ReadError::Truncated { wanted: n, got }),
                }
            }
        }
    }

    /// Like [`Source::take`], but the end of input is an error too.
    pub fn need(&mut self, n: usize) -> Result<Range<usize>, ReadError> {
        self.take(n)?
            .ok_or(ReadError::Truncated { wanted: n, got: 0 })
    }

    /// Skips `n` bytes.
    pub fn skip(&mut self, n: usize) -> Result<(), ReadError> {
        match self {
            Source::Memory { .. } => self.need(n).map(drop),
            Source::Stream { input, .. } => {
                let skipped = io::copy(&mut input.take(n as u64), &mut io::sink())?;
                if skipped < n as u64 {
                    return Err(ReadError::Truncated {
                        wanted: n,
                        got: skipped as usize,
                    });
                }
                Ok(())
            }
        }
    }
}

/// The first bytes of a stream's buffer: more is allocated only as bytes
/// arrive.
const FIRST_CHUNK: usize = 64 << 10;

/// Appends up to `n` bytes of `input` to `buf`; returns how many came
/// before the end of the input. The buffer grows with the bytes that
/// actually arrive (at most doubling), never to a length a header merely
/// claims: a few hundred bytes saying "256 MiB follow" cost no 256 MiB.
fn fill(input: &mut impl Read, buf: &mut Vec<u8>, n: usize) -> io::Result<usize> {
    let start = buf.len();
    let want = start + n;
    while buf.len() < want {
        let at = buf.len();
        let chunk = (want - at).min(at.max(FIRST_CHUNK));
        buf.resize(at + chunk, 0);
        let mut got = 0;
        while got < chunk {
            match input.read(&mut buf[at + got..]) {
                Ok(0) => break,
                Ok(k) => got += k,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    buf.truncate(at + got);
                    return Err(e);
                }
            }
        }
        buf.truncate(at + got);
        if got < chunk {
            break;
        }
    }
    Ok(buf.len() - start)
}

/// How far ahead of the reading position to have the cache fetch. Records
/// are read in order, but the hardware prefetcher stops at page boundaries
/// and the pages of a mapped file are scattered in memory; without this
/// every new page costs a full memory latency on the first header read.
const PREFETCH_AHEAD: usize = 8192;

/// Asks the cache for the lines of `bytes` up to `upto + PREFETCH_AHEAD`
/// not asked for yet (`fetched` remembers how far that is).
#[inline]
pub(crate) fn prefetch(bytes: &[u8], upto: usize, fetched: &mut usize) {
    let end = (upto + PREFETCH_AHEAD).min(bytes.len());
    #[cfg(target_arch = "x86_64")]
    while *fetched < end {
        // SAFETY: prefetching is only a hint and cannot fault; the
        // address is in bounds anyway.
        unsafe {
            use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
            _mm_prefetch::<_MM_HINT_T0>(bytes.as_ptr().add(*fetched).cast());
        }
        *fetched += 64;
    }
    *fetched = (*fetched).max(end);
}
