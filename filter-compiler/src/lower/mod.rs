//! Gives a syntax tree its meaning for one link type: each primitive
//! becomes a `formula::F` of predicates over packet values, and the whole
//! expression a [`Cfg`].
//!
//! The meaning is libpcap's, down to the order in which tests are made
//! (which decides the verdict on truncated packets) and to the state that
//! `vlan`, `mpls`, `pppoes` and `geneve` leave for the rest of the
//! expression: like libpcap, the lowering walks the expression from left
//! to right and those primitives move the offsets of everything after them.

mod formula;
mod link;
mod net;
mod protocol;
mod resolved;
mod sets;
mod special;
mod tunnel;

use crate::ast::{Arith, ArithOp, ByteOp, Expr, Pf, Prim, Proto, RelOp, Span};
use crate::error::{Error, ErrorKind, Result};
use crate::ir::{ACCEPT, Cfg, CmpOp, Node, Val, VarId};
use crate::linktype::LinkType;
use crate::{CompileOptions, Direction, PacketSource};

pub(crate) use formula::F;
pub(crate) use formula::{Origins, PROLOGUE};
use link::{Link, Off, Prefix};
pub(crate) use protocol::{FRAGMENT, MPLS_PAYLOAD, MPLS_TYPES, NO_PROTO, VLAN_TPIDS, WalkVar};

/// Lowers `expr` (or "accept everything" for `None`) for `opts.link_type`.
pub fn lower(expr: Option<&Expr>, opts: &CompileOptions) -> Result<Lowered> {
    lower_traced(expr, opts, &mut None)
}

/// [`lower`], also telling `origins` (when given) which primitive each
/// node comes from; the graph is the same either way.
pub fn lower_traced(
    expr: Option<&Expr>,
    opts: &CompileOptions,
    origins: &mut Option<Origins>,
) -> Result<Lowered> {
    let mut lw = Lowerer::new(opts)?;
    lw.trace = origins.is_some();
    let f = match expr {
        Some(e) => lw.expr(e)?,
        None => F::True,
    };
    let f = match &lw.protocol {
        Some(walk) => walk.with_prologue(f, lw.trace),
        None => f,
    };
    let walk_vars = match (&lw.protocol, lw.trace) {
        (Some(walk), true) => walk.names().to_vec(),
        _ => Vec::new(),
    };
    let mut f = lw.with_prologue(f);
    if let PacketSource::Kernel { only: Some(d), .. } = opts.source {
        // `-Q`: the direction first, so the kernel drops the others at once.
        f = F::and(lw.direction(d == Direction::In, &(0..0))?, f);
    }
    // The graph is made only now, sized for the formula: at most a node
    // for each test and assignment. Counting them is a walk of the
    // formula, worth it for long expressions: 1,000 hosts make 12,000
    // nodes, and a graph grown by doubling from a guess copies its nodes
    // and rehashes its index ten times (and leaves a quarter unused).
    let nodes = if lw.primitives > FEW_PRIMITIVES {
        2 + f.leaves()
    } else {
        64
    };
    Ok(Lowered {
        cfg: formula::to_cfg(f, nodes, lw.cfg.vars, origins, lw.one_ofs),
        optimizable: !lw.no_optimize,
        walk_vars,
        folding_errors: lw.folding_errors,
    })
}

/// Up to this many primitives, the graph starts with room for 64 nodes
/// (an everyday filter's) instead of the count of the formula's tests.
const FEW_PRIMITIVES: usize = 8;

/// Where the protocol-type field of `opts.link_type`'s header and its
/// network header start, when they are at fixed offsets before any
/// `vlan`, `mpls`... moves them: what `explain` names fields by.
pub(crate) fn fixed_offsets(opts: &CompileOptions) -> (Option<u32>, Option<u32>) {
    let link = Link::new(opts.link_type, opts.big_endian_capture);
    if link.prefix != Prefix::None {
        return (None, None);
    }
    let fixed = |o: Off| o.var.is_none().then_some(o.k);
    (fixed(link.linktype), fixed(link.linkpl.plus(link.nl)))
}

