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
//! `tcpdump -d`. [`CompileOptions::source`] says where the packets come
//! from ([`PacketSource`]: a savefile, the kernel, pcapng records), which
//! decides what `inbound`/`outbound`, `ifindex` and `ifname` can test;
//! [`cbpf::ancillary`] runs such programs in user space.
//! [`explain::Explainer`] tells why a filter matches a packet or not.
//!
//! ```
//! use bpfcap_filter::{compile, CompileOptions, LinkType};
//! let prog = compile("udp and (port 67 or 68)", &CompileOptions::new(LinkType::EN10MB)).unwrap();
//! assert!(prog.insns().len() < 30);
//! ```

#![deny(missing_docs)]

mod ast;
pub mod cbpf;
pub mod ebpf;
mod error;
pub mod explain;
pub mod ir;
mod jumps;
mod linktype;
mod lower;
mod names;
pub mod opcode;
mod opt;
mod parse;
mod resolve;
mod semantics;
pub mod sets;
mod source;
mod spec;

use std::sync::Arc;

pub use cbpf::Program;
pub use error::{Error, ErrorKind};
pub use linktype::LinkType;
pub use resolve::{NameTable, Resolver};
pub use semantics::Semantics;
pub use sets::{Set, SetTable};
pub use source::{Direction, PacketSource};
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
    /// Looks up the host, network and Ethernet host names the expression
    /// uses (`host NAME`, `net NAME`, `ether host NAME`); `None`: every
    /// such name is unknown, as to a system without any.
    pub resolver: Option<Arc<dyn Resolver>>,
    /// Where the packets come from: what `inbound`/`outbound`, `ifindex`
    /// and `ifname` can test besides the link header (a savefile's
    /// libpcap errors by default).
    pub source: PacketSource,
    /// Whose meaning the primitives have: libpcap's (the default), or
    /// what the packets' headers say ([`Semantics::Protocol`]).
    pub semantics: Semantics,
    /// Accept bpfcap's tunnel extensions of the language: `vxlan [VNI]`
    /// (libpcap's development branch's primitive) and the `inner(EXPR)`
    /// scope. Off by default, where the language is libpcap 1.10's, which
    /// has neither (`vxlan` alone is a syntax error there).
    pub tunnels: bool,
    /// The sets the expression can name as `@NAME` (`host @NAME`,
    /// `port @NAME`, …); empty by default: naming one is an error.
    pub sets: SetTable,
}

impl CompileOptions {
    /// libpcap's defaults for `link_type`: the default snapshot length,
    /// the optimizer on, the netmask unknown, no resolver, and this host's
    /// byte order (right for live capture; set [`big_endian_capture`] from
    /// a capture file's header when replaying one).
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
            resolver: None,
            source: PacketSource::Savefile,
            semantics: Semantics::Libpcap,
            tunnels: false,
            sets: SetTable::new(),
        }
    }
}

/// Compiles `expr` to a classic BPF program for `opts.link_type`.
///
/// An empty (or all-blank) expression accepts every packet, as in tcpdump.
pub fn compile(expr: &str, opts: &CompileOptions) -> Result<Program, Error> {
    cbpf::codegen::generate(&compile_ir(expr, opts)?, opts)
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
    ebpf::codegen::generate(&compile_ir(expr, opts)?, opts)
}

