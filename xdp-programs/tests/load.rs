//! Loads objects written by `write_object` into the kernel through aya and
//! through libbpf (bpftool). Needs root; skipped otherwise unless `CI=true`.

use std::path::{Path, PathBuf};
use std::process::Command;

use aya::maps::{Array, RingBuf};
use aya::programs::{SocketFilter, TestRun, TestRunOptions, Xdp};
use bpfcap_xdp::{MapDef, ProgramDef, map_type, write_object};

/// Root, or a skip (a failure under CI).
fn have_root() -> bool {
    bpfcap_tests::privileged("the kernel BPF tests", &[])
}

/// Encodes one `struct bpf_insn`.
fn insn(code: u8, dst: u8, src: u8, off: i16, imm: i32) -> [u8; 8] {
    let mut b = [0u8; 8];
    b[0] = code;
    b[1] = (src << 4) | (dst & 0x0f);
    b[2..4].copy_from_slice(&off.to_le_bytes());
    b[4..8].copy_from_slice(&imm.to_le_bytes());
    b
}

/// `r6 = r1; r1 = &counters; key = 0; r0 = map_lookup_elem(r1, &key);
/// if r0 { lock *(u64 *)r0 += 1 } return XDP_PASS`
fn count_program() -> ProgramDef {
    let insns = [
        insn(0xbf, 6, 1, 0, 0),   // 0: r6 = r1
        insn(0x18, 1, 1, 0, 0),   // 1: r1 = map counters (ld_imm64, BPF_PSEUDO_MAP_FD)
        insn(0x00, 0, 0, 0, 0),   // 2: second half of ld_imm64
        insn(0x62, 10, 0, -4, 0), // 3: *(u32 *)(r10 - 4) = 0
        insn(0xbf, 2, 10, 0, 0),  // 4: r2 = r10
        insn(0x07, 2, 0, 0, -4),  // 5: r2 += -4
        insn(0x85, 0, 0, 0, 1),   // 6: call bpf_map_lookup_elem
        insn(0x15, 0, 0, 2, 0),   // 7: if r0 == 0 goto +2
        insn(0xb7, 1, 0, 0, 1),   // 8: r1 = 1
        insn(0xdb, 0, 1, 0, 0),   // 9: lock *(u64 *)(r0 + 0) += r1
        insn(0xb7, 0, 0, 0, 2),   // 10: r0 = XDP_PASS
        insn(0x95, 0, 0, 0, 0),   // 11: exit
    ];
    ProgramDef {
        section: "xdp".into(),
        name: "xdp_count".into(),
        insns: insns.concat(),
        map_refs: vec![(1, "counters".into())],
    }
}

/// `return 0` socket filter, to have a second program type in one object.
fn drop_all_socket_program() -> ProgramDef {
    ProgramDef {
        section: "socket".into(),
        name: "sock_drop".into(),
        insns: [insn(0xb7, 0, 0, 0, 0), insn(0x95, 0, 0, 0, 0)].concat(),
        map_refs: vec![],
    }
}

fn counters_map() -> MapDef {
    MapDef {
        name: "counters".into(),
        map_type: map_type::ARRAY,
        key_size: 4,
        value_size: 8,
        max_entries: 1,
    }
}

fn events_map() -> MapDef {
    MapDef {
        name: "events".into(),
        map_type: map_type::RINGBUF,
        key_size: 0,
        value_size: 0,
        max_entries: 4096,
    }
}

/// Loads `xdp_count` from `bytes`, test-runs it `repeat` times on a 64-byte
/// frame and checks the verdict and the `counters` map.
fn load_and_run(bytes: &[u8], repeat: u32) -> aya::Ebpf {
    let mut ebpf = aya::EbpfLoader::new()
        .load(bytes)
        .expect("aya parses object");
    let prog: &mut Xdp = ebpf
        .program_mut("xdp_count")
        .expect("program xdp_count present")
        .try_into()
        .expect("program is XDP");
    prog.load().expect("verifier accepts xdp_count");

    let frame = [0xabu8; 64];
    let mut out = [0u8; 64];
    let result = prog
        .test_run(TestRunOptions {
            data_in: Some(&frame),
            data_out: Some(&mut out),
            repeat,
            ..Default::default()
        })
        .expect("BPF_PROG_TEST_RUN");
    assert_eq!(result.return_value, 2, "XDP_PASS");
    assert_eq!(result.data_size_out, 64);
    assert_eq!(out, frame);

    let counters: Array<_, u64> =
        Array::try_from(ebpf.map("counters").expect("map counters")).expect("array map");
    assert_eq!(
        counters.get(&0, 0).expect("read counters[0]"),
        u64::from(repeat)
    );
    ebpf
}

