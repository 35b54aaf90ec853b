//! Built-in name tables, so that compiling a filter never reads `/etc`
//! files or asks a resolver.
//!
//! The service and IP protocol tables are generated from `/etc/services`
//! and `/etc/protocols` by `tools/gen_names.py`; the link-level tables are
//! libpcap's own (`eproto_db` and `llc_db` in `nametoaddr.c`).  The lookups
//! follow libpcap's `pcap_nametoport`, `pcap_nametoportrange`,
//! `pcap_nametoproto`, `pcap_nametoeproto` and `pcap_nametollc`.

mod protocols;
mod services;

use protocols::PROTOCOLS;
use services::SERVICES;

/// The transport protocols a service name is registered for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PortProto {
    Tcp,
    Udp,
    Sctp,
    Any,
}

/// libpcap's `eproto_db`: Ethernet type names.
static ETHER_PROTOS: &[(&str, u16)] = &[
    ("aarp", 0x80f3),
    ("arp", 0x0806),
    ("atalk", 0x809b),
    ("decnet", 0x6003),
    ("ip", 0x0800),
    ("ip6", 0x86dd),
    ("lat", 0x6004),
    ("loopback", 0x9000),
    ("mopdl", 0x6001),
    ("moprc", 0x6002),
    ("rarp", 0x8035),
    ("sca", 0x6007),
];

/// libpcap's `llc_db`: LLC SAP names.
static LLC_PROTOS: &[(&str, u8)] = &[
    ("iso", 0xfe),
    ("stp", 0x42),
    ("ipx", 0xe0),
    ("netbeui", 0xf0),
];

/// The port `name` is registered under for `proto`, if any.
fn service(name: &str, proto: PortProto) -> Option<u16> {
    let start = SERVICES.partition_point(|&(n, _, _)| n < name);
    SERVICES[start..]
        .iter()
        .take_while(|&&(n, _, _)| n == name)
        .find(|&&(_, _, p)| p == proto)
        .map(|&(_, port, _)| port)
}

/// Resolves a service name (or a decimal port number, as `getaddrinfo`
/// does) to a port and the protocol(s) it is registered for.
///
/// As libpcap, only TCP and UDP are consulted: a name known for both with
/// the same port gives [`PortProto::Any`]; known for both with different
/// ports, TCP's wins.
pub fn port(name: &str) -> Option<(u16, PortProto)> {
    if !name.is_empty() && name.bytes().all(|b| b.is_ascii_digit()) {
        return name.parse().ok().map(|p| (p, PortProto::Any));
    }
    match (service(name, PortProto::Tcp), service(name, PortProto::Udp)) {
        (Some(t), Some(u)) if t == u => Some((t, PortProto::Any)),
        (Some(t), _) => Some((t, PortProto::Tcp)),
        (None, Some(u)) => Some((u, PortProto::Udp)),
        (None, None) => None,
    }
}

/// Resolves `"A-B"`, split at the first `-`, where each side is resolved by
/// [`port`].  The protocol is the sides' common one, else [`PortProto::Any`]
/// (as libpcap, which does not reorder the ends).
pub fn port_range(name: &str) -> Option<(u16, u16, PortProto)> {
    // libpcap first tries `sscanf(name, "%d-%d")`: two decimal numbers,
    // anything after the second ignored (so `1-0xffff` is 1-0).
    if let Some((a, b)) = scan_decimal_range(name) {
        return Some((a, b, PortProto::Any));
    }
    let (a, b) = name.split_once('-')?;
    let (a, pa) = port(a)?;
    let (b, pb) = port(b)?;
    Some((a, b, if pa == pb { pa } else { PortProto::Any }))
}

/// `sscanf(s, "%d-%d") == 2`, for values that fit a port.
fn scan_decimal_range(s: &str) -> Option<(u16, u16)> {
    let digits = |s: &str| s.len() - s.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let n1 = digits(s);
    let rest = s[n1..].strip_prefix('-')?;
    let n2 = digits(rest);
    if n1 == 0 || n2 == 0 {
        return None;
    }
    Some((s[..n1].parse().ok()?, rest[..n2].parse().ok()?))
}

