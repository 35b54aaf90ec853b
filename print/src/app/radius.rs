//! RADIUS (tcpdump's `radius_print`): code, id and length; on `-v` the
//! authenticator and every attribute.

use super::{Bytes, Ctx, Res, Trunc, printn, put, tok, unknown_data};

const CODES: &[(u8, &str)] = &[
    (1, "Access-Request"),
    (2, "Access-Accept"),
    (3, "Access-Reject"),
    (4, "Accounting-Request"),
    (5, "Accounting-Response"),
    (11, "Access-Challenge"),
    (12, "Status-Server"),
    (13, "Status-Client"),
    (40, "Disconnect-Request"),
    (41, "Disconnect-ACK"),
    (42, "Disconnect-NAK"),
    (43, "CoA-Request"),
    (44, "CoA-ACK"),
    (45, "CoA-NAK"),
    (255, "Reserved"),
];

/// How an attribute's value is printed.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    None,
    Str,
    Num,
    Addr,
    Addr6,
    Mask6,
    Vendor,
    Time,
    Strange,
    Vector64,
    HomePrefix,
    Operator,
    LocInfo,
    LocData,
    Policy,
}

use Kind::*;

/// Attribute names and value kinds, indexed by type.
const ATTRS: [(&str, Kind); 130] = [
    ("", None),
    ("User-Name", Str),
    ("User-Password", None),
    ("CHAP-Password", None),
    ("NAS-IP-Address", Addr),
    ("NAS-Port", Num),
    ("Service-Type", Num),
    ("Framed-Protocol", Num),
    ("Framed-IP-Address", Addr),
    ("Framed-IP-Netmask", Addr),
    ("Framed-Routing", Num),
    ("Filter-Id", Str),
    ("Framed-MTU", Num),
    ("Framed-Compression", Num),
    ("Login-IP-Host", Addr),
    ("Login-Service", Num),
    ("Login-TCP-Port", Num),
    ("Unassigned", None),
    ("Reply-Message", Str),
    ("Callback-Number", Str),
    ("Callback-Id", Str),
    ("Unassigned", None),
    ("Framed-Route", Str),
    ("Framed-IPX-Network", Num),
    ("State", Str),
    ("Class", Str),
    ("Vendor-Specific", Vendor),
    ("Session-Timeout", Num),
    ("Idle-Timeout", Num),
    ("Termination-Action", Num),
    ("Called-Station-Id", Str),
    ("Calling-Station-Id", Str),
    ("NAS-Identifier", Str),
    ("Proxy-State", Str),
    ("Login-LAT-Service", Str),
    ("Login-LAT-Node", Str),
    ("Login-LAT-Group", Str),
    ("Framed-AppleTalk-Link", Num),
    ("Framed-AppleTalk-Network", Num),
    ("Framed-AppleTalk-Zone", Str),
    ("Acct-Status-Type", Num),
    ("Acct-Delay-Time", Num),
    ("Acct-Input-Octets", Num),
    ("Acct-Output-Octets", Num),
    ("Acct-Session-Id", Str),
    ("Acct-Authentic", Num),
    ("Acct-Session-Time", Num),
    ("Acct-Input-Packets", Num),
    ("Acct-Output-Packets", Num),
    ("Acct-Terminate-Cause", Num),
    ("Acct-Multi-Session-Id", Str),
    ("Acct-Link-Count", Num),
    ("Acct-Input-Gigawords", Num),
    ("Acct-Output-Gigawords", Num),
    ("Unassigned", None),
    ("Event-Timestamp", Time),
    ("Egress-VLANID", Num),
    ("Ingress-Filters", Num),
    ("Egress-VLAN-Name", Str),
    ("User-Priority-Table", None),
    ("CHAP-Challenge", Str),
    ("NAS-Port-Type", Num),
    ("Port-Limit", Num),
    ("Login-LAT-Port", Str),
    ("Tunnel-Type", Num),
    ("Tunnel-Medium-Type", Num),
    ("Tunnel-Client-Endpoint", Str),
    ("Tunnel-Server-Endpoint", Str),
    ("Acct-Tunnel-Connection", Str),
    ("Tunnel-Password", Str),
    ("ARAP-Password", Strange),
    ("ARAP-Features", Strange),
    ("ARAP-Zone-Access", Num),
    ("ARAP-Security", Str),
    ("ARAP-Security-Data", Str),
    ("Password-Retry", Num),
    ("Prompt", Num),
    ("Connect-Info", Str),
    ("Configuration-Token", Str),
    ("EAP-Message", Str),
    ("Message-Authenticator", Str),
    ("Tunnel-Private-Group-ID", Str),
    ("Tunnel-Assignment-ID", Str),
    ("Tunnel-Preference", Num),
    ("ARAP-Challenge-Response", Strange),
    ("Acct-Interim-Interval", Num),
    ("Acct-Tunnel-Packets-Lost", Num),
    ("NAS-Port-Id", Str),
    ("Framed-Pool", Str),
    ("CUI", Str),
    ("Tunnel-Client-Auth-ID", Str),
    ("Tunnel-Server-Auth-ID", Str),
    ("NAS-Filter-Rule", Str),
    ("Unassigned", None),
    ("Originating-Line-Info", None),
    ("NAS-IPv6-Address", Addr6),
    ("Framed-Interface-ID", None),
    ("Framed-IPv6-Prefix", Mask6),
    ("Login-IPv6-Host", Addr6),
    ("Framed-IPv6-Route", Str),
    ("Framed-IPv6-Pool", Str),
    ("Error-Cause", Strange),
    ("EAP-Key-Name", None),
    ("Digest-Response", Str),
    ("Digest-Realm", Str),
    ("Digest-Nonce", Str),
    ("Digest-Response-Auth", Str),
    ("Digest-Nextnonce", Str),
    ("Digest-Method", Str),
    ("Digest-URI", Str),
    ("Digest-Qop", Str),
    ("Digest-Algorithm", Str),
    ("Digest-Entity-Body-Hash", Str),
    ("Digest-CNonce", Str),
    ("Digest-Nonce-Count", Str),
    ("Digest-Username", Str),
    ("Digest-Opaque", Str),
    ("Digest-Auth-Param", Str),
    ("Digest-AKA-Auts", Str),
    ("Digest-Domain", Str),
    ("Digest-Stale", Str),
    ("Digest-HA1", Str),
    ("SIP-AOR", Str),
    ("Delegated-IPv6-Prefix", Mask6),
    ("MIP6-Feature-Vector", Vector64),
    ("MIP6-Home-Link-Prefix", HomePrefix),
    ("Operator-Name", Operator),
    ("Location-Information", LocInfo),
    ("Location-Data", LocData),
    ("Basic-Location-Policy-Rules", Policy),
];

