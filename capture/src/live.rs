//! Live capture from a network interface, the way libpcap does it on
//! Linux: an `AF_PACKET` socket with a `TPACKET_V3` memory-mapped ring.
//!
//! The socket is opened with protocol 0, so it receives nothing; the
//! filter is attached, the ring set up, and only then is the socket bound
//! to the interface with `ETH_P_ALL`: no packet reaches the ring without
//! having passed the filter (libpcap, by contrast, drains a socket that
//! may already hold unfiltered packets). The filter's return value — the
//! snapshot length — makes the kernel cut packets, so the ring holds no
//! more than is wanted.
//!
//! `-i any` captures on every interface through a "cooked" (`SOCK_DGRAM`)
//! socket, which hands over packets from their network header; the
//! link-layer part is rebuilt as a DLT_LINUX_SLL2 header from what the
//! kernel says about each packet. The filter is compiled for SLL2 and
//! rewritten for the kernel (see [`cooked_kernel_program`]); where that is
//! impossible it runs here instead, on the rebuilt packets.

use std::fmt;
use std::io;
use std::mem::{size_of, zeroed};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::sync::atomic::{Ordering, fence};
use std::time::{Duration, Instant};

use bpfcap_filter::cbpf::Insn;
use bpfcap_filter::cbpf::Runner;
use bpfcap_filter::cbpf::insn::{ABS, B, H, IND, LD, LDX, LEN, MSH, W};
use bpfcap_filter::{
    CompileOptions, FilterSpec, LinkType, Program, compile, compile_ebpf, compile_within, ebpf,
};

use crate::file::{Interface, Packet, Timestamp};
use crate::size_limit::{Kind, SizeLimit};
use crate::socket_filter::{EbpfFilter, Filter};
use crate::{hardware, sys};

/// What to capture and how.
#[derive(Clone, Debug)]
pub struct LiveOptions {
    /// Interface name (`eth0`).
    pub interface: String,
    /// Bytes of each packet to keep.
    pub snaplen: u32,
    /// Put the interface in promiscuous mode (tcpdump's default; `-p`
    /// turns it off).
    pub promiscuous: bool,
    /// Size of the kernel ring in bytes (`-B`, in KiB there).
    pub buffer_size: usize,
    /// The filter (empty expression: every packet), compiled for the
    /// interface's link type and `snaplen`. Even without
    /// [`FilterSpec::size_first`], a classic filter longer than the kernel
    /// takes is compiled for size before it is left to run in user space.
    pub filter: FilterSpec,
    /// Attach the filter as eBPF (`SO_ATTACH_BPF`) instead of classic BPF.
    pub ebpf: bool,
    /// Which packets to keep by direction (`-Q`).
    pub direction: Direction,
    /// Hand over packets at once rather than in blocks the kernel retires
    /// after 50 ms (`--immediate-mode`).
    pub immediate: bool,
}

/// Packets sent, received or both (libpcap's `pcap_direction_t`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Direction {
    /// Everything (`-Q inout`, the default).
    #[default]
    InOut,
    /// Packets the host received (`-Q in`).
    In,
    /// Packets the host sent (`-Q out`).
    Out,
}

impl Direction {
    /// Whether to keep a packet the kernel describes with `pkttype` and
    /// `ifindex`, as libpcap decides: only `PACKET_OUTGOING` counts as
    /// sent, and sent packets on the loopback interface (`lo_ifindex`)
    /// are never kept, as they come back as received ones.
    fn keeps(self, pkttype: u8, ifindex: i32, lo_ifindex: i32) -> bool {
        if pkttype == libc::PACKET_OUTGOING {
            ifindex != lo_ifindex && self != Direction::In
        } else {
            self != Direction::Out
        }
    }
}

