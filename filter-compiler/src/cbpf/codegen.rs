//! IR → classic BPF.
//!
//! Nodes are laid out in topological order.  Each branch loads its
//! operands into A (and X), reusing what the registers already hold on
//! every path into the node — the redundant-load elimination libpcap's
//! optimizer does — then jumps.  Jumps further than classic BPF's 8-bit
//! offsets allow go through `ja` trampolines.

use crate::CompileOptions;
use crate::ast::ArithOp;
use crate::error::{Error, ErrorKind, Result};
use crate::ir::{ACCEPT, Cfg, CmpOp, Cond, Node, NodeId, REJECT, Val, VarId};

use super::Program;
use super::insn::{self as op, Insn};
use super::validate::{self, Reason};
use crate::jumps::{self, Item, Unresolved};
use crate::opcode::{AluOp, JmpOp};

// Every variable of the IR has a scratch word.
const _: () = assert!(crate::ir::MAX_VARS <= op::MEMWORDS);

/// A value a register is known to hold: one of the graph's own (borrowed,
/// so that tracking registers copies and frees no value trees), or a
/// variable just stored (which no node of the graph need hold as a
/// value). A borrowed `Val::Var` is always made `Var`, so that equal
/// values compare equal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Held<'a> {
    Val(&'a Val),
    Var(VarId),
}

impl<'a> Held<'a> {
    fn of(v: &'a Val) -> Held<'a> {
        match *v {
            Val::Var(var) => Held::Var(var),
            _ => Held::Val(v),
        }
    }

    fn uses_var(self, var: VarId) -> bool {
        match self {
            Held::Val(v) => v.uses_var(var),
            Held::Var(v) => v == var,
        }
    }
}

/// What the registers are known to hold.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Regs<'a> {
    a: Option<Held<'a>>,
    x: Option<Held<'a>>,
}

impl Regs<'_> {
    /// Forgets what `o` does not hold too.
    fn meet(&mut self, o: &Regs<'_>) {
        if self.a != o.a {
            self.a = None;
        }
        if self.x != o.x {
            self.x = None;
        }
    }
}

struct Gen<'a> {
    items: Vec<Item<Insn>>,
    /// Scratch slots: variables first, then temporaries.
    next_temp: u32,
    max_slot: u32,
    regs: Regs<'a>,
}

/// What code generation keeps for a node.
#[derive(Clone, Copy)]
struct Slot<'a> {
    /// The node's label (`usize::MAX` for a node not laid out).
    label: usize,
    /// Where the node goes when its emitted test is false (or after its
    /// store): the edge libpcap's layout follows to place the returns.
    /// `NodeId::MAX` for the returns.
    on_false: NodeId,
    /// What the registers hold on entry: what they hold on exit from
    /// every predecessor (all laid out before it), met as each
    /// predecessor is done; `None` before the first.
    entry: Option<Regs<'a>>,
}

impl Default for Slot<'_> {
    fn default() -> Self {
        Slot {
            label: usize::MAX,
            on_false: NodeId::MAX,
            entry: None,
        }
    }
}

fn slot_err() -> Error {
    // Code generation's temporaries: no primitive is to blame.
    Error::new(ErrorKind::Limit, 0..0, Error::OUT_OF_REGISTERS)
}

/// Whether computing `v` into A would change X.
fn needs_x(v: &Val) -> bool {
    match v {
        Val::Const(_) | Val::Len | Val::Var(_) | Val::Meta(_) => false,
        Val::Load { index, .. } => index.is_some(),
        Val::IpHdrLen(_) => true,
        Val::Alu(o, a, b) => needs_x(a) || immediate(*o, b).is_none() || needs_x(b),
        Val::Neg(a) => needs_x(a),
    }
}

/// The constant operand of `_ op b` when it can be the instruction's `k`:
/// the kernel refuses a division or modulo by a constant zero and a shift
/// by a constant of 32 or more, which unoptimized programs (as libpcap's
/// are for `geneve`) may compute; those go through X and decide at run
/// time, as they do in libpcap's unoptimized code.
fn immediate(op: ArithOp, b: &Val) -> Option<u32> {
    match (op, b) {
        (ArithOp::Div | ArithOp::Mod, Val::Const(0)) => None,
        (ArithOp::Shl | ArithOp::Shr, Val::Const(k)) if *k >= 32 => None,
        (_, Val::Const(k)) => Some(*k),
        _ => None,
    }
}

