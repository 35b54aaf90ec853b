//! AFS Rx (tcpdump's `rx_print`, UDP ports 7000-7009): the Rx header,
//! the calls of the AFS services by destination port (file server,
//! callback, protection, volume location, Kerberos, volume, BOS and
//! Ubik), their replies by the opcode of the call they answer, and acks.
//!
//! Replies carry no opcode: like tcpdump, the printer remembers the last
//! 64 calls ([`Calls`], per capture) and finds a reply's call by call
//! number, addresses, service id and port.
//!
//! Two ways to stop on missing bytes, as in tcpdump: the printers' own
//! checks print ` [|fs]` (` [|cb]`, ...) and the Rx line goes on with
//! its ` (length)`; a plain read past the capture ends the packet with
//! ` [|rx]` (tcpdump's `GET_*` longjmp, [`Trunc`]).

use super::{Bytes, Ctx, Res, Trunc, print_char, printn, put};

/// The Rx header's size.
const HDR: usize = 28;

const DATA: u8 = 1;
const ACK: u8 = 2;
const ABORT: u8 = 4;
const CLIENT_INITIATED: u8 = 1;

/// How many calls are remembered (tcpdump's `RX_CACHE_SIZE`).
const CACHE: usize = 64;

/// A call remembered to name its reply (`struct rx_cache_entry`).
#[derive(Clone, Copy, Default)]
struct Call {
    callnum: u32,
    client: [u8; 4],
    server: [u8; 4],
    dport: u16,
    service: u16,
    opcode: u32,
}

/// The calls seen so far in a capture, to decode replies (tcpdump's
/// `rx_cache`: a ring of 64, searched from where the last search hit),
/// and the addresses of the packet being printed.
pub(crate) struct Calls {
    ring: [Call; CACHE],
    next: usize,
    hint: usize,
    /// The 4 bytes at offsets 12 and 16 of the IP header (tcpdump reads
    /// `ip_src`/`ip_dst` there whatever the IP version).
    hosts: ([u8; 4], [u8; 4]),
}

impl Default for Calls {
    fn default() -> Self {
        Calls {
            ring: [Call::default(); CACHE],
            next: 0,
            hint: 0,
            hosts: ([0; 4], [0; 4]),
        }
    }
}

impl Calls {
    /// Notes the IP header of the packet whose UDP payload is printed
    /// next (tcpdump passes it to `rx_print`).
    pub fn hosts(&mut self, ip_hdr: &[u8]) {
        let at = |i: usize| -> [u8; 4] {
            let mut a = [0; 4];
            if let Some(s) = ip_hdr.get(i..i + 4) {
                a.copy_from_slice(s);
            }
            a
        };
        self.hosts = (at(12), at(16));
    }

    fn insert(&mut self, b: Bytes, dport: u16) -> Res {
        if !b.has(HDR, 4) {
            return Ok(());
        }
        let call = Call {
            callnum: b.be32(8)?,
            client: self.hosts.0,
            server: self.hosts.1,
            dport,
            service: b.be16(26)?,
            opcode: b.be32(HDR)?,
        };
        self.ring[self.next] = call;
        self.next = (self.next + 1) % CACHE;
        Ok(())
    }

    /// The opcode of the call a reply from `sport` answers.
    fn find(&mut self, b: Bytes, sport: u16) -> Res<Option<u32>> {
        let (server, client) = self.hosts;
        let (callnum, service) = (b.be32(8)?, b.be16(26)?);
        let mut i = self.hint;
        loop {
            let c = &self.ring[i];
            if c.callnum == callnum
                && c.client == client
                && c.server == server
                && c.service == service
                && c.dport == sport
            {
                self.hint = i;
                return Ok(Some(c.opcode));
            }
            i = (i + 1) % CACHE;
            if i == self.hint {
                return Ok(None);
            }
        }
    }
}

/// Runs of consecutive opcodes and their names.
type Ops = &'static [(u32, &'static [&'static str])];

fn op_name(ops: Ops, v: u32) -> Option<&'static str> {
    ops.iter().find_map(|&(base, names)| {
        let i = v.checked_sub(base)?;
        names.get(usize::try_from(i).ok()?).copied()
    })
}

const TYPES: Ops = &[
    (
        1,
        &[
            "data",
            "ack",
            "busy",
            "abort",
            "ackall",
            "challenge",
            "response",
            "debug",
            "params",
        ],
    ),
    (13, &["version"]),
];

/// `rx_flags`: flag, packet type it is for (0: any), name.
const FLAGS: [(u8, u8, &str); 7] = [
    (1, 0, "client-init"),
    (2, 0, "req-ack"),
    (4, 0, "last-pckt"),
    (8, 0, "more-pckts"),
    (16, 0, "free-pckt"),
    (32, ACK, "slow-start"),
    (32, DATA, "jumbogram"),
];

const FS_OPS: Ops = &[
    (
        130,
        &[
            "fetch-data",
            "fetch-acl",
            "fetch-status",
            "store-data",
            "store-acl",
            "store-status",
            "remove-file",
            "create-file",
            "rename",
            "symlink",
            "link",
            "makedir",
            "rmdir",
            "oldsetlock",
            "oldextlock",
            "oldrellock",
            "get-stats",
            "give-cbs",
            "get-vlinfo",
            "get-vlstats",
            "set-vlstats",
            "get-rootvl",
            "check-token",
            "get-time",
            "nget-vlinfo",
            "bulk-stat",
            "setlock",
            "extlock",
            "rellock",
            "xstat-ver",
            "get-xstat",
            "dfs-lookup",
            "dfs-flushcps",
            "dfs-symlink",
        ],
    ),
    (220, &["residency"]),
    (
        65536,
        &[
            "inline-bulk-status",
            "fetch-data-64",
            "store-data-64",
            "give-up-all-cbs",
            "get-caps",
            "cb-rx-conn-addr",
        ],
    ),
];

