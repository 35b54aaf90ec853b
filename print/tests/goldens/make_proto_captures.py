#!/usr/bin/env python3
"""Writes the made-up single-protocol captures of the printer's goldens
(stdlib only, deterministic): frames reaching the branches of a printer,
cut-short and malformed ones included. regen.sh prints every proto-*.pcap
with tcpdump -n.

    python3 print/tests/goldens/make_proto_captures.py

Files (next to this script):
  proto-decnet.pcap   DECnet Phase IV over Ethernet (ether type 0x6003)
"""

import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
BASE = 1_700_000_000


def write_pcap(name, frames, snaplen=65535):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, snaplen, 1))
        for i, (frame, wirelen) in enumerate(frames):
            f.write(struct.pack("<IIII", BASE + i, 0, len(frame), wirelen))
            f.write(frame)


def ether(etype, payload, pad=True):
    f = bytes.fromhex("aa0004000104") + bytes.fromhex("aa0004000504") + struct.pack("!H", etype) + payload
    if pad and len(f) < 60:
        f += bytes(60 - len(f))
    return f


def full(frames):
    return [(f, len(f)) for f in frames]


def dn_node(area, node):
    return struct.pack("<H", (area << 10) | node)


def dn_short(flags, dst, src, visits, nsp):
    body = struct.pack("B", flags) + dst + src + struct.pack("B", visits) + nsp
    return struct.pack("<H", len(body)) + body


def dn_long(flags, dst, src, visits, nsp):
    hiord = bytes.fromhex("aa000400")
    body = (struct.pack("BBB", flags, 0, 0) + hiord + dst + struct.pack("BB", 0, 0)
            + hiord + src + struct.pack("BBBB", 0, visits, 0, 0) + nsp)
    return struct.pack("<H", len(body)) + body


def dn_ctl(body):
    return struct.pack("<H", len(body)) + body


