//! Hand-written BTF for an object's maps and programs, encoded the way
//! clang/libbpf do, plus the `.BTF.ext` function info that goes with it.
//!
//! libbpf 1.0+ rejects the legacy `maps` section, so a map has to be described in
//! `.BTF` as the C declaration
//!
//! ```c
//! struct { int (*type)[T]; __u32 *key; __u64 *value; int (*max_entries)[N]; } name SEC(".maps");
//! ```
//!
//! i.e. every numeric attribute is the element count of an `int` array that a
//! member points to, and the key and value are pointers to their types (what
//! `__type(key, __u32)` declares), so `bpftool map dump` prints numbers
//! instead of hex bytes.
//!
//! Each program gets a `FUNC` record, `int name(struct xdp_md *ctx)` (or
//! `struct __sk_buff *` for socket filters and classifiers), and a `.BTF.ext`
//! `func_info` entry pointing at its first instruction. aya and libbpf load
//! an object without them, but the kernel only keeps a program's BTF when it
//! gets func info, and an extension program (libxdp's multi-program
//! dispatcher attaches XDP programs as `freplace` of its `prog0` stub) is
//! checked against its target by exactly that `FUNC` signature, with the
//! context struct matched by name.

use std::collections::HashMap;

use crate::{MapDef, ProgramDef};

const BTF_MAGIC: u16 = 0xEB9F;
const BTF_VERSION: u8 = 1;
const BTF_HDR_LEN: u32 = 24;
/// `struct btf_ext_header` up to `line_info_len`: no CO-RE relocations.
const BTF_EXT_HDR_LEN: u32 = 24;

const BTF_KIND_INT: u32 = 1;
const BTF_KIND_PTR: u32 = 2;
const BTF_KIND_ARRAY: u32 = 3;
const BTF_KIND_STRUCT: u32 = 4;
const BTF_KIND_FWD: u32 = 7;
const BTF_KIND_TYPEDEF: u32 = 8;
const BTF_KIND_FUNC: u32 = 12;
const BTF_KIND_FUNC_PROTO: u32 = 13;
const BTF_KIND_VAR: u32 = 14;
const BTF_KIND_DATASEC: u32 = 15;

const BTF_INT_SIGNED: u32 = 1;
const BTF_VAR_GLOBAL_ALLOCATED: u32 = 1;
const BTF_FUNC_GLOBAL: u32 = 1;

/// Each `.maps` struct member is a pointer: 8 bytes in the section.
const MEMBER_SIZE: u32 = 8;
/// Size of one `struct bpf_func_info` (`insn_off`, `type_id`).
const FUNC_INFO_SIZE: u32 = 8;
/// Size of one `struct bpf_line_info`.
const LINE_INFO_SIZE: u32 = 16;

/// `struct xdp_md` from `<linux/bpf.h>`: all `__u32`. Spelt out in full
/// because the kernel matches an extension's context struct against its
/// target's by name *and* requires a real struct (not a forward
/// declaration) there.
const XDP_MD: [&str; 6] = [
    "data",
    "data_end",
    "data_meta",
    "ingress_ifindex",
    "rx_queue_index",
    "egress_ifindex",
];

/// The `.BTF` and `.BTF.ext` section bytes plus where each map lives in `.maps`.
pub(crate) struct ObjectBtf {
    /// Contents of the `.BTF` section.
    pub(crate) btf: Vec<u8>,
    /// Contents of the `.BTF.ext` section (empty when there are no programs).
    pub(crate) ext: Vec<u8>,
    /// Per map (same order as the input): size of its definition in `.maps`,
    /// which is also its symbol's `st_size`. Definitions are laid out back to
    /// back starting at offset 0.
    pub(crate) map_sizes: Vec<u32>,
}

/// A program and the byte offset of its first instruction in its section.
pub(crate) type PlacedProgram<'a> = (&'a ProgramDef, u64);

