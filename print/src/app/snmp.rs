//! SNMP v1, v2c and v3 (tcpdump's `snmp_print` without libsmi): a small
//! BER reader and the PDU printers. Object identifiers are printed as
//! numbers (`-n`); tcpdump abbreviates and names them without `-n`
//! (see `Ctx::numeric`).

use super::{Bytes, Ctx, Res, printn, put};

const UNIVERSAL: [&str; 18] = [
    "U-0",
    "Boolean",
    "Integer",
    "Bitstring",
    "String",
    "Null",
    "ObjID",
    "ObjectDes",
    "U-8",
    "U-9",
    "U-10",
    "U-11",
    "U-12",
    "U-13",
    "U-14",
    "U-15",
    "Sequence",
    "Set",
];
const APPLICATION: [&str; 7] = [
    "IpAddress",
    "Counter",
    "Gauge",
    "TimeTicks",
    "Opaque",
    "C-5",
    "Counter64",
];
const CONTEXT: [&str; 9] = [
    "GetRequest",
    "GetNextRequest",
    "GetResponse",
    "SetRequest",
    "Trap",
    "GetBulk",
    "Inform",
    "V2Trap",
    "Report",
];
const EXCEPTIONS: [&str; 3] = ["noSuchObject", "noSuchInstance", "endOfMibView"];
const PRIVATE: [&str; 1] = ["P-0"];
/// tcpdump's class table; every class is named "x" there (its macro
/// quotes the letter, not the argument).
const CLASSES: [&[&str]; 4] = [&UNIVERSAL, &APPLICATION, &CONTEXT, &PRIVATE];

const ERROR_STATUS: [&str; 19] = [
    "noError",
    "tooBig",
    "noSuchName",
    "badValue",
    "readOnly",
    "genErr",
    "noAccess",
    "wrongType",
    "wrongLength",
    "wrongEncoding",
    "wrongValue",
    "noCreation",
    "inconsistentValue",
    "resourceUnavailable",
    "commitFailed",
    "undoFailed",
    "authorizationError",
    "notWritable",
    "inconsistentName",
];
const GENERIC_TRAPS: [&str; 7] = [
    "coldStart",
    "warmStart",
    "linkDown",
    "linkUp",
    "authenticationFailure",
    "egpNeighborLoss",
    "enterpriseSpecific",
];

const GETREQ: u32 = 0;
const GETNEXTREQ: u32 = 1;
const SETREQ: u32 = 3;
const TRAP: u32 = 4;
const GETBULKREQ: u32 = 5;
const INFORMREQ: u32 = 6;
const V2TRAP: u32 = 7;
const REPORT: u32 = 8;

/// What a BER element decodes to (tcpdump's `BE_*`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Be {
    Any,
    Null,
    Octet,
    Oid,
    Int(i32),
    Uns(u32),
    Uns64(u64),
    Str,
    Seq,
    InetAddr,
    Pdu,
    Exception,
}

#[derive(Clone, Copy, Debug)]
struct Elem {
    typ: Be,
    id: u32,
    /// Where the contents start, and their length.
    data: usize,
    asnlen: usize,
    /// Header plus contents.
    count: usize,
}

