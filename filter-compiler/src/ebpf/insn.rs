//! The eBPF instruction, laid out like the kernel's `struct bpf_insn`, and
//! its vocabulary: the opcode fields of `linux/bpf.h`, registers, and a
//! constructor for each kind of instruction, so that no caller puts opcode
//! bits together by hand.
//!
//! The ALU and jump operations are [`AluOp`] and [`JmpOp`], the table
//! shared with classic BPF.

pub use crate::opcode::{AluOp, JmpOp};

use super::helper::Helper;

/// One eBPF instruction (`struct bpf_insn`): opcode, destination and
/// source registers in one byte, a signed 16-bit offset and a signed
/// 32-bit immediate.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Insn {
    /// The opcode: class, then size and mode (loads and stores) or
    /// source and operation (ALU and jumps).
    pub code: u8,
    /// `dst_reg` in the low nibble, `src_reg` in the high one.
    pub regs: u8,
    /// Memory offset, or a jump's distance in instructions after it.
    pub off: i16,
    /// The immediate operand.
    pub imm: i32,
}

// Instruction classes (`BPF_CLASS`, bits 0–2).
/// `BPF_LD`: 64-bit immediates and the legacy packet loads.
pub const LD: u8 = 0x00;
/// `BPF_LDX`: load from memory into a register.
pub const LDX: u8 = 0x01;
/// `BPF_ST`: store an immediate in memory.
pub const ST: u8 = 0x02;
/// `BPF_STX`: store a register in memory (and atomic operations).
pub const STX: u8 = 0x03;
/// `BPF_ALU`: 32-bit arithmetic (the upper half of `dst` is zeroed).
pub const ALU: u8 = 0x04;
/// `BPF_JMP`: jumps comparing 64-bit registers, calls, exit.
pub const JMP: u8 = 0x05;
/// `BPF_JMP32`: jumps comparing the lower 32 bits.
pub const JMP32: u8 = 0x06;
/// `BPF_ALU64`: 64-bit arithmetic.
pub const ALU64: u8 = 0x07;

// Sizes (`BPF_SIZE`, bits 3–4).
/// `BPF_W`: 32 bits.
pub const W: u8 = 0x00;
/// `BPF_H`: 16 bits.
pub const H: u8 = 0x08;
/// `BPF_B`: 8 bits.
pub const B: u8 = 0x10;
/// `BPF_DW`: 64 bits.
pub const DW: u8 = 0x18;

// Modes (`BPF_MODE`, bits 5–7).
/// `BPF_IMM`: a 64-bit immediate over two instructions.
pub const IMM: u8 = 0x00;
/// `BPF_ABS`: legacy packet load at a constant offset.
pub const ABS: u8 = 0x20;
/// `BPF_IND`: legacy packet load at a register plus a constant.
pub const IND: u8 = 0x40;
/// `BPF_MEM`: memory at a register plus `off`.
pub const MEM: u8 = 0x60;
/// `BPF_ATOMIC`: an atomic operation on memory (the operation in `imm`).
pub const ATOMIC: u8 = 0xc0;

// Operand source (`BPF_SRC`, bit 3).
/// `BPF_K`: the immediate.
pub const K: u8 = 0x00;
/// `BPF_X`: the source register.
pub const X: u8 = 0x08;

/// `BPF_TO_BE`, the source bit of [`AluOp::End`]: host order to
/// big-endian, which on a little-endian host swaps.
pub const TO_BE: u8 = 0x08;
/// `BPF_TO_LE`: host order to little-endian.
pub const TO_LE: u8 = 0x00;

/// `BPF_PSEUDO_MAP_FD`: the source register of a 64-bit immediate load
/// whose immediate is a map's file descriptor (or, in an object file, a
/// relocation to the map).
pub const PSEUDO_MAP_FD: u8 = 1;

/// An eBPF register, `r0` to `r10`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Reg(u8);

