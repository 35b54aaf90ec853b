//! The Link Management Protocol (RFC 4204, with OIF UNI 1.0's service
//! discovery; print-lmp.c), UDP port 701 and `-T lmp`: one line without
//! -v, else the header and every object. A read past the capture is the
//! longjmp (` [|lmp]`), as in tcpdump's printer.

use super::{Bytes, Res, put, tok, unknown_data};
use crate::ctx::{Ctx, bits};

const MSG_TYPES: &[(u8, &str)] = &[
    (1, "Config"),
    (2, "Config ACK"),
    (3, "Config NACK"),
    (4, "Hello"),
    (5, "Begin Verify"),
    (6, "Begin Verify ACK"),
    (7, "Begin Verify NACK"),
    (8, "End Verify"),
    (9, "End Verify ACK"),
    (10, "Test"),
    (11, "Test Status Success"),
    (12, "Test Status Failure"),
    (13, "Test Status ACK"),
    (14, "Link Summary"),
    (15, "Link Summary ACK"),
    (16, "Link Summary NACK"),
    (17, "Channel Status"),
    (18, "Channel Status ACK"),
    (19, "Channel Status Request"),
    (20, "Channel Status Response"),
    (50, "Service Config"),
    (51, "Service Config ACK"),
    (52, "Service Config NACK"),
];

const HEADER_FLAGS: &[(u32, &str)] = &[(0x01, "Control Channel Down"), (0x02, "LMP restart")];

const OBJECTS: &[(u8, &str)] = &[
    (1, "Control Channel ID"),
    (2, "Node ID"),
    (3, "Link ID"),
    (4, "Interface ID"),
    (5, "Message ID"),
    (6, "Configuration"),
    (7, "Hello"),
    (8, "Verify Begin"),
    (9, "Verify Begin ACK"),
    (10, "Verify ID"),
    (11, "TE Link"),
    (12, "Data Link"),
    (13, "Channel Status"),
    (14, "Channel Status Request"),
    (20, "Error Code"),
    (51, "Service Config"),
];

/// `lmp_ctype_values`: class * 256 + C-type.
const CTYPES: &[(u32, &str)] = &[
    (0x101, "Local"),
    (0x102, "Remote"),
    (0x201, "Local"),
    (0x202, "Remote"),
    (0x301, "IPv4 Local"),
    (0x302, "IPv4 Remote"),
    (0x303, "IPv6 Local"),
    (0x304, "IPv6 Remote"),
    (0x305, "Unnumbered Local"),
    (0x306, "Unnumbered Remote"),
    (0x401, "IPv4 Local"),
    (0x402, "IPv4 Remote"),
    (0x403, "IPv6 Local"),
    (0x404, "IPv6 Remote"),
    (0x405, "Unnumbered Local"),
    (0x406, "Unnumbered Remote"),
    (0x501, "1"),
    (0x502, "2"),
    (0x601, "1"),
    (0x701, "1"),
    (0x801, "1"),
    (0x901, "1"),
    (0xa01, "1"),
    (0xb01, "IPv4"),
    (0xb02, "IPv6"),
    (0xb03, "Unnumbered"),
    (0xc01, "IPv4"),
    (0xc02, "IPv6"),
    (0xc03, "Unnumbered"),
    (0xd01, "IPv4"),
    (0xd02, "IPv6"),
    (0xd03, "Unnumbered"),
    (0xe01, "IPv4"),
    (0xe02, "IPv6"),
    (0xe03, "Unnumbered"),
    (0x1401, "1"),
    (0x1402, "2"),
    (0x3301, "1"),
    (0x3302, "2"),
    (0x3303, "3"),
    (0x3304, "4"),
];

