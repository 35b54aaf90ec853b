#!/usr/bin/env python3
"""Writes forced.pcap and forced_vxlan.pcap: UDP packets (and a few TCP
ones) on odd ports (40000 > 40002) for the -T goldens (ttype-regen.sh
prints them with -T rtp, rtcp, snmp, tftp, radius, vxlan, wb, domain and
resp)."""
import struct

def ip_udp(payload, sport=40000, dport=40002):
    if isinstance(payload, tuple) and payload[0] == "udp6":
        return ip6_udp(payload[1], sport, dport)
    if isinstance(payload, tuple) and payload[0] == "ip":
        return ip(payload[1], payload[3], ttl=payload[2])
    if isinstance(payload, tuple):
        return ip_tcp(payload[1])
    ulen = 8 + len(payload)
    udp = struct.pack(">HHHH", sport, dport, ulen, 0) + payload
    return ip(17, udp)


def ip_tcp(payload, sport=40000, dport=40002):
    tcp = struct.pack(">HHIIBBHHH", sport, dport, 1, 1, 0x50, 0x18, 65535, 0, 0)
    return ip(6, tcp + payload)


def ip6_udp(payload, sport, dport):
    udp = struct.pack(">HHHH", sport, dport, 8 + len(payload), 0) + payload
    hdr = struct.pack(">IHBB", 0x60000000, len(udp), 17, 64)
    addrs = H("20010db8000000000000000000000001") + H("20010db8000000000000000000000002")
    return bytes.fromhex("020000000002020000000001") + b"\x86\xdd" + hdr + addrs + udp


def ip(proto, seg, ttl=64):
    tot = 20 + len(seg)
    ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, tot, 1, 0, ttl, proto, 0,
                     bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2]))
    s = sum(struct.unpack(">10H", ip))
    s = (s & 0xffff) + (s >> 16)
    s = (s & 0xffff) + (s >> 16)
    ip = ip[:10] + struct.pack(">H", ~s & 0xffff) + ip[12:]
    eth = bytes.fromhex("020000000002020000000001") + b"\x08\x00"
    return eth + ip + seg

H = bytes.fromhex
payloads = [
    # RTP v2, marker, PT 0, seq 1, ts 160, ssrc
    H("80800001000000a012345678") + bytes(20),
    # RTP v2 with extension, PT 31 (H.261)
    H("901f0002000001401234567800010001deadbeef") + H("abcd0000"),
    # RTP v2 extension longer than the packet
    H("90000003000000011234567800ff0001"),
    # RTP v1 with option
    H("40ab0004000000050000000681010000") + bytes(4),
    # RTP v1 bad option length
    H("40800005000000070000000800000000"),
    # short RTP
    H("8000"),
    # RTP v2 of 10 bytes
    H("80000001000000021234"),
    # RTCP SR with one RR, then SDES
    H("81c8000c1111111100000001800000000000006400000005000003e8")
    + H("2222222201000010000003e80000000a00018000000c0000")
    + H("81ca00031111111101036162630000"),
    # RTCP RR with 2 blocks and wrong length, then BYE
    H("82c9000d33333333") + H("4444444400000001000000020000000300000004") + H("00000005")
    + H("5555555500000006000000070000000800000009") + H("0000000a"),
    # RTCP unknown type, truncated RR
    H("80cc0001aaaaaaaa") + H("81c9000744444444") + bytes(8),
    # SNMP get-request
    H("302602010004067075626c6963a01902046d4a0b7c020100020100300b300906052b06010201050000"),
    # TFTP RRQ
    b"\x00\x01file.txt\x00octet\x00",
    # RADIUS Access-Request
    H("0101001a00112233445566778899aabbccddeeff") + H("0106616263"),
    # VXLAN with an inner Ethernet/ARP
    H("0800000000002a00") + H("ffffffffffff0200000000030806") + H("0001080006040001020000000003") + H("0a000003000000000000") + H("0a000004"),
    # DNS query
    H("123401000001000000000000076578616d706c6503636f6d0000010001"),
    # odd bytes
    H("00"),
    # RTCP RR with no blocks (the frame gets Ethernet padding)
    H("80c9000111111111"),
    # TCP: DNS with its length prefix, a wrong prefix, too short; RESP
    ("tcp", H("001d123401000001000000000000076578616d706c6503636f6d0000010001")),
    ("tcp", H("00ff1234")),
    ("tcp", H("00")),
    ("tcp", b"*1\r\n$4\r\nPING\r\n"),
]


