//! Attaching compiled filters to sockets: the embeddable side of bpfcap.
//!
//! Programs that are not packet capturers still want the kernel to drop
//! packets they do not care about before they are queued: a DHCP client
//! listening on an `AF_PACKET` socket wants only `udp and (port 67 or 68)`,
//! and waking up for every other frame on the wire would be wasteful.
//! [`Filter`] compiles a pcap-filter(7) expression once and attaches it to
//! any socket with `SO_ATTACH_FILTER`; [`Filter::lock`] makes it permanent
//! so a process that later drops privileges cannot widen what it receives.
//!
//! # What the filter sees
//!
//! The kernel runs a socket filter on the packet *as the socket would
//! receive it*, so the offsets an expression compiles to must match the
//! socket type:
//!
//! * `AF_PACKET`/`SOCK_RAW` on Ethernet: the whole frame, from the
//!   Ethernet header — compile for [`LinkType::EN10MB`].
//! * `AF_PACKET`/`SOCK_DGRAM` and `AF_INET`/`SOCK_RAW`: the packet from
//!   the network (IP) header — compile for [`LinkType::RAW`].
//! * `AF_INET`/`SOCK_DGRAM` (UDP): the packet from the *UDP* header; no
//!   link type describes that, so only expressions that do not depend on
//!   header offsets are meaningful there, such as `len > 18` (a UDP
//!   payload longer than 10 bytes: 8 bytes of UDP header plus payload).
//!
//! `len` is the length of what the filter sees, so it means different
//! things on different sockets: the frame length on `AF_PACKET`/`SOCK_RAW`,
//! the UDP length (header included) on a UDP socket.

use std::fmt;
use std::io;
use std::os::fd::{AsFd, AsRawFd};

use bpfcap_filter::{CompileOptions, LinkType, Program, SetTable};

use crate::set_maps::SetMaps;

/// `SO_LOCK_FILTER` from `<asm-generic/socket.h>`; not every libc binding
/// exports it, and its value is the same on all Linux architectures that
/// use the generic socket options.
const SO_LOCK_FILTER: libc::c_int = 44;

/// A compiled classic BPF socket filter.
///
/// It owns its [`Program`] so one compilation can be attached to any
/// number of sockets (the kernel copies the instructions on attach).
#[derive(Clone, Debug)]
pub struct Filter {
    program: Program,
}

impl Filter {
    /// Compiles `expr` for packets that start with a `link` header.
    ///
    /// Which link type to pass depends on the socket (see the module
    /// documentation): an `AF_PACKET` `SOCK_RAW` socket on Ethernet sees
    /// the Ethernet header, so use [`LinkType::EN10MB`]; `AF_PACKET`
    /// `SOCK_DGRAM` and `AF_INET` raw sockets see the packet from the IP
    /// header, so use [`LinkType::RAW`]. UDP sockets see the packet from
    /// the UDP header, which no link type describes: use only
    /// offset-independent expressions (`len >= N`) there.
    ///
    /// The filter returns the default snapshot length for accepted packets,
    /// so the socket receives them whole. The kernel runs it, so
    /// `inbound`/`outbound`, `ifindex` and `ifname` test what it knows of
    /// each packet (see [`crate::devices::kernel_source`]).
    pub fn compile(expr: &str, link: LinkType) -> Result<Filter, bpfcap_filter::Error> {
        let opts = CompileOptions {
            source: crate::devices::kernel_source(None),
            ..CompileOptions::new(link)
        };
        let program = bpfcap_filter::compile(expr, &opts)?;
        Ok(Filter { program })
    }

    /// Wraps an already compiled (or hand-written) program, for callers
    /// that need non-default [`CompileOptions`] such as a smaller snaplen.
    pub fn from_program(program: Program) -> Filter {
        Filter { program }
    }

    /// The instructions that [`attach`](Filter::attach) hands to the
    /// kernel, e.g. for printing a listing.
    pub fn program(&self) -> &Program {
        &self.program
    }

