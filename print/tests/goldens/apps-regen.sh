#!/bin/sh
# Regenerates the goldens of the application-layer printers over UDP
# (print/src/app): tcpdump 4.99's text for the small captures in apps/,
# which apps/make_pcaps.py writes (made-up packets reaching the printers'
# branches, cut-short and malformed ones included; udplen.pcap has them
# all again with a UDP length short of the IP payload); afs.pcap: a cut
# of tcpdump's own test capture afs.pcap (BSD licence; 55 of its AFS Rx
# packets, at most two of each kind, time stamps renumbered as in the
# made-up captures); and ikev2four.pcap, tcpdump's own test capture of
# that name (BSD licence) with its NULL link headers made Ethernet ones.
# tcpdump is the
# oracle, not a dependency: the test (print/tests/apps_goldens.rs) only
# reads the files written here.
#
#   sudo apt-get install tcpdump && print/tests/goldens/apps-regen.sh
#
# -tt keeps the records apart (each starts with its time stamp, also
# when a tunnel's inner packet starts a line). TZ=UTC for the dates
# RADIUS prints with ctime().
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/apps"
python3 make_pcaps.py
for pcap in *.pcap; do
    for flags in n v vv vvv; do
        case $flags in
            n) opt=-n ;;
            *) opt="-n -$flags" ;;
        esac
        # shellcheck disable=SC2086
        TZ=UTC tcpdump -tt $opt -r "$pcap" > "${pcap%.pcap}.$flags.txt" 2>/dev/null
    done
done
