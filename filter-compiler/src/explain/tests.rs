use super::*;
use crate::LinkType;

/// An Ethernet frame: `ethertype` then `payload`.
fn ether(ethertype: u16, payload: &[u8]) -> Vec<u8> {
    let mut f = vec![0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 2];
    f.extend(ethertype.to_be_bytes());
    f.extend(payload);
    f
}

/// An IPv4 header (20 bytes) of protocol `proto`, then `payload`.
fn ipv4(proto: u8, payload: &[u8]) -> Vec<u8> {
    let len = (20 + payload.len()) as u16;
    let mut p = vec![0x45, 0];
    p.extend(len.to_be_bytes());
    p.extend([0, 1, 0x40, 0, 64, proto, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2]);
    p.extend(payload);
    p
}

/// A TCP header from `sport` to `dport` with SYN set.
fn tcp(sport: u16, dport: u16) -> Vec<u8> {
    let mut t = Vec::new();
    t.extend(sport.to_be_bytes());
    t.extend(dport.to_be_bytes());
    t.extend([0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x02, 0xff, 0xff, 0, 0, 0, 0]);
    t
}

fn explain(expr: &str, pkt: &[u8]) -> String {
    let mut ex = Explainer::new(expr, &CompileOptions::new(LinkType::EN10MB)).unwrap();
    ex.explain(pkt, pkt.len() as u32, Answers::default())
        .render(Symbols::Unicode)
}

#[test]
fn tcp_port_names_each_field() {
    let pkt = ether(0x0800, &ipv4(6, &tcp(51234, 443)));
    println!("{}", explain("tcp port 80", &pkt));
    println!("{}", explain("ip and tcp dst port 443", &pkt));
    println!("{}", explain("tcp[13] & 2 != 0 and len > 50", &pkt));
    println!("{}", explain("not host 10.0.0.1 or udp", &pkt));
    println!("{}", explain("tcp dst port 443", &pkt[..36]));
    println!("{}", explain("port 1 or port 2 or port 443", &pkt));
    println!("{}", explain("ip6 and tcp port 80", &pkt));
    println!("{}", explain("vlan and tcp port 80", &pkt));
}
