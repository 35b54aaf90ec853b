//! The typed intermediate representation shared by every back end: a
//! control-flow graph whose branch nodes test predicates over packet
//! values.
//!
//! Values ([`Val`]) are expressions over the packet: constants, the wire
//! length, big-endian loads at constant or computed offsets, IPv4
//! header-length loads and arithmetic.  A load beyond the captured bytes
//! ends the whole filter with "reject" — the semantics of classic BPF,
//! which every back end keeps — so the order in which the graph performs
//! loads is part of its meaning, and passes must not move a load before a
//! test that could have rejected first.
//!
//! The graph is a DAG: node 0 accepts, node 1 rejects, and every other node
//! either branches on a [`Cond`] or assigns a value to a variable (used for
//! link-layer header lengths that must be computed at run time, such as
//! radiotap's, and for tunnel offsets such as Geneve's).
//!
//! Outside this crate the graph is read-only: [`compile_ir`](crate::compile_ir)
//! hands out a finished [`Cfg`] for a back end to walk (the XDP templates
//! of `bpfcap-xdp` generate from it), and only the compiler's own passes
//! build and rewrite one, so the hash-consing index cannot go stale.

use rustc_hash::FxHasher;
use std::fmt;
use std::hash::{Hash, Hasher};

pub use crate::ast::ArithOp;

/// Index of a node in [`Cfg::nodes`]; ids are only meaningful for the
/// graph that handed them out.
pub type NodeId = u32;

/// The node that accepts the packet.
pub const ACCEPT: NodeId = 0;
/// The node that rejects the packet.
pub const REJECT: NodeId = 1;

/// A run-time variable, stored in a scratch memory word by the cBPF back
/// end (and on the stack by the eBPF one); at most [`MAX_VARS`].
pub type VarId = u8;

/// A 32-bit value computed from the packet.
#[derive(Clone, PartialEq, Eq)]
pub enum Val {
    /// A constant: numbers in the expression, and offsets folded by the
    /// passes.
    Const(u32),
    /// The packet's length on the wire.
    Len,
    /// `size` (1, 2 or 4) bytes, big-endian, at `index + off`.
    Load {
        /// Width of the load in bytes: 1, 2 or 4.
        size: u8,
        /// Constant part of the offset from the start of the packet.
        off: u32,
        /// Run-time part of the offset (a header length, a variable),
        /// `None` for a load at a fixed offset.
        index: Option<Box<Val>>,
    },
    /// `4 * (packet[off] & 0x0f)`: an IPv4 header length (`ldx msh`).
    IpHdrLen(u32),
    /// The current value of a variable assigned by an [`Node::Assign`].
    Var(VarId),
    /// 32-bit arithmetic as classic BPF does it (wrapping; division and
    /// modulo by a run-time zero reject the packet).
    Alu(ArithOp, Box<Val>, Box<Val>),
    /// Two's complement negation (`-x` in the filter language).
    Neg(Box<Val>),
    /// What the capture knows about the packet besides its bytes (only
    /// in programs compiled for a [`PacketSource`](crate::PacketSource)
    /// that has it); reading it never rejects.
    Meta(Meta),
}

/// Packet metadata a filter can read, as Linux's socket filters do with
/// ancillary loads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Meta {
    /// The packet type (`SKF_AD_PKTTYPE`, `__sk_buff->pkt_type`):
    /// `PACKET_OUTGOING` (4) for a packet the host sent.
    PktType,
    /// The interface's index (`SKF_AD_IFINDEX`, `__sk_buff->ifindex`,
    /// `xdp_md->ingress_ifindex`; a pcapng record's interface id).
    IfIndex,
}

impl Val {
    /// A load at a constant offset.
    pub(crate) fn load(size: u8, off: u32) -> Val {
        Val::Load {
            size,
            off,
            index: None,
        }
    }

    /// A load at `index + off`; folds a constant index into the offset.
    pub(crate) fn load_at(size: u8, index: Option<Val>, off: u32) -> Val {
        match index {
            None => Val::load(size, off),
            Some(Val::Const(k)) => Val::load(size, off.wrapping_add(k)),
            Some(Val::Alu(ArithOp::Add, a, b)) if matches!(*b, Val::Const(_)) => {
                let Val::Const(k) = *b else { unreachable!() };
                Val::Load {
                    size,
                    off: off.wrapping_add(k),
                    index: Some(a),
                }
            }
            Some(i) => Val::Load {
                size,
                off,
                index: Some(Box::new(i)),
            },
        }
    }

    /// `a op b`, boxing the operands.
    pub(crate) fn alu(op: ArithOp, a: Val, b: Val) -> Val {
        Val::Alu(op, Box::new(a), Box::new(b))
    }

    /// `a + k`, folding constants.
    pub(crate) fn plus(a: Val, k: u32) -> Val {
        match a {
            Val::Const(c) => Val::Const(c.wrapping_add(k)),
            _ if k == 0 => a,
            Val::Alu(ArithOp::Add, x, y) if matches!(*y, Val::Const(_)) => {
                let Val::Const(c) = *y else { unreachable!() };
                Val::alu(ArithOp::Add, *x, Val::Const(c.wrapping_add(k)))
            }
            a => Val::alu(ArithOp::Add, a, Val::Const(k)),
        }
    }

    /// Whether evaluating the value reads packet bytes (and so may reject).
    pub fn reads_packet(&self) -> bool {
        match self {
            Val::Const(_) | Val::Len | Val::Var(_) | Val::Meta(_) => false,
            Val::Load { .. } | Val::IpHdrLen(_) => true,
            Val::Alu(_, a, b) => a.reads_packet() || b.reads_packet(),
            Val::Neg(a) => a.reads_packet(),
        }
    }

    /// Whether the value owns heap memory (a boxed operand or index).
    fn owns_heap(&self) -> bool {
        matches!(
            self,
            Val::Load { index: Some(_), .. } | Val::Alu(..) | Val::Neg(_)
        )
    }

    /// Whether the value depends on variable `v`.
    pub fn uses_var(&self, v: VarId) -> bool {
        self.uses_var_where(&|x| x == v)
    }

