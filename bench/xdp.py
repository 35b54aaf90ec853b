#!/usr/bin/env python3
"""XDP drop-rate benchmark: bpfcap's compiled filter against a drop-all, in one run.

  sudo python3 bench/xdp.py [--bpfcap PATH] [--runs R] [--packets N]
                            [--cpus C] [--modes native,skb] [--settle S]

Needs root, iproute2 and trafgen (apt-get install -y netsniff-ng iproute2).

What it does
  1. Creates two network namespaces joined by a veth pair: A (receiving side,
     10.88.0.1/24, where the XDP program is attached to the veth) and B
     (generator side, 10.88.0.2/24). They are deleted at exit (try/finally).
  2. Writes a trafgen config of 64-byte UDP/IPv4 frames from B to A's MAC,
     all to port 9 (varying source ports), so every packet matches every
     program below and is dropped by each of them.
  3. Programs compared (all run through `bpfcap -i vethA --xdp --action drop
     [--xdp-mode M] EXPR` inside A, so they share the same loader and the same
     per-CPU counters):
       drop-all : EXPR = ''  -- the baseline: "drop-all (empty filter, with
                  counters)", i.e. bpfcap's XDP program with no filter code,
                  only the counter updates and XDP_DROP. Not a bare
                  `return XDP_DROP` object; it carries the same counter cost
                  as the filters, so the ratio isolates the filter code.
       filter   : EXPR = 'udp port 9'
       heavy    : EXPR = 'udp and (port 9 or port 53 or port 123) and ip[8] > 1'
  4. For each mode (native = veth driver XDP, skb = generic XDP) and each of R
     runs (program order rotated per run), starts bpfcap, waits for its
     "XDP program on" line, runs trafgen in B for N packets as fast as it can
     (--cpus C forks, one per CPU), waits --settle seconds, sends SIGINT and
     parses "N packets seen by XDP / matched / dropped". Also records vethA's
     RX packet counter delta (veth counts frames handed to XDP) and vethB TX
     drops (frames the veth could not queue to A).
  5. Rate = packets dropped by XDP / generator wall time. Prints one row per
     run, then medians per mode and program and the ratio of each filter's
     median rate to drop-all's (target >= 95%).

This is a benchmark, not a test: numbers depend on the machine and load.
On a veth pair the generator and the XDP program share the machine's CPUs;
if trafgen (not XDP) is the bottleneck, every program reaches the same rate
and the ratio is ~1.0 -- look at "seen" vs "sent" and the TX drops column:
when XDP is the bottleneck, frames are dropped by the veth before XDP.
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import netpair

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NET = netpair.Pair("xb")
PROGRAMS = [
    ("drop-all", ""),
    ("filter", "udp port 9"),
    ("heavy", "udp and (port 9 or port 53 or port 123) and ip[8] > 1"),
]


def link_stats(ns, dev):
    """(rx_packets, tx_packets, tx_dropped) of dev in ns, from `ip -s`."""
    out = subprocess.run(["ip", "-s", "-n", ns, "link", "show", dev],
                         check=True, capture_output=True, text=True).stdout
    lines = out.splitlines()
    rx = tx = None
    for i, line in enumerate(lines):
        if line.strip().startswith("RX:"):
            rx = lines[i + 1].split()
        elif line.strip().startswith("TX:"):
            tx = lines[i + 1].split()
    return int(rx[1]), int(tx[1]), int(tx[3])


def trafgen_config(path, mac_a):
    # 64-byte frames, all UDP to port 9; four source ports, round-robin.
    netpair.write_trafgen_config(path, mac_a, [(sp, 9, 22) for sp in range(40000, 40004)])


def run_one(bpfcap, mode, expr, cfg, n, cpus, settle):
    cmd = [bpfcap, "-i", NET.veth_a, "--xdp", "--action", "drop", "--xdp-mode", mode, expr]
    proc, lines, th = NET.start_in_a(cmd, "XDP program on", "bpfcap")
    try:
        rx0, _, _ = link_stats(NET.ns_a, NET.veth_a)
        _, tx0, txd0 = link_stats(NET.ns_b, NET.veth_b)
        gcmd = netpair.trafgen_cmd(NET, cfg, n, cpus)
        t0 = time.perf_counter()
        g = subprocess.run(gcmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True, timeout=300)
        gen_wall = time.perf_counter() - t0
        if g.returncode:
            raise RuntimeError("trafgen failed (rc %d): %s" % (g.returncode, g.stdout))
        m = re.findall(r"(\d+) packets outgoing", g.stdout)
        sent = sum(map(int, m)) if m else n
        time.sleep(settle)
        rx1, _, _ = link_stats(NET.ns_a, NET.veth_a)
        _, tx1, txd1 = link_stats(NET.ns_b, NET.veth_b)
        text, _ = netpair.interrupt(proc, th, lines)
    except BaseException:
        proc.kill()
        proc.wait()
        raise

    def stat(word):
        return netpair.count(text, word)
    dropped = stat("dropped")
    return dict(sent=sent, seen=stat("seen by XDP"), matched=stat("matched"),
                dropped=dropped, rx=rx1 - rx0, txdrop=txd1 - txd0, secs=gen_wall,
                mpps=(dropped / gen_wall / 1e6) if dropped is not None else None,
                rc=proc.returncode, err=text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bpfcap", default=os.path.join(ROOT, "target/release/bpfcap"))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--packets", type=int, default=3_000_000,
                    help="packets per run, total over the trafgen forks (default 3,000,000)")
    ap.add_argument("--cpus", type=int, default=1, help="trafgen --cpus (default 1)")
    ap.add_argument("--modes", default="native,skb")
    ap.add_argument("--settle", type=float, default=0.5,
                    help="seconds between generator end and SIGINT")
    a = ap.parse_args()
    if os.geteuid() != 0:
        sys.exit("needs root (network namespaces, XDP)")
    if not os.access(a.bpfcap, os.X_OK):
        sys.exit("bpfcap not found at %s" % a.bpfcap)
    if not shutil.which("trafgen"):
        sys.exit("trafgen not found (apt-get install -y netsniff-ng)")
    modes = [m for m in a.modes.split(",") if m]
    work = tempfile.mkdtemp(prefix="xdpbench-")
    results = {m: {p: [] for p, _ in PROGRAMS} for m in modes}
    try:
        mac = NET.setup()
        cfg = os.path.join(work, "trafgen.cfg")
        trafgen_config(cfg, mac)
        print("generator: trafgen --cpus %d, %d x 64-byte UDP/port-9 frames per run; "
              "%d runs; baseline drop-all = bpfcap XDP with empty filter (with counters)"
              % (a.cpus, a.packets, a.runs))
        for p, e in PROGRAMS:
            print("  %-8s %r" % (p, e))
        print("%-6s %-8s %3s %9s %9s %9s %9s %8s %7s %7s"
              % ("mode", "program", "run", "sent", "seen", "dropped", "vethA_rx",
                 "tx_drop", "secs", "Mpps"))
        for mode in modes:
            for r in range(a.runs):
                order = PROGRAMS[r % len(PROGRAMS):] + PROGRAMS[:r % len(PROGRAMS)]
                for p, expr in order:
                    res = run_one(a.bpfcap, mode, expr, cfg, a.packets, a.cpus, a.settle)
                    results[mode][p].append(res)
                    print("%-6s %-8s %3d %9d %9s %9s %9d %8d %7.3f %7s%s"
                          % (mode, p, r, res["sent"], netpair.fmt(res["seen"], "d"),
                             netpair.fmt(res["dropped"], "d"), res["rx"], res["txdrop"],
                             res["secs"], netpair.fmt(res["mpps"], ".3f"),
                             "" if res["rc"] == 0 else "  (exit %d)" % res["rc"]),
                          flush=True)
                    if res["dropped"] is None:
                        print("    stats missing; stderr was:\n    "
                              + res["err"].replace("\n", "\n    "))
    finally:
        NET.teardown()
        shutil.rmtree(work, ignore_errors=True)

    def med(xs):
        xs = [x for x in xs if x is not None]
        return statistics.median(xs) if xs else None

    print("\nmedians over %d runs" % a.runs)
    print("%-6s %-8s %10s %10s %8s %8s %20s"
          % ("mode", "program", "sent", "dropped", "secs", "Mpps", "ratio/drop-all"))
    for mode in modes:
        base = med([x["mpps"] for x in results[mode]["drop-all"]])
        for p, _ in PROGRAMS:
            rs = results[mode][p]
            mm = {k: med([x[k] for x in rs]) for k in ("sent", "dropped", "secs", "mpps")}
            if p == "drop-all" or base is None or mm["mpps"] is None:
                ratio = "(baseline)" if p == "drop-all" else "-"
            else:
                ratio = "%.1f%% %s" % (100 * mm["mpps"] / base,
                                       "ok" if mm["mpps"] >= 0.95 * base else "BELOW 95%")
            print("%-6s %-8s %10s %10s %8s %8s %20s"
                  % (mode, p, netpair.fmt(mm["sent"], ".0f"), netpair.fmt(mm["dropped"], ".0f"),
                     netpair.fmt(mm["secs"], ".3f"), netpair.fmt(mm["mpps"], ".3f"), ratio))


if __name__ == "__main__":
    main()
