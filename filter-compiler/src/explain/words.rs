//! Names the values a test reads, in the filter language's words: the
//! fields the lowering reads for the common primitives (`ether proto`,
//! `ip proto`, `tcp dst port`...), recognised by where they are in the
//! packet, and for anything else the generic `ether[12:2]` form, so that
//! any graph the lowering makes can be explained.
//!
//! Which protocol a header is depends on the tests made before on the same
//! packet: an ethertype found equal to 0x0800 makes the network header
//! IPv4's, a protocol byte found equal to 6 the transport header TCP's.

use crate::ast::ArithOp;
use crate::ir::{Meta, Val};
use crate::linktype::LinkType;
use crate::lower::WalkVar;

use super::headers::WalkVars;

/// How a field's values are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shown {
    /// Decimal (ports, protocol numbers, lengths).
    Dec,
    /// Hexadecimal with at least this many digits.
    Hex(usize),
    /// A dotted IPv4 address.
    Ipv4,
    /// The transport protocol the header walk of `--semantics protocol`
    /// found: decimal, and `none` for the walk's "no transport header"
    /// value (256, above every protocol number).
    Proto,
}

impl Shown {
    /// `v` written this way.
    pub fn show(self, v: u32) -> String {
        match self {
            Shown::Dec => v.to_string(),
            Shown::Hex(w) => format!("0x{v:0w$x}"),
            Shown::Ipv4 => std::net::Ipv4Addr::from(v).to_string(),
            Shown::Proto if v == crate::lower::NO_PROTO => "none".into(),
            Shown::Proto => v.to_string(),
        }
    }
}

/// A value named: its words and how its values are written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Named {
    /// `ip proto`, `tcp dst port`, `ether[12:2]`, `len`.
    pub words: String,
    /// How values of it are written.
    pub shown: Shown,
}

impl Named {
    fn new(words: impl Into<String>, shown: Shown) -> Named {
        Named {
            words: words.into(),
            shown,
        }
    }
}

/// Ethertypes and IP protocol numbers named by the headers they select.
const ETH_IPV4: u32 = 0x0800;
const ETH_IPV6: u32 = 0x86dd;
const ETH_ARP: u32 = 0x0806;

/// The words for the IPv4 fragment offset.
pub(crate) const FRAGMENT_OFFSET: &str = "ip fragment offset";

/// The tag protocol ids of 802.1Q and QinQ: each tag found moves the
/// protocol field and the network header 4 bytes on (as `vlan` does).
const VLAN_TPIDS: [u32; 3] = [0x8100, 0x88a8, 0x9100];

/// The protocols proven so far on one packet's path.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Known {
    /// The ethertype (or the link type's equivalent) found.
    net: Option<u32>,
    /// The IPv4 protocol or IPv6 next header found.
    transport: Option<u32>,
    /// The bytes of VLAN tags found before the protocol field.
    tags: u32,
}

/// Where a link type keeps what `explain` names.
#[derive(Clone, Debug)]
pub(crate) struct Layout {
    /// `ether` on Ethernet, `link` elsewhere (as in `ether[0]`/`link[0]`).
    link: &'static str,
    /// The protocol-type field's offset, when fixed.
    proto_at: Option<u32>,
    /// The network header's offset, when fixed.
    net_at: Option<u32>,
    /// Under protocol semantics, the header walk's variables: the
    /// primitives test them and load at the offsets they hold.
    walk: WalkVars,
}

impl Layout {
    pub fn new(link_type: LinkType, (proto_at, net_at): (Option<u32>, Option<u32>)) -> Layout {
        let link = if link_type == LinkType::EN10MB {
            "ether"
        } else {
            "link"
        };
        Layout {
            link,
            proto_at,
            net_at,
            walk: WalkVars::new(),
        }
    }

    /// The layout under protocol semantics, with the header walk's
    /// variables.
    pub fn with_walk(self, walk: WalkVars) -> Layout {
        Layout { walk, ..self }
    }

