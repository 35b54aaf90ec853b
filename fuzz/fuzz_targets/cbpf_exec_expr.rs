//! The fast executor must agree with the reference interpreter on
//! compiled filters: their shape (fused load-and-test pairs, variable
//! header offsets in X) is what the executor's fast paths are for.
//!
//! Input: expression, a NUL byte, then the packet. The packet's first
//! byte, if any, also picks a second link type to compile for (after
//! EN10MB), so the same bytes are tried as another link layer.

#![no_main]

use bpfcap_filter::cbpf::fast::Executor;
use bpfcap_filter::cbpf::interp;
use bpfcap_filter::{CompileOptions, LinkType, compile};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(nul) = data.iter().position(|&b| b == 0) else {
        return;
    };
    let Ok(expr) = std::str::from_utf8(&data[..nul]) else {
        return;
    };
    let pkt = &data[nul + 1..];
    let mut opts = vec![CompileOptions::new(LinkType::EN10MB)];
    if let Some(&sel) = pkt.first() {
        opts.push(bpfcap_fuzz::options(sel, 1));
    }
    for opts in &opts {
        let Ok(prog) = compile(expr, opts) else {
            continue;
        };
        let exec = Executor::new(&prog);
        // A whole packet, and one cut to a snapshot length (wire length
        // beyond the captured bytes: `len`, `greater` and loads past the
        // end must still agree).
        let caplen = pkt.len() as u32;
        for wirelen in [caplen, caplen.saturating_add(1500), u32::MAX] {
            let want = interp::run(&prog, pkt, wirelen);
            let got = exec.run(pkt, wirelen);
            assert_eq!(
                want,
                got,
                "{expr:?} on {} (wirelen {wirelen}): {:?}",
                opts.link_type,
                prog.insns()
            );
        }
    }
});
