//! The few `bpf(2)` commands bpfcap needs, called directly: loading a
//! program the project generated itself (no object file involved) and
//! test-running it on a packet.

use std::ffi::CString;
use std::fmt;
use std::io;
use std::os::fd::{AsRawFd, BorrowedFd, FromRawFd, OwnedFd};

use bpfcap_filter::ebpf;

const BPF_MAP_CREATE: libc::c_long = 0;
const BPF_MAP_UPDATE_ELEM: libc::c_long = 2;
const BPF_MAP_DELETE_ELEM: libc::c_long = 3;
const BPF_MAP_GET_NEXT_KEY: libc::c_long = 4;
const BPF_PROG_LOAD: libc::c_long = 5;
const BPF_PROG_TEST_RUN: libc::c_long = 10;
const BPF_OBJ_GET_INFO_BY_FD: libc::c_long = 15;
#[cfg(feature = "xdp")]
const BPF_LINK_CREATE: libc::c_long = 28;
/// `enum bpf_attach_type`'s `BPF_XDP`.
#[cfg(feature = "xdp")]
const BPF_XDP: u32 = 37;

/// Program types used here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum ProgType {
    /// `SO_ATTACH_BPF` on a socket.
    SocketFilter = 1,
    /// tc classifier: sees packets from the link-layer header, which makes
    /// it the way to test-run socket-filter code on whole frames.
    SchedCls = 3,
    /// The XDP hook.
    Xdp = 6,
}

/// The kernel refused a program; `log` is the verifier's explanation.
#[derive(Debug)]
pub struct LoadError {
    /// What `bpf(BPF_PROG_LOAD)` returned.
    pub source: io::Error,
    /// The verifier's log of its attempt (empty if it gave none).
    pub log: String,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the kernel refused the eBPF program: {}", self.source)?;
        if !self.log.trim().is_empty() {
            write!(f, "\nverifier log:\n{}", self.log.trim_end())?;
        }
        Ok(())
    }
}

impl std::error::Error for LoadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// `bpf(cmd, attr)` with an attribute block of `attr.len()` bytes.
fn bpf(cmd: libc::c_long, attr: &mut [u8]) -> io::Result<libc::c_long> {
    // SAFETY: `attr` is a writable buffer of the size passed; the kernel
    // reads and writes only within it, and pointers inside it point to
    // buffers the caller keeps alive for the call.
    let r = unsafe { libc::syscall(libc::SYS_bpf, cmd, attr.as_mut_ptr(), attr.len()) };
    if r < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(r)
    }
}

fn put_u32(attr: &mut [u8], off: usize, v: u32) {
    attr[off..off + 4].copy_from_slice(&v.to_ne_bytes());
}

fn put_u64(attr: &mut [u8], off: usize, v: u64) {
    attr[off..off + 8].copy_from_slice(&v.to_ne_bytes());
}

/// Loads `prog` as a program of type `kind`; on refusal, loads it again
/// with the verifier log on, to say why. `prog` must look up no set
/// (see [`load_with_maps`]).
pub fn load(prog: &ebpf::Program, kind: ProgType) -> Result<OwnedFd, LoadError> {
    load_with_maps(prog, kind, &[])
}

