//! Which filter a live capture runs, and where: the eBPF one, the classic
//! one in its fast or size-first form (rewritten for a cooked socket), or
//! the classic one in user space behind a kernel filter that accepts
//! everything. One place decides, falling back as the kernel's limits
//! demand, and records what the caller reports ([`Facts`]).
//!
//! The first decision ([`FilterRequest::plan`]) compiles before any socket
//! exists, so that a bad expression is reported before missing
//! privileges; the rest ([`Plan::attach`]) learns the kernel's answers
//! through [`Kernel`], which tests stand in for.

use bpfcap_filter::cbpf::{cooked, insn::MAXINSNS};
use bpfcap_filter::{
    CompileOptions, Program, SetTable, compile, compile_ebpf, compile_within, ebpf,
};

use super::LiveError;
use crate::size_limit::SizeLimit;

/// What the filter is made from, and what is asked of it.
pub(super) struct FilterRequest<'a> {
    /// The expression.
    pub(super) expr: &'a str,
    /// How to compile it (the link type is the capture's).
    pub(super) options: CompileOptions,
    /// The eBPF filter is asked for.
    pub(super) ebpf: bool,
    /// The socket is cooked (`any`): classic programs are rewritten for it.
    pub(super) cooked: bool,
}

/// How the choice came out, as the caller reports it.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Facts {
    /// The classic filter was compiled for size because its fast form is
    /// longer than the kernel takes: (fast length, size-first length).
    pub(super) sized_down: Option<(usize, usize)>,
    /// Why the eBPF filter asked for gave way to the classic one.
    pub(super) ebpf_fallback: Option<SizeLimit>,
    /// Why the kernel refused the classic filter, which runs here then.
    pub(super) classic_refused: Option<SizeLimit>,
    /// The classic filter runs here because it is longer than the kernel
    /// takes.
    pub(super) too_long: bool,
}

/// The kernel side of the choice: the capture's socket.
pub(super) trait Kernel {
    /// Loads `program` and attaches it, with the maps of the sets it
    /// names filled from `sets`; the size limit that keeps it out, if one
    /// does.
    fn attach_ebpf(
        &mut self,
        program: &ebpf::Program,
        sets: &SetTable,
    ) -> Result<Option<SizeLimit>, LiveError>;
    /// Attaches `program`; the size limit that keeps it out, if one does.
    fn attach_classic(&mut self, program: Program) -> Result<Option<SizeLimit>, LiveError>;
    /// Attaches `program`, which accepts every packet (the filter runs in
    /// user space then).
    fn accept_all(&mut self, program: Program) -> Result<(), LiveError>;
}

/// A classic program and its form for the kernel.
pub(super) struct Classic {
    /// The program, for the capture's link type.
    program: Program,
    /// What the kernel can run: the program, or its rewriting for a
    /// cooked socket; `None` when there is none or it is too long.
    kernel: Option<Program>,
    /// See [`Facts::sized_down`].
    sized_down: Option<(usize, usize)>,
}

/// The first choice, made before the socket exists.
pub(super) enum Plan {
    /// The eBPF filter.
    Ebpf(ebpf::Program),
    /// The eBPF filter was asked for, but the compiler found it too large
    /// for the kernel: the classic one instead.
    EbpfTooLarge(SizeLimit),
    /// The classic filter.
    Classic(Classic),
}

/// Where the filter ended up.
#[derive(Debug)]
pub(super) struct Chosen {
    /// The filter to run in user space, if the kernel does not run it.
    pub(super) user_filter: Option<Program>,
    /// What the caller reports.
    pub(super) facts: Facts,
}

impl FilterRequest<'_> {
    /// Compiles the filter asked for: the eBPF one (or the limit that
    /// rules it out), or the classic one.
    pub(super) fn plan(&self) -> Result<Plan, LiveError> {
        if !self.ebpf {
            return self.classic().map(Plan::Classic);
        }
        if self.cooked {
            return Err(LiveError::EbpfOnAny);
        }
        match compile_ebpf(self.expr, &self.options) {
            Ok(program) => Ok(Plan::Ebpf(program)),
            Err(e) => match SizeLimit::of_compile(&e) {
                Some(limit) => Ok(Plan::EbpfTooLarge(limit)),
                None => Err(LiveError::Compile(e)),
            },
        }
    }

    /// The classic program: the fast form, or, when that is longer than
    /// the kernel takes, the size-first one if it fits.
    fn classic(&self) -> Result<Classic, LiveError> {
        let (program, fast) =
            compile_within(self.expr, &self.options, MAXINSNS).map_err(LiveError::Compile)?;
        let kernel = if self.cooked {
            cooked::kernel_program(&program)
        } else {
            Some(program.clone())
        };
        Ok(Classic {
            sized_down: fast.map(|fast| (fast, program.insns().len())),
            kernel: kernel.filter(Program::fits_in_kernel),
            program,
        })
    }

    /// A program that accepts every packet, for the kernel when the
    /// filter runs in user space.
    fn accept_all(&self) -> Result<Program, LiveError> {
        compile("", &self.options).map_err(LiveError::Compile)
    }
}

