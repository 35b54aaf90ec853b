//! The socket calls that live capture, socket filters and XDP share.

use std::ffi::CString;
use std::io;
use std::mem::{size_of, zeroed};
use std::os::fd::{AsFd, AsRawFd, FromRawFd, OwnedFd};

/// `setsockopt(fd, level, name, value)` with `value`'s size.
pub(crate) fn setsockopt<T>(
    fd: &impl AsFd,
    level: libc::c_int,
    name: libc::c_int,
    value: &T,
) -> io::Result<()> {
    // SAFETY: `value` points to a live `T` of the size passed, and the fd
    // is borrowed for the duration of the call.
    let r = unsafe {
        libc::setsockopt(
            fd.as_fd().as_raw_fd(),
            level,
            name,
            (value as *const T).cast(),
            size_of::<T>() as libc::socklen_t,
        )
    };
    if r == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// `getsockopt(fd, level, name)` into a `T` (plain data, such as an int
/// or a kernel statistics struct).
pub(crate) fn getsockopt<T: Copy>(
    fd: &impl AsFd,
    level: libc::c_int,
    name: libc::c_int,
) -> io::Result<T> {
    // SAFETY: callers use plain-data `T`s, for which all zeroes is valid.
    let mut value: T = unsafe { zeroed() };
    let mut len = size_of::<T>() as libc::socklen_t;
    // SAFETY: the kernel writes at most `len` bytes into `value`.
    let r = unsafe {
        libc::getsockopt(
            fd.as_fd().as_raw_fd(),
            level,
            name,
            (&mut value as *mut T).cast(),
            &mut len,
        )
    };
    if r == 0 {
        Ok(value)
    } else {
        Err(io::Error::last_os_error())
    }
}

/// The index of the interface called `name`.
pub(crate) fn ifindex(name: &str) -> io::Result<u32> {
    let cname = CString::new(name).map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))?;
    // SAFETY: a valid C string.
    match unsafe { libc::if_nametoindex(cname.as_ptr()) } {
        0 => Err(io::Error::last_os_error()),
        i => Ok(i),
    }
}

/// Puts interface `ifindex` in promiscuous mode for as long as the
/// `AF_PACKET` socket `fd` stays open (the kernel undoes it on close).
pub(crate) fn add_promiscuous(fd: &impl AsFd, ifindex: u32) -> io::Result<()> {
    // SAFETY: packet_mreq is plain data.
    let mut mreq: libc::packet_mreq = unsafe { zeroed() };
    mreq.mr_ifindex = ifindex as i32;
    mreq.mr_type = libc::PACKET_MR_PROMISC as u16;
    setsockopt(fd, libc::SOL_PACKET, libc::PACKET_ADD_MEMBERSHIP, &mreq)
}

/// `ioctl(request)` on interface `name` through a throw-away datagram
/// socket (any socket reaches the interface ioctls); the filled `ifreq`.
pub(crate) fn interface_ioctl(name: &str, request: libc::c_ulong) -> io::Result<libc::ifreq> {
    // SAFETY: ifreq is plain data.
    interface_ioctl_with(name, request, unsafe { zeroed() })
}

/// The interface ioctl `request` on `name` with `req` (whose name is set
/// here) as its argument, for requests that point it at more data.
pub(crate) fn interface_ioctl_with(
    name: &str,
    request: libc::c_ulong,
    mut req: libc::ifreq,
) -> io::Result<libc::ifreq> {
    if name.len() >= req.ifr_name.len() {
        return Err(io::Error::from_raw_os_error(libc::ENODEV));
    }
    for (d, s) in req.ifr_name.iter_mut().zip(name.as_bytes()) {
        *d = *s as libc::c_char;
    }
    // SAFETY: plain socket creation, result checked.
    let sock = unsafe { libc::socket(libc::AF_UNIX, libc::SOCK_DGRAM | libc::SOCK_CLOEXEC, 0) };
    if sock < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: `sock` was just opened and is owned here.
    let sock = unsafe { OwnedFd::from_raw_fd(sock) };
    // SAFETY: the interface ioctls fill the ifreq they are given.
    if unsafe { libc::ioctl(sock.as_raw_fd(), request, &mut req) } < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(req)
}

