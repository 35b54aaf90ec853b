//! `bpfcap compile`: the filter as a program or object file for other
//! loaders — written to `-o FILE`, or to standard output (no `-o`, or
//! `-o -`), the same bytes either way.

use bpfcap_filter::cbpf::insn::XT_BPF_MAX_NUM_INSTR;
use bpfcap_filter::cbpf::listing::{self, Format};
use bpfcap_filter::{CompileOptions, compile, compile_within};
use bpfcap_xdp::XdpOptions;
use bpfcap_xdp::templates::{socket_object, xdp_object};

use crate::args::CompileArgs;
use crate::args::values::Target;
use crate::{Fatal, heap, resolver, write_stdout};

/// `bpfcap compile [--target T] [-o FILE] EXPR`.
pub fn run(c: &CompileArgs) -> Result<(), Fatal> {
    let expr = &c.filter.expr;
    heap::room_for_compiling(expr.len());
    let render = |e: bpfcap_filter::Error| Fatal(e.render(expr));
    let copts = CompileOptions {
        snaplen: c.snaplen.tcpdump(),
        resolver: Some(resolver::system()),
        source: bpfcap_capture::devices::kernel_source(None),
        sets: crate::sets::load(&c.sets).map_err(Fatal)?,
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
