//! The link layer: where each link type keeps its protocol field and its
//! payload, and how "is this protocol X" is tested on it.
//!
//! Offsets follow libpcap's model: the link header starts at `linkhdr`, the
//! protocol-type field is at `linktype`, the link payload at `linkpl`, and
//! the network header `nl` bytes into the payload (`nl_nosnap` for LLC
//! frames without SNAP).  Some are only known at run time (radiotap,
//! 802.11, pflog, Geneve), which is what [`Off::var`] is for.  Offsets wrap
//! around as 32-bit numbers, as BPF's do.

use crate::error::{Error, ErrorKind, Result};
use crate::ir::{Val, VarId};
use crate::linktype::LinkType;

use super::formula::F;

/// An offset into the packet: `var + k`, or just `k`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Off {
    pub var: Option<VarId>,
    pub k: u32,
}

impl Off {
    pub const fn at(k: u32) -> Off {
        Off { var: None, k }
    }

    /// This offset plus `d`.
    pub fn plus(self, d: u32) -> Off {
        Off {
            var: self.var,
            k: self.k.wrapping_add(d),
        }
    }

    /// A load of `size` bytes at this offset plus `d`.
    pub fn load(self, size: u8, d: u32) -> Val {
        Val::load_at(size, self.var.map(Val::Var), self.k.wrapping_add(d))
    }

    /// The offset as a value.
    pub fn val(self) -> Val {
        match self.var {
            Some(v) => Val::plus(Val::Var(v), self.k),
            None => Val::Const(self.k),
        }
    }
}

/// How a link type says which protocol it carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Proto {
    /// Ethernet II type or 802.3 length + LLC.
    Ether,
    /// Linux cooked v1: a type field with 802.2/802.3 pseudo-types.
    Sll,
    /// A plain Ethernet type field (Linux cooked v2, C-HDLC, ...).
    Ethertype,
    /// C-HDLC: Ethernet types, OSI as 0xfefe.
    CHdlc,
    /// PPP protocol numbers.
    Ppp,
    /// BSD loopback AF value, 4 bytes in the writer's byte order.
    Null {
        big_endian: bool,
    },
    /// OpenBSD loopback AF value, network order.
    Loop,
    /// No type field: the IP version nibble at the link header.
    RawIp,
    /// Only IPv4 / only IPv6.
    OnlyIpv4,
    OnlyIpv6,
    /// Frame relay NLPID.
    Frelay,
    /// Juniper: only the magic cookie is checked.
    Juniper,
    /// LLC-encapsulated payload (RFC 1483 ATM).
    Llc,
    /// SunATM: ATM pseudo-header, then LLC.
    SunAtm,
    /// 802.11 data frames with LLC.
    Wlan,
    /// ARCnet type byte.
    Arcnet,
    /// pflog `af` byte.
    Pflog,
    /// Solaris ipnet type byte.
    Ipnet,
    /// No protocol filtering for this link type.
    Unsupported,
}

/// How the link header's length is computed at run time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Prefix {
    /// Fixed layout.
    None,
    /// radiotap: link header after a little-endian length at offset 2.
    Radiotap,
    /// 802.11 with no radio header.
    Wlan,
    /// pflog: payload after a length byte rounded to 4.
    Pflog,
}

/// The link layer as the lowering sees it at one point of the expression:
/// `vlan`, `mpls`, `pppoes` and `geneve` move these offsets for everything
/// after them.
#[derive(Clone, Debug)]
pub struct Link {
    pub dlt: LinkType,
    pub proto: Proto,
    pub prefix: Prefix,
    pub linkhdr: Off,
    pub linktype: Off,
    pub linkpl: Off,
    pub nl: u32,
    pub nl_nosnap: u32,
    /// The kind of link header addresses (Ethernet MACs, 802.11, ...).
    pub macs: Macs,
    /// Set when this header was pushed inside another link layer.
    pub prev: Option<PrevLink>,
}

/// What must also hold for a test of a link header pushed inside another
/// link layer (libpcap's `gen_prevlinkhdr_check`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PrevLink {
    /// LANE over SunATM: not an LE Control frame.
    Lane,
}

/// Which link-level address layout `ether host` and friends use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Macs {
    None,
    Ether,
    Wlan,
    Arcnet,
}

const NOT_SET: u32 = u32::MAX;

