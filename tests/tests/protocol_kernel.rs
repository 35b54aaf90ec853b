//! `--semantics protocol` programs against the kernel: on the capture
//! built for them ([`bpfcap_tests::layered`]), the classic program in the
//! reference interpreter, the eBPF one (as a tc classifier, which sees
//! whole frames, and loaded as a socket filter) and the XDP one (all
//! three through the verifier and `BPF_PROG_TEST_RUN`) give the same
//! verdicts, and those are the ones the tests of `cli/tests/semantics.rs`
//! check against tshark.
//!
//! Needs root (CAP_BPF); without it the test says why and passes, except
//! under CI (`CI=true`), where that is a failure.

use bpfcap_capture::bpf::{self, ProgType};
use bpfcap_filter::cbpf::interp;
use bpfcap_filter::ebpf::codegen::{Target, generate_for};
use bpfcap_filter::{CompileOptions, LinkType, Semantics, compile, compile_ebpf, compile_ir};
use bpfcap_tests::layered;

const XDP_DROP: u32 = 1;
const XDP_PASS: u32 = 2;

/// Expressions whose protocol-semantics programs are checked.
const EXPRESSIONS: &[&str] = &[
    "tcp port 80",
    "udp port 53",
    "tcp[13] & 2 != 0",
    "ip6 and tcp",
    "host 10.0.0.1",
    "ip6 host 2001:db8::2",
    "portrange 20-80 and not vlan",
    "vlan 300 or mpls 17 or mpls 20",
    "ip6 proto 44 or ah or ip6 protochain 60",
    "udp[8:4] = 0xdeadbeef or icmp6[0] = 128",
    "less 60",
    "arp or (ip and tcp dst port 22)",
    "(tcp port 80 or tcp port 443 or udp portrange 50-60) and (host 10.0.0.1 or net 2001:db8::/32) and not vlan 5",
    "tcp[tcpflags] & (tcp-syn|tcp-ack) != 0 and (ip6 protochain 43 or ip) or ip6[6] = 44",
];

#[test]
fn protocol_programs_agree_in_every_flavour() {
    if !bpfcap_tests::privileged("the protocol-semantics kernel tests", &[]) {
        return;
    }
    let opts = CompileOptions {
        semantics: Semantics::Protocol,
        ..CompileOptions::new(LinkType::EN10MB)
    };
    let packets = layered::packets();
    for expr in EXPRESSIONS {
        let classic = compile(expr, &opts).unwrap_or_else(|e| panic!("{expr}: {e}"));
        let ebpf = compile_ebpf(expr, &opts).unwrap();
        bpf::load(&ebpf, ProgType::SocketFilter).unwrap_or_else(|e| panic!("{expr}: {e}"));
        let tc = bpf::load(&ebpf, ProgType::SchedCls).unwrap_or_else(|e| panic!("{expr}: {e}"));
        let cfg = compile_ir(expr, &opts).unwrap();
        let xdp = generate_for(&cfg, &Target::xdp(XDP_PASS as i32, XDP_DROP as i32)).unwrap();
        let xdp = bpf::load(&xdp, ProgType::Xdp).unwrap_or_else(|e| panic!("XDP {expr}: {e}"));
        let mut kept = 0;
        // The kernel wants at least an Ethernet header's worth.
        for (name, data) in packets.iter().filter(|p| p.1.len() >= 14) {
            let want = interp::run(&classic, data, data.len() as u32);
            kept += usize::from(want != 0);
            let got = bpf::test_run(&tc, data).unwrap();
            assert_eq!(got, want, "{expr} on {name}");
            let got = bpf::test_run(&xdp, data).unwrap();
            let want = if want != 0 { XDP_PASS } else { XDP_DROP };
            assert_eq!(got, want, "XDP {expr} on {name}");
        }
        assert!(kept > 0, "{expr} keeps nothing");
    }
}
