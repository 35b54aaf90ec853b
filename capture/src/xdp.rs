//! XDP: a program built by `xdp-programs` loaded with aya, attached to an
//! interface (native mode, falling back to generic), its counters read,
//! and — for capture — matching packets taken from its ring buffer.
//!
//! The program is attached through a BPF link this module owns (not
//! aya's, which may fall back to netlink): closing the link detaches the
//! program without privileges — after `-Z`, or when the process dies —
//! no one can replace the program behind it, and its info says when
//! someone detached it from outside.
//!
//! The object comes from `bpfcap-xdp` as an [`XdpObject`], which says
//! what is in it: the names of its program and maps, its counters, the
//! layout of its ring buffer records, the link type it was compiled for.

use std::convert::Infallible;
use std::fmt;
use std::io;
use std::mem::zeroed;
use std::os::fd::{AsFd, AsRawFd, FromRawFd, OwnedFd};
use std::time::{Duration, Instant};

use aya::maps::{Map, PerCpuArray};
use aya::programs::Xdp;
use aya::{Ebpf, EbpfLoader};
use bpfcap_filter::{LinkType, SetTable};
use bpfcap_xdp::{Counter, Counters, Record, XdpObject};

use crate::file::{Interface, Origin, Packet, Port, Timestamp, Verdict, flags_for_ethernet};
use crate::set_maps::{SetMapError, SetMaps};
use crate::sys::OsError;
use crate::{bpf, hardware, sys};

mod ring;
use ring::Ring;

/// At most this many packets per poll, so that a flood that keeps the
/// ring from emptying does not keep the caller from seeing a signal.
const BATCH: usize = 4096;

/// How often a capture looks at its ring buffer when the program has not
/// woken it: the program submits records without a wake-up until the
/// unconsumed data passes a threshold, so this bounds how long a trickle
/// of packets waits in the ring.
pub const TICK: Duration = Duration::from_millis(5);

/// `XDP_FLAGS_SKB_MODE` and `XDP_FLAGS_DRV_MODE`.
const XDP_FLAGS_SKB_MODE: u32 = 1 << 1;
const XDP_FLAGS_DRV_MODE: u32 = 1 << 2;

/// Where the program runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Native (driver) mode if the interface supports it, else generic.
    Auto,
    /// Native (driver) mode only.
    Native,
    /// Generic XDP (`skb` mode), in the network stack.
    Skb,
}

/// Why XDP could not be set up.
#[derive(Debug)]
pub enum XdpError {
    /// aya could not parse or load the object (the verifier's log is in
    /// its message), or the object lacks a program or map.
    Load(Cause),
    /// Attaching failed in every mode tried, or the interface has an XDP
    /// program already.
    Attach(Cause),
    /// The caller may not load BPF programs (needs `CAP_BPF` and
    /// `CAP_NET_ADMIN`); what failed.
    Permission(Cause),
    /// The interface is not there, has a hardware type bpfcap does not
    /// handle, or went away mid-capture.
    Interface(crate::InterfaceError),
    /// The object was compiled for another link type than the
    /// interface's packets have.
    WrongLinkType {
        /// The interface.
        interface: String,
        /// What its packets are.
        has: LinkType,
        /// What the program was compiled for.
        compiled_for: LinkType,
    },
    /// Someone else detached the program (`bpftool link detach`) or
    /// replaced it in our link: the interface.
    Detached(String),
    /// A system call failed.
    Os(OsError),
}

impl From<OsError> for XdpError {
    fn from(e: OsError) -> XdpError {
        XdpError::Os(e)
    }
}

impl From<crate::InterfaceError> for XdpError {
    fn from(e: crate::InterfaceError) -> XdpError {
        XdpError::Interface(e)
    }
}

