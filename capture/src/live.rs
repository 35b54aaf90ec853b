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
//! rewritten for the kernel (see [`bpfcap_filter::cbpf::cooked`]); where
//! that is impossible it runs here instead, on the rebuilt packets.
//!
//! The parts, in the order [`LiveCapture::open`] uses them: `link` (which
//! link type the interface's packets have), `filter` (which filter runs
//! where), `socket` (the packet socket), `ring` (the mapped ring).

mod filter;
mod link;
mod ring;
mod socket;

use std::fmt;
use std::io;
use std::time::{Duration, Instant};

use bpfcap_filter::cbpf::ancillary::{Answered, Answers};
use bpfcap_filter::cbpf::cooked::SLL2_LEN;
use bpfcap_filter::{CompileOptions, FilterSpec, LinkType, SetTable};

use crate::set_maps::SetMapError;

use crate::file::{Interface, Origin, Packet, Port, Timestamp, flags_for_pkttype};
use crate::size_limit::SizeLimit;
use crate::sys::{self, InterfaceError, OsError};
use filter::{Facts, FilterRequest};
use ring::{Frames, Ring};
use socket::{PacketSocket, Woken};

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
    /// The direction a filter keeps, if only one (see
    /// [`PacketSource::Kernel`](bpfcap_filter::PacketSource::Kernel)).
    pub fn only(self) -> Option<bpfcap_filter::Direction> {
        match self {
            Direction::InOut => None,
            Direction::In => Some(bpfcap_filter::Direction::In),
            Direction::Out => Some(bpfcap_filter::Direction::Out),
        }
    }

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
    /// An eBPF filter was asked for on `any`, whose cooked socket only
    /// classic filters are rewritten for.
    EbpfOnAny,
    /// A system call failed.
    Os(OsError),
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
            LiveError::EbpfOnAny => f.write_str(
                "any: eBPF filters cannot run on the cooked socket that captures on every \
                 interface (only classic filters are rewritten for it); capture without --ebpf",
            ),
            LiveError::Os(e) => write!(f, "{e}"),
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
            LiveError::Permission { source, .. } => Some(source),
            LiveError::EbpfOnAny => None,
            LiveError::Os(e) => e.source(),
        }
    }
}

impl From<OsError> for LiveError {
    fn from(e: OsError) -> LiveError {
        LiveError::Os(e)
    }
}

impl From<InterfaceError> for LiveError {
    fn from(e: InterfaceError) -> LiveError {
        LiveError::Interface(e)
    }
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
    socket: PacketSocket,
    ring: Ring,
    /// Which packets are handed over, and how.
    handover: Handover,
    interface: Interface,
    stats: Stats,
    /// How the choice of filter came out.
    facts: Facts,
    /// The interface bound to (0 for `any`), its name and description.
    ifindex: u32,
    name: String,
    description: Option<String>,
    /// For a filter naming sets, the expression and options to compile
    /// it again with new sets when it is classic BPF (see
    /// [`LiveCapture::update_sets`]).
    recompile: Option<(String, CompileOptions)>,
    /// Set when the kernel reported the interface down or gone: blocks
    /// still in the ring are handed over for [`DRAIN`], then the capture
    /// ends with this error.
    lost: Option<(InterfaceError, Instant)>,
}

/// How long the kernel waits before handing over a partly filled block.
const BLOCK_TIMEOUT_MS: u32 = 50;
/// The same in immediate mode: the shortest the kernel takes.
const IMMEDIATE_TIMEOUT_MS: u32 = 1;
/// How long a capture whose interface went away keeps draining the ring:
/// long enough for the kernel to retire the last partly filled block.
const DRAIN: Duration = Duration::from_millis(3 * BLOCK_TIMEOUT_MS as u64);

impl LiveCapture {
    /// Opens `opts.interface` (or `any`) and starts capturing.
    ///
    /// The options are read here and nowhere else.
    pub fn open(opts: &LiveOptions) -> Result<LiveCapture, LiveError> {
        let link::CaptureLink { link, cooked } = link::capture_link(&opts.interface)?;
        let request = FilterRequest {
            expr: &opts.filter.expr,
            options: CompileOptions {
                snaplen: opts.snaplen,
                // `-Q` is part of the kernel's filter: the packets of the
                // other direction never reach the ring.
                source: crate::devices::kernel_source(opts.direction.only()),
                ..opts.filter.options(link.link_type)
            },
            ebpf: opts.ebpf,
            cooked,
        };
        let plan = request.plan()?;
        let recompile = (!request.options.sets.is_empty())
            .then(|| (opts.filter.expr.clone(), request.options.clone()));
        let mut socket = PacketSocket::open(&opts.interface, cooked)?;
        let chosen = plan.attach(&request, &mut socket)?;
        let retire_ms = if opts.immediate {
            IMMEDIATE_TIMEOUT_MS
        } else {
            BLOCK_TIMEOUT_MS
        };
        let ring = Ring::new(&socket, opts.buffer_size, retire_ms)?;
        if opts.promiscuous && !cooked {
            socket.promiscuous(link.ifindex)?;
        }
        socket.bind(link.ifindex, &opts.interface)?;
        Ok(LiveCapture {
            socket,
            ring,
            handover: Handover {
                cooked,
                user_filter: chosen.user_filter.as_ref().map(Answered::new),
                direction: opts.direction,
                lo_ifindex: sys::ifindex("lo").map_or(0, |i| i as i32),
                names: Vec::new(),
            },
            interface: Interface {
                linktype: link.linktype,
                snaplen: opts.snaplen,
                big_endian: cfg!(target_endian = "big"),
                ts_units_per_sec: 1_000_000_000,
            },
            stats: Stats::default(),
            facts: chosen.facts,
            ifindex: link.ifindex,
            name: opts.interface.clone(),
            description: if cooked {
                Some(ANY_DESCRIPTION.to_string())
            } else {
                sys::interface_alias(&opts.interface)
            },
            recompile,
            lost: None,
        })
    }

