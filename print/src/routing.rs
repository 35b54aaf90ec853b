//! Routing and redundancy protocols carried over IP, without -v as
//! tcpdump prints them: OSPF and OSPFv3 (print-ospf.c, print-ospf6.c),
//! PIM (print-pim.c), EIGRP (print-eigrp.c), VRRP (print-vrrp.c).

use crate::ctx::{Bytes, Ctx, Res, bits, put, tok};
use crate::ip::IpInfo;

const OSPF_TYPES: &[(u8, &str)] = &[
    (1, "Hello"),
    (2, "Database Description"),
    (3, "LS-Request"),
    (4, "LS-Update"),
    (5, "LS-Ack"),
];

/// `ospf_print` / `ospf6_print` (the first line).
pub(crate) fn ospf_print(ctx: &mut Ctx<'_>, p: &[u8], len: u32, v6: bool) -> Res {
    ctx.proto = if v6 { "ospf3" } else { "ospf2" };
    p.sub(0, if v6 { 16 } else { 24 })?;
    let version = p.u8_at(0)?;
    let typ = p.u8_at(1)?;
    put!(ctx.out, "OSPFv{version}, ");
    match tok(OSPF_TYPES, typ) {
        Some(n) => ctx.s(n),
        None => put!(ctx.out, "unknown packet type ({typ})"),
    }
    put!(ctx.out, ", length {len}");
    if v6 && version == 3 && ctx.o.verbose > 0 {
        ospf6_verbose(ctx, p, len)?;
    }
    Ok(())
}

const OSPF6_OPTIONS: &[(u32, &str)] = &[
    (0x01, "V6"),
    (0x02, "External"),
    (0x04, "Deprecated"),
    (0x08, "NSSA"),
    (0x10, "Router"),
    (0x20, "Demand Circuit"),
    (0x0100, "AFs Support"),
    (0x0200, "LLS"),
    (0x0400, "Authentication Trailer"),
];

/// The OSPFv3 header and the Hello and Database Description bodies with
/// -v; -vv adds the Hello's neighbors, the LSA headers of Database
/// Descriptions and LS-Acks, the LS-Requests, and the LS-Updates' LSAs
/// (router, network, inter-area and external prefixes, link,
/// intra-area prefix; a hex dump of the others).
fn ospf6_verbose(ctx: &mut Ctx<'_>, p: &[u8], len: u32) -> Res {
    let datalen = u32::from(p.be16(2)?).wrapping_sub(16);
    if datalen > len.wrapping_sub(16) {
        put!(ctx.out, " [len {}]", p.be16(2)?);
        return ctx.trunc();
    }
    let rid = ctx.ip4(crate::ctx::addr4(p, 4)?);
    put!(ctx.out, "\n\tRouter-ID {rid}");
    if p.be32(8)? != 0 {
        let area = ctx.ip4(crate::ctx::addr4(p, 8)?);
        put!(ctx.out, ", Area {area}");
    } else {
        ctx.s(", Backbone Area");
    }
    if p.u8_at(14)? != 0 {
        put!(ctx.out, ", Instance {}", p[14]);
    }
    let options = |v: u32| bits(OSPF6_OPTIONS, v, "none", ", ");
    // tcpdump's `dataend`: the end of the OSPF packet by its length.
    let end = usize::from(p.be16(2)?);
    match p.u8_at(1)? {
        1 => {
            let h = 16;
            put!(ctx.out, "\n\tOptions [{}]", options(p.be32(h + 4)?));
            let ifid = ctx.ip4(crate::ctx::addr4(p, h)?);
            put!(
                ctx.out,
                "\n\t  Hello Timer {}s, Dead Timer {}s, Interface-ID {ifid}, Priority {}",
                p.be16(h + 8)?,
                p.be16(h + 10)?,
                p.u8_at(h + 4)?
            );
            if p.be32(h + 12)? != 0 {
                let dr = ctx.ip4(crate::ctx::addr4(p, h + 12)?);
                put!(ctx.out, "\n\t  Designated Router {dr}");
            }
            if p.be32(h + 16)? != 0 {
                let bdr = ctx.ip4(crate::ctx::addr4(p, h + 16)?);
                put!(ctx.out, ", Backup Designated Router {bdr}");
            }
            if ctx.o.verbose > 1 {
                ctx.s("\n\t  Neighbor List:");
                let mut at = h + 20;
                while at < end {
                    let n = ctx.ip4(crate::ctx::addr4(p, at)?);
                    put!(ctx.out, "\n\t    {n}");
                    at += 4;
                }
            }
        }
        2 => {
            let d = 16;
            put!(ctx.out, "\n\tOptions [{}]", options(p.be32(d)?));
            put!(
                ctx.out,
                ", DD Flags [{}]",
                bits(
                    &[(4, "Init"), (2, "More"), (1, "Master"), (0x10, "??")],
                    u32::from(p.u8_at(d + 7)?),
                    "none",
                    ", "
                )
            );
            put!(
                ctx.out,
                ", MTU {}, DD-Sequence 0x{:08x}",
                p.be16(d + 4)?,
                p.be32(d + 8)?
            );
            if ctx.o.verbose > 1 {
                return lsa_headers(ctx, p, d + 12, end);
            }
        }
        3 if ctx.o.verbose > 1 => {
            let mut at = 16;
            while at < end {
                let router = ctx.ip4(crate::ctx::addr4(p, at + 8)?);
                put!(ctx.out, "\n\t  Advertising Router {router}");
                ls_type(ctx, p.be16(at + 2)?, p, at + 4)?;
                at += 12;
            }
        }
        4 if ctx.o.verbose > 1 => {
            let mut count = p.be32(16)?;
            let mut at = 20;
            while at < end && count > 0 {
                count -= 1;
                let Some(len) = lsa(ctx, p, at, end)? else {
                    return ctx.trunc();
                };
                at += len;
            }
        }
        5 if ctx.o.verbose > 1 => return lsa_headers(ctx, p, 16, end),
        _ => {}
    }
    Ok(())
}

