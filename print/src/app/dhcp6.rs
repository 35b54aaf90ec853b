//! DHCPv6 (tcpdump's `dhcp6_print`): the message type, and on `-v` the
//! transaction id or relay addresses and every option.

use super::{Bytes, Ctx, Res, printjn, printjnp, put, tok};

const MSG_TYPES: &[(u8, &str)] = &[
    (1, "solicit"),
    (2, "advertise"),
    (3, "request"),
    (4, "confirm"),
    (5, "renew"),
    (6, "rebind"),
    (7, "reply"),
    (8, "release"),
    (9, "decline"),
    (10, "reconfigure"),
    (11, "inf-req"),
    (12, "relay-fwd"),
    (13, "relay-reply"),
    (14, "leasequery"),
    (15, "leasequery-reply"),
];

const OPTS: &[(u16, &str)] = &[
    (1, "client-ID"),
    (2, "server-ID"),
    (3, "IA_NA"),
    (4, "IA_TA"),
    (5, "IA_ADDR"),
    (6, "option-request"),
    (7, "preference"),
    (8, "elapsed-time"),
    (9, "relay-message"),
    (11, "authentication"),
    (12, "server-unicast"),
    (13, "status-code"),
    (14, "rapid-commit"),
    (15, "user-class"),
    (16, "vendor-class"),
    (17, "vendor-specific-info"),
    (18, "interface-ID"),
    (19, "reconfigure-message"),
    (20, "reconfigure-accept"),
    (21, "SIP-servers-domain"),
    (22, "SIP-servers-address"),
    (23, "DNS-server"),
    (24, "DNS-search-list"),
    (25, "IA_PD"),
    (26, "IA_PD-prefix"),
    (31, "SNTP-servers"),
    (32, "lifetime"),
    (27, "NIS-server"),
    (28, "NIS+-server"),
    (29, "NIS-domain-name"),
    (30, "NIS+-domain-name"),
    (33, "BCMCS-domain-name"),
    (34, "BCMCS-server"),
    (36, "Geoconf-Civic"),
    (37, "Remote-ID"),
    (38, "Subscriber-ID"),
    (39, "Client-FQDN"),
    (40, "PANA-agent"),
    (41, "POSIX-timezone"),
    (42, "POSIX-tz-database"),
    (43, "Echo-request-option"),
    (44, "Lease-query"),
    (45, "LQ-client-data"),
    (46, "Clt-time"),
    (47, "LQ-relay-data"),
    (48, "LQ-client-link"),
    (56, "NTP-server"),
    (59, "Bootfile-URL"),
    (64, "AFTR-Name"),
    (112, "MUD-URL"),
    (136, "SZTP-redirect"),
];

const STATUS: &[(u16, &str)] = &[
    (0, "Success"),
    (1, "UnspecFail"),
    (2, "NoAddrsAvail"),
    (3, "NoBinding"),
    (4, "NotOnLink"),
    (5, "UseMulticast"),
    (6, "NoPrefixAvail"),
    (7, "UnknownQueryType"),
    (8, "MalformedQuery"),
    (9, "NotConfigured"),
    (10, "NotAllowed"),
];

fn opt_name(out: &mut String, t: u16) {
    match tok(OPTS, t) {
        Some(n) => out.push_str(n),
        None => put!(out, "opt_{t}"),
    }
}

fn hex(out: &mut String, b: Bytes, from: usize, to: usize) -> Res {
    for i in from..to {
        put!(out, "{:02x}", b.u8(i)?);
    }
    Ok(())
}

