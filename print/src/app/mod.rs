//! Application-layer printers over UDP: what tcpdump prints after
//! `IP a.p > b.q: ` for the ports it knows (its `udp_print` dispatch).
//!
//! Every printer reads the captured payload through [`Bytes`], whose
//! accessors fail with the core's [`Trunc`] instead of reading past the
//! capture; a printer that returns `Err(Trunc)` gets tcpdump's
//! truncation mark (` [|proto]`, `proto` set here before the printer
//! runs), either as tcpdump's `nd_print_trunc` (the packet goes on) or,
//! for the printers whose reads are tcpdump's `GET_*` macros, as the
//! core's longjmp ([`udp`] returns the `Err`). Nothing here may panic on
//! any bytes.
//!
//! The printers get the packet's output and an options view ([`Ctx`]);
//! VXLAN and Geneve get the core's per-packet context itself, so the
//! inner frame is printed by the core's `ether` printers with the same
//! options, names and TCP state.

#[cfg(test)]
use crate::SummaryOptions;
use crate::ctx::{Bytes as CoreBytes, Ctx as PacketCtx, fn_char};
pub(crate) use crate::ctx::{Res, Trunc, put, tok};

mod ahcp;
mod aodv;
mod autorp;
mod babel;
mod bfd;
mod bootp;
mod cnfp;
mod dhcp6;
mod dns;
mod hsrp;
pub(crate) mod isakmp;
pub(crate) mod ldp;
mod lmp;
mod lspping;
mod lwapp;
mod misc;
mod ntp;
mod radius;
mod rip;
mod rtp;
pub(crate) mod rx;
mod sflow;
mod snmp;
mod someip;
mod sunrpc;
mod tunnel;
mod wb;

/// The options the application printers look at.
#[derive(Clone, Copy)]
pub(crate) struct Ctx {
    /// `-v` count.
    pub verbose: u8,
    /// `-n` (`opts.numeric > 0`). The printers here resolve no host
    /// names: they print what tcpdump prints with `-n`, but for BOOTP's
    /// client hardware address (the vendor without `-n`, as tcpdump's
    /// `etheraddr_string`). Without `-n` tcpdump would also print host
    /// names where it calls `ipaddr_string` (BOOTP/DHCP addresses and
    /// options, NTP reference ids, RADIUS and HSRP addresses, SNMP agent
    /// addresses) and MIB names for SNMP object identifiers; those are
    /// the places to look at `numeric`.
    pub numeric: bool,
}

/// Bounds-checked big-endian reads of the captured bytes (the core's
/// [`CoreBytes`] reads, as methods of a copyable handle).
#[derive(Clone, Copy)]
pub(crate) struct Bytes<'a>(pub &'a [u8]);

impl<'a> Bytes<'a> {
    pub fn len(&self) -> usize {
        self.0.len()
    }
    /// `n` bytes at `at` are captured (tcpdump's `ND_TTEST_LEN`).
    pub fn has(&self, at: usize, n: usize) -> bool {
        CoreBytes::has(self.0, at, n)
    }
    pub fn get(&self, at: usize, n: usize) -> Res<&'a [u8]> {
        CoreBytes::sub(self.0, at, n)
    }
    pub fn u8(&self, at: usize) -> Res<u8> {
        CoreBytes::u8_at(self.0, at)
    }
    pub fn be16(&self, at: usize) -> Res<u16> {
        CoreBytes::be16(self.0, at)
    }
    pub fn be24(&self, at: usize) -> Res<u32> {
        CoreBytes::be24(self.0, at)
    }
    pub fn be32(&self, at: usize) -> Res<u32> {
        CoreBytes::be32(self.0, at)
    }
    pub fn ipv4(&self, at: usize) -> Res<std::net::Ipv4Addr> {
        let b = self.get(at, 4)?;
        Ok(std::net::Ipv4Addr::new(b[0], b[1], b[2], b[3]))
    }
    pub fn ipv6(&self, at: usize) -> Res<crate::ctx::Ip6> {
        let b: [u8; 16] = self.get(at, 16)?.try_into().map_err(|_| Trunc)?;
        Ok(crate::ctx::Ip6(b))
    }
}