/// What a `.maps` struct member describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Member {
    /// A number, encoded as `int (*name)[n]`.
    Number(u32),
    /// A key or value of this many bytes, encoded as a pointer to its type.
    Sized(u32),
}

/// The members a map definition has, in declaration order.
///
/// `type` is always present. `key`, `value` and `max_entries` are left out
/// when 0, as a C definition of a ring buffer (no key/value) or a perf event
/// array (`max_entries` filled in by the loader) would do; both aya and
/// libbpf treat a missing member as 0. Keys and values are typed by their
/// size alone ([`Builder::sized_ptr`]): the objects' maps hold counters and
/// indices, and the loaders drop the types for map kinds that take none.
pub(crate) fn map_members(map: &MapDef) -> Vec<(&'static str, Member)> {
    let mut members = vec![("type", Member::Number(map.map_type))];
    // The kernel wants an LPM trie's key type, if it is given one, to be
    // a struct (`struct bpf_lpm_trie_key_u8`): its sizes go as numbers.
    let (key, value) = if map.map_type == crate::map_type::LPM_TRIE {
        (
            ("key_size", Member::Number(map.key_size)),
            ("value_size", Member::Number(map.value_size)),
        )
    } else {
        (
            ("key", Member::Sized(map.key_size)),
            ("value", Member::Sized(map.value_size)),
        )
    };
    for (name, member) in [
        key,
        value,
        ("max_entries", Member::Number(map.max_entries)),
        ("map_flags", Member::Number(map.map_flags)),
    ] {
        if !matches!(member, Member::Number(0) | Member::Sized(0)) {
            members.push((name, member));
        }
    }
    members
}

/// The type of a program's context argument, chosen by its section name the
/// way the loaders choose the program type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Context {
    /// `struct xdp_md *`: `xdp`, `xdp.frags`, ….
    Xdp,
    /// `struct __sk_buff *`: socket filters, classifiers and other skb programs.
    Skb,
    /// `void *`: anything else.
    Other,
}

impl Context {
    fn of(section: &str) -> Context {
        let kind = section.split(['/', '.']).next().unwrap_or_default();
        match kind {
            "xdp" => Context::Xdp,
            "socket" | "classifier" | "tc" | "action" | "cgroup_skb" | "sk_skb" => Context::Skb,
            _ => Context::Other,
        }
    }
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
    /// Pointers to key/value types, by size in bytes.
    sized_ptrs: HashMap<u32, u32>,
    /// `int (ctx *)` prototypes, by context type.
    protos: HashMap<Context, u32>,
    /// `__uN` typedef ids, by size in bytes.
    unsigned_ids: HashMap<u32, u32>,
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
            sized_ptrs: HashMap::new(),
            protos: HashMap::new(),
            unsigned_ids: HashMap::new(),
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

    /// The name and type words a `btf_member` or `btf_param` starts with.
    fn named(&mut self, name: &str, type_id: u32) {
        let name_off = self.string(name);
        self.u32(name_off);
        self.u32(type_id);
    }

    fn int(&mut self, name: &str, size: u32, encoding: u32) -> u32 {
        let id = self.header(name, BTF_KIND_INT, 0, size);
        // encoding << 24 | bit offset << 16 | nr_bits
        self.u32((encoding << 24) | (size * 8));
        id
    }

    fn array(&mut self, elem: u32, n: u32) -> u32 {
        let array = self.header("", BTF_KIND_ARRAY, 0, 0);
        let index = self.array_index_id;
        self.u32(elem);
        self.u32(index);
        self.u32(n);
        array
    }

    /// `int (*)[n]`: how a libbpf map attribute encodes the number `n`.
    fn dim_ptr(&mut self, n: u32) -> u32 {
        if let Some(&id) = self.dim_ptrs.get(&n) {
            return id;
        }
        let array = self.array(self.int_id, n);
        let ptr = self.header("", BTF_KIND_PTR, 0, array);
        self.dim_ptrs.insert(n, ptr);
        ptr
    }

