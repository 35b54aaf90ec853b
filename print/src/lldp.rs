//! LLDP (ether type 0x88cc, IEEE 802.1AB) as tcpdump 4.99's
//! `lldp_print`: `LLDP, length N` (and the system name) without -v;
//! with -v each TLV: chassis and port ids, TTL, descriptions,
//! capabilities, management addresses and the IEEE 802.1 (VLANs, DCB
//! ETS/PFC, ...), 802.3 and IANA organization-specific TLVs; -vv adds a
//! hex dump of every TLV.
//!
//! The TIA (LLDP-MED) and DCBX organization TLVs are not decoded here:
//! they get the hex dump tcpdump gives unknown ones.

use crate::ctx::{Bytes, Ctx, Mac, OUIS, Res, bits, fn_char, put, tok};

const TLV_TYPES: &[(u16, &str)] = &[
    (0, "End"),
    (1, "Chassis ID"),
    (2, "Port ID"),
    (3, "Time to Live"),
    (4, "Port Description"),
    (5, "System Name"),
    (6, "System Description"),
    (7, "System Capabilities"),
    (8, "Management Address"),
    (127, "Organization specific"),
];

const CHASSIS_SUBTYPES: &[(u8, &str)] = &[
    (1, "Chassis component"),
    (2, "Interface alias"),
    (3, "Port component"),
    (4, "MAC address"),
    (5, "Network address"),
    (6, "Interface name"),
    (7, "Local"),
];

const PORT_SUBTYPES: &[(u8, &str)] = &[
    (1, "Interface alias"),
    (2, "Port component"),
    (3, "MAC address"),
    (4, "Network Address"),
    (5, "Interface Name"),
    (6, "Agent circuit ID"),
    (7, "Local"),
];

const CAPABILITIES: &[(u32, &str)] = &[
    (1 << 0, "Other"),
    (1 << 1, "Repeater"),
    (1 << 2, "Bridge"),
    (1 << 3, "WLAN AP"),
    (1 << 4, "Router"),
    (1 << 5, "Telephone"),
    (1 << 6, "Docsis"),
    (1 << 7, "Station Only"),
];

const IEEE_8021_SUBTYPES: &[(u8, &str)] = &[
    (1, "Port VLAN Id"),
    (2, "Port and Protocol VLAN ID"),
    (3, "VLAN name"),
    (4, "Protocol Identity"),
    (8, "Congestion Notification"),
    (9, "ETS Configuration"),
    (10, "ETS Recommendation"),
    (11, "Priority Flow Control Configuration"),
    (12, "Application Priority"),
    (13, "EVB"),
    (14, "CDCP"),
];

const PPVID_FLAGS: &[(u32, &str)] = &[(1 << 1, "supported"), (1 << 2, "enabled")];

const IEEE_8023_SUBTYPES: &[(u8, &str)] = &[
    (1, "MAC/PHY configuration/status"),
    (2, "Power via MDI"),
    (3, "Link aggregation"),
    (4, "Max frame size"),
];

/// Autonegotiation and link aggregation status bits.
const SUPPORTED_ENABLED: &[(u32, &str)] = &[(1 << 0, "supported"), (1 << 1, "enabled")];

const PMD_CAPABILITIES: &[(u32, &str)] = &[
    (1 << 14, "10BASE-T hdx"),
    (1 << 13, "10BASE-T fdx"),
    (1 << 12, "100BASE-T4"),
    (1 << 11, "100BASE-TX hdx"),
    (1 << 10, "100BASE-TX fdx"),
    (1 << 9, "100BASE-T2 hdx"),
    (1 << 8, "100BASE-T2 fdx"),
    (1 << 7, "Pause for fdx links"),
    (1 << 6, "Asym PAUSE for fdx"),
    (1 << 5, "Sym PAUSE for fdx"),
    (1 << 4, "Asym and Sym PAUSE for fdx"),
    (1 << 3, "1000BASE-{X LX SX CX} hdx"),
    (1 << 2, "1000BASE-{X LX SX CX} fdx"),
    (1 << 1, "1000BASE-T hdx"),
    (1 << 0, "1000BASE-T fdx"),
];

