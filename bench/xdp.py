#!/usr/bin/env python3
"""XDP benchmark: capture and drop, bpfcap against its counterparts, in one run.

  sudo python3 bench/xdp.py [--suite capture|drop|blocklist|all] [--bpfcap PATH]
                            [--runs R] [--seconds T] [--warmup W]
                            [--snaplen S] [--modes native,skb] [--tools a,b]

Needs root, iproute2 and trafgen (apt-get install -y netsniff-ng iproute2);
tcpdump and xdpdump (xdp-tools) are compared when installed.

What it does
  1. Creates two network namespaces joined by a veth pair: A (receiving side,
     10.88.0.1/24, where the tools capture or drop) and B (generator side).
     They are deleted at exit.
  2. For each run and each tool (order rotated per run): starts the tool in A
     (pinned to the last CPU with taskset, so all tools get the same CPU),
     waits for its ready line, starts trafgen in B (one process, which trafgen
     pins to CPU 0) sending 64-byte UDP frames to port 9 without a packet
     limit, lets it run --warmup seconds, then measures over --seconds:
       rate      = vethA's rx packet counter delta / measured time (frames
                   the veth handed to XDP or the stack: what the interface
                   received in that window, start-up excluded);
       cpu0 ns/p = busy time (all but idle and iowait) of the generator's CPU
                   per received packet, from /proc/stat -- the sender's
                   per-packet cost: on veth the receiver's XDP program and
                   stack run on the sender's CPU;
       gen ns/p  = the trafgen processes' own CPU time per received packet
                   (includes the softirq work done in their context);
       all ns/p  = busy time of all CPUs per received packet (the consumer
                   too);
       tool ns/p = the tool's own CPU time (user + system, whole run) per
                   packet it captured: the consumer's cost.
     Then stops trafgen, waits --settle seconds, SIGINTs the tool and parses
     its closing lines.
       captured% = what the tool says it captured / vethA rx over the whole
                   run (the same over the window, as the generator sends only
                   matching frames);
       cap Mpps  = rate x captured%: the rate at which packets reach the file.
       missed    = vethA rx over the whole run - captured (IPv6 is off on
                   the pair, so only the generator's frames are counted);
       lost      = what the tool says it lost: XDP's "lost (ring buffer
                   full)", AF_PACKET's "dropped by kernel", xdpdump's
                   "dropped by perf ring".
  3. Prints one row per run, then medians per tool with min-max spread, and
     checks the targets of issue 15: XDP capture rate >= AF_PACKET capture's
     and xdpdump's, nothing lost, and XDP capture's sender cost per packet
     <= 1.2 x XDP drop's.

Tools (suite "capture"; all write to a file in a tmpfs-backed temp dir):
  xdp-capdrop  bpfcap -i A --xdp --action capture-drop -w F udp
  xdp-capture  bpfcap -i A --xdp --action capture -w F udp
  af-bpfcap    bpfcap -i A -w F udp          (AF_PACKET, TPACKET_V3)
  af-tcpdump   tcpdump -i A -w F udp
  xdpdump      xdpdump -i A --load-xdp-program -w F   (perf ring, no filter)
  xdp-drop     bpfcap -i A --xdp --action drop udp
  xdp-pass     bpfcap -i A --xdp --action pass udp  (what capture adds to)
  old-capdrop, old-capture: --baseline's XDP capture, for before/after
Suite "drop" compares bpfcap's XDP drop with an empty filter (counters and
XDP_DROP only), 'udp port 9' and a heavier filter, per --modes.
Suite "blocklist" (issue 13, sets) drops the generator's frames, per --modes,
with a 1-address filter and with 100,000-address sets (`--set`), side by side
in the same rounds:
  one-host     bpfcap --xdp --action drop 'src host 10.88.0.2'
  set-1        the same as a set of one: 'src host @block', one line
  set-100k     'src host @block', 100,000 addresses (10.88.0.2 among them):
               the program is the same as set-1's, the hash map bigger
  net-100k     'src net @block', 99,999 /32s and 10.88.0.0/24: an LPM trie
and reports each rate as a percentage of one-host's.

This is a benchmark, not a test: the numbers depend on the machine and its
load. On a shared 2-CPU box, repeat (--runs) and read the spread.
"""
import argparse
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