/// Resolves an IP protocol name or alias from `/etc/protocols`
/// (case-sensitive).
pub fn ip_proto(name: &str) -> Option<u8> {
    PROTOCOLS
        .binary_search_by(|&(n, _)| n.cmp(name))
        .ok()
        .map(|i| PROTOCOLS[i].1)
}

/// Resolves an Ethernet type name from libpcap's built-in list.
pub fn ether_proto(name: &str) -> Option<u16> {
    ETHER_PROTOS
        .iter()
        .find(|&&(n, _)| n == name)
        .map(|&(_, v)| v)
}

/// Resolves an LLC SAP name from libpcap's built-in list.
pub fn llc_proto(name: &str) -> Option<u8> {
    LLC_PROTOS
        .iter()
        .find(|&&(n, _)| n == name)
        .map(|&(_, v)| v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_sorted_and_unique() {
        assert!(
            SERVICES
                .windows(2)
                .all(|w| (w[0].0, w[0].2 as u8) < (w[1].0, w[1].2 as u8))
        );
        assert!(PROTOCOLS.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(SERVICES.iter().all(|e| e.2 != PortProto::Any));
    }

    #[test]
    fn ports() {
        // Debian's /etc/services lists http (alias www) for tcp only.
        assert_eq!(port("http"), Some((80, PortProto::Tcp)));
        assert_eq!(port("www"), Some((80, PortProto::Tcp)));
        assert_eq!(port("domain"), Some((53, PortProto::Any)));
        assert_eq!(port("ftp-data"), Some((20, PortProto::Tcp)));
        assert_eq!(port("ftp"), Some((21, PortProto::Tcp)));
        assert_eq!(port("ssh"), Some((22, PortProto::Tcp)));
        assert_eq!(port("80"), Some((80, PortProto::Any)));
        assert_eq!(port("70000"), None);
        assert_eq!(port("HTTP"), None);
        assert_eq!(port("no-such-service"), None);
        assert_eq!(port(""), None);
    }

    #[test]
    fn port_ranges() {
        assert_eq!(port_range("ftp-ssh"), Some((21, 22, PortProto::Tcp)));
        assert_eq!(port_range("20-domain"), Some((20, 53, PortProto::Any)));
        assert_eq!(port_range("ftp-domain"), Some((21, 53, PortProto::Any)));
        // Split at the first '-', as libpcap: "ftp" and "data-ftp".
        assert_eq!(port_range("ftp-data-ftp"), None);
        assert_eq!(port_range("ftp"), None);
        // sscanf("%d-%d") stops at the 'x'.
        assert_eq!(port_range("1-0xffff"), Some((1, 0, PortProto::Any)));
        assert_eq!(port_range("ftp-nope"), None);
    }

    #[test]
    fn ip_protos() {
        assert_eq!(ip_proto("tcp"), Some(6));
        assert_eq!(ip_proto("TCP"), Some(6));
        assert_eq!(ip_proto("udp"), Some(17));
        assert_eq!(ip_proto("icmp"), Some(1));
        assert_eq!(ip_proto("ip"), Some(0));
        assert_eq!(ip_proto("ospf"), Some(89));
        assert_eq!(ip_proto("ipv6-icmp"), Some(58));
        assert_eq!(ip_proto("Tcp"), None);
        assert_eq!(ip_proto("nope"), None);
    }

    #[test]
    fn link_protos() {
        assert_eq!(ether_proto("ip"), Some(0x0800));
        assert_eq!(ether_proto("ip6"), Some(0x86dd));
        assert_eq!(ether_proto("arp"), Some(0x0806));
        assert_eq!(ether_proto("rarp"), Some(0x8035));
        assert_eq!(ether_proto("stp"), None);
        assert_eq!(llc_proto("stp"), Some(0x42));
        assert_eq!(llc_proto("iso"), Some(0xfe));
        assert_eq!(llc_proto("ipx"), Some(0xe0));
        assert_eq!(llc_proto("netbeui"), Some(0xf0));
        assert_eq!(llc_proto("ip"), None);
    }
}
