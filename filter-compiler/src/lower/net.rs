//! Addresses, ports and protocols: `host`, `net`, `port`, `portrange`,
//! `proto`, `protochain`, protocol names alone, `broadcast`/`multicast`.

use crate::ast::{Dir, Id, Kind, Proto, Quals, Span};
use crate::error::{ErrorKind, Result};
use crate::ir::{CmpOp, Val};
use crate::names::{self, PortProto};

use super::formula::OneOf;
use super::link::Macs;
use super::{F, Lowerer, err};

const ETH_IP: u32 = 0x0800;
const ETH_IPV6: u32 = 0x86dd;
const ETH_ARP: u32 = 0x0806;
const ETH_RARP: u32 = 0x8035;
const IPPROTO_TCP: u32 = 6;
const IPPROTO_UDP: u32 = 17;
const IPPROTO_SCTP: u32 = 132;

/// A `port`/`portrange` primitive reduced to its test.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct PortTest {
    lo: u32,
    hi: u32,
    /// Transport protocol, or all of TCP/UDP/SCTP.
    pub proto: Option<u32>,
    pub dir: Option<Dir>,
    range: bool,
    /// Membership of a named set (its [`SetMap::code`]) instead of
    /// `lo..=hi`.
    ///
    /// [`SetMap::code`]: crate::sets::SetMap::code
    set: Option<u32>,
}

impl PortTest {
    /// `port @NAME`: the port is in the set map `code`.
    pub(super) fn member(code: u32, proto: Option<u32>, dir: Option<Dir>) -> PortTest {
        PortTest {
            lo: 0,
            hi: 0,
            proto,
            dir,
            range: false,
            set: Some(code),
        }
    }
}

/// How many headers `protochain` follows.
pub const PROTOCHAIN_DEPTH: usize = 16;

/// Transport protocols a port test covers, in libpcap's order.
pub(super) fn port_protos(p: &Option<u32>) -> &[u32] {
    match p {
        Some(p) => std::slice::from_ref(p),
        None => &[IPPROTO_SCTP, IPPROTO_TCP, IPPROTO_UDP],
    }
}

fn proto_name(p: Proto) -> &'static str {
    match p {
        Proto::Link => "link",
        Proto::Ip => "ip",
        Proto::Arp => "arp",
        Proto::Rarp => "rarp",
        Proto::Sctp => "sctp",
        Proto::Tcp => "tcp",
        Proto::Udp => "udp",
        Proto::Icmp => "icmp",
        Proto::Igmp => "igmp",
        Proto::Igrp => "igrp",
        Proto::Pim => "pim",
        Proto::Vrrp => "vrrp",
        Proto::Carp => "carp",
        Proto::Atalk => "atalk",
        Proto::Aarp => "aarp",
        Proto::Decnet => "decnet",
        Proto::Lat => "lat",
        Proto::Sca => "sca",
        Proto::Moprc => "moprc",
        Proto::Mopdl => "mopdl",
        Proto::Ip6 => "ip6",
        Proto::Icmp6 => "icmp6",
        Proto::Ah => "ah",
        Proto::Esp => "esp",
        Proto::Iso => "iso",
        Proto::Esis => "esis",
        Proto::Isis => "isis",
        Proto::L1 => "l1",
        Proto::L2 => "l2",
        Proto::Iih => "iih",
        Proto::Lsp => "lsp",
        Proto::Snp => "snp",
        Proto::Csnp => "csnp",
        Proto::Psnp => "psnp",
        Proto::Clnp => "clnp",
        Proto::Stp => "stp",
        Proto::Ipx => "ipx",
        Proto::Netbeui => "netbeui",
        Proto::Radio => "radio",
    }
}

fn dir_name(d: Dir) -> &'static str {
    match d {
        Dir::Src => "src",
        Dir::Dst => "dst",
        Dir::SrcOrDst => "src or dst",
        Dir::SrcAndDst => "src and dst",
        Dir::Addr1 => "addr1",
        Dir::Addr2 => "addr2",
        Dir::Addr3 => "addr3",
        Dir::Addr4 => "addr4",
        Dir::Ra => "ra",
        Dir::Ta => "ta",
    }
}

/// Combines the source and destination forms of a test as `dir` asks.
fn by_dir(
    dir: Option<Dir>,
    span: &Span,
    what: &str,
    mut f: impl FnMut(bool) -> Result<F>,
) -> Result<F> {
    match dir {
        Some(Dir::Src) => f(true),
        Some(Dir::Dst) => f(false),
        Some(Dir::SrcAndDst) => Ok(F::and(f(true)?, f(false)?)),
        None | Some(Dir::SrcOrDst) => Ok(F::or(f(true)?, f(false)?)),
        Some(d) => Err(unsupported_dir(d, span, what)),
    }
}

fn unsupported_dir(d: Dir, span: &Span, what: &str) -> crate::error::Error {
    err(
        ErrorKind::Value,
        span,
        format!(
            "'{}' is only supported on 802.11 with 802.11 headers ({what})",
            dir_name(d)
        ),
    )
}

/// [`by_dir`] for one of a list of alternatives, `alts`: either
/// direction goes into the list as two alternatives (what joining their
/// `or` into it would make) without a list of its own; both directions
/// are one, the two made into one by `both`.
#[inline]
fn by_dir_into<T>(
    alts: &mut Vec<T>,
    dir: Option<Dir>,
    span: &Span,
    what: &str,
    both: impl FnOnce(T, T) -> T,
    mut f: impl FnMut(bool) -> Result<T>,
) -> Result<()> {
    match dir {
        None | Some(Dir::SrcOrDst) => {
            alts.push(f(true)?);
            alts.push(f(false)?);
        }
        Some(Dir::Src) => alts.push(f(true)?),
        Some(Dir::Dst) => alts.push(f(false)?),
        Some(Dir::SrcAndDst) => {
            let src = f(true)?;
            let dst = f(false)?;
            alts.push(both(src, dst));
        }
        Some(d) => return Err(unsupported_dir(d, span, what)),
    }
    Ok(())
}

/// The comparisons of port alternatives with one direction, on the
/// port `load` reads (`true`: the source port).
pub(super) fn port_atoms(tests: &[PortTest], span: &Span, load: &dyn Fn(bool) -> Val) -> Result<F> {
    let dir = tests[0].dir;
    let mut alts = Vec::with_capacity(2 * tests.len());
    for t in tests {
        let (lo, hi) = if t.lo > t.hi {
            (t.hi, t.lo)
        } else {
            (t.lo, t.hi)
        };
        let atom = |is_src| {
            let v = load(is_src);
            if let Some(code) = t.set {
                F::test(CmpOp::In, v, Val::Const(code))
            } else if t.range {
                F::and(F::ge(v.clone(), lo), F::not(F::gt(v, hi)))
            } else {
                F::eq(v, lo)
            }
        };
        by_dir_into(&mut alts, dir, span, "port", F::and, |is_src| {
            Ok(atom(is_src))
        })?;
    }
    Ok(F::any_of(alts))
}

