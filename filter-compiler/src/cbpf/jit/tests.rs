//! The JIT against the reference interpreter: one test per opcode class
//! and edge case, then random valid programs and compiled filters on
//! random (often short) packets.

use super::JitFilter;
use crate::cbpf::arbitrary::{EDGES, program_from_bytes};
use crate::cbpf::fast::tests::EXPRS;
use crate::cbpf::insn::*;
use crate::cbpf::{Program, interp};
use crate::{CompileOptions, LinkType, compile};
use proptest::prelude::*;

fn prog(insns: &[Insn]) -> Program {
    Program::new(insns.to_vec()).unwrap()
}

/// Runs `p` on the JIT and the interpreter, checks they agree, and
/// returns the verdict.
fn both(p: &Program, pkt: &[u8], wirelen: u32) -> u32 {
    let want = interp::run(p, pkt, wirelen);
    if let Some(jit) = JitFilter::new(p) {
        assert_eq!(
            jit.run(pkt, wirelen),
            want,
            "program {:?}, packet {pkt:?}, wirelen {wirelen}",
            p.insns()
        );
    }
    want
}

/// A packet of `n` bytes 0, 1, 2, ...
fn counting(n: usize) -> Vec<u8> {
    (0..n).map(|i| i as u8).collect()
}

#[test]
fn jit_exists_on_x86_64() {
    let p = prog(&[Insn::stmt(RET | K, 7)]);
    let jit = JitFilter::new(&p);
    assert_eq!(jit.is_some(), cfg!(all(target_arch = "x86_64", unix)));
    if let Some(jit) = jit {
        assert_eq!(jit.run(&[], 0), 7);
        assert!(!jit.code().is_empty());
    }
}

#[test]
fn returns_constant_and_a() {
    assert_eq!(both(&prog(&[Insn::stmt(RET | K, 0)]), &[1], 1), 0);
    assert_eq!(
        both(&prog(&[Insn::stmt(RET | K, u32::MAX)]), &[], 0),
        u32::MAX
    );
    // A starts at 0.
    assert_eq!(both(&prog(&[Insn::stmt(RET | A, 0)]), &[1, 2], 2), 0);
    // X starts at 0.
    let p = prog(&[Insn::stmt(MISC | TXA, 0), Insn::stmt(RET | A, 0)]);
    assert_eq!(both(&p, &[], 9), 0);
}

#[test]
fn absolute_loads_are_big_endian_and_bounds_checked() {
    let pkt = counting(16);
    for (size, n) in [(W, 4u32), (H, 2), (B, 1)] {
        let p = |k| prog(&[Insn::stmt(LD | size | ABS, k), Insn::stmt(RET | A, 0)]);
        for k in 0..20u32 {
            let got = both(&p(k), &pkt, 100);
            if k + n <= 16 {
                let want = (k..k + n).fold(0u32, |v, i| v << 8 | i);
                assert_eq!(got, want, "size {size:#x} k {k}");
            } else {
                assert_eq!(got, 0, "size {size:#x} k {k}");
            }
        }
        // Large and "negative" offsets (SKF_AD_OFF and friends) are plain
        // out-of-bounds loads, as in the interpreter and libpcap.
        for &k in EDGES.iter().filter(|&&k| k >= 0x7fff_fffb) {
            assert_eq!(both(&p(k), &pkt, 100), 0);
        }
    }
}

#[test]
fn loads_on_empty_packet_reject() {
    for code in [LD | W | ABS, LD | H | ABS, LD | B | ABS, LDX | B | MSH] {
        let p = prog(&[Insn::stmt(code, 0), Insn::stmt(RET | K, 1)]);
        assert_eq!(both(&p, &[], 1500), 0);
        assert_eq!(both(&p, &[0x45; 4], 1500), 1);
    }
}