/// Standard values of numeric attributes: the table and its first value.
fn values(attr: u8) -> Option<(&'static [&'static str], u32)> {
    const SERV: &[&str] = &[
        "Login",
        "Framed",
        "Callback Login",
        "Callback Framed",
        "Outbound",
        "Administrative",
        "NAS Prompt",
        "Authenticate Only",
        "Callback NAS Prompt",
        "Call Check",
        "Callback Administrative",
        "Voice",
        "Fax",
        "Modem Relay",
        "IAPP-Register",
        "IAPP-AP-Check",
        "Authorize Only",
        "Framed-Management",
        "Additional-Authorization",
    ];
    const PROTO: &[&str] = &[
        "PPP",
        "SLIP",
        "ARAP",
        "Gandalf proprietary",
        "Xylogics IPX/SLIP",
        "X.75 Synchronous",
        "GPRS PDP Context",
    ];
    const ROUTING: &[&str] = &["None", "Send", "Listen", "Send&Listen"];
    const COMP: &[&str] = &["None", "VJ TCP/IP", "IPX", "Stac-LZS"];
    const LOGIN: &[&str] = &[
        "Telnet",
        "Rlogin",
        "TCP Clear",
        "PortMaster(proprietary)",
        "LAT",
        "X.25-PAD",
        "X.25-T3POS",
        "Unassigned",
        "TCP Clear Quiet",
    ];
    const TERM: &[&str] = &["Default", "RADIUS-Request"];
    const INGRESS: &[&str] = &["Enabled", "Disabled"];
    const PORT_TYPE: &[&str] = &[
        "Async",
        "Sync",
        "ISDN Sync",
        "ISDN Async V.120",
        "ISDN Async V.110",
        "Virtual",
        "PIAFS",
        "HDLC Clear Channel",
        "X.25",
        "X.75",
        "G.3 Fax",
        "SDSL",
        "ADSL-CAP",
        "ADSL-DMT",
        "ISDN-DSL",
        "Ethernet",
        "xDSL",
        "Cable",
        "Wireless - Other",
        "Wireless - IEEE 802.11",
        "Token-Ring",
        "FDDI",
        "Wireless - CDMA200",
        "Wireless - UMTS",
        "Wireless - 1X-EV",
        "IAPP",
        "FTTP",
        "Wireless - IEEE 802.16",
        "Wireless - IEEE 802.20",
        "Wireless - IEEE 802.22",
        "PPPoA",
        "PPPoEoA",
        "PPPoEoE",
        "PPPoEoVLAN",
        "PPPoEoQinQ",
        "xPON",
        "Wireless - XGP",
        "WiMAX Pre-Release 8 IWK Function",
        "WIMAX-WIFI-IWK",
        "WIMAX-SFF",
        "WIMAX-HA-LMA",
        "WIMAX-DHCP",
        "WIMAX-LBS",
        "WIMAX-WVS",
    ];
    const STATUS: &[&str] = &[
        "Start",
        "Stop",
        "Interim-Update",
        "Unassigned",
        "Unassigned",
        "Unassigned",
        "Accounting-On",
        "Accounting-Off",
        "Tunnel-Start",
        "Tunnel-Stop",
        "Tunnel-Reject",
        "Tunnel-Link-Start",
        "Tunnel-Link-Stop",
        "Tunnel-Link-Reject",
        "Failed",
    ];
    const AUTH: &[&str] = &["RADIUS", "Local", "Remote", "Diameter"];
    const CAUSE: &[&str] = &[
        "User Request",
        "Lost Carrier",
        "Lost Service",
        "Idle Timeout",
        "Session Timeout",
        "Admin Reset",
        "Admin Reboot",
        "Port Error",
        "NAS Error",
        "NAS Request",
        "NAS Reboot",
        "Port Unneeded",
        "Port Preempted",
        "Port Suspended",
        "Service Unavailable",
        "Callback",
        "User Error",
        "Host Request",
        "Supplicant Restart",
        "Reauthentication Failure",
        "Port Reinitialized",
        "Port Administratively Disabled",
        "Lost Power",
    ];
    const TUNNEL: &[&str] = &[
        "PPTP",
        "L2F",
        "L2TP",
        "ATMP",
        "VTP",
        "AH",
        "IP-IP",
        "MIN-IP-IP",
        "ESP",
        "GRE",
        "DVS",
        "IP-in-IP Tunneling",
        "VLAN",
    ];
    const MEDIUM: &[&str] = &[
        "IPv4",
        "IPv6",
        "NSAP",
        "HDLC",
        "BBN 1822",
        "802",
        "E.163",
        "E.164",
        "F.69",
        "X.121",
        "IPX",
        "Appletalk",
        "Decnet IV",
        "Banyan Vines",
        "E.164 with NSAP subaddress",
    ];
    const ZONE: &[&str] = &[
        "Only access to dfl zone",
        "Use zone filter inc.",
        "Not used",
        "Use zone filter exc.",
    ];
    const PROMPT: &[&str] = &["No Echo", "Echo"];
    Some(match attr {
        6 => (SERV, 1),
        7 => (PROTO, 1),
        10 => (ROUTING, 0),
        13 => (COMP, 0),
        15 => (LOGIN, 0),
        29 => (TERM, 0),
        40 => (STATUS, 1),
        45 => (AUTH, 1),
        49 => (CAUSE, 1),
        57 => (INGRESS, 1),
        61 => (PORT_TYPE, 0),
        64 => (TUNNEL, 1),
        65 => (MEDIUM, 1),
        72 => (ZONE, 1),
        76 => (PROMPT, 0),
        _ => return Option::None,
    })
}