/// One byte as tcpdump's `fn_print_char` shows it: `M-` for the high
/// bit, `^X` for control characters.
pub(crate) fn print_char(out: &mut String, c: u8) {
    fn_char(out, c);
}

/// tcpdump's `nd_printn`: up to `n` bytes from `at`, stopping at the end
/// of the capture; false when the capture ended first.
pub(crate) fn printn(out: &mut String, b: Bytes, at: usize, n: usize) -> bool {
    let avail = b.0.get(at..).unwrap_or(&[]);
    for &c in avail.iter().take(n) {
        print_char(out, c);
    }
    avail.len() >= n
}

/// tcpdump's `nd_printztn`: a NUL-terminated string of at most `n`
/// bytes; the bytes used including the NUL, or 0 when no NUL came
/// within `n` bytes or the capture.
pub(crate) fn printztn(out: &mut String, b: Bytes, at: usize, n: usize) -> usize {
    for k in 0..n {
        let Ok(c) = b.u8(at + k) else {
            return 0;
        };
        if c == 0 {
            return k + 1;
        }
        print_char(out, c);
    }
    0
}

/// tcpdump's `nd_printjn`: exactly `n` bytes, else truncated.
pub(crate) fn printjn(out: &mut String, b: Bytes, at: usize, n: usize) -> Res {
    for &c in b.get(at, n)? {
        print_char(out, c);
    }
    Ok(())
}

/// tcpdump's `print_unknown_data`: a hex dump of what was captured of
/// `len` bytes at `at`.
pub(crate) fn unknown_data(out: &mut String, b: Bytes, indent: &str, at: usize, len: usize) {
    let avail = b.0.get(at..).unwrap_or(&[]);
    hex_print(out, indent, &avail[..avail.len().min(len)]);
}

/// tcpdump's `nd_printjnp`: exactly `n` bytes (else truncated), stopping
/// at a NUL.
pub(crate) fn printjnp(out: &mut String, b: Bytes, at: usize, n: usize) -> Res {
    for &c in b.get(at, n)? {
        if c == 0 {
            break;
        }
        print_char(out, c);
    }
    Ok(())
}

/// tcpdump's `unsigned_relts_print`: `1h2m3s`.
pub(crate) fn relts(out: &mut String, secs: u32) {
    out.push_str(&crate::icmp::relts(secs));
}

/// tcpdump's `hex_print_with_offset` (what `print_unknown_data`
/// shows): `{indent}0x0000: ` every 16 bytes, then ` 6162` pairs.
pub(crate) fn hex_print(out: &mut String, indent: &str, bytes: &[u8]) {
    crate::hex::hex_prefixed(out, indent, bytes, 0);
}

/// What `udp_print` chooses for a pair of ports, in its order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum App {
    Dns {
        mdns: bool,
    },
    Tftp,
    Bootp,
    Rip,
    Aodv,
    Snmp,
    Ntp,
    Krb,
    Ripng,
    Dhcp6,
    Ahcp,
    Babel,
    Radius,
    Hsrp,
    Ldp,
    AutoRp,
    Lspping,
    Wb,
    LwappControl {
        ap_ident: bool,
    },
    LwappData,
    Bfd,
    Sflow,
    Sip,
    Syslog,
    /// ISAKMP; `natt`: UDP 4500 (RFC 3948's marker or ESP).
    Isakmp {
        natt: bool,
    },
    Vxlan,
    Geneve,
    Rx,
    Rtp,
    Rtcp,
    Vat,
    Ptp,
    Someip,
    Lmp,
    /// PGM over UDP (`-T pgm` only).
    Pgm,
    /// Sun RPC (`-T rpc` only).
    Rpc,
    /// Cisco NetFlow (`-T cnfp` only).
    Cnfp,
    /// A protocol tcpdump decodes (named here) and this crate does not
    /// (yet): the UDP printer's `UDP, length N` is printed instead.
    NotDone(&'static str),
}

