//! `--semantics protocol` ([`Semantics::Protocol`](crate::Semantics)): a
//! packet matches what its headers say, not where libpcap's fixed offsets
//! look.
//!
//! A prologue walks the headers once and leaves what it found in
//! variables ([`Walk`]): the Ethernet type after up to [`VLAN_TAGS`]
//! VLAN/QinQ tags and an MPLS stack of up to [`MPLS_LABELS`] labels (whose
//! payload is guessed from its first nibble, as tshark does), the offset
//! of the network header, and for IPv4 and IPv6 the transport protocol,
//! its offset and the fragment offset, after up to [`IPV6_EXT_HEADERS`]
//! IPv6 extension headers (hop-by-hop, routing, destination options,
//! fragment) and AH. The primitives then test those variables: the
//! network-layer loads of the libpcap lowering read at the network offset
//! (the [`Link`]'s payload becomes that variable), and the transport ones
//! (`proto`, `tcp`, `port`, `tcp[…]`, …) are lowered here.
//!
//! Every loop is unrolled to its bound (classic BPF has no backward
//! jumps) and every load of the walk is guarded by the packet's length, so
//! the walk never rejects a packet that a primitive would not have looked
//! at: `less 60` keeps a runt frame as it does under libpcap's semantics.

use crate::ast::{ArithOp, Span};
use crate::error::{ErrorKind, Result};
use crate::ir::{CmpOp, Val, VarId};

use super::formula::PROLOGUE;
use super::link::{Link, Macs, Off, Proto as LinkProto};
use super::net::PortTest;
use super::{F, Lowerer, err};

/// VLAN/QinQ tags looked through (802.1Q, 802.1ad and the old 0x9100).
pub const VLAN_TAGS: usize = 4;
/// MPLS labels looked through before the payload.
pub const MPLS_LABELS: usize = 8;
/// IPv6 extension headers (and AH, for IPv4 as well) walked.
pub const IPV6_EXT_HEADERS: usize = 8;

const ETH_IP: u32 = 0x0800;
const ETH_IPV6: u32 = 0x86dd;
pub(crate) const VLAN_TPIDS: [u32; 3] = [0x8100, 0x88a8, 0x9100];
pub(crate) const MPLS_TYPES: [u32; 2] = [0x8847, 0x8848];
/// The Ethernet type while the walk is past the bottom of an MPLS stack
/// and has not guessed the payload yet (no real type is this small).
pub(crate) const MPLS_PAYLOAD: u32 = 1;
/// The transport protocol before the walk finds one: no IP protocol.
pub(crate) const NO_PROTO: u32 = 256;
const AH: u32 = 51;
pub(crate) const FRAGMENT: u32 = 44;
/// Extension headers with the generic layout (next header, length in
/// 8-byte units beyond the first 8).
const EXT_GENERIC: [u32; 3] = [0, 43, 60];

/// What one of the walk's variables holds (see [`Walk`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum WalkVar {
    /// The Ethernet type of the network header.
    EtherType,
    /// The network header's offset.
    Network,
    /// The transport protocol (or the last header reached).
    Proto,
    /// The transport header's offset.
    Transport,
    /// The fragment offset.
    Fragment,
    /// The extension headers walked past, one bit each.
    Seen,
}

/// The variables the prologue sets.
#[derive(Clone, Debug)]
pub(crate) struct Walk {
    /// The Ethernet type of the network header (0 if unknown).
    et: VarId,
    /// Offset of the network header.
    nl: VarId,
    /// The transport protocol (or the last header the walk reached);
    /// [`NO_PROTO`] if the packet is not IP.
    proto: VarId,
    /// Offset of the transport header.
    l4: VarId,
    /// Fragment offset (nonzero: not the first fragment).
    frag: VarId,
    /// Bit `p & 31` set for each header `p` walked past (AH, extension
    /// headers), so `ip6 proto 44` can still ask for a fragment header.
    seen: VarId,
    /// The link layer as libpcap's lowering had it, before its payload
    /// became `nl`.
    outer: Link,
}

fn var(v: VarId) -> Val {
    Val::Var(v)
}

fn is(v: VarId, k: u32) -> F {
    F::eq(var(v), k)
}

/// `v` is one of `ks`.
fn is_any(v: VarId, ks: &[u32]) -> F {
    F::any(ks.iter().map(|&k| is(v, k)))
}

/// `size` bytes at `base + d`.
fn at(size: u8, base: Val, d: u32) -> Val {
    Val::load_at(size, Some(base), d)
}

