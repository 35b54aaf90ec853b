//! What the XDP test binaries share (each file under `tests/` is its own
//! crate; this module is included by those that need it).

use aya::Ebpf;
use aya::programs::{TestRun, TestRunOptions, Xdp};
use bpfcap_xdp::XdpObject;

/// The XDP action the loaded program of `ebpf` returns for `frame`, from
/// one `BPF_PROG_TEST_RUN`.
pub fn test_run(ebpf: &mut Ebpf, frame: &[u8]) -> u32 {
    let prog: &mut Xdp = ebpf
        .program_mut(XdpObject::PROGRAM)
        .unwrap()
        .try_into()
        .unwrap();
    prog.test_run(TestRunOptions {
        data_in: Some(frame),
        repeat: 1,
        ..Default::default()
    })
    .expect("BPF_PROG_TEST_RUN")
    .return_value
}
