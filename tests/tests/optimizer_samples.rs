//! The optimizer keeps verdicts on real packets: every expression of the
//! golden list, compiled with and without the optimizer, must decide the
//! same on every packet of the whole (untruncated) sample captures.

use std::path::Path;

use capture::Reader;
use filter_compiler::cbpf::interp;
use filter_compiler::{CompileOptions, compile};

#[test]
fn optimized_and_unoptimized_programs_agree_on_sample_packets() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let exprs = std::fs::read_to_string(root.join("tests/goldens/expressions.txt")).unwrap();
    let mut checked = 0;
    for pcap in [
        "sample.pcap",
        "sample-be-ns.pcap",
        "sample-sll.pcap",
        "sample-multi.pcapng",
    ] {
        let mut reader = Reader::open(&root.join("pcaps").join(pcap)).unwrap();
        let mut packets = Vec::new();
        while let Some(p) = reader.next_packet().unwrap() {
            packets.push((p.interface.link_type(), p.data.to_vec(), p.wirelen));
        }
        for expr in exprs.lines() {
            for (link, data, wirelen) in &packets {
                let mut opts = CompileOptions::new(*link);
                let Ok(fast) = compile(expr, &opts) else {
                    continue;
                };
                opts.optimize = false;
                let slow = compile(expr, &opts).unwrap();
                assert_eq!(
                    interp::run(&fast, data, *wirelen) != 0,
                    interp::run(&slow, data, *wirelen) != 0,
                    "{pcap}: {expr}"
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 5000, "{checked}");
}
