//! Places where libpcap's behaviour is surprising but is what the
//! verdicts are measured against, so bpfcap does the same.

use bpfcap_filter::cbpf::interp;
use bpfcap_filter::{CompileOptions, ErrorKind, LinkType, compile};

fn ether(expr: &str) -> Result<bpfcap_filter::Program, bpfcap_filter::Error> {
    compile(expr, &CompileOptions::new(LinkType::EN10MB))
}

#[test]
fn divisor_checks_look_at_the_first_constant_of_the_right_operand() {
    for (expr, why) in [
        ("len / ip[0] = 0", "division by zero"),
        ("len / (0 + len) = 0", "division by zero"),
        ("len % udp[0:2] = 0", "modulus by zero"),
    ] {
        assert_eq!(ether(expr).unwrap_err().message, why, "{expr}");
    }
    for expr in [
        "len >> (40 - 10) = 0",
        "len >> ip[32] = 0",
        "len << (16 + 16) = 0",
    ] {
        assert_eq!(
            ether(expr).unwrap_err().message,
            "shift by more than 31 bits",
            "{expr}"
        );
    }
    assert!(ether("len / ip[1] = 0").is_ok());
}

/// libpcap's optimizer folds a shift of two constants to 0 (no error), but
/// refuses a shift of a packet value by a constant over 31 and any
/// constant division by zero.
#[test]
fn folded_shifts_of_constants_are_not_refused() {
    assert!(ether("240 >> (6 ^ 0 | 0xffff) = ip[40]").is_ok());
    assert_eq!(
        ether("ip[0] >> (1 + 31) = 0").unwrap_err().message,
        "shift by more than 31 bits"
    );
    assert_eq!(
        ether("15 % (3 ^ 3) > ip[1]").unwrap_err().message,
        "modulus by zero"
    );
}

/// `0 / X`, `0 % X`, `0 * X`, `0 & X` and shifts of 0 are 0 without
/// computing X, as in libpcap's optimizer: a zero divisor or a packet too
/// short for X does not reject.
#[test]
fn zero_left_operands_fold_to_zero() {
    let prog = ether("0 % tcp[23:2] = 0").unwrap();
    assert_eq!(prog.insns().len(), 1);
    assert_ne!(interp::run(&prog, &[0u8; 14], 14), 0);
    assert_eq!(
        ether("((tcp-fin / 0x45) % tcp[23:2]) == 17")
            .unwrap_err()
            .kind,
        ErrorKind::RejectsAll
    );
}

#[test]
fn the_right_operand_loses_its_protocol_test() {
    // `ip[20]` alone would need IPv4; as a right operand it does not, so
    // an ARP frame with a non-zero byte 34 matches.
    let prog = ether("len / ip[20] >= 0").unwrap();
    let mut arp = vec![0u8; 60];
    arp[12..14].copy_from_slice(&[0x08, 0x06]);
    arp[34] = 1;
    assert_ne!(interp::run(&prog, &arp, 60), 0);
    // ... and a zero divisor still rejects, even though `>= 0` always holds.
    arp[34] = 0;
    assert_eq!(interp::run(&prog, &arp, 60), 0);
}

#[test]
fn contradictions_through_accessors_compile() {
    // libpcap's optimizer does not see through `proto[k]`.
    assert!(ether("vlan and ether[12:2] = 0x0800").is_ok());
    assert!(compile("ip[0] & 0xf0 = 0x60", &CompileOptions::new(LinkType::RAW)).is_ok());
    // It does see the same test twice.
    assert_eq!(
        ether("tcp and udp").unwrap_err().kind,
        ErrorKind::RejectsAll
    );
}

#[test]
fn lenient_numbers() {
    // sscanf("%d-%d") reads `1-0xffff` as 1-0; sscanf("%u.%u") ignores
    // anything after two parts of a DECnet address.
    assert!(ether("portrange 1-0xffff").is_ok());
    assert!(ether("decnet host 1.2.3").is_ok());
}

/// An Ethernet + IPv4 frame with the given source and destination
/// addresses and ports (as TCP), 60 bytes long.
fn ipv4_tcp(src: [u8; 4], dst: [u8; 4], sport: u16, dport: u16) -> Vec<u8> {
    let mut p = vec![0u8; 60];
    p[12..14].copy_from_slice(&[0x08, 0x00]);
    p[14] = 0x45;
    p[23] = 6;
    p[26..30].copy_from_slice(&src);
    p[30..34].copy_from_slice(&dst);
    p[34..36].copy_from_slice(&sport.to_be_bytes());
    p[36..38].copy_from_slice(&dport.to_be_bytes());
    p
}

