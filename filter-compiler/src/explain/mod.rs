//! Why a filter matches a packet or not: the verdict of the compiled
//! program, and the path of tests through the program that decided it, in
//! the expression's own words (`bpfcap explain`).
//!
//! The verdict is the compiled classic program's, run as a capture file
//! replay runs it (with the same [`CompileOptions`]). The path is taken
//! through the unoptimized graph the lowering makes, which decides the
//! same (the optimizer only removes tests whose outcome is known and
//! shares equal ones); the lowering, asked to, notes for each of its nodes
//! the primitive it was made for, so each step names the primitive as
//! written, the field it read and the value found. Nothing of this is
//! made when compiling without explaining.
//!
//! ```
//! use bpfcap_filter::explain::{Explainer, Symbols};
//! use bpfcap_filter::{CompileOptions, LinkType};
//!
//! let mut ex = Explainer::new("tcp port 80", &CompileOptions::new(LinkType::EN10MB)).unwrap();
//! // An Ethernet frame with an ARP payload.
//! let mut frame = vec![0xff; 12];
//! frame.extend([0x08, 0x06]);
//! frame.extend([0; 28]);
//! let why = ex.explain(&frame, frame.len() as u32, Default::default());
//! assert_eq!(why.verdict, Ok(0));
//! assert_eq!(
//!     why.render(Symbols::Ascii),
//!     "no match (returns 0)\n  tcp port 80: ether proto 0x0806 != 0x86dd no -> ether proto 0x0806 != 0x0800 no\n"
//! );
//! ```

mod headers;
mod walk;
mod words;

use std::fmt::Write as _;
use std::ops::Range;
use std::sync::Arc;

use crate::ast::ArithOp;
use crate::cbpf::ancillary::{Answered, Answers, Unanswered};
use crate::ir::{Cfg, CmpOp, Node, NodeId, Val};
use crate::lower::{self, Origins};
use crate::{CompileOptions, Error, ErrorKind, compile, parse};

pub use walk::Stop;
pub use words::{Named, Shown};

/// A filter ready to explain its verdicts, packet after packet.
pub struct Explainer {
    expr: Arc<str>,
    /// The compiled program: the verdict.
    program: Answered,
    /// The unoptimized graph and where its nodes come from: the path.
    cfg: Cfg,
    origins: Origins,
    layout: words::Layout,
    /// Under protocol semantics, the header walk's variables.
    walk_vars: headers::WalkVars,
}

/// One test on a packet's path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// The span in the expression of the primitive the test was made for;
    /// `None` for tests of no primitive (the link-layer prologue of
    /// radiotap or 802.11, a `-Q` direction).
    pub primitive: Option<Range<usize>>,
    /// What the test reads.
    pub lhs: Named,
    /// The relation tested, `lhs OP rhs`; `None` for the computation of a
    /// run-time offset (which tests nothing but may still find the packet
    /// too short).
    pub op: Option<CmpOp>,
    /// What it is compared with.
    pub rhs: Named,
    /// Whether `rhs` is a constant (then only its value is shown).
    pub rhs_constant: bool,
    /// The values of both sides, or why the program rejected the packet
    /// there.
    pub found: Result<(u32, u32), Stop>,
    /// Whether the test held (`None` when it could not be made).
    pub held: Option<bool>,
    /// For the header walk of protocol semantics, summarised in this one
    /// step: the headers it found, outermost first (`ether`, `vlan 300`,
    /// `ip6 at 18`, `tcp at 58`); its tests are not listed.
    pub headers: Option<Vec<String>>,
}

/// A packet's verdict and the path that decided it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Explanation {
    /// What the compiled program returns: the snapshot length kept on a
    /// match, 0 for no match; `Err` when the program reads metadata the
    /// packet does not have (a direction, for `inbound`).
    pub verdict: Result<u32, Unanswered>,
    /// The tests made, in order.
    pub steps: Vec<Step>,
    /// Whether the path ends at "accept" (it does exactly when the verdict
    /// is a match).
    pub path_matches: bool,
    /// The expression's text, for the primitives' words.
    expr: Arc<str>,
}

/// The symbols explanations are written with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Symbols {
    /// `✓ ✗ → ≠ ≤ ≥`.
    Unicode,
    /// `yes no -> != <= >=`, for terminals without UTF-8.
    Ascii,
}

impl Symbols {
    fn held(self, held: bool) -> &'static str {
        match (self, held) {
            (Symbols::Unicode, true) => "✓",
            (Symbols::Unicode, false) => "✗",
            (Symbols::Ascii, true) => "yes",
            (Symbols::Ascii, false) => "no",
        }
    }

    fn then(self) -> &'static str {
        match self {
            Symbols::Unicode => " → ",
            Symbols::Ascii => " -> ",
        }
    }

    /// The relation that held: `op` when it did, its negation when not.
    fn relation(self, op: CmpOp, held: bool) -> &'static str {
        let u = self == Symbols::Unicode;
        match (op, held) {
            (CmpOp::Eq, true) | (CmpOp::Set, false) => "=",
            // Refused by `Explainer::new`; named for completeness.
            (CmpOp::In, true) => "in",
            (CmpOp::In, false) => "not in",
            (CmpOp::Eq, false) | (CmpOp::Set, true) => {
                if u {
                    "≠"
                } else {
                    "!="
                }
            }
            (CmpOp::Gt, true) => ">",
            (CmpOp::Gt, false) => {
                if u {
                    "≤"
                } else {
                    "<="
                }
            }
            (CmpOp::Ge, true) => {
                if u {
                    "≥"
                } else {
                    ">="
                }
            }
            (CmpOp::Ge, false) => "<",
        }
    }
}

