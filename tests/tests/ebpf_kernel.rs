//! The eBPF back end against the kernel: every golden expression compiled
//! to eBPF must pass the verifier as a socket filter, and, test-run on
//! every sample packet (as a tc classifier, which sees whole frames),
//! return what the classic program returns in the reference interpreter.
//!
//! Needs root (CAP_BPF); without it the test says why and passes, except
//! under CI (`CI=true`), where that is a failure.

use std::path::Path;

use capture::Reader;
use capture::bpf::{self, ProgType};
use filter_compiler::cbpf::interp;
use filter_compiler::ebpf::codegen::{Target, generate_for};
use filter_compiler::{CompileOptions, compile, compile_ebpf, compile_ir};

const XDP_DROP: u32 = 1;
const XDP_PASS: u32 = 2;

/// Root, or a skip (a failure under CI).
fn privileged() -> bool {
    bpfcap_tests::privileged("the eBPF kernel tests", &[])
}

#[test]
fn ebpf_programs_load_and_agree_with_classic_ones() {
    if !privileged() {
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let exprs = std::fs::read_to_string(root.join("tests/goldens/expressions.txt")).unwrap();
    let (mut programs, mut runs) = (0, 0);
    for pcap in [
        "sample.pcap",
        "sample-sll.pcap",
        "sample-snap96.pcap",
        "sample-multi.pcapng",
    ] {
        let mut reader = Reader::open(&root.join("pcaps").join(pcap)).unwrap();
        let mut packets = Vec::new();
        while let Some(p) = reader.next_packet().unwrap() {
            packets.push((p.interface.link_type(), p.data.to_vec()));
        }
        let links: std::collections::BTreeSet<_> = packets.iter().map(|p| p.0).collect();
        for link in links {
            let opts = CompileOptions::new(link);
            for expr in exprs.lines() {
                let Ok(classic) = compile(expr, &opts) else {
                    continue;
                };
                let ebpf = compile_ebpf(expr, &opts).unwrap();
                bpf::load(&ebpf, ProgType::SocketFilter).unwrap_or_else(|e| panic!("{expr}: {e}"));
                let tc =
                    bpf::load(&ebpf, ProgType::SchedCls).unwrap_or_else(|e| panic!("{expr}: {e}"));
                let cfg = compile_ir(expr, &opts).unwrap();
                let xdp =
                    generate_for(&cfg, &Target::xdp(XDP_PASS as i32, XDP_DROP as i32)).unwrap();
                let xdp =
                    bpf::load(&xdp, ProgType::Xdp).unwrap_or_else(|e| panic!("XDP {expr}: {e}"));
                programs += 1;
                // The kernel wants at least an Ethernet header's worth.
                for (_, data) in packets.iter().filter(|p| p.0 == link && p.1.len() >= 14) {
                    let want = interp::run(&classic, data, data.len() as u32);
                    let got = bpf::test_run(&tc, data).unwrap();
                    assert_eq!(got, want, "{pcap} {link}: {expr} on {data:02x?}");
                    let got = bpf::test_run(&xdp, data).unwrap();
                    let want = if want != 0 { XDP_PASS } else { XDP_DROP };
                    assert_eq!(got, want, "XDP {pcap} {link}: {expr} on {data:02x?}");
                    runs += 1;
                }
            }
        }
    }
    assert!(
        programs > 200 && runs > 3000,
        "{programs} programs, {runs} runs"
    );
}
