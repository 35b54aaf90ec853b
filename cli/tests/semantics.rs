//! `--semantics protocol` against an independent decoder: over the capture
//! built for it ([`bpfcap_tests::layered`]: 802.1Q, QinQ, MPLS×3, IPv6
//! extension headers, first and later fragments), `bpfcap --semantics
//! protocol -r CAP -w OUT EXPR` keeps the packets tshark's display filter
//! for the same question keeps — except for the differences the README's
//! "Protocol semantics" lists, named here packet by packet. With the
//! default semantics, bpfcap keeps what tcpdump (libpcap) keeps.

use std::path::{Path, PathBuf};
use std::process::Command;

use bpfcap_capture::Reader;
use bpfcap_tests::layered;

/// (bpfcap expression, tshark display filter, packets kept by bpfcap
/// only: the documented differences).
const CASES: &[(&str, &str, &[&str])] = &[
    ("tcp port 80", "tcp.port == 80", &[]),
    ("udp port 53", "udp.port == 53", &[]),
    ("tcp[13] & 2 != 0", "tcp.flags.syn == 1", &[]),
    // `tcp` is the transport protocol of every fragment, as libpcap's
    // `tcp` is for IPv4; tshark decodes TCP in the first one only.
    (
        "ip6 and tcp",
        "ipv6 && tcp",
        &["ipv6 later fragment of tcp"],
    ),
    (
        "host 10.0.0.1",
        "ip.addr == 10.0.0.1 || arp.src.proto_ipv4 == 10.0.0.1 || arp.dst.proto_ipv4 == 10.0.0.1",
        &[],
    ),
    ("ip6 host 2001:db8::2", "ipv6.addr == 2001:db8::2", &[]),
    ("vlan 300", "vlan.id == 300", &[]),
    ("mpls", "mpls", &[]),
    ("ip6 proto 44", "ipv6.fraghdr", &[]),
    ("ah", "ah", &[]),
    ("udp", "udp || ip.proto == 17", &[]),
];

fn tmp(name: &str) -> PathBuf {
    bpfcap_tests::temp_path("semantics", name)
}

/// The capture, written once per test run: the tests run in parallel
/// and read it with bpfcap and tcpdump, so writing it again in one test
/// while another reads it would truncate it under the reader.
fn capture() -> PathBuf {
    static CAPTURE: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    CAPTURE
        .get_or_init(|| {
            let path = tmp("layered.pcap");
            layered::write_pcap(&path).unwrap();
            path
        })
        .clone()
}

/// Names of the packets of `file` (by their timestamps: packet `i` of
/// the capture is at second `1_700_000_000 + i`).
fn kept(file: &Path) -> Vec<&'static str> {
    let names = layered::packets();
    let mut r = Reader::open(file).unwrap();
    let mut v = Vec::new();
    while let Some(p) = r.next_packet().unwrap() {
        v.push(names[(p.ts.secs - 1_700_000_000) as usize].0);
    }
    v
}

/// What `bpfcap [--semantics S] -r CAP -w OUT EXPR` keeps.
fn bpfcap_keeps(cap: &Path, semantics: Option<&str>, expr: &str) -> Vec<&'static str> {
    // (Named by the semantics too: two tests may filter with the same
    // expression at the same time.)
    let out = tmp(&format!(
        "out-{}-{}.pcap",
        semantics.unwrap_or("default"),
        expr.replace(|c: char| !c.is_alphanumeric(), "_")
    ));
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_bpfcap"));
    if let Some(s) = semantics {
        cmd.args(["--semantics", s]);
    }
    filtered(cmd, cap, &out, expr)
}

/// What `cmd -r CAP -w OUT EXPR` keeps (bpfcap's or tcpdump's command).
fn filtered(cmd: Command, cap: &Path, out: &Path, expr: &str) -> Vec<&'static str> {
    bpfcap_tests::filter_file(cmd, cap, out, expr);
    kept(out)
}

