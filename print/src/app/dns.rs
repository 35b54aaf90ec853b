//! DNS and multicast DNS (tcpdump's `domain_print`): `id flags
//! question/answers (length)`, with names on `-v`, every section on
//! `-vv` and TTLs on `-vvv`.

use super::{Bytes, Ctx, Res, Trunc, printn, put, relts, tok};

const TYPES: &[(u16, &str)] = &[
    (1, "A"),
    (2, "NS"),
    (3, "MD"),
    (4, "MF"),
    (5, "CNAME"),
    (6, "SOA"),
    (7, "MB"),
    (8, "MG"),
    (9, "MR"),
    (10, "NULL"),
    (11, "WKS"),
    (12, "PTR"),
    (13, "HINFO"),
    (14, "MINFO"),
    (15, "MX"),
    (16, "TXT"),
    (17, "RP"),
    (18, "AFSDB"),
    (19, "X25"),
    (20, "ISDN"),
    (21, "RT"),
    (22, "NSAP"),
    (23, "NSAP_PTR"),
    (24, "SIG"),
    (25, "KEY"),
    (26, "PX"),
    (27, "GPOS"),
    (28, "AAAA"),
    (29, "LOC"),
    (30, "NXT"),
    (31, "EID"),
    (32, "NIMLOC"),
    (33, "SRV"),
    (34, "ATMA"),
    (35, "NAPTR"),
    (36, "KX"),
    (37, "CERT"),
    (38, "A6"),
    (39, "DNAME"),
    (40, "SINK"),
    (41, "OPT"),
    (42, "APL"),
    (43, "DS"),
    (44, "SSHFP"),
    (45, "IPSECKEY"),
    (46, "RRSIG"),
    (47, "NSEC"),
    (48, "DNSKEY"),
    (99, "SPF"),
    (100, "UINFO"),
    (101, "UID"),
    (102, "GID"),
    (103, "UNSPEC"),
    (104, "UNSPECA"),
    (249, "TKEY"),
    (250, "TSIG"),
    (251, "IXFR"),
    (252, "AXFR"),
    (253, "MAILB"),
    (254, "MAILA"),
    (255, "ANY"),
    (256, "URI"),
];

const CLASSES: &[(u16, &str)] = &[(1, "IN"), (3, "CHAOS"), (4, "HS"), (255, "ANY")];

const OPS: [&str; 16] = [
    "",
    " inv_q",
    " stat",
    " op3",
    " notify",
    " update",
    " op6",
    " op7",
    " op8",
    " updateA",
    " updateD",
    " updateDA",
    " updateM",
    " updateMA",
    " zoneInit",
    " zoneRef",
];

const RCODES: [&str; 24] = [
    "",
    " FormErr",
    " ServFail",
    " NXDomain",
    " NotImp",
    " Refused",
    " YXDomain",
    " YXRRSet",
    " NXRRSet",
    " NotAuth",
    " NotZone",
    " Resp11",
    " Resp12",
    " Resp13",
    " Resp14",
    " NoChange",
    " BadVers",
    "Resp17",
    " Resp18",
    " Resp19",
    " Resp20",
    "Resp21",
    " Resp22",
    " BadCookie",
];

const EDNS_OPTS: &[(u16, &str)] = &[
    (1, "LLQ"),
    (2, "UL"),
    (3, "NSID"),
    (5, "DAU"),
    (6, "DHU"),
    (7, "N3U"),
    (8, "ECS"),
    (9, "EXPIRE"),
    (10, "COOKIE"),
    (11, "KEEPALIVE"),
    (12, "PADDING"),
    (13, "CHAIN"),
    (14, "KEY-TAG"),
    (16, "CLIENT-TAG"),
    (17, "SERVER-TAG"),
];

