//! The optimizer must not change what a filter accepts.
//!
//! Every expression is compiled with and without the optimizer and both
//! programs run on the same packets.  The packets are long (all the loads
//! these expressions make fall inside them), built from real protocol
//! headers with random fields, so that the tests in the programs go both
//! ways; on truncated packets the optimized program is allowed to differ
//! in libpcap's way (it drops tests whose outcome does not matter).

use filter_compiler::cbpf::interp;
use filter_compiler::{CompileOptions, LinkType, compile};
use proptest::prelude::*;

const EXPRESSIONS: &[&str] = &[
    "tcp port 80",
    "host 10.0.0.1 and (tcp port 443 or udp port 53)",
    "not host 10.0.0.1 and 10.0.0.2",
    "port 21 or port 22 or port 23 or port 25 or port 53 or port 67 or port 80 or port 110 or port 123 or port 137 or port 143 or port 161 or port 389 or port 443",
    "net 10.0.0.0/8 and not port 22",
    "ip[2:2] > 576",
    "tcp[tcpflags] & (tcp-syn|tcp-ack) == (tcp-syn|tcp-ack)",
    "vlan and tcp",
    "vlan 100 and ip6",
    "ip6 and tcp and ip6[53] & tcp-syn != 0",
    "icmp or arp or rarp",
    "ether host 00:11:22:33:44:55 or broadcast",
    "ip multicast and not ether multicast",
    "portrange 6000-6008 or udp port 514",
    "mpls and ip",
    "pppoes and ip",
    "len > 100 and len < 1000",
    "ip6 protochain 6",
    "geneve and tcp port 80",
    "ip[(ip[0] & 0xf) * 4 : 2] = 80",
    "llc or stp or ipx",
    "src net 192.168.0.0/16 and dst port 53",
    "tcp or udp and port 53",
    "ip6 net 2001:db8::/32 or ip6 multicast",
];

/// Headers to start packets from: Ethernet + IPv4/IPv6/ARP/VLAN/MPLS/PPPoE
/// with the interesting fields set from the random bytes.
fn packet(kind: u8, rnd: &[u8]) -> Vec<u8> {
    let mut p = rnd.to_vec();
    p.resize(1600, 0);
    let ethertype: &[u8] = match kind % 7 {
        0 => &[0x08, 0x00],
        1 => &[0x86, 0xdd],
        2 => &[0x08, 0x06],
        3 => &[0x81, 0x00],
        4 => &[0x88, 0x47],
        5 => &[0x88, 0x64],
        _ => &rnd[..2],
    };
    p[12..14].copy_from_slice(ethertype);
    match kind % 7 {
        0 => {
            p[14] = 0x45;
            p[20] &= 0x1f; // mostly not fragments
            p[23] = [6, 17, 1, 132, 50][rnd[3] as usize % 5];
            // Ports from a small set so that port tests hit.
            let ports = [21u16, 22, 53, 80, 443, 514, 6081, 6003, 9999];
            p[34..36].copy_from_slice(&ports[rnd[4] as usize % ports.len()].to_be_bytes());
            p[36..38].copy_from_slice(&ports[rnd[5] as usize % ports.len()].to_be_bytes());
            if rnd[6] & 1 == 0 {
                p[26..30].copy_from_slice(&[10, 0, 0, 1 + rnd[7] % 2]);
            }
        }
        1 => {
            p[14] = 0x60;
            p[20] = [6, 17, 58, 44, 0][rnd[3] as usize % 5];
            p[54..56].copy_from_slice(&[0, 80]);
        }
        3 => {
            p[16..18].copy_from_slice(&[0x08, 0x00]);
            p[18] = 0x45;
            p[27] = 6;
        }
        _ => {}
    }
    p
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    #[test]
    fn optimized_and_unoptimized_agree(kind in 0u8..7, rnd in proptest::collection::vec(any::<u8>(), 64)) {
        let pkt = packet(kind, &rnd);
        for expr in EXPRESSIONS {
            let mut opts = CompileOptions::new(LinkType::EN10MB);
            let fast = compile(expr, &opts).unwrap();
            opts.optimize = false;
            let slow = compile(expr, &opts).unwrap();
            let a = interp::run(&fast, &pkt, pkt.len() as u32);
            let b = interp::run(&slow, &pkt, pkt.len() as u32);
            prop_assert_eq!(a, b, "{} on kind {}", expr, kind);
        }
    }
}

#[test]
fn optimizer_shrinks_programs() {
    let opts = CompileOptions::new(LinkType::EN10MB);
    let mut unopt = opts.clone();
    unopt.optimize = false;
    for expr in EXPRESSIONS {
        let a = compile(expr, &opts).unwrap().insns().len();
        let b = compile(expr, &unopt).unwrap().insns().len();
        assert!(a <= b, "{expr}: optimized {a} > unoptimized {b}");
    }
}
