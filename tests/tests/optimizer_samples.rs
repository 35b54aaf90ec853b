//! The optimizer keeps verdicts on real packets: every expression of the
//! golden list, compiled with and without the optimizer, must decide the
//! same on every packet of the whole (untruncated) sample captures; and
//! the size-first form must decide as the default one on every packet,
//! whole and cut short.

use std::path::Path;

use bpfcap_capture::Reader;
use bpfcap_filter::cbpf::interp;
use bpfcap_filter::{CompileOptions, compile};

/// Compiles every golden expression for every sample packet's link type
/// with the default options and with `other`'s change, and checks both
/// decide alike on the packet (and on its first `cut` bytes, when `cut`
/// says how far to cut); how many pairs were checked.
fn agree(other: impl Fn(&mut CompileOptions), cut: Option<usize>) -> usize {
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
                other(&mut opts);
                let slow = compile(expr, &opts).unwrap();
                let whole = data.len();
                let lens = cut.map_or(vec![whole], |c| vec![whole, whole.min(c)]);
                for len in lens {
                    let data = &data[..len];
                    let (a, b) = match cut {
                        // Exact return values: both are libpcap's.
                        Some(_) => (
                            interp::run(&fast, data, *wirelen),
                            interp::run(&slow, data, *wirelen),
                        ),
                        None => (
                            u32::from(interp::run(&fast, data, *wirelen) != 0),
                            u32::from(interp::run(&slow, data, *wirelen) != 0),
                        ),
                    };
                    assert_eq!(a, b, "{pcap}: {expr} on {len} bytes");
                    checked += 1;
                }
            }
        }
    }
    checked
}

#[test]
fn optimized_and_unoptimized_programs_agree_on_sample_packets() {
    let checked = agree(|o| o.optimize = false, None);
    assert!(checked > 5000, "{checked}");
}

#[test]
fn size_first_and_default_programs_agree_on_sample_packets() {
    let checked = agree(|o| o.size_first = true, Some(40));
    assert!(checked > 10000, "{checked}");
}
