//! Small text-ish protocols: TFTP, syslog, Kerberos, and the commands
//! that mark a SIP request (SIP is printed by the core's
//! `txtproto_print`, as HTTP is).

use super::{Bytes, Ctx, Res, Trunc, printjn, printztn, put, tok, unknown_data};

const TFTP_OPS: &[(u16, &str)] = &[
    (1, "RRQ"),
    (2, "WRQ"),
    (3, "DATA"),
    (4, "ACK"),
    (5, "ERROR"),
    (6, "OACK"),
];

const TFTP_ERRS: &[(u16, &str)] = &[
    (0, "EUNDEF"),
    (1, "ENOTFOUND"),
    (2, "EACCESS"),
    (3, "ENOSPACE"),
    (4, "EBADOP"),
    (5, "EBADID"),
    (6, "EEXISTS"),
    (7, "ENOUSER"),
];

/// The NUL-terminated strings that fill `len` bytes from `at` (TFTP
/// options), each after a space unless empty; `Err` at a string that
/// does not end.
fn tftp_strings(out: &mut String, b: Bytes, mut at: usize, mut len: usize) -> Res {
    while len != 0 {
        if b.u8(at)? != 0 {
            out.push(' ');
        }
        let used = printztn(out, b, at, len);
        if used == 0 {
            return Err(Trunc);
        }
        at += used;
        len -= used;
    }
    Ok(())
}

/// ` "string"` up to its NUL within `len` bytes; the bytes used, `Err`
/// when it does not end.
fn quoted(out: &mut String, b: Bytes, at: usize, len: usize) -> Res<usize> {
    if len == 0 {
        return Err(Trunc);
    }
    out.push_str(" \"");
    let used = printztn(out, b, at, len);
    out.push('"');
    if used == 0 { Err(Trunc) } else { Ok(used) }
}

/// `TFTP, length 20, RRQ "file" octet`.
pub(crate) fn tftp(out: &mut String, _cx: &Ctx, b: Bytes, length: u32) -> Res {
    let mut len = length as usize;
    put!(out, "TFTP, length {length}");
    if len < 2 {
        return Err(Trunc);
    }
    let op = b.be16(0)?;
    match tok(TFTP_OPS, op) {
        Some(n) => put!(out, ", {n}"),
        None => {
            put!(out, ", tftp-#{op}");
            return Ok(());
        }
    }
    let mut at = 2;
    len -= 2;
    match op {
        1 | 2 => {
            let used = quoted(out, b, at, len)?;
            at += used;
            len -= used;
            if len == 0 {
                return Err(Trunc);
            }
            out.push(' ');
            let used = printztn(out, b, at, len);
            if used == 0 {
                return Err(Trunc);
            }
            tftp_strings(out, b, at + used, len - used)?;
        }
        6 => tftp_strings(out, b, at, len)?,
        3 | 4 => {
            if len < 2 {
                return Err(Trunc);
            }
            put!(out, " block {}", b.be16(at)?);
        }
        _ => {
            if len < 2 {
                return Err(Trunc);
            }
            let code = b.be16(at)?;
            match tok(TFTP_ERRS, code) {
                Some(n) => put!(out, " {n}"),
                None => put!(out, " tftp-err-#{code} \""),
            }
            quoted(out, b, at + 2, len - 2)?;
        }
    }
    Ok(())
}

const FACILITIES: [&str; 24] = [
    "kernel", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron",
    "authpriv", "ftp", "ntp", "security", "console", "cron", "local0", "local1", "local2",
    "local3", "local4", "local5", "local6", "local7",
];

const SEVERITIES: [&str; 8] = [
    "emerg", "alert", "crit", "err", "warning", "notice", "info", "debug",
];

