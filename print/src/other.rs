//! Smaller printers: MPLS, PPPoE, PPP, IGMP, AH, ESP, and the stubs for
//! protocols that only get their tcpdump name here.

use crate::ctx::{Bytes, Ctx, Res, Trunc, addr4, put, tok};
use crate::ip::IpInfo;

/// `safeputchar`: printable ASCII as is, the rest as `\0xNN`... tcpdump
/// prints non-printables as `.` in most places; this is its `fn_print`
/// character rule.
pub(crate) fn safeputchar(ctx: &mut Ctx<'_>, c: u8) {
    if (0x20..0x7f).contains(&c) {
        ctx.out.push(c as char);
    } else {
        put!(ctx.out, "\\0x{c:02x}");
    }
}

const MPLS_LABELS: [&str; 16] = [
    "IPv4 explicit NULL",
    "router alert",
    "IPv6 explicit NULL",
    "implicit NULL",
    "rsvd",
    "rsvd",
    "rsvd",
    "rsvd",
    "rsvd",
    "rsvd",
    "rsvd",
    "rsvd",
    "rsvd",
    "rsvd",
    "rsvd",
    "rsvd",
];

/// `mpls_print`: the label stack, then the payload guessed from the
/// label or the first byte.
pub(crate) fn mpls_print(ctx: &mut Ctx<'_>, p: &[u8], mut length: u32) -> Res {
    ctx.proto = "mpls";
    ctx.s("MPLS");
    let mut at = 0;
    let mut depth = 0;
    let entry = loop {
        if length < 4 {
            ctx.s(" (invalid)");
            p.sub(at, length as usize)?;
            return Ok(());
        }
        let e = p.be32(at)?;
        let label = e >> 12;
        put!(
            ctx.out,
            "{}(label {label}",
            if depth > 0 && ctx.o.verbose > 0 {
                "\n\t"
            } else {
                " "
            }
        );
        depth += 1;
        if ctx.o.verbose > 0 && label < 16 {
            put!(ctx.out, " ({})", MPLS_LABELS[label as usize]);
        }
        put!(ctx.out, ", tc {}", (e >> 9) & 7);
        if e & 0x100 != 0 {
            ctx.s(", [S]");
        }
        put!(ctx.out, ", ttl {})", e & 0xff);
        at += 4;
        length -= 4;
        if e & 0x100 != 0 {
            break e;
        }
    };
    let q = p.from(at);
    let pt = match entry >> 12 {
        0 | 3 => 4,
        2 => 6,
        _ => {
            if length < 1 {
                return Ok(());
            }
            match q.u8_at(0)? {
                0x45..=0x4f => 4,
                0x60..=0x6f => 6,
                0x81..=0x83 => 1,
                _ => 0,
            }
        }
    };
    let sep = if ctx.o.verbose > 0 { "\n\t" } else { " " };
    match pt {
        4 => {
            ctx.s(sep);
            crate::ip::ip_print(ctx, q, length)
        }
        6 => {
            ctx.s(sep);
            crate::ip6::ip6_print(ctx, q, length)
        }
        1 => {
            ctx.s(sep);
            isoclns_print(ctx, q, length)
        }
        _ => {
            ctx.default_print(&q[..q.len().min(length as usize)]);
            Ok(())
        }
    }
}

const PPPOE_CODES: &[(u8, &str)] = &[
    (0x09, "PADI"),
    (0x07, "PADO"),
    (0x19, "PADR"),
    (0x65, "PADS"),
    (0xa7, "PADT"),
    (0, ""),
];

const PPPOE_TAGS: &[(u16, &str)] = &[
    (0, "EOL"),
    (0x0101, "Service-Name"),
    (0x0102, "AC-Name"),
    (0x0103, "Host-Uniq"),
    (0x0104, "AC-Cookie"),
    (0x0105, "Vendor-Specific"),
    (0x0110, "Relay-Session-ID"),
    (0x0120, "PPP-Max-Payload"),
    (0x0201, "Service-Name-Error"),
    (0x0202, "AC-System-Error"),
    (0x0203, "Generic-Error"),
];

/// `pppoe_print`: discovery tags or the PPP session payload.
pub(crate) fn pppoe_print(ctx: &mut Ctx<'_>, p: &[u8], length: u32) -> Res {
    ctx.proto = "pppoe";
    if length < 6 {
        put!(ctx.out, " (length {length} < 6) (invalid)");
        return Ok(());
    }
    let length = length - 6;
    let vt = p.u8_at(0)?;
    let code = p.u8_at(1)?;
    let ses = p.be16(2)?;
    let mut plen = u32::from(p.be16(4)?);
    if vt >> 4 != 1 {
        put!(ctx.out, " [ver {}]", vt >> 4);
    }
    if vt & 0xf != 1 {
        put!(ctx.out, " [type {}]", vt & 0xf);
    }
    match tok(PPPOE_CODES, code) {
        Some(n) => put!(ctx.out, "PPPoE {n}"),
        None => put!(ctx.out, "PPPoE PAD-{code:x}"),
    }
    if code == 0x09 && plen > length {
        put!(ctx.out, " [len {plen}!]");
    }
    if plen > length {
        put!(ctx.out, " [len {plen} > {length}!]");
        plen = length;
    }
    if ses != 0 {
        put!(ctx.out, " [ses 0x{ses:x}]");
    }
    let payload = p.from(6);
    if code == 0 {
        ctx.s(" ");
        return ppp_print(ctx, payload, plen);
    }
    let mut at = 0usize;
    let mut tag_type = 0xffffu16;
    while tag_type != 0 && at < plen as usize {
        tag_type = payload.be16(at)?;
        let tag_len = usize::from(payload.be16(at + 2)?);
        at += 4;
        let name = tok(PPPOE_TAGS, tag_type)
            .map(str::to_string)
            .unwrap_or_else(|| format!("TAG-0x{tag_type:x}"));
        if tag_len > 0 {
            let mut text = String::new();
            let (mut ascii, mut garbage) = (0, 0);
            for i in 0..tag_len.min(79) {
                let c = payload.u8_at(at + i)?;
                if (0x20..0x7f).contains(&c) {
                    text.push(c as char);
                    ascii += 1;
                } else {
                    text.push('.');
                    garbage += 1;
                }
            }
            if ascii > garbage {
                put!(ctx.out, " [{name} \"{text}\"]");
            } else {
                put!(ctx.out, " [{name} 0x");
                for i in 0..tag_len {
                    put!(ctx.out, "{:02X}", payload.u8_at(at + i)?);
                }
                ctx.s("]");
            }
        } else {
            put!(ctx.out, " [{name}]");
        }
        at += tag_len;
    }
    Ok(())
}

/// tcpdump's `ppptype2str`.
pub(crate) const PPP_TYPES: &[(u16, &str)] = &[
    (0x21, "IP"),
    (0x23, "OSI"),
    (0x25, "NS"),
    (0x27, "DECNET"),
    (0x29, "APPLE"),
    (0x2b, "IPX"),
    (0x2d, "VJC IP"),
    (0x2f, "VJNC IP"),
    (0x31, "BRPDU"),
    (0x33, "STII"),
    (0x35, "VINES"),
    (0x281, "MPLS"),
    (0x283, "MPLS"),
    (0xfd, "Compressed"),
    (0x3d, "MLPPP"),
    (0x57, "IP6"),
    (0x201, "HELLO"),
    (0x231, "LUXCOM"),
    (0x233, "SNS"),
    (0x8021, "IPCP"),
    (0x8023, "OSICP"),
    (0x8025, "NSCP"),
    (0x8027, "DECNETCP"),
    (0x8029, "APPLECP"),
    (0x802b, "IPXCP"),
    (0x8033, "STIICP"),
    (0x8035, "VINESCP"),
    (0x8057, "IP6CP"),
    (0x8281, "MPLSCP"),
    (0xc021, "LCP"),
    (0xc023, "PAP"),
    (0xc025, "LQM"),
    (0xc223, "CHAP"),
    (0xc227, "EAP"),
    (0xc027, "SPAP"),
    (0xc123, "Old-SPAP"),
    (0xc02b, "BACP"),
    (0xc02d, "BAP"),
    (0xc03d, "MLPPP-CP"),
    (0x80fd, "CCP"),
];