import netpair

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NET = netpair.Pair("xb")
DROP_PROGRAMS = [
    ("drop-all", ""),
    ("filter", "udp port 9"),
    ("heavy", "udp and (port 9 or port 53 or port 123) and ip[8] > 1"),
]


def rx_packets(ns, dev):
    """rx_packets of dev in ns, from sysfs inside the namespace."""
    out = subprocess.run(["ip", "netns", "exec", ns, "cat",
                          "/sys/class/net/%s/statistics/rx_packets" % dev],
                         check=True, capture_output=True, text=True).stdout
    return int(out)


def cpu_times():
    """[(busy, total)] jiffies per CPU from /proc/stat."""
    res = []
    with open("/proc/stat") as f:
        for line in f:
            if re.match(r"cpu\d+ ", line):
                v = [int(x) for x in line.split()[1:]]
                idle = v[3] + v[4]
                res.append((sum(v[:8]) - idle, sum(v[:8])))
    return res


def tree_cpu(pid):
    """utime+stime (jiffies) of pid and its live descendants."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open("/proc/%d/stat" % p) as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
            for t in os.listdir("/proc/%d/task" % p):
                with open("/proc/%d/task/%s/children" % (p, t)) as f:
                    todo += [int(c) for c in f.read().split()]
        except (FileNotFoundError, ProcessLookupError):
            pass
    return total


def snapshot(gen_pid):
    return dict(t=time.perf_counter(), rx=rx_packets(NET.ns_a, NET.veth_a),
                cpus=cpu_times(), gen=tree_cpu(gen_pid))


def trafgen_config(path, mac_a):
    # 64-byte frames, all UDP to port 9; four source ports, round-robin.
    netpair.write_trafgen_config(path, mac_a, [(sp, 9, 22) for sp in range(40000, 40004)])


def tools(bpfcap, work, snaplen, baseline=None):
    """(name, argv without the output file, ready text, kind, writes a file)."""
    s = str(snaplen)
    ifa = NET.veth_a
    out = [
        ("xdp-capdrop", [bpfcap, "-i", ifa, "-s", s, "--xdp", "--action", "capture-drop",
                         "udp"], "XDP program on", "bpfcap-xdp", True),
        ("xdp-capture", [bpfcap, "-i", ifa, "-s", s, "--xdp", "--action", "capture", "udp"],
         "XDP program on", "bpfcap-xdp", True),
        ("af-bpfcap", [bpfcap, "-i", ifa, "-s", s, "udp"], "listening on", "afpacket", True),
    ]
    if shutil.which("tcpdump"):
        out.append(("af-tcpdump", ["tcpdump", "-Z", "root", "-i", ifa, "-s", s, "udp"],
                    "listening on",
                    "afpacket", True))
    if shutil.which("xdpdump"):
        out.append(("xdpdump", ["xdpdump", "-i", ifa, "-s", s, "--load-xdp-program"],
                    "listening on", "xdpdump", True))
    out.append(("xdp-drop", [bpfcap, "-i", ifa, "--xdp", "--action", "drop", "udp"],
                "XDP program on", "bpfcap-xdp", False))
    out.append(("xdp-pass", [bpfcap, "-i", ifa, "--xdp", "--action", "pass", "udp"],
                "XDP program on", "bpfcap-xdp", False))
    if baseline:
        for action in ("capture-drop", "capture"):
            name = "old-" + ("capdrop" if action == "capture-drop" else "capture")
            out.append((name, [baseline, "-i", ifa, "-s", s, "--xdp", "--action", action,
                               "udp"], "XDP program on", "bpfcap-xdp", True))
    return out


def parse(kind, text):
    """(captured, lost or None) from a tool's closing lines."""
    c = netpair.count
    if kind == "bpfcap-xdp":
        captured = c(text, "captured")
        if captured is None:
            captured = c(text, "matched")  # drop, pass: what the action applied to
        return captured, c(text, r"lost \(ring buffer full\)")
    if kind == "afpacket":
        return c(text, "captured"), c(text, "dropped by kernel")
    m = re.search(r"(\d+) packets? captured", text)
    d = re.search(r"(\d+) packets? dropped by perf ring", text)
    return (int(m.group(1)) if m else None), (int(d.group(1)) if d else None)