/// tcpdump 4.99's `udp_print` port dispatch (the order matters: the
/// first match wins, and most protocols match on either port).
fn dispatch(sport: u16, dport: u16) -> Option<App> {
    let either = |p: u16| sport == p || dport == p;
    let any = |ps: &[u16]| ps.iter().any(|&p| either(p));
    let app = if either(53) {
        App::Dns { mdns: false }
    } else if either(5353) {
        App::Dns { mdns: true }
    } else if either(525) {
        App::NotDone("timed")
    } else if either(69) {
        App::Tftp
    } else if any(&[68, 67]) {
        App::Bootp
    } else if either(520) {
        App::Rip
    } else if either(654) {
        App::Aodv
    } else if any(&[500, 4500, 7500, 8500]) {
        App::Isakmp {
            natt: !either(500) && either(4500),
        }
    } else if any(&[161, 162]) {
        App::Snmp
    } else if either(123) {
        App::Ntp
    } else if any(&[88, 750]) {
        App::Krb
    } else if either(1701) {
        App::NotDone("L2TP")
    } else if dport == 3456 {
        App::Vat
    } else if any(&[2103, 2104]) {
        App::NotDone("Zephyr")
    } else if (7000..=7009).contains(&sport) || (7000..=7009).contains(&dport) {
        App::Rx
    } else if either(521) {
        App::Ripng
    } else if any(&[546, 547]) {
        App::Dhcp6
    } else if either(5359) {
        App::Ahcp
    } else if any(&[6696, 6697]) {
        App::Babel
    } else if either(8231) {
        App::NotDone("HNCP")
    } else if dport == 4567 {
        App::Wb
    } else if either(496) {
        App::AutoRp
    } else if any(&[1645, 1812, 1646, 1813, 1700, 3799]) {
        App::Radius
    } else if dport == 1985 {
        App::Hsrp
    } else if either(921) {
        App::NotDone("LWRES")
    } else if either(646) {
        App::Ldp
    } else if either(698) {
        App::NotDone("OLSR")
    } else if either(3503) {
        App::Lspping
    } else if sport == 49152 {
        App::NotDone("BCM LI")
    } else if matches!(dport, 3784 | 4784 | 6784 | 3785) {
        App::Bfd
    } else if either(701) {
        App::Lmp
    } else if either(1589) {
        App::NotDone("VQP")
    } else if either(6343) {
        App::Sflow
    } else if dport == 12223 || sport == 12223 {
        App::LwappControl {
            ap_ident: dport == 12223,
        }
    } else if either(12222) {
        App::LwappData
    } else if either(5060) {
        App::Sip
    } else if either(514) {
        App::Syslog
    } else if either(8472) {
        App::NotDone("OTV")
    } else if either(4789) {
        App::Vxlan
    } else if either(6081) {
        App::Geneve
    } else if either(4342) {
        App::NotDone("LISP")
    } else if either(4790) {
        App::NotDone("VXLAN-GPE")
    } else if either(17754) {
        App::NotDone("ZEP")
    } else if either(6635) {
        App::NotDone("MPLS")
    } else if any(&[319, 320]) {
        // (tcpdump first tries AppleTalk's KIP on its ports, by the
        // payload's first byte; not done here.)
        App::Ptp
    } else if either(30490) {
        App::Someip
    } else {
        return None;
    };
    Some(app)
}

