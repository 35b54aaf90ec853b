//! OSI network layer protocols (print-isoclns.c): the NLPID dispatch and
//! IS-IS PDUs: a summary without -v; with -v the headers, the LSP
//! checksum verdict and the TLVs (area addresses, IS neighbors and
//! reachability, instance id, padding, LSP entries, purge originator,
//! IPv4 reachability, protocols, interface addresses, TE router id,
//! hostname, restart signaling, IPv6 interface addresses); -vv adds
//! hex dumps.
//!
//! Not decoded here (they get the hex dump tcpdump gives unknown TLVs):
//! authentication, checksum, extended IS/IPv4 reachability, the
//! multi-topology TLVs, IPv6 reachability, point-to-point adjacency,
//! hello sequence numbers, router capabilities, shared risk groups.

use crate::ctx::{Bytes, Ctx, Res, Trunc, put, tok};

const NLPIDS: &[(u8, &str)] = &[
    (0x00, "NULL"),
    (0x08, "Q.933"),
    (0x81, "CLNP"),
    (0x82, "ES-IS"),
    (0x83, "IS-IS"),
    (0xcc, "IPv4"),
    (0x8e, "IPv6"),
    (0xcf, "PPP"),
];

const PDUS: &[(u8, &str)] = &[
    (15, "L1 Lan IIH"),
    (16, "L2 Lan IIH"),
    (17, "p2p IIH"),
    (18, "L1 LSP"),
    (20, "L2 LSP"),
    (24, "L1 CSNP"),
    (25, "L2 CSNP"),
    (26, "L1 PSNP"),
    (27, "L2 PSNP"),
];

/// `isoclns_print`.
pub(crate) fn isoclns_print(ctx: &mut Ctx<'_>, p: &[u8], length: u32) -> Res {
    ctx.proto = "isoclns";
    let nlpid = p.u8_at(0)?;
    if ctx.o.link_header {
        put!(
            ctx.out,
            "OSI NLPID {} (0x{nlpid:02x}): ",
            tok(NLPIDS, nlpid).unwrap_or("Unknown")
        );
    }
    let sep = if ctx.o.link_header { "" } else { ", " };
    let unknown = |ctx: &mut Ctx<'_>| {
        let b = &p[..p.len().min(length as usize)];
        crate::hex::hex_prefixed(ctx.out, "\n\t", b, 0);
    };
    match nlpid {
        0x83 => {
            if !isis_print(ctx, p, length)? {
                unknown(ctx);
            }
        }
        0x00 => put!(ctx.out, "{sep}length: {length}"),
        0xcc => crate::ip::ip_print(ctx, p.from(1), length.saturating_sub(1))?,
        0x8e => crate::ip6::ip6_print(ctx, p.from(1), length.saturating_sub(1))?,
        0xcf => crate::other::ppp_print(ctx, p.from(1), length.saturating_sub(1))?,
        0x81 => {
            put!(ctx.out, "CLNP, length {length}");
        }
        0x82 => crate::esis::esis_print(ctx, p, length)?,
        _ => {
            if !ctx.o.link_header {
                put!(ctx.out, "OSI NLPID 0x{nlpid:02x} unknown");
            }
            put!(ctx.out, "{sep}length: {length}");
            if length > 1 {
                unknown(ctx);
            }
        }
    }
    Ok(())
}

/// An IS-IS system, node or LSP identifier: `1921.6800.1001.00-00`.
fn isis_id(b: &[u8]) -> String {
    let mut s = String::new();
    for (i, x) in b.iter().take(6).enumerate() {
        put!(s, "{x:02x}");
        if i == 1 || i == 3 {
            s.push('.');
        }
    }
    if let Some(x) = b.get(6) {
        put!(s, ".{x:02x}");
    }
    if let Some(x) = b.get(7) {
        put!(s, "-{x:02x}");
    }
    s
}

