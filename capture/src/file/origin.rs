//! What a live capture knows about a packet besides its bytes, for a
//! pcapng file to say: the interface it came from (by name, so that
//! packets of several interfaces, or of the real interfaces behind `any`,
//! each get their own interface description), its direction and
//! reception type (`epb_flags`), and what an XDP program did with it.

/// An interface by name, as a pcapng interface description gives it
/// (`if_name`, `if_description`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Port<'a> {
    /// The interface's name (`eth0`).
    pub name: &'a str,
    /// What it is, where known (its alias, or what `any` is).
    pub description: Option<&'a str>,
}

/// What an XDP program did with a packet it copied to user space.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Verdict {
    /// The XDP action returned for it (`XDP_PASS` 2, `XDP_DROP` 1).
    pub action: u32,
    /// The receive queue it arrived on (`xdp_md->rx_queue_index`).
    pub rx_queue: u32,
}

impl Verdict {
    /// The action's name, as the kernel's `enum xdp_action` spells it
    /// (lower case, without `XDP_`).
    pub fn action_name(&self) -> &'static str {
        match self.action {
            0 => "aborted",
            1 => "drop",
            2 => "pass",
            3 => "tx",
            4 => "redirect",
            _ => "unknown",
        }
    }

    /// The packet comment that says it for readers that do not decode
    /// `epb_verdict`.
    pub fn comment(&self) -> String {
        format!("xdp: action={} rxq={}", self.action_name(), self.rx_queue)
    }
}

/// A live packet's metadata (none for packets read from a file, whose
/// pcapng options travel with their stored block).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Origin<'a> {
    /// The interface by name: packets of one link type but different
    /// ports get different interface descriptions.
    pub port: Option<Port<'a>>,
    /// `epb_flags`: see [`flags_for_pkttype`].
    pub flags: Option<u32>,
    /// What XDP did with it.
    pub verdict: Option<Verdict>,
}

/// An interface's counts at the end of a capture, for the interface
/// statistics block closing a pcapng file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct InterfaceCounts {
    /// Packets the interface (or its filter) received: `isb_ifrecv`.
    pub received: u64,
    /// Packets lost for want of room: `isb_ifdrop`.
    pub dropped: u64,
    /// Packets the filter accepted, where counted apart from
    /// `received`: `isb_filteraccept`.
    pub accepted: Option<u64>,
}

/// `epb_flags` directions (bits 0–1) and reception types (bits 2–4).
const INBOUND: u32 = 1;
const OUTBOUND: u32 = 2;
const UNICAST: u32 = 1 << 2;
const MULTICAST: u32 = 2 << 2;
const BROADCAST: u32 = 3 << 2;
const PROMISCUOUS: u32 = 4 << 2;
/// The reception type's bits.
const RECEPTION: u32 = 7 << 2;

/// `epb_flags` for a packet the kernel describes with `sll_pkttype`:
/// sent (`PACKET_OUTGOING`, reception type unknown) or received, as a
/// unicast to this host, a multicast, a broadcast, or a unicast to
/// another host (seen in promiscuous mode).
pub fn flags_for_pkttype(pkttype: u8) -> u32 {
    match pkttype {
        libc::PACKET_HOST => INBOUND | UNICAST,
        libc::PACKET_BROADCAST => INBOUND | BROADCAST,
        libc::PACKET_MULTICAST => INBOUND | MULTICAST,
        libc::PACKET_OTHERHOST => INBOUND | PROMISCUOUS,
        libc::PACKET_OUTGOING => OUTBOUND,
        _ => 0,
    }
}