#[test]
fn protocol_semantics_keep_what_tshark_decodes() {
    if !bpfcap_tests::on_path("tshark") {
        bpfcap_tests::skip(
            "protocol_semantics_keep_what_tshark_decodes",
            "`tshark` is missing",
        );
        return;
    }
    let cap = capture();
    for (expr, display, ours_only) in CASES {
        // No reassembly: each packet is judged by its own headers, as a
        // filter judges it.
        let prefs = ["ip.defragment:FALSE", "ipv6.defragment:FALSE"];
        let names = layered::packets();
        let mut want: Vec<&str> = bpfcap_tests::tshark_frames(&cap, &prefs, display)
            .into_iter()
            .map(|n| names[n - 1].0)
            .collect();
        want.extend(ours_only.iter());
        want.sort();
        let mut got = bpfcap_keeps(&cap, Some("protocol"), expr);
        got.sort();
        assert_eq!(got, want, "{expr} against tshark's {display}");
    }
    // The case: every TCP/80 packet, whatever its encapsulation.
    let port80 = bpfcap_keeps(&cap, Some("protocol"), "tcp port 80");
    for name in [
        "untagged ipv4 tcp 80",
        "802.1q ipv4 tcp 80",
        "qinq ipv4 tcp from 80",
        "mpls x3 ipv4 tcp 80",
        "ipv6 hop-by-hop routing dest-opts tcp 80",
        "ipv6 first fragment tcp 80",
    ] {
        assert!(port80.contains(&name), "{name}: {port80:?}");
    }
}

#[test]
fn libpcap_semantics_stay_the_default() {
    if !bpfcap_tests::on_path("tcpdump") {
        bpfcap_tests::skip("libpcap_semantics_stay_the_default", "`tcpdump` is missing");
        return;
    }
    let cap = capture();
    for (expr, ..) in CASES {
        let libpcap = filtered(Command::new("tcpdump"), &cap, &tmp("tcpdump.pcap"), expr);
        assert_eq!(bpfcap_keeps(&cap, None, expr), libpcap, "{expr}");
        assert_eq!(bpfcap_keeps(&cap, Some("libpcap"), expr), libpcap, "{expr}");
    }
    // And the difference the issue is about.
    assert_eq!(
        bpfcap_keeps(&cap, None, "tcp port 80"),
        ["untagged ipv4 tcp 80", "untagged ipv6 tcp 80"]
    );
}

#[test]
fn every_mode_takes_the_option_and_refuses_unknown_values() {
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_bpfcap"))
            .args(args)
            .output()
            .unwrap()
    };
    let listing = |args: &[&str]| {
        let o = run(args);
        assert!(
            o.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8(o.stdout).unwrap()
    };
    let libpcap = listing(&["-y", "EN10MB", "-d", "tcp port 80"]);
    let protocol = listing(&[
        "--semantics",
        "protocol",
        "-y",
        "EN10MB",
        "-d",
        "tcp port 80",
    ]);
    assert_ne!(libpcap, protocol);
    assert_eq!(
        listing(&[
            "--semantics",
            "libpcap",
            "-y",
            "EN10MB",
            "-d",
            "tcp port 80"
        ]),
        libpcap
    );
    let compiled = |s: &str| {
        listing(&[
            "compile",
            "--semantics",
            s,
            "--target",
            "cbpf",
            "-y",
            "EN10MB",
            "tcp port 80",
        ])
    };
    assert_ne!(compiled("protocol"), compiled("libpcap"));
    for args in [
        &["--semantics", "tshark", "-d", "tcp"][..],
        &["compile", "--semantics", "tshark", "tcp"][..],
    ] {
        let o = run(args);
        assert!(!o.status.success());
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.contains("unknown semantics 'tshark' (expected 'libpcap' or 'protocol')"),
            "{err}"
        );
    }
}
