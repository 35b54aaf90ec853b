//! ISAKMP, IKEv1 and IKEv2 (tcpdump's print-isakmp.c) on UDP 500, 7500,
//! 8500, and on 4500 behind the NAT-T non-ESP marker (RFC 3948; ESP
//! otherwise).
//!
//! Without -v only the header summary: `isakmp: phase 1 I ident` (IKEv1,
//! where I/R come from a cache of initiator cookies kept across packets,
//! as tcpdump's) or `isakmp: parent_sa ikev2_init[I]` (IKEv2). With -v
//! the payload chain, one `(payload: ...)` per line, nested payloads
//! indented.
//!
//! Truncation follows tcpdump: a payload that checks its bytes prints
//! ` [|name]` and ends the chain; a failed read of a single field is the
//! core's ` [|isakmp]` ([`Trunc`]). Positions are offsets from the ISAKMP
//! header; `ep`, tcpdump's end of the capture, is the end of `b`.

use super::{Bytes, Res, Trunc, put};
use crate::ctx::{Ctx, fn_char};
use crate::ip::IpInfo;

/// How many initiators the cookie cache remembers (tcpdump's
/// `MAXINITIATORS`).
const MAX_INITIATORS: usize = 20;

/// One initiator: its cookie and the addresses of the first packet.
#[derive(Debug, Default, Clone, Copy)]
struct Initiator {
    cookie: [u8; 8],
    /// IP version, 0 for an entry never written.
    version: u8,
    iaddr: [u8; 16],
    raddr: [u8; 16],
}

/// tcpdump's IKEv1 initiator cookie cache (kept across the packets of a
/// capture; unwritten entries hold a zero cookie, as tcpdump's static
/// table does).
#[derive(Debug, Default)]
pub(crate) struct Cookies {
    entries: [Initiator; MAX_INITIATORS],
    next: usize,
}

/// The addresses of the IP header the message came in.
struct Addrs {
    version: u8,
    src: [u8; 16],
    dst: [u8; 16],
}

fn addrs(ip: &IpInfo<'_>) -> Option<Addrs> {
    let (at, n) = match ip.version {
        4 => (12, 4),
        6 => (8, 16),
        _ => return None,
    };
    let hdr = ip.hdr;
    let s = hdr.get(at..at + n)?;
    let d = hdr.get(at + n..at + 2 * n)?;
    let mut src = [0; 16];
    let mut dst = [0; 16];
    src[..n].copy_from_slice(s);
    dst[..n].copy_from_slice(d);
    Some(Addrs {
        version: ip.version,
        src,
        dst,
    })
}

impl Cookies {
    fn find(&self, cookie: &[u8]) -> Option<usize> {
        self.entries.iter().position(|e| e.cookie == cookie)
    }

    fn record(&mut self, cookie: &[u8], a: &Addrs) {
        if let Some(i) = self.find(cookie) {
            self.next = (i + 1) % MAX_INITIATORS;
            return;
        }
        let e = &mut self.entries[self.next];
        e.version = a.version;
        e.iaddr = a.src;
        e.raddr = a.dst;
        e.cookie.copy_from_slice(cookie);
        self.next = (self.next + 1) % MAX_INITIATORS;
    }

    /// Whether the source of `a` is entry `i`'s initiator (`initiator`)
    /// or responder.
    fn side(&self, i: usize, a: &Addrs, initiator: bool) -> bool {
        let e = &self.entries[i];
        e.version == a.version && a.src == if initiator { e.iaddr } else { e.raddr }
    }
}

const NPSTR: [&str; 49] = [
    "none", "sa", "p", "t", "ke", "id", "cert", "cr", "hash", "sig", "nonce", "n", "d", "vid",
    "pay14", "pay15", "pay16", "pay17", "pay18", "pay19", "pay20", "pay21", "pay22", "pay23",
    "pay24", "pay25", "pay26", "pay27", "pay28", "pay29", "pay30", "pay31", "pay32", "v2sa",
    "v2ke", "v2IDi", "v2IDr", "v2cert", "v2cr", "v2auth", "v2nonce", "v2n", "v2d", "v2vid",
    "v2TSi", "v2TSr", "v2e", "v2cp", "v2eap",
];

const PROTOIDSTR: [&str; 5] = ["", "isakmp", "ipsec-ah", "ipsec-esp", "ipcomp"];

/// Exchange types (IKEv1 0-5 and 32-33, IKEv2 34-37).
fn etype_name(t: u8) -> String {
    let name = match t {
        0 => "none",
        1 => "base",
        2 => "ident",
        3 => "auth",
        4 => "agg",
        5 => "inf",
        32 => "oakley-quick",
        33 => "oakley-newgroup",
        34 => "ikev2_init",
        35 => "ikev2_auth",
        36 => "child_sa",
        37 => "inf2",
        _ => return format!("#{t}"),
    };
    name.to_string()
}

/// tcpdump's `STR_OR_ID`: the table's name, `#n` for none.
fn str_or_id(tab: &[&str], x: u32) -> String {
    match tab.get(x as usize) {
        Some(s) if !s.is_empty() => (*s).to_string(),
        _ => format!("#{x}"),
    }
}

fn npstr(np: u8) -> String {
    str_or_id(&NPSTR, u32::from(np))
}

const IKEV1_P_MAP: [&str; 2] = ["", "ike"];
const IKEV2_T_TYPE_MAP: [&str; 6] = ["", "encr", "prf", "integ", "dh", "esn"];
const AH_P_MAP: [&str; 8] = [
    "",
    "(reserved)",
    "md5",
    "sha",
    "1des",
    "sha2-256",
    "sha2-384",
    "sha2-512",
];
const PRF_P_MAP: [&str; 5] = ["", "hmac-md5", "hmac-sha", "hmac-tiger", "aes128_xcbc"];
const INTEG_P_MAP: [&str; 6] = [
    "", "hmac-md5", "hmac-sha", "dec-mac", "kpdk-md5", "aes-xcbc",
];
const ESN_P_MAP: [&str; 2] = ["no-esn", "esn"];
const DH_P_MAP: [&str; 19] = [
    "",
    "modp768",
    "modp1024",
    "EC2N 2^155",
    "EC2N 2^185",
    "modp1536",
    "iana-grp06",
    "iana-grp07",
    "iana-grp08",
    "iana-grp09",
    "iana-grp10",
    "iana-grp11",
    "iana-grp12",
    "iana-grp13",
    "modp2048",
    "modp3072",
    "modp4096",
    "modp6144",
    "modp8192",
];
const ESP_P_MAP: [&str; 13] = [
    "",
    "1des-iv64",
    "1des",
    "3des",
    "rc5",
    "idea",
    "cast",
    "blowfish",
    "3idea",
    "1des-iv32",
    "rc4",
    "null",
    "aes",
];
const IPCOMP_P_MAP: [&str; 4] = ["", "oui", "deflate", "lzs"];

