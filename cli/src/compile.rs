//! `bpfcap compile`: the filter as a program or object file for other
//! loaders — written to `-o FILE`, or to standard output (no `-o`, or
//! `-o -`), the same bytes either way.

use bpfcap_filter::cbpf::insn::XT_BPF_MAX_NUM_INSTR;
use bpfcap_filter::cbpf::listing::{self, Format};
use bpfcap_filter::{CompileOptions, LinkType, compile, compile_within};
use bpfcap_xdp::templates::{XdpOptions, socket_object, xdp_object};

use crate::args::CompileArgs;
use crate::{Fatal, write_stdout};

/// What `bpfcap compile` makes (`--target`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// Classic BPF as a C array of `struct sock_filter` (`tcpdump -dd`'s
    /// listing), to paste into a program.
    Cbpf,
    /// Classic BPF as the `struct sock_filter` array itself, in this
    /// host's byte order ([`bpfcap_filter::Program::to_bytes`]), for
    /// loaders that read it from a file and hand it to `SO_ATTACH_FILTER`.
    CbpfRaw,
    /// A BPF ELF object with the filter as a socket filter program.
    EbpfSocket,
    /// A BPF ELF object with an XDP program (`--action`, `--invert`).
    Xdp,
    /// iptables' `-m bpf --bytecode` text.
    XtBpf,
}

impl Target {
    /// Every target by its `--target` name.
    const NAMES: [(&'static str, Target); 5] = [
        ("cbpf", Target::Cbpf),
        ("cbpf-raw", Target::CbpfRaw),
        ("ebpf-socket", Target::EbpfSocket),
        ("xdp", Target::Xdp),
        ("xt_bpf", Target::XtBpf),
    ];

    /// `--target NAME`.
    pub fn parse(name: &str) -> Result<Target, String> {
        Target::NAMES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|&(_, t)| t)
            .ok_or_else(|| {
                let names: Vec<&str> = Target::NAMES.iter().map(|(n, _)| *n).collect();
                let (last, rest) = names.split_last().expect("targets");
                format!("invalid --target {name} ({} or {last})", rest.join(", "))
            })
    }

    /// The link type to compile for without `-y`: Ethernet, but raw IP
    /// for iptables, which hands `-m bpf` the packet from its IP header
    /// (as nfbpf_compile's DLT_RAW).
    pub fn default_link_type(self) -> LinkType {
        match self {
            Target::XtBpf => LinkType::RAW,
            _ => LinkType::EN10MB,
        }
    }
}

/// `bpfcap compile [--target T] [-o FILE] EXPR`.
pub fn run(c: &CompileArgs) -> Result<(), Fatal> {
    let expr = &c.filter.expr;
    let render = |e: bpfcap_filter::Error| Fatal(e.render(expr));
    let copts = CompileOptions {
        snaplen: c.snaplen.tcpdump(),
        ..c.filter.options(c.link_type)
    };
    let bytes = match c.target {
        Target::Cbpf => {
            let prog = compile(expr, &copts).map_err(render)?;
            listing::render(prog.insns(), Format::C).into_bytes()
        }
        Target::CbpfRaw => compile(expr, &copts).map_err(render)?.to_bytes(),
        Target::EbpfSocket => socket_object(expr, &copts).map_err(render)?.into_elf(),
        Target::XtBpf => xt_bpf(expr, copts)?.into_bytes(),
        Target::Xdp => {
            let opts = XdpOptions {
                action: c.action.into(),
                invert: c.invert,
                snaplen: c.snaplen.xdp(),
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

/// iptables' bytecode line: the fast program when it fits in
/// [`XT_BPF_MAX_NUM_INSTR`] instructions, else the size-first one, else
/// an error naming the limit.
fn xt_bpf(expr: &str, mut copts: CompileOptions) -> Result<String, Fatal> {
    let render = |e: bpfcap_filter::Error| Fatal(e.render(expr));
    let (prog, _) = compile_within(expr, &copts, XT_BPF_MAX_NUM_INSTR).map_err(render)?;
    if prog.insns().len() > XT_BPF_MAX_NUM_INSTR {
        copts.size_first = true;
        let len = compile(expr, &copts).map_err(render)?.insns().len();
        return Err(Fatal(format!(
            "the filter takes {len} instructions even optimized for size; \
             iptables' xt_bpf takes at most {XT_BPF_MAX_NUM_INSTR} (XT_BPF_MAX_NUM_INSTR)"
        )));
    }
    Ok(listing::xt_bpf(prog.insns()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_by_name() {
        for (name, target) in Target::NAMES {
            assert_eq!(Target::parse(name), Ok(target));
        }
        assert_eq!(
            Target::parse("CBPF"),
            Err("invalid --target CBPF (cbpf, cbpf-raw, ebpf-socket, xdp or xt_bpf)".into())
        );
        assert_eq!(Target::XtBpf.default_link_type(), LinkType::RAW);
        assert_eq!(Target::Cbpf.default_link_type(), LinkType::EN10MB);
    }
}