/// The classic opcode bits of an operator, from the table shared with eBPF.
fn alu_code(op: ArithOp) -> u16 {
    u16::from(AluOp::of(op).code())
}

fn size_code(size: u8) -> u16 {
    match size {
        1 => op::B,
        2 => op::H,
        _ => op::W,
    }
}

impl<'a> Gen<'a> {
    fn emit(&mut self, i: Insn) {
        self.items.push(Item::Plain(i));
    }

    fn var_slot(&self, v: u8) -> u32 {
        v as u32
    }

    fn temp(&mut self) -> Result<u32> {
        let t = self.next_temp;
        if t >= op::MEMWORDS {
            return Err(slot_err());
        }
        self.next_temp += 1;
        self.max_slot = self.max_slot.max(self.next_temp);
        Ok(t)
    }

    /// Loads `v` into A.
    fn load_a(&mut self, v: &'a Val) -> Result<()> {
        let held = Some(Held::of(v));
        if self.regs.a == held {
            return Ok(());
        }
        if self.regs.x == held {
            self.emit(Insn::stmt(op::MISC | op::TXA, 0));
            self.regs.a = held;
            return Ok(());
        }
        match v {
            Val::Const(k) => self.emit(Insn::stmt(op::LD | op::IMM, *k)),
            Val::Len => self.emit(Insn::stmt(op::LD | op::W | op::LEN, 0)),
            Val::Meta(m) => {
                let (size, k) = super::ancillary::load(*m);
                self.emit(Insn::stmt(op::LD | size | op::ABS, k));
            }
            Val::Var(var) => self.emit(Insn::stmt(op::LD | op::MEM, self.var_slot(*var))),
            Val::Load { size, off, index } => match index {
                None => self.emit(Insn::stmt(op::LD | size_code(*size) | op::ABS, *off)),
                Some(i) => {
                    self.load_x(i)?;
                    self.emit(Insn::stmt(op::LD | size_code(*size) | op::IND, *off));
                }
            },
            Val::IpHdrLen(_) => {
                self.load_x(v)?;
                self.emit(Insn::stmt(op::MISC | op::TXA, 0));
            }
            Val::Neg(a) => {
                self.load_a(a)?;
                self.emit(Insn::stmt(op::ALU | op::NEG, 0));
            }
            Val::Alu(o, a, b) => {
                if let Some(k) = immediate(*o, b) {
                    self.load_a(a)?;
                    self.emit(Insn::stmt(op::ALU | alu_code(*o) | op::K, k));
                } else {
                    self.operands(a, b)?;
                    self.emit(Insn::stmt(op::ALU | alu_code(*o) | op::X, 0));
                }
            }
        }
        self.regs.a = held;
        Ok(())
    }

    /// Puts `a` in A and `b` in X.
    fn operands(&mut self, a: &'a Val, b: &'a Val) -> Result<()> {
        if self.regs.a == Some(Held::of(a)) && self.regs.x == Some(Held::of(b)) {
            return Ok(());
        }
        if needs_x(a) {
            // Computing `a` would clobber X: park `b` in scratch memory.
            self.load_a(b)?;
            let t = self.temp()?;
            self.emit(Insn::stmt(op::ST, t));
            self.load_a(a)?;
            self.emit(Insn::stmt(op::LDX | op::MEM, t));
            self.next_temp -= 1;
            self.regs.x = None;
        } else {
            self.load_x(b)?;
            self.load_a(a)?;
        }
        Ok(())
    }

    /// Loads `v` into X (may change A).
    fn load_x(&mut self, v: &'a Val) -> Result<()> {
        let held = Some(Held::of(v));
        if self.regs.x == held {
            return Ok(());
        }
        match v {
            Val::Const(k) => self.emit(Insn::stmt(op::LDX | op::IMM, *k)),
            Val::Len => self.emit(Insn::stmt(op::LDX | op::W | op::LEN, 0)),
            Val::Var(var) => self.emit(Insn::stmt(op::LDX | op::MEM, self.var_slot(*var))),
            Val::IpHdrLen(off) => self.emit(Insn::stmt(op::LDX | op::B | op::MSH, *off)),
            _ => {
                self.load_a(v)?;
                self.emit(Insn::stmt(op::MISC | op::TAX, 0));
            }
        }
        self.regs.x = held;
        Ok(())
    }