/// The result of lowering.
#[derive(Debug)]
pub struct Lowered {
    pub cfg: Cfg,
    /// libpcap turns its optimizer off for programs with `protochain`
    /// (its loop defeats the optimizer) and, in 1.10, with `geneve`, and
    /// so does not report them as rejecting everything; we keep that
    /// behaviour for the error.
    pub optimizable: bool,
    /// When traced under protocol semantics: what each of the header
    /// walk's variables holds, so `explain` can name them.
    pub walk_vars: Vec<(VarId, protocol::WalkVar)>,
    /// Divisions, modulos and shifts whose right operand folds to zero
    /// (or past 31 bits), each with the error libpcap's optimizer reports
    /// when it folds that value — which it does only in the blocks it
    /// keeps (`opt::LibpcapReplay::folding_error`).
    pub folding_errors: Vec<(Val, Error)>,
}

/// Run-time variables holding variable link-layer offsets.
#[derive(Clone, Copy, Debug)]
struct PrefixVars {
    /// Offset of the link header (after a radiotap header).
    hdr: Option<VarId>,
    /// Offset of the link payload.
    pl: VarId,
}

pub(crate) struct Lowerer<'a> {
    opts: &'a CompileOptions,
    /// Only the variables handed out so far: the graph itself is built
    /// from the whole formula at the end ([`lower_traced`]).
    pub(crate) cfg: Cfg,
    /// The link layer as it stands at this point of the expression.
    pub(crate) link: Link,
    prefix_vars: Option<PrefixVars>,
    /// Number of `mpls` seen so far (libpcap's `label_stack_depth`).
    pub(crate) mpls_depth: u32,
    /// Whether a `vlan` was seen (no VLAN after MPLS).
    pub(crate) vlan_depth: u32,
    /// Set after `geneve`: Ethernet tests check the inner frame.
    pub(crate) geneve: Option<special::GeneveVars>,
    /// Where `inner(...)` scopes and tunnel primitives left the lowering
    /// (see [`tunnel`]).
    pub(crate) tunnel: tunnel::Scope,
    pub(crate) no_optimize: bool,
    /// See [`Lowered::folding_errors`].
    folding_errors: Vec<(Val, Error)>,
    /// Under protocol semantics, what the header walk finds.
    protocol: Option<protocol::Walk>,
    /// Whether primitives are wrapped in [`F::Origin`] (for `explain`).
    trace: bool,
    /// How many primitives were lowered (see [`FEW_PRIMITIVES`]).
    primitives: usize,
    /// Whether a port test made an [`F::OneOf`].
    one_ofs: bool,
}

pub(crate) fn err(kind: ErrorKind, span: &Span, msg: impl Into<String>) -> Error {
    Error::new(kind, span.clone(), msg)
}