/// SMI private enterprise numbers tcpdump names (the common ones).
pub(crate) const VENDORS: &[(u32, &str)] = &[
    (0, "IETF (reserved)"),
    (5, "ACC"),
    (9, "Cisco"),
    (11, "Hewlett Packard"),
    (42, "Sun Microsystems"),
    (61, "Merit"),
    (166, "Shiva"),
    (193, "Ericsson AB"),
    (307, "Livingston"),
    (311, "Microsoft"),
    (429, "3Com"),
    (529, "Ascend"),
    (1584, "Bay Networks"),
    (1991, "Foundry"),
    (2352, "Redback"),
    (2636, "Juniper Networks"),
    (10415, "3GPP"),
    (14122, "Wi-Fi Alliance"),
];

const EAP_TYPES: &[(u8, &str)] = &[
    (0, "No proposed"),
    (1, "Identity"),
    (2, "Notification"),
    (3, "Nak"),
    (4, "MD5-challenge"),
    (5, "OTP"),
    (6, "GTC"),
    (13, "TLS"),
    (18, "SIM"),
    (21, "TTLS"),
    (23, "AKA"),
    (43, "FAST"),
    (254, "Expanded types"),
    (255, "Experimental"),
];

/// An EAP packet in an EAP-Message attribute (tcpdump's `eap_print`).
fn eap(out: &mut String, b: Bytes, cp: usize, length: usize) -> Res {
    let code = b.u8(cp)?;
    let len = usize::from(b.be16(cp + 2)?);
    if len != length {
        out.push_str("EAP fragment?");
        return Ok(());
    }
    let name = match code {
        1 => "Request",
        2 => "Response",
        3 => "Success",
        4 => "Failure",
        _ => "unknown",
    };
    put!(out, "{name} ({code}), id {}, len {len}", b.u8(cp + 1)?);
    if len < 4 {
        out.push_str(" (too short for EAP header)");
        return Ok(());
    }
    b.get(cp, len)?;
    if code != 1 && code != 2 {
        return Ok(());
    }
    if len < 5 {
        out.push_str(" (too short for EAP request/response)");
        return Ok(());
    }
    let sub = b.u8(cp + 4)?;
    put!(
        out,
        "\n\t\t Type {} ({sub})",
        tok(EAP_TYPES, sub).unwrap_or("unknown")
    );
    let flags = |out: &mut String, f: u8| {
        let names: Vec<&str> = [
            (0x80, "L bit"),
            (0x40, "More fragments bit"),
            (0x20, "Start bit"),
        ]
        .iter()
        .filter(|(bit, _)| f & bit != 0)
        .map(|(_, n)| *n)
        .collect();
        let names = if names.is_empty() {
            "none".to_string()
        } else {
            names.join(", ")
        };
        put!(out, " flags [{names}] 0x{f:02x}");
    };
    match sub {
        1 if len > 5 => {
            out.push_str(", Identity: ");
            super::printjnp(out, b, cp + 5, len - 5)?;
        }
        2 => {
            if len < 6 {
                out.push_str(" (too short for EAP Notification request/response)");
                return Ok(());
            }
            out.push_str(", Notification: ");
            super::printjnp(out, b, cp + 5, len - 5)?;
        }
        3 => {
            if len < 6 {
                out.push_str(" (too short for EAP Legacy NAK request/response)");
                return Ok(());
            }
            let mut sep = "";
            for i in 5..len {
                let t = b.u8(cp + i)?;
                put!(
                    out,
                    "{sep} {} ({t})",
                    tok(EAP_TYPES, t).unwrap_or("unknown")
                );
                sep = ",";
            }
        }
        13 | 21 | 43 => {
            let what = match sub {
                43 => "FAST",
                _ => "TLS/TTLS",
            };
            if len < 6 {
                put!(out, " (too short for EAP {what} request/response)");
                return Ok(());
            }
            let f = b.u8(cp + 5)?;
            match sub {
                21 => put!(out, " TTLSv{}", f & 7),
                43 => put!(out, " FASTv{}", f & 7),
                _ => {}
            }
            flags(out, f);
            if f & 0x80 != 0 {
                if len < 10 {
                    put!(
                        out,
                        " (too short for EAP {what} request/response with length)"
                    );
                    return Ok(());
                }
                put!(out, ", len {}", b.be32(cp + 6)?);
            }
        }
        18 | 23 => {
            if len < 6 {
                out.push_str(" (too short for EAP SIM/AKA request/response)");
                return Ok(());
            }
            let st = b.u8(cp + 5)?;
            let name = tok(
                &[
                    (1, "Challenge"),
                    (2, "Auth reject"),
                    (4, "Sync failure"),
                    (5, "Identity"),
                    (10, "Start"),
                    (11, "Challenge"),
                    (12, "Notification"),
                    (13, "Reauth"),
                    (14, "Client error"),
                ],
                st,
            )
            .unwrap_or("unknown");
            put!(out, " subtype [{name}] 0x{st:02x}");
        }
        _ => {}
    }
    Ok(())
}

