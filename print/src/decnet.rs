//! DECnet Phase IV routing and NSP over Ethernet (tcpdump's
//! `decnet_print`, ether type 0x6003). Multi-byte fields are
//! little-endian; node addresses print as `area.node`.

use crate::ctx::{Bytes, Ctx, Res, put, tok};

/// Route header flags.
const RMF_CTLMSG: u8 = 0x01;
const RMF_FVER: u8 = 0o100;
const RMF_PAD: u8 = 0o200;

/// Sizes of the short and long route headers.
const SHORT_HDR: u32 = 6;
const LONG_HDR: u32 = 21;

/// Sequence number qualifiers of NSP.
const SGQ_ACK: u16 = 0o100000;
const SGQ_NAK: u16 = 0o110000;
const SGQ_OACK: u16 = 0o120000;
const SGQ_ONAK: u16 = 0o130000;
const SGQ_MASK: u16 = 0o7777;

const REASONS: &[(u16, &str)] = &[
    (0, "object rejected connect"),
    (1, "insufficient resources"),
    (2, "unrecognized node name"),
    (3, "node is shutting down"),
    (4, "unrecognized object"),
    (5, "invalid object name format"),
    (6, "object too busy"),
    (7, "protocol error discovered"),
    (8, "third party abort"),
    (9, "user abort"),
    (10, "invalid node name format"),
    (11, "local node shutting down"),
    (32, "insufficient local resources"),
    (33, "insufficient remote user resources"),
    (34, "invalid access control information"),
    (36, "bad ACCOUNT information"),
    (38, "no response from object"),
    (39, "node unreachable"),
    (41, "no link terminate"),
    (42, "disconnect complete"),
    (43, "bad image data in connect"),
    (54, "cryptographic service mismatch"),
];

/// A node address as `area.node`.
fn dnaddr(a: u16) -> String {
    format!("{}.{}", a >> 10, a & 0o1777)
}

/// Little-endian 16 bits at `at`.
fn le(p: &[u8], at: usize) -> Res<u16> {
    p.le16(at)
}

/// The hex dump of `ND_DEFAULTPRINT(bytes, n)` (also with -x/-X/-q):
/// up to `n` bytes, ` [|decnet]` when the capture holds fewer.
fn dump(ctx: &mut Ctx<'_>, p: &[u8], n: usize) {
    let have = n.min(p.len());
    crate::hex::hex_and_ascii(ctx.out, &p[..have], 0);
    if have < n {
        ctx.explicit_trunc();
    }
}

/// A DECnet packet: `p` from the 2-byte length on, `length` bytes on the
/// wire.
pub(crate) fn decnet_print(ctx: &mut Ctx<'_>, p: &[u8], length: u32) -> Res {
    ctx.proto = "decnet";
    if !decnet(ctx, p, length)? {
        ctx.s(" (invalid)");
    }
    Ok(())
}