/// `lt and proto is one of protos and then`: a port test in one network
/// protocol, `proto` the value telling its transport protocol.
fn dispatch(lt: F, proto: Val, protos: &[u32], then: F) -> F {
    match *protos {
        [p] => F::all([lt, F::eq(proto, p), then]),
        _ => {
            let ks = protos.to_vec();
            F::and(
                lt,
                F::OneOf(Box::new(OneOf {
                    value: proto,
                    ks,
                    then,
                })),
            )
        }
    }
}

/// Parses dotted IPv4 text the way libpcap's `__pcap_atoin` does: up to
/// four decimal parts; returns the value and its length in bits.
pub(crate) fn parse_ipv4(s: &str) -> Option<(u32, u32)> {
    // Byte by byte (not `split` and `str::parse`, which cost 600
    // instructions an address): a list of 1,000 hosts reads 1,000.
    let (mut v, mut bits) = (0u32, 0u32);
    for part in s.as_bytes().split(|&b| b == b'.') {
        if part.is_empty() || part.len() > 3 || bits >= 32 {
            return None;
        }
        let mut n = 0;
        for &b in part {
            if !b.is_ascii_digit() {
                return None;
            }
            n = n * 10 + u32::from(b - b'0');
        }
        if n > 255 {
            return None;
        }
        v = (v << 8) | n;
        bits += 8;
    }
    Some((v, bits))
}

/// Parses a MAC address in any of the forms libpcap's scanner accepts.
pub(crate) fn parse_mac(s: &str) -> Option<[u8; 6]> {
    let mut out = [0u8; 6];
    let parts: Vec<&str> = s.split([':', '-', '.']).collect();
    match parts.len() {
        6 => {
            for (o, p) in out.iter_mut().zip(&parts) {
                if p.is_empty() || p.len() > 2 {
                    return None;
                }
                *o = u8::from_str_radix(p, 16).ok()?;
            }
        }
        // Three groups of four digits, or twelve digits in a row.
        3 | 1 => {
            let digits: String = parts.concat();
            if digits.len() != 12 || parts.iter().any(|p| p.len() % 4 != 0) {
                return None;
            }
            for (o, i) in out.iter_mut().zip((0..12).step_by(2)) {
                *o = u8::from_str_radix(&digits[i..i + 2], 16).ok()?;
            }
        }
        _ => return None,
    }
    Some(out)
}

/// A network number moved to the top of the word, with the mask of the
/// bytes it had (`127` is 127.0.0.0 with 255.0.0.0): libpcap's reading of
/// `net N` and of network names.
pub(super) fn left_justified(mut net: u32) -> (u32, u32) {
    let mut mask = u32::MAX;
    while net != 0 && net & 0xff00_0000 == 0 {
        net <<= 8;
        mask <<= 8;
    }
    (net, mask)
}

/// An IPv6 address as the four 32-bit words the program compares.
pub(super) fn ipv6_words(a: u128) -> [u32; 4] {
    [
        (a >> 96) as u32,
        (a >> 64) as u32,
        (a >> 32) as u32,
        a as u32,
    ]
}

/// Parses a DECnet `area.node` address (libpcap's `__pcap_atodn`, which
/// reads two numbers with `sscanf("%u.%u")`, ignoring anything after them,
/// and masks out-of-range parts rather than refusing them).
fn parse_decnet(s: &str) -> Option<u32> {
    let mut parts = s.split('.');
    let area: u32 = parts.next()?.parse().ok()?;
    let node: u32 = parts.next()?.parse().ok()?;
    Some((area.wrapping_shl(10) & 0xfc00) | (node & 0x3ff))
}