const CP_CODES: &[(u8, &str)] = &[
    (1, "Conf-Request"),
    (2, "Conf-Ack"),
    (3, "Conf-Nack"),
    (4, "Conf-Reject"),
    (5, "Term-Request"),
    (6, "Term-Ack"),
    (7, "Code-Reject"),
    (8, "Protocol-Reject"),
    (9, "Echo-Request"),
    (10, "Echo-Reply"),
    (11, "Discard-Request"),
    (12, "Identification"),
    (13, "Time-Remaining"),
    (14, "Reset-Request"),
    (15, "Reset-Reply"),
];

/// `ppp_print`: the PPP protocol field (after an optional ff 03), then
/// the payload.
pub(crate) fn ppp_print(ctx: &mut Ctx<'_>, p: &[u8], length: u32) -> Res {
    ppp_print_len(ctx, p, length).map(|_| ())
}

/// `ppp_print`, returning the header length.
pub(crate) fn ppp_print_len(ctx: &mut Ctx<'_>, p: &[u8], mut length: u32) -> Res<usize> {
    ctx.proto = "ppp";
    let olen = length;
    // Too short for the header: tcpdump's `goto trunc` and a return.
    if length < 2 {
        ctx.explicit_trunc();
        return Ok(0);
    }
    let mut at = 0;
    let mut proto = p.be16(0)?;
    if proto == 0xff03 {
        if length < 4 {
            ctx.explicit_trunc();
            return Ok(0);
        }
        at = 2;
        length -= 2;
    }
    if p.u8_at(at)? & 1 == 1 {
        proto = u16::from(p.u8_at(at)?);
        at += 1;
        length -= 1;
    } else {
        proto = p.be16(at)?;
        at += 2;
        length -= 2;
    }
    if ctx.o.link_header {
        put!(
            ctx.out,
            "{} (0x{proto:04x}), length {olen}: ",
            tok(PPP_TYPES, proto).unwrap_or("unknown")
        );
    }
    handle_ppp(ctx, proto, p.from(at), length)?;
    Ok(at)
}

/// `handle_ppp`: the payload of PPP protocol `proto`.
pub(crate) fn handle_ppp(ctx: &mut Ctx<'_>, proto: u16, p: &[u8], length: u32) -> Res {
    match proto {
        0xc021 | 0x8021 | 0x8023 | 0x8281 | 0x8057 | 0x80fd | 0xc02b => {
            ctrl_proto(ctx, proto, p, length)
        }
        0x0800 | 0x2f | 0x21 => crate::ip::ip_print(ctx, p, length),
        0x86dd | 0x57 => crate::ip6::ip6_print(ctx, p, length),
        0x8137 | 0x2b => ipx_print(ctx, p, length),
        0x23 => isoclns_print(ctx, p, length),
        0x281 | 0x283 => mpls_print(ctx, p, length),
        0xfd => {
            ctx.s("compressed PPP data");
            Ok(())
        }
        _ => {
            match tok(PPP_TYPES, proto) {
                Some(n) => put!(ctx.out, "{n} "),
                None => put!(ctx.out, "unknown PPP protocol (0x{proto:04x}) "),
            }
            crate::hex::hex_prefixed(ctx.out, "\n\t", &p[..p.len().min(length as usize)], 0);
            Ok(())
        }
    }
}

fn ctrl_proto(ctx: &mut Ctx<'_>, proto: u16, p: &[u8], length: u32) -> Res {
    let name = tok(PPP_TYPES, proto)
        .map(str::to_string)
        .unwrap_or_else(|| format!("unknown ctrl-proto (0x{proto:04x})"));
    let code = p.u8_at(0)?;
    put!(
        ctx.out,
        "{name}, {} (0x{code:02x}), id {}, length {}",
        tok(CP_CODES, code).unwrap_or("Unknown Opcode"),
        p.u8_at(1)?,
        length + 2
    );
    Ok(())
}

/// IPX (print-ipx.c): addresses and sockets, then the socket's protocol.
pub(crate) fn ipx_print(ctx: &mut Ctx<'_>, p: &[u8], length: u32) -> Res {
    ctx.proto = "ipx";
    let _ = length;
    if !ctx.o.link_header {
        ctx.s("IPX ");
    }
    let addr = |at: usize| -> Res<String> {
        Ok(format!(
            "{:08x}.{}",
            p.be32(at)?,
            crate::ctx::Mac(p.sub(at + 4, 6)?, false)
        ))
    };
    put!(ctx.out, "{}.{:04x} > ", addr(18)?, p.be16(28)?);
    put!(ctx.out, "{}.{:04x}: ", addr(6)?, p.be16(16)?);
    let len = u32::from(p.be16(2)?);
    if len < 30 {
        put!(ctx.out, "[length {len} < 30] (invalid)");
        return Ok(());
    }
    let len = len - 30;
    match p.be16(16)? {
        0x0455 => put!(ctx.out, "ipx-netbios {len}"),
        0x0456 => put!(ctx.out, "ipx-diags {len}"),
        0x0457 => put!(ctx.out, "ipx-sap? {len}"),
        s => put!(ctx.out, "ipx-#{s:x} {len}"),
    }
    Ok(())
}

/// OSI protocols: see [`crate::isis`].
pub(crate) fn isoclns_print(ctx: &mut Ctx<'_>, p: &[u8], length: u32) -> Res {
    crate::isis::isoclns_print(ctx, p, length)
}

/// Ethernet configuration testing protocol (print-loopback.c).
pub(crate) fn loopback_print(ctx: &mut Ctx<'_>, p: &[u8], length: u32) -> Res {
    ctx.proto = "loopback";
    ctx.s("Loopback");
    let mut len = length as usize;
    let invalid = |ctx: &mut Ctx<'_>, at: usize, len: usize| -> Res {
        ctx.s(" (invalid)");
        p.sub(at, len)?;
        Ok(())
    };
    if len < 2 {
        return invalid(ctx, 0, len);
    }
    let skip = usize::from(p.le16(0)?);
    let mut at = 2;
    len -= 2;
    put!(ctx.out, ", skipCount {skip}");
    if skip % 8 != 0 {
        ctx.s(" (bogus)");
    }
    if skip > len {
        return invalid(ctx, at, len);
    }
    at += skip;
    len -= skip;
    if len < 2 {
        return invalid(ctx, at, len);
    }
    let function = p.le16(at)?;
    at += 2;
    len -= 2;
    match function {
        1 => ctx.s(", Reply"),
        2 => ctx.s(", Forward Data"),
        f => put!(ctx.out, ",  invalid ({f})"),
    }
    match function {
        1 => {
            if len < 2 {
                return invalid(ctx, at, len);
            }
            put!(ctx.out, ", receipt number {}", p.le16(at)?);
            at += 2;
            len -= 2;
            put!(ctx.out, ", data ({len} octets)");
        }
        2 => {
            if len < 6 {
                return invalid(ctx, at, len);
            }
            put!(
                ctx.out,
                ", forwarding address {}",
                crate::ctx::Mac(p.sub(at, 6)?, ctx.o.numeric == 0)
            );
            at += 6;
            len -= 6;
            put!(ctx.out, ", data ({len} octets)");
        }
        _ => {}
    }
    p.sub(at, len)?;
    Ok(())
}

