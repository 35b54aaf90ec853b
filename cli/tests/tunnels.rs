//! `vxlan` and `inner(...)` offline, against an independent decoder:
//! `bpfcap --tunnels -r CAP -w OUT EXPR` keeps the packets of a capture built for it
//! (`bpfcap_tests::tunnels`) that tshark's display filter of the same
//! meaning keeps.

use std::path::PathBuf;
use std::process::Command;

use bpfcap_capture::Reader;
use bpfcap_tests::tunnels::{FILTERS, frames, pcap};

fn tmp(name: &str) -> PathBuf {
    bpfcap_tests::temp_path("tunnels", name)
}

/// The 1-based numbers of the frames of `out` among `frames`.
fn kept(out: &[u8], frames: &[Vec<u8>]) -> Vec<usize> {
    let mut r = Reader::from_bytes(out.to_vec()).unwrap();
    let mut v = Vec::new();
    while let Some(p) = r.next_packet().unwrap() {
        let i = frames
            .iter()
            .position(|f| f == p.data)
            .expect("a frame of the input");
        v.push(i + 1);
    }
    v
}

#[test]
fn vxlan_and_inner_agree_with_tshark() {
    let test = "vxlan_and_inner_agree_with_tshark";
    if !bpfcap_tests::on_path("tshark") {
        bpfcap_tests::skip(test, "`tshark` is missing");
        return;
    }
    let named = frames();
    let frames: Vec<Vec<u8>> = named.iter().map(|(_, f)| f.clone()).collect();
    let cap = tmp("tunnels.pcap");
    std::fs::write(&cap, pcap(&frames)).unwrap();
    let out = tmp("out.pcap");
    let names = |v: &[usize]| v.iter().map(|&i| named[i - 1].0).collect::<Vec<_>>();
    for (expr, display) in FILTERS {
        let mut bpfcap = Command::new(env!("CARGO_BIN_EXE_bpfcap"));
        bpfcap.arg("--tunnels");
        bpfcap_tests::filter_file(bpfcap, &cap, &out, expr);
        let ours = kept(&std::fs::read(&out).unwrap(), &frames);
        let theirs = bpfcap_tests::tshark_frames(&cap, &[], display);
        assert_eq!(
            names(&ours),
            names(&theirs),
            "bpfcap '{expr}' against tshark '{display}'"
        );
    }
    let _ = std::fs::remove_dir_all(cap.parent().unwrap());
}

/// Off by default (libpcap 1.10's language, where `vxlan` alone is a
/// syntax error), on with `--tunnels`, for `-d` and `bpfcap compile`.
#[test]
fn tunnels_are_asked_for() {
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_bpfcap"))
            .args(args)
            .output()
            .unwrap()
    };
    let o = run(&["-d", "vxlan"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains(
            "syntax error at 0: vxlan is a tunnel extension libpcap 1.10 does not have: --tunnels enables it"
        ),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        run(&["--tunnels", "-d", "vxlan 42 and inner(tcp port 80)"])
            .status
            .success()
    );
    for target in ["cbpf", "ebpf-socket", "xdp"] {
        let o = run(&[
            "compile",
            "--tunnels",
            "--target",
            target,
            "-o",
            "-",
            "inner(udp port 53)",
        ]);
        assert!(
            o.status.success(),
            "{target}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let o = run(&[
            "compile",
            "--target",
            target,
            "-o",
            "-",
            "inner(udp port 53)",
        ]);
        assert_eq!(o.status.code(), Some(1), "{target}");
    }
}
