//! TCP (print-tcp.c): ports, flags, sequence numbers relative to the
//! first ones seen per conversation (unless -S), window, options, and
//! the application protocols tcpdump recognises by port.

use std::collections::HashMap;

use crate::ctx::{Bytes, Ctx, Res, cksum_shouldbe, in_cksum, put, tok};
use crate::ip::IpInfo;

/// The initial sequence numbers of each conversation, as tcpdump's
/// `tcp_seq_hash`: one entry for both directions, keyed in an arbitrary
/// but fixed order of the ends.
#[derive(Debug, Default)]
pub struct SeqState {
    convs: HashMap<ConvKey, (u32, u32)>,
    /// ISAKMP's IKEv1 initiator cookies (also kept across packets).
    pub(crate) isakmp: crate::app::isakmp::Cookies,
}

#[derive(Debug, Hash, PartialEq, Eq)]
struct ConvKey {
    v6: bool,
    src: [u8; 16],
    dst: [u8; 16],
    ports: u32,
}

const OPTION_NAMES: &[(u8, &str)] = &[
    (0, "eol"),
    (1, "nop"),
    (2, "mss"),
    (3, "wscale"),
    (4, "sackOK"),
    (5, "sack"),
    (6, "echo"),
    (7, "echoreply"),
    (8, "TS"),
    (11, "cc"),
    (12, "ccnew"),
    (13, ""),
    (19, "md5"),
    (20, "scps"),
    (28, "uto"),
    (29, "tcp-ao"),
    (30, "mptcp"),
    (34, "tfo"),
    (254, "exp"),
];

/// Sequence numbers to subtract: (threv, thseq, thack).
struct Rel {
    rev: bool,
    seq: u32,
    ack: u32,
}

/// `tcp_print`.
pub(crate) fn tcp_print(ctx: &mut Ctx<'_>, p: &[u8], length: u32, ip: IpInfo<'_>) -> Res {
    ctx.proto = "tcp";
    if !p.has(2, 2) {
        let (s, d) = (ip.src(ctx)?, ip.dst(ctx)?);
        put!(ctx.out, "{s} > {d}:");
        return ctx.trunc();
    }
    let sport = p.be16(0)?;
    let dport = p.be16(2)?;
    let (sp, dp) = (ctx.tcp_port(sport), ctx.tcp_port(dport));
    if ip.direct() {
        let (s, d) = (ip.src(ctx)?, ip.dst(ctx)?);
        put!(ctx.out, "{s}.{sp} > {d}.{dp}: ");
    } else {
        put!(ctx.out, "{sp} > {dp}: ");
    }
    if !p.has(0, 20) {
        return ctx.trunc();
    }
    let hlen = u32::from(p.u8_at(12)? >> 4) * 4;
    if hlen < 20 {
        put!(
            ctx.out,
            " tcp {} [bad hdr length {hlen} - too short, < 20]",
            length.wrapping_sub(hlen)
        );
        return Ok(());
    }
    let mut seq = p.be32(4)?;
    let mut ack = p.be32(8)?;
    let win = p.be16(14)?;
    let urp = p.be16(18)?;
    if ctx.o.quiet > 0 {
        put!(ctx.out, "tcp {}", length.wrapping_sub(hlen));
        if hlen > length {
            put!(ctx.out, " [bad hdr length {hlen} - too long, > {length}]");
        }
        return Ok(());
    }
    let flags = p.u8_at(13)?;
    put!(ctx.out, "Flags [{}]", flag_text(flags));
    let mut rel = Rel {
        rev: false,
        seq: 0,
        ack: 0,
    };
    if !ctx.o.absolute_seq && flags & 0x10 != 0 {
        let (src, dst) = if ip.version == 4 {
            let mut s = [0; 16];
            let mut d = [0; 16];
            s[..4].copy_from_slice(ip.hdr.sub(12, 4)?);
            d[..4].copy_from_slice(ip.hdr.sub(16, 4)?);
            (s, d)
        } else {
            let mut s = [0; 16];
            let mut d = [0; 16];
            s.copy_from_slice(ip.hdr.sub(8, 16)?);
            d.copy_from_slice(ip.hdr.sub(24, 16)?);
            (s, d)
        };
        let rev = sport > dport || (sport == dport && src > dst);
        let key = if rev {
            ConvKey {
                v6: ip.version == 6,
                src: dst,
                dst: src,
                ports: u32::from(dport) << 16 | u32::from(sport),
            }
        } else {
            ConvKey {
                v6: ip.version == 6,
                src,
                dst,
                ports: u32::from(sport) << 16 | u32::from(dport),
            }
        };
        let (th_seq, th_ack) = match ctx.tcp.convs.get(&key) {
            Some(&(s, a)) if flags & 0x02 == 0 => {
                if rev {
                    seq = seq.wrapping_sub(a);
                    ack = ack.wrapping_sub(s);
                } else {
                    seq = seq.wrapping_sub(s);
                    ack = ack.wrapping_sub(a);
                }
                (s, a)
            }
            _ => {
                let v = if rev {
                    (ack.wrapping_sub(1), seq)
                } else {
                    (seq, ack.wrapping_sub(1))
                };
                ctx.tcp.convs.insert(key, v);
                v
            }
        };
        rel = Rel {
            rev,
            seq: th_seq,
            ack: th_ack,
        };
    }
    if hlen > length {
        put!(ctx.out, " [bad hdr length {hlen} - too long, > {length}]");
        return Ok(());
    }
    if ctx.o.verbose > 0 && !ctx.o.no_checksums && !ip.fragmented && p.has(0, length as usize) {
        let seg = &p[..length as usize];
        let sum = in_cksum(&[&ip.pseudo(length), seg]);
        let tcp_sum = p.be16(16)?;
        put!(ctx.out, ", cksum 0x{tcp_sum:04x}");
        if sum != 0 {
            put!(
                ctx.out,
                " (incorrect -> 0x{:04x})",
                cksum_shouldbe(tcp_sum, sum)
            );
        } else {
            ctx.s(" (correct)");
        }
    }
    let length = length - hlen;
    if ctx.o.verbose > 1 || length > 0 || flags & 0x07 != 0 {
        put!(ctx.out, ", seq {seq}");
        if length > 0 {
            put!(ctx.out, ":{}", seq.wrapping_add(length));
        }
    }
    if flags & 0x10 != 0 {
        put!(ctx.out, ", ack {ack}");
    }
    put!(ctx.out, ", win {win}");
    if flags & 0x20 != 0 {
        put!(ctx.out, ", urg {urp}");
    }
    if hlen > 20 {
        ctx.s(", options [");
        let o = p.from(20);
        let o = &o[..o.len().min(hlen as usize - 20)];
        let whole = p.has(0, (hlen + length) as usize);
        if !options(ctx, o, hlen as usize - 20, flags, &rel, whole)? {
            return Ok(());
        }
        ctx.s("]");
    }
    put!(ctx.out, ", length {length}");
    if length == 0 {
        return Ok(());
    }
    let payload = p.from(hlen as usize);
    if flags & 0x04 != 0 && ctx.o.verbose > 0 {
        rst_data(ctx, payload, length);
        return Ok(());
    }
    if let Some(t) = ctx.o.packet_type {
        return crate::app::tcp_forced(ctx, t, payload, length);
    }
    crate::other::tcp_application(ctx, sport, dport, payload, length)
}

