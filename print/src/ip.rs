//! IPv4 (print-ip.c): the header (`-v` fields, options, checksum),
//! fragments, and the demultiplexer to the protocols above IPv4 and
//! IPv6 (`ip_demux_print`).

use crate::ctx::{Bytes, Ctx, Res, addr4, bits, cksum_shouldbe, in_cksum, put, tok};

/// tcpdump's `ipproto_values`.
pub(crate) const IPPROTOS: &[(u8, &str)] = &[
    (0, "Options"),
    (1, "ICMP"),
    (2, "IGMP"),
    (4, "IPIP"),
    (6, "TCP"),
    (8, "EGP"),
    (9, "IGRP"),
    (17, "UDP"),
    (33, "DCCP"),
    (41, "IPv6"),
    (43, "Routing"),
    (44, "Fragment"),
    (46, "RSVP"),
    (47, "GRE"),
    (50, "ESP"),
    (51, "AH"),
    (55, "Mobile IP"),
    (58, "ICMPv6"),
    (62, "Mobile IP (old)"),
    (88, "EIGRP"),
    (89, "OSPF"),
    (103, "PIM"),
    (108, "Compressed IP"),
    (112, "VRRP"),
    (113, "PGM"),
    (132, "SCTP"),
    (135, "Mobility"),
];

const OPTIONS: &[(u8, &str)] = &[
    (0, "EOL"),
    (1, "NOP"),
    (68, "timestamp"),
    (130, "security"),
    (7, "RR"),
    (137, "SSRR"),
    (131, "LSRR"),
    (148, "RA"),
    (82, "traceroute"),
];

const FRAG: &[(u32, &str)] = &[(0x2000, "+"), (0x4000, "DF"), (0x8000, "rsvd")];

/// What the transport printers need to know of the IP header.
#[derive(Clone, Copy)]
pub(crate) struct IpInfo<'a> {
    /// 4 or 6.
    pub version: u8,
    /// The whole IP header (for addresses and checksums).
    pub hdr: &'a [u8],
    /// The next header as the fixed header says (tcpdump checks it to
    /// decide whether the transport prints the addresses).
    pub nh: u8,
    /// The protocol the payload is.
    pub proto: u8,
    /// More fragments follow or this is a later fragment.
    pub fragmented: bool,
    /// TTL or hop limit.
    pub ttl: u8,
}

impl IpInfo<'_> {
    /// Source address text.
    pub fn src(&self, ctx: &mut Ctx<'_>) -> Res<String> {
        if self.version == 4 {
            Ok(ctx.ip4(addr4(self.hdr, 12)?))
        } else {
            Ok(ctx.ip6(crate::ctx::addr16(self.hdr, 8)?))
        }
    }

    /// Destination address text.
    pub fn dst(&self, ctx: &mut Ctx<'_>) -> Res<String> {
        if self.version == 4 {
            Ok(ctx.ip4(addr4(self.hdr, 16)?))
        } else {
            Ok(ctx.ip6(crate::ctx::addr16(self.hdr, 24)?))
        }
    }

    /// Whether the transport header follows the fixed header directly.
    pub fn direct(&self) -> bool {
        self.nh == self.proto
    }

    /// The pseudo-header checksum part for `len` bytes of `proto`.
    pub fn pseudo(&self, len: u32) -> Vec<u8> {
        let mut v = Vec::with_capacity(40);
        if self.version == 4 {
            v.extend_from_slice(self.hdr.get(12..20).unwrap_or(&[0; 8]));
            v.extend_from_slice(&[0, self.proto]);
            v.extend_from_slice(&(len as u16).to_be_bytes());
        } else {
            v.extend_from_slice(self.hdr.get(8..24).unwrap_or(&[0; 16]));
            v.extend_from_slice(self.final_dst());
            v.extend_from_slice(&len.to_be_bytes());
            v.extend_from_slice(&[0, 0, 0, self.proto]);
        }
        v
    }

    /// The IPv6 destination for checksums (the last routing header
    /// address would go here; the header's destination otherwise).
    fn final_dst(&self) -> &[u8] {
        self.hdr.get(24..40).unwrap_or(&[0; 16])
    }
}