    /// Emits the test of a branch; returns the jump with targets swapped
    /// when the test is done as its complement (`jset` for `& m == 0`).
    fn cond(&mut self, c: &'a Cond) -> Result<(Insn, bool)> {
        let jmp = |o: CmpOp| u16::from(JmpOp::of(o).code());
        if let (CmpOp::Eq, Val::Const(0), Val::Alu(ArithOp::And, v, m)) = (c.op, &c.rhs, &c.lhs)
            && let Val::Const(mask) = **m
        {
            self.load_a(v)?;
            return Ok((Insn::jump(op::JMP | op::JSET | op::K, mask, 0, 0), true));
        }
        if let Val::Const(k) = c.rhs {
            self.load_a(&c.lhs)?;
            return Ok((Insn::jump(op::JMP | jmp(c.op) | op::K, k, 0, 0), false));
        }
        self.operands(&c.lhs, &c.rhs)?;
        Ok((Insn::jump(op::JMP | jmp(c.op) | op::X, 0, 0, 0), false))
    }
}

/// Generates the classic BPF program for `cfg`.
pub fn generate(cfg: &Cfg, opts: &CompileOptions) -> Result<Program> {
    if let Some(expanded) = super::set_tree::expand(cfg, &opts.sets)? {
        return generate(&expanded, opts);
    }
    if cfg.root == REJECT || cfg.root == ACCEPT {
        // A program that can only reject, or only accept, is just that
        // return (as libpcap makes it).
        let k = if cfg.root == ACCEPT { opts.snaplen } else { 0 };
        let insns = vec![Insn::stmt(op::RET | op::K, k)];
        return Program::new(insns).map_err(invalid);
    }
    let order = cfg.inner_order();
    // What code generation keeps per node, by node id (ids are dense).
    let mut at = vec![Slot::default(); cfg.nodes().len()];
    // Labels: one per node, plus accept and reject.
    for (i, n) in order.iter().copied().chain([ACCEPT, REJECT]).enumerate() {
        at[n as usize].label = i;
    }
    let mut g = Gen {
        // A label, a test and up to two loads per node (ports: the
        // header length, then the load through it), and the returns: so
        // that the vector seldom grows (a copy of it all).
        items: Vec::with_capacity(4 * order.len() + 4),
        next_temp: cfg.vars as u32,
        max_slot: cfg.vars as u32,
        regs: Regs::default(),
    };
    if cfg.vars as u32 > op::MEMWORDS {
        return Err(slot_err());
    }
    for (pos, &n) in order.iter().enumerate() {
        g.items.push(Item::Label(at[n as usize].label));
        g.regs = at[n as usize].entry.take().unwrap_or_default();
        let next_label = order.get(pos + 1).map(|&m| at[m as usize].label);
        match cfg.node(n) {
            Node::Branch { cond, t, f } => {
                let (insn, swapped) = g.cond(cond)?;
                let (t, f) = if swapped { (*f, *t) } else { (*t, *f) };
                at[n as usize].on_false = f;
                g.items.push(Item::Cond {
                    insn,
                    t: at[t as usize].label,
                    f: Some(at[f as usize].label),
                });
            }
            &Node::Assign { var, ref val, next } => {
                g.load_a(val)?;
                g.emit(Insn::stmt(op::ST, var as u32));
                // Values computed from the old value of the variable are
                // stale now.
                for r in [&mut g.regs.a, &mut g.regs.x] {
                    if r.is_some_and(|v| v.uses_var(var)) {
                        *r = None;
                    }
                }
                g.regs.a = Some(Held::Var(var));
                at[n as usize].on_false = next;
                if next_label != Some(at[next as usize].label) {
                    g.items.push(Item::Ja(at[next as usize].label));
                }
            }
            Node::Accept | Node::Reject => unreachable!("filtered out"),
        }
        // (The returns have no code to load registers for.)
        for s in cfg.node(n).successors() {
            if s == ACCEPT || s == REJECT {
                continue;
            }
            match &mut at[s as usize].entry {
                Some(r) => r.meet(&g.regs),
                e @ None => *e = Some(g.regs),
            }
        }
    }
    // The returns, laid out as libpcap's `convert_code_r` does: it places
    // blocks from the end backwards, false branch first, so the return
    // reached from the root by false branches alone comes last (`not ip`,
    // `inbound`: `jeq ... jt 2 jf 3`, `ret #0`, `ret #262144`).
    let mut last = cfg.root;
    while let Some(&Slot { on_false: next, .. }) = at.get(last as usize)
        && next != NodeId::MAX
    {
        last = next;
    }
    let mut rets = [(ACCEPT, opts.snaplen), (REJECT, 0)];
    if last == ACCEPT {
        rets.reverse();
    }
    for (n, k) in rets {
        g.items.push(Item::Label(at[n as usize].label));
        g.emit(Insn::stmt(op::RET | op::K, k));
    }
    let mut insns = resolve(g.items)?;
    // Whether `insns` as they are passed the validator (so that the
    // program is not validated a second time).
    let mut valid = match validate::validate(&insns) {
        Ok(()) => true,
        Err(e) => {
            if e.reason == Reason::ScratchReadBeforeWrite {
                // Some path reads a variable no test on it has set
                // (libpcap's programs do the same, reading whatever the
                // stack held); the kernel refuses that, so start from
                // zeroes.
                let mut init = vec![Insn::stmt(op::LD | op::IMM, 0)];
                init.extend((0..g.max_slot.min(op::MEMWORDS)).map(|m| Insn::stmt(op::ST, m)));
                insns.splice(0..0, init);
            }
            false
        }
    };
    // Size first: identical tails shared (libpcap's form), when shorter.
    if opts.size_first
        && let Some(items) = super::tails::merge(&insns)
        && let Ok(merged) = resolve(items)
        && merged.len() < insns.len()
        && validate::validate(&merged).is_ok()
    {
        insns = merged;
        valid = true;
    }
    if valid {
        return Ok(Program::validated(insns));
    }
    Program::new(insns).map_err(invalid)
}

