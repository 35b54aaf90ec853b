//! BGP over TCP port 179 (tcpdump 4.99's `bgp_print`): `: BGP` without
//! -v; with -v each message of the segment: Open with its capabilities,
//! Update with withdrawn routes, path attributes (origin, AS paths,
//! next hop, MED, local preference, aggregators, communities, originator,
//! cluster list, multiprotocol reach/unreach for IPv4 and IPv6 unicast,
//! labeled and VPN IPv4 unicast, extended and large communities) and
//! NLRI, Notification, Keepalive, Route Refresh; -vv adds hex dumps.
//!
//! Not decoded here (printed as tcpdump prints attributes it has no
//! decoder for, where tcpdump 4.99 decodes them): PMSI tunnel, AIGP,
//! attribute sets, the tunnel encapsulation attribute, and NLRI of the
//! other address families (multicast VPN, route targets, L2VPN, EVPN,
//! flowspec, ...).
//!
//! A message is decoded only when all of it was captured (as tcpdump);
//! its lengths are checked against the message.

use crate::app::ldp::{ADDRESS_FAMILIES, prefix};
use crate::ctx::{Bytes, Ctx, Res, addr4, addr16, bits, fn_char, put, tok};

/// The message header: marker, length, type.
const HEADER: usize = 19;

const MSG_TYPES: &[(u8, &str)] = &[
    (1, "Open"),
    (2, "Update"),
    (3, "Notification"),
    (4, "Keepalive"),
    (5, "Route Refresh"),
];

const OPT_PARAMS: &[(u8, &str)] = &[
    (1, "Authentication Information"),
    (2, "Capabilities Advertisement"),
];

const CAPABILITIES: &[(u8, &str)] = &[
    (1, "Multiprotocol Extensions"),
    (2, "Route Refresh"),
    (3, "Cooperative Route Filtering"),
    (4, "Multiple Routes to a Destination"),
    (5, "Extended Next Hop Encoding"),
    (8, "Multiple Labels"),
    (64, "Graceful Restart"),
    (65, "32-Bit AS Number"),
    (67, "Dynamic Capability"),
    (68, "Multisession BGP"),
    (69, "Multiple Paths"),
    (70, "Enhanced Route Refresh"),
    (71, "Long-lived Graceful Restart"),
    (128, "Route Refresh (Cisco)"),
];

const SAFIS: &[(u8, &str)] = &[
    (0, "Reserved"),
    (1, "Unicast"),
    (2, "Multicast"),
    (3, "Unicast+Multicast"),
    (4, "labeled Unicast"),
    (5, "Multicast VPN"),
    (64, "Tunnel"),
    (65, "VPLS"),
    (66, "MDT"),
    (70, "EVPN"),
    (128, "labeled VPN Unicast"),
    (129, "labeled VPN Multicast"),
    (130, "labeled VPN Unicast+Multicast"),
    (132, "Route Target Routing Information"),
];

const ADD_PATH: &[(u8, &str)] = &[(1, "Receive"), (2, "Send"), (3, "Both")];

const ATTRIBUTES: &[(u8, &str)] = &[
    (1, "Origin"),
    (2, "AS Path"),
    (17, "AS4 Path"),
    (3, "Next Hop"),
    (4, "Multi Exit Discriminator"),
    (5, "Local Preference"),
    (6, "Atomic Aggregate"),
    (7, "Aggregator"),
    (18, "Aggregator4"),
    (8, "Community"),
    (9, "Originator ID"),
    (10, "Cluster List"),
    (11, "DPA"),
    (12, "Advertisers"),
    (13, "RCID Path / Cluster ID"),
    (14, "Multi-Protocol Reach NLRI"),
    (15, "Multi-Protocol Unreach NLRI"),
    (16, "Extended Community"),
    (22, "PMSI Tunnel"),
    (23, "Tunnel Encapsulation"),
    (24, "Traffic Engineering"),
    (25, "IPv6 Extended Community"),
    (26, "Accumulated IGP Metric"),
    (27, "PE Distinguisher Label"),
    (28, "Entropy Label"),
    (32, "Large Community"),
    (128, "Attribute Set"),
    (255, "Reserved for development"),
];

const ORIGINS: &[(u8, &str)] = &[(0, "IGP"), (1, "EGP"), (2, "Incomplete")];

const SEGMENT_OPEN: &[(u8, &str)] = &[(2, ""), (1, "{ "), (3, "( "), (4, "({ ")];
const SEGMENT_CLOSE: &[(u8, &str)] = &[(2, ""), (1, "}"), (3, ")"), (4, "})")];

const EXT_COMMUNITY_TYPES: &[(u16, &str)] = &[
    (0x0002, "target"),
    (0x0102, "target"),
    (0x0202, "target"),
    (0x0003, "origin"),
    (0x0103, "origin"),
    (0x0203, "origin"),
    (0x4004, "link-BW"),
    (0x0005, "ospf-domain"),
    (0x0105, "ospf-domain"),
    (0x0205, "ospf-domain"),
    (0x8005, "ospf-domain"),
    (0x0306, "ospf-route-type"),
    (0x8000, "ospf-route-type"),
    (0x030c, "encapsulation"),
    (0x0107, "ospf-router-id"),
    (0x8001, "ospf-router-id"),
    (0x800a, "layer2-info"),
    (0x0009, "source-AS"),
    (0x010b, "vrf-route-import"),
    (0x000a, "l2vpn-id"),
    (0x010a, "l2vpn-id"),
];

