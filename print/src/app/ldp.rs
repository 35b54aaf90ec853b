//! Label Distribution Protocol over UDP and TCP port 646 (tcpdump
//! 4.99's `ldp_print`): the PDU header, and with -v each message and
//! its TLVs (hex dumps of the undecoded ones; -vv adds a dump of each
//! message).
//!
//! Lengths come from the PDU itself; every read is checked against the
//! captured bytes and a read past them is tcpdump's longjmp (` [|ldp]`).

use super::{Bytes, Ctx, Res, Trunc, print_char, put, tok, unknown_data};
use crate::ctx::bits;

/// The common header's size (version, PDU length, LSR id, label space)
/// and a message header's (type, length, id).
const COMMON: u32 = 10;
const MSG: u32 = 8;

const MSG_TYPES: &[(u16, &str)] = &[
    (0x0001, "Notification"),
    (0x0100, "Hello"),
    (0x0200, "Initialization"),
    (0x0201, "Keepalive"),
    (0x0300, "Address"),
    (0x0301, "Address Withdraw"),
    (0x0400, "Label Mapping"),
    (0x0401, "Label Request"),
    (0x0402, "Label Withdraw"),
    (0x0403, "Label Release"),
    (0x0404, "Label Abort Request"),
];

/// The messages whose TLVs tcpdump 4.99 decodes (the others get a hex
/// dump with -v).
const DECODED_MSGS: [u16; 8] = [
    0x0001, 0x0100, 0x0200, 0x0201, 0x0300, 0x0400, 0x0301, 0x0402,
];

const TLV_TYPES: &[(u16, &str)] = &[
    (0x0100, "FEC"),
    (0x0101, "Address List"),
    (0x0103, "Hop Count"),
    (0x0104, "Path Vector"),
    (0x0200, "Generic Label"),
    (0x0201, "ATM Label"),
    (0x0202, "Frame-Relay Label"),
    (0x0300, "Status"),
    (0x0301, "Extended Status"),
    (0x0302, "Returned PDU"),
    (0x0303, "Returned Message"),
    (0x0400, "Common Hello Parameters"),
    (0x0401, "IPv4 Transport Address"),
    (0x0402, "Configuration Sequence Number"),
    (0x0403, "IPv6 Transport Address"),
    (0x0500, "Common Session Parameters"),
    (0x0501, "ATM Session Parameters"),
    (0x0502, "Frame-Relay Session Parameters"),
    (0x0503, "Fault-Tolerant Session Parameters"),
    (0x0600, "Label Request Message ID"),
    (0x0601, "MTU"),
];

const FEC_TYPES: &[(u8, &str)] = &[
    (0x01, "Wildcard"),
    (0x02, "Prefix"),
    (0x03, "Host address"),
    (0x80, "Martini VC"),
];

const IFPARMS: &[(u8, &str)] = &[(0x01, "MTU"), (0x03, "Description"), (0x0c, "VCCV")];

const VCCV_CC: &[(u32, &str)] = &[
    (0x01, "PWE3 control word"),
    (0x02, "MPLS Router Alert Label"),
    (0x04, "MPLS inner label TTL = 1"),
];

const VCCV_CV: &[(u32, &str)] = &[(0x01, "ICMP Ping"), (0x02, "LSP Ping"), (0x04, "BFD")];

/// tcpdump's `af_values`: address family numbers (RFC 1700) as LDP, BGP
/// and LSP ping name them.
pub(crate) const ADDRESS_FAMILIES: &[(u16, &str)] = &[
    (0, "Reserved"),
    (1, "IPv4"),
    (2, "IPv6"),
    (3, "NSAP"),
    (4, "HDLC"),
    (5, "BBN 1822"),
    (6, "802"),
    (7, "E.163"),
    (8, "E.164"),
    (9, "F.69"),
    (10, "X.121"),
    (11, "Novell IPX"),
    (12, "Appletalk"),
    (13, "Decnet IV"),
    (14, "Banyan Vines"),
    (15, "E.164 with NSAP subaddress"),
    (196, "Layer-2 VPN"),
    (25, "VPLS"),
];