impl<'a> Lowerer<'a> {
    fn new(opts: &'a CompileOptions) -> Result<Lowerer<'a>> {
        // Counts variables only (see `cfg`): no room for nodes, no index.
        let mut cfg = Cfg::from_distinct(vec![Node::Accept, Node::Reject], ACCEPT, 0);
        let mut new_var = || cfg.new_var().ok_or_else(|| Error::out_of_registers(0..0));
        let mut link = Link::new(opts.link_type, opts.big_endian_capture);
        let prefix_vars = match link.prefix {
            Prefix::None => None,
            Prefix::Radiotap => {
                let hdr = new_var()?;
                let pl = new_var()?;
                link.linkhdr = Off {
                    var: Some(hdr),
                    k: 0,
                };
                Some(PrefixVars { hdr: Some(hdr), pl })
            }
            Prefix::Wlan | Prefix::Pflog => Some(PrefixVars {
                hdr: None,
                pl: new_var()?,
            }),
        };
        if let Some(pv) = prefix_vars {
            link.linkpl = Off {
                var: Some(pv.pl),
                k: 0,
            };
            link.linktype = link.linkpl.plus(6);
        }
        let protocol = match opts.semantics {
            crate::Semantics::Libpcap => None,
            crate::Semantics::Protocol => Some(
                protocol::Walk::new(&mut link, || cfg.new_var())
                    .ok_or_else(|| Error::out_of_registers(0..0))?,
            ),
        };
        Ok(Lowerer {
            opts,
            cfg,
            link,
            prefix_vars,
            mpls_depth: 0,
            vlan_depth: 0,
            geneve: None,
            tunnel: tunnel::Scope::default(),
            no_optimize: false,
            folding_errors: Vec::new(),
            protocol,
            trace: false,
            primitives: 0,
            one_ofs: false,
        })
    }

    /// A fresh variable for the primitive at `span`; an error as soon as
    /// there are no more (not after lowering and optimizing the rest of a
    /// long expression for nothing).
    pub(crate) fn new_var(&mut self, span: &Span) -> Result<VarId> {
        self.cfg
            .new_var()
            .ok_or_else(|| Error::out_of_registers(span.clone()))
    }

    /// Puts the computation of variable link-layer offsets in front of the
    /// program, as libpcap does, but only the parts the program uses.
    ///
    /// libpcap's code for the 802.11 header length jumps inside a block,
    /// which its optimizer cannot take, so it turns the optimizer off
    /// when it emits that code (`gen_load_802_11_header_len`): whenever
    /// an 802.11 filter reads past the MAC header (`not llc and ip` is
    /// then not refused, and keeps every load).
    fn with_prologue(&mut self, f: F) -> F {
        let Some(pv) = self.prefix_vars else {
            return f;
        };
        let uses_pl = uses_var(&f, pv.pl);
        let uses_hdr = pv.hdr.is_some_and(|h| uses_var(&f, h)) || uses_pl;
        let byte = |v: Option<VarId>, k: u32| Val::load_at(1, v.map(Val::Var), k);
        let mut steps = Vec::new();
        match self.link.prefix {
            Prefix::None => return f,
            Prefix::Pflog => {
                if uses_pl {
                    steps.push(F::Assign(
                        pv.pl,
                        Val::alu(
                            ArithOp::And,
                            Val::plus(Val::load(1, 0), 3),
                            Val::Const(0xffff_fffc),
                        ),
                    ));
                }
            }
            Prefix::Radiotap | Prefix::Wlan => {
                let hdr = pv.hdr;
                if let Some(h) = hdr
                    && uses_hdr
                {
                    steps.push(F::Assign(
                        h,
                        Val::alu(
                            ArithOp::Or,
                            Val::alu(ArithOp::Shl, Val::load(1, 3), Val::Const(8)),
                            Val::load(1, 2),
                        ),
                    ));
                }
                if uses_pl {
                    self.no_optimize |= self.protocol.is_none();
                    let base = hdr.map_or(Val::Const(0), Val::Var);
                    steps.push(F::Assign(pv.pl, Val::plus(base, 24)));
                    let fc = || byte(hdr, 0);
                    let pl = Val::Var(pv.pl);
                    let qos = F::when(
                        F::set(fc(), 0x80),
                        F::Assign(pv.pl, Val::plus(pl.clone(), 2)),
                    );
                    let pad = if hdr.is_some() {
                        let present = || Val::load(4, 4);
                        let flag = |off| F::set(Val::load(1, off), 0x20);
                        F::when(
                            F::and(
                                F::set(present(), 0x0200_0000),
                                F::not(F::set(present(), 0x80)),
                            ),
                            F::when(
                                F::or(
                                    F::and(F::set(present(), 0x0100_0000), flag(16)),
                                    F::and(F::not(F::set(present(), 0x0100_0000)), flag(8)),
                                ),
                                F::Assign(
                                    pv.pl,
                                    Val::alu(
                                        ArithOp::And,
                                        Val::plus(pl.clone(), 3),
                                        Val::Const(0xffff_fffc),
                                    ),
                                ),
                            ),
                        )
                    } else {
                        F::True
                    };
                    steps.push(F::when(
                        F::and(F::set(fc(), 0x08), F::not(F::set(fc(), 0x04))),
                        F::and(qos, pad),
                    ));
                }
            }
        }
        steps.push(f);
        F::all(steps)
    }

    /// Lowers `e`, left to right. `and`/`or` chains lean left (`a or b or
    /// c` is Or(Or(a, b), c)) and may be 50,000 operands long, so their
    /// spine is walked in a loop; only parenthesised operands and `not`
    /// recurse, as deep as the parser allows (its `MAX_DEPTH`).
    fn expr(&mut self, e: &Expr) -> Result<F> {
        // e = op_n(... op_1(first, r_1) ..., r_n): collect (op_i is and, r_i).
        let mut chain = Vec::new();
        let mut first = e;
        loop {
            let (and, a, b) = match first {
                Expr::And(ab) => (true, &ab.0, &ab.1),
                Expr::Or(ab) => (false, &ab.0, &ab.1),
                Expr::Not(_) | Expr::Prim(..) => break,
            };
            chain.push((and, b));
            first = a;
        }
        chain.reverse();
        // What is lowered so far: `first` and the runs before this one.
        let mut done = None;
        for run in chain.chunk_by(|x, y| x.0 == y.0) {
            let rest = run.iter().map(|&(_, r)| r);
            done = Some(if run[0].0 {
                let mut all = Vec::with_capacity(1 + run.len());
                all.push(match done.take() {
                    Some(f) => f,
                    None => self.operand(first)?,
                });
                for r in rest {
                    all.push(self.operand(r)?);
                }
                F::all_of(all)
            } else {
                self.alternatives(done.take(), first, rest)?
            });
        }
        match done {
            Some(f) => Ok(f),
            None => self.operand(first),
        }
    }

    /// An operand of an `and`/`or` chain: a primitive, a `not` or a
    /// parenthesised expression.
    fn operand(&mut self, e: &Expr) -> Result<F> {
        match e {
            Expr::Not(a) => Ok(F::not(self.expr(a)?)),
            Expr::Prim(p, span) => {
                self.primitives += 1;
                let f = self.prim(p, span).or_else(|e| self.without_link_layer(e))?;
                Ok(self.traced(span, f))
            }
            Expr::And(..) | Expr::Or(..) => self.expr(e),
        }
    }

    /// A run of `or`s, lowered left to right: after `done` (the chain so
    /// far, lowered) if there is one, else from `first`. Runs of port
    /// primitives with the same protocol and direction are lowered as one
    /// (see [`Lowerer::ports`]).
    fn alternatives<'e, 'x: 'e>(
        &mut self,
        done: Option<F>,
        first: &'e Expr<'x>,
        rest: impl Iterator<Item = &'e Expr<'x>>,
    ) -> Result<F> {
        let mut alts = Vec::with_capacity(1 + rest.size_hint().0);
        let operands = match done {
            Some(f) => {
                alts.push(f);
                None
            }
            None => Some(first),
        };
        let mut run: Vec<net::PortTest> = Vec::new();
        // The span of the run's first port (for errors), and the end of
        // its last (what `explain` shows).
        let mut run_span: Option<(Span, usize)> = None;
        for op in operands.into_iter().chain(rest) {
            let test = match op {
                Expr::Prim(Prim::Qualified { quals, id }, span) => {
                    self.port_test(*quals, id, span)?.map(|t| (t, span))
                }
                _ => None,
            };
            let joins = matches!((&test, run.first()), (Some((t, _)), Some(r)) if t.proto == r.proto && t.dir == r.dir);
            if !joins && let Some(span) = run_span.take() {
                alts.push(self.port_run(&run, span)?);
                run.clear();
            }
            match test {
                Some((t, span)) => {
                    run_span.get_or_insert_with(|| (span.clone(), span.end)).1 = span.end;
                    run.push(t);
                }
                None => alts.push(self.operand(op)?),
            }
        }
        if let Some(span) = run_span {
            alts.push(self.port_run(&run, span)?);
        }
        Ok(F::any_of(alts))
    }

