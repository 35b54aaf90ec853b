//! Serial-line and tunnel link types: Cisco HDLC (print-chdlc.c), PPP
//! (print-ppp.c), Frame Relay (print-fr.c), and the pseudo-headers of
//! OpenBSD pflog (print-pflog.c), Solaris ipnet (print-ipnet.c) and IP
//! over InfiniBand (print-ipoib.c).

use crate::ctx::{Bytes, Ctx, Res, Trunc, addr4, bits, put, tok};
use crate::ether::{ETHERTYPES, ethertype_print};

/// `chdlc_if_print` / `chdlc_print`.
pub(crate) fn chdlc_print(ctx: &mut Ctx<'_>, p: &[u8], length: u32, hdrlen: &mut usize) -> Res {
    ctx.proto = "chdlc";
    if p.len() < 4 {
        *hdrlen = p.len();
        return ctx.trunc();
    }
    let proto = p.be16(2)?;
    if ctx.o.link_header {
        let cast = p[0];
        match cast {
            0x0f => ctx.s("unicast"),
            0x8f => ctx.s("bcast"),
            c => put!(ctx.out, "0x{c:02x}"),
        }
        put!(
            ctx.out,
            ", ethertype {} (0x{proto:04x}), length {length}: ",
            tok(ETHERTYPES, proto).unwrap_or("Unknown")
        );
    }
    *hdrlen = 4;
    let q = p.from(4);
    let length = length.saturating_sub(4);
    match proto {
        0x0800 => crate::ip::ip_print(ctx, q, length),
        0x86dd => crate::ip6::ip6_print(ctx, q, length),
        0x8035 => slarp_print(ctx, q, length),
        0x8847 | 0x8848 => crate::other::mpls_print(ctx, q, length),
        0xfefe => {
            if length < 2 {
                return ctx.trunc();
            }
            if matches!(q.u8_at(1)?, 0x81..=0x83) {
                crate::isis::isoclns_print(ctx, q.from(1), length - 1)
            } else {
                crate::isis::isoclns_print(ctx, q, length)
            }
        }
        _ => {
            if !ctx.o.link_header {
                put!(ctx.out, "unknown CHDLC protocol (0x{proto:04x})");
            }
            Ok(())
        }
    }
}

/// Cisco SLARP keepalives and address requests.
fn slarp_print(ctx: &mut Ctx<'_>, p: &[u8], length: u32) -> Res {
    put!(ctx.out, "SLARP (length: {length}), ");
    if !p.has(0, 14) {
        return ctx.trunc();
    }
    match p.be32(0)? {
        0 => ctx.s("request"),
        1 => {
            let (a, m) = (ctx.ip4(addr4(p, 4)?), ctx.ip4(addr4(p, 8)?));
            put!(ctx.out, "reply {a}/{m}");
        }
        2 => {
            put!(
                ctx.out,
                "keepalive: mineseen=0x{:08x}, yourseen=0x{:08x}, reliability=0x{:04x}",
                p.be32(4)?,
                p.be32(8)?,
                p.be16(12)?
            );
            if length >= 18 {
                let mut sec = p.be32(14)? / 1000;
                let mut min = sec / 60;
                sec -= min * 60;
                let mut hrs = min / 60;
                min -= hrs * 60;
                let days = hrs / 24;
                hrs -= days * 24;
                put!(ctx.out, ", link uptime={days}d{hrs}h{min}m{sec}s");
            }
        }
        c => {
            put!(ctx.out, "0x{c:02x} unknown");
            if ctx.o.verbose <= 1 {
                let b = p.from(4);
                crate::hex::hex_prefixed(
                    ctx.out,
                    "\n\t",
                    &b[..b.len().min(length.saturating_sub(4) as usize)],
                    0,
                );
            }
        }
    }
    if length > 18 && ctx.o.verbose > 0 {
        put!(ctx.out, ", (trailing junk: {} bytes)", length - 18);
    }
    if ctx.o.verbose > 1 {
        // tcpdump's pointer has moved past a keepalive's fields by then:
        // its dump (of up to length - 4 bytes, clipped to the capture)
        // starts after them.
        let skip = if p.be32(0)? == 2 { 14 } else { 0 };
        let b = p.from(skip + 4);
        crate::hex::hex_prefixed(
            ctx.out,
            "\n\t",
            &b[..b.len().min(length.saturating_sub(4) as usize)],
            0,
        );
    }
    Ok(())
}

