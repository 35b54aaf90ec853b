//! Cisco's SNAP protocols: CDP (pid 0x2000) and DTP (pid 0x2004), as
//! tcpdump prints them without -v.

use crate::ctx::{Bytes, Ctx, Res, put};

/// CDP TLV names (for a TLV too short).
const CDP_TLVS: &[(u16, &str)] = &[
    (0x01, "Device-ID"),
    (0x02, "Address"),
    (0x03, "Port-ID"),
    (0x04, "Capability"),
    (0x05, "Version String"),
    (0x06, "Platform"),
    (0x07, "Prefixes"),
    (0x08, "Protocol-Hello option"),
    (0x09, "VTP Management Domain"),
    (0x0a, "Native VLAN ID"),
    (0x0b, "Duplex"),
    (0x0e, "ATA-186 VoIP VLAN request"),
    (0x0f, "ATA-186 VoIP VLAN assignment"),
    (0x10, "power consumption"),
    (0x11, "MTU"),
    (0x12, "AVVID trust bitmap"),
    (0x13, "AVVID untrusted ports CoS"),
    (0x14, "System Name"),
    (0x15, "System Object ID (not decoded)"),
    (0x16, "Management Addresses"),
    (0x17, "Physical Location"),
];

/// `CDPv2, ttl: 180s, Device-ID 'sw1'` and a hex dump of each other
/// TLV's value, then `, length N`. With -v only the summary is printed
/// (the TLVs' decoding is not done here).
pub(crate) fn cdp_print(ctx: &mut Ctx<'_>, p: &[u8], length: u32) -> Res {
    ctx.proto = "cdp";
    if ctx.o.verbose > 0 {
        put!(ctx.out, "CDP, length {length}");
        return Ok(());
    }
    if length < 4 {
        put!(ctx.out, " (packet length {length} < 4) (invalid)");
        return Ok(());
    }
    put!(ctx.out, "CDPv{}, ttl: {}s", p.u8_at(0)?, p.u8_at(1)?);
    p.be16(2)?;
    let mut at = 4;
    while at < length as usize {
        let remaining = length as usize - at;
        if remaining < 4 {
            put!(
                ctx.out,
                " (remaining packet length {remaining} < 4) (invalid)"
            );
            return Ok(());
        }
        let t = p.be16(at)?;
        let len = usize::from(p.be16(at + 2)?);
        if len < 4 {
            put!(
                ctx.out,
                ", {} TLV length {len} too short",
                crate::ctx::tok(CDP_TLVS, t).unwrap_or("unknown field type")
            );
            ctx.s(" (invalid)");
            return Ok(());
        }
        if len > remaining {
            put!(ctx.out, " (TLV length {len} > {remaining}) (invalid)");
            return Ok(());
        }
        let v = p.sub(at + 4, len - 4)?;
        if t == 1 {
            ctx.s(", Device-ID '");
            for &c in v {
                crate::ctx::fn_char(ctx.out, c);
            }
            ctx.s("'");
        } else {
            crate::hex::hex_prefixed(ctx.out, "\n\t  ", v, 0);
        }
        at += len;
    }
    put!(ctx.out, ", length {length}");
    Ok(())
}

/// `DTPv1, length 31` (the TLVs are printed with -v only; not done
/// here).
pub(crate) fn dtp_print(ctx: &mut Ctx<'_>, p: &[u8], length: u32) -> Res {
    ctx.proto = "dtp";
    if length < 1 {
        ctx.s("[zero packet length] (invalid)");
        return Ok(());
    }
    put!(ctx.out, "DTPv{}, length {length}", p.u8_at(0)?);
    Ok(())
}
