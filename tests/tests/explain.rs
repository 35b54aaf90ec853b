//! `explain`'s verdicts are the replay's: for every sample capture and
//! many expressions (the conformance list and the verdict goldens'), the
//! packets an [`Explainer`] says match are exactly those `bpfcap -r FILE
//! -w OUT` keeps, and every explained path ends where the verdict does;
//! in both semantics (under protocol semantics, over the layered capture
//! as well: VLAN, QinQ, MPLS, IPv6 extension headers, fragments).

use std::path::{Path, PathBuf};

use bpfcap_capture::file::pkttype_for_flags;
use bpfcap_capture::{Reader, Replay, ReplayError, ReplayOptions};
use bpfcap_filter::cbpf::ancillary::Answers;
use bpfcap_filter::explain::{Explainer, Symbols};
use bpfcap_filter::{FilterSpec, Semantics};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A packet kept: its time stamp and bytes.
type Kept = ((i64, u32), Vec<u8>);

/// The packets the replay keeps, or `None` when it refuses the filter.
fn replayed(pcap: &Path, spec: &FilterSpec) -> Option<Vec<Kept>> {
    let mut reader = Reader::open(pcap).unwrap();
    let mut kept = Vec::new();
    let run = Replay::new(ReplayOptions::new(spec.clone())).run(
        &mut reader,
        &mut |p: &bpfcap_capture::Packet<'_>| {
            kept.push(((p.ts.secs, p.ts.nanos), p.data.to_vec()));
            Ok(())
        },
    );
    match run {
        Ok(_) => Some(kept),
        Err(ReplayError::Compile { .. } | ReplayError::NoDirection { .. }) => None,
        Err(e) => panic!("{}: {e}", pcap.display()),
    }
}

/// The packets the explainer says match (compiled as the replay
/// compiles), or `None` when it refuses the filter or cannot decide a
/// packet; panics if a path ends elsewhere than its verdict.
fn explained(pcap: &Path, spec: &FilterSpec) -> Option<Vec<Kept>> {
    let expr = spec.expr.as_str();
    let mut reader = Reader::open(pcap).unwrap();
    let source = reader.packet_source();
    let mut explainers = Vec::new();
    let mut kept = Vec::new();
    while let Some(p) = reader.next_packet().unwrap() {
        let key = (p.interface.link_type(), p.interface.big_endian);
        let at = match explainers.iter().position(|(k, _)| *k == key) {
            Some(i) => i,
            None => {
                let mut opts = spec.options(key.0);
                opts.big_endian_capture = key.1;
                opts.source = source.clone();
                explainers.push((key, Explainer::new(expr, &opts).ok()?));
                explainers.len() - 1
            }
        };
        let answers = Answers {
            pkttype: p.flags().and_then(pkttype_for_flags).map(u32::from),
            ifindex: p.interface_id as u32,
        };
        let why = explainers[at].1.explain(p.data, p.wirelen, answers);
        why.verdict.ok()?;
        let text = why.render(Symbols::Ascii);
        assert!(text.is_ascii() && (text.starts_with("match") || text.starts_with("no match")));
        assert_eq!(
            why.path_matches,
            why.matches(),
            "{}: {expr}: the path and the verdict disagree:\n{why:?}",
            pcap.display()
        );
        if why.matches() {
            kept.push(((p.ts.secs, p.ts.nanos), p.data.to_vec()));
        }
    }
    // As `bpfcap explain` does at the end of a pcapng file: an `ifname`
    // of no interface of the file is an error.
    if let bpfcap_filter::PacketSource::Records { interfaces, .. } = reader.packet_source()
        && let Some(((link, big), _)) = explainers.first()
    {
        let mut opts = spec.options(*link);
        opts.big_endian_capture = *big;
        opts.source = bpfcap_filter::PacketSource::Records {
            interfaces,
            complete: true,
        };
        Explainer::new(expr, &opts).ok()?;
    }
    Some(kept)
}

/// The sample captures, and with `layered` the layered one (written to
/// `tmp`).
fn captures(layered: Option<&Path>) -> Vec<PathBuf> {
    let mut pcaps: Vec<PathBuf> = std::fs::read_dir(root().join("pcaps"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pcap" || e == "pcapng"))
        .collect();
    pcaps.sort();
    if let Some(path) = layered {
        bpfcap_tests::layered::write_pcap(path).unwrap();
        pcaps.push(path.to_owned());
    }
    pcaps
}

#[test]
fn explained_verdicts_are_the_replays() {
    verdicts_agree(Semantics::Libpcap, None);
}

#[test]
fn explained_verdicts_are_the_replays_under_protocol_semantics() {
    let layered = std::env::temp_dir().join(format!("explain-layered-{}.pcap", std::process::id()));
    verdicts_agree(Semantics::Protocol, Some(&layered));
    std::fs::remove_file(&layered).unwrap();
}

/// Every expression over every capture: the explainer's verdicts are
/// the replay's.
fn verdicts_agree(semantics: Semantics, layered: Option<&Path>) {
    let mut exprs: Vec<String> = Vec::new();
    for list in [
        "conformance/expressions.txt",
        "tests/goldens/expressions.txt",
    ] {
        let text = std::fs::read_to_string(root().join(list)).unwrap();
        exprs.extend(
            text.lines()
                .filter(|l| !l.trim().is_empty())
                .map(str::to_owned),
        );
    }
    exprs.extend(
        [
            "",
            "inbound",
            "ifname eth0 and udp",
            "tcp[13] & 2 != 0",
            "len > 100 or vlan",
        ]
        .map(String::from),
    );
    let pcaps = captures(layered);
    assert!(pcaps.len() >= 6 && exprs.len() > 300);
    let mut checked = 0;
    let mut differ = Vec::new();
    for pcap in &pcaps {
        for expr in &exprs {
            // A second pcapng section naming its interfaces anew: the
            // replay's own verdicts on `ifname` differ between its
            // sinks there (-w keeps, -n refuses), so no single answer.
            if pcap.ends_with("sample-meta.pcapng") && expr.starts_with("ifname") {
                continue;
            }
            let spec = FilterSpec {
                semantics,
                ..FilterSpec::new(expr.as_str())
            };
            let (want, got) = (replayed(pcap, &spec), explained(pcap, &spec));
            if want.is_some() {
                checked += 1;
            }
            if want != got {
                differ.push(format!("{}: {expr} ({semantics:?})", pcap.display()));
            }
        }
    }
    assert!(checked > 1500, "only {checked} filters compiled");
    assert!(
        differ.is_empty(),
        "{} differ:\n{}",
        differ.len(),
        differ.join("\n")
    );
}