impl Plan {
    /// Attaches the planned filter to `kernel`, falling back when a size
    /// limit keeps it out: from eBPF to the classic filter (compiled only
    /// then), from the kernel to user space (as libpcap does when
    /// attaching fails).
    pub(super) fn attach(
        self,
        request: &FilterRequest<'_>,
        kernel: &mut impl Kernel,
    ) -> Result<Chosen, LiveError> {
        let mut facts = Facts::default();
        let classic = match self {
            Plan::Classic(classic) => classic,
            Plan::Ebpf(program) => match kernel.attach_ebpf(&program, &request.options.sets)? {
                None => {
                    return Ok(Chosen {
                        user_filter: None,
                        facts,
                    });
                }
                Some(limit) => {
                    facts.ebpf_fallback = Some(limit);
                    request.classic()?
                }
            },
            Plan::EbpfTooLarge(limit) => {
                facts.ebpf_fallback = Some(limit);
                request.classic()?
            }
        };
        facts.sized_down = classic.sized_down;
        facts.too_long = !classic.program.fits_in_kernel();
        if let Some(program) = classic.kernel {
            match kernel.attach_classic(program)? {
                None => {
                    return Ok(Chosen {
                        user_filter: None,
                        facts,
                    });
                }
                Some(limit) => facts.classic_refused = Some(limit),
            }
        }
        kernel.accept_all(request.accept_all()?)?;
        Ok(Chosen {
            user_filter: Some(classic.program),
            facts,
        })
    }
}

#[cfg(test)]
mod tests {
    use bpfcap_filter::LinkType;

    use super::*;
    use crate::size_limit::Kind;

    /// A kernel that refuses the eBPF and classic filters for size as
    /// told, and records what it was given.
    #[derive(Default)]
    struct FakeKernel {
        refuse_ebpf: bool,
        refuse_classic: bool,
        attached: Vec<&'static str>,
    }

    impl FakeKernel {
        fn refusing(ebpf: bool, classic: bool) -> FakeKernel {
            FakeKernel {
                refuse_ebpf: ebpf,
                refuse_classic: classic,
                attached: Vec::new(),
            }
        }
    }

    fn limit(kind: Kind) -> SizeLimit {
        SizeLimit::SocketMemory {
            kind,
            insns: 1,
            bytes: None,
            optmem_max: Some(1024),
        }
    }

    impl Kernel for FakeKernel {
        fn attach_ebpf(
            &mut self,
            _: &ebpf::Program,
            _: &SetTable,
        ) -> Result<Option<SizeLimit>, LiveError> {
            self.attached.push("ebpf");
            Ok(self.refuse_ebpf.then(|| limit(Kind::Ebpf)))
        }

        fn attach_classic(&mut self, _: Program) -> Result<Option<SizeLimit>, LiveError> {
            self.attached.push("classic");
            Ok(self.refuse_classic.then(|| limit(Kind::Classic)))
        }

        fn accept_all(&mut self, program: Program) -> Result<(), LiveError> {
            assert_eq!(program.insns().len(), 1);
            self.attached.push("accept all");
            Ok(())
        }
    }

    /// An expression longer than the kernel takes in its fast form
    /// (about 4,400 instructions) but not for size (about 3,300).
    fn long() -> String {
        alternatives("len = {}", 3200)
    }

    /// An expression longer than the kernel takes either way (about
    /// 4,200 instructions).
    fn too_long() -> String {
        alternatives("ether[{}] = 7", 2100)
    }

    /// `n` alternatives of `shape` with 1, 2, ... for its `{}`.
    fn alternatives(shape: &str, n: usize) -> String {
        let terms: Vec<String> = (1..=n)
            .map(|i| shape.replace("{}", &i.to_string()))
            .collect();
        terms.join(" or ")
    }

    /// Plans and attaches `expr` on `link` to `kernel`.
    fn choose(
        expr: &str,
        link: LinkType,
        ebpf: bool,
        kernel: &mut FakeKernel,
    ) -> Result<Chosen, LiveError> {
        let request = FilterRequest {
            expr,
            options: CompileOptions::new(link),
            ebpf,
            cooked: link == LinkType::LINUX_SLL2,
        };
        request.plan()?.attach(&request, kernel)
    }

