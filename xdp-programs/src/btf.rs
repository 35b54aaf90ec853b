//! Hand-written BTF for BTF-defined `.maps`, encoded the way clang/libbpf do.
//!
//! libbpf 1.0+ rejects the legacy `maps` section, so a map has to be described in
//! `.BTF` as the C declaration
//!
//! ```c
//! struct { int (*type)[T]; int (*key_size)[K]; int (*value_size)[V]; int (*max_entries)[N]; } name SEC(".maps");
//! ```
//!
//! i.e. every numeric attribute is the element count of an `int` array that a
//! member points to. Only the types needed for that are emitted: one `INT int`,
//! one `INT __ARRAY_SIZE_TYPE__`, an `ARRAY` + `PTR` per distinct number, a
//! `STRUCT` per map, a global `VAR` per map and a `DATASEC ".maps"`. Neither
//! aya nor libbpf need `.BTF.ext` or `FUNC` records to load the object.

use std::collections::HashMap;

use crate::MapDef;

const BTF_MAGIC: u16 = 0xEB9F;
const BTF_VERSION: u8 = 1;
const BTF_HDR_LEN: u32 = 24;

const BTF_KIND_INT: u32 = 1;
const BTF_KIND_PTR: u32 = 2;
const BTF_KIND_ARRAY: u32 = 3;
const BTF_KIND_STRUCT: u32 = 4;
const BTF_KIND_VAR: u32 = 14;
const BTF_KIND_DATASEC: u32 = 15;

const BTF_INT_SIGNED: u32 = 1;
const BTF_VAR_GLOBAL_ALLOCATED: u32 = 1;

/// Each `.maps` struct member is a pointer: 8 bytes in the section.
const MEMBER_SIZE: u32 = 8;

/// The `.BTF` section bytes plus where each map lives in `.maps`.
pub(crate) struct MapsBtf {
    /// Contents of the `.BTF` section.
    pub(crate) btf: Vec<u8>,
    /// Per map (same order as the input): size of its definition in `.maps`,
    /// which is also its symbol's `st_size`. Definitions are laid out back to
    /// back starting at offset 0.
    pub(crate) sizes: Vec<u32>,
}

/// The members a map definition has, in declaration order.
///
/// `type` is always present. `key_size`, `value_size` and `max_entries` are
/// left out when 0, as a C definition of a ring buffer (no key/value) or a
/// perf event array (`max_entries` filled in by the loader) would do; both
/// aya and libbpf treat a missing member as 0.
pub(crate) fn map_members(map: &MapDef) -> Vec<(&'static str, u32)> {
    let mut members = vec![("type", map.map_type)];
    for (name, value) in [
        ("key_size", map.key_size),
        ("value_size", map.value_size),
        ("max_entries", map.max_entries),
    ] {
        if value != 0 {
            members.push((name, value));
        }
    }
    members
}

struct Builder {
    types: Vec<u8>,
    strings: Vec<u8>,
    string_offsets: HashMap<String, u32>,
    /// Id the next added type gets (id 0 is `void`).
    next_id: u32,
    int_id: u32,
    array_index_id: u32,
    /// `int (*)[n]` pointer type ids, by `n`.
    dim_ptrs: HashMap<u32, u32>,
}

impl Builder {
    fn new() -> Self {
        let mut b = Builder {
            types: Vec::new(),
            // The string table starts with the empty string (name offset 0).
            strings: vec![0],
            string_offsets: HashMap::new(),
            next_id: 1,
            int_id: 0,
            array_index_id: 0,
            dim_ptrs: HashMap::new(),
        };
        b.int_id = b.int("int", 4, BTF_INT_SIGNED);
        b.array_index_id = b.int("__ARRAY_SIZE_TYPE__", 4, 0);
        b
    }

    fn string(&mut self, s: &str) -> u32 {
        if s.is_empty() {
            return 0;
        }
        if let Some(&off) = self.string_offsets.get(s) {
            return off;
        }
        let off = self.strings.len() as u32;
        self.strings.extend_from_slice(s.as_bytes());
        self.strings.push(0);
        self.string_offsets.insert(s.to_owned(), off);
        off
    }

    fn u32(&mut self, v: u32) {
        self.types.extend_from_slice(&v.to_le_bytes());
    }

