//! Ad hoc On-Demand Distance Vector routing (RFC 3561; print-aodv.c),
//! UDP port 654 and `-T aodv`: route requests, replies and errors over
//! IPv4, over IPv6, and the IPv6 draft-01 message types (16 to 19).

use super::{Bytes, Res, put};
use crate::ctx::Ctx;

/// Where a message's fields are, per address family and variant.
struct Shape {
    /// IPv6 addresses (16 bytes) instead of IPv4 ones.
    v6: bool,
    /// The fixed message size (checked against the capture and the
    /// UDP length before anything is printed).
    size: usize,
    /// Offsets of the destination address, its sequence number, the
    /// originator address and its number (sequence or lifetime).
    da: usize,
    ds: usize,
    oa: usize,
    os: usize,
}

const RREQ: Shape = Shape {
    v6: false,
    size: 24,
    da: 8,
    ds: 12,
    oa: 16,
    os: 20,
};
const RREQ6: Shape = Shape {
    v6: true,
    size: 48,
    da: 8,
    ds: 24,
    oa: 28,
    os: 44,
};
const RREQ6_DRAFT: Shape = Shape {
    v6: true,
    size: 48,
    da: 16,
    ds: 8,
    oa: 32,
    os: 12,
};
const RREP: Shape = Shape {
    v6: false,
    size: 20,
    da: 4,
    ds: 8,
    oa: 12,
    os: 16,
};
const RREP6: Shape = Shape {
    v6: true,
    size: 44,
    da: 4,
    ds: 20,
    oa: 24,
    os: 40,
};
const RREP6_DRAFT: Shape = Shape {
    v6: true,
    size: 44,
    da: 8,
    ds: 4,
    oa: 24,
    os: 40,
};

/// `aodv_print`: ` aodv rreq 24 hops 2 id 0x00000007` and so on; `ip6`:
/// the packet came over IPv6. The type is read with the longjmp, a
/// message cut short (by the capture or the UDP length) ends with
/// tcpdump's `nd_print_trunc`.
pub(crate) fn print(ctx: &mut Ctx<'_>, b: Bytes, length: u32, ip6: bool) -> Res {
    let t = b.u8(0)?;
    ctx.s(" aodv");
    let res = match t {
        1 if ip6 => request(ctx, b, length, &RREQ6, " v6 rreq"),
        1 => request(ctx, b, length, &RREQ, " rreq"),
        16 => request(ctx, b, length, &RREQ6_DRAFT, " rreq"),
        2 if ip6 => reply(ctx, b, length, &RREP6),
        2 => reply(ctx, b, length, &RREP),
        17 => reply(ctx, b, length, &RREP6_DRAFT),
        3 => error(ctx, b, length, ip6),
        18 => error(ctx, b, length, true),
        4 | 19 => {
            put!(ctx.out, " rrep-ack {length}");
            Ok(())
        }
        _ => {
            put!(ctx.out, " type {t} {length}");
            Ok(())
        }
    };
    if res.is_err() {
        ctx.explicit_trunc();
    }
    Ok(())
}

/// The message's fixed part is captured and within the UDP length.
fn whole(b: Bytes, length: u32, size: usize) -> Res {
    b.get(0, size)?;
    if (length as usize) < size {
        return Err(super::Trunc);
    }
    Ok(())
}

fn addr(ctx: &mut Ctx<'_>, b: Bytes, at: usize, v6: bool) -> Res<String> {
    Ok(if v6 {
        let a: [u8; 16] = b.get(at, 16)?.try_into().map_err(|_| super::Trunc)?;
        ctx.ip6(a)
    } else {
        ctx.ip4(b.ipv4(at)?.octets())
    })
}

/// A route request. The flags tcpdump shows are read from the type byte
/// (so only the draft's type 16 shows `[D]`).
fn request(ctx: &mut Ctx<'_>, b: Bytes, length: u32, s: &Shape, name: &str) -> Res {
    whole(b, length, s.size)?;
    let t = b.u8(0)?;
    let flag = |bit: u8, text: &'static str| if t & bit != 0 { text } else { "" };
    put!(
        ctx.out,
        "{name} {length} {}{}{}{}{}hops {} id 0x{:08x}\n\t",
        flag(0x80, "[J]"),
        flag(0x40, "[R]"),
        flag(0x20, "[G]"),
        flag(0x10, "[D]"),
        if t & 0x08 != 0 { "[U] " } else { " " },
        b.u8(3)?,
        b.be32(4)?
    );
    ends(ctx, b, s, "seq", "seq ", "")?;
    extension(ctx, b, length, s.size)
}

/// A route reply (its flags also read from the type byte).
fn reply(ctx: &mut Ctx<'_>, b: Bytes, length: u32, s: &Shape) -> Res {
    whole(b, length, s.size)?;
    let t = b.u8(0)?;
    put!(
        ctx.out,
        " rrep {length} {}{}prefix {} hops {}\n\t",
        if t & 0x80 != 0 { "[R]" } else { "" },
        if t & 0x40 != 0 { "[A] " } else { " " },
        b.u8(2)? & 0x1f,
        b.u8(3)?
    );
    ends(ctx, b, s, "dseq", "", " ms")?;
    extension(ctx, b, length, s.size)
}

/// A request's or reply's second line: `dst A {dseq} N src B` and the
/// originator's number between `before` and `after`.
fn ends(ctx: &mut Ctx<'_>, b: Bytes, s: &Shape, dseq: &str, before: &str, after: &str) -> Res {
    let da = addr(ctx, b, s.da, s.v6)?;
    let oa = addr(ctx, b, s.oa, s.v6)?;
    put!(
        ctx.out,
        "dst {da} {dseq} {} src {oa} {before}{}{after}",
        b.be32(s.ds)?,
        b.be32(s.os)?
    );
    Ok(())
}

/// An extension after a request or reply, when the UDP length leaves
/// room for its header.
fn extension(ctx: &mut Ctx<'_>, b: Bytes, length: u32, at: usize) -> Res {
    let left = (length as usize).saturating_sub(at);
    if left < 2 {
        return Ok(());
    }
    b.get(at, 2)?;
    let (t, len) = (b.u8(at)?, b.u8(at + 1)?);
    if t == 1 {
        b.get(at, 6)?;
        if left < 6 {
            return Err(super::Trunc);
        }
        if len < 4 {
            put!(ctx.out, "\n\text HELLO - bad length {len}");
        } else {
            put!(ctx.out, "\n\text HELLO {} ms", b.be32(at + 2)?);
        }
    } else {
        put!(ctx.out, "\n\text {t} {len}");
    }
    Ok(())
}

/// A route error: the unreachable destinations and their sequence
/// numbers.
fn error(ctx: &mut Ctx<'_>, b: Bytes, length: u32, v6: bool) -> Res {
    whole(b, length, 4)?;
    let count = b.u8(3)?;
    put!(
        ctx.out,
        " rerr {} [items {count}] [{length}]:",
        if b.u8(1)? & 0x80 != 0 { "[D]" } else { "" }
    );
    let item = if v6 { 20 } else { 8 };
    let mut left = (length as usize) - 4;
    let mut at = 4;
    for _ in 0..count {
        b.get(at, item)?;
        if left < item {
            return Err(super::Trunc);
        }
        let a = addr(ctx, b, at, v6)?;
        put!(ctx.out, " {{{a}}}({})", b.be32(at + item - 4)?);
        at += item;
        left -= item;
    }
    Ok(())
}
