//! The command line: tcpdump's options, read by GNU getopt rules
//! ([`getopt`]) from tcpdump's option tables ([`options`]) into typed
//! settings, value by value in command-line order as tcpdump checks them
//! (so the first mistake is the one reported, and an earlier `-h` wins).
//! This is the low level, the flags as typed values; the
//! [`settings`](crate::settings) module turns them into the filter spec,
//! snapshot lengths and capture options the libraries take, and
//! [`Args::summarizer`], [`Args::rotation`] and [`Args::nanos`] into the
//! printer's and the writers'.

use std::ffi::OsString;
use std::path::PathBuf;

use bpfcap_capture::Rotation;
use bpfcap_capture::live::Direction;
use bpfcap_filter::cbpf::listing::Format;
use bpfcap_filter::{FilterSpec, LinkType, Semantics};
use bpfcap_print::{Summarizer, SummaryOptions, TimeFormat};

pub mod getopt;
pub mod options;
pub mod usage;
pub mod values;

use options::{COMPILE_SPEC, CompileKey, EXPLAIN_SPEC, ExplainKey, Key, SPEC};
use values::{Precision, Snaplen, Target};

use crate::sets::SetDef;

/// Why parsing ended without settings to run with.
#[derive(Debug, PartialEq, Eq)]
pub enum Stop {
    /// `-h` / `--help`: usage on standard output, success.
    Help,
    /// `--version`: version lines on standard output, success.
    Version,
    /// A mistake getopt reports (its message, if any), then the usage on
    /// standard error, exit status 1.
    Usage(Option<String>),
    /// A value tcpdump refuses: `bpfcap: MESSAGE`, exit status 1.
    Fatal(String),
}

/// What `--action` asks XDP to do with matching packets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum XdpAction {
    Pass,
    Drop,
    Capture,
    CaptureDrop,
}

impl XdpAction {
    fn parse(text: &str) -> Result<XdpAction, String> {
        match text {
            "pass" => Ok(XdpAction::Pass),
            "drop" => Ok(XdpAction::Drop),
            "capture" => Ok(XdpAction::Capture),
            "capture-drop" => Ok(XdpAction::CaptureDrop),
            _ => Err(format!(
                "invalid --action {text} (pass, drop, capture or capture-drop)"
            )),
        }
    }

    /// The name as written on the command line.
    pub fn name(self) -> &'static str {
        match self {
            XdpAction::Pass => "pass",
            XdpAction::Drop => "drop",
            XdpAction::Capture => "capture",
            XdpAction::CaptureDrop => "capture-drop",
        }
    }
}