/// One attribute type of a transform: its name and its values' names;
/// `n` bounds the values looked up (tcpdump's `nvalue`, which for the
/// DH groups leaves out the last name).
struct AttrMap {
    ty: &'static str,
    n: u32,
    values: &'static [&'static str],
}

const fn am(ty: &'static str, n: u32, values: &'static [&'static str]) -> AttrMap {
    AttrMap { ty, n, values }
}

/// An attribute type without a name.
const NO_ATTR: AttrMap = am("", 0, &[]);

const IPSEC_T_MAP: [AttrMap; 10] = [
    am("", 0, &[]),
    am("lifetype", 3, &["", "sec", "kb"]),
    am("life", 0, &[]),
    am("group desc", 18, &DH_P_MAP),
    am("enc mode", 3, &["", "tunnel", "transport"]),
    am(
        "auth",
        5,
        &["", "hmac-md5", "hmac-sha1", "1des-mac", "keyed"],
    ),
    am("keylen", 0, &[]),
    am("rounds", 0, &[]),
    am("dictsize", 0, &[]),
    am("privalg", 0, &[]),
];

/// IKEv2 encryption transforms name only their key length (14).
const ENCR_T_MAP: [AttrMap; 15] = {
    let mut m = [NO_ATTR; 15];
    m[14] = am("keylen", 14, &[]);
    m
};

const OAKLEY_T_MAP: [AttrMap; 17] = [
    am("", 0, &[]),
    am(
        "enc",
        8,
        &["", "1des", "idea", "blowfish", "rc5", "3des", "cast", "aes"],
    ),
    am(
        "hash",
        7,
        &[
            "", "md5", "sha1", "tiger", "sha2-256", "sha2-384", "sha2-512",
        ],
    ),
    am(
        "auth",
        6,
        &[
            "",
            "preshared",
            "dss",
            "rsa sig",
            "rsa enc",
            "rsa enc revised",
        ],
    ),
    am("group desc", 18, &DH_P_MAP),
    am("group type", 4, &["", "MODP", "ECP", "EC2N"]),
    am("group prime", 0, &[]),
    am("group gen1", 0, &[]),
    am("group gen2", 0, &[]),
    am("group curve A", 0, &[]),
    am("group curve B", 0, &[]),
    am("lifetype", 3, &["", "sec", "kb"]),
    am("lifeduration", 0, &[]),
    am("prf", 0, &[]),
    am("keylen", 0, &[]),
    am("field", 0, &[]),
    am("order", 0, &[]),
];

const CERTSTR: [&str; 11] = [
    "none", "pkcs7", "pgp", "dns", "x509sign", "x509ke", "kerberos", "crl", "arl", "spki",
    "x509attr",
];

/// A payload printer's result: tcpdump's returned pointer (`None` for
/// its NULL: the chain ends), or [`Trunc`] for its longjmp.
type Next = Res<Option<usize>>;

/// The printer over one ISAKMP message.
struct P<'c, 'a, 'b> {
    ctx: &'c mut Ctx<'a>,
    b: Bytes<'b>,
    v: u8,
}

