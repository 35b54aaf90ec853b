//! Offline replay's output whichever loop hands packets on (the fast
//! ones for `-w` and `--count -w`, or packet by packet with `-U`, `-c`,
//! printing), checked against tcpdump where it is installed.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn run(tool: &str, args: &[&str]) -> Output {
    let mut cmd = match tool {
        "bpfcap" => Command::new(env!("CARGO_BIN_EXE_bpfcap")),
        other => Command::new(other),
    };
    cmd.args(args).env("TZ", "UTC").output().unwrap()
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("bpfcap-paths-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn sample(name: &str) -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../pcaps");
    dir.join(name).display().to_string()
}

/// Whether tcpdump is there for `test` (else it is skipped, or fails
/// with CI=true).
fn have_tcpdump(test: &str) -> bool {
    let there = bpfcap_tests::on_path("tcpdump");
    if !there {
        bpfcap_tests::skip(test, "`tcpdump` is missing");
    }
    there
}

/// Runs `tool` to write `-w` output with `args`; the output's bytes and
/// standard output.
fn written(tool: &str, input: &str, args: &[&str], name: &str) -> (Vec<u8>, String) {
    let out = tmp(&format!("{name}.{tool}"));
    let _ = std::fs::remove_file(&out);
    let mut all = vec!["-r", input, "-w", out.to_str().unwrap()];
    all.extend_from_slice(args);
    let o = run(tool, &all);
    assert!(
        o.status.success(),
        "{tool} {all:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let bytes = std::fs::read(&out).unwrap();
    (bytes, String::from_utf8(o.stdout).unwrap())
}

/// A TCP SYN in an Ethernet frame.
const SYN: &str = "ffffffffffff001122334455080045000028000100004006f97a0a0000010a00000204d20050000000010000000050020200d1e0";

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// A pcap file (micro- or nanosecond magic, in either byte order) of
/// SYNs whose time stamp fractions are in and out of range: a second
/// and a half, the largest 32-bit value (-1 as libpcap reads it in the
/// file's byte order), the largest in range.
fn fractions_file(nanos: bool, big: bool) -> PathBuf {
    let w = |v: u32| {
        if big {
            v.to_be_bytes()
        } else {
            v.to_le_bytes()
        }
    };
    let magic: u32 = if nanos { 0xa1b2_3c4d } else { 0xa1b2_c3d4 };
    let unit = if nanos { 1000 } else { 1 };
    let mut f = Vec::new();
    f.extend(w(magic));
    f.extend(if big { [0, 2, 0, 4] } else { [2, 0, 4, 0] });
    for v in [0, 0, 65535, 1] {
        f.extend(w(v));
    }
    let data = hex(SYN);
    let fracs = [5, 1_500_000 * unit, u32::MAX, 999_999 * unit + unit - 1, 7];
    for (i, frac) in fracs.into_iter().enumerate() {
        for v in [1_700_000_000 + i as u32 * 3, frac, data.len() as u32, 60] {
            f.extend(w(v));
        }
        f.extend(&data);
    }
    let path = tmp(&format!("fractions-{nanos}-{big}.pcap"));
    std::fs::write(&path, f).unwrap();
    path
}

/// A pcap record's time stamp fraction out of range (a second or more,
/// in damaged files) is written as tcpdump writes it, as stored, by the
/// fast loop and packet by packet alike (`-U`, or another precision),
/// and printed as tcpdump prints it, in every time format.
#[test]
fn out_of_range_time_fractions_are_written_and_printed_as_tcpdump_does() {
    let test = "out_of_range_time_fractions_are_written_and_printed_as_tcpdump_does";
    let tcpdump = have_tcpdump(test);
    for nanos in [false, true] {
        for big in [false, true] {
            let file = fractions_file(nanos, big);
            let input = file.to_str().unwrap();
            let name = format!("fractions-{nanos}-{big}");
            // (tcpdump's precision flag, bpfcap's): tcpdump writes at
            // the precision it reads with (micro unless --nano), bpfcap
            // at the file's unless told.
            let precisions: &[(&str, &str)] = if nanos {
                &[("--nano", "--nano"), ("--micro", "--micro"), ("--nano", "")]
            } else {
                &[
                    ("--micro", "--micro"),
                    ("--nano", "--nano"),
                    ("--micro", ""),
                ]
            };
            for &(td, ours) in precisions {
                let fast = written("bpfcap", input, &[ours, "tcp"], &name);
                let slow = written("bpfcap", input, &[ours, "-U", "tcp"], &name);
                let counted = written("bpfcap", input, &[ours, "--count", "tcp"], &name);
                assert_eq!(fast.0, slow.0, "{name} {ours}");
                assert_eq!(fast.0, counted.0, "{name} {ours}");
                assert_eq!(counted.1, "5 packets\n");
                if tcpdump {
                    let theirs = written("tcpdump", input, &[td, "tcp"], &name);
                    assert!(fast.0 == theirs.0, "{name} {ours}: not tcpdump's output");
                }
            }
            if !tcpdump {
                continue;
            }
            for flags in [&["-n"][..], &["-tt"], &["-ttt"], &["-tttt"], &["-ttttt"]] {
                for precision in ["--micro", "--nano"] {
                    let mut args = vec!["-nr", input, precision];
                    args.extend_from_slice(flags);
                    let (ours, theirs) = (run("bpfcap", &args), run("tcpdump", &args));
                    assert_eq!(
                        String::from_utf8_lossy(&ours.stdout),
                        String::from_utf8_lossy(&theirs.stdout),
                        "{name} {args:?}"
                    );
                }
            }
        }
    }
}

/// `--count` with `-w` writes what `-w` alone writes and prints the
/// count `--count` alone prints, as tcpdump does, from pcap and pcapng,
/// into pcap files and pcapng copies.
#[test]
fn count_with_w_writes_and_counts() {
    let test = "count_with_w_writes_and_counts";
    let tcpdump = have_tcpdump(test);
    // A pcapng copy of the sample, as bpfcap writes it.
    let ng = tmp("sample.pcapng");
    let o = run(
        "bpfcap",
        &[
            "-r",
            &sample("sample.pcap"),
            "--pcapng",
            "-w",
            ng.to_str().unwrap(),
        ],
    );
    assert!(o.status.success());
    let inputs = [
        sample("sample.pcap"),
        sample("sample-be-ns.pcap"),
        ng.display().to_string(),
    ];
    // Two link types: only a pcapng copy takes them.
    let multi = sample("sample-multi.pcapng");
    let copy = written("bpfcap", &multi, &["--pcapng", "tcp"], "multi");
    let both = written("bpfcap", &multi, &["--pcapng", "--count", "tcp"], "multi");
    let alone = run("bpfcap", &["-r", &multi, "--count", "tcp"]);
    assert!(copy.0 == both.0);
    assert_eq!(both.1, String::from_utf8_lossy(&alone.stdout));
    for input in &inputs {
        for expr in ["", "tcp", "udp and not port 53", "ether[0] & 1 = 0"] {
            let name = "count";
            let plain = written("bpfcap", input, &[expr], name);
            let both = written("bpfcap", input, &["--count", expr], name);
            let alone = run("bpfcap", &["-r", input, "--count", expr]);
            assert!(plain.0 == both.0, "{input} {expr:?}");
            assert_eq!(
                both.1,
                String::from_utf8_lossy(&alone.stdout),
                "{input} {expr:?}"
            );
            if input.ends_with(".pcapng") {
                // A pcapng copy (tcpdump writes none).
                let copy = written("bpfcap", input, &["--pcapng", expr], name);
                let both = written("bpfcap", input, &["--pcapng", "--count", expr], name);
                assert!(copy.0 == both.0, "{input} {expr:?}");
                assert_eq!(
                    both.1,
                    String::from_utf8_lossy(&alone.stdout),
                    "{input} {expr:?}"
                );
            }
            if tcpdump {
                // tcpdump writes microseconds unless told.
                let ours = written("bpfcap", input, &["--micro", "--count", expr], name);
                let theirs = written("tcpdump", input, &["--count", expr], name);
                assert_eq!(ours.1, theirs.1, "{input} {expr:?}");
                assert!(ours.0 == theirs.0, "{input} {expr:?}: not tcpdump's output");
            }
        }
    }
}
