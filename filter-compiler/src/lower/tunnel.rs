//! Tunnels: `vxlan [VNI]` and the `inner(EXPR)` scope.
//!
//! `vxlan` is libpcap's development-branch primitive (libpcap 1.10 has
//! none): UDP to port 4789 over IPv4 or IPv6, the VXLAN flags byte 0x08
//! (only the I bit), and the 24-bit VNI when one is given; like `geneve`,
//! it moves the link layer of everything after it to the encapsulated
//! Ethernet frame.
//!
//! `inner(EXPR)` is bpfcap's own: the packet is a tunnel packet of a
//! supported kind and EXPR holds for the packet it carries. The kind is
//! read from the outer headers at run time — VXLAN (UDP 4789), Geneve (UDP
//! 6081, skipping its options), GRE (IP protocol 47, version 0, skipping
//! the checksum, key and sequence number its flags announce), IPv4-in-IP
//! (protocol 4) and IPv6-in-IP (protocol 41), each over IPv4 or IPv6 —
//! and decides what the inner packet starts with: an Ethernet frame
//! (VXLAN; Geneve and GRE of protocol 0x6558) or a bare IPv4 / IPv6 packet
//! (IP in IP; Geneve and GRE of protocol 0x0800 / 0x86dd). EXPR is lowered
//! once for each, on a link layer of that shape placed at a run-time
//! offset, and the kind found picks which of the two decides. Unlike the
//! libpcap primitives that move the link layer for the rest of the
//! expression, `inner(...)` is a scope: after the closing parenthesis the
//! expression stands where it stood before.

use crate::ast::{ArithOp, Expr, Span};
use crate::error::{Error, ErrorKind, Result};
use crate::ir::{Val, VarId};
use crate::linktype::LinkType;

use super::link::{Link, Macs, Off, Proto as LinkProto};
use super::net::ip_hdr_len;
use super::special::GeneveVars;
use super::{F, Lowerer, err};

const VXLAN_PORT: u32 = 4789;
const GENEVE_PORT: u32 = 6081;
const IPPROTO_IPIP: u32 = 4;
const IPPROTO_IPV6: u32 = 41;
const IPPROTO_UDP: u32 = 17;
const IPPROTO_GRE: u32 = 47;
/// Ethernet types a tunnel declares its payload with.
const ETH_IP: u32 = 0x0800;
const ETH_IPV6: u32 = 0x86dd;
const TRANSPARENT_ETHERNET: u32 = 0x6558;
/// The UDP header and the VXLAN header (flags, reserved, VNI, reserved).
const UDP_LEN: u32 = 8;
const VXLAN_LEN: u32 = 8;
/// VXLAN's flags byte with only the I (valid VNI) bit set.
const VXLAN_FLAGS: u32 = 0x08;
/// GRE flag bits (RFC 2784/2890): checksum present, routing present
/// (RFC 1701, not followed), key present, sequence number present, and
/// the version.
const GRE_C: u32 = 0x8000;
const GRE_R: u32 = 0x4000;
const GRE_K: u32 = 0x2000;
const GRE_S: u32 = 0x1000;
const GRE_VERSION: u32 = 0x0007;

/// `inner(...)` scopes nested deeper than this are refused: each level
/// lowers what it holds twice (see the module documentation), so the
/// innermost expression is there 2^n times.
const MAX_NESTING: u32 = 4;

/// Where the lowering stands: the link layer and the state the libpcap
/// primitives keep about it. `inner(...)` saves it and puts it back.
#[derive(Clone, Debug)]
pub(crate) struct View {
    link: Link,
    mpls_depth: u32,
    vlan_depth: u32,
    geneve: Option<GeneveVars>,
    scope: Scope,
}

/// The lowering's state about tunnels.
#[derive(Clone, Debug, Default)]
pub(crate) struct Scope {
    /// Inside `inner(...)`, lowering for tunnels that carry bare IP.
    bare_ip: bool,
    /// Where the last `vxlan` or `geneve` found its tunnel: what a later
    /// `inner(...)` decodes.
    outer: Option<Box<View>>,
    /// How many `inner(...)` scopes enclose this point.
    depth: u32,
}