/// tcpdump's `mpls_pw_types_values` (RFC 4446).
pub(crate) const PW_TYPES: &[(u16, &str)] = &[
    (0x0000, "Reserved"),
    (0x0001, "Frame Relay DLCI (Martini Mode)"),
    (0x0002, "ATM AAL5 SDU VCC transport"),
    (0x0003, "ATM transparent cell transport"),
    (0x0004, "Ethernet VLAN"),
    (0x0005, "Ethernet"),
    (0x0006, "Cisco-HDLC"),
    (0x0007, "PPP"),
    (0x0008, "SONET/SDH Circuit Emulation Service over MPLS"),
    (0x0009, "ATM n-to-one VCC cell transport"),
    (0x000a, "ATM n-to-one VPC cell transport"),
    (0x000b, "IP Layer2 Transport"),
    (0x000c, "ATM one-to-one VCC Cell Mode"),
    (0x000d, "ATM one-to-one VPC Cell Mode"),
    (0x000e, "ATM AAL5 PDU VCC transport"),
    (0x000f, "Frame-Relay Port mode"),
    (0x0010, "SONET/SDH Circuit Emulation over Packet"),
    (0x0011, "Structure-agnostic E1 over Packet"),
    (0x0012, "Structure-agnostic T1 (DS1) over Packet"),
    (0x0013, "Structure-agnostic E3 over Packet"),
    (0x0014, "Structure-agnostic T3 (DS3) over Packet"),
    (0x0015, "CESoPSN basic mode"),
    (0x0016, "TDMoIP basic mode"),
    (0x0017, "CESoPSN TDM with CAS"),
    (0x0018, "TDMoIP TDM with CAS"),
    (0x0019, "Frame Relay DLCI"),
    (0x0040, "IP-interworking"),
];

/// The bytes from `at` on (empty past the end).
fn tail(b: Bytes, at: usize) -> Bytes {
    Bytes(b.0.get(at..).unwrap_or(&[]))
}

/// tcpdump's `decode_prefix4`/`decode_prefix6` for the `itemlen` bytes
/// at `at`: a length byte and that many bits of address, printed
/// `addr/len` with the bits past the length cleared; `Ok(None)` for a
/// length over the address size; [`Trunc`] when the prefix goes past
/// `itemlen` or the capture (tcpdump's LDP then longjmps).
pub(crate) fn prefix(b: Bytes, at: usize, itemlen: u32, v6: bool) -> Res<Option<String>> {
    let size = if v6 { 16 } else { 4 };
    if itemlen < 1 {
        return Err(Trunc);
    }
    let plen = b.u8(at)?;
    if usize::from(plen) > size * 8 {
        return Ok(None);
    }
    let nbytes = usize::from(plen).div_ceil(8);
    if (itemlen - 1) < nbytes as u32 {
        return Err(Trunc);
    }
    let mut addr = [0u8; 16];
    addr[..nbytes].copy_from_slice(b.get(at + 1, nbytes)?);
    if plen % 8 != 0 {
        addr[nbytes - 1] &= (0xff00u16 >> (plen % 8)) as u8;
    }
    Ok(Some(if v6 {
        format!("{}/{plen}", std::net::Ipv6Addr::from(addr))
    } else {
        let a = std::net::Ipv4Addr::new(addr[0], addr[1], addr[2], addr[3]);
        format!("{a}/{plen}")
    }))
}

/// `LDP, Label-Space-ID: 192.0.2.1:0, pdu-length: 38` for each PDU
/// (only the first without -v); nothing when the payload cannot hold a
/// header and a message.
pub(crate) fn print(out: &mut String, cx: &Ctx, b: Bytes, length: u32) -> Res {
    let mut len = length;
    let mut at = 0usize;
    while len > COMMON + MSG {
        let processed = pdu(out, cx, tail(b, at))?;
        if processed == 0 {
            return Ok(());
        }
        if len < processed {
            put!(out, " [remaining length {len} < {processed}] (invalid)");
            break;
        }
        len -= processed;
        at += processed as usize;
    }
    Ok(())
}

