//! Tunnel packets for the `vxlan` / `inner(...)` tests, built here so
//! that the capture is reproducible and small: VXLAN (VNI 42, 43 and 44,
//! over IPv4 and IPv6), Geneve (with options, carrying Ethernet or bare
//! IPv4), GRE over IPv4 and IPv6 (with checksum, key and sequence
//! number), IPv4 and IPv6 in IPv4 and IPv6, a tunnel in a tunnel, and
//! plain traffic. Inner addresses (10.2.0.0/16, fd02::/16, MACs
//! 02:00:00:00:02:xx) are not used by any outer header, so an independent
//! decoder's `ip.addr == 10.2.0.2` can only be about an inner packet.
//!
//! [`FILTERS`] pairs bpfcap expressions with tshark display filters that
//! must keep the same packets of [`frames`].

/// Ethernet frames, each with what it is (for messages).
pub fn frames() -> Vec<(&'static str, Vec<u8>)> {
    let inner4 = |dport| {
        eth(
            MAC_IN_B,
            MAC_IN_A,
            0x0800,
            &ip4(IN4_A, IN4_B, 6, &tcp(40000, dport)),
        )
    };
    let inner6 = |dport| {
        eth(
            MAC_IN_B,
            MAC_IN_A,
            0x86dd,
            &ip6(IN6_A, IN6_B, 6, &tcp(40001, dport)),
        )
    };
    vec![
        (
            "vxlan 42 tcp 80",
            outer4(UDP, &udp(50000, 4789, &vxlan(42, &inner4(80)))),
        ),
        (
            "vxlan 42 tcp 443",
            outer4(UDP, &udp(50001, 4789, &vxlan(42, &inner4(443)))),
        ),
        (
            "vxlan 43 tcp 80",
            outer4(UDP, &udp(50002, 4789, &vxlan(43, &inner4(80)))),
        ),
        (
            "vxlan 43 tcp 443",
            outer4(UDP, &udp(50003, 4789, &vxlan(43, &inner4(443)))),
        ),
        (
            "vxlan6 42 ip6 tcp 80",
            outer6(UDP, &udp(50004, 4789, &vxlan(42, &inner6(80)))),
        ),
        (
            "vxlan 42 udp 53",
            outer4(
                UDP,
                &udp(
                    50005,
                    4789,
                    &vxlan(
                        42,
                        &eth(
                            MAC_IN_B,
                            MAC_IN_A,
                            0x0800,
                            &ip4(IN4_A, IN4_C, 17, &udp(40002, 53, b"q")),
                        ),
                    ),
                ),
            ),
        ),
        (
            "geneve opts eth tcp 80",
            outer4(UDP, &udp(50006, 6081, &geneve(7, 8, 0x6558, &inner4(80)))),
        ),
        (
            "geneve6 ip tcp 443",
            outer6(
                UDP,
                &udp(
                    50007,
                    6081,
                    &geneve(8, 0, 0x0800, &ip4(IN4_A, IN4_B, 6, &tcp(40003, 443))),
                ),
            ),
        ),
        (
            "gre4 key seq ip tcp 80",
            outer4(
                GRE,
                &gre(
                    false,
                    Some(0x1234),
                    Some(7),
                    0x0800,
                    &ip4(IN4_A, IN4_B, 6, &tcp(40004, 80)),
                ),
            ),
        ),
        (
            "gre6 csum key seq ip6 tcp 80",
            outer6(
                GRE,
                &gre(
                    true,
                    Some(9),
                    Some(1),
                    0x86dd,
                    &ip6(IN6_A, IN6_B, 6, &tcp(40005, 80)),
                ),
            ),
        ),
        (
            "gre4 eth udp 53",
            outer4(
                GRE,
                &gre(
                    false,
                    None,
                    None,
                    0x6558,
                    &eth(
                        MAC_IN_C,
                        MAC_IN_A,
                        0x0800,
                        &ip4(IN4_A, IN4_C, 17, &udp(40006, 53, b"q")),
                    ),
                ),
            ),
        ),
        (
            "ipip tcp 80",
            outer4(4, &ip4(IN4_A, IN4_B, 6, &tcp(40007, 80))),
        ),
        (
            "6in4 tcp 443",
            outer4(41, &ip6(IN6_A, IN6_B, 6, &tcp(40008, 443))),
        ),
        (
            "6in6 tcp 80",
            outer6(41, &ip6(IN6_A, IN6_B, 6, &tcp(40009, 80))),
        ),
        (
            "4in6 tcp 80",
            outer6(4, &ip4(IN4_A, IN4_B, 6, &tcp(40010, 80))),
        ),
        (
            "vxlan 44 gre ip tcp 8080",
            outer4(
                UDP,
                &udp(
                    50008,
                    4789,
                    &vxlan(
                        44,
                        &eth(
                            MAC_IN_D,
                            MAC_IN_A,
                            0x0800,
                            &ip4(
                                IN4_D,
                                IN4_E,
                                47,
                                &gre(
                                    false,
                                    Some(1),
                                    None,
                                    0x0800,
                                    &ip4(IN4_F, IN4_G, 6, &tcp(40011, 8080)),
                                ),
                            ),
                        ),
                    ),
                ),
            ),
        ),
        (
            "plain tcp 80",
            eth(
                MAC_OUT_B,
                MAC_OUT_A,
                0x0800,
                &ip4(OUT4_A, OUT4_B, 6, &tcp(40012, 80)),
            ),
        ),
        (
            "plain ip6 tcp 80",
            eth(
                MAC_OUT_B,
                MAC_OUT_A,
                0x86dd,
                &ip6(OUT6_A, OUT6_B, 6, &tcp(40013, 80)),
            ),
        ),
        (
            "plain udp 53",
            eth(
                MAC_OUT_B,
                MAC_OUT_A,
                0x0800,
                &ip4(OUT4_A, OUT4_B, 17, &udp(40014, 53, b"q")),
            ),
        ),
        (
            "plain udp 4800",
            eth(
                MAC_OUT_B,
                MAC_OUT_A,
                0x0800,
                &ip4(OUT4_A, OUT4_B, 17, &udp(40015, 4800, &[0; 24])),
            ),
        ),
        (
            "arp",
            eth(
                [0xff; 6],
                MAC_OUT_A,
                0x0806,
                &[
                    0, 1, 8, 0, 6, 4, 0, 1, 2, 0, 0, 0, 0, 0xa, 10, 1, 0, 1, 0, 0, 0, 0, 0, 0, 10,
                    1, 0, 2,
                ],
            ),
        ),
    ]
}