const TE_LINK_FLAGS: &[(u32, &str)] = &[
    (0x01, "Fault Management Supported"),
    (0x02, "Link Verification Supported"),
];
const DATA_LINK_FLAGS: &[(u32, &str)] = &[
    (0x01, "Data Link Port"),
    (0x02, "Allocated for user traffic"),
    (0x04, "Failed link"),
];
const CHANNEL_STATUS: &[(u32, &str)] = &[
    (1, "Signal Okay"),
    (2, "Signal Degraded"),
    (3, "Signal Fail"),
];
const VERIFY_FLAGS: &[(u32, &str)] = &[(0x0001, "Verify all links"), (0x0002, "Data link type")];
const VERIFY_ERRORS: &[(u32, &str)] = &[
    (0x01, "Link Verification Procedure Not supported"),
    (0x02, "Unwilling to verify"),
    (0x04, "Unsupported verification transport mechanism"),
    (0x08, "Link-Id configuration error"),
    (0x10, "Unknown object c-type"),
];
const SUMMARY_ERRORS: &[(u32, &str)] = &[
    (0x01, "Unacceptable non-negotiable LINK-SUMMARY parameters"),
    (0x02, "Renegotiate LINK-SUMMARY parameters"),
    (0x04, "Invalid TE-LINK Object"),
    (0x08, "Invalid DATA-LINK Object"),
    (0x10, "Unknown TE-LINK Object c-type"),
    (0x20, "Unknown DATA-LINK Object c-type"),
];
const SP_FLAGS: &[(u32, &str)] = &[(0x01, "RSVP Supported"), (0x02, "LDP Supported")];
const CPSA_TP_FLAGS: &[(u32, &str)] = &[
    (0x01, "Path/VC Overhead Transparency Supported"),
    (0x02, "Line/MS Overhead Transparency Supported"),
    (0x04, "Section/RS Overhead Transparency Supported"),
];
const CPSA_CCT_FLAGS: &[(u32, &str)] = &[(0x01, "Contiguous Concatenation Types Supported")];
const NSA_TRANSPARENCY_FLAGS: &[(u32, &str)] = &[
    (0x01, "Standard SOH/RSOH Transparency Supported"),
    (0x02, "Standard LOH/MSOH Transparency Supported"),
];
const NSA_TCM_FLAGS: &[(u32, &str)] =
    &[(0x01, "Transparent Tandem Connection Monitoring Supported")];
const DIVERSITY_FLAGS: &[(u32, &str)] = &[
    (0x01, "Node Diversity Supported"),
    (0x02, "Link Diversity Supported"),
    (0x04, "SRLG Diversity Supported"),
];
const CPSA_LINK_TYPES: &[(u8, &str)] = &[(5, "SDH ITU-T G.707"), (6, "SONET ANSI T1.105")];
const SDH_SIGNALS: &[(u8, &str)] = &[
    (5, "VC-3"),
    (6, "VC-4"),
    (7, "STM-0"),
    (8, "STM-1"),
    (9, "STM-4"),
    (10, "STM-16"),
    (11, "STM-64"),
    (12, "STM-256"),
];
const SONET_SIGNALS: &[(u8, &str)] = &[
    (5, "STS-1 SPE"),
    (6, "STS-3c SPE"),
    (7, "STS-1"),
    (8, "STM-3"),
    (9, "STM-12"),
    (10, "STM-48"),
    (11, "STM-192"),
    (12, "STM-768"),
];

/// gmpls.c's `gmpls_switch_cap_values` (RFC 3471).
const SWITCH_CAPS: &[(u8, &str)] = &[
    (1, "Packet-Switch Capable-1"),
    (2, "Packet-Switch Capable-2"),
    (3, "Packet-Switch Capable-3"),
    (4, "Packet-Switch Capable-4"),
    (51, "Layer-2 Switch Capable"),
    (100, "Time-Division-Multiplex"),
    (150, "Lambda-Switch Capable"),
    (200, "Fiber-Switch Capable"),
];

/// gmpls.c's `gmpls_encoding_values` (RFC 3471).
const ENCODINGS: &[(u8, &str)] = &[
    (1, "Packet"),
    (2, "Ethernet V2/DIX"),
    (3, "ANSI/ETSI PDH"),
    (4, "Reserved"),
    (5, "SDH ITU-T G.707/SONET ANSI T1.105"),
    (6, "Reserved"),
    (7, "Digital Wrapper"),
    (8, "Lambda (photonic)"),
    (9, "Fiber"),
    (10, "Reserved"),
    (11, "FiberChannel"),
];

