#!/usr/bin/env python3
"""Writes the small captures of the hex/ASCII dump goldens (stdlib only,
deterministic): packets whose -x/-X/-A dumps start where tcpdump's
longjmp or link header leaves them, and -e link headers.

    python3 print/tests/goldens/make_hexdump_captures.py

Files (next to this script; regen.sh makes their goldens with the others):
  core-hexdump-null.pcap  BSD loopback: AF 7 (ISO), a 2-byte frame, IPv4
  core-hexdump-sll.pcap   Linux cooked v1: a 10-byte frame
  core-hexdump-sll2.pcap  Linux cooked v2: a 12-byte frame
  core-hexdump-160.pcap   DLT 160 (unsupported): dumped twice under -x
  core-hexdump-ether.pcap Ethernet: RESP cut short inside a value, a
                          Hop-by-Hop header without its length, Geneve
                          without its header, PPPoE with an empty payload
  core-hexdump-ppp.pcap   PPP: with and without ff 03, a 3-byte frame
  core-hexdump-wlan.pcap  802.11: -e addresses of management, control and
                          data frames (To-DS, From-DS, CF/QoS subtypes),
                          frame control flags and duration (-v)
  core-hexdump-pflog.pcap pflog: -e reason and action names
  core-hexdump-fr.pcap    Frame Relay: -e flags (isis_stlv_asan-2.pcap of
                          tcpdump's tests)
"""

import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
BASE = 1_700_000_000


def write(name, dlt, frames):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, dlt))
        for i, (data, wirelen) in enumerate(frames):
            f.write(struct.pack("<IIII", BASE + i, 1000 * i, len(data), wirelen))
            f.write(data)


def ip4_tcp(payload_len, captured):
    tcp = struct.pack("!HHIIBBHHH", 6379, 40000, 1, 2, 0x50, 0x18, 1000, 0, 0)
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp) + payload_len, 1, 0, 64, 6, 0,
                     bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2]))
    return ip + tcp + captured


def main():
    udp = struct.pack("!HHHH", 1, 2, 8, 0)
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 28, 1, 0, 64, 17, 0,
                     bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2])) + udp
    null = [
        (struct.pack("<I", 7) + b"\x01\x02\x03", 7),
        (b"\x02\x00", 4),
        (struct.pack("<I", 2) + ip, 4 + len(ip)),
    ]
    write("core-hexdump-null.pcap", 0, null)
    write("core-hexdump-sll.pcap", 113, [(bytes([0, 0, 0, 1, 0, 6, 0, 0x11, 0x22, 0x33]), 60)])
    write("core-hexdump-sll2.pcap", 276, [(bytes([8, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 6]), 60)])
    write("core-hexdump-160.pcap", 160, [(bytes(range(0x40, 0x57)), 23)])
    eth = bytes([0, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xAA, 0xBB, 8, 0])
    resp = [
        (eth + ip4_tcp(22, b"Yes\xb2\xb2"), 14 + 40 + 22),
        (eth + ip4_tcp(22, b"+OK\r\n$3\r\nab"), 14 + 40 + 22),
    ]
    v6 = struct.pack("!IHBB16s16s", 0x60000000, 224, 0, 64, bytes(15) + b"\x01", bytes(15) + b"\x02")
    geneve = struct.pack("!HHHH", 1, 6081, 50, 0) + b"\x00\x00\x65\x58"
    ip_geneve = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 70, 1, 0, 64, 17, 0,
                            bytes([192, 0, 2, 1]), bytes([10, 0, 0, 2])) + geneve
    pppoe = struct.pack("!BBHH", 0x11, 0, 0x27, 0)
    eth6 = eth[:12] + b"\x86\xdd"
    eth_pppoe = eth[:12] + b"\x88\x64"
    resp += [
        (eth6 + v6 + b"\x3c", 14 + 40 + 224),
        (eth + ip_geneve, 14 + 70),
        (eth_pppoe + pppoe, 14 + 6),
    ]
    write("core-hexdump-ether.pcap", 1, resp)
    ppp = [
        (b"\x00\x21" + ip, 2 + len(ip)),
        (b"\xff\x03\x00\x21" + ip, 4 + len(ip)),
        (b"\xff\x03\x00", 3),
    ]
    write("core-hexdump-ppp.pcap", 9, ppp)
    mac = [bytes([0, 0x0C, 0x41, 0, 0, i]) for i in range(4)]
    llc_ip = b"\xaa\xaa\x03\x00\x00\x00\x08\x00" + ip

    def wlan(fc0, flags, addrs, body=b"", dur=314):
        return struct.pack("<BBH", fc0, flags, dur) + b"".join(addrs) + body

    mgmt_body = bytes(8) + struct.pack("<HH", 100, 0x12) + b"\x00\x02ab"
    wl = [
        wlan(0x80, 0x30, [mac[3], mac[1], mac[1], b"\x10\x00"], mgmt_body),  # beacon, Pwr Mgmt, More Data
        wlan(0xD4, 0x08, [mac[2]]),  # ACK, Retry
        wlan(0xB4, 0x00, [mac[2], mac[1]]),  # RTS
        wlan(0xA4, 0x00, [mac[1], mac[2]], dur=0xC001),  # PS-Poll: no duration
        wlan(0xC4, 0x00, [mac[2]]),  # CTS
        wlan(0xE4, 0x00, [mac[2], mac[1]]),  # CF-End
        wlan(0x08, 0x01, [mac[1], mac[2], mac[3], b"\x20\x00"], llc_ip),  # To-DS
        wlan(0x08, 0x02, [mac[1], mac[2], mac[3], b"\x30\x00"], llc_ip),  # From-DS
        wlan(0x88, 0x01, [mac[1], mac[2], mac[3], b"\x40\x00", b"\x00\x00"], llc_ip),  # QoS
        wlan(0x98, 0x02, [mac[1], mac[2], mac[3], b"\x50\x00", b"\x00\x00"], llc_ip),  # CF-Ack+QoS
        wlan(0x38, 0x42, [mac[1], mac[2], mac[3], b"\x60\x00"], bytes(8)),  # CF-Ack/Poll, Protected
    ]
    write("core-hexdump-wlan.pcap", 105, [(f, len(f)) for f in wl])

    def pflog(action, reason):
        h = struct.pack("!BBBB16s16sIIIiIiB3s", 61, 2, action, reason, b"em0", b"", 7, 0xFFFFFFFF,
                        0, -1, 0, -1, 1, b"")
        return h[:61] + bytes(3) + ip

    pf = [pflog(a, r) for a, r in [(3, 3), (4, 4), (5, 0), (7, 14), (9, 1), (10, 15), (11, 2)]]
    write("core-hexdump-pflog.pcap", 117, [(f, len(f)) for f in pf])


if __name__ == "__main__":
    main()