impl Reg {
    /// Return value, and the result of helper calls.
    pub const R0: Reg = Reg(0);
    /// First argument (the context on entry).
    pub const R1: Reg = Reg(1);
    /// Second argument.
    pub const R2: Reg = Reg(2);
    /// Third argument.
    pub const R3: Reg = Reg(3);
    /// Fourth argument.
    pub const R4: Reg = Reg(4);
    /// Fifth argument.
    pub const R5: Reg = Reg(5);
    /// Callee-saved.
    pub const R6: Reg = Reg(6);
    /// Callee-saved.
    pub const R7: Reg = Reg(7);
    /// Callee-saved.
    pub const R8: Reg = Reg(8);
    /// Callee-saved.
    pub const R9: Reg = Reg(9);
    /// Read-only frame pointer (the stack grows down from it).
    pub const R10: Reg = Reg(10);

    /// The register's number.
    pub const fn index(self) -> u8 {
        self.0
    }
}

/// The width of a load or store.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Size {
    /// 8 bits ([`B`]).
    B,
    /// 16 bits ([`H`]).
    H,
    /// 32 bits ([`W`]).
    W,
    /// 64 bits ([`DW`]).
    DW,
}

impl Size {
    /// The `BPF_SIZE` bits.
    pub const fn code(self) -> u8 {
        match self {
            Size::B => B,
            Size::H => H,
            Size::W => W,
            Size::DW => DW,
        }
    }

    /// The size of `bytes` bytes (1, 2, 4 or 8; anything else is taken
    /// as 4, the filter language's word).
    pub const fn of_bytes(bytes: u8) -> Size {
        match bytes {
            1 => Size::B,
            2 => Size::H,
            8 => Size::DW,
            _ => Size::W,
        }
    }
}

impl Insn {
    /// An instruction from its fields.
    const fn raw(code: u8, dst: Reg, src: Reg, off: i16, imm: i32) -> Insn {
        Insn {
            code,
            regs: (src.0 << 4) | (dst.0 & 0x0f),
            off,
            imm,
        }
    }

    /// `dst = dst OP imm`, 64-bit.
    pub const fn alu64_imm(op: AluOp, dst: Reg, imm: i32) -> Insn {
        Insn::raw(ALU64 | op.code() | K, dst, Reg::R0, 0, imm)
    }

    /// `dst = dst OP src`, 64-bit.
    pub const fn alu64_reg(op: AluOp, dst: Reg, src: Reg) -> Insn {
        Insn::raw(ALU64 | op.code() | X, dst, src, 0, 0)
    }

    /// `dst = dst OP imm`, 32-bit.
    pub const fn alu32_imm(op: AluOp, dst: Reg, imm: i32) -> Insn {
        Insn::raw(ALU | op.code() | K, dst, Reg::R0, 0, imm)
    }

    /// `dst = dst OP src`, 32-bit.
    pub const fn alu32_reg(op: AluOp, dst: Reg, src: Reg) -> Insn {
        Insn::raw(ALU | op.code() | X, dst, src, 0, 0)
    }

    /// `dst = src`, 64-bit.
    pub const fn mov64_reg(dst: Reg, src: Reg) -> Insn {
        Insn::alu64_reg(AluOp::Mov, dst, src)
    }

    /// `dst = imm`, sign-extended to 64 bits.
    pub const fn mov64_imm(dst: Reg, imm: i32) -> Insn {
        Insn::alu64_imm(AluOp::Mov, dst, imm)
    }

    /// `dst = src`, 32-bit (the upper half zeroed).
    pub const fn mov32_reg(dst: Reg, src: Reg) -> Insn {
        Insn::alu32_reg(AluOp::Mov, dst, src)
    }

    /// `dst = imm`, 32-bit (the upper half zeroed).
    pub const fn mov32_imm(dst: Reg, imm: i32) -> Insn {
        Insn::alu32_imm(AluOp::Mov, dst, imm)
    }

    /// `dst = -dst`, 32-bit.
    pub const fn neg32(dst: Reg) -> Insn {
        Insn::raw(ALU | AluOp::Neg.code(), dst, Reg::R0, 0, 0)
    }

    /// The lower `bits` (16, 32 or 64) of `dst` from host order to
    /// big-endian (`be16`/`be32`/`be64`): on a little-endian host, a byte
    /// swap, which makes a big-endian packet field a number.
    pub const fn to_be(dst: Reg, bits: i32) -> Insn {
        Insn::raw(ALU | AluOp::End.code() | TO_BE, dst, Reg::R0, 0, bits)
    }

