//! BOOTP and DHCP (tcpdump's `bootp_print`): one line without `-v`;
//! with `-v` the addresses and the vendor area (RFC 1048 options, CMU).

use super::{Bytes, Ctx, Res, Trunc, hex_print, printn, put, tok};
use crate::ctx::Mac;

/// Option tags: the first character says how tcpdump prints the value
/// (`i` addresses, `l`/`L` 32-bit numbers, `s` 16-bit numbers, `p`
/// address pairs, `b` dotted bytes, `x` hex, `a` text, `B` booleans,
/// `$` special, ` ` none).
const TAGS: &[(u8, &str)] = &[
    (0, " PAD"),
    (1, "iSubnet-Mask"),
    (2, "LTime-Zone"),
    (3, "iDefault-Gateway"),
    (4, "iTime-Server"),
    (5, "iIEN-Name-Server"),
    (6, "iDomain-Name-Server"),
    (7, "iLOG"),
    (8, "iCS"),
    (9, "iLPR-Server"),
    (10, "iIM"),
    (11, "iRL"),
    (12, "aHostname"),
    (13, "sBS"),
    (255, " END"),
    (14, "aDP"),
    (15, "aDomain-Name"),
    (16, "iSS"),
    (17, "aRP"),
    (18, "aEP"),
    (19, "BIPF"),
    (20, "BSRT"),
    (21, "pPF"),
    (22, "sRSZ"),
    (23, "bTTL"),
    (24, "lMTU-Timeout"),
    (25, "sMTU-Table"),
    (26, "sMTU"),
    (27, "BLSN"),
    (28, "iBR"),
    (29, "BMD"),
    (30, "BMS"),
    (31, "BRouter-Discovery"),
    (32, "iRSA"),
    (33, "pStatic-Route"),
    (34, "BUT"),
    (35, "lAT"),
    (36, "BIE"),
    (37, "bTT"),
    (38, "lKI"),
    (39, "BKG"),
    (40, "aYD"),
    (41, "iYS"),
    (42, "iNTP"),
    (43, "bVendor-Option"),
    (44, "iNetbios-Name-Server"),
    (45, "iWDD"),
    (46, "$Netbios-Node"),
    (47, "aNetbios-Scope"),
    (48, "iXFS"),
    (49, "iXDM"),
    (64, "sN+D"),
    (65, "iN+S"),
    (68, "iMH"),
    (69, "iSMTP"),
    (70, "iPOP3"),
    (71, "iNNTP"),
    (72, "iWWW"),
    (73, "iFG"),
    (74, "iIRC"),
    (75, "iSTS"),
    (76, "iSTDA"),
    (50, "iRequested-IP"),
    (51, "lLease-Time"),
    (52, "$OO"),
    (66, "aTFTP"),
    (67, "aBF"),
    (53, " DHCP-Message"),
    (54, "iServer-ID"),
    (55, "bParameter-Request"),
    (56, "aMSG"),
    (57, "sMSZ"),
    (58, "lRN"),
    (59, "lRB"),
    (60, "aVendor-Class"),
    (61, "$Client-ID"),
    (98, "aUAP"),
    (116, "BNOAUTO"),
    (78, "bSLP-DA"),
    (79, "bSLP-SCOPE"),
    (117, "sNSSEARCH"),
    (77, "$User-Class"),
    (118, "iSUBNET"),
    (121, "$Classless-Static-Route"),
    (249, "$Classless-Static-Route-Microsoft"),
    (150, "iTFTP-Server-Address"),
    (80, "aSLP-NA"),
    (81, "$FQDN"),
    (82, "$Agent-Information"),
    (83, "bARMT"),
    (84, "bAMSK"),
    (88, "aTZSTR"),
    (89, "bFQDNS"),
    (90, "bAUTH"),
    (91, "iVINES"),
    (92, "sRANK"),
    (93, "sARCH"),
    (94, "bNDI"),
    (97, "bGUID"),
    (95, "aLDAP"),
    (96, "i6o4"),
    (100, "aPOSIX-TZ"),
    (101, "aTZ-Name"),
    (110, "bIPX"),
    (112, "iNI"),
    (113, "aNITAG"),
    (114, "aURL"),
    (115, "bFAIL"),
    (161, "aMUD-URL"),
];