    /// The link header's name: `ether` or `link`.
    pub fn link(&self) -> &'static str {
        self.link
    }

    /// What `v` holds, if it is one of the header walk's variables.
    fn walk_var(&self, v: &Val) -> Option<WalkVar> {
        match v {
            Val::Var(x) => self.walk.get(x).copied(),
            _ => None,
        }
    }

    /// The offset into the transport header of a load at the walk's
    /// transport offset (`tcp[13]` loads at it plus 13).
    fn transport_rel(&self, index: &Val, off: u32) -> Option<u32> {
        match index {
            Val::Alu(ArithOp::Add, a, b) => match (&**a, &**b) {
                (Val::Const(k), x) | (x, Val::Const(k))
                    if self.walk_var(x) == Some(WalkVar::Transport) =>
                {
                    Some(off.wrapping_add(*k))
                }
                _ => None,
            },
            x => (self.walk_var(x) == Some(WalkVar::Transport)).then_some(off),
        }
    }

    /// Notes what a test found true tells about the packet's protocols:
    /// `v` was found equal to `k`.
    pub fn learn(&self, known: &mut Known, v: &Val, k: u32) {
        match self.walk_var(v) {
            Some(WalkVar::EtherType) => {
                known.net = Some(k);
                known.transport = None;
                return;
            }
            Some(WalkVar::Proto) => {
                known.transport = Some(k);
                return;
            }
            _ => {}
        }
        if self.is_proto_field(v, *known) {
            let tag = VLAN_TPIDS.contains(&k);
            *known = Known {
                net: (!tag).then_some(k),
                transport: None,
                tags: known.tags + if tag { 4 } else { 0 },
            };
        } else if let Val::Alu(ArithOp::And, a, m) = v
            && **m == Val::Const(0xf0)
            && self.net_rel(a, 1, *known) == Some(0)
        {
            // The IP version nibble (how raw IP links tell IPv4 from IPv6).
            known.net = match k {
                0x40 => Some(ETH_IPV4),
                0x60 => Some(ETH_IPV6),
                _ => None,
            };
        } else if let Some(rel) = self.net_rel(v, 1, *known) {
            match (known.net, rel) {
                (Some(ETH_IPV4), 9) | (Some(ETH_IPV6), 6) => known.transport = Some(k),
                _ => {}
            }
        }
    }

    /// Whether `v` reads the protocol field (after the tags found).
    fn is_proto_field(&self, v: &Val, known: Known) -> bool {
        matches!(v, Val::Load { size: 2, off, index: None }
            if Some(*off) == self.proto_at.map(|p| p + known.tags))
    }

    /// Where the network header starts, after the tags found.
    fn net_start(&self, known: Known) -> Option<u32> {
        Some(self.net_at? + known.tags)
    }

    /// The offset into the network header of a `size`-byte load at a
    /// fixed offset in it.
    fn net_rel(&self, v: &Val, size: u8, known: Known) -> Option<u32> {
        match v {
            Val::Load {
                size: s,
                off,
                index: None,
            } if *s == size => off.checked_sub(self.net_start(known)?),
            _ => None,
        }
    }

    /// The words for `v`, given what the path proved before it.
    pub fn name(&self, v: &Val, known: Known) -> Named {
        // `ip[100]` keeps its constant index apart from the offset.
        if let Val::Load {
            size,
            off,
            index: Some(i),
        } = v
            && let Val::Const(k) = **i
        {
            return self.name(&Val::load(*size, off.wrapping_add(k)), known);
        }
        if let Some(n) = self.field(v, known) {
            return n;
        }
        // An address under a netmask (`net 10.0.0.0/8`) reads as one.
        if let Val::Alu(ArithOp::And, a, m) = v
            && let Val::Const(mask) = **m
            && let Some(f) = self.field(a, known).filter(|f| f.shown == Shown::Ipv4)
        {
            let words = format!("{} & {}", f.words, Shown::Ipv4.show(mask));
            return Named::new(words, Shown::Ipv4);
        }
        match v {
            Val::Const(k) => Named::new(format!("{k:#x}"), Shown::Hex(1)),
            Val::Len => Named::new("len", Shown::Dec),
            Val::Meta(Meta::PktType) => Named::new("packet type", Shown::Dec),
            Val::Meta(Meta::IfIndex) => Named::new("interface index", Shown::Dec),
            Val::Var(x) => match self.walk.get(x) {
                Some(w) => walk_var_name(*w),
                None => Named::new(format!("offset{x}"), Shown::Dec),
            },
            Val::IpHdrLen(off) => {
                let at = self.bytes(&Val::load(1, *off), known);
                Named::new(format!("4*({at}&0xf)"), Shown::Dec)
            }
            Val::Load { .. } => Named::new(self.bytes(v, known), Shown::Hex(1)),
            Val::Alu(op, a, b) => {
                let (a, b) = (self.operand(a, known), self.operand(b, known));
                Named::new(format!("{a} {} {b}", op_text(*op)), Shown::Hex(1))
            }
            Val::Neg(a) => Named::new(format!("-{}", self.operand(a, known)), Shown::Hex(1)),
        }
    }

    /// The words for `v` at the head of a step: arithmetic in
    /// parentheses, so its value found reads apart from it.
    pub fn describe(&self, v: &Val, known: Known) -> Named {
        let named = self.name(v, known);
        match v {
            Val::Alu(..) | Val::Neg(_) if self.field(v, known).is_none() => Named {
                words: format!("({})", named.words),
                ..named
            },
            _ => named,
        }
    }

    /// `v`'s words as an operand of arithmetic (parenthesised unless
    /// simple).
    fn operand(&self, v: &Val, known: Known) -> String {
        let words = self.name(v, known).words;
        match v {
            Val::Alu(..) | Val::Neg(_) => format!("({words})"),
            _ if words.contains(' ') => format!("({words})"),
            _ => words,
        }
    }

    /// A load in the generic `proto[offset:size]` form: relative to the
    /// network header when its protocol is known, else to the link
    /// header.
    fn bytes(&self, v: &Val, known: Known) -> String {
        let Val::Load { size, off, index } = v else {
            return self.name(v, known).words;
        };
        if let Some(i) = index
            && self.walk_var(i) == Some(WalkVar::Network)
        {
            let proto = self.net_header(known).unwrap_or("network");
            return load_words(proto, off.to_string(), *size);
        }
        let (proto, at) = match (index, self.net_start(known), self.net_header(known)) {
            (None, Some(net), Some(p)) if *off >= net => (p, off - net),
            _ => (self.link, *off),
        };
        let at = match index {
            Some(i) => format!("{} + {at}", self.operand(i, known)),
            None => at.to_string(),
        };
        load_words(proto, at, *size)
    }

    /// The name of the network protocol proven, for `ip[...]`-style words.
    fn net_header(&self, known: Known) -> Option<&'static str> {
        match known.net? {
            ETH_IPV4 => Some("ip"),
            ETH_IPV6 => Some("ip6"),
            ETH_ARP => Some("arp"),
            _ => None,
        }
    }

    /// The named field `v` reads, if it is one.
    fn field(&self, v: &Val, known: Known) -> Option<Named> {
        if self.is_proto_field(v, known) {
            return Some(Named::new(format!("{} proto", self.link), Shown::Hex(4)));
        }
        if let Val::Alu(ArithOp::And, a, m) = v {
            // The IPv4 fragment offset, as `ip` ports and `tcp[...]` test it.
            if **m == Val::Const(0x1fff)
                && known.net == Some(ETH_IPV4)
                && self.net_rel(a, 2, known) == Some(6)
            {
                return Some(Named::new(FRAGMENT_OFFSET, Shown::Dec));
            }
            // The VLAN id of the last tag found, as `vlan ID` tests it.
            if **m == Val::Const(0x0fff)
                && known.tags > 0
                && matches!(**a, Val::Load { size: 2, off, index: None }
                    if Some(off + 2) == self.proto_at.map(|p| p + known.tags))
            {
                return Some(Named::new("vlan id", Shown::Dec));
            }
        }
        let Val::Load { size, off, index } = v else {
            return None;
        };
        if let Some(rel) = index.as_deref().and_then(|i| self.transport_rel(i, *off)) {
            return Some(self.transport_field(known, *size, rel));
        }
        let (index, rel) = match index.as_deref() {
            // A load at the network header the walk found: the same
            // fields as at a fixed offset.
            Some(i) if self.walk_var(i) == Some(WalkVar::Network) => (None, *off),
            i => (i, off.checked_sub(self.net_start(known)?)?),
        };
        match (known.net?, index, size, rel) {
            (ETH_IPV4, None, 1, 9) => Some(Named::new("ip proto", Shown::Dec)),
            (ETH_IPV4, None, 4, 12) => Some(Named::new("ip src", Shown::Ipv4)),
            (ETH_IPV4, None, 4, 16) => Some(Named::new("ip dst", Shown::Ipv4)),
            (ETH_IPV6, None, 1, 6) => Some(Named::new("ip6 next header", Shown::Dec)),
            (ETH_IPV6, None, 4, 8..=36) if rel % 4 == 0 => {
                let (side, from) = if rel < 24 { ("src", 8) } else { ("dst", 24) };
                let words = format!("ip6 {side} bytes {}-{}", rel - from, rel - from + 3);
                Some(Named::new(words, Shown::Hex(8)))
            }
            (ETH_ARP, None, 4, 14) => Some(Named::new("arp sender ip", Shown::Ipv4)),
            (ETH_ARP, None, 4, 24) => Some(Named::new("arp target ip", Shown::Ipv4)),
            (ETH_IPV4, Some(Val::IpHdrLen(h)), _, _) if Some(*h) == self.net_start(known) => {
                Some(self.transport_field(known, *size, rel))
            }
            (ETH_IPV6, None, _, 40..) => Some(self.transport_field(known, *size, rel - 40)),
            _ => None,
        }
    }

    /// A field of the transport header: ports by name, the rest as
    /// `tcp[13]`.
    fn transport_field(&self, known: Known, size: u8, rel: u32) -> Named {
        let proto = match known.transport {
            Some(6) => "tcp",
            Some(17) => "udp",
            Some(132) => "sctp",
            Some(1) => "icmp",
            Some(58) => "icmp6",
            _ => "transport",
        };
        match (size, rel, proto) {
            (2, 0, "tcp" | "udp" | "sctp") => Named::new(format!("{proto} src port"), Shown::Dec),
            (2, 2, "tcp" | "udp" | "sctp") => Named::new(format!("{proto} dst port"), Shown::Dec),
            (1, _, _) => Named::new(format!("{proto}[{rel}]"), Shown::Hex(2)),
            _ => Named::new(format!("{proto}[{rel}:{size}]"), Shown::Hex(1)),
        }
    }
}

