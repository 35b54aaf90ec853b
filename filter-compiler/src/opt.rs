//! Optimizations on the IR graph.
//!
//! * constant folding of values and predicates;
//! * known-outcome threading: along every path, a test whose outcome
//!   follows from the tests already made on that path (same test, or the
//!   same value compared with other constants) is removed and the path
//!   goes straight to the branch it would take — libpcap's jump threading
//!   and redundant-test elimination, done on paths instead of dominators;
//! * libpcap's grouping of the tests of an alternative by the value they
//!   compare (`or_pullup`/`and_pullup`), see the `pullup` module;
//! * balanced comparison trees for long chains of equality tests on one
//!   value (`port a or port b or ...`), see the `nway` module;
//! * merging of equal nodes and removal of unreachable ones (hash-consing
//!   in [`Cfg::add`] and [`Cfg::compact`]).
//!
//! No pass moves a load before a test that could reject first, so verdicts
//! on truncated packets do not change — except where libpcap's optimizer
//! changes them too (dropping tests whose outcome does not matter,
//! grouping alternatives by value), since its verdicts are the reference.

mod dominated;
mod facts;
mod nway;
mod pullup;
mod rebuilt;
mod refusal;
mod tested_below;

pub use refusal::Replay as LibpcapReplay;

use std::borrow::Cow;
use std::cell::RefCell;

use crate::ast::ArithOp;
use crate::error::Result;
use crate::ir::{ACCEPT, Cfg, CmpOp, Cond, MAX_VARS, Node, NodeId, REJECT, Val, VarId};

use dominated::{Known, Logic, on_all_paths};
use facts::{ANY_VAR, CondId, Conds, Fact, List, Lists, NOT_EQ, Span};
use rebuilt::Rebuilt;
use tested_below::TestedBelow;

/// Optimizes `cfg` in place.
///
/// With `drop_dead_loads`, a test whose two branches lead to the same
/// place is removed even if its load could have rejected the packet — what
/// libpcap's optimizer does (its dead-code removal ignores that loads can
/// fail), so that verdicts on truncated packets stay the same as libpcap's.
///
/// With `size_first`, long alternatives are not made balanced trees
/// (which take more instructions than the chains they replace).
///
/// Fails (with [`ErrorKind::TooComplex`](crate::ErrorKind::TooComplex))
/// only where the optimizer would need memory growing faster than the
/// expression.
pub fn optimize(cfg: &mut Cfg, drop_dead_loads: bool, size_first: bool) -> Result<()> {
    // The threaded graph's order comes with its compaction.
    let order = Threader::run(cfg, drop_dead_loads)?.map(|threaded| {
        *cfg = threaded;
        cfg.compact()
    });
    // libpcap's optimizer groups alternatives by the value they test,
    // which decides verdicts on truncated packets; without it (filters
    // libpcap does not optimize) the order stays the unoptimized one.
    if drop_dead_loads {
        match order {
            Some(order) => {
                pullup::pullup(cfg, &order);
                merge_fixed_offsets(cfg);
            }
            None => {
                pullup::pullup(cfg, &cfg.topo_order());
            }
        }
    }
    // The trees are built from the nodes reached (the pull-up may have
    // left others); without them the graph is compacted if it did.
    if !size_first && nway::balance(cfg) {
        cfg.compact();
    } else {
        cfg.settle();
    }
    Ok(())
}

/// The threader makes room for up to this many conditions at once.
const CONDS_AT_ONCE: usize = 1 << 14;

/// Graphs up to this size are threaded with only what libpcap knows at
/// each kept test (see [`Threader::run`]).
const LIBPCAP_THREADING_MAX_NODES: usize = 4_000;

/// Folds constant arithmetic; with `merge_index`, a constant part of a
/// load's index also moves into its offset (so `ip[0]` and the protocol
/// tests' loads of the same byte become one value). With `zero_left`,
/// also what libpcap's optimizer folds though it changes verdicts (`0 op
/// X`, `X * 0`, `X & 0`, see below); only where libpcap optimizes.
pub(crate) fn fold(v: &Val, merge_index: bool, zero_left: bool) -> Val {
    folded(v, merge_index, zero_left).unwrap_or_else(|| v.clone())
}

/// [`fold`], or `None` when folding leaves `v` as it is: most values
/// are, and the passes that fold every value of a graph then neither
/// copy nor drop them.
#[inline]
fn folded(v: &Val, merge_index: bool, zero_left: bool) -> Option<Val> {
    // Only arithmetic and loads through the index can fold to something
    // else.
    match v {
        Val::Alu(..) | Val::Neg(_) | Val::Load { index: Some(_), .. } => {
            folded_tree(v, merge_index, zero_left)
        }
        _ => None,
    }
}

/// [`folded`] for arithmetic and loads through the index.
fn folded_tree(v: &Val, merge_index: bool, zero_left: bool) -> Option<Val> {
    let fold = |v| folded(v, merge_index, zero_left);
    match v {
        Val::Alu(op, a, b) => {
            let (fa, fb) = (fold(a), fold(b));
            let (ra, rb) = (fa.as_ref().unwrap_or(a), fb.as_ref().unwrap_or(b));
            let konst = match (ra, rb) {
                (&Val::Const(x), &Val::Const(y)) => eval_alu(*op, x, y),
                // libpcap's optimizer turns `0 op X` into 0 for these
                // operators without computing X — so `0 / tcp[2:2]` is 0
                // even where the divisor is 0 or the packet too short.
                (Val::Const(0), _)
                    if zero_left
                        && matches!(
                            op,
                            ArithOp::Mul
                                | ArithOp::Div
                                | ArithOp::Mod
                                | ArithOp::And
                                | ArithOp::Shl
                                | ArithOp::Shr
                        ) =>
                {
                    Some(0)
                }
                // And `X * 0`, `X & 0` (its `mul #0`, `and #0` become
                // `ld #0`): `(tcp-syn + arp[0:1]) * icmptype == 69` is
                // `0 == 69`, and tcpdump refuses it.
                (_, Val::Const(0)) if zero_left && matches!(op, ArithOp::Mul | ArithOp::And) => {
                    Some(0)
                }
                _ => None,
            };
            match (konst, fa, fb) {
                (Some(k), _, _) => Some(Val::Const(k)),
                (None, None, None) => None,
                (None, fa, fb) => Some(Val::alu(
                    *op,
                    fa.unwrap_or_else(|| (**a).clone()),
                    fb.unwrap_or_else(|| (**b).clone()),
                )),
            }
        }
        Val::Neg(a) => {
            let fa = fold(a);
            match *fa.as_ref().unwrap_or(a) {
                Val::Const(x) => Some(Val::Const(x.wrapping_neg())),
                _ => fa.map(|a| Val::Neg(Box::new(a))),
            }
        }
        Val::Load {
            size,
            off,
            index: Some(i),
        } if merge_index => {
            let fi = fold(i);
            // What `Val::load_at` moves into the offset.
            let moves = match fi.as_ref().unwrap_or(i) {
                Val::Const(_) => true,
                Val::Alu(ArithOp::Add, _, k) => matches!(**k, Val::Const(_)),
                _ => false,
            };
            if moves {
                let i = fi.unwrap_or_else(|| (**i).clone());
                Some(Val::load_at(*size, Some(i), *off))
            } else {
                fi.map(|i| Val::Load {
                    size: *size,
                    off: *off,
                    index: Some(Box::new(i)),
                })
            }
        }
        Val::Load {
            size,
            off,
            index: Some(i),
        } => folded(i, false, zero_left).map(|i| Val::Load {
            size: *size,
            off: *off,
            index: Some(Box::new(i)),
        }),
        _ => None,
    }
}

/// Makes each `proto[k]` a load at a fixed offset — only now, as in
/// libpcap's last loop, after its threading and pullups (see
/// [`fold_for`]) — merging the nodes that become equal. Most graphs
/// have none, and are left alone rather than rebuilt.
fn merge_fixed_offsets(cfg: &mut Cfg) {
    let changes = |v: &Val| folded(v, true, true).is_some();
    let any = cfg.nodes().iter().any(|n| match n {
        Node::Branch { cond, .. } => changes(&cond.lhs) || changes(&cond.rhs),
        Node::Assign { val, .. } => changes(val),
        Node::Accept | Node::Reject => false,
    });
    if any {
        cfg.map_values(|v| folded(&v, true, true).unwrap_or(v));
    }
}

/// Folds a value for the threader. Where libpcap's verdicts are the
/// reference (`as_libpcap`), as its jump threading numbers values: folded
/// as its optimizer folds, but `proto[k]` (a load through the index
/// register, X = k) kept apart from a load of the same bytes at a fixed
/// offset, which libpcap makes of it only in its last loop, after
/// threading — so `ether[12:2] = 0x800` is not decided by the link-type
/// test `ldh [12]; jeq #0x800`, nor decides it. [`optimize`] merges the
/// two afterwards. Elsewhere everything is folded at once. Borrowed when
/// folding leaves the value as it is.
fn fold_for(v: &Val, as_libpcap: bool) -> Cow<'_, Val> {
    match folded(v, !as_libpcap, as_libpcap) {
        Some(f) => Cow::Owned(f),
        None => Cow::Borrowed(v),
    }
}

