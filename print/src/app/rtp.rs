//! RTP and RTCP (print-udp.c's `rtp_print` and `rtcp_print`), printed
//! only with `-T rtp` / `-T rtcp`: tcpdump has no port for them; and the
//! older vat/vt audio (`vat_print`), to UDP port 3456 or with `-T vat`.

use super::{Bytes, Ctx, Res, put};

/// `vat_print`: `udp/vt LEN SEQ / TS` or `udp/vat LEN cCONF TS[*]` with
/// the audio format and its sampling.
pub(crate) fn vat(out: &mut String, b: Bytes, length: u32) -> Res {
    if length < 2 {
        put!(out, "udp/va/vat, length {length} < 2");
        return Ok(());
    }
    let ts = b.be16(0)?;
    if ts & 0xf060 != 0 {
        put!(out, "udp/vt {length} {} / {}", ts & 0x3ff, ts >> 10);
        return Ok(());
    }
    if length < 8 {
        put!(out, "udp/vat, length {length} < 8");
        return Ok(());
    }
    let (i0, i1) = (b.be32(0)?, b.be32(4)?);
    let mark = if i0 & 0x80_0000 != 0 { "*" } else { "" };
    put!(out, "udp/vat {} c{} {i1}{mark}", length - 8, i0 & 0xffff);
    if i0 & 0x1f_0000 != 0 {
        put!(out, " f{}", (i0 >> 16) & 0x1f);
    }
    if i0 & 0x3f00_0000 != 0 {
        put!(out, " s{}", (i0 >> 24) & 0x3f);
    }
    Ok(())
}

/// `rtp_print`: `udp/rtp LEN cTYPE [+][*] SEQ TIME` (`udp/rtpv1` for
/// version 1), with `-v` the source id and the checks of the header
/// options (v1) or extension (v2).
pub(crate) fn rtp(out: &mut String, cx: &Ctx, b: Bytes, length: u32) -> Res {
    if length < 8 {
        put!(out, "udp/rtp, length {length} < 8");
        return Ok(());
    }
    let i0 = b.be32(0)?;
    let i1 = b.be32(4)?;
    let mut dlen = length - 8;
    // Where the options or the extension start, and the words left, in
    // 32-bit words.
    let mut word = 2usize;
    let mut words = (length >> 2) - 2;
    let (ptype, hasopt, hasext, contype, marker) = if i0 >> 30 == 1 {
        (
            "rtpv1",
            i0 & 0x80_0000 != 0,
            false,
            (i0 >> 16) & 0x3f,
            i0 & 0x40_0000 != 0,
        )
    } else {
        if length < 12 {
            put!(out, "udp/rtp, length {length} < 12");
            return Ok(());
        }
        dlen -= 4;
        word += 1;
        words -= 1;
        (
            "rtp",
            false,
            i0 & 0x1000_0000 != 0,
            (i0 >> 16) & 0x7f,
            i0 & 0x80_0000 != 0,
        )
    };
    put!(
        out,
        "udp/{ptype} {dlen} c{contype} {}{} {} {i1}",
        if hasopt || hasext { "+" } else { "" },
        if marker { "*" } else { "" },
        i0 & 0xffff
    );
    if cx.verbose == 0 {
        return Ok(());
    }
    put!(out, " {}", b.be32(8)?);
    if hasopt {
        loop {
            let i2 = b.be32(word * 4)?;
            let optlen = (i2 >> 16) & 0xff;
            if optlen == 0 || optlen > words {
                out.push_str(" !opt");
                return Ok(());
            }
            word += optlen as usize;
            words -= optlen;
            if i2 & 0x8000_0000 != 0 {
                break;
            }
        }
    }
    if hasext {
        let extlen = (b.be32(word * 4)? & 0xffff) + 1;
        if extlen > words {
            out.push_str(" !ext");
            return Ok(());
        }
        word += extlen as usize;
    }
    if contype == 0x1f {
        put!(out, " 0x{:04x}", b.be32(word * 4)? >> 16);
    }
    Ok(())
}

const SR: u32 = 200;
const RR: u32 = 201;
const SDES: u32 = 202;
const BYE: u32 = 203;
/// A receiver report block's size.
const RR_LEN: usize = 24;

/// The RTCP packets of a UDP payload, one after another (`rtcp_print`
/// for each): ` sr`, ` rr`, ` sdes LEN`, ` bye LEN` or ` type-0xT LEN`,
/// then the report blocks.
pub(crate) fn rtcp(out: &mut String, cx: &Ctx, b: Bytes) -> Res {
    let mut at = 0usize;
    while at < b.len() {
        match rtcp_one(out, cx, b, at)? {
            Some(next) => at = next,
            None => {
                out.push_str(" [|rtcp]");
                return Ok(());
            }
        }
    }
    Ok(())
}

/// One RTCP packet at `at`: where the next one starts, or None when the
/// payload ended inside this one.
fn rtcp_one(out: &mut String, cx: &Ctx, b: Bytes, at: usize) -> Res<Option<usize>> {
    if !b.has(at, 8) {
        return Ok(None);
    }
    let flags = u32::from(b.be16(at)?);
    let len = (usize::from(b.be16(at + 2)?) + 1) * 4;
    let ssrc = b.be32(at + 4)?;
    let mut cnt = ((flags >> 8) & 0x1f) as usize;
    let mut rr = at + 8;
    let ssrc_v = |out: &mut String| {
        if cx.verbose > 0 {
            put!(out, " {ssrc}");
        }
    };
    match flags & 0xff {
        SR => {
            out.push_str(" sr");
            if len != cnt * RR_LEN + 28 {
                put!(out, " [{len}]");
            }
            ssrc_v(out);
            if !b.has(rr, 20) {
                return Ok(None);
            }
            // NTP time stamp, media time stamp, packets and bytes sent.
            let ts = f64::from(b.be32(rr)?) + f64::from(b.be32(rr + 4)?) / 4294967296.0;
            let [media, packets, bytes] = [8, 12, 16].map(|o| b.be32(rr + o));
            put!(out, " @{ts:.2} {} {}p {}b", media?, packets?, bytes?);
            rr += 20;
        }
        RR => {
            out.push_str(" rr");
            if len != cnt * RR_LEN + 8 {
                put!(out, " [{len}]");
            }
            ssrc_v(out);
        }
        t => {
            match t {
                SDES => put!(out, " sdes {len}"),
                BYE => put!(out, " bye {len}"),
                _ => put!(out, " type-0x{t:x} {len}"),
            }
            if t == SDES || t == BYE {
                ssrc_v(out);
            }
            cnt = 0;
        }
    }
    if cnt > 1 {
        put!(out, " c{cnt}");
    }
    for _ in 0..cnt {
        if !b.has(rr, RR_LEN) {
            return Ok(None);
        }
        if cx.verbose > 0 {
            put!(out, " {}", b.be32(rr)?);
        }
        let lsr = f64::from(b.be32(rr + 16)?) / 65536.0;
        let dlsr = f64::from(b.be32(rr + 20)?) / 65536.0;
        put!(
            out,
            " {}l {}s {}j @{lsr:.2}+{dlsr:.2}",
            b.be32(rr + 4)? & 0xff_ffff,
            b.be32(rr + 8)?,
            b.be32(rr + 12)?
        );
        // tcpdump reads the first block again for each (it never moves
        // its pointer on).
    }
    Ok(Some(at + len))
}
