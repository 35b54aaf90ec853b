//! ICMP (print-icmp.c): the message text, `length N`, and with -v the
//! checksum and the quoted datagram of error messages.

use crate::ctx::{Bytes, Ctx, Res, addr4, cksum_shouldbe, in_cksum, put, tok};
use crate::ip::IpInfo;

const UNREACH: &[(u8, &str)] = &[
    (5, "{} unreachable - source route failed"),
    (6, "net {} unreachable - unknown"),
    (7, "host {} unreachable - unknown"),
    (8, "{} unreachable - source host isolated"),
    (9, "net {} unreachable - admin prohibited"),
    (10, "host {} unreachable - admin prohibited"),
    (11, "net {} unreachable - tos prohibited"),
    (12, "host {} unreachable - tos prohibited"),
    (13, "host {} unreachable - admin prohibited filter"),
    (14, "host {} unreachable - host precedence violation"),
    (15, "host {} unreachable - precedence cutoff"),
];

const TYPES: &[(u8, &str)] = &[
    (0, "echo reply"),
    (4, "source quench"),
    (8, "echo request"),
    (10, "router solicitation"),
    (13, "time stamp request"),
    (14, "time stamp reply"),
    (15, "information request"),
    (16, "information reply"),
    (17, "address mask request"),
];

fn tstamp(t: u32) -> String {
    if t & 0x8000_0000 != 0 {
        return "[not-standard]".to_string();
    }
    let msec = t % 1000;
    let sec = t / 1000;
    format!(
        "{:02}:{:02}:{:02}.{msec:03}",
        sec / 3600,
        sec % 3600 / 60,
        sec % 60
    )
}

/// `icmp_print`.
pub(crate) fn icmp_print(ctx: &mut Ctx<'_>, p: &[u8], plen: u32, ip: IpInfo<'_>) -> Res {
    ctx.proto = "icmp";
    let typ = p.u8_at(0)?;
    let code = p.u8_at(1)?;
    // Two checks are tcpdump's ND_TCHECK (a `goto trunc`, the packet
    // ends normally); everything else reads with GET_ (its longjmp).
    if (typ == 3 && code == 3 && !p.has(17, 1)) || (typ == 11 && !p.has(24, 4)) {
        return ctx.trunc();
    }
    let text = text(ctx, p, typ, code)?;
    put!(ctx.out, "ICMP {text}, length {plen}");
    // tcpdump 4.99 checks this one even with -K.
    if ctx.o.verbose > 0 && !ip.fragmented && p.has(0, plen as usize) {
        let sum = in_cksum(&[&p[..plen as usize]]);
        if sum != 0 {
            let icmp_sum = p.be16(2)?;
            put!(
                ctx.out,
                " (wrong icmp cksum {icmp_sum:x} (->{:x})!)",
                cksum_shouldbe(icmp_sum, sum)
            );
        }
    }
    if ctx.o.verbose > 0 && matches!(typ, 3 | 4 | 5 | 11 | 12) {
        ctx.s("\n\t");
        let q = p.from(8);
        let ip_len = u32::from(q.be16(2)?);
        let saved = ctx.proto;
        crate::ip::ip_print(ctx, q, ip_len)?;
        ctx.proto = saved;
    }
    Ok(())
}

