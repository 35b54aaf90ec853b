//! Golden tests for `cbpf::listing`: every `tests/goldens/listing/NAME.ddd`
//! (a program as printed by `tcpdump -ddd` / libpcap's `bpf_dump`) is parsed
//! back into instructions and rendered in all three styles, which must match
//! libpcap's own output byte for byte. The inputs come from libpcap, not from
//! our compiler, so this checks the listing code in isolation.
//! Regenerate with `tests/goldens/listing/regen.sh`.

use std::fs;
use std::path::{Path, PathBuf};

use bpfcap_filter::cbpf::Insn;
use bpfcap_filter::cbpf::listing::{Format, render};

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/goldens/listing")
}

/// Parses `-ddd` output: a count line, then `code jt jf k` per instruction.
fn parse_ddd(text: &str, path: &Path) -> Vec<Insn> {
    let mut lines = text.lines();
    let count: usize = lines
        .next()
        .and_then(|l| l.trim().parse().ok())
        .unwrap_or_else(|| panic!("{}: missing count line", path.display()));
    let insns: Vec<Insn> = lines
        .map(|line| {
            let f: Vec<u64> = line
                .split_whitespace()
                .map(|w| {
                    w.parse()
                        .unwrap_or_else(|_| panic!("{}: bad line {line:?}", path.display()))
                })
                .collect();
            assert_eq!(f.len(), 4, "{}: bad line {line:?}", path.display());
            Insn {
                code: f[0].try_into().unwrap(),
                jt: f[1].try_into().unwrap(),
                jf: f[2].try_into().unwrap(),
                k: f[3].try_into().unwrap(),
            }
        })
        .collect();
    assert_eq!(
        insns.len(),
        count,
        "{}: count line disagrees",
        path.display()
    );
    insns
}

/// Compares line by line first so a failure names the offending instruction
/// rather than dumping two multi-thousand-line strings.
fn assert_same(actual: &str, expected: &str, what: &str) {
    for (i, (a, e)) in actual.lines().zip(expected.lines()).enumerate() {
        assert_eq!(a, e, "{what}: line {} differs", i + 1);
    }
    assert_eq!(
        actual, expected,
        "{what}: differs (line count or trailing newline)"
    );
}

#[test]
fn listings_match_libpcap() {
    let mut ddd_files: Vec<PathBuf> = fs::read_dir(golden_dir())
        .expect("golden dir")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "ddd"))
        .collect();
    ddd_files.sort();
    // The expression goldens plus opcodes.ddd; guard against a lost directory.
    assert!(
        ddd_files.len() >= 12,
        "only {} goldens found",
        ddd_files.len()
    );

    for ddd_path in &ddd_files {
        let ddd = fs::read_to_string(ddd_path).unwrap();
        let insns = parse_ddd(&ddd, ddd_path);
        for (format, ext) in [
            (Format::Image, "d"),
            (Format::C, "dd"),
            (Format::Decimal, "ddd"),
        ] {
            let path = ddd_path.with_extension(ext);
            let expected = fs::read_to_string(&path).unwrap();
            assert_same(
                &render(&insns, format),
                &expected,
                &path.display().to_string(),
            );
        }
    }
}
