//! Routing and redundancy protocols carried over IP, without -v as
//! tcpdump prints them: OSPF and OSPFv3 (print-ospf.c, print-ospf6.c),
//! PIM (print-pim.c), EIGRP (print-eigrp.c), VRRP (print-vrrp.c).

use crate::ctx::{Bytes, Ctx, Res, put, tok};

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

/// `pim_print` (without -v).
pub(crate) fn pim_print(ctx: &mut Ctx<'_>, p: &[u8], len: u32) -> Res {
    ctx.proto = "pim";
    let tv = p.u8_at(0)?;
    let v = tv >> 4;
    if v == 2 {
        let t = tok(PIM2_TYPES, tv & 0xf).unwrap_or("Unknown Type");
        if ctx.o.verbose == 0 {
            put!(ctx.out, "PIMv{v}, {t}, length {len}");
        } else {
            put!(ctx.out, "PIMv{v}, length {len}\n\t{t}");
        }
    } else {
        put!(ctx.out, "PIMv{v}, length {len}");
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
    ctx.s("EIGRP ");
    match tok(EIGRP_OPCODES, op) {
        Some(n) => ctx.s(n),
        None => put!(ctx.out, "unknown ({op})"),
    }
    put!(ctx.out, ", length: {len}");
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