#[test]
fn a_checked_length_is_reused_but_not_across_paths() {
    // ldb [20] proves 21 bytes on one path only; ldh [19] after the join
    // must still be checked.
    let p = prog(&[
        Insn::stmt(LD | B | ABS, 0),
        Insn::jump(JMP | JEQ | K, 1, 0, 1),
        Insn::stmt(LD | B | ABS, 20),
        Insn::stmt(LD | H | ABS, 19),
        Insn::stmt(RET | A, 0),
    ]);
    let mut pkt = counting(21);
    pkt[0] = 1;
    assert_eq!(both(&p, &pkt, 21), 19 << 8 | 20);
    pkt[0] = 2;
    assert_eq!(both(&p, &pkt, 21), 19 << 8 | 20);
    assert_eq!(both(&p, &pkt[..20], 21), 0);
    pkt[0] = 1;
    assert_eq!(both(&p, &pkt[..20], 21), 0);
    // On one path, a smaller load after a larger one needs no check.
    let p = prog(&[
        Insn::stmt(LD | W | ABS, 10),
        Insn::stmt(LD | B | ABS, 13),
        Insn::stmt(RET | A, 0),
    ]);
    assert_eq!(both(&p, &counting(14), 14), 13);
    assert_eq!(both(&p, &counting(13), 14), 0);
}

#[test]
fn indirect_loads_add_x_and_check_overflow() {
    let pkt = counting(32);
    for (size, n) in [(W, 4u32), (H, 2), (B, 1)] {
        for (x, k) in [
            (0u32, 0u32),
            (4, 3),
            (28, 0),
            (29, 0),
            (0, 31),
            (31, 1),
            (u32::MAX, 1),
            (1, u32::MAX),
            (0x8000_0000, 0x8000_0000),
            (0x7fff_ffff, 0x7fff_ffff),
            (0, 0xffff_f000),
            (0xffff_fff0, 0x20),
        ] {
            let p = prog(&[
                Insn::stmt(LDX | IMM, x),
                Insn::stmt(LD | size | IND, k),
                Insn::stmt(RET | A, 0),
            ]);
            let got = both(&p, &pkt, 32);
            match x.checked_add(k) {
                Some(off) if u64::from(off) + u64::from(n) <= 32 => {
                    let want = (off..off + n).fold(0u32, |v, i| v << 8 | i);
                    assert_eq!(got, want);
                }
                _ => assert_eq!(got, 0, "x {x:#x} k {k:#x}"),
            }
        }
    }
}

#[test]
fn ldx_msh_is_four_times_the_low_nibble() {
    let p = prog(&[
        Insn::stmt(LDX | B | MSH, 14),
        Insn::stmt(MISC | TXA, 0),
        Insn::stmt(RET | A, 0),
    ]);
    let mut pkt = vec![0u8; 15];
    for b in [0x45u8, 0x4f, 0xf0, 0x00, 0xff, 0x46] {
        pkt[14] = b;
        assert_eq!(both(&p, &pkt, 15), u32::from(b & 0xf) * 4);
    }
    assert_eq!(both(&p, &pkt[..14], 15), 0);
    // Out of range offsets.
    for k in [0x7fff_ffff, 0xffff_f000, u32::MAX] {
        let p = prog(&[Insn::stmt(LDX | B | MSH, k), Insn::stmt(RET | K, 1)]);
        assert_eq!(both(&p, &pkt, 15), 0);
    }
}

#[test]
fn len_is_the_wire_length_for_a_and_x() {
    let p = prog(&[Insn::stmt(LD | W | LEN, 0), Insn::stmt(RET | A, 0)]);
    assert_eq!(both(&p, &[1, 2], 1514), 1514);
    assert_eq!(both(&p, &[], u32::MAX), u32::MAX);
    let p = prog(&[
        Insn::stmt(LDX | W | LEN, 0),
        Insn::stmt(MISC | TXA, 0),
        Insn::stmt(RET | A, 0),
    ]);
    assert_eq!(both(&p, &[1, 2], 60), 60);
}

#[test]
fn scratch_memory_keeps_all_sixteen_words() {
    let mut insns = Vec::new();
    for i in 0..MEMWORDS {
        insns.push(Insn::stmt(LD | IMM, 0x1000 + i));
        insns.push(Insn::stmt(ST, i));
        insns.push(Insn::stmt(LDX | IMM, 0x2000 + i));
        insns.push(Insn::stmt(STX, (i + 1) % MEMWORDS));
    }
    // M[j] = 0x1000 + j, but M[0] = 0x200f (written last, from X).
    insns.push(Insn::stmt(LD | IMM, 0));
    for i in 0..MEMWORDS {
        insns.push(Insn::stmt(LDX | MEM, i));
        insns.push(Insn::stmt(ALU | ADD | X, 0));
    }
    insns.push(Insn::stmt(LD | MEM, 15));
    insns.push(Insn::stmt(MISC | TAX, 0));
    insns.push(Insn::stmt(MISC | TXA, 0));
    insns.push(Insn::stmt(RET | A, 0));
    let p = prog(&insns);
    assert_eq!(both(&p, &[], 0), 0x100f);
    let sum_prog = prog(&[&insns[..insns.len() - 4], &[Insn::stmt(RET | A, 0)]].concat());
    let want: u32 = 0x200f + (1..16).map(|j| 0x1000 + j).sum::<u32>();
    assert_eq!(both(&sum_prog, &[], 0), want);
}

