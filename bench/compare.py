#!/usr/bin/env python3
"""Side-by-side benchmark of bpfcap against tcpdump/libpcap, in one run.

  python3 bench/compare.py [--packets N] [--runs R] [--shared DIR] [--work DIR] [--no-compile]
                           [--pin CPU] [--baseline BIN] [--bpfcap BIN] [--exprs FILE]...
                           [--output ARGS] [--swapped] [--pcapng]

1. Builds the shared generator (DIR/gen_pcap.c) and writes a big Ethernet
   capture (default 2,000,000 packets) into the work folder, once.
2. For every expression of DIR/exprs.txt and the 40-port list
   (DIR/port40.txt), or of the --exprs files, times
   `bpfcap -r big.pcap -w /dev/null EXPR` and
   `tcpdump -r big.pcap -w /dev/null EXPR`, alternating, R runs each, and
   reports the median wall times and the throughput ratio.
   With --pin CPU every command also runs pinned to that one CPU
   (`taskset -c CPU`, both tools), interleaved with the unpinned runs, and
   two tables are printed: one CPU (both tools on CPU) and all CPUs (bpfcap
   may replay a big file on every CPU; tcpdump uses one).
   With --baseline BIN another bpfcap binary (e.g. main's) is timed in the
   same alternation, with its own ratio column, for before/after tables.
   A last table compares the CPU time (user + system, all threads) of the
   same runs (the pinned ones with --pin), steadier than wall time on a
   loaded machine.
   --output ARGS replaces `-w /dev/null` for both tools (e.g.
   --output=--count, --output='-s 100 -w /dev/null'); --swapped times a copy of the capture with its
   headers in the other byte order (written once, next to it); --pcapng
   times a pcapng copy of it (`editcap -F pcapng`, microsecond time
   stamps as in the pcap file, one enhanced packet block per packet;
   written once, next to it).
3. Compile time of the 40-port list against libpcap's pcap_compile(), via
   bench/compile_series.py (which has the full compile tables; bench/run.sh
   runs both and passes --no-compile here to skip this step).

bpfcap is built with `cargo build --release` into target/ (or
$CARGO_TARGET_DIR), unless --bpfcap names a binary.

Needs gcc, tcpdump and libpcap (apt-get install tcpdump; taskset for
--pin). Not a test: the numbers depend on the machine; compare ratios,
measured together.
"""
import argparse
import os
import shlex
import statistics
import struct
import subprocess
import sys
import time

import compile_series
from compile_series import ROOT


