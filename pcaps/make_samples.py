#!/usr/bin/env python3
"""Writes the sample captures in this folder (stdlib only, deterministic).

    python3 pcaps/make_samples.py            # rewrite pcaps/*.pcap*

The packets cover what bpfcap's filters look at: IPv4 (with options and
fragments), IPv6 (with extension headers), TCP/UDP/SCTP/ICMP/ICMPv6/IGMP,
ARP, 802.1Q and QinQ tags, MPLS, PPPoE, Geneve, LLC/SNAP, broadcast and
multicast, DHCP and DNS ports, truncated frames.  Every packet has its own
timestamp (second = index), so golden verdicts can name packets by index.

Files:
  sample.pcap            Ethernet, microseconds, little-endian
  sample-be-ns.pcap      the same frames, big-endian, nanoseconds
  sample-snap96.pcap     the same frames cut to 96 bytes (caplen < wirelen)
  sample-multi.pcapng    Ethernet + raw IP interfaces, if_tsresol 9 (ns)
  sample-sll.pcap        Linux cooked (SLL) frames, inbound and outbound
  sample-meta.pcapng     pcapng metadata: two Ethernet interfaces with names,
                         section options, packet comments, flags, hashes and
                         drop counts, name resolution, decryption secrets,
                         custom blocks and statistics, then a big-endian
                         second section
"""

import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
BASE_TS = 1_700_000_000


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def mac(s):
    return bytes(int(x, 16) for x in s.split(":"))


def ip4(s):
    return bytes(int(x) for x in s.split("."))


def ip6(s):
    import ipaddress

    return ipaddress.IPv6Address(s).packed


def ether(dst, src, etype, payload):
    return mac(dst) + mac(src) + struct.pack("!H", etype) + payload


def vlan(vid, etype, payload, tpid=0x8100):
    return struct.pack("!HH", vid, etype) + payload


def ipv4(src, dst, proto, payload, ttl=64, options=b"", frag=0, ident=1):
    ihl = 5 + len(options) // 4
    hdr = struct.pack(
        "!BBHHHBBH4s4s", 0x40 | ihl, 0, 20 + len(options) + len(payload), ident, frag, ttl, proto, 0, ip4(src), ip4(dst)
    ) + options
    hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
    return hdr + payload


def ipv6(src, dst, nxt, payload, hlim=64):
    return struct.pack("!IHBB", 0x60000000, len(payload), nxt, hlim) + ip6(src) + ip6(dst) + payload


def tcp(sport, dport, flags=0x02, payload=b""):
    return struct.pack("!HHIIBBHHH", sport, dport, 1, 0, 0x50, flags, 65535, 0, 0) + payload


def udp(sport, dport, payload=b""):
    return struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload


def sctp(sport, dport):
    return struct.pack("!HHII", sport, dport, 0, 0) + b"\x01\0\0\x14" + bytes(16)


def icmp(typ, code=0, payload=b"abcdefgh"):
    return struct.pack("!BBHI", typ, code, 0, 0) + payload


def arp(op, sha, spa, tha, tpa):
    return struct.pack("!HHBBH", 1, 0x0800, 6, 4, op) + mac(sha) + ip4(spa) + mac(tha) + ip4(tpa)


A = "00:11:22:33:44:55"
B = "66:77:88:99:aa:bb"
BCAST = "ff:ff:ff:ff:ff:ff"


def l3_packets():
    """(ethertype, payload) pairs reused for several link types."""
    v4 = lambda proto, pl, **kw: (0x0800, ipv4(kw.pop("src", "10.0.0.1"), kw.pop("dst", "10.0.0.2"), proto, pl, **kw))
    v6 = lambda nxt, pl, **kw: (0x86DD, ipv6(kw.pop("src", "2001:db8::1"), kw.pop("dst", "2001:db8::2"), nxt, pl, **kw))
    return [
        v4(6, tcp(40000, 80, 0x02)),
        v4(6, tcp(80, 40000, 0x12), src="10.0.0.2", dst="10.0.0.1"),
        v4(6, tcp(40001, 443, 0x10, b"x" * 100)),
        v4(6, tcp(22, 50000, 0x18, b"ssh!")),
        v4(17, udp(5353, 53, b"\x12\x34" + bytes(10))),
        v4(17, udp(68, 67, bytes(240)), src="0.0.0.0", dst="255.255.255.255"),
        v4(17, udp(67, 68, bytes(240)), src="10.0.0.254", dst="10.0.0.1"),
        v4(1, icmp(8)),
        v4(1, icmp(0), src="10.0.0.2", dst="10.0.0.1"),
        v4(1, icmp(3, 3)),
        v4(2, bytes([0x16, 0, 0, 0]) + ip4("224.0.0.251"), dst="224.0.0.251"),
        v4(132, sctp(2905, 2905)),
        v4(6, tcp(1234, 8080), options=b"\x94\x04\0\0"),
        v4(17, udp(1000, 2000, bytes(64)), frag=0x2000, ident=7),
        v4(17, bytes(32), frag=0x0004, ident=7),
        v4(47, bytes(8)),
        v4(6, tcp(3306, 40002, 0x11), src="192.168.1.10", dst="10.1.2.3"),
        v4(17, udp(123, 123, bytes(48)), src="10.1.2.3", dst="172.16.0.1"),
        v6(6, tcp(40000, 80, 0x02)),
        v6(17, udp(546, 547, bytes(20)), src="fe80::1", dst="ff02::1:2"),
        v6(58, icmp(128)),
        v6(58, icmp(135, 0, bytes(20)), dst="ff02::1:ff00:2"),
        v6(0, bytes([17, 0, 1, 4, 0, 0, 0, 0]) + udp(5000, 53, bytes(12))),
        v6(44, bytes([6, 0, 0, 1, 0, 0, 0, 9]) + tcp(1, 2)),
        v6(6, tcp(443, 40000, 0x14), src="2001:db8::2", dst="2001:db8::1"),
    ]


