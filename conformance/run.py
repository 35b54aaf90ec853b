#!/usr/bin/env python3
"""Differential conformance check of bpfcap against tcpdump/libpcap.

libpcap is the reference implementation of the pcap-filter language, so
instead of hand-written expectations this runner asks both tools the same
question -- "filter capture C with expression E into a file" -- and reports
every place where the answers differ:

  * one tool accepts the expression and the other rejects it (exit status);
  * both accept it but the written packet records differ (which input
    packets were kept, or their timestamp, caplen, wire length or bytes).

File headers are deliberately not compared: tcpdump always writes pcap,
bpfcap may choose its own flavour.  Both outputs are read back by the small
pcap/pcapng reader below and compared record by record, with timestamps in
nanoseconds (tcpdump runs with --nano so it does not round them away).

    python3 conformance/run.py [-q] [--mutate N] [--random-exprs N [--only-random]]
                               [--seed S] [--bpfcap PATH] [--pcaps DIR ...] [--per-linktype N]
                               [--exprs FILE ...]

Exit status 0 when everything agrees, 1 on any disagreement, 2 on misuse.
Python 3.11 standard library only.
"""

import argparse
import concurrent.futures
import fnmatch
import os
import random
import re
import struct
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
KNOWN = os.path.join(HERE, "known-differences.txt")
DEFAULT_EXPRS = [
    os.path.join(ROOT, "tests", "goldens", "expressions.txt"),
    os.path.join(HERE, "expressions.txt"),
    os.path.join(HERE, "invalid.txt"),
]


# --------------------------------------------------------------------------
# Reading and writing captures.  Our own reader, so that neither tool under
# test is used to judge the other's output.

class Record:
    """One packet record; `ts` is in nanoseconds since the epoch."""

    __slots__ = ("ts", "caplen", "wirelen", "data", "linktype")

    def __init__(self, ts, wirelen, data, linktype):
        self.ts, self.caplen, self.wirelen, self.data, self.linktype = ts, len(data), wirelen, data, linktype

    def key(self):
        return (self.ts, self.caplen, self.wirelen, self.data)


def read_capture(path):
    """Records of a pcap or pcapng file (any byte order / resolution)."""
    with open(path, "rb") as f:
        buf = f.read()
    if len(buf) < 4:
        raise ValueError("file too short (%d bytes)" % len(buf))
    if buf[:4] == b"\x0a\x0d\x0d\x0a":
        return _read_pcapng(buf)
    for endian in "<>":
        magic = struct.unpack(endian + "I", buf[:4])[0]
        if magic in (0xA1B2C3D4, 0xA1B23C4D):
            return _read_pcap(buf, endian, 1 if magic == 0xA1B23C4D else 1000)
    raise ValueError("not a pcap or pcapng file")


def _read_pcap(buf, e, ns_per_frac):
    linktype = struct.unpack_from(e + "I", buf, 20)[0] & 0x0FFFFFFF
    out, off = [], 24
    while off + 16 <= len(buf):
        sec, frac, caplen, wirelen = struct.unpack_from(e + "IIII", buf, off)
        ns = frac * ns_per_frac
        if ns_per_frac == 1000 and frac >= 10**6:
            # An invalid microsecond field: libpcap scales it to
            # nanoseconds in 32 bits (what tcpdump --nano writes), and so
            # do we, so that both tools' records match the input's.
            ns &= 0xFFFFFFFF
        data = buf[off + 16 : off + 16 + caplen]
        if len(data) != caplen:
            raise ValueError("record %d truncated" % len(out))
        out.append(Record(sec * 10**9 + ns, wirelen, data, linktype))
        off += 16 + caplen
    if off != len(buf):
        raise ValueError("%d stray bytes at end" % (len(buf) - off))
    return out