const EXT_COMMUNITY_FLAGS: &[(u32, &str)] =
    &[(0x8000, "vendor-specific"), (0x4000, "non-transitive")];

const NOTIFY_MAJOR: &[(u8, &str)] = &[
    (1, "Message Header Error"),
    (2, "OPEN Message Error"),
    (3, "UPDATE Message Error"),
    (4, "Hold Timer Expired"),
    (5, "Finite State Machine Error"),
    (6, "Cease"),
    (7, "Capability Message Error"),
];

const NOTIFY_MSG: &[(u8, &str)] = &[
    (1, "Connection Not Synchronized"),
    (2, "Bad Message Length"),
    (3, "Bad Message Type"),
];

const NOTIFY_OPEN: &[(u8, &str)] = &[
    (1, "Unsupported Version Number"),
    (2, "Bad Peer AS"),
    (3, "Bad BGP Identifier"),
    (4, "Unsupported Optional Parameter"),
    (5, "Authentication Failure"),
    (6, "Unacceptable Hold Time"),
    (7, "Capability Message Error"),
];

const NOTIFY_UPDATE: &[(u8, &str)] = &[
    (1, "Malformed Attribute List"),
    (2, "Unrecognized Well-known Attribute"),
    (3, "Missing Well-known Attribute"),
    (4, "Attribute Flags Error"),
    (5, "Attribute Length Error"),
    (6, "Invalid ORIGIN Attribute"),
    (7, "AS Routing Loop"),
    (8, "Invalid NEXT_HOP Attribute"),
    (9, "Optional Attribute Error"),
    (10, "Invalid Network Field"),
    (11, "Malformed AS_PATH"),
];

const NOTIFY_FSM: &[(u8, &str)] = &[
    (0, "Unspecified Error"),
    (1, "In OpenSent State"),
    (2, "In OpenConfirm State"),
    (3, "In Established State"),
];

const NOTIFY_CAP: &[(u8, &str)] = &[
    (1, "Invalid Action Value"),
    (2, "Invalid Capability Length"),
    (3, "Malformed Capability Value"),
    (4, "Unsupported Capability Code"),
];

const NOTIFY_CEASE: &[(u8, &str)] = &[
    (1, "Maximum Number of Prefixes Reached"),
    (2, "Administrative Shutdown"),
    (3, "Peer De-configured"),
    (4, "Administrative Reset"),
    (5, "Connection Rejected"),
    (6, "Other Configuration Change"),
    (7, "Connection Collision Resolution"),
];

fn afi(af: u16) -> &'static str {
    tok(ADDRESS_FAMILIES, af).unwrap_or("Unknown")
}

fn safi(s: u8) -> &'static str {
    tok(SAFIS, s).unwrap_or("Unknown")
}

/// `: BGP`, then with -v each message of the segment: the messages are
/// found by their marker, as tcpdump does.
pub(crate) fn bgp_print(ctx: &mut Ctx<'_>, p: &[u8]) -> Res {
    ctx.proto = "bgp";
    ctx.s(": BGP");
    if ctx.o.verbose == 0 {
        return Ok(());
    }
    let mut at = 0;
    let mut start = 0;
    while at < p.len() {
        if p[at] != 0xff {
            at += 1;
            continue;
        }
        let Some(marker) = p.get(at..at + 16) else {
            break;
        };
        if marker.iter().any(|&b| b != 0xff) {
            at += 1;
            continue;
        }
        if !p.has(at, HEADER) {
            return ctx.trunc();
        }
        if start != at {
            ctx.explicit_trunc();
        }
        let len = usize::from(p.be16(at + 16)?);
        if len < HEADER {
            put!(ctx.out, "\nmessage length {len} < {HEADER} (invalid)");
            break;
        }
        let Some(msg) = p.get(at..at + len) else {
            put!(
                ctx.out,
                "\n[|BGP {}]",
                tok(MSG_TYPES, p[at + 18]).unwrap_or("Unknown Message Type")
            );
            break;
        };
        message(ctx, msg, p.from(at))?;
        at += len;
        start = at;
    }
    Ok(())
}

/// One whole message; `rest`: the segment from the message on (what
/// tcpdump's reads are bounded by).
fn message(ctx: &mut Ctx<'_>, m: &[u8], rest: &[u8]) -> Res {
    let t = m[18];
    let len = m.len();
    put!(
        ctx.out,
        "\n\t{} Message ({t}), length: {len}",
        tok(MSG_TYPES, t).unwrap_or("Unknown")
    );
    match t {
        1 => open(ctx, m),
        2 => {
            if update(ctx, m, rest)?.is_none() {
                ctx.explicit_trunc();
            }
            Ok(())
        }
        3 => notification(ctx, m),
        4 => Ok(()),
        5 => {
            if len >= 23 {
                let af = m.be16(19)?;
                let s = m[22];
                put!(
                    ctx.out,
                    "\n\t  AFI {} ({af}), SAFI {} ({s})",
                    afi(af),
                    safi(s)
                );
                if ctx.o.verbose > 1 {
                    crate::hex::hex_prefixed(ctx.out, "\n\t  ", m, 0);
                }
            }
            Ok(())
        }
        _ => {
            put!(ctx.out, "\n\t  no Message {t} decoder");
            crate::hex::hex_prefixed(ctx.out, "\n\t  ", m, 0);
            Ok(())
        }
    }
}

