#!/usr/bin/env python3
"""Do two bpfcap builds compile every expression to the same programs?

  python3 bench/same_listings.py BEFORE AFTER [--shared DIR] [--corpus DIR] [-j N]

For changes that must not change output (compile-speed work): compiles
each expression with both binaries and compares, byte for byte, the exit
status, stdout and stderr of `bpfcap -d -y LINK [-O | --optimize-size]`
for ten link types, and the eBPF socket-filter and XDP objects
(`bpfcap compile --target ebpf-socket|xdp`) for Ethernet. Expressions: the
conformance corpus's valid and invalid ones (--corpus, default
../shared/conformance/split/visible), tests/goldens/expressions.txt,
the shared bench's (--shared) and bench/exprs-extra.txt, and the port,
host and `ip host` lists of bench/compile_series.py with 1 to 1000
alternatives (the long ones on Ethernet and RAW only). Prints every case
that differs, then the counts; exits 1 if any differs.
"""
import argparse
import concurrent.futures
import hashlib
import os
import subprocess
import sys

from compile_series import host_list, port_list

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LINKS = ["EN10MB", "RAW", "LINUX_SLL", "NULL", "IEEE802_11_RADIO", "JUNIPER_ETHER", "PPP",
         "FDDI", "LINUX_SLL2", "IPV4"]
VARIANTS = [(), ("-O",), ("--optimize-size",)]


def lines(path):
    if not os.path.exists(path):
        return []
    return [l.rstrip("\n") for l in open(path) if l.strip() and not l.startswith("#")]


def expressions(shared, corpus):
    exprs = lines(os.path.join(corpus, "expressions.txt"))
    exprs += lines(os.path.join(corpus, "invalid.txt"))
    exprs += lines(os.path.join(ROOT, "tests", "goldens", "expressions.txt"))
    exprs += lines(os.path.join(shared, "exprs.txt")) + lines(os.path.join(shared, "port40.txt"))
    exprs += [l.split("\t")[0] for l in lines(os.path.join(ROOT, "bench", "exprs-extra.txt"))]
    for n in [1, 2, 3, 5, 10, 20, 50, 100, 200, 1000]:
        exprs += [port_list(n), host_list(n), host_list(n, "ip ")]
    return list(dict.fromkeys(exprs))


def cases(exprs):
    for e in exprs:
        big = len(e) > 3000
        for link in LINKS[:2] if big else LINKS:
            for v in VARIANTS:
                yield ["-d", "-y", link, *v, e]
        yield ["compile", "--target", "ebpf-socket", "-o", "-", "-y", "EN10MB", e]
        if not big:
            yield ["compile", "--target", "xdp", "-o", "-", "-y", "EN10MB", e]


def run(binary, args):
    p = subprocess.run([binary, *args], capture_output=True)
    return p.returncode, hashlib.sha256(p.stdout).hexdigest(), p.stderr


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("before")
    ap.add_argument("after")
    ap.add_argument("--shared", default=os.path.join(ROOT, "..", "shared", "bench"))
    ap.add_argument("--corpus", default=os.path.join(ROOT, "..", "shared", "conformance", "split",
                                                     "visible"))
    ap.add_argument("-j", type=int, default=2)
    a = ap.parse_args()
    exprs = expressions(a.shared, a.corpus)
    todo = list(cases(exprs))
    both = lambda args: (args, run(a.before, args), run(a.after, args))
    differ = 0
    with concurrent.futures.ThreadPoolExecutor(a.j) as pool:
        for args, x, y in pool.map(both, todo):
            if x != y:
                differ += 1
                print("differs:", " ".join(args[:-1]), args[-1][:100])
    print("expressions %d, cases %d, identical %d, different %d"
          % (len(exprs), len(todo), len(todo) - differ, differ))
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
