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


if __name__ == "__main__":
    unittest.main()