const DHCP_MSGS: &[(u8, &str)] = &[
    (1, "Discover"),
    (2, "Offer"),
    (3, "Request"),
    (4, "Decline"),
    (5, "ACK"),
    (6, "NACK"),
    (7, "Release"),
    (8, "Inform"),
];

const HW_TYPES: &[(u8, &str)] = &[
    (1, "ether"),
    (6, "ieee802"),
    (7, "arcnet"),
    (15, "frelay"),
    (23, "strip"),
    (24, "ieee1394"),
];

const AGENT_SUBOPTS: &[(u8, &str)] = &[(1, "Circuit-ID"), (2, "Remote-ID"), (6, "Subscriber-ID")];

/// Offsets in the fixed BOOTP header.
const CHADDR: usize = 28;
const SNAME: usize = 44;
const FILE: usize = 108;
const VEND: usize = 236;

fn mac(out: &mut String, b: &[u8]) {
    for (i, x) in b.iter().enumerate() {
        if i > 0 {
            out.push(':');
        }
        put!(out, "{x:02x}");
    }
}

/// `BOOTP/DHCP, Request from 00:11:22:33:44:55, length 300` and, on
/// `-v`, the rest.
pub(crate) fn print(out: &mut String, cx: &Ctx, b: Bytes, length: u32) -> Res {
    let op = b.u8(0)?;
    match op {
        1 => out.push_str("BOOTP/DHCP, Request"),
        2 => out.push_str("BOOTP/DHCP, Reply"),
        _ => put!(out, "BOOTP/DHCP, unknown (0x{op:02x})"),
    }
    let htype = b.u8(1)?;
    let hlen = b.u8(2)?;
    let ether = htype == 1 && hlen == 6;
    if ether && op == 1 {
        let chaddr = b.get(CHADDR, 6)?;
        // tcpdump's etheraddr_string: the vendor without -n.
        put!(out, " from {}", Mac(chaddr, !cx.numeric));
    }
    put!(out, ", length {length}");
    if cx.verbose == 0 {
        return Ok(());
    }
    b.get(8, 2)?;
    if htype != 1 {
        put!(out, ", htype {htype}");
    }
    if !ether {
        put!(out, ", hlen {hlen}");
    }
    let hops = b.u8(3)?;
    if hops != 0 {
        put!(out, ", hops {hops}");
    }
    let xid = b.be32(4)?;
    if xid != 0 {
        put!(out, ", xid 0x{xid:x}");
    }
    let secs = b.be16(8)?;
    if secs != 0 {
        put!(out, ", secs {secs}");
    }
    let flags = b.be16(10)?;
    put!(
        out,
        ", Flags [{}]",
        if flags & 0x8000 != 0 {
            "Broadcast"
        } else {
            "none"
        }
    );
    if cx.verbose > 1 {
        put!(out, " (0x{flags:04x})");
    }
    for (at, name) in [
        (12, "Client-IP"),
        (16, "Your-IP"),
        (20, "Server-IP"),
        (24, "Gateway-IP"),
    ] {
        let a = b.ipv4(at)?;
        if !a.is_unspecified() {
            put!(out, "\n\t  {name} {a}");
        }
    }
    if ether {
        let chaddr = b.get(CHADDR, 6)?;
        put!(
            out,
            "\n\t  Client-Ethernet-Address {}",
            Mac(chaddr, !cx.numeric)
        );
    }
    for (at, n, name) in [(SNAME, 64, "sname"), (FILE, 128, "file")] {
        if b.u8(at)? != 0 {
            put!(out, "\n\t  {name} \"");
            if super::printztn(out, b, at, n) == 0 {
                out.push('"');
                return Err(Trunc);
            }
            out.push('"');
        }
    }
    let magic = b.get(VEND, 4)?;
    match magic {
        [0x63, 0x82, 0x53, 0x63] => rfc1048(out, cx, b, VEND)?,
        b"CMU\0" => cmu(out, b, VEND)?,
        _ => {
            let ul = b.be32(VEND)?;
            if ul != 0 {
                put!(out, "\n\t  Vendor-#0x{ul:x}");
            }
        }
    }
    Ok(())
}

