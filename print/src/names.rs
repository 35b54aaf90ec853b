//! Names instead of numbers (without -n): hosts through a resolver with a
//! cache, ports from the built-in copy of `/etc/services`.

use std::collections::HashMap;
use std::net::IpAddr;

use crate::services;

/// Turns an address into a host name (tcpdump uses the system resolver).
pub trait Resolver {
    /// The name of `addr`, or `None` to print it as a number.
    fn lookup(&mut self, addr: IpAddr) -> Option<String>;
}

/// The system resolver (`getnameinfo` with `NI_NAMEREQD`).
#[derive(Debug, Default)]
pub struct SystemResolver;

impl Resolver for SystemResolver {
    fn lookup(&mut self, addr: IpAddr) -> Option<String> {
        system_lookup(addr)
    }
}

fn system_lookup(addr: IpAddr) -> Option<String> {
    // SAFETY: the sockaddr structures are plain old data, filled in
    // completely before use; getnameinfo writes at most `host.len()`
    // bytes into `host` and NUL-terminates on success.
    unsafe {
        let mut host = [0 as libc::c_char; 1025];
        let rc = match addr {
            IpAddr::V4(a) => {
                let mut sa: libc::sockaddr_in = std::mem::zeroed();
                sa.sin_family = libc::AF_INET as libc::sa_family_t;
                sa.sin_addr.s_addr = u32::from_ne_bytes(a.octets());
                libc::getnameinfo(
                    (&raw const sa).cast(),
                    std::mem::size_of::<libc::sockaddr_in>() as libc::socklen_t,
                    host.as_mut_ptr(),
                    host.len() as libc::socklen_t,
                    std::ptr::null_mut(),
                    0,
                    libc::NI_NAMEREQD,
                )
            }
            IpAddr::V6(a) => {
                let mut sa: libc::sockaddr_in6 = std::mem::zeroed();
                sa.sin6_family = libc::AF_INET6 as libc::sa_family_t;
                sa.sin6_addr.s6_addr = a.octets();
                libc::getnameinfo(
                    (&raw const sa).cast(),
                    std::mem::size_of::<libc::sockaddr_in6>() as libc::socklen_t,
                    host.as_mut_ptr(),
                    host.len() as libc::socklen_t,
                    std::ptr::null_mut(),
                    0,
                    libc::NI_NAMEREQD,
                )
            }
        };
        if rc != 0 {
            return None;
        }
        let name = std::ffi::CStr::from_ptr(host.as_ptr());
        Some(name.to_string_lossy().into_owned())
    }
}

/// Host names asked for so far, each resolved once.
pub struct Names {
    resolver: Box<dyn Resolver + Send>,
    cache: HashMap<IpAddr, String>,
}

impl Names {
    /// Names from `resolver`.
    pub fn new(resolver: Box<dyn Resolver + Send>) -> Self {
        Names {
            resolver,
            cache: HashMap::new(),
        }
    }

    /// The name of `addr`, or the address itself.
    pub fn host(&mut self, addr: IpAddr) -> String {
        if let Some(n) = self.cache.get(&addr) {
            return n.clone();
        }
        let name = self.resolver.lookup(addr).unwrap_or_else(|| match addr {
            IpAddr::V4(a) => a.to_string(),
            IpAddr::V6(a) => crate::ctx::Ip6(a.octets()).to_string(),
        });
        self.cache.insert(addr, name.clone());
        name
    }
}

impl std::fmt::Debug for Names {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Names")
            .field("cached", &self.cache.len())
            .finish()
    }
}

fn find(table: &'static [(u16, &'static str)], port: u16) -> Option<&'static str> {
    table
        .binary_search_by_key(&port, |&(p, _)| p)
        .ok()
        .map(|i| table[i].1)
}

/// The service name of a TCP port.
pub(crate) fn tcp_port(port: u16) -> Option<&'static str> {
    find(services::TCP, port)
}

/// The service name of a UDP port.
pub(crate) fn udp_port(port: u16) -> Option<&'static str> {
    find(services::UDP, port)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Fake;
    impl Resolver for Fake {
        fn lookup(&mut self, addr: IpAddr) -> Option<String> {
            (addr == IpAddr::from([10, 0, 0, 1])).then(|| "one.example".to_string())
        }
    }

    #[test]
    fn hosts_and_ports() {
        let mut n = Names::new(Box::new(Fake));
        assert_eq!(n.host(IpAddr::from([10, 0, 0, 1])), "one.example");
        assert_eq!(n.host(IpAddr::from([10, 0, 0, 2])), "10.0.0.2");
        assert_eq!(tcp_port(80), Some("http"));
        assert_eq!(udp_port(53), Some("domain"));
        assert_eq!(tcp_port(1), Some("tcpmux"));
    }
}
