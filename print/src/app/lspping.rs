//! MPLS LSP ping (RFC 4379) over UDP 3503, as tcpdump 4.99's
//! `lspping_print`: the common header's summary without -v; with -v the
//! header's fields and each TLV (target FEC stack sub-TLVs, downstream
//! mappings, BFD discriminators, vendor codes), hex dumps of the others;
//! -vv adds a dump of every TLV and sub-TLV.
//!
//! The TLVs are bounded by the UDP length given; reads past the capture
//! end the packet with ` [|lspping]`.

use super::{Bytes, Ctx, Res, put, tok, unknown_data};

/// The common header's size.
const HEADER: u32 = 32;

const MSG_TYPES: &[(u8, &str)] = &[(1, "MPLS Echo Request"), (2, "MPLS Echo Reply")];

const REPLY_MODES: &[(u8, &str)] = &[
    (1, "Do not reply"),
    (2, "Reply via an IPv4/IPv6 UDP packet"),
    (3, "Reply via an IPv4/IPv6 UDP packet with Router Alert"),
    (4, "Reply via application level control channel"),
];

const RETURN_CODES: &[(u8, &str)] = &[
    (
        0,
        "No return code or return code contained in the Error Code TLV",
    ),
    (1, "Malformed echo request received"),
    (2, "One or more of the TLVs was not understood"),
    (3, "Replying router is an egress for the FEC at stack depth"),
    (
        4,
        "Replying router has no mapping for the FEC at stack depth",
    ),
    (5, "Reserved"),
    (6, "Reserved"),
    (7, "Reserved"),
    (8, "Label switched at stack-depth"),
    (9, "Label switched but no MPLS forwarding at stack-depth"),
    (
        10,
        "Mapping for this FEC is not the given label at stack depth",
    ),
    (11, "No label entry at stack-depth"),
    (
        12,
        "Protocol not associated with interface at FEC stack depth",
    ),
    (
        13,
        "Premature termination of ping due to label stack shrinking to a single label",
    ),
];

/// The return codes whose text ends with the subcode (a stack depth).
const WITH_DEPTH: [u8; 6] = [3, 4, 8, 10, 11, 12];

const TLV_TYPES: &[(u16, &str)] = &[
    (1, "Target FEC Stack"),
    (2, "Downstream Mapping"),
    (3, "Pad"),
    (9, "Error Code"),
    (5, "Vendor Enterprise Code"),
    (7, "Interface Label Stack"),
    (10, "Reply TOS Byte"),
    (15, "BFD Discriminator"),
    (0xfc00, "Vendor Private Code"),
];

const FEC_SUBTLVS: &[(u16, &str)] = &[
    (1, "LDP IPv4 prefix"),
    (2, "LDP IPv6 prefix"),
    (3, "RSVP IPv4 Session Query"),
    (4, "RSVP IPv6 Session Query"),
    (5, "Reserved"),
    (6, "VPN IPv4 prefix"),
    (7, "VPN IPv6 prefix"),
    (8, "L2 VPN endpoint"),
    (9, "FEC 128 pseudowire (old)"),
    (10, "FEC 128 pseudowire"),
    (12, "BGP labeled IPv4 prefix"),
    (13, "BGP labeled IPv6 prefix"),
];

const DOWNSTREAM_ADDRS: &[(u8, &str)] = &[
    (1, "IPv4"),
    (2, "Unnumbered IPv4"),
    (3, "IPv6"),
    (4, "IPv6"),
];

/// Where the packet ended early (`tooshort`), as tcpdump prints it.
const TOO_SHORT: &str = "\n\t\t packet is too short";

/// `LSP-PINGv1, MPLS Echo Request, seq 5, length: 32`; with -v the
/// header on lines of its own and the TLVs.
pub(crate) fn print(out: &mut String, cx: &Ctx, b: Bytes, len: u32) -> Res {
    if len < HEADER {
        out.push_str(TOO_SHORT);
        return Ok(());
    }
    b.get(0, HEADER as usize)?;
    let version = b.be16(0)?;
    if version != 1 {
        put!(out, "LSP-PING version {version} packet not supported");
        return Ok(());
    }
    let t = b.u8(4)?;
    if cx.verbose == 0 {
        match tok(MSG_TYPES, t) {
            Some(name) => put!(out, "LSP-PINGv{version}, {name}"),
            None => put!(out, "LSP-PINGv{version}, unknown ({t})"),
        }
        put!(out, ", seq {}, length: {len}", b.be32(12)?);
        return Ok(());
    }
    let mode = b.u8(5)?;
    put!(
        out,
        "\n\tLSP-PINGv{version}, msg-type: {} ({t}), length: {len}\n\t  reply-mode: {} ({mode})",
        tok(MSG_TYPES, t).unwrap_or("unknown"),
        tok(REPLY_MODES, mode).unwrap_or("unknown")
    );
    let (code, sub) = (b.u8(6)?, b.u8(7)?);
    let code_name = tok(RETURN_CODES, code).unwrap_or("unknown");
    if WITH_DEPTH.contains(&code) {
        put!(out, "\n\t  Return Code: {code_name} {sub} ({code})");
    } else {
        put!(out, "\n\t  Return Code: {code_name} ({code})");
    }
    put!(out, "\n\t  Return Subcode: ({sub})");
    put!(
        out,
        "\n\t  Sender Handle: 0x{:08x}, Sequence: {}",
        b.be32(8)?,
        b.be32(12)?
    );
    out.push_str("\n\t  Sender Timestamp: ");
    super::ntp::ntp_time(out, b, 16)?;
    out.push_str(" Receiver Timestamp: ");
    if b.be32(24)? != 0 && b.be32(28)? != 0 {
        super::ntp::ntp_time(out, b, 24)?;
    } else {
        out.push_str("no timestamp");
    }
    tlvs(out, cx, b, HEADER as usize, len - HEADER)
}