/// RFC 3636's dot3MauType, 0 to 40.
const MAU_TYPES: [&str; 41] = [
    "Unknown",
    "AUI",
    "10BASE_5",
    "FOIRL",
    "10BASE2",
    "10BASET duplex mode unknown",
    "10BASEFP",
    "10BASEFB",
    "10BASEFL duplex mode unknown",
    "10BROAD36",
    "10BASET hdx",
    "10BASET fdx",
    "10BASEFL hdx",
    "10BASEFL fdx",
    "100BASET4",
    "100BASETX hdx",
    "100BASETX fdx",
    "100BASEFX hdx",
    "100BASEFX fdx",
    "100BASET2 hdx",
    "100BASET2 fdx",
    "1000BASEX hdx",
    "1000BASEX fdx",
    "1000BASELX hdx",
    "1000BASELX fdx",
    "1000BASESX hdx",
    "1000BASESX fdx",
    "1000BASECX hdx",
    "1000BASECX fdx",
    "1000BASET hdx",
    "1000BASET fdx",
    "10GBASEX",
    "10GBASELX4",
    "10GBASER",
    "10GBASEER",
    "10GBASELR",
    "10GBASESR",
    "10GBASEW",
    "10GBASEEW",
    "10GBASELW",
    "10GBASESW",
];

const MDI_FLAGS: &[(u32, &str)] = &[
    (1 << 0, "PSE"),
    (1 << 1, "supported"),
    (1 << 2, "enabled"),
    (1 << 3, "can be controlled"),
];

const MDI_PAIRS: &[(u8, &str)] = &[(1, "signal"), (2, "spare")];

const MDI_CLASSES: &[(u8, &str)] = &[
    (1, "class0"),
    (2, "class1"),
    (3, "class2"),
    (4, "class3"),
    (5, "class4"),
];

const EVB_MODES: &[(u8, &str)] = &[
    (0, "Not Supported"),
    (1, "EVB Bridge"),
    (2, "EVB Staion"),
    (3, "Reserved for future Standardization"),
];

const INTF_NUMBERING: &[(u8, &str)] = &[(2, "Interface Index"), (3, "System Port Number")];

const OUI_8021: u32 = 0x0080c2;
const OUI_8023: u32 = 0x00120f;
const OUI_IANA: u32 = 0x00005e;

/// The LLDPDU: `LLDP, length N`, then its TLVs.
pub(crate) fn lldp_print(ctx: &mut Ctx<'_>, p: &[u8], length: u32) -> Res {
    ctx.proto = "lldp";
    let v = ctx.o.verbose > 0;
    put!(ctx.out, "LLDP, length {length}");
    let mut left = length as usize;
    let mut at = 0;
    while left >= 2 {
        let tlv = p.be16(at)?;
        let typ = tlv >> 9;
        let len = usize::from(tlv & 0x01ff);
        left -= 2;
        at += 2;
        if v {
            put!(
                ctx.out,
                "\n\t{} TLV ({typ}), length {len}",
                tok(TLV_TYPES, typ).unwrap_or("Unknown")
            );
        }
        if typ == 0 || len == 0 {
            break;
        }
        if !p.has(at, len) || left < len {
            return ctx.trunc();
        }
        let value = &p[at..at + len];
        let hexdump = match tlv_value(ctx, typ, value)? {
            Some(hexdump) => hexdump,
            None => return ctx.trunc(),
        };
        if ctx.o.verbose > 1 || (v && hexdump) {
            crate::hex::hex_prefixed(ctx.out, "\n\t  ", value, 0);
        }
        left -= len;
        at += len;
    }
    Ok(())
}