/// One PDU; its size (0: stop after it).
fn pdu(out: &mut String, cx: &Ctx, b: Bytes) -> Res<u32> {
    b.get(0, COMMON as usize)?;
    let nl = if cx.verbose > 0 { "\n\t" } else { "" };
    let version = b.be16(0)?;
    if version != 1 {
        put!(out, "{nl}LDP version {version} packet not supported");
        return Ok(0);
    }
    let pdu_len = b.be16(2)?;
    if u32::from(pdu_len) < COMMON - 4 {
        put!(
            out,
            "{nl}LDP, pdu-length: {pdu_len} (too short, < {})",
            COMMON - 4
        );
        return Ok(0);
    }
    put!(
        out,
        "{nl}LDP, Label-Space-ID: {}:{}, pdu-length: {pdu_len}",
        b.ipv4(4)?,
        b.be16(8)?
    );
    if cx.verbose == 0 {
        return Ok(0);
    }
    let mut at = COMMON as usize;
    // A 16-bit count, as tcpdump's: a message longer than the rest of
    // the PDU wraps it, and the loop goes on until the capture ends.
    let mut left = pdu_len - (COMMON - 4) as u16;
    while left != 0 {
        b.get(at, MSG as usize)?;
        let raw = b.be16(at)?;
        let typ = raw & 0x7fff;
        let msg_len = b.be16(at + 2)?;
        let name = tok(MSG_TYPES, typ).unwrap_or("Unknown");
        if u32::from(msg_len) < MSG - 4 {
            put!(
                out,
                "\n\t  {name} Message (0x{typ:04x}), length: {msg_len} (too short, < {})",
                MSG - 4
            );
            return Ok(0);
        }
        put!(
            out,
            "\n\t  {name} Message (0x{typ:04x}), length: {msg_len}, Message ID: 0x{:08x}, Flags: [{} if unknown]",
            b.be32(at + 4)?,
            if raw & 0x8000 != 0 {
                "continue processing"
            } else {
                "ignore"
            }
        );
        b.get(at, usize::from(msg_len))?;
        let body = at + MSG as usize;
        let mut body_len = u32::from(msg_len) - (MSG - 4);
        if DECODED_MSGS.contains(&typ) {
            let mut t = body;
            while body_len >= 4 {
                let used = tlv(out, cx, b, t, body_len)?;
                if used == 0 {
                    break;
                }
                body_len -= used;
                t += used as usize;
            }
        } else if cx.verbose <= 1 {
            unknown_data(out, b, "\n\t  ", body, body_len as usize);
        }
        if cx.verbose > 1 {
            unknown_data(out, b, "\n\t  ", body, usize::from(msg_len));
        }
        at += usize::from(msg_len) + 4;
        left = left.wrapping_sub(msg_len.wrapping_add(4));
    }
    Ok(u32::from(pdu_len) + 4)
}

/// tcpdump's `TLV_TCHECK`: whether the value has `need` bytes, else
/// ` [tlv length 3 < 4] (invalid)`.
fn enough(out: &mut String, have: u32, need: u32) -> bool {
    if have < need {
        put!(out, " [tlv length {have} < {need}] (invalid)");
    }
    have >= need
}