/// Every setting of a `bpfcap` run.
#[derive(Debug, PartialEq, Eq)]
pub struct Args {
    /// `-r`: the capture file (`-` for standard input).
    pub read: Option<PathBuf>,
    /// `-V`: a file listing capture files, one a line.
    pub file_list: Option<PathBuf>,
    /// `-i`: interface names, or numbers from `-D`. tcpdump keeps the
    /// last one given; bpfcap captures on each (as dumpcap does).
    pub interfaces: Vec<String>,
    /// `-D`.
    pub list_interfaces: bool,
    /// `-L`.
    pub list_link_types: bool,
    /// `-J`.
    pub list_time_stamp_types: bool,
    /// `-j`: a time stamp type name.
    pub time_stamp_type: Option<&'static str>,
    /// `-I`.
    pub monitor_mode: bool,
    /// `-Q`.
    pub direction: Direction,
    /// `--immediate-mode`.
    pub immediate: bool,
    /// `-p`.
    pub no_promiscuous: bool,
    /// `-B`, KiB.
    pub buffer_kib: Option<usize>,
    /// `-U`.
    pub packet_buffered: bool,
    /// `-Z`.
    pub user: Option<String>,
    /// `-C`, millions of bytes.
    pub file_size: Option<u64>,
    /// `-G`, seconds.
    pub rotate_seconds: Option<u64>,
    /// `-W`.
    pub file_count: Option<u32>,
    /// `-z`: run with each finished rotated file's name.
    pub postrotate: Option<OsString>,
    /// `-w` (`-` for standard output).
    pub write: Option<PathBuf>,
    /// `--print`: print packets also when writing them with `-w`.
    pub print: bool,
    /// `--count`: print only how many packets matched.
    pub count_only: bool,
    /// `-l`: standard output flushed at each line.
    pub line_buffered: bool,
    /// `-c`.
    pub count: Option<u64>,
    /// `-s` (`-s 0` is no `-s`).
    pub snaplen: Snaplen,
    /// `-d`, `-dd`, `-ddd`: the program's listing instead of a capture
    /// (more `d`s are `-ddd`, as in tcpdump).
    pub listing: Option<Format>,
    /// `-y`.
    pub link_type: Option<LinkType>,
    /// `-O`.
    pub no_optimize: bool,
    /// `-f`: print foreign IPv4 addresses numerically.
    pub foreign: bool,
    /// `-F`.
    pub filter_file: Option<PathBuf>,
    /// `--micro`, `--nano`, `--time-stamp-precision` (the last given).
    pub precision: Option<Precision>,
    /// `-T`: a packet type to print UDP payloads as.
    pub packet_type: Option<&'static str>,
    /// `-n` count.
    pub numeric: u8,
    /// `-e`.
    pub link_header: bool,
    /// `-v` count.
    pub verbose: u8,
    /// `-x` count.
    pub hex: u8,
    /// `-X` count.
    pub hex_ascii: u8,
    /// `-A`.
    pub ascii_only: bool,
    /// `-S`.
    pub absolute_seq: bool,
    /// `-#` / `--number`.
    pub number: bool,
    /// `-K`.
    pub no_checksums: bool,
    /// `-q` count.
    pub quiet: u8,
    /// `-t` count.
    pub time: u8,
    /// `--ebpf`.
    pub ebpf: bool,
    /// `--xdp`.
    pub xdp: bool,
    /// `--xdp-mode`: `native` or `skb`.
    pub xdp_mode: Option<bpfcap_capture::xdp::Mode>,
    /// `--action` (default: capture).
    pub action: XdpAction,
    /// `--invert`.
    pub invert: bool,
    /// `--pcapng`.
    pub pcapng: bool,
    /// `--optimize-size`: the smallest program rather than the fastest.
    pub optimize_size: bool,
    /// `--semantics`: libpcap's (the default) or the headers' meaning.
    pub semantics: Semantics,
    /// `--tunnels`: accept `vxlan` and `inner(...)`.
    pub tunnels: bool,
    /// `--set NAME=FILE`s, in order.
    pub sets: Vec<SetDef>,
    /// The expression words (operands), joined by spaces.
    pub expr: String,
}

impl Default for Args {
    fn default() -> Self {
        Args {
            read: None,
            file_list: None,
            interfaces: Vec::new(),
            list_interfaces: false,
            list_link_types: false,
            list_time_stamp_types: false,
            time_stamp_type: None,
            monitor_mode: false,
            direction: Direction::InOut,
            immediate: false,
            no_promiscuous: false,
            buffer_kib: None,
            packet_buffered: false,
            user: None,
            file_size: None,
            rotate_seconds: None,
            file_count: None,
            postrotate: None,
            write: None,
            print: false,
            count_only: false,
            line_buffered: false,
            count: None,
            snaplen: Snaplen::default(),
            listing: None,
            link_type: None,
            no_optimize: false,
            foreign: false,
            filter_file: None,
            precision: None,
            packet_type: None,
            numeric: 0,
            link_header: false,
            verbose: 0,
            hex: 0,
            hex_ascii: 0,
            ascii_only: false,
            absolute_seq: false,
            number: false,
            no_checksums: false,
            quiet: 0,
            time: 0,
            ebpf: false,
            xdp: false,
            xdp_mode: None,
            action: XdpAction::Capture,
            invert: false,
            pcapng: false,
            optimize_size: false,
            semantics: Semantics::Libpcap,
            tunnels: false,
            sets: Vec::new(),
            expr: String::new(),
        }
    }
}

/// `--semantics NAME`.
fn semantics(value: &OsString) -> Result<Semantics, String> {
    text(value).parse()
}

fn text(value: &OsString) -> String {
    value.to_string_lossy().into_owned()
}

/// A value check's refusal, which ends parsing with tcpdump's message.
fn checked<T>(r: Result<T, String>) -> Result<T, Stop> {
    r.map_err(Stop::Fatal)
}

impl Args {
    /// Reads a command line (without the program name).
    pub fn parse(argv: &[OsString]) -> Result<Args, Stop> {
        let posixly_correct = std::env::var_os("POSIXLY_CORRECT").is_some();
        let (parsed, error) = getopt::parse(&SPEC, argv, posixly_correct);
        let mut args = Args::default();
        for found in parsed.options {
            args.apply(found.key, found.value)?;
        }
        if let Some(e) = error {
            return Err(Stop::Usage(Some(e.to_string())));
        }
        args.expr = getopt::join(&parsed.operands);
        args.check()?;
        Ok(args)
    }