/// [`load`] for a program that looks sets up: `maps[i]` is the map of
/// `prog.set_maps()[i]`, whose descriptor goes into the instructions
/// that load it.
pub fn load_with_maps(
    prog: &ebpf::Program,
    kind: ProgType,
    maps: &[BorrowedFd<'_>],
) -> Result<OwnedFd, LoadError> {
    let insns: Vec<ebpf::Insn> = prog
        .insns()
        .iter()
        .map(|i| {
            let map = prog.set_map_of(i).and_then(|m| {
                let at = prog.set_maps().iter().position(|x| *x == m)?;
                maps.get(at)
            });
            match map {
                Some(fd) => ebpf::Insn {
                    imm: fd.as_raw_fd(),
                    ..*i
                },
                None => *i,
            }
        })
        .collect();
    let bytes: Vec<u8> = insns.iter().flat_map(|i| i.to_bytes()).collect();
    let license = CString::new("GPL").expect("no NUL");
    let try_load = |log: &mut [u8]| {
        let mut attr = [0u8; 128];
        put_u32(&mut attr, 0, kind as u32);
        put_u32(&mut attr, 4, prog.insns().len() as u32);
        put_u64(&mut attr, 8, bytes.as_ptr() as u64);
        put_u64(&mut attr, 16, license.as_ptr() as u64);
        if !log.is_empty() {
            put_u32(&mut attr, 24, 1);
            put_u32(&mut attr, 28, log.len() as u32);
            put_u64(&mut attr, 32, log.as_mut_ptr() as u64);
        }
        attr[48..55].copy_from_slice(b"bpfcap\0");
        bpf(BPF_PROG_LOAD, &mut attr)
    };
    match try_load(&mut []) {
        // SAFETY: BPF_PROG_LOAD returned a new descriptor we now own.
        Ok(fd) => Ok(unsafe { OwnedFd::from_raw_fd(fd as i32) }),
        Err(source) => {
            let mut log = vec![0u8; 1 << 20];
            let _ = try_load(&mut log);
            let end = log.iter().position(|&b| b == 0).unwrap_or(log.len());
            Err(LoadError {
                source,
                log: String::from_utf8_lossy(&log[..end]).into_owned(),
            })
        }
    }
}

/// Creates a map (`BPF_MAP_CREATE`) named `name` (at most 15 bytes).
pub fn map_create(
    map_type: u32,
    key_size: u32,
    value_size: u32,
    max_entries: u32,
    flags: u32,
    name: &str,
) -> io::Result<OwnedFd> {
    let mut attr = [0u8; 72];
    put_u32(&mut attr, 0, map_type);
    put_u32(&mut attr, 4, key_size);
    put_u32(&mut attr, 8, value_size);
    put_u32(&mut attr, 12, max_entries);
    put_u32(&mut attr, 16, flags);
    let name = &name.as_bytes()[..name.len().min(15)];
    attr[28..28 + name.len()].copy_from_slice(name);
    let fd = bpf(BPF_MAP_CREATE, &mut attr)?;
    // SAFETY: BPF_MAP_CREATE returned a new descriptor we now own.
    Ok(unsafe { OwnedFd::from_raw_fd(fd as i32) })
}

/// `map[key] = value` (`BPF_MAP_UPDATE_ELEM`, `BPF_ANY`).
pub fn map_update(map: BorrowedFd<'_>, key: &[u8], value: &[u8]) -> io::Result<()> {
    let mut attr = [0u8; 32];
    put_u32(&mut attr, 0, map.as_raw_fd() as u32);
    put_u64(&mut attr, 8, key.as_ptr() as u64);
    put_u64(&mut attr, 16, value.as_ptr() as u64);
    bpf(BPF_MAP_UPDATE_ELEM, &mut attr).map(drop)
}

/// Removes `key` from `map` (`BPF_MAP_DELETE_ELEM`).
pub fn map_delete(map: BorrowedFd<'_>, key: &[u8]) -> io::Result<()> {
    let mut attr = [0u8; 32];
    put_u32(&mut attr, 0, map.as_raw_fd() as u32);
    put_u64(&mut attr, 8, key.as_ptr() as u64);
    bpf(BPF_MAP_DELETE_ELEM, &mut attr).map(drop)
}

/// Every key of `map` (`BPF_MAP_GET_NEXT_KEY` from none), keys of
/// `key_size` bytes.
pub fn map_keys(map: BorrowedFd<'_>, key_size: usize) -> io::Result<Vec<Vec<u8>>> {
    let mut keys: Vec<Vec<u8>> = Vec::new();
    loop {
        let mut next = vec![0u8; key_size];
        let mut attr = [0u8; 32];
        put_u32(&mut attr, 0, map.as_raw_fd() as u32);
        if let Some(last) = keys.last() {
            put_u64(&mut attr, 8, last.as_ptr() as u64);
        }
        put_u64(&mut attr, 16, next.as_mut_ptr() as u64);
        match bpf(BPF_MAP_GET_NEXT_KEY, &mut attr) {
            Ok(_) => keys.push(next),
            Err(e) if e.raw_os_error() == Some(libc::ENOENT) => return Ok(keys),
            Err(e) => return Err(e),
        }
    }
}

/// The size in bytes of a loaded program as the kernel keeps it, after
/// the verifier's rewriting (`xlated_prog_len`): what attaching it to a
/// socket charges against the socket's memory limit.
pub fn translated_size(prog: &OwnedFd) -> io::Result<u32> {
    // `struct bpf_prog_info` up to `xlated_prog_len`, at offset 20.
    let mut info = [0u8; 24];
    let mut attr = [0u8; 16];
    put_u32(&mut attr, 0, prog.as_raw_fd() as u32);
    put_u32(&mut attr, 4, info.len() as u32);
    put_u64(&mut attr, 8, info.as_mut_ptr() as u64);
    bpf(BPF_OBJ_GET_INFO_BY_FD, &mut attr)?;
    Ok(u32::from_ne_bytes([info[20], info[21], info[22], info[23]]))
}

/// Runs a loaded program once on `packet` (`BPF_PROG_TEST_RUN`) and
/// returns what it returned.
pub fn test_run(prog: &OwnedFd, packet: &[u8]) -> io::Result<u32> {
    let mut attr = [0u8; 128];
    put_u32(&mut attr, 0, prog.as_raw_fd() as u32);
    put_u32(&mut attr, 8, packet.len() as u32);
    put_u64(&mut attr, 16, packet.as_ptr() as u64);
    put_u32(&mut attr, 32, 1);
    bpf(BPF_PROG_TEST_RUN, &mut attr)?;
    Ok(u32::from_ne_bytes([attr[4], attr[5], attr[6], attr[7]]))
}

/// Attaches the XDP program `prog` to interface `ifindex` through a BPF
/// link (`flags`: `XDP_FLAGS_SKB_MODE` or `XDP_FLAGS_DRV_MODE`). The link
/// is the attachment: closing its descriptor detaches the program, which
/// needs no privilege — so a capture that gave up root can still detach,
/// and the kernel detaches for a process that dies. It also refuses to
/// replace a program someone else attached (`EBUSY`).
#[cfg(feature = "xdp")]
pub(crate) fn xdp_link_create(
    prog: BorrowedFd<'_>,
    ifindex: u32,
    flags: u32,
) -> io::Result<OwnedFd> {
    let mut attr = [0u8; 64];
    put_u32(&mut attr, 0, prog.as_raw_fd() as u32);
    put_u32(&mut attr, 4, ifindex);
    put_u32(&mut attr, 8, BPF_XDP);
    put_u32(&mut attr, 12, flags);
    let fd = bpf(BPF_LINK_CREATE, &mut attr)?;
    // SAFETY: BPF_LINK_CREATE returned a new descriptor we now own.
    Ok(unsafe { OwnedFd::from_raw_fd(fd as i32) })
}

/// What the kernel says about an XDP link.
#[cfg(feature = "xdp")]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct XdpLinkInfo {
    /// The program the link runs.
    pub prog_id: u32,
    /// The interface it is attached to; 0 once it has been detached
    /// (`BPF_LINK_DETACH`, e.g. `bpftool link detach`) or the interface
    /// has gone.
    pub ifindex: u32,
}

/// `BPF_OBJ_GET_INFO_BY_FD` on an XDP link (allowed without privileges).
#[cfg(feature = "xdp")]
pub(crate) fn xdp_link_info(link: BorrowedFd<'_>) -> io::Result<XdpLinkInfo> {
    // struct bpf_link_info: type, id, prog_id, then (8-aligned) the
    // per-type union, whose `xdp` member starts with the ifindex.
    let mut info = [0u8; 24];
    let mut attr = [0u8; 16];
    put_u32(&mut attr, 0, link.as_raw_fd() as u32);
    put_u32(&mut attr, 4, info.len() as u32);
    put_u64(&mut attr, 8, info.as_mut_ptr() as u64);
    bpf(BPF_OBJ_GET_INFO_BY_FD, &mut attr)?;
    let at = |off: usize| u32::from_ne_bytes(info[off..off + 4].try_into().expect("4 bytes"));
    Ok(XdpLinkInfo {
        prog_id: at(8),
        ifindex: at(16),
    })
}
