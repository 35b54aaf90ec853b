//! tcpdump-style program listings (`-d`, `-dd`, `-ddd`).
//!
//! The output is meant to be byte-identical to what `tcpdump` (i.e. libpcap's
//! `bpf_dump()` / `bpf_image()`) prints, so that listings produced by this
//! crate can be diffed directly against the reference implementation. That is
//! why a few C `printf` quirks are reproduced deliberately:
//!
//! * operands printed with `%d` in libpcap are formatted as *signed* 32-bit
//!   integers (`ret #-1` for `k = 0xffffffff`), so we cast `k` to `i32`;
//! * jump targets are absolute instruction numbers (`pc + 1 + offset`);
//! * conditional jumps pad the operand to 16 columns before ` jt`, and separate
//!   `jt` from `jf` with a tab.

use std::fmt::Write as _;

use super::insn::*;

/// The three listing styles of `tcpdump -d`, `-dd` and `-ddd`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// `-d`: human-readable assembly, one `bpf_image()` line per instruction.
    Image,
    /// `-dd`: a C array initializer fragment.
    C,
    /// `-ddd`: the instruction count, then `code jt jf k` in decimal.
    Decimal,
}

/// Renders the program as tcpdump would print it (every line ends in '\n').
pub fn render(insns: &[Insn], format: Format) -> String {
    let mut out = String::new();
    match format {
        Format::Image => {
            for (pc, insn) in insns.iter().enumerate() {
                out.push_str(&image(insn, pc));
                out.push('\n');
            }
        }
        Format::C => {
            for insn in insns {
                // `{ 0x%x, %d, %d, 0x%08x },` from bpf_dump(…, 2).
                let _ = writeln!(
                    out,
                    "{{ 0x{:x}, {}, {}, 0x{:08x} }},",
                    insn.code, insn.jt, insn.jf, insn.k
                );
            }
        }
        Format::Decimal => {
            let _ = writeln!(out, "{}", insns.len());
            for insn in insns {
                let _ = writeln!(out, "{} {} {} {}", insn.code, insn.jt, insn.jf, insn.k);
            }
        }
    }
    out
}

/// The program as iptables' `-m bpf --bytecode` takes it, and as its
/// `nfbpf_compile` prints it: the count, then each instruction's `code jt
/// jf k` in decimal, all joined by commas (`-ddd` on one line).
pub fn xt_bpf(insns: &[Insn]) -> String {
    let mut out = insns.len().to_string();
    for insn in insns {
        let _ = write!(out, ",{} {} {} {}", insn.code, insn.jt, insn.jf, insn.k);
    }
    out.push('\n');
    out
}

/// One `-d` line (without the trailing newline), mirroring libpcap's
/// `bpf_image(p, n)`. Unknown opcodes render as `unimp 0x<code>` just as
/// libpcap does, so a listing never fails.
pub fn image(insn: &Insn, pc: usize) -> String {
    let k = insn.k;
    // C's `%d` applied to a `u_int`: reinterpret as signed.
    let sk = k as i32;
    let (op, operand): (&str, String) = match insn.code {
        c if c == RET | K => ("ret", format!("#{sk}")),
        // libpcap prints no operand for `ret a` (it reads as a bare `ret`).
        c if c == RET | A => ("ret", String::new()),

        c if c == LD | W | ABS => ("ld", abs_operand(k)),
        c if c == LD | H | ABS => ("ldh", abs_operand(k)),
        c if c == LD | B | ABS => ("ldb", abs_operand(k)),
        c if c == LD | W | LEN => ("ld", "#pktlen".into()),
        c if c == LD | W | IND => ("ld", format!("[x + {sk}]")),
        c if c == LD | H | IND => ("ldh", format!("[x + {sk}]")),
        c if c == LD | B | IND => ("ldb", format!("[x + {sk}]")),
        c if c == LD | IMM => ("ld", format!("#0x{k:x}")),
        c if c == LDX | IMM => ("ldx", format!("#0x{k:x}")),
        c if c == LDX | MSH | B => ("ldxb", format!("4*([{sk}]&0xf)")),
        c if c == LD | MEM => ("ld", format!("M[{sk}]")),
        c if c == LDX | MEM => ("ldx", format!("M[{sk}]")),
        c if c == ST => ("st", format!("M[{sk}]")),
        c if c == STX => ("stx", format!("M[{sk}]")),

        // `ja` prints its absolute target as the operand; `n + 1 + k` is
        // computed in C `int` arithmetic, hence the wrapping signed add.
        c if c == JMP | JA => (
            "ja",
            format!("{}", (pc as i32).wrapping_add(1).wrapping_add(sk)),
        ),
        c if c == JMP | JGT | K => ("jgt", format!("#0x{k:x}")),
        c if c == JMP | JGE | K => ("jge", format!("#0x{k:x}")),
        c if c == JMP | JEQ | K => ("jeq", format!("#0x{k:x}")),
        c if c == JMP | JSET | K => ("jset", format!("#0x{k:x}")),
        c if c == JMP | JGT | X => ("jgt", "x".into()),
        c if c == JMP | JGE | X => ("jge", "x".into()),
        c if c == JMP | JEQ | X => ("jeq", "x".into()),
        c if c == JMP | JSET | X => ("jset", "x".into()),

        c if c == ALU | NEG => ("neg", String::new()),
        c if class_of(c) == ALU => {
            let name = match op_of(c) {
                ADD => "add",
                SUB => "sub",
                MUL => "mul",
                DIV => "div",
                MOD => "mod",
                AND => "and",
                OR => "or",
                XOR => "xor",
                LSH => "lsh",
                RSH => "rsh",
                _ => "unimp",
            };
            // As in libpcap, bits above the opcode byte make it unknown.
            if name == "unimp" || c > 0xff {
                ("unimp", format!("0x{c:x}"))
            } else if src_of(c) == X {
                (name, "x".into())
            } else if matches!(op_of(c), AND | OR | XOR) {
                // libpcap shows bitwise-operation masks in hex …
                (name, format!("#0x{k:x}"))
            } else {
                // … and arithmetic/shift amounts in signed decimal.
                (name, format!("#{sk}"))
            }
        }

        c if c == MISC | TAX => ("tax", String::new()),
        c if c == MISC | TXA => ("txa", String::new()),

        c => ("unimp", format!("0x{c:x}")),
    };

    // As in libpcap, the layout depends only on the class and op bits, so an
    // unknown JMP-class opcode still gets the `jt`/`jf` columns.
    if insn.class() == JMP && insn.op() != JA {
        format!(
            "({pc:03}) {op:<8} {operand:<16} jt {}\tjf {}",
            pc + 1 + usize::from(insn.jt),
            pc + 1 + usize::from(insn.jf)
        )
    } else {
        format!("({pc:03}) {op:<8} {operand}")
    }
}

