//! Command-line flags, spelled as tcpdump spells them.

use std::path::PathBuf;

use capture::Rotation;
use clap::{ArgAction, Parser};

use bpfcap_print::{Summarizer, SummaryOptions, TimeFormat};

pub mod values;

/// Compile tcpdump filter expressions to BPF and apply them to captures.
#[derive(Parser, Debug)]
#[command(
    name = "bpfcap",
    version,
    disable_help_flag = true,
    after_help = "EXPRESSION is a pcap-filter(7) expression; put `--` before it if it starts with '-'."
)]
pub struct Args {
    /// Print help.
    #[arg(long = "help", action = ArgAction::Help)]
    pub help: Option<bool>,

    /// Read packets from FILE (pcap or pcapng; `-` for standard input).
    #[arg(short = 'r', value_name = "FILE")]
    pub read: Option<PathBuf>,

    /// Capture live from INTERFACE (an AF_PACKET ring; needs CAP_NET_RAW).
    #[arg(short = 'i', value_name = "INTERFACE", conflicts_with = "read")]
    pub interface: Option<String>,

    /// Do not put the interface into promiscuous mode.
    #[arg(short = 'p')]
    pub no_promiscuous: bool,

    /// Kernel buffer size in KiB for live capture (default 2048).
    #[arg(short = 'B', value_name = "KIB", value_parser = values::buffer_kib)]
    pub buffer_kib: Option<usize>,

    /// Write each packet to the file as soon as it is captured.
    #[arg(short = 'U')]
    pub packet_buffered: bool,

    /// List the interfaces that can be captured on, and exit.
    #[arg(short = 'D')]
    pub list_interfaces: bool,

    /// After opening the capture, switch to USER (and its group).
    #[arg(short = 'Z', value_name = "USER")]
    pub user: Option<String>,

    /// With -w: start a new file when the current one exceeds SIZE million bytes.
    #[arg(short = 'C', value_name = "SIZE", value_parser = values::file_size)]
    pub file_size: Option<u64>,

    /// With -w: start a new file every SECONDS (the name is a strftime pattern; 0: never).
    #[arg(short = 'G', value_name = "SECONDS", value_parser = values::rotate_seconds)]
    pub rotate_seconds: Option<u64>,

    /// With -C: keep COUNT files, reusing them in turn; with -G alone: stop after COUNT files.
    #[arg(short = 'W', value_name = "COUNT", value_parser = values::file_count)]
    pub file_count: Option<u32>,

    /// Write matching packets to FILE (`-` for standard output).
    #[arg(short = 'w', value_name = "FILE")]
    pub write: Option<PathBuf>,

    /// Stop after COUNT matching packets.
    #[arg(short = 'c', value_name = "COUNT", value_parser = values::packet_count)]
    pub count: Option<u64>,

    /// Snapshot length: keep at most SNAPLEN bytes of each packet (0: 262144).
    #[arg(short = 's', value_name = "SNAPLEN", value_parser = values::snaplen)]
    pub snaplen: Option<u32>,

    /// Print the compiled program: -d listing, -dd C array, -ddd decimal.
    #[arg(short = 'd', action = ArgAction::Count)]
    pub dump: u8,

    /// Link type to compile for when no file is read (e.g. EN10MB, RAW).
    #[arg(short = 'y', value_name = "LINKTYPE")]
    pub link_type: Option<String>,

    /// Do not run the optimizer.
    #[arg(short = 'O')]
    pub no_optimize: bool,

    /// Do not convert addresses to names (bpfcap never does; accepted for tcpdump's users).
    #[arg(short = 'n', action = ArgAction::Count)]
    pub numeric: u8,

    /// Print the link-level header on each line.
    #[arg(short = 'e')]
    pub link_header: bool,

    /// More verbose output.
    #[arg(short = 'v', action = ArgAction::Count)]
    pub verbose: u8,

    /// Print each packet in hex (-xx: with its link header).
    #[arg(short = 'x', action = ArgAction::Count)]
    pub hex: u8,

    /// Print each packet in hex and ASCII (-XX: with its link header).
    #[arg(short = 'X', action = ArgAction::Count)]
    pub hex_ascii: u8,

    /// Quick output: less protocol information.
    #[arg(short = 'q')]
    pub quiet: bool,

    /// Time stamps: -t none, -tt epoch, -ttt delta, -tttt date, -ttttt since first.
    #[arg(short = 't', action = ArgAction::Count)]
    pub time: u8,