/// The packet holds `n` bytes from `off` on.
fn has(off: Val, n: u32) -> F {
    F::test(CmpOp::Ge, Val::Len, Val::plus(off, n))
}

/// The first case whose condition holds runs its assignments; true
/// either way (a step of the walk).
fn first_of(cases: impl IntoIterator<Item = (F, F)>) -> F {
    F::or(
        F::any(cases.into_iter().map(|(c, a)| F::and(c, a))),
        F::True,
    )
}

impl Walk {
    /// Variables for the walk, and `link` turned so that its network
    /// header is at the walk's offset.
    pub(crate) fn new(link: &mut Link, mut new_var: impl FnMut() -> Option<VarId>) -> Option<Walk> {
        let walk = Walk {
            et: new_var()?,
            nl: new_var()?,
            proto: new_var()?,
            l4: new_var()?,
            frag: new_var()?,
            seen: new_var()?,
            outer: link.clone(),
        };
        link.linkpl = Off {
            var: Some(walk.nl),
            k: 0,
        };
        link.nl = 0;
        link.nl_nosnap = link.nl_nosnap.wrapping_sub(walk.outer.nl);
        Some(walk)
    }

    /// Whether the link type has an Ethernet type field to walk tags from.
    fn ethernet(&self) -> bool {
        self.outer.proto == LinkProto::Ether && self.outer.macs == Macs::Ether
    }

    /// What each variable holds, for `explain`'s words.
    pub(crate) fn names(&self) -> [(VarId, WalkVar); 6] {
        [
            (self.et, WalkVar::EtherType),
            (self.nl, WalkVar::Network),
            (self.proto, WalkVar::Proto),
            (self.l4, WalkVar::Transport),
            (self.frag, WalkVar::Fragment),
            (self.seen, WalkVar::Seen),
        ]
    }

    /// `f` after the walk, as far as `f` reads what it finds: the
    /// transport part only for transport tests, the headers seen only
    /// for tests of extension headers. With `trace`, the walk's nodes are
    /// marked as [`PROLOGUE`]'s.
    pub(crate) fn with_prologue(&self, f: F, trace: bool) -> F {
        let uses = |vars: &[VarId]| vars.iter().any(|&v| super::uses_var(&f, v));
        let transport = uses(&[self.proto, self.l4, self.frag, self.seen]);
        if !transport && !uses(&[self.et, self.nl]) {
            return f;
        }
        let mut steps = self.link_steps();
        if transport {
            steps.extend(self.ip_steps(uses(&[self.seen])));
        }
        let walk = F::all(steps);
        let walk = if trace {
            F::Origin(PROLOGUE, Box::new(walk))
        } else {
            walk
        };
        F::and(walk, f)
    }

    /// The network header's type and offset.
    fn link_steps(&self) -> Vec<F> {
        let o = &self.outer;
        let (et, nl) = (self.et, self.nl);
        let mut steps = vec![
            F::Assign(nl, o.linkpl.plus(o.nl).val()),
            F::Assign(et, Val::Const(0)),
        ];
        if !self.ethernet() {
            // No tags to look through: IPv4 and IPv6 as the link type
            // says (libpcap's tests, behind a length check).
            let span = 0..0;
            let mut cases = Vec::new();
            for p in [ETH_IP, ETH_IPV6] {
                if let Ok(t) = o.proto_is(p, &span) {
                    cases.push((t, F::Assign(et, Val::Const(p))));
                }
            }
            steps.push(F::when(has(o.linkpl.val(), 1), first_of(cases)));
            return steps;
        }
        let ty = o.linktype;
        steps.push(F::when(has(ty.val(), 2), F::Assign(et, ty.load(2, 0))));
        for _ in 0..VLAN_TAGS {
            steps.push(F::when(
                F::and(is_any(et, &VLAN_TPIDS), has(var(nl), 4)),
                F::and(
                    F::Assign(et, at(2, var(nl), 2)),
                    F::Assign(nl, Val::plus(var(nl), 4)),
                ),
            ));
        }
        for _ in 0..MPLS_LABELS {
            let bottom = F::set(at(1, var(nl), 2), 1);
            let next = F::Assign(nl, Val::plus(var(nl), 4));
            steps.push(F::when(
                F::and(is_any(et, &MPLS_TYPES), has(var(nl), 4)),
                F::and(
                    F::when(bottom, F::Assign(et, Val::Const(MPLS_PAYLOAD))),
                    next,
                ),
            ));
        }
        // After the bottom of the stack: IPv4 or IPv6 by the version
        // nibble (tshark's guess), else unknown.
        let version = |v| F::masked(at(1, var(nl), 0), 0xf0, v);
        steps.push(F::when(
            is(et, MPLS_PAYLOAD),
            first_of([
                (
                    F::and(has(var(nl), 1), version(0x40)),
                    F::Assign(et, Val::Const(ETH_IP)),
                ),
                (
                    F::and(has(var(nl), 1), version(0x60)),
                    F::Assign(et, Val::Const(ETH_IPV6)),
                ),
                (F::True, F::Assign(et, Val::Const(0))),
            ]),
        ));
        steps
    }