    /// `r0 = packet[imm]`, big-endian, converted to host order (legacy
    /// `LD_ABS`, `r6` the `__sk_buff`); a read past the end exits with 0.
    pub const fn ld_abs(size: Size, imm: i32) -> Insn {
        Insn::raw(LD | ABS | size.code(), Reg::R0, Reg::R0, 0, imm)
    }

    /// `r0 = packet[src + imm]`, like [`Insn::ld_abs`] (legacy `LD_IND`).
    pub const fn ld_ind(size: Size, src: Reg, imm: i32) -> Insn {
        Insn::raw(LD | IND | size.code(), Reg::R0, src, 0, imm)
    }

    /// `dst = 64-bit immediate`: two instructions, the second carrying the
    /// upper half.
    pub const fn ld_imm64(dst: Reg, imm: u64) -> [Insn; 2] {
        Insn::ld_dw_imm(dst, Reg::R0, imm)
    }

    /// `dst = &map`: a 64-bit immediate load of map file descriptor `fd`
    /// (in an object file, 0 and a relocation to the map).
    pub const fn ld_map_fd(dst: Reg, fd: i32) -> [Insn; 2] {
        Insn::ld_dw_imm(dst, Reg(PSEUDO_MAP_FD), fd as u32 as u64)
    }

    const fn ld_dw_imm(dst: Reg, src: Reg, imm: u64) -> [Insn; 2] {
        [
            Insn::raw(LD | IMM | DW, dst, src, 0, imm as u32 as i32),
            Insn::raw(0, Reg::R0, Reg::R0, 0, (imm >> 32) as u32 as i32),
        ]
    }

    /// Whether this is the first half of [`Insn::ld_map_fd`].
    pub const fn is_ld_map_fd(&self) -> bool {
        self.code == LD | IMM | DW && self.src().0 == PSEUDO_MAP_FD
    }

    /// `dst = *(size *)(src + off)`.
    pub const fn ldx_mem(size: Size, dst: Reg, src: Reg, off: i16) -> Insn {
        Insn::raw(LDX | MEM | size.code(), dst, src, off, 0)
    }

    /// `*(size *)(dst + off) = src`.
    pub const fn stx_mem(size: Size, dst: Reg, src: Reg, off: i16) -> Insn {
        Insn::raw(STX | MEM | size.code(), dst, src, off, 0)
    }

    /// `*(size *)(dst + off) = imm`.
    pub const fn st_mem(size: Size, dst: Reg, off: i16, imm: i32) -> Insn {
        Insn::raw(ST | MEM | size.code(), dst, Reg::R0, off, imm)
    }

    /// `if dst OP imm goto +off`, comparing 64 bits.
    pub const fn jmp_imm(op: JmpOp, dst: Reg, imm: i32, off: i16) -> Insn {
        Insn::raw(JMP | op.code() | K, dst, Reg::R0, off, imm)
    }

    /// `if dst OP src goto +off`, comparing 64 bits.
    pub const fn jmp_reg(op: JmpOp, dst: Reg, src: Reg, off: i16) -> Insn {
        Insn::raw(JMP | op.code() | X, dst, src, off, 0)
    }

    /// `if dst OP imm goto +off`, comparing the lower 32 bits.
    pub const fn jmp32_imm(op: JmpOp, dst: Reg, imm: i32, off: i16) -> Insn {
        Insn::raw(JMP32 | op.code() | K, dst, Reg::R0, off, imm)
    }

    /// `if dst OP src goto +off`, comparing the lower 32 bits.
    pub const fn jmp32_reg(op: JmpOp, dst: Reg, src: Reg, off: i16) -> Insn {
        Insn::raw(JMP32 | op.code() | X, dst, src, off, 0)
    }

    /// `goto +off`.
    pub const fn ja(off: i16) -> Insn {
        Insn::raw(JMP | JmpOp::Ja.code(), Reg::R0, Reg::R0, off, 0)
    }

    /// `r0 = helper(r1, ..., r5)`; r1–r5 are clobbered.
    pub const fn call(helper: Helper) -> Insn {
        Insn::raw(JMP | JmpOp::Call.code(), Reg::R0, Reg::R0, 0, helper.id())
    }

    /// `return r0`.
    pub const fn exit() -> Insn {
        Insn::raw(JMP | JmpOp::Exit.code(), Reg::R0, Reg::R0, 0, 0)
    }

