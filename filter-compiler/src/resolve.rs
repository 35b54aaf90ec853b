//! Host, network and Ethernet host names in expressions (`host NAME`,
//! `net NAME`, `ether host NAME`), looked up through a [`Resolver`] the
//! caller hands over in [`CompileOptions::resolver`], so that the
//! compiler itself reads no `/etc` file and asks no DNS server.
//!
//! What the compiler makes of the answers is libpcap's (`gen_scode` in
//! `gencode.c`): every address of a host, in the order given, joined by
//! `or`; a network number left-justified with the mask of its bytes.
//! Without a resolver every such name is unknown, with libpcap's error
//! for it (`unknown host 'NAME'`).
//!
//! [`CompileOptions::resolver`]: crate::CompileOptions::resolver

use std::collections::BTreeMap;
use std::fmt;
use std::net::IpAddr;

/// Looks up the names an expression uses. A name it does not know gets
/// libpcap's "unknown" error at the name's place in the expression.
///
/// The methods have libpcap's lookups as their model (`nametoaddr.c`); a
/// resolver for the system (as tcpdump's) calls the same C library
/// functions, one for tests answers from a table ([`NameTable`]).
pub trait Resolver: Send + Sync {
    /// The addresses of host `name`, IPv4 and IPv6, in the order
    /// `getaddrinfo(name)` with `AF_UNSPEC` gives them (libpcap's
    /// `pcap_nametoaddrinfo`): the order of the tests in the program.
    /// Empty when the name is unknown.
    fn host(&self, name: &str) -> Vec<IpAddr> {
        let _ = name;
        Vec::new()
    }

    /// The IPv4 network number of `name` as `getnetbyname` gives it
    /// (`/etc/networks`; libpcap's `pcap_nametonetaddr`): host order, and
    /// not left-justified (`127` for a network written `127`). `None`
    /// (or 0, as in libpcap) when the name is unknown.
    fn network(&self, name: &str) -> Option<u32> {
        let _ = name;
        None
    }

    /// The MAC address of `name` as `ether_hostton` gives it
    /// (`/etc/ethers`; libpcap's `pcap_ether_hostton`). `None` when the
    /// name is unknown.
    fn ether_host(&self, name: &str) -> Option<[u8; 6]> {
        let _ = name;
        None
    }
}

/// Shows that a resolver is there, not what it knows (a system resolver
/// knows the whole DNS).
impl fmt::Debug for dyn Resolver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Resolver")
    }
}

/// Two resolvers are equal when they are the same object: options that
/// share one resolve alike.
impl PartialEq for dyn Resolver + '_ {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::addr_eq(self, other)
    }
}

impl Eq for dyn Resolver + '_ {}

/// A [`Resolver`] answering from fixed tables: for tests, and for
/// callers with their own names (a capture tool's configuration).
///
/// ```
/// use std::sync::Arc;
/// use bpfcap_filter::{compile, CompileOptions, LinkType, NameTable};
/// let names = NameTable::new().host("gw", ["192.0.2.1".parse().unwrap()]);
/// let opts = CompileOptions {
///     resolver: Some(Arc::new(names)),
///     ..CompileOptions::new(LinkType::EN10MB)
/// };
/// let by_name = compile("ip host gw", &opts).unwrap();
/// let by_number = compile("ip host 192.0.2.1", &opts).unwrap();
/// assert_eq!(by_name.insns(), by_number.insns());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NameTable {
    hosts: BTreeMap<String, Vec<IpAddr>>,
    networks: BTreeMap<String, u32>,
    ethers: BTreeMap<String, [u8; 6]>,
}

impl NameTable {
    /// An empty table: every name unknown.
    pub fn new() -> NameTable {
        NameTable::default()
    }

    /// With host `name` at `addrs`, in this order.
    pub fn host(mut self, name: &str, addrs: impl IntoIterator<Item = IpAddr>) -> NameTable {
        self.hosts.insert(name.into(), addrs.into_iter().collect());
        self
    }

    /// With network `name` numbered `net` (as in `/etc/networks`).
    pub fn network(mut self, name: &str, net: u32) -> NameTable {
        self.networks.insert(name.into(), net);
        self
    }

    /// With Ethernet host `name` at `mac` (as in `/etc/ethers`).
    pub fn ether_host(mut self, name: &str, mac: [u8; 6]) -> NameTable {
        self.ethers.insert(name.into(), mac);
        self
    }
}

impl Resolver for NameTable {
    fn host(&self, name: &str) -> Vec<IpAddr> {
        self.hosts.get(name).cloned().unwrap_or_default()
    }

    fn network(&self, name: &str) -> Option<u32> {
        self.networks.get(name).copied()
    }

    fn ether_host(&self, name: &str) -> Option<[u8; 6]> {
        self.ethers.get(name).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn the_default_resolver_knows_no_name() {
        struct Nothing;
        impl Resolver for Nothing {}
        assert!(Nothing.host("localhost").is_empty());
        assert_eq!(Nothing.network("loopback"), None);
        assert_eq!(Nothing.ether_host("router"), None);
    }

    #[test]
    fn a_table_answers_what_it_holds() {
        let t = NameTable::new()
            .host("h", ["::1".parse().unwrap(), "127.0.0.1".parse().unwrap()])
            .network("n", 127)
            .ether_host("e", [0, 1, 2, 3, 4, 5]);
        let v6_first: Vec<IpAddr> = vec!["::1".parse().unwrap(), "127.0.0.1".parse().unwrap()];
        assert_eq!(Resolver::host(&t, "h"), v6_first);
        assert!(Resolver::host(&t, "H").is_empty());
        assert_eq!(Resolver::network(&t, "n"), Some(127));
        assert_eq!(Resolver::ether_host(&t, "e"), Some([0, 1, 2, 3, 4, 5]));
    }

    #[test]
    fn resolvers_are_equal_when_the_same_object() {
        // As options hold them.
        let a: Option<Arc<dyn Resolver>> = Some(Arc::new(NameTable::new()));
        let b: Option<Arc<dyn Resolver>> = Some(Arc::new(NameTable::new()));
        assert_eq!(a, a.clone());
        assert_ne!(a, b);
        assert_ne!(a, None);
        assert_eq!(format!("{a:?}"), "Some(Resolver)");
    }
}