    /// The transport protocol, its offset and the fragment offset.
    fn ip_steps(&self, note_seen: bool) -> Vec<F> {
        let (et, nl, p, l4, frag, seen) =
            (self.et, self.nl, self.proto, self.l4, self.frag, self.seen);
        let mut steps = vec![
            F::Assign(p, Val::Const(NO_PROTO)),
            F::Assign(l4, Val::Const(0)),
            F::Assign(frag, Val::Const(0)),
            F::Assign(seen, Val::Const(0)),
        ];
        let ihl = Val::alu(
            ArithOp::Shl,
            Val::alu(ArithOp::And, at(1, var(nl), 0), Val::Const(0xf)),
            Val::Const(2),
        );
        steps.push(first_of([
            (
                F::and(is(et, ETH_IP), has(var(nl), 20)),
                F::all([
                    F::Assign(p, at(1, var(nl), 9)),
                    F::Assign(
                        frag,
                        Val::alu(ArithOp::And, at(2, var(nl), 6), Val::Const(0x1fff)),
                    ),
                    F::Assign(l4, Val::alu(ArithOp::Add, var(nl), ihl)),
                ]),
            ),
            (
                F::and(is(et, ETH_IPV6), has(var(nl), 40)),
                F::and(
                    F::Assign(p, at(1, var(nl), 6)),
                    F::Assign(l4, Val::plus(var(nl), 40)),
                ),
            ),
        ]));
        // One header: note it as seen (bit `p & 31`: a constant where
        // `p` is known), then the next header and offset.
        let past = |bit: Val, len: Val| {
            let note = if note_seen {
                F::Assign(seen, Val::alu(ArithOp::Or, var(seen), bit))
            } else {
                F::True
            };
            F::all([
                note,
                F::Assign(p, at(1, var(l4), 0)),
                F::Assign(l4, Val::alu(ArithOp::Add, var(l4), len)),
            ])
        };
        let bit_of_p = || {
            Val::alu(
                ArithOp::Shl,
                Val::Const(1),
                Val::alu(ArithOp::And, var(p), Val::Const(31)),
            )
        };
        let scaled = |add: u32, shift: u32| {
            Val::alu(
                ArithOp::Shl,
                Val::plus(at(1, var(l4), 1), add),
                Val::Const(shift),
            )
        };
        let step = F::when(
            F::and(is(frag, 0), has(var(l4), 8)),
            first_of([
                (is(p, AH), past(Val::Const(1 << (AH & 31)), scaled(2, 2))),
                (
                    F::and(is(et, ETH_IPV6), is_any(p, &EXT_GENERIC)),
                    past(bit_of_p(), scaled(1, 3)),
                ),
                (
                    F::and(is(et, ETH_IPV6), is(p, FRAGMENT)),
                    F::and(
                        F::Assign(
                            frag,
                            Val::alu(ArithOp::And, at(2, var(l4), 2), Val::Const(0xfff8)),
                        ),
                        past(Val::Const(1 << (FRAGMENT & 31)), Val::Const(8)),
                    ),
                ),
            ]),
        );
        steps.extend(std::iter::repeat_n(step, IPV6_EXT_HEADERS));
        steps
    }

    fn ip(&self) -> F {
        is(self.et, ETH_IP)
    }

    fn ip6(&self) -> F {
        is(self.et, ETH_IPV6)
    }

    /// The walk reached protocol `v`, or went past a header `v`.
    fn chain_has(&self, v: u32) -> F {
        let walked = v == AH || v == FRAGMENT || EXT_GENERIC.contains(&v);
        if walked {
            F::or(is(self.proto, v), F::set(var(self.seen), 1 << (v & 31)))
        } else {
            is(self.proto, v)
        }
    }

    /// The first (or only) fragment: the transport header is there.
    fn first_fragment(&self) -> F {
        is(self.frag, 0)
    }
}

