//! `bpfcap --version` and the usage text, in the shape of tcpdump's
//! `print_version` and `print_usage` (tcpdump prints the version lines
//! above its usage too).

/// tcpdump prints its own, libpcap's and OpenSSL's versions; bpfcap has
/// no libpcap: it names its own compiler and capture code instead.
pub fn version() -> String {
    let v = env!("CARGO_PKG_VERSION");
    format!(
        "bpfcap version {v}\n\
         filter-compiler version {v} (classic BPF and eBPF, no libpcap)\n\
         capture version {v} (with TPACKET_V3 and XDP)\n"
    )
}

/// tcpdump 4.99.3's usage text for bpfcap (every tcpdump option is
/// accepted, see the README for what each does), then bpfcap's own.
pub fn usage() -> String {
    version()
        + "Usage: bpfcap [-AbdDefhHIJKlLnNOpqStuUvxX#] [ -B size ] [ -c count ] [--count]\n\
           \t\t[ -C file_size ] [ -E algo:secret ] [ -F file ] [ -G seconds ]\n\
           \t\t[ -i interface ] [ --immediate-mode ] [ -j tstamptype ]\n\
           \t\t[ -M secret ] [ --number ] [ --print ] [ -Q in|out|inout ]\n\
           \t\t[ -r file ] [ -s snaplen ] [ -T type ] [ --version ]\n\
           \t\t[ -V file ] [ -w file ] [ -W filecount ] [ -y datalinktype ]\n\
           \t\t[ --time-stamp-precision precision ] [ --micro ] [ --nano ]\n\
           \t\t[ -z postrotate-command ] [ -Z user ] [ --pcapng ] [ --ebpf ]\n\
           \t\t[ --optimize-size ] [ --semantics libpcap|protocol ] [ --tunnels ]\n\
           \t\t[ --set name=file ]...\n\
           \t\t[ --xdp [ --xdp-mode native|skb ] [ --invert ]\n\
           \t\t  [ --action pass|drop|capture|capture-drop ] ] [ expression ]\n\
           \x20      bpfcap compile [ --target cbpf|cbpf-raw|ebpf-socket|xdp|xt_bpf ] [ -o file|- ]\n\
           \t\t[ -y datalinktype ] [ -s snaplen ] [ --action action ] [ --invert ]\n\
           \t\t[ --optimize-size ] [ --semantics libpcap|protocol ] [ --tunnels ]\n\
           \t\t[ --set name=file ]... expression\n\
           \x20      bpfcap explain -r file | --hex packet [ -c count ] [ -y datalinktype ]\n\
           \t\t[ -s snaplen ] [ --ascii ] [ --semantics libpcap|protocol ] [ --tunnels ] expression\n"
}
