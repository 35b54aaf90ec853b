//! The Babel routing protocol, version 2 (tcpdump's `babel_print`):
//! TLV names on one line, their fields on `-v`.

use crate::ctx::Ip6;
use std::net::Ipv4Addr;

use super::{Bytes, Ctx, Res, Trunc, put};

const V4_PREFIX: [u8; 16] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 0, 0];

const UPDATE: u8 = 8;
const HELLO: u8 = 4;
const IHU: u8 = 5;
const UPDATE_SRC_SPECIFIC: u8 = 13;

/// Why the TLVs stopped: tcpdump's `trunc` (-1) and `invalid` (-2).
enum Stop {
    Trunc,
    Invalid,
}

impl From<Trunc> for Stop {
    fn from(_: Trunc) -> Self {
        Stop::Trunc
    }
}

fn id(out: &mut String, b: Bytes, at: usize) -> Res {
    let bytes = b.get(at, 8)?;
    let hex: Vec<String> = bytes.iter().map(|x| format!("{x:02x}")).collect();
    out.push_str(&hex.join(":"));
    Ok(())
}

fn prefix_text(prefix: &[u8; 16], plen: u8) -> String {
    if plen >= 96 && prefix[..12] == V4_PREFIX[..12] {
        let a = Ipv4Addr::new(prefix[12], prefix[13], prefix[14], prefix[15]);
        format!("{a}/{}", plen - 96)
    } else {
        format!("{}/{plen}", Ip6(*prefix))
    }
}

fn address_text(a: &[u8; 16]) -> String {
    if a[..12] == V4_PREFIX[..12] {
        Ipv4Addr::new(a[12], a[13], a[14], a[15]).to_string()
    } else {
        Ip6(*a).to_string()
    }
}

fn interval(i: u16) -> String {
    if i == 0 {
        "0.0s (bogus)".to_string()
    } else {
        format!("{}.{:02}s", i / 100, i % 100)
    }
}

fn interval_update(i: u16) -> String {
    if i == 0xffff {
        "infinity".to_string()
    } else {
        interval(i)
    }
}

fn timestamp(i: u32) -> String {
    format!("{}.{:06}s", i / 1_000_000, i % 1_000_000)
}

/// `network_prefix`: the prefix of address encoding `ae` and `plen`
/// bits (negative: a whole address) at `p`, with `omitted` bytes taken
/// from `dp`, and the bytes read; `None` for an encoding error.
fn network_prefix(
    b: Bytes,
    ae: u8,
    plen: i32,
    omitted: usize,
    p: usize,
    dp: Option<&[u8; 16]>,
    len: usize,
) -> Res<Option<([u8; 16], usize)>> {
    let pb: usize = if plen >= 0 {
        (plen as usize).div_ceil(8)
    } else if ae == 1 {
        4
    } else {
        16
    };
    if pb > 16 {
        return Ok(None);
    }
    let mut prefix = [0u8; 16];
    let mut consumed = 0;
    match ae {
        0 => {}
        1 => {
            if omitted > 4 || pb > 4 || (pb > omitted && len < pb - omitted) {
                return Ok(None);
            }
            prefix[..12].copy_from_slice(&V4_PREFIX[..12]);
            if omitted > 0 {
                let Some(dp) = dp else { return Ok(None) };
                prefix[..12 + omitted].copy_from_slice(&dp[..12 + omitted]);
            }
            if pb > omitted {
                prefix[12 + omitted..12 + pb].copy_from_slice(b.get(p, pb - omitted)?);
                consumed = pb - omitted;
            }
        }
        2 => {
            if omitted > 16 || (pb > omitted && len < pb - omitted) {
                return Ok(None);
            }
            if omitted > 0 {
                let Some(dp) = dp else { return Ok(None) };
                prefix[..omitted].copy_from_slice(&dp[..omitted]);
            }
            if pb > omitted {
                prefix[omitted..pb].copy_from_slice(b.get(p, pb - omitted)?);
                consumed = pb - omitted;
            }
        }
        3 => {
            if pb > 8 && len < pb - 8 {
                return Ok(None);
            }
            prefix[0] = 0xfe;
            prefix[1] = 0x80;
            if pb > 8 {
                prefix[8..pb].copy_from_slice(b.get(p, pb - 8)?);
                consumed = pb - 8;
            }
        }
        _ => return Ok(None),
    }
    Ok(Some((prefix, consumed)))
}

