//! The packet printer (`bpfcap-print`) on arbitrary bytes: any link
//! type, any options, packets cut short or claiming more than they hold.
//! Nothing may panic, and every packet's text ends with a newline.
//!
//! Input: link-type byte (index into `LINKS`), two option bytes (bits as
//! in `options`), a wire-length byte (how much longer than the captured
//! bytes the packet claims to be, times 16), then the packet. The packet
//! is printed twice through one summarizer, so per-capture state (TCP
//! sequence numbers) is exercised too.

#![no_main]

use std::net::IpAddr;

use bpfcap_print::{Resolver, Summarizer, SummaryOptions, TimeFormat};
use filter_compiler::LinkType;
use libfuzzer_sys::fuzz_target;

/// The link types the printer decodes, and one it does not (147).
const LINKS: [u32; 10] = [1, 0, 12, 101, 108, 113, 228, 229, 276, 147];

/// No name lookups while fuzzing.
struct NoNames;

impl Resolver for NoNames {
    fn lookup(&mut self, _: IpAddr) -> Option<String> {
        None
    }
}

fn options(bits: u16) -> SummaryOptions {
    SummaryOptions {
        time: TimeFormat::Epoch,
        link_header: bits & 1 != 0,
        verbose: ((bits >> 1) & 3) as u8,
        quiet: bits & 8 != 0,
        hex: ((bits >> 4) & 3) as u8,
        ascii: bits & 64 != 0,
        ascii_only: bits & 128 != 0,
        absolute_seq: bits & 256 != 0,
        no_checksums: bits & 512 != 0,
        numeric: ((bits >> 10) & 3) as u8,
        number: bits & 4096 != 0,
        nanos: bits & 8192 != 0,
    }
}

fuzz_target!(|input: &[u8]| {
    let [link, o1, o2, extra, packet @ ..] = input else {
        return;
    };
    let link = LinkType(LINKS[usize::from(*link) % LINKS.len()]);
    let mut s = Summarizer::with_resolver(options(u16::from_le_bytes([*o1, *o2])), Box::new(NoNames));
    let wirelen = (packet.len() as u32).saturating_add(u32::from(*extra) * 16);
    for _ in 0..2 {
        let mut out = String::new();
        s.write(&mut out, link, 1_700_000_000, 0, wirelen, packet);
        assert!(out.ends_with('\n'));
    }
});
