//! The printer must never panic, whatever the bytes: random packets and
//! mutated copies of the golden captures' packets (flipped bytes, cut
//! short, wrong lengths), on every link type, with every option.

use std::path::Path;

use bpfcap_capture::Reader;
use bpfcap_filter::LinkType;
use bpfcap_print::Summarizer;
use bpfcap_print::testing::{NoNames, options};
use proptest::prelude::*;

/// The link types the printer decodes, and one it does not (147).
const LINKS: [u32; 25] = [
    0, 1, 9, 12, 101, 104, 105, 107, 108, 113, 117, 127, 129, 147, 226, 228, 229, 239, 242, 271,
    276, 281, 282, 284, 285,
];

/// The packets of the golden captures, as seeds for mutation.
fn seeds() -> Vec<(u32, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/goldens");
    let mut v = Vec::new();
    // The core captures, and the proto-v-* ones for the -v decoders'
    // deep branches.
    let mut names: Vec<String> = ["core-ether", "core-sll", "core-sll2", "core-raw"]
        .iter()
        .map(|n| format!("{n}.pcap"))
        .collect();
    for e in std::fs::read_dir(&dir).expect("goldens folder") {
        let name = e.expect("entry").file_name().to_string_lossy().to_string();
        if name.starts_with("proto-v-") && name.ends_with(".pcap") {
            names.push(name);
        }
    }
    names.sort();
    for name in names {
        let mut r = Reader::open(&dir.join(name)).expect("golden capture");
        while let Some(p) = r.next_packet().expect("readable") {
            v.push((p.interface.link_type().0, p.data.to_vec()));
        }
    }
    v
}

fn print(s: &mut Summarizer, link: u32, wirelen: u32, data: &[u8]) {
    let mut out = String::new();
    s.write(&mut out, LinkType(link), 1_700_000_000, 0, wirelen, data);
    assert!(out.ends_with('\n'));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes(link in 0usize..LINKS.len(), data in proptest::collection::vec(any::<u8>(), 0..300),
                    extra in 0u32..2000, bits in any::<u16>()) {
        let mut s = Summarizer::with_resolver(options(bits), Box::new(NoNames));
        print(&mut s, LINKS[link], data.len() as u32 + extra, &data);
        print(&mut s, LINKS[link], (data.len() as u32).saturating_sub(extra), &data);
    }

    #[test]
    fn mutated_packets(pick in any::<usize>(), flips in proptest::collection::vec((any::<usize>(), any::<u8>()), 0..6),
                       cut in any::<usize>(), extra in 0u32..100, bits in any::<u16>()) {
        let seeds = seeds();
        let (link, mut data) = seeds[pick % seeds.len()].clone();
        for (at, b) in flips {
            if !data.is_empty() {
                let n = data.len();
                data[at % n] = b;
            }
        }
        let mut s = Summarizer::with_resolver(options(bits), Box::new(NoNames));
        let wire = data.len() as u32 + extra;
        print(&mut s, link, wire, &data);
        let cut = cut % (data.len() + 1);
        print(&mut s, link, wire, &data[..cut]);
        for other in LINKS {
            print(&mut s, other, wire, &data[..cut]);
        }
    }
}
