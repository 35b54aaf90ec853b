#!/usr/bin/env python3
"""Packet printing against tcpdump: how many packets bpfcap prints exactly as
tcpdump does, per flag set and per link type (issue 16).

  python3 bench/print_compare.py [--bpfcap PATH] [--pcaps DIR] [--flags SET ...]
                                 [-j N] [--timeout S] [--sample N --seed S]
                                 [--linktypes LT,LT] [--top N] [--json FILE]
                                 [--targets] [--exact]
                                 [--exact-pcaps F,F,...] [--only-exact]

For every capture of --pcaps (default ../shared/conformance/pcaps from the
repository root) and every flag set (default: "-n", "" (names), "-n -v",
"-n -e", "-n -A", "-n -x", "-n -X", "-n -XX"; --flags replaces them, e.g.
--flags "-n" --flags "-n -vv"), runs

  tcpdump -r F FLAGS      and      BPFCAP -r F FLAGS

with TZ=UTC and LC_ALL=C (the same small environment for both), in -j
parallel worker processes, each run limited to --timeout seconds (default
20; a run that takes longer is killed and recorded as a time-out, a run
killed by a signal is recorded with the signal, non-zero exits with their
status). Each stdout is split into per-packet records and record i of
tcpdump is compared with record i of bpfcap: a packet is identical only if
its whole record (first line and all continuation lines) is byte-identical.
When the counts differ, the unmatched records count as different packets.
If tcpdump itself crashed or timed out, only the records it printed are
compared (its last record too only if it ended with a newline): the rest of
the capture has no reference.

Record splitting.  A record starts at a line that begins with tcpdump's time
stamp: `HH:MM:SS.ffffff ` by default (6 to 9 fraction digits), or one of
tcpdump's "[... error ...]" time stamp replacements; -tt/-ttt/-tttt/-ttttt
in a flag set switch to their formats, --number (-#) adds its packet number
in front.  All following lines up to the next time stamp belong to the
record, which is what makes `-A` work (its payload lines do not start with
white space and can start with anything).  Limits:
a payload line that itself starts with something shaped like a time stamp
(`12:34:56.123456 `) would start a bogus record (in both outputs alike), and
with `-t` (no time stamp at all) records are split at lines that do not
start with white space instead, which is wrong for `-A`. Lines before the
first record belong to the first record.

Kinds of difference.  Each differing packet gets a kind, for steering the
printer work: `<network word> <protocol word>` from tcpdump's record, e.g.
`IP TCP`, `IP UDP`, `IP6 NTPv4`, `IP DNS` (a number after the addresses is
named by the lower port), `ARP`, `STP`; the network word is the first word
of the line (with -e the ethertype name; a MAC address gives e.g.
`EN10MB MAC`), the protocol word is the first word after the `src > dst: `
pair (searched in the first three lines, so -v's second line counts; -v's
`proto X (n)` when that names none). TCP and UDP get the word after
`length N: ` when the difference is there (`IP TCP BGP`). Then where the
records first differ: `@address` inside the address pair (names, OUIs),
`@field` after the protocol word, the word at or before the difference
(`IP TCP @ack`, `IP @ttl`), `[cont]` / `[cont] @field` / `[cont hex]` when
only a continuation line differs (-v details, hex dumps), nothing when the
protocol word itself differs (the packet is dissected differently).
`[missing]`: bpfcap printed fewer records; `[extra]`: bpfcap records
beyond tcpdump's (kind from bpfcap's record). bpfcap records saying
"unsupported link type" are one kind per link type, and a bpfcap run that
printed nothing and failed is one kind per error (`bpfcap exit 1: ...`).
The report shows the top --top kinds with one example pair each and the
first differing column; --json has all kinds.

Link types are read from the file itself (pcap header, or the first
Interface Description Block of pcapng), not from either program, and named
as libpcap names them (RAW for 12, 14 and 101; unknown numbers as numbers).
--linktypes EN10MB,LINUX_SLL restricts the run to some of them.

--targets checks issue 16's thresholds on the flag sets and captures that
were run (a --sample's in CI) and exits 1 if one is missed (with --exact, also if an exact line fails).
"Unsupported link type" counts only where tcpdump prints the packets
(tcpdump's own `UNSUPPORTED` + hex dump, e.g. for DLT 160 or DBUS, is not
printing them). --exact runs the exact command lines of issue 16
(`bpfcap -nr F -c2`, ...) on --exact-pcaps and compares stdout, stderr and
exit status (stderr with the program name at line starts normalized, as
tcpdump names itself after argv[0]). --sample N picks N captures (--seed),
always including a few of each important link type, for a quick CI run.

bpfcap defaults to target/release/bpfcap (or $CARGO_TARGET_DIR); build it
with `cargo build --release`. Needs tcpdump on PATH (or --tcpdump).
"""
import argparse
import collections
import concurrent.futures
import json
import os
import random
import re
import shlex
import signal
import struct
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

DEFAULT_FLAG_SETS = ["-n", "", "-n -v", "-n -e", "-n -A", "-n -x", "-n -X", "-n -XX"]

# Link types whose -n output issue 16 wants >= 97% identical.
CORE_LINKTYPES = ["EN10MB", "LINUX_SLL", "LINUX_SLL2", "RAW", "NULL", "LOOP"]
# Link types of which --sample always takes a few captures.
SAMPLE_LINKTYPES = CORE_LINKTYPES + ["IPV4", "IPV6"]
SAMPLE_PER_LINKTYPE = 3

# Issue 16's thresholds: flag set -> minimum identical % over all packets.
TARGET_OVERALL = {
    "-n": 90.0, "": 85.0, "-n -v": 80.0, "-n -e": 90.0,
    "-n -A": 97.0, "-n -x": 97.0, "-n -X": 97.0, "-n -XX": 97.0,
    "-A": 97.0, "-x": 97.0, "-X": 97.0, "-XX": 97.0,
}
TARGET_CORE = ("-n", 97.0)  # flag set, minimum % on each of CORE_LINKTYPES

