//! The Ad-Hoc Configuration Protocol, version 1 (tcpdump's `ahcp_print`).

use super::{Bytes, Ctx, Res, put};

const OPTIONS: [&str; 14] = [
    "Pad",
    "Mandatory",
    "Origin Time",
    "Expires",
    "My-IPv6-Address",
    "My-IPv4-Address",
    "IPv6 Prefix",
    "IPv4 Prefix",
    "IPv6 Address",
    "IPv4 Address",
    "IPv6 Prefix Delegation",
    "IPv4 Prefix Delegation",
    "Name Server",
    "NTP Server",
];

/// ` (invalid)`, then the truncation mark if `len` bytes at `at` were not
/// captured (tcpdump's `invalid:` label).
fn invalid(out: &mut String, b: Bytes, at: usize, len: usize) -> Res {
    out.push_str(" (invalid)");
    b.get(at, len)?;
    Ok(())
}

fn link_id(out: &mut String, b: Bytes, at: usize) -> Res {
    let hex: Vec<String> = b.get(at, 8)?.iter().map(|x| format!("{x:02x}")).collect();
    out.push_str(&hex.join(":"));
    Ok(())
}

/// A list of addresses or prefixes of `item` bytes each: `: a, b`.
fn list(out: &mut String, b: Bytes, mut at: usize, mut len: usize, item: usize) -> Res {
    let mut sep = ": ";
    while len > 0 {
        if len < item {
            return invalid(out, b, at, len);
        }
        out.push_str(sep);
        match item {
            16 => put!(out, "{}", b.ipv6(at)?),
            4 => put!(out, "{}", b.ipv4(at)?),
            17 => put!(out, "{}/{}", b.ipv6(at)?, b.u8(at + 16)?),
            _ => put!(out, "{}/{}", b.ipv4(at)?, b.u8(at + 4)?),
        }
        at += item;
        len -= item;
        sep = ", ";
    }
    Ok(())
}

fn options(out: &mut String, b: Bytes, mut at: usize, mut len: usize) -> Res {
    while len > 0 {
        let no = b.u8(at)?;
        at += 1;
        len -= 1;
        match OPTIONS.get(usize::from(no)) {
            Some(n) => put!(out, "\n\t {n}"),
            None => put!(out, "\n\t Unknown-{no}"),
        }
        if no <= 1 {
            continue;
        }
        if len == 0 {
            return invalid(out, b, at, len);
        }
        let olen = usize::from(b.u8(at)?);
        at += 1;
        len -= 1;
        if olen > len {
            return invalid(out, b, at, len);
        }
        match no {
            2 | 3 => {
                if olen != 4 {
                    invalid(out, b, at, olen)?;
                } else {
                    let t = b.be32(at)?;
                    if no == 3 {
                        put!(out, ": {t}s");
                    } else {
                        let (y, m, d) = super::ntp::civil(i64::from(t).div_euclid(86_400));
                        let s = i64::from(t) % 86_400;
                        put!(
                            out,
                            ": {y:04}-{m:02}-{d:02} {:02}:{:02}:{:02} UTC",
                            s / 3600,
                            s % 3600 / 60,
                            s % 60
                        );
                    }
                }
            }
            4 | 8 | 12 | 13 => list(out, b, at, olen, 16)?,
            5 | 9 => list(out, b, at, olen, 4)?,
            6 | 10 => list(out, b, at, olen, 17)?,
            11 => list(out, b, at, olen, 5)?,
            _ => {
                put!(out, " (Length {olen})");
                b.get(at, olen)?;
            }
        }
        at += olen;
        len -= olen;
    }
    Ok(())
}

/// `AHCP Version 1`, the header on `-v`, the options on `-vv`.
pub(crate) fn print(out: &mut String, cx: &Ctx, b: Bytes, length: u32) -> Res {
    out.push_str("AHCP");
    let mut len = length as usize;
    if len < 2 || b.u8(0)? != 43 {
        return invalid(out, b, 0, len);
    }
    let version = b.u8(1)?;
    let mut at = 2;
    len -= 2;
    if version != 1 {
        put!(out, " Version {version} (unknown)");
        b.get(at, len)?;
        return Ok(());
    }
    out.push_str(" Version 1");
    if len < 22 {
        return invalid(out, b, at, len);
    }
    if cx.verbose == 0 {
        b.get(at, 22)?;
    } else {
        put!(out, "\n\tHopcount {}", b.u8(at)?);
        put!(out, ", Original Hopcount {}", b.u8(at + 1)?);
        put!(out, ", Nonce 0x{:08x}", b.be32(at + 2)?);
        out.push_str(", Source Id ");
        link_id(out, b, at + 6)?;
        out.push_str(", Destination Id ");
        link_id(out, b, at + 14)?;
    }
    at += 22;
    len -= 22;
    if len < 4 {
        return invalid(out, b, at, len);
    }
    let typ = b.u8(at)?;
    let mbz = b.u8(at + 1)?;
    let body = usize::from(b.be16(at + 2)?);
    at += 4;
    len -= 4;
    if cx.verbose > 0 {
        match ["Discover", "Offer", "Request", "Ack", "Nack", "Release"].get(usize::from(typ)) {
            Some(n) => put!(out, "\n\t{n}"),
            None => put!(out, "\n\tUnknown-{typ}"),
        }
        if mbz != 0 {
            put!(out, ", MBZ {mbz}");
        }
        put!(out, ", Length {body}");
    }
    if body > len {
        return invalid(out, b, at, len);
    }
    if cx.verbose >= 2 {
        options(out, b, at, body)
    } else {
        b.get(at, body)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::app;

    #[test]
    fn version_and_header() {
        let mut p = vec![0x2b, 1, 2, 3, 0xde, 0xad, 0xbe, 0xef];
        p.extend(0..16u8);
        p.extend([1, 0, 0, 0]);
        assert_eq!(app(0, 5359, 5359, &p), "AHCP Version 1");
        assert_eq!(
            app(1, 5359, 5359, &p),
            "AHCP Version 1\n\tHopcount 2, Original Hopcount 3, Nonce 0xdeadbeef, \
             Source Id 00:01:02:03:04:05:06:07, Destination Id 08:09:0a:0b:0c:0d:0e:0f\n\tOffer, Length 0"
        );
        assert_eq!(app(0, 5359, 5359, &[0x2c, 1]), "AHCP (invalid)");
    }
}
