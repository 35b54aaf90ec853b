//! What every protocol printer shares: the output, the options, the
//! per-capture state (TCP sequence numbers, name cache), and the
//! truncation-aware reads that end a packet with tcpdump's ` [|proto]`.

use crate::SummaryOptions;
use crate::names::Names;
use crate::tcp::SeqState;

/// A read past the captured bytes: the packet ends with ` [|proto]`,
/// `proto` being the printer that tried the read (tcpdump's longjmp).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Trunc;

/// The result of a printer: `Err` when it ran out of captured bytes.
pub(crate) type Res<T = ()> = Result<T, Trunc>;

/// Reads of big-endian fields that fail with [`Trunc`] past the end.
pub(crate) trait Bytes {
    fn u8_at(&self, at: usize) -> Res<u8>;
    fn be16(&self, at: usize) -> Res<u16>;
    fn be24(&self, at: usize) -> Res<u32>;
    fn be32(&self, at: usize) -> Res<u32>;
    fn le16(&self, at: usize) -> Res<u16>;
    fn le32(&self, at: usize) -> Res<u32>;
    fn sub(&self, at: usize, len: usize) -> Res<&[u8]>;
    fn from(&self, at: usize) -> &[u8];
    fn has(&self, at: usize, len: usize) -> bool;
}

impl Bytes for [u8] {
    fn u8_at(&self, at: usize) -> Res<u8> {
        self.get(at).copied().ok_or(Trunc)
    }
    fn be16(&self, at: usize) -> Res<u16> {
        let b = self.sub(at, 2)?;
        Ok(u16::from_be_bytes([b[0], b[1]]))
    }
    fn be24(&self, at: usize) -> Res<u32> {
        let b = self.sub(at, 3)?;
        Ok(u32::from_be_bytes([0, b[0], b[1], b[2]]))
    }
    fn be32(&self, at: usize) -> Res<u32> {
        let b = self.sub(at, 4)?;
        Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn le16(&self, at: usize) -> Res<u16> {
        let b = self.sub(at, 2)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }
    fn le32(&self, at: usize) -> Res<u32> {
        let b = self.sub(at, 4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn sub(&self, at: usize, len: usize) -> Res<&[u8]> {
        let end = at.checked_add(len).ok_or(Trunc)?;
        self.get(at..end).ok_or(Trunc)
    }
    fn from(&self, at: usize) -> &[u8] {
        self.get(at..).unwrap_or(&[])
    }
    fn has(&self, at: usize, len: usize) -> bool {
        at.checked_add(len).is_some_and(|end| end <= self.len())
    }
}

/// The printing context of one packet.
pub(crate) struct Ctx<'a> {
    /// The line being written.
    pub out: &'a mut String,
    /// The options.
    pub o: &'a SummaryOptions,
    /// TCP conversations seen so far (relative sequence numbers).
    pub tcp: &'a mut SeqState,
    /// AFS Rx calls seen so far (to decode their replies).
    pub rx: &'a mut crate::app::rx::Calls,
    /// Host and port names.
    pub names: &'a mut Names,
    /// The printer that is running, for ` [|proto]`.
    pub proto: &'static str,
}

impl Ctx<'_> {
    /// Appends text.
    pub fn s(&mut self, text: &str) {
        self.out.push_str(text);
    }

    /// tcpdump's default printer for payload nobody decodes: a hex and
    /// ASCII dump, unless -x/-X/-A ask for a dump of the whole packet.
    pub fn default_print(&mut self, bytes: &[u8]) {
        if !self.suppress_default_print() {
            crate::hex::hex_and_ascii(self.out, bytes, 0);
        }
    }

    /// Whether -x or -X dump the packet anyway, or -q asks for less (-A
    /// does not count).
    pub fn suppress_default_print(&self) -> bool {
        self.o.hex > 0 || self.o.ascii || self.o.quiet > 0
    }

    /// ` [|proto]` printed by a printer that returns normally (the link
    /// header length stays what it is, unlike after a [`Trunc`]).
    pub fn explicit_trunc(&mut self) {
        put!(self.out, " [|{}]", self.proto);
    }

    /// The text of each flag of `table` set in `value`, in table order
    /// (tcpdump's runs of `if (flags & X) ND_PRINT(...)`).
    pub fn words(&mut self, value: u32, table: &[(u32, &str)]) {
        for (mask, text) in table {
            if value & mask != 0 {
                self.out.push_str(text);
            }
        }
    }

    /// The source list of an IGMPv3/MLDv2 query or record: ` { a b }`
    /// when `all`, else `, N source(s)`; `addr(ctx, i)` gives source i.
    pub fn sources(
        &mut self,
        n: usize,
        all: bool,
        mut addr: impl FnMut(&mut Ctx<'_>, usize) -> Res<String>,
    ) -> Res {
        if all {
            self.s(" {");
            for i in 0..n {
                let a = addr(self, i)?;
                put!(self.out, " {a}");
            }
            self.s(" }");
        } else {
            put!(self.out, ", {n} source(s)");
        }
        Ok(())
    }

    /// [`Ctx::explicit_trunc`] as a printer's result: tcpdump's
    /// `goto trunc`, where the printer returns, as opposed to a failed
    /// read ([`Trunc`], its longjmp).
    pub fn trunc(&mut self) -> Res {
        self.explicit_trunc();
        Ok(())
    }

    /// An IPv4 address, as a name unless -n.
    pub fn ip4(&mut self, a: [u8; 4]) -> String {
        if self.o.numeric > 0 {
            std::net::Ipv4Addr::from(a).to_string()
        } else {
            self.names.host(std::net::IpAddr::from(a))
        }
    }

    /// An IPv6 address, as a name unless -n.
    pub fn ip6(&mut self, a: [u8; 16]) -> String {
        if self.o.numeric > 0 {
            Ip6(a).to_string()
        } else {
            self.names.host(std::net::IpAddr::from(a))
        }
    }

    /// A TCP port, as a name unless -n.
    pub fn tcp_port(&self, p: u16) -> String {
        match (self.o.numeric, crate::names::tcp_port(p)) {
            (0, Some(n)) => n.to_string(),
            _ => p.to_string(),
        }
    }

    /// A UDP port, as a name unless -n.
    pub fn udp_port(&self, p: u16) -> String {
        match (self.o.numeric, crate::names::udp_port(p)) {
            (0, Some(n)) => n.to_string(),
            _ => p.to_string(),
        }
    }
}

/// An IPv6 address as tcpdump's `ip6addr_string` writes it (its
/// `addrtostr6`, glibc's `inet_ntop`): the first longest run of two or
/// more zero groups as `::`, and the last 32 bits as a dotted quad when
/// the address is IPv4-compatible (`::1.2.3.4`, six zero groups first)
/// or IPv4-mapped (`::ffff:1.2.3.4`). Rust's own `Ipv6Addr` display
/// writes `::102:304` for the first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Ip6(pub [u8; 16]);

impl std::fmt::Display for Ip6 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let w: [u16; 8] =
            std::array::from_fn(|i| u16::from_be_bytes([self.0[2 * i], self.0[2 * i + 1]]));
        // (start, length) of the first longest run of zero groups.
        let mut best = (0, 0);
        let mut i = 0;
        while i < 8 {
            let run = w[i..].iter().take_while(|&&g| g == 0).count();
            if run > best.1 {
                best = (i, run);
            }
            i += run.max(1);
        }
        let (zs, zn) = if best.1 >= 2 { best } else { (8, 0) };
        let dotted = zs == 0 && (zn == 6 || (zn == 5 && w[5] == 0xffff));
        let mut i = 0;
        while i < 8 {
            if i == zs {
                f.write_str("::")?;
                i += zn;
                continue;
            }
            if i != 0 && i != zs + zn {
                f.write_str(":")?;
            }
            if i == 6 && dotted {
                let q = &self.0[12..];
                return write!(f, "{}.{}.{}.{}", q[0], q[1], q[2], q[3]);
            }
            write!(f, "{:x}", w[i])?;
            i += 1;
        }
        Ok(())
    }
}