# Issue 16's exact command lines; F is replaced by the capture.
EXACT_COMMANDS = [
    "-nr F -c2",
    "-r F -s0 -c1 -n",
    "-n tcp -r F",
    "-nnvvr F -c4",
    "-r F -A -c2 -n",
    "-r F -n -S -c3 tcp",
    "-r F -c2 -l -n",
    "-r F -n --count udp",
    "-r F --number -n -c3",
    "-r F -c3",
    "--snapshot-length=96 -r F -n -c2",
]
# Captures of the shared corpus with both TCP and UDP packets: Ethernet (IPv4,
# IPv6, a real-world one), LINUX_SLL2 and pcapng.
EXACT_PCAPS = ["synth_eth_ipv4.pcap", "synth_eth_ipv6.pcap", "mptcp-aa-v1.pcap",
               "synth_linux_sll2.pcap", "synth_pcapng.pcapng"]

# pcap LINKTYPE_ / DLT_ numbers to libpcap's names (pcap_datalink_val_to_name),
# plus the LINKTYPE_ values that differ from the DLT_ ones.
_NAMES = """
0 NULL 1 EN10MB 6 IEEE802 7 ARCNET 8 SLIP 9 PPP 10 FDDI 11 ATM_RFC1483 12 RAW
14 RAW 15 SLIP_BSDOS 16 PPP_BSDOS 19 ATM_CLIP 50 PPP_SERIAL 51 PPP_ETHER
99 SYMANTEC_FIREWALL 100 ATM_RFC1483 101 RAW 102 SLIP_BSDOS 103 PPP_BSDOS
104 C_HDLC 105 IEEE802_11 106 ATM_CLIP 107 FRELAY 108 LOOP 109 ENC 113 LINUX_SLL
114 LTALK 117 PFLOG 119 PRISM_HEADER 122 IP_OVER_FC 123 SUNATM
127 IEEE802_11_RADIO 129 ARCNET_LINUX 130 JUNIPER_MLPPP 131 JUNIPER_MLFR
132 JUNIPER_ES 133 JUNIPER_GGSN 134 JUNIPER_MFR 135 JUNIPER_ATM2
136 JUNIPER_SERVICES 137 JUNIPER_ATM1 138 APPLE_IP_OVER_IEEE1394
139 MTP2_WITH_PHDR 140 MTP2 141 MTP3 142 SCCP 143 DOCSIS 144 LINUX_IRDA
163 IEEE802_11_RADIO_AVS 164 JUNIPER_MONITOR 165 BACNET_MS_TP 166 PPP_PPPD
167 JUNIPER_PPPOE 168 JUNIPER_PPPOE_ATM 169 GPRS_LLC 170 GPF_T 171 GPF_F
174 JUNIPER_PIC_PEER 175 ERF_ETH 176 ERF_POS 177 LINUX_LAPD 178 JUNIPER_ETHER
179 JUNIPER_PPP 180 JUNIPER_FRELAY 181 JUNIPER_CHDLC 182 MFR 183 JUNIPER_VP
184 A429 185 A653_ICM 186 USB_FREEBSD 187 BLUETOOTH_HCI_H4
188 IEEE802_16_MAC_CPS 189 USB_LINUX 190 CAN20B 191 IEEE802_15_4_LINUX 192 PPI
193 IEEE802_16_MAC_CPS_RADIO 194 JUNIPER_ISM 195 IEEE802_15_4 196 SITA 197 ERF
198 RAIF1 199 IPMB_KONTRON 200 JUNIPER_ST 201 BLUETOOTH_HCI_H4_WITH_PHDR
202 AX25_KISS 209 IPMB_LINUX 215 IEEE802_15_4_NONASK_PHY 216 LINUX_EVDEV
219 MPLS 220 USB_LINUX_MMAPPED 221 DECT 222 AOS 223 WIHART 224 FC_2
225 FC_2_WITH_FRAME_DELIMS 226 IPNET 227 CAN_SOCKETCAN 228 IPV4 229 IPV6
230 IEEE802_15_4_NOFCS 231 DBUS 232 JUNIPER_VS 233 JUNIPER_SRX_E2E
234 JUNIPER_FIBRECHANNEL 235 DVB_CI 236 MUX27010 237 STANAG_5066_D_PDU
238 JUNIPER_ATM_CEMIC 239 NFLOG 240 NETANALYZER 241 NETANALYZER_TRANSPARENT
242 IPOIB 243 MPEG_2_TS 244 NG40 245 NFC_LLCP 246 PFSYNC 247 INFINIBAND
248 SCTP 249 USBPCAP 250 RTAC_SERIAL 251 BLUETOOTH_LE_LL 253 NETLINK
254 BLUETOOTH_LINUX_MONITOR 255 BLUETOOTH_BREDR_BB 256 BLUETOOTH_LE_LL_WITH_PHDR
257 PROFIBUS_DL 258 PKTAP 259 EPON 260 IPMI_HPM_2 261 ZWAVE_R1_R2 262 ZWAVE_R3
263 WATTSTOPPER_DLM 264 ISO_14443 265 RDS 266 USB_DARWIN 267 OPENFLOW 268 SDLC
269 TI_LLN_SNIFFER 271 VSOCK 272 NORDIC_BLE 273 DOCSIS31_XRA31
274 ETHERNET_MPACKET 275 DISPLAYPORT_AUX 276 LINUX_SLL2 278 OPENVIZSLA
279 EBHSCR 280 VPP_DISPATCH 281 DSA_TAG_BRCM 282 DSA_TAG_BRCM_PREPEND
283 IEEE802_15_4_TAP 284 DSA_TAG_DSA 285 DSA_TAG_EDSA 286 ELEE 287 Z_WAVE_SERIAL
288 USB_2_0 289 ATSC_ALP
""".split()
LINKTYPE_NAMES = {int(n): name for n, name in zip(_NAMES[::2], _NAMES[1::2])}

