//! libpcap's `or_pullup` and `and_pullup`: grouping the tests of an
//! alternative by the value they compare.
//!
//! `host A or host B` becomes, after threading, the chain
//! `src == A, dst == A, src == B, dst == B`, all jumping to the same place
//! on success.  libpcap's optimizer moves `src == B` up next to
//! `src == A`, so it tests both sources before it loads the destination.
//! On a packet cut inside the destination address that order decides the
//! verdict (a load past the captured bytes rejects the packet), so ours
//! must be the same.
//!
//! The rule, for a node `b` all of whose predecessors compare the same
//! value `v` (in libpcap: leave the same value number in A): follow the
//! chain from `b` along false branches through tests that share `b`'s true
//! target and are reached only through the chain (libpcap: dominated by
//! `b`); skip the run of tests on `v` at its top, then find the next test
//! on `v` further down and move it to just after that run (before `b` if
//! the run is empty).  `and_pullup` is the same along true branches with a
//! shared false target.  Repeated from the leaves up until nothing moves,
//! this groups a chain's tests by value in order of first appearance.
//!
//! The moved test reads a value its new predecessors have just read, so
//! it cannot reject the packet where it now stands; the tests it jumps
//! over are pure alternatives, so on packets that hold every byte read the
//! verdict is unchanged.  Only truncated packets see the difference, as
//! they do with libpcap.
//!
//! Done naively, each pull walks the chain from `b` past the run and on
//! to the next test on `v`, which made long lists quadratic (16,000 ports
//! took minutes).  The walks are not needed: no move changes which nodes
//! form a chain (only their order), and no move changes the order of a
//! chain's tests on one value (the moved test is the first on `v` after
//! the run, and lands just after an earlier test on `v`, or first when
//! the chain's head is preceded by tests on `v`).  So each chain's tests
//! on each value are listed once, in order: the test to move is the next
//! one on the list after the run (or the list's first), and the end of
//! the run is the first test on the list not linked straight to the
//! next one, kept in a bit set ([`Runs`]).  A pull then costs constant
//! time, and the passes make the same moves in the same order as the
//! walks did.
//!
//! Most graphs go faster still: where no pull can ever move a test
//! before a chain's head ([`Graph::heads_stay`]), each chain changes on
//! its own, and the passes run chain by chain on two arrays of links
//! ([`Graph::pull_alone`]), with the same moves and the same number of
//! passes; the others take the passes over the whole graph
//! ([`Graph::pull_all`]). And where the passes are sure to group a
//! chain by value before they give up ([`passes_bound`]), as for every
//! long list, the chain is put in that order at once.

use std::borrow::Cow;

use rustc_hash::FxHashMap as HashMap;

use crate::ir::{Cfg, NO_NODE, Node, NodeId, Relink, Val};

/// Passes without reaching a fixed point after which the pass gives up
/// (libpcap's optimizer stops after 100 passes that only move branches).
const MAX_PASSES: usize = 100;

/// No value (the node is not a branch), or no node.
const NONE: u32 = u32::MAX;

/// Which chains: linked by false branches sharing the true target (`A or
/// B`), or by true branches sharing the false target (`A and B`).
#[derive(Clone, Copy)]
enum Kind {
    Or,
    And,
}

impl Kind {
    /// Whether the chain's link is the true edge.
    fn link_taken(self) -> bool {
        matches!(self, Kind::And)
    }

    fn index(self) -> usize {
        self.link_taken() as usize
    }
}

/// A graph's chains as the pass sees them: the nodes (relinked in
/// place), and what it knows of each.
struct Graph<'r, 'n> {
    nodes: &'r mut Relink<'n>,
    /// Interned left-hand value of each branch, `NONE` for other nodes.
    val: Vec<u32>,
    /// Whether each interned value depends on a variable.
    uses_var: Vec<bool>,
    /// Predecessors of each node as the graph was found.
    found: Preds,
    /// Predecessors of each node, one `(node, edge taken)` entry per edge,
    /// kept in step with the moves of [`Graph::pull_all`] (empty until
    /// [`Graph::editable`] copies them from `found`).
    preds: Vec<Vec<(NodeId, bool)>>,
    /// Where each node's true and false edges sit in their target's
    /// `preds`, so that an edge moves in constant time.
    slot: Vec<[u32; 2]>,
    /// The chains of each kind (`Kind::index`).
    chains: [Chains; 2],
    root: NodeId,
}

/// Predecessors of each node, one `(node, edge taken)` entry per edge, in
/// one list (node `n`'s from `start[n]` to `start[n + 1]`): two vectors
/// instead of one per node, whose allocations were most of setting up a
/// long list's pull-up, though most graphs never move an edge of them.
struct Preds {
    start: Vec<u32>,
    edges: Vec<(NodeId, bool)>,
}

impl Preds {
    /// The edges out of the nodes in `order`, each listed at its target,
    /// in the order of `order` (a node's true edge before its false one).
    fn new(nodes: &Relink<'_>, order: &[NodeId]) -> Preds {
        let ways = |n: NodeId| nodes.node(n).ways().into_iter().zip([true, false]);
        let mut start = vec![0u32; nodes.len() + 1];
        for &n in order {
            for (s, _) in ways(n).filter(|&(s, _)| s != NO_NODE) {
                start[s as usize + 1] += 1;
            }
        }
        for i in 1..start.len() {
            start[i] += start[i - 1];
        }
        let mut next = start.clone();
        let mut edges = vec![(NONE, false); start[nodes.len()] as usize];
        for &n in order {
            for (s, taken) in ways(n).filter(|&(s, _)| s != NO_NODE) {
                edges[next[s as usize] as usize] = (n, taken);
                next[s as usize] += 1;
            }
        }
        Preds { start, edges }
    }

    /// The edges into `n`.
    fn of(&self, n: NodeId) -> &[(NodeId, bool)] {
        &self.edges[self.start[n as usize] as usize..self.start[n as usize + 1] as usize]
    }
}

/// The chains of one kind: which nodes form each, and each chain's tests
/// on one value in order (fixed, see the module's documentation).
struct Chains {
    /// Whether a node continues its predecessor's chain (is not its head;
    /// updated when a test moves before the head).
    inner: Vec<bool>,
    /// Each node's chain, named by its first head.
    chain: Vec<NodeId>,
    /// The heads of the chains of two tests or more, in the order found.
    heads: Vec<NodeId>,
    /// The next test on the same value in the same chain, `NONE` if none.
    next_same: Vec<NodeId>,
    /// The first test on each value of each chain.
    first_same: HashMap<(NodeId, u32), NodeId>,
    /// Which tests are not linked straight to their `next_same`.
    runs: Runs,
}