/// `-T TYPE`: the printer tcpdump's `udp_print` uses for every port
/// (the types of [`crate::PACKET_TYPES`]).
fn forced(name: &str) -> Option<App> {
    Some(match name {
        "rtp" => App::Rtp,
        "rtcp" => App::Rtcp,
        "snmp" => App::Snmp,
        "tftp" => App::Tftp,
        "radius" => App::Radius,
        "vxlan" => App::Vxlan,
        "wb" => App::Wb,
        "domain" => App::Dns { mdns: false },
        "rpc" => App::Rpc,
        "cnfp" => App::Cnfp,
        "aodv" => App::Aodv,
        "vat" => App::Vat,
        "ptp" => App::Ptp,
        "someip" => App::Someip,
        "lmp" => App::Lmp,
        "pgm" | "pgm_zmtp1" => App::Pgm,
        _ => return None,
    })
}

/// Whether `-T name` prints UDP payloads (tcpdump prints nothing of a
/// UDP packet for the other types).
pub(crate) fn forced_over_udp(name: &str) -> bool {
    forced(name).is_some()
}

/// `-T TYPE` over TCP (print-tcp.c): the payload as DNS (after its
/// two-byte length), RESP or ZMTP/1.0; nothing for the other types.
pub(crate) fn tcp_forced(ctx: &mut PacketCtx<'_>, name: &str, p: &[u8], length: u32) -> Res {
    if name == "resp" {
        return crate::resp::resp_print(ctx, p, length);
    }
    if name == "zmtp1" {
        return crate::zmtp1::zmtp1_print(ctx, p, length);
    }
    if name != "domain" {
        return Ok(());
    }
    ctx.proto = "domain";
    let Some(length) = length.checked_sub(2) else {
        put!(ctx.out, " [DNS over TCP: length {length} < 2] (invalid)");
        return Ok(());
    };
    let prefix = u32::from(Bytes(p).be16(0)?);
    if prefix != length {
        put!(
            ctx.out,
            " [prefix length({prefix}) != length({length})] (invalid)"
        );
        return Ok(());
    }
    ctx.out.push(' ');
    let p = &p[2..];
    let cx = Ctx {
        verbose: ctx.o.verbose,
        numeric: ctx.o.numeric > 0,
    };
    let b = Bytes(&p[..p.len().min(length as usize)]);
    if dns::print(ctx.out, &cx, b, length, false).is_err() {
        ctx.explicit_trunc();
    }
    Ok(())
}