impl Lowerer<'_> {
    /// A protocol name alone (`tcp`, `ip6`, `l1`, ...): libpcap's
    /// `gen_proto_abbrev`.
    pub(crate) fn proto_abbrev(&mut self, p: Proto, span: &Span) -> Result<F> {
        let lt = |s: &mut Self, v| s.linktype_is(v, span);
        Ok(match p {
            Proto::Sctp => self.gen_proto(IPPROTO_SCTP, None, span)?,
            Proto::Tcp => self.gen_proto(IPPROTO_TCP, None, span)?,
            Proto::Udp => self.gen_proto(IPPROTO_UDP, None, span)?,
            Proto::Icmp => self.gen_proto(1, Some(Proto::Ip), span)?,
            Proto::Igmp => self.gen_proto(2, Some(Proto::Ip), span)?,
            Proto::Igrp => self.gen_proto(9, Some(Proto::Ip), span)?,
            Proto::Pim => self.gen_proto(103, None, span)?,
            Proto::Vrrp | Proto::Carp => self.gen_proto(112, Some(Proto::Ip), span)?,
            Proto::Ip => lt(self, ETH_IP)?,
            Proto::Arp => lt(self, ETH_ARP)?,
            Proto::Rarp => lt(self, ETH_RARP)?,
            Proto::Link => {
                return Err(err(
                    ErrorKind::Syntax,
                    span,
                    "link layer applied in wrong context",
                ));
            }
            Proto::Atalk => lt(self, 0x809b)?,
            Proto::Aarp => lt(self, 0x80f3)?,
            Proto::Decnet => lt(self, 0x6003)?,
            Proto::Sca => lt(self, 0x6007)?,
            Proto::Lat => lt(self, 0x6004)?,
            Proto::Mopdl => lt(self, 0x6001)?,
            Proto::Moprc => lt(self, 0x6002)?,
            Proto::Ip6 => lt(self, ETH_IPV6)?,
            Proto::Icmp6 => self.gen_proto(58, Some(Proto::Ip6), span)?,
            Proto::Ah => self.gen_proto(51, None, span)?,
            Proto::Esp => self.gen_proto(50, None, span)?,
            Proto::Iso => lt(self, 0xfe)?,
            Proto::Esis => self.gen_proto(0x82, Some(Proto::Iso), span)?,
            Proto::Isis => self.gen_proto(0x83, Some(Proto::Iso), span)?,
            Proto::Clnp => self.gen_proto(0x81, Some(Proto::Iso), span)?,
            Proto::L1 => self.isis_any(&[26, 24, 18, 15, 17], span)?,
            Proto::L2 => self.isis_any(&[27, 25, 20, 16, 17], span)?,
            Proto::Iih => self.isis_any(&[17, 15, 16], span)?,
            Proto::Lsp => self.isis_any(&[20, 18], span)?,
            Proto::Snp => self.isis_any(&[27, 26, 25, 24], span)?,
            Proto::Csnp => self.isis_any(&[25, 24], span)?,
            Proto::Psnp => self.isis_any(&[27, 26], span)?,
            Proto::Stp => lt(self, 0x42)?,
            Proto::Ipx => lt(self, 0xe0)?,
            Proto::Netbeui => lt(self, 0xf0)?,
            Proto::Radio => {
                return Err(err(
                    ErrorKind::Value,
                    span,
                    "'radio' is not a valid protocol type",
                ));
            }
        })
    }

    /// An IS-IS PDU of any of these types (libpcap builds the `or` so the
    /// last one listed there is tested first; `types` is in test order).
    fn isis_any(&mut self, types: &[u32], span: &Span) -> Result<F> {
        let mut out = Vec::new();
        for &t in types {
            out.push(self.gen_proto(t, Some(Proto::Isis), span)?);
        }
        Ok(F::any(out))
    }

    /// "The link layer carries `p`", with the MPLS and Geneve states that
    /// change what that means.
    pub(crate) fn linktype_is(&mut self, p: u32, span: &Span) -> Result<F> {
        if let Some(w) = self.protocol.clone() {
            return self.protocol_linktype(&w, p, span);
        }
        if self.mpls_depth > 0 {
            let version = match p {
                ETH_IP | 0x21 => 0x40,
                ETH_IPV6 | 0x57 => 0x60,
                _ => {
                    return Err(err(
                        ErrorKind::LinkType,
                        span,
                        "unsupported protocol over mpls",
                    ));
                }
            };
            let bos = F::masked(self.link.net(1, 2u32.wrapping_sub(4)), 0x01, 0x01);
            return Ok(F::and(bos, F::masked(self.link.net(1, 0), 0xf0, version)));
        }
        self.link.proto_is(p, span)
    }

    /// `proto N` with a protocol qualifier (libpcap's `gen_proto`, or its
    /// protocol-semantics form).
    pub(crate) fn gen_proto(&mut self, v: u32, proto: Option<Proto>, span: &Span) -> Result<F> {
        if let Some(w) = self.protocol.clone()
            && let Some(p @ (Proto::Ip | Proto::Ip6)) = proto
        {
            return Ok(self.protocol_proto(&w, v, Some(p == Proto::Ip6)));
        }
        let bogus = |p: Proto| {
            err(
                ErrorKind::Value,
                span,
                format!("'{} proto' is bogus", proto_name(p)),
            )
        };
        match proto {
            None => {
                let a = self.gen_proto(v, Some(Proto::Ip), span)?;
                let b = self.gen_proto(v, Some(Proto::Ip6), span)?;
                Ok(F::or(a, b))
            }
            Some(Proto::Link) => self.linktype_is(v, span),
            Some(Proto::Ip) => {
                let lt = self.linktype_is(ETH_IP, span)?;
                Ok(F::and(lt, F::eq(self.link.net(1, 9), v)))
            }
            Some(Proto::Ip6) => {
                let lt = self.linktype_is(ETH_IPV6, span)?;
                let l = &self.link;
                let direct = F::eq(l.net(1, 6), v);
                let frag = F::and(F::eq(l.net(1, 6), 44), F::eq(l.net(1, 40), v));
                Ok(F::and(lt, F::or(direct, frag)))
            }
            Some(Proto::Iso) => {
                use crate::linktype::LinkType;
                match self.link.dlt {
                    LinkType::FRELAY => Ok(F::eq(self.link.hdr(2, 2), 0x0300 | v)),
                    LinkType::C_HDLC => {
                        let lt = self.linktype_is(0xfe, span)?;
                        Ok(F::and(lt, F::eq(self.link.net_nosnap(1, 1), v)))
                    }
                    _ => {
                        let lt = self.linktype_is(0xfe, span)?;
                        Ok(F::and(lt, F::eq(self.link.net_nosnap(1, 0), v)))
                    }
                }
            }
            Some(Proto::Esis) => self.gen_proto(0x82, Some(Proto::Iso), span),
            Some(Proto::Clnp) => self.gen_proto(0x81, Some(Proto::Iso), span),
            Some(Proto::Isis) => {
                let b0 = self.gen_proto(0x83, Some(Proto::Iso), span)?;
                if v == 0 {
                    return Ok(b0);
                }
                Ok(F::and(b0, F::eq(self.link.net_nosnap(1, 4), v)))
            }
            Some(Proto::Arp) | Some(Proto::Rarp) => Err(err(
                ErrorKind::Value,
                span,
                format!(
                    "{} does not encapsulate another protocol",
                    proto_name(proto.unwrap_or(Proto::Arp))
                ),
            )),
            Some(p) => Err(bogus(p)),
        }
    }

    /// `[proto] [dir] [kind] id`.
    pub(crate) fn qualified(&mut self, q: Quals, id: &Id, span: &Span) -> Result<F> {
        match id {
            Id::Num(v) => self.ncode(None, *v, q, span),
            Id::Hid(s) => {
                let (v, bits) = if q.proto == Some(Proto::Decnet) {
                    let v = parse_decnet(s).ok_or_else(|| {
                        err(
                            ErrorKind::Value,
                            span,
                            format!("malformed decnet address '{s}'"),
                        )
                    })?;
                    // `ncode` takes DECnet addresses whole: no bits.
                    (v, 32)
                } else {
                    parse_ipv4(s).ok_or_else(|| {
                        err(
                            ErrorKind::Value,
                            span,
                            format!("invalid IPv4 address '{s}'"),
                        )
                    })?
                };
                self.ncode(Some(bits), v, q, span)
            }
            Id::HidCidr(s, len) => self.mcode(s, None, *len, q, span),
            Id::HidMask(s, m) => self.mcode(s, Some(m), 32, q, span),
            Id::Hid6(s) => self.mcode6(s, 128, q, span),
            Id::Hid6Cidr(s, len) => self.mcode6(s, *len, q, span),
            Id::Eid(s) => {
                let mac = parse_mac(s).ok_or_else(|| {
                    err(
                        ErrorKind::Value,
                        span,
                        format!("bogus ethernet address {s}"),
                    )
                })?;
                self.ecode(&mac, q, span)
            }
            Id::Name(name) => self.scode(name, q, span),
            Id::Set(name) => self.set_code(name, q, span),
            Id::Aid(_) => Err(err(
                ErrorKind::LinkType,
                span,
                "ARCnet addresses are supported only on ARCnet links",
            )),
        }
    }

    /// A number or dotted-number id (libpcap's `gen_ncode`); `bits`: how
    /// many bits a dotted one wrote (`None` for a number).
    fn ncode(&mut self, bits: Option<u32>, v: u32, q: Quals, span: &Span) -> Result<F> {
        match q.kind {
            None | Some(Kind::Host) | Some(Kind::Net) => {
                if q.proto == Some(Proto::Decnet) {
                    return self.host(v, 0, q, span);
                }
                if q.proto == Some(Proto::Link) {
                    return Err(err(ErrorKind::Value, span, "illegal link layer address"));
                }
                let (v, mask) = match bits {
                    None if q.kind == Some(Kind::Net) => left_justified(v),
                    _ => {
                        let bits = bits.unwrap_or(32);
                        if bits < 32 {
                            (v << (32 - bits), u32::MAX << (32 - bits))
                        } else {
                            (v, u32::MAX)
                        }
                    }
                };
                self.host(v, mask, q, span)
            }
            Some(Kind::Port | Kind::Portrange) => {
                let t = self.num_port_test(v, q, span)?;
                self.ports(&[t], span)
            }
            Some(Kind::Gateway) => Err(err(ErrorKind::Value, span, "'gateway' requires a name")),
            Some(Kind::Proto) => {
                if q.dir.is_some() {
                    return Err(err(ErrorKind::Value, span, "direction applied to 'proto'"));
                }
                self.gen_proto(v, q.proto, span)
            }
            Some(Kind::Protochain) => self.protochain(v, q.proto, span),
        }
    }

    /// The transport protocol a `port`/`portrange` qualifier asks for.
    pub(super) fn port_proto(&self, q: Quals, span: &Span, what: &str) -> Result<Option<u32>> {
        match q.proto {
            None => Ok(None),
            Some(Proto::Tcp) => Ok(Some(IPPROTO_TCP)),
            Some(Proto::Udp) => Ok(Some(IPPROTO_UDP)),
            Some(Proto::Sctp) => Ok(Some(IPPROTO_SCTP)),
            Some(_) => Err(err(
                ErrorKind::Value,
                span,
                format!("illegal qualifier of '{what}'"),
            )),
        }
    }

    /// IPv4 host or network (libpcap's `gen_host`).
    pub(super) fn host(&mut self, addr: u32, mask: u32, q: Quals, span: &Span) -> Result<F> {
        if q.proto == Some(Proto::Decnet) {
            return self.dnhost(addr, q.dir, span);
        }
        self.host_with(|v| F::masked(v, mask, addr), q, span)
    }

    /// IPv4 host or network, `test` saying whether an address (a 4-byte
    /// load) is the one wanted (a type parameter, not a `dyn`: it is
    /// asked twice for each protocol of each host of a list).
    pub(super) fn host_with(
        &mut self,
        test: impl Fn(Val) -> F,
        q: Quals,
        span: &Span,
    ) -> Result<F> {
        let what = if q.kind == Some(Kind::Net) {
            "net"
        } else {
            "host"
        };
        const IP: (u32, u32, u32) = (ETH_IP, 12, 16);
        const ARP: (u32, u32, u32) = (ETH_ARP, 14, 24);
        const RARP: (u32, u32, u32) = (ETH_RARP, 14, 24);
        let protos: &[_] = match q.proto {
            None if self.mpls_depth > 0 => &[IP],
            None => &[IP, ARP, RARP],
            Some(Proto::Ip) => &[IP],
            Some(Proto::Arp) => &[ARP],
            Some(Proto::Rarp) => &[RARP],
            Some(Proto::Link) => {
                return Err(err(
                    ErrorKind::Value,
                    span,
                    format!("link-layer modifier applied to {what}"),
                ));
            }
            Some(p) => {
                return Err(err(
                    ErrorKind::Value,
                    span,
                    format!("'{}' modifier applied to {what}", proto_name(p)),
                ));
            }
        };
        // Which addresses: the source's, the destination's, or both (as
        // two alternatives, or one when both must be it).
        let (src_too, dst_too, both) = match q.dir {
            None | Some(Dir::SrcOrDst) => (true, true, false),
            Some(Dir::Src) => (true, false, false),
            Some(Dir::Dst) => (false, true, false),
            Some(Dir::SrcAndDst) => (true, true, true),
            Some(d) => return Err(unsupported_dir(d, span, what)),
        };
        // The link type and address tests of each protocol, in one list
        // of pairs. The link type test is made once for both directions
        // and copied (the link type tests of these protocols change
        // nothing in the lowering's state), and the pairs are pushed
        // where they are made: through `by_dir_into`'s closures and
        // results, a host took 2,000 instructions, not 1,200.
        let mut alts = Vec::with_capacity(2 * protos.len());
        for &(proto, src, dst) in protos {
            let lt = self.linktype_is(proto, span)?;
            let at = |off| test(self.link.net(4, off));
            match (src_too, dst_too) {
                (true, true) if both => {
                    alts.push([F::and(lt.copy(), at(src)), F::and(lt, at(dst))])
                }
                (true, true) => {
                    alts.push([lt.copy(), at(src)]);
                    alts.push([lt, at(dst)]);
                }
                (true, false) => alts.push([lt, at(src)]),
                _ => alts.push([lt, at(dst)]),
            }
        }
        Ok(F::AnyBoth(alts))
    }

    /// IPv6 host or network (libpcap's `gen_host6`).
    pub(super) fn host6(
        &mut self,
        addr: [u32; 4],
        mask: [u32; 4],
        q: Quals,
        span: &Span,
    ) -> Result<F> {
        let test = |words: [Val; 4]| {
            F::all(
                words
                    .into_iter()
                    .zip(mask.into_iter().zip(addr))
                    .map(|(w, (m, a))| F::masked(w, m, a)),
            )
        };
        self.host6_with(&test, q, span)
    }

    /// IPv6 host or network, `test` saying whether an address (the
    /// loads of its four words) is the one wanted.
    pub(super) fn host6_with(
        &mut self,
        test: &dyn Fn([Val; 4]) -> F,
        q: Quals,
        span: &Span,
    ) -> Result<F> {
        let what = if q.kind == Some(Kind::Net) {
            "net"
        } else {
            "host"
        };
        match q.proto {
            None | Some(Proto::Ip6) => by_dir(q.dir, span, what, |is_src| {
                let lt = self.linktype_is(ETH_IPV6, span)?;
                let base = if is_src { 8 } else { 24 };
                let words = std::array::from_fn(|i| self.link.net(4, base + 4 * i as u32));
                Ok(F::and(lt, test(words)))
            }),
            Some(Proto::Link) => Err(err(
                ErrorKind::Value,
                span,
                format!("link-layer modifier applied to ip6 {what}"),
            )),
            Some(p) => Err(err(
                ErrorKind::Value,
                span,
                format!("'{}' modifier applied to ip6 {what}", proto_name(p)),
            )),
        }
    }

    /// `HID/len` and `HID mask HID` (libpcap's `gen_mcode`).
    fn mcode(&mut self, s: &str, m: Option<&str>, len: u32, q: Quals, span: &Span) -> Result<F> {
        let bad = |t: &str| {
            err(
                ErrorKind::Value,
                span,
                format!("invalid IPv4 address '{t}'"),
            )
        };
        let (n, nbits) = parse_ipv4(s).ok_or_else(|| bad(s))?;
        let n = if nbits < 32 { n << (32 - nbits) } else { n };
        let mask = match m {
            Some(m) => {
                let (mv, mbits) = parse_ipv4(m).ok_or_else(|| bad(m))?;
                let mv = if mbits < 32 { mv << (32 - mbits) } else { mv };
                if n & !mv != 0 {
                    return Err(err(
                        ErrorKind::Value,
                        span,
                        format!("non-network bits set in \"{s} mask {m}\""),
                    ));
                }
                mv
            }
            None => {
                if len > 32 {
                    return Err(err(ErrorKind::Value, span, "mask length must be <= 32"));
                }
                let mv = if len == 0 { 0 } else { u32::MAX << (32 - len) };
                if n & !mv != 0 {
                    return Err(err(
                        ErrorKind::Value,
                        span,
                        format!("non-network bits set in \"{s}/{len}\""),
                    ));
                }
                mv
            }
        };
        if q.kind != Some(Kind::Net) {
            return Err(err(ErrorKind::Value, span, "Mask syntax for networks only"));
        }
        self.host(n, mask, q, span)
    }

    /// IPv6 addresses and prefixes (libpcap's `gen_mcode6`).
    fn mcode6(&mut self, s: &str, len: u32, q: Quals, span: &Span) -> Result<F> {
        let addr: std::net::Ipv6Addr = s
            .parse()
            .map_err(|_| err(ErrorKind::Value, span, format!("invalid ip6 address {s}")))?;
        if len > 128 {
            return Err(err(ErrorKind::Value, span, "mask length must be <= 128"));
        }
        let a = u128::from(addr);
        let m: u128 = if len == 0 {
            0
        } else {
            u128::MAX << (128 - len)
        };
        if a & !m != 0 {
            return Err(err(
                ErrorKind::Value,
                span,
                format!("non-network bits set in \"{s}/{len}\""),
            ));
        }
        match q.kind {
            None | Some(Kind::Host) if len != 128 => {
                Err(err(ErrorKind::Value, span, "Mask syntax for networks only"))
            }
            None | Some(Kind::Host) | Some(Kind::Net) => {
                self.host6(ipv6_words(a), ipv6_words(m), q, span)
            }
            _ => Err(err(
                ErrorKind::Value,
                span,
                "invalid qualifier against IPv6 address",
            )),
        }
    }

    /// MAC addresses (libpcap's `gen_ecode`).
    fn ecode(&mut self, mac: &[u8; 6], q: Quals, span: &Span) -> Result<F> {
        if matches!(q.kind, None | Some(Kind::Host)) && q.proto == Some(Proto::Link) {
            return self.mac_host(mac, q.dir, span);
        }
        Err(err(
            ErrorKind::Value,
            span,
            "ethernet address used in non-ether expression",
        ))
    }

    /// A link-level host test on this link type.
    pub(crate) fn mac_host(&mut self, mac: &[u8; 6], dir: Option<Dir>, span: &Span) -> Result<F> {
        match self.link.macs {
            Macs::Ether => {
                let prev = self.prevlink_check();
                let b = by_dir(dir, span, "ether host", |is_src| {
                    Ok(self.mac_at(if is_src { 6 } else { 0 }, mac))
                })?;
                Ok(match prev {
                    Some(p) => F::and(p, b),
                    None => b,
                })
            }
            Macs::Wlan => self.wlan_host(mac, dir, span),
            _ => Err(err(
                ErrorKind::LinkType,
                span,
                "ethernet addresses supported only on ethernet/FDDI/token ring/802.11/ATM LANE/Fibre Channel",
            )),
        }
    }

    /// Six bytes at `off` in the link header equal `mac` (libpcap's
    /// `gen_bcmp`: last four bytes first, then the first two).
    pub(crate) fn mac_at(&self, off: u32, mac: &[u8; 6]) -> F {
        let lo = u32::from_be_bytes([mac[2], mac[3], mac[4], mac[5]]);
        let hi = u32::from(u16::from_be_bytes([mac[0], mac[1]]));
        F::and(
            F::eq(self.link.hdr(4, off + 2), lo),
            F::eq(self.link.hdr(2, off), hi),
        )
    }

    /// A name id (libpcap's `gen_scode`); host and network names are the
    /// resolver's (see `resolved`).
    fn scode(&mut self, name: &str, q: Quals, span: &Span) -> Result<F> {
        match q.kind {
            Some(Kind::Net) => self.net_name(name, q, span),
            None | Some(Kind::Host) => match q.proto {
                Some(Proto::Link) => self.ether_host_name(name, q.dir, span),
                // libpcap as built for tcpdump has no DECnet name library.
                Some(Proto::Decnet) => Err(err(
                    ErrorKind::Value,
                    span,
                    format!("decnet name support not included, '{name}' cannot be translated"),
                )),
                _ => self.host_name(name, q, span),
            },
            Some(Kind::Port | Kind::Portrange) => {
                let t = self.name_port_test(name, q, span)?;
                self.ports(&[t], span)
            }
            // libpcap 1.10 built with IPv6 (tcpdump's) has no `gateway`.
            Some(Kind::Gateway) => Err(err(
                ErrorKind::Value,
                span,
                "'gateway' not supported in this configuration",
            )),
            Some(Kind::Proto) => {
                if q.dir.is_some() {
                    return Err(err(ErrorKind::Value, span, "direction applied to 'proto'"));
                }
                let v = self.lookup_proto(name, q.proto, span)?;
                self.gen_proto(v, q.proto, span)
            }
            Some(Kind::Protochain) => {
                let v = self.lookup_proto(name, q.proto, span)?;
                self.protochain(v, q.proto, span)
            }
        }
    }

    /// Reconciles a port name's protocols with the qualifier, as libpcap.
    fn named_port_proto(
        &self,
        name: &str,
        asked: Option<u32>,
        real: PortProto,
        span: &Span,
    ) -> Result<Option<u32>> {
        let real = match real {
            PortProto::Tcp => Some(IPPROTO_TCP),
            PortProto::Udp => Some(IPPROTO_UDP),
            PortProto::Sctp => Some(IPPROTO_SCTP),
            PortProto::Any => None,
        };
        match (asked, real) {
            (None, r) => Ok(r),
            (Some(a), None) => Ok(Some(a)),
            (Some(a), Some(r)) if a == r => Ok(Some(a)),
            (Some(_), Some(r)) => Err(err(
                ErrorKind::Value,
                span,
                format!(
                    "port '{name}' is {}",
                    match r {
                        IPPROTO_TCP => "tcp",
                        IPPROTO_UDP => "udp",
                        _ => "sctp",
                    }
                ),
            )),
        }
    }

    fn lookup_proto(&self, name: &str, proto: Option<Proto>, span: &Span) -> Result<u32> {
        match proto {
            None | Some(Proto::Ip) | Some(Proto::Ip6) => names::ip_proto(name)
                .map(u32::from)
                .ok_or_else(|| err(ErrorKind::Value, span, format!("unknown ip proto '{name}'"))),
            Some(Proto::Link) => names::ether_proto(name)
                .map(u32::from)
                .or_else(|| names::llc_proto(name).map(u32::from))
                .ok_or_else(|| {
                    err(
                        ErrorKind::Value,
                        span,
                        format!("unknown ether proto '{name}'"),
                    )
                }),
            Some(Proto::Iso) => match name {
                "esis" => Ok(0x82),
                "isis" => Ok(0x83),
                "clnp" => Ok(0x81),
                _ => Err(err(
                    ErrorKind::Value,
                    span,
                    format!("unknown osi proto '{name}'"),
                )),
            },
            _ => Err(err(
                ErrorKind::Value,
                span,
                format!("unknown protocol: {name}"),
            )),
        }
    }

    /// A numeric `port N` / `portrange N` (a range of one).
    fn num_port_test(&mut self, v: u32, q: Quals, span: &Span) -> Result<PortTest> {
        let range = q.kind == Some(Kind::Portrange);
        let proto = self.port_proto(q, span, if range { "portrange" } else { "port" })?;
        if v > 65535 {
            return Err(err(
                ErrorKind::Value,
                span,
                format!("illegal port number {v} > 65535"),
            ));
        }
        Ok(PortTest {
            lo: v,
            hi: v,
            proto,
            dir: q.dir,
            range,
            set: None,
        })
    }

    /// `port NAME` / `portrange NAME-NAME`, through the services table.
    fn name_port_test(&mut self, name: &str, q: Quals, span: &Span) -> Result<PortTest> {
        let range = q.kind == Some(Kind::Portrange);
        let (lo, hi, real, what) = if range {
            let proto = self.port_proto(q, span, "portrange")?;
            let (a, b, real) = names::port_range(name).ok_or_else(|| {
                err(
                    ErrorKind::Value,
                    span,
                    format!("unknown port in range '{name}'"),
                )
            })?;
            (a, b, real, proto)
        } else {
            let proto = self.port_proto(q, span, "port")?;
            let (p, real) = names::port(name)
                .ok_or_else(|| err(ErrorKind::Value, span, format!("unknown port '{name}'")))?;
            (p, p, real, proto)
        };
        let proto = self.named_port_proto(name, what, real, span)?;
        Ok(PortTest {
            lo: u32::from(lo),
            hi: u32::from(hi),
            proto,
            dir: q.dir,
            range,
            set: None,
        })
    }

    /// The port test a qualified primitive stands for, if it is one:
    /// consecutive ones in an `or` are lowered together by [`Self::ports`].
    pub(crate) fn port_test(&mut self, q: Quals, id: &Id, span: &Span) -> Result<Option<PortTest>> {
        if !matches!(q.kind, Some(Kind::Port | Kind::Portrange)) {
            return Ok(None);
        }
        Ok(Some(match id {
            Id::Num(v) => self.num_port_test(*v, q, span)?,
            Id::Name(name) => self.name_port_test(name, q, span)?,
            _ => return Ok(None),
        }))
    }

    /// `port`/`portrange` over IPv6 then IPv4 (libpcap's `gen_port6` or'ed
    /// with `gen_port`), for several alternatives with the same protocol
    /// and direction at once: `port 21 or port 22 or ...` is then one
    /// protocol dispatch with all the port comparisons inside, in the
    /// order the separate primitives would make them (so verdicts on
    /// truncated packets are the same), instead of one dispatch per port.
    pub(crate) fn ports(&mut self, tests: &[PortTest], span: &Span) -> Result<F> {
        if let Some(w) = self.protocol.clone() {
            return self.protocol_ports(&w, tests, span);
        }
        let protos = port_protos(&tests[0].proto);
        let l = self.link.clone();
        // IPv6.
        let lt6 = self.linktype_is(ETH_IPV6, span)?;
        let ports6 = port_atoms(tests, span, &|is_src| {
            l.net(2, 40 + if is_src { 0 } else { 2 })
        })?;
        let v6 = dispatch(lt6, l.net(1, 6), protos, ports6);
        // IPv4.
        let lt4 = self.linktype_is(ETH_IP, span)?;
        let nl = l.linkpl.plus(l.nl);
        let ports4 = port_atoms(tests, span, &|is_src| {
            transport_load(nl, 2, if is_src { 0 } else { 2 })
        })?;
        let first = self.not_fragment();
        let v4 = dispatch(lt4, l.net(1, 9), protos, F::and(first, ports4));
        self.one_ofs |= protos.len() > 1;
        Ok(F::or(v6, v4))
    }

    /// The IPv4 packet is the first (or only) fragment.
    pub(crate) fn not_fragment(&self) -> F {
        F::not(F::set(self.link.net(2, 6), 0x1fff))
    }

    /// DECnet host (libpcap's `gen_dnhostop`).
    fn dnhost(&mut self, addr: u32, dir: Option<Dir>, span: &Span) -> Result<F> {
        let a = (addr as u16).swap_bytes() as u32;
        by_dir(dir, span, "decnet host", |is_src| {
            let (sh, lh) = if is_src { (3, 15) } else { (1, 7) };
            let lt = self.linktype_is(0x6003, span)?;
            let l = &self.link;
            let long1 = F::and(
                F::masked(l.net(2, 2), 0xff07, 0x8106),
                F::eq(l.net(2, 2 + 1 + lh), a),
            );
            let long0 = F::and(
                F::masked(l.net(1, 2), 0x07, 0x06),
                F::eq(l.net(2, 2 + lh), a),
            );
            let short1 = F::and(
                F::masked(l.net(2, 2), 0xff07, 0x8102),
                F::eq(l.net(2, 2 + 1 + sh), a),
            );
            let short0 = F::and(
                F::masked(l.net(1, 2), 0x07, 0x02),
                F::eq(l.net(2, 2 + sh), a),
            );
            Ok(F::and(lt, F::any([short0, short1, long0, long1])))
        })
    }

    /// `[ip|ip6] protochain N`: follow the IPv6 extension-header chain (and
    /// AH for IPv4) looking for protocol `v` (libpcap's `gen_protochain`).
    ///
    /// libpcap runs a loop; classic BPF in the kernel cannot, so the walk is
    /// unrolled [`PROTOCHAIN_DEPTH`] headers deep.  The AH step keeps
    /// libpcap's arithmetic, which restarts the offset at the AH length.
    pub(crate) fn protochain(&mut self, v: u32, proto: Option<Proto>, span: &Span) -> Result<F> {
        if let Some(w) = self.protocol.clone() {
            // The header walk already followed the chain.
            let ipv6 = match proto {
                None => None,
                Some(Proto::Ip) => Some(false),
                Some(Proto::Ip6) => Some(true),
                Some(_) => {
                    return Err(err(
                        ErrorKind::Value,
                        span,
                        "bad protocol applied for 'protochain'",
                    ));
                }
            };
            return Ok(self.protocol_proto(&w, v, ipv6));
        }
        self.no_optimize = true;
        let (a, x, tmp) = (
            self.new_var(span)?,
            self.new_var(span)?,
            self.new_var(span)?,
        );
        match proto {
            None => {
                let v4 = self.protochain_for(v, false, (a, x, tmp), span)?;
                let v6 = self.protochain_for(v, true, (a, x, tmp), span)?;
                Ok(F::or(v4, v6))
            }
            Some(Proto::Ip) => self.protochain_for(v, false, (a, x, tmp), span),
            Some(Proto::Ip6) => self.protochain_for(v, true, (a, x, tmp), span),
            Some(_) => Err(err(
                ErrorKind::Value,
                span,
                "bad protocol applied for 'protochain'",
            )),
        }
    }

    fn protochain_for(
        &mut self,
        v: u32,
        ipv6: bool,
        (a, x, tmp): (crate::ir::VarId, crate::ir::VarId, crate::ir::VarId),
        span: &Span,
    ) -> Result<F> {
        if self.link.linkpl.var.is_some() {
            return Err(err(
                ErrorKind::LinkType,
                span,
                "'protochain' not supported with variable length headers",
            ));
        }
        let lt = self.linktype_is(if ipv6 { ETH_IPV6 } else { ETH_IP }, span)?;
        let nl = self.link.linkpl.k.wrapping_add(self.link.nl);
        let at = |d: u32| Val::load_at(1, Some(Val::Var(x)), nl.wrapping_add(d));
        let var = |n| Val::Var(n);
        let is = |k| F::eq(var(a), k);
        let step_ext = F::all([
            F::Assign(tmp, at(0)),
            F::Assign(
                x,
                Val::alu(
                    crate::ast::ArithOp::Add,
                    Val::alu(crate::ast::ArithOp::Mul, Val::plus(at(1), 1), Val::Const(8)),
                    var(x),
                ),
            ),
            F::Assign(a, var(tmp)),
        ]);
        let step_ah = F::all([
            F::Assign(tmp, at(0)),
            F::Assign(
                x,
                Val::alu(crate::ast::ArithOp::Mul, Val::plus(at(1), 2), Val::Const(4)),
            ),
            F::Assign(a, var(tmp)),
        ]);
        let advance = if ipv6 {
            F::or(
                F::and(F::any([is(0), is(60), is(43), is(44)]), step_ext),
                F::and(is(51), step_ah),
            )
        } else {
            F::and(is(51), step_ah)
        };
        let mut walk = is(v);
        for _ in 0..PROTOCHAIN_DEPTH {
            walk = F::or(is(v), F::and(F::not(is(59)), F::and(advance.clone(), walk)));
        }
        let start = if ipv6 {
            F::and(
                F::Assign(a, self.link.net(1, 6)),
                F::Assign(x, Val::Const(40)),
            )
        } else {
            F::and(
                F::Assign(a, self.link.net(1, 9)),
                F::Assign(x, Val::IpHdrLen(nl)),
            )
        };
        Ok(F::all([lt, start, walk]))
    }

    /// `[proto] broadcast`.
    pub(crate) fn broadcast(&mut self, p: Option<Proto>, span: &Span) -> Result<F> {
        match p {
            None | Some(Proto::Link) => match self.link.macs {
                Macs::Arcnet => Ok(F::eq(self.link.hdr(1, 1), 0)),
                Macs::Ether | Macs::Wlan => self.mac_host(&[0xff; 6], Some(Dir::Dst), span),
                Macs::None => Err(err(ErrorKind::LinkType, span, "not a broadcast link")),
            },
            Some(Proto::Ip) => {
                let Some(netmask) = self.opts_netmask() else {
                    return Err(err(
                        ErrorKind::Value,
                        span,
                        "netmask not known, so 'ip broadcast' not supported",
                    ));
                };
                let lt = self.linktype_is(ETH_IP, span)?;
                let hostmask = !netmask;
                let d = || self.link.net(4, 16);
                Ok(F::and(
                    lt,
                    F::or(
                        F::masked(d(), hostmask, 0),
                        F::masked(d(), hostmask, hostmask),
                    ),
                ))
            }
            Some(_) => Err(err(
                ErrorKind::Value,
                span,
                "only link-layer/IP broadcast filters supported",
            )),
        }
    }

    /// `[proto] multicast`.
    pub(crate) fn multicast(&mut self, p: Option<Proto>, span: &Span) -> Result<F> {
        match p {
            None | Some(Proto::Link) => match self.link.macs {
                Macs::Arcnet => Ok(F::eq(self.link.hdr(1, 1), 0)),
                Macs::Ether => {
                    let prev = self.prevlink_check();
                    let b = F::set(self.link.hdr(1, 0), 1);
                    Ok(match prev {
                        Some(p) => F::and(p, b),
                        None => b,
                    })
                }
                Macs::Wlan => Ok(self.wlan_multicast()),
                Macs::None => Err(err(
                    ErrorKind::LinkType,
                    span,
                    "link-layer multicast filters supported only on ethernet/FDDI/token ring/ARCNET/802.11/ATM LANE/Fibre Channel",
                )),
            },
            Some(Proto::Ip) => {
                let lt = self.linktype_is(ETH_IP, span)?;
                Ok(F::and(
                    lt,
                    F::test(CmpOp::Ge, self.link.net(1, 16), Val::Const(224)),
                ))
            }
            Some(Proto::Ip6) => {
                let lt = self.linktype_is(ETH_IPV6, span)?;
                Ok(F::and(lt, F::eq(self.link.net(1, 24), 255)))
            }
            Some(_) => Err(err(
                ErrorKind::Value,
                span,
                "link-layer multicast filters supported only on ethernet/FDDI/token ring/ARCNET/802.11/ATM LANE/Fibre Channel",
            )),
        }
    }

    fn opts_netmask(&self) -> Option<u32> {
        self.opts.netmask
    }
}