    /// Whether the value depends on any variable.
    pub fn uses_any_var(&self) -> bool {
        self.uses_var_where(&|_| true)
    }

    fn uses_var_where(&self, which: &impl Fn(VarId) -> bool) -> bool {
        match self {
            Val::Var(x) => which(*x),
            Val::Const(_) | Val::Len | Val::IpHdrLen(_) | Val::Meta(_) => false,
            Val::Load { index, .. } => index.as_ref().is_some_and(|i| i.uses_var_where(which)),
            Val::Alu(_, a, b) => a.uses_var_where(which) || b.uses_var_where(which),
            Val::Neg(a) => a.uses_var_where(which),
        }
    }
}

/// Hashed by hand, as one word made without recursion: the derived
/// hash walked the whole value and fed the hasher each discriminant and
/// field on its own, about 60 instructions a value and a quarter of
/// `Cfg::add`'s time. The word takes the value's tag and small fields
/// and those of its operands' top; values that differ only deeper down
/// (rare: in a computed offset's own offset) share a word, which equality
/// then tells apart.
impl Hash for Val {
    #[inline]
    fn hash<H: Hasher>(&self, h: &mut H) {
        h.write_u64(self.hash_word());
    }
}

impl Val {
    /// The value's tag and small fields, not its operands.
    #[inline(always)]
    fn top_word(&self) -> u64 {
        const TAG: u32 = 56;
        match self {
            Val::Const(k) => u64::from(*k),
            Val::Len => 1 << TAG,
            Val::Load { size, off, index } => {
                (2 + u64::from(index.is_some())) << TAG | u64::from(*size) << 32 | u64::from(*off)
            }
            Val::IpHdrLen(off) => 4 << TAG | u64::from(*off),
            Val::Var(x) => 5 << TAG | u64::from(*x),
            Val::Alu(op, ..) => 6 << TAG | *op as u64,
            Val::Neg(_) => 7 << TAG,
            Val::Meta(m) => 8 << TAG | *m as u64,
        }
    }

    /// What [`Val`]'s hash writes: [`Val::top_word`], mixed with its
    /// operands'. Always inlined: it is a few instructions, and a call
    /// in each [`Cfg::add`] cost more.
    #[inline(always)]
    fn hash_word(&self) -> u64 {
        self.hash_parts().0
    }

    /// [`Val::hash_word`], and whether the value owns heap memory
    /// ([`Val::owns_heap`]: the values whose word mixes in their
    /// operands' are those that box them), told by the one `match`.
    #[inline(always)]
    fn hash_parts(&self) -> (u64, bool) {
        let top = self.top_word();
        let below = |v: &Val| v.top_word().rotate_left(23);
        match self {
            Val::Load { index: Some(i), .. } => (top ^ below(i), true),
            Val::Alu(_, a, b) => (top ^ below(a) ^ below(b).rotate_left(17), true),
            Val::Neg(a) => (top ^ below(a), true),
            _ => (top, false),
        }
    }
}

impl fmt::Debug for Val {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Val::Const(k) => write!(f, "{k:#x}"),
            Val::Len => f.write_str("len"),
            Val::Load { size, off, index } => match index {
                Some(i) => write!(f, "P[{i:?}+{off}:{size}]"),
                None => write!(f, "P[{off}:{size}]"),
            },
            Val::IpHdrLen(off) => write!(f, "4*(P[{off}]&0xf)"),
            Val::Var(v) => write!(f, "v{v}"),
            Val::Alu(op, a, b) => write!(f, "({a:?} {op:?} {b:?})"),
            Val::Neg(a) => write!(f, "-{a:?}"),
            Val::Meta(m) => write!(f, "{m:?}"),
        }
    }
}

/// A comparison, as classic BPF's conditional jumps do them: unsigned,
/// `lhs OP rhs`.  The other relations are these with the branches swapped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CmpOp {
    /// `lhs == rhs` (`jeq`).
    Eq,
    /// `lhs > rhs`, unsigned (`jgt`).
    Gt,
    /// `lhs >= rhs`, unsigned (`jge`).
    Ge,
    /// `lhs & rhs != 0`
    Set,
    /// `lhs` is a member of a named set: `rhs` is a constant, the
    /// [`SetMap::code`](crate::sets::SetMap::code) of the set's members
    /// of one family. For an IPv6 family `lhs` loads the address's first
    /// word, and the member is the 16 bytes from there. No back end
    /// compares: the classic one expands the test into a comparison tree
    /// over the set's contents, the eBPF one looks the value up in a map.
    In,
}

impl CmpOp {
    /// Evaluates the comparison on known values; a set membership
    /// ([`CmpOp::In`]) needs the set, and is never known here (false).
    pub fn eval(self, a: u32, b: u32) -> bool {
        match self {
            CmpOp::In => false,
            CmpOp::Eq => a == b,
            CmpOp::Gt => a > b,
            CmpOp::Ge => a >= b,
            CmpOp::Set => a & b != 0,
        }
    }
}

/// A predicate: `lhs OP rhs`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Cond {
    /// The relation tested.
    pub op: CmpOp,
    /// The value compared, usually read from the packet; back ends
    /// evaluate it into the accumulator.
    pub lhs: Val,
    /// What it is compared with, usually a constant (the `k` of a jump).
    pub rhs: Val,
}

impl Cond {
    /// Whether a branch on this condition whose ways lead to `t` and `f`
    /// is no branch at all: both ways agree, and its test cannot reject
    /// by reading past the packet (a branch that reads the packet is kept).
    pub(crate) fn decides_nothing(&self, t: NodeId, f: NodeId) -> bool {
        t == f && !self.lhs.reads_packet() && !self.rhs.reads_packet()
    }

    /// What a pass that moves a condition out of its place leaves there
    /// (nothing to drop).
    pub(crate) const MOVED: Cond = Cond {
        op: CmpOp::Eq,
        lhs: Val::Const(0),
        rhs: Val::Const(0),
    };
}