/// One TLV's value (all of it captured); whether a hex dump is due, or
/// `None` when it is too short (tcpdump's `goto trunc`).
fn tlv_value(ctx: &mut Ctx<'_>, typ: u16, t: &[u8]) -> Res<Option<bool>> {
    let v = ctx.o.verbose > 0;
    let len = t.len();
    match typ {
        1 | 2 if v => {
            if len < 2 {
                return Ok(None);
            }
            let sub = t[0];
            let (table, mac, net) = if typ == 1 {
                (CHASSIS_SUBTYPES, 4, 5)
            } else {
                (PORT_SUBTYPES, 3, 4)
            };
            put!(
                ctx.out,
                "\n\t  Subtype {} ({sub}): ",
                tok(table, sub).unwrap_or("Unknown")
            );
            if sub == mac {
                if len < 7 {
                    return Ok(None);
                }
                let m = Mac(&t[1..7], ctx.o.numeric == 0);
                put!(ctx.out, "{m}");
            } else if sub == net {
                match network_addr(ctx, &t[1..]) {
                    Some(a) => ctx.s(&a),
                    None => return Ok(None),
                }
            } else if (1..=7).contains(&sub) {
                text(ctx, &t[1..]);
            } else {
                return Ok(Some(true));
            }
        }
        3 if v => {
            if len < 2 {
                return Ok(None);
            }
            put!(ctx.out, ": TTL {}s", t.be16(0)?);
        }
        4 if v => {
            ctx.s(": ");
            text(ctx, t);
        }
        5 => {
            ctx.s(": ");
            text(ctx, t);
        }
        6 if v => {
            ctx.s("\n\t  ");
            text(ctx, t);
        }
        7 if v => {
            if len < 4 {
                return Ok(None);
            }
            let (cap, enabled) = (u32::from(t.be16(0)?), u32::from(t.be16(2)?));
            put!(
                ctx.out,
                "\n\t  System  Capabilities [{}] (0x{cap:04x})",
                bits(CAPABILITIES, cap, "none", ", ")
            );
            put!(
                ctx.out,
                "\n\t  Enabled Capabilities [{}] (0x{enabled:04x})",
                bits(CAPABILITIES, enabled, "none", ", ")
            );
        }
        8 if v => {
            if !mgmt_addr(ctx, t)? {
                return Ok(None);
            }
        }
        127 if v => {
            if len < 3 {
                return Ok(None);
            }
            let oui = t.be24(0)?;
            put!(
                ctx.out,
                ": OUI {} (0x{oui:06x})",
                tok(OUIS, oui).unwrap_or("Unknown")
            );
            return Ok(Some(match oui {
                OUI_8021 => ieee_8021(ctx, t)?,
                OUI_8023 => ieee_8023(ctx, t)?,
                OUI_IANA => iana(ctx, t),
                _ => true,
            }));
        }
        1..=8 | 127 => {}
        _ => return Ok(Some(true)),
    }
    Ok(Some(false))
}

/// A string up to its end or a NUL.
fn text(ctx: &mut Ctx<'_>, s: &[u8]) {
    for &c in s.iter().take_while(|&&c| c != 0) {
        fn_char(ctx.out, c);
    }
}

/// A network address (a family number and the address): `AFI IPv4 (1):
/// 10.0.0.1`; None when too short for its family.
fn network_addr(ctx: &mut Ctx<'_>, a: &[u8]) -> Option<String> {
    let (&af, addr) = a.split_first()?;
    let name = tok(crate::app::ldp::ADDRESS_FAMILIES, u16::from(af)).unwrap_or("Unknown");
    let shown = match af {
        1 => ctx.ip4(addr.get(..4)?.try_into().ok()?),
        2 => ctx.ip6(addr.get(..16)?.try_into().ok()?),
        6 => Mac(addr.get(..6)?, ctx.o.numeric == 0).to_string(),
        _ => return Some(format!("AFI {name} ({af}), no AF printer !")),
    };
    Some(format!("AFI {name} ({af}): {shown}"))
}