const ERROR_CAUSES: &[(u32, &str)] = &[
    (201, "Residual Session Context Removed"),
    (202, "Invalid EAP Packet (Ignored)"),
    (401, "Unsupported Attribute"),
    (402, "Missing Attribute"),
    (403, "NAS Identification Mismatch"),
    (404, "Invalid Request"),
    (405, "Unsupported Service"),
    (406, "Unsupported Extension"),
    (407, "Invalid Attribute Value"),
    (501, "Administratively Prohibited"),
    (502, "Request Not Routable (Proxy)"),
    (503, "Session Context Not Found"),
    (504, "Session Context Not Removable"),
    (505, "Other Proxy Processing Error"),
    (506, "Resources Unavailable"),
    (507, "Request Initiated"),
    (508, "Multiple Session Selection Unsupported"),
    (509, "Location Info Required"),
];

fn printable(out: &mut String, c: u8) {
    out.push(if (0x20..=0x7e).contains(&c) {
        char::from(c)
    } else {
        '.'
    });
}

fn tag(out: &mut String, t: u8) {
    if t != 0 {
        put!(out, "Tag[{t}] ");
    } else {
        out.push_str("Tag[Unused] ");
    }
}

fn vlan_tag(out: &mut String, t: u8) {
    let name = match t {
        0x31 => "Tagged",
        0x32 => "Untagged",
        _ => "Unknown tag",
    };
    put!(out, "{name} (0x{t:02x}) ");
}