/// The protocols this crate names without decoding them: the name and
/// the length.
fn summary_only(ctx: &mut Ctx<'_>, proto: &'static str, name: &str, length: u32) -> Res {
    ctx.proto = proto;
    put!(ctx.out, "{name}, length {length}");
    Ok(())
}

/// EAPOL (802.1X) frame header: `EAPOL start (1) v1, len 0` (an EAP
/// packet's contents are printed with -v only; not done here).
pub(crate) fn eapol_print(ctx: &mut Ctx<'_>, p: &[u8], _length: u32) -> Res {
    ctx.proto = "eap";
    let Ok(h) = p.sub(0, 4) else {
        return ctx.trunc();
    };
    let name = match h[1] {
        0 => "EAP packet",
        1 => "EAPOL start",
        2 => "EAPOL logoff",
        3 => "EAPOL key",
        4 => "Encapsulated ASF alert",
        _ => "unknown",
    };
    put!(ctx.out, "{name} ({}) v{}, len {}", h[1], h[0], p.be16(2)?);
    Ok(())
}

/// Slow protocols (LACP, marker, OAM): only the summary.
pub(crate) fn slow_print(ctx: &mut Ctx<'_>, _p: &[u8], length: u32) -> Res {
    summary_only(ctx, "slow", "Slow Protocols", length)
}

const IGMPV3_REPORT: &[(u8, &str)] = &[
    (1, "is_in"),
    (2, "is_ex"),
    (3, "to_in"),
    (4, "to_ex"),
    (5, "allow"),
    (6, "block"),
];

/// `igmp_print`.
pub(crate) fn igmp_print(ctx: &mut Ctx<'_>, p: &[u8], len: u32) -> Res {
    ctx.proto = "igmp";
    if ctx.o.quiet > 0 {
        ctx.s("igmp");
        return Ok(());
    }
    let typ = p.u8_at(0)?;
    match typ {
        0x11 => {
            ctx.s("igmp query");
            if len >= 12 {
                igmpv3_query(ctx, p, len)?;
            } else {
                let mrt = p.u8_at(1)?;
                if mrt != 0 {
                    ctx.s(" v2");
                    if mrt != 100 {
                        put!(ctx.out, " [max resp time {mrt}]");
                    }
                } else {
                    ctx.s(" v1");
                }
                if p.be32(4)? != 0 {
                    let g = ctx.ip4(addr4(p, 4)?);
                    put!(ctx.out, " [gaddr {g}]");
                }
                if len != 8 {
                    put!(ctx.out, " [len {len}]");
                }
            }
        }
        0x12 => {
            let g = ctx.ip4(addr4(p, 4)?);
            put!(ctx.out, "igmp v1 report {g}");
            if len != 8 {
                put!(ctx.out, " [len {len}]");
            }
        }
        0x16 => {
            let g = ctx.ip4(addr4(p, 4)?);
            put!(ctx.out, "igmp v2 report {g}");
        }
        0x22 => {
            ctx.s("igmp v3 report");
            igmpv3_report(ctx, p, len)?;
        }
        0x17 => {
            let g = ctx.ip4(addr4(p, 4)?);
            put!(ctx.out, "igmp leave {g}");
        }
        0x13 => ctx.s("igmp dvmrp"),
        0x14 => {
            ctx.s("igmp pimv1");
            pimv1(ctx, p)?;
        }
        _ => put!(ctx.out, "igmp-{typ}"),
    }
    if ctx.o.verbose > 0
        && len >= 4
        && p.has(0, len as usize)
        && crate::ctx::in_cksum(&[&p[..len as usize]]) != 0
    {
        put!(ctx.out, " bad igmp cksum {:x}!", p.be16(2)?);
    }
    Ok(())
}

/// The start of an IGMPv3 or MLDv2 report: the number of group records
/// when the length is valid and -v asks for them.
pub(crate) fn report_groups(
    ctx: &mut Ctx<'_>,
    p: &[u8],
    len: u32,
    valid: bool,
) -> Res<Option<u16>> {
    if !valid {
        put!(ctx.out, " [invalid len {len}]");
        return Ok(None);
    }
    let n = p.be16(6)?;
    put!(ctx.out, ", {n} group record(s)");
    Ok((ctx.o.verbose > 0).then_some(n))
}

/// PIM version 1, carried in IGMP.
fn pimv1(ctx: &mut Ctx<'_>, p: &[u8]) -> Res {
    const TYPES: [&str; 9] = [
        "Query",
        "Register",
        "Register-Stop",
        "Join/Prune",
        "RP-reachable",
        "Assert",
        "Graft",
        "Graft-ACK",
        "Mode",
    ];
    let typ = p.u8_at(1)?;
    match TYPES.get(usize::from(typ)) {
        Some(n) => put!(ctx.out, " {n}"),
        None => put!(ctx.out, " [type {typ}]"),
    }
    match typ {
        0 => {
            if let Ok(m) = p.u8_at(8) {
                match m >> 4 {
                    0 => ctx.s(" Dense-mode"),
                    1 => ctx.s(" Sparse-mode"),
                    2 => ctx.s(" Sparse-Dense-mode"),
                    m => put!(ctx.out, " mode-{m}"),
                }
            }
            if ctx.o.verbose > 0 {
                put!(
                    ctx.out,
                    " (Hold-time {})",
                    crate::icmp::relts(u32::from(p.be16(10)?))
                );
            }
        }
        4 if ctx.o.verbose > 0 => {
            let g = ctx.ip4(addr4(p, 8)?);
            put!(ctx.out, " group {g}");
            if p.be32(12)? != u32::MAX {
                let m = ctx.ip4(addr4(p, 12)?);
                put!(ctx.out, "/{m}");
            }
            let rp = ctx.ip4(addr4(p, 16)?);
            put!(
                ctx.out,
                " RP {rp} hold {}",
                crate::icmp::relts(u32::from(p.be16(22)?))
            );
        }
        _ => {}
    }
    Ok(())
}

fn igmpv3_report(ctx: &mut Ctx<'_>, p: &[u8], len: u32) -> Res {
    let Some(n) = report_groups(ctx, p, len, len >= 16 && len & 3 == 0)? else {
        return Ok(());
    };
    let len = len as usize;
    let mut g = 8;
    for _ in 0..n {
        if len < g + 8 {
            ctx.s(" [invalid number of groups]");
            return Ok(());
        }
        let a = ctx.ip4(addr4(p, g + 4)?);
        put!(ctx.out, " [gaddr {a}");
        let t = p.u8_at(g)?;
        match tok(IGMPV3_REPORT, t) {
            Some(n) => put!(ctx.out, " {n}"),
            None => put!(ctx.out, "  [v3-report-#{t}]"),
        }
        let nsrcs = usize::from(p.be16(g + 2)?);
        if len < g + 8 + (nsrcs << 2) {
            put!(ctx.out, " [invalid number of sources {nsrcs}]");
            return Ok(());
        }
        let all = ctx.o.verbose > 1;
        ctx.sources(
            nsrcs,
            all,
            |ctx, j| Ok(ctx.ip4(addr4(p, g + 8 + (j << 2))?)),
        )?;
        g += 8 + (nsrcs << 2);
        ctx.s("]");
    }
    Ok(())
}

