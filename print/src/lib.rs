//! Packets as tcpdump 4.99 prints them: one line per packet (`tcpdump -n`
//! style), with the link header (`-e`), more detail (`-v`) and hex dumps
//! (`-x`, `-X`) on request. A library, so that the `bpfcap` binary and
//! anyone else can print a packet given its bytes, its link type and the
//! options; the binary only chooses the options.
//!
//! Packets are decoded with `etherparse`'s lax slicer so that captures cut
//! short by a snapshot length still print as much as can be decoded; what
//! cannot be decoded is marked `[|proto]` the way tcpdump marks truncation.
//! Nothing here may panic on any input: every length is checked or
//! saturating, and decoding stops at the first layer that does not fit.

#![warn(missing_docs)]

use std::fmt::Write;
use std::net::{Ipv4Addr, Ipv6Addr};

use etherparse::{
    ArpPacketSlice, EtherType, Icmpv4Slice, Icmpv6Slice, IpNumber, LaxIpPayloadSlice, LaxIpv4Slice,
    LaxIpv6Slice, LaxNetSlice, LaxSlicedPacket, TcpSlice, TransportSlice, UdpSlice,
};
use filter_compiler::LinkType;

/// `write!` into a `String`; formatting into a `String` cannot fail, so
/// the `Result` carries no information.
macro_rules! put {
    ($out:expr, $($arg:tt)*) => {{
        let _ = write!($out, $($arg)*);
    }};
}

/// How to print time stamps (tcpdump -t, -tt, -ttt, -tttt, -ttttt; default = local time of day).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeFormat {
    /// `HH:MM:SS.ffffff` in local time (tcpdump's default).
    TimeOfDay,
    /// No time stamp (`-t`).
    None,
    /// Seconds since the Unix epoch (`-tt`).
    Epoch,
    /// Time since the previous packet (`-ttt`).
    Delta,
    /// Local date and time (`-tttt`).
    DateTime,
    /// Time since the first packet (`-ttttt`).
    SinceFirst,
}

/// What to print for each packet.
#[derive(Clone, Copy, Debug)]
pub struct SummaryOptions {
    /// Time stamp style.
    pub time: TimeFormat,
    /// `-e`: print the link-level header.
    pub link_header: bool,
    /// `-v` count.
    pub verbose: u8,
    /// `-q`: shorter transport summaries.
    pub quiet: bool,
    /// 0: no hex dump; 1 (`-x`): bytes after the link header; 2 (`-xx`): all bytes.
    pub hex: u8,
    /// `-X`: hex dump with ASCII.
    pub ascii: bool,
    /// Print 9 fraction digits instead of 6.
    pub nanos: bool,
    /// `-A`: print each packet in ASCII.
    pub ascii_only: bool,
    /// `-S`: absolute TCP sequence numbers.
    pub absolute_seq: bool,
    /// `--number` / `-#`: a packet number at the start of each line.
    pub number: bool,
    /// `-K`: do not verify checksums.
    pub no_checksums: bool,
    /// 0: resolve names; 1 (`-n`): no host names; 2 (`-nn`): no port or
    /// protocol names either.
    pub numeric: u8,
}

/// tcpdump's output with no flags.
impl Default for SummaryOptions {
    fn default() -> Self {
        SummaryOptions {
            time: TimeFormat::TimeOfDay,
            link_header: false,
            verbose: 0,
            quiet: false,
            hex: 0,
            ascii: false,
            nanos: false,
            ascii_only: false,
            absolute_seq: false,
            number: false,
            no_checksums: false,
            numeric: 0,
        }
    }
}

/// Writes summaries; keeps the previous/first time stamp for -ttt / -ttttt.
pub struct Summarizer {
    opts: SummaryOptions,
    first: Option<(i64, u32)>,
    prev: Option<(i64, u32)>,
}

/// Linux `DLT_RAW` as capture files store it on some systems, and the
/// IPv4/IPv6-only raw link types.
const LINKTYPE_IPV4: LinkType = LinkType(228);
const LINKTYPE_IPV6: LinkType = LinkType(229);

/// Length of a Linux cooked (v1) header.
const SLL_HEADER_LEN: usize = 16;

impl Summarizer {
    /// A summarizer that has seen no packet yet.
    pub fn new(opts: SummaryOptions) -> Self {
        Summarizer {
            opts,
            first: None,
            prev: None,
        }
    }

    /// Appends one line (plus hex lines when asked), ending in '\n', to `out`.
    /// `secs`/`nanos`: time stamp since the Unix epoch; `wirelen`: original length; `data`: captured bytes.
    pub fn write(
        &mut self,
        out: &mut String,
        link: LinkType,
        secs: i64,
        nanos: u32,
        wirelen: u32,
        data: &[u8],
    ) {
        self.write_time(out, secs, nanos);
        let mut printer = Printer {
            out,
            opts: self.opts,
            trailer: None,
        };
        let link_len = printer.link(link, wirelen, data).min(data.len());
        let trailer = printer.trailer;
        out.push('\n');
        let ascii = self.opts.ascii;
        match self.opts.hex {
            0 if ascii => hex_dump(out, &data[link_len..], true),
            0 => {
                // Like tcpdump's default printer: undecodable payload is
                // dumped unless a hex dump was asked for anyway.
                if let Some(start) = trailer {
                    hex_dump(out, data.get(start..).unwrap_or(&[]), true);
                }
            }
            1 => hex_dump(out, &data[link_len..], ascii),
            _ => hex_dump(out, data, ascii),
        }
    }