/// bpfcap expressions and tshark display filters that keep the same
/// packets of [`frames`]; a tunnel in tshark's words is one of the
/// protocols `inner(...)` decodes.
pub const FILTERS: &[(&str, &str)] = &[
    (
        "vxlan 42 and inner(tcp port 80)",
        "vxlan.vni == 42 && tcp.port == 80",
    ),
    (
        "vxlan 43 and inner(tcp port 443)",
        "vxlan.vni == 43 && tcp.port == 443",
    ),
    ("vxlan", "vxlan"),
    ("vxlan 42", "vxlan.vni == 42"),
    ("vxlan and tcp port 443", "vxlan && tcp.port == 443"),
    (
        "vxlan 42 and inner(ip6)",
        "vxlan.vni == 42 && ipv6.dst == fd02::2",
    ),
    (
        "inner(tcp port 80)",
        "tcp.port == 80 && !(vxlan.vni == 44) && (vxlan || geneve || gre || ip.proto == 4 || ip.proto == 41 || ipv6.nxt == 4 || ipv6.nxt == 41)",
    ),
    ("inner(udp port 53)", "udp.port == 53 && (vxlan || gre)"),
    ("inner(host 10.2.0.2)", "ip.addr == 10.2.0.2"),
    (
        "inner(ip6 host fd02::2 and tcp port 80)",
        "ipv6.addr == fd02::2 && tcp.port == 80",
    ),
    (
        "inner(ether host 02:00:00:00:02:03)",
        "eth.addr == 02:00:00:00:02:03",
    ),
    (
        "inner(ether src 02:00:00:00:02:02 and tcp)",
        "eth.src == 02:00:00:00:02:02 && tcp && !(vxlan.vni == 44)",
    ),
    ("geneve and inner(tcp port 80)", "geneve && tcp.port == 80"),
    (
        "inner(tcp port 443) and ip6",
        "tcp.port == 443 && geneve && ipv6",
    ),
    (
        "inner(tcp port 80) and ip proto 47",
        "gre && ip.proto == 47 && tcp.port == 80 && !vxlan",
    ),
    (
        "ip6 proto 47 and inner(ip6 and tcp dst port 80)",
        "ipv6.nxt == 47 && tcp.dstport == 80",
    ),
    ("inner(inner(tcp port 8080))", "tcp.port == 8080"),
    ("vxlan 44 and inner(inner(tcp))", "vxlan.vni == 44"),
    (
        "not inner(tcp)",
        "!(tcp && (vxlan || geneve || gre || ip.proto == 4 || ip.proto == 41 || ipv6.nxt == 4 || ipv6.nxt == 41)) || vxlan.vni == 44",
    ),
    (
        "inner(ip) or inner(ip6)",
        "vxlan || geneve || gre || ip.proto == 4 || ip.proto == 41 || ipv6.nxt == 4 || ipv6.nxt == 41",
    ),
    ("inner(vlan)", "vlan"),
    (
        "tcp port 80",
        "tcp.port == 80 && !(vxlan || geneve || gre || ip.proto == 4 || ip.proto == 41 || ipv6.nxt == 4 || ipv6.nxt == 41)",
    ),
];

