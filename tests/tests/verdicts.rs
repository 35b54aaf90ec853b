//! The project's own verdict goldens: for every sample capture in
//! `pcaps/` and every expression in `goldens/expressions.txt`, the packets
//! bpfcap's offline replay accepts must be the ones tcpdump accepted when
//! `goldens/regen.sh` was run (or both must refuse the expression).

use std::path::{Path, PathBuf};

use bpfcap_capture::{Reader, Replay, ReplayError, ReplayOptions};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Indices of matching packets (the samples stamp packet i at
/// 1700000000 + i seconds), or `None` if the expression does not compile.
fn replay(pcap: &Path, expr: &str) -> Option<Vec<i64>> {
    let mut reader = Reader::open(pcap).unwrap();
    let mut replay = Replay::new(ReplayOptions::new(expr));
    let mut got = Vec::new();
    match replay.run(&mut reader, &mut |p: &bpfcap_capture::Packet<'_>| {
        got.push(p.ts.secs - 1_700_000_000);
        Ok(())
    }) {
        Ok(_) => Some(got),
        Err(ReplayError::Compile { .. }) => None,
        Err(e) => panic!("{}: {e}", pcap.display()),
    }
}

#[test]
fn sample_captures_match_tcpdump() {
    let goldens = std::fs::read_to_string(root().join("tests/goldens/verdicts.tsv")).unwrap();
    let mut failures = Vec::new();
    let mut n = 0;
    for line in goldens.lines() {
        let mut cols = line.splitn(3, '\t');
        let (pcap, expr, want) = (
            cols.next().unwrap(),
            cols.next().unwrap(),
            cols.next().unwrap(),
        );
        let want: Option<Vec<i64>> = match want {
            "error" => None,
            "-" => Some(vec![]),
            list => Some(list.split(',').map(|i| i.parse().unwrap()).collect()),
        };
        let got = replay(&root().join("pcaps").join(pcap), expr);
        if got != want {
            failures.push(format!("{pcap}\t{expr}\twant {want:?}\tgot {got:?}"));
        }
        n += 1;
    }
    assert!(n > 300, "goldens missing");
    assert!(
        failures.is_empty(),
        "{} of {n} differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn pcapng_with_two_link_types_uses_a_filter_per_interface() {
    // sample-multi.pcapng holds Ethernet and raw-IP interfaces; `ip` must
    // find IPv4 packets on both.
    let pcap = root().join("pcaps/sample-multi.pcapng");
    let mut reader = Reader::open(&pcap).unwrap();
    let mut replay = Replay::new(ReplayOptions::new("ip"));
    let mut links = std::collections::BTreeSet::new();
    replay
        .run(&mut reader, &mut |p: &bpfcap_capture::Packet<'_>| {
            links.insert(p.interface.linktype);
            Ok(())
        })
        .unwrap();
    assert_eq!(links.len(), 2, "{links:?}");
}

#[test]
fn count_and_snaplen_limit_the_output() {
    let pcap = root().join("pcaps/sample.pcap");
    let mut reader = Reader::open(&pcap).unwrap();
    let mut opts = ReplayOptions::new("tcp");
    opts.count = Some(2);
    opts.snaplen = Some(20);
    let mut lens = Vec::new();
    let stats = Replay::new(opts)
        .run(&mut reader, &mut |p: &bpfcap_capture::Packet<'_>| {
            lens.push(p.data.len());
            Ok(())
        })
        .unwrap();
    assert_eq!(stats.matched, 2);
    assert_eq!(lens, vec![20, 20]);
}