/// The IPv4 header length for a network header at `nl`, plus the
/// variable part of `nl` (so that adding `nl.k` gives the transport
/// header): libpcap's `gen_loadx_iphdrlen`.
pub(crate) fn ip_hdr_len(nl: super::link::Off) -> Val {
    use crate::ast::ArithOp;
    match nl.var {
        None => Val::IpHdrLen(nl.k),
        Some(v) => Val::alu(
            ArithOp::Add,
            Val::alu(
                ArithOp::Shl,
                Val::alu(
                    ArithOp::And,
                    Val::load_at(1, Some(Val::Var(v)), nl.k),
                    Val::Const(0xf),
                ),
                Val::Const(2),
            ),
            Val::Var(v),
        ),
    }
}

/// A load relative to the IPv4 transport header.
pub(crate) fn transport_load(nl: super::link::Off, size: u8, off: u32) -> Val {
    Val::load_at(size, Some(ip_hdr_len(nl)), nl.k.wrapping_add(off))
}

#[cfg(test)]
mod tests {
    use super::parse_ipv4;
    use crate::ir::Cfg;
    use crate::lower::{F, Lowerer, formula::to_cfg};
    use crate::tests::xorshift;
    use crate::{CompileOptions, LinkType, cbpf};

    /// The graph of `expr`, its port tests' [`F::OneOf`]s woven once
    /// where nothing else reads the protocol (`once`) or, as libpcap
    /// writes them, with a copy of the port comparisons for each
    /// protocol; optimized or not.
    fn graph(expr: &str, opts: &CompileOptions, once: bool, optimize: bool) -> Cfg {
        let ast = crate::parse::parse(expr).unwrap().unwrap();
        let mut lw = Lowerer::new(opts).unwrap();
        let f = lw.expr(&ast).unwrap();
        let f: F = lw.with_prologue(f);
        let mut cfg = to_cfg(f, 2, lw.cfg.vars, &mut None, once);
        if optimize {
            crate::opt::optimize(&mut cfg, true, false).unwrap();
        }
        cfg
    }