const OSPF6_LSA_TYPES: &[(u16, &str)] = &[
    (1, "Router"),
    (2, "Network"),
    (3, "Inter-Area Prefix"),
    (4, "Inter-Area Router"),
    (5, "External"),
    (6, "Deprecated"),
    (7, "NSSA"),
    (8, "Link"),
    (9, "Intra-Area Prefix"),
    (10, "Intra-Area TE"),
    (11, "Grace"),
    (12, "Router Information"),
    (13, "Inter-AS-TE"),
    (14, "Layer 1 VPN"),
];

const OSPF6_SCOPES: &[(u16, &str)] = &[
    (0x0000, "Link Local"),
    (0x2000, "Area Local"),
    (0x4000, "Domain Wide"),
];

/// `ospf6_print_ls_type`: `Router LSA (1), Area Local Scope, LSA-ID ...`
/// with the LSA id at `id_at`.
fn ls_type(ctx: &mut Ctx<'_>, t: u16, p: &[u8], id_at: usize) -> Res {
    let id = ctx.ip4(crate::ctx::addr4(p, id_at)?);
    put!(
        ctx.out,
        "\n\t    {} LSA ({}), {} Scope{}, LSA-ID {id}",
        tok(OSPF6_LSA_TYPES, t & 0x1fff).unwrap_or("Unknown"),
        t & 0x1fff,
        tok(OSPF6_SCOPES, t & 0x6000).unwrap_or("Unknown"),
        if t & 0x8000 != 0 { ", transitive" } else { "" }
    );
    Ok(())
}

const OSPF6_RLA_FLAGS: &[(u32, &str)] = &[
    (0x01, "ABR"),
    (0x02, "ASBR"),
    (0x04, "Virtual-Link Endpoint"),
    (0x08, "Deprecated"),
    (0x10, "NSSA Translator"),
];

const OSPF6_PREFIX_OPTIONS: &[(u32, &str)] = &[
    (0x01, "No Unicast"),
    (0x02, "Local address"),
    (0x04, "Multicast"),
    (0x08, "Propagate"),
    (0x10, "DN"),
];

const OSPF6_ASLA_FLAGS: &[(u32, &str)] = &[
    (0x0400_0000, "External Type 2"),
    (0x0200_0000, "Forwarding"),
    (0x0100_0000, "Tag"),
];

/// One LSA header line and its type line (`ospf6_print_lshdr`); false
/// when it does not end before `end`.
fn lsa_header(ctx: &mut Ctx<'_>, p: &[u8], at: usize, end: usize) -> Res<bool> {
    if at + 20 > end {
        return Ok(false);
    }
    let router = ctx.ip4(crate::ctx::addr4(p, at + 8)?);
    put!(
        ctx.out,
        "\n\t  Advertising Router {router}, seq 0x{:08x}, age {}s, length {}",
        p.be32(at + 12)?,
        p.be16(at)?,
        i64::from(p.be16(at + 18)?) - 20
    );
    ls_type(ctx, p.be16(at + 2)?, p, at + 4)?;
    Ok(true)
}