const CB_OPS: Ops = &[
    (
        204,
        &[
            "callback",
            "initcb",
            "probe",
            "getlock",
            "getce",
            "xstatver",
            "getxstat",
            "initcb2",
            "whoareyou",
            "initcb3",
            "probeuuid",
            "getsrvprefs",
            "getcellservdb",
            "getlocalcell",
            "getcacheconf",
        ],
    ),
    (65536, &["getce64", "getcellbynum", "tellmeaboutyourself"]),
];

const PT_OPS: Ops = &[
    (
        500,
        &[
            "new-user",
            "where-is-it",
            "dump-entry",
            "add-to-group",
            "name-to-id",
            "id-to-name",
            "delete",
            "remove-from-group",
            "get-cps",
            "new-entry",
            "list-max",
            "set-max",
            "list-entry",
            "change-entry",
            "list-elements",
            "same-mbr-of",
            "set-fld-sentry",
            "list-owned",
            "get-cps2",
            "get-host-cps",
            "update-entry",
            "list-entries",
        ],
    ),
    (530, &["list-super-groups"]),
];

const VLDB_OPS: Ops = &[(
    501,
    &[
        "create-entry",
        "delete-entry",
        "get-entry-by-id",
        "get-entry-by-name",
        "get-new-volume-id",
        "replace-entry",
        "update-entry",
        "setlock",
        "releaselock",
        "list-entry",
        "list-attrib",
        "linked-list",
        "get-stats",
        "probe",
        "get-addrs",
        "change-addr",
        "create-entry-n",
        "get-entry-by-id-n",
        "get-entry-by-name-n",
        "replace-entry-n",
        "list-entry-n",
        "list-attrib-n",
        "linked-list-n",
        "update-entry-by-name",
        "create-entry-u",
        "get-entry-by-id-u",
        "get-entry-by-name-u",
        "replace-entry-u",
        "list-entry-u",
        "list-attrib-u",
        "linked-list-u",
        "regaddr",
        "get-addrs-u",
        "list-attrib-n2",
    ],
)];

const KAUTH_OPS: Ops = &[
    (
        1,
        &[
            "auth-old",
            "change-pw",
            "get-ticket-old",
            "set-pw",
            "set-fields",
            "create-user",
            "delete-user",
            "get-entry",
            "list-entry",
            "get-stats",
            "debug",
            "get-pw",
            "get-random-key",
            "unlock",
            "lock-status",
        ],
    ),
    (21, &["authenticate", "authenticate-v2", "get-ticket"]),
];

const VOL_OPS: Ops = &[
    (
        100,
        &[
            "create-volume",
            "delete-volume",
            "restore",
            "forward",
            "end-trans",
            "clone",
            "set-flags",
            "get-flags",
            "trans-create",
            "dump",
            "get-nth-volume",
            "set-forwarding",
            "get-name",
            "get-status",
            "sig-restore",
            "list-partitions",
            "list-volumes",
            "set-id-types",
            "monitor",
            "partition-info",
            "reclone",
            "list-one-volume",
            "nuke",
            "set-date",
            "x-list-volumes",
            "x-list-one-volume",
            "set-info",
            "x-list-partitions",
            "forward-multiple",
        ],
    ),
    (65536, &["convert-ro", "get-size", "dump-v2"]),
];

const BOS_OPS: Ops = &[(
    80,
    &[
        "create-bnode",
        "delete-bnode",
        "set-status",
        "get-status",
        "enumerate-instance",
        "get-instance-info",
        "get-instance-parm",
        "add-superuser",
        "delete-superuser",
        "list-superusers",
        "list-keys",
        "add-key",
        "delete-key",
        "set-cell-name",
        "get-cell-name",
        "get-cell-host",
        "add-cell-host",
        "delete-cell-host",
        "set-t-status",
        "shutdown-all",
        "restart-all",
        "startup-all",
        "set-noauth-flag",
        "re-bozo",
        "restart",
        "start-bozo-install",
        "uninstall",
        "get-dates",
        "exec",
        "prune",
        "set-restart-time",
        "get-restart-time",
        "start-bozo-log",
        "wait-all",
        "get-instance-strings",
        "get-restricted",
        "set-restricted",
    ],
)];

const UBIK_OPS: Ops = &[
    (
        10000,
        &[
            "vote-beacon",
            "vote-debug-old",
            "vote-sdebug-old",
            "vote-getsyncsite",
            "vote-debug",
            "vote-sdebug",
            "vote-xdebug",
            "vote-xsdebug",
        ],
    ),
    (
        20000,
        &[
            "disk-begin",
            "disk-commit",
            "disk-lock",
            "disk-write",
            "disk-getversion",
            "disk-getfile",
            "disk-sendfile",
            "disk-abort",
            "disk-releaselocks",
            "disk-truncate",
            "disk-probe",
            "disk-writev",
            "disk-interfaceaddr",
            "disk-setversion",
        ],
    ),
];

const VOLTYPES: [&str; 3] = ["read-write", "read-only", "backup"];

const FS_ERRORS: Ops = &[
    (
        101,
        &[
            "salvage volume",
            "no such vnode",
            "no such volume",
            "volume exist",
            "no service",
            "volume offline",
            "voline online",
            "diskfull",
            "diskquota exceeded",
            "volume busy",
            "volume moved",
            "AFS IO error",
        ],
    ),
    (0xffff_ff9c, &["restarting fileserver"]),
];

const ACK_REASONS: Ops = &[(
    1,
    &[
        "ack requested",
        "duplicate packet",
        "out of sequence",
        "exceeds window",
        "no buffer space",
        "ping",
        "ping response",
        "delay",
        "idle",
    ],
)];

