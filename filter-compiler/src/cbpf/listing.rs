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
            // Room for 52 bytes a line: one allocation for most programs.
            // Long programs are mostly conditional jumps, whose lines take
            // 44 to 49 bytes (`(1234) jeq      #0xa010203       jt 1235\tjf
            // 1236`); at 40 the listing of 1,000 hosts (48 a line) grew
            // once, copying what it held.
            let mut bytes = Vec::with_capacity(insns.len() * 52);
            let mut line = Line::new();
            for (pc, insn) in insns.iter().enumerate() {
                image_into(&mut bytes, &mut line, insn, pc);
                bytes.push(b'\n');
            }
            out = ascii(bytes);
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
    let mut out = Vec::new();
    image_into(&mut out, &mut Line::new(), insn, pc);
    ascii(out)
}

/// A listing's bytes as text: they are ASCII, written as bytes so that
/// no character is encoded on its own.
fn ascii(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// What follows an instruction's name in its `-d` line.
enum Operand {
    Bare,
    /// `#k` (`%d`: signed).
    Imm(i32),
    /// `#0xk`.
    Hex(u32),
    /// `0xcode` (an unknown opcode).
    Code(u16),
    /// A number alone (`ja`'s target).
    Dec(i32),
    /// `[k]` or an ancillary name (`bpf_print_abs_load_operand()`).
    Abs(u32),
    /// `[x + k]`.
    Ind(i32),
    /// `4*([k]&0xf)`.
    Msh(i32),
    /// `M[k]`.
    Mem(i32),
    Text(&'static str),
}

/// [`image`], appended to `list`: a listing of thousands of lines is
/// written into one string with no allocation (and no formatting
/// machinery) per line, which took most of a long listing's time. The
/// line is made in `line` (its room reused from line to line).
fn image_into(list: &mut Vec<u8>, line: &mut Line, insn: &Insn, pc: usize) {
    line.len = 0;
    let out = &mut *line;
    let k = insn.k;
    // C's `%d` applied to a `u_int`: reinterpret as signed.
    let sk = k as i32;
    use Operand::*;
    let (op, operand): (&Name, Operand) = match insn.code {
        c if c == RET | K => (name!("ret"), Imm(sk)),
        // libpcap prints no operand for `ret a` (it reads as a bare `ret`).
        c if c == RET | A => (name!("ret"), Bare),

        c if c == LD | W | ABS => (name!("ld"), Abs(k)),
        c if c == LD | H | ABS => (name!("ldh"), Abs(k)),
        c if c == LD | B | ABS => (name!("ldb"), Abs(k)),
        c if c == LD | W | LEN => (name!("ld"), Text("#pktlen")),
        c if c == LD | W | IND => (name!("ld"), Ind(sk)),
        c if c == LD | H | IND => (name!("ldh"), Ind(sk)),
        c if c == LD | B | IND => (name!("ldb"), Ind(sk)),
        c if c == LD | IMM => (name!("ld"), Hex(k)),
        c if c == LDX | IMM => (name!("ldx"), Hex(k)),
        c if c == LDX | MSH | B => (name!("ldxb"), Msh(sk)),
        c if c == LD | MEM => (name!("ld"), Mem(sk)),
        c if c == LDX | MEM => (name!("ldx"), Mem(sk)),
        c if c == ST => (name!("st"), Mem(sk)),
        c if c == STX => (name!("stx"), Mem(sk)),

        // `ja` prints its absolute target as the operand; `n + 1 + k` is
        // computed in C `int` arithmetic, hence the wrapping signed add.
        c if c == JMP | JA => (
            name!("ja"),
            Dec((pc as i32).wrapping_add(1).wrapping_add(sk)),
        ),
        c if c == JMP | JGT | K => (name!("jgt"), Hex(k)),
        c if c == JMP | JGE | K => (name!("jge"), Hex(k)),
        c if c == JMP | JEQ | K => (name!("jeq"), Hex(k)),
        c if c == JMP | JSET | K => (name!("jset"), Hex(k)),
        c if c == JMP | JGT | X => (name!("jgt"), Text("x")),
        c if c == JMP | JGE | X => (name!("jge"), Text("x")),
        c if c == JMP | JEQ | X => (name!("jeq"), Text("x")),
        c if c == JMP | JSET | X => (name!("jset"), Text("x")),

        c if c == ALU | NEG => (name!("neg"), Bare),
        c if class_of(c) == ALU => {
            let name = match op_of(c) {
                ADD => name!("add"),
                SUB => name!("sub"),
                MUL => name!("mul"),
                DIV => name!("div"),
                MOD => name!("mod"),
                AND => name!("and"),
                OR => name!("or"),
                XOR => name!("xor"),
                LSH => name!("lsh"),
                RSH => name!("rsh"),
                _ => name!("unimp"),
            };
            // As in libpcap, bits above the opcode byte make it unknown.
            if name == name!("unimp") || c > 0xff {
                (name!("unimp"), Code(c))
            } else if src_of(c) == X {
                (name, Text("x"))
            } else if matches!(op_of(c), AND | OR | XOR) {
                // libpcap shows bitwise-operation masks in hex …
                (name, Hex(k))
            } else {
                // … and arithmetic/shift amounts in signed decimal.
                (name, Imm(sk))
            }
        }

        c if c == MISC | TAX => (name!("tax"), Bare),
        c if c == MISC | TXA => (name!("txa"), Bare),

        c => (name!("unimp"), Code(c)),
    };

    // `(%03d) %-8s %s`
    out.push(b'(');
    if pc < 100 {
        out.extend(if pc < 10 { b"00" } else { b"0" });
    }
    push_dec(out, pc);
    out.extend(b") ");
    out.put(op, NAME_WIDTH);
    out.push(b' ');
    let start = out.len;
    match operand {
        Bare => {}
        Imm(v) => {
            out.push(b'#');
            push_dec(out, v);
        }
        Hex(v) => {
            out.push(b'#');
            push_hex(out, v);
        }
        Code(c) => push_hex(out, c.into()),
        Dec(v) => push_dec(out, v),
        Abs(v) => abs_operand(out, v),
        Ind(v) => {
            out.extend(b"[x + ");
            push_dec(out, v);
            out.push(b']');
        }
        Msh(v) => {
            out.extend(b"4*([");
            push_dec(out, v);
            out.extend(b"]&0xf)");
        }
        Mem(v) => {
            out.extend(b"M[");
            push_dec(out, v);
            out.push(b']');
        }
        Text(t) => out.extend(t.as_bytes()),
    }
    // As in libpcap, the layout depends only on the class and op bits, so an
    // unknown JMP-class opcode still gets the `jt`/`jf` columns: `%-16s jt
    // %d\tjf %d`.
    if insn.class() == JMP && insn.op() != JA {
        let width = out.len - start;
        spaces(out, 16usize.saturating_sub(width));
        let (t, f) = insn.targets(pc);
        out.extend(b" jt ");
        push_dec(out, t);
        out.extend(b"\tjf ");
        push_dec(out, f);
    }
    list.extend_from_slice(line.bytes());
}

/// One `-d` line as it is written: pieces go into a buffer on the stack,
/// without the capacity checks of a growing vector, and the line into
/// the listing at once.
struct Line {
    buf: [u8; Line::MAX],
    len: usize,
}

impl Line {
    /// Longer than any line: a 20-digit number, the name and operand
    /// columns, and two more 20-digit jump targets; with room for a
    /// [`Line::put`] chunk past its end.
    const MAX: usize = 128;

    fn new() -> Line {
        Line {
            buf: [0; Line::MAX],
            len: 0,
        }
    }

    #[inline]
    fn push(&mut self, b: u8) {
        self.buf[self.len] = b;
        self.len += 1;
    }

    #[inline]
    fn extend(&mut self, s: &[u8]) {
        self.buf[self.len..self.len + s.len()].copy_from_slice(s);
        self.len += s.len();
    }

    /// Writes all of `chunk` but keeps only its first `len` bytes: a
    /// copy of a fixed size is a few moves, where one of a size known
    /// only at run time (a name, padding, a hex number) was a call of
    /// `memcpy` or `memset`, several a line.
    #[inline]
    fn put<const N: usize>(&mut self, chunk: &[u8; N], len: usize) {
        self.buf[self.len..self.len + N].copy_from_slice(chunk);
        self.len += len.min(N);
    }

    fn bytes(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

/// An instruction's name as `%-8s` prints it: left-aligned in
/// [`NAME_WIDTH`] columns (every name fits).
type Name = [u8; NAME_WIDTH];

const NAME_WIDTH: usize = 8;

/// `s` padded to a [`Name`].
const fn padded(s: &str) -> Name {
    let mut name = [b' '; NAME_WIDTH];
    let mut i = 0;
    while i < s.len() {
        name[i] = s.as_bytes()[i];
        i += 1;
    }
    name
}

/// The padded name `s`, made at compile time.
macro_rules! name {
    ($s:literal) => {
        &const { padded($s) }
    };
}
use name;

/// `n` spaces (at most 16, the widest column).
fn spaces(out: &mut Line, n: usize) {
    out.put(b"                ", n);
}

/// `v` in decimal: `%u` for an unsigned `v`, `%d` for a signed one.
fn push_dec(out: &mut Line, v: impl itoa::Integer) {
    out.extend(itoa::Buffer::new().format(v).as_bytes());
}

/// `0x` and `v` in lower-case hex (`0x%x`).
fn push_hex(out: &mut Line, v: u32) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut buf = *b"0x00000000";
    let digits = (32 - v.leading_zeros()).div_ceil(4).max(1) as usize;
    for d in 0..digits {
        buf[1 + digits - d] = DIGITS[((v >> (4 * d)) & 0xf) as usize];
    }
    out.put(&buf, 2 + digits);
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
fn abs_operand(out: &mut Line, k: u32) {
    let off = k.wrapping_sub(SKF_AD_OFF);
    if k >= SKF_AD_OFF
        && off.is_multiple_of(4)
        && let Some(name) = ANCILLARY.get((off / 4) as usize)
    {
        out.push(b'[');
        out.extend(name.as_bytes());
        out.push(b']');
        return;
    }
    out.push(b'[');
    push_dec(out, k as i32);
    out.push(b']');
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

    /// The hand-written number formatting prints what `format!` does.
    #[test]
    fn numbers_as_printf_prints_them() {
        for v in [
            0u32,
            1,
            9,
            10,
            99,
            100,
            0xf,
            0x10,
            0x7fff_ffff,
            0x8000_0000,
            u32::MAX,
        ] {
            let mut s = Line::new();
            push_dec(&mut s, v);
            push_dec(&mut s, v as i32);
            push_hex(&mut s, v);
            assert_eq!(s.bytes(), format!("{v}{}0x{v:x}", v as i32).as_bytes());
        }
        assert_eq!(line(Insn::stmt(RET | K, 0), 1234), "(1234) ret      #0");
        assert_eq!(
            line(Insn::jump(JMP | JSET | K, 0xffff_ffff, 255, 0), 999),
            "(999) jset     #0xffffffff      jt 1255\tjf 1000"
        );
        assert_eq!(line(Insn::stmt(ALU | 0xf0, 0), 0), "(000) unimp    0xf4");
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
