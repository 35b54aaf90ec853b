//! RIP v1/v2 (tcpdump's `rip_print`).

use super::{Bytes, Ctx, Res, Trunc, printjnp, put, tok, unknown_data};
use crate::link::BSD_AF;

const CMDS: &[(u8, &str)] = &[
    (1, "Request"),
    (2, "Response"),
    (3, "Trace on"),
    (4, "Trace off"),
    (5, "Poll"),
    (6, "Triggered Request"),
    (7, "Triggered Response"),
    (8, "Triggered Acknowledgement"),
    (9, "Update Request"),
    (10, "Update Response"),
    (11, "Update Acknowledge"),
];

const ROUTE_LEN: usize = 20;

/// Prints one route entry; returns its size, 0 where tcpdump gives up.
type EntryFn = fn(&mut String, Bytes, usize, usize) -> Res<usize>;

fn afi(out: &mut String, family: u16) {
    match tok(BSD_AF, u32::from(family)) {
        Some(n) => out.push_str(n),
        None => put!(out, "Unknown ({family})"),
    }
}

/// The prefix length of a netmask, or -1.
fn mask2plen(mask: u32) -> i32 {
    match mask.leading_ones() {
        n if mask.checked_shl(n).unwrap_or(0) == 0 => n as i32,
        _ => -1,
    }
}

/// A RIPv1 entry; 0 where tcpdump gives up.
fn entry_v1(out: &mut String, b: Bytes, p: usize, remaining: usize) -> Res<usize> {
    if remaining < ROUTE_LEN {
        return Ok(0);
    }
    b.get(p, ROUTE_LEN)?;
    let family = b.be16(p)?;
    if family != 2 && family != 0 {
        out.push_str("\n\t AFI ");
        afi(out, family);
        out.push_str(", ");
        unknown_data(out, b, "\n\t  ", p + 4, ROUTE_LEN - 4);
        return Ok(ROUTE_LEN);
    }
    if b.be16(p + 2)? != 0 || b.be32(p + 8)? != 0 || b.be32(p + 12)? != 0 {
        unknown_data(out, b, "\n\t  ", p, ROUTE_LEN);
        return Ok(ROUTE_LEN);
    }
    let dest = b.ipv4(p + 4)?;
    let metric = b.be32(p + 16)?;
    if family == 0 {
        put!(out, "\n\t  AFI 0, {dest}, metric: {metric}");
    } else {
        put!(out, "\n\t  {dest}, metric: {metric}");
    }
    Ok(ROUTE_LEN)
}

/// A RIPv2 entry; 0 where tcpdump gives up.
fn entry_v2(out: &mut String, b: Bytes, p: usize, remaining: usize) -> Res<usize> {
    if remaining < 4 {
        return Ok(0);
    }
    b.get(p, 4)?;
    let family = b.be16(p)?;
    if family == 0xffff {
        let auth = b.be16(p + 2)?;
        let rest = remaining - 4;
        match auth {
            2 => {
                out.push_str("\n\t  Simple Text Authentication data: ");
                printjnp(out, b, p + 4, 16)?;
            }
            3 => {
                if rest < 16 {
                    return Ok(0);
                }
                let q = p + 4;
                put!(
                    out,
                    "\n\t  Auth header: Packet Len {}, Key-ID {}, Auth Data Len {}, SeqNo {}, MBZ {}, MBZ {}",
                    b.be16(q)?,
                    b.u8(q + 2)?,
                    b.u8(q + 3)?,
                    b.be32(q + 4)?,
                    b.be32(q + 8)?,
                    b.be32(q + 12)?
                );
            }
            1 => {
                out.push_str("\n\t  Auth trailer:");
                unknown_data(out, b, "\n\t  ", p + 4, rest);
                return Ok(remaining);
            }
            _ => {
                put!(out, "\n\t  Unknown ({auth}) Authentication data:");
                unknown_data(out, b, "\n\t  ", p + 4, rest);
                return Ok(remaining);
            }
        }
    } else if family != 2 && family != 0 {
        out.push_str("\n\t  AFI ");
        afi(out, family);
        unknown_data(out, b, "\n\t  ", p + 4, ROUTE_LEN - 4);
    } else {
        if remaining < ROUTE_LEN {
            return Ok(0);
        }
        let name = if family == 0 { "0" } else { "IPv4" };
        let dest = b.ipv4(p + 4)?.to_string();
        put!(
            out,
            "\n\t  AFI {name}, {dest:>15}/{:<2}, tag 0x{:04x}, metric: {}, next-hop: ",
            mask2plen(b.be32(p + 8)?),
            b.be16(p + 2)?,
            b.be32(p + 16)?
        );
        let router = b.ipv4(p + 12)?;
        if router.is_unspecified() {
            out.push_str("self");
        } else {
            put!(out, "{router}");
        }
    }
    Ok(ROUTE_LEN)
}

