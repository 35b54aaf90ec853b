//! A just-in-time compiler from classic BPF to native code, for filtering
//! in user space (offline replay, filters too long for the kernel).
//!
//! Only x86-64 on Unix is supported: [`JitFilter::new`] returns `None`
//! elsewhere, and also when the system refuses executable memory (e.g. a
//! policy forbidding `PROT_EXEC` after `PROT_WRITE`); callers fall back to
//! the [fast executor](super::fast::Executor) — [`super::Runner`] does.
//!
//! The code is written into an anonymous private mapping that is readable
//! and writable, then turned read-and-execute with `mprotect` before it is
//! ever called (W^X: never writable and executable at once), and unmapped
//! when the filter is dropped. Translation is a pass over the program
//! (repeated a few times to pick short jumps); `cargo bench -p
//! filter-compiler --bench compile` prints its cost, tens of microseconds
//! for everyday filters (mostly the mapping's system calls).

#[cfg(all(target_arch = "x86_64", unix))]
mod x86_64;

#[cfg(test)]
mod tests;

use super::Program;

/// A classic BPF program compiled to native code.
pub struct JitFilter {
    #[cfg(all(target_arch = "x86_64", unix))]
    code: exec::ExecMemory,
    #[cfg(all(target_arch = "x86_64", unix))]
    entry: Entry,
}

#[cfg(all(target_arch = "x86_64", unix))]
type Entry = unsafe extern "sysv64" fn(*const u8, usize, u32) -> u32;

impl JitFilter {
    /// Compiles `prog` to native code; `None` when this platform has no
    /// JIT or executable memory cannot be had.
    pub fn new(prog: &Program) -> Option<JitFilter> {
        #[cfg(all(target_arch = "x86_64", unix))]
        {
            let code = exec::ExecMemory::new(&x86_64::compile(prog)).ok()?;
            // SAFETY: the memory holds a function with this signature
            // (see x86_64.rs), it is executable and lives as long as
            // `self`.
            let entry = unsafe { std::mem::transmute::<*const u8, Entry>(code.as_ptr()) };
            Some(JitFilter { code, entry })
        }
        #[cfg(not(all(target_arch = "x86_64", unix)))]
        {
            let _ = prog;
            None
        }
    }

    /// The largest packet [`JitFilter::run`] takes: the generated code
    /// uses 32-bit displacements for packet offsets.
    pub const MAX_CAPLEN: usize = i32::MAX as usize;

    /// Runs the program; same contract as [`super::interp::run`], for
    /// packets of at most [`JitFilter::MAX_CAPLEN`] bytes (longer ones
    /// are rejected with 0; [`super::Runner`] hands them to the
    /// interpreter instead).
    #[inline]
    pub fn run(&self, pkt: &[u8], wirelen: u32) -> u32 {
        #[cfg(all(target_arch = "x86_64", unix))]
        {
            if pkt.len() > Self::MAX_CAPLEN {
                return 0;
            }
            // SAFETY: the code reads at most `pkt.len()` bytes from
            // `pkt.as_ptr()` (every load is bounds-checked against the
            // length passed, or proven within it), writes only the
            // 64-byte red zone below the stack pointer, and calls nothing.
            unsafe { (self.entry)(pkt.as_ptr(), pkt.len(), wirelen) }
        }
        #[cfg(not(all(target_arch = "x86_64", unix)))]
        {
            let _ = (pkt, wirelen);
            unreachable!("no JitFilter exists on this platform")
        }
    }

    /// The machine code (for listings and tests).
    pub fn code(&self) -> &[u8] {
        #[cfg(all(target_arch = "x86_64", unix))]
        {
            self.code.bytes()
        }
        #[cfg(not(all(target_arch = "x86_64", unix)))]
        {
            &[]
        }
    }
}

impl std::fmt::Debug for JitFilter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JitFilter")
            .field("code_bytes", &self.code().len())
            .finish()
    }
}

#[cfg(all(target_arch = "x86_64", unix))]
mod exec {
    use std::io;
    use std::ptr::NonNull;

    /// Read-and-execute memory holding a copy of some machine code.
    pub(super) struct ExecMemory {
        ptr: NonNull<u8>,
        /// Bytes of code.
        len: usize,
        /// Bytes mapped (whole pages).
        mapped: usize,
    }

    // SAFETY: the mapping is never written after `new` returns (it is
    // read-and-execute only) and is owned by this value alone.
    unsafe impl Send for ExecMemory {}
    // SAFETY: as above: shared access only reads or executes it.
    unsafe impl Sync for ExecMemory {}

    impl ExecMemory {
        /// Maps `code` read+write, copies it in, then makes the mapping
        /// read+execute.
        pub(super) fn new(code: &[u8]) -> io::Result<ExecMemory> {
            // SAFETY: sysconf has no preconditions.
            let page = usize::try_from(unsafe { libc::sysconf(libc::_SC_PAGESIZE) })
                .ok()
                .filter(|&p| p > 0)
                .unwrap_or(4096);
            let mapped = code.len().max(1).div_ceil(page) * page;
            // SAFETY: a fresh anonymous private mapping; no existing
            // memory is affected.
            let ptr = unsafe {
                libc::mmap(
                    std::ptr::null_mut(),
                    mapped,
                    libc::PROT_READ | libc::PROT_WRITE,
                    libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                    -1,
                    0,
                )
            };
            if ptr == libc::MAP_FAILED {
                return Err(io::Error::last_os_error());
            }
            let mem = ExecMemory {
                ptr: NonNull::new(ptr.cast()).expect("mmap returned a non-null address"),
                len: code.len(),
                mapped,
            };
            // SAFETY: the mapping is `mapped >= code.len()` bytes,
            // writable, and no one else refers to it.
            unsafe {
                std::ptr::copy_nonoverlapping(code.as_ptr(), mem.ptr.as_ptr(), code.len());
            }
            // SAFETY: the range is exactly our mapping.
            let rc = unsafe {
                libc::mprotect(
                    mem.ptr.as_ptr().cast(),
                    mapped,
                    libc::PROT_READ | libc::PROT_EXEC,
                )
            };
            if rc != 0 {
                return Err(io::Error::last_os_error()); // `mem` unmaps it.
            }
            Ok(mem)
        }

        pub(super) fn as_ptr(&self) -> *const u8 {
            self.ptr.as_ptr()
        }

        pub(super) fn bytes(&self) -> &[u8] {
            // SAFETY: the first `len` bytes were initialized in `new` and
            // stay readable (and unchanged) until `drop`.
            unsafe { std::slice::from_raw_parts(self.ptr.as_ptr(), self.len) }
        }
    }

    impl Drop for ExecMemory {
        fn drop(&mut self) {
            // SAFETY: the range is exactly our mapping, which nothing
            // refers to any more.
            unsafe {
                libc::munmap(self.ptr.as_ptr().cast(), self.mapped);
            }
        }
    }
}