impl LiveOptions {
    /// tcpdump's defaults on `interface`: whole packets, promiscuous,
    /// a 2 MiB ring, no filter, classic BPF, both directions.
    pub fn new(interface: impl Into<String>) -> LiveOptions {
        LiveOptions {
            interface: interface.into(),
            snaplen: bpfcap_filter::DEFAULT_SNAPLEN,
            promiscuous: true,
            buffer_size: 2 << 20,
            filter: FilterSpec::new(""),
            ebpf: false,
            direction: Direction::InOut,
            immediate: false,
        }
    }
}

/// Why a capture could not be started or went wrong.
#[derive(Debug)]
pub enum LiveError {
    /// The expression does not compile for the interface's link type.
    Compile(bpfcap_filter::Error),
    /// The filter could not be attached to the socket.
    Attach(crate::socket_filter::AttachError),
    /// The kernel refused the eBPF filter.
    Load(crate::bpf::LoadError),
    /// The interface is not there, or went away mid-capture.
    Interface(sys::InterfaceError),
    /// The caller may not open packet sockets (needs `CAP_NET_RAW`).
    Permission {
        /// The interface.
        interface: String,
        /// What the system said.
        source: io::Error,
    },
    /// A system call failed.
    Os {
        /// What was being done.
        what: String,
        /// What the system said.
        source: io::Error,
    },
}

impl fmt::Display for LiveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LiveError::Compile(e) => write!(f, "{e}"),
            LiveError::Attach(e) => write!(f, "{e}"),
            LiveError::Load(e) => write!(f, "{e}"),
            LiveError::Interface(e) => write!(f, "{e}"),
            LiveError::Permission { interface, source } => write!(
                f,
                "{interface}: you don't have permission to capture on that device \
                 (socket: {}); run as root or with CAP_NET_RAW",
                sys::strerror(source)
            ),
            LiveError::Os { what, source } => write!(f, "{what}: {source}"),
        }
    }
}

impl std::error::Error for LiveError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            LiveError::Compile(e) => Some(e),
            LiveError::Attach(e) => Some(e),
            LiveError::Load(e) => Some(e),
            LiveError::Interface(e) => Some(e),
            LiveError::Permission { source, .. } | LiveError::Os { source, .. } => Some(source),
        }
    }
}

fn os(what: impl Into<String>) -> impl FnOnce(io::Error) -> LiveError {
    let what = what.into();
    move |source| LiveError::Os { what, source }
}

/// Packet counts as tcpdump reports them at the end of a capture.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Packets handed to the caller.
    pub captured: u64,
    /// Packets that passed the filter in the kernel (dropped ones too).
    pub received: u64,
    /// Packets the kernel dropped because the ring was full.
    pub dropped: u64,
}

/// An open capture.
pub struct LiveCapture {
    fd: OwnedFd,
    /// For `any`: SLL2 headers are rebuilt from the kernel's addresses.
    cooked: bool,
    /// The filter, when it runs here rather than in the kernel.
    user_filter: Option<Runner>,
    ring: *mut u8,
    block_size: usize,
    blocks: usize,
    next_block: usize,
    interface: Interface,
    stats: Stats,
    /// The filter runs here because the kernel would refuse its length.
    too_long: bool,
    /// The classic filter was compiled for size because the fast form is
    /// longer than the kernel takes: (fast length, size-first length).
    sized_down: Option<(usize, usize)>,
    direction: Direction,
    /// The loopback interface's index (0 if there is none).
    lo_ifindex: i32,
    /// Why the eBPF filter asked for gave way to the classic one.
    ebpf_fallback: Option<SizeLimit>,
    /// Why the kernel refused the classic filter, which runs here then.
    classic_refused: Option<SizeLimit>,
    /// The interface bound to (0 for `any`) and its name.
    ifindex: u32,
    name: String,
    /// Set when the kernel reported the interface down or gone: blocks
    /// still in the ring are handed over for [`DRAIN`], then the capture
    /// ends with this error.
    lost: Option<(sys::InterfaceError, Instant)>,
}

// SAFETY: the ring is owned by this value and only touched through it.
unsafe impl Send for LiveCapture {}