/// `isis_print` (the non-verbose summary); false when tcpdump gives up
/// and dumps the PDU.
fn isis_print(ctx: &mut Ctx<'_>, p: &[u8], length: u32) -> Res<bool> {
    ctx.proto = "isis";
    if !ctx.o.link_header {
        ctx.s("IS-IS");
    }
    p.sub(0, 8)?;
    let fixed_len = u32::from(p[1]);
    let version = p[2];
    let id_length = p[3];
    let pdu_type = p[4] & 0x1f;
    if version != 1 {
        put!(ctx.out, "version {version} packet not supported");
        return Ok(false);
    }
    if id_length != 6 && id_length != 0 {
        put!(ctx.out, "system ID length of {id_length} is not supported");
        return Ok(false);
    }
    if p[5] != 1 {
        put!(ctx.out, "version {} packet not supported", p[5]);
        return Ok(false);
    }
    if length < fixed_len {
        put!(
            ctx.out,
            "fixed header length {fixed_len} > packet length {length}"
        );
        return Ok(false);
    }
    if fixed_len < 8 {
        put!(ctx.out, "fixed header length {fixed_len} not supported");
        return Ok(false);
    }
    if p[7] == 255 {
        ctx.s("bad packet -- 255 areas");
        return Ok(false);
    }
    if ctx.o.verbose > 0 {
        return isis_verbose(ctx, p, length, fixed_len);
    }
    let sep = if ctx.o.link_header { "" } else { ", " };
    match tok(PDUS, pdu_type) {
        Some(n) => put!(ctx.out, "{sep}{n}"),
        None => put!(ctx.out, "{sep}unknown PDU-Type {pdu_type}"),
    }
    let (want, what) = match pdu_type {
        15 | 16 => (27, 0),
        17 => (20, 1),
        18 | 20 => (27, 2),
        24 | 25 => (33, 3),
        26 | 27 => (17, 4),
        _ => {
            put!(ctx.out, ", length {length}");
            if length > 8 {
                crate::hex::hex_prefixed(ctx.out, "\n\t", &p[..p.len().min(length as usize)], 0);
            }
            return Ok(true);
        }
    };
    if fixed_len != want {
        put!(
            ctx.out,
            ", bogus fixed header length {fixed_len} should be {want}"
        );
        return Ok(false);
    }
    if !p.has(0, want as usize) {
        return Err(Trunc);
    }
    if length < want {
        return Err(Trunc);
    }
    let h = &p[8..];
    match what {
        0 => {
            put!(ctx.out, ", src-id {}", isis_id(&h[1..7]));
            put!(ctx.out, ", lan-id {}, prio {}", isis_id(&h[12..19]), h[11]);
        }
        1 => put!(ctx.out, ", src-id {}", isis_id(&h[1..7])),
        2 => put!(
            ctx.out,
            ", lsp-id {}, seq 0x{:08x}, lifetime {:5}s",
            isis_id(&h[4..12]),
            h.be32(12)?,
            h.be16(2)?
        ),
        _ => put!(ctx.out, ", src-id {}", isis_id(&h[2..9])),
    }
    put!(ctx.out, ", length {length}");
    Ok(true)
}

const TLVS: &[(u8, &str)] = &[
    (1, "Area address(es)"),
    (2, "IS Reachability"),
    (3, "ES Neighbor(s)"),
    (4, "Partition DIS"),
    (5, "Prefix Neighbors"),
    (6, "IS Neighbor(s)"),
    (7, "Instance Identifier"),
    (8, "Padding"),
    (9, "LSP entries"),
    (10, "Authentication"),
    (12, "Checksum"),
    (13, "Purge Originator Identifier"),
    (14, "LSP Buffersize"),
    (22, "Extended IS Reachability"),
    (24, "IS Alias ID"),
    (42, "DECnet Phase IV"),
    (66, "Lucent Proprietary"),
    (128, "IPv4 Internal Reachability"),
    (129, "Protocols supported"),
    (130, "IPv4 External Reachability"),
    (131, "Inter-Domain Information Type"),
    (132, "IPv4 Interface address(es)"),
    (133, "IPv4 authentication (deprecated)"),
    (134, "Traffic Engineering Router ID"),
    (137, "Hostname"),
    (135, "Extended IPv4 Reachability"),
    (138, "Shared Risk Link Group"),
    (143, "Multi-Topology-Aware Port Capability"),
    (144, "Multi-Topology Capability"),
    (176, "Nortel Proprietary"),
    (177, "Nortel Proprietary"),
    (211, "Restart Signaling"),
    (222, "Multi Topology IS Reachability"),
    (229, "Multi Topology"),
    (232, "IPv6 Interface address(es)"),
    (235, "Multi-Topology IPv4 Reachability"),
    (236, "IPv6 reachability"),
    (237, "Multi-Topology IP6 Reachability"),
    (240, "Point-to-point Adjacency State"),
    (241, "Hello PDU Sequence Number"),
    (242, "IS-IS Router Capability"),
    (250, "Vendor Private"),
];