    /// Live capture: attach the filter as eBPF (SO_ATTACH_BPF) instead of classic BPF.
    #[arg(long = "ebpf")]
    pub ebpf: bool,

    /// Run the filter in the interface's XDP hook (with -i).
    #[arg(long = "xdp")]
    pub xdp: bool,

    /// XDP attach mode: native (driver) or skb (generic); default: native, else skb.
    #[arg(long = "xdp-mode", value_parser = ["native", "skb"], requires = "xdp")]
    pub xdp_mode: Option<String>,

    /// What XDP does with matching packets: pass (count), drop, capture (copy to -w or print, then pass), capture-drop.
    #[arg(long = "action", value_parser = ["pass", "drop", "capture", "capture-drop"], default_value = "capture")]
    pub action: String,

    /// Apply the XDP action to the packets that do not match.
    #[arg(long = "invert")]
    pub invert: bool,

    /// Write pcapng instead of pcap.
    #[arg(long = "pcapng")]
    pub pcapng: bool,

    /// Nanosecond time stamps in output and printing.
    #[arg(long = "nano")]
    pub nano: bool,

    /// Time stamp precision: micro or nano (as tcpdump's option).
    #[arg(long = "time-stamp-precision", value_name = "PRECISION", value_parser = ["micro", "nano"])]
    pub precision: Option<String>,

    /// Read the filter expression from FILE ('#' starts a comment).
    #[arg(short = 'F', value_name = "FILE")]
    pub filter_file: Option<PathBuf>,

    /// The filter expression; its words are joined with spaces.
    #[arg(
        value_name = "EXPRESSION",
        trailing_var_arg = true,
        allow_hyphen_values = true
    )]
    pub expr: Vec<String>,
}

impl Args {
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

    /// The one-line printer the output flags (-t, -e, -v, -q, -x, -X) ask for.
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
            numeric: self.numeric,
            ..SummaryOptions::default()
        })
    }

    /// Whether nanosecond precision was asked for.
    pub fn nanos(&self) -> bool {
        self.nano || self.precision.as_deref() == Some("nano")
    }
}

/// `bpfcap compile`: write the filter as a program for other loaders.
#[derive(Parser, Debug)]
#[command(name = "bpfcap compile")]
pub struct CompileArgs {
    /// What to build: cbpf (sock_filter array), ebpf-socket (BPF ELF, section
    /// `socket`) or xdp (BPF ELF, section `xdp`, with counters and, for capture,
    /// a ring buffer).
    #[arg(long = "target", value_parser = ["cbpf", "ebpf-socket", "xdp"], default_value = "xdp")]
    pub target: String,

    /// Output file (default: standard output).
    #[arg(short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Link type to compile for (default EN10MB).
    #[arg(short = 'y', value_name = "LINKTYPE")]
    pub link_type: Option<String>,

    /// Snapshot length (cbpf and ebpf-socket: the accept value; xdp: bytes captured).
    #[arg(short = 's', value_name = "SNAPLEN", value_parser = values::snaplen)]
    pub snaplen: Option<u32>,

    /// XDP: what to do with matching packets.
    #[arg(long = "action", value_parser = ["pass", "drop", "capture", "capture-drop"], default_value = "pass")]
    pub action: String,

    /// XDP: apply the action to the packets that do not match.
    #[arg(long = "invert")]
    pub invert: bool,

    /// The filter expression.
    #[arg(
        value_name = "EXPRESSION",
        trailing_var_arg = true,
        allow_hyphen_values = true
    )]
    pub expr: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rotation(flags: &[&str]) -> Option<Rotation> {
        let argv = ["bpfcap", "-w", "out"].iter().chain(flags);
        Args::try_parse_from(argv).unwrap().rotation()
    }

    /// `-G 0` (live or not) is no time rotation, as in tcpdump; it once
    /// started a new file for every packet.
    #[test]
    fn g_zero_is_no_rotation() {
        assert_eq!(rotation(&["-G", "0"]), None);
        assert_eq!(rotation(&["-G", "0", "-W", "3"]), None);
        let r = rotation(&["-G", "0", "-C", "5"]).unwrap();
        assert_eq!((r.size_mb, r.seconds), (Some(5), None));
        assert_eq!(rotation(&["-G", "60"]).unwrap().seconds, Some(60));
    }
}
