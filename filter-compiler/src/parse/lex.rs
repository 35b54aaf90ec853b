//! The tokenizer: pcap-filter text → tokens with byte spans.
//!
//! It follows libpcap's flex scanner rule for rule: at each position the
//! longest match wins, and among matches of equal length the rule listed
//! first in libpcap's scanner (keywords, then MAC addresses, numbers,
//! dotted addresses, IPv6 addresses, named constants, names).  That is why
//! `hosts` is a name but `host` a keyword, `tcp-syn` a number, `10.1` an
//! address and `oamf4s` a name (not `oamf4` followed by `s`).
//!
//! The recognizers read bytes (every character of a token but an escaped
//! name is ASCII): they run on every number and address of the
//! expression, and a list of 1,000 hosts spent 1.2 M instructions in
//! parser-combinator versions of the MAC address ones alone.

use crate::ast::{Atm, AtmField, Dir, Mtp2, Mtp3Field, Proto, Span};
use crate::error::{Error, ErrorKind, Result};

/// A token of the filter language. Names and addresses borrow their
/// text from the expression: the parser copies what the syntax tree keeps,
/// once, and most tokens are keywords, numbers and operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tok<'a> {
    Src,
    Dst,
    /// `addr1`..`addr4`, `ra`, `ta` (802.11 address qualifiers).
    WlanAddr(Dir),
    Pname(Proto),
    Host,
    Net,
    Mask,
    Port,
    Portrange,
    Proto,
    Protochain,
    Gateway,
    Type,
    Subtype,
    DirKw,
    Less,
    Greater,
    Byte,
    Broadcast,
    Multicast,
    And,
    Or,
    Not,
    Len,
    Inbound,
    Outbound,
    Ifindex,
    Vlan,
    Mpls,
    Pppoed,
    Pppoes,
    Geneve,
    Llc,
    /// `lane`, `metac`, `bcc`, `oamf4ec`, `oamf4sc`, `sc`, `ilmic`.
    AtmType(Atm),
    /// `oam`, `oamf4`, `connectmsg`, `metaconnect`.
    AtmMulti(Atm),
    AtmField(AtmField),
    PfIfname,
    PfRset,
    PfRnr,
    PfSrnr,
    PfReason,
    PfAction,
    Mtp2(Mtp2),
    Mtp3(Mtp3Field),
    Num(u32),
    Id(&'a str),
    Hid(&'a str),
    Hid6(&'a str),
    Eid(&'a str),
    Aid(&'a str),
    /// `@NAME`: a named set (the name without the `@`).
    SetRef(&'a str),
    Plus,
    Minus,
    Star,
    Slash,
    Percent,
    Colon,
    LBrack,
    RBrack,
    Lt,
    Gt,
    LParen,
    RParen,
    Amp,
    Pipe,
    Caret,
    Eq,
    Geq,
    Leq,
    Neq,
    Lsh,
    Rsh,
}

/// A token and where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token<'a> {
    pub tok: Tok<'a>,
    pub span: Span,
}

/// The reserved words, as in libpcap's scanner.
fn keyword(word: &str) -> Option<Tok<'static>> {
    use Tok::*;
    Some(match word {
        "dst" => Dst,
        "src" => Src,
        "link" | "ether" | "ppp" | "slip" | "fddi" | "tr" | "wlan" => {
            Pname(crate::ast::Proto::Link)
        }
        "arp" => Pname(crate::ast::Proto::Arp),
        "rarp" => Pname(crate::ast::Proto::Rarp),
        "ip" => Pname(crate::ast::Proto::Ip),
        "sctp" => Pname(crate::ast::Proto::Sctp),
        "tcp" => Pname(crate::ast::Proto::Tcp),
        "udp" => Pname(crate::ast::Proto::Udp),
        "icmp" => Pname(crate::ast::Proto::Icmp),
        "igmp" => Pname(crate::ast::Proto::Igmp),
        "igrp" => Pname(crate::ast::Proto::Igrp),
        "pim" => Pname(crate::ast::Proto::Pim),
        "vrrp" => Pname(crate::ast::Proto::Vrrp),
        "carp" => Pname(crate::ast::Proto::Carp),
        "radio" => Pname(crate::ast::Proto::Radio),
        "ip6" => Pname(crate::ast::Proto::Ip6),
        "icmp6" => Pname(crate::ast::Proto::Icmp6),
        "ah" => Pname(crate::ast::Proto::Ah),
        "esp" => Pname(crate::ast::Proto::Esp),
        "atalk" => Pname(crate::ast::Proto::Atalk),
        "aarp" => Pname(crate::ast::Proto::Aarp),
        "decnet" => Pname(crate::ast::Proto::Decnet),
        "lat" => Pname(crate::ast::Proto::Lat),
        "sca" => Pname(crate::ast::Proto::Sca),
        "moprc" => Pname(crate::ast::Proto::Moprc),
        "mopdl" => Pname(crate::ast::Proto::Mopdl),
        "iso" => Pname(crate::ast::Proto::Iso),
        "esis" | "es-is" => Pname(crate::ast::Proto::Esis),
        "isis" | "is-is" => Pname(crate::ast::Proto::Isis),
        "l1" => Pname(crate::ast::Proto::L1),
        "l2" => Pname(crate::ast::Proto::L2),
        "iih" => Pname(crate::ast::Proto::Iih),
        "lsp" => Pname(crate::ast::Proto::Lsp),
        "snp" => Pname(crate::ast::Proto::Snp),
        "csnp" => Pname(crate::ast::Proto::Csnp),
        "psnp" => Pname(crate::ast::Proto::Psnp),
        "clnp" => Pname(crate::ast::Proto::Clnp),
        "stp" => Pname(crate::ast::Proto::Stp),
        "ipx" => Pname(crate::ast::Proto::Ipx),
        "netbeui" => Pname(crate::ast::Proto::Netbeui),
        "host" => Host,
        "net" => Net,
        "mask" => Mask,
        "port" => Port,
        "portrange" => Portrange,
        "proto" => Proto,
        "protochain" => Protochain,
        "gateway" => Gateway,
        "type" => Type,
        "subtype" => Subtype,
        "direction" | "dir" => DirKw,
        "address1" | "addr1" => WlanAddr(Dir::Addr1),
        "address2" | "addr2" => WlanAddr(Dir::Addr2),
        "address3" | "addr3" => WlanAddr(Dir::Addr3),
        "address4" | "addr4" => WlanAddr(Dir::Addr4),
        "ra" => WlanAddr(Dir::Ra),
        "ta" => WlanAddr(Dir::Ta),
        "less" => Less,
        "greater" => Greater,
        "byte" => Byte,
        "broadcast" => Broadcast,
        "multicast" => Multicast,
        "and" => And,
        "or" => Or,
        "not" => Not,
        "len" | "length" => Len,
        "inbound" => Inbound,
        "outbound" => Outbound,
        "ifindex" => Ifindex,
        "vlan" => Vlan,
        "mpls" => Mpls,
        "pppoed" => Pppoed,
        "pppoes" => Pppoes,
        "geneve" => Geneve,
        "lane" => AtmType(Atm::Lane),
        "llc" => Llc,
        "metac" => AtmType(Atm::Metac),
        "bcc" => AtmType(Atm::Bcc),
        "oam" => AtmMulti(Atm::Oam),
        "oamf4" => AtmMulti(Atm::Oamf4),
        "oamf4ec" => AtmType(Atm::Oamf4ec),
        "oamf4sc" => AtmType(Atm::Oamf4sc),
        "sc" => AtmType(Atm::Sc),
        "ilmic" => AtmType(Atm::Ilmic),
        "vpi" => AtmField(self::AtmField::Vpi),
        "vci" => AtmField(self::AtmField::Vci),
        "connectmsg" => AtmMulti(Atm::Connectmsg),
        "metaconnect" => AtmMulti(Atm::Metaconnect),
        "on" | "ifname" => PfIfname,
        "rset" | "ruleset" => PfRset,
        "rnr" | "rulenum" => PfRnr,
        "srnr" | "subrulenum" => PfSrnr,
        "reason" => PfReason,
        "action" => PfAction,
        "fisu" => Mtp2(self::Mtp2::Fisu),
        "lssu" | "lsu" => Mtp2(self::Mtp2::Lssu),
        "msu" => Mtp2(self::Mtp2::Msu),
        "hfisu" => Mtp2(self::Mtp2::Hfisu),
        "hlssu" => Mtp2(self::Mtp2::Hlssu),
        "hmsu" => Mtp2(self::Mtp2::Hmsu),
        "sio" => Mtp3(Mtp3Field::Sio),
        "opc" => Mtp3(Mtp3Field::Opc),
        "dpc" => Mtp3(Mtp3Field::Dpc),
        "sls" => Mtp3(Mtp3Field::Sls),
        "hsio" => Mtp3(Mtp3Field::Hsio),
        "hopc" => Mtp3(Mtp3Field::Hopc),
        "hdpc" => Mtp3(Mtp3Field::Hdpc),
        "hsls" => Mtp3(Mtp3Field::Hsls),
        _ => return None,
    })
}

/// Named constants, which the scanner turns into numbers: header field
/// offsets (`tcpflags`, `icmptype`, ...) and field values (`tcp-syn`,
/// `icmp-echo`, `icmp6-echo`, ...).
fn named_constant(word: &str) -> Option<u32> {
    Some(match word {
        "icmptype" | "icmp6type" => 0,
        "icmpcode" | "icmp6code" => 1,
        "icmp-echoreply" => 0,
        "icmp-unreach" => 3,
        "icmp-sourcequench" => 4,
        "icmp-redirect" => 5,
        "icmp-echo" => 8,
        "icmp-routeradvert" => 9,
        "icmp-routersolicit" => 10,
        "icmp-timxceed" => 11,
        "icmp-paramprob" => 12,
        "icmp-tstamp" => 13,
        "icmp-tstampreply" => 14,
        "icmp-ireq" => 15,
        "icmp-ireqreply" => 16,
        "icmp-maskreq" => 17,
        "icmp-maskreply" => 18,
        "icmp6-destinationunreach" => 1,
        "icmp6-packettoobig" => 2,
        "icmp6-timeexceeded" => 3,
        "icmp6-parameterproblem" => 4,
        "icmp6-echo" => 128,
        "icmp6-echoreply" => 129,
        "icmp6-multicastlistenerquery" => 130,
        "icmp6-multicastlistenerreportv1" => 131,
        "icmp6-multicastlistenerdone" => 132,
        "icmp6-routersolicit" => 133,
        "icmp6-routeradvert" => 134,
        "icmp6-neighborsolicit" => 135,
        "icmp6-neighboradvert" => 136,
        "icmp6-redirect" => 137,
        "icmp6-routerrenum" => 138,
        "icmp6-nodeinformationquery" => 139,
        "icmp6-nodeinformationresponse" => 140,
        "icmp6-ineighbordiscoverysolicit" => 141,
        "icmp6-ineighbordiscoveryadvert" => 142,
        "icmp6-multicastlistenerreportv2" => 143,
        "icmp6-homeagentdiscoveryrequest" => 144,
        "icmp6-homeagentdiscoveryreply" => 145,
        "icmp6-mobileprefixsolicit" => 146,
        "icmp6-mobileprefixadvert" => 147,
        "icmp6-certpathsolicit" => 148,
        "icmp6-certpathadvert" => 149,
        "icmp6-multicastrouteradvert" => 151,
        "icmp6-multicastroutersolicit" => 152,
        "icmp6-multicastrouterterm" => 153,
        "tcpflags" => 13,
        "tcp-fin" => 0x01,
        "tcp-syn" => 0x02,
        "tcp-rst" => 0x04,
        "tcp-push" => 0x08,
        "tcp-ack" => 0x10,
        "tcp-urg" => 0x20,
        "tcp-ece" => 0x40,
        "tcp-cwr" => 0x80,
        _ => return None,
    })
}

/// How many hex digits `b` starts with, at most `max` (the scanner's
/// `{B}` is one or two, `{B2}` four).
fn hex_run(b: &[u8], max: usize) -> usize {
    b.iter()
        .take(max)
        .take_while(|c| c.is_ascii_hexdigit())
        .count()
}

/// `{MAC}`: six bytes separated by `:`, `-` or `.`, three groups of four
/// digits separated by `.`, or twelve hex digits.
fn mac_len(s: &str) -> usize {
    let b = s.as_bytes();
    // `{B}` and five times a separator and `{B}`; each `{B}` takes as
    // many digits as it can (up to two) and does not give them back.
    let six = |sep: u8| {
        let mut at = hex_run(b, 2);
        if at == 0 {
            return 0;
        }
        for _ in 0..5 {
            let n = match b.get(at) {
                Some(&c) if c == sep => hex_run(&b[at + 1..], 2),
                _ => 0,
            };
            if n == 0 {
                return 0;
            }
            at += 1 + n;
        }
        at
    };
    let pairs = (0..3).all(|i| hex_run(&b[(5 * i).min(b.len())..], 4) == 4)
        && b.get(4) == Some(&b'.')
        && b.get(9) == Some(&b'.');
    let twelve = if hex_run(b, 12) == 12 { 12 } else { 0 };
    six(b':')
        .max(six(b'-'))
        .max(six(b'.'))
        .max(if pairs { 14 } else { 0 })
        .max(twelve)
}

/// `{N}`: decimal digits or `0x` and hex digits; the length of the one
/// at the start of `s` (0: none). Byte by byte, like `hid_len` and
/// `v6_len`: these run on every number and address of the expression
/// (a list of 1,000 hosts spent 1.1 M instructions in them).
fn num_len(b: &[u8]) -> usize {
    if let [b'0', b'x' | b'X', rest @ ..] = b {
        let n = rest.iter().take_while(|c| c.is_ascii_hexdigit()).count();
        if n > 0 {
            return 2 + n;
        }
    }
    b.iter().take_while(|c| c.is_ascii_digit()).count()
}

/// `{N}.{N}`, `{N}.{N}.{N}` or `{N}.{N}.{N}.{N}`.
fn hid_len(s: &str) -> usize {
    let b = s.as_bytes();
    let mut at = num_len(b);
    if at == 0 {
        return 0;
    }
    let mut best = 0;
    for _ in 1..4 {
        let n = match b.get(at) {
            Some(b'.') => num_len(&b[at + 1..]),
            _ => 0,
        };
        if n == 0 {
            break;
        }
        at += 1 + n;
        best = at;
    }
    best
}

/// Whether `s` has the shape of one of the scanner's IPv6 patterns: up to
/// eight groups of one to four hex digits, at most one `::`, and
/// optionally a dotted IPv4 tail standing for the last two groups.
fn is_v6_shape(s: &str) -> bool {
    let (head, v4) = match s.rfind(':') {
        Some(i) if s[i + 1..].contains('.') => (&s[..=i], Some(&s[i + 1..])),
        _ => (s, None),
    };
    if let Some(v4) = v4
        && (hid_len(v4) != v4.len() || v4.split('.').count() != 4)
    {
        return false;
    }
    let groups_of = |part: &str| -> Option<usize> {
        if part.is_empty() {
            return Some(0);
        }
        part.split(':').try_fold(0, |n, g| {
            (!g.is_empty() && g.len() <= 4 && g.bytes().all(|c| c.is_ascii_hexdigit()))
                .then_some(n + 1)
        })
    };
    let tail = if v4.is_some() { 2 } else { 0 };
    match head.find("::") {
        Some(i) => {
            let left = &head[..i];
            let mut right = &head[i + 2..];
            if v4.is_some() {
                // The `:` before the IPv4 tail belongs to the separator.
                match right.strip_suffix(':') {
                    Some(r) => right = r,
                    None if right.is_empty() => {}
                    None => return false,
                }
            }
            match (groups_of(left), groups_of(right)) {
                (Some(a), Some(b)) => a + b + tail <= 7,
                _ => false,
            }
        }
        None => {
            let body = if v4.is_some() {
                match head.strip_suffix(':') {
                    Some(b) => b,
                    None => return false,
                }
            } else {
                head
            };
            groups_of(body) == Some(8 - tail)
        }
    }
}

/// Longest prefix of `s` with an IPv6 shape.
fn v6_len(s: &str) -> usize {
    let b = s.as_bytes();
    let run = b
        .iter()
        .position(|&c| !(c.is_ascii_hexdigit() || matches!(c, b':' | b'.' | b'x' | b'X')))
        .unwrap_or(b.len());
    if !b[..run].contains(&b':') {
        return 0;
    }
    (2..=run).rev().find(|&n| is_v6_shape(&s[..n])).unwrap_or(0)
}

/// `{B}:+({B}:+)+`: something that starts like a MAC address but is not
/// one; libpcap reports it as a bogus ethernet address.
fn bogus_mac_len(s: &str) -> usize {
    let b = s.as_bytes();
    let mut at = 0;
    let mut groups = 0;
    loop {
        let n = hex_run(&b[at..], 2);
        let colons = b[at + n..].iter().take_while(|&&c| c == b':').count();
        if n == 0 || colons == 0 {
            break;
        }
        at += n + colons;
        groups += 1;
    }
    if groups >= 2 { at } else { 0 }
}

/// `[A-Za-z0-9]([-_.A-Za-z0-9]*[.A-Za-z0-9])?`
fn id_len(s: &str) -> usize {
    // Bytes, not chars: every character of an id is ASCII, and a byte of
    // any other character ends it.
    let b = s.as_bytes();
    if !b.first().is_some_and(u8::is_ascii_alphanumeric) {
        return 0;
    }
    let run = b
        .iter()
        .position(|&c| !(c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.')))
        .unwrap_or(b.len());
    s[..run].trim_end_matches(['-', '_']).len()
}

/// The usual token starting with a digit: decimal digits and dots up to
/// a byte that no rule takes (a space, a parenthesis, an operator, the
/// end), not a MAC address. Only a number, a dotted address or a name
/// can then match, the name taking all of it: one scan decides between
/// them, where the rules' own scans cost 600 instructions an address.
/// `None`: another token, for the rules.
fn dotted(s: &str, pos: usize) -> Result<Option<(Tok<'_>, usize)>> {
    let b = s.as_bytes();
    let run = b
        .iter()
        .position(|&c| !(c.is_ascii_digit() || c == b'.'))
        .unwrap_or(b.len());
    let ends = b
        .get(run)
        .is_none_or(|&c| !(c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b':')));
    // Of digits and dots, a MAC address is six groups of one or two
    // digits, three of four, or twelve digits.
    let first = b[..run].iter().position(|&c| c == b'.').unwrap_or(run);
    let mac = || {
        let dots = b[..run].iter().filter(|&&c| c == b'.').count();
        (dots >= 5 || first == 4 || first >= 12) && mac_len(s) > 0
    };
    if !ends || (run >= 11 && mac()) {
        return Ok(None);
    }
    // `{N}` and up to three more `.{N}`: the end of the last, if at
    // least two.
    let (mut groups, mut digits, mut hid) = (1, 0, 0);
    for (i, &c) in b[..run].iter().enumerate() {
        if c != b'.' {
            digits += 1;
            if groups >= 2 {
                hid = i + 1;
            }
        } else if digits == 0 || groups == 4 {
            break;
        } else {
            groups += 1;
            digits = 0;
        }
    }
    let text = &s[..run];
    let tok = if first == run {
        Tok::Num(number(text, pos..pos + run)?)
    } else if hid == run {
        Tok::Hid(text)
    } else {
        Tok::Id(text)
    };
    Ok(Some((tok, run)))
}

/// Converts a `{N}` token as libpcap's `stoulen` does.
fn number(text: &str, span: Span) -> Result<u32> {
    let err = |what: &str| {
        Error::new(
            ErrorKind::Value,
            span.clone(),
            format!("number {text} {what}"),
        )
    };
    let (digits, radix) =
        if let Some(h) = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
            (h, 16)
        } else if text.len() > 1 && text.starts_with('0') {
            if !text.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
                return Err(err("contains non-octal digit"));
            }
            (&text[1..], 8)
        } else {
            (text, 10)
        };
    u32::from_str_radix(digits, radix).map_err(|_| err("overflows 32 bits"))
}

/// Splits `input` into tokens.
pub fn tokenize(input: &str) -> Result<Vec<Token<'_>>> {
    // About one token for every three characters or more (`tcp port 80`
    // has three in eleven): enough that the list does not grow and copy
    // itself token by token.
    let mut out = Vec::with_capacity(input.len() / 3 + 1);
    let mut pos = 0;
    while let Some(&b) = input.as_bytes().get(pos) {
        if matches!(b, b' ' | b'\r' | b'\n' | b'\t') {
            pos += 1;
            continue;
        }
        let (tok, len) = next_token(&input[pos..], pos)?;
        out.push(Token {
            tok,
            span: pos..pos + len,
        });
        pos += len;
    }
    Ok(out)
}

/// An IPv6 address token, checked as libpcap checks it with
/// `getaddrinfo(AI_NUMERICHOST)`.
fn v6_token(text: &str, span: Span) -> Result<Tok<'_>> {
    match text.parse::<std::net::Ipv6Addr>() {
        Ok(_) => Ok(Tok::Hid6(text)),
        Err(_) => Err(Error::new(
            ErrorKind::Value,
            span,
            format!("bogus IPv6 address {text}"),
        )),
    }
}