/// Classic BPF arithmetic; `None` for a division or modulo by zero, which
/// rejects the packet at run time and so is not folded.
pub fn eval_alu(op: ArithOp, x: u32, y: u32) -> Option<u32> {
    Some(match op {
        ArithOp::Add => x.wrapping_add(y),
        ArithOp::Sub => x.wrapping_sub(y),
        ArithOp::Mul => x.wrapping_mul(y),
        ArithOp::Div => x.checked_div(y)?,
        ArithOp::Mod => x.checked_rem(y)?,
        ArithOp::And => x & y,
        ArithOp::Or => x | y,
        ArithOp::Xor => x ^ y,
        ArithOp::Shl => x.checked_shl(y).unwrap_or(0),
        ArithOp::Shr => x.checked_shr(y).unwrap_or(0),
    })
}

/// Whether evaluating `v` surely reads out of bounds (a constant offset of
/// 2 GiB or more): classic BPF rejects the packet there, and the kernel
/// would read such offsets as ancillary data, so the test becomes a reject.
fn surely_out_of_bounds(v: &Val) -> bool {
    match v {
        Val::Load {
            off, index: None, ..
        } => *off >= 0x8000_0000,
        Val::Load { index: Some(i), .. } => surely_out_of_bounds(i),
        Val::Alu(_, a, b) => surely_out_of_bounds(a) || surely_out_of_bounds(b),
        Val::Neg(a) => surely_out_of_bounds(a),
        _ => false,
    }
}

/// Whether computing a value can reject the packet: it reads the packet,
/// or divides by something that is not a non-zero constant.
fn can_fail(v: &Val) -> bool {
    match v {
        Val::Const(_) | Val::Len | Val::Var(_) | Val::Meta(_) => false,
        Val::Load { .. } | Val::IpHdrLen(_) => true,
        Val::Neg(a) => can_fail(a),
        Val::Alu(op, a, b) => {
            let divides = matches!(op, ArithOp::Div | ArithOp::Mod)
                && !matches!(**b, Val::Const(k) if k != 0);
            divides || can_fail(a) || can_fail(b)
        }
    }
}

/// Tests made so far on a path, with their outcomes (in the threader's
/// [`Lists`]).
type Facts = List;

/// Facts to start the lists of a node's ways from, and where adding
/// "the node's test failed" to them forgets one of them (see
/// [`Conds::forgets`]), if worked out in advance: what every path into a
/// node knows is summed up once, in one pass over it, and may be met on
/// many paths.
#[derive(Clone, Copy)]
struct Base {
    facts: List,
    forget_if_false: Option<Option<usize>>,
}

/// What every path into a node knows: where its facts lie, and once the
/// threader asks for it, as a [`Base`] (many nodes are never asked for).
#[derive(Clone, Copy)]
enum Common {
    Stored(Span),
    Summed(Base),
}

/// A source node and the facts that matter below it: what the threader
/// memoizes its rebuilt nodes by. The facts stay where the walk made
/// them rather than copied.
#[derive(Clone, Copy)]
struct Key {
    node: NodeId,
    facts: Facts,
}

/// A memoized rebuilt node: where its key's facts lie and (part of)
/// their hash, and the previous entry for the same source node
/// (`u32::MAX` ends a chain). Small, as there is one per (node, facts)
/// pair the walk met: 30,000 for 1,000 hosts, most of the threader's
/// memory.
struct Entry {
    hash: u32,
    facts: Span,
    built: Built,
    same_node: u32,
}

pub(super) struct Threader<'a> {
    src: &'a Cfg,
    out: Rebuilt,
    /// For each source node: the values (by id) tested in its subgraph
    /// that facts can be about.
    below: TestedBelow,
    conds: Conds,
    /// For each source branch: its condition, folded and interned; for
    /// each assignment: what it makes its variable hold (the walk meets
    /// an assignment on many paths: folded and interned once).
    node_cond: Vec<CondId>,
    /// For each visited (source node, facts): its new node, and the
    /// source node that new node stands for (see [`Built`]); found
    /// through `memo`, which holds each source node's newest entry (most
    /// nodes are met with one or a few lists of facts: a vector of heads
    /// takes less room and time than a hash map of all keys).
    memo: Vec<u32>,
    entries: Vec<Entry>,
    /// Every list of facts the walk made.
    lists: Lists,
    /// Facts held by the keys of `memo`, all together.
    memo_facts: usize,
    budget: usize,
    drop_dead_loads: bool,
    /// Variables with more than one distinct assigned value (bit `v` for
    /// variable `v`).
    varying: u32,
    /// The first test of the program (after the assignments before it).
    first_test: NodeId,
    /// Where libpcap's verdicts are the reference: for each source node,
    /// the facts known on every path into it (see [`dominated`]), which
    /// is all libpcap's jump threading knows there; empty otherwise.
    everywhere: Vec<Option<Common>>,
}

/// A rebuilt node, and the source node it was rebuilt from — past the
/// tests its path skipped, which libpcap's jump threading skips by moving
/// the edge to that node's block. libpcap removes a test whose two ways
/// lead to the same block, but not one whose ways lead to two equal blocks
/// made from different parts of the expression (those it merges only
/// after its last pass): `vlan 300 and less 42 or less 42` keeps reading
/// the VLAN tag, and so rejects a packet too short for it.
type Built = (NodeId, NodeId);

/// What is left to do in [`Threader::visit`]'s walk.
enum Step {
    /// Visit a node with the facts known on the path to it.
    Visit(NodeId, Facts),
    /// Both ways of a branch on `c` are rebuilt (their ids on top of the
    /// stack, the false way's last): add the branch.
    /// The facts are the key's.
    Branch { c: CondId, key: Key },
    /// The node after assignment `n` is rebuilt: add the assignment,
    /// which makes its variable hold what `holds` says.
    Assign { n: NodeId, holds: CondId, key: Key },
    /// The id on top of the stack is the new node for this key.
    Memoize(Key),
}

impl<'a> Threader<'a> {
    /// Rebuilds `src` with known outcomes threaded; `None` if the rebuilt
    /// graph would grow past its budget (facts differing on many paths).
    ///
    /// With `drop_dead_loads` (where libpcap's verdicts are the
    /// reference), a test kept passes on only what every path into it
    /// knows (see `dominated`): what one path alone knows past a join
    /// would drop tests (and their loads) libpcap keeps. Past a size, the
    /// path facts alone (that replay grows as a square).
    // (Never inlined, so that profiles show the threader's share.)
    #[inline(never)]
    pub(super) fn run(src: &'a Cfg, drop_dead_loads: bool) -> Result<Option<Cfg>> {
        let as_libpcap = drop_dead_loads && src.nodes().len() <= LIBPCAP_THREADING_MAX_NODES;
        let mut t = Threader::new(src, drop_dead_loads, as_libpcap)?;
        let Some(root) = t.visit(src.root, List::EMPTY) else {
            return Ok(None);
        };
        Ok(Some(t.out.finish(t.conds, root, src.vars)))
    }

