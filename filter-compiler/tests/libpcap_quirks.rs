//! Places where libpcap's behaviour is surprising but is what the
//! verdicts are measured against, so bpfcap does the same.

use filter_compiler::cbpf::interp;
use filter_compiler::{CompileOptions, ErrorKind, LinkType, compile};

fn ether(expr: &str) -> Result<filter_compiler::Program, filter_compiler::Error> {
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