/// `ip_print`.
pub(crate) fn ip_print(ctx: &mut Ctx<'_>, p: &[u8], length: u32) -> Res {
    ctx.proto = "ip";
    let vhl = p.u8_at(0)?;
    if vhl >> 4 != 4 {
        if vhl >> 4 == 6 {
            ctx.s("IP6, wrong link-layer encapsulation");
        } else {
            put!(ctx.out, "IP{}", vhl >> 4);
        }
        ctx.s(" (invalid)");
        return Ok(());
    }
    if !ctx.o.link_header {
        ctx.s("IP ");
    }
    if !p.has(0, 20) {
        return ctx.trunc();
    }
    if length < 20 {
        put!(ctx.out, "truncated-ip {length}");
        return Ok(());
    }
    let hlen = u32::from(vhl & 0x0f) * 4;
    if hlen < 20 {
        put!(ctx.out, "bad-hlen {hlen}");
        return Ok(());
    }
    let mut ip_len = u32::from(p.be16(2)?);
    if length < ip_len {
        put!(
            ctx.out,
            "truncated-ip - {} bytes missing! ",
            ip_len - length
        );
    }
    if ip_len < hlen {
        if ip_len != 0 {
            put!(ctx.out, "bad-len {ip_len}");
            return Ok(());
        }
        // A TSO send: the length is left 0.
        ip_len = length;
    }
    // The payload ends with the datagram (padding is not payload).
    let p = &p[..p.len().min(length.min(ip_len) as usize)];
    // Unsigned as in tcpdump: a TSO length shorter than the header wraps.
    let len = ip_len.wrapping_sub(hlen);
    let off = p.be16(6)?;
    let proto = p.u8_at(9)?;
    if ctx.o.verbose > 0 {
        let tos = p.u8_at(1)?;
        put!(ctx.out, "(tos 0x{tos:x}");
        match tos & 3 {
            1 => ctx.s(",ECT(1)"),
            2 => ctx.s(",ECT(0)"),
            3 => ctx.s(",CE"),
            _ => {}
        }
        let ttl = p.u8_at(8)?;
        if ttl >= 1 {
            put!(ctx.out, ", ttl {ttl}");
        }
        put!(
            ctx.out,
            ", id {}, offset {}, flags [{}], proto {} ({proto})",
            p.be16(4)?,
            (off & 0x1fff) * 8,
            bits(FRAG, u32::from(off & 0xe000), "none", ", "),
            tok(IPPROTOS, proto).unwrap_or("unknown")
        );
        put!(ctx.out, ", length {}", p.be16(2)?);
        if hlen > 20 {
            ctx.s(", options (");
            // Reads may go past the options into the payload, as tcpdump's
            // checks are against the captured bytes.
            if options(ctx, p.from(20), hlen - 20)? {
                ctx.s(")");
            } else {
                ctx.s(" [truncated-option])");
                return Ok(());
            }
        }
        if !ctx.o.no_checksums && p.has(0, hlen as usize) {
            let sum = in_cksum(&[&p[..hlen as usize]]);
            if sum != 0 {
                let ip_sum = p.be16(10)?;
                put!(
                    ctx.out,
                    ", bad cksum {ip_sum:x} (->{:x})!",
                    cksum_shouldbe(ip_sum, sum)
                );
            }
        }
        ctx.s(")\n    ");
    }
    let src = ctx.ip4(addr4(p, 12)?);
    let dst = ctx.ip4(addr4(p, 16)?);
    if off & 0x1fff == 0 {
        if !matches!(proto, 6 | 17 | 132 | 33) {
            put!(ctx.out, "{src} > {dst}: ");
        }
        if !p.has(0, hlen as usize) {
            put!(
                ctx.out,
                " [remaining caplen({}) < header length({hlen})]",
                p.len()
            );
            // tcpdump's nd_trunc_longjmp.
            return Err(crate::ctx::Trunc);
        }
        let info = IpInfo {
            version: 4,
            hdr: &p[..hlen as usize],
            nh: proto,
            proto,
            fragmented: off & 0x2000 != 0,
            ttl: p.u8_at(8)?,
        };
        demux(ctx, p.from(hlen as usize), len, info, proto)
    } else if ctx.o.quiet > 1 {
        // -qq: tcpdump prints nothing of a non-first fragment past its
        // `IP ` (and the -v header fields).
        Ok(())
    } else {
        put!(ctx.out, "{src} > {dst}:");
        match (ctx.o.numeric, proto_name(proto)) {
            (0, Some(n)) => put!(ctx.out, " {n}"),
            _ => put!(ctx.out, " ip-proto-{proto}"),
        }
        Ok(())
    }
}

