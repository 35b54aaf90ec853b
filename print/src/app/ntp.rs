//! NTP (tcpdump's `ntp_print`): version, mode and length; on `-v` the
//! time message fields or the control message header.

use super::{Bytes, Ctx, Res, Trunc, printjn, put};

const MODES: [&str; 8] = [
    "unspecified",
    "symmetric active",
    "symmetric passive",
    "Client",
    "Server",
    "Broadcast",
    "Control Message",
    "Reserved",
];

/// Seconds from 1900 (NTP's era) to 1970.
const JAN_1970: i64 = 2_208_988_800;
const TIME_MSG_MIN: usize = 48;

/// A 16.16 fixed point number (`p_sfix`).
fn sfix(out: &mut String, b: Bytes, at: usize) -> Res {
    let i = b.be16(at)?;
    let f = b.be16(at + 2)?;
    let ppm = (f64::from(f) / 65536.0 * 1_000_000.0) as u32;
    put!(out, "{i}.{ppm:06}");
    Ok(())
}

/// Civil date from days since 1970-01-01 (proleptic Gregorian).
pub(crate) fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// A 32.32 NTP time stamp and, when not zero, its UTC date (`p_ntp_time`).
pub(crate) fn ntp_time(out: &mut String, b: Bytes, at: usize) -> Res {
    let i = b.be32(at)?;
    let uf = b.be32(at + 4)?;
    let f = (f64::from(uf) / 4_294_967_296.0 * 1_000_000_000.0) as u32;
    put!(out, "{i}.{f:09}");
    if i != 0 {
        let secs = i64::from(i) - JAN_1970;
        let (y, m, d) = civil(secs.div_euclid(86_400));
        let s = secs.rem_euclid(86_400);
        put!(
            out,
            " ({y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z)",
            s / 3600,
            s % 3600 / 60,
            s % 60
        );
    }
    Ok(())
}

/// The difference of two time stamps (`p_ntp_delta`).
fn ntp_delta(out: &mut String, b: Bytes, old: usize, new: usize) -> Res {
    let u = b.be32(new)?;
    let ou = b.be32(old)?;
    let uf = b.be32(new + 4)?;
    let ouf = b.be32(old + 4)?;
    if ou == 0 && ouf == 0 {
        return ntp_time(out, b, new);
    }
    let (neg, i, f) = if u > ou {
        let i = (u - ou).wrapping_sub(u32::from(ouf > uf));
        (false, i, uf.wrapping_sub(ouf))
    } else if u < ou {
        let i = (ou - u).wrapping_sub(u32::from(uf > ouf));
        (true, i, ouf.wrapping_sub(uf))
    } else if uf > ouf {
        (false, 0, uf - ouf)
    } else {
        (true, 0, ouf - uf)
    };
    let f = (f64::from(f) / 4_294_967_296.0 * 1_000_000_000.0) as u32;
    put!(out, "{}{i}.{f:09}", if neg { "-" } else { "+" });
    Ok(())
}

