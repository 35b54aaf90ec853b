//! IEEE 802.2 LLC and SNAP (print-llc.c), and the spanning tree BPDUs
//! they carry (print-stp.c).

use crate::ctx::{Bytes, Ctx, Mac, OUIS, Res, bits, put, tok};
use crate::ether::{Addrs, ETHERTYPES, ethertype_print};

const SAPS: &[(u8, &str)] = &[
    (0x00, "Null"),
    (0xff, "Global"),
    (0x02, "802.1B I"),
    (0x03, "802.1B G"),
    (0x06, "IP"),
    (0x04, "SNA"),
    (0x0e, "ProWay NM"),
    (0x42, "STP"),
    (0x4e, "RS511"),
    (0x7e, "ISO8208"),
    (0x8e, "ProWay"),
    (0xaa, "SNAP"),
    (0xe0, "IPX"),
    (0xf0, "NetBeui"),
    (0xfe, "OSI"),
];

const CMDS: &[(u16, &str)] = &[
    (0x03, "ui"),
    (0xe3, "test"),
    (0xaf, "xid"),
    (0x63, "ua"),
    (0x43, "disc"),
    (0x0f, "dm"),
    (0x6f, "sabme"),
    (0x87, "frmr"),
];

const FLAGS: &[(u16, &str)] = &[
    (0, "Command"),
    (1, "Response"),
    (0x10, "Poll"),
    (0x11, "Final"),
    (0x100, "Poll"),
    (0x101, "Final"),
];

const SUPERVISORY: &[(u16, &str)] = &[
    (0, "Receiver Ready"),
    (1, "Receiver not Ready"),
    (2, "Reject"),
];

const CISCO_PIDS: &[(u16, &str)] = &[
    (0x2000, "CDP"),
    (0x2003, "VTP"),
    (0x2004, "DTP"),
    (0x0111, "UDLD"),
    (0x010b, "PVST"),
    (0x010c, "VLAN Bridge"),
];

/// `src > dst ` when the frame has addresses (they were not printed by
/// -e, so the LLC and SNAP lines show them).
fn mac_pair(ctx: &mut Ctx<'_>, addrs: Option<Addrs<'_>>) {
    if let Some(a) = addrs {
        let names = ctx.o.numeric == 0;
        put!(ctx.out, "{} > {} ", Mac(a.src, names), Mac(a.dst, names));
    }
}