    /// Takes one option, as tcpdump's getopt loop does.
    fn apply(&mut self, key: Key, value: Option<OsString>) -> Result<(), Stop> {
        let value = value.unwrap_or_default();
        let count = |n: u8| n.saturating_add(1);
        match key {
            Key::Letter(c) => match c {
                b'A' => self.ascii_only = true,
                b'B' => self.buffer_kib = Some(checked(values::buffer_kib(&text(&value)))?),
                b'c' => self.count = Some(checked(values::packet_count(&text(&value)))?),
                b'C' => self.file_size = Some(checked(values::file_size(&text(&value)))?),
                b'd' => {
                    self.listing = Some(match self.listing {
                        None => Format::Image,
                        Some(Format::Image) => Format::C,
                        Some(_) => Format::Decimal,
                    })
                }
                b'D' => self.list_interfaces = true,
                b'e' => self.link_header = true,
                b'f' => self.foreign = true,
                b'F' => self.filter_file = Some(value.into()),
                b'G' => self.rotate_seconds = Some(checked(values::rotate_seconds(&text(&value)))?),
                b'h' => return Err(Stop::Help),
                b'i' => self.interfaces.push(text(&value)),
                b'I' => self.monitor_mode = true,
                b'j' => {
                    self.time_stamp_type = Some(checked(values::time_stamp_type(&text(&value)))?)
                }
                b'J' => self.list_time_stamp_types = true,
                b'K' => self.no_checksums = true,
                b'l' => self.line_buffered = true,
                b'L' => self.list_link_types = true,
                // tcpdump without libsmi says this and goes on.
                b'm' => eprintln!(
                    "bpfcap: ignoring option `-m {}' (no libsmi support)",
                    text(&value)
                ),
                b'n' => self.numeric = count(self.numeric),
                b'O' => self.no_optimize = true,
                b'p' => self.no_promiscuous = true,
                b'q' => self.quiet = count(self.quiet),
                b'Q' => self.direction = checked(values::direction(&text(&value)))?,
                b'r' => self.read = Some(value.into()),
                b's' => self.snaplen = Snaplen::new(checked(values::snaplen(&text(&value)))?),
                b'S' => self.absolute_seq = true,
                b't' => self.time = count(self.time),
                b'T' => self.packet_type = Some(checked(values::packet_type(&text(&value)))?),
                b'U' => self.packet_buffered = true,
                b'v' => self.verbose = count(self.verbose),
                b'V' => self.file_list = Some(value.into()),
                b'w' => self.write = Some(value.into()),
                b'W' => self.file_count = Some(checked(values::file_count(&text(&value)))?),
                b'x' => self.hex = count(self.hex),
                b'X' => self.hex_ascii = count(self.hex_ascii),
                b'y' => self.link_type = Some(checked(values::link_type(&text(&value)))?),
                b'z' => self.postrotate = Some(value),
                b'Z' => self.user = Some(text(&value)),
                b'#' => self.number = true,
                // tcpdump 4.99.3 built without parser debugging takes -Y
                // into its option string, then prints the usage for it.
                b'Y' => return Err(Stop::Usage(None)),
                // Options only tcpdump's printer reads, for protocols
                // bpfcap's printer does not decode (-a: obsolete, -b: BGP
                // AS numbers, -E: ESP secrets, -H: 802.11s mesh headers,
                // -M: TCP-MD5 secret, -N: domain names, -u: NFS handles):
                // accepted, nothing to change.
                b'a' | b'b' | b'E' | b'H' | b'M' | b'N' | b'u' => {}
                _ => unreachable!("option letter {c} is not in the option string"),
            },
            Key::Count => self.count_only = true,
            Key::Immediate => self.immediate = true,
            Key::Micro => self.precision = Some(Precision::Micro),
            Key::Nano => self.precision = Some(Precision::Nano),
            Key::Precision => self.precision = Some(checked(values::precision(&text(&value)))?),
            Key::Print => self.print = true,
            Key::Version => return Err(Stop::Version),
            Key::FpType => {
                return Err(Stop::Fatal(
                    "--fp-type is tcpdump's floating-point self-test; bpfcap prints no floating-point values"
                        .into(),
                ));
            }
            Key::Ebpf => self.ebpf = true,
            Key::Xdp => self.xdp = true,
            Key::XdpMode => {
                self.xdp_mode = Some(match text(&value).as_str() {
                    "native" => bpfcap_capture::xdp::Mode::Native,
                    "skb" => bpfcap_capture::xdp::Mode::Skb,
                    other => {
                        return Err(Stop::Fatal(format!(
                            "invalid --xdp-mode {other} (native or skb)"
                        )));
                    }
                })
            }
            Key::Action => self.action = checked(XdpAction::parse(&text(&value)))?,
            Key::Invert => self.invert = true,
            Key::Pcapng => self.pcapng = true,
            Key::OptimizeSize => self.optimize_size = true,
            Key::Semantics => self.semantics = checked(semantics(&value))?,
            Key::Tunnels => self.tunnels = true,
            Key::Set => self.sets.push(checked(SetDef::parse(&text(&value)))?),
        }
        Ok(())
    }

