//! Named sets of addresses, prefixes and ports, for `host @NAME`,
//! `src net @NAME`, `port @NAME` and the like.
//!
//! A [`Set`] is read from text (one IPv4 or IPv6 address, CIDR prefix or
//! port per line) and registered by name in a [`SetTable`], which reaches
//! the compiler through [`CompileOptions::sets`](crate::CompileOptions::sets).
//! The expression then tests membership instead of naming every member:
//!
//! * classic BPF (and the `-d` listings) has no maps, so each membership
//!   test becomes a balanced tree of comparisons over the set's sorted,
//!   merged ranges: about `log2(n)` comparisons per packet;
//! * eBPF socket filters and XDP programs look the value up in a BPF map
//!   ([`SetMap`]): a hash map for addresses and ports, an LPM trie when
//!   the addresses include shorter prefixes. The program stays the same
//!   size whatever the set holds, and the loader fills the map (and
//!   refills it when the set changes, without touching the program).

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::sync::Arc;

/// A set of IPv4 and IPv6 prefixes (addresses are full-length prefixes)
/// and ports, each kind sorted and without duplicates.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Set {
    v4: Vec<(u32, u8)>,
    v6: Vec<(u128, u8)>,
    ports: Vec<u16>,
}

/// A line of a set's text that is not an address, prefix or port.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetError {
    /// The line, counting from 1.
    pub line: usize,
    /// What is wrong with it.
    pub message: String,
}

impl fmt::Display for SetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.line, self.message)
    }
}

impl std::error::Error for SetError {}

/// Which kind of member a membership test looks for, and so which map
/// holds it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Family {
    /// IPv4 addresses and prefixes: 4-byte keys.
    V4,
    /// IPv6 addresses and prefixes: 16-byte keys.
    V6,
    /// Port numbers: 2-byte keys.
    Port,
}

impl Family {
    /// Bytes of a member in network byte order (the packet's).
    pub fn bytes(self) -> u32 {
        match self {
            Family::V4 => 4,
            Family::V6 => 16,
            Family::Port => 2,
        }
    }

    fn bits(self) -> u8 {
        (self.bytes() * 8) as u8
    }

    fn name(self) -> &'static str {
        match self {
            Family::V4 => "v4",
            Family::V6 => "v6",
            Family::Port => "port",
        }
    }
}

/// `BPF_MAP_TYPE_HASH`.
pub const MAP_TYPE_HASH: u32 = 1;
/// `BPF_MAP_TYPE_LPM_TRIE`.
pub const MAP_TYPE_LPM_TRIE: u32 = 11;
/// `BPF_F_NO_PREALLOC`: the kernel requires it of LPM tries; hash maps
/// get it too, so a map sized for [`MAP_CAPACITY`] costs only what it
/// holds.
pub const BPF_F_NO_PREALLOC: u32 = 1;
/// The most members of one kind a set's map holds (fixed when the map
/// is made, so a set can grow up to it while the program runs).
pub const MAP_CAPACITY: u32 = 1 << 20;

/// One map a program looks members up in: the members of one
/// [`Family`] of the set at `set` in the [`SetTable`].
///
/// Keys are the member's bytes in network order; an LPM trie's key is
/// preceded by the prefix length (a native-endian `u32`, as the kernel's
/// `struct bpf_lpm_trie_key` has it). Values are one byte, unused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SetMap {
    /// Index of the set in the [`SetTable`].
    pub set: usize,
    /// The kind of member.
    pub family: Family,
    /// An LPM trie (the set had prefixes shorter than an address when
    /// the program was compiled) rather than a hash map.
    pub lpm: bool,
}

impl SetMap {
    /// The membership test's code in the IR: the right-hand side of a
    /// [`CmpOp::In`](crate::ir::CmpOp::In) comparison.
    pub fn code(self) -> u32 {
        let fam = match self.family {
            Family::V4 => 0,
            Family::V6 => 1,
            Family::Port => 2,
        };
        ((self.set as u32) << 3) | (fam << 1) | u32::from(self.lpm)
    }

    /// The map a [`code`](SetMap::code) stands for.
    pub fn from_code(code: u32) -> Option<SetMap> {
        let family = match (code >> 1) & 3 {
            0 => Family::V4,
            1 => Family::V6,
            2 => Family::Port,
            _ => return None,
        };
        Some(SetMap {
            set: (code >> 3) as usize,
            family,
            lpm: code & 1 != 0,
        })
    }