/// Where runs of tests on one value end: each chain's tests are numbered
/// value by value, in order (`pos`), and a bit set marks the tests whose
/// link is not the next test on their value.  The run from a test ends at
/// the first marked test at or after it.
struct Runs {
    pos: Vec<u32>,
    at: Vec<NodeId>,
    /// The marks, and which of its words are not zero (so that finding
    /// the next mark skips 4096 tests at a time).
    words: Vec<u64>,
    summary: Vec<u64>,
}

impl Runs {
    /// Marks `n` as ending a run or not. Inlined, and the summary is
    /// touched only when a word becomes zero or stops being zero: pulls
    /// set three marks each, most of them unchanged.
    #[inline]
    fn set(&mut self, n: NodeId, ends: bool) {
        let p = self.pos[n as usize];
        if p == NONE {
            return;
        }
        let (w, bit) = (p as usize / 64, 1u64 << (p % 64));
        let old = self.words[w];
        let new = if ends { old | bit } else { old & !bit };
        if new == old {
            return;
        }
        self.words[w] = new;
        if (old == 0) != (new == 0) {
            self.summary[w / 64] ^= 1u64 << (w % 64);
        }
    }

    /// The last test of the run of tests on one value starting at `n`.
    fn end(&self, n: NodeId) -> NodeId {
        let p = self.pos[n as usize];
        if p == NONE {
            return n;
        }
        let mut w = p as usize / 64;
        let mut bits = self.words[w] & (!0u64 << (p % 64));
        while bits == 0 {
            // The next word with a mark: every value's last test is
            // marked, so there is one.
            let mut s = (w + 1) / 64;
            let mut sbits = self.summary[s] & (!0u64 << ((w + 1) % 64));
            while sbits == 0 {
                s += 1;
                sbits = self.summary[s];
            }
            w = s * 64 + sbits.trailing_zeros() as usize;
            bits = self.words[w];
        }
        self.at[w * 64 + bits.trailing_zeros() as usize]
    }
}

/// How many passes [`Graph::pull_passes`] takes at most on a chain whose
/// tests are `members`, the last one moving nothing: the sum over the
/// chain's values of log₂ of their numbers of tests, rounded up, plus
/// one.
///
/// The passes end with the chain grouped by value, values in order of
/// first appearance, each value's tests in order: a pull moves the next
/// test on a value (never a value's first) to just after an earlier one.
/// Call the longest start of the chain already in that final order its
/// done part, ending in `c` tests of a value `v` still being grouped.
/// A pass's pulls go from the bottom up, and a pull changes nothing
/// above the test before the one pulled at, so the done part is as it
/// was when the pass's pulls reach it. There the pull at the first test
/// after it (not on `v`: tests on one value keep their order) brings the
/// next test on `v` right after it, and each pull at one of the other
/// `c - 1` tests on `v` one more, while any are left; pulls higher up,
/// at whole groups, move nothing. So `c` doubles each pass until `v` is
/// grouped, and then the next value's first test is the next in order.
fn passes_bound(val: &[u32], members: &[NodeId]) -> usize {
    let mut vals: Vec<u32> = members.iter().map(|&n| val[n as usize]).collect();
    vals.sort_unstable();
    let mut passes = 1;
    for tests in vals.chunk_by(|a, b| a == b) {
        passes += tests.len().next_power_of_two().trailing_zeros() as usize;
    }
    passes
}

/// Groups the tests of or- and and-chains by value, as libpcap does;
/// returns the number of passes made over the graph, or where the chains
/// are grouped at once a bound on it ([`passes_bound`]). (Each pass takes
/// time in proportion to the graph: a pull costs constant time.) `order` is the graph's
/// [`Cfg::topo_order`], which the caller often has already.
pub fn pullup(cfg: &mut Cfg, order: &[NodeId]) -> usize {
    if !may_move(cfg, order) {
        return 0; // most small programs: no need to set up the chains
    }
    let root = cfg.root;
    let (val, uses_var) = values(cfg, order);
    // The moves relink nodes in place; if any happened, `relink` rebuilds
    // the graph (and its hash-consing index) afterwards.
    cfg.relink(|nodes| {
        let mut g = Graph::new(nodes, order, val, uses_var, root);
        if g.chains.iter().all(|c| c.heads.is_empty()) {
            return 0; // no chain has two tests: nothing can move
        }
        match g.heads_stay() {
            Some(heads) => g.pull_alone(&heads),
            None => g.pull_all(),
        }
    })
}

/// Whether the first pass could move a test; if not, none does (the
/// graph stays as it is). A pull at `b` moves the first test on the value
/// `v` its predecessors compare that comes, in `b`'s chain, after the run
/// of tests on `v` at `b` (or after the predecessor, inside the chain).
/// So a test moves only if some chain's tests on one value are apart (not
/// one run: the test after the first run is then pulled at), or a chain's
/// head is reached only from tests on a value its other members test
/// but the head does not. Already grouped chains (`vlan`'s three
/// ethertype tests, a net's two address tests) move nothing. (A chain
/// of more than 16 runs is taken to move: long lists do.)
/// Cheap next to [`values`] and [`Graph::new`], which small programs
/// (`tcp`) would otherwise spend most of their optimizing time in.
fn may_move(cfg: &Cfg, order: &[NodeId]) -> bool {
    const UNSEEN: u32 = NONE - 1;
    // Values are compared as [`values`] numbers them, without numbering
    // them all: most graphs have short chains, and no test to move.
    let lhs = |n: NodeId| match cfg.node(n) {
        Node::Branch { cond, .. } => Some(&cond.lhs),
        _ => None,
    };
    // (Values that cannot fold are equal as they are: most are.)
    let same = |a: NodeId, b: NodeId| match (lhs(a), lhs(b)) {
        (Some(x), Some(y)) => {
            x == y
                || !(stays(x) && stays(y)) && super::fold_for(x, true) == super::fold_for(y, true)
        }
        _ => false,
    };
    // Per node (in one vector: one allocation): the number of edges into
    // it (as `Graph::preds` counts them), a predecessor testing the value
    // all of them test (`NONE`: not one), and whether a chain of the kind
    // looked at holds it.
    #[derive(Clone)]
    struct Into {
        preds: u32,
        pred_val: NodeId,
        in_chain: bool,
    }
    let mut into = vec![
        Into {
            preds: 0,
            pred_val: UNSEEN,
            in_chain: false,
        };
        cfg.nodes().len()
    ];
    for &n in order {
        for s in cfg.node(n).successors() {
            let s = &mut into[s as usize];
            s.preds += 1;
            s.pred_val = match s.pred_val {
                UNSEEN if lhs(n).is_some() => n,
                p if p != UNSEEN && p != NONE && same(p, n) => p,
                _ => NONE,
            };
        }
    }
    // A test of each of a chain's runs, in chain order.
    let mut runs: Vec<NodeId> = Vec::new();
    for kind in [Kind::Or, Kind::And] {
        let targets = |n: NodeId| match *cfg.node(n) {
            Node::Branch { t, f, .. } => Some(if kind.link_taken() { (t, f) } else { (f, t) }),
            _ => None,
        };
        into.iter_mut().for_each(|i| i.in_chain = false);
        // The chains as `Chains::new` finds them.
        for &head in order {
            if into[head as usize].in_chain {
                continue;
            }
            let Some((mut link, shared)) = targets(head) else {
                continue;
            };
            into[head as usize].in_chain = true;
            // (Listed only from a second run on: most chains have one.)
            runs.clear();
            let mut last = head;
            while into[link as usize].preds == 1
                && let Some((next, s)) = targets(link)
                && s == shared
            {
                into[link as usize].in_chain = true;
                if !same(link, last) {
                    if runs.is_empty() {
                        runs.push(head);
                    }
                    // A second run on one value, found as it starts (the
                    // run before is on another); past a few runs, left to
                    // the pass.
                    let earlier = &runs[..runs.len() - 1];
                    if runs.len() >= 16 || earlier.iter().any(|&r| same(r, link)) {
                        return true;
                    }
                    runs.push(link);
                }
                last = link;
                link = next;
            }
            let p = into[head as usize].pred_val;
            if p != NONE && p != UNSEEN && !same(p, head) && runs.iter().any(|&r| same(r, p)) {
                return true;
            }
        }
    }
    false
}

