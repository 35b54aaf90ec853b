#!/usr/bin/env python3
"""Shrinks one bpfcap/tcpdump disagreement to a minimal reproducer.

run.py reports a FAIL line for a capture and a random expression that are
both larger than the cause.  This helper does delta debugging on both while
the disagreement persists:

  1. the packets: keeps one packet the tools disagree on (alone in its own
     capture; if it agrees alone, the verdict depended on earlier packets,
     which is itself a finding: libpcap's scratch memory is not reset
     between packets);
  2. the expression: replaces `A and B` / `A or B` by `A` or `B` and drops
     `not`, from the root down, as long as the tools still disagree the
     same way;
  3. the packet: cuts its captured bytes and sets its wire length to them.

It prints the reduced expression, the packet in hex, both tools' verdicts
and both listings (`tcpdump -d` and `bpfcap -d`, for the capture's link
type).

    python3 conformance/shrink.py [--bpfcap PATH] CAPTURE EXPRESSION

Python 3.11 standard library only; imports run.py for capture reading,
writing and running the tools.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run  # noqa: E402  (the runner next to this file)

BOOL_OPS = ("and", "or", "&&", "||")
TOKEN = re.compile(r"\s*(&&|\|\||!=|!|\(|\)|[^\s()!&|]+|[&|])")


# --------------------------------------------------------------------------
# The boolean structure of an expression: primitives stay token lists.

def tokenize(expr):
    return TOKEN.findall(expr)


def parse(tokens):
    """(tree, rest): tree is ("prim", text) | ("not", t) | (op, l, r)."""
    left, rest = _term(tokens)
    while rest and rest[0] in BOOL_OPS:
        right, rest2 = _term(rest[1:])
        left, rest = (rest[0], left, right), rest2
    return left, rest


def _term(tokens):
    if tokens and tokens[0] in ("not", "!"):
        t, rest = _term(tokens[1:])
        return ("not", t), rest
    if tokens and tokens[0] == "(":
        inner, rest = parse(tokens[1:])
        # `( ... )` followed by an operator or a relation is arithmetic.
        if rest and rest[0] == ")" and (len(rest) == 1 or rest[1] in BOOL_OPS or rest[1] == ")"):
            return inner, rest[1:]
    return _primitive(tokens)


def _primitive(tokens):
    """Tokens up to a boolean operator or an unmatched ')' at depth 0."""
    depth, i = 0, 0
    while i < len(tokens):
        t = tokens[i]
        if depth == 0 and (t in BOOL_OPS or t == ")"):
            break
        depth += {"(": 1, ")": -1}.get(t, 0)
        i += 1
    return ("prim", " ".join(tokens[:i])), tokens[i:]


def show(tree):
    if tree[0] == "prim":
        return tree[1]
    if tree[0] == "not":
        inner = show(tree[1])
        return "not " + (inner if tree[1][0] in ("prim", "not") else "(%s)" % inner)
    op, a, b = tree
    sa = show(a) if a[0] in ("prim", "not") else "(%s)" % show(a)
    sb = show(b) if b[0] in ("prim", "not") else "(%s)" % show(b)
    return "%s %s %s" % (sa, op, sb)


def smaller(tree):
    """Trees one step smaller than `tree`, the biggest cuts first."""
    if tree[0] == "prim":
        return
    if tree[0] == "not":
        yield tree[1]
        for s in smaller(tree[1]):
            yield ("not", s)
        return
    op, a, b = tree
    yield a
    yield b
    for s in smaller(a):
        yield (op, s, b)
    for s in smaller(b):
        yield (op, a, s)


# --------------------------------------------------------------------------
# Judging one (packets, expression).

class Judge:
    def __init__(self, args, linktype, tmp):
        self.args, self.linktype, self.tmp, self.n = args, linktype, tmp, 0

    def verdict(self, records, expr):
        """(tcpdump, bpfcap) verdicts: an error string or the kept indices."""
        self.n += 1
        cap = os.path.join(self.tmp, "in%d.pcap" % self.n)
        run.write_capture(cap, [(r.ts, r.data, r.wirelen) for r in records], self.linktype, "pcap-be-ns")
        out = []
        for cmd, tool in ((["--nano", "-n"], self.args.tcpdump), ([], self.args.bpfcap)):
            dst = os.path.join(self.tmp, "out%d" % self.n)
            rc, err = run.run_tool([tool] + cmd + ["-r", cap, "-w", dst, "--", expr], self.args.timeout)
            if rc != 0:
                out.append("error: %s" % err)
            else:
                kept = {r.ts for r in run.read_capture(dst)}
                out.append(tuple(i for i, r in enumerate(records) if r.ts in kept))
                os.unlink(dst)
        os.unlink(cap)
        return tuple(out)

    def differs(self, records, expr, kind):
        t, b = self.verdict(records, expr)
        if t == b or isinstance(t, str) and isinstance(b, str):
            return False
        return kind == ("exit" if isinstance(t, str) != isinstance(b, str) else "packets")


def kind_of(v):
    t, b = v
    return "exit" if isinstance(t, str) != isinstance(b, str) else "packets"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("capture")
    ap.add_argument("expression")
    ap.add_argument("--bpfcap", default=os.path.join(run.ROOT, "target", "release", "bpfcap"))
    ap.add_argument("--tcpdump", default="tcpdump")
    ap.add_argument("--timeout", type=float, default=60)
    args = ap.parse_args(argv)

    records = run.read_capture(args.capture)
    if not records:
        ap.error("%s has no packets" % args.capture)
    linktype = records[0].linktype
    expr = args.expression
    with tempfile.TemporaryDirectory(prefix="bpfcap-shrink-") as tmp:
        judge = Judge(args, linktype, tmp)
        v = judge.verdict(records, expr)
        if v[0] == v[1]:
            print("the tools agree on this capture and expression")
            return 1
        kind = kind_of(v)
        if kind == "packets":
            only = sorted(set(v[0]) ^ set(v[1]))
            alone = [i for i in only if judge.differs([records[i]], expr, kind)]
            if alone:
                records = [records[alone[0]]]
                print("packet %d of %s" % (alone[0], os.path.basename(args.capture)))
            else:
                print("packets %s differ only after the packets before them: the verdict depends on "
                      "state left by earlier packets (libpcap's scratch memory is not reset between "
                      "packets); keeping packets 0-%d" % (only, only[0]))
                records = records[: only[0] + 1]
        elif len(records) > 1:
            records = records[:1]
        # The expression, greedily from the root down.
        tree, rest = parse(tokenize(expr))
        if not rest and show(tree) and judge.differs(records, show(tree), kind):
            progress = True
            while progress:
                progress = False
                for cand in smaller(tree):
                    if judge.differs(records, show(cand), kind):
                        tree, progress = cand, True
                        break
            expr = show(tree)
        # The packet: fewer captured bytes, then a wire length to match.
        if kind == "packets" and len(records) == 1:
            r = records[0]
            for n in range(len(r.data) + 1):
                cut = run.Record(r.ts, r.wirelen, r.data[:n], linktype)
                if judge.differs([cut], expr, kind):
                    r = cut
                    break
            same = run.Record(r.ts, len(r.data), r.data, linktype)
            if judge.differs([same], expr, kind):
                r = same
            records = [r]
        t, b = judge.verdict(records, expr)
    print("expression: %s" % expr)
    print("link type %d" % linktype)
    for r in records:
        print("packet: caplen %d wirelen %d\n  %s" % (r.caplen, r.wirelen, r.data.hex()))
    print("tcpdump: %s\nbpfcap:  %s" % (t, b))
    with tempfile.TemporaryDirectory(prefix="bpfcap-shrink-") as tmp:
        cap = os.path.join(tmp, "min.pcap")
        run.write_capture(cap, [(r.ts, r.data, r.wirelen) for r in records], linktype, "pcap-be-ns")
        for name, tool in (("tcpdump -d", args.tcpdump), ("bpfcap -d", args.bpfcap)):
            p = subprocess.run([tool, "-r", cap, "-d", "--", expr], capture_output=True, text=True)
            err = "".join(l + "\n" for l in p.stderr.splitlines() if not l.startswith("reading from"))
            print("--- %s\n%s%s" % (name, p.stdout, err))
    return 0



if __name__ == "__main__":
    sys.exit(main())
