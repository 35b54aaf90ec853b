//! ELF64 little-endian `EM_BPF` relocatable object writer.
//!
//! The layout follows what both aya 0.14 and libbpf 1.x accept:
//!
//! * one `SHT_PROGBITS` section with `SHF_ALLOC|SHF_EXECINSTR` per distinct
//!   program section name (aya silently ignores program sections without
//!   `SHF_EXECINSTR`); several programs may share one section;
//! * one global `STT_FUNC` symbol per program, with `st_value`/`st_size`
//!   covering exactly its instructions (aya and libbpf slice programs out of
//!   the section with them, and the symbol name is the program name);
//! * `license` = `"GPL\0"`, because GPL-only helpers (ringbuf, perf output)
//!   need it under libbpf (aya defaults to GPL anyway);
//! * a zero-filled `.maps` section with one global `STT_OBJECT` symbol per map;
//!   no `STT_SECTION` symbol is put into `.maps`, since aya parses every symbol
//!   there as a map;
//! * a `.BTF` section describing the maps and programs, and a `.BTF.ext`
//!   with each program's function info (see [`crate::btf`]);
//! * one `R_BPF_64_64` REL relocation per map reference, against the map's
//!   symbol, at the first half of the `ld_imm64`.

use std::collections::{HashMap, HashSet};

use object::write::{Object, Relocation, SectionId, Symbol, SymbolId, SymbolSection};
use object::{
    Architecture, BinaryFormat, Endianness, RelocationFlags, SectionKind, SymbolFlags, SymbolKind,
    SymbolScope,
};

use crate::{Error, MapDef, ProgramDef, btf};

/// Size of one `struct bpf_insn`.
const INSN_SIZE: usize = 8;
/// `BPF_LD | BPF_IMM | BPF_DW`: the opcode of `ld_imm64`.
const LD_IMM64: u8 = 0x18;

fn is_c_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c == '_' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
}

fn check_inputs(programs: &[ProgramDef], maps: &[MapDef]) -> Result<(), Error> {
    let mut names = HashSet::new();
    for map in maps {
        if !is_c_identifier(&map.name) {
            return Err(Error::InvalidName(map.name.clone()));
        }
        if !names.insert(map.name.as_str()) {
            return Err(Error::DuplicateName(map.name.clone()));
        }
    }
    for prog in programs {
        if !is_c_identifier(&prog.name) {
            return Err(Error::InvalidName(prog.name.clone()));
        }
        if !names.insert(prog.name.as_str()) {
            return Err(Error::DuplicateName(prog.name.clone()));
        }
        if prog.section.is_empty() || prog.section.contains('\0') {
            return Err(Error::InvalidSection(prog.section.clone()));
        }
        if prog.insns.is_empty() || prog.insns.len() % INSN_SIZE != 0 {
            return Err(Error::BadInstructions {
                program: prog.name.clone(),
                len: prog.insns.len(),
            });
        }
        let insn_count = prog.insns.len() / INSN_SIZE;
        for (index, map) in &prog.map_refs {
            let (index, map) = (*index, map.as_str());
            let bad = || Error::BadMapRef {
                program: prog.name.clone(),
                index,
            };
            // Both halves of the ld_imm64 must exist, and the first must be one.
            if index + 1 >= insn_count || prog.insns[index * INSN_SIZE] != LD_IMM64 {
                return Err(bad());
            }
            if !maps.iter().any(|m| m.name == map) {
                return Err(Error::UnknownMap {
                    program: prog.name.clone(),
                    map: map.to_owned(),
                });
            }
        }
    }
    Ok(())
}