/// A bandwidth field (an IEEE float of bytes per second) in Mbps, as C
/// computes it in single precision.
fn mbps(b: Bytes, at: usize) -> Res<String> {
    let bw = f32::from_bits(b.be32(at)?);
    Ok(format!("{:.3}", f64::from(bw * 8.0 / 1_000_000.0)))
}

/// `lmp_print`.
pub(crate) fn print(ctx: &mut Ctx<'_>, b: Bytes, length: u32) -> Res {
    b.get(0, 8)?;
    let version = b.be16(0)? >> 12;
    if version != 1 {
        put!(ctx.out, "LMP version {version} packet not supported");
        return Ok(());
    }
    let t = b.u8(3)?;
    if ctx.o.verbose < 1 {
        let name = tok(MSG_TYPES, t).map_or_else(|| format!("unknown ({t})"), str::to_string);
        put!(ctx.out, "LMPv{version} {name} Message, length: {length}");
        return Ok(());
    }
    let mut tlen = u32::from(b.be16(4)?);
    let name = tok(MSG_TYPES, t).map_or_else(|| format!("unknown, type: {t}"), str::to_string);
    put!(
        ctx.out,
        "\n\tLMPv{version}, msg-type: {name}, Flags: [{}], length: {tlen}",
        bits(HEADER_FLAGS, u32::from(b.u8(2)?), "none", ", ")
    );
    if tlen < 8 {
        ctx.s(" (too short)");
        return Ok(());
    }
    if tlen > length {
        ctx.s(" (too long)");
        tlen = length;
    }
    let mut at = 8usize;
    tlen -= 8;
    while tlen != 0 {
        let obj_len = b.be16(at + 2)?;
        let class = b.u8(at + 1)?;
        let ctype = b.u8(at)? & 0x7f;
        let negotiable = if b.u8(at)? & 0x80 != 0 { "" } else { "non-" };
        put!(
            ctx.out,
            "\n\t  {} Object ({class}), Class-Type: {} ({ctype}) Flags: [{negotiable}negotiable], length: {obj_len}",
            tok(OBJECTS, class).unwrap_or("Unknown"),
            tok(CTYPES, (u32::from(class) << 8) + u32::from(ctype)).unwrap_or("Unknown")
        );
        if obj_len < 4 {
            ctx.s(" (too short)");
            return Ok(());
        }
        if obj_len % 4 != 0 {
            ctx.s(" (not a multiple of 4)");
            return Ok(());
        }
        let obj_len = usize::from(obj_len);
        b.get(at, obj_len)?;
        let body = at + 4;
        let hexdump = object(ctx, b, class, ctype, body, obj_len - 4)?;
        if ctx.o.verbose > 1 || hexdump {
            unknown_data(ctx.out, b, "\n\t    ", body, obj_len - 4);
        }
        if (tlen as usize) < obj_len {
            put!(
                ctx.out,
                " [remaining objects length {tlen} < {obj_len}] (invalid)"
            );
            break;
        }
        at += obj_len;
        tlen -= obj_len as u32;
    }
    Ok(())
}

/// `Link ID: 10.0.0.1 (0x0a000001)` and the like: an address (or a
/// number when unnumbered) and its first 32 bits in hex.
fn id(ctx: &mut Ctx<'_>, b: Bytes, at: usize, family: Family) -> Res<String> {
    let word = b.be32(at)?;
    let text = match family {
        Family::V4 => ctx.ip4(b.ipv4(at)?.octets()),
        Family::V6 => {
            let a: [u8; 16] = b.get(at, 16)?.try_into().map_err(|_| super::Trunc)?;
            ctx.ip6(a)
        }
        Family::Unnumbered => word.to_string(),
    };
    Ok(format!("{text} (0x{word:08x})"))
}

#[derive(Clone, Copy)]
enum Family {
    V4,
    V6,
    Unnumbered,
}

