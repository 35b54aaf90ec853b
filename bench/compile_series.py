#!/usr/bin/env python3
"""Compile time and program size: bpfcap against libpcap, per expression.

  python3 bench/compile_series.py [--shared DIR] [--budget S] [--timeout S] [--sizes 5,10,...]
                                  [--clock cpu|wall] [--bpfcap BIN] [--targets-only]

Prints three tables, each row: bpfcap and libpcap mean µs per compile, the
ratio libpcap/bpfcap (above 1: bpfcap compiles faster) and both programs'
instruction counts:
  (a) every expression of DIR/exprs.txt and the 40-port list DIR/port40.txt;
  (b) `port P1 or port P2 or ...`, N distinct ports, N in --sizes;
  (c) `host A1 or ...` and `ip host A1 or ...`, N distinct IPv4 addresses
      (plain `host` on Ethernet also matches ARP/RARP, a bigger program);
then (d), the compile-time targets of issue 15, each against libpcap in
the same run: `tcp` and the other small expressions no slower than
pcap_compile, the 40-port list under 0.2 ms, 1,000 `host`s under 10 ms,
16,000 `host`s and 16,000 `port`s under 1 s and 300 MB; the big lists
also end to end, `bpfcap -d -F FILE` against `tcpdump -d -F FILE` (wall
and CPU seconds, peak resident memory, from wait4), with --bpfcap BIN
(default target/release/bpfcap, built if missing).

--clock cpu (the default) times the compiling thread's CPU time on both
sides (CLOCK_THREAD_CPUTIME_ID in the Rust bench, time.thread_time() around
pcap_compile): on a shared machine the wall clock also counts the time
spent waiting for a CPU. --clock wall times the wall clock.

Both compile for Ethernet with the optimizer on. libpcap is timed through
ctypes (pcap_compile on a pcap_open_dead handle); bpfcap through its
`compile` bench (filter-compiler/benches/compile.rs), one cargo invocation
for a whole table. Every expression gets --budget seconds (default 0.2) per
compiler but at least one compile. libpcap's optimizer needs minutes for a
thousand ports, so a libpcap compile is abandoned after --timeout seconds
(default 10) and shown as a lower bound, `>T`. `error` marks a compiler
refusing the expression; the messages follow the table.

As a module (bench/compare.py): measure() and print_table().
"""
import argparse
import collections
import signal
import ctypes
import ctypes.util
import functools
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SIZES = [5, 10, 20, 50, 100, 200, 500, 1000]

# seconds: mean per compile, or None with error set; timed_out: seconds is
# only the time limit libpcap did not finish one compile in (a lower bound).
Result = collections.namedtuple("Result", "seconds insns error timed_out", defaults=(False,))


class _BpfProgram(ctypes.Structure):
    _fields_ = [("bf_len", ctypes.c_uint), ("bf_insns", ctypes.c_void_p)]


@functools.cache
def _libpcap():
    lib = ctypes.CDLL(ctypes.util.find_library("pcap") or "libpcap.so.0.8")
    lib.pcap_open_dead.restype = ctypes.c_void_p
    lib.pcap_open_dead.argtypes = [ctypes.c_int, ctypes.c_int]
    lib.pcap_compile.argtypes = [ctypes.c_void_p, ctypes.POINTER(_BpfProgram),
                                 ctypes.c_char_p, ctypes.c_int, ctypes.c_uint32]
    lib.pcap_freecode.argtypes = [ctypes.POINTER(_BpfProgram)]
    lib.pcap_geterr.restype = ctypes.c_char_p
    lib.pcap_geterr.argtypes = [ctypes.c_void_p]
    lib.pcap_close.argtypes = [ctypes.c_void_p]
    return lib


CLOCKS = {"cpu": time.thread_time, "wall": time.perf_counter}


def libpcap_compile(expr, budget, timeout, clock="cpu"):
    """libpcap's Result for expr, giving up after `timeout` seconds.

    One pcap_compile cannot be interrupted and libpcap's optimizer takes
    minutes on a 1000-port list, so it runs in a child process that is
    killed at the time limit.
    """
    with multiprocessing.Pool(1) as pool:  # leaving the block kills the child
        try:
            return pool.apply_async(_libpcap_compile, (expr, budget, clock)).get(timeout)
        except multiprocessing.TimeoutError:
            return Result(timeout, None, "no result within %g s" % timeout, True)


