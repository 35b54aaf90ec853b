//! The fast executor must agree with the reference interpreter on every
//! valid program and packet, including programs no compiler would emit
//! (scratch memory, X-register arithmetic, loads past the packet).
//!
//! Input: instruction count n (byte, taken mod 64, plus 1), n × 8 bytes
//! of `code: u16 LE, jt: u8, jf: u8, k: u32 LE`, wire length (u32 LE),
//! then the packet.

#![no_main]

use bpfcap_filter::cbpf::fast::Executor;
use bpfcap_filter::cbpf::{Insn, Program, interp};
use bpfcap_fuzz::program_input;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((code, wirelen, pkt)) = program_input(data) else {
        return;
    };
    let insns = code
        .chunks_exact(8)
        .map(|c| Insn {
            code: u16::from_le_bytes([c[0], c[1]]),
            jt: c[2],
            jf: c[3],
            k: u32::from_le_bytes([c[4], c[5], c[6], c[7]]),
        })
        .collect();
    let Ok(prog) = Program::new(insns) else {
        return;
    };
    let want = interp::run(&prog, pkt, wirelen);
    let got = Executor::new(&prog).run(pkt, wirelen);
    assert_eq!(want, got, "program {:?}", prog.insns());
});