fn next_token(s: &str, pos: usize) -> Result<(Tok<'_>, usize)> {
    use Tok::*;
    let two = match s.as_bytes() {
        [b'>', b'=', ..] => Some(Geq),
        [b'<', b'=', ..] => Some(Leq),
        [b'!', b'=', ..] => Some(Neq),
        [b'=', b'=', ..] => Some(Eq),
        [b'<', b'<', ..] => Some(Lsh),
        [b'>', b'>', ..] => Some(Rsh),
        [b'&', b'&', ..] => Some(And),
        [b'|', b'|', ..] => Some(Or),
        _ => None,
    };
    if let Some(tok) = two {
        return Ok((tok, 2));
    }
    let c = s.chars().next().unwrap_or('\0');
    if c == ':' {
        let n = v6_len(s);
        if n > 0 {
            return v6_token(&s[..n], pos..pos + n).map(|t| (t, n));
        }
    }
    let single = match c {
        '+' => Some(Plus),
        '-' => Some(Minus),
        '*' => Some(Star),
        '/' => Some(Slash),
        '%' => Some(Percent),
        ':' => Some(Colon),
        '[' => Some(LBrack),
        ']' => Some(RBrack),
        '!' => Some(Not),
        '<' => Some(Lt),
        '>' => Some(Gt),
        '(' => Some(LParen),
        ')' => Some(RParen),
        '&' => Some(Amp),
        '|' => Some(Pipe),
        '^' => Some(Caret),
        '=' => Some(Eq),
        _ => None,
    };
    if let Some(t) = single {
        return Ok((t, 1));
    }
    let unexpected = || {
        Error::new(
            ErrorKind::Syntax,
            pos..pos + c.len_utf8(),
            format!("unexpected character '{}'", c.escape_default()),
        )
    };
    if c == '$' {
        let n = hex_run(&s.as_bytes()[1..], 2);
        return if n > 0 {
            Ok((Aid(&s[..=n]), n + 1))
        } else {
            Err(unexpected())
        };
    }
    if c == '@' {
        let n = s[1..]
            .find(|c: char| c != '_' && !c.is_ascii_alphanumeric())
            .unwrap_or(s.len() - 1);
        return if n > 0 && crate::sets::is_set_name(&s[1..=n]) {
            Ok((SetRef(&s[1..=n]), n + 1))
        } else {
            Err(Error::new(
                ErrorKind::Syntax,
                pos..pos + 1 + n,
                "'@' must be followed by a set name (a letter or '_', then letters, digits, '_')",
            ))
        };
    }
    if c == '\\' {
        let n = s[1..]
            .find([' ', '!', '(', ')', '\n', '\t'])
            .unwrap_or(s.len() - 1);
        return if n > 0 {
            Ok((Id(&s[1..=n]), n + 1))
        } else {
            Err(unexpected())
        };
    }
    if !c.is_ascii_alphanumeric() {
        return Err(unexpected());
    }
    if c.is_ascii_digit()
        && let Some((tok, len)) = dotted(s, pos)?
    {
        return Ok((tok, len));
    }
    // Candidates in the scanner's rule order; longest wins, first on ties.
    let idl = id_len(s);
    let word = &s[..idl];
    if c.is_ascii_alphabetic() && !c.is_ascii_hexdigit() {
        // Only a keyword, a named constant or a name starts so, each as
        // long as the word: the address and number rules cannot match.
        let tok = match (keyword(word), named_constant(word)) {
            (Some(kw), _) => kw,
            (None, Some(n)) => Num(n),
            (None, None) => Id(word),
        };
        return Ok((tok, idl));
    }
    // Every keyword and named constant starts with a letter; the address
    // and number rules all start with a hex digit (numbers and dotted
    // addresses with a decimal one). A MAC address is at least eleven
    // characters of hex digits and separators (`0:1:2:3:4:5`), an IPv6
    // address and a bogus MAC address have a `:` (a bogus one after its
    // first byte): one scan of what any address rule can take rules out
    // most of them for the usual tokens (`host`, `tcp`, `10.1.2.3`).
    let letter = c.is_ascii_alphabetic();
    let kw = if letter { keyword(word) } else { None };
    let hex = c.is_ascii_hexdigit();
    let digit = c.is_ascii_digit();
    let (run, colon) = if hex {
        let b = s.as_bytes();
        let run = b
            .iter()
            .position(|&c| {
                !(c.is_ascii_hexdigit() || matches!(c, b':' | b'-' | b'.' | b'x' | b'X'))
            })
            .unwrap_or(b.len());
        (run, b[..run].contains(&b':'))
    } else {
        (0, false)
    };
    let colon_after_byte = || s.as_bytes().iter().take(3).any(|&b| b == b':');
    let lens = [
        kw.as_ref().map_or(0, |_| idl),
        if run >= 11 { mac_len(s) } else { 0 },
        if digit { num_len(s.as_bytes()) } else { 0 },
        if digit { hid_len(s) } else { 0 },
        if colon { v6_len(s) } else { 0 },
        if colon && colon_after_byte() {
            bogus_mac_len(s)
        } else {
            0
        },
        if letter {
            named_constant(word).map_or(0, |_| idl)
        } else {
            0
        },
        idl,
    ];
    let best = lens.iter().copied().max().unwrap_or(0);
    let rule = lens.iter().position(|&l| l == best).unwrap_or(7);
    let text = &s[..best];
    let span = pos..pos + best;
    let tok = match rule {
        0 => kw.unwrap_or(Id(text)),
        1 => Eid(text),
        2 => Num(number(text, span)?),
        3 => Hid(text),
        4 => v6_token(text, span)?,
        5 => {
            return Err(Error::new(
                ErrorKind::Value,
                span,
                format!("bogus ethernet address {text}"),
            ));
        }
        6 => Num(named_constant(text).unwrap_or(0)),
        _ => Id(text),
    };
    Ok((tok, best))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<Tok<'_>> {
        tokenize(s).unwrap().into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn keywords_need_the_whole_word() {
        assert_eq!(toks("host hosts"), vec![Tok::Host, Tok::Id("hosts")]);
        assert_eq!(toks("portrange"), vec![Tok::Portrange]);
        assert_eq!(toks("oamf4s"), vec![Tok::Id("oamf4s")]);
        assert_eq!(toks("es-is"), vec![Tok::Pname(Proto::Esis)]);
        assert_eq!(toks("TCP"), vec![Tok::Id("TCP")]);
    }

    #[test]
    fn numbers_and_constants() {
        assert_eq!(
            toks("0x1f 017 42 tcp-syn tcpflags"),
            vec![
                Tok::Num(31),
                Tok::Num(15),
                Tok::Num(42),
                Tok::Num(2),
                Tok::Num(13)
            ]
        );
        let e = tokenize("ip[0] = 09").unwrap_err();
        assert_eq!(e.message, "number 09 contains non-octal digit");
        assert_eq!(e.span, 8..10);
        assert!(tokenize("4294967296").is_err());
        assert_eq!(toks("4294967295"), vec![Tok::Num(u32::MAX)]);
    }

    #[test]
    fn addresses() {
        assert_eq!(toks("10.1"), vec![Tok::Hid("10.1")]);
        assert_eq!(toks("10.0.0.1.5"), vec![Tok::Id("10.0.0.1.5")]);
        assert_eq!(toks("10."), vec![Tok::Id("10.")]);
        assert_eq!(
            toks("(10.1.2.3)"),
            vec![Tok::LParen, Tok::Hid("10.1.2.3"), Tok::RParen]
        );
        assert_eq!(
            toks("10.10.10.10.10.10"),
            vec![Tok::Eid("10.10.10.10.10.10")]
        );
        assert_eq!(toks("10.1-2"), vec![Tok::Id("10.1-2")]);
        assert_eq!(toks("2001:db8::1"), vec![Tok::Hid6("2001:db8::1")]);
        assert_eq!(toks("::ffff:10.0.0.1"), vec![Tok::Hid6("::ffff:10.0.0.1")]);
        assert_eq!(toks("::"), vec![Tok::Hid6("::")]);
        assert_eq!(toks("1:2:3:4:5:6:7:8"), vec![Tok::Hid6("1:2:3:4:5:6:7:8")]);
        assert_eq!(
            toks("00:11:22:33:44:55"),
            vec![Tok::Eid("00:11:22:33:44:55")]
        );
        assert_eq!(toks("0011.2233.4455"), vec![Tok::Eid("0011.2233.4455")]);
        assert_eq!(
            toks("00-11-22-33-44-55"),
            vec![Tok::Eid("00-11-22-33-44-55")]
        );
        let e = tokenize("ether host 00:11:22:33:44").unwrap_err();
        assert_eq!(e.message, "bogus ethernet address 00:11:22:33:");
        assert_eq!(toks("$ff"), vec![Tok::Aid("$ff")]);
        assert_eq!(
            toks("@bad_hosts)"),
            vec![Tok::SetRef("bad_hosts"), Tok::RParen]
        );
    }

    #[test]
    fn operators_and_escapes() {
        assert_eq!(
            toks("a&&b||!c"),
            vec![
                Tok::Id("a"),
                Tok::And,
                Tok::Id("b"),
                Tok::Or,
                Tok::Not,
                Tok::Id("c")
            ]
        );
        assert_eq!(
            toks(">= <= != == << >> <"),
            vec![
                Tok::Geq,
                Tok::Leq,
                Tok::Neq,
                Tok::Eq,
                Tok::Lsh,
                Tok::Rsh,
                Tok::Lt
            ]
        );
        assert_eq!(
            toks("proto \\tcp)"),
            vec![Tok::Proto, Tok::Id("tcp"), Tok::RParen]
        );
        assert!(tokenize("host a # b").is_err());
        assert!(tokenize("é").is_err());
    }
}
