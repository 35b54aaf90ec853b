//! The command line's settings turned into what the libraries take, each
//! in one place: [`args`](crate::args) reads the flags into typed values
//! (the low level, in tcpdump's order and with its messages); here they
//! become the filter spec, the snapshot length each kind of capture uses,
//! and the capture libraries' option structs (the high level). The modes
//! take these and no flag is turned into an option anywhere else.

use bpfcap_capture::ReplayOptions;
use bpfcap_capture::devices;
use bpfcap_capture::live::LiveOptions;
use bpfcap_filter::{CompileOptions, FilterSpec, LinkType};
use bpfcap_xdp::{Action, XdpOptions};

use crate::args::{Args, XdpAction};
use crate::{Fatal, resolver};

/// The filter asked for: the expression (from the command line, or `-F`),
/// the compiler flags (`-O`, `--optimize-size`, `--tunnels`) and the
/// system's names.
pub fn filter(args: &Args) -> Result<FilterSpec, Fatal> {
    let expr = match &args.filter_file {
        Some(path) => strip_comments(&read_filter_file(path)?),
        None => args.expr.clone(),
    };
    Ok(FilterSpec {
        optimize: !args.no_optimize,
        size_first: args.optimize_size,
        semantics: args.semantics,
        tunnels: args.tunnels,
        resolver: Some(resolver::system()),
        sets: crate::sets::load(&args.sets).map_err(Fatal)?,
        ..FilterSpec::new(expr)
    })
}

/// The compile options for packets of `link`, with tcpdump's snapshot
/// length: for `-d` listings, and the XDP program's filter. As in
/// libpcap, a program not for a savefile is for the kernel, which knows
/// each packet's direction and interface (`-r` sets its own source).
pub fn compile_options(args: &Args, filter: &FilterSpec, link: LinkType) -> CompileOptions {
    CompileOptions {
        snaplen: args.snaplen.tcpdump(),
        source: devices::kernel_source(None),
        ..filter.options(link)
    }
}

/// Live capture on `interface` (AF_PACKET).
pub fn live_options(args: &Args, interface: &str, filter: &FilterSpec) -> LiveOptions {
    let defaults = LiveOptions::new(interface);
    LiveOptions {
        snaplen: args.snaplen.tcpdump(),
        promiscuous: !args.no_promiscuous,
        buffer_size: args
            .buffer_kib
            .map_or(defaults.buffer_size, |kib| kib.saturating_mul(1024)),
        filter: filter.clone(),
        ebpf: args.ebpf,
        direction: args.direction,
        immediate: args.immediate,
        ..defaults
    }
}

/// Replay of capture files.
pub fn replay_options(args: &Args, filter: &FilterSpec) -> ReplayOptions {
    ReplayOptions {
        snaplen: args.snaplen.replay(),
        count: args.count,
        ..ReplayOptions::new(filter.clone())
    }
}

/// The XDP program's settings for a live `--xdp` run.
pub fn xdp_options(args: &Args) -> XdpOptions {
    XdpOptions {
        action: args.action.into(),
        invert: args.invert,
        snaplen: args.snaplen.xdp(),
        ring_bytes: ring_bytes(args.buffer_kib),
    }
}

impl From<XdpAction> for Action {
    fn from(a: XdpAction) -> Action {
        match a {
            XdpAction::Pass => Action::Pass,
            XdpAction::Drop => Action::Drop,
            XdpAction::CaptureDrop => Action::Capture { drop: true },
            XdpAction::Capture => Action::Capture { drop: false },
        }
    }
}

/// The XDP capture ring buffer without -B: records take what the packet
/// needs (a 64-byte frame about 100 bytes), so this holds a few hundred
/// thousand small packets — a burst while the reader is held up.
const XDP_RING_BYTES: u32 = 32 << 20;

/// The XDP ring buffer's size: -B (KiB, as tcpdump's buffer) rounded up
/// to a power of two and at least a page, as the kernel wants; at most
/// 1 GiB.
fn ring_bytes(buffer_kib: Option<usize>) -> u32 {
    let Some(kib) = buffer_kib else {
        return XDP_RING_BYTES;
    };
    // SAFETY: sysconf has no preconditions.
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) }.max(4096) as u64;
    let bytes = (kib as u64).saturating_mul(1024).clamp(page, 1 << 30);
    bytes.next_power_of_two().min(1 << 30) as u32
}

/// The most a `-F` file may hold: far more than any real filter (50,000
/// `port N or` alternatives are 700 kB), and a bound for `-F /dev/zero`
/// or a fifo that never ends, which would otherwise be read forever.
const FILTER_FILE_LIMIT: u64 = 16 << 20;

/// Reads a `-F` file, at most [`FILTER_FILE_LIMIT`] bytes.
fn read_filter_file(path: &std::path::Path) -> Result<String, Fatal> {
    use std::io::Read;
    let shown = path.display();
    // tcpdump's words: `can't open F: ...`, `read F: ...`.
    let file = std::fs::File::open(path).map_err(|e| Fatal(format!("can't open {shown}: {e}")))?;
    let mut bytes = Vec::new();
    file.take(FILTER_FILE_LIMIT + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Fatal(format!("read {shown}: {e}")))?;
    if bytes.len() as u64 > FILTER_FILE_LIMIT {
        return Err(Fatal(format!(
            "{shown}: filter file longer than {} MiB",
            FILTER_FILE_LIMIT >> 20
        )));
    }
    String::from_utf8(bytes).map_err(|_| Fatal(format!("{shown}: the filter is not UTF-8 text")))
}