UNSUPPORTED_LINK = b"unsupported link type"  # what bpfcap prints for link types it lacks


# ---------------------------------------------------------------- link types

def read_linktype(path):
    """Link type number of a capture: the pcap header's, or that of the first
    Interface Description Block of a pcapng file; None if neither is found
    (not a capture, truncated header)."""
    try:
        with open(path, "rb") as f:
            head = f.read(24)
            if len(head) < 4:
                return None
            magic = head[:4]
            if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1", b"\x34\xcd\xb2\xa1"):
                return struct.unpack("<I", head[20:24])[0] & 0x03FFFFFF if len(head) == 24 else None
            if magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d", b"\xa1\xb2\xcd\x34"):
                return struct.unpack(">I", head[20:24])[0] & 0x03FFFFFF if len(head) == 24 else None
            if magic == b"\x0a\x0d\x0d\x0a":
                f.seek(0)
                return _pcapng_first_idb(f.read(1 << 20))
    except OSError:
        return None
    return None


def _pcapng_first_idb(data):
    """Link type of the first IDB in pcapng bytes (byte order from each SHB)."""
    pos, order = 0, "<"
    while pos + 12 <= len(data):
        if data[pos:pos + 4] == b"\x0a\x0d\x0d\x0a":
            bom = data[pos + 8:pos + 12]
            if bom == b"\x4d\x3c\x2b\x1a":
                order = "<"
            elif bom == b"\x1a\x2b\x3c\x4d":
                order = ">"
            else:
                return None
        btype, blen = struct.unpack(order + "II", data[pos:pos + 8])
        if btype == 1:
            return struct.unpack(order + "H", data[pos + 8:pos + 10])[0]
        if blen < 12 or blen % 4:
            return None
        pos += blen
    return None


def linktype_name(number):
    """libpcap's name of a link type number; unknown numbers as the number,
    an unreadable header as '?'."""
    if number is None:
        return "?"
    return LINKTYPE_NAMES.get(number, str(number))


# ---------------------------------------------------------------- running

def run_env():
    """The fixed environment both programs run in."""
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "TZ": "UTC", "LC_ALL": "C"}


def run(argv, timeout, cwd=None):
    """Runs argv with stdin closed; returns a dict with stdout, stderr (bytes),
    rc (negative: killed by that signal), timed_out and seconds. A run over
    `timeout` seconds is killed with its process group; what it printed until
    then is kept. Never raises for the program's failures."""
    t0 = time.monotonic()
    try:
        p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, env=run_env(), cwd=cwd,
                             start_new_session=True)
    except OSError as e:
        return {"stdout": b"", "stderr": str(e).encode(), "rc": 127, "timed_out": False,
                "seconds": 0.0}
    timed_out = False
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        out, err = p.communicate()
    return {"stdout": out, "stderr": err, "rc": p.returncode, "timed_out": timed_out,
            "seconds": time.monotonic() - t0}


def status_text(r):
    """One word for how a run ended: ok, exit N, SIGNAME or timeout."""
    if r["timed_out"]:
        return "timeout"
    if r["rc"] < 0:
        try:
            return signal.Signals(-r["rc"]).name
        except ValueError:
            return "signal %d" % -r["rc"]
    return "ok" if r["rc"] == 0 else "exit %d" % r["rc"]


def abnormal(r):
    """Whether a run ended by time-out or signal (its output may be cut)."""
    return r["timed_out"] or r["rc"] < 0


# ---------------------------------------------------------------- records

_FRAC = rb"\d{6,9}"
_TS_ERROR = rb"\[[^\]\n]*(?:error|too small|not representable)[^\]\n]*\] "
TIME_FORMATS = {
    "default": rb"\d\d:\d\d:\d\d\." + _FRAC + rb" ",
    "tt": rb"\d+\." + _FRAC + rb" ",
    "ttt": rb" ?\d\d:\d\d:\d\d\." + _FRAC + rb" ",  # with a leading space
    "tttt": rb"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\." + _FRAC + rb" ",
}


def time_option(flags):
    """Which -t option a flag set has: None (default stamps), 't' (none),
    'tt', 'ttt', 'tttt' or 'ttttt', counting t's in single-dash clusters."""
    count = 0
    for word in shlex.split(flags):
        if word.startswith("-") and not word.startswith("--"):
            count += word.count("t") if re.fullmatch(r"-[A-Za-z]+", word) else 0
    return None if count == 0 else "t" * min(count, 5)


def record_start(flags):
    """Compiled regex matching the first line of a record for a flag set, or
    None when there are no time stamps (-t: split at unindented lines)."""
    opt = time_option(flags)
    if opt == "t":
        return None
    fmt = TIME_FORMATS.get({None: "default", "ttttt": "ttt"}.get(opt, opt))
    words = shlex.split(flags)
    number = rb" *\d+  " if "--number" in words or any(
        re.fullmatch(r"-[A-Za-z]*#[A-Za-z#]*", w) for w in words) else b""
    return re.compile(number + rb"(?:" + fmt + rb"|" + _TS_ERROR + rb")")


def split_records(out, start):
    """Splits a program's stdout (bytes) into per-packet records (bytes, each
    with its lines joined by '\\n'). `start` is record_start()'s regex; lines
    before the first record start go into the first record. Returns
    (records, complete) where complete says whether the output ended with a
    newline (a record cut by a crash is not complete)."""
    if not out:
        return [], True
    complete = out.endswith(b"\n")
    lines = out[:-1].split(b"\n") if complete else out.split(b"\n")
    records, current = [], []
    for line in lines:
        if start is not None:
            is_start = start.match(line) is not None
        else:
            is_start = line[:1] not in (b" ", b"\t")
        if is_start and current and (records or _has_start(current, start)):
            records.append(b"\n".join(current))
            current = []
        current.append(line)
    if current:
        records.append(b"\n".join(current))
    return records, complete


