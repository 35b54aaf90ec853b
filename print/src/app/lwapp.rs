//! Light Weight Access Point Protocol (RFC 5412) over UDP 12222 (data)
//! and 12223 (control): tcpdump's `lwapp_data_print` and
//! `lwapp_control_print`.

use super::{Bytes, Ctx, Res, put, tok, unknown_data};
use crate::ctx::bits;

/// The transport header: version/radio/flags, fragment id, length,
/// status.
const TRANSPORT: usize = 6;
/// A control message header: type, sequence number, length, session.
const CONTROL: u32 = 8;

const HEADER_BITS: &[(u32, &str)] = &[
    (0x01, "Last Fragment Bit"),
    (0x02, "Fragment Bit"),
    (0x04, "Control Bit"),
];

const MSG_TYPES: &[(u8, &str)] = &[
    (1, "Discovery req"),
    (2, "Discovery resp"),
    (3, "Join req"),
    (4, "Join resp"),
    (5, "Join ack"),
    (6, "Join confirm"),
    (10, "Configure req"),
    (11, "Configure resp"),
    (12, "Update req"),
    (13, "Update resp"),
    (14, "WTP event req"),
    (15, "WTP event resp"),
    (16, "Change state event req"),
    (17, "Change state event resp"),
    (22, "Echo req"),
    (23, "Echo resp"),
    (24, "Image data req"),
    (25, "Image data resp"),
    (26, "Channel status req"),
    (27, "Channel status resp"),
    (30, "Key update req"),
    (31, "Key update resp"),
    (32, "Primary discovery req"),
    (33, "Primary discovery resp"),
    (34, "Data transfer req"),
    (35, "Data transfer resp"),
    (36, "Clear config ind"),
    (37, "Wlan config req"),
    (38, "Wlan config resp"),
    (39, "Mobile config req"),
    (40, "Mobile config resp"),
];

/// The first byte's parts: version, control bit's word, radio id, flags.
fn first(v: u8) -> (u8, &'static str, u8, String) {
    let kind = if v & 0x04 != 0 { "Control" } else { "Data" };
    let flags = bits(HEADER_BITS, u32::from(v & 0x07), "none", ", ");
    (v >> 6, kind, (v & 0x38) >> 3, flags)
}

/// The header line up to `Flags [...]`, or the unsupported version;
/// `None` when nothing more is to be printed.
fn header(out: &mut String, cx: &Ctx, v: u8, len: u32) -> Option<(u8, &'static str, u8, String)> {
    let (ver, kind, rid, flags) = first(v);
    if ver != 0 {
        put!(out, "LWAPP version {ver} packet not supported");
        return None;
    }
    if cx.verbose < 1 {
        put!(
            out,
            "LWAPPv{ver}, {kind} frame, Flags [{flags}], length {len}"
        );
        return None;
    }
    Some((ver, kind, rid, flags))
}

/// A control packet; `ap_ident`: a 6-byte AP identity comes first (to
/// the control port).
pub(crate) fn control(out: &mut String, cx: &Ctx, b: Bytes, len: u32, ap_ident: bool) -> Res {
    let at = if ap_ident { 6 } else { 0 };
    b.get(0, at)?;
    b.get(at, TRANSPORT)?;
    let Some((ver, kind, rid, flags)) = header(out, cx, b.u8(at)?, len) else {
        return Ok(());
    };
    let mut tlen = u32::from(b.be16(at + 2)?);
    put!(
        out,
        "LWAPPv{ver}, {kind} frame, Radio-id {rid}, Flags [{flags}], Frag-id {}, length {tlen}",
        b.u8(at + 1)?
    );
    let mut p = at + TRANSPORT;
    if ap_ident {
        let m = b.get(0, 6)?;
        put!(
            out,
            "\n\tAP identity: {:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}",
            m[0],
            m[1],
            m[2],
            m[3],
            m[4],
            m[5]
        );
    }
    while tlen != 0 {
        b.get(p, CONTROL as usize)?;
        let msg_len = u32::from(b.be16(p + 2)?);
        if tlen < CONTROL || tlen < CONTROL + msg_len {
            out.push_str("\n\t  Msg goes past end of PDU");
            break;
        }
        let t = b.u8(p)?;
        put!(
            out,
            "\n\t  Msg type: {} ({t}), Seqnum: {}, Msg len: {msg_len}, Session: 0x{:08x}",
            tok(MSG_TYPES, t).unwrap_or("Unknown"),
            b.u8(p + 1)?,
            b.be32(p + 4)?
        );
        b.get(p, msg_len as usize)?;
        p += (CONTROL + msg_len) as usize;
        tlen -= CONTROL + msg_len;
    }
    Ok(())
}

/// A data packet (an 802.11 frame follows, dumped in hex with -v);
/// tcpdump 4.99 pads the radio id to 2 columns and puts 2 spaces before the fragment id here.
pub(crate) fn data(out: &mut String, cx: &Ctx, b: Bytes, len: u32) -> Res {
    b.get(0, TRANSPORT)?;
    let Some((ver, kind, rid, flags)) = header(out, cx, b.u8(0)?, len) else {
        return Ok(());
    };
    let tlen = usize::from(b.be16(2)?);
    if tlen < TRANSPORT {
        put!(
            out,
            "LWAPPv{ver}, {kind} frame, Radio-id {rid:2}, Flags [{flags}], length {tlen} < transport header length"
        );
        return Ok(());
    }
    put!(
        out,
        "LWAPPv{ver}, {kind} frame, Radio-id {rid:2}, Flags [{flags}], Frag-id  {}, length {tlen}",
        b.u8(1)?
    );
    unknown_data(out, b, "\n\t", TRANSPORT, tlen - TRANSPORT);
    Ok(())
}