/// The TLVs decoded here (the others get a hex dump with -v).
const DECODED_TLVS: [u8; 17] = [
    1, 2, 6, 7, 8, 9, 13, 128, 129, 130, 132, 134, 137, 211, 232, 240, 250,
];

const CIRCUIT_TYPES: &[(u8, &str)] = &[
    (1, "Level 1 only"),
    (2, "Level 2 only"),
    (3, "Level 1, Level 2"),
];

const LSP_TYPES: &[(u8, &str)] = &[
    (0, "Unused 0x0 (invalid)"),
    (1, "L1 IS"),
    (2, "UNUSED"),
    (3, "L2 IS"),
];

const RESTART_FLAGS: &[(u32, &str)] = &[
    (0x1, "Restart Request"),
    (0x2, "Restart Acknowledgement"),
    (0x4, "Suppress adjacency advertisement"),
];

const TLV_NLPIDS: &[(u8, &str)] = &[
    (0x00, "NULL"),
    (0x08, "Q.933"),
    (0x09, "LMI"),
    (0x80, "SNAP"),
    (0x81, "CLNP"),
    (0x82, "ES-IS"),
    (0x83, "IS-IS"),
    (0x84, "CONS"),
    (0x85, "IDRP"),
    (0xc1, "ISIS_SPB"),
    (0xb1, "FRF.15"),
    (0xcc, "IPv4"),
    (0xcf, "PPP"),
    (0x8a, "X25 ES-IS"),
    (0x8e, "IPv6"),
];

/// tcpdump's `isonsap_string`: hex pairs, a dot after the first byte
/// and then after every second one.
pub(crate) fn isonsap(b: &[u8]) -> String {
    if b.is_empty() || b.len() > 20 {
        return "isonsap_string: illegal length".to_string();
    }
    let mut s = String::new();
    for (i, x) in b.iter().enumerate() {
        put!(s, "{x:02x}");
        if i % 2 == 0 && i + 1 < b.len() {
            s.push('.');
        }
    }
    s
}

/// tcpdump's `create_osi_cksum`: the Fletcher checksum (ISO 8473) the
/// `len` bytes of `b` would carry at `offset`.
fn osi_cksum(b: &[u8], offset: usize, len: usize) -> u16 {
    let (mut c0, mut c1): (i64, i64) = (0, 0);
    for (i, &x) in b.iter().take(len).enumerate() {
        if i != offset && i != offset + 1 {
            c0 += i64::from(x);
        }
        c1 += c0;
    }
    c0 %= 255;
    c1 %= 255;
    let mul = (len as i64 - offset as i64) * c0;
    let mut x = mul - c0 - c1;
    let mut y = c1 - mul - 1;
    if y >= 0 {
        y += 1;
    }
    if x < 0 {
        x -= 1;
    }
    x %= 255;
    y %= 255;
    if x == 0 {
        x = 255;
    }
    if y == 0 {
        y = 255;
    }
    ((x << 8) | (y & 0xff)) as u16
}

/// A metric byte: its value and whether it is external.
fn metric(m: u8) -> (u8, &'static str) {
    (
        m & 0x3f,
        if m & 0x40 != 0 {
            "External"
        } else {
            "Internal"
        },
    )
}

/// The delay, expense and error metrics of a metric block, those set.
fn other_metrics(ctx: &mut Ctx<'_>, block: &[u8], indent: &str) {
    for (name, &m) in ["Delay", "Expense", "Error"].iter().zip(&block[1..4]) {
        if m & 0x80 == 0 {
            let (v, ie) = metric(m);
            put!(ctx.out, "{indent}  {name} Metric: {v}, {ie}");
        }
    }
}

