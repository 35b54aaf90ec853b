//! The RPKI to Router protocol over TCP port 323 (RFC 6810, tcpdump
//! 4.99's `rpki_rtr_print`): `, RPKI-RTR` without -v; with -v each PDU
//! of the segment, an Error Report's encapsulated PDU one level deep,
//! and with -vv a hex dump of each PDU.
//!
//! PDU lengths are checked against the segment's length; a read past
//! the captured bytes ends the packet with ` [|rpki_rtr]`.

use crate::ctx::{Bytes, Ctx, Res, addr4, addr16, fn_char, put, tok};

/// The PDU header: version, type, session id or error code, length.
const HEADER: usize = 8;

const PDU_TYPES: &[(u8, &str)] = &[
    (0, "Serial Notify"),
    (1, "Serial Query"),
    (2, "Reset Query"),
    (3, "Cache Response"),
    (4, "IPV4 Prefix"),
    (6, "IPV6 Prefix"),
    (7, "End of Data"),
    (8, "Cache Reset"),
    (10, "Error Report"),
];

const ERROR_CODES: &[(u16, &str)] = &[
    (0, "Corrupt Data"),
    (1, "Internal Error"),
    (2, "No Data Available"),
    (3, "Invalid Request"),
    (4, "Unsupported Protocol Version"),
    (5, "Unsupported PDU Type"),
    (6, "Withdrawal of Unknown Record"),
    (7, "Duplicate Announcement Received"),
];

/// tcpdump's `indent_string`: a newline, a tab per 8 columns, a space
/// per column left.
fn indent(columns: usize) -> String {
    let mut s = String::from("\n");
    s.extend(std::iter::repeat_n('\t', columns / 8));
    s.extend(std::iter::repeat_n(' ', columns % 8));
    s
}

/// The PDUs of a TCP payload of `length` bytes.
pub(crate) fn rpki_rtr_print(ctx: &mut Ctx<'_>, p: &[u8], length: u32) -> Res {
    ctx.proto = "rpki_rtr";
    if ctx.o.verbose == 0 {
        ctx.s(", RPKI-RTR");
        return Ok(());
    }
    let mut left = length as usize;
    let mut at = 0;
    while left != 0 {
        let used = pdu(ctx, p.from(at), left, true, 8)?;
        left -= used;
        at += used;
    }
    Ok(())
}

/// One PDU in `len` bytes; the bytes it used (all of them when it is
/// invalid). `nested`: whether an Error Report's PDU is decoded too.
fn pdu(ctx: &mut Ctx<'_>, p: &[u8], len: usize, nested: bool, ind: usize) -> Res<usize> {
    let invalid = |ctx: &mut Ctx<'_>| -> Res<usize> {
        ctx.s(" (invalid)");
        p.sub(0, len)?;
        Ok(len)
    };
    if len < HEADER {
        put!(ctx.out, "({len} bytes is too few to decode)");
        return invalid(ctx);
    }
    let version = p.u8_at(0)?;
    if version != 0 {
        put!(ctx.out, "{}RPKI-RTRv{version} (unknown)", indent(8));
        return Ok(len);
    }
    let typ = p.u8_at(1)?;
    let pdu_len = p.be32(4)? as usize;
    put!(
        ctx.out,
        "{}RPKI-RTRv{version}, {} PDU ({typ}), length: {pdu_len}",
        indent(8),
        tok(PDU_TYPES, typ).unwrap_or("Unknown")
    );
    if pdu_len < HEADER || pdu_len > len {
        return invalid(ctx);
    }
    let field = indent(ind + 2);
    let mut hexdump = false;
    match typ {
        0 | 1 | 7 => {
            if pdu_len != HEADER + 4 {
                return invalid(ctx);
            }
            put!(
                ctx.out,
                "{field}Session ID: 0x{:04x}, Serial: {}",
                p.be16(2)?,
                p.be32(HEADER)?
            );
        }
        2 | 8 => {
            if pdu_len != HEADER {
                return invalid(ctx);
            }
        }
        3 => {
            if pdu_len != HEADER {
                return invalid(ctx);
            }
            put!(ctx.out, "{field}Session ID: 0x{:04x}", p.be16(2)?);
        }
        4 | 6 => {
            let v6 = typ == 6;
            if pdu_len != HEADER + 8 + if v6 { 16 } else { 4 } {
                return invalid(ctx);
            }
            let (family, prefix) = if v6 {
                ("IPv6", ctx.ip6(addr16(p, HEADER + 4)?))
            } else {
                ("IPv4", ctx.ip4(addr4(p, HEADER + 4)?))
            };
            put!(
                ctx.out,
                "{field}{family} Prefix {prefix}/{}-{}, origin-as {}, flags 0x{:02x}",
                p.u8_at(HEADER + 1)?,
                p.u8_at(HEADER + 2)?,
                p.be32(pdu_len - 4)?,
                p.u8_at(HEADER)?
            );
        }
        10 => {
            if !error_report(ctx, p, pdu_len, nested, ind)? {
                return invalid(ctx);
            }
        }
        _ => {
            p.sub(0, pdu_len)?;
            hexdump = true;
        }
    }
    if ctx.o.verbose > 1 || hexdump {
        let dump = &p[..p.len().min(pdu_len)];
        crate::hex::hex_prefixed(ctx.out, "\n\t  ", dump, 0);
    }
    Ok(pdu_len)
}

/// An Error Report's code, encapsulated PDU and text; false where a
/// length does not fit the PDU.
fn error_report(
    ctx: &mut Ctx<'_>,
    p: &[u8],
    pdu_len: usize,
    nested: bool,
    ind: usize,
) -> Res<bool> {
    let mut used = HEADER;
    if pdu_len < used + 4 {
        return Ok(false);
    }
    let inner_len = p.be32(used)? as usize;
    used += 4;
    let code = p.be16(2)?;
    put!(
        ctx.out,
        "{}Error code: {} ({code}), Encapsulated PDU length: {inner_len}",
        indent(ind + 2),
        tok(ERROR_CODES, code).unwrap_or("Unknown")
    );
    if inner_len != 0 {
        if pdu_len - used < inner_len {
            return Ok(false);
        }
        if nested {
            put!(ctx.out, "{}-----encapsulated PDU-----", indent(ind + 4));
            pdu(ctx, p.from(used), inner_len, false, ind + 2)?;
        } else {
            p.sub(0, used + inner_len)?;
        }
        used += inner_len;
    }
    if pdu_len - used < 4 {
        return Ok(false);
    }
    let text_len = p.be32(used)? as usize;
    used += 4;
    if text_len != 0 {
        if pdu_len - used < text_len {
            return Ok(false);
        }
        put!(ctx.out, "{}Error text: ", indent(ind + 2));
        for i in 0..text_len {
            fn_char(ctx.out, p.u8_at(used + i)?);
        }
    }
    Ok(true)
}