    /// A packet for a port test: IPv4 (its header 20 to 28 bytes, a
    /// fragment or not), IPv6 or neither, TCP, UDP, SCTP or another
    /// protocol, ports from `ports` (the tested ones and their
    /// neighbours) or any, cut short at any length.
    fn packet(rnd: &mut impl FnMut(u64) -> u64, link: LinkType, ports: &[u16]) -> Vec<u8> {
        let mut p = Vec::new();
        let family = [0x0800u16, 0x86dd, 0x0806, 0x8100][rnd(4) as usize];
        if link == LinkType::EN10MB {
            p.extend((0..12).map(|_| rnd(256) as u8));
            p.extend(family.to_be_bytes());
        }
        let protos = [6u8, 17, 132, 1, 44, rnd(256) as u8];
        let proto = protos[rnd(protos.len() as u64) as usize];
        if family == 0x86dd {
            p.push(0x60);
            p.extend((1..6).map(|_| rnd(256) as u8));
            p.push(proto);
            p.extend((7..40).map(|_| rnd(256) as u8));
        } else {
            let ihl = [5u8, 5, 6, 7, rnd(16) as u8][rnd(5) as usize];
            let version = if rnd(8) == 0 { 0x60 } else { 0x40 };
            p.push(version | ihl);
            p.extend((1..6).map(|_| rnd(256) as u8));
            let frag = [0u16, 0, 0x2000, 0x4000, 1, 0x1fff, rnd(0x10000) as u16];
            p.extend(frag[rnd(frag.len() as u64) as usize].to_be_bytes());
            p.push(rnd(256) as u8);
            p.push(proto);
            p.extend((10..4 * usize::from(ihl.max(5))).map(|_| rnd(256) as u8));
        }
        for _ in 0..2 {
            let port = match rnd(3) {
                0 => rnd(0x10000) as u16,
                _ => ports[rnd(ports.len() as u64) as usize],
            };
            p.extend(port.to_be_bytes());
        }
        p.extend((0..rnd(12)).map(|_| rnd(256) as u8));
        let keep = if rnd(4) == 0 {
            rnd(p.len() as u64 + 1) as usize
        } else {
            p.len()
        };
        p.truncate(keep);
        p
    }

