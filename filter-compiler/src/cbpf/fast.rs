//! A faster executor for offline replay: the program is decoded once into
//! operations with their operands and absolute jump targets resolved, so
//! the per-packet loop does no opcode bit-twiddling and loads that can be
//! proven in bounds once per packet (`ld [k]` with `k + size <= caplen`)
//! are still checked but need no overflow arithmetic.

use super::Program;
use super::insn::*;
use super::interp::{alu, jump};

/// One decoded instruction.
#[derive(Clone, Copy, Debug)]
enum Op {
    LdAbsW(u32),
    LdAbsH(u32),
    LdAbsB(u32),
    LdIndW(u32),
    LdIndH(u32),
    LdIndB(u32),
    LdImm(u32),
    LdMem(u8),
    LdLen,
    LdxImm(u32),
    LdxMem(u8),
    LdxLen,
    LdxMsh(u32),
    St(u8),
    Stx(u8),
    AluK(u16, u32),
    AluX(u16),
    Neg,
    Ja(u32),
    JeqK(u32, u32, u32),
    JgtK(u32, u32, u32),
    JgeK(u32, u32, u32),
    JsetK(u32, u32, u32),
    JmpX(u16, u32, u32),
    RetK(u32),
    RetA,
    Tax,
    Txa,
    // Fused "load, then test": the commonest pairs in compiled filters
    // (ethertype, protocol and port tests, the fragment check), one
    // dispatch instead of two. Operands: offset, constant, targets.
    JeqAbsH(u32, u32, u32, u32),
    JeqAbsW(u32, u32, u32, u32),
    /// `ldh [x + off]; jeq #k` (port tests).
    JeqIndH(u32, u32, u32, u32),
    JeqAbsB(u32, u32, u32, u32),
    JsetAbsH(u32, u32, u32, u32),
}

/// A program decoded for repeated execution: decoding costs one pass over
/// the program, which pays off after a few packets; [`super::Runner`] uses
/// it where the JIT is not available.
#[derive(Clone, Debug)]
pub struct Executor {
    ops: Box<[Op]>,
}

impl Executor {
    /// Decodes a validated program (validation is what lets the loop skip
    /// opcode and jump-range checks).
    pub fn new(prog: &Program) -> Executor {
        let insns = prog.insns();
        let mut ops: Vec<Op> = insns
            .iter()
            .enumerate()
            .map(|(pc, insn)| decode(pc as u32, insn))
            .collect();
        // A load can be fused with the test after it unless some jump
        // lands on the test (arriving there with another A).
        let mut target = vec![false; insns.len()];
        for op in &ops {
            match *op {
                Op::Ja(t) => target[t as usize] = true,
                Op::JeqK(_, t, f)
                | Op::JgtK(_, t, f)
                | Op::JgeK(_, t, f)
                | Op::JsetK(_, t, f)
                | Op::JmpX(_, t, f) => {
                    target[t as usize] = true;
                    target[f as usize] = true;
                }
                _ => {}
            }
        }
        for i in 0..ops.len().saturating_sub(1) {
            if target[i + 1] {
                continue;
            }
            ops[i] = match (ops[i], ops[i + 1]) {
                (Op::LdAbsH(off), Op::JeqK(k, t, f)) => Op::JeqAbsH(off, k, t, f),
                (Op::LdAbsW(off), Op::JeqK(k, t, f)) => Op::JeqAbsW(off, k, t, f),
                (Op::LdIndH(off), Op::JeqK(k, t, f)) => Op::JeqIndH(off, k, t, f),
                (Op::LdAbsB(off), Op::JeqK(k, t, f)) => Op::JeqAbsB(off, k, t, f),
                (Op::LdAbsH(off), Op::JsetK(k, t, f)) => Op::JsetAbsH(off, k, t, f),
                (op, _) => op,
            };
        }
        Executor { ops: ops.into() }
    }