/// Linux's packet type for `epb_flags`, the inverse of
/// [`flags_for_pkttype`]: `None` without a direction; a received packet
/// of no known reception type is taken as sent to this host.
pub fn pkttype_for_flags(flags: u32) -> Option<u8> {
    match flags & (INBOUND | OUTBOUND) {
        INBOUND => Some(match flags & RECEPTION {
            MULTICAST => libc::PACKET_MULTICAST,
            BROADCAST => libc::PACKET_BROADCAST,
            PROMISCUOUS => libc::PACKET_OTHERHOST,
            _ => libc::PACKET_HOST,
        }),
        OUTBOUND => Some(libc::PACKET_OUTGOING),
        _ => None,
    }
}

/// `epb_flags` for a received Ethernet frame, from its destination
/// address as the kernel's `eth_type_trans` sorts it (XDP runs before
/// that and is told nothing): broadcast, multicast, this host (`own`),
/// or another host.
pub fn flags_for_ethernet(frame: &[u8], own: [u8; 6]) -> u32 {
    let Some(dst) = frame.get(..6) else {
        return INBOUND;
    };
    if dst == [0xff; 6] {
        INBOUND | BROADCAST
    } else if dst[0] & 1 != 0 {
        INBOUND | MULTICAST
    } else if dst == own {
        INBOUND | UNICAST
    } else {
        INBOUND | PROMISCUOUS
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packet_types_become_pcapng_flags() {
        assert_eq!(flags_for_pkttype(libc::PACKET_HOST), 0b00101);
        assert_eq!(flags_for_pkttype(libc::PACKET_BROADCAST), 0b01101);
        assert_eq!(flags_for_pkttype(libc::PACKET_MULTICAST), 0b01001);
        assert_eq!(flags_for_pkttype(libc::PACKET_OTHERHOST), 0b10001);
        assert_eq!(flags_for_pkttype(libc::PACKET_OUTGOING), 0b00010);
    }

    #[test]
    fn pcapng_flags_become_packet_types() {
        assert_eq!(pkttype_for_flags(0), None);
        assert_eq!(pkttype_for_flags(3), None);
        assert_eq!(pkttype_for_flags(2), Some(libc::PACKET_OUTGOING));
        assert_eq!(pkttype_for_flags(1), Some(libc::PACKET_HOST));
        assert_eq!(pkttype_for_flags(1 | 1 << 2), Some(libc::PACKET_HOST));
        assert_eq!(pkttype_for_flags(1 | 2 << 2), Some(libc::PACKET_MULTICAST));
        assert_eq!(pkttype_for_flags(1 | 3 << 2), Some(libc::PACKET_BROADCAST));
        assert_eq!(pkttype_for_flags(1 | 4 << 2), Some(libc::PACKET_OTHERHOST));
        for t in [
            libc::PACKET_HOST,
            libc::PACKET_BROADCAST,
            libc::PACKET_MULTICAST,
            libc::PACKET_OTHERHOST,
            libc::PACKET_OUTGOING,
        ] {
            assert_eq!(pkttype_for_flags(flags_for_pkttype(t)), Some(t));
        }
    }

    #[test]
    fn ethernet_destinations_become_reception_types() {
        let own = [2, 0, 0, 0, 0, 1];
        let frame = |dst: [u8; 6]| [&dst[..], &[0; 8]].concat();
        assert_eq!(flags_for_ethernet(&frame([0xff; 6]), own), 0b01101);
        assert_eq!(
            flags_for_ethernet(&frame([1, 0, 0x5e, 0, 0, 1]), own),
            0b01001
        );
        assert_eq!(flags_for_ethernet(&frame(own), own), 0b00101);
        assert_eq!(flags_for_ethernet(&frame([2, 0, 0, 0, 0, 9]), own), 0b10001);
        assert_eq!(flags_for_ethernet(&[1, 2], own), 0b00001);
    }

    #[test]
    fn verdicts_read_as_the_kernel_names_actions() {
        let v = Verdict {
            action: 2,
            rx_queue: 3,
        };
        assert_eq!(v.comment(), "xdp: action=pass rxq=3");
        assert_eq!(Verdict { action: 1, ..v }.action_name(), "drop");
    }
}
