//! Application-layer printers over UDP: what tcpdump prints after
//! `IP a.p > b.q: ` for the ports it knows (its `udp_print` dispatch).
//!
//! Every printer reads the captured payload through [`Bytes`], whose
//! accessors fail with [`Trunc`] instead of reading past the capture;
//! a printer that returns `Err(Trunc)` gets tcpdump's truncation mark
//! (` [|proto]`) appended here, the way tcpdump's `GET_*` macros jump to
//! `nd_print_trunc`. Nothing here may panic on any bytes.

use crate::SummaryOptions;

mod ahcp;
mod babel;
mod bfd;
mod bootp;
mod dhcp6;
mod dns;
mod hsrp;
mod misc;
mod ntp;
mod radius;
mod rip;
mod sflow;
mod snmp;
mod tunnel;

/// `write!` into a `String` (cannot fail).
macro_rules! put {
    ($out:expr, $($arg:tt)*) => {{
        use ::std::fmt::Write as _;
        let _ = write!($out, $($arg)*);
    }};
}
pub(crate) use put;

/// The options the application printers look at.
#[derive(Clone, Copy)]
pub(crate) struct Ctx {
    /// `-v` count.
    pub verbose: u8,
    /// `-n` (`opts.numeric > 0`). The printers here never resolve names:
    /// they print what tcpdump prints with `-n` either way. Without `-n`
    /// tcpdump would print host names where it calls `ipaddr_string`
    /// (BOOTP/DHCP addresses and options, NTP reference ids, RADIUS and
    /// HSRP addresses, SNMP agent addresses) and MIB names for SNMP
    /// object identifiers; those are the places to look at `numeric`.
    #[allow(dead_code)]
    pub numeric: bool,
    /// All the options, for printers that print a whole inner packet
    /// (VXLAN, Geneve).
    pub opts: SummaryOptions,
}

/// The capture ended before a field the printer needed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Trunc;

/// What a printer returns.
pub(crate) type Res<T = ()> = Result<T, Trunc>;

/// Bounds-checked big-endian reads of the captured bytes.
#[derive(Clone, Copy)]
pub(crate) struct Bytes<'a>(pub &'a [u8]);

impl<'a> Bytes<'a> {
    pub fn len(&self) -> usize {
        self.0.len()
    }
    /// `n` bytes at `at` are captured (tcpdump's `ND_TTEST_LEN`).
    pub fn has(&self, at: usize, n: usize) -> bool {
        at.checked_add(n).is_some_and(|end| end <= self.0.len())
    }
    pub fn get(&self, at: usize, n: usize) -> Res<&'a [u8]> {
        let end = at.checked_add(n).ok_or(Trunc)?;
        self.0.get(at..end).ok_or(Trunc)
    }
    pub fn u8(&self, at: usize) -> Res<u8> {
        self.0.get(at).copied().ok_or(Trunc)
    }
    pub fn be16(&self, at: usize) -> Res<u16> {
        let b = self.get(at, 2)?;
        Ok(u16::from_be_bytes([b[0], b[1]]))
    }
    pub fn be24(&self, at: usize) -> Res<u32> {
        let b = self.get(at, 3)?;
        Ok(u32::from_be_bytes([0, b[0], b[1], b[2]]))
    }
    pub fn be32(&self, at: usize) -> Res<u32> {
        let b = self.get(at, 4)?;
        Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }
    pub fn ipv4(&self, at: usize) -> Res<std::net::Ipv4Addr> {
        let b = self.get(at, 4)?;
        Ok(std::net::Ipv4Addr::new(b[0], b[1], b[2], b[3]))
    }
    pub fn ipv6(&self, at: usize) -> Res<std::net::Ipv6Addr> {
        let b: [u8; 16] = self.get(at, 16)?.try_into().map_err(|_| Trunc)?;
        Ok(std::net::Ipv6Addr::from(b))
    }
}