/// One TLV of a message with `msg_left` bytes left; its size with the
/// header, or 0 when it does not fit the message.
fn tlv(out: &mut String, cx: &Ctx, b: Bytes, at: usize, msg_left: u32) -> Res<u32> {
    b.get(at, 4)?;
    let len = b.be16(at + 2)?;
    if u32::from(len) + 4 > msg_left {
        out.push_str("\n\t\t TLV contents go past end of message");
        return Ok(0);
    }
    let raw = b.be16(at)?;
    let typ = raw & 0x3fff;
    put!(
        out,
        "\n\t    {} TLV (0x{typ:04x}), length: {len}, Flags: [{} and {} forward if unknown]",
        tok(TLV_TYPES, typ).unwrap_or("Unknown"),
        if raw & 0x8000 != 0 {
            "continue processing"
        } else {
            "ignore"
        },
        if raw & 0x4000 != 0 { "do" } else { "don't" }
    );
    let used = u32::from(len) + 4;
    let v = at + 4;
    let tlen = u32::from(len);
    match typ {
        0x0400 => {
            if enough(out, tlen, 4) {
                let flags = b.be16(v + 2)?;
                put!(
                    out,
                    "\n\t      Hold Time: {}s, Flags: [{} Hello{}]",
                    b.be16(v)?,
                    if flags & 0x8000 != 0 {
                        "Targeted"
                    } else {
                        "Link"
                    },
                    if flags & 0x4000 != 0 {
                        ", Request for targeted Hellos"
                    } else {
                        ""
                    }
                );
            }
        }
        0x0401 => {
            if enough(out, tlen, 4) {
                put!(out, "\n\t      IPv4 Transport Address: {}", b.ipv4(v)?);
            }
        }
        0x0403 => {
            if enough(out, tlen, 16) {
                put!(out, "\n\t      IPv6 Transport Address: {}", b.ipv6(v)?);
            }
        }
        0x0402 => {
            if enough(out, tlen, 4) {
                put!(out, "\n\t      Sequence Number: {}", b.be32(v)?);
            }
        }
        0x0101 => {
            if enough(out, tlen, 2) {
                address_list(out, b, v, tlen - 2)?;
            }
        }
        0x0500 => {
            if enough(out, tlen, 8) {
                // tcpdump 4.99 reads the flags 2 bytes late (at the path
                // vector limit's place, RFC 5036 3.5.3).
                let flags = b.be16(v + 6)?;
                put!(
                    out,
                    "\n\t      Version: {}, Keepalive: {}s, Flags: [Downstream {}, Loop Detection {}]",
                    b.be16(v)?,
                    b.be16(v + 2)?,
                    if flags & 0x8000 != 0 {
                        "On Demand"
                    } else {
                        "Unsolicited"
                    },
                    if flags & 0x4000 != 0 {
                        "Enabled"
                    } else {
                        "Disabled"
                    }
                );
            }
        }
        0x0100 => {
            if enough(out, tlen, 1) {
                fec(out, b, v, tlen)?;
            }
        }
        0x0200 => {
            if enough(out, tlen, 4) {
                put!(out, "\n\t      Label: {}", b.be32(v)? & 0xfffff);
            }
        }
        0x0300 => {
            if enough(out, tlen, 8) {
                let code = b.be32(v)?;
                put!(
                    out,
                    "\n\t      Status: 0x{:02x}, Flags: [{} and {} forward]",
                    code & 0x3fff_ffff,
                    if code & 0x8000_0000 != 0 {
                        "Fatal error"
                    } else {
                        "Advisory Notification"
                    },
                    if code & 0x4000_0000 != 0 {
                        "do"
                    } else {
                        "don't"
                    }
                );
                let id = b.be32(v + 4)?;
                if id != 0 {
                    put!(out, ", causing Message ID: 0x{id:08x}");
                }
            }
        }
        0x0503 => {
            if enough(out, tlen, 12) {
                let f = b.be16(v)?;
                let yes = |m: u16, s: &'static str| if f & m != 0 { "" } else { s };
                put!(
                    out,
                    "\n\t      Flags: [{}Reconnect, {}Save State, {}All-Label Protection, {} Checkpoint, {}Re-Learn State]",
                    yes(0x8000, "No "),
                    yes(0x8, "Don't "),
                    yes(0x4, "No "),
                    if f & 0x2 != 0 {
                        "Sequence Numbered Label"
                    } else {
                        "All Labels"
                    },
                    yes(0x1, "Don't ")
                );
                let timeout = b.be32(v + 4)?;
                if timeout != 0 {
                    put!(out, ", Reconnect Timeout: {timeout}ms");
                }
                let recovery = b.be32(v + 8)?;
                if recovery != 0 {
                    put!(out, ", Recovery Time: {recovery}ms");
                }
            }
        }
        0x0601 => {
            if enough(out, tlen, 2) {
                put!(out, "\n\t      MTU: {}", b.be16(v)?);
            }
        }
        _ => {
            if cx.verbose <= 1 {
                unknown_data(out, b, "\n\t      ", v, tlen as usize);
            }
        }
    }
    Ok(used)
}