def _libpcap_compile(expr, budget, clock):
    """Mean time of pcap_compile(expr) (DLT_EN10MB, optimize on, netmask unknown).

    Same rule as the Rust bench: the first compile gives the instruction
    count and counts as the measurement only if it used up the budget, so
    that a huge expression costs one compile, not two.
    """
    lib, prog, now = _libpcap(), _BpfProgram(), CLOCKS[clock]
    handle = lib.pcap_open_dead(1, 262144)  # DLT_EN10MB, snaplen as tcpdump

    def once():
        if lib.pcap_compile(handle, ctypes.byref(prog), expr.encode(), 1, 0xFFFFFFFF) != 0:
            return lib.pcap_geterr(handle).decode(errors="replace")
        insns = prog.bf_len
        lib.pcap_freecode(ctypes.byref(prog))
        return insns

    try:
        start = now()
        insns = once()
        first = now() - start
        if isinstance(insns, str):
            return Result(None, None, insns)
        if first >= budget:
            return Result(first, insns, None)
        n, start = 0, now()
        while n == 0 or now() - start < budget - first:
            once()
            n += 1
        return Result((now() - start) / n, insns, None)
    finally:
        lib.pcap_close(handle)


def bpfcap_compile(exprs, budget, clock="cpu"):
    """Results of the Rust `compile` bench for every expression, in order."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt") as f:
        f.write("".join(e + "\n" for e in exprs))
        f.flush()
        out = subprocess.run(
            ["cargo", "bench", "-q", "-p", "bpfcap-filter", "--bench", "compile", "--",
             "--exprs", f.name, "--budget-ms", str(int(budget * 1000)), "--clock", clock],
            cwd=ROOT, check=True, capture_output=True, text=True).stdout
    results = []
    for line in out.splitlines():
        if line.startswith("error: "):
            results.append(Result(None, None, line[len("error: "):]))
        else:
            us, insns = line.split()
            results.append(Result(float(us) / 1e6, int(insns), None))
    if len(results) != len(exprs):
        raise RuntimeError("compile bench printed %d lines for %d expressions:\n%s"
                           % (len(results), len(exprs), out))
    return results


def measure(named, budget=0.2, timeout=10.0, clock="cpu"):
    """[(name, expr)] -> [(name, bpfcap Result, libpcap Result)]."""
    ours = bpfcap_compile([e for _, e in named], budget, clock)
    return [(name, o, libpcap_compile(e, budget, timeout, clock))
            for (name, e), o in zip(named, ours)]


def print_table(title, rows):
    print(title)
    print("%-40s %12s %12s %8s %13s %13s" % ("expression", "bpfcap µs", "libpcap µs",
                                             "ratio", "bpfcap insns", "libpcap insns"))
    def fmt_us(r):
        if r.timed_out:
            return ">%.0f" % (r.seconds * 1e6)
        return "error" if r.error else "%.1f" % (r.seconds * 1e6)

    fmt_n = lambda r: "-" if r.error else str(r.insns)
    ratios, errors = [], []
    for name, o, t in rows:
        ratio = "-"
        if t.timed_out and not o.error:  # a lower bound, left out of the mean
            ratio = ">%.0fx" % (t.seconds / o.seconds)
        elif not (o.error or t.error):
            ratios.append(t.seconds / o.seconds)
            ratio = "%.2fx" % ratios[-1]
        print("%-40s %12s %12s %8s %13s %13s" % (name[:40], fmt_us(o), fmt_us(t), ratio, fmt_n(o), fmt_n(t)))
        errors += ["  %s: %s: %s" % (name[:40], who, r.error)
                   for who, r in (("bpfcap", o), ("libpcap", t)) if r.error and not r.timed_out]
    if ratios:
        print("geometric mean ratio (libpcap/bpfcap time): %.2fx" % statistics.geometric_mean(ratios))
    for e in errors:
        print(e)
    print()


def port_list(n):
    # 7919 is prime to 64000, so the n < 64000 ports are distinct and spread.
    return " or ".join("port %d" % (1024 + i * 7919 % 64000) for i in range(n))


def host_list(n, proto=""):
    # An odd multiplier is a bijection modulo 2**24: distinct 10.x.y.z addresses.
    addrs = (i * 2654435761 % (1 << 24) for i in range(n))
    return " or ".join("%shost 10.%d.%d.%d" % (proto, a >> 16, a >> 8 & 255, a & 255) for a in addrs)


# Run = end-to-end figures of one command: wall and CPU (user + system)
# seconds, peak resident kB; None where it did not finish in time.
Run = collections.namedtuple("Run", "wall cpu maxrss ok")


def end_to_end(argv, timeout):
    """Runs argv (output discarded) and reads its rusage from wait4."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = start + timeout
    while True:
        pid, status, ru = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            proc.send_signal(signal.SIGKILL)
            os.wait4(proc.pid, 0)
            return Run(None, None, None, False)
        time.sleep(0.005)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Run(wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss, proc.returncode == 0)