const BLOCK_SIZE: usize = 256 << 10;
const FRAME_SIZE: usize = 2048;
/// How long the kernel waits before handing over a partly filled block.
const BLOCK_TIMEOUT_MS: u32 = 50;
/// The same in immediate mode: the shortest the kernel takes.
const IMMEDIATE_TIMEOUT_MS: u32 = 1;
/// How long a capture whose interface went away keeps draining the ring:
/// long enough for the kernel to retire the last partly filled block.
const DRAIN: Duration = Duration::from_millis(3 * BLOCK_TIMEOUT_MS as u64);

fn setsockopt<T>(
    fd: &OwnedFd,
    level: libc::c_int,
    name: libc::c_int,
    value: &T,
    what: &str,
) -> Result<(), LiveError> {
    sys::setsockopt(fd, level, name, value).map_err(os(what))
}

/// Length of a DLT_LINUX_SLL2 header.
const SLL2_LEN: u32 = 20;

/// Where a DLT_LINUX_SLL2 header field is, and the kernel's ancillary
/// load (`SKF_AD_*`) for it: libpcap's rewriting of cooked-mode filters.
const SLL2_FIELDS: [(u32, u16, u32); 4] = [
    (0, H, 0),  // protocol: SKF_AD_PROTOCOL
    (4, W, 8),  // interface index: SKF_AD_IFINDEX
    (8, H, 28), // ARPHRD type: SKF_AD_HATYPE
    (10, B, 4), // packet type: SKF_AD_PKTTYPE
];
const SKF_AD_OFF: u32 = 0xffff_f000;

/// Rewrites a program compiled for DLT_LINUX_SLL2 to run on a cooked
/// socket, which sees packets from the network header: loads past the
/// SLL2 header move back by its length, loads of its fields become
/// ancillary loads. `None` when some load cannot be rewritten (another
/// part of the header, or the packet length, which differs by the header's
/// length): the filter then runs in user space.
pub fn cooked_kernel_program(insns: &[Insn]) -> Option<Vec<Insn>> {
    let past_header = |i: Insn| {
        (i.k >= SLL2_LEN).then(|| Insn {
            k: i.k - SLL2_LEN,
            ..i
        })
    };
    insns
        .iter()
        .map(|&i| {
            let mode = i.code & 0xe0;
            let size = i.code & 0x18;
            match i.class() {
                LD | LDX if mode == LEN => None,
                LD if mode == ABS && i.k >= SLL2_LEN => past_header(i),
                LD if mode == ABS => SLL2_FIELDS
                    .iter()
                    .find(|&&(off, sz, _)| off == i.k && sz == size)
                    .map(|&(_, _, ad)| Insn {
                        k: SKF_AD_OFF + ad,
                        ..i
                    }),
                LD if mode == IND => past_header(i),
                LDX if mode == MSH => past_header(i),
                _ => Some(i),
            }
        })
        .collect()
}

/// What runs where once the classic filter is attached (nothing here by
/// default: the eBPF filter is attached).
#[derive(Default)]
struct Classic {
    /// The filter to run here (the kernel's accepts everything).
    user_filter: Option<Runner>,
    /// It runs here because it is longer than the kernel takes.
    too_long: bool,
    /// It runs here because the kernel refused it for its size.
    refused: Option<SizeLimit>,
}

