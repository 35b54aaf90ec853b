//! The Common Address Redundancy Protocol (print-carp.c): IP protocol
//! 112, which tcpdump prints as VRRP unless `-T carp` says it is CARP.

use crate::ctx::{Bytes, Ctx, Res, in_cksum, put};

/// `carp_print`: `CARPv2-advertise 36: vhid=1 advbase=1 advskew=0
/// authlen=7 counter=42`; `ttl` is the IP header's.
pub(crate) fn carp_print(ctx: &mut Ctx<'_>, p: &[u8], len: u32, ttl: u8) -> Res {
    ctx.proto = "carp";
    ctx.s("CARP");
    let b = p.u8_at(0)?;
    let (version, typ) = (b >> 4, b & 0xf);
    let kind = if typ == 1 { "advertise" } else { "unknown" };
    put!(ctx.out, "v{version}-{kind} {len}: ");
    if ttl != 255 {
        put!(ctx.out, "[ttl={ttl}!] ");
    }
    if version != 2 || typ != 1 {
        return Ok(());
    }
    put!(
        ctx.out,
        "vhid={} advbase={} advskew={} authlen={} ",
        p.u8_at(1)?,
        p.u8_at(5)?,
        p.u8_at(2)?,
        p.u8_at(3)?
    );
    if ctx.o.verbose > 0 && p.has(0, len as usize) && in_cksum(&[&p[..len as usize]]) != 0 {
        put!(ctx.out, " (bad carp cksum {:x}!)", p.be16(6)?);
    }
    let counter = (u64::from(p.be32(8)?) << 32) | u64::from(p.be32(12)?);
    put!(ctx.out, "counter={counter}");
    Ok(())
}