/// A node of the graph.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Node {
    /// The filter matches: the back end returns the snapshot length (or
    /// its target's "match" verdict).
    Accept,
    /// The filter does not match.
    Reject,
    /// Go to `t` if the predicate holds, else to `f`.
    Branch {
        /// The predicate tested.
        cond: Cond,
        /// Where to go when it holds.
        t: NodeId,
        /// Where to go when it does not.
        f: NodeId,
    },
    /// Set a variable, then go on to `next`.
    Assign {
        /// The variable set.
        var: VarId,
        /// Its new value, evaluated here (so loads in it may reject here).
        val: Val,
        /// The node that follows.
        next: NodeId,
    },
}

/// Hashed by hand (see [`Val`]'s hash), as one word: a branch's two
/// targets, its relation and its values' words mixed (rotated apart), so
/// that the hasher is fed once.
impl Hash for Node {
    #[inline]
    fn hash<H: Hasher>(&self, h: &mut H) {
        h.write_u64(self.hash_word());
    }
}

impl Node {
    /// Whether the node owns heap memory (a boxed value).
    fn owns_heap(&self) -> bool {
        match self {
            Node::Branch { cond, .. } => cond.lhs.owns_heap() || cond.rhs.owns_heap(),
            Node::Assign { val, .. } => val.owns_heap(),
            Node::Accept | Node::Reject => false,
        }
    }

    /// What [`Node`]'s hash writes.
    fn hash_word(&self) -> u64 {
        self.hash_parts().0
    }

    /// [`Node::hash_word`], and whether the node owns heap memory
    /// ([`Node::owns_heap`], found by the hash's matches).
    #[inline]
    fn hash_parts(&self) -> (u64, bool) {
        match self {
            Node::Accept => (0, false),
            Node::Reject => (1, false),
            Node::Branch { cond, t, f } => {
                let (lhs, l_owns) = cond.lhs.hash_parts();
                let (rhs, r_owns) = cond.rhs.hash_parts();
                let word = (u64::from(*t) << 32 | u64::from(*f))
                    ^ (lhs ^ (2 << 8 | cond.op as u64).rotate_right(8)).rotate_left(21)
                    ^ rhs.rotate_left(42);
                (word, l_owns | r_owns)
            }
            Node::Assign { var, val, next } => {
                let (val, owns) = val.hash_parts();
                let word = u64::from(*next)
                    ^ (val ^ (3 << 8 | u64::from(*var)).rotate_right(8)).rotate_left(21);
                (word, owns)
            }
        }
    }
}

impl Node {
    /// The nodes this one can go to.
    pub fn successors(&self) -> impl Iterator<Item = NodeId> {
        self.ways().into_iter().filter(|&s| s != NO_NODE)
    }

    /// The nodes this one goes to, as [`Node::successors`] gives them
    /// (a branch's true way first), then [`NO_NODE`]s: a fixed-size array
    /// for the graph walks' inner loops, without an iterator.
    #[inline]
    pub(crate) fn ways(&self) -> [NodeId; 2] {
        match *self {
            Node::Branch { t, f, .. } => [t, f],
            Node::Assign { next, .. } => [next, NO_NODE],
            Node::Accept | Node::Reject => [NO_NODE; 2],
        }
    }
}

/// How many variables a program can have: classic BPF keeps them in its
/// 16 scratch memory words (`BPF_MEMWORDS`, [`cbpf::insn::MEMWORDS`]),
/// and libpcap refuses expressions needing more registers than that, so
/// every back end does. Stated here rather than taken from the back end,
/// so that the IR depends on no back end; the cBPF code generator checks
/// at compile time that its scratch memory holds this many.
///
/// [`cbpf::insn::MEMWORDS`]: crate::cbpf::insn::MEMWORDS
pub const MAX_VARS: u32 = 16;

/// A filter program: a DAG of nodes with one root.
///
/// Nodes are hash-consed as the compiler adds them: adding a node equal to
/// an existing one returns the existing id, so equal sub-graphs are shared
/// (and a back end that emits each node once emits shared code once).
///
/// A back end walks it from the root, for instance in
/// [topological order](Cfg::topo_order):
///
/// ```
/// use bpfcap_filter::ir::{CmpOp, Node, Val};
/// use bpfcap_filter::{CompileOptions, LinkType, compile_ir};
///
/// let cfg = compile_ir("ip", &CompileOptions::new(LinkType::EN10MB)).unwrap();
/// let tests: Vec<_> = cfg
///     .topo_order()
///     .into_iter()
///     .filter_map(|id| match cfg.node(id) {
///         Node::Branch { cond, .. } => Some(cond),
///         _ => None,
///     })
///     .collect();
/// // One test: the ethertype (2 bytes at offset 12) is IPv4's.
/// assert_eq!(tests.len(), 1);
/// assert_eq!(tests[0].op, CmpOp::Eq);
/// let ethertype = Val::Load { size: 2, off: 12, index: None };
/// assert_eq!((&tests[0].lhs, &tests[0].rhs), (&ethertype, &Val::Const(0x800)));
/// ```
#[derive(Clone, Debug)]
pub struct Cfg {
    /// Private so that only [`Cfg::add`] and [`Cfg::relink`] change nodes:
    /// both keep `index` and `same_hash` in step with them.
    nodes: Vec<Node>,
    /// The node the filter starts at.
    pub(crate) root: NodeId,
    /// Number of variables used by `Assign` nodes.
    pub(crate) vars: u8,
    /// Hash-consing index: an open-addressing table of node ids
    /// ([`NO_NODE`] for a free slot; a power of two long, at most half
    /// full, probed slot after slot), and each indexed node's hash, which
    /// is compared before the node and needs no computing again when the
    /// table grows. Nodes are not stored twice (as keys), so adding costs
    /// no clone; and one probe finds a node or the slot for it, where a
    /// general hash map's was about a third of adding a node.
    slots: Vec<NodeId>,
    hashes: Vec<u64>,
    /// How many of `nodes` (the first ones) are in `index`: [`Cfg::compact`]
    /// leaves the index empty, and [`Cfg::add`] catches up, so graphs that
    /// no pass adds to after compaction are never indexed twice.
    indexed: usize,
    /// The root [`Cfg::compact`] left, while no node was added since:
    /// then the nodes other than the verdicts are all reachable, and in
    /// topological order from the last to the third ([`Cfg::inner_order`]
    /// needs no walk). [`NO_NODE`] otherwise.
    compacted_root: NodeId,
    /// Whether some node may own heap memory (a boxed value): where none
    /// does (graphs of addresses and fixed-offset loads, such as a long
    /// `host` list's), the node list is freed without a visit to each
    /// node ([`forget_nodes`]), which dropping the graphs of a long list
    /// spent about a million instructions on.
    owns_heap: bool,
    /// Whether a [relinking](Cfg::relink) left the nodes as it edited
    /// them, some perhaps no longer reached ([`Cfg::settle`]).
    unsettled: bool,
    /// The root [`Cfg::compact`] or [`Cfg::map_values`] left, while no
    /// node was added since: then every node other than the verdicts is
    /// reachable (and, as in every graph, after its successors), so the
    /// ids from the last down are a topological order
    /// ([`Cfg::any_topo_order`]). [`NO_NODE`] otherwise.
    reached_root: NodeId,
}

