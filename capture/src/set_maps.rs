//! The BPF maps behind a filter's sets (`host @NAME`): created (or taken
//! from a loader that created them), filled from a
//! [`SetTable`], and refilled in place when the sets change, while the
//! program that looks them up stays attached.

use std::collections::HashSet;
use std::fmt;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};

use bpfcap_filter::sets::{MAP_CAPACITY, SetMap, SetTable};

use crate::bpf;

/// The maps of one program's sets, in the order of its
/// [`set_maps`](bpfcap_filter::ebpf::Program::set_maps).
#[derive(Debug, Default)]
pub struct SetMaps {
    maps: Vec<(SetMap, OwnedFd)>,
}

/// Why a set's map could not be made or filled.
#[derive(Debug)]
pub struct SetMapError(String);

impl fmt::Display for SetMapError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SetMapError {}

impl SetMapError {
    /// Sets that cannot change where they are, and why.
    pub fn unchanged(why: &str) -> SetMapError {
        SetMapError(why.to_string())
    }
}

/// The value stored for every member (the programs only test presence).
const PRESENT: [u8; SetMap::VALUE_SIZE as usize] = [1];

impl SetMaps {
    /// Creates the maps `maps` and fills them from `sets`.
    pub fn create(maps: &[SetMap], sets: &SetTable) -> Result<SetMaps, SetMapError> {
        let made = maps
            .iter()
            .map(|m| {
                bpf::map_create(
                    m.map_type(),
                    m.key_size(),
                    SetMap::VALUE_SIZE,
                    MAP_CAPACITY,
                    m.flags(),
                    &m.name(),
                )
                .map(|fd| (*m, fd))
                .map_err(|e| SetMapError(format!("cannot create the map {}: {e}", m.name())))
            })
            .collect::<Result<Vec<_>, _>>()?;
        SetMaps::adopt(made, sets)
    }

    /// Takes maps a loader created (empty) and fills them from `sets`.
    pub fn adopt(maps: Vec<(SetMap, OwnedFd)>, sets: &SetTable) -> Result<SetMaps, SetMapError> {
        let maps = SetMaps { maps };
        maps.fill(sets, false)?;
        Ok(maps)
    }

    /// The maps' descriptors, in order (for [`bpf::load_with_maps`]).
    pub fn fds(&self) -> Vec<BorrowedFd<'_>> {
        self.maps.iter().map(|(_, fd)| fd.as_fd()).collect()
    }

    /// Whether there are no maps (the filter names no set).
    pub fn is_empty(&self) -> bool {
        self.maps.is_empty()
    }

    /// Makes each map hold exactly its set's members in `sets` (the
    /// new members first, then the old ones removed, so members in both
    /// stay found throughout). Nothing changes when a set no longer fits
    /// its map (too many members, or prefixes where the program was
    /// compiled for addresses only).
    pub fn update(&self, sets: &SetTable) -> Result<(), SetMapError> {
        self.fill(sets, true)
    }

    /// [`SetMaps::update`]; `stale`: the maps may hold members to remove
    /// (not when they were just created).
    fn fill(&self, sets: &SetTable, stale: bool) -> Result<(), SetMapError> {
        let names: Vec<&str> = sets.names().collect();
        let mut wanted = Vec::with_capacity(self.maps.len());
        for (m, _) in &self.maps {
            let name = names.get(m.set).copied().unwrap_or("?");
            let set = sets
                .at(m.set)
                .ok_or_else(|| SetMapError(format!("no set @{name}")))?;
            let keys = m
                .keys(set)
                .map_err(|e| SetMapError(format!("set @{name}: {e}")))?;
            wanted.push((name, keys));
        }
        for ((m, fd), (name, keys)) in self.maps.iter().zip(&wanted) {
            let fail = |what: &str, e: std::io::Error| {
                SetMapError(format!("set @{name}: cannot {what} map {}: {e}", m.name()))
            };
            for key in keys {
                bpf::map_update(fd.as_fd(), key, &PRESENT).map_err(|e| fail("fill", e))?;
            }
            if !stale {
                continue;
            }
            let keep: HashSet<&[u8]> = keys.iter().map(Vec::as_slice).collect();
            let old =
                bpf::map_keys(fd.as_fd(), m.key_size() as usize).map_err(|e| fail("read", e))?;
            for key in old.iter().filter(|k| !keep.contains(k.as_slice())) {
                bpf::map_delete(fd.as_fd(), key).map_err(|e| fail("empty", e))?;
            }
        }
        Ok(())
    }

    /// How many members the map of `map` holds now.
    pub fn len_of(&self, map: SetMap) -> std::io::Result<usize> {
        match self.maps.iter().find(|(m, _)| *m == map) {
            Some((m, fd)) => Ok(bpf::map_keys(fd.as_fd(), m.key_size() as usize)?.len()),
            None => Ok(0),
        }
    }
}
