//! IEEE 802.11 (print-802_11.c) without and with a radiotap header:
//! the radiotap fields tcpdump knows, management frames (SSID, rates,
//! channel, status and reason texts), control frames, and data frames
//! down through LLC.

use crate::ctx::{Bytes, Ctx, Mac, Res, put};

const MGMT: &[(u16, &str)] = &[
    (0, "Assoc Request"),
    (1, "Assoc Response"),
    (2, "ReAssoc Request"),
    (3, "ReAssoc Response"),
    (4, "Probe Request"),
    (5, "Probe Response"),
    (8, "Beacon"),
    (9, "ATIM"),
    (10, "Disassociation"),
    (11, "Authentication"),
    (12, "DeAuthentication"),
    (13, "Action"),
];

const CTRL: &[(u16, &str)] = &[
    (7, "Control Wrapper"),
    (8, "BAR"),
    (9, "BA"),
    (10, "Power Save-Poll"),
    (11, "Request-To-Send"),
    (12, "Clear-To-Send"),
    (13, "Acknowledgment"),
    (14, "CF-End"),
    (15, "CF-End+CF-Ack"),
];

const STATUS: &[&str] = &[
    "Successful",
    "Unspecified failure",
    "Reserved",
    "Reserved",
    "Reserved",
    "Reserved",
    "Reserved",
    "Reserved",
    "Reserved",
    "Reserved",
    "Cannot Support all requested capabilities in the Capability Information field",
    "Reassociation denied due to inability to confirm that association exists",
    "Association denied due to reason outside the scope of the standard",
    "Responding station does not support the specified authentication algorithm",
    "Received an Authentication frame with authentication transaction sequence number out of expected sequence",
    "Authentication rejected because of challenge failure",
    "Authentication rejected due to timeout waiting for next frame in sequence",
    "Association denied because AP is unable to handle additional associated stations",
    "Association denied due to requesting station not supporting all of the data rates in BSSBasicRateSet parameter",
];

const REASONS: &[&str] = &[
    "Reserved",
    "Unspecified reason",
    "Previous authentication no longer valid",
    "Deauthenticated because sending STA is leaving (or has left) IBSS or ESS",
    "Disassociated due to inactivity",
    "Disassociated because AP is unable to handle all currently associated STAs",
    "Class 2 frame received from nonauthenticated STA",
    "Class 3 frame received from nonassociated STA",
    "Disassociated because sending STA is leaving (or has left) BSS",
    "STA requesting (re)association is not authenticated with responding STA",
    "Disassociated because the information in the Power Capability element is unacceptable",
    "Disassociated because the information in the SupportedChannels element is unacceptable",
    "Invalid Information Element",
    "Reserved",
    "Michael MIC failure",
    "4-Way Handshake timeout",
    "Group key update timeout",
    "Information element in 4-Way Handshake different from (Re)Association Request/Probe Response/Beacon",
    "Group Cipher is not valid",
    "Pairwise Cipher is not valid",
    "AKMP is not valid",
    "Unsupported RSN IE version",
    "Invalid RSN IE Capabilities",
    "802.1X Authentication failed",
    "Cipher suite is rejected per security policy",
    "Reserved",
    "Reserved",
    "Reserved",
    "Reserved",
    "Reserved",
    "Reserved",
    "Reserved",
    "Unspecified QoS-related reason",
    "QAP lacks sufficient bandwidth for this QSTA",
    "Disassociated because of excessive number of frames that need to be acknowledged, but are not acknowledged due to AP transmissions and/or poor channel conditions",
    "Disassociated because QSTA is transmitting outside the limits of its polled TXOPs",
    "Requested from peer QSTA as the QSTA is leaving the QBSS (or resetting)",
    "Requested from peer QSTA as it does not want to use Block Ack",
    "Requested from peer QSTA as the QSTA received frames indicated Acknowledgements are missing",
    "Requested from peer STA due to time out",
    "Reserved",
    "Reserved",
    "Reserved",
    "Reserved",
    "Reserved",
    "Peer STA does not support the requested cipher suite",
    "Association denied due to requesting STA not supporting HT features",
];

const AUTH_ALGS: [&str; 3] = ["Open System", "Shared Key", "EAP"];