impl Link {
    /// The layout of `dlt` (libpcap's `init_linktype`).
    pub fn new(dlt: LinkType, big_endian_capture: bool) -> Link {
        let fixed = |proto, linktype: u32, linkpl: u32, nl: u32, nl_nosnap: u32| Link {
            dlt,
            proto,
            prefix: Prefix::None,
            linkhdr: Off::at(0),
            linktype: Off::at(linktype),
            linkpl: Off::at(linkpl),
            nl,
            nl_nosnap,
            macs: Macs::None,
            prev: None,
        };
        let mut l = match dlt {
            LinkType::EN10MB | LinkType::NETANALYZER => {
                let mut l = fixed(Proto::Ether, 12, 14, 0, 3);
                l.macs = Macs::Ether;
                l
            }
            LinkType::NETANALYZER_TRANSPARENT => {
                let mut l = fixed(Proto::Ether, 12, 14, 0, 3);
                l.linkhdr = Off::at(12);
                l.linktype = Off::at(24);
                l.linkpl = Off::at(26);
                l.macs = Macs::Ether;
                l
            }
            LinkType::LINUX_SLL => fixed(Proto::Sll, 14, 16, 0, 0),
            LinkType::LINUX_SLL2 => fixed(Proto::Ethertype, 0, 20, 0, 0),
            LinkType::C_HDLC => fixed(Proto::CHdlc, 2, 4, 0, 0),
            LinkType::PPP | LinkType::PPP_SERIAL => fixed(Proto::Ppp, 2, 4, 0, 0),
            LinkType::PPP_ETHER => fixed(Proto::Ppp, 6, 8, 0, 0),
            LinkType::NULL => fixed(
                Proto::Null {
                    big_endian: big_endian_capture,
                },
                0,
                4,
                0,
                0,
            ),
            LinkType::LOOP => fixed(Proto::Loop, 0, 4, 0, 0),
            LinkType::RAW => fixed(Proto::RawIp, NOT_SET, 0, 0, 0),
            LinkType::SLIP => fixed(Proto::RawIp, NOT_SET, 16, 0, 0),
            LinkType::IPV4 => fixed(Proto::OnlyIpv4, NOT_SET, 0, 0, 0),
            LinkType::IPV6 => fixed(Proto::OnlyIpv6, NOT_SET, 0, 0, 0),
            LinkType::FRELAY => fixed(Proto::Frelay, NOT_SET, 0, 0, 0),
            // Offsets of 802.2 LLC frames (ISO) as libpcap has them: 3 past
            // the Ethernet payload, 10 on ATM1, and -1 (wrapping) where
            // there is none.
            LinkType::JUNIPER_ETHER => fixed(Proto::Juniper, NOT_SET, 32, 0, 3),
            LinkType::JUNIPER_ATM1 => fixed(Proto::Juniper, NOT_SET, 4, 0, 10),
            LinkType::JUNIPER_MONITOR => fixed(Proto::Juniper, NOT_SET, 12, 0, u32::MAX),
            LinkType::JUNIPER_ES => fixed(Proto::Juniper, NOT_SET, NOT_SET, NOT_SET, NOT_SET),
            LinkType::ATM_RFC1483 | LinkType::ATM_CLIP => fixed(Proto::Llc, 6, 0, 8, 3),
            LinkType::SUNATM => fixed(Proto::SunAtm, 10, 4, 8, 3),
            LinkType::ARCNET_LINUX => {
                let mut l = fixed(Proto::Arcnet, 4, 8, 0, 0);
                l.macs = Macs::Arcnet;
                l
            }
            LinkType::IPNET => fixed(Proto::Ipnet, 1, 24, 0, 0),
            LinkType::PFLOG => {
                let mut l = fixed(Proto::Pflog, 1, 0, 0, 0);
                l.prefix = Prefix::Pflog;
                l
            }
            LinkType::IEEE802_11 => {
                let mut l = fixed(Proto::Wlan, 0, 0, 8, 3);
                l.prefix = Prefix::Wlan;
                l.macs = Macs::Wlan;
                l
            }
            LinkType::IEEE802_11_RADIO => {
                let mut l = fixed(Proto::Wlan, 0, 0, 8, 3);
                l.prefix = Prefix::Radiotap;
                l.macs = Macs::Wlan;
                l
            }
            _ => fixed(Proto::Unsupported, NOT_SET, NOT_SET, NOT_SET, NOT_SET),
        };
        if l.prefix != Prefix::None {
            // Variable parts are bound by the prologue (see `Lowerer`).
            l.linktype = Off::at(NOT_SET);
        }
        l
    }

