//! Cisco's SNAP protocols: CDP (pid 0x2000) and DTP (pid 0x2004), as
//! tcpdump 4.99 prints them: without -v the CDP Device-ID and a hex dump
//! of each other TLV, with -v every TLV decoded; DTP's TLVs with -v.
//!
//! Lengths come from the packet's own fields; a read past the captured
//! bytes ends the packet with ` [|cdp]` / ` [|dtp]`.

use crate::ctx::{Bytes, Ctx, Mac, Res, bits, fn_char, put};

/// How a CDP TLV's value is printed.
#[derive(Clone, Copy)]
enum Value {
    /// Checked to be captured, not printed.
    Nothing,
    /// `'text'`.
    Text,
    /// The address list (Address, Management Addresses).
    Addresses,
    /// `(0x00000029): Router, L2 Switch`.
    Capabilities,
    /// Each line of the version on its own indented line.
    Version,
    /// ` IPv4 Prefixes (2): 10.0.0.0/8 ...`.
    Prefixes,
    /// A 16-bit number.
    U16,
    /// `full` or `half`.
    Duplex,
    /// `app 1, vlan 5`, or `unknown 0x2000` for a 2-byte value.
    Ata186,
    /// Milliwatts as `7.50W`.
    Milliwatts,
    /// `1500 bytes`.
    Bytes32,
    /// `0x01`.
    Hex8,
    /// `0x05/location`.
    Location,
}

/// What tcpdump knows of a CDP TLV type: its name (None: "unknown
/// field type"), how its value prints and the value's length bounds.
struct TlvInfo {
    name: Option<&'static str>,
    value: Value,
    min: usize,
    max: usize,
}

const fn info(name: &'static str, value: Value, min: usize, max: usize) -> TlvInfo {
    TlvInfo {
        name: Some(name),
        value,
        min,
        max,
    }
}

const UNNAMED: TlvInfo = TlvInfo {
    name: None,
    value: Value::Nothing,
    min: 0,
    max: usize::MAX,
};

const ANY: usize = usize::MAX;

/// tcpdump's CDP TLV table, indexed by type (0x00 to 0x17; other types
/// have no entry).
const CDP_TLVS: [TlvInfo; 0x18] = [
    UNNAMED,
    info("Device-ID", Value::Text, 0, ANY),
    info("Address", Value::Addresses, 0, ANY),
    info("Port-ID", Value::Text, 0, ANY),
    info("Capability", Value::Capabilities, 4, 4),
    info("Version String", Value::Version, 0, ANY),
    info("Platform", Value::Text, 0, ANY),
    info("Prefixes", Value::Prefixes, 0, ANY),
    info("Protocol-Hello option", Value::Nothing, 0, ANY),
    info("VTP Management Domain", Value::Text, 0, ANY),
    info("Native VLAN ID", Value::U16, 2, 2),
    info("Duplex", Value::Duplex, 1, 1),
    UNNAMED,
    UNNAMED,
    info("ATA-186 VoIP VLAN assignment", Value::Ata186, 3, 3),
    info("ATA-186 VoIP VLAN request", Value::Ata186, 2, 3),
    info("power consumption", Value::Milliwatts, 1, 4),
    info("MTU", Value::Bytes32, 4, 4),
    info("AVVID trust bitmap", Value::Hex8, 1, 1),
    info("AVVID untrusted ports CoS", Value::Hex8, 1, 1),
    info("System Name", Value::Text, 0, ANY),
    info("System Object ID (not decoded)", Value::Nothing, 0, ANY),
    info("Management Addresses", Value::Addresses, 4, ANY),
    info("Physical Location", Value::Location, 1, ANY),
];