/// The CMU vendor area.
fn cmu(out: &mut String, b: Bytes, at: usize) -> Res {
    out.push_str(" vend-cmu");
    let flags = b.get(at + 4, 4)?[0];
    if flags & !1 != 0 {
        put!(out, " F:0x{flags:x}");
    }
    let sm = if flags & 1 != 0 { "SM" } else { "SM*" };
    for (off, name) in [
        (12, "DG"),
        (8, sm),
        (16, "NS1"),
        (20, "NS2"),
        (24, "IEN1"),
        (28, "IEN2"),
        (32, "TS1"),
        (36, "TS2"),
    ] {
        let a = b.ipv4(at + off)?;
        if !a.is_unspecified() {
            put!(out, " {name}:{a}");
        }
    }
    Ok(())
}

/// RFC 1048 options after the magic cookie.
fn rfc1048(out: &mut String, cx: &Ctx, b: Bytes, mut bp: usize) -> Res {
    out.push_str("\n\t  Vendor-rfc1048 Extensions");
    put!(out, "\n\t    Magic Cookie 0x{:08x}", b.be32(bp)?);
    bp += 4;
    while let Ok(mut tag) = b.u8(bp).map(u16::from) {
        bp += 1;
        if tag == 0 && cx.verbose < 3 {
            continue;
        }
        if tag == 255 && cx.verbose < 3 {
            return Ok(());
        }
        let entry: String = if tag == 127 {
            b.get(bp + 1, 2)?;
            tag = b.be16(bp + 1)?;
            format!("?xT{tag}")
        } else {
            tok(TAGS, tag as u8)
                .map(str::to_string)
                .unwrap_or_else(|| "?Unknown".to_string())
        };
        let (mut c, name) = entry.split_at(1);
        let mut len = if tag == 0 || tag == 255 {
            0
        } else {
            let l = usize::from(b.u8(bp)?);
            bp += 1;
            l
        };
        put!(
            out,
            "\n\t    {name} ({tag}), length {len}{}",
            if len > 0 { ": " } else { "" }
        );
        if tag == 0 && cx.verbose > 2 {
            let mut ntag = 1;
            while b.u8(bp) == Ok(0) {
                bp += 1;
                ntag += 1;
            }
            if ntag > 1 {
                put!(out, ", occurs {ntag}");
            }
        }
        // tcpdump 4.99 reads each value whole, so a value cut short by
        // the capture is just the truncation mark.
        b.get(bp, len)?;
        if tag == 53 && len == 1 {
            let m = b.u8(bp)?;
            match tok(DHCP_MSGS, m) {
                Some(n) => out.push_str(n),
                None => put!(out, "Unknown ({m})"),
            }
            bp += 1;
            continue;
        }
        if tag == 55 {
            for (idx, &t) in b.get(bp, len)?.iter().enumerate() {
                out.push_str(if idx % 4 == 0 { "\n\t      " } else { ", " });
                let n = tok(TAGS, t).map_or("Unknown", |e| &e[1..]);
                put!(out, "{n} ({t})");
            }
            bp += len;
            continue;
        }
        if tag == 126 {
            let mut first = true;
            while len > 1 {
                let x = b.be16(bp)?;
                bp += 2;
                len -= 2;
                if !first {
                    out.push('+');
                }
                put!(out, "xT{x}");
                first = false;
            }
            continue;
        }
        if c == "?" {
            c = if len & 1 != 0 {
                "b"
            } else if len & 2 != 0 {
                "s"
            } else {
                "l"
            };
        }
        let data = b.get(bp, len)?;
        let mut used = len;
        match c {
            "a" => {
                out.push('"');
                printn(out, b, bp, len);
                out.push('"');
            }
            "i" | "l" | "L" => {
                used = len / 4 * 4;
                for (k, w) in data.chunks_exact(4).enumerate() {
                    if k > 0 {
                        out.push(',');
                    }
                    let v = u32::from_be_bytes([w[0], w[1], w[2], w[3]]);
                    match c {
                        "i" => put!(out, "{}", std::net::Ipv4Addr::from(v)),
                        "L" => put!(out, "{}", v as i32),
                        _ => put!(out, "{v}"),
                    }
                }
            }
            "p" => {
                used = len / 8 * 8;
                for (k, w) in data.chunks_exact(8).enumerate() {
                    if k > 0 {
                        out.push(',');
                    }
                    let a = std::net::Ipv4Addr::new(w[0], w[1], w[2], w[3]);
                    let g = std::net::Ipv4Addr::new(w[4], w[5], w[6], w[7]);
                    put!(out, "({a}:{g})");
                }
            }
            "s" => {
                used = len / 2 * 2;
                for (k, w) in data.chunks_exact(2).enumerate() {
                    if k > 0 {
                        out.push(',');
                    }
                    put!(out, "{}", u16::from_be_bytes([w[0], w[1]]));
                }
            }
            "B" => {
                for (k, &v) in data.iter().enumerate() {
                    if k > 0 {
                        out.push(',');
                    }
                    match v {
                        0 => out.push('N'),
                        1 => out.push('Y'),
                        _ => put!(out, "{v}?"),
                    }
                }
            }
            "$" => used = special(out, tag, data)?,
            _ => {
                for (k, &v) in data.iter().enumerate() {
                    if c == "x" {
                        if k > 0 {
                            out.push(':');
                        }
                        put!(out, "{v:02x}");
                    } else {
                        if k > 0 {
                            out.push('.');
                        }
                        put!(out, "{v}");
                    }
                }
            }
        }
        bp += len;
        if used < len {
            put!(out, "\n\t  trailing data length {}", len - used);
        }
    }
    Ok(())
}