impl Family {
    /// The family of the TE link, data link and channel status C-types.
    fn of(ctype: u8) -> Option<Family> {
        match ctype {
            1 => Some(Family::V4),
            2 => Some(Family::V6),
            3 => Some(Family::Unnumbered),
            _ => None,
        }
    }
    fn size(self) -> usize {
        if let Family::V6 = self { 16 } else { 4 }
    }
}

/// One object's body; true when tcpdump adds a hex dump of it (an
/// unknown C-type or data link subobject).
fn object(ctx: &mut Ctx<'_>, b: Bytes, class: u8, ctype: u8, at: usize, len: usize) -> Res<bool> {
    // The body has the size the C-type calls for (else a note and no
    // more).
    let sized = |ctx: &mut Ctx<'_>, ok: bool| {
        if !ok {
            ctx.s(" (not correct for object)");
        }
        ok
    };
    match (class, ctype) {
        (1, 1 | 2) => {
            if sized(ctx, len == 4) {
                let v = b.be32(at)?;
                put!(ctx.out, "\n\t    Control Channel ID: {v} (0x{v:08x})");
            }
        }
        (3 | 4, 1..=6) => {
            let (family, size, label) = match ctype {
                1 | 2 => (Family::V4, 4, "IPv4 Link ID"),
                3 | 4 => (Family::V6, 16, "IPv6 Link ID"),
                _ => (Family::Unnumbered, 4, "Link ID"),
            };
            if sized(ctx, len == size) {
                let text = id(ctx, b, at, family)?;
                put!(ctx.out, "\n\t    {label}: {text}");
            }
        }
        (5, 1 | 2) => {
            if sized(ctx, len == 4) {
                let v = b.be32(at)?;
                let ack = if ctype == 2 { " Ack" } else { "" };
                put!(ctx.out, "\n\t    Message ID{ack}: {v} (0x{v:08x})");
            }
        }
        (2, 1 | 2) => {
            if sized(ctx, len == 4) {
                let text = id(ctx, b, at, Family::V4)?;
                put!(ctx.out, "\n\t    Node ID: {text}");
            }
        }
        (6, 1) => {
            if sized(ctx, len == 4) {
                put!(
                    ctx.out,
                    "\n\t    Hello Interval: {}\n\t    Hello Dead Interval: {}",
                    b.be16(at)?,
                    b.be16(at + 2)?
                );
            }
        }
        (7, 1) => {
            if sized(ctx, len == 8) {
                put!(
                    ctx.out,
                    "\n\t    Tx Seq: {}, Rx Seq: {}",
                    b.be32(at)?,
                    b.be32(at + 4)?
                );
            }
        }
        (11, 1..=3) => {
            let family = Family::of(ctype).unwrap_or(Family::V4);
            let size = 4 + 2 * family.size();
            if sized(ctx, len == size) {
                let flags = bits(TE_LINK_FLAGS, u32::from(b.u8(at)?), "none", ", ");
                put!(ctx.out, "\n\t    Flags: [{flags}]");
                let local = id(ctx, b, at + 4, family)?;
                let remote = id(ctx, b, at + 4 + family.size(), family)?;
                put!(
                    ctx.out,
                    "\n\t    Local Link-ID: {local}\n\t    Remote Link-ID: {remote}"
                );
            }
        }
        (12, 1..=3) => {
            let family = Family::of(ctype).unwrap_or(Family::V4);
            let size = 4 + 2 * family.size();
            if sized(ctx, len >= size) {
                let flags = bits(DATA_LINK_FLAGS, u32::from(b.u8(at)?), "none", ", ");
                put!(ctx.out, "\n\t    Flags: [{flags}]");
                let local = id(ctx, b, at + 4, family)?;
                let remote = id(ctx, b, at + 4 + family.size(), family)?;
                put!(
                    ctx.out,
                    "\n\t    Local Interface ID: {local}\n\t    Remote Interface ID: {remote}"
                );
                return subobjects(ctx, b, at, len - size, size);
            }
        }
        (8, 1) => {
            if sized(ctx, len == 20) {
                let flags = bits(VERIFY_FLAGS, u32::from(b.be16(at)?), "none", ", ");
                put!(ctx.out, "\n\t    Flags: {flags}");
                put!(ctx.out, "\n\t    Verify Interval: {}", b.be16(at + 2)?);
                put!(ctx.out, "\n\t    Data links: {}", b.be32(at + 4)?);
                let enc = tok(ENCODINGS, b.u8(at + 8)?).unwrap_or("Unknown");
                put!(ctx.out, "\n\t    Encoding type: {enc}");
                let m = b.be16(at + 10)?;
                // tcpdump tests the bit with the decimal 8000.
                let capable = if m & 8000 != 0 {
                    " (Payload test messages capable)"
                } else {
                    ""
                };
                put!(
                    ctx.out,
                    "\n\t    Verify Transport Mechanism: {m} (0x{m:x}){capable}"
                );
                put!(
                    ctx.out,
                    "\n\t    Transmission Rate: {} Mbps",
                    mbps(b, at + 12)?
                );
                put!(ctx.out, "\n\t    Wavelength: {}", b.be32(at + 16)?);
            }
        }
        (9, 1) => {
            if sized(ctx, len == 4) {
                put!(
                    ctx.out,
                    "\n\t    Verify Dead Interval: {}\n\t    Verify Transport Response: {}",
                    b.be16(at)?,
                    b.be16(at + 2)?
                );
            }
        }
        (10, 1) => {
            if sized(ctx, len == 4) {
                put!(ctx.out, "\n\t    Verify ID: {}", b.be32(at)?);
            }
        }
        (13, 1..=3) => {
            let family = Family::of(ctype).unwrap_or(Family::V4);
            let step = family.size() + 4;
            let mut off = 0;
            while off + step <= len {
                let text = id(ctx, b, at + off, family)?;
                put!(ctx.out, "\n\t    Interface ID: {text}");
                let s = b.be32(at + off + family.size())?;
                let active = s >> 31;
                let dir = (s >> 30) & 1;
                put!(
                    ctx.out,
                    "\n\t\t    Active: {} ({active})",
                    if active != 0 {
                        "Allocated"
                    } else {
                        "Non-allocated"
                    }
                );
                put!(
                    ctx.out,
                    "\n\t\t    Direction: {} ({dir})",
                    if dir != 0 { "Transmit" } else { "Receive" }
                );
                let status = s & 0x3ff_ffff;
                put!(
                    ctx.out,
                    "\n\t\t    Channel Status: {} ({status})",
                    tok(CHANNEL_STATUS, status).unwrap_or("Unknown")
                );
                off += step;
            }
        }
        (14, 1..=3) => {
            let family = Family::of(ctype).unwrap_or(Family::V4);
            let mut off = 0;
            while off + family.size() <= len {
                let text = id(ctx, b, at + off, family)?;
                put!(ctx.out, "\n\t    Interface ID: {text}");
                off += family.size();
            }
        }
        (20, 1 | 2) => {
            if sized(ctx, len == 4) {
                let table = if ctype == 1 {
                    VERIFY_ERRORS
                } else {
                    SUMMARY_ERRORS
                };
                let codes = bits(table, b.be32(at)?, "none", ", ");
                put!(ctx.out, "\n\t    Error Code: {codes}");
            }
        }
        (51, 1) => {
            if sized(ctx, len == 4) {
                let flags = bits(SP_FLAGS, u32::from(b.u8(at)?), "none", ", ");
                put!(ctx.out, "\n\t Flags: {flags}");
                put!(ctx.out, "\n\t  UNI Version: {}", b.u8(at + 1)?);
            }
        }
        (51, 2) => {
            if sized(ctx, len == 16) {
                service_cpsa(ctx, b, at)?;
            }
        }
        (51, 3) => {
            if sized(ctx, len == 8) {
                let t = bits(NSA_TRANSPARENCY_FLAGS, b.be32(at)?, "none", ", ");
                put!(ctx.out, "\n\t Transparency Flags: {t}");
                let m = bits(NSA_TCM_FLAGS, u32::from(b.u8(at + 7)?), "none", ", ");
                put!(ctx.out, "\n\t TCM Monitoring Flags: {m}");
            }
        }
        (51, 4) => {
            if sized(ctx, len == 4) {
                let d = bits(DIVERSITY_FLAGS, u32::from(b.u8(at + 3)?), "none", ", ");
                put!(ctx.out, "\n\t Diversity: Flags: {d}");
            }
        }
        (1..=14 | 20 | 51, _) => return Ok(true),
        _ => {
            if ctx.o.verbose <= 1 {
                unknown_data(ctx.out, b, "\n\t    ", at, len);
            }
        }
    }
    Ok(false)
}

