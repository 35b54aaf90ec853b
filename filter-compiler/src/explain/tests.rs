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

/// The brief's example: each field by name, the value found, and the
/// primitive as written.
#[test]
fn tcp_port_names_each_field() {
    let pkt = ether(0x0800, &ipv4(6, &tcp(51234, 443)));
    assert_eq!(
        explain("tcp dst port 80", &pkt),
        "no match (returns 0)\n  tcp dst port 80: ether proto 0x0800 ≠ 0x86dd ✗ → \
         ether proto 0x0800 ✓ → ip proto 6 ✓ → ip fragment offset 0 ✓ → \
         tcp dst port 443 ≠ 80 ✗\n"
    );
    assert!(explain("ip and tcp dst port 443", &pkt).starts_with("match (returns 262144)\n  ip: "));
}

/// A load past the captured bytes rejects, and says so.
#[test]
fn short_packets_say_where() {
    let pkt = ether(0x0800, &ipv4(6, &tcp(51234, 443)));
    let why = explain("tcp dst port 443", &pkt[..36]);
    assert!(
        why.ends_with("tcp dst port: packet too short (needs 38 bytes, 36 captured) ✗\n"),
        "{why}"
    );
}

/// Tracing changes nothing in the graph: the explained program is the
/// one compiled (unoptimized).
#[test]
fn tracing_leaves_the_graph_as_it_was() {
    let list = include_str!("../../../conformance/expressions.txt");
    let opts = CompileOptions::new(LinkType::EN10MB);
    for expr in list
        .lines()
        .chain(["port 1 or port 2 or 3", "not (tcp or udp port 9)"])
    {
        let Ok(ast) = parse::parse(expr) else {
            continue;
        };
        let Ok(plain) = lower::lower(ast.as_ref(), &opts) else {
            continue;
        };
        let mut origins = Some(Origins::default());
        let traced = lower::lower_traced(ast.as_ref(), &opts, &mut origins).unwrap();
        assert_eq!(plain.cfg.nodes(), traced.cfg.nodes(), "{expr}");
        assert_eq!(plain.cfg.root(), traced.cfg.root(), "{expr}");
    }
}

/// A set membership is refused with a clear error, not explained wrongly
/// (the walk cannot decide one).
#[test]
fn set_memberships_are_refused() {
    let mut opts = CompileOptions::new(LinkType::EN10MB);
    let set = crate::Set::parse("10.0.0.1\n10.0.0.2\n").unwrap();
    opts.sets.insert("bad", set);
    let err = Explainer::new("tcp and host @bad", &opts).err().unwrap();
    assert!(err.to_string().contains("set memberships"), "{err}");
}

/// Under protocol semantics the header walk is one step naming the
/// headers found (a VLAN tag with its id here), and the primitives'
/// steps name the walk's variables, not `offsetN`.
#[test]
fn protocol_semantics_summarise_the_header_walk() {
    let opts = CompileOptions {
        semantics: crate::Semantics::Protocol,
        ..CompileOptions::new(LinkType::EN10MB)
    };
    let mut ex = Explainer::new("tcp port 80", &opts).unwrap();
    let mut tagged = vec![0x01, 0x2c];
    tagged.extend(0x0800u16.to_be_bytes());
    tagged.extend(ipv4(6, &tcp(40000, 80)));
    let pkt = ether(0x8100, &tagged);
    let why = ex.explain(&pkt, pkt.len() as u32, Answers::default());
    assert_eq!(
        why.render(Symbols::Unicode),
        "match (returns 262144)\n  headers: ether → vlan 300 → ip at 18 → tcp at 38\n  \
         tcp port 80: transport proto 6 ✓ → fragment offset 0 ✓ → \
         tcp src port 40000 ≠ 80 ✗ → tcp dst port 80 ✓\n"
    );
    assert_eq!(why.steps[0].headers.as_ref().map(Vec::len), Some(4));
}