impl Lowerer<'_> {
    /// "The packet carries Ethernet type (or LLC SAP) `p`", looking
    /// through tags and labels.
    pub(crate) fn protocol_linktype(&mut self, w: &Walk, p: u32, span: &Span) -> Result<F> {
        if !w.ethernet() {
            let outer = w.outer.proto_is(p, span)?;
            return Ok(if p == ETH_IP || p == ETH_IPV6 {
                is(w.et, p)
            } else {
                outer
            });
        }
        Ok(if VLAN_TPIDS.contains(&p) {
            self.protocol_vlan(w, None, span)?
        } else if MPLS_TYPES.contains(&p) {
            tagged(w.outer.linktype, |t| F::eq(t.load(2, 0), p))
        } else if p <= 1500 {
            w.outer.proto_is(p, span)?
        } else if p == 0x809b || p == 0x80f3 {
            // AppleTalk and AARP also come in 802.2 SNAP frames.
            F::or(is(w.et, p), w.outer.proto_is(p, span)?)
        } else {
            is(w.et, p)
        })
    }

    /// `ip proto V`, `ip6 proto V` and `protochain V`: the header chain
    /// has `v` (`ipv6` false, true, or either for `None`).
    pub(crate) fn protocol_proto(&self, w: &Walk, v: u32, ipv6: Option<bool>) -> F {
        let family = match ipv6 {
            Some(false) => w.ip(),
            Some(true) => w.ip6(),
            None => F::or(w.ip(), w.ip6()),
        };
        F::and(family, w.chain_has(v))
    }

    /// `port`/`portrange` alternatives: at the transport header of the
    /// first fragment, IPv4 or IPv6.
    pub(crate) fn protocol_ports(
        &mut self,
        w: &Walk,
        tests: &[PortTest],
        span: &Span,
    ) -> Result<F> {
        let protos = super::net::port_protos(&tests[0].proto);
        let l4 = var(w.l4);
        let ports = super::net::port_atoms(tests, span, &|is_src| {
            at(2, l4.clone(), if is_src { 0 } else { 2 })
        })?;
        Ok(F::all([is_any(w.proto, protos), w.first_fragment(), ports]))
    }

    /// `tcp[…]`, `udp[…]`, `icmp6[…]`, …: the transport header of the
    /// first fragment, IPv4 or IPv6 (`icmp[…]`, `igmp[…]`: IPv4 only, as
    /// those protocols are).
    pub(crate) fn protocol_transport(
        &mut self,
        proto: crate::ast::Proto,
        idx: Val,
        size: u8,
        checks: &mut Vec<F>,
        span: &Span,
    ) -> Result<Val> {
        let p = self.proto_abbrev(proto, span)?;
        checks.push(p);
        let w = self.protocol.as_ref().expect("protocol semantics");
        checks.push(w.first_fragment());
        Ok(at(size, Val::alu(ArithOp::Add, idx, var(w.l4)), 0))
    }

    /// `vlan [N]`: a tag (of the first [`VLAN_TAGS`]) with id `N`.
    pub(crate) fn protocol_vlan(&mut self, w: &Walk, n: Option<u32>, span: &Span) -> Result<F> {
        if !w.ethernet() {
            return Err(self.protocol_unsupported("vlan", span));
        }
        at_most(n, 0x0fff, "VLAN tag", span)?;
        let ty = w.outer.linktype;
        let Some(id) = n else {
            return Ok(vlan_tag(ty, 0));
        };
        let mut alts = Vec::new();
        for i in 0..VLAN_TAGS as u32 {
            let tags = F::all((0..=i).map(|j| vlan_tag(ty, j)));
            alts.push(F::and(tags, F::masked(ty.load(2, 4 * i + 2), 0x0fff, id)));
        }
        Ok(F::any(alts))
    }

    /// `mpls [N]`: an MPLS stack after the tags, whose top label is `N`.
    pub(crate) fn protocol_mpls(&mut self, w: &Walk, n: Option<u32>, span: &Span) -> Result<F> {
        if !w.ethernet() {
            return Err(self.protocol_unsupported("mpls", span));
        }
        at_most(n, 0xf_ffff, "MPLS label", span)?;
        Ok(match n {
            Some(label) => top_label(w.outer.linktype, label),
            None => tagged(w.outer.linktype, mpls_type),
        })
    }

    /// A primitive protocol semantics have no meaning for here: `vlan`
    /// and `mpls` off Ethernet, and the ones that move libpcap's offsets
    /// (`pppoes`, `geneve`) or read an inner packet at offsets of their
    /// own (`vxlan`, `inner(...)`: the header walk is the outer packet's).
    pub(crate) fn protocol_unsupported(&self, what: &str, span: &Span) -> crate::error::Error {
        err(
            ErrorKind::LinkType,
            span,
            format!(
                "'{what}' is not supported with --semantics protocol on {}",
                self.link.describe()
            ),
        )
    }
}

