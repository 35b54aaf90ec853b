#!/bin/sh
# Regenerates the listing goldens from the system tcpdump/libpcap.
#
# For each "name<TAB>expression" line below this writes:
#   name.ddd  - `tcpdump -ddd` output: the input program *and* the expected
#               Decimal rendering;
#   name.d    - expected Image (`-d`) rendering;
#   name.dd   - expected C (`-dd`) rendering.
# The test parses name.ddd into instructions, so the listing code is checked
# against libpcap independently of our own compiler.
set -eu
cd "$(dirname "$0")"
command -v tcpdump >/dev/null || { echo "tcpdump not installed" >&2; exit 1; }
tcpdump --version 2>&1 | head -2 >&2  # goldens last made with tcpdump 4.99.3 / libpcap 1.10.3

while IFS='	' read -r name expr; do
    [ -n "$name" ] || continue
    printf '%s\n' "$expr" > "$name.expr"
    for f in d dd ddd; do
        tcpdump -"$f" -y EN10MB -- "$expr" > "$name.$f"
    done
done <<'LIST'
ip	ip
tcp_port_80	tcp port 80
udp_dhcp	udp and (port 67 or 68)
ip_len_gt	ip[2:2] > 100
tcp_syn	tcp[tcpflags] & tcp-syn != 0
len_gt	len > 100
ether_host	ether host 1:2:3:4:5:6
host	host 10.0.0.1
ip6	ip6
vlan_ip	vlan and ip
icmp	icmp
ihl_arith	ip[0] & 0xf * 4 = 20
tcp_payload	tcp[((tcp[12:1] & 0xf0) >> 2):4] = 0x47455420
arith_ops	ip[2:2] - 20 / 2 + 3 * 4 % 5 ^ 1 | 2 << 1 >> 1 = 7
neg_x	-ip[0] = ip[1] and len >= ip[2:2]
net_mask	net 192.168.0.0/16 and not port 22
LIST

# Every opcode, via libpcap's bpf_dump() directly (see opcodes.py).
./opcodes.py