fn attr_string(out: &mut String, b: Bytes, mut at: usize, mut len: usize, typ: u8) -> Res {
    b.get(at, len)?;
    match typ {
        69 => {
            if len < 3 {
                return Err(Trunc);
            }
            let t = b.u8(at)?;
            if t != 0 && t <= 0x1f {
                put!(out, "Tag[{t}] ");
            } else {
                out.push_str("Tag[Unused] ");
            }
            put!(out, "Salt {} ", b.be16(at + 1)?);
            at += 3;
            len -= 3;
        }
        66 | 67 | 81 | 82 | 90 | 91 => {
            let t = b.u8(at)?;
            if t <= 0x1f {
                tag(out, t);
                at += 1;
                len -= 1;
            }
        }
        58 => {
            vlan_tag(out, b.u8(at)?);
            at += 1;
            len -= 1;
        }
        79 => return eap(out, b, at, len),
        _ => {}
    }
    for &c in b.get(at, len)? {
        if c == 0 {
            break;
        }
        printable(out, c);
    }
    Ok(())
}

fn attr_num(out: &mut String, b: Bytes, at: usize, len: usize, typ: u8) -> Res {
    if len != 4 {
        put!(out, "ERROR: length {len} != 4");
        return Ok(());
    }
    if let Some((table, first)) = values(typ) {
        let v = if typ == 64 || typ == 65 {
            tag(out, b.u8(at)?);
            b.be24(at + 1)?
        } else {
            b.be32(at)?
        };
        match v.checked_sub(first).and_then(|i| table.get(i as usize)) {
            Some(name) => out.push_str(name),
            Option::None => put!(out, "#{v}"),
        }
        return Ok(());
    }
    match typ {
        23 if b.be32(at)? == 0xffff_fffe => out.push_str("NAS Select"),
        27 | 28 | 41 | 46 | 85 => {
            let v = b.be32(at)?;
            if v < 60 {
                put!(out, "{v:02} secs");
            } else if v < 3600 {
                put!(out, "{:02}:{:02} min", v / 60, v % 60);
            } else {
                put!(
                    out,
                    "{:02}:{:02}:{:02} hours",
                    v / 3600,
                    v % 3600 / 60,
                    v % 60
                );
            }
        }
        37 if b.be32(at)? == 0 => out.push_str("Unnumbered"),
        38 if b.be32(at)? == 0 => out.push_str("NAS assigned"),
        83 => {
            tag(out, b.u8(at)?);
            put!(out, "{}", b.be24(at + 1)?);
        }
        56 => {
            vlan_tag(out, b.u8(at)?);
            put!(out, "{}", b.be24(at + 1)?);
        }
        _ => put!(out, "{}", b.be32(at)?),
    }
    Ok(())
}