const DAU_ALGS: &[(u8, &str)] = &[
    (0, "DELETE"),
    (1, "RSAMD5"),
    (2, "DH"),
    (3, "DS"),
    (5, "RSASHA1"),
    (6, "DSA-NSEC3-SHA1"),
    (7, "RSASHA1-NSEC3-SHA1"),
    (8, "RSASHA256"),
    (10, "RSASHA512"),
    (12, "ECC-GOST"),
    (13, "ECDSAP256SHA256"),
    (14, "ECDSAP384SHA384"),
    (15, "ED25519"),
    (16, "ED448"),
    (252, "INDIRECT"),
    (253, "PRIVATEDNS"),
    (254, "PRIVATEOID"),
];
const DHU_ALGS: &[(u8, &str)] = &[
    (1, "SHA-1"),
    (2, "SHA-256"),
    (3, "GOST_R_34.11-94"),
    (4, "SHA-384"),
];
const N3U_ALGS: &[(u8, &str)] = &[(1, "SHA-1")];

const T_OPT: u16 = 41;
const MAXCDNAME: usize = 255;

fn type_name(out: &mut String, t: u16) {
    match tok(TYPES, t) {
        Some(n) => out.push_str(n),
        None => put!(out, "Type{t}"),
    }
}

fn class_name(out: &mut String, c: u16) {
    match tok(CLASSES, c) {
        Some(n) => out.push_str(n),
        None => put!(out, "(Class {c})"),
    }
}

/// Skips a name (`ns_nskip`); `None` where tcpdump gets NULL.
fn nskip(b: Bytes, mut cp: usize) -> Option<usize> {
    let mut i = b.u8(cp).ok()?;
    cp += 1;
    while i != 0 {
        match i & 0xc0 {
            0xc0 => return Some(cp + 1),
            0x40 => {
                if i & 0x3f != 1 {
                    return None;
                }
                let bitlen = match b.u8(cp).ok()? {
                    0 => 256,
                    n => usize::from(n),
                };
                cp += 1 + bitlen.div_ceil(8);
            }
            0x80 => return None,
            _ => cp += usize::from(i),
        }
        i = b.u8(cp).ok()?;
        cp += 1;
    }
    Some(cp)
}

/// `labellen`: the length of the label at `cp`; `None` on errors (some
/// of which print a marker).
fn labellen(out: &mut String, b: Bytes, cp: usize) -> Option<usize> {
    let i = b.u8(cp).ok()?;
    match i & 0xc0 {
        0x40 => {
            let elt = i & 0x3f;
            if elt != 1 {
                put!(out, "<ELT {elt}>");
                return None;
            }
            let bitlen = match b.u8(cp + 1).ok()? {
                0 => 256,
                n => usize::from(n),
            };
            Some(bitlen.div_ceil(8) + 1)
        }
        0x80 => {
            out.push_str("<BAD LABEL TYPE>");
            None
        }
        _ => Some(usize::from(i)),
    }
}

/// The label byte at `cp` and the label's length.
fn label_at(out: &mut String, b: Bytes, cp: usize) -> Option<(u8, usize)> {
    let i = b.u8(cp).ok()?;
    Some((i, labellen(out, b, cp)?))
}

/// A bit-string label (`blabel_print`).
fn blabel(out: &mut String, b: Bytes, cp: usize) -> Res<Option<usize>> {
    let Ok(bitlen) = b.u8(cp) else {
        return Ok(None);
    };
    let bitlen = if bitlen == 0 { 256 } else { u32::from(bitlen) };
    let slen = (bitlen as usize).div_ceil(4);
    let lim = cp + 1 + slen;
    out.push_str("\\[x");
    let mut bitp = cp + 1;
    let mut bits = bitlen;
    while bitp < lim && bits > 7 {
        put!(out, "{:02x}", b.u8(bitp)?);
        bits -= 8;
        bitp += 1;
    }
    if bits > 4 {
        let tc = b.u8(bitp)?;
        put!(out, "{:02x}", tc & (0xffu8 << (8 - bits)));
    } else if bits > 0 {
        let tc = b.u8(bitp)?;
        put!(out, "{:1x}", ((tc >> 4) & 0x0f) & (0x0fu8 << (4 - bits)));
    }
    put!(out, "/{bitlen}]");
    Ok(Some(lim))
}

