#!/usr/bin/env python3
"""Writes the small captures the printer's golden tests use (stdlib only,
deterministic): the core protocols on each of the link types the printer
covers first.

    python3 print/tests/goldens/make_captures.py

Files (next to this script):
  core-ether.pcap   Ethernet: TCP conversations (relative sequence numbers,
                    options, SACK), UDP, ICMP (echo, errors with the quoted
                    datagram), ARP, VLAN/QinQ, MPLS, GRE, IPv6 with extension
                    headers and fragments, ICMPv6 (echo, NDP, MLDv2), IGMP,
                    STP, LLC/SNAP, PPPoE, bad checksums, cut-short frames
  core-sll.pcap     Linux cooked v1     core-sll2.pcap   Linux cooked v2
  core-null.pcap    BSD loopback        core-loop.pcap   OpenBSD loopback
  core-raw.pcap     raw IP
"""

import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "pcaps"))
from make_samples import csum  # noqa: E402  (the samples' Internet checksum)

BASE = 1_700_000_000


def ip4(src, dst, proto, payload, ttl=64, ident=1, flags=0, frag=0, opts=b"", tos=0, good=True):
    hl = 5 + len(opts) // 4
    h = struct.pack("!BBHHHBBH4s4s", 0x40 | hl, tos, 4 * hl + len(payload), ident,
                    (flags << 13) | frag, ttl, proto, 0, bytes(src), bytes(dst)) + opts
    c = csum(h) if good else 0x1234
    return h[:10] + struct.pack("!H", c) + h[12:] + payload


def ip6(src, dst, nh, payload, hlim=64, flow=0):
    return struct.pack("!IHBB16s16s", 0x60000000 | flow, len(payload), nh, hlim, bytes(src), bytes(dst)) + payload


def pseudo4(src, dst, proto, seg):
    return bytes(src) + bytes(dst) + struct.pack("!BBH", 0, proto, len(seg))


def pseudo6(src, dst, proto, seg):
    return bytes(src) + bytes(dst) + struct.pack("!IxxxB", len(seg), proto)


def tcp(sp, dp, seq, ack, flags, payload=b"", win=65535, opts=b"", ps=None):
    off = (20 + len(opts)) // 4
    h = struct.pack("!HHIIBBHHH", sp, dp, seq, ack, off << 4, flags, win, 0, 0) + opts
    seg = h + payload
    if ps:
        c = csum(ps(seg))
        seg = seg[:16] + struct.pack("!H", c) + seg[18:]
    return seg


def udp(sp, dp, payload, ps=None):
    seg = struct.pack("!HHHH", sp, dp, 8 + len(payload), 0) + payload
    if ps:
        c = csum(ps(seg)) or 0xFFFF
        seg = seg[:6] + struct.pack("!H", c) + seg[8:]
    return seg


def icmp(t, code, rest, body=b""):
    m = struct.pack("!BBH", t, code, 0) + rest + body
    return m[:2] + struct.pack("!H", csum(m)) + m[4:]


def icmp6(src, dst, t, code, body):
    m = struct.pack("!BBH", t, code, 0) + body
    c = csum(pseudo6(src, dst, 58, m) + m)
    return m[:2] + struct.pack("!H", c) + m[4:]


def eth(dst, src, et, payload):
    return bytes(dst) + bytes(src) + struct.pack("!H", et) + payload


A = [10, 0, 0, 1]
B = [10, 0, 0, 2]
C = [192, 168, 1, 1]
A6 = [0x20, 0x01, 0x0D, 0xB8] + [0] * 11 + [1]
B6 = [0x20, 0x01, 0x0D, 0xB8] + [0] * 11 + [2]
LL6 = [0xFE, 0x80] + [0] * 13 + [1]
M1 = [0, 0x11, 0x22, 0x33, 0x44, 0x55]
M2 = [0x66, 0x77, 0x88, 0x99, 0xAA, 0xBB]
BC = [0xFF] * 6


