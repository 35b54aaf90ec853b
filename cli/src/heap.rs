//! Room on the heap for compiling a long expression.
//!
//! Compiling a long filter (1,000 `host` alternatives) builds graphs of
//! several megabytes and frees them pass after pass. With glibc's
//! defaults, each vector over the mmap threshold is mapped fresh and
//! unmapped when freed, the heap's top is given back as soon as it is
//! free, and every page is faulted in one 4 KiB page at a time: on the
//! VM this was measured on, a fault costs about 2.7 µs, and the 2,480
//! faults of `bpfcap -d -F` on 1,000 hosts were a third of its 17–18 ms.
//!
//! So before compiling an expression long enough for that to matter, in
//! the runs that only compile (`-d`, `bpfcap compile`: captures, which
//! run on, keep the C library's defaults), the heap is grown once to
//! about what the compile will use, kept (no trim, no mmap for the
//! passes' vectors), and marked for transparent huge pages, which the
//! kernel then faults in 2 MiB at a time. Short
//! expressions (every interactive one) are left alone: they fit in the
//! pages the process has anyway, and a huge page would cost more to clear
//! than they save. Where the kernel has no transparent huge pages, or the
//! C library is not glibc, this does nothing or only the first part.

/// Expressions shorter than this compile in well under a megabyte.
const LONG: usize = 4096;

/// Heap a compile uses per byte of expression, over-estimated (1,000
/// hosts, 18.5 KB, peak at about 8 MB): room that goes unused costs
/// address space, not memory.
const BYTES_PER_BYTE: usize = 1024;

/// Prepares the heap for compiling an expression of `len` bytes.
pub fn room_for_compiling(len: usize) {
    if len >= LONG {
        #[cfg(all(target_os = "linux", target_env = "gnu"))]
        glibc::grow(len.saturating_mul(BYTES_PER_BYTE));
    }
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
mod glibc {
    use libc::{M_MMAP_THRESHOLD, M_TOP_PAD, M_TRIM_THRESHOLD, c_int};

    /// The largest mmap threshold glibc takes (half its 64 MiB heap
    /// size on 64-bit systems): vectors below it come from the heap.
    const MMAP_THRESHOLD: usize = 32 << 20;
    /// A transparent huge page.
    const HUGE: usize = 2 << 20;

    /// Grows the heap by about `bytes` (at most [`MMAP_THRESHOLD`]), keeps
    /// it, and asks for huge pages there.
    pub fn grow(bytes: usize) {
        let bytes = bytes.min(MMAP_THRESHOLD - HUGE);
        let keep = c_int::try_from(4 * bytes).unwrap_or(c_int::MAX);
        // SAFETY: mallopt, malloc, free and sbrk(0) are called as glibc
        // documents them; madvise only gives advice, on pages of our own
        // heap (a range beyond it fails, harmlessly).
        unsafe {
            libc::mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD as c_int);
            libc::mallopt(M_TRIM_THRESHOLD, keep);
            libc::mallopt(M_TOP_PAD, HUGE as c_int);
            // A block this size comes from the top of the heap, which it
            // extends; freed, it stays there as the top chunk.
            let block = libc::malloc(bytes);
            if block.is_null() {
                return;
            }
            libc::free(block);
            let top = libc::sbrk(0) as usize;
            let start = (block as usize).next_multiple_of(HUGE);
            let end = top / HUGE * HUGE;
            if start < end {
                libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_HUGEPAGE);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The prepared heap serves, keeps and frees blocks of every size as
    /// before (here: more than the room made, and more than the mmap
    /// threshold).
    #[test]
    fn a_prepared_heap_allocates_as_before() {
        room_for_compiling(LONG);
        for size in [16, 4096, 1 << 20, 5 << 20, 40 << 20] {
            let block = vec![0x5au8; size];
            assert!(block.iter().step_by(4096).all(|&b| b == 0x5a));
        }
        room_for_compiling(10 * LONG);
    }
}
