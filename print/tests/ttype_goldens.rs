//! `-T TYPE` (tcpdump's forced UDP payload types) against tcpdump 4.99's
//! text, byte for byte: goldens written by `tests/goldens/ttype-regen.sh`
//! from made-up UDP packets on ports no printer knows.

use std::path::Path;

use bpfcap_filter::LinkType;
use bpfcap_print::{PACKET_TYPES, Summarizer, SummaryOptions, TimeFormat};

mod common;
use common::read_pcap;

#[test]
fn forced_packet_types_print_as_tcpdump() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/goldens/ttype");
    let mut compared = 0;
    for t in PACKET_TYPES {
        // A type's own capture if it has one.
        let own = dir.join(format!("forced_{t}.pcap"));
        let pcap = if own.exists() {
            own
        } else {
            dir.join("forced.pcap")
        };
        let packets = read_pcap(&std::fs::read(pcap).unwrap());
        for (verbose, suffix) in [(0, "n"), (1, "v")] {
            let Ok(golden) = std::fs::read_to_string(dir.join(format!("{t}.{suffix}.txt"))) else {
                continue;
            };
            let mut sum = Summarizer::new(SummaryOptions {
                time: TimeFormat::Epoch,
                verbose,
                numeric: 1,
                packet_type: Some(t),
                ..SummaryOptions::default()
            });
            let mut ours = String::new();
            for (secs, data, wirelen) in &packets {
                sum.write(&mut ours, LinkType::EN10MB, *secs, 0, *wirelen, data);
            }
            assert_eq!(ours, golden, "-T {t} ({suffix})");
            compared += 1;
        }
    }
    assert_eq!(compared, 2 * PACKET_TYPES.len() - 1);
}