/// `asn1_parse`: the element at `p`, within `len` bytes of the message.
/// `Ok(None)` where tcpdump prints a complaint (or the truncation mark)
/// and its caller gives up; `Err` where its reads jump out.
fn parse(out: &mut String, b: Bytes, mut p: usize, mut len: usize) -> Res<Option<Elem>> {
    if len < 1 {
        out.push_str("[nothing to parse]");
        return Ok(None);
    }
    let first = b.u8(p)?;
    let mut id = u32::from(first & 0x1f);
    let form = (first & 0x20) >> 5;
    let class = usize::from(first >> 6);
    p += 1;
    len -= 1;
    let mut hdr = 1;
    if id == 0x1f {
        id = 0;
        while b.u8(p)? & 0x80 != 0 {
            if len < 1 {
                out.push_str("[Xtagfield?]");
                return Ok(None);
            }
            id = (id << 7) | u32::from(b.u8(p)? & 0x7f);
            len -= 1;
            hdr += 1;
            p += 1;
        }
        if len < 1 {
            out.push_str("[Xtagfield?]");
            return Ok(None);
        }
        // tcpdump keeps the id in a byte.
        id = ((id << 7) | u32::from(b.u8(p)?)) & 0xff;
        len -= 1;
        hdr += 1;
        p += 1;
    }
    if len < 1 {
        out.push_str("[no asnlen]");
        return Ok(None);
    }
    let mut asnlen = u32::from(b.u8(p)?);
    p += 1;
    len -= 1;
    hdr += 1;
    if asnlen & 0x80 != 0 {
        let noct = (asnlen % 0x80) as usize;
        asnlen = 0;
        if len < noct {
            put!(out, "[asnlen? {len}<{noct}]");
            return Ok(None);
        }
        if !b.has(p, noct) {
            out.push_str(" [|snmp]");
            return Ok(None);
        }
        for _ in 0..noct {
            asnlen = (asnlen << 8) | u32::from(b.u8(p)?);
            p += 1;
            len -= 1;
            hdr += 1;
        }
    }
    let asnlen = asnlen as usize;
    if len < asnlen {
        put!(out, "[len{len}<asnlen{asnlen}]");
        return Ok(None);
    }
    let form_char = if form == 0 { 'P' } else { 'C' };
    let Some(names) = CLASSES.get(class) else {
        put!(out, "[class?{form_char}/{class}]");
        return Ok(None);
    };
    let Some(name) = names.get(id as usize) else {
        put!(out, "[id?{form_char}/x/{id}]");
        return Ok(None);
    };
    if !b.has(p, asnlen) {
        out.push_str(" [|snmp]");
        return Ok(None);
    }
    let data = b.get(p, asnlen)?;
    let typ = match (form, class, id) {
        (0, 0, 4) => Be::Str,
        (0, 0, 2) => {
            if asnlen == 0 {
                out.push_str("[asnlen=0]");
                return Ok(None);
            }
            let mut v: u32 = if data[0] & 0x80 != 0 { u32::MAX } else { 0 };
            for &x in data {
                v = (v << 8) | u32::from(x);
            }
            Be::Int(v as i32)
        }
        (0, 0, 6) => Be::Oid,
        (0, 0, 5) => Be::Null,
        (0, 0, _) => {
            put!(out, "[P/U/{name}]");
            Be::Octet
        }
        (0, 1, 0) => Be::InetAddr,
        (0, 1, 1..=3) => Be::Uns(
            data.iter()
                .fold(0u32, |v, &x| (v << 8).wrapping_add(u32::from(x))),
        ),
        (0, 1, 6) => Be::Uns64(
            data.iter()
                .fold(0u64, |v, &x| (v << 8).wrapping_add(u64::from(x))),
        ),
        (0, 1, _) => {
            put!(out, "[P/A/{name}]");
            Be::Octet
        }
        (0, 2, 0..=2) => Be::Exception,
        (0, 2, _) => Be::Any,
        (0, _, _) => {
            put!(out, "[P/x/{name}]");
            Be::Octet
        }
        (_, 0, 16) => Be::Seq,
        (_, 0, _) => {
            put!(out, "C/U/{name}");
            Be::Octet
        }
        (_, 2, _) => Be::Pdu,
        (_, _, _) => {
            put!(out, "C/x/{name}");
            Be::Octet
        }
    };
    Ok(Some(Elem {
        typ,
        id,
        data: p,
        asnlen,
        count: asnlen + hdr,
    }))
}

/// `asn1_print_octets`: `_0a_0b`.
fn print_octets(out: &mut String, b: Bytes, e: &Elem) -> Res {
    for x in b.get(e.data, e.asnlen)? {
        put!(out, "_{x:02x}");
    }
    Ok(())
}

/// `asn1_print_string`: quoted when printable, else `0a_0b`.
fn print_string(out: &mut String, b: Bytes, e: &Elem) -> Res {
    let s = b.get(e.data, e.asnlen)?;
    if s.iter().all(|c| (0x20..=0x7e).contains(c)) {
        out.push('"');
        printn(out, b, e.data, e.asnlen);
        out.push('"');
    } else {
        for (i, x) in s.iter().enumerate() {
            if i > 0 {
                out.push('_');
            }
            put!(out, "{x:02x}");
        }
    }
    Ok(())
}