/// Whether libpcap's folding ([`super::fold_for`]) surely leaves `v` as
/// it is: it rewrites only arithmetic, and a load only when its index
/// folds. Telling so is cheaper than folding (most tested values, and
/// the ports' loads after a header length, stay).
fn stays(mut v: &Val) -> bool {
    loop {
        match v {
            Val::Alu(..) | Val::Neg(_) => return false,
            Val::Load { index: Some(i), .. } => v = i,
            _ => return true,
        }
    }
}

/// The interned left-hand value of each node, and whether each value
/// uses a variable.
fn values(cfg: &Cfg, order: &[NodeId]) -> (Vec<u32>, Vec<bool>) {
    let mut ids: HashMap<Cow<Val>, u32> =
        HashMap::with_capacity_and_hasher(order.len(), Default::default());
    let mut uses_var = Vec::new();
    let mut val = vec![NONE; cfg.nodes().len()];
    // The last few values met (as tested, unfolded) and their ids: a
    // chain tests one or two values over and over (`src == A, dst == A,
    // src == B, ...`), so most tests find theirs here, compared, where
    // the table would hash the value and probe.
    let mut recent: [Option<(&Val, u32)>; 4] = [None; 4];
    let mut oldest = 0;
    for &n in order {
        if let Node::Branch { cond, .. } = cfg.node(n) {
            if let Some(&(_, id)) = recent.iter().flatten().find(|(v, _)| **v == cond.lhs) {
                val[n as usize] = id;
                continue;
            }
            // Values as libpcap's pullups see them: `proto[k]` apart
            // from a load at a fixed offset; most values fold to
            // themselves, and are looked up as they are, not copied.
            let v = super::fold_for(&cond.lhs, true);
            let next = ids.len() as u32;
            let id = *ids.entry(v).or_insert_with_key(|v| {
                uses_var.push(v.uses_any_var());
                next
            });
            val[n as usize] = id;
            recent[oldest] = Some((&cond.lhs, id));
            oldest = (oldest + 1) % recent.len();
        }
    }
    (val, uses_var)
}

impl<'r, 'n> Graph<'r, 'n> {
    fn new(
        nodes: &'r mut Relink<'n>,
        order: &[NodeId],
        val: Vec<u32>,
        uses_var: Vec<bool>,
        root: NodeId,
    ) -> Self {
        let found = Preds::new(nodes, order);
        let chains = [Kind::Or, Kind::And].map(|k| Chains::new(nodes, order, &found, k));
        Graph {
            nodes,
            val,
            uses_var,
            found,
            preds: Vec::new(),
            slot: Vec::new(),
            chains,
            root,
        }
    }

    /// The passes as the module's documentation states them: pulls at
    /// every branch, leaves' side first, until nothing moves.
    fn pull_all(&mut self) -> usize {
        self.editable();
        for pass in 1..=MAX_PASSES {
            let mut changed = false;
            for b in self.bottom_up() {
                changed |= self.pull(b, Kind::Or);
                changed |= self.pull(b, Kind::And);
            }
            if !changed {
                return pass;
            }
        }
        MAX_PASSES
    }

    /// Copies the predecessors as found into the lists the moves edit,
    /// and indexes the chains for the pulls.
    fn editable(&mut self) {
        self.index_chains();
        let len = self.nodes.len();
        self.preds = (0..len as NodeId)
            .map(|n| self.found.of(n).to_vec())
            .collect();
        self.slot = vec![[NONE; 2]; len];
        for list in &self.preds {
            for (i, &(p, taken)) in list.iter().enumerate() {
                self.slot[p as usize][taken as usize] = i as u32;
            }
        }
    }

    /// The heads of the chains of two tests or more, if no pull can ever
    /// move a test before one of them, each with whether pulls at it move
    /// tests (within its chain); `None` if a head might change.
    ///
    /// A test moves before a head only if every predecessor of the head
    /// compares one value its chain tests, but not the head. The edges
    /// into a head stay as they are but one: the link out of another
    /// chain's last test, which after moves in that chain may come from
    /// any of its tests. So if some edge into each head comes from tests
    /// on none of the values its chain tests, no pull at a head moves
    /// anything; if the edges all stay and all come from tests on the
    /// head's value, pulls at the head move tests, but only within the
    /// chain; anything else may change a head, and is left to
    /// [`Graph::pull_all`].
    fn heads_stay(&self) -> Option<Vec<(Kind, NodeId, bool)>> {
        // Each chain's values, sorted, in `sets`; `set_of` for each member.
        let mut sets: Vec<Vec<u32>> = Vec::new();
        let mut set_of = [vec![NONE; self.nodes.len()], vec![NONE; self.nodes.len()]];
        let mut heads = Vec::new();
        for kind in [Kind::Or, Kind::And] {
            let c = &self.chains[kind.index()];
            for &head in &c.heads {
                let mut vals = Vec::new();
                for n in self.members(kind, head) {
                    vals.push(self.val[n as usize]);
                    set_of[kind.index()][n as usize] = sets.len() as u32;
                }
                vals.sort_unstable();
                vals.dedup();
                sets.push(vals);
                heads.push((kind, head, false));
            }
        }
        for (kind, head, pulls) in &mut heads {
            let tested = &sets[set_of[kind.index()][*head as usize] as usize];
            let preds = self.found.of(*head);
            // The link out of a chain (a link edge from a chain member can
            // only be that), or an edge that stays.
            let moving = |&(p, taken): &(NodeId, bool)| {
                let link_kind = if taken { Kind::And } else { Kind::Or };
                match set_of[link_kind.index()][p as usize] {
                    NONE => None,
                    set => Some(&sets[set as usize]),
                }
            };
            let never = preds.iter().any(|e| match moving(e) {
                Some(set) => !set.iter().any(|v| tested.binary_search(v).is_ok()),
                None => tested.binary_search(&self.val[e.0 as usize]).is_err(),
            });
            if preds.is_empty() || never {
                continue;
            }
            if preds.iter().any(|e| moving(e).is_some()) {
                return None;
            }
            // The predecessors stay: a pull at the head moves a test if
            // they all test one value (one the chain tests, as `never` is
            // false), before the head if that is not the head's own.
            let first = preds[0].0;
            let v = self.val[first as usize];
            if preds.iter().any(|&(p, _)| self.val[p as usize] != v) {
                continue;
            }
            if v != self.val[*head as usize] {
                return None;
            }
            *pulls = !(self.uses_var[v as usize] && preds.iter().any(|&(p, _)| p != first));
        }
        Some(heads)
    }

