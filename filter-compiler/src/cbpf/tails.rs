//! Tail merging for size-first programs: identical instructions with
//! identical successors become one, as libpcap's code merging does.
//!
//! An instruction behaves the same wherever it sits once its successors
//! are the same, so merging such instructions (from the returns upwards)
//! never changes what the program does on any packet; only the layout
//! changes. `port a or port b ...` on IPv4 and on IPv6 then share the
//! chain of `jeq` on the destination port: both test the port already in
//! A against the same constants, though they loaded it from different
//! offsets.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use rustc_hash::FxHashMap as HashMap;

use super::insn::{self as op, Insn};
use crate::jumps::Item;

/// What an instruction does next: nothing (a return), fall through to one
/// node, or jump to one of two.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Next {
    End,
    Then(usize),
    Branch(usize, usize),
}

/// The instructions of `insns` (a valid program: forward jumps only) with
/// identical tails merged, as items for [`crate::jumps::resolve`]; `None`
/// when nothing merges.
pub(super) fn merge(insns: &[Insn]) -> Option<Vec<Item<Insn>>> {
    let n = insns.len();
    // Node of each instruction; nodes are (code, k, next), interned.
    let mut canon = vec![usize::MAX; n];
    let mut nodes: Vec<(Insn, Next)> = Vec::new();
    let mut first: Vec<usize> = Vec::new();
    let mut ids: HashMap<(u16, u32, Next), usize> = HashMap::default();
    for i in (0..n).rev() {
        let insn = insns[i];
        let at = |off: usize| canon[i + 1 + off];
        let (key_insn, next) = match insn.class() {
            op::RET => (insn, Next::End),
            op::JMP if insn.op() == op::JA => {
                canon[i] = at(insn.k as usize);
                continue;
            }
            op::JMP => (
                Insn::jump(insn.code, insn.k, 0, 0),
                Next::Branch(at(insn.jt as usize), at(insn.jf as usize)),
            ),
            _ => (insn, Next::Then(at(0))),
        };
        let id = *ids
            .entry((key_insn.code, key_insn.k, next))
            .or_insert_with(|| {
                nodes.push((key_insn, next));
                first.push(i);
                nodes.len() - 1
            });
        first[id] = i;
        canon[i] = id;
    }
    let entry = canon[0];
    let succs = |next: Next| -> Vec<usize> {
        match next {
            Next::End => vec![],
            Next::Then(s) => vec![s],
            Next::Branch(t, f) if t == f => vec![t],
            Next::Branch(t, f) => vec![t, f],
        }
    };
    // Reachable nodes and their in-degrees.
    let mut indeg = vec![0usize; nodes.len()];
    let mut seen = vec![false; nodes.len()];
    let mut stack = vec![entry];
    seen[entry] = true;
    let mut reachable = 0;
    while let Some(v) = stack.pop() {
        reachable += 1;
        for s in succs(nodes[v].1) {
            indeg[s] += 1;
            if !seen[s] {
                seen[s] = true;
                stack.push(s);
            }
        }
    }
    if reachable >= n {
        return None;
    }
    // A topological order, the original one where it can be kept.
    let mut ready = BinaryHeap::from([Reverse((first[entry], entry))]);
    let mut order = Vec::with_capacity(reachable);
    while let Some(Reverse((_, v))) = ready.pop() {
        order.push(v);
        for s in succs(nodes[v].1) {
            indeg[s] -= 1;
            if indeg[s] == 0 {
                ready.push(Reverse((first[s], s)));
            }
        }
    }
    let mut items = Vec::with_capacity(order.len() * 2);
    for (pos, &v) in order.iter().enumerate() {
        items.push(Item::Label(v));
        let (insn, next) = nodes[v];
        match next {
            Next::End => items.push(Item::Plain(insn)),
            Next::Then(s) => {
                items.push(Item::Plain(insn));
                if order.get(pos + 1) != Some(&s) {
                    // Jumping to a test costs as much as a copy of it,
                    // which saves the jump at run time.
                    match nodes[s] {
                        (insn, Next::Branch(t, f)) => items.push(Item::Cond {
                            insn,
                            t,
                            f: Some(f),
                        }),
                        _ => items.push(Item::Ja(s)),
                    }
                }
            }
            Next::Branch(t, f) => items.push(Item::Cond {
                insn,
                t,
                f: Some(f),
            }),
        }
    }
    Some(items)
}

#[cfg(test)]
mod tests {
    use super::super::insn::{self as op, Insn};
    use super::super::{Program, codegen, interp};
    use super::*;

    fn jeq(k: u32, jt: u8, jf: u8) -> Insn {
        Insn::jump(op::JMP | op::JEQ | op::K, k, jt, jf)
    }

    /// `ldh [12]` or `ldh [14]` by the first byte, then the same chain of
    /// `jeq` on A: the chains become one, and every packet gets the same
    /// answer.
    #[test]
    fn identical_chains_after_different_loads_merge() {
        let ret = |k| Insn::stmt(op::RET | op::K, k);
        let ld = |off| Insn::stmt(op::LD | op::H | op::ABS, off);
        let prog = vec![
            Insn::stmt(op::LD | op::B | op::ABS, 0),
            jeq(1, 0, 4),
            ld(12),
            jeq(80, 6, 0),
            jeq(443, 5, 0),
            jeq(53, 4, 5),
            ld(14),
            jeq(80, 2, 0),
            jeq(443, 1, 0),
            jeq(53, 0, 1),
            ret(1),
            ret(0),
        ];
        let items = merge(&prog).expect("tails merge");
        let merged = Program::new(codegen::resolve(items).unwrap()).unwrap();
        // The second chain goes; its load is followed by a copy of the
        // first test instead of a jump.
        assert_eq!(merged.insns().len(), prog.len() - 2, "{merged:?}");
        let prog = Program::new(prog).unwrap();
        for first in [0u8, 1] {
            for port in [53u16, 80, 443, 8080] {
                let mut pkt = vec![first; 16];
                pkt[12..14].copy_from_slice(&port.to_be_bytes());
                pkt[14..16].copy_from_slice(&port.to_be_bytes());
                assert_eq!(
                    interp::run(&merged, &pkt, 16),
                    interp::run(&prog, &pkt, 16),
                    "{first} {port}"
                );
            }
        }
    }
}
