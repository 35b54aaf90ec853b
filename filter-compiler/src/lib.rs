#![doc = include_str!("../README.md")]
//! ## Design
//!
//! The pipeline, each stage in its own module (the first three are
//! internal; their output is reached through the functions below):
//!
//! 1. `parse`: text → syntax tree, with byte spans for errors
//!    ([`Error::span`]);
//! 2. `lower`: syntax tree + [`LinkType`] → [`ir::Cfg`], a typed control
//!    flow graph of predicates over packet fields;
//! 3. `opt`: optimizations on the CFG (folding, known-outcome threading,
//!    balanced trees for many-way alternatives, merging);
//! 4. [`cbpf`]: CFG → `sock_filter` instructions, with a validator using the
//!    kernel's rules, an interpreter, a fast executor, a JIT and tcpdump
//!    listings; or [`ebpf`]: CFG → eBPF for socket filters, TC and XDP.
//!
//! Entry points: [`compile`] for a classic program, [`compile_within`] for
//! one that must fit a consumer's instruction limit, [`compile_ebpf`] for
//! an eBPF socket filter, and [`compile_ir`] for a back end of your own
//! (the XDP templates of `bpfcap-xdp` are one). [`cbpf::Runner`] runs a
//! classic program in user space, [`cbpf::listing`] prints it like
//! `tcpdump -d`.
//!
//! ```
//! use bpfcap_filter::{compile, CompileOptions, LinkType};
//! let prog = compile("udp and (port 67 or 68)", &CompileOptions::new(LinkType::EN10MB)).unwrap();
//! assert!(prog.insns().len() < 30);
//! ```

#![deny(missing_docs)]

mod ast;
pub mod cbpf;
#[allow(missing_docs)] // documented by the asm branch
pub mod ebpf;
mod error;
pub mod ir;
mod jumps;
mod linktype;
mod lower;
mod names;
mod opt;
mod parse;
mod spec;

pub use cbpf::Program;
pub use error::{Error, ErrorKind};
pub use linktype::LinkType;
pub use spec::FilterSpec;

/// libpcap's default snapshot length, returned by a matching filter.
pub const DEFAULT_SNAPLEN: u32 = 262_144;

/// How to compile an expression.
#[derive(Clone, Debug)]
pub struct CompileOptions {
    /// The link type of the packets the filter will see.
    pub link_type: LinkType,
    /// The value a matching filter returns (bytes of the packet to keep).
    pub snaplen: u32,
    /// Run the optimizer (libpcap's `-O` turns it off).
    pub optimize: bool,
    /// IPv4 netmask of the capture interface, needed only by
    /// `ip broadcast`; `None` is libpcap's `PCAP_NETMASK_UNKNOWN`.
    pub netmask: Option<u32>,
    /// Whether the packets' host-order link headers are big-endian: the
    /// byte order of the capture file (or of this host, for live capture).
    /// Only `DLT_NULL`'s address-family word depends on it.
    pub big_endian_capture: bool,
    /// Optimize for program size rather than for speed: many-way
    /// alternatives stay linear chains of `jeq` (libpcap's form) instead
    /// of balanced comparison trees. Verdicts are the same either way;
    /// for limits such as the kernel's 4096 instructions or iptables'
    /// 64 (`xt_bpf`).
    pub size_first: bool,
}

impl CompileOptions {
    /// libpcap's defaults for `link_type`: the default snapshot length,
    /// the optimizer on, the netmask unknown, and this host's byte order
    /// (right for live capture; set [`big_endian_capture`] from a capture
    /// file's header when replaying one).
    ///
    /// [`big_endian_capture`]: CompileOptions::big_endian_capture
    pub fn new(link_type: LinkType) -> CompileOptions {
        CompileOptions {
            link_type,
            snaplen: DEFAULT_SNAPLEN,
            optimize: true,
            netmask: None,
            big_endian_capture: cfg!(target_endian = "big"),
            size_first: false,
        }
    }
}