def _has_start(lines, start):
    """Whether a list of lines holds a record start (else it is preamble)."""
    if start is None:
        return any(line[:1] not in (b" ", b"\t") for line in lines)
    return any(start.match(line) for line in lines)


# ---------------------------------------------------------------- kinds

_ADDR_PAIR = re.compile(r"\s>\s(\S+):\s+(.*)")
_PORTS = re.compile(r"\S+?\.(\d+) > \S+?\.(\d+):")
_ETHERTYPE = re.compile(r"ethertype (\S+) \(0x[0-9a-fA-F]+\), length \d+: (.*)")
_LINK_LEN = re.compile(r".*?, length \d+: (.*)")
_APP = re.compile(r"length \d+:? (\S+)")
_MAC = re.compile(r"[0-9a-fA-F]{1,2}(:[0-9a-fA-F]{1,2}){5}\b")
_HEX_LINE = re.compile(r"\s+0x[0-9a-f]+:  ")
_HEXWORD = re.compile(r"[0-9a-fA-F]{1,4}")  # a piece of a MAC or IPv6 address
_MAC_PAIR = re.compile(
    r"^\S+ [0-9a-fA-F:]{11,17}(?: \([^)]*\))? > [0-9a-fA-F:]{11,17}(?: \([^)]*\))?")
_IP_PROTO = re.compile(r"\b(?:proto|next-header) (\S+) \(\d+\)")
_NUMERIC = re.compile(r"\d+[^\sA-Za-z]*")
PORT_NAMES = {53: "DNS", 5353: "mDNS", 67: "BOOTP", 68: "BOOTP", 123: "NTP", 161: "SNMP",
              162: "SNMP", 514: "syslog", 2049: "NFS", 111: "RPC"}


def strip_time(line, start):
    """A first line without its time stamp prefix."""
    if start is not None:
        m = start.match(line)
        if m:
            return line[m.end():]
    return line


def network_word(first, flags, linktype):
    """(network word, rest of the line) of a first line without its time
    stamp: its first word, with -e the ethertype name after the link-level
    header; a MAC address, a truncation mark or a non-word become the link
    type's name (`EN10MB MAC`, `EN10MB [|stp]`, `IEEE802_11_RADIO`)."""
    net = None
    if re.search(r"(^|\s)-[A-Za-z]*e", flags):
        m = _ETHERTYPE.search(first)
        if m:
            net, first = m.group(1).rstrip(","), m.group(2)
        else:
            m = _LINK_LEN.match(first)
            if m:
                first = m.group(1)
    if net is None:
        words = first.split()
        net = words[0].rstrip(",:") if words else "(empty)"
    if net.startswith("[|"):
        net = linktype + " " + net  # nothing printed but a truncation mark
    elif _MAC.match(net):
        net = linktype + " MAC"  # printed with MAC addresses (LLC, unknown types)
    elif not re.match(r"[A-Za-z]", net):
        net = linktype
    return net, first


def protocol_kind(record, start, flags, linktype, app=True):
    """`<network word> <protocol word>` of a record (see the module doc);
    for TCP and UDP with `app` also the word after `length N: ` if any
    (`IP TCP BGP`). With -v the IP header's `proto X (n)` stands in when
    the address line names no protocol."""
    lines = record.decode("latin-1").split("\n")
    first = strip_time(lines[0].encode("latin-1"), start).decode("latin-1")
    net, first = network_word(first, flags, linktype)
    body = "\n".join([first] + lines[1:3])
    word = None
    m = _ADDR_PAIR.search(body)
    if m:
        rest = re.sub(r"^(\[[^\]]*\]\s*)+", "", m.group(2)) or m.group(2)
        rest = re.sub(r"^(\S+ > \S+: )+", "", rest) or rest  # an inner pair (PGM)
        if rest.split():
            word = clean_word(rest.split()[0])
            if _NUMERIC.fullmatch(word):
                word = port_name(body) or word
            word = {"Flags": "TCP"}.get(word, word)
    header = _IP_PROTO.search(first)
    if header and word in (None, "UDP", "TCP"):
        word = header.group(1)
    if word is None:
        return net
    if app and m and word in ("TCP", "UDP"):
        found = _APP.search(m.group(2))
        if found:
            word += " " + clean_word(found.group(1))
    return "%s %s" % (net, word)


def port_name(text):
    """`DNS`, `NTP` ... or `port N` for the lower port of the first
    `a.P > b.Q:` pair in text (for protocol words that are numbers, such as
    DNS ids); None without ports."""
    ports = _PORTS.search(text)
    if not ports:
        return None
    port = min(int(ports.group(1)), int(ports.group(2)))
    return PORT_NAMES.get(port, "port %d" % port)


def clean_word(word):
    """A protocol word without trailing punctuation or a '(...)'/'[...]' tail."""
    if word.startswith("["):
        return word
    return re.split(r"[\[(]", word)[0].rstrip(",:;") or word


def first_difference(a, b):
    """(line number, column, tcpdump token, bpfcap token) of the first byte
    where two records differ; the tokens are the white-space delimited
    words around that byte (from the word's start), '<end>' past the end."""
    a, b = a.decode("latin-1"), b.decode("latin-1")
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    line_start = a.rfind("\n", 0, i) + 1
    w = i
    while w > line_start and not a[w - 1].isspace():
        w -= 1
    tok = lambda s: (re.match(r"\S*", s[w:]).group(0) or s[w:w + 1] or "<end>")[:40]
    return a.count("\n", 0, i) + 1, i - line_start + 1, tok(a), tok(b)