/// Sub-TLVs in `cp..ep` of a TLV of type `tlv`.
fn subtlvs(out: &mut String, b: Bytes, mut cp: usize, ep: usize, tlv: u8) -> Res {
    let invalid = |out: &mut String| out.push_str(" (invalid)");
    while cp < ep {
        let sub = b.u8(cp)?;
        cp += 1;
        if sub == 0 {
            out.push_str(" sub-pad1");
            continue;
        }
        if sub & 0x80 != 0 {
            out.push_str(" (M)");
        }
        if cp == ep {
            invalid(out);
            return Ok(());
        }
        let sublen = usize::from(b.u8(cp)?);
        cp += 1;
        if cp + sublen > ep {
            invalid(out);
            return Ok(());
        }
        match sub {
            1 => {
                out.push_str(" sub-padn");
                cp += sublen;
            }
            2 => {
                out.push_str(" sub-diversity");
                if sublen == 0 {
                    out.push_str(" empty");
                    continue;
                }
                let mut sep = " ";
                for _ in 0..sublen {
                    match b.u8(cp)? {
                        0 => put!(out, "{sep}reserved"),
                        255 => put!(out, "{sep}all"),
                        c => put!(out, "{sep}{c}"),
                    }
                    cp += 1;
                    sep = "-";
                }
                if tlv != UPDATE && tlv != UPDATE_SRC_SPECIFIC {
                    out.push_str(" (bogus)");
                }
            }
            3 => {
                out.push_str(" sub-timestamp");
                if tlv == HELLO {
                    if sublen < 4 {
                        invalid(out);
                        return Ok(());
                    }
                    put!(out, " {}", timestamp(b.be32(cp)?));
                } else if tlv == IHU {
                    if sublen < 8 {
                        invalid(out);
                        return Ok(());
                    }
                    put!(out, " {}", timestamp(b.be32(cp)?));
                    put!(out, "|{}", timestamp(b.be32(cp + 4)?));
                } else {
                    out.push_str(" (bogus)");
                }
                cp += sublen;
            }
            _ => {
                put!(out, " sub-unknown-0x{sub:02x}");
                cp += sublen;
            }
        }
    }
    Ok(())
}

/// The flags of an Update: `/prefix`, `/id`, `/unknown`.
fn update_flags(out: &mut String, f: u8) {
    if f & 0x80 != 0 {
        out.push_str("/prefix");
    }
    if f & 0x40 != 0 {
        out.push_str("/id");
    }
    if f & 0x3f != 0 {
        out.push_str("/unknown");
    }
}

/// The destination and source prefixes of a source-specific TLV at
/// `at` (`left` bytes of the TLV remain) and the bytes they took; `None`
/// when invalid.
fn two_prefixes(
    b: Bytes,
    ae: u8,
    (plen, src_plen): (u8, u8),
    omitted: usize,
    at: usize,
    left: usize,
    dp: &[u8; 16],
) -> Res<Option<(String, String, usize)>> {
    let Some((prefix, rc)) = network_prefix(b, ae, i32::from(plen), omitted, at, Some(dp), left)?
    else {
        return Ok(None);
    };
    let Some((src, rc2)) = network_prefix(
        b,
        ae,
        i32::from(src_plen),
        0,
        at + rc,
        None,
        left.saturating_sub(rc),
    )?
    else {
        return Ok(None);
    };
    let bump = if ae == 1 { 96 } else { 0 };
    Ok(Some((
        prefix_text(&prefix, plen.wrapping_add(bump)),
        prefix_text(&src, src_plen.wrapping_add(bump)),
        rc + rc2,
    )))
}