    /// A run of ports lowered as one ([`Lowerer::ports`]), from the
    /// first's span to `end`.
    fn port_run(&mut self, run: &[net::PortTest], (first, end): (Span, usize)) -> Result<F> {
        self.primitives += run.len();
        let f = self.ports(run, &first)?;
        Ok(self.traced(&(first.start..end), f))
    }

    /// `f`, lowered from the primitive at `span`, marked as such when
    /// tracing for `explain`.
    fn traced(&self, span: &Span, f: F) -> F {
        if self.trace {
            F::Origin(span.clone(), Box::new(f))
        } else {
            f
        }
    }

    fn prim(&mut self, p: &Prim, span: &Span) -> Result<F> {
        match p {
            Prim::Qualified { quals, id } => self.qualified(*quals, id, span),
            Prim::Proto(p) => self.proto_abbrev(*p, span),
            Prim::Broadcast(p) => self.broadcast(*p, span),
            Prim::Multicast(p) => self.multicast(*p, span),
            Prim::Less(n) => Ok(F::not(F::gt(Val::Len, *n))),
            Prim::Greater(n) => Ok(F::ge(Val::Len, *n)),
            Prim::Relation { op, lhs, rhs } => self.relation(*op, lhs, rhs, span),
            Prim::Inbound | Prim::Outbound => self.direction(matches!(p, Prim::Inbound), span),
            Prim::Ifindex(i) => self.ifindex(*i, span),
            Prim::Vlan(n) => self.vlan(*n, span),
            Prim::Mpls(n) => self.mpls(*n, span),
            // libpcap's `gen_pppoed` is `gen_linktype`, so after `mpls`
            // (anywhere before, even across `or`) it is refused there.
            Prim::Pppoed if self.protocol.is_none() => self.linktype_is(0x8863, span),
            Prim::Pppoed => self.link.proto_is(0x8863, span),
            Prim::Pppoes(n) => self.pppoes(*n, span),
            Prim::Geneve(n) => self.geneve(*n, span),
            Prim::Vxlan(n) => self.vxlan(*n, span),
            Prim::Inner(e) => self.inner(e, span),
            Prim::Llc(k) => self.llc(*k, span),
            Prim::Pf(Pf::Ifname(name)) if self.link.dlt != LinkType::PFLOG => {
                match self.ifname(name, span) {
                    Some(f) => f,
                    None => self.pf(&Pf::Ifname(name.clone()), span),
                }
            }
            Prim::Pf(pf) => self.pf(pf, span),
            Prim::Wlan(w) => self.wlan(*w, span),
            Prim::Atm(a) => self.atm(*a, span),
            Prim::AtmField { field, op, value } => self.atm_field(*field, *op, *value, span),
            Prim::Byte { index, op, value } => Ok(self.byte(*index, *op, *value)),
            Prim::AnyOf(prims) => {
                let mut fs = Vec::with_capacity(prims.len());
                for p in prims {
                    fs.push(self.prim(p, span)?);
                }
                Ok(F::any(fs))
            }
            Prim::Mtp2(_) | Prim::Mtp3 { .. } => Err(err(
                ErrorKind::LinkType,
                span,
                format!(
                    "MTP2/MTP3 filtering is not supported for {}",
                    self.link.describe()
                ),
            )),
        }
    }

