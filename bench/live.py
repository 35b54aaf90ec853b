#!/usr/bin/env python3
"""Live-capture benchmark: bpfcap against tcpdump, side by side, in one run.

  sudo python3 bench/live.py [--bpfcap PATH] [--tcpdump PATH] [--runs R]
                             [--packets N] [--rate PPS] [--settle S]
                             [--scenarios normal,overload] [--keep-pcaps DIR]

Needs root, iproute2, tcpdump and trafgen (apt-get install -y netsniff-ng
tcpdump iproute2). If trafgen is missing, a Python UDP flood generator is
used instead and the output says so (it is far slower, so drops are unlikely).

What it does
  1. Creates two network namespaces joined by a veth pair: A (capture side,
     10.88.0.1/24) and B (generator side, 10.88.0.2/24). No traffic leaves
     them; they are deleted at exit (try/finally), even on error.
  2. Writes a trafgen config of four UDP/IPv4 frames sent round-robin from B
     to A's MAC: 64 and 512 bytes to port 9 (matched by the filter) and 64 and
     512 bytes to ports 53 / 7777 (rejected), so half the packets match.
  3. For each scenario, for R runs, alternating the tools under the same
     conditions, starts `TOOL -i vethA -w FILE [-B KiB] 'udp port 9'` inside A
     (through `nsenter --net=...`, which execs, so the child pid is the tool),
     waits for its "listening on" line, runs trafgen in B for a fixed number
     of packets, waits --settle seconds, sends SIGINT, and collects the
     tool's exit statistics (captured / received by filter / dropped by
     kernel) and its CPU time (user+sys, from os.wait4 rusage).
       normal   : one generator, -B 2048
       overload : two generators at once (trafgen --cpus 2: one fork bound
                  to each vCPU, so the capture competes for CPU), default
                  buffer (no -B; --overload-buffer KiB to force one)
  4. Prints one row per run and, per scenario, the median CPU microseconds
     per captured packet and drops, with the bpfcap/tcpdump ratios.

This is a benchmark, not a test: numbers depend on the machine and load;
compare the ratios, measured together. tcpdump gets `-Z root` (so it can
write into the private work folder) and `-n`; neither changes the capture.
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
FILTER = "udp port 9"
NET = netpair.Pair("lb")
IP_A = netpair.IP_A


def trafgen_config(path, mac_a):
    frames = [(9, 64), (53, 64), (9, 512), (7777, 512)]
    netpair.write_trafgen_config(path, mac_a, [(40000, port, size - 14 - 20 - 8)
                                               for port, size in frames])


PY_FLOOD = r"""
import socket, sys
n = int(sys.argv[1]); s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
frames = [(9, 22), (53, 22), (9, 470), (7777, 470)]
bufs = [(b"A" * size, ("%s", port)) for port, size in frames]
for i in range(n):
    b, a = bufs[i & 3]
    s.sendto(b, a)