/// Prints a name (`fqdn_print`); `Ok(None)` where tcpdump gets NULL.
/// `bp` is where compression offsets count from.
pub(crate) fn fqdn(out: &mut String, b: Bytes, mut cp: usize, bp: usize) -> Res<Option<usize>> {
    let Some((mut i, mut l)) = label_at(out, b, cp) else {
        return Ok(None);
    };
    // `(u_int)(cp - bp)` in tcpdump: huge when `bp` lies after `cp`.
    let mut max_offset = (cp as i64 - bp as i64) as u32 as usize;
    cp += 1;
    let mut compress = false;
    let mut rp: Option<usize> = None;
    if i & 0xc0 != 0xc0 {
        rp = Some(cp + l);
    }
    let mut name_chars = 0usize;
    if i == 0 {
        out.push('.');
        return Ok(rp);
    }
    while i != 0 && cp < b.len() {
        match i & 0xc0 {
            0xc0 => {
                if !compress {
                    rp = Some(cp + 1);
                    compress = true;
                }
                let Ok(lo) = b.u8(cp) else {
                    return Ok(None);
                };
                let offset = ((usize::from(i) << 8) | usize::from(lo)) & 0x3fff;
                if offset >= max_offset {
                    out.push_str("<BAD PTR>");
                    return Ok(None);
                }
                max_offset = offset;
                cp = bp + offset;
                let Some((next, len)) = label_at(out, b, cp) else {
                    return Ok(None);
                };
                (i, l) = (next, len);
                cp += 1;
                continue;
            }
            0x40 => {
                if i & 0x3f != 1 {
                    put!(out, "<ELT {}>", i & 0x3f);
                    return Ok(None);
                }
                if blabel(out, b, cp)?.is_none() {
                    return Ok(None);
                }
            }
            0x80 => {
                out.push_str("<BAD LABEL TYPE>");
                return Ok(None);
            }
            _ => {
                if name_chars + l <= MAXCDNAME {
                    if !printn(out, b, cp, l) {
                        return Ok(None);
                    }
                } else if name_chars < MAXCDNAME && !printn(out, b, cp, MAXCDNAME - name_chars) {
                    return Ok(None);
                }
                name_chars += l;
            }
        }
        cp += l;
        if name_chars <= MAXCDNAME {
            out.push('.');
        }
        name_chars += 1;
        let Some((next, len)) = label_at(out, b, cp) else {
            return Ok(None);
        };
        (i, l) = (next, len);
        cp += 1;
        if !compress {
            rp = rp.map(|r| r + l + 1);
        }
    }
    if name_chars > MAXCDNAME {
        out.push_str("<DOMAIN NAME TOO LONG>");
    }
    Ok(rp)
}

/// A space and a name: `Ok(None)` (tcpdump's NULL) when the name does
/// not print.
fn spaced_name(out: &mut String, b: Bytes, cp: usize) -> Res<Option<usize>> {
    out.push(' ');
    fqdn(out, b, cp, 0)
}

/// A question (`ns_qprint`).
fn qprint(out: &mut String, b: Bytes, cp: usize, mdns: bool) -> Res<Option<usize>> {
    let np = cp;
    let Some(cp) = nskip(b, cp) else {
        return Ok(None);
    };
    if !b.has(cp, 4) {
        return Ok(None);
    }
    out.push(' ');
    type_name(out, b.be16(cp)?);
    let i = b.be16(cp + 2)?;
    let class = if mdns { i & !0x8000 } else { i };
    if class != 1 {
        out.push(' ');
        class_name(out, class);
    }
    if mdns {
        out.push_str(if i & 0x8000 != 0 { " (QU)" } else { " (QM)" });
    }
    out.push_str("? ");
    Ok(fqdn(out, b, np, 0)?.map(|c| c + 4))
}