def _read_pcapng(buf):
    out, ifaces, e, off = [], [], "<", 0
    while off + 12 <= len(buf):
        btype = struct.unpack_from(e + "I", buf, off)[0]
        if btype == 0x0A0D0D0A:  # section header: byte order may change
            e = "<" if struct.unpack_from("<I", buf, off + 8)[0] == 0x1A2B3C4D else ">"
            ifaces = []
        blen = struct.unpack_from(e + "I", buf, off + 4)[0]
        if blen < 12 or off + blen > len(buf):
            raise ValueError("bad block length at offset %d" % off)
        body = buf[off + 8 : off + blen - 4]
        if btype == 1:  # interface description: link type and ts resolution
            linktype, _, snaplen = struct.unpack_from(e + "HHI", body)
            units, o = 10**6, 8
            while o + 4 <= len(body):
                code, olen = struct.unpack_from(e + "HH", body, o)
                if code == 0:
                    break
                if code == 9 and olen >= 1:
                    r = body[o + 4]
                    units = 2 ** (r & 0x7F) if r & 0x80 else 10**r
                o += 4 + olen + (-olen % 4)
            ifaces.append((linktype, units, snaplen))
        elif btype in (2, 6):  # (obsolete) packet block / enhanced packet block
            if btype == 6:
                ifc, hi, lo, caplen, wirelen = struct.unpack_from(e + "IIIII", body)
            else:
                ifc, _, hi, lo, caplen, wirelen = struct.unpack_from(e + "HHIIII", body)
            linktype, units, _ = ifaces[ifc]
            t = (hi << 32) | lo
            out.append(Record(t // units * 10**9 + t % units * 10**9 // units, wirelen, body[20 : 20 + caplen], linktype))
        elif btype == 3:  # simple packet block: no timestamp, interface 0
            wirelen = struct.unpack_from(e + "I", body)[0]
            linktype, _, snaplen = ifaces[0]
            out.append(Record(0, wirelen, body[4 : 4 + min(wirelen, snaplen or wirelen)], linktype))
        off += blen
    return out


def write_capture(path, records, linktype, fmt, snaplen=262144):
    """records: (ts_ns, data, wirelen).  fmt: pcap-le-us, pcap-be-ns, pcapng."""
    parts = []
    if fmt == "pcapng":
        def block(btype, body):
            body += bytes(-len(body) % 4)
            return struct.pack("<II", btype, len(body) + 12) + body + struct.pack("<I", len(body) + 12)
        parts.append(block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1)))
        parts.append(block(1, struct.pack("<HHI", linktype, 0, snaplen) + b"\x09\x00\x01\x00\x09\x00\x00\x00" + bytes(4)))
        for ts, data, wirelen in records:
            parts.append(block(6, struct.pack("<IIIII", 0, ts >> 32, ts & 0xFFFFFFFF, len(data), wirelen) + data))
    else:
        e, nano = ("<", False) if fmt == "pcap-le-us" else (">", True)
        parts.append(struct.pack(e + "IHHiIII", 0xA1B23C4D if nano else 0xA1B2C3D4, 2, 4, 0, 0, snaplen, linktype))
        for ts, data, wirelen in records:
            frac = ts % 10**9 if nano else ts % 10**9 // 1000
            parts.append(struct.pack(e + "IIII", ts // 10**9, frac, len(data), wirelen) + data)
    with open(path, "wb") as f:
        f.write(b"".join(parts))


# --------------------------------------------------------------------------
# Mutated captures: the samples are well-formed, but filters matter most on
# packets that are not -- truncated, lying about their length, with a
# protocol field that points somewhere unexpected.

L3_OFFSET = {1: 14, 113: 16, 101: 0, 12: 0, 14: 0, 228: 0, 229: 0}
ETHERTYPES = [0x0800, 0x86DD, 0x0806, 0x8035, 0x8100, 0x88A8, 0x9100, 0x8847, 0x8848,
              0x8863, 0x8864, 0x05DC, 0x0026, 0x0000, 0xFFFF]
FIELD_VALUES = [0x00, 0x01, 0x02, 0x06, 0x11, 0x2C, 0x3A, 0x84, 0x3B, 0x2B, 0x32, 0x33,
                0x45, 0x46, 0x4F, 0x40, 0x60, 0x20, 0x1F, 0x35, 0x43, 0x44, 0x50, 0x17, 0xC1, 0xFF]


def mutate_packet(rng, data, wirelen, l3):
    """One to three random mutations of a frame; returns (data, wirelen)."""
    data = bytearray(data)
    for _ in range(rng.randint(1, 3)):
        op = rng.choice(["flip", "flip", "field", "field", "ethertype", "ports",
                         "caplen", "shorten", "wirelen", "ihl"])
        if op == "flip" and data:
            k = rng.randrange(min(len(data), l3 + 64))
            data[k] ^= 1 << rng.randrange(8)
        elif op == "field" and len(data) > l3:
            # version/IHL, fragment bits, v4 protocol, v6 next header, first
            # header bytes past a 20/24/40-byte IP header (ports, flags, type)
            rel = rng.choice([0, 6, 7, 9, 6, 20, 21, 22, 23, 24, 33, 40, 41, 42, 43, 53])
            if l3 + rel < len(data):
                data[l3 + rel] = rng.choice(FIELD_VALUES)
        elif op == "ethertype" and l3 >= 2:
            at = rng.choice([l3 - 2, l3 + 2]) if l3 else 0
            if at + 2 <= len(data):
                data[at : at + 2] = struct.pack("!H", rng.choice(ETHERTYPES))
        elif op == "ports" and len(data) >= l3 + 24:
            at = l3 + rng.choice([20, 22, 40, 42])
            if at + 2 <= len(data):
                data[at : at + 2] = struct.pack("!H", rng.choice([0, 22, 53, 67, 68, 80, 443, 1023, 1024, 6081, 65535]))
        elif op == "caplen":  # snapped: fewer bytes captured than on the wire
            del data[rng.randint(0, len(data)) :]
        elif op == "shorten":  # genuinely short frame
            del data[rng.randint(0, len(data)) :]
            wirelen = len(data)
        elif op == "wirelen":
            wirelen = rng.choice([wirelen + rng.randint(1, 3000), len(data) + 1, 0xFFFF, max(0, len(data) - 1)])
        elif op == "ihl" and len(data) > l3:
            data[l3] = (data[l3] & 0xF0) | rng.randrange(16)
    return bytes(data), wirelen


def make_mutants(captures, n, seed, outdir):
    """Writes n mutated captures derived from the packets of `captures`."""
    by_link = {}
    for path in captures:
        try:
            for r in read_capture(path):
                by_link.setdefault(r.linktype, {})[r.data] = r.wirelen
        except (ValueError, struct.error, IndexError):
            continue
    if not by_link:
        return []
    out = []
    for i in range(n):
        rng = random.Random("%s:%d" % (seed, i))
        linktype = rng.choice(sorted(by_link))
        frames = list(by_link[linktype].items())
        base = (1_700_000_000 + 100_000 * (i + 1)) * 10**9
        records = []
        for j, (data, wirelen) in enumerate(frames):
            if rng.random() < 0.7:
                # Unknown link layers: the header's first bytes take the damage.
                data, wirelen = mutate_packet(rng, data, wirelen, L3_OFFSET.get(linktype, 0))
            records.append((base + j * 10**9 + j * 1_001_000, data, wirelen))
        fmt = rng.choice(["pcap-le-us", "pcap-be-ns", "pcapng"])
        path = os.path.join(outdir, "mutant-%03d-lt%d.%s" % (i, linktype, "pcapng" if fmt == "pcapng" else "pcap"))
        write_capture(path, records, linktype, fmt)
        out.append(path)
    return out


# --------------------------------------------------------------------------
# Random expressions: the lists exercise each construct alone, but compiler
# bugs hide in combinations (offsets after vlan/mpls, qualifier inheritance,
# constant folding, precedence).  A small grammar, weighted toward the
# addresses, ports and protocols the sample captures really contain so that
# most expressions keep some packets and drop others.  A few choices are
# invalid on purpose (division by zero, shifts past 31, host bits in a net,
# bad sizes): libpcap rejects those, and bpfcap must too.

HOSTS = ["10.0.0.1", "10.0.0.2", "10.0.0.254", "192.168.1.10", "10.1.2.3", "172.16.0.1", "224.0.0.251",
         "255.255.255.255", "0.0.0.0", "10.0.100.1", "10.9.0.1", "2001:db8::1", "2001:db8::2", "fe80::1",
         "ff02::1", "2001:db8::7"]
NETS = ["10.0.0.0/24", "10.0.0.0/8", "10/8", "192.168.0.0/16", "10.1.2.0/24", "224.0.0.0/4", "10.0.0.0/30",
        "0.0.0.0/0", "172.16", "10.0.0.1/32", "2001:db8::/32", "fe80::/10", "ff00::/8", "2001:db8::/126",
        "10.0.0.1/24", "10.0.0.0/33"]  # last two: host bits set, bad prefix length
MASKS = [("10.0.0.0", "255.255.255.0"), ("10.0.0.0", "255.0.0.0"), ("224.0.0.0", "240.0.0.0"),
         ("192.168.1.0", "255.255.255.0"), ("10.0.0.1", "255.255.255.0")]
MACS = ["00:11:22:33:44:55", "66:77:88:99:aa:bb", "ff:ff:ff:ff:ff:ff", "01:00:5e:00:00:fb",
        "33:33:00:00:00:01", "01:80:c2:00:00:00"]
PORTS = [22, 53, 67, 68, 80, 123, 443, 8080, 40000, 40001, 40002, 50000, 5353, 546, 547, 2905, 3306,
         6081, 1, 9, 0, 65535, "http", "domain"]
PROTOS = ["ip", "ip6", "arp", "rarp", "tcp", "udp", "icmp", "icmp6", "sctp", "igmp", "vlan", "vlan 100",
          "vlan 200", "vlan 300", "vlan 7", "mpls", "mpls 1000", "mpls 17", "pppoes", "pppoes 0x1234",
          "pppoed", "geneve", "geneve 42", "ip multicast", "ip6 multicast", "ether broadcast",
          "ether multicast", "multicast", "ip proto 6", "ip proto 17", "ip proto 47", "ip6 proto 58",
          "ip6 proto 6", "proto 17", "ip6 protochain 6", "stp", "llc", "inbound", "outbound"]
FIELDS = ["ether", "ip", "ip6", "tcp", "udp", "icmp", "icmp6", "arp", "sctp"]
NAMED = ["tcpflags", "tcp-syn", "tcp-ack", "tcp-fin", "tcp-rst", "tcp-push", "icmptype", "icmpcode",
         "icmp-echo", "icmp-echoreply", "icmp-unreach", "icmp6type", "icmp6-echo", "icmp6-neighborsolicit"]
ARITH_OPS = ["+", "-", "*", "/", "%", "&", "|", "^", "<<", ">>"]
RELOPS = ["=", "==", "!=", "<", "<=", ">", ">="]


def random_expressions(n, seed):
    """n pseudo-random expressions; the same seed always gives the same list."""
    rng = random.Random("%s:exprs" % seed)
    return [_rand_expr(rng, 0, [rng.randint(1, 6)]) for _ in range(n)]


def _rand_expr(rng, depth, budget):
    """A boolean expression of at most budget[0] primitives and 4 levels."""
    r = rng.random()
    if depth >= 3 or budget[0] <= 1 or r < 0.25:
        budget[0] -= 1
        return _rand_primitive(rng)
    if r < 0.35:
        return rng.choice(["not ", "!"]) + _rand_expr(rng, depth + 1, budget)
    left = _rand_expr(rng, depth + 1, budget)
    s = "%s %s %s" % (left, rng.choice(["and", "or", "&&", "||"]), _rand_expr(rng, depth + 1, budget))
    return "(%s)" % s if depth and rng.random() < 0.7 else s


# Primitives the main grammar rarely reaches, each tied to a few link
# types (802.11, ATM, SS7, pflog): on the others both tools must refuse
# them alike, on theirs (--pcaps with the shared corpus) they filter.
WLAN_TYPES = {"mgt": ["assoc-req", "assoc-resp", "probe-req", "probe-resp", "beacon", "disassoc", "auth",
                      "deauth", "atim", "reassoc-req"],
              "ctl": ["ps-poll", "rts", "cts", "ack", "cf-end", "cf-end-ack", "bar", "ba"],
              "data": ["data", "data-cf-ack", "null", "qos-data", "qos-null", "qos"]}
ATM = ["lane", "oamf4", "oamf4s", "oamf4e", "oam", "metac", "bcc", "sc", "ilmic", "connectmsg",
       "metaconnect", "llc"]
PFLOG = ["ifname eth0", "on lo0", "ifname pflog0", "rnr 1", "rulenum 0", "srnr 2", "subrulenum 1",
         "reason match", "reason short", "action pass", "action block", "action nat", "ruleset main",
         "inbound", "outbound"]
ENCAPS = ["vlan", "vlan 100", "vlan 200", "mpls", "mpls 1000", "mpls 17", "pppoes", "pppoes 0x1234",
          "pppoes 1"]
LAYERED = ["ip", "ip6", "tcp", "udp", "arp", "icmp", "port 53", "host 10.0.0.1", "net 10.0.0.0/8",
           "ip6 proto 58", "ether broadcast", "tcp port 80", "ip[9] = 6", "ether[12:2] = 0x800"]


def _rand_rare(rng):
    """One of the rarely drawn primitives: protochain, encapsulation
    chains, 802.11 type/subtype and addresses, ATM/SS7/DECnet, pflog,
    less/greater and packet-length arithmetic."""
    c = rng.choice
    r = rng.random()
    if r < 0.12:
        return "%sprotochain %s" % (c(["", "ip ", "ip6 "]), c(["6", "17", "58", "1", "tcp", "udp", "icmp6",
                                                              "44", "51", "0", "255"]))
    if r < 0.32:  # vlan/mpls/pppoes chains: each moves the offsets of what follows
        chain = [c(ENCAPS) for _ in range(rng.randint(1, 3))]
        if rng.random() < 0.8:
            chain.append(c(LAYERED))
        return " and ".join(chain)
    if r < 0.50:
        t = c(sorted(WLAN_TYPES))
        return c(["type %s" % t, "type %s subtype %s" % (t, c(WLAN_TYPES[t])), "subtype %s" % c(WLAN_TYPES[t]),
                  "wlan %s %s" % (c(["addr1", "addr2", "addr3", "addr4", "src", "dst", "ra", "ta", "host"]),
                                  c(MACS)),
                  "dir %s" % c(["nods", "tods", "fromds", "dstods", "0", "3"])])
    if r < 0.62:
        return c(ATM + ["vpi %d" % c([0, 1, 8]), "vci %d" % c([5, 16, 32])])
    if r < 0.70:
        return "%s %d" % (c(["sio", "opc", "dpc", "sls", "hsio", "hopc", "hdpc", "hsls"]), c([0, 1, 3, 5, 15, 16383]))
    if r < 0.78:
        return "decnet %s%s" % (c(["", "src ", "dst ", "host "]), c(["1.2", "10.1", "1.1023", "63.1023"]))
    if r < 0.88:
        return c(PFLOG)
    if rng.random() < 0.5:
        return "%s %s" % (c(["less", "greater"]), c([0, 14, 42, 60, 64, 96, 100, 200, 1500]))
    return "len %s %s" % (c(RELOPS), _rand_arith(rng, 1))


def _rand_primitive(rng):
    c = rng.choice
    dirq = lambda: c(["", "", "src ", "dst "])
    if rng.random() < 0.15:
        return _rand_rare(rng)
    r = rng.random()
    if r < 0.14:
        return "%shost %s" % (dirq(), c(HOSTS)) + (" or %s" % c(HOSTS) if rng.random() < 0.2 else "")
    if r < 0.22:
        if rng.random() < 0.25:
            return "%snet %s mask %s" % ((dirq(),) + c(MASKS))
        return "%snet %s" % (dirq(), c(NETS))
    if r < 0.38:
        p = "%s%sport %s" % (c(["", "", "tcp ", "udp ", "sctp "]), dirq(), c(PORTS))
        return p + (" %s %s" % (c(["or", "and not"]), c(PORTS)) if rng.random() < 0.2 else "")
    if r < 0.42:
        lo = c(PORTS[:20])
        return "%sportrange %d-%d" % (c(["", "tcp ", "udp "]), lo, lo + c([0, 1, 100, 30000]))
    if r < 0.60:
        return c(PROTOS)
    if r < 0.65:
        return "ether %s %s" % (c(["host", "src", "dst"]), c(MACS))
    if r < 0.70:
        return "%s %d" % (c(["less", "greater"]), c([0, 42, 60, 64, 96, 100, 200, 1500]))
    left = _rand_arith(rng, 0)
    if "[" not in left and "len" not in left:  # mostly avoid constant = constant
        right = _rand_accessor(rng)
    elif rng.random() < 0.3:
        right = _rand_arith(rng, 1)
    else:
        right = str(c([0, 1, 2, 6, 8, 17, 20, 53, 80, 0x45, 0x800]))
    return "%s %s %s" % (left, c(RELOPS), right)


def _rand_arith(rng, depth):
    """An arithmetic expression: packet accessors, len, constants."""
    c = rng.choice
    r = rng.random()
    if depth < 2 and r < 0.35:
        op = c(ARITH_OPS)
        if op in "/%" and rng.random() < 0.15:
            right = "0"
        elif op in ("<<", ">>"):
            right = str(c([1, 2, 4, 6, 8, 31, 32, 40]))
        else:
            right = _rand_arith(rng, depth + 1)
        s = "%s %s %s" % (_rand_arith(rng, depth + 1), op, right)
        return "(%s)" % s if rng.random() < 0.6 else s
    if r < 0.55:
        return str(c([0, 1, 2, 4, 6, 8, 15, 17, 20, 53, 80, 0x40, 0xf0, 0xff, 0x1234, 4294967295])) \
            if rng.random() < 0.5 else c(["0x45", "0x0800", "0xffff", "0x0a000001"])
    if r < 0.62:
        return c(NAMED)
    if r < 0.66:
        return c(["len", "-4", "-len"])
    return _rand_accessor(rng)


def _rand_accessor(rng):
    c = rng.choice
    off = str(c([0, 0, 1, 2, 6, 8, 9, 12, 13, 14, 16, 20, 23, 40]))
    if rng.random() < 0.1:
        off = c(["tcpflags", "icmptype", "icmp6type", "ip[0] & 0xf", "4 * (ip[0] & 0xf)"])
    size = ":3" if rng.random() < 0.03 else c(["", "", ":1", ":2", ":2", ":4"])
    return "%s[%s%s]" % (c(FIELDS), off, size)


# --------------------------------------------------------------------------
# libpcap's verdict replayed: where the tools disagree on a packet, the
# program tcpdump ran (`tcpdump -r CAP -ddd EXPR`) is interpreted here as
# libpcap's bpf_filter does, noting whether it read a scratch memory word
# M[k] that nothing stored on that packet's path.  libpcap's bpf_filter
# keeps M[] in an uninitialized local array, so such a verdict depends on
# whatever the stack held (often the previous packet's values): undefined
# state, not a decision bpfcap could copy.

def libpcap_program(tcpdump, cap, expr, timeout):
    """The instructions libpcap runs for `expr` on `cap`'s link type, as
    (code, jt, jf, k) tuples; None if tcpdump cannot list them."""
    try:
        p = subprocess.run([tcpdump, "-r", cap, "-ddd", "--", expr], capture_output=True, text=True,
                           timeout=timeout)
    except (subprocess.TimeoutExpired, OSError):
        return None
    lines = p.stdout.split("\n")
    if p.returncode != 0 or not lines[0].strip().isdigit():
        return None
    return [tuple(int(x) for x in l.split()) for l in lines[1 : 1 + int(lines[0])]]


def _successors(prog, pc):
    """The instructions that can follow `pc` (a jump's offset is signed,
    as bpf_filter reads it: protochain jumps back)."""
    code, jt, jf, k = prog[pc]
    if code & 7 == 6:  # ret
        return []
    if code & 7 == 5:
        if code & 0xF0 == 0:  # ja
            return [pc + 1 + (k - (1 << 32) if k & 0x80000000 else k)]
        return [pc + 1 + jt, pc + 1 + jf]
    return [pc + 1]


def maybe_unset_reads(prog):
    """{pc: words} of the scratch reads (ld/ldx M[k]) some path from the
    start reaches with M[k] not stored: there the word holds whatever
    that path left in it (nothing, or another primitive's temporary
    that libpcap allocated the same word to), not the value the code
    generator meant, so a verdict read from it is not one to copy."""
    full = (1 << 16) - 1
    stored_in = [full] * len(prog)  # words stored on every path into pc
    stored_in[0] = 0
    work = [0]
    while work:
        pc = work.pop()
        code, _, _, k = prog[pc]
        out = stored_in[pc] | (1 << k if code & 7 in (2, 3) and k < 16 else 0)
        for nxt in _successors(prog, pc):
            if 0 <= nxt < len(prog) and stored_in[nxt] & out != stored_in[nxt]:
                stored_in[nxt] &= out
                work.append(nxt)
    reads = {}
    for pc, (code, _, _, k) in enumerate(prog):
        if code & 7 in (0, 1) and code & 0xE0 == 0x60 and not stored_in[pc] >> k & 1:
            reads[pc] = k
    return reads


def bpf_run(prog, data, wirelen):
    """(accepted, scratch words read unset) for one packet, with
    libpcap's bpf_filter semantics: a load past the captured bytes or a
    division by zero rejects the packet. A word counts as read unset when
    this packet's path never stored it, or when some other path into the
    read would not have (see `maybe_unset_reads`)."""
    a = x = 0
    mem, written, unset_read = [0] * 16, set(), set()
    pc, n = 0, len(data)
    maybe_unset = maybe_unset_reads(prog)

    def load(off, size):
        if off < 0 or off + size > n:
            return None
        return int.from_bytes(data[off : off + size], "big")

    alu = {0x00: lambda a, b: a + b, 0x10: lambda a, b: a - b, 0x20: lambda a, b: a * b,
           0x30: lambda a, b: a // b, 0x90: lambda a, b: a % b, 0x40: lambda a, b: a | b,
           0x50: lambda a, b: a & b, 0xA0: lambda a, b: a ^ b,
           0x60: lambda a, b: a << b if b < 32 else 0, 0x70: lambda a, b: a >> b if b < 32 else 0}
    jmp = {0x10: lambda a, b: a == b, 0x20: lambda a, b: a > b, 0x30: lambda a, b: a >= b,
           0x40: lambda a, b: a & b != 0}
    size_of = {0x00: 4, 0x08: 2, 0x10: 1}
    while 0 <= pc < len(prog):
        code, jt, jf, k = prog[pc]
        cls, pc = code & 7, pc + 1
        if cls in (0, 1):  # ld / ldx
            mode = code & 0xE0
            if mode == 0x00:
                v = k
            elif mode == 0x80:
                v = wirelen
            elif mode == 0x60:
                if k not in written or maybe_unset.get(pc - 1) == k:
                    unset_read.add(k)
                v = mem[k]
            elif mode == 0xA0 and cls == 1:  # msh
                b = load(k, 1)
                if b is None:
                    return False, unset_read
                v = (b & 0xF) * 4
            else:
                v = load(k + (x if mode == 0x40 else 0), size_of[code & 0x18])
                if v is None:
                    return False, unset_read
            if cls == 0:
                a = v
            else:
                x = v
        elif cls in (2, 3):  # st / stx
            mem[k] = a if cls == 2 else x
            written.add(k)
        elif cls == 4:  # alu
            op = code & 0xF0
            if op == 0x80:
                a = -a & 0xFFFFFFFF
                continue
            b = x if code & 8 else k
            if op in (0x30, 0x90) and b == 0:
                return False, unset_read
            a = alu[op](a, b) & 0xFFFFFFFF
        elif cls == 5:  # jmp
            if code & 0xF0 == 0:
                pc += k - (1 << 32) if k & 0x80000000 else k
                continue
            taken = jmp[code & 0xF0](a, x if code & 8 else k)
            pc += jt if taken else jf
        elif cls == 6:  # ret
            return (a if code & 0x18 == 0x10 else k) != 0, unset_read
        else:  # misc: tax / txa
            if code & 0xF8 == 0:
                x = a
            else:
                a = x
    return False, unset_read


def unset_scratch_reads(args, cap, expr, packets):
    """For each of `packets` (input indices) whose verdict in libpcap's
    program reads unwritten scratch memory: index -> sorted words."""
    prog = libpcap_program(args.tcpdump, cap, expr, args.timeout)
    if prog is None:
        return {}
    out = {}
    for i in packets:
        r = args.inputs[cap][i]
        words = bpf_run(prog, r.data, r.wirelen)[1]
        if words:
            out[i] = sorted(words)
    return out


# --------------------------------------------------------------------------
# Running both tools and comparing.

def run_tool(cmd, timeout):
    """(exit status or 'timeout', the last stderr line that says something:
    not blank, not an indented echo of the expression or its ^^^ marker,
    not tcpdump's "reading from file" banner)."""
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, timeout=timeout)
    except subprocess.TimeoutExpired:
        return "timeout", ""
    except OSError as e:  # e.g. the binary was removed by a rebuild mid-run
        return "not run", str(e)
    lines = [l for l in p.stderr.decode("utf-8", "replace").splitlines()
             if l.strip() and not l[0].isspace() and not l.startswith("reading from file")]
    return p.returncode, (lines[-1].strip() if lines else "")


def index_records(inputs, outputs):
    """Input packet index of each output record, matched in order by
    timestamp (outputs are a subsequence of the input); None if unmatched."""
    idx, i = [], 0
    for r in outputs:
        j = i
        while j < len(inputs) and inputs[j].ts != r.ts:
            j += 1
        if j < len(inputs):
            idx.append(j)
            i = j + 1
        else:
            idx.append(None)
    return idx


def describe(rec_a, rec_b):
    diffs = []
    for name in ("ts", "caplen", "wirelen"):
        a, b = getattr(rec_a, name), getattr(rec_b, name)
        if a != b:
            diffs.append("%s %s/%s" % (name, a, b))
    if rec_a.data != rec_b.data and rec_a.caplen == rec_b.caplen:
        diffs.append("bytes")
    return ",".join(diffs)


def check(job):
    """Runs both tools on one (capture, expression); None when they agree,
    else a one-line description of the disagreement, or a pair of it and
    the reason when libpcap's verdict on every packet concerned depends on
    undefined state."""
    cap, expr, args, tmpdir, n = job
    out_t = os.path.join(tmpdir, "%d.tcpdump" % n)
    out_b = os.path.join(tmpdir, "%d.bpfcap" % n)
    try:
        rc_t, err_t = run_tool([args.tcpdump, "--nano", "-n", "-r", cap, "-w", out_t, "--", expr], args.timeout)
        rc_b, err_b = run_tool([args.bpfcap, "-r", cap, "-w", out_b, "--", expr], args.timeout)
        if (rc_t == 0) != (rc_b == 0):
            return "exit: tcpdump=%s [%s] bpfcap=%s [%s]" % (rc_t, err_t or "-", rc_b, err_b or "-")
        if rc_t != 0:
            return None
        try:
            recs_t = read_capture(out_t)
        except (OSError, ValueError, struct.error, IndexError, KeyError) as e:
            return "tcpdump output unreadable: %s" % e
        try:
            recs_b = read_capture(out_b)
        except (OSError, ValueError, struct.error, IndexError, KeyError) as e:
            return "bpfcap output unreadable: %s" % e
        if [r.key() for r in recs_t] == [r.key() for r in recs_b]:
            return None
        inputs = args.inputs[cap]
        idx_t, idx_b = index_records(inputs, recs_t), index_records(inputs, recs_b)
        kept_t, kept_b = dict(zip(idx_t, recs_t)), dict(zip(idx_b, recs_b))
        parts = []
        only_t = sorted(k for k in kept_t if k not in kept_b and k is not None)
        only_b = sorted(k for k in kept_b if k not in kept_t and k is not None)
        if (only_t or only_b) and None not in kept_t and None not in kept_b \
                and all(kept_t[k].key() == kept_b[k].key() for k in set(kept_t) & set(kept_b)):
            unset = unset_scratch_reads(args, cap, expr, only_t + only_b)
            if len(unset) == len(only_t) + len(only_b):
                words = sorted({w for ws in unset.values() for w in ws})
                return ("packets: kept only by tcpdump %s, only by bpfcap %s" % (only_t, only_b),
                        "libpcap's program reads scratch %s, not stored on these packets' path or not on "
                        "every path into the read: its verdict depends on undefined state"
                        % ", ".join("M[%d]" % w for w in words))
        if only_t:
            parts.append("only tcpdump kept %s" % only_t)
        if only_b:
            parts.append("only bpfcap kept %s" % only_b)
        changed = ["%s(%s)" % (k, describe(kept_t[k], kept_b[k]))
                   for k in sorted(set(kept_t) & set(kept_b) - {None}) if kept_t[k].key() != kept_b[k].key()]
        if changed:
            parts.append("records differ (tcpdump/bpfcap) %s" % " ".join(changed))
        if None in kept_t or None in kept_b:
            parts.append("unmatched records tcpdump=%d bpfcap=%d" % (idx_t.count(None), idx_b.count(None)))
        if not parts:  # same packets, different order or duplicates
            parts.append("record order/count differs: tcpdump %s bpfcap %s" % (idx_t, idx_b))
        return "packets: " + "; ".join(parts)
    finally:
        for p in (out_t, out_b):
            try:
                os.unlink(p)
            except FileNotFoundError:
                pass


def load_expressions(files):
    """Lines of the expression files, first occurrence kept; blank lines
    and lines starting with '#' are skipped."""
    seen = {}
    for path in files:
        with open(path, encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if line and not line.startswith("#"):
                    seen.setdefault(line, None)
    return list(seen)


class Known:
    """One line of known-differences.txt (see the file's header)."""

    def __init__(self, line):
        fields = [f.strip() for f in line.rstrip("\n").split("\t")]
        match, *opts, self.reason = fields if len(fields) > 1 else fields + [""]
        self.regex = re.compile(match[3:]) if match.startswith("re:") else None
        self.expr = None if self.regex else match
        self.capture, self.differs, self.repro = "*", None, None
        for o in opts:
            key, _, value = o.partition("=")
            if key not in ("capture", "differs", "repro") or not value:
                raise ValueError("unknown field %r" % o)
            setattr(self, key, value)
        if self.differs not in (None, "exit", "packets"):
            raise ValueError("differs= is exit or packets, not %r" % self.differs)

    def matches(self, capture, expr, result):
        found = self.regex.search(expr) is not None if self.regex else self.expr == expr
        if not found:
            return False
        if self.differs and not result.startswith(self.differs + ":"):
            return False
        return fnmatch.fnmatchcase(capture, self.capture)


def load_known(path):
    """Deliberate or explained differences (known-differences.txt)."""
    known = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip() and not line.startswith("#"):
                try:
                    known.append(Known(line))
                except (ValueError, re.error) as e:
                    raise SystemExit("%s:%d: %s" % (path, n, e))
    return known


def known_reason(known, capture, expr, result):
    """The reason of the first entry of `known` explaining `result`."""
    for k in known:
        if k.matches(capture, expr, result):
            return k.reason
    return None


def find_captures(dirs):
    caps = []
    for d in dirs:
        caps += sorted(os.path.join(d, n) for n in os.listdir(d) if n.endswith((".pcap", ".pcapng")))
    return caps


def sample_by_linktype(captures, n, seed):
    """Up to n captures of each link type (the first record's), drawn with
    `seed`; captures whose link type cannot be read are kept."""
    by_link = {}
    for cap in captures:
        try:
            recs = read_capture(cap)
            lt = recs[0].linktype if recs else None
        except (ValueError, struct.error, IndexError, KeyError):
            lt = None
        by_link.setdefault(lt, []).append(cap)
    rng = random.Random("%s:pcaps" % seed)
    out = by_link.pop(None, [])
    for lt in sorted(by_link):
        caps = by_link[lt]
        out += rng.sample(caps, min(n, len(caps)))
    return sorted(out)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bpfcap", default=os.path.join(ROOT, "target", "release", "bpfcap"), help="bpfcap binary")
    ap.add_argument("--tcpdump", default="tcpdump", help="tcpdump binary (the oracle)")
    ap.add_argument("--pcaps", action="append", metavar="DIR", help="directory of *.pcap/*.pcapng (repeatable; default pcaps/)")
    ap.add_argument("--per-linktype", type=int, metavar="N", help="check only N captures of each link type "
                    "(drawn with --seed) of those found in the --pcaps directories")
    ap.add_argument("--exprs", action="append", metavar="FILE", help="expression list, one per line (repeatable; default: "
                    "tests/goldens/expressions.txt, conformance/expressions.txt, conformance/invalid.txt)")
    ap.add_argument("--mutate", type=int, default=0, metavar="N", help="also check N randomly mutated captures")
    ap.add_argument("--random-exprs", type=int, default=0, metavar="N", help="also check N random expressions")
    ap.add_argument("--only-random", action="store_true", help="skip the expression lists (use with --random-exprs)")
    ap.add_argument("--seed", default="0", help="seed for --mutate and --random-exprs (same seed, same captures "
                    "and expressions)")
    ap.add_argument("--keep-mutants", metavar="DIR", help="write the mutated captures here instead of a temp dir")
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1, help="parallel checks (default: CPU count)")
    ap.add_argument("--timeout", type=float, default=60, help="seconds allowed per tool run")
    ap.add_argument("-q", "--quiet", action="store_true", help="print only disagreements and the summary")
    args = ap.parse_args(argv)

    if not os.access(args.bpfcap, os.X_OK):
        ap.error("bpfcap binary %s not found; build it (cargo build --release -p bpfcap) or pass --bpfcap" % args.bpfcap)
    if subprocess.run([args.tcpdump, "--version"], capture_output=True).returncode != 0:
        ap.error("tcpdump not runnable (apt-get install tcpdump)")
    if args.only_random and not args.random_exprs:
        ap.error("--only-random needs --random-exprs N")
    exprs = [] if args.only_random else load_expressions(args.exprs or DEFAULT_EXPRS)
    exprs = list(dict.fromkeys(exprs + random_expressions(args.random_exprs, args.seed)))
    known = load_known(KNOWN)
    captures = []
    found = find_captures(args.pcaps or [os.path.join(ROOT, "pcaps")])
    if args.per_linktype:
        found = sample_by_linktype(found, args.per_linktype, args.seed)
    for cap in found:
        # A capture the oracle cannot read at all proves nothing either way.
        rc, err = run_tool([args.tcpdump, "-r", cap, "-w", os.devnull], args.timeout)
        if rc == 0:
            captures.append(cap)
        else:
            print("SKIP %s\ttcpdump cannot read it: %s" % (os.path.basename(cap), err), flush=True)

    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="bpfcap-conf-") as tmp:
        if args.mutate:
            mdir = args.keep_mutants or tmp
            os.makedirs(mdir, exist_ok=True)
            captures += make_mutants(captures, args.mutate, args.seed, mdir)
        args.inputs = {}
        for cap in captures:
            try:
                args.inputs[cap] = read_capture(cap)
            except (ValueError, struct.error, IndexError, KeyError):
                args.inputs[cap] = []  # still checked; packets just can't be named
        if not args.quiet:
            ver = subprocess.run([args.tcpdump, "--version"], capture_output=True, text=True).stdout.split("\n")
            print("oracle: %s; bpfcap: %s" % ("; ".join(v for v in ver[:2] if v), args.bpfcap))
            print("%d captures x %d expressions, %d jobs, seed %s" % (len(captures), len(exprs), args.jobs, args.seed))
        jobs = [(cap, e, args, tmp, n) for n, (cap, e) in enumerate((c, e) for c in captures for e in exprs)]
        failed, expected, per_cap = 0, 0, {}
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
            for (cap, expr, *_), result in zip(jobs, pool.map(check, jobs)):
                name = os.path.relpath(cap, ROOT) if cap.startswith(ROOT) else os.path.basename(cap)
                ok, total = per_cap.get(name, (0, 0))
                per_cap[name] = (ok + (result is None), total + 1)
                reason = None
                if isinstance(result, tuple):
                    result, reason = result
                elif result is not None:
                    reason = known_reason(known, os.path.basename(cap), expr, result)
                if reason is not None:
                    expected += 1
                    if not args.quiet:
                        print("KNOWN %s\t%s\t%s\t%s" % (name, expr, result, reason), flush=True)
                elif result is not None:
                    failed += 1
                    print("FAIL %s\t%s\t%s" % (name, expr, result), flush=True)
    if not args.quiet:
        for name, (ok, total) in per_cap.items():
            print("  %-40s %d/%d agree" % (name, ok, total))
        print("%.1fs" % (time.monotonic() - start))
    print("%d checks, %d passed, %d known differences, %d failed"
          % (len(jobs), len(jobs) - failed - expected, expected, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