/// The message text after `ICMP `.
fn text(ctx: &mut Ctx<'_>, p: &[u8], typ: u8, code: u8) -> Res<String> {
    let quoted_dst = |ctx: &mut Ctx<'_>| -> Res<String> { Ok(ctx.ip4(addr4(p, 24)?)) };
    Ok(match typ {
        0 | 8 => format!(
            "echo {}, id {}, seq {}",
            if typ == 8 { "request" } else { "reply" },
            p.be16(4)?,
            p.be16(6)?
        ),
        3 => match code {
            0 => format!("net {} unreachable", quoted_dst(ctx)?),
            1 => format!("host {} unreachable", quoted_dst(ctx)?),
            2 => format!("{} protocol {} unreachable", quoted_dst(ctx)?, p.u8_at(17)?),
            3 => {
                let proto = p.u8_at(17)?;
                let hlen = usize::from(p.u8_at(8)? & 0x0f) * 4;
                let dport = p.be16(8 + hlen + 2)?;
                let dst = quoted_dst(ctx)?;
                match proto {
                    6 => format!("{dst} tcp port {} unreachable", ctx.tcp_port(dport)),
                    17 => format!("{dst} udp port {} unreachable", ctx.udp_port(dport)),
                    _ => format!("{dst} protocol {proto} port {dport} unreachable"),
                }
            }
            4 => {
                let mtu = p.be16(6)?;
                let dst = quoted_dst(ctx)?;
                if mtu != 0 {
                    format!("{dst} unreachable - need to frag (mtu {mtu})")
                } else {
                    format!("{dst} unreachable - need to frag")
                }
            }
            _ => {
                let dst = quoted_dst(ctx)?;
                match tok(UNREACH, code) {
                    Some(f) => f.replacen("{}", &dst, 1),
                    None => format!("#{code} {dst} unreachable"),
                }
            }
        },
        5 => {
            let dst = quoted_dst(ctx)?;
            let gw = ctx.ip4(addr4(p, 4)?);
            match code {
                0 => format!("redirect {dst} to net {gw}"),
                1 => format!("redirect {dst} to host {gw}"),
                2 => format!("redirect-tos {dst} to net {gw}"),
                3 => format!("redirect-tos {dst} to host {gw}"),
                _ => format!("redirect-#{code} {dst} to {gw}"),
            }
        }
        9 => router_advert(ctx, p)?,
        11 => {
            p.sub(24, 4)?;
            match code {
                0 => "time exceeded in-transit".to_string(),
                1 => "ip reassembly time exceeded".to_string(),
                _ => format!("time exceeded-#{code}"),
            }
        }
        12 => {
            if code != 0 {
                format!("parameter problem - code {code}")
            } else {
                format!("parameter problem - octet {}", p.u8_at(4)?)
            }
        }
        18 => format!("address mask is 0x{:08x}", p.be32(8)?),
        13 => format!("time stamp query id {} seq {}", p.be16(4)?, p.be16(6)?),
        14 => format!(
            "time stamp reply id {} seq {}: org {}, recv {}, xmit {}",
            p.be16(4)?,
            p.be16(6)?,
            tstamp(p.be32(8)?),
            tstamp(p.be32(12)?),
            tstamp(p.be32(16)?)
        ),
        _ => match tok(TYPES, typ) {
            Some(n) => n.to_string(),
            None => format!("type-#{typ}"),
        },
    })
}

fn router_advert(ctx: &mut Ctx<'_>, p: &[u8]) -> Res<String> {
    let num = p.u8_at(4)?;
    let size = p.u8_at(5)?;
    let life = u32::from(p.be16(6)?);
    let lt = if life < 60 {
        format!("{life}")
    } else if life < 3600 {
        format!("{}:{:02}", life / 60, life % 60)
    } else {
        format!("{}:{:02}:{:02}", life / 3600, life % 3600 / 60, life % 60)
    };
    let mut s = format!("router advertisement lifetime {lt} {num}:");
    if size != 2 {
        s.push_str(&format!(" [size {size}]"));
        return Ok(s);
    }
    let mut at = 8;
    for _ in 0..num {
        let a = ctx.ip4(addr4(p, at)?);
        s.push_str(&format!(" {{{a} {}}}", p.be32(at + 4)?));
        at += 8;
    }
    Ok(s)
}

/// tcpdump's `unsigned_relts_print`: `1h2m3s`.
pub(crate) fn relts(mut secs: u32) -> String {
    if secs == 0 {
        return "0s".to_string();
    }
    const UNITS: &[(u32, &str)] = &[
        (31_536_000, "y"),
        (604_800, "w"),
        (86_400, "d"),
        (3600, "h"),
        (60, "m"),
        (1, "s"),
    ];
    let mut s = String::new();
    for &(n, u) in UNITS {
        if secs >= n {
            s.push_str(&format!("{}{u}", secs / n));
            secs %= n;
        }
    }
    s
}
