//! `bpfcap -r FILE` and `-V LIST`: replay capture files through the
//! filter, writing the matching packets to a file, printing a line for
//! each, or counting them.

use std::ffi::OsString;
use std::io::{self, Read};
use std::os::unix::ffi::OsStringExt;
use std::path::PathBuf;

use bpfcap_capture::{FileFormat, RawBlock, ReadError, Reader, Replay, ReplayError};
use bpfcap_filter::{FilterSpec, LinkType};

use crate::args::Args;
use crate::args::values::Precision;
use crate::output::Output;
use crate::{Fatal, dump, privileges, settings, signals};

/// The files to read: `-r`'s, or those `-V`'s file lists.
pub fn inputs(args: &Args) -> Result<Vec<PathBuf>, Fatal> {
    if let Some(path) = &args.read {
        return Ok(vec![path.clone()]);
    }
    let Some(list) = &args.file_list else {
        return Ok(Vec::new());
    };
    // main drops Rust's " (os error N)" from every message it prints.
    let unable = |e: io::Error| Fatal(format!("Unable to open file: {e}"));
    let mut bytes = Vec::new();
    if list.as_os_str() == "-" {
        io::stdin().lock().read_to_end(&mut bytes).map_err(unable)?;
    } else {
        bytes = std::fs::read(list).map_err(unable)?;
    }
    // One name a line, as tcpdump's fgets reads them: only the newline
    // is taken off.
    let mut names: Vec<PathBuf> = bytes
        .split(|&b| b == b'\n')
        .map(|line| PathBuf::from(OsString::from_vec(line.to_vec())))
        .collect();
    if bytes.ends_with(b"\n") || bytes.is_empty() {
        names.pop();
    }
    if names.is_empty() {
        return Err(Fatal(format!("Nothing in {}", list.display())));
    }
    Ok(names)
}

pub fn run(args: &Args, files: &[PathBuf], filter: &FilterSpec) -> Result<(), Fatal> {
    let mut output: Option<(Output, u32)> = None;
    for path in files {
        let shown = path.display();
        let mut reader = Reader::open(path).map_err(|e| Fatal(format!("{shown}: {e}")))?;
        let first = reader
            .interfaces()
            .first()
            .cloned()
            .ok_or_else(|| Fatal(format!("{shown}: the file describes no interface")))?;
        if let Some(format) = args.listing {
            let mut opts = settings::compile_options(args, filter, first.link_type());
            opts.big_endian_capture = first.big_endian;
            opts.source = reader.packet_source();
            return dump(format, filter, &opts);
        }
        let mut replay = Replay::new(settings::replay_options(args, filter));
        let expr = &filter.expr;
        replay
            .prepare(&reader)
            .map_err(|e| replay_error(e, expr, &shown))?;
        // One pcap file holds one link type (pcapng any number).
        let pcap_out = args.write.is_some() && !args.pcapng;
        let announced = reader.announced_interfaces();
        if pcap_out && let Some(&(other, _)) = announced.iter().find(|i| i.0 != first.linktype) {
            return Err(Fatal(format!(
                "{shown}: interfaces of link types {} and {} cannot go in one pcap file; write pcapng (--pcapng)",
                first.link_type().name(),
                bpfcap_filter::LinkType::from_linktype(other & 0x03ff_ffff).name()
            )));
        }
        let link = first.link_type();
        eprintln!(
            "reading from file {shown}, link-type {} ({}), snapshot length {}",
            link.name(),
            link.description(),
            first.snaplen
        );
        // tcpdump's caveat: SLL2's interface indexes name interfaces of
        // the machine that captured, looked up on this one.
        if link == LinkType::LINUX_SLL2 {
            eprintln!("Warning: interface names might be incorrect");
        }
        signals::install();
        // A pcapng input written as pcapng is copied with its metadata.
        let copy = args.pcapng && !reader.opening_blocks().is_empty();
        match &mut output {
            Some((_, linktype)) if *linktype != first.linktype && pcap_out => {
                return Err(Fatal(format!("{shown}: new dlt does not match original")));
            }
            Some((out, _)) if args.pcapng => {
                // A new section in a pcapng copy (other files ignore it).
                if copy {
                    out.next_input(reader.opening_blocks())?;
                } else {
                    out.next_input(&RawBlock::section_for(&first))?;
                }
            }
            Some(_) => {}
            None => {
                privileges::drop(args.user.as_deref())?;
                let format = file_format(args, &reader);
                let out = if copy {
                    let snaplen = args.snaplen.replay();
                    Output::open_pcapng_copy(args, reader.opening_blocks(), snaplen)?
                } else {
                    // pcap: the largest snapshot length of the interfaces.
                    let largest = announced.iter().map(|i| i.1).max().unwrap_or(first.snaplen);
                    let snaplen = args.snaplen.replay_header(largest);
                    Output::open(args, format, &first, snaplen, false)?
                };
                output = Some((out, first.linktype));
            }
        }
        let out = &mut output.as_mut().expect("opened above").0;
        let ended = finish(replay.run(&mut reader, out)).map_err(|e| replay_error(e, expr, &shown));
        match ended {
            Ok(true) => {}
            // A signal, `| head` or the last -G -W file: no more files.
            Ok(false) => break,
            Err(e) => {
                let _ = out.flush();
                return Err(e);
            }
        }
    }
    let Some((mut out, _)) = output else {
        return Ok(());
    };
    match out.flush() {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return Ok(()),
        other => other.map_err(Fatal::from)?,
    }
    if args.count_only {
        let n = out.packets;
        crate::write_stdout(format!("{}\n", crate::packets(n)).as_bytes())?;
    }
    Ok(())
}

