//! The system's host, network and Ethernet host names for filter
//! expressions, looked up with the C library calls libpcap makes
//! (`nametoaddr.c`), so `host NAME`, `net NAME` and `ether host NAME`
//! mean what they mean to tcpdump on this machine: `/etc/hosts` and DNS,
//! `/etc/networks`, `/etc/ethers`, as `/etc/nsswitch.conf` orders them.
//! As in tcpdump, `-n` changes nothing here (it is about printing).

use std::ffi::{CString, c_char, c_int};
use std::net::{IpAddr, ToSocketAddrs};
use std::sync::Arc;

use bpfcap_filter::Resolver;

/// The resolver every compile of the command line gets.
pub fn system() -> Arc<dyn Resolver> {
    Arc::new(System)
}

struct System;

unsafe extern "C" {
    /// glibc's `<netinet/ether.h>` (the `libc` crate has no binding):
    /// the `struct ether_addr` it fills is six bytes.
    fn ether_hostton(hostname: *const c_char, addr: *mut [u8; 6]) -> c_int;
}

/// libpcap sizes `getnetbyname_r`'s buffer so; a longer entry is unknown
/// to it too.
const NETENT_BUF: usize = 1024;

impl Resolver for System {
    /// The standard library's lookup is libpcap's `pcap_nametoaddrinfo`:
    /// `getaddrinfo` with `AF_UNSPEC` and `SOCK_STREAM` (one answer per
    /// address), in the order it returns them.
    fn host(&self, name: &str) -> Vec<IpAddr> {
        match (name, 0).to_socket_addrs() {
            Ok(addrs) => addrs.map(|a| a.ip()).collect(),
            Err(_) => Vec::new(),
        }
    }

    /// `getnetbyname_r`, as libpcap's `pcap_nametonetaddr` on Linux.
    fn network(&self, name: &str) -> Option<u32> {
        let name = CString::new(name).ok()?;
        // SAFETY: an all-zero `netent` is a valid value (null pointers,
        // zero numbers); it is only read after the call filled it.
        let mut entry: libc::netent = unsafe { std::mem::zeroed() };
        let mut buf = [0 as c_char; NETENT_BUF];
        let mut found: *mut libc::netent = std::ptr::null_mut();
        let mut h_errno: c_int = 0;
        // SAFETY: every pointer is to a live local of the declared type,
        // `buf`'s length is passed with it, and `name` is NUL-terminated.
        let rc = unsafe {
            libc::getnetbyname_r(
                name.as_ptr(),
                &mut entry,
                buf.as_mut_ptr(),
                buf.len(),
                &mut found,
                &mut h_errno,
            )
        };
        (rc == 0 && !found.is_null()).then_some(entry.n_net)
    }

    /// `ether_hostton`, as libpcap's `pcap_ether_hostton` where the C
    /// library has it.
    fn ether_host(&self, name: &str) -> Option<[u8; 6]> {
        let name = CString::new(name).ok()?;
        let mut mac = [0u8; 6];
        // SAFETY: `name` is NUL-terminated and `mac` has the size of the
        // `struct ether_addr` the call writes.
        (unsafe { ether_hostton(name.as_ptr(), &mut mac) } == 0).then_some(mac)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A name every Linux system has (`localhost`, from `/etc/hosts` or
    /// glibc itself), and names none has (but no unknown host name: that
    /// would ask DNS; `tests/names.rs` has them, on private files).
    #[test]
    fn looks_up_the_system_names() {
        let r = system();
        let localhost = r.host("localhost");
        assert!(!localhost.is_empty());
        assert!(localhost.iter().all(|a| a.is_loopback()));
        assert!(r.host("nul\0byte").is_empty());
        assert_eq!(r.network("no-such-network-name"), None);
        assert_eq!(r.network("nul\0byte"), None);
        assert_eq!(r.ether_host("no-such-ether-host"), None);
        assert_eq!(r.ether_host("nul\0byte"), None);
    }
}