impl fmt::Display for XdpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            XdpError::Load(m) => write!(f, "cannot load the XDP program: {m}"),
            XdpError::Attach(m) => write!(f, "cannot attach the XDP program: {m}"),
            XdpError::Permission(m) => write!(
                f,
                "you don't have permission to load XDP programs ({m}); \
                 run as root or with CAP_BPF and CAP_NET_ADMIN"
            ),
            XdpError::Interface(e) => write!(f, "{e}"),
            XdpError::WrongLinkType {
                interface,
                has,
                compiled_for,
            } => write!(
                f,
                "{interface}: the XDP program was compiled for {compiled_for}, \
                 but the interface's packets are {has}"
            ),
            XdpError::Detached(interface) => {
                write!(f, "{interface}: the XDP program was detached from outside")
            }
            XdpError::Os(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for XdpError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            XdpError::Load(e) | XdpError::Attach(e) | XdpError::Permission(e) => Some(e.as_ref()),
            XdpError::Interface(e) => Some(e),
            XdpError::Os(e) => Some(e),
            XdpError::WrongLinkType { .. } | XdpError::Detached(_) => None,
        }
    }
}

/// The cause of an [`XdpError`], kept as it came: aya's error, a failed
/// system call, or (where the object lacks something) a message.
pub type Cause = Box<dyn std::error::Error + Send + Sync>;

/// Attaching failed in each mode tried: the failures, in order.
#[derive(Debug)]
struct EveryMode(Vec<OsError>);

impl fmt::Display for EveryMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, call) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{call}")?;
        }
        Ok(())
    }
}

/// The first failure is the cause (the others are in the message).
impl std::error::Error for EveryMode {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.first().map(|c| c as _)
    }
}

/// An attached XDP program; dropping it detaches the program.
pub struct XdpSession {
    /// The BPF link that attaches the program, until [`XdpSession::detach`].
    link: Option<OwnedFd>,
    /// The program's id, to notice it being replaced in the link.
    prog_id: u32,
    ebpf: Ebpf,
    ring: Option<Ring>,
    /// The maps of the filter's sets (see [`XdpSession::update_sets`]).
    set_maps: SetMaps,
    /// How the ring's records become packets.
    labels: Labels,
    mode: &'static str,
    /// Kept open while capturing: its membership keeps the interface
    /// promiscuous, and closing it undoes that.
    _promiscuous: Option<OwnedFd>,
    /// The interface attached to, checked while idle: a removed interface
    /// takes the program with it, and one taken down sees no traffic.
    ifindex: u32,
}

/// A loading error; lacking privileges (`EPERM` anywhere in its causes,
/// e.g. from creating the first map) gets its own message.
fn load_error(e: impl std::error::Error + Send + Sync + 'static) -> XdpError {
    let mut cause: Option<&dyn std::error::Error> = Some(&e);
    while let Some(c) = cause {
        if c.downcast_ref::<io::Error>()
            .is_some_and(sys::is_permission)
        {
            return XdpError::Permission(Box::new(e));
        }
        cause = c.source();
    }
    XdpError::Load(Box::new(e))
}

/// Nanoseconds on a clock.
fn clock_ns(clock: libc::clockid_t) -> i128 {
    // SAFETY: timespec is plain data; clock_gettime fills it.
    let mut ts: libc::timespec = unsafe { zeroed() };
    // SAFETY: as above.
    unsafe { libc::clock_gettime(clock, &mut ts) };
    i128::from(ts.tv_sec) * 1_000_000_000 + i128::from(ts.tv_nsec)
}

/// An `AF_PACKET` socket (protocol 0: it receives nothing) whose
/// membership keeps `ifindex` promiscuous while it is open.
fn promiscuous(ifindex: u32) -> Result<OwnedFd, XdpError> {
    // SAFETY: plain socket creation, result checked.
    let fd = unsafe { libc::socket(libc::AF_PACKET, libc::SOCK_RAW | libc::SOCK_CLOEXEC, 0) };
    if fd < 0 {
        return Err(sys::os("socket(AF_PACKET)")(io::Error::last_os_error()));
    }
    // SAFETY: just opened, owned from here.
    let fd = unsafe { OwnedFd::from_raw_fd(fd) };
    sys::add_promiscuous(&fd, ifindex).map_err(sys::os::<XdpError>("promiscuous mode"))?;
    Ok(fd)
}

