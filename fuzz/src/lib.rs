//! Helpers shared by the fuzz targets in `fuzz_targets/`.

use bpfcap_filter::cbpf::validate::validate;
use std::sync::Arc;

use bpfcap_filter::{CompileOptions, LinkType, NameTable, PacketSource, compile};

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
/// small snaplen, bit 4 compiles for size (`size_first`), bit 5 for a
/// live socket (`inbound`, `ifindex`, `ifname eth0` as kernel metadata).
/// Names resolve from [`names`] always.
pub fn options(link: u8, flags: u8) -> CompileOptions {
    let mut opts = CompileOptions::new(LINK_TYPES[link as usize % LINK_TYPES.len()]);
    opts.resolver = Some(Arc::new(names()));
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
    opts.size_first = flags & 16 != 0;
    if flags & 32 != 0 {
        opts.source = PacketSource::Kernel {
            interfaces: vec![("eth0".into(), 2)],
            only: None,
        };
    }
    opts
}

/// Host, network and Ethernet host names for `host NAME` and friends
/// (`expr.dict` has them): one address, IPv4 and IPv6 ones mixed, a
/// network written short, a MAC address.
pub fn names() -> NameTable {
    let ip = |s: &str| s.parse().expect("an address");
    NameTable::new()
        .host("lo", [ip("127.0.0.1")])
        .host(
            "multi",
            [ip("192.0.2.7"), ip("2001:db8::7"), ip("192.0.2.8")],
        )
        .network("loopback", 127)
        .ether_host("router", [0, 0x1b, 0x21, 0xaa, 0xbb, 0xcc])
}

/// A `Write` whose bytes stay readable after it is boxed into a
/// `bpfcap_capture::Writer` (which owns its output and hands no way back).
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

/// Compiles `expr` to classic BPF and checks the outcome: a program must
/// pass the kernel's rules (`Program` validates on construction, but
/// codegen could build one through a path that skips that), an error must
/// render (the CLI prints errors this way; spans must index the text).
pub fn check_compile(expr: &str, opts: &CompileOptions) {
    match compile(expr, opts) {
        Ok(prog) => {
            if let Err(e) = validate(prog.insns()) {
                panic!("invalid program for {expr:?}: {e}\n{:?}", prog.insns());
            }
        }
        Err(e) => {
            let _ = e.render(expr);
        }
    }
}

/// Most copies of the template [`expand`] makes: enough for the
/// optimizer's structures to show how they grow, few enough that an
/// input compiles in well under a second.
pub const MAX_COPIES: usize = 3000;

/// How [`expand`] joins the copies of a template.
pub fn join_mode(selector: u8) -> (&'static str, &'static str, &'static str) {
    // (before each copy, between copies, after each copy)
    match selector % 5 {
        0 => ("", " or ", ""),
        1 => ("", " and ", ""),
        2 => ("(", " or ", ")"),
        3 => ("not (", " and ", ")"),
        _ => ("(", " or ", ""),
    }
}

/// `count` copies of `template`, each `#` in it replaced by the copy's
/// number (so `port #` gives `port 0 or port 1 or ...`), joined as
/// [`join_mode`] says; mode 4 nests them: `(a or (b or (c ...`, closed at
/// the end.
pub fn expand(template: &str, count: usize, mode: u8) -> String {
    let (open, sep, close) = join_mode(mode);
    let mut out = String::new();
    for i in 0..count {
        if i > 0 {
            out.push_str(sep);
        }
        out.push_str(open);
        out.push_str(&template.replace('#', &i.to_string()));
        out.push_str(close);
    }
    if close.is_empty() {
        out.push_str(&")".repeat(open.len() * count));
    }
    out
}

/// A file of this process's own named `name`, in RAM when /dev/shm
/// exists.
pub fn temp_path(name: &str) -> std::path::PathBuf {
    let dir = std::path::Path::new("/dev/shm");
    let dir = if dir.is_dir() {
        dir.to_path_buf()
    } else {
        std::env::temp_dir()
    };
    dir.join(format!("bpfcap-fuzz-{}-{name}", std::process::id()))
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
