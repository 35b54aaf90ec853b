#!/usr/bin/env python3
"""Side-by-side benchmark of bpfcap against tcpdump/libpcap, in one run.

  python3 bench/compare.py [--packets N] [--runs R] [--shared DIR] [--work DIR]

1. Builds the shared generator (DIR/gen_pcap.c) and writes a big Ethernet
   capture (default 2,000,000 packets) into the work folder, once.
2. For every expression of DIR/exprs.txt and the 40-port list
   (DIR/port40.txt), times `bpfcap -r big.pcap -w /dev/null EXPR` and
   `tcpdump -r big.pcap -w /dev/null EXPR`, alternating, R runs each, and
   reports the median wall times and the throughput ratio.
3. Compile time of the 40-port list: bpfcap's `cargo bench` figure and
   libpcap's pcap_compile() through ctypes, timed the same way.

Needs gcc, tcpdump and libpcap (apt-get install tcpdump). Not a test: the
numbers depend on the machine; compare ratios, measured together.
"""
import argparse
import ctypes
import ctypes.util
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def sh(*cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def timed(cmd):
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t


def libpcap_compile_seconds(expr, budget=1.0):
    """Mean time of pcap_compile(expr) for Ethernet, optimizer on."""
    lib = ctypes.CDLL(ctypes.util.find_library("pcap") or "libpcap.so.0.8")
    lib.pcap_open_dead.restype = ctypes.c_void_p
    lib.pcap_compile.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.c_uint32]
    lib.pcap_freecode.argtypes = [ctypes.c_void_p]
    handle = lib.pcap_open_dead(1, 262144)
    prog = ctypes.create_string_buffer(16)
    n, start = 0, time.perf_counter()
    while time.perf_counter() - start < budget:
        if lib.pcap_compile(handle, prog, expr.encode(), 1, 0xFFFFFFFF) != 0:
            raise SystemExit("libpcap cannot compile the expression")
        lib.pcap_freecode(prog)
        n += 1
    return (time.perf_counter() - start) / n


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--packets", type=int, default=2_000_000)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--shared", default=os.path.join(ROOT, "..", "shared", "bench"))
    ap.add_argument("--work", default="/tmp/bpfcap-bench")
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    gen = os.path.join(a.work, "gen_pcap")
    big = os.path.join(a.work, "big-%d.pcap" % a.packets)
    if not os.path.exists(gen):
        sh("gcc", "-O2", "-o", gen, os.path.join(a.shared, "gen_pcap.c"))
    if not os.path.exists(big):
        sh(gen, big, str(a.packets), stdout=subprocess.DEVNULL)
    sh("cargo", "build", "--release", "-q", "-p", "bpfcap", cwd=ROOT)
    bpfcap = os.path.join(ROOT, "target", "release", "bpfcap")
    exprs = [l.strip() for l in open(os.path.join(a.shared, "exprs.txt")) if l.strip()]
    port40 = open(os.path.join(a.shared, "port40.txt")).read().strip()
    size = os.path.getsize(big)
    print("capture: %s, %d packets, %.0f MB; %d runs each, medians" % (big, a.packets, size / 1e6, a.runs))
    print("%-48s %10s %10s %8s" % ("expression", "bpfcap s", "tcpdump s", "ratio"))
    ratios = []
    for name, expr in [(e, e) for e in exprs] + [("40-port list", port40)]:
        ours, theirs = [], []
        for _ in range(a.runs):
            ours.append(timed([bpfcap, "-r", big, "-w", "/dev/null", "--", expr]))
            theirs.append(timed(["tcpdump", "-r", big, "-w", "/dev/null", "--", expr]))
        o, t = statistics.median(ours), statistics.median(theirs)
        ratios.append(t / o)
        print("%-48s %10.3f %10.3f %7.2fx" % (name[:48], o, t, t / o))
    print("geometric mean ratio: %.2fx" % statistics.geometric_mean(ratios))
    out = subprocess.run(["cargo", "bench", "-q", "-p", "filter-compiler"], cwd=ROOT,
                         capture_output=True, text=True).stdout
    ours = [l for l in out.splitlines() if l.startswith("compile 40-port")]
    print(ours[0] if ours else out)
    print("libpcap pcap_compile 40-port list: %.1f µs" % (libpcap_compile_seconds(port40) * 1e6))


if __name__ == "__main__":
    sys.exit(main())
