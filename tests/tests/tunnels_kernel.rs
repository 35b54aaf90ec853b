//! `vxlan` and `inner(...)` in the kernel: each expression of the tunnel
//! tests (`bpfcap_tests::tunnels::FILTERS`, whose offline verdicts agree
//! with tshark's) passes the verifier as an eBPF socket filter, a tc
//! classifier and an XDP program, and, test-run (`BPF_PROG_TEST_RUN`) on
//! every frame of the tunnel capture, returns what the classic program
//! returns in the reference interpreter.
//!
//! The eBPF runs need root (CAP_BPF); without it that test says why and
//! passes, except under CI (`CI=true`), where that is a failure. The
//! classic programs are attached to a socket with no privileges.

use bpfcap_capture::bpf::{self, ProgType};
use bpfcap_filter::cbpf::interp;
use bpfcap_filter::ebpf::codegen::{Target, generate_for};
use bpfcap_filter::{CompileOptions, LinkType, compile, compile_ebpf, compile_ir};
use bpfcap_tests::tunnels::{FILTERS, frames};

fn tunnels() -> CompileOptions {
    CompileOptions {
        tunnels: true,
        ..CompileOptions::new(LinkType::EN10MB)
    }
}

const XDP_DROP: u32 = 1;
const XDP_PASS: u32 = 2;

#[test]
fn tunnel_filters_agree_in_socket_filters_and_xdp() {
    if !bpfcap_tests::privileged("the tunnel kernel tests", &[]) {
        return;
    }
    let frames = frames();
    let opts = tunnels();
    for (expr, _) in FILTERS {
        let classic = compile(expr, &opts).unwrap();
        let ebpf = compile_ebpf(expr, &opts).unwrap();
        bpf::load(&ebpf, ProgType::SocketFilter).unwrap_or_else(|e| panic!("{expr}: {e}"));
        let tc = bpf::load(&ebpf, ProgType::SchedCls).unwrap_or_else(|e| panic!("{expr}: {e}"));
        let xdp = generate_for(
            &compile_ir(expr, &opts).unwrap(),
            &Target::xdp(XDP_PASS as i32, XDP_DROP as i32),
        )
        .unwrap();
        let xdp = bpf::load(&xdp, ProgType::Xdp).unwrap_or_else(|e| panic!("XDP {expr}: {e}"));
        let mut matched = 0;
        for (what, data) in &frames {
            let want = interp::run(&classic, data, data.len() as u32);
            matched += usize::from(want != 0);
            assert_eq!(bpf::test_run(&tc, data).unwrap(), want, "{expr} on {what}");
            let want = if want != 0 { XDP_PASS } else { XDP_DROP };
            assert_eq!(
                bpf::test_run(&xdp, data).unwrap(),
                want,
                "XDP {expr} on {what}"
            );
        }
        // Every expression but `inner(vlan)` keeps some frame.
        assert!(
            matched > 0 || *expr == "inner(vlan)",
            "{expr} keeps nothing"
        );
    }
}

/// The classic programs pass the kernel's checker too (which refuses a
/// read of scratch memory some path has not written): attached to a UDP
/// socket with `SO_ATTACH_FILTER`, which needs no privileges.
#[test]
fn tunnel_filters_attach_as_classic_socket_filters() {
    let sock = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    for (expr, _) in FILTERS {
        let filter = bpfcap_capture::Filter::from_program(compile(expr, &tunnels()).unwrap());
        filter
            .attach(&sock)
            .unwrap_or_else(|e| panic!("{expr}: {e}"));
    }
}
