//! The printer against tcpdump 4.99's own output, byte for byte: every
//! `tests/goldens/<capture>.<flags>.out` (written by
//! `tests/goldens/regen.sh`) is printed again here with the same options.
//! Packets listed in `tests/goldens/pending.txt` (a protocol not printed
//! yet) are allowed to differ; one that matches again must leave the list.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use bpfcap_capture::Reader;
use bpfcap_print::testing::NoNames;
use bpfcap_print::{Summarizer, SummaryOptions, TimeFormat};

fn goldens_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/goldens")
}

/// The options for a flag set such as `n_XX_e`.
fn options(set: &str) -> SummaryOptions {
    let mut o = SummaryOptions {
        time: TimeFormat::Epoch,
        ..SummaryOptions::default()
    };
    for flag in set.split('_') {
        for c in flag.chars() {
            match c {
                'n' => o.numeric += 1,
                'e' => o.link_header = true,
                'v' => o.verbose += 1,
                'q' => o.quiet += 1,
                'x' => o.hex += 1,
                'X' => {
                    o.hex += 1;
                    o.ascii = true;
                }
                'A' => o.ascii_only = true,
                'S' => o.absolute_seq = true,
                'K' => o.no_checksums = true,
                other => panic!("flag {other} in {set}"),
            }
        }
    }
    o
}

fn capture_path(name: &str) -> PathBuf {
    let here = goldens_dir().join(name);
    if here.exists() {
        here
    } else {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../pcaps")
            .join(name)
    }
}

/// Prints a capture as the `bpfcap` binary would.
fn print_capture(path: &Path, opts: SummaryOptions) -> String {
    let mut reader = Reader::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut s = Summarizer::with_resolver(opts, Box::new(NoNames));
    let mut out = String::new();
    while let Some(p) = reader.next_packet().expect("readable capture") {
        let link = p.interface.link_type();
        s.write(&mut out, link, p.ts.secs, p.ts.nanos, p.wirelen, p.data);
    }
    out
}

/// The text of each packet: a line with a time stamp and the lines
/// after it.
fn packets(text: &str) -> Vec<String> {
    let mut v: Vec<String> = Vec::new();
    for line in text.split_inclusive('\n') {
        let stamp = line.len() > 18
            && line.as_bytes()[..10].iter().all(u8::is_ascii_digit)
            && line.as_bytes()[10] == b'.';
        match v.last_mut() {
            Some(last) if !stamp => last.push_str(line),
            _ => v.push(line.to_string()),
        }
    }
    v
}

#[test]
fn goldens_match_tcpdump() {
    let dir = goldens_dir();
    let pending_text = std::fs::read_to_string(dir.join("pending.txt")).unwrap_or_default();
    let pending: BTreeSet<(String, usize)> = pending_text
        .lines()
        .filter_map(|l| {
            let l = l.split('#').next()?.trim();
            let (file, idx) = l.split_once(' ')?;
            Some((file.to_string(), idx.trim().parse().ok()?))
        })
        .collect();
    let mut goldens: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("goldens folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "out"))
        .collect();
    goldens.sort();
    assert!(goldens.len() > 50, "goldens missing: run regen.sh");
    let mut failures = Vec::new();
    let mut fixed = Vec::new();
    let mut compared = 0;
    for golden in &goldens {
        let file = golden.file_name().unwrap().to_string_lossy().to_string();
        let stem = file.strip_suffix(".out").unwrap();
        let (capture, set) = stem.rsplit_once('.').unwrap();
        let want = std::fs::read_to_string(golden).unwrap();
        let got = print_capture(&capture_path(capture), options(set));
        let (want, got) = (packets(&want), packets(&got));
        for i in 0..want.len().max(got.len()) {
            compared += 1;
            let same = want.get(i) == got.get(i);
            let allowed = pending.contains(&(file.clone(), i));
            if !same && !allowed {
                failures.push(format!(
                    "{file} packet {i}:\n  tcpdump: {:?}\n  bpfcap:  {:?}",
                    want.get(i),
                    got.get(i)
                ));
            } else if same && allowed {
                fixed.push(format!("{file} {i}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {compared} packets differ from tcpdump:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        fixed.is_empty(),
        "these now match tcpdump; remove them from pending.txt:\n{}",
        fixed.join("\n")
    );
}
