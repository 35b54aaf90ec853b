//! Compiling any text for any link type must not panic, and whatever
//! compiles must be a program the kernel would accept.
//!
//! Input: link-type selector byte, flags byte (see `bpfcap_fuzz::options`),
//! then the expression as UTF-8.

#![no_main]

use bpfcap_filter::compile_ebpf;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let [link, flags, rest @ ..] = data else {
        return;
    };
    let Ok(expr) = std::str::from_utf8(rest) else {
        return;
    };
    let opts = bpfcap_fuzz::options(*link, *flags);
    bpfcap_fuzz::check_compile(expr, &opts);
    let _ = compile_ebpf(expr, &opts);
});