/// The IPv4 options with -v; false on a bad option length.
fn options(ctx: &mut Ctx<'_>, opts: &[u8], mut length: u32) -> Res<bool> {
    let mut at = 0usize;
    let mut sep = "";
    while length > 0 {
        ctx.s(sep);
        sep = ",";
        let code = opts.u8_at(at)?;
        match tok(OPTIONS, code) {
            Some(n) => ctx.s(n),
            None => put!(ctx.out, "unknown {code}"),
        }
        let olen = if code == 0 || code == 1 {
            1
        } else {
            let l = u32::from(opts.u8_at(at + 1)?);
            if l < 2 {
                put!(ctx.out, " [bad length {l}]");
                return Ok(true);
            }
            l
        };
        if olen > length {
            put!(ctx.out, " [bad length {olen}]");
            return Ok(true);
        }
        let Ok(o) = opts.sub(at, olen as usize) else {
            return Ok(false);
        };
        match code {
            0 => return Ok(true),
            148 => {
                if olen < 4 {
                    put!(ctx.out, " [bad length {olen}]");
                } else if o.be16(2)? != 0 {
                    put!(ctx.out, " value {}", o.be16(2)?);
                }
            }
            68 if !timestamps(ctx, opts, at, olen)? => return Ok(false),
            7 | 131 | 137 => {
                // tcpdump's ip_printroute, unsigned arithmetic included.
                if olen < 3 {
                    put!(ctx.out, " [bad length {olen}]");
                } else {
                    if (olen + 1) & 3 != 0 {
                        put!(ctx.out, " [bad length {olen}]");
                    }
                    let ptr = u32::from(o[2]).wrapping_sub(1);
                    if ptr < 3 || (ptr.wrapping_add(1)) & 3 != 0 || ptr > olen + 1 {
                        put!(ctx.out, " [bad ptr {}]", o[2]);
                    }
                    let mut i = 3;
                    while i < olen {
                        let Ok(a) = addr4(opts, at + i as usize) else {
                            return Ok(false);
                        };
                        let a = ctx.ip4(a);
                        put!(ctx.out, " {a}");
                        if ptr > i {
                            ctx.s(",");
                        }
                        i += 4;
                    }
                }
            }
            _ => {}
        }
        at += olen as usize;
        length -= olen;
    }
    Ok(true)
}

/// tcpdump's `ip_printts`: the timestamp option; false when cut short.
fn timestamps(ctx: &mut Ctx<'_>, opts: &[u8], at: usize, length: u32) -> Res<bool> {
    if length < 4 {
        put!(ctx.out, "[bad length {length}]");
        return Ok(true);
    }
    ctx.s(" TS{");
    let flags = opts.u8_at(at + 3)?;
    let hoplen: u32 = if flags & 0xf != 0 { 8 } else { 4 };
    if (length - 4) & (hoplen - 1) != 0 {
        put!(ctx.out, "[bad length {length}]");
    }
    let ptr = u32::from(opts.u8_at(at + 2)?).wrapping_sub(1);
    if ptr < 4 || (ptr.wrapping_sub(4)) & (hoplen - 1) != 0 || ptr > length + 1 {
        put!(ctx.out, "[bad ptr {}]", opts[at + 2]);
    }
    let mut len = 0;
    let known = match flags & 0xf {
        0 => {
            ctx.s("TSONLY");
            true
        }
        1 => {
            ctx.s("TS+ADDR");
            true
        }
        3 => {
            ctx.s("PRESPEC");
            true
        }
        t => {
            put!(ctx.out, "[bad ts type {t}]");
            false
        }
    };
    if known {
        let mut kind = " ";
        len = 4;
        while len < length {
            if ptr == len {
                kind = " ^ ";
            }
            let hop = at + len as usize;
            if !opts.has(hop, hoplen as usize) {
                return Ok(false);
            }
            let t = opts.be32(hop + hoplen as usize - 4)?;
            let a = if hoplen == 8 {
                ctx.ip4(addr4(opts, hop)?)
            } else {
                String::new()
            };
            put!(ctx.out, "{kind}{t}@{a}");
            kind = " ";
            len += hoplen;
        }
    }
    if ptr == len {
        ctx.s(" ^ ");
    }
    if flags >> 4 != 0 {
        put!(ctx.out, " [{} hops not recorded]}} ", flags >> 4);
    } else {
        ctx.s("}");
    }
    Ok(true)
}