/// `llc_print`: false when the payload is not decoded (an unknown SNAP
/// type), so the caller dumps it.
pub(crate) fn llc_print(
    ctx: &mut Ctx<'_>,
    p: &[u8],
    len: u32,
    addrs: Option<Addrs<'_>>,
) -> Res<(bool, usize)> {
    ctx.proto = "llc";
    if p.len() < 3 || len < 3 {
        crate::ctx::put!(ctx.out, " [|llc]");
        ctx.default_print(p);
        return Ok((true, 0));
    }
    let dsap_field = p.u8_at(0)?;
    let ssap_field = p.u8_at(1)?;
    let mut control = u16::from(p.u8_at(2)?);
    let is_u = control & 3 == 3;
    let hdrlen = if is_u {
        3
    } else {
        if p.len() < 4 || len < 4 {
            put!(ctx.out, " [|llc]");
            ctx.default_print(p);
            return Ok((true, 0));
        }
        control = p.le16(2)?;
        4
    };
    if ssap_field == 0xff && dsap_field == 0xff {
        if ctx.o.link_header {
            ctx.s("IPX 802.3: ");
        }
        crate::other::ipx_print(ctx, p, len)?;
        return Ok((true, 0));
    }
    let dsap = dsap_field & !1;
    let ssap = ssap_field & !1;
    if ctx.o.link_header {
        put!(
            ctx.out,
            "LLC, dsap {} (0x{dsap:02x}) {}, ssap {} (0x{ssap:02x}) {}",
            tok(SAPS, dsap).unwrap_or("Unknown"),
            if dsap_field & 1 != 0 {
                "Group"
            } else {
                "Individual"
            },
            tok(SAPS, ssap).unwrap_or("Unknown"),
            if ssap_field & 1 != 0 {
                "Response"
            } else {
                "Command"
            },
        );
        if is_u {
            put!(ctx.out, ", ctrl 0x{control:02x}: ");
        } else {
            put!(ctx.out, ", ctrl 0x{control:04x}: ");
        }
    }
    let q = p.from(hdrlen);
    let len = len - hdrlen as u32;
    if ssap == 0xaa && dsap == 0xaa && control == 3 {
        return Ok((snap_print(ctx, q, len, addrs)?, hdrlen + 5));
    }
    if ssap == 0x42 && dsap == 0x42 && control == 3 {
        stp_print(ctx, q, len)?;
        return Ok((true, hdrlen));
    }
    if ssap == 0x06 && dsap == 0x06 && control == 3 {
        crate::ip::ip_print(ctx, q, len)?;
        return Ok((true, hdrlen));
    }
    if ssap == 0xe0 && dsap == 0xe0 && control == 3 {
        if ctx.o.link_header {
            ctx.s("IPX 802.2: ");
        }
        crate::other::ipx_print(ctx, q, len)?;
        return Ok((true, hdrlen));
    }
    if ssap == 0xfe && dsap == 0xfe && control == 3 {
        crate::other::isoclns_print(ctx, q, len)?;
        return Ok((true, hdrlen));
    }
    if !ctx.o.link_header {
        if ssap == dsap {
            mac_pair(ctx, addrs);
            match tok(SAPS, dsap) {
                Some(n) => put!(ctx.out, "{n} "),
                None => put!(ctx.out, "Unknown DSAP 0x{dsap:02x} "),
            }
        } else {
            let sname = tok(SAPS, ssap)
                .map(str::to_string)
                .unwrap_or_else(|| format!("Unknown SSAP 0x{ssap:02x}"));
            let dname = tok(SAPS, dsap)
                .map(str::to_string)
                .unwrap_or_else(|| format!("Unknown DSAP 0x{dsap:02x}"));
            match addrs {
                Some(a) => put!(
                    ctx.out,
                    "{} {sname} > {} {dname} ",
                    Mac(a.src, ctx.o.numeric == 0),
                    Mac(a.dst, ctx.o.numeric == 0)
                ),
                None => put!(ctx.out, "{sname} > {dname} "),
            }
        }
    }
    let total = len + hdrlen as u32;
    if is_u {
        let cmd = control & 0xef;
        match tok(CMDS, cmd) {
            Some(n) => put!(ctx.out, "Unnumbered, {n}"),
            None => put!(ctx.out, "Unnumbered, {cmd:02x}"),
        }
        put!(
            ctx.out,
            ", Flags [{}], length {total}",
            tok(FLAGS, u16::from(ssap_field & 1) | (control & 0x10)).unwrap_or("?")
        );
        if control & !0x10 == 0xaf && len > 0 {
            if q.is_empty() {
                put!(ctx.out, " [|llc]");
                return Ok((true, hdrlen));
            }
            if q[0] == 0x81 {
                if q.len() < 3 || len < 3 {
                    put!(ctx.out, " [|llc]");
                    ctx.default_print(q);
                } else {
                    put!(ctx.out, ": {:02x} {:02x}", q[1], q[2]);
                }
                return Ok((true, hdrlen));
            }
        }
    } else {
        let flags = tok(FLAGS, u16::from(ssap_field & 1) | (control & 0x100)).unwrap_or("?");
        if control & 1 == 1 {
            put!(
                ctx.out,
                "Supervisory, {}, rcv seq {}, Flags [{flags}], length {total}",
                tok(SUPERVISORY, (control >> 2) & 3).unwrap_or("?"),
                (control >> 9) & 0x7f
            );
            return Ok((true, hdrlen));
        }
        put!(
            ctx.out,
            "Information, send seq {}, rcv seq {}, Flags [{flags}], length {total}",
            (control >> 1) & 0x7f,
            (control >> 9) & 0x7f
        );
    }
    // Nothing decodes the rest: the caller dumps it.
    Ok((false, hdrlen))
}

/// `snap_print`: OUI and protocol ID, then the payload.
pub(crate) fn snap_print(
    ctx: &mut Ctx<'_>,
    p: &[u8],
    len: u32,
    addrs: Option<Addrs<'_>>,
) -> Res<bool> {
    ctx.proto = "snap";
    if len < 5 {
        return Err(crate::ctx::Trunc);
    }
    let oui = p.be24(0)?;
    let et = p.be16(3)?;
    let pid_name = |et: u16| match oui {
        0x000000 | 0x0000f8 => tok(ETHERTYPES, et),
        0x00000c => tok(CISCO_PIDS, et),
        0x0080c2 => tok(BRIDGED, et),
        _ => None,
    };
    if ctx.o.link_header {
        put!(
            ctx.out,
            "oui {} (0x{oui:06x}), {} {} (0x{et:04x}), length {}: ",
            tok(OUIS, oui).unwrap_or("Unknown"),
            if oui == 0 { "ethertype" } else { "pid" },
            pid_name(et).unwrap_or("Unknown"),
            len - 5
        );
    }
    let q = p.from(5);
    let len = len - 5;
    match oui {
        0x000000 | 0x0000f8 if ethertype_print(ctx, et, q, len, None)? => {
            return Ok(true);
        }
        0x00000c => match et {
            0x2000 => {
                crate::cisco::cdp_print(ctx, q, len)?;
                return Ok(true);
            }
            0x2004 => {
                crate::cisco::dtp_print(ctx, q, len)?;
                return Ok(true);
            }
            0x010b | 0x010c => {
                stp_print(ctx, q, len)?;
                return Ok(true);
            }
            0x0111 => {
                crate::other::udld_print(ctx, q, len)?;
                return Ok(true);
            }
            _ => {}
        },
        _ => {}
    }
    if !ctx.o.link_header {
        mac_pair(ctx, addrs);
        if oui == 0 {
            put!(
                ctx.out,
                "SNAP, ethertype {} (0x{et:04x}), length {len}: ",
                tok(ETHERTYPES, et).unwrap_or("Unknown")
            );
        } else {
            put!(
                ctx.out,
                "SNAP, oui {} (0x{oui:06x}), pid {} (0x{et:04x}), length {len}: ",
                tok(OUIS, oui).unwrap_or("Unknown"),
                pid_name(et).unwrap_or("Unknown")
            );
        }
    }
    Ok(false)
}