/// See [`crate::write_object`].
pub(crate) fn write_object(programs: &[ProgramDef], maps: &[MapDef]) -> Result<Vec<u8>, Error> {
    check_inputs(programs, maps)?;

    let mut obj = Object::new(BinaryFormat::Elf, Architecture::Bpf, Endianness::Little);

    let license = obj.add_section(Vec::new(), b"license".to_vec(), SectionKind::Data);
    obj.append_section_data(license, b"GPL\0", 1);

    // Programs first: their BTF records need their offsets in the sections.
    // Grouped by section, so that the func info lists each section's
    // programs together and in order.
    let mut sections: Vec<(&str, SectionId)> = Vec::new();
    for prog in programs {
        if !sections.iter().any(|(name, _)| *name == prog.section) {
            let id = obj.add_section(
                Vec::new(),
                prog.section.as_bytes().to_vec(),
                SectionKind::Text,
            );
            sections.push((prog.section.as_str(), id));
        }
    }
    let mut placed = Vec::with_capacity(programs.len());
    for &(name, section) in &sections {
        for prog in programs.iter().filter(|p| p.section == name) {
            let offset = obj.append_section_data(section, &prog.insns, INSN_SIZE as u64);
            obj.add_symbol(Symbol {
                name: prog.name.as_bytes().to_vec(),
                value: offset,
                size: prog.insns.len() as u64,
                kind: SymbolKind::Text,
                scope: SymbolScope::Dynamic,
                weak: false,
                section: SymbolSection::Section(section),
                flags: SymbolFlags::None,
            });
            placed.push(((prog, offset), section));
        }
    }

    let programs_at: Vec<_> = placed.iter().map(|&(at, _)| at).collect();
    let btf = btf::object_btf(&programs_at, maps);
    let btf_section = obj.add_section(Vec::new(), b".BTF".to_vec(), SectionKind::Other);
    obj.append_section_data(btf_section, &btf.btf, 4);
    if !btf.ext.is_empty() {
        let ext_section = obj.add_section(Vec::new(), b".BTF.ext".to_vec(), SectionKind::Other);
        obj.append_section_data(ext_section, &btf.ext, 4);
    }

    let mut map_symbols: HashMap<&str, SymbolId> = HashMap::new();
    if !maps.is_empty() {
        let maps_section = obj.add_section(Vec::new(), b".maps".to_vec(), SectionKind::Data);
        for (map, size) in maps.iter().zip(btf.map_sizes) {
            let offset = obj.append_section_data(maps_section, &vec![0; size as usize], 8);
            let symbol = obj.add_symbol(Symbol {
                name: map.name.as_bytes().to_vec(),
                value: offset,
                size: u64::from(size),
                kind: SymbolKind::Data,
                scope: SymbolScope::Dynamic,
                weak: false,
                section: SymbolSection::Section(maps_section),
                flags: SymbolFlags::None,
            });
            map_symbols.insert(map.name.as_str(), symbol);
        }
    }

    for ((prog, offset), section) in placed {
        for (index, map) in &prog.map_refs {
            obj.add_relocation(
                section,
                Relocation {
                    offset: offset + (index * INSN_SIZE) as u64,
                    symbol: map_symbols[map.as_str()],
                    addend: 0,
                    flags: RelocationFlags::Elf {
                        r_type: object::elf::R_BPF_64_64,
                    },
                },
            )?;
        }
    }

    Ok(obj.write()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prog(map_refs: Vec<(usize, String)>) -> ProgramDef {
        let mut insns = vec![0u8; 24];
        insns[0] = LD_IMM64;
        insns[1] = 0x11; // r1, src_reg = BPF_PSEUDO_MAP_FD
        insns[16] = 0x95; // exit
        ProgramDef {
            section: "xdp".into(),
            name: "p".into(),
            insns,
            map_refs,
        }
    }

    fn map(name: &str) -> MapDef {
        MapDef {
            name: name.into(),
            map_type: 2,
            key_size: 4,
            value_size: 8,
            max_entries: 1,
            map_flags: 0,
        }
    }

    #[test]
    fn rejects_bad_refs() {
        let maps = [map("m")];
        assert!(matches!(
            write_object(&[prog(vec![(1, "m".into())])], &maps),
            Err(Error::BadMapRef { index: 1, .. })
        ));
        assert!(matches!(
            write_object(&[prog(vec![(2, "m".into())])], &maps),
            Err(Error::BadMapRef { index: 2, .. })
        ));
        assert!(matches!(
            write_object(&[prog(vec![(0, "x".into())])], &maps),
            Err(Error::UnknownMap { .. })
        ));
        assert!(matches!(
            write_object(&[prog(vec![])], &[map("a-b")]),
            Err(Error::InvalidName(_))
        ));
        assert!(matches!(
            write_object(&[prog(vec![])], &[map("p")]),
            Err(Error::DuplicateName(_))
        ));
    }

    #[test]
    fn writes_elf_header() {
        let bytes = write_object(&[prog(vec![(0, "m".into())])], &[map("m")]).unwrap();
        assert_eq!(&bytes[0..4], b"\x7fELF");
        assert_eq!(bytes[4], 2); // ELFCLASS64
        assert_eq!(bytes[5], 1); // ELFDATA2LSB
        assert_eq!(u16::from_le_bytes([bytes[16], bytes[17]]), 1); // ET_REL
        assert_eq!(u16::from_le_bytes([bytes[18], bytes[19]]), 247); // EM_BPF
    }
}
