//! SIGINT/SIGTERM/SIGHUP end a run between packets, so output files are
//! always closed after a whole record (SIGHUP as in tcpdump, which ends
//! on it unless `nohup` ignores it). In a run with `--set`, SIGHUP asks
//! for the sets to be read again instead (see [`crate::sets::Reload`]).

use std::sync::atomic::{AtomicBool, Ordering};

static STOP: AtomicBool = AtomicBool::new(false);
static RELOAD: AtomicBool = AtomicBool::new(false);
static HUP_RELOADS: AtomicBool = AtomicBool::new(false);

extern "C" fn on_signal(sig: libc::c_int) {
    if sig == libc::SIGHUP && HUP_RELOADS.load(Ordering::Relaxed) {
        RELOAD.store(true, Ordering::Relaxed);
    } else {
        STOP.store(true, Ordering::Relaxed);
    }
}

/// From now on SIGHUP asks for a reload ([`take_reload`]) rather than a
/// stop.
pub fn reload_on_hangup() {
    HUP_RELOADS.store(true, Ordering::Relaxed);
}

/// Whether a reload was asked for since the last call.
pub fn take_reload() -> bool {
    RELOAD.swap(false, Ordering::Relaxed)
}

/// Installs the handlers (once, at the start of a run).
pub fn install() {
    for sig in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
        // SAFETY: the handler only stores to an atomic, which is
        // async-signal-safe; the sigaction struct is fully initialised.
        unsafe {
            let mut act: libc::sigaction = std::mem::zeroed();
            act.sa_sigaction = on_signal as *const () as usize;
            libc::sigemptyset(&mut act.sa_mask);
            libc::sigaction(sig, &act, std::ptr::null_mut());
        }
    }
}

/// Whether a stop was asked for.
pub fn stopped() -> bool {
    STOP.load(Ordering::Relaxed)
}
