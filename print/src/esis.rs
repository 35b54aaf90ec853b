//! ES-IS (ISO 9542) PDUs, NLPID 0x82 (tcpdump's `esis_print`), as printed
//! without -v: the PDU type and the length, or what is wrong with the
//! header.

use crate::ctx::{Bytes, Ctx, Res, put, tok};

const PDU_TYPES: &[(u8, &str)] = &[(2, "ESH"), (4, "ISH"), (6, "redirect")];

/// The fixed header: NLPID, length indicator, version, reserved, type,
/// holding time, checksum.
const HEADER: usize = 9;

/// `ES-IS, ESH, length 25` (without -e: `ESH, length 25` after the
/// NLPID tcpdump prints with -e).
pub(crate) fn esis_print(ctx: &mut Ctx<'_>, p: &[u8], length: u32) -> Res {
    ctx.proto = "esis";
    if !ctx.o.link_header {
        ctx.s("ES-IS");
    }
    if length <= 2 {
        ctx.s(if ctx.o.quiet > 0 {
            "bad pkt!"
        } else {
            "no header at all!"
        });
        return Ok(());
    }
    let Ok(h) = p.sub(0, HEADER) else {
        return ctx.trunc();
    };
    let li = h[1];
    if h[0] != 0x82 {
        put!(ctx.out, " nlpid 0x{:02x} packet not supported", h[0]);
        return Ok(());
    }
    if h[2] != 1 {
        put!(ctx.out, " version {} packet not supported", h[2]);
        return Ok(());
    }
    if u32::from(li) > length {
        put!(ctx.out, " length indicator({li}) > PDU size ({length})!");
        return Ok(());
    }
    if usize::from(li) < HEADER + 2 {
        put!(ctx.out, " length indicator {li} < min PDU size:");
        for &c in p {
            put!(ctx.out, "{c:02X}");
        }
        return Ok(());
    }
    let t = h[4] & 0x1f;
    if !ctx.o.link_header {
        ctx.s(", ");
    }
    match tok(PDU_TYPES, t) {
        Some(name) => ctx.s(name),
        None => put!(ctx.out, "unknown type ({t})"),
    }
    put!(ctx.out, ", length {length}");
    Ok(())
}
