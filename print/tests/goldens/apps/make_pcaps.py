#!/usr/bin/env python3
"""Writes small captures of UDP application protocols for the apps
goldens (apps-regen.sh prints them with tcpdump). Python standard library
only; the packets are made up, byte by byte, to reach the printers'
branches (including cut-short and malformed ones)."""
import os
import struct
import sys

OUT = os.path.dirname(os.path.abspath(__file__))
# The IP, checksum and address helpers of the project's sample captures.
sys.path.insert(0, os.path.join(OUT, "..", "..", "..", "..", "pcaps"))
from make_samples import csum, ip4, ip6, ipv4, ipv6  # noqa: E402


def udp4(sport, dport, payload, src="10.0.0.1", dst="10.0.0.2"):
    u = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
    c = csum(ip4(src) + ip4(dst) + struct.pack("!BBH", 0, 17, len(u)) + u) or 0xFFFF
    return ipv4(src, dst, 17, u[:6] + struct.pack("!H", c) + u[8:])


def udp6(sport, dport, payload, src="2001:db8::1", dst="2001:db8::2"):
    u = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
    c = csum(ip6(src) + ip6(dst) + struct.pack("!I3xB", len(u), 17) + u) or 0xFFFF
    return ipv6(src, dst, 17, u[:6] + struct.pack("!H", c) + u[8:])


def eth(payload, v6=False):
    return b"\x00\x11\x22\x33\x44\x55" + b"\x00\x66\x77\x88\x99\xaa" + (b"\x86\xdd" if v6 else b"\x08\x00") + payload


def write(name, frames):
    """frames: list of (bytes, caplen or None)"""
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for i, fr in enumerate(frames):
            data, cap = fr if isinstance(fr, tuple) else (fr, None)
            cap = len(data) if cap is None else min(cap, len(data))
            f.write(struct.pack("<IIII", 1700000000 + i, 0, cap, len(data)))
            f.write(data[:cap])


def name(n):
    return b"".join(bytes([len(l)]) + l.encode() for l in n.split(".") if l) + b"\0"


# ---------------------------------------------------------------- DNS
def dns_frames():
    q = lambda n, t, c=1: name(n) + struct.pack("!HH", t, c)
    rr = lambda n, t, data, ttl=3600, c=1: (n if isinstance(n, bytes) else name(n)) + struct.pack("!HHIH", t, c, ttl, len(data)) + data
    ptr = b"\xc0\x0c"
    out = []
    hdr = lambda id_, fl, qd, an, ns, ar: struct.pack("!HHHHHH", id_, fl, qd, an, ns, ar)
    # queries
    out.append(eth(udp4(40000, 53, hdr(1, 0x0100, 1, 0, 0, 0) + q("www.example.com", 1))))
    out.append(eth(udp4(40000, 53, hdr(2, 0x0110, 1, 0, 0, 1) + q("example.org", 28) + b"\0" + struct.pack("!HHIH", 41, 4096, 0x8000, 0))))
    out.append(eth(udp4(40000, 53, hdr(3, 0x0100, 2, 0, 0, 0) + q("a.example", 15) + q("b.example", 16, 3))))
    out.append(eth(udp4(40000, 53, hdr(4, 0x2800, 1, 1, 0, 0) + q("zone.example", 6) + rr(ptr, 1, b"\x0a\0\0\1"))))
    # responses
    body = q("www.example.com", 1)
    ans = rr(ptr, 5, name("web.example.com")) + rr(b"\xc0\x2d", 1, bytes([93, 184, 216, 34]), 300)
    out.append(eth(udp4(53, 40000, hdr(1, 0x8180, 1, 2, 0, 0) + body + ans)))
    soa = rr("example.com", 6, name("ns1.example.com") + name("hostmaster.example.com") + struct.pack("!IIIII", 2024010101, 7200, 3600, 1209600, 300))
    out.append(eth(udp4(53, 40000, hdr(5, 0x8583, 1, 0, 1, 0) + q("nope.example.com", 1) + soa)))
    mx = rr(ptr, 15, struct.pack("!H", 10) + name("mail.example.com"))
    txt = rr(ptr, 16, b"\x05hello\x0bv=spf1 -all")
    srv = rr(ptr, 33, struct.pack("!HHH", 1, 5, 5060) + name("sip.example.com"))
    aaaa = rr(ptr, 28, bytes.fromhex("20010db8000000000000000000000001"))
    opt = b"\0" + struct.pack("!HHIH", 41, 1232, 0x00008000, 12) + struct.pack("!HH", 10, 8) + bytes(range(8))
    out.append(eth(udp4(53, 40000, hdr(6, 0x8400, 1, 4, 0, 1) + q("example.com", 255) + mx + txt + srv + aaaa + opt)))
    out.append(eth(udp4(53, 40000, hdr(7, 0x8182, 1, 0, 0, 0) + q("fail.example", 1))))
    out.append(eth(udp4(53, 40000, hdr(8, 0x8380, 1, 1, 0, 0) + q("tc.example", 1) + rr(ptr, 99, b"\1\2\3"))))
    # malformed: bad pointer, loop, cut short
    out.append(eth(udp4(53, 40000, hdr(9, 0x8180, 1, 1, 0, 0) + q("x.example", 1) + rr(b"\xc0\xff", 1, b"\1\2\3\4"))))
    full = eth(udp4(53, 40000, hdr(10, 0x8180, 1, 2, 0, 0) + body + ans))
    out.append((full, len(full) - 10))
    out.append((full, 14 + 20 + 8 + 30))
    out.append((full, 14 + 20 + 8 + 6))
    out.append(eth(udp4(53, 40000, b"\0\1\2")))
    # mDNS
    out.append(eth(udp4(5353, 5353, hdr(0, 0, 1, 0, 0, 0) + q("_http._tcp.local", 12, 0x8001), dst="224.0.0.251")))
    out.append(eth(udp4(5353, 5353, hdr(0, 0x8400, 0, 1, 0, 0) + rr("printer.local", 1, b"\xc0\xa8\1\5", 120, 0x8001), dst="224.0.0.251")))
    out.append(eth(udp6(5353, 5353, hdr(0, 0, 1, 0, 0, 0) + q("host.local", 28), dst="ff02::fb"), v6=True))
    # LLMNR (tcpdump 4.99 does not decode 5355)
    out.append(eth(udp4(50000, 5355, hdr(5, 0, 1, 0, 0, 0) + q("host", 1), dst="224.0.0.252")))
    return out


# ---------------------------------------------------------------- DHCP
def bootp(op, xid, chaddr, opts, ciaddr="0.0.0.0", yiaddr="0.0.0.0", siaddr="0.0.0.0", giaddr="0.0.0.0",
          flags=0, secs=0, hops=0, sname=b"", file=b"", htype=1, hlen=6, magic=b"\x63\x82\x53\x63"):
    a = lambda s: bytes(int(x) for x in s.split("."))
    p = struct.pack("!BBBBIHH", op, htype, hlen, hops, xid, secs, flags)
    p += a(ciaddr) + a(yiaddr) + a(siaddr) + a(giaddr)
    p += chaddr.ljust(16, b"\0") + sname.ljust(64, b"\0") + file.ljust(128, b"\0")
    return p + magic + opts


def opt(tag, data):
    return bytes([tag, len(data)]) + data