#[test]
fn aya_loads_and_runs_xdp_with_array_map() {
    if !have_root() {
        return;
    }
    let bytes = write_object(&[count_program()], &[counters_map()]).unwrap();
    load_and_run(&bytes, 1);
    load_and_run(&bytes, 5);
}

#[test]
fn aya_loads_object_with_unreferenced_ringbuf_and_socket_program() {
    if !have_root() {
        return;
    }
    let bytes = write_object(
        &[count_program(), drop_all_socket_program()],
        &[counters_map(), events_map()],
    )
    .unwrap();
    let mut ebpf = load_and_run(&bytes, 3);

    let sock: &mut SocketFilter = ebpf
        .program_mut("sock_drop")
        .expect("program sock_drop present")
        .try_into()
        .expect("program is a socket filter");
    sock.load().expect("verifier accepts sock_drop");

    let mut events = RingBuf::try_from(ebpf.take_map("events").expect("map events"))
        .expect("events is a ring buffer");
    assert!(events.next().is_none());
}

/// A bpffs mounted on a fresh temp dir, unmounted and removed on drop, so the
/// test neither needs nor touches `/sys/fs/bpf`.
struct Bpffs(PathBuf);

impl Bpffs {
    fn mount() -> Bpffs {
        let dir = std::env::temp_dir().join(format!("xdp-programs-bpffs-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let status = Command::new("mount")
            .args(["-t", "bpf", "bpf"])
            .arg(&dir)
            .status()
            .expect("run mount");
        assert!(status.success(), "mount -t bpf failed");
        Bpffs(dir)
    }
}

impl Drop for Bpffs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
        let _ = std::fs::remove_dir(&self.0);
    }
}

fn bpftool(args: &[&std::ffi::OsStr]) -> std::process::Output {
    let out = Command::new("bpftool")
        .args(args)
        .output()
        .expect("run bpftool");
    assert!(
        out.status.success(),
        "bpftool {args:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn write_temp(name: &str, bytes: &[u8]) -> PathBuf {
    let path = std::env::temp_dir().join(format!("xdp-programs-{}-{name}", std::process::id()));
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn bpftool_loads_object() {
    if !have_root() {
        return;
    }
    if Command::new("bpftool").arg("version").output().is_err() {
        // Straight to the stream: the test harness would hide eprintln!.
        {
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "skipping: bpftool not installed (apt-get install bpftool)"
            );
        }
        return;
    }
    let bytes = write_object(&[count_program()], &[counters_map(), events_map()]).unwrap();
    let obj = write_temp("count.o", &bytes);
    let frame = write_temp("frame.bin", &[0xab; 64]);
    let fs = Bpffs::mount();
    let pin = fs.0.join("xdp_count");
    let maps_dir = fs.0.join("maps");

    // libbpf parses the BTF maps, creates both maps, relocates and loads.
    bpftool(&[
        "prog".as_ref(),
        "load".as_ref(),
        obj.as_os_str(),
        pin.as_os_str(),
        "pinmaps".as_ref(),
        maps_dir.as_os_str(),
    ]);
    let show = bpftool(&[
        "prog".as_ref(),
        "show".as_ref(),
        "pinned".as_ref(),
        pin.as_os_str(),
    ]);
    let show = String::from_utf8_lossy(&show.stdout);
    assert!(show.contains("xdp") && show.contains("xdp_count"), "{show}");
    assert!(Path::new(&maps_dir.join("counters")).exists());
    assert!(Path::new(&maps_dir.join("events")).exists());

    // And the libbpf-loaded program behaves the same.
    let run = bpftool(&[
        "prog".as_ref(),
        "run".as_ref(),
        "pinned".as_ref(),
        pin.as_os_str(),
        "data_in".as_ref(),
        frame.as_os_str(),
        "repeat".as_ref(),
        "4".as_ref(),
    ]);
    let run = String::from_utf8_lossy(&run.stdout);
    assert!(run.contains("Return value: 2"), "{run}");
    let dump = bpftool(&[
        "map".as_ref(),
        "dump".as_ref(),
        "pinned".as_ref(),
        maps_dir.join("counters").as_os_str(),
    ]);
    let dump = String::from_utf8_lossy(&dump.stdout);
    assert!(dump.contains("04 00 00 00 00 00 00 00"), "{dump}");

    drop(fs);
    let _ = std::fs::remove_file(obj);
    let _ = std::fs::remove_file(frame);
}