/// Blanks out `#` comments of a filter file, as tcpdump does.
fn strip_comments(text: &str) -> String {
    text.lines()
        .map(|line| line.split('#').next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use std::ffi::OsString;

    use super::*;
    use crate::args::values::{Snaplen, XDP_MAX_SNAPLEN, XDP_SNAPLEN};

    fn parse(argv: &str) -> Args {
        let argv: Vec<OsString> = argv.split_whitespace().map(OsString::from).collect();
        Args::parse(&argv).unwrap()
    }

    #[test]
    fn comments_are_blanked() {
        assert_eq!(strip_comments("tcp # web\nport 80"), "tcp  port 80");
    }

    /// The three meanings of "no -s" (and of `-s 0`, which is the same).
    #[test]
    fn each_capture_has_its_own_default_snaplen() {
        for unset in [Snaplen::default(), Snaplen::new(0), parse("-s0").snaplen] {
            assert_eq!(unset, Snaplen::default());
            assert_eq!(unset.tcpdump(), 262_144);
            assert_eq!(unset.xdp(), XDP_SNAPLEN);
            assert_eq!(unset.replay(), None);
            assert_eq!(unset.replay_header(65535), 65535);
            assert_eq!(unset.replay_header(0), 262_144);
        }
        let s = parse("-s 96").snaplen;
        assert_eq!(
            (s.tcpdump(), s.xdp(), s.replay(), s.replay_header(65535)),
            (96, 96, Some(96), 96)
        );
        // The XDP record's 16-bit length caps it.
        assert_eq!(Snaplen::new(262_144).xdp(), XDP_MAX_SNAPLEN);
        assert_eq!(Snaplen::new(262_144).tcpdump(), 262_144);
    }

    #[test]
    fn flags_become_the_filter_spec_and_options() {
        let args = parse("-O --optimize-size -s 128 -B 4096 -p -Q in --ebpf -c 3 tcp port 80");
        let spec = filter(&args).unwrap();
        assert!(spec.resolver.is_some(), "the system's names");
        assert_eq!(
            spec,
            FilterSpec {
                optimize: false,
                size_first: true,
                resolver: spec.resolver.clone(),
                ..FilterSpec::new("tcp port 80")
            }
        );
        let live = live_options(&args, "eth0", &spec);
        assert_eq!(live.interface, "eth0");
        assert_eq!(live.filter, spec);
        assert_eq!(live.snaplen, 128);
        assert_eq!(live.buffer_size, 4096 * 1024);
        assert!(!live.promiscuous && live.ebpf && !live.immediate);
        assert_eq!(live.direction, bpfcap_capture::live::Direction::In);
        let replay = replay_options(&args, &spec);
        assert_eq!(replay.filter, spec);
        assert_eq!((replay.snaplen, replay.count), (Some(128), Some(3)));
        let copts = compile_options(&args, &spec, LinkType::RAW);
        assert_eq!(copts.link_type, LinkType::RAW);
        assert_eq!(copts.snaplen, 128);
        assert!(!copts.optimize && copts.size_first);
        assert_eq!(copts.resolver, spec.resolver);

        // The defaults: LiveOptions's own ring size, the optimizer on.
        let args = parse("-i lo");
        let spec = filter(&args).unwrap();
        assert_eq!(
            spec,
            FilterSpec {
                resolver: spec.resolver.clone(),
                ..FilterSpec::new("")
            }
        );
        let live = live_options(&args, "lo", &spec);
        assert_eq!(live.buffer_size, LiveOptions::new("lo").buffer_size);
        assert_eq!(live.snaplen, 262_144);
        assert!(live.promiscuous);
    }

    #[test]
    fn xdp_flags_become_the_programs_options() {
        let o = xdp_options(&parse(
            "-i lo --xdp --action capture-drop --invert -s 100000",
        ));
        assert!(matches!(o.action, Action::Capture { drop: true }));
        assert!(o.invert);
        assert_eq!(o.snaplen, XDP_MAX_SNAPLEN);
        assert_eq!(o.ring_bytes, XDP_RING_BYTES);
        let o = xdp_options(&parse("-i lo --xdp"));
        assert!(matches!(o.action, Action::Capture { drop: false }));
        assert_eq!(o.snaplen, XDP_SNAPLEN);
    }

    #[test]
    fn ring_size_comes_from_buffer_size_as_a_power_of_two() {
        assert_eq!(ring_bytes(None), XDP_RING_BYTES);
        assert_eq!(ring_bytes(Some(1)), 4096);
        assert_eq!(ring_bytes(Some(2048)), 2 << 20);
        assert_eq!(ring_bytes(Some(3000)), 4 << 20);
        assert_eq!(ring_bytes(Some(usize::MAX)), 1 << 30);
    }
}