    /// The tests of the chain of `kind` from `head`, in order.
    fn members(&self, kind: Kind, head: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        let chain = &self.chains[kind.index()].chain;
        std::iter::successors(Some(head), move |&n| {
            let (link, _) = self.targets(n, kind)?;
            (chain.get(link as usize) == Some(&head)).then_some(link)
        })
    }

    /// [`Graph::pull_all`] where no head ever changes ([`Graph::heads_stay`]):
    /// then a pull moves a test only within the chain of the node pulled
    /// at, so each chain changes on its own, and pulls elsewhere (at
    /// other nodes, or for the other kind of chain) move nothing. A
    /// pass's pulls in one chain are those at its tests from the last to
    /// the first (by level: each test is one above the next), in their
    /// order when the pass starts. So the passes run chain by chain, with
    /// the links as the only bookkeeping besides the run marks: a pull
    /// costs a few writes instead of keeping every predecessor list in
    /// step, which was most of a long list's pull-up time.
    ///
    /// Where [`passes_bound`] shows that the passes group every chain
    /// within [`MAX_PASSES`], their end is known, and each chain is put
    /// in that order at once ([`Graph::group`]); the bound is returned
    /// for the number of passes. Only chains of many values, each tested
    /// a few times, go pass by pass ([`Graph::pull_passes`]).
    fn pull_alone(&mut self, heads: &[(Kind, NodeId, bool)]) -> usize {
        let chains: Vec<Vec<NodeId>> = heads
            .iter()
            .map(|&(kind, head, _)| self.members(kind, head).collect())
            .collect();
        let bound = chains.iter().map(|c| passes_bound(&self.val, c)).max();
        match bound {
            Some(bound) if bound <= MAX_PASSES => {
                for (&(kind, ..), members) in heads.iter().zip(&chains) {
                    self.group(kind, members);
                }
                bound
            }
            _ => self.pull_passes(heads),
        }
    }

    /// Puts the tests of the chain of `kind` whose tests are `members`
    /// (in order) in the order the passes end with: grouped by value,
    /// the values in order of first appearance, each value's tests in
    /// their order. The chain's last link still goes where it went.
    fn group(&mut self, kind: Kind, members: &[NodeId]) {
        let Some(&last) = members.last() else {
            return;
        };
        let Some((exit, _)) = self.targets(last, kind) else {
            return;
        };
        // Each value's rank: the place of its first test (by value id:
        // the ids are dense).
        let mut rank = vec![usize::MAX; self.uses_var.len()];
        let mut grouped: Vec<(usize, NodeId)> = members
            .iter()
            .enumerate()
            .map(|(i, &n)| {
                let r = &mut rank[self.val[n as usize] as usize];
                *r = (*r).min(i);
                (*r, n)
            })
            .collect();
        // Stable: each value's tests stay in order.
        grouped.sort_by_key(|&(r, _)| r);
        let links = grouped
            .iter()
            .skip(1)
            .map(|&(_, n)| n)
            .chain(std::iter::once(exit));
        for (&(_, n), link) in grouped.iter().zip(links) {
            if self.targets(n, kind).map(|(l, _)| l) != Some(link) {
                self.nodes.set_target(n, kind.link_taken(), link);
            }
        }
    }

    /// [`Graph::pull_alone`] pass by pass.
    fn pull_passes(&mut self, heads: &[(Kind, NodeId, bool)]) -> usize {
        self.index_chains();
        // Each chain member's link and the member before it, kept here
        // and written to the graph at the end.
        let mut next = vec![NONE; self.nodes.len()];
        let mut prev = vec![NONE; self.nodes.len()];
        for &(kind, head, _) in heads {
            for n in self.members(kind, head) {
                if let Some((link, _)) = self.targets(n, kind) {
                    next[n as usize] = link;
                    prev[link as usize] = n;
                }
            }
        }
        let mut tests = Vec::new();
        let mut passes = MAX_PASSES;
        for pass in 1..=MAX_PASSES {
            let mut changed = false;
            for &(kind, head, pulls) in heads {
                let c = &mut self.chains[kind.index()];
                tests.clear();
                let mut n = head;
                while c.chain.get(n as usize) == Some(&head) {
                    tests.push(n);
                    n = next[n as usize];
                }
                for &b in tests[1..].iter().rev() {
                    let v = self.val[prev[b as usize] as usize];
                    changed |= c.pull_within(&self.val, b, v, &mut next, &mut prev);
                }
                if pulls {
                    let v = self.val[head as usize];
                    changed |= c.pull_within(&self.val, head, v, &mut next, &mut prev);
                }
            }
            if !changed {
                passes = pass;
                break;
            }
        }
        let link = |kind: Kind| kind.link_taken();
        for &(kind, head, _) in heads {
            let members: Vec<NodeId> = self.members(kind, head).collect();
            for n in members {
                if self.targets(n, kind).map(|(l, _)| l) != Some(next[n as usize]) {
                    self.nodes.set_target(n, link(kind), next[n as usize]);
                }
            }
        }
        passes
    }