/// The elements of a management frame body tcpdump summarises.
#[derive(Default)]
struct Body {
    ssid: Option<Vec<u8>>,
    rates: Option<Vec<u8>>,
    channel: Option<u8>,
}

/// `parse_elements`: false when an element is cut short or too long.
fn parse_elements(p: &[u8], mut at: usize, mut length: usize, body: &mut Body) -> bool {
    while length != 0 {
        if !p.has(at, 2) || length < 2 {
            return false;
        }
        let id = p[at];
        let elen = usize::from(p[at + 1]);
        if !p.has(at + 2, elen) || length < elen + 2 {
            return false;
        }
        let v = &p[at + 2..at + 2 + elen];
        match id {
            0 if elen > 32 => return false,
            0 if body.ssid.is_none() => body.ssid = Some(v.to_vec()),
            16 if elen > 253 => return false,
            1 if elen > 16 => return false,
            1 if body.rates.is_none() && elen != 0 => body.rates = Some(v.to_vec()),
            3 if elen == 1 && body.channel.is_none() => body.channel = Some(v[0]),
            5 if elen < 3 => return false,
            _ => {}
        }
        at += 2 + elen;
        length -= 2 + elen;
    }
    true
}

fn print_ssid(ctx: &mut Ctx<'_>, b: &Body) {
    if let Some(ssid) = &b.ssid {
        ctx.s(" (");
        for &c in ssid.iter().take_while(|&&c| c != 0) {
            crate::ctx::fn_char(ctx.out, c);
        }
        ctx.s(")");
    }
}

fn print_rates(ctx: &mut Ctx<'_>, b: &Body) {
    if let Some(rates) = &b.rates {
        let mut sep = " [";
        for &r in rates {
            put!(
                ctx.out,
                "{sep}{:.1}{}",
                0.5 * f64::from(r & 0x7f),
                if r & 0x80 != 0 { "*" } else { "" }
            );
            sep = " ";
        }
        if !rates.is_empty() {
            ctx.s(" Mbit]");
        }
    }
}

fn print_channel(ctx: &mut Ctx<'_>, b: &Body) {
    if let Some(c) = b.channel {
        put!(ctx.out, " CH: {c}");
    }
}

fn status(code: u16) -> &'static str {
    STATUS.get(usize::from(code)).copied().unwrap_or("n/a")
}

/// The body of a management frame; false when cut short.
fn mgmt_body(ctx: &mut Ctx<'_>, fc: u16, hdr: &[u8], p: &[u8], length: usize) -> Res<bool> {
    let st = (fc >> 4) & 0xf;
    match crate::ctx::tok(MGMT, st) {
        Some(n) => ctx.s(n),
        None => put!(ctx.out, "Unhandled Management subtype({st:x})"),
    }
    if fc & 0x4000 != 0 {
        return wep(ctx, p);
    }
    let mut b = Body::default();
    // The fixed fields before the elements.
    let fixed = match st {
        0 => 4,
        10 | 12 | 13 => 2,
        1 | 3 | 11 => 6,
        2 => 10,
        5 | 8 => 12,
        _ => 0,
    };
    if !(p.has(0, fixed) && length >= fixed) {
        return Ok(false);
    }
    let mut elements = || parse_elements(p, fixed, length - fixed, &mut b);
    let ok = match st {
        0 | 4 => {
            let ret = elements();
            print_ssid(ctx, &b);
            print_rates(ctx, &b);
            ret
        }
        1 | 3 => {
            let ret = elements();
            let (cap, code, aid) = (p.le16(0)?, p.le16(2)?, p.le16(4)?);
            put!(
                ctx.out,
                " AID({:x}) :{}: {}",
                (aid << 2) >> 2,
                if cap & 0x10 != 0 { " PRIVACY " } else { "" },
                status(code)
            );
            ret
        }
        2 => {
            let ret = elements();
            put!(ctx.out, " AP : {}", Mac(&p[4..10], ctx.o.numeric == 0));
            ret
        }
        5 | 8 => {
            let cap = p.le16(10)?;
            let ret = elements();
            print_ssid(ctx, &b);
            print_rates(ctx, &b);
            if st == 8 {
                ctx.s(if cap & 1 != 0 { " ESS" } else { " IBSS" });
                if cap & 0x10 != 0 {
                    ctx.s(", PRIVACY");
                }
            }
            print_channel(ctx, &b);
            ret
        }
        9 => true,
        10 => {
            let r = usize::from(p.le16(0)?);
            put!(
                ctx.out,
                ": {}",
                REASONS.get(r).copied().unwrap_or("Reserved")
            );
            true
        }
        11 => {
            let (alg, seq, code) = (p.le16(0)?, p.le16(2)?, p.le16(4)?);
            let ret = elements();
            let name = AUTH_ALGS
                .get(usize::from(alg))
                .copied()
                .unwrap_or("Reserved");
            let st = if seq % 2 == 1 { status(code) } else { "" };
            if alg == 1 && (seq == 2 || seq == 3) {
                put!(ctx.out, " ({name})-{seq:x} [Challenge Text] {st}");
            } else {
                put!(ctx.out, " ({name})-{seq:x}: {st}");
            }
            ret
        }
        12 => {
            let r = usize::from(p.le16(0)?);
            let reason = REASONS.get(r).copied().unwrap_or("Reserved");
            if ctx.o.link_header {
                put!(ctx.out, ": {reason}");
            } else {
                put!(
                    ctx.out,
                    " ({}): {reason}",
                    Mac(hdr.sub(10, 6)?, ctx.o.numeric == 0)
                );
            }
            true
        }
        13 => {
            ctx.s(": ");
            let cat = p.u8_at(0)?;
            put!(ctx.out, "Act#{cat}");
            true
        }
        _ => true,
    };
    Ok(ok)
}

