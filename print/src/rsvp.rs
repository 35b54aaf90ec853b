//! RSVP (IP protocol 46) as tcpdump 4.99's `rsvp_print`: the message
//! type without -v; with -v the common header, a Bundle's messages and
//! each object (session, hops, time values, style, sender template,
//! labels and label requests, explicit and recorded routes, hello,
//! restart capability, session attribute, ...), hex dumps of the objects
//! not decoded; -vv adds a dump of every object.
//!
//! Not decoded here (they get the hex dump of unknown objects, where
//! tcpdump decodes them): filter specs, the IntServ flow/sender specs
//! and Adspec, error specs, message ids, fast reroute, detour, class
//! type, properties, integrity, admin status, label sets, generalized
//! UNI, call ids, and label requests with ATM, FR or GMPLS ranges.

use crate::ctx::{Bytes, Ctx, Res, addr4, addr16, bits, fn_char, put, tok};

const MSG_TYPES: &[(u8, &str)] = &[
    (1, "Path"),
    (2, "Resv"),
    (3, "PathErr"),
    (4, "ResvErr"),
    (5, "PathTear"),
    (6, "ResvTear"),
    (7, "ResvConf"),
    (12, "Bundle"),
    (13, "Acknowledgement"),
    (14, "Hello (Old)"),
    (15, "Refresh"),
    (20, "Hello"),
];

/// The message types whose objects are printed.
const OBJECT_MSGS: [u8; 11] = [1, 2, 3, 4, 5, 6, 7, 14, 20, 13, 15];

const HEADER_FLAGS: &[(u32, &str)] = &[(0x01, "Refresh reduction capable")];

const OBJECTS: &[(u8, &str)] = &[
    (1, "Session"),
    (3, "RSVP Hop"),
    (4, "Integrity"),
    (5, "Time Values"),
    (6, "Error Spec"),
    (7, "Scope"),
    (8, "Style"),
    (9, "Flowspec"),
    (10, "FilterSpec"),
    (11, "Sender Template"),
    (12, "Sender TSpec"),
    (13, "Adspec"),
    (14, "Policy Data"),
    (15, "Confirm"),
    (16, "Label"),
    (19, "Label Request"),
    (20, "ERO"),
    (21, "RRO"),
    (22, "Hello"),
    (23, "Message ID"),
    (24, "Message ID Ack"),
    (25, "Message ID List"),
    (34, "Recovery Label"),
    (35, "Upstream Label"),
    (36, "Label Set"),
    (130, "Acceptable Label Set"),
    (63, "Detour"),
    (66, "Class Type"),
    (125, "Class Type (old)"),
    (129, "Suggested Label"),
    (204, "Properties"),
    (205, "Fast Re-Route"),
    (207, "Session Attribute"),
    (229, "Generalized UNI"),
    (230, "Call-ID"),
    (236, "Call Capability"),
    (131, "Restart Capability"),
    (134, "Capability"),
    (195, "Notify Request"),
    (37, "Protection"),
    (196, "Administrative Status"),
    (50, "Sub-LSP to LSP"),
];

