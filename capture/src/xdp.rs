//! XDP: a program built by `xdp-programs` loaded with aya, attached to an
//! interface (native mode, falling back to generic), its counters read,
//! and — for capture — matching packets taken from its ring buffer.
//!
//! The object arrives as bytes, so this crate does not depend on the one
//! that builds it; the names of the program and maps are passed along.

use std::fmt;
use std::io;
use std::mem::zeroed;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::time::Duration;

use aya::maps::{MapData, PerCpuArray, RingBuf};
use aya::programs::{Xdp, XdpMode};
use aya::{Ebpf, EbpfLoader};

use crate::file::{Interface, Packet, Timestamp};
use crate::sys;

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
    /// the message).
    Load(String),
    /// Attaching failed in every mode tried.
    Attach(String),
    /// The caller may not load BPF programs (needs `CAP_BPF` and
    /// `CAP_NET_ADMIN`); what failed.
    Permission(String),
    /// The interface is not there, or went away mid-capture.
    Interface(crate::InterfaceError),
    /// A system call failed.
    Os {
        /// What was being done.
        what: String,
        /// What the system said.
        source: io::Error,
    },
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
            XdpError::Os { what, source } => write!(f, "{what}: {source}"),
        }
    }
}

impl std::error::Error for XdpError {}

/// An attached XDP program; dropping it detaches the program.
pub struct XdpSession {
    ebpf: Ebpf,
    counters_map: String,
    ring: Option<RingBuf<MapData>>,
    interface: Interface,
    mode: &'static str,
    /// Kept open while capturing: its membership keeps the interface
    /// promiscuous, and closing it undoes that.
    _promiscuous: Option<OwnedFd>,
    /// CLOCK_REALTIME − CLOCK_MONOTONIC, for the ring's time stamps.
    clock_offset: i128,
    /// The interface attached to, checked while idle: a removed interface
    /// takes the program with it, and one taken down sees no traffic.
    ifindex: u32,
    name: String,
}

/// Nanoseconds on a clock.
/// A loading error; lacking privileges (`EPERM` anywhere in its causes,
/// e.g. from creating the first map) gets its own message.
fn load_error(e: impl std::error::Error + 'static) -> XdpError {
    let mut cause: Option<&dyn std::error::Error> = Some(&e);
    while let Some(c) = cause {
        if c.downcast_ref::<io::Error>()
            .is_some_and(sys::is_permission)
        {
            return XdpError::Permission(e.to_string());
        }
        cause = c.source();
    }
    XdpError::Load(e.to_string())
}

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
    let os = |what: &str| {
        let what = what.to_string();
        move |source| XdpError::Os { what, source }
    };
    // SAFETY: plain socket creation, result checked.
    let fd = unsafe { libc::socket(libc::AF_PACKET, libc::SOCK_RAW | libc::SOCK_CLOEXEC, 0) };
    if fd < 0 {
        return Err(os("socket(AF_PACKET)")(io::Error::last_os_error()));
    }
    // SAFETY: just opened, owned from here.
    let fd = unsafe { OwnedFd::from_raw_fd(fd) };
    sys::add_promiscuous(&fd, ifindex).map_err(os("promiscuous mode"))?;
    Ok(fd)
}

/// What to load and where.
#[derive(Clone, Debug)]
pub struct XdpSpec<'a> {
    /// The BPF ELF object.
    pub object: &'a [u8],
    /// Its XDP program's name.
    pub program: &'a str,
    /// Its per-CPU counters map.
    pub counters: &'a str,
    /// Its capture ring buffer, if it captures.
    pub events: Option<&'a str>,
    /// The interface to attach to.
    pub interface: &'a str,
    /// Native, generic, or native with fallback.
    pub mode: Mode,
    /// Put the interface in promiscuous mode while attached.
    pub promiscuous: bool,
    /// For the capture file's interface description.
    pub snaplen: u32,
}