/// No node: the end of a chain of nodes with equal hashes, a missing way
/// in [`Node::ways`].
pub(crate) const NO_NODE: NodeId = NodeId::MAX;

/// The index's table for `nodes` nodes: at most half full.
fn slots_for(nodes: usize) -> usize {
    (2 * nodes).next_power_of_two().max(8)
}

/// The hash of `node` in the index, and whether it owns heap memory.
#[inline]
fn node_hash(node: &Node) -> (u64, bool) {
    let (word, owns_heap) = node.hash_parts();
    let mut h = FxHasher::default();
    h.write_u64(word);
    (h.finish(), owns_heap)
}

/// The graph that accepts every packet (what an empty expression
/// compiles to).
impl Default for Cfg {
    fn default() -> Self {
        Cfg::new()
    }
}

impl Cfg {
    /// A graph holding just the accept and reject nodes, rooted at accept.
    pub(crate) fn new() -> Cfg {
        Cfg::with_capacity(0)
    }

    /// [`Cfg::new`] with room for `nodes` nodes (the accept and reject
    /// nodes included): passes that rebuild a graph know about how big
    /// the new one gets, and growing the node list and the hash-consing
    /// index step by step was a tenth of a small filter's compile time.
    pub(crate) fn with_capacity(nodes: usize) -> Cfg {
        let nodes = nodes.max(2);
        let mut cfg = Cfg {
            nodes: Vec::with_capacity(nodes),
            root: ACCEPT,
            vars: 0,
            slots: vec![NO_NODE; slots_for(nodes)],
            hashes: Vec::with_capacity(nodes),
            indexed: 0,
            compacted_root: NO_NODE,
            owns_heap: false,
            unsettled: false,
            reached_root: NO_NODE,
        };
        cfg.add(Node::Accept);
        cfg.add(Node::Reject);
        cfg
    }

    /// A graph of `nodes` (accept and reject first), all distinct, as a
    /// pass that hash-consed them its own way built them: they are
    /// hashed only if a node is added later ([`Cfg::add`] catches up).
    pub(crate) fn from_distinct(nodes: Vec<Node>, root: NodeId, vars: u8) -> Cfg {
        debug_assert!(matches!(nodes[..2], [Node::Accept, Node::Reject]));
        Cfg {
            owns_heap: nodes.iter().any(Node::owns_heap),
            unsettled: false,
            nodes,
            root,
            vars,
            slots: Vec::new(),
            hashes: Vec::new(),
            indexed: 0,
            compacted_root: NO_NODE,
            reached_root: NO_NODE,
        }
    }

    /// Adds a node, or finds the equal node already there. A branch that
    /// [decides nothing](Cond::decides_nothing) is not added: its one
    /// target stands for it.
    pub(crate) fn add(&mut self, node: Node) -> NodeId {
        if let Node::Branch { ref cond, t, f } = node
            && cond.decides_nothing(t, f)
        {
            return t;
        }
        if self.indexed < self.nodes.len() {
            self.index_all();
        }
        let id = self.nodes.len() as NodeId;
        if 2 * (self.nodes.len() + 1) > self.slots.len() {
            self.grow_index();
        }
        // One probe of the index, whether the node is found or added.
        let (hash, owns_heap) = node_hash(&node);
        let mask = self.slots.len() - 1;
        let mut i = hash as usize & mask;
        loop {
            let at = self.slots[i];
            if at == NO_NODE {
                break;
            }
            if self.hashes[at as usize] == hash && self.nodes[at as usize] == node {
                return at;
            }
            i = (i + 1) & mask;
        }
        self.slots[i] = id;
        self.hashes.push(hash);
        self.owns_heap |= owns_heap;
        self.nodes.push(node);
        self.indexed = self.nodes.len();
        self.compacted_root = NO_NODE;
        self.reached_root = NO_NODE;
        id
    }

    /// Puts the nodes not yet in the hash-consing index there (all of them
    /// distinct: they come from a compaction of distinct nodes).
    #[cold]
    fn index_all(&mut self) {
        let hash = |n| node_hash(n).0;
        self.hashes
            .extend(self.nodes[self.indexed..].iter().map(hash));
        self.indexed = self.nodes.len();
        self.rehash(slots_for(self.nodes.len() + 1));
    }

    /// Doubles the index's table (or makes a first one).
    #[cold]
    fn grow_index(&mut self) {
        self.rehash(slots_for(self.nodes.len() + 1).max(2 * self.slots.len()));
    }

    /// Lays the indexed nodes out again in a table of `len` slots.
    fn rehash(&mut self, len: usize) {
        self.slots.clear();
        self.slots.resize(len, NO_NODE);
        let mask = len - 1;
        for (id, &hash) in self.hashes.iter().enumerate() {
            let mut i = hash as usize & mask;
            while self.slots[i] != NO_NODE {
                i = (i + 1) & mask;
            }
            self.slots[i] = id as NodeId;
        }
    }

    /// Whether every packet is rejected: the root is [`REJECT`] or only
    /// loads lead there (branches whose two ways agree, kept because a
    /// load can fail; libpcap keeps such loads too, and still reports the
    /// filter as rejecting everything).
    pub(crate) fn rejects_all(&self) -> bool {
        let mut n = self.root;
        while let Node::Branch { t, f, .. } = self.node(n)
            && t == f
        {
            n = *t;
        }
        n == REJECT
    }