/// `ppp_if_print`: the dumps leave out 4 bytes (`PPP_HDRLEN`) whatever
/// the header's real length.
pub(crate) fn ppp_if_print(ctx: &mut Ctx<'_>, p: &[u8], length: u32, hdrlen: &mut usize) -> Res {
    ctx.proto = "ppp";
    if p.len() < 4 {
        *hdrlen = p.len();
        return ctx.trunc();
    }
    *hdrlen = 4;
    crate::other::ppp_print_len(ctx, p, length).map(|_| ())
}

const FR_FLAGS: &[(u32, &str)] = &[
    (0x0200_0000, "C!"),
    (0x0002_0000, "DE"),
    (0x0004_0000, "BECN"),
    (0x0008_0000, "FECN"),
    (0x0000_0002, "sdlcore"),
];

const NLPIDS: &[(u16, &str)] = &[
    (0x00, "NULL"),
    (0x08, "Q.933"),
    (0x80, "SNAP"),
    (0x81, "CLNP"),
    (0x82, "ES-IS"),
    (0x83, "IS-IS"),
    (0x8e, "IPv6"),
    (0xb1, "FRF.15"),
    (0xb2, "FRF.16"),
    (0xcc, "IPv4"),
    (0xcf, "PPP"),
];

struct Q922 {
    dlci: u32,
    addr_len: usize,
    flags: u32,
}

/// The Q.922 address; `None` when it is not one.
fn q922(p: &[u8], length: u32) -> Res<Option<Q922>> {
    if length < 2 {
        return Err(Trunc);
    }
    let b0 = p.u8_at(0)?;
    if b0 & 1 != 0 {
        return Ok(None);
    }
    let b1 = p.u8_at(1)?;
    let mut q = Q922 {
        dlci: (u32::from(b0 & 0xfc) << 2) | (u32::from(b1 & 0xf0) >> 4),
        addr_len: 2,
        flags: (u32::from(b0 & !1) << 24) | (u32::from(b1 & !0xf1) << 16),
    };
    if b1 & 1 != 0 {
        return Ok(Some(q));
    }
    let mut at = 2;
    if length < 3 {
        return Err(Trunc);
    }
    q.addr_len += 1;
    let b2 = p.u8_at(at)?;
    if b2 & 1 == 0 {
        q.dlci = (q.dlci << 7) | u32::from(b2 >> 1);
        q.addr_len += 1;
        at += 1;
    }
    if length < at as u32 + 1 {
        return Err(Trunc);
    }
    let last = p.u8_at(at)?;
    if last & 1 == 0 {
        return Ok(None);
    }
    q.flags |= u32::from(last & 0x02);
    q.dlci = (q.dlci << 6) | u32::from(last >> 2);
    Ok(Some(q))
}

fn fr_hdr(ctx: &mut Ctx<'_>, length: u32, q: &Q922, nlpid: u16) {
    if ctx.o.quiet > 0 {
        put!(ctx.out, "Q.922, DLCI {}, length {length}: ", q.dlci);
        return;
    }
    let flags = bits(FR_FLAGS, q.flags, "none", ", ");
    if nlpid <= 0xff {
        put!(
            ctx.out,
            "Q.922, hdr-len {}, DLCI {}, Flags [{flags}], NLPID {} (0x{nlpid:02x}), length {length}: ",
            q.addr_len,
            q.dlci,
            tok(NLPIDS, nlpid).unwrap_or("unknown")
        );
    } else {
        put!(
            ctx.out,
            "Q.922, hdr-len {}, DLCI {}, Flags [{flags}], cisco-ethertype {} (0x{nlpid:04x}), length {length}: ",
            q.addr_len,
            q.dlci,
            tok(ETHERTYPES, nlpid).unwrap_or("unknown")
        );
    }
}

