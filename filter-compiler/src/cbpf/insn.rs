//! The classic BPF instruction, laid out exactly like the kernel's
//! `struct sock_filter` so a program can be handed to `SO_ATTACH_FILTER`
//! without conversion.

/// One classic BPF instruction (`struct sock_filter` / `struct bpf_insn`).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Insn {
    /// Opcode: class, size/mode or operation, and operand source, or'ed
    /// together from the constants below.
    pub code: u16,
    /// Conditional jumps: instructions to skip when the test holds.
    pub jt: u8,
    /// Conditional jumps: instructions to skip when it does not.
    pub jf: u8,
    /// The operand: a constant, an offset, a scratch word, a return
    /// value or (`ja`) the distance to jump, depending on `code`.
    pub k: u32,
}

impl Insn {
    /// A non-jump instruction.
    pub const fn stmt(code: u16, k: u32) -> Insn {
        Insn {
            code,
            jt: 0,
            jf: 0,
            k,
        }
    }

    /// A conditional (or unconditional, with `jt = jf = 0`) jump.
    pub const fn jump(code: u16, k: u32, jt: u8, jf: u8) -> Insn {
        Insn { code, jt, jf, k }
    }

    /// Instruction class (`BPF_CLASS(code)`).
    pub const fn class(&self) -> u16 {
        self.code & 0x07
    }
}

// Instruction classes.
pub const LD: u16 = 0x00;
pub const LDX: u16 = 0x01;
pub const ST: u16 = 0x02;
pub const STX: u16 = 0x03;
pub const ALU: u16 = 0x04;
pub const JMP: u16 = 0x05;
pub const RET: u16 = 0x06;
pub const MISC: u16 = 0x07;

// Load sizes.
pub const W: u16 = 0x00;
pub const H: u16 = 0x08;
pub const B: u16 = 0x10;

// Load modes.
pub const IMM: u16 = 0x00;
pub const ABS: u16 = 0x20;
pub const IND: u16 = 0x40;
pub const MEM: u16 = 0x60;
pub const LEN: u16 = 0x80;
pub const MSH: u16 = 0xa0;

// ALU operations.
pub const ADD: u16 = 0x00;
pub const SUB: u16 = 0x10;
pub const MUL: u16 = 0x20;
pub const DIV: u16 = 0x30;
pub const OR: u16 = 0x40;
pub const AND: u16 = 0x50;
pub const LSH: u16 = 0x60;
pub const RSH: u16 = 0x70;
pub const NEG: u16 = 0x80;
pub const MOD: u16 = 0x90;
pub const XOR: u16 = 0xa0;

// Jump operations.
pub const JA: u16 = 0x00;
pub const JEQ: u16 = 0x10;
pub const JGT: u16 = 0x20;
pub const JGE: u16 = 0x30;
pub const JSET: u16 = 0x40;

// Operand source.
pub const K: u16 = 0x00;
pub const X: u16 = 0x08;
/// `BPF_RVAL` for `ret a`.
pub const A: u16 = 0x10;

// Misc operations.
pub const TAX: u16 = 0x00;
pub const TXA: u16 = 0x80;

/// Number of scratch memory words (`BPF_MEMWORDS`).
pub const MEMWORDS: u32 = 16;

/// Largest program the kernel accepts (`BPF_MAXINSNS`).
pub const MAXINSNS: usize = 4096;

/// Largest program iptables' `-m bpf --bytecode` takes
/// (`XT_BPF_MAX_NUM_INSTR` in `linux/netfilter/xt_bpf.h`).
pub const XT_BPF_MAX_NUM_INSTR: usize = 64;

/// Largest program bpfcap generates. Like libpcap, it compiles programs
/// longer than the kernel takes: they run in user space (offline replay,
/// or live capture filtering after the kernel). The bound only keeps a
/// pathological expression from taking unbounded time and memory.
pub const MAX_PROGRAM: usize = 1 << 20;

/// The fields of a load's opcode, so that code reading instructions names
/// them instead of masking `code` (`BPF_MODE`, `BPF_SIZE` of the kernel's
/// `filter.h`). They compare with the constants of this module: `LD` with
/// [`class`](Insn::class), `ABS` with [`mode`](Insn::mode), `H` with
/// [`size`](Insn::size).
impl Insn {
    /// Addressing mode of a load (`BPF_MODE(code)`): [`IMM`], [`ABS`],
    /// [`IND`], [`MEM`], [`LEN`] or [`MSH`].
    pub const fn mode(&self) -> u16 {
        self.code & 0xe0
    }

    /// Width of a load (`BPF_SIZE(code)`): [`W`], [`H`] or [`B`].
    pub const fn size(&self) -> u16 {
        self.code & 0x18
    }
}

/// Linux's `SKF_AD_OFF`: absolute loads at or above this offset read packet
/// metadata ("ancillary data") instead of packet bytes; `SKF_AD_OFF + n`
/// reads the item at offset `n` (`SKF_AD_PROTOCOL` = 0, ...).
pub const SKF_AD_OFF: u32 = 0xffff_f000;