/// `wep_print`: the IV of a protected frame.
fn wep(ctx: &mut Ctx<'_>, p: &[u8]) -> Res<bool> {
    if !p.has(0, 4) {
        return Ok(false);
    }
    let iv = p.le32(0)?;
    put!(
        ctx.out,
        " IV:{:3x} Pad {} KeyID {}",
        iv & 0xff_ffff,
        (iv >> 24) & 0x3f,
        iv >> 30
    );
    Ok(true)
}

fn ctrl_body(ctx: &mut Ctx<'_>, fc: u16, p: &[u8]) -> Res {
    let st = (fc >> 4) & 0xf;
    ctx.s(crate::ctx::tok(CTRL, st).unwrap_or("Unknown Ctrl Subtype"));
    let e = ctx.o.link_header;
    match st {
        8 if !e => put!(
            ctx.out,
            " RA:{} TA:{} CTL({:x}) SEQ({}) ",
            Mac(p.sub(4, 6)?, ctx.o.numeric == 0),
            Mac(p.sub(10, 6)?, ctx.o.numeric == 0),
            p.le16(16)?,
            p.le16(18)?
        ),
        9 if !e => put!(ctx.out, " RA:{} ", Mac(p.sub(4, 6)?, ctx.o.numeric == 0)),
        10 => put!(ctx.out, " AID({:x})", p.le16(2)?),
        11 if !e => put!(ctx.out, " TA:{} ", Mac(p.sub(10, 6)?, ctx.o.numeric == 0)),
        12..=15 if !e => put!(ctx.out, " RA:{} ", Mac(p.sub(4, 6)?, ctx.o.numeric == 0)),
        _ => {}
    }
    Ok(())
}

/// The header length of a frame with control field `fc`; 0 (after
/// tcpdump's message) for unknown types.
fn header_length(ctx: &mut Ctx<'_>, fc: u16) -> usize {
    let st = (fc >> 4) & 0xf;
    match (fc >> 2) & 3 {
        0 => 24,
        1 => match st {
            7 => 30,
            8 => 20,
            9 => 16,
            10 | 11 | 14 | 15 => 16,
            12 | 13 => 10,
            _ => {
                put!(ctx.out, "unknown 802.11 ctrl frame subtype ({st})");
                0
            }
        },
        2 => {
            let mut len = if fc & 0x0300 == 0x0300 { 30 } else { 24 };
            if st & 0x08 != 0 {
                len += 2;
            }
            len
        }
        t => {
            put!(ctx.out, "unknown 802.11 frame type ({t})");
            0
        }
    }
}