/// `babel_print_v2_tlvs`.
fn tlvs(
    out: &mut String,
    cx: &Ctx,
    b: Bytes,
    cp: usize,
    tlvs_len: usize,
    remaining: usize,
) -> Result<(), Stop> {
    let v = cx.verbose > 0;
    let mut v4_prefix = V4_PREFIX;
    let mut v6_prefix = [0u8; 16];
    let mut i = 0;
    let check = |i: usize, l: usize| {
        if i + l > tlvs_len || i + l > remaining {
            Err(Stop::Invalid)
        } else {
            Ok(())
        }
    };
    while i < tlvs_len {
        let m = cp + i;
        check(i, 1)?;
        let typ = b.u8(m)?;
        if typ == 0 {
            out.push_str(if v { "\n\tPad 1" } else { " pad1" });
            i += 1;
            continue;
        }
        check(i, 2)?;
        if !b.has(m, 2) {
            return Err(Stop::Trunc);
        }
        let len = usize::from(b.u8(m + 1)?);
        check(i, 2 + len)?;
        if !b.has(m, 2 + len) {
            return Err(Stop::Trunc);
        }
        let short = |need: usize| {
            if len < need {
                Err(Stop::Invalid)
            } else {
                Ok(())
            }
        };
        match typ {
            1 => {
                if v {
                    put!(out, "\n\tPad {}", len + 2);
                } else {
                    out.push_str(" padN");
                }
            }
            2 if !v => out.push_str(" ack-req"),
            2 => {
                out.push_str("\n\tAcknowledgment Request ");
                short(6)?;
                put!(out, "{:04x} {}", b.be16(m + 4)?, interval(b.be16(m + 6)?));
            }
            3 if !v => out.push_str(" ack"),
            3 => {
                out.push_str("\n\tAcknowledgment ");
                short(2)?;
                put!(out, "{:04x}", b.be16(m + 2)?);
            }
            HELLO if !v => out.push_str(" hello"),
            HELLO => {
                out.push_str("\n\tHello ");
                short(6)?;
                let unicast = b.be16(m + 2)? & 0x8000 != 0;
                let seqno = b.be16(m + 4)?;
                let iv = b.be16(m + 6)?;
                if unicast {
                    out.push_str("(Unicast) ");
                }
                put!(out, "seqno {seqno} ");
                if iv != 0 {
                    put!(out, "interval {}", interval(iv));
                } else {
                    out.push_str("unscheduled");
                }
                if len > 6 {
                    subtlvs(out, b, m + 8, m + 2 + len, typ)?;
                }
            }
            IHU if !v => out.push_str(" ihu"),
            IHU => {
                out.push_str("\n\tIHU ");
                short(6)?;
                let rxcost = b.be16(m + 4)?;
                let iv = b.be16(m + 6)?;
                let ae = b.u8(m + 2)?;
                match network_prefix(b, ae, -1, 0, m + 8, None, len - 6)? {
                    None => out.push_str(" [|babel]"),
                    Some((a, rc)) => {
                        let who = if ae == 0 {
                            "any".to_string()
                        } else {
                            address_text(&a)
                        };
                        put!(out, "{who} rxcost {rxcost} interval {}", interval(iv));
                        if rc < len - 6 {
                            subtlvs(out, b, m + 8 + rc, m + 2 + len, typ)?;
                        }
                    }
                }
            }
            6 if !v => out.push_str(" router-id"),
            6 => {
                out.push_str("\n\tRouter Id");
                short(10)?;
                out.push(' ');
                id(out, b, m + 4)?;
            }
            7 if !v => out.push_str(" nh"),
            7 => {
                out.push_str("\n\tNext Hop");
                short(2)?;
                let ae = b.u8(m + 2)?;
                let Some((a, _)) = network_prefix(b, ae, -1, 0, m + 4, None, len - 2)? else {
                    return Err(Stop::Invalid);
                };
                if ae == 0 {
                    out.push_str(" invalid AE 0");
                } else {
                    put!(out, " {}", address_text(&a));
                }
            }
            UPDATE if !v => {
                out.push_str(" update");
                short(10)?;
                update_flags(out, b.u8(m + 3)?);
            }
            UPDATE => {
                out.push_str("\n\tUpdate");
                short(10)?;
                let ae = b.u8(m + 2)?;
                let flags = b.u8(m + 3)?;
                let raw_plen = b.u8(m + 4)?;
                let plen = raw_plen.wrapping_add(if ae == 1 { 96 } else { 0 });
                let dp = if ae == 1 { v4_prefix } else { v6_prefix };
                let omitted = usize::from(b.u8(m + 5)?);
                let Some((prefix, rc)) = network_prefix(
                    b,
                    ae,
                    i32::from(raw_plen),
                    omitted,
                    m + 12,
                    Some(&dp),
                    len - 10,
                )?
                else {
                    return Err(Stop::Invalid);
                };
                let iv = b.be16(m + 6)?;
                let seqno = b.be16(m + 8)?;
                let metric = b.be16(m + 10)?;
                update_flags(out, flags);
                let what = if ae == 0 {
                    "any".to_string()
                } else {
                    prefix_text(&prefix, plen)
                };
                put!(
                    out,
                    " {what} metric {metric} seqno {seqno} interval {}",
                    interval_update(iv)
                );
                if flags & 0x80 != 0 {
                    if ae == 1 {
                        v4_prefix = prefix;
                    } else {
                        v6_prefix = prefix;
                    }
                }
                if rc < len - 10 {
                    subtlvs(out, b, m + 12 + rc, m + 2 + len, typ)?;
                }
            }
            9 if !v => out.push_str(" route-request"),
            9 => {
                out.push_str("\n\tRoute Request ");
                short(2)?;
                let ae = b.u8(m + 2)?;
                let raw = b.u8(m + 3)?;
                let plen = raw.wrapping_add(if ae == 1 { 96 } else { 0 });
                let Some((prefix, _)) =
                    network_prefix(b, ae, i32::from(raw), 0, m + 4, None, len - 2)?
                else {
                    return Err(Stop::Invalid);
                };
                let what = if ae == 0 {
                    "any".to_string()
                } else {
                    prefix_text(&prefix, plen)
                };
                put!(out, "for {what}");
            }
            10 if !v => out.push_str(" seqno-request"),
            10 => {
                out.push_str("\n\tSeqno Request ");
                short(14)?;
                let ae = b.u8(m + 2)?;
                let seqno = b.be16(m + 4)?;
                let raw = b.u8(m + 3)?;
                let Some((prefix, _)) =
                    network_prefix(b, ae, i32::from(raw), 0, m + 16, None, len - 14)?
                else {
                    return Err(Stop::Invalid);
                };
                let plen = raw.wrapping_add(if ae == 1 { 96 } else { 0 });
                let what = if ae == 0 {
                    "invalid AE 0".to_string()
                } else {
                    prefix_text(&prefix, plen)
                };
                put!(out, "({} hops) for {what} seqno {seqno} id ", b.u8(m + 6)?);
                id(out, b, m + 8)?;
            }
            11 if !v => out.push_str(" tspc"),
            11 => {
                out.push_str("\n\tTS/PC ");
                short(6)?;
                put!(
                    out,
                    "timestamp {} packetcounter {}",
                    b.be32(m + 4)?,
                    b.be16(m + 2)?
                );
            }
            12 if !v => out.push_str(" hmac"),
            12 => {
                out.push_str("\n\tHMAC ");
                short(18)?;
                put!(out, "key-id {} digest-{} ", b.be16(m + 2)?, len - 2);
                for x in b.get(m + 4, len - 2)? {
                    put!(out, "{x:02X}");
                }
            }
            UPDATE_SRC_SPECIFIC if !v => out.push_str(" ss-update"),
            UPDATE_SRC_SPECIFIC => {
                out.push_str("\n\tSS-Update");
                short(10)?;
                let ae = b.u8(m + 2)?;
                let src_plen = b.u8(m + 3)?;
                let plen = b.u8(m + 4)?;
                let omitted = usize::from(b.u8(m + 5)?);
                let iv = b.be16(m + 6)?;
                let seqno = b.be16(m + 8)?;
                let metric = b.be16(m + 10)?;
                let dp = if ae == 1 { v4_prefix } else { v6_prefix };
                let Some((p, s, parsed)) =
                    two_prefixes(b, ae, (plen, src_plen), omitted, m + 12, len - 10, &dp)?
                else {
                    return Err(Stop::Invalid);
                };
                put!(
                    out,
                    " {p} from {s} metric {metric} seqno {seqno} interval {}",
                    interval_update(iv)
                );
                let parsed = 10 + parsed;
                if parsed < len {
                    subtlvs(out, b, m + 2 + parsed, m + 2 + len, typ)?;
                }
            }
            14 if !v => out.push_str(" ss-request"),
            14 => {
                out.push_str("\n\tSS-Request ");
                short(3)?;
                let ae = b.u8(m + 2)?;
                let plen = b.u8(m + 3)?;
                let src_plen = b.u8(m + 4)?;
                let Some((p, s, _)) =
                    two_prefixes(b, ae, (plen, src_plen), 0, m + 5, len - 3, &[0; 16])?
                else {
                    return Err(Stop::Invalid);
                };
                if ae == 0 {
                    out.push_str("for any");
                } else {
                    put!(out, "for ({p}, {s})");
                }
            }
            15 if !v => out.push_str(" ss-mh-request"),
            15 => {
                out.push_str("\n\tSS-MH-Request ");
                short(14)?;
                let ae = b.u8(m + 2)?;
                let plen = b.u8(m + 3)?;
                let seqno = b.be16(m + 4)?;
                let hopc = b.u8(m + 6)?;
                let src_plen = b.u8(m + 7)?;
                let Some((p, s, _)) =
                    two_prefixes(b, ae, (plen, src_plen), 0, m + 16, len - 14, &[0; 16])?
                else {
                    return Err(Stop::Invalid);
                };
                put!(out, "({hopc} hops) for ({p}, {s}) seqno {seqno} id ");
                id(out, b, m + 8)?;
            }
            16 if !v => out.push_str(" mac"),
            16 => put!(out, "\n\tMAC len {len}"),
            17 if !v => out.push_str(" pc"),
            17 => {
                out.push_str("\n\tPC");
                short(4)?;
                put!(out, " value {} index len {}", b.be32(m + 2)?, len - 4);
            }
            18 | 19 if !v => out.push_str(if typ == 18 {
                " challenge_request"
            } else {
                " challenge_reply"
            }),
            18 | 19 => {
                out.push_str(if typ == 18 {
                    "\n\tChallenge Request"
                } else {
                    "\n\tChallenge Reply"
                });
                if len > 192 {
                    return Err(Stop::Invalid);
                }
                put!(out, " len {len}");
            }
            _ if !v => out.push_str(" unknown"),
            _ => put!(out, "\n\tUnknown message type {typ}"),
        }
        i += len + 2;
    }
    Ok(())
}

