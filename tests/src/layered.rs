//! A capture built for `--semantics protocol` (issue 13): the same few
//! transport headers behind the encapsulations libpcap's fixed offsets
//! miss — 802.1Q and QinQ tags, a three-label MPLS stack, IPv6 extension
//! headers (hop-by-hop, routing, destination options, fragment, AH) —
//! and first and later fragments, for tests that compare bpfcap's verdicts
//! with an independent decoder's (tshark) over the same file.
//!
//! The packets are made here, byte by byte, so the capture is small and
//! reproducible: [`write_pcap`] writes it.

use std::path::Path;

const TCP: u8 = 6;
const UDP: u8 = 17;
const SYN: u8 = 0x02;
const ACK: u8 = 0x10;

/// IPv4 addresses the packets use (`host` tests ask for the first).
pub const V4: [[u8; 4]; 2] = [[10, 0, 0, 1], [10, 0, 0, 2]];
/// IPv6 addresses the packets use: 2001:db8::1 and 2001:db8::2.
pub const V6: [[u8; 16]; 2] = [v6(1), v6(2)];

const fn v6(last: u8) -> [u8; 16] {
    let mut a = [0; 16];
    a[0] = 0x20;
    a[1] = 0x01;
    a[2] = 0x0d;
    a[3] = 0xb8;
    a[15] = last;
    a
}

/// A TCP header (20 bytes) with these ports and flags.
fn tcp(src: u16, dst: u16, flags: u8) -> Vec<u8> {
    let mut h = Vec::with_capacity(20);
    h.extend(src.to_be_bytes());
    h.extend(dst.to_be_bytes());
    h.extend(1u32.to_be_bytes()); // sequence
    h.extend(0u32.to_be_bytes()); // acknowledgment
    h.extend([0x50, flags]);
    h.extend(8192u16.to_be_bytes());
    h.extend([0, 0, 0, 0]); // checksum (not checked), urgent
    h
}

/// A UDP header and 4 bytes of payload.
fn udp(src: u16, dst: u16) -> Vec<u8> {
    let mut h = Vec::with_capacity(12);
    h.extend(src.to_be_bytes());
    h.extend(dst.to_be_bytes());
    h.extend(12u16.to_be_bytes());
    h.extend([0, 0, 0xde, 0xad, 0xbe, 0xef]);
    h
}

/// An IPv4 header for `payload` (protocol `proto`, fragment offset in
/// 8-byte units, more-fragments flag), then the payload.
fn ipv4(proto: u8, frag: u16, more: bool, payload: &[u8]) -> Vec<u8> {
    let mut h = vec![0x45, 0];
    h.extend((20 + payload.len() as u16).to_be_bytes());
    h.extend(0x1234u16.to_be_bytes());
    h.extend((frag | if more { 0x2000 } else { 0 }).to_be_bytes());
    h.extend([64, proto, 0, 0]);
    h.extend(V4[0]);
    h.extend(V4[1]);
    let sum = checksum(&h);
    h[10..12].copy_from_slice(&sum.to_be_bytes());
    h.extend(payload);
    h
}

fn checksum(b: &[u8]) -> u16 {
    let mut s: u32 = b
        .chunks(2)
        .map(|c| u32::from(u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)])))
        .sum();
    while s > 0xffff {
        s = (s & 0xffff) + (s >> 16);
    }
    !(s as u16)
}

/// An IPv6 header whose next header is `next`, then `rest` (extension
/// headers and the transport header).
fn ipv6(next: u8, rest: &[u8]) -> Vec<u8> {
    let mut h = vec![0x60, 0, 0, 0];
    h.extend((rest.len() as u16).to_be_bytes());
    h.extend([next, 64]);
    h.extend(V6[0]);
    h.extend(V6[1]);
    h.extend(rest);
    h
}

/// An extension header of the generic layout (hop-by-hop, routing,
/// destination options): 8 bytes, the rest padding.
fn ext(next: u8) -> Vec<u8> {
    vec![next, 0, 1, 4, 0, 0, 0, 0]
}

