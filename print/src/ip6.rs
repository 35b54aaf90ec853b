//! IPv6 (print-ip6.c, print-ip6opts.c, print-frag6.c, print-rt6.c): the
//! header, the extension header chain, then `ip_demux_print`.

use crate::ctx::{Bytes, Ctx, Res, Trunc, addr16, put, tok};
use crate::ip::{IPPROTOS, IpInfo, demux};

/// `ip6_print`.
pub(crate) fn ip6_print(ctx: &mut Ctx<'_>, p: &[u8], length: u32) -> Res {
    ctx.proto = "ip6";
    if !p.has(0, 40) {
        return ctx.trunc();
    }
    if length < 40 {
        put!(ctx.out, "truncated-ip6 {length}");
        return Ok(());
    }
    if !ctx.o.link_header {
        ctx.s("IP6 ");
    }
    let version = p.u8_at(0)? >> 4;
    if version != 6 {
        put!(ctx.out, "version error: {version} != 6");
        return Ok(());
    }
    let payload_len = u32::from(p.be16(4)?);
    let mut len = if payload_len != 0 {
        let l = payload_len + 40;
        if l > length {
            put!(ctx.out, "truncated-ip6 - {} bytes missing!", l - length);
        }
        l
    } else {
        length
    };
    let p = &p[..p.len().min(len.min(length) as usize)];
    let mut nh = p.u8_at(6)?;
    if ctx.o.verbose > 0 {
        let flow = p.be32(0)?;
        ctx.s("(");
        if flow & 0x0ff0_0000 != 0 {
            put!(ctx.out, "class 0x{:02x}, ", (flow & 0x0ff0_0000) >> 20);
        }
        if flow & 0x000f_ffff != 0 {
            put!(ctx.out, "flowlabel 0x{:05x}, ", flow & 0x000f_ffff);
        }
        put!(
            ctx.out,
            "hlim {}, next-header {} ({nh}) payload length: {payload_len}) ",
            p.u8_at(7)?,
            tok(IPPROTOS, nh).unwrap_or("unknown")
        );
    }
    p.sub(0, 40)?;
    let hdr = &p[..40];
    let first_nh = nh;
    let mut at = 40usize;
    len = len.saturating_sub(40);
    let mut fragmented = false;
    if !matches!(nh, 6 | 17 | 33 | 132) {
        let src = ctx.ip6(addr16(hdr, 8)?);
        let dst = ctx.ip6(addr16(hdr, 24)?);
        put!(ctx.out, "{src} > {dst}: ");
    }
    loop {
        let cp = p.from(at);
        let advance = match nh {
            0 | 60 => {
                ctx.proto = if nh == 0 { "hbhopt" } else { "dstopt" };
                // Its length byte is a `GET_U_1` (longjmp), the
                // options' extent a check and a return.
                let l = cp.u8_at(1)?;
                let hlen = (usize::from(l) + 1) << 3;
                let Ok(body) = cp.sub(0, hlen) else {
                    return ctx.trunc();
                };
                ctx.s(if nh == 0 { "HBH " } else { "DSTOPT " });
                if ctx.o.verbose > 0 {
                    opt_print(ctx, &body[2..])?;
                }
                nh = cp.u8_at(0)?;
                hlen
            }
            44 => {
                ctx.proto = "frag6";
                if !cp.has(0, 8) && (ctx.o.verbose > 0 || !cp.has(0, 4)) {
                    return ctx.trunc();
                }
                let offlg = cp.be16(2)?;
                let rest = (40 + payload_len).wrapping_sub(at as u32).wrapping_sub(8);
                if ctx.o.verbose > 0 {
                    let ident = cp.be32(4)?;
                    put!(ctx.out, "frag (0x{ident:08x}:{}|{rest})", offlg & 0xfff8);
                } else {
                    put!(ctx.out, "frag ({}|{rest})", offlg & 0xfff8);
                }
                if offlg & 0xfff8 != 0 {
                    return Ok(());
                }
                ctx.s(" ");
                fragmented = true;
                nh = cp.u8_at(0)?;
                if p.len() <= at + 8 {
                    return Ok(());
                }
                8
            }
            43 => {
                ctx.proto = "rt6";
                let a = rt6_print(ctx, cp)?;
                nh = cp.u8_at(0)?;
                a
            }
            _ => {
                let info = IpInfo {
                    version: 6,
                    hdr,
                    nh: first_nh,
                    proto: nh,
                    fragmented,
                    ttl: hdr[7],
                };
                return demux(ctx, cp, len, info, nh);
            }
        };
        at += advance;
        len = len.saturating_sub(advance as u32);
        if at >= p.len() && matches!(nh, 0 | 43 | 44 | 51 | 60 | 135) {
            // The next extension header is not captured: tcpdump's check
            // reports the protocol of the one before.
            return ctx.trunc();
        }
        ctx.proto = "ip6";
    }
}

/// Hop-by-hop and destination options with -v.
fn opt_print(ctx: &mut Ctx<'_>, b: &[u8]) -> Res {
    let mut i = 0;
    while i < b.len() {
        let t = b[i];
        if t == 0 {
            ctx.s("(pad1)");
            i += 1;
            continue;
        }
        let Some(&l) = b.get(i + 1) else {
            ctx.s("[trunc]");
            return Ok(());
        };
        let olen = usize::from(l) + 2;
        if i + olen > b.len() {
            ctx.s("[trunc]");
            return Ok(());
        }
        match t {
            1 => ctx.s("(padn)"),
            5 => put!(ctx.out, "(rtalert: 0x{:04x}) ", b.be16(i + 2)?),
            0xc2 => put!(ctx.out, "(jumbo: {}) ", b.be32(i + 2)?),
            _ => put!(ctx.out, "(opt_type 0x{t:02x}: len={l})"),
        }
        i += olen;
    }
    ctx.s(" ");
    Ok(())
}

/// A routing header (types 0 and 2); returns its length.
fn rt6_print(ctx: &mut Ctx<'_>, cp: &[u8]) -> Res<usize> {
    let len = cp.u8_at(1)?;
    let typ = cp.u8_at(2)?;
    let segleft = cp.u8_at(3)?;
    put!(ctx.out, "RT6 (len={len}, type={typ}");
    if typ == 0 {
        ctx.s(" [Deprecated]");
    }
    put!(ctx.out, ", segleft={segleft}");
    match typ {
        0 | 2 => {
            if typ == 0 && ctx.o.verbose > 0 {
                put!(ctx.out, ", rsv=0x{:x}", cp.be32(4)?);
            }
            if len % 2 == 1 {
                return Err(Trunc);
            }
            for i in 0..usize::from(len / 2) {
                let a = ctx.ip6(addr16(cp, 8 + 16 * i)?);
                put!(ctx.out, ", [{i}]{a}");
            }
            ctx.s(") ");
            Ok((usize::from(len) + 1) << 3)
        }
        _ => Err(Trunc),
    }
}
