#!/bin/sh
# Regenerates verdicts.tsv: what tcpdump/libpcap (the oracle, not a
# dependency) decides for every sample capture and every line of
# expressions.txt.  Columns: capture, expression, verdict, where the
# verdict is "error" or the comma-separated indices (0-based) of the
# matching packets.  The sample captures give packet i a timestamp of
# 1700000000 + i seconds, which is how the indices are recovered.
#
#   sudo apt-get install tcpdump && tests/goldens/regen.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
pcaps="$here/../../pcaps"
out="$here/verdicts.tsv"
: > "$out"
for pcap in sample.pcap sample-be-ns.pcap sample-snap96.pcap sample-sll.pcap; do
    while IFS= read -r expr; do
        if lines=$(tcpdump -n -tt -r "$pcaps/$pcap" "$expr" 2>/dev/null); then
            idx=$(printf '%s\n' "$lines" | awk 'NF { split($1, t, "."); printf "%s%d", sep, t[1] - 1700000000; sep = "," }')
            printf '%s\t%s\t%s\n' "$pcap" "$expr" "${idx:--}" >> "$out"
        else
            printf '%s\t%s\terror\n' "$pcap" "$expr" >> "$out"
        fi
    done < "$here/expressions.txt"
done