/// `ospf6_print_lsaprefix`: `\n\t\t2001:db8::/64, metric 0`; its size,
/// or `None` where the prefix does not fit `left`.
fn lsa_prefix(ctx: &mut Ctx<'_>, p: &[u8], at: usize, left: usize) -> Res<Option<usize>> {
    if left < 4 {
        return Ok(None);
    }
    let plen = p.u8_at(at)?;
    let words = usize::from(plen).div_ceil(32);
    if words * 4 > 16 {
        put!(ctx.out, " bogus prefixlen /{plen}");
        return Ok(None);
    }
    if left - 4 < words * 4 {
        return Ok(None);
    }
    let mut a = [0u8; 16];
    a[..words * 4].copy_from_slice(p.sub(at + 4, words * 4)?);
    let prefix = ctx.ip6(a);
    put!(ctx.out, "\n\t\t{prefix}/{plen}");
    let opt = p.u8_at(at + 1)?;
    if opt != 0 {
        put!(
            ctx.out,
            ", Options [{}]",
            bits(OSPF6_PREFIX_OPTIONS, opt.into(), "none", ", ")
        );
    }
    put!(ctx.out, ", metric {}", p.be16(at + 2)?);
    Ok(Some(4 + words * 4))
}

/// `n` prefixes (all those fitting when `n` is None) from `at`, `left`
/// bytes of them; false where one does not fit.
fn lsa_prefixes(
    ctx: &mut Ctx<'_>,
    p: &[u8],
    mut at: usize,
    mut left: usize,
    n: Option<u32>,
) -> Res<bool> {
    let mut n = n;
    loop {
        match n {
            Some(0) => return Ok(true),
            None if left == 0 => return Ok(true),
            _ => {}
        }
        let Some(used) = lsa_prefix(ctx, p, at, left)? else {
            return Ok(false);
        };
        at += used;
        left -= used;
        if let Some(k) = n.as_mut() {
            *k -= 1;
        }
    }
}