def sh(*cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def timed(cmd):
    """Wall time and CPU time (user + system, all threads) of one run."""
    t = time.perf_counter()
    child = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - t
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise subprocess.CalledProcessError(child.returncode, cmd)
    return wall, usage.ru_utime + usage.ru_stime


def swapped_copy(path):
    """A copy of the pcap file at `path` (in this host's byte order, as the
    generator writes it) with its file and record headers in the other
    byte order; written once."""
    out = path[: -len(".pcap")] + "-swapped.pcap"
    if os.path.exists(out):
        return out
    other = ">" if sys.byteorder == "little" else "<"
    with open(path, "rb") as f, open(out + ".part", "wb") as w:
        w.write(struct.pack(other + "IHHiIII", *struct.unpack("=IHHiIII", f.read(24))))
        while len(hdr := f.read(16)) == 16:
            secs, frac, caplen, wirelen = struct.unpack("=IIII", hdr)
            w.write(struct.pack(other + "IIII", secs, frac, caplen, wirelen))
            w.write(f.read(caplen))
    os.rename(out + ".part", out)
    return out


def pcapng_copy(path):
    """A pcapng copy of the pcap file at `path`, made by editcap (which
    keeps the microsecond time stamps); written once."""
    out = path[: -len(".pcap")] + ".pcapng"
    if not os.path.exists(out):
        sh("editcap", "-F", "pcapng", path, out + ".part")
        os.rename(out + ".part", out)
    return out


def table(title, names, times, baseline):
    """Prints one table: per expression the median times and ratios."""
    print(title)
    cols = ("before s", "bpfcap s", "tcpdump s", "ratio", "before") if baseline else ("bpfcap s", "tcpdump s", "ratio")
    print("%-60s" % "expression" + "".join("%10s" % c for c in cols))
    ratios, before_ratios = [], []
    for name in names:
        med = {tool: statistics.median(ts) for tool, ts in times[name].items()}
        o, t = med["bpfcap"], med["tcpdump"]
        ratios.append(t / o)
        row = "%-60s" % name[:60]
        if baseline:
            b = med["before"]
            before_ratios.append(t / b)
            row += "%10.3f" % b
        row += "%10.3f%10.3f%9.2fx" % (o, t, t / o)
        if baseline:
            row += "%9.2fx" % (t / b)
        print(row)
    line = "geometric mean ratio: %.2fx" % statistics.geometric_mean(ratios)
    if baseline:
        line += " (before: %.2fx; after/before speed-up %.2fx)" % (
            statistics.geometric_mean(before_ratios),
            statistics.geometric_mean(ratios) / statistics.geometric_mean(before_ratios),
        )
    print(line)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--packets", type=int, default=2_000_000)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--shared", default=os.path.join(ROOT, "..", "shared", "bench"))
    ap.add_argument("--work", default="/tmp/bpfcap-bench")
    ap.add_argument("--no-compile", action="store_true", help="skip the 40-port compile time")
    ap.add_argument("--pin", metavar="CPU", help="also time both tools pinned to this CPU (taskset -c)")
    ap.add_argument("--baseline", metavar="BIN", help="another bpfcap binary to time alongside (before/after)")
    ap.add_argument("--bpfcap", metavar="BIN", help="the bpfcap binary to time (default: build target/release/bpfcap)")
    ap.add_argument("--exprs", metavar="FILE", action="append",
                    help="expressions, one per line (repeatable; default: DIR/exprs.txt and the 40-port list)")
    ap.add_argument("--output", metavar="ARGS", default="-w /dev/null",
                    help="what both tools do with matching packets (default: -w /dev/null)")
    ap.add_argument("--swapped", action="store_true",
                    help="time a copy of the capture in the other byte order")
    ap.add_argument("--pcapng", action="store_true",
                    help="time a pcapng copy of the capture (made with editcap)")
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    gen = os.path.join(a.work, "gen_pcap")
    big = os.path.join(a.work, "big-%d.pcap" % a.packets)
    if not os.path.exists(gen):
        sh("gcc", "-O2", "-o", gen, os.path.join(a.shared, "gen_pcap.c"))
    if not os.path.exists(big):
        sh(gen, big, str(a.packets), stdout=subprocess.DEVNULL)
    if a.swapped:
        big = swapped_copy(big)
    if a.pcapng:
        big = pcapng_copy(big)
    if a.bpfcap:
        bpfcap = a.bpfcap
    else:
        sh("cargo", "build", "--release", "-q", "-p", "bpfcap", cwd=ROOT)
        target = os.path.join(ROOT, os.environ.get("CARGO_TARGET_DIR", "target"))
        bpfcap = os.path.join(target, "release", "bpfcap")
    port40 = open(os.path.join(a.shared, "port40.txt")).read().strip()
    if a.exprs:
        exprs = [l.strip() for f in a.exprs for l in open(f) if l.strip() and not l.startswith("#")]
        cases = [("40-port list" if e == port40 else e, e) for e in exprs]
    else:
        exprs = [l.strip() for l in open(os.path.join(a.shared, "exprs.txt")) if l.strip()]
        # exprs.txt may hold the 40-port list too: time it once, by name.
        cases = [(e, e) for e in exprs if e != port40] + [("40-port list", port40)]
    tools = [("bpfcap", bpfcap), ("tcpdump", "tcpdump")]
    if a.baseline:
        tools.insert(0, ("before", a.baseline))
    modes = [("all", [])] + ([("one", ["taskset", "-c", a.pin])] if a.pin else [])
    size = os.path.getsize(big)
    print("capture: %s, %d packets, %.0f MB; %d runs each, medians; %s" % (big, a.packets, size / 1e6, a.runs, a.output))
    output = shlex.split(a.output)
    times = {m: {name: {t: [] for t, _ in tools} for name, _ in cases} for m, _ in modes}
    cpu = {m: {name: {t: [] for t, _ in tools} for name, _ in cases} for m, _ in modes}
    for name, expr in cases:
        for _ in range(a.runs):
            for mode, prefix in modes:
                for tool, binary in tools:
                    wall, used = timed(prefix + [binary, "-r", big] + output + ["--", expr])
                    times[mode][name][tool].append(wall)
                    cpu[mode][name][tool].append(used)
        print("  timed: %s" % name[:60], file=sys.stderr)
    names = [n for n, _ in cases]
    if a.pin:
        table("one CPU (taskset -c %s for both tools):" % a.pin, names, times["one"], a.baseline)
        print()
        table("all CPUs (%d; tcpdump uses one, bpfcap may use all for big files):" % os.cpu_count(),
              names, times["all"], a.baseline)
    else:
        table("all CPUs:", names, times["all"], a.baseline)
    # On a loaded machine the wall time is mostly waiting for a CPU; the
    # CPU time each run used (user + system, every thread) is steadier.
    print()
    table("CPU time (user + system), one CPU:" if a.pin else "CPU time (user + system):",
          names, cpu["one" if a.pin else "all"], a.baseline)
    if not a.no_compile:
        print()
        rows = compile_series.measure([("40-port list", port40)], budget=1.0)
        compile_series.print_table("compile time", rows)


if __name__ == "__main__":
    sys.exit(main())