/// The options in `cp..ep` (`dhcp6opt_print`).
fn options(out: &mut String, cx: &Ctx, b: Bytes, mut cp: usize, ep: usize) -> Res {
    while cp < ep {
        if ep < cp + 4 {
            out.push_str(" [|dhcp6]");
            return Ok(());
        }
        b.get(cp, 4)?;
        let optlen = usize::from(b.be16(cp + 2)?);
        if ep < cp + 4 + optlen {
            out.push_str(" [|dhcp6]");
            return Ok(());
        }
        let opttype = b.be16(cp)?;
        out.push_str(" (");
        opt_name(out, opttype);
        b.get(cp + 4, optlen)?;
        let tp = cp + 4;
        let end = tp + optlen;
        let bad = |out: &mut String| out.push_str(" ?)");
        match opttype {
            1 | 2 => {
                if optlen < 2 {
                    bad(out);
                } else {
                    match b.be16(tp)? {
                        1 if optlen >= 8 => {
                            put!(
                                out,
                                " hwaddr/time type {} time {} ",
                                b.be16(tp + 2)?,
                                b.be32(tp + 4)?
                            );
                            hex(out, b, tp + 8, end)?;
                            out.push(')');
                        }
                        2 if optlen >= 10 => {
                            out.push_str(" vid ");
                            hex(out, b, tp + 2, tp + 10)?;
                            out.push(')');
                        }
                        3 if optlen >= 4 => {
                            put!(out, " hwaddr type {} ", b.be16(tp + 2)?);
                            hex(out, b, tp + 4, end)?;
                            out.push(')');
                        }
                        1..=3 => bad(out),
                        t => put!(out, " type {t})"),
                    }
                }
            }
            5 => {
                if optlen < 24 {
                    bad(out);
                } else {
                    put!(
                        out,
                        " {} pltime:{} vltime:{}",
                        b.ipv6(tp)?,
                        b.be32(tp + 16)?,
                        b.be32(tp + 20)?
                    );
                    if optlen > 24 {
                        options(out, cx, b, tp + 24, end)?;
                    }
                    out.push(')');
                }
            }
            6 | 43 => {
                if optlen % 2 != 0 {
                    bad(out);
                } else {
                    for i in (0..optlen).step_by(2) {
                        out.push(' ');
                        opt_name(out, b.be16(tp + i)?);
                    }
                    out.push(')');
                }
            }
            7 => {
                if optlen != 1 {
                    bad(out);
                } else {
                    put!(out, " {})", b.u8(tp)?);
                }
            }
            8 => {
                if optlen != 2 {
                    bad(out);
                } else {
                    put!(out, " {})", b.be16(tp)?);
                }
            }
            9 => {
                out.push_str(" (");
                let inner = Bytes(&b.0[..end.min(b.len())]);
                print_at(out, cx, inner, tp, optlen)?;
                out.push(')');
            }
            11 => auth(out, b, tp, optlen)?,
            14 | 20 => out.push(')'),
            18 | 38 => {
                out.push(' ');
                hex(out, b, tp, tp + optlen.min(10))?;
                out.push_str("...)");
            }
            19 => {
                if optlen != 1 {
                    bad(out);
                } else {
                    match b.u8(tp)? {
                        5 => out.push_str(" for renew)"),
                        11 => out.push_str(" for inf-req)"),
                        t => put!(out, " for ???({t:02x}))"),
                    }
                }
            }
            22 | 23 | 31 | 27 | 28 | 34 | 40 | 48 => {
                if optlen % 16 != 0 {
                    bad(out);
                } else {
                    for i in (0..optlen).step_by(16) {
                        put!(out, " {}", b.ipv6(tp + i)?);
                    }
                    out.push(')');
                }
            }
            21 | 24 => {
                let mut p = tp;
                while p < end {
                    out.push(' ');
                    match super::dns::fqdn(out, b, p, end)? {
                        Some(next) => p = next,
                        None => {
                            out.push_str(" [|dhcp6]");
                            return Ok(());
                        }
                    }
                }
                out.push(')');
            }
            13 => {
                if optlen < 2 {
                    bad(out);
                } else {
                    let code = b.be16(tp)?;
                    if code > 255 {
                        out.push_str(" INVALID code)");
                    } else {
                        match tok(STATUS, code) {
                            Some(n) => put!(out, " {n})"),
                            None => put!(out, " code{code})"),
                        }
                    }
                }
            }
            3 | 25 => {
                if optlen < 12 {
                    bad(out);
                } else {
                    put!(
                        out,
                        " IAID:{} T1:{} T2:{}",
                        b.be32(tp)?,
                        b.be32(tp + 4)?,
                        b.be32(tp + 8)?
                    );
                    if optlen > 12 {
                        options(out, cx, b, tp + 12, end)?;
                    }
                    out.push(')');
                }
            }
            4 => {
                if optlen < 4 {
                    bad(out);
                } else {
                    put!(out, " IAID:{}", b.be32(tp)?);
                    if optlen > 4 {
                        options(out, cx, b, tp + 4, end)?;
                    }
                    out.push(')');
                }
            }
            26 => {
                if optlen < 25 {
                    bad(out);
                } else {
                    put!(
                        out,
                        " {}/{} pltime:{} vltime:{}",
                        b.ipv6(tp + 9)?,
                        b.u8(tp + 8)?,
                        b.be32(tp)?,
                        b.be32(tp + 4)?
                    );
                    if optlen > 25 {
                        options(out, cx, b, tp + 25, end)?;
                    }
                    out.push(')');
                }
            }
            32 | 46 => {
                if optlen != 4 {
                    bad(out);
                } else {
                    put!(out, " {})", b.be32(tp)?);
                }
            }
            37 => {
                if optlen < 4 {
                    bad(out);
                } else {
                    put!(out, " {} ", b.be32(tp)?);
                    hex(out, b, tp + 4, tp + optlen.min(14))?;
                    out.push_str("...)");
                }
            }
            44 => {
                if optlen < 17 {
                    bad(out);
                } else {
                    match b.u8(tp)? {
                        1 => out.push_str(" by-address"),
                        2 => out.push_str(" by-clientID"),
                        t => put!(out, " type_{t}"),
                    }
                    put!(out, " {}", b.ipv6(tp + 1)?);
                    if optlen > 17 {
                        options(out, cx, b, tp + 17, end)?;
                    }
                    out.push(')');
                }
            }
            45 => {
                if optlen > 0 {
                    options(out, cx, b, tp, end)?;
                }
                out.push(')');
            }
            47 => {
                if optlen < 16 {
                    bad(out);
                } else {
                    put!(out, " {} ", b.ipv6(tp)?);
                    hex(out, b, tp + 16, tp + optlen.min(26))?;
                    out.push_str("...)");
                }
            }
            56 => {
                if optlen < 4 {
                    bad(out);
                } else if !ntp_server(out, b, tp, end)? {
                    out.push_str(" [|dhcp6]");
                    return Ok(());
                } else {
                    out.push(')');
                }
            }
            64 => {
                if optlen < 3 {
                    bad(out);
                } else {
                    out.push(' ');
                    let mut p = tp;
                    let mut remain = optlen;
                    while remain > 0 && b.u8(p)? != 0 {
                        let label = usize::from(b.u8(p)?);
                        p += 1;
                        if label < remain - 1 {
                            printjnp(out, b, p, label)?;
                            p += label;
                            remain -= label + 1;
                            if b.u8(p)? != 0 {
                                out.push('.');
                            }
                        } else {
                            out.push_str(" ?");
                            break;
                        }
                    }
                    out.push(')');
                }
            }
            41 | 42 | 112 => {
                if optlen < 5 {
                    bad(out);
                } else {
                    out.push(' ');
                    printjnp(out, b, tp, optlen)?;
                    out.push(')');
                }
            }
            59 => {
                out.push(' ');
                printjn(out, b, tp, optlen)?;
                out.push(')');
            }
            136 | 15 => {
                out.push(' ');
                let mut p = tp;
                let mut remain = optlen;
                let mut first = true;
                while remain >= 2 {
                    if !first {
                        out.push(',');
                    }
                    first = false;
                    let sub = usize::from(b.be16(p)?);
                    if sub > remain - 2 {
                        break;
                    }
                    p += 2;
                    printjn(out, b, p, sub)?;
                    p += sub;
                    remain -= sub + 2;
                }
                if remain != 0 {
                    out.push_str(" ?");
                }
                out.push(')');
            }
            _ => out.push(')'),
        }
        cp = end;
    }
    Ok(())
}