/// `SYSLOG daemon.info, length: 42`, the message on `-v`.
pub(crate) fn syslog(out: &mut String, cx: &Ctx, b: Bytes, length: u32) -> Res {
    let len = length as usize;
    if b.u8(0)? != b'<' {
        out.push_str(" (invalid)");
        return Ok(());
    }
    let mut off = 1;
    let mut pri: u16 = 0;
    while off <= 3 {
        let c = b.u8(off)?;
        if !c.is_ascii_digit() {
            break;
        }
        pri = pri * 10 + u16::from(c - b'0');
        off += 1;
    }
    if b.u8(off)? != b'>' {
        out.push_str(" (invalid)");
        return Ok(());
    }
    off += 1;
    let facility = usize::from((pri & 0x3f8) >> 3);
    let severity = usize::from(pri & 7);
    let fac = FACILITIES.get(facility).copied();
    let sev = SEVERITIES[severity];
    if cx.verbose < 1 {
        match fac {
            Some(f) => put!(out, "SYSLOG {f}.{sev}, length: {len}"),
            None => put!(out, "SYSLOG unknown ({facility}).{sev}, length: {len}"),
        }
        return Ok(());
    }
    put!(out, "SYSLOG, length: {len}\n\tFacility ");
    match fac {
        Some(f) => out.push_str(f),
        None => put!(out, "unknown ({facility})"),
    }
    put!(out, " ({facility}), Severity {sev} ({severity})\n\tMsg: ");
    // The message is what the UDP length leaves after the priority.
    if len > off {
        printjn(out, b, off, len - off)?;
    }
    if cx.verbose > 1 {
        unknown_data(out, b, "\n\t", 0, len);
    }
    Ok(())
}

/// The SIP requests tcpdump's `sip_print` gives `txtproto_print`.
pub(crate) const SIP_CMDS: [&str; 17] = [
    "ACK",
    "BYE",
    "CANCEL",
    "DO",
    "INFO",
    "INVITE",
    "MESSAGE",
    "NOTIFY",
    "OPTIONS",
    "PRACK",
    "QAUTH",
    "REFER",
    "REGISTER",
    "SPRACK",
    "SUBSCRIBE",
    "UPDATE",
    "PUBLISH",
];

/// Kerberos (tcpdump's `krb_print`): the version; for version 4 the
/// message type and principal names.
/// A read past the capture ends it as tcpdump's does: [`Trunc`] (its
/// `GET_*` longjmp), or ` [|krb]` and a return for the version byte and
/// a string `c_print` runs off the capture with.
pub(crate) fn krb(out: &mut String, _cx: &Ctx, b: Bytes, _length: u32) -> Res {
    let Ok(pvno) = b.u8(0) else {
        out.push_str(" [|krb]");
        return Ok(());
    };
    match pvno {
        1..=3 => put!(out, " v{pvno}"),
        4 => {
            put!(out, " v{pvno}");
            match krb4(out, b) {
                Ok(()) => {}
                Err(KrbEnd::Cut) => out.push_str(" [|krb]"),
                Err(KrbEnd::Trunc) => return Err(Trunc),
            }
        }
        106 | 107 => out.push_str(" v5"),
        _ => {}
    }
    Ok(())
}

/// How a Kerberos 4 message ends early.
enum KrbEnd {
    /// A `GET_*` read past the capture.
    Trunc,
    /// A string ran off the capture (`c_print` returned NULL).
    Cut,
}

impl From<Trunc> for KrbEnd {
    fn from(_: Trunc) -> Self {
        KrbEnd::Trunc
    }
}

/// A NUL-terminated string (`c_print`); the index after the NUL,
/// [`KrbEnd::Cut`] when the capture ends first.
fn krb_string(out: &mut String, b: Bytes, mut at: usize) -> Result<usize, KrbEnd> {
    loop {
        let c = b.u8(at).map_err(|_| KrbEnd::Cut)?;
        at += 1;
        if c == 0 {
            return Ok(at);
        }
        super::print_char(out, c);
    }
}

/// `name.instance@realm` after the two header bytes.
fn krb4_names(out: &mut String, b: Bytes) -> Result<usize, KrbEnd> {
    let at = krb_string(out, b, 2)?;
    out.push('.');
    let at = krb_string(out, b, at)?;
    out.push('@');
    krb_string(out, b, at)
}

