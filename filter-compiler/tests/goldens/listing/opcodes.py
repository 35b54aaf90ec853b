#!/usr/bin/env python3
"""Writes opcodes.{ddd,d,dd}: every 8-bit opcode (plus a few with high bits
set) with assorted k/jt/jf values, rendered by the system libpcap's own
bpf_dump(). Expressions never reach most of these encodings (ret a, mod,
ancillary loads, unknown opcodes, negative %d operands), so this covers what
the tcpdump expression goldens cannot. Called from regen.sh."""
import ctypes
import os
import sys

KS = [0, 1, 14, 0x800, 0x7fffffff, 0x80000000, 0xffffffff,
      0xfffff000, 0xfffff030, 0xfffff03c, 0xfffff040, 0xfffff002]

insns = []
for code in list(range(256)) + [0x100, 0x8006, 0xffff]:
    for i, k in enumerate(KS if code < 256 else [0]):
        jt = (code * 7 + i) % 256
        jf = (code * 13 + 3 * i) % 256
        insns.append((code, jt, jf, k))


class Insn(ctypes.Structure):
    _fields_ = [("code", ctypes.c_ushort), ("jt", ctypes.c_ubyte),
                ("jf", ctypes.c_ubyte), ("k", ctypes.c_uint)]


class Prog(ctypes.Structure):
    _fields_ = [("bf_len", ctypes.c_uint), ("bf_insns", ctypes.POINTER(Insn))]


arr = (Insn * len(insns))(*[Insn(*i) for i in insns])
prog = Prog(len(insns), arr)
pcap = ctypes.CDLL("libpcap.so.0.8")
libc = ctypes.CDLL(None)

for option, ext in [(1, "d"), (2, "dd"), (3, "ddd")]:
    # bpf_dump() prints to C stdout: point fd 1 at the file while it runs.
    sys.stdout.flush()
    saved = os.dup(1)
    fd = os.open(f"opcodes.{ext}", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(fd, 1)
    pcap.bpf_dump(ctypes.byref(prog), option)
    libc.fflush(None)
    os.dup2(saved, 1)
    os.close(fd)
    os.close(saved)
