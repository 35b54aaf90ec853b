//! `bpfcap -r FILE`: replay a capture file through the filter, writing the
//! matching packets to a file or printing a line for each.

use std::io::{self, BufWriter, Write};
use std::path::Path;

use capture::{
    FileFormat, Interface, Packet, ReadError, Reader, Replay, ReplayError, ReplayOptions, Sink,
    Writer,
};
use filter_compiler::{DEFAULT_SNAPLEN, LinkType};

use crate::args::Args;
use crate::live::FileOut;
use crate::{Fatal, compile_options, dump, signals};

pub fn run(args: &Args, path: &Path, expr: &str) -> Result<(), Fatal> {
    let shown = path.display();
    let mut reader = Reader::open(path).map_err(|e| Fatal(format!("{shown}: {e}")))?;
    let first = reader
        .interfaces()
        .first()
        .cloned()
        .ok_or_else(|| Fatal(format!("{shown}: the file describes no interface")))?;
    if args.dump > 0 {
        let mut opts = compile_options(args, first.link_type());
        opts.big_endian_capture = first.big_endian;
        return dump(args, expr, &opts);
    }
    let mut replay = Replay::new(ReplayOptions {
        snaplen: args
            .snaplen
            .map(|s| if s == 0 { DEFAULT_SNAPLEN } else { s }),
        count: args.count,
        optimize: !args.no_optimize,
        ..ReplayOptions::new(expr)
    });
    replay
        .prepare(&reader)
        .map_err(|e| replay_error(e, expr, &shown))?;
    let link = first.link_type();
    eprintln!(
        "reading from file {shown}, link-type {} ({}), snapshot length {}",
        link.name(),
        link.description(),
        first.snaplen
    );
    signals::install();
    let result = match &args.write {
        Some(out) => write_file(args, &mut reader, &mut replay, &first, out),
        None => print_summaries(args, &mut reader, &mut replay),
    };
    result.map_err(|e| replay_error(e, expr, &shown))
}

/// Turns a replay error into the message tcpdump users expect.
fn replay_error(e: ReplayError, expr: &str, file: &impl std::fmt::Display) -> Fatal {
    match e {
        ReplayError::Compile { error, .. } => Fatal(error.render(expr)),
        ReplayError::Read { error, stats } => Fatal(format!(
            "{file}: {error} (after {} packets, {} matched)",
            stats.read, stats.matched
        )),
        ReplayError::Output(e) => Fatal(e.to_string()),
    }
}

/// The error a sink returns to end a run after a signal.
fn interrupted() -> io::Error {
    io::Error::new(io::ErrorKind::Interrupted, "interrupted")
}

/// A capture file that stops taking packets after SIGINT/SIGTERM/SIGHUP.
struct Interruptible<'a>(&'a mut Writer);

impl Sink for Interruptible<'_> {
    fn packet(&mut self, pkt: &Packet<'_>) -> io::Result<()> {
        if signals::stopped() {
            return Err(interrupted());
        }
        self.0.write_packet(pkt)
    }

    fn takes_records_of(&self, interface: &Interface) -> bool {
        self.0.takes_records_of(interface)
    }

    fn records(&mut self, records: &[io::IoSlice<'_>]) -> io::Result<()> {
        if signals::stopped() {
            return Err(interrupted());
        }
        self.0.write_records(records)
    }

    fn keep_records(&mut self, keep: u64) -> io::Result<()> {
        self.0.keep_records(keep)
    }
}

/// Replays into a capture file; whatever happens, the records written so
/// far are flushed so the file stays readable.
fn write_file(
    args: &Args,
    reader: &mut Reader,
    replay: &mut Replay,
    first: &Interface,
    out: &Path,
) -> Result<(), ReplayError> {
    let format = if args.pcapng {
        FileFormat::PcapNg
    } else {
        let fine = matches!(reader.format(), FileFormat::Pcap { nanos: true })
            || reader
                .interfaces()
                .iter()
                .any(|i| i.ts_units_per_sec > 1_000_000);
        FileFormat::Pcap {
            nanos: args.nanos() || fine,
        }
    };
    let snaplen = match args.snaplen {
        Some(0) | None if first.snaplen != 0 => first.snaplen,
        Some(s) if s != 0 => s,
        _ => DEFAULT_SNAPLEN,
    };
    if args.rotation().is_some() {
        return write_rotating(args, reader, replay, first, out, format, snaplen);
    }
    let mut writer = Writer::create(out, format, first, snaplen).map_err(|e| {
        ReplayError::Output(io::Error::new(e.kind(), format!("{}: {e}", out.display())))
    })?;
    let result = replay.run(reader, &mut Interruptible(&mut writer));
    let flushed = writer.flush().map_err(ReplayError::Output);
    finish(result)?;
    flushed
}

/// Replays into -C/-G/-W files, as tcpdump splits a capture file.
fn write_rotating(
    args: &Args,
    reader: &mut Reader,
    replay: &mut Replay,
    first: &Interface,
    out: &Path,
    format: FileFormat,
    snaplen: u32,
) -> Result<(), ReplayError> {
    let mut files = FileOut::create(args, out, format, first, snaplen)
        .map_err(|Fatal(msg)| ReplayError::Output(io::Error::other(msg)))?;
    let result = replay.run(reader, &mut |pkt: &Packet<'_>| {
        // After the last -G -W file, end as for a signal.
        if signals::stopped() || !files.write(pkt)? {
            return Err(interrupted());
        }
        Ok(())
    });
    let flushed = files.flush().map_err(ReplayError::Output);
    finish(result)?;
    flushed
}

/// Replays printing one line per matching packet on standard output.
fn print_summaries(
    args: &Args,
    reader: &mut Reader,
    replay: &mut Replay,
) -> Result<(), ReplayError> {
    let mut summarizer = args.summarizer();
    let mut out = BufWriter::new(io::stdout().lock());
    let mut line = String::new();
    let result = replay.run(reader, &mut |pkt: &Packet<'_>| {
        if signals::stopped() {
            return Err(interrupted());
        }
        line.clear();
        let link: LinkType = pkt.interface.link_type();
        summarizer.write(
            &mut line,
            link,
            pkt.ts.secs,
            pkt.ts.nanos,
            pkt.wirelen,
            pkt.data,
        );
        out.write_all(line.as_bytes())
    });
    let flushed = out.flush().map_err(ReplayError::Output);
    finish(result)?;
    // A reader that has gone (`| head`) is a normal end here too.
    finish(flushed.map(|()| capture::ReplayStats::default()))
}

/// Ends a run: a signal or a closed pipe is a normal end; a file that
/// ends in the middle of a record is reported but keeps what was read.
fn finish(result: Result<capture::ReplayStats, ReplayError>) -> Result<(), ReplayError> {
    match result {
        Ok(_) => Ok(()),
        Err(ReplayError::Output(e))
            if matches!(
                e.kind(),
                io::ErrorKind::Interrupted | io::ErrorKind::BrokenPipe
            ) =>
        {
            Ok(())
        }
        Err(ReplayError::Read {
            error: error @ ReadError::Truncated { .. },
            stats,
        }) => {
            eprintln!(
                "bpfcap: warning: {error}; kept the {} matching packets of the {} read",
                stats.matched, stats.read
            );
            Ok(())
        }
        Err(e) => Err(e),
    }
}
