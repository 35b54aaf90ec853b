//! Which link-layer header an interface's packets start with, from its
//! ARP hardware type. Live capture and XDP both compile their filter with
//! this one table, so that no filter ever runs on packets of a link type
//! it was not compiled for (offsets for Ethernet on a tun device's bare
//! IP packets match nothing, and an inverted drop then drops everything).

use bpfcap_filter::LinkType;

use crate::sys::{self, InterfaceError, OsError};

/// An interface, and the link type of the packets it hands to an
/// `AF_PACKET` socket or an XDP program.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct InterfaceLink {
    /// Its index.
    pub ifindex: u32,
    /// The link type the filter is compiled for.
    pub link_type: LinkType,
    /// The LINKTYPE_ value capture files record for it.
    pub linktype: u32,
    /// Its hardware address, if Ethernet's six bytes (else zeros).
    pub address: [u8; 6],
}

/// The link type (and its pcap number) for an `ARPHRD_*` hardware type,
/// for live capture, XDP and `-L` alike. Ethernet and loopback
/// frames start with an Ethernet header; devices without a link layer
/// (`ARPHRD_NONE`: tun, WireGuard) hand over bare IP packets, in the
/// packet socket as in XDP, whose data starts at the IP header there.
pub fn link_for_hardware(arphrd: u16) -> Option<(LinkType, u32)> {
    match arphrd {
        libc::ARPHRD_ETHER | libc::ARPHRD_LOOPBACK => Some((LinkType::EN10MB, 1)),
        libc::ARPHRD_NONE => Some((LinkType::RAW, 101)),
        _ => None,
    }
}

/// Looks interface `name` up: no such interface, or one whose link type
/// is not handled, is an [`InterfaceError`].
pub(crate) fn interface_link<E>(name: &str) -> Result<InterfaceLink, E>
where
    E: From<InterfaceError> + From<OsError>,
{
    let failed = |source| sys::interface_failure::<E>(name, source);
    let ifindex = sys::ifindex(name).map_err(failed)?;
    let req = sys::interface_ioctl(name, libc::SIOCGIFHWADDR).map_err(failed)?;
    // SAFETY: the union member SIOCGIFHWADDR sets.
    let hwaddr = unsafe { req.ifr_ifru.ifru_hwaddr };
    let arphrd = hwaddr.sa_family;
    let address = std::array::from_fn(|i| hwaddr.sa_data[i] as u8);
    let (link_type, linktype) =
        link_for_hardware(arphrd).ok_or_else(|| InterfaceError::UnsupportedHardware {
            interface: name.to_string(),
            arphrd,
        })?;
    Ok(InterfaceLink {
        ifindex,
        link_type,
        linktype,
        address,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::live::LiveError;

    #[test]
    fn hardware_types_map_to_the_headers_their_packets_have() {
        assert_eq!(
            link_for_hardware(libc::ARPHRD_ETHER),
            Some((LinkType::EN10MB, 1))
        );
        assert_eq!(
            link_for_hardware(libc::ARPHRD_LOOPBACK),
            Some((LinkType::EN10MB, 1))
        );
        assert_eq!(
            link_for_hardware(libc::ARPHRD_NONE),
            Some((LinkType::RAW, 101))
        );
        assert_eq!(LinkType::from_linktype(101), LinkType::RAW);
        assert_eq!(link_for_hardware(libc::ARPHRD_TUNNEL), None);
    }

    #[test]
    fn loopback_is_ethernet_and_a_missing_interface_is_named() {
        let lo = interface_link::<LiveError>("lo").expect("every namespace has lo");
        assert_eq!(lo.link_type, LinkType::EN10MB);
        match interface_link("no-such-if0") {
            Err(LiveError::Interface(e)) => {
                assert_eq!(
                    e.to_string(),
                    "no-such-if0: no such interface (bpfcap -D lists them)"
                )
            }
            other => panic!("{other:?}"),
        }
    }
}