/// `fr_if_print` / `fr_print`: Q.922 address, control, NLPID (or a
/// Cisco ether type), payload.
pub(crate) fn fr_print(ctx: &mut Ctx<'_>, p: &[u8], length: u32, hdrlen: &mut usize) -> Res {
    ctx.proto = "fr";
    let q = match q922(p, length) {
        Ok(Some(q)) => q,
        Ok(None) => {
            ctx.s("Q.922, invalid address");
            return Ok(());
        }
        Err(_) => return ctx.trunc(),
    };
    let al = q.addr_len;
    if !p.has(al, 1) || length < al as u32 + 1 {
        return ctx.trunc();
    }
    if p[al] != 0x03 && q.dlci != 0 {
        if !p.has(al, 2) || length < al as u32 + 2 {
            put!(ctx.out, "UI {:02x}! ", p[al]);
        } else {
            let et = p.be16(al)?;
            if ctx.o.link_header {
                fr_hdr(ctx, length, &q, et);
            }
            let rest = p.from(al + 2);
            if ethertype_print(ctx, et, rest, length - al as u32 - 2, None)? {
                *hdrlen = al + 2;
                return Ok(());
            }
            put!(ctx.out, "UI {:02x}! ", p[al]);
        }
    }
    if !p.has(al + 1, 1) || length < al as u32 + 2 {
        return ctx.trunc();
    }
    let hdr_len = if p[al + 1] == 0 {
        if al != 3 {
            ctx.s("Pad! ");
        }
        al + 3
    } else {
        if al == 3 {
            ctx.s("No pad! ");
        }
        al + 2
    };
    if !p.has(hdr_len - 1, 1) || length < hdr_len as u32 {
        return ctx.trunc();
    }
    let nlpid = p[hdr_len - 1];
    if ctx.o.link_header {
        fr_hdr(ctx, length, &q, u16::from(nlpid));
    }
    *hdrlen = hdr_len;
    let rest = p.from(hdr_len);
    let len = length - hdr_len as u32;
    match nlpid {
        0xcc => crate::ip::ip_print(ctx, rest, len),
        0x8e => crate::ip6::ip6_print(ctx, rest, len),
        0x81..=0x83 => crate::isis::isoclns_print(ctx, p.from(hdr_len - 1), len + 1),
        0x80 => {
            if !crate::llc::snap_print(ctx, rest, len, None)? {
                if !ctx.o.link_header {
                    fr_hdr(ctx, length, &q, u16::from(nlpid));
                }
                ctx.default_print(p);
            }
            Ok(())
        }
        0xcf => crate::other::ppp_print(ctx, rest, len),
        _ => {
            if !ctx.o.link_header {
                fr_hdr(ctx, length, &q, u16::from(nlpid));
            }
            if ctx.o.hex == 0 {
                crate::hex::hex_and_ascii(ctx.out, &rest[..rest.len().min(len as usize)], 0);
            }
            Ok(())
        }
    }
}

/// tcpdump 4.99's table: 3 (short) is missing and 4 is named twice, the
/// first name ("3(short)") winning.
const PF_REASONS: [Option<&str>; 15] = [
    Some("0(match)"),
    Some("1(bad-offset)"),
    Some("2(fragment)"),
    None,
    Some("3(short)"),
    Some("5(memory)"),
    Some("6(bad-timestamp)"),
    Some("7(congestion)"),
    Some("8(ip-option)"),
    Some("9(proto-cksum)"),
    Some("10(state-mismatch)"),
    Some("11(state-insert)"),
    Some("12(state-limit)"),
    Some("13(src-limit)"),
    Some("14(synproxy)"),
];

