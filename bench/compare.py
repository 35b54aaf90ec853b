#!/usr/bin/env python3
"""Side-by-side benchmark of bpfcap against tcpdump/libpcap, in one run.

  python3 bench/compare.py [--packets N] [--runs R] [--shared DIR] [--work DIR] [--no-compile]

1. Builds the shared generator (DIR/gen_pcap.c) and writes a big Ethernet
   capture (default 2,000,000 packets) into the work folder, once.
2. For every expression of DIR/exprs.txt and the 40-port list
   (DIR/port40.txt), times `bpfcap -r big.pcap -w /dev/null EXPR` and
   `tcpdump -r big.pcap -w /dev/null EXPR`, alternating, R runs each, and
   reports the median wall times and the throughput ratio.
3. Compile time of the 40-port list against libpcap's pcap_compile(), via
   bench/compile_series.py (which has the full compile tables; bench/run.sh
   runs both and passes --no-compile here to skip this step).

bpfcap is built with `cargo build --release` into target/ (or
$CARGO_TARGET_DIR).

Needs gcc, tcpdump and libpcap (apt-get install tcpdump). Not a test: the
numbers depend on the machine; compare ratios, measured together.
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

import compile_series
from compile_series import ROOT


def sh(*cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def timed(cmd):
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--packets", type=int, default=2_000_000)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--shared", default=os.path.join(ROOT, "..", "shared", "bench"))
    ap.add_argument("--work", default="/tmp/bpfcap-bench")
    ap.add_argument("--no-compile", action="store_true", help="skip the 40-port compile time")
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    gen = os.path.join(a.work, "gen_pcap")
    big = os.path.join(a.work, "big-%d.pcap" % a.packets)
    if not os.path.exists(gen):
        sh("gcc", "-O2", "-o", gen, os.path.join(a.shared, "gen_pcap.c"))
    if not os.path.exists(big):
        sh(gen, big, str(a.packets), stdout=subprocess.DEVNULL)
    sh("cargo", "build", "--release", "-q", "-p", "bpfcap", cwd=ROOT)
    target = os.path.join(ROOT, os.environ.get("CARGO_TARGET_DIR", "target"))
    bpfcap = os.path.join(target, "release", "bpfcap")
    exprs = [l.strip() for l in open(os.path.join(a.shared, "exprs.txt")) if l.strip()]
    port40 = open(os.path.join(a.shared, "port40.txt")).read().strip()
    size = os.path.getsize(big)
    print("capture: %s, %d packets, %.0f MB; %d runs each, medians" % (big, a.packets, size / 1e6, a.runs))
    print("%-48s %10s %10s %8s" % ("expression", "bpfcap s", "tcpdump s", "ratio"))
    ratios = []
    # exprs.txt may hold the 40-port list too: time it once, by name.
    for name, expr in [(e, e) for e in exprs if e != port40] + [("40-port list", port40)]:
        ours, theirs = [], []
        for _ in range(a.runs):
            ours.append(timed([bpfcap, "-r", big, "-w", "/dev/null", "--", expr]))
            theirs.append(timed(["tcpdump", "-r", big, "-w", "/dev/null", "--", expr]))
        o, t = statistics.median(ours), statistics.median(theirs)
        ratios.append(t / o)
        print("%-48s %10.3f %10.3f %7.2fx" % (name[:48], o, t, t / o))
    print("geometric mean ratio: %.2fx" % statistics.geometric_mean(ratios))
    if not a.no_compile:
        print()
        rows = compile_series.measure([("40-port list", port40)], budget=1.0)
        compile_series.print_table("compile time", rows)


if __name__ == "__main__":
    sys.exit(main())
