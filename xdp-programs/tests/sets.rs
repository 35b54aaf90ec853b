//! XDP objects whose filters name sets (`host @NAME`): aya and bpftool
//! (libbpf) load them with their set maps (hash maps, LPM tries with
//! `BPF_F_NO_PREALLOC`), and, with the maps filled through aya, the
//! programs return what the classic program (comparison trees) returns,
//! for sets of 100,000 addresses too.
//!
//! Needs root; without it the tests say why and pass (a failure under
//! `CI=true`).

mod common;

use std::process::Command;

use aya::maps::lpm_trie::{Key, LpmTrie};
use aya::maps::{HashMap, MapData};
use aya::programs::Xdp;
use bpfcap_filter::cbpf::interp;
use bpfcap_filter::sets::{Family, SetMap};
use bpfcap_filter::{CompileOptions, LinkType, Set, SetTable, compile};
use bpfcap_xdp::templates::xdp_object;
use bpfcap_xdp::{Action, XdpObject, XdpOptions};

fn have_root() -> bool {
    bpfcap_tests::privileged("the XDP set tests", &[])
}

const XDP_DROP: u32 = 1;
const XDP_PASS: u32 = 2;

fn opts(sets: &[(&str, &str)]) -> CompileOptions {
    let mut table = SetTable::new();
    for (name, text) in sets {
        table.insert(*name, Set::parse(text).unwrap());
    }
    CompileOptions {
        sets: table,
        ..CompileOptions::new(LinkType::EN10MB)
    }
}

/// Fills the map of `m` in `ebpf` with `N`-byte members.
fn fill<const N: usize>(ebpf: &mut aya::Ebpf, m: SetMap, set: &Set) {
    let map = ebpf.map_mut(&m.name()).expect("the set's map");
    let keys = m.keys(set).unwrap();
    if m.lpm {
        let mut trie = LpmTrie::<&mut MapData, [u8; N], u8>::try_from(map).unwrap();
        for k in keys {
            let len = u32::from_ne_bytes(k[..4].try_into().unwrap());
            trie.insert(&Key::new(len, k[4..].try_into().unwrap()), 1, 0)
                .unwrap();
        }
    } else {
        let mut hash = HashMap::<&mut MapData, [u8; N], u8>::try_from(map).unwrap();
        for k in keys {
            hash.insert(<[u8; N]>::try_from(k.as_slice()).unwrap(), 1, 0)
                .unwrap();
        }
    }
}

/// `expr` as a drop-on-match XDP object, loaded by aya with its set maps
/// filled from `opts`.
fn load(expr: &str, opts: &CompileOptions) -> (aya::Ebpf, XdpObject) {
    let xopts = XdpOptions {
        action: Action::Drop,
        ..XdpOptions::default()
    };
    let object = xdp_object(expr, opts, &xopts).unwrap();
    let mut ebpf = aya::EbpfLoader::new().load(object.elf()).unwrap();
    for &m in object.set_maps() {
        let set = opts.sets.at(m.set).unwrap();
        match m.family {
            Family::V4 => fill::<4>(&mut ebpf, m, set),
            Family::V6 => fill::<16>(&mut ebpf, m, set),
            Family::Port => fill::<2>(&mut ebpf, m, set),
        }
    }
    let prog: &mut Xdp = ebpf
        .program_mut(XdpObject::PROGRAM)
        .unwrap()
        .try_into()
        .unwrap();
    prog.load().unwrap_or_else(|e| panic!("{expr}: {e:?}"));
    (ebpf, object)
}

/// An Ethernet/IPv4/UDP frame.
fn v4(src: [u8; 4], dst: [u8; 4], dport: u16) -> Vec<u8> {
    bpfcap_tests::udp4_frame(src, dst, dport)
}

/// An Ethernet/IPv6/UDP frame.
fn v6(src: &str, dport: u16) -> Vec<u8> {
    let mut f = vec![0u8; 62];
    f[12..14].copy_from_slice(&[0x86, 0xdd]);
    f[14] = 0x60;
    f[19] = 8;
    f[20] = 17;
    let a: std::net::Ipv6Addr = src.parse().unwrap();
    f[22..38].copy_from_slice(&a.octets());
    f[56..58].copy_from_slice(&dport.to_be_bytes());
    f
}