/// `ieee802_11_print`: returns the header length (what -x leaves out).
pub(crate) fn ieee802_11_print(
    ctx: &mut Ctx<'_>,
    p: &[u8],
    length: u32,
    pad: bool,
    fcslen: usize,
) -> Res<usize> {
    ctx.proto = "802.11";
    let orig_caplen = p.len();
    let mut length = length as usize;
    if length < fcslen {
        ctx.explicit_trunc();
        return Ok(orig_caplen);
    }
    length -= fcslen;
    let p = &p[..p.len().min(length)];
    if p.len() < 2 {
        ctx.explicit_trunc();
        return Ok(orig_caplen);
    }
    let fc = p.le16(0)?;
    let mut hdrlen = header_length(ctx, fc);
    if hdrlen == 0 {
        return Ok(0);
    }
    if pad {
        hdrlen = (hdrlen + 3) & !3;
    }
    if p.len() < hdrlen {
        ctx.explicit_trunc();
        return Ok(hdrlen);
    }
    if ctx.o.link_header {
        hdr_print(ctx, fc, p)?;
    }
    let hdr = &p[..hdrlen];
    let body = &p[hdrlen..];
    let length = length.saturating_sub(hdrlen);
    match (fc >> 2) & 3 {
        0 => {
            if !mgmt_body(ctx, fc, hdr, body, length)? {
                ctx.explicit_trunc();
            }
        }
        1 => ctrl_body(ctx, fc, hdr)?,
        _ => {
            let st = (fc >> 4) & 0xf;
            if st & 0x04 != 0 {
                return Ok(hdrlen);
            }
            if fc & 0x4000 != 0 {
                ctx.s("Data");
                if !wep(ctx, body)? {
                    ctx.explicit_trunc();
                }
            } else {
                let (src, dst) = data_addrs(fc, hdr);
                let addrs = crate::ether::Addrs { src, dst };
                let (decoded, llc_len) =
                    crate::llc::llc_print(ctx, body, length as u32, Some(addrs))?;
                if !decoded {
                    ctx.default_print(body);
                }
                hdrlen += llc_len;
            }
        }
    }
    Ok(hdrlen)
}

/// Source and destination of a data frame by its DS bits.
fn data_addrs(fc: u16, h: &[u8]) -> (&[u8], &[u8]) {
    let a = |i: usize| &h[4 + 6 * i..10 + 6 * i];
    match (fc >> 8) & 3 {
        0 => (a(1), a(0)),
        1 => (a(2), a(0)),
        2 => (a(1), a(2)),
        _ => (h.get(24..30).unwrap_or(a(1)), a(2)),
    }
}

/// The -e summary of the 802.11 header: flags and duration only with -v.
fn hdr_print(ctx: &mut Ctx<'_>, fc: u16, p: &[u8]) -> Res {
    if ctx.o.verbose > 0 {
        ctx.words(
            u32::from(fc),
            &[
                (0x2000, "More Data "),
                (0x0400, "More Fragments "),
                (0x1000, "Pwr Mgmt "),
                (0x0800, "Retry "),
                (0x8000, "Strictly Ordered "),
                (0x4000, "Protected "),
            ],
        );
        // Not for a PS-Poll, whose field is its AID.
        if fc & 0xfc != 0xa4 {
            put!(ctx.out, "{}us ", p.le16(2)?);
        }
    }
    match (fc >> 2) & 3 {
        0 => put!(
            ctx.out,
            "BSSID:{} DA:{} SA:{} ",
            Mac(p.sub(16, 6)?, ctx.o.numeric == 0),
            Mac(p.sub(4, 6)?, ctx.o.numeric == 0),
            Mac(p.sub(10, 6)?, ctx.o.numeric == 0)
        ),
        2 => {
            // CF-Ack (1), CF-Poll (2) and QoS (8) subtype bits.
            let st = (fc >> 4) & 0xf;
            if st & 0xb != 0 {
                ctx.s("CF ");
                ctx.s(match st & 3 {
                    3 => "Ack/Poll",
                    1 => "Ack",
                    2 => "Poll",
                    _ => "",
                });
                if st & 8 != 0 {
                    ctx.s("+QoS");
                }
                ctx.s(" ");
            }
            let (a1, a2, a3) = (
                Mac(p.sub(4, 6)?, ctx.o.numeric == 0),
                Mac(p.sub(10, 6)?, ctx.o.numeric == 0),
                Mac(p.sub(16, 6)?, ctx.o.numeric == 0),
            );
            match (fc >> 8) & 3 {
                // To-DS is bit 0 of the flags, From-DS bit 1.
                0 => put!(ctx.out, "DA:{a1} SA:{a2} BSSID:{a3} "),
                1 => put!(ctx.out, "BSSID:{a1} SA:{a2} DA:{a3} "),
                2 => put!(ctx.out, "DA:{a1} BSSID:{a2} SA:{a3} "),
                _ => put!(
                    ctx.out,
                    "RA:{a1} TA:{a2} DA:{a3} SA:{} ",
                    Mac(p.sub(24, 6)?, ctx.o.numeric == 0)
                ),
            }
        }
        1 => ctrl_hdr(ctx, fc, p)?,
        _ => {}
    }
    Ok(())
}