    /// `byte N OP V` (libpcap's `gen_byteop`), on the link header.
    fn byte(&self, index: u32, op: ByteOp, value: u32) -> F {
        let b = self.link.hdr(1, index);
        match op {
            ByteOp::Eq => F::eq(b, value),
            ByteOp::Lt => F::not(F::ge(b, value)),
            ByteOp::Gt => F::gt(b, value),
            ByteOp::And => F::not(F::masked(b, value, 0)),
            ByteOp::Or => F::not(F::eq(
                Val::Alu(ArithOp::Or, Box::new(b), Box::new(Val::Const(value))),
                0,
            )),
        }
    }

    // ---- arithmetic and relations ------------------------------------

    fn relation(&mut self, op: RelOp, lhs: &Arith, rhs: &Arith, span: &Span) -> Result<F> {
        let mut checks = Vec::new();
        let l = self.arith(lhs, &mut checks, span)?;
        let r = self.arith(rhs, &mut checks, span)?;
        let (cmp, swap, negate) = match op {
            RelOp::Eq => (CmpOp::Eq, false, false),
            RelOp::Ne => (CmpOp::Eq, false, true),
            RelOp::Gt => (CmpOp::Gt, false, false),
            RelOp::Ge => (CmpOp::Ge, false, false),
            RelOp::Le => (CmpOp::Gt, false, true),
            RelOp::Lt => (CmpOp::Ge, false, true),
        };
        let (l, r) = if swap { (r, l) } else { (l, r) };
        let mut t = F::test(cmp, l, r);
        if negate {
            t = F::not(t);
        }
        checks.push(t);
        Ok(F::all(checks))
    }