/// `asn1_print` (numeric object identifiers).
fn show(out: &mut String, b: Bytes, e: &Elem) -> Res {
    match e.typ {
        Be::Octet => print_octets(out, b, e)?,
        Be::Null => {}
        Be::Oid => {
            // tcpdump's sub-identifier is an `int` printed with `%u`.
            let mut o: i32 = 0;
            let mut first = true;
            for &x in b.get(e.data, e.asnlen)? {
                o = o.wrapping_shl(7).wrapping_add(i32::from(x & 0x7f));
                if x & 0x80 != 0 {
                    continue;
                }
                if first {
                    first = false;
                    let s = (o / 40).min(2);
                    put!(out, ".{}", s as u32);
                    o = o.wrapping_sub(s.wrapping_mul(40));
                }
                put!(out, ".{}", o as u32);
                o = 0;
            }
        }
        Be::Int(v) => put!(out, "{v}"),
        Be::Uns(v) => put!(out, "{v}"),
        Be::Uns64(v) => put!(out, "{v}"),
        Be::Str => print_string(out, b, e)?,
        Be::Seq => put!(out, "Seq({})", e.asnlen),
        Be::InetAddr => {
            if e.asnlen != 4 {
                out.push_str("[inetaddr len!=4]");
            }
            for (i, x) in b.get(e.data, e.asnlen)?.iter().enumerate() {
                if i > 0 {
                    out.push('.');
                }
                put!(out, "{x}");
            }
        }
        Be::Exception => put!(out, "[{}]", EXCEPTIONS[e.id as usize]),
        Be::Pdu => put!(out, "{}({})", CONTEXT[e.id as usize], e.asnlen),
        Be::Any => out.push_str("[BE_ANY!?]"),
    }
    Ok(())
}

/// Parses the next element and checks its type: `Ok(None)` after the
/// complaint `[label]` and the element, the way tcpdump gives up.
fn expect(
    out: &mut String,
    b: Bytes,
    at: usize,
    len: usize,
    want: TypeCheck,
    complaint: &str,
) -> Res<Option<Elem>> {
    let Some(e) = parse(out, b, at, len)? else {
        return Ok(None);
    };
    if !want(e.typ) {
        put!(out, "[{complaint}]");
        show(out, b, &e)?;
        return Ok(None);
    }
    Ok(Some(e))
}

/// Whether an element has the type a field needs.
type TypeCheck = fn(Be) -> bool;

/// [`expect`], moving past the element when it is what was wanted.
fn take(
    out: &mut String,
    b: Bytes,
    np: &mut usize,
    len: &mut usize,
    want: TypeCheck,
    complaint: &str,
) -> Res<Option<Elem>> {
    let e = expect(out, b, *np, *len, want, complaint)?;
    if let Some(e) = &e {
        *np += e.count;
        *len -= e.count;
    }
    Ok(e)
}

fn is_int(t: Be) -> bool {
    matches!(t, Be::Int(_))
}
fn is_seq(t: Be) -> bool {
    t == Be::Seq
}
fn is_str(t: Be) -> bool {
    t == Be::Str
}
fn is_oid(t: Be) -> bool {
    t == Be::Oid
}

fn int(e: &Elem) -> i32 {
    match e.typ {
        Be::Int(v) => v,
        _ => 0,
    }
}

/// The variable bindings.
fn varbinds(out: &mut String, b: Bytes, pduid: u32, np: usize, length: usize) -> Res {
    let Some(seq) = expect(out, b, np, length, is_seq, "!SEQ of varbind")? else {
        return Ok(());
    };
    if seq.count < length {
        put!(out, "[{} extra after SEQ of varbind]", length - seq.count);
    }
    let mut length = seq.asnlen;
    let mut np = seq.data;
    let read = matches!(pduid, GETREQ | GETNEXTREQ | GETBULKREQ);
    while length > 0 {
        out.push(' ');
        let Some(vb) = expect(out, b, np, length, is_seq, "!varbind")? else {
            return Ok(());
        };
        let (vbend, vblength) = (np + vb.count, length - vb.count);
        let (mut inner, mut p) = (vb.asnlen, vb.data);
        let Some(name) = expect(out, b, p, inner, is_oid, "objName!=OID")? else {
            return Ok(());
        };
        show(out, b, &name)?;
        inner -= name.count;
        p += name.count;
        if !read {
            out.push('=');
        }
        let Some(value) = parse(out, b, p, inner)? else {
            return Ok(());
        };
        if value.typ != Be::Null {
            if read {
                out.push_str("[objVal!=NULL]");
            }
            show(out, b, &value)?;
        }
        length = vblength;
        np = vbend;
    }
    Ok(())
}