fn hex_upper(out: &mut String, b: Bytes, at: usize, n: usize) -> Res {
    for &x in b.get(at, n)? {
        put!(out, "{x:02X}");
    }
    Ok(())
}

fn attr_strange(out: &mut String, b: Bytes, at: usize, len: usize, typ: u8) -> Res {
    match typ {
        70 => {
            if len != 16 {
                put!(out, "ERROR: length {len} != 16");
                return Ok(());
            }
            out.push_str("User_challenge (");
            hex_upper(out, b, at, 8)?;
            out.push_str(") User_resp(");
            hex_upper(out, b, at + 8, 8)?;
            out.push(')');
        }
        71 => {
            if len != 14 {
                put!(out, "ERROR: length {len} != 14");
                return Ok(());
            }
            if b.u8(at)? != 0 {
                out.push_str("User can change password");
            } else {
                out.push_str("User cannot change password");
            }
            put!(out, ", Min password length: {}", b.u8(at + 1)?);
            out.push_str(", created at: ");
            hex_upper(out, b, at + 2, 4)?;
            out.push_str(", expires in: ");
            hex_upper(out, b, at + 6, 4)?;
            out.push_str(", Current Time: ");
            hex_upper(out, b, at + 10, 4)?;
        }
        84 => {
            if len < 8 {
                put!(out, "ERROR: length {len} != 8");
                return Ok(());
            }
            hex_upper(out, b, at, 8)?;
        }
        _ => {
            if len != 4 {
                put!(out, "Error: length {len} != 4");
                return Ok(());
            }
            let v = b.be32(at)?;
            match tok(ERROR_CAUSES, v) {
                Some(n) => put!(out, "Error cause {v}: {n}"),
                Option::None => put!(out, "Error cause {v}: Error-Cause {v} not known"),
            }
        }
    }
    Ok(())
}

/// `ctime()` of a Unix time, in the local time zone like tcpdump.
fn ctime(out: &mut String, secs: u32) {
    const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let tm = crate::local_time(i64::from(secs));
    put!(
        out,
        "{} {} {:2} {:02}:{:02}:{:02} {}",
        DAYS[tm.tm_wday.clamp(0, 6) as usize],
        MONTHS[tm.tm_mon.clamp(0, 11) as usize],
        tm.tm_mday,
        tm.tm_hour,
        tm.tm_min,
        tm.tm_sec,
        i64::from(tm.tm_year) + 1900
    );
}