    /// Prints the time stamp and the space after it, remembering it for
    /// the relative formats.
    fn write_time(&mut self, out: &mut String, secs: i64, nanos: u32) {
        let now = (secs, nanos);
        let first = *self.first.get_or_insert(now);
        let prev = self.prev.replace(now).unwrap_or(now);
        let frac = Fraction {
            nanos,
            nine: self.opts.nanos,
        };
        match self.opts.time {
            TimeFormat::None => {}
            TimeFormat::Epoch => {
                put!(out, "{secs}.{frac} ");
            }
            TimeFormat::TimeOfDay => {
                let tm = local_time(secs);
                put!(
                    out,
                    "{:02}:{:02}:{:02}.{frac} ",
                    tm.tm_hour,
                    tm.tm_min,
                    tm.tm_sec
                );
            }
            TimeFormat::DateTime => {
                let tm = local_time(secs);
                put!(
                    out,
                    "{}-{:02}-{:02} {:02}:{:02}:{:02}.{frac} ",
                    i64::from(tm.tm_year) + 1900,
                    tm.tm_mon + 1,
                    tm.tm_mday,
                    tm.tm_hour,
                    tm.tm_min,
                    tm.tm_sec
                );
            }
            TimeFormat::Delta => write_interval(out, prev, now, self.opts.nanos),
            TimeFormat::SinceFirst => write_interval(out, first, now, self.opts.nanos),
        }
    }
}

/// The fraction of a second, as 6 or 9 digits.
struct Fraction {
    nanos: u32,
    nine: bool,
}

impl std::fmt::Display for Fraction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.nine {
            write!(f, "{:09}", self.nanos)
        } else {
            write!(f, "{:06}", self.nanos / 1000)
        }
    }
}

/// Prints `to - from` as tcpdump -ttt does: ` HH:MM:SS.ffffff ` (with a
/// leading space; hours are not wrapped at 24).
fn write_interval(out: &mut String, from: (i64, u32), to: (i64, u32), nine: bool) {
    let at = |(s, n): (i64, u32)| i128::from(s) * 1_000_000_000 + i128::from(n);
    let diff = at(to) - at(from);
    let sign = if diff < 0 { "-" } else { " " };
    let diff = diff.unsigned_abs();
    let secs = diff / 1_000_000_000;
    let frac = Fraction {
        nanos: (diff % 1_000_000_000) as u32,
        nine,
    };
    put!(
        out,
        "{sign}{:02}:{:02}:{:02}.{frac} ",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    );
}

/// Breaks a time stamp into local calendar time (the zone tcpdump uses).
fn local_time(secs: i64) -> libc::tm {
    // SAFETY: `tm` is plain old data, so all zeroes is a valid value, and
    // localtime_r only writes into the buffer we pass it.
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    let t = secs as libc::time_t;
    // SAFETY: both pointers are valid for the duration of the call.
    unsafe { libc::localtime_r(&t, &mut tm) };
    tm
}

/// Appends a tcpdump-style hex dump (`-x`, or `-X` with `ascii`).
fn hex_dump(out: &mut String, bytes: &[u8], ascii: bool) {
    for (line, chunk) in bytes.chunks(16).enumerate() {
        let mut hex = String::with_capacity(40);
        for pair in chunk.chunks(2) {
            hex.push(' ');
            for b in pair {
                put!(hex, "{b:02x}");
            }
        }
        put!(out, "\t0x{:04x}: ", line * 16);
        if ascii {
            let text: String = chunk
                .iter()
                .map(|&b| if b.is_ascii_graphic() { b as char } else { '.' })
                .collect();
            put!(out, "{hex:<40}  {text}");
        } else {
            out.push_str(&hex);
        }
        out.push('\n');
    }
}

/// Writes one summary line; `trailer` records where undecodable payload
/// starts so the caller can dump it like tcpdump's default printer.
struct Printer<'o> {
    out: &'o mut String,
    opts: SummaryOptions,
    trailer: Option<usize>,
}