/// GetRequest … Report PDUs.
fn snmp_pdu(
    out: &mut String,
    cx: &Ctx,
    b: Bytes,
    pduid: u32,
    mut np: usize,
    mut len: usize,
) -> Res {
    let Some(e) = take(out, b, &mut np, &mut len, is_int, "reqId!=INT")? else {
        return Ok(());
    };
    if cx.verbose > 0 {
        put!(out, "R={} ", int(&e));
    }
    let strict = matches!(
        pduid,
        GETREQ | GETNEXTREQ | SETREQ | INFORMREQ | V2TRAP | REPORT
    );
    let Some(e) = take(out, b, &mut np, &mut len, is_int, "errorStatus!=INT")? else {
        return Ok(());
    };
    let status = int(&e);
    let status_name = |out: &mut String, s: i32| match usize::try_from(s)
        .ok()
        .and_then(|i| ERROR_STATUS.get(i))
    {
        Some(n) => out.push_str(n),
        None => put!(out, "err={}", s as u32),
    };
    let mut error_status = 0;
    if strict && status != 0 {
        out.push_str("[errorStatus(");
        status_name(out, status);
        out.push_str(")!=0]");
    } else if pduid == GETBULKREQ {
        put!(out, " N={status}");
    } else if status != 0 {
        out.push(' ');
        status_name(out, status);
        error_status = status;
    }
    let Some(e) = take(out, b, &mut np, &mut len, is_int, "errorIndex!=INT")? else {
        return Ok(());
    };
    let index = int(&e);
    if strict && index != 0 {
        put!(out, "[errorIndex({index})!=0]");
    } else if pduid == GETBULKREQ {
        put!(out, " M={index}");
    } else if index != 0 {
        if error_status == 0 {
            put!(out, "[errorIndex({index}) w/o errorStatus]");
        } else {
            put!(out, "@{index}");
        }
    } else if error_status != 0 {
        out.push_str("[errorIndex==0]");
    }
    varbinds(out, b, pduid, np, len)
}

/// The SNMPv1 Trap PDU.
fn trap_pdu(out: &mut String, b: Bytes, mut np: usize, mut len: usize) -> Res {
    out.push(' ');
    let Some(e) = take(out, b, &mut np, &mut len, is_oid, "enterprise!=OID")? else {
        return Ok(());
    };
    show(out, b, &e)?;
    out.push(' ');
    let Some(e) = take(
        out,
        b,
        &mut np,
        &mut len,
        |t| t == Be::InetAddr,
        "agent-addr!=INETADDR",
    )?
    else {
        return Ok(());
    };
    show(out, b, &e)?;
    let Some(e) = take(out, b, &mut np, &mut len, is_int, "generic-trap!=INT")? else {
        return Ok(());
    };
    let generic = int(&e);
    match usize::try_from(generic)
        .ok()
        .and_then(|g| GENERIC_TRAPS.get(g))
    {
        Some(n) => put!(out, " {n}"),
        None => put!(out, " gt={generic}"),
    }
    let Some(e) = take(out, b, &mut np, &mut len, is_int, "specific-trap!=INT")? else {
        return Ok(());
    };
    if generic != 6 {
        if int(&e) != 0 {
            put!(out, "[specific-trap({})!=0]", int(&e));
        }
    } else {
        put!(out, " s={}", int(&e));
    }
    out.push(' ');
    let Some(e) = take(
        out,
        b,
        &mut np,
        &mut len,
        |t| matches!(t, Be::Uns(_)),
        "time-stamp!=TIMETICKS",
    )?
    else {
        return Ok(());
    };
    show(out, b, &e)?;
    varbinds(out, b, TRAP, np, len)
}

