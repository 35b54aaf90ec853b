//! `bpfcap`: a tcpdump-compatible front end to the filter compiler and
//! the capture library. It only parses flags, picks a mode and reports
//! errors; the work is done in `filter-compiler` and `capture`.

mod args;
mod compile;
mod explain;
mod heap;
mod interfaces;
mod live;
mod offline;
mod output;
mod plane;
mod privileges;
mod resolver;
mod sets;
mod settings;
mod signals;
mod xdp;

use std::ffi::OsString;
use std::io::{self, Write};
use std::process::ExitCode;

use bpfcap_filter::cbpf::{
    self,
    listing::{self, Format},
};
use bpfcap_filter::{CompileOptions, FilterSpec, LinkType, compile_ir};

use args::{Args, CompileArgs, ExplainArgs, Stop, usage};

/// An error to report as `bpfcap: MESSAGE` with a failing exit status.
#[derive(Debug)]
pub struct Fatal(String);

impl<E: std::fmt::Display> From<E> for Fatal {
    fn from(e: E) -> Fatal {
        Fatal(e.to_string())
    }
}

fn main() -> ExitCode {
    // `bpfcap compile ...` and `bpfcap explain ...` are commands of their own; everything else reads like
    // tcpdump's command line (where a first word can be an expression).
    let argv: Vec<OsString> = std::env::args_os().skip(1).collect();
    let result = if argv.first().is_some_and(|a| a == "compile") {
        CompileArgs::parse(&argv[1..]).map(|c| compile::run(&c))
    } else if argv.first().is_some_and(|a| a == "explain") {
        ExplainArgs::parse(&argv[1..]).map(|x| explain::run(&x))
    } else {
        Args::parse(&argv).map(|a| run(&a))
    };
    match result {
        Ok(Ok(())) => ExitCode::SUCCESS,
        Ok(Err(Fatal(msg))) => fail(&msg),
        Err(Stop::Fatal(msg)) => fail(&msg),
        Err(Stop::Help) => print_and_exit(&usage::usage()),
        Err(Stop::Version) => print_and_exit(&usage::version()),
        Err(Stop::Usage(msg)) => {
            if let Some(msg) = msg {
                eprintln!("bpfcap: {msg}");
            }
            eprint!("{}", usage::usage());
            ExitCode::FAILURE
        }
    }
}

fn fail(msg: &str) -> ExitCode {
    eprintln!("bpfcap: {}", without_errno(msg));
    ExitCode::FAILURE
}

fn print_and_exit(text: &str) -> ExitCode {
    match write_stdout(text.as_bytes()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Fatal(msg)) => fail(&msg),
    }
}

/// `msg` without the " (os error N)" Rust puts after the system's error
/// texts: tcpdump's users know the text alone. The one place it goes:
/// the capture library makes its own messages without it (`strerror`
/// there), while `io::Error`s from the standard library (opening files,
/// writing output) reach messages with it.
fn without_errno(msg: &str) -> String {
    const MARK: &str = " (os error ";
    let mut out = String::with_capacity(msg.len());
    let mut rest = msg;
    while let Some(i) = rest.find(MARK) {
        out.push_str(&rest[..i]);
        let after = &rest[i + MARK.len()..];
        match after.find(')') {
            Some(j) if j > 0 && after[..j].bytes().all(|b| b.is_ascii_digit()) => {
                rest = &after[j + 1..];
            }
            _ => {
                out.push_str(MARK);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn run(args: &Args) -> Result<(), Fatal> {
    if args.list_interfaces {
        return interfaces::list();
    }
    let filter = settings::filter(args)?;
    let live_only = [("--xdp", args.xdp), ("--ebpf", args.ebpf)];
    let without_interface =
        args.offline() || (args.listing.is_some() && args.interfaces.is_empty());
    if let (true, Some((flag, _))) = (without_interface, live_only.iter().find(|f| f.1)) {
        return Err(Fatal(format!(
            "{flag} is for live capture: give -i INTERFACE"
        )));
    }
    if args.offline() {
        // As in tcpdump, -i, -L, -J, -j, -I, -Q and -y mean nothing here.
        return offline::run(args, &offline::inputs(args)?, &filter);
    }
    if let (Some(format), true) = (args.listing, args.interfaces.is_empty()) {
        let link = args.link_type.unwrap_or_else(|| {
            eprintln!("Warning: assuming Ethernet");
            LinkType::EN10MB
        });
        return dump(
            format,
            &filter,
            &settings::compile_options(args, &filter, link),
        );
    }
    let ifaces = interfaces::resolve_all(&args.interfaces)?;
    // -J, -L, -y and -d are about the first interface.
    let iface = ifaces[0].clone();
    if args.list_time_stamp_types {
        return interfaces::list_time_stamp_types(&iface);
    }
    if args.monitor_mode {
        return Err(interfaces::refuse_monitor_mode(&iface));
    }
    if args.list_link_types {
        return interfaces::list_link_types(&iface);
    }
    if let Some(wanted) = args.time_stamp_type {
        interfaces::warn_time_stamp_type(&iface, wanted);
    }
    if let Some(wanted) = args.link_type {
        interfaces::select_link_type(&iface, wanted)?;
    }
    if let Some(format) = args.listing {
        let link = match args.link_type {
            Some(link) => link,
            None => interfaces::link_type(&iface)?,
        };
        return dump(
            format,
            &filter,
            &settings::compile_options(args, &filter, link),
        );
    }
    if args.xdp {
        return xdp::run(args, &ifaces, &filter);
    }
    live::run(args, &ifaces, &filter)
}

/// Prints the program for `-d`, `-dd` or `-ddd`.
pub fn dump(format: Format, filter: &FilterSpec, opts: &CompileOptions) -> Result<(), Fatal> {
    let expr = &filter.expr;
    // A run that only compiles: the heap it keeps goes with it.
    heap::room_for_compiling(expr.len());
    let render = |e: bpfcap_filter::Error| Fatal(e.render(expr));
    let cfg = compile_ir(expr, opts).map_err(render)?;
    let prog = cbpf::generate(&cfg, opts).map_err(render)?;
    // The run ends with the listing: freeing the graph node by node
    // (tens of thousands of them for a long list) would only delay it.
    std::mem::forget(cfg);
    write_stdout(listing::render(prog.insns(), format).as_bytes())
}

/// Writes to standard output; a closed pipe (`| head`) ends quietly.
pub fn write_stdout(bytes: &[u8]) -> Result<(), Fatal> {
    let mut out = io::stdout().lock();
    out.write_all(bytes)
        .and_then(|()| out.flush())
        .map_err(closed_pipe_ends_quietly)
        .map_err(Fatal::from)
}

/// "1 packet", "N packets", as tcpdump counts in its closing lines.
pub fn packets(n: u64) -> String {
    format!("{n} packet{}", if n == 1 { "" } else { "s" })
}

/// A reader that has gone (`| head`) has seen enough: the run ends at
/// once with status 0, as tcpdump's does. Exiting closes every
/// descriptor, which also detaches an XDP program (its BPF link).
pub fn closed_pipe_ends_quietly(e: io::Error) -> io::Error {
    if e.kind() == io::ErrorKind::BrokenPipe {
        std::process::exit(0);
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errno_suffixes_are_dropped() {
        assert_eq!(
            without_errno("x.pcap: No such file or directory (os error 2)"),
            "x.pcap: No such file or directory"
        );
        assert_eq!(without_errno("a (os error 1); b (os error 13) c"), "a; b c");
        assert_eq!(without_errno("odd (os error x)"), "odd (os error x)");
        assert_eq!(without_errno("plain"), "plain");
    }
}
