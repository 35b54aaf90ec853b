//! Ethernet (print-ether.c): addresses, VLAN tags (802.1Q, QinQ), the
//! 802.3 length / Ethernet II type, and the ether type dispatch shared
//! by the link types that carry ether types (SLL, GRE, SNAP, ...).

use crate::ctx::{Bytes, Ctx, Mac, Res, put, tok};

/// tcpdump's `ethertype_values`.
pub(crate) const ETHERTYPES: &[(u16, &str)] = &[
    (0x0800, "IPv4"),
    (0x8847, "MPLS unicast"),
    (0x8848, "MPLS multicast"),
    (0x86dd, "IPv6"),
    (0x8100, "802.1Q"),
    (0x9100, "802.1Q-9100"),
    (0x88a8, "802.1Q-QinQ"),
    (0x9200, "802.1Q-9200"),
    (0x88e5, "802.1AE MACsec"),
    (0x0200, "PUP"),
    (0x0806, "ARP"),
    (0x8035, "Reverse ARP"),
    (0x0600, "NS"),
    (0x0500, "Sprite"),
    (0x1000, "Trail"),
    (0x6001, "MOP DL"),
    (0x6002, "MOP RC"),
    (0x6003, "DN"),
    (0x6004, "LAT"),
    (0x6007, "SCA"),
    (0x6558, "TEB"),
    (0x8038, "Lanbridge"),
    (0x803c, "DEC DNS"),
    (0x803e, "DEC DTS"),
    (0x805b, "VEXP"),
    (0x805c, "VPROD"),
    (0x809b, "Appletalk"),
    (0x80f3, "Appletalk ARP"),
    (0x8137, "IPX"),
    (0x880b, "PPP"),
    (0x8808, "MPCP"),
    (0x8809, "Slow Protocols"),
    (0x8863, "PPPoE D"),
    (0x8864, "PPPoE S"),
    (0x888e, "EAPOL"),
    (0x8899, "Realtek protocols"),
    (0x886f, "MS NLB heartbeat"),
    (0x8870, "Jumbo"),
    (0x894f, "NSH"),
    (0x9000, "Loopback"),
    (0xfefe, "OSI"),
    (0x00fe, "GRE-OSI"),
    (0xabcd, "CFM (old)"),
    (0x8902, "CFM"),
    (0x893a, "IEEE1905.1"),
    (0x88cc, "LLDP"),
    (0x88ca, "TIPC"),
    (0x0707, "GeoNet (old)"),
    (0x8947, "GeoNet"),
    (0x1111, "CALM FAST"),
    (0x88a2, "AoE"),
    (0x88f7, "PTP"),
    (0xd28b, "Arista Vendor Specific Protocol"),
];

/// A VLAN tag control field: `vlan 10, p 0` (`, DEI` when set).
pub(crate) struct Tci(pub u16);

impl std::fmt::Display for Tci {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "vlan {}, p {}", self.0 & 0xfff, self.0 >> 13)?;
        if self.0 & 0x1000 != 0 {
            f.write_str(", DEI")?;
        }
        Ok(())
    }
}

/// `ethertype IPv4 (0x0800)` (or the -q form).
pub(crate) fn ether_type_print(ctx: &mut Ctx<'_>, t: u16) {
    match tok(ETHERTYPES, t) {
        Some(n) if ctx.o.quiet > 0 => ctx.s(n),
        None if ctx.o.quiet > 0 => put!(ctx.out, "Unknown Ethertype (0x{t:04x})"),
        n => put!(ctx.out, "ethertype {} (0x{t:04x})", n.unwrap_or("Unknown")),
    }
}

/// The source and destination of a frame, for the printers that show
/// them when -e did not.
#[derive(Clone, Copy)]
pub(crate) struct Addrs<'a> {
    pub src: &'a [u8],
    pub dst: &'a [u8],
}

fn addresses(ctx: &mut Ctx<'_>, a: Addrs<'_>) {
    put!(
        ctx.out,
        "{} > {}, ",
        Mac(a.src, ctx.o.numeric == 0),
        Mac(a.dst, ctx.o.numeric == 0)
    );
}

/// `ether_if_print`.
pub(crate) fn if_print(ctx: &mut Ctx<'_>, data: &[u8], len: u32, hdrlen: &mut usize) -> Res {
    ether_print(ctx, data, len, hdrlen)
}

/// `ether_print`: the frame at `data`, `len` bytes on the wire.
pub(crate) fn ether_print(ctx: &mut Ctx<'_>, data: &[u8], len: u32, hdrlen: &mut usize) -> Res {
    ether_common(ctx, data, len, hdrlen, SwitchTag::None)
}

/// A switch tag between the addresses and the type (print-dsa.c,
/// print-brcmtag.c).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum SwitchTag {
    None,
    Dsa,
    Edsa,
    Brcm,
}