impl P<'_, '_, '_> {
    fn ep(&self) -> usize {
        self.b.len()
    }

    fn s(&mut self, text: &str) {
        self.ctx.out.push_str(text);
    }

    /// ` [|name]`: a payload's own truncation mark.
    fn mark(&mut self, np: u8) -> Option<usize> {
        put!(self.ctx.out, " [|{}]", npstr(np));
        None
    }

    /// tcpdump's `rawprint`: hex of `len` bytes, false when not captured.
    fn raw(&mut self, at: usize, len: usize) -> bool {
        match self.b.get(at, len) {
            Ok(bytes) => {
                for c in bytes {
                    put!(self.ctx.out, "{c:02x}");
                }
                true
            }
            Err(Trunc) => false,
        }
    }

    /// With -vvv the payload's data after its first `skip` bytes in hex
    /// (tcpdump's "print the entire payload"); the next payload's offset.
    fn dump_rest(&mut self, np: u8, ext: usize, item_len: usize, skip: usize) -> Next {
        self.dump_if(np, ext, item_len, skip, skip)
    }

    /// [`P::dump_rest`] when the payload is longer than `min`.
    fn dump_if(&mut self, np: u8, ext: usize, item_len: usize, skip: usize, min: usize) -> Next {
        if self.v > 2 && item_len > min {
            self.s(" ");
            if !self.raw(ext + skip, item_len - skip) {
                return Ok(self.mark(np));
            }
        }
        Ok(Some(ext + item_len))
    }

    /// Data shown whole (`open`, hex, `close`) when `whole`, else in part
    /// (tcpdump's `ike_show_somedata`) when `some`; false when the
    /// capture ended first.
    fn show(
        &mut self,
        whole: bool,
        some: bool,
        (open, close): (&str, &str),
        at: usize,
        len: usize,
    ) -> bool {
        if whole {
            self.s(open);
            let ok = self.raw(at, len);
            if ok {
                self.s(close);
            }
            ok
        } else if some {
            let ep = self.ep();
            self.somedata(at, ep)
        } else {
            true
        }
    }

    /// tcpdump's `ike_show_somedata`: ` data=(` the first 10 bytes `...`
    /// the last 20 of the capture `)`.
    fn somedata(&mut self, cp: usize, ep: usize) -> bool {
        let avail = ep as isize - cp as isize;
        let len = if !(0..=10).contains(&avail) {
            10
        } else {
            avail as usize
        };
        let mut end = ep as isize - 20;
        let mut elen = 20isize;
        if end < (cp + len) as isize {
            end = (cp + len) as isize;
            elen = ep as isize - end;
        }
        self.s(" data=(");
        if !self.raw(cp, len) {
            return false;
        }
        self.s("...");
        if elen != 0 && (end < 0 || elen < 0 || !self.raw(end as usize, elen as usize)) {
            return false;
        }
        self.s(")");
        true
    }

    /// `ikev1_attrmap_print` / `ikev1_attr_print` (no map): one data
    /// attribute, `(type=... value=...)`.
    fn attr(&mut self, p: usize, ep2: usize, map: Option<&[AttrMap]>) -> Next {
        let b = self.b;
        let tv = b.u8(p)? & 0x80 != 0;
        let totlen = if tv {
            4
        } else {
            4 + usize::from(b.be16(p + 2)?)
        };
        if ep2 < p + totlen {
            self.s("[|attr]");
            return Ok(Some(ep2 + 1));
        }
        self.s("(");
        let t = u32::from(b.be16(p)? & 0x7fff);
        let entry = map
            .and_then(|m| m.get(t as usize))
            .filter(|e| !e.ty.is_empty());
        match entry {
            Some(e) => put!(self.ctx.out, "type={} ", e.ty),
            None => put!(self.ctx.out, "type=#{t} "),
        }
        if tv {
            self.s("value=");
            let v = b.be16(p + 2)?;
            let name = entry
                .filter(|e| u32::from(v) < e.n)
                .and_then(|e| e.values.get(usize::from(v)))
                .filter(|s| !s.is_empty());
            match name {
                Some(s) => self.s(s),
                None => {
                    if !self.raw(p + 2, 2) {
                        self.s(")");
                        return Ok(None);
                    }
                }
            }
        } else {
            put!(self.ctx.out, "len={} value=", totlen - 4);
            if !self.raw(p + 4, totlen - 4) {
                self.s(")");
                return Ok(None);
            }
        }
        self.s(")");
        Ok(Some(p + totlen))
    }

    /// The attributes of a transform from `cp` to `ep2` (or the capture's
    /// end, then `...`); `None` when one was cut short.
    fn attrs(&mut self, mut cp: usize, ep2: usize, map: Option<&[AttrMap]>) -> Next {
        let ep = self.ep();
        while cp < ep && cp < ep2 {
            match self.attr(cp, ep2, map)? {
                Some(next) => cp = next,
                None => return Ok(None),
            }
        }
        if ep < ep2 {
            self.s("...");
        }
        Ok(Some(cp))
    }

    fn newline(&mut self, depth: usize) {
        self.s("\n");
        for _ in 0..depth {
            self.s("    ");
        }
        self.s("(");
    }

    /// An IKEv1 payload's start: `name:`, then whether `need` bytes are
    /// captured (else ` [|name]`).
    fn v1_head(&mut self, np: u8, ext: usize, need: usize) -> bool {
        put!(self.ctx.out, "{}:", npstr(np));
        if self.b.has(ext, need) {
            return true;
        }
        self.mark(np);
        false
    }

    /// ` doi=ipsec proto=name`, or both as numbers for another DOI.
    fn doi_proto(&mut self, doi: u32, proto: u8) {
        if doi == 1 {
            let name = str_or_id(&PROTOIDSTR, u32::from(proto));
            put!(self.ctx.out, " doi=ipsec proto={name}");
        } else {
            put!(self.ctx.out, " doi={doi} proto={proto}");
        }
    }

    // IKEv1 payloads.

    fn v1_sa(&mut self, ext: usize, proto0: u32, depth: usize) -> Next {
        if !self.v1_head(1, ext, 12) {
            return Ok(None);
        }
        let b = self.b;
        let doi = b.be32(ext + 4)?;
        let sit = b.be32(ext + 8)?;
        if doi != 1 {
            put!(self.ctx.out, " doi={doi} situation={sit}");
            return Ok(Some(ext + 12));
        }
        self.s(" doi=ipsec situation=");
        let mut t = false;
        for (bit, name) in [(1, "identity"), (2, "secrecy"), (4, "integrity")] {
            if sit & bit != 0 {
                if t {
                    self.s("+");
                }
                self.s(name);
                t = true;
            }
        }
        let mut np = ext + 12;
        if sit != 1 {
            // tcpdump reads the "identity" from one generic header past
            // the payload's start: the DOI field.
            let ident = b.be32(ext + 4)?;
            put!(self.ctx.out, " ident={ident}");
            np += 4;
        }
        if !b.has(np, 4) {
            return Ok(self.mark(1));
        }
        self.sub(false, 2, np, proto0, depth)
    }

    fn v1_p(&mut self, ext: usize, depth: usize) -> Next {
        if !self.v1_head(2, ext, 8) {
            return Ok(None);
        }
        let b = self.b;
        let prot = b.u8(ext + 5)?;
        put!(
            self.ctx.out,
            " #{} protoid={} transform={}",
            b.u8(ext + 4)?,
            str_or_id(&PROTOIDSTR, u32::from(prot)),
            b.u8(ext + 7)?
        );
        let spi = usize::from(b.u8(ext + 6)?);
        if spi != 0 {
            self.s(" spi=");
            if !self.raw(ext + 8, spi) {
                return Ok(self.mark(2));
            }
        }
        let next = ext + 8 + spi;
        if !b.has(next, 4) {
            return Ok(self.mark(2));
        }
        self.sub(false, 3, next, u32::from(prot), depth)
    }

    fn v1_t(&mut self, ext: usize, item_len: usize, proto: u32) -> Next {
        if !self.v1_head(3, ext, 8) {
            return Ok(None);
        }
        let b = self.b;
        let id = u32::from(b.u8(ext + 5)?);
        let (tab, map): (&[&str], Option<&[AttrMap]>) = match proto {
            1 => (&IKEV1_P_MAP, Some(&OAKLEY_T_MAP)),
            2 => (&AH_P_MAP, Some(&IPSEC_T_MAP)),
            3 => (&ESP_P_MAP, Some(&IPSEC_T_MAP)),
            4 => (&IPCOMP_P_MAP, Some(&IPSEC_T_MAP)),
            _ => (&[], None),
        };
        let head = format!(" #{}", b.u8(ext + 4)?);
        self.transform(head, (tab, map), id, ext, item_len)
    }

    /// A transform's ` id=...` (by name from `tab` unless it names none)
    /// after `head`, then its attributes.
    fn transform(
        &mut self,
        head: String,
        (tab, map): (&[&str], Option<&[AttrMap]>),
        id: u32,
        ext: usize,
        item_len: usize,
    ) -> Next {
        self.s(&head);
        if tab.is_empty() {
            put!(self.ctx.out, " id={id} ");
        } else {
            put!(self.ctx.out, " id={} ", str_or_id(tab, id));
        }
        match self.attrs(ext + 8, ext + item_len, map)? {
            Some(cp) => Ok(Some(cp)),
            None => Ok(self.mark(3)),
        }
    }

    /// KE, hash, signature, vendor id: ` len=N`, the data in hex with
    /// -vvv.
    fn v1_data(&mut self, np: u8, label: &str, ext: usize, item_len: usize) -> Next {
        if !self.v1_head(np, ext, 4) {
            return Ok(None);
        }
        put!(self.ctx.out, " {label}={}", item_len - 4);
        self.dump_rest(np, ext, item_len, 4)
    }

    fn v1_id(&mut self, ext: usize, item_len: usize) -> Next {
        const IDTYPES: [&str; 12] = [
            "",
            "IPv4",
            "FQDN",
            "user FQDN",
            "IPv4net",
            "IPv6",
            "IPv6net",
            "IPv4range",
            "IPv6range",
            "ASN1 DN",
            "ASN1 GN",
            "keyid",
        ];
        if !self.v1_head(5, ext, 8) {
            return Ok(None);
        }
        let b = self.b;
        let (data, mut len) = if item_len > 8 {
            (Some(ext + 8), item_len - 8)
        } else {
            (None, 0)
        };
        // Phases 1 and 2 alike: the IPsec DOI's identification.
        let ty = b.u8(ext + 4)?;
        put!(
            self.ctx.out,
            " idtype={}",
            str_or_id(&IDTYPES, u32::from(ty))
        );
        let proto_id = b.u8(ext + 5)?;
        match netdb_protoname(proto_id).filter(|_| !self.ctx_numeric() && proto_id != 0) {
            Some(name) => put!(self.ctx.out, " protoid={name}"),
            None => put!(self.ctx.out, " protoid={proto_id}"),
        }
        put!(self.ctx.out, " port={}", b.be16(ext + 6)?);
        if len != 0 {
            let Some(d) = data else {
                return Ok(self.mark(5));
            };
            if !b.has(d, len) {
                return Ok(self.mark(5));
            }
            match ty {
                1 | 4..=8 => {
                    let min = match ty {
                        1 => 4,
                        4 | 7 => 8,
                        5 => 16,
                        _ => 32,
                    };
                    if len < min {
                        put!(self.ctx.out, " len={len} [bad: < {min}]");
                    } else {
                        let text = self.id_text(ty, d)?;
                        put!(self.ctx.out, " len={len} {text}");
                    }
                    len = 0;
                }
                2 | 3 => {
                    put!(self.ctx.out, " len={len} ");
                    for c in b.get(d, len)? {
                        fn_char(self.ctx.out, *c);
                    }
                    len = 0;
                }
                _ => {}
            }
        }
        if let Some(d) = data
            && len != 0
        {
            put!(self.ctx.out, " len={len}");
            if self.v > 2 {
                self.s(" ");
                if !self.raw(d, len) {
                    return Ok(self.mark(5));
                }
            }
        }
        Ok(Some(ext + item_len))
    }

    /// An IKEv1 identification's addresses at `d` (type `ty`: address,
    /// subnet or range, IPv4 or IPv6).
    fn id_text(&mut self, ty: u8, d: usize) -> Res<String> {
        let n = if matches!(ty, 1 | 4 | 7) { 4 } else { 16 };
        let a = self.addr(d, n)?;
        Ok(match ty {
            4 => {
                let m = self.b.get(d + 4, 4)?;
                format!("{a}/{}.{}.{}.{}", m[0], m[1], m[2], m[3])
            }
            6 => {
                let mut t = format!("{a}/0x");
                for c in self.b.get(d + 16, 16)? {
                    put!(t, "{c:02x}");
                }
                t
            }
            7 | 8 => format!("{a}-{}", self.addr(d + n, n)?),
            _ => a,
        })
    }

    fn ctx_numeric(&self) -> bool {
        self.ctx.o.numeric > 0
    }

    /// An IPv4 (`n` 4) or IPv6 address at `at`, named unless -n.
    fn addr(&mut self, at: usize, n: usize) -> Res<String> {
        let bytes = self.b.get(at, n)?;
        Ok(if n == 4 {
            self.ctx.ip4(bytes.try_into().map_err(|_| Trunc)?)
        } else {
            self.ctx.ip6(bytes.try_into().map_err(|_| Trunc)?)
        })
    }

    fn v1_cert(&mut self, np: u8, ext: usize, item_len: usize) -> Next {
        if !self.v1_head(np, ext, 6) {
            return Ok(None);
        }
        let enc = self.b.u8(ext + 4)?;
        put!(
            self.ctx.out,
            " len={} type={}",
            item_len - 4,
            str_or_id(&CERTSTR, u32::from(enc))
        );
        self.dump_rest(np, ext, item_len, 4)
    }

    fn v1_nonce(&mut self, ext: usize, item_len: usize) -> Next {
        if !self.v1_head(10, ext, 4) {
            return Ok(None);
        }
        put!(self.ctx.out, " n len={}", item_len - 4);
        if item_len > 4 {
            let ep = self.ep();
            let ok = if self.v > 2 {
                self.s(" ");
                self.raw(ext + 4, item_len - 4)
            } else if self.v > 1 {
                self.s(" ");
                self.somedata(ext + 4, ep)
            } else {
                true
            };
            if !ok {
                return Ok(self.mark(10));
            }
        }
        Ok(Some(ext + item_len))
    }

    fn v1_n(&mut self, ext: usize, item_len: usize) -> Next {
        const ERRORS: [&str; 31] = [
            "",
            "INVALID-PAYLOAD-TYPE",
            "DOI-NOT-SUPPORTED",
            "SITUATION-NOT-SUPPORTED",
            "INVALID-COOKIE",
            "INVALID-MAJOR-VERSION",
            "INVALID-MINOR-VERSION",
            "INVALID-EXCHANGE-TYPE",
            "INVALID-FLAGS",
            "INVALID-MESSAGE-ID",
            "INVALID-PROTOCOL-ID",
            "INVALID-SPI",
            "INVALID-TRANSFORM-ID",
            "ATTRIBUTES-NOT-SUPPORTED",
            "NO-PROPOSAL-CHOSEN",
            "BAD-PROPOSAL-SYNTAX",
            "PAYLOAD-MALFORMED",
            "INVALID-KEY-INFORMATION",
            "INVALID-ID-INFORMATION",
            "INVALID-CERT-ENCODING",
            "INVALID-CERTIFICATE",
            "CERT-TYPE-UNSUPPORTED",
            "INVALID-CERT-AUTHORITY",
            "INVALID-HASH-INFORMATION",
            "AUTHENTICATION-FAILED",
            "INVALID-SIGNATURE",
            "ADDRESS-NOTIFICATION",
            "NOTIFY-SA-LIFETIME",
            "CERTIFICATE-UNAVAILABLE",
            "UNSUPPORTED-EXCHANGE-TYPE",
            "UNEQUAL-PAYLOAD-LENGTHS",
        ];
        const IPSEC_STATUS: [&str; 3] = ["RESPONDER-LIFETIME", "REPLAY-STATUS", "INITIAL-CONTACT"];
        if !self.v1_head(11, ext, 12) {
            return Ok(None);
        }
        let b = self.b;
        let doi = b.be32(ext + 4)?;
        let proto = b.u8(ext + 8)?;
        let ty = u32::from(b.be16(ext + 10)?);
        let spi = usize::from(b.u8(ext + 9)?);
        self.doi_proto(doi, proto);
        let name = if doi != 1 {
            match ty {
                0..8192 => str_or_id(&ERRORS, ty),
                16384..24576 => str_or_id(&["CONNECTED"], ty - 16384),
                _ => format!("#{ty}"),
            }
        } else {
            match ty {
                0..8192 => str_or_id(&ERRORS, ty),
                8192..16384 => str_or_id(&["RESERVED"], ty - 8192),
                16384..24576 => str_or_id(&["CONNECTED"], ty - 16384),
                24576..32768 => str_or_id(&IPSEC_STATUS, ty - 24576),
                _ => format!("#{ty}"),
            }
        };
        put!(self.ctx.out, " type={name}");
        if spi != 0 {
            self.s(" spi=");
            if !self.raw(ext + 12, spi) {
                return Ok(self.mark(11));
            }
        }
        let mut cp = ext + 12 + spi;
        if doi != 1 {
            return Ok(Some(cp));
        }
        let ep = self.ep();
        let ep2 = ext + item_len;
        if cp < ep {
            match ty {
                24576 => {
                    self.s(" attrs=(");
                    while cp < ep && cp < ep2 {
                        match self.attr(cp, ep2, Some(&OAKLEY_T_MAP))? {
                            Some(next) => cp = next,
                            None => {
                                self.s(")");
                                return Ok(self.mark(11));
                            }
                        }
                    }
                    self.s(")");
                }
                24577 => {
                    let on = b.be32(cp)? != 0;
                    put!(
                        self.ctx.out,
                        " status=(replay detection {}abled)",
                        if on { "en" } else { "dis" }
                    );
                }
                _ => {
                    if !self.show(self.v > 3, true, (" data=(", ")"), cp, ep - cp) {
                        return Ok(self.mark(11));
                    }
                }
            }
        }
        Ok(Some(ext + item_len))
    }

    fn v1_d(&mut self, ext: usize) -> Next {
        if !self.v1_head(12, ext, 12) {
            return Ok(None);
        }
        let b = self.b;
        self.doi_proto(b.be32(ext + 4)?, b.u8(ext + 8)?);
        let spi = usize::from(b.u8(ext + 9)?);
        let nspi = b.be16(ext + 10)?;
        put!(self.ctx.out, " spilen={spi} nspi={nspi} spi=");
        let mut q = ext + 12;
        for i in 0..nspi {
            if i != 0 {
                self.s(",");
            }
            if !self.raw(q, spi) {
                return Ok(self.mark(12));
            }
            q += spi;
        }
        Ok(Some(q))
    }

    // IKEv2 payloads.

    fn pay(&mut self, name: &str, critical: u8) {
        put!(
            self.ctx.out,
            "{name}{}:",
            if critical & 0x80 != 0 { "[C]" } else { "" }
        );
    }

    /// An IKEv2 payload's start: `name:` (`[C]` when critical) once
    /// `need` bytes are captured, else ` [|tpay]` and false.
    fn head(&mut self, tpay: u8, name: &str, ext: usize, need: usize) -> Res<bool> {
        if !self.b.has(ext, need) {
            self.mark(tpay);
            return Ok(false);
        }
        let critical = self.b.u8(ext + 1)?;
        self.pay(name, critical);
        Ok(true)
    }

    /// `ikev2_gen_print`: ` len=N`, the data in hex with -vvv.
    fn v2_gen(&mut self, tpay: u8, ext: usize, item_len: usize) -> Next {
        if !self.head(tpay, &npstr(tpay), ext, 4)? {
            return Ok(None);
        }
        put!(self.ctx.out, " len={}", item_len - 4);
        self.dump_rest(tpay, ext, item_len, 4)
    }

    fn v2_t(&mut self, tcount: u32, ext: usize, item_len: usize) -> Next {
        let b = self.b;
        if !self.head(3, "t", ext, 8)? {
            return Ok(None);
        }
        let id = u32::from(b.be16(ext + 6)?);
        let ty = b.u8(ext + 4)?;
        let (tab, map): (&[&str], Option<&[AttrMap]>) = match ty {
            1 => (&ESP_P_MAP, Some(&ENCR_T_MAP)),
            2 => (&PRF_P_MAP, None),
            3 => (&INTEG_P_MAP, None),
            4 => (&DH_P_MAP, None),
            5 => (&ESN_P_MAP, None),
            _ => (&[], None),
        };
        let tname = str_or_id(&IKEV2_T_TYPE_MAP, u32::from(ty));
        let head = format!(" #{tcount} type={tname}");
        self.transform(head, (tab, map), id, ext, item_len)
    }

    /// The proposal (`tpay` p) or SA (`tpay` v2sa) loop over its
    /// transforms or proposals.
    fn v2_items(&mut self, tpay: u8, mut cp: usize, mut left: usize, depth: usize) -> Next {
        let b = self.b;
        let child = if tpay == 2 { 3 } else { 2 };
        let mut np = child;
        let mut count = 0;
        while np != 0 {
            count += 1;
            let ext = cp;
            if left < 4 {
                self.mark(tpay);
                return Ok(Some(cp + left));
            }
            if !b.has(ext, 4) {
                return Ok(self.mark(tpay));
            }
            let item_len = usize::from(b.be16(ext + 2)?);
            if item_len <= 4 {
                return Ok(self.mark(tpay));
            }
            if left < item_len {
                self.mark(tpay);
                return Ok(Some(cp + left));
            }
            if !b.has(cp, item_len) {
                return Ok(self.mark(tpay));
            }
            self.newline(depth + 1);
            if np == child {
                let next = if child == 3 {
                    self.v2_t(count, ext, item_len)?
                } else {
                    self.v2_p(ext, item_len, depth + 1)?
                };
                match next {
                    Some(n) => cp = n,
                    None => return Ok(None),
                }
            } else {
                let name = npstr(np);
                self.s(&name);
                cp += item_len;
            }
            self.s(")");
            left -= item_len;
            np = b.u8(ext)?;
        }
        Ok(Some(cp))
    }

    fn v2_p(&mut self, ext: usize, oprop_length: usize, depth: usize) -> Next {
        let b = self.b;
        if !self.head(2, "p", ext, 8)? {
            return Ok(None);
        }
        let mut left = oprop_length - 4;
        put!(
            self.ctx.out,
            " #{} protoid={} transform={} len={oprop_length}",
            b.u8(ext + 4)?,
            str_or_id(&PROTOIDSTR, u32::from(b.u8(ext + 5)?)),
            b.u8(ext + 7)?
        );
        let mut cp = ext + 8;
        let spi = usize::from(b.u8(ext + 6)?);
        if spi != 0 {
            if left < spi {
                self.mark(2);
                return Ok(Some(cp + left));
            }
            self.s(" spi=");
            if !self.raw(cp, spi) {
                return Ok(self.mark(2));
            }
            cp += spi;
            left -= spi;
        }
        self.v2_items(2, cp, left, depth)
    }

    fn v2_sa(&mut self, tpay: u8, ext: usize, depth: usize) -> Next {
        let b = self.b;
        if !self.head(tpay, "sa", ext, 4)? {
            return Ok(None);
        }
        let left = usize::from(b.be16(ext + 2)?) - 4;
        put!(self.ctx.out, " len={left}");
        self.v2_items(tpay, ext + 4, left, depth)
    }

    fn v2_ke(&mut self, tpay: u8, ext: usize, item_len: usize) -> Next {
        let b = self.b;
        if !self.head(tpay, &npstr(tpay), ext, 8)? {
            return Ok(None);
        }
        if item_len < 8 {
            put!(self.ctx.out, " len={item_len} < 8");
            return Ok(Some(ext + item_len));
        }
        let g = u32::from(b.be16(ext + 4)?);
        put!(
            self.ctx.out,
            " len={} group={}",
            item_len - 8,
            str_or_id(&DH_P_MAP, g)
        );
        self.dump_rest(tpay, ext, item_len, 8)
    }

    /// Printable ASCII as is, other bytes as `.`; false when not captured.
    fn ascii(&mut self, at: usize, len: usize) -> bool {
        let Ok(bytes) = self.b.get(at, len) else {
            return false;
        };
        for &c in bytes {
            self.ctx.out.push(if (0x20..0x7f).contains(&c) {
                c as char
            } else {
                '.'
            });
        }
        true
    }

    fn v2_id(&mut self, tpay: u8, ext: usize, item_len: usize) -> Next {
        let b = self.b;
        if !self.head(tpay, &npstr(tpay), ext, 8)? {
            return Ok(None);
        }
        put!(self.ctx.out, " len={}", item_len - 4);
        if self.dump_rest(tpay, ext, item_len, 4)?.is_none() {
            return Ok(None);
        }
        // tcpdump's unsigned length: one that wraps is never captured.
        let len = item_len.wrapping_sub(8);
        let ok = match b.u8(ext + 4)? {
            1 => Some((" ipv4:", false)),
            2 => Some((" fqdn:", true)),
            3 => Some((" rfc822:", true)),
            5 => Some((" ipv6:", false)),
            9 => Some((" dn:", false)),
            10 => Some((" gn:", false)),
            11 => Some((" keyid:", false)),
            _ => None,
        }
        .is_none_or(|(label, ascii)| {
            self.s(label);
            if ascii {
                self.ascii(ext + 8, len)
            } else {
                self.raw(ext + 8, len)
            }
        });
        if !ok {
            return Ok(self.mark(tpay));
        }
        Ok(Some(ext + item_len))
    }

    fn v2_auth(&mut self, tpay: u8, ext: usize, item_len: usize) -> Next {
        const METHODS: [&str; 4] = ["invalid", "rsasig", "shared-secret", "dsssig"];
        let b = self.b;
        if !self.head(tpay, &npstr(tpay), ext, 8)? {
            return Ok(None);
        }
        let m = u32::from(b.u8(ext + 4)?);
        put!(
            self.ctx.out,
            " len={} method={}",
            item_len - 4,
            str_or_id(&METHODS, m)
        );
        let (whole, some) = (self.v > 1, self.v > 0);
        let len = item_len.wrapping_sub(8);
        if item_len > 4 && !self.show(whole, some, (" authdata=(", ") "), ext + 8, len) {
            return Ok(self.mark(tpay));
        }
        Ok(Some(ext + item_len))
    }

    fn v2_nonce(&mut self, tpay: u8, ext: usize, item_len: usize) -> Next {
        if !self.head(tpay, "nonce", ext, 4)? {
            return Ok(None);
        }
        put!(self.ctx.out, " len={}", item_len - 4);
        let (whole, some) = (self.v > 1, self.v > 0);
        if item_len > 4 && !self.show(whole, some, (" nonce=(", ") "), ext + 4, item_len - 4) {
            return Ok(self.mark(tpay));
        }
        Ok(Some(ext + item_len))
    }

    fn v2_n(&mut self, ext: usize, item_len: usize) -> Next {
        let b = self.b;
        if !self.head(11, "n", ext, 8)? {
            return Ok(None);
        }
        put!(
            self.ctx.out,
            " prot_id={}",
            str_or_id(&PROTOIDSTR, u32::from(b.u8(ext + 4)?))
        );
        let ty = b.be16(ext + 6)?;
        let (name, showspi, somedata) = v2_notify(ty);
        put!(self.ctx.out, " type={ty}({name})");
        let spi = usize::from(b.u8(ext + 5)?);
        if showspi && spi != 0 {
            self.s(" spi=");
            if !self.raw(ext + 8, spi) {
                return Ok(self.mark(11));
            }
        }
        let cp = ext + 8 + spi;
        let ep = self.ep();
        if cp < ep {
            let whole = self.v > 3 || (somedata && ep - cp < 30);
            if !self.show(whole, somedata, (" data=(", ")"), cp, ep - cp) {
                return Ok(self.mark(11));
            }
        }
        Ok(Some(ext + item_len))
    }

    fn v2_vid(&mut self, tpay: u8, ext: usize, item_len: usize) -> Next {
        if !self.head(tpay, &npstr(tpay), ext, 4)? {
            return Ok(None);
        }
        let len = item_len - 4;
        put!(self.ctx.out, " len={len} vid=");
        if !self.ascii(ext + 4, len) {
            return Ok(self.mark(tpay));
        }
        self.dump_if(tpay, ext, item_len, 4, 8)
    }

    /// The encrypted payload: its length (and hex with -vvv); always the
    /// end of the chain.
    fn v2_e(&mut self, tpay: u8, ext: usize, item_len: usize) -> Next {
        if !self.head(tpay, &npstr(tpay), ext, 4)? {
            return Ok(None);
        }
        let dlen = item_len - 4;
        put!(self.ctx.out, " len={dlen}");
        if self.dump_if(tpay, ext, item_len, 4, 8)?.is_none() {
            return Ok(None);
        }
        if !self.b.has(ext + 4, dlen) {
            return Ok(self.mark(tpay));
        }
        Ok(None)
    }

    /// `ike_sub0_print` / `ikev2_sub0_print`: one payload of type `np`.
    fn sub0(&mut self, v2: bool, np: u8, ext: usize, proto: u32, depth: usize) -> Next {
        if !self.b.has(ext, 4) {
            self.s(" [|isakmp]");
            return Ok(None);
        }
        let item_len = usize::from(self.b.be16(ext + 2)?);
        if item_len <= 4 {
            return Ok(None);
        }
        match np {
            1 => self.v1_sa(ext, proto, depth),
            2 => self.v1_p(ext, depth),
            3 => self.v1_t(ext, item_len, proto),
            4 => self.v1_data(np, "key len", ext, item_len),
            5 => self.v1_id(ext, item_len),
            6 | 7 => self.v1_cert(np, ext, item_len),
            8 | 9 | 13 => self.v1_data(np, "len", ext, item_len),
            10 => self.v1_nonce(ext, item_len),
            11 => self.v1_n(ext, item_len),
            12 => self.v1_d(ext),
            33 => self.v2_sa(np, ext, depth),
            34 => self.v2_ke(np, ext, item_len),
            35 | 36 => self.v2_id(np, ext, item_len),
            37 | 38 | 42 | 44 | 45 | 47 | 48 => self.v2_gen(np, ext, item_len),
            39 => self.v2_auth(np, ext, item_len),
            40 => self.v2_nonce(np, ext, item_len),
            41 => self.v2_n(ext, item_len),
            43 => self.v2_vid(np, ext, item_len),
            46 if v2 => self.v2_e(np, ext, item_len),
            _ => {
                let name = npstr(np);
                self.s(&name);
                Ok(Some(ext + item_len))
            }
        }
    }

    /// `ikev1_sub_print` / `ikev2_sub_print`: the chain of payloads from
    /// `ext`, the first of type `np`; `proto`: the protocol of the
    /// proposal around (what names IKEv1 transforms), 0 outside one.
    /// (tcpdump's phase and DOI change nothing printed.)
    fn sub(&mut self, v2: bool, mut np: u8, mut ext: usize, proto: u32, depth: usize) -> Next {
        let mut cp = ext;
        while np != 0 {
            if !self.b.has(ext, 4) {
                return Ok(self.mark(np));
            }
            let item_len = usize::from(self.b.be16(ext + 2)?);
            if !self.b.has(ext, item_len) {
                return Ok(self.mark(np));
            }
            self.newline(depth + 1);
            let next = self.sub0(v2, np, ext, proto, depth + 1)?;
            self.s(")");
            let Some(next) = next else {
                return Ok(None);
            };
            cp = next;
            np = self.b.u8(ext)?;
            ext = cp;
        }
        Ok(Some(cp))
    }
}