    /// tcpdump's checks of the whole command line (after `-D`, which
    /// lists the interfaces whatever else is asked).
    fn check(&self) -> Result<(), Stop> {
        if self.list_interfaces {
            return Ok(());
        }
        let fail = |msg: &str| Err(Stop::Fatal(msg.into()));
        if self.time > 5 {
            return fail("only -t, -tt, -ttt, -tttt and -ttttt are supported");
        }
        if self.foreign && (self.file_list.is_some() || self.read.is_some()) {
            return fail("-f can not be used with -V or -r");
        }
        if self.file_list.is_some() && self.read.is_some() {
            return fail("-V and -r are mutually exclusive.");
        }
        if self.xdp_mode.is_some() && !self.xdp {
            return fail("--xdp-mode is for --xdp");
        }
        Ok(())
    }

    /// Whether packets are read from files (`-r`, `-V`) rather than an
    /// interface; tcpdump then ignores `-i`.
    pub fn offline(&self) -> bool {
        self.read.is_some() || self.file_list.is_some()
    }

    /// Whether packets are printed (no `-w`, or `--print`).
    pub fn printing(&self) -> bool {
        self.write.is_none() || self.print
    }

    /// The -C/-G/-W file rotation asked for, if any. `-G 0` is no time
    /// rotation at all, as in tcpdump (and `-W` alone does nothing).
    pub fn rotation(&self) -> Option<Rotation> {
        let seconds = self.rotate_seconds.filter(|&s| s != 0);
        (self.file_size.is_some() || seconds.is_some()).then_some(Rotation {
            size_mb: self.file_size,
            seconds,
            count: self.file_count,
        })
    }

    /// The printer the output flags ask for: the one place they are
    /// turned into the printer's options.
    pub fn summarizer(&self) -> Summarizer {
        let time = match self.time {
            0 => TimeFormat::TimeOfDay,
            1 => TimeFormat::None,
            2 => TimeFormat::Epoch,
            3 => TimeFormat::Delta,
            4 => TimeFormat::DateTime,
            _ => TimeFormat::SinceFirst,
        };
        Summarizer::new(SummaryOptions {
            time,
            link_header: self.link_header,
            verbose: self.verbose,
            quiet: self.quiet,
            hex: self.hex.max(self.hex_ascii),
            ascii: self.hex_ascii > 0,
            nanos: self.nanos(),
            packet_type: self.packet_type,
            ascii_only: self.ascii_only,
            absolute_seq: self.absolute_seq,
            number: self.number,
            no_checksums: self.no_checksums,
            numeric: self.numeric.min(2),
        })
    }

    /// Whether nanosecond precision was asked for.
    pub fn nanos(&self) -> bool {
        self.precision == Some(Precision::Nano)
    }
}

/// `bpfcap compile`'s settings.
#[derive(Debug, PartialEq, Eq)]
pub struct CompileArgs {
    /// `--target` (default xdp).
    pub target: Target,
    /// `-o FILE`; `None` for standard output (no `-o`, or `-o -`).
    pub output: Option<PathBuf>,
    /// `-y`, else the target's default ([`Target::default_link_type`]).
    pub link_type: LinkType,
    /// `-s`.
    pub snaplen: Snaplen,
    /// `--action` (default pass).
    pub action: XdpAction,
    /// `--invert`.
    pub invert: bool,
    /// The expression, and `--optimize-size` (`xt_bpf` compiles for size
    /// anyway when the fast form is too long).
    pub filter: FilterSpec,
    /// `--set NAME=FILE`s, in order.
    pub sets: Vec<SetDef>,
}

