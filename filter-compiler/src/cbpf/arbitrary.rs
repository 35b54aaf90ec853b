//! Valid classic BPF programs from arbitrary bytes, for property tests
//! and fuzz targets that compare the engines (interpreter, fast
//! executor, JIT). Every input maps to a program that passes the
//! validator, so no test time is spent on rejected programs, and the
//! constants lean towards the edges (bounds, shifts of 32, `SKF_AD_OFF`).

use super::Program;
use super::insn::*;
use super::validate::{divides_by_k, known_opcode, uses_scratch};

/// Constants worth trying as `k`: packet-length edges, shift widths,
/// the largest offsets and the kernel's ancillary-data and network/link
/// layer offsets (`SKF_AD_OFF` = -4096, `SKF_NET_OFF` = -0x100000,
/// `SKF_LL_OFF` = -0x200000), which libpcap's and bpfcap's interpreters
/// treat as ordinary (out of bounds) offsets.
pub(crate) const EDGES: [u32; 28] = [
    0,
    1,
    2,
    3,
    4,
    12,
    13,
    14,
    20,
    23,
    31,
    32,
    33,
    63,
    0xff,
    0x1000,
    0xffff,
    0x1_0000,
    0x7fff_fffb,
    0x7fff_ffff,
    0x8000_0000,
    0xffff_f000,
    0xffff_f004,
    0xfff0_0000,
    0xffe0_0000,
    0xffff_fffc,
    0xffff_fffe,
    0xffff_ffff,
];

/// The program `data` describes, 8 bytes per instruction (`code: u16 LE`,
/// `jt`, `jf`, `k: u32 LE`), made valid: the low byte of `code` picks one
/// of the kernel's opcodes, its high byte how `k` is read (small, an edge
/// value, or as is), jumps are cut to land inside the program, scratch
/// indices to 16, constant divisors made non-zero, and the last
/// instruction made a return. When scratch memory would be read before it
/// is written, every `M[i]` is first set from A (0 at the start). `None`
/// only for an empty `data`.
pub fn program_from_bytes(data: &[u8]) -> Option<Program> {
    let opcodes: Vec<u16> = (0..0x100).filter(|&c| known_opcode(c)).collect();
    let chunks: Vec<&[u8]> = data.chunks_exact(8).collect();
    let n = chunks.len();
    if n == 0 {
        return None;
    }
    let mut insns: Vec<Insn> = chunks
        .iter()
        .enumerate()
        .map(|(pc, c)| {
            let code = opcodes[usize::from(c[0]) % opcodes.len()];
            let raw = u32::from_le_bytes([c[4], c[5], c[6], c[7]]);
            let mut k = match c[1] % 4 {
                0 => raw % 64,
                1 => EDGES[raw as usize % EDGES.len()],
                2 => raw % 40,
                _ => raw,
            };
            let rest = (n - pc - 1).max(1) as u32;
            let (mut jt, mut jf) = (c[2], c[3]);
            match class_of(code) {
                JMP if code == JMP | JA => k %= rest,
                JMP => {
                    jt = (u32::from(jt) % rest.min(256)) as u8;
                    jf = (u32::from(jf) % rest.min(256)) as u8;
                }
                _ => (jt, jf) = (0, 0),
            }
            if uses_scratch(code) {
                k %= MEMWORDS;
            }
            if divides_by_k(code) && k == 0 {
                k = 1;
            }
            Insn { code, jt, jf, k }
        })
        .collect();
    let last = insns.last_mut().expect("not empty");
    if last.class() != RET {
        let code = if last.code & 1 == 0 { RET | A } else { RET | K };
        *last = Insn::stmt(code, last.k);
    }
    if let Ok(p) = Program::new(insns.clone()) {
        return Some(p);
    }
    let mut init: Vec<Insn> = (0..MEMWORDS).map(|i| Insn::stmt(ST, i)).collect();
    init.extend(insns);
    Some(Program::new(init).expect("a repaired program is valid"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_bytes_give_a_valid_program() {
        let mut seed = 0x1234_5678_u32;
        for len in 0..200 {
            let data: Vec<u8> = (0..len * 3)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 17;
                    seed ^= seed << 5;
                    seed as u8
                })
                .collect();
            let p = program_from_bytes(&data);
            assert_eq!(p.is_some(), data.len() >= 8);
        }
    }
}
