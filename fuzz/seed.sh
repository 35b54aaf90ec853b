#!/bin/sh
# Fills fuzz/corpus/ with seeds from the repository: the golden and
# conformance expressions (for compile_expr and cbpf_exec_expr) and the sample
# capture files (for read_capture and replay_parallel). Run it from
# anywhere; it is safe to run again (files are named by content).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
corpus=$here/corpus
mkdir -p "$corpus/compile_expr" "$corpus/compile_large" "$corpus/cbpf_exec_expr" "$corpus/cbpf_exec" \
    "$corpus/cbpf_jit" "$corpus/read_capture" "$corpus/replay_parallel" "$corpus/read_shrinking" \
    "$corpus/print_packet"

# Stores stdin as a corpus file named by its hash, as libFuzzer does.
store() {
    tmp=$(mktemp)
    cat >"$tmp"
    mv "$tmp" "$1/$(sha1sum "$tmp" | cut -c1-40)"
}

while IFS= read -r expr || [ -n "$expr" ]; do
    [ -n "$expr" ] || continue
    # compile_expr: link type 0 (EN10MB), flags 1 (optimize on).
    { printf '\000\001'; printf '%s' "$expr"; } | store "$corpus/compile_expr"
    # cbpf_exec_expr: expression, NUL, a minimal Ethernet + IPv4 + TCP
    # packet (10.0.0.1:1234 -> 10.0.0.2:80, SYN) so filters get past the
    # link layer.
    { printf '%s\000' "$expr"
      printf '\000\021\042\063\104\125\146\167\210\231\252\273\010\000'
      printf '\105\000\000\050\000\001\000\000\100\006\000\000\012\000\000\001\012\000\000\002'
      printf '\004\322\000\120\000\000\000\001\000\000\000\000\120\002\040\000\000\000\000\000'
    } | store "$corpus/cbpf_exec_expr"
done <<EOF
$(cat "$root/tests/goldens/expressions.txt" "$root/conformance/expressions.txt" "$root/conformance/invalid.txt")
EOF

# compile_large: link type 0, flags 1, copy count (LE), join mode, then the
# template: the lists the optimizer met in issues (ports, hosts), values
# tested once each, encapsulations that use up registers, deep nesting.
while IFS='|' read -r count mode template; do
    { printf '\000\001'; printf "$count$mode"; printf '%s' "$template"; } |
        store "$corpus/compile_large"
done <<'SEEDS'
\267\013|\000|port #
\376\000|\000|host 10.0.0.#
\320\007|\000|ether[#] = 1 and ether[#0] = 2
\350\003|\000|tcp dst port # and src net 10.0.0.0/16
\350\003|\001|not ip[#] = 7
\350\003|\001|geneve
\144\000|\001|vlan #
\364\001|\002|udp port # or icmp
\364\001|\003|portrange #-9000
\320\007|\004|ip6 host ::#
SEEDS

# cbpf_exec: "ldh [12]; jeq #0x800, 0, 1; ret #65535; ret #0", wire
# length 60, a zeroed 60-byte packet with ethertype IPv4.
{ printf '\003'
  printf '\050\000\000\000\014\000\000\000'
  printf '\025\000\000\001\000\010\000\000'
  printf '\006\000\000\000\377\377\000\000'
  printf '\006\000\000\000\000\000\000\000'
  printf '\074\000\000\000'
  head -c 12 /dev/zero; printf '\010\000'; head -c 46 /dev/zero
} | store "$corpus/cbpf_exec"
# cbpf_jit reads the same layout (any bytes make a valid program).
cp "$corpus"/cbpf_exec/* "$corpus/cbpf_jit/"

for f in "$root"/pcaps/*.pcap*; do
    store "$corpus/read_capture" <"$f"
    store "$corpus/replay_parallel" <"$f"
    # read_shrinking: k, grow flag, new length as a fraction (u16 LE):
    # cut to half before packet 3, to a third before the first, grow
    # before packet 5.
    for change in '\003\000\000\200' '\000\000\125\125' '\005\001\000\000'; do
        { printf "$change"; cat "$f"; } | store "$corpus/read_shrinking"
    done
done
# print_packet: link type 0 (EN10MB), options 0x0402 (-v, -n), no extra
# wire length, then an Ethernet + IPv4 + TCP SYN with options.
{ printf '\000\002\004\000'
  printf '\000\021\042\063\104\125\146\167\210\231\252\273\010\000'
  printf '\105\000\000\054\000\001\000\000\100\006\000\000\012\000\000\001\012\000\000\002'
  printf '\004\322\000\120\000\000\000\001\000\000\000\000\140\002\040\000\000\000\000\000'
  printf '\002\004\005\264'; } | store "$corpus/print_packet"
echo "seeded: $(find "$corpus" -type f | wc -l) files under $corpus"