    #[test]
    fn a_short_classic_filter_runs_in_the_kernel() {
        let mut k = FakeKernel::default();
        let chosen = choose("udp port 53", LinkType::EN10MB, false, &mut k).unwrap();
        assert!(chosen.user_filter.is_none());
        assert_eq!(chosen.facts, Facts::default());
        assert_eq!(k.attached, ["classic"]);
    }

    #[test]
    fn a_long_classic_filter_is_compiled_for_size() {
        let mut k = FakeKernel::default();
        let chosen = choose(&long(), LinkType::EN10MB, false, &mut k).unwrap();
        let (fast, small) = chosen.facts.sized_down.unwrap();
        assert!(fast > MAXINSNS && small <= MAXINSNS, "{fast} {small}");
        assert!(!chosen.facts.too_long && chosen.user_filter.is_none());
        assert_eq!(k.attached, ["classic"]);
    }

    #[test]
    fn a_filter_too_long_either_way_runs_in_user_space() {
        let mut k = FakeKernel::default();
        let chosen = choose(&too_long(), LinkType::EN10MB, false, &mut k).unwrap();
        assert!(chosen.facts.too_long);
        assert_eq!(chosen.facts.sized_down, None);
        assert!(chosen.user_filter.unwrap().insns().len() > MAXINSNS);
        assert_eq!(k.attached, ["accept all"]);
    }

    #[test]
    fn a_classic_filter_the_kernel_refuses_runs_in_user_space() {
        let mut k = FakeKernel::refusing(false, true);
        let chosen = choose("udp port 53", LinkType::EN10MB, false, &mut k).unwrap();
        assert_eq!(chosen.facts.classic_refused, Some(limit(Kind::Classic)));
        assert!(!chosen.facts.too_long && chosen.user_filter.is_some());
        assert_eq!(k.attached, ["classic", "accept all"]);
    }

    #[test]
    fn cooked_sockets_run_rewritten_filters_or_filter_in_user_space() {
        let mut k = FakeKernel::default();
        let chosen = choose(
            "udp and src host 10.0.0.1",
            LinkType::LINUX_SLL2,
            false,
            &mut k,
        );
        assert!(chosen.unwrap().user_filter.is_none());
        // `len` differs by the rebuilt header: no rewriting.
        let chosen = choose("len > 40", LinkType::LINUX_SLL2, false, &mut k).unwrap();
        assert!(chosen.user_filter.is_some());
        assert_eq!(chosen.facts, Facts::default());
        assert_eq!(k.attached, ["classic", "accept all"]);
    }

    /// With the eBPF filter attached, no classic program is compiled: a
    /// long expression is not compiled for size.
    #[test]
    fn an_ebpf_filter_needs_no_classic_program() {
        let mut k = FakeKernel::default();
        let chosen = choose(&long(), LinkType::EN10MB, true, &mut k).unwrap();
        assert!(chosen.user_filter.is_none());
        assert_eq!(chosen.facts, Facts::default());
        assert_eq!(k.attached, ["ebpf"]);
    }

    #[test]
    fn a_refused_ebpf_filter_gives_way_to_the_classic_one() {
        let mut k = FakeKernel::refusing(true, false);
        let chosen = choose(&long(), LinkType::EN10MB, true, &mut k).unwrap();
        assert_eq!(chosen.facts.ebpf_fallback, Some(limit(Kind::Ebpf)));
        assert!(chosen.facts.sized_down.is_some());
        assert!(chosen.user_filter.is_none());
        assert_eq!(k.attached, ["ebpf", "classic"]);
        // And the classic one, refused too, runs in user space.
        k = FakeKernel::refusing(true, true);
        let chosen = choose("udp", LinkType::EN10MB, true, &mut k).unwrap();
        assert!(chosen.facts.ebpf_fallback.is_some() && chosen.facts.classic_refused.is_some());
        assert!(chosen.user_filter.is_some());
        assert_eq!(k.attached, ["ebpf", "classic", "accept all"]);
    }

    #[test]
    fn ebpf_on_a_cooked_socket_is_refused_before_compiling() {
        let mut k = FakeKernel::default();
        let e = choose("udp", LinkType::LINUX_SLL2, true, &mut k).unwrap_err();
        assert!(matches!(e, LiveError::EbpfOnAny), "{e:?}");
        assert_eq!(
            e.to_string(),
            "any: eBPF filters cannot run on the cooked socket that captures on every \
             interface (only classic filters are rewritten for it); capture without --ebpf"
        );
        assert!(k.attached.is_empty());
    }

    #[test]
    fn bad_expressions_are_compile_errors() {
        let mut k = FakeKernel::default();
        for ebpf in [false, true] {
            let e = choose("udp port", LinkType::EN10MB, ebpf, &mut k).unwrap_err();
            assert!(matches!(e, LiveError::Compile(_)), "{e:?}");
        }
        assert!(k.attached.is_empty());
    }
}
