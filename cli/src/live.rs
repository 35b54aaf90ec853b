//! `bpfcap -i IFACE`: live capture through the kernel's packet ring, with
//! the filter running in the kernel, to a file or as one line per packet.

use std::cell::Cell;

use bpfcap_capture::live::{LiveCapture, LiveError, Stats};
use bpfcap_capture::{InterfaceCounts, Packet};
use bpfcap_filter::FilterSpec;

use crate::args::Args;
use crate::output::Output;
use crate::plane::{Member, Plane, Source};
use crate::{Fatal, closed_pipe_ends_quietly, packets, privileges, settings, signals};

pub fn run(args: &Args, ifaces: &[String], filter: &FilterSpec) -> Result<(), Fatal> {
    let mut members = Vec::with_capacity(ifaces.len());
    for iface in ifaces {
        let opts = settings::live_options(args, iface, filter);
        let cap = LiveCapture::open(&opts).map_err(|e| match e {
            LiveError::Compile(e) => Fatal(e.render(&filter.expr)),
            e => Fatal(e.to_string()),
        })?;
        members.push(Member::Socket(cap));
    }
    privileges::drop(args.user.as_deref())?;
    let snaplen = settings::live_options(args, &ifaces[0], filter).snaplen;
    let mut output = Plane::output(args, &members, snaplen)?;
    for member in &members {
        if let Member::Socket(cap) = member {
            warn(cap);
        }
    }
    let lines: Vec<String> = members
        .iter()
        .map(|m| {
            let link = m.interface().link_type();
            format!(
                "listening on {}, link-type {} ({}), snapshot length {snaplen} bytes",
                m.port().name,
                link.name(),
                link.description(),
            )
        })
        .collect();
    listening(args, &lines);
    signals::install();
    let mut plane = Plane::new(members);
    plane.reload = crate::sets::Reload::new(&args.sets);
    let (_, result) = deliver(&mut output, args, &mut plane);
    let several = plane.members.len() > 1;
    let mut counts = Vec::with_capacity(plane.members.len());
    for (member, &written) in plane.members.iter_mut().zip(&plane.written) {
        let Member::Socket(cap) = member else {
            continue;
        };
        let stats = Stats {
            captured: written,
            ..cap.stats().map_err(|e| Fatal(e.to_string()))?
        };
        print_stats(&stats, several.then_some(cap.port().name));
        counts.push(InterfaceCounts {
            received: stats.received,
            dropped: stats.dropped,
            accepted: None,
        });
    }
    plane.finish(&mut output, result, &counts)
}

/// What a capture's filter choice came to, when the user should know.
fn warn(cap: &LiveCapture) {
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
}

/// tcpdump's line before a live capture starts (one per interface here):
/// with nothing to make the output verbose (`-v`) or go to a file, a
/// hint comes first.
pub fn listening(args: &Args, lines: &[String]) {
    let bare = args.verbose == 0 && args.write.is_none();
    if bare {
        eprintln!("bpfcap: verbose output suppressed, use -v[v]... for full protocol decode");
    }
    for what in lines {
        if bare {
            eprintln!("{what}");
        } else {
            eprintln!("bpfcap: {what}");
        }
    }
}

/// Sends captured packets to the output until -c packets, a signal, an
/// error, or the last -G -W file; then what the source still holds,
/// within -c and -W. How many packets were handed over, and how it ended.
pub fn deliver(
    output: &mut Output,
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

/// tcpdump's closing lines; with several interfaces, for each, `on` it.
fn print_stats(s: &Stats, on: Option<&str>) {
    let on = on.map(|name| format!(" on {name}")).unwrap_or_default();
    eprintln!("{} captured{on}", packets(s.captured));
    eprintln!("{} received by filter{on}", packets(s.received));
    eprintln!("{} dropped by kernel{on}", packets(s.dropped));
}