impl Explainer {
    /// Compiles `expr` with `opts` (as [`compile`] does, errors included)
    /// and lowers it again, unoptimized and traced, for the paths.
    pub fn new(expr: &str, opts: &CompileOptions) -> Result<Explainer, Error> {
        let program = compile(expr, opts)?;
        let ast = parse::parse(expr)?;
        let mut origins = Some(Origins::default());
        let lowered = lower::lower_traced(ast.as_ref(), opts, &mut origins)?;
        // A set membership is decided by the set's maps or trees, which
        // the walk does not follow (yet): say so rather than guess.
        let in_set = |n: &Node| matches!(n, Node::Branch { cond, .. } if cond.op == CmpOp::In);
        if lowered.cfg.nodes().iter().any(in_set) {
            return Err(Error::new(
                ErrorKind::Value,
                0..0,
                "explain does not follow set memberships (@NAME) yet",
            ));
        }
        let mut origins = origins.unwrap_or_default();
        parse::with_qualifiers(
            expr,
            origins.values_mut().filter(|s| **s != lower::PROLOGUE),
        );
        let walk_vars: headers::WalkVars = lowered.walk_vars.into_iter().collect();
        Ok(Explainer {
            expr: expr.into(),
            program: Answered::new(&program),
            cfg: lowered.cfg,
            origins,
            layout: words::Layout::new(opts.link_type, lower::fixed_offsets(opts))
                .with_walk(walk_vars.clone()),
            walk_vars,
        })
    }

    /// The verdict on one packet (`data`, the captured bytes of a packet
    /// `wirelen` long, with what its record says in `answers`) and why.
    pub fn explain(&mut self, data: &[u8], wirelen: u32, answers: Answers) -> Explanation {
        let verdict = self.program.run(data, wirelen, answers);
        let pkt = walk::Packet {
            data,
            wirelen,
            answers,
        };
        let (visits, path_matches) = walk::walk(&self.cfg, &pkt);
        let mut known = words::Known::default();
        let mut steps = Vec::new();
        for run in visits.chunk_by(|a, b| self.in_prologue(a) == self.in_prologue(b)) {
            if self.in_prologue(&run[0]) {
                steps.push(self.headers(run, data));
            } else {
                steps.extend(run.iter().map(|v| self.step(v.clone(), &mut known)));
            }
        }
        Explanation {
            verdict,
            steps,
            path_matches,
            expr: self.expr.clone(),
        }
    }

    /// Whether `v` is a node of protocol semantics' header walk.
    fn in_prologue(&self, v: &walk::Visit) -> bool {
        self.origins.get(&v.node) == Some(&lower::PROLOGUE)
    }

    /// The header walk's visits `run` on `data`, as one step.
    fn headers(&self, run: &[walk::Visit], data: &[u8]) -> Step {
        let assigned = run
            .iter()
            .filter_map(|v| match (self.cfg.node(v.node), v.found) {
                (Node::Assign { var, .. }, Ok((value, _))) => Some((*var, value)),
                _ => None,
            });
        let headers = headers::summary(self.layout.link(), &self.walk_vars, assigned, data);
        let last = &run[run.len() - 1];
        Step {
            primitive: None,
            lhs: Named {
                words: String::new(),
                shown: Shown::Dec,
            },
            op: None,
            rhs: Named {
                words: String::new(),
                shown: Shown::Dec,
            },
            rhs_constant: true,
            // The walk guards its loads: it stops a packet only if the
            // graph did (then this says where).
            found: last.found,
            held: last.held,
            headers: Some(headers),
        }
    }

    /// A visit in words, learning what it proves.
    fn step(&self, v: walk::Visit, known: &mut words::Known) -> Step {
        let (op, lhs, rhs) = match self.cfg.node(v.node) {
            Node::Branch { cond, .. } => (Some(cond.op), &cond.lhs, &cond.rhs),
            Node::Assign { val, .. } => (None, val, val),
            Node::Accept | Node::Reject => unreachable!("the walk visits only tests"),
        };
        if let Some(step) = self.fragment(&v, op, lhs, rhs, *known) {
            return step;
        }
        let lhs_named = self.layout.describe(lhs, *known);
        let rhs_constant = matches!(rhs, Val::Const(_));
        let rhs_named = if rhs_constant {
            let shown = match op {
                Some(CmpOp::Set) => Shown::Hex(1),
                _ => lhs_named.shown,
            };
            Named {
                words: String::new(),
                shown,
            }
        } else {
            self.layout.describe(rhs, *known)
        };
        if let (Some(CmpOp::Eq), Some(true), Ok((_, k))) = (op, v.held, v.found) {
            self.layout.learn(known, lhs, k);
        }
        Step {
            primitive: self.origin(v.node),
            lhs: lhs_named,
            op,
            rhs: rhs_named,
            rhs_constant,
            found: v.found,
            held: v.held,
            headers: None,
        }
    }