def targets(named_small, port40, bpfcap, budget, timeout, clock):
    """Table (d): each of issue 15's compile targets against libpcap."""
    print("(d) targets (issue 15 item 4), clock %s" % clock)
    small = measure(named_small, budget, timeout, clock)
    lists = [("40-port list", port40, 0.2e-3), ("1000 hosts", host_list(1000), 10e-3),
             ("16000 hosts", host_list(16000), 1.0), ("16000 ports", port_list(16000), 1.0)]
    big = measure([(n, e) for n, e, _ in lists], budget, timeout, clock)
    print("%-40s %12s %12s %8s  %s" % ("compile", "bpfcap µs", "libpcap µs", "ratio", "target"))

    def us(r):
        if r.timed_out:
            return ">%.0f" % (r.seconds * 1e6)
        return "error" if r.error else "%.1f" % (r.seconds * 1e6)

    def ratio(o, t):
        if o.error or (t.error and not t.timed_out):
            return "-"
        return ("%s%.2fx" % (">" if t.timed_out else "", t.seconds / o.seconds))

    for name, o, t in small:
        ok = not o.error and not t.error and o.seconds <= t.seconds
        print("%-40s %12s %12s %8s  %s %s" % (name[:40], us(o), us(t), ratio(o, t),
                                             "<= libpcap", "ok" if ok else "MISSED"))
    for (name, o, t), (_, _, limit) in zip(big, lists):
        ok = not o.error and o.seconds < limit
        print("%-40s %12s %12s %8s  < %g ms %s" % (name, us(o), us(t), ratio(o, t),
                                                  limit * 1e3, "ok" if ok else "MISSED"))
    for name, o, t in small + big:
        for who, r in (("bpfcap", o), ("libpcap", t)):
            if r.error and not r.timed_out:
                print("  %s: %s: %s" % (name[:40], who, r.error))
    print()
    print("%-16s %-8s %9s %9s %10s  %s" % ("end to end -d", "tool", "wall s", "cpu s",
                                            "peak MB", "target"))
    with tempfile.TemporaryDirectory() as d:
        for name, expr, limit in lists[1:]:
            path = os.path.join(d, "expr.txt")
            with open(path, "w") as f:
                f.write(expr)
            for tool, argv in (("bpfcap", [bpfcap, "-d", "-F", path]),
                               ("tcpdump", ["tcpdump", "-d", "-F", path])):
                # The time limit is libpcap's; bpfcap's run is never cut
                # short by a busy machine's wall clock.
                r = end_to_end(argv, timeout if tool == "tcpdump" else max(timeout, 300))
                if not r.ok:
                    print("%-16s %-8s %9s" % (name, tool, ">%g" % timeout if r.wall is None
                                              else "error"))
                    continue
                goal = ""
                if tool == "bpfcap":
                    took = r.cpu if clock == "cpu" else r.wall
                    met = took < limit and (limit < 1 or r.maxrss < 300 * 1024)
                    goal = "%s < %g s%s %s" % (clock, limit, ", < 300 MB" if limit >= 1 else "",
                                            "ok" if met else "MISSED")
                print("%-16s %-8s %9.3f %9.3f %10.1f  %s" % (name, tool, r.wall, r.cpu,
                                                          r.maxrss / 1024, goal))
    print()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=os.path.join(ROOT, "..", "shared", "bench"))
    ap.add_argument("--budget", type=float, default=0.2, help="seconds per expression and compiler")
    ap.add_argument("--timeout", type=float, default=10.0,
                    help="seconds after which a libpcap compile is abandoned (shown as >T)")
    ap.add_argument("--sizes", default=",".join(map(str, SIZES)))
    ap.add_argument("--clock", choices=sorted(CLOCKS), default="cpu")
    ap.add_argument("--bpfcap", default=os.path.join(ROOT, "target", "release", "bpfcap"),
                    help="binary for the end-to-end rows of (d)")
    ap.add_argument("--targets-only", action="store_true", help="print table (d) only")
    a = ap.parse_args()
    sizes = [int(s) for s in a.sizes.split(",")]
    port40 = open(os.path.join(a.shared, "port40.txt")).read().strip()
    exprs = [l.strip() for l in open(os.path.join(a.shared, "exprs.txt")) if l.strip()]
    # exprs.txt may hold the 40-port list too: list it once, by name.
    small = [(e, e) for e in exprs if e != port40]
    if not a.targets_only:
        print_table("(a) compile, shared expressions",
                    measure(small + [("40-port list", port40)], a.budget, a.timeout, a.clock))
        ports = [("%d ports" % n, port_list(n)) for n in sizes]
        print_table("(b) compile, N-port series", measure(ports, a.budget, a.timeout, a.clock))
        hosts = [("%d hosts" % n, host_list(n)) for n in sizes]
        hosts += [("%d ip hosts" % n, host_list(n, "ip ")) for n in sizes]
        print_table("(c) compile, N-host series", measure(hosts, a.budget, a.timeout, a.clock))
    if not os.path.exists(a.bpfcap):
        subprocess.run(["cargo", "build", "-q", "--release", "-p", "bpfcap"], cwd=ROOT, check=True)
    targets(small, port40, a.bpfcap, a.budget, a.timeout, a.clock)


if __name__ == "__main__":
    sys.exit(main())
