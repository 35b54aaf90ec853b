//! The JIT's native code must return the reference interpreter's verdict
//! for every valid program and packet, including programs no compiler
//! would emit (scratch memory, X-register arithmetic and shifts, division
//! by a zero X, loads past the packet or at `SKF_AD_OFF`-style offsets),
//! on the packet as given and cut short.
//!
//! Input: instruction count n (byte, taken mod 64, plus 1), n × 8 bytes
//! made into a valid program by `cbpf::arbitrary::program_from_bytes`
//! (opcode index, k mode, jt, jf, k), wire length (u32 LE), then the
//! packet.

#![no_main]

use bpfcap_filter::cbpf::arbitrary::program_from_bytes;
use bpfcap_filter::cbpf::interp;
use bpfcap_filter::cbpf::jit::JitFilter;
use bpfcap_fuzz::program_input;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((code, wirelen, pkt)) = program_input(data) else {
        return;
    };
    let Some(prog) = program_from_bytes(code) else {
        return;
    };
    let Some(jit) = JitFilter::new(&prog) else {
        return;
    };
    for cut in [pkt.len(), pkt.len() / 2, 0] {
        let pkt = &pkt[..cut];
        let want = interp::run(&prog, pkt, wirelen);
        let got = jit.run(pkt, wirelen);
        assert_eq!(want, got, "program {:?}, packet {pkt:02x?}", prog.insns());
    }
});
