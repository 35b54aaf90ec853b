//! The `bpfcap` binary as a tcpdump user drives it.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use bpfcap_capture::Reader;

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
        "Warning: assuming Ethernet\nbpfcap: syntax error at 14: expected 'and', 'or' or the end of the expression\n  tcp port http x\n                ^\n"
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

/// `bpfcap -d -F FILE` on `expr` under an address-space limit of `bytes`;
/// `None` (and `test` skipped) without `prlimit`.
fn listing_within(test: &str, expr: &str, bytes: u64) -> Option<std::process::Output> {
    if !bpfcap_tests::on_path("prlimit") {
        bpfcap_tests::skip(test, "`prlimit` is missing");
        return None;
    }
    let f = tmp(&format!("{test}.txt"));
    std::fs::write(&f, expr).unwrap();
    let o = Command::new("prlimit")
        .arg(format!("--as={bytes}"))
        .arg(env!("CARGO_BIN_EXE_bpfcap"))
        .args(["-d", "-F", f.to_str().unwrap()])
        .output()
        .unwrap();
    Some(o)
}

/// 50,000 alternatives under a 2 GiB address-space limit: the
/// optimizer's memory grows with the expression, so this compiles — or,
/// at worst, fails with a clear error. It used to ask for a 1.25 GB bit
/// set and abort (and compiled on a thread with a 1 GiB stack).
#[test]
fn a_huge_filter_compiles_within_a_memory_limit() {
    let alternatives: Vec<String> = (0..50_000)
        .map(|i| format!("ether[{}] = 1 and ether[{}] = 2", 2 * i, 2 * i + 1))
        .collect();
    let Some(o) = listing_within(
        "a_huge_filter_compiles_within_a_memory_limit",
        &alternatives.join(" or "),
        2 << 30,
    ) else {
        return;
    };
    let err = String::from_utf8_lossy(&o.stderr);
    match o.status.code() {
        Some(0) => assert!(o.stdout.starts_with(b"(000) "), "{err}"),
        Some(1) => assert!(err.starts_with("bpfcap: error"), "{err}"),
        _ => panic!("{:?}: {err}", o.status),
    }
}

/// 16,000 `host` alternatives (96,438 instructions) compile under a 300
/// MiB address-space limit, the bound issue 15 sets: everything the
/// compiler keeps grows in proportion to the expression. The optimizer's
/// nodes x nodes bit set took 1.2 GB here.
#[test]
fn sixteen_thousand_hosts_compile_in_300_mib() {
    let hosts: Vec<String> = (0..16_000)
        .map(|i| format!("host 10.{}.{}.{}", i >> 16, (i >> 8) & 255, i & 255))
        .collect();
    let Some(o) = listing_within(
        "sixteen_thousand_hosts_compile_in_300_mib",
        &hosts.join(" or "),
        300 << 20,
    ) else {
        return;
    };
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{:?}: {err}", o.status);
    let last = o.stdout.split(|&b| b == b'\n').rev().nth(1).unwrap();
    assert!(last.ends_with(b"ret      #0"), "{err}");
    assert!(o.stdout.iter().filter(|&&b| b == b'\n').count() > 90_000);
}

/// Runs bpfcap with `args` and returns its exit status and the lines it
/// wrote to stderr.
fn failing(args: &[&str]) -> (Option<i32>, Vec<String>) {
    let out = bpfcap(args);
    let err = String::from_utf8_lossy(&out.stderr);
    (out.status.code(), err.lines().map(str::to_string).collect())
}

#[test]
fn bad_input_gets_one_clear_line() {
    let garbage = tmp("garbage.pcap");
    std::fs::write(&garbage, b"this is not a capture file\n").unwrap();
    let empty = tmp("empty.pcap");
    std::fs::write(&empty, b"").unwrap();
    let sample = sample("sample.pcap");
    let cases: [(&[&str], &str); 8] = [
        (
            &["--xdp", "-r", &sample, "tcp"],
            "bpfcap: --xdp is for live capture: give -i INTERFACE",
        ),
        (
            &["--ebpf", "-d", "tcp"],
            "bpfcap: --ebpf is for live capture: give -i INTERFACE",
        ),
        (
            &["-i", "nosuch0", "tcp"],
            "bpfcap: nosuch0: no such interface (bpfcap -D lists them)",
        ),
        (
            &["-i", "nosuch0", "--xdp", "tcp"],
            "bpfcap: nosuch0: no such interface (bpfcap -D lists them)",
        ),
        (
            &["-r", garbage.to_str().unwrap(), "tcp"],
            &format!("bpfcap: {}: unknown file format", garbage.display()),
        ),
        (
            &["-r", empty.to_str().unwrap()],
            &format!(
                "bpfcap: {}: file is empty; no capture file header",
                empty.display()
            ),
        ),
        (&["-r", "/", "tcp"], "bpfcap: /: Is a directory"),
        (
            &["-r", "/nonexistent/x.pcap", "ip"],
            "bpfcap: /nonexistent/x.pcap: No such file or directory",
        ),
    ];
    for (args, want) in cases {
        assert_eq!(failing(args), (Some(1), vec![want.to_string()]), "{args:?}");
    }
}

#[test]
fn unwritable_output_is_reported_after_the_header_line() {
    let (code, lines) = failing(&["-r", &sample("sample.pcap"), "-w", "/nonexistent/o.pcap"]);
    assert_eq!(code, Some(1));
    assert_eq!(
        lines.last().map(String::as_str),
        Some("bpfcap: /nonexistent/o.pcap: No such file or directory")
    );
    assert_eq!(lines.len(), 2, "{lines:?}");
}

