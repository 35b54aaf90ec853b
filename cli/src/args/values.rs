//! Checks of flag values, with tcpdump's rules and messages.
//!
//! A value tcpdump refuses must be refused here too: the rotation flags
//! in particular once took `-G 0`, `-C 0` and `-W 0` and then silently
//! lost packets (a new file for every packet, a ring of no files). Each
//! parser returns tcpdump's message; `main` prints it as `bpfcap: ...`
//! with exit status 1, as tcpdump does.

use bpfcap_capture::live::Direction;
use std::num::NonZeroU32;

use bpfcap_filter::{DEFAULT_SNAPLEN, LinkType};

/// tcpdump's largest snapshot length (`MAXIMUM_SNAPLEN`).
pub const MAXIMUM_SNAPLEN: u32 = 262_144;

/// A whole number as C's `strtol` reads one with the given base: an
/// optional sign, then digits, and nothing after them. Base 0 takes
/// `0x` (hex) and `0` (octal) prefixes, as tcpdump's `-s` does.
fn strtol(text: &str, base: u32) -> Option<i64> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (radix, digits) = match base {
        0 => {
            if let Some(hex) = digits
                .strip_prefix("0x")
                .or_else(|| digits.strip_prefix("0X"))
            {
                (16, hex)
            } else if digits.len() > 1 && digits.starts_with('0') {
                (8, &digits[1..])
            } else {
                (10, digits)
            }
        }
        b => (b, digits),
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = i64::from_str_radix(digits, radix).ok()?;
    Some(if negative { -magnitude } else { magnitude })
}

/// A number as glibc's `atoi` reads one, as tcpdump reads `-c`, `-W`,
/// `-G` and `-B`: blanks, a sign, then decimal digits up to the first
/// other character (`5x` is 5, `x` is 0), saturated as `strtol` does and
/// cut to an `int`.
fn atoi(text: &str) -> i64 {
    let t = text.trim_start_matches([' ', '\t', '\n', '\x0b', '\x0c', '\r']);
    let (negative, t) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let end = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let magnitude = match &t[..end] {
        "" => 0,
        digits => digits.parse::<i64>().unwrap_or(i64::MAX),
    };
    let long = if negative { -magnitude } else { magnitude };
    i64::from(long as i32)
}

/// `-s`: 0 (the default, 262144) up to 262144.
pub fn snaplen(text: &str) -> Result<u32, String> {
    strtol(text, 0)
        .and_then(|n| u32::try_from(n).ok())
        .filter(|&n| n <= MAXIMUM_SNAPLEN)
        .ok_or_else(|| format!("invalid snaplen {text} (must be >= 0 and <= {MAXIMUM_SNAPLEN})"))
}

/// `-c`: a positive number of packets.
pub fn packet_count(text: &str) -> Result<u64, String> {
    positive(Some(atoi(text))).ok_or_else(|| format!("invalid packet count {text}"))
}

/// `-C`: a positive size in millions of bytes, small enough to count in
/// bytes.
pub fn file_size(text: &str) -> Result<u64, String> {
    let mb = positive(strtol(text, 10)).ok_or_else(|| format!("invalid file size {text}"))?;
    match mb.checked_mul(1_000_000) {
        Some(bytes) if bytes <= i64::MAX as u64 => Ok(mb),
        _ => Err(format!("file size {text} is too large")),
    }
}

/// `-W`: a positive number of files (with `-C`, a ring of that many).
pub fn file_count(text: &str) -> Result<u32, String> {
    positive(Some(atoi(text)))
        .and_then(|n| u32::try_from(n).ok())
        .ok_or_else(|| format!("invalid number of output files {text}"))
}

/// `-G`: seconds between files; 0 means no time rotation, as in tcpdump.
pub fn rotate_seconds(text: &str) -> Result<u64, String> {
    u64::try_from(atoi(text)).map_err(|_| format!("invalid number of seconds {text}"))
}

