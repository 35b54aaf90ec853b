//! BSD loopback (`DLT_NULL`, host byte order) and OpenBSD loopback
//! (`DLT_LOOP`, network byte order): a 4-byte address family.

use crate::ctx::{Bytes, Ctx, Res, Trunc, put, tok};

/// BSD address families as tcpdump names them (the NULL/LOOP header's
/// family word; RIP's address family identifiers use the same numbers).
pub(crate) const BSD_AF: &[(u32, &str)] = &[
    (2, "IPv4"),
    (7, "ISO"),
    (16, "Appletalk"),
    (23, "IPX"),
    (24, "IPv6"),
    (28, "IPv6"),
    (30, "IPv6"),
];

fn hdr(ctx: &mut Ctx<'_>, family: u32, len: u32) {
    if ctx.o.quiet > 0 {
        match tok(BSD_AF, family) {
            Some(n) => put!(ctx.out, "{n}"),
            None => put!(ctx.out, "Unknown AF {family}"),
        }
    } else {
        put!(
            ctx.out,
            "AF {} ({family})",
            tok(BSD_AF, family).unwrap_or("Unknown")
        );
    }
    put!(ctx.out, ", length {len}: ");
}

/// `null_if_print` / `loop_if_print`.
pub(crate) fn null_if_print(
    ctx: &mut Ctx<'_>,
    data: &[u8],
    len: u32,
    hdrlen: &mut usize,
    network_order: bool,
) -> Res {
    if data.len() < 4 {
        // A failed read: tcpdump's longjmp, the dumps show it all.
        ctx.proto = if network_order { "loop" } else { "null" };
        return Err(Trunc);
    }
    let mut family = if network_order {
        data.be32(0)?
    } else {
        data.le32(0)?
    };
    if !network_order && family & 0xffff_0000 != 0 {
        family = family.swap_bytes();
    }
    if ctx.o.link_header {
        hdr(ctx, family, len);
    }
    *hdrlen = 4;
    let p = data.from(4);
    let len = len.saturating_sub(4);
    match family {
        2 => crate::ip::ip_print(ctx, p, len),
        24 | 28 | 30 => crate::ip6::ip6_print(ctx, p, len),
        7 => crate::other::isoclns_print(ctx, p, len),
        23 => crate::other::ipx_print(ctx, p, len),
        _ => {
            if !ctx.o.link_header {
                hdr(ctx, family, len + 4);
            }
            ctx.default_print(p);
            Ok(())
        }
    }
}