#[test]
fn alu_with_constants() {
    let cases: &[(u16, u32, u32)] = &[
        (ADD, 7, 0xffff_fffc),
        (SUB, 3, 10),
        (MUL, 0x1_0001, 0x1_0001),
        (MUL, 3, 0xffff_ffff),
        (DIV, 100, 7),
        (DIV, 100, 8),
        (DIV, 0xffff_ffff, 1),
        (DIV, 0xffff_ffff, 0x8000_0000),
        (MOD, 100, 7),
        (MOD, 100, 16),
        (MOD, 0xffff_ffff, 0xffff_ffff),
        (AND, 0xf0f0, 0xff),
        (OR, 0xf0, 0x0f),
        (XOR, 0xff, 0x0f),
        (XOR, 5, 0xffff_ffff),
        (LSH, 1, 0),
        (LSH, 1, 31),
        (LSH, 1, 32),
        (LSH, 1, 33),
        (LSH, 1, 0xffff_ffff),
        (RSH, 0x8000_0000, 31),
        (RSH, 0x8000_0000, 32),
        (RSH, 0x8000_0000, 64),
        (AND, 0x1234, 0x8000_0000),
        (OR, 1, 0x7f),
        (ADD, 1, 0x80),
    ];
    for &(op, a, k) in cases {
        let p = prog(&[
            Insn::stmt(LD | IMM, a),
            Insn::stmt(ALU | op | K, k),
            Insn::stmt(RET | A, 0),
        ]);
        let want = interp::alu(op, a, k).unwrap();
        assert_eq!(both(&p, &[], 0), want, "op {op:#x} a {a:#x} k {k:#x}");
    }
    let p = prog(&[
        Insn::stmt(LD | IMM, 5),
        Insn::stmt(ALU | NEG, 0),
        Insn::stmt(RET | A, 0),
    ]);
    assert_eq!(both(&p, &[], 0), 5u32.wrapping_neg());
}

#[test]
fn alu_with_x_including_division_by_zero() {
    let values = [0u32, 1, 2, 7, 31, 32, 33, 0x8000_0000, 0xffff_ffff];
    for op in [ADD, SUB, MUL, DIV, MOD, AND, OR, XOR, LSH, RSH] {
        for &a in &values {
            for &x in &values {
                let p = prog(&[
                    Insn::stmt(LD | IMM, a),
                    Insn::stmt(LDX | IMM, x),
                    Insn::stmt(ALU | op | X, 0),
                    Insn::stmt(RET | A, 0),
                ]);
                // Division or modulo by X = 0 rejects (returns 0).
                let want = interp::alu(op, a, x).unwrap_or(0);
                assert_eq!(both(&p, &[], 0), want, "op {op:#x} a {a:#x} x {x:#x}");
            }
        }
    }
}

#[test]
fn conditional_jumps_are_unsigned() {
    let values = [
        0u32,
        1,
        0x7f,
        0x80,
        0xff,
        0x100,
        0x7fff_ffff,
        0x8000_0000,
        0xffff_ffff,
    ];
    for op in [JEQ, JGT, JGE, JSET] {
        for &a in &values {
            for &k in &values {
                let want = interp::jump(op, a, k);
                let pk = prog(&[
                    Insn::stmt(LD | IMM, a),
                    Insn::jump(JMP | op | K, k, 0, 1),
                    Insn::stmt(RET | K, 1),
                    Insn::stmt(RET | K, 2),
                ]);
                let px = prog(&[
                    Insn::stmt(LD | IMM, a),
                    Insn::stmt(LDX | IMM, k),
                    Insn::jump(JMP | op | X, 0, 1, 0),
                    Insn::stmt(RET | K, 1),
                    Insn::stmt(RET | K, 2),
                ]);
                let (t, f) = (1 + u32::from(!want), 1 + u32::from(want));
                assert_eq!(both(&pk, &[], 0), t, "op {op:#x} a {a:#x} k {k:#x}");
                assert_eq!(both(&px, &[], 0), f, "op {op:#x} a {a:#x} x {k:#x}");
            }
        }
    }
}

