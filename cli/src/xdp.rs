//! `bpfcap -i IFACE --xdp`: the filter in the interface's XDP hook —
//! counting, dropping, or copying matching packets to user space.

use std::time::Duration;

use bpfcap_capture::devices;
use bpfcap_capture::xdp::{Mode, XdpSession, XdpSpec};
use bpfcap_filter::{CompileOptions, FilterSpec};
use bpfcap_xdp::templates::xdp_object;

use crate::args::Args;
use crate::live::{self, Source, Take};
use crate::output::{Output, live_format};
use crate::{Fatal, privileges, settings, signals};

pub fn run(args: &Args, iface: &str, filter: &FilterSpec) -> Result<(), Fatal> {
    let opts = settings::xdp_options(args);
    let snaplen = opts.snaplen;
    // For the packets as the interface hands them to XDP: a filter
    // compiled for another link type would test the wrong bytes.
    let link = bpfcap_capture::xdp::link_type(iface).map_err(|e| Fatal(e.to_string()))?;
    let expr = &filter.expr;
    // XDP sees only received packets: `-Q out` keeps none, as `outbound`.
    let copts = CompileOptions {
        source: devices::kernel_source(args.direction.only()),
        ..settings::compile_options(args, filter, link)
    };
    let object = xdp_object(expr, &copts, &opts).map_err(|e| Fatal(e.render(expr)))?;
    let capturing = object.captures();
    let spec = XdpSpec {
        object: &object,
        interface: iface,
        mode: args.xdp_mode.unwrap_or(Mode::Auto),
        promiscuous: !args.no_promiscuous,
    };
    let mut session = XdpSession::attach(&spec).map_err(|e| Fatal(e.to_string()))?;
    // The link, ring buffer and maps are open; nothing after needs root.
    privileges::drop(args.user.as_deref())?;
    let output = if capturing {
        Some(Output::open(
            args,
            live_format(args),
            session.interface(),
            snaplen,
            true,
        )?)
    } else {
        None
    };
    eprintln!(
        "XDP program on {iface} ({} mode), action {}{}, link-type {} ({}), snapshot length {snaplen} bytes",
        session.mode(),
        args.action.name(),
        if args.invert {
            " on non-matching packets"
        } else {
            ""
        },
        link.name(),
        link.description(),
    );
    signals::install();
    let (captured, result) = if let Some(output) = output {
        let mut source = Capturing {
            session: &mut session,
            unwritten: 0,
        };
        let (captured, result) = live::deliver(output, args, &mut source);
        (Some((captured, source.unwritten)), result)
    } else {
        // Nothing to deliver: wait for a signal, or for the interface or
        // the program to go.
        let mut waited = Ok(());
        while waited.is_ok() && !signals::stopped() {
            waited = session
                .poll(Duration::from_millis(100), |_| Ok(true))
                .map(drop);
        }
        (None, waited.map_err(|e| Fatal(e.to_string())))
    };
    // The counters are final once the program is detached.
    session.detach();
    let c = session.counters().map_err(|e| Fatal(e.to_string()))?;
    if let Some((captured, _)) = captured {
        eprintln!("{} captured", crate::packets(captured));
    }
    eprintln!("{} packets seen by XDP", c.seen);
    eprintln!("{} packets matched", c.matched);
    eprintln!("{} packets dropped", c.dropped);
    if capturing {
        eprintln!("{} packets lost (ring buffer full)", c.lost);
    }
    if let Some((_, unwritten @ 1..)) = captured {
        eprintln!("{unwritten} packets matched past the -c/-W limit, not written");
    }
    result
}

/// An XDP capture as a source of packets: the ring buffer while it runs;
/// once it stops, the program is detached and what the ring still holds
/// is handed over too, so that every packet the program counted as
/// matched is written, counted lost, or (past -c) counted unwritten.
struct Capturing<'a> {
    session: &'a mut XdpSession,
    /// Packets left in the ring past -c or the last -W file.
    unwritten: usize,
}

impl Source for Capturing<'_> {
    fn next(&mut self, out: &mut Take<'_>) -> Result<usize, Fatal> {
        self.session
            .poll(Duration::from_millis(100), out)
            .map_err(|e| Fatal(e.to_string()))
    }

    fn rest(&mut self, out: Option<&mut Take<'_>>) -> Result<(), Fatal> {
        self.session.detach();
        self.unwritten = self.session.drain(out).map_err(|e| Fatal(e.to_string()))?;
        Ok(())
    }
}