def field_at(line, column):
    """The field a difference at `column` (1-based) of a tcpdump line is in:
    the word there if it starts with a letter, else the nearest word before
    it that does (`seq`, `ack`, `length`, `ttl` ...); '?' if none."""
    words = [w for w in re.findall(r"[A-Za-z][\w-]*", line[:column - 1])
             if not _HEXWORD.fullmatch(w)]
    here = re.match(r"[A-Za-z][\w-]*", line[column - 1:])
    if here and not _HEXWORD.fullmatch(here.group(0)) and (
            column == 1 or not line[column - 2].isalnum()):
        return here.group(0)
    return words[-1] if words else "?"


def protocol_end(line, stamped=True):
    """Column after the protocol word of a tcpdump line (after the
    `src > dst: ` pair; else after the first word after the time stamp,
    or the first word of a line that has none)."""
    m = _ADDR_PAIR.search(line)
    if m:
        word = re.match(r"(\[[^\]]*\]\s*)*\S*", m.group(2)).group(0)
        return m.start(2) + len(word) + 1
    m = _MAC_PAIR.search(line) or re.match(r"\S+\s+\S+" if stamped else r"\s*\S+", line)
    return m.end() + 1 if m else 1


def in_addresses(line, column):
    """Whether column (1-based) of a tcpdump first line is inside its
    `src > dst` address pair (IP addresses and ports, or MAC addresses,
    where name resolution and OUI names show)."""
    m = _MAC_PAIR.search(line)
    if m:
        return column <= m.end()
    first_word = re.match(r"\S+\s+\S+", line)
    m = _ADDR_PAIR.search(line)
    return bool(m and first_word and first_word.end() < column <= m.end(1))


def classify(td, bp, start, flags, linktype):
    """Kind of difference between a tcpdump record and a bpfcap record; either
    may be None (missing / extra record). A difference after the protocol
    word adds `@field` (e.g. `IP TCP @ack`), one in continuation lines adds
    `[cont]` and the field, or `[cont hex]` in a hex dump line."""
    if bp is not None and UNSUPPORTED_LINK in bp:
        return "%s: unsupported link type" % linktype
    if td is None:
        return "%s [extra]" % protocol_kind(bp, start, flags, linktype)
    if bp is None:
        return protocol_kind(td, start, flags, linktype) + " [missing]"
    line_no, column, _, _ = first_difference(td, bp)
    line = td.decode("latin-1").split("\n")[line_no - 1]
    app = _APP.search(line)  # the application word only when the difference is there
    kind = protocol_kind(td, start, flags, linktype,
                         app=bool(app and column >= app.start(1) - 2))
    if line_no > 1:
        if _HEX_LINE.match(line):
            return kind + " [cont hex]"
        if _ADDR_PAIR.search(line) and column <= protocol_end(line, stamped=False):
            return kind + " [cont]"
        return "%s [cont] @%s" % (kind, field_at(line, column))
    if column <= protocol_end(line):
        return kind + (" @address" if in_addresses(line, column) else "")
    return "%s @%s" % (kind, field_at(line, column))


# ---------------------------------------------------------------- comparing

def compare_capture_guarded(task):
    """compare_capture(), but a bug of this script on an odd capture becomes
    a result that the report lists (`error`) instead of ending the run."""
    try:
        return compare_capture(task)
    except Exception as e:  # noqa: BLE001 - report, never stop the whole run
        path, flags = task[0], task[1]
        return {"file": os.path.basename(path), "flags": flags, "linktype": "?",
                "packets": 0, "identical": 0, "tcpdump_records": 0, "bpfcap_records": 0,
                "tcpdump_status": "?", "bpfcap_status": "?", "tcpdump_seconds": 0,
                "bpfcap_seconds": 0, "stderr_same": True, "unsupported_link_type": False,
                "kinds": {}, "error": "%s: %s" % (type(e).__name__, e)}


def compare_capture(task):
    """Worker: runs tcpdump and bpfcap on one capture with one flag set and
    compares their records. Returns a JSON-able dict with the counts, both
    run statuses, whether bpfcap said 'unsupported link type' where tcpdump
    printed packets, and the kinds of difference (count, first example)."""
    path, flags, tcpdump, bpfcap, timeout = task
    linktype = linktype_name(read_linktype(path))
    args = ["-r", path] + shlex.split(flags)
    td = run([tcpdump] + args, timeout)
    bp = run([bpfcap] + args, timeout)
    start = record_start(flags)
    td_recs, td_complete = split_records(td["stdout"], start)
    bp_recs, _ = split_records(bp["stdout"], start)
    if abnormal(td):
        # No reference beyond what tcpdump printed; a cut last record is none.
        if not td_complete and td_recs:
            td_recs.pop()
        bp_recs = bp_recs[:len(td_recs)]
    n = max(len(td_recs), len(bp_recs))
    failed = None
    if not bp_recs and status_text(bp) != "ok":
        failed = "bpfcap %s: %s" % (status_text(bp), error_line(bp["stderr"]))
    identical = 0
    kinds = {}
    for i in range(n):
        a = td_recs[i] if i < len(td_recs) else None
        b = bp_recs[i] if i < len(bp_recs) else None
        if a is not None and a == b:
            identical += 1
            continue
        kind = failed or classify(a, b, start, flags, linktype)
        entry = kinds.setdefault(kind, {"count": 0, "example": None})
        entry["count"] += 1
        if entry["example"] is None:
            entry["example"] = example(path, i, a, b)
    td_prints = any(strip_time(r.split(b"\n", 1)[0], start).strip() != b"UNSUPPORTED"
                    for r in td_recs)
    unsupported = td_prints and UNSUPPORTED_LINK in bp["stdout"] + bp["stderr"]
    return {
        "file": os.path.basename(path), "flags": flags, "linktype": linktype,
        "packets": n, "identical": identical,
        "tcpdump_records": len(td_recs), "bpfcap_records": len(bp_recs),
        "tcpdump_status": status_text(td), "bpfcap_status": status_text(bp),
        "tcpdump_seconds": round(td["seconds"], 3), "bpfcap_seconds": round(bp["seconds"], 3),
        "stderr_same": normalize_stderr(td["stderr"]) == normalize_stderr(bp["stderr"]),
        "unsupported_link_type": unsupported, "kinds": kinds,
    }