/// tcpdump 4.99's table: no name for 3 (no-scrub).
const PF_ACTIONS: [Option<&str>; 11] = [
    Some("pass"),
    Some("block"),
    Some("scrub"),
    None,
    Some("nat"),
    Some("nonat"),
    Some("binat"),
    Some("nobinat"),
    Some("rdr"),
    Some("nordr"),
    Some("synproxy-drop"),
];

/// `pflog_if_print`: the pf log header (rule, action, interface with
/// -e), then the packet by its address family.
pub(crate) fn pflog_print(ctx: &mut Ctx<'_>, p: &[u8], length: u32, hdrlen: &mut usize) -> Res {
    ctx.proto = "pflog";
    let Ok(hlen) = p.u8_at(0) else {
        return ctx.trunc();
    };
    let hlen = (usize::from(hlen) + 3) & !3;
    if hlen < 64 {
        put!(ctx.out, "[pflog: invalid header length!]");
        *hdrlen = hlen;
        return Ok(());
    }
    if !p.has(0, hlen) {
        return ctx.trunc();
    }
    let af = p[1];
    if ctx.o.link_header {
        let rulenr = p.be32(36)?;
        let subrulenr = p.be32(40)?;
        if subrulenr == u32::MAX {
            put!(ctx.out, "rule {rulenr}/");
        } else {
            let ruleset: String = p[20..36]
                .iter()
                .take_while(|&&c| c != 0)
                .map(|&c| c as char)
                .collect();
            put!(ctx.out, "rule {rulenr}.{ruleset}.{subrulenr}/");
        }
        let reason = p[3];
        let action = p[2];
        let dir = p[60];
        let r = PF_REASONS
            .get(usize::from(reason))
            .copied()
            .flatten()
            .map(|s| s.to_string())
            .unwrap_or_else(|| format!("unkn({reason})"));
        let a = PF_ACTIONS
            .get(usize::from(action))
            .copied()
            .flatten()
            .map(|s| s.to_string())
            .unwrap_or_else(|| format!("unkn({action})"));
        let d = match dir {
            0 => "in/out".to_string(),
            1 => "in".to_string(),
            2 => "out".to_string(),
            d => format!("unkn({d})"),
        };
        put!(ctx.out, "{r}: {a} {d} on ");
        for &c in p[4..20].iter().take_while(|&&c| c != 0) {
            ctx.out.push(c as char);
        }
        ctx.s(": ");
    }
    *hdrlen = hlen;
    let q = p.from(hlen);
    let len = length.saturating_sub(hlen as u32);
    match af {
        2 => crate::ip::ip_print(ctx, q, len),
        24 | 28 | 30 => crate::ip6::ip6_print(ctx, q, len),
        _ => {
            if !ctx.o.link_header {
                // tcpdump shows the header when it cannot decode past it.
            }
            ctx.default_print(q);
            Ok(())
        }
    }
}

/// `ipnet_if_print` (Solaris).
pub(crate) fn ipnet_print(ctx: &mut Ctx<'_>, p: &[u8], length: u32, hdrlen: &mut usize) -> Res {
    ctx.proto = "ipnet";
    if p.len() < 24 {
        *hdrlen = p.len();
        return ctx.trunc();
    }
    let family = p[1];
    if ctx.o.link_header {
        let fam = match family {
            2 => "IPv4",
            26 => "IPv6",
            _ => "Unknown",
        };
        put!(ctx.out, "{} > {}, ", p.be32(16)?, p.be32(20)?);
        put!(ctx.out, "family {fam} ({family}), length {length}: ");
    }
    *hdrlen = 24;
    let q = p.from(24);
    let len = length.saturating_sub(24);
    match family {
        2 => crate::ip::ip_print(ctx, q, len),
        26 => crate::ip6::ip6_print(ctx, q, len),
        _ => {
            if !ctx.o.link_header {
                put!(ctx.out, "ipnet, family {family}, length {length}: ");
            }
            ctx.default_print(q);
            Ok(())
        }
    }
}