/// One byte as tcpdump's `fn_print_char` shows it: `M-` for the high
/// bit, `^X` for control characters.
pub(crate) fn print_char(out: &mut String, mut c: u8) {
    if !c.is_ascii() {
        c &= 0x7f;
        out.push_str("M-");
    }
    if !(0x20..=0x7e).contains(&c) {
        c ^= 0x40;
        out.push('^');
    }
    out.push(char::from(c));
}

/// tcpdump's `nd_printn`: up to `n` bytes from `at`, stopping at the end
/// of the capture; false when the capture ended first.
pub(crate) fn printn(out: &mut String, b: Bytes, at: usize, n: usize) -> bool {
    let avail = b.0.get(at..).unwrap_or(&[]);
    for &c in avail.iter().take(n) {
        print_char(out, c);
    }
    avail.len() >= n
}

/// tcpdump's `nd_printztn`: a NUL-terminated string of at most `n`
/// bytes; the bytes used including the NUL, or 0 when no NUL came
/// within `n` bytes or the capture.
pub(crate) fn printztn(out: &mut String, b: Bytes, at: usize, n: usize) -> usize {
    for k in 0..n {
        let Ok(c) = b.u8(at + k) else {
            return 0;
        };
        if c == 0 {
            return k + 1;
        }
        print_char(out, c);
    }
    0
}

/// tcpdump's `nd_printjn`: exactly `n` bytes, else truncated.
pub(crate) fn printjn(out: &mut String, b: Bytes, at: usize, n: usize) -> Res {
    for &c in b.get(at, n)? {
        print_char(out, c);
    }
    Ok(())
}

/// tcpdump's `print_unknown_data`: a hex dump of what was captured of
/// `len` bytes at `at`.
pub(crate) fn unknown_data(out: &mut String, b: Bytes, indent: &str, at: usize, len: usize) {
    let avail = b.0.get(at..).unwrap_or(&[]);
    hex_print(out, indent, &avail[..avail.len().min(len)]);
}

/// tcpdump's `nd_printjnp`: exactly `n` bytes (else truncated), stopping
/// at a NUL.
pub(crate) fn printjnp(out: &mut String, b: Bytes, at: usize, n: usize) -> Res {
    for &c in b.get(at, n)? {
        if c == 0 {
            break;
        }
        print_char(out, c);
    }
    Ok(())
}

/// tcpdump's `unsigned_relts_print`: `1h2m3s`.
pub(crate) fn relts(out: &mut String, mut secs: u32) {
    const UNITS: [(u32, &str); 6] = [
        (31_536_000, "y"),
        (604_800, "w"),
        (86_400, "d"),
        (3_600, "h"),
        (60, "m"),
        (1, "s"),
    ];
    if secs == 0 {
        out.push_str("0s");
        return;
    }
    for (unit, name) in UNITS {
        if secs >= unit {
            put!(out, "{}{name}", secs / unit);
            secs %= unit;
        }
    }
}