/// false: tcpdump's `goto invalid`.
fn decnet(ctx: &mut Ctx<'_>, mut p: &[u8], mut length: u32) -> Res<bool> {
    if length < SHORT_HDR {
        put!(ctx.out, " (length {length} < {SHORT_HDR})");
        return Ok(false);
    }
    let pktlen = u32::from(le(p, 0)?);
    if pktlen < SHORT_HDR {
        put!(ctx.out, " (pktlen {pktlen} < {SHORT_HDR})");
        return Ok(false);
    }
    if pktlen > length {
        put!(ctx.out, " (pktlen {pktlen} > {length})");
        return Ok(false);
    }
    length = pktlen;
    let mut mflags = p.u8_at(2)?;
    if mflags & RMF_PAD != 0 {
        let padlen = u32::from(mflags & 0o177);
        if ctx.o.verbose > 0 {
            put!(ctx.out, "[pad:{padlen}] ");
        }
        if length < padlen + 2 {
            put!(ctx.out, " (length {length} < {})", padlen + 2);
            return Ok(false);
        }
        p.sub(2, padlen as usize)?;
        p = p.from(padlen as usize);
        length -= padlen;
        mflags = p.u8_at(2)?;
    }
    let shown = (length as usize).min(p.len());
    if mflags & RMF_FVER != 0 {
        ctx.s("future-version-decnet");
        dump(ctx, p, shown);
        return Ok(true);
    }
    let rh = p.from(2);
    if mflags & RMF_CTLMSG != 0 {
        return control(ctx, rh, length, shown);
    }
    let (dst, src, hops, nsp, nsplen) = match mflags & 7 {
        6 => {
            if length < LONG_HDR {
                put!(ctx.out, " (length {length} < {LONG_HDR})");
                return Ok(false);
            }
            rh.sub(0, LONG_HDR as usize)?;
            let hops = u32::from(rh.u8_at(18)?);
            (
                le(rh, 7)?,
                le(rh, 15)?,
                hops,
                rh.from(21),
                length - LONG_HDR,
            )
        }
        2 => {
            let hops = u32::from(rh.u8_at(5)? & 0o77) + 1;
            (
                le(rh, 1)?,
                le(rh, 3)?,
                hops,
                rh.from(6),
                length.wrapping_sub(SHORT_HDR),
            )
        }
        _ => {
            ctx.s("unknown message flags under mask");
            dump(ctx, p, shown);
            return Ok(true);
        }
    };
    put!(ctx.out, "{} > {} {pktlen} ", dnaddr(src), dnaddr(dst));
    if ctx.o.verbose > 0 {
        for (bit, word) in [(0o10, "RQR "), (0o20, "RTS "), (0o40, "IE ")] {
            if mflags & bit != 0 {
                ctx.s(word);
            }
        }
        put!(ctx.out, "{hops} hops ");
    }
    print_nsp(ctx, nsp, nsplen)
}

/// Routing layer control messages (`rh` from the flags on).
fn control(ctx: &mut Ctx<'_>, rh: &[u8], length: u32, shown: usize) -> Res<bool> {
    let mflags = rh.u8_at(0)?;
    // The size of each message, and its name.
    let (size, name) = match mflags & 0o17 {
        0o1 => (12, "init "),
        0o3 => (4, "verification "),
        0o5 => (4, "test "),
        0o7 => (4, "lev-1-routing "),
        0o11 => (4, "lev-2-routing "),
        0o13 => (18, "router-hello "),
        0o15 => (32, "endnode-hello "),
        _ => {
            ctx.s("unknown control message");
            dump(ctx, rh, shown);
            return Ok(true);
        }
    };
    ctx.s(name);
    if length < size {
        return Ok(false);
    }
    let m = rh.sub(0, size as usize)?;
    match mflags & 0o17 {
        0o1 => {
            info_words(ctx, m[3], false);
            put!(
                ctx.out,
                "src {}blksize {} vers {} eco {} ueco {} hello {}",
                dnaddr(le(m, 1)?),
                le(m, 4)?,
                m[6],
                m[7],
                m[8],
                le(m, 9)?
            );
        }
        0o3 => put!(ctx.out, "src {} fcnval {:o}", dnaddr(le(m, 1)?), m[3]),
        0o5 => put!(ctx.out, "src {} data {:o}", dnaddr(le(m, 1)?), m[3]),
        0o7 | 0o11 => {
            put!(ctx.out, "src {} ", dnaddr(le(m, 1)?));
            let what = if mflags & 0o17 == 0o7 { "ids" } else { "areas" };
            routes(ctx, rh.from(4), length - 4, what)?;
        }
        0o13 => {
            info_words(ctx, m[10], true);
            put!(
                ctx.out,
                "vers {} eco {} ueco {} src {} blksize {} pri {} hello {}",
                m[1],
                m[2],
                m[3],
                dnaddr(le(m, 8)?),
                le(m, 11)?,
                m[13],
                le(m, 15)?
            );
        }
        _ => {
            info_words(ctx, m[10], true);
            put!(
                ctx.out,
                "vers {} eco {} ueco {} src {} blksize {} rtr {} hello {} data {:o}",
                m[1],
                m[2],
                m[3],
                dnaddr(le(m, 8)?),
                le(m, 11)?,
                dnaddr(le(m, 26)?),
                le(m, 28)?,
                m[31]
            );
        }
    }
    Ok(true)
}