/// One LSA of an LS-Update (`ospf6_print_lsa`): its length, or `None`
/// where tcpdump gives up on the packet.
fn lsa(ctx: &mut Ctx<'_>, p: &[u8], at: usize, end: usize) -> Res<Option<usize>> {
    if !lsa_header(ctx, p, at, end)? {
        return Ok(None);
    }
    let length = usize::from(p.be16(at + 18)?);
    if length < 20 || at + length > end {
        return Ok(None);
    }
    let mut left = length - 20;
    let v = at + 20;
    let options = |o: u32| bits(OSPF6_OPTIONS, o & 0x00ff_ffff, "none", ", ");
    let ok = match p.be16(at + 2)? {
        0x2001 => {
            if left < 4 {
                return Ok(None);
            }
            left -= 4;
            let head = p.be32(v)?;
            put!(
                ctx.out,
                "\n\t      Options [{}], RLA-Flags [{}]",
                options(head),
                bits(OSPF6_RLA_FLAGS, head >> 24, "none", ", ")
            );
            let mut l = v + 4;
            while left != 0 {
                if left < 16 {
                    return Ok(None);
                }
                left -= 16;
                let what = match p.u8_at(l)? {
                    1 => "Neighbor Router-ID",
                    2 => "Neighbor Network-ID",
                    4 => "Virtual Link: Neighbor Router-ID",
                    t => {
                        put!(ctx.out, "\n\t      Unknown Router Links Type 0x{t:02x}");
                        return Ok(Some(length));
                    }
                };
                let nrtid = ctx.ip4(crate::ctx::addr4(p, l + 12)?);
                let nifid = ctx.ip4(crate::ctx::addr4(p, l + 8)?);
                let ifid = ctx.ip4(crate::ctx::addr4(p, l + 4)?);
                put!(
                    ctx.out,
                    "\n\t      {what} {nrtid}\n\t      Neighbor Interface-ID {nifid}, Interface {ifid}, metric {}",
                    p.be16(l + 2)?
                );
                l += 16;
            }
            true
        }
        0x2002 => {
            if left < 4 {
                return Ok(None);
            }
            left -= 4;
            put!(ctx.out, "\n\t      Options [{}]", options(p.be32(v)?));
            ctx.s("\n\t      Connected Routers:");
            let mut r = v + 4;
            while left != 0 {
                if left < 4 {
                    return Ok(None);
                }
                left -= 4;
                let a = ctx.ip4(crate::ctx::addr4(p, r)?);
                put!(ctx.out, "\n\t\t{a}");
                r += 4;
            }
            true
        }
        0x2003 => {
            if left < 4 {
                return Ok(None);
            }
            put!(ctx.out, ", metric {}", p.be32(v)? & 0x00ff_ffff);
            lsa_prefixes(ctx, p, v + 4, left - 4, None)?
        }
        0x4005 => {
            if left < 4 {
                return Ok(None);
            }
            left -= 4;
            let flags = p.be32(v)?;
            put!(
                ctx.out,
                "\n\t     Flags [{}] metric {}",
                bits(OSPF6_ASLA_FLAGS, flags, "none", ", "),
                flags & 0x00ff_ffff
            );
            let Some(used) = lsa_prefix(ctx, p, v + 4, left)? else {
                return Ok(None);
            };
            left -= used;
            let mut t = v + 4 + used;
            if flags & 0x0200_0000 != 0 {
                if left < 16 {
                    return Ok(None);
                }
                left -= 16;
                let a = ctx.ip6(crate::ctx::addr16(p, t)?);
                put!(ctx.out, " forward {a}");
                t += 16;
            }
            if flags & 0x0100_0000 != 0 {
                if left < 4 {
                    return Ok(None);
                }
                left -= 4;
                let a = ctx.ip4(crate::ctx::addr4(p, t)?);
                put!(ctx.out, " tag {a}");
                t += 4;
            }
            // the prefix's metric field is the referenced LS type here
            if p.u8_at(v + 4 + 3)? != 0 {
                if left < 4 {
                    return Ok(None);
                }
                let a = ctx.ip4(crate::ctx::addr4(p, t)?);
                put!(ctx.out, " RefLSID: {a}");
            }
            true
        }
        0x0008 => {
            if left < 24 {
                return Ok(None);
            }
            put!(ctx.out, "\n\t      Options [{}]", options(p.be32(v)?));
            let n = p.be32(v + 20)?;
            let ll = ctx.ip6(crate::ctx::addr16(p, v + 4)?);
            put!(
                ctx.out,
                "\n\t      Priority {}, Link-local address {ll}, Prefixes {n}:",
                p.u8_at(v)?
            );
            lsa_prefixes(ctx, p, v + 24, left - 24, Some(n))?
        }
        0x2009 => {
            if left < 12 {
                return Ok(None);
            }
            ls_type(ctx, p.be16(v + 2)?, p, v + 4)?;
            let n = p.be16(v)?;
            put!(ctx.out, "\n\t      Prefixes {n}:");
            lsa_prefixes(ctx, p, v + 12, left - 12, Some(u32::from(n)))?
        }
        _ => {
            let dump = p.get(v..).unwrap_or(&[]);
            crate::hex::hex_prefixed(ctx.out, "\n\t      ", &dump[..dump.len().min(left)], 0);
            true
        }
    };
    Ok(if ok { Some(length) } else { None })
}

/// The LSA headers from `at` to `end` (Database Description and LS-Ack
/// with -vv); one not within `end` ends the packet with ` [|ospf3]`.
fn lsa_headers(ctx: &mut Ctx<'_>, p: &[u8], mut at: usize, end: usize) -> Res {
    while at < end {
        if !lsa_header(ctx, p, at, end)? {
            return ctx.trunc();
        }
        at += 20;
    }
    Ok(())
}

const PIM2_TYPES: &[(u8, &str)] = &[
    (0, "Hello"),
    (1, "Register"),
    (2, "Register Stop"),
    (3, "Join / Prune"),
    (4, "Bootstrap"),
    (5, "Assert"),
    (6, "Graft"),
    (7, "Graft Acknowledgement"),
    (8, "Candidate RP Advertisement"),
    (9, "Prune Refresh"),
    (10, "DF Election"),
    (11, "ECMP Redirect"),
];

/// `pim_print`: the type, and with -v the checksum and Hello options.
pub(crate) fn pim_print(ctx: &mut Ctx<'_>, p: &[u8], len: u32, ip: IpInfo<'_>) -> Res {
    ctx.proto = "pim";
    let tv = p.u8_at(0)?;
    let v = tv >> 4;
    if v == 2 {
        let t = tok(PIM2_TYPES, tv & 0xf).unwrap_or("Unknown Type");
        if ctx.o.verbose == 0 {
            put!(ctx.out, "PIMv{v}, {t}, length {len}");
        } else {
            put!(ctx.out, "PIMv{v}, length {len}\n\t{t}");
            pimv2_verbose(ctx, p, len as usize, ip)?;
        }
    } else {
        put!(ctx.out, "PIMv{v}, length {len}");
    }
    Ok(())
}