def dhcp_frames():
    mac = bytes.fromhex("001122334455")
    out = []
    o = opt(53, b"\1") + opt(61, b"\1" + mac) + opt(12, b"myhost") + opt(60, b"MSFT 5.0") \
        + opt(55, bytes([1, 3, 6, 15, 31, 33, 43, 44, 46, 47, 119, 121, 249, 252, 200])) + opt(57, b"\x05\xdc") \
        + opt(81, b"\x01\0\0myhost.example") + opt(77, b"\x04abcd\x02xy") + b"\0\0\0" + b"\xff"
    out.append(eth(udp4(68, 67, bootp(1, 0x12345678, mac, o, flags=0x8000, secs=3), "0.0.0.0", "255.255.255.255")))
    o = opt(53, b"\2") + opt(54, b"\x0a\0\0\1") + opt(51, struct.pack("!I", 86400)) + opt(58, struct.pack("!I", 43200)) \
        + opt(59, struct.pack("!I", 75600)) + opt(1, b"\xff\xff\xff\0") + opt(3, b"\x0a\0\0\1") + opt(6, b"\x08\x08\x08\x08\x08\x08\x04\x04") \
        + opt(15, b"example.com") + opt(2, struct.pack("!i", -3600)) + opt(28, b"\x0a\0\0\xff") + opt(42, b"\x0a\0\0\x01") \
        + opt(46, b"\x08") + opt(52, b"\x03") + opt(121, b"\x18\x0a\x01\x02\x0a\0\0\1\0\x0a\0\0\2") \
        + opt(19, b"\0") + opt(26, b"\x05\xdc") + opt(33, b"\x0a\0\0\0\x0a\0\0\1") + opt(150, b"\x0a\0\0\x09") \
        + opt(82, b"\x01\x04eth0\x02\x06remote\x09\x03abc") + opt(43, b"\x01\x02\x03") + opt(200, b"\x01\x02") + opt(201, b"\1\2\3\4") + b"\xff"
    out.append(eth(udp4(67, 68, bootp(2, 0x12345678, mac, o, yiaddr="10.0.0.50", siaddr="10.0.0.1", giaddr="10.0.0.254", hops=1,
                                       sname=b"server1", file=b"pxelinux.0"), "10.0.0.1", "10.0.0.50")))
    o = opt(53, b"\3") + opt(50, b"\x0a\0\0\x32") + opt(54, b"\x0a\0\0\1") + opt(61, b"\0clientid") + opt(116, b"\1") + b"\xff"
    out.append(eth(udp4(68, 67, bootp(1, 1, mac, o, ciaddr="10.0.0.50"), "10.0.0.50", "10.0.0.1")))
    out.append(eth(udp4(68, 67, bootp(1, 2, mac, opt(53, b"\x09") + opt(53, b"\4\5") + opt(61, b"") + opt(121, b"\x21\0\0\0\0") + b"\xff"))))
    # not rfc1048: CMU and other vendor areas, other hardware
    out.append(eth(udp4(68, 67, bootp(1, 3, b"\1\2\3\4\5\6\7\x08", b"", htype=6, hlen=8, magic=b"\0\0\0\0"))))
    out.append(eth(udp4(67, 68, bootp(2, 4, mac, bytes(60), magic=b"\x01\x02\x03\x04"))))
    cmu = b"\0\0\0\1" + b"\xff\xff\xff\0" + b"\x0a\0\0\1" + b"\x0a\0\0\2" + bytes(20) + bytes(24)
    out.append(eth(udp4(67, 68, bootp(2, 5, mac, cmu, magic=b"\x63\x6d\x75\0"))))
    full = eth(udp4(68, 67, bootp(1, 6, mac, opt(53, b"\1") + opt(12, b"averylonghostname") + b"\xff")))
    out.append((full, len(full) - 12))
    out.append((full, 14 + 20 + 8 + 100))
    out.append((full, 14 + 20 + 8 + 3))
    out.append((full, 14 + 20 + 8 + 240))
    return out


# ---------------------------------------------------------------- DHCPv6
def dhcp6_frames():
    o = lambda t, d: struct.pack("!HH", t, len(d)) + d
    duid = o(1, bytes.fromhex("000100012a2b2c2d001122334455"))
    out = []
    sol = b"\x01\xab\xcd\xef" + duid + o(3, struct.pack("!III", 1, 3600, 5400)) + o(8, b"\0\0") \
        + o(6, struct.pack("!HHHH", 23, 24, 56, 99)) + o(14, b"") + o(39, b"\x01\x04host\x00") + o(16, b"\0\0\1\x37\0\x04abcd")
    out.append(eth(udp6(546, 547, sol, "fe80::1", "ff02::1:2"), True))
    iaaddr = o(5, bytes.fromhex("20010db8000000000000000000000100") + struct.pack("!II", 3600, 7200) + o(13, b"\0\0ok"))
    adv = b"\x02\xab\xcd\xef" + duid + o(2, bytes.fromhex("0003000100aabbccddee")) + o(3, struct.pack("!III", 1, 3600, 5400) + iaaddr) \
        + o(7, b"\xff") + o(23, bytes.fromhex("20010db8000000000000000000000053") * 2) + o(24, name("example.com") + name("corp.example")) \
        + o(13, b"\0\2none") + o(25, struct.pack("!III", 7, 0, 0) + o(26, struct.pack("!IIB", 100, 200, 56) + bytes.fromhex("20010db8aaaa00000000000000000000"))) \
        + o(56, o(1, bytes.fromhex("20010db8000000000000000000000123")) + o(3, name("ntp.example"))) + o(64, name("aftr.example")) \
        + o(32, struct.pack("!I", 86400)) + o(11, bytes([3, 1, 0]) + bytes(8) + bytes([1]) + bytes(16)) + o(2, b"\0\2" + bytes(8)) + o(99, b"xyz")
    out.append(eth(udp6(547, 546, adv, "fe80::2", "fe80::1"), True))
    relay = b"\x0c\x01" + bytes.fromhex("20010db8000000000000000000000001") + bytes.fromhex("fe800000000000000000000000000001") \
        + o(18, b"eth0/1/2/3/4/5") + o(9, sol) + o(37, struct.pack("!I", 9) + b"remote-id-long")
    out.append(eth(udp6(547, 547, relay, "2001:db8::1", "2001:db8::2"), True))
    out.append(eth(udp6(546, 547, b"\x0b\0\0\1" + o(6, b"\0\x17\0"), "fe80::1", "ff02::1:2"), True))
    out.append(eth(udp6(546, 547, b"\x0b\0\0\1" + o(6, b"\0\x17\0\x18") + b"\0\x01\0\x20ab", "fe80::1", "ff02::1:2"), True))
    full = eth(udp6(547, 546, adv, "fe80::2", "fe80::1"), True)
    out.append((full, len(full) - 40))
    out.append((full, 14 + 40 + 8 + 2))
    return out


# ---------------------------------------------------------------- NTP
def ntp_frames():
    out = []
    ts = lambda s, f=0: struct.pack("!II", s, f)
    now = 3913056000  # 2024-01-01
    client = bytes([0x23, 0, 6, 0xe9]) + struct.pack("!II", 0, 0) + b"\0\0\0\0" + ts(0) + ts(0) + ts(0) + ts(now, 0x80000000)
    out.append(eth(udp4(123, 123, client)))
    server = bytes([0x24, 2, 6, 0xe7]) + struct.pack("!HHHH", 0, 0x0123, 0, 0x8000) + bytes([192, 0, 2, 1]) \
        + ts(now - 100, 5) + ts(now, 0x80000000) + ts(now + 1, 0x10000000) + ts(now + 1, 0x20000000)
    out.append(eth(udp4(123, 40000, server)))
    prim = bytes([0xdc, 1, 10, 0xfa]) + bytes(8) + b"GPS\0" + ts(now) + ts(now + 5) + ts(now + 3) + ts(now + 7)
    out.append(eth(udp4(123, 123, prim + struct.pack("!I", 1) + bytes(16))))
    out.append(eth(udp4(123, 123, prim + bytes(10))))
    out.append(eth(udp4(123, 123, bytes([0x1e, 0x02, 0, 1, 0, 0, 0, 0, 0, 0, 0, 4]) + b"abcd")))
    out.append(eth(udp4(123, 123, bytes([0x1e, 0x82, 0, 1, 0, 0, 0, 0, 0, 0, 0, 9]) + b"abcd")))
    out.append(eth(udp4(123, 123, bytes([0x27, 0, 0]))))
    out.append(eth(udp4(123, 123, b"")))
    full = eth(udp4(123, 40000, server))
    out.append((full, len(full) - 20))
    return out


# ---------------------------------------------------------------- text
def text_frames():
    out = []
    out.append(eth(udp4(40000, 69, b"\0\1boot/pxelinux.0\0octet\0blksize\x001468\0tsize\x000\0")))
    out.append(eth(udp4(69, 40000, b"\0\6blksize\x001468\0")))
    out.append(eth(udp4(40000, 69, b"\0\3\0\1" + b"x" * 20)))
    out.append(eth(udp4(69, 40000, b"\0\4\0\1")))
    out.append(eth(udp4(69, 40000, b"\0\5\0\1File not found\0")))
    out.append(eth(udp4(69, 40000, b"\0\5\0\x09weird\0")))
    out.append(eth(udp4(69, 40000, b"\0\x09")))
    out.append(eth(udp4(40000, 69, b"\0\2noend")))
    out.append(eth(udp4(40000, 69, b"\0")))
    out.append(eth(udp4(40000, 514, b"<30>Jan  1 00:00:00 host app[1]: hello world")))
    out.append(eth(udp4(40000, 514, b"<191>x")))
    out.append(eth(udp4(40000, 514, b"<9999>x")))
    out.append(eth(udp4(40000, 514, b"hello")))
    out.append(eth(udp4(40000, 514, b"<13>")))
    sip = b"INVITE sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1\r\nTo: <sip:bob@example.com>\r\n\r\nv=0\r\n"
    out.append(eth(udp4(5060, 5060, sip)))
    out.append(eth(udp4(5060, 5060, b"SIP/2.0 200 OK\r\nCSeq: 1 INVITE\r\n")))
    out.append(eth(udp4(5060, 5060, b"\x01\x02binary")))
    out.append(eth(udp4(5060, 5060, b"hello there\nsecond")))
    return out