/// The fields of a time message (modes 0 to 5).
fn time_msg(out: &mut String, b: Bytes, length: usize) -> Res {
    if length < TIME_MSG_MIN {
        out.push_str(" (invalid)");
        b.get(0, length)?;
        return Ok(());
    }
    let stratum = b.u8(1)?;
    let kind = match stratum {
        0 => "unspecified",
        1 => "primary reference",
        2..=15 => "secondary reference",
        _ => "reserved",
    };
    put!(out, ", Stratum {stratum} ({kind})");
    let poll = b.u8(2)? as i8;
    put!(out, ", poll {poll}");
    if poll > -32 && poll < 32 {
        if poll >= 0 {
            put!(out, " ({}s)", 1u32 << poll);
        } else {
            put!(out, " (1/{}s)", 1u32 << -poll);
        }
    }
    put!(out, ", precision {}", b.u8(3)? as i8);
    out.push_str("\n\tRoot Delay: ");
    sfix(out, b, 4)?;
    out.push_str(", Root dispersion: ");
    sfix(out, b, 8)?;
    out.push_str(", Reference-ID: ");
    match stratum {
        0 => {
            out.push_str("(unspec)");
            b.get(12, 4)?;
        }
        1 => printjn(out, b, 12, 4)?,
        62 => {
            put!(out, "{} INFO_QUERY", b.ipv4(12)?);
            return Ok(());
        }
        63 => {
            put!(out, "{} INFO_REPLY", b.ipv4(12)?);
            return Ok(());
        }
        _ => put!(out, "0x{:08x}", b.be32(12)?),
    }
    for (label, at) in [
        ("\n\t  Reference Timestamp:  ", 16),
        ("\n\t  Originator Timestamp: ", 24),
        ("\n\t  Receive Timestamp:    ", 32),
        ("\n\t  Transmit Timestamp:   ", 40),
    ] {
        // tcpdump checks a time stamp is there before its label.
        b.get(at, 8)?;
        out.push_str(label);
        ntp_time(out, b, at)?;
    }
    out.push_str("\n\t    Originator - Receive Timestamp:  ");
    ntp_delta(out, b, 24, 32)?;
    out.push_str("\n\t    Originator - Transmit Timestamp: ");
    ntp_delta(out, b, 24, 40)?;
    match length - TIME_MSG_MIN {
        4 => put!(out, "\n\tKey id: {}", b.be32(48)?),
        20 | 24 => {
            put!(out, "\n\tKey id: {}", b.be32(48)?);
            out.push_str("\n\tAuthentication: ");
            for k in 0..(length - TIME_MSG_MIN - 4) / 4 {
                put!(out, "{:08x}", b.be32(52 + 4 * k)?);
            }
        }
        0 => {}
        more => put!(out, "\n\t({more} more bytes after the header)"),
    }
    Ok(())
}

/// A control message (mode 6).
fn control_msg(out: &mut String, b: Bytes, length: usize) -> Res {
    if length < 12 {
        out.push_str(" (invalid)");
        b.get(0, length)?;
        return Ok(());
    }
    let control = b.u8(1)?;
    put!(
        out,
        ", {}, {}, {}, OpCode={}\n",
        if control & 0x80 != 0 {
            "Response"
        } else {
            "Request"
        },
        if control & 0x40 != 0 { "Error" } else { "OK" },
        if control & 0x20 != 0 { "More" } else { "Last" },
        control & 0x1f
    );
    put!(out, "\tSequence={}", b.be16(2)?);
    match b.be16(4)? {
        0 => out.push_str(", Status=0"),
        st => put!(out, ", Status={st:#x}"),
    }
    put!(out, ", Assoc.={}", b.be16(6)?);
    put!(out, ", Offset={}", b.be16(8)?);
    let count = usize::from(b.be16(10)?);
    put!(out, ", Count={count}");
    if 12 + count > length {
        out.push_str(" (invalid)");
        b.get(0, length)?;
        return Ok(());
    }
    if count != 0 {
        b.get(12, count)?;
        out.push_str("\n\tTO-BE-DONE: data not interpreted");
    }
    Ok(())
}

/// `NTPv4, Client, length 48`, the fields on `-v`.
pub(crate) fn print(out: &mut String, cx: &Ctx, b: Bytes, length: u32) -> Res {
    let status = b.u8(0).map_err(|_| Trunc)?;
    let version = (status & 0x38) >> 3;
    let mode = usize::from(status & 7);
    put!(out, "NTPv{version}, {}, length {length}", MODES[mode]);
    if cx.verbose == 0 {
        return Ok(());
    }
    out.push('\n');
    let leap = status & 0xc0;
    let name = match leap {
        0 => "",
        0x40 => "+1s",
        0x80 => "-1s",
        _ => "clock unsynchronized",
    };
    put!(out, "\tLeap indicator: {name} ({leap})");
    match mode {
        0..=5 => time_msg(out, b, length as usize),
        6 => control_msg(out, b, length as usize),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{app, app_len};

    #[test]
    fn client_line_and_truncated() {
        let mut p = vec![0x23];
        p.resize(48, 0);
        assert_eq!(app(0, 123, 123, &p), "NTPv4, Client, length 48");
        assert_eq!(app_len(0, 123, 123, &[], 0), " [|ntp]");
    }

    #[test]
    fn civil_dates() {
        assert_eq!(super::civil(0), (1970, 1, 1));
        assert_eq!(super::civil(19_723), (2024, 1, 1));
    }
}
