//! ARP and RARP (print-arp.c).

use crate::ctx::{Bytes, Ctx, Mac, Res, Trunc, addr4, put, tok};
use crate::ether::ETHERTYPES;

const OPS: &[(u16, &str)] = &[
    (1, "Request"),
    (2, "Reply"),
    (3, "Reverse Request"),
    (4, "Reverse Reply"),
    (8, "Inverse Request"),
    (9, "Inverse Reply"),
    (10, "NACK Reply"),
];

const HRD: &[(u16, &str)] = &[
    (1, "Ethernet"),
    (6, "TokenRing"),
    (7, "ArcNet"),
    (15, "FrameRelay"),
    (19, "ATM"),
    (23, "Strip"),
    (24, "IEEE 1394"),
    (32, "InfiniBand"),
];

/// tcpdump's `linkaddr_string` for hardware addresses.
pub(crate) fn linkaddr(b: &[u8], names: bool) -> String {
    if b.is_empty() {
        "<empty>".to_string()
    } else {
        Mac(b, names).to_string()
    }
}

/// `arp_print`.
pub(crate) fn arp_print(ctx: &mut Ctx<'_>, p: &[u8], len: u32) -> Res {
    ctx.proto = "arp";
    p.sub(0, 8)?;
    let hrd = p.be16(0)?;
    let pro = p.be16(2)?;
    let hln = usize::from(p.u8_at(4)?);
    let pln = usize::from(p.u8_at(5)?);
    let op = p.be16(6)?;
    if hrd == 19 {
        return atmarp_print(ctx, p, len);
    }
    let sha = 8;
    let spa = sha + hln;
    let tha = spa + pln;
    let tpa = tha + hln;
    if !p.has(tpa, pln) {
        return Err(Trunc);
    }
    if !ctx.o.link_header {
        ctx.s("ARP, ");
    }
    let ip = pro == 0x0800 || pro == 0x1000;
    if !ip || pln != 4 || hln == 0 || ctx.o.verbose > 0 {
        match tok(HRD, hrd) {
            Some(n) => put!(ctx.out, "{n}"),
            None => put!(ctx.out, "Unknown Hardware ({hrd})"),
        }
        put!(ctx.out, " (len {hln}), ");
        match tok(ETHERTYPES, pro) {
            Some(n) => put!(ctx.out, "{n}"),
            None => put!(ctx.out, "Unknown Protocol (0x{pro:04x})"),
        }
        put!(ctx.out, " (len {pln})");
        if ctx.o.verbose == 0 {
            put!(ctx.out, ", length {len}");
            return Ok(());
        }
    }
    if ctx.o.verbose > 0 {
        ctx.s(", ");
    }
    match tok(OPS, op) {
        Some(n) => put!(ctx.out, "{n} "),
        None => put!(ctx.out, "Unknown ({op}) "),
    }
    let proto_addr = |ctx: &mut Ctx<'_>, at: usize| -> Res {
        if !ip {
            ctx.s("<wrong proto type>");
        } else if pln != 4 {
            ctx.s("<wrong len>");
        } else {
            let a = ctx.ip4(addr4(p, at)?);
            ctx.s(&a);
        }
        Ok(())
    };
    let names = ctx.o.numeric == 0;
    let hw = |at: usize| -> Res<String> { Ok(linkaddr(p.sub(at, hln)?, names)) };
    match op {
        1 => {
            ctx.s("who-has ");
            proto_addr(ctx, tpa)?;
            let t = p.sub(tha, hln)?;
            if t.iter().any(|&b| b != 0) {
                put!(ctx.out, " ({})", linkaddr(t, names));
            }
            ctx.s(" tell ");
            proto_addr(ctx, spa)?;
        }
        2 => {
            proto_addr(ctx, spa)?;
            put!(ctx.out, " is-at {}", hw(sha)?);
        }
        3 => put!(ctx.out, "who-is {} tell {}", hw(tha)?, hw(sha)?),
        4 => {
            put!(ctx.out, "{} at ", hw(tha)?);
            proto_addr(ctx, tpa)?;
        }
        8 => put!(ctx.out, "who-is {} tell {}", hw(tha)?, hw(sha)?),
        9 => {
            put!(ctx.out, "{} at ", hw(sha)?);
            proto_addr(ctx, spa)?;
        }
        _ => {
            ctx.default_print(p);
            return Ok(());
        }
    }
    put!(ctx.out, ", length {len}");
    Ok(())
}

/// ATM ARP (RFC 2225): only the fixed part is decoded.
fn atmarp_print(ctx: &mut Ctx<'_>, p: &[u8], len: u32) -> Res {
    if !ctx.o.link_header {
        ctx.s("ARP, ");
    }
    put!(ctx.out, "ATM (len {}), length {len}", p.u8_at(4)?);
    Ok(())
}
