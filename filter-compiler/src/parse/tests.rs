//! Parser tests: structure, libpcap's quirks, errors with positions.

use super::*;
use proptest::prelude::*;

fn p(s: &str) -> Expr<'_> {
    parse(s)
        .unwrap_or_else(|e| panic!("{}", e.render(s)))
        .unwrap()
}

fn err(s: &str) -> Error {
    parse(s).unwrap_err()
}

fn q(proto: Option<Proto>, dir: Option<Dir>, kind: Option<Kind>) -> Quals {
    Quals { proto, dir, kind }
}

fn quals_of<'a>(e: &Expr<'a>) -> Vec<(Quals, Id<'a>)> {
    match e {
        Expr::And(ab) | Expr::Or(ab) => {
            let mut v = quals_of(&ab.0);
            v.extend(quals_of(&ab.1));
            v
        }
        Expr::Not(a) => quals_of(a),
        Expr::Prim(Prim::Qualified { quals, id }, _) => vec![(*quals, id.clone())],
        Expr::Prim(..) => vec![],
    }
}

#[test]
fn empty_accepts_all() {
    assert_eq!(parse("").unwrap(), None);
    assert_eq!(parse("  \t\n").unwrap(), None);
}

#[test]
fn and_or_are_left_associative_with_equal_precedence() {
    let e = p("tcp or udp and icmp");
    let Expr::And(ab) = &e else { panic!("{e:?}") };
    assert!(matches!(ab.0, Expr::Or(..)));
    let e = p("not tcp and udp");
    let Expr::And(ab) = &e else { panic!("{e:?}") };
    assert!(matches!(ab.0, Expr::Not(_)));
}

#[test]
fn ids_inherit_qualifiers() {
    let tp = q(Some(Proto::Tcp), None, Some(Kind::Port));
    assert_eq!(
        quals_of(&p("tcp port ftp or ftp-data")),
        vec![(tp, Id::Name("ftp")), (tp, Id::Name("ftp-data"))]
    );
    let h = q(None, None, Some(Kind::Host));
    assert_eq!(quals_of(&p("host 1.2.3.4 and not 5.6.7.8")).len(), 2);
    assert_eq!(quals_of(&p("host (1 or 2)"))[1], (h, Id::Num(2)));
    // After a parenthesised expression: the qualifiers before it.
    let v = quals_of(&p("tcp port 80 or (udp) or 53"));
    assert_eq!(v[1], (tp, Id::Num(53)));
    assert_eq!(
        quals_of(&p("src or dst host x"))[0].0.dir,
        Some(Dir::SrcOrDst)
    );
    assert_eq!(
        quals_of(&p("ether src and dst 00:11:22:33:44:55"))[0].0.dir,
        Some(Dir::SrcAndDst)
    );
}

#[test]
fn nothing_to_inherit_is_an_error() {
    assert!(parse("tcp or 80").is_err());
    assert!(parse("ip[0] = 1 or 2").is_err());
    assert!(parse("10.0.0.1").is_err());
}

#[test]
fn arithmetic_precedence_like_yacc() {
    let Expr::Prim(Prim::Relation { lhs, .. }, _) = &p("ip[0] % 3 + 1 = 2") else {
        panic!()
    };
    assert!(
        matches!(*lhs, Arith::Bin(ArithOp::Mod, _, ref r) if matches!(**r, Arith::Bin(ArithOp::Add, ..)))
    );
    let Expr::Prim(Prim::Relation { lhs, .. }, _) = &p("ip[0] - 1 - 1 = 0") else {
        panic!()
    };
    assert!(
        matches!(*lhs, Arith::Bin(ArithOp::Sub, ref l, _) if matches!(**l, Arith::Bin(ArithOp::Sub, ..)))
    );
    let Expr::Prim(Prim::Relation { lhs, .. }, _) = &p("1 + 2 * 3 = 7") else {
        panic!()
    };
    assert!(matches!(*lhs, Arith::Bin(ArithOp::Add, ..)));
    let Expr::Prim(Prim::Relation { lhs, .. }, _) = &p("1 | 2 & 3 = 7") else {
        panic!()
    };
    assert!(matches!(*lhs, Arith::Bin(ArithOp::Or, ..)));
    p("(ip[0] + 1) * 2 = 4");
    p("((ip[0] = 1))");
    p("-ip[0] = 1");
    p("tcp[tcpflags] & (tcp-syn|tcp-ack) != 0");
}

#[test]
fn primitives() {
    for s in [
        "vlan",
        "vlan 10 and mpls (3)",
        "less 100",
        "greater 100",
        "byte 0 & 1",
        "pppoes 3",
        "geneve",
        "vxlan",
        "vxlan 42",
        "vxlan (42) and inner(tcp port 80)",
        "inner (not udp) or inner(inner(ip6))",
        "host inner",
        "host vxlan or vxlan",
        "tcp and vxlan 7 and not vxlan or (not (vxlan 3))",
        "llc",
        "llc u",
        "llc rnr",
        "llc ui",
        "wlan type data subtype qos-data",
        "type mgt subtype beacon",
        "subtype ack",
        "dir tods",
        "wlan addr1 00:11:22:33:44:55",
        "ether broadcast",
        "multicast",
        "ip proto \\tcp",
        "ip6 protochain 17",
        "ether proto \\arp",
        "net 10.0.0.0/8",
        "net 10.0.0.0 mask 255.0.0.0",
        "host 2001:db8::1",
        "net 2001:db8::/32",
        "gateway foo",
        "portrange 1-100",
        "vpi 1",
        "vci > 32",
        "sio (1 or 2)",
        "fisu",
        "lane",
        "on eth0",
        "action pass",
        "reason 3",
        "inbound",
        "ifindex 3",
        "icmp6[icmp6type] = icmp6-echo",
    ] {
        p(s);
    }
}

