//! The Precision Time Protocol (print-ptp.c), over Ethernet and, from
//! the UDP printer, ports 319 and 320 or `-T ptp`.

use crate::ctx::{Bytes, Ctx, Res, bits, put, tok};

const MSG_TYPES: &[(u8, &str)] = &[
    (0x0, "sync msg"),
    (0x1, "delay req msg"),
    (0x2, "peer delay req msg"),
    (0x3, "peer delay resp msg"),
    (0x8, "follow up msg"),
    (0x9, "delay resp msg"),
    (0xa, "pdelay resp fup msg"),
    (0xb, "announce msg"),
    (0xc, "signalling msg"),
    (0xd, "management msg"),
];

const CONTROL: &[(u8, &str)] = &[
    (0, "Sync"),
    (1, "Delay_Req"),
    (2, "Follow_Up"),
    (3, "Delay_Resp"),
    (4, "Management"),
    (5, "Other"),
];

const FLAGS: &[(u32, &str)] = &[
    (0x1, "l1 61"),
    (0x2, "l1 59"),
    (0x4, "utc reasonable"),
    (0x8, "timescale"),
    (0x10, "time tracable"),
    (0x20, "frequency tracable"),
    (0x100, "alternate master"),
    (0x200, "two step"),
    (0x400, "unicast"),
    (0x1000, "profile specific 1"),
    (0x2000, "profile specific 2"),
    (0x4000, "security mask"),
    (0x18c0, "unknown"),
];

fn be48(p: &[u8], at: usize) -> Res<u64> {
    let b = p.sub(at, 6)?;
    Ok(b.iter().fold(0u64, |a, &x| a << 8 | u64::from(x)))
}

fn be64(p: &[u8], at: usize) -> Res<u64> {
    let b = p.sub(at, 8)?;
    Ok(b.iter().fold(0u64, |a, &x| a << 8 | u64::from(x)))
}

/// `ptp_print`.
pub(crate) fn ptp_print(ctx: &mut Ctx<'_>, p: &[u8], length: u32) -> Res {
    ctx.proto = "ptp";
    if length < 34 {
        // Shorter than the common header (by the UDP or frame length).
        put!(ctx.out, " [length {length} < 34] (invalid)");
        return Ok(());
    }
    // tcpdump 4.99 takes the whole second byte as the version (so
    // PTP 2.1 shows as `PTPv18` and nothing more).
    let vers = p.be16(0)? & 0xff;
    put!(ctx.out, "PTPv{vers}");
    match vers {
        1 => ctx.s(" (not implemented)"),
        2 => v2(ctx, p)?,
        _ => {}
    }
    Ok(())
}

fn v2(ctx: &mut Ctx<'_>, p: &[u8]) -> Res {
    let foct = p.u8_at(0)?;
    put!(
        ctx.out,
        ", v1 compat : {}",
        if foct & 0x10 != 0 { "yes" } else { "no" }
    );
    let msg_type = foct & 0x0f;
    put!(
        ctx.out,
        ", msg type : {}",
        tok(MSG_TYPES, msg_type).unwrap_or("Reserved")
    );
    put!(ctx.out, ", length : {}", p.be16(2)?);
    put!(ctx.out, ", domain : {}", p.u8_at(4)?);
    put!(ctx.out, ", reserved1 : {}", p.u8_at(5)?);
    put!(
        ctx.out,
        ", Flags [{}]",
        bits(FLAGS, u32::from(p.be16(6)?), "none", ", ")
    );
    put!(ctx.out, ", NS correction : {}", be48(p, 8)?);
    put!(ctx.out, ", sub NS correction : {}", p.be16(14)?);
    put!(ctx.out, ", reserved2 : {}", p.be32(16)?);
    put!(ctx.out, ", clock identity : 0x{:x}", be64(p, 20)?);
    put!(ctx.out, ", port id : {}", p.be16(28)?);
    put!(ctx.out, ", seq id : {}", p.be16(30)?);
    let control = p.u8_at(32)?;
    put!(
        ctx.out,
        ", control : {control} ({})",
        tok(CONTROL, control).unwrap_or("Reserved")
    );
    put!(ctx.out, ", log message interval : {}", p.u8_at(33)?);
    let b = 34;
    // Each part is printed as soon as it is read (a cut shows how far
    // tcpdump got).
    let ts = |ctx: &mut Ctx<'_>, name: &str, identity: bool| -> Res {
        put!(ctx.out, ", {name} :");
        put!(ctx.out, " {} seconds,", be48(p, b)?);
        put!(ctx.out, " {} nanoseconds", p.be32(b + 6)?);
        if identity {
            put!(ctx.out, ", port identity : 0x{:x}", be64(p, b + 10)?);
            put!(ctx.out, ", port id : {}", p.be16(b + 18)?);
        }
        Ok(())
    };
    match msg_type {
        0 | 1 => ts(ctx, "originTimeStamp", false)?,
        2 | 0xa => ts(ctx, "preciseOriginTimeStamp", true)?,
        3 | 9 => ts(ctx, "receiveTimeStamp", true)?,
        8 => ts(ctx, "preciseOriginTimeStamp", false)?,
        0xb => {
            put!(ctx.out, ", originTimeStamp : {} seconds", be48(p, b)?);
            put!(ctx.out, " {} nanoseconds", p.be32(b + 6)?);
            put!(ctx.out, ", origin cur utc :{}", p.be16(b + 10)?);
            put!(ctx.out, ", rsvd : {}", p.u8_at(b + 12)?);
            put!(ctx.out, ", gm priority_1 : {}", p.u8_at(b + 13)?);
            put!(ctx.out, ", gm clock class : {}", p.u8_at(b + 14)?);
            put!(ctx.out, ", gm clock accuracy : {}", p.u8_at(b + 15)?);
            put!(ctx.out, ", gm clock variance : {}", p.be16(b + 16)?);
            put!(ctx.out, ", gm priority_2 : {}", p.u8_at(b + 18)?);
            put!(ctx.out, ", gm clock id : 0x{:x}", be64(p, b + 19)?);
            put!(ctx.out, ", steps removed : {}", p.be16(b + 27)?);
            put!(ctx.out, ", time source : 0x{:x}", p.u8_at(b + 29)?);
        }
        0xc | 0xd => {
            put!(ctx.out, ", port identity : 0x{:x}", be64(p, b)?);
            put!(ctx.out, ", port id : {}", p.be16(b + 8)?);
            if msg_type == 0xd {
                // tcpdump 4.99 reads all four from the body's first byte.
                let first = p.u8_at(b)?;
                put!(ctx.out, ", , start boundary hops  {first}");
                put!(ctx.out, ", , boundary hops  {first}");
                put!(ctx.out, ", , flags  0x{first:x}");
                put!(ctx.out, ", , reserved  0x{first:x}");
            }
        }
        _ => {}
    }
    Ok(())
}