/// The outer IP header of a possible tunnel packet: how to recognise it,
/// its protocol byte, and where its payload starts (`base + k`).
struct OuterIp {
    /// IPv4 or IPv6.
    is_ip: F,
    /// The IPv4 protocol / IPv6 next header.
    proto: Val,
    /// Only first fragments have the payload's headers (IPv4; as for
    /// ports).
    first: F,
    base: Option<Val>,
    k: u32,
}

impl OuterIp {
    /// A load `off` bytes into the IP payload.
    fn load(&self, size: u8, off: u32) -> Val {
        Val::load_at(size, self.base.clone(), self.k.wrapping_add(off))
    }

    /// The offset `off` bytes into the IP payload, as a value.
    fn at(&self, off: u32) -> Val {
        let k = self.k.wrapping_add(off);
        match &self.base {
            Some(b) => Val::plus(b.clone(), k),
            None => Val::Const(k),
        }
    }

    /// The IP payload is protocol `proto` and starts here.
    fn carries(&self, proto: u32) -> F {
        F::and(F::eq(self.proto.clone(), proto), self.first.clone())
    }

    /// UDP to `port`, tested as libpcap's `gen_port` does.
    fn udp_to(&self, port: u32) -> F {
        F::and(self.carries(IPPROTO_UDP), F::eq(self.load(2, 2), port))
    }

    /// A VXLAN header after UDP to port 4789, with VNI `vni` if given
    /// (libpcap master's `gen_vxlan_check`).
    fn vxlan(&self, vni: Option<u32>) -> F {
        let mut tests = vec![
            self.udp_to(VXLAN_PORT),
            F::eq(self.load(1, UDP_LEN), VXLAN_FLAGS),
        ];
        if let Some(v) = vni {
            tests.push(F::masked(self.load(4, UDP_LEN + 4), 0xffff_ff00, v << 8));
        }
        F::all(tests)
    }
}