fn attr_value(out: &mut String, b: Bytes, at: usize, len: usize, typ: u8) -> Res {
    let kind = ATTRS.get(usize::from(typ)).map_or(None, |a| a.1);
    match kind {
        None | LocData => {}
        Str => attr_string(out, b, at, len, typ)?,
        Num => attr_num(out, b, at, len, typ)?,
        Addr => {
            if len != 4 {
                put!(out, "ERROR: length {len} != 4");
            } else {
                let v = b.be32(at)?;
                match (typ, v) {
                    (8 | 14, 0xffff_ffff) => out.push_str("User Selected"),
                    (8 | 14, 0xffff_fffe) => out.push_str("NAS Select"),
                    _ => put!(out, "{}", b.ipv4(at)?),
                }
            }
        }
        Addr6 => {
            if len != 16 {
                put!(out, "ERROR: length {len} != 16");
            } else {
                put!(out, "{}", b.ipv6(at)?);
            }
        }
        Mask6 => {
            if !(2..=18).contains(&len) {
                put!(out, "ERROR: length {len} not in range (2..18)");
                return Ok(());
            }
            b.get(at, len)?;
            let plen = b.u8(at + 1)?;
            if plen > 128 {
                put!(out, "ERROR: netmask {plen} not in range (0..128)");
                return Ok(());
            }
            let mut a = [0u8; 16];
            a[..len - 2].copy_from_slice(b.get(at + 2, len - 2)?);
            put!(out, "{}/{plen}", crate::ctx::Ip6(a));
            if usize::from(plen) > 8 * (len - 2) {
                out.push_str(" (inconsistent prefix length)");
            }
        }
        Vendor => {
            if len < 4 {
                return Err(Trunc);
            }
            let id = b.be32(at)?;
            put!(
                out,
                "Vendor: {} ({id})",
                tok(VENDORS, id).unwrap_or("Unknown")
            );
            let mut p = at + 4;
            let mut left = len - 4;
            while left >= 2 {
                let vt = b.u8(p)?;
                let vl = usize::from(b.u8(p + 1)?);
                if vl < 2 {
                    put!(
                        out,
                        "\n\t    Vendor Attribute: {vt}, Length: {vl} (bogus, must be >= 2)"
                    );
                    return Ok(());
                }
                if vl > left {
                    put!(
                        out,
                        "\n\t    Vendor Attribute: {vt}, Length: {vl} (bogus, goes past end of vendor-specific attribute)"
                    );
                    return Ok(());
                }
                p += 2;
                left -= 2;
                let vl = vl - 2;
                let value = b.get(p, vl)?;
                put!(out, "\n\t    Vendor Attribute: {vt}, Length: {vl}, Value: ");
                for &c in value {
                    printable(out, c);
                }
                p += vl;
                left -= vl;
            }
        }
        Time => {
            if len != 4 {
                put!(out, "ERROR: length {len} != 4");
            } else {
                ctime(out, b.be32(at)?);
            }
        }
        Strange => attr_strange(out, b, at, len, typ)?,
        Vector64 => {
            if len != 8 {
                put!(out, "ERROR: length {len} != 8");
                return Ok(());
            }
            const BITS: [(u64, &str); 12] = [
                (1, "MIP6_INTEGRATED"),
                (2, "LOCAL_HOME_AGENT_ASSIGNMENT"),
                (1 << 40, "PMIP6_SUPPORTED"),
                (1 << 41, "IP4_HOA_SUPPORTED"),
                (1 << 42, "LOCAL_MAG_ROUTING_SUPPORTED"),
                (1 << 43, "ASSIGN_LOCAL_IP"),
                (1 << 44, "MIP4_SUPPORTED"),
                (1 << 45, "OPTIMIZED_IDLE_MODE_MOBILITY"),
                (1 << 46, "GTPv2_SUPPORTED"),
                (1 << 47, "IP4_TRANSPORT_SUPPORTED"),
                (1 << 48, "IP4_HOA_ONLY_SUPPORTED"),
                (1 << 49, "INTER_MAG_ROUTING_SUPPORTED"),
            ];
            let v = (u64::from(b.be32(at)?) << 32) | u64::from(b.be32(at + 4)?);
            let names: Vec<&str> = BITS
                .iter()
                .filter(|(bit, _)| v & bit != 0)
                .map(|(_, n)| *n)
                .collect();
            put!(out, "[{}]", names.join(", "));
        }
        HomePrefix => {
            if len != 17 {
                put!(out, "ERROR: length {len} != 17");
                return Ok(());
            }
            b.get(at, len)?;
            let plen = b.u8(at)?;
            if plen > 128 {
                put!(out, "ERROR: netmask {plen} not in range (0..128)");
            } else {
                put!(out, "{}/{plen}", b.ipv6(at + 1)?);
            }
        }
        Operator => {
            b.get(at, len)?;
            if len < 2 {
                put!(out, "ERROR: length {len} < 2");
                return Ok(());
            }
            let ns = b.u8(at)?;
            match ns {
                0x30 => out.push_str("[TADIG] "),
                0x31 => out.push_str("[REALM] "),
                0x32 => out.push_str("[E212] "),
                0x33 => out.push_str("[ICC] "),
                _ => put!(out, "[unknown namespace {ns}] "),
            }
            printn(out, b, at + 1, len - 1);
        }
        LocInfo => {
            b.get(at, len)?;
            if len < 21 {
                put!(out, "ERROR: length {len} < 21");
                return Ok(());
            }
            let code = b.u8(at + 2)?;
            let entity = b.u8(at + 3)?;
            put!(out, "index {}, code ", b.be16(at)?);
            match code {
                0 => out.push_str("Civic"),
                1 => out.push_str("Geospatial"),
                c => put!(out, "Unknown ({c})"),
            }
            out.push_str(", entity ");
            match entity {
                0 => out.push_str("User"),
                1 => out.push_str("RADIUS"),
                e => put!(out, "Unknown ({e})"),
            }
            out.push_str(", sighting time ");
            super::ntp::ntp_time(out, b, at + 4)?;
            out.push_str(", time to live ");
            super::ntp::ntp_time(out, b, at + 12)?;
            out.push_str(", method \"");
            printn(out, b, at + 20, len - 20);
            out.push('"');
        }
        Policy => {
            b.get(at, len)?;
            if len < 10 {
                put!(out, "ERROR: length {len} < 10");
                return Ok(());
            }
            let flags = b.be16(at)?;
            let names: Vec<String> = (0..16)
                .filter(|bit| flags & (1 << bit) != 0)
                .map(|bit| {
                    if bit == 15 {
                        "Retransmission Allowed".to_string()
                    } else {
                        format!("MBZ-{}", 15 - bit)
                    }
                })
                .collect();
            let names = if names.is_empty() {
                "none".to_string()
            } else {
                names.join(", ")
            };
            put!(out, "flags [{names}], retention expires ");
            super::ntp::ntp_time(out, b, at + 2)?;
            if len > 10 {
                out.push_str(", note well \"");
                printn(out, b, at + 10, len - 10);
                out.push('"');
            }
        }
    }
    Ok(())
}

