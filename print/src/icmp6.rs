//! ICMPv6 (print-icmp6.c): errors, echo, neighbour discovery (with -v
//! its options), router advertisements, MLD v1 and v2.

use crate::ctx::{Bytes, Ctx, Res, Trunc, addr16, bits, cksum_shouldbe, in_cksum, put, tok};
use crate::ip::IpInfo;

const TYPES: &[(u8, &str)] = &[
    (1, "destination unreachable"),
    (2, "packet too big"),
    (3, "time exceeded in-transit"),
    (4, "parameter problem"),
    (128, "echo request"),
    (129, "echo reply"),
    (130, "multicast listener query"),
    (131, "multicast listener report"),
    (132, "multicast listener done"),
    (133, "router solicitation"),
    (134, "router advertisement"),
    (135, "neighbor solicitation"),
    (136, "neighbor advertisement"),
    (137, "redirect"),
    (138, "router renumbering"),
    (141, "inverse neighbor solicitation"),
    (142, "inverse neighbor advertisement"),
    (143, "multicast listener report v2"),
    (144, "ha discovery request"),
    (145, "ha discovery reply"),
    (146, "mobile router solicitation"),
    (147, "mobile router advertisement"),
    (139, "who-are-you request"),
    (140, "who-are-you reply"),
    (200, "mtrace response"),
    (201, "mtrace message"),
    (155, "RPL"),
];

const UNREACH: &[(u8, &str)] = &[
    (0, "unreachable route"),
    (1, " unreachable prohibited"),
    (2, "beyond scope"),
    (3, "unreachable address"),
    (4, "unreachable port"),
];

const OPTS: &[(u8, &str)] = &[
    (1, "source link-address"),
    (2, "destination link-address"),
    (3, "prefix info"),
    (4, "redirected header"),
    (5, "mtu"),
    (24, "route info"),
    (25, "rdnss"),
    (31, "dnssl"),
    (7, "advertisement interval"),
    (8, "homeagent information"),
];

fn addr(ctx: &mut Ctx<'_>, b: &[u8], at: usize) -> Res<String> {
    Ok(ctx.ip6(addr16(b, at)?))
}