def ethernet_frames():
    frames = [ether(B, A, et, pl) for et, pl in l3_packets()]
    frames += [
        ether(BCAST, A, 0x0806, arp(1, A, "10.0.0.1", "00:00:00:00:00:00", "10.0.0.2")),
        ether(A, B, 0x0806, arp(2, B, "10.0.0.2", A, "10.0.0.1")),
        ether(B, A, 0x8100, vlan(100, 0x0800, ipv4("10.0.100.1", "10.0.100.2", 6, tcp(40000, 80)))),
        ether(B, A, 0x88A8, vlan(200, 0x8100, vlan(300, 0x0800, ipv4("10.0.3.1", "10.0.3.2", 17, udp(1, 53))))),
        ether(B, A, 0x8100, vlan(7, 0x86DD, ipv6("2001:db8::7", "2001:db8::8", 6, tcp(7, 22)))),
        ether(B, A, 0x8847, struct.pack("!I", (1000 << 12) | (1 << 8) | 64) + ipv4("10.9.0.1", "10.9.0.2", 6, tcp(9, 80))),
        ether(B, A, 0x8847, struct.pack("!II", (16 << 12) | 64, (17 << 12) | (1 << 8) | 64) + ipv4("10.9.0.3", "10.9.0.4", 1, icmp(8))),
        ether(B, A, 0x8863, bytes([0x11, 0x09, 0, 0, 0, 0])),
        ether(B, A, 0x8864, bytes([0x11, 0, 0x12, 0x34, 0, 42, 0, 0x21]) + ipv4("10.8.0.1", "10.8.0.2", 6, tcp(8, 443))),
        ether(B, A, 0x0800, ipv4("10.7.0.1", "10.7.0.2", 17, udp(40000, 6081,
            bytes([0, 0, 0x65, 0x58, 0, 0, 0x2a, 0]) + ether(B, A, 0x0800, ipv4("192.168.7.1", "192.168.7.2", 6, tcp(7, 80)))))),
        ether("01:80:c2:00:00:00", A, 0x0026, bytes([0x42, 0x42, 0x03]) + bytes(35)),
        ether(B, A, 0x0030, bytes([0xAA, 0xAA, 0x03, 0, 0, 0, 0x08, 0x00]) + ipv4("10.6.0.1", "10.6.0.2", 17, udp(9, 9))),
        ether("01:00:5e:00:00:fb", A, 0x0800, ipv4("10.0.0.1", "224.0.0.251", 17, udp(5353, 5353, bytes(20)))),
        ether("33:33:00:00:00:01", A, 0x86DD, ipv6("fe80::1", "ff02::1", 58, icmp(134, 0, bytes(16)))),
    ]
    return [f + bytes(max(0, 60 - len(f))) for f in frames]


def pcap(path, frames, linktype, big=False, nano=False, snaplen=262144):
    e = ">" if big else "<"
    magic = 0xA1B23C4D if nano else 0xA1B2C3D4
    with open(path, "wb") as f:
        f.write(struct.pack(e + "IHHiIII", magic, 2, 4, 0, 0, snaplen, linktype))
        for i, fr in enumerate(frames):
            frac = i * 1001 if not nano else i * 1_001_001
            cap = fr[:snaplen]
            f.write(struct.pack(e + "IIII", BASE_TS + i, frac, len(cap), len(fr)))
            f.write(cap)