/// The TLVs after the header, `left` bytes of them.
fn tlvs(out: &mut String, cx: &Ctx, b: Bytes, mut at: usize, mut left: u32) -> Res {
    while left != 0 {
        if left < 4 {
            out.push_str(TOO_SHORT);
            return Ok(());
        }
        b.get(at, 4)?;
        let typ = b.be16(at)?;
        let len = u32::from(b.be16(at + 2)?);
        put!(
            out,
            "\n\t  {} TLV ({typ}), length: {len}",
            tok(TLV_TYPES, typ).unwrap_or("Unknown")
        );
        if len == 0 {
            at += 4;
            left -= 4;
            continue;
        }
        if left < len + 4 {
            out.push_str(TOO_SHORT);
            return Ok(());
        }
        let v = at + 4;
        b.get(v, len as usize)?;
        let hexdump = match typ {
            1 => match fec_stack(out, cx, b, v, len)? {
                Some(hexdump) => hexdump,
                None => return Ok(()),
            },
            2 => downstream(out, b, v, len)?,
            15 if len < 4 => too_short(out),
            15 => {
                put!(out, "\n\t    BFD Discriminator 0x{:08x}", b.be32(v)?);
                false
            }
            5 if len < 4 => too_short(out),
            5 => {
                let vendor = b.be32(v)?;
                put!(
                    out,
                    "\n\t    Vendor: {} (0x{vendor:04x})",
                    tok(super::radius::VENDORS, vendor).unwrap_or("Unknown")
                );
                false
            }
            _ => {
                if cx.verbose <= 1 {
                    unknown_data(out, b, "\n\t    ", v, len as usize);
                }
                false
            }
        };
        if cx.verbose > 1 || hexdump {
            unknown_data(out, b, "\n\t    ", v, len as usize);
        }
        let padded = len.next_multiple_of(4);
        if left < padded + 4 {
            out.push_str(TOO_SHORT);
            return Ok(());
        }
        at += padded as usize + 4;
        left -= padded + 4;
    }
    Ok(())
}

/// `TLV is too short`: the TLV then gets its hex dump.
fn too_short(out: &mut String) -> bool {
    out.push_str("\n\t      TLV is too short");
    true
}

/// A route distinguisher (tcpdump's `bgp_vpn_rd_print`).
fn rd(b: Bytes, at: usize) -> Res<String> {
    Ok(match b.be16(at)? {
        0 => {
            let n = b.get(at + 4, 4)?;
            format!(
                "{}:{} (= {}.{}.{}.{})",
                b.be16(at + 2)?,
                b.be32(at + 4)?,
                n[0],
                n[1],
                n[2],
                n[3]
            )
        }
        1 => format!("{}:{}", b.ipv4(at + 2)?, b.be16(at + 6)?),
        2 => {
            let a = b.get(at + 2, 4)?;
            let n = b.be16(at + 6)?;
            format!(
                "{}:{n} ({}.{}.{}.{}:{n})",
                b.be32(at + 2)?,
                a[0],
                a[1],
                a[2],
                a[3]
            )
        }
        _ => "unknown RD format".to_string(),
    })
}

/// A target FEC stack's sub-TLVs; whether the TLV needs a hex dump, or
/// `None` when a sub-TLV's padding goes past the TLV (tcpdump stops the
/// packet there).
fn fec_stack(
    out: &mut String,
    cx: &Ctx,
    b: Bytes,
    mut at: usize,
    mut left: u32,
) -> Res<Option<bool>> {
    while left != 0 {
        if left < 4 {
            return Ok(Some(too_short(out)));
        }
        b.get(at, 4)?;
        let typ = b.be16(at)?;
        let len = u32::from(b.be16(at + 2)?);
        let v = at + 4;
        if left < len + 4 {
            return Ok(Some(too_short(out)));
        }
        b.get(v, len as usize)?;
        put!(
            out,
            "\n\t    {} subTLV ({typ}), length: {len}",
            tok(FEC_SUBTLVS, typ).unwrap_or("Unknown")
        );
        let hexdump = fec_value(out, b, typ, v, len)?;
        if cx.verbose > 1 || hexdump {
            unknown_data(out, b, "\n\t      ", v, len as usize);
        }
        let padded = len.next_multiple_of(4);
        if left < padded + 4 {
            out.push_str("\n\t\t TLV is too short");
            return Ok(None);
        }
        // As tcpdump 4.99: the next sub-TLV is looked for `padded` bytes
        // after this one's header, not after its value.
        at += padded as usize;
        left -= padded + 4;
    }
    Ok(Some(false))
}