#[test]
fn xdp_set_lookups_agree_with_classic_trees() {
    if !have_root() {
        return;
    }
    let o = opts(&[
        ("h", "10.0.0.1\n10.0.0.9\n2001:db8::7\n"),
        ("n", "192.168.0.0/16\n10.0.0.0/30\nfe80::/10\n"),
        ("p", "53\n443\n"),
    ]);
    let frames = [
        v4([10, 0, 0, 1], [1, 1, 1, 1], 53),
        v4([10, 0, 0, 2], [1, 1, 1, 1], 80),
        v4([10, 0, 0, 9], [192, 168, 3, 4], 443),
        v4([10, 0, 0, 4], [192, 169, 3, 4], 443),
        v4([172, 16, 0, 1], [10, 0, 0, 3], 1),
        v6("2001:db8::7", 53),
        v6("2001:db8::8", 443),
        v6("fe80::1", 80),
        v6("fec0::1", 80),
    ];
    for expr in [
        "src host @h",
        "net @n",
        "udp dst port @p",
        "src host @h and not dst net @n",
        "ip6 and (host @h or port @p)",
    ] {
        let classic = compile(expr, &o).unwrap();
        let (mut ebpf, object) = load(expr, &o);
        assert!(!object.set_maps().is_empty());
        for f in &frames {
            let want = if interp::run(&classic, f, f.len() as u32) != 0 {
                XDP_DROP
            } else {
                XDP_PASS
            };
            assert_eq!(common::test_run(&mut ebpf, f), want, "{expr} on {f:02x?}");
        }
    }
}

#[test]
fn a_hundred_thousand_address_blocklist_loads_into_xdp() {
    if !have_root() {
        return;
    }
    let text: String = (0..100_000u32)
        .map(|i| format!("10.{}.{}.{}\n", i >> 16, (i >> 8) & 255, i & 255))
        .collect();
    let o = opts(&[("block", &text)]);
    let (mut ebpf, object) = load("src host @block", &o);
    assert_eq!(object.set_maps().len(), 2, "IPv4 and IPv6 maps");
    assert_eq!(
        common::test_run(&mut ebpf, &v4([10, 1, 134, 159], [1; 4], 1)),
        XDP_DROP
    );
    assert_eq!(
        common::test_run(&mut ebpf, &v4([10, 1, 134, 160], [1; 4], 1)),
        XDP_PASS
    );
    assert_eq!(
        common::test_run(&mut ebpf, &v4([10, 0, 0, 0], [1; 4], 1)),
        XDP_DROP
    );
}

/// bpftool (libbpf) loads an object with a hash map and LPM tries too.
#[test]
fn bpftool_loads_an_object_with_set_maps() {
    if !have_root() {
        return;
    }
    if Command::new("bpftool").arg("version").output().is_err() {
        bpfcap_tests::skip("bpftool_loads_an_object_with_set_maps", "no bpftool");
        return;
    }
    let o = opts(&[("h", "10.0.0.1\n"), ("n", "10.0.0.0/8\n2001:db8::/32\n")]);
    let object = xdp_object("src host @h or dst net @n", &o, &XdpOptions::default()).unwrap();
    let dir = std::env::temp_dir().join(format!("xdp-sets-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let obj = dir.join("sets.o");
    std::fs::write(&obj, object.elf()).unwrap();
    let bpffs = bpfcap_tests::Bpffs::mount("sets");
    let fs = &bpffs.0;
    let out = Command::new("bpftool")
        .args(["prog", "load"])
        .arg(&obj)
        .arg(fs.join("prog"))
        .arg("pinmaps")
        .arg(fs.join("maps"))
        .output()
        .unwrap();
    let names: Vec<String> = std::fs::read_dir(fs.join("maps"))
        .map(|d| {
            d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    drop(bpffs);
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        out.status.success(),
        "bpftool: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    for m in object.set_maps() {
        assert!(names.contains(&m.name()), "{names:?}");
    }
}