/// Prints the application text after `IP a.p > b.q: ` for the ports
/// tcpdump decodes (its `udp_print` dispatch); `Ok(false)` when the UDP
/// printer is to print `UDP, length N` itself (ports of no application
/// decoded here, or `-q`). `payload`: the UDP payload as captured, to
/// the end of the IP datagram (tcpdump's `snapend`), which may go past
/// what the UDP header claims; `length`: the UDP payload length as
/// `udp_print` passes it on, the smaller of the UDP header's length and
/// the IP payload length, less 8. Each printer bounds its reads by one or the other as its
/// tcpdump counterpart does (most read fields up to `snapend` and loop
/// up to `length`). `Err(Trunc)`: the
/// capture ended inside the application (`ctx.proto` names the printer
/// for ` [|proto]`).
pub(crate) fn udp(
    ctx: &mut PacketCtx<'_>,
    sport: u16,
    dport: u16,
    payload: &[u8],
    length: u32,
    ip: Option<&crate::ip::IpInfo<'_>>,
) -> Res<bool> {
    let forced = ctx.o.packet_type.and_then(forced);
    if ctx.o.quiet > 0 && forced.is_none() {
        return Ok(false);
    }
    let Some(app) = forced.or_else(|| dispatch(sport, dport)) else {
        return Ok(false);
    };
    let cx = Ctx {
        verbose: ctx.o.verbose,
        numeric: ctx.o.numeric > 0,
    };
    let b = Bytes(payload);
    // How tcpdump's printer ends on a read past the capture: most with
    // `nd_print_trunc` and a return (the packet goes on, -x leaves out
    // the link header), some through the `GET_*` longjmp (the dumps then
    // show the whole packet). Where a printer does both, the more common
    // one is taken: RADIUS checks its header itself and reads the
    // attributes (-v) with `GET_*`; NTP's -v fields end with
    // `nd_print_trunc`, as do some BOOTP options and RADIUS attributes
    // (a difference in the -x dumps of such packets that remains).
    let v = ctx.o.verbose > 0;
    let (proto, longjmp) = match app {
        App::Dns { .. } => ("domain", false),
        App::Bootp => ("bootp", true),
        App::Dhcp6 => ("dhcp6", false),
        App::Tftp => ("tftp", false),
        App::Ntp => ("ntp", !v),
        App::Syslog => ("syslog", false),
        App::Sip => ("sip", false),
        App::Rip => ("rip", false),
        App::Radius => ("radius", v),
        App::Snmp => ("snmp", true),
        App::Babel => ("babel", false),
        App::Ahcp => ("ahcp", true),
        App::Sflow => ("sflow", true),
        App::Bfd => ("bfd", true),
        App::Krb => ("krb", true),
        App::Ripng => ("ripng", false),
        App::Hsrp => ("hsrp", true),
        App::Ldp => ("ldp", true),
        App::AutoRp => ("cisco_autorp", true),
        App::Lspping => ("lspping", true),
        App::Wb => ("wb", true),
        App::LwappControl { .. } => ("lwapp_control", false),
        App::LwappData => ("lwapp_data", false),
        App::Vxlan => ("vxlan", true),
        App::Geneve => ("geneve", true),
        App::Isakmp { .. } => ("isakmp", true),
        App::Rx => ("rx", true),
        App::Rtp => ("rtp", true),
        App::Rtcp => ("rtcp", true),
        // The direction is read as part of the UDP printer.
        App::Rpc => ("udp", true),
        App::Cnfp => ("cnfp", true),
        App::Aodv => ("aodv", true),
        App::Vat => ("vat", true),
        App::Ptp => ("ptp", true),
        App::Someip => ("someip", true),
        App::Lmp => ("lmp", true),
        // Its checks before each part end with `nd_print_trunc`.
        App::Pgm => ("pgm", false),
        App::NotDone(_) => return Ok(false),
    };
    ctx.proto = proto;
    let out = &mut *ctx.out;
    let res = match app {
        App::Dns { mdns } => dns::print(out, &cx, b, length, mdns),
        App::Bootp => bootp::print(out, &cx, b, length),
        App::Dhcp6 => dhcp6::print(out, &cx, b, length),
        App::Tftp => misc::tftp(out, &cx, b, length),
        App::Ntp => ntp::print(out, &cx, b, length),
        App::Syslog => misc::syslog(out, &cx, b, length),
        App::Sip => crate::other::txtproto_print(ctx, b.0, length, Some(&misc::SIP_CMDS)),
        App::Rip => rip::rip(out, &cx, b, length),
        App::Radius => radius::print(out, &cx, b, length),
        App::Snmp => snmp::print(out, &cx, b, length),
        App::Babel => babel::print(out, &cx, b, length),
        App::Ahcp => ahcp::print(out, &cx, b, length),
        App::Sflow => sflow::print(out, &cx, b, length),
        App::Bfd => bfd::print(out, &cx, b, length, dport),
        App::Krb => misc::krb(out, &cx, b, length),
        App::Ripng => rip::ripng(out, &cx, b, length),
        App::Hsrp => hsrp::print(out, &cx, b, length),
        App::Ldp => ldp::print(out, &cx, b, length),
        App::AutoRp => autorp::print(out, &cx, b, length),
        App::Lspping => lspping::print(out, &cx, b, length),
        App::Wb => wb::print(out, &cx, b, length),
        App::LwappControl { ap_ident } => lwapp::control(out, &cx, b, length, ap_ident),
        App::LwappData => lwapp::data(out, &cx, b, length),
        App::Vxlan => tunnel::vxlan(ctx, b, length),
        App::Geneve => tunnel::geneve(ctx, b, length),
        App::Isakmp { natt: false } => isakmp::print(ctx, b, length, ip),
        App::Isakmp { natt: true } => isakmp::rfc3948(ctx, b, length, ip),
        App::Rx => rx::print(out, &cx, b, length, (sport, dport), ctx.rx),
        App::Rtp => rtp::rtp(out, &cx, b, length),
        App::Rtcp => rtp::rtcp(out, &cx, b),
        App::Rpc => sunrpc::print(ctx, b, length, ip),
        App::Cnfp => cnfp::print(out, &cx, b),
        App::Vat => rtp::vat(out, b, length),
        App::Ptp => crate::ptp::ptp_print(ctx, b.0, length),
        App::Someip => someip::print(out, b, length),
        App::Lmp => lmp::print(ctx, b, length),
        App::Pgm => match ip {
            Some(ip) => crate::other::pgm_print(ctx, b.0, *ip, length),
            None => Ok(()),
        },
        App::Aodv => aodv::print(ctx, b, length, ip.is_some_and(|i| i.version == 6)),
        App::NotDone(_) => return Ok(false),
    };
    match res {
        Err(Trunc) if longjmp => return Err(Trunc),
        Err(Trunc) => ctx.explicit_trunc(),
        Ok(()) => {}
    }
    Ok(true)
}