/// The words of the routing layer information of an init message
/// (`hello` false) or a hello message: node type, then the flags.
fn info_words(ctx: &mut Ctx<'_>, info: u8, hello: bool) {
    ctx.s(match info & 3 {
        0 => "reserved-ntype? ",
        1 => "l2rout ",
        2 => "l1rout ",
        _ => "endnode ",
    });
    let flags: &[(u8, &str)] = if hello {
        &[(0o4, "verif "), (0o40, "nomcast "), (0o100, "blo ")]
    } else {
        &[(0o4, "verif "), (0o10, "blo ")]
    };
    for &(bit, word) in flags {
        if info & bit != 0 {
            ctx.s(word);
        }
    }
}

/// The routes of a routing message; the last 16 bits are a checksum.
fn routes(ctx: &mut Ctx<'_>, p: &[u8], mut len: u32, what: &str) -> Res {
    let mut at = 0;
    while len > 6 {
        p.sub(at, 6)?;
        let count = u32::from(le(p, at)?);
        if count > 1024 {
            return Ok(());
        }
        let id = u32::from(le(p, at + 2)?);
        let info = le(p, at + 4)?;
        at += 6;
        len -= 6;
        put!(
            ctx.out,
            "{{{what} {id}-{} cost {} hops {}}} ",
            id + count,
            info & 0o777,
            (info >> 10) & 0o37
        );
    }
    Ok(())
}

/// `ack N `/`nak N ` of a first sequence field.
fn ack_word(ctx: &mut Ctx<'_>, ack: u16) {
    let word = if ack & SGQ_NAK == SGQ_NAK {
        "nak"
    } else {
        "ack"
    };
    put!(ctx.out, "{word} {} ", ack & SGQ_MASK);
}

/// The other channel's field: `(nak, ack)` words as tcpdump names them
/// for the message.
fn other_word(ctx: &mut Ctx<'_>, ack: u16, words: (&str, &str)) {
    let word = if ack & SGQ_ONAK == SGQ_ONAK {
        words.0
    } else {
        words.1
    };
    put!(ctx.out, "{word} {} ", ack & SGQ_MASK);
}

/// The sequence fields of a data or interrupt segment, then `seg N `;
/// false when the segment is too short.
fn segment(ctx: &mut Ctx<'_>, p: &[u8], nsplen: u32, words: (&str, &str)) -> Res<bool> {
    let mut off = 7;
    if nsplen < off {
        return Ok(false);
    }
    let mut ack = le(p, 5)?;
    if ack & SGQ_ACK != 0 {
        ack_word(ctx, ack);
        off += 2;
        if nsplen < off {
            return Ok(false);
        }
        ack = le(p, 7)?;
        if ack & SGQ_OACK != 0 {
            other_word(ctx, ack, words);
            off += 2;
            if nsplen < off {
                return Ok(false);
            }
            ack = le(p, 9)?;
        }
    }
    put!(ctx.out, "seg {} ", ack & SGQ_MASK);
    Ok(true)
}

/// The acknowledgement fields of an ack message.
fn acks(ctx: &mut Ctx<'_>, p: &[u8], words: (&str, &str)) -> Res {
    let ack = le(p, 5)?;
    if ack & SGQ_ACK != 0 {
        ack_word(ctx, ack);
        let ack = le(p, 7)?;
        if ack & SGQ_OACK != 0 {
            other_word(ctx, ack, words);
        }
    }
    Ok(())
}

/// Services and version of a connect message, then its segment size.
fn connect(ctx: &mut Ctx<'_>, services: u8, info: u8, segsize: u16) {
    match services & 0o14 {
        0o4 => ctx.s("seg "),
        0o10 => ctx.s("msg "),
        _ => {}
    }
    ctx.s(match info & 3 {
        0 => "ver 3.2 ",
        1 => "ver 3.1 ",
        2 => "ver 4.0 ",
        _ => "ver 4.1 ",
    });
    put!(ctx.out, "segsize {segsize} ");
}

fn reason(ctx: &mut Ctx<'_>, r: u16) {
    match tok(REASONS, r) {
        Some(t) => put!(ctx.out, "{t} "),
        None => put!(ctx.out, "reason-{r} "),
    }
}