/// How a service printer stopped early.
enum Stop {
    /// Its own bounds check failed: ` [|service]`, then the Rx line goes
    /// on (tcpdump's `goto trunc`).
    Check,
    /// A read past the capture (tcpdump's longjmp).
    Read,
}

impl From<Trunc> for Stop {
    fn from(_: Trunc) -> Self {
        Stop::Read
    }
}

type Step<T = ()> = Result<T, Stop>;

/// A printer of a call's arguments or a reply's data, given the opcode.
type OpPrinter = fn(&mut Args, u32) -> Step;

/// The AFS argument readers over the payload (tcpdump's `FIDOUT`,
/// `STROUT`, ... macros), from a cursor.
struct Args<'a, 'o> {
    out: &'o mut String,
    b: Bytes<'a>,
    at: usize,
}

impl Args<'_, '_> {
    fn s(&mut self, text: &str) {
        self.out.push_str(text);
    }

    /// Bytes that must be there (`ND_TCHECK_LEN`).
    fn check(&self, n: usize) -> Step {
        if self.b.has(self.at, n) {
            Ok(())
        } else {
            Err(Stop::Check)
        }
    }

    fn skip(&mut self, n: usize) {
        self.at = self.at.saturating_add(n);
    }

    fn u32(&mut self) -> Step<u32> {
        let v = self.b.be32(self.at)?;
        self.at += 4;
        Ok(v)
    }

    /// `INTOUT`, after `label`.
    fn int(&mut self, label: &str) -> Step {
        self.s(label);
        let v = self.u32()? as i32;
        put!(self.out, " {v}");
        Ok(())
    }

    /// `UINTOUT`, after `label`.
    fn uint(&mut self, label: &str) -> Step {
        self.s(label);
        let v = self.u32()?;
        put!(self.out, " {v}");
        Ok(())
    }

    /// `UINT64OUT`, after `label`.
    fn uint64(&mut self, label: &str) -> Step {
        self.s(label);
        let hi = u64::from(self.u32()?);
        let lo = u64::from(self.u32()?);
        put!(self.out, " {}", hi << 32 | lo);
        Ok(())
    }

    /// `FIDOUT`.
    fn fid(&mut self) -> Step {
        self.check(12)?;
        let (a, b, c) = (self.u32()?, self.u32()?, self.u32()?);
        put!(self.out, " fid {a}/{b}/{c}");
        Ok(())
    }

    /// `STROUT`: a counted string of at most `max` bytes.
    fn string(&mut self, max: u32) -> Step {
        let n = self.u32()?;
        if n > max {
            return Err(Stop::Check);
        }
        self.s(" \"");
        if !printn(self.out, self.b, self.at, n as usize) {
            return Err(Stop::Check);
        }
        self.s("\"");
        self.skip((n as usize).div_ceil(4) * 4);
        Ok(())
    }

    /// `VECOUT`: `max` characters stored one a 32-bit word, up to a NUL.
    fn vec(&mut self, max: usize) -> Step {
        self.check(max * 4)?;
        self.s(" \"");
        let mut ended = false;
        for _ in 0..max {
            let c = self.u32()? as u8;
            ended |= c == 0;
            if !ended {
                print_char(self.out, c);
            }
        }
        self.s("\"");
        Ok(())
    }

    /// `DATEOUT`: local time, as tcpdump's `localtime` and `strftime`.
    fn date(&mut self, label: &str) -> Step {
        self.s(label);
        let t = self.u32()? as i32;
        let tm = crate::local_time(i64::from(t));
        let (year, month, day) = (i64::from(tm.tm_year) + 1900, tm.tm_mon + 1, tm.tm_mday);
        let (h, m, sec) = (tm.tm_hour, tm.tm_min, tm.tm_sec);
        put!(
            self.out,
            " {year}/{month:02}/{day:02} {h:02}:{m:02}:{sec:02}"
        );
        Ok(())
    }

    /// `STOREATTROUT`.
    fn store_status(&mut self) -> Step {
        self.check(24)?;
        let mask = self.u32()?;
        if mask != 0 {
            self.s(" StoreStatus");
        }
        if mask & 1 != 0 {
            self.date(" date")?;
        } else {
            self.skip(4);
        }
        let owner = self.u32()?;
        if mask & 2 != 0 {
            put!(self.out, " owner {owner}");
        }
        let group = self.u32()?;
        if mask & 4 != 0 {
            put!(self.out, " group {group}");
        }
        let mode = self.u32()?;
        if mask & 8 != 0 {
            put!(self.out, " mode {:o}", mode & 0o7777);
        }
        let segsize = self.u32()?;
        if mask & 16 != 0 {
            put!(self.out, " segsize {segsize}");
        }
        if mask & 1024 != 0 {
            self.s(" fsync");
        }
        Ok(())
    }

    /// `UBIK_VERSIONOUT`, after `label`.
    fn ubik_version(&mut self, label: &str) -> Step {
        self.s(label);
        self.check(8)?;
        let (epoch, counter) = (self.u32()?, self.u32()?);
        put!(self.out, " {epoch}.{counter}");
        Ok(())
    }

    /// `AFSUUIDOUT`.
    fn uuid(&mut self) -> Step {
        self.check(44)?;
        let a = self.u32()?;
        let b = self.u32()?;
        let c = self.u32()?;
        put!(self.out, " {a:08x}{b:04x}{c:04x}");
        for _ in 0..8 {
            let d = self.u32()? as u8;
            put!(self.out, "{d:02x}");
        }
        Ok(())
    }

    /// `DESTSERVEROUT`.
    fn dest_server(&mut self) -> Step {
        self.check(12)?;
        let (a, b, c) = (self.u32()?, self.u32()?, self.u32()?);
        put!(self.out, " server {a}:{b}:{c}");
        Ok(())
    }