/// An Open message: version, AS, hold time, id and the optional
/// parameters.
fn open(ctx: &mut Ctx<'_>, m: &[u8]) -> Res {
    if m.len() < 29 {
        return ctx.trunc();
    }
    let id = ctx.ip4(addr4(m, 24)?);
    put!(
        ctx.out,
        "\n\t  Version {}, my AS {}, Holdtime {}s, ID {id}",
        m[19],
        m.be16(20)?,
        m.be16(22)?
    );
    let opts_len = usize::from(m[28]);
    put!(ctx.out, "\n\t  Optional parameters, length: {opts_len}");
    let mut i = 0;
    while i < opts_len {
        let at = 29 + i;
        if !m.has(at, 2) {
            return ctx.trunc();
        }
        let (t, len) = (m[at], usize::from(m[at + 1]));
        put!(
            ctx.out,
            "\n\t    Option {} ({t}), length: {len}",
            tok(OPT_PARAMS, t).unwrap_or("Unknown")
        );
        if t == 2 {
            if !capabilities(ctx, m, at + 2, len)? {
                return Ok(());
            }
        } else {
            put!(ctx.out, "\n\t      no decoder for option {t}");
        }
        i += 2 + len;
    }
    Ok(())
}

/// The capabilities of an Open's optional parameter; false where one
/// was too short (tcpdump stops there).
fn capabilities(ctx: &mut Ctx<'_>, m: &[u8], from: usize, caps_len: usize) -> Res<bool> {
    let mut i = 0;
    while i < caps_len {
        let at = from + i;
        if !m.has(at, 2) {
            ctx.trunc()?;
            return Ok(false);
        }
        let (t, len) = (m[at], usize::from(m[at + 1]));
        put!(
            ctx.out,
            "\n\t      {} ({t}), length: {len}",
            tok(CAPABILITIES, t).unwrap_or("Unknown")
        );
        let Ok(v) = m.sub(at + 2, len) else {
            ctx.trunc()?;
            return Ok(false);
        };
        let af_safi = |v: &[u8], o: usize| -> Res<String> {
            let af = v.be16(o)?;
            let s = v.u8_at(o + 2)?;
            Ok(format!("AFI {} ({af}), SAFI {} ({s})", afi(af), safi(s)))
        };
        match t {
            1 => {
                if len < 4 {
                    ctx.s(" (too short, < 4)");
                    return Ok(false);
                }
                let af = v.be16(0)?;
                put!(
                    ctx.out,
                    "\n\t\tAFI {} ({af}), SAFI {} ({})",
                    afi(af),
                    safi(v[3]),
                    v[3]
                );
            }
            8 => {
                for o in (0..len / 4).map(|k| k * 4) {
                    put!(ctx.out, "\n\t\t{}, Count: {}", af_safi(v, o)?, v[o + 3]);
                }
            }
            64 => {
                if len < 2 {
                    ctx.s(" (too short, < 2)");
                    return Ok(false);
                }
                put!(
                    ctx.out,
                    "\n\t\tRestart Flags: [{}], Restart Time {}s",
                    if v[0] & 0x80 != 0 { "R" } else { "none" },
                    v.be16(0)? & 0xfff
                );
                for o in (0..(len - 2) / 4).map(|k| 2 + k * 4) {
                    put!(
                        ctx.out,
                        "\n\t\t  {}, Forwarding state preserved: {}",
                        af_safi(v, o)?,
                        if v[o + 3] & 0x80 != 0 { "yes" } else { "no" }
                    );
                }
            }
            2 | 71 | 128 => {}
            65 => {
                if len < 4 {
                    ctx.s(" (too short, < 4)");
                    return Ok(false);
                }
                put!(ctx.out, "\n\t\t 4 Byte AS {}", v.be32(0)?);
            }
            69 => {
                if len == 0 {
                    ctx.s(" (bogus)");
                } else {
                    let mut o = 0;
                    while o < len {
                        if len - o < 4 {
                            ctx.s(" (invalid)");
                            break;
                        }
                        let send = v[o + 3];
                        match tok(ADD_PATH, send) {
                            Some(s) => put!(ctx.out, "\n\t\t{}, Send/Receive: {s}", af_safi(v, o)?),
                            None => put!(
                                ctx.out,
                                "\n\t\t{}, Send/Receive: Bogus (0x{send:02x})",
                                af_safi(v, o)?
                            ),
                        }
                        o += 4;
                    }
                }
            }
            _ => no_decoder(ctx, &format!("Capability {t}"), "\n\t\t", v),
        }
        dump_vv(ctx, "\n\t\t", v);
        i += 2 + len;
    }
    Ok(true)
}

/// `no decoder for X` and, with -v only, a hex dump of the value.
fn no_decoder(ctx: &mut Ctx<'_>, what: &str, indent: &str, v: &[u8]) {
    put!(ctx.out, "{indent}no decoder for {what}");
    dump_v(ctx, indent, v);
}