    /// Interns the conditions of `src` and finds what facts can matter
    /// where, ready to thread.
    fn new(src: &'a Cfg, drop_dead_loads: bool, as_libpcap: bool) -> Result<Threader<'a>> {
        let order = src.topo_order();
        // Room for every condition at once (there are at most as many as
        // nodes) up to a bound: grown step by step (for 1,000 hosts,
        // 4,000 of 12,000 nodes) their records and maps were copied and
        // rehashed several times; sized for 16,000 alternatives' 200,000
        // nodes, the maps alone took 10 MB more at the peak.
        let mut conds = Conds::with_capacity(order.len().min(CONDS_AT_ONCE));
        let mut node_cond = vec![CondId::MAX; src.nodes().len()];
        // Per branch, the id of the value it tests, for `TestedBelow`
        // (which asks twice per node: read here once, next to the
        // condition just interned).
        let mut tested = vec![u32::MAX; src.nodes().len()];
        for &n in &order {
            if let Node::Branch { cond, .. } = src.node(n) {
                let c = conds.intern(
                    cond.op,
                    fold_for(&cond.lhs, drop_dead_loads),
                    fold_for(&cond.rhs, drop_dead_loads),
                );
                node_cond[n as usize] = c;
                tested[n as usize] = conds.lhs(c);
            }
        }
        // (After the tests: their values' ids are the same whatever is
        // assigned.)
        for &n in &order {
            if let Node::Assign { var, ref val, .. } = *src.node(n) {
                node_cond[n as usize] = conds.intern(
                    CmpOp::Eq,
                    Cow::Owned(Val::Var(var)),
                    fold_for(val, drop_dead_loads),
                );
            }
        }
        let below = TestedBelow::new(src, &order, |n| {
            Some(tested[n as usize]).filter(|&v| v != u32::MAX)
        })?;
        drop(tested);
        // The first value assigned to each variable, and which were
        // assigned another.
        let mut assigned: [Option<&Val>; MAX_VARS as usize] = Default::default();
        let mut varying = 0;
        for node in src.nodes() {
            if let Node::Assign { var, val, .. } = node {
                match &mut assigned[*var as usize] {
                    first @ None => *first = Some(val),
                    Some(first) if *first != val => varying |= 1 << var,
                    Some(_) => {}
                }
            }
        }
        let mut lists = Lists::with_capacity(order.len().min(1024) * 4);
        let everywhere = if as_libpcap {
            Everywhere::facts(src, &order, &conds, &node_cond, &below, &mut lists)
        } else {
            Vec::new()
        };
        // Sized up front for small graphs only: big ones grow it, as
        // their rebuilt graphs may be much smaller (and memory counts).
        let out = Rebuilt::with_capacity(order.len().min(1024));
        let mut first_test = src.root;
        while let Node::Assign { next, .. } = src.node(first_test) {
            first_test = *next;
        }
        Ok(Threader {
            src,
            out,
            below,
            conds,
            node_cond,
            memo: vec![u32::MAX; src.nodes().len()],
            // Room for a small graph's keys at once; big ones grow it
            // as needed (sized up front it took more memory than that).
            entries: Vec::with_capacity(order.len().min(1024)),
            lists,
            memo_facts: 0,
            budget: (src.nodes().len() * 4).max(4096),
            drop_dead_loads,
            varying,
            first_test,
            everywhere,
        })
    }

    /// Whether `v` reads the packet at an offset computed from a variable
    /// that is assigned different values on different paths.
    fn offset_varies(&self, v: &Val) -> bool {
        match v {
            Val::Load { index: Some(i), .. } => {
                (0..MAX_VARS as VarId).any(|var| self.varying >> var & 1 != 0 && i.uses_var(var))
            }
            Val::Alu(_, a, b) => self.offset_varies(a) || self.offset_varies(b),
            Val::Neg(a) => self.offset_varies(a),
            _ => false,
        }
    }

    /// Whether a test whose outcome is known may be left out: only if
    /// computing its value cannot fail (a load past the packet, a division
    /// by zero — both reject the packet) or the value was already computed
    /// on this path. `len / ip[20] >= 0` is always true, but it still
    /// rejects packets without byte 34 or with a zero there.
    fn may_skip(&self, facts: Facts, c: CondId) -> bool {
        !self.conds.info(c).can_fail || self.loaded(facts, c)
    }

    /// Whether a fact of `facts` is about the value `c` tests (so that
    /// value was computed on the path).
    fn loaded(&self, facts: Facts, c: CondId) -> bool {
        let i = self.conds.info(c);
        if !i.var
            && let Some(has) = facts.has_value(i.value)
        {
            return has;
        }
        self.lists
            .get(facts)
            .iter()
            .any(|f| self.conds.lhs(f.cond()) == i.value)
    }

    /// The facts that can matter below `n`: about values tested there,
    /// and what variables hold (`facts` itself when all of them can).
    fn relevant(&mut self, n: NodeId, facts: Facts) -> Facts {
        let (conds, below) = (&self.conds, &self.below);
        let matters = |f: &Fact| {
            let i = conds.info(f.cond());
            i.var || below.contains(n, i.value)
        };
        let all = facts
            .only_values(self.below.bits(n))
            .unwrap_or_else(|| self.lists.get(facts).iter().all(matters));
        if all {
            facts
        } else {
            self.lists.filter(conds, facts.span(), matters)
        }
    }

    /// What the way `b` of a test on `c` knows, going to `to`: `base`
    /// and that outcome — or nothing at a verdict, which needs no facts
    /// (most tests have one way out that rejects: no list made for it).
    fn edge_facts(&mut self, base: Base, c: CondId, b: bool, to: NodeId) -> Facts {
        match self.src.node(to) {
            Node::Accept | Node::Reject => List::EMPTY,
            _ => {
                let (conds, lists) = (&self.conds, &mut self.lists);
                match base.forget_if_false {
                    Some(forget) if !b => lists.add(conds, base.facts, forget, Fact::new(c, b)),
                    _ => conds.add_fact(lists, base.facts, c, b),
                }
            }
        }
    }

    /// What the ways out of a kept test `n`, or of an assignment, start
    /// from: not this path's `facts`, but what every path here knows,
    /// where libpcap's verdicts are the reference.
    #[inline]
    fn base(&mut self, n: NodeId, facts: Facts) -> Base {
        match self.everywhere.get(n as usize) {
            Some(&Some(Common::Summed(base))) => base,
            Some(&Some(Common::Stored(span))) => self.sum_up(n, span),
            _ => Base {
                facts,
                forget_if_false: None,
            },
        }
    }

    /// What every path into `n` knows, at `span`, summed up as a [`Base`]
    /// (and kept so).
    fn sum_up(&mut self, n: NodeId, span: Span) -> Base {
        // The value a failed test of `n` says "is not K" of.
        let branch = matches!(self.src.node(n), Node::Branch { .. });
        let v = match branch {
            true => self.conds.kinds()[self.node_cond[n as usize] as usize].not_equal,
            false => NOT_EQ,
        };
        let (facts, forget) = self.lists.sum(&self.conds, span, v);
        let base = Base {
            facts,
            forget_if_false: branch.then_some(forget),
        };
        self.everywhere[n as usize] = Some(Common::Summed(base));
        base
    }

    /// The node memoized for `key`, if any.
    fn memoized(&self, key: &Key) -> Option<Built> {
        let hash = key.facts.hash() as u32;
        let mut next = self.memo[key.node as usize];
        // (Most nodes are first met here: their facts are not looked at.)
        while let Some(e) = self.entries.get(next as usize) {
            if e.hash == hash
                && e.facts.len() == key.facts.len()
                && self.lists.at(e.facts) == self.lists.get(key.facts)
            {
                return Some(e.built);
            }
            next = e.same_node;
        }
        None
    }

    /// Rebuilds the graph below `root` with the outcomes `facts` known:
    /// the new id of `root`, `None` past the budget. A depth-first walk
    /// along the paths of the program, which are as long as the expression
    /// (600,000 nodes for 50,000 ports), so with a stack of [`Step`]s
    /// instead of recursion; the new ids of visited nodes wait on `ids`.
    fn visit(&mut self, root: NodeId, facts: Facts) -> Option<NodeId> {
        // Room for the walk along an everyday filter's paths at once
        // (grown step by step, they were a tenth of its allocations).
        let mut steps = Vec::with_capacity(64);
        steps.push(Step::Visit(root, facts));
        let mut ids: Vec<Built> = Vec::with_capacity(64);
        while let Some(step) = steps.pop() {
            match step {
                Step::Visit(n, facts) => ids.push(self.enter(n, facts, &mut steps)?),
                Step::Branch { c, key } => {
                    let (nf, of) = ids.pop()?;
                    let (nt, ot) = ids.pop()?;
                    let first = key.node == self.first_test;
                    let id = self.branch(c, key.facts, nt, nf, ot == of, first);
                    // A test left out stands for the node both ways reach.
                    let origin = if id == nt { ot } else { key.node };
                    ids.push(self.memoize(key, (id, origin))?);
                }
                Step::Assign { n, holds, key } => {
                    let (nn, on) = ids.pop()?;
                    // A variable set just before the end is never read.
                    if self.drop_dead_loads && (nn == ACCEPT || nn == REJECT) {
                        ids.push((nn, on));
                        continue;
                    }
                    let id = self.out.assign(&mut self.conds, holds, nn);
                    ids.push(self.memoize(key, (id, n))?);
                }
                Step::Memoize(key) => {
                    let built = ids.pop()?;
                    ids.push(self.memoize(key, built)?);
                }
            }
        }
        ids.pop().map(|(id, _)| id)
    }

    /// Starts visiting `n`, and goes on down its first way until a node
    /// whose new id is known at once: `Some(id)` for that node, the steps
    /// that make the others pushed on `steps`; `None` past the budget.
    /// (Going on here is what popping the way's visit, pushed last, would
    /// do next: most tests visited are decided, or lead first to a
    /// verdict, and the walk so moves each of them once less.)
    fn enter(&mut self, mut n: NodeId, mut facts: Facts, steps: &mut Vec<Step>) -> Option<Built> {
        let src = self.src;
        loop {
            let node = src.node(n);
            match node {
                Node::Accept => return Some((ACCEPT, ACCEPT)),
                Node::Reject => return Some((REJECT, REJECT)),
                _ => {}
            }
            facts = self.relevant(n, facts);
            let key = Key { node: n, facts };
            if let Some(id) = self.memoized(&key) {
                self.lists.drop_last(facts);
                return Some(id);
            }
            match *node {
                Node::Branch { t, f, .. } => {
                    let c = self.node_cond[n as usize];
                    if self.conds.info(c).out_of_bounds {
                        return self.memoize(key, (REJECT, REJECT));
                    } else if let Some(b) = self.conds.decide(
                        self.lists.get(facts).iter().copied(),
                        c,
                        !self.drop_dead_loads,
                    ) && self.may_skip(facts, c)
                    {
                        steps.push(Step::Memoize(key));
                        n = if b { t } else { f };
                    } else {
                        let base = self.base(n, facts);
                        let ft = self.edge_facts(base, c, true, t);
                        let ff = self.edge_facts(base, c, false, f);
                        steps.push(Step::Branch { c, key });
                        steps.push(Step::Visit(f, ff));
                        (n, facts) = (t, ft);
                    }
                }
                Node::Assign { var, next, .. } => {
                    // Storing the value the variable already holds on this
                    // path (a second `tcp` re-reading the header length) is
                    // a no-op; otherwise facts about the variable go, and
                    // its new value becomes one.
                    let holds = self.node_cond[n as usize];
                    n = next;
                    if self.lists.get(facts).contains(&Fact::new(holds, true)) {
                        continue;
                    }
                    let keep = !self.conds.get(holds).rhs.uses_var(var);
                    let base = self.base(key.node, facts).facts.span();
                    let conds = &self.conds;
                    facts = self
                        .lists
                        .filter(conds, base, |f| !conds.mentions(f.cond(), var));
                    if keep {
                        facts = self.lists.add_last(conds, facts, Fact::new(holds, true));
                    }
                    steps.push(Step::Assign {
                        n: key.node,
                        holds,
                        key,
                    });
                }
                Node::Accept | Node::Reject => unreachable!(),
            }
        }
    }

    /// The new node for a branch on `c` whose ways lead to `nt` and `nf`
    /// (already rebuilt; `same_origin`: from the same source node), under
    /// `facts`; `first`: the program's first test.
    fn branch(
        &mut self,
        c: CondId,
        facts: Facts,
        nt: NodeId,
        nf: NodeId,
        same_origin: bool,
        first: bool,
    ) -> NodeId {
        // (Only a test whose ways agree may go: most do not, and are not
        // asked the rest.)
        let goes = nt == nf && {
            let cond = self.conds.get(c);
            // A test whose value was already read on this path
            // cannot reject, so it can go when both ways agree.
            let loaded = self.loaded(facts, c) && !cond.rhs.reads_packet();
            // libpcap drops such a test too, but only where it can
            // tell the branches agree, which it cannot through an
            // offset that differs between paths (a variable given
            // several values).
            let libpcap_would = self.drop_dead_loads
                && same_origin
                && !self.offset_varies(&cond.lhs)
                && !self.offset_varies(&cond.rhs);
            // Except the first: libpcap skips a first block whose ways
            // agree but keeps its loads (`opt_root` moves them to the new
            // first block), so `not (host fe80::1 and host 172.16.0.1)
            // and 53 < ether[0:2]` still rejects a packet without bytes
            // 12-13; a branch with both ways alike that reads the packet
            // stays in the graph. Unless that new first block returns at
            // once: then `opt_root` drops the loads too.
            let keeps_loads = first && nt != ACCEPT && nt != REJECT;
            libpcap_would && !keeps_loads || loaded
        };
        if goes {
            nt
        } else {
            self.out.branch(&mut self.conds, c, nt, nf)
        }
    }

    /// Remembers `id` as the new node for `key`; `None` past the budget.
    fn memoize(&mut self, key: Key, id: Built) -> Option<Built> {
        // The rebuilt graph, or the number of distinct (node, facts) pairs
        // visited, growing past the budget means facts differ on too many
        // paths (found by fuzzing: 200 characters of `portrange`s joined by
        // `&&`/`||` on Juniper took 100 s); the graph is then kept as it is.
        // So does the memo's keys holding very many facts all together
        // (long paths, each carrying facts about many values).
        self.memo_facts += key.facts.len();
        if self.out.len() > self.budget
            || self.entries.len() > 4 * self.budget
            || self.memo_facts > 64 * self.budget
        {
            return None;
        }
        let head = &mut self.memo[key.node as usize];
        let same_node = std::mem::replace(head, self.entries.len() as u32);
        self.entries.push(Entry {
            hash: key.facts.hash() as u32,
            facts: key.facts.span(),
            built: id,
            same_node,
        });
        Some(id)
    }
}

/// The threader's conditions, decided as libpcap's `fold_edge` does, for
/// finding what every path into a node knows.
struct Everywhere<'a> {
    conds: &'a Conds,
    /// Per node, the tested condition or what is assigned (interned).
    node_cond: &'a [CondId],
    below: &'a TestedBelow,
    /// Room reused by every call of [`Logic::trim`].
    not_equal: RefCell<NotEqual>,
    /// Per node, the length and "not equal" counts (as
    /// [`List::not_equal`]) of the list [`Logic::trim`] left on the one
    /// edge into it: then what every path into it knows is that list,
    /// and trimming the edges out need not count its facts again (that
    /// count was half of the trimming of the 40-port list).
    /// [`UNTRIMMED`] before an edge into it is trimmed, [`UNCOUNTED`]
    /// where another was (a join) or the counts did not fit. Good for
    /// one [`on_all_paths`] only.
    trimmed: RefCell<Vec<(u32, u64)>>,
}