/// A generated program that the validator refuses: a bug of this module.
fn invalid(e: super::validate::InvalidProgram) -> Error {
    Error::new(
        ErrorKind::Internal,
        0..0,
        format!("internal error: generated program is invalid: {e}"),
    )
}

/// Classic BPF's jumps for [`jumps::resolve`]: conditional ones reach 255
/// instructions, `ja` 2^32; far targets that are returns get a copy of
/// the return instead of a `ja`.
struct Classic;

impl jumps::Isa for Classic {
    type Insn = Insn;
    const COND_REACH: usize = 255;
    const JA_REACH: usize = usize::MAX;
    const PLACE_WITHIN: usize = 200;

    fn cost(_: &Insn) -> usize {
        1
    }

    fn ends_flow(insn: &Insn) -> bool {
        insn.class() == op::RET
    }

    fn is_return(insn: &Insn) -> bool {
        insn.class() == op::RET
    }

    fn ja(off: usize) -> Insn {
        Insn::stmt(op::JMP | op::JA, off as u32)
    }

    fn set_offsets(insn: &mut Insn, t: usize, f: Option<usize>) {
        insn.jt = t as u8;
        insn.jf = f.unwrap_or(0) as u8;
    }
}

/// Lays the code out (see [`jumps::resolve`]).
pub(super) fn resolve(items: Vec<Item<Insn>>) -> Result<Vec<Insn>> {
    jumps::resolve::<Classic>(items, op::MAX_PROGRAM).map_err(|e| {
        let what = match e {
            Unresolved::TooLong(total) => format!("{total} instructions"),
            Unresolved::NoPlace => "a jump is out of reach".to_string(),
        };
        Error::new(
            ErrorKind::Limit,
            0..0,
            format!("expression too complex: {what}"),
        )
    })
}

#[cfg(test)]
mod tests {
    use crate::{CompileOptions, LinkType, compile};

    /// Unoptimized programs (libpcap's for `geneve`, 802.11 payloads or
    /// `-O`) keep a divisor that is a constant zero, or a shift by 32 or
    /// more, for run time: the program goes through X so that the kernel
    /// takes it; a division by zero still rejects the packet, and the
    /// shift still gives 0.
    #[test]
    fn bad_constant_operands_go_through_x() {
        let mut opts = CompileOptions::new(LinkType::EN10MB);
        for (expr, optimize, verdict) in [
            ("ether[0] / (1 - 1) = 0", false, 0),
            ("geneve or ether[0] % (ether[1] * 0) = 0", true, 0),
            ("geneve or ether[0] >> (20 + 20) = 0", true, 0x40000),
        ] {
            opts.optimize = optimize;
            let prog = compile(expr, &opts).unwrap();
            assert!(
                crate::cbpf::validate::validate(prog.insns()).is_ok(),
                "{expr}"
            );
            let ran = crate::cbpf::interp::run(&prog, &[0; 64], 64);
            assert_eq!(ran, verdict, "{expr}");
        }
    }
}