/// pcapng with `--pcapng`; otherwise pcap, with nanosecond time stamps
/// when asked for or when the input has them (unless `--micro`).
fn file_format(args: &Args, reader: &Reader) -> FileFormat {
    if args.pcapng {
        return FileFormat::PcapNg;
    }
    let fine = matches!(reader.format(), FileFormat::Pcap { nanos: true })
        || reader
            .interfaces()
            .iter()
            .any(|i| i.ts_units_per_sec > 1_000_000);
    FileFormat::Pcap {
        nanos: match args.precision {
            Some(p) => p == Precision::Nano,
            None => fine,
        },
    }
}

/// Turns a replay error into the message tcpdump users expect.
fn replay_error(e: ReplayError, expr: &str, file: &impl std::fmt::Display) -> Fatal {
    match e {
        ReplayError::Compile { error, .. } => Fatal(error.render(expr)),
        ReplayError::Read { error, stats } => Fatal(format!(
            "{file}: {error} (after {} packets, {} matched)",
            stats.read, stats.matched
        )),
        e @ ReplayError::NoDirection { .. } => Fatal(format!("{file}: {e}")),
        ReplayError::Output(e) => Fatal(e.to_string()),
    }
}

/// Ends a file's run: `Ok(true)` to go on with the next file, `Ok(false)`
/// after a signal, a closed pipe or the last -G -W file; a file that ends
/// in the middle of a record is reported but keeps what was read.
fn finish(result: Result<bpfcap_capture::ReplayStats, ReplayError>) -> Result<bool, ReplayError> {
    match result {
        Ok(_) => Ok(true),
        Err(ReplayError::Output(e))
            if matches!(
                e.kind(),
                io::ErrorKind::Interrupted | io::ErrorKind::BrokenPipe
            ) =>
        {
            Ok(false)
        }
        Err(ReplayError::Read {
            error: error @ ReadError::Truncated { .. },
            stats,
        }) => {
            eprintln!(
                "bpfcap: warning: {error}; kept the {} matching packets of the {} read",
                stats.matched, stats.read
            );
            Ok(true)
        }
        Err(e) => Err(e),
    }
}