/// An IKEv2 notify type's name, whether its SPI is shown, whether some
/// of its data is.
fn v2_notify(ty: u16) -> (&'static str, bool, bool) {
    let (name, spi) = match ty {
        1 => ("unsupported_critical_payload", false),
        4 => ("invalid_ike_spi", true),
        5 => ("invalid_major_version", false),
        7 => ("invalid_syntax", true),
        9 => ("invalid_message_id", true),
        11 => ("invalid_spi", true),
        14 => ("no_protocol_chosen", true),
        17 => ("invalid_ke_payload", true),
        24 => ("authentication_failed", true),
        34 => ("single_pair_required", true),
        35 => ("no_additional_sas", false),
        36 => ("internal_address_failure", false),
        37 => ("failed:cp_required", false),
        39 => ("invalid_selectors", false),
        16384 => ("initial_contact", false),
        16385 => ("set_window_size", false),
        16386 => ("additional_ts_possible", false),
        16387 => ("ipcomp_supported", false),
        16388 => ("nat_detection_source_ip", true),
        16389 => ("nat_detection_destination_ip", true),
        16390 => return ("cookie", true, true),
        16391 => ("use_transport_mode", false),
        16392 => ("http_cert_lookup_supported", false),
        16393 => ("rekey_sa", true),
        16394 => ("tfc_padding_not_supported", false),
        16395 => ("non_first_fragment_also", false),
        _ => {
            let class = match ty {
                0..8192 => "error",
                8192..16384 => "private-error",
                16384..40960 => "status",
                _ => "private-status",
            };
            (class, true)
        }
    };
    (name, spi, false)
}