/// What a PIMv2 encoded address is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum PimAddr {
    Unicast,
    Group,
    Source,
}

/// `pimv2_addr_print`: an encoded address; its length, or `None`.
fn pim_addr(
    ctx: &mut Ctx<'_>,
    p: &[u8],
    at: usize,
    len: usize,
    kind: PimAddr,
) -> Res<Option<usize>> {
    if len < 2 {
        return Ok(None);
    }
    let alen = match p.u8_at(at)? {
        1 => 4,
        2 => 16,
        _ => return Ok(None),
    };
    if p.u8_at(at + 1)? != 0 {
        return Ok(None);
    }
    let b = at + 2;
    let len = len - 2;
    let text = |ctx: &mut Ctx<'_>, a: usize| -> Res<String> {
        Ok(if alen == 4 {
            ctx.ip4(crate::ctx::addr4(p, a)?)
        } else {
            ctx.ip6(crate::ctx::addr16(p, a)?)
        })
    };
    if kind == PimAddr::Unicast {
        if len < alen {
            return Ok(None);
        }
        let a = text(ctx, b)?;
        ctx.s(&a);
        return Ok(Some(2 + alen));
    }
    if len < alen + 2 {
        return Ok(None);
    }
    let a = text(ctx, b + 2)?;
    ctx.s(&a);
    let mask = p.u8_at(b + 1)?;
    if usize::from(mask) != alen * 8 {
        put!(ctx.out, "/{mask}");
    }
    let f = p.u8_at(b)?;
    if f != 0 {
        if kind == PimAddr::Group {
            put!(ctx.out, "(0x{f:02x})");
        } else {
            ctx.s("(");
            ctx.words(u32::from(f), &[(4, "S"), (2, "W"), (1, "R")]);
            if f & 0xf8 != 0 {
                put!(ctx.out, "+0x{:02x}", f & 0xf8);
            }
            ctx.s(")");
        }
    }
    Ok(Some(4 + alen))
}

/// Join/Prune, Graft and Graft-Ack with -v.
fn join_prune(ctx: &mut Ctx<'_>, p: &[u8], len: usize, typ: u8) -> Res {
    let trunc = |ctx: &mut Ctx<'_>| ctx.trunc();
    let mut at = 4;
    let mut left = len - 4;
    let addr = |ctx: &mut Ctx<'_>, at: &mut usize, left: &mut usize, kind| -> Res<bool> {
        match pim_addr(ctx, p, *at, *left, kind)? {
            Some(n) => {
                *at += n;
                *left -= n;
                Ok(true)
            }
            None => Ok(false),
        }
    };
    if typ != 7 {
        ctx.s(", upstream-neighbor: ");
        if !addr(ctx, &mut at, &mut left, PimAddr::Unicast)? {
            return trunc(ctx);
        }
    }
    if left < 4 || !p.has(at, 4) {
        return trunc(ctx);
    }
    let ngroup = p[at + 1];
    let hold = p.be16(at + 2)?;
    put!(ctx.out, "\n\t  {ngroup} group(s)");
    if typ != 7 {
        ctx.s(", holdtime: ");
        if hold == 0xffff {
            ctx.s("infinite");
        } else {
            ctx.s(&crate::icmp::relts(u32::from(hold)));
        }
    }
    at += 4;
    left -= 4;
    for i in 0..ngroup {
        put!(ctx.out, "\n\t    group #{}: ", i + 1);
        if !addr(ctx, &mut at, &mut left, PimAddr::Group)? {
            return trunc(ctx);
        }
        if left < 4 || !p.has(at, 4) {
            return trunc(ctx);
        }
        let (nj, np) = (p.be16(at)?, p.be16(at + 2)?);
        put!(ctx.out, ", joined sources: {nj}, pruned sources: {np}");
        at += 4;
        left -= 4;
        for (n, what) in [(nj, "joined"), (np, "pruned")] {
            for j in 0..n {
                put!(ctx.out, "\n\t      {what} source #{}: ", j + 1);
                if !addr(ctx, &mut at, &mut left, PimAddr::Source)? {
                    return trunc(ctx);
                }
            }
        }
    }
    Ok(())
}

const PIM_HELLO_OPTIONS: &[(u16, &str)] = &[
    (1, "Hold Time"),
    (2, "LAN Prune Delay"),
    (18, "DR Priority (Old)"),
    (19, "DR Priority"),
    (20, "Generation ID"),
    (21, "State Refresh Capability"),
    (22, "Bi-Directional Capable"),
    (24, "Address List"),
    (65001, "Address List (Old)"),
];