/// `ctrl_header_print`: the addresses of a control frame.
fn ctrl_hdr(ctx: &mut Ctx<'_>, fc: u16, p: &[u8]) -> Res {
    let names = ctx.o.numeric == 0;
    match (fc >> 4) & 0xf {
        8 => put!(
            ctx.out,
            " RA:{} TA:{} CTL({:x}) SEQ({}) ",
            Mac(p.sub(4, 6)?, names),
            Mac(p.sub(10, 6)?, names),
            p.le16(16)?,
            p.le16(18)?
        ),
        9 | 12 | 13 => put!(ctx.out, "RA:{} ", Mac(p.sub(4, 6)?, names)),
        10 => put!(
            ctx.out,
            "BSSID:{} TA:{} ",
            Mac(p.sub(4, 6)?, names),
            Mac(p.sub(10, 6)?, names)
        ),
        11 => put!(
            ctx.out,
            "RA:{} TA:{} ",
            Mac(p.sub(4, 6)?, names),
            Mac(p.sub(10, 6)?, names)
        ),
        14 | 15 => put!(
            ctx.out,
            "RA:{} BSSID:{} ",
            Mac(p.sub(4, 6)?, names),
            Mac(p.sub(10, 6)?, names)
        ),
        _ => {}
    }
    Ok(())
}

/// `ieee802_11_if_print`.
pub(crate) fn plain(ctx: &mut Ctx<'_>, p: &[u8], length: u32, hdrlen: &mut usize) -> Res {
    *hdrlen = ieee802_11_print(ctx, p, length, false, 0)?;
    Ok(())
}

/// Channel flags (`print_chaninfo`).
fn chaninfo(ctx: &mut Ctx<'_>, freq: u16, flags: u32) {
    put!(ctx.out, "{freq} MHz");
    let has = |m: u32| flags & m == m;
    if has(0x0080 | 0x0800) {
        ctx.s(" FHSS");
    }
    if has(0x0100 | 0x0040) {
        if flags & 0x4000 != 0 {
            ctx.s(" 11a/10Mhz");
        } else if flags & 0x8000 != 0 {
            ctx.s(" 11a/5Mhz");
        } else {
            ctx.s(" 11a");
        }
    }
    if has(0x0080 | 0x0040) || has(0x0080 | 0x0400) {
        if flags & 0x4000 != 0 {
            ctx.s(" 11g/10Mhz");
        } else if flags & 0x8000 != 0 {
            ctx.s(" 11g/5Mhz");
        } else {
            ctx.s(" 11g");
        }
    } else if has(0x0080 | 0x0020) {
        ctx.s(" 11b");
    }
    if flags & 0x0010 != 0 {
        ctx.s(" Turbo");
    }
    ctx.s(" ");
}