/// Offsets of the absolute word/half-word/byte loads, in program order.
fn absolute_loads(prog: &bpfcap_filter::Program) -> Vec<u32> {
    prog.insns()
        .iter()
        .filter(|i| matches!(i.code, 0x20 | 0x28 | 0x30))
        .map(|i| i.k)
        .collect()
}

#[test]
fn alternatives_are_grouped_by_the_value_they_test() {
    // libpcap's or_pullup: `host A or B` tests both sources, then both
    // destinations — not src A, dst A, src B, dst B.
    let prog = ether("host 10.0.0.1 or 10.0.0.2").unwrap();
    let loads = absolute_loads(&prog);
    assert_eq!(loads, [12, 26, 30, 28, 38], "{loads:?}");

    // So a frame cut inside the destination address is accepted when its
    // source is the second host (tested before the destination is read),
    // and rejected otherwise.
    let pkt = ipv4_tcp([10, 0, 0, 2], [10, 0, 0, 9], 1, 2);
    assert_ne!(interp::run(&prog, &pkt[..32], 60), 0);
    let pkt = ipv4_tcp([10, 0, 0, 3], [10, 0, 0, 2], 1, 2);
    assert_eq!(interp::run(&prog, &pkt[..32], 60), 0);
    // Whole frames are unaffected.
    assert_ne!(interp::run(&prog, &pkt, 60), 0);
}

#[test]
fn port_alternatives_test_every_source_port_first() {
    for expr in ["tcp port 80 or 443", "port 443 or port 22"] {
        let prog = ether(expr).unwrap();
        let pkt = ipv4_tcp([1, 1, 1, 1], [2, 2, 2, 2], 443, 80);
        // Cut inside the destination port: the source port matched first.
        assert_ne!(interp::run(&prog, &pkt[..37], 60), 0, "{expr}");
        let pkt = ipv4_tcp([1, 1, 1, 1], [2, 2, 2, 2], 1000, 443);
        assert_eq!(interp::run(&prog, &pkt[..37], 60), 0, "{expr}");
        assert_ne!(interp::run(&prog, &pkt, 60), 0, "{expr}");
    }
}

#[test]
fn negated_alternatives_are_grouped_too() {
    // `(host A or host B) and not (tcp or icmp)`: the host tests are
    // grouped the same way inside a conjunction.
    let prog = ether("(host 10.0.0.1 or host 10.0.0.2) and not (tcp or icmp)").unwrap();
    let mut pkt = ipv4_tcp([10, 0, 0, 2], [10, 0, 0, 9], 1, 2);
    pkt[23] = 17;
    // The protocol byte comes before the addresses; the cut is in the
    // destination address.
    assert_ne!(interp::run(&prog, &pkt[..32], 60), 0);
}

#[test]
fn many_alternatives_become_one_tree_per_value() {
    // After grouping, `port 1 or ... or port 200` makes a tree on the
    // source port, then one on the destination port, and a frame cut
    // inside the destination port still matches on its source port.
    let expr = (1..=200)
        .map(|p| format!("port {p}"))
        .collect::<Vec<_>>()
        .join(" or ");
    let prog = ether(&expr).unwrap();
    // `jgt` splits: the chains became search trees.
    assert!(prog.insns().iter().filter(|i| i.code == 0x25).count() > 50);
    for port in [1u16, 77, 200] {
        let pkt = ipv4_tcp([1, 1, 1, 1], [2, 2, 2, 2], port, 9999);
        assert_ne!(interp::run(&prog, &pkt[..37], 60), 0, "port {port}");
        let pkt = ipv4_tcp([1, 1, 1, 1], [2, 2, 2, 2], 9999, port);
        assert_eq!(interp::run(&prog, &pkt[..37], 60), 0, "port {port}");
        assert_ne!(interp::run(&prog, &pkt, 60), 0, "port {port}");
    }
    let pkt = ipv4_tcp([1, 1, 1, 1], [2, 2, 2, 2], 201, 9999);
    assert_eq!(interp::run(&prog, &pkt, 60), 0);
}