def decnet():
    a, b = dn_node(1, 5), dn_node(63, 1023)
    nsp = [
        # data segments: plain, with ack, with ack and other-channel ack, nak
        struct.pack("<BHHH", 0x60, 0x1001, 0x2002, 7),
        struct.pack("<BHHHH", 0x20, 1, 2, 0x8003, 9),
        struct.pack("<BHHHHH", 0x40, 1, 2, 0x9003, 0xA004, 11),
        struct.pack("<BHHHHH", 0x00, 1, 2, 0x8003, 0xB005, 12),
        struct.pack("<BHH", 0x00, 1, 2) + b"\x00",
        # interrupt, link service (data, send, donotsend, intr, reserved)
        struct.pack("<BHHHHH", 0x30, 3, 4, 0x8001, 0xA002, 5),
        struct.pack("<BHHHHHBB", 0x10, 3, 4, 0x8001, 0xB002, 6, 0x00, 3),
        struct.pack("<BHHHHHBB", 0x10, 3, 4, 0x0001, 0, 0, 0x02, 4),
        struct.pack("<BHHHHHBB", 0x10, 3, 4, 0x0001, 0, 0, 0x01, 4),
        struct.pack("<BHHHHHBB", 0x10, 3, 4, 0x0001, 0, 0, 0x03, 4),
        struct.pack("<BHHHHHBB", 0x10, 3, 4, 0x0001, 0, 0, 0x04, 9),
        struct.pack("<BHHHHHBB", 0x10, 3, 4, 0x0001, 0, 0, 0x0c, 9),
        struct.pack("<BHHHH", 0x10, 3, 4, 0x0001, 0),
        struct.pack("<BHH", 0x50, 3, 4),
        # acks
        struct.pack("<BHHHH", 0x04, 5, 6, 0x8010, 0xA011),
        struct.pack("<BHHHH", 0x04, 5, 6, 0x9010, 0xB011),
        struct.pack("<BHHHH", 0x14, 5, 6, 0x8010, 0xA011),
        struct.pack("<BHHHH", 0x14, 5, 6, 0x0010, 0),
        struct.pack("<BHH", 0x14, 5, 6),
        struct.pack("<BHH", 0x24, 5, 6),
        struct.pack("<BHH", 0x34, 5, 6),
        # control: connect initiate/retransmitted/confirm, disconnects
        struct.pack("<BHHBBH", 0x18, 0, 7, 0x04, 0x01, 1459),
        struct.pack("<BHHBBH", 0x68, 0, 7, 0x08, 0x02, 576),
        struct.pack("<BHHBBHB", 0x28, 7, 8, 0x00, 0x03, 1000, 4),
        struct.pack("<BHHBBHB", 0x28, 7, 8, 0x04, 0x00, 1000, 0),
        struct.pack("<BHHHB", 0x38, 7, 8, 9, 2),
        struct.pack("<BHHHB", 0x38, 7, 8, 77, 0),
        struct.pack("<BHHH", 0x48, 7, 8, 42),
        struct.pack("<BHHH", 0x78, 7, 8, 0),
        struct.pack("<BHH", 0x0c, 7, 8),
        struct.pack("<BHH", 0x28, 7, 8),
        b"\x00\x01",
    ]
    frames = [ether(0x6003, dn_short(0x02, a, b, 3, m)) for m in nsp]
    frames.append(ether(0x6003, dn_long(0x26, a, b, 4, nsp[1])))
    frames.append(ether(0x6003, dn_long(0x3e, b, a, 4, nsp[21])))
    # padded, future version, unknown route type, lengths
    padded = dn_short(0x02, a, b, 0, nsp[0])
    frames.append(ether(0x6003, struct.pack("<H", len(padded) + 1) + b"\x83\x00\x00" + padded[2:]))
    frames.append(ether(0x6003, dn_short(0x42, a, b, 0, nsp[0])))
    frames.append(ether(0x6003, dn_short(0x04, a, b, 0, nsp[0])))
    frames.append(ether(0x6003, struct.pack("<H", 3) + b"\x02\x00\x00"))
    frames.append(ether(0x6003, struct.pack("<H", 200) + bytes(10)))
    frames.append(ether(0x6003, b"\x01", pad=False))
    # routing control messages
    frames.append(ether(0x6003, dn_ctl(struct.pack("<BHBHBBBHB", 0x01, 0x0405, 0x07, 1498, 2, 0, 0, 15, 0))))
    frames.append(ether(0x6003, dn_ctl(struct.pack("<BHBHBBBHB", 0x01, 0x0405, 0x0d, 1498, 2, 0, 0, 15, 0))))
    frames.append(ether(0x6003, dn_ctl(struct.pack("<BHB", 0x03, 0x0405, 0o17))))
    frames.append(ether(0x6003, dn_ctl(struct.pack("<BHB", 0x05, 0x0405, 0o252))))
    routes = struct.pack("<HHH", 3, 1, (2 << 10) | 4) + struct.pack("<HHH", 5, 10, 7) + struct.pack("<H", 0)
    frames.append(ether(0x6003, dn_ctl(struct.pack("<BHB", 0x07, 0x0405, 0) + routes)))
    frames.append(ether(0x6003, dn_ctl(struct.pack("<BHB", 0x09, 0x0405, 0) + routes)))
    frames.append(ether(0x6003, dn_ctl(struct.pack("<BHB", 0x07, 0x0405, 0) + struct.pack("<HHH", 2000, 1, 1) + b"\0\0")))
    hiord = bytes.fromhex("aa000400")
    frames.append(ether(0x6003, dn_ctl(struct.pack("<BBBB", 0x0b, 2, 0, 0) + hiord + a
                                       + struct.pack("<BHBBHB", 0x62, 1498, 64, 0, 15, 0) + bytes(7))))
    frames.append(ether(0x6003, dn_ctl(struct.pack("<BBBB", 0x0d, 2, 0, 0) + hiord + b
                                       + struct.pack("<BHB", 0x27, 1498, 0) + bytes(8) + hiord + a
                                       + struct.pack("<HBB", 10, 0, 0o252))))
    frames.append(ether(0x6003, dn_ctl(struct.pack("<BBBB", 0x0d, 2, 0, 0))))
    frames.append(ether(0x6003, dn_ctl(struct.pack("<BHB", 0x0f, 1, 2))))
    out = full(frames)
    # cut short by the capture
    cut = ether(0x6003, dn_long(0x26, a, b, 4, nsp[1]))
    out.append((cut[:24], len(cut)))
    cut = ether(0x6003, dn_ctl(struct.pack("<BBBB", 0x0b, 2, 0, 0) + hiord + a + bytes(12)))
    out.append((cut[:22], len(cut)))
    return out


def main():
    write_pcap("proto-decnet.pcap", decnet())


if __name__ == "__main__":
    main()