/// The service config object's client port service attributes.
fn service_cpsa(ctx: &mut Ctx<'_>, b: Bytes, at: usize) -> Res {
    let link = b.u8(at)?;
    put!(
        ctx.out,
        "\n\t Link Type: {} ({link})",
        tok(CPSA_LINK_TYPES, link).unwrap_or("Unknown")
    );
    let signals = match link {
        5 => Some(SDH_SIGNALS),
        6 => Some(SONET_SIGNALS),
        _ => None,
    };
    if let Some(table) = signals {
        let s = b.u8(at + 1)?;
        put!(
            ctx.out,
            "\n\t Signal Type: {} ({s})",
            tok(table, s).unwrap_or("Unknown")
        );
    }
    let tp = bits(CPSA_TP_FLAGS, u32::from(b.u8(at + 2)?), "none", ", ");
    put!(ctx.out, "\n\t Transparency: {tp}");
    let cct = bits(CPSA_CCT_FLAGS, u32::from(b.u8(at + 3)?), "none", ", ");
    put!(ctx.out, "\n\t Contiguous Concatenation Types: {cct}");
    put!(ctx.out, "\n\t Minimum NCC: {}", b.be16(at + 4)?);
    put!(ctx.out, "\n\t Maximum NCC: {}", b.be16(at + 6)?);
    put!(ctx.out, "\n\t Minimum NVC:{}", b.be16(at + 8)?);
    put!(ctx.out, "\n\t Maximum NVC:{}", b.be16(at + 10)?);
    let local = id(ctx, b, at + 12, Family::V4)?;
    put!(ctx.out, "\n\t    Local Interface ID: {local}");
    Ok(())
}