/// The flags as tcpdump's letters, `none` without any.
fn flag_text(flags: u8) -> String {
    const F: &[(u8, char)] = &[
        (0x01, 'F'),
        (0x02, 'S'),
        (0x04, 'R'),
        (0x08, 'P'),
        (0x10, '.'),
        (0x20, 'U'),
        (0x40, 'E'),
        (0x80, 'W'),
    ];
    let s: String = F
        .iter()
        .filter(|(b, _)| flags & b != 0)
        .map(|(_, c)| *c)
        .collect();
    if s.is_empty() { "none".to_string() } else { s }
}

/// The options; false after `[bad opt]` (the line ends there).
/// `whole`: the segment's payload was captured (else tcpdump cannot check
/// an MD5 signature for want of snaplen).
fn options(
    ctx: &mut Ctx<'_>,
    o: &[u8],
    mut hlen: usize,
    flags: u8,
    rel: &Rel,
    whole: bool,
) -> Res<bool> {
    let mut at = 0usize;
    let mut first = true;
    let bad = |ctx: &mut Ctx<'_>, first: bool| {
        ctx.s("[bad opt]");
        if !first {
            ctx.s("]");
        }
        Ok(false)
    };
    while hlen > 0 {
        if !first {
            ctx.s(",");
        }
        let opt = o.u8_at(at)?;
        at += 1;
        let len = if opt <= 1 {
            1
        } else {
            let l = usize::from(o.u8_at(at)?);
            at += 1;
            if l < 2 || l > hlen {
                return bad(ctx, first);
            }
            hlen -= 1;
            l
        };
        hlen -= 1;
        match tok(OPTION_NAMES, opt) {
            Some(n) => ctx.s(n),
            None => put!(ctx.out, "unknown-{opt}"),
        }
        let cp = o.from(at);
        let mut datalen = 0usize;
        // tcpdump's LENCHECK: past the option is bad, past the capture
        // ends the packet with ` [|tcp]` (and `>`, an old typo, after the
        // first option).
        macro_rules! lencheck {
            ($l:expr) => {
                if $l > hlen {
                    return bad(ctx, first);
                }
                if cp.sub(0, $l).is_err() {
                    ctx.s(" [|tcp]");
                    if !first {
                        ctx.s(">");
                    }
                    return Ok(false);
                }
            };
        }
        match opt {
            2 => {
                datalen = 2;
                lencheck!(datalen);
                put!(ctx.out, " {}", cp.be16(0)?);
            }
            3 => {
                datalen = 1;
                lencheck!(datalen);
                put!(ctx.out, " {}", cp.u8_at(0)?);
            }
            5 => {
                datalen = len - 2;
                if !datalen.is_multiple_of(8) {
                    ctx.s(" invalid sack");
                } else {
                    put!(ctx.out, " {} ", datalen / 8);
                    let mut i = 0;
                    while i < datalen {
                        lencheck!(i + 4);
                        let mut s = cp.be32(i)?;
                        lencheck!(i + 8);
                        let mut e = cp.be32(i + 4)?;
                        let base = if rel.rev { rel.seq } else { rel.ack };
                        s = s.wrapping_sub(base);
                        e = e.wrapping_sub(base);
                        put!(ctx.out, "{{{s}:{e}}}");
                        i += 8;
                    }
                }
            }
            6 | 7 | 11 | 12 | 13 => {
                datalen = 4;
                lencheck!(datalen);
                put!(ctx.out, " {}", cp.be32(0)?);
            }
            8 => {
                datalen = 8;
                lencheck!(datalen);
                put!(ctx.out, " val {} ecr {}", cp.be32(0)?, cp.be32(4)?);
            }
            19 => {
                datalen = 16;
                lencheck!(datalen);
                // tcpdump built with libcrypto: bpfcap takes no -M secret,
                // so the signature is never checked.
                ctx.s(if whole {
                    " shared secret not supplied with -M, can't check - "
                } else {
                    " snaplen too short, can't check - "
                });
                for b in &cp[..16] {
                    put!(ctx.out, "{b:02x}");
                }
            }
            20 => {
                datalen = 2;
                lencheck!(datalen);
                put!(ctx.out, " cap {:02x} id {}", cp[0], cp[1]);
            }
            29 => {
                datalen = len - 2;
                if datalen < 2 {
                    ctx.s(" invalid");
                } else {
                    lencheck!(1);
                    put!(ctx.out, " keyid {}", cp[0]);
                    lencheck!(2);
                    put!(ctx.out, " rnextkeyid {}", cp[1]);
                    if datalen > 2 {
                        ctx.s(" mac 0x");
                        for i in 2..datalen {
                            lencheck!(i + 1);
                            put!(ctx.out, "{:02x}", cp[i]);
                        }
                    }
                }
            }
            0 | 1 | 4 => {}
            28 => {
                datalen = 2;
                lencheck!(datalen);
                let v = cp.be16(0)?;
                put!(ctx.out, " 0x{v:x}");
                let secs = if v & 1 != 0 {
                    u32::from(v >> 1) * 60
                } else {
                    u32::from(v >> 1)
                };
                put!(ctx.out, " {secs}");
            }
            30 => {
                datalen = len - 2;
                lencheck!(datalen);
                if !crate::other::mptcp_print(ctx, &o[at - 2..at + datalen], flags)? {
                    return bad(ctx, first);
                }
            }
            34 => {
                datalen = len - 2;
                lencheck!(datalen);
                ctx.s(" ");
                fastopen(ctx, &cp[..datalen], false);
            }
            254 => {
                datalen = len - 2;
                lencheck!(datalen);
                if datalen < 2 {
                    return bad(ctx, first);
                }
                let magic = cp.be16(0)?;
                ctx.s("-");
                if magic == 0xf989 {
                    fastopen(ctx, &cp[2..datalen], true);
                } else {
                    put!(ctx.out, "{magic:04x}");
                }
            }
            _ => {
                datalen = len - 2;
                if datalen > 0 {
                    ctx.s(" 0x");
                }
                for i in 0..datalen {
                    lencheck!(i + 1);
                    put!(ctx.out, "{:02x}", cp[i]);
                }
            }
        }
        at += datalen;
        hlen -= datalen;
        let mut seen = datalen + 1;
        if opt > 1 {
            seen += 1;
        }
        if seen != len {
            put!(ctx.out, "[len {len}]");
        }
        first = false;
        if opt == 0 {
            break;
        }
    }
    Ok(true)
}

/// TCP Fast Open cookies.
fn fastopen(ctx: &mut Ctx<'_>, cp: &[u8], exp: bool) {
    if exp {
        ctx.s("tfo");
    }
    if cp.is_empty() {
        ctx.s(" cookiereq");
    } else if !cp.len().is_multiple_of(2) || cp.len() < 4 || cp.len() > 16 {
        ctx.s(" invalid");
    } else {
        ctx.s(" cookie ");
        for b in cp {
            put!(ctx.out, "{b:02x}");
        }
    }
}

/// Data in a reset segment, with -v.
fn rst_data(ctx: &mut Ctx<'_>, sp: &[u8], length: u32) {
    if sp.len() >= length as usize {
        ctx.s(" [RST");
    } else {
        ctx.s(" [!RST");
    }
    let mut n = length as usize;
    if n > 30 {
        n = 30;
        ctx.s("+");
    }
    ctx.s(" ");
    for &c in sp.iter().take(n) {
        crate::other::safeputchar(ctx, c);
    }
    ctx.s("]");
}
