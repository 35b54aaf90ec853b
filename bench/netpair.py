"""Shared by the live benchmarks: two network namespaces joined by a veth
pair, and starting a tool in one of them until it says it is ready.

A (capture side) gets IP_A, B (generator side) IP_B; names carry the
process id so parallel runs do not collide. Traffic never leaves them.
"""
import os
import re
import shutil
import signal
import subprocess
import threading

SUFFIX = str(os.getpid() % 100000)
IP_A, IP_B = "10.88.0.1", "10.88.0.2"


def sh(*cmd, check=True, quiet=False):
    kw = dict(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) if quiet else {}
    return subprocess.run(cmd, check=check, **kw)


class Pair:
    """Namespaces `<tag>A`/`<tag>B` with veth ends `<tag>vA`/`<tag>vB`."""

    def __init__(self, tag):
        self.ns_a, self.ns_b = tag + "A" + SUFFIX, tag + "B" + SUFFIX
        self.veth_a, self.veth_b = tag + "vA" + SUFFIX, tag + "vB" + SUFFIX

    def setup(self):
        """Creates both namespaces and the link; returns A's MAC address."""
        sh("ip", "netns", "add", self.ns_a)
        sh("ip", "netns", "add", self.ns_b)
        sh("ip", "link", "add", self.veth_a, "type", "veth", "peer", "name", self.veth_b)
        sh("ip", "link", "set", self.veth_a, "netns", self.ns_a)
        sh("ip", "link", "set", self.veth_b, "netns", self.ns_b)
        sh("ip", "-n", self.ns_a, "addr", "add", IP_A + "/24", "dev", self.veth_a)
        sh("ip", "-n", self.ns_b, "addr", "add", IP_B + "/24", "dev", self.veth_b)
        for ns, dev in ((self.ns_a, self.veth_a), (self.ns_b, self.veth_b)):
            # No IPv6 neighbour discovery or MLD: only the generator's
            # frames cross the pair, so counters count just those.
            sh("ip", "netns", "exec", ns, "sysctl", "-qw",
               "net.ipv6.conf.%s.disable_ipv6=1" % dev, check=False, quiet=True)
            sh("ip", "-n", ns, "link", "set", "lo", "up")
            sh("ip", "-n", ns, "link", "set", dev, "up")
            if shutil.which("ethtool"):  # offloads: irrelevant for small UDP frames
                sh("ip", "netns", "exec", ns, "ethtool", "-K", dev, "gro", "off",
                   "gso", "off", "tso", "off", check=False, quiet=True)
        out = subprocess.run(["ip", "-n", self.ns_a, "-o", "link", "show", self.veth_a],
                             check=True, capture_output=True, text=True).stdout
        return re.search(r"link/ether ([0-9a-f:]{17})", out).group(1)

    def teardown(self):
        for ns in (self.ns_a, self.ns_b):
            sh("ip", "netns", "del", ns, check=False, quiet=True)

    def start_in_a(self, argv, ready, name):
        """Runs argv in namespace A (nsenter execs it, so the child pid is
        the tool's) and waits until a stderr line contains `ready`.
        Returns the process, the list its stderr lines go to, and the
        thread filling it (join it once the process has exited)."""
        cmd = ["nsenter", "--net=/var/run/netns/" + self.ns_a] + argv
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True)
        lines, seen = [], threading.Event()

        def reader():
            for line in proc.stderr:
                lines.append(line.rstrip("\n"))
                if ready in line:
                    seen.set()
            seen.set()
        thread = threading.Thread(target=reader, daemon=True)
        thread.start()
        if not seen.wait(10) or proc.poll() is not None:
            proc.kill()
            raise RuntimeError("%s did not start: %s" % (name, "\n".join(lines)))
        return proc, lines, thread


def interrupt(proc, thread, lines):
    """SIGINTs a tool started by Pair.start_in_a and waits for it; returns
    its stderr text and resource usage (CPU time of the tool itself)."""
    os.kill(proc.pid, signal.SIGINT)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    thread.join(5)
    return "\n".join(lines), usage


def write_trafgen_config(path, mac_a, frames):
    """A trafgen configuration of UDP frames from B to A, sent round-robin:
    one per (source port, destination port, payload bytes) in `frames`."""
    with open(path, "w") as f:
        for sport, dport, payload in frames:
            f.write("{ eth(da=%s), ipv4(saddr=%s, daddr=%s, ttl=64), "
                    "udp(sp=%d, dp=%d), fill(0x41, %d) }\n"
                    % (mac_a, IP_B, IP_A, sport, dport, payload))


def trafgen_cmd(pair, cfg, n, cpus=1, rate=0):
    """trafgen sending `n` frames of `cfg` from B's veth end (`rate` in
    packets per second, 0 for as fast as it can)."""
    cmd = ["ip", "netns", "exec", pair.ns_b, "trafgen", "--dev", pair.veth_b, "--conf", cfg,
           "--num", str(n), "--cpus", str(cpus), "--no-sock-mem"]
    if rate:
        cmd += ["--rate", "%dpps" % rate]
    return cmd


def fmt(v, spec):
    """`v` formatted, or "-" for a number a tool did not print."""
    return "-" if v is None else format(v, spec)


def count(text, what):
    """N from a tool's "N packet(s) WHAT" line, or None."""
    m = re.search(r"(\d+) packets? %s" % what, text)
    return int(m.group(1)) if m else None