/// The -v decode of an IS-IS PDU (its common header checked).
fn isis_verbose(ctx: &mut Ctx<'_>, p: &[u8], length: u32, fixed_len: u32) -> Res<bool> {
    let pdu_type = p[4] & 0x1f;
    let (id_raw, area_raw) = (p[3], p[7]);
    put!(
        ctx.out,
        "{}length {length}",
        if ctx.o.link_header { "" } else { ", " }
    );
    let name = match tok(PDUS, pdu_type) {
        Some(n) => n.to_string(),
        None => format!("unknown, type {pdu_type}"),
    };
    put!(
        ctx.out,
        "\n\t{name}, hlen: {fixed_len}, v: {}, pdu-v: {}, sys-id-len: {} ({id_raw}), max-area: {} ({area_raw})",
        p[2],
        p[5],
        if id_raw == 0 { 6 } else { id_raw },
        if area_raw == 0 { 3 } else { area_raw }
    );
    if ctx.o.verbose > 1 {
        crate::hex::hex_prefixed(ctx.out, "\n\t", &p[..8], 0);
    }
    let want = match pdu_type {
        15 | 16 => 27,
        17 => 20,
        18 | 20 => 27,
        24 | 25 => 33,
        26 | 27 => 17,
        _ => {
            let b = &p[8.min(p.len())..p.len().min(length as usize)];
            crate::hex::hex_prefixed(ctx.out, "\n\t  ", b, 0);
            return Ok(false);
        }
    };
    if fixed_len != want {
        put!(
            ctx.out,
            ", bogus fixed header length {fixed_len} should be {want}"
        );
        return Ok(false);
    }
    if !p.has(0, want as usize) || length < want {
        ctx.trunc()?;
        return Ok(true);
    }
    let h = &p[8..want as usize];
    let pdu_len_at = match pdu_type {
        15..=17 => 9,
        _ => 0,
    };
    let pdu_len = u32::from(h.be16(pdu_len_at)?);
    let mut length = length;
    if length > pdu_len {
        length = pdu_len;
    }
    match pdu_type {
        15 | 16 => {
            iih_source(ctx, h, "  ")?;
            put!(
                ctx.out,
                "\n\t  lan-id:    {}, Priority: {}, PDU length: {pdu_len}",
                isis_id(&h[12..19]),
                h[11] & 0x7f
            );
        }
        17 => {
            iih_source(ctx, h, " ")?;
            put!(
                ctx.out,
                "\n\t  circuit-id: 0x{:02x}, PDU length: {pdu_len}",
                h[11]
            );
        }
        18 | 20 => {
            put!(
                ctx.out,
                "\n\t  lsp-id: {}, seq: 0x{:08x}, lifetime: {:5}s",
                isis_id(&h[4..12]),
                h.be32(12)?,
                h.be16(2)?
            );
            let sum = h.be16(16)?;
            put!(ctx.out, "\n\t  chksum: 0x{sum:04x}");
            // The checksum covers the PDU from the LSP id on.
            let covered = (length as usize).saturating_sub(12);
            let from = p.from(12);
            if sum == 0 || 12 > covered || from.len() < covered {
                ctx.s(" (unverified)");
            } else {
                let want = osi_cksum(from, 12, covered);
                if want == sum {
                    ctx.s(" (correct)");
                } else {
                    put!(ctx.out, " (incorrect should be 0x{want:04x})");
                }
            }
            let tb = h[18];
            put!(
                ctx.out,
                ", PDU length: {pdu_len}, Flags: [ {}",
                if tb & 0x04 != 0 {
                    "Overload bit set, "
                } else {
                    ""
                }
            );
            if tb & 0x78 != 0 {
                for (bit, name) in [
                    (0x08, "default "),
                    (0x10, "delay "),
                    (0x20, "expense "),
                    (0x40, "error "),
                ] {
                    if tb & bit != 0 {
                        ctx.s(name);
                    }
                }
                ctx.s("ATT bit set, ");
            }
            if tb & 0x80 != 0 {
                ctx.s("P bit set, ");
            }
            match tok(LSP_TYPES, tb & 0x3) {
                Some(t) => put!(ctx.out, "{t} ]"),
                None => put!(ctx.out, "Unknown(0x{:x}) ]", tb & 0x3),
            }
        }
        24 | 25 => {
            put!(
                ctx.out,
                "\n\t  source-id:    {}, PDU length: {pdu_len}",
                isis_id(&h[2..9])
            );
            put!(ctx.out, "\n\t  start lsp-id: {}", isis_id(&h[9..17]));
            put!(ctx.out, "\n\t  end lsp-id:   {}", isis_id(&h[17..25]));
        }
        _ => put!(
            ctx.out,
            "\n\t  source-id:    {}, PDU length: {pdu_len}",
            isis_id(&h[2..9])
        ),
    }
    if ctx.o.verbose > 1 {
        crate::hex::hex_prefixed(ctx.out, "\n\t  ", h, 0);
    }
    if length < want {
        put!(ctx.out, " [packet length {length} < {want}] (invalid)");
        return Ok(true);
    }
    tlvs(ctx, p, want as usize, (length - want) as usize)?;
    Ok(true)
}