/// The hex dump of a value tcpdump gives with -v (not -vv) for what it
/// does not decode.
fn dump_v(ctx: &mut Ctx<'_>, indent: &str, v: &[u8]) {
    if ctx.o.verbose <= 1 {
        crate::hex::hex_prefixed(ctx.out, indent, v, 0);
    }
}

/// The hex dump -vv adds after each value (nothing for an empty one).
fn dump_vv(ctx: &mut Ctx<'_>, indent: &str, v: &[u8]) {
    if ctx.o.verbose > 1 && !v.is_empty() {
        crate::hex::hex_prefixed(ctx.out, indent, v, 0);
    }
}

/// tcpdump's `check_add_path`: whether the `len` bytes of NLRI at `at`
/// look like prefixes each preceded by a 4-byte path id.
fn check_add_path(r: &[u8], at: usize, len: usize, max: u32) -> bool {
    if len < 5 {
        return false;
    }
    let mut o = 0;
    while o < len {
        o += 4;
        let Some(&plen) = r.get(at + o) else { break };
        if u32::from(plen) > max {
            return false;
        }
        o += 1 + usize::from(plen).div_ceil(8);
    }
    if o > len {
        return false;
    }
    let mut o = 0;
    while o < len {
        let Some(&plen) = r.get(at + o) else { break };
        if plen < 1 || u32::from(plen) > max {
            return true;
        }
        o += 1 + usize::from(plen).div_ceil(8);
    }
    o > len
}

/// An Update message; `None` where tcpdump's `goto trunc` ends it.
fn update(ctx: &mut Ctx<'_>, m: &[u8], rest: &[u8]) -> Res<Option<()>> {
    let mut len = m.len() - HEADER;
    let mut at = HEADER;
    if len < 2 {
        return Ok(None);
    }
    let withdrawn = usize::from(m.be16(at)?);
    at += 2;
    len -= 2;
    if len < withdrawn {
        return Ok(None);
    }
    // As tcpdump's counter: what the withdrawn routes' loop left.
    let withdrawn_left = if withdrawn > 1 {
        ctx.s("\n\t  Withdrawn routes:");
        let Some((advanced, left)) = routes(ctx, m, at, withdrawn, true)? else {
            return Ok(None);
        };
        at += advanced;
        len -= advanced;
        left
    } else {
        at += withdrawn;
        len -= withdrawn;
        withdrawn
    };
    if len < 2 {
        return Ok(None);
    }
    let mut attrs = usize::from(m.be16(at)?);
    at += 2;
    len -= 2;
    if withdrawn_left == 0 && attrs == 0 && len == 0 {
        ctx.s("\n\t  End-of-Rib Marker (empty NLRI)");
        return Ok(Some(()));
    }
    if attrs != 0 && len < attrs {
        return Ok(None);
    }
    while attrs != 0 {
        if len < 2 {
            return Ok(None);
        }
        if attrs < 2 {
            ctx.s("\n\t  [path attrs too short]");
            at += attrs;
            len -= attrs;
            break;
        }
        let flags = m[at];
        let t = m[at + 1];
        at += 2;
        attrs -= 2;
        len -= 2;
        let len_len = if flags & 0x10 != 0 { 2 } else { 1 };
        if len < len_len {
            return Ok(None);
        }
        if attrs < len_len {
            ctx.s("\n\t  [path attr too short]");
            at += attrs;
            len -= attrs;
            break;
        }
        let alen = if len_len == 2 {
            usize::from(m.be16(at)?)
        } else {
            usize::from(m[at])
        };
        at += len_len;
        attrs -= len_len;
        len -= len_len;
        attr_header(ctx, "\n\t  ", t, alen, flags);
        if attrs < alen {
            ctx.s(" [path attr too short]");
            at += attrs;
            len -= attrs;
            break;
        }
        if len < alen {
            return Ok(None);
        }
        if attribute(ctx, t, rest, at, alen, 0)?.is_none() {
            return Ok(None);
        }
        at += alen;
        attrs -= alen;
        len -= alen;
    }
    if len != 0 {
        ctx.s("\n\t  Updated routes:");
        if routes(ctx, m, at, len, false)?.is_none() {
            return Ok(None);
        }
    }
    Ok(Some(()))
}

/// Withdrawn or updated IPv4 routes (with path ids when they look so):
/// how far tcpdump's pointer went and what its count had left (both
/// differ from `total` where its loop stops early), `None` for its
/// `goto trunc`.
fn routes(
    ctx: &mut Ctx<'_>,
    m: &[u8],
    start: usize,
    total: usize,
    withdrawn: bool,
) -> Res<Option<(usize, usize)>> {
    let (mut at, mut len) = (start, total);
    let add_path = check_add_path(m, at, len, 32);
    while len != 0 {
        let mut path_id = 0;
        if add_path {
            if len < 4 {
                if withdrawn {
                    // tcpdump skips the rest, its count left as it was.
                    return Ok(Some((total, len)));
                }
                return Ok(None);
            }
            path_id = m.be32(at)?;
            at += 4;
            len -= 4;
        }
        match prefix(crate::app::Bytes(m), at, len as u32, false) {
            Err(_) => return Ok(None),
            Ok(None) => {
                ctx.s("\n\t    (illegal prefix length)");
                break;
            }
            Ok(Some(p)) => {
                put!(ctx.out, "\n\t    {p}");
                if add_path {
                    put!(ctx.out, "   Path Id: {path_id}");
                }
                let used = 1 + usize::from(m[at]).div_ceil(8);
                at += used;
                len -= used;
            }
        }
    }
    Ok(Some((total - len, len)))
}