fn igmpv3_query(ctx: &mut Ctx<'_>, p: &[u8], len: u32) -> Res {
    ctx.s(" v3");
    if len < 12 || len & 3 != 0 {
        put!(ctx.out, " [invalid len {len}]");
        return Ok(());
    }
    let mrc = u32::from(p.u8_at(1)?);
    let mrt = if mrc < 128 {
        mrc
    } else {
        ((mrc & 0x0f) | 0x10) << (((mrc & 0x70) >> 4) + 3)
    };
    if mrc != 100 {
        ctx.s(" [max resp time ");
        if mrt < 600 {
            put!(ctx.out, "{:.1}s", f64::from(mrt) * 0.1);
        } else {
            let t = crate::icmp::relts(mrt / 10);
            ctx.s(&t);
        }
        ctx.s("]");
    }
    if p.be32(4)? == 0 {
        return Ok(());
    }
    let g = ctx.ip4(addr4(p, 4)?);
    put!(ctx.out, " [gaddr {g}");
    let nsrcs = usize::from(p.be16(10)?);
    if nsrcs > 0 {
        if (len as usize) < 12 + (nsrcs << 2) {
            ctx.s(" [invalid number of sources]");
        } else {
            let all = ctx.o.verbose > 1;
            ctx.sources(nsrcs, all, |ctx, i| Ok(ctx.ip4(addr4(p, 12 + (i << 2))?)))?;
        }
    }
    ctx.s("]");
    Ok(())
}

/// `ah_print`: returns how far the next header is, or `None` when the
/// rest is not decoded.
pub(crate) fn ah_print(ctx: &mut Ctx<'_>, p: &[u8]) -> Res<Option<usize>> {
    ctx.proto = "ah";
    let sumlen = usize::from(p.u8_at(1)?) << 2;
    let spi = p.be32(4)?;
    ctx.s("AH(");
    if ctx.o.verbose > 0 {
        let l = p.u8_at(1)?;
        put!(ctx.out, "length={l}({}-bytes),", (usize::from(l) + 2) * 4);
    }
    put!(ctx.out, "spi=0x{spi:08x}");
    put!(ctx.out, ",seq=0x{:x}", p.be32(8)?);
    if !p.has(0, sumlen + 8) {
        ctx.s(")");
        return Err(Trunc);
    }
    ctx.s(",icv=0x");
    for &b in p.sub(12, sumlen.saturating_sub(4))? {
        put!(ctx.out, "{b:02x}");
    }
    ctx.s("): ");
    Ok(Some(sumlen + 8))
}

/// `esp_print` (no decryption): SPI, sequence number, length.
pub(crate) fn esp_print(ctx: &mut Ctx<'_>, p: &[u8], length: u32) -> Res {
    ctx.proto = "esp";
    if p.len() <= 8 {
        // tcpdump wants more than the SPI and sequence number captured.
        return ctx.trunc();
    }
    let spi = p.be32(0)?;
    let seq = p.be32(4)?;
    put!(
        ctx.out,
        "ESP(spi=0x{spi:08x},seq=0x{seq:x}), length {length}"
    );
    Ok(())
}

/// The smaller protocols above IP; false for those tcpdump names only by
/// number.
pub(crate) fn ip_proto_print(
    ctx: &mut Ctx<'_>,
    p: &[u8],
    len: u32,
    ip: IpInfo<'_>,
    nh: u8,
) -> Res<bool> {
    match nh {
        113 => pgm_print(ctx, p, ip, len)?,
        33 => dccp_print(ctx, p, len, ip)?,
        _ => return Ok(false),
    }
    Ok(true)
}

/// `pgm_print` (without -v), over IP or (`-T pgm`) UDP; `ip_payload_len`:
/// the IP or UDP payload length.
pub(crate) fn pgm_print(ctx: &mut Ctx<'_>, p: &[u8], ip: IpInfo<'_>, ip_payload_len: u32) -> Res {
    ctx.proto = "pgm";
    if !p.has(2, 2) {
        let (s, d) = (ip.src(ctx)?, ip.dst(ctx)?);
        put!(ctx.out, "{s} > {d}:");
        return Err(Trunc);
    }
    let (sp, dp) = (ctx.tcp_port(p.be16(0)?), ctx.tcp_port(p.be16(2)?));
    // The addresses when the IP header's protocol is PGM's (not over UDP).
    if ip.nh == 113 {
        let (s, d) = (ip.src(ctx)?, ip.dst(ctx)?);
        put!(ctx.out, "{s}.{sp} > {d}.{dp}: ");
    } else {
        put!(ctx.out, "{sp} > {dp}: ");
    }
    p.sub(0, 16)?;
    put!(ctx.out, "PGM, length {}", p.be16(14)?);
    if ctx.o.verbose == 0 {
        return Ok(());
    }
    ctx.s(" 0x");
    for &b in &p[8..14] {
        put!(ctx.out, "{b:02x}");
    }
    ctx.s(" ");
    // A network-layer address: AFI, reserved, address; its text and length.
    // `afi`: where the family is read (tcpdump reads a NAK's group
    // family from the start of the address itself).
    let nla_at = |ctx: &mut Ctx<'_>, afi: usize, at: usize| -> Res<(String, usize)> {
        match p.be16(afi)? {
            1 => Ok((ctx.ip4(addr4(p, at)?), 8)),
            2 => Ok((ctx.ip6(crate::ctx::addr16(p, at)?), 20)),
            _ => Err(Trunc),
        }
    };
    let nla = |ctx: &mut Ctx<'_>, at: usize| nla_at(ctx, at, at + 4);
    let b = 16;
    match p[4] {
        0x00 => {
            let (a, _) = nla(ctx, b + 12)?;
            put!(
                ctx.out,
                "SPM seq {} trail {} lead {} nla {a}",
                p.be32(b)?,
                p.be32(b + 4)?,
                p.be32(b + 8)?
            );
        }
        0x01 => {
            let (a, n) = nla(ctx, b + 8)?;
            let r = b + 8 + n;
            put!(
                ctx.out,
                "POLL seq {} round {} nla {a} ivl {} rnd 0x{:08x} mask 0x{:08x}",
                p.be32(b)?,
                p.be16(b + 4)?,
                p.be32(r)?,
                p.be32(r + 4)?,
                p.be32(r + 8)?
            );
        }
        0x02 => put!(ctx.out, "POLR seq {} round {}", p.be32(b)?, p.be16(b + 4)?),
        t @ (0x04 | 0x05) => put!(
            ctx.out,
            "{} trail {} seq {}",
            if t == 4 { "ODATA" } else { "RDATA" },
            p.be32(b + 4)?,
            p.be32(b)?
        ),
        t @ (0x08..=0x0a) => {
            let (src, n) = nla(ctx, b + 4)?;
            // tcpdump 4.99 skips the group's AFI and reserved field and
            // then reads the AFI from the address itself.
            let group = b + 4 + n + 4;
            let (grp, _) = nla_at(ctx, group, group)?;
            let name = match t {
                8 => "NAK ",
                9 => "NNAK ",
                _ => "NCF ",
            };
            put!(ctx.out, "{name}({src} -> {grp}), seq {}", p.be32(b)?);
        }
        0x0c => ctx.s("SPMR"),
        t => put!(ctx.out, "UNKNOWN type 0x{t:02x}"),
    }
    if p[5] & 0x01 != 0 {
        // Options are not decoded here.
        return Ok(());
    }
    put!(ctx.out, " [{}]", ip_payload_len);
    // -T pgm_zmtp1: the data of ODATA and RDATA as ZeroMQ datagrams.
    if ctx.o.packet_type == Some("pgm_zmtp1") && matches!(p[4], 0x04 | 0x05) {
        crate::zmtp1::zmtp1_datagram(ctx, p.from(24), u32::from(p.be16(14)?))?;
    }
    Ok(())
}