    /// Runs the program; same contract as [`super::interp::run`].
    #[inline]
    pub fn run(&self, pkt: &[u8], wirelen: u32) -> u32 {
        let ops = &self.ops;
        let mut a: u32 = 0;
        let mut x: u32 = 0;
        let mut mem = [0u32; MEMWORDS as usize];
        let mut pc = 0usize;
        macro_rules! load {
            ($off:expr, $n:literal) => {{
                let off = $off as usize;
                match pkt.get(off..off + $n) {
                    Some(b) => b,
                    None => return 0,
                }
            }};
        }
        macro_rules! ind {
            ($k:expr) => {
                match x.checked_add($k) {
                    Some(off) => off,
                    None => return 0,
                }
            };
        }
        macro_rules! branch {
            ($cond:expr, $t:expr, $f:expr) => {
                pc = if $cond { $t } else { $f } as usize
            };
        }
        loop {
            let op = ops[pc];
            pc += 1;
            match op {
                Op::LdAbsW(k) => a = be32(load!(k, 4)),
                Op::LdAbsH(k) => a = be16(load!(k, 2)),
                Op::LdAbsB(k) => a = u32::from(load!(k, 1)[0]),
                Op::LdIndW(k) => a = be32(load!(ind!(k), 4)),
                Op::LdIndH(k) => a = be16(load!(ind!(k), 2)),
                Op::LdIndB(k) => a = u32::from(load!(ind!(k), 1)[0]),
                Op::LdImm(k) => a = k,
                Op::LdMem(i) => a = mem[usize::from(i)],
                Op::LdLen => a = wirelen,
                Op::LdxImm(k) => x = k,
                Op::LdxMem(i) => x = mem[usize::from(i)],
                Op::LdxLen => x = wirelen,
                Op::LdxMsh(k) => x = u32::from(load!(k, 1)[0] & 0xf) << 2,
                Op::St(i) => mem[usize::from(i)] = a,
                Op::Stx(i) => mem[usize::from(i)] = x,
                Op::AluK(o, k) => match alu(o, a, k) {
                    Some(r) => a = r,
                    None => return 0,
                },
                Op::AluX(o) => match alu(o, a, x) {
                    Some(r) => a = r,
                    None => return 0,
                },
                Op::Neg => a = a.wrapping_neg(),
                Op::Ja(t) => pc = t as usize,
                Op::JeqK(k, t, f) => branch!(a == k, t, f),
                Op::JgtK(k, t, f) => branch!(a > k, t, f),
                Op::JgeK(k, t, f) => branch!(a >= k, t, f),
                Op::JsetK(k, t, f) => branch!(a & k != 0, t, f),
                Op::JmpX(o, t, f) => branch!(jump(o, a, x), t, f),
                Op::RetK(k) => return k,
                Op::RetA => return a,
                Op::Tax => x = a,
                Op::Txa => a = x,
                Op::JeqAbsH(off, k, t, f) => {
                    a = be16(load!(off, 2));
                    branch!(a == k, t, f)
                }
                Op::JeqAbsW(off, k, t, f) => {
                    a = be32(load!(off, 4));
                    branch!(a == k, t, f)
                }
                Op::JeqIndH(off, k, t, f) => {
                    a = be16(load!(ind!(off), 2));
                    branch!(a == k, t, f)
                }
                Op::JeqAbsB(off, k, t, f) => {
                    a = u32::from(load!(off, 1)[0]);
                    branch!(a == k, t, f)
                }
                Op::JsetAbsH(off, k, t, f) => {
                    a = be16(load!(off, 2));
                    branch!(a & k != 0, t, f)
                }
            }
        }
    }
}

#[inline]
fn be32(b: &[u8]) -> u32 {
    u32::from_be_bytes([b[0], b[1], b[2], b[3]])
}

#[inline]
fn be16(b: &[u8]) -> u32 {
    u32::from(u16::from_be_bytes([b[0], b[1]]))
}

fn decode(pc: u32, insn: &Insn) -> Op {
    let k = insn.k;
    // Scratch indices are < MEMWORDS in a validated program.
    let m = k as u8;
    let next = pc + 1;
    let (t, f) = (next + u32::from(insn.jt), next + u32::from(insn.jf));
    match insn.code {
        c if c == LD | W | ABS => Op::LdAbsW(k),
        c if c == LD | H | ABS => Op::LdAbsH(k),
        c if c == LD | B | ABS => Op::LdAbsB(k),
        c if c == LD | W | IND => Op::LdIndW(k),
        c if c == LD | H | IND => Op::LdIndH(k),
        c if c == LD | B | IND => Op::LdIndB(k),
        c if c == LD | IMM => Op::LdImm(k),
        c if c == LD | MEM => Op::LdMem(m),
        c if c == LD | W | LEN => Op::LdLen,
        c if c == LDX | W | IMM => Op::LdxImm(k),
        c if c == LDX | W | MEM => Op::LdxMem(m),
        c if c == LDX | W | LEN => Op::LdxLen,
        c if c == LDX | B | MSH => Op::LdxMsh(k),
        ST => Op::St(m),
        STX => Op::Stx(m),
        c if c == ALU | NEG => Op::Neg,
        _ if insn.class() == ALU && insn.src() == X => Op::AluX(insn.op()),
        _ if insn.class() == ALU => Op::AluK(insn.op(), k),
        c if c == JMP | JA => Op::Ja(next + k),
        c if c == JMP | JEQ | K => Op::JeqK(k, t, f),
        c if c == JMP | JGT | K => Op::JgtK(k, t, f),
        c if c == JMP | JGE | K => Op::JgeK(k, t, f),
        c if c == JMP | JSET | K => Op::JsetK(k, t, f),
        _ if insn.class() == JMP => Op::JmpX(insn.op(), t, f),
        c if c == RET | A => Op::RetA,
        _ if insn.class() == RET => Op::RetK(k),
        c if c == MISC | TXA => Op::Txa,
        _ /* MISC | TAX */ => Op::Tax,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::cbpf::interp;
    use crate::{CompileOptions, LinkType, compile};
    use proptest::prelude::*;

    /// Filters the executors are compared on (the JIT's tests add more).
    pub(crate) const EXPRS: &[&str] = &[
        "tcp port 80",
        "ip[2:2] > 60 and ip[0] & 0xf > 5",
        "ip6 or tcp[tcpflags] & tcp-syn != 0",
        "vlan and udp portrange 1-1000",
        "len > 64 or ether[12:2] / ip[9] = 3",
        "ip[1] % 7 = 1 or ip[1] << ip[2] = 8",
    ];

    proptest! {
        #[test]
        fn agrees_with_interpreter(
            which in 0..EXPRS.len(),
            mut pkt in proptest::collection::vec(any::<u8>(), 0..120),
            ip in any::<bool>(),
            wire_extra in 0u32..50,
        ) {
            if ip && pkt.len() >= 24 {
                // Make IPv4 over Ethernet likely so deeper paths run.
                pkt[12] = 0x08;
                pkt[13] = 0;
                pkt[14] = 0x45;
                pkt[20] = 0;
                pkt[21] = 0;
            }
            let prog = compile(EXPRS[which], &CompileOptions::new(LinkType::EN10MB)).unwrap();
            let wire = pkt.len() as u32 + wire_extra;
            prop_assert_eq!(Executor::new(&prog).run(&pkt, wire), interp::run(&prog, &pkt, wire));
        }
    }
}