    /// Lowers an arithmetic expression to a value, collecting in `checks`
    /// the protocol tests its loads need (in libpcap's order).
    fn arith(&mut self, a: &Arith, checks: &mut Vec<F>, span: &Span) -> Result<Val> {
        Ok(match a {
            Arith::Num(n) => Val::Const(*n),
            Arith::Len => Val::Len,
            Arith::Neg(x) => Val::Neg(Box::new(self.arith(x, checks, span)?)),
            Arith::Bin(op, x, y_ast) => {
                let x = self.arith(x, checks, span)?;
                // libpcap's `gen_arth` keeps only the left operand's
                // protocol tests: in `len / ip[20]` or `... - ((tcp[12] &
                // 0xf0) >> 2)` the right operand's load runs on any packet.
                // Verdicts must match libpcap's, so do the same.
                let y = self.arith(y_ast, &mut Vec::new(), span)?;
                // libpcap refuses a zero divisor or a shift past 31 bits
                // when its code for the right operand *starts* by loading
                // such a constant (so `len / ip[0]`, whose first step loads
                // the index 0, is refused too), and when its optimizer
                // folds the operand to such a constant — except a shift of
                // a constant, which it folds to 0 without complaint — but
                // the optimizer only folds the blocks it keeps.
                let constant = |v: &Val| match crate::opt::fold(v, false, true) {
                    Val::Const(k) => Some(k),
                    _ => None,
                };
                let folded = constant(&y).filter(|_| {
                    !matches!(op, ArithOp::Shl | ArithOp::Shr) || constant(&x).is_none()
                });
                let bad = |k: Option<u32>, shift: bool| {
                    k.is_some_and(|k| if shift { k > 31 } else { k == 0 })
                };
                let shift = matches!(op, ArithOp::Shl | ArithOp::Shr);
                let checked = matches!(
                    op,
                    ArithOp::Div | ArithOp::Mod | ArithOp::Shl | ArithOp::Shr
                );
                let what = match op {
                    ArithOp::Div => "division by zero",
                    ArithOp::Mod => "modulus by zero",
                    _ => "shift by more than 31 bits",
                };
                if checked && bad(first_constant(y_ast), shift) {
                    return Err(err(ErrorKind::Value, span, what));
                }
                let v = Val::alu(*op, x, y);
                if checked && bad(folded, shift) {
                    self.folding_errors
                        .push((v.clone(), err(ErrorKind::Value, span, what)));
                }
                v
            }
            Arith::Load {
                proto,
                index,
                size,
                span: lspan,
            } => {
                let mut inner = Vec::new();
                let idx = self.arith(index, &mut inner, lspan)?;
                self.load(*proto, idx, *size, inner, checks, lspan)?
            }
        })
    }

