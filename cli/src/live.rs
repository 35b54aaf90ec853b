//! `bpfcap -i IFACE`: live capture through the kernel's packet ring, with
//! the filter running in the kernel, to a file or as one line per packet.

use std::cell::Cell;
use std::io;
use std::time::Duration;

use bpfcap_capture::Packet;
use bpfcap_capture::live::{LiveCapture, LiveError, Stats};
use bpfcap_filter::FilterSpec;

use crate::args::Args;
use crate::output::{Output, live_format};
use crate::{Fatal, closed_pipe_ends_quietly, packets, privileges, settings, signals};

/// How often a capture with no traffic checks for a signal.
const POLL: Duration = Duration::from_millis(100);

pub fn run(args: &Args, iface: &str, filter: &FilterSpec) -> Result<(), Fatal> {
    let opts = settings::live_options(args, iface, filter);
    let mut cap = LiveCapture::open(&opts).map_err(|e| match e {
        LiveError::Compile(e) => Fatal(e.render(&filter.expr)),
        e => Fatal(e.to_string()),
    })?;
    privileges::drop(args.user.as_deref())?;
    let output = Output::open(args, live_format(args), cap.interface(), opts.snaplen, true)?;
    if let Some(limit) = cap.ebpf_fallback() {
        eprintln!("bpfcap: warning: {limit}; using the classic filter");
    }
    if let Some(limit) = cap.classic_refused() {
        eprintln!("bpfcap: warning: {limit}; filtering in user space");
    }
    if let Some((fast, small)) = cap.sized_down() {
        eprintln!(
            "bpfcap: the filter takes {fast} instructions, more than the kernel's {}; \
             compiled for size instead ({small})",
            bpfcap_filter::cbpf::insn::MAXINSNS
        );
    }
    if cap.filter_too_long_for_kernel() {
        eprintln!("bpfcap: warning: the kernel cannot run this filter; filtering in user space");
    }
    let link = cap.link_type();
    listening(
        args,
        &format!(
            "listening on {iface}, link-type {} ({}), snapshot length {} bytes",
            link.name(),
            link.description(),
            opts.snaplen
        ),
    );
    signals::install();
    let (_, result) = deliver(output, args, &mut cap);
    let stats = cap.stats().map_err(|e| Fatal(e.to_string()))?;
    print_stats(&stats);
    result
}

/// tcpdump's line before a live capture starts: with nothing to make
/// the output verbose (`-v`) or go to a file, a hint comes first.
pub fn listening(args: &Args, what: &str) {
    if args.verbose == 0 && args.write.is_none() {
        eprintln!("bpfcap: verbose output suppressed, use -v[v]... for full protocol decode");
        eprintln!("{what}");
    } else {
        eprintln!("bpfcap: {what}");
    }
}

impl Source for LiveCapture {
    fn next(&mut self, out: &mut Take<'_>) -> Result<usize, Fatal> {
        self.dispatch(POLL, out).map_err(|e| Fatal(e.to_string()))
    }
}

/// Takes a packet to the output; `Ok(false)` after the last one that
/// is wanted.
pub type Take<'a> = dyn FnMut(&Packet<'_>) -> io::Result<bool> + 'a;

/// A capture that packets come from.
pub trait Source {
    /// Waits a moment for packets and hands each to `out` until it
    /// returns `Ok(false)`; how many were handed over.
    fn next(&mut self, out: &mut Take<'_>) -> Result<usize, Fatal>;

    /// Once the capture has stopped (a signal, -c, the last -G -W file):
    /// hands over, the same way, what it still holds, or throws it away
    /// when nothing more is to be written (`None`). Nothing by default.
    fn rest(&mut self, _out: Option<&mut Take<'_>>) -> Result<(), Fatal> {
        Ok(())
    }
}

/// Sends captured packets to the output until -c packets, a signal, an
/// error, or the last -G -W file; then what the source still holds,
/// within -c and -W. How many packets were handed over, and how it ended.
pub fn deliver(
    mut output: Output,
    args: &Args,
    source: &mut dyn Source,
) -> (u64, Result<(), Fatal>) {
    let left = Cell::new(args.count.unwrap_or(u64::MAX));
    // False once -G -W has written its last file.
    let more = Cell::new(true);
    let written = Cell::new(0);
    let open = || more.get() && left.get() > 0;
    let result = {
        let mut take = |pkt: &Packet<'_>| {
            if !open() {
                return Ok(false);
            }
            let taken = output.packet(pkt).map_err(closed_pipe_ends_quietly)?;
            more.set(taken);
            left.set(left.get() - 1);
            written.set(written.get() + u64::from(taken));
            Ok(open())
        };
        // A signal ends the run between batches: a packet taken from the
        // source is written.
        let mut run = || {
            while open() && !signals::stopped() {
                source.next(&mut take)?;
            }
            source.rest(if open() { Some(&mut take) } else { None })
        };
        run()
    };
    // Whatever stopped the loop, the records written are whole.
    let flushed = output.flush().map_err(closed_pipe_ends_quietly);
    let result = result.and_then(|()| flushed.map_err(|e| Fatal(e.to_string())));
    (written.get(), result)
}

/// tcpdump's closing lines.
fn print_stats(s: &Stats) {
    eprintln!("{} captured", packets(s.captured));
    eprintln!("{} received by filter", packets(s.received));
    eprintln!("{} dropped by kernel", packets(s.dropped));
}