/// Class-type names by (class << 8) + ctype: the ctypes mean different
/// things per class.
const CTYPES: &[(u16, &str)] = &[
    (0x0301, "IPv4"),
    (0x0302, "IPv6"),
    (0x0303, "IPv4 plus opt. TLVs"),
    (0x0304, "IPv6 plus opt. TLVs"),
    (0xc301, "IPv4"),
    (0xc302, "IPv6"),
    (0x0f01, "IPv4"),
    (0x0f02, "IPv6"),
    (0x0501, "1"),
    (0x0901, "obsolete"),
    (0x0902, "IntServ"),
    (0x0c02, "IntServ"),
    (0x0d02, "IntServ"),
    (0x0a01, "IPv4"),
    (0x0a02, "IPv6"),
    (0x0a03, "IPv6 Flow-label"),
    (0x0a07, "Tunnel IPv4"),
    (0x0a0c, "IPv4 P2MP LSP Tunnel"),
    (0x0a0d, "IPv6 P2MP LSP Tunnel"),
    (0x0101, "IPv4"),
    (0x0102, "IPv6"),
    (0x0107, "Tunnel IPv4"),
    (0x010b, "UNI IPv4"),
    (0x010d, "IPv4 P2MP LSP Tunnel"),
    (0x010e, "IPv6 P2MP LSP Tunnel"),
    (0x0b01, "IPv4"),
    (0x0b02, "IPv6"),
    (0x0b07, "Tunnel IPv4"),
    (0x0b0c, "IPv4 P2MP LSP Tunnel"),
    (0x0b0d, "IPv6 P2MP LSP Tunnel"),
    (0x1701, "1"),
    (0x1801, "Message id ack"),
    (0x1802, "Message id nack"),
    (0x1901, "1"),
    (0x0801, "1"),
    (0x1601, "Hello Request"),
    (0x1602, "Hello Ack"),
    (0x1301, "without label range"),
    (0x1302, "with ATM label range"),
    (0x1303, "with FR label range"),
    (0x1304, "Generalized Label"),
    (0x1001, "Label"),
    (0x1002, "Generalized Label"),
    (0x1003, "Waveband Switching"),
    (0x8101, "Label"),
    (0x8102, "Generalized Label"),
    (0x8103, "Waveband Switching"),
    (0x2301, "Label"),
    (0x2302, "Generalized Label"),
    (0x2303, "Waveband Switching"),
    (0x2201, "Label"),
    (0x2202, "Generalized Label"),
    (0x2203, "Waveband Switching"),
    (0x1401, "IPv4"),
    (0x1501, "IPv4"),
    (0x0601, "IPv4"),
    (0x0602, "IPv6"),
    (0x0603, "IPv4 plus opt. TLVs"),
    (0x0604, "IPv6 plus opt. TLVs"),
    (0x8301, "IPv4"),
    (0x8601, "1"),
    (0xcf07, "Tunnel IPv4"),
    (0xcd07, "Tunnel IPv4"),
    (0xcd01, "1"),
    (0x3f07, "Tunnel IPv4"),
    (0xcc01, "1"),
    (0xc401, "1"),
    (0x4201, "1"),
    (0x7d01, "1"),
    (0x2401, "1"),
    (0xe501, "1"),
    (0x3201, "IPv4 sub-LSP"),
    (0x3202, "IPv6 sub-LSP"),
];

const XRO_TYPES: &[(u8, &str)] = &[
    (0, "Reserved"),
    (1, "IPv4 prefix"),
    (2, "IPv6 prefix"),
    (3, "Label"),
    (32, "Autonomous system number"),
    (64, "MPLS label switched path termination"),
];

const RRO_FLAGS: &[(u32, &str)] = &[
    (0x01, "Local protection available"),
    (0x02, "Local protection in use"),
    (0x04, "Bandwidth protection"),
    (0x08, "Node protection"),
];

const RRO_LABEL_FLAGS: &[(u32, &str)] = &[(0x01, "Global")];

const STYLES: &[(u32, &str)] = &[
    (17, "Wildcard Filter"),
    (10, "Fixed Filter"),
    (18, "Shared Explicit"),
];

const SESSION_ATTRIBUTE_FLAGS: &[(u32, &str)] = &[
    (0x01, "Local Protection"),
    (0x02, "Label Recording"),
    (0x04, "SE Style"),
    (0x08, "Bandwidth protection"),
    (0x10, "Node protection"),
];

const CAPABILITY_FLAGS: &[(u32, &str)] = &[
    (0x0004, "RecoveryPath Transmit Enabled"),
    (0x0002, "RecoveryPath Desired"),
    (0x0001, "RecoveryPath Srefresh Capable"),
];

/// The common header's size.
const HEADER: usize = 8;