    /// A count, then `each` that many times, `sep` between them, and
    /// ` <none!>` for none.
    fn list(&mut self, sep: &str, mut each: impl FnMut(&mut Self) -> Step) -> Step {
        let n = self.u32()?;
        let mut i = 0u32;
        while i < n {
            each(self)?;
            if i != n - 1 {
                self.s(sep);
            }
            i += 1;
        }
        if n == 0 {
            self.s(" <none!>");
        }
        Ok(())
    }

    /// An ACL string of `n` bytes (`acl_print`).
    fn acl(&mut self) -> Step {
        let n = self.u32()? as usize;
        self.check(n)?;
        let raw = self.b.get(self.at, n.min(1024))?;
        let text = raw.split(|&c| c == 0).next().unwrap_or(&[]);
        acl_print(self.out, text);
        Ok(())
    }
}

/// `acl_print`: `<positive> <negative>` then that many `<user> <bits>`
/// lines, as sscanf reads them.
fn acl_print(out: &mut String, s: &[u8]) {
    let mut sc = Scan { s, at: 0 };
    let (Some(pos), Some(neg)) = (sc.int(), sc.int()) else {
        return;
    };
    for (count, sign) in [(pos, '+'), (neg, '-')] {
        for _ in 0..count.max(0) {
            let Some(user) = sc.word() else {
                return;
            };
            let Some(acl) = sc.int() else {
                return;
            };
            sc.ws();
            put!(out, " {sign}{{");
            for &c in user {
                print_char(out, c);
            }
            out.push(' ');
            for (bit, ch) in [(1, 'r'), (8, 'l'), (4, 'i'), (16, 'd'), (2, 'w'), (32, 'k')] {
                if acl & bit != 0 {
                    out.push(ch);
                }
            }
            if acl & 64 != 0 {
                out.push('a');
            }
            out.push('}');
        }
    }
}

/// What `sscanf`'s `%d`, `%s` and white space take.
struct Scan<'a> {
    s: &'a [u8],
    at: usize,
}

impl<'a> Scan<'a> {
    fn ws(&mut self) {
        while self.s.get(self.at).is_some_and(|c| c.is_ascii_whitespace()) {
            self.at += 1;
        }
    }

    fn int(&mut self) -> Option<i32> {
        self.ws();
        let start = self.at;
        if matches!(self.s.get(self.at), Some(b'+' | b'-')) {
            self.at += 1;
        }
        let digits = self.at;
        while self.s.get(self.at).is_some_and(u8::is_ascii_digit) {
            self.at += 1;
        }
        if self.at == digits {
            return None;
        }
        let text = std::str::from_utf8(&self.s[start..self.at]).ok()?;
        // sscanf's %d on overflow is undefined; glibc saturates.
        Some(text.parse::<i64>().map_or(i32::MAX, |v| {
            v.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32
        }))
    }

    fn word(&mut self) -> Option<&'a [u8]> {
        self.ws();
        let start = self.at;
        while self.at < self.s.len()
            && self.at - start < 1024
            && !self.s[self.at].is_ascii_whitespace()
        {
            self.at += 1;
        }
        (self.at > start).then(|| &self.s[start..self.at])
    }
}

/// `rx_print`: the Rx header, the AFS call or reply, the ack, and the
/// payload length.
pub(crate) fn print(
    out: &mut String,
    cx: &Ctx,
    b: Bytes,
    length: u32,
    (sport, dport): (u16, u16),
    calls: &mut Calls,
) -> Res {
    if !b.has(0, HDR) {
        put!(out, " [|rx] ({length})");
        return Ok(());
    }
    let typ = b.u8(20)?;
    match op_name(TYPES, u32::from(typ)) {
        Some(name) => put!(out, " rx {name}"),
        None => put!(out, " rx type {typ}"),
    }
    let flags = b.u8(21)?;
    let v = cx.verbose;
    if v > 0 {
        if v > 1 {
            put!(out, " cid {:08x} call# {}", b.be32(4)?, b.be32(8)?);
        }
        put!(out, " seq {} ser {}", b.be32(12)?, b.be32(16)?);
        if v > 2 {
            put!(out, " secindex {} serviceid {}", b.u8(23)?, b.be16(26)?);
        }
        if v > 1 {
            let mut first = true;
            for (flag, for_type, name) in FLAGS {
                if flags & flag != 0 && (for_type == 0 || for_type == typ) {
                    out.push_str(if first { " " } else { "," });
                    first = false;
                    put!(out, "<{name}>");
                }
            }
        }
    }
    let seq1 = typ == DATA && b.be32(12)? == 1;
    let client = flags & CLIENT_INITIATED != 0;
    if seq1 && client {
        calls.insert(b, dport)?;
        service(out, b, length, dport, None)?;
    } else if (seq1 || typ == ABORT) && !client {
        if let Some(op) = calls.find(b, sport)? {
            service(out, b, length, sport, Some((typ, op)))?;
        }
    } else if typ == ACK {
        ack(out, cx, b, length)?;
    }
    put!(out, " ({length})");
    Ok(())
}

