//! Compiling stays small in memory where programs test variables.
//!
//! `--semantics protocol` programs walk VLAN tags and IPv6 extension
//! headers with offsets kept in variables, and the optimizer's all-paths
//! facts about those variables once sized a per-value table by a sentinel
//! instead of a value id: `tcp port 80` then took 8 GB (the listings were
//! the same, so only memory showed it). This test binary's allocator
//! refuses any allocation that would take the live total past a cap far
//! above what these compiles need (a few MB), so such a table aborts the
//! test instead of the machine's memory. Nothing here is timed.

use bpfcap_filter::{CompileOptions, LinkType, Semantics, compile};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The most this binary may hold at once.
const CAP: usize = 256 << 20;

/// The system allocator, refusing what would go past [`CAP`] live bytes.
struct Capped;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

impl Capped {
    /// Counts `size` more bytes if the total stays within [`CAP`].
    fn reserve(size: usize) -> bool {
        let mut live = LIVE.load(Ordering::Relaxed);
        loop {
            let Some(next) = live.checked_add(size).filter(|&n| n <= CAP) else {
                return false;
            };
            match LIVE.compare_exchange_weak(live, next, Ordering::Relaxed, Ordering::Relaxed) {
                Ok(_) => {
                    PEAK.fetch_max(next, Ordering::Relaxed);
                    return true;
                }
                Err(now) => live = now,
            }
        }
    }
}

// SAFETY: every call goes to `System` with the caller's layout; only
// the byte count is kept on the side.
unsafe impl GlobalAlloc for Capped {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if !Capped::reserve(layout.size()) {
            return std::ptr::null_mut();
        }
        // SAFETY: the caller's contract for `alloc`, passed on.
        let p = unsafe { System.alloc(layout) };
        if p.is_null() {
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `alloc` above with this layout.
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let old = layout.size();
        if new_size > old && !Capped::reserve(new_size - old) {
            return std::ptr::null_mut();
        }
        // SAFETY: the caller's contract for `realloc`, passed on.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if p.is_null() {
            if new_size > old {
                LIVE.fetch_sub(new_size - old, Ordering::Relaxed);
            }
        } else if new_size < old {
            LIVE.fetch_sub(old - new_size, Ordering::Relaxed);
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Capped = Capped;

/// Expressions whose protocol-semantics programs keep offsets in
/// variables (VLAN tag walks, IPv6 extension headers, MPLS labels), and
/// long enough lists for the all-paths facts to trim "not equal" facts.
const EXPRESSIONS: &[&str] = &[
    "tcp port 80",
    "vlan and tcp",
    "vlan 100 and ip6 and udp",
    "ip6 and tcp and ip6[53] & tcp-syn != 0",
    "host 10.1.2.3 and (tcp port 443 or udp port 53)",
    "net 10.0.0.0/8 and not port 22",
    "mpls and udp port 53",
    "tcp port 21 or tcp port 22 or tcp port 23 or tcp port 25 or tcp port 80 \
     or tcp port 110 or tcp port 143 or tcp port 443 or tcp port 993",
    "not (udp port 53 or udp port 123 or udp port 161 or udp port 514)",
];

#[test]
fn protocol_semantics_compile_in_little_memory() {
    let mut opts = CompileOptions::new(LinkType::EN10MB);
    opts.semantics = Semantics::Protocol;
    for expr in EXPRESSIONS {
        let program = compile(expr, &opts).unwrap_or_else(|e| panic!("{expr}: {e}"));
        assert!(!program.insns().is_empty(), "{expr}");
    }
    let peak = PEAK.load(Ordering::Relaxed);
    assert!(peak < 64 << 20, "peak {peak} bytes");
}

/// Checking libpcap's refusal of a filter that rejects everything replays
/// its optimizer, whose facts grew as a square of a long chain of
/// conjunctions: this one took 820 MB before that replay was bounded.
#[test]
fn a_long_contradictory_conjunction_is_refused_in_little_memory() {
    let expr: Vec<String> = (0..1000)
        .map(|i| format!("tcp dst port {i} and src net 10.0.0.0/16"))
        .collect();
    let err = compile(&expr.join(" and "), &CompileOptions::new(LinkType::EN10MB)).unwrap_err();
    assert_eq!(err.kind, bpfcap_filter::ErrorKind::RejectsAll, "{err}");
}