#[cfg(test)]
pub(crate) mod testutil {
    use super::*;

    /// Options for unit tests: `-n` with `verbose` `-v`s.
    pub fn opts(verbose: u8) -> SummaryOptions {
        SummaryOptions {
            time: crate::TimeFormat::None,
            verbose,
            numeric: 1,
            ..SummaryOptions::default()
        }
    }

    /// Runs `udp()` in a packet context of its own, as the UDP printer
    /// does: the text (with ` [|proto]` when the capture ended, as the
    /// link printer adds it), or None when no application printer ran.
    pub fn run(
        o: &SummaryOptions,
        sport: u16,
        dport: u16,
        payload: &[u8],
        len: u32,
    ) -> Option<String> {
        let mut out = String::new();
        let mut tcp = crate::tcp::SeqState::default();
        let mut rx = rx::Calls::default();
        let mut names = crate::Names::new(Box::new(crate::testing::NoNames));
        let mut ctx = PacketCtx {
            out: &mut out,
            o,
            tcp: &mut tcp,
            rx: &mut rx,
            names: &mut names,
            proto: "",
        };
        match udp(&mut ctx, sport, dport, payload, len, None) {
            Ok(false) => return None,
            Ok(true) => {}
            Err(Trunc) => ctx.explicit_trunc(),
        }
        Some(out)
    }

    /// What `udp()` prints for a payload whose header length is its size.
    pub fn app(verbose: u8, sport: u16, dport: u16, payload: &[u8]) -> String {
        app_len(verbose, sport, dport, payload, payload.len() as u32)
    }

    /// Same with the UDP header's length given.
    pub fn app_len(verbose: u8, sport: u16, dport: u16, payload: &[u8], len: u32) -> String {
        run(&opts(verbose), sport, dport, payload, len).expect("an application printer ran")
    }