/// Capturing without the privilege says so, in one line, and exits 1.
/// As root the binary is run as `nobody` (with util-linux's setpriv).
#[test]
fn capturing_without_privileges_says_what_is_missing() {
    // SAFETY: geteuid has no preconditions.
    let root = unsafe { libc::geteuid() } == 0;
    if root && !bpfcap_tests::on_path("setpriv") {
        bpfcap_tests::skip(
            "capturing_without_privileges_says_what_is_missing",
            "running as root without setpriv",
        );
        return;
    }
    let cases: [(&[&str], &str); 3] = [
        (
            &["-i", "lo", "-c", "1", "tcp"],
            "bpfcap: lo: you don't have permission to capture on that device (socket: Operation not permitted); run as root or with CAP_NET_RAW",
        ),
        (
            &["-i", "lo", "--ebpf", "-c", "1", "tcp"],
            "bpfcap: lo: you don't have permission to capture on that device (socket: Operation not permitted); run as root or with CAP_NET_RAW",
        ),
        (
            &["-i", "lo", "--xdp", "--action", "drop", "tcp"],
            "bpfcap: you don't have permission to load XDP programs",
        ),
    ];
    for (args, want) in cases {
        let mut cmd = if root {
            let mut c = Command::new("setpriv");
            c.args([
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
                "--inh-caps=-all",
                env!("CARGO_BIN_EXE_bpfcap"),
            ]);
            c
        } else {
            Command::new(env!("CARGO_BIN_EXE_bpfcap"))
        };
        let out = cmd.args(args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(err.starts_with(want), "{args:?}: {err}");
    }
}

/// A filter longer than the kernel's 4096 instructions still replays, as
/// in tcpdump: 1000 unrelated hosts added to `host 10.0.0.1` keep exactly
/// the packets `host 10.0.0.1` keeps.
#[test]
fn filters_longer_than_the_kernel_takes_replay() {
    let many: Vec<String> = (0..1000)
        .map(|i| format!("host 172.{}.{}.9", 16 + i / 250, i % 250))
        .collect();
    let long = format!("host 10.0.0.1 or {}", many.join(" or "));
    let listing = bpfcap(&["-d", &long]);
    assert!(listing.status.success());
    assert!(String::from_utf8_lossy(&listing.stdout).lines().count() > 4096);
    let kept = |expr: &str| {
        let out = bpfcap(&["-r", &sample("sample.pcap"), "-w", "-", expr]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        packets(out.stdout)
    };
    let want = kept("host 10.0.0.1");
    assert!(!want.is_empty());
    assert_eq!(kept(&long), want);
}

/// Writes 2500 IPv4 frames of 1000 bytes, one a second, numbered in
/// their first IP header bytes: 2.5 MB for -C 1 to split.
fn write_2500_frames(path: &Path) {
    use bpfcap_capture::{FileFormat, Interface, Timestamp, Writer};
    let eth = Interface {
        linktype: 1,
        snaplen: 65535,
        big_endian: false,
        ts_units_per_sec: 1_000_000,
    };
    let mut w = Writer::create(path, FileFormat::Pcap { nanos: false }, &eth, 65535).unwrap();
    let mut frame = vec![0u8; 1000];
    frame[12..14].copy_from_slice(&[0x08, 0x00]);
    for i in 0..2500u32 {
        frame[14..18].copy_from_slice(&i.to_be_bytes());
        let ts = Timestamp {
            secs: 1_700_000_000 + i64::from(i),
            nanos: 0,
        };
        w.write(&eth, ts, 1000, &frame).unwrap();
    }
    w.flush().unwrap();
}

/// `-r big -C 1 -w part` splits the matching packets over files of just
/// over 1,000,000 bytes (tcpdump checks the size before each packet),
/// named part, part1, part2, with nothing lost or reordered.
#[test]
fn replay_splits_output_with_c() {
    let input = tmp("split-in.pcap");
    write_2500_frames(&input);
    let out = tmp("part");
    let st = bpfcap(&[
        "-r",
        input.to_str().unwrap(),
        "-C",
        "1",
        "-w",
        out.to_str().unwrap(),
        "ip",
    ]);
    assert!(
        st.status.success(),
        "{}",
        String::from_utf8_lossy(&st.stderr)
    );
    let names = ["part", "part1", "part2"];
    let mut all = Vec::new();
    for name in names {
        let bytes = std::fs::read(tmp(name)).unwrap();
        assert!(name == "part2" || bytes.len() > 1_000_000, "{name}");
        assert!(bytes.len() <= 1_000_000 + 24 + 1016, "{name}");
        all.extend(packets(bytes));
    }
    assert!(!tmp("part3").exists());
    let want: Vec<(i64, usize)> = (0..2500).map(|i| (i, 1000)).collect();
    assert_eq!(all, want);
}

/// A pcap file of `n` records of 1000 bytes each (seconds 1_700_000_000 +
/// index), in this host's byte order; returns it and where records end.
fn numbered_pcap(n: usize) -> (Vec<u8>, Vec<usize>) {
    let mut f = Vec::with_capacity(24 + n * 1016);
    for v in [0xa1b2_c3d4u32, 0x0004_0002, 0, 0, 65535, 1] {
        f.extend_from_slice(&v.to_ne_bytes());
    }
    let mut ends = Vec::with_capacity(n);
    for i in 0..n {
        for v in [1_700_000_000 + i as u32, 0, 1000, 1000] {
            f.extend_from_slice(&v.to_ne_bytes());
        }
        f.extend((0..1000).map(|k| (i + k) as u8));
        ends.push(f.len());
    }
    (f, ends)
}

/// Regression: an input cut short by another writer during `-r` killed
/// bpfcap with SIGBUS (exit 135, no message). Now it says so in one line,
/// exits 1, and the output is a valid capture of exactly the packets
/// before the cut.
#[test]
fn input_shrinking_during_replay_is_reported_and_keeps_what_came_before() {
    let (bytes, ends) = numbered_pcap(12_000);
    let path = tmp("shrinking.pcap");
    std::fs::write(&path, &bytes).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_bpfcap"))
        .arg("-r")
        .arg(&path)
        .args(["-w", "-"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The first bytes come with the first batch of records (4 MiB); bpfcap
    // then waits on the full pipe, well before the cut at about 8 MiB.
    let mut out = vec![0u8; 24];
    let stdout = child.stdout.as_mut().unwrap();
    std::io::Read::read_exact(stdout, &mut out).unwrap();
    let at = ends[7999] + 500;
    std::fs::OpenOptions::new()
        .write(true)
        .open(&path)
        .unwrap()
        .set_len(at as u64)
        .unwrap();
    std::io::Read::read_to_end(stdout, &mut out).unwrap();
    let done = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&done.stderr);
    assert_eq!(done.status.code(), Some(1), "{err}");
    assert_eq!(
        err.lines().last(),
        Some(
            format!(
                "bpfcap: {}: truncated dump file; the file shrank to {at} bytes while being read (after 8000 packets, 8000 matched)",
                path.display()
            )
            .as_str()
        ),
        "{err}"
    );
    assert_eq!(err.lines().count(), 2, "{err}");
    let got = packets(out.clone());
    assert_eq!(got.len(), 8000);
    assert!(got.iter().enumerate().all(|(i, &p)| p == (i as i64, 1000)));
    assert_eq!(out[24..], bytes[24..ends[7999]], "records copied verbatim");
}

/// Runs bpfcap with `stdin` as its standard input and its address space
/// limited to 96 MiB, so a header that makes it allocate what it claims
/// fails the run.
fn bpfcap_in_little_memory(args: &[&str], stdin: &[u8]) -> Output {
    use std::os::unix::process::CommandExt;
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_bpfcap"));
    cmd.args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // SAFETY: setrlimit is async-signal-safe; nothing else runs here.
    unsafe {
        cmd.pre_exec(|| {
            let limit = libc::rlimit {
                rlim_cur: 96 << 20,
                rlim_max: 96 << 20,
            };
            if libc::setrlimit(libc::RLIMIT_AS, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let mut child = cmd.spawn().unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

/// Regression: a 616-byte pcapng on standard input whose last block
/// header claims 256 MiB made bpfcap allocate it; a pcap record of a link
/// type with a 128 MiB snapshot (DBUS) claiming 100 MiB did the same.
/// Both now fail as libpcap does, in a 96 MiB address space.
#[test]
fn lengths_claimed_on_a_stream_are_not_allocated() {
    let block = |kind: u32, body: &[u8]| {
        let total = 12 + body.len() as u32;
        [
            &kind.to_le_bytes()[..],
            &total.to_le_bytes(),
            body,
            &total.to_le_bytes(),
        ]
        .concat()
    };
    let mut ng = block(
        0x0a0d_0d0a,
        &[&0x1a2b_3c4du32.to_le_bytes()[..], &[1, 0, 0, 0], &[0xff; 8]].concat(),
    );
    ng.extend(block(1, &[1, 0, 0, 0, 0xff, 0xff, 0, 0]));
    for i in 0..5u8 {
        let mut body = vec![0u8; 20];
        body[12..16].copy_from_slice(&60u32.to_le_bytes());
        body[16..20].copy_from_slice(&60u32.to_le_bytes());
        body.extend([i; 60]);
        ng.extend(block(6, &body));
    }
    ng.extend([6, 0, 0, 0, 0, 0, 0, 0x10]); // 256 MiB
    ng.extend([0u8; 100]);
    assert_eq!(ng.len(), 616);
    let judged = |input: &[u8]| {
        let out = bpfcap_in_little_memory(&["-r", "-", "-w", "/dev/null"], input);
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        (out.status.code(), err.lines().last().map(str::to_string))
    };
    assert_eq!(
        judged(&ng),
        (
            Some(1),
            Some(
                "bpfcap: -: pcapng block size 268435456 > maximum 16777216 (after 5 packets, 5 matched)"
                    .into()
            )
        )
    );

    let mut dbus: Vec<u8> = [0xa1b2_c3d4u32, 0x0004_0002, 0, 0, 0, 231]
        .iter()
        .flat_map(|v| v.to_le_bytes())
        .collect();
    for v in [0u32, 0, 100 << 20, 100 << 20] {
        dbus.extend(v.to_le_bytes());
    }
    dbus.extend([0u8; 100]);
    assert_eq!(
        judged(&dbus),
        (
            Some(0),
            Some("bpfcap: warning: truncated dump file; tried to read 104857600 bytes, only got 100; kept the 0 matching packets of the 0 read".into())
        )
    );
}

/// `-w` naming the `-r` file (itself, a symlink or hard link to it, a
/// `-C -W` name that lands on it, or the file behind `-r -`) is refused
/// before a byte of the input is touched; tcpdump would empty the file.
#[test]
fn output_that_is_the_input_is_refused() {
    let dir = tmp("same-file");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let original = std::fs::read(sample("sample.pcap")).unwrap();
    let input = dir.join("cap0");
    std::fs::write(&input, &original).unwrap();
    std::os::unix::fs::symlink("cap0", dir.join("link.pcap")).unwrap();
    std::fs::hard_link(&input, dir.join("hard.pcap")).unwrap();
    let refused = |args: &[&str], shown: &Path| {
        let (code, lines) = failing(args);
        assert_eq!(code, Some(1), "{args:?}: {lines:?}");
        assert_eq!(
            lines.last().cloned(),
            Some(format!(
                "bpfcap: {}: this is the file being read; refusing to overwrite it",
                shown.display()
            )),
            "{args:?}"
        );
        assert_eq!(std::fs::read(&input).unwrap(), original, "{args:?}");
    };
    let input_s = input.to_str().unwrap();
    for out in ["cap0", "link.pcap", "hard.pcap"] {
        let out = dir.join(out);
        refused(&["-r", input_s, "-w", out.to_str().unwrap(), "tcp"], &out);
    }
    // -C 1 -W 2 names its files cap0 and cap1.
    let pattern = dir.join("cap");
    refused(
        &[
            "-r",
            input_s,
            "-C",
            "1",
            "-W",
            "2",
            "-w",
            pattern.to_str().unwrap(),
        ],
        &pattern,
    );
    let out = Command::new(env!("CARGO_BIN_EXE_bpfcap"))
        .args(["-r", "-", "-w", input_s])
        .stdin(std::fs::File::open(&input).unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(std::fs::read(&input).unwrap(), original);
    // Another name is written as usual.
    let other = dir.join("other.pcap");
    let st = bpfcap(&["-r", input_s, "-w", other.to_str().unwrap()]);
    assert!(st.status.success());
    assert_eq!(std::fs::read(other).unwrap(), original);
}

/// Flag values tcpdump refuses are refused with its message and exit
/// status 1; they once made -C/-G/-W lose packets (a file per packet, a
/// ring of none). `-G 0` is tcpdump's "no time rotation": one file.
#[test]
fn flag_values_tcpdump_refuses_are_refused() {
    let input = sample("sample.pcap");
    let out = tmp("values.pcap");
    let out_s = out.to_str().unwrap();
    let cases: [(&[&str], &str); 9] = [
        (&["-C", "0"], "invalid file size 0"),
        (&["-C", "-1"], "invalid file size -1"),
        (&["-C", "1", "-W", "0"], "invalid number of output files 0"),
        (&["-G", "1", "-W", "0"], "invalid number of output files 0"),
        (&["-G", "-1"], "invalid number of seconds -1"),
        (
            &["-s", "4294967295"],
            "invalid snaplen 4294967295 (must be >= 0 and <= 262144)",
        ),
        (
            &["-s", "262145"],
            "invalid snaplen 262145 (must be >= 0 and <= 262144)",
        ),
        (&["-c", "0"], "invalid packet count 0"),
        (&["-B", "0"], "invalid packet buffer size 0"),
    ];
    for (flags, want) in cases {
        let mut args = vec!["-r", &input, "-w", out_s];
        args.extend_from_slice(flags);
        assert_eq!(
            failing(&args),
            (Some(1), vec![format!("bpfcap: {want}")]),
            "{flags:?}"
        );
    }
    let st = bpfcap(&["-r", &input, "-G", "0", "-w", out_s]);
    assert!(st.status.success());
    assert_eq!(std::fs::read(&out).unwrap(), std::fs::read(&input).unwrap());
}

/// `-F` reads at most 16 MiB: `-F /dev/zero` once read without end.
#[test]
fn filter_file_is_bounded() {
    assert_eq!(
        failing(&["-F", "/dev/zero", "-d"]),
        (
            Some(1),
            vec!["bpfcap: /dev/zero: filter file longer than 16 MiB".to_string()]
        )
    );
}

/// A `-F` file that cannot be opened or read fails in tcpdump's words.
#[test]
fn filter_file_errors_as_tcpdump() {
    for (file, want) in [
        (
            "/nonexistent/expr.txt",
            "bpfcap: can't open /nonexistent/expr.txt: No such file or directory",
        ),
        ("/", "bpfcap: read /: Is a directory"),
    ] {
        assert_eq!(
            failing(&["-F", file, "-d"]),
            (Some(1), vec![want.to_string()]),
            "{file}"
        );
    }
}

/// What tcpdump 4.99.3 does with the same command line, run on
/// `pcaps/sample.pcap` when these tests were written: exit status, first
/// line on stderr (`bpfcap` for `tcpdump`; "header" is the "reading from
/// file" line) and lines on stdout.
#[test]
fn command_lines_behave_as_tcpdumps() {
    let f = sample("sample.pcap");
    let header =
        format!("reading from file {f}, link-type EN10MB (Ethernet), snapshot length 262144");
    let f = f.as_str();
    let cases: Vec<(Vec<&str>, i32, &str, usize)> = vec![
        (vec!["-nr", f, "-c2"], 0, &header, 2),
        (vec!["-r", f, "-s0", "-c1", "-n"], 0, &header, 1),
        (vec!["-n", "tcp", "-r", f], 0, &header, 9),
        (vec!["-nnvvr", f, "-c4"], 0, &header, 8),
        (vec!["-r", f, "-c2", "-l", "-n"], 0, &header, 2),
        (vec!["-r", f, "-n", "--count", "udp"], 0, &header, 1),
        (
            vec!["--snapshot-length=96", "-r", f, "-n", "-c2"],
            0,
            &header,
            2,
        ),
        (vec!["--snap", "96", "-r", f, "-nc2"], 0, &header, 2),
        (vec!["-r", f, "-n", "(tcp)", "-c", "1"], 0, &header, 1),
        (
            vec!["-r", f, "-n", "--", "(tcp)", "or", "udp"],
            0,
            &header,
            18,
        ),
        // Accepted and, reading a file, without effect, as in tcpdump.
        (
            vec![
                "-r", f, "-n", "-Q", "in", "-y", "RAW", "-L", "-J", "-I", "-j", "host", "-p",
                "--count",
            ],
            0,
            &header,
            1,
        ),
        // -A: the summary, then the packet as ASCII (its 0x0a bytes
        // break lines: 4 lines, as tcpdump prints them).
        (vec!["-r", f, "-nSAK#bHNu", "-c1"], 0, &header, 4),
        (vec!["-r", f, "-g"], 1, "bpfcap: invalid option -- 'g'", 0),
        (
            vec!["-r", f, "-n", "-1", "=", "-1"],
            1,
            "bpfcap: invalid option -- '1'",
            0,
        ),
        (
            vec!["--foo", "-r", f],
            1,
            "bpfcap: unrecognized option '--foo'",
            0,
        ),
        (
            vec!["-r", f, "--count=3"],
            1,
            "bpfcap: option '--count' doesn't allow an argument",
            0,
        ),
        (
            vec!["-r", f, "--n"],
            1,
            "bpfcap: option '--n' is ambiguous; possibilities: '--nano' '--no-optimize' '--no-promiscuous-mode' '--number'",
            0,
        ),
        (
            vec!["-r", f, "-c"],
            1,
            "bpfcap: option requires an argument -- 'c'",
            0,
        ),
        (
            vec!["-r", f, "--snapshot-length"],
            1,
            "bpfcap: option '--snapshot-length' requires an argument",
            0,
        ),
        (
            vec!["-r", f, "-c", "-n"],
            1,
            "bpfcap: invalid packet count -n",
            0,
        ),
        (
            vec!["-r", f, "-Q", "up"],
            1,
            "bpfcap: unknown capture direction `up'",
            0,
        ),
        (
            vec!["-r", f, "-T", "quic"],
            1,
            "bpfcap: unknown packet type `quic'",
            0,
        ),
        (
            vec!["-r", f, "-j", "gps"],
            1,
            "bpfcap: invalid time stamp type gps",
            0,
        ),
        (
            vec!["-r", f, "--time-stamp-precision=milli"],
            1,
            "bpfcap: unsupported time stamp precision",
            0,
        ),
        (
            vec!["-r", f, "-f"],
            1,
            "bpfcap: -f can not be used with -V or -r",
            0,
        ),
        (
            vec!["-r", f, "-V", f],
            1,
            "bpfcap: -V and -r are mutually exclusive.",
            0,
        ),
        (
            vec!["-r", f, "-tttttt"],
            1,
            "bpfcap: only -t, -tt, -ttt, -tttt and -ttttt are supported",
            0,
        ),
        (
            vec!["-V", "/nonexistent/list"],
            1,
            "bpfcap: Unable to open file: No such file or directory",
            0,
        ),
        (
            vec!["-r", f, "-m", "mib", "-c1"],
            0,
            "bpfcap: ignoring option `-m mib' (no libsmi support)",
            1,
        ),
        (vec!["-i", "0"], 1, "bpfcap: Invalid adapter index", 0),
        (vec!["-i", "99999"], 1, "bpfcap: Invalid adapter index", 0),
        (
            vec!["-I", "-i", "lo"],
            1,
            "bpfcap: lo: That device doesn't support monitor mode",
            0,
        ),
        (
            vec!["-i", "lo", "-y", "RAW"],
            1,
            "bpfcap: RAW is not one of the DLTs supported by this device",
            0,
        ),
    ];
    for (args, code, first, lines) in cases {
        let out = bpfcap(&args);
        let err = String::from_utf8_lossy(&out.stderr);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(code), "{args:?}: {err}");
        assert_eq!(err.lines().next().unwrap_or(""), first, "{args:?}");
        assert_eq!(stdout.lines().count(), lines, "{args:?}: {stdout}");
    }
}

/// A mistake getopt finds is followed by the usage on stderr, as in
/// tcpdump; `-h` prints it on stdout; `--version` (or a prefix of it)
/// prints version lines in tcpdump's shape.
#[test]
fn usage_help_and_version() {
    let out = bpfcap(&["-n", "--nosuch", "tcp"]);
    let err = String::from_utf8(out.stderr).unwrap();
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(lines[0], "bpfcap: unrecognized option '--nosuch'");
    assert!(lines[1].starts_with("bpfcap version "), "{err}");
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("Usage: bpfcap [-AbdDefhHIJKlLnNOpqStuUvxX#]"))
    );
    assert!(out.stdout.is_empty());
    for help in ["-h", "--help", "--he"] {
        let out = bpfcap(&[help]);
        assert_eq!(out.status.code(), Some(0));
        assert!(out.stderr.is_empty());
        assert_eq!(
            String::from_utf8(out.stdout).unwrap(),
            err[lines[0].len() + 1..]
        );
    }
    let out = bpfcap(&["--vers"]);
    let version = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(version.lines().count(), 3);
    assert!(version.starts_with(&format!("bpfcap version {}\n", env!("CARGO_PKG_VERSION"))));
    // tcpdump 4.99.3 takes -Y (parser debugging) but, built without it,
    // answers with the usage alone.
    let out = bpfcap(&["-Y"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("bpfcap version "));
}

/// Flags with values attached, clustered, and after the expression.
#[test]
fn attached_values_and_clusters() {
    let f = sample("sample.pcap");
    let o = bpfcap(&["tcp", "-r", &f, "-w-", "-c3", "-s40"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(packets(o.stdout), vec![(0, 40), (1, 40), (2, 40)]);
    let filter = tmp("attached-filter.txt");
    std::fs::write(&filter, "arp\n").unwrap();
    let o = bpfcap(&[&format!("-r{f}"), &format!("-F{}", filter.display()), "-w-"]);
    assert_eq!(packets(o.stdout).len(), 2);
}

/// `--count` prints only "N packets" on stdout, also with -w (which still
/// gets the packets), and -c counts each -V file on its own, as in
/// tcpdump.
#[test]
fn count_and_file_lists() {
    let f = sample("sample.pcap");
    let o = bpfcap(&["-r", &f, "-n", "--count", "udp"]);
    assert_eq!(String::from_utf8(o.stdout).unwrap(), "9 packets\n");
    let out = tmp("counted.pcap");
    let o = bpfcap(&["-r", &f, "--count", "-w", out.to_str().unwrap(), "udp"]);
    assert_eq!(String::from_utf8(o.stdout).unwrap(), "9 packets\n");
    assert_eq!(packets(std::fs::read(&out).unwrap()).len(), 9);
    let list = tmp("list.txt");
    std::fs::write(&list, format!("{f}\n{f}\n")).unwrap();
    let o = bpfcap(&["-V", list.to_str().unwrap(), "--count", "tcp"]);
    assert!(o.status.success());
    assert_eq!(String::from_utf8(o.stdout).unwrap(), "18 packets\n");
    assert_eq!(String::from_utf8(o.stderr).unwrap().lines().count(), 2);
    let o = bpfcap(&["-V", list.to_str().unwrap(), "-c", "2", "-n", "tcp"]);
    assert_eq!(String::from_utf8(o.stdout).unwrap().lines().count(), 4);
    let o = bpfcap(&["-V", list.to_str().unwrap(), "-w-", "icmp"]);
    assert_eq!(packets(o.stdout).len(), 6);
    let empty = tmp("empty-list.txt");
    std::fs::write(&empty, "").unwrap();
    assert_eq!(
        failing(&["-V", empty.to_str().unwrap()]),
        (
            Some(1),
            vec![format!("bpfcap: Nothing in {}", empty.display())]
        )
    );
    // --print prints what -w writes.
    let o = bpfcap(&[
        "-r",
        &f,
        "-w",
        out.to_str().unwrap(),
        "--print",
        "-n",
        "arp",
    ]);
    assert_eq!(String::from_utf8(o.stdout).unwrap().lines().count(), 2);
}

/// `-D` lists interfaces as tcpdump does: numbered, with libpcap's flags,
/// `any` among them; and `-i N` picks the Nth.
#[test]
fn interfaces_are_listed_as_tcpdump_lists_them() {
    let o = bpfcap(&["-D"]);
    assert!(o.status.success());
    let list = String::from_utf8(o.stdout).unwrap();
    let lines: Vec<&str> = list.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        assert!(line.starts_with(&format!("{}.", i + 1)), "{line}");
    }
    let named = |name: &str| {
        lines.iter().position(|l| {
            l.split_once('.')
                .unwrap()
                .1
                .starts_with(&format!("{name} "))
        })
    };
    let any = named("any").unwrap();
    assert_eq!(
        lines[any].split_once('.').unwrap().1,
        "any (Pseudo-device that captures on all interfaces) [Up, Running]"
    );
    let lo = named("lo").unwrap();
    assert_eq!(
        lines[lo].split_once('.').unwrap().1,
        "lo [Up, Running, Loopback]"
    );
    // Loopback comes after `any`, as libpcap sorts them.
    assert!(lo > any);
    // -L and -J write to stderr, as tcpdump 4.99 does.
    let o = bpfcap(&["-L", "-i", &(lo + 1).to_string()]);
    assert!(o.stdout.is_empty());
    assert_eq!(
        String::from_utf8(o.stderr).unwrap(),
        "Data link types for lo (use option -y to set):\n  EN10MB (Ethernet)\n"
    );
    let o = bpfcap(&["-J", "-i", "lo"]);
    assert!(o.stdout.is_empty());
    assert_eq!(
        String::from_utf8(o.stderr).unwrap(),
        "Time stamp types for lo (use option -j to set):\n  host (Host)\n"
    );
}

/// `-T TYPE` is checked as tcpdump checks it and prints every UDP
/// payload as that type (RPC with its own addresses, as tcpdump); writing
/// with -w is not affected.
#[test]
fn packet_types_print_udp_payloads_as_tcpdump() {
    let f = sample("sample.pcap");
    let o = bpfcap(&["-n", "-r", &f, "-T", "rtp", "udp"]);
    assert!(o.status.success());
    let text = String::from_utf8(o.stdout).unwrap();
    let rtp = text.lines().filter(|l| l.contains(": udp/rtp ")).count();
    assert_eq!(rtp, 8, "{text}");
    assert!(text.contains("10.0.0.1.1000 > 10.0.0.2.2000: udp/rtp 52 c0  0 0\n"));
    let o = bpfcap(&["-n", "-r", &f, "-T", "rpc", "udp"]);
    assert!(o.status.success());
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(
        text.contains(" IP 0.0.0.0.0x0 > 255.255.255.255.0x6f: 240 null [rpcver 0]\n"),
        "{text}"
    );
    let o = bpfcap(&["-r", &f, "-T", "RPC", "-w", "-", "udp"]);
    assert!(o.status.success());
    assert_eq!(packets(o.stdout).len(), 9);
}

/// `-z CMD` runs `CMD FILE` for each file -C closes, not the last one.
#[test]
fn postrotate_command_gets_each_closed_file() {
    let dir = tmp("postrotate");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join("in.pcap");
    write_2500_frames(&input);
    let script = dir.join("note.sh");
    std::fs::write(
        &script,
        format!("#!/bin/sh\necho \"$1\" >> {}/closed\n", dir.display()),
    )
    .unwrap();
    let exec = std::os::unix::fs::PermissionsExt::from_mode(0o755);
    std::fs::set_permissions(&script, exec).unwrap();
    let part = dir.join("part");
    let o = bpfcap(&[
        "-r",
        input.to_str().unwrap(),
        "-C1",
        "-w",
        part.to_str().unwrap(),
        "-z",
        script.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let closed = dir.join("closed");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    let want = format!("{}\n{}1\n", part.display(), part.display());
    while std::fs::read_to_string(&closed).unwrap_or_default() != want
        && std::time::Instant::now() < deadline
    {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let mut got: Vec<String> = std::fs::read_to_string(&closed)
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    got.sort();
    assert_eq!(
        got,
        [part.display().to_string(), format!("{}1", part.display())]
    );
}

/// `port 21 or ... or port 137`, ten of the shared benchmark's ports.
const TEN_PORTS: &str = "port 21 or port 22 or port 23 or port 25 or port 53 or port 67 or \
                         port 80 or port 110 or port 123 or port 137";

/// A `-ddd` listing as iptables' `--bytecode` takes it.
fn ddd_joined(args: &[&str]) -> String {
    let out = bpfcap(args);
    assert!(out.status.success(), "{args:?}");
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .collect::<Vec<_>>()
        .join(",")
        + "\n"
}

/// `--optimize-size`: shorter programs (10 ports on raw IP: no more than
/// libpcap's 54 instructions, under iptables' 64), the same packets kept.
#[test]
fn optimize_size_makes_shorter_programs_that_keep_the_same_packets() {
    let count = |extra: &[&str]| {
        let mut args = vec!["-y", "RAW", "-ddd"];
        args.extend(extra);
        args.push(TEN_PORTS);
        let out = bpfcap(&args);
        assert!(out.status.success());
        let text = String::from_utf8(out.stdout).unwrap();
        text.lines().next().unwrap().parse::<usize>().unwrap()
    };
    let (fast, small) = (count(&[]), count(&["--optimize-size"]));
    assert!(small <= 54 && small < fast, "{small} against {fast}");
    for expr in [
        TEN_PORTS,
        "tcp port 80 or udp",
        "host 10.0.0.1 or host 10.0.0.2",
    ] {
        let kept = |extra: &[&str]| {
            let out = tmp(&format!("optimize-size-{}.pcap", extra.len()));
            let input = sample("sample.pcap");
            let mut args = vec!["-r", &input, "-w", out.to_str().unwrap()];
            args.extend(extra);
            args.push(expr);
            assert!(bpfcap(&args).status.success());
            std::fs::read(&out).unwrap()
        };
        assert_eq!(kept(&[]), kept(&["--optimize-size"]), "{expr}");
    }
}

/// `bpfcap compile --target xt_bpf`: nfbpf_compile's format for raw IP —
/// the count, then `code jt jf k` for each instruction, joined by commas
/// — with the fast program when it fits in 64 instructions and the
/// size-first one otherwise.
#[test]
fn compile_xt_bpf_prints_iptables_bytecode() {
    let out = bpfcap(&["compile", "--target", "xt_bpf", "tcp"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text, ddd_joined(&["-y", "RAW", "-ddd", "tcp"]));
    assert!(text.starts_with("13,48 0 0 0,"), "{text}");

    // 10 ports: 73 instructions fast, so the size-first form.
    let out = bpfcap(&["compile", "--target", "xt_bpf", TEN_PORTS]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let want = ddd_joined(&["-y", "RAW", "--optimize-size", "-ddd", TEN_PORTS]);
    assert_eq!(text, want);
    let fields: Vec<&str> = text.trim_end().split(',').collect();
    let n: usize = fields[0].parse().unwrap();
    assert!(n <= 64, "{n}");
    assert_eq!(fields.len(), n + 1);
    assert!(fields[1..].iter().all(|f| f.split(' ').count() == 4));

    // -o writes the same line; -y compiles for another link type.
    let file = tmp("xt_bpf.txt");
    let o = bpfcap(&[
        "compile",
        "--target",
        "xt_bpf",
        "-o",
        file.to_str().unwrap(),
        TEN_PORTS,
    ]);
    assert!(o.status.success());
    assert_eq!(std::fs::read_to_string(&file).unwrap(), want);
    let out = bpfcap(&["compile", "--target", "xt_bpf", "-y", "EN10MB", "tcp"]);
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        ddd_joined(&["-y", "EN10MB", "-ddd", "tcp"])
    );
}

/// Past 64 instructions even compiled for size, `xt_bpf` is refused with
/// the limit named.
#[test]
fn compile_xt_bpf_refuses_programs_over_64_instructions() {
    let twenty = format!("{TEN_PORTS} or {}", TEN_PORTS.replace("port ", "port 1"));
    let out = bpfcap(&["compile", "--target", "xt_bpf", &twenty]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.starts_with("bpfcap: the filter takes ")
            && err.contains(
                "even optimized for size; iptables' xt_bpf takes at most 64 (XT_BPF_MAX_NUM_INSTR)"
            ),
        "{err}"
    );
}

/// `bpfcap compile`'s output for `args`, on standard output and with
/// `-o FILE`: the two must be the same bytes.
fn compiled_both_ways(args: &[&str]) -> Vec<u8> {
    let compile = |o: &[&str]| {
        let out = bpfcap(&[&["compile"], o, args].concat());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{o:?} {args:?}: {err}");
        out.stdout
    };
    let file = tmp(&format!(
        "compiled-{}.out",
        args.join("_").replace(' ', "-")
    ));
    let stdout = compile(&[]);
    assert!(compile(&["-o", file.to_str().unwrap()]).is_empty());
    assert_eq!(std::fs::read(&file).unwrap(), stdout, "{args:?}");
    stdout
}

/// `--target cbpf` is `-dd`'s C array on standard output and in a file
/// alike; `--target cbpf-raw` is the `struct sock_filter` array itself,
/// 8 bytes an instruction in host order, also both ways.
#[test]
fn compile_cbpf_writes_the_same_with_and_without_o() {
    let c = compiled_both_ways(&["--target", "cbpf", "udp port 53"]);
    let dd = bpfcap(&["-y", "EN10MB", "-dd", "udp port 53"]);
    assert_eq!(
        String::from_utf8(c).unwrap(),
        String::from_utf8(dd.stdout).unwrap()
    );

    let raw = compiled_both_ways(&["--target", "cbpf-raw", "udp port 53"]);
    let ddd = bpfcap(&["-y", "EN10MB", "-ddd", "udp port 53"]);
    let ddd = String::from_utf8(ddd.stdout).unwrap();
    let mut lines = ddd.lines();
    let n: usize = lines.next().unwrap().parse().unwrap();
    assert_eq!(raw.len(), 8 * n);
    for (insn, line) in raw.chunks(8).zip(lines) {
        let f: Vec<u32> = line.split(' ').map(|f| f.parse().unwrap()).collect();
        let code = u16::from_ne_bytes([insn[0], insn[1]]);
        let k = u32::from_ne_bytes([insn[4], insn[5], insn[6], insn[7]]);
        assert_eq!(
            [u32::from(code), u32::from(insn[2]), u32::from(insn[3]), k],
            f[..],
            "{line}"
        );
    }
}

/// `-o -` is standard output, as for `-w -`: no file named `-`.
#[test]
fn compile_o_dash_writes_to_standard_output() {
    let dir = tmp("o-dash");
    std::fs::create_dir_all(&dir).unwrap();
    for target in ["cbpf", "cbpf-raw", "xt_bpf", "ebpf-socket", "xdp"] {
        let plain = bpfcap(&["compile", "--target", target, "tcp"]);
        let dash = Command::new(env!("CARGO_BIN_EXE_bpfcap"))
            .args(["compile", "--target", target, "-o", "-", "tcp"])
            .current_dir(&dir)
            .output()
            .unwrap();
        assert!(dash.status.success(), "{target}");
        assert!(!dash.stdout.is_empty(), "{target}");
        assert_eq!(dash.stdout, plain.stdout, "{target}");
        assert!(!dir.join("-").exists(), "{target}: a file named -");
    }
}

/// `-y` takes raw IP by name, by DLT_RAW (12) and by LINKTYPE_RAW (101).
#[test]
fn raw_ip_by_dlt_and_linktype_number() {
    let want = bpfcap(&["-y", "RAW", "-ddd", "tcp"]);
    assert!(want.status.success());
    for y in ["12", "101", "DLT_RAW"] {
        let got = bpfcap(&["-y", y, "-ddd", "tcp"]);
        assert!(
            got.status.success(),
            "-y {y}: {}",
            String::from_utf8_lossy(&got.stderr)
        );
        assert_eq!(got.stdout, want.stdout, "-y {y}");
        let compiled = bpfcap(&["compile", "--target", "cbpf", "-y", y, "tcp"]);
        let raw = bpfcap(&["compile", "--target", "cbpf", "-y", "RAW", "tcp"]);
        assert!(compiled.status.success(), "compile -y {y}");
        assert_eq!(compiled.stdout, raw.stdout, "compile -y {y}");
    }
}

/// Per packet of a capture: interface id and name, comments, flags,
/// captured length.
type Described = Vec<(usize, Option<String>, Vec<String>, Option<u32>, usize)>;

fn described(bytes: Vec<u8>) -> Described {
    let mut r = Reader::from_bytes(bytes).unwrap();
    let mut v = Vec::new();
    while let Some(p) = r.next_packet().unwrap() {
        let (id, o, len) = (p.interface_id, p.options(), p.data.len());
        let name = r.interface_options().get(id).and_then(|i| i.name.clone());
        v.push((id, name, o.comments, o.flags, len));
        r.clear_pending_blocks();
    }
    v
}

fn pcapng_copy(name: &str, extra: &[&str]) -> PathBuf {
    let out = tmp(name);
    let input = sample_meta();
    let mut args = vec!["-r", &input, "--pcapng", "-w", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    let o = bpfcap(&args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    out
}

/// Whether `tool` is there for `test` (else it is skipped, or fails
/// with CI=true).
fn have(test: &str, tool: &str) -> bool {
    let there = bpfcap_tests::on_path(tool);
    if !there {
        bpfcap_tests::skip(test, &format!("`{tool}` is missing"));
    }
    there
}

fn sample_meta() -> String {
    sample("sample-meta.pcapng")
}

#[test]
fn pcapng_copy_keeps_interfaces_names_comments_flags() {
    let out = pcapng_copy("meta-copy.pcapng", &[]);
    let input = std::fs::read(sample_meta()).unwrap();
    let before = described(input);
    assert_eq!(before.len(), 5);
    assert_eq!(described(std::fs::read(&out).unwrap()), before);
    // Two interfaces apart in the first section, as in the input.
    let r = Reader::from_bytes(std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(r.announced_interfaces(), [(1, 262144), (1, 65535)]);
}

#[test]
fn pcapng_copy_with_snaplen_cuts_packets_keeps_options() {
    let out = pcapng_copy("meta-snap.pcapng", &["-s", "40"]);
    let after = described(std::fs::read(&out).unwrap());
    let before = described(std::fs::read(sample_meta()).unwrap());
    let cut: Described = before
        .into_iter()
        .map(|(i, n, c, f, len)| (i, n, c, f, len.min(40)))
        .collect();
    assert_eq!(after, cut);
}

#[test]
fn pcapng_copy_has_tsharks_interface_names_comments_flags() {
    if !have(
        "pcapng_copy_has_tsharks_interface_names_comments_flags",
        "tshark",
    ) {
        return;
    }
    let out = pcapng_copy("meta-tshark.pcapng", &[]);
    let fields = |f: &str| {
        let o = Command::new("tshark")
            .args(["-r", f, "-T", "fields", "-e", "frame.interface_name"])
            .args(["-e", "frame.comment", "-e", "frame.packet_flags"])
            .args([
                "-e",
                "frame.time_epoch",
                "-e",
                "frame.len",
                "-e",
                "frame.cap_len",
            ])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stdout).unwrap()
    };
    let before = fields(&sample_meta());
    assert!(
        before.contains("eth1\tsecond packet\t0x00000002"),
        "{before}"
    );
    assert_eq!(fields(out.to_str().unwrap()), before);
}

#[test]
fn capinfos_reads_pcapng_copy_without_warnings() {
    if !have("capinfos_reads_pcapng_copy_without_warnings", "capinfos") {
        return;
    }
    let out = pcapng_copy("meta-capinfos.pcapng", &[]);
    let o = Command::new("capinfos").arg(&out).output().unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success() && stderr.trim().is_empty(), "{stderr}");
    let info = String::from_utf8_lossy(&o.stdout);
    for want in [
        "Name = eth0",
        "Name = eth1",
        "Name = be0",
        "Capture hardware:    x86_64",
    ] {
        assert!(info.contains(want), "{want} not in {info}");
    }
    assert!(
        info.contains("Number of resolved IPv4 addresses in file: 1"),
        "{info}"
    );
    assert!(
        info.contains("Number of decryption secrets in file: 1"),
        "{info}"
    );
}

#[test]
fn plain_pcap_from_two_interfaces_of_one_link_type() {
    let out = tmp("meta-plain.pcap");
    let o = bpfcap(&["-r", &sample_meta(), "-w", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let bytes = std::fs::read(&out).unwrap();
    // One header, the largest snapshot length of the two interfaces.
    assert_eq!(
        u32::from_le_bytes(bytes[16..20].try_into().unwrap()),
        262144
    );
    let r = Reader::from_bytes(bytes.clone()).unwrap();
    assert_eq!(r.interfaces().len(), 1);
    assert_eq!(packets(bytes).len(), 5);
}

#[test]
fn plain_pcap_from_two_link_types_fails_clearly() {
    let out = tmp("multi-refused.pcap");
    let _ = std::fs::remove_file(&out);
    let o = bpfcap(&[
        "-r",
        &sample("sample-multi.pcapng"),
        "-w",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&o.stderr);
    // Known from the interface descriptions: one line, nothing written.
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("bpfcap: ") && stderr.contains("--pcapng"),
        "{stderr}"
    );
    assert!(
        stderr.contains("EN10MB") && stderr.contains("RAW"),
        "{stderr}"
    );
    assert!(!out.exists());
    // From a pipe the second interface is met as the packets come.
    let mut child = Command::new(env!("CARGO_BIN_EXE_bpfcap"))
        .args(["-r", "-", "-w", out.to_str().unwrap()])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let input = std::fs::read(sample("sample-multi.pcapng")).unwrap();
    child.stdin.take().unwrap().write_all(&input).unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&o.stderr);
    let last = stderr.lines().last().unwrap();
    assert!(
        last.starts_with("bpfcap: ") && last.contains("--pcapng"),
        "{stderr}"
    );
}

/// Reading a LINUX_SLL2 capture warns, as tcpdump does, that its
/// interface names are looked up on this machine.
#[test]
fn sll2_files_warn_that_interface_names_might_be_incorrect() {
    use bpfcap_capture::{FileFormat, Interface, Timestamp, Writer};
    let path = tmp("sll2.pcap");
    let sll2 = Interface {
        linktype: 276,
        snaplen: 65535,
        big_endian: false,
        ts_units_per_sec: 1_000_000,
    };
    let mut w = Writer::create(&path, FileFormat::Pcap { nanos: false }, &sll2, 65535).unwrap();
    w.write(&sll2, Timestamp::default(), 20, &[0u8; 20])
        .unwrap();
    w.flush().unwrap();
    drop(w);
    let (code, lines) = failing(&["-r", path.to_str().unwrap(), "-w", "/dev/null"]);
    assert_eq!(code, Some(0));
    assert_eq!(
        lines.get(1).map(String::as_str),
        Some("Warning: interface names might be incorrect"),
        "{lines:?}"
    );
}

/// A little-endian pcapng block.
fn block(kind: u32, mut body: Vec<u8>) -> Vec<u8> {
    body.resize(body.len().next_multiple_of(4), 0);
    let len = (12 + body.len()) as u32;
    let mut b = [kind.to_le_bytes(), len.to_le_bytes()].concat();
    b.extend(body);
    b.extend(len.to_le_bytes());
    b
}

/// A little-endian pcapng option.
fn opt(code: u16, value: &[u8]) -> Vec<u8> {
    let mut o = [code.to_le_bytes(), (value.len() as u16).to_le_bytes()].concat();
    o.extend(value);
    o.resize(o.len().next_multiple_of(4), 0);
    o
}

/// A section header (little-endian, unknown length).
fn shb() -> Vec<u8> {
    let mut shb = 0x1A2B_3C4Du32.to_le_bytes().to_vec();
    shb.extend([1u16.to_le_bytes(), 0u16.to_le_bytes()].concat());
    shb.extend((-1i64).to_le_bytes());
    block(0x0A0D_0D0A, shb)
}

/// An Ethernet interface description with these options.
fn idb(options: &[Vec<u8>]) -> Vec<u8> {
    let mut body = [1u16.to_le_bytes(), 0u16.to_le_bytes()].concat();
    body.extend(262_144u32.to_le_bytes());
    body.extend(options.concat());
    body.extend(opt(0, b""));
    block(1, body)
}

/// An enhanced packet block with a UDP datagram (10.0.0.1:1000 to
/// 10.0.0.2:2000), the `i`th second after 1,700,000,000, and these
/// options.
fn udp_epb(iface: u32, i: usize, payload: &[u8], options: &[Vec<u8>]) -> Vec<u8> {
    let udp_len = 8 + payload.len() as u16;
    let mut frame = vec![2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 8, 0];
    frame.extend([0x45, 0]);
    frame.extend((20 + udp_len).to_be_bytes());
    frame.extend([0, 1, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2]);
    frame.extend(1000u16.to_be_bytes());
    frame.extend(2000u16.to_be_bytes());
    frame.extend(udp_len.to_be_bytes());
    frame.extend([0, 0]);
    frame.extend(payload);
    let ts = (1_700_000_000u64 + i as u64) * 1_000_000;
    let mut body = iface.to_le_bytes().to_vec();
    body.extend(((ts >> 32) as u32).to_le_bytes());
    body.extend((ts as u32).to_le_bytes());
    body.extend((frame.len() as u32).to_le_bytes());
    body.extend((frame.len() as u32).to_le_bytes());
    body.extend(&frame);
    body.resize(body.len().next_multiple_of(4), 0);
    if !options.is_empty() {
        body.extend(options.concat());
        body.extend(opt(0, b""));
    }
    block(6, body)
}

/// A little-endian pcapng file of UDP datagrams (10.0.0.1:1000 to
/// 10.0.0.2:2000) on two interfaces: `eth0` described first, `eth1` only
/// after the first packet (pcapng allows interface descriptions
/// anywhere). Each packet is (interface id, `epb_flags` or none,
/// payload).
fn two_interfaces(packets: &[(u32, Option<u32>, &str)]) -> Vec<u8> {
    let mut file = shb();
    file.extend(idb(&[opt(2, b"eth0")]));
    for (i, &(iface, flags, payload)) in packets.iter().enumerate() {
        if i == 1 {
            file.extend(idb(&[opt(2, b"eth1")]));
        }
        let options: Vec<Vec<u8>> = flags
            .map(|f| opt(2, &f.to_le_bytes()))
            .into_iter()
            .collect();
        file.extend(udp_epb(iface, i, payload.as_bytes(), &options));
    }
    file
}

/// The UDP payloads `bpfcap -r file EXPR` keeps, or its error.
fn kept_payloads(file: &[u8], name: &str, expr: &str) -> Result<Vec<String>, String> {
    let input = tmp(name);
    std::fs::write(&input, file).unwrap();
    let out = tmp(&format!("{name}.out"));
    let o = bpfcap(&[
        "-r",
        input.to_str().unwrap(),
        "-w",
        out.to_str().unwrap(),
        "--",
        expr,
    ]);
    if !o.status.success() {
        return Err(String::from_utf8_lossy(&o.stderr).into_owned());
    }
    let mut r = Reader::from_bytes(std::fs::read(&out).unwrap()).unwrap();
    let mut v = Vec::new();
    while let Some(p) = r.next_packet().unwrap() {
        v.push(String::from_utf8_lossy(&p.data[42..]).into_owned());
    }
    Ok(v)
}

const IN: Option<u32> = Some(1);
const OUT: Option<u32> = Some(2);

/// `ifname NAME` (bpfcap's extension off pflog) keeps a pcapng file's
/// packets of the interfaces of that name, also one described after
/// packets of another; a name the file does not describe is an error.
#[test]
fn ifname_keeps_the_packets_of_a_pcapng_interface() {
    let file = two_interfaces(&[
        (0, IN, "a0"),
        (1, IN, "b0"),
        (0, OUT, "a1"),
        (1, OUT, "b1"),
        (0, None, "a2"),
    ]);
    let kept = |expr| kept_payloads(&file, "ifname.pcapng", expr);
    assert_eq!(kept("ifname eth1"), Ok(vec!["b0".into(), "b1".into()]));
    assert_eq!(
        kept("on eth0 and udp"),
        Ok(vec!["a0".into(), "a1".into(), "a2".into()])
    );
    assert_eq!(kept("not ifname eth0").unwrap().len(), 2);
    // A second section describes its interfaces again from id 0.
    let counts = ["eth0", "eth1", "be0"].map(|name| {
        let o = bpfcap(&["-r", &sample_meta(), "-w", "-", "ifname", name]);
        assert!(o.status.success(), "{o:?}");
        packets(o.stdout).len()
    });
    assert_eq!(counts, [2, 2, 1]);
    let err = kept("ifname eth2").unwrap_err();
    assert!(
        err.contains("ifname eth2: no interface of that name in the file"),
        "{err}"
    );
    // A plain pcap file keeps libpcap's refusal.
    let o = bpfcap(&["-r", &sample("sample.pcap"), "ifname eth0"]);
    assert_eq!(o.status.code(), Some(1));
}

/// `inbound`/`outbound` on Ethernet pcapng records follow each enhanced
/// packet block's direction; a record without one is an error, as is
/// any plain pcap file (libpcap's "when reading savefiles").
#[test]
fn direction_of_pcapng_records_comes_from_epb_flags() {
    let file = two_interfaces(&[
        (0, IN, "i0"),
        (1, OUT, "o0"),
        // Inbound broadcast (reception type 3).
        (0, Some(1 | 3 << 2), "i1"),
        (1, IN, "i2"),
    ]);
    let kept = |expr| kept_payloads(&file, "dir.pcapng", expr);
    assert_eq!(
        kept("inbound and udp"),
        Ok(vec!["i0".into(), "i1".into(), "i2".into()])
    );
    assert_eq!(kept("outbound"), Ok(vec!["o0".into()]));
    assert_eq!(kept("outbound and ifname eth0"), Ok(vec![]));
    let partly = two_interfaces(&[(0, IN, "i0"), (0, None, "x")]);
    let err = kept_payloads(&partly, "nodir.pcapng", "inbound").unwrap_err();
    assert!(err.contains("packet 2 has none"), "{err}");
    let o = bpfcap(&["-r", &sample("sample.pcap"), "inbound"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&o.stderr)
            .contains("inbound/outbound not supported on Ethernet when reading savefiles"),
        "{o:?}"
    );
}

/// Not reading a file, `inbound` is the kernel's packet type, listed as
/// tcpdump 4.99.3 lists it (`tcpdump -d -i lo inbound`, and without `-i`
/// after "assuming Ethernet"); `ifindex` is its interface index.
#[test]
fn direction_lists_as_tcpdumps_ancillary_loads() {
    let want = "(000) ldh      [type]\n\
                (001) jeq      #0x4             jt 2\tjf 3\n\
                (002) ret      #0\n\
                (003) ret      #262144\n";
    for args in [&["-d", "-i", "lo", "inbound"][..], &["-d", "inbound"]] {
        let o = bpfcap(args);
        assert!(o.status.success(), "{o:?}");
        assert_eq!(String::from_utf8_lossy(&o.stdout), want);
    }
    let o = bpfcap(&["-dd", "-i", "lo", "outbound and ifindex 1"]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.starts_with("{ 0x28, 0, 0, 0xfffff004 },\n"), "{text}");
    assert!(text.contains("{ 0x20, 0, 0, 0xfffff008 },\n"), "{text}");
}

/// A pcapng file of `n` 1000-byte datagrams on two interfaces with
/// names, a description, a comment and flags on each packet, a hash and
/// a drop count on some, and a name resolution, a decryption secrets
/// and a custom block.
fn rich_pcapng(n: usize) -> Vec<u8> {
    let mut file = shb();
    file.extend(idb(&[opt(2, b"eth0"), opt(3, b"first interface")]));
    file.extend(idb(&[opt(2, b"eth1")]));
    let mut nrb = [1u16.to_le_bytes(), 10u16.to_le_bytes()].concat();
    nrb.extend([10, 0, 0, 1]);
    nrb.extend(b"hosta\0");
    nrb.resize(nrb.len().next_multiple_of(4), 0);
    nrb.extend([0; 4]);
    file.extend(block(4, nrb));
    let mut dsb = 0x544c_534bu32.to_le_bytes().to_vec();
    let keys = b"CLIENT_RANDOM 00 00\n";
    dsb.extend((keys.len() as u32).to_le_bytes());
    dsb.extend(keys);
    file.extend(block(10, dsb));
    for i in 0..n {
        if i == n / 2 {
            // A custom block (private enterprise number 32473, examples).
            let mut cb = 32473u32.to_le_bytes().to_vec();
            cb.extend(b"custom");
            file.extend(block(0xbad, cb));
        }
        let mut options = vec![
            opt(1, format!("packet {i}").as_bytes()),
            opt(2, &(1 + (i % 2) as u32).to_le_bytes()),
        ];
        if i % 7 == 0 {
            options.push(opt(3, &[2, 0xde, 0xad, 0xbe, 0xef]));
            options.push(opt(4, &(i as u64).to_le_bytes()));
        }
        file.extend(udp_epb((i % 2) as u32, i, &[i as u8; 958], &options));
    }
    file
}

/// With -C (and -W), each rotated pcapng copy of a pcapng input has
/// the input's interfaces with their names, each packet's comment and
/// flags, and the decryption secrets, as tshark and capinfos read them.
#[test]
fn rotated_pcapng_copies_keep_interfaces_comments_flags() {
    let test = "rotated_pcapng_copies_keep_interfaces_comments_flags";
    if !have(test, "tshark") || !have(test, "capinfos") {
        return;
    }
    let dir = tmp("rotmeta");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join("in.pcapng");
    std::fs::write(&input, rich_pcapng(2500)).unwrap();
    let out = dir.join("out");
    let o = bpfcap(&[
        "-r",
        input.to_str().unwrap(),
        "--pcapng",
        "-w",
        out.to_str().unwrap(),
        "-C",
        "1",
        "-W",
        "3",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let fields = |f: &Path| {
        let o = Command::new("tshark")
            .arg("-r")
            .arg(f)
            .args(["-T", "fields", "-e", "frame.interface_name"])
            .args(["-e", "frame.comment", "-e", "frame.packet_flags"])
            .args(["-e", "frame.time_epoch", "-e", "frame.len"])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stdout).unwrap()
    };
    let before = fields(&input);
    assert!(before.contains("eth1\tpacket 1\t0x00000002"), "{before}");
    let files: Vec<PathBuf> = ["out0", "out1", "out2"]
        .iter()
        .map(|f| dir.join(f))
        .collect();
    let after: String = files.iter().map(|f| fields(f)).collect();
    assert_eq!(after, before);
    for f in &files {
        let o = Command::new("capinfos").arg(f).output().unwrap();
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(
            o.status.success() && stderr.trim().is_empty(),
            "{f:?}: {stderr}"
        );
        let info = String::from_utf8_lossy(&o.stdout);
        for want in [
            "Number of interfaces in file: 2",
            "Name = eth0",
            "Description = first interface",
            "Name = eth1",
            "Number of decryption secrets in file: 1",
        ] {
            assert!(info.contains(want), "{f:?}: {want} not in {info}");
        }
    }
    // Hashes and drop counts too (what tshark does not show).
    let options = |bytes: Vec<u8>| {
        let mut r = Reader::from_bytes(bytes).unwrap();
        let mut v = Vec::new();
        while let Some(p) = r.next_packet().unwrap() {
            v.push(p.options());
        }
        v
    };
    let mut copied = Vec::new();
    for f in &files {
        copied.extend(options(std::fs::read(f).unwrap()));
    }
    assert_eq!(copied, options(std::fs::read(&input).unwrap()));
}