/// The Management Address TLV; false when a part does not fit.
fn mgmt_addr(ctx: &mut Ctx<'_>, t: &[u8]) -> Res<bool> {
    let Some((&addr_len, rest)) = t.split_first() else {
        return Ok(false);
    };
    let addr_len = usize::from(addr_len);
    if rest.len() < addr_len {
        return Ok(false);
    }
    let Some(addr) = network_addr(ctx, &rest[..addr_len]) else {
        return Ok(false);
    };
    put!(
        ctx.out,
        "\n\t  Management Address length {addr_len}, {addr}"
    );
    let rest = &rest[addr_len..];
    if rest.len() < 5 {
        return Ok(false);
    }
    let numbering = rest[0];
    put!(
        ctx.out,
        "\n\t  {} Interface Numbering ({numbering}): {}",
        tok(INTF_NUMBERING, numbering).unwrap_or("Unknown"),
        rest.be32(1)?
    );
    let rest = &rest[5..];
    if let Some((&oid_len, oid)) = rest.split_first() {
        let oid_len = usize::from(oid_len);
        if oid.len() < oid_len {
            return Ok(false);
        }
        if oid_len != 0 {
            put!(ctx.out, "\n\t  OID length {oid_len}");
            text(ctx, &oid[..oid_len]);
        }
    }
    Ok(true)
}

/// `%-3d` for eight values.
fn row3(ctx: &mut Ctx<'_>, values: impl Iterator<Item = u8>) {
    let cells: Vec<String> = values.map(|x| format!("{x:<3}")).collect();
    ctx.s(&cells.join(" "));
}

/// The three ETS tables (priority assignment, TC bandwidth, TSA) from
/// offset 5 of an ETS TLV of at least 25 bytes.
fn ets_tables(ctx: &mut Ctx<'_>, t: &[u8]) {
    ctx.s("\n\t    Priority Assignment Table");
    ctx.s("\n\t     Priority : 0   1   2   3   4   5   6   7");
    ctx.s("\n\t     Value    : ");
    row3(ctx, t[5..9].iter().flat_map(|&b| [b >> 4, b & 0x0f]));
    ctx.s("\n\t    TC Bandwidth Table");
    ctx.s("\n\t     TC%   : 0   1   2   3   4   5   6   7");
    ctx.s("\n\t     Value : ");
    row3(ctx, t[9..17].iter().copied());
    ctx.s("\n\t    TSA Assignment Table");
    ctx.s("\n\t     Traffic Class: 0   1   2   3   4   5   6   7");
    ctx.s("\n\t     Value        : ");
    row3(ctx, t[17..25].iter().copied());
}

/// A priority bit map: `Priority : 0  1 ...` and each bit as `%-2d `.
fn priority_bits(ctx: &mut Ctx<'_>, bitmap: u8) {
    ctx.s("\n\t     Priority : 0  1  2  3  4  5  6  7");
    ctx.s("\n\t     Value    : ");
    for i in 0..8 {
        put!(ctx.out, "{:<2} ", (bitmap >> i) & 1);
    }
}

/// An organization TLV's subtype (after the OUI): `\n\t  VLAN name
/// Subtype (3)`; None when the TLV has none.
fn org_subtype(ctx: &mut Ctx<'_>, t: &[u8], names: &[(u8, &'static str)]) -> Option<u8> {
    let sub = *t.get(3)?;
    put!(
        ctx.out,
        "\n\t  {} Subtype ({sub})",
        tok(names, sub).unwrap_or("unknown")
    );
    Some(sub)
}