#[test]
fn jump_offsets_near_and_far() {
    // jt = jf, jt = 0, jf = 0, and jumps over 255 instructions (32-bit
    // displacements) and a JA longer than any conditional jump.
    for (jt, jf) in [(0u8, 0u8), (3, 3), (0, 255), (255, 0), (200, 100), (1, 254)] {
        let mut insns = vec![
            Insn::stmt(LD | B | ABS, 0),
            Insn::jump(JMP | JEQ | K, 1, jt, jf),
        ];
        for i in 0..256u32 {
            insns.push(Insn::stmt(RET | K, 100 + i));
        }
        let p = prog(&insns);
        assert_eq!(both(&p, &[1], 1), 100 + u32::from(jt));
        assert_eq!(both(&p, &[2], 1), 100 + u32::from(jf));
    }
    let mut insns = vec![Insn::stmt(LD | IMM, 1), Insn::jump(JMP | JA, 70_000, 0, 0)];
    insns.extend((0..70_000).map(|_| Insn::stmt(ALU | ADD | K, 1)));
    insns.push(Insn::stmt(RET | A, 0));
    assert_eq!(both(&prog(&insns), &[], 0), 1);
    insns[1] = Insn::jump(JMP | JA, 0, 0, 0);
    assert_eq!(both(&prog(&insns), &[], 0), 70_001);
}

#[test]
fn tax_and_txa() {
    let p = prog(&[
        Insn::stmt(LD | IMM, 42),
        Insn::stmt(MISC | TAX, 0),
        Insn::stmt(LD | IMM, 0),
        Insn::stmt(MISC | TXA, 0),
        Insn::stmt(RET | A, 0),
    ]);
    assert_eq!(both(&p, &[], 0), 42);
}

#[test]
fn unreachable_code_is_skipped() {
    let p = prog(&[
        Insn::jump(JMP | JA, 2, 0, 0),
        Insn::stmt(LD | W | ABS, 0xffff_ffff),
        Insn::stmt(RET | K, 5),
        Insn::stmt(RET | K, 6),
    ]);
    assert_eq!(both(&p, &[], 0), 6);
}

#[test]
fn the_jit_can_be_shared_between_threads() {
    let p = compile("tcp port 80", &CompileOptions::new(LinkType::EN10MB)).unwrap();
    let Some(jit) = JitFilter::new(&p) else {
        return;
    };
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                for n in 0..100 {
                    assert_eq!(
                        jit.run(&counting(n), 100),
                        interp::run(&p, &counting(n), 100)
                    );
                }
            });
        }
    });
}

/// Filters beyond the fast executor's test list.
const MORE_EXPRS: &[&str] = &[
    "greater 100 and not ip6",
    "ip and ip[6:2] & 0x1fff != 0",
    "net 10.0.0.0/8 and not port 22 and not port 53",
    "ip6 and tcp and ip6[53] & tcp-syn != 0",
    "portrange 1000-2000",
    "vlan 10 and vlan and ip",
    "udp[8:4] = 0x01020304 or icmp[icmptype] = icmp-echo",
    "ether[0] & 1 = 0 and ip[ip[0] & 0xf] > 3",
];