const DCCP_TYPES: &[(u8, &str)] = &[
    (0, "DCCP-Request"),
    (1, "DCCP-Response"),
    (2, "DCCP-Data"),
    (3, "DCCP-Ack"),
    (4, "DCCP-DataAck"),
    (5, "DCCP-CloseReq"),
    (6, "DCCP-Close"),
    (7, "DCCP-Reset"),
    (8, "DCCP-Sync"),
    (9, "DCCP-SyncAck"),
];

/// `dccp_print`: the header; -v adds the checksum verdict, -vv the
/// sequence number and the options.
fn dccp_print(ctx: &mut Ctx<'_>, p: &[u8], len: u32, ip: IpInfo<'_>) -> Res {
    ctx.proto = "dccp";
    if p.len() < 12 {
        return Err(Trunc);
    }
    if len < 12 {
        put!(ctx.out, "truncated-dccp - {} bytes missing!", 12 - len);
        return Ok(());
    }
    let x = p.u8_at(8)? & 1 != 0;
    let fixed = if x { 16 } else { 12 };
    if len < fixed {
        put!(ctx.out, "truncated-dccp - {} bytes missing!", fixed - len);
        return Ok(());
    }
    p.sub(0, fixed as usize)?;
    let (sport, dport) = (p.be16(0)?, p.be16(2)?);
    let hlen = u32::from(p.u8_at(4)?) * 4;
    let (s, d) = (ip.src(ctx)?, ip.dst(ctx)?);
    put!(ctx.out, "{s}.{sport} > {d}.{dport}: DCCP");
    if ctx.o.quiet > 0 {
        put!(ctx.out, " {}", len.wrapping_sub(hlen));
        if hlen > len {
            put!(ctx.out, " [bad hdr length {hlen} - too long, > {len}]");
        }
        return Ok(());
    }
    if ctx.o.verbose > 0 {
        let b = p.u8_at(5)?;
        put!(ctx.out, " (CCVal {}, CsCov {}", b >> 4, b & 0xf);
        if p.has(0, len as usize) && !ctx.o.no_checksums {
            let cov = match b & 0xf {
                0 => len,
                // tcpdump's `dccp_csum_coverage`: the header and
                // CsCov - 1 words of data
                c => (u32::from(c) + u32::from(p.u8_at(4)?) - 1) * 4,
            }
            .min(len);
            let sum = crate::ctx::in_cksum(&[&ip.pseudo(len), &p[..cov as usize]]);
            let c = p.be16(6)?;
            put!(ctx.out, ", cksum 0x{c:04x} ");
            if sum != 0 {
                put!(
                    ctx.out,
                    "(incorrect -> 0x{:04x})",
                    crate::ctx::cksum_shouldbe(c, sum)
                );
            } else {
                ctx.s("(correct)");
            }
        }
        ctx.s(")");
    }
    ctx.s(" ");
    let typ = (p.u8_at(8)? >> 1) & 0xf;
    let name = tok(DCCP_TYPES, typ);
    let extra = match typ {
        0 => 4,
        1 | 7 => 12,
        3..=6 | 8 | 9 => 8,
        _ => 0,
    };
    if len < fixed + extra {
        put!(
            ctx.out,
            "truncated-{} - {} bytes missing!",
            name.unwrap_or(""),
            fixed + extra - len
        );
        return Ok(());
    }
    let f = fixed as usize;
    match typ {
        0 => put!(ctx.out, "{} (service={}) ", name.unwrap_or(""), p.be32(f)?),
        1 => put!(
            ctx.out,
            "{} (service={}) ",
            name.unwrap_or(""),
            p.be32(f + 8)?
        ),
        7 => put!(
            ctx.out,
            "{} (code={}) ",
            name.unwrap_or(""),
            reset_code(p.u8_at(f + 8)?)
        ),
        _ => match name {
            Some(n) => put!(ctx.out, "{n} "),
            None => put!(ctx.out, "unknown-type-{typ} "),
        },
    }
    if typ != 2 && typ != 0 {
        let ack = if x {
            p.sub(f, 8)?;
            p.sub(f + 2, 6)?
                .iter()
                .fold(0u64, |a, &b| a << 8 | u64::from(b))
        } else {
            p.sub(f, 4)?;
            u64::from(p.be24(f + 1)?)
        };
        put!(ctx.out, "(ack={ack}) ");
    }
    if ctx.o.verbose < 2 {
        return Ok(());
    }
    let seq = if x {
        p.sub(10, 6)?
            .iter()
            .fold(0u64, |a, &b| a << 8 | u64::from(b))
    } else {
        u64::from(p.be24(9)?)
    };
    put!(ctx.out, "seq {seq}");
    let fixed_all = fixed + extra;
    if hlen > fixed_all {
        ctx.s(" <");
        let mut left = (hlen - fixed_all) as usize;
        let mut at = fixed_all as usize;
        loop {
            let used = dccp_option(ctx, p, at, left)?;
            if used == 0 || left <= used {
                break;
            }
            left -= used;
            at += used;
            ctx.s(", ");
        }
        ctx.s(">");
    }
    Ok(())
}

const DCCP_OPTIONS: &[(u8, &str)] = &[
    (0, "nop"),
    (1, "mandatory"),
    (2, "slowreceiver"),
    (32, "change_l"),
    (33, "confirm_l"),
    (34, "change_r"),
    (35, "confirm_r"),
    (36, "initcookie"),
    (37, "ndp_count"),
    (38, "ack_vector0"),
    (39, "ack_vector1"),
    (40, "data_dropped"),
    (41, "timestamp"),
    (42, "timestamp_echo"),
    (43, "elapsed_time"),
    (44, "data_checksum"),
];

const DCCP_FEATURES: [&str; 10] = [
    "reserved",
    "ccid",
    "allow_short_seqno",
    "sequence_window",
    "ecn_incapable",
    "ack_ratio",
    "send_ack_vector",
    "send_ndp_count",
    "minimum checksum coverage",
    "check data checksum",
];

/// One DCCP option (`dccp_print_option`, -vv); its length, 0 to stop.
fn dccp_option(ctx: &mut Ctx<'_>, p: &[u8], at: usize, left: usize) -> Res<usize> {
    let o = p.u8_at(at)?;
    let name = |o: u8| match tok(DCCP_OPTIONS, o) {
        Some(n) => n.to_string(),
        None => format!("Option {o}"),
    };
    let len = if o >= 32 {
        let l = usize::from(p.u8_at(at + 1)?);
        if l < 2 {
            if o >= 128 {
                put!(ctx.out, "CCID option {o} optlen too short");
            } else {
                put!(ctx.out, "{} optlen too short", name(o));
            }
            return Ok(0);
        }
        l
    } else {
        1
    };
    if left < len {
        if o >= 128 {
            put!(ctx.out, "CCID option {o} optlen goes past header length");
        } else {
            put!(ctx.out, "{} optlen goes past header length", name(o));
        }
        return Ok(0);
    }
    let v = p.sub(at, len)?;
    if o >= 128 {
        put!(ctx.out, "CCID option {o}");
        match len {
            4 => put!(ctx.out, " {}", v.be16(2)?),
            6 => put!(ctx.out, " {}", v.be32(2)?),
            _ => {}
        }
        return Ok(len);
    }
    ctx.s(&name(o));
    let hex = |ctx: &mut Ctx<'_>, prefix: &str| {
        if len > 2 {
            ctx.s(prefix);
            for b in &v[2..] {
                put!(ctx.out, "{b:02x}");
            }
        }
    };
    match o {
        32..=35 => {
            if len < 3 {
                ctx.s(" optlen too short");
                return Ok(len);
            }
            if let Some(f) = DCCP_FEATURES.get(usize::from(v[2])) {
                put!(ctx.out, " {f}");
                for b in &v[3..] {
                    put!(ctx.out, " {b}");
                }
            }
        }
        36 | 38..=40 => hex(ctx, " 0x"),
        37 => {
            for b in &v[2..] {
                put!(ctx.out, " {b}");
            }
        }
        41 if len == 6 => put!(ctx.out, " {}", v.be32(2)?),
        41 => ctx.s(" [optlen != 6]"),
        42 => match len {
            6 => put!(ctx.out, " {}", v.be32(2)?),
            8 => put!(ctx.out, " {} {}", v.be32(2)?, v.be16(6)?),
            10 => put!(ctx.out, " {} {}", v.be32(2)?, v.be32(6)?),
            _ => ctx.s(" [optlen != 6 or 8 or 10]"),
        },
        43 => match len {
            6 => put!(ctx.out, " {}", v.be32(2)?),
            4 => put!(ctx.out, " {}", v.be16(2)?),
            _ => ctx.s(" [optlen != 4 or 6]"),
        },
        44 => hex(ctx, " "),
        _ => {}
    }
    Ok(len)
}