/// `ipoib_if_print`: a 44-byte pseudo-header ending in an ether type.
pub(crate) fn ipoib_print(ctx: &mut Ctx<'_>, p: &[u8], length: u32, hdrlen: &mut usize) -> Res {
    ctx.proto = "ipoib";
    if p.len() < 44 {
        *hdrlen = p.len();
        return ctx.trunc();
    }
    let et = p.be16(40)?;
    if ctx.o.link_header {
        ctx.s("IPOIB, ");
        crate::ether::ether_type_print(ctx, et);
        put!(ctx.out, ", length {length}: ");
    }
    *hdrlen = 44;
    let q = p.from(44);
    if !ethertype_print(ctx, et, q, length.saturating_sub(44), None)? {
        if !ctx.o.link_header {
            ctx.s("IPOIB, ");
            crate::ether::ether_type_print(ctx, et);
            put!(ctx.out, ", length {length}: ");
        }
        ctx.default_print(q);
    }
    Ok(())
}

const ARC_TYPES: &[(u8, &str)] = &[
    (240, "oldip"),
    (241, "oldarp"),
    (212, "ip"),
    (213, "arp"),
    (214, "rarp"),
    (221, "atalk"),
    (247, "banyan"),
    (250, "ipx"),
    (196, "ipv6"),
    (128, "diag"),
];

/// `arcnet_linux_if_print`: Linux ARCNET, a 5-byte header for the old
/// RFC 1051 types and 8 bytes (flag, sequence id) for RFC 1201.
pub(crate) fn arcnet_linux_print(
    ctx: &mut Ctx<'_>,
    p: &[u8],
    length: u32,
    hdrlen: &mut usize,
) -> Res {
    ctx.proto = "arcnet";
    if p.len() < 5 {
        *hdrlen = p.len();
        return ctx.trunc();
    }
    let arc_type = p[4];
    let hlen = match arc_type {
        240 | 241 | 128 => 5,
        _ => 8,
    };
    if p.len() < hlen {
        *hdrlen = p.len();
        return ctx.trunc();
    }
    if ctx.o.link_header {
        // tcpdump reads the Linux header with the generic layout, so the
        // "type" it shows is the first offset byte.
        if ctx.o.quiet > 0 {
            put!(ctx.out, "{:02x} {:02x} {length}: ", p[0], p[1]);
        } else {
            match tok(ARC_TYPES, p[2]) {
                Some(n) => put!(ctx.out, "{:02x} {:02x} {n} {length}: ", p[0], p[1]),
                None => put!(ctx.out, "{:02x} {:02x} {:02x} {length}: ", p[0], p[1], p[2]),
            }
        }
    }
    *hdrlen = hlen;
    let q = p.from(hlen);
    let len = length.saturating_sub(hlen as u32);
    match arc_type {
        240 | 212 => crate::ip::ip_print(ctx, q, len),
        196 => crate::ip6::ip6_print(ctx, q, len),
        241 | 213 | 214 => crate::arp::arp_print(ctx, q, len),
        250 => crate::other::ipx_print(ctx, q, len),
        _ => {
            ctx.default_print(q);
            Ok(())
        }
    }
}