def error_line(err):
    """The first line of a program's stderr that is not the 'reading from
    file' notice, shortened, for kinds of failed runs."""
    for line in err.decode("latin-1").split("\n"):
        if line.strip() and not line.startswith("reading from file"):
            return shorten(line.strip(), 80)
    return "(no message)"


def example(path, index, td, bp, limit=6):
    """An example pair for the report: file, packet number (1-based), the
    first `limit` lines of each record and where they first differ."""
    cut = lambda r: None if r is None else "\n".join(
        r.decode("latin-1").split("\n")[:limit])
    ex = {"file": os.path.basename(path), "packet": index + 1, "tcpdump": cut(td),
          "bpfcap": cut(bp)}
    if td is not None and bp is not None:
        ex["line"], ex["column"], ex["tcpdump_token"], ex["bpfcap_token"] = \
            first_difference(td, bp)
    return ex


def normalize_stderr(err):
    """stderr with the program name at line starts replaced by PROG:
    (tcpdump names itself after argv[0], so a build named bpfcap-main or
    bpfcap would differ there only)."""
    return re.sub(rb"(?m)^(?:tcpdump|bpfcap[\w.-]*):", b"PROG:", err)


# ---------------------------------------------------------------- summaries

def summarize(results, top):
    """Per-flag-set summary of worker results: overall and per-link-type
    counts, the run failures, 'unsupported link type' files and the top
    kinds of difference."""
    summary = {}
    for flags in dict.fromkeys(r["flags"] for r in results):
        rs = sorted((r for r in results if r["flags"] == flags), key=lambda r: r["file"])
        per_lt = {}
        kinds = {}
        for r in rs:
            lt = per_lt.setdefault(r["linktype"], {"captures": 0, "packets": 0, "identical": 0})
            lt["captures"] += 1
            lt["packets"] += r["packets"]
            lt["identical"] += r["identical"]
            for kind, e in r["kinds"].items():
                k = kinds.setdefault(kind, {"count": 0, "files": 0, "example": e["example"]})
                k["count"] += e["count"]
                k["files"] += 1
        for lt in per_lt.values():
            lt["percent"] = pct(lt["identical"], lt["packets"])
        packets = sum(r["packets"] for r in rs)
        identical = sum(r["identical"] for r in rs)
        ranked = sorted(kinds.items(), key=lambda kv: (-kv[1]["count"], kv[0]))
        summary[flags] = {
            "captures": len(rs), "packets": packets, "identical": identical,
            "percent": pct(identical, packets),
            "per_linktype": dict(sorted(per_lt.items(), key=lambda kv: -kv[1]["packets"])),
            "unsupported_link_type": sorted({r["linktype"] for r in rs
                                             if r["unsupported_link_type"]}),
            "tcpdump_failures": failures(rs, "tcpdump_status"),
            "bpfcap_failures": failures(rs, "bpfcap_status"),
            "exit_status_differs": [r["file"] for r in rs
                                    if r["tcpdump_status"] != r["bpfcap_status"]],
            "stderr_differs": [r["file"] for r in rs if not r["stderr_same"]],
            "script_errors": {r["file"]: r["error"] for r in rs if "error" in r},
            "kinds": [dict(kind=k, **v) for k, v in ranked],
            "top_kinds": [dict(kind=k, **v) for k, v in ranked[:top]],
        }
    return summary


def failures(rs, key):
    """Files whose run did not end with exit 0, with how it ended."""
    return {r["file"]: r[key] for r in rs if r[key] != "ok"}


def pct(part, whole):
    """Percentage rounded to 2 places (100 for an empty whole)."""
    return round(100.0 * part / whole, 2) if whole else 100.0


def flags_label(flags):
    """A flag set for display: the empty set is '(none)'."""
    return flags if flags else "(none)"


def print_summary(summary, out=sys.stdout):
    """The human report for every flag set."""
    for flags, s in summary.items():
        p = lambda *a: print(*a, file=out)
        p("=" * 78)
        p("flags %s: %d/%d packets identical (%.2f%%) over %d captures"
          % (flags_label(flags), s["identical"], s["packets"], s["percent"], s["captures"]))
        p("  %-22s %8s %8s %8s %8s" % ("link type", "captures", "packets", "same", "%"))
        for lt, c in s["per_linktype"].items():
            p("  %-22s %8d %8d %8d %8.2f" % (lt, c["captures"], c["packets"], c["identical"],
                                             c["percent"]))
        p("  'unsupported link type' where tcpdump prints: %s"
          % (", ".join(s["unsupported_link_type"]) or "none"))
        for who in ("tcpdump", "bpfcap"):
            fails = s[who + "_failures"]
            p("  %s not ok (%d): %s" % (who, len(fails), ", ".join(
                "%s (%s)" % kv for kv in sorted(fails.items())) or "-"))
        if s["script_errors"]:
            p("  print_compare errors (not counted): %s" % "; ".join(
                "%s: %s" % kv for kv in sorted(s["script_errors"].items())))
        for what in ("exit_status_differs", "stderr_differs"):
            files = s[what]
            p("  %s: %d captures%s" % (what.replace("_", " "), len(files), (": " + ", ".join(
                files[:8]) + (", ..." if len(files) > 8 else "")) if files else ""))
        p("  top %d kinds of difference (of %d):" % (len(s["top_kinds"]), len(s["kinds"])))
        for i, k in enumerate(s["top_kinds"], 1):
            ex = k["example"]
            where = ""
            if "line" in ex:
                where = ", line %d col %d: %r vs %r" % (ex["line"], ex["column"],
                                                         ex["tcpdump_token"], ex["bpfcap_token"])
            p("  %2d. %-44s %6d packets in %d captures" % (i, k["kind"], k["count"], k["files"]))
            p("      e.g. %s #%d%s" % (ex["file"], ex["packet"], where))
            for who in ("tcpdump", "bpfcap"):
                text = ex[who]
                lines = ["(no record)"] if text is None else text.split("\n")
                for j, line in enumerate(lines[:3]):
                    p("      %-8s %s" % (who + ":" if j == 0 else "", shorten(line)))
    return