/// `RIPv2, Response, length: 44`, the routes on `-v`.
pub(crate) fn rip(out: &mut String, cx: &Ctx, b: Bytes, length: u32) -> Res {
    let length = length as usize;
    let mut len = b.len().min(length);
    if len < 4 {
        return Err(Trunc);
    }
    len -= 4;
    let vers = b.u8(1)?;
    put!(
        out,
        "{}RIPv{vers}",
        if cx.verbose >= 1 { "\n\t" } else { "" }
    );
    let cmd = b.u8(0)?;
    match tok(CMDS, cmd) {
        Some(n) => put!(out, ", {n}, length: {length}"),
        None => put!(out, ", unknown command ({cmd}), length: {length}"),
    }
    if cx.verbose < 1 {
        return Ok(());
    }
    match cmd {
        1 | 2 => {
            let entry: Option<EntryFn> = match vers {
                1 => {
                    put!(out, ", routes: {}", length / ROUTE_LEN);
                    Some(entry_v1)
                }
                2 => {
                    put!(out, ", routes: {} or less", length / ROUTE_LEN);
                    Some(entry_v2)
                }
                _ => {
                    out.push_str(", unknown version");
                    None
                }
            };
            let mut p = 4;
            while let Some(entry) = entry
                && len != 0
            {
                let size = entry(out, b, p, len)?;
                if size == 0 {
                    out.push_str(" [|rip]");
                    break;
                }
                if len < size {
                    put!(out, " [remaining entries length {len} < {size}] (invalid)");
                    break;
                }
                p += size;
                len -= size;
            }
        }
        3..=11 => {}
        _ => {
            if cx.verbose <= 1 {
                unknown_data(out, b, "\n\t", 0, length);
            }
        }
    }
    if cx.verbose > 1 {
        unknown_data(out, b, "\n\t", 0, length);
    }
    Ok(())
}

/// One RIPng route entry (`rip6_entry_print`).
fn ripng_entry(out: &mut String, b: Bytes, at: usize, metric: bool) -> Res {
    put!(out, "{}/{}", b.ipv6(at)?, b.u8(at + 18)?);
    let tag = b.be16(at + 16)?;
    if tag != 0 {
        put!(out, " [{tag}]");
    }
    let m = b.u8(at + 19)?;
    if m != 0 && metric {
        put!(out, " ({m})");
    }
    Ok(())
}

/// RIPng (tcpdump's `ripng_print`): ` ripng-resp 2: prefix/len (metric) ...`.
pub(crate) fn ripng(out: &mut String, cx: &Ctx, b: Bytes, length: u32) -> Res {
    let invalid = |out: &mut String| out.push_str(" (invalid)");
    let vers = b.u8(1)?;
    if vers != 1 {
        put!(out, " [vers {vers}]");
        invalid(out);
        return Ok(());
    }
    let cmd = b.u8(0)?;
    let name = match cmd {
        1 => "req",
        2 => "resp",
        _ => {
            put!(out, " ripng-{cmd} ?? {length}");
            invalid(out);
            return Ok(());
        }
    };
    let Some(mut left) = (length as usize).checked_sub(4) else {
        invalid(out);
        return Ok(());
    };
    let j = left / 20;
    if cmd == 1 && j == 1 && b.u8(4 + 19)? == 16 && b.get(4, 16)?.iter().all(|&x| x == 0) {
        out.push_str(" ripng-req dump");
        return Ok(());
    }
    if j * 20 != left {
        put!(out, " ripng-{name} {j}[{length}]:");
    } else {
        put!(out, " ripng-{name} {j}:");
    }
    let mut at = 4;
    while left >= 20 {
        out.push_str(if cx.verbose > 1 { "\n\t" } else { " " });
        ripng_entry(out, b, at, cmd == 2)?;
        at += 20;
        left -= 20;
    }
    if left != 0 {
        invalid(out);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::testutil::app;

    #[test]
    fn masks() {
        assert_eq!(super::mask2plen(0xffff_ff00), 24);
        assert_eq!(super::mask2plen(0), 0);
        assert_eq!(super::mask2plen(0xff00_ff00), -1);
    }

    #[test]
    fn v2_response() {
        let mut p = vec![
            2, 2, 0, 0, 0, 2, 0, 0, 10, 1, 0, 0, 255, 255, 255, 0, 0, 0, 0, 0,
        ];
        p.extend([0, 0, 0, 1]);
        assert_eq!(app(0, 520, 520, &p), "RIPv2, Response, length: 24");
        assert_eq!(
            app(1, 520, 520, &p),
            "\n\tRIPv2, Response, length: 24, routes: 1 or less\n\t  AFI IPv4,        10.1.0.0/24, tag 0x0000, metric: 1, next-hop: self"
        );
    }
}