    /// libpcap's "not a fragment" test, `ip[6:2] & 0x1fff` set or not
    /// (its branches swapped), in the words a user thinks in: the
    /// fragment offset is 0, or not.
    fn fragment(
        &self,
        v: &walk::Visit,
        op: Option<CmpOp>,
        lhs: &Val,
        rhs: &Val,
        known: words::Known,
    ) -> Option<Step> {
        const OFFSET: u32 = 0x1fff;
        if op != Some(CmpOp::Set) || *rhs != Val::Const(OFFSET) {
            return None;
        }
        let field = Val::alu(ArithOp::And, lhs.clone(), Val::Const(OFFSET));
        let lhs = self.layout.describe(&field, known);
        (lhs.words == words::FRAGMENT_OFFSET).then(|| Step {
            primitive: self.origin(v.node),
            lhs,
            op: Some(CmpOp::Eq),
            rhs: Named {
                words: String::new(),
                shown: Shown::Dec,
            },
            rhs_constant: true,
            found: v.found.map(|(l, _)| (l & OFFSET, 0)),
            held: v.held.map(|set| !set),
            headers: None,
        })
    }

    fn origin(&self, node: NodeId) -> Option<Range<usize>> {
        self.origins.get(&node).cloned()
    }
}

impl Step {
    /// The step in words: `tcp dst port 443 ≠ 80 ✗`.
    pub fn render(&self, sym: Symbols) -> String {
        if let Some(headers) = &self.headers {
            return format!("headers: {}", headers.join(sym.then()));
        }
        let lhs = &self.lhs.words;
        let (l, r) = match self.found {
            Ok(v) => v,
            Err(stop) => {
                let why = match stop {
                    Stop::TooShort { needs, captured } => {
                        format!("packet too short (needs {needs} bytes, {captured} captured)")
                    }
                    Stop::DivisionByZero => "division by zero".to_owned(),
                    Stop::Unanswered(_) => "not recorded for this packet".to_owned(),
                };
                return format!("{lhs}: {why} {}", sym.held(false));
            }
        };
        let (Some(op), Some(held)) = (self.op, self.held) else {
            // An offset computed: only failures are worth a word, and a
            // computed one did not fail.
            return format!("{lhs} = {}", self.lhs.shown.show(l));
        };
        let found = self.lhs.shown.show(l);
        let k = self.rhs.shown.show(r);
        let rhs = if self.rhs_constant {
            k
        } else {
            format!("{} {k}", self.rhs.words)
        };
        let mark = sym.held(held);
        match op {
            CmpOp::Eq if held && self.rhs_constant => format!("{lhs} {found} {mark}"),
            CmpOp::Set => format!("{lhs} {found} & {rhs} {} 0 {mark}", sym.relation(op, held)),
            _ => format!("{lhs} {found} {} {rhs} {mark}", sym.relation(op, held)),
        }
    }
}

impl Explanation {
    /// Whether the compiled program keeps the packet.
    pub fn matches(&self) -> bool {
        matches!(self.verdict, Ok(n) if n > 0)
    }

    /// The explanation in words: the verdict on a line, then a line for
    /// each run of steps made for one primitive, named as written
    /// (`  tcp port 80: ether proto 0x0800 ✓ → ip proto 6 ✓ → …`).
    pub fn render(&self, sym: Symbols) -> String {
        let mut out = match self.verdict {
            Ok(0) => "no match (returns 0)\n".to_owned(),
            Ok(n) => format!("match (returns {n})\n"),
            Err(Unanswered) => {
                "no verdict: the filter reads a direction this packet's record does not give\n"
                    .to_owned()
            }
        };
        if self.steps.is_empty() {
            let what = if self.path_matches { "every" } else { "no" };
            let _ = writeln!(out, "  (no test: the filter matches {what} packet)");
        }
        for run in self.steps.chunk_by(|a, b| {
            a.primitive == b.primitive && a.headers.is_none() && b.headers.is_none()
        }) {
            if run[0].headers.is_some() {
                let _ = writeln!(out, "  {}", run[0].render(sym));
                continue;
            }
            let name = match &run[0].primitive {
                Some(span) => self.expr.get(span.clone()).unwrap_or("?"),
                None => "(link layer)",
            };
            let steps: Vec<String> = run.iter().map(|s| s.render(sym)).collect();
            let _ = writeln!(out, "  {name}: {}", steps.join(sym.then()));
        }
        if self.path_matches != self.matches() && self.verdict.is_ok() {
            // Never seen: the two programs decide the same by construction.
            let _ = writeln!(
                out,
                "  (the path above ends in {}, unlike the compiled program: please report)",
                if self.path_matches {
                    "a match"
                } else {
                    "no match"
                }
            );
        }
        out
    }
}

#[cfg(test)]
mod tests;