#[test]
fn errors_have_positions() {
    let e = err("tcp port http x");
    assert_eq!(e.kind, ErrorKind::Syntax);
    assert_eq!(e.span.start, 14);
    let e = err("tcp port");
    assert_eq!(e.span, 8..8);
    assert!(e.message.contains("end of expression"), "{}", e.message);
    assert_eq!(err("port 80 443").span.start, 8);
    assert_eq!(err("ip[0:3] = 1").message, "data size must be 1, 2, or 4");
    assert_eq!(err("dir sideways").message, "unknown 802.11 direction");
    assert_eq!(err("action match").message, "unknown PF action \"match\"");
    assert_eq!(
        err("port 1.2.3.4").message,
        "'port' modifier applied to IP address"
    );
    for s in [
        "and",
        "tcp and",
        "tcp or or udp",
        "ip[",
        "less -1",
        "\\tcp",
        "oamf4s",
        "vxlan 1 2",
        "inner()",
        "inner(tcp",
        "(",
        ")",
        "tcp)",
        "host",
    ] {
        assert_eq!(err(s).kind, ErrorKind::Syntax, "{s}");
    }
}

#[test]
fn deep_nesting_is_refused_not_a_crash() {
    let s = format!("{}tcp{}", "(".repeat(5000), ")".repeat(5000));
    assert!(parse(&s).is_err());
    let s = format!("{}tcp", "not ".repeat(5000));
    assert!(parse(&s).is_err());
    let s = format!("{}1{} = 1", "(".repeat(5000), ")".repeat(5000));
    assert!(parse(&s).is_err());
}

#[test]
fn long_flat_expressions_parse() {
    let s = (0..2000)
        .map(|i| format!("host 10.0.{}.{}", i / 256, i % 256))
        .collect::<Vec<_>>()
        .join(" or ");
    p(&s);
}

proptest! {
    #[test]
    fn never_panics_on_random_text(s in "\\PC{0,40}") {
        let _ = parse(&s);
    }

    #[test]
    fn never_panics_on_token_soup(words in proptest::collection::vec(prop::sample::select(vec![
        "host", "port", "tcp", "ip", "ip6", "and", "or", "not", "(", ")", "[", "]", ":", "1", "0x10",
        "10.0.0.1", "::1", "=", "!=", "<", ">", "+", "-", "*", "/", "%", "&", "|", "^", "<<", ">>",
        "src", "dst", "vlan", "len", "proto", "\\tcp", "ether", "00:11:22:33:44:55", "mask", "/",
        "type", "subtype", "data", "llc", "byte", "sio", "vpi", "mpls", "geneve", "net", "gateway", "vxlan", "inner",
    ]), 0..14)) {
        let s = words.join(" ");
        let _ = parse(&s);
    }
}

/// `type T [subtype S]` and `subtype S` by name and by number, and their
/// errors (message and position), from the one table of 802.11 types.
#[test]
fn wlan_types_and_subtypes() {
    let wlan = |s: &str| match p(s) {
        Expr::Prim(Prim::Wlan(w), _) => w,
        e => panic!("{s}: {e:?}"),
    };
    for (s, want) in [
        ("type mgt", Wlan::Type(0x00)),
        ("type Management", Wlan::Type(0x00)),
        ("type ctl", Wlan::Type(0x04)),
        ("type data", Wlan::Type(0x08)),
        ("type 12", Wlan::Type(0x0c)),
        ("type mgt subtype beacon", Wlan::TypeSubtype(0x80)),
        ("type ctl subtype CTS", Wlan::TypeSubtype(0xc4)),
        ("type data subtype qos-data", Wlan::TypeSubtype(0x88)),
        ("type data subtype 0x40", Wlan::TypeSubtype(0x48)),
        ("type 12 subtype 0xf0", Wlan::TypeSubtype(0xfc)),
        ("subtype ack", Wlan::TypeSubtype(0xd4)),
        ("subtype probe-req", Wlan::TypeSubtype(0x40)),
        ("subtype qos", Wlan::TypeSubtype(0xc8)),
    ] {
        assert_eq!(wlan(s), want, "{s}");
    }
    for (s, message, at) in [
        ("type 1", "invalid 802.11 type value 0x01", 5),
        ("type foo", "unknown 802.11 type name \"foo\"", 5),
        (
            "type data subtype 3",
            "invalid 802.11 subtype value 0x03",
            18,
        ),
        (
            "type data subtype beacon",
            "unknown 802.11 subtype name \"beacon\"",
            18,
        ),
        ("type 12 subtype ack", "unknown 802.11 type", 16),
        (
            "subtype nothing",
            "unknown 802.11 subtype name \"nothing\"",
            8,
        ),
    ] {
        let e = err(s);
        assert_eq!(
            (e.kind, e.message.as_str()),
            (ErrorKind::Value, message),
            "{s}"
        );
        assert_eq!(e.span.start, at, "{s}");
    }
    for s in ["type", "type mgt subtype", "type (", "subtype 3"] {
        assert_eq!(err(s).kind, ErrorKind::Syntax, "{s}");
    }
}