/// Looks `v` up in a value/name table.
pub(crate) fn tok<T: PartialEq + Copy>(table: &[(T, &'static str)], v: T) -> Option<&'static str> {
    table.iter().find(|(k, _)| *k == v).map(|(_, s)| *s)
}

/// tcpdump's `hex_print_with_offset` (what `print_unknown_data`
/// shows): `{indent}0x0000: ` every 16 bytes, then ` 6162` pairs.
pub(crate) fn hex_print(out: &mut String, indent: &str, bytes: &[u8]) {
    for (i, pair) in bytes.chunks(2).enumerate() {
        if i % 8 == 0 {
            put!(out, "{indent}0x{:04x}: ", i * 2);
        }
        out.push(' ');
        for b in pair {
            put!(out, "{b:02x}");
        }
    }
}

/// What `udp_print` chooses for a pair of ports, in its order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum App {
    Dns {
        mdns: bool,
    },
    Tftp,
    Bootp,
    Rip,
    Snmp,
    Ntp,
    Krb,
    Ripng,
    Dhcp6,
    Ahcp,
    Babel,
    Radius,
    Hsrp,
    Bfd,
    Sflow,
    Sip,
    Syslog,
    Vxlan,
    Geneve,
    /// A protocol tcpdump decodes (named here) and this crate does not
    /// (yet): the UDP printer's `UDP, length N` is printed instead.
    NotDone(&'static str),
}

/// tcpdump 4.99's `udp_print` port dispatch (the order matters: the
/// first match wins, and most protocols match on either port).
fn dispatch(sport: u16, dport: u16) -> Option<App> {
    let either = |p: u16| sport == p || dport == p;
    let any = |ps: &[u16]| ps.iter().any(|&p| either(p));
    let app = if either(53) {
        App::Dns { mdns: false }
    } else if either(5353) {
        App::Dns { mdns: true }
    } else if either(525) {
        App::NotDone("timed")
    } else if either(69) {
        App::Tftp
    } else if any(&[68, 67]) {
        App::Bootp
    } else if either(520) {
        App::Rip
    } else if any(&[654, 500, 4500, 7500, 8500]) {
        App::NotDone("AODV, ISAKMP")
    } else if any(&[161, 162]) {
        App::Snmp
    } else if either(123) {
        App::Ntp
    } else if any(&[88, 750]) {
        App::Krb
    } else if either(1701) {
        App::NotDone("L2TP")
    } else if dport == 3456 || any(&[2103, 2104]) {
        App::NotDone("VAT, Zephyr")
    } else if (7000..=7009).contains(&sport) || (7000..=7009).contains(&dport) {
        App::NotDone("AFS RX")
    } else if either(521) {
        App::Ripng
    } else if any(&[546, 547]) {
        App::Dhcp6
    } else if either(5359) {
        App::Ahcp
    } else if any(&[6696, 6697]) {
        App::Babel
    } else if either(8231) || dport == 4567 || either(496) {
        App::NotDone("HNCP, whiteboard, Cisco Auto-RP")
    } else if any(&[1645, 1812, 1646, 1813, 1700, 3799]) {
        App::Radius
    } else if dport == 1985 {
        App::Hsrp
    } else if any(&[921, 646, 698, 3503]) || sport == 49152 {
        App::NotDone("LWRES, LDP, OLSR, LSP ping, BCM LI")
    } else if matches!(dport, 3784 | 4784 | 6784 | 3785) {
        App::Bfd
    } else if any(&[701, 1589]) {
        App::NotDone("LMP, VQP")
    } else if either(6343) {
        App::Sflow
    } else if dport == 12223 || sport == 12223 || either(12222) {
        App::NotDone("LWAPP")
    } else if either(5060) {
        App::Sip
    } else if either(514) {
        App::Syslog
    } else if either(8472) {
        App::NotDone("OTV")
    } else if either(4789) {
        App::Vxlan
    } else if either(6081) {
        App::Geneve
    } else {
        // LISP, VXLAN-GPE, ZEP, MPLS over UDP, AppleTalk, PTP, SOME/IP
        // come next in tcpdump; not done here.
        return None;
    };
    Some(app)
}

/// Prints the application text after `IP a.p > b.q: ` for the ports
/// tcpdump decodes; false when the UDP printer is to print `UDP, length
/// N` itself (ports of no application decoded here, or `-q`).
/// `payload`: the captured UDP payload; `length`: the payload length the
/// UDP header claims.
pub(crate) fn udp(
    out: &mut String,
    opts: &SummaryOptions,
    sport: u16,
    dport: u16,
    payload: &[u8],
    length: u32,
) -> bool {
    if opts.quiet {
        return false;
    }
    let Some(app) = dispatch(sport, dport) else {
        return false;
    };
    let cx = Ctx {
        verbose: opts.verbose,
        numeric: opts.numeric > 0,
        opts: *opts,
    };
    // The payload length the printers are given never exceeds what the
    // header claims.
    let b = Bytes(&payload[..payload.len().min(length as usize)]);
    let (res, proto) = match app {
        App::Dns { mdns } => (dns::print(out, &cx, b, length, mdns), "domain"),
        App::Bootp => (bootp::print(out, &cx, b, length), "bootp"),
        App::Dhcp6 => (dhcp6::print(out, &cx, b, length), "dhcp6"),
        App::Tftp => (misc::tftp(out, &cx, b, length), "tftp"),
        App::Ntp => (ntp::print(out, &cx, b, length), "ntp"),
        App::Syslog => (misc::syslog(out, &cx, b, length), "syslog"),
        App::Sip => (misc::sip(out, &cx, b, length), "sip"),
        App::Rip => (rip::rip(out, &cx, b, length), "rip"),
        App::Radius => (radius::print(out, &cx, b, length), "radius"),
        App::Snmp => (snmp::print(out, &cx, b, length), "snmp"),
        App::Babel => (babel::print(out, &cx, b, length), "babel"),
        App::Ahcp => (ahcp::print(out, &cx, b, length), "ahcp"),
        App::Sflow => (sflow::print(out, &cx, b, length), "sflow"),
        App::Bfd => (bfd::print(out, &cx, b, length, dport), "bfd"),
        App::Krb => (misc::krb(out, &cx, b, length), "krb"),
        App::Ripng => (rip::ripng(out, &cx, b, length), "ripng"),
        App::Hsrp => (hsrp::print(out, &cx, b, length), "hsrp"),
        App::Vxlan => (tunnel::vxlan(out, &cx, b, length), "vxlan"),
        App::Geneve => (tunnel::geneve(out, &cx, b, length), "geneve"),
        App::NotDone(_) => return false,
    };
    if res.is_err() {
        put!(out, " [|{proto}]");
    }
    true
}

#[cfg(test)]
pub(crate) mod testutil {
    use super::*;

    /// Options for unit tests: `-n` with `verbose` `-v`s.
    pub fn opts(verbose: u8) -> SummaryOptions {
        SummaryOptions {
            time: crate::TimeFormat::None,
            verbose,
            numeric: 1,
            ..SummaryOptions::default()
        }
    }

    /// What `udp()` prints for a payload whose header length is its size.
    pub fn app(verbose: u8, sport: u16, dport: u16, payload: &[u8]) -> String {
        app_len(verbose, sport, dport, payload, payload.len() as u32)
    }

    /// Same with the UDP header's length given.
    pub fn app_len(verbose: u8, sport: u16, dport: u16, payload: &[u8], len: u32) -> String {
        let mut out = String::new();
        assert!(udp(&mut out, &opts(verbose), sport, dport, payload, len));
        out
    }

    /// Bytes from a hex string (whitespace ignored).
    pub fn hex(s: &str) -> Vec<u8> {
        let s: String = s.split_whitespace().collect();
        (0..s.len() / 2)
            .map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn dispatch_order() {
        assert_eq!(dispatch(53, 5353), Some(App::Dns { mdns: false }));
        assert_eq!(dispatch(5353, 67), Some(App::Dns { mdns: true }));
        assert_eq!(dispatch(1985, 1234), None);
        assert_eq!(dispatch(1234, 1985), Some(App::Hsrp));
        assert_eq!(dispatch(7001, 5060), Some(App::NotDone("AFS RX")));
        assert_eq!(dispatch(5355, 40000), None, "tcpdump 4.99 has no LLMNR");
    }

    #[test]
    fn quiet_and_unknown_ports_print_nothing() {
        let mut out = String::new();
        let mut o = testutil::opts(0);
        o.quiet = true;
        assert!(!udp(&mut out, &o, 53, 1000, &[0; 12], 12));
        assert!(!udp(&mut out, &testutil::opts(0), 1000, 1001, &[0; 12], 12));
        assert!(out.is_empty());
    }

    #[test]
    fn relts_units() {
        let mut s = String::new();
        relts(&mut s, 3661);
        s.push(' ');
        relts(&mut s, 0);
        s.push(' ');
        relts(&mut s, 90000);
        assert_eq!(s, "1h1m1s 0s 1d1h");
    }

    /// (source port, destination port, UDP payload) of every packet of a
    /// generated golden capture (little-endian pcap, Ethernet, IPv4 or
    /// IPv6, no extension headers).
    fn golden_payloads() -> Vec<(u16, u16, Vec<u8>)> {
        let files: [&[u8]; 13] = [
            include_bytes!("../../tests/goldens/apps/dns.pcap"),
            include_bytes!("../../tests/goldens/apps/dhcp.pcap"),
            include_bytes!("../../tests/goldens/apps/dhcp6.pcap"),
            include_bytes!("../../tests/goldens/apps/ntp.pcap"),
            include_bytes!("../../tests/goldens/apps/text.pcap"),
            include_bytes!("../../tests/goldens/apps/rip.pcap"),
            include_bytes!("../../tests/goldens/apps/radius.pcap"),
            include_bytes!("../../tests/goldens/apps/misc.pcap"),
            include_bytes!("../../tests/goldens/apps/snmp.pcap"),
            include_bytes!("../../tests/goldens/apps/babel.pcap"),
            include_bytes!("../../tests/goldens/apps/ahcp.pcap"),
            include_bytes!("../../tests/goldens/apps/sflow.pcap"),
            include_bytes!("../../tests/goldens/apps/bfd.pcap"),
        ];
        let mut all = Vec::new();
        for file in files {
            let mut at = 24;
            while at + 16 <= file.len() {
                let caplen = u32::from_le_bytes(file[at + 8..at + 12].try_into().unwrap()) as usize;
                let frame = &file[at + 16..at + 16 + caplen];
                at += 16 + caplen;
                let udp = match frame.get(12..14) {
                    Some([0x08, 0x00]) => 14 + 20,
                    Some([0x86, 0xdd]) => 14 + 40,
                    _ => continue,
                };
                let Some(h) = frame.get(udp..udp + 8) else {
                    continue;
                };
                let sport = u16::from_be_bytes([h[0], h[1]]);
                let dport = u16::from_be_bytes([h[2], h[3]]);
                all.push((sport, dport, frame[udp + 8..].to_vec()));
            }
        }
        all
    }

    /// Every golden payload cut at every length, and with each byte set
    /// to a few values, at every verbosity: reaches the printers' deep
    /// branches, which random bytes rarely do.
    #[test]
    fn mutated_goldens_never_panic() {
        let payloads = golden_payloads();
        assert!(payloads.len() > 100);
        for (sport, dport, payload) in &payloads {
            for verbose in 0..4 {
                let o = testutil::opts(verbose);
                let len = payload.len() as u32;
                for cut in 0..payload.len() {
                    let mut out = String::new();
                    udp(&mut out, &o, *sport, *dport, &payload[..cut], len);
                    udp(&mut out, &o, *sport, *dport, &payload[..cut], cut as u32);
                }
                let mut m = payload.clone();
                for i in 0..m.len() {
                    let keep = m[i];
                    for v in [0x00, 0x01, 0x3f, 0x7f, 0x80, 0xc0, 0xff] {
                        m[i] = v;
                        let mut out = String::new();
                        udp(&mut out, &o, *sport, *dport, &m, len);
                    }
                    m[i] = keep;
                }
            }
        }
    }

    const PORTS: [u16; 25] = [
        53, 5353, 69, 67, 68, 520, 161, 162, 123, 521, 546, 547, 1812, 1985, 5060, 514, 4789, 6081,
        6696, 88, 5359, 6343, 3784, 6784, 3785,
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        #[test]
        fn never_panics(
            port in proptest::sample::select(&PORTS[..]),
            payload in proptest::collection::vec(any::<u8>(), 0..400),
            extra in 0u32..64,
            verbose in 0u8..4,
        ) {
            for &(s, d) in &[(port, 40000), (40000, port)] {
                let mut out = String::new();
                let len = payload.len() as u32 + extra;
                let _ = udp(&mut out, &testutil::opts(verbose), s, d, &payload, len);
            }
        }
    }
}