/// Any PDU.
fn pdu(out: &mut String, cx: &Ctx, b: Bytes, np: usize, length: usize, version: i32) -> Res {
    let Some(p) = parse(out, b, np, length)? else {
        return Ok(());
    };
    if p.typ != Be::Pdu {
        out.push_str("[no PDU]");
        return Ok(());
    }
    if p.count < length {
        put!(out, "[{} extra after PDU]", length - p.count);
    }
    if cx.verbose > 0 {
        out.push_str("{ ");
    }
    show(out, b, &p)?;
    out.push(' ');
    if version == 0 && matches!(p.id, GETBULKREQ | INFORMREQ | V2TRAP | REPORT) {
        out.push_str("[v2 PDU in v1 message]");
        return Ok(());
    }
    if version == 1 && p.id == TRAP {
        out.push_str("[v1 PDU in v2 message]");
        return Ok(());
    }
    if p.id == TRAP {
        trap_pdu(out, b, p.data, p.asnlen)?;
    } else {
        snmp_pdu(out, cx, b, p.id, p.data, p.asnlen)?;
    }
    if cx.verbose > 0 {
        out.push_str(" } ");
    }
    Ok(())
}

/// SNMPv1/v2c: the community (unless "public") and the PDU.
fn community(out: &mut String, cx: &Ctx, b: Bytes, np: usize, length: usize, version: i32) -> Res {
    let Some(e) = expect(out, b, np, length, is_str, "comm!=STR")? else {
        return Ok(());
    };
    if b.get(e.data, e.asnlen)? != b"public" {
        out.push_str("C=");
        print_string(out, b, &e)?;
        out.push(' ');
    }
    pdu(out, cx, b, np + e.count, length - e.count, version)
}

/// The user-based security model parameters of SNMPv3.
fn usm(out: &mut String, cx: &Ctx, b: Bytes, np: usize, length: usize) -> Res {
    let Some(seq) = expect(out, b, np, length, is_seq, "!usm")? else {
        return Ok(());
    };
    let (mut len, mut np) = (seq.asnlen, seq.data);
    let fields: [(TypeCheck, &str, Option<&str>); 6] = [
        (is_str, "msgAuthoritativeEngineID!=STR", None),
        (is_int, "msgAuthoritativeEngineBoots!=INT", Some("B=")),
        (is_int, "msgAuthoritativeEngineTime!=INT", Some("T=")),
        (is_str, "msgUserName!=STR", Some("U=")),
        (is_str, "msgAuthenticationParameters!=STR", None),
        (is_str, "msgPrivacyParameters!=STR", None),
    ];
    let mut count = 0;
    for (want, complaint, label) in fields {
        let Some(e) = take(out, b, &mut np, &mut len, want, complaint)? else {
            return Ok(());
        };
        match label {
            Some("U=") => {
                out.push_str("U=");
                print_string(out, b, &e)?;
                out.push(' ');
            }
            Some(l) if cx.verbose > 0 => put!(out, "{l}{} ", int(&e)),
            _ => {}
        }
        count = e.count;
    }
    if count < len {
        put!(out, "[{} extra after usm SEQ]", len - count);
    }
    Ok(())
}

/// The scoped PDU of SNMPv3.
fn scoped_pdu(out: &mut String, cx: &Ctx, b: Bytes, np: usize, length: usize) -> Res {
    let Some(seq) = expect(out, b, np, length, is_seq, "!scoped PDU")? else {
        return Ok(());
    };
    let (mut len, mut np) = (seq.asnlen, seq.data);
    let Some(e) = take(out, b, &mut np, &mut len, is_str, "contextEngineID!=STR")? else {
        return Ok(());
    };
    out.push_str("E=");
    print_octets(out, b, &e)?;
    out.push(' ');
    let Some(e) = take(out, b, &mut np, &mut len, is_str, "contextName!=STR")? else {
        return Ok(());
    };
    out.push_str("C=");
    print_string(out, b, &e)?;
    out.push(' ');
    pdu(out, cx, b, np, len, 3)
}