impl Printer<'_> {
    /// Prints the whole packet; returns the link header length (what `-x`
    /// leaves out).
    fn link(&mut self, link: LinkType, wirelen: u32, data: &[u8]) -> usize {
        match link {
            LinkType::EN10MB => self.ethernet(wirelen, data),
            LinkType::RAW | LINKTYPE_IPV4 | LINKTYPE_IPV6 => {
                if self.opts.link_header {
                    self.out.push_str("ip: ");
                }
                self.raw_ip(wirelen, data);
                0
            }
            LinkType::LINUX_SLL => self.linux_sll(wirelen, data),
            LinkType::NULL | LinkType::LOOP => self.loopback(wirelen, data),
            other => {
                put!(
                    self.out,
                    "unsupported link type {}, length {wirelen}",
                    other.0
                );
                0
            }
        }
    }

    /// Ethernet II or 802.3 with SNAP; VLAN tags are shown only under
    /// `-e`, like tcpdump.
    fn ethernet(&mut self, wirelen: u32, data: &[u8]) -> usize {
        if data.len() < 14 {
            self.out.push_str("[|ether]");
            return data.len();
        }
        let be16 = |at: usize| {
            data.get(at..at + 2)
                .map(|b| u16::from_be_bytes([b[0], b[1]]))
        };
        let outer = be16(12).unwrap_or(0);
        let mut ether_type = outer;
        let mut hdr_len = 14;
        // (tag control information, ether type after the tag)
        let mut vlans = Vec::new();
        while matches!(ether_type, 0x8100 | 0x88a8 | 0x9100) {
            let (Some(tci), Some(next)) = (be16(hdr_len), be16(hdr_len + 2)) else {
                break;
            };
            vlans.push((tci, next));
            ether_type = next;
            hdr_len += 4;
        }
        // tcpdump shows the 802.3 length field capped by what the frame holds.
        let llc_len = ether_type
            .min(u16::try_from(wirelen.saturating_sub(hdr_len as u32)).unwrap_or(u16::MAX));
        let snap = ether_type < 0x0600
            && data.get(hdr_len..hdr_len + 6) == Some(&[0xaa, 0xaa, 0x03, 0, 0, 0][..]);
        if snap {
            ether_type = be16(hdr_len + 6).unwrap_or(0);
            hdr_len += 8;
        }
        let et = EtherType(ether_type);
        let known = (ether_type >= 0x0600 || snap) && is_decoded_ether_type(et);
        if self.opts.link_header || !known {
            put!(self.out, "{} > {}, ", Mac(&data[6..12]), Mac(&data[0..6]));
            if outer < 0x0600 {
                put!(self.out, "802.3, length {llc_len}: ");
            } else {
                put!(
                    self.out,
                    "{}, length {wirelen}: ",
                    EtherTypeName(EtherType(outer))
                );
            }
            for (tci, next) in &vlans {
                let dei = if tci & 0x1000 != 0 { ", DEI" } else { "" };
                put!(self.out, "vlan {}, p {}{dei}, ", tci & 0x0fff, tci >> 13);
                if *next < 0x0600 {
                    put!(self.out, "802.3, length {llc_len}: ");
                } else {
                    put!(self.out, "{}, ", EtherTypeName(EtherType(*next)));
                }
            }
            if snap {
                put!(
                    self.out,
                    "LLC, dsap SNAP (0xaa) Individual, ssap SNAP (0xaa) Command, ctrl 0x03: \
                     oui Ethernet (0x000000), {}, length {}: ",
                    EtherTypeName(et),
                    llc_len.saturating_sub(8)
                );
            }
        }
        let hdr_len = hdr_len.min(data.len());
        if known {
            let len = wirelen.saturating_sub(hdr_len as u32);
            self.ether_payload(et, &data[hdr_len..], len);
        } else {
            self.trailer = Some(hdr_len);
        }
        hdr_len
    }

    /// What an ether type announces; only called for types that
    /// [`is_decoded_ether_type`] accepts.
    fn ether_payload(&mut self, et: EtherType, bytes: &[u8], len: u32) {
        if matches!(et.0, 0x8847 | 0x8848) {
            self.mpls(bytes, len);
        } else {
            let pkt = LaxSlicedPacket::from_ether_type(et, bytes);
            self.net(&pkt, et, len);
        }
    }

    /// MPLS label stack entries, then the packet below, guessed from its
    /// IP version nibble as tcpdump does.
    fn mpls(&mut self, mut bytes: &[u8], mut len: u32) {
        self.out.push_str("MPLS");
        loop {
            let Some(entry) = bytes.get(..4) else {
                self.out.push_str(" [|MPLS]");
                return;
            };
            let entry = u32::from_be_bytes([entry[0], entry[1], entry[2], entry[3]]);
            let bottom = entry & 0x100 != 0;
            put!(
                self.out,
                " (label {}, tc {}{}, ttl {})",
                entry >> 12,
                (entry >> 9) & 7,
                if bottom { ", [S]" } else { "" },
                entry & 0xff
            );
            bytes = &bytes[4..];
            len = len.saturating_sub(4);
            if bottom {
                break;
            }
        }
        self.out.push(' ');
        self.raw_ip(len, bytes);
    }

    /// Linux cooked capture v1: packet type, address, protocol, payload.
    fn linux_sll(&mut self, wirelen: u32, data: &[u8]) -> usize {
        if data.len() < SLL_HEADER_LEN {
            self.out.push_str("[|sll]");
            return data.len();
        }
        let pkttype = u16::from_be_bytes([data[0], data[1]]);
        let halen = usize::from(u16::from_be_bytes([data[4], data[5]])).min(8);
        let proto = EtherType(u16::from_be_bytes([data[14], data[15]]));
        let known = is_decoded_ether_type(proto);
        if self.opts.link_header || !known {
            let dir = match pkttype {
                0 => "In",
                1 => "B",
                2 => "M",
                3 => "P",
                4 => "Out",
                _ => "?",
            };
            put!(
                self.out,
                "{dir:>3} {} {}, length {wirelen}: ",
                Mac(&data[6..6 + halen]),
                EtherTypeName(proto)
            );
        }
        let payload = &data[SLL_HEADER_LEN..];
        if known {
            self.ether_payload(
                proto,
                payload,
                wirelen.saturating_sub(SLL_HEADER_LEN as u32),
            );
        } else {
            self.trailer = Some(SLL_HEADER_LEN);
        }
        SLL_HEADER_LEN
    }

    /// BSD loopback (`NULL`, host byte order) and OpenBSD `LOOP` (network
    /// byte order): a 4-byte address family, then the packet.
    fn loopback(&mut self, wirelen: u32, data: &[u8]) -> usize {
        let Some(af) = data.get(..4) else {
            self.out.push_str("[|null]");
            return data.len();
        };
        let af: [u8; 4] = [af[0], af[1], af[2], af[3]];
        // The writer's byte order is unknown for NULL; a family number is
        // small, so whichever order gives a small value is the right one.
        let le = u32::from_le_bytes(af);
        let family = if le & 0xffff_0000 != 0 {
            u32::from_be_bytes(af)
        } else {
            le
        };
        let ether_type = match family {
            2 => Some(EtherType::IPV4),
            24 | 28 | 30 => Some(EtherType::IPV6),
            _ => None,
        };
        if self.opts.link_header || ether_type.is_none() {
            let name = match ether_type {
                Some(EtherType::IPV4) => "IPv4",
                Some(_) => "IPv6",
                None => "Unknown",
            };
            put!(self.out, "AF {name} ({family}), length {wirelen}: ");
        }
        match ether_type {
            Some(et) => self.ether_payload(et, &data[4..], wirelen.saturating_sub(4)),
            None => self.trailer = Some(4),
        }
        4
    }

    /// Raw IP: the version nibble says which IP it is.
    fn raw_ip(&mut self, wirelen: u32, data: &[u8]) {
        let et = match data.first().map(|b| b >> 4) {
            Some(4) => EtherType::IPV4,
            Some(6) => EtherType::IPV6,
            Some(v) => {
                put!(self.out, "unknown ip {v}");
                return;
            }
            None => {
                self.out.push_str("[|ip]");
                return;
            }
        };
        let pkt = LaxSlicedPacket::from_ether_type(et, data);
        self.net(&pkt, et, wirelen);
    }

    /// The network layer; `len` is what remains of the wire length after
    /// the link header (ARP prints it).
    fn net(&mut self, pkt: &LaxSlicedPacket, ether_type: EtherType, len: u32) {
        match &pkt.net {
            Some(LaxNetSlice::Ipv4(ip)) => self.ipv4(ip, pkt.transport.as_ref()),
            Some(LaxNetSlice::Ipv6(ip)) => self.ipv6(ip, pkt.transport.as_ref()),
            Some(LaxNetSlice::Arp(arp)) => self.arp(arp, len),
            None => {
                let (name, proto) = match ether_type {
                    EtherType::IPV4 => ("IP", "ip"),
                    EtherType::IPV6 => ("IP6", "ip6"),
                    _ => ("ARP,", "arp"),
                };
                if !self.opts.link_header {
                    put!(self.out, "{name} ");
                }
                put!(self.out, "[|{proto}]");
            }
        }
    }

    /// IPv4 header (`-v` details) and whatever it carries.
    fn ipv4(&mut self, ip: &LaxIpv4Slice, transport: Option<&TransportSlice>) {
        let hdr = ip.header();
        if !self.opts.link_header {
            self.out.push_str("IP ");
        }
        let offset = hdr.fragments_offset().value();
        if self.opts.verbose > 0 {
            let flags = match (hdr.dont_fragment(), hdr.more_fragments()) {
                (false, false) => "none",
                (true, false) => "DF",
                (false, true) => "+",
                (true, true) => "DF+",
            };
            let proto = hdr.protocol();
            put!(
                self.out,
                "(tos 0x{:x}, ttl {}, id {}, offset {}, flags [{flags}], proto {} ({}), length {})\n    ",
                hdr.slice()[1],
                hdr.ttl(),
                hdr.identification(),
                u32::from(offset) * 8,
                proto_name(proto),
                proto.0,
                hdr.total_len()
            );
        }
        let header_len = u16::from(hdr.ihl()) * 4;
        let payload_len = match hdr.total_len() {
            // A zero total length comes from segmentation offload; the
            // captured bytes are all there is to go by.
            0 => ip.payload().payload.len(),
            total => usize::from(total.saturating_sub(header_len)),
        };
        let ends = Ends {
            src: hdr.source_addr().to_string(),
            dst: hdr.destination_addr().to_string(),
        };
        if offset != 0 {
            self.fragment(&ends, ip.payload().ip_number);
        } else {
            self.carried(&ends, ip.payload(), transport, payload_len);
        }
    }

    /// What an IP header carries; `transport` is etherparse's decoding,
    /// else the payload is decoded here (a first fragment, say).
    fn carried(
        &mut self,
        ends: &Ends,
        payload: &LaxIpPayloadSlice,
        transport: Option<&TransportSlice>,
        len: usize,
    ) {
        let first_fragment = slice_transport(payload);
        let transport = transport.or(first_fragment.as_ref());
        self.transport(ends, payload.ip_number, transport, len, payload.payload);
    }

    /// IPv6 header (`-v` details) and whatever it carries.
    fn ipv6(&mut self, ip: &LaxIpv6Slice, transport: Option<&TransportSlice>) {
        let hdr = ip.header();
        if !self.opts.link_header {
            self.out.push_str("IP6 ");
        }
        if self.opts.verbose > 0 {
            let class = hdr.traffic_class();
            let flow = hdr.flow_label().value();
            if flow != 0 {
                put!(self.out, "(class 0x{class:02x}, flowlabel 0x{flow:05x}, ");
            } else if class != 0 {
                put!(self.out, "(class 0x{class:02x}, ");
            } else {
                self.out.push('(');
            }
            let next = hdr.next_header();
            put!(
                self.out,
                "hlim {}, next-header {} ({}) payload length: {}) ",
                hdr.hop_limit(),
                proto_name(next),
                next.0,
                hdr.payload_length()
            );
        }
        let ext_len = ip.extensions().slice().len();
        let payload_len = match hdr.payload_length() {
            0 => ip.payload().payload.len(),
            n => usize::from(n).saturating_sub(ext_len),
        };
        let ends = Ends {
            src: hdr.source_addr().to_string(),
            dst: hdr.destination_addr().to_string(),
        };
        self.carried(&ends, ip.payload(), transport, payload_len);
    }

    /// The transport layer; `len` is the IP payload length from the header.
    fn transport(
        &mut self,
        ends: &Ends,
        proto: IpNumber,
        transport: Option<&TransportSlice>,
        len: usize,
        payload: &[u8],
    ) {
        match transport {
            Some(TransportSlice::Tcp(tcp)) => self.tcp(ends, tcp, len),
            Some(TransportSlice::Udp(udp)) => self.udp(ends, udp),
            Some(TransportSlice::Icmpv4(icmp)) => self.icmpv4(ends, icmp, len),
            Some(TransportSlice::Icmpv6(icmp)) => self.icmpv6(ends, icmp, len),
            Some(TransportSlice::Igmp(igmp)) => {
                put!(self.out, "{} > {}: ", ends.src, ends.dst);
                self.igmp(igmp.slice());
            }
            None => match proto {
                IpNumber::TCP => self.truncated(ends, "tcp"),
                IpNumber::UDP => self.truncated(ends, "udp"),
                IpNumber::ICMP => self.truncated(ends, "icmp"),
                IpNumber::IPV6_ICMP => self.truncated(ends, "icmp6"),
                IpNumber::IGMP => self.truncated(ends, "igmp"),
                IpNumber::SCTP => self.sctp(ends, payload),
                other => self.other_proto(ends, other, len),
            },
        }
    }

    /// A transport header that did not fit in the capture.
    fn truncated(&mut self, ends: &Ends, proto: &str) {
        put!(self.out, "{} > {}:  [|{proto}]", ends.src, ends.dst);
    }

    /// A fragment other than the first: no transport header to show.
    fn fragment(&mut self, ends: &Ends, proto: IpNumber) {
        put!(
            self.out,
            "{} > {}: ip-proto-{}",
            ends.src,
            ends.dst,
            proto.0
        );
    }

    /// SCTP: just the ports (they sit where TCP's and UDP's do).
    fn sctp(&mut self, ends: &Ends, bytes: &[u8]) {
        match bytes.get(..4) {
            Some(p) => put!(
                self.out,
                "{}.{} > {}.{}: sctp",
                ends.src,
                u16::from_be_bytes([p[0], p[1]]),
                ends.dst,
                u16::from_be_bytes([p[2], p[3]])
            ),
            None => self.truncated(ends, "sctp"),
        }
    }

    /// A protocol not decoded here.
    fn other_proto(&mut self, ends: &Ends, proto: IpNumber, len: usize) {
        put!(
            self.out,
            "{} > {}: ip-proto-{} {len}",
            ends.src,
            ends.dst,
            proto.0
        );
    }

    /// `Flags [S.], seq 1, ack 2, win 512, options [...], length 0`.
    fn tcp(&mut self, ends: &Ends, tcp: &TcpSlice, ip_payload_len: usize) {
        put!(
            self.out,
            "{}.{} > {}.{}: ",
            ends.src,
            tcp.source_port(),
            ends.dst,
            tcp.destination_port()
        );
        let len = ip_payload_len.saturating_sub(tcp.slice().len() - tcp.payload().len());
        if self.opts.quiet {
            put!(self.out, "tcp {len}");
            return;
        }
        put!(self.out, "Flags [{}]", TcpFlags(tcp));
        let seq = tcp.sequence_number();
        if len > 0 || tcp.syn() || tcp.fin() || tcp.rst() {
            put!(self.out, ", seq {seq}");
            if len > 0 {
                put!(self.out, ":{}", seq.wrapping_add(len as u32));
            }
        }
        if tcp.ack() {
            put!(self.out, ", ack {}", tcp.acknowledgment_number());
        }
        put!(self.out, ", win {}", tcp.window_size());
        if tcp.urg() {
            put!(self.out, ", urg {}", tcp.urgent_pointer());
        }
        if !tcp.options().is_empty() {
            self.out.push_str(", options [");
            write_tcp_options(self.out, tcp.options());
            self.out.push(']');
        }
        put!(self.out, ", length {len}");
    }

    /// `UDP, length N` (tcpdump decodes well-known ports further; this
    /// does not).
    fn udp(&mut self, ends: &Ends, udp: &UdpSlice) {
        put!(
            self.out,
            "{}.{} > {}.{}: UDP, length {}",
            ends.src,
            udp.source_port(),
            ends.dst,
            udp.destination_port(),
            udp.length().saturating_sub(8)
        );
    }

    /// ICMP; `len` is the ICMP message length.
    fn icmpv4(&mut self, ends: &Ends, icmp: &Icmpv4Slice, len: usize) {
        let start = self.out.len();
        put!(self.out, "{} > {}: ICMP ", ends.src, ends.dst);
        let [a, b, c, d] = icmp.bytes5to8();
        let (id, seq) = (u16::from_be_bytes([a, b]), u16::from_be_bytes([c, d]));
        match icmp.type_u8() {
            0 => put!(self.out, "echo reply, id {id}, seq {seq}"),
            8 => put!(self.out, "echo request, id {id}, seq {seq}"),
            3 => {
                if !unreachable(self.out, icmp.code_u8(), icmp.payload()) {
                    self.out.truncate(start);
                    self.truncated(ends, "icmp");
                    return;
                }
            }
            11 if icmp.code_u8() == 1 => put!(self.out, "ip reassembly time exceeded"),
            11 => put!(self.out, "time exceeded in-transit"),
            5 => put!(
                self.out,
                "redirect to host {}",
                Ipv4Addr::from([a, b, c, d])
            ),
            13 => put!(self.out, "time stamp query id {id} seq {seq}"),
            14 => put!(self.out, "time stamp reply id {id} seq {seq}"),
            t => put!(self.out, "type-#{t}"),
        }
        put!(self.out, ", length {len}");
    }

    /// ICMPv6; `len` is the ICMPv6 message length.
    fn icmpv6(&mut self, ends: &Ends, icmp: &Icmpv6Slice, len: usize) {
        put!(self.out, "{} > {}: ICMP6, ", ends.src, ends.dst);
        let [a, b, c, d] = icmp.bytes5to8();
        let (id, seq) = (u16::from_be_bytes([a, b]), u16::from_be_bytes([c, d]));
        let target = icmp
            .payload()
            .get(..16)
            .and_then(|t| <[u8; 16]>::try_from(t).ok())
            .map(Ipv6Addr::from);
        match (icmp.type_u8(), target) {
            (128, _) => put!(self.out, "echo request, id {id}, seq {seq}"),
            (129, _) => put!(self.out, "echo reply, id {id}, seq {seq}"),
            (135, Some(t)) => put!(self.out, "neighbor solicitation, who has {t}"),
            (136, Some(t)) => put!(self.out, "neighbor advertisement, tgt is {t}"),
            (1, _) => put!(self.out, "destination unreachable"),
            (2, _) => put!(
                self.out,
                "packet too big, mtu {}",
                u32::from_be_bytes([a, b, c, d])
            ),
            (3, _) => put!(self.out, "time exceeded in-transit"),
            (4, _) => put!(self.out, "parameter problem"),
            (130, _) => put!(self.out, "multicast listener query"),
            (131, _) => put!(self.out, "multicast listener report"),
            (132, _) => put!(self.out, "multicast listener done"),
            (133, _) => put!(self.out, "router solicitation"),
            (134, _) => put!(self.out, "router advertisement"),
            (135, None) => put!(self.out, "neighbor solicitation"),
            (136, None) => put!(self.out, "neighbor advertisement"),
            (137, _) => put!(self.out, "redirect"),
            (143, _) => put!(self.out, "multicast listener report v2"),
            (t, _) => put!(self.out, "unknown icmp6 type ({t})"),
        }
        put!(self.out, ", length {len}");
    }

    /// IGMP from its raw bytes (type and group address).
    fn igmp(&mut self, bytes: &[u8]) {
        if self.opts.quiet {
            self.out.push_str("igmp");
            return;
        }
        let group = bytes
            .get(4..8)
            .map(|g| Ipv4Addr::new(g[0], g[1], g[2], g[3]));
        match (bytes.first(), group) {
            (Some(0x11), Some(g)) if g.is_unspecified() => put!(self.out, "igmp query"),
            (Some(0x11), Some(g)) => put!(self.out, "igmp query {g}"),
            (Some(0x12), Some(g)) => put!(self.out, "igmp v1 report {g}"),
            (Some(0x16), Some(g)) => put!(self.out, "igmp v2 report {g}"),
            (Some(0x17), Some(g)) => put!(self.out, "igmp leave {g}"),
            (Some(0x22), _) => put!(self.out, "igmp v3 report"),
            (Some(t), _) => put!(self.out, "igmp-{t}"),
            (None, _) => put!(self.out, "[|igmp]"),
        }
    }

    /// ARP for Ethernet/IPv4 as tcpdump prints it; anything else by
    /// operation number only.
    fn arp(&mut self, arp: &ArpPacketSlice, len: u32) {
        if !self.opts.link_header {
            self.out.push_str("ARP, ");
        }
        let sha = arp.sender_hw_addr();
        let tha = arp.target_hw_addr();
        let ipv4 = |a: &[u8]| match <[u8; 4]>::try_from(a) {
            Ok(a) => Ipv4Addr::from(a).to_string(),
            Err(_) => Mac(a).to_string(),
        };
        let (spa, tpa) = (
            ipv4(arp.sender_protocol_addr()),
            ipv4(arp.target_protocol_addr()),
        );
        if self.opts.verbose > 0 {
            put!(
                self.out,
                "{} (len {}), {} (len {}), ",
                if arp.hw_addr_type().0 == 1 {
                    "Ethernet".to_string()
                } else {
                    format!("hwtype {}", arp.hw_addr_type().0)
                },
                arp.hw_addr_size(),
                EtherTypeName(arp.proto_addr_type()).short(),
                arp.proto_addr_size()
            );
        }
        match arp.operation().0 {
            1 => {
                put!(self.out, "Request who-has {tpa}");
                if tha.iter().any(|&b| b != 0) {
                    put!(self.out, " ({})", Mac(tha));
                }
                put!(self.out, " tell {spa}");
            }
            2 => put!(self.out, "Reply {spa} is-at {}", Mac(sha)),
            3 => put!(
                self.out,
                "Reverse Request who-is {} tell {}",
                Mac(tha),
                Mac(sha)
            ),
            4 => put!(self.out, "Reverse Reply {} at {tpa}", Mac(tha)),
            op => put!(self.out, "Unknown ({op})"),
        }
        put!(self.out, ", length {len}");
    }
}