/// `babel 2 (24) hello ihu`.
pub(crate) fn print(out: &mut String, cx: &Ctx, b: Bytes, length: u32) -> Res {
    out.push_str("babel");
    b.get(0, 4)?;
    if b.u8(0)? != 42 {
        out.push_str(" invalid header");
        return Ok(());
    }
    let version = b.u8(1)?;
    put!(out, " {version}");
    if version != 2 {
        out.push_str(" unknown version");
        return Ok(());
    }
    let mut length = length as usize;
    if length < 4 {
        out.push_str(" (invalid)");
        return Ok(());
    }
    let bodylen = usize::from(b.be16(2)?);
    put!(out, " ({bodylen})");
    length -= 4;
    let stopped = |out: &mut String, stop: Stop| match stop {
        Stop::Trunc => out.push_str(" [|babel]"),
        Stop::Invalid => out.push_str(" (invalid)"),
    };
    if length < bodylen {
        out.push_str(" (invalid)");
        return Ok(());
    }
    if let Err(stop) = tlvs(out, cx, b, 4, bodylen, length) {
        stopped(out, stop);
        return Ok(());
    }
    length -= bodylen;
    if length != 0 {
        out.push_str(if cx.verbose > 0 { "\n\t----" } else { " |" });
        if let Err(stop) = tlvs(out, cx, b, 4 + bodylen, length, length) {
            stopped(out, stop);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{app, app_len, hex};

    /// A Hello and an IHU (tcpdump's text).
    const HELLO_IHU: &str =
        "2a020020 0406000000640190 0516 0200 0060 04b0 fe800000000000000000000000000002";

    #[test]
    fn hello_ihu() {
        let p = hex(HELLO_IHU);
        assert_eq!(app(0, 6696, 6696, &p), "babel 2 (32) hello ihu");
        assert_eq!(
            app(1, 6696, 6696, &p),
            "babel 2 (32)\n\tHello seqno 100 interval 4.00s\n\tIHU fe80::2 rxcost 96 interval 12.00s"
        );
        assert_eq!(app_len(0, 6696, 6696, &p[..3], 28), "babel [|babel]");
    }
}