/// `-B`: a positive buffer size in KiB.
pub fn buffer_kib(text: &str) -> Result<usize, String> {
    positive(Some(atoi(text)))
        .and_then(|n| usize::try_from(n).ok())
        .ok_or_else(|| format!("invalid packet buffer size {text}"))
}

/// `-Q`: `in`, `out` or `inout`, in any case.
pub fn direction(text: &str) -> Result<Direction, String> {
    match text.to_ascii_lowercase().as_str() {
        "in" => Ok(Direction::In),
        "out" => Ok(Direction::Out),
        "inout" => Ok(Direction::InOut),
        _ => Err(format!("unknown capture direction `{text}'")),
    }
}

/// libpcap's time stamp types: name and description.
pub const TIME_STAMP_TYPES: [(&str, &str); 6] = [
    ("host", "Host"),
    ("host_lowprec", "Host, low precision"),
    ("host_hiprec", "Host, high precision"),
    ("adapter", "Adapter"),
    ("adapter_unsynced", "Adapter, not synced with system time"),
    (
        "host_hiprec_unsynced",
        "Host, high precision, not synced with system time",
    ),
];

/// `-j`: one of libpcap's time stamp type names, in any case; returns
/// the name as libpcap spells it.
pub fn time_stamp_type(text: &str) -> Result<&'static str, String> {
    TIME_STAMP_TYPES
        .iter()
        .map(|&(name, _)| name)
        .find(|name| name.eq_ignore_ascii_case(text))
        .ok_or_else(|| format!("invalid time stamp type {text}"))
}

/// Time stamp precision (`--time-stamp-precision`, `--micro`, `--nano`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Precision {
    Micro,
    Nano,
}

/// `--time-stamp-precision`: tcpdump only compares the start of the
/// value (`nanoseconds` is `nano`).
pub fn precision(text: &str) -> Result<Precision, String> {
    if text.starts_with("nano") {
        Ok(Precision::Nano)
    } else if text.starts_with("micro") {
        Ok(Precision::Micro)
    } else {
        Err("unsupported time stamp precision".into())
    }
}

/// `-T`: the packet types tcpdump 4.99.3 knows (all printed by the
/// printer), in any case.
pub fn packet_type(text: &str) -> Result<&'static str, String> {
    bpfcap_print::PACKET_TYPES
        .into_iter()
        .find(|t| t.eq_ignore_ascii_case(text))
        .ok_or_else(|| format!("unknown packet type `{text}'"))
}

/// `-y`: a link type name libpcap knows.
pub fn link_type(text: &str) -> Result<LinkType, String> {
    LinkType::from_name(text).ok_or_else(|| format!("invalid data link type {text}"))
}

/// `explain --hex`: a packet's bytes as hexadecimal digits, which may be
/// separated by spaces, colons, dots or dashes (as hex dumps write them);
/// a separator may also split a byte's two digits apart.
pub fn hex_bytes(text: &str) -> Result<Vec<u8>, String> {
    let digits: Vec<u32> = text
        .chars()
        .filter(|c| !matches!(c, ' ' | '\t' | '\n' | ':' | '.' | '-'))
        .map(|c| c.to_digit(16).ok_or(c))
        .collect::<Result<_, char>>()
        .map_err(|c| format!("invalid hex packet: {c:?} is not a hexadecimal digit"))?;
    if digits.is_empty() || digits.len() % 2 == 1 {
        return Err("invalid hex packet: it needs an even number of hexadecimal digits".into());
    }
    Ok(digits.chunks(2).map(|d| (d[0] * 16 + d[1]) as u8).collect())
}

fn positive(n: Option<i64>) -> Option<u64> {
    n.filter(|&n| n > 0).map(|n| n as u64)
}

/// `-s`: the snapshot length asked for, if any. `-s 0` asks for none, as
/// in tcpdump, where 0 means "the default"; what the default is depends
/// on where packets come from, and is decided by one method each.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Snaplen(Option<NonZeroU32>);