/// The maps of the object's sets, as the loader created them (empty),
/// filled from `sets`.
fn set_maps(ebpf: &Ebpf, object: &XdpObject, sets: &SetTable) -> Result<SetMaps, XdpError> {
    let mut maps = Vec::new();
    for m in object.set_maps() {
        let name = m.name();
        let data = match ebpf.map(&name) {
            Some(Map::HashMap(d) | Map::LpmTrie(d)) => d,
            _ => {
                return Err(XdpError::Load(
                    format!("no map {name} in the object").into(),
                ));
            }
        };
        let fd = data
            .fd()
            .as_fd()
            .try_clone_to_owned()
            .map_err(sys::os::<XdpError>("dup"))?;
        maps.push((*m, fd));
    }
    SetMaps::adopt(maps, sets).map_err(|e| XdpError::Load(Box::new(e)))
}

/// What to load and where.
#[derive(Clone, Debug)]
pub struct XdpSpec<'a> {
    /// The program, built for the interface's link type (from
    /// [`link_type`]; attaching checks it again). Its snapshot length
    /// goes into the capture file's interface description.
    pub object: &'a XdpObject,
    /// The interface to attach to.
    pub interface: &'a str,
    /// Native, generic, or native with fallback.
    pub mode: Mode,
    /// Put the interface in promiscuous mode while attached.
    pub promiscuous: bool,
    /// The sets the filter names (`host @NAME`): their maps are filled
    /// from these before the program is attached.
    pub sets: &'a SetTable,
}

impl XdpSession {
    /// Loads the object, attaches its program to the interface, and opens
    /// the ring buffer if there is one.
    pub fn attach(spec: &XdpSpec<'_>) -> Result<XdpSession, XdpError> {
        let (object, iface) = (spec.object, spec.interface);
        let found = hardware::interface_link::<XdpError>(iface)?;
        if found.link_type != object.link_type() {
            return Err(XdpError::WrongLinkType {
                interface: iface.to_string(),
                has: found.link_type,
                compiled_for: object.link_type(),
            });
        }
        let ifindex = found.ifindex;
        let mut ebpf = EbpfLoader::new().load(object.elf()).map_err(load_error)?;
        // Filled before the program can see a packet.
        let set_maps = set_maps(&ebpf, object, spec.sets)?;
        let program = XdpObject::PROGRAM;
        let prog: &mut Xdp = ebpf
            .program_mut(program)
            .ok_or_else(|| XdpError::Load(format!("no program {program} in the object").into()))?
            .try_into()
            .map_err(|e: aya::programs::ProgramError| XdpError::Load(Box::new(e)))?;
        prog.load().map_err(load_error)?;
        let prog_fd = prog.fd().map_err(|e| XdpError::Load(Box::new(e)))?.as_fd();
        let tries: &[(u32, &'static str)] = match spec.mode {
            Mode::Auto => &[(XDP_FLAGS_DRV_MODE, "native"), (XDP_FLAGS_SKB_MODE, "skb")],
            Mode::Native => &[(XDP_FLAGS_DRV_MODE, "native")],
            Mode::Skb => &[(XDP_FLAGS_SKB_MODE, "skb")],
        };
        let mut errors = Vec::new();
        let mut attached = None;
        for &(flags, name) in tries {
            match bpf::xdp_link_create(prog_fd, ifindex, flags) {
                Ok(link) => {
                    attached = Some((link, name));
                    break;
                }
                Err(e) if sys::is_permission(&e) => {
                    return Err(XdpError::Permission(Box::new(OsError {
                        what: "attach".into(),
                        source: e,
                    })));
                }
                Err(e) if e.raw_os_error() == Some(libc::EBUSY) => {
                    return Err(XdpError::Attach(
                        format!("{iface} already has an XDP program").into(),
                    ));
                }
                Err(source) => errors.push(OsError {
                    what: name.into(),
                    source,
                }),
            }
        }
        let (link, mode) = attached.ok_or_else(|| XdpError::Attach(Box::new(EveryMode(errors))))?;
        let prog_id = bpf::xdp_link_info(link.as_fd())
            .map_err(sys::os::<XdpError>("reading the XDP link"))?
            .prog_id;
        let ring = if object.captures() {
            let name = XdpObject::EVENTS_MAP;
            let map = ebpf
                .take_map(name)
                .ok_or_else(|| XdpError::Load(format!("no map {name} in the object").into()))?;
            Some(Ring::new(map).map_err(|m| XdpError::Load(m.into()))?)
        } else {
            None
        };
        let promiscuous = if spec.promiscuous {
            Some(promiscuous(ifindex)?)
        } else {
            None
        };
        Ok(XdpSession {
            link: Some(link),
            prog_id,
            ebpf,
            ring,
            set_maps,
            labels: Labels {
                interface: Interface {
                    linktype: found.linktype,
                    snaplen: object.options().snaplen,
                    big_endian: cfg!(target_endian = "big"),
                    ts_units_per_sec: 1_000_000_000,
                },
                name: iface.to_string(),
                description: sys::interface_alias(iface),
                address: (found.link_type == LinkType::EN10MB).then_some(found.address),
                clock_offset: clock_ns(libc::CLOCK_REALTIME) - clock_ns(libc::CLOCK_MONOTONIC),
            },
            mode,
            _promiscuous: promiscuous,
            ifindex,
        })
    }

    /// The interface attached to, by name, for capture files.
    pub fn port(&self) -> Port<'_> {
        self.labels.port()
    }

