//! The eBPF back end against the kernel: every golden expression compiled
//! to eBPF (with libpcap's semantics and with protocol semantics) must
//! pass the verifier as a socket filter, and, test-run on
//! every sample packet (as a tc classifier, which sees whole frames),
//! return what the classic program returns in the reference interpreter.
//!
//! Needs root (CAP_BPF); without it the test says why and passes, except
//! under CI (`CI=true`), where that is a failure.

use std::path::Path;

use bpfcap_capture::Reader;
use bpfcap_capture::bpf::{self, ProgType};
use bpfcap_filter::cbpf::interp;
use bpfcap_filter::ebpf::asm::kernel_len;
use bpfcap_filter::ebpf::codegen::{Target, generate_for};
use bpfcap_filter::{
    CompileOptions, LinkType, PacketSource, Semantics, compile, compile_ebpf, compile_ir,
};

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
        // Both semantics: protocol's header walk must pass the verifier too.
        let both = [Semantics::Libpcap, Semantics::Protocol];
        for (link, semantics) in links.into_iter().flat_map(|l| both.map(|s| (l, s))) {
            let opts = CompileOptions {
                semantics,
                ..CompileOptions::new(link)
            };
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
                    assert_eq!(
                        got, want,
                        "{pcap} {link} {semantics}: {expr} on {data:02x?}"
                    );
                    let got = bpf::test_run(&xdp, data).unwrap();
                    let want = if want != 0 { XDP_PASS } else { XDP_DROP };
                    assert_eq!(
                        got, want,
                        "XDP {pcap} {link} {semantics}: {expr} on {data:02x?}"
                    );
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

/// An Ethernet/IPv4/UDP frame from port 5000 to `port` with `payload`.
fn udp_to(port: u16, payload: &[u8]) -> Vec<u8> {
    let mut f = vec![0u8; 42];
    f[12] = 0x08;
    f[14] = 0x45;
    f[16..18].copy_from_slice(&((28 + payload.len()) as u16).to_be_bytes());
    f[22] = 64;
    f[23] = 17;
    f[34..36].copy_from_slice(&5000u16.to_be_bytes());
    f[36..38].copy_from_slice(&port.to_be_bytes());
    f[38..40].copy_from_slice(&((8 + payload.len()) as u16).to_be_bytes());
    f.extend_from_slice(payload);
    f
}

/// Large programs in the kernel: 2,000 tests of UDP payload bytes (each
/// reads the IP header length and then the byte: two legacy loads, which
/// the verifier rewrites into six or seven instructions each, so jumps
/// from the first tests to "accept" span more than 32767 instructions
/// once rewritten), and 1,000 ports. Both load as socket filters, tc
/// classifiers and XDP programs, and return what the classic programs
/// return in the reference interpreter, on frames that match and frames
/// that do not.
#[test]
fn large_programs_load_and_agree_with_classic_ones() {
    if !privileged() {
        return;
    }
    const BYTES: usize = 2000;
    let value = |k: usize| (k % 250 + 1) as u8;
    let bytes: Vec<String> = (0..BYTES)
        .map(|k| format!("udp[{}] = {}", 8 + k, value(k)))
        .collect();
    let ports: Vec<String> = (0..1000)
        .map(|i| format!("port {}", 1000 + 3 * i))
        .collect();
    let mut frames = Vec::new();
    for port in [1000, 1003, 3997, 999, 1001, 4000] {
        frames.push(udp_to(port, &[0; 32]));
    }
    for k in [0, 1, BYTES / 2, BYTES - 1] {
        let mut payload = vec![0u8; BYTES];
        payload[k] = value(k);
        frames.push(udp_to(9, &payload));
        payload[k] = value(k).wrapping_add(1);
        frames.push(udp_to(9, &payload));
    }
    let opts = CompileOptions::new(LinkType::EN10MB);
    for (what, expr) in [("bytes", bytes.join(" or ")), ("ports", ports.join(" or "))] {
        let classic = compile(&expr, &opts).unwrap();
        let ebpf = compile_ebpf(&expr, &opts).unwrap();
        if what == "bytes" {
            let rewritten: usize = ebpf.insns().iter().map(kernel_len).sum();
            assert!(rewritten > i16::MAX as usize, "{rewritten}");
        }
        bpf::load(&ebpf, ProgType::SocketFilter).unwrap_or_else(|e| panic!("{what}: {e}"));
        let tc = bpf::load(&ebpf, ProgType::SchedCls).unwrap_or_else(|e| panic!("{what}: {e}"));
        let xdp = generate_for(
            &compile_ir(&expr, &opts).unwrap(),
            &Target::xdp(XDP_PASS as i32, XDP_DROP as i32),
        )
        .unwrap();
        let xdp = bpf::load(&xdp, ProgType::Xdp).unwrap_or_else(|e| panic!("XDP {what}: {e}"));
        let mut matched = 0;
        for (i, f) in frames.iter().enumerate() {
            let want = interp::run(&classic, f, f.len() as u32);
            matched += usize::from(want != 0);
            assert_eq!(bpf::test_run(&tc, f).unwrap(), want, "{what}: frame {i}");
            let want = if want != 0 { XDP_PASS } else { XDP_DROP };
            assert_eq!(
                bpf::test_run(&xdp, f).unwrap(),
                want,
                "XDP {what}: frame {i}"
            );
        }
        assert!(matched >= 3, "{what}: {matched} frames match");
    }
}

/// Packet metadata in eBPF (`inbound`, `outbound`, `ifindex`, `ifname`)
/// passes the verifier as a socket filter, a tc classifier and XDP, and
/// reads what the kernel says: a test run is a packet received on `lo`
/// (index 1 in the test's network namespace; an unknown destination MAC
/// makes it `PACKET_OTHERHOST`, not `PACKET_OUTGOING`). XDP sees only
/// received packets.
#[test]
fn packet_metadata_reads_the_kernels_answers() {
    if !privileged() {
        return;
    }
    let lo = bpfcap_capture::devices::indexes()
        .unwrap()
        .into_iter()
        .find(|(name, _)| name == "lo")
        .expect("lo")
        .1;
    let opts = CompileOptions {
        source: PacketSource::Kernel {
            interfaces: vec![("lo".into(), lo), ("other".into(), lo + 1000)],
            only: None,
        },
        ..CompileOptions::new(LinkType::EN10MB)
    };
    let frame = udp_to(53, b"query");
    for (expr, matches) in [
        ("inbound and udp", true),
        ("outbound", false),
        ("ifname lo and inbound", true),
        ("ifname other", false),
        (&format!("ifindex {lo}") as &str, true),
    ] {
        let ebpf = compile_ebpf(expr, &opts).unwrap();
        bpf::load(&ebpf, ProgType::SocketFilter).unwrap_or_else(|e| panic!("{expr}: {e}"));
        let tc = bpf::load(&ebpf, ProgType::SchedCls).unwrap_or_else(|e| panic!("{expr}: {e}"));
        let got = bpf::test_run(&tc, &frame).unwrap();
        assert_eq!(got != 0, matches, "tc {expr}");
        let cfg = compile_ir(expr, &opts).unwrap();
        let xdp = generate_for(&cfg, &Target::xdp(XDP_PASS as i32, XDP_DROP as i32)).unwrap();
        let xdp = bpf::load(&xdp, ProgType::Xdp).unwrap_or_else(|e| panic!("XDP {expr}: {e}"));
        let want = if matches { XDP_PASS } else { XDP_DROP };
        assert_eq!(bpf::test_run(&xdp, &frame).unwrap(), want, "XDP {expr}");
    }
}