/// A Hello's source, holding time and circuit type (`sep` before the
/// holding time: LAN Hellos have two spaces).
fn iih_source(ctx: &mut Ctx<'_>, h: &[u8], sep: &str) -> Res {
    put!(
        ctx.out,
        "\n\t  source-id: {},{sep}holding time: {}s, Flags: [{}]",
        isis_id(&h[1..7]),
        h.be16(7)?,
        circuit_type(h[0])
    );
    Ok(())
}

fn circuit_type(t: u8) -> String {
    match tok(CIRCUIT_TYPES, t) {
        Some(n) => n.to_string(),
        None => format!("unknown circuit type 0x{t:02x}"),
    }
}

/// The TLVs, `left` bytes from `at`.
fn tlvs(ctx: &mut Ctx<'_>, p: &[u8], mut at: usize, mut left: usize) -> Res {
    while left > 0 {
        if !p.has(at, 2) || left < 2 {
            return ctx.trunc();
        }
        let (t, len) = (p[at], usize::from(p[at + 1]));
        at += 2;
        left -= 2;
        put!(
            ctx.out,
            "\n\t    {} TLV #{t}, length: {len}",
            tok(TLVS, t).unwrap_or("unknown")
        );
        if len == 0 {
            continue;
        }
        // tcpdump decodes what was captured of the TLV, whatever the PDU
        // length says, and ends the packet where the capture ends.
        let v = p.get(at..).unwrap_or(&[]);
        let v = &v[..v.len().min(len)];
        let cut = v.len() < len;
        if DECODED_TLVS.contains(&t) {
            if !tlv(ctx, t, v, len)? {
                return Ok(());
            }
        } else if ctx.o.verbose <= 1 {
            crate::hex::hex_prefixed(ctx.out, "\n\t\t", v, 0);
        }
        if cut {
            return ctx.trunc();
        }
        if ctx.o.verbose > 1 {
            crate::hex::hex_prefixed(ctx.out, "\n\t      ", v, 0);
        }
        at += len;
        // A 32-bit count, as tcpdump's: a TLV longer than the PDU wraps
        // it and the TLVs go on to the capture's end.
        left = (left as u32).wrapping_sub(len as u32) as usize;
    }
    Ok(())
}