/// The IEEE 802.1 organization TLVs (802.1AB annex E, 802.1Qaz DCB,
/// EVB); whether a hex dump is due.
fn ieee_8021(ctx: &mut Ctx<'_>, t: &[u8]) -> Res<bool> {
    let len = t.len();
    let Some(sub) = org_subtype(ctx, t, IEEE_8021_SUBTYPES) else {
        return Ok(false);
    };
    match sub {
        1 if len >= 6 => put!(ctx.out, "\n\t    port vlan id (PVID): {}", t.be16(4)?),
        2 if len >= 7 => put!(
            ctx.out,
            "\n\t    port and protocol vlan id (PPVID): {}, flags [{}] (0x{:02x})",
            t.be16(5)?,
            bits(PPVID_FLAGS, t[4].into(), "none", ", "),
            t[4]
        ),
        3 if len >= 6 => {
            put!(ctx.out, "\n\t    vlan id (VID): {}", t.be16(4)?);
            let Some(&n) = t.get(6) else {
                return Ok(false);
            };
            let Some(name) = t.get(7..7 + usize::from(n)) else {
                return Ok(false);
            };
            ctx.s("\n\t    vlan name: ");
            text(ctx, name);
        }
        4 if len >= 5 => {
            let n = usize::from(t[4]);
            let Some(id) = t.get(5..5 + n) else {
                return Ok(false);
            };
            ctx.s("\n\t    protocol identity: ");
            text(ctx, id);
        }
        8 if len >= 6 => {
            ctx.s("\n\t    Pre-Priority CNPV Indicator");
            priority_bits(ctx, t[4]);
            ctx.s("\n\t    Pre-Priority Ready Indicator");
            priority_bits(ctx, t[5]);
        }
        9 if len >= 25 => {
            let b = t[4];
            put!(
                ctx.out,
                "\n\t    Willing:{}, CBS:{}, RES:{}, Max TCs:{}",
                b >> 7,
                (b >> 6) & 0x02,
                (b >> 3) & 0x07,
                b & 0x07
            );
            ets_tables(ctx, t);
        }
        10 if len >= 25 => {
            put!(ctx.out, "\n\t    RES: {}", t[4]);
            ets_tables(ctx, t);
        }
        11 if len >= 6 => {
            let b = t[4];
            put!(
                ctx.out,
                "\n\t    Willing: {}, MBC: {}, RES: {}, PFC cap:{} ",
                b >> 7,
                (b >> 6) & 0x01,
                (b >> 4) & 0x03,
                b & 0x0f
            );
            ctx.s("\n\t    PFC Enable");
            priority_bits(ctx, t[5]);
        }
        12 if len >= 5 => {
            put!(ctx.out, "\n\t    RES: {}", t[4]);
            let table = &t[5..];
            if table.is_empty() || !table.len().is_multiple_of(3) {
                return Ok(false);
            }
            ctx.s("\n\t    Application Priority Table");
            for e in table.chunks(3) {
                put!(
                    ctx.out,
                    "\n\t      Priority: {}, RES: {}, Sel: {}, Protocol ID: {}",
                    e[0] >> 5,
                    (e[0] >> 3) & 0x03,
                    e[0] & 0x07,
                    e.be16(1)?
                );
            }
        }
        13 if len >= 9 => {
            let (b4, b5, b6, b7, b8) = (t[4], t[5], t[6], t[7], t[8]);
            ctx.s("\n\t    EVB Bridge Status");
            put!(
                ctx.out,
                "\n\t      RES: {}, BGID: {}, RRCAP: {}, RRCTR: {}",
                b4 >> 3,
                (b4 >> 2) & 1,
                (b4 >> 1) & 1,
                b4 & 1
            );
            ctx.s("\n\t    EVB Station Status");
            put!(
                ctx.out,
                "\n\t      RES: {}, SGID: {}, RRREQ: {},RRSTAT: {}",
                b5 >> 4,
                (b5 >> 3) & 1,
                (b5 >> 2) & 1,
                b5 & 0x03
            );
            put!(ctx.out, "\n\t    R: {}, RTE: {}, ", b6 >> 5, b6 & 0x1f);
            put!(
                ctx.out,
                "EVB Mode: {} [{}]",
                tok(EVB_MODES, b7 >> 6).unwrap_or("unknown"),
                b7 >> 6
            );
            put!(
                ctx.out,
                "\n\t    ROL: {}, RWD: {}, ",
                (b7 >> 5) & 1,
                b7 & 0x1f
            );
            put!(
                ctx.out,
                "RES: {}, ROL: {}, RKA: {}",
                b8 >> 6,
                (b8 >> 5) & 1,
                b8 & 0x1f
            );
        }
        14 if len >= 8 => {
            let b = t[4];
            put!(
                ctx.out,
                "\n\t    Role: {}, RES: {}, Scomp: {} ",
                b >> 7,
                (b >> 4) & 0x07,
                (b >> 3) & 1
            );
            put!(ctx.out, "ChnCap: {}", t.be16(6)? & 0x0fff);
            let table = &t[8..];
            if !table.len().is_multiple_of(3) {
                return Ok(false);
            }
            for e in table.chunks(3) {
                let x = e.be24(0)?;
                put!(ctx.out, "\n\t    SCID: {}, SVID: {}", x >> 12, x & 0xfff);
            }
        }
        1..=4 | 8..=14 => {}
        _ => return Ok(true),
    }
    Ok(false)
}