def shorten(line, width=150):
    """A line cut to `width` characters for the report."""
    return line if len(line) <= width else line[:width - 3] + "..."


# ---------------------------------------------------------------- targets

def check_targets(summary):
    """Issue 16's thresholds for the flag sets that were run: a list of
    (description, value, threshold, ok)."""
    checks = []
    for flags, minimum in TARGET_OVERALL.items():
        if flags in summary:
            v = summary[flags]["percent"]
            checks.append(("%s overall" % flags_label(flags), v, minimum, v >= minimum))
    flags, minimum = TARGET_CORE
    if flags in summary:
        s = summary[flags]
        for lt in CORE_LINKTYPES:
            if lt in s["per_linktype"]:
                v = s["per_linktype"][lt]["percent"]
                checks.append(("%s %s" % (flags, lt), v, minimum, v >= minimum))
        bad = s["unsupported_link_type"]
        checks.append(("%s no 'unsupported link type' (%s)" % (flags, ", ".join(bad) or "none"),
                       len(bad), 0, not bad))
    return checks


def print_targets(checks, out=sys.stdout):
    """The target table; returns whether all were met."""
    print("=" * 78, file=out)
    print("targets (issue 16):", file=out)
    for what, value, minimum, ok in checks:
        print("  %-4s %-48s %8s  (need %s)" % ("ok" if ok else "MISS", what, value,
                                               ">= %s%%" % minimum if minimum else "0"),
              file=out)
    return all(ok for *_, ok in checks)


# ---------------------------------------------------------------- exact

def exact_task(task):
    """Worker: one exact command line on one capture, tcpdump against bpfcap;
    compares stdout, normalized stderr and exit status."""
    command, path, tcpdump, bpfcap, timeout = task
    args = [path if w == "F" else w for w in shlex.split(command)]
    td = run([tcpdump] + args, timeout)
    bp = run([bpfcap] + args, timeout)
    what = []
    if td["stdout"] != bp["stdout"]:
        what.append("stdout" + first_line_diff(td["stdout"], bp["stdout"]))
    if normalize_stderr(td["stderr"]) != normalize_stderr(bp["stderr"]):
        what.append("stderr" + first_line_diff(normalize_stderr(td["stderr"]),
                                               normalize_stderr(bp["stderr"])))
    if status_text(td) != status_text(bp):
        what.append("exit: tcpdump %s, bpfcap %s" % (status_text(td), status_text(bp)))
    return {"command": command, "file": os.path.basename(path), "ok": not what,
            "differences": what}


def first_line_diff(a, b):
    """' line N: tcpdump ... | bpfcap ...' for the first differing line."""
    la, lb = a.decode("latin-1").split("\n"), b.decode("latin-1").split("\n")
    for i in range(max(len(la), len(lb))):
        x = la[i] if i < len(la) else "<none>"
        y = lb[i] if i < len(lb) else "<none>"
        if x != y:
            return " line %d: tcpdump %r | bpfcap %r" % (i + 1, shorten(x, 100), shorten(y, 100))
    return ""


def print_exact(results, out=sys.stdout):
    """The exact command table: per command line, on how many captures it
    passes, which ones fail and what differs on the first failing one."""
    print("=" * 78, file=out)
    passed = sum(r["ok"] for r in results)
    print("exact command lines: %d/%d (command, capture) pairs pass" % (passed, len(results)),
          file=out)
    for command in dict.fromkeys(r["command"] for r in results):
        rs = [r for r in results if r["command"] == command]
        bad = [r for r in rs if not r["ok"]]
        print("  %-4s bpfcap %-36s %d/%d captures" % ("FAIL" if bad else "pass", command,
                                                       len(rs) - len(bad), len(rs)), file=out)
        if bad:
            print("         failing on: %s" % ", ".join(r["file"] for r in bad), file=out)
            for d in bad[0]["differences"]:
                print("         [%s] %s" % (bad[0]["file"], d), file=out)


# ---------------------------------------------------------------- main

def default_pcaps():
    """../shared/conformance/pcaps from the repository root; from a git
    worktree elsewhere, from the main checkout's root."""
    here = os.path.join(ROOT, "..", "shared", "conformance", "pcaps")
    if os.path.isdir(here):
        return os.path.normpath(here)
    try:
        common = subprocess.run(["git", "rev-parse", "--path-format=absolute",
                                 "--git-common-dir"], cwd=ROOT, capture_output=True,
                                text=True, timeout=10).stdout.strip()
        main = os.path.join(os.path.dirname(common), "..", "shared", "conformance", "pcaps")
        if common and os.path.isdir(main):
            return os.path.normpath(main)
    except (OSError, subprocess.SubprocessError):
        pass
    return os.path.normpath(here)


def list_captures(directory):
    """The capture files of a folder (.pcap, .pcapng, .cap), sorted."""
    names = sorted(n for n in os.listdir(directory)
                   if n.endswith((".pcap", ".pcapng", ".cap"))
                   and os.path.isfile(os.path.join(directory, n)))
    return [os.path.join(directory, n) for n in names]