# ---------------------------------------------------------------- RIP
def rip_frames():
    a = lambda s: bytes(int(x) for x in s.split("."))
    v2 = lambda dst, mask, hop, metric, tag=0, fam=2: struct.pack("!HH", fam, tag) + a(dst) + a(mask) + a(hop) + struct.pack("!I", metric)
    v1 = lambda dst, metric, fam=2: struct.pack("!HH", fam, 0) + a(dst) + bytes(8) + struct.pack("!I", metric)
    out = []
    out.append(eth(udp4(520, 520, b"\x02\x02\0\0" + v2("10.1.0.0", "255.255.255.0", "0.0.0.0", 1) + v2("192.168.100.0", "255.255.252.0", "10.0.0.9", 16, 7), dst="224.0.0.9")))
    out.append(eth(udp4(520, 520, b"\x02\x01\0\0" + v1("10.0.0.0", 3) + v1("0.0.0.0", 16, 0) + struct.pack("!HH", 7, 0) + bytes(16))))
    out.append(eth(udp4(520, 520, b"\x01\x02\0\0" + v2("0.0.0.0", "0.0.0.0", "0.0.0.0", 16, fam=0), dst="224.0.0.9")))
    auth = struct.pack("!HH", 0xffff, 2) + b"secret".ljust(16, b"\0")
    out.append(eth(udp4(520, 520, b"\x02\x02\0\0" + auth + v2("10.2.0.0", "255.255.0.0", "0.0.0.0", 2), dst="224.0.0.9")))
    out.append(eth(udp4(520, 520, b"\x02\x02\0\0" + struct.pack("!HH", 0xffff, 3) + struct.pack("!HBBIII", 44, 1, 16, 77, 0, 0) + v2("10.3.0.0", "255.255.255.128", "0.0.0.0", 2) + struct.pack("!HH", 0xffff, 1) + bytes(16), dst="224.0.0.9")))
    out.append(eth(udp4(520, 520, b"\x05\x02\0\0abcd")))
    out.append(eth(udp4(520, 520, b"\x02\x03\0\0")))
    out.append(eth(udp4(520, 520, b"\x02\x02\0\0" + v2("10.1.0.0", "255.255.255.0", "0.0.0.0", 1)[:12])))
    full = eth(udp4(520, 520, b"\x02\x02\0\0" + v2("10.1.0.0", "255.255.255.0", "0.0.0.0", 1) * 3))
    out.append((full, len(full) - 10))
    out.append((full, 14 + 20 + 8 + 2))
    import ipaddress
    n6 = lambda p, plen, metric, tag=0: ipaddress.IPv6Address(p).packed + struct.pack("!HBB", tag, plen, metric)
    out.append(eth(udp6(521, 521, b"\x02\x01\0\0" + n6("2001:db8:1::", 48, 1) + n6("2001:db8:2::", 64, 3, 5), "fe80::1", "ff02::9"), True))
    out.append(eth(udp6(521, 521, b"\x01\x01\0\0" + n6("::", 0, 16), "fe80::1", "ff02::9"), True))
    out.append(eth(udp6(521, 521, b"\x01\x01\0\0" + n6("2001:db8:1::", 48, 0) + b"xx", "fe80::1", "ff02::9"), True))
    out.append(eth(udp6(521, 521, b"\x03\x01\0\0", "fe80::1", "ff02::9"), True))
    out.append(eth(udp6(521, 521, b"\x02\x02\0\0", "fe80::1", "ff02::9"), True))
    return out


# ---------------------------------------------------------------- RADIUS
def radius_frames():
    at = lambda t, d: bytes([t, len(d) + 2]) + d
    u32 = lambda v: struct.pack("!I", v)
    auth = bytes(range(16))
    def rad(code, id_, attrs, extra=0):
        return struct.pack("!BBH", code, id_, 20 + len(attrs) + extra) + auth + attrs
    out = []
    a = at(1, b"alice") + at(2, bytes(16)) + at(4, b"\x0a\0\0\1") + at(5, u32(7)) + at(6, u32(2)) + at(7, u32(1)) \
        + at(8, b"\xff\xff\xff\xfe") + at(12, u32(1500)) + at(27, u32(3725)) + at(28, u32(59)) + at(30, b"00-11-22") \
        + at(31, b"aa\x01bb") + at(32, b"nas1") + at(40, u32(1)) + at(44, b"sess\0ion") + at(49, u32(3)) + at(61, u32(15)) \
        + at(64, b"\x01\0\0\x0d") + at(65, b"\0\0\0\x06") + at(81, b"\x0110") + at(79, b"\x02\x01\0\x05\x01") \
        + at(80, bytes(16)) + at(95, bytes.fromhex("20010db8000000000000000000000001")) + at(97, bytes([0, 64]) + bytes.fromhex("20010db800000001")) \
        + at(101, u32(404)) + at(101, u32(999)) + at(26, u32(9) + bytes([1, 7]) + b"hello") + at(55, u32(1700000000)) \
        + at(83, b"\x02\0\0\x05") + at(56, b"\x31\0\0\x0a") + at(69, b"\x01\x12\x34secret") + at(120, b"x") + at(200, b"yy") + at(5, b"\1\2")
    out.append(eth(udp4(40000, 1812, rad(1, 1, a))))
    out.append(eth(udp4(1812, 40000, rad(2, 1, at(18, b"Welcome")))))
    eapm = lambda code, id_, body: bytes([code, id_]) + struct.pack("!H", 4 + len(body)) + body
    vs = lambda vid: at(26, u32(vid) + bytes([1, 4]) + b"ab")
    out.append(eth(udp4(1812, 40000, rad(11, 7, at(79, eapm(1, 2, b"\x0d\x20")) + at(79, eapm(1, 3, b"\x15\xa1\0\0\x10\0")) + at(79, eapm(2, 4, b"\x01bob"))
        + at(79, eapm(2, 5, b"\x03\x0d\x19")) + at(79, eapm(3, 6, b"")) + at(79, b"\x01\x02\x00\x50abc") + at(79, eapm(1, 8, b"\x12\x0a"))
        + vs(311) + vs(2636) + vs(10415) + vs(14122) + vs(0) + vs(5) + vs(11) + vs(42) + vs(61) + vs(166) + vs(193) + vs(307) + vs(429) + vs(529) + vs(1584) + vs(1991) + vs(2352)))))
    out.append(eth(udp4(40000, 1813, rad(4, 9, at(40, u32(2)) + at(46, u32(30)) + at(42, u32(12345))))))
    out.append(eth(udp4(40000, 1812, rad(99, 2, at(1, b"x") + b"\x01\x01"))))
    out.append(eth(udp4(40000, 1812, rad(1, 3, at(1, b"bob") + b"\x01\x30abc"))))
    out.append(eth(udp4(40000, 1812, rad(1, 4, b"", extra=-5))))
    out.append(eth(udp4(40000, 1812, rad(1, 5, at(1, b"bob") + b"\x07"))))
    full = eth(udp4(40000, 1812, rad(1, 6, a)))
    out.append((full, len(full) - 30))
    out.append((full, 14 + 20 + 8 + 10))
    return out