/// Jumps to `ret #0` (and to the one accepting `ret #k`) are emitted
/// without a branch; the first leaf whose condition holds decides, even
/// when the way run on for nothing then fails a bounds check, divides by
/// zero, or reaches another leaf or return.
#[test]
fn deferred_leaves_keep_the_first_verdict() {
    let ld_b = |k| Insn::stmt(LD | B | ABS, k);
    let jeq = |k, jt, jf| Insn::jump(JMP | JEQ | K, k, jt, jf);
    let ret = |k| Insn::stmt(RET | K, k);
    // Only rejections: an AND chain, then a load past short packets.
    let chain = prog(&[
        ld_b(0),
        jeq(0, 0, 5),
        ld_b(1),
        jeq(1, 3, 0),
        ld_b(40),
        jeq(7, 0, 1),
        ret(9),
        ret(0),
    ]);
    // Both kinds: accept on byte 0 = 1, reject on byte 1 = 2, else a
    // load at 40 and a division by X = 4 * (byte 2 & 15).
    let mixed = prog(&[
        ld_b(0),
        jeq(1, 6, 0),
        ld_b(1),
        jeq(2, 5, 0),
        Insn::stmt(LDX | B | MSH, 2),
        Insn::stmt(ALU | DIV | X, 0),
        ld_b(40),
        jeq(7, 0, 1),
        ret(5),
        ret(0),
    ]);
    let mut pkt = [0u8; 48];
    for (b0, b1, b2, b40) in [
        (0, 1, 0, 7),
        (0, 1, 0, 0),
        (0, 0, 0, 7),
        (1, 2, 0, 7),
        (1, 0, 0, 0),
        (0, 2, 3, 7),
        (0, 3, 0, 7),
        (2, 2, 2, 2),
    ] {
        pkt[0] = b0;
        pkt[1] = b1;
        pkt[2] = b2;
        pkt[40] = b40;
        for p in [&chain, &mixed] {
            for cut in [48, 41, 40, 3, 2, 1, 0] {
                both(p, &pkt[..cut], 48);
            }
        }
    }
    assert_eq!(both(&mixed, &[1, 2], 2), 5);
    assert_eq!(both(&mixed, &[0, 2, 0], 3), 0);
    assert_eq!(both(&chain, &[0, 1], 2), 0);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Random programs whose returns are `ret #0` or one accepting
    /// constant, so that jumps to both kinds of leaves are deferred.
    #[test]
    fn random_two_verdict_programs_agree_with_the_interpreter(
        code in proptest::collection::vec(any::<u8>(), 8..8 * 40),
        pkt in proptest::collection::vec(any::<u8>(), 0..80),
        cut in 0usize..80,
        wirelen in prop_oneof![Just(0u32), 0u32..2000, Just(u32::MAX)],
    ) {
        let p = program_from_bytes(&code).unwrap();
        let two = p.insns().iter().map(|i| match i.class() {
            RET => Insn::stmt(RET | K, if i.k & 1 == 0 { 0 } else { 0x40000 }),
            _ => *i,
        });
        let p = Program::new(two.collect()).unwrap();
        for pkt in [&pkt[..], &pkt[..cut.min(pkt.len())]] {
            both(&p, pkt, wirelen);
        }
    }

    #[test]
    fn random_programs_agree_with_the_interpreter(
        code in proptest::collection::vec(any::<u8>(), 8..8 * 40),
        pkt in proptest::collection::vec(any::<u8>(), 0..80),
        cut in 0usize..80,
        wirelen in prop_oneof![Just(0u32), 0u32..2000, Just(u32::MAX)],
    ) {
        let p = program_from_bytes(&code).unwrap();
        let Some(jit) = JitFilter::new(&p) else { return Ok(()) };
        // The whole packet and a truncated one.
        for pkt in [&pkt[..], &pkt[..cut.min(pkt.len())]] {
            prop_assert_eq!(
                jit.run(pkt, wirelen),
                interp::run(&p, pkt, wirelen),
                "program {:?}", p.insns()
            );
        }
    }

    #[test]
    fn compiled_filters_agree_with_the_interpreter(
        which in 0..EXPRS.len() + MORE_EXPRS.len(),
        mut pkt in proptest::collection::vec(any::<u8>(), 0..120),
        layer in 0u8..4,
        cut in 0usize..120,
        wire_extra in 0u32..50,
    ) {
        // Make Ethernet + IPv4/IPv6/VLAN likely so deeper paths run.
        if pkt.len() >= 60 {
            let (t, v) = match layer {
                0 => ([0x08, 0x00], 0x45),
                1 => ([0x86, 0xdd], 0x60),
                2 => ([0x81, 0x00], 0x00),
                _ => ([pkt[12], pkt[13]], pkt[14]),
            };
            pkt[12..14].copy_from_slice(&t);
            pkt[14] = v;
            if layer == 2 {
                pkt[16..18].copy_from_slice(&[0x08, 0x00]);
                pkt[18] = 0x45;
            }
        }
        let expr = EXPRS.get(which).unwrap_or_else(|| &MORE_EXPRS[which - EXPRS.len()]);
        let p = compile(expr, &CompileOptions::new(LinkType::EN10MB)).unwrap();
        let Some(jit) = JitFilter::new(&p) else { return Ok(()) };
        let wire = pkt.len() as u32 + wire_extra;
        for pkt in [&pkt[..], &pkt[..cut.min(pkt.len())]] {
            prop_assert_eq!(jit.run(pkt, wire), interp::run(&p, pkt, wire));
        }
    }
}