/// The NTP server option's suboptions; false where tcpdump jumps to
/// `trunc`.
fn ntp_server(out: &mut String, b: Bytes, mut tp: usize, end: usize) -> Res<bool> {
    while tp < end - 4 {
        let code = b.be16(tp)?;
        let len = usize::from(b.be16(tp + 2)?);
        tp += 4;
        if tp + len > end {
            return Ok(false);
        }
        put!(out, " subopt:{code}");
        match code {
            1 | 2 => {
                if len != 16 {
                    out.push_str(" ?");
                } else {
                    put!(out, " {}", b.ipv6(tp)?);
                }
            }
            3 => {
                out.push(' ');
                if super::dns::fqdn(out, b, tp, tp + len)?.is_none() {
                    return Ok(false);
                }
            }
            _ => out.push_str(" ?"),
        }
        tp += len;
    }
    Ok(true)
}

/// The authentication option.
fn auth(out: &mut String, b: Bytes, mut tp: usize, optlen: usize) -> Res {
    if optlen < 11 {
        out.push_str(" ?)");
        return Ok(());
    }
    let proto = b.u8(tp)?;
    match proto {
        2 => out.push_str(" proto: delayed"),
        3 => out.push_str(" proto: reconfigure"),
        p => put!(out, " proto: {p}"),
    }
    match b.u8(tp + 1)? {
        1 => out.push_str(", alg: HMAC-MD5"),
        a => put!(out, ", alg: {a}"),
    }
    match b.u8(tp + 2)? {
        0 => out.push_str(", RDM: mono"),
        r => put!(out, ", RDM: {r}"),
    }
    tp += 3;
    out.push_str(", RD:");
    for _ in 0..4 {
        put!(out, " {:04x}", b.be16(tp)?);
        tp += 2;
    }
    let info = optlen - 11;
    match proto {
        2 => {
            if info != 0 {
                if info < 20 {
                    out.push_str(" ??");
                } else {
                    let realm = info - 20;
                    if realm > 0 {
                        out.push_str(", realm: ");
                    }
                    hex(out, b, tp, tp + realm)?;
                    tp += realm;
                    put!(out, ", key ID: {:08x}", b.be32(tp)?);
                    tp += 4;
                    out.push_str(", HMAC-MD5:");
                    for _ in 0..4 {
                        put!(out, " {:08x}", b.be32(tp)?);
                        tp += 4;
                    }
                }
            }
        }
        3 => {
            if info != 17 {
                out.push_str(" ??");
            } else {
                match b.u8(tp)? {
                    1 => out.push_str(" reconfig-key"),
                    2 => out.push_str(" type: HMAC-MD5"),
                    _ => out.push_str(" type: ??"),
                }
                tp += 1;
                out.push_str(" value:");
                for _ in 0..4 {
                    put!(out, " {:08x}", b.be32(tp)?);
                    tp += 4;
                }
            }
        }
        _ => out.push_str(" ??"),
    }
    out.push(')');
    Ok(())
}

