//! Raw IP (`DLT_RAW`, `LINKTYPE_IPV4`, `LINKTYPE_IPV6`): tcpdump's
//! `raw_if_print` and `ipN_print`.

use crate::ctx::{Bytes, Ctx, Res, put};

/// `ip: ` with -e, then the packet by its version nibble.
pub(crate) fn raw_if_print(ctx: &mut Ctx<'_>, data: &[u8], len: u32) -> Res {
    if ctx.o.link_header {
        ctx.s("ip: ");
    }
    ip_n_print(ctx, data, len)
}

/// IPv4 or IPv6 by the version nibble.
pub(crate) fn ip_n_print(ctx: &mut Ctx<'_>, p: &[u8], len: u32) -> Res {
    ctx.proto = "ipN";
    let v = p.u8_at(0)? >> 4;
    match v {
        4 => crate::ip::ip_print(ctx, p, len),
        6 => crate::ip6::ip6_print(ctx, p, len),
        _ => {
            put!(ctx.out, "unknown ip {v}");
            Ok(())
        }
    }
}
