//! Host, network and Ethernet host names, turned into addresses by the
//! caller's [`Resolver`](crate::Resolver) and into tests as libpcap's
//! `gen_scode` does: a host is the `or` of all its addresses, in the
//! resolver's order; a network is its left-justified number; an Ethernet
//! host is its MAC address. Without a resolver, or for a name it does not
//! know, libpcap's errors.

use std::net::IpAddr;

use crate::ast::{Dir, Proto, Quals, Span};
use crate::error::{ErrorKind, Result};

use super::link::{Macs, Proto as LinkProto};
use super::net::{ipv6_words, left_justified};
use super::{F, Lowerer, err};

impl Lowerer<'_> {
    /// `[proto] [dir] [host] NAME`: every address of the host, IPv4 ones
    /// as `gen_host` and IPv6 ones as `gen_host6` would test them, joined
    /// by `or` in the resolver's order. `ip host` skips the IPv6
    /// addresses and `ip6 host` the IPv4 ones; other qualifiers take both,
    /// so `arp host` of a name with an IPv6 address is libpcap's error.
    pub(super) fn host_name(&mut self, name: &str, q: Quals, span: &Span) -> Result<F> {
        let addrs = self
            .opts
            .resolver
            .as_ref()
            .map(|r| r.host(name))
            .unwrap_or_default();
        if addrs.is_empty() {
            return Err(err(
                ErrorKind::Value,
                span,
                format!("unknown host '{name}'"),
            ));
        }
        // Where the link header names no protocol (raw IP), a bare name
        // means IPv4 or IPv6 hosts, not also ARP (libpcap's
        // `off_linktype` unset).
        let (v4, v6) = match q.proto {
            None if self.untyped_link() => (Some(Proto::Ip), Some(Proto::Ip6)),
            p => (p, p),
        };
        let mut tests = Vec::with_capacity(addrs.len());
        for addr in addrs {
            tests.push(match addr {
                IpAddr::V4(a) if v4 != Some(Proto::Ip6) => {
                    self.host(a.into(), u32::MAX, Quals { proto: v4, ..q }, span)?
                }
                IpAddr::V6(a) if v6 != Some(Proto::Ip) => {
                    let words = ipv6_words(a.into());
                    self.host6(words, [u32::MAX; 4], Quals { proto: v6, ..q }, span)?
                }
                _ => continue,
            });
        }
        if tests.is_empty() {
            return Err(err(
                ErrorKind::Value,
                span,
                format!("unknown host '{name}' for specified address family"),
            ));
        }
        Ok(F::any(tests))
    }

    /// Whether the link header has no protocol field (libpcap leaves its
    /// `off_linktype` unset for these).
    fn untyped_link(&self) -> bool {
        matches!(
            self.link.proto,
            LinkProto::RawIp
                | LinkProto::OnlyIpv4
                | LinkProto::OnlyIpv6
                | LinkProto::Frelay
                | LinkProto::Juniper
                | LinkProto::Unsupported
        )
    }

    /// `[proto] [dir] net NAME`: the network number left-justified, with
    /// the mask of its bytes. A number of 0 is unknown, as in libpcap.
    pub(super) fn net_name(&mut self, name: &str, q: Quals, span: &Span) -> Result<F> {
        let net = self
            .opts
            .resolver
            .as_ref()
            .and_then(|r| r.network(name))
            .filter(|&n| n != 0)
            .ok_or_else(|| err(ErrorKind::Value, span, format!("unknown network '{name}'")))?;
        let (net, mask) = left_justified(net);
        self.host(net, mask, q, span)
    }

    /// `ether [dir] host NAME`: the name's MAC address. libpcap names the
    /// link's kind of host in the error, and refuses link types without
    /// MAC addresses before looking the name up.
    pub(super) fn ether_host_name(
        &mut self,
        name: &str,
        dir: Option<Dir>,
        span: &Span,
    ) -> Result<F> {
        let kind = match self.link.macs {
            Macs::Ether => "ether",
            Macs::Wlan => "802.11",
            Macs::None | Macs::Arcnet => {
                return Err(err(
                    ErrorKind::LinkType,
                    span,
                    "only ethernet/FDDI/token ring/802.11/ATM LANE/Fibre Channel supports link-level host name",
                ));
            }
        };
        let mac = self
            .opts
            .resolver
            .as_ref()
            .and_then(|r| r.ether_host(name))
            .ok_or_else(|| {
                err(
                    ErrorKind::Value,
                    span,
                    format!("unknown {kind} host '{name}'"),
                )
            })?;
        self.mac_host(&mac, dir, span)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use crate::{CompileOptions, ErrorKind, LinkType, NameTable, compile};

    /// Names as a test system has them: hosts with one address, several
    /// (IPv4 and IPv6, in a chosen order), networks written short and
    /// long, an Ethernet host.
    fn names() -> NameTable {
        let ip = |s: &str| s.parse().unwrap();
        NameTable::new()
            .host("lo4", [ip("127.0.0.1")])
            .host("lo6", [ip("::1")])
            .host("both", [ip("::1"), ip("127.0.0.1")])
            .host(
                "multi",
                [ip("192.0.2.7"), ip("2001:db8::7"), ip("192.0.2.8")],
            )
            .network("loopback", 127)
            .network("testnet", 0xc000_0200)
            .network("default", 0)
            .ether_host("router", [0, 0x1b, 0x21, 0xaa, 0xbb, 0xcc])
    }

    fn opts(link: LinkType) -> CompileOptions {
        CompileOptions {
            resolver: Some(Arc::new(names())),
            ..CompileOptions::new(link)
        }
    }

    /// `by_name` compiles to the very program of `literal`.
    fn same(link: LinkType, by_name: &str, literal: &str) {
        let o = opts(link);
        let a = compile(by_name, &o).unwrap_or_else(|e| panic!("{by_name}: {e}"));
        let b = compile(literal, &o).unwrap_or_else(|e| panic!("{literal}: {e}"));
        assert_eq!(a.insns(), b.insns(), "{by_name} vs {literal} on {link:?}");
    }

    fn error(link: LinkType, expr: &str) -> crate::Error {
        compile(expr, &opts(link)).expect_err(expr)
    }

    #[test]
    fn a_host_is_all_its_addresses_in_order() {
        let en = LinkType::EN10MB;
        same(en, "host lo4", "host 127.0.0.1");
        same(en, "host lo6", "host ::1");
        same(en, "host both", "host ::1 or host 127.0.0.1");
        same(
            en,
            "host multi",
            "host 192.0.2.7 or host 2001:db8::7 or host 192.0.2.8",
        );
        same(en, "src host both", "src host ::1 or src host 127.0.0.1");
        same(en, "dst both", "dst host ::1 or dst host 127.0.0.1");
        same(
            en,
            "not host multi",
            "not (host 192.0.2.7 or host 2001:db8::7 or host 192.0.2.8)",
        );
        // A name after `and`/`or` takes the qualifiers before it.
        same(
            en,
            "src host lo4 or lo6",
            "src host 127.0.0.1 or src host ::1",
        );
        // The order is the resolver's, and it shows in the program.
        let o = opts(en);
        assert_ne!(
            compile("host both", &o).unwrap().insns(),
            compile("host 127.0.0.1 or host ::1", &o).unwrap().insns()
        );
    }

    #[test]
    fn the_protocol_picks_the_address_family() {
        let en = LinkType::EN10MB;
        same(
            en,
            "ip host multi",
            "ip host 192.0.2.7 or ip host 192.0.2.8",
        );
        same(en, "ip6 host multi", "ip6 host 2001:db8::7");
        same(en, "arp host lo4", "arp host 127.0.0.1");
        same(en, "rarp src lo4", "rarp src host 127.0.0.1");
        for (expr, msg) in [
            (
                "ip6 host lo4",
                "unknown host 'lo4' for specified address family",
            ),
            (
                "ip host lo6",
                "unknown host 'lo6' for specified address family",
            ),
            // ARP has no IPv6 hosts: libpcap's error for the IPv6 address.
            ("arp host both", "'arp' modifier applied to ip6 host"),
            ("tcp host lo4", "'tcp' modifier applied to host"),
            ("tcp host lo6", "'tcp' modifier applied to ip6 host"),
        ] {
            let e = error(en, expr);
            assert_eq!(e.message, msg, "{expr}");
            assert_eq!(e.kind, ErrorKind::Value);
        }
        // The error is at the name.
        assert_eq!(error(en, "tcp or ip6 host lo4").span, 16..19);
    }

    /// Without a protocol field in the link header, a name is an IPv4 or
    /// IPv6 host (no ARP), as libpcap has it.
    #[test]
    fn raw_links_take_names_as_ip_hosts() {
        for link in [LinkType::RAW, LinkType::IPV4, LinkType::FRELAY] {
            same(link, "host lo4", "ip host 127.0.0.1");
            same(link, "src lo4", "ip src host 127.0.0.1");
        }
        same(
            LinkType::RAW,
            "host both",
            "ip6 host ::1 or ip host 127.0.0.1",
        );
        same(LinkType::IPV6, "host lo6", "ip6 host ::1");
        // Links with a protocol field keep ARP and RARP.
        same(LinkType::LINUX_SLL, "host lo4", "host 127.0.0.1");
        same(LinkType::NULL, "host lo4", "host 127.0.0.1");
    }

    #[test]
    fn a_network_is_its_left_justified_number() {
        let en = LinkType::EN10MB;
        same(en, "net loopback", "net 127");
        same(en, "net loopback", "net 127.0.0.0/8");
        same(en, "net testnet", "net 192.0.2.0 mask 255.255.255.255");
        same(en, "src net loopback", "src net 127");
        same(en, "ip dst net loopback", "ip dst net 127");
        same(LinkType::RAW, "net loopback", "net 127");
        for (expr, msg) in [
            // libpcap takes network number 0 for "unknown".
            ("net default", "unknown network 'default'"),
            ("net nowhere", "unknown network 'nowhere'"),
            ("ip6 net loopback", "'ip6' modifier applied to net"),
            ("ether net loopback", "link-layer modifier applied to net"),
        ] {
            assert_eq!(error(en, expr).message, msg, "{expr}");
        }
    }

    #[test]
    fn an_ether_host_is_its_mac_address() {
        let en = LinkType::EN10MB;
        same(en, "ether host router", "ether host 00:1b:21:aa:bb:cc");
        same(en, "ether src router", "ether src 00:1b:21:aa:bb:cc");
        same(en, "link dst router", "ether dst 00:1b:21:aa:bb:cc");
        let wlan = LinkType::IEEE802_11_RADIO;
        same(wlan, "ether host router", "ether host 00:1b:21:aa:bb:cc");
        assert_eq!(
            error(en, "ether host nobody").message,
            "unknown ether host 'nobody'"
        );
        assert_eq!(
            error(wlan, "ether host nobody").message,
            "unknown 802.11 host 'nobody'"
        );
        // Links without MAC addresses refuse before looking the name up.
        for name in ["router", "nobody"] {
            let e = error(LinkType::LINUX_SLL, &format!("ether host {name}"));
            assert_eq!(e.kind, ErrorKind::LinkType);
            assert_eq!(
                e.message,
                "only ethernet/FDDI/token ring/802.11/ATM LANE/Fibre Channel supports link-level host name"
            );
        }
    }

    #[test]
    fn unknown_names_get_libpcaps_errors() {
        let en = LinkType::EN10MB;
        for (expr, msg, at) in [
            ("host nobody", "unknown host 'nobody'", 5..11),
            ("ip6 host nobody", "unknown host 'nobody'", 9..15),
            ("tcp and src nobody", "unknown host 'nobody'", 12..18),
            (
                "gateway router",
                "'gateway' not supported in this configuration",
                8..14,
            ),
            (
                "decnet host nobody",
                "decnet name support not included, 'nobody' cannot be translated",
                12..18,
            ),
        ] {
            let e = error(en, expr);
            assert_eq!((e.message.as_str(), e.span), (msg, at), "{expr}");
        }
    }

    /// No resolver: every name is unknown, as before there were any.
    #[test]
    fn without_a_resolver_no_name_is_known() {
        let o = CompileOptions::new(LinkType::EN10MB);
        for (expr, msg) in [
            ("host lo4", "unknown host 'lo4'"),
            ("net loopback", "unknown network 'loopback'"),
            ("ether host router", "unknown ether host 'router'"),
        ] {
            assert_eq!(compile(expr, &o).unwrap_err().message, msg);
        }
    }

    /// The eBPF back end and the IR take the same names.
    #[test]
    fn every_back_end_resolves() {
        let o = opts(LinkType::EN10MB);
        assert!(crate::compile_ebpf("host multi and net loopback", &o).is_ok());
        assert!(crate::compile_ir("ether host router", &o).is_ok());
    }
}