/// What `ns_rprint` returns: the next record, the end of the capture
/// (tcpdump's `snapend`), or NULL.
fn rprint(out: &mut String, cx: &Ctx, b: Bytes, cp: usize, mdns: bool) -> Res<Option<usize>> {
    let cp = if cx.verbose > 0 {
        out.push(' ');
        match fqdn(out, b, cp, 0)? {
            Some(c) => Some(c),
            None => return Ok(None),
        }
    } else {
        nskip(b, cp)
    };
    let Some(mut cp) = cp.filter(|&c| b.has(c, 10)) else {
        return Ok(Some(b.len()));
    };
    let typ = b.be16(cp)?;
    let i = b.be16(cp + 2)?;
    cp += 4;
    let class = if mdns { i & !0x8000 } else { i };
    if class != 1 && typ != T_OPT {
        out.push(' ');
        class_name(out, class);
    }
    if mdns && i & 0x8000 != 0 {
        out.push_str(" (Cache flush)");
    }
    let mut opt_flags = 0;
    if typ == T_OPT {
        opt_flags = b.be16(cp + 2)?;
    } else if cx.verbose > 2 {
        out.push_str(" [");
        relts(out, b.be32(cp)?);
        out.push(']');
    }
    cp += 4;
    let len = usize::from(b.be16(cp)?);
    cp += 2;
    let rp = cp + len;
    out.push(' ');
    type_name(out, typ);
    if rp > b.len() {
        return Ok(None);
    }
    match typ {
        1 => {
            if !b.has(cp, 4) {
                return Ok(None);
            }
            put!(out, " {}", b.ipv4(cp)?);
        }
        2 | 5 | 12 | 39 => {
            let name = spaced_name(out, b, cp)?;
            if name.is_none() {
                return Ok(None);
            }
        }
        6 => {
            if cx.verbose == 0 {
                return Ok(Some(rp));
            }
            let Some(c) = spaced_name(out, b, cp)? else {
                return Ok(None);
            };
            let Some(c) = spaced_name(out, b, c)? else {
                return Ok(None);
            };
            if !b.has(c, 20) {
                return Ok(None);
            }
            for k in 0..5 {
                put!(out, " {}", b.be32(c + 4 * k)?);
            }
        }
        15 => {
            out.push(' ');
            if !b.has(cp, 2) {
                return Ok(None);
            }
            if fqdn(out, b, cp + 2, 0)?.is_none() {
                return Ok(None);
            }
            put!(out, " {}", b.be16(cp)?);
        }
        16 => {
            while cp < rp {
                out.push_str(" \"");
                let Ok(n) = b.u8(cp) else {
                    return Ok(None);
                };
                if !printn(out, b, cp + 1, usize::from(n)) {
                    return Ok(None);
                }
                cp += 1 + usize::from(n);
                out.push('"');
            }
        }
        33 => {
            out.push(' ');
            if !b.has(cp, 6) {
                return Ok(None);
            }
            if fqdn(out, b, cp + 6, 0)?.is_none() {
                return Ok(None);
            }
            put!(
                out,
                ":{} {} {}",
                b.be16(cp + 4)?,
                b.be16(cp)?,
                b.be16(cp + 2)?
            );
        }
        28 => {
            if !b.has(cp, 16) {
                return Ok(None);
            }
            put!(out, " {}", b.ipv6(cp)?);
        }
        38 => {
            let Ok(pbit) = b.u8(cp) else {
                return Ok(None);
            };
            let pbyte = usize::from(pbit & !7) / 8;
            if pbit > 128 {
                put!(out, " {pbit}(bad plen)");
                return Ok(Some(rp));
            } else if pbit < 128 {
                let mut a = [0u8; 16];
                a[pbyte..].copy_from_slice(b.get(cp + 1, 16 - pbyte)?);
                put!(out, " {pbit} {}", crate::ctx::Ip6(a));
            }
            if pbit > 0 {
                out.push(' ');
                if fqdn(out, b, cp + 1 + 16 - pbyte, 0)?.is_none() {
                    return Ok(None);
                }
            }
        }
        256 => {
            if !b.has(cp, len) {
                return Ok(None);
            }
            put!(out, " {} {} ", b.be16(cp)?, b.be16(cp + 2)?);
            if !printn(out, b, cp + 4, len.saturating_sub(4)) {
                return Ok(None);
            }
        }
        T_OPT => {
            put!(out, " UDPsize={class}");
            if opt_flags & 0x8000 != 0 {
                out.push_str(" DO");
            }
            if cp < rp {
                out.push_str(" [");
                while cp < rp {
                    match eopt(out, b, cp)? {
                        Some(c) => cp = c,
                        None => return Ok(None),
                    }
                    if cp < rp {
                        out.push(',');
                    }
                }
                out.push(']');
            }
        }
        104 => {
            let whole = b.has(cp, len) && printn(out, b, cp, len);
            if !whole {
                return Ok(None);
            }
        }
        250 => {
            if cx.verbose == 0 {
                return Ok(Some(rp));
            }
            let Some(c) = spaced_name(out, b, cp)? else {
                return Ok(None);
            };
            let mut c = c + 6;
            for (k, name) in ["fudge", "maclen", "origid", "error", "otherlen"]
                .iter()
                .enumerate()
            {
                if !b.has(c, 2) {
                    return Ok(None);
                }
                let v = b.be16(c)?;
                put!(out, " {name}={v}");
                c += 2;
                if k == 1 {
                    c += usize::from(v);
                }
            }
        }
        _ => {}
    }
    Ok(Some(rp))
}