fn reset_code(c: u8) -> String {
    const CODES: [&str; 12] = [
        "unspecified",
        "closed",
        "aborted",
        "no_connection",
        "packet_error",
        "option_error",
        "mandatory_error",
        "connection_refused",
        "bad_service_code",
        "too_busy",
        "bad_init_cookie",
        "aggression_penalty",
    ];
    CODES
        .get(usize::from(c))
        .map(|s| s.to_string())
        .unwrap_or_else(|| "invalid".to_string())
}

/// UDLD (print-udld.c), without -v.
pub(crate) fn udld_print(ctx: &mut Ctx<'_>, p: &[u8], length: u32) -> Res {
    ctx.proto = "udld";
    if length < 4 {
        ctx.s(" (invalid)");
        return Ok(());
    }
    let b0 = p.u8_at(0)?;
    let flags = p.u8_at(1)?;
    let code = b0 & 0x1f;
    let cname = match code {
        0 => "Reserved",
        1 => "Probe message",
        2 => "Echo message",
        3 => "Flush message",
        _ => "Reserved",
    };
    put!(
        ctx.out,
        "UDLDv{}, Code {cname} ({code:x}), Flags [{}] (0x{flags:02x}), length {length}",
        b0 >> 5,
        crate::ctx::bits(&[(1, "RT"), (2, "RSY")], u32::from(flags), "none", ", ")
    );
    if ctx.o.verbose > 0 {
        udld_tlvs(ctx, p, length as usize)?;
    }
    p.sub(0, length as usize)?;
    Ok(())
}

/// The UDLD TLVs with -v.
fn udld_tlvs(ctx: &mut Ctx<'_>, p: &[u8], length: usize) -> Res {
    const TLVS: &[(u16, &str)] = &[
        (1, "Device-ID TLV"),
        (2, "Port-ID TLV"),
        (3, "Echo TLV"),
        (4, "Message Interval TLV"),
        (5, "Timeout Interval TLV"),
        (6, "Device Name TLV"),
        (7, "Sequence Number TLV"),
    ];
    put!(ctx.out, "\n\tChecksum 0x{:04x} (unverified)", p.be16(2)?);
    let mut at = 4;
    while at < length {
        let typ = p.be16(at)?;
        let len = usize::from(p.be16(at + 2)?);
        put!(
            ctx.out,
            "\n\t{} (0x{typ:04x}) TLV, length {len}",
            tok(TLVS, typ).unwrap_or("Unknown")
        );
        if typ == 0 || len <= 4 {
            ctx.s(" (invalid)");
            return Ok(());
        }
        let v = p.sub(at + 4, len - 4)?;
        match typ {
            1 | 2 | 6 => {
                ctx.s(", ");
                for &c in v.iter().take_while(|&&c| c != 0) {
                    crate::ctx::fn_char(ctx.out, c);
                }
            }
            3 => {
                ctx.s(", ");
                for &c in v {
                    crate::ctx::fn_char(ctx.out, c);
                }
            }
            4 | 5 if v.len() == 1 => put!(ctx.out, ", {}s", v[0]),
            7 if v.len() == 4 => put!(ctx.out, ", {}", v.be32(0)?),
            4 | 5 | 7 => {
                ctx.s(" (invalid)");
                return Ok(());
            }
            _ => {}
        }
        at += len;
    }
    Ok(())
}

/// The application protocols tcpdump recognises on TCP ports.
pub(crate) fn tcp_application(
    ctx: &mut Ctx<'_>,
    sport: u16,
    dport: u16,
    p: &[u8],
    length: u32,
) -> Res {
    let is = |port: u16| sport == port || dport == port;
    let raw = p;
    let p = &p[..p.len().min(length as usize)];
    if is(179) {
        crate::bgp::bgp_print(ctx, p)?;
    } else if is(1723) {
        crate::pptp::pptp_print(ctx, raw)?;
    } else if is(21) {
        ctx.s(": ");
        ctx.proto = "ftp";
        txtproto_print(ctx, p, length, None)?;
    } else if is(22) {
        ssh_print(ctx, p, length)?;
    } else if is(25) {
        ctx.s(": ");
        ctx.proto = "smtp";
        txtproto_print(ctx, p, length, None)?;
    } else if is(80) || is(8080) {
        ctx.s(": ");
        ctx.proto = "http";
        txtproto_print(ctx, p, length, Some(HTTP_CMDS))?;
    } else if is(6633) || is(6653) {
        openflow_print(ctx, p, length)?;
    } else if is(6379) {
        crate::resp::resp_print(ctx, p, length)?;
    } else if is(554) || is(8554) {
        ctx.s(": ");
        ctx.proto = "rtsp";
        txtproto_print(ctx, p, length, Some(RTSP_CMDS))?;
    } else if is(323) {
        crate::rpki::rpki_rtr_print(ctx, p, length)?;
    } else if is(646) {
        ctx.proto = "ldp";
        let cx = crate::app::Ctx {
            verbose: ctx.o.verbose,
            numeric: ctx.o.numeric > 0,
        };
        crate::app::ldp::print(ctx.out, &cx, crate::app::Bytes(p), length)?;
    }
    Ok(())
}

const OF10_TYPES: [&str; 22] = [
    "HELLO",
    "ERROR",
    "ECHO_REQUEST",
    "ECHO_REPLY",
    "VENDOR",
    "FEATURES_REQUEST",
    "FEATURES_REPLY",
    "GET_CONFIG_REQUEST",
    "GET_CONFIG_REPLY",
    "SET_CONFIG",
    "PACKET_IN",
    "FLOW_REMOVED",
    "PORT_STATUS",
    "PACKET_OUT",
    "FLOW_MOD",
    "PORT_MOD",
    "STATS_REQUEST",
    "STATS_REPLY",
    "BARRIER_REQUEST",
    "BARRIER_REPLY",
    "QUEUE_GET_CONFIG_REQUEST",
    "QUEUE_GET_CONFIG_REPLY",
];

