//! Cisco Auto-RP over UDP 496 (tcpdump's `cisco_autorp_print`).

use super::{Bytes, Ctx, Res, put, relts};

/// ` auto-rp candidate-advert Hold 2m30s RP 192.0.2.1 PIMv2 224.0.0.0/4`;
/// a length too short ends it with ` [|cisco_autorp]` (tcpdump's
/// `goto trunc`; a read past the capture is its longjmp, `Err`).
pub(crate) fn print(out: &mut String, _cx: &Ctx, b: Bytes, len: u32) -> Res {
    if len < 8 {
        trunc(out);
        return Ok(());
    }
    out.push_str(" auto-rp ");
    match b.u8(0)? {
        0x11 => out.push_str("candidate-advert"),
        0x12 => out.push_str("mapping"),
        t => put!(out, "type-0x{t:02x}"),
    }
    let mut numrps = b.u8(1)?;
    out.push_str(" Hold ");
    let hold = b.be16(2)?;
    if hold != 0 {
        relts(out, u32::from(hold));
    } else {
        out.push_str("FOREVER");
    }
    let mut at = 8;
    let mut len = len - 8;
    while numrps != 0 {
        if len < 4 {
            trunc(out);
            return Ok(());
        }
        put!(out, " RP {}", b.ipv4(at)?);
        at += 4;
        len -= 4;
        if len < 1 {
            trunc(out);
            return Ok(());
        }
        let v = b.u8(at)?;
        out.push_str(match v & 3 {
            0 => " PIMv?",
            1 => " PIMv1",
            2 => " PIMv2",
            _ => " PIMv1+2",
        });
        if v & 0xfc != 0 {
            put!(out, " [rsvd=0x{:02x}]", v & 0xfc);
        }
        at += 1;
        len -= 1;
        if len < 1 {
            trunc(out);
            return Ok(());
        }
        let mut entries = b.u8(at)?;
        at += 1;
        len -= 1;
        let mut sep = ' ';
        while entries != 0 {
            if len < 6 {
                trunc(out);
                return Ok(());
            }
            let flags = b.u8(at)?;
            let neg = if flags & 1 != 0 { "!" } else { "" };
            put!(out, "{sep}{neg}{}/{}", b.ipv4(at + 2)?, b.u8(at + 1)?);
            if flags & 0x02 != 0 {
                out.push_str(" bidir");
            }
            if flags & 0xfc != 0 {
                put!(out, "[rsvd=0x{:02x}]", flags & 0xfc);
            }
            sep = ',';
            at += 6;
            len -= 6;
            entries -= 1;
        }
        numrps -= 1;
    }
    Ok(())
}

/// tcpdump's `nd_print_trunc` here.
fn trunc(out: &mut String) {
    out.push_str(" [|cisco_autorp]");
}