/// The IEEE 802.3 organization TLVs; whether a hex dump is due.
fn ieee_8023(ctx: &mut Ctx<'_>, t: &[u8]) -> Res<bool> {
    let len = t.len();
    let Some(sub) = org_subtype(ctx, t, IEEE_8023_SUBTYPES) else {
        return Ok(false);
    };
    match sub {
        1 if len >= 9 => {
            put!(
                ctx.out,
                "\n\t    autonegotiation [{}] (0x{:02x})",
                bits(SUPPORTED_ENABLED, t[4].into(), "none", ", "),
                t[4]
            );
            let pmd = t.be16(5)?;
            put!(
                ctx.out,
                "\n\t    PMD autoneg capability [{}] (0x{pmd:04x})",
                bits(PMD_CAPABILITIES, pmd.into(), "unknown", ", ")
            );
            let mau = t.be16(7)?;
            put!(
                ctx.out,
                "\n\t    MAU type {} (0x{mau:04x})",
                MAU_TYPES.get(usize::from(mau)).unwrap_or(&"unknown")
            );
        }
        2 if len >= 7 => put!(
            ctx.out,
            "\n\t    MDI power support [{}], power pair {}, power class {}",
            bits(MDI_FLAGS, t[4].into(), "none", ", "),
            tok(MDI_PAIRS, t[5]).unwrap_or("unknown"),
            tok(MDI_CLASSES, t[6]).unwrap_or("unknown")
        ),
        3 if len >= 9 => put!(
            ctx.out,
            "\n\t    aggregation status [{}], aggregation port ID {}",
            bits(SUPPORTED_ENABLED, t[4].into(), "none", ", "),
            t.be32(5)?
        ),
        4 if len >= 6 => put!(ctx.out, "\n\t    MTU size {}", t.be16(4)?),
        1..=4 => {}
        _ => return Ok(true),
    }
    Ok(false)
}

/// The IANA organization TLV (MUD URL, RFC 8520); whether a hex dump is
/// due.
fn iana(ctx: &mut Ctx<'_>, t: &[u8]) -> bool {
    if t.len() < 8 {
        return false;
    }
    let sub = t[3];
    put!(
        ctx.out,
        "\n\t  {} Subtype ({sub})",
        if sub == 1 { "MUD-URL" } else { "unknown" }
    );
    if sub != 1 {
        return true;
    }
    ctx.s("\n\t  MUD-URL=");
    for &c in &t[4..] {
        fn_char(ctx.out, c);
    }
    false
}