/// XDP's snapshot length without -s: whole Ethernet frames (an XDP
/// program without fragment support sees at most a page) rather than
/// tcpdump's 262144 bytes.
pub const XDP_SNAPLEN: u32 = 2048;

/// The most an XDP capture record says: its length field has 16 bits.
pub const XDP_MAX_SNAPLEN: u32 = 0xffff;

impl Snaplen {
    /// `-s N` as given (0: none asked for).
    pub fn new(n: u32) -> Snaplen {
        Snaplen(NonZeroU32::new(n))
    }

    /// For live capture, `-d` listings and compiled programs: tcpdump's
    /// default, 262144 bytes.
    pub fn tcpdump(self) -> u32 {
        self.0.map_or(DEFAULT_SNAPLEN, NonZeroU32::get)
    }

    /// For XDP (live, and `compile --target xdp`): [`XDP_SNAPLEN`] by
    /// default, at most [`XDP_MAX_SNAPLEN`].
    pub fn xdp(self) -> u32 {
        self.0
            .map_or(XDP_SNAPLEN, NonZeroU32::get)
            .min(XDP_MAX_SNAPLEN)
    }

    /// For file replay: `None` keeps packets as the file holds them, and
    /// the file's snapshot length.
    pub fn replay(self) -> Option<u32> {
        self.0.map(NonZeroU32::get)
    }

    /// A replay's output file header: `-s`, else the input's snapshot
    /// length (`file`; tcpdump's default where the input says 0).
    pub fn replay_header(self, file: u32) -> u32 {
        self.replay()
            .unwrap_or(if file == 0 { DEFAULT_SNAPLEN } else { file })
    }
}

/// What `bpfcap compile` makes (`--target`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// Classic BPF as a C array of `struct sock_filter` (`tcpdump -dd`'s
    /// listing), to paste into a program.
    Cbpf,
    /// Classic BPF as the `struct sock_filter` array itself, in this
    /// host's byte order ([`bpfcap_filter::Program::to_bytes`]), for
    /// loaders that read it from a file and hand it to `SO_ATTACH_FILTER`.
    CbpfRaw,
    /// A BPF ELF object with the filter as a socket filter program.
    EbpfSocket,
    /// A BPF ELF object with an XDP program (`--action`, `--invert`).
    Xdp,
    /// iptables' `-m bpf --bytecode` text.
    XtBpf,
}

impl Target {
    /// Every target by its `--target` name.
    const NAMES: [(&'static str, Target); 5] = [
        ("cbpf", Target::Cbpf),
        ("cbpf-raw", Target::CbpfRaw),
        ("ebpf-socket", Target::EbpfSocket),
        ("xdp", Target::Xdp),
        ("xt_bpf", Target::XtBpf),
    ];

    /// `--target NAME`.
    pub fn parse(name: &str) -> Result<Target, String> {
        Target::NAMES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|&(_, t)| t)
            .ok_or_else(|| {
                let names: Vec<&str> = Target::NAMES.iter().map(|(n, _)| *n).collect();
                let (last, rest) = names.split_last().expect("targets");
                format!("invalid --target {name} ({} or {last})", rest.join(", "))
            })
    }