/// One FEC sub-TLV's value; whether it needs a hex dump (unknown, or of
/// a length other than its type's).
fn fec_value(out: &mut String, b: Bytes, typ: u16, v: usize, len: u32) -> Res<bool> {
    let want = match typ {
        1 | 12 => 5,
        2 | 13 => 17,
        3 => 20,
        4 => 56,
        6 => 13,
        7 => 25,
        8 | 10 => 14,
        9 => 10,
        _ => return Ok(true),
    };
    if len != want {
        put!(out, "\n\t      invalid subTLV length, should be {want}");
        return Ok(true);
    }
    let pw_type = |b: Bytes, at: usize| -> Res<String> {
        let t = b.be16(at)?;
        Ok(format!(
            "{} ({t})",
            tok(super::ldp::PW_TYPES, t).unwrap_or("unknown")
        ))
    };
    // the address width of the IPv4 and IPv6 variants
    let w = if matches!(typ, 2 | 13 | 4 | 7) { 16 } else { 4 };
    let addr = |at: usize| -> Res<String> {
        Ok(if w == 16 {
            b.ipv6(at)?.to_string()
        } else {
            b.ipv4(at)?.to_string()
        })
    };
    match typ {
        1 | 12 | 2 | 13 => put!(out, "\n\t      {}/{}", addr(v)?, b.u8(v + w)?),
        3 | 4 => put!(
            out,
            "\n\t      tunnel end-point {}, tunnel sender {}, lsp-id 0x{:04x}\n\t      tunnel-id 0x{:04x}, extended tunnel-id {}",
            addr(v)?,
            addr(v + 2 * w + 4)?,
            b.be16(v + 3 * w + 6)?,
            b.be16(v + w + 2)?,
            addr(v + w + 4)?
        ),
        6 | 7 => put!(
            out,
            "\n\t      RD: {}, {}/{}",
            rd(b, v)?,
            addr(v + 8)?,
            b.u8(v + 8 + w)?
        ),
        8 => put!(
            out,
            "\n\t      RD: {}, Sender VE ID: {}, Receiver VE ID: {}\n\t      Encapsulation Type: {}",
            rd(b, v)?,
            b.be16(v + 8)?,
            b.be16(v + 10)?,
            pw_type(b, v + 12)?
        ),
        9 => put!(
            out,
            "\n\t      Remote PE: {}\n\t      PW ID: 0x{:08x}, PW Type: {}",
            b.ipv4(v)?,
            b.be32(v + 4)?,
            pw_type(b, v + 8)?
        ),
        _ => put!(
            out,
            "\n\t      Sender PE: {}, Remote PE: {}\n\t      PW ID: 0x{:08x}, PW Type: {}",
            b.ipv4(v)?,
            b.ipv4(v + 4)?,
            b.be32(v + 8)?,
            pw_type(b, v + 12)?
        ),
    }
    Ok(false)
}

/// A downstream mapping: MTU, address type and addresses; its labels
/// are left to the hex dump, as tcpdump does.
fn downstream(out: &mut String, b: Bytes, v: usize, len: u32) -> Res<bool> {
    if len < 4 {
        return Ok(too_short(out));
    }
    let addr_type = b.u8(v + 2)?;
    put!(
        out,
        "\n\t    MTU: {}, Address-Type: {} ({addr_type})",
        b.be16(v)?,
        tok(DOWNSTREAM_ADDRS, addr_type).unwrap_or("unknown")
    );
    // The address part's size with the 4 bytes before it.
    let size = match addr_type {
        1 | 2 => 12,
        3 => 36,
        4 => 24,
        _ => 0,
    };
    if size != 0 {
        if len < size {
            return Ok(too_short(out));
        }
        let ip = if addr_type <= 2 {
            b.ipv4(v + 4)?.to_string()
        } else {
            b.ipv6(v + 4)?.to_string()
        };
        let iface_at = v + if addr_type <= 2 { 8 } else { 20 };
        put!(out, "\n\t    Downstream IP: {ip}");
        match addr_type {
            1 => put!(
                out,
                "\n\t    Downstream Interface IP: {}",
                b.ipv4(iface_at)?
            ),
            3 => put!(
                out,
                "\n\t    Downstream Interface IP: {}",
                b.ipv6(iface_at)?
            ),
            _ => put!(
                out,
                "\n\t    Downstream Interface Index: 0x{:08x}",
                b.be32(iface_at)?
            ),
        }
    }
    if len - size < 4 {
        return Ok(too_short(out));
    }
    Ok(true)
}