fn krb4(out: &mut String, b: Bytes) -> Result<(), KrbEnd> {
    let t = b.u8(1)?;
    let little = t & 1 != 0;
    let typ = t & 0xfe;
    let u16_at = |at: usize| -> Res<u16> {
        let v = b.be16(at)?;
        Ok(if little { v.swap_bytes() } else { v })
    };
    let name = match typ {
        2 => "KDC_REQUEST".to_string(),
        4 => "KDC_REPLY".to_string(),
        6 => "APPL_REQUEST".to_string(),
        8 => "APPL_REQUEST_MUTUAL".to_string(),
        10 => "ERR_REPLY".to_string(),
        12 => "PRIVATE".to_string(),
        14 => "SAFE".to_string(),
        16 => "APPL_ERR".to_string(),
        126 => "DIE".to_string(),
        _ => format!("#{typ}"),
    };
    put!(out, " {} {name}: ", if little { "le" } else { "be" });
    match typ {
        2 => {
            let at = krb4_names(out, b)? + 4;
            put!(out, " {}min ", u32::from(b.u8(at)?) * 5);
            let at = krb_string(out, b, at + 1)?;
            out.push('.');
            krb_string(out, b, at)?;
        }
        6 => {
            put!(out, "v{} ", b.u8(2)?);
            let at = krb_string(out, b, 3)?;
            put!(out, " ({})", b.u8(at)?);
            put!(out, " ({})", b.u8(at + 1)?);
        }
        4 => {
            let at = krb4_names(out, b)? + 10;
            put!(out, " ({})", u16_at(at)?);
        }
        10 => {
            let at = krb4_names(out, b)? + 4;
            let code = u16_at(at)?;
            const ERRS: [&str; 11] = [
                "OK",
                "NAME_EXP",
                "SERVICE_EXP",
                "AUTH_EXP",
                "PKT_VER",
                "NAME_MAST_KEY_VER",
                "SERV_MAST_KEY_VER",
                "BYTE_ORDER",
                "PRINCIPAL_UNKNOWN",
                "PRINCIPAL_NOT_UNIQUE",
                "NULL_KEY",
            ];
            match ERRS.get(usize::from(code)) {
                Some(e) => put!(out, " {e} "),
                None => put!(out, " #{code} "),
            }
            krb_string(out, b, at + 4)?;
        }
        _ => out.push_str("(unknown)"),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{app, app_len};

    #[test]
    fn tftp_read_request() {
        assert_eq!(
            app(0, 40000, 69, b"\x00\x01file.txt\x00octet\x00"),
            "TFTP, length 17, RRQ \"file.txt\" octet"
        );
    }

    #[test]
    fn syslog_line() {
        assert_eq!(
            app(0, 514, 514, b"<30>hello"),
            "SYSLOG daemon.info, length: 9"
        );
    }

    #[test]
    fn kerberos4() {
        let p = b"\x04\x02alice\0\0EXAMPLE.COM\0\0\0\0\0\x60krbtgt\0EXAMPLE.COM\0";
        assert_eq!(
            app(0, 40000, 88, p),
            " v4 be KDC_REQUEST: alice.@EXAMPLE.COM 480min krbtgt.EXAMPLE.COM"
        );
        assert_eq!(
            app(0, 40000, 88, b"\x04\x02unterminated"),
            " v4 be KDC_REQUEST: unterminated [|krb]"
        );
    }

    #[test]
    fn sip_request() {
        let p = b"INVITE sip:bob@example.com SIP/2.0\r\nVia: x\r\n\r\n";
        assert_eq!(
            app(0, 5060, 5060, p),
            "SIP: INVITE sip:bob@example.com SIP/2.0"
        );
        // A line the capture cuts (or that has no end) is printed up to
        // there, then marked, as tcpdump's print_txt_line does.
        assert_eq!(
            app_len(0, 5060, 5060, &p[..20], p.len() as u32),
            "SIP: INVITE sip:bob@examp [|sip]"
        );
        assert_eq!(
            app_len(1, 5060, 5060, p, p.len() as u32),
            "SIP, length: 46\n\tINVITE sip:bob@example.com SIP/2.0\n\tVia: x\n\t"
        );
        // A response: the code in the second token.
        assert_eq!(
            app(0, 5060, 5060, b"SIP/2.0 200 OK\r\n"),
            "SIP: SIP/2.0 200 OK"
        );
        assert_eq!(app(0, 5060, 5060, b"SIP/2.0 OK 200\r\n"), "SIP");
    }
}