/// `lmp_print_data_link_subobjs`: true when an unknown subobject ends
/// the list (tcpdump then dumps the whole object).
fn subobjects(ctx: &mut Ctx<'_>, b: Bytes, obj: usize, total: usize, mut off: usize) -> Res<bool> {
    let mut left = total as isize;
    while left > 0 {
        let t = b.u8(obj + off)?;
        let len = b.u8(obj + off + 1)?;
        put!(
            ctx.out,
            "\n\t    Subobject, Type: {} ({t}), Length: {len}",
            match t {
                1 => "Interface Switching Type",
                2 => "Wavelength",
                _ => "Unknown",
            }
        );
        if len < 4 {
            ctx.s(" (too short)");
            break;
        }
        if len % 4 != 0 {
            ctx.s(" (not a multiple of 4)");
            break;
        }
        if left < isize::from(len) {
            ctx.s(" (goes past the end of the object)");
            break;
        }
        let at = obj + off;
        match t {
            1 => {
                let sw = b.u8(at + 2)?;
                put!(
                    ctx.out,
                    "\n\t      Switching Type: {} ({sw})",
                    tok(SWITCH_CAPS, sw).unwrap_or("Unknown")
                );
                let enc = b.u8(at + 3)?;
                put!(
                    ctx.out,
                    "\n\t      Encoding Type: {} ({enc})",
                    tok(ENCODINGS, enc).unwrap_or("Unknown")
                );
                put!(
                    ctx.out,
                    "\n\t      Min Reservable Bandwidth: {} Mbps",
                    mbps(b, at + 4)?
                );
                put!(
                    ctx.out,
                    "\n\t      Max Reservable Bandwidth: {} Mbps",
                    mbps(b, at + 8)?
                );
            }
            2 => put!(ctx.out, "\n\t      Wavelength: {}", b.be32(at + 4)?),
            _ => return Ok(true),
        }
        left -= isize::from(len);
        off += usize::from(len);
    }
    Ok(false)
}
