//! Helpers shared by the fuzz targets in `fuzz_targets/`.

use filter_compiler::{CompileOptions, LinkType};

/// Link types a selector byte picks from: every one the lowering code
/// handles specially (filter-compiler/src/lower/link.rs), plus one it
/// does not, so the "unsupported link type" errors are exercised too.
pub const LINK_TYPES: &[LinkType] = &[
    LinkType::EN10MB,
    LinkType::LINUX_SLL,
    LinkType::LINUX_SLL2,
    LinkType::RAW,
    LinkType::NULL,
    LinkType::LOOP,
    LinkType::IEEE802_11_RADIO,
    LinkType::IEEE802_11,
    LinkType::PPP,
    LinkType::PPP_SERIAL,
    LinkType::PPP_ETHER,
    LinkType::C_HDLC,
    LinkType::SLIP,
    LinkType::IPV4,
    LinkType::IPV6,
    LinkType::FRELAY,
    LinkType::NETANALYZER,
    LinkType::NETANALYZER_TRANSPARENT,
    LinkType::JUNIPER_ETHER,
    LinkType::JUNIPER_ATM1,
    LinkType::JUNIPER_MONITOR,
    LinkType::JUNIPER_ES,
    LinkType::ATM_RFC1483,
    LinkType::ATM_CLIP,
    LinkType::SUNATM,
    LinkType::ARCNET_LINUX,
    LinkType::IPNET,
    LinkType::PFLOG,
    LinkType::USB_LINUX,
];

/// Compile options from a link-type selector byte and a flags byte:
/// bit 0 turns the optimizer on (seeds use flags 1: as tcpdump), bit 1 sets a netmask (enables `ip broadcast`), bit 2
/// flips the capture byte order (matters for DLT_NULL), bit 3 uses a
/// small snaplen.
pub fn options(link: u8, flags: u8) -> CompileOptions {
    let mut opts = CompileOptions::new(LINK_TYPES[link as usize % LINK_TYPES.len()]);
    opts.optimize = flags & 1 != 0;
    if flags & 2 != 0 {
        opts.netmask = Some(0xffff_ff00);
    }
    if flags & 4 != 0 {
        opts.big_endian_capture = !opts.big_endian_capture;
    }
    if flags & 8 != 0 {
        opts.snaplen = 96;
    }
    opts
}

/// A `Write` whose bytes stay readable after it is boxed into a
/// `capture::Writer` (which owns its output and hands no way back).
#[derive(Clone, Default)]
pub struct SharedBuf(pub std::rc::Rc<std::cell::RefCell<Vec<u8>>>);

impl std::io::Write for SharedBuf {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Splits a `cbpf_exec`/`cbpf_jit` input: instruction count n (first
/// byte, taken mod 64, plus 1), n × 8 bytes of instructions, wire length
/// (u32 LE), then the packet. `None` when the input is too short.
pub fn program_input(data: &[u8]) -> Option<(&[u8], u32, &[u8])> {
    let (&n, rest) = data.split_first()?;
    let n = usize::from(n) % 64 + 1;
    let (code, rest) = rest.split_at_checked(n * 8)?;
    let (wirelen, pkt) = rest.split_first_chunk::<4>()?;
    Some((code, u32::from_le_bytes(*wirelen), pkt))
}