/// A route distinguisher (tcpdump's `bgp_vpn_rd_print`).
fn rd(r: &[u8], at: usize) -> Res<String> {
    Ok(match r.be16(at)? {
        0 => {
            let n = r.sub(at + 4, 4)?;
            format!(
                "{}:{} (= {}.{}.{}.{})",
                r.be16(at + 2)?,
                r.be32(at + 4)?,
                n[0],
                n[1],
                n[2],
                n[3]
            )
        }
        1 => {
            let a = r.sub(at + 2, 4)?;
            format!("{}.{}.{}.{}:{}", a[0], a[1], a[2], a[3], r.be16(at + 6)?)
        }
        2 => {
            let a = r.sub(at + 2, 4)?;
            let n = r.be16(at + 6)?;
            format!(
                "{}:{n} ({}.{}.{}.{}:{n})",
                r.be32(at + 2)?,
                a[0],
                a[1],
                a[2],
                a[3]
            )
        }
        _ => "unknown RD format".to_string(),
    })
}

/// Whether tcpdump decodes this AFI/SAFI's next hops and NLRI (here, the
/// ones decoded in this module).
fn decoded_af(af: u16, s: u8) -> bool {
    matches!((af, s), (1, 1..=4 | 128) | (2, 1..=3))
}

/// `AFI: IPv4 (1), SAFI: Unicast (1)`; false (after tcpdump's `no AFI
/// decoder` text) for an AFI/SAFI not decoded.
fn mp_af(ctx: &mut Ctx<'_>, r: &[u8], at: usize, len: usize) -> Res<bool> {
    let af = r.be16(at)?;
    let s = r.u8_at(at + 2)?;
    put!(
        ctx.out,
        "\n\t    AFI: {} ({af}), {}SAFI: {} ({s})",
        tok(ADDRESS_FAMILIES, af).unwrap_or("Unknown AFI"),
        if s > 128 { "vendor specific " } else { "" },
        tok(SAFIS, s).unwrap_or("Unknown SAFI")
    );
    if decoded_af(af, s) {
        return Ok(true);
    }
    let v = r.sub(at, len)?;
    put!(ctx.out, "\n\t    no AFI {af} / SAFI {s} decoder");
    dump_v(ctx, "\n\t    ", v);
    Ok(false)
}

/// The NLRI of a multiprotocol attribute from `at` to the attribute's
/// end `end`; `itemlen`: the attribute's length (what tcpdump bounds
/// each prefix by). `None`: tcpdump's `goto trunc`.
fn mp_nlri(
    ctx: &mut Ctx<'_>,
    r: &[u8],
    (af, s): (u16, u8),
    mut at: usize,
    end: usize,
    itemlen: usize,
) -> Res<Option<()>> {
    let left = end.saturating_sub(at);
    let add4 = check_add_path(r, at, left, 32);
    let add6 = check_add_path(r, at, left, 128);
    while at < end {
        let b = crate::app::Bytes(r);
        match (af, s) {
            (1 | 2, 1..=3) => {
                let (add, v6) = if af == 1 { (add4, false) } else { (add6, true) };
                let mut path_id = 0;
                let mut p = at;
                if add {
                    path_id = r.be32(p)?;
                    p += 4;
                }
                match prefix(b, p, itemlen as u32, v6) {
                    Ok(None) => {
                        ctx.s("\n\t    (illegal prefix length)");
                        return Ok(Some(()));
                    }
                    Err(_) => return Ok(Some(())),
                    Ok(Some(text)) => {
                        put!(ctx.out, "\n\t      {text}");
                        let mut used = 1 + usize::from(r[p]).div_ceil(8);
                        if add {
                            put!(ctx.out, "   Path Id: {path_id}");
                            used += 4;
                        }
                        at += used;
                    }
                }
            }
            (1, 4 | 128) => {
                let vpn = s == 128;
                match labeled_prefix(r, at, itemlen, vpn)? {
                    Labeled::Illegal => {
                        ctx.s("\n\t    (illegal prefix length)");
                        return Ok(Some(()));
                    }
                    Labeled::Short => return Ok(None),
                    Labeled::Prefix(text, used) => {
                        put!(ctx.out, "\n\t      {text}");
                        at += used;
                    }
                }
            }
            _ => return Ok(Some(())),
        }
    }
    Ok(Some(()))
}

/// A labeled (RFC 3107) or labeled VPN prefix.
enum Labeled {
    Illegal,
    Short,
    Prefix(String, usize),
}