    /// A fresh variable, or `None` when all [`MAX_VARS`] are taken.
    pub(crate) fn new_var(&mut self) -> Option<VarId> {
        if u32::from(self.vars) >= MAX_VARS {
            return None;
        }
        self.vars += 1;
        Some(self.vars - 1)
    }

    /// The node with id `id`.
    ///
    /// # Panics
    ///
    /// If `id` is not a node of this graph.
    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id as usize]
    }

    /// All nodes, indexed by [`NodeId`]; some may be unreachable from the
    /// [root](Cfg::root) until the graph is compacted (every finished
    /// graph from [`compile_ir`](crate::compile_ir) is).
    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    /// The node the filter starts at ([`ACCEPT`] or [`REJECT`] when the
    /// verdict does not depend on the packet).
    pub fn root(&self) -> NodeId {
        self.root
    }

    /// How many variables the `Assign` nodes use (ids `0..vars`), so a
    /// back end can reserve their storage up front.
    pub fn vars(&self) -> u8 {
        self.vars
    }

    /// Lets `edit` relink edges of existing nodes in place — for passes
    /// such as `opt::pullup` that move tests within a chain, where
    /// rebuilding the graph after every move would cost too much — then
    /// rebuilds the graph, and with it the hash-consing index, if any edge
    /// was changed. Nodes cannot be added or replaced this way, so the
    /// index is never stale: there is no way to keep the edited nodes
    /// without the rebuild.
    ///
    /// Where no relinked branch became equal to another node (nor a
    /// branch whose two ways agree), adding the nodes again would merge
    /// nothing, and the nodes stay as edited, without hashing each one
    /// (which was most of the rebuild of a long list's graph): only the
    /// index is left to be made again, and the nodes no longer reached
    /// to [`Cfg::settle`] (or to the next pass that rebuilds the graph
    /// anyway, as the comparison trees' does).
    pub(crate) fn relink<T>(&mut self, edit: impl FnOnce(&mut Relink<'_>) -> T) -> T {
        let mut relink = Relink {
            nodes: &mut self.nodes,
            relinked: Vec::new(),
        };
        let out = edit(&mut relink);
        let relinked = relink.relinked;
        if !relinked.is_empty() {
            if self.relinked_may_merge(&relinked) {
                self.rebuild();
            } else {
                self.slots.clear();
                self.hashes.clear();
                self.indexed = 0;
                self.compacted_root = NO_NODE;
                self.reached_root = NO_NODE;
                self.unsettled = true;
            }
        }
        out
    }

    /// Compacts the graph if a [relinking](Cfg::relink) left nodes in
    /// place that may no longer be reached, so that it has none.
    pub(crate) fn settle(&mut self) {
        if self.unsettled {
            self.compact();
        }
    }

    /// Whether adding the nodes again, after the branches `relinked`
    /// (some perhaps more than once) were relinked, could merge two of
    /// them or drop one.
    ///
    /// The nodes were distinct before (every graph's are), and so stay
    /// those whose edges did not change. Adding them again bottom-up, the
    /// first merge would be of two nodes whose successors were not
    /// merged, so equal as they are now: one of them relinked, the other
    /// with the same targets. So the relinked branches are listed by
    /// their false targets, and every branch compared with those that
    /// share its targets: one pass, with a comparison or two, where the
    /// rebuild hashes every node. (Nodes no longer reached count too: a
    /// merge they seem to make only costs the rebuild.) A relinked branch
    /// whose two ways agree may be one that adding drops, as would be any
    /// branch that decides nothing.
    fn relinked_may_merge(&self, relinked: &[NodeId]) -> bool {
        // The relinked branches by false target: the first at `by_f[f]`,
        // the next at `next[x]` (each once: `UNLISTED` until listed).
        const UNLISTED: NodeId = NO_NODE - 1;
        let len = self.nodes.len();
        let mut by_f = vec![NO_NODE; len];
        let mut next = vec![UNLISTED; len];
        for &x in relinked {
            let Node::Branch { t, f, .. } = self.nodes[x as usize] else {
                continue;
            };
            if t == f {
                return true;
            }
            if next[x as usize] == UNLISTED {
                next[x as usize] = by_f[f as usize];
                by_f[f as usize] = x;
            }
        }
        self.nodes.iter().enumerate().any(|(y, node)| {
            let Node::Branch { ref cond, t, f } = *node else {
                return false;
            };
            // (Passes that build graphs their own way make none that
            // adding drops; made sure of here for the price of a compare.)
            if cond.decides_nothing(t, f) {
                return true;
            }
            let mut x = by_f[f as usize];
            while x != NO_NODE {
                if x as usize != y && self.nodes[x as usize] == *node {
                    return true;
                }
                x = next[x as usize];
            }
            false
        })
    }

    /// The nodes reachable from the root, each after all its predecessors
    /// (a topological order starting at the root).
    pub fn topo_order(&self) -> Vec<NodeId> {
        let n = self.nodes.len();
        // In-degrees from the reachable nodes; a node other than the root
        // is reached the first time its count leaves zero (nothing leads
        // back to the root of a DAG).
        let mut indeg = vec![0u32; n];
        // One buffer (one allocation) for the nodes waiting to be walked,
        // a stack from the front, then for the order, from the front, and
        // the nodes ready to follow, a stack from the back: each use
        // holds at most the nodes reached, and the second two together
        // too, so they never meet.
        let mut buf = vec![0 as NodeId; n];
        buf[0] = self.root;
        let mut waiting = 1;
        while waiting > 0 {
            waiting -= 1;
            let id = buf[waiting];
            for s in self.nodes[id as usize].ways() {
                if s == NO_NODE {
                    break;
                }
                let d = &mut indeg[s as usize];
                if *d == 0 {
                    buf[waiting] = s;
                    waiting += 1;
                }
                *d += 1;
            }
        }
        let mut len = 0;
        let mut ready = n - 1;
        buf[ready] = self.root;
        while ready < n {
            let id = buf[ready];
            ready += 1;
            buf[len] = id;
            len += 1;
            // The false way first, so that the true one comes out first.
            let [t, f] = self.nodes[id as usize].ways();
            for s in [f, t] {
                if s != NO_NODE {
                    let d = &mut indeg[s as usize];
                    *d -= 1;
                    if *d == 0 {
                        ready -= 1;
                        buf[ready] = s;
                    }
                }
            }
        }
        buf.truncate(len);
        buf
    }

    /// [`Cfg::topo_order`] without the verdicts ([`ACCEPT`], [`REJECT`]):
    /// the order code is laid out in. Read off the numbering when the
    /// graph is as [`Cfg::compact`] left it (the last pass of most
    /// optimized graphs), instead of walking it again.
    pub(crate) fn inner_order(&self) -> Vec<NodeId> {
        if self.compacted_root == self.root {
            // Compaction numbers the nodes after their successors, in
            // the reverse of the order it walked them in, and the walk's
            // order depends on the shape alone.
            return (2..self.nodes.len() as NodeId).rev().collect();
        }
        let mut order = self.topo_order();
        order.retain(|&n| n != ACCEPT && n != REJECT);
        order
    }

    /// A topological order of the nodes reachable from the root, for a
    /// pass whose result does not depend on which: read off the ids when
    /// the graph is as [`Cfg::compact`] or [`Cfg::map_values`] left it
    /// (the verdicts come last then, reachable or not, and have no
    /// successors), else [`Cfg::topo_order`].
    pub(crate) fn any_topo_order(&self) -> Vec<NodeId> {
        if self.reached_root == self.root {
            return (0..self.nodes.len() as NodeId).rev().collect();
        }
        self.topo_order()
    }

    /// Keeps only the nodes reachable from the root, renumbered as
    /// [`Cfg::rebuild`] numbers them, so later passes do not see dead
    /// nodes. Every node came from [`Cfg::add`] (no [`Cfg::relink`] since),
    /// so the nodes are distinct and stay so: none needs hashing now.
    ///
    /// Returns the new graph's [`Cfg::topo_order`] (the old order
    /// renumbered: the shape is the same), for a next pass that would
    /// otherwise walk the graph again to find it.
    pub(crate) fn compact(&mut self) -> Vec<NodeId> {
        let mut order = self.topo_order();
        let mut old = std::mem::take(&mut self.nodes);
        let mut nodes = Vec::with_capacity(order.len().max(2));
        nodes.extend([Node::Accept, Node::Reject]);
        let mut map = vec![NO_NODE; old.len()];
        for &id in order.iter().rev() {
            let new = match std::mem::replace(&mut old[id as usize], Node::Accept) {
                Node::Accept => ACCEPT,
                Node::Reject => REJECT,
                Node::Branch { cond, t, f } => {
                    nodes.push(Node::Branch {
                        cond,
                        t: map[t as usize],
                        f: map[f as usize],
                    });
                    (nodes.len() - 1) as NodeId
                }
                Node::Assign { var, val, next } => {
                    nodes.push(Node::Assign {
                        var,
                        val,
                        next: map[next as usize],
                    });
                    (nodes.len() - 1) as NodeId
                }
            };
            map[id as usize] = new;
        }
        forget_nodes(old, self.owns_heap);
        self.root = map[self.root as usize];
        self.nodes = nodes;
        self.slots.clear();
        self.hashes.clear();
        self.indexed = 0;
        self.compacted_root = self.root;
        self.unsettled = false;
        self.reached_root = self.root;
        for id in &mut order {
            *id = map[*id as usize];
        }
        order
    }

    /// Rebuilds the graph keeping only the nodes reachable from the root,
    /// renumbered, and adds them again, merging those a relinking made
    /// equal.
    fn rebuild(&mut self) {
        self.map_values(|v| v);
    }

    /// [`Cfg::rebuild`], with every value of the graph (tested values,
    /// what they are compared with, what variables are assigned)
    /// rewritten by `map_val` — as libpcap's last optimizer loop rewrites
    /// statements before it merges the blocks that became equal.
    pub(crate) fn map_values(&mut self, map_val: impl Fn(Val) -> Val) {
        let order = self.topo_order();
        // Each reachable node is moved (not cloned) into the new graph,
        // after its successors.
        let mut old = std::mem::take(&mut self.nodes);
        let mut fresh = Cfg::with_capacity(order.len());
        fresh.vars = self.vars;
        let mut map = vec![NO_NODE; old.len()];
        for &id in order.iter().rev() {
            let new = match std::mem::replace(&mut old[id as usize], Node::Accept) {
                Node::Accept => ACCEPT,
                Node::Reject => REJECT,
                Node::Branch { cond, t, f } => fresh.add(Node::Branch {
                    cond: Cond {
                        op: cond.op,
                        lhs: map_val(cond.lhs),
                        rhs: map_val(cond.rhs),
                    },
                    t: map[t as usize],
                    f: map[f as usize],
                }),
                Node::Assign { var, val, next } => fresh.add(Node::Assign {
                    var,
                    val: map_val(val),
                    next: map[next as usize],
                }),
            };
            map[id as usize] = new;
        }
        forget_nodes(old, self.owns_heap);
        fresh.root = map[self.root as usize];
        fresh.reached_root = fresh.root;
        *self = fresh;
    }
}

