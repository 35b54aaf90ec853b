//! `bpfcap -i IFACE --xdp`: the filter in the interface's XDP hook —
//! counting, dropping, or copying matching packets to user space (on each
//! `-i` interface, with a program compiled for its link type).

use bpfcap_capture::xdp::{Mode, XdpSession, XdpSpec};
use bpfcap_capture::{InterfaceCounts, devices};
use bpfcap_filter::{CompileOptions, FilterSpec};
use bpfcap_xdp::templates::xdp_object;

use crate::args::Args;
use crate::live;
use crate::plane::Source;
use crate::plane::{Member, Plane};
use crate::{Fatal, privileges, settings, signals};

pub fn run(args: &Args, ifaces: &[String], filter: &FilterSpec) -> Result<(), Fatal> {
    let opts = settings::xdp_options(args);
    let snaplen = opts.snaplen;
    let expr = &filter.expr;
    let mut members = Vec::with_capacity(ifaces.len());
    let mut capturing = false;
    for iface in ifaces {
        // For the packets as the interface hands them to XDP: a filter
        // compiled for another link type would test the wrong bytes.
        let link = bpfcap_capture::xdp::link_type(iface).map_err(|e| Fatal(e.to_string()))?;
        // XDP sees only received packets: `-Q out` keeps none, as `outbound`.
        let copts = CompileOptions {
            source: devices::kernel_source(args.direction.only()),
            ..settings::compile_options(args, filter, link)
        };
        let object = xdp_object(expr, &copts, &opts).map_err(|e| Fatal(e.render(expr)))?;
        capturing = object.captures();
        let spec = XdpSpec {
            object: &object,
            interface: iface,
            mode: args.xdp_mode.unwrap_or(Mode::Auto),
            promiscuous: !args.no_promiscuous,
            sets: &filter.sets,
        };
        let session = XdpSession::attach(&spec).map_err(|e| Fatal(e.to_string()))?;
        members.push(Member::Xdp {
            session,
            unwritten: 0,
        });
    }
    // The links, ring buffers and maps are open; nothing after needs root.
    privileges::drop(args.user.as_deref())?;
    let mut output = if capturing {
        Some(Plane::output(args, &members, snaplen)?)
    } else {
        None
    };
    for member in &members {
        let Member::Xdp { session, .. } = member else {
            continue;
        };
        let link = session.interface().link_type();
        eprintln!(
            "XDP program on {} ({} mode), action {}{}, link-type {} ({}), snapshot length {snaplen} bytes",
            session.port().name,
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
    }
    signals::install();
    let mut plane = Plane::new(members);
    plane.reload = crate::sets::Reload::new(&args.sets);
    let result = match &mut output {
        Some(output) => live::deliver(output, args, &mut plane).1,
        None => {
            // Nothing to deliver: wait for a signal, or for an interface
            // or a program to go.
            let mut waited = Ok(());
            while waited.is_ok() && !signals::stopped() {
                waited = plane.next(&mut |_| Ok(true)).map(drop);
            }
            waited
        }
    };
    let several = plane.members.len() > 1;
    let mut counts = Vec::with_capacity(plane.members.len());
    for (member, &captured) in plane.members.iter_mut().zip(&plane.written) {
        let Member::Xdp { session, unwritten } = member else {
            continue;
        };
        // The counters are final once the program is detached.
        session.detach();
        let c = session.counters().map_err(|e| Fatal(e.to_string()))?;
        let on = if several {
            format!(" on {}", session.port().name)
        } else {
            String::new()
        };
        if capturing {
            eprintln!("{} captured{on}", crate::packets(captured));
        }
        eprintln!("{} packets seen by XDP{on}", c.seen);
        eprintln!("{} packets matched{on}", c.matched);
        eprintln!("{} packets dropped{on}", c.dropped);
        if capturing {
            eprintln!("{} packets lost (ring buffer full){on}", c.lost);
        }
        if *unwritten > 0 {
            eprintln!("{unwritten} packets matched past the -c/-W limit, not written{on}");
        }
        counts.push(InterfaceCounts {
            received: c.seen,
            dropped: c.lost,
            accepted: Some(c.matched),
        });
    }
    match &mut output {
        Some(output) => plane.finish(output, result, &counts),
        None => result,
    }
}