/// `pimv2_print` with -v: checksum, then the Hello options.
fn pimv2_verbose(ctx: &mut Ctx<'_>, p: &[u8], len: usize, ip: IpInfo<'_>) -> Res {
    if len < 2 {
        put!(ctx.out, "[length {len} < 2] (invalid)");
        return Ok(());
    }
    if p.u8_at(1)? & 0x0f != 0 {
        ctx.s(", RFC2117-encoding");
    }
    if len < 4 {
        put!(ctx.out, "[length {len} < 4] (invalid)");
        return Ok(());
    }
    let ck = p.be16(2)?;
    put!(ctx.out, ", cksum 0x{ck:04x} ");
    let typ = p[0] & 0xf;
    let covered = if typ == 1 { 8 } else { len };
    if ck == 0 || !p.has(0, covered) {
        ctx.s("(unverified)");
    } else {
        let data = &p[..covered];
        let sum = if ip.version == 6 {
            crate::ctx::in_cksum(&[&ip.pseudo(covered as u32), data])
        } else {
            crate::ctx::in_cksum(&[data])
        };
        ctx.s(if sum == 0 { "(correct)" } else { "(incorrect)" });
    }
    if matches!(typ, 3 | 6 | 7) {
        return join_prune(ctx, p, len, typ);
    }
    if typ != 0 {
        return Ok(());
    }
    let mut at = 4;
    let mut left = len - 4;
    while left > 0 {
        if left < 4 {
            return Err(crate::ctx::Trunc);
        }
        let otype = p.be16(at)?;
        let olen = usize::from(p.be16(at + 2)?);
        put!(
            ctx.out,
            "\n\t  {} Option ({otype}), length {olen}, Value: ",
            tok(PIM_HELLO_OPTIONS, otype).unwrap_or("Unknown")
        );
        at += 4;
        left -= 4;
        if left < olen {
            return Err(crate::ctx::Trunc);
        }
        let o = p.sub(at, olen)?;
        let bad = |ctx: &mut Ctx<'_>, want: usize| {
            put!(ctx.out, "ERROR: Option Length != {want} Bytes ({olen})");
        };
        match otype {
            1 if olen == 2 => ctx.s(&crate::icmp::relts(u32::from(o.be16(0)?))),
            1 => bad(ctx, 2),
            2 if olen == 4 => {
                let d = o.be16(0)?;
                put!(
                    ctx.out,
                    "\n\t    T-bit={}, LAN delay {}ms, Override interval {}ms",
                    d >> 15,
                    d & 0x7fff,
                    o.be16(2)?
                );
            }
            18 | 19 => match olen {
                0 => ctx.s("Illegal length"),
                4 => put!(ctx.out, "{}", o.be32(0)?),
                _ => bad(ctx, 4),
            },
            20 if olen == 4 => put!(ctx.out, "0x{:08x}", o.be32(0)?),
            21 if olen == 4 => {
                put!(ctx.out, "v{}", o[0]);
                if o[1] != 0 {
                    ctx.s(", interval ");
                    ctx.s(&crate::icmp::relts(u32::from(o[1])));
                }
                if o.be16(2)? != 0 {
                    put!(ctx.out, " ?0x{:04x}?", o.be16(2)?);
                }
            }
            2 | 20 | 21 => bad(ctx, 4),
            22 | 24 | 65001 => {}
            _ => {
                if ctx.o.verbose <= 1 {
                    crate::hex::hex_prefixed(ctx.out, "\n\t    ", o, 0);
                }
            }
        }
        if ctx.o.verbose > 1 {
            crate::hex::hex_prefixed(ctx.out, "\n\t    ", o, 0);
        }
        at += olen;
        left -= olen;
    }
    Ok(())
}

const EIGRP_OPCODES: &[(u8, &str)] = &[
    (1, "Update"),
    (3, "Query"),
    (4, "Reply"),
    (5, "Hello"),
    (6, "IPX SAP"),
    (7, "Probe"),
];