    /// Gives the sets the filter names (`host @NAME`) the members of
    /// `sets`. An eBPF filter's maps are refilled in place: the program
    /// stays attached, and the packets it sees from here on are tested
    /// against the new members. A classic filter holds its sets in its
    /// instructions: it is compiled again and replaces the old one on
    /// the socket (`SO_ATTACH_FILTER` swaps them at once; packets already
    /// in the ring were tested by the old one), or in user space.
    pub fn update_sets(&mut self, sets: &SetTable) -> Result<(), SetMapError> {
        if !self.socket.set_maps.is_empty() {
            return self.socket.set_maps.update(sets);
        }
        let Some((expr, options)) = &self.recompile else {
            return Err(SetMapError::unchanged("the filter names no set"));
        };
        let request = FilterRequest {
            expr,
            options: CompileOptions {
                sets: sets.clone(),
                ..options.clone()
            },
            ebpf: false,
            cooked: self.handover.cooked,
        };
        let failed = |e: LiveError| SetMapError::unchanged(&e.to_string());
        let chosen = request
            .plan()
            .and_then(|plan| plan.attach(&request, &mut self.socket))
            .map_err(failed)?;
        self.handover.user_filter = chosen.user_filter.as_ref().map(Answered::new);
        self.facts = chosen.facts;
        Ok(())
    }

    /// The interface captured on, by name, for a capture file.
    pub fn port(&self) -> Port<'_> {
        Port {
            name: &self.name,
            description: self.description.as_deref(),
        }
    }

    /// The socket to wait on (readable when the kernel hands over a
    /// block), for waiting on several captures at once.
    pub fn fd(&self) -> std::os::fd::BorrowedFd<'_> {
        std::os::fd::AsFd::as_fd(&self.socket)
    }

    /// Whether the filter runs here because it is longer than the kernel
    /// takes (the kernel then copies every packet; libpcap does the same
    /// after warning that the kernel filter failed).
    pub fn filter_too_long_for_kernel(&self) -> bool {
        self.facts.too_long
    }

    /// When the classic filter was compiled for size because its fast
    /// form is longer than the kernel takes: both lengths.
    pub fn sized_down(&self) -> Option<(usize, usize)> {
        self.facts.sized_down
    }

    /// The kernel limit that kept out the eBPF filter asked for
    /// ([`LiveOptions::ebpf`]), when the classic filter runs instead.
    pub fn ebpf_fallback(&self) -> Option<&SizeLimit> {
        self.facts.ebpf_fallback.as_ref()
    }

    /// The kernel limit that refused the classic filter, when it runs here
    /// for that reason.
    pub fn classic_refused(&self) -> Option<&SizeLimit> {
        self.facts.classic_refused.as_ref()
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
        if !self.ring.ready() {
            if self
                .lost
                .as_ref()
                .is_some_and(|(_, t)| t.elapsed() >= DRAIN)
            {
                let (e, _) = self.lost.take().expect("checked");
                return Err(LiveError::Interface(e));
            }
            match self.socket.wait(timeout)? {
                Woken::Interrupted => return Ok(0),
                Woken::Polled { error: true } => self.take_socket_error()?,
                Woken::Polled { error: false } => {}
            }
        }
        let port = Port {
            name: &self.name,
            description: self.description.as_deref(),
        };
        let (handover, interface) = (&mut self.handover, &self.interface);
        let Some(handled) = self
            .ring
            .take_block(|frames| handover.hand_over(frames, interface, port, &mut f))
        else {
            return Ok(0);
        };
        let handled = handled?;
        self.stats.captured += handled as u64;
        Ok(handled)
    }

    /// Reads (and so clears) the socket's pending error. `ENETDOWN` is
    /// how the kernel says the interface was taken down or removed; unless
    /// it is already back up, the capture drains the ring and ends.
    fn take_socket_error(&mut self) -> Result<(), LiveError> {
        match self.socket.take_error()? {
            0 => Ok(()),
            libc::ENETDOWN | libc::ENODEV | libc::ENXIO => {
                if let (Err(e), None) = (sys::check_interface(self.ifindex, &self.name), &self.lost)
                {
                    self.lost = Some((e, Instant::now()));
                }
                Ok(())
            }
            e => Err(sys::os(format!("capture on {}", self.name))(
                io::Error::from_raw_os_error(e),
            )),
        }
    }

    /// Counts so far. The kernel resets its counters when read, so they
    /// are added up here.
    pub fn stats(&mut self) -> Result<Stats, LiveError> {
        let st = self.socket.statistics()?;
        // tp_packets already includes the drops.
        self.stats.received += u64::from(st.tp_packets);
        self.stats.dropped += u64::from(st.tp_drops);
        Ok(self.stats)
    }
}

