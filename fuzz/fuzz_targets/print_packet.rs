//! The packet printer (`bpfcap-print`) on arbitrary bytes: any link
//! type, any options, packets cut short or claiming more than they hold.
//! Nothing may panic, and every packet's text ends with a newline.
//!
//! Input: link-type byte (index into `LINKS`), two option bytes (bits as
//! in `bpfcap_print::testing::options`), a wire-length byte (how much longer than the captured
//! bytes the packet claims to be, times 16), then the packet. The packet
//! is printed twice through one summarizer, so per-capture state (TCP
//! sequence numbers) is exercised too.

#![no_main]

use bpfcap_filter::LinkType;
use bpfcap_print::Summarizer;
use bpfcap_print::testing::{NoNames, options};
use libfuzzer_sys::fuzz_target;

/// The link types the printer decodes, and one it does not (147).
const LINKS: [u32; 25] = [
    1, 0, 9, 12, 101, 104, 105, 107, 108, 113, 117, 127, 129, 147, 226, 228, 229, 239, 242, 271,
    276, 281, 282, 284, 285,
];

fuzz_target!(|input: &[u8]| {
    let [link, o1, o2, extra, packet @ ..] = input else {
        return;
    };
    let link = LinkType(LINKS[usize::from(*link) % LINKS.len()]);
    let mut s =
        Summarizer::with_resolver(options(u16::from_le_bytes([*o1, *o2])), Box::new(NoNames));
    let wirelen = (packet.len() as u32).saturating_add(u32::from(*extra) * 16);
    for _ in 0..2 {
        let mut out = String::new();
        s.write(&mut out, link, 1_700_000_000, 0, wirelen, packet);
        assert!(out.ends_with('\n'));
    }
});