impl Lowerer<'_> {
    /// The outer IPv4 and IPv6 headers as the link layer at this point
    /// carries them.
    fn outer_ips(&mut self, span: &Span) -> Result<[OuterIp; 2]> {
        let nl = self.link.linkpl.plus(self.link.nl);
        let v4 = OuterIp {
            is_ip: self.linktype_is(ETH_IP, span)?,
            proto: self.link.net(1, 9),
            first: self.not_fragment(),
            base: Some(ip_hdr_len(nl)),
            k: nl.k,
        };
        let v6 = OuterIp {
            is_ip: self.linktype_is(ETH_IPV6, span)?,
            proto: self.link.net(1, 6),
            first: F::True,
            base: nl.var.map(Val::Var),
            k: nl.k.wrapping_add(40),
        };
        Ok([v4, v6])
    }

    /// `vxlan [VNI]`: from here on the link layer is the encapsulated
    /// Ethernet frame, as after `geneve`.
    pub(crate) fn vxlan(&mut self, vni: Option<u32>, span: &Span) -> Result<F> {
        self.tunnels_on("vxlan", span)?;
        if self.protocol.is_some() {
            return Err(self.protocol_unsupported("vxlan", span));
        }
        if let Some(v) = vni
            && v > 0xff_ffff
        {
            return Err(err(
                ErrorKind::Value,
                span,
                format!("VXLAN VNI {v} greater than maximum 16777215"),
            ));
        }
        let at = self.new_var(span)?;
        let mut alts = Vec::new();
        for ip in self.outer_ips(span)? {
            let frame = ip.at(UDP_LEN + VXLAN_LEN);
            let vxlan = ip.vxlan(vni);
            alts.push(F::all([ip.is_ip, vxlan, F::Assign(at, frame)]));
        }
        self.entering_tunnel();
        self.geneve = None;
        inner_link(&mut self.link, at, true);
        Ok(F::any(alts))
    }

    /// The tunnel primitives are not libpcap 1.10's: they are refused
    /// (where libpcap has a syntax error) unless asked for.
    fn tunnels_on(&self, what: &str, span: &Span) -> Result<()> {
        if self.opts.tunnels {
            return Ok(());
        }
        Err(err(
            ErrorKind::Syntax,
            span,
            format!(
                "{what} is a tunnel extension libpcap 1.10 does not have: --tunnels enables it"
            ),
        ))
    }

    /// Remembers where the tunnel a `geneve` or `vxlan` enters was found,
    /// for a later `inner(...)` to decode the same tunnel.
    pub(crate) fn entering_tunnel(&mut self) {
        let mut outer = self.view();
        // Decoding needs only the link layer there: no chain of tunnels.
        outer.scope.outer = None;
        self.tunnel.outer = Some(Box::new(outer));
    }

    /// `inner(EXPR)` at `span`.
    ///
    /// The tunnel is read from the outer headers: those the last `vxlan`
    /// or `geneve` before it found its tunnel in (so that `vxlan 42 and
    /// inner(tcp port 80)` looks inside that VXLAN packet), else those at
    /// this point of the expression.
    pub(crate) fn inner(&mut self, e: &Expr, span: &Span) -> Result<F> {
        let kw = span.start..span.start + "inner".len();
        self.tunnels_on("inner(...)", &kw)?;
        if self.protocol.is_some() {
            return Err(self.protocol_unsupported("inner(...)", &kw));
        }
        let here = self.view();
        if here.scope.depth >= MAX_NESTING {
            return Err(err(
                ErrorKind::TooLarge,
                &kw,
                format!("inner(...) nested more than {MAX_NESTING} deep"),
            ));
        }
        if let Some(outer) = here.scope.outer.clone() {
            self.set_view(*outer);
        }
        let at = self.new_var(&kw)?;
        let kind = self.new_var(&kw)?;
        let found = self.tunnel(at, kind, &kw);
        let lowered = found.and_then(|found| {
            let mut eth_view = View::start_of_inner(&here);
            inner_link(&mut eth_view.link, at, true);
            self.set_view(eth_view);
            let vars = self.cfg.vars;
            let eth = self.expr(e)?;
            let eth_vars = self.cfg.vars;
            // The two lowerings run on exclusive paths (the kind picks
            // one), so the variables of scopes nested in them can share
            // scratch words: nesting costs two words a level, not twice
            // as many at each.
            self.cfg.vars = vars;
            let mut ip_view = View::start_of_inner(&here);
            inner_link(&mut ip_view.link, at, false);
            ip_view.scope.bare_ip = true;
            self.set_view(ip_view);
            let ip = self.expr(e)?;
            self.cfg.vars = self.cfg.vars.max(eth_vars);
            Ok((found, eth, ip))
        });
        self.set_view(here);
        let (found, eth, ip) = lowered?;
        let kind_is = |k| F::eq(Val::Var(kind), k);
        let version = |v| F::masked(Val::load_at(1, Some(Val::Var(at)), 0), 0xf0, v);
        let ip_ok = F::or(
            F::and(kind_is(ETH_IP), version(0x40)),
            F::and(kind_is(ETH_IPV6), version(0x60)),
        );
        Ok(F::and(
            found,
            F::or(
                F::and(kind_is(TRANSPARENT_ETHERNET), eth),
                F::and(ip_ok, ip),
            ),
        ))
    }

    /// Inside `inner(...)` for tunnels that carry bare IP, a primitive
    /// that needs a link layer (`ether host`, `vlan`, `llc`, ...) is
    /// false, as it is of such a packet, rather than an error; everywhere
    /// else the error stands.
    pub(crate) fn without_link_layer(&self, e: Error) -> Result<F> {
        if self.tunnel.bare_ip && e.kind == ErrorKind::LinkType {
            Ok(F::False)
        } else {
            Err(e)
        }
    }

    /// "This is a tunnel packet of a supported kind", setting `at` to
    /// where its inner packet starts and `kind` to the Ethernet type of
    /// that packet (0x6558 for an Ethernet frame).
    fn tunnel(&mut self, at: VarId, kind: VarId, span: &Span) -> Result<F> {
        let set = |k: u32| F::Assign(kind, Val::Const(k));
        let mut alts = Vec::new();
        for ip in self.outer_ips(span)? {
            let vxlan = F::all([
                ip.vxlan(None),
                F::Assign(at, ip.at(UDP_LEN + VXLAN_LEN)),
                set(TRANSPARENT_ETHERNET),
            ]);
            // Geneve: version 0; options of 4 * (byte 0 & 0x3f) bytes
            // after its 8-byte header; the payload's Ethernet type at 2.
            let g = UDP_LEN;
            let geneve = F::all([
                ip.udp_to(GENEVE_PORT),
                F::masked(ip.load(1, g), 0xc0, 0),
                F::Assign(kind, ip.load(2, g + 2)),
                F::Assign(
                    at,
                    Val::alu(
                        ArithOp::Add,
                        Val::alu(
                            ArithOp::Shl,
                            Val::alu(ArithOp::And, ip.load(1, g), Val::Const(0x3f)),
                            Val::Const(2),
                        ),
                        ip.at(g + 8),
                    ),
                ),
            ]);
            // GRE version 0 without routing: 4 bytes, then 4 for each of
            // checksum (+ reserved), key and sequence number present.
            let flags = || ip.load(2, 0);
            let mut gre = vec![
                ip.carries(IPPROTO_GRE),
                F::masked(flags(), GRE_R | GRE_VERSION, 0),
                F::Assign(kind, ip.load(2, 2)),
                F::Assign(at, ip.at(4)),
            ];
            for bit in [GRE_C, GRE_K, GRE_S] {
                gre.push(F::when(
                    F::set(flags(), bit),
                    F::Assign(at, Val::plus(Val::Var(at), 4)),
                ));
            }
            let in_ip = |proto: u32, ethertype: u32| {
                F::all([ip.carries(proto), F::Assign(at, ip.at(0)), set(ethertype)])
            };
            let any = F::any([
                vxlan,
                geneve,
                F::all(gre),
                in_ip(IPPROTO_IPIP, ETH_IP),
                in_ip(IPPROTO_IPV6, ETH_IPV6),
            ]);
            alts.push(F::and(ip.is_ip, any));
        }
        Ok(F::any(alts))
    }

    fn view(&self) -> View {
        View {
            link: self.link.clone(),
            mpls_depth: self.mpls_depth,
            vlan_depth: self.vlan_depth,
            geneve: self.geneve,
            scope: self.tunnel.clone(),
        }
    }

    fn set_view(&mut self, v: View) {
        self.link = v.link;
        self.mpls_depth = v.mpls_depth;
        self.vlan_depth = v.vlan_depth;
        self.geneve = v.geneve;
        self.tunnel = v.scope;
    }
}