# ---------------------------------------------------------------- HSRP, tunnels
def misc_frames():
    out = []
    hello = bytes([0, 0, 16, 3, 10, 100, 1, 0]) + b"cisco\0\0\0" + bytes([192, 168, 0, 1])
    out.append(eth(udp4(1985, 1985, hello, dst="224.0.0.2")))
    out.append(eth(udp4(1985, 1985, bytes([0, 1, 8, 3, 10, 50, 7, 5]) + b"abcdefgh" + bytes([10, 0, 0, 1]), dst="224.0.0.2")))
    out.append(eth(udp4(1985, 1985, bytes([1, 0, 16]), dst="224.0.0.2")))
    out.append(eth(udp4(1985, 1985, hello[:12], dst="224.0.0.2")))
    inner = eth(udp4(1000, 2000, b"abc", "192.168.1.1", "192.168.1.2"))
    out.append(eth(udp4(54321, 4789, bytes([8, 0, 0, 0, 0, 0, 42, 0]) + inner)))
    out.append(eth(udp4(54321, 4789, bytes([0, 0, 0, 0, 0, 1, 0, 0]) + inner[:20])))
    out.append(eth(udp4(54321, 4789, bytes([8, 0, 0]))))
    gen = lambda opts, proto, payload, flags=0, vni=11: bytes([len(opts) // 4, flags]) + struct.pack("!H", proto) + vni.to_bytes(3, "big") + b"\0" + opts + payload
    ip_inner = udp4(1000, 2000, b"abc", "192.168.1.1", "192.168.1.2")
    out.append(eth(udp4(54322, 6081, gen(b"", 0x0800, ip_inner))))
    out.append(eth(udp4(54322, 6081, gen(struct.pack("!HBB", 0x0102, 0x83, 1) + b"\1\2\3\4", 0x6558, inner, flags=0xc0))))
    out.append(eth(udp4(54322, 6081, gen(b"", 0x1234, b"xyz"))))
    out.append(eth(udp4(54322, 6081, bytes([0x40, 0, 0, 0, 0, 0, 0, 0]))))
    out.append(eth(udp4(54322, 6081, gen(b"", 0x0800, b"")[:8] + b"", )))
    out.append(eth(udp4(54322, 6081, bytes([0x02, 0, 0x08, 0, 0, 0, 1, 0]) + b"\0\0")))
    out.append(eth(udp4(40000, 514, b"<165>Aug 24 05:34:00 host su: 'su root' failed\x01")))
    return out


# ---------------------------------------------------------------- SNMP
def ber(tag, body):
    n = len(body)
    if n < 128:
        ln = bytes([n])
    elif n < 256:
        ln = bytes([0x81, n])
    else:
        ln = bytes([0x82, n >> 8, n & 0xFF])
    return bytes([tag]) + ln + body


def ber_int(v):
    b = v.to_bytes(max(1, (v.bit_length() + 8) // 8), "big", signed=True)
    return ber(0x02, b)


def ber_oid(s):
    parts = [int(x) for x in s.strip(".").split(".")]
    body = bytes([parts[0] * 40 + parts[1]])
    for p in parts[2:]:
        enc = [p & 0x7F]
        p >>= 7
        while p:
            enc.insert(0, 0x80 | (p & 0x7F))
            p >>= 7
        body += bytes(enc)
    return ber(0x06, body)


def snmp_frames():
    seq = lambda *xs: ber(0x30, b"".join(xs))
    octs = lambda s: ber(0x04, s)
    null = b"\x05\x00"
    vb = lambda oid, val=null: seq(ber_oid(oid), val)
    pdu = lambda tag, reqid, st, idx, *vbs: ber(tag, ber_int(reqid) + ber_int(st) + ber_int(idx) + seq(*vbs))
    msg = lambda ver, comm, p: seq(ber_int(ver), octs(comm), p)
    out = []
    out.append(eth(udp4(40000, 161, msg(0, b"public", pdu(0xA0, 1, 0, 0, vb("1.3.6.1.2.1.1.1.0"), vb("1.3.6.1.2.1.1.5.0"))))))
    out.append(eth(udp4(161, 40000, msg(0, b"public", pdu(0xA2, 1, 0, 0, vb("1.3.6.1.2.1.1.1.0", octs(b"Linux box")), vb("1.3.6.1.2.1.1.3.0", ber(0x43, b"\x01\x02\x03")))))))
    out.append(eth(udp4(40000, 161, msg(1, b"private", pdu(0xA1, 300, 0, 0, vb("1.3.6.1.4.1.9.2.1.58.0"))))))
    out.append(eth(udp4(40000, 161, msg(1, b"public", pdu(0xA5, 2, 0, 10, vb("1.3.6.1.2.1.2.2.1"))))))
    out.append(eth(udp4(161, 40000, msg(1, b"public", pdu(0xA2, 3, 2, 1, vb("1.3.6.1.2.1.99.0", b"\x80\x00"), vb("1.3.6.1.2.1.1.6.0", ber(0x40, b"\x0a\0\0\1")), vb("1.3.6.1.2.1.31.1.1.1.6.1", ber(0x46, b"\x01\0\0\0\0\0\0\0")), vb("1.3.6.1.2.1.1.7.0", ber_int(-5)), vb("1.3.6.1.2.1.1.2.0", ber_oid("1.3.6.1.4.1.8072.3.2.10")), vb("1.3.6.1.2.1.1.4.0", octs(b"\x01\x02\xff")))))))
    out.append(eth(udp4(40000, 161, msg(1, b"public", pdu(0xA3, 4, 0, 0, vb("1.3.6.1.2.1.1.5.0", octs(b"newname")))))))
    trap = ber(0xA4, ber_oid("1.3.6.1.4.1.8072.3.2.10") + ber(0x40, b"\x0a\0\0\x05") + ber_int(6) + ber_int(17) + ber(0x43, b"\x10\x00") + seq(vb("1.3.6.1.2.1.2.2.1.1.2", ber_int(2))))
    out.append(eth(udp4(40000, 162, msg(0, b"public", trap))))
    trap2 = ber(0xA4, ber_oid("1.3.6.1.4.1.9") + ber(0x40, b"\x0a\0\0\x05") + ber_int(2) + ber_int(0) + ber(0x43, b"\x10") + seq())
    out.append(eth(udp4(40000, 162, msg(0, b"public", trap2))))
    out.append(eth(udp4(40000, 162, msg(1, b"public", pdu(0xA7, 5, 0, 0, vb("1.3.6.1.2.1.1.3.0", ber(0x43, b"\x05")), vb("1.3.6.1.6.3.1.1.4.1.0", ber_oid("1.3.6.1.6.3.1.1.5.3")))))))
    out.append(eth(udp4(40000, 162, msg(0, b"public", pdu(0xA7, 5, 0, 0)))))
    out.append(eth(udp4(40000, 162, msg(1, b"public", trap2))))
    usmp = seq(octs(bytes.fromhex("80001f888056")), ber_int(3), ber_int(12345), octs(b"alice"), octs(bytes(12)), octs(b""))
    scoped = seq(octs(bytes.fromhex("80001f888056")), octs(b""), pdu(0xA0, 9, 0, 0, vb("1.3.6.1.2.1.1.1.0")))
    v3 = seq(ber_int(3), seq(ber_int(77), ber_int(65507), octs(b"\x04"), ber_int(3)), octs(usmp), scoped)
    out.append(eth(udp4(40000, 161, v3)))
    out.append(eth(udp4(40000, 161, seq(ber_int(3), seq(ber_int(77), ber_int(65507), octs(b"\x02"), ber_int(3)), octs(usmp), scoped))))
    out.append(eth(udp4(40000, 161, seq(ber_int(2), octs(b"x")))))
    out.append(eth(udp4(40000, 161, b"\x02\x01\x00")))
    out.append(eth(udp4(40000, 161, b"\x30\x84\x00")))
    out.append(eth(udp4(40000, 161, seq(ber_int(0), octs(b"public"), b"\x9f\x81\x01\x00"))))
    out.append(eth(udp4(40000, 161, msg(0, b"public", pdu(0xA0, 1, 0, 0, vb("1.3.6.1.2.1.1.1.0"))) + b"junk")))
    full = eth(udp4(161, 40000, msg(0, b"public", pdu(0xA2, 1, 0, 0, vb("1.3.6.1.2.1.1.1.0", octs(b"Linux box"))))))
    out.append((full, len(full) - 5))
    out.append((full, 14 + 20 + 8 + 1))
    out.append(eth(udp4(40000, 161, b"")))
    return out


# ---------------------------------------------------------------- Babel
def babel_frames():
    tlv = lambda t, body: bytes([t, len(body)]) + body
    pkt = lambda body, trailer=b"": b"\x2a\x02" + struct.pack("!H", len(body)) + body + trailer
    ll = "fe80::1"
    out = []
    hello = tlv(4, struct.pack("!HHH", 0, 100, 400)) + tlv(4, struct.pack("!HHH", 0x8000, 101, 0) + b"\x03\x04\0\0\x10\0")
    ihu = tlv(5, bytes([2, 0]) + struct.pack("!HH", 96, 1200) + bytes.fromhex("fe800000000000000000000000000002") + b"\x03\x08" + bytes(8))
    out.append(eth(udp6(6696, 6696, pkt(hello + ihu), ll, "ff02::1:6"), True))
    upd = tlv(6, b"\0\0" + bytes(range(8))) + tlv(7, bytes([1, 0]) + bytes([192, 168, 1, 1])) \
        + tlv(8, bytes([1, 0x80, 24, 0]) + struct.pack("!HHH", 400, 7, 1) + bytes([10, 1, 2]) + b"\x02\x02\x05\xff") \
        + tlv(8, bytes([1, 0, 32, 2]) + struct.pack("!HHH", 0xffff, 8, 0xffff) + bytes([3, 4])) \
        + tlv(8, bytes([2, 0x40, 64, 0]) + struct.pack("!HHH", 400, 9, 2) + bytes.fromhex("20010db800000001")) \
        + tlv(8, bytes([0, 0, 0, 0]) + struct.pack("!HHH", 400, 9, 0xffff))
    out.append(eth(udp6(6696, 6696, pkt(upd), ll, "ff02::1:6"), True))
    req = tlv(9, bytes([1, 16, 10, 1])) + tlv(9, bytes([0, 0])) + tlv(10, bytes([2, 48]) + struct.pack("!HBB", 5, 3, 0) + bytes(range(8)) + bytes.fromhex("20010db80001")) \
        + tlv(2, b"\0\0" + struct.pack("!HH", 0xabcd, 300)) + tlv(3, struct.pack("!H", 0xabcd)) + b"\0" + tlv(1, b"\0\0\0") \
        + tlv(11, struct.pack("!HI", 3, 99)) + tlv(12, struct.pack("!H", 1) + bytes(16)) + tlv(16, bytes(20)) + tlv(17, struct.pack("!I", 5)) \
        + tlv(18, bytes(8)) + tlv(19, bytes(8)) + tlv(99, b"x")
    out.append(eth(udp6(6696, 6696, pkt(req), ll, "ff02::1:6"), True))
    ss = tlv(13, bytes([2, 48, 64, 0]) + struct.pack("!HHH", 400, 3, 5) + bytes.fromhex("20010db80001000020010db8") + b"\x80\x01\0") \
        + tlv(14, bytes([1, 24, 16, 10, 0, 0, 172, 16])) + tlv(15, bytes([1, 24]) + struct.pack("!HBB", 9, 2, 8) + bytes(range(8)) + bytes([10, 0, 0, 192]))
    out.append(eth(udp6(6696, 6696, pkt(ss, tlv(16, bytes(4))), ll, "ff02::1:6"), True))
    out.append(eth(udp6(6696, 6696, pkt(tlv(4, b"\0\0")) , ll, "ff02::1:6"), True))
    out.append(eth(udp6(6696, 6696, b"\x2a\x02\x00\x40" + tlv(4, bytes(6)), ll, "ff02::1:6"), True))
    out.append(eth(udp6(6696, 6696, b"\x2a\x03\0\0", ll, "ff02::1:6"), True))
    out.append(eth(udp6(6696, 6696, b"\x2b\x02\0\0", ll, "ff02::1:6"), True))
    out.append(eth(udp6(6696, 6696, pkt(tlv(8, bytes([1, 0x80, 24, 9]) + bytes(6) + b"\x01")), ll, "ff02::1:6"), True))
    full = eth(udp6(6696, 6696, pkt(upd), ll, "ff02::1:6"), True)
    out.append((full, len(full) - 20))
    out.append((full, 14 + 40 + 8 + 2))
    return out


# ---------------------------------------------------------------- Kerberos
def krb_frames():
    out = []
    out.append(eth(udp4(40000, 88, b"\x04\x02alice\0\0EXAMPLE.COM\0" + bytes(4) + b"\x60krbtgt\0EXAMPLE.COM\0")))
    out.append(eth(udp4(88, 40000, b"\x04\x05alice\0\0EXAMPLE.COM\0" + bytes(10) + b"\x40\x00")))
    out.append(eth(udp4(88, 40000, b"\x04\x0aalice\0\0EXAMPLE.COM\0" + bytes(4) + b"\0\x08\0\0no such\0")))
    out.append(eth(udp4(40000, 750, b"\x04\x06\x03svc\0\x05\x06")))
    out.append(eth(udp4(40000, 88, b"\x04\x20x")))
    out.append(eth(udp4(40000, 88, b"\x6a\x81\x00")))
    out.append(eth(udp4(40000, 88, b"\x04\x02unterminated")))
    out.append(eth(udp4(40000, 88, b"")))
    return out


# ---------------------------------------------------------------- AHCP
def ahcp_frames():
    opt = lambda n, d: bytes([n, len(d)]) + d
    opts = b"\0\1" + opt(2, struct.pack("!I", 1700000000)) + opt(3, struct.pack("!I", 3600)) \
        + opt(4, bytes.fromhex("20010db8000000000000000000000001")) + opt(9, bytes([10, 0, 0, 1, 10, 0, 0, 2])) \
        + opt(6, bytes.fromhex("20010db8000100000000000000000000") + b"\x40") + opt(11, bytes([10, 1, 0, 0, 16])) \
        + opt(7, b"\1\2\3\4\5") + opt(20, b"xy") + opt(3, b"\1\2")
    hdr = lambda typ, body, mbz=0: b"\x2b\x01\x02\x03" + struct.pack("!I", 0xdeadbeef) + bytes(range(8)) + bytes(range(8, 16)) + bytes([typ, mbz]) + struct.pack("!H", len(body)) + body
    out = []
    out.append(eth(udp6(5359, 5359, hdr(1, opts), "fe80::1", "ff02::cca6:c0f9:e182:5359"), True))
    out.append(eth(udp6(5359, 5359, hdr(9, b"", mbz=3), "fe80::1", "ff02::cca6:c0f9:e182:5359"), True))
    out.append(eth(udp6(5359, 5359, hdr(0, opt(4, b"\1\2\3")), "fe80::1", "ff02::cca6:c0f9:e182:5359"), True))
    out.append(eth(udp6(5359, 5359, b"\x2c\x01" + bytes(30), "fe80::1", "ff02::cca6:c0f9:e182:5359"), True))
    out.append(eth(udp6(5359, 5359, b"\x2b\x02" + bytes(3), "fe80::1", "ff02::cca6:c0f9:e182:5359"), True))
    out.append(eth(udp6(5359, 5359, b"\x2b\x01" + bytes(10), "fe80::1", "ff02::cca6:c0f9:e182:5359"), True))
    full = eth(udp6(5359, 5359, hdr(1, opts), "fe80::1", "ff02::cca6:c0f9:e182:5359"), True)
    out.append((full, len(full) - 10))
    return out


# ---------------------------------------------------------------- sFlow
def sflow_frames():
    u = lambda *v: b"".join(struct.pack("!I", x) for x in v)
    rec = lambda fmt, body: u(fmt, len(body)) + body
    raw = rec(1, u(1, 1514, 4, 128) + bytes(128))
    sw = rec(1001, u(10, 0, 20, 3))
    ethf = rec(2, u(1514) + bytes(16) + u(0x0800))
    unk = rec(7, b"\1\2\3\4")
    ipv4 = rec(3, bytes(32))
    flow = u(5) + bytes([0]) + (7).to_bytes(3, "big") + u(1000, 50000, 2, 7, 9) + u(5) + raw + sw + ethf + unk + ipv4
    gen = rec(1, u(7, 6) + struct.pack("!Q", 10**9) + u(1, 3) + struct.pack("!Q", 123) + u(1, 2, 3, 4, 5, 6) + struct.pack("!Q", 456) + u(7, 8, 9, 10, 11, 12))
    ethc = rec(2, u(*range(13)))
    vlanc = rec(5, u(100) + struct.pack("!Q", 99) + u(1, 2, 3, 4))
    cpu = rec(1001, u(5, 10, 15) + struct.pack("!QQ", 1 << 33, 1 << 32))
    vg = rec(4, u(1) + struct.pack("!Q", 2) + u(3) + struct.pack("!Q", 4) + u(5, 6, 7, 8, 9) + struct.pack("!Q", 10) + u(11) + struct.pack("!QQQ", 12, 13, 14))
    tr = rec(3, bytes(8))
    ent = rec((9 << 20) | 1, bytes(4))
    counter = u(6) + bytes([0]) + (3).to_bytes(3, "big") + u(8) + gen + ethc + vlanc + cpu + vg + tr + ent + rec(99, b"zz")
    xflow = u(8, 0, 5, 100, 200, 0, 0, 1, 0, 2, 1) + sw
    xcounter = u(9, 0, 6, 1) + ethc
    sample = lambda t, body: u(t, len(body)) + body
    dg4 = lambda samples, n=None: u(5, 1) + bytes([192, 0, 2, 1]) + u(1, 77, 3600000, len(samples) if n is None else n) + b"".join(samples)
    import ipaddress
    dg6 = lambda samples: u(5, 2) + ipaddress.IPv6Address("2001:db8::9").packed + u(0, 78, 100, len(samples)) + b"".join(samples)
    out = []
    out.append(eth(udp4(40000, 6343, dg4([sample(1, flow), sample(2, counter)]))))
    out.append(eth(udp4(40000, 6343, dg4([sample(3, xflow), sample(4, xcounter), sample(9, b"abcd")]))))
    out.append(eth(udp6(40000, 6343, dg6([sample(2, counter)])), True))
    out.append(eth(udp4(40000, 6343, dg4([sample(2, counter[:40])]))))
    out.append(eth(udp4(40000, 6343, dg4([u(2, 500) + counter]))))
    out.append(eth(udp4(40000, 6343, dg4([sample(0, b"")]))))
    out.append(eth(udp4(40000, 6343, u(4, 1) + bytes(20))))
    out.append(eth(udp4(40000, 6343, u(5, 1) + bytes(12))))
    out.append(eth(udp4(40000, 6343, u(5, 2) + bytes(24))))
    full = eth(udp4(40000, 6343, dg4([sample(1, flow), sample(2, counter)])))
    out.append((full, len(full) - 100))
    out.append((full, 14 + 20 + 8 + 20))
    return out


# ---------------------------------------------------------------- BFD
def bfd_frames():
    ctl = lambda vd, flags, mult=3, auth=b"": bytes([vd, flags, mult, 24 + len(auth)]) + struct.pack("!IIIII", 0x11223344, 0x55667788, 1000000, 300000, 50000) + auth
    out = []
    out.append(eth(udp4(49153, 3784, ctl(0x20, 0xc0 | 0x18))))
    out.append(eth(udp4(49153, 4784, ctl(0x23, 0x44, auth=bytes([1, 9, 7]) + b"secret"))))
    out.append(eth(udp4(49153, 6784, ctl(0x20, 0x84, auth=bytes([2, 24, 1, 0]) + struct.pack("!I", 42) + bytes(range(16))))))
    out.append(eth(udp4(49153, 3784, ctl(0x20, 0x44, auth=bytes([4, 28, 1, 0]) + struct.pack("!I", 43) + bytes(range(20))))))
    out.append(eth(udp4(49153, 3784, ctl(0x20, 0x44, auth=bytes([3, 20, 1, 0]) + bytes(16)))))
    out.append(eth(udp4(49153, 3784, ctl(0x20, 0x44, auth=bytes([1, 30, 1, 0]) + bytes(16)))))
    out.append(eth(udp4(49153, 3784, ctl(0x09, 0xa5))))
    out.append(eth(udp4(49153, 3784, ctl(0x49, 0x00))))
    out.append(eth(udp4(49153, 3785, b"echo-data")))
    out.append(eth(udp4(49153, 3784, ctl(0x20, 0x44)[:24] + b"\x01")))
    full = eth(udp4(49153, 3784, ctl(0x20, 0xc0)))
    out.append((full, len(full) - 4))
    return out


# ------------------------------------------------------------- ISAKMP
def isakmp_frames():
    def gen(np, body, crit=0):
        return struct.pack("!BBH", np, crit, 4 + len(body)) + body

    def hdr(np, ver, etype, flags, msgid, body, icky=b"ICOOKIE1", rcky=bytes(8), length=None):
        n = 28 + len(body) if length is None else length
        return icky + rcky + struct.pack("!BBBBII", np, ver, etype, flags, msgid, n) + body

    def chain(items):
        # items: list of (type, body, crit); each header names the next.
        out = b""
        for i, (t, body, crit) in enumerate(items):
            nxt = items[i + 1][0] if i + 1 < len(items) else 0
            out += gen(nxt, body, crit)
        return items[0][0] if items else 0, out

    out = []
    # IKEv1 main mode: SA (identity) with an ISAKMP proposal of two
    # transforms (basic and variable attributes), vendor ids.
    t1 = struct.pack("!BBH", 1, 1, 0) + struct.pack("!HH", 0x8001, 5) + struct.pack("!HH", 0x8002, 2) \
        + struct.pack("!HH", 0x8003, 1) + struct.pack("!HH", 0x8004, 2) + struct.pack("!HH", 0x800b, 1) \
        + struct.pack("!HH", 0x000c, 4) + struct.pack("!I", 28800) + struct.pack("!HH", 0x8004, 18)
    t2 = struct.pack("!BBH", 2, 1, 0) + struct.pack("!HH", 0x8001, 7) + struct.pack("!HH", 0x800e, 128) \
        + struct.pack("!HH", 0x8063, 9)
    trans = gen(3, t1) + gen(0, t2)
    prop = gen(0, struct.pack("!BBBB", 1, 1, 0, 2) + trans)
    sa = struct.pack("!II", 1, 1) + prop
    np, body = chain([(1, sa, 0), (13, b"\x4a\x13\x1c\x81\x07\x03\x58\x45\x5c\x57\x28\xf2\x0e\x95\x45\x2f", 0), (13, b"dead-peer", 0)])
    out.append(eth(udp4(500, 500, hdr(np, 0x10, 2, 0, 0, body))))
    # The responder's reply (same cookie, addresses swapped): R.
    out.append(eth(udp4(500, 500, hdr(np, 0x10, 2, 0, 0, body, rcky=b"RCOOKIE1"), src="10.0.0.2", dst="10.0.0.1")))
    # A third party with that cookie: ?; an unknown cookie with a responder cookie: ?.
    out.append(eth(udp4(500, 500, hdr(np, 0x10, 2, 0, 0, body, rcky=b"RCOOKIE1"), src="10.0.0.9", dst="10.0.0.1")))
    out.append(eth(udp4(500, 500, hdr(0, 0x10, 5, 0, 0, b"", icky=b"OTHERCKY", rcky=b"RCOOKIE2"))))
    # KE, nonce, ids of every kind, cert, cr, hash, sig.
    ids = [
        (1, b"\x0a\x01\x02\x03"), (1, b"\x0a"), (2, b"vpn.example.com"), (3, b"user@example.com\x01"),
        (4, b"\x0a\x00\x00\x00\xff\xff\xff\x00"), (5, bytes(range(16))), (6, bytes(range(32))),
        (7, b"\x0a\x00\x00\x01\x0a\x00\x00\x09"), (8, bytes(32)), (9, b"\x30\x03\x02\x01\x01"), (11, b"keyid"),
        (20, b"xx"),
    ]
    items = [(4, bytes(range(64)), 0), (10, bytes(range(20)), 0)]
    items += [(5, struct.pack("!BBH", t, 17, 500) + d, 0) for t, d in ids]
    items += [(5, struct.pack("!BBH", 1, 0, 0), 0)]
    items += [(6, b"\x04" + b"cert", 0), (7, b"\x0c" + b"ca", 0), (8, bytes(20), 0), (9, bytes(8), 0)]
    np, body = chain(items)
    out.append(eth(udp4(500, 500, hdr(np, 0x10, 4, 0, 0, body, icky=b"AGGRCKY1"))))
    # Phase 2 quick mode: hash, SA (secrecy: an ident) with ESP and AH
    # proposals (SPIs), notify payloads, a delete.
    esp_t = gen(0, struct.pack("!BBH", 1, 12, 0) + struct.pack("!HH", 0x8004, 1) + struct.pack("!HH", 0x8006, 256)
                + struct.pack("!HH", 0x8001, 1) + struct.pack("!HH", 0x0002, 4) + b"\0\0\x0e\x10" + struct.pack("!HH", 0x8005, 2))
    ah_t = gen(0, struct.pack("!BBH", 1, 3, 0) + struct.pack("!HH", 0x8005, 2))
    ipc_t = gen(0, struct.pack("!BBH", 1, 2, 0))
    props = gen(2, struct.pack("!BBBB", 1, 3, 4, 1) + b"\x11\x22\x33\x44" + esp_t) \
        + gen(2, struct.pack("!BBBB", 1, 2, 4, 1) + b"\x55\x66\x77\x88" + ah_t) \
        + gen(0, struct.pack("!BBBB", 2, 4, 2, 1) + b"\x00\x99" + ipc_t)
    sa2 = struct.pack("!III", 1, 2, 0) + props
    items = [(8, bytes(20), 0), (1, sa2, 0), (1, struct.pack("!II", 2, 7), 0)]
    items += [(11, struct.pack("!IBBH", 1, 3, 4, 24576) + b"\xaa\xbb\xcc\xdd" + struct.pack("!HH", 0x800b, 1) + struct.pack("!HH", 0x000c, 4) + b"\0\0\x0e\x10", 0)]
    items += [(11, struct.pack("!IBBH", 1, 3, 0, 24577) + b"\0\0\0\1", 0)]
    items += [(11, struct.pack("!IBBH", 1, 1, 0, 24578), 0), (11, struct.pack("!IBBH", 1, 1, 0, 14) + bytes(range(40)), 0)]
    items += [(11, struct.pack("!IBBH", 1, 1, 0, 9000), 0), (11, struct.pack("!IBBH", 1, 1, 0, 16384), 0), (11, struct.pack("!IBBH", 1, 1, 0, 40000), 0)]
    items += [(11, struct.pack("!IBBH", 0, 1, 2, 17) + b"\x01\x02", 0), (11, struct.pack("!IBBH", 0, 1, 0, 9000), 0), (11, struct.pack("!IBBH", 0, 1, 0, 16385), 0)]
    items += [(12, struct.pack("!IBBH", 1, 3, 4, 2) + b"\x11\x22\x33\x44\x55\x66\x77\x88", 0), (12, struct.pack("!IBBH", 3, 3, 2, 1) + b"\x01\x02", 0)]
    items += [(20, b"unknown", 0), (46, b"v2e-in-v1", 0)]
    np, body = chain(items)
    out.append(eth(udp4(500, 500, hdr(np, 0x10, 32, 0x02, 0x01020304, body, icky=b"QUICKCK1", rcky=b"QUICKCK2"))))
    # Encrypted, informational, a length that differs, a zero-length
    # payload, an unknown major version, user ports, cut short.
    out.append(eth(udp4(500, 500, hdr(8, 0x10, 5, 0x03, 0x0a0b0c0d, bytes(32)))))
    out.append(eth(udp4(500, 500, hdr(13, 0x10, 6, 0, 0, gen(0, b"vid"), length=99))))
    out.append(eth(udp4(500, 500, hdr(13, 0x10, 2, 0, 0, struct.pack("!BBH", 0, 0, 4) + bytes(4)))))
    out.append(eth(udp4(500, 500, hdr(1, 0x30, 2, 0, 0, bytes(8)))))
    out.append(eth(udp4(7500, 8500, hdr(0, 0x10, 1, 0, 0, b""))))
    out.append(eth(udp4(500, 500, b"short")))
    full = eth(udp4(500, 500, hdr(np, 0x10, 32, 0x02, 0x01020304, body, icky=b"QUICKCK1", rcky=b"QUICKCK2")))
    for cut in (60, 90, 130, 200, 260):
        out.append((full, 42 + cut))
    # IKEv2: SA with proposals (SPI, attributes, a non-transform), KE,
    # nonce, notifies, vendor id, ids, auth, cert, TS, CP, EAP, critical.
    tr = lambda last, ty, tid, attrs=b"": gen(0 if last else 3, struct.pack("!BBH", ty, 0, tid) + attrs)
    p1 = struct.pack("!BBBB", 1, 1, 0, 6) + tr(0, 1, 12, struct.pack("!HH", 0x800e, 256)) + tr(0, 1, 20, struct.pack("!HH", 0x0001, 2) + b"ab") \
        + tr(0, 2, 5) + tr(0, 3, 12) + tr(0, 4, 19) + tr(1, 5, 1)
    p2 = struct.pack("!BBBB", 2, 3, 4, 2) + b"\xca\xfe\xba\xbe" + tr(0, 1, 3) + tr(1, 9, 1)
    sa = gen(2, p1) + gen(0, p2)
    items = [(33, sa, 0), (34, struct.pack("!HH", 14, 0) + bytes(16), 0), (40, bytes(range(32)), 0)]
    items += [(41, struct.pack("!BBH", 0, 0, t), 0) for t in (1, 5, 14, 16384, 16396, 16430, 40000, 9000, 100)]
    items += [(41, struct.pack("!BBH", 3, 4, 16393) + b"\x01\x02\x03\x04", 0), (41, struct.pack("!BBH", 0, 0, 16390) + bytes(8), 0)]
    items += [(43, b"strongSwan\x01", 0), (35, struct.pack("!BBH", 2, 0, 0) + b"peer.example", 0), (36, struct.pack("!BBH", 1, 0, 0) + b"\x0a\0\0\x02", 0)]
    items += [(36, struct.pack("!BBH", 3, 0, 0) + b"a@b\x7f", 0), (36, struct.pack("!BBH", 7, 0, 0) + b"zz", 0)]
    items += [(39, struct.pack("!BBH", 2, 0, 0) + bytes(range(20)), 0), (37, b"\x04cert", 0), (38, b"\x04cr", 0)]
    items += [(44, bytes(24), 0), (45, bytes(24), 0x80), (47, bytes(8), 0), (48, b"\x01\x02\x00\x05\x01", 0), (42, b"\x01\x00\x00\x00", 0), (50, b"x", 0)]
    np, body = chain(items)
    out.append(eth(udp4(500, 500, hdr(np, 0x20, 34, 0x08, 0, body, icky=b"IKEV2INI"))))
    out.append(eth(udp4(500, 500, hdr(46, 0x20, 35, 0x20, 1, gen(35, bytes(40)), icky=b"IKEV2INI", rcky=b"IKEV2RSP"), src="10.0.0.2", dst="10.0.0.1")))
    out.append(eth(udp4(500, 500, hdr(46, 0x20, 37, 0x38, 2, gen(0, bytes(8), 0x80), icky=b"IKEV2INI", rcky=b"IKEV2RSP"))))
    out.append(eth(udp4(500, 500, hdr(34, 0x20, 36, 0x08, 3, gen(0, b"\0\x02\0\0"), icky=b"IKEV2INI", rcky=b"IKEV2RSP"))))
    bad_sa = gen(0, struct.pack("!BBBB", 1, 1, 8, 1) + b"\x01\x02")
    out.append(eth(udp4(500, 500, hdr(33, 0x20, 34, 0x08, 0, gen(0, bad_sa + gen(0, struct.pack("!BBBB", 1, 1, 0, 1) + struct.pack("!BBH", 0, 0, 3)))))))
    full = eth(udp4(500, 500, hdr(np, 0x20, 34, 0x08, 0, body, icky=b"IKEV2INI")))
    for cut in (50, 70, 100, 160, 400):
        out.append((full, 42 + cut))
    # IPv6, NAT-T on 4500: keep-alive, non-ESP marker, ESP, too short.
    out.append(eth(udp6(500, 500, hdr(0, 0x10, 2, 0, 0, b"", icky=b"V6COOKIE")), v6=True))
    out.append(eth(udp4(4500, 4500, b"\xff")))
    out.append(eth(udp4(4500, 4500, b"\0\0\0\0" + hdr(46, 0x20, 35, 0x08, 1, gen(0, bytes(20)), icky=b"NATTCKY1", rcky=b"NATTCKY2"))))
    out.append(eth(udp4(4500, 4500, b"\x00\x00\x10\x01\x00\x00\x00\x07" + bytes(24))))
    out.append(eth(udp4(4500, 4500, b"\x01\x02")))
    out.append(eth(udp4(4500, 4500, b"\0\0\0\0" + b"tiny")))
    return out


# ---------------------------------------------------------------- AFS Rx
def rx_frames():
    W = lambda *v: b"".join(struct.pack("!I", x & 0xFFFFFFFF) for x in v)
    rxs = lambda t: W(len(t)) + t.encode() + bytes(-len(t) % 4)
    vec = lambda t, n: W(*[ord(c) for c in t], *([0] * (n - len(t))))
    fid = lambda a, b, c: W(a, b, c)
    cl, sv = "10.1.0.1", "10.1.0.2"
    out = []
    st = {"call": 100}

    def hdr(typ, flags, call, seq=1, serial=7, service=1, sec=2):
        return struct.pack("!IIIIIBBBBHH", 0x38000001, 0xABCD0004, call, seq, serial, typ, flags, 0, sec, 0, service)

    def pair(port, op, args=b"", reply=None, abort=None, service=1, v6=False):
        st["call"] += 1
        c = st["call"]
        u = udp6 if v6 else udp4
        a, b = ("2001:db8::1", "2001:db8::2") if v6 else (cl, sv)
        out.append(eth(u(7001, port, hdr(1, 0x05, c, service=service) + W(op) + args, src=a, dst=b), v6))
        if reply is not None:
            out.append(eth(u(port, 7001, hdr(1, 0x04, c, service=service) + reply, src=b, dst=a), v6))
        if abort is not None:
            out.append(eth(u(port, 7001, hdr(4, 0x00, c, service=service) + W(abort), src=b, dst=a), v6))

    acl = lambda t: W(len(t)) + t.encode()
    sstat = W(0x41F, 946684800, 10, 20, 0o100644, 4096, 0)
    # file server
    pair(7000, 130, fid(1, 2, 3) + W(0, 4096), reply=b"")
    pair(7000, 133, fid(1, 2, 3) + sstat[:24] + W(0, 10, 10), abort=103)
    pair(7000, 134, fid(1, 2, 3) + acl("2 1\nsystem:administrators 127\nbob 9\nmallory 4\n"), abort=0xFFFFFF9C)
    pair(7000, 131, fid(4, 5, 6), reply=acl("1 0\nalice 63\n"), abort=5)
    pair(7000, 135, fid(4, 5, 6) + W(0, 0, 0, 0, 0, 0))
    pair(7000, 137, fid(1, 1, 1) + rxs("newfile") + W(8, 0, 0, 0, 0o755, 0), reply=fid(1, 9, 9))
    pair(7000, 138, fid(1, 1, 1) + rxs("a") + fid(1, 1, 1) + rxs("bb"))
    pair(7000, 140, fid(1, 1, 1) + rxs("hard") + fid(1, 7, 7))
    pair(7000, 148, rxs("root.afs"))
    pair(7000, 149, W(536870915))
    pair(7000, 151, reply=rxs("root.afs"))
    pair(7000, 153, reply=W(946684800))
    pair(7000, 154, rxs("users"))
    pair(7000, 155, W(2) + fid(1, 2, 3) + fid(4, 5, 6))
    pair(7000, 65536, W(0))
    pair(7000, 65537, fid(1, 2, 3) + W(1, 0, 0, 65536))
    pair(7000, 65538, fid(1, 2, 3) + sstat[:24] + W(0, 1, 0, 2, 0, 3))
    pair(7000, 65541, W(0x0A010001))
    pair(7000, 999, W(1, 2))
    pair(7000, 141, fid(1, 1, 1) + W(300) + b"x" * 20)
    pair(7000, 136, fid(1, 1, 1) + W(40) + b"cut")
    pair(7000, 132, W(1, 1))
    # callback
    pair(7001, 204, W(2) + fid(1, 2, 3) + fid(4, 5, 6) + W(1, 3, 946684800, 1))
    pair(7001, 204, W(0, 0), abort=-3)
    pair(7001, 214, W(0x12345678, 0x9ABC, 0xDEF0) + W(*range(1, 9)))
    pair(7001, 213, reply=W(0x12345678, 0x9ABC, 0xDEF0) + W(*range(0xF1, 0xF9)))
    # protection
    pair(7002, 500, rxs("newuser") + W(1000, -1), abort=267265)
    pair(7002, 501, W(5), reply=W(7))
    pair(7002, 502, W(3))
    pair(7002, 503, W(5, -204))
    pair(7002, 504, W(2) + vec("alice", 64) + vec("bob", 64), reply=W(2, 10, -20))
    pair(7002, 505, W(2, 10, -20), reply=W(1) + vec("alice", 64))
    pair(7002, 508, W(1), reply=W(3, 1, 2, 3))
    pair(7002, 509, rxs("grp") + W(2, 5))
    pair(7002, 510, reply=W(100, -300))
    pair(7002, 511, W(5, 1))
    pair(7002, 513, W(5) + rxs("new") + W(6, 7))
    pair(7002, 520, W(5) + rxs("upd"))
    pair(7002, 518, W(5), reply=W(0))
    pair(7002, 10000, W(1, 946684800, 5, 6, 7, 8), reply=b"")
    pair(7002, 10000, W(0, 946684800, 5, 6, 7, 8), abort=946684900)
    # volume location
    entry = lambda n, k: vec("root.cell", 65) + W(0, n) + W(*[0x0A000001 + i for i in range(k)]) + W(*([0, 1, 30] * 5)[:k]) + W(*([0] * k)) + W(536870915, 536870916, 536870917)
    pair(7003, 501, vec("vol.new", 65))
    pair(7003, 502, W(536870915, 1))
    pair(7003, 503, W(536870915, 7), reply=entry(3, 8)[:260] + W(0) + entry(3, 8)[260:])
    pair(7003, 505, W(1), reply=W(536870999))
    pair(7003, 506, W(536870915, 0) + vec("x", 65))
    pair(7003, 510, W(4), reply=W(1, 5) + entry(2, 8)[:260] + W(0) + entry(2, 8)[260:])
    pair(7003, 521, W(4), reply=W(1, 5) + entry(3, 13))
    pair(7003, 527, rxs("root.cell"), reply=vec("root.cell", 65) + W(0, 1) + W(1, 2, 3, *range(8)) + bytes(44 * 12) + bytes(52) + W(*range(13)) + bytes(52) + W(9, 8, 7))
    pair(7003, 504, rxs("missing"), abort=363524)
    pair(7003, 20004, reply=W(11, 12))
    pair(7003, 20000, W(1, 2), abort=-1)
    pair(7003, 20002, W(1, 2, 0, 10, 20, 1))
    pair(7003, 20003, W(1, 2, 0, 10))
    pair(7003, 20005, W(0))
    pair(7003, 20006, W(0, 100, 3, 4))
    pair(7003, 20009, W(1, 2, 0, 50))
    pair(7003, 20012, W(1, 2, 3, 4, 5, 6))
    pair(7003, 10003, W(0x0A000001))
    pair(7003, 10000, W(1, 946684800, 5))
    # Kerberos
    pair(7004, 21, rxs("admin") + rxs(""), reply=b"\1\2\3\4", abort=180490)
    pair(7004, 23, W(3) + rxs("CELL") + W(4) + b"tick" + rxs("afs") + rxs(""))
    pair(7004, 4, rxs("bob") + rxs("") + W(2))
    pair(7004, 12, rxs("bob"))
    pair(7004, 10004)
    # volume server
    for op, args in [(100, W(1) + rxs("v") + W(0, 5)), (101, W(3)), (102, W(3, 1)), (103, W(3, 946684800, 1, 2, 3, 4)),
                     (104, W(3)), (105, W(3, 0, 1) + rxs("v.backup")), (106, W(3, 2)), (107, W(3)), (108, W(5, 1, 2)),
                     (109, W(3, 946684800)), (110, W(0)), (111, W(3, 9)), (112, W(3)), (113, W(3)),
                     (114, rxs("v") + W(0, 1, 2)), (116, W(1, 0)), (117, W(3) + rxs("v") + W(0, 1, 2, 3)),
                     (119, rxs("/vicepa")), (120, W(3)), (123, W(3, 946684800)), (126, W(3)),
                     (128, W(3, 946684800, 2, 1, 2, 3, 4, 5, 6)), (128, W(3, 946684800, 0)), (65538, W(3, 946684800, 1)), (124, W(1, 2))]:
        pair(7005, op, args)
    for op, rep in [(100, W(5, 6)), (104, W(0)), (105, W(7)), (107, W(1)), (108, W(8)), (110, W(5, 1)), (112, rxs("vol")),
                    (113, W(*range(1, 11)) + W(*[946684800 + i for i in range(6)])),
                    (116, W(2) + (vec("a", 32) + W(1) + bytes(84)) + vec("b", 32) + W(2) + bytes(84)), (116, W(0))]:
        pair(7005, op, reply=rep)
    pair(7005, 101, W(3), abort=-5)
    # basic overseer
    for op, args in [(80, rxs("simple") + rxs("fs")), (81, rxs("fs")), (82, rxs("fs") + W(1)), (86, rxs("fs") + W(0)),
                     (84, W(0)), (105, rxs("file") + W(10, 0, 946684800)), (99, b"")]:
        pair(7007, op, args, reply=b"" if op == 81 else None, abort=1 if op == 82 else None)
    pair(7006, 1, W(1), reply=W(1))
    pair(7000, 132, fid(9, 9, 9), reply=W(0), v6=True)
    # acks, other packet types, flags
    ackp = lambda first, acks, extra=b"": struct.pack("!HHIIIBB", 10, 2, first, 0, 77, 1, len(acks)) + bytes(acks) + bytes(3) + extra
    out.append(eth(udp4(7000, 7001, hdr(2, 0x22, 5, seq=0) + ackp(10, [1, 1, 0, 1, 0, 0, 1, 1, 1, 2, 0], W(1444, 5692, 32, 4)))))
    out.append(eth(udp4(7000, 7001, hdr(2, 0x00, 5, seq=0) + ackp(0xFFFFFFFE, [0, 1, 1, 1], W(1444, 5692)[:6]))))
    out.append(eth(udp4(7000, 7001, hdr(2, 0x00, 5, seq=0) + struct.pack("!HHIIIBB", 10, 2, 1, 0, 77, 12, 0))))
    out.append(eth(udp4(7000, 7001, hdr(2, 0x00, 5, seq=0) + struct.pack("!HHIIIBB", 10, 2, 1, 0, 77, 1, 9) + b"\1\0")))
    out.append(eth(udp4(7000, 7001, hdr(2, 0x00, 5, seq=0) + b"\0" * 10)))
    for t, f in [(3, 0x08), (4, 0x10), (5, 0x02), (6, 0x01), (7, 0x01), (8, 0), (9, 0), (13, 0), (11, 0), (1, 0x20)]:
        out.append(eth(udp4(7009, 40000, hdr(t, f, 9, seq=2) + b"\0" * 4)))
    out.append(eth(udp4(40000, 7003, hdr(1, 0x01, 9, seq=1)[:20])))
    full = eth(udp4(7001, 7000, hdr(1, 0x01, 300) + W(130) + fid(1, 2, 3) + W(0, 10)))
    out.append((full, 14 + 20 + 8 + 30))
    out.append((full, 14 + 20 + 8 + 40))
    out.append((full, 14 + 20 + 8 + 52))
    return out


def ports_frames():
    """Protocols found by port that are also -T types: AODV (654), vat
    (to 3456), PTP (319, 320), SOME/IP (30490), and a port pair where the
    earlier match wins."""
    rreq = struct.pack("!BBBBI4sI4sI", 1, 0, 0, 3, 9, ip4("10.0.0.7"), 4, ip4("10.0.0.8"), 5)
    rreq6 = struct.pack("!BBBBI", 1, 0, 0, 3, 9) + ip6("2001:db8::7") + struct.pack("!I", 4) + ip6("::10.0.0.8") + struct.pack("!I", 5)
    ptp = struct.pack("!BBHBBHQI8sHHBB", 0x10, 2, 44, 0, 0, 0x200, 0, 0, bytes(range(8)), 1, 2, 0, 0xfd) + bytes(10)
    someip = struct.pack("!IIIBBBB", 0x00018002, 8, 0x00030004, 1, 1, 0x80, 0)
    return [
        eth(udp4(654, 654, rreq)),
        eth(udp6(654, 654, rreq6), v6=True),
        eth(udp4(40000, 654, b"\x03\x00\x00\x01" + ip4("10.0.0.9") + struct.pack("!I", 3))),
        eth(udp4(40000, 3456, bytes.fromhex("00000005") + bytes.fromhex("00000064") + bytes(8))),
        eth(udp4(3456, 40000, bytes(12))),
        eth(udp4(40000, 319, ptp)),
        eth(udp4(320, 40000, ptp)),
        eth(udp4(319, 40000, ptp[:20])),
        eth(udp4(40000, 30490, someip)),
        eth(udp4(319, 30490, someip)),
    ]


def short_udp_length(frames):
    """The frames again with a UDP length shorter than the IP payload (two
    thirds of the UDP payload is claimed): tcpdump's printers get that
    length but may read on to the end of the IP datagram (its snapend), each
    as its own code does."""
    out = []
    for fr in frames:
        data, cap = fr if isinstance(fr, tuple) else (fr, None)
        if data[12:14] == b"\x08\x00" and data[14] == 0x45 and data[23] == 17:
            at = 14 + 20
        elif data[12:14] == b"\x86\xdd" and data[20] == 17:
            at = 14 + 40
        else:
            continue
        plen = len(data) - at - 8
        if plen < 3:
            continue
        claimed = 8 + plen * 2 // 3
        data = data[: at + 4] + struct.pack("!H", claimed) + data[at + 6 :]
        out.append((data, cap))
    return out


def main():
    write("udplen.pcap", short_udp_length(
        rx_frames() + bfd_frames() + sflow_frames() + ahcp_frames() + babel_frames() + snmp_frames()
        + misc_frames() + radius_frames() + rip_frames() + dhcp6_frames() + ntp_frames() + text_frames()
        + krb_frames() + dns_frames() + dhcp_frames() + isakmp_frames() + ports_frames()))
    write("ports.pcap", ports_frames())
    write("rx.pcap", rx_frames())
    write("bfd.pcap", bfd_frames())
    write("sflow.pcap", sflow_frames())
    write("ahcp.pcap", ahcp_frames())
    write("babel.pcap", babel_frames())
    write("snmp.pcap", snmp_frames())
    write("misc.pcap", misc_frames())
    write("radius.pcap", radius_frames())
    write("rip.pcap", rip_frames())
    write("dhcp6.pcap", dhcp6_frames())
    write("ntp.pcap", ntp_frames())
    write("text.pcap", text_frames() + krb_frames())
    write("dns.pcap", dns_frames())
    write("dhcp.pcap", dhcp_frames())
    write("isakmp.pcap", isakmp_frames())


if __name__ == "__main__":
    main()