/// Attaches the classic `program` to `fd` (on a cooked socket, its
/// rewriting), or, when the kernel cannot run it (no rewriting, longer
/// than the kernel takes, or over the socket's memory limit, as libpcap
/// does when attaching fails), a filter that accepts everything, and the
/// filter runs here.
fn attach_classic(
    fd: &OwnedFd,
    program: Program,
    copts: &CompileOptions,
    any: bool,
) -> Result<Classic, LiveError> {
    let for_kernel = if any {
        cooked_kernel_program(program.insns()).and_then(|p| Program::new(p).ok())
    } else {
        Some(program.clone())
    };
    let too_long = !program.fits_in_kernel();
    let accept_all = |program: &Program| -> Result<Option<Runner>, LiveError> {
        Filter::from_program(compile("", copts).map_err(LiveError::Compile)?)
            .attach(fd)
            .map_err(LiveError::Attach)?;
        Ok(Some(Runner::new(program)))
    };
    let Some(kernel) = for_kernel.filter(Program::fits_in_kernel) else {
        return Ok(Classic {
            user_filter: accept_all(&program)?,
            too_long,
            refused: None,
        });
    };
    match Filter::from_program(kernel).attach(fd) {
        Ok(()) => Ok(Classic {
            user_filter: None,
            too_long,
            refused: None,
        }),
        Err(e) => match SizeLimit::of_attach(Kind::Classic, program.insns().len(), None, &e) {
            Some(limit) => Ok(Classic {
                user_filter: accept_all(&program)?,
                too_long,
                refused: Some(limit),
            }),
            None => Err(LiveError::Attach(e)),
        },
    }
}

/// Loads the eBPF `prog` and attaches it to `fd`; returns the kernel's
/// size limit that keeps it out, if one does (the caller then uses the
/// classic filter instead).
fn attach_ebpf(fd: &OwnedFd, prog: &ebpf::Program) -> Result<Option<SizeLimit>, LiveError> {
    let insns = prog.insns().len();
    let filter = match EbpfFilter::load(prog) {
        Ok(filter) => filter,
        Err(e) => {
            return SizeLimit::of_load(insns, &e)
                .map(Some)
                .ok_or(LiveError::Load(e));
        }
    };
    match filter.attach(fd) {
        Ok(()) => Ok(None),
        Err(e) => SizeLimit::of_attach(Kind::Ebpf, insns, filter.kernel_size().ok(), &e)
            .map(Some)
            .ok_or(LiveError::Attach(e)),
    }
}