/// `netdb_protoname`: the `/etc/protocols` name (without -n).
pub(crate) fn proto_name(p: u8) -> Option<&'static str> {
    // The IANA keywords tcpdump 4.99 has built in (ipproto.c).
    const NAMES: &[(u8, &str)] = &[
        (0, "hopopt"),
        (1, "icmp"),
        (2, "igmp"),
        (3, "ggp"),
        (4, "ipv4"),
        (5, "st"),
        (6, "tcp"),
        (7, "cbt"),
        (8, "egp"),
        (9, "igp"),
        (10, "bbn-rcc-mon"),
        (11, "nvp-ii"),
        (12, "pup"),
        (13, "argus"),
        (14, "emcon"),
        (15, "xnet"),
        (16, "chaos"),
        (17, "udp"),
        (18, "mux"),
        (19, "dcn-meas"),
        (20, "hmp"),
        (21, "prm"),
        (22, "xns-idp"),
        (23, "trunk-1"),
        (24, "trunk-2"),
        (25, "leaf-1"),
        (26, "leaf-2"),
        (27, "rdp"),
        (28, "irtp"),
        (29, "iso-tp4"),
        (30, "netblt"),
        (31, "mfe-nsp"),
        (32, "merit-inp"),
        (33, "dccp"),
        (34, "3pc"),
        (35, "idpr"),
        (36, "xtp"),
        (37, "ddp"),
        (38, "idpr-cmtp"),
        (39, "tp++"),
        (40, "il"),
        (41, "ipv6"),
        (42, "sdrp"),
        (43, "ipv6-route"),
        (44, "ipv6-frag"),
        (45, "idrp"),
        (46, "rsvp"),
        (47, "gre"),
        (48, "dsr"),
        (49, "bna"),
        (50, "esp"),
        (51, "ah"),
        (52, "i-nlsp"),
        (53, "swipe"),
        (54, "narp"),
        (55, "mobile"),
        (56, "tlsp"),
        (57, "skip"),
        (58, "ipv6-icmp"),
        (59, "ipv6-nonxt"),
        (60, "ipv6-opts"),
        (62, "cftp"),
        (64, "sat-expak"),
        (65, "kryptolan"),
        (66, "rvd"),
        (67, "ippc"),
        (69, "sat-mon"),
        (70, "visa"),
        (71, "ipcv"),
        (72, "cpnx"),
        (73, "cphb"),
        (74, "wsn"),
        (75, "pvp"),
        (76, "br-sat-mon"),
        (77, "sun-nd"),
        (78, "wb-mon"),
        (79, "wb-expak"),
        (80, "iso-ip"),
        (81, "vmtp"),
        (82, "secure-vmtp"),
        (83, "vines"),
        (84, "ttp"),
        (85, "nsfnet-igp"),
        (86, "dgp"),
        (87, "tcf"),
        (88, "eigrp"),
        (89, "ospfigp"),
        (90, "sprite-rpc"),
        (91, "larp"),
        (92, "mtp"),
        (93, "ax.25"),
        (94, "ipip"),
        (95, "micp"),
        (96, "scc-sp"),
        (97, "etherip"),
        (98, "encap"),
        (100, "gmtp"),
        (101, "ifmp"),
        (102, "pnni"),
        (103, "pim"),
        (104, "aris"),
        (105, "scps"),
        (106, "qnx"),
        (107, "a/n"),
        (108, "ipcomp"),
        (109, "snp"),
        (110, "compaq-peer"),
        (111, "ipx-in-ip"),
        (112, "vrrp"),
        (113, "pgm"),
        (115, "l2tp"),
        (116, "ddx"),
        (117, "iatp"),
        (118, "stp"),
        (119, "srp"),
        (120, "uti"),
        (121, "smp"),
        (122, "sm"),
        (123, "ptp"),
        (124, "isis"),
        (125, "fire"),
        (126, "crtp"),
        (127, "crudp"),
        (128, "sscopmce"),
        (129, "iplt"),
        (130, "sps"),
        (131, "pipe"),
        (132, "sctp"),
        (133, "fc"),
        (134, "rsvp-e2e-ignore"),
        (135, "mobility"),
        (136, "udplite"),
        (137, "mpls-in-ip"),
        (138, "manet"),
        (139, "hip"),
        (140, "shim6"),
        (141, "wesp"),
        (142, "rohc"),
        (143, "ethernet"),
    ];
    tok(NAMES, p)
}