    /// The link type to compile for without `-y`: Ethernet, but raw IP
    /// for iptables, which hands `-m bpf` the packet from its IP header
    /// (as nfbpf_compile's DLT_RAW).
    pub fn default_link_type(self) -> LinkType {
        match self {
            Target::XtBpf => LinkType::RAW,
            _ => LinkType::EN10MB,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_packets_read_as_hex_dumps_write_them() {
        let want = Ok(vec![0x02, 0x00, 0xab, 0xcd]);
        for text in [
            "0200abcd",
            "02 00 ab cd",
            "02:00:AB:CD",
            "0200.abcd",
            "02-00\nab cd",
        ] {
            assert_eq!(hex_bytes(text), want, "{text:?}");
        }
        assert!(hex_bytes("").is_err() && hex_bytes("abc").is_err());
        assert_eq!(
            hex_bytes("0x00"),
            Err("invalid hex packet: 'x' is not a hexadecimal digit".into())
        );
    }

    #[test]
    fn snaplen_range_is_tcpdumps() {
        assert_eq!(snaplen("0"), Ok(0));
        assert_eq!(snaplen("262144"), Ok(262_144));
        assert_eq!(snaplen("0x100"), Ok(256));
        for bad in ["262145", "4294967295", "-1", "abc", "", "96k"] {
            assert_eq!(
                snaplen(bad),
                Err(format!(
                    "invalid snaplen {bad} (must be >= 0 and <= 262144)"
                ))
            );
        }
    }

    #[test]
    fn rotation_values_tcpdump_refuses_are_refused() {
        assert_eq!(file_size("0"), Err("invalid file size 0".into()));
        assert_eq!(file_size("-1"), Err("invalid file size -1".into()));
        assert_eq!(file_size("1k"), Err("invalid file size 1k".into()));
        assert_eq!(file_size("100"), Ok(100));
        assert_eq!(
            file_size("99999999999999"),
            Err("file size 99999999999999 is too large".into())
        );
        assert_eq!(
            file_count("0"),
            Err("invalid number of output files 0".into())
        );
        assert_eq!(
            file_count("-3"),
            Err("invalid number of output files -3".into())
        );
        assert_eq!(file_count("5"), Ok(5));
        assert_eq!(rotate_seconds("0"), Ok(0));
        assert_eq!(
            rotate_seconds("-1"),
            Err("invalid number of seconds -1".into())
        );
        assert_eq!(packet_count("0"), Err("invalid packet count 0".into()));
        // tcpdump reads these with atoi.
        assert_eq!(packet_count("010"), Ok(10));
        assert_eq!(packet_count("5x"), Ok(5));
        assert_eq!(packet_count(" +3"), Ok(3));
        assert_eq!(
            packet_count("0x10"),
            Err("invalid packet count 0x10".into())
        );
        assert_eq!(file_count("5x"), Ok(5));
        assert_eq!(rotate_seconds("abc"), Ok(0));
        assert_eq!(buffer_kib("0"), Err("invalid packet buffer size 0".into()));
    }

    #[test]
    fn names_are_read_as_tcpdump_reads_them() {
        assert_eq!(direction("IN"), Ok(Direction::In));
        assert_eq!(direction("inout"), Ok(Direction::InOut));
        assert_eq!(
            direction("both"),
            Err("unknown capture direction `both'".into())
        );
        assert_eq!(time_stamp_type("Adapter"), Ok("adapter"));
        assert_eq!(
            time_stamp_type("foo"),
            Err("invalid time stamp type foo".into())
        );
        assert_eq!(precision("nanoseconds"), Ok(Precision::Nano));
        assert_eq!(precision("micro"), Ok(Precision::Micro));
        assert_eq!(
            precision("milli"),
            Err("unsupported time stamp precision".into())
        );
        assert_eq!(packet_type("RPC"), Ok("rpc"));
        assert_eq!(
            packet_type("quic"),
            Err("unknown packet type `quic'".into())
        );
        assert_eq!(link_type("en10mb"), Ok(LinkType::EN10MB));
        assert_eq!(
            link_type("NOSUCH"),
            Err("invalid data link type NOSUCH".into())
        );
    }

    #[test]
    fn targets_by_name() {
        for (name, target) in Target::NAMES {
            assert_eq!(Target::parse(name), Ok(target));
        }
        assert_eq!(
            Target::parse("CBPF"),
            Err("invalid --target CBPF (cbpf, cbpf-raw, ebpf-socket, xdp or xt_bpf)".into())
        );
        assert_eq!(Target::XtBpf.default_link_type(), LinkType::RAW);
        assert_eq!(Target::Cbpf.default_link_type(), LinkType::EN10MB);
    }
}
