//! The reference interpreter: a direct transcription of classic BPF's
//! semantics (libpcap's `bpf_filter`), instruction by instruction, with
//! every packet access bounds-checked. It is the oracle the fast
//! executor and the eBPF back end are tested against.

use super::Program;
use super::insn::*;

/// Runs `prog` over a packet of which `pkt` is the captured part and
/// `wirelen` the length on the wire; returns the filter's verdict (bytes
/// to keep, 0 to drop). A load past the captured bytes, or a division by
/// zero, ends the run with 0, as in the kernel and libpcap.
pub fn run(prog: &Program, pkt: &[u8], wirelen: u32) -> u32 {
    let insns = prog.insns();
    let mut a: u32 = 0;
    let mut x: u32 = 0;
    let mut mem = [0u32; MEMWORDS as usize];
    let mut pc = 0;
    loop {
        let insn = insns[pc];
        pc += 1;
        let k = insn.k;
        match insn.class() {
            RET => return if insn.rval() == K { k } else { a },
            LD => {
                a = match insn.mode() {
                    IMM => k,
                    MEM => mem[k as usize],
                    LEN => wirelen,
                    mode => {
                        let base = if mode == IND { x } else { 0 };
                        match load(pkt, base, k, insn.size()) {
                            Some(v) => v,
                            None => return 0,
                        }
                    }
                }
            }
            LDX => {
                x = match insn.mode() {
                    IMM => k,
                    MEM => mem[k as usize],
                    LEN => wirelen,
                    _ /* MSH */ => match pkt.get(k as usize) {
                        Some(b) => u32::from(b & 0xf) << 2,
                        None => return 0,
                    },
                }
            }
            ST => mem[k as usize] = a,
            STX => mem[k as usize] = x,
            ALU => {
                if insn.op() == NEG {
                    a = a.wrapping_neg();
                } else {
                    let v = if insn.src() == X { x } else { k };
                    match alu(insn.op(), a, v) {
                        Some(r) => a = r,
                        None => return 0,
                    }
                }
            }
            JMP => {
                if insn.op() == JA {
                    pc += k as usize;
                } else {
                    let v = if insn.src() == X { x } else { k };
                    let taken = jump(insn.op(), a, v);
                    pc += usize::from(if taken { insn.jt } else { insn.jf });
                }
            }
            _ /* MISC */ => {
                if insn.miscop() == TXA {
                    a = x;
                } else {
                    x = a;
                }
            }
        }
    }
}

/// A big-endian load of `size` (`W`, `H` or `B`) at `base + k`, or `None`
/// when it reaches past the packet (or the offset overflows).
#[inline]
pub(crate) fn load(pkt: &[u8], base: u32, k: u32, size: u16) -> Option<u32> {
    let off = base.checked_add(k)? as usize;
    match size {
        W => pkt
            .get(off..off.checked_add(4)?)
            .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]])),
        H => pkt
            .get(off..off.checked_add(2)?)
            .map(|b| u32::from(u16::from_be_bytes([b[0], b[1]]))),
        _ => pkt.get(off).map(|&b| u32::from(b)),
    }
}

/// One ALU operation; `None` for a division or modulo by zero. Shifts by
/// 32 or more give 0, as in libpcap's `bpf_filter`.
#[inline]
pub(crate) fn alu(op: u16, a: u32, v: u32) -> Option<u32> {
    Some(match op {
        ADD => a.wrapping_add(v),
        SUB => a.wrapping_sub(v),
        MUL => a.wrapping_mul(v),
        DIV => a.checked_div(v)?,
        MOD => a.checked_rem(v)?,
        AND => a & v,
        OR => a | v,
        XOR => a ^ v,
        LSH => a.checked_shl(v).unwrap_or(0),
        _ /* RSH */ => a.checked_shr(v).unwrap_or(0),
    })
}

/// One conditional jump's test.
#[inline]
pub(crate) fn jump(op: u16, a: u32, v: u32) -> bool {
    match op {
        JEQ => a == v,
        JGT => a > v,
        JGE => a >= v,
        _ /* JSET */ => a & v != 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prog(insns: &[Insn]) -> Program {
        Program::new(insns.to_vec()).unwrap()
    }

    #[test]
    fn loads_are_big_endian_and_bounds_checked() {
        let p = prog(&[Insn::stmt(LD | H | ABS, 1), Insn::stmt(RET | A, 0)]);
        assert_eq!(run(&p, &[0, 0x12, 0x34], 3), 0x1234);
        assert_eq!(run(&p, &[0, 0x12], 3), 0);
    }

    #[test]
    fn msh_and_indirect() {
        let p = prog(&[
            Insn::stmt(LDX | B | MSH, 0),
            Insn::stmt(LD | B | IND, 0),
            Insn::stmt(RET | A, 0),
        ]);
        let mut pkt = vec![0x45u8; 21];
        pkt[20] = 7;
        assert_eq!(run(&p, &pkt, 21), 7);
    }

    #[test]
    fn division_by_zero_x_rejects() {
        let p = prog(&[
            Insn::stmt(LD | IMM, 5),
            Insn::stmt(ALU | DIV | X, 0),
            Insn::stmt(RET | K, 1),
        ]);
        assert_eq!(run(&p, &[], 0), 0);
    }

    #[test]
    fn len_is_wire_length_and_scratch_works() {
        let p = prog(&[
            Insn::stmt(LD | W | LEN, 0),
            Insn::stmt(ST, 3),
            Insn::stmt(LDX | MEM, 3),
            Insn::stmt(MISC | TXA, 0),
            Insn::jump(JMP | JGT | K, 100, 0, 1),
            Insn::stmt(RET | K, 1),
            Insn::stmt(RET | K, 2),
        ]);
        assert_eq!(run(&p, &[], 101), 1);
        assert_eq!(run(&p, &[], 100), 2);
    }

    #[test]
    fn large_shifts_give_zero() {
        assert_eq!(alu(LSH, 1, 32), Some(0));
        assert_eq!(alu(RSH, 1 << 31, 31), Some(1));
    }
}