/// An interface that is not there, or stopped being usable mid-capture.
#[derive(Debug)]
pub enum InterfaceError {
    /// There is no interface of that name.
    NoSuchInterface(String),
    /// The interface was taken down or removed during the capture.
    Lost {
        /// The interface.
        interface: String,
        /// Removed (rather than taken down).
        gone: bool,
    },
    /// The interface's hardware type has no link type bpfcap handles.
    UnsupportedHardware {
        /// The interface.
        interface: String,
        /// Its `ARPHRD_*` type.
        arphrd: u16,
    },
}

impl std::fmt::Display for InterfaceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InterfaceError::NoSuchInterface(name) => {
                write!(f, "{name}: no such interface (bpfcap -D lists them)")
            }
            InterfaceError::Lost { interface, gone } => write!(
                f,
                "{interface}: the interface {}",
                if *gone { "disappeared" } else { "went down" }
            ),
            InterfaceError::UnsupportedHardware { interface, arphrd } => {
                write!(f, "{interface}: unsupported hardware type {arphrd}")
            }
        }
    }
}

impl std::error::Error for InterfaceError {}

/// A system call failed (live capture's and XDP's errors have this as a
/// variant).
#[derive(Debug)]
pub struct OsError {
    /// What was being done.
    pub what: String,
    /// What the system said.
    pub source: io::Error,
}

impl std::fmt::Display for OsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.what, strerror(&self.source))
    }
}

impl std::error::Error for OsError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// Turns the system's error while doing `what` into an [`OsError`] (or an
/// error that has one), for `map_err`.
pub(crate) fn os<E: From<OsError>>(what: impl Into<String>) -> impl FnOnce(io::Error) -> E {
    let what = what.into();
    move |source| OsError { what, source }.into()
}

/// Whether an interface lookup failed because there is no such interface.
pub(crate) fn is_no_such_device(e: &io::Error) -> bool {
    matches!(e.raw_os_error(), Some(libc::ENODEV | libc::ENXIO))
}

/// What the system's error on a call about interface `name` means:
/// `ENODEV`/`ENXIO` that there is no such interface, anything else a
/// failed call, named after the interface.
pub(crate) fn interface_failure<E>(name: &str, source: io::Error) -> E
where
    E: From<InterfaceError> + From<OsError>,
{
    if is_no_such_device(&source) {
        InterfaceError::NoSuchInterface(name.to_string()).into()
    } else {
        os::<E>(name)(source)
    }
}

/// How long an interface found down is watched for its removal:
/// deleting an interface takes it down first and unregisters its name a
/// moment later, so a capture that looked at once would say "went down"
/// for an interface that is being removed.
const REMOVAL_SETTLES: std::time::Duration = std::time::Duration::from_millis(200);

/// Whether interface `ifindex` (called `name`) is still usable; the
/// error a capture on it ends with when it is not (gone, or down and
/// not removed within [`REMOVAL_SETTLES`]).
pub(crate) fn check_interface(ifindex: u32, name: &str) -> Result<(), InterfaceError> {
    let mut state = link_state(ifindex);
    let since = std::time::Instant::now();
    while state == LinkState::Down && since.elapsed() < REMOVAL_SETTLES {
        std::thread::sleep(std::time::Duration::from_millis(5));
        state = link_state(ifindex);
    }
    match state {
        LinkState::Up => Ok(()),
        state => Err(InterfaceError::Lost {
            interface: name.to_string(),
            gone: state == LinkState::Gone,
        }),
    }
}

/// What became of a capture's interface.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LinkState {
    Up,
    /// Taken down (`ip link set … down`).
    Down,
    /// Removed, or moved to another network namespace.
    Gone,
}

/// The state of interface `ifindex`, looked up by index so that a new
/// interface taking the old name does not count.
pub(crate) fn link_state(ifindex: u32) -> LinkState {
    let Some(name) = interface_name(ifindex) else {
        return LinkState::Gone;
    };
    match interface_ioctl(&name, libc::SIOCGIFFLAGS) {
        // SAFETY: the union member SIOCGIFFLAGS sets.
        Ok(req) if unsafe { req.ifr_ifru.ifru_flags } & libc::IFF_UP as libc::c_short == 0 => {
            LinkState::Down
        }
        Ok(_) => LinkState::Up,
        Err(_) => LinkState::Gone,
    }
}