/// `dhcp6_print` for a message at `cp` of `length` bytes.
fn print_at(out: &mut String, cx: &Ctx, b: Bytes, cp: usize, length: usize) -> Res {
    out.push_str("dhcp6");
    let ep = b.len().min(cp + length);
    b.get(cp, 4)?;
    let msgtype = b.u8(cp)?;
    let mut name = String::new();
    match tok(MSG_TYPES, msgtype) {
        Some(n) => name.push_str(n),
        None => put!(name, "msgtype-{msgtype}"),
    }
    if cx.verbose == 0 {
        put!(out, " {name}");
        return Ok(());
    }
    put!(out, " {name} (");
    if msgtype != 12 && msgtype != 13 {
        put!(out, "xid={:x}", b.be32(cp)? & 0x00ff_ffff);
        options(out, cx, b, cp + 4, ep)?;
    } else {
        put!(out, "linkaddr={}", b.ipv6(cp + 2)?);
        put!(out, " peeraddr={}", b.ipv6(cp + 18)?);
        options(out, cx, b, cp + 34, ep)?;
    }
    out.push(')');
    Ok(())
}

/// DHCPv6 over UDP.
pub(crate) fn print(out: &mut String, cx: &Ctx, b: Bytes, length: u32) -> Res {
    print_at(out, cx, b, 0, length as usize)
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{app, app_len, hex};

    #[test]
    fn solicit() {
        let p = hex("01abcdef 0001000e 0001 0001 2a2b2c2d 001122334455 0008 0002 0000");
        assert_eq!(app(0, 546, 547, &p), "dhcp6 solicit");
        assert_eq!(
            app(1, 546, 547, &p),
            "dhcp6 solicit (xid=abcdef (client-ID hwaddr/time type 1 time 707472429 001122334455) (elapsed-time 0))"
        );
        assert_eq!(app_len(1, 546, 547, &p[..3], 26), "dhcp6 [|dhcp6]");
    }
}