/// `icmp6_print`.
pub(crate) fn icmp6_print(ctx: &mut Ctx<'_>, p: &[u8], length: u32, ip: IpInfo<'_>) -> Res {
    ctx.proto = "icmp6";
    if length == 0 {
        ctx.s("ICMP6, length 0 (invalid)");
        return Ok(());
    }
    // tcpdump 4.99 checks this one even with -K.
    if ctx.o.verbose > 0 && !ip.fragmented && p.has(0, length as usize) {
        let sum = in_cksum(&[&ip.pseudo(length), &p[..length as usize]]);
        let c = p.be16(2)?;
        if sum != 0 {
            put!(
                ctx.out,
                "[bad icmp6 cksum 0x{c:04x} -> 0x{:04x}!] ",
                cksum_shouldbe(c, sum)
            );
        } else {
            ctx.s("[icmp6 sum ok] ");
        }
    }
    let typ = p.u8_at(0)?;
    match tok(TYPES, typ) {
        Some(n) => put!(ctx.out, "ICMP6, {n}"),
        None => put!(ctx.out, "ICMP6, unknown icmp6 type ({typ})"),
    }
    if ctx.o.verbose > 0 && matches!(typ, 133 | 134 | 136 | 135 | 137 | 145 | 147) {
        put!(ctx.out, ", length {length}");
    }
    let code = p.u8_at(1)?;
    let v = ctx.o.verbose;
    // The quoted packet of an error starts at 8.
    let oip = p.from(8);
    match typ {
        1 => {
            match tok(UNREACH, code) {
                Some(n) => put!(ctx.out, ", {n}"),
                None => put!(ctx.out, ", unknown unreach code ({code})"),
            }
            match code {
                0 | 1 | 3 => {
                    let d = addr(ctx, oip, 24)?;
                    put!(ctx.out, " {d}");
                }
                2 => {
                    let d = addr(ctx, oip, 24)?;
                    let s = addr(ctx, oip, 8)?;
                    put!(ctx.out, " {d}, source address {s}");
                }
                4 => {
                    let Ok((prot, at)) = upper_layer(oip) else {
                        return ctx.trunc();
                    };
                    let dport = oip.be16(at + 2)?;
                    let d = addr(ctx, oip, 24)?;
                    match prot {
                        6 => put!(ctx.out, ", {d} tcp port {}", ctx.tcp_port(dport)),
                        17 => put!(ctx.out, ", {d} udp port {}", ctx.udp_port(dport)),
                        _ => put!(ctx.out, ", {d} protocol {prot} port {dport} unreachable"),
                    }
                }
                _ => {
                    if v <= 1 {
                        crate::hex::hex_prefixed(
                            ctx.out,
                            "\n\t",
                            &p[..p.len().min(length as usize)],
                            0,
                        );
                        return Ok(());
                    }
                }
            }
        }
        2 => put!(ctx.out, ", mtu {}", p.be32(4)?),
        3 => match code {
            0 => {
                let d = addr(ctx, oip, 24)?;
                put!(ctx.out, " for {d}");
            }
            1 => ctx.s(" (reassembly)"),
            _ => put!(ctx.out, ", unknown code ({code})"),
        },
        4 => {
            if !oip.has(24, 16) {
                return ctx.trunc();
            }
            let ptr = p.be32(4)?;
            match code {
                0 => put!(ctx.out, ", erroneous - octet {ptr}"),
                1 => put!(ctx.out, ", next header - octet {ptr}"),
                2 => put!(ctx.out, ", option - octet {ptr}"),
                3 => put!(ctx.out, ", incomplete header chain - octet {ptr}"),
                _ => put!(ctx.out, ", code-#{code}"),
            }
        }
        128 | 129 => put!(ctx.out, ", id {}, seq {}", p.be16(4)?, p.be16(6)?),
        130 => {
            if length == 24 {
                mld6(ctx, p)?;
            } else if length >= 28 {
                ctx.s(" v2");
                mldv2_query(ctx, p, length)?;
            } else {
                put!(ctx.out, " unknown-version (len {length}) ");
            }
        }
        131 | 132 => mld6(ctx, p)?,
        133 => {
            if v > 0 {
                opt_print(ctx, p, 8, length)?;
            }
        }
        134 => {
            if v > 0 {
                let f = p.u8_at(5)?;
                let pref = match (f >> 3) & 3 {
                    0 => "medium",
                    1 => "high",
                    2 => "rsv",
                    _ => "low",
                };
                put!(
                    ctx.out,
                    "\n\thop limit {}, Flags [{}], pref {pref}, router lifetime {}s, reachable time {}ms, retrans timer {}ms",
                    p.u8_at(4)?,
                    bits(
                        &[
                            (0x40, "other stateful"),
                            (0x80, "managed"),
                            (0x20, "home agent"),
                            (0x04, "proxy")
                        ],
                        u32::from(f),
                        "none",
                        ", "
                    ),
                    p.be16(6)?,
                    p.be32(8)?,
                    p.be32(12)?
                );
                opt_print(ctx, p, 16, length)?;
            }
        }
        135 => {
            let t = addr(ctx, p, 8)?;
            put!(ctx.out, ", who has {t}");
            if v > 0 {
                opt_print(ctx, p, 24, length)?;
            }
        }
        136 => {
            let t = addr(ctx, p, 8)?;
            put!(ctx.out, ", tgt is {t}");
            if v > 0 {
                put!(
                    ctx.out,
                    ", Flags [{}]",
                    bits(
                        &[
                            (0x8000_0000, "router"),
                            (0x4000_0000, "solicited"),
                            (0x2000_0000, "override")
                        ],
                        p.be32(4)?,
                        "none",
                        ", "
                    )
                );
                opt_print(ctx, p, 24, length)?;
            }
        }
        137 => {
            let d = addr(ctx, p, 24)?;
            let t = addr(ctx, p, 8)?;
            put!(ctx.out, ", {d} to {t}");
            if v > 0 {
                opt_print(ctx, p, 40, length)?;
            }
        }
        141 | 142 => {}
        143 => mldv2_report(ctx, p, length)?,
        144 | 146 => put!(ctx.out, ", id 0x{:04x}", p.be16(4)?),
        138 | 139 | 140 | 145 | 147 | 155 | 200 | 201 => {}
        _ => {
            put!(ctx.out, ", length {length}");
            if v <= 1 {
                crate::hex::hex_prefixed(ctx.out, "\n\t", &p[..p.len().min(length as usize)], 0);
            }
            return Ok(());
        }
    }
    if v == 0 {
        put!(ctx.out, ", length {length}");
    }
    Ok(())
}

/// The transport protocol and its offset in a quoted IPv6 packet.
fn upper_layer(oip: &[u8]) -> Res<(u8, usize)> {
    let mut nh = oip.u8_at(6)?;
    let mut at = 40;
    loop {
        match nh {
            0 | 60 | 43 => {
                nh = oip.u8_at(at)?;
                at += (usize::from(oip.u8_at(at + 1)?) + 1) << 3;
            }
            44 => {
                if oip.be16(at + 2)? & 0xfff8 != 0 {
                    return Err(Trunc);
                }
                nh = oip.u8_at(at)?;
                at += 8;
            }
            51 => {
                nh = oip.u8_at(at)?;
                at += (usize::from(oip.u8_at(at + 1)?) + 2) << 2;
            }
            _ => return Ok((nh, at)),
        }
    }
}

/// `mld6_print`: nothing at all when the message is not all captured.
fn mld6(ctx: &mut Ctx<'_>, p: &[u8]) -> Res {
    if !p.has(0, 24) {
        return Ok(());
    }
    put!(ctx.out, "max resp delay: {} ", p.be16(4)?);
    let a = addr(ctx, p, 8)?;
    put!(ctx.out, "addr: {a}");
    Ok(())
}

