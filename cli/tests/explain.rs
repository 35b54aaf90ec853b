//! `bpfcap explain`'s output, held to golden files: several expressions
//! over the sample captures, and packets given in hexadecimal (TCP, UDP,
//! ARP, IPv6, VLAN-tagged, truncated); and under `--semantics protocol`
//! over the sample capture and the layered one (VLAN, QinQ, MPLS, IPv6
//! extension headers, fragments). `BLESS=1 cargo test -p bpfcap --test
//! explain` rewrites the goldens after a deliberate change.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// `bpfcap explain ARGS`, run from the repository's root in a UTF-8
/// locale (or none, for `ascii`): what it printed on both streams and
/// its exit status.
fn explain(args: &[&str], utf8: bool) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_bpfcap"))
        .arg("explain")
        .args(args)
        .current_dir(root())
        .env_remove("LC_CTYPE")
        .env("LC_ALL", if utf8 { "C.UTF-8" } else { "C" })
        .output()
        .unwrap();
    format!(
        "{}{}exit {}\n",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
        out.status.code().unwrap_or(-1)
    )
}

/// Hex packets: Ethernet frames of each kind the goldens show.
const TCP_443: &str = "020000000002 020000000001 0800 \
    4500002800014000400600000a0000010a000002 \
    c822 01bb 00000001 00000000 5002ffff 00000000";
const UDP_53: &str = "020000000002 020000000001 0800 \
    4500001c00010000401100000a0000010a000002 \
    d431 0035 0008 0000";
const ARP_REQUEST: &str = "ffffffffffff 020000000001 0806 \
    0001 0800 06 04 0001 020000000001 0a000001 000000000000 0a000002";
const IPV6_TCP_80: &str = "020000000002 020000000001 86dd \
    6000000000140640 20010db8000000000000000000000001 20010db8000000000000000000000002 \
    9c40 0050 00000001 00000000 5002ffff 00000000";
const VLAN_TCP_80: &str = "020000000002 020000000001 8100 0064 0800 \
    4500002800014000400600000a0000010a000002 \
    9c40 0050 00000001 00000000 5002ffff 00000000";
/// The TCP frame cut in its ports.
const TRUNCATED: &str = "020000000002 020000000001 0800 \
    4500002800014000400600000a0000010a000002 c822";

fn cases() -> Vec<(Vec<&'static str>, bool)> {
    let file =
        |f: &'static str, c: &'static str, e: &'static str| (vec!["-r", f, "-c", c, e], true);
    let hex = |h: &'static str, e: &'static str| (vec!["--hex", h, e], true);
    vec![
        file("pcaps/sample.pcap", "39", "tcp port 80"),
        file("pcaps/sample.pcap", "39", "udp and (port 53 or port 67)"),
        file("pcaps/sample.pcap", "12", "arp or ip6"),
        file("pcaps/sample.pcap", "12", "vlan and tcp"),
        file("pcaps/sample.pcap", "8", "host 10.0.0.1 and not tcp"),
        file("pcaps/sample.pcap", "6", "tcp[13] & 2 != 0 or len > 1000"),
        file("pcaps/sample-snap96.pcap", "39", "ip[100] = 1 or ip6"),
        file("pcaps/sample-sll.pcap", "6", "inbound and udp"),
        file(
            "pcaps/sample-multi.pcapng",
            "6",
            "ip and src net 10.0.0.0/8",
        ),
        file("pcaps/sample.pcap", "3", ""),
        hex(TCP_443, "tcp dst port 80"),
        hex(TCP_443, "tcp and (port 443 or port 8443)"),
        hex(UDP_53, "udp port 53 and ip dst 10.0.0.2"),
        hex(ARP_REQUEST, "arp and arp[7] = 1"),
        hex(IPV6_TCP_80, "ip6 and tcp port 80"),
        hex(IPV6_TCP_80, "ip6 src 2001:db8::9"),
        hex(VLAN_TCP_80, "tcp port 80"),
        hex(VLAN_TCP_80, "vlan 100 and tcp port 80"),
        hex(TRUNCATED, "tcp dst port 443"),
        (vec!["--ascii", "--hex", TCP_443, "tcp port 80"], true),
        (
            vec!["--hex", VLAN_TCP_80, "vlan and ip host 10.0.0.2"],
            false,
        ),
        (
            vec![
                "-y",
                "RAW",
                "--hex",
                "4500001c00010000401100000a0000010a000002d43100350008",
                "udp",
            ],
            true,
        ),
        (vec!["--hex", "0g", "ip"], true),
        (vec!["-r", "pcaps/sample.pcap", "tcp port"], true),
    ]
}

#[test]
fn explanations_match_the_goldens() {
    let cases: Vec<(Vec<String>, bool)> = cases()
        .into_iter()
        .map(|(args, utf8)| (args.into_iter().map(String::from).collect(), utf8))
        .collect();
    check_golden("explain.txt", &cases, |a| a.to_owned());
}

/// Protocol semantics: the header walk summarised in one step, its
/// variables named in the primitives' steps.
#[test]
fn protocol_explanations_match_the_goldens() {
    let layered = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("explain-layered.pcap");
    bpfcap_tests::layered::write_pcap(&layered).unwrap();
    let path = layered.to_str().unwrap();
    let file = |f: &str, c: &str, e: &str| {
        let args = ["--semantics", "protocol", "-r", f, "-c", c, e];
        (args.map(String::from).to_vec(), true)
    };
    let cases = vec![
        file("pcaps/sample.pcap", "12", "tcp port 80"),
        file(
            "pcaps/sample.pcap",
            "12",
            "ip host 10.0.0.1 and tcp[13] & 2 != 0",
        ),
        file("pcaps/sample-sll.pcap", "6", "udp port 53 or ip6"),
        file(path, "30", "tcp port 80"),
        file(path, "30", "udp and port 53"),
        file(path, "30", "ip6 and tcp[13] & 0x10 != 0"),
        file(path, "30", "vlan 100 or mpls"),
        file(path, "30", "ip6 proto 44 or arp"),
        (
            [
                "--ascii",
                "--semantics",
                "protocol",
                "-r",
                path,
                "-c",
                "4",
                "tcp port 80",
            ]
            .map(String::from)
            .to_vec(),
            true,
        ),
    ];
    check_golden("protocol.txt", &cases, |a| {
        if a == path {
            "layered.pcap".to_owned()
        } else {
            a.to_owned()
        }
    });
}

/// `bpfcap explain` over `cases`, held to `tests/goldens/explain/NAME`;
/// each command line is shown with its arguments through `shown`.
fn check_golden(name: &str, cases: &[(Vec<String>, bool)], shown: impl Fn(&str) -> String) {
    let mut text = String::new();
    for (args, utf8) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let quoted: Vec<String> = args.iter().map(|a| format!("'{}'", shown(a))).collect();
        let locale = if *utf8 { "" } else { "LC_ALL=C " };
        text.push_str(&format!("$ {locale}bpfcap explain {}\n", quoted.join(" ")));
        text.push_str(&explain(&args, *utf8));
        text.push('\n');
    }
    let golden = root().join("tests/goldens/explain").join(name);
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(&golden, &text).unwrap();
    }
    let want = std::fs::read_to_string(&golden).unwrap();
    if want != text {
        let first = want
            .lines()
            .zip(text.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(want.lines().count().min(text.lines().count()));
        panic!(
            "explain output differs from {} at line {}:\nwant: {:?}\ngot:  {:?}\n(BLESS=1 rewrites the golden)",
            golden.display(),
            first + 1,
            want.lines().nth(first),
            text.lines().nth(first)
        );
    }
}
