//! The capture's `AF_PACKET` socket. It is opened with protocol 0, so it
//! receives nothing; the filter is attached and the ring set up, and only
//! then is it bound to the interface with `ETH_P_ALL`: no packet reaches
//! the ring without having passed the filter.

use std::io;
use std::mem::{size_of, zeroed};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd};
use std::time::Duration;

use bpfcap_filter::{Program, SetTable, ebpf};

use super::LiveError;
use super::filter::Kernel;
use crate::set_maps::SetMaps;
use crate::size_limit::{Kind, SizeLimit};
use crate::socket_filter::{EbpfFilter, Filter};
use crate::sys;

/// An `AF_PACKET` socket for capturing.
pub(super) struct PacketSocket {
    fd: OwnedFd,
    /// The maps of the attached eBPF filter's sets (none for a classic
    /// filter, or one naming no set).
    pub(super) set_maps: SetMaps,
}

/// How waiting for packets ended.
pub(super) enum Woken {
    /// A signal came.
    Interrupted,
    /// Packets may be there, or the time is up; `error` when the socket
    /// has an error pending.
    Polled {
        /// See [`PacketSocket::take_error`].
        error: bool,
    },
}

impl PacketSocket {
    /// A socket for capturing on `interface`: raw (whole frames), or
    /// cooked (from the network header) for `any`.
    pub(super) fn open(interface: &str, cooked: bool) -> Result<PacketSocket, LiveError> {
        let kind = if cooked {
            libc::SOCK_DGRAM
        } else {
            libc::SOCK_RAW
        };
        // Protocol 0: nothing is received until `bind`.
        // SAFETY: plain socket creation, result checked.
        let fd = unsafe { libc::socket(libc::AF_PACKET, kind | libc::SOCK_CLOEXEC, 0) };
        if fd < 0 {
            let source = io::Error::last_os_error();
            if sys::is_permission(&source) {
                return Err(LiveError::Permission {
                    interface: interface.to_string(),
                    source,
                });
            }
            return Err(sys::os("socket(AF_PACKET)")(source));
        }
        // SAFETY: `fd` was just opened and is owned from here on.
        let fd = unsafe { OwnedFd::from_raw_fd(fd) };
        Ok(PacketSocket {
            fd,
            set_maps: SetMaps::default(),
        })
    }

    /// Puts interface `ifindex` in promiscuous mode while the socket is
    /// open.
    pub(super) fn promiscuous(&self, ifindex: u32) -> Result<(), LiveError> {
        sys::add_promiscuous(&self.fd, ifindex).map_err(sys::os("promiscuous mode"))
    }

    /// Starts receiving every protocol on interface `ifindex` (0: all),
    /// called `name`.
    pub(super) fn bind(&self, ifindex: u32, name: &str) -> Result<(), LiveError> {
        // SAFETY: sockaddr_ll is plain data.
        let mut addr: libc::sockaddr_ll = unsafe { zeroed() };
        addr.sll_family = libc::AF_PACKET as u16;
        addr.sll_protocol = (libc::ETH_P_ALL as u16).to_be();
        addr.sll_ifindex = ifindex as i32;
        // SAFETY: binding to a fully initialised sockaddr_ll.
        let r = unsafe {
            libc::bind(
                self.fd.as_raw_fd(),
                (&addr as *const libc::sockaddr_ll).cast(),
                size_of::<libc::sockaddr_ll>() as libc::socklen_t,
            )
        };
        if r != 0 {
            return Err(sys::os(format!("bind to {name}"))(
                io::Error::last_os_error(),
            ));
        }
        Ok(())
    }

    /// Waits up to `timeout` for the kernel to hand over a block (or
    /// report an error).
    pub(super) fn wait(&self, timeout: Duration) -> Result<Woken, LiveError> {
        let mut pfd = libc::pollfd {
            fd: self.fd.as_raw_fd(),
            events: libc::POLLIN | libc::POLLERR,
            revents: 0,
        };
        let ms = timeout.as_millis().min(i32::MAX as u128) as i32;
        // SAFETY: one valid pollfd.
        if unsafe { libc::poll(&mut pfd, 1, ms) } < 0 {
            let e = io::Error::last_os_error();
            if e.kind() == io::ErrorKind::Interrupted {
                return Ok(Woken::Interrupted);
            }
            return Err(sys::os("poll")(e));
        }
        Ok(Woken::Polled {
            error: pfd.revents & libc::POLLERR != 0,
        })
    }

    /// Reads (and so clears) the socket's pending error: an errno, or 0.
    pub(super) fn take_error(&self) -> Result<libc::c_int, LiveError> {
        sys::getsockopt(&self.fd, libc::SOL_SOCKET, libc::SO_ERROR).map_err(sys::os("SO_ERROR"))
    }

    /// The kernel's counts since they were last read.
    pub(super) fn statistics(&self) -> Result<libc::tpacket_stats_v3, LiveError> {
        sys::getsockopt(&self.fd, libc::SOL_PACKET, libc::PACKET_STATISTICS)
            .map_err(sys::os("PACKET_STATISTICS"))
    }
}

impl AsFd for PacketSocket {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }
}

impl Kernel for PacketSocket {
    fn attach_ebpf(
        &mut self,
        program: &ebpf::Program,
        sets: &SetTable,
    ) -> Result<Option<SizeLimit>, LiveError> {
        let insns = program.insns().len();
        let filter = match EbpfFilter::load_with_sets(program, sets) {
            Ok(filter) => filter,
            Err(e) => {
                return SizeLimit::of_load(insns, &e)
                    .map(Some)
                    .ok_or(LiveError::Load(e));
            }
        };
        match filter.attach(&self.fd) {
            Ok(()) => {
                self.set_maps = filter.into_set_maps();
                Ok(None)
            }
            Err(e) => SizeLimit::of_attach(Kind::Ebpf, insns, filter.kernel_size().ok(), &e)
                .map(Some)
                .ok_or(LiveError::Attach(e)),
        }
    }

    fn attach_classic(&mut self, program: Program) -> Result<Option<SizeLimit>, LiveError> {
        let insns = program.insns().len();
        match Filter::from_program(program).attach(&self.fd) {
            Ok(()) => Ok(None),
            Err(e) => SizeLimit::of_attach(Kind::Classic, insns, None, &e)
                .map(Some)
                .ok_or(LiveError::Attach(e)),
        }
    }

    fn accept_all(&mut self, program: Program) -> Result<(), LiveError> {
        Filter::from_program(program)
            .attach(&self.fd)
            .map_err(LiveError::Attach)
    }
}