/// [`Everywhere::trimmed`] of a node no edge was trimmed into yet.
const UNTRIMMED: u32 = u32::MAX;
/// [`Everywhere::trimmed`] of a node whose counts are not kept.
const UNCOUNTED: u32 = u32::MAX - 1;

/// What [`Everywhere`]'s trimming counts, kept between calls.
#[derive(Default)]
struct NotEqual {
    /// Per value id, the "not equal" facts it has still to see, plus one
    /// (zero between calls). Value ids are dense, below the number of
    /// conditions, so this stays small.
    left: Vec<u32>,
    /// The values counted.
    values: Vec<u32>,
}

impl<'a> Everywhere<'a> {
    fn new(conds: &'a Conds, node_cond: &'a [CondId], below: &'a TestedBelow) -> Everywhere<'a> {
        Everywhere {
            conds,
            node_cond,
            below,
            // (Made at their size when first needed, see `trim`.)
            not_equal: RefCell::new(NotEqual::default()),
            trimmed: RefCell::new(vec![(UNTRIMMED, 0); node_cond.len()]),
        }
    }

    /// For each node of `src`, the facts known on every path into it.
    fn facts(
        src: &Cfg,
        order: &[NodeId],
        conds: &Conds,
        node_cond: &[CondId],
        below: &TestedBelow,
        lists: &mut Lists,
    ) -> Vec<Option<Common>> {
        let logic = Everywhere::new(conds, node_cond, below);
        let all = on_all_paths(src, order, &logic, true);
        // Each (condition, outcome) once, first come first kept, where a
        // list may hold one twice (most graphs have none): `seen` holds,
        // per pair, the last node (+ 1) whose list has it (every condition
        // is interned by now).
        let mut seen: Vec<u32> = vec![0; if all.repeats() { 2 * conds.len() } else { 0 }];
        (0..src.nodes().len() as NodeId)
            .map(|n| {
                let known = all.get(n)?;
                let stamp = n + 1;
                lists.reserve(known.len());
                let facts = known.iter().map(|&(_, c, b)| Fact::new(c, b));
                Some(Common::Stored(if seen.is_empty() {
                    lists.store(facts)
                } else {
                    lists.store(facts.filter(|f| {
                        let seen = &mut seen[2 * f.cond() as usize + f.held() as usize];
                        std::mem::replace(seen, stamp) != stamp
                    }))
                }))
            })
            .collect()
    }
}

impl Everywhere<'_> {
    /// Drops, with `forget`, the oldest "not equal" facts of `known`
    /// about each value of those from `added` on beyond the latest few
    /// (see [`Logic::trim`]), where they are about several values.
    fn forget_many(
        &self,
        known: &mut Vec<Known<CondId>>,
        added: usize,
        forget: &mut impl FnMut(&mut Vec<Known<CondId>>, u32, usize),
    ) {
        let kinds = self.conds.kinds();
        let not_equal = |c: CondId, b: bool| kinds[c as usize].not_equal(b);
        let mut scratch = self.not_equal.borrow_mut();
        let NotEqual { left, values } = &mut *scratch;
        // At their size at once: grown, they were a third of a small
        // filter's trimming. (Most graphs never get here.)
        if left.is_empty() {
            left.resize(self.conds.values(), 0);
            values.reserve(8);
        }
        // The values of the added "not equal" facts, each once (marked 1).
        for &(_, c, b) in &known[added..] {
            let v = not_equal(c, b) as usize;
            if v != NOT_EQ as usize {
                if v >= left.len() {
                    left.resize(v + 1, 0);
                }
                if left[v] == 0 {
                    left[v] = 1;
                    values.push(v as u32);
                }
            }
        }
        // Count their facts (on top of the mark), then drop the oldest of
        // those beyond the latest few (mostly one, near the start).
        for &(_, c, b) in known.iter() {
            let v = not_equal(c, b) as usize;
            if let Some(l) = left.get_mut(v)
                && *l != 0
            {
                *l += 1;
            }
        }
        let limit = facts::MAX_NOT_EQUAL as u32 + 1;
        for &v in values.iter() {
            forget(known, v, left[v as usize].saturating_sub(limit) as usize);
        }
        for v in values.drain(..) {
            left[v as usize] = 0;
        }
    }
}