impl View {
    /// The start of an inner packet (its link layer still to be placed):
    /// no VLAN, MPLS or tunnel seen yet.
    fn start_of_inner(here: &View) -> View {
        View {
            link: here.link.clone(),
            mpls_depth: 0,
            vlan_depth: 0,
            geneve: None,
            scope: Scope {
                bare_ip: false,
                outer: None,
                depth: here.scope.depth + 1,
            },
        }
    }
}

/// Makes `link` that of an inner packet starting at the offset held in
/// `at`: an Ethernet frame, or a bare IPv4 or IPv6 packet (as `-y RAW`
/// has them).
fn inner_link(link: &mut Link, at: VarId, ethernet: bool) {
    let start = Off {
        var: Some(at),
        k: 0,
    };
    (link.dlt, link.proto, link.macs, link.linktype, link.linkpl) = if ethernet {
        let (linktype, linkpl) = (start.plus(12), start.plus(14));
        (
            LinkType::EN10MB,
            LinkProto::Ether,
            Macs::Ether,
            linktype,
            linkpl,
        )
    } else {
        let no_type = Off::at(u32::MAX);
        (LinkType::RAW, LinkProto::RawIp, Macs::None, no_type, start)
    };
    link.prev = None;
    link.linkhdr = start;
    link.nl = 0;
    link.nl_nosnap = 0;
}

