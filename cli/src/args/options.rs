//! The options bpfcap accepts: tcpdump 4.99's, spelled as its getopt
//! option string and long-option table spell them, then bpfcap's own
//! long options (which take no tcpdump letter).

use super::getopt::{HasArg, Long, Spec};

/// What an option is, whatever way it was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key {
    /// A tcpdump option letter (also for the long options that are
    /// another name for one, like `--interface` for `-i`).
    Letter(u8),
    /// tcpdump's long-only options.
    Count,
    Immediate,
    Micro,
    Nano,
    Precision,
    Print,
    Version,
    FpType,
    /// bpfcap's own.
    Ebpf,
    Xdp,
    XdpMode,
    Action,
    Invert,
    Pcapng,
    OptimizeSize,
    Semantics,
    Tunnels,
    Set,
}

/// tcpdump 4.99.3's option string on Linux (`tcpdump.c`'s SHORTOPTS with
/// libpcap's create, set_tstamp_type, setdirection and dump_flush).
const SHORT: &str = "aAbB:c:C:dDeE:fF:G:hHi:Ij:JKlLm:M:nNOpqQ:r:s:StT:uUvV:w:W:xXy:Yz:Z:#";

const fn long(name: &'static str, has_arg: HasArg, key: Key) -> Long<Key> {
    Long { name, has_arg, key }
}

const fn letter(name: &'static str, has_arg: HasArg, c: u8) -> Long<Key> {
    long(name, has_arg, Key::Letter(c))
}

use HasArg::{No, Required};

/// tcpdump 4.99.3's long options, in its table's order (the order glibc
/// lists an ambiguous prefix's possibilities in).
const TCPDUMP_LONG: &[Long<Key>] = &[
    letter("buffer-size", Required, b'B'),
    letter("list-interfaces", No, b'D'),
    letter("help", No, b'h'),
    letter("interface", Required, b'i'),
    letter("monitor-mode", No, b'I'),
    letter("time-stamp-type", Required, b'j'),
    letter("list-time-stamp-types", No, b'J'),
    long("micro", No, Key::Micro),
    long("nano", No, Key::Nano),
    long("time-stamp-precision", Required, Key::Precision),
    letter("dont-verify-checksums", No, b'K'),
    letter("list-data-link-types", No, b'L'),
    letter("no-optimize", No, b'O'),
    letter("no-promiscuous-mode", No, b'p'),
    letter("direction", Required, b'Q'),
    letter("snapshot-length", Required, b's'),
    letter("absolute-tcp-sequence-numbers", No, b'S'),
    letter("packet-buffered", No, b'U'),
    letter("linktype", Required, b'y'),
    long("immediate-mode", No, Key::Immediate),
    letter("relinquish-privileges", Required, b'Z'),
    long("count", No, Key::Count),
    long("fp-type", No, Key::FpType),
    letter("number", No, b'#'),
    long("print", No, Key::Print),
    long("version", No, Key::Version),
];

/// bpfcap's own long options.
const BPFCAP_LONG: &[Long<Key>] = &[
    long("ebpf", No, Key::Ebpf),
    long("xdp", No, Key::Xdp),
    long("xdp-mode", Required, Key::XdpMode),
    long("action", Required, Key::Action),
    long("invert", No, Key::Invert),
    long("pcapng", No, Key::Pcapng),
    long("optimize-size", No, Key::OptimizeSize),
    long("semantics", Required, Key::Semantics),
    long("tunnels", No, Key::Tunnels),
    long("set", Required, Key::Set),
];

/// The whole command line of `bpfcap`.
pub const SPEC: Spec<Key> = Spec {
    short: SHORT,
    long: TCPDUMP_LONG,
    extra: BPFCAP_LONG,
    letter: Key::Letter,
};

/// What `bpfcap compile` options are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompileKey {
    Letter(u8),
    Target,
    Action,
    Invert,
    OptimizeSize,
    Semantics,
    Tunnels,
    Set,
}

/// `bpfcap compile [-o FILE] [-y LINKTYPE] [-s SNAPLEN] [--target T]
/// [--action A] [--invert] [--optimize-size] [--semantics S] [--tunnels]
/// EXPRESSION`.
pub const COMPILE_SPEC: Spec<CompileKey> = Spec {
    short: "o:s:y:",
    long: &[
        Long {
            name: "target",
            has_arg: Required,
            key: CompileKey::Target,
        },
        Long {
            name: "action",
            has_arg: Required,
            key: CompileKey::Action,
        },
        Long {
            name: "invert",
            has_arg: No,
            key: CompileKey::Invert,
        },
        Long {
            name: "optimize-size",
            has_arg: No,
            key: CompileKey::OptimizeSize,
        },
        Long {
            name: "semantics",
            has_arg: Required,
            key: CompileKey::Semantics,
        },
        Long {
            name: "tunnels",
            has_arg: No,
            key: CompileKey::Tunnels,
        },
        Long {
            name: "set",
            has_arg: Required,
            key: CompileKey::Set,
        },
    ],
    extra: &[],
    letter: CompileKey::Letter,
};

/// What `bpfcap explain` options are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExplainKey {
    Letter(u8),
    Hex,
    Ascii,
    Semantics,
    Tunnels,
}

/// `bpfcap explain (-r FILE | --hex HEX) [-c COUNT] [-y LINKTYPE]
/// [-s SNAPLEN] [--ascii] EXPRESSION`.
pub const EXPLAIN_SPEC: Spec<ExplainKey> = Spec {
    short: "c:r:s:y:",
    long: &[
        Long {
            name: "hex",
            has_arg: Required,
            key: ExplainKey::Hex,
        },
        Long {
            name: "ascii",
            has_arg: No,
            key: ExplainKey::Ascii,
        },
        Long {
            name: "semantics",
            has_arg: Required,
            key: ExplainKey::Semantics,
        },
        Long {
            name: "tunnels",
            has_arg: No,
            key: ExplainKey::Tunnels,
        },
    ],
    extra: &[],
    letter: ExplainKey::Letter,
};

#[cfg(test)]
mod tests {
    use super::*;

    /// No bpfcap long option is also a tcpdump one, and each tcpdump
    /// letter a long option names is in the option string with the same
    /// need for a value.
    #[test]
    fn tables_agree() {
        for o in BPFCAP_LONG {
            assert!(TCPDUMP_LONG.iter().all(|t| t.name != o.name), "{}", o.name);
        }
        for o in TCPDUMP_LONG {
            if let Key::Letter(c) = o.key {
                let at = SHORT.bytes().position(|b| b == c).unwrap();
                let takes = SHORT.as_bytes().get(at + 1) == Some(&b':');
                assert_eq!(takes, o.has_arg == Required, "{}", o.name);
            }
        }
    }
}