impl CompileArgs {
    /// Reads `bpfcap compile`'s arguments (after the word `compile`).
    pub fn parse(argv: &[OsString]) -> Result<CompileArgs, Stop> {
        let (parsed, error) = getopt::parse(&COMPILE_SPEC, argv, false);
        if let Some(e) = error {
            return Err(Stop::Usage(Some(e.to_string())));
        }
        let mut link_type = None;
        let mut c = CompileArgs {
            target: Target::Xdp,
            output: None,
            link_type: LinkType::EN10MB,
            snaplen: Snaplen::default(),
            action: XdpAction::Pass,
            invert: false,
            filter: FilterSpec::new(getopt::join(&parsed.operands)),
            sets: Vec::new(),
        };
        for found in parsed.options {
            let value = found.value.unwrap_or_default();
            let fatal = Stop::Fatal;
            match found.key {
                CompileKey::Letter(b'o') => {
                    c.output = (value != "-").then(|| value.into());
                }
                CompileKey::Letter(b's') => {
                    c.snaplen = Snaplen::new(values::snaplen(&text(&value)).map_err(fatal)?)
                }
                CompileKey::Letter(b'y') => {
                    link_type = Some(values::link_type(&text(&value)).map_err(fatal)?)
                }
                CompileKey::Letter(c) => unreachable!("option letter {c} is not in -o:s:y:"),
                CompileKey::Target => c.target = Target::parse(&text(&value)).map_err(fatal)?,
                CompileKey::Action => c.action = XdpAction::parse(&text(&value)).map_err(fatal)?,
                CompileKey::Invert => c.invert = true,
                CompileKey::OptimizeSize => c.filter.size_first = true,
                CompileKey::Semantics => c.filter.semantics = semantics(&value).map_err(fatal)?,
                CompileKey::Tunnels => c.filter.tunnels = true,
                CompileKey::Set => c.sets.push(SetDef::parse(&text(&value)).map_err(fatal)?),
            }
        }
        c.link_type = link_type.unwrap_or(c.target.default_link_type());
        Ok(c)
    }
}

/// `bpfcap explain`'s settings.
#[derive(Debug, PartialEq, Eq)]
pub struct ExplainArgs {
    /// `-r FILE`: the packets to explain.
    pub read: Option<PathBuf>,
    /// `--hex HEX`: one packet, its bytes in hexadecimal.
    pub hex: Option<Vec<u8>>,
    /// `-c`: explain only the first COUNT packets.
    pub count: Option<u64>,
    /// `-y`: the link type of the `--hex` packet (default Ethernet).
    pub link_type: LinkType,
    /// `-s`: what a match keeps, as for `-r ... -w`.
    pub snaplen: Snaplen,
    /// `--ascii`: no symbols outside ASCII.
    pub ascii: bool,
    /// The expression.
    pub filter: FilterSpec,
}