    /// Bytes from a hex string (whitespace ignored).
    pub fn hex(s: &str) -> Vec<u8> {
        let s: String = s.split_whitespace().collect();
        (0..s.len() / 2)
            .map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bpfcap_filter::LinkType;
    use proptest::prelude::*;

    #[test]
    fn dispatch_order() {
        assert_eq!(dispatch(53, 5353), Some(App::Dns { mdns: false }));
        assert_eq!(dispatch(5353, 67), Some(App::Dns { mdns: true }));
        assert_eq!(dispatch(1985, 1234), None);
        assert_eq!(dispatch(1234, 1985), Some(App::Hsrp));
        assert_eq!(dispatch(7001, 5060), Some(App::Rx));
        assert_eq!(dispatch(1701, 7000), Some(App::NotDone("L2TP")));
        assert_eq!(dispatch(3456, 2103), Some(App::NotDone("Zephyr")));
        assert_eq!(dispatch(2103, 3456), Some(App::Vat));
        assert_eq!(dispatch(654, 53), Some(App::Dns { mdns: false }));
        assert_eq!(dispatch(654, 5353), Some(App::Dns { mdns: true }));
        assert_eq!(dispatch(40000, 654), Some(App::Aodv));
        assert_eq!(dispatch(5355, 40000), None, "tcpdump 4.99 has no LLMNR");
    }

    #[test]
    fn quiet_and_unknown_ports_print_nothing() {
        let mut o = testutil::opts(0);
        o.quiet = 1;
        assert_eq!(testutil::run(&o, 53, 1000, &[0; 12], 12), None);
        let o = testutil::opts(0);
        assert_eq!(testutil::run(&o, 1000, 1001, &[0; 12], 12), None);
    }

    /// A read past the capture ends the packet as tcpdump's printer
    /// does: DNS with `nd_print_trunc` (-x leaves the Ethernet header
    /// out), VXLAN's header through the longjmp (the dump starts at the
    /// frame); VXLAN's inner frame is printed by the core's `ether`.
    #[test]
    fn truncation_ends_like_tcpdump() {
        let line = |port: u16, payload: &[u8], cut: usize| {
            let b = etherparse::PacketBuilder::ethernet2([1; 6], [2; 6])
                .ipv4([10, 0, 0, 1], [10, 0, 0, 2], 64)
                .udp(40000, port);
            let mut frame = Vec::new();
            b.write(&mut frame, payload).unwrap();
            let o = SummaryOptions {
                time: crate::TimeFormat::None,
                numeric: 1,
                hex: 1,
                ..SummaryOptions::default()
            };
            let mut s = crate::Summarizer::with_resolver(o, Box::new(crate::testing::NoNames));
            let mut out = String::new();
            let wire = frame.len() as u32;
            s.write(
                &mut out,
                LinkType::EN10MB,
                0,
                0,
                wire,
                &frame[..frame.len() - cut],
            );
            out
        };
        let dns = line(53, &[0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 3, b'w'], 0);
        assert!(dns.contains(" [|domain]\n\t0x0000:  4500 "), "{dns}");
        let vxlan = line(4789, &[8, 0, 0, 0, 0, 0, 42, 0], 4);
        assert!(
            vxlan.contains("VXLAN, flags [I] (0x08),  [|vxlan]\n\t0x0000:  0202 "),
            "{vxlan}"
        );
        // An ARP request in VXLAN, as tcpdump 4.99 prints it.
        let mut inner = vec![8, 0, 0, 0, 0, 0, 42, 0];
        inner.extend_from_slice(&[3; 12]);
        inner.extend_from_slice(&[8, 6, 0, 1, 8, 0, 6, 4, 0, 1, 3, 3, 3, 3, 3, 3, 10, 0, 0, 9]);
        inner.extend_from_slice(&[0, 0, 0, 0, 0, 0, 10, 0, 0, 7]);
        let vxlan = line(4789, &inner, 0);
        assert!(
            vxlan.starts_with(
                "IP 10.0.0.1.40000 > 10.0.0.2.4789: VXLAN, flags [I] (0x08), vni 42\n\
                 ARP, Request who-has 10.0.0.7 tell 10.0.0.9, length 28\n\t0x0000:  4500 "
            ),
            "{vxlan}"
        );
    }

    #[test]
    fn relts_units() {
        let mut s = String::new();
        relts(&mut s, 3661);
        s.push(' ');
        relts(&mut s, 0);
        s.push(' ');
        relts(&mut s, 90000);
        assert_eq!(s, "1h1m1s 0s 1d1h");
    }

    /// (source port, destination port, UDP payload) of every packet of a
    /// generated golden capture (little-endian pcap, Ethernet, IPv4 or
    /// IPv6, no extension headers).
    fn golden_payloads() -> Vec<(u16, u16, Vec<u8>)> {
        let files: [&[u8]; 13] = [
            include_bytes!("../../tests/goldens/apps/dns.pcap"),
            include_bytes!("../../tests/goldens/apps/dhcp.pcap"),
            include_bytes!("../../tests/goldens/apps/dhcp6.pcap"),
            include_bytes!("../../tests/goldens/apps/ntp.pcap"),
            include_bytes!("../../tests/goldens/apps/text.pcap"),
            include_bytes!("../../tests/goldens/apps/rip.pcap"),
            include_bytes!("../../tests/goldens/apps/radius.pcap"),
            include_bytes!("../../tests/goldens/apps/misc.pcap"),
            include_bytes!("../../tests/goldens/apps/snmp.pcap"),
            include_bytes!("../../tests/goldens/apps/babel.pcap"),
            include_bytes!("../../tests/goldens/apps/ahcp.pcap"),
            include_bytes!("../../tests/goldens/apps/sflow.pcap"),
            include_bytes!("../../tests/goldens/apps/bfd.pcap"),
        ];
        let mut all = Vec::new();
        for file in files {
            let mut at = 24;
            while at + 16 <= file.len() {
                let caplen = u32::from_le_bytes(file[at + 8..at + 12].try_into().unwrap()) as usize;
                let frame = &file[at + 16..at + 16 + caplen];
                at += 16 + caplen;
                let udp = match frame.get(12..14) {
                    Some([0x08, 0x00]) => 14 + 20,
                    Some([0x86, 0xdd]) => 14 + 40,
                    _ => continue,
                };
                let Some(h) = frame.get(udp..udp + 8) else {
                    continue;
                };
                let sport = u16::from_be_bytes([h[0], h[1]]);
                let dport = u16::from_be_bytes([h[2], h[3]]);
                all.push((sport, dport, frame[udp + 8..].to_vec()));
            }
        }
        all
    }

    /// Every golden payload cut at every length, and with each byte set
    /// to a few values, at every verbosity: reaches the printers' deep
    /// branches, which random bytes rarely do.
    #[test]
    fn mutated_goldens_never_panic() {
        let payloads = golden_payloads();
        assert!(payloads.len() > 100);
        for (sport, dport, payload) in &payloads {
            for verbose in 0..4 {
                let o = testutil::opts(verbose);
                let len = payload.len() as u32;
                for cut in 0..payload.len() {
                    testutil::run(&o, *sport, *dport, &payload[..cut], len);
                    testutil::run(&o, *sport, *dport, &payload[..cut], cut as u32);
                    // A UDP length short of what was captured.
                    testutil::run(&o, *sport, *dport, payload, cut as u32);
                }
                let mut m = payload.clone();
                for i in 0..m.len() {
                    let keep = m[i];
                    for v in [0x00, 0x01, 0x3f, 0x7f, 0x80, 0xc0, 0xff] {
                        m[i] = v;
                        testutil::run(&o, *sport, *dport, &m, len);
                    }
                    m[i] = keep;
                }
            }
        }
    }

    const PORTS: [u16; 25] = [
        53, 5353, 69, 67, 68, 520, 161, 162, 123, 521, 546, 547, 1812, 1985, 5060, 514, 4789, 6081,
        6696, 88, 5359, 6343, 3784, 6784, 3785,
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        #[test]
        fn never_panics(
            port in proptest::sample::select(&PORTS[..]),
            payload in proptest::collection::vec(any::<u8>(), 0..400),
            extra in 0u32..64,
            short in 0usize..400,
            verbose in 0u8..4,
        ) {
            for &(s, d) in &[(port, 40000), (40000, port)] {
                let len = payload.len() as u32 + extra;
                testutil::run(&testutil::opts(verbose), s, d, &payload, len);
                // A UDP length short of what was captured.
                let len = short.min(payload.len()) as u32;
                testutil::run(&testutil::opts(verbose), s, d, &payload, len);
            }
        }
    }
}