/// The NSP message; false when it is too short.
fn print_nsp(ctx: &mut Ctx<'_>, p: &[u8], nsplen: u32) -> Res<bool> {
    if nsplen < 5 {
        put!(ctx.out, " (nsplen {nsplen} < 5)");
        return Ok(false);
    }
    let flags = p.u8_at(0)?;
    let dst = le(p, 1)?;
    let src = le(p, 3)?;
    let sub = flags & 0o160;
    match flags & 0o14 {
        0 => match sub {
            0 | 0o40 | 0o100 | 0o140 => {
                put!(ctx.out, "data {src}>{dst} ");
                return segment(ctx, p, nsplen, ("onak", "oack"));
            }
            0o60 => {
                ctx.s("intr ");
                return segment(ctx, p, nsplen, ("nakdat", "ackdat"));
            }
            0o20 => {
                put!(ctx.out, "link-service {src}>{dst} ");
                if nsplen < 13 {
                    return Ok(false);
                }
                let mut ack = le(p, 5)?;
                if ack & SGQ_ACK != 0 {
                    ack_word(ctx, ack);
                    ack = le(p, 7)?;
                    if ack & SGQ_OACK != 0 {
                        other_word(ctx, ack, ("nakdat", "ackdat"));
                        ack = le(p, 9)?;
                    }
                }
                put!(ctx.out, "seg {} ", ack & SGQ_MASK);
                let lsflags = p.u8_at(11)?;
                let fcval = p.u8_at(12)?;
                match lsflags & 0o14 {
                    0 => {
                        put!(ctx.out, "dat seg count {fcval} ");
                        match lsflags & 3 {
                            0 => {}
                            1 => ctx.s("donotsend-data "),
                            2 => ctx.s("send-data "),
                            _ => put!(ctx.out, "reserved-fcmod? {lsflags:x}"),
                        }
                    }
                    4 => put!(ctx.out, "intr req count {fcval} "),
                    _ => put!(ctx.out, "reserved-fcval-int? {lsflags:x}"),
                }
            }
            _ => put!(ctx.out, "reserved-subtype? {flags:x} {src} > {dst}"),
        },
        0o4 => match sub {
            0 | 0o20 => {
                let (name, words) = if sub == 0 {
                    ("data-ack", ("onak", "oack"))
                } else {
                    ("ils-ack", ("nakdat", "ackdat"))
                };
                put!(ctx.out, "{name} {src}>{dst} ");
                if nsplen < 9 {
                    return Ok(false);
                }
                p.sub(0, 9)?;
                acks(ctx, p, words)?;
            }
            0o40 => put!(ctx.out, "conn-ack {dst}"),
            _ => put!(ctx.out, "reserved-acktype? {flags:x} {src} > {dst}"),
        },
        0o10 => match sub {
            0o20 | 0o140 => {
                if sub == 0o20 {
                    ctx.s("conn-initiate ");
                } else {
                    ctx.s("retrans-conn-initiate ");
                }
                put!(ctx.out, "{src}>{dst} ");
                if nsplen < 9 {
                    return Ok(false);
                }
                connect(ctx, p.u8_at(5)?, p.u8_at(6)?, le(p, 7)?);
            }
            0o40 => {
                put!(ctx.out, "conn-confirm {src}>{dst} ");
                if nsplen < 10 {
                    return Ok(false);
                }
                let optlen = p.u8_at(9)?;
                connect(ctx, p.u8_at(5)?, p.u8_at(6)?, le(p, 7)?);
                if optlen != 0 {
                    put!(ctx.out, "optlen {optlen} ");
                }
            }
            0o60 => {
                put!(ctx.out, "disconn-initiate {src}>{dst} ");
                if nsplen < 8 {
                    return Ok(false);
                }
                let r = le(p, 5)?;
                let optlen = p.u8_at(7)?;
                reason(ctx, r);
                if optlen != 0 {
                    put!(ctx.out, "optlen {optlen} ");
                }
            }
            0o100 => {
                put!(ctx.out, "disconn-confirm {src}>{dst} ");
                let r = le(p, 5)?;
                reason(ctx, r);
            }
            _ => put!(ctx.out, "reserved-ctltype? {flags:x} {src} > {dst}"),
        },
        _ => put!(ctx.out, "reserved-type? {flags:x} {src} > {dst}"),
    }
    Ok(true)
}