/// The call (`reply` None) or the reply (packet type and the call's
/// opcode) of the service at `port`.
fn service(out: &mut String, b: Bytes, length: u32, port: u16, reply: Option<(u8, u32)>) -> Res {
    let len = length as usize;
    let (name, call, answer): (_, OpPrinter, OpPrinter) = match port {
        7000 => ("fs", fs_call, fs_reply),
        7001 => ("cb", cb_call, cb_reply),
        7002 => ("pt", pt_call, pt_reply),
        7003 => ("vldb", vldb_call, vldb_reply),
        7004 => ("kauth", kauth_call, no_data),
        7005 => ("vol", vol_call, vol_reply),
        7007 => ("bos", bos_call, no_data),
        _ => return Ok(()),
    };
    // The protection and VLDB replies also go on at exactly a header.
    let header_only_ok = reply.is_some() && matches!(port, 7002 | 7003);
    if len < HDR || (len == HDR && !header_only_ok) {
        return Ok(());
    }
    let table = match port {
        7000 => FS_OPS,
        7001 => CB_OPS,
        7002 => PT_OPS,
        7003 => VLDB_OPS,
        7004 => KAUTH_OPS,
        7005 => VOL_OPS,
        _ => BOS_OPS,
    };
    // The protection, VLDB and Kerberos services also carry Ubik calls.
    let is_ubik = |op: u32| {
        matches!(port, 7002..=7004)
            && ((10000..=10007).contains(&op) || (20000..=20013).contains(&op))
    };
    let mut a = Args { out, b, at: HDR };
    // Which printer's name a failed check prints.
    let mut mark = name;
    if reply.is_none() {
        // A call's opcode is read before anything is printed.
        a.b.be32(HDR)?;
    }
    put!(a.out, " {name}");
    let res = match reply {
        None => {
            let op = a.b.be32(HDR)?;
            a.at += 4;
            if is_ubik(op) {
                mark = "ubik";
                op_label(a.out, "ubik call", UBIK_OPS, op);
                ubik_call(&mut a, op)
            } else {
                op_label(a.out, "call", table, op);
                call(&mut a, op)
            }
        }
        Some((typ, op)) if is_ubik(op) => {
            mark = "ubik";
            op_label(a.out, "ubik reply", UBIK_OPS, op);
            ubik_reply(&mut a, typ, op)
        }
        Some((typ, op)) => {
            op_label(a.out, "reply", table, op);
            if typ == DATA {
                answer(&mut a, op)
            } else if port == 7000 {
                fs_error(&mut a)
            } else {
                a.int(" errcode")
            }
        }
    };
    match res {
        Ok(()) => Ok(()),
        Err(Stop::Check) => {
            put!(out, " [|{mark}]");
            Ok(())
        }
        Err(Stop::Read) => Err(Trunc),
    }
}

fn op_label(out: &mut String, what: &str, ops: Ops, op: u32) {
    match op_name(ops, op) {
        Some(name) => put!(out, " {what} {name}"),
        None => put!(out, " {what} op#{op}"),
    }
}

/// An aborted file server call's error code.
fn fs_error(a: &mut Args) -> Step {
    let e = a.u32()?;
    match op_name(FS_ERRORS, e) {
        Some(text) => put!(a.out, " error {text}"),
        None => put!(a.out, " error #{}", e as i32),
    }
    Ok(())
}

/// The replies whose data nobody decodes (Kerberos, BOS).
fn no_data(_: &mut Args, _: u32) -> Step {
    Ok(())
}

/// `fs_print`'s arguments.
fn fs_call(a: &mut Args, op: u32) -> Step {
    match op {
        130 => {
            a.fid()?;
            a.uint(" offset")?;
            a.uint(" length")?;
        }
        131 | 132 | 143 | 144 | 145 | 156 | 157 | 158 => a.fid()?,
        135 => {
            a.fid()?;
            a.store_status()?;
        }
        133 => {
            a.fid()?;
            a.store_status()?;
            a.uint(" offset")?;
            a.uint(" length")?;
            a.uint(" flen")?;
        }
        134 => {
            a.fid()?;
            a.acl()?;
        }
        137 | 141 => {
            a.fid()?;
            a.string(256)?;
            a.store_status()?;
        }
        136 | 142 => {
            a.fid()?;
            a.string(256)?;
        }
        138 => {
            a.s(" old");
            a.fid()?;
            a.string(256)?;
            a.s(" new");
            a.fid()?;
            a.string(256)?;
        }
        139 => {
            a.fid()?;
            a.string(256)?;
            a.s(" link to");
            a.string(256)?;
        }
        140 => {
            a.fid()?;
            a.string(256)?;
            a.s(" link to");
            a.fid()?;
        }
        148 => a.string(256)?,
        149 | 150 => a.uint(" volid")?,
        154 => {
            a.s(" volname");
            a.string(256)?;
        }
        155 | 65536 => a.list(",", Args::fid)?,
        65537 => {
            a.fid()?;
            a.uint64(" offset")?;
            a.uint64(" length")?;
        }
        65538 => {
            a.fid()?;
            a.store_status()?;
            a.uint64(" offset")?;
            a.uint64(" length")?;
            a.uint64(" flen")?;
        }
        65541 => a.uint(" addr")?,
        _ => {}
    }
    Ok(())
}

/// `fs_reply_print`'s data.
fn fs_reply(a: &mut Args, op: u32) -> Step {
    match op {
        131 => a.acl(),
        137 | 141 => {
            a.s(" new");
            a.fid()
        }
        151 => {
            a.s(" root volume");
            a.string(256)
        }
        153 => a.date(""),
        _ => Ok(()),
    }
}

/// `cb_print`'s arguments.
fn cb_call(a: &mut Args, op: u32) -> Step {
    match op {
        204 => {
            a.list(",", Args::fid)?;
            let n = a.u32()?;
            if n != 0 {
                a.s(";");
            }
            for _ in 0..n {
                a.int(" ver")?;
                a.date(" expires")?;
                a.u32()?;
            }
        }
        214 => {
            a.s(" afsuuid");
            a.uuid()?;
        }
        _ => {}
    }
    Ok(())
}

/// `cb_reply_print`'s data.
fn cb_reply(a: &mut Args, op: u32) -> Step {
    if op == 213 { a.uuid() } else { Ok(()) }
}