/// `eigrp_print` (the non-verbose line).
pub(crate) fn eigrp_print(ctx: &mut Ctx<'_>, p: &[u8], len: u32) -> Res {
    ctx.proto = "eigrp";
    let version = p.u8_at(0)?;
    if version != 2 {
        put!(ctx.out, "EIGRP version {version} packet not supported");
        return Ok(());
    }
    let op = p.u8_at(1)?;
    if ctx.o.verbose == 0 {
        ctx.s("EIGRP ");
        match tok(EIGRP_OPCODES, op) {
            Some(n) => ctx.s(n),
            None => put!(ctx.out, "unknown ({op})"),
        }
        put!(ctx.out, ", length: {len}");
        return Ok(());
    }
    if len < 20 {
        put!(ctx.out, "EIGRP ");
        match tok(EIGRP_OPCODES, op) {
            Some(n) => ctx.s(n),
            None => put!(ctx.out, "unknown ({op})"),
        }
        put!(ctx.out, ", length: {len} (too short, < 20)");
        return Ok(());
    }
    p.sub(0, 20)?;
    let opname = tok(EIGRP_OPCODES, op)
        .map(str::to_string)
        .unwrap_or_else(|| format!("unknown, type: {op}"));
    put!(
        ctx.out,
        "\n\tEIGRP v{version}, opcode: {opname} ({op}), chksum: 0x{:04x}, Flags: [{}]\n\tseq: 0x{:08x}, ack: 0x{:08x}, VRID: {}, AS: {}, length: {}",
        p.be16(2)?,
        bits(
            &[
                (1, "Init"),
                (2, "Conditionally Received"),
                (4, "Restart"),
                (8, "End-of-Table")
            ],
            p.be32(4)?,
            "none",
            ", "
        ),
        p.be32(8)?,
        p.be32(12)?,
        p.be16(16)?,
        p.be16(18)?,
        len - 20
    );
    eigrp_tlvs(ctx, p, len as usize)
}

const EIGRP_TLVS: &[(u16, &str)] = &[
    (0x0001, "General Parameters"),
    (0x0002, "Authentication"),
    (0x0003, "Sequence"),
    (0x0004, "Software Version"),
    (0x0005, "Next Multicast Sequence"),
    (0x0102, "IP Internal routes"),
    (0x0103, "IP External routes"),
    (0x0202, "AppleTalk Internal routes"),
    (0x0203, "AppleTalk External routes"),
    (0x0204, "AppleTalk Cable Setup"),
];

const EIGRP_EXT_PROTOS: &[(u8, &str)] = &[
    (0x01, "IGRP"),
    (0x02, "EIGRP"),
    (0x03, "Static"),
    (0x04, "RIP"),
    (0x05, "Hello"),
    (0x06, "OSPF"),
    (0x07, "IS-IS"),
    (0x08, "EGP"),
    (0x09, "BGP"),
    (0x0a, "IDRP"),
    (0x0b, "Connected"),
];

fn unknown_data(ctx: &mut Ctx<'_>, b: &[u8]) {
    crate::hex::hex_prefixed(ctx.out, "\n\t    ", b, 0);
}