/// `ip_demux_print`: the payload of protocol `nh`.
pub(crate) fn demux(ctx: &mut Ctx<'_>, p: &[u8], len: u32, info: IpInfo<'_>, nh: u8) -> Res {
    let info = IpInfo { proto: nh, ..info };
    let v = info.version;
    match nh {
        51 => {
            ctx.proto = "ah";
            let next = p.u8_at(0)?;
            let advance = crate::other::ah_print(ctx, p)?;
            match advance {
                Some(a) => demux(ctx, p.from(a), len.saturating_sub(a as u32), info, next),
                None => Ok(()),
            }
        }
        50 => crate::other::esp_print(ctx, p, len),
        132 => crate::sctp::sctp_print(ctx, p, len, info),
        89 => crate::routing::ospf_print(ctx, p, len, v == 6),
        103 => crate::routing::pim_print(ctx, p, len, info),
        88 => crate::routing::eigrp_print(ctx, p, len),
        112 if ctx.o.packet_type == Some("carp") => crate::carp::carp_print(ctx, p, len, info.ttl),
        112 => crate::routing::vrrp_print(ctx, p, len, info.ttl),
        6 => crate::tcp::tcp_print(ctx, p, len, info),
        17 => crate::udp::udp_print(ctx, p, len, info),
        1 if v == 4 => crate::icmp::icmp_print(ctx, p, len, info),
        58 if v == 6 => crate::icmp6::icmp6_print(ctx, p, len, info),
        2 if v == 4 => crate::other::igmp_print(ctx, p, len),
        1 | 58 | 2 => {
            put!(
                ctx.out,
                "[{} requires IPv{}] (invalid)",
                tok(IPPROTOS, nh).unwrap_or("unknown"),
                if nh == 58 { 6 } else { 4 }
            );
            Ok(())
        }
        4 => ip_print(ctx, p, len),
        41 => crate::ip6::ip6_print(ctx, p, len),
        47 => crate::gre::gre_print(ctx, p, len),
        46 => crate::rsvp::rsvp_print(ctx, p, len),
        77 => {
            put!(ctx.out, " nd {len}");
            Ok(())
        }
        59 => {
            ctx.s("no next header");
            Ok(())
        }
        _ => match crate::other::ip_proto_print(ctx, p, len, info, nh)? {
            true => Ok(()),
            false => {
                match (ctx.o.numeric, proto_name(nh)) {
                    (0, Some(n)) => put!(ctx.out, " {n}"),
                    _ => put!(ctx.out, " ip-proto-{nh}"),
                }
                put!(ctx.out, " {len}");
                Ok(())
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{NoNames, options};
    use crate::{Summarizer, TimeFormat};
    use bpfcap_filter::LinkType;

    fn raw(bits: u16, data: &[u8]) -> String {
        let mut o = options(bits);
        o.time = TimeFormat::None;
        let mut s = Summarizer::with_resolver(o, Box::new(NoNames));
        let mut out = String::new();
        s.write(&mut out, LinkType::RAW, 0, 0, data.len() as u32, data);
        out
    }

    /// Fuzz finding: a total length of 0 (a TSO send) with a 60-byte
    /// header in a shorter packet.
    #[test]
    fn tso_length_shorter_than_header() {
        let mut p = vec![
            0x4f, 0, 0, 0, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
        ];
        p.extend_from_slice(&[1; 10]);
        let out = raw(0x0400, &p);
        assert_eq!(
            out,
            "IP  [remaining caplen(30) < header length(60)] [|ip]\n"
        );
    }

    /// Fuzz finding: a record route option whose pointer is 0.
    #[test]
    fn route_option_zero_pointer() {
        let mut p = vec![
            0x47, 0, 0, 28, 0, 1, 0, 0, 64, 253, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
        ];
        p.extend_from_slice(&[7, 7, 0, 192, 168, 1, 1, 0]);
        let out = raw(0x0602, &p);
        assert!(
            out.contains("options (RR [bad ptr 0] 192.168.1.1,,EOL)"),
            "{out}"
        );
    }
}