/// `prot_print`'s arguments.
fn pt_call(a: &mut Args, op: u32) -> Step {
    match op {
        500 => {
            a.string(64)?;
            a.int(" id")?;
            a.int(" oldid")?;
        }
        501 | 506 | 508 | 512 | 514 | 517 | 518 | 519 | 530 => a.int(" id")?,
        502 => a.int(" pos")?,
        503 | 507 | 515 => {
            a.int(" uid")?;
            a.int(" gid")?;
        }
        504 => a.list("", |a| a.vec(64))?,
        505 => {
            a.s(" ids:");
            a.list("", |a| a.int(""))?;
        }
        509 => {
            a.string(64)?;
            a.int(" flag")?;
            a.int(" oid")?;
        }
        511 => {
            a.int(" id")?;
            a.int(" gflag")?;
        }
        513 => {
            a.int(" id")?;
            a.string(64)?;
            a.int(" oldid")?;
            a.int(" newid")?;
        }
        520 => {
            a.int(" id")?;
            a.string(64)?;
        }
        _ => {}
    }
    Ok(())
}

/// `prot_reply_print`'s data.
fn pt_reply(a: &mut Args, op: u32) -> Step {
    match op {
        504 => {
            a.s(" ids:");
            a.list("", |a| a.int(""))
        }
        505 => a.list("", |a| a.vec(64)),
        508 | 514 | 517 | 518 | 519 => a.list("", |a| a.int("")),
        510 => {
            a.int(" maxuid")?;
            a.int(" maxgid")
        }
        _ => Ok(()),
    }
}

/// ` type read-write` for volume types 0-2.
fn voltype(a: &mut Args) -> Step {
    let t = a.u32()?;
    if let Some(name) = VOLTYPES.get(t as usize) {
        put!(a.out, " type {name}");
    }
    Ok(())
}

/// `vldb_print`'s arguments.
fn vldb_call(a: &mut Args, op: u32) -> Step {
    match op {
        501 | 517 => a.vec(65)?,
        502 | 503 | 507 | 508 | 509 | 518 => {
            a.int(" volid")?;
            voltype(a)?;
        }
        504 | 519 | 524 | 527 => a.string(65)?,
        505 => a.int(" bump")?,
        506 | 520 => {
            a.int(" volid")?;
            voltype(a)?;
            a.vec(65)?;
        }
        510 | 521 => a.int(" index")?,
        _ => {}
    }
    Ok(())
}

/// A VLDB entry's partitions of `n` servers out of `slots`.
fn partitions(a: &mut Args, n: u32, slots: u32) -> Step {
    a.s(" partitions");
    for i in 0..slots {
        let j = a.u32()?;
        if i < n && j <= 26 {
            put!(a.out, " {}", char::from(b'a' + j as u8));
        } else if i < n {
            put!(a.out, " {j}");
        }
    }
    Ok(())
}

/// A VLDB entry (`slots` servers) after its name.
fn vldb_entry(a: &mut Args, slots: u32, uuids: bool) -> Step {
    a.s(" numservers");
    let n = a.u32()?;
    put!(a.out, " {n} servers");
    for i in 0..slots {
        if uuids {
            if i < n {
                a.s(" afsuuid");
                a.uuid()?;
            } else {
                a.check(44)?;
                a.skip(44);
            }
            continue;
        }
        a.check(4)?;
        if i < n {
            let ip = a.b.ipv4(a.at)?;
            put!(a.out, " {ip}");
        }
        a.skip(4);
    }
    if uuids {
        a.check(4 * 13)?;
        a.skip(4 * 13);
    }
    partitions(a, n, slots)?;
    a.check(4 * slots as usize)?;
    a.skip(4 * slots as usize);
    a.uint(" rwvol")?;
    a.uint(" rovol")?;
    a.uint(" backup")
}

/// `vldb_reply_print`'s data.
fn vldb_reply(a: &mut Args, op: u32) -> Step {
    match op {
        510 | 503 | 504 => {
            if op == 510 {
                a.int(" count")?;
                a.int(" nextindex")?;
            }
            a.vec(65)?;
            a.check(4)?;
            a.skip(4);
            vldb_entry(a, 8, false)
        }
        505 => a.uint(" newvol"),
        521 | 529 | 518 | 519 => {
            if matches!(op, 521 | 529) {
                a.int(" count")?;
                a.int(" nextindex")?;
            }
            a.vec(65)?;
            vldb_entry(a, 13, false)
        }
        526 | 527 => {
            a.vec(65)?;
            vldb_entry(a, 13, true)
        }
        _ => Ok(()),
    }
}

/// `kauth_print`'s arguments.
fn kauth_call(a: &mut Args, op: u32) -> Step {
    match op {
        1 | 21 | 22 | 2 | 5 | 6 | 7 | 8 | 14 | 15 => {
            a.s(" principal");
            a.string(64)?;
            a.string(64)?;
        }
        3 | 23 => {
            a.int(" kvno")?;
            a.s(" domain");
            a.string(64)?;
            let n = a.u32()? as usize;
            a.check(n)?;
            a.skip(n);
            a.s(" principal");
            a.string(64)?;
            a.string(64)?;
        }
        4 => {
            a.s(" principal");
            a.string(64)?;
            a.string(64)?;
            a.int(" kvno")?;
        }
        12 => {
            a.s(" name");
            a.string(64)?;
        }
        _ => {}
    }
    Ok(())
}