impl Logic for Everywhere<'_> {
    type C = CondId;

    fn cond(&self, n: NodeId, _cond: &Cond) -> CondId {
        self.node_cond[n as usize]
    }

    fn decide(&self, known: &[Known<CondId>], c: &CondId) -> Option<bool> {
        self.conds
            .decide(known.iter().map(|&(_, f, b)| Fact::new(f, b)), *c, false)
    }

    fn holds(&self, n: NodeId, var: VarId, _val: &Val) -> (CondId, bool) {
        let holds = self.node_cond[n as usize];
        (holds, !self.conds.get(holds).rhs.uses_var(var))
    }

    fn mentions(&self, c: &CondId, var: VarId) -> bool {
        self.conds.mentions(*c, var)
    }

    /// Keeps facts about values tested below `to` (and what variables
    /// hold), and of the "not equal" facts about one value only the
    /// latest few, as the threader's own facts (a chain of thousands of
    /// `port` tests would otherwise carry all of them to every node).
    ///
    /// What every path into `from` knows is trimmed so already: only the
    /// values of facts the edge added can have too many, and where every
    /// value asked about below `from` is still asked about below `to`,
    /// only those facts can go. (Both rules drop a value's facts or keep
    /// them whatever other values have.) Trimming the whole list at every
    /// edge was a third of the 40-port list's compile.
    fn trim(&self, from: NodeId, to: NodeId, known: &mut Vec<Known<CondId>>, added: usize) {
        let kinds = self.conds.kinds();
        let matters = |&(_, c, _): &Known<CondId>| {
            let v = kinds[c as usize].value;
            v == ANY_VAR || self.below.contains(to, v)
        };
        let mut trimmed = self.trimmed.borrow_mut();
        let (from_len, from_counts) = trimmed[from as usize];
        let (added, counted) = if self.below.keeps(from, to) {
            let mut kept = added;
            for i in added..known.len() {
                if matters(&known[i]) {
                    known.swap(kept, i);
                    kept += 1;
                }
            }
            known.truncate(kept);
            // (An assignment's edge may start with less than `from`'s
            // list, never with as many other facts.)
            (added, (from_len as usize == added).then_some(from_counts))
        } else {
            let before = known[..added].iter().filter(|k| matters(k)).count();
            known.retain(matters);
            (before, None)
        };
        // The value of a "not equal" fact, else `NOT_EQ`.
        let not_equal = |c: CondId, b: bool| kinds[c as usize].not_equal(b);
        let counts = |known: &[Known<CondId>]| {
            known
                .iter()
                .fold(0, |n, &(_, c, b)| n + kinds[c as usize].counted(b))
        };
        let mut added_values = known[added..]
            .iter()
            .map(|&(_, c, b)| not_equal(c, b))
            .filter(|&v| v != NOT_EQ);
        // The value of the first added "not equal" fact, and whether all
        // are about it.
        let first = added_values.next();
        let alone = added_values.all(|w| Some(w) == first);
        // The counts of the whole list, if they fit: each value's below
        // `added` are at most `MAX_NOT_EQUAL` (8) of 15. (Unchanged, and
        // not counted if not known, where no "not equal" fact is added.)
        let mut counts = match first {
            None => counted,
            Some(_) => (known.len() - added <= 15 - facts::MAX_NOT_EQUAL).then(|| {
                counted.unwrap_or_else(|| counts(&known[..added])) + counts(&known[added..])
            }),
        };
        // Drops the `n` oldest "not equal" facts about `v`.
        let forget = |known: &mut Vec<Known<CondId>>, v: u32, mut n: usize| {
            let mut i = 0;
            while n > 0 {
                let (_, c, b) = known[i];
                if not_equal(c, b) == v {
                    known.remove(i);
                    n -= 1;
                } else {
                    i += 1;
                }
            }
        };
        // Mostly the edge added one fact, or facts about one value:
        // that value's facts alone are counted (if not already).
        if let Some(v) = first {
            if alone {
                let same = match counts {
                    Some(counts) if v < List::COUNTED => facts::count_in(counts, v),
                    _ => known
                        .iter()
                        .filter(|&&(_, c, b)| not_equal(c, b) == v)
                        .count(),
                };
                let n = same.saturating_sub(facts::MAX_NOT_EQUAL);
                forget(known, v, n);
                counts = counts.map(|counts| counts - n as u64 * facts::counted_one(v));
            } else {
                self.forget_many(known, added, &mut |known, v, n| {
                    forget(known, v, n);
                    counts = counts.map(|counts| counts - n as u64 * facts::counted_one(v));
                });
            }
        }
        let here = &mut trimmed[to as usize];
        *here = match counts {
            Some(counts) if here.0 == UNTRIMMED => (known.len() as u32, counts),
            _ => (UNCOUNTED, 0),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_keeps_division_by_zero() {
        let v = Val::alu(ArithOp::Div, Val::Const(4), Val::Const(0));
        assert_eq!(fold(&v, true, false), v);
        let v = Val::alu(ArithOp::Shl, Val::Const(1), Val::Const(3));
        assert_eq!(fold(&v, true, false), Val::Const(8));
    }

    /// `folded` says `None` exactly where folding gives the value back,
    /// and otherwise the folded value.
    #[test]
    fn folded_is_none_only_for_values_that_stay() {
        use ArithOp::*;
        let idx = |i: Val, off| Val::Load {
            size: 1,
            off,
            index: Some(Box::new(i)),
        };
        let cases = [
            (Val::load(2, 12), None),
            (
                Val::alu(And, Val::load(4, 26), Val::Const(0xff00_0000)),
                None,
            ),
            (
                Val::alu(Add, Val::Const(2), Val::Const(3)),
                Some(Val::Const(5)),
            ),
            (Val::alu(Div, Val::Const(4), Val::Const(0)), None),
            (
                Val::alu(
                    Div,
                    Val::alu(Add, Val::Const(1), Val::Const(3)),
                    Val::Const(0),
                ),
                Some(Val::alu(Div, Val::Const(4), Val::Const(0))),
            ),
            (
                Val::alu(Mul, Val::load(1, 0), Val::Const(0)),
                Some(Val::Const(0)),
            ),
            (
                Val::alu(Div, Val::Const(0), Val::load(1, 0)),
                Some(Val::Const(0)),
            ),
            (
                Val::Neg(Box::new(Val::Const(1))),
                Some(Val::Const(u32::MAX)),
            ),
            (Val::Neg(Box::new(Val::load(1, 0))), None),
            (idx(Val::IpHdrLen(14), 14), None),
            (idx(Val::Const(6), 8), Some(Val::load(1, 14))),
            (
                idx(Val::alu(Add, Val::Var(0), Val::Const(6)), 8),
                Some(idx(Val::Var(0), 14)),
            ),
            (
                idx(Val::alu(Add, Val::Const(2), Val::Const(4)), 8),
                Some(Val::load(1, 14)),
            ),
        ];
        for (v, want) in cases {
            assert_eq!(folded(&v, true, true), want, "{v:?}");
            assert_eq!(fold(&v, true, true), want.unwrap_or(v));
        }
        // Without merging, an index is folded but stays an index.
        let v = idx(Val::alu(Add, Val::Const(2), Val::Const(4)), 8);
        assert_eq!(folded(&v, false, true), Some(idx(Val::Const(6), 8)));
    }

    /// Regression (fuzz/artifacts/compile_expr/slow-unit-0405a547...):
    /// facts that differ on very many paths used to make threading visit
    /// an exponential number of (node, facts) pairs — 100 s and 1.5 GB.
    /// The visit budget now stops it; the program is still complete.
    #[test]
    fn threading_gives_up_on_exploding_fact_sets() {
        let expr = "portrange 0&&0-8q||4-8168&&58166&&5-8q||4-8169fdd-8||4-8168&&5-8q||\
                    4-816f90-8q||4-8168&&5-8q||4-8169fdd-81d1dd-8q||4-816f90-8q||4-8168&&\
                    5-8q||4-8169fdd-8||4-8168&&5-8q||4-816f90-8q||4-8168&&5-8q||\
                    4-8169fdd-81d1dd-8168fdd";
        let opts = crate::CompileOptions::new(crate::LinkType::JUNIPER_ETHER);
        let prog = crate::compile(expr, &opts).unwrap();
        assert!(crate::cbpf::validate::validate(prog.insns()).is_ok());
    }

    /// [`Everywhere`] trimming every edge's whole list, as it did before
    /// it trimmed only what the edge added.
    struct TrimAll<'a>(&'a Everywhere<'a>);

    impl Logic for TrimAll<'_> {
        type C = CondId;

        fn cond(&self, n: NodeId, cond: &Cond) -> CondId {
            self.0.cond(n, cond)
        }

        fn decide(&self, known: &[Known<CondId>], c: &CondId) -> Option<bool> {
            self.0.decide(known, c)
        }

        fn holds(&self, n: NodeId, var: VarId, val: &Val) -> (CondId, bool) {
            self.0.holds(n, var, val)
        }

        fn mentions(&self, c: &CondId, var: VarId) -> bool {
            self.0.mentions(c, var)
        }

        fn trim(&self, _from: NodeId, to: NodeId, known: &mut Vec<Known<CondId>>, _added: usize) {
            let info = |c: CondId| self.0.conds.info(c);
            known.retain(|&(_, c, _)| info(c).var || self.0.below.contains(to, info(c).value));
            let not_equal = |c: CondId, b: bool| !b && info(c).op == CmpOp::Eq;
            let mut left = vec![0u32; self.0.conds.len()];
            for &(_, c, b) in known.iter() {
                if not_equal(c, b) {
                    left[info(c).value as usize] += 1;
                }
            }
            known.retain(|&(_, c, b)| {
                if !not_equal(c, b) {
                    return true;
                }
                let here = &mut left[info(c).value as usize];
                *here -= 1;
                *here < facts::MAX_NOT_EQUAL as u32
            });
        }
    }

    /// A random number generator for the random-graph tests: each call
    /// gives a number below its argument.
    fn xorshift(mut seed: u64) -> impl FnMut(u64) -> u64 {
        move |m| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % m
        }
    }

    /// A random graph of chains of tests (mostly equalities with many
    /// constants, so that "not equal" facts pile up) joining often, with
    /// a variable; in some, more than 64 values (lists of tested values
    /// instead of bits).
    fn random_chains(rnd: &mut impl FnMut(u64) -> u64) -> Cfg {
        let mut cfg = Cfg::new();
        cfg.vars = 1;
        let many = rnd(4) == 0;
        let mut ids = vec![ACCEPT, REJECT];
        for _ in 0..2 + rnd(if many { 800 } else { 60 }) {
            let last = *ids.last().unwrap();
            let any = |r: u64, ids: &[NodeId]| ids[r as usize % ids.len()];
            // Mostly to a verdict or an early node, as in alternatives.
            let t = any(rnd(1 << 20), &ids[..ids.len().min(1 + rnd(8) as usize)]);
            let f = if rnd(8) == 0 {
                ids[ids.len() - 1 - rnd(ids.len().min(4) as u64) as usize]
            } else {
                last
            };
            let node = if rnd(20) == 0 {
                let val = match rnd(3) {
                    0 => Val::load(1, 9),
                    k => Val::Const(k as u32),
                };
                Node::Assign {
                    var: 0,
                    val,
                    next: t,
                }
            } else {
                let lhs = match rnd(12) {
                    0 => Val::Var(0),
                    1..=8 if many => Val::load(1, 100 + rnd(150) as u32),
                    _ => Val::load(1, rnd(3) as u32),
                };
                let op = if rnd(6) == 0 { CmpOp::Gt } else { CmpOp::Eq };
                let cond = Cond {
                    op,
                    lhs,
                    rhs: Val::Const(rnd(24) as u32),
                };
                Node::Branch { cond, t, f }
            };
            // (A node equal to one made before is that one.)
            match cfg.add(node) {
                id if ids.contains(&id) => {}
                id => ids.push(id),
            }
        }
        cfg.root = ids[ids.len() - 1];
        cfg.compact();
        cfg
    }

    /// Moving edges, what every path into a branch other than the root
    /// knows never decides its test (each edge into it failed to decide
    /// it knowing more), for the threader's conditions and the refusal
    /// replay's, on 3,000 random graphs: so `on_all_paths` asks only
    /// the root's.
    #[test]
    fn all_paths_decide_no_test_below_the_root() {
        let mut rnd = xorshift(0x9e37_79b9_7f4a_7c15u64);
        let (mut asked, mut asked_refusal) = (0, 0);
        for round in 0..3000 {
            let cfg = random_chains(&mut rnd);
            let (decided, n) = refusal::decided_below_root(&cfg);
            assert_eq!(decided, 0, "round {round}, refusal");
            asked_refusal += n;
            let Ok(t) = Threader::new(&cfg, true, true) else {
                continue;
            };
            let logic = Everywhere::new(&t.conds, &t.node_cond, &t.below);
            let (decided, n) = dominated::decided_below_root(&cfg, &logic);
            assert_eq!(decided, 0, "round {round}");
            asked += n;
        }
        assert!(
            asked > 50_000 && asked_refusal > 50_000,
            "{asked}, {asked_refusal}"
        );
    }

    /// What [`TestedBelow`] keeps at a node, on 1,000 random graphs (with
    /// value ids below 64 and above): exactly the values tested both
    /// before it (in topological order) and in its subgraph.
    #[test]
    fn tested_below_keeps_values_tested_before_and_below() {
        let mut rnd = xorshift(0x2545_f491_4f6c_dd1du64);
        let mut asked = 0;
        for _ in 0..1000 {
            let cfg = random_chains(&mut rnd);
            let Ok(t) = Threader::new(&cfg, true, false) else {
                continue;
            };
            let order = cfg.topo_order();
            let values = t.conds.values();
            let value = |n: NodeId| match cfg.node(n) {
                Node::Branch { .. } => Some(t.conds.lhs(t.node_cond[n as usize]) as usize),
                _ => None,
            };
            let mut first = vec![usize::MAX; values];
            for (i, &n) in order.iter().enumerate() {
                if let Some(v) = value(n) {
                    first[v] = first[v].min(i);
                }
            }
            let mut below = vec![vec![false; values]; cfg.nodes().len()];
            for (i, &n) in order.iter().enumerate().rev() {
                let mut here = vec![false; values];
                for s in cfg.node(n).successors() {
                    for (h, &b) in here.iter_mut().zip(&below[s as usize]) {
                        *h |= b;
                    }
                }
                if let Some(v) = value(n) {
                    here[v] = true;
                }
                for v in 0..values {
                    assert_eq!(t.below.contains(n, v as u32), here[v] && first[v] < i);
                    asked += 1;
                }
                below[n as usize] = here;
            }
        }
        assert!(asked > 100_000, "{asked}");
    }

    /// Trimming only what an edge adds to what every path into its
    /// origin knows (already trimmed) leaves what trimming the whole
    /// list left, on 3,000 random graphs.
    #[test]
    fn trimming_what_an_edge_adds_is_trimming_it_all() {
        // Lists with the most "not equal" facts about one value, and
        // graphs with more than 64 values.
        let (mut full, mut wide, mut kept) = (0, 0, 0);
        on_random_threaders(0x3c6e_f372_fe94_f82b, 3000, |round, cfg, t| {
            let order = cfg.topo_order();
            let logic = Everywhere::new(&t.conds, &t.node_cond, &t.below);
            let added = on_all_paths(cfg, &order, &logic, true);
            let all = on_all_paths(cfg, &order, &TrimAll(&logic), true);
            let values = (0..t.conds.len() as CondId).map(|c| t.conds.lhs(c) + 1);
            wide += (values.max().unwrap_or(0) > 64) as usize;
            for n in 0..cfg.nodes().len() as NodeId {
                assert_eq!(added.get(n), all.get(n), "round {round}, node {n}");
                let mut per_value = vec![0; t.conds.len()];
                for &(_, c, b) in added.get(n).unwrap_or_default() {
                    if !b && t.conds.info(c).op == CmpOp::Eq {
                        per_value[t.conds.lhs(c) as usize] += 1;
                    }
                }
                full += per_value.contains(&facts::MAX_NOT_EQUAL) as usize;
                // What trimming kept of a node's list is that list.
                let (len, counts) = logic.trimmed.borrow()[n as usize];
                if len < UNCOUNTED {
                    let known = added.get(n).unwrap_or_default();
                    let recounted = known.iter().fold(0, |n, &(_, c, b)| {
                        n + t.conds.kinds()[c as usize].counted(b)
                    });
                    assert_eq!(
                        (len as usize, counts),
                        (known.len(), recounted),
                        "round {round}"
                    );
                    kept += 1;
                }
            }
        });
        assert!(kept > 10_000, "{kept} lists kept");
        assert!(
            full > 5000 && wide > 50,
            "{full} full lists, {wide} wide graphs"
        );
    }

    /// Calls `check` with the round, the graph and its threader (where
    /// libpcap's verdicts are the reference) for `rounds` random graphs
    /// the threader takes, from `seed`.
    fn on_random_threaders(seed: u64, rounds: usize, mut check: impl FnMut(usize, &Cfg, Threader)) {
        let mut rnd = xorshift(seed);
        for round in 0..rounds {
            let cfg = random_chains(&mut rnd);
            if let Ok(t) = Threader::new(&cfg, true, true) {
                check(round, &cfg, t);
            }
        }
    }

    /// Where no edge was moved past a test decided by the same condition,
    /// no list of what every path knows holds a condition with one
    /// outcome twice ([`dominated::AllPaths::repeats`]), so the threader
    /// need not look for repeats: on 3,000 random graphs.
    #[test]
    fn lists_repeat_facts_only_where_the_pass_says_so() {
        let (mut with, mut without, mut repeating) = (0, 0, 0);
        on_random_threaders(0x8cb9_2ba7_2f3d_8dd7, 3000, |round, cfg, t| {
            let logic = Everywhere::new(&t.conds, &t.node_cond, &t.below);
            let all = on_all_paths(cfg, &cfg.topo_order(), &logic, true);
            let repeated = (0..cfg.nodes().len() as NodeId).any(|n| {
                let known = all.get(n).unwrap_or_default();
                known
                    .iter()
                    .enumerate()
                    .any(|(i, &(_, c, b))| known[..i].iter().any(|&(_, c2, b2)| (c2, b2) == (c, b)))
            });
            assert!(all.repeats() || !repeated, "round {round}");
            with += all.repeats() as usize;
            without += !all.repeats() as usize;
            repeating += repeated as usize;
        });
        assert!(
            repeating > 10 && with > 100 && without > 1000,
            "{repeating} repeating, {with} with, {without} without"
        );
    }

    /// What every path into a node knows is summed up, and where adding
    /// "the node's test failed" forgets a fact worked out, in one pass
    /// when the threader first asks for it ([`Threader::base`]): the same
    /// as summing up its facts again and looking for the fact to forget
    /// ([`Conds::forgets`]), and the same when asked again, on 2,000
    /// random graphs.
    #[test]
    fn everywhere_bases_are_summed_as_their_facts() {
        let (mut forgetting, mut bases) = (0, 0);
        on_random_threaders(0x5851_f42d_4c95_7f2d, 2000, |round, cfg, mut t| {
            let reached =
                (0..cfg.nodes().len() as NodeId).filter(|&n| t.everywhere[n as usize].is_some());
            for n in reached.collect::<Vec<_>>() {
                let base = t.base(n, List::EMPTY);
                bases += 1;
                let again = t.lists.filter(&t.conds, base.facts.span(), |_| true);
                assert_eq!(t.lists.get(again), t.lists.get(base.facts));
                assert_eq!(
                    again.summary(),
                    base.facts.summary(),
                    "round {round}, node {n}"
                );
                if let Node::Branch { .. } = cfg.node(n) {
                    let f = Fact::new(t.node_cond[n as usize], false);
                    let forget = t.conds.forgets(&t.lists, base.facts, f);
                    assert_eq!(
                        base.forget_if_false,
                        Some(forget),
                        "round {round}, node {n}"
                    );
                    forgetting += forget.is_some() as usize;
                }
                // Asked again, the same.
                assert_eq!(t.base(n, List::EMPTY).facts, base.facts);
            }
        });
        assert!(
            forgetting > 200 && bases > 40_000,
            "{forgetting} forgetting, {bases} bases"
        );
    }

    /// Verdict of `expr` (Ethernet) on `pkt`, as the compiled program
    /// decides it.
    fn verdict(expr: &str, pkt: &[u8], wirelen: u32) -> bool {
        let opts = crate::CompileOptions::new(crate::LinkType::EN10MB);
        let prog = crate::compile(expr, &opts).unwrap();
        crate::cbpf::interp::run(&prog, pkt, wirelen) != 0
    }

    /// Reproducers minimised from conformance/run.py differences on
    /// damaged packets (conformance/shrink.py), each with libpcap 1.10's
    /// verdict: a test whose ways reach two equal blocks made from
    /// different parts of the expression stays (libpcap merges such
    /// blocks only after its last pass), and so does its load.
    #[test]
    fn equal_blocks_of_different_origin_keep_their_test() {
        // 82 bytes on the wire, none captured: `ldh [12]` fails first.
        assert!(!verdict("not ((vlan 300 and less 42) || less 42)", &[], 82));
        // libpcap never folds `len >= 0`, so `arp[12:2]` is still read.
        let mut arp = [0u8; 14];
        arp[12..].copy_from_slice(&[0x08, 0x06]);
        assert!(!verdict("2 == arp[12:2] or greater 0", &arp, 14));
    }

    /// libpcap moves the loads of a first test whose ways agree to the
    /// next block (`opt_root`), unless that block returns at once.
    #[test]
    fn first_test_keeps_its_load_unless_the_program_returns() {
        let two = [0x66, 0x77];
        assert!(!verdict(
            "not (host fe80::1 and host 172.16.0.1) and 53 < ether[0:2]",
            &two,
            2
        ));
        let always =
            "not (dst host 172.16.0.1 && dst host 2001:db8::2 or 2001:db8::7 && mpls 1000)";
        assert!(verdict(always, &[], 0));
    }

    /// libpcap 1.10 leaves programs with `geneve` unoptimized: nothing is
    /// refused as rejecting everything, and every load stays.
    #[test]
    fn geneve_programs_are_not_optimized() {
        let opts = crate::CompileOptions::new(crate::LinkType::EN10MB);
        assert!(crate::compile("arp[1:1] < 0x0800 / tcp[2:1] && geneve 42", &opts).is_ok());
        assert!(crate::compile("tcp and udp and geneve", &opts).is_ok());
        assert!(crate::compile("tcp and udp", &opts).is_err());
    }

    /// libpcap 1.10 turns its optimizer off when it emits the 802.11
    /// header length code (it jumps inside a block): on 802.11 and
    /// radiotap, filters that read past the MAC header are not refused,
    /// the others still are.
    #[test]
    fn wlan_programs_reading_the_payload_are_not_optimized() {
        for dlt in [
            crate::LinkType::IEEE802_11,
            crate::LinkType::IEEE802_11_RADIO,
        ] {
            let opts = crate::CompileOptions::new(dlt);
            for expr in [
                "tcp and udp",
                "not llc and ip",
                "type data and ip and type mgt",
            ] {
                assert!(crate::compile(expr, &opts).is_ok(), "{expr}");
            }
            for expr in ["ether[0] = 1 and ether[0] = 2", "llc and not llc"] {
                assert!(crate::compile(expr, &opts).is_err(), "{expr}");
            }
        }
    }

    /// tcpdump compiles this: after the join of the two ways that know
    /// the packet is UDP (through two different tests), libpcap's
    /// threading no longer knows it, so `tcp` is not found impossible.
    #[test]
    fn facts_from_different_tests_do_not_survive_a_join_for_the_refusal() {
        let opts = crate::CompileOptions::new(crate::LinkType::EN10MB);
        let expr =
            "((dst port 9 or net 10.0.0.0/8) and udp[icmptype:2] != 0) && tcp portrange 547-547";
        assert!(crate::compile(expr, &opts).is_ok());
    }

    /// Regressions from `conformance/run.py --random-exprs 300 --mutate 20
    /// --seed 9117` (shrunk): libpcap knows after a join only what every
    /// way in knows — but an edge keeps the outcomes of the tests it was
    /// moved past, so `ip` after `ip6[3]` is still known false here and
    /// tcpdump refuses these, where bpfcap compiled them.
    #[test]
    fn tests_an_edge_skipped_still_decide_the_refusal() {
        let opts = crate::CompileOptions::new(crate::LinkType::EN10MB);
        for expr in [
            "(ether[1] = 6 && ip6[16] = 1 || ip6[3] = 1) && ip",
            "((ether[23:4] != 6 && 0x0a000001 = ip6[16]) || -4 > icmp6[16:4]) \
             && host 10.0.100.1",
            "ip[40] < 80 || tcp-fin >= tcp[2] && (tcp src port 546 && udp port 8080)",
        ] {
            let e = crate::compile(expr, &opts).unwrap_err();
            assert!(e.to_string().contains("rejects all packets"), "{expr}: {e}");
        }
    }

    /// libpcap folds arithmetic on constants (and `0 * X`, `X & 0`) only in
    /// its second loop of passes, which moves no jump: a test so decided
    /// refuses the filter only when it comes first (after tests whose ways
    /// agree), as `opt_root` then skips it; after another test the program
    /// keeps it, with both ways at the one it takes (from seed 31337,
    /// shrunk: `host 10.0.100.1 and not (2 >> 6) * (ip6[6:2] ^ 0x0800) !=
    /// (0x0800 / 20)`, which tcpdump compiles to a program whose every
    /// path rejects).
    #[test]
    fn tests_decided_by_folding_refuse_only_first() {
        let opts = crate::CompileOptions::new(crate::LinkType::EN10MB);
        for expr in [
            "host 10.0.100.1 and not (2 >> 6) * (ip6[6:2] ^ 0x0800) != (0x0800 / 20)",
            "ip and (ether[0] & 0) = 1",
            "ip and 1 + 1 = 3",
            "ip and 2 >> (20 + 20) = 1",
        ] {
            assert!(crate::compile(expr, &opts).is_ok(), "{expr}");
        }
        // The first loop knows the constants the code loads, and threads
        // with them; the second's come first here, or after a test that
        // the first loop decided.
        let rejects_all = |expr: &str| crate::compile(expr, &opts).unwrap_err().kind;
        for expr in [
            "ip and 1 = 2",
            "1 + 1 = 3 and ip",
            "(ether[0] & 0) = 0 and 1 + 1 = 3",
            "4 = 4 and tcp and udp",
        ] {
            assert_eq!(rejects_all(expr), crate::ErrorKind::RejectsAll, "{expr}");
        }
    }

    /// libpcap's peephole makes a test of masked bits against zero a
    /// `jset`, which its threading cannot relate to a test of the same
    /// bits against another value: after `mpls 1 and ip` (bottom of stack
    /// set) a second label's "not bottom of stack" is not decided, and
    /// tcpdump compiles these. The expression's own `&` stays arithmetic.
    #[test]
    fn masked_tests_against_zero_are_jset_for_the_refusal() {
        let opts = crate::CompileOptions::new(crate::LinkType::EN10MB);
        for expr in ["mpls 1 and ip and mpls", "mpls 1 and ip and mpls 1 and ip"] {
            assert!(crate::compile(expr, &opts).is_ok(), "{expr}");
        }
        let e = crate::compile("ether[0] & 1 = 0 and ether[0] & 1 = 1", &opts).unwrap_err();
        assert_eq!(e.kind, crate::ErrorKind::RejectsAll);
    }

    /// libpcap reports a divisor that folds to zero (or a shift past 31
    /// bits) only in the blocks its second loop visits: not in one its
    /// first loop threaded past, nor in one that leads only to rejection
    /// (gone with it); the first block always stays.
    #[test]
    fn folded_bad_divisors_are_errors_where_libpcap_folds_them() {
        let opts = crate::CompileOptions::new(crate::LinkType::EN10MB);
        let message = |expr: &str| crate::compile(expr, &opts).unwrap_err().message;
        for (expr, what) in [
            ("ip and ether[0] / (1 - 1) = 3", "division by zero"),
            ("ether[0] / (1 - 1) = 3 and tcp and udp", "division by zero"),
            (
                "ip and (tcp and udp or ether[0] % (1 - 1) = 3)",
                "modulus by zero",
            ),
            ("ip and ether[0] / (ether[1] * 0) = 1", "division by zero"),
            (
                "ip and ether[0] >> (20 + 20) = 1",
                "shift by more than 31 bits",
            ),
        ] {
            assert_eq!(message(expr), what, "{expr}");
        }
        for expr in [
            "ip and not ip and ether[0] / (1 - 1) = 3",
            "ip and ether[0] / (1 - 1) = 3 and tcp and udp",
            "tcp and udp and ether[0] % (1 - 1) = 3",
        ] {
            assert_eq!(message(expr), "expression rejects all packets", "{expr}");
        }
        // From seed 2 (`((0x0a000001 % 6 >> 6) > tcp[2:1] && host
        // 255.255.255.255 and icmp) || !(llc || host 2001:db8::7)`, `%`
        // taking `6 >> 6` as libpcap's grammar does), shrunk: the relation
        // leads only to rejection (TCP and ICMP), so its block goes.
        assert!(crate::compile("(1 % 6 >> 6 > tcp[2:1] and icmp) or llc", &opts).is_ok());
        assert_eq!(message("(1 % 6 >> 6 > tcp[2:1]) or llc"), "modulus by zero");
        // Unoptimized, libpcap folds nothing: the division rejects each
        // packet at run time.
        let mut unoptimized = opts.clone();
        unoptimized.optimize = false;
        let prog = crate::compile("ether[0] / (1 - 1) = 3", &unoptimized).unwrap();
        assert_eq!(crate::cbpf::interp::run(&prog, &[3], 1), 0);
    }

    /// libpcap's optimizer makes `X * 0` and `X & 0` zero without
    /// computing `X` (from seed 31337: tcpdump refuses both).
    #[test]
    fn times_zero_is_folded_as_libpcap_does() {
        let opts = crate::CompileOptions::new(crate::LinkType::EN10MB);
        for expr in [
            "(ether[0] * (0x0800 / 0xffff)) = 20",
            "(tcp-syn + arp[0:1]) * icmptype == 69",
            "(ether[0] & 0) = 1",
        ] {
            let e = crate::compile(expr, &opts).unwrap_err();
            assert!(e.to_string().contains("rejects all packets"), "{expr}: {e}");
        }
        // `ether[40] * 0` reads nothing: an empty frame passes.
        assert!(verdict("ether[40] * 0 = 0", &[], 0));
    }

    /// The threader used what one path knows past a join: on the way
    /// where the packet is TCP, the final `tcp` is true, so both ways of
    /// `tcp[23:2] > 1` accepted and the test (with its load) went. libpcap
    /// knows after the join at `ether[0] = 1` only what all ways in know,
    /// keeps the test, and rejects a TCP frame too short for `tcp[23:2]`
    /// (from seed 9117's `!not icmpcode < tcp[23:2] or (... or inbound or
    /// ip proto 6)` on Linux cooked captures).
    #[test]
    fn facts_of_one_way_in_do_not_pass_a_join() {
        let mut short_tcp = [0u8; 34];
        short_tcp[12..14].copy_from_slice(&[0x08, 0x00]);
        short_tcp[14] = 0x45;
        short_tcp[23] = 6;
        assert!(!verdict(
            "tcp[23:2] > 1 or ether[0] = 1 or tcp",
            &short_tcp,
            34
        ));
        assert!(verdict("ether[0] = 1 or tcp", &short_tcp, 34));
    }

    /// Frame bytes from hex.
    fn hex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    /// A zero mask compares nothing, and libpcap's optimizer drops the
    /// test with its load; programs it leaves unoptimized (`protochain`)
    /// still load the word and reject a frame too short for it (from
    /// seed 31337's `(sctp[1] < 8 && ...) or src net 0.0.0.0/0 || ip6
    /// protochain 0` on damaged captures, and `net 2001:db8::/32`, whose
    /// last three words have zero masks).
    #[test]
    fn zero_masks_keep_their_load_where_libpcap_does_not_optimize() {
        // RARP, cut at 19 bytes: `ld [28]` fails.
        let rarp = hex("66778899aabb00112233445580354500002800");
        assert!(verdict("src net 0.0.0.0/0", &rarp, 19));
        assert!(!verdict("src net 0.0.0.0/0 or ip6 protochain 0", &rarp, 19));
        // IPv6 cut after the source's first word: `ld [26]` fails.
        let ip6 = hex("66778899aabb00112233445586dd600000000014064020010db8");
        assert!(verdict("net 2001:db8::/32", &ip6, 26));
        assert!(!verdict("net 2001:db8::/32 or ip6 protochain 0", &ip6, 26));
    }

    /// libpcap loads `ether[12:2]` through the index register until its
    /// last optimizer loop, after jump threading: the link-type test
    /// `ldh [12]; jeq #0x800` neither decides it nor is decided by it. So
    /// on an IPv6 frame cut after its link header, libpcap still reads
    /// the IPv6 next header for `tcp` and rejects the frame (from seed
    /// 9117, shrunk), and the listing is tcpdump's.
    #[test]
    fn loads_through_an_index_are_threaded_apart_from_fixed_ones() {
        let expr = "not (tcp and ether[12:2] = 0x800)";
        let ip6 = hex("66778899aabb00112233445586dd");
        assert!(!verdict(expr, &ip6, 14));
        let opts = crate::CompileOptions::new(crate::LinkType::EN10MB);
        let prog = crate::compile(expr, &opts).unwrap();
        // tcpdump 4.99.3 / libpcap 1.10.3, `tcpdump -y EN10MB -d`: the
        // user's test reads `ldh [12]` too, once threading is done.
        let tcpdump = "\
(000) ldh      [12]
(001) jeq      #0x800           jt 2\tjf 4
(002) ldb      [23]
(003) jeq      #0x6             jt 10\tjf 13
(004) jeq      #0x86dd          jt 5\tjf 13
(005) ldb      [20]
(006) jeq      #0x6             jt 10\tjf 7
(007) jeq      #0x2c            jt 8\tjf 13
(008) ldb      [54]
(009) jeq      #0x6             jt 10\tjf 13
(010) ldh      [12]
(011) jeq      #0x800           jt 12\tjf 13
(012) ret      #0
(013) ret      #262144
";
        let listing =
            crate::cbpf::listing::render(prog.insns(), crate::cbpf::listing::Format::Image);
        assert_eq!(listing, tcpdump);
        // Two tests of the same `proto[k]` still decide each other.
        let e = crate::compile("ip[9] = 6 and ip[9] = 17", &opts).unwrap_err();
        assert!(e.to_string().contains("rejects all packets"), "{e}");
    }

    /// `a(0) or a(1) or ... or a(n - 1)`.
    fn alternatives(n: usize, a: impl Fn(usize) -> String) -> String {
        (0..n).map(a).collect::<Vec<_>>().join(" or ")
    }

    /// What the threader keeps about tested values for `tcp or port 1 or
    /// ... or port 50000` (600,000 nodes: the `tcp` keeps the lowering's
    /// copy of the port comparisons for each protocol) stays in proportion
    /// to the nodes: it was a bit set of all nodes for every node, 16,000
    /// ports took 4.6 GB and 50,000 asked for one 11 GB allocation.
    #[test]
    fn threading_long_port_lists_takes_linear_space() {
        for n in [16_000, 50_000] {
            let expr = "tcp or ".to_string() + &alternatives(n, |i| format!("port {}", i + 1));
            let opts = crate::CompileOptions::new(crate::LinkType::EN10MB);
            let (nodes, stored) = {
                let ast = crate::parse::parse(&expr).unwrap();
                let cfg = crate::lower::lower(ast.as_ref(), &opts).unwrap().cfg;
                let t = Threader::new(&cfg, true, false).unwrap();
                (cfg.nodes().len(), t.below.stored())
            };
            assert!(nodes > 10 * n, "{n} ports: {nodes} nodes");
            assert!(stored <= nodes, "{n} ports: {stored} ids for {nodes} nodes");
        }
    }

    /// The same 3,000 bytes tested in two alternatives: every node of the
    /// second may be asked about the rest of them, which the optimizer
    /// refuses with an error of its own; unoptimized, it compiles.
    #[test]
    fn values_live_across_a_square_are_a_clear_error() {
        let all = |k| {
            (0..3000)
                .map(|i| format!("ether[{i}] = {k}"))
                .collect::<Vec<_>>()
                .join(" and ")
        };
        let expr = format!("({}) or ({})", all(1), all(2));
        let mut opts = crate::CompileOptions::new(crate::LinkType::EN10MB);
        let e = crate::compile(&expr, &opts).unwrap_err();
        assert_eq!(e.kind, crate::ErrorKind::TooComplex);
        assert!(
            e.to_string()
                .starts_with("error at 0: expression too complex")
        );
        opts.optimize = false;
        assert!(crate::compile(&expr, &opts).is_ok());
    }

    /// 16,000 and 50,000 alternatives, each testing values no other
    /// tests, compile completely (the bit sets alone would have taken
    /// 128 MB and 1.25 GB), on a small stack: paths through the program
    /// are 100,000 tests long.
    #[test]
    fn long_alternatives_compile() {
        let opts = crate::CompileOptions::new(crate::LinkType::EN10MB);
        for n in [16_000, 50_000] {
            let expr = alternatives(n, |i| {
                format!("ether[{}] = 1 and ether[{}] = 2", 2 * i, 2 * i + 1)
            });
            let prog = crate::tests::on_small_stack(|| crate::compile(&expr, &opts)).unwrap();
            assert!(prog.insns().len() > 2 * n);
        }
    }
}