/// The common header line: `RSVPv1 Path Message (1), Flags: [none], ...`.
fn header_line(ctx: &mut Ctx<'_>, p: &[u8], indent: &str) -> Res<u16> {
    let vf = p.u8_at(0)?;
    let t = p.u8_at(1)?;
    let len = p.be16(6)?;
    let name = match tok(MSG_TYPES, t) {
        Some(n) => n.to_string(),
        None => format!("unknown, type: {t}"),
    };
    put!(
        ctx.out,
        "{indent}RSVPv{} {name} Message ({t}), Flags: [{}], length: {len}, ttl: {}, checksum: 0x{:04x}",
        vf >> 4,
        bits(HEADER_FLAGS, u32::from(vf & 0x0f), "none", ", "),
        p.u8_at(4)?,
        p.be16(2)?
    );
    Ok(len)
}

/// `RSVPv1 Path Message, length: 24`; with -v the messages and objects.
pub(crate) fn rsvp_print(ctx: &mut Ctx<'_>, p: &[u8], len: u32) -> Res {
    ctx.proto = "rsvp";
    if p.len() < HEADER {
        return ctx.trunc();
    }
    let version = p[0] >> 4;
    if version != 1 {
        put!(
            ctx.out,
            "ERROR: RSVP version {version} packet not supported"
        );
        return Ok(());
    }
    let t = p[1];
    if ctx.o.verbose == 0 {
        match tok(MSG_TYPES, t) {
            Some(name) => put!(ctx.out, "RSVPv{version} {name} Message, length: {len}"),
            None => put!(
                ctx.out,
                "RSVPv{version} unknown ({t}) Message, length: {len}"
            ),
        }
        return Ok(());
    }
    // Every read is checked first (tcpdump's `ND_TCHECK`): a capture
    // that ends early is `nd_print_trunc`, the packet's dump is not the
    // longjmp's.
    if verbose(ctx, p, t).is_err() {
        ctx.explicit_trunc();
    }
    Ok(())
}

/// The -v part: the header, then the messages' objects.
fn verbose(ctx: &mut Ctx<'_>, p: &[u8], t: u8) -> Res {
    let total = usize::from(header_line(ctx, p, "\n\t")?);
    if total < HEADER {
        put!(ctx.out, "ERROR: common header too short {total} < {HEADER}");
        return Ok(());
    }
    if t == 12 {
        let mut at = HEADER;
        let mut left = total - HEADER;
        while left > 0 {
            let sub = p.from(at);
            sub.sub(0, HEADER)?;
            let version = sub[0] >> 4;
            if version != 1 {
                put!(
                    ctx.out,
                    "ERROR: RSVP version {version} packet not supported"
                );
                return Ok(());
            }
            let sub_len = usize::from(header_line(ctx, sub, "\n\t  ")?);
            if sub_len < HEADER {
                put!(
                    ctx.out,
                    "ERROR: common header too short {sub_len} < {HEADER}"
                );
                return Ok(());
            }
            if left < sub_len {
                put!(ctx.out, "ERROR: common header too large {sub_len} > {left}");
                return Ok(());
            }
            if !objects(ctx, sub, HEADER, sub_len - HEADER, "\n\t    ")? {
                return Ok(());
            }
            at += sub_len;
            left -= sub_len;
        }
    } else if OBJECT_MSGS.contains(&t) {
        objects(ctx, p, HEADER, total - HEADER, "\n\t  ")?;
    } else {
        let dump = &p.from(HEADER)[..p.from(HEADER).len().min(total - HEADER)];
        crate::hex::hex_prefixed(ctx.out, "\n\t    ", dump, 0);
    }
    Ok(())
}

/// How an object's value ended.
enum Value {
    /// Printed; whether it also gets a hex dump.
    Done(bool),
    /// Too short for its class-type (`ERROR: object is too short`).
    TooShort,
    /// Malformed (` (invalid)`).
    Invalid,
}

