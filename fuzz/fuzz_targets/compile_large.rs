//! The optimizer on long expressions: up to `MAX_COPIES` copies of a
//! template, joined into long alternatives, conjunctions or deep nesting,
//! must compile or fail with an error — never panic, and never take
//! memory growing faster than the expression. Run it with libFuzzer's
//! `-rss_limit_mb` (see README.md), which turns a super-linear structure
//! into an out-of-memory finding.
//!
//! Input: link-type selector byte, flags byte (see `bpfcap_fuzz::options`;
//! the optimizer is always on), two bytes of copy count (little-endian,
//! modulo `MAX_COPIES`), join-mode byte (see `bpfcap_fuzz::join_mode`),
//! then the template as UTF-8, `#` standing for the copy's number.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let [link, flags, lo, hi, mode, rest @ ..] = data else {
        return;
    };
    // A long template makes a slow input, not a deeper test.
    if rest.len() > 200 {
        return;
    }
    let Ok(template) = std::str::from_utf8(rest) else {
        return;
    };
    let count = usize::from(u16::from_le_bytes([*lo, *hi])) % bpfcap_fuzz::MAX_COPIES + 1;
    let expr = bpfcap_fuzz::expand(template, count, *mode);
    bpfcap_fuzz::check_compile(&expr, &bpfcap_fuzz::options(*link, *flags | 1));
});