    /// The instruction class (`BPF_CLASS`): [`LD`] … [`ALU64`].
    pub const fn class(&self) -> u8 {
        self.code & 0x07
    }

    /// The operation bits (`BPF_OP`) of an ALU or jump instruction: an
    /// [`AluOp`] or [`JmpOp`] code.
    pub const fn op(&self) -> u8 {
        self.code & 0xf0
    }

    /// The mode bits (`BPF_MODE`) of a load or store: [`IMM`] … [`ATOMIC`].
    pub const fn mode(&self) -> u8 {
        self.code & 0xe0
    }

    /// Whether an ALU or jump instruction takes the source register
    /// ([`X`]) rather than the immediate.
    pub const fn uses_src_reg(&self) -> bool {
        self.code & X != 0
    }

    /// The destination register.
    pub const fn dst(&self) -> Reg {
        Reg(self.regs & 0x0f)
    }

    /// The source register.
    pub const fn src(&self) -> Reg {
        Reg(self.regs >> 4)
    }

    /// Whether this is a jump with an offset (conditional or `ja`), not a
    /// call or exit.
    pub const fn is_jump(&self) -> bool {
        matches!(self.class(), JMP | JMP32)
            && self.op() != JmpOp::Call.code()
            && self.op() != JmpOp::Exit.code()
    }