/// The objects of a message, `left` bytes from `at`; false when one was
/// malformed (tcpdump stops the packet).
fn objects(ctx: &mut Ctx<'_>, p: &[u8], mut at: usize, mut left: usize, indent: &str) -> Res<bool> {
    while left >= 4 {
        p.sub(at, 4)?;
        let len = usize::from(p.be16(at)?);
        let class = p.u8_at(at + 2)?;
        let ctype = p.u8_at(at + 3)?;
        if len % 4 != 0 {
            put!(
                ctx.out,
                "{indent}ERROR: object header size {len} not a multiple of 4"
            );
            return Ok(false);
        }
        if len < 4 {
            put!(ctx.out, "{indent}ERROR: object header too short {len} < 4");
            return Ok(false);
        }
        let unknown = match (class & 0x80 != 0, class & 0x40 != 0) {
            (false, _) => "reject",
            (true, true) => "ignore and forward",
            (true, false) => "ignore silently",
        };
        put!(
            ctx.out,
            "{indent}{} Object ({class}) Flags: [{unknown} if unknown], Class-Type: {} ({ctype}), length: {len}",
            tok(OBJECTS, class).unwrap_or("Unknown"),
            tok(CTYPES, (u16::from(class) << 8) + u16::from(ctype)).unwrap_or("Unknown")
        );
        if left < len {
            put!(
                ctx.out,
                "{indent}ERROR: object goes past end of objects TLV"
            );
            return Ok(false);
        }
        let value = p.sub(at + 4, len - 4)?;
        let hexdump = match object(ctx, class, ctype, value, indent)? {
            Value::Done(hexdump) => hexdump,
            Value::TooShort => {
                put!(ctx.out, "{indent}ERROR: object is too short");
                return Ok(false);
            }
            Value::Invalid => {
                ctx.s(" (invalid)");
                return Ok(false);
            }
        };
        if ctx.o.verbose > 1 || hexdump {
            crate::hex::hex_prefixed(ctx.out, "\n\t    ", value, 0);
        }
        at += len;
        left -= len;
    }
    Ok(true)
}

/// The session, sender and tunnel addresses of the objects that share
/// the layout `address, 2 bytes, port or id`.
fn addr_v4(ctx: &mut Ctx<'_>, v: &[u8], at: usize) -> Res<String> {
    Ok(ctx.ip4(addr4(v, at)?))
}

fn addr_v6(ctx: &mut Ctx<'_>, v: &[u8], at: usize) -> Res<String> {
    Ok(ctx.ip6(addr16(v, at)?))
}