/// The name of interface `ifindex`, if there is one.
pub(crate) fn interface_name(ifindex: u32) -> Option<String> {
    let mut name = [0 as libc::c_char; libc::IF_NAMESIZE];
    // SAFETY: the buffer has the IF_NAMESIZE bytes if_indextoname writes.
    if unsafe { libc::if_indextoname(ifindex, name.as_mut_ptr()) }.is_null() {
        return None;
    }
    // SAFETY: if_indextoname wrote a NUL-terminated name.
    let name = unsafe { std::ffi::CStr::from_ptr(name.as_ptr()) };
    Some(name.to_string_lossy().into_owned())
}

/// The alias an administrator gave interface `name` (`ip link set NAME
/// alias TEXT`), if any: what a pcapng file gives as its description.
pub(crate) fn interface_alias(name: &str) -> Option<String> {
    let path = std::path::Path::new("/sys/class/net")
        .join(name)
        .join("ifalias");
    let alias = std::fs::read_to_string(path).ok()?;
    let alias = alias.trim_end_matches('\n');
    (!alias.is_empty()).then(|| alias.to_string())
}

/// The system's text for `e` alone (`strerror`), without the
/// " (os error N)" that `io::Error` puts after it, for messages that put
/// the error in parentheses themselves. Made from the error number, as
/// `io::Error` makes its own text; errors without one say what they say.
pub(crate) fn strerror(e: &io::Error) -> String {
    let Some(code) = e.raw_os_error() else {
        return e.to_string();
    };
    let mut buf = [0 as libc::c_char; 128];
    // SAFETY: the buffer and its length are passed together; the XSI
    // strerror_r (what the libc crate binds on Linux) NUL-terminates what
    // it writes, "Unknown error N" too (for which it returns EINVAL).
    unsafe { libc::strerror_r(code, buf.as_mut_ptr(), buf.len()) };
    if buf[0] == 0 {
        return e.to_string();
    }
    // SAFETY: NUL-terminated above.
    unsafe { std::ffi::CStr::from_ptr(buf.as_ptr()) }
        .to_string_lossy()
        .into_owned()
}

/// Whether `e` says the caller lacks a privilege (`EPERM`/`EACCES`).
pub(crate) fn is_permission(e: &io::Error) -> bool {
    matches!(e.raw_os_error(), Some(libc::EPERM | libc::EACCES))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::live::LiveError;

    #[test]
    fn loopback_is_up_and_a_missing_index_is_gone() {
        let lo = ifindex("lo").expect("every namespace has lo");
        // A fresh namespace may hold lo down; either way it is there.
        assert_ne!(link_state(lo), LinkState::Gone);
        assert_eq!(link_state(u32::MAX), LinkState::Gone);
        assert!(interface_ioctl("no-such-if0", libc::SIOCGIFFLAGS).is_err());
        assert!(interface_ioctl(&"x".repeat(40), libc::SIOCGIFFLAGS).is_err());
    }

    #[test]
    fn a_missing_device_is_no_such_interface_and_other_errors_are_named() {
        for errno in [libc::ENODEV, libc::ENXIO] {
            let e = interface_failure("eth9", io::Error::from_raw_os_error(errno));
            let LiveError::Interface(e) = e else {
                panic!("{e:?}")
            };
            assert_eq!(
                e.to_string(),
                "eth9: no such interface (bpfcap -D lists them)"
            );
        }
        let e = interface_failure("eth9", io::Error::from_raw_os_error(libc::EPERM));
        let LiveError::Os(e) = e else { panic!("{e:?}") };
        assert_eq!(e.what, "eth9");
        assert!(e.to_string().starts_with("eth9: Operation not permitted"));
        assert!(std::error::Error::source(&e).is_some());
    }

    #[test]
    fn strerror_is_the_text_without_the_errno_suffix() {
        let e = io::Error::from_raw_os_error(libc::EPERM);
        assert_eq!(strerror(&e), "Operation not permitted");
        // The same text as io::Error's, for every error number.
        for code in 1..134 {
            let e = io::Error::from_raw_os_error(code);
            assert_eq!(format!("{} (os error {code})", strerror(&e)), e.to_string());
        }
        assert!(is_permission(&e));
        assert_eq!(strerror(&io::Error::other("plain")), "plain");
    }
}