/// Expressions longer than this are compiled on a thread with a large
/// stack: the passes recurse along the expression and along paths of the
/// program, and a 1000-host filter nests that deep.
const BIG_EXPR: usize = 2048;

/// Compiles `expr` to a classic BPF program for `opts.link_type`.
///
/// An empty (or all-blank) expression accepts every packet, as in tcpdump.
pub fn compile(expr: &str, opts: &CompileOptions) -> Result<Program, Error> {
    on_big_stack(expr, || cbpf::codegen::generate(&ir(expr, opts)?, opts))
}

/// Compiles `expr` for a consumer that takes at most `limit` instructions
/// (the kernel's [`cbpf::insn::MAXINSNS`], iptables' 64): the fast form
/// when it fits, otherwise the [size-first](CompileOptions::size_first)
/// one if that fits. When neither does, the fast form (to run somewhere
/// without the limit, such as in user space). With it comes the fast
/// form's length when the size-first form replaced it. Verdicts are the
/// same either way.
pub fn compile_within(
    expr: &str,
    opts: &CompileOptions,
    limit: usize,
) -> Result<(Program, Option<usize>), Error> {
    let prog = compile(expr, opts)?;
    if prog.insns().len() <= limit || opts.size_first || !opts.optimize {
        return Ok((prog, None));
    }
    let small = compile(
        expr,
        &CompileOptions {
            size_first: true,
            ..opts.clone()
        },
    )?;
    if small.insns().len() <= limit {
        Ok((small, Some(prog.insns().len())))
    } else {
        Ok((prog, None))
    }
}

/// Compiles `expr` to an eBPF socket filter for `opts.link_type`, straight
/// from the optimized IR (no classic BPF in between).
pub fn compile_ebpf(expr: &str, opts: &CompileOptions) -> Result<ebpf::Program, Error> {
    on_big_stack(expr, || ebpf::codegen::generate(&ir(expr, opts)?, opts))
}

/// Runs `f` on a thread with a large stack when `expr` is long (see
/// [`BIG_EXPR`]).
fn on_big_stack<T: Send>(
    expr: &str,
    f: impl FnOnce() -> Result<T, Error> + Send,
) -> Result<T, Error> {
    if expr.len() <= BIG_EXPR {
        return f();
    }
    std::thread::scope(|s| {
        std::thread::Builder::new()
            .stack_size(1 << 30)
            .spawn_scoped(s, f)
            .map_err(|e| {
                Error::new(
                    ErrorKind::TooLarge,
                    0..0,
                    format!("cannot start compiler thread: {e}"),
                )
            })?
            .join()
            .unwrap_or_else(|_| {
                Err(Error::new(
                    ErrorKind::TooLarge,
                    0..0,
                    "compiler thread failed",
                ))
            })
    })
}

/// Parses, lowers and (unless `opts.optimize` is off) optimizes `expr`:
/// the IR every back end starts from (the XDP templates build on it).
pub fn compile_ir(expr: &str, opts: &CompileOptions) -> Result<ir::Cfg, Error> {
    on_big_stack(expr, || ir(expr, opts))
}

/// [`compile_ir`] on the caller's stack.
fn ir(expr: &str, opts: &CompileOptions) -> Result<ir::Cfg, Error> {
    let ast = parse::parse(expr)?;
    let lowered = lower::lower(ast.as_ref(), opts)?;
    let mut cfg = lowered.cfg;
    if opts.optimize {
        opt::optimize(&mut cfg, lowered.optimizable, opts.size_first)?;
        // libpcap refuses a filter its optimizer proves can never match;
        // ours proves more, so ask what libpcap's would find (lowering
        // again is cheaper than keeping a copy for this rare case).
        if lowered.optimizable
            && cfg.root == ir::REJECT
            && opt::libpcap_rejects_all(&lower::lower(ast.as_ref(), opts)?.cfg)
        {
            return Err(Error::new(
                ErrorKind::RejectsAll,
                0..expr.len(),
                "expression rejects all packets",
            ));
        }
    }
    Ok(cfg)
}
