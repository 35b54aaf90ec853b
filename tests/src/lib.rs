//! Support shared by the workspace's integration tests (the tests of this
//! crate live in `tests/`; `cli` and `xdp-programs` use this as a
//! dev-dependency).

pub mod layered;

use std::io::Write;
use std::path::Path;

/// Whether the kernel tests named `test` can run here: as root, with each
/// of `tools` on `PATH`. When they cannot, says why on stderr and returns
/// false, so the test passes as skipped — except under CI (`CI=true`),
/// where a missing privilege or tool is a failure.
pub fn privileged(test: &str, tools: &[&str]) -> bool {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        skip(test, "not running as root");
        return false;
    }
    if let Some(tool) = tools.iter().find(|t| !on_path(t)) {
        skip(test, &format!("`{tool}` is missing"));
        return false;
    }
    true
}

/// Says that `test` is skipped and why; panics instead under `CI=true`.
pub fn skip(test: &str, why: &str) {
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "{test}: {why}, and CI=true"
    );
    // Straight to the stream: the test harness would hide eprintln!.
    let _ = writeln!(std::io::stderr(), "skipping {test}: {why}");
}

/// Whether an executable called `tool` is on `PATH`.
pub fn on_path(tool: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|d| is_file(&d.join(tool))))
}

fn is_file(p: &Path) -> bool {
    p.metadata().is_ok_and(|m| m.is_file())
}

/// The numbers (from 1) of the frames of `capture` that tshark's display
/// filter `display` keeps, with tshark's preferences `prefs` (`-o` values,
/// e.g. `ip.defragment:FALSE`): the independent decoder's verdicts the
/// protocol-semantics and tunnel tests compare bpfcap's with.
pub fn tshark_frames(capture: &Path, prefs: &[&str], display: &str) -> Vec<usize> {
    let mut cmd = std::process::Command::new("tshark");
    for p in prefs {
        cmd.args(["-o", p]);
    }
    let o = cmd
        .arg("-r")
        .arg(capture)
        .args(["-Y", display, "-T", "fields", "-e", "frame.number"])
        .output()
        .expect("tshark runs");
    assert!(
        o.status.success(),
        "{display}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| l.trim().parse().expect("a frame number"))
        .collect()
}

/// A path named `name` in a directory of this test process's own
/// (`bpfcap-GROUP-PID` under the temp dir), made if missing: parallel
/// test binaries and runs don't share files.
pub fn temp_path(group: &str, name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("bpfcap-{group}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// Runs `cmd -r CAPTURE -w OUT EXPR` (bpfcap's or tcpdump's command, with
/// its own options already set) and panics with its stderr unless it
/// succeeds: the filtering step of the tests that compare what two
/// filters keep.
pub fn filter_file(mut cmd: std::process::Command, capture: &Path, out: &Path, expr: &str) {
    let o = cmd
        .arg("-r")
        .arg(capture)
        .arg("-w")
        .arg(out)
        .arg(expr)
        .output()
        .expect("the filter runs");
    assert!(
        o.status.success(),
        "{expr}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// A minimal Ethernet/IPv4/UDP frame (42 bytes, no payload, TTL 64)
/// from `src` to `dst`, port `dport`: what the set tests look up.
pub fn udp4_frame(src: [u8; 4], dst: [u8; 4], dport: u16) -> Vec<u8> {
    let mut f = vec![0u8; 42];
    f[12] = 0x08;
    f[14] = 0x45;
    f[16..18].copy_from_slice(&28u16.to_be_bytes());
    f[22] = 64;
    f[23] = 17;
    f[26..30].copy_from_slice(&src);
    f[30..34].copy_from_slice(&dst);
    f[36..38].copy_from_slice(&dport.to_be_bytes());
    f
}

/// A bpffs mounted on a fresh temp dir (bpftool and xdp-loader pin what
/// they load there), unmounted and removed on drop, so a test neither
/// needs nor touches `/sys/fs/bpf`.
pub struct Bpffs(pub std::path::PathBuf);

impl Bpffs {
    /// Mounts on a directory named for `test`, so parallel tests don't share.
    pub fn mount(test: &str) -> Bpffs {
        let dir = std::env::temp_dir().join(format!("bpfcap-bpffs-{}-{test}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let status = std::process::Command::new("mount")
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
        let _ = std::process::Command::new("umount").arg(&self.0).status();
        let _ = std::fs::remove_dir(&self.0);
    }
}

pub mod tunnels;