/// Parses, lowers and (unless `opts.optimize` is off) optimizes `expr`:
/// the IR every back end starts from (the XDP templates build on it).
pub fn compile_ir(expr: &str, opts: &CompileOptions) -> Result<ir::Cfg, Error> {
    let ast = parse::parse(expr)?;
    let lowered = lower::lower(ast.as_ref(), opts)?;
    let as_libpcap = opts.optimize && lowered.optimizable;
    // libpcap reports a divisor (or shift) that folds to a bad constant
    // only where its optimizer folds it: in the blocks it keeps. The
    // replay made for that is kept for the refusal check below.
    let mut replay = None;
    if as_libpcap && let Some((_, first)) = lowered.folding_errors.first() {
        let r = opt::LibpcapReplay::new(&lowered.cfg);
        match &r {
            Some(r) => r.folding_error(&lowered.folding_errors),
            None => Some(first.clone()),
        }
        .map_or(Ok(()), Err)?;
        replay = Some(r);
    }
    let mut cfg = lowered.cfg;
    if opts.optimize {
        opt::optimize(&mut cfg, lowered.optimizable, opts.size_first)?;
        // libpcap refuses a filter its optimizer proves can never match;
        // ours proves more, so ask what libpcap's would find (with the
        // replay built for a folding error if there is one; otherwise
        // lowering again is cheaper than keeping a copy for this rare
        // case).
        if as_libpcap
            && cfg.rejects_all()
            && match replay {
                Some(r) => r,
                None => opt::LibpcapReplay::new(&lower::lower(ast.as_ref(), opts)?.cfg),
            }
            .is_none_or(|r| r.rejects_all())
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs `f` on a thread with a small stack (1 MiB; the test
    /// harness's threads have 2 MiB, a program's main thread 8 MiB): no
    /// pass may recurse along a long expression or a path of the program.
    pub(crate) fn on_small_stack<T: Send>(f: impl FnOnce() -> T + Send) -> T {
        std::thread::scope(|s| {
            std::thread::Builder::new()
                .stack_size(1 << 20)
                .spawn_scoped(s, f)
                .unwrap()
                .join()
                .unwrap()
        })
    }

    /// A random number generator for the randomized tests: each call
    /// gives a number below its argument.
    pub(crate) fn xorshift(mut seed: u64) -> impl FnMut(u64) -> u64 {
        move |m| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % m
        }
    }

    /// `a(0) op a(1) op ... a(n - 1)`.
    pub(crate) fn joined(n: usize, op: &str, a: impl Fn(usize) -> String) -> String {
        (0..n).map(a).collect::<Vec<_>>().join(op)
    }

    fn host(i: usize) -> String {
        format!("host 10.{}.{}.{}", i >> 16, (i >> 8) & 255, i & 255)
    }

    /// Long `or` and `and` chains, of each kind the lowering treats apart
    /// (hosts, runs of ports, `not`, arithmetic, mixed `and`/`or`).
    fn chains(n: usize) -> Vec<String> {
        vec![
            joined(n, " or ", host),
            joined(n, " or ", |i| format!("port {}", i % 65536)),
            joined(n, " and ", |i| format!("not port {}", i % 65536)),
            joined(n, " and ", |i| format!("ether[{i}] = 1")),
            joined(n, " or ", |i| format!("tcp and {}", host(i))),
        ]
    }

    /// Parsing, lowering and dropping 50,000-long chains take no stack in
    /// proportion to them (they took a 1 GiB stack).
    #[test]
    fn long_chains_lower_on_a_small_stack() {
        let opts = CompileOptions::new(LinkType::EN10MB);
        for expr in chains(50_000) {
            on_small_stack(|| {
                let ast = parse::parse(&expr).unwrap();
                let lowered = lower::lower(ast.as_ref(), &opts).unwrap();
                assert!(lowered.cfg.nodes().len() > 50_000);
            });
        }
    }

    /// The whole pipeline (optimizer, code generation for both back ends)
    /// on a small stack; the optimizer's time grows faster than the
    /// expression on some of these, so 1,000 long (see `opt`'s tests for
    /// 50,000 alternatives).
    #[test]
    fn long_chains_compile_on_a_small_stack() {
        let opts = CompileOptions::new(LinkType::EN10MB);
        for expr in chains(1_000) {
            let (prog, ebpf) =
                on_small_stack(|| (compile(&expr, &opts), compile_ebpf(&expr, &opts)));
            assert!(prog.unwrap().insns().len() > 1000, "{}", &expr[..40]);
            assert!(ebpf.is_ok(), "{}", &expr[..40]);
        }
    }

    /// Nesting is bounded (the parser's `MAX_DEPTH`, 200): deep nesting
    /// compiles on a small stack, deeper is an error where the bound is
    /// crossed (not a stack overflow, however deep).
    #[test]
    fn deep_nesting_is_bounded() {
        let opts = CompileOptions::new(LinkType::EN10MB);
        let nested = |n: usize, open: &str, close: &str| {
            format!("{}port 1{}", open.repeat(n), close.repeat(n))
        };
        for expr in [
            nested(150, "(", ")"),
            nested(150, "not ", ""),
            nested(75, "(not ", ")"),
            format!("ether[0]{} = 1", " + 0".repeat(150)),
        ] {
            on_small_stack(|| compile(&expr, &opts)).unwrap();
        }
        for (expr, at) in [
            (nested(100_000, "(", ")"), 200),
            (nested(100_000, "not ", ""), 4 * 201),
            (
                format!("{}1{} = 1", "(".repeat(100_000), ")".repeat(100_000)),
                200,
            ),
            (
                format!("{} = 1", joined(100_000, "+", |_| "1".into())),
                2 * 199,
            ),
        ] {
            let e = on_small_stack(|| compile(&expr, &opts)).unwrap_err();
            assert_eq!(e.kind, ErrorKind::TooLarge);
            assert_eq!(
                e.to_string(),
                format!("error at {at}: expression nested too deeply")
            );
        }
    }
}
