//! Surviving a mapped capture file that shrinks while it is read (log
//! rotation, a `-C/-W` ring reusing the name, another writer truncating
//! it).
//!
//! Reading a page of a mapping that lies wholly past the file's new end
//! raises SIGBUS, which would kill the process without a word. Readers
//! walk the mapping (replay's fast loop too where the file's pages are
//! mapped 2 MiB at a time), so a process-wide SIGBUS handler makes such a
//! fault harmless: when the faulting address lies in a mapping
//! registered here, the handler replaces the pages from the faulting one
//! to the mapping's end with anonymous zero pages (`MAP_FIXED`), records
//! where the zeroed part starts, and returns, so the access is retried and
//! reads zeros. Faults anywhere else go to the previous disposition (the
//! default one kills the process as before).
//!
//! Zeros must never be mistaken for packets, so the owners of a mapping
//! check it with `Mmap::intact` (in `source`), which is the file's current size
//! (`fstat`) capped at the zeroed part: nothing at or past it is handed
//! on. Bytes between the new end of the file and the end of its last page
//! read as zeros without any fault; the check therefore has to come after
//! the bytes it vouches for were read (see `Mmap::confirm`).
//!
//! Replay's fast loop walks records a window (1 MiB of the mapping) at a
//! time and checks each window once, after filtering it and before any
//! of its records may be handed on; a window that fails the check is
//! taken back and read again record by record, so replay ends exactly
//! where the reader would. (Where it copies the file instead, with
//! `pread`, the copies are the file's bytes whatever happens to it
//! later, and a copy that comes back short ends the walk.)
//! Replay's zero-copy batches are checked on both sides of the copy
//! (`replay::Batch`): records past the file's end are dropped before it,
//! and if the file shrank during it, the output is cut back to the
//! records still inside the file. A packet replay hands on one at a time
//! (pcapng output, summaries) is copied first and the copy checked, so
//! its consumer never reads the mapping. (A caller of `Reader::next_packet`
//! that reads a packet's data from the mapping itself has the instant
//! between the reader's check and its read; the next packet's check
//! reports a cut made in it.)
//!
//! The handler only touches atomics and calls `mmap` and `sigaction`,
//! both async-signal-safe.

use std::sync::Once;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Mappings that can be registered at once (a reader maps one file; more
/// than this many live readers read their further files as streams).
const SLOTS: usize = 64;

/// A registered mapping: its address range and where its zeroed part
/// starts (an offset; `usize::MAX` while nothing is zeroed).
struct Slot {
    start: AtomicUsize,
    len: AtomicUsize,
    zeroed_from: AtomicUsize,
}

#[allow(clippy::declare_interior_mutable_const)] // only as an array initializer
const FREE: Slot = Slot {
    start: AtomicUsize::new(0),
    len: AtomicUsize::new(0),
    zeroed_from: AtomicUsize::new(usize::MAX),
};

static TABLE: [Slot; SLOTS] = [FREE; SLOTS];

/// The disposition of SIGBUS before ours, restored for faults that are
/// not ours. Written once, before our handler is installed.
static mut PREVIOUS: std::mem::MaybeUninit<libc::sigaction> = std::mem::MaybeUninit::uninit();

static INSTALL: Once = Once::new();
static INSTALLED: AtomicUsize = AtomicUsize::new(0);
static PAGE: AtomicUsize = AtomicUsize::new(4096);

/// A mapping registered with the SIGBUS handler; unregisters on drop (the
/// owner must drop it before unmapping).
pub(crate) struct Guard {
    slot: usize,
}

impl Guard {
    /// Registers `len` bytes mapped at `addr`; `None` if the handler could
    /// not be installed or every slot is taken.
    pub fn register(addr: usize, len: usize) -> Option<Guard> {
        install();
        if INSTALLED.load(Ordering::Acquire) == 0 {
            return None;
        }
        for (i, s) in TABLE.iter().enumerate() {
            if s.len
                .compare_exchange(0, len, Ordering::AcqRel, Ordering::Relaxed)
                .is_ok()
            {
                s.zeroed_from.store(usize::MAX, Ordering::Relaxed);
                s.start.store(addr, Ordering::Release);
                return Some(Guard { slot: i });
            }
        }
        None
    }

    /// Where the zeroed part of the mapping starts (`usize::MAX`: nowhere).
    #[inline]
    pub fn zeroed_from(&self) -> usize {
        TABLE[self.slot].zeroed_from.load(Ordering::Acquire)
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        let s = &TABLE[self.slot];
        s.start.store(0, Ordering::Release);
        s.len.store(0, Ordering::Release);
    }
}

/// The system's page size.
pub(crate) fn page_size() -> usize {
    install();
    PAGE.load(Ordering::Relaxed)
}

fn install() {
    INSTALL.call_once(|| {
        // SAFETY: sysconf has no preconditions.
        let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
        if page > 0 {
            PAGE.store(page as usize, Ordering::Relaxed);
        }
        // SAFETY: `PREVIOUS` is written here, once, before the handler
        // that reads it can run; the new action is fully initialized.
        unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = on_sigbus as *const () as usize;
            action.sa_flags = libc::SA_SIGINFO | libc::SA_ONSTACK | libc::SA_NODEFER;
            libc::sigemptyset(&mut action.sa_mask);
            let previous = std::ptr::addr_of_mut!(PREVIOUS).cast::<libc::sigaction>();
            if libc::sigaction(libc::SIGBUS, &action, previous) == 0 {
                INSTALLED.store(1, Ordering::Release);
            }
        }
    });
}

extern "C" fn on_sigbus(_sig: libc::c_int, info: *mut libc::siginfo_t, _ctx: *mut libc::c_void) {
    // SAFETY: the kernel passes a valid siginfo for an SA_SIGINFO handler.
    let addr = unsafe { (*info).si_addr() } as usize;
    let page = PAGE.load(Ordering::Relaxed);
    for s in &TABLE {
        let start = s.start.load(Ordering::Acquire);
        let len = s.len.load(Ordering::Acquire);
        if start == 0 || addr < start || addr - start >= len {
            continue;
        }
        let from = (addr - start) / page * page;
        // SAFETY: replaces pages inside a live registered mapping (its
        // owner unregisters before unmapping) with zero pages of the same
        // protection; nothing else may be mapped there.
        let r = unsafe {
            libc::mmap(
                (start + from) as *mut libc::c_void,
                len - from,
                libc::PROT_READ,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_FIXED,
                -1,
                0,
            )
        };
        if r != libc::MAP_FAILED {
            s.zeroed_from.fetch_min(from, Ordering::AcqRel);
            return;
        }
        break;
    }
    // Not ours (or the pages could not be replaced): put the previous
    // disposition back; returning retries the access, which faults again
    // and meets it.
    // SAFETY: `PREVIOUS` was initialized before this handler was installed.
    unsafe {
        let previous = std::ptr::addr_of!(PREVIOUS).cast::<libc::sigaction>();
        libc::sigaction(libc::SIGBUS, previous, std::ptr::null_mut());
    }
}