fn mldv2_report(ctx: &mut Ctx<'_>, p: &[u8], len: u32) -> Res {
    let Some(n) = crate::other::report_groups(ctx, p, len, len >= 8)? else {
        return Ok(());
    };
    let len = len as usize;
    let mut g = 8;
    for _ in 0..n {
        if len < g + 20 {
            ctx.s(" [invalid number of groups]");
            return Ok(());
        }
        let a = addr(ctx, p, g + 4)?;
        put!(ctx.out, " [gaddr {a}");
        let t = p.u8_at(g)?;
        match t {
            1 => ctx.s(" is_in"),
            2 => ctx.s(" is_ex"),
            3 => ctx.s(" to_in"),
            4 => ctx.s(" to_ex"),
            5 => ctx.s(" allow"),
            6 => ctx.s(" block"),
            _ => put!(ctx.out, "  [v2-report-#{t}]"),
        }
        let nsrcs = usize::from(p.be16(g + 2)?);
        if len < g + 20 + nsrcs * 16 {
            put!(ctx.out, " [invalid number of sources {nsrcs}]");
            return Ok(());
        }
        let all = ctx.o.verbose > 1;
        ctx.sources(nsrcs, all, |ctx, j| addr(ctx, p, g + 20 + j * 16))?;
        g += 20 + nsrcs * 16;
        ctx.s("]");
    }
    Ok(())
}

fn mldv2_query(ctx: &mut Ctx<'_>, p: &[u8], len: u32) -> Res {
    let len = len as usize;
    let mrc = u32::from(p.be16(4)?);
    let mrt = if mrc < 32768 {
        mrc
    } else {
        ((mrc & 0x0fff) | 0x1000) << (((mrc & 0x7000) >> 12) + 3)
    };
    if ctx.o.verbose > 0 {
        put!(ctx.out, " [max resp delay={mrt}]");
    }
    let g = addr(ctx, p, 8)?;
    put!(ctx.out, " [gaddr {g}");
    if ctx.o.verbose > 0 {
        let b24 = p.u8_at(24)?;
        if b24 & 8 != 0 {
            ctx.s(" sflag");
        }
        if b24 & 7 != 0 {
            put!(ctx.out, " robustness={}", b24 & 7);
        }
        let q = u32::from(p.u8_at(25)?);
        let qqi = if q < 128 {
            q
        } else {
            ((q & 0x0f) | 0x10) << (((q & 0x70) >> 4) + 3)
        };
        put!(ctx.out, " qqi={qqi}");
    }
    let nsrcs = usize::from(p.be16(26)?);
    if nsrcs > 0 {
        if len < 28 + nsrcs * 16 {
            ctx.s(" [invalid number of sources]");
        } else {
            let all = ctx.o.verbose > 1;
            ctx.sources(nsrcs, all, |ctx, i| addr(ctx, p, 28 + i * 16))?;
        }
    }
    ctx.s("]");
    Ok(())
}

fn lifetime(v: u32) -> String {
    if v == u32::MAX {
        "infinity".to_string()
    } else {
        format!("{v}s")
    }
}

/// Neighbour discovery options (-v).
fn opt_print(ctx: &mut Ctx<'_>, p: &[u8], start: usize, length: u32) -> Res {
    let end = (length as usize).min(p.len());
    let mut at = start;
    while at < end {
        let t = p.u8_at(at)?;
        let l = usize::from(p.u8_at(at + 1)?);
        if at + (l << 3) > end || l == 0 {
            return Err(Trunc);
        }
        put!(
            ctx.out,
            "\n\t  {} option ({t}), length {} ({l}): ",
            tok(OPTS, t).unwrap_or("unknown"),
            l << 3
        );
        let body = p.sub(at + 2, (l << 3) - 2)?;
        match t {
            1 | 2 => {
                let hex: Vec<String> = body.iter().map(|b| format!("{b:02x}")).collect();
                ctx.s(&hex.join(":"));
            }
            5 => put!(ctx.out, " {}", p.be32(at + 4)?),
            3 => {
                let a = addr(ctx, p, at + 16)?;
                put!(
                    ctx.out,
                    "{a}/{}{}, Flags [{}], valid time {}",
                    p.u8_at(at + 2)?,
                    if l != 4 { "badlen" } else { "" },
                    bits(
                        &[(0x80, "onlink"), (0x40, "auto"), (0x20, "router")],
                        u32::from(p.u8_at(at + 3)?),
                        "none",
                        ", "
                    ),
                    lifetime(p.be32(at + 4)?)
                );
                put!(ctx.out, ", pref. time {}", lifetime(p.be32(at + 8)?));
            }
            25 => {
                put!(ctx.out, " lifetime {}, addr: ", lifetime(p.be32(at + 4)?));
                let mut i = 8;
                let mut first = true;
                while i + 16 <= l << 3 {
                    if !first {
                        ctx.s(" ");
                    }
                    first = false;
                    let a = addr(ctx, p, at + i)?;
                    ctx.s(&a);
                    i += 16;
                }
            }
            _ => {
                if ctx.o.verbose <= 1 {
                    crate::hex::hex_prefixed(ctx.out, "\n\t  ", body, 0);
                    return Ok(());
                }
            }
        }
        if ctx.o.verbose > 1 {
            crate::hex::hex_prefixed(ctx.out, "\n\t    ", body, 0);
        }
        at += l << 3;
    }
    Ok(())
}