/// An EDNS option (`eopt_print`).
fn eopt(out: &mut String, b: Bytes, cp: usize) -> Res<Option<usize>> {
    let Ok(opt) = b.be16(cp) else {
        return Ok(None);
    };
    match tok(EDNS_OPTS, opt) {
        Some(n) => out.push_str(n),
        None => put!(out, "Opt{opt}"),
    }
    let Ok(len) = b.be16(cp + 2) else {
        return Ok(None);
    };
    let len = usize::from(len);
    let cp = cp + 4;
    let Ok(data) = b.get(cp, len) else {
        return Ok(None);
    };
    if len == 0 {
        return Ok(Some(cp));
    }
    out.push(' ');
    let invalid = |out: &mut String| out.push_str(" (invalid)");
    let algs = |out: &mut String, table: &[(u8, &'static str)]| {
        for (k, &a) in data.iter().enumerate() {
            if k > 0 {
                out.push(' ');
            }
            match tok(table, a) {
                Some(n) => out.push_str(n),
                None => put!(out, "Alg_{a}"),
            }
        }
    };
    match opt {
        8 => ecs(out, data),
        10 => {
            if len < 8 || (len > 8 && len < 16) || len > 40 {
                invalid(out);
            } else {
                for (k, x) in data.iter().enumerate() {
                    if k == 8 {
                        out.push(' ');
                    }
                    put!(out, "{x:02x}");
                }
            }
        }
        11 => {
            if len != 2 {
                invalid(out);
            } else {
                let v = u16::from_be_bytes([data[0], data[1]]);
                put!(out, "{:.1} sec", f64::from(v) / 10.0);
            }
        }
        9 => {
            if len != 4 {
                invalid(out);
            } else {
                put!(
                    out,
                    "{} sec",
                    u32::from_be_bytes([data[0], data[1], data[2], data[3]])
                );
            }
        }
        12 => put!(out, "({len})"),
        14 => {
            if len % 2 != 0 {
                invalid(out);
            } else {
                for (k, pair) in data.chunks(2).enumerate() {
                    if k > 0 {
                        out.push(' ');
                    }
                    put!(out, "{}", u16::from_be_bytes([pair[0], pair[1]]));
                }
            }
        }
        5 => algs(out, DAU_ALGS),
        6 => algs(out, DHU_ALGS),
        7 => algs(out, N3U_ALGS),
        13 => {
            // tcpdump prints the name with compression pointers counted
            // from the option's end; its result is ignored.
            let _ = fqdn(out, b, cp, cp + len)?;
        }
        _ => {
            for x in data {
                put!(out, "{x:02x}");
            }
        }
    }
    Ok(Some(cp + len))
}

/// The EDNS client subnet option.
fn ecs(out: &mut String, data: &[u8]) {
    let invalid = |out: &mut String| out.push_str(" (invalid)");
    if data.len() < 4 {
        return invalid(out);
    }
    let family = u16::from_be_bytes([data[0], data[1]]);
    let (src, scope) = (u32::from(data[2]), u32::from(data[3]));
    let bits = match family {
        1 => 32,
        2 => 128,
        _ => return invalid(out),
    };
    let addr = &data[4..];
    if addr.len() > bits / 8
        || src > bits as u32
        || scope > bits as u32
        || (src as usize).div_ceil(8) != addr.len()
    {
        return invalid(out);
    }
    let mut padded = [0u8; 16];
    padded[..addr.len()].copy_from_slice(addr);
    if family == 1 {
        let a = std::net::Ipv4Addr::new(padded[0], padded[1], padded[2], padded[3]);
        put!(out, "{a}/{src}/{scope}");
    } else {
        put!(out, "{}/{src}/{scope}", crate::ctx::Ip6(padded));
    }
}

/// Prints the records of one section after the first (`,` separated)
/// while the capture lasts; `Err` where tcpdump jumps to `trunc`.
/// The answer section (no label) is printed without looking at the
/// capture's end first; the `ns:` and `ar:` sections only while it lasts.
fn section(
    out: &mut String,
    cx: &Ctx,
    b: Bytes,
    cp: &mut usize,
    count: &mut u32,
    mdns: bool,
    label: &str,
) -> Res {
    if *count > 0 && (label.is_empty() || *cp < b.len()) {
        out.push_str(label);
        *cp = rprint(out, cx, b, *cp, mdns)?.ok_or(Trunc)?;
        *count -= 1;
        while *cp < b.len() && *count > 0 {
            out.push(',');
            *cp = rprint(out, cx, b, *cp, mdns)?.ok_or(Trunc)?;
            *count -= 1;
        }
    }
    if *count > 0 { Err(Trunc) } else { Ok(()) }
}

/// `domain_print` over UDP.
pub(crate) fn print(out: &mut String, cx: &Ctx, b: Bytes, length: u32, mdns: bool) -> Res {
    if length < 12 {
        put!(out, "domain [length {length} < 12] (invalid)");
        return Ok(());
    }
    b.get(0, 12)?;
    let id = b.be16(0)?;
    let flags = b.be16(2)?;
    let qdcount = u32::from(b.be16(4)?);
    let mut ancount = u32::from(b.be16(6)?);
    let mut nscount = u32::from(b.be16(8)?);
    let mut arcount = u32::from(b.be16(10)?);
    let opcode = usize::from((flags >> 11) & 0xf);
    let rcode = extended_rcode(b, flags, qdcount, ancount + nscount, arcount);

    let mut cp = 12;
    if flags & 0x8000 != 0 {
        let rc = usize::from(rcode);
        put!(
            out,
            "{id}{}{}",
            OPS[opcode],
            RCODES.get(rc).copied().unwrap_or("")
        );
        if rc >= RCODES.len() {
            put!(out, " Resp{}", rcode & 0xfff);
        }
        put!(
            out,
            "{}{}{}{}",
            if flags & 0x0400 != 0 { "*" } else { "" },
            if flags & 0x0080 != 0 { "" } else { "-" },
            if flags & 0x0200 != 0 { "|" } else { "" },
            if flags & 0x0020 != 0 { "$" } else { "" },
        );
        if qdcount != 1 {
            put!(out, " [{qdcount}q]");
        }
        for k in 0..qdcount {
            if k != 0 {
                out.push(',');
            }
            if cx.verbose > 1 {
                out.push_str(" q:");
                cp = qprint(out, b, cp, mdns)?.ok_or(Trunc)?;
            } else {
                cp = nskip(b, cp).ok_or(Trunc)? + 4;
            }
        }
        put!(out, " {ancount}/{nscount}/{arcount}");
        section(out, cx, b, &mut cp, &mut ancount, mdns, "")?;
        if cx.verbose > 1 {
            section(out, cx, b, &mut cp, &mut nscount, mdns, " ns:")?;
            section(out, cx, b, &mut cp, &mut arcount, mdns, " ar:")?;
        }
    } else {
        put!(
            out,
            "{id}{}{}{}",
            OPS[opcode],
            if flags & 0x0100 != 0 { "+" } else { "" },
            if flags & 0x0010 != 0 { "%" } else { "" },
        );
        if flags & 0x6cf != 0 {
            put!(out, " [b2&3=0x{flags:x}]");
        }
        if opcode == 1 {
            if qdcount != 0 {
                put!(out, " [{qdcount}q]");
            }
            if ancount != 1 {
                put!(out, " [{ancount}a]");
            }
        } else {
            if ancount != 0 {
                put!(out, " [{ancount}a]");
            }
            if qdcount != 1 {
                put!(out, " [{qdcount}q]");
            }
        }
        if nscount != 0 {
            put!(out, " [{nscount}n]");
        }
        if arcount != 0 {
            put!(out, " [{arcount}au]");
        }
        let mut qd = qdcount;
        if qd > 0 {
            cp = qprint(out, b, cp, mdns)?.ok_or(Trunc)?;
            qd -= 1;
            while cp < b.len() && qd > 0 {
                cp = qprint(out, b, cp, mdns)?.ok_or(Trunc)?;
                qd -= 1;
            }
        }
        if qd > 0 {
            return Err(Trunc);
        }
        if cx.verbose > 1 {
            section(out, cx, b, &mut cp, &mut ancount, mdns, "")?;
            section(out, cx, b, &mut cp, &mut nscount, mdns, " ns:")?;
            section(out, cx, b, &mut cp, &mut arcount, mdns, " ar:")?;
        }
    }
    put!(out, " ({length})");
    Ok(())
}

/// The response code with the extended bits of an OPT record, found the
/// way tcpdump looks for it (giving up at the first thing that does not
/// fit).
fn extended_rcode(b: Bytes, flags: u16, qd: u32, an_ns: u32, ar: u32) -> u16 {
    let mut rcode = flags & 0xf;
    let mut cp = 12;
    for _ in 0..qd {
        let Some(c) = nskip(b, cp) else {
            return rcode;
        };
        cp = c + 4;
        if cp >= b.len() {
            return rcode;
        }
    }
    for _ in 0..an_ns {
        let Some(c) = nskip(b, cp) else {
            return rcode;
        };
        cp = c + 8;
        let Ok(rdlen) = b.be16(cp) else {
            return rcode;
        };
        cp += 2 + usize::from(rdlen);
        if cp >= b.len() {
            return rcode;
        }
    }
    for _ in 0..ar {
        let Some(c) = nskip(b, cp) else {
            return rcode;
        };
        let Ok(typ) = b.be16(c) else {
            return rcode;
        };
        cp = c + 4;
        let Ok(ext) = b.u8(cp) else {
            return rcode;
        };
        if typ == T_OPT {
            rcode |= u16::from(ext) << 4;
            return rcode;
        }
        cp += 4;
        let Ok(rdlen) = b.be16(cp) else {
            return rcode;
        };
        cp += 2 + usize::from(rdlen);
        if cp >= b.len() {
            return rcode;
        }
    }
    rcode
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{app, hex};

    fn query_a() -> Vec<u8> {
        hex("0001 0100 0001 0000 0000 0000 03777777 076578616d706c65 03636f6d 00 0001 0001")
    }

    fn response_a() -> Vec<u8> {
        let mut r = hex("0001 8100 0001 0001 0000 0000");
        r.extend(hex("03777777 076578616d706c65 03636f6d 00 0001 0001"));
        r.extend(hex("c00c 0001 0001 00000e10 0004 5db8d822"));
        r
    }

    #[test]
    fn query() {
        assert_eq!(app(0, 53124, 53, &query_a()), "1+ A? www.example.com. (33)");
    }

    #[test]
    fn response_plain_v_vv_vvv() {
        let r = response_a();
        assert_eq!(app(0, 53, 1, &r), "1- 1/0/0 A 93.184.216.34 (49)");
        assert_eq!(
            app(1, 53, 1, &r),
            "1- 1/0/0 www.example.com. A 93.184.216.34 (49)"
        );
        assert_eq!(
            app(2, 53, 1, &r),
            "1- q: A? www.example.com. 1/0/0 www.example.com. A 93.184.216.34 (49)"
        );
        assert_eq!(
            app(3, 53, 1, &r),
            "1- q: A? www.example.com. 1/0/0 www.example.com. [1h] A 93.184.216.34 (49)"
        );
    }

    #[test]
    fn mdns_question() {
        let q = hex("0000 0000 0001 0000 0000 0000 055f68747470045f746370056c6f63616c00 000c 0001");
        assert_eq!(app(0, 5353, 5353, &q), "0 PTR (QM)? _http._tcp.local. (34)");
    }

    #[test]
    fn short_and_truncated() {
        assert_eq!(app(0, 1, 53, &[]), "domain [length 0 < 12] (invalid)");
        let q = query_a();
        assert_eq!(
            super::super::testutil::app_len(0, 1, 53, &q[..20], 33),
            "1+ [|domain]"
        );
        assert_eq!(
            super::super::testutil::app_len(0, 1, 53, &q[..8], 33),
            " [|domain]"
        );
    }
}