/// A type 0 routing header with one address (24 bytes), segments left 0.
fn routing(next: u8) -> Vec<u8> {
    let mut h = vec![next, 2, 0, 0, 0, 0, 0, 0];
    h.extend(V6[1]);
    h
}

/// A fragment header: offset in 8-byte units, more-fragments flag.
fn fragment(next: u8, offset: u16, more: bool) -> Vec<u8> {
    let mut h = vec![next, 0];
    h.extend((offset << 3 | u16::from(more)).to_be_bytes());
    h.extend(0x0bad_cafe_u32.to_be_bytes());
    h
}

/// An authentication header with a 12-byte ICV (24 bytes).
fn ah(next: u8) -> Vec<u8> {
    let mut h = vec![next, 4, 0, 0];
    h.extend(0x100u32.to_be_bytes()); // SPI
    h.extend(1u32.to_be_bytes()); // sequence
    h.extend([0xa5; 12]);
    h
}

fn cat(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

/// An Ethernet frame: MACs, then `tags` (each a TPID and an id), then
/// the Ethernet type and the payload.
fn ether(tags: &[(u16, u16)], ethertype: u16, payload: &[u8]) -> Vec<u8> {
    let mut f = vec![0x00, 0x11, 0x22, 0x33, 0x44, 0x55];
    f.extend([0x00, 0x66, 0x77, 0x88, 0x99, 0xaa]);
    for &(tpid, id) in tags {
        f.extend(tpid.to_be_bytes());
        f.extend(id.to_be_bytes());
    }
    f.extend(ethertype.to_be_bytes());
    f.extend(payload);
    f
}

/// An MPLS stack of `labels` (the last one bottom of stack), then `payload`.
fn mpls(labels: &[u32], payload: &[u8]) -> Vec<u8> {
    let mut s = Vec::new();
    for (i, l) in labels.iter().enumerate() {
        let bos = u32::from(i + 1 == labels.len());
        s.extend((l << 12 | bos << 8 | 64).to_be_bytes());
    }
    s.extend(payload);
    s
}

const DOT1Q: u16 = 0x8100;
const QINQ: u16 = 0x88a8;
const IP: u16 = 0x0800;
const IP6: u16 = 0x86dd;

/// The capture's packets, each with a name saying what it is.
pub fn packets() -> Vec<(&'static str, Vec<u8>)> {
    let t80 = tcp(40000, 80, SYN);
    let v4t80 = ipv4(TCP, 0, false, &t80);
    let v6t80 = ipv6(TCP, &t80);
    // A later fragment whose first bytes look like ports 80 and 53.
    let tail = [
        0x00, 0x50, 0x00, 0x35, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
    ];
    vec![
        ("untagged ipv4 tcp 80", ether(&[], IP, &v4t80)),
        (
            "untagged ipv4 tcp 443",
            ether(&[], IP, &ipv4(TCP, 0, false, &tcp(40001, 443, SYN))),
        ),
        ("802.1q ipv4 tcp 80", ether(&[(DOT1Q, 100)], IP, &v4t80)),
        (
            "qinq ipv4 tcp from 80",
            ether(
                &[(QINQ, 200), (DOT1Q, 300)],
                IP,
                &ipv4(TCP, 0, false, &tcp(80, 40002, ACK)),
            ),
        ),
        (
            "mpls x3 ipv4 tcp 80",
            ether(&[], 0x8847, &mpls(&[16, 17, 18], &v4t80)),
        ),
        (
            "mpls x3 ipv6 udp 53",
            ether(
                &[],
                0x8847,
                &mpls(&[16, 17, 18], &ipv6(UDP, &udp(5353, 53))),
            ),
        ),
        (
            "802.1q mpls x3 ipv4 tcp 22",
            ether(
                &[(DOT1Q, 100)],
                0x8847,
                &mpls(&[20, 21, 22], &ipv4(TCP, 0, false, &tcp(40003, 22, SYN))),
            ),
        ),
        ("untagged ipv6 tcp 80", ether(&[], IP6, &v6t80)),
        (
            "ipv6 hop-by-hop routing dest-opts tcp 80",
            ether(
                &[],
                IP6,
                &ipv6(0, &cat(&[&ext(43), &routing(60), &ext(TCP), &t80])),
            ),
        ),
        (
            "ipv6 first fragment tcp 80",
            ether(&[], IP6, &ipv6(44, &cat(&[&fragment(TCP, 0, true), &t80]))),
        ),
        (
            "ipv6 later fragment of tcp",
            ether(
                &[],
                IP6,
                &ipv6(44, &cat(&[&fragment(TCP, 185, false), &tail])),
            ),
        ),
        (
            "ipv6 ah tcp 80",
            ether(&[], IP6, &ipv6(51, &cat(&[&ah(TCP), &t80]))),
        ),
        (
            "802.1q ipv6 dest-opts tcp 80 ack",
            ether(
                &[(DOT1Q, 101)],
                IP6,
                &ipv6(60, &cat(&[&ext(TCP), &tcp(40004, 80, ACK)])),
            ),
        ),
        (
            "ipv4 first fragment udp 53",
            ether(&[], IP, &ipv4(UDP, 0, true, &udp(5353, 53))),
        ),
        (
            "ipv4 later fragment of udp",
            ether(&[], IP, &ipv4(UDP, 185, false, &tail)),
        ),
        (
            "untagged ipv4 udp 53",
            ether(&[], IP, &ipv4(UDP, 0, false, &udp(53, 5353))),
        ),
        (
            "802.1q ipv6 udp 53",
            ether(&[(DOT1Q, 102)], IP6, &ipv6(UDP, &udp(5353, 53))),
        ),
        (
            "qinq ipv6 routing tcp 22",
            ether(
                &[(QINQ, 200), (DOT1Q, 301)],
                IP6,
                &ipv6(43, &cat(&[&routing(TCP), &tcp(40005, 22, SYN)])),
            ),
        ),
        (
            "802.1q arp",
            ether(&[(DOT1Q, 100)], 0x0806, &arp(V4[0], V4[1])),
        ),
        ("short frame", vec![0xff; 10]),
    ]
}

/// An ARP request from `spa` for `tpa`.
fn arp(spa: [u8; 4], tpa: [u8; 4]) -> Vec<u8> {
    let mut a = vec![0, 1, 8, 0, 6, 4, 0, 1];
    a.extend([0x00, 0x66, 0x77, 0x88, 0x99, 0xaa]);
    a.extend(spa);
    a.extend([0; 6]);
    a.extend(tpa);
    a
}

/// Writes [`packets`] as a classic pcap file (Ethernet, microseconds),
/// one packet a second.
pub fn write_pcap(path: &Path) -> std::io::Result<()> {
    // Magic, version 2.4, zone, accuracy, snapshot length, LINKTYPE_ETHERNET.
    let mut out = 0xa1b2_c3d4_u32.to_le_bytes().to_vec();
    out.extend(2u16.to_le_bytes());
    out.extend(4u16.to_le_bytes());
    for v in [0, 0, 65535, 1u32] {
        out.extend(v.to_le_bytes());
    }
    for (i, (_, p)) in packets().iter().enumerate() {
        let len = p.len() as u32;
        for v in [1_700_000_000 + i as u32, 0, len, len] {
            out.extend(v.to_le_bytes());
        }
        out.extend(p);
    }
    std::fs::write(path, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packets_are_distinct_and_the_file_is_small() {
        let p = packets();
        let mut data: Vec<_> = p.iter().map(|(_, d)| d).collect();
        data.sort();
        data.dedup();
        assert_eq!(data.len(), p.len());
        let path = std::env::temp_dir().join(format!("layered-{}.pcap", std::process::id()));
        write_pcap(&path).unwrap();
        let len = std::fs::metadata(&path).unwrap().len();
        std::fs::remove_file(&path).unwrap();
        assert!(len < 4096, "{len} bytes");
    }
}
