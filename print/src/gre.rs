//! GRE (print-gre.c): version 0 (RFC 2784/2890) and version 1 (PPTP).

use crate::ctx::{Bytes, Ctx, Res, Trunc, bits, put, tok};
use crate::ether::ETHERTYPES;

const FLAGS: &[(u32, &str)] = &[
    (0x8000, "checksum present"),
    (0x4000, "routing present"),
    (0x2000, "key present"),
    (0x1000, "sequence# present"),
    (0x0800, "source routing present"),
    (0x0080, "ack present"),
];

/// `gre_print`.
pub(crate) fn gre_print(ctx: &mut Ctx<'_>, p: &[u8], length: u32) -> Res {
    ctx.proto = "gre";
    if length < 2 {
        return Err(Trunc);
    }
    let flags = p.be16(0)?;
    let vers = flags & 7;
    put!(ctx.out, "GREv{vers}");
    match vers {
        0 | 1 => {}
        _ => {
            ctx.s(" ERROR: unknown-version");
            return Ok(());
        }
    }
    if ctx.o.verbose > 0 {
        put!(
            ctx.out,
            ", Flags [{}]",
            bits(FLAGS, u32::from(flags), "none", ", ")
        );
    }
    let prot = p.be16(2)?;
    let mut at = 4usize;
    let mut len = length.saturating_sub(4);
    let take = |n: usize, at: &mut usize, len: &mut u32| {
        *at += n;
        *len = len.saturating_sub(n as u32);
    };
    if vers == 0 {
        if flags & 0xc000 != 0 {
            if ctx.o.verbose > 0 {
                put!(ctx.out, ", sum 0x{:x}", p.be16(at)?);
            }
            put!(ctx.out, ", off 0x{:x}", p.be16(at + 2)?);
            take(4, &mut at, &mut len);
        }
        if flags & 0x2000 != 0 {
            put!(ctx.out, ", key=0x{:x}", p.be32(at)?);
            take(4, &mut at, &mut len);
        }
        if flags & 0x1000 != 0 {
            put!(ctx.out, ", seq {}", p.be32(at)?);
            take(4, &mut at, &mut len);
        }
    } else {
        if flags & 0x2000 != 0 {
            put!(ctx.out, ", call {}", p.be32(at)? & 0xffff);
            take(4, &mut at, &mut len);
        }
        if flags & 0x1000 != 0 {
            put!(ctx.out, ", seq {}", p.be32(at)?);
            take(4, &mut at, &mut len);
        }
        if flags & 0x0080 != 0 {
            put!(ctx.out, ", ack {}", p.be32(at)?);
            take(4, &mut at, &mut len);
        }
        if flags & 0x1000 == 0 {
            ctx.s(", no-payload");
        }
    }
    if ctx.o.link_header {
        put!(
            ctx.out,
            ", proto {} (0x{prot:04x})",
            tok(ETHERTYPES, prot).unwrap_or("unknown")
        );
    }
    put!(ctx.out, ", length {length}");
    if vers == 1 && flags & 0x1000 == 0 {
        return Ok(());
    }
    ctx.s(if ctx.o.verbose < 1 { ": " } else { "\n\t" });
    let q = p.from(at);
    match (vers, prot) {
        (0, 0x0800) => crate::ip::ip_print(ctx, q, len),
        (0, 0x86dd) => crate::ip6::ip6_print(ctx, q, len),
        (0, 0x8847) => crate::other::mpls_print(ctx, q, len),
        (0, 0x8137) => crate::other::ipx_print(ctx, q, len),
        (0, 0x00fe) => crate::other::isoclns_print(ctx, q, len),
        (0, 0x6558) => {
            let mut h = 0;
            crate::ether::ether_print(ctx, q, len, &mut h)
        }
        (1, 0x880b) => crate::other::ppp_print(ctx, q, len),
        _ => {
            put!(ctx.out, "gre-proto-0x{prot:x}");
            Ok(())
        }
    }
}