#[cfg(test)]
mod tests {
    use crate::cbpf::interp;
    use crate::{CompileOptions, ErrorKind, LinkType, compile};

    const ETH_IP: [u8; 14] = [2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 8, 0];

    fn ip(proto: u8) -> Vec<u8> {
        vec![
            0x45, 0, 0, 0, 0, 0, 0, 0, 64, proto, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
        ]
    }

    fn port(kind: u8, dport: u16) -> Vec<u8> {
        let [hi, lo] = dport.to_be_bytes();
        let mut h = vec![0x9c, 0x40, hi, lo, 0, 0, 0, 0];
        if kind == 6 {
            h.resize(20, 0);
        }
        h
    }

    /// Ethernet, IPv4, UDP to 4789, VXLAN `vni`, then `inner`.
    fn vxlan(vni: u8, inner: &[u8]) -> Vec<u8> {
        [
            &ETH_IP[..],
            &ip(17),
            &port(17, 4789),
            &[8, 0, 0, 0, 0, 0, vni, 0],
            inner,
        ]
        .concat()
    }

    /// An Ethernet frame with IPv4 and TCP to `dport`.
    fn tcp_frame(dport: u16) -> Vec<u8> {
        [&ETH_IP[..], &ip(6), &port(6, dport)].concat()
    }

    fn tunnels() -> CompileOptions {
        CompileOptions {
            tunnels: true,
            ..CompileOptions::new(LinkType::EN10MB)
        }
    }

    fn keeps(expr: &str, pkt: &[u8]) -> bool {
        let prog = compile(expr, &tunnels()).unwrap_or_else(|e| panic!("{}", e.render(expr)));
        interp::run(&prog, pkt, pkt.len() as u32) != 0
    }

    fn error(expr: &str) -> crate::Error {
        compile(expr, &tunnels()).unwrap_err()
    }

    /// libpcap 1.10's language by default: `vxlan` and `inner(...)` are
    /// refused where libpcap has a syntax error, and are ids (host
    /// names) where libpcap reads one.
    #[test]
    fn off_by_default() {
        let libpcap = CompileOptions::new(LinkType::EN10MB);
        for (expr, at) in [
            ("vxlan", 0..5),
            ("tcp and vxlan 42", 8..16),
            ("udp or inner(tcp)", 7..12),
        ] {
            let e = compile(expr, &libpcap).unwrap_err();
            assert_eq!((e.kind, e.span), (ErrorKind::Syntax, at), "{expr}");
            assert!(e.message.contains("--tunnels"), "{}", e.message);
        }
        for expr in ["host vxlan", "host inner", "port 1 or vxlan"] {
            let e = compile(expr, &libpcap).unwrap_err();
            assert_eq!(e.kind, ErrorKind::Value, "{expr}: {e:?}");
        }
    }

    #[test]
    fn vxlan_vni_and_the_inner_packet() {
        let f = "vxlan 42 and inner(tcp port 80)";
        assert!(keeps(f, &vxlan(42, &tcp_frame(80))));
        assert!(!keeps(f, &vxlan(43, &tcp_frame(80))));
        assert!(!keeps(f, &vxlan(42, &tcp_frame(443))));
        assert!(!keeps(f, &tcp_frame(80)));
        assert!(keeps("vxlan", &vxlan(43, &tcp_frame(443))));
        assert!(keeps("vxlan (43) and tcp", &vxlan(43, &tcp_frame(443))));
        // A wrong flags byte is not VXLAN.
        let mut bad = vxlan(42, &tcp_frame(80));
        bad[42] = 0x0c;
        assert!(!keeps("vxlan", &bad) && !keeps(f, &bad));
    }

