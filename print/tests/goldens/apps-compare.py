#!/usr/bin/env python3
"""Measures the application printers over UDP on any captures: runs
tcpdump and bpfcap (-n, plus the -v flags given) on each file with the
filter `udp`, and compares the text after `a.p > b.q: ` (and the UDP
checksum verdict) packet by packet, skipping packets both print as
`UDP, length N`.

usage: apps-compare.py [-v|-vv|-vvv] [--ports 53,5353] [--show N] FILES...
       $BPFCAP, else the debug build of this work tree."""
import re, subprocess, sys
import os
BPFCAP = os.environ.get(
    "BPFCAP", os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../target/debug/bpfcap"))
args = sys.argv[1:]
flags = [a for a in args if a.startswith("-v")]
show = 5
if "--show" in args:
    i = args.index("--show"); show = int(args[i+1]); del args[i:i+2]
ports = None
if "--ports" in args:
    i = args.index("--ports"); ports = set(int(p) for p in args[i+1].split(",")); del args[i:i+2]
files = [a for a in args if not a.startswith("-")]
TS = re.compile(r"^\d\d:\d\d:\d\d\.\d{6} ")
PORTS = re.compile(r"^\s*(IP6? )?(\([^)]*\) )?[0-9a-fA-F:.]+\.(\d+) > [0-9a-fA-F:.]+\.(\d+): ", re.S)
CK = re.compile(r"^(\[udp sum ok\] |\[bad udp cksum [^]]*\] |\[no cksum\] )")
def records(cmd):
    out = subprocess.run(cmd, capture_output=True).stdout.decode("latin1")
    recs = []
    for line in out.split("\n"):
        if TS.match(line) or not recs:
            recs.append(line)
        else:
            recs[-1] += "\n" + line
    return [r.rstrip("\n") for r in recs if r]
def app(rec):
    body = TS.sub("", rec, count=1)
    # -v IPv4: header line then "    a.p > b.q: "
    body = re.sub(r"^IP \(tos [^\n]*\n\s+", "", body)
    body = re.sub(r"^IP6 \([^\n]*?payload length: \d+\) ", "", body)
    body = re.sub(r"^IP6? ", "", body)
    m = re.match(r"^([0-9a-fA-F:.]+)\.(\d+) > ([0-9a-fA-F:.]+)\.(\d+): ", body)
    if not m: return None
    rest = body[m.end():]
    rest = CK.sub("", rest)
    return (int(m.group(2)), int(m.group(4)), rest)
tot = same = nodec = 0
bad = []
for f in files:
    t = records(["tcpdump", "-n", *flags, "-r", f, "udp"])
    b = records([BPFCAP, "-n", *flags, "-r", f, "udp"])
    if len(t) != len(b):
        print(f"{f}: record count differs {len(t)} vs {len(b)}"); continue
    for x, y in zip(t, b):
        ax, ay = app(x), app(y)
        if ax is None: continue
        if ports and not (ax[0] in ports or ax[1] in ports): continue
        if ax[2].startswith("UDP, length") and (ay and ay[2].startswith("UDP, length")): continue
        tot += 1
        if ay is None: nodec += 1; continue
        if ay and ax[2] == ay[2]: same += 1
        else: bad.append((f, ax, ay))
print(f"application lines identical: {same}/{tot - nodec}"
      f" (and {nodec} packets whose link or IP layer bpfcap does not decode)")
for f, ax, ay in bad[:show]:
    print(f"--- {f} ports {ax[0]}>{ax[1]}\n T: {ax[2]!r}\n B: {ay[2] if ay else None!r}")
