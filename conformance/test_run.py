"""Unit tests of run.py's own logic (no tools run): python3 -m unittest conformance/test_run.py"""

import importlib.util
import os
import unittest

_spec = importlib.util.spec_from_file_location("run", os.path.join(os.path.dirname(__file__), "run.py"))
run = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(run)


class KnownDifferences(unittest.TestCase):
    def test_a_regex_entry_matches_only_what_its_regex_finds(self):
        k = run.Known("re:\\binbound\\b\tcapture=*.pcapng\tdiffers=exit\twhy")
        self.assertTrue(k.matches("a.pcapng", "tcp or inbound", "exit: tcpdump=1"))
        self.assertFalse(k.matches("a.pcapng", "host 10.0.100.1", "exit: tcpdump=1"))
        self.assertFalse(k.matches("a.pcap", "inbound", "exit: tcpdump=1"))
        self.assertFalse(k.matches("a.pcapng", "inbound", "packets: only bpfcap kept [1]"))

    def test_an_exact_entry_matches_only_its_expression(self):
        k = run.Known("ip broadcast\tdiffers=exit\twhy")
        self.assertTrue(k.matches("x.pcap", "ip broadcast", "exit: tcpdump=0"))
        self.assertFalse(k.matches("x.pcap", "ip broadcast or tcp", "exit: tcpdump=0"))

    def test_the_shipped_list_loads(self):
        known = run.load_known(os.path.join(os.path.dirname(__file__), "known-differences.txt"))
        self.assertTrue(any(k.expr == "ip broadcast" for k in known))


class ScratchReads(unittest.TestCase):
    # ldh [12]; jeq #1 (jt 2, jf 4); ld #7; st M[0]; ld M[0]; ret a
    PROG = [(0x28, 0, 0, 12), (0x15, 0, 2, 1), (0x00, 0, 0, 7), (0x02, 0, 0, 0), (0x60, 0, 0, 0),
            (0x16, 0, 0, 0)]

    def test_a_read_some_path_reaches_unstored_is_unset_on_every_path(self):
        self.assertEqual(run.maybe_unset_reads(self.PROG), {4: 0})
        stored = bytes(12) + b"\x00\x01"  # takes the way that stores M[0]
        self.assertEqual(run.bpf_run(self.PROG, stored, 14), (True, {0}))
        self.assertEqual(run.bpf_run(self.PROG, bytes(14), 14), (False, {0}))

    def test_a_read_every_path_stores_first_is_defined(self):
        prog = [(0x00, 0, 0, 7), (0x02, 0, 0, 0)] + self.PROG[:2] + [(0x00, 0, 0, 1), (0x02, 0, 0, 1)] \
            + self.PROG[4:]
        self.assertEqual(run.maybe_unset_reads(prog), {})
        self.assertEqual(run.bpf_run(prog, bytes(14), 14), (True, set()))


if __name__ == "__main__":
    unittest.main()