/// `ieee802_11_radio_if_print`: the radiotap fields in presence order,
/// up to the first field tcpdump 4.99 does not know (`[bit N]`), then the
/// 802.11 frame.
pub(crate) fn radiotap(ctx: &mut Ctx<'_>, p: &[u8], length: u32, hdrlen: &mut usize) -> Res {
    ctx.proto = "802.11_radio";
    if p.len() < 8 {
        *hdrlen = p.len();
        return ctx.trunc();
    }
    let len = usize::from(p.le16(2)?);
    if p.len() < len || len < 8 {
        *hdrlen = p.len();
        return ctx.trunc();
    }
    let hdr = &p[..len];
    // The presence words.
    let mut words = Vec::new();
    let mut at = 4;
    loop {
        let Ok(w) = hdr.le32(at) else {
            *hdrlen = p.len();
            return ctx.trunc();
        };
        words.push(w);
        at += 4;
        if w & 0x8000_0000 == 0 {
            break;
        }
    }
    let mut off = at;
    let mut fcslen = 0;
    let mut pad = false;
    'fields: for (wi, &w) in words.iter().enumerate() {
        for bit in 0..32u32 {
            if w & (1 << bit) == 0 || bit >= 29 {
                continue;
            }
            let n = wi as u32 * 32 + bit;
            let (size, align) = match n {
                0 => (8, 8),
                1 | 2 | 5 | 6 | 10 | 11 | 12 | 13 => (1, 1),
                3 => (4, 2),
                4 => (2, 1),
                7 | 8 | 9 | 14 => (2, 2),
                18 => (8, 4),
                _ => {
                    put!(ctx.out, "[bit {n}] ");
                    break 'fields;
                }
            };
            off = (off + align - 1) & !(align - 1);
            let Ok(f) = hdr.sub(off, size) else {
                ctx.explicit_trunc();
                break 'fields;
            };
            match n {
                0 => put!(
                    ctx.out,
                    "{}us tsft ",
                    u64::from_le_bytes(f.try_into().unwrap_or([0; 8]))
                ),
                1 => {
                    let fl = f[0];
                    ctx.words(
                        u32::from(fl),
                        &[
                            (0x01, "cfp "),
                            (0x02, "short preamble "),
                            (0x04, "wep "),
                            (0x08, "fragmented "),
                            (0x40, "bad-fcs "),
                        ],
                    );
                    if fl & 0x10 != 0 {
                        fcslen = 4;
                    }
                    if fl & 0x20 != 0 {
                        pad = true;
                    }
                }
                2 => {
                    let r = f[0];
                    if (0x80..=0x8f).contains(&r) {
                        put!(ctx.out, "MCS {} ", r & 0x7f);
                    } else {
                        put!(ctx.out, "{:.1} Mb/s ", 0.5 * f64::from(r));
                    }
                }
                3 => {
                    let freq = u16::from_le_bytes([f[0], f[1]]);
                    let flags = u16::from_le_bytes([f[2], f[3]]);
                    // tcpdump prefers the extended channel when present.
                    if words[0] & (1 << 18) == 0 {
                        chaninfo(ctx, freq, u32::from(flags));
                    }
                }
                4 => put!(ctx.out, "fhset {} fhpat {} ", f[0], f[1]),
                5 => put!(ctx.out, "{}dBm signal ", f[0] as i8),
                6 => put!(ctx.out, "{}dBm noise ", f[0] as i8),
                7 => put!(ctx.out, "{} sq ", u16::from_le_bytes([f[0], f[1]])),
                8 => put!(
                    ctx.out,
                    "{} tx power ",
                    -i32::from(u16::from_le_bytes([f[0], f[1]]))
                ),
                9 => put!(
                    ctx.out,
                    "{}dB tx attenuation ",
                    u16::from_le_bytes([f[0], f[1]])
                ),
                10 => put!(ctx.out, "{}dBm tx power ", f[0] as i8),
                11 => put!(ctx.out, "antenna {} ", f[0]),
                12 => put!(ctx.out, "{}dB signal ", f[0]),
                13 => put!(ctx.out, "{}dB noise ", f[0]),
                14 => {}
                18 => {
                    let flags = u32::from_le_bytes([f[0], f[1], f[2], f[3]]);
                    let freq = u16::from_le_bytes([f[4], f[5]]);
                    chaninfo(ctx, freq, flags);
                }
                _ => {}
            }
            off += size;
        }
    }
    let frame = p.from(len);
    let h = ieee802_11_print(ctx, frame, length.saturating_sub(len as u32), pad, fcslen)?;
    *hdrlen = len + h;
    Ok(())
}