/// One object's value (all of it captured).
fn object(ctx: &mut Ctx<'_>, class: u8, ctype: u8, v: &[u8], ind: &str) -> Res<Value> {
    let n = v.len();
    let need = |min: usize| n >= min;
    match (class, ctype) {
        (1, 1) if !need(8) => return Ok(Value::TooShort),
        (1, 1) => {
            let a = addr_v4(ctx, v, 0)?;
            put!(
                ctx.out,
                "{ind}  IPv4 DestAddress: {a}, Protocol ID: 0x{:02x}",
                v[4]
            );
            put!(
                ctx.out,
                "{ind}  Flags: [0x{:02x}], DestPort {}",
                v[5],
                v.be16(6)?
            );
        }
        (1, 2) if !need(20) => return Ok(Value::TooShort),
        (1, 2) => {
            let a = addr_v6(ctx, v, 0)?;
            put!(
                ctx.out,
                "{ind}  IPv6 DestAddress: {a}, Protocol ID: 0x{:02x}",
                v[16]
            );
            put!(
                ctx.out,
                "{ind}  Flags: [0x{:02x}], DestPort {}",
                v[17],
                v.be16(18)?
            );
        }
        (1, 8) if !need(36) => return Ok(Value::TooShort),
        (1, 8) => {
            let (a, e) = (addr_v6(ctx, v, 0)?, addr_v6(ctx, v, 20)?);
            put!(
                ctx.out,
                "{ind}  IPv6 Tunnel EndPoint: {a}, Tunnel ID: 0x{:04x}, Extended Tunnel ID: {e}",
                v.be16(18)?
            );
        }
        (1, 14) if !need(26) => return Ok(Value::TooShort),
        (1, 14) => {
            let e = addr_v6(ctx, v, 8)?;
            put!(
                ctx.out,
                "{ind}  IPv6 P2MP LSP ID: 0x{:08x}, Tunnel ID: 0x{:04x}, Extended Tunnel ID: {e}",
                v.be32(0)?,
                v.be16(6)?
            );
        }
        (1, 13 | 7 | 11) if !need(12) => return Ok(Value::TooShort),
        (1, 13 | 7 | 11) => {
            let (a, e) = (addr_v4(ctx, v, 0)?, addr_v4(ctx, v, 8)?);
            let what = if ctype == 13 {
                "IPv4 P2MP LSP ID"
            } else {
                "IPv4 Tunnel EndPoint"
            };
            put!(
                ctx.out,
                "{ind}  {what}: {a}, Tunnel ID: 0x{:04x}, Extended Tunnel ID: {e}",
                v.be16(6)?
            );
        }
        (15 | 195, 1) if !need(4) => return Ok(Value::TooShort),
        (15 | 195, 2) if !need(16) => return Ok(Value::TooShort),
        (15 | 195, 1 | 2) => {
            let a = if ctype == 1 {
                addr_v4(ctx, v, 0)?
            } else {
                addr_v6(ctx, v, 0)?
            };
            let (family, what) = match (ctype, class) {
                (1, 15) => ("IPv4", "Receiver"),
                (2, 15) => ("IPv6", "Receiver"),
                (1, _) => ("IPv4", "Notify Node"),
                _ => ("IPv6", "Notify Node"),
            };
            put!(ctx.out, "{ind}  {family} {what} Address: {a}");
        }
        (16 | 34 | 35 | 129, 1) => {
            for l in v.chunks_exact(4) {
                put!(ctx.out, "{ind}  Label: {}", l.be32(0)?);
            }
        }
        (16 | 34 | 35 | 129, 2) if !need(4) => return Ok(Value::TooShort),
        (16 | 34 | 35 | 129, 2) => put!(ctx.out, "{ind}  Generalized Label: {}", v.be32(0)?),
        (16 | 34 | 35 | 129, 3) if !need(12) => return Ok(Value::TooShort),
        (16 | 34 | 35 | 129, 3) => put!(
            ctx.out,
            "{ind}  Waveband ID: {}{ind}  Start Label: {}, Stop Label: {}",
            v.be32(0)?,
            v.be32(4)?,
            v.be32(8)?
        ),
        (8, 1) if !need(4) => return Ok(Value::TooShort),
        (8, 1) => put!(
            ctx.out,
            "{ind}  Reservation Style: {}, Flags: [0x{:02x}]",
            tok(STYLES, v.be24(1)?).unwrap_or("Unknown"),
            v[0]
        ),
        (11, 1) if !need(8) => return Ok(Value::TooShort),
        (11, 1) => {
            let a = addr_v4(ctx, v, 0)?;
            put!(
                ctx.out,
                "{ind}  Source Address: {a}, Source Port: {}",
                v.be16(6)?
            );
        }
        (11, 2) if !need(20) => return Ok(Value::TooShort),
        (11, 2) => {
            let a = addr_v6(ctx, v, 0)?;
            put!(
                ctx.out,
                "{ind}  Source Address: {a}, Source Port: {}",
                v.be16(18)?
            );
        }
        (11, 13) if !need(40) => return Ok(Value::TooShort),
        (11, 13) => {
            let (a, o) = (addr_v6(ctx, v, 0)?, addr_v6(ctx, v, 20)?);
            put!(
                ctx.out,
                "{ind}  IPv6 Tunnel Sender Address: {a}, LSP ID: 0x{:04x}{ind}  Sub-Group Originator ID: {o}, Sub-Group ID: 0x{:04x}",
                v.be16(18)?,
                v.be16(38)?
            );
        }
        (11, 7) if !need(8) => return Ok(Value::TooShort),
        (11, 7) => {
            let a = addr_v4(ctx, v, 0)?;
            put!(
                ctx.out,
                "{ind}  IPv4 Tunnel Sender Address: {a}, LSP-ID: 0x{:04x}",
                v.be16(6)?
            );
        }
        (11, 12) if !need(16) => return Ok(Value::TooShort),
        (11, 12) => {
            let (a, o) = (addr_v4(ctx, v, 0)?, addr_v4(ctx, v, 8)?);
            put!(
                ctx.out,
                "{ind}  IPv4 Tunnel Sender Address: {a}, LSP ID: 0x{:04x}{ind}  Sub-Group Originator ID: {o}, Sub-Group ID: 0x{:04x}",
                v.be16(6)?,
                v.be16(12)?
            );
        }
        (19, 1) => {
            for l in v.chunks_exact(4) {
                let et = l.be16(2)?;
                match tok(crate::ether::ETHERTYPES, et) {
                    Some(name) => put!(ctx.out, "{ind}  L3 Protocol ID: {name}"),
                    None => put!(
                        ctx.out,
                        "{ind}  L3 Protocol ID: Unknown Protocol (0x{et:04x})"
                    ),
                }
            }
        }
        (20 | 21, 1) => return route(ctx, v, ind),
        (22, 1 | 2) if !need(8) => return Ok(Value::TooShort),
        (22, 1 | 2) => put!(
            ctx.out,
            "{ind}  Source Instance: 0x{:08x}, Destination Instance: 0x{:08x}",
            v.be32(0)?,
            v.be32(4)?
        ),
        (131, 1) if !need(8) => return Ok(Value::TooShort),
        (131, 1) => put!(
            ctx.out,
            "{ind}  Restart  Time: {}ms, Recovery Time: {}ms",
            v.be32(0)?,
            v.be32(4)?
        ),
        (134, 1) if !need(4) => return Ok(Value::TooShort),
        (134, 1) => {
            let f = v.be32(0)?;
            if f & !7 != 0 {
                put!(ctx.out, "{ind}  [reserved=0x{:08x} must be zero]", f & !7);
            }
            put!(
                ctx.out,
                "{ind}  Flags: [{}]",
                bits(CAPABILITY_FLAGS, f & 7, "none", ", ")
            );
        }
        (207, 7) => {
            let Some(&name_len) = v.get(3) else {
                return Ok(Value::TooShort);
            };
            let Some(name) = v.get(4..4 + usize::from(name_len)) else {
                return Ok(Value::TooShort);
            };
            put!(ctx.out, "{ind}  Session Name: ");
            for &c in name {
                fn_char(ctx.out, c);
            }
            put!(
                ctx.out,
                "{ind}  Setup Priority: {}, Holding Priority: {}, Flags: [{}] ({})",
                v[0],
                v[1],
                bits(SESSION_ATTRIBUTE_FLAGS, v[2].into(), "none", ", "),
                hash_x(v[2])
            );
        }
        (3, 1 | 3) if !need(8) => return Ok(Value::TooShort),
        (3, 1 | 3) => {
            let a = addr_v4(ctx, v, 0)?;
            put!(
                ctx.out,
                "{ind}  Previous/Next Interface: {a}, Logical Interface Handle: 0x{:08x}",
                v.be32(4)?
            );
            return Ok(Value::Done(n > 8));
        }
        (3, 2 | 4) if !need(20) => return Ok(Value::TooShort),
        (3, 2 | 4) => {
            let a = addr_v6(ctx, v, 0)?;
            put!(
                ctx.out,
                "{ind}  Previous/Next Interface: {a}, Logical Interface Handle: 0x{:08x}",
                v.be32(16)?
            );
            return Ok(Value::Done(true));
        }
        (5, 1) if !need(4) => return Ok(Value::TooShort),
        (5, 1) => put!(ctx.out, "{ind}  Refresh Period: {}ms", v.be32(0)?),
        (50, 1) if !need(4) => return Ok(Value::TooShort),
        (50, 1) => {
            let a = addr_v4(ctx, v, 0)?;
            put!(ctx.out, "{ind}  Sub-LSP destination address: {a}");
        }
        (50, 2) if !need(16) => return Ok(Value::TooShort),
        (50, 2) => {
            let a = addr_v6(ctx, v, 0)?;
            put!(ctx.out, "{ind}  Sub-LSP destination address: {a}");
        }
        (
            1 | 15 | 195 | 16 | 34 | 35 | 129 | 8 | 11 | 20 | 21 | 22 | 131 | 134 | 207 | 3 | 5
            | 50,
            _,
        ) => {
            return Ok(Value::Done(true));
        }
        _ => {
            if ctx.o.verbose <= 1 {
                crate::hex::hex_prefixed(ctx.out, "\n\t    ", v, 0);
            }
        }
    }
    Ok(Value::Done(false))
}

