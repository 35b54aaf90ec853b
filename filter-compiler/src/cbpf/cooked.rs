//! Classic programs for Linux "cooked" packet sockets (`AF_PACKET`,
//! `SOCK_DGRAM`, as live capture on `any` uses), the way libpcap rewrites
//! them.
//!
//! A cooked socket hands its filter the packet from the network header,
//! while capture files (and so the expression's offsets) have a
//! DLT_LINUX_SLL2 header in front of it, rebuilt from what the kernel says
//! about each packet. The filter is compiled for SLL2 and rewritten here:
//! loads past the SLL2 header move back by its length, and loads of its
//! fields become the kernel's ancillary loads of the same facts.

use super::Program;
use super::ancillary::{SKF_AD_IFINDEX, SKF_AD_PKTTYPE};
use super::insn::{ABS, B, H, IND, Insn, LD, LDX, LEN, MSH, SKF_AD_OFF, W};

/// Length of a DLT_LINUX_SLL2 header.
pub const SLL2_LEN: u32 = 20;

/// A DLT_LINUX_SLL2 header field the kernel also has as ancillary data.
struct Field {
    /// Offset in the SLL2 header.
    offset: u32,
    /// Width of the load that reads it ([`W`], [`H`] or [`B`]).
    size: u16,
    /// Its `SKF_AD_*` offset.
    ancillary: u32,
}

/// The SLL2 fields a filter may test on a cooked socket.
const FIELDS: [Field; 4] = [
    // The protocol: SKF_AD_PROTOCOL.
    Field {
        offset: 0,
        size: H,
        ancillary: 0,
    },
    // The interface index.
    Field {
        offset: 4,
        size: W,
        ancillary: SKF_AD_IFINDEX,
    },
    // The ARPHRD type: SKF_AD_HATYPE.
    Field {
        offset: 8,
        size: H,
        ancillary: 28,
    },
    // The packet type.
    Field {
        offset: 10,
        size: B,
        ancillary: SKF_AD_PKTTYPE,
    },
];

/// Rewrites `program`, compiled for DLT_LINUX_SLL2, to run on a cooked
/// socket. `None` when some load cannot be rewritten (another part of the
/// SLL2 header, or the packet length, which differs by the header's
/// length): the filter must then run in user space, on the rebuilt
/// packets.
pub fn kernel_program(program: &Program) -> Option<Program> {
    let insns: Option<Vec<Insn>> = program.insns().iter().map(|&i| rewrite(i)).collect();
    // The rewriting keeps every jump and only changes load offsets, so
    // the kernel's rules still hold.
    Program::new(insns?).ok()
}

/// One instruction, rewritten; `None` when it cannot be.
fn rewrite(i: Insn) -> Option<Insn> {
    let past_header = |i: Insn| {
        (i.k >= SLL2_LEN).then(|| Insn {
            k: i.k - SLL2_LEN,
            ..i
        })
    };
    match (i.class(), i.mode()) {
        (LD | LDX, LEN) => None,
        (LD, ABS) if i.k >= SLL2_LEN => past_header(i),
        (LD, ABS) => FIELDS
            .iter()
            .find(|f| f.offset == i.k && f.size == i.size())
            .map(|f| Insn {
                k: SKF_AD_OFF + f.ancillary,
                ..i
            }),
        (LD, IND) | (LDX, MSH) => past_header(i),
        _ => Some(i),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{CompileOptions, LinkType, compile};

    fn sll2(expr: &str) -> Program {
        compile(expr, &CompileOptions::new(LinkType::LINUX_SLL2)).unwrap()
    }

    #[test]
    fn header_fields_become_ancillary_loads_and_offsets_shift() {
        let prog = sll2("ip and udp port 53");
        let k = kernel_program(&prog).unwrap();
        // The protocol field becomes SKF_AD_PROTOCOL ...
        assert_eq!(k.insns()[0].k, SKF_AD_OFF);
        // ... packet loads lose the 20-byte header, and the rest stays.
        let pairs = prog.insns().iter().zip(k.insns());
        for (a, b) in pairs.skip(1) {
            if matches!(a.class(), LD | LDX) && matches!(a.mode(), ABS | IND | MSH) {
                assert_eq!(b.k + SLL2_LEN, a.k);
            } else {
                assert_eq!(a, b);
            }
        }
    }

    #[test]
    fn each_field_has_its_ancillary_load() {
        // inbound/outbound: the packet type; ifindex: the interface index.
        let k = kernel_program(&sll2("inbound")).unwrap();
        assert!(
            k.insns()
                .iter()
                .any(|i| i.k == SKF_AD_OFF + 4 && i.size() == B)
        );
        let k = kernel_program(&sll2("ifindex 3")).unwrap();
        assert!(
            k.insns()
                .iter()
                .any(|i| i.k == SKF_AD_OFF + 8 && i.size() == W)
        );
    }

    #[test]
    fn indexed_loads_shift_too() {
        // The TCP port is loaded relative to the IP header length (MSH, IND).
        let prog = sll2("tcp port 80");
        let k = kernel_program(&prog).unwrap();
        let shifted = |mode| {
            prog.insns()
                .iter()
                .zip(k.insns())
                .filter(|(a, _)| a.mode() == mode && matches!(a.class(), LD | LDX))
                .all(|(a, b)| b.k + SLL2_LEN == a.k)
        };
        assert!(shifted(IND) && shifted(MSH));
        assert!(
            prog.insns()
                .iter()
                .any(|i| i.class() == LDX && i.mode() == MSH)
        );
    }

    #[test]
    fn lengths_and_odd_header_bytes_stay_in_user_space() {
        assert!(kernel_program(&sll2("len > 100")).is_none());
        assert!(kernel_program(&sll2("ether[13] = 1")).is_none());
        // A field read with another width than its own.
        assert!(kernel_program(&sll2("ether[0] = 8")).is_none());
    }
}