    /// Attaches the filter to `socket` with `SO_ATTACH_FILTER`, replacing
    /// any filter already attached (unless it was locked).
    ///
    /// Works on any socket type; the kernel applies it to every packet
    /// before it is queued on the socket. Packets queued before the call
    /// are not filtered, so for `AF_PACKET` sockets open with protocol 0,
    /// attach, and only then `bind` to the protocol you want.
    pub fn attach(&self, socket: &impl AsFd) -> Result<(), AttachError> {
        let insns = self.program.insns();
        let too_long = || AttachError {
            op: "attach socket filter",
            source: io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "the filter has {} instructions; the kernel takes at most {}",
                    insns.len(),
                    bpfcap_filter::cbpf::insn::MAXINSNS
                ),
            ),
        };
        if !self.program.fits_in_kernel() {
            return Err(too_long());
        }
        let len = u16::try_from(insns.len()).map_err(|_| too_long())?;
        let fprog = libc::sock_fprog {
            len,
            // `Insn` is `#[repr(C)]` with the same fields as
            // `struct sock_filter`; the kernel only reads through it.
            filter: insns.as_ptr() as *mut libc::sock_filter,
        };
        setsockopt(
            socket,
            libc::SO_ATTACH_FILTER,
            &fprog,
            "attach socket filter",
        )
    }

    /// Locks the socket's filter with `SO_LOCK_FILTER`: from now on it can
    /// no longer be replaced or removed, not even by this process.
    ///
    /// Do this before handing the socket to less trusted code or dropping
    /// privileges, so the filter becomes a guarantee rather than a hint.
    pub fn lock(socket: &impl AsFd) -> Result<(), AttachError> {
        let one: libc::c_int = 1;
        setsockopt(socket, SO_LOCK_FILTER, &one, "lock socket filter")
    }

    /// Removes the socket's filter with `SO_DETACH_FILTER`, so it receives
    /// everything again. Fails with `EPERM` once the filter is locked and
    /// with `ENOENT` if there is no filter.
    pub fn detach(socket: &impl AsFd) -> Result<(), AttachError> {
        let zero: libc::c_int = 0;
        setsockopt(
            socket,
            libc::SO_DETACH_FILTER,
            &zero,
            "detach socket filter",
        )
    }
}

fn setsockopt<T>(
    socket: &impl AsFd,
    name: libc::c_int,
    value: &T,
    op: &'static str,
) -> Result<(), AttachError> {
    crate::sys::setsockopt(socket, libc::SOL_SOCKET, name, value)
        .map_err(|source| AttachError { op, source })
}

/// A socket option call for a filter failed.
///
/// It names the operation so the message is useful on its own ("cannot
/// detach socket filter: Operation not permitted"), and keeps the OS error
/// for callers that need to match on it.
#[derive(Debug)]
pub struct AttachError {
    op: &'static str,
    source: io::Error,
}

impl AttachError {
    /// The operating system's error, e.g. to check for `EPERM`
    /// (`raw_os_error()`) after detaching a locked filter.
    pub fn io_error(&self) -> &io::Error {
        &self.source
    }
}

impl fmt::Display for AttachError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot {}: {}", self.op, self.source)
    }
}

impl std::error::Error for AttachError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// `SO_ATTACH_BPF` (asm-generic value, not in every libc crate version).
const SO_ATTACH_BPF: libc::c_int = 50;

/// An eBPF socket filter, loaded into the kernel: the same expression as
/// a [`Filter`], compiled straight to eBPF and attached with
/// `SO_ATTACH_BPF`. [`Filter::lock`] and [`Filter::detach`] apply to it
/// too.
pub struct EbpfFilter {
    fd: std::os::fd::OwnedFd,
    sets: SetMaps,
}

impl EbpfFilter {
    /// Loads an eBPF program as a `BPF_PROG_TYPE_SOCKET_FILTER`; it must
    /// name no set (see [`EbpfFilter::load_with_sets`]).
    pub fn load(
        program: &bpfcap_filter::ebpf::Program,
    ) -> Result<EbpfFilter, crate::bpf::LoadError> {
        EbpfFilter::load_with_sets(program, &SetTable::new())
    }

    /// Loads an eBPF program that looks up sets (`host @NAME`): creates
    /// their maps, filled from `sets`, then the program using them.
    pub fn load_with_sets(
        program: &bpfcap_filter::ebpf::Program,
        sets: &SetTable,
    ) -> Result<EbpfFilter, crate::bpf::LoadError> {
        let sets =
            SetMaps::create(program.set_maps(), sets).map_err(|e| crate::bpf::LoadError {
                source: io::Error::other(e.to_string()),
                log: String::new(),
            })?;
        let fd =
            crate::bpf::load_with_maps(program, crate::bpf::ProgType::SocketFilter, &sets.fds())?;
        Ok(EbpfFilter { fd, sets })
    }

    /// The maps of the program's sets, to refill while it stays attached.
    pub fn set_maps(&self) -> &SetMaps {
        &self.sets
    }

    /// Gives up the program (it stays attached where it was) for its
    /// set maps.
    pub fn into_set_maps(self) -> SetMaps {
        self.sets
    }

    /// Attaches the program to `socket` (`SO_ATTACH_BPF`); as with
    /// [`Filter::attach`], open `AF_PACKET` sockets with protocol 0 and
    /// bind after attaching.
    pub fn attach(&self, socket: &impl AsFd) -> Result<(), AttachError> {
        let fd: libc::c_int = self.fd.as_raw_fd();
        setsockopt(socket, SO_ATTACH_BPF, &fd, "attach eBPF socket filter")
    }

    /// The program's size in the kernel, after the verifier's rewriting,
    /// in bytes: what [`attach`](EbpfFilter::attach) charges against the
    /// socket's memory limit (`net.core.optmem_max`).
    pub fn kernel_size(&self) -> io::Result<u32> {
        crate::bpf::translated_size(&self.fd)
    }
}