/// Prints an ICMP destination unreachable message, naming the original
/// destination from the quoted header; false (nothing printed) if the
/// quoted header is missing, which tcpdump shows as truncation.
fn unreachable(out: &mut String, code: u8, quoted: &[u8]) -> bool {
    let inner = LaxSlicedPacket::from_ip(quoted).ok();
    let Some(Some(LaxNetSlice::Ipv4(ip))) = inner.as_ref().map(|p| &p.net) else {
        return false;
    };
    let dst = ip.header().destination_addr();
    let proto = ip.payload().ip_number;
    // Port numbers sit in the first 4 bytes of TCP and UDP alike, which
    // are all a router must quote.
    let dport = ip
        .payload()
        .payload
        .get(2..4)
        .map(|p| u16::from_be_bytes([p[0], p[1]]));
    match (code, proto, dport) {
        (0, _, _) => put!(out, "net {dst} unreachable"),
        (1, _, _) => put!(out, "host {dst} unreachable"),
        (2, p, _) => put!(out, "{dst} protocol {} unreachable", p.0),
        (3, IpNumber::UDP, Some(port)) => put!(out, "{dst} udp port {port} unreachable"),
        (3, IpNumber::TCP, Some(port)) => put!(out, "{dst} tcp port {port} unreachable"),
        (3, p, _) => put!(out, "{dst} port unreachable (proto {})", p.0),
        (4, _, _) => put!(out, "{dst} unreachable - need to frag"),
        (13, _, _) => put!(out, "{dst} unreachable - admin prohibited filter"),
        (c, _, _) => put!(out, "{dst} unreachable - code {c}"),
    }
    true
}