fn attrs(out: &mut String, cx: &Ctx, b: Bytes, mut at: usize, mut length: usize) -> Res {
    while length > 0 {
        if length < 2 {
            return Err(Trunc);
        }
        let typ = b.u8(at)?;
        let len = usize::from(b.u8(at + 1)?);
        let name = match ATTRS.get(usize::from(typ)) {
            Some((n, _)) if typ != 0 => n,
            _ => "Unknown",
        };
        put!(out, "\n\t  {name} Attribute ({typ}), length: {len}");
        if len < 2 {
            out.push_str(" (bogus, must be >= 2)");
            return Ok(());
        }
        if len > length {
            out.push_str(" (bogus, goes past end of packet)");
            return Ok(());
        }
        out.push_str(", Value: ");
        if len > 2 {
            attr_value(out, b, at + 2, len - 2, typ)?;
        }
        if cx.verbose > 1 {
            unknown_data(out, b, "\n\t    ", at + 2, len - 2);
        }
        length -= len;
        at += len;
    }
    Ok(())
}

/// `RADIUS, Access-Request (1), id: 0x01 length: 60`.
pub(crate) fn print(out: &mut String, cx: &Ctx, b: Bytes, length: u32) -> Res {
    b.get(0, 20)?;
    let len = usize::from(b.be16(2)?);
    if len < 20 {
        return Err(Trunc);
    }
    let len = len.min(length as usize);
    let code = b.u8(0)?;
    let name = tok(CODES, code).unwrap_or("Unknown Command");
    let id = b.u8(1)?;
    if cx.verbose < 1 {
        put!(out, "RADIUS, {name} ({code}), id: 0x{id:02x} length: {len}");
        return Ok(());
    }
    put!(
        out,
        "RADIUS, length: {len}\n\t{name} ({code}), id: 0x{id:02x}, Authenticator: "
    );
    for x in b.get(4, 16)? {
        put!(out, "{x:02x}");
    }
    if len > 20 {
        attrs(out, cx, b, 20, len - 20)?;
    }
    Ok(())
}