/// libpcap's range check of a `vlan` or `mpls` number, with its message.
fn at_most(n: Option<u32>, max: u32, what: &str, span: &Span) -> Result<()> {
    match n {
        Some(v) if v > max => Err(err(
            ErrorKind::Value,
            span,
            format!("{what} {v} greater than maximum {max}"),
        )),
        _ => Ok(()),
    }
}

/// The `i`th 4-byte slot after the type field at `ty` holds a VLAN tag.
fn vlan_tag(ty: Off, i: u32) -> F {
    F::any(VLAN_TPIDS.map(|t| F::eq(ty.load(2, 4 * i), t)))
}

/// The Ethernet type after the tags (up to [`VLAN_TAGS`]) satisfies
/// `test`, given the offset of that type field.
fn tagged(ty: Off, test: impl Fn(Off) -> F) -> F {
    F::any((0..=VLAN_TAGS as u32).map(|i| {
        let tags = F::all((0..i).map(|j| vlan_tag(ty, j)));
        F::and(tags, test(ty.plus(4 * i)))
    }))
}

/// The field at `t` is an MPLS Ethernet type.
fn mpls_type(t: Off) -> F {
    F::any(MPLS_TYPES.map(|m| F::eq(t.load(2, 0), m)))
}

/// The first MPLS label after the tags is `label`.
fn top_label(ty: Off, label: u32) -> F {
    tagged(ty, |t| {
        F::and(
            mpls_type(t),
            F::masked(t.load(4, 2), 0xffff_f000, label << 12),
        )
    })
}

#[cfg(test)]
mod tests {
    use crate::cbpf::{insn::MAXINSNS, interp};
    use crate::{CompileOptions, LinkType, Semantics, compile};

    fn opts(link: LinkType) -> CompileOptions {
        CompileOptions {
            semantics: Semantics::Protocol,
            ..CompileOptions::new(link)
        }
    }

    /// The unrolled walk fits the kernel's limit with room to spare, and
    /// only what an expression reads of it is there.
    #[test]
    fn programs_fit_and_carry_only_the_walk_they_use() {
        let o = opts(LinkType::EN10MB);
        let len = |e: &str| compile(e, &o).unwrap().insns().len();
        let port = len("tcp port 80 or udp port 53 or host 10.0.0.1");
        assert!(port < MAXINSNS / 4, "{port}");
        assert!(len("ip") < len("tcp"));
        // No walk for a test of neither headers nor transport.
        assert!(len("less 60 and ether[0] = 1") < 10);
        for link in [
            LinkType::RAW,
            LinkType::LINUX_SLL,
            LinkType::LINUX_SLL2,
            LinkType::NULL,
        ] {
            compile("tcp port 80 and ip6", &opts(link)).unwrap();
        }
    }

    /// The walk reads no byte the packet lacks: a runt frame is judged by
    /// the primitives, not rejected by the prologue.
    #[test]
    fn the_walk_never_rejects_a_short_packet() {
        let o = opts(LinkType::EN10MB);
        let prog = compile("tcp or less 60", &o).unwrap();
        for n in 0..20 {
            let frame = vec![0x81; n];
            assert_ne!(interp::run(&prog, &frame, n as u32), 0, "{n} bytes");
        }
    }

    /// Primitives that move libpcap's offsets have no protocol meaning.
    #[test]
    fn offset_moving_primitives_are_refused() {
        let o = CompileOptions {
            tunnels: true,
            ..opts(LinkType::EN10MB)
        };
        for e in [
            "pppoes",
            "geneve 1",
            "vxlan 42",
            "inner(tcp)",
            "udp and inner(tcp)",
        ] {
            let err = compile(e, &o).unwrap_err().to_string();
            assert!(
                err.contains("not supported with --semantics protocol"),
                "{err}"
            );
        }
        // The same range checks and messages as libpcap's lowering.
        for (e, msg) in [
            ("vlan 4096", "VLAN tag 4096 greater than maximum 4095"),
            (
                "mpls 1048576",
                "MPLS label 1048576 greater than maximum 1048575",
            ),
        ] {
            let libpcap = compile(e, &CompileOptions::new(LinkType::EN10MB)).unwrap_err();
            let protocol = compile(e, &o).unwrap_err();
            assert_eq!(protocol.to_string(), libpcap.to_string());
            assert!(protocol.to_string().ends_with(msg), "{protocol}");
        }
        let err = compile("vlan", &opts(LinkType::RAW))
            .unwrap_err()
            .to_string();
        assert!(err.contains("'vlan' is not supported"), "{err}");
    }
}