fn labeled_prefix(r: &[u8], at: usize, itemlen: usize, vpn: bool) -> Res<Labeled> {
    let plen = r.u8_at(at)?;
    let skip = if vpn { 24 + 64 } else { 24 };
    let Some(plen) = plen.checked_sub(skip) else {
        return Ok(Labeled::Illegal);
    };
    if plen > 32 {
        return Ok(Labeled::Illegal);
    }
    let head = if vpn { 12 } else { 4 };
    let nbytes = usize::from(plen).div_ceil(8);
    if itemlen < head || itemlen - head < nbytes {
        return Ok(Labeled::Short);
    }
    let mut a = [0u8; 4];
    a[..nbytes].copy_from_slice(r.sub(at + head, nbytes)?);
    if plen % 8 != 0 {
        a[nbytes - 1] &= (0xff00u16 >> (plen % 8)) as u8;
    }
    let label = r.be24(at + 1)? >> 4;
    let bottom = if r.u8_at(at + 3)? & 1 == 0 {
        "(BOGUS: Bottom of Stack NOT set!)"
    } else {
        "(bottom)"
    };
    let addr = std::net::Ipv4Addr::from(a);
    let text = if vpn {
        format!(
            "RD: {}, {addr}/{plen}, label:{label} {bottom}",
            rd(r, at + 4)?
        )
    } else {
        format!("{addr}/{plen}, label:{label} {bottom}")
    };
    Ok(Labeled::Prefix(text, head + nbytes))
}

/// tcpdump's `bgp_attr_get_as_size`: 2 when the path parses as 2-byte
/// AS numbers, else 4.
fn as_size(t: u8, v: &[u8]) -> usize {
    if t == 17 {
        return 4;
    }
    let mut o = 0;
    while o < v.len() {
        let seg = v[o];
        if !(1..=4).contains(&seg) {
            return 4;
        }
        let Some(&n) = v.get(o + 1) else {
            return 4;
        };
        o += 2 + usize::from(n) * 2;
    }
    if o == v.len() { 2 } else { 4 }
}

/// One path attribute's value, `len` bytes at `at` of the segment `r`;
/// `None`: tcpdump's `goto trunc`.
fn attribute(
    ctx: &mut Ctx<'_>,
    t: u8,
    r: &[u8],
    at: usize,
    len: usize,
    level: u8,
) -> Res<Option<()>> {
    let v = r.sub(at, len)?;
    let invalid = |ctx: &mut Ctx<'_>| ctx.s("invalid len");
    match t {
        1 if len != 1 => invalid(ctx),
        1 => ctx.s(tok(ORIGINS, v[0]).unwrap_or("Unknown Origin Typecode")),
        2 | 17 if !len.is_multiple_of(2) => invalid(ctx),
        2 | 17 if len == 0 => ctx.s("empty"),
        2 | 17 => {
            let size = as_size(t, v);
            let mut o = 0;
            while o < len {
                let seg = r.u8_at(at + o)?;
                let n = usize::from(r.u8_at(at + o + 1)?);
                ctx.s(tok(SEGMENT_OPEN, seg).unwrap_or("?"));
                for k in 0..n {
                    let a = at + o + 2 + k * size;
                    let asn = if size == 2 {
                        u32::from(r.be16(a)?)
                    } else {
                        r.be32(a)?
                    };
                    put!(ctx.out, "{asn} ");
                }
                ctx.s(tok(SEGMENT_CLOSE, seg).unwrap_or("?"));
                o += 2 + n * size;
            }
        }
        3 if len != 4 => invalid(ctx),
        3 => {
            let a = ctx.ip4(addr4(v, 0)?);
            ctx.s(&a);
        }
        4 | 5 if len != 4 => invalid(ctx),
        4 | 5 => put!(ctx.out, "{}", v.be32(0)?),
        6 if len != 0 => invalid(ctx),
        6 => {}
        7 if len != 6 && len != 8 => invalid(ctx),
        7 if len == 6 => {
            let a = ctx.ip4(addr4(v, 2)?);
            put!(ctx.out, " AS #{}, origin {a}", v.be16(0)?);
        }
        7 | 18 if len == 8 => {
            let a = ctx.ip4(addr4(v, 4)?);
            put!(ctx.out, " AS #{}, origin {a}", v.be32(0)?);
        }
        18 => invalid(ctx),
        8 if !len.is_multiple_of(4) => invalid(ctx),
        8 => {
            for (k, c) in v.chunks_exact(4).enumerate() {
                let comm = c.be32(0)?;
                match comm {
                    0xffff_ff01 => ctx.s(" NO_EXPORT"),
                    0xffff_ff02 => ctx.s(" NO_ADVERTISE"),
                    0xffff_ff03 => ctx.s(" NO_EXPORT_SUBCONFED"),
                    _ => put!(
                        ctx.out,
                        "{}:{}{}",
                        comm >> 16,
                        comm & 0xffff,
                        if len - k * 4 > 4 { ", " } else { "" }
                    ),
                }
            }
        }
        9 if len != 4 => invalid(ctx),
        9 => {
            let a = ctx.ip4(addr4(v, 0)?);
            ctx.s(&a);
        }
        10 if !len.is_multiple_of(4) => invalid(ctx),
        10 => {
            for (k, _) in v.chunks_exact(4).enumerate() {
                let a = ctx.ip4(addr4(v, k * 4)?);
                put!(ctx.out, "{a}{}", if len - k * 4 > 4 { ", " } else { "" });
            }
        }
        14 => {
            if len < 3 {
                return Ok(None);
            }
            if !mp_af(ctx, r, at, len)? {
                return Ok(Some(()));
            }
            let af = v.be16(0)?;
            let s = v[2];
            let mut o = 3;
            let Some(&nhlen) = v.get(o) else {
                return Ok(None);
            };
            o += 1;
            let nhlen = usize::from(nhlen);
            if nhlen != 0 {
                if len - o < nhlen {
                    return Ok(None);
                }
                ctx.s("\n\t    nexthop: ");
                let mut left = nhlen;
                let mut first = true;
                while left != 0 {
                    if !first {
                        ctx.s(", ");
                    }
                    first = false;
                    let (need, text) = match (af, s) {
                        (1, 128) if left >= 12 => {
                            let a = ctx.ip4(addr4(v, o + 8)?);
                            (12, format!("RD: {}, {a}", rd(v, o)?))
                        }
                        (1, _) if left >= 4 => (4, ctx.ip4(addr4(v, o)?)),
                        (2, _) if left >= 16 => (16, ctx.ip6(addr16(v, o)?)),
                        _ => (left, "invalid len".to_string()),
                    };
                    ctx.s(&text);
                    o += need;
                    left -= need;
                }
            }
            put!(ctx.out, ", nh-length: {nhlen}");
            let Some(&snpa) = v.get(o) else {
                return Ok(None);
            };
            o += 1;
            if snpa != 0 {
                put!(ctx.out, "\n\t    {snpa} SNPA");
                for _ in 0..snpa {
                    let Some(&l) = v.get(o) else {
                        return Ok(None);
                    };
                    put!(ctx.out, "\n\t      {l} bytes");
                    o += 1;
                    if len - o < usize::from(l) {
                        return Ok(None);
                    }
                    o += usize::from(l);
                }
            } else {
                ctx.s(", no SNPA");
            }
            if mp_nlri(ctx, r, (af, s), at + o, at + len, len)?.is_none() {
                return Ok(None);
            }
        }
        15 => {
            if len < 3 {
                return Ok(None);
            }
            if !mp_af(ctx, r, at, len)? {
                return Ok(Some(()));
            }
            if len == 3 {
                ctx.s("\n\t      End-of-Rib Marker (empty NLRI)");
            }
            let af_s = (v.be16(0)?, v[2]);
            if mp_nlri(ctx, r, af_s, at + 3, at + len, len)?.is_none() {
                return Ok(None);
            }
        }
        16 if !len.is_multiple_of(8) => invalid(ctx),
        16 => {
            for c in v.chunks_exact(8) {
                let t = c.be16(0)?;
                put!(
                    ctx.out,
                    "\n\t    {} (0x{t:04x}), Flags [{}]: ",
                    tok(EXT_COMMUNITY_TYPES, t).unwrap_or("unknown extd community typecode"),
                    bits(EXT_COMMUNITY_FLAGS, t.into(), "none", ", ")
                );
                ext_community(ctx, c)?;
            }
        }
        32 if len == 0 || !len.is_multiple_of(12) => invalid(ctx),
        32 => {
            ctx.s("\n\t    ");
            let items: Vec<String> = v
                .chunks_exact(12)
                .map(|c| {
                    format!(
                        "{}:{}:{}",
                        c.be32(0).unwrap_or(0),
                        c.be32(4).unwrap_or(0),
                        c.be32(8).unwrap_or(0)
                    )
                })
                .collect();
            ctx.s(&items.join(", "));
            // tcpdump counts the length down here: no -vv dump.
            return Ok(Some(()));
        }
        26 if !aigp(ctx, v)? => return Ok(None),
        26 => {}
        128 => return attr_set(ctx, r, at, len, level),
        _ => {
            put!(ctx.out, "\n\t    no Attribute {t} decoder");
            dump_v(ctx, "\n\t    ", v);
        }
    }
    dump_vv(ctx, "\n\t    ", v);
    Ok(Some(()))
}