/// Names libpcap (built for Linux, as tcpdump is here) gives the ancillary
/// offsets, indexed by `(k - SKF_AD_OFF) / 4`; `SKF_AD_MAX` is 64.
const ANCILLARY: [&str; 16] = [
    "proto",
    "type",
    "ifidx",
    "nla",
    "nlan",
    "mark",
    "queue",
    "hatype",
    "rxhash",
    "cpu",
    "xor_x",
    "vlan_tci",
    "vlanp",
    "poff",
    "random",
    "vlan_tpid",
];

/// Operand of an absolute load: `[k]`, or `[name]` for a known Linux
/// ancillary offset (e.g. `ldb [vlanp]`), as `bpf_print_abs_load_operand()`.
fn abs_operand(k: u32) -> String {
    let off = k.wrapping_sub(SKF_AD_OFF);
    if k >= SKF_AD_OFF
        && off.is_multiple_of(4)
        && let Some(name) = ANCILLARY.get((off / 4) as usize)
    {
        return format!("[{name}]");
    }
    format!("[{}]", k as i32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(insn: Insn, pc: usize) -> String {
        image(&insn, pc)
    }

    #[test]
    fn msh_load_formats_header_length() {
        assert_eq!(
            line(Insn::stmt(LDX | MSH | B, 14), 4),
            "(004) ldxb     4*([14]&0xf)"
        );
    }

    #[test]
    fn ret_a_and_ret_k() {
        assert_eq!(line(Insn::stmt(RET | A, 0), 0), "(000) ret      ");
        assert_eq!(
            line(Insn::stmt(RET | K, 262144), 7),
            "(007) ret      #262144"
        );
        // `%d` on a u_int: large values come out negative, as in tcpdump.
        assert_eq!(line(Insn::stmt(RET | K, u32::MAX), 1), "(001) ret      #-1");
    }

    #[test]
    fn ancillary_loads_are_named() {
        assert_eq!(
            line(Insn::stmt(LD | B | ABS, 0xffff_f030), 2),
            "(002) ldb      [vlanp]"
        );
        assert_eq!(
            line(Insn::stmt(LD | W | ABS, 0xffff_f000), 0),
            "(000) ld       [proto]"
        );
        // Not a known slot: falls back to the signed decimal offset.
        assert_eq!(
            line(Insn::stmt(LD | W | ABS, 0xffff_f001), 0),
            "(000) ld       [-4095]"
        );
    }

    #[test]
    fn operandless_instructions() {
        assert_eq!(line(Insn::stmt(ALU | NEG, 0), 3), "(003) neg      ");
        assert_eq!(line(Insn::stmt(MISC | TAX, 0), 3), "(003) tax      ");
        assert_eq!(line(Insn::stmt(MISC | TXA, 0), 3), "(003) txa      ");
    }

    #[test]
    fn jumps_use_absolute_targets() {
        assert_eq!(
            line(Insn::jump(JMP | JEQ | K, 0x800, 0, 3), 1),
            "(001) jeq      #0x800           jt 2\tjf 5"
        );
        assert_eq!(line(Insn::jump(JMP | JA, 3, 0, 0), 1), "(001) ja       5");
        assert_eq!(
            line(Insn::jump(JMP | JGT | X, 0, 1, 0), 10),
            "(010) jgt      x                jt 12\tjf 11"
        );
    }

    #[test]
    fn c_and_decimal_forms() {
        let prog = [Insn::stmt(LD | H | ABS, 12), Insn::stmt(RET | K, 0)];
        assert_eq!(
            render(&prog, Format::C),
            "{ 0x28, 0, 0, 0x0000000c },\n{ 0x6, 0, 0, 0x00000000 },\n"
        );
        assert_eq!(render(&prog, Format::Decimal), "2\n40 0 0 12\n6 0 0 0\n");
        assert_eq!(xt_bpf(&prog), "2,40 0 0 12,6 0 0 0\n");
    }
}