/// Reads 4 bytes as an address.
pub(crate) fn addr4(b: &[u8], at: usize) -> Res<[u8; 4]> {
    let s = b.sub(at, 4)?;
    Ok([s[0], s[1], s[2], s[3]])
}

/// Reads 16 bytes as an address.
pub(crate) fn addr16(b: &[u8], at: usize) -> Res<[u8; 16]> {
    let s = b.sub(at, 16)?;
    let mut a = [0; 16];
    a.copy_from_slice(s);
    Ok(a)
}

/// `write!` into a `String`; formatting into a `String` cannot fail.
macro_rules! put {
    ($out:expr, $($arg:tt)*) => {{
        use std::fmt::Write as _;
        let _ = write!($out, $($arg)*);
    }};
}
pub(crate) use put;

/// A hardware address as colon-separated hex bytes; with names (no -n)
/// a 6-byte address gets its vendor, ` (oui Cisco)`, as tcpdump's
/// `etheraddr_string` (there is no `/etc/ethers` lookup).
pub(crate) struct Mac<'a>(pub &'a [u8], pub bool);

impl std::fmt::Display for Mac<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.1 && self.0 == [0xff; 6] {
            return f.write_str("Broadcast");
        }
        for (i, b) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(":")?;
            }
            write!(f, "{b:02x}")?;
        }
        if self.1 && self.0.len() == 6 {
            let oui = u32::from_be_bytes([0, self.0[0], self.0[1], self.0[2]]);
            write!(f, " (oui {})", tok(OUIS, oui).unwrap_or("Unknown"))?;
        }
        Ok(())
    }
}

