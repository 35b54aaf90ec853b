//! `-Z USER`: giving up root once the capture (or the input file) is
//! open, before any output is created, as tcpdump does — in every mode, so
//! that a bug in packet handling never runs with root's powers and the
//! files written belong to USER.

use std::ffi::CString;
use std::io;

use crate::Fatal;

/// With `-Z USER`, switches to USER for good: its uid, its primary group
/// and its supplementary groups, and no capabilities left. As in tcpdump
/// only root changes user; anyone else keeps its uid (it could not
/// switch) but still gives up any capability it was given.
pub fn drop(user: Option<&str>) -> Result<(), Fatal> {
    let Some(user) = user else {
        return Ok(());
    };
    // SAFETY: getuid and geteuid have no preconditions.
    if unsafe { libc::getuid() != 0 && libc::geteuid() != 0 } {
        return drop_capabilities();
    }
    become_user(user)
}

fn become_user(user: &str) -> Result<(), Fatal> {
    let name = CString::new(user).map_err(|_| Fatal(format!("invalid user name {user:?}")))?;
    // SAFETY: getpwnam returns a pointer into static storage or null;
    // the fields are read before any other call that could reuse it.
    let (uid, gid) = unsafe {
        let pw = libc::getpwnam(name.as_ptr());
        if pw.is_null() {
            return Err(Fatal(format!("Couldn't find user '{user}'")));
        }
        ((*pw).pw_uid, (*pw).pw_gid)
    };
    // tcpdump's words.
    let failed = || {
        Fatal(format!(
            "Couldn't change to '{user}' uid={uid} gid={gid}: {}",
            io::Error::last_os_error()
        ))
    };
    clear_bounding_set();
    // SAFETY: plain credential changes, each result checked. initgroups
    // sets USER's supplementary groups (not root's); glibc applies the
    // set*id calls to every thread. setresuid from root to a non-root
    // uid without PR_SET_KEEPCAPS empties the permitted, effective and
    // ambient capability sets.
    unsafe {
        if libc::prctl(libc::PR_SET_KEEPCAPS, 0, 0, 0, 0) != 0
            || libc::initgroups(name.as_ptr(), gid) != 0
            || libc::setresgid(gid, gid, gid) != 0
            || libc::setresuid(uid, uid, uid) != 0
        {
            return Err(failed());
        }
    }
    if uid != 0 && capabilities()? != 0 {
        return Err(Fatal(format!(
            "Couldn't change to '{user}' uid={uid} gid={gid}: capabilities remain after the switch"
        )));
    }
    Ok(())
}

/// Empties the capability bounding set, as tcpdump does with libcap-ng,
/// so nothing this process might execute could regain a capability.
/// That takes CAP_SETPCAP; without it (a process given only some
/// capabilities) the set stays, and the uid switch still drops every
/// capability the process holds.
fn clear_bounding_set() {
    // Capabilities are numbered from 0 up to the kernel's last one, past
    // which PR_CAPBSET_DROP fails with EINVAL.
    for cap in 0..64 {
        // SAFETY: PR_CAPBSET_DROP takes a capability number, no pointers.
        if unsafe { libc::prctl(libc::PR_CAPBSET_DROP, cap, 0, 0, 0) } != 0 {
            break;
        }
    }
}

/// `struct __user_cap_header_struct` and `__user_cap_data_struct`, for
/// `capget`/`capset` with `_LINUX_CAPABILITY_VERSION_3` (two data structs:
/// capabilities 0–31 and 32–63).
#[repr(C)]
struct CapHeader {
    version: u32,
    pid: i32,
}

#[repr(C)]
#[derive(Clone, Copy, Default)]
struct CapData {
    effective: u32,
    permitted: u32,
    inheritable: u32,
}

impl CapHeader {
    fn this_thread() -> CapHeader {
        CapHeader {
            version: 0x2008_0522,
            pid: 0,
        }
    }
}

/// Empties the permitted, effective, inheritable and ambient capability
/// sets (giving capabilities up is always allowed).
fn drop_capabilities() -> Result<(), Fatal> {
    let mut header = CapHeader::this_thread();
    let data = [CapData::default(); 2];
    // SAFETY: PR_CAP_AMBIENT_CLEAR_ALL takes no pointers; capset reads a
    // version-3 header and two data structs.
    let ok = unsafe {
        libc::prctl(
            libc::PR_CAP_AMBIENT,
            libc::PR_CAP_AMBIENT_CLEAR_ALL,
            0,
            0,
            0,
        ) == 0
            && libc::syscall(libc::SYS_capset, &mut header, data.as_ptr()) == 0
    };
    if !ok {
        return Err(Fatal(format!(
            "couldn't give up capabilities: {}",
            io::Error::last_os_error()
        )));
    }
    Ok(())
}

/// The permitted and effective capability sets (OR-ed) of this thread.
fn capabilities() -> Result<u64, Fatal> {
    let mut header = CapHeader::this_thread();
    let mut data = [CapData::default(); 2];
    // SAFETY: capget with a version-3 header fills two Data structs.
    if unsafe { libc::syscall(libc::SYS_capget, &mut header, data.as_mut_ptr()) } != 0 {
        return Err(Fatal(format!("capget: {}", io::Error::last_os_error())));
    }
    let set = |f: fn(&CapData) -> u32| u64::from(f(&data[0])) | (u64::from(f(&data[1])) << 32);
    Ok(set(|d| d.effective) | set(|d| d.permitted))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_user_changes_nothing() {
        assert!(drop(None).is_ok());
    }

    #[test]
    fn an_unknown_user_is_one_clear_error_for_root() {
        // SAFETY: geteuid has no preconditions.
        if unsafe { libc::geteuid() } != 0 {
            // Anyone else only gives up capabilities (it has none here).
            assert!(drop(Some("no-such-user-bpfcap")).is_ok());
            return;
        }
        // For root, nothing changes before the user is found.
        let Err(Fatal(msg)) = drop(Some("no-such-user-bpfcap")) else {
            panic!("switched to a user that does not exist");
        };
        assert_eq!(msg, "Couldn't find user 'no-such-user-bpfcap'");
    }

    #[test]
    fn capabilities_can_be_read() {
        // Root's test run holds some; anyone else's none: either way the
        // call works.
        let caps = capabilities().expect("capget");
        // SAFETY: geteuid has no preconditions.
        if unsafe { libc::geteuid() } != 0 {
            assert_eq!(caps, 0);
        }
    }
}
