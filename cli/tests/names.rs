//! Host, network and Ethernet host names in expressions, resolved from
//! the system as tcpdump resolves them. bpfcap and tcpdump run side by
//! side in a private mount namespace whose `/etc` has this file's
//! `hosts`, `networks` and `ethers` and an `nsswitch.conf` without DNS
//! (an overlay, so nothing outside the namespace changes): the names are
//! the same on any machine and no lookup leaves it.
//!
//! Needs root, util-linux's `unshare` and `mount`, and tcpdump (the
//! oracle); without them the tests say why and pass, except under CI
//! (`CI=true`), where that is a failure.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const HOSTS: &str = "\
127.0.0.1 localhost
::1 localhost ip6-localhost
10.0.0.1 client
2001:db8::1 client
10.0.0.2 server
10.0.0.1 twice
10.0.0.2 twice
10.1.2.3 far
2001:db8::2 six
";

const NETWORKS: &str = "\
loopback 127
ten 10
lan 10.0.0
default 0.0.0.0
";

const ETHERS: &str = "\
66:77:88:99:aa:bb router
00:00:5e:00:53:01 other
";

const NSSWITCH: &str = "\
hosts: files
networks: files
ethers: files
";

/// Sets up the private `/etc` (in a tmpfs, as an overlay's upper layer
/// must be on a file system that takes one), then runs the command.
const SETUP: &str = r#"set -e
dir=$1 lo_up=$2
shift 2
mount -t tmpfs bpfcap-names "$dir/mnt"
mkdir "$dir/mnt/up" "$dir/mnt/work"
cp "$dir"/etc/* "$dir/mnt/up/"
mount -t overlay bpfcap-names -o "lowerdir=/etc,upperdir=$dir/mnt/up,workdir=$dir/mnt/work" /etc
if [ "$lo_up" = 1 ]; then ip link set lo up; fi
exec "$@"
"#;

/// The test files, and commands run where they are `/etc`'s.
struct Etc {
    dir: PathBuf,
}

impl Etc {
    /// `None` (having said why) where the namespace cannot be made.
    fn new(test: &str, tools: &[&str]) -> Option<Etc> {
        let mut needed = vec!["unshare", "mount", "tcpdump"];
        needed.extend(tools);
        if !bpfcap_tests::privileged(test, &needed) {
            return None;
        }
        let dir = std::env::temp_dir().join(format!("bpfcap-names-{}-{test}", std::process::id()));
        std::fs::create_dir_all(dir.join("etc")).unwrap();
        std::fs::create_dir_all(dir.join("mnt")).unwrap();
        for (name, text) in [
            ("hosts", HOSTS),
            ("networks", NETWORKS),
            ("ethers", ETHERS),
            ("nsswitch.conf", NSSWITCH),
        ] {
            std::fs::write(dir.join("etc").join(name), text).unwrap();
        }
        Some(Etc { dir })
    }

    fn run(&self, program: &str, args: &[&str]) -> Output {
        self.run_in(false, program, args)
    }

    /// Also in a private network namespace, where `getaddrinfo` orders
    /// addresses the same on any machine (it looks at the source
    /// addresses there are); with `lo_up`, `lo` is up in it.
    fn run_in(&self, lo_up: bool, program: &str, args: &[&str]) -> Output {
        Command::new("unshare")
            .args(["-n", "-m", "--", "sh", "-c", SETUP, "sh"])
            .arg(&self.dir)
            .arg(if lo_up { "1" } else { "0" })
            .arg(program)
            .args(args)
            .env("TZ", "UTC")
            .output()
            .unwrap()
    }

    fn bpfcap(&self, args: &[&str]) -> Output {
        self.run(env!("CARGO_BIN_EXE_bpfcap"), args)
    }

    fn tcpdump(&self, args: &[&str]) -> Output {
        self.run("tcpdump", args)
    }

    fn path(&self, name: &str) -> String {
        self.dir.join(name).display().to_string()
    }
}

impl Drop for Etc {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `LINK EXPR = LITERAL`: a name's listing is the listing of its
/// addresses written out (in `getaddrinfo`'s order: in this namespace,
/// without network, IPv6 first); with `*`, that is also libpcap's, so
/// bpfcap's is tcpdump's byte for byte. Without, libpcap's optimizer lays
/// the program out its own way (more addresses in one family, `not`, the
/// radiotap header's length), as it does for the addresses written out.
const LISTINGS: &str = "\
* EN10MB host localhost = host ::1 or host 127.0.0.1
* EN10MB ip host localhost = ip host 127.0.0.1
* EN10MB ip6 host localhost = ip6 host ::1
* EN10MB src host client = src host 2001:db8::1 or src host 10.0.0.1
* EN10MB dst client = dst host 2001:db8::1 or dst host 10.0.0.1
* EN10MB host far = host 10.1.2.3
* EN10MB host six = host 2001:db8::2
* EN10MB ip6 host six = ip6 host 2001:db8::2
* EN10MB tcp and host server = tcp and host 10.0.0.2
* EN10MB net loopback = net 127.0.0.0
* EN10MB src net lan = src net 10.0.0.0
* EN10MB ip dst net loopback = ip dst net 127.0.0.0
* EN10MB ether host router = ether host 66:77:88:99:aa:bb
* EN10MB ether src router or ether dst other = ether src 66:77:88:99:aa:bb or ether dst 00:00:5e:00:53:01
* EN10MB host localhost and not net loopback = (host ::1 or host 127.0.0.1) and not net 127.0.0.0
* LINUX_SLL host client = host 2001:db8::1 or host 10.0.0.1
* RAW src far = ip src host 10.1.2.3
* RAW net ten = net 10.0.0.0
  EN10MB host twice = host 10.0.0.1 or host 10.0.0.2
  EN10MB not host localhost = not (host ::1 or host 127.0.0.1)
  EN10MB dst client or far = dst host 2001:db8::1 or dst host 10.0.0.1 or dst host 10.1.2.3
  RAW host localhost = ip6 host ::1 or ip host 127.0.0.1
  IEEE802_11_RADIO ether host router = ether host 66:77:88:99:aa:bb
";

/// `-d` listings of names, for Ethernet and other link types, as
/// [`LISTINGS`] says: from tcpdump (which proves the addresses and their
/// order) and from bpfcap alike. `-n` changes nothing (it is about
/// printing).
#[test]
fn listings_are_tcpdumps() {
    let Some(etc) = Etc::new("listings_are_tcpdumps", &[]) else {
        return;
    };
    for line in LISTINGS.lines() {
        let (same, rest) = line.split_at(1);
        let (link, pair) = rest.trim_start().split_once(' ').unwrap();
        let (expr, literal) = pair.split_once('=').unwrap();
        let (expr, literal) = (expr.trim(), literal.trim());
        let listing = |run: &dyn Fn(&[&str]) -> Output, e: &str| {
            let out = run(&["-y", link, "-d", e]);
            assert!(
                out.status.success(),
                "-y {link} -d '{e}': {}",
                text(&out.stderr)
            );
            text(&out.stdout)
        };
        let ours = listing(&|a| etc.bpfcap(a), expr);
        let theirs = listing(&|a| etc.tcpdump(a), expr);
        assert_eq!(
            theirs,
            listing(&|a| etc.tcpdump(a), literal),
            "tcpdump: {expr}"
        );
        assert_eq!(
            ours,
            listing(&|a| etc.bpfcap(a), literal),
            "-y {link} -d '{expr}'"
        );
        if same == "*" {
            assert_eq!(ours, theirs, "-y {link} -d '{expr}' is not tcpdump's");
        }
        let with_n = etc.bpfcap(&["-n", "-y", link, "-d", expr]);
        assert_eq!(text(&with_n.stdout), ours, "-n -d '{expr}'");
    }
}

/// Names the system does not have, or not for what is asked: tcpdump's
/// message, at the name's place in the expression.
#[test]
fn unknown_names_fail_as_in_tcpdump() {
    let Some(etc) = Etc::new("unknown_names_fail_as_in_tcpdump", &[]) else {
        return;
    };
    for (link, expr, at) in [
        ("EN10MB", "host nobody", 5),
        ("EN10MB", "tcp and src nobody", 12),
        ("EN10MB", "ip6 host far", 9),
        ("EN10MB", "ip host six", 8),
        ("EN10MB", "arp host localhost", 9),
        ("EN10MB", "net nowhere", 4),
        ("EN10MB", "net default", 4),
        ("EN10MB", "ether host nobody", 11),
        ("EN10MB", "gateway router", 8),
        ("LINUX_SLL", "ether host router", 11),
        ("IEEE802_11_RADIO", "ether host nobody", 11),
    ] {
        let theirs = etc.tcpdump(&["-y", link, "-d", expr]);
        assert!(!theirs.status.success(), "tcpdump took {expr}");
        let message = text(&theirs.stderr);
        let message = message
            .lines()
            .last()
            .unwrap()
            .strip_prefix("tcpdump: ")
            .unwrap();
        let ours = etc.bpfcap(&["-y", link, "-d", expr]);
        assert_eq!(ours.status.code(), Some(1), "{expr}");
        let err = text(&ours.stderr);
        assert_eq!(
            err.lines().next(),
            Some(format!("bpfcap: error at {at}: {message}").as_str()),
            "-y {link} -d '{expr}'"
        );
    }
}

/// Replaying a capture with names keeps exactly the packets tcpdump
/// keeps: the files written are the same bytes. (glibc pads a network
/// number to four bytes, so `net ten` is 10.0.0.0 alone, to libpcap as
/// to bpfcap: no packet of the sample.)
#[test]
fn replay_keeps_what_tcpdump_keeps() {
    let Some(etc) = Etc::new("replay_keeps_what_tcpdump_keeps", &[]) else {
        return;
    };
    let input = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../pcaps/sample.pcap")
        .display()
        .to_string();
    let (ours, theirs) = (etc.path("ours.pcap"), etc.path("theirs.pcap"));
    for (expr, some) in [
        ("host client", true),
        ("src host client", true),
        ("ip6 host client", true),
        ("host server and tcp", true),
        ("host far or host six", true),
        ("host twice", true),
        ("net ten", false),
        ("not net lan", true),
        ("ether host router", true),
        ("ether src router", true),
    ] {
        let b = etc.bpfcap(&["-r", &input, "-w", &ours, expr]);
        assert!(b.status.success(), "{expr}: {}", text(&b.stderr));
        let t = etc.tcpdump(&["-r", &input, "-w", &theirs, expr]);
        assert!(t.status.success(), "tcpdump {expr}: {}", text(&t.stderr));
        let (a, b) = (
            std::fs::read(&ours).unwrap(),
            std::fs::read(&theirs).unwrap(),
        );
        assert_eq!(a.len() > 24, some, "'{expr}' keeps some packets");
        assert!(
            a == b,
            "-r sample.pcap '{expr}': other packets than tcpdump's"
        );
    }
}

/// `bpfcap compile` resolves as the listings do: its `cbpf` target is
/// tcpdump's `-dd`.
#[test]
fn compile_resolves_names() {
    let Some(etc) = Etc::new("compile_resolves_names", &[]) else {
        return;
    };
    let expr = "host localhost or ether host router";
    let ours = etc.bpfcap(&["compile", "--target", "cbpf", expr]);
    assert!(ours.status.success(), "{}", text(&ours.stderr));
    assert_eq!(
        text(&ours.stdout),
        text(&etc.tcpdump(&["-dd", expr]).stdout)
    );
}

/// Live capture (the socket filter) and `--xdp` (the XDP program) keep
/// the packets of a host named in the filter: in a private network
/// namespace, a datagram to `localhost` on `lo`.
#[test]
fn live_and_xdp_filters_resolve_names() {
    let Some(etc) = Etc::new("live_and_xdp_filters_resolve_names", &["ip", "bash"]) else {
        return;
    };
    // bpfcap captures one packet in the background; datagrams go to
    // localhost until it has (the first may come before it listens).
    let script = r#"bpfcap=$1 out=$2 err=$3
shift 3
"$bpfcap" -i lo -c 1 -w "$out" "$@" 2>"$err" &
pid=$!
while kill -0 "$pid" 2>/dev/null; do
    bash -c 'echo datagram > /dev/udp/127.0.0.1/9'
    sleep 0.2
done
wait "$pid"
"#;
    for mode in [&[][..], &["--xdp"][..]] {
        let (out, err) = (etc.path("live.pcap"), etc.path("live.err"));
        let mut args = vec![script, "sh", env!("CARGO_BIN_EXE_bpfcap"), &out, &err];
        args.extend(mode);
        args.push("udp and dst host localhost");
        let run = etc.run_in(true, "timeout", &[&["60", "sh", "-c"][..], &args].concat());
        let log = std::fs::read_to_string(&err).unwrap_or_default();
        assert!(run.status.success(), "{mode:?}: {log}{}", text(&run.stderr));
        let file = std::fs::read(&out).unwrap();
        assert!(
            file.windows(8).any(|w| w == b"datagram"),
            "{mode:?}: the datagram is not in the capture: {log}"
        );
    }
}