/// OpenFlow (print-openflow.c) without -v: the header of each message.
fn openflow_print(ctx: &mut Ctx<'_>, p: &[u8], length: u32) -> Res {
    ctx.proto = "openflow";
    ctx.s(": OpenFlow");
    let mut len = length as usize;
    let mut at = 0;
    while len > 0 {
        if len < 8 {
            ctx.s(" (invalid)");
            p.sub(at, len)?;
            return Ok(());
        }
        let version = p.u8_at(at)?;
        let ver = match version {
            1 => "1.0".to_string(),
            2 => "1.1".to_string(),
            3 => "1.2".to_string(),
            4 => "1.3".to_string(),
            5 => "1.4".to_string(),
            6 => "1.5".to_string(),
            v => format!("unknown (0x{v:02x})"),
        };
        put!(ctx.out, "\n\tversion {ver}");
        let typ = p.u8_at(at + 1)?;
        match OF10_TYPES.get(usize::from(typ)) {
            Some(n) if version == 1 => put!(ctx.out, ", type {n}"),
            _ => put!(ctx.out, ", type unknown (0x{typ:02x})"),
        }
        let mlen = usize::from(p.be16(at + 2)?);
        put!(
            ctx.out,
            ", length {mlen}{}",
            if mlen < 8 { " (too short!)" } else { "" }
        );
        put!(ctx.out, ", xid 0x{:08x}", p.be32(at + 4)?);
        if mlen < 8 {
            ctx.s(" (invalid)");
            p.sub(at, len)?;
            return Ok(());
        }
        // The message body is decoded with -v only; skip it.
        let body = mlen.min(len);
        p.sub(at, body)?;
        at += body;
        len -= body;
    }
    Ok(())
}

const RTSP_CMDS: &[&str] = &[
    "DESCRIBE",
    "ANNOUNCE",
    "GET_PARAMETER",
    "OPTIONS",
    "PAUSE",
    "PLAY",
    "RECORD",
    "REDIRECT",
    "SETUP",
    "SET_PARAMETER",
    "TEARDOWN",
];

const HTTP_CMDS: &[&str] = &[
    "OPTIONS",
    "GET",
    "HEAD",
    "POST",
    "PUT",
    "DELETE",
    "TRACE",
    "CONNECT",
    "PROPFIND",
    "PROPPATCH",
    "MKCOL",
    "COPY",
    "MOVE",
    "LOCK",
    "UNLOCK",
    "ORDERPATCH",
    "PATCH",
];

/// `ssh_print`: the identification string, if the segment starts with one.
fn ssh_print(ctx: &mut Ctx<'_>, p: &[u8], len: u32) -> Res {
    ctx.proto = "ssh";
    let len = len as usize;
    for (i, &want) in b"SSH-".iter().enumerate() {
        if p.u8_at(i)? != want {
            return Ok(());
        }
    }
    let mut idx = 4;
    while idx < len {
        let c = p.u8_at(idx)?;
        if c == b'\n' {
            break;
        }
        if c == b'\r' {
            if idx + 1 >= len {
                return Ok(());
            }
            if p.u8_at(idx + 1)? == b'\n' {
                break;
            }
            return Ok(());
        }
        if !(0x20..0x7f).contains(&c) {
            return Ok(());
        }
        idx += 1;
    }
    ctx.s(": SSH: ");
    for &c in &p[..idx] {
        ctx.out.push(c as char);
    }
    Ok(())
}

/// tcpdump's `fetch_token`: the offset after a token and the blanks that
/// follow it, 0 when there is none (or it does not fit tcpdump's
/// 129-byte buffer).
fn fetch_token(p: &[u8], mut idx: usize, len: usize, token: &mut Vec<u8>) -> usize {
    token.clear();
    while idx < len {
        let Some(&c) = p.get(idx) else {
            return 0;
        };
        if !c.is_ascii() {
            return 0;
        }
        if matches!(c, b' ' | b'\t' | b'\r' | b'\n') {
            break;
        }
        if !(0x20..0x7f).contains(&c) || token.len() + 2 > 129 {
            return 0;
        }
        token.push(c);
        idx += 1;
    }
    if token.is_empty() {
        return 0;
    }
    while idx < len {
        let Some(&c) = p.get(idx) else {
            break;
        };
        if c == b'\r' || c == b'\n' || !(0x20..0x7f).contains(&c) || (c != b' ' && c != b'\t') {
            break;
        }
        idx += 1;
    }
    idx
}

/// tcpdump's `print_txt_line`: one line after `prefix`; the offset after
/// it, or 0 (binary data, or no line end: then ` [|proto]`).
fn print_txt_line(
    ctx: &mut Ctx<'_>,
    prefix: &str,
    p: &[u8],
    start: usize,
    len: usize,
) -> Res<usize> {
    let mut idx = start;
    while idx < len {
        let c = p.u8_at(idx)?;
        if c == b'\n' {
            line(ctx, prefix, &p[start..idx]);
            return Ok(idx + 1);
        }
        if c == b'\r' {
            if idx + 1 >= len {
                return Ok(0);
            }
            if p.u8_at(idx + 1)? == b'\n' {
                line(ctx, prefix, &p[start..idx]);
                return Ok(idx + 2);
            }
            return Ok(0);
        }
        if !(0x20..0x7f).contains(&c) && c != b'\t' {
            return Ok(0);
        }
        idx += 1;
    }
    line(ctx, prefix, &p[start..idx]);
    ctx.explicit_trunc();
    Ok(0)
}

fn line(ctx: &mut Ctx<'_>, prefix: &str, text: &[u8]) {
    ctx.s(prefix);
    for &c in text {
        ctx.out.push(c as char);
    }
}

/// `txtproto_print`: the protocol name (`ctx.proto` in capitals), then
/// (for a request or response, or always for protocols without
/// commands) the first line, or with -v all the text lines; the lines
/// stop at the end of the capture (`caplength`), a cut line with
/// ` [|proto]`. Over TCP (FTP, SMTP, HTTP, RTSP) and UDP (SIP).
pub(crate) fn txtproto_print(
    ctx: &mut Ctx<'_>,
    p: &[u8],
    length: u32,
    cmds: Option<&[&str]>,
) -> Res {
    let len = p.len().min(length as usize);
    let print_this = match cmds {
        None => true,
        Some(cmds) => {
            let mut token = Vec::new();
            let mut idx = fetch_token(p, 0, len, &mut token);
            let mut yes = false;
            if idx != 0 {
                yes = cmds
                    .iter()
                    .any(|c| c.as_bytes().eq_ignore_ascii_case(&token));
                idx = fetch_token(p, idx, len, &mut token);
                if idx != 0 && token.len() == 3 && token.iter().all(u8::is_ascii_digit) {
                    yes = true;
                }
            }
            yes
        }
    };
    let name = ctx.proto.to_ascii_uppercase();
    ctx.s(&name);
    if print_this {
        if ctx.o.verbose > 0 {
            put!(ctx.out, ", length: {length}");
            let mut idx = 0;
            while idx < len {
                let eol = print_txt_line(ctx, "\n\t", p, idx, len)?;
                if eol == 0 {
                    break;
                }
                idx = eol;
            }
        } else {
            print_txt_line(ctx, ": ", p, 0, len)?;
        }
    }
    Ok(())
}

