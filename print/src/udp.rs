//! UDP (print-udp.c): ports, lengths, checksums with -vv (IPv4) or -v
//! (IPv6), then the application protocols by port.

use crate::ctx::{Bytes, Ctx, Res, cksum_shouldbe, in_cksum, put};
use crate::ip::IpInfo;

/// `udpipaddr_print`: addresses and ports, or only the ports when the
/// UDP header does not follow the IP header directly.
fn addrs(ctx: &mut Ctx<'_>, ip: &IpInfo<'_>, ports: Option<(u16, u16)>) -> Res {
    if ip.direct() {
        let (s, d) = (ip.src(ctx)?, ip.dst(ctx)?);
        match ports {
            None => put!(ctx.out, "{s} > {d}: "),
            Some((sp, dp)) => {
                let (sp, dp) = (ctx.udp_port(sp), ctx.udp_port(dp));
                put!(ctx.out, "{s}.{sp} > {d}.{dp}: ");
            }
        }
    } else if let Some((sp, dp)) = ports {
        let (sp, dp) = (ctx.udp_port(sp), ctx.udp_port(dp));
        put!(ctx.out, "{sp} > {dp}: ");
    }
    Ok(())
}

/// `udp_print`.
pub(crate) fn udp_print(ctx: &mut Ctx<'_>, p: &[u8], mut length: u32, ip: IpInfo<'_>) -> Res {
    ctx.proto = "udp";
    if !p.has(2, 2) {
        addrs(ctx, &ip, None)?;
        return ctx.trunc();
    }
    let sport = p.be16(0)?;
    let dport = p.be16(2)?;
    if length < 8 {
        addrs(ctx, &ip, Some((sport, dport)))?;
        put!(ctx.out, "truncated-udp {length}");
        return Ok(());
    }
    if !p.has(4, 2) {
        addrs(ctx, &ip, Some((sport, dport)))?;
        return ctx.trunc();
    }
    let mut ulen = u32::from(p.be16(4)?);
    if ulen == 0 && length > 65535 {
        ulen = length;
    }
    if ulen < 8 {
        addrs(ctx, &ip, Some((sport, dport)))?;
        put!(ctx.out, "truncated-udplength {ulen}");
        return Ok(());
    }
    ulen -= 8;
    length -= 8;
    if ulen < length {
        length = ulen;
    }
    if p.len() < 8 {
        addrs(ctx, &ip, Some((sport, dport)))?;
        return ctx.trunc();
    }
    let payload = p.from(8);
    if let Some(t) = ctx.o.packet_type {
        // -T: tcpdump prints the payload as the type asked for, with no
        // checksum check and no `UDP, length N`; nothing at all for a
        // type it does not print over UDP.
        if crate::app::forced_over_udp(t) {
            // RPC writes the addresses itself (with its transaction id).
            if t != "rpc" {
                addrs(ctx, &ip, Some((sport, dport)))?;
            }
            crate::app::udp(ctx, sport, dport, payload, length, Some(&ip))?;
        }
        return Ok(());
    }
    addrs(ctx, &ip, Some((sport, dport)))?;
    if ctx.o.verbose > 0 && !ctx.o.no_checksums && !ip.fragmented {
        let udp_sum = p.be16(6)?;
        if ip.version == 4 && ctx.o.verbose > 1 {
            if udp_sum == 0 {
                ctx.s("[no cksum] ");
            } else if payload.has(0, length as usize) {
                check(ctx, &ip, p, length, udp_sum);
            }
        } else if ip.version == 6 && payload.has(0, length as usize) {
            check(ctx, &ip, p, length, udp_sum);
        }
    }
    ctx.rx.hosts(ip.hdr);
    if ctx.o.quiet == 0 && crate::app::udp(ctx, sport, dport, payload, length, Some(&ip))? {
        return Ok(());
    }
    if ulen > length && !ip.fragmented {
        put!(ctx.out, "UDP, bad length {ulen} > {length}");
    } else {
        put!(ctx.out, "UDP, length {ulen}");
    }
    Ok(())
}

fn check(ctx: &mut Ctx<'_>, ip: &IpInfo<'_>, p: &[u8], length: u32, udp_sum: u16) {
    let total = length + 8;
    let seg = &p[..(total as usize).min(p.len())];
    let sum = in_cksum(&[&ip.pseudo(total), seg]);
    if sum != 0 {
        put!(
            ctx.out,
            "[bad udp cksum 0x{udp_sum:04x} -> 0x{:04x}!] ",
            cksum_shouldbe(udp_sum, sum)
        );
    } else {
        ctx.s("[udp sum ok] ");
    }
}