/// `vol_print`'s arguments.
fn vol_call(a: &mut Args, op: u32) -> Step {
    match op {
        100 => {
            a.uint(" partition")?;
            a.s(" name");
            a.string(256)?;
            a.uint(" type")?;
            a.uint(" parent")?;
        }
        101 | 107 | 104 => a.uint(" trans")?,
        102 => {
            a.uint(" totrans")?;
            a.uint(" flags")?;
        }
        103 => {
            a.uint(" fromtrans")?;
            a.date(" fromdate")?;
            a.dest_server()?;
            a.int(" desttrans")?;
        }
        105 => {
            a.uint(" trans")?;
            a.uint(" purgevol")?;
            a.uint(" newtype")?;
            a.s(" newname");
            a.string(256)?;
        }
        106 => {
            a.uint(" trans")?;
            a.uint(" flags")?;
        }
        108 => {
            a.uint(" vol")?;
            a.uint(" partition")?;
            a.uint(" flags")?;
        }
        // 655537 (sic) is tcpdump's "get size".
        109 | 655537 => {
            a.uint(" fromtrans")?;
            a.date(" fromdate")?;
        }
        110 => a.uint(" index")?,
        111 => {
            a.uint(" tid")?;
            a.uint(" newsite")?;
        }
        112 | 113 => a.s(" tid"),
        114 => {
            a.s(" name");
            a.string(256)?;
            a.uint(" type")?;
            a.uint(" pid")?;
            a.uint(" cloneid")?;
        }
        116 => {
            a.uint(" partition")?;
            a.uint(" flags")?;
        }
        117 => {
            a.uint(" tid")?;
            a.s(" name");
            a.string(256)?;
            a.uint(" type")?;
            a.uint(" pid")?;
            a.uint(" clone")?;
            a.uint(" backup")?;
        }
        119 => {
            a.s(" name");
            a.string(256)?;
        }
        120 | 126 => a.uint(" tid")?,
        121 | 122 | 124 | 125 | 65536 => {
            a.uint(" partid")?;
            a.uint(" volid")?;
        }
        123 => {
            a.uint(" tid")?;
            a.date(" date")?;
        }
        128 => {
            a.uint(" fromtrans")?;
            a.date(" fromdate")?;
            a.list(",", Args::dest_server)?;
        }
        65538 => {
            a.uint(" fromtrans")?;
            a.date(" fromdate")?;
            a.uint(" flags")?;
        }
        _ => {}
    }
    Ok(())
}

/// `vol_reply_print`'s data.
fn vol_reply(a: &mut Args, op: u32) -> Step {
    match op {
        100 => {
            a.uint(" volid")?;
            a.uint(" trans")?;
        }
        104 | 107 => a.uint("")?,
        105 => a.uint(" newvol")?,
        108 => a.uint(" trans")?,
        110 => {
            a.uint(" volume")?;
            a.uint(" partition")?;
        }
        112 => a.string(256)?,
        113 => {
            for label in [
                " volid",
                " nextuniq",
                " type",
                " parentid",
                " clone",
                " backup",
                " restore",
                " maxquota",
                " minquota",
                " owner",
            ] {
                a.uint(label)?;
            }
            for label in [
                " create", " access", " update", " expire", " backup", " copy",
            ] {
                a.date(label)?;
            }
        }
        116 | 121 => a.list(",", |a| {
            a.s(" name");
            a.vec(32)?;
            a.uint(" volid")?;
            a.s(" type");
            a.skip(4 * 21);
            Ok(())
        })?,
        _ => {}
    }
    Ok(())
}

/// `bos_print`'s arguments.
fn bos_call(a: &mut Args, op: u32) -> Step {
    match op {
        80 => {
            a.s(" type");
            a.string(256)?;
            a.s(" instance");
            a.string(256)?;
        }
        81 | 83 | 85 | 87 | 88 | 93 | 96 | 97 | 104 | 106 | 108 | 112 | 114 => {
            a.string(256)?;
        }
        82 | 98 => {
            a.string(256)?;
            a.int(" status")?;
        }
        86 => {
            a.string(256)?;
            a.int(" num")?;
        }
        84 | 89 | 90 | 91 | 92 | 95 => a.int("")?,
        105 => {
            a.string(256)?;
            a.int(" size")?;
            a.int(" flags")?;
            a.int(" date")?;
        }
        _ => {}
    }
    Ok(())
}

/// `ubik_print`'s arguments.
fn ubik_call(a: &mut Args, op: u32) -> Step {
    match op {
        10000 => {
            let site = a.u32()?;
            put!(a.out, " syncsite {}", if site != 0 { "yes" } else { "no" });
            a.date(" votestart")?;
            a.ubik_version(" dbversion")?;
            a.ubik_version(" tid")?;
        }
        10003 => a.uint(" site")?,
        20000 | 20001 | 20007 | 20008 | 20010 => a.ubik_version(" tid")?,
        20002 => {
            a.ubik_version(" tid")?;
            a.int(" file")?;
            a.int(" pos")?;
            a.int(" length")?;
            a.u32()?;
        }
        20003 => {
            a.ubik_version(" tid")?;
            a.int(" file")?;
            a.int(" pos")?;
        }
        20005 => a.int(" file")?,
        20006 => {
            a.int(" file")?;
            a.int(" length")?;
            a.ubik_version(" dbversion")?;
        }
        20009 => {
            a.ubik_version(" tid")?;
            a.int(" file")?;
            a.int(" length")?;
        }
        20012 => {
            a.ubik_version(" tid")?;
            a.ubik_version(" oldversion")?;
            a.ubik_version(" newversion")?;
        }
        _ => {}
    }
    Ok(())
}

/// `ubik_reply_print`'s data (or the abort's vote or error code).
fn ubik_reply(a: &mut Args, typ: u8, op: u32) -> Step {
    match (typ == DATA, op) {
        (true, 10000) => a.s(" vote no"),
        (true, 20004) => a.ubik_version(" dbversion")?,
        (true, _) => {}
        (false, 10000) => a.date(" vote yes until")?,
        (false, _) => a.int(" errcode")?,
    }
    Ok(())
}