    /// The branch nodes reachable from the root, leaves' side first
    /// (libpcap's order: by level, the longest path to a leaf).
    fn bottom_up(&self) -> Vec<NodeId> {
        let mut order = Vec::new();
        let mut level = vec![u32::MAX; self.nodes.len()];
        // Iterative post-order from the root.
        let mut stack = vec![(self.root, false)];
        while let Some((n, done)) = stack.pop() {
            if level[n as usize] != u32::MAX {
                continue;
            }
            let succ = self.nodes.node(n).successors();
            if done {
                level[n as usize] = succ.map(|s| level[s as usize] + 1).max().unwrap_or(0);
                if level[n as usize] > 0 {
                    order.push(n);
                }
            } else {
                stack.push((n, true));
                for s in succ {
                    if level[s as usize] == u32::MAX {
                        stack.push((s, false));
                    }
                }
            }
        }
        // Sorted by level, stably (a counting sort: levels are below the
        // number of nodes, and this runs once per pass).
        let top = order.iter().map(|&n| level[n as usize]).max().unwrap_or(0) as usize;
        let mut start = vec![0u32; top + 2];
        for &n in &order {
            start[level[n as usize] as usize + 1] += 1;
        }
        for l in 1..start.len() {
            start[l] += start[l - 1];
        }
        let mut sorted = vec![NONE; order.len()];
        for &n in &order {
            let at = &mut start[level[n as usize] as usize];
            sorted[*at as usize] = n;
            *at += 1;
        }
        sorted
    }

    /// `(link, shared)` targets of a branch for chains of `kind`.
    fn targets(&self, n: NodeId, kind: Kind) -> Option<(NodeId, NodeId)> {
        link_targets(self.nodes, n, kind)
    }

    /// [`Chains::index`] for both kinds.
    fn index_chains(&mut self) {
        for kind in [Kind::Or, Kind::And] {
            self.chains[kind.index()].index(self.nodes, &self.val, kind);
        }
    }

    /// Points edge `taken` of branch `n` at `to`, keeping `preds` in step.
    fn set_edge(&mut self, n: NodeId, taken: bool, to: NodeId) {
        let Node::Branch { t, f, .. } = *self.nodes.node(n) else {
            return;
        };
        let from = if taken { t } else { f };
        let at = self.slot[n as usize][taken as usize] as usize;
        let list = &mut self.preds[from as usize];
        list.swap_remove(at);
        if let Some(&(moved, e)) = list.get(at) {
            self.slot[moved as usize][e as usize] = at as u32;
        }
        self.slot[n as usize][taken as usize] = self.preds[to as usize].len() as u32;
        self.preds[to as usize].push((n, taken));
        self.nodes.set_target(n, taken, to);
        // Only the chains linked by this edge see a new link.
        self.remark_kind(n, if taken { Kind::And } else { Kind::Or });
    }

    /// Updates the run marks of `n` after its edges changed.
    fn remark(&mut self, n: NodeId) {
        for kind in [Kind::Or, Kind::And] {
            self.remark_kind(n, kind);
        }
    }

    /// Updates the run mark of `n` in the chains of `kind`.
    fn remark_kind(&mut self, n: NodeId, kind: Kind) {
        let Some((link, _)) = self.targets(n, kind) else {
            return;
        };
        let c = &mut self.chains[kind.index()];
        let ends = c.next_same[n as usize] != link;
        c.runs.set(n, ends);
    }

    /// One pull-up at `b`, if its chain has a test to move.
    fn pull(&mut self, b: NodeId, kind: Kind) -> bool {
        let preds = &self.preds[b as usize];
        let Some(&(first, _)) = preds.first() else {
            return false;
        };
        // Every predecessor compares the same value.
        let v = self.val[first as usize];
        if v == NONE || preds.iter().any(|&(p, _)| self.val[p as usize] != v) {
            return false;
        }
        // Through a variable, equal values on different paths may differ.
        if self.uses_var[v as usize] && preds.iter().any(|&(p, _)| p != first) {
            return false;
        }
        if self.targets(b, kind).is_none() {
            return false;
        }
        let c = &self.chains[kind.index()];
        // Skip the run of tests on `v` at the top, then take the next test
        // on `v` in the chain.
        let (run_end, same) = if self.val[b as usize] == v {
            let end = c.runs.end(b);
            (Some(end), c.next_same[end as usize])
        } else if c.inner[b as usize] {
            // The predecessor in the chain tests `v`.
            (None, c.next_same[first as usize])
        } else {
            let head = (c.chain[b as usize], v);
            (None, c.first_same.get(&head).copied().unwrap_or(NONE))
        };
        if same == NONE {
            return false;
        }
        let link = kind.link_taken();
        let diff = match run_end {
            Some(end) => self.targets(end, kind).unwrap().0,
            None => b,
        };
        // Unlink it ...
        let (prev, _) = self.preds[same as usize][0];
        let after = self.targets(same, kind).unwrap().0;
        self.set_edge(prev, link, after);
        // ... and put it before `diff`.
        match run_end {
            Some(end) => self.set_edge(end, link, same),
            None => {
                // `same` takes the place of `b`, as the chain's head if
                // `b` was.
                let c = &mut self.chains[kind.index()];
                c.inner.swap(b as usize, same as usize);
                // (Swapped, not moved out, so that `b`'s list keeps its
                // room for the edge it gets back below.)
                self.preds.swap(b as usize, same as usize);
                self.preds[b as usize].clear();
                for &(p, taken) in &self.preds[same as usize] {
                    self.nodes.set_target(p, taken, same);
                }
                for i in 0..self.preds[same as usize].len() {
                    let (p, _) = self.preds[same as usize][i];
                    self.remark(p);
                }
            }
        }
        self.set_edge(same, link, diff);
        true
    }
}

impl Chains {
    /// [`Graph::pull`] at `b`, a test of one of these chains whose
    /// predecessors test `v` (at the head: the head's value), for
    /// [`Graph::pull_alone`]: the chains' links are `next` and `prev`,
    /// kept in step with the run marks.
    fn pull_within(
        &mut self,
        val: &[u32],
        b: NodeId,
        v: u32,
        next: &mut [NodeId],
        prev: &mut [NodeId],
    ) -> bool {
        let p = prev[b as usize];
        // After the run of tests on `v` from `b`, or else right after `p`
        // (`b` is not the head then), goes the next test on `v`.
        let (at, same) = if val[b as usize] == v {
            let end = self.runs.end(b);
            (end, self.next_same[end as usize])
        } else {
            (p, self.next_same[p as usize])
        };
        if same == NONE {
            return false;
        }
        let (before, after, then) = (prev[same as usize], next[same as usize], next[at as usize]);
        for (n, to) in [(before, after), (at, same), (same, then)] {
            next[n as usize] = to;
            if let Some(back) = prev.get_mut(to as usize) {
                *back = n;
            }
            self.runs.set(n, self.next_same[n as usize] != to);
        }
        true
    }