/// A classic pcap file (Ethernet, microsecond stamps) of `frames`.
pub fn pcap(frames: &[Vec<u8>]) -> Vec<u8> {
    let mut out = Vec::new();
    // Magic, version 2.4 (two little-endian u16s), zone, sigfigs,
    // snaplen, Ethernet.
    for v in [0xa1b2_c3d4u32, 0x0004_0002, 0, 0, 65535, 1] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    for (i, f) in frames.iter().enumerate() {
        let len = f.len() as u32;
        for v in [1_700_000_000 + i as u32, 0, len, len] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(f);
    }
    out
}

const UDP: u8 = 17;
const MAC_OUT_A: [u8; 6] = [2, 0, 0, 0, 0, 0xa];
const MAC_OUT_B: [u8; 6] = [2, 0, 0, 0, 0, 0xb];
const MAC_IN_A: [u8; 6] = [2, 0, 0, 0, 2, 2];
const MAC_IN_B: [u8; 6] = [2, 0, 0, 0, 2, 3];
const MAC_IN_C: [u8; 6] = [2, 0, 0, 0, 2, 4];
const MAC_IN_D: [u8; 6] = [2, 0, 0, 0, 2, 5];
const GRE: u8 = 47;
const OUT4_A: [u8; 4] = [10, 1, 0, 1];
const OUT4_B: [u8; 4] = [10, 1, 0, 2];
const IN4_A: [u8; 4] = [10, 2, 0, 1];
const IN4_B: [u8; 4] = [10, 2, 0, 2];
const IN4_C: [u8; 4] = [10, 2, 0, 53];
const IN4_D: [u8; 4] = [10, 3, 0, 1];
const IN4_E: [u8; 4] = [10, 3, 0, 2];
const IN4_F: [u8; 4] = [10, 4, 0, 1];
const IN4_G: [u8; 4] = [10, 4, 0, 2];
const OUT6_A: u128 = 0xfd01_0000_0000_0000_0000_0000_0000_0001;
const OUT6_B: u128 = 0xfd01_0000_0000_0000_0000_0000_0000_0002;
const IN6_A: u128 = 0xfd02_0000_0000_0000_0000_0000_0000_0001;
const IN6_B: u128 = 0xfd02_0000_0000_0000_0000_0000_0000_0002;

fn outer4(proto: u8, payload: &[u8]) -> Vec<u8> {
    eth(
        MAC_OUT_B,
        MAC_OUT_A,
        0x0800,
        &ip4(OUT4_A, OUT4_B, proto, payload),
    )
}

fn outer6(next: u8, payload: &[u8]) -> Vec<u8> {
    eth(
        MAC_OUT_B,
        MAC_OUT_A,
        0x86dd,
        &ip6(OUT6_A, OUT6_B, next, payload),
    )
}

fn eth(dst: [u8; 6], src: [u8; 6], ethertype: u16, payload: &[u8]) -> Vec<u8> {
    let mut f = [dst, src].concat();
    f.extend_from_slice(&ethertype.to_be_bytes());
    f.extend_from_slice(payload);
    f
}