    /// A port test is woven once unless something else in the
    /// expression reads the protocol (of that network protocol: `ip6
    /// proto 1` keeps IPv6's copies only); with copies the graph is the
    /// one libpcap's form builds.
    #[test]
    fn ports_are_woven_once_where_nothing_else_reads_the_protocol() {
        let opts = CompileOptions::new(LinkType::EN10MB);
        for (expr, once) in [
            ("port 80", true),
            ("portrange 1-1023 or host 10.0.0.1", true),
            ("port 21 or port 22 or port 23 and len > 100", true),
            ("port 80 and ip6 proto 1", true),
            // `proto[k]` loads through the index register: another value
            // (which the optimizer keeps apart from the fixed load).
            ("port 80 and ip[9] = 1 or ip6[6] = 1", true),
            ("tcp port 80", false),
            ("port 80 and tcp", false),
            ("tcp or port 80", false),
            ("port 22 and port 80", false),
            ("src port 22 or dst port 80", false),
            ("port 80 or ip proto 1 or ip6 proto 1", false),
            ("port 80 or ip protochain 1 or ip6 protochain 1", false),
        ] {
            let [a, b] = [true, false].map(|once| graph(expr, &opts, once, false));
            assert_eq!(a.nodes().len() < b.nodes().len(), once, "{expr}");
            if !once {
                assert_eq!((a.root(), a.nodes()), (b.root(), b.nodes()), "{expr}");
            }
        }
    }