/// The TLVs of an EIGRP packet with -v.
fn eigrp_tlvs(ctx: &mut Ctx<'_>, p: &[u8], len: usize) -> Res {
    let mut at = 20;
    let mut tlen = len - 20;
    while tlen > 0 {
        p.sub(at, 4)?;
        let typ = p.be16(at)?;
        let tl = usize::from(p.be16(at + 2)?);
        if tl < 4 || tl > tlen {
            let b = p.from(at + 4);
            unknown_data(ctx, &b[..b.len().min(tlen)]);
            return Ok(());
        }
        put!(
            ctx.out,
            "\n\t  {} TLV (0x{typ:04x}), length: {tl}",
            tok(EIGRP_TLVS, typ).unwrap_or("Unknown")
        );
        let t = p.sub(at + 4, tl - 4)?;
        let short = |ctx: &mut Ctx<'_>, need: usize| -> bool {
            if t.len() < need {
                put!(ctx.out, " (too short, < {})", need + 4);
                true
            } else {
                false
            }
        };
        let route = |ctx: &mut Ctx<'_>, plen_at: usize, nexthop: [u8; 4]| -> Res {
            let bitlen = t.u8_at(plen_at)?;
            if bitlen > 32 {
                put!(ctx.out, "\n\t    illegal prefix length {bitlen}");
                return Ok(());
            }
            let n = usize::from(bitlen).div_ceil(8);
            let mut prefix = [0u8; 4];
            prefix[..n].copy_from_slice(t.sub(plen_at + 1, n)?);
            let a = ctx.ip4(prefix);
            put!(ctx.out, "\n\t    IPv4 prefix: {a:>15}/{bitlen}, nexthop: ");
            if nexthop == [0; 4] {
                ctx.s("self");
            } else {
                let n = ctx.ip4(nexthop);
                ctx.s(&n);
            }
            Ok(())
        };
        let metrics = |ctx: &mut Ctx<'_>, at: usize| -> Res {
            put!(
                ctx.out,
                "\n\t      delay {} ms, bandwidth {} Kbps, mtu {}, hop {}, reliability {}, load {}",
                t.be32(at)? / 100,
                t.be32(at + 4)?,
                t.be24(at + 8)?,
                t.u8_at(at + 11)?,
                t.u8_at(at + 12)?,
                t.u8_at(at + 13)?
            );
            Ok(())
        };
        match typ {
            0x0001 => {
                if !short(ctx, 8) {
                    put!(
                        ctx.out,
                        "\n\t    holdtime: {}s, k1 {}, k2 {}, k3 {}, k4 {}, k5 {}",
                        t.be16(6)?,
                        t[0],
                        t[1],
                        t[2],
                        t[3],
                        t[4]
                    );
                }
            }
            0x0004 => {
                if !short(ctx, 4) {
                    put!(
                        ctx.out,
                        "\n\t    IOS version: {}.{}, EIGRP version {}.{}",
                        t[0],
                        t[1],
                        t[2],
                        t[3]
                    );
                }
            }
            0x0102 => {
                if !short(ctx, 22) {
                    route(ctx, 20, crate::ctx::addr4(t, 0)?)?;
                    metrics(ctx, 4)?;
                }
            }
            0x0103 => {
                if !short(ctx, 42) {
                    route(ctx, 40, crate::ctx::addr4(t, 0)?)?;
                    let origin = ctx.ip4(crate::ctx::addr4(t, 4)?);
                    put!(
                        ctx.out,
                        "\n\t      origin-router {origin}, origin-as {}, origin-proto {}, flags [0x{:02x}], tag 0x{:08x}, metric {}",
                        t.be32(8)?,
                        tok(EIGRP_EXT_PROTOS, t[22]).unwrap_or("unknown"),
                        t[23],
                        t.be32(12)?,
                        t.be32(16)?
                    );
                    metrics(ctx, 24)?;
                }
            }
            _ => {
                if ctx.o.verbose <= 1 {
                    unknown_data(ctx, t);
                }
            }
        }
        if ctx.o.verbose > 1 {
            unknown_data(ctx, t);
        }
        at += tl;
        tlen -= tl;
    }
    Ok(())
}

/// `vrrp_print`.
pub(crate) fn vrrp_print(ctx: &mut Ctx<'_>, p: &[u8], len: u32, ttl: u8) -> Res {
    ctx.proto = "vrrp";
    let b = p.u8_at(0)?;
    let (version, typ) = (b >> 4, b & 0xf);
    if typ == 1 {
        put!(ctx.out, "VRRPv{version}, Advertisement");
    } else {
        put!(ctx.out, "VRRPv{version}, unknown type ({typ})");
    }
    if ttl != 255 {
        put!(ctx.out, ", (ttl {ttl})");
    }
    if !(2..=3).contains(&version) || typ != 1 {
        return Ok(());
    }
    put!(ctx.out, ", vrid {}, prio {}", p.u8_at(1)?, p.u8_at(2)?);
    let naddrs = usize::from(p.u8_at(3)?);
    if version == 2 {
        let auth = p.u8_at(4)?;
        let a = match auth {
            0 => "none",
            1 => "simple",
            2 => "ah",
            _ => "",
        };
        put!(ctx.out, ", authtype {a}");
        put!(ctx.out, ", intvl {}s, length {len}", p.u8_at(5)?);
        if ctx.o.verbose > 0 {
            put!(ctx.out, ", addrs");
            if naddrs > 1 {
                ctx.s("(");
                put!(ctx.out, "{naddrs}");
                ctx.s(")");
            }
            ctx.s(":");
            let mut c = ' ';
            for i in 0..naddrs {
                let a = ctx.ip4(crate::ctx::addr4(p, 8 + 4 * i)?);
                put!(ctx.out, "{c}{a}");
                c = ',';
            }
            if auth == 1 {
                let pw = p.sub(8 + 4 * naddrs, 8)?;
                ctx.s(" auth \"");
                for &ch in pw.iter().take_while(|&&c| c != 0) {
                    crate::other::safeputchar(ctx, ch);
                }
                ctx.s("\"");
            }
        }
    } else {
        let intvl = (u16::from(p.u8_at(4)? & 0x0f) << 8) | u16::from(p.u8_at(5)?);
        put!(ctx.out, ", intvl {intvl}cs, length {len}");
    }
    Ok(())
}