fn ip4(src: [u8; 4], dst: [u8; 4], proto: u8, payload: &[u8]) -> Vec<u8> {
    let mut h = vec![0x45, 0];
    h.extend_from_slice(&((20 + payload.len()) as u16).to_be_bytes());
    h.extend_from_slice(&[0, 1, 0, 0, 64, proto, 0, 0]);
    h.extend_from_slice(&src);
    h.extend_from_slice(&dst);
    let sum = h
        .chunks(2)
        .map(|w| u32::from(u16::from_be_bytes([w[0], w[1]])))
        .sum::<u32>();
    let sum = (sum & 0xffff) + (sum >> 16);
    h[10..12].copy_from_slice(&(!((sum & 0xffff) + (sum >> 16)) as u16).to_be_bytes());
    h.extend_from_slice(payload);
    h
}

fn ip6(src: u128, dst: u128, next: u8, payload: &[u8]) -> Vec<u8> {
    let mut h = vec![0x60, 0, 0, 0];
    h.extend_from_slice(&(payload.len() as u16).to_be_bytes());
    h.extend_from_slice(&[next, 64]);
    h.extend_from_slice(&src.to_be_bytes());
    h.extend_from_slice(&dst.to_be_bytes());
    h.extend_from_slice(payload);
    h
}

/// UDP without a checksum.
fn udp(sport: u16, dport: u16, payload: &[u8]) -> Vec<u8> {
    let mut h = Vec::new();
    h.extend_from_slice(&sport.to_be_bytes());
    h.extend_from_slice(&dport.to_be_bytes());
    h.extend_from_slice(&((8 + payload.len()) as u16).to_be_bytes());
    h.extend_from_slice(&[0, 0]);
    h.extend_from_slice(payload);
    h
}

/// A TCP SYN.
fn tcp(sport: u16, dport: u16) -> Vec<u8> {
    let mut h = Vec::new();
    h.extend_from_slice(&sport.to_be_bytes());
    h.extend_from_slice(&dport.to_be_bytes());
    h.extend_from_slice(&[0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x02, 0xff, 0xff, 0, 0, 0, 0]);
    h
}

fn vxlan(vni: u32, frame: &[u8]) -> Vec<u8> {
    let mut h = vec![0x08, 0, 0, 0];
    h.extend_from_slice(&(vni << 8).to_be_bytes());
    h.extend_from_slice(frame);
    h
}

/// Geneve version 0 with `opt_len` bytes of one option (class 0x0101).
fn geneve(vni: u32, opt_len: usize, proto: u16, payload: &[u8]) -> Vec<u8> {
    let mut h = vec![(opt_len / 4) as u8, 0];
    h.extend_from_slice(&proto.to_be_bytes());
    h.extend_from_slice(&(vni << 8).to_be_bytes());
    if opt_len > 0 {
        h.extend_from_slice(&[1, 1, 0x80, (opt_len / 4 - 1) as u8]);
        h.resize(8 + opt_len, 0xee);
    }
    h.extend_from_slice(payload);
    h
}

/// GRE version 0 with the optional fields asked for.
fn gre(csum: bool, key: Option<u32>, seq: Option<u32>, proto: u16, payload: &[u8]) -> Vec<u8> {
    let mut flags = 0u16;
    if csum {
        flags |= 0x8000;
    }
    if key.is_some() {
        flags |= 0x2000;
    }
    if seq.is_some() {
        flags |= 0x1000;
    }
    let mut h = flags.to_be_bytes().to_vec();
    h.extend_from_slice(&proto.to_be_bytes());
    let checksum_at = h.len();
    if csum {
        h.extend_from_slice(&[0; 4]);
    }
    for v in [key, seq].into_iter().flatten() {
        h.extend_from_slice(&v.to_be_bytes());
    }
    h.extend_from_slice(payload);
    if csum {
        let mut bytes = h.clone();
        if bytes.len() % 2 == 1 {
            bytes.push(0);
        }
        let mut sum: u32 = bytes
            .chunks(2)
            .map(|w| u32::from(u16::from_be_bytes([w[0], w[1]])))
            .sum();
        while sum > 0xffff {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        h[checksum_at..checksum_at + 2].copy_from_slice(&(!(sum as u16)).to_be_bytes());
    }
    h
}