    /// Finds the chains of `kind` among the nodes in `order` (topological).
    /// Their tests on each value and the run marks are left for
    /// [`Chains::index`]: most long chains are grouped at once
    /// ([`Graph::group`]), which needs neither.
    fn new(nodes: &Relink<'_>, order: &[NodeId], preds: &Preds, kind: Kind) -> Chains {
        let len = nodes.len();
        let targets = |n: NodeId| link_targets(nodes, n, kind);
        let mut c = Chains {
            inner: vec![false; len],
            chain: vec![NONE; len],
            heads: Vec::new(),
            next_same: Vec::new(),
            first_same: HashMap::default(),
            runs: Runs {
                pos: Vec::new(),
                at: Vec::new(),
                words: Vec::new(),
                summary: Vec::new(),
            },
        };
        for &head in order {
            if c.chain[head as usize] != NONE {
                continue;
            }
            let Some((mut link, shared)) = targets(head) else {
                continue;
            };
            c.chain[head as usize] = head;
            let mut members = 1;
            // A member shares the target, and only the chain leads to it.
            while preds.of(link).len() == 1
                && let Some((next, s)) = targets(link)
                && s == shared
            {
                c.chain[link as usize] = head;
                c.inner[link as usize] = true;
                members += 1;
                link = next;
            }
            if members > 1 {
                c.heads.push(head);
            }
        }
        c
    }

    /// Lists each chain's tests on each value in order (`next_same`,
    /// `first_same`) and marks where their runs end, for the pulls of
    /// [`Graph::pull_passes`] and [`Graph::pull_all`]; before any move.
    fn index(&mut self, nodes: &Relink<'_>, val: &[u32], kind: Kind) {
        let len = nodes.len();
        let targets = |n: NodeId| link_targets(nodes, n, kind);
        self.next_same = vec![NONE; len];
        self.runs.pos = vec![NONE; len];
        let mut members: Vec<(u32, NodeId)> = Vec::new();
        for &head in &self.heads {
            members.clear();
            let mut n = head;
            loop {
                members.push((val[n as usize], n));
                match targets(n) {
                    Some((link, _)) if self.chain.get(link as usize) == Some(&head) => n = link,
                    _ => break,
                }
            }
            // Each value's tests together, in chain order.
            members.sort_by_key(|&(v, _)| v);
            for (i, &(v, n)) in members.iter().enumerate() {
                self.runs.pos[n as usize] = self.runs.at.len() as u32;
                self.runs.at.push(n);
                match members.get(i + 1) {
                    Some(&(w, next)) if w == v => self.next_same[n as usize] = next,
                    _ => {}
                }
                if i == 0 || members[i - 1].0 != v {
                    self.first_same.insert((head, v), n);
                }
            }
        }
        let words = self.runs.at.len().div_ceil(64);
        self.runs.words = vec![0; words];
        self.runs.summary = vec![0; words.div_ceil(64) + 1];
        for i in 0..self.runs.at.len() {
            let n = self.runs.at[i];
            let ends = targets(n).unwrap().0 != self.next_same[n as usize];
            self.runs.set(n, ends);
        }
    }
}