/// `vsock_if_print` (Linux vsock monitor): transport (with -v the
/// virtio header's fields), ends, operation.
pub(crate) fn vsock_print(ctx: &mut Ctx<'_>, p: &[u8], hdrlen: &mut usize) -> Res {
    ctx.proto = "vsock";
    let le64 = |at: usize| -> Res<u64> {
        Ok(p.sub(at, 8)?
            .iter()
            .rev()
            .fold(0u64, |a, &b| a << 8 | u64::from(b)))
    };
    let (src_cid, dst_cid) = (le64(0)?, le64(8)?);
    let (src_port, dst_port) = (p.le32(16)?, p.le32(20)?);
    let op = p.le16(24)?;
    let transport = p.le16(26)?;
    match transport {
        0 => ctx.s("UNKNOWN"),
        1 => ctx.s("NO_INFO"),
        2 => ctx.s("VIRTIO"),
        t => put!(ctx.out, "Invalid transport ({t})"),
    }
    if ctx.o.verbose > 0 && transport == 2 {
        // the virtio header after the monitor's
        let v = p.from(32);
        let vop = v.le16(30)?;
        const VIRTIO_OPS: [&str; 8] = [
            "INVALID",
            "REQUEST",
            "RESPONSE",
            "RST",
            "SHUTDOWN",
            "RW",
            "CREDIT UPDATE",
            "CREDIT REQUEST",
        ];
        let vtype = v.le16(28)?;
        put!(ctx.out, " (len {}", v.le32(24)?);
        if vtype == 1 {
            ctx.s(", type STREAM");
        } else {
            put!(ctx.out, ", type Invalid type ({vtype})");
        }
        match VIRTIO_OPS.get(usize::from(vop)) {
            Some(n) => put!(ctx.out, ", op {n}"),
            None => put!(ctx.out, ", op Invalid op ({vop})"),
        }
        put!(
            ctx.out,
            ", flags {:x}, buf_alloc {}, fwd_cnt {})",
            v.le32(32)?,
            v.le32(36)?,
            v.le32(40)?
        );
    }
    ctx.s(if ctx.o.verbose > 0 { "\n\t" } else { " " });
    let op_name = match op {
        0 => "UNKNOWN".to_string(),
        1 => "CONNECT".to_string(),
        2 => "DISCONNECT".to_string(),
        3 => "CONTROL".to_string(),
        4 => "PAYLOAD".to_string(),
        o => format!(" invalid op ({o})"),
    };
    put!(
        ctx.out,
        "{src_cid}.{src_port} > {dst_cid}.{dst_port} {op_name}, length {}",
        p.len()
    );
    *hdrlen = 32;
    // -vv: the payload after the monitor and virtio headers
    const HEADERS: usize = 32 + 44;
    if ctx.o.verbose > 1 && op == 4 {
        if p.len() <= HEADERS {
            return ctx.trunc();
        }
        ctx.s("\n");
        crate::hex::hex_prefixed(ctx.out, "\t", &p[HEADERS..], 0);
    }
    Ok(())
}

/// `nflog_if_print` (Linux NFLOG): the header, the TLVs up to the
/// payload, then the packet by its address family.
pub(crate) fn nflog_print(ctx: &mut Ctx<'_>, p: &[u8], length: u32, hdrlen: &mut usize) -> Res {
    ctx.proto = "nflog";
    if p.len() < 4 {
        *hdrlen = p.len();
        return ctx.trunc();
    }
    let (family, version, rid) = (p[0], p[1], p.be16(2)?);
    let hdr = |ctx: &mut Ctx<'_>, len: u32| {
        put!(ctx.out, "version {version}, resource ID {rid}");
        if ctx.o.quiet == 0 {
            let f = match family {
                2 => "IPv4",
                10 => "IPv6",
                _ => "Unknown",
            };
            put!(ctx.out, ", family {f} ({family})");
        }
        put!(ctx.out, ", length {len}: ");
    };
    *hdrlen = 4;
    if version != 0 {
        put!(ctx.out, "version {version} (unknown)");
        return Ok(());
    }
    if ctx.o.link_header {
        hdr(ctx, length);
    }
    let mut at = 4usize;
    let mut left = length.saturating_sub(4) as usize;
    while left > 0 {
        if p.len() < at + 4 || left < 4 {
            return ctx.trunc();
        }
        let mut size = usize::from(p.le16(at)?);
        if size % 4 != 0 {
            size += 4 - size % 4;
        }
        if size < 4 || p.len() < at + size || left < size {
            return ctx.trunc();
        }
        if p.le16(at + 2)? == 9 {
            at += 4;
            left -= 4;
            break;
        }
        at += size;
        left -= size;
    }
    *hdrlen = at;
    let q = p.from(at);
    match family {
        2 => crate::ip::ip_print(ctx, q, left as u32),
        10 => crate::ip6::ip6_print(ctx, q, left as u32),
        _ => {
            if !ctx.o.link_header {
                hdr(ctx, left as u32 + 4);
            }
            ctx.default_print(q);
            Ok(())
        }
    }
}