/// Slices the transport header of a first fragment, which etherparse
/// leaves alone because the rest of the datagram is elsewhere; tcpdump
/// still shows the header.
fn slice_transport<'a>(payload: &LaxIpPayloadSlice<'a>) -> Option<TransportSlice<'a>> {
    if !payload.fragmented {
        return None;
    }
    let bytes = payload.payload;
    match payload.ip_number {
        IpNumber::TCP => TcpSlice::from_slice(bytes).ok().map(TransportSlice::Tcp),
        IpNumber::UDP => UdpSlice::from_slice_lax(bytes)
            .ok()
            .map(TransportSlice::Udp),
        IpNumber::ICMP => Icmpv4Slice::from_slice(bytes)
            .ok()
            .map(TransportSlice::Icmpv4),
        IpNumber::IPV6_ICMP => Icmpv6Slice::from_slice(bytes)
            .ok()
            .map(TransportSlice::Icmpv6),
        _ => None,
    }
}

/// TCP options as tcpdump lists them: `mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7`.
fn write_tcp_options(out: &mut String, mut opts: &[u8]) {
    let mut first = true;
    while let Some(&kind) = opts.first() {
        if !first {
            out.push(',');
        }
        first = false;
        let (len, body) = match kind {
            0 => {
                out.push_str("eol");
                return;
            }
            1 => {
                out.push_str("nop");
                opts = &opts[1..];
                continue;
            }
            _ => match opts.get(1) {
                Some(&l) if l >= 2 && usize::from(l) <= opts.len() => {
                    (usize::from(l), &opts[2..usize::from(l)])
                }
                _ => {
                    out.push_str("bad opt");
                    return;
                }
            },
        };
        let be16 = |b: &[u8]| u16::from_be_bytes([b[0], b[1]]);
        let be32 = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
        match (kind, body.len()) {
            (2, 2) => put!(out, "mss {}", be16(body)),
            (3, 1) => put!(out, "wscale {}", body[0]),
            (4, 0) => out.push_str("sackOK"),
            (5, n) if n % 8 == 0 => {
                put!(out, "sack {}", n / 8);
                for block in body.chunks(8) {
                    put!(out, " {{{}:{}}}", be32(&block[..4]), be32(&block[4..]));
                }
            }
            (8, 8) => put!(out, "TS val {} ecr {}", be32(&body[..4]), be32(&body[4..])),
            (k, _) => put!(out, "unknown-{k}"),
        }
        opts = &opts[len..];
    }
}

