//! [`PacketSource`]: what a filter can learn about a packet besides its
//! bytes, which decides what `inbound`, `outbound`, `ifindex` and `ifname`
//! mean where the link header does not say.
//!
//! libpcap makes the same distinction on Linux: for a live socket it
//! compiles `inbound` to the kernel's ancillary load of the packet type
//! (`SKF_AD_PKTTYPE`) and `ifindex` to that of the interface
//! (`SKF_AD_IFINDEX`), and for a savefile it refuses them. bpfcap also
//! answers them on pcapng records, whose enhanced packet blocks say the
//! direction (`epb_flags`) and the interface: the same program runs with
//! those answers in user space ([`cbpf::ancillary`](crate::cbpf::ancillary)).

/// Packets sent or received by the capturing host.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Received (`inbound`, `-Q in`): any packet type but
    /// `PACKET_OUTGOING`.
    In,
    /// Sent (`outbound`, `-Q out`): `PACKET_OUTGOING`.
    Out,
}

/// Linux's `PACKET_OUTGOING`: the packet type of a packet the host sent.
pub const PACKET_OUTGOING: u32 = 4;

/// Where the packets a filter will see come from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum PacketSource {
    /// A capture file read as libpcap reads one: only the bytes (and
    /// their link header) are known, so `inbound`, `outbound`, `ifindex`
    /// and `ifname` fail with libpcap's errors on link types whose header
    /// does not record them.
    #[default]
    Savefile,
    /// A Linux socket or XDP hook: the kernel answers the packet type
    /// and the interface index (classic ancillary loads, `__sk_buff`
    /// or `xdp_md` fields). libpcap compiles this way for every capture
    /// that is not a savefile (also `tcpdump -d` without `-r`).
    Kernel {
        /// Interface names and their indexes, for `ifname NAME` (bpfcap's
        /// extension: libpcap has `ifname` for pflog only).
        interfaces: Vec<(String, u32)>,
        /// Keep only packets of this direction (`-Q`), tested in the
        /// filter, so the others never leave the kernel.
        only: Option<Direction>,
    },
    /// pcapng records: the direction from each enhanced packet block's
    /// `epb_flags`, the interface from its interface id. `ifindex N`
    /// stays refused, as in a savefile (the ids are the file's, not the
    /// capturing host's).
    Records {
        /// Interface names (`if_name`) and their ids in the file, for
        /// `ifname NAME`; a name may stand for several ids.
        interfaces: Vec<(String, u32)>,
        /// Whether `interfaces` holds every interface of the file: then a
        /// name none of them has is an error. Until then (pcapng may
        /// describe interfaces anywhere, and a stream cannot be looked
        /// ahead in) such a name matches no packet read so far.
        complete: bool,
    },
}

/// The id an `ifname` of an interface not (yet) described stands for: no
/// interface has it.
pub(crate) const NO_INTERFACE: u32 = u32::MAX;

impl PacketSource {
    /// The indexes (or ids) of the interfaces named `name`, `None` for a
    /// savefile.
    pub(crate) fn interfaces_named(&self, name: &str) -> Option<Vec<u32>> {
        let list = match self {
            PacketSource::Savefile => return None,
            PacketSource::Kernel { interfaces, .. } | PacketSource::Records { interfaces, .. } => {
                interfaces
            }
        };
        Some(
            list.iter()
                .filter(|(n, _)| n == name)
                .map(|&(_, i)| i)
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cbpf::listing::{Format, render};
    use crate::{CompileOptions, LinkType, compile};

    fn listing(expr: &str, link: LinkType, source: PacketSource) -> Result<String, String> {
        let opts = CompileOptions {
            source,
            ..CompileOptions::new(link)
        };
        compile(expr, &opts)
            .map(|p| render(p.insns(), Format::Image))
            .map_err(|e| e.message)
    }

    fn kernel(only: Option<Direction>) -> PacketSource {
        PacketSource::Kernel {
            interfaces: vec![("lo".into(), 1), ("eth0".into(), 2)],
            only,
        }
    }

    fn records(complete: bool) -> PacketSource {
        PacketSource::Records {
            interfaces: vec![("eth0".into(), 0), ("eth1".into(), 1), ("eth1".into(), 3)],
            complete,
        }
    }

    #[test]
    fn savefiles_keep_libpcaps_errors() {
        let e = listing("inbound", LinkType::EN10MB, PacketSource::Savefile).unwrap_err();
        assert_eq!(
            e,
            "inbound/outbound not supported on Ethernet when reading savefiles"
        );
        assert!(listing("ifindex 1", LinkType::EN10MB, PacketSource::Savefile).is_err());
        assert!(listing("ifname eth0", LinkType::EN10MB, PacketSource::Savefile).is_err());
        // The cooked header says it, whatever the source.
        assert!(listing("inbound", LinkType::LINUX_SLL, PacketSource::Savefile).is_ok());
    }

    /// libpcap's live programs: `ldh [type]` and `ld [ifidx]`.
    #[test]
    fn the_kernel_answers_direction_and_interface() {
        for (expr, link, want) in [
            (
                "inbound",
                LinkType::EN10MB,
                "(000) ldh      [type]\n\
                 (001) jeq      #0x4             jt 2\tjf 3\n\
                 (002) ret      #0\n\
                 (003) ret      #262144\n",
            ),
            (
                "ifname eth0",
                LinkType::RAW,
                "(000) ld       [ifidx]\n\
                 (001) jeq      #0x2             jt 2\tjf 3\n\
                 (002) ret      #262144\n\
                 (003) ret      #0\n",
            ),
        ] {
            assert_eq!(listing(expr, link, kernel(None)).unwrap(), want);
        }
        // On `any`, the cooked header's fields (rewritten for the kernel).
        let any = listing("ifname lo", LinkType::LINUX_SLL2, kernel(None)).unwrap();
        assert!(any.starts_with("(000) ld       [4]\n"), "{any}");
        let e = listing("ifname eth9", LinkType::EN10MB, kernel(None)).unwrap_err();
        assert_eq!(e, "ifname eth9: no such interface");
        // pflog keeps its own `ifname`.
        let pf = listing("ifname eth0", LinkType::PFLOG, kernel(None)).unwrap();
        assert!(!pf.contains("ifidx"), "{pf}");
    }

    /// `-Q` comes first in the program, so the kernel drops the other
    /// direction at once.
    #[test]
    fn only_one_direction_is_tested_first() {
        let q = listing("udp", LinkType::EN10MB, kernel(Some(Direction::In))).unwrap();
        assert!(q.starts_with("(000) ldh      [type]\n"), "{q}");
        let all = listing("", LinkType::EN10MB, kernel(Some(Direction::Out))).unwrap();
        assert!(all.contains("jeq      #0x4"), "{all}");
    }

    #[test]
    fn records_name_every_interface_of_that_name() {
        let l = listing("ifname eth1", LinkType::EN10MB, records(false)).unwrap();
        assert!(l.contains("#0x1 ") && l.contains("#0x3 "), "{l}");
        // Not described yet: no packet so far; once all are known, an error.
        let l = listing("ifname eth2", LinkType::EN10MB, records(false)).unwrap();
        assert!(l.contains("#0xffffffff"), "{l}");
        let e = listing("ifname eth2", LinkType::EN10MB, records(true)).unwrap_err();
        assert_eq!(e, "ifname eth2: no interface of that name in the file");
        // The file's ids are no host's interface indexes.
        assert!(listing("ifindex 1", LinkType::EN10MB, records(true)).is_err());
        assert!(listing("outbound", LinkType::EN10MB, records(true)).is_ok());
    }
}