/// One decoded TLV's value; false where tcpdump stops the PDU.
fn tlv(ctx: &mut Ctx<'_>, t: u8, v: &[u8], len: usize) -> Res<bool> {
    let ind = "\n\t      ";
    if v.is_empty() {
        // nothing captured of it
        return Ok(true);
    }
    match t {
        1 => {
            let mut o = 0;
            while o < v.len() {
                let alen = usize::from(v[o]);
                o += 1;
                let Some(a) = v.get(o..o + alen) else {
                    break;
                };
                put!(
                    ctx.out,
                    "{ind}Area address (length: {alen}): {}",
                    isonsap(a)
                );
                o += alen;
            }
        }
        6 => {
            for m in v.chunks_exact(6) {
                put!(ctx.out, "{ind}SNPA: {}", isis_id(m));
            }
        }
        7 if v.len() >= 4 => {
            let n = (v.len() - 2) / 2;
            put!(
                ctx.out,
                "{ind}Instance ID: {}, ITIDs({n}){} ",
                v.be16(0)?,
                if n != 0 { ":" } else { "" }
            );
            let ids: Vec<String> = (0..n)
                .map(|i| v.be16(2 + 2 * i).unwrap_or(0).to_string())
                .collect();
            ctx.s(&ids.join(", "));
        }
        2 => {
            match v[0] {
                0 => put!(ctx.out, "{ind}IsNotVirtual"),
                1 => put!(ctx.out, "{ind}IsVirtual"),
                x => put!(ctx.out, "{ind}bogus virtual flag 0x{x:02x}"),
            }
            for e in v[1..].chunks_exact(11) {
                let (m, ie) = metric(e[0]);
                put!(
                    ctx.out,
                    "{ind}IS Neighbor: {}, Default Metric: {m}, {ie}",
                    isis_id(&e[4..11])
                );
                other_metrics(ctx, &e[..4], "\n\t\t");
            }
        }
        9 => {
            for e in v.chunks_exact(16) {
                put!(
                    ctx.out,
                    "{ind}lsp-id: {}, seq: 0x{:08x}, lifetime: {:5}s, chksum: 0x{:04x}",
                    isis_id(&e[2..10]),
                    e.be32(10)?,
                    e.be16(0)?,
                    e.be16(14)?
                );
            }
        }
        13 => {
            let n = v[0];
            if n == 0 {
                ctx.s(" No system IDs supplied");
            } else if let Some(id) = v.get(1..7) {
                put!(ctx.out, "{ind}Purge Originator System-ID: {}", isis_id(id));
                if n > 1
                    && let Some(id) = v.get(7..13) {
                        put!(ctx.out, "{ind}Received from System-ID: {}", isis_id(id));
                    }
            }
        }
        128 | 130 => {
            let mut left = len;
            let mut at = 0;
            while left > 0 {
                if left < 12 {
                    put!(ctx.out, "short IPv4 Reachability ({left} vs 12)");
                    return Ok(false);
                }
                // an entry not captured ends the PDU without a mark
                let Some(e) = v.get(at..at + 12) else {
                    return Ok(false);
                };
                let prefix = ctx.ip4(crate::ctx::addr4(e, 4)?);
                let mask = e.be32(8)?;
                if mask.leading_ones() + mask.trailing_zeros() == 32 {
                    put!(
                        ctx.out,
                        "{ind}IPv4 prefix: {prefix:>15}/{}",
                        mask.leading_ones()
                    );
                } else {
                    let m = ctx.ip4(crate::ctx::addr4(e, 8)?);
                    put!(ctx.out, "{ind}IPv4 prefix: {prefix} mask {m}");
                }
                let (m, ie) = metric(e[0]);
                put!(
                    ctx.out,
                    ", Distribution: {}, Metric: {m}, {ie}",
                    if e[0] & 0x80 != 0 { "down" } else { "up" }
                );
                other_metrics(ctx, &e[..4], ind);
                at += 12;
                left -= 12;
            }
        }
        240 => {
            let state = v[0];
            let name = match state {
                0 => "Up",
                1 => "Initializing",
                2 => "Down",
                _ => "unknown",
            };
            put!(ctx.out, "{ind}Adjacency State: {name} ({state})");
            let mut left = len - 1;
            if left > 4 {
                put!(
                    ctx.out,
                    "{ind}Extended Local circuit-ID: 0x{:08x}",
                    v.be32(1)?
                );
                left -= 4;
            }
            if left >= 6 {
                let Some(id) = v.get(5..11) else {
                    return Ok(true);
                };
                put!(ctx.out, "{ind}Neighbor System-ID: {}", isis_id(id));
                left -= 6;
            }
            if left >= 4 {
                put!(
                    ctx.out,
                    "{ind}Neighbor Extended Local circuit-ID: 0x{:08x}",
                    v.be32(11)?
                );
            }
        }
        250
            // its contents (3 bytes and more) are not decoded here
            if len >= 3 && ctx.o.verbose <= 1 => {
                crate::hex::hex_prefixed(ctx.out, "\n\t\t", v, 0);
            }
        129 => {
            ctx.s("\n\t      NLPID(s): ");
            let names: Vec<String> = v
                .iter()
                .map(|&n| format!("{} (0x{n:02x})", tok(TLV_NLPIDS, n).unwrap_or("unknown")))
                .collect();
            ctx.s(&names.join(", "));
        }
        132 => {
            for a in v.chunks_exact(4) {
                let a = ctx.ip4(crate::ctx::addr4(a, 0)?);
                put!(ctx.out, "{ind}IPv4 interface address: {a}");
            }
        }
        232 => {
            for a in v.chunks_exact(16) {
                let a = ctx.ip6(crate::ctx::addr16(a, 0)?);
                put!(ctx.out, "{ind}IPv6 interface address: {a}");
            }
        }
        134 if v.len() >= 4 => {
            let a = ctx.ip4(crate::ctx::addr4(v, 0)?);
            put!(ctx.out, "{ind}Traffic Engineering Router ID: {a}");
        }
        137 => {
            ctx.s("\n\t      Hostname: ");
            for &c in v.iter().take_while(|&&c| c != 0) {
                crate::ctx::fn_char(ctx.out, c);
            }
        }
        211 => {
            put!(
                ctx.out,
                "{ind}Flags [{}]",
                crate::ctx::bits(RESTART_FLAGS, v[0].into(), "none", ", ")
            );
            if v.len() >= 3 {
                put!(ctx.out, ", Remaining holding time {}s", v.be16(1)?);
                if v.len() == 9 {
                    put!(ctx.out, ", for {}", isis_id(&v[3..9]));
                }
            }
        }
        _ => {}
    }
    Ok(true)
}