    /// A port test woven once judges every packet as libpcap's copy for
    /// each protocol does, both optimized or both not: random lists of ports and
    /// ranges (every direction), alone or with tests that do not read
    /// the protocol, on random packets (truncated ones too).
    #[test]
    fn ports_woven_once_judge_as_copies_do() {
        let mut rnd = xorshift(0x5eed_f075);
        let dirs = ["", "src ", "dst ", "src or dst ", "src and dst "];
        let others = [
            "",
            " or host 10.0.0.1",
            " and not net 10.0.0.0/8",
            " and len > 60",
            " or ether broadcast",
        ];
        let (mut lists, mut woven_once, mut packets) = (0, 0, 0);
        for round in 0..240 {
            let link = [LinkType::EN10MB, LinkType::RAW][round % 2];
            let opts = CompileOptions::new(link);
            let dir = dirs[rnd(dirs.len() as u64) as usize];
            let mut ports = Vec::new();
            let mut alts = Vec::new();
            for _ in 0..1 + rnd(5) {
                let lo = [rnd(0x10000), rnd(1024), 80][rnd(3) as usize] as u16;
                let alt = if rnd(3) == 0 {
                    let hi = lo.saturating_add(rnd(40) as u16);
                    ports.extend([hi, hi.saturating_add(1)]);
                    format!("{dir}portrange {lo}-{hi}")
                } else {
                    format!("{dir}port {lo}")
                };
                ports.extend([lo, lo.wrapping_sub(1), lo.wrapping_add(1)]);
                alts.push(alt);
            }
            let other = others[rnd(others.len() as u64) as usize];
            if link == LinkType::RAW && other.contains("ether") {
                continue;
            }
            let expr = format!("({}){other}", alts.join(" or "));
            let graphs = [(true, false), (false, false), (true, true), (false, true)]
                .map(|(once, optimize)| graph(&expr, &opts, once, optimize));
            lists += 1;
            if graphs[0].nodes().len() < graphs[1].nodes().len() {
                woven_once += 1;
            }
            let progs = graphs.map(|g| cbpf::codegen::generate(&g, &opts).unwrap());
            for _ in 0..200 {
                let p = packet(&mut rnd, link, &ports);
                let verdicts = progs
                    .each_ref()
                    .map(|prog| cbpf::interp::run(prog, &p, p.len() as u32));
                // Optimized and not, verdicts on truncated packets may
                // differ (the optimizer, libpcap's too, moves the loads
                // of the source port ahead of the destination's).
                assert!(
                    verdicts[0] == verdicts[1] && verdicts[2] == verdicts[3],
                    "{expr} on {link:?}, packet {p:02x?}: {verdicts:?}"
                );
                packets += 1;
            }
        }
        // Nothing else reads the protocol: every list is woven once.
        assert_eq!(woven_once, lists);
        assert!(packets > 40_000);
    }

    /// `__pcap_atoin`'s forms: one to four decimal parts of at most three
    /// digits, each at most 255; anything else is not an address.
    #[test]
    fn dotted_ipv4() {
        for (text, want) in [
            ("10.1.2.3", Some((0x0a01_0203, 32))),
            ("255.255.255.255", Some((u32::MAX, 32))),
            ("010.001.000.9", Some((0x0a01_0009, 32))),
            ("10", Some((10, 8))),
            ("192.168", Some((0xc0a8, 16))),
            ("1.2.3", Some((0x0001_0203, 24))),
            ("1.2.3.4.5", None),
            ("256.1", None),
            ("1.0256", None),
            ("1..2", None),
            (".1", None),
            ("1.", None),
            ("", None),
            ("1.2a", None),
            ("1.-2", None),
            ("１.2", None),
        ] {
            assert_eq!(parse_ipv4(text), want, "{text}");
        }
    }
}