print("%%d packets outgoing" %% n)
""" % IP_A


def generator_cmd(use_trafgen, cfg, n, rate, cpus=1):
    if use_trafgen:
        return netpair.trafgen_cmd(NET, cfg, n, cpus, rate)
    return ["ip", "netns", "exec", NET.ns_b, sys.executable, "-c", PY_FLOOD, str(n)]


def run_capture(tool, path, out_file, buf_kib, gens, n, rate, cfg, use_trafgen, settle):
    cmd = [path, "-i", NET.veth_a, "-w", out_file]
    if tool == "tcpdump":
        cmd[1:1] = ["-n", "-Z", "root"]
    if buf_kib:
        cmd += ["-B", str(buf_kib)]
    cmd.append(FILTER)
    proc, lines, th = NET.start_in_a(cmd, "listening on", tool)
    try:
        t0 = time.perf_counter()
        # trafgen binds each fork to its own CPU, so "two generators" is one
        # trafgen with --cpus 2 (CPU0 and CPU1 both busy); two --cpus 1
        # processes would share CPU0. The Python fallback starts processes.
        if use_trafgen:
            cmds = [generator_cmd(True, cfg, n * gens, rate, cpus=gens)]
        else:
            cmds = [generator_cmd(False, cfg, n, rate)] * gens
        gprocs = [subprocess.Popen(c, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                  for c in cmds]
        sent = 0
        for g in gprocs:
            gout = g.communicate(timeout=300)[0]
            if g.returncode:
                raise RuntimeError("generator failed (rc %d): %s" % (g.returncode, gout))
            m = re.findall(r"(\d+) packets outgoing", gout)
            sent += sum(map(int, m)) if m else n
        gen_wall = time.perf_counter() - t0
        time.sleep(settle)
        text, ru = netpair.interrupt(proc, th, lines)
    except BaseException:
        proc.kill()
        raise

    def stat(word):
        return netpair.count(text, word)
    return dict(sent=sent, captured=stat("captured"), received=stat("received by filter"),
                dropped=stat("dropped by kernel"), cpu=ru.ru_utime + ru.ru_stime,
                gen_wall=gen_wall, rc=proc.returncode, err=text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bpfcap", default=os.path.join(ROOT, "target/release/bpfcap"))
    ap.add_argument("--tcpdump", default=shutil.which("tcpdump") or "/usr/bin/tcpdump")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--packets", type=int, default=1_000_000,
                    help="packets per generator per run (default 1,000,000)")
    ap.add_argument("--rate", type=int, default=0,
                    help="trafgen rate limit in pps for the normal scenario (0: unlimited)")
    ap.add_argument("--settle", type=float, default=1.0,
                    help="seconds between generator end and SIGINT")
    ap.add_argument("--overload-buffer", type=int, default=None,
                    help="-B KiB for the overload scenario (default: none, the tools' default)")
    ap.add_argument("--scenarios", default="normal,overload")
    ap.add_argument("--keep-pcaps", default=None, help="folder to write the captures into")
    a = ap.parse_args()
    if os.geteuid() != 0:
        sys.exit("needs root (network namespaces, AF_PACKET)")
    tools = [("bpfcap", a.bpfcap), ("tcpdump", a.tcpdump)]
    for name, p in tools:
        if not os.access(p, os.X_OK):
            sys.exit("%s not found at %s" % (name, p))
    use_trafgen = shutil.which("trafgen") is not None
    scen = {"normal": dict(gens=1, buf=2048, rate=a.rate),
            "overload": dict(gens=2, buf=a.overload_buffer, rate=0)}
    chosen = [s for s in a.scenarios.split(",") if s]

    work = a.keep_pcaps or tempfile.mkdtemp(prefix="livebench-")
    os.makedirs(work, exist_ok=True)
    results = {s: {t: [] for t, _ in tools} for s in chosen}
    try:
        mac = NET.setup()
        cfg = os.path.join(work, "trafgen.cfg")
        trafgen_config(cfg, mac)
        print("generator: %s; filter %r; %d packets per generator per run; %d runs"
              % ("trafgen (netsniff-ng)" if use_trafgen
                 else "FALLBACK python UDP flood (trafgen not found)",
                 FILTER, a.packets, a.runs))
        print("%-8s %-8s %3s %9s %9s %9s %9s %7s %9s %6s"
              % ("scenario", "tool", "run", "sent", "captured", "received", "dropped",
                 "cpu_s", "us/capt", "gen_s"))
        for s in chosen:
            c = scen[s]
            for r in range(a.runs):
                order = tools if r % 2 == 0 else tools[::-1]
                for name, path in order:
                    out = os.path.join(work, "%s-%s-%d.pcap" % (s, name, r))
                    res = run_capture(name, path, out, c["buf"], c["gens"], a.packets,
                                      c["rate"], cfg, use_trafgen, a.settle)
                    if not a.keep_pcaps:
                        os.unlink(out)
                    res["us"] = (res["cpu"] * 1e6 / res["captured"]) if res["captured"] else None
                    results[s][name].append(res)
                    print("%-8s %-8s %3d %9d %9s %9s %9s %7.3f %9s %6.2f%s"
                          % (s, name, r, res["sent"], netpair.fmt(res["captured"], "d"),
                             netpair.fmt(res["received"], "d"), netpair.fmt(res["dropped"], "d"),
                             res["cpu"], netpair.fmt(res["us"], ".3f"), res["gen_wall"],
                             "" if res["rc"] == 0 else "  (exit %d)" % res["rc"]),
                          flush=True)
                    if res["captured"] is None:
                        print("    stats missing; stderr was:\n    " +
                              res["err"].replace("\n", "\n    "))
    finally:
        NET.teardown()
        if not a.keep_pcaps:
            shutil.rmtree(work, ignore_errors=True)

    def med(xs):
        xs = [x for x in xs if x is not None]
        return statistics.median(xs) if xs else None

    def ratio(x, y):
        if x is None or y is None:
            return "-"
        if y == 0:
            return "equal (0/0)" if x == 0 else "inf"
        return "%.2f" % (x / y)
    print("\nmedians over %d runs" % a.runs)
    print("%-8s %-8s %10s %10s %10s %10s" % ("scenario", "tool", "captured", "dropped",
                                             "cpu_s", "us/capt"))
    for s in chosen:
        m = {}
        for name, _ in tools:
            rs = results[s][name]
            m[name] = {k: med([x[k] for x in rs]) for k in ("captured", "dropped", "cpu", "us")}
            print("%-8s %-8s %10s %10s %10.3f %10s"
                  % (s, name, netpair.fmt(m[name]["captured"], ".0f"), netpair.fmt(m[name]["dropped"], ".0f"),
                     m[name]["cpu"], netpair.fmt(m[name]["us"], ".3f")))
        b, t = m["bpfcap"], m["tcpdump"]
        print("%-8s bpfcap/tcpdump: CPU per captured packet %s, drops %s, captured %s"
              % (s, ratio(b["us"], t["us"]), ratio(b["dropped"], t["dropped"]),
                 ratio(b["captured"], t["captured"])))


if __name__ == "__main__":
    main()