/// The runs of acked (`want` 1) or nacked (0) packets, from `first`.
fn ack_runs(out: &mut String, acks: &[u8], first: u32, want: u8, word: &str) {
    let (mut start, mut last) = (-2i64, -2i64);
    let at = |i: i64| first.wrapping_add(i as u32);
    let mut i = 0i64;
    for &a in acks {
        if a == want {
            if last == -2 {
                put!(out, " {word} {}", at(i));
                start = i;
            } else if last != i - 1 {
                put!(out, ",{}", at(i));
                start = i;
            }
            last = i;
        } else if last == i - 1 && start != last {
            put!(out, "-{}", at(i - 1));
        }
        i += 1;
    }
    if last == i - 1 && start != last {
        put!(out, "-{}", at(i - 1));
    }
}

/// `rx_ack_print`.
fn ack(out: &mut String, cx: &Ctx, b: Bytes, length: u32) -> Res {
    if (length as usize) < HDR {
        return Ok(());
    }
    if !b.has(HDR, 18) {
        out.push_str(" [|ack]");
        return Ok(());
    }
    if cx.verbose > 2 {
        put!(
            out,
            " bufspace {} maxskew {}",
            b.be16(HDR)?,
            b.be16(HDR + 2)?
        );
    }
    let first = b.be32(HDR + 4)?;
    let reason = b.u8(HDR + 16)?;
    put!(out, " first {first} serial {}", b.be32(HDR + 12)?);
    match op_name(ACK_REASONS, u32::from(reason)) {
        Some(r) => put!(out, " reason {r}"),
        None => put!(out, " reason #{reason}"),
    }
    let n = usize::from(b.u8(HDR + 17)?);
    let mut at = HDR + 18;
    if n != 0 {
        let Ok(acks) = b.get(at, n) else {
            out.push_str(" [|ack]");
            return Ok(());
        };
        ack_runs(out, acks, first, 1, "acked");
        ack_runs(out, acks, first, 0, "nacked");
        at += n;
    }
    at += 3;
    if cx.verbose > 1 {
        for label in [" ifmtu", " maxmtu", " rwind", " maxpackets"] {
            if !b.has(at, 4) {
                return Ok(());
            }
            put!(out, "{label} {}", b.be32(at)?);
            at += 4;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn header(typ: u8, flags: u8, call: u32, seq: u32) -> Vec<u8> {
        let mut h = vec![0; HDR];
        h[8..12].copy_from_slice(&call.to_be_bytes());
        h[12..16].copy_from_slice(&seq.to_be_bytes());
        h[20] = typ;
        h[21] = flags;
        h[26..28].copy_from_slice(&1u16.to_be_bytes());
        h
    }

    fn run(calls: &mut Calls, ports: (u16, u16), p: &[u8], verbose: u8) -> (String, Res) {
        let mut out = String::new();
        let cx = Ctx {
            verbose,
            numeric: true,
        };
        let res = print(&mut out, &cx, Bytes(p), p.len() as u32, ports, calls);
        (out, res)
    }

    #[test]
    fn a_reply_is_named_by_its_call() {
        let mut calls = Calls::default();
        let client = [
            0u8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
        ];
        let server = [
            0u8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 10, 0, 0, 2, 10, 0, 0, 1,
        ];
        let mut call = header(DATA, CLIENT_INITIATED, 42, 1);
        call.extend_from_slice(&[0, 0, 0, 141, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3]);
        calls.hosts(&client);
        // The name's length is past the capture: tcpdump's longjmp.
        let (text, res) = run(&mut calls, (7001, 7000), &call, 0);
        assert_eq!(
            (text.as_str(), res),
            (" rx data fs call makedir fid 1/2/3", Err(Trunc))
        );
        let mut reply = header(DATA, 0, 42, 1);
        reply.extend_from_slice(&[0, 0, 0, 4, 0, 0, 0, 5, 0, 0, 0, 6]);
        // From another server: not this call's reply.
        calls.hosts(&client);
        assert_eq!(run(&mut calls, (7000, 7001), &reply, 0).0, " rx data (40)");
        calls.hosts(&server);
        let (text, _) = run(&mut calls, (7000, 7001), &reply, 0);
        assert_eq!(text, " rx data fs reply makedir new fid 4/5/6 (40)");
        // An abort of the same call.
        let mut abort = header(ABORT, 0, 42, 0);
        abort.extend_from_slice(&102u32.to_be_bytes());
        let (text, _) = run(&mut calls, (7000, 7001), &abort, 0);
        assert_eq!(text, " rx abort fs reply makedir error no such vnode (32)");
    }

    #[test]
    fn acks_collapse_runs() {
        let mut calls = Calls::default();
        let mut p = header(ACK, 0, 1, 0);
        p.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 9, 1, 6]);
        p.extend_from_slice(&[1, 1, 0, 0, 1, 0]);
        let (text, res) = run(&mut calls, (7000, 7001), &p, 2);
        assert!(res.is_ok());
        assert!(
            text.ends_with("first 5 serial 9 reason ack requested acked 5-6,9 nacked 7-8,10 (52)"),
            "{text}"
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn never_panics(
            port in 7000u16..7010,
            typ in 0u8..15,
            flags in any::<u8>(),
            seq in 0u32..3,
            body in proptest::collection::vec(any::<u8>(), 0..300),
            verbose in 0u8..4,
        ) {
            let mut calls = Calls::default();
            let mut p = header(typ, flags, 7, seq);
            p.extend_from_slice(&body);
            for cut in [p.len(), p.len() / 2, 30] {
                let q = &p[..cut.min(p.len())];
                let _ = run(&mut calls, (40000, port), q, verbose);
                let _ = run(&mut calls, (port, 40000), q, verbose);
            }
        }
    }
}