    /// After `inner(...)` the expression is back on the outer packet
    /// (where `vxlan` leaves it on the inner one, as libpcap's does).
    #[test]
    fn inner_is_a_scope() {
        let pkt = vxlan(42, &tcp_frame(80));
        assert!(keeps("inner(tcp) and udp dst port 4789", &pkt));
        assert!(!keeps("vxlan and tcp and udp", &pkt));
        assert!(keeps("vxlan 42 and inner(tcp) and tcp port 80", &pkt));
        assert!(keeps("not inner(udp)", &pkt) && keeps("not inner(tcp)", &tcp_frame(80)));
    }

    /// GRE's optional checksum, key and sequence number move the inner
    /// packet 4 bytes each; routing (RFC 1701) and version 1 are not
    /// followed.
    #[test]
    fn gre_optional_fields() {
        let inner = [ip(6), port(6, 80)].concat();
        let gre = |flags: u16, extra: usize| {
            let mut h = [&ETH_IP[..], &ip(47)].concat();
            h.extend_from_slice(&flags.to_be_bytes());
            h.extend_from_slice(&[8, 0]);
            h.resize(h.len() + extra, 0xaa);
            [h, inner.clone()].concat()
        };
        let f = "inner(tcp dst port 80 and host 10.0.0.2)";
        for (flags, extra) in [(0, 0), (0x2000, 4), (0x3000, 8), (0xb000, 12), (0x8000, 4)] {
            assert!(keeps(f, &gre(flags, extra)), "{flags:#x}");
            assert!(!keeps(f, &gre(flags, extra + 4)), "{flags:#x} + 4");
        }
        assert!(!keeps(f, &gre(0x4000, 4)));
        assert!(!keeps(f, &gre(0x0001, 0)));
    }

    /// On a tunnel of bare IP a primitive about the link layer is false,
    /// not an error; the same expression still matches Ethernet inside
    /// VXLAN.
    #[test]
    fn link_layer_primitives_on_bare_ip_are_false() {
        let ipip = [&ETH_IP[..], &ip(4), &ip(6), &port(6, 80)].concat();
        assert!(keeps("inner(tcp port 80)", &ipip));
        assert!(!keeps("inner(ether host 2:0:0:0:0:2)", &ipip));
        assert!(keeps("inner(not vlan and tcp)", &ipip));
        let eth = vxlan(1, &tcp_frame(80));
        assert!(keeps("inner(ether host 2:0:0:0:0:2)", &eth));
        // An error that is not about the missing link layer stands.
        assert_eq!(error("inner(sio 3)").kind, ErrorKind::LinkType);
    }

    #[test]
    fn nested_tunnels() {
        let pkt = vxlan(7, &[&ETH_IP[..], &ip(4), &ip(6), &port(6, 8080)].concat());
        assert!(keeps("inner(inner(tcp port 8080))", &pkt));
        assert!(!keeps("inner(tcp port 8080)", &pkt));
        assert!(keeps("vxlan 7 and inner(ip proto 4 and inner(tcp))", &pkt));
    }

    #[test]
    fn errors_point_at_the_mistake() {
        let e = error("tcp and vxlan 16777216");
        assert_eq!((e.kind, e.span.clone()), (ErrorKind::Value, 8..22));
        assert_eq!(
            e.message,
            "VXLAN VNI 16777216 greater than maximum 16777215"
        );
        let e = error("inner()");
        assert_eq!((e.kind, e.span.start), (ErrorKind::Syntax, 6));
        let e = error("inner(tcp");
        assert_eq!((e.kind, e.span), (ErrorKind::Syntax, 9..9));
        let e = error("udp and inner(sio 3)");
        assert_eq!(e.span, 14..19);
        let nested = |n| format!("{}tcp{}", "inner(".repeat(n), ")".repeat(n));
        assert!(!keeps(&nested(4), &tcp_frame(80)));
        let e = error(&format!("udp or {}", nested(5)));
        assert_eq!((e.kind, e.span), (ErrorKind::TooLarge, 31..36));
        assert_eq!(e.message, "inner(...) nested more than 4 deep");
        // `inner` without a parenthesis is still a host name.
        assert_eq!(error("host inner and").kind, ErrorKind::Syntax);
    }
}
