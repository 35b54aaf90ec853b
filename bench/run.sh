#!/usr/bin/env bash
# The offline benchmark suite, bpfcap against tcpdump/libpcap in one run:
#
#   bench/run.sh [--packets N] [--runs R] [--work DIR] [--shared DIR]
#                [--pin CPU] [--baseline BIN] [--exprs FILE]
#                [--budget S] [--timeout S] [--sizes 5,10,...]
#
# 1. builds bpfcap (cargo build --release, into target/ or $CARGO_TARGET_DIR)
#    and the compile bench (filter-compiler/benches/compile.rs);
# 2. bench/compare.py: writes the big capture once into the work dir (default
#    /tmp/bpfcap-bench, reused by later runs) and prints the replay table,
#    bpfcap -r vs tcpdump -r per expression (--packets, --runs; --pin CPU
#    adds the one-CPU table, both tools under taskset; --baseline BIN times
#    another bpfcap, e.g. main's, alongside; --exprs FILE, repeatable);
# 3. bench/compile_series.py: compile time and instruction counts against
#    libpcap's pcap_compile for the shared expressions and the N-port and
#    N-host series (--budget, --timeout, --sizes).
#
# Needs gcc, tcpdump and libpcap. Ratios above 1 mean bpfcap is faster.
set -euo pipefail
cd "$(dirname "$0")/.."

replay=() compile=()
while (($#)); do
    case $1 in
        --packets | --runs | --work | --pin | --baseline | --exprs) replay+=("$1" "$2") ;;
        --budget | --timeout | --sizes) compile+=("$1" "$2") ;;
        --shared) replay+=("$1" "$2") compile+=("$1" "$2") ;;
        *) echo usage: >&2; sed -n '4,6s/^#//p' "$0" >&2; exit 2 ;;
    esac
    shift 2
done

cargo build --release -q -p bpfcap
cargo bench -q -p bpfcap-filter --bench compile --no-run
python3 bench/compare.py --no-compile "${replay[@]}"
echo
python3 bench/compile_series.py "${compile[@]}"
