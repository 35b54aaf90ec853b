//! Routing and redundancy protocols carried over IP, without -v as
//! tcpdump prints them: OSPF and OSPFv3 (print-ospf.c, print-ospf6.c),
//! PIM (print-pim.c), EIGRP (print-eigrp.c), VRRP (print-vrrp.c).

use crate::ctx::{Bytes, Ctx, Res, bits, put, tok};

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