impl LiveCapture {
    /// Opens `opts.interface` (or `any`) and starts capturing.
    pub fn open(opts: &LiveOptions) -> Result<LiveCapture, LiveError> {
        let any = opts.interface == "any";
        let (ifindex, link, linktype) = if any {
            (0, LinkType::LINUX_SLL2, 276)
        } else {
            let found = hardware::interface_link(&opts.interface).map_err(|e| match e {
                hardware::LookupError::Interface(e) => LiveError::Interface(e),
                hardware::LookupError::Os(source) => os(&opts.interface)(source),
            })?;
            (found.ifindex, found.link_type, found.linktype)
        };
        let copts = CompileOptions {
            snaplen: opts.snaplen,
            ..opts.filter.options(link)
        };
        // The classic program: the fast form, or, when that is longer
        // than the kernel takes, the size-first one.
        let mut sized_down = None;
        let mut classic_program = || -> Result<Program, LiveError> {
            let (program, fast) = compile_within(
                &opts.filter.expr,
                &copts,
                bpfcap_filter::cbpf::insn::MAXINSNS,
            )
            .map_err(LiveError::Compile)?;
            sized_down = fast.map(|fast| (fast, program.insns().len()));
            Ok(program)
        };
        if opts.ebpf && any {
            return Err(LiveError::Os {
                what: "eBPF filters on `any`".into(),
                source: io::Error::new(
                    io::ErrorKind::Unsupported,
                    "use a classic filter with -i any",
                ),
            });
        }
        // The eBPF program, or the limit that rules it out at once.
        let ebpf = match opts.ebpf.then(|| compile_ebpf(&opts.filter.expr, &copts)) {
            None => None,
            Some(Ok(prog)) => Some(Ok(prog)),
            Some(Err(e)) => Some(Err(SizeLimit::of_compile(&e).ok_or(LiveError::Compile(e))?)),
        };
        // The classic program, when it is the one to attach: asked for, or
        // the fallback of an eBPF one, compiled on demand.
        let classic = match ebpf {
            Some(_) => None,
            None => Some(classic_program()?),
        };

        // Protocol 0: nothing is received until the bind below.
        let kind = if any {
            libc::SOCK_DGRAM
        } else {
            libc::SOCK_RAW
        };
        // SAFETY: plain socket creation, result checked.
        let fd = unsafe { libc::socket(libc::AF_PACKET, kind | libc::SOCK_CLOEXEC, 0) };
        if fd < 0 {
            let source = io::Error::last_os_error();
            if sys::is_permission(&source) {
                return Err(LiveError::Permission {
                    interface: opts.interface.clone(),
                    source,
                });
            }
            return Err(os("socket(AF_PACKET)")(source));
        }
        // SAFETY: `fd` was just opened and is owned from here on.
        let fd = unsafe { OwnedFd::from_raw_fd(fd) };
        let ebpf_fallback = match ebpf {
            None => None,
            Some(Err(limit)) => Some(limit),
            Some(Ok(prog)) => attach_ebpf(&fd, &prog)?,
        };
        let classic = match (classic, &ebpf_fallback) {
            (Some(program), _) => attach_classic(&fd, program, &copts, any)?,
            (None, Some(_)) => {
                let program = classic_program()?;
                attach_classic(&fd, program, &copts, any)?
            }
            (None, None) => Classic::default(),
        };
        let version = libc::tpacket_versions::TPACKET_V3 as libc::c_int;
        setsockopt(
            &fd,
            libc::SOL_PACKET,
            libc::PACKET_VERSION,
            &version,
            "PACKET_VERSION",
        )?;
        let blocks = (opts.buffer_size / BLOCK_SIZE).max(2);
        let req = libc::tpacket_req3 {
            tp_block_size: BLOCK_SIZE as u32,
            tp_block_nr: blocks as u32,
            tp_frame_size: FRAME_SIZE as u32,
            tp_frame_nr: (blocks * BLOCK_SIZE / FRAME_SIZE) as u32,
            tp_retire_blk_tov: if opts.immediate {
                IMMEDIATE_TIMEOUT_MS
            } else {
                BLOCK_TIMEOUT_MS
            },
            tp_sizeof_priv: 0,
            tp_feature_req_word: 0,
        };
        setsockopt(
            &fd,
            libc::SOL_PACKET,
            libc::PACKET_RX_RING,
            &req,
            "PACKET_RX_RING",
        )?;
        let len = blocks * BLOCK_SIZE;
        // SAFETY: mapping the ring the kernel just allocated for `fd`.
        let ring = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_SHARED | libc::MAP_LOCKED,
                fd.as_raw_fd(),
                0,
            )
        };
        // MAP_LOCKED fails when RLIMIT_MEMLOCK is low; the ring works
        // without it.
        let ring = if ring == libc::MAP_FAILED {
            // SAFETY: as above, without locking.
            unsafe {
                libc::mmap(
                    std::ptr::null_mut(),
                    len,
                    libc::PROT_READ | libc::PROT_WRITE,
                    libc::MAP_SHARED,
                    fd.as_raw_fd(),
                    0,
                )
            }
        } else {
            ring
        };
        if ring == libc::MAP_FAILED {
            return Err(os("mmap of the packet ring")(io::Error::last_os_error()));
        }
        let capture = LiveCapture {
            fd,
            cooked: any,
            user_filter: classic.user_filter,
            ring: ring.cast(),
            block_size: BLOCK_SIZE,
            blocks,
            next_block: 0,
            interface: Interface {
                linktype,
                snaplen: opts.snaplen,
                big_endian: cfg!(target_endian = "big"),
                ts_units_per_sec: 1_000_000_000,
            },
            stats: Stats::default(),
            too_long: classic.too_long,
            sized_down,
            direction: opts.direction,
            lo_ifindex: sys::ifindex("lo").map_or(0, |i| i as i32),
            ebpf_fallback,
            classic_refused: classic.refused,
            ifindex,
            name: opts.interface.clone(),
            lost: None,
        };
        if opts.promiscuous && !any {
            sys::add_promiscuous(&capture.fd, ifindex).map_err(os("promiscuous mode"))?;
        }
        // SAFETY: sockaddr_ll is plain data.
        let mut addr: libc::sockaddr_ll = unsafe { zeroed() };
        addr.sll_family = libc::AF_PACKET as u16;
        addr.sll_protocol = (libc::ETH_P_ALL as u16).to_be();
        addr.sll_ifindex = ifindex as i32;
        // SAFETY: binding to a fully initialised sockaddr_ll.
        let r = unsafe {
            libc::bind(
                capture.fd.as_raw_fd(),
                (&addr as *const libc::sockaddr_ll).cast(),
                size_of::<libc::sockaddr_ll>() as libc::socklen_t,
            )
        };
        if r != 0 {
            return Err(os(format!("bind to {}", opts.interface))(
                io::Error::last_os_error(),
            ));
        }
        Ok(capture)
    }

    /// Whether the filter runs here because it is longer than the kernel
    /// takes (the kernel then copies every packet; libpcap does the same
    /// after warning that the kernel filter failed).
    pub fn filter_too_long_for_kernel(&self) -> bool {
        self.too_long
    }

    /// When the classic filter was compiled for size because its fast
    /// form is longer than the kernel takes: both lengths.
    pub fn sized_down(&self) -> Option<(usize, usize)> {
        self.sized_down
    }

    /// The kernel limit that kept out the eBPF filter asked for
    /// ([`LiveOptions::ebpf`]), when the classic filter runs instead.
    pub fn ebpf_fallback(&self) -> Option<&SizeLimit> {
        self.ebpf_fallback.as_ref()
    }

    /// The kernel limit that refused the classic filter, when it runs here
    /// for that reason.
    pub fn classic_refused(&self) -> Option<&SizeLimit> {
        self.classic_refused.as_ref()
    }

    /// The link type of the captured packets.
    pub fn link_type(&self) -> LinkType {
        self.interface.link_type()
    }

    /// The interface description for a capture file.
    pub fn interface(&self) -> &Interface {
        &self.interface
    }

    /// Waits up to `timeout` for a block of packets and hands each to `f`
    /// until it returns `Ok(false)`; returns how many were handed over.
    pub fn dispatch(
        &mut self,
        timeout: Duration,
        mut f: impl FnMut(&Packet<'_>) -> io::Result<bool>,
    ) -> Result<usize, LiveError> {
        let block = self.block(self.next_block);
        if !self.block_ready(block) {
            if self
                .lost
                .as_ref()
                .is_some_and(|(_, t)| t.elapsed() >= DRAIN)
            {
                let (e, _) = self.lost.take().expect("checked");
                return Err(LiveError::Interface(e));
            }
            let mut pfd = libc::pollfd {
                fd: self.fd.as_raw_fd(),
                events: libc::POLLIN | libc::POLLERR,
                revents: 0,
            };
            // SAFETY: one valid pollfd.
            let r = unsafe {
                libc::poll(
                    &mut pfd,
                    1,
                    timeout.as_millis().min(i32::MAX as u128) as i32,
                )
            };
            if r < 0 {
                let e = io::Error::last_os_error();
                if e.kind() == io::ErrorKind::Interrupted {
                    return Ok(0);
                }
                return Err(os("poll")(e));
            }
            if pfd.revents & libc::POLLERR != 0 {
                self.take_socket_error()?;
            }
            if !self.block_ready(block) {
                return Ok(0);
            }
        }
        // SAFETY: the block is ours (TP_STATUS_USER) until handed back;
        // the kernel wrote a valid block descriptor and packet headers.
        let handled = unsafe { self.read_block(block, &mut f) };
        // Hand the block back to the kernel.
        fence(Ordering::Release);
        // SAFETY: writing the status word of our own block.
        unsafe {
            std::ptr::write_volatile(
                std::ptr::addr_of_mut!((*block).hdr.bh1.block_status),
                libc::TP_STATUS_KERNEL,
            )
        };
        self.next_block = (self.next_block + 1) % self.blocks;
        let handled = handled?;
        self.stats.captured += handled as u64;
        Ok(handled)
    }

    /// Reads (and so clears) the socket's pending error. `ENETDOWN` is
    /// how the kernel says the interface was taken down or removed; unless
    /// it is already back up, the capture drains the ring and ends.
    fn take_socket_error(&mut self) -> Result<(), LiveError> {
        let err: libc::c_int =
            sys::getsockopt(&self.fd, libc::SOL_SOCKET, libc::SO_ERROR).map_err(os("SO_ERROR"))?;
        match err {
            0 => Ok(()),
            libc::ENETDOWN | libc::ENODEV | libc::ENXIO => {
                if let (Err(e), None) = (sys::check_interface(self.ifindex, &self.name), &self.lost)
                {
                    self.lost = Some((e, Instant::now()));
                }
                Ok(())
            }
            e => Err(os(format!("capture on {}", self.name))(
                io::Error::from_raw_os_error(e),
            )),
        }
    }

    fn block(&self, i: usize) -> *mut libc::tpacket_block_desc {
        // SAFETY: `i < blocks`, inside the mapping.
        unsafe { self.ring.add(i * self.block_size).cast() }
    }

    fn block_ready(&self, block: *mut libc::tpacket_block_desc) -> bool {
        // SAFETY: reading the status word the kernel updates.
        let status =
            unsafe { std::ptr::read_volatile(std::ptr::addr_of!((*block).hdr.bh1.block_status)) };
        fence(Ordering::Acquire);
        status & libc::TP_STATUS_USER != 0
    }

    /// Hands the packets of a block to `f`.
    ///
    /// # Safety
    /// `block` must be a block of this ring owned by user space.
    unsafe fn read_block(
        &self,
        block: *mut libc::tpacket_block_desc,
        f: &mut impl FnMut(&Packet<'_>) -> io::Result<bool>,
    ) -> Result<usize, LiveError> {
        // SAFETY: the caller owns the block; offsets come from the kernel
        // and stay inside it.
        unsafe {
            let bh = &(*block).hdr.bh1;
            let mut hdr = (block as *const u8).add(bh.offset_to_first_pkt as usize);
            let mut n = 0;
            let mut rebuilt = Vec::new();
            for _ in 0..bh.num_pkts {
                let h = &*(hdr as *const libc::tpacket3_hdr);
                let next = hdr.add(h.tp_next_offset as usize);
                let mut data = std::slice::from_raw_parts(
                    hdr.add(usize::from(h.tp_mac)),
                    h.tp_snaplen as usize,
                );
                let mut wirelen = h.tp_len;
                // The kernel's sockaddr_ll follows the aligned header.
                let ll = &*(hdr.add(libc::TPACKET3_HDRLEN - size_of::<libc::sockaddr_ll>())
                    as *const libc::sockaddr_ll);
                if !self
                    .direction
                    .keeps(ll.sll_pkttype, ll.sll_ifindex, self.lo_ifindex)
                {
                    hdr = next;
                    continue;
                }
                if self.cooked {
                    let net = std::slice::from_raw_parts(
                        hdr.add(usize::from(h.tp_net)),
                        h.tp_snaplen as usize,
                    );
                    rebuild_sll2(&mut rebuilt, ll, net, self.interface.snaplen);
                    data = &rebuilt;
                    wirelen += SLL2_LEN;
                }
                if self
                    .user_filter
                    .as_ref()
                    .is_some_and(|f| f.run(data, wirelen) == 0)
                {
                    hdr = next;
                    continue;
                }
                let ts = Timestamp {
                    secs: i64::from(h.tp_sec),
                    nanos: h.tp_nsec,
                };
                let pkt = Packet::live(ts, wirelen, data, &self.interface);
                n += 1;
                match f(&pkt) {
                    Ok(true) => {}
                    Ok(false) => break,
                    Err(e) => return Err(os("writing packets")(e)),
                }
                hdr = next;
            }
            Ok(n)
        }
    }

    /// Counts so far. The kernel resets its counters when read, so they
    /// are added up here.
    pub fn stats(&mut self) -> Result<Stats, LiveError> {
        let st: libc::tpacket_stats_v3 =
            sys::getsockopt(&self.fd, libc::SOL_PACKET, libc::PACKET_STATISTICS)
                .map_err(os("PACKET_STATISTICS"))?;
        // tp_packets already includes the drops.
        self.stats.received += u64::from(st.tp_packets);
        self.stats.dropped += u64::from(st.tp_drops);
        Ok(self.stats)
    }
}

/// A DLT_LINUX_SLL2 header from the kernel's address, then the network
/// packet, cut to `snaplen`.
fn rebuild_sll2(out: &mut Vec<u8>, ll: &libc::sockaddr_ll, net: &[u8], snaplen: u32) {
    out.clear();
    // sll_protocol is already in network byte order.
    out.extend_from_slice(&ll.sll_protocol.to_ne_bytes());
    out.extend_from_slice(&[0, 0]);
    out.extend_from_slice(&(ll.sll_ifindex as u32).to_be_bytes());
    out.extend_from_slice(&ll.sll_hatype.to_be_bytes());
    out.push(ll.sll_pkttype);
    out.push(ll.sll_halen);
    out.extend_from_slice(&ll.sll_addr);
    out.extend_from_slice(net);
    out.truncate(snaplen as usize);
}

impl Drop for LiveCapture {
    fn drop(&mut self) {
        // SAFETY: unmapping the ring mapped in `open`, once.
        unsafe { libc::munmap(self.ring.cast(), self.blocks * self.block_size) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sll2(expr: &str) -> Program {
        compile(expr, &CompileOptions::new(LinkType::LINUX_SLL2)).unwrap()
    }

    #[test]
    fn cooked_programs_use_ancillary_loads_and_shifted_offsets() {
        let prog = sll2("ip and udp port 53");
        let k = cooked_kernel_program(prog.insns()).unwrap();
        // The protocol field becomes SKF_AD_PROTOCOL ...
        assert_eq!(k[0].k, SKF_AD_OFF);
        // ... and network-layer loads lose the 20-byte header.
        for (a, b) in prog.insns().iter().zip(&k).skip(1) {
            if a.class() == LD && a.code & 0xe0 == ABS {
                assert_eq!(b.k + SLL2_LEN, a.k);
            }
        }
        assert!(Program::new(k).is_ok());
    }

    #[test]
    fn directions_keep_what_libpcap_keeps() {
        use libc::{PACKET_BROADCAST, PACKET_HOST, PACKET_OUTGOING};
        let (eth, lo) = (2, 1);
        let kept = |d: Direction| {
            [
                (PACKET_HOST, eth),
                (PACKET_BROADCAST, eth),
                (PACKET_OUTGOING, eth),
                (PACKET_HOST, lo),
                (PACKET_OUTGOING, lo),
            ]
            .map(|(t, i)| d.keeps(t, i, lo))
        };
        assert_eq!(kept(Direction::InOut), [true, true, true, true, false]);
        assert_eq!(kept(Direction::In), [true, true, false, true, false]);
        assert_eq!(kept(Direction::Out), [false, false, true, false, false]);
    }

    #[test]
    fn lengths_and_odd_header_bytes_stay_in_user_space() {
        assert!(cooked_kernel_program(sll2("len > 100").insns()).is_none());
        assert!(cooked_kernel_program(sll2("ether[13] = 1").insns()).is_none());
        // The packet type has an ancillary load.
        assert!(cooked_kernel_program(sll2("inbound").insns()).is_some());
    }
}
