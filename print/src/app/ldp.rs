//! Label Distribution Protocol over UDP and TCP port 646 (tcpdump's
//! `ldp_print`): the PDU header; the messages are decoded with -v only
//! (not done here).

use super::{Bytes, Ctx, Res, put};

/// The common header's size (version, PDU length, LSR id, label space)
/// and a message header's (type, length, id).
const COMMON: u32 = 10;
const MSG: u32 = 8;

/// `LDP, Label-Space-ID: 192.0.2.1:0, pdu-length: 38`; nothing when the
/// payload cannot hold a header and a message.
pub(crate) fn print(out: &mut String, cx: &Ctx, b: Bytes, length: u32) -> Res {
    if length <= COMMON + MSG {
        return Ok(());
    }
    b.get(0, COMMON as usize)?;
    let nl = if cx.verbose > 0 { "\n\t" } else { "" };
    let version = b.be16(0)?;
    if version != 1 {
        put!(out, "{nl}LDP version {version} packet not supported");
        return Ok(());
    }
    let pdu_len = b.be16(2)?;
    if u32::from(pdu_len) < COMMON - 4 {
        put!(
            out,
            "{nl}LDP, pdu-length: {pdu_len} (too short, < {})",
            COMMON - 4
        );
        return Ok(());
    }
    put!(
        out,
        "{nl}LDP, Label-Space-ID: {}:{}, pdu-length: {pdu_len}",
        b.ipv4(4)?,
        b.be16(8)?
    );
    Ok(())
}