    /// The unsigned integer typedef `__uN` of `size` bytes (1, 2, 4 or 8), as
    /// `<linux/types.h>` declares it.
    fn unsigned(&mut self, size: u32) -> Option<u32> {
        let (typedef, base) = match size {
            1 => ("__u8", "unsigned char"),
            2 => ("__u16", "unsigned short"),
            4 => ("__u32", "unsigned int"),
            8 => ("__u64", "unsigned long long"),
            _ => return None,
        };
        if let Some(&id) = self.unsigned_ids.get(&size) {
            return Some(id);
        }
        let int = self.int(base, size, 0);
        let id = self.header(typedef, BTF_KIND_TYPEDEF, 0, int);
        self.unsigned_ids.insert(size, id);
        Some(id)
    }

    /// A pointer to the type of a `size`-byte key or value: an unsigned
    /// integer where there is one that size, else `__u8[size]`.
    fn sized_ptr(&mut self, size: u32) -> u32 {
        if let Some(&id) = self.sized_ptrs.get(&size) {
            return id;
        }
        let pointee = match self.unsigned(size) {
            Some(id) => id,
            None => {
                let byte = self.unsigned(1).unwrap_or_default();
                self.array(byte, size)
            }
        };
        let ptr = self.header("", BTF_KIND_PTR, 0, pointee);
        self.sized_ptrs.insert(size, ptr);
        ptr
    }

    fn member_ptr(&mut self, member: Member) -> u32 {
        match member {
            Member::Number(n) => self.dim_ptr(n),
            Member::Sized(size) => self.sized_ptr(size),
        }
    }

    /// A map's anonymous definition struct, its `VAR`, and its size in `.maps`.
    fn map(&mut self, map: &MapDef) -> (u32, u32) {
        let members = map_members(map);
        let ptrs: Vec<u32> = members.iter().map(|&(_, m)| self.member_ptr(m)).collect();
        let size = MEMBER_SIZE * members.len() as u32;
        let strukt = self.header("", BTF_KIND_STRUCT, members.len() as u32, size);
        for (i, (&(name, _), ptr)) in members.iter().zip(ptrs).enumerate() {
            self.named(name, ptr);
            self.u32(i as u32 * MEMBER_SIZE * 8); // bit offset
        }
        let var = self.header(&map.name, BTF_KIND_VAR, 0, strukt);
        self.u32(BTF_VAR_GLOBAL_ALLOCATED);
        (var, size)
    }

    /// `DATASEC ".maps"` over `vars` (`(VAR id, size)`), back to back.
    fn maps_datasec(&mut self, vars: &[(u32, u32)]) {
        let total = vars.iter().map(|&(_, size)| size).sum();
        self.header(".maps", BTF_KIND_DATASEC, vars.len() as u32, total);
        let mut offset = 0;
        for &(var, size) in vars {
            self.u32(var);
            self.u32(offset);
            self.u32(size);
            offset += size;
        }
    }

    /// The pointer type of a program's context argument.
    fn context_ptr(&mut self, context: Context) -> u32 {
        let pointee = match context {
            Context::Xdp => {
                let u32_id = self.unsigned(4).unwrap_or_default();
                let id = self.header("xdp_md", BTF_KIND_STRUCT, XDP_MD.len() as u32, 24);
                for (i, name) in XDP_MD.iter().enumerate() {
                    self.named(name, u32_id);
                    self.u32(i as u32 * 32); // bit offset
                }
                id
            }
            // A forward declaration is enough where nothing matches on the
            // struct's members, and `struct __sk_buff` has 40 of them.
            Context::Skb => self.header("__sk_buff", BTF_KIND_FWD, 0, 0),
            Context::Other => 0,
        };
        self.header("", BTF_KIND_PTR, 0, pointee)
    }