    /// The ring buffer to wait on (readable when it holds a record), if
    /// the program captures: for waiting on several captures at once.
    pub fn fd(&self) -> Option<std::os::fd::BorrowedFd<'_>> {
        // SAFETY: the ring's descriptor stays open as long as the
        // session, which the borrow ties it to.
        self.ring
            .as_ref()
            .map(|r| unsafe { std::os::fd::BorrowedFd::borrow_raw(r.as_raw_fd()) })
    }

    /// The mode the program was attached in: "native" or "skb".
    pub fn mode(&self) -> &'static str {
        self.mode
    }

    /// Refills the maps of the filter's sets from `sets`, in place: the
    /// program stays attached (same program, same link) and tests the
    /// packets it sees from here on against the new members.
    pub fn update_sets(&self, sets: &SetTable) -> Result<(), SetMapError> {
        self.set_maps.update(sets)
    }

    /// The id of the attached program (the same before and after
    /// [`update_sets`](XdpSession::update_sets)).
    pub fn program_id(&self) -> u32 {
        self.prog_id
    }

    /// The interface description for capture files.
    pub fn interface(&self) -> &Interface {
        &self.labels.interface
    }

    /// The program's counters, each summed over CPUs.
    pub fn counters(&self) -> Result<Counters, XdpError> {
        let name = XdpObject::COUNTERS_MAP;
        let map = self
            .ebpf
            .map(name)
            .ok_or_else(|| XdpError::Load(format!("no map {name} in the object").into()))?;
        let array =
            PerCpuArray::<_, u64>::try_from(map).map_err(|e| XdpError::Load(Box::new(e)))?;
        Counters::read(|c: Counter| {
            array
                .get(&c.index(), 0)
                .map(|v| v.iter().sum())
                .map_err(|e| XdpError::Load(Box::new(e)))
        })
    }

    /// Waits up to `timeout` for captured packets and hands each to `f`
    /// until it returns `Ok(false)`; returns how many were handed over.
    /// Without a ring (pass/drop programs) it only waits. Fails once the
    /// interface has been taken down or removed.
    ///
    /// The program wakes the reader only when the ring fills past a
    /// threshold, so the ring is also looked at every [`TICK`]: a trickle
    /// of packets arrives within a tick, a flood in batches.
    pub fn poll(
        &mut self,
        timeout: Duration,
        mut f: impl FnMut(&Packet<'_>) -> io::Result<bool>,
    ) -> Result<usize, XdpError> {
        let Some(ring) = &mut self.ring else {
            std::thread::sleep(timeout);
            return self.still_there().map(|()| 0);
        };
        let start = Instant::now();
        loop {
            let n = self.labels.hand_over(ring, BATCH, &mut f)?;
            if n > 0 {
                return Ok(n);
            }
            let left = timeout.saturating_sub(start.elapsed());
            if left.is_zero() {
                break;
            }
            let mut pfd = libc::pollfd {
                fd: ring.as_raw_fd(),
                events: libc::POLLIN,
                revents: 0,
            };
            // SAFETY: one valid pollfd. The ring is readable as soon as
            // it holds a record, whether or not the program woke us.
            let r = unsafe { libc::poll(&mut pfd, 1, left.min(TICK).as_millis().max(1) as i32) };
            if r < 0 && io::Error::last_os_error().kind() == io::ErrorKind::Interrupted {
                // A signal: let the caller look at it.
                break;
            }
        }
        // Only once the ring is empty, so that nothing captured is lost.
        self.still_there()?;
        Ok(0)
    }

    /// Detaches the program (closing the link needs no privilege), then
    /// waits until no run of it can still be going on, so that what the
    /// ring and the counters hold afterwards is final.
    pub fn detach(&mut self) {
        if self.link.take().is_some() {
            // SAFETY: MEMBARRIER_CMD_GLOBAL takes no pointers; it returns
            // after an RCU grace period, which every XDP run (in an RCU
            // read-side section) that could still see the program ends
            // before. It fails only on nohz_full kernels, where a
            // moment's sleep does instead.
            let waited =
                unsafe { libc::syscall(libc::SYS_membarrier, libc::MEMBARRIER_CMD_GLOBAL, 0, 0) };
            if waited != 0 {
                std::thread::sleep(Duration::from_millis(10));
            }
        }
    }

    /// After [`XdpSession::detach`]: hands every packet still in the ring
    /// to `f` until it returns `Ok(false)` (after taking one), and throws
    /// away the rest — all of them without `f` — returning how many.
    pub fn drain(
        &mut self,
        f: Option<impl FnMut(&Packet<'_>) -> io::Result<bool>>,
    ) -> Result<usize, XdpError> {
        let Some(ring) = &mut self.ring else {
            return Ok(0);
        };
        if let Some(mut f) = f {
            self.labels.hand_over(ring, usize::MAX, &mut f)?;
        }
        let discarded = ring.read(usize::MAX, |_| Ok::<_, Infallible>(true));
        let Ok(discarded) = discarded;
        Ok(discarded)
    }

    /// An error once the interface has been taken down or removed, or
    /// the program detached from it by someone else.
    fn still_there(&self) -> Result<(), XdpError> {
        sys::check_interface(self.ifindex, &self.labels.name).map_err(XdpError::Interface)?;
        let Some(link) = &self.link else {
            return Ok(());
        };
        let info = bpf::xdp_link_info(link.as_fd())
            .map_err(sys::os::<XdpError>("reading the XDP link"))?;
        if info.ifindex != self.ifindex || info.prog_id != self.prog_id {
            return Err(XdpError::Detached(self.labels.name.clone()));
        }
        Ok(())
    }
}

/// The link type of the packets interface `name` hands to XDP programs:
/// what their filter must be compiled for.
pub fn link_type(name: &str) -> Result<LinkType, XdpError> {
    hardware::interface_link(name).map(|found| found.link_type)
}

/// What makes the ring's records packets: their interface, its name,
/// description and address, and the clock offset for their time stamps.
struct Labels {
    interface: Interface,
    name: String,
    /// Its alias, for capture files.
    description: Option<String>,
    /// Its hardware address, to tell packets to this host from others
    /// (Ethernet only).
    address: Option<[u8; 6]>,
    /// CLOCK_REALTIME − CLOCK_MONOTONIC, for the ring's time stamps.
    clock_offset: i128,
}

impl Labels {
    fn port(&self) -> Port<'_> {
        Port {
            name: &self.name,
            description: self.description.as_deref(),
        }
    }

    /// Hands the ring's records to `f` as packets until it returns
    /// `Ok(false)` (having taken the packet: a record read is gone from
    /// the ring), `limit` were handed over, or the ring is empty; how many
    /// were handed over.
    fn hand_over(
        &self,
        ring: &mut Ring,
        limit: usize,
        f: &mut impl FnMut(&Packet<'_>) -> io::Result<bool>,
    ) -> Result<usize, XdpError> {
        ring.read(limit, |bytes| {
            let Some(rec) = Record::parse(bytes) else {
                return Ok(true);
            };
            let wall = (i128::from(rec.monotonic_ns) + self.clock_offset).max(0);
            let ts = Timestamp {
                secs: (wall / 1_000_000_000) as i64,
                nanos: (wall % 1_000_000_000) as u32,
            };
            // XDP sees received packets only.
            let flags = self
                .address
                .map_or(1, |own| flags_for_ethernet(rec.data, own));
            let origin = Origin {
                port: Some(self.port()),
                flags: Some(flags),
                verdict: Some(Verdict {
                    action: rec.action,
                    rx_queue: rec.rx_queue,
                }),
            };
            f(&Packet::live(ts, rec.wire_len, rec.data, &self.interface).with_origin(origin))
        })
        .map_err(sys::os("writing packets"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each mode's failure is said once, with the system's text alone, and
    /// the system's errors stay reachable as causes.
    #[test]
    fn attach_failures_keep_their_causes() {
        let call = |what: &str, code| OsError {
            what: what.into(),
            source: io::Error::from_raw_os_error(code),
        };
        let e = XdpError::Attach(Box::new(EveryMode(vec![
            call("native", libc::EOPNOTSUPP),
            call("skb", libc::EINVAL),
        ])));
        assert_eq!(
            e.to_string(),
            "cannot attach the XDP program: native: Operation not supported; \
             skb: Invalid argument"
        );
        let modes = std::error::Error::source(&e).unwrap();
        let first = modes.source().unwrap();
        assert_eq!(first.to_string(), "native: Operation not supported");
        let os = first.source().unwrap().downcast_ref::<io::Error>().unwrap();
        assert_eq!(os.raw_os_error(), Some(libc::EOPNOTSUPP));
    }

    /// A filter compiled for another link type than the interface's is
    /// refused before anything is loaded (so this needs no privilege).
    #[test]
    fn an_object_for_another_link_type_is_refused() {
        let copts = bpfcap_filter::CompileOptions::new(LinkType::RAW);
        let object = bpfcap_xdp::templates::xdp_object("", &copts, &Default::default()).unwrap();
        let spec = XdpSpec {
            object: &object,
            interface: "lo",
            mode: Mode::Skb,
            promiscuous: false,
            sets: &bpfcap_filter::SetTable::new(),
        };
        let Err(e) = XdpSession::attach(&spec) else {
            panic!("attached a RAW filter to lo");
        };
        assert_eq!(
            e.to_string(),
            "lo: the XDP program was compiled for RAW, but the interface's packets are EN10MB"
        );
        assert_eq!(link_type("lo").unwrap(), LinkType::EN10MB);
    }
}