const CAPABILITIES: &[(u32, &str)] = &[
    (0x01, "Router"),
    (0x02, "Transparent Bridge"),
    (0x04, "Source Route Bridge"),
    (0x08, "L2 Switch"),
    (0x10, "L3 capable"),
    (0x20, "IGMP snooping"),
    (0x40, "L1 capable"),
];

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// `CDPv2, ttl: 180s, Device-ID 'sw1'` and a hex dump of each other
/// TLV's value, then `, length N`; with -v the checksum and length on
/// the first line and each TLV decoded on a line of its own.
pub(crate) fn cdp_print(ctx: &mut Ctx<'_>, p: &[u8], length: u32) -> Res {
    ctx.proto = "cdp";
    let v = ctx.o.verbose > 0;
    let length = length as usize;
    if length < 4 {
        put!(ctx.out, " (packet length {length} < 4) (invalid)");
        return Ok(());
    }
    put!(ctx.out, "CDPv{}, ttl: {}s", p.u8_at(0)?, p.u8_at(1)?);
    let checksum = p.be16(2)?;
    if v {
        put!(
            ctx.out,
            ", checksum: 0x{checksum:04x} (unverified), length {length}"
        );
    }
    let mut at = 4;
    while at < length {
        let remaining = length - at;
        if remaining < 4 {
            put!(
                ctx.out,
                " (remaining packet length {remaining} < 4) (invalid)"
            );
            return rest_captured(p, at, remaining);
        }
        let t = p.be16(at)?;
        let len = usize::from(p.be16(at + 2)?);
        let info = CDP_TLVS.get(usize::from(t));
        let name = info.and_then(|i| i.name).unwrap_or("unknown field type");
        if len < 4 {
            if v {
                put!(
                    ctx.out,
                    "\n\t{name} (0x{t:02x}), TLV length: {len} byte{} (too short)",
                    plural(len)
                );
            } else {
                put!(ctx.out, ", {name} TLV length {len} too short");
            }
            ctx.s(" (invalid)");
            return rest_captured(p, at, remaining);
        }
        if len > remaining {
            put!(ctx.out, " (TLV length {len} > {remaining}) (invalid)");
            return rest_captured(p, at, remaining);
        }
        at += 4;
        let len = len - 4;
        if !v && t == 1 {
            ctx.s(", Device-ID ");
        } else if v {
            put!(
                ctx.out,
                "\n\t{name} (0x{t:02x}), value length: {len} byte{}: ",
                plural(len)
            );
        }
        let mut covered = false;
        if let Some(info) = info {
            if len < info.min || len > info.max {
                ctx.s(" (malformed TLV)");
            } else if v || t == 1 {
                cdp_value(ctx, info.value, p, at, len)?;
                covered = true;
            }
        }
        if !covered {
            crate::hex::hex_prefixed(ctx.out, "\n\t  ", p.sub(at, len)?, 0);
        }
        at += len;
    }
    if !v {
        put!(ctx.out, ", length {length}");
    }
    Ok(())
}

/// tcpdump's `nd_printjn` (`nd_printjnp` when `to_nul`): `len` bytes
/// as characters (up to a NUL), each read on its own, so that a
/// truncated string is printed up to the capture's end.
fn chars(ctx: &mut Ctx<'_>, p: &[u8], at: usize, len: usize, to_nul: bool) -> Res {
    for i in 0..len {
        let c = p.u8_at(at + i)?;
        if to_nul && c == 0 {
            break;
        }
        fn_char(ctx.out, c);
    }
    Ok(())
}

/// tcpdump's check after an invalid length: the rest of the packet
/// must still have been captured.
fn rest_captured(p: &[u8], at: usize, len: usize) -> Res {
    p.sub(at, len).map(|_| ())
}

/// One CDP TLV value of `len` bytes at `at`.
fn cdp_value(ctx: &mut Ctx<'_>, value: Value, p: &[u8], at: usize, len: usize) -> Res {
    match value {
        Value::Nothing => {
            p.sub(at, len)?;
        }
        Value::Text => {
            ctx.s("'");
            chars(ctx, p, at, len, false)?;
            ctx.s("'");
        }
        Value::Addresses => addresses(ctx, p, at, len)?,
        Value::Capabilities => {
            let caps = p.be32(at)?;
            put!(
                ctx.out,
                "(0x{caps:08x}): {}",
                bits(CAPABILITIES, caps, "none", ", ")
            );
        }
        Value::Version => {
            ctx.s("\n\t  ");
            for i in 0..len {
                match p.u8_at(at + i)? {
                    b'\n' => ctx.s("\n\t  "),
                    c => fn_char(ctx.out, c),
                }
            }
        }
        Value::Prefixes => {
            if !len.is_multiple_of(5) {
                put!(ctx.out, " [length {len} is not a multiple of 5]");
                return rest_captured(p, at, len);
            }
            put!(ctx.out, " IPv4 Prefixes ({}):", len / 5);
            for i in (0..len).step_by(5) {
                let b = p.sub(at + i, 5)?;
                put!(ctx.out, " {}.{}.{}.{}/{}", b[0], b[1], b[2], b[3], b[4]);
            }
        }
        Value::U16 => put!(ctx.out, "{}", p.be16(at)?),
        Value::Duplex => ctx.s(if p.u8_at(at)? != 0 { "full" } else { "half" }),
        Value::Ata186 if len == 2 => put!(ctx.out, "unknown 0x{:04x}", p.be16(at)?),
        Value::Ata186 => put!(ctx.out, "app {}, vlan {}", p.u8_at(at)?, p.be16(at + 1)?),
        Value::Milliwatts => {
            let mut mw = 0u32;
            for i in 0..len {
                mw = (mw << 8) | u32::from(p.u8_at(at + i)?);
            }
            put!(ctx.out, "{:.2}W", f64::from(mw) / 1000.0);
        }
        Value::Bytes32 => put!(ctx.out, "{} bytes", p.be32(at)?),
        Value::Hex8 => put!(ctx.out, "0x{:02x}", p.u8_at(at)?),
        Value::Location => {
            put!(ctx.out, "0x{:02x}", p.u8_at(at)?);
            if len > 1 {
                ctx.s("/");
                chars(ctx, p, at + 1, len - 1, false)?;
            }
        }
    }
    Ok(())
}