/// The options printed by code of their own; returns how much of the
/// value was used (the rest is "trailing data").
fn special(out: &mut String, tag: u16, data: &[u8]) -> Res<usize> {
    let len = data.len();
    let err = |out: &mut String, need: usize| {
        put!(out, "[ERROR: length < {need} bytes]");
    };
    match tag {
        46 | 52 => {
            let Some(&v) = data.first() else {
                err(out, 1);
                return Ok(0);
            };
            let name = if tag == 46 {
                tok(
                    &[(1, "b-node"), (2, "p-node"), (4, "m-node"), (8, "h-node")],
                    v,
                )
            } else {
                tok(&[(1, "file"), (2, "sname"), (3, "file+sname")], v)
            };
            match name {
                Some(n) => out.push_str(n),
                None => put!(out, "#{v}"),
            }
            Ok(1)
        }
        81 => {
            if len < 3 {
                err(out, 3);
                return Ok(len);
            }
            let flags = data[0];
            if flags != 0 {
                out.push('[');
                for (bit, ch) in [(1, 'S'), (2, 'O'), (4, 'E'), (8, 'N')] {
                    if flags & bit != 0 {
                        out.push(ch);
                    }
                }
                out.push_str("] ");
            }
            if data[1] != 0 || data[2] != 0 {
                put!(out, "{}/{} ", data[1], data[2]);
            }
            out.push('"');
            printn(out, Bytes(data), 3, len - 3);
            out.push('"');
            Ok(len)
        }
        61 => {
            let Some((&typ, rest)) = data.split_first() else {
                err(out, 1);
                return Ok(0);
            };
            if typ == 0 {
                out.push('"');
                printn(out, Bytes(rest), 0, rest.len());
                out.push('"');
            } else {
                match tok(HW_TYPES, typ) {
                    Some(n) => put!(out, "{n} "),
                    None => put!(out, "hardware-type {typ}, "),
                }
                mac(out, rest);
            }
            Ok(len)
        }
        82 => {
            let mut at = 0;
            while len - at >= 2 {
                let sub = data[at];
                let sublen = usize::from(data[at + 1]);
                at += 2;
                let name = tok(AGENT_SUBOPTS, sub).unwrap_or("Unknown");
                if sublen > len - at {
                    put!(
                        out,
                        "\n\t      {name} SubOption {sub}, length {sublen}: length goes past end of option"
                    );
                    return Ok(len);
                }
                put!(out, "\n\t      {name} SubOption {sub}, length {sublen}: ");
                let value = &data[at..at + sublen];
                if matches!(sub, 1 | 2 | 6) {
                    printn(out, Bytes(value), 0, sublen);
                } else {
                    hex_print(out, "\n\t\t", value);
                }
                at += sublen;
            }
            Ok(at)
        }
        121 | 249 => {
            if len < 5 {
                err(out, 5);
                return Ok(len);
            }
            let mut at = 0;
            let mut first = true;
            while at < len {
                if !first {
                    out.push(',');
                }
                let width = usize::from(data[at]);
                at += 1;
                if width > 32 {
                    put!(out, "[ERROR: Mask width ({width}) > 32]");
                    return Ok(len);
                }
                let sig = width.div_ceil(8);
                if len - at < sig + 4 {
                    put!(
                        out,
                        "[ERROR: Remaining length ({}) < {} bytes]",
                        len - at,
                        sig + 4
                    );
                    return Ok(len);
                }
                out.push('(');
                if width == 0 {
                    out.push_str("default");
                } else {
                    for i in 0..4 {
                        if i > 0 {
                            out.push('.');
                        }
                        if i < sig {
                            put!(out, "{}", data[at + i]);
                        } else {
                            out.push('0');
                        }
                    }
                    put!(out, "/{width}");
                }
                let g = &data[at + sig..at + sig + 4];
                put!(out, ":{})", std::net::Ipv4Addr::new(g[0], g[1], g[2], g[3]));
                at += sig + 4;
                first = false;
            }
            Ok(len)
        }
        77 => {
            if len < 2 {
                err(out, 2);
                return Ok(len);
            }
            let mut at = 0;
            let mut n = 1;
            while at < len {
                let sublen = usize::from(data[at]);
                at += 1;
                put!(out, "\n\t      instance#{n}: ");
                if sublen == 0 {
                    out.push_str("[ERROR: suboption length must be non-zero]");
                    return Ok(len);
                }
                if len - at < sublen {
                    out.push_str("[ERROR: invalid option]");
                    return Ok(len);
                }
                out.push('"');
                printn(out, Bytes(data), at, sublen);
                put!(out, "\", length {sublen}");
                n += 1;
                at += sublen;
            }
            Ok(len)
        }
        _ => {
            put!(out, "[unknown special tag {tag}, size {len}]");
            Ok(len)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{app, app_len};

    fn discover() -> Vec<u8> {
        let mut p = vec![1, 1, 6, 0, 0, 0, 0x12, 0x34, 0, 0, 0, 0];
        p.resize(28, 0);
        p.extend([0x00, 0x11, 0x22, 0x33, 0x44, 0x55]);
        p.resize(236, 0);
        p.extend([0x63, 0x82, 0x53, 0x63, 53, 1, 1, 55, 2, 1, 3, 255]);
        p
    }

    #[test]
    fn request_line() {
        assert_eq!(
            app(0, 68, 67, &discover()),
            "BOOTP/DHCP, Request from 00:11:22:33:44:55, length 248"
        );
        // Without -n the address gets its vendor, as in etheraddr_string.
        let mut o = super::super::testutil::opts(0);
        o.numeric = 0;
        assert_eq!(
            super::super::testutil::run(&o, 68, 67, &discover(), 248).unwrap(),
            "BOOTP/DHCP, Request from 00:11:22:33:44:55 (oui Unknown), length 248"
        );
    }

    #[test]
    fn options_v_vv() {
        let p = discover();
        assert_eq!(
            app(1, 68, 67, &p),
            "BOOTP/DHCP, Request from 00:11:22:33:44:55, length 248, xid 0x1234, Flags [none]\n\
             \t  Client-Ethernet-Address 00:11:22:33:44:55\n\
             \t  Vendor-rfc1048 Extensions\n\
             \t    Magic Cookie 0x63825363\n\
             \t    DHCP-Message (53), length 1: Discover\n\
             \t    Parameter-Request (55), length 2: \n\
             \t      Subnet-Mask (1), Default-Gateway (3)"
        );
        assert!(app(2, 68, 67, &p).contains("Flags [none] (0x0000)"));
    }

    #[test]
    fn truncated() {
        let p = discover();
        assert_eq!(
            app_len(0, 68, 67, &p[..3], 248),
            "BOOTP/DHCP, Request [|bootp]"
        );
        assert!(app_len(1, 68, 67, &p[..100], 248).ends_with("44:55 [|bootp]"));
    }
}