/// `netdb_protoname` for the protocols an identification names (the
/// system's protocol names as tcpdump gets them without -n).
fn netdb_protoname(p: u8) -> Option<&'static str> {
    Some(match p {
        1 => "icmp",
        2 => "igmp",
        4 => "ipencap",
        6 => "tcp",
        17 => "udp",
        41 => "ipv6",
        47 => "gre",
        50 => "esp",
        51 => "ah",
        58 => "ipv6-icmp",
        89 => "ospf",
        103 => "pim",
        108 => "ipcomp",
        112 => "vrrp",
        132 => "sctp",
        _ => return None,
    })
}

/// `isakmp_print`: the message in `b` (`length`: the UDP payload's
/// length as the UDP printer passes it on), `ip` the header it came in
/// (for IKEv1's initiator cookies).
pub(crate) fn print(ctx: &mut Ctx<'_>, b: Bytes, length: u32, ip: Option<&IpInfo<'_>>) -> Res {
    ctx.proto = "isakmp";
    if b.len() < 28 {
        ctx.explicit_trunc();
        return Ok(());
    }
    ctx.s("isakmp");
    let vers = b.u8(17)?;
    let (major, minor) = (vers >> 4, vers & 0x0f);
    let v = ctx.o.verbose;
    if v > 0 {
        put!(ctx.out, " {major}.{minor} msgid ");
        for c in b.get(20, 4)? {
            put!(ctx.out, "{c:02x}");
        }
    }
    if v > 1 {
        ctx.s(" cookie ");
        for c in b.get(0, 8)? {
            put!(ctx.out, "{c:02x}");
        }
        ctx.s("->");
        for c in b.get(8, 8)? {
            put!(ctx.out, "{c:02x}");
        }
    }
    ctx.s(":");
    let v2 = match major {
        1 => false,
        2 => true,
        _ => return Ok(()),
    };
    let phase = if b.be32(20)? == 0 { 1 } else { 2 };
    if !v2 {
        put!(
            ctx.out,
            " phase {phase}{}",
            if phase == 1 { "" } else { "/others" }
        );
        let side = initiator_side(ctx, b, ip)?;
        ctx.s(side);
    } else if phase == 1 {
        ctx.s(" parent_sa");
    } else {
        ctx.s(" child_sa ");
    }
    put!(ctx.out, " {}", etype_name(b.u8(18)?));
    let flags = b.u8(19)?;
    if flags != 0 {
        let f = |bit: u8, s: &'static str| if flags & bit != 0 { s } else { "" };
        if v2 {
            put!(
                ctx.out,
                "[{}{}{}]",
                f(0x08, "I"),
                f(0x10, "V"),
                f(0x20, "R")
            );
        } else {
            put!(ctx.out, "[{}{}]", f(0x01, "E"), f(0x02, "C"));
        }
    }
    if v > 0 {
        ctx.s(":");
        let np = b.u8(16)?;
        if flags & 0x01 != 0 {
            put!(ctx.out, " [encrypted {}]", npstr(np));
        } else {
            let mut p = P { ctx, b, v };
            p.sub(v2, np, 28, 0, 0)?;
        }
        let len = b.be32(24)?;
        if len != length {
            put!(ctx.out, " (len mismatch: isakmp {len}/ip {length})");
        }
    }
    Ok(())
}