def write(name, packets):
    with open(name, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for i, p in enumerate(packets):
            fr = ip_udp(p)
            if len(fr) < 60:
                fr += bytes(60 - len(fr))
            f.write(struct.pack("<IIII", 1000 + i, 0, len(fr), len(fr)))
            f.write(fr)


def rpc_call(xid, proc, prog=100000, vers=2, rpcvers=2, args=b""):
    return struct.pack(">IIIIII", xid, 0, rpcvers, prog, vers, proc) + bytes(16) + args


def rpc_reply(xid, *words):
    return struct.pack(">II", xid, 1) + struct.pack(">%dI" % len(words), *words)


# -T rpc: Sun RPC calls (sunrpc_print) and replies (nfsreply_print).
rpc = [
    rpc_call(0x12345678, 3, args=struct.pack(">IIII", 100003, 3, 17, 0)),
    rpc_call(1, 0, rpcvers=3),
    rpc_call(2, 1, prog=100005, vers=1),
    rpc_call(3, 2, prog=123456),
    rpc_call(4, 5, prog=100021, vers=4),
    rpc_call(5, 4),
    rpc_call(6, 9),
    rpc_call(7, 3)[:24],
    rpc_call(8, 3)[:30],
    rpc_call(20, 3)[:31],
    rpc_call(21, 3)[:32],
    rpc_reply(0x12345678, 0, 0, 0, 0, 2049),
    rpc_reply(9, 1, 0, 2, 4),
    rpc_reply(10, 1, 1, 5),
    rpc_reply(11, 1, 1, 99),
    rpc_reply(12, 1, 7),
    rpc_reply(13, 5),
    rpc_reply(14, 1, 0, 2),
    rpc_reply(15, 1, 1),
    rpc_reply(16, 1),
    rpc_reply(17),
    H("0000001200"),
    ("udp6", rpc_call(18, 3)),
    ("udp6", rpc_reply(19, 0)),
]

def nf_record(v5, proto, flags, i):
    r = H("0a000001") + H("0a000002") + H("0a0000fe") + struct.pack(">HHIIII", 1, 2, 10 + i, 1500, 1234, 5678)
    r += struct.pack(">HH", 1024 + i, 80)
    if v5:
        r += struct.pack(">BBBBHHBBBB", 0, flags, proto, 16, 65001, 65002, 24, 16, 1, 2) + H("0a0000fd")
    else:
        r += struct.pack(">BBBBB3sI", 0, 0, proto, 16, flags, bytes(3), 0)
    return r


def nf(version, records, count=None, seq=7, uptime=1234567):
    count = len(records) if count is None else count
    h = struct.pack(">HHIII", version, count, uptime, 1700000000, 123456789)
    if version != 1:
        h += struct.pack(">IBBH", seq, 1, 2, 0)
    return h + b"".join(records)


# -T cnfp: NetFlow v1, v5, v6 (the count is read as 32 bits: the records
# are printed only when the uptime's top half is zero).
cnfp = [
    nf(1, [nf_record(False, 6, 0x12, 0), nf_record(False, 17, 0, 1)]),
    nf(5, [nf_record(True, 6, 0x1b, 0), nf_record(True, 1, 0, 1)]),
    nf(5, [nf_record(True, 6, 0xc0, 0), nf_record(True, 6, 0xff, 1)], count=0, uptime=2 << 16),
    nf(6, [nf_record(True, 6, 0, 0)]),
    nf(5, [nf_record(True, 6, 2, 0)], count=2),
    nf(5, [])[:20],
    nf(9, []),
    nf(5, [], uptime=999),
    H("00"),
    nf(1, [nf_record(False, 99, 0, 0)])[:40],
]

A4 = H("0a000001") + H("0a000002")
A6 = H("20010db8000000000000000000000001") + H("0000000000000000000000000a000002")
# -T aodv: requests, replies (with extensions), errors, acks, over IPv4
# and IPv6, the IPv6 draft types, and messages cut short.
aodv = [
    struct.pack(">BBBBI", 1, 0, 0, 2, 7) + H("0a000001") + struct.pack(">I", 5) + H("0a000002") + struct.pack(">I", 6),
    struct.pack(">BBBBI", 1, 0xf8, 0, 2, 7) + H("0a000001") + struct.pack(">I", 5) + H("0a000002") + struct.pack(">I", 6)
    + H("010400000064"),
    struct.pack(">BBBB", 2, 0, 0x24, 3) + H("0a000001") + struct.pack(">I", 5) + H("0a000002") + struct.pack(">I", 600)
    + H("0102"),
    struct.pack(">BBBB", 2, 0, 4, 3) + H("0a000001") + struct.pack(">I", 5) + H("0a000002") + struct.pack(">I", 600)
    + H("010400000064"),
    struct.pack(">BBBB", 2, 0, 4, 3) + H("0a000001") + struct.pack(">I", 5) + H("0a000002") + struct.pack(">I", 600)
    + H("0102000000"),
    struct.pack(">BBBB", 2, 0, 4, 3) + H("0a000001") + struct.pack(">I", 5) + H("0a000002") + struct.pack(">I", 600)
    + H("0700"),
    struct.pack(">BBBB", 3, 0x80, 0, 2) + H("0a000003") + struct.pack(">I", 9) + H("0a000004") + struct.pack(">I", 10),
    struct.pack(">BBBB", 3, 0, 0, 3) + H("0a000003") + struct.pack(">I", 9),
    H("0400"),
    H("09000000"),
    struct.pack(">BBBBI", 1, 0, 0, 2, 7) + H("0a000001"),
    struct.pack(">BBBB", 16, 0, 0, 1) + struct.pack(">III", 7, 8, 9) + A6 + A6[:16],
    struct.pack(">BBBB", 17, 0, 0, 1) + struct.pack(">I", 8) + A6 + struct.pack(">I", 60),
    struct.pack(">BBBB", 18, 0, 0, 1) + A6[:16] + struct.pack(">I", 11),
    H("1300"),
    ("udp6", struct.pack(">BBBBI", 1, 0, 0, 2, 7) + A6[:16] + struct.pack(">I", 5) + A6[16:] + struct.pack(">I", 6)),
    ("udp6", struct.pack(">BBBB", 2, 0, 0, 1) + A6[:16] + struct.pack(">I", 5) + A6[16:] + struct.pack(">I", 6)
     + H("010400000001")),
    ("udp6", struct.pack(">BBBB", 3, 0, 0, 1) + A6[:16] + struct.pack(">I", 11)),
    ("udp6", struct.pack(">BBBB", 4, 0, 0, 1)),
]

def cksum(b):
    s = sum(struct.unpack(">%dH" % (len(b) // 2), b))
    s = (s & 0xffff) + (s >> 16)
    s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def carp_adv(vhid, skew, counter, ver_type=0x21, good=True):
    c = struct.pack(">BBBBBBHQ", ver_type, vhid, skew, 7, 0, 1, 0, counter) + bytes(20)
    s = cksum(c) if good else 0x1234
    return c[:6] + struct.pack(">H", s) + c[8:]


# -T carp: IP protocol 112 as CARP (VRRP's number), a UDP packet (nothing
# printed after "IP ") and one cut short.
carp = [
    ("ip", 112, 255, carp_adv(1, 0, 42)),
    ("ip", 112, 64, carp_adv(2, 100, 1 << 40, good=False)),
    ("ip", 112, 255, carp_adv(3, 0, 0, ver_type=0x22)),
    ("ip", 112, 255, carp_adv(3, 0, 0, ver_type=0x31)),
    ("ip", 112, 255, carp_adv(4, 0, 5)[:12]),
    H("0000"),
]

# -T vat: vt (a bit of 0xf060 set) and vat headers, with audio format
# and sampling bits, and lengths under 2 and 8.
vat = [
    H("8123") + bytes(6),
    H("00000005") + H("00000064"),
    H("0f1f0105") + H("00000064") + bytes(4),
    H("3f9f0105") + H("00000064"),
    H("00800001") + H("00000002"),
    H("0000"),
    H("00"),
    H("0000000000"),
]

def ptp(msg_type, body_len=30, version=2, flags=0x0200, domain=4):
    hdr = struct.pack(">BBHBBH", 0x10 | msg_type, version, 34 + body_len, domain, 0, flags)
    hdr += struct.pack(">QI", 0x12345678, 0) + H("0011223344556677") + struct.pack(">HHBB", 1, 99, msg_type % 6, 0xfd)
    body = bytes(range(1, body_len + 1))
    return hdr + body


# -T ptp: every v2 message type, v1, v2.1, and messages shorter than
# the header or cut short.
ptp_msgs = [ptp(t) for t in (0, 1, 2, 3, 8, 9, 10, 11, 12, 13, 5)]
ptp_msgs += [ptp(0, version=1), ptp(0, version=0x12), ptp(0)[:20], ptp(11)[:40], ptp(13)[:50]]
ptp_msgs += [ptp(0)[:36], ptp(0)[:42], ptp(2)[:46], ptp(2)[:52], ptp(11)[:50], ptp(13)[:45]]

# -T someip: methods and events, every message type and return code
# tcpdump names and unknown ones, a header shorter than 16 bytes.
someip = [
    struct.pack(">IIIBBBB", (0x1234 << 16) | 0x0042, 8 + i, (7 << 16) | i, 1, 2, t, rc) + bytes(i % 3)
    for i, (t, rc) in enumerate(zip(
        (0x00, 0x01, 0x02, 0x80, 0x81, 0x20, 0x21, 0x22, 0xa0, 0xa1, 0x33, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00),
        (0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10)))
]
someip += [struct.pack(">IIIBBBB", 0xffff8001, 8, 1, 1, 1, 2, 0), H("00010002000000"), bytes(15)]

def lmp_obj(cls, ctype, body, neg=True):
    return struct.pack(">BBH", ctype | (0x80 if neg else 0), cls, 4 + len(body)) + body


def lmp(msg_type, objs, flags=0, version=1, length=None):
    body = b"".join(objs)
    n = 8 + len(body) if length is None else length
    return struct.pack(">HBBHH", version << 12, flags, msg_type, n, 0) + body


V4 = H("0a000001")
V6 = H("20010db8000000000000000000000001")
BW = struct.pack(">f", 125000000.0)
# -T lmp: every object class and C-type tcpdump decodes, wrong sizes,
# unknown ones, data link subobjects, bad lengths, versions, cut short.
lmp_msgs = [
    lmp(1, [lmp_obj(1, 1, H("00000007")), lmp_obj(5, 1, H("00000009")), lmp_obj(2, 1, V4),
            lmp_obj(6, 1, H("000a0028"), neg=False)]),
    lmp(2, [lmp_obj(1, 2, H("00000007")), lmp_obj(5, 2, H("00000009")), lmp_obj(2, 2, V4)], flags=3),
    lmp(4, [lmp_obj(7, 1, H("0000000100000002"))]),
    lmp(14, [lmp_obj(3, 1, V4), lmp_obj(3, 4, V6), lmp_obj(4, 5, H("00000063")), lmp_obj(3, 9, H("00000001"))]),
    lmp(14, [lmp_obj(11, 1, H("03000000") + V4 + V4), lmp_obj(11, 2, H("01000000") + V6 + V6),
             lmp_obj(11, 3, H("00000000") + H("0000000500000006"))]),
    lmp(14, [lmp_obj(12, 1, H("07000000") + V4 + V4 + H("010c") + H("9605") + BW + BW + H("02080000") + H("00000640")),
             lmp_obj(12, 3, H("00000000") + H("0000000500000006") + H("0908") + H("0000") + H("00000000"))]),
    lmp(14, [lmp_obj(12, 2, H("02000000") + V6 + V6 + H("0103") + H("0000"))]),
    lmp(5, [lmp_obj(8, 1, H("0003") + H("0064") + H("00000004") + H("08") + H("00") + H("1f40") + BW + H("00000640")),
            lmp_obj(9, 1, H("00c80001")), lmp_obj(10, 1, H("0000002a"))]),
    lmp(17, [lmp_obj(13, 1, V4 + H("80000001") + V4 + H("40000003")), lmp_obj(13, 2, V6 + H("00000002")),
             lmp_obj(13, 3, H("00000005") + H("c0000009"))]),
    lmp(19, [lmp_obj(14, 1, V4 + V4), lmp_obj(14, 2, V6), lmp_obj(14, 3, H("00000005"))]),
    lmp(7, [lmp_obj(20, 1, H("0000001f")), lmp_obj(20, 2, H("00000021")), lmp_obj(20, 3, H("00000000"))]),
    lmp(50, [lmp_obj(51, 1, H("0301")), lmp_obj(51, 2, H("0508" + "0701" + "00010002" + "00030004") + V4),
             lmp_obj(51, 2, H("0609" + "0000" + "00010002" + "00030004") + V4),
             lmp_obj(51, 3, H("00000003" + "00000001")), lmp_obj(51, 4, H("00000007"))]),
    lmp(50, [lmp_obj(51, 1, H("030100")), lmp_obj(51, 9, H("00000000"))]),
    lmp(3, [lmp_obj(1, 1, H("0000000700000008")), lmp_obj(99, 1, H("01020304"))]),
    lmp(99, [lmp_obj(7, 1, H("00000001"))]),
    lmp(1, [], length=4),
    lmp(1, [lmp_obj(1, 1, H("00000007"))], length=200),
    lmp(1, [struct.pack(">BBH", 1, 1, 2)]),
    lmp(1, [struct.pack(">BBH", 1, 1, 6) + H("0000")]),
    lmp(1, [lmp_obj(1, 1, H("00000007"))], length=14),
    lmp(1, [lmp_obj(1, 1, H("00000007"))], version=2),
    lmp(1, [lmp_obj(1, 1, H("00000007"))])[:14],
    lmp(1, [])[:6],
]

def pgm(t, body, tsdu=0, opts=0):
    return struct.pack(">HHBBH", 1234, 5678, t, opts, 0) + H("0a0b0c0d0e0f") + struct.pack(">H", tsdu) + body


NLA4 = struct.pack(">HH", 1, 0) + H("0a000009")
# -T pgm: PGM over UDP (the ports after the UDP ones, no addresses):
# SPM, POLL, POLR, ODATA, RDATA, NAK, NCF, ACK, SPMR, unknown, cut short.
pgm_msgs = [
    pgm(0x00, struct.pack(">III", 1, 2, 3) + NLA4),
    pgm(0x01, struct.pack(">IHH", 5, 6, 0) + NLA4 + struct.pack(">III", 7, 8, 9)),
    pgm(0x02, struct.pack(">IHH", 5, 6, 0)),
    pgm(0x04, struct.pack(">II", 10, 11) + b"data", tsdu=4),
    pgm(0x05, struct.pack(">II", 12, 13) + b"da", tsdu=2),
    pgm(0x08, struct.pack(">I", 14) + NLA4 + NLA4),
    pgm(0x0a, struct.pack(">I", 15) + NLA4 + NLA4),
    pgm(0x09, struct.pack(">I", 15) + NLA4 + struct.pack(">HH", 1, 0) + H("00010203")),
    pgm(0x0d, struct.pack(">I", 16)),
    pgm(0x0c, b""),
    pgm(0x33, b""),
    pgm(0x00, b"")[:12],
    H("04d2"),
]

write("forced.pcap", payloads)
write("forced_pgm.pcap", pgm_msgs)
write("forced_lmp.pcap", lmp_msgs)
write("forced_someip.pcap", someip)
write("forced_ptp.pcap", ptp_msgs)
write("forced_vat.pcap", vat)
write("forced_carp.pcap", carp)
write("forced_aodv.pcap", aodv)
write("forced_cnfp.pcap", cnfp)
write("forced_rpc.pcap", rpc)
# -T vxlan alone: the packets above that are VXLAN-like enough.
write("forced_vxlan.pcap", [p for p in payloads if p[:1] == b"\x08"])
