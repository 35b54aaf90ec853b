#!/bin/sh
# Regenerates the -T goldens: tcpdump 4.99's text for the made-up UDP
# packets on odd ports of ttype/make_pcaps.py, printed with -n -T TYPE
# (and -n -v -T TYPE) for the types bpfcap prints (PACKET_TYPES); a type
# with a capture of its own reads forced_TYPE.pcap (forced_zmtp1.pcap and
# forced_pgm_zmtp1.pcap are tcpdump's test captures zmtp1.pcap and
# pgm_zmtp1.pcap, BSD licence, with their microseconds zeroed).
# tcpdump is the oracle, not a dependency: print/tests/ttype_goldens.rs
# only reads the files written here.
#
#   sudo apt-get install tcpdump && print/tests/goldens/ttype-regen.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/ttype"
python3 make_pcaps.py
for t in rtp rtcp snmp tftp radius vxlan wb domain resp rpc cnfp aodv carp vat ptp someip lmp pgm pgm_zmtp1 zmtp1; do
    # A type's own capture (forced_TYPE.pcap) if it has one.
    pcap=forced.pcap
    [ -e "forced_$t.pcap" ] && pcap="forced_$t.pcap"
    TZ=UTC tcpdump -tt -n -T "$t" -r "$pcap" > "$t.n.txt" 2>/dev/null
    # wb's -v (its `dop` checks) differs from tcpdump's elsewhere: -n only.
    [ "$t" = wb ] && continue
    TZ=UTC tcpdump -tt -n -v -T "$t" -r "$pcap" > "$t.v.txt" 2>/dev/null
done
