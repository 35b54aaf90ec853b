#!/usr/bin/env python3
"""Writes the made-up single-protocol captures of the printer's goldens
(stdlib only, deterministic): frames reaching the branches of a printer,
cut-short and malformed ones included. regen.sh prints every proto-*.pcap
with tcpdump -n.

    python3 print/tests/goldens/make_proto_captures.py

Files (next to this script):
  proto-decnet.pcap   DECnet Phase IV over Ethernet (ether type 0x6003)
  proto-eapol.pcap    EAPOL (ether type 0x888e) frame headers
  proto-ip.pcap       IP protocols: RSVP
  proto-udp.pcap      UDP applications: LDP, LWAPP, Cisco Auto-RP, LSP ping, wb
  proto-tcp.pcap      TCP applications: PPTP, LDP, RPKI-RTR
  proto-llc.pcap      802.3 frames with LLC/SNAP: CDP, DTP, ES-IS
  proto-udplen.pcap   proto-udp.pcap's frames with a UDP length shorter
                      than the IP payload (the printers may read on to
                      the end of the IP datagram, tcpdump's snapend)
  proto-ipaddr.pcap   IPv6 addresses with IPv4 inside (::a.b.c.d,
                      ::ffff:a.b.c.d), IPv4 fragments (-qq cuts the
                      non-first ones)
  proto-v-*.pcap      what -v, -vv and -vvv decode (regen.sh prints these
                      with those flags too): proto-v-ldp.pcap LDP messages
                      and TLVs over UDP and TCP; proto-v-cisco.pcap CDP
                      and DTP TLVs, malformed and cut short;
                      proto-v-rpki.pcap RPKI-RTR PDUs of each type, nested
                      Error Reports, wrong lengths; proto-v-wb.pcap wb
                      drawing operations; proto-v-lldp.pcap LLDP TLVs
                      (IEEE 802.1/802.3/IANA organization ones included);
                      proto-v-lspping.pcap LSP ping TLVs and FEC sub-TLVs;
                      proto-v-rsvp.pcap RSVP messages, bundles, objects;
                      proto-v-bgp.pcap BGP messages and path attributes;
                      proto-v-isis.pcap IS-IS PDUs and TLVs;
                      proto-v-ospf6.pcap is not made here: a copy of
                      tcpdump's test capture OSPFv3_with_AH.pcap (BSD
                      licence), OSPFv3 with every packet type and LSAs;
                      proto-v-dccp.pcap likewise a copy of tcpdump's
                      dccp_partial_csum_v4_longer.pcap (partial checksum
                      coverage, -vv options); proto-v-vsock.pcapng a copy
                      of tcpdump's vsock-1.pcapng (virtio vsock monitor)
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


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ip4_udp(sport, dport, payload, src=(192, 0, 2, 1), dst=(192, 0, 2, 2)):
    udp = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 1, 0, 64, 17, 0, bytes(src), bytes(dst))
    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return ether(0x0800, h + udp)


def ip4_tcp(sport, dport, payload, seq=1000, src=(192, 0, 2, 1), dst=(192, 0, 2, 2)):
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq, 1, 0x50, 0x18, 8192, 0, 0) + payload
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 1, 0, 64, 6, 0, bytes(src), bytes(dst))
    pseudo = bytes(src) + bytes(dst) + struct.pack("!BBH", 0, 6, len(tcp))
    tcp = tcp[:16] + struct.pack("!H", csum(pseudo + tcp)) + tcp[18:]
    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return ether(0x0800, h + tcp)


def pptp():
    def msg(t, body, cookie=0x1A2B3C4D, reserved=0, mtype=1):
        return struct.pack("!HHIHH", 12 + len(body), mtype, cookie, t, reserved) + body

    name = lambda s, n=64: s.encode().ljust(n, b"\0")
    bodies = [
        (1, struct.pack("!HHIIHH", 0x0100, 0, 1, 3, 2, 0x870) + name("host") + name("vendor")),
        (2, struct.pack("!HBBIIHH", 0x0100, 1, 0, 2, 2, 1, 1) + name("local") + name("x" * 64)),
        (2, struct.pack("!HBBIIHH", 0x0100, 9, 7, 0, 0, 1, 1) + name("cut")),
        (3, struct.pack("!BBH", 2, 1, 5)),
        (3, struct.pack("!BBH", 9, 0, 0)),
        (4, struct.pack("!BBH", 1, 3, 0)),
        (5, struct.pack("!I", 77)),
        (6, struct.pack("!IBBH", 77, 2, 6, 1)),
        (7, struct.pack("!HHIIIIHHHH", 1, 2, 300, 100000, 3, 3, 64, 0, 4, 0) + name("5551234") + name("sub")),
        (8, struct.pack("!HHBBHIHHI", 1, 2, 5, 0, 0, 64000, 64, 0, 7)),
        (9, struct.pack("!HHIIHH", 1, 2, 9, 4, 3, 3) + name("123") + name("456") + name("")),
        (10, struct.pack("!HHBBHHH", 1, 2, 3, 1, 16, 0, 0)),
        (11, struct.pack("!HHIHHI", 2, 0, 64000, 16, 0, 2)),
        (12, struct.pack("!HH", 4, 1)),
        (13, struct.pack("!HBBHH", 4, 4, 0, 0, 0) + name("stats", 128)),
        (14, struct.pack("!HHIIIIII", 4, 0, 1, 2, 3, 4, 5, 6)),
        (15, struct.pack("!HHII", 4, 0, 0xFFFFFFFF, 0)),
        (16, b""),
        (0, b""),
    ]
    frames = [ip4_tcp(3000 + i, 1723, msg(t, b)) for i, (t, b) in enumerate(bodies)]
    frames.append(ip4_tcp(1723, 3100, msg(5, struct.pack("!I", 1), cookie=0x12345678, reserved=3, mtype=2)))
    frames.append(ip4_tcp(1723, 3101, msg(7, struct.pack("!HHII", 1, 2, 300, 1))))
    frames.append(ip4_tcp(1723, 3102, msg(1, b"")[:8]))
    return full(frames)


def tcp_misc():
    pdu = struct.pack("!HH4sH", 1, 30, bytes((10, 9, 8, 7)), 0) + bytes(26)
    return full([
        ip4_tcp(40001, 646, pdu),
        ip4_tcp(646, 40001, pdu[:20]),
        ip4_tcp(646, 40001, pdu[:10]),
        ip4_tcp(323, 40002, bytes(8)),
    ])


def ldp():
    hello = struct.pack("!HHI", 0x0100, 20, 7) + struct.pack("!HH", 0x0400, 8) + struct.pack("!HHI", 0, 1, 0)
    pdu = lambda ver, plen, body: struct.pack("!HH4sH", ver, plen, bytes((10, 1, 2, 3)), 5) + body
    return [
        ip4_udp(646, 646, pdu(1, 6 + len(hello), hello)),
        ip4_udp(40000, 646, pdu(2, 6 + len(hello), hello)),
        ip4_udp(646, 40000, pdu(1, 4, hello)),
        ip4_udp(646, 646, pdu(1, 6, b"")[:10] + bytes(8)),
        ip4_udp(646, 646, pdu(1, 6, b"")[:10] + bytes(9)),
    ]


def ldp_v():
    """LDP PDUs with each message and TLV tcpdump decodes, short TLVs,
    PDUs and messages with wrong lengths, several PDUs in one payload."""
    def tlv(t, v):
        return struct.pack("!HH", t, len(v)) + v

    def msg(t, body, mid=7):
        return struct.pack("!HHI", t, 4 + len(body), mid) + body

    def pdu(msgs, ver=1, plen=None):
        body = b"".join(msgs)
        plen = 6 + len(body) if plen is None else plen
        return struct.pack("!HH4sH", ver, plen, bytes((10, 1, 2, 3)), 5) + body

    ip4 = bytes((10, 9, 8, 7))
    ip6 = bytes.fromhex("20010db8000000000000000000000001")
    hello = tlv(0x400, struct.pack("!HH", 15, 0))
    fec = lambda body: tlv(0x100, body)

    def vc(pw, group, info_len, rest):
        return fec(b"\x80" + struct.pack("!HBI", pw, info_len, group) + rest)

    params = struct.pack("!BBH", 1, 4, 1500) + b"\x03\x06eth0" + b"\x0c\x04\x07\x05" + b"\x09\x05abc"
    pdus = [
        pdu([msg(0x100, tlv(0x400, struct.pack("!HH", 15, 0xC000)) + tlv(0x401, ip4) + tlv(0x403, ip6)
                 + tlv(0x402, struct.pack("!I", 9)))]),
        pdu([msg(0x1, tlv(0x300, struct.pack("!IIH", 0xC000000A, 5, 0x100)) + tlv(0x300, struct.pack("!II", 0x19, 0)))]),
        pdu([msg(0x200, tlv(0x500, struct.pack("!HHBBH4sH", 1, 30, 0, 7, 0xC000, ip4, 2))
                 + tlv(0x503, struct.pack("!HHII", 0x800F, 0, 100, 200)) + tlv(0x503, bytes(12)))]),
        pdu([msg(0x300, tlv(0x101, struct.pack("!H", 1) + ip4 + ip4 + b"\x01")),
             msg(0x301, tlv(0x101, struct.pack("!H", 2) + ip6)), msg(0x301, tlv(0x101, struct.pack("!H", 99) + ip6)),
             msg(0x301, tlv(0x101, struct.pack("!H", 25)))]),
        pdu([msg(0x400, vc(0x8005, 3, 0, b"") + vc(4, 3, 4, struct.pack("!I", 77)) + vc(0x8005, 9, 2, struct.pack("!I", 77))
                 + vc(0x8033, 9, 4 + len(params), struct.pack("!I", 77) + params)
                 + vc(0x8005, 9, 20, struct.pack("!I", 77) + b"\x01\x04\x05\xdc")
                 + vc(0x8005, 9, 10, struct.pack("!I", 77) + b"\x01\x01\x05\xdc\0\0") + vc(0x8005, 1, 4, b"\0\0"))]),
        pdu([msg(0x201, b""), msg(0x3E01, b"abcdef", 9), msg(0x401, tlv(0x400, b"\0"))]),
        pdu([msg(0x100, hello + tlv(0x401, ip4)[:6])]),
        pdu([msg(0x100, hello)], plen=200),
        pdu([msg(0x100, b"\0\0"), struct.pack("!HH", 0x100, 2)]),
        pdu([msg(0x100, hello)]) * 2 + bytes(3),
        pdu([msg(0x100, hello)]) + pdu([], ver=2),
        pdu([msg(0x100, hello)]) + pdu([], plen=3),
        pdu([msg(0x100, hello, mid=1)], plen=60) + bytes(30),
        pdu([msg(0x100, hello + tlv(0x500, bytes(10)) + tlv(0x300, bytes(5)))]),
        pdu([msg(0x402, tlv(0x200, struct.pack("!I", 0x12345678)) + tlv(0x601, struct.pack("!H", 1500))
                 + tlv(0x104, ip4 * 2) + tlv(0x103, b"\x05") + tlv(0x200, b"\0") + tlv(0x500, bytes(6)))]),
        pdu([msg(0x400, tlv(t, bytes(n))) for t, n in [(0x500, 5), (0x503, 11), (0x101, 1), (0x401, 1), (0x403, 15),
                                                         (0x402, 3), (0x400, 3), (0x601, 1)]]
            + [msg(0x400, fec(b"\x80" + bytes(5)))]),
        pdu([msg(0x8100, tlv(0xC400, struct.pack("!HH", 1, 0)) + tlv(0x8777, b"xyz")), msg(0x1, b""),
             msg(0x403, b"12"), msg(0x404, b"")]),
    ]
    for body in [b"\x01", b"\x02" + struct.pack("!HB", 1, 24) + bytes((10, 1, 2)),
                 b"\x02" + struct.pack("!HB", 2, 64) + ip6[:8], b"\x02" + struct.pack("!HB", 1, 33) + bytes(5),
                 b"\x02" + struct.pack("!HB", 2, 129), b"\x02" + struct.pack("!HB", 2, 64),
                 b"\x02" + struct.pack("!HB", 1, 24) + bytes(1), b"\x02" + struct.pack("!H", 7), b"\x03",
                 b"\x07abc", b"\x02", b"", b"\x02" + struct.pack("!HB", 1, 21) + bytes((10, 1, 0xFF))]:
        pdus.append(pdu([msg(0x400, fec(body))]))
    frames = [ip4_udp(646, 646, p) for p in pdus] + [ip4_tcp(40000, 646, p) for p in pdus[:4]]
    cut = ip4_udp(646, 646, pdus[4])
    return full(frames) + [(cut[:80], len(cut)), (cut[:100], len(cut))]


def lwapp():
    ident = bytes.fromhex("001122334455")
    msg = lambda t, body: struct.pack("!BBHI", t, 3, len(body), 0x01020304) + body
    msgs = msg(1, b"abcd") + msg(99, b"")
    ctl = lambda v, body: struct.pack("!BBHH", v, 7, len(body), 0) + body
    data = lambda v, tlen, body: struct.pack("!BBHH", v, 9, tlen, 0) + body
    return [
        ip4_udp(20000, 12223, ident + ctl(0x04, msgs)),
        ip4_udp(12223, 20000, ctl(0x0f, msgs)),
        ip4_udp(12223, 20000, ctl(0x04, msgs)[:-6] + bytes(2)),
        ip4_udp(12223, 20000, struct.pack("!BBHH", 0x04, 1, 30, 0) + msg(2, b"xy")),
        ip4_udp(12223, 20000, struct.pack("!BBHH", 0x04, 1, 5, 0) + msg(2, b"")),
        ip4_udp(12223, 20000, ctl(0x44, msgs)),
        ip4_udp(20000, 12223, ident[:4]),
        ip4_udp(20000, 12222, data(0x0b, 12, b"802.11")),
        ip4_udp(12222, 20000, data(0x08, 3, b"")),
        ip4_udp(12222, 20000, data(0xc0, 6, b"")),
        ip4_udp(12222, 20000, data(0x00, 6, b"")[:5]),
    ]


def autorp():
    rp = lambda addr, v, entries: bytes(addr) + struct.pack("BB", v, len(entries)) + b"".join(entries)
    ent = lambda flags, mask, addr: struct.pack("BB", flags, mask) + bytes(addr)
    two = (rp((10, 0, 0, 1), 2, [ent(0, 4, (224, 0, 0, 0)), ent(1, 24, (239, 1, 2, 0)), ent(0x06, 8, (232, 0, 0, 0))])
           + rp((10, 0, 0, 2), 0xff, []))
    hdr = lambda t, n, hold: struct.pack("!BBHI", t, n, hold, 0)
    return [
        ip4_udp(496, 496, hdr(0x11, 2, 150) + two),
        ip4_udp(496, 496, hdr(0x12, 1, 0) + two),
        ip4_udp(40000, 496, hdr(0x13, 0, 3600)),
        ip4_udp(496, 496, hdr(0x11, 3, 150) + two),
        ip4_udp(496, 496, hdr(0x11, 1, 150) + two[:5]),
        ip4_udp(496, 496, hdr(0x11, 1, 150) + two[:12]),
        ip4_udp(496, 496, hdr(0x11, 1, 150)[:7]),
    ]


def snap(oui, pid, payload, pad=True):
    body = bytes.fromhex("aaaa03") + oui.to_bytes(3, "big") + struct.pack("!H", pid) + payload
    f = bytes.fromhex("01000ccccccc") + bytes.fromhex("00000c112233") + struct.pack("!H", len(body)) + body
    if pad and len(f) < 60:
        f += bytes(60 - len(f))
    return f


def osi(payload, pad=True):
    body = bytes.fromhex("fefe03") + payload
    f = bytes.fromhex("09002b000005") + bytes.fromhex("00000c112233") + struct.pack("!H", len(body)) + body
    if pad and len(f) < 60:
        f += bytes(60 - len(f))
    return f


def esis():
    hdr = lambda li, ver, t: struct.pack("!BBBBBHH", 0x82, li, ver, 0, t, 30, 0)
    return [
        osi(hdr(12, 1, 2) + b"\x01\x00\x00"),
        osi(hdr(20, 1, 4) + bytes(11)),
        osi(hdr(20, 1, 6) + bytes(11)),
        osi(hdr(20, 1, 0x1f) + bytes(11)),
        osi(hdr(12, 2, 2) + bytes(3)),
        osi(hdr(200, 1, 2) + bytes(3)),
        osi(hdr(9, 1, 2) + bytes(3)),
        osi(b"\x82\x09", pad=False),
        osi(hdr(20, 1, 2)[:6], pad=False),
    ]


def llc():
    tlv = lambda t, v: struct.pack("!HH", t, 4 + len(v)) + v
    cdp = struct.pack("!BBH", 2, 180, 0x1234) + tlv(1, b"sw\x01one") + tlv(5, b"IOS 15.2\nrelease") + tlv(9, b"")
    frames = [
        snap(0x00000C, 0x2000, cdp),
        snap(0x00000C, 0x2000, struct.pack("!BBH", 1, 60, 0) + tlv(6, b"plat") + struct.pack("!HH", 3, 2)),
        snap(0x00000C, 0x2000, struct.pack("!BBH", 2, 180, 0) + tlv(1, b"abc")[:6], pad=False),
        snap(0x00000C, 0x2000, struct.pack("!BB", 2, 180), pad=False),
        snap(0x00000C, 0x2004, bytes.fromhex("01000100096369736300000200058100030005a5")),
        snap(0x00000C, 0x2004, b"", pad=False),
        snap(0x00000C, 0x2000, struct.pack("!BBH", 2, 180, 0) + tlv(1, b"a") + b"\0\0\0", pad=False),
    ]
    cut = snap(0x00000C, 0x2000, cdp)
    return full(frames + esis()) + [(cut[:25], len(cut)), (cut[:36], len(cut))]


def cisco_v():
    """CDP with every TLV type tcpdump knows, values of wrong lengths,
    address lists of each kind and each way to be short; DTP TLVs."""
    tlv = lambda t, v: struct.pack("!HH", t, 4 + len(v)) + v
    hdr = struct.pack("!BBH", 2, 180, 0xABCD)
    ip4 = bytes((10, 1, 2, 3))
    ip6 = bytes.fromhex("20010db8000000000000000000000001")
    a4 = struct.pack("!BB", 1, 1) + b"\xcc" + struct.pack("!H", 4) + ip4
    a6 = struct.pack("!BB", 2, 8) + bytes.fromhex("aaaa0300000086dd") + struct.pack("!H", 16) + ip6
    other = struct.pack("!BB", 3, 2) + b"\x01\x02" + struct.pack("!H", 3) + b"\x0a\x0b\x0c"
    addrs = lambda n, body: tlv(2, struct.pack("!I", n) + body)
    cdps = [
        tlv(1, b"dev") + addrs(3, a4 + a6 + other) + tlv(3, b"Gi0/1") + tlv(4, struct.pack("!I", 0x29))
        + tlv(5, b"a\nb\x81") + tlv(6, b"cisco") + tlv(7, ip4 + b"\x18" + ip4 + b"\x10") + tlv(8, b"xyz")
        + tlv(9, b"dom") + tlv(0xA, b"\x00\x05") + tlv(0xB, b"\x01") + tlv(0xB, b"\x00"),
        tlv(0xE, b"\x01\x00\x05") + tlv(0xF, b"\x20\x00") + tlv(0xF, b"\x01\x00\x06") + tlv(0x10, b"\x1d\x4c")
        + tlv(0x11, struct.pack("!I", 1500)) + tlv(0x12, b"\x01") + tlv(0x13, b"\x02") + tlv(0x14, b"sys")
        + tlv(0x15, b"\x06\x01") + tlv(0x16, struct.pack("!I", 1) + a4) + tlv(0x17, b"\x05") + tlv(0x17, b"\x05loc")
        + tlv(0x18, b"zz") + tlv(0xC, b"ab") + tlv(0, b"cd"),
        tlv(4, b"\0\0\0") + tlv(0xA, b"\0") + tlv(0xE, b"\0\0") + tlv(0x10, b"\0") + tlv(0x16, b"\0\0\0")
        + tlv(0x17, b"") + tlv(7, b"\0" * 6) + tlv(2, b"\0\0") + tlv(0x10, b"\1\2\3\4\5") + tlv(0xE, b"\1\2\3\4")
        + tlv(0xF, b"\1\2\3\4") + tlv(0x11, b"\1\2\3\4\5") + tlv(0x12, b"\1\2") + tlv(0xA, b"\1\2\3"),
        tlv(0x10, b"") + tlv(0x5, b"") + tlv(0x7, b"") + tlv(2, b"") + tlv(0x16, b"\0\0\0\0") + tlv(1, b"a\x00b\xff"),
        addrs(2, a4), addrs(1, a4 + b"\0\0"), addrs(1, b"\x01"), addrs(1, a4[:5]), addrs(0, a4), addrs(1, a4[:7]),
        addrs(1, a4[:5]), addrs(1, a6[:20]), addrs(1, other[:7]), addrs(1, other[:4]),
        addrs(2, struct.pack("!BB", 1, 1) + b"\xcd" + struct.pack("!H", 4) + bytes(4)),
        tlv(1, b"x") + struct.pack("!HH", 3, 0), tlv(0xB, b"\0\0"), b"",
    ]
    frames = [snap(0x00000C, 0x2000, hdr + c) for c in cdps]
    dt = lambda t, v: struct.pack("!HH", t, 4 + len(v)) + v
    dtps = [
        b"\x01" + dt(1, b"cisco\0") + dt(2, b"\x81") + dt(3, b"\xa5") + dt(4, bytes.fromhex("001f6d96ec04")) + dt(9, b"ab"),
        b"\x01" + dt(2, b"\x81\x00"), b"\x01" + dt(4, b"\x00"), b"\x01" + dt(1, b"ab") + b"\0\0",
        b"\x01" + dt(1, b"ab") + struct.pack("!HH", 1, 2), b"\x01" + dt(1, b"ab") + struct.pack("!HH", 1, 30),
        b"\x01" + dt(0, b"ab") + dt(1, b"x"), b"\x01", b"\x01" + dt(1, b""),
    ]
    frames += [snap(0x00000C, 0x2004, d, pad=False) for d in dtps]
    cut = snap(0x00000C, 0x2000, hdr + cdps[0])
    dcut = snap(0x00000C, 0x2004, dtps[0])
    return full(frames) + [(cut[:n], len(cut)) for n in (40, 60, 75)] + [(dcut[:n], len(dcut)) for n in (30, 40)]


def eapol():
    frames = [ether(0x888E, struct.pack("!BBH", v, t, n) + body)
              for v, t, n, body in [(1, 1, 0, b""), (2, 0, 5, b"\x01\x01\x00\x05\x01"), (1, 2, 0, b""),
                                    (3, 3, 95, bytes(95)), (1, 4, 0, b""), (1, 9, 0, b"")]]
    frames.append(ether(0x888E, b"\x01\x01\x00", pad=False))
    return full(frames)


def ip4_proto(proto, payload, src=(10, 0, 0, 1), dst=(10, 0, 0, 2)):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 1, 0, 64, proto, 0, bytes(src), bytes(dst))
    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return ether(0x0800, h + payload)


def ip6_proto(nh, payload):
    src = bytes.fromhex("20010db8000000000000000000000001")
    dst = bytes.fromhex("20010db8000000000000000000000002")
    return ether(0x86DD, struct.pack("!IHBB", 0x60000000, len(payload), nh, 64) + src + dst + payload)


def ip_protos():
    rsvp = lambda vf, t, body=bytes(16): struct.pack("!BBHBBH", vf, t, 0, 64, 0, 8 + len(body)) + body
    frames = [ip4_proto(46, rsvp(0x10, t)) for t in (1, 2, 3, 4, 5, 6, 7, 12, 13, 14, 15, 20, 99)]
    frames += [ip4_proto(46, rsvp(0x21, 1)), ip4_proto(46, rsvp(0x10, 1)[:6]), ip6_proto(46, rsvp(0x11, 2))]
    return full(frames)


def ip_addrs():
    def ip6_udp(src, dst):
        udp = struct.pack("!HHHH", 40000, 9, 12, 0) + b"abcd"
        return ether(0x86DD, struct.pack("!IHBB", 0x60000000, len(udp), 17, 64)
                     + bytes.fromhex(src) + bytes.fromhex(dst) + udp)

    def frag(proto, off, mf, payload):
        h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 77, (mf << 13) | off, 64, proto, 0,
                        bytes((10, 0, 0, 1)), bytes((10, 0, 0, 2)))
        return ether(0x0800, h[:10] + struct.pack("!H", csum(h)) + h[12:] + payload)

    udp = struct.pack("!HHHH", 40000, 9, 8 + 24, 0) + bytes(8)
    frames = [
        ip6_udp("00000000000000000000000001020304", "00000000000000000000ffff0a000001"),
        ip6_udp("00000000000000000000ffff00000000", "00000000000000000000000001000000"),
        ip6_udp("0000000000000000000000000000000a", "0064ff9b000000000000000001020304"),
        ip6_udp("00000000000000000000fffe01020304", "20010db8000000000000000000000000"),
        frag(17, 0, 1, udp),
        frag(17, 2, 1, bytes(8)),
        frag(17, 3, 0, bytes(8)),
        frag(6, 100, 0, bytes(16)),
        frag(99, 1, 0, bytes(4)),
    ]
    return full(frames)


def short_udp_length(frames):
    out = []
    for f in frames:
        if f[12:14] != b"\x08\x00" or f[14] != 0x45 or f[23] != 17:
            continue
        iplen = struct.unpack("!H", f[16:18])[0]
        plen = iplen - 28
        if plen >= 3:
            out.append(f[:38] + struct.pack("!H", 8 + plen * 2 // 3) + f[40:])
    return full(out)


def lspping():
    hdr = lambda ver, t, seq: struct.pack("!HHBBBBII", ver, 0, t, 2, 0, 0, 7, seq) + bytes(16)
    return [
        ip4_udp(40000, 3503, hdr(1, 1, 5)),
        ip4_udp(3503, 40000, hdr(1, 2, 6) + bytes(8)),
        ip4_udp(3503, 3503, hdr(1, 9, 6)),
        ip4_udp(3503, 3503, hdr(2, 1, 6)),
        ip4_udp(3503, 3503, hdr(1, 1, 6)[:20]),
    ]


def wb():
    ph = lambda t, flags=0: struct.pack("!IIHBB", 0x0a000001, 5, 1, t, flags)
    page = lambda sid, uid: bytes(sid) + struct.pack("!I", uid)
    pgstate = lambda slot, sid, uid, nid: struct.pack("!I", slot) + page(sid, uid) + struct.pack("!HH", nid, 0)
    idoff = lambda a, off: bytes(a) + struct.pack("!I", off)
    f = []
    # kill, unknown
    f.append(ph(4)); f.append(ph(9, 1))
    # prep: n=2, each with nid ids
    prep = struct.pack("!I", 2) + pgstate(1, (10,0,0,2), 3, 2) + idoff((10,0,0,3), 4) + idoff((10,0,0,4), 5) + pgstate(6, (10,0,0,5), 7, 0)
    f.append(ph(7) + prep); f.append(ph(7, 1) + prep[:30]); f.append(ph(7) + b"\0\0")
    # preq
    f.append(ph(5) + page((10,1,1,1), 9) + struct.pack("!II", 10, 11)); f.append(ph(5) + b"\0"*4)
    # rreq
    f.append(ph(2) + struct.pack("!I", 0x0a020202) + page((10,1,1,1), 9) + struct.pack("!II", 10, 11)); f.append(ph(2) + b"\0"*4)
    # id
    idp = struct.pack("!I", 3) + page((10,3,3,3), 4) + pgstate(5, (10,4,4,4), 6, 2) + idoff((10,0,0,7), 8) + idoff((10,0,0,9), 10) + b"site\x01name"
    f.append(ph(1) + idp); f.append(ph(1) + idp[:20]); f.append(ph(1) + idp[:40])
    idp0 = struct.pack("!I", 3) + page((10,3,3,3), 4) + pgstate(5, (10,4,4,4), 6, 0)
    f.append(ph(1) + idp0)
    # drawop, rrep
    dop = page((10,5,5,5), 1) + struct.pack("!II", 2, 3)
    f.append(ph(0) + dop); f.append(ph(0) + dop[:8])
    f.append(ph(3) + struct.pack("!I", 0x0a060606) + dop); f.append(ph(3) + dop[:8])
    f.append(ph(4)[:10])
    return [ip4_udp(3000, 4567, x) for x in f]


def rpki_v():
    """RPKI-RTR segments: each PDU type, Error Reports with encapsulated
    PDUs (nested twice), every length check, cut-short segments."""
    def pdu(t, sess, body, ver=0, plen=None):
        return struct.pack("!BBHI", ver, t, sess, 8 + len(body) if plen is None else plen) + body

    def err(code, inner, text):
        return pdu(10, code, struct.pack("!I", len(inner)) + inner + struct.pack("!I", len(text)) + text)

    ip4 = bytes((10, 1, 2, 0))
    ip6 = bytes.fromhex("20010db8000000000000000000000000")
    segs = [
        pdu(0, 0x1234, struct.pack("!I", 77)) + pdu(1, 0x1234, struct.pack("!I", 78)) + pdu(2, 0, b"")
        + pdu(3, 0xABCD, b""),
        pdu(4, 0, struct.pack("!BBBB", 1, 24, 32, 0) + ip4 + struct.pack("!I", 65001))
        + pdu(6, 0, struct.pack("!BBBB", 0, 32, 48, 0) + ip6 + struct.pack("!I", 65002))
        + pdu(7, 5, struct.pack("!I", 9)) + pdu(8, 0, b""),
        err(2, pdu(1, 3, struct.pack("!I", 5)), b"no data\x01") + err(5, b"", b"")
        + err(99, err(1, pdu(2, 0, b""), b"x"), b"yy"),
        pdu(9, 0, b"abcd") + pdu(0, 0, b""),
        pdu(2, 0, b"", plen=4) + pdu(2, 0, b""),
        pdu(2, 0, b"", plen=40),
        pdu(3, 0, b"x"), pdu(4, 0, bytes(11)), pdu(6, 0, bytes(11)), pdu(0, 0, bytes(3)), pdu(2, 0, b"\0"),
        pdu(10, 0, b"\0\0"), pdu(10, 0, struct.pack("!I", 30) + bytes(8)), pdu(10, 0, struct.pack("!I", 0) + bytes(2)),
        pdu(10, 0, struct.pack("!II", 0, 9) + bytes(2)),
        err(1, pdu(4, 0, bytes(3)), b"t"), err(1, pdu(9, 0, b"ab"), b""),
        pdu(2, 0, b"") + b"\0\0\0",
        pdu(2, 0, b"", ver=1) + pdu(2, 0, b""),
    ]
    cut = ip4_tcp(323, 40000, segs[2])
    return full([ip4_tcp(323, 40000, s) for s in segs]) + [(cut[:n], len(cut)) for n in (70, 90, 110)]


def wb_v():
    """wb drawop packets and repair replies with drawing operations of
    each kind, SKIP/HOLE jumps in and out of range, cut-short lists."""
    ph = lambda t: struct.pack("!IIHBB", 0x0A000001, 5, 1, t, 0)
    dop = lambda t, body=b"", ts=0: struct.pack("!IHBB", ts, len(body), 0, t) + body + bytes((-(len(body) + 8)) % 4)
    hdr = lambda s, e: bytes((10, 5, 5, 5)) + struct.pack("!III", 1, s, e)
    f = [
        ph(0) + hdr(1, 4) + dop(2) + dop(3, b"abc") + dop(16) + dop(0, b"x" * 5),
        ph(0) + hdr(1, 9) + dop(2) + dop(14, ts=4) + dop(9, b"hello") + dop(15, ts=20) + dop(1),
        ph(0) + hdr(5, 9) + dop(14, ts=3) + dop(2),
        ph(0) + hdr(5, 4) + dop(2),
        ph(3) + struct.pack("!I", 0x0A060606) + hdr(7, 8) + dop(4) + dop(5),
        ph(0) + hdr(1, 5) + dop(2) + dop(3),
        ph(0) + hdr(0xFFFFFFFE, 0xFFFFFFFF) + dop(2) + dop(3) + dop(6) + dop(7),
    ]
    return full([ip4_udp(3000, 4567, x) for x in f])


def lldp_v():
    """LLDPDUs with every TLV type, chassis/port id subtypes, management
    addresses of each family, the IEEE 802.1 (DCB ETS/PFC, EVB, CDCP),
    802.3 and IANA organization TLVs, short values, cut-short frames."""
    tlv = lambda t, v: struct.pack("!H", (t << 9) | len(v)) + v
    mac = bytes.fromhex("00000c112233")
    org = lambda oui, sub, body: tlv(127, oui.to_bytes(3, "big") + bytes([sub]) + body)
    end = tlv(0, b"")
    basic = (tlv(1, b"\x04" + mac) + tlv(2, b"\x05eth0") + tlv(3, b"\x00\x78") + tlv(4, b"port d\x01esc")
             + tlv(5, b"sw1") + tlv(6, b"Linux\x00x") + tlv(7, struct.pack("!HH", 0x14, 0x04))
             + tlv(8, b"\x05\x01\x0a\x00\x00\x01\x02\x00\x00\x00\x07\x03\x2b\x06\x01")
             + tlv(8, b"\x11\x02" + bytes(16) + b"\x03\x00\x00\x00\x09")
             + tlv(8, b"\x07\x06" + mac + b"\x02\x00\x00\x00\x01\x00") + tlv(8, b"\x03\x09ab\x02\x00\x00\x00\x01")
             + tlv(1, b"\x05\x01\x0a\x01\x02\x03") + tlv(2, b"\x04\x02" + bytes(16)) + tlv(1, b"\x09zz")
             + tlv(2, b"\x03" + mac) + tlv(9, b"xy") + end)
    ieee = lambda sub, body: org(0x0080C2, sub, body)
    dot3 = lambda sub, body: org(0x00120F, sub, body)
    orgs = (ieee(1, b"\x00\x05") + ieee(2, b"\x06\x00\x07") + ieee(3, b"\x00\x08\x04vlan") + ieee(4, b"\x03abc")
            + ieee(8, b"\x81\x42") + ieee(9, bytes([0xC3]) + bytes(range(4)) + bytes(range(8)) + bytes(range(8)))
            + ieee(10, b"\x05" + bytes(20)) + ieee(11, b"\xd4\x35") + ieee(12, b"\x00\xab\x12\x34\x23\x00\x50")
            + ieee(13, b"\xff\xfe\xa5\xc3\x77") + ieee(14, b"\x80\x00\x01\x23\x00\x10\x05") + ieee(99, b"q")
            + ieee(1, b"\x00") + ieee(3, b"\x00\x08\x09v") + ieee(12, b"\x00\x01")
            + dot3(1, b"\x03\x6c\x01\x00\x10") + dot3(2, b"\x07\x01\x02") + dot3(3, b"\x03\x00\x00\x00\x05")
            + dot3(4, b"\x05\xee") + dot3(7, b"") + dot3(1, b"\x03")
            + org(0x00005E, 1, b"http://x") + org(0x00005E, 2, b"abcd") + org(0x00005E, 1, b"") + tlv(127, b"\x00\x80")
            + org(0x123456, 1, b"zz") + end)
    short = [tlv(1, b"\x04" + mac[:3]) + end, tlv(3, b"\x00") + end, tlv(5, b"name") + tlv(3, b"\x00\x10"),
             tlv(1, b"\x04" + mac) + struct.pack("!H", (4 << 9) | 40) + b"short"]
    cut = ether(0x88CC, basic)
    return full([ether(0x88CC, x) for x in [basic, orgs] + short]) + [(cut[:n], len(cut)) for n in (40, 70)]


def lspping_v():
    """LSP ping echo requests and replies: each return code kind, time
    stamps, every TLV tcpdump decodes, one packet per FEC sub-TLV type
    (route distinguishers of each format), TLVs and sub-TLVs of wrong
    lengths, several sub-TLVs in one stack, cut-short packets."""
    def hdr(t=1, mode=2, rc=0, sub=0, ts=(0, 0, 0, 0), ver=1):
        return struct.pack("!HHBBBBII", ver, 0, t, mode, rc, sub, 7, 5) + struct.pack("!IIII", *ts)

    tlv = lambda t, v: struct.pack("!HH", t, len(v)) + v + bytes((-len(v)) % 4)
    raw = lambda t, v: struct.pack("!HH", t, len(v)) + v
    ip4 = bytes((10, 1, 2, 3))
    ip6 = bytes.fromhex("20010db8000000000000000000000001")
    rd0 = struct.pack("!HHI", 0, 100, 5)
    rd1 = struct.pack("!H", 1) + ip4 + struct.pack("!H", 9)
    rd2 = struct.pack("!HIH", 2, 70000, 3)
    rd9 = struct.pack("!H", 9) + bytes(6)
    rsvp4 = ip4 + struct.pack("!HH", 0, 7) + ip4 + ip4 + struct.pack("!HH", 0, 9)
    rsvp6 = ip6 + struct.pack("!HH", 0, 7) + ip6 + ip6 + struct.pack("!HH", 0, 9)
    subs = [(1, ip4 + b"\x18"), (2, ip6 + b"\x40"), (3, rsvp4), (4, rsvp6), (5, b"abcd"), (6, rd0 + ip4 + b"\x18"),
            (7, rd1 + ip6 + b"\x40"), (8, rd2 + struct.pack("!HHH", 1, 2, 5)), (8, rd9 + struct.pack("!HHH", 1, 2, 0x77)),
            (6, rd1 + ip4 + b"\x18"), (6, rd2 + ip4 + b"\x18"), (9, ip4 + struct.pack("!IH", 77, 4)),
            (10, ip4 + ip4 + struct.pack("!IH", 77, 5)), (11, b"ab"), (12, ip4 + b"\x18"), (13, ip6 + b"\x40"),
            (14, ip4 + b"\x18"), (16, b"\0\0\0\x01"), (3, b"x"), (2, b"y"), (12, b"y"), (8, b"q")]
    packets = [hdr() + tlv(1, tlv(t, v)) for t, v in subs]
    ds = lambda at, body: tlv(2, struct.pack("!HBB", 1500, at, 0) + body + bytes(4) + bytes.fromhex("00012301"))
    packets += [
        hdr() + raw(1, struct.pack("!HH", 1, 8) + ip4 + b"\x18\0\0\0"),
        hdr() + tlv(1, tlv(1, ip4 + b"\x18") + tlv(1, ip4 + b"\x18")),
        hdr(2, 3, 3, 1, (0xE0000000, 0x80000000, 0xE0000001, 0x40000000)) + ds(1, ip4 + ip4)
        + ds(2, ip4 + b"\0\0\0\x05") + ds(3, ip6 + ip6) + ds(4, ip6 + b"\0\0\0\x06") + ds(9, b"") + tlv(2, b"\0\0"),
        hdr(1, 9, 99, 0) + tlv(3, b"\x01" + bytes(5)) + tlv(5, b"\0\0\0\x09") + tlv(5, b"\0\0") + tlv(7, bytes(8))
        + tlv(9, b"\x01\x02\0\0") + tlv(10, b"\xc0\0\0\0") + tlv(15, b"\0\0\0\x2a") + tlv(15, b"\0")
        + tlv(0xFC00, b"xyz") + tlv(0x99, b"q") + raw(1, b""),
        hdr(1, 1, 4, 2) + raw(1, b"\0\x01\0\x09" + ip4 + b"\x18") + raw(1, b"\0\x01"),
        hdr(1, 1, 8, 2) + raw(1, tlv(1, ip4 + b"\x18")[:6]),
        hdr(1, 1, 10, 2) + raw(3, b"ab"),
        hdr(1, 1, 11, 2) + b"\0\x01",
        hdr(1, 1, 12, 2) + raw(2, b"\0\0\0"),
        hdr(1, 1, 13, 2) + raw(2, struct.pack("!HBB", 1500, 1, 0) + ip4),
        hdr(1, 1, 5, 2) + raw(2, struct.pack("!HBB", 1500, 1, 0) + ip4 + ip4 + b"\0"),
        hdr(1, 1, 0, 2) + raw(1, tlv(1, ip4 + b"\x18\0")),
        hdr(1, 1, 0, 2) + raw(1, struct.pack("!HH", 1, 5) + ip4 + b"\x18"),
    ]
    cut = ip4_udp(3503, 3503, packets[2])
    return full([ip4_udp(3503, 3503, x) for x in packets]) + [(cut[:n], len(cut)) for n in (70, 90)]


def rsvp_v():
    """RSVP Path and Resv messages with the objects decoded with -v,
    Bundles, unknown messages and objects, objects too short for their
    class-type, malformed routes and lengths, cut-short packets."""
    obj = lambda c, t, v: struct.pack("!HBB", 4 + len(v), c, t) + v
    msg = lambda t, objs, flags=0: struct.pack("!BBHBBH", 0x10 | flags, t, 0xABCD, 64, 0, 8 + len(objs)) + objs
    ip4 = bytes((10, 1, 2, 3))
    ip6 = bytes.fromhex("20010db8000000000000000000000001")
    ero = lambda *subs: obj(20, 1, b"".join(subs))
    v4hop = lambda loose, flags: struct.pack("!BB", 1 | (0x80 if loose else 0), 8) + ip4 + bytes([32, flags])
    path = (obj(1, 7, ip4 + struct.pack("!HH", 0, 5) + ip4) + obj(3, 1, ip4 + struct.pack("!I", 7))
            + obj(5, 1, struct.pack("!I", 30000)) + obj(207, 7, b"\x07\x07\x16\x05lsp-1\0\0\0")
            + obj(19, 1, struct.pack("!HH", 0, 0x800)) + obj(19, 1, struct.pack("!HH", 0, 0x1234))
            + ero(v4hop(False, 0), v4hop(True, 9))
            + obj(21, 1, v4hop(False, 1) + struct.pack("!BBBBI", 3, 8, 1, 1, 17) + struct.pack("!BBBBI", 3, 8, 0, 2, 18)
                  + struct.pack("!BB", 32, 4) + b"\0\x05")
            + obj(11, 7, ip4 + struct.pack("!HH", 0, 3)))
    resv = (obj(1, 1, ip4 + struct.pack("!BBH", 17, 1, 5000)) + obj(3, 2, ip6 + struct.pack("!I", 9))
            + obj(8, 1, b"\x00\x00\x00\x0a") + obj(16, 1, struct.pack("!II", 16, 17)) + obj(16, 2, struct.pack("!I", 3))
            + obj(16, 3, struct.pack("!III", 1, 2, 3)) + obj(15, 1, ip4) + obj(15, 2, ip6) + obj(195, 1, ip4)
            + obj(22, 1, struct.pack("!II", 1, 2)) + obj(131, 1, struct.pack("!II", 100, 200))
            + obj(134, 1, struct.pack("!I", 0x103)) + obj(50, 1, ip4) + obj(50, 2, ip6) + obj(1, 2, ip6 + b"\x06\x01\x00\x50")
            + obj(1, 8, ip6 + b"\0\0\0\x07" + ip6) + obj(1, 14, struct.pack("!IHH", 9, 0, 3) + ip6 + b"\0\0")
            + obj(1, 13, ip4 + struct.pack("!HH", 0, 4) + ip4) + obj(11, 1, ip4 + b"\0\0\x00\x50")
            + obj(11, 2, ip6 + b"\0\0\x00\x50") + obj(11, 13, ip6 + b"\0\0\0\x02" + ip6 + b"\0\0\0\x03")
            + obj(11, 12, ip4 + b"\0\0\0\x02" + ip4 + b"\0\0\0\x03") + obj(3, 3, ip4 + struct.pack("!I", 7) + b"abcd")
            + obj(7, 1, ip4) + obj(99, 1, b"zzzz") + obj(8, 9, b"zzzz") + obj(129, 1, b"\0\0\0\x01"))
    short = [obj(1, 1, ip4), obj(3, 2, ip4), obj(5, 1, b""), obj(8, 1, b""), obj(207, 7, b"\0\0\0\x09ab\0\0"),
             obj(22, 1, b"\0\0\0\0"), obj(16, 3, b"\0" * 8), obj(11, 12, b"\0" * 8),
             ero(struct.pack("!BB", 1, 6) + ip4), ero(struct.pack("!BB", 1, 8) + ip4 + b"\x18\0"),
             ero(struct.pack("!BB", 3, 4) + b"\0\0"), obj(21, 1, struct.pack("!BB", 1, 12) + ip4 + b"\x20\0"),
             obj(21, 1, b"\x01\x00\0\0")]
    packets = [msg(1, path), msg(2, resv, flags=1),
               msg(12, msg(1, obj(5, 1, struct.pack("!I", 1))) + msg(7, obj(15, 1, ip4))),
               msg(12, msg(1, b"") + msg(0x23, b"")), msg(12, msg(1, obj(5, 1, b"\0\0\0\0"))[:6] + b"\0\x08"),
               msg(99, b"abcdefgh"), msg(1, b"\0\x06\x05\x01\0\0"), msg(1, b"\0\x02\x05\x01"),
               msg(1, obj(5, 1, b"\0" * 4) + b"\0\x0c\x05\x01")] + [msg(1, s) for s in short]
    frames = [ip4_proto(46, x) for x in packets]
    frames += [ip4_proto(46, struct.pack("!BBHBBH", 0x10, 1, 0, 64, 0, 4)),
               ip4_proto(46, struct.pack("!BBHBBH", 0x20, 1, 0, 64, 0, 8))]
    cut = ip4_proto(46, packets[0])
    return full(frames) + [(cut[:n], len(cut)) for n in (70, 120)]


def bgp_v():
    """BGP segments: Opens with every capability kind, Updates with each
    path attribute decoded (and ones of wrong lengths), multiprotocol
    NLRI of the families decoded, add-path, withdrawn routes, End-of-Rib,
    Notifications, Keepalives, Route Refresh, unknown messages, junk
    before a marker, messages cut short or of a bogus length."""
    msg = lambda t, body: b"\xff" * 16 + struct.pack("!HB", 19 + len(body), t) + body
    cap = lambda c, v: struct.pack("!BB", c, len(v)) + v
    caps = (cap(1, b"\0\x01\0\x01") + cap(1, b"\0\x02\0\x80") + cap(2, b"") + cap(3, b"ab") + cap(4, b"") + cap(5, b"x") + cap(6, b"") + cap(7, b"y") + cap(8, b"\0\x01\x04\x07\0\x02\x04\x01")
            + cap(64, b"\x80\x78\0\x01\x01\x80\0\x02\x01\x00") + cap(65, b"\0\x01\x11\x70") + cap(66, b"") + cap(67, b"z") + cap(68, b"") + cap(69, b"\0\x01\x01\x03\0\x02\x01\x09") + cap(69, b"") + cap(69, b"\0\x01\x01")
            + cap(70, b"") + cap(71, b"") + cap(72, b"q") + cap(73, b"\x05node1\0") + cap(128, b"") + cap(131, b"w"))
    opt = lambda t, v: struct.pack("!BB", t, len(v)) + v
    open_ = lambda opts: msg(1, struct.pack("!BHH4sB", 4, 65001, 90, bytes((10,0,0,1)), len(opts)) + opts)
    attr = lambda f, t, v: struct.pack("!BBB", f, t, len(v)) + v if not f & 0x10 else struct.pack("!BBH", f, t, len(v)) + v
    upd = lambda wd, attrs, nlri: msg(2, struct.pack("!H", len(wd)) + wd + struct.pack("!H", len(attrs)) + attrs + nlri)
    pfx = lambda plen, a: bytes([plen]) + a[:(plen+7)//8]
    ip4 = bytes((10,1,2,3)); ip6 = bytes.fromhex("20010db8000000000000000000000001")
    attrs1 = (attr(0x40, 1, b"\0") + attr(0x40, 2, b"\x02\x02\x00\x64\x00\xc8" + b"\x01\x01\x01\x2c" + b"\x03\x01\x00\x05" + b"\x04\x01\x00\x06") + attr(0x40, 3, ip4) + attr(0x80, 4, b"\0\0\0\x09") + attr(0x40, 5, b"\0\0\0\x64")
              + attr(0x40, 6, b"") + attr(0xc0, 7, b"\0\x64" + ip4) + attr(0xc0, 7, b"\0\0\x01\x2c" + ip4) + attr(0xc0, 8, struct.pack("!IIII", 0xffffff01, 0xffffff02, 0xffffff03, 0x00640001)) + attr(0x80, 9, ip4) + attr(0x80, 10, ip4 + ip4)
              + attr(0xc0, 17, b"\x02\x02\x00\x01\x00\x00\xff\xff\xff\xfe") + attr(0xc0, 18, b"\0\x01\0\0" + ip4) + attr(0xc0, 16, struct.pack("!HHI", 2, 100, 5) + struct.pack("!H", 0x102) + ip4 + b"\0\x07" + struct.pack("!HIH", 0x202, 70000, 8) + struct.pack("!HHI", 3, 1, 2) + struct.pack("!HHf", 0x4004, 1, 1e6) + struct.pack("!HHI", 9, 65001, 0) + struct.pack("!HHI", 0x4300, 0, 1))
              + attr(0xc0, 32, struct.pack("!III", 1, 2, 3) * 2) + attr(0xc0, 99, b"abc") + attr(0x4f, 1, b"\x02"))
    bad = (attr(0x40, 1, b"\0\0") + attr(0x40, 2, b"\x02") + attr(0x40, 2, b"") + attr(0x40, 3, b"\0") + attr(0x40, 4, b"") + attr(0x40, 6, b"x") + attr(0x40, 7, b"\0") + attr(0x40, 8, b"\0") + attr(0x40, 9, b"") + attr(0x40, 10, b"\0") + attr(0x40, 16, b"\0") + attr(0x40, 32, b"") + attr(0x40, 18, b"\0") + attr(0x40, 1, b"\x07"))
    mp = (attr(0x90, 14, b"\0\x01\x01\x04" + ip4 + b"\0" + pfx(24, ip4) + pfx(32, ip4)) + attr(0x90, 14, b"\0\x02\x01\x10" + ip6 + b"\0" + pfx(64, ip6) + pfx(128, ip6))
          + attr(0x90, 14, b"\0\x01\x04\x04" + ip4 + b"\0" + bytes([56]) + b"\x00\x01\x01" + ip4[:4] + bytes([48]) + b"\x00\x02\x00" + ip4[:3]) + attr(0x90, 14, b"\0\x01\x80\x0c" + struct.pack("!HHI", 0, 500, 500) + ip4 + b"\0" + bytes([24+64+8]) + b"\x01\x87\x01" + struct.pack("!HHI", 0, 500, 500) + b"\x85")
          + attr(0x90, 15, b"\0\x01\x01") + attr(0x90, 15, b"\0\x01\x01" + pfx(16, ip4)) + attr(0x90, 14, b"\0\x01\x01\x04" + ip4 + b"\x02\x01\xaa\x02\xbb\xcc" + pfx(8, ip4)) + attr(0x90, 14, b"\0\x01\x01\x05" + ip4 + b"\x01\0") + attr(0x90, 14, b"\0\x01\x01\x04" + ip4 + b"\0" + bytes([40]))
          + attr(0x90, 14, b"\0\x01\x01\x04" + ip4 + b"\0" + b"\0\0\0\x01" + pfx(24, ip4) + b"\0\0\0\x02" + pfx(24, ip4)) + attr(0x80, 26, b"\x01\x00\x0b" + struct.pack("!Q", 2000)) + attr(0x80, 26, b"\x02\x00\x05ab") + attr(0xc0, 128, b"\0\0\xfd\xe9" + attr(0x40, 1, b"\0") + attr(0x40, 5, b"\0\0\0\x2c")))
    segs = [open_(opt(2, caps) + opt(1, b"\x01\x02") + opt(9, b"")), open_(opt(2, cap(1, b"\0\x01"))), open_(opt(2, cap(64, b"\x80"))), open_(opt(2, cap(65, b"\0\x01"))),
            upd(b"", attrs1, pfx(24, ip4) + pfx(16, ip4) + pfx(0, b"")), upd(b"", bad, b""), upd(b"", mp, b""), upd(pfx(24, ip4) + pfx(8, ip4), b"", b""), upd(pfx(24, ip4) + bytes([40]) + b"\0" * 5, b"", b""), upd(b"\0\0\0\x01" + pfx(24, ip4) + b"\0\0\0\x02" + pfx(16, ip4), b"", b"\0\0\0\x01" + pfx(24, ip4) + b"\0\0\0\x02" + pfx(16, ip4)),
            upd(b"", b"", b""), upd(b"\x18", b"", b""), msg(2, b"\0"), msg(2, b""), msg(2, b"\0\0\0\x05\x40\x01\x02\0"), msg(2, b"\0\0\0\x01\x40"), msg(2, b"\0\0\0\x03\x50\x01\x00"), upd(b"", b"", bytes([33]) + b"\0" * 5), upd(b"", b"", bytes([24]) + b"\x0a"),
            msg(3, b"\x01\x02") + msg(3, b"\x02\x07") + msg(3, b"\x03\x0b") + msg(3, b"\x04\x00") + msg(3, b"\x05\x03") + msg(3, b"\x07\x04") + msg(3, b"\x08\x01") + msg(3, b"\x01\x09") + msg(3, b"\x01"),
            msg(3, b"\x06\x01\x00\x01\x01\x00\x00\x03\xe8") + msg(3, b"\x06\x02\x05hello") + msg(3, b"\x06\x04\x00xyz") + msg(3, b"\x06\x02\xff") + msg(3, b"\x06\x08") + msg(3, b"\x06\x02\x03ab"),
            msg(4, b"") + msg(5, b"\0\x01\0\x01") + msg(5, b"\0\x02\0\x80ab") + msg(5, b"\0") + msg(9, b"data"),
            b"junk" + msg(4, b""), msg(4, b"")[:10], msg(4, b"") + b"\xff" * 16 + b"\0\x05\x04", msg(4, b"") + b"\xff" * 16 + b"\x00\x40\x02" + b"\0" * 5, b"\xff\xfe" + msg(4, b"")]
    return full([ip4_tcp(40000, 179, s) for s in segs])


def isis_v():
    """IS-IS PDUs of each type with the TLVs decoded with -v, LSP
    checksums right, wrong and absent, bogus header lengths, a TLV longer
    than the capture, cut-short PDUs."""
    sysid = bytes.fromhex("192168001001"); sysid2 = bytes.fromhex("192168001002")
    tlv = lambda t, v: bytes([t, len(v)]) + v
    def common(pdu, hlen): return bytes([0x83, hlen, 1, 0, pdu, 1, 0, 0])
    def fletcher(b, off):
        c0 = c1 = 0
        for i, x in enumerate(b):
            if i not in (off, off + 1): c0 += x
            c1 += c0
        c0 %= 255; c1 %= 255
        mul = (len(b) - off) * c0
        x = mul - c0 - c1; y = c1 - mul - 1
        if y >= 0: y += 1
        if x < 0: x -= 1
        x = int(x - 255 * int(x / 255)); y = int(y - 255 * int(y / 255))
        if x == 0: x = 255
        if y == 0: y = 255
        return ((x << 8) | (y & 0xff)) & 0xffff
    tlvs_iih = tlv(1, bytes.fromhex("03490001") + bytes.fromhex("0249") + bytes.fromhex("0d3900112233445566778899aabb")) + tlv(129, b"\xcc\x8e\x81\x99") + tlv(132, bytes((10,0,0,1,10,0,0,2))) + tlv(232, bytes.fromhex("fe800000000000000000000000000001")) + tlv(6, bytes.fromhex("0000c1122334aabbccddeeff")) + tlv(211, b"\x03\x00\x1e" + sysid) + tlv(211, b"\x00") + tlv(8, bytes(20)) + tlv(240, b"\x00") + tlv(7, b"\x00\x05\x00\x01\x00\x02") + tlv(0, b"") + tlv(250, b"ab")
    lan = common(15, 27) + bytes([1]) + sysid + struct.pack("!HH", 30, 27 + len(tlvs_iih)) + bytes([64]) + sysid2 + b"\x01" + tlvs_iih
    p2p = common(17, 20) + bytes([3]) + sysid + struct.pack("!HHB", 30, 20 + 4, 5) + tlv(8, b"ab")
    lsp_tlvs = (tlv(137, b"router1") + tlv(2, b"\x00" + bytes([10, 0x80, 0xc5, 0x80]) + sysid2 + b"\x00" + bytes([20, 0x80, 0x80, 0x80]) + sysid + b"\x01") + tlv(128, bytes([10, 0x80, 0x80, 0x80]) + bytes((10,1,0,0)) + bytes((255,255,0,0)) + bytes([0xd0, 0x05, 0x80, 0x80]) + bytes((10,2,3,0)) + bytes((255,0,255,0)))
                + tlv(130, bytes([0x40, 0x80, 0x80, 0x80]) + bytes((0,0,0,0)) * 2) + tlv(134, bytes((1,1,1,1))) + tlv(13, b"\x02" + sysid + sysid2) + tlv(13, b"\x00") + tlv(128, bytes(5)) + tlv(22, b"xyz"))
    def lsp(tb, good=True, cksum_zero=False, lt=1200):
        body = struct.pack("!HH", 27 + len(lsp_tlvs), lt) + sysid + b"\x00\x00" + struct.pack("!IH", 0x1a, 0) + bytes([tb]) + lsp_tlvs
        pdu = bytearray(common(18, 27) + body)
        if not cksum_zero:
            c = fletcher(bytes(pdu[12:]), 12)
            if not good: c ^= 0x0101
            pdu[24:26] = struct.pack("!H", c)
        return bytes(pdu)
    csnp = common(24, 33) + struct.pack("!H", 33 + 18) + sysid + b"\x00" + bytes(8) + b"\xff" * 8 + tlv(9, struct.pack("!H", 1199) + sysid + b"\x00\x00" + struct.pack("!IH", 7, 0x1234))
    psnp = common(27, 17) + struct.pack("!H", 17 + 2) + sysid + b"\x00" + tlv(9, b"")
    frames = [osi(x) for x in [lan, p2p, lsp(0x03), lsp(0x7F, good=False), lsp(0x80 | 0x01, cksum_zero=True), csnp, psnp,
                                common(15, 20) + bytes(12), lan[:30] + bytes([0x0F]) + lan[31:]]]
    cut = osi(lsp(0x03))
    return full(frames) + [(cut[:n], len(cut)) for n in (60, 90)]


def tcp_md5():
    """TCP-MD5 signature options (RFC 2385): the whole segment, and one cut
    in its payload (tcpdump: "snaplen too short")."""
    sig = bytes(range(0x10, 0x20))
    opts = b"\x13\x12" + sig + b"\x01\x01"
    frames = []
    for payload in (b"", b"BGPDATA-" * 4):
        tcp = struct.pack("!HHIIBBHHH", 40000, 179, 1000, 1, 0xA0, 0x18, 8192, 0, 0) + opts + payload
        src, dst = bytes((192, 0, 2, 1)), bytes((192, 0, 2, 2))
        h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 1, 0, 64, 6, 0, src, dst)
        pseudo = src + dst + struct.pack("!BBH", 0, 6, len(tcp))
        tcp = tcp[:16] + struct.pack("!H", csum(pseudo + tcp)) + tcp[18:]
        h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
        frames.append(ether(0x0800, h + tcp))
    whole = frames[1]
    return full(frames) + [(whole[: len(whole) - 10], len(whole))]


def main():
    write_pcap("proto-decnet.pcap", decnet())
    write_pcap("proto-udp.pcap", full(ldp() + lwapp() + autorp() + lspping() + wb()))
    write_pcap("proto-tcp.pcap", pptp() + tcp_misc())
    write_pcap("proto-llc.pcap", llc())
    write_pcap("proto-eapol.pcap", eapol())
    write_pcap("proto-ip.pcap", ip_protos())
    write_pcap("proto-tcpmd5.pcap", tcp_md5())
    write_pcap("proto-ipaddr.pcap", ip_addrs())
    write_pcap("proto-udplen.pcap", short_udp_length(ldp() + lwapp() + autorp() + lspping() + wb()))
    write_pcap("proto-v-ldp.pcap", ldp_v())
    write_pcap("proto-v-cisco.pcap", cisco_v())
    write_pcap("proto-v-rpki.pcap", rpki_v())
    write_pcap("proto-v-wb.pcap", wb_v())
    write_pcap("proto-v-lldp.pcap", lldp_v())
    write_pcap("proto-v-lspping.pcap", lspping_v())
    write_pcap("proto-v-rsvp.pcap", rsvp_v())
    write_pcap("proto-v-bgp.pcap", bgp_v())
    write_pcap("proto-v-isis.pcap", isis_v())


if __name__ == "__main__":
    main()