    /// Little-endian bytes, as in an object file for a little-endian host.
    pub fn to_bytes(self) -> [u8; 8] {
        let mut b = [0u8; 8];
        b[0] = self.code;
        b[1] = self.regs;
        b[2..4].copy_from_slice(&self.off.to_le_bytes());
        b[4..8].copy_from_slice(&self.imm.to_le_bytes());
        b
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The constructors against encodings written out by hand from the
    /// kernel's documentation (Documentation/bpf/standardization/
    /// instruction-set.rst, `linux/bpf.h`) and as `llvm-objdump -d` and
    /// the kernel's own macros (`BPF_MOV64_REG`, `BPF_LD_MAP_FD`, …,
    /// in `include/linux/filter.h`) produce them: opcode, regs (src << 4 |
    /// dst), offset, immediate, little-endian.
    #[test]
    fn constructors_encode_as_the_kernel_documents() {
        let cases: &[(Insn, [u8; 8])] = &[
            // r6 = r1: BPF_ALU64 | BPF_MOV | BPF_X = 0xbf.
            (
                Insn::mov64_reg(Reg::R6, Reg::R1),
                [0xbf, 0x16, 0, 0, 0, 0, 0, 0],
            ),
            // w0 = 2: BPF_ALU | BPF_MOV | BPF_K = 0xb4.
            (Insn::mov32_imm(Reg::R0, 2), [0xb4, 0x00, 0, 0, 2, 0, 0, 0]),
            // r8 = 65535: 0xb7.
            (
                Insn::mov64_imm(Reg::R8, 0xffff),
                [0xb7, 0x08, 0, 0, 0xff, 0xff, 0, 0],
            ),
            // w4 = w7: 0xbc.
            (
                Insn::mov32_reg(Reg::R4, Reg::R7),
                [0xbc, 0x74, 0, 0, 0, 0, 0, 0],
            ),
            // r2 += -72: BPF_ALU64 | BPF_ADD | BPF_K = 0x07.
            (
                Insn::alu64_imm(AluOp::Add, Reg::R2, -72),
                [0x07, 0x02, 0, 0, 0xb8, 0xff, 0xff, 0xff],
            ),
            // r2 += r4: 0x0f.
            (
                Insn::alu64_reg(AluOp::Add, Reg::R2, Reg::R4),
                [0x0f, 0x42, 0, 0, 0, 0, 0, 0],
            ),
            // w7 &= 15: BPF_ALU | BPF_AND | BPF_K = 0x54.
            (
                Insn::alu32_imm(AluOp::And, Reg::R7, 15),
                [0x54, 0x07, 0, 0, 15, 0, 0, 0],
            ),
            // w7 /= w8: 0x3c; w7 %= w8: 0x9c; w7 s>>= 3: 0xc4.
            (
                Insn::alu32_reg(AluOp::Div, Reg::R7, Reg::R8),
                [0x3c, 0x87, 0, 0, 0, 0, 0, 0],
            ),
            (
                Insn::alu32_reg(AluOp::Mod, Reg::R7, Reg::R8),
                [0x9c, 0x87, 0, 0, 0, 0, 0, 0],
            ),
            (
                Insn::alu32_imm(AluOp::Arsh, Reg::R7, 3),
                [0xc4, 0x07, 0, 0, 3, 0, 0, 0],
            ),
            // w7 = -w7: 0x84.
            (Insn::neg32(Reg::R7), [0x84, 0x07, 0, 0, 0, 0, 0, 0]),
            // r0 = be16 r0: BPF_ALU | BPF_END | BPF_TO_BE = 0xdc.
            (Insn::to_be(Reg::R0, 16), [0xdc, 0x00, 0, 0, 16, 0, 0, 0]),
            // r0 = *(u16 *)skb[12]: BPF_LD | BPF_ABS | BPF_H = 0x28.
            (Insn::ld_abs(Size::H, 12), [0x28, 0x00, 0, 0, 12, 0, 0, 0]),
            // r0 = *(u8 *)skb[r7 + 14]: BPF_LD | BPF_IND | BPF_B = 0x50.
            (
                Insn::ld_ind(Size::B, Reg::R7, 14),
                [0x50, 0x70, 0, 0, 14, 0, 0, 0],
            ),
            // r2 = *(u32 *)(r6 + 4): BPF_LDX | BPF_MEM | BPF_W = 0x61.
            (
                Insn::ldx_mem(Size::W, Reg::R2, Reg::R6, 4),
                [0x61, 0x62, 4, 0, 0, 0, 0, 0],
            ),
            // r1 = *(u64 *)(r0 + 0): 0x79.
            (
                Insn::ldx_mem(Size::DW, Reg::R1, Reg::R0, 0),
                [0x79, 0x01, 0, 0, 0, 0, 0, 0],
            ),
            // *(u64 *)(r7 + 0) = r0: BPF_STX | BPF_MEM | BPF_DW = 0x7b.
            (
                Insn::stx_mem(Size::DW, Reg::R7, Reg::R0, 0),
                [0x7b, 0x07, 0, 0, 0, 0, 0, 0],
            ),
            // *(u32 *)(r7 + 12) = r8: 0x63.
            (
                Insn::stx_mem(Size::W, Reg::R7, Reg::R8, 12),
                [0x63, 0x87, 12, 0, 0, 0, 0, 0],
            ),
            // *(u32 *)(r10 - 4) = 0: BPF_ST | BPF_MEM | BPF_W = 0x62.
            (
                Insn::st_mem(Size::W, Reg::R10, -4, 0),
                [0x62, 0x0a, 0xfc, 0xff, 0, 0, 0, 0],
            ),
            // *(u16 *)(r10 - 2) = 7: 0x6a; *(u8 *): 0x72; *(u64 *): 0x7a.
            (
                Insn::st_mem(Size::H, Reg::R10, -2, 7),
                [0x6a, 0x0a, 0xfe, 0xff, 7, 0, 0, 0],
            ),
            (
                Insn::st_mem(Size::B, Reg::R10, -1, 7),
                [0x72, 0x0a, 0xff, 0xff, 7, 0, 0, 0],
            ),
            (
                Insn::st_mem(Size::DW, Reg::R10, -8, 7),
                [0x7a, 0x0a, 0xf8, 0xff, 7, 0, 0, 0],
            ),
            // if r0 == 0 goto +3: BPF_JMP | BPF_JEQ | BPF_K = 0x15.
            (
                Insn::jmp_imm(JmpOp::Jeq, Reg::R0, 0, 3),
                [0x15, 0x00, 3, 0, 0, 0, 0, 0],
            ),
            // if r0 != 0 goto +1: 0x55; if r8 <= 100 goto +1: 0xb5.
            (
                Insn::jmp_imm(JmpOp::Jne, Reg::R0, 0, 1),
                [0x55, 0x00, 1, 0, 0, 0, 0, 0],
            ),
            (
                Insn::jmp_imm(JmpOp::Jle, Reg::R8, 100, 1),
                [0xb5, 0x08, 1, 0, 100, 0, 0, 0],
            ),
            // if r4 > r3 goto +9: BPF_JMP | BPF_JGT | BPF_X = 0x2d.
            (
                Insn::jmp_reg(JmpOp::Jgt, Reg::R4, Reg::R3, 9),
                [0x2d, 0x34, 9, 0, 0, 0, 0, 0],
            ),
            // if w7 > 0x80000000 goto +2: BPF_JMP32 | BPF_JGT | BPF_K = 0x26.
            (
                Insn::jmp32_imm(JmpOp::Jgt, Reg::R7, i32::MIN, 2),
                [0x26, 0x07, 2, 0, 0, 0, 0, 0x80],
            ),
            // if w7 & w8 goto +1: BPF_JMP32 | BPF_JSET | BPF_X = 0x4e.
            (
                Insn::jmp32_reg(JmpOp::Jset, Reg::R7, Reg::R8, 1),
                [0x4e, 0x87, 1, 0, 0, 0, 0, 0],
            ),
            // The remaining jump operations, 64-bit against an immediate.
            (
                Insn::jmp_imm(JmpOp::Jge, Reg::R1, 0, 1),
                [0x35, 0x01, 1, 0, 0, 0, 0, 0],
            ),
            (
                Insn::jmp_imm(JmpOp::Jsgt, Reg::R1, 0, 1),
                [0x65, 0x01, 1, 0, 0, 0, 0, 0],
            ),
            (
                Insn::jmp_imm(JmpOp::Jsge, Reg::R1, 0, 1),
                [0x75, 0x01, 1, 0, 0, 0, 0, 0],
            ),
            (
                Insn::jmp_imm(JmpOp::Jlt, Reg::R1, 0, 1),
                [0xa5, 0x01, 1, 0, 0, 0, 0, 0],
            ),
            (
                Insn::jmp_imm(JmpOp::Jslt, Reg::R1, 0, 1),
                [0xc5, 0x01, 1, 0, 0, 0, 0, 0],
            ),
            (
                Insn::jmp_imm(JmpOp::Jsle, Reg::R1, 0, 1),
                [0xd5, 0x01, 1, 0, 0, 0, 0, 0],
            ),
            // goto +5: 0x05; call bpf_ringbuf_reserve (131): 0x85; exit: 0x95.
            (Insn::ja(5), [0x05, 0x00, 5, 0, 0, 0, 0, 0]),
            (
                Insn::call(Helper::RingbufReserve),
                [0x85, 0x00, 0, 0, 131, 0, 0, 0],
            ),
            (Insn::exit(), [0x95, 0x00, 0, 0, 0, 0, 0, 0]),
        ];
        for (insn, bytes) in cases {
            assert_eq!(&insn.to_bytes(), bytes, "{insn:?}");
        }
        // r1 = map[fd 7]: BPF_LD | BPF_IMM | BPF_DW = 0x18 with src
        // BPF_PSEUDO_MAP_FD, then the upper half.
        let [lo, hi] = Insn::ld_map_fd(Reg::R1, 7);
        assert_eq!(lo.to_bytes(), [0x18, 0x11, 0, 0, 7, 0, 0, 0]);
        assert_eq!(hi.to_bytes(), [0; 8]);
        assert!(lo.is_ld_map_fd());
        let [lo, hi] = Insn::ld_imm64(Reg::R3, 0x1122_3344_5566_7788);
        assert_eq!(lo.to_bytes(), [0x18, 0x03, 0, 0, 0x88, 0x77, 0x66, 0x55]);
        assert_eq!(hi.to_bytes(), [0, 0, 0, 0, 0x44, 0x33, 0x22, 0x11]);
        assert!(!lo.is_ld_map_fd());
    }

    #[test]
    fn accessors_take_the_fields_apart() {
        let i = Insn::jmp32_reg(JmpOp::Jle, Reg::R7, Reg::R9, 4);
        assert_eq!(i.class(), JMP32);
        assert_eq!(i.op(), JmpOp::Jle.code());
        assert!(i.uses_src_reg() && i.is_jump());
        assert_eq!((i.dst(), i.src()), (Reg::R7, Reg::R9));
        assert!(!Insn::call(Helper::KtimeGetNs).is_jump());
        assert!(!Insn::exit().is_jump());
        assert_eq!(Insn::ld_ind(Size::W, Reg::R7, 0).mode(), IND);
    }
}