/// An Accumulated IGP Metric attribute's TLVs; false for tcpdump's
/// `goto trunc` (a TLV too short).
fn aigp(ctx: &mut Ctx<'_>, v: &[u8]) -> Res<bool> {
    let mut o = 0;
    while v.len() - o >= 3 {
        let t = v[o];
        let len = usize::from(v.be16(o + 1)?);
        o += 3;
        put!(
            ctx.out,
            "\n\t    {} TLV ({t}), length {len}",
            if t == 1 { "AIGP" } else { "Unknown" }
        );
        let Some(len) = len.checked_sub(3) else {
            return Ok(false);
        };
        if v.len() - o < len {
            return Ok(false);
        }
        if t == 1 {
            if len < 8 {
                return Ok(false);
            }
            let hi = u64::from(v.be32(o)?);
            let lo = u64::from(v.be32(o + 4)?);
            put!(ctx.out, ", metric {}", hi << 32 | lo);
        } else if ctx.o.verbose <= 1 {
            crate::hex::hex_prefixed(ctx.out, "\n\t      ", &v[o..o + len], 0);
        }
        o += len;
    }
    Ok(true)
}

/// An Attribute Set: its origin AS and the attributes in it (nested
/// sets up to 10 levels, as tcpdump).
fn attr_set(ctx: &mut Ctx<'_>, r: &[u8], at: usize, len: usize, level: u8) -> Res<Option<()>> {
    if len < 4 {
        return Ok(None);
    }
    put!(ctx.out, "\n\t    Origin AS: {}", r.be32(at)?);
    let (mut at, mut len) = (at + 4, len - 4);
    while len != 0 {
        if len < 2 {
            ctx.s(" [path attr too short]");
            break;
        }
        let flags = r.u8_at(at)?;
        let t = r.u8_at(at + 1)?;
        at += 2;
        len -= 2;
        let len_len = if flags & 0x10 != 0 { 2 } else { 1 };
        if len < len_len {
            ctx.s(" [path attr too short]");
            break;
        }
        let alen = if len_len == 2 {
            usize::from(r.be16(at)?)
        } else {
            usize::from(r.u8_at(at)?)
        };
        at += len_len;
        len -= len_len;
        attr_header(ctx, "\n\t      ", t, alen, flags);
        if len < alen {
            ctx.s(" [path attr too short]");
            break;
        }
        if level == 10 {
            ctx.s("(too many nested levels, not recursing)");
        } else if attribute(ctx, t, r, at, alen, level + 1)?.is_none() {
            return Ok(None);
        }
        at += alen;
        len -= alen;
    }
    Ok(Some(()))
}