impl SwitchTag {
    fn len(self) -> usize {
        match self {
            SwitchTag::None => 0,
            SwitchTag::Dsa | SwitchTag::Brcm => 4,
            SwitchTag::Edsa => 8,
        }
    }
}

/// The Marvell DSA tag fields both DSA and EDSA show.
fn dsa_common(ctx: &mut Ctx<'_>, t: &[u8]) {
    let mode = t[0] >> 6;
    let dev = t[0] & 0x1f;
    let port = (t[1] >> 3) & 0x1f;
    let tagged = t[0] & 0x20 != 0;
    let vid = (u16::from(t[2] & 0xf) << 8) | u16::from(t[3]);
    let trunk = if t[1] & 0x04 != 0 { "trunk" } else { "port" };
    if ctx.o.link_header {
        let m = ["To CPU", "From CPU", "To Sniffer", "Forward"][usize::from(mode)];
        put!(ctx.out, "mode {m}, ");
        match mode {
            3 => put!(ctx.out, "dev {dev}, {trunk} {port}, "),
            1 => put!(ctx.out, "target dev {dev}, port {port}, "),
            0 => {
                put!(ctx.out, "source dev {dev}, port {port}, ");
                let code = ((t[1] & 0x06) >> 1) | ((t[2] & 0x10) >> 4);
                let c = match code {
                    0 => "BPDU (MGMT) Trap",
                    1 => "Frame2Reg",
                    2 => "IGMP/MLD Trap",
                    3 => "Policy Trap",
                    4 => "ARP Mirror",
                    5 => "Policy Mirror",
                    _ => "reserved",
                };
                put!(ctx.out, "code {c}, ");
            }
            _ => {
                put!(ctx.out, "source dev {dev}, port {port}, ");
                put!(
                    ctx.out,
                    "{} sniff, ",
                    if t[1] & 0x04 != 0 {
                        "ingress"
                    } else {
                        "egress"
                    }
                );
            }
        }
        put!(ctx.out, "{}, ", if tagged { "tagged" } else { "untagged" });
        if t[1] & 0x01 != 0 {
            ctx.s("CFI, ");
        }
        put!(ctx.out, "VID {vid}, FPri {}, ", t[2] >> 5);
    } else {
        match mode {
            3 => put!(ctx.out, "Forward {trunk} {dev}.{port}, "),
            1 => put!(ctx.out, "CPU > port {dev}.{port}, "),
            0 => put!(ctx.out, "CPU < port {dev}.{port}, "),
            _ => put!(
                ctx.out,
                "Sniffer {} port {dev}.{port}, ",
                if t[1] & 0x04 != 0 { "<" } else { ">" }
            ),
        }
        put!(ctx.out, "VLAN {vid}{}, ", if tagged { 't' } else { 'u' });
    }
}

/// The Broadcom switch tag.
pub(crate) fn brcm_tag(ctx: &mut Ctx<'_>, t: &[u8]) {
    put!(
        ctx.out,
        "BRCM tag OP: {}",
        if t[0] != 0 { "IG" } else { "EG" }
    );
    if t[0] & 0x20 != 0 {
        put!(ctx.out, ", TC: {}", (t[1] >> 2) & 7);
        let te = ["None", "Untag", "Header", "Reserved"][usize::from(t[1] & 3)];
        put!(ctx.out, ", TE: {te}, TS: {}", t[1] >> 7);
        let map = (u16::from(t[2]) << 8) | u16::from(t[3]);
        put!(ctx.out, ", DST map: 0x{:04x}", map & 0x1ff);
    } else {
        put!(ctx.out, ", CID: {}", t[1]);
        let rc = match t[2] >> 2 {
            1 => "mirror",
            2 => "MAC learning",
            4 => "switching",
            8 => "exception",
            16 => "protocol termination",
            _ => "reserved",
        };
        put!(
            ctx.out,
            ", RC: {rc}, TC: {}, port: {}",
            (t[3] >> 5) & 7,
            t[3] & 0x1f
        );
    }
    ctx.s(", ");
}