    /// `BPF_MAP_TYPE_*`.
    pub fn map_type(self) -> u32 {
        if self.lpm {
            MAP_TYPE_LPM_TRIE
        } else {
            MAP_TYPE_HASH
        }
    }

    /// Key size in bytes.
    pub fn key_size(self) -> u32 {
        self.family.bytes() + if self.lpm { 4 } else { 0 }
    }

    /// Value size in bytes.
    pub const VALUE_SIZE: u32 = 1;

    /// `map_flags` at creation.
    pub fn flags(self) -> u32 {
        BPF_F_NO_PREALLOC
    }

    /// A short name for the map (a C identifier of at most 15
    /// characters, the kernel's limit): `s3_v4` for set 3's IPv4 members.
    pub fn name(self) -> String {
        format!("s{}_{}", self.set, self.family.name())
    }

    /// The keys of `set`'s members of this map's family, or why this map
    /// cannot hold them (a hash map cannot hold prefixes).
    pub fn keys(self, set: &Set) -> Result<Vec<Vec<u8>>, String> {
        let bits = self.family.bits();
        let members: Vec<(Vec<u8>, u8)> = match self.family {
            Family::V4 => set
                .v4
                .iter()
                .map(|&(a, l)| (a.to_be_bytes().to_vec(), l))
                .collect(),
            Family::V6 => set
                .v6
                .iter()
                .map(|&(a, l)| (a.to_be_bytes().to_vec(), l))
                .collect(),
            Family::Port => set
                .ports
                .iter()
                .map(|p| (p.to_be_bytes().to_vec(), 16))
                .collect(),
        };
        if members.len() > MAP_CAPACITY as usize {
            return Err(format!(
                "{} members, more than a map holds ({MAP_CAPACITY})",
                members.len()
            ));
        }
        members
            .into_iter()
            .map(|(bytes, len)| {
                if self.lpm {
                    let mut k = u32::from(len).to_ne_bytes().to_vec();
                    k.extend_from_slice(&bytes);
                    Ok(k)
                } else if len < bits {
                    Err(
                        "it now has prefixes, which its program (compiled for addresses \
                         only) cannot look up; restart to use them"
                            .to_string(),
                    )
                } else {
                    Ok(bytes)
                }
            })
            .collect()
    }
}

impl Set {
    /// Reads a set: one member per line (an IPv4 or IPv6 address, a CIDR
    /// prefix `ADDR/LEN`, or a port number 0–65535), with `#` starting a
    /// comment and blank lines ignored.
    pub fn parse(text: &str) -> Result<Set, SetError> {
        let mut set = Set::default();
        for (i, line) in text.lines().enumerate() {
            let entry = line.split('#').next().unwrap_or("").trim();
            if entry.is_empty() {
                continue;
            }
            set.add(entry).map_err(|message| SetError {
                line: i + 1,
                message,
            })?;
        }
        set.v4.sort_unstable();
        set.v4.dedup();
        set.v6.sort_unstable();
        set.v6.dedup();
        set.ports.sort_unstable();
        set.ports.dedup();
        Ok(set)
    }

    fn add(&mut self, entry: &str) -> Result<(), String> {
        if entry.bytes().all(|b| b.is_ascii_digit()) {
            return match entry.parse::<u16>() {
                Ok(p) => {
                    self.ports.push(p);
                    Ok(())
                }
                Err(_) => Err(format!("port {entry} is not in 0-65535")),
            };
        }
        let (addr, len) = match entry.split_once('/') {
            Some((a, l)) => (a, Some(l)),
            None => (entry, None),
        };
        let bad = || format!("'{entry}' is not an IPv4 or IPv6 address, prefix or port");
        let len = |max: u8| match len {
            None => Ok(max),
            Some(l) => match l.parse::<u8>() {
                Ok(n) if n <= max && l.bytes().all(|b| b.is_ascii_digit()) => Ok(n),
                _ => Err(format!("prefix length '{l}' is not in 0-{max}")),
            },
        };
        let host_bits = |len: u8| format!("'{entry}' has bits set beyond its /{len} prefix");
        if let Ok(a) = addr.parse::<Ipv4Addr>() {
            let (a, l) = (u32::from(a), len(32)?);
            if l < 32 && a << l != 0 {
                return Err(host_bits(l));
            }
            self.v4.push((a, l));
        } else if let Ok(a) = addr.parse::<Ipv6Addr>() {
            let (a, l) = (u128::from(a), len(128)?);
            if l < 128 && a << l != 0 {
                return Err(host_bits(l));
            }
            self.v6.push((a, l));
        } else {
            return Err(bad());
        }
        Ok(())
    }

