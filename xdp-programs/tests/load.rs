//! Loads objects written by `write_object` into the kernel through aya and
//! through libbpf (bpftool, xdp-loader), and checks that the libbpf tools
//! see their BTF: typed map dumps, program FUNC info, a signature libxdp's
//! dispatcher can extend. Needs root, bpftool and xdp-loader (the BTF dump
//! checks only bpftool); skipped otherwise unless `CI=true`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use aya::maps::{Array, RingBuf};
use aya::programs::{SocketFilter, TestRun, TestRunOptions, Xdp};
use bpfcap_filter::{CompileOptions, LinkType};
use bpfcap_xdp::templates;
use bpfcap_xdp::{Action, XdpOptions};
use bpfcap_xdp::{Counter, XdpObject};
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
        map_flags: 0,
    }
}

fn events_map() -> MapDef {
    MapDef {
        name: "events".into(),
        map_type: map_type::RINGBUF,
        key_size: 0,
        value_size: 0,
        max_entries: 4096,
        map_flags: 0,
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
    // aya handed the kernel the func info, so the program kept its BTF.
    assert!(prog.info().expect("program info").btf_id().is_some());

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
    assert!(sock.info().expect("program info").btf_id().is_some());

    let mut events = RingBuf::try_from(ebpf.take_map("events").expect("map events"))
        .expect("events is a ring buffer");
    assert!(events.next().is_none());
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
    let fs = bpfcap_tests::Bpffs::mount("bpftool");
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
    let show = String::from_utf8_lossy(&show.stdout).into_owned();
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
    // The map's key and value BTF types make bpftool print numbers.
    let dump = String::from_utf8_lossy(&dump.stdout);
    let dump: String = dump.split_whitespace().collect();
    assert_eq!(dump, r#"[{"key":0,"value":4}]"#);

    // The program kept its BTF: the FUNC from the func info names it and
    // types its context.
    assert!(show.contains("btf_id"), "{show}");
    let xlated = bpftool(&[
        "prog".as_ref(),
        "dump".as_ref(),
        "xlated".as_ref(),
        "pinned".as_ref(),
        pin.as_os_str(),
    ]);
    let xlated = String::from_utf8_lossy(&xlated.stdout);
    assert!(
        xlated.starts_with("int xdp_count(struct xdp_md * ctx):"),
        "{xlated}"
    );

    drop(fs);
    let _ = std::fs::remove_file(obj);
    let _ = std::fs::remove_file(frame);
}

/// `bpftool btf dump file PATH`, or `None` (a skip, a failure under CI)
/// when bpftool is not installed.
fn btf_dump_file(test: &str, path: &Path) -> Option<String> {
    if !bpfcap_tests::on_path("bpftool") {
        bpfcap_tests::skip(test, "`bpftool` is missing");
        return None;
    }
    let args = ["btf", "dump", "file"].map(std::ffi::OsStr::new);
    let out = bpftool(&[&args[..], &[path.as_os_str()]].concat());
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// [`btf_dump_file`] of the object `bytes`, written to a temp file `name`.
fn btf_dump(test: &str, name: &str, bytes: &[u8]) -> Option<String> {
    let path = write_temp(name, bytes);
    let dump = btf_dump_file(test, &path);
    let _ = std::fs::remove_file(path);
    dump
}

/// `bpftool btf dump file` of the XDP capture template object: typed map
/// keys and values, the program's FUNC with its context struct.
#[test]
fn bpftool_reads_the_xdp_objects_btf() {
    let opts = XdpOptions {
        action: Action::Capture { drop: false },
        ..XdpOptions::default()
    };
    let obj = templates::xdp_object("udp", &CompileOptions::new(LinkType::EN10MB), &opts).unwrap();
    let Some(dump) = btf_dump("bpftool_reads_the_xdp_objects_btf", "btf-xdp.o", obj.elf()) else {
        return;
    };
    assert_eq!(
        dump.trim_end(),
        "\
[1] INT 'int' size=4 bits_offset=0 nr_bits=32 encoding=SIGNED
[2] INT '__ARRAY_SIZE_TYPE__' size=4 bits_offset=0 nr_bits=32 encoding=(none)
[3] ARRAY '(anon)' type_id=1 index_type_id=2 nr_elems=6
[4] PTR '(anon)' type_id=3
[5] INT 'unsigned int' size=4 bits_offset=0 nr_bits=32 encoding=(none)
[6] TYPEDEF '__u32' type_id=5
[7] PTR '(anon)' type_id=6
[8] INT 'unsigned long long' size=8 bits_offset=0 nr_bits=64 encoding=(none)
[9] TYPEDEF '__u64' type_id=8
[10] PTR '(anon)' type_id=9
[11] ARRAY '(anon)' type_id=1 index_type_id=2 nr_elems=4
[12] PTR '(anon)' type_id=11
[13] STRUCT '(anon)' size=32 vlen=4
	'type' type_id=4 bits_offset=0
	'key' type_id=7 bits_offset=64
	'value' type_id=10 bits_offset=128
	'max_entries' type_id=12 bits_offset=192
[14] VAR 'counters' type_id=13, linkage=global
[15] ARRAY '(anon)' type_id=1 index_type_id=2 nr_elems=27
[16] PTR '(anon)' type_id=15
[17] ARRAY '(anon)' type_id=1 index_type_id=2 nr_elems=4194304
[18] PTR '(anon)' type_id=17
[19] STRUCT '(anon)' size=16 vlen=2
	'type' type_id=16 bits_offset=0
	'max_entries' type_id=18 bits_offset=64
[20] VAR 'events' type_id=19, linkage=global
[21] DATASEC '.maps' size=48 vlen=2
	type_id=14 offset=0 size=32 (VAR 'counters')
	type_id=20 offset=32 size=16 (VAR 'events')
[22] STRUCT 'xdp_md' size=24 vlen=6
	'data' type_id=6 bits_offset=0
	'data_end' type_id=6 bits_offset=32
	'data_meta' type_id=6 bits_offset=64
	'ingress_ifindex' type_id=6 bits_offset=96
	'rx_queue_index' type_id=6 bits_offset=128
	'egress_ifindex' type_id=6 bits_offset=160
[23] PTR '(anon)' type_id=22
[24] FUNC_PROTO '(anon)' ret_type_id=1 vlen=1
	'ctx' type_id=23
[25] FUNC 'bpfcap_xdp' type_id=24 linkage=global"
    );
}

/// The socket filter object has BTF too: its FUNC takes a `struct
/// __sk_buff *` (declared, not defined).
#[test]
fn bpftool_reads_the_socket_objects_btf() {
    let obj = templates::socket_object("udp", &CompileOptions::new(LinkType::EN10MB)).unwrap();
    let Some(dump) = btf_dump(
        "bpftool_reads_the_socket_objects_btf",
        "btf-socket.o",
        obj.elf(),
    ) else {
        return;
    };
    assert!(
        dump.ends_with(
            "\
[3] FWD '__sk_buff' fwd_kind=struct
[4] PTR '(anon)' type_id=3
[5] FUNC_PROTO '(anon)' ret_type_id=1 vlen=1
	'ctx' type_id=4
[6] FUNC 'bpfcap_socket' type_id=5 linkage=global
"
        ),
        "{dump}"
    );
}

/// A `bpftool btf dump` type, with every `type_id=N` replaced by the
/// rendering of type N, ids and FUNC names left out: two functions
/// render the same when the kernel's BTF comparison sees them alike.
fn render_type(dump: &str, id: u32) -> String {
    let prefix = format!("[{id}] ");
    let mut lines = dump.lines().skip_while(|l| !l.starts_with(&prefix));
    let head = lines.next().unwrap_or_else(|| panic!("no type {id}"));
    let body = lines.take_while(|l| l.starts_with('\t'));
    let kind = head[prefix.len()..].split(' ').next().unwrap_or_default();
    let mut out = String::new();
    for (n, line) in std::iter::once(head).chain(body).enumerate() {
        for (i, word) in line.split_whitespace().enumerate() {
            if n == 0 && (i == 0 || (i == 2 && kind == "FUNC")) {
                continue;
            }
            match word.split_once("type_id=") {
                Some((_, n)) => {
                    let n = n.trim_end_matches(',').parse().unwrap();
                    out += &format!("({}) ", render_type(dump, n));
                }
                None => out += &format!("{word} "),
            }
        }
        out.push(';');
    }
    out
}

/// The type id of FUNC `name` in a `bpftool btf dump`.
fn func_id(dump: &str, name: &str) -> u32 {
    let pattern = format!("] FUNC '{name}' ");
    let line = dump.lines().find(|l| l.contains(&pattern)).unwrap();
    line[1..line.find(']').unwrap()].parse().unwrap()
}

/// libxdp's dispatcher runs each program as an extension (`freplace`) of
/// one of its `progN` stubs, and the kernel only allows that when the
/// program's FUNC has the stub's signature. Compared here against the
/// dispatcher object libxdp installs, since this kernel cannot run
/// extensions (libxdp's own check loads one and gets EPERM).
#[test]
fn xdp_signature_matches_libxdps_dispatcher() {
    const TEST: &str = "xdp_signature_matches_libxdps_dispatcher";
    let Some(dispatcher) = ["/usr/lib/x86_64-linux-gnu", "/usr/lib", "/usr/local/lib"]
        .iter()
        .map(|dir| Path::new(dir).join("bpf/xdp-dispatcher.o"))
        .find(|p| p.exists())
    else {
        bpfcap_tests::skip(TEST, "libxdp's xdp-dispatcher.o is missing (xdp-tools)");
        return;
    };
    let obj = templates::xdp_object(
        "tcp",
        &CompileOptions::new(LinkType::EN10MB),
        &XdpOptions::default(),
    )
    .unwrap();
    let (Some(ours), Some(theirs)) = (
        btf_dump(TEST, "btf-sig.o", obj.elf()),
        btf_dump_file(TEST, &dispatcher),
    ) else {
        return;
    };
    let signature = render_type(&ours, func_id(&ours, XdpObject::PROGRAM));
    assert!(signature.contains("xdp_md"), "{signature}");
    assert_eq!(signature, render_type(&theirs, func_id(&theirs, "prog0")));
}

/// Runs `f` on a thread in a private network namespace (unshare is per
/// thread, and the namespace goes away with it), passing on its panic.
fn in_private_netns(f: impl FnOnce() + Send + 'static) {
    let thread = std::thread::spawn(move || {
        // SAFETY: unshare only changes this thread's namespace.
        assert_eq!(unsafe { libc::unshare(libc::CLONE_NEWNET) }, 0, "unshare");
        f();
    });
    if let Err(panic) = thread.join() {
        std::panic::resume_unwind(panic);
    }
}

fn run(program: &str, args: &[&str], env: &[(&str, &Path)]) -> String {
    let out = Command::new(program)
        .args(args)
        .envs(env.iter().copied())
        .output()
        .unwrap_or_else(|e| panic!("run {program}: {e}"));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{program} {args:?} failed: {text}");
    text
}

/// The per-CPU values bpftool prints for `key` of a typed per-CPU array,
/// summed: `{"key":0,"values":[{"cpu":0,"value":3},…]}`.
fn percpu_sum(bpftool_json: &str) -> u64 {
    let text: String = bpftool_json.split_whitespace().collect();
    text.split("\"value\":")
        .skip(1)
        .map(|v| {
            let digits: String = v.chars().take_while(char::is_ascii_digit).collect();
            digits.parse::<u64>().expect("a typed (decimal) value")
        })
        .sum()
}

/// `xdp-loader load` (libxdp) attaches the XDP template object to a veth in
/// a private network namespace; the loaded program carries its FUNC info
/// and its counters dump as numbers. A second program goes through libxdp's
/// multi-program dispatcher where the kernel allows it.
#[test]
fn xdp_loader_loads_the_xdp_object() {
    if !bpfcap_tests::privileged(
        "xdp_loader_loads_the_xdp_object",
        &["xdp-loader", "bpftool", "ip"],
    ) {
        return;
    }
    let opts = XdpOptions {
        action: Action::Drop,
        ..XdpOptions::default()
    };
    let copts = CompileOptions::new(LinkType::EN10MB);
    let drop_udp = write_temp(
        "loader-udp.o",
        templates::xdp_object("udp", &copts, &opts).unwrap().elf(),
    );
    let drop_tcp = write_temp(
        "loader-tcp.o",
        templates::xdp_object("tcp", &copts, &opts).unwrap().elf(),
    );
    let frame = write_temp("loader-frame.bin", &udp_frame());
    let fs = bpfcap_tests::Bpffs::mount("xdp-loader");
    let (obj, obj2, frame_path, bpffs) = (
        drop_udp.clone(),
        drop_tcp.clone(),
        frame.clone(),
        fs.0.clone(),
    );
    in_private_netns(move || {
        run(
            "ip",
            &["link", "add", "xl0", "type", "veth", "peer", "name", "xl1"],
            &[],
        );
        // Left down: no stray traffic (IPv6 neighbour discovery) reaches
        // the counters that the test run below checks.
        // libxdp keeps its state in a bpffs: ours, not /sys/fs/bpf.
        let env = [("LIBXDP_BPFFS", bpffs.as_path())];
        let obj = obj.to_str().unwrap();
        run("xdp-loader", &["load", "-m", "skb", "xl0", obj], &env);
        let status = run("xdp-loader", &["status", "xl0"], &env);
        assert!(status.contains(XdpObject::PROGRAM), "{status}");

        // The program as the kernel has it: XDP link info names its id.
        let link = run("ip", &["-d", "link", "show", "xl0"], &[]);
        let id = link
            .split("prog/xdp id ")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .unwrap_or_else(|| panic!("no XDP program id in {link}"));
        let xlated = run("bpftool", &["prog", "dump", "xlated", "id", id], &[]);
        assert!(
            xlated.starts_with("int bpfcap_xdp(struct xdp_md * ctx):"),
            "{xlated}"
        );
        let show = run("bpftool", &["prog", "show", "id", id], &[]);
        assert!(show.contains("btf_id"), "{show}");
        let run_out = run(
            "bpftool",
            &[
                "prog",
                "run",
                "id",
                id,
                "data_in",
                frame_path.to_str().unwrap(),
                "repeat",
                "3",
            ],
            &[],
        );
        assert!(run_out.contains("Return value: 1"), "XDP_DROP: {run_out}");
        let map_id = show
            .split("map_ids ")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .unwrap_or_else(|| panic!("no map id in {show}"));
        for (counter, expected) in [
            (Counter::Seen.index(), 3),
            (Counter::Dropped.index(), 3),
            (Counter::Lost.index(), 0),
        ] {
            let key = counter.to_le_bytes().map(|b| b.to_string());
            let mut args = vec!["map", "lookup", "id", map_id, "key"];
            args.extend(key.iter().map(String::as_str));
            let value = run("bpftool", &args, &[]);
            assert!(value.contains(&format!("\"key\": {counter}")), "{value}");
            assert_eq!(percpu_sum(&value), expected, "{value}");
        }

        // A second program: libxdp puts both behind its dispatcher, as
        // extensions, where the kernel runs extensions; otherwise the
        // first was attached alone and a second one cannot join it.
        if status.contains("xdp_dispatcher") {
            run(
                "xdp-loader",
                &["load", "-m", "skb", "xl0", obj2.to_str().unwrap()],
                &env,
            );
            let status = run("xdp-loader", &["status", "xl0"], &env);
            assert_eq!(status.matches(XdpObject::PROGRAM).count(), 2, "{status}");
        } else {
            let _ = writeln!(
                std::io::stderr(),
                "xdp_loader_loads_the_xdp_object: no dispatcher on this kernel, \
                 so only the single-program load was checked"
            );
        }
        run("xdp-loader", &["unload", "xl0", "--all"], &env);
    });
    drop(fs);
    for f in [drop_udp, drop_tcp, frame] {
        let _ = std::fs::remove_file(f);
    }
}

/// An Ethernet/IPv4/UDP frame (port 9) with a short payload.
fn udp_frame() -> Vec<u8> {
    let mut f = vec![0u8; 14 + 20 + 8 + 18];
    f[12..14].copy_from_slice(&[0x08, 0x00]);
    f[14] = 0x45;
    let ip_len = (f.len() - 14) as u16;
    f[16..18].copy_from_slice(&ip_len.to_be_bytes());
    f[23] = 17;
    f[36..38].copy_from_slice(&9u16.to_be_bytes());
    f
}
