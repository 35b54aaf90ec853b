//! The protocol-semantics header walk in one step: what it found
//! (`headers: ether → vlan 300 → ip6 at 18 → fragment → tcp at 66`),
//! instead of the dozens of unrolled tests and assignments it is made of.
//!
//! The summary is read off the values the walk assigned, in order, and
//! the packet's bytes where a header's own number is worth showing (the
//! VLAN id of a tag, the label of an MPLS entry).

use std::collections::HashMap;

use crate::ir::VarId;
use crate::lower::{FRAGMENT, MPLS_PAYLOAD, MPLS_TYPES, NO_PROTO, VLAN_TPIDS, WalkVar};

/// The walk's variables by id.
pub(crate) type WalkVars = HashMap<VarId, WalkVar>;

/// The headers found, outermost first, from the walk's assignments
/// (`var := value`, in the order made) on `data`; `link` names the link
/// header.
pub(crate) fn summary(
    link: &str,
    vars: &WalkVars,
    assigned: impl IntoIterator<Item = (VarId, u32)>,
    data: &[u8],
) -> Vec<String> {
    let load = |at: u32, size: usize| {
        let at = at as usize;
        data.get(at..at + size)
            .map(|b| b.iter().fold(0u32, |acc, &x| (acc << 8) | u32::from(x)))
    };
    let mut chain = vec![link.to_owned()];
    let (mut et, mut nl, mut l4, mut frag) = (0, 0, 0, 0);
    // Where the network header's name is in `chain`, and whether the
    // next move of the network offset steps over a VLAN tag (not an MPLS
    // label).
    let (mut network, mut tag_step) = (None, false);
    let mut protos = Vec::new();
    for (var, v) in assigned {
        match vars.get(&var) {
            Some(WalkVar::EtherType) => {
                if v == 0 || v == MPLS_PAYLOAD {
                    et = v;
                    continue;
                }
                if VLAN_TPIDS.contains(&et) {
                    let id = load(nl, 2).map_or(String::new(), |t| format!(" {}", t & 0x0fff));
                    chain.push(format!("vlan{id}"));
                    tag_step = true;
                }
                et = v;
                if !VLAN_TPIDS.contains(&v) && !MPLS_TYPES.contains(&v) {
                    network = Some(chain.len());
                    chain.push(ether_type(v));
                }
            }
            Some(WalkVar::Network) => {
                if !std::mem::take(&mut tag_step)
                    && (MPLS_TYPES.contains(&et) || et == MPLS_PAYLOAD)
                {
                    let label = load(nl, 4).map_or(String::new(), |e| format!(" {}", e >> 12));
                    chain.push(format!("mpls{label}"));
                }
                nl = v;
            }
            Some(WalkVar::Proto) if v != NO_PROTO => protos.push(v),
            Some(WalkVar::Transport) => l4 = v,
            Some(WalkVar::Fragment) => frag = v,
            _ => {}
        }
    }
    if let Some(i) = network {
        chain[i] = format!("{} at {nl}", chain[i]);
    }
    let walked_fragment = protos[..protos.len().saturating_sub(1)].contains(&FRAGMENT);
    if let Some((last, past)) = protos.split_last() {
        chain.extend(past.iter().map(|&p| ip_proto(p)));
        let mut last = format!("{} at {l4}", ip_proto(*last));
        if frag != 0 {
            last += &format!(" (fragment offset {frag}: no transport header)");
        } else if walked_fragment {
            last += " (first fragment)";
        }
        chain.push(last);
    }
    chain
}

/// An Ethernet type by the protocol it selects.
fn ether_type(t: u32) -> String {
    match t {
        0x0800 => "ip".to_owned(),
        0x86dd => "ip6".to_owned(),
        0x0806 => "arp".to_owned(),
        0x8035 => "rarp".to_owned(),
        _ => format!("ethertype {t:#06x}"),
    }
}

/// An IP protocol (or IPv6 extension header) by name.
fn ip_proto(p: u32) -> String {
    let name = match p {
        0 => "hop-by-hop",
        1 => "icmp",
        2 => "igmp",
        6 => "tcp",
        17 => "udp",
        43 => "routing",
        44 => "fragment",
        51 => "ah",
        58 => "icmp6",
        60 => "destination options",
        132 => "sctp",
        _ => return format!("protocol {p}"),
    };
    name.to_owned()
}