/// tcpdump's `oui_values` (first match wins).
pub(crate) const OUIS: &[(u32, &str)] = &[
    (0x000000, "Ethernet"),
    (0x00000c, "Cisco"),
    (0x00005e, "IANA"),
    (0x000081, "Nortel Networks SONMP"),
    (0x0000f8, "Cisco bridged"),
    (0x0080c2, "Ethernet bridged"),
    (0x00a03e, "ATM Forum"),
    (0x00e02f, "DOCSIS Spanning Tree"),
    (0x080007, "Appletalk"),
    (0x009069, "Juniper"),
    (0x080009, "Hewlett-Packard"),
    (0x00120f, "IEEE 802.3 Private"),
    (0x0012bb, "ANSI/TIA"),
    (0x001b21, "DCBX"),
    (0x002320, "Nicira Networks"),
    (0x5c16c7, "Big Switch Networks"),
    (0xb0d2f5, "Vello Systems"),
    (0x002481, "HP"),
    (0x0004ea, "HP Labs"),
    (0x748771, "Infoblox Inc"),
    (0xa42305, "Open Networking Lab"),
    (0x00049f, "Freescale"),
    (0x0015ad, "Netronome"),
    (0x001018, "Broadcom"),
    (0x00e004, "PMC-Sierra"),
    (0xd0f0db, "Ericsson"),
];

/// tcpdump's `tok2str`: the name of `v` in `table`.
pub(crate) fn tok<T: PartialEq + Copy>(table: &[(T, &'static str)], v: T) -> Option<&'static str> {
    table.iter().find(|(k, _)| *k == v).map(|(_, n)| *n)
}

/// tcpdump's `bittok2str`: names of the set bits joined by `sep`, or `none`.
pub(crate) fn bits(table: &[(u32, &'static str)], v: u32, none: &str, sep: &str) -> String {
    let names: Vec<&str> = table
        .iter()
        .filter(|(b, _)| *b != 0 && v & b == *b)
        .map(|(_, n)| *n)
        .collect();
    if names.is_empty() {
        none.to_string()
    } else {
        names.join(sep)
    }
}

/// The Internet checksum over `parts` (0 when the data is correct).
pub(crate) fn in_cksum(parts: &[&[u8]]) -> u16 {
    let mut sum: u32 = 0;
    let mut odd: Option<u8> = None;
    for part in parts {
        for &b in *part {
            match odd.take() {
                Some(hi) => sum += u32::from(u16::from_be_bytes([hi, b])),
                None => odd = Some(b),
            }
        }
    }
    if let Some(hi) = odd {
        sum += u32::from(u16::from_be_bytes([hi, 0]));
    }
    while sum >> 16 != 0 {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}

/// tcpdump's `in_cksum_shouldbe`: the checksum field that would make the
/// sum correct, given the field `sum` and the computed result `computed`.
pub(crate) fn cksum_shouldbe(sum: u16, computed: u16) -> u16 {
    let mut s = u32::from(!sum) + u32::from(!computed);
    s = (s >> 16) + (s & 0xffff);
    s += s >> 16;
    !(s as u16)
}

/// Graphic ASCII as is, the rest (space too) as `.`, as in tcpdump's
/// hex and ASCII dumps.
pub(crate) fn printable(b: u8) -> char {
    if b.is_ascii_graphic() { b as char } else { '.' }
}

/// tcpdump's `fn_print_char`: `M-` for the high bit, `^` for controls.
pub(crate) fn fn_char(out: &mut String, mut c: u8) {
    if !c.is_ascii() {
        c &= 0x7f;
        out.push_str("M-");
    }
    if !(0x20..0x7f).contains(&c) {
        c ^= 0x40;
        out.push('^');
    }
    out.push(c as char);
}

#[cfg(test)]
mod tests {
    use super::Ip6;

    fn text(s: &str) -> String {
        Ip6(s.parse::<std::net::Ipv6Addr>().unwrap().octets()).to_string()
    }

    /// What glibc's `inet_ntop` (and tcpdump's `addrtostr6`) writes.
    #[test]
    fn ip6_as_inet_ntop() {
        for (a, want) in [
            ("::", "::"),
            ("::1", "::1"),
            ("::1.2.3.4", "::1.2.3.4"),
            ("::ffff:1.2.3.4", "::ffff:1.2.3.4"),
            ("::ffff:0:0", "::ffff:0.0.0.0"),
            ("::1:0:0:0", "::1:0:0:0"),
            ("::1.0.0.0", "::1.0.0.0"),
            ("::fffe:1.2.3.4", "::fffe:102:304"),
            ("64:ff9b::1.2.3.4", "64:ff9b::102:304"),
            ("2001:db8::1", "2001:db8::1"),
            ("fe80::", "fe80::"),
            ("1:0:2:3:4:5:6:7", "1:0:2:3:4:5:6:7"),
            ("1:0:0:2:0:0:3:4", "1::2:0:0:3:4"),
            ("1:0:0:2:0:0:0:4", "1:0:0:2::4"),
        ] {
            assert_eq!(text(a), want, "{a}");
        }
    }
}