/// The SNMPv3 message header and what follows.
fn v3msg(out: &mut String, cx: &Ctx, b: Bytes, xnp: usize, xlength: usize) -> Res {
    let Some(seq) = expect(out, b, xnp, xlength, is_seq, "!message")? else {
        return Ok(());
    };
    let (mut len, mut np) = (seq.asnlen, seq.data);
    if cx.verbose > 0 {
        out.push_str("{ ");
    }
    for complaint in ["msgID!=INT", "msgMaxSize!=INT"] {
        if take(out, b, &mut np, &mut len, is_int, complaint)?.is_none() {
            return Ok(());
        }
    }
    let Some(e) = take(out, b, &mut np, &mut len, is_str, "msgFlags!=STR")? else {
        return Ok(());
    };
    if e.asnlen != 1 {
        put!(out, "[msgFlags size {}]", e.asnlen);
        return Ok(());
    }
    let flags = b.u8(e.data)?;
    if !matches!(flags, 0 | 1 | 3 | 4 | 5 | 7) {
        put!(out, "[msgFlags=0x{flags:02X}]");
        return Ok(());
    }
    put!(
        out,
        "F={}{}{} ",
        if flags & 1 != 0 { "a" } else { "" },
        if flags & 2 != 0 { "p" } else { "" },
        if flags & 4 != 0 { "r" } else { "" }
    );
    let Some(e) = take(out, b, &mut np, &mut len, is_int, "msgSecurityModel!=INT")? else {
        return Ok(());
    };
    let model = int(&e);
    if e.count < len {
        put!(out, "[{} extra after message SEQ]", len - e.count);
    }
    if cx.verbose > 0 {
        out.push_str("} ");
    }
    if model != 3 {
        put!(out, "[security model {model}]");
        return Ok(());
    }
    if cx.verbose > 0 {
        out.push_str("{ USM ");
    }
    // tcpdump goes on from the end of the header's fields, counting the
    // length from the start of the message.
    let mut len = xlength - (np - xnp);
    let Some(e) = take(
        out,
        b,
        &mut np,
        &mut len,
        is_str,
        "msgSecurityParameters!=STR",
    )?
    else {
        return Ok(());
    };
    usm(out, cx, b, e.data, e.asnlen)?;
    if cx.verbose > 0 {
        out.push_str("} ");
        out.push_str("{ ScopedPDU ");
    }
    scoped_pdu(out, cx, b, np, len)?;
    if cx.verbose > 0 {
        out.push_str("} ");
    }
    Ok(())
}

/// ` { SNMPv1 C="private" { GetRequest(28) R=1 .1.3.6.1.2.1.1.1.0 } } `.
pub(crate) fn print(out: &mut String, cx: &Ctx, b: Bytes, length: u32) -> Res {
    let length = length as usize;
    out.push(' ');
    let Some(seq) = expect(out, b, 0, length, is_seq, "!init SEQ")? else {
        return Ok(());
    };
    if seq.count < length {
        put!(out, "[{} extra after iSEQ]", length - seq.count);
    }
    let (len, np) = (seq.asnlen, seq.data);
    let Some(e) = expect(out, b, np, len, is_int, "version!=INT")? else {
        return Ok(());
    };
    let version = int(&e);
    let name = match version {
        0 => "SNMPv1",
        1 => "SNMPv2c",
        3 => "SNMPv3",
        v => {
            put!(out, "SNMP [version = {v}]");
            return Ok(());
        }
    };
    if cx.verbose > 0 {
        put!(out, "{{ {name} ");
    }
    if version == 3 {
        v3msg(out, cx, b, np + e.count, len - e.count)?;
    } else {
        community(out, cx, b, np + e.count, len - e.count, version)?;
    }
    if cx.verbose > 0 {
        out.push_str("} ");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{app, app_len, hex};

    /// SNMPv2c GetNextRequest, community "private" (tcpdump's text).
    const GET_NEXT: &str =
        "302a020101040770726976617465a11c0202012c0201000201003010300e060a2b060104010902013a000500";

    #[test]
    fn get_next_request() {
        let p = hex(GET_NEXT);
        assert_eq!(
            app(0, 40000, 161, &p),
            " C=\"private\" GetNextRequest(28)  .1.3.6.1.4.1.9.2.1.58.0"
        );
        assert_eq!(
            app(1, 40000, 161, &p),
            " { SNMPv2c C=\"private\" { GetNextRequest(28) R=300  .1.3.6.1.4.1.9.2.1.58.0 } } "
        );
        assert_eq!(app_len(0, 40000, 161, &p[..20], 44), "  [|snmp]");
    }
}
