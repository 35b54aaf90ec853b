//! The interfaces a capture can be started on, listed and ordered as
//! libpcap's `pcap_findalldevs` lists them on Linux (tcpdump `-D`, and
//! its choice when no `-i` is given): network interfaces in index order,
//! then `any`, sorted so that the likeliest to carry traffic come first.
//! libpcap's other capture sources (USB, Bluetooth, D-Bus, netfilter
//! queues) are left out: they are not network interfaces and this crate
//! cannot capture on them.

use std::ffi::CStr;
use std::io;

use bpfcap_filter::{Direction, PacketSource};

use crate::sys;

/// Whether traffic can reach an interface (libpcap's
/// `PCAP_IF_CONNECTION_STATUS_*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Connection {
    /// The driver could not say.
    Unknown,
    /// A link is detected.
    Connected,
    /// No link (no cable, no carrier).
    Disconnected,
    /// Loopback and pseudo-devices, and drivers without link detection.
    NotApplicable,
}

/// One interface as libpcap describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Device {
    /// The name to capture on.
    pub name: String,
    /// libpcap's description (only `any` has one here).
    pub description: Option<&'static str>,
    /// `IFF_UP`.
    pub up: bool,
    /// `IFF_RUNNING`.
    pub running: bool,
    /// `IFF_LOOPBACK`.
    pub loopback: bool,
    /// A wireless (802.11) interface.
    pub wireless: bool,
    /// Whether it has a link.
    pub connection: Connection,
}

impl Device {
    /// libpcap's "figure of merit" (lower sorts first): running, up, not
    /// disconnected, not loopback; `any` after every working interface.
    fn merit(&self) -> u32 {
        let mut n = 0;
        if !self.running {
            n |= 0x8000_0000;
        }
        if !self.up {
            n |= 0x4000_0000;
        }
        if !self.wireless && self.connection == Connection::Disconnected {
            n |= 0x2000_0000;
        }
        if self.loopback {
            n |= 0x1000_0000;
        }
        if self.name == "any" {
            n |= 0x0800_0000;
        }
        n
    }
}

/// The `any` pseudo-device.
fn any() -> Device {
    Device {
        name: "any".into(),
        description: Some("Pseudo-device that captures on all interfaces"),
        up: true,
        running: true,
        loopback: false,
        wireless: false,
        connection: Connection::NotApplicable,
    }
}

/// The devices in libpcap's order.
pub fn find_all() -> io::Result<Vec<Device>> {
    let mut devices: Vec<Device> = names()?
        .into_iter()
        .filter_map(|name| describe(name).transpose())
        .collect::<io::Result<_>>()?;
    devices.push(any());
    // Stable: equal merits keep the index order.
    devices.sort_by_key(Device::merit);
    Ok(devices)
}

/// Interface names in index order.
fn names() -> io::Result<Vec<String>> {
    Ok(indexes()?.into_iter().map(|(name, _)| name).collect())
}

/// Every network interface's name and index, in index order: what a
/// filter's `ifname NAME` stands for live (see
/// [`PacketSource::Kernel`]).
pub fn indexes() -> io::Result<Vec<(String, u32)>> {
    // SAFETY: if_nameindex returns an array ended by a zero entry (or
    // null), freed below with if_freenameindex.
    unsafe {
        let list = libc::if_nameindex();
        if list.is_null() {
            return Err(io::Error::last_os_error());
        }
        let mut all = Vec::new();
        let mut p = list;
        while (*p).if_index != 0 {
            let name = CStr::from_ptr((*p).if_name).to_string_lossy().into_owned();
            all.push((name, (*p).if_index));
            p = p.add(1);
        }
        libc::if_freenameindex(list);
        Ok(all)
    }
}

/// What a filter run by this host's kernel can test besides the packet
/// (its direction, its interface, resolved by name among [`indexes`]),
/// keeping only `only`'s direction (`-Q`) when given. If the interfaces
/// cannot be listed, `ifname` names none.
pub fn kernel_source(only: Option<Direction>) -> PacketSource {
    PacketSource::Kernel {
        interfaces: indexes().unwrap_or_default(),
        only,
    }
}

/// One interface's flags; `None` if it went away meanwhile.
fn describe(name: String) -> io::Result<Option<Device>> {
    let req = match sys::interface_ioctl(&name, libc::SIOCGIFFLAGS as libc::c_ulong) {
        Ok(req) => req,
        Err(e) if sys::is_no_such_device(&e) => return Ok(None),
        Err(e) => return Err(e),
    };
    // SAFETY: the union member SIOCGIFFLAGS sets.
    let flags = i32::from(unsafe { req.ifr_ifru.ifru_flags });
    let loopback = flags & libc::IFF_LOOPBACK != 0;
    let sysfs = std::path::Path::new("/sys/class/net").join(&name);
    let wireless = sysfs.join("wireless").exists() || sysfs.join("phy80211").exists();
    let connection = if loopback {
        Connection::NotApplicable
    } else {
        link_detected(&name)
    };
    Ok(Some(Device {
        name,
        description: None,
        up: flags & libc::IFF_UP != 0,
        running: flags & libc::IFF_RUNNING != 0,
        loopback,
        wireless,
        connection,
    }))
}

/// `ETHTOOL_GLINK`, as libpcap asks it: drivers that cannot tell make
/// the question not applicable.
fn link_detected(name: &str) -> Connection {
    const SIOCETHTOOL: libc::c_ulong = 0x8946;
    const ETHTOOL_GLINK: u32 = 0x0000_000a;
    #[repr(C)]
    struct EthtoolValue {
        cmd: u32,
        data: u32,
    }
    let mut value = EthtoolValue {
        cmd: ETHTOOL_GLINK,
        data: 0,
    };
    // SAFETY: ifreq is plain data; ifr_data points at `value`, which
    // outlives the ioctl.
    let mut req: libc::ifreq = unsafe { std::mem::zeroed() };
    req.ifr_ifru.ifru_data = (&mut value as *mut EthtoolValue).cast();
    match sys::interface_ioctl_with(name, SIOCETHTOOL, req) {
        Ok(_) if value.data != 0 => Connection::Connected,
        Ok(_) => Connection::Disconnected,
        Err(e) => match e.raw_os_error() {
            Some(libc::EOPNOTSUPP | libc::EINVAL) => Connection::NotApplicable,
            _ => Connection::Unknown,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dev(name: &str, up: bool, loopback: bool, connection: Connection) -> Device {
        Device {
            name: name.into(),
            description: None,
            up,
            running: up,
            loopback,
            wireless: false,
            connection,
        }
    }

    /// The order `tcpdump -D` shows: working interfaces, `any`, loopback,
    /// then disconnected and down ones, each group in index order.
    #[test]
    fn sorted_as_libpcap_sorts() {
        let mut v = [
            dev("lo", true, true, Connection::NotApplicable),
            dev("ifb0", false, false, Connection::NotApplicable),
            dev("eth1", true, false, Connection::Disconnected),
            dev("eth0", true, false, Connection::Connected),
            any(),
            dev("eth2", true, false, Connection::Connected),
        ];
        v.sort_by_key(Device::merit);
        let names: Vec<&str> = v.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["eth0", "eth2", "any", "lo", "eth1", "ifb0"]);
    }

    #[test]
    fn lists_loopback_and_any() {
        let all = find_all().unwrap();
        assert!(all.iter().any(|d| d.name == "any"));
        let lo = all.iter().find(|d| d.name == "lo").unwrap();
        assert!(lo.loopback && lo.connection == Connection::NotApplicable);
    }
}