    /// The IPv4 prefixes (address, length), sorted.
    pub fn v4(&self) -> &[(u32, u8)] {
        &self.v4
    }

    /// The IPv6 prefixes (address, length), sorted.
    pub fn v6(&self) -> &[(u128, u8)] {
        &self.v6
    }

    /// The ports, sorted.
    pub fn ports(&self) -> &[u16] {
        &self.ports
    }

    /// Whether the set has prefixes shorter than an address of `family`
    /// (so its map must be an LPM trie).
    pub fn has_prefixes(&self, family: Family) -> bool {
        match family {
            Family::V4 => self.v4.iter().any(|&(_, l)| l < 32),
            Family::V6 => self.v6.iter().any(|&(_, l)| l < 128),
            Family::Port => false,
        }
    }

    /// The members of `family` as sorted, disjoint, non-adjacent ranges
    /// of values (`[lo, hi]`, inclusive): what a comparison tree tests.
    pub fn ranges(&self, family: Family) -> Vec<(u128, u128)> {
        let bits = u32::from(family.bits());
        let span = |a: u128, l: u8| {
            let host = bits - u32::from(l);
            let ones = if host == 0 {
                0
            } else {
                u128::MAX >> (128 - host)
            };
            (a, a | ones)
        };
        let mut ranges: Vec<(u128, u128)> = match family {
            Family::V4 => self
                .v4
                .iter()
                .map(|&(a, l)| span(u128::from(a), l))
                .collect(),
            Family::V6 => self.v6.iter().map(|&(a, l)| span(a, l)).collect(),
            Family::Port => self
                .ports
                .iter()
                .map(|&p| (u128::from(p), u128::from(p)))
                .collect(),
        };
        ranges.sort_unstable();
        let mut merged: Vec<(u128, u128)> = Vec::with_capacity(ranges.len());
        for (lo, hi) in ranges {
            match merged.last_mut() {
                Some(last) if lo <= last.1.saturating_add(1) => last.1 = last.1.max(hi),
                _ => merged.push((lo, hi)),
            }
        }
        merged
    }
}

/// The sets an expression may name, by name (without the `@`).
///
/// The default table is empty: an expression naming a set is an error.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SetTable {
    sets: Vec<(String, Arc<Set>)>,
}

impl SetTable {
    /// An empty table.
    pub fn new() -> SetTable {
        SetTable::default()
    }

    /// Adds the set `name`, or replaces the set of that name (keeping its
    /// index, so programs compiled before refer to the new contents).
    pub fn insert(&mut self, name: impl Into<String>, set: Set) {
        let name = name.into();
        match self.sets.iter_mut().find(|(n, _)| *n == name) {
            Some(entry) => entry.1 = Arc::new(set),
            None => self.sets.push((name, Arc::new(set))),
        }
    }

    /// The set called `name` and its index.
    pub fn get(&self, name: &str) -> Option<(usize, &Set)> {
        self.sets
            .iter()
            .enumerate()
            .find(|(_, (n, _))| n == name)
            .map(|(i, (_, s))| (i, &**s))
    }

    /// The set at `index`.
    pub fn at(&self, index: usize) -> Option<&Set> {
        self.sets.get(index).map(|(_, s)| &**s)
    }

    /// The sets' names, in index order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.sets.iter().map(|(n, _)| n.as_str())
    }

    /// Whether the table has no sets.
    pub fn is_empty(&self) -> bool {
        self.sets.is_empty()
    }
}

/// The words a membership test of `family` reads, from the test's
/// left-hand side: the value itself, or for IPv6 the four 4-byte loads
/// of the address whose first word it loads (`None` if it does not).
pub(crate) fn member_words(family: Family, lhs: &crate::ir::Val) -> Option<Vec<crate::ir::Val>> {
    use crate::ir::Val;
    match (family, lhs) {
        (
            Family::V6,
            Val::Load {
                size: 4,
                off,
                index,
            },
        ) => Some(
            (0..4)
                .map(|i| Val::Load {
                    size: 4,
                    off: off + 4 * i,
                    index: index.clone(),
                })
                .collect(),
        ),
        (Family::V6, _) => None,
        _ => Some(vec![lhs.clone()]),
    }
}

