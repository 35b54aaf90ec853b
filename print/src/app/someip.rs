//! SOME/IP (print-someip.c), UDP port 30490 and `-T someip`: the
//! 16-byte header on one line.

use super::{Bytes, Res, put, tok};

const MESSAGE_TYPES: &[(u8, &str)] = &[
    (0x00, "REQUEST"),
    (0x01, "REQUEST_NO_RETURN"),
    (0x02, "NOTIFICATION"),
    (0x80, "RESPONSE"),
    (0x81, "ERROR"),
    (0x20, "TP_REQUEST"),
    (0x21, "TP_REQUEST_NO_RETURN"),
    (0x22, "TP_NOTIFICATION"),
    (0xa0, "TP_RESPONSE"),
    (0xa1, "TP_ERROR"),
];

const RETURN_CODES: &[(u8, &str)] = &[
    (0x00, "E_OK"),
    (0x01, "E_NOT_OK"),
    (0x02, "E_UNKNOWN_SERVICE"),
    (0x03, "E_UNKNOWN_METHOD"),
    (0x04, "E_NOT_READY"),
    (0x05, "E_NOT_REACHABLE"),
    (0x06, "E_TIMEOUT"),
    (0x07, "E_WRONG_PROTOCOL_VERSION"),
    (0x08, "E_WRONG_INTERFACE_VERSION"),
    (0x09, "E_MALFORMED_MESSAGE"),
    (0x0a, "E_WRONG_MESSAGE_TYPE"),
    (0x0b, "E_E2E_REPEATED"),
    (0x0c, "E_E2E_WRONG_SEQUENCE"),
    (0x0d, "E_E2E"),
    (0x0e, "E_E2E_NOT_AVAILABLE"),
    (0x0f, "E_E2E_NO_NEW_DATA"),
];

/// `someip_print`: `SOMEIP, service 1, method 2, len 8, client 3,
/// session 4, pver 1, iver 1, msgtype REQUEST, retcode E_OK` and a line
/// end of tcpdump 4.99's own; each field printed as read.
pub(crate) fn print(out: &mut String, b: Bytes, length: u32) -> Res {
    out.push_str("SOMEIP");
    if length < 16 {
        out.push_str(" (invalid)");
        return Ok(());
    }
    let id = b.be32(0)?;
    let kind = if id & 0x8000 != 0 { "event" } else { "method" };
    put!(out, ", service {}, {kind} {}", id >> 16, id & 0x7fff);
    put!(out, ", len {}", b.be32(4)?);
    let req = b.be32(8)?;
    put!(out, ", client {}, session {}", req >> 16, req & 0xffff);
    put!(out, ", pver {}", b.u8(12)?);
    put!(out, ", iver {}", b.u8(13)?);
    let t = b.u8(14)?;
    put!(
        out,
        ", msgtype {}",
        tok(MESSAGE_TYPES, t).unwrap_or("Unknown")
    );
    let rc = b.u8(15)?;
    put!(
        out,
        ", retcode {}\n",
        tok(RETURN_CODES, rc).unwrap_or("Unknown")
    );
    Ok(())
}
