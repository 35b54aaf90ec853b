//! Which interface a live capture is on and what its packets start with:
//! the interface's link type from its hardware type (see
//! [`crate::hardware`]), or, for `any`, the DLT_LINUX_SLL2 header rebuilt
//! on the packets of a cooked socket.

use bpfcap_filter::LinkType;

use super::LiveError;
use crate::hardware::{self, InterfaceLink};

/// The pseudo-interface that captures on every interface.
const ANY: &str = "any";

/// Where a capture is, and whether its socket is cooked.
pub(super) struct CaptureLink {
    /// The interface (index 0 for `any`) and its link type.
    pub(super) link: InterfaceLink,
    /// `any`: a cooked socket, whose packets have their SLL2 header
    /// rebuilt here.
    pub(super) cooked: bool,
}

/// Looks interface `name` (or `any`) up.
pub(super) fn capture_link(name: &str) -> Result<CaptureLink, LiveError> {
    if name == ANY {
        let link = InterfaceLink {
            ifindex: 0,
            link_type: LinkType::LINUX_SLL2,
            linktype: 276,
            address: [0; 6],
        };
        return Ok(CaptureLink { link, cooked: true });
    }
    Ok(CaptureLink {
        link: hardware::interface_link::<LiveError>(name)?,
        cooked: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_is_cooked_sll2_and_loopback_is_ethernet() {
        let any = capture_link("any").unwrap();
        assert!(any.cooked);
        assert_eq!(any.link.link_type, LinkType::LINUX_SLL2);
        assert_eq!(
            LinkType::from_linktype(any.link.linktype),
            LinkType::LINUX_SLL2
        );
        let lo = capture_link("lo").unwrap();
        assert!(!lo.cooked && lo.link.ifindex > 0);
        assert_eq!((lo.link.link_type, lo.link.linktype), (LinkType::EN10MB, 1));
        assert!(matches!(
            capture_link("no-such-if0"),
            Err(LiveError::Interface(
                crate::InterfaceError::NoSuchInterface(_)
            ))
        ));
    }
}
