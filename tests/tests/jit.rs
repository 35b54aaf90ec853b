//! The JIT against the reference interpreter on real filters and packets:
//! every sample capture in `pcaps/` × every expression of the goldens and
//! of the conformance list, compiled (optimized and not) for each
//! packet's link type, on each packet as captured, cut short at several
//! lengths, and with a few wire lengths.

use std::path::{Path, PathBuf};

use bpfcap_capture::Reader;
use bpfcap_filter::cbpf::jit::JitFilter;
use bpfcap_filter::cbpf::{Program, interp};
use bpfcap_filter::{CompileOptions, LinkType, compile};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every packet of every sample capture: (link type, big-endian, data,
/// wire length).
fn packets() -> Vec<(LinkType, bool, Vec<u8>, u32)> {
    let mut out = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(root().join("pcaps"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pcap" || e == "pcapng"))
        .collect();
    files.sort();
    for f in files {
        let mut reader = Reader::open(&f).unwrap();
        while let Some(p) = reader.next_packet().unwrap() {
            out.push((
                p.interface.link_type(),
                p.interface.big_endian,
                p.data.to_vec(),
                p.wirelen,
            ));
        }
    }
    out
}

/// A program's cache key: link type, byte order, optimizer, expression.
type Key = (LinkType, bool, bool, usize);

fn expressions() -> Vec<String> {
    let mut exprs = Vec::new();
    for list in [
        "tests/goldens/expressions.txt",
        "conformance/expressions.txt",
    ] {
        let text = std::fs::read_to_string(root().join(list)).unwrap();
        exprs.extend(
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(String::from),
        );
    }
    exprs
}

#[test]
fn jit_agrees_with_the_interpreter_on_the_sample_captures() {
    let packets = packets();
    assert!(packets.len() > 50, "sample captures missing");
    let exprs = expressions();
    assert!(exprs.len() > 300, "expression lists missing");
    let mut programs: Vec<(Key, Option<(Program, JitFilter)>)> = Vec::new();
    let (mut runs, mut compiled) = (0u64, 0usize);
    for (i, expr) in exprs.iter().enumerate() {
        for &(link, big, ref data, wirelen) in &packets {
            for optimize in [true, false] {
                let key = (link, big, optimize, i);
                let at = match programs.iter().position(|(k, _)| *k == key) {
                    Some(at) => at,
                    None => {
                        let mut opts = CompileOptions::new(link);
                        opts.big_endian_capture = big;
                        opts.optimize = optimize;
                        let made = compile(expr, &opts).ok().map(|p| {
                            let jit = JitFilter::new(&p);
                            (p, jit)
                        });
                        let Some((p, jit)) = made else {
                            programs.push((key, None));
                            continue;
                        };
                        // No JIT on this platform: nothing to compare.
                        let Some(jit) = jit else { return };
                        compiled += 1;
                        programs.push((key, Some((p, jit))));
                        programs.len() - 1
                    }
                };
                let Some((p, jit)) = &programs[at].1 else {
                    continue;
                };
                let n = data.len();
                for cut in [n, n.saturating_sub(1), n / 2, 34.min(n), 14.min(n), 0] {
                    for wire in [wirelen, cut as u32, u32::MAX] {
                        let pkt = &data[..cut];
                        let want = interp::run(p, pkt, wire);
                        assert_eq!(
                            jit.run(pkt, wire),
                            want,
                            "{expr:?} ({link:?}, optimize {optimize}) on {pkt:02x?}, wirelen {wire}"
                        );
                        runs += 1;
                    }
                }
            }
        }
        programs.clear();
    }
    assert!(compiled > 300, "only {compiled} programs compiled");
    assert!(runs > 100_000, "only {runs} runs");
}