/// An Address List TLV's addresses after its family.
fn address_list(out: &mut String, b: Bytes, v: usize, mut left: u32) -> Res {
    let af = b.be16(v)?;
    match tok(ADDRESS_FAMILIES, af) {
        Some(name) => put!(out, "\n\t      Address Family: {name}, addresses"),
        None => put!(out, "\n\t      Address Family: Unknown ({af}), addresses"),
    }
    let mut at = v + 2;
    match af {
        1 => {
            while left >= 4 {
                put!(out, " {}", b.ipv4(at)?);
                left -= 4;
                at += 4;
            }
        }
        2 => {
            while left >= 16 {
                put!(out, " {}", b.ipv6(at)?);
                left -= 16;
                at += 16;
            }
        }
        _ => {}
    }
    Ok(())
}

/// A FEC TLV's element (only the first, as tcpdump).
fn fec(out: &mut String, b: Bytes, v: usize, tlen: u32) -> Res {
    let typ = b.u8(v)?;
    put!(
        out,
        "\n\t      {} FEC (0x{typ:02x})",
        tok(FEC_TYPES, typ).unwrap_or("Unknown")
    );
    let (v, tlen) = (v + 1, tlen - 1);
    match typ {
        0x02 => {
            if !enough(out, tlen, 2) {
                return Ok(());
            }
            let af = b.be16(v)?;
            let family = match af {
                1 => "IPv4",
                2 => "IPv6",
                _ => {
                    put!(out, ": Address family {af} prefix");
                    return Ok(());
                }
            };
            match prefix(b, v + 2, tlen - 2, af == 2)? {
                Some(p) => put!(out, ": {family} prefix {p}"),
                None => put!(out, ": {family} prefix (invalid length)"),
            }
        }
        0x80 => martini(out, b, v, tlen)?,
        _ => {}
    }
    Ok(())
}

/// A Martini VC FEC element (RFC 4906): the pseudowire and its
/// interface parameters.
fn martini(out: &mut String, b: Bytes, v: usize, tlen: u32) -> Res {
    if !enough(out, tlen, 7) {
        return Ok(());
    }
    let info_len = b.u8(v + 2)?;
    let pw = b.be16(v)?;
    let pw_name = tok(PW_TYPES, pw & 0x7fff).unwrap_or("Unknown");
    let cw = if pw & 0x8000 != 0 { "" } else { "no " };
    let group = b.be32(v + 3)?;
    if info_len == 0 {
        put!(
            out,
            ": {pw_name}, {cw}control word, group-ID {group}, VC-info-length: {info_len}"
        );
        return Ok(());
    }
    if !enough(out, tlen, 11) {
        return Ok(());
    }
    put!(
        out,
        ": {pw_name}, {cw}control word, group-ID {group}, VC-ID {}, VC-info-length: {info_len}",
        b.be32(v + 7)?
    );
    if info_len < 4 {
        out.push_str(" (invalid, < 4");
        return Ok(());
    }
    let mut left = u32::from(info_len - 4);
    if !enough(out, tlen - 11, left) {
        return Ok(());
    }
    let mut at = v + 11;
    while left > 2 {
        let typ = b.u8(at)?;
        let len = b.u8(at + 1)?;
        if len < 2 || left < u32::from(len) {
            break;
        }
        put!(
            out,
            "\n\t\tInterface Parameter: {} (0x{typ:02x}), len {len}",
            tok(IFPARMS, typ).unwrap_or("Unknown")
        );
        match typ {
            0x01 => put!(out, ": {}", b.be16(at + 2)?),
            0x03 => {
                out.push_str(": ");
                for i in 2..usize::from(len) {
                    print_char(out, b.u8(at + i)?);
                }
            }
            0x0c => {
                let cc = b.u8(at + 2)?;
                put!(
                    out,
                    "\n\t\t  Control Channels (0x{cc:02x}) = [{}]",
                    bits(VCCV_CC, cc.into(), "none", ", ")
                );
                let cv = b.u8(at + 3)?;
                put!(
                    out,
                    "\n\t\t  CV Types (0x{cv:02x}) = [{}]",
                    bits(VCCV_CV, cv.into(), "none", ", ")
                );
            }
            _ => unknown_data(out, b, "\n\t\t  ", at + 2, usize::from(len) - 2),
        }
        left -= u32::from(len);
        at += usize::from(len);
    }
    Ok(())
}