/// Which of the ring's packets are handed over, and how.
struct Handover {
    /// For `any`: SLL2 headers are rebuilt from the kernel's addresses.
    cooked: bool,
    /// The filter, when it runs here rather than in the kernel, with its
    /// ancillary loads answered from the ring's address.
    user_filter: Option<Answered>,
    direction: Direction,
    /// The loopback interface's index (0 if there is none).
    lo_ifindex: i32,
    /// For `any`: the names of the interfaces packets came from, by
    /// index, as first looked up (an interface renamed later keeps its
    /// first name, as a capture file's interface description would).
    names: Vec<(i32, String)>,
}

/// libpcap's description of `any`.
const ANY_DESCRIPTION: &str = "Pseudo-device that captures on all interfaces";

impl Handover {
    /// Hands the packets of a block that are wanted to `f`, as packets of
    /// `interface` captured on `port` (for `any`, on the interface each
    /// came from), until it returns `Ok(false)`; how many were handed
    /// over.
    fn hand_over(
        &mut self,
        frames: Frames<'_>,
        interface: &Interface,
        port: Port<'_>,
        f: &mut impl FnMut(&Packet<'_>) -> io::Result<bool>,
    ) -> Result<usize, LiveError> {
        let mut n = 0;
        let mut rebuilt = Vec::new();
        for frame in frames {
            let ll = &frame.addr;
            if !self
                .direction
                .keeps(ll.sll_pkttype, ll.sll_ifindex, self.lo_ifindex)
            {
                continue;
            }
            let (mut data, mut wirelen) = (frame.data, frame.wirelen);
            if self.cooked {
                rebuild_sll2(&mut rebuilt, ll, frame.net, interface.snaplen);
                data = &rebuilt;
                wirelen += SLL2_LEN;
            }
            let answers = Answers {
                pkttype: Some(u32::from(ll.sll_pkttype)),
                ifindex: ll.sll_ifindex as u32,
            };
            if self
                .user_filter
                .as_mut()
                .is_some_and(|f| f.run(data, wirelen, answers) == Ok(0))
            {
                continue;
            }
            let ts = Timestamp {
                secs: i64::from(frame.sec),
                nanos: frame.nsec,
            };
            let port = if self.cooked {
                Port {
                    name: self.name_of(ll.sll_ifindex),
                    description: None,
                }
            } else {
                port
            };
            let origin = Origin {
                port: Some(port),
                flags: Some(flags_for_pkttype(ll.sll_pkttype)),
                verdict: None,
            };
            n += 1;
            match f(&Packet::live(ts, wirelen, data, interface).with_origin(origin)) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => return Err(sys::os("writing packets")(e)),
            }
        }
        Ok(n)
    }

    /// The name of interface `ifindex`, looked up the first time (its
    /// index as text if it is already gone).
    fn name_of(&mut self, ifindex: i32) -> &str {
        let at = match self.names.iter().position(|(i, _)| *i == ifindex) {
            Some(at) => at,
            None => {
                let name =
                    sys::interface_name(ifindex as u32).unwrap_or_else(|| ifindex.to_string());
                self.names.push((ifindex, name));
                self.names.len() - 1
            }
        };
        &self.names[at].1
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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn rebuilt_sll2_headers_are_20_bytes_before_the_network_packet() {
        // SAFETY: sockaddr_ll is plain data.
        let mut ll: libc::sockaddr_ll = unsafe { std::mem::zeroed() };
        ll.sll_protocol = 0x0800u16.to_be();
        ll.sll_ifindex = 3;
        ll.sll_hatype = libc::ARPHRD_ETHER;
        ll.sll_pkttype = libc::PACKET_OUTGOING;
        ll.sll_halen = 6;
        ll.sll_addr = [1, 2, 3, 4, 5, 6, 0, 0];
        let mut out = Vec::new();
        rebuild_sll2(&mut out, &ll, b"IPv4", 1000);
        assert_eq!(out.len(), SLL2_LEN as usize + 4);
        assert_eq!(&out[..12], &[8, 0, 0, 0, 0, 0, 0, 3, 0, 1, 4, 6]);
        assert_eq!(&out[20..], b"IPv4");
        rebuild_sll2(&mut out, &ll, b"IPv4", 22);
        assert_eq!(&out[20..], b"IP");
    }
}
