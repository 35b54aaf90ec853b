//! The `bpfcap` binary as a tcpdump user drives it.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use capture::Reader;

fn bpfcap(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_bpfcap"))
        .args(args)
        .env("TZ", "UTC")
        .output()
        .unwrap()
}

fn sample(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../pcaps")
        .join(name)
        .display()
        .to_string()
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("bpfcap-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// (seconds, captured length) of every packet of a capture.
fn packets(bytes: Vec<u8>) -> Vec<(i64, usize)> {
    let mut r = Reader::from_bytes(bytes).unwrap();
    let mut v = Vec::new();
    while let Some(p) = r.next_packet().unwrap() {
        v.push((p.ts.secs - 1_700_000_000, p.data.len()));
    }
    v
}

#[test]
fn syntax_errors_point_at_the_problem() {
    let out = bpfcap(&["-d", "tcp port http x"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        err,
        "bpfcap: syntax error at 14: expected 'and', 'or' or the end of the expression\n  tcp port http x\n                ^\n"
    );
}

#[test]
fn link_type_errors_are_reported() {
    let out = bpfcap(&["-d", "-y", "RAW", "vlan"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("bpfcap: "));
    let out = bpfcap(&["-d", "-y", "NOSUCH", "ip"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("invalid data link type NOSUCH"));
}

#[test]
fn missing_file_is_an_error() {
    let out = bpfcap(&["-r", "/nonexistent/x.pcap", "ip"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/x.pcap"));
}

#[test]
fn replay_writes_the_matching_packets() {
    let out = tmp("udp.pcap");
    let o = bpfcap(&[
        "-r",
        &sample("sample.pcap"),
        "-w",
        out.to_str().unwrap(),
        "udp",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let got: Vec<i64> = packets(std::fs::read(&out).unwrap())
        .into_iter()
        .map(|p| p.0)
        .collect();
    assert_eq!(got, vec![4, 5, 6, 13, 14, 17, 19, 34, 37]);
}

#[test]
fn count_snaplen_and_pipes() {
    // -w - writes to standard output; -c stops; -s cuts.
    let o = bpfcap(&[
        "-r",
        &sample("sample.pcap"),
        "-w",
        "-",
        "-c",
        "2",
        "-s",
        "40",
        "--",
        "tcp",
    ]);
    assert!(o.status.success());
    assert_eq!(packets(o.stdout), vec![(0, 40), (1, 40)]);
    // -r - reads standard input.
    let mut child = Command::new(env!("CARGO_BIN_EXE_bpfcap"))
        .args(["-r", "-", "-w", "-", "icmp"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let input = std::fs::read(sample("sample.pcap")).unwrap();
    child.stdin.take().unwrap().write_all(&input).unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(packets(o.stdout).len(), 3);
}

#[test]
fn pcapng_in_and_out() {
    let out = tmp("multi.pcapng");
    let o = bpfcap(&[
        "-r",
        &sample("sample-multi.pcapng"),
        "-w",
        out.to_str().unwrap(),
        "--pcapng",
        "ip",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let bytes = std::fs::read(&out).unwrap();
    let links: std::collections::BTreeSet<u32> = {
        let mut r = Reader::from_bytes(bytes).unwrap();
        let mut s = std::collections::BTreeSet::new();
        while let Some(p) = r.next_packet().unwrap() {
            s.insert(p.interface.linktype);
        }
        s
    };
    assert_eq!(links.len(), 2);
    // Without --pcapng, two link types cannot go into one pcap file.
    let o = bpfcap(&[
        "-r",
        &sample("sample-multi.pcapng"),
        "-w",
        out.to_str().unwrap(),
        "ip",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--pcapng"));
}

#[test]
fn summaries_without_w() {
    let o = bpfcap(&["-r", &sample("sample.pcap"), "-n", "-c", "1", "tcp"]);
    assert!(o.status.success());
    assert_eq!(
        String::from_utf8(o.stdout).unwrap(),
        "22:13:20.000000 IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [S], seq 1, win 65535, length 0\n"
    );
    assert!(String::from_utf8_lossy(&o.stderr).starts_with("reading from file "));
}

#[test]
fn expression_from_file() {
    let f = tmp("filter.txt");
    std::fs::write(&f, "# only ARP\narp\n").unwrap();
    let o = bpfcap(&[
        "-r",
        &sample("sample.pcap"),
        "-w",
        "-",
        "-F",
        f.to_str().unwrap(),
    ]);
    assert!(o.status.success());
    assert_eq!(packets(o.stdout).len(), 2);
}

/// `-d`, `-dd` and `-ddd` of bpfcap's own programs, against goldens made
/// by bpfcap (run with `BPFCAP_BLESS=1` to rewrite them after a deliberate
/// change to the optimizer or code generator).
#[test]
fn listings_match_goldens() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/goldens/dump");
    let exprs = std::fs::read_to_string(dir.join("expressions.txt")).unwrap();
    let mut got = String::new();
    for line in exprs.lines().filter(|l| !l.is_empty()) {
        let (link, expr) = line.split_once(' ').unwrap();
        for flag in ["-d", "-dd", "-ddd"] {
            let o = bpfcap(&[flag, "-y", link, "--", expr]);
            got += &format!("## {flag} -y {link} {expr}\n");
            got += &String::from_utf8_lossy(&o.stdout);
            got += &String::from_utf8_lossy(&o.stderr);
        }
    }
    let golden = dir.join("listings.txt");
    if std::env::var_os("BPFCAP_BLESS").is_some() {
        std::fs::write(&golden, &got).unwrap();
    }
    let want = std::fs::read_to_string(&golden).unwrap();
    assert!(
        got == want,
        "listings differ from {}; diff them or bless",
        golden.display()
    );
}

#[test]
fn a_closed_pipe_ends_quietly() {
    // Enough packets that bpfcap is still printing when the reader goes.
    let input = std::fs::read(sample("sample.pcap")).unwrap();
    let mut big = input.clone();
    for _ in 0..2000 {
        big.extend_from_slice(&input[24..]);
    }
    let path = tmp("many.pcap");
    std::fs::write(&path, &big).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_bpfcap"))
        .args(["-n", "-r"])
        .arg(&path)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 64];
    std::io::Read::read_exact(child.stdout.as_mut().unwrap(), &mut first).unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(!err.contains("Broken pipe"), "{err}");
}
