//! `bpfcap -i IFACE --xdp`: the filter in the interface's XDP hook —
//! counting, dropping, or copying matching packets to user space — and
//! `bpfcap compile`: the filter as a program file for other loaders.

use std::time::Duration;

use bpfcap_capture::xdp::{Mode, XdpSession, XdpSpec};
use bpfcap_filter::cbpf::insn::XT_BPF_MAX_NUM_INSTR;
use bpfcap_filter::cbpf::listing::{self, Format};
use bpfcap_filter::{LinkType, compile, compile_within};
use bpfcap_xdp::templates::{Action, XdpOptions, socket_object, xdp_object};

use crate::args::{Args, CompileArgs, XdpAction};
use crate::live::{self, Source, Take};
use crate::output::{Output, live_format};
use crate::{Fatal, compile_options, privileges, signals, write_stdout};

/// Without -s, whole Ethernet frames (an XDP program without fragment
/// support sees at most a page) rather than tcpdump's 262144 bytes, which
/// the record's 16-bit length could not say anyway.
const XDP_SNAPLEN: u32 = 2048;

/// The capture ring buffer without -B: records take what the packet
/// needs (a 64-byte frame about 100 bytes), so this holds a few hundred
/// thousand small packets — a burst while the reader is held up.
const XDP_RING_BYTES: u32 = 32 << 20;

/// The ring buffer's size: -B (KiB, as tcpdump's buffer) rounded up to a
/// power of two and at least a page, as the kernel wants; at most 1 GiB.
fn ring_bytes(buffer_kib: Option<usize>) -> u32 {
    let Some(kib) = buffer_kib else {
        return XDP_RING_BYTES;
    };
    // SAFETY: sysconf has no preconditions.
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) }.max(4096) as u64;
    let bytes = (kib as u64).saturating_mul(1024).clamp(page, 1 << 30);
    bytes.next_power_of_two().min(1 << 30) as u32
}

fn action(a: XdpAction) -> Action {
    match a {
        XdpAction::Pass => Action::Pass,
        XdpAction::Drop => Action::Drop,
        XdpAction::CaptureDrop => Action::Capture { drop: true },
        XdpAction::Capture => Action::Capture { drop: false },
    }
}

pub fn run(args: &Args, iface: &str, expr: &str) -> Result<(), Fatal> {
    let action = action(args.action);
    let snaplen = args
        .snaplen
        .filter(|&s| s != 0)
        .unwrap_or(XDP_SNAPLEN)
        .min(0xffff);
    let opts = XdpOptions {
        action,
        invert: args.invert,
        snaplen,
        ring_bytes: ring_bytes(args.buffer_kib),
    };
    // For the packets as the interface hands them to XDP: a filter
    // compiled for another link type would test the wrong bytes.
    let link = bpfcap_capture::xdp::link_type(iface).map_err(|e| Fatal(e.to_string()))?;
    let object =
        xdp_object(expr, &compile_options(args, link), &opts).map_err(|e| Fatal(e.render(expr)))?;
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

/// `bpfcap compile --target T [-o FILE] EXPR`.
pub fn compile_command(c: &CompileArgs) -> Result<(), Fatal> {
    let expr = &c.expr;
    // iptables hands `-m bpf` the packet from its IP header, as
    // nfbpf_compile's DLT_RAW.
    let default_link = if c.target == "xt_bpf" {
        LinkType::RAW
    } else {
        LinkType::EN10MB
    };
    let link = c.link_type.unwrap_or(default_link);
    let mut copts = bpfcap_filter::CompileOptions::new(link);
    copts.size_first = c.optimize_size;
    if let Some(s) = c.snaplen.filter(|&s| s != 0) {
        copts.snaplen = s;
    }
    let render = |e: bpfcap_filter::Error| Fatal(e.render(expr));
    let bytes = match c.target.as_str() {
        "cbpf" => {
            let prog = compile(expr, &copts).map_err(render)?;
            if c.output.is_none() {
                return write_stdout(listing::render(prog.insns(), Format::C).as_bytes());
            }
            // The `struct sock_filter` array, as SO_ATTACH_FILTER takes it.
            prog.insns()
                .iter()
                .flat_map(|i| {
                    let mut b = [0u8; 8];
                    b[0..2].copy_from_slice(&i.code.to_ne_bytes());
                    b[2] = i.jt;
                    b[3] = i.jf;
                    b[4..8].copy_from_slice(&i.k.to_ne_bytes());
                    b
                })
                .collect()
        }
        "ebpf-socket" => socket_object(expr, &copts).map_err(render)?.into_elf(),
        "xt_bpf" => {
            // The fast form when it fits, else the size-first one.
            let (prog, _) = compile_within(expr, &copts, XT_BPF_MAX_NUM_INSTR).map_err(render)?;
            if prog.insns().len() > XT_BPF_MAX_NUM_INSTR {
                copts.size_first = true;
                let len = compile(expr, &copts).map_err(render)?.insns().len();
                return Err(Fatal(format!(
                    "the filter takes {len} instructions even optimized for size; \
                     iptables' xt_bpf takes at most {XT_BPF_MAX_NUM_INSTR} (XT_BPF_MAX_NUM_INSTR)"
                )));
            }
            let text = listing::xt_bpf(prog.insns());
            if c.output.is_none() {
                return write_stdout(text.as_bytes());
            }
            text.into_bytes()
        }
        _ => {
            let opts = XdpOptions {
                action: action(c.action),
                invert: c.invert,
                snaplen: c
                    .snaplen
                    .filter(|&s| s != 0)
                    .unwrap_or(XDP_SNAPLEN)
                    .min(0xffff),
                ..XdpOptions::default()
            };
            xdp_object(expr, &copts, &opts).map_err(render)?.into_elf()
        }
    };
    match &c.output {
        Some(path) => {
            std::fs::write(path, bytes).map_err(|e| Fatal(format!("{}: {e}", path.display())))
        }
        None => write_stdout(&bytes),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ring_size_comes_from_buffer_size_as_a_power_of_two() {
        assert_eq!(ring_bytes(None), XDP_RING_BYTES);
        assert_eq!(ring_bytes(Some(1)), 4096);
        assert_eq!(ring_bytes(Some(2048)), 2 << 20);
        assert_eq!(ring_bytes(Some(3000)), 4 << 20);
        assert_eq!(ring_bytes(Some(usize::MAX)), 1 << 30);
    }
}