def pcapng(path, packets, interfaces):
    """packets: (interface index, frame); interfaces: linktypes."""

    def block(btype, body):
        body += bytes(-len(body) % 4)
        n = 12 + len(body)
        return struct.pack("<II", btype, n) + body + struct.pack("<I", n)

    def opt(code, val):
        return struct.pack("<HH", code, len(val)) + val + bytes(-len(val) % 4)

    out = block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))
    for lt in interfaces:
        out += block(1, struct.pack("<HHI", lt, 0, 262144) + opt(9, b"\x09") + opt(0, b""))
    for i, (ifc, fr) in enumerate(packets):
        ts = (BASE_TS + i) * 1_000_000_000 + i * 1_001_001
        out += block(6, struct.pack("<IIIII", ifc, ts >> 32, ts & 0xFFFFFFFF, len(fr), len(fr)) + fr)
    with open(path, "wb") as f:
        f.write(out)


def pcapng_meta(path, frames):
    """A pcapng file with every kind of metadata bpfcap copies."""

    def section(e, blocks):
        def block(btype, body):
            body += bytes(-len(body) % 4)
            n = 12 + len(body)
            return struct.pack(e + "II", btype, n) + body + struct.pack(e + "I", n)

        def opt(code, val):
            return struct.pack(e + "HH", code, len(val)) + val + bytes(-len(val) % 4)

        def opts(*o):
            return b"".join(opt(c, v) for c, v in o) + opt(0, b"") if o else b""

        def epb(i, ifc, fr, *o, units=1_000_000_000):
            ts = (BASE_TS + i) * units + i * 1001
            fr = fr + bytes(-len(fr) % 4)
            return block(6, struct.pack(e + "IIIII", ifc, ts >> 32, ts & 0xFFFFFFFF, len(fr), len(fr)) + fr + opts(*o))

        out = b""
        for b in blocks(block, opt, opts, epb):
            out += b
        return out

    def first(block, opt, opts, epb):
        e = "<"
        yield block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1)
                    + opts((1, b"section one"), (2, b"x86_64"), (3, b"Linux 6.1"), (4, b"make_samples.py")))
        yield block(1, struct.pack("<HHI", 1, 0, 262144)
                    + opts((2, b"eth0"), (3, b"first interface"), (9, b"\x09")))
        yield block(10, struct.pack("<II", 0x544C534B, 21) + b"CLIENT_RANDOM 00 11\n\0")
        yield block(1, struct.pack("<HHI", 1, 0, 65535) + opts((2, b"eth1"), (9, b"\x06")))
        yield epb(0, 0, frames[0], (1, b"first packet"), (2, struct.pack(e + "I", 1)),
                  (3, b"\x02\xde\xad\xbe\xef"), (4, struct.pack(e + "Q", 3)))
        yield block(4, struct.pack("<HH", 1, 11) + ip4("10.0.0.1") + b"host-a\0" + bytes(1)
                    + struct.pack("<HH", 0, 0))
        yield epb(1, 1, frames[1], (1, b"second packet"), (2, struct.pack(e + "I", 2)), units=1_000_000)
        yield block(0xBAD, struct.pack("<I", 32473) + b"copy me")
        yield epb(2, 0, frames[2])
        yield block(0x40000BAD, struct.pack("<I", 32473) + b"do not copy")
        yield epb(3, 1, frames[3], (1, b"fourth packet"), units=1_000_000)
        for ifc in (0, 1):
            yield block(5, struct.pack("<III", ifc, 0, 0) + opts((4, struct.pack("<Q", 2)), (1, b"stats")))

    def second(block, opt, opts, epb):
        yield block(0x0A0D0D0A, struct.pack(">IHHq", 0x1A2B3C4D, 1, 0, -1) + opts((2, b"sparc64")))
        yield block(1, struct.pack(">HHI", 1, 0, 262144) + opts((2, b"be0"), (9, b"\x06")))
        yield epb(4, 0, frames[4], (1, b"big endian"), (2, struct.pack(">I", 1)), units=1_000_000)

    with open(path, "wb") as f:
        f.write(section("<", first) + section(">", second))


def sll(pkttype, etype, payload):
    return struct.pack("!HHH", pkttype, 1, 6) + mac(A) + b"\0\0" + struct.pack("!H", etype) + payload


def main():
    frames = ethernet_frames()
    pcap(os.path.join(HERE, "sample.pcap"), frames, 1)
    pcap(os.path.join(HERE, "sample-be-ns.pcap"), frames, 1, big=True, nano=True)
    pcap(os.path.join(HERE, "sample-snap96.pcap"), frames, 1, snaplen=96)
    l3 = l3_packets()
    mixed = []
    for i, fr in enumerate(frames[: len(l3)]):
        mixed.append((0, fr))
        mixed.append((1, l3[i][1]))
    pcapng(os.path.join(HERE, "sample-multi.pcapng"), mixed, [1, 101])
    cooked = [sll(0 if i % 2 else 4, et, pl) for i, (et, pl) in enumerate(l3)]
    pcap(os.path.join(HERE, "sample-sll.pcap"), cooked, 113)
    pcapng_meta(os.path.join(HERE, "sample-meta.pcapng"), frames)


if __name__ == "__main__":
    main()
