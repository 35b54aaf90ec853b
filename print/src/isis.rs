//! OSI network layer protocols (print-isoclns.c): the NLPID dispatch and
//! IS-IS PDUs as tcpdump prints them without -v.

use crate::ctx::{Bytes, Ctx, Res, Trunc, put, tok};

const NLPIDS: &[(u8, &str)] = &[
    (0x00, "NULL"),
    (0x08, "Q.933"),
    (0x81, "CLNP"),
    (0x82, "ES-IS"),
    (0x83, "IS-IS"),
    (0xcc, "IPv4"),
    (0x8e, "IPv6"),
    (0xcf, "PPP"),
];

const PDUS: &[(u8, &str)] = &[
    (15, "L1 Lan IIH"),
    (16, "L2 Lan IIH"),
    (17, "p2p IIH"),
    (18, "L1 LSP"),
    (20, "L2 LSP"),
    (24, "L1 CSNP"),
    (25, "L2 CSNP"),
    (26, "L1 PSNP"),
    (27, "L2 PSNP"),
];

/// `isoclns_print`.
pub(crate) fn isoclns_print(ctx: &mut Ctx<'_>, p: &[u8], length: u32) -> Res {
    ctx.proto = "isoclns";
    let nlpid = p.u8_at(0)?;
    if ctx.o.link_header {
        put!(
            ctx.out,
            "OSI NLPID {} (0x{nlpid:02x}): ",
            tok(NLPIDS, nlpid).unwrap_or("Unknown")
        );
    }
    let sep = if ctx.o.link_header { "" } else { ", " };
    let unknown = |ctx: &mut Ctx<'_>| {
        let b = &p[..p.len().min(length as usize)];
        crate::hex::hex_prefixed(ctx.out, "\n\t", b, 0);
    };
    match nlpid {
        0x83 => {
            if !isis_print(ctx, p, length)? {
                unknown(ctx);
            }
        }
        0x00 => put!(ctx.out, "{sep}length: {length}"),
        0xcc => crate::ip::ip_print(ctx, p.from(1), length.saturating_sub(1))?,
        0x8e => crate::ip6::ip6_print(ctx, p.from(1), length.saturating_sub(1))?,
        0xcf => crate::other::ppp_print(ctx, p.from(1), length.saturating_sub(1))?,
        0x81 => {
            put!(ctx.out, "CLNP, length {length}");
        }
        0x82 => crate::esis::esis_print(ctx, p, length)?,
        _ => {
            if !ctx.o.link_header {
                put!(ctx.out, "OSI NLPID 0x{nlpid:02x} unknown");
            }
            put!(ctx.out, "{sep}length: {length}");
            if length > 1 {
                unknown(ctx);
            }
        }
    }
    Ok(())
}

/// An IS-IS system, node or LSP identifier: `1921.6800.1001.00-00`.
fn isis_id(b: &[u8]) -> String {
    let mut s = String::new();
    for (i, x) in b.iter().take(6).enumerate() {
        put!(s, "{x:02x}");
        if i == 1 || i == 3 {
            s.push('.');
        }
    }
    if let Some(x) = b.get(6) {
        put!(s, ".{x:02x}");
    }
    if let Some(x) = b.get(7) {
        put!(s, "-{x:02x}");
    }
    s
}

/// `isis_print` (the non-verbose summary); false when tcpdump gives up
/// and dumps the PDU.
fn isis_print(ctx: &mut Ctx<'_>, p: &[u8], length: u32) -> Res<bool> {
    ctx.proto = "isis";
    if !ctx.o.link_header {
        ctx.s("IS-IS");
    }
    p.sub(0, 8)?;
    let fixed_len = u32::from(p[1]);
    let version = p[2];
    let id_length = p[3];
    let pdu_type = p[4] & 0x1f;
    if version != 1 {
        put!(ctx.out, "version {version} packet not supported");
        return Ok(false);
    }
    if id_length != 6 && id_length != 0 {
        put!(ctx.out, "system ID length of {id_length} is not supported");
        return Ok(false);
    }
    if p[5] != 1 {
        put!(ctx.out, "version {} packet not supported", p[5]);
        return Ok(false);
    }
    if length < fixed_len {
        put!(
            ctx.out,
            "fixed header length {fixed_len} > packet length {length}"
        );
        return Ok(false);
    }
    if fixed_len < 8 {
        put!(ctx.out, "fixed header length {fixed_len} not supported");
        return Ok(false);
    }
    if p[7] == 255 {
        ctx.s("bad packet -- 255 areas");
        return Ok(false);
    }
    if ctx.o.verbose > 0 {
        // The verbose decode is not done here: keep the summary.
    }
    let sep = if ctx.o.link_header { "" } else { ", " };
    match tok(PDUS, pdu_type) {
        Some(n) => put!(ctx.out, "{sep}{n}"),
        None => put!(ctx.out, "{sep}unknown PDU-Type {pdu_type}"),
    }
    let (want, what) = match pdu_type {
        15 | 16 => (27, 0),
        17 => (20, 1),
        18 | 20 => (27, 2),
        24 | 25 => (33, 3),
        26 | 27 => (17, 4),
        _ => {
            put!(ctx.out, ", length {length}");
            if length > 8 {
                crate::hex::hex_prefixed(ctx.out, "\n\t", &p[..p.len().min(length as usize)], 0);
            }
            return Ok(true);
        }
    };
    if fixed_len != want {
        put!(
            ctx.out,
            ", bogus fixed header length {fixed_len} should be {want}"
        );
        return Ok(false);
    }
    if !p.has(0, want as usize) {
        return Err(Trunc);
    }
    if length < want {
        return Err(Trunc);
    }
    let h = &p[8..];
    match what {
        0 => {
            put!(ctx.out, ", src-id {}", isis_id(&h[1..7]));
            put!(ctx.out, ", lan-id {}, prio {}", isis_id(&h[12..19]), h[11]);
        }
        1 => put!(ctx.out, ", src-id {}", isis_id(&h[1..7])),
        2 => put!(
            ctx.out,
            ", lsp-id {}, seq 0x{:08x}, lifetime {:5}s",
            isis_id(&h[4..12]),
            h.be32(12)?,
            h.be16(2)?
        ),
        _ => put!(ctx.out, ", src-id {}", isis_id(&h[2..9])),
    }
    put!(ctx.out, ", length {length}");
    Ok(true)
}