    /// `proto[idx:size]` (libpcap's `gen_load`).
    fn load(
        &mut self,
        proto: Proto,
        idx: Val,
        size: u8,
        inner: Vec<F>,
        checks: &mut Vec<F>,
        span: &Span,
    ) -> Result<Val> {
        // The index stays an index even when it is a constant: libpcap
        // loads `proto[k]` through X, which keeps it apart from the
        // protocol tests' loads of the same bytes until its optimizer is
        // done threading (see `opt/refusal.rs`); our optimizer folds it
        // into the offset only after its own threading (`opt::fold_for`).
        let at = |base: Off, idx: Val| -> Val {
            let index = match base.var {
                Some(v) => Val::alu(ArithOp::Add, idx, Val::Var(v)),
                None => idx,
            };
            Val::Load {
                size,
                off: base.k,
                index: Some(Box::new(index)),
            }
        };
        let l = self.link.clone();
        let v = match proto {
            Proto::Radio => {
                if self.link.prefix != Prefix::Radiotap {
                    return Err(err(
                        ErrorKind::LinkType,
                        span,
                        "radio information not present in capture",
                    ));
                }
                checks.extend(inner);
                at(Off::at(0), idx)
            }
            Proto::Link => {
                checks.extend(inner);
                at(l.linkhdr, idx)
            }
            Proto::Ip
            | Proto::Arp
            | Proto::Rarp
            | Proto::Atalk
            | Proto::Decnet
            | Proto::Sca
            | Proto::Lat
            | Proto::Moprc
            | Proto::Mopdl
            | Proto::Ip6 => {
                let p = self.proto_abbrev(proto, span)?;
                checks.extend(inner);
                checks.push(p);
                at(l.linkpl.plus(l.nl), idx)
            }
            Proto::Sctp
            | Proto::Tcp
            | Proto::Udp
            | Proto::Icmp
            | Proto::Igmp
            | Proto::Igrp
            | Proto::Pim
            | Proto::Vrrp
            | Proto::Carp => {
                if self.protocol.is_some() {
                    checks.extend(inner);
                    return self.protocol_transport(proto, idx, size, checks, span);
                }
                let ip = self.proto_abbrev(Proto::Ip, span)?;
                let p = self.proto_abbrev(proto, span)?;
                checks.push(ip);
                checks.extend(inner);
                checks.push(p);
                checks.push(self.not_fragment());
                let nl = l.linkpl.plus(l.nl);
                let index = Val::alu(ArithOp::Add, net::ip_hdr_len(nl), idx);
                Val::load_at(size, Some(index), nl.k)
            }
            Proto::Icmp6 => {
                if self.protocol.is_some() {
                    checks.extend(inner);
                    return self.protocol_transport(proto, idx, size, checks, span);
                }
                let p = self.proto_abbrev(Proto::Ip6, span)?;
                checks.extend(inner);
                checks.push(p);
                checks.push(F::eq(l.net(1, 6), 58));
                at(l.linkpl.plus(l.nl.wrapping_add(40)), idx)
            }
            _ => {
                return Err(err(ErrorKind::Value, span, "unsupported index operation"));
            }
        };
        Ok(v)
    }
}

/// Whether variable `v` is read anywhere in `f` (with a work list: long
/// formulas are deep).
fn uses_var(f: &F, v: VarId) -> bool {
    let mut pending = vec![f];
    while let Some(f) = pending.pop() {
        let used = match f {
            F::True | F::False => false,
            F::Test(c) => c.lhs.uses_var(v) || c.rhs.uses_var(v),
            F::Not(a) | F::Origin(_, a) => {
                pending.push(a);
                false
            }
            F::All(items) | F::Any(items) => {
                pending.extend(items.iter().rev());
                false
            }
            F::AnyBoth(pairs) => {
                pending.extend(pairs.iter().flatten().rev());
                false
            }
            F::Assign(_, val) => val.uses_var(v),
            F::OneOf(one) => {
                pending.push(&one.then);
                one.value.uses_var(v)
            }
        };
        if used {
            return true;
        }
    }
    false
}

/// The constant libpcap's code for `a` starts by loading, if any: the
/// leftmost number of an arithmetic expression, or of a load's index.
fn first_constant(a: &Arith) -> Option<u32> {
    match a {
        Arith::Num(n) => Some(*n),
        Arith::Len => None,
        Arith::Neg(x) | Arith::Bin(_, x, _) => first_constant(x),
        Arith::Load { index, .. } => first_constant(index),
    }
}