impl XdpSession {
    /// Loads the object, attaches its program to the interface, and opens
    /// the ring buffer if there is one.
    pub fn attach(spec: &XdpSpec<'_>) -> Result<XdpSession, XdpError> {
        let (object, program, iface) = (spec.object, spec.program, spec.interface);
        let ifindex = sys::ifindex(iface).map_err(|source| {
            if sys::is_no_such_device(&source) {
                XdpError::Interface(crate::InterfaceError::NoSuchInterface(iface.to_string()))
            } else {
                XdpError::Os {
                    what: iface.to_string(),
                    source,
                }
            }
        })?;
        let mut ebpf = EbpfLoader::new().load(object).map_err(load_error)?;
        let prog: &mut Xdp = ebpf
            .program_mut(program)
            .ok_or_else(|| XdpError::Load(format!("no program {program} in the object")))?
            .try_into()
            .map_err(|e: aya::programs::ProgramError| XdpError::Load(e.to_string()))?;
        prog.load().map_err(load_error)?;
        let tries: &[(XdpMode, &'static str)] = match spec.mode {
            Mode::Auto => &[(XdpMode::Driver, "native"), (XdpMode::Skb, "skb")],
            Mode::Native => &[(XdpMode::Driver, "native")],
            Mode::Skb => &[(XdpMode::Skb, "skb")],
        };
        let mut errors = Vec::new();
        let mut used = None;
        for &(m, name) in tries {
            match prog.attach_to_if_index(ifindex, m) {
                Ok(_) => {
                    used = Some(name);
                    break;
                }
                Err(e) => errors.push(format!("{name}: {e}")),
            }
        }
        let mode = used.ok_or_else(|| XdpError::Attach(errors.join("; ")))?;
        let ring = match spec.events {
            Some(name) => {
                let map = ebpf
                    .take_map(name)
                    .ok_or_else(|| XdpError::Load(format!("no map {name} in the object")))?;
                Some(RingBuf::try_from(map).map_err(|e| XdpError::Load(e.to_string()))?)
            }
            None => None,
        };
        let promiscuous = if spec.promiscuous {
            Some(promiscuous(ifindex)?)
        } else {
            None
        };
        Ok(XdpSession {
            ebpf,
            counters_map: spec.counters.to_string(),
            ring,
            interface: Interface {
                linktype: 1,
                snaplen: spec.snaplen,
                big_endian: cfg!(target_endian = "big"),
                ts_units_per_sec: 1_000_000_000,
            },
            mode,
            _promiscuous: promiscuous,
            clock_offset: clock_ns(libc::CLOCK_REALTIME) - clock_ns(libc::CLOCK_MONOTONIC),
            ifindex,
            name: iface.to_string(),
        })
    }

    /// The mode the program was attached in: "native" or "skb".
    pub fn mode(&self) -> &'static str {
        self.mode
    }

    /// The interface description for capture files (Ethernet).
    pub fn interface(&self) -> &Interface {
        &self.interface
    }

    /// The counters, each summed over CPUs.
    pub fn counters(&self, n: u32) -> Result<Vec<u64>, XdpError> {
        let map = self
            .ebpf
            .map(&self.counters_map)
            .ok_or_else(|| XdpError::Load(format!("no map {} in the object", self.counters_map)))?;
        let array =
            PerCpuArray::<_, u64>::try_from(map).map_err(|e| XdpError::Load(e.to_string()))?;
        (0..n)
            .map(|i| {
                array
                    .get(&i, 0)
                    .map(|v| v.iter().sum())
                    .map_err(|e| XdpError::Load(e.to_string()))
            })
            .collect()
    }

    /// Waits up to `timeout` for captured packets and hands each to `f`
    /// until it returns `Ok(false)`; returns how many were handed over.
    /// Without a ring (pass/drop programs) it only waits. Fails once the
    /// interface has been taken down or removed.
    pub fn poll(
        &mut self,
        timeout: Duration,
        mut f: impl FnMut(&Packet<'_>) -> io::Result<bool>,
    ) -> Result<usize, XdpError> {
        let Some(ring) = &mut self.ring else {
            std::thread::sleep(timeout);
            return self.still_there().map(|()| 0);
        };
        let mut pfd = libc::pollfd {
            fd: ring.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one valid pollfd.
        unsafe {
            libc::poll(
                &mut pfd,
                1,
                timeout.as_millis().min(i32::MAX as u128) as i32,
            )
        };
        let mut n = 0;
        while let Some(item) = ring.next() {
            let rec: &[u8] = &item;
            if rec.len() < 16 {
                continue;
            }
            let mono = u64::from_ne_bytes(rec[0..8].try_into().expect("8 bytes"));
            let wirelen = u32::from_ne_bytes(rec[8..12].try_into().expect("4 bytes"));
            let caplen = u32::from_ne_bytes(rec[12..16].try_into().expect("4 bytes")) as usize;
            let data = &rec[16..(16 + caplen).min(rec.len())];
            let wall = (i128::from(mono) + self.clock_offset).max(0);
            let ts = Timestamp {
                secs: (wall / 1_000_000_000) as i64,
                nanos: (wall % 1_000_000_000) as u32,
            };
            let pkt = Packet::live(ts, wirelen, data, &self.interface);
            n += 1;
            match f(&pkt) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => {
                    return Err(XdpError::Os {
                        what: "writing packets".into(),
                        source: e,
                    });
                }
            }
        }
        // Only once the ring is empty, so that nothing captured is lost.
        if n == 0 {
            self.still_there()?;
        }
        Ok(n)
    }

    /// An error once the interface has been taken down or removed.
    fn still_there(&self) -> Result<(), XdpError> {
        sys::check_interface(self.ifindex, &self.name).map_err(XdpError::Interface)
    }
}
