//! Compiling any text for any link type must not panic, and whatever
//! compiles must be a program the kernel would accept.
//!
//! Input: link-type selector byte, flags byte (see `bpfcap_fuzz::options`),
//! then the expression as UTF-8.

#![no_main]

use filter_compiler::cbpf::validate::validate;
use filter_compiler::{compile, compile_ebpf};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let [link, flags, rest @ ..] = data else {
        return;
    };
    let Ok(expr) = std::str::from_utf8(rest) else {
        return;
    };
    let opts = bpfcap_fuzz::options(*link, *flags);
    match compile(expr, &opts) {
        // `Program` validates on construction, but codegen could build one
        // through a path that skips that; check the kernel's rules again.
        Ok(prog) => {
            if let Err(e) = validate(prog.insns()) {
                panic!("invalid program for {expr:?}: {e}\n{:?}", prog.insns());
            }
        }
        // The CLI prints errors this way; spans must index the text.
        Err(e) => {
            let _ = e.render(expr);
        }
    }
    let _ = compile_ebpf(expr, &opts);
});