/// IKEv1's ` I`, ` R` or ` ?`, from the initiator cookie cache.
fn initiator_side(ctx: &mut Ctx<'_>, b: Bytes, ip: Option<&IpInfo<'_>>) -> Res<&'static str> {
    let i_ck = b.get(0, 8)?;
    let a = ip.and_then(addrs);
    let cache = &mut ctx.tcp.isakmp;
    Ok(match cache.find(i_ck) {
        None if b.get(8, 8)?.iter().all(|&c| c == 0) => {
            if let Some(a) = &a {
                cache.record(i_ck, a);
            }
            " I"
        }
        None => " ?",
        Some(i) => match &a {
            Some(a) if cache.side(i, a, true) => " I",
            Some(a) if cache.side(i, a, false) => " R",
            _ => " ?",
        },
    })
}

/// `isakmp_rfc3948_print` (UDP 4500): a NAT keep-alive, IKE behind the
/// non-ESP marker, or ESP.
pub(crate) fn rfc3948(ctx: &mut Ctx<'_>, b: Bytes, length: u32, ip: Option<&IpInfo<'_>>) -> Res {
    ctx.proto = "isakmp_rfc3948";
    if length == 1 && b.u8(0)? == 0xff {
        ctx.s("isakmp-nat-keep-alive");
        return Ok(());
    }
    if length < 4 {
        ctx.explicit_trunc();
        return Ok(());
    }
    if b.be32(0)? == 0 {
        ctx.s("NONESP-encap: ");
        return print(ctx, Bytes(b.0.get(4..).unwrap_or(&[])), length - 4, ip);
    }
    ctx.s("UDP-encap: ");
    crate::other::esp_print(ctx, b.0, length)
}