/// A path attribute's header: `Origin (1), length: 1, Flags [T]: `.
fn attr_header(ctx: &mut Ctx<'_>, indent: &str, t: u8, len: usize, flags: u8) {
    put!(
        ctx.out,
        "{indent}{} ({t}), length: {len}",
        tok(ATTRIBUTES, t).unwrap_or("Unknown Attribute")
    );
    attr_flags(ctx, flags);
}

/// `, Flags [OT]: ` (nothing but `: ` without flags).
fn attr_flags(ctx: &mut Ctx<'_>, flags: u8) {
    if flags != 0 {
        put!(
            ctx.out,
            ", Flags [{}{}{}{}",
            if flags & 0x80 != 0 { "O" } else { "" },
            if flags & 0x40 != 0 { "T" } else { "" },
            if flags & 0x20 != 0 { "P" } else { "" },
            if flags & 0x10 != 0 { "E" } else { "" }
        );
        if flags & 0xf != 0 {
            put!(ctx.out, "+{:x}", flags & 0xf);
        }
        ctx.s("]");
    }
    ctx.s(": ");
}

/// An extended community's value (tcpdump's
/// `bgp_extended_community_print`, for the types decoded here).
fn ext_community(ctx: &mut Ctx<'_>, c: &[u8]) -> Res {
    match c.be16(0)? {
        0x0002 | 0x0003 | 0x000a => {
            let a = ctx.ip4(addr4(c, 4)?);
            put!(ctx.out, "{}:{} (= {a})", c.be16(2)?, c.be32(4)?);
        }
        0x0102 | 0x0103 | 0x010a | 0x010b => {
            let a = ctx.ip4(addr4(c, 2)?);
            put!(ctx.out, "{a}:{}", c.be16(6)?);
        }
        0x0202 | 0x0203 => put!(ctx.out, "{}:{}", c.be32(2)?, c.be16(6)?),
        0x4004 => {
            let bw = f32::from_bits(c.be32(4)?);
            put!(
                ctx.out,
                "bandwidth: {:.3} Mbps",
                f64::from(bw) * 8.0 / 1_000_000.0
            );
        }
        0x0009 => put!(ctx.out, "AS {}", c.be16(2)?),
        _ => put!(ctx.out, "{:04x}{:08x}", c.be16(2)?, c.be32(4)?),
    }
    Ok(())
}

/// A Notification: the error and its subcode.
fn notification(ctx: &mut Ctx<'_>, m: &[u8]) -> Res {
    if m.len() < 21 {
        return ctx.trunc();
    }
    let (major, minor) = (m[19], m[20]);
    put!(
        ctx.out,
        ", {} ({major})",
        tok(NOTIFY_MAJOR, major).unwrap_or("Unknown Error")
    );
    let table = match major {
        1 => NOTIFY_MSG,
        2 => NOTIFY_OPEN,
        3 => NOTIFY_UPDATE,
        5 => NOTIFY_FSM,
        7 => NOTIFY_CAP,
        6 => NOTIFY_CEASE,
        _ => return Ok(()),
    };
    // tcpdump 4.99 puts no comma before these two.
    let sep = if major == 5 || major == 7 { "" } else { "," };
    put!(
        ctx.out,
        "{sep} subcode {} ({minor})",
        tok(table, minor).unwrap_or("Unknown")
    );
    if major != 6 {
        return Ok(());
    }
    let len = m.len();
    if minor == 1 && len >= 28 {
        let af = m.be16(21)?;
        put!(
            ctx.out,
            ", AFI {} ({af}), SAFI {} ({}), Max Prefixes: {}",
            afi(af),
            safi(m[23]),
            m[23],
            m.be32(24)?
        );
    }
    if (minor == 2 || minor == 4) && len >= 22 {
        let n = usize::from(m[21]);
        let mut used = 0;
        if n > 128 || n > len - 22 {
            ctx.s(", invalid Shutdown Communication length");
        } else if n == 0 {
            ctx.s(", empty Shutdown Communication");
            used = 1;
        } else {
            put!(ctx.out, ", Shutdown Communication (length: {n}): \"");
            for &c in &m[22..22 + n] {
                fn_char(ctx.out, c);
            }
            ctx.s("\"");
            used = n + 1;
        }
        let data = len - 21 - used;
        if data > 0 {
            put!(ctx.out, ", Data: (length: {data})");
            crate::hex::hex_prefixed(ctx.out, "\n\t\t", &m[21 + used..], 0);
        }
    }
    Ok(())
}