/// `(link, shared)` targets of branch `n` for chains of `kind`.
fn link_targets(nodes: &Relink<'_>, n: NodeId, kind: Kind) -> Option<(NodeId, NodeId)> {
    match *nodes.node(n) {
        Node::Branch { t, f, .. } => Some(match kind {
            Kind::Or => (f, t),
            Kind::And => (t, f),
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{ACCEPT, CmpOp, Cond, REJECT};

    /// `ethertype == 0x800` then an or-chain of `(offset, key)` tests.
    fn chain(tests: &[(u32, u32)]) -> Cfg {
        let mut cfg = Cfg::new();
        let mut next = REJECT;
        for &(off, k) in tests.iter().rev() {
            next = cfg.add(Node::Branch {
                cond: Cond {
                    op: CmpOp::Eq,
                    lhs: Val::load(4, off),
                    rhs: Val::Const(k),
                },
                t: ACCEPT,
                f: next,
            });
        }
        cfg.root = cfg.add(Node::Branch {
            cond: Cond {
                op: CmpOp::Eq,
                lhs: Val::load(2, 12),
                rhs: Val::Const(0x800),
            },
            t: next,
            f: REJECT,
        });
        cfg
    }

    /// The `(offset, key)` tests along the false branches from the root's
    /// true branch.
    fn order(cfg: &Cfg) -> Vec<(u32, u32)> {
        let Node::Branch { t, .. } = cfg.node(cfg.root) else {
            panic!()
        };
        let mut n = *t;
        let mut out = Vec::new();
        while let Node::Branch { cond, f, .. } = cfg.node(n) {
            let (Val::Load { off, .. }, Val::Const(k)) = (&cond.lhs, &cond.rhs) else {
                panic!()
            };
            out.push((*off, *k));
            n = *f;
        }
        out
    }

    /// `stays` answers for libpcap's folding without folding: a value it
    /// says stays folds to itself, and the ones that fold are not said to.
    #[test]
    fn stays_only_where_folding_leaves_the_value() {
        use crate::ast::ArithOp;
        let k = |k| Box::new(Val::Const(k));
        let sum = Val::Alu(ArithOp::Add, k(2), k(3));
        let after_header = Val::Load {
            size: 2,
            off: 16,
            index: Some(Box::new(Val::IpHdrLen(14))),
        };
        let through_sum = Val::Load {
            size: 1,
            off: 0,
            index: Some(Box::new(sum.clone())),
        };
        let through_load = Val::Load {
            size: 1,
            off: 0,
            index: Some(Box::new(after_header.clone())),
        };
        for v in [
            Val::Const(1),
            Val::Len,
            Val::load(2, 12),
            after_header,
            through_load,
        ] {
            assert!(stays(&v), "{v:?}");
            assert!(
                matches!(super::super::fold_for(&v, true), Cow::Borrowed(_)),
                "{v:?}"
            );
        }
        for v in [sum, through_sum] {
            assert!(!stays(&v), "{v:?}");
            assert!(
                matches!(super::super::fold_for(&v, true), Cow::Owned(_)),
                "{v:?}"
            );
        }
    }

    #[test]
    fn groups_or_chain_by_value_in_order_of_first_appearance() {
        let mut cfg = chain(&[(26, 1), (30, 1), (26, 2), (30, 2), (26, 3), (30, 3)]);
        let topo = cfg.topo_order();
        pullup(&mut cfg, &topo);
        assert_eq!(
            order(&cfg),
            [(26, 1), (26, 2), (26, 3), (30, 1), (30, 2), (30, 3)]
        );
    }

    #[test]
    fn shared_nodes_are_not_moved() {
        // The second `dst` test is also reached from elsewhere: libpcap
        // pulls only tests the chain's head dominates.
        let mut cfg = chain(&[(26, 1), (30, 1), (26, 2)]);
        let Node::Branch { t, .. } = *cfg.node(cfg.root) else {
            panic!()
        };
        let Node::Branch { f: second, .. } = *cfg.node(t) else {
            panic!()
        };
        let Node::Branch { f: third, .. } = *cfg.node(second) else {
            panic!()
        };
        let root = cfg.root;
        cfg.root = cfg.add(Node::Branch {
            cond: Cond {
                op: CmpOp::Gt,
                lhs: Val::Len,
                rhs: Val::Const(60),
            },
            t: root,
            f: third,
        });
        let before = cfg.nodes().to_vec();
        let topo = cfg.topo_order();
        pullup(&mut cfg, &topo);
        assert_eq!(cfg.nodes(), before);
    }

    /// The pass as the module's documentation states it, walking the
    /// chains at every pull: what the constant-time bookkeeping must give.
    fn walking_pullup(cfg: &mut Cfg) {
        let order = cfg.topo_order();
        let (val, uses_var) = values(cfg, &order);
        let root = cfg.root;
        cfg.relink(|nodes| {
            let mut g = Graph::new(nodes, &order, val, uses_var, root);
            g.editable();
            for _ in 0..MAX_PASSES {
                let mut changed = false;
                for b in g.bottom_up() {
                    changed |= walking_pull(&mut g, b, Kind::Or);
                    changed |= walking_pull(&mut g, b, Kind::And);
                }
                if !changed {
                    break;
                }
            }
        });
    }

    fn walking_pull(g: &mut Graph, b: NodeId, kind: Kind) -> bool {
        let preds: Vec<NodeId> = g.preds[b as usize].iter().map(|&(p, _)| p).collect();
        let Some(&first) = preds.first() else {
            return false;
        };
        let v = g.val[first as usize];
        if v == NONE
            || preds.iter().any(|&p| g.val[p as usize] != v)
            || (g.uses_var[v as usize] && preds.iter().any(|&p| p != first))
        {
            return false;
        }
        let Some((_, shared)) = g.targets(b, kind) else {
            return false;
        };
        let member = |g: &Graph, n: NodeId| {
            g.targets(n, kind).is_some_and(|(_, s)| s == shared)
                && (n == b || g.preds[n as usize].len() == 1)
        };
        let (mut run_end, mut diff) = (None, b);
        while member(g, diff) && g.val[diff as usize] == v {
            run_end = Some(diff);
            diff = g.targets(diff, kind).unwrap().0;
        }
        if !member(g, diff) {
            return false;
        }
        let mut same = g.targets(diff, kind).unwrap().0;
        while same != b && member(g, same) && g.val[same as usize] != v {
            same = g.targets(same, kind).unwrap().0;
        }
        if same == b || !member(g, same) {
            return false;
        }
        // The move itself is the one `Graph::pull` makes.
        let link = kind.link_taken();
        let (prev, _) = g.preds[same as usize][0];
        let after = g.targets(same, kind).unwrap().0;
        g.set_edge(prev, link, after);
        match run_end {
            Some(end) => g.set_edge(end, link, same),
            None => {
                for (p, taken) in std::mem::take(&mut g.preds[b as usize]) {
                    g.nodes.set_target(p, taken, same);
                    g.slot[p as usize][taken as usize] = g.preds[same as usize].len() as u32;
                    g.preds[same as usize].push((p, taken));
                }
            }
        }
        g.set_edge(same, link, diff);
        true
    }

    /// A random graph full of or- and and-chains on a few values (some
    /// through a variable), compacted.
    fn random_cfg(rnd: &mut impl FnMut(u64) -> u64) -> Cfg {
        let mut cfg = Cfg::new();
        cfg.vars = 1;
        let mut ids = vec![ACCEPT, REJECT];
        for _ in 0..2 + rnd(40) {
            let near =
                |r: u64, ids: &[NodeId]| ids[ids.len() - 1 - (r as usize % ids.len().min(4))];
            let mut t = near(rnd(8), &ids);
            let mut f = near(rnd(8), &ids);
            if rnd(3) == 0 {
                t = ids[rnd(ids.len() as u64) as usize];
            }
            let last = *ids.last().unwrap();
            if let Node::Branch { t: lt, f: lf, .. } = *cfg.node(last) {
                match rnd(6) {
                    0..=2 => (t, f) = (lt, last),
                    3 => (t, f) = (last, lf),
                    _ => {}
                }
            }
            let node = if rnd(15) == 0 {
                Node::Assign {
                    var: 0,
                    val: Val::load(1, 9),
                    next: t,
                }
            } else {
                let lhs = match rnd(10) {
                    0 => Val::Var(0),
                    _ => Val::load(1, rnd(4) as u32),
                };
                let rhs = Val::Const(rnd(5) as u32);
                Node::Branch {
                    cond: Cond {
                        op: CmpOp::Eq,
                        lhs,
                        rhs,
                    },
                    t,
                    f,
                }
            };
            let id = cfg.add(node);
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        cfg.root = *ids.last().unwrap();
        cfg.compact();
        cfg
    }

    fn xorshift(mut seed: u64) -> impl FnMut(u64) -> u64 {
        move |m: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % m
        }
    }

    /// 3,000 random graphs from `seed`, each numbered, with its
    /// topological order and its values as [`values`] numbers them.
    #[allow(clippy::type_complexity)]
    fn random_graphs(
        seed: u64,
    ) -> impl Iterator<Item = (usize, Cfg, Vec<NodeId>, Vec<u32>, Vec<bool>)> {
        let mut rnd = xorshift(seed);
        (0..3000).map(move |round| {
            let cfg = random_cfg(&mut rnd);
            let order = cfg.topo_order();
            let (val, uses_var) = values(&cfg, &order);
            (round, cfg, order, val, uses_var)
        })
    }

    /// Random graphs: pulling up with the bookkeeping and by walking the
    /// chains gives the same graph.
    #[test]
    fn constant_time_pulls_make_the_walks_moves() {
        let mut rnd = xorshift(0x2545_f491_4f6c_dd1d);
        let mut moved = 0;
        for round in 0..3000 {
            let cfg = random_cfg(&mut rnd);
            let (mut fast, mut walked) = (cfg.clone(), cfg.clone());
            pullup(&mut fast, &cfg.topo_order());
            walking_pullup(&mut walked);
            // (As `optimize` leaves them: without the nodes left unreached.)
            fast.settle();
            walked.settle();
            assert!(fast.nodes() == walked.nodes(), "round {round}: {cfg:?}");
            assert_eq!(fast.root, walked.root, "round {round}");
            moved += usize::from(fast.nodes() != cfg.nodes());
        }
        assert!(moved > 1000, "only {moved} graphs changed");
    }

    /// Random graphs: where `may_move` says no test moves, the pull-up
    /// leaves the graph as it is; where it says one may, one does (unless
    /// the value goes through a variable, where pulls are more careful;
    /// the graphs' chains are too short for its bound on runs).
    #[test]
    fn may_move_tells_which_graphs_change() {
        let (mut still, mut moved) = (0, 0);
        for (round, cfg, order, val, uses_var) in random_graphs(0x6a09_e667_f3bc_c908) {
            let may = may_move(&cfg, &order);
            let mut pulled = cfg.clone();
            let (root, nodes) = (cfg.root, cfg.nodes().len());
            let changed = pulled.relink(|n| {
                let mut g = Graph::new(n, &order, val, uses_var.clone(), root);
                g.pull_all();
                (0..nodes as NodeId).any(|i| g.nodes.node(i) != cfg.node(i))
            });
            if !may {
                assert!(!changed, "round {round}: {cfg:?}");
                still += 1;
            } else if !uses_var.iter().any(|&u| u) {
                assert!(changed, "round {round}: {cfg:?}");
                moved += 1;
            }
        }
        assert!(still > 1000 && moved > 200, "{still} still, {moved} moved");
    }

    /// Random graphs where no chain's head can change: the passes chain by
    /// chain make the same moves as the passes over the whole graph, in
    /// as many passes, and grouping each chain at once gives the same.
    #[test]
    fn chains_alone_make_the_same_moves() {
        let (mut alone, mut moved) = (0, 0);
        for (round, cfg, order, val, uses_var) in random_graphs(0x9e37_79b9_7f4a_7c15) {
            let run = |cfg: &mut Cfg, chainwise: bool| {
                let (val, uses_var, root) = (val.clone(), uses_var.clone(), cfg.root);
                let passes = cfg.relink(|nodes| {
                    let mut g = Graph::new(nodes, &order, val, uses_var, root);
                    match g.heads_stay() {
                        Some(heads) if chainwise => Some(g.pull_passes(&heads)),
                        Some(_) => Some(g.pull_all()),
                        None => None,
                    }
                });
                cfg.settle();
                passes
            };
            let (mut a, mut b) = (cfg.clone(), cfg.clone());
            let passes = run(&mut a, true);
            if passes.is_none() {
                continue;
            }
            alone += 1;
            assert_eq!(passes, run(&mut b, false), "round {round}: {cfg:?}");
            assert!(a.nodes() == b.nodes(), "round {round}: {cfg:?}");
            let mut c = cfg.clone();
            pullup(&mut c, &order);
            c.settle();
            assert!(c.nodes() == b.nodes(), "round {round}: {cfg:?}");
            assert_eq!(a.root, b.root, "round {round}");
            moved += usize::from(a.nodes() != cfg.nodes());
        }
        assert!(
            alone > 1000 && moved > 200,
            "{alone} graphs alone, {moved} changed"
        );
    }

    /// A chain of `(offset, key)` tests on a few values, of `kind`: the
    /// tests' other way goes to accept (an or-chain) or reject.
    fn long_chain(kind: Kind, tests: &[(u32, u32)]) -> Cfg {
        let mut cfg = Cfg::new();
        let (shared, mut next) = match kind {
            Kind::Or => (ACCEPT, REJECT),
            Kind::And => (REJECT, ACCEPT),
        };
        for &(off, k) in tests.iter().rev() {
            let (t, f) = match kind {
                Kind::Or => (shared, next),
                Kind::And => (next, shared),
            };
            let cond = Cond {
                op: CmpOp::Eq,
                lhs: Val::load(4, off),
                rhs: Val::Const(k),
            };
            next = cfg.add(Node::Branch { cond, t, f });
        }
        cfg.root = next;
        cfg
    }

    /// Random long chains: grouping each at once gives the graph the
    /// passes end with, and they end within the bound.
    #[test]
    fn grouping_at_once_ends_where_the_passes_do() {
        let mut rnd = xorshift(0x243f_6a88_85a3_08d3);
        let mut at_once = 0;
        for round in 0..600 {
            let kind = if rnd(2) == 0 { Kind::Or } else { Kind::And };
            let many = rnd(4) == 0;
            let offsets = 1 + rnd(if many { 60 } else { 6 });
            let tests: Vec<(u32, u32)> = (0..2 + rnd(400))
                .map(|_| (4 * rnd(offsets) as u32, rnd(50) as u32))
                .collect();
            let cfg = long_chain(kind, &tests);
            let order = cfg.topo_order();
            let (val, uses_var) = values(&cfg, &order);
            let run = |grouped: bool| {
                let mut out = cfg.clone();
                let (val, uses_var, root) = (val.clone(), uses_var.clone(), cfg.root);
                let passes = out.relink(|nodes| {
                    let mut g = Graph::new(nodes, &order, val, uses_var, root);
                    let heads = g.heads_stay().expect("a lone chain's head stays");
                    if grouped {
                        g.pull_alone(&heads)
                    } else {
                        g.pull_passes(&heads)
                    }
                });
                out.settle();
                (out, passes)
            };
            let ((grouped, bound), (passed, passes)) = (run(true), run(false));
            assert!(
                grouped.nodes() == passed.nodes(),
                "round {round}: {tests:?}"
            );
            assert_eq!(grouped.root, passed.root, "round {round}");
            assert!(passes <= bound, "round {round}: {passes} > {bound}");
            at_once += usize::from(bound <= MAX_PASSES && grouped.nodes() != cfg.nodes());
        }
        assert!(at_once > 300, "only {at_once} chains grouped at once");
    }

    /// `host A1 or ... or host An`'s pull-up takes a number of passes that
    /// grows with log n (each pass costs time in proportion to the graph),
    /// not with n: 100 hosts take 8 passes, 4,000 hosts 13, where the
    /// bound the pull-up gives, grouping the chains at once, is 15 and 25
    /// (the sources' and the destinations' tests, log₂ n each, and one).
    #[test]
    fn passes_grow_logarithmically() {
        let mut passes = Vec::new();
        for n in [100, 4_000] {
            let hosts: Vec<String> = (0..n)
                .map(|i| format!("host 10.{}.{}.{}", i >> 16, (i >> 8) & 255, i & 255))
                .collect();
            let opts = crate::CompileOptions::new(crate::LinkType::EN10MB);
            let expr = hosts.join(" or ");
            let ast = crate::parse::parse(&expr).unwrap();
            let mut cfg = crate::lower::lower(ast.as_ref(), &opts).unwrap().cfg;
            cfg = crate::opt::Threader::run(&cfg, true).unwrap().unwrap();
            let order = cfg.compact();
            passes.push(pullup(&mut cfg, &order));
        }
        assert_eq!(passes, [15, 25]);
    }
}