/// `ether_common_print`: the frame at `data`, `len` bytes on the wire,
/// with a switch tag after the addresses if `tag` says so.
pub(crate) fn ether_common(
    ctx: &mut Ctx<'_>,
    data: &[u8],
    len: u32,
    hdrlen: &mut usize,
    tag: SwitchTag,
) -> Res {
    ctx.proto = "ether";
    let caplen = data.len();
    if (len as usize) < caplen {
        // An inner frame whose tunnel header claims less than follows.
        put!(ctx.out, "[length {len} < caplen {caplen}] (invalid)");
        *hdrlen = len as usize;
        return Ok(());
    }
    let tl = tag.len();
    if caplen < 14 + tl {
        *hdrlen = caplen;
        return ctx.trunc();
    }
    if (len as usize) < 14 + tl {
        *hdrlen = len as usize;
        return ctx.trunc();
    }
    let a = Addrs {
        src: &data[6..12],
        dst: &data[0..6],
    };
    if ctx.o.link_header {
        addresses(ctx, a);
    }
    let orig_len = len;
    let mut len = len - 12;
    let mut at = 12;
    match tag {
        SwitchTag::None => {}
        SwitchTag::Dsa => {
            ctx.s(if ctx.o.link_header {
                "Marvell DSA "
            } else {
                "DSA "
            });
            dsa_common(ctx, &data[12..16]);
        }
        SwitchTag::Edsa => {
            let et = data.be16(12)?;
            if ctx.o.link_header {
                put!(
                    ctx.out,
                    "Marvell EDSA ethertype 0x{et:04x} ({}), rsvd {} {}, ",
                    tok(ETHERTYPES, et).unwrap_or("Unknown"),
                    data[14],
                    data[15]
                );
            } else {
                put!(ctx.out, "EDSA 0x{et:04x}, ");
            }
            dsa_common(ctx, &data[16..20]);
        }
        SwitchTag::Brcm => brcm_tag(ctx, &data[12..16]),
    }
    at += tl;
    len -= tl as u32;
    let mut t = data.be16(at)?;
    at += 2;
    len -= 2;
    *hdrlen = at;
    let mut printed_length = false;
    while matches!(t, 0x8100 | 0x9100 | 0x9200 | 0x88a8) {
        if data.len() < at + 4 || len < 4 {
            ctx.proto = "vlan";
            *hdrlen = at + (data.len() - at).min(len as usize);
            return ctx.trunc();
        }
        if ctx.o.link_header {
            let tag = data.be16(at)?;
            ether_type_print(ctx, t);
            if printed_length {
                ctx.s(", ");
            } else {
                put!(ctx.out, ", length {orig_len}: ");
                printed_length = true;
            }
            put!(ctx.out, "{}, ", Tci(tag));
        }
        t = data.be16(at + 2)?;
        at += 4;
        len -= 4;
        *hdrlen = at;
    }
    let p = data.from(at);
    if t <= 1500 {
        // A length: the payload ends there (padding is not payload).
        let len = len.min(u32::from(t));
        let p = &p[..p.len().min(len as usize)];
        if ctx.o.link_header {
            ctx.s("802.3");
            if !printed_length {
                put!(ctx.out, ", length {len}: ");
            }
        }
        let (decoded, llc_len) = crate::llc::llc_print(ctx, p, len, Some(a))?;
        *hdrlen += llc_len;
        if !decoded {
            ctx.default_print(p);
        }
        return Ok(());
    }
    if ctx.o.link_header {
        ether_type_print(ctx, t);
        if printed_length {
            ctx.s(", ");
        } else {
            put!(ctx.out, ", length {orig_len}: ");
        }
    }
    if !ethertype_print(ctx, t, p, len, Some(a))? {
        if !ctx.o.link_header {
            addresses(ctx, a);
            ether_type_print(ctx, t);
            put!(ctx.out, ", length {orig_len}: ");
        }
        ctx.default_print(p);
    }
    Ok(())
}

/// `ethertype_print`: the payload of ether type `t`; false when tcpdump
/// does not decode that type (the caller dumps it).
pub(crate) fn ethertype_print(
    ctx: &mut Ctx<'_>,
    t: u16,
    p: &[u8],
    len: u32,
    addrs: Option<Addrs<'_>>,
) -> Res<bool> {
    // `p` is what was captured, which may go past `len` (a tunnel's
    // inner packet is given the rest of its UDP datagram): the printers
    // look at both, as tcpdump's do.
    match t {
        0x0800 => crate::ip::ip_print(ctx, p, len)?,
        0x86dd => crate::ip6::ip6_print(ctx, p, len)?,
        0x0806 | 0x8035 => crate::arp::arp_print(ctx, p, len)?,
        0x8847 | 0x8848 => crate::other::mpls_print(ctx, p, len)?,
        0x8863 | 0x8864 | 0x3c12 | 0x3c13 => crate::other::pppoe_print(ctx, p, len)?,
        0x8137 => {
            ctx.s("(NOV-ETHII) ");
            crate::other::ipx_print(ctx, p, len)?;
        }
        0x9000 => crate::other::loopback_print(ctx, p, len)?,
        0x880b => {
            if len > 0 {
                ctx.s(": ");
                crate::other::ppp_print(ctx, p, len)?;
            }
        }
        0x88cc => crate::lldp::lldp_print(ctx, p, len)?,
        0x888e => crate::other::eapol_print(ctx, p, len)?,
        0x8809 => crate::other::slow_print(ctx, p, len)?,
        0x88f7 => crate::ptp::ptp_print(ctx, p, len)?,
        0x88ca => crate::other::tipc_print(ctx, p, len)?,
        0x6003 => crate::decnet::decnet_print(ctx, p, len)?,
        _ => {
            let _ = addrs;
            return Ok(false);
        }
    }
    Ok(true)
}