impl ExplainArgs {
    /// Reads `bpfcap explain`'s arguments (after the word `explain`).
    pub fn parse(argv: &[OsString]) -> Result<ExplainArgs, Stop> {
        let (parsed, error) = getopt::parse(&EXPLAIN_SPEC, argv, false);
        if let Some(e) = error {
            return Err(Stop::Usage(Some(e.to_string())));
        }
        let mut x = ExplainArgs {
            read: None,
            hex: None,
            count: None,
            link_type: LinkType::EN10MB,
            snaplen: Snaplen::default(),
            ascii: false,
            filter: FilterSpec::new(getopt::join(&parsed.operands)),
        };
        for found in parsed.options {
            let value = found.value.unwrap_or_default();
            let fatal = Stop::Fatal;
            match found.key {
                ExplainKey::Letter(b'c') => {
                    x.count = Some(values::packet_count(&text(&value)).map_err(fatal)?)
                }
                ExplainKey::Letter(b'r') => x.read = Some(value.into()),
                ExplainKey::Letter(b's') => {
                    x.snaplen = Snaplen::new(values::snaplen(&text(&value)).map_err(fatal)?)
                }
                ExplainKey::Letter(b'y') => {
                    x.link_type = values::link_type(&text(&value)).map_err(fatal)?
                }
                ExplainKey::Letter(c) => unreachable!("option letter {c} is not in -c:r:s:y:"),
                ExplainKey::Hex => x.hex = Some(values::hex_bytes(&text(&value)).map_err(fatal)?),
                ExplainKey::Ascii => x.ascii = true,
                ExplainKey::Semantics => x.filter.semantics = semantics(&value).map_err(fatal)?,
                ExplainKey::Tunnels => x.filter.tunnels = true,
            }
        }
        if x.read.is_some() == x.hex.is_some() {
            return Err(Stop::Usage(Some(
                "explain: give the packets with -r FILE or one with --hex HEX".into(),
            )));
        }
        Ok(x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(argv: &str) -> Result<Args, Stop> {
        let argv: Vec<OsString> = argv.split_whitespace().map(OsString::from).collect();
        Args::parse(&argv)
    }

    fn rotation(flags: &str) -> Option<Rotation> {
        parse(&format!("-w out {flags}")).unwrap().rotation()
    }

    /// `-G 0` (live or not) is no time rotation, as in tcpdump; it once
    /// started a new file for every packet.
    #[test]
    fn g_zero_is_no_rotation() {
        assert_eq!(rotation("-G 0"), None);
        assert_eq!(rotation("-G 0 -W 3"), None);
        let r = rotation("-G 0 -C 5").unwrap();
        assert_eq!((r.size_mb, r.seconds), (Some(5), None));
        assert_eq!(rotation("-G60").unwrap().seconds, Some(60));
    }

    /// Command lines as tcpdump 4.99.3 reads them: the settings they
    /// give, or how tcpdump stops (checked by running tcpdump).
    #[test]
    fn command_lines_read_as_tcpdump_reads_them() {
        let read = |f: &str| Some(PathBuf::from(f));
        let cases: Vec<(&str, Result<Args, Stop>)> = vec![
            (
                "-nr f.pcap -c1",
                Ok(Args {
                    numeric: 1,
                    read: read("f.pcap"),
                    count: Some(1),
                    ..Args::default()
                }),
            ),
            (
                "-r f -s0 -c10 -n",
                Ok(Args {
                    read: read("f"),
                    snaplen: Snaplen::default(),
                    count: Some(10),
                    numeric: 1,
                    ..Args::default()
                }),
            ),
            (
                "-n tcp -r f port 80",
                Ok(Args {
                    numeric: 1,
                    read: read("f"),
                    expr: "tcp port 80".into(),
                    ..Args::default()
                }),
            ),
            (
                "-nnvvr f -c4",
                Ok(Args {
                    numeric: 2,
                    verbose: 2,
                    read: read("f"),
                    count: Some(4),
                    ..Args::default()
                }),
            ),
            (
                "-ieth0 -w- -C100 -G60 -W5 -Fexpr.txt -l",
                Ok(Args {
                    interfaces: vec!["eth0".into()],
                    write: read("-"),
                    file_size: Some(100),
                    rotate_seconds: Some(60),
                    file_count: Some(5),
                    filter_file: read("expr.txt"),
                    line_buffered: true,
                    ..Args::default()
                }),
            ),
            (
                "--snapshot-length=96 --snap 97 -r f --count --number -ASK#",
                Ok(Args {
                    snaplen: Snaplen::new(97),
                    read: read("f"),
                    count_only: true,
                    number: true,
                    ascii_only: true,
                    absolute_seq: true,
                    no_checksums: true,
                    ..Args::default()
                }),
            ),
            (
                "-r f -- -n or (tcp)",
                Ok(Args {
                    read: read("f"),
                    expr: "-n or (tcp)".into(),
                    ..Args::default()
                }),
            ),
            (
                "--nano --micro -Q OUT --direction=in --immediate -j Host --in=lo",
                Ok(Args {
                    precision: Some(Precision::Micro),
                    direction: Direction::In,
                    immediate: true,
                    time_stamp_type: Some("host"),
                    interfaces: vec!["lo".into()],
                    ..Args::default()
                }),
            ),
            (
                "-i lo --xdp --xdp-mode skb --action drop --invert --pcapng --ebpf --optimize-size",
                Ok(Args {
                    optimize_size: true,
                    interfaces: vec!["lo".into()],
                    xdp: true,
                    xdp_mode: Some(bpfcap_capture::xdp::Mode::Skb),
                    action: XdpAction::Drop,
                    invert: true,
                    pcapng: true,
                    ebpf: true,
                    ..Args::default()
                }),
            ),
            (
                "-y en10mb -ddd -O -T rtp tcp",
                Ok(Args {
                    link_type: Some(LinkType::EN10MB),
                    listing: Some(Format::Decimal),
                    no_optimize: true,
                    packet_type: Some("rtp"),
                    expr: "tcp".into(),
                    ..Args::default()
                }),
            ),
            // Raw IP by DLT_ or LINKTYPE_ number (a bpfcap extension).
            (
                "-y 101 -d",
                Ok(Args {
                    link_type: Some(LinkType::RAW),
                    listing: Some(Format::Image),
                    ..Args::default()
                }),
            ),
            (
                "-S -A -a -b -E x -H -M y -N -u",
                Ok(Args {
                    absolute_seq: true,
                    ascii_only: true,
                    ..Args::default()
                }),
            ),
            (
                "-S -g",
                Err(Stop::Usage(Some("invalid option -- 'g'".into()))),
            ),
            (
                "--foo",
                Err(Stop::Usage(Some("unrecognized option '--foo'".into()))),
            ),
            (
                "-r f -c",
                Err(Stop::Usage(Some(
                    "option requires an argument -- 'c'".into(),
                ))),
            ),
            (
                "--count=3",
                Err(Stop::Usage(Some(
                    "option '--count' doesn't allow an argument".into(),
                ))),
            ),
            (
                "--n",
                Err(Stop::Usage(Some(
                    "option '--n' is ambiguous; possibilities: '--nano' '--no-optimize' '--no-promiscuous-mode' '--number'".into(),
                ))),
            ),
            (
                "--li",
                Err(Stop::Usage(Some(
                    "option '--li' is ambiguous; possibilities: '--list-interfaces' '--list-time-stamp-types' '--list-data-link-types' '--linktype'".into(),
                ))),
            ),
            // A value error before the unknown option is reported first.
            (
                "-c 0 -g",
                Err(Stop::Fatal("invalid packet count 0".into())),
            ),
            ("-c -n", Err(Stop::Fatal("invalid packet count -n".into()))),
            // -h and --version act where they are, as in tcpdump.
            ("-n -h -g", Err(Stop::Help)),
            ("-g -h", Err(Stop::Usage(Some("invalid option -- 'g'".into())))),
            ("--ver", Err(Stop::Version)),
            ("-Y", Err(Stop::Usage(None))),
            (
                "-Q both",
                Err(Stop::Fatal("unknown capture direction `both'".into())),
            ),
            (
                "-T quic",
                Err(Stop::Fatal("unknown packet type `quic'".into())),
            ),
            (
                "--time-stamp-precision=milli",
                Err(Stop::Fatal("unsupported time stamp precision".into())),
            ),
            (
                "-j foo",
                Err(Stop::Fatal("invalid time stamp type foo".into())),
            ),
            (
                "-y NOSUCH",
                Err(Stop::Fatal("invalid data link type NOSUCH".into())),
            ),
            (
                "-tttttt",
                Err(Stop::Fatal(
                    "only -t, -tt, -ttt, -tttt and -ttttt are supported".into(),
                )),
            ),
            (
                "-f -r x",
                Err(Stop::Fatal("-f can not be used with -V or -r".into())),
            ),
            (
                "-V l -r x",
                Err(Stop::Fatal("-V and -r are mutually exclusive.".into())),
            ),
            (
                "--action=maybe",
                Err(Stop::Fatal(
                    "invalid --action maybe (pass, drop, capture or capture-drop)".into(),
                )),
            ),
            (
                "--xdp-mode skb",
                Err(Stop::Fatal("--xdp-mode is for --xdp".into())),
            ),
        ];
        for (argv, want) in cases {
            assert_eq!(parse(argv), want, "{argv}");
        }
    }

    #[test]
    fn printing_flags_map_to_the_printer() {
        let a = parse("-nnn -A -S -# -K -X").unwrap();
        assert_eq!(a.numeric, 3);
        assert!(a.printing());
        assert!(!parse("-w x").unwrap().printing());
        assert!(parse("-w x --print").unwrap().printing());
    }

    /// More `d`s than three are `-ddd`, as in tcpdump.
    #[test]
    fn d_count_picks_the_listing() {
        let listing = |flags: &str| parse(flags).unwrap().listing;
        assert_eq!(listing("tcp"), None);
        assert_eq!(listing("-d"), Some(Format::Image));
        assert_eq!(listing("-d -d"), Some(Format::C));
        assert_eq!(listing("-ddd"), Some(Format::Decimal));
        assert_eq!(listing("-dddd"), Some(Format::Decimal));
    }

    #[test]
    fn explain_arguments() {
        let argv = |s: &str| -> Vec<OsString> { s.split(' ').map(OsString::from).collect() };
        let x = ExplainArgs::parse(&argv("-r f.pcap -c3 tcp port 80 --ascii")).unwrap();
        assert_eq!(x.read, Some(PathBuf::from("f.pcap")));
        assert_eq!((x.count, x.ascii, x.hex), (Some(3), true, None));
        assert_eq!(x.filter, FilterSpec::new("tcp port 80"));
        let x = ExplainArgs::parse(&argv("-y RAW --hex 45:00 ip")).unwrap();
        assert_eq!((x.link_type, x.hex), (LinkType::RAW, Some(vec![0x45, 0])));
        let neither = Err(Stop::Usage(Some(
            "explain: give the packets with -r FILE or one with --hex HEX".into(),
        )));
        assert_eq!(ExplainArgs::parse(&argv("tcp")), neither);
        assert_eq!(ExplainArgs::parse(&argv("-r f --hex 00 tcp")), neither);
        assert_eq!(
            ExplainArgs::parse(&argv("--hex 0 ip")),
            Err(Stop::Fatal(
                "invalid hex packet: it needs an even number of hexadecimal digits".into()
            ))
        );
    }

    #[test]
    fn compile_arguments() {
        let argv = |s: &str| -> Vec<OsString> { s.split(' ').map(OsString::from).collect() };
        let c = CompileArgs::parse(&argv("--target cbpf -o f.o -yRAW udp port 9")).unwrap();
        assert_eq!(c.target, Target::Cbpf);
        assert_eq!(c.output, Some(PathBuf::from("f.o")));
        assert_eq!(c.link_type, LinkType::RAW);
        assert_eq!(c.filter, FilterSpec::new("udp port 9"));
        assert_eq!(
            CompileArgs::parse(&argv("--target elf tcp")),
            Err(Stop::Fatal(
                "invalid --target elf (cbpf, cbpf-raw, ebpf-socket, xdp or xt_bpf)".into()
            ))
        );
        // The defaults: an XDP object for Ethernet, on standard output.
        let c = CompileArgs::parse(&argv("-o - --optimize-size -s0 tcp")).unwrap();
        assert_eq!(c.target, Target::Xdp);
        assert_eq!(c.output, None);
        assert_eq!(c.link_type, LinkType::EN10MB);
        assert_eq!(c.snaplen, Snaplen::default());
        assert!(c.filter.size_first && c.filter.optimize);
        // xt_bpf's packets start at the IP header, whatever the order
        // of the flags; -y says otherwise, by name or number.
        let c = CompileArgs::parse(&argv("-s 96 --target=xt_bpf tcp")).unwrap();
        assert_eq!((c.link_type, c.snaplen), (LinkType::RAW, Snaplen::new(96)));
        for y in ["-y101", "-y12", "-yraw", "-yDLT_RAW"] {
            let c = CompileArgs::parse(&argv(&format!("{y} tcp"))).unwrap();
            assert_eq!(c.link_type, LinkType::RAW, "{y}");
        }
        let c = CompileArgs::parse(&argv("-y EN10MB --target xt_bpf tcp")).unwrap();
        assert_eq!(c.link_type, LinkType::EN10MB);
    }
    #[test]
    fn semantics_is_read_by_every_mode() {
        let argv = |s: &str| -> Vec<OsString> { s.split(' ').map(OsString::from).collect() };
        assert_eq!(parse("-r x tcp").unwrap().semantics, Semantics::Libpcap);
        for line in [
            "--semantics protocol -r x tcp",
            "-i lo --semantics=protocol tcp",
        ] {
            assert_eq!(
                parse(line).unwrap().semantics,
                Semantics::Protocol,
                "{line}"
            );
        }
        let c = CompileArgs::parse(&argv("--semantics protocol tcp")).unwrap();
        assert_eq!(c.filter.semantics, Semantics::Protocol);
        assert!(matches!(
            parse("--semantics pcap -r x"),
            Err(Stop::Fatal(m)) if m == "unknown semantics 'pcap' (expected 'libpcap' or 'protocol')"
        ));
        assert!(matches!(
            CompileArgs::parse(&argv("--semantics= tcp")),
            Err(Stop::Fatal(m)) if m.starts_with("unknown semantics ''")
        ));
    }
}