const BRIDGED: &[(u16, &str)] = &[
    (0x0001, "Ethernet + FCS"),
    (0x0007, "Ethernet"),
    (0x0002, "802.4 + FCS"),
    (0x0008, "802.4"),
    (0x0003, "802.5 + FCS"),
    (0x0009, "802.5"),
    (0x0004, "FDDI + FCS"),
    (0x000a, "FDDI"),
    (0x0005, "802.6 + FCS"),
    (0x000b, "802.6"),
    (0x000e, "BPDU"),
];

const STP_FLAGS: &[(u32, &str)] = &[
    (0x01, "Topology change"),
    (0x02, "Proposal"),
    (0x10, "Learn"),
    (0x20, "Forward"),
    (0x40, "Agreement"),
    (0x80, "Topology change ACK"),
];

fn bridge_id(b: &[u8]) -> String {
    format!(
        "{:02x}{:02x}.{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}",
        b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]
    )
}

/// `stp_print`: a spanning tree BPDU.
pub(crate) fn stp_print(ctx: &mut Ctx<'_>, p: &[u8], len: u32) -> Res {
    ctx.proto = "stp";
    if len < 4 || p.be16(0)? != 0 {
        ctx.s(" (invalid)");
        return Ok(());
    }
    let version = p.u8_at(2)?;
    let kind = p.u8_at(3)?;
    let vname = match version {
        0 => "802.1d",
        2 => "802.1w",
        3 => "802.1s",
        4 => "802.1aq",
        _ => {
            ctx.s(" (invalid)");
            return Ok(());
        }
    };
    put!(ctx.out, "STP {vname}");
    match kind {
        0 => ctx.s(", Config"),
        2 => ctx.s(", Rapid STP"),
        0x80 => ctx.s(", Topology Change"),
        k => put!(ctx.out, ", Unknown BPDU Type (0x{k:02x})"),
    }
    match kind {
        0 if len >= 35 => config_bpdu(ctx, p, len, version)?,
        2 if version == 2 && len >= 36 => config_bpdu(ctx, p, len, version)?,
        2 if version == 3 || version == 4 => {
            mstp_bpdu(ctx, p, len)?;
        }
        0 | 2 => ctx.s(" (invalid)"),
        _ => {}
    }
    Ok(())
}

fn config_bpdu(ctx: &mut Ctx<'_>, p: &[u8], len: u32, version: u8) -> Res {
    let flags = p.u8_at(4)?;
    let bid = p.sub(17, 8)?;
    put!(
        ctx.out,
        ", Flags [{}], bridge-id {}.{:04x}, length {len}",
        bits(STP_FLAGS, u32::from(flags), "none", ", "),
        bridge_id(bid),
        p.be16(25)?
    );
    if ctx.o.verbose == 0 {
        return Ok(());
    }
    let t = |v: u16| f64::from(v) / 256.0;
    put!(
        ctx.out,
        "\n\tmessage-age {:.2}s, max-age {:.2}s, hello-time {:.2}s, forwarding-delay {:.2}s",
        t(p.be16(27)?),
        t(p.be16(29)?),
        t(p.be16(31)?),
        t(p.be16(33)?)
    );
    put!(
        ctx.out,
        "\n\troot-id {}, root-pathcost {}",
        bridge_id(p.sub(5, 8)?),
        p.be32(13)?
    );
    if version == 2 {
        let role = match (flags & 0x0c) >> 2 {
            1 => "Alternate",
            2 => "Root",
            3 => "Designated",
            _ => "Unknown",
        };
        put!(ctx.out, ", port-role {role}");
    }
    Ok(())
}

fn mstp_bpdu(ctx: &mut Ctx<'_>, p: &[u8], len: u32) -> Res {
    // MST BPDUs: the CIST part as for RSTP, then the MSTI records.
    let flags = p.u8_at(4)?;
    put!(
        ctx.out,
        ", CIST Flags [{}], length {len}",
        bits(STP_FLAGS, u32::from(flags), "none", ", ")
    );
    Ok(())
}