def sample_captures(paths, n, seed):
    """N captures picked with `seed`: first up to SAMPLE_PER_LINKTYPE of each
    of SAMPLE_LINKTYPES, then others at random; sorted by name."""
    if n >= len(paths):
        return paths
    rng = random.Random(seed)
    by_lt = collections.defaultdict(list)
    for p in paths:
        by_lt[linktype_name(read_linktype(p))].append(p)
    chosen = []
    for lt in SAMPLE_LINKTYPES:
        group = by_lt.get(lt, [])
        chosen += rng.sample(group, min(SAMPLE_PER_LINKTYPE, len(group)))
    rng.shuffle(chosen)
    chosen = chosen[:n]
    rest = [p for p in paths if p not in chosen]
    chosen += rng.sample(rest, n - len(chosen))
    return sorted(chosen)


def parse_args(argv):
    """Command line options."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    target = os.path.join(ROOT, os.environ.get("CARGO_TARGET_DIR", "target"))
    ap.add_argument("--bpfcap", default=os.path.join(target, "release", "bpfcap"),
                    help="the bpfcap binary (default: target/release/bpfcap)")
    ap.add_argument("--tcpdump", default="tcpdump", help="the tcpdump binary (on PATH)")
    ap.add_argument("--pcaps", default=default_pcaps(), help="folder of captures")
    ap.add_argument("--flags", action="append", metavar="SET",
                    help='a flag set, e.g. "-n -v" ("" for none); repeatable '
                         "(default: %s)" % ", ".join(repr(f) for f in DEFAULT_FLAG_SETS))
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1,
                    help="parallel workers (default: the number of CPUs)")
    ap.add_argument("--timeout", type=float, default=20.0, help="seconds per run (20)")
    ap.add_argument("--sample", type=int, metavar="N", help="only N captures")
    ap.add_argument("--linktypes", metavar="LT,LT", help="only captures of these link types "
                    "(names as in the report, e.g. EN10MB,LINUX_SLL)")
    ap.add_argument("--seed", type=int, default=16, help="of --sample's choice (16)")
    ap.add_argument("--top", type=int, default=15, help="kinds of difference shown (15)")
    ap.add_argument("--json", metavar="FILE", help="write all numbers to FILE")
    ap.add_argument("--targets", action="store_true",
                    help="check issue 16's thresholds; exit 1 if one is missed")
    ap.add_argument("--exact", action="store_true", help="also run the exact command lines")
    ap.add_argument("--only-exact", action="store_true", help="only the exact command lines")
    ap.add_argument("--exact-pcaps", default=",".join(EXACT_PCAPS),
                    help="captures (in --pcaps, or paths) for --exact")
    argv = list(sys.argv[1:] if argv is None else argv)
    # "--flags -n" would read -n as an option: glue the value on.
    for i in range(len(argv) - 2, -1, -1):
        if argv[i] == "--flags":
            argv[i:i + 2] = ["--flags=" + argv[i + 1]]
    return ap.parse_args(argv)


def main(argv=None):
    """Runs the comparison and reports. With --targets the exit status is 1
    when a threshold is missed or (with --exact) an exact line fails."""
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `| head` ends the report quietly
    a = parse_args(argv)
    for prog, what in ((a.bpfcap, "--bpfcap"), (a.tcpdump, "--tcpdump")):
        if not (os.path.isfile(prog) or any(os.path.isfile(os.path.join(d, prog)) for d in
                                            os.environ.get("PATH", "").split(os.pathsep))):
            sys.exit("print_compare: %s %s not found" % (what, prog))
    bpfcap = os.path.abspath(a.bpfcap) if os.path.isfile(a.bpfcap) else a.bpfcap
    if not os.path.isdir(a.pcaps):
        sys.exit("print_compare: --pcaps %s is not a folder" % a.pcaps)
    flag_sets = a.flags if a.flags is not None else DEFAULT_FLAG_SETS
    paths = list_captures(a.pcaps)
    if a.linktypes:
        wanted = set(a.linktypes.split(","))
        paths = [p for p in paths if linktype_name(read_linktype(p)) in wanted]
    if a.sample:
        paths = sample_captures(paths, a.sample, a.seed)
    report = {"bpfcap": bpfcap, "tcpdump": a.tcpdump, "pcaps": os.path.abspath(a.pcaps),
              "captures": [os.path.basename(p) for p in paths], "timeout": a.timeout}
    ok = True
    t0 = time.monotonic()
    with concurrent.futures.ProcessPoolExecutor(max_workers=max(1, a.jobs)) as pool:
        if not a.only_exact:
            tasks = [(p, f, a.tcpdump, bpfcap, a.timeout) for f in flag_sets for p in paths]
            results = list(pool.map(compare_capture_guarded, tasks, chunksize=4))
            summary = summarize(results, a.top)
            print_summary(summary)
            report["summary"] = summary
            report["results"] = results
            if a.targets:
                checks = check_targets(summary)
                ok &= print_targets(checks)
                report["targets"] = [dict(zip(("what", "value", "minimum", "ok"), c))
                                     for c in checks]
        if a.exact or a.only_exact:
            files = [f if os.path.sep in f else os.path.join(a.pcaps, f)
                     for f in a.exact_pcaps.split(",") if f]
            tasks = [(c, f, a.tcpdump, bpfcap, a.timeout) for f in files for c in EXACT_COMMANDS]
            exact = list(pool.map(exact_task, tasks))
            print_exact(exact)
            report["exact"] = exact
            ok &= all(r["ok"] for r in exact)
    report["seconds"] = round(time.monotonic() - t0, 1)
    print("=" * 78)
    print("%d captures x %d flag sets in %.1f s (bpfcap: %s)"
          % (len(paths), 0 if a.only_exact else len(flag_sets), report["seconds"], bpfcap))
    if a.json:
        with open(a.json, "w") as f:
            json.dump(report, f, indent=1)
    return 1 if a.targets and not ok else 0


if __name__ == "__main__":
    sys.exit(main())