/// Source and destination addresses, already formatted.
struct Ends {
    src: String,
    dst: String,
}

/// TCP flags as tcpdump letters, in its order; `none` if no flag is set.
struct TcpFlags<'a, 'b>(&'a TcpSlice<'b>);

impl std::fmt::Display for TcpFlags<'_, '_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let t = self.0;
        let flags = [
            (t.fin(), 'F'),
            (t.syn(), 'S'),
            (t.rst(), 'R'),
            (t.psh(), 'P'),
            (t.ack(), '.'),
            (t.urg(), 'U'),
            (t.ece(), 'E'),
            (t.cwr(), 'W'),
        ];
        let mut any = false;
        for (set, letter) in flags {
            if set {
                any = true;
                write!(f, "{letter}")?;
            }
        }
        if !any {
            f.write_str("none")?;
        }
        Ok(())
    }
}

/// A hardware address as colon-separated hex bytes.
struct Mac<'a>(&'a [u8]);

impl std::fmt::Display for Mac<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, b) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(":")?;
            }
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

/// Ether types whose payload this module decodes (the rest is dumped).
fn is_decoded_ether_type(et: EtherType) -> bool {
    matches!(et.0, 0x0800 | 0x86dd | 0x0806 | 0x8847 | 0x8848)
}

/// `ethertype IPv4 (0x0800)` as tcpdump -e prints it.
struct EtherTypeName(EtherType);