    /// A load relative to the network-layer header (`OR_LINKPL` in libpcap).
    pub fn net(&self, size: u8, off: u32) -> Val {
        self.linkpl.load(size, self.nl.wrapping_add(off))
    }

    /// A load relative to the network layer of an LLC frame without SNAP.
    pub fn net_nosnap(&self, size: u8, off: u32) -> Val {
        self.linkpl.load(size, self.nl_nosnap.wrapping_add(off))
    }

    /// A load relative to the start of the link payload (the LLC header).
    pub fn llc(&self, size: u8, off: u32) -> Val {
        self.linkpl.load(size, off)
    }

    /// A load relative to the protocol-type field.
    pub fn ltype(&self, size: u8, off: u32) -> Val {
        self.linktype.load(size, off)
    }

    /// A load relative to the start of the link header.
    pub fn hdr(&self, size: u8, off: u32) -> Val {
        self.linkhdr.load(size, off)
    }

    /// A short description for error messages.
    pub fn describe(&self) -> &'static str {
        self.dlt.description()
    }

    fn unsupported(&self, span: &crate::ast::Span) -> Error {
        Error::new(
            ErrorKind::LinkType,
            span.clone(),
            format!(
                "{} link-layer type filtering not implemented",
                self.describe()
            ),
        )
    }

    /// libpcap's `gen_snap`: an 802.2 SNAP header with `oui` and `ptype`,
    /// compared four bytes at a time from the end.
    fn snap(&self, oui: u32, ptype: u16) -> F {
        let hi = 0xaaaa_0300 | (oui >> 16);
        let lo = ((oui & 0xffff) << 16) | ptype as u32;
        F::and(F::eq(self.llc(4, 4), lo), F::eq(self.llc(4, 0), hi))
    }

    /// "The link layer carries protocol `p`" (libpcap's `gen_linktype`),
    /// where `p` is an Ethernet type or, at most 1500, an LLC SAP.
    pub fn proto_is(&self, p: u32, span: &crate::ast::Span) -> Result<F> {
        const IP: u32 = 0x0800;
        const IPV6: u32 = 0x86dd;
        const ARP: u32 = 0x0806;
        const RARP: u32 = 0x8035;
        const ATALK: u32 = 0x809b;
        const AARP: u32 = 0x80f3;
        const IPX: u32 = 0x8137;
        const SAP_ISONS: u32 = 0xfe;
        const SAP_IP: u32 = 0x06;
        const SAP_NETBEUI: u32 = 0xf0;
        const SAP_IPX: u32 = 0xe0;
        const MTU: u32 = 1500;
        let not_8023 = || F::not(F::gt(self.ltype(2, 0), MTU));
        Ok(match self.proto {
            Proto::Ether if self.prev == Some(PrevLink::Lane) => F::and(
                F::not(F::eq(Val::load(2, 4), 0xff00)),
                Link {
                    prev: None,
                    ..self.clone()
                }
                .proto_is(p, span)?,
            ),
            Proto::Ether => match p {
                SAP_ISONS | SAP_IP | SAP_NETBEUI => {
                    F::and(not_8023(), F::eq(self.llc(2, 0), (p << 8) | p))
                }
                SAP_IPX => F::or(
                    F::eq(self.ltype(2, 0), IPX),
                    F::and(
                        not_8023(),
                        F::or(
                            self.snap(0, IPX as u16),
                            F::or(
                                F::eq(self.llc(1, 0), SAP_IPX),
                                F::eq(self.llc(2, 0), 0xffff),
                            ),
                        ),
                    ),
                ),
                ATALK | AARP => {
                    let snap = if p == ATALK {
                        self.snap(0x080007, ATALK as u16)
                    } else {
                        self.snap(0, AARP as u16)
                    };
                    F::or(F::eq(self.ltype(2, 0), p), F::and(not_8023(), snap))
                }
                _ if p <= MTU => F::and(not_8023(), F::eq(self.ltype(1, 2), p)),
                _ => F::eq(self.ltype(2, 0), p),
            },
            Proto::Sll => {
                const P_802_2: u32 = 4;
                const P_802_3: u32 = 1;
                let t = |v| F::eq(self.ltype(2, 0), v);
                match p {
                    SAP_ISONS | SAP_IP | SAP_NETBEUI => {
                        F::and(t(P_802_2), F::eq(self.llc(2, 0), (p << 8) | p))
                    }
                    SAP_IPX => F::any([
                        t(IPX),
                        t(P_802_3),
                        F::and(
                            t(P_802_2),
                            F::or(F::eq(self.llc(1, 0), SAP_IPX), self.snap(0, IPX as u16)),
                        ),
                    ]),
                    ATALK | AARP => {
                        let snap = if p == ATALK {
                            self.snap(0x080007, ATALK as u16)
                        } else {
                            self.snap(0, AARP as u16)
                        };
                        F::or(t(p), F::and(t(P_802_2), snap))
                    }
                    _ if p <= MTU => F::and(t(P_802_2), F::eq(self.llc(1, 0), p)),
                    _ => t(p),
                }
            }
            Proto::Ethertype => F::eq(self.ltype(2, 0), p),
            Proto::CHdlc => F::eq(self.ltype(2, 0), if p == SAP_ISONS { 0xfefe } else { p }),
            Proto::Ppp => F::eq(self.ltype(2, 0), ethertype_to_ppp(p)),
            Proto::Null { .. } | Proto::Loop => {
                let af = |v: u32| {
                    let k = match self.proto {
                        Proto::Null { big_endian: false } => v.swap_bytes(),
                        _ => v,
                    };
                    F::eq(self.hdr(4, 0), k)
                };
                match p {
                    IP => af(2),
                    IPV6 => F::any([af(24), af(28), af(30)]),
                    _ => F::False,
                }
            }
            Proto::RawIp => match p {
                IP => F::masked(self.hdr(1, 0), 0xf0, 0x40),
                IPV6 => F::masked(self.hdr(1, 0), 0xf0, 0x60),
                _ => F::False,
            },
            Proto::OnlyIpv4 => F::from_bool(p == IP),
            Proto::OnlyIpv6 => F::from_bool(p == IPV6),
            Proto::Frelay => {
                let nlpid = |v: u32| F::eq(self.hdr(2, 2), 0x0300 | v);
                match p {
                    IP => nlpid(0xcc),
                    IPV6 => nlpid(0x8e),
                    SAP_ISONS => F::any([nlpid(0x81), nlpid(0x82), nlpid(0x83)]),
                    _ => F::False,
                }
            }
            Proto::Juniper => F::masked(self.hdr(4, 0), 0xffff_ff00, 0x4d47_4300),
            Proto::Llc => self.llc_proto(p),
            Proto::SunAtm => F::and(F::masked(self.hdr(1, 0), 0x0f, 2), self.llc_proto(p)),
            Proto::Wlan => F::and(
                F::and(
                    F::not(F::set(self.hdr(1, 0), 0x04)),
                    F::set(self.hdr(1, 0), 0x08),
                ),
                self.llc_proto(p),
            ),
            Proto::Arcnet => {
                let t = |v| F::eq(self.ltype(1, 0), v);
                match p {
                    IPV6 => t(0xc4),
                    IP => F::or(t(0xd4), t(0xf0)),
                    ARP => F::or(t(0xd5), t(0xf1)),
                    RARP => t(0xd6),
                    ATALK => t(0xdd),
                    _ => F::False,
                }
            }
            Proto::Pflog => match p {
                IP => F::eq(self.hdr(1, 1), 2),
                IPV6 => F::eq(self.hdr(1, 1), 10),
                _ => F::False,
            },
            Proto::Ipnet => match p {
                IP => F::eq(self.hdr(1, 1), 2),
                IPV6 => F::eq(self.hdr(1, 1), 26),
                _ => F::False,
            },
            Proto::Unsupported => return Err(self.unsupported(span)),
        })
    }

    /// libpcap's `gen_llc_linktype`: the protocol of an LLC frame.
    fn llc_proto(&self, p: u32) -> F {
        match p {
            0x06 | 0xfe | 0xf0 => F::eq(self.llc(2, 0), (p << 8) | p),
            0xe0 => F::eq(self.llc(1, 0), 0xe0),
            0x809b => self.snap(0x080007, 0x809b),
            _ if p <= 1500 => F::eq(self.llc(1, 0), p),
            _ => F::eq(self.ltype(2, 0), p),
        }
    }
}

/// Maps Ethernet types to PPP protocol numbers (libpcap's
/// `ethertype_to_ppptype`).
fn ethertype_to_ppp(p: u32) -> u32 {
    match p {
        0x0800 => 0x0021,
        0x86dd => 0x0057,
        0x6003 => 0x0027,
        0x809b => 0x0029,
        0x0600 => 0x0025,
        0xfe => 0x0023,
        0x42 => 0x0031,
        0xe0 => 0x002b,
        _ => p,
    }
}

impl F {
    pub fn from_bool(b: bool) -> F {
        if b { F::True } else { F::False }
    }
}