/// Whether `name` can name a set: a letter or `_`, then letters, digits
/// and `_`.
pub fn is_set_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c == '_' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_addresses_prefixes_ports_and_comments() {
        let s = Set::parse(
            "# blocklist\n10.0.0.1\n\n10.1.0.0/16  # a net\n2001:db8::1\n2001:db8:1::/48\n53\n10.0.0.1\n",
        )
        .unwrap();
        assert_eq!(s.v4(), &[(0x0a00_0001, 32), (0x0a01_0000, 16)]);
        assert_eq!(s.v6().len(), 2);
        assert_eq!(s.ports(), &[53]);
        assert!(s.has_prefixes(Family::V4) && s.has_prefixes(Family::V6));
    }

    #[test]
    fn bad_lines_say_where_and_why() {
        let e = |t: &str| Set::parse(t).unwrap_err().to_string();
        assert_eq!(
            e("1.2.3.4\nfoo\n"),
            "2: 'foo' is not an IPv4 or IPv6 address, prefix or port"
        );
        assert_eq!(e("70000"), "1: port 70000 is not in 0-65535");
        assert_eq!(e("\n\n10.0.0.0/33"), "3: prefix length '33' is not in 0-32");
        assert_eq!(
            e("10.0.0.1/8"),
            "1: '10.0.0.1/8' has bits set beyond its /8 prefix"
        );
        assert_eq!(e("::/129"), "1: prefix length '129' is not in 0-128");
    }

    #[test]
    fn ranges_merge_overlapping_and_adjacent_members() {
        let s = Set::parse("10.0.0.0/24\n10.0.1.0/24\n10.0.0.7\n10.0.3.1\n0.0.0.0/0").unwrap();
        assert_eq!(s.ranges(Family::V4), vec![(0, 0xffff_ffff)]);
        let s = Set::parse("10.0.0.0/24\n10.0.1.0/24\n10.0.0.7\n10.0.3.1").unwrap();
        assert_eq!(
            s.ranges(Family::V4),
            vec![(0x0a00_0000, 0x0a00_01ff), (0x0a00_0301, 0x0a00_0301)]
        );
        let s = Set::parse("::/0").unwrap();
        assert_eq!(s.ranges(Family::V6), vec![(0, u128::MAX)]);
    }

    #[test]
    fn map_codes_round_trip_and_keys_follow_the_layout() {
        for set in [0, 1, 700] {
            for family in [Family::V4, Family::V6, Family::Port] {
                for lpm in [false, true] {
                    let m = SetMap { set, family, lpm };
                    assert_eq!(SetMap::from_code(m.code()), Some(m));
                }
            }
        }
        let s = Set::parse("10.0.0.1\n10.2.0.0/16").unwrap();
        let lpm = SetMap {
            set: 0,
            family: Family::V4,
            lpm: true,
        };
        let keys = lpm.keys(&s).unwrap();
        assert_eq!(keys[1][..4], 16u32.to_ne_bytes());
        assert_eq!(keys[1][4..], [10, 2, 0, 0]);
        let hash = SetMap { lpm: false, ..lpm };
        assert!(hash.keys(&s).unwrap_err().contains("prefixes"));
        let p = SetMap {
            family: Family::Port,
            ..hash
        };
        assert_eq!(
            p.keys(&Set::parse("80").unwrap()).unwrap(),
            vec![vec![0, 80]]
        );
    }

    #[test]
    fn replacing_a_set_keeps_its_index() {
        let mut t = SetTable::new();
        t.insert("a", Set::parse("1.1.1.1").unwrap());
        t.insert("b", Set::parse("80").unwrap());
        t.insert("a", Set::parse("2.2.2.2").unwrap());
        assert_eq!(t.get("a").unwrap().0, 0);
        assert_eq!(t.at(0).unwrap().v4(), &[(0x0202_0202, 32)]);
        assert_eq!(t.names().collect::<Vec<_>>(), ["a", "b"]);
        assert!(is_set_name("bad_hosts2") && !is_set_name("2x") && !is_set_name("a-b"));
    }
}
