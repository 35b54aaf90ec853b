//! The capture files this process is reading, so that none of its writers
//! truncates one.
//!
//! `bpfcap -r f.pcap -w f.pcap` (or a `-C` name, a symlink or a hard link
//! that lands on the input) would otherwise empty the file being read:
//! the input is lost, and a memory-mapped reader faults on the vanished
//! pages. A [`Reader`](super::Reader) registers the identity (device and
//! inode) of the file it reads for as long as it lives, and
//! [`Writer::create`](super::Writer::create) opens its file without
//! truncating, compares identities, and only then truncates.

use std::fs::File;
use std::io;
use std::os::unix::fs::MetadataExt;
use std::sync::Mutex;

/// A file's identity: device and inode.
type FileId = (u64, u64);

/// Inputs being read, once per open reader (a file read twice at once is
/// listed twice).
static READING: Mutex<Vec<FileId>> = Mutex::new(Vec::new());

fn identity(file: &File) -> Option<FileId> {
    let meta = file.metadata().ok()?;
    meta.is_file().then(|| (meta.dev(), meta.ino()))
}

fn reading() -> std::sync::MutexGuard<'static, Vec<FileId>> {
    // A panic elsewhere while the lock was held leaves a valid list.
    READING.lock().unwrap_or_else(|e| e.into_inner())
}

/// Marks a regular file as being read until the guard is dropped.
pub(crate) struct Reading(FileId);

impl Reading {
    /// `None` for what is not a regular file (a pipe, a terminal): those
    /// have no contents a writer could truncate.
    pub(crate) fn register(file: &File) -> Option<Reading> {
        let id = identity(file)?;
        reading().push(id);
        Some(Reading(id))
    }
}

impl Drop for Reading {
    fn drop(&mut self) {
        let mut list = reading();
        if let Some(i) = list.iter().position(|&id| id == self.0) {
            list.swap_remove(i);
        }
    }
}

/// Refuses to write `file` if this process is reading it.
pub(crate) fn refuse_if_read(file: &File) -> io::Result<()> {
    match identity(file) {
        Some(id) if reading().contains(&id) => Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "this is the file being read; refusing to overwrite it",
        )),
        _ => Ok(()),
    }
}