    /// Writes a `struct btf_type` header and returns the new type's id.
    fn header(&mut self, name: &str, kind: u32, vlen: u32, size_or_type: u32) -> u32 {
        let name_off = self.string(name);
        self.u32(name_off);
        self.u32((kind << 24) | (vlen & 0xffff));
        self.u32(size_or_type);
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    fn int(&mut self, name: &str, size: u32, encoding: u32) -> u32 {
        let id = self.header(name, BTF_KIND_INT, 0, size);
        // encoding << 24 | bit offset << 16 | nr_bits
        self.u32((encoding << 24) | (size * 8));
        id
    }

    /// `int (*)[n]`: how a libbpf map attribute encodes the number `n`.
    fn dim_ptr(&mut self, n: u32) -> u32 {
        if let Some(&id) = self.dim_ptrs.get(&n) {
            return id;
        }
        let array = self.header("", BTF_KIND_ARRAY, 0, 0);
        let (elem, index) = (self.int_id, self.array_index_id);
        self.u32(elem);
        self.u32(index);
        self.u32(n);
        let ptr = self.header("", BTF_KIND_PTR, 0, array);
        self.dim_ptrs.insert(n, ptr);
        ptr
    }

    fn finish(self) -> Vec<u8> {
        let mut out =
            Vec::with_capacity(BTF_HDR_LEN as usize + self.types.len() + self.strings.len());
        out.extend_from_slice(&BTF_MAGIC.to_le_bytes());
        out.push(BTF_VERSION);
        out.push(0); // flags
        out.extend_from_slice(&BTF_HDR_LEN.to_le_bytes());
        out.extend_from_slice(&0u32.to_le_bytes()); // type_off
        out.extend_from_slice(&(self.types.len() as u32).to_le_bytes()); // type_len
        out.extend_from_slice(&(self.types.len() as u32).to_le_bytes()); // str_off
        out.extend_from_slice(&(self.strings.len() as u32).to_le_bytes()); // str_len
        out.extend_from_slice(&self.types);
        out.extend_from_slice(&self.strings);
        out
    }
}

/// Builds the `.BTF` section describing `maps` as one `DATASEC ".maps"`.
///
/// Map names must already be valid C identifiers: the kernel's BTF checker
/// rejects other `VAR` names.
pub(crate) fn maps_btf(maps: &[MapDef]) -> MapsBtf {
    let mut b = Builder::new();
    let mut vars = Vec::with_capacity(maps.len());
    let mut sizes = Vec::with_capacity(maps.len());
    for map in maps {
        let members = map_members(map);
        let ptrs: Vec<u32> = members.iter().map(|&(_, v)| b.dim_ptr(v)).collect();
        let size = MEMBER_SIZE * members.len() as u32;
        let strukt = b.header("", BTF_KIND_STRUCT, members.len() as u32, size);
        for (i, (&(name, _), ptr)) in members.iter().zip(ptrs).enumerate() {
            let name_off = b.string(name);
            b.u32(name_off);
            b.u32(ptr);
            b.u32(i as u32 * MEMBER_SIZE * 8); // bit offset
        }
        let var = b.header(&map.name, BTF_KIND_VAR, 0, strukt);
        b.u32(BTF_VAR_GLOBAL_ALLOCATED);
        vars.push((var, size));
        sizes.push(size);
    }
    let total: u32 = sizes.iter().sum();
    b.header(".maps", BTF_KIND_DATASEC, vars.len() as u32, total);
    let mut offset = 0;
    for (var, size) in vars {
        b.u32(var);
        b.u32(offset);
        b.u32(size);
        offset += size;
    }
    MapsBtf {
        btf: b.finish(),
        sizes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_u32(b: &[u8], off: usize) -> u32 {
        u32::from_le_bytes(b[off..off + 4].try_into().unwrap())
    }

    #[test]
    fn header_and_layout() {
        let maps = [
            MapDef {
                name: "counters".into(),
                map_type: 2,
                key_size: 4,
                value_size: 8,
                max_entries: 2,
            },
            MapDef {
                name: "events".into(),
                map_type: 27,
                key_size: 0,
                value_size: 0,
                max_entries: 4096,
            },
        ];
        let out = maps_btf(&maps);
        assert_eq!(out.sizes, vec![32, 16]);
        let b = &out.btf;
        assert_eq!(&b[0..4], &[0x9f, 0xeb, 1, 0]);
        assert_eq!(read_u32(b, 4), 24);
        let type_len = read_u32(b, 12) as usize;
        let str_off = read_u32(b, 16) as usize;
        let str_len = read_u32(b, 20) as usize;
        assert_eq!(str_off, type_len);
        assert_eq!(b.len(), 24 + type_len + str_len);
        let strings = &b[24 + str_off..];
        assert_eq!(strings[0], 0);
        assert!(strings.windows(9).any(|w| w == b"counters\0"));
        // INT int, INT __ARRAY_SIZE_TYPE__, (ARRAY+PTR) x {2,4,8}, STRUCT, VAR,
        // (ARRAY+PTR) x {27,4096}, STRUCT, VAR, DATASEC
        let expected = 2 * 16
            + 3 * (24 + 12)
            + (12 + 4 * 12)
            + 16
            + 2 * (24 + 12)
            + (12 + 2 * 12)
            + 16
            + (12 + 2 * 12);
        assert_eq!(type_len, expected);
    }

    #[test]
    fn ringbuf_omits_key_and_value() {
        let m = MapDef {
            name: "rb".into(),
            map_type: 27,
            key_size: 0,
            value_size: 0,
            max_entries: 4096,
        };
        assert_eq!(map_members(&m), vec![("type", 27), ("max_entries", 4096)]);
    }
}