impl EtherTypeName {
    /// tcpdump's name for the ether type, or `Unknown`.
    fn short(&self) -> &'static str {
        match self.0.0 {
            0x0800 => "IPv4",
            0x0806 => "ARP",
            0x86dd => "IPv6",
            0x8100 => "802.1Q",
            0x88a8 => "802.1Q-QinQ",
            0x9100 => "802.1Q-9100",
            0x8035 => "Reverse ARP",
            0x88cc => "LLDP",
            0x8847 => "MPLS unicast",
            0x8848 => "MPLS multicast",
            0x8863 => "PPPoE D",
            0x8864 => "PPPoE S",
            0x888e => "EAPOL",
            0x88e5 => "802.1AE MACsec",
            0x8809 => "Slow Protocols",
            0x88f7 => "PTP",
            0x8137 => "IPX",
            0x809b => "Appletalk",
            0x22f0 => "AVTP",
            _ => "Unknown",
        }
    }
}

impl std::fmt::Display for EtherTypeName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ethertype {} (0x{:04x})", self.short(), self.0.0)
    }
}

/// tcpdump's name for an IP protocol number in `-v` output.
fn proto_name(p: IpNumber) -> &'static str {
    match p.0 {
        0 => "Options",
        1 => "ICMP",
        2 => "IGMP",
        4 => "IPIP",
        6 => "TCP",
        17 => "UDP",
        41 => "IPv6",
        43 => "Routing",
        44 => "Fragment",
        47 => "GRE",
        50 => "ESP",
        51 => "AH",
        58 => "ICMPv6",
        59 => "NONE",
        60 => "DSTOPTS",
        89 => "OSPF",
        103 => "PIM",
        112 => "VRRP",
        132 => "SCTP",
        136 => "UDPLite",
        _ => "unknown",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use etherparse::PacketBuilder;

    const MAC_A: [u8; 6] = [0x00, 0x11, 0x22, 0x33, 0x44, 0x55];
    const MAC_B: [u8; 6] = [0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb];

    fn opts() -> SummaryOptions {
        SummaryOptions {
            time: TimeFormat::Epoch,
            ..SummaryOptions::default()
        }
    }

    fn summary(o: SummaryOptions, link: LinkType, data: &[u8]) -> String {
        let mut out = String::new();
        Summarizer::new(o).write(&mut out, link, 1_700_000_000, 0, data.len() as u32, data);
        out
    }

    fn tcp_syn() -> Vec<u8> {
        let b = PacketBuilder::ethernet2(MAC_A, MAC_B)
            .ipv4([10, 0, 0, 1], [10, 0, 0, 2], 64)
            .tcp(1234, 80, 1, 512)
            .syn();
        let mut v = Vec::new();
        b.write(&mut v, &[]).unwrap();
        v
    }

    #[test]
    fn tcp_syn_line() {
        assert_eq!(
            summary(opts(), LinkType::EN10MB, &tcp_syn()),
            "1700000000.000000 IP 10.0.0.1.1234 > 10.0.0.2.80: Flags [S], seq 1, win 512, length 0\n"
        );
    }

    #[test]
    fn tcp_ack_with_payload() {
        let b = PacketBuilder::ethernet2(MAC_A, MAC_B)
            .ipv6(
                [0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
                [0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2],
                64,
            )
            .tcp(22, 40000, 100, 1000)
            .ack(7)
            .psh();
        let mut v = Vec::new();
        b.write(&mut v, b"hello").unwrap();
        assert_eq!(
            summary(opts(), LinkType::EN10MB, &v),
            "1700000000.000000 IP6 2001:db8::1.22 > fe80::2.40000: Flags [P.], seq 100:105, ack 7, win 1000, length 5\n"
        );
    }

    #[test]
    fn udp_line_and_quiet_tcp() {
        let b = PacketBuilder::ip(etherparse::IpHeaders::Ipv4(
            etherparse::Ipv4Header::new(0, 64, IpNumber::UDP, [10, 0, 0, 1], [10, 0, 0, 2])
                .unwrap(),
            Default::default(),
        ))
        .udp(1000, 2000);
        let mut v = Vec::new();
        b.write(&mut v, &[0; 64]).unwrap();
        assert_eq!(
            summary(opts(), LinkType::RAW, &v),
            "1700000000.000000 IP 10.0.0.1.1000 > 10.0.0.2.2000: UDP, length 64\n"
        );
        let quiet = SummaryOptions {
            quiet: true,
            ..opts()
        };
        assert_eq!(
            summary(quiet, LinkType::EN10MB, &tcp_syn()),
            "1700000000.000000 IP 10.0.0.1.1234 > 10.0.0.2.80: tcp 0\n"
        );
    }

    #[test]
    fn icmp_echo_line() {
        let b = PacketBuilder::ethernet2(MAC_A, MAC_B)
            .ipv4([10, 0, 0, 1], [10, 0, 0, 2], 64)
            .icmpv4_echo_request(1, 1);
        let mut v = Vec::new();
        b.write(&mut v, &[0; 56]).unwrap();
        assert_eq!(
            summary(opts(), LinkType::EN10MB, &v),
            "1700000000.000000 IP 10.0.0.1 > 10.0.0.2: ICMP echo request, id 1, seq 1, length 64\n"
        );
    }

    fn arp_request() -> Vec<u8> {
        let mut v = Vec::new();
        v.extend_from_slice(&[0xff; 6]);
        v.extend_from_slice(&MAC_A);
        v.extend_from_slice(&[0x08, 0x06, 0, 1, 0x08, 0, 6, 4, 0, 1]);
        v.extend_from_slice(&MAC_A);
        v.extend_from_slice(&[10, 0, 0, 1]);
        v.extend_from_slice(&[0; 6]);
        v.extend_from_slice(&[10, 0, 0, 2]);
        v
    }

    #[test]
    fn arp_request_line() {
        assert_eq!(
            summary(opts(), LinkType::EN10MB, &arp_request()),
            "1700000000.000000 ARP, Request who-has 10.0.0.2 tell 10.0.0.1, length 28\n"
        );
    }

    #[test]
    fn link_header_line() {
        let o = SummaryOptions {
            link_header: true,
            time: TimeFormat::None,
            ..opts()
        };
        assert_eq!(
            summary(o, LinkType::EN10MB, &tcp_syn()),
            "00:11:22:33:44:55 > 66:77:88:99:aa:bb, ethertype IPv4 (0x0800), length 54: \
             10.0.0.1.1234 > 10.0.0.2.80: Flags [S], seq 1, win 512, length 0\n"
        );
        assert_eq!(
            summary(o, LinkType::EN10MB, &arp_request()),
            "00:11:22:33:44:55 > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 42: \
             Request who-has 10.0.0.2 tell 10.0.0.1, length 28\n"
        );
    }

    #[test]
    fn hex_ascii_dump() {
        let o = SummaryOptions {
            time: TimeFormat::None,
            hex: 1,
            ascii: true,
            ..opts()
        };
        let out = summary(o, LinkType::EN10MB, &tcp_syn());
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 4);
        assert_eq!(
            lines[1],
            "\t0x0000:  4500 0028 0000 4000 4006 26ce 0a00 0001  E..(..@.@.&....."
        );
        assert_eq!(
            lines[3],
            "\t0x0020:  5002 0200 94bd 0000                      P......."
        );
    }

    #[test]
    fn relative_times() {
        let o = SummaryOptions {
            time: TimeFormat::Delta,
            ..opts()
        };
        let mut s = Summarizer::new(o);
        let mut out = String::new();
        let pkt = tcp_syn();
        s.write(&mut out, LinkType::EN10MB, 10, 0, 54, &pkt);
        s.write(&mut out, LinkType::EN10MB, 3671, 500_000_000, 54, &pkt);
        let stamps: Vec<&str> = out.lines().map(|l| &l[..17]).collect();
        assert_eq!(stamps, [" 00:00:00.000000 ", " 01:01:01.500000 "]);
    }

    #[test]
    fn never_panics() {
        let links = [0, 1, 12, 108, 113, 228, 229, 147];
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let base = [tcp_syn(), arp_request()];
        for round in 0..20_000 {
            let len = (next() % 120) as usize;
            let mut data: Vec<u8> = (0..len).map(|_| next() as u8).collect();
            // Half the inputs start from a valid packet so that the deeper
            // layers get exercised too.
            if round % 2 == 0 {
                let b = &base[round / 2 % 2];
                data = b[..len.min(b.len())].to_vec();
                if let Some(x) = data.get_mut(next() as usize % len.max(1)) {
                    *x = next() as u8;
                }
            }
            for &link in &links {
                let o = SummaryOptions {
                    time: TimeFormat::TimeOfDay,
                    link_header: round % 3 == 0,
                    verbose: (round % 2) as u8,
                    hex: (round % 3) as u8,
                    ascii: round % 5 == 0,
                    ..opts()
                };
                let out = summary(o, LinkType(link), &data);
                assert!(out.ends_with('\n'));
            }
        }
    }
}