/// The LLC/SNAP header CDP puts before an IPv6 address.
const PROTO_IPV6: [u8; 8] = [0xaa, 0xaa, 0x03, 0x00, 0x00, 0x00, 0x86, 0xdd];

/// An address list: a count, then (protocol type, protocol length,
/// protocol, address length, address) for each; IPv4 and IPv6 by
/// address, the others as bytes.
fn addresses(ctx: &mut Ctx<'_>, p: &[u8], at: usize, len: usize) -> Res {
    let end = at + len;
    if len < 4 {
        ctx.s(" (not enough space for num)");
        return rest_captured(p, at, len);
    }
    let mut num = p.be32(at)?;
    let mut at = at + 4;
    while num != 0 {
        let left = end - at;
        if left < 2 {
            ctx.s(" (not enough space for PT+PL)");
            return rest_captured(p, at, left);
        }
        let pt = p.u8_at(at)?;
        let pl = usize::from(p.u8_at(at + 1)?);
        at += 2;
        let left = end - at;
        if left < pl + 2 {
            ctx.s(" (not enough space for P+AL)");
            return rest_captured(p, at, left);
        }
        let al = usize::from(p.be16(at + pl)?);
        let ipv4 = pt == 1 && pl == 1 && p.u8_at(at)? == 0xcc && al == 4;
        let ipv6 = pt == 2 && pl == 8 && p.sub(at, 8)? == PROTO_IPV6 && al == 16;
        if ipv4 || ipv6 {
            at += pl + 2;
            let left = end - at;
            if left < al {
                ctx.s(" (not enough space for A)");
                return rest_captured(p, at, left);
            }
            if ipv4 {
                let a = ctx.ip4(crate::ctx::addr4(p, at)?);
                put!(ctx.out, "IPv4 ({num}) {a}");
            } else {
                let a = ctx.ip6(crate::ctx::addr16(p, at)?);
                put!(ctx.out, "IPv6 ({num}) {a}");
            }
            at += al;
        } else {
            put!(ctx.out, "pt=0x{pt:02x}, pl={pl}, pb=");
            for &b in p.sub(at, pl)? {
                put!(ctx.out, " {b:02x}");
            }
            put!(ctx.out, ", al={al}, a=");
            at += pl + 2;
            let left = end - at;
            if left < al {
                ctx.s(" (not enough space for A)");
                return rest_captured(p, at, left);
            }
            for &b in p.sub(at, al)? {
                put!(ctx.out, " {b:02x}");
            }
            at += al;
        }
        num -= 1;
        if num != 0 {
            ctx.s(" ");
        }
    }
    if at < end {
        put!(ctx.out, " ({} bytes of stray data)", end - at);
    }
    Ok(())
}

const DTP_TLVS: &[(u16, &str)] = &[
    (1, "Domain"),
    (2, "Status"),
    (3, "DTP type"),
    (4, "Neighbor"),
];

/// `DTPv1, length 31`, and with -v each TLV: the domain, status and
/// type bytes, the neighbor's MAC address.
pub(crate) fn dtp_print(ctx: &mut Ctx<'_>, p: &[u8], length: u32) -> Res {
    ctx.proto = "dtp";
    if length < 1 {
        ctx.s("[zero packet length] (invalid)");
        return Ok(());
    }
    put!(ctx.out, "DTPv{}, length {length}", p.u8_at(0)?);
    if ctx.o.verbose == 0 {
        return Ok(());
    }
    let length = length as usize;
    let mut at = 1;
    while at < length {
        let left = length - at;
        if left < 4 {
            put!(ctx.out, "[{left} bytes remaining] (invalid)");
            return rest_captured(p, at, left);
        }
        let t = p.be16(at)?;
        let len = usize::from(p.be16(at + 2)?);
        // Seen in captures; tcpdump stops there.
        if t == 0 {
            return Ok(());
        }
        put!(
            ctx.out,
            "\n\t{} (0x{t:04x}) TLV, length {len}",
            crate::ctx::tok(DTP_TLVS, t).unwrap_or("Unknown")
        );
        if len < 4 || len > left {
            put!(ctx.out, "[invalid TLV length {len}] (invalid)");
            return rest_captured(p, at, left);
        }
        match t {
            1 => {
                ctx.s(", ");
                chars(ctx, p, at + 4, len - 4, true)?;
            }
            2 | 3 if len == 5 => put!(ctx.out, ", 0x{:x}", p.u8_at(at + 4)?),
            4 if len == 10 => {
                let mac = Mac(p.sub(at + 4, 6)?, ctx.o.numeric == 0);
                put!(ctx.out, ", {mac}");
            }
            2..=4 => {
                ctx.s(" (invalid)");
                return rest_captured(p, at, left);
            }
            _ => {
                p.sub(at, len)?;
            }
        }
        at += len;
    }
    Ok(())
}