/// TIPC (print-tipc.c): the data message header.
pub(crate) fn tipc_print(ctx: &mut Ctx<'_>, p: &[u8], length: u32) -> Res {
    const USERS: &[(u32, &str)] = &[
        (0, "Low Importance Data payload"),
        (1, "Medium Importance Data payload"),
        (2, "High Importance Data payload"),
        (3, "Critical Importance Data payload"),
        (5, "Broadcast Link Protocol internal"),
        (6, "Message Bundler Protocol internal"),
        (7, "Link State Protocol internal"),
        (8, "Connection Manager internal"),
        (10, "Link Changeover Protocol internal"),
        (11, "Name Distributor internal"),
        (12, "Message Fragmentation Protocol internal"),
        (13, "Neighbor Detection Protocol internal"),
    ];
    const MTYPES: &[(u32, &str)] = &[
        (0, "CONN_MSG"),
        (1, "MCAST_MSG"),
        (2, "NAMED_MSG"),
        (3, "DIRECT_MSG"),
    ];
    ctx.proto = "tipc";
    let w0 = p.be32(0)?;
    let ver = (w0 >> 29) & 7;
    let _ = length;
    put!(ctx.out, "TIPC v{ver}.0");
    let user = (w0 >> 25) & 0xf;
    if !matches!(user, 0..=3 | 8 | 11) {
        return Ok(());
    }
    let hsize = (w0 >> 21) & 0xf;
    let msize = w0 & 0x1ffff;
    let w1 = p.be32(4)?;
    let mtype = (w1 >> 29) & 7;
    let node = |n: u32| format!("{}.{}.{}", n >> 24, (n >> 12) & 0xfff, n & 0xfff);
    let prev = p.be32(12)?;
    let (oport, dport) = (p.be32(16)?, p.be32(20)?);
    let tail = format!(
        ", headerlength {} bytes, MessageSize {msize} bytes, {}, messageType {}",
        hsize * 4,
        tok(USERS, user).unwrap_or("unknown"),
        tok(MTYPES, mtype).unwrap_or("Unknown")
    );
    if hsize <= 6 {
        put!(ctx.out, " {}:{oport} > {dport}{tail}", node(prev));
    } else {
        let (on, dn) = (p.be32(24)?, p.be32(28)?);
        put!(
            ctx.out,
            " {}:{oport} > {}:{dport}{tail}",
            node(on),
            node(dn)
        );
        if ctx.o.verbose > 0 {
            let w2 = p.be32(8)?;
            put!(
                ctx.out,
                "\n\tPrevious Node {}, Broadcast Ack {}, Link Ack {}, Link Sequence {}",
                node(prev),
                w1 & 0xffff,
                (w2 >> 16) & 0xffff,
                w2 & 0xffff
            );
        }
    }
    Ok(())
}

/// Multipath TCP options (print-mptcp.c); false for a malformed one.
/// `opt` is the whole option, kind and length included.
pub(crate) fn mptcp_print(ctx: &mut Ctx<'_>, opt: &[u8], flags: u8) -> Res<bool> {
    const NAMES: [&str; 9] = [
        "capable",
        "join",
        "dss",
        "add-addr",
        "rem-addr",
        "prio",
        "fail",
        "fast-close",
        "unknown",
    ];
    ctx.proto = "mptcp";
    let len = opt.len();
    if len < 3 {
        return Ok(false);
    }
    let subtype = usize::from(opt.u8_at(2)? >> 4).min(8);
    put!(ctx.out, " {len} {}", NAMES[subtype]);
    let (syn, ack) = (flags & 0x02 != 0, flags & 0x10 != 0);
    let be64 = |at: usize| -> Res<u64> {
        Ok(opt
            .sub(at, 8)?
            .iter()
            .fold(0u64, |a, &b| a << 8 | u64::from(b)))
    };
    match subtype {
        0 => {
            if !(((len == 12 || len == 4) && syn) || ((len == 20 || len == 22) && ack && !syn)) {
                return Ok(false);
            }
            let version = opt.u8_at(2)? & 0xf;
            if version > 1 {
                put!(ctx.out, " Unknown Version ({version})");
                return Ok(true);
            }
            put!(ctx.out, " v{version}");
            if opt.u8_at(3)? & 0x80 != 0 {
                ctx.s(" csum");
            }
            if len == 12 || len >= 20 {
                put!(ctx.out, " {{0x{:x}", be64(4)?);
                if len >= 20 {
                    put!(ctx.out, ",0x{:x}", be64(12)?);
                }
                ctx.s("}");
            }
        }
        1 => {
            if !((len == 12 && syn) || (len == 16 && syn && ack) || len == 24) {
                return Ok(false);
            }
            if len != 24 {
                if opt.u8_at(2)? & 1 != 0 {
                    ctx.s(" backup");
                }
                put!(ctx.out, " id {}", opt.u8_at(3)?);
            }
            match len {
                12 => put!(
                    ctx.out,
                    " token 0x{:x} nonce 0x{:x}",
                    opt.be32(4)?,
                    opt.be32(8)?
                ),
                16 => put!(
                    ctx.out,
                    " hmac 0x{:x} nonce 0x{:x}",
                    be64(4)?,
                    opt.be32(12)?
                ),
                _ => {
                    ctx.s(" hmac 0x");
                    for &b in opt.sub(4, 20)? {
                        put!(ctx.out, "{b:02x}");
                    }
                }
            }
        }
        2 => {
            if len < 4 || syn {
                return Ok(false);
            }
            let f = opt.u8_at(3)?;
            if f & 0x10 != 0 {
                ctx.s(" fin");
            }
            let mut at = 4;
            let mut left = len - 4;
            let num =
                |ctx: &mut Ctx<'_>, wide: bool, at: &mut usize, left: &mut usize| -> Res<bool> {
                    let n = if wide { 8 } else { 4 };
                    if *left < n {
                        return Ok(false);
                    }
                    if wide {
                        put!(ctx.out, "{}", be64(*at)?);
                    } else {
                        put!(ctx.out, "{}", opt.be32(*at)?);
                    }
                    *at += n;
                    *left -= n;
                    Ok(true)
                };
            if f & 0x01 != 0 {
                ctx.s(" ack ");
                if !num(ctx, f & 0x02 != 0, &mut at, &mut left)? {
                    return Ok(false);
                }
            }
            if f & 0x04 != 0 {
                ctx.s(" seq ");
                if !num(ctx, f & 0x08 != 0, &mut at, &mut left)? || left < 4 {
                    return Ok(false);
                }
                put!(ctx.out, " subseq {}", opt.be32(at)?);
                at += 4;
                left -= 4;
                if left < 2 {
                    return Ok(false);
                }
                put!(ctx.out, " len {}", opt.be16(at)?);
                at += 2;
                left -= 2;
                if left >= 2 {
                    put!(ctx.out, " csum 0x{:x}", opt.be16(at)?);
                    left -= 2;
                }
            }
            if left != 0 {
                return Ok(false);
            }
        }
        3 => {
            if ![8, 10, 16, 18, 20, 22, 28, 30].contains(&len) {
                return Ok(false);
            }
            let echo = match opt.u8_at(2)? & 0xf {
                6 => "v0-ip6",
                4 => "v0-ip4",
                1 => "v1-echo",
                0 => "v1",
                _ => "[bad version/echo]",
            };
            put!(ctx.out, " {echo} id {}", opt.u8_at(3)?);
            // An IPv4 or IPv6 address, then maybe a port, maybe an HMAC.
            let (a, end) = if len <= 18 {
                (ctx.ip4(crate::ctx::addr4(opt, 4)?), 8)
            } else {
                (ctx.ip6(crate::ctx::addr16(opt, 4)?), 20)
            };
            put!(ctx.out, " {a}");
            let port = matches!(len - end, 2 | 10);
            if port {
                put!(ctx.out, ":{}", opt.be16(end)?);
            }
            if len - end >= 8 {
                let at = if port { end + 2 } else { end };
                put!(ctx.out, " hmac 0x{:x}", be64(at)?);
            }
        }
        4 => {
            if len < 4 {
                return Ok(false);
            }
            ctx.s(" id");
            for i in 3..len {
                put!(ctx.out, " {}", opt.u8_at(i)?);
            }
        }
        5 => {
            if len != 3 && len != 4 {
                return Ok(false);
            }
            ctx.s(if opt.u8_at(2)? & 1 != 0 {
                " backup"
            } else {
                " non-backup"
            });
            if len == 4 {
                put!(ctx.out, " id {}", opt.u8_at(3)?);
            }
        }
        6 => {
            if len != 12 {
                return Ok(false);
            }
            put!(ctx.out, " seq {}", be64(4)?);
        }
        7 => {
            if len != 12 {
                return Ok(false);
            }
            put!(ctx.out, " key 0x{:x}", be64(4)?);
        }
        _ => {}
    }
    Ok(true)
}