impl Drop for Cfg {
    fn drop(&mut self) {
        forget_nodes(std::mem::take(&mut self.nodes), self.owns_heap);
    }
}

/// Frees a list of nodes: where none owns heap memory (`owns_heap` is
/// false), without visiting each.
fn forget_nodes(mut nodes: Vec<Node>, owns_heap: bool) {
    debug_assert!(owns_heap || !nodes.iter().any(Node::owns_heap));
    if !owns_heap {
        // SAFETY: no node owns heap memory, so not running their
        // destructors leaks nothing; the emptied list still frees its
        // buffer.
        unsafe { nodes.set_len(0) };
    }
}

/// The nodes of a [`Cfg`] open for relinking (see [`Cfg::relink`]):
/// they can be read, and branches pointed elsewhere, nothing more.
pub(crate) struct Relink<'a> {
    nodes: &'a mut [Node],
    /// The branches whose edges were set (perhaps more than once each,
    /// perhaps to what they were), so the graph must be rebuilt.
    relinked: Vec<NodeId>,
}

impl Relink<'_> {
    /// The node with id `id`.
    pub(crate) fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id as usize]
    }

    /// How many nodes the graph has (ids are `0..len`).
    pub(crate) fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Points the true (`taken`) or false edge of branch `n` at `to`; other
    /// nodes are left alone.
    pub(crate) fn set_target(&mut self, n: NodeId, taken: bool, to: NodeId) {
        if let Node::Branch { t, f, .. } = &mut self.nodes[n as usize] {
            *(if taken { t } else { f }) = to;
            self.relinked.push(n);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `lhs == k`, to accept if so, else to `f`.
    fn accepts_eq(lhs: Val, k: u32, f: NodeId) -> Node {
        Node::Branch {
            cond: Cond {
                op: CmpOp::Eq,
                lhs,
                rhs: Val::Const(k),
            },
            t: ACCEPT,
            f,
        }
    }

    /// A test on the wire length: `len op k`.
    fn on_len(op: CmpOp, k: u32, t: NodeId, f: NodeId) -> Node {
        let cond = Cond {
            op,
            lhs: Val::Len,
            rhs: Val::Const(k),
        };
        Node::Branch { cond, t, f }
    }

    #[test]
    fn hash_consing_shares_equal_nodes() {
        let mut cfg = Cfg::new();
        let c = Cond {
            op: CmpOp::Eq,
            lhs: Val::load(2, 12),
            rhs: Val::Const(0x800),
        };
        let a = cfg.add(Node::Branch {
            cond: c.clone(),
            t: ACCEPT,
            f: REJECT,
        });
        let b = cfg.add(Node::Branch {
            cond: c,
            t: ACCEPT,
            f: REJECT,
        });
        assert_eq!(a, b);
    }

    /// A graph knows whether its nodes own heap memory (so that one whose
    /// nodes do not is freed without a visit to each): from the nodes
    /// added, and from those it is made of.
    #[test]
    fn graphs_know_whether_nodes_own_heap_memory() {
        let opts = crate::CompileOptions::new(crate::LinkType::EN10MB);
        for (expr, owns) in [
            ("host 10.1.2.3 or host 10.3.2.1", false),
            ("tcp port 80", true),
            ("ip[2:2] + 1 = 60", true),
        ] {
            let mut cfg = crate::compile_ir(expr, &opts).unwrap();
            assert_eq!(cfg.owns_heap, owns, "{expr}");
            cfg.map_values(|v| v);
            assert_eq!(cfg.owns_heap, owns, "{expr}: rebuilt");
            let copy = Cfg::from_distinct(cfg.nodes().to_vec(), cfg.root, cfg.vars);
            assert_eq!(copy.owns_heap, owns, "{expr}: copied");
        }
    }

    /// The index finds every node as its table grows, and after a
    /// compaction left it to be made again.
    #[test]
    fn hash_consing_finds_nodes_as_the_index_grows() {
        let mut cfg = Cfg::new();
        let test = |k, f| accepts_eq(Val::load(2, 12), k, f);
        let mut chain = vec![REJECT];
        for k in 0..300 {
            chain.push(cfg.add(test(k, *chain.last().unwrap())));
        }
        cfg.root = *chain.last().unwrap();
        for _ in 0..2 {
            let ids: Vec<NodeId> = (0..300)
                .map(|k| cfg.add(test(k, chain[k as usize])))
                .collect();
            assert_eq!(ids, chain[1..]);
            assert_eq!(cfg.nodes().len(), 302);
            let order = cfg.compact();
            chain = order.into_iter().rev().filter(|&n| n != ACCEPT).collect();
        }
    }

    #[test]
    fn branch_to_same_target_kept_only_if_it_loads() {
        let mut cfg = Cfg::new();
        let pure = Cond {
            op: CmpOp::Gt,
            lhs: Val::Len,
            rhs: Val::Const(3),
        };
        assert_eq!(
            cfg.add(Node::Branch {
                cond: pure,
                t: ACCEPT,
                f: ACCEPT
            }),
            ACCEPT
        );
        let loads = Cond {
            op: CmpOp::Gt,
            lhs: Val::load(1, 100),
            rhs: Val::Const(3),
        };
        assert_ne!(
            cfg.add(Node::Branch {
                cond: loads,
                t: ACCEPT,
                f: ACCEPT
            }),
            ACCEPT
        );
    }

    #[test]
    fn relinking_rebuilds_the_hash_consing_index() {
        let mut cfg = Cfg::new();
        let test = |k| Cond {
            op: CmpOp::Eq,
            lhs: Val::load(1, 0),
            rhs: Val::Const(k),
        };
        let b = cfg.add(Node::Branch {
            cond: test(1),
            t: ACCEPT,
            f: REJECT,
        });
        cfg.root = cfg.add(Node::Branch {
            cond: test(2),
            t: b,
            f: REJECT,
        });
        // Reading only: the graph stays as it was, ids included.
        let before = cfg.nodes().to_vec();
        cfg.relink(|nodes| assert_eq!(nodes.len(), before.len()));
        assert_eq!(cfg.nodes(), before);
        // Both edges of the root to `b`: the root is found under its new
        // edges, not added again.
        let root = cfg.root;
        cfg.relink(|nodes| nodes.set_target(root, false, b));
        let Node::Branch { t, f, .. } = *cfg.node(cfg.root) else {
            panic!("{cfg:?}")
        };
        assert_eq!(t, f);
        let len = cfg.nodes().len();
        assert_eq!(cfg.add(cfg.node(cfg.root).clone()), cfg.root);
        assert_eq!(cfg.nodes().len(), len);
    }

    /// Relinking ends with the graph that adding every node again makes:
    /// rebuilt where a relinked branch became equal to another node, and
    /// where none did, once settled, compacted (the same nodes, numbered
    /// the same).
    #[test]
    fn relinking_merges_as_adding_again_does() {
        let test = |k, f| accepts_eq(Val::load(1, 0), k, f);
        let mut cfg = Cfg::new();
        let c = cfg.add(test(3, REJECT));
        let b = cfg.add(test(2, c));
        let a = cfg.add(test(1, b));
        // What `b` becomes when linked straight to reject.
        let other = cfg.add(test(2, REJECT));
        cfg.root = cfg.add(on_len(CmpOp::Gt, 60, a, other));
        for (n, to, merges) in [(b, REJECT, true), (a, c, false)] {
            let mut relinked = cfg.clone();
            relinked.relink(|nodes| nodes.set_target(n, false, to));
            assert_eq!(relinked.unsettled, !merges);
            relinked.settle();
            let mut rebuilt = cfg.clone();
            let Node::Branch { f, .. } = &mut rebuilt.nodes[n as usize] else {
                panic!("{rebuilt:?}");
            };
            *f = to;
            assert_eq!(rebuilt.relinked_may_merge(&[n]), merges);
            rebuilt.rebuild();
            assert_eq!(relinked.nodes(), rebuilt.nodes());
            assert_eq!(relinked.root, rebuilt.root);
        }
    }

    /// Compaction drops unreachable nodes and leaves the index to the next
    /// `add`, which still finds the nodes that are there.
    #[test]
    fn compacted_graphs_still_share_equal_nodes() {
        let mut cfg = Cfg::new();
        let test = |k| Node::Branch {
            cond: Cond {
                op: CmpOp::Eq,
                lhs: Val::load(1, 0),
                rhs: Val::Const(k),
            },
            t: ACCEPT,
            f: REJECT,
        };
        cfg.add(test(1)); // unreachable
        cfg.root = cfg.add(test(2));
        let order = cfg.compact();
        assert_eq!(order, cfg.topo_order());
        assert_eq!(cfg.nodes().len(), 3);
        assert_eq!(cfg.root, 2);
        assert_eq!(cfg.add(test(2)), cfg.root);
        assert_eq!(cfg.add(test(1)), 3);
        assert_eq!(cfg.add(Node::Reject), REJECT);
    }

    /// The order read off a compacted graph's numbering is the walk's,
    /// and a graph changed since (a node added, the root moved) is
    /// walked again.
    #[test]
    fn inner_order_of_compacted_graphs_is_the_walks() {
        let walked = |cfg: &Cfg| {
            let mut order = cfg.topo_order();
            order.retain(|&n| n != ACCEPT && n != REJECT);
            order
        };
        let opts = crate::CompileOptions::new(crate::LinkType::EN10MB);
        // Everyday filters, and a list long enough for comparison trees.
        let ports: Vec<String> = (1..=9).map(|p| format!("tcp port {p}")).collect();
        let list = ports.join(" or ");
        let host_and = "host 10.1.2.3 and (tcp port 443 or udp port 53)";
        for expr in ["tcp", "vlan and tcp", host_and, &list] {
            let mut cfg = crate::compile_ir(expr, &opts).unwrap();
            assert_eq!(cfg.inner_order(), walked(&cfg), "{expr}");
            cfg.compact();
            assert_eq!(cfg.inner_order(), walked(&cfg), "{expr}");
            let Node::Branch { t, .. } = *cfg.node(cfg.root) else {
                panic!("{expr}: a branch first");
            };
            cfg.root = t;
            assert_eq!(cfg.inner_order(), walked(&cfg), "{expr}: root moved");
            cfg.compact();
            cfg.root = cfg.add(on_len(CmpOp::Eq, 7, REJECT, cfg.root));
            assert_eq!(cfg.inner_order(), walked(&cfg), "{expr}: node added");
        }
    }

    /// [`Cfg::any_topo_order`] has the reachable nodes (and perhaps the
    /// verdicts), each after every node leading to it, whether read off
    /// the ids of a compacted or rebuilt graph or walked.
    #[test]
    fn any_topo_order_is_a_topological_order_of_the_reached_nodes() {
        let check = |cfg: &Cfg, what: &str| {
            let order = cfg.any_topo_order();
            let mut place = vec![usize::MAX; cfg.nodes().len()];
            for (i, &n) in order.iter().enumerate() {
                place[n as usize] = i;
            }
            let mut reached = cfg.topo_order();
            reached.retain(|&n| n != ACCEPT && n != REJECT);
            let mut inner: Vec<NodeId> = order
                .iter()
                .copied()
                .filter(|&n| n != ACCEPT && n != REJECT)
                .collect();
            inner.sort_unstable();
            reached.sort_unstable();
            assert_eq!(inner, reached, "{what}");
            for &n in &order {
                for s in cfg.node(n).successors() {
                    assert!(place[s as usize] > place[n as usize], "{what}: {n} -> {s}");
                }
            }
        };
        let opts = crate::CompileOptions::new(crate::LinkType::EN10MB);
        let ports: Vec<String> = (1..=9).map(|p| format!("tcp port {p}")).collect();
        let list = ports.join(" or ");
        for expr in [
            "tcp",
            "host 10.1.2.3 and (tcp port 443 or udp port 53)",
            &list,
        ] {
            let mut cfg = crate::compile_ir(expr, &opts).unwrap();
            check(&cfg, expr);
            cfg.map_values(|v| v);
            check(&cfg, &format!("{expr}: rebuilt"));
            let Node::Branch { t, .. } = *cfg.node(cfg.root) else {
                panic!("{expr}: a branch first");
            };
            // Moved below the top, the root leaves a node unreached.
            cfg.root = t;
            check(&cfg, &format!("{expr}: root moved"));
            cfg.compact();
            check(&cfg, &format!("{expr}: compacted"));
        }
    }

    #[test]
    fn variables_stop_at_scratch_memory() {
        let mut cfg = Cfg::new();
        for v in 0..MAX_VARS {
            assert_eq!(cfg.new_var().map(u32::from), Some(v));
        }
        assert_eq!(cfg.new_var(), None);
        assert_eq!(u32::from(cfg.vars), MAX_VARS);
    }

    #[test]
    fn load_at_folds_constant_index() {
        assert_eq!(
            Val::load_at(2, Some(Val::plus(Val::Var(0), 6)), 8),
            Val::Load {
                size: 2,
                off: 14,
                index: Some(Box::new(Val::Var(0)))
            }
        );
    }
}