def p4(proto):
    return lambda seg: pseudo4(A, B, proto, seg) + seg


def r4(proto):
    return lambda seg: pseudo4(B, A, proto, seg) + seg


def ip_packets():
    """(ethertype, packet) pairs for every link type."""
    out = []
    mss = struct.pack("!BBH", 2, 4, 1460)
    syn_opts = mss + b"\x04\x02" + struct.pack("!BBII", 8, 10, 100, 0) + b"\x01\x03\x03\x07"
    ts = b"\x01\x01" + struct.pack("!BBII", 8, 10, 101, 200)
    # A TCP conversation: relative sequence numbers from the SYN/ACK on.
    out.append((0x0800, ip4(A, B, 6, tcp(40000, 80, 1000, 0, 0x02, opts=syn_opts, ps=p4(6)))))
    out.append((0x0800, ip4(B, A, 6, tcp(80, 40000, 5000, 1001, 0x12, opts=syn_opts, ps=r4(6)))))
    out.append((0x0800, ip4(A, B, 6, tcp(40000, 80, 1001, 5001, 0x10, opts=ts, ps=p4(6)))))
    out.append((0x0800, ip4(A, B, 6, tcp(40000, 80, 1001, 5001, 0x18, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", opts=ts, ps=p4(6)))))
    out.append((0x0800, ip4(B, A, 6, tcp(80, 40000, 5001, 1028, 0x18, b"HTTP/1.1 200 OK\r\n\r\n", ps=r4(6)))))
    sack = b"\x01\x01" + struct.pack("!BBIIII", 5, 18, 5100, 5200, 5300, 5400)
    out.append((0x0800, ip4(A, B, 6, tcp(40000, 80, 1028, 5020, 0x10, opts=sack, ps=p4(6)))))
    out.append((0x0800, ip4(A, B, 6, tcp(40000, 80, 1028, 5020, 0x11, ps=p4(6)))))
    out.append((0x0800, ip4(B, A, 6, tcp(80, 40000, 5020, 1029, 0x14, b"bye", ps=r4(6)))))
    out.append((0x0800, ip4(A, B, 6, tcp(40001, 22, 7, 9, 0x18, b"SSH-2.0-OpenSSH_9.0\r\n", ps=None))))
    out.append((0x0800, ip4(A, B, 6, tcp(40002, 25, 1, 0, 0xE3, b"x", ps=p4(6)))))  # URG, ECE, CWR
    out.append((0x0800, ip4(A, B, 6, tcp(179, 40003, 1, 0, 0x02, opts=b"\x13\x12" + bytes(16), ps=p4(6)))))
    out.append((0x0800, ip4(A, B, 6, tcp(1, 2, 1, 0, 0x02, opts=b"\x02\x09" + bytes(2)))))  # bad option
    # UDP, an ICMP echo, errors quoting datagrams.
    out.append((0x0800, ip4(A, B, 17, udp(5000, 9999, b"hello", ps=p4(17)))))
    out.append((0x0800, ip4(A, B, 17, udp(5000, 9999, b"hello")[:4] + struct.pack("!H", 100) + b"\0\0hello")))
    out.append((0x0800, ip4(A, B, 1, icmp(8, 0, struct.pack("!HH", 7, 1), bytes(56)))))
    out.append((0x0800, ip4(B, A, 1, icmp(0, 0, struct.pack("!HH", 7, 1), bytes(56)))))
    quoted = ip4(A, B, 17, udp(5000, 33434, b"q"))
    out.append((0x0800, ip4(B, A, 1, icmp(3, 3, bytes(4), quoted))))
    out.append((0x0800, ip4(C, A, 1, icmp(11, 0, bytes(4), quoted))))
    out.append((0x0800, ip4(C, A, 1, icmp(3, 4, struct.pack("!HH", 0, 1400), quoted))))
    out.append((0x0800, ip4(C, A, 1, icmp(5, 1, bytes(C), quoted))))
    out.append((0x0800, ip4(A, B, 1, icmp(13, 0, struct.pack("!HH", 1, 2), bytes(12)))))
    # IPv4 options, fragments, bad checksum, IGMP.
    out.append((0x0800, ip4(A, [224, 0, 0, 22], 2, b"\x22\0" + struct.pack("!HHH", 0, 0, 1) + bytes([4, 0, 0, 0, 239, 1, 1, 1]),
                            ttl=1, opts=b"\x94\x04\0\0")))
    out.append((0x0800, ip4(A, [224, 0, 0, 1], 2, bytes([0x11, 100, 0, 0, 0, 0, 0, 0]), ttl=1)))
    out.append((0x0800, ip4(A, B, 17, udp(1, 2, bytes(40))[:24], ident=77, flags=1)))
    out.append((0x0800, ip4(A, B, 17, bytes(16), ident=77, frag=3)))
    out.append((0x0800, ip4(A, B, 17, udp(1, 2, b"x"), good=False)))
    out.append((0x0800, ip4(A, B, 250, b"abcd")))
    out.append((0x0800, ip4(A, B, 47, struct.pack("!HHI", 0x2000, 0x0800, 42) + ip4(C, A, 1, icmp(8, 0, struct.pack("!HH", 1, 1))))))
    out.append((0x0800, ip4(A, B, 4, ip4(C, A, 17, udp(7, 9, b"")))))
    # IPv6: TCP, UDP, fragments, extension headers, ICMPv6.
    ps6 = lambda nh: (lambda seg: pseudo6(A6, B6, nh, seg) + seg)
    out.append((0x86DD, ip6(A6, B6, 6, tcp(443, 50000, 9, 10, 0x12, ps=ps6(6)), flow=0x12345)))
    out.append((0x86DD, ip6(A6, B6, 17, udp(40546, 5001, b"abc", ps=ps6(17)))))
    out.append((0x86DD, ip6(A6, B6, 44, struct.pack("!BBHI", 17, 0, 1, 99) + udp(1, 2, bytes(20)))))
    out.append((0x86DD, ip6(A6, B6, 44, struct.pack("!BBHI", 17, 0, 1280, 99) + bytes(16))))
    out.append((0x86DD, ip6(A6, B6, 60, struct.pack("!BB", 58, 0) + b"\x01\x04" + bytes(4) + icmp6(A6, B6, 128, 0, struct.pack("!HH", 1, 2)))))
    out.append((0x86DD, ip6(A6, B6, 43, struct.pack("!BBBBI", 59, 2, 0, 1, 0) + bytes(B6))))
    out.append((0x86DD, ip6(A6, B6, 58, icmp6(A6, B6, 128, 0, struct.pack("!HH", 3, 4) + b"ping"))))
    ns_opt = b"\x01\x01" + bytes(M1)
    out.append((0x86DD, ip6(LL6, B6, 58, icmp6(LL6, B6, 135, 0, bytes(4) + bytes(B6) + ns_opt), hlim=255)))
    out.append((0x86DD, ip6(B6, LL6, 58, icmp6(B6, LL6, 136, 0, struct.pack("!I", 0x60000000) + bytes(B6) + b"\x02\x01" + bytes(M2)), hlim=255)))
    pi = struct.pack("!BBBBIII", 3, 4, 64, 0xC0, 86400, 14400, 0) + bytes(A6[:8] + [0] * 8)
    out.append((0x86DD, ip6(LL6, [0xFF, 2] + [0] * 13 + [1], 58, icmp6(LL6, [0xFF, 2] + [0] * 13 + [1], 134, 0,
                struct.pack("!BBHII", 64, 0x40, 1800, 0, 0) + ns_opt + pi + struct.pack("!BBHI", 5, 1, 0, 1500)), hlim=255)))
    mld = struct.pack("!HH", 0, 1) + struct.pack("!BBH", 4, 0, 0) + bytes([0xFF, 2] + [0] * 13 + [0xFB])
    hbh = struct.pack("!BB", 58, 0) + b"\x05\x02\x00\x00\x01\x00"
    out.append((0x86DD, ip6(LL6, [0xFF, 2] + [0] * 13 + [0x16], 0, hbh + icmp6(LL6, [0xFF, 2] + [0] * 13 + [0x16], 143, 0, mld), hlim=1)))
    q6 = ip6(A6, B6, 17, udp(1000, 33434, b"x"))
    out.append((0x86DD, ip6(B6, A6, 58, icmp6(B6, A6, 1, 4, bytes(4) + q6))))
    out.append((0x86DD, ip6(B6, A6, 58, icmp6(B6, A6, 2, 0, struct.pack("!I", 1280) + q6))))
    # More options and message types.
    opts4 = b"\x01" + b"\x07\x0b\x04" + bytes(C) + bytes(4) + b"\x00"  # NOP, RR, EOL
    out.append((0x0800, ip4(A, B, 17, udp(7, 9, b"o"), opts=opts4 + bytes((4 - len(opts4) % 4) % 4))))
    ts4 = b"\x44\x0c\x05\x00" + struct.pack("!II", 1000, 2000)
    out.append((0x0800, ip4(A, B, 17, udp(7, 9, b"t"), opts=ts4)))
    lsrr = b"\x83\x0b\x04" + bytes(C) + bytes(B) + b"\x01"
    out.append((0x0800, ip4(A, B, 17, udp(7, 9, b"l"), opts=lsrr)))
    out.append((0x0800, ip4(A, B, 17, udp(7, 9, b"u"), opts=b"\x99\x04\x00\x00")))
    uto = b"\x1c\x04\x80\x05"
    tfo = b"\x22\x0a" + bytes(range(8))
    unk = b"\x50\x04\xab\xcd"
    out.append((0x0800, ip4(A, B, 6, tcp(3000, 4000, 1, 0, 0x02, opts=uto + tfo + unk, ps=p4(6)))))
    out.append((0x0800, ip4(A, B, 6, tcp(3000, 4000, 1, 0, 0x02, opts=b"\x22\x02\x01\x01", ps=p4(6)))))
    out.append((0x0800, ip4(B, A, 1, icmp(12, 0, b"\x14\0\0\0", quoted))))
    out.append((0x0800, ip4(B, A, 1, icmp(14, 0, struct.pack("!HH", 1, 2), struct.pack("!III", 1000, 3600000, 86399999)))))
    out.append((0x0800, ip4(B, A, 1, icmp(15, 0, struct.pack("!HH", 1, 2)))))
    out.append((0x0800, ip4(B, A, 1, icmp(3, 13, bytes(4), quoted))))
    out.append((0x0800, ip4(B, A, 1, icmp(3, 1, bytes(4), quoted))))
    out.append((0x0800, ip4(B, A, 1, icmp(4, 0, bytes(4), quoted))))
    out.append((0x0800, ip4(B, A, 1, icmp(9, 0, struct.pack("!BBH", 1, 2, 1800), bytes(C) + struct.pack("!I", 5)))))
    out.append((0x0800, ip4(A, [224, 0, 0, 2], 2, bytes([0x17, 0, 0, 0, 239, 1, 2, 3]), ttl=1)))
    out.append((0x0800, ip4(A, [239, 1, 2, 3], 2, bytes([0x12, 0, 0, 0, 239, 1, 2, 3]), ttl=1)))
    out.append((0x0800, ip4(A, B, 47, struct.pack("!HHI", 0x1000, 0x86DD, 7) + ip6(A6, B6, 59, b""))))
    out.append((0x0800, ip4(A, B, 17, udp(1, 2, bytes(10))[:4] + struct.pack("!H", 4) + b"\0\0" + bytes(10))))
    ps6b = lambda nh: (lambda seg: pseudo6(LL6, B6, nh, seg) + seg)
    out.append((0x86DD, ip6(A6, B6, 60, struct.pack("!BB", 17, 0) + b"\x3e\x04abcd" + udp(1, 2, b"x"))))
    out.append((0x86DD, ip6(LL6, [0xFF, 2] + [0] * 13 + [1], 58, icmp6(LL6, [0xFF, 2] + [0] * 13 + [1], 130, 0, struct.pack("!HH", 1000, 0) + bytes(16)), hlim=1)))
    out.append((0x86DD, ip6(LL6, [0xFF, 2] + [0] * 13 + [2], 58, icmp6(LL6, [0xFF, 2] + [0] * 13 + [2], 133, 0, bytes(4) + ns_opt), hlim=255)))
    out.append((0x86DD, ip6(LL6, B6, 58, icmp6(LL6, B6, 137, 0, bytes(4) + bytes(A6) + bytes(B6)), hlim=255)))
    out.append((0x86DD, ip6(B6, A6, 58, icmp6(B6, A6, 3, 0, bytes(4) + q6))))
    out.append((0x86DD, ip6(B6, A6, 58, icmp6(B6, A6, 4, 1, struct.pack("!I", 40) + q6))))
    out.append((0x86DD, ip6(A6, B6, 6, tcp(5, 6, 7, 8, 0x10, b"payload", ps=ps6(6)))))
    _ = ps6b
    return out


def l2_only():
    """Ethernet frames that are not IP."""
    out = []
    arp = lambda op, sha, spa, tha, tpa: struct.pack("!HHBBH", 1, 0x0800, 6, 4, op) + bytes(sha) + bytes(spa) + bytes(tha) + bytes(tpa)
    out.append(eth(BC, M1, 0x0806, arp(1, M1, A, [0] * 6, B) + bytes(18)))
    out.append(eth(M1, M2, 0x0806, arp(2, M2, B, M1, A) + bytes(18)))
    out.append(eth(BC, M1, 0x8035, arp(3, M1, [0] * 4, M1, [0] * 4)))
    out.append(eth(BC, M1, 0x0806, arp(1, M1, A, [0] * 6, B)[:20]))
    ipk = ip4(A, B, 17, udp(1, 2, b"v"))
    out.append(eth(M2, M1, 0x8100, struct.pack("!HH", 0x2064, 0x0800) + ipk))
    out.append(eth(M2, M1, 0x88A8, struct.pack("!HHHH", 10, 0x8100, 0x1014, 0x0800) + ipk))
    out.append(eth(M2, M1, 0x8847, struct.pack("!II", (100 << 12) | 64, (200 << 12) | 0x100 | 63) + ipk))
    stp = struct.pack("!HBBB", 0, 0, 0, 1) + struct.pack("!H6sIH6sHHHHH", 0x8000, bytes(M1), 4, 0x8000, bytes(M2), 0x8001, 256, 5120, 512, 3840)
    out.append(eth([1, 0x80, 0xC2, 0, 0, 0], M1, 3 + len(stp), b"\x42\x42\x03" + stp))
    out.append(eth(M2, M1, 8 + len(ipk), b"\xaa\xaa\x03\0\0\0\x08\x00" + ipk))
    out.append(eth(M2, M1, 20, b"\xe0\xe0\x03" + bytes(17)))
    out.append(eth(M2, M1, 0x88B5, b"local experimental"))
    out.append(eth(M2, M1, 3 + 3, b"\x42\x43\xaf\x81\x01\x02"))
    out.append(eth(M2, M1, 3 + 4, b"\xf0\xf1\xe3abcd"))
    out.append(eth(M2, M1, 4 + 4, b"\x42\x42\x00\x02abcd"))
    rstp = struct.pack("!HBBB", 0, 2, 2, 0x3c) + struct.pack("!H6sIH6sHHHHHB", 0x8000, bytes(M1), 0, 0x8000, bytes(M2), 0x8002, 0, 5120, 512, 3840, 0)
    out.append(eth([1, 0x80, 0xC2, 0, 0, 0], M1, 3 + len(rstp), b"\x42\x42\x03" + rstp))
    out.append(eth([1, 0x80, 0xC2, 0, 0, 0], M1, 7, b"\x42\x42\x03\x00\x00\x00\x80"))
    out.append(eth(BC, M1, 0x0806, struct.pack("!HHBBH", 6, 0x0800, 6, 4, 1) + bytes(M1) + bytes(A) + bytes(6) + bytes(B)))
    out.append(eth(BC, M1, 0x0806, struct.pack("!HHBBH", 1, 0x86DD, 6, 16, 1) + bytes(M1) + bytes(A6) + bytes(6) + bytes(B6)))
    pppoe = struct.pack("!BBHH", 0x11, 0x09, 0, 12) + struct.pack("!HH", 0x0101, 0) + struct.pack("!HH", 0x0103, 4) + b"\x01\x02\x03\x04"
    out.append(eth(BC, M1, 0x8863, pppoe))
    ses = struct.pack("!BBHH", 0x11, 0, 0x1234, 2 + len(ipk)) + b"\x00\x21" + ipk
    out.append(eth(M2, M1, 0x8864, ses))
    out.append(eth(M2, M1, 0x0800, ipk)[:30])
    out.append(eth(M2, M1, 0x86DD, ip6(A6, B6, 6, tcp(1, 2, 3, 4, 0x10)))[:70])
    out.append(bytes(M2) + bytes(M1)[:4])
    return out


def pcap(name, linktype, frames):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, linktype))
        for i, fr in enumerate(frames):
            if isinstance(fr, tuple):
                data, wire = fr
            else:
                data, wire = fr, len(fr)
            f.write(struct.pack("<IIII", BASE + i, i * 1001, len(data), wire))
            f.write(data)


def main():
    ips = ip_packets()
    frames = [eth(M2, M1, et, p) for et, p in ips] + l2_only()
    # The same frames cut to 60 bytes: every layer's truncation.
    frames += [(eth(M2, M1, et, p)[:60], 14 + len(p)) for et, p in ips if 14 + len(p) > 60]
    pcap("core-ether.pcap", 1, frames)
    sll = []
    for i, (et, p) in enumerate(ips[:20]):
        sll.append(struct.pack("!HHH8sH", i % 5, 1, 6, bytes(M1) + b"\0\0", et) + p)
    sll.append(struct.pack("!HHH8sH", 0, 1, 6, bytes(M1) + b"\0\0", 0x8100) + struct.pack("!HH", 5, 0x0800) + ips[12][1])
    sll.append(struct.pack("!HHH8sH", 4, 1, 6, bytes(M1) + b"\0\0", 0x0004) + b"\x42\x42\x03" + bytes(40))
    sll.append(struct.pack("!HHH8sH", 4, 1, 6, bytes(M1) + b"\0\0", 0x9999) + b"unknown")
    pcap("core-sll.pcap", 113, sll)
    sll2 = [struct.pack("!HHIHBB8s", et, 0, 999, 1, i % 5, 6, bytes(M1) + b"\0\0") + p for i, (et, p) in enumerate(ips[:20])]
    pcap("core-sll2.pcap", 276, sll2)
    af = {0x0800: 2, 0x86DD: 24}
    pcap("core-null.pcap", 0, [struct.pack("<I", af[et]) + p for et, p in ips] + [struct.pack("<I", 99) + b"what"])
    pcap("core-loop.pcap", 108, [struct.pack("!I", af[et]) + p for et, p in ips[::3]])
    pcap("core-raw.pcap", 101, [p for _, p in ips] + [b"\x50abc"])


if __name__ == "__main__":
    main()