/// An explicit or recorded route's subobjects.
fn route(ctx: &mut Ctx<'_>, v: &[u8], ind: &str) -> Res<Value> {
    let mut at = 0;
    while v.len() - at >= 4 {
        let t = v.u8_at(at)?;
        let len = usize::from(v.u8_at(at + 1)?);
        let kind = t & 0x7f;
        match tok(XRO_TYPES, kind) {
            Some(name) => put!(ctx.out, "{ind}  Subobject Type: {name}, length {len}"),
            None => put!(
                ctx.out,
                "{ind}  Subobject Type: Unknown {kind}, length {len}"
            ),
        }
        if v.len() - at < len {
            put!(
                ctx.out,
                "{ind}  ERROR: ERO subobject length > object length"
            );
            break;
        }
        if len == 0 {
            put!(ctx.out, "{ind}  ERROR: zero length ERO subtype");
            break;
        }
        match kind {
            1 => {
                if len != 8 {
                    ctx.s(" ERROR: length != 8");
                    return Ok(Value::Invalid);
                }
                let plen = v.u8_at(at + 6)?;
                if plen != 32 {
                    put!(ctx.out, " ERROR: Prefix length {plen} != 32");
                    return Ok(Value::Invalid);
                }
                let a = addr_v4(ctx, v, at + 2)?;
                put!(
                    ctx.out,
                    ", {}, {a}/{plen}, Flags: [{}]",
                    if t & 0x80 != 0 { "Loose" } else { "Strict" },
                    bits(RRO_FLAGS, v.u8_at(at + 7)?.into(), "none", ", ")
                );
            }
            3 => {
                if len != 8 {
                    ctx.s(" ERROR: length != 8");
                    return Ok(Value::Invalid);
                }
                let flags = v.u8_at(at + 2)?;
                let ct = v.u8_at(at + 3)?;
                put!(
                    ctx.out,
                    ", Flags: [{}] ({}), Class-Type: {} ({ct}), {}",
                    bits(RRO_LABEL_FLAGS, flags.into(), "none", ", "),
                    hash_x(flags),
                    tok(CTYPES, 0x1500 + u16::from(ct)).unwrap_or("Unknown"),
                    v.be32(at + 4)?
                );
            }
            _ => {}
        }
        at += len;
    }
    Ok(Value::Done(false))
}

/// C's `%#x`: `0` for zero, else `0x` and the hex digits.
fn hash_x(v: u8) -> String {
    if v == 0 {
        "0".to_string()
    } else {
        format!("0x{v:x}")
    }
}
