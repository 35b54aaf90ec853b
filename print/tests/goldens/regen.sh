#!/bin/sh
# Regenerates the printer's golden files: tcpdump's output (the oracle,
# not a dependency: only this script runs it) for the captures next to
# this script and the project's sample captures, once per flag set.
# Each golden is <capture>.<flags>.out, flags joined by '_' without the
# dashes ("n_e" is -n -e); time stamps are -tt, so no time zone matters.
# print/tests/goldens.rs prints the same captures with the same options
# and compares byte for byte.
#
#   python3 print/tests/goldens/make_captures.py   # only if it changed
#   python3 print/tests/goldens/make_hexdump_captures.py   # likewise
#   sudo apt-get install tcpdump && print/tests/goldens/regen.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
samples="$here/../../../pcaps"
flagsets="n n_e n_v n_vv n_x n_X n_XX_e n_xx n_S n_A n_K_v n_q nn_e_vv e v"
rm -f "$here"/*.out
for pcap in "$here"/core-*.pcap "$samples"/sample.pcap "$samples"/sample-sll.pcap "$samples"/sample-snap96.pcap; do
    name=$(basename "$pcap")
    for set in $flagsets; do
        flags=$(printf '%s' "$set" | sed 's/^/-/; s/_/ -/g')
        # shellcheck disable=SC2086
        tcpdump -tt $flags -r "$pcap" > "$here/$name.$set.out" 2>/dev/null
    done
done
# Captures of single protocols (copies of tcpdump test-suite captures,
# BSD-licensed, or made by make_proto_captures.py), with -n only; the
# proto-v-* ones (what -v decodes) with -n -v, -n -vv and -n -vvv too.
for pcap in "$here"/proto-*.pcap "$here"/proto-*.pcapng; do
    [ -e "$pcap" ] || continue
    sets=n
    case $(basename "$pcap") in proto-v-*) sets="n n_v n_vv n_vvv" ;; esac
    for set in $sets; do
        flags=$(printf '%s' "$set" | sed 's/^/-/; s/_/ -/g')
        # shellcheck disable=SC2086
        tcpdump -tt $flags -r "$pcap" > "$here/$(basename "$pcap").$set.out" 2>/dev/null
    done
done
# -qq's one cut (non-first IPv4 fragments) and IPv6 address forms.
for set in qq n_qq n_v_qq; do
    flags=$(printf '%s' "$set" | sed 's/^/-/; s/_/ -/g')
    # shellcheck disable=SC2086
    tcpdump -tt $flags -r "$here/proto-ipaddr.pcap" > "$here/proto-ipaddr.pcap.$set.out" 2>/dev/null
done