    /// `int name(ctx_type *ctx)` as a global `FUNC`; returns its id.
    fn func(&mut self, name: &str, context: Context) -> u32 {
        let proto = match self.protos.get(&context) {
            Some(&id) => id,
            None => {
                let ctx = self.context_ptr(context);
                let id = self.header("", BTF_KIND_FUNC_PROTO, 1, self.int_id);
                self.named("ctx", ctx);
                self.protos.insert(context, id);
                id
            }
        };
        self.header(name, BTF_KIND_FUNC, BTF_FUNC_GLOBAL, proto)
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

/// One `.BTF.ext` info block (`func_info` or `line_info`): the record size,
/// then per section its name (a `.BTF` string offset), record count and
/// records. `records` are `(section name offset, record words)` in section
/// order, a section's records contiguous.
fn ext_info(rec_size: u32, records: &[(u32, Vec<u32>)]) -> Vec<u8> {
    let mut out = rec_size.to_le_bytes().to_vec();
    let mut rest = records;
    while let Some(&(section, _)) = rest.first() {
        let n = rest.iter().take_while(|(s, _)| *s == section).count();
        out.extend_from_slice(&section.to_le_bytes());
        out.extend_from_slice(&(n as u32).to_le_bytes());
        for (_, words) in &rest[..n] {
            for w in words {
                out.extend_from_slice(&w.to_le_bytes());
            }
        }
        rest = &rest[n..];
    }
    out
}

/// The `.BTF.ext` section: a `func_info` and a `line_info` record at each
/// program's first instruction (`insn_off` in bytes, as in ELF files).
///
/// The line info is empty (file and line text are the empty string, line
/// 0); it is there because libbpf warns about a main program without one.
fn btf_ext(func_records: &[(u32, Vec<u32>)], line_records: &[(u32, Vec<u32>)]) -> Vec<u8> {
    let func_info = ext_info(FUNC_INFO_SIZE, func_records);
    let line_info = ext_info(LINE_INFO_SIZE, line_records);
    let mut out = Vec::new();
    out.extend_from_slice(&BTF_MAGIC.to_le_bytes());
    out.push(BTF_VERSION);
    out.push(0); // flags
    for word in [
        BTF_EXT_HDR_LEN,
        0, // func_info_off
        func_info.len() as u32,
        func_info.len() as u32, // line_info_off
        line_info.len() as u32,
    ] {
        out.extend_from_slice(&word.to_le_bytes());
    }
    out.extend_from_slice(&func_info);
    out.extend_from_slice(&line_info);
    out
}

/// Builds the `.BTF` section describing `maps` as one `DATASEC ".maps"` and
/// each program as a `FUNC`, and the `.BTF.ext` pointing the programs at
/// their `FUNC`s.
///
/// `programs` must be grouped by section (each section's programs
/// contiguous, in offset order), as the ELF writer lays them out. Map and
/// program names must already be valid C identifiers: the kernel's BTF
/// checker rejects other names.
pub(crate) fn object_btf(programs: &[PlacedProgram<'_>], maps: &[MapDef]) -> ObjectBtf {
    let mut b = Builder::new();
    let (vars, map_sizes): (Vec<_>, Vec<_>) = maps
        .iter()
        .map(|map| {
            let (var, size) = b.map(map);
            ((var, size), size)
        })
        .unzip();
    if !vars.is_empty() {
        b.maps_datasec(&vars);
    }
    let mut funcs = Vec::with_capacity(programs.len());
    let mut lines = Vec::with_capacity(programs.len());
    for &(prog, offset) in programs {
        let func = b.func(&prog.name, Context::of(&prog.section));
        let section = b.string(&prog.section);
        funcs.push((section, vec![offset as u32, func]));
        lines.push((section, vec![offset as u32, 0, 0, 0]));
    }
    let ext = if programs.is_empty() {
        Vec::new()
    } else {
        btf_ext(&funcs, &lines)
    };
    ObjectBtf {
        btf: b.finish(),
        ext,
        map_sizes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_u32(b: &[u8], off: usize) -> u32 {
        u32::from_le_bytes(b[off..off + 4].try_into().unwrap())
    }

    fn maps() -> [MapDef; 2] {
        [
            MapDef {
                name: "counters".into(),
                map_type: 2,
                key_size: 4,
                value_size: 8,
                max_entries: 2,
                map_flags: 0,
            },
            MapDef {
                name: "events".into(),
                map_type: 27,
                key_size: 0,
                value_size: 0,
                max_entries: 4096,
                map_flags: 0,
            },
        ]
    }

    fn program(section: &str, name: &str) -> ProgramDef {
        ProgramDef {
            section: section.into(),
            name: name.into(),
            insns: vec![0; 16],
            map_refs: Vec::new(),
        }
    }

    /// The string at `off` in the `.BTF` string table.
    fn string_at(btf: &[u8], off: u32) -> &str {
        let start = 24 + read_u32(btf, 16) as usize + off as usize;
        let len = btf[start..].iter().position(|&c| c == 0).unwrap();
        std::str::from_utf8(&btf[start..start + len]).unwrap()
    }

    #[test]
    fn header_and_layout() {
        let out = object_btf(&[], &maps());
        assert_eq!(out.map_sizes, vec![32, 16]);
        assert!(out.ext.is_empty());
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
        // INT int, INT __ARRAY_SIZE_TYPE__, ARRAY+PTR for 2, INT+TYPEDEF+PTR
        // for __u32 and __u64, STRUCT, VAR, ARRAY+PTR for 27 and 4096,
        // STRUCT, VAR, DATASEC
        let expected = 2 * 16
            + (24 + 12)
            + 2 * (16 + 12 + 12)
            + (12 + 4 * 12)
            + 16
            + 2 * (24 + 12)
            + (12 + 2 * 12)
            + 16
            + (12 + 2 * 12);
        assert_eq!(type_len, expected);
        // aya's parser reads it back.
        aya::Btf::parse(b, aya::Endianness::Little).expect("aya parses the BTF");
    }

    #[test]
    fn ringbuf_omits_key_and_value() {
        let m = &maps()[1];
        assert_eq!(
            map_members(m),
            vec![
                ("type", Member::Number(27)),
                ("max_entries", Member::Number(4096))
            ]
        );
    }

    #[test]
    fn odd_sized_values_are_byte_arrays() {
        let mut b = Builder::new();
        let ptr = b.sized_ptr(6);
        assert_eq!(b.sized_ptr(6), ptr, "one type per size");
        // __u8's INT and TYPEDEF, the ARRAY, the PTR
        assert_eq!(ptr, 2 + 4);
        let array = &b.types[b.types.len() - 12 - 24..][..24];
        assert_eq!(read_u32(array, 4) >> 24, BTF_KIND_ARRAY);
        assert_eq!(read_u32(array, 20), 6, "nelems");
    }

    #[test]
    fn context_follows_the_section() {
        assert_eq!(Context::of("xdp"), Context::Xdp);
        assert_eq!(Context::of("xdp.frags"), Context::Xdp);
        assert_eq!(Context::of("socket"), Context::Skb);
        assert_eq!(Context::of("classifier"), Context::Skb);
        assert_eq!(Context::of("cgroup_skb/ingress"), Context::Skb);
        assert_eq!(Context::of("kprobe/foo"), Context::Other);
    }

    /// `.BTF.ext` read back: per info block, `(section, records)`.
    fn ext_blocks(ext: &[u8], btf: &[u8]) -> Vec<Vec<(String, Vec<Vec<u32>>)>> {
        assert_eq!(&ext[0..4], &[0x9f, 0xeb, 1, 0]);
        let hdr_len = read_u32(ext, 4) as usize;
        assert_eq!(hdr_len, 24);
        [(8, 12), (16, 20)]
            .into_iter()
            .map(|(off_at, len_at)| {
                let start = hdr_len + read_u32(ext, off_at) as usize;
                let end = start + read_u32(ext, len_at) as usize;
                let rec_words = read_u32(ext, start) as usize / 4;
                let mut at = start + 4;
                let mut sections = Vec::new();
                while at < end {
                    let name = string_at(btf, read_u32(ext, at)).to_owned();
                    let n = read_u32(ext, at + 4) as usize;
                    at += 8;
                    let records = (0..n)
                        .map(|r| {
                            (0..rec_words)
                                .map(|w| read_u32(ext, at + 4 * (r * rec_words + w)))
                                .collect()
                        })
                        .collect();
                    at += 4 * n * rec_words;
                    sections.push((name, records));
                }
                assert_eq!(at, end);
                sections
            })
            .collect()
    }

    #[test]
    fn func_info_points_each_program_at_its_func() {
        let (a, b, s) = (
            program("xdp", "a"),
            program("xdp", "b"),
            program("socket", "s"),
        );
        let out = object_btf(&[(&a, 0), (&b, 16), (&s, 0)], &maps());
        aya::Btf::parse(&out.btf, aya::Endianness::Little).expect("aya parses the BTF");
        let blocks = ext_blocks(&out.ext, &out.btf);
        let func_info = &blocks[0];
        assert_eq!(
            func_info
                .iter()
                .map(|(s, r)| (s.as_str(), r.iter().map(|r| r[0]).collect::<Vec<_>>()))
                .collect::<Vec<_>>(),
            vec![("xdp", vec![0, 16]), ("socket", vec![0])]
        );
        // Each record names a FUNC of the program's name whose prototype's
        // one parameter points at the section's context struct.
        let type_at = |id: u32| {
            let mut at = 24;
            for _ in 1..id {
                let info = read_u32(&out.btf, at + 4);
                let vlen = (info & 0xffff) as usize;
                at += 12
                    + match info >> 24 {
                        BTF_KIND_INT | BTF_KIND_VAR => 4,
                        BTF_KIND_ARRAY => 12,
                        BTF_KIND_STRUCT | BTF_KIND_DATASEC => 12 * vlen,
                        BTF_KIND_FUNC_PROTO => 8 * vlen,
                        _ => 0,
                    };
            }
            at
        };
        let btf = &out.btf;
        for ((_, records), (names, ctx)) in func_info.iter().zip([
            (vec!["a", "b"], ("xdp_md", BTF_KIND_STRUCT)),
            (vec!["s"], ("__sk_buff", BTF_KIND_FWD)),
        ]) {
            for (record, name) in records.iter().zip(names) {
                let func = type_at(record[1]);
                assert_eq!(
                    read_u32(btf, func + 4),
                    BTF_KIND_FUNC << 24 | BTF_FUNC_GLOBAL
                );
                assert_eq!(string_at(btf, read_u32(btf, func)), name);
                let proto = type_at(read_u32(btf, func + 8));
                assert_eq!(read_u32(btf, proto + 4), BTF_KIND_FUNC_PROTO << 24 | 1);
                assert_eq!(string_at(btf, read_u32(btf, proto + 8 + 4)), "ctx");
                let ptr = type_at(read_u32(btf, proto + 12 + 4));
                assert_eq!(read_u32(btf, ptr + 4) >> 24, BTF_KIND_PTR);
                let strukt = type_at(read_u32(btf, ptr + 8));
                assert_eq!(string_at(btf, read_u32(btf, strukt)), ctx.0);
                assert_eq!(read_u32(btf, strukt + 4) >> 24, ctx.1);
            }
        }
        // One empty line info per program, at its first instruction.
        assert_eq!(
            blocks[1],
            vec![
                ("xdp".into(), vec![vec![0, 0, 0, 0], vec![16, 0, 0, 0]]),
                ("socket".into(), vec![vec![0, 0, 0, 0]]),
            ]
        );
    }
}