/// `proto[at]` or `proto[at:size]`.
fn load_words(proto: &str, at: String, size: u8) -> String {
    if size == 1 {
        format!("{proto}[{at}]")
    } else {
        format!("{proto}[{at}:{size}]")
    }
}

/// The words for one of the header walk's variables.
fn walk_var_name(w: WalkVar) -> Named {
    match w {
        WalkVar::EtherType => Named::new("ethertype", Shown::Hex(4)),
        WalkVar::Network => Named::new("network header at", Shown::Dec),
        WalkVar::Proto => Named::new("transport proto", Shown::Proto),
        WalkVar::Transport => Named::new("transport header at", Shown::Dec),
        WalkVar::Fragment => Named::new("fragment offset", Shown::Dec),
        WalkVar::Seen => Named::new("extension headers seen", Shown::Hex(1)),
    }
}

fn op_text(op: ArithOp) -> &'static str {
    match op {
        ArithOp::Add => "+",
        ArithOp::Sub => "-",
        ArithOp::Mul => "*",
        ArithOp::Div => "/",
        ArithOp::Mod => "%",
        ArithOp::And => "&",
        ArithOp::Or => "|",
        ArithOp::Xor => "^",
        ArithOp::Shl => "<<",
        ArithOp::Shr => ">>",
    }
}