def run_one(name, argv, ready, kind, writes, work, cfg, a):
    outfile = os.path.join(work, name + ".pcap")
    if os.path.exists(outfile):
        os.unlink(outfile)
    cmd = ["taskset", "-c", str(os.cpu_count() - 1)] + argv
    if writes:
        cmd = cmd[:3] + [argv[0], "-w", outfile] + argv[1:]
    proc, lines, th = NET.start_in_a(cmd, ready, name)
    gen = None
    try:
        rx_start = rx_packets(NET.ns_a, NET.veth_a)
        # Its own process group: trafgen's forks stop on a SIGINT to all.
        gen = subprocess.Popen(netpair.trafgen_cmd(NET, cfg, 0, 1), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(a.warmup)
        s0 = snapshot(gen.pid)
        time.sleep(a.seconds)
        s1 = snapshot(gen.pid)
        os.killpg(gen.pid, signal.SIGINT)
        gen.wait(20)
        time.sleep(a.settle)
        rx_end = rx_packets(NET.ns_a, NET.veth_a)
        text, usage = netpair.interrupt(proc, th, lines)
    except BaseException:
        proc.kill()
        proc.wait()
        if gen and gen.poll() is None:
            os.killpg(gen.pid, signal.SIGKILL)
            gen.wait()
        raise
    dt = s1["t"] - s0["t"]
    rx = s1["rx"] - s0["rx"]
    hz = os.sysconf("SC_CLK_TCK")
    ns = lambda jiffies: (jiffies / hz * 1e9 / rx) if rx else None  # noqa: E731
    cpu0 = s1["cpus"][0][0] - s0["cpus"][0][0]
    allc = sum(b[0] for b in s1["cpus"]) - sum(b[0] for b in s0["cpus"])
    captured, dropped = parse(kind, text)
    total = rx_end - rx_start
    if kind == "bpfcap-xdp":
        # Frames that are not the generator's (XDP saw them, the filter
        # did not match): not missed.
        seen, matched = netpair.count(text, "seen by XDP"), netpair.count(text, "matched")
        if seen is not None and matched is not None:
            total -= seen - matched
    frac = (captured / total) if captured is not None and total else None
    rate = rx / dt / 1e6
    return dict(rate=rate, cap=(rate * frac) if frac is not None else None,
                frac=frac, captured=captured, total=total,
                missed=(total - captured) if captured is not None else None,
                lost=dropped, cpu0=ns(cpu0),
                tool=((usage.ru_utime + usage.ru_stime) * 1e9 / captured) if captured else None, gen=ns(s1["gen"] - s0["gen"]),
                all=ns(allc), rc=proc.returncode, err=text)


def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def spread(xs, spec):
    xs = [x for x in xs if x is not None]
    if not xs:
        return "-"
    return "%s..%s" % (format(min(xs), spec), format(max(xs), spec))


def run_suite(entries, work, cfg, a, label):
    """Runs each (name, argv, ready, kind, writes) a.runs times, rotated."""
    results = {e[0]: [] for e in entries}
    print("\n%s: trafgen 1 process, 64-byte UDP/port-9 frames, %.1f s warm-up, %.1f s "
          "measured, %d runs" % (label, a.warmup, a.seconds, a.runs))
    hdr = ("%-12s %3s %8s %8s %9s %9s %7s %7s %8s %8s %8s %8s"
           % ("tool", "run", "rx Mpps", "cap Mpps", "captured", "rx total", "missed", "lost",
              "cpu0ns/p", "genns/p", "allns/p", "toolns/p"))
    print(hdr)
    for r in range(a.runs):
        k = r % len(entries)
        for e in entries[k:] + entries[:k]:
            res = run_one(*e, work, cfg, a)
            results[e[0]].append(res)
            f = netpair.fmt
            print("%-12s %3d %8.3f %8s %9s %9d %7s %7s %8s %8s %8s %8s%s"
                  % (e[0], r, res["rate"], f(res["cap"], ".3f"), f(res["captured"], "d"),
                     res["total"], f(res["missed"], "d"), f(res["lost"], "d"),
                     f(res["cpu0"], ".0f"),
                     f(res["gen"], ".0f"), f(res["all"], ".0f"), f(res["tool"], ".0f"),
                     "" if res["rc"] == 0 else "  (exit %d)" % res["rc"]), flush=True)
            if res["captured"] is None:
                print("    stats missing; stderr was:\n    "
                      + res["err"].replace("\n", "\n    "))
    print("\nmedians over %d runs (min..max)" % a.runs)
    print("%-12s %16s %16s %7s %7s %16s %16s %8s %8s"
          % ("tool", "rx Mpps", "cap Mpps", "missed", "lost", "cpu0 ns/pkt", "gen ns/pkt",
             "all ns/p", "toolns/p"))
    meds = {}
    for name, rs in results.items():
        m = {k: med([x[k] for x in rs])
             for k in ("rate", "cap", "missed", "lost", "cpu0", "gen", "all", "tool")}
        meds[name] = m
        f = netpair.fmt
        print("%-12s %6s %9s %6s %9s %7s %7s %6s %9s %6s %9s %8s %8s"
              % (name, f(m["rate"], ".3f"), "(" + spread([x["rate"] for x in rs], ".2f") + ")",
                 f(m["cap"], ".3f"), "(" + spread([x["cap"] for x in rs], ".2f") + ")",
                 f(m["missed"], ".0f"), f(m["lost"], ".0f"),
                 f(m["cpu0"], ".0f"), "(" + spread([x["cpu0"] for x in rs], ".0f") + ")",
                 f(m["gen"], ".0f"), "(" + spread([x["gen"] for x in rs], ".0f") + ")",
                 f(m["all"], ".0f"), f(m["tool"], ".0f")))
    return meds, results


def paired(results, a, b, key):
    """Median over rounds of a's key / b's key in the same round, and the
    ratios: the machine's load changes between rounds more than within."""
    rs = [x[key] / y[key] for x, y in zip(results.get(a, []), results.get(b, []))
          if x[key] and y[key]]
    return (statistics.median(rs) if rs else None), rs


def check_targets(meds, results):
    def get(name, key):
        return meds.get(name, {}).get(key)
    print("\ntargets (issue 15, item 3), on the medians:")
    for a, b in (("xdp-capdrop", "xdp-drop"), ("xdp-capdrop", "af-bpfcap"),
                 ("xdp-capdrop", "af-tcpdump"), ("xdp-capdrop", "xdpdump"),
                 ("xdp-capture", "xdp-pass"), ("xdp-capture", "af-bpfcap"),
                 ("xdp-capture", "af-tcpdump"), ("xdp-capture", "xdpdump"),
                 ("xdp-capdrop", "old-capdrop"), ("xdp-capture", "old-capture")):
        for key in ("cap", "gen"):
            r, rs = paired(results, a, b, "rate" if key == "cap" and b.startswith("xdp-")
                           else key)
            if r is not None:
                print("  paired %-11s / %-11s %-4s %.2f (%s)"
                      % (a, b, "rate" if key == "cap" else "gen", r,
                         " ".join("%.2f" % x for x in rs)))
    for xdp in ("xdp-capdrop", "xdp-capture"):
        cap = get(xdp, "cap")
        if cap is None:
            continue
        for other in ("af-bpfcap", "af-tcpdump", "xdpdump"):
            o = get(other, "cap")
            if o is not None:
                print("  %-11s cap rate %.3f >= %-10s %.3f: %s"
                      % (xdp, cap, other, o, "ok" if cap >= o else "NO"))
        lost, missed = get(xdp, "lost"), get(xdp, "missed")
        print("  %-11s lost %s, missed %s: %s"
              % (xdp, netpair.fmt(lost, ".0f"), netpair.fmt(missed, ".0f"),
                 "ok" if lost == 0 and missed == 0 else "NO"))
        base = "xdp-drop" if xdp == "xdp-capdrop" else "xdp-pass"
        for b in ("xdp-drop", base) if base != "xdp-drop" else (base,):
            for key in ("cpu0", "gen"):
                c, d = get(xdp, key), get(b, key)
                if c and d:
                    print("  %-11s %s ns/pkt %.0f <= 1.2 x %s's %.0f (%.2fx): %s"
                          % (xdp, key, c, b, d, c / d, "ok" if c <= 1.2 * d else "NO"))


def blocklist_entries(bpfcap, work, mode):
    """The blocklist suite's tools: a 1-address filter, then sets."""
    def addresses(n):
        # 10.100.x.y..., then the generator's address.
        return ["10.%d.%d.%d" % (100 + (i >> 16), (i >> 8) & 255, i & 255)
                for i in range(n - 1)] + [netpair.IP_B]
    files = {
        "set-1": [netpair.IP_B],
        "set-100k": addresses(100_000),
        "net-100k": addresses(100_000)[:-1] + [netpair.IP_B.rsplit(".", 1)[0] + ".0/24"],
    }
    base = [bpfcap, "-i", NET.veth_a, "--xdp", "--action", "drop", "--xdp-mode", mode]
    out = [("one-host", base + ["src host %s" % netpair.IP_B], "XDP program on",
            "bpfcap-xdp", False)]
    for name, lines in files.items():
        path = os.path.join(work, name + ".txt")
        with open(path, "w") as f:
            f.write("\n".join(lines) + "\n")
        expr = "src net @block" if name.startswith("net") else "src host @block"
        out.append((name, base + ["--set", "block=" + path, expr], "XDP program on",
                    "bpfcap-xdp", False))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--suite", default="capture",
                    choices=["capture", "drop", "blocklist", "all"])
    ap.add_argument("--bpfcap", default=os.path.join(ROOT, "target/release/bpfcap"))
    ap.add_argument("--baseline", help="another bpfcap (e.g. main's) whose XDP capture "
                    "runs in the same rounds, as old-capdrop and old-capture")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--seconds", type=float, default=3.0, help="measured generator time")
    ap.add_argument("--warmup", type=float, default=0.7,
                    help="generator time before the measurement starts")
    ap.add_argument("--settle", type=float, default=0.5,
                    help="seconds between generator end and SIGINT")
    ap.add_argument("--snaplen", type=int, default=2048)
    ap.add_argument("--modes", default="native,skb", help="XDP modes of the drop suite")
    ap.add_argument("--tools", default="", help="only these tools of the capture suite")
    a = ap.parse_args()
    if os.geteuid() != 0:
        sys.exit("needs root (network namespaces, XDP)")
    if not os.access(a.bpfcap, os.X_OK):
        sys.exit("bpfcap not found at %s" % a.bpfcap)
    if not shutil.which("trafgen"):
        sys.exit("trafgen not found (apt-get install -y netsniff-ng)")
    work = tempfile.mkdtemp(prefix="xdpbench-", dir="/dev/shm" if os.path.isdir("/dev/shm")
                            else None)
    try:
        mac = NET.setup()
        cfg = os.path.join(work, "trafgen.cfg")
        trafgen_config(cfg, mac)
        print("bpfcap: %s; %d CPUs; tools pinned to CPU %d"
              % (a.bpfcap, os.cpu_count(), os.cpu_count() - 1))
        if a.suite in ("capture", "all"):
            entries = tools(a.bpfcap, work, a.snaplen, a.baseline)
            if a.tools:
                keep = a.tools.split(",")
                entries = [e for e in entries if e[0] in keep]
            check_targets(*run_suite(entries, work, cfg, a, "capture"))
        if a.suite in ("drop", "all"):
            for mode in [m for m in a.modes.split(",") if m]:
                entries = [(p, [a.bpfcap, "-i", NET.veth_a, "--xdp", "--action", "drop",
                                "--xdp-mode", mode, e], "XDP program on", "bpfcap-xdp",
                            False) for p, e in DROP_PROGRAMS]
                meds, _ = run_suite(entries, work, cfg, a, "drop, %s mode" % mode)
                base = meds["drop-all"]["rate"]
                for p, _ in DROP_PROGRAMS[1:]:
                    r = meds[p]["rate"]
                    if base and r:
                        print("  %-8s %.1f%% of drop-all's rate %s"
                              % (p, 100 * r / base, "ok" if r >= 0.95 * base else "BELOW 95%"))
        if a.suite in ("blocklist", "all"):
            for mode in [m for m in a.modes.split(",") if m]:
                entries = blocklist_entries(a.bpfcap, work, mode)
                meds, results = run_suite(entries, work, cfg, a, "blocklist, %s mode" % mode)
                for name in [e[0] for e in entries[1:]]:
                    ratio, _ = paired(results, name, "one-host", "rate")
                    if ratio:
                        print("  %-9s %.1f%% of one-host's rate (paired rounds' median) %s"
                              % (name, 100 * ratio, "ok" if ratio >= 0.95 else "BELOW 95%"))
    finally:
        NET.teardown()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
