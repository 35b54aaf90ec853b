//! Live capture in private network namespaces: a veth pair between two
//! namespaces, bpfcap capturing on one end, traffic of known content sent
//! from the other.
//!
//! Needs root (CAP_NET_ADMIN for the namespaces, CAP_NET_RAW for the
//! capture) and iproute2's `ip`. Without them the tests say why and pass,
//! except under CI (`CI=true`), where a missing privilege is a failure.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use bpfcap_capture::Reader;

/// Root and iproute2's `ip` (for the namespaces), or a skip (a failure
/// under CI).
fn privileged(test: &str) -> bool {
    bpfcap_tests::privileged(test, &["ip"])
}

fn ip(args: &[&str]) {
    let st = Command::new("ip").args(args).status().unwrap();
    assert!(st.success(), "ip {args:?}");
}

/// Two namespaces joined by a veth pair, 10.77.0.1 (capture side) and
/// 10.77.0.2 (sender); removed on drop.
struct Netns {
    cap: String,
    send: String,
    iface: String,
}

impl Netns {
    fn new(tag: &str) -> Netns {
        let id = format!("{}{tag}", std::process::id() % 100_000);
        let n = Netns {
            cap: format!("bpfcapA{id}"),
            send: format!("bpfcapB{id}"),
            iface: format!("bca{id}"),
        };
        let peer = format!("bcb{id}");
        ip(&["netns", "add", &n.cap]);
        ip(&["netns", "add", &n.send]);
        ip(&[
            "link", "add", &n.iface, "netns", &n.cap, "type", "veth", "peer", "name", &peer,
            "netns", &n.send,
        ]);
        ip(&["-n", &n.cap, "addr", "add", "10.77.0.1/24", "dev", &n.iface]);
        ip(&["-n", &n.send, "addr", "add", "10.77.0.2/24", "dev", &peer]);
        ip(&["-n", &n.cap, "link", "set", &n.iface, "up"]);
        ip(&["-n", &n.send, "link", "set", &peer, "up"]);
        n
    }

    /// Starts bpfcap on the veth end in the capture namespace and waits
    /// until it listens.
    fn capture(&self, args: &[&str]) -> Child {
        self.capture_on(&self.iface, args)
    }

    fn capture_on(&self, iface: &str, args: &[&str]) -> Child {
        self.start(iface, args, "listening on")
    }

    /// Starts bpfcap on the veth end and waits for its first line to
    /// begin with `ready`.
    fn capture_listening(&self, args: &[&str], ready: &str) -> Child {
        self.start(&self.iface, args, ready)
    }

    fn start(&self, iface: &str, args: &[&str], ready: &str) -> Child {
        let (child, line) = self.spawn(iface, args);
        // "bpfcap: listening on ..." when packets are not printed.
        let bare = line.strip_prefix("bpfcap: ").unwrap_or(&line);
        assert!(line.starts_with(ready) || bare.starts_with(ready), "{line}");
        child
    }

    /// Starts bpfcap on `iface` in the capture namespace; returns it with
    /// its first line on stderr (the rest is left for the caller).
    fn spawn(&self, iface: &str, args: &[&str]) -> (Child, String) {
        let mut child = Command::new("ip")
            .args([
                "netns",
                "exec",
                &self.cap,
                env!("CARGO_BIN_EXE_bpfcap"),
                "-i",
                iface,
            ])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Byte by byte: a buffered reader could take lines after the
        // first, which are the caller's. As tcpdump, a hint comes first
        // when packets are printed.
        let mut err = child.stderr.take().unwrap();
        let mut line = String::new();
        while line.is_empty() || line.starts_with("bpfcap: verbose output suppressed") {
            let mut bytes = Vec::new();
            let mut byte = [0u8];
            while err.read(&mut byte).unwrap() == 1 && byte[0] != b'\n' {
                bytes.push(byte[0]);
            }
            if bytes.is_empty() {
                break;
            }
            line = String::from_utf8_lossy(&bytes).into_owned();
        }
        child.stderr = Some(err);
        (child, line)
    }

    /// Sends `n` UDP datagrams to each of ports 7777 and 7778, with
    /// payloads "pkt-<i>", from the sender namespace.
    fn send(&self, n: usize) {
        self.send_padded(n, 0);
    }

    /// Sends `n` UDP datagrams with payloads "back-<i>" from the capture
    /// side to port 7779 of the sender.
    fn send_back(&self, n: usize) {
        let script = format!(
            "import socket,time\ns=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\n\
             for i in range({n}):\n  s.sendto(b'back-%d' % i,('10.77.0.2',7779))\n  time.sleep(0.001)\n"
        );
        let st = Command::new("ip")
            .args(["netns", "exec", &self.cap, "python3", "-c", &script])
            .status()
            .unwrap();
        assert!(st.success());
    }

    /// Like [`Netns::send`], with `pad` more bytes in each matching payload.
    fn send_padded(&self, n: usize, pad: usize) {
        let script = format!(
            "import socket,time\ns=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\n\
             for i in range({n}):\n  s.sendto(b'pkt-%d' % i + b'.' * {pad},('10.77.0.1',7777))\n  \
             s.sendto(b'other',('10.77.0.1',7778))\n  time.sleep(0.001)\n"
        );
        let st = Command::new("ip")
            .args(["netns", "exec", &self.send, "python3", "-c", &script])
            .status()
            .unwrap();
        assert!(st.success());
    }
}

impl Netns {
    /// Runs bpfcap with XDP `args` on `iface` while a receiver on ports
    /// 7777 and 7778 of `addr` counts what `send` sends; the counts ("N
    /// M") and, after a SIGINT, bpfcap's standard error.
    fn receive_during(
        &self,
        iface: &str,
        args: &[&str],
        addr: &str,
        send: impl FnOnce(),
    ) -> (String, String) {
        let mut child = self.start(iface, args, "XDP program on");
        let receiver = self.receiver(addr);
        send();
        let counts = String::from_utf8(receiver.wait_with_output().unwrap().stdout).unwrap();
        // SAFETY: signalling our own child.
        unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
        assert!(wait(&mut child, Duration::from_secs(10)).success());
        (counts.trim().to_string(), stderr_of(&mut child))
    }

    /// A receiver on ports 7777 and 7778 of `addr` in the capture
    /// namespace, bound when this returns (it says so on its first line,
    /// which this reads: a fixed wait lost datagrams sent before a slow
    /// start on a loaded machine); for 2 s, after which it prints how
    /// many datagrams each port got.
    fn receiver(&self, addr: &str) -> Child {
        let script = format!(
            "import socket,select,time\n\
             a=socket.socket(socket.AF_INET,socket.SOCK_DGRAM);a.bind(('{addr}',7777))\n\
             b=socket.socket(socket.AF_INET,socket.SOCK_DGRAM);b.bind(('{addr}',7778))\n\
             print('bound',flush=True);n={{a:0,b:0}};end=time.time()+2\n\
             while time.time()<end:\n  r,_,_=select.select([a,b],[],[],0.1)\n  \
             for s in r: s.recv(100); n[s]+=1\n\
             print(n[a],n[b])\n"
        );
        let mut receiver = Command::new("ip")
            .args(["netns", "exec", &self.cap, "python3", "-c", &script])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut bound = [0u8; 6];
        receiver
            .stdout
            .as_mut()
            .unwrap()
            .read_exact(&mut bound)
            .unwrap();
        assert_eq!(&bound, b"bound\n");
        receiver
    }

    /// A tun device `dev` (no link layer: ARPHRD_NONE) in the capture
    /// namespace, 10.78.0.1/24, up.
    fn add_tun(&self, dev: &str) {
        ip(&["-n", &self.cap, "tuntap", "add", "dev", dev, "mode", "tun"]);
        ip(&["-n", &self.cap, "addr", "add", "10.78.0.1/24", "dev", dev]);
        ip(&["-n", &self.cap, "link", "set", dev, "up"]);
    }

    /// Like [`Netns::send`] into tun device `dev`: bare IPv4 packets from
    /// 10.78.0.2 to 10.78.0.1, written to the device as if they had
    /// arrived on it.
    fn send_tun(&self, dev: &str, n: usize) {
        let script = format!(
            "import fcntl,os,struct,socket,time\n\
             fd=os.open('/dev/net/tun',os.O_RDWR)\n\
             fcntl.ioctl(fd,0x400454ca,struct.pack('16sH',b'{dev}',0x1001))\n\
             def csum(b):\n  s=sum(struct.unpack('!10H',b));s=(s>>16)+(s&0xffff);return ~(s+(s>>16))&0xffff\n\
             def pkt(port,data):\n  u=struct.pack('!HHHH',40000,port,8+len(data),0)+data\n  \
             h=struct.pack('!BBHHHBBH4s4s',0x45,0,20+len(u),1,0,64,17,0,\
             socket.inet_aton('10.78.0.2'),socket.inet_aton('10.78.0.1'))\n  \
             return h[:10]+struct.pack('!H',csum(h))+h[12:]+u\n\
             for i in range({n}):\n  os.write(fd,pkt(7777,b'pkt-%d' % i))\n  \
             os.write(fd,pkt(7778,b'other'))\n  time.sleep(0.001)\n"
        );
        let st = Command::new("ip")
            .args(["netns", "exec", &self.cap, "python3", "-c", &script])
            .status()
            .unwrap();
        assert!(st.success());
    }

    /// Sets the socket option memory limit of the capture namespace, which
    /// attaching a filter is charged against.
    fn set_optmem_max(&self, bytes: &str) {
        let st = Command::new("ip")
            .args(["netns", "exec", &self.cap, "sysctl", "-qw"])
            .arg(format!("net.core.optmem_max={bytes}"))
            .status()
            .unwrap();
        assert!(st.success());
    }

    /// The id of the BPF link attaching the XDP program on `dev` in the
    /// capture namespace.
    fn xdp_link_id(&self, dev: &str) -> String {
        let shown = Command::new("ip")
            .args(["-n", &self.cap, "-d", "link", "show", dev])
            .output()
            .unwrap();
        let shown = String::from_utf8(shown.stdout).unwrap();
        let prog = shown
            .split("prog/xdp id ")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .unwrap_or_else(|| panic!("no XDP program on {dev}: {shown}"))
            .to_string();
        let links = Command::new("bpftool")
            .args(["-j", "link", "show"])
            .output()
            .unwrap();
        let script = format!(
            "import json,sys\n\
             print(next(l['id'] for l in json.load(sys.stdin) if l['prog_id']=={prog}))"
        );
        let mut py = Command::new("python3")
            .args(["-c", &script])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        std::io::Write::write_all(&mut py.stdin.take().unwrap(), &links.stdout).unwrap();
        let out = py.wait_with_output().unwrap();
        assert!(out.status.success(), "no link for program {prog}");
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    }

    /// Whether an XDP program is attached to `dev` in the capture namespace.
    fn has_xdp(&self, dev: &str) -> bool {
        let shown = Command::new("ip")
            .args(["-n", &self.cap, "link", "show", dev])
            .output()
            .unwrap();
        String::from_utf8_lossy(&shown.stdout).contains("prog/xdp")
    }
}

impl Drop for Netns {
    fn drop(&mut self) {
        let _ = Command::new("ip")
            .args(["netns", "del", &self.cap])
            .status();
        let _ = Command::new("ip")
            .args(["netns", "del", &self.send])
            .status();
    }
}

fn wait(child: &mut Child, limit: Duration) -> std::process::ExitStatus {
    let start = Instant::now();
    loop {
        if let Some(st) = child.try_wait().unwrap() {
            return st;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!("bpfcap did not finish in {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Sends 8 datagrams to each of the two ports, waits for bpfcap (run with
/// `-c 5 -w out`) to end, and checks that `out` holds the first 5 that
/// match; returns the rest of bpfcap's stderr.
fn five_captured(ns: &Netns, mut child: Child, out: &Path, tag: &str) -> String {
    ns.send(8);
    assert!(wait(&mut child, Duration::from_secs(30)).success(), "{tag}");
    let mut rest = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut rest)
        .unwrap();
    let want: Vec<Vec<u8>> = (0..5).map(|i| format!("pkt-{i}").into_bytes()).collect();
    assert_eq!(payloads(out), want, "{tag}");
    rest
}

/// UDP payloads of the packets in a capture file.
fn payloads(path: &Path) -> Vec<Vec<u8>> {
    let mut r = Reader::open(path).unwrap();
    let mut v = Vec::new();
    while let Some(p) = r.next_packet().unwrap() {
        // Ethernet (14), Linux cooked v2 (20) or no (RAW) header, IPv4
        // 20, UDP 8.
        let link = match p.interface.linktype {
            276 => 20,
            101 => 0,
            _ => 14,
        };
        v.push(p.data[link + 28..].to_vec());
    }
    v
}

fn out_file(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("bpfcap-live-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[test]
fn captures_exactly_the_matching_packets() {
    if !privileged("captures_exactly_the_matching_packets") {
        return;
    }
    capture_five(&[], "a");
}

#[test]
fn captures_with_an_ebpf_socket_filter() {
    if !privileged("captures_with_an_ebpf_socket_filter") {
        return;
    }
    capture_five(&["--ebpf"], "e");
}

/// Captures 5 of 8 matching datagrams (with 8 others that don't match)
/// and checks the file, with bpfcap's reader and with tcpdump.
fn capture_five(flags: &[&str], tag: &str) {
    let ns = Netns::new(tag);
    let out = out_file(&format!("c5{tag}.pcap"));
    let mut args = flags.to_vec();
    args.extend(["-c", "5", "-w", out.to_str().unwrap(), "udp port 7777"]);
    five_captured(&ns, ns.capture(&args), &out, tag);
    // A real client reads the file too (.ci/run installs tcpdump).
    if let Some(n) = tcpdump_lines(&out) {
        assert_eq!(n, 5);
    }
}

/// Lets a capture run a moment, stops it with SIGINT as a user would,
/// checks it ended well and returns what it wrote on stderr.
fn interrupt(mut child: Child) -> String {
    std::thread::sleep(Duration::from_millis(300));
    // SAFETY: signalling our own child (the `ip netns exec` process
    // execs bpfcap, so the pid is bpfcap's).
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let st = wait(&mut child, Duration::from_secs(10));
    assert!(st.success(), "{st:?}");
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    stderr
}

/// `-Q in` keeps the datagrams the interface receives (here with
/// `--immediate-mode`); `-Q out` keeps none of them. The direction is
/// part of the kernel's filter: what it drops never reaches the ring, so
/// the kernel's count ("received by filter") leaves it out.
#[test]
fn direction_selects_received_or_sent_packets() {
    if !privileged("direction_selects_received_or_sent_packets") {
        return;
    }
    capture_five(&["-Q", "in", "--immediate-mode"], "q");
    let ns = Netns::new("o");
    let (sent, received) = (out_file("sent.pcap"), out_file("received.pcap"));
    let out = ns.capture(&["-Q", "out", "-w", sent.to_str().unwrap(), "udp"]);
    let inb = ns.capture(&["-Q", "in", "-w", received.to_str().unwrap(), "udp"]);
    ns.send(3);
    ns.send_back(2);
    for (child, path, want) in [(out, &sent, 2), (inb, &received, 6)] {
        let stderr = interrupt(child);
        assert!(
            stderr.contains(&format!("{want} packets received by filter\n")),
            "{stderr}"
        );
        assert_eq!(payloads(path).len(), want, "{stderr}");
    }
    assert_eq!(payloads(&sent), [b"back-0", b"back-1"]);
}

/// `inbound` and `outbound` on Ethernet, live: the kernel's packet type
/// (`SKF_AD_PKTTYPE` in a classic filter, `__sk_buff->pkt_type` in an
/// eBPF one) tells the datagrams the interface received from the ones it
/// sent.
#[test]
fn inbound_and_outbound_are_the_kernels_packet_type() {
    if !privileged("inbound_and_outbound_are_the_kernels_packet_type") {
        return;
    }
    for (flags, tag) in [(&[][..], "di"), (&["--ebpf"][..], "de")] {
        let ns = Netns::new(tag);
        let (inb, outb) = (
            out_file(&format!("{tag}-in.pcap")),
            out_file(&format!("{tag}-out.pcap")),
        );
        let with = |path: &PathBuf, expr: &'static str| {
            let mut args = flags.to_vec();
            args.extend(["-w", path.to_str().unwrap(), expr]);
            ns.capture(&args)
        };
        let a = with(&inb, "inbound and udp");
        let b = with(&outb, "outbound and udp");
        ns.send(3);
        ns.send_back(2);
        interrupt(a);
        interrupt(b);
        let got = payloads(&inb);
        let want: Vec<&[u8]> = vec![b"pkt-0", b"other", b"pkt-1", b"other", b"pkt-2", b"other"];
        assert_eq!(got, want, "{flags:?}");
        assert_eq!(payloads(&outb), [b"back-0", b"back-1"], "{flags:?}");
    }
}

/// A filter that runs in user space (too long for the kernel) knows each
/// packet's direction too: its ancillary loads are answered from the
/// ring's address of the packet.
#[test]
fn direction_is_known_to_filters_in_user_space() {
    if !privileged("direction_is_known_to_filters_in_user_space") {
        return;
    }
    let ns = Netns::new("du");
    let out = out_file("long-outbound.pcap");
    let expr = format!("outbound and (udp port 7779 or {})", hosts(2000));
    let child = ns.capture_listening(
        &["-w", out.to_str().unwrap(), &expr],
        "bpfcap: warning: the kernel cannot run this filter",
    );
    ns.send(3);
    ns.send_back(2);
    interrupt(child);
    assert_eq!(payloads(&out), [b"back-0", b"back-1"]);
}

/// `ifname NAME` live on `any`: the capturing interface, by the index
/// the CLI resolves NAME to (in the kernel: the cooked header's
/// interface index, rewritten to `SKF_AD_IFINDEX`).
#[test]
fn ifname_selects_the_capturing_interface_on_any() {
    if !privileged("ifname_selects_the_capturing_interface_on_any") {
        return;
    }
    let ns = Netns::new("f");
    let (veth, lo) = (out_file("ifname-veth.pcap"), out_file("ifname-lo.pcap"));
    let on_veth = format!("ifname {} and udp port 7777", ns.iface);
    let a = ns.capture_on("any", &["-w", veth.to_str().unwrap(), &on_veth]);
    let b = ns.capture_on("any", &["-w", lo.to_str().unwrap(), "ifname lo and udp"]);
    ns.send(3);
    interrupt(a);
    interrupt(b);
    assert_eq!(payloads(&veth), [b"pkt-0", b"pkt-1", b"pkt-2"]);
    assert!(payloads(&lo).is_empty());
}

#[test]
fn sigint_leaves_a_complete_file_and_prints_stats() {
    if !privileged("sigint_leaves_a_complete_file_and_prints_stats") {
        return;
    }
    let ns = Netns::new("b");
    let out = out_file("int.pcapng");
    let child = ns.capture(&["--pcapng", "-w", out.to_str().unwrap(), "udp port 7777"]);
    ns.send(3);
    let stderr = interrupt(child);
    assert!(stderr.contains("3 packets captured\n"), "{stderr}");
    assert!(
        stderr.contains("3 packets received by filter\n"),
        "{stderr}"
    );
    assert!(stderr.contains("0 packets dropped by kernel\n"), "{stderr}");
    assert_eq!(payloads(&out).len(), 3);
}

#[test]
fn any_interface_captures_cooked_packets() {
    if !privileged("any_interface_captures_cooked_packets") {
        return;
    }
    let ns = Netns::new("c");
    let out = out_file("any.pcap");
    // `src host` is a network-layer test the kernel runs after rewriting;
    // `len` makes the filter run in user space.
    for expr in [
        "udp port 7777 and src host 10.77.0.2",
        "udp port 7777 and len > 40",
    ] {
        let mut child = ns.capture_on("any", &["-c", "4", "-w", out.to_str().unwrap(), expr]);
        ns.send(6);
        assert!(wait(&mut child, Duration::from_secs(20)).success());
        let want: Vec<Vec<u8>> = (0..4).map(|i| format!("pkt-{i}").into_bytes()).collect();
        assert_eq!(payloads(&out), want, "{expr}");
    }
}

/// `--ebpf` on `any` is refused with its own message before anything is
/// opened (so without privileges too): only classic filters are rewritten
/// for the cooked socket.
#[test]
fn ebpf_on_any_is_refused_clearly() {
    let out = Command::new(env!("CARGO_BIN_EXE_bpfcap"))
        .args(["-i", "any", "--ebpf", "udp"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "bpfcap: any: eBPF filters cannot run on the cooked socket that captures on every \
         interface (only classic filters are rewritten for it); capture without --ebpf\n"
    );
}

/// A full disk: the error is reported, and the file keeps every packet
/// written before it, whole (here with offline replay into a tiny tmpfs).
#[test]
fn full_disk_keeps_whole_packets() {
    if !privileged("full_disk_keeps_whole_packets") {
        return;
    }
    let dir = out_file("small");
    std::fs::create_dir_all(&dir).unwrap();
    let st = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=64k", "tmpfs"])
        .arg(&dir)
        .status()
        .unwrap();
    assert!(st.success());
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("../pcaps/sample.pcap");
    let input: Vec<u8> = std::fs::read(&sample).unwrap();
    // Many copies of the sample's packets: bigger than the file system.
    let big = out_file("big.pcap");
    let mut data = input.clone();
    for _ in 0..40 {
        data.extend_from_slice(&input[24..]);
    }
    std::fs::write(&big, &data).unwrap();
    let out = dir.join("out.pcap");
    let o = Command::new(env!("CARGO_BIN_EXE_bpfcap"))
        .arg("-r")
        .arg(&big)
        .arg("-w")
        .arg(&out)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr).to_string();
    let n = Reader::open(&out).map(|mut r| {
        let mut n = 0;
        while r.next_packet().expect("no torn record").is_some() {
            n += 1;
        }
        n
    });
    let _ = Command::new("umount").arg(&dir).status();
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("No space left on device"), "{err}");
    let n = n.unwrap();
    assert!(n > 10, "{n} packets; {err}");
}

/// `-Z`: the capture runs on as the given user once the socket is open,
/// so the file it writes belongs to that user.
#[test]
fn drops_privileges_after_opening() {
    if !privileged("drops_privileges_after_opening") {
        return;
    }
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let ns = Netns::new("z");
    let dir = out_file("z");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777)).unwrap();
    let out = dir.join("z.pcap");
    let mut child = ns.capture(&[
        "-Z",
        "nobody",
        "-c",
        "2",
        "-w",
        out.to_str().unwrap(),
        "udp port 7777",
    ]);
    ns.send(3);
    assert!(wait(&mut child, Duration::from_secs(20)).success());
    assert_eq!(payloads(&out).len(), 2);
    assert_ne!(
        std::fs::metadata(&out).unwrap().uid(),
        0,
        "the file should not be root's"
    );
}

/// `-C 1`: a new file each time the current one passes 1,000,000 bytes,
/// named as tcpdump names them, holding every packet once, in order.
#[test]
fn rotates_files_by_size() {
    if !privileged("rotates_files_by_size") {
        return;
    }
    let ns = Netns::new("r");
    let dir = out_file("rot");
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("r.pcap");
    let mut child = ns.capture(&[
        "-C",
        "1",
        "-c",
        "1500",
        "-w",
        out.to_str().unwrap(),
        "udp port 7777",
    ]);
    ns.send_padded(1500, 1000);
    assert!(wait(&mut child, Duration::from_secs(30)).success());
    let names: Vec<PathBuf> = ["r.pcap", "r.pcap1"].iter().map(|n| dir.join(n)).collect();
    assert!(!dir.join("r.pcap2").exists());
    let mut got = 0;
    for n in &names {
        assert!(
            std::fs::metadata(n).unwrap().len() <= 1_000_000 + 1100,
            "{}",
            n.display()
        );
        for p in payloads(n) {
            assert!(p.starts_with(format!("pkt-{got}.").as_bytes()));
            got += 1;
        }
    }
    assert_eq!(got, 1500);
}

/// XDP capture: matching packets reach the file through the ring buffer.
#[test]
fn xdp_capture_writes_matching_packets() {
    if !privileged("xdp_capture_writes_matching_packets") {
        return;
    }
    for (tag, mode) in [("x", "native"), ("y", "skb")] {
        let ns = Netns::new(tag);
        let out = out_file(&format!("xdp-{mode}.pcap"));
        let mut child = ns.capture_listening(
            &[
                "--xdp",
                "--xdp-mode",
                mode,
                "-c",
                "5",
                "-w",
                out.to_str().unwrap(),
                "udp port 7777",
            ],
            "XDP program on",
        );
        ns.send(8);
        assert!(
            wait(&mut child, Duration::from_secs(20)).success(),
            "{mode}"
        );
        let want: Vec<Vec<u8>> = (0..5).map(|i| format!("pkt-{i}").into_bytes()).collect();
        assert_eq!(payloads(&out), want, "{mode}");
        assert_eq!(tcpdump_lines(&out), Some(5), "{mode}");
        // Every matching packet is accounted for: written, lost, or
        // matched after -c (on a line of its own when there are some).
        let stderr = stderr_of(&mut child);
        let past = stderr
            .lines()
            .find_map(|l| l.strip_suffix(" packets matched past the -c/-W limit, not written"))
            .map_or(0, |n| n.parse::<u64>().unwrap());
        assert_eq!(count_of(&stderr, " packets captured"), 5, "{stderr}");
        assert_eq!(
            count_of(&stderr, " packets matched"),
            5 + past + count_of(&stderr, " packets lost (ring buffer full)"),
            "{stderr}"
        );
    }
}

/// How many packets to 10.77.0.1.7777 tcpdump reads from a capture file,
/// if tcpdump is installed (it must be under CI).
fn tcpdump_lines(path: &Path) -> Option<usize> {
    match Command::new("tcpdump")
        .args(["-n", "-r"])
        .arg(path)
        .output()
    {
        Ok(o) => {
            assert!(o.status.success());
            let text = String::from_utf8_lossy(&o.stdout);
            Some(
                text.lines()
                    .filter(|l| l.contains("> 10.77.0.1.7777: UDP"))
                    .count(),
            )
        }
        Err(e) => {
            assert!(std::env::var("CI").as_deref() != Ok("true"), "tcpdump: {e}");
            None
        }
    }
}

/// XDP drop: matching datagrams never reach a socket in the namespace;
/// the others do; the counters say so.
#[test]
fn xdp_drop_drops_matching_traffic() {
    if !privileged("xdp_drop_drops_matching_traffic") {
        return;
    }
    let ns = Netns::new("d");
    let (counts, stderr) = ns.receive_during(
        &ns.iface,
        &["--xdp", "--action", "drop", "udp port 7777"],
        "10.77.0.1",
        || ns.send(8),
    );
    assert_eq!(counts, "0 8", "{stderr}");
    assert!(stderr.contains("8 packets dropped\n"), "{stderr}");
}

/// Objects from `bpfcap compile` load in the real clients: iproute2
/// attaches the XDP object, bpftool loads both kinds.
#[test]
fn compiled_objects_load_with_iproute2_and_bpftool() {
    if !privileged("compiled_objects_load_with_iproute2_and_bpftool") {
        return;
    }
    let xdp = out_file("filter.o");
    let sock = out_file("socket.o");
    for (target, path) in [("xdp", &xdp), ("ebpf-socket", &sock)] {
        let o = Command::new(env!("CARGO_BIN_EXE_bpfcap"))
            .args(["compile", "--target", target, "-o"])
            .arg(path)
            .arg("udp port 53 or tcp port 80")
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let ns = Netns::new("o");
    let st = Command::new("ip")
        .args([
            "-n",
            &ns.cap,
            "link",
            "set",
            "dev",
            &ns.iface,
            "xdpgeneric",
            "obj",
        ])
        .arg(&xdp)
        .args(["sec", "xdp"])
        .status()
        .unwrap();
    assert!(st.success(), "ip link set ... xdp obj");
    let shown = Command::new("ip")
        .args(["-n", &ns.cap, "link", "show", &ns.iface])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&shown.stdout).contains("bpfcap_xdp"));
    if !bpfcap_tests::on_path("bpftool") {
        bpfcap_tests::skip("the bpftool part", "`bpftool` is missing");
        return;
    }
    // bpftool pins what it loads, so it needs a bpffs.
    let bpffs = bpfcap_tests::Bpffs::mount("objects");
    let fs = &bpffs.0;
    let mut ok = true;
    for (path, pin) in [(&xdp, "x"), (&sock, "s")] {
        let o = Command::new("bpftool")
            .args(["prog", "load"])
            .arg(path)
            .arg(fs.join(pin))
            .output()
            .unwrap();
        ok &= o.status.success();
        if !o.status.success() {
            eprintln!("bpftool: {}", String::from_utf8_lossy(&o.stderr));
        }
    }
    drop(bpffs);
    assert!(ok, "bpftool prog load");
}

/// An interface taken down or removed mid-capture ends the capture with
/// one error line and exit status 1; the packets captured before are all
/// in the file. For AF_PACKET (classic and eBPF filters) and XDP capture.
#[test]
fn losing_the_interface_ends_the_capture_cleanly() {
    if !privileged("losing_the_interface_ends_the_capture_cleanly") {
        return;
    }
    let cases: [(&str, &[&str], &str, &str); 4] = [
        ("ld", &[], "down", "the interface went down"),
        ("lr", &[], "delete", "the interface disappeared"),
        ("lf", &["--ebpf"], "delete", "the interface disappeared"),
        (
            "lx",
            &["--xdp", "--xdp-mode", "skb"],
            "delete",
            "the interface disappeared",
        ),
    ];
    for (tag, flags, how, says) in cases {
        let ns = Netns::new(tag);
        let out = out_file(&format!("lost-{tag}.pcap"));
        let mut args = flags.to_vec();
        args.extend(["-w", out.to_str().unwrap(), "udp port 7777"]);
        let ready = if flags.contains(&"--xdp") {
            "XDP program on"
        } else {
            "listening on"
        };
        let mut child = ns.capture_listening(&args, ready);
        ns.send(3);
        match how {
            "down" => ip(&["-n", &ns.cap, "link", "set", &ns.iface, "down"]),
            _ => ip(&["-n", &ns.cap, "link", "del", &ns.iface]),
        }
        let st = wait(&mut child, Duration::from_secs(10));
        assert_eq!(st.code(), Some(1), "{tag}");
        let mut stderr = String::new();
        std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
        let errors: Vec<&str> = stderr
            .lines()
            .filter(|l| l.starts_with("bpfcap:"))
            .collect();
        assert_eq!(errors, [format!("bpfcap: {}: {says}", ns.iface)], "{tag}");
        let want: Vec<Vec<u8>> = (0..3).map(|i| format!("pkt-{i}").into_bytes()).collect();
        assert_eq!(payloads(&out), want, "{tag}");
    }
}

/// A -w path that cannot be created fails before the capture starts,
/// with one line and no statistics.
#[test]
fn unwritable_output_fails_before_capturing() {
    if !privileged("unwritable_output_fails_before_capturing") {
        return;
    }
    for flags in [&[][..], &["--xdp"][..]] {
        let out = Command::new(env!("CARGO_BIN_EXE_bpfcap"))
            .args(["-i", "lo"])
            .args(flags)
            .args(["-w", "/nonexistent-dir/x.pcap", "udp"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            stderr.lines().collect::<Vec<_>>(),
            ["bpfcap: /nonexistent-dir/x.pcap: No such file or directory"],
            "{flags:?}"
        );
    }
}

/// A filter longer than the kernel takes in its fast form is compiled for
/// size: 1,000 hosts (6,000 instructions, 3,000 for size) run in the
/// kernel after a note saying so; 2,000 hosts, too long either way, run in
/// user space after a warning. Both capture the same packets.
#[test]
fn filters_too_long_for_the_kernel_run_in_user_space() {
    if !privileged("filters_too_long_for_the_kernel_run_in_user_space") {
        return;
    }
    for (tag, n, first) in [
        ("sz", 1000, "bpfcap: the filter takes "),
        // The warning comes first, where tcpdump warns of a failed kernel
        // filter.
        (
            "u",
            2000,
            "bpfcap: warning: the kernel cannot run this filter; filtering in user space",
        ),
    ] {
        let ns = Netns::new(tag);
        let out = out_file(&format!("long-{n}.pcap"));
        let expr = format!("udp port 7777 or {}", hosts(n));
        let mut child =
            ns.capture_listening(&["-c", "5", "-w", out.to_str().unwrap(), &expr], first);
        ns.send(8);
        assert!(wait(&mut child, Duration::from_secs(20)).success());
        let rest = stderr_of(&mut child);
        assert!(!rest.contains("warning"), "{n} hosts: {rest}");
        let want: Vec<Vec<u8>> = (0..5).map(|i| format!("pkt-{i}").into_bytes()).collect();
        assert_eq!(payloads(&out), want);
    }
}

/// The rest of a child's standard error.
/// `host A or host B ...` for `n` hosts no test packet comes from.
fn hosts(n: usize) -> String {
    let many: Vec<String> = (0..n)
        .map(|i| format!("host 172.{}.{}.9", 16 + i / 250, i % 250))
        .collect();
    many.join(" or ")
}

fn stderr_of(child: &mut Child) -> String {
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    stderr
}

/// The number on the line of `text` that ends with `what`.
fn count_of(text: &str, what: &str) -> u64 {
    text.lines()
        .find_map(|l| l.strip_suffix(what)?.trim().parse().ok())
        .unwrap_or_else(|| panic!("no \"N{what}\" line in:\n{text}"))
}

/// `id -u`/`id -g` of `user`.
fn ids_of(user: &str) -> (u32, u32) {
    let id = |flag: &str| {
        let o = Command::new("id").args([flag, user]).output().unwrap();
        String::from_utf8(o.stdout).unwrap().trim().parse().unwrap()
    };
    (id("-u"), id("-g"))
}

/// A directory anyone can create files in (sticky, like /tmp), for runs
/// that write as another user.
fn shared_dir(name: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let dir = out_file(name);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o1777)).unwrap();
    dir
}

/// `--xdp -Z nobody`: while capturing, the process is nobody with
/// nobody's groups and no capabilities at all; the file it writes is
/// nobody's and holds the packets; the program is still detached at the
/// end, without privileges.
#[test]
fn xdp_capture_runs_as_the_z_user_without_capabilities() {
    if !privileged("xdp_capture_runs_as_the_z_user_without_capabilities") {
        return;
    }
    use std::os::unix::fs::MetadataExt;
    let (uid, gid) = ids_of("nobody");
    let ns = Netns::new("xz");
    let out = shared_dir("xz").join("xz.pcap");
    let mut child = ns.capture_listening(
        &[
            "--xdp",
            "-Z",
            "nobody",
            "-w",
            out.to_str().unwrap(),
            "udp port 7777",
        ],
        "XDP program on",
    );
    let status = std::fs::read_to_string(format!("/proc/{}/status", child.id())).unwrap();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .unwrap_or_else(|| panic!("no {name} in {status}"))
            .split_whitespace()
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    assert_eq!(field("Uid:"), vec![uid.to_string(); 4], "{status}");
    assert_eq!(field("Gid:"), vec![gid.to_string(); 4], "{status}");
    assert_eq!(field("Groups:"), [gid.to_string()], "{status}");
    for caps in ["CapEff:", "CapPrm:", "CapAmb:", "CapBnd:"] {
        assert_eq!(field(caps), ["0000000000000000"], "{caps} {status}");
    }
    ns.send(5);
    std::thread::sleep(Duration::from_millis(300));
    // SAFETY: signalling our own child.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let st = wait(&mut child, Duration::from_secs(10));
    let stderr = stderr_of(&mut child);
    assert!(st.success(), "{stderr}");
    assert!(stderr.contains("5 packets matched\n"), "{stderr}");
    assert_eq!(std::fs::metadata(&out).unwrap().uid(), uid);
    let want: Vec<Vec<u8>> = (0..5).map(|i| format!("pkt-{i}").into_bytes()).collect();
    assert_eq!(payloads(&out), want);
    assert!(!ns.has_xdp(&ns.iface), "the program stayed attached");
}

/// `-r IN -w OUT -Z nobody`: the input is opened as root, the output
/// created as nobody.
#[test]
fn replay_writes_as_the_z_user() {
    if !privileged("replay_writes_as_the_z_user") {
        return;
    }
    use std::os::unix::fs::MetadataExt;
    let (uid, gid) = ids_of("nobody");
    let out = shared_dir("rz").join("rz.pcap");
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("../pcaps/sample.pcap");
    let o = Command::new(env!("CARGO_BIN_EXE_bpfcap"))
        .arg("-r")
        .arg(&sample)
        .arg("-w")
        .arg(&out)
        .args(["-Z", "nobody"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(std::fs::metadata(&out).unwrap().uid(), uid);
    let count = |p: &Path| {
        let mut r = Reader::open(p).unwrap();
        let mut n = 0;
        while r.next_packet().unwrap().is_some() {
            n += 1;
        }
        n
    };
    assert_eq!(count(&out), count(&sample));
    // As in tcpdump, a user who is not root keeps its uid (and has no
    // capabilities to give up here): -Z is no error. That user reads a
    // copy of the input in the shared folder: the checkout may be in a
    // folder only root can enter (CI clones into `mktemp -d`, mode 0700).
    let again = shared_dir("rz").join("rz2.pcap");
    let sample = {
        let copy = shared_dir("rz").join("sample.pcap");
        std::fs::copy(&sample, &copy).unwrap();
        copy
    };
    let o = Command::new("setpriv")
        .args(["--reuid", &uid.to_string(), "--regid", &gid.to_string()])
        .arg("--clear-groups")
        .arg(env!("CARGO_BIN_EXE_bpfcap"))
        .arg("-r")
        .arg(&sample)
        .arg("-w")
        .arg(&again)
        .args(["-Z", "nobody"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(std::fs::metadata(&again).unwrap().uid(), uid);
}

/// XDP on a tun device, whose packets start at the IP header: the filter
/// is compiled for RAW, so it captures the matching packets (in a RAW
/// file), and an inverted drop keeps exactly them.
#[test]
fn xdp_on_a_tun_device_filters_its_ip_packets() {
    if !privileged("xdp_on_a_tun_device_filters_its_ip_packets") {
        return;
    }
    let ns = Netns::new("t");
    let tun = format!("{}t", ns.iface);
    ns.add_tun(&tun);
    let out = out_file("tun.pcap");
    let mut child = ns.start(
        &tun,
        &["--xdp", "-w", out.to_str().unwrap(), "udp port 7777"],
        "XDP program on",
    );
    ns.send_tun(&tun, 5);
    std::thread::sleep(Duration::from_millis(300));
    // SAFETY: signalling our own child.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    assert!(wait(&mut child, Duration::from_secs(10)).success());
    let stderr = stderr_of(&mut child);
    assert!(stderr.contains("5 packets matched\n"), "{stderr}");
    let mut r = Reader::open(&out).unwrap();
    assert_eq!(r.interfaces()[0].linktype, 101, "not a RAW file");
    assert!(r.next_packet().unwrap().is_some());
    let want: Vec<Vec<u8>> = (0..5).map(|i| format!("pkt-{i}").into_bytes()).collect();
    assert_eq!(payloads(&out), want);

    let (counts, stderr) = ns.receive_during(
        &tun,
        &["--xdp", "--action", "drop", "--invert", "udp port 7777"],
        "10.78.0.1",
        || ns.send_tun(&tun, 8),
    );
    assert_eq!(counts, "8 0", "{stderr}");
    assert!(stderr.contains("8 packets dropped\n"), "{stderr}");
}

/// The XDP program detached from outside (`bpftool link detach`; `ip
/// link set ... xdp off` cannot, the link holds the hook) ends the run at
/// once — capture or drop — with one error, the statistics and status 1,
/// and the packets captured before it are in the file.
#[test]
fn xdp_detached_from_outside_ends_the_capture() {
    if !privileged("xdp_detached_from_outside_ends_the_capture") {
        return;
    }
    if !bpfcap_tests::on_path("bpftool") {
        bpfcap_tests::skip(
            "xdp_detached_from_outside_ends_the_capture",
            "`bpftool` is missing",
        );
        return;
    }
    let out = out_file("detached.pcap");
    let path = out.to_str().unwrap();
    let runs: [(&str, &[&str]); 2] = [("xo", &["-w", path]), ("xq", &["--action", "drop"])];
    for (tag, flags) in runs {
        let ns = Netns::new(tag);
        let mut args = vec!["--xdp"];
        args.extend(flags);
        args.push("udp port 7777");
        let mut child = ns.capture_listening(&args, "XDP program on");
        ns.send(3);
        // The link holds the hook: netlink cannot take the program off.
        let off = Command::new("ip")
            .args(["-n", &ns.cap, "link", "set", "dev", &ns.iface, "xdp", "off"])
            .output()
            .unwrap();
        assert!(!off.status.success(), "ip link set ... xdp off detached it");
        let link = ns.xdp_link_id(&ns.iface);
        let st = Command::new("bpftool")
            .args(["link", "detach", "id", &link])
            .status()
            .unwrap();
        assert!(st.success(), "bpftool link detach");
        let st = wait(&mut child, Duration::from_secs(3));
        let stderr = stderr_of(&mut child);
        assert_eq!(st.code(), Some(1), "{stderr}");
        let errors: Vec<&str> = stderr
            .lines()
            .filter(|l| l.starts_with("bpfcap:"))
            .collect();
        assert_eq!(
            errors,
            [format!(
                "bpfcap: {}: the XDP program was detached from outside",
                ns.iface
            )]
        );
        assert_eq!(count_of(&stderr, " packets matched"), 3, "{stderr}");
        if tag == "xo" {
            assert_eq!(count_of(&stderr, " packets captured"), 3, "{stderr}");
            let want: Vec<Vec<u8>> = (0..3).map(|i| format!("pkt-{i}").into_bytes()).collect();
            assert_eq!(payloads(&out), want);
        } else {
            assert_eq!(count_of(&stderr, " packets dropped"), 3, "{stderr}");
        }
    }
}

/// `--xdp -w - | head`: once the reader has gone the capture ends
/// quietly with status 0, as with plain -i, and the program is detached.
#[test]
fn xdp_capture_ends_quietly_when_the_reader_goes() {
    if !privileged("xdp_capture_ends_quietly_when_the_reader_goes") {
        return;
    }
    let ns = Netns::new("xp");
    let mut child = ns.capture_listening(
        &["--xdp", "-U", "-w", "-", "udp port 7777"],
        "XDP program on",
    );
    ns.send(3);
    // Like `head -c 100`: read a little, then close the pipe.
    let mut head = [0u8; 100];
    std::io::Read::read_exact(child.stdout.as_mut().unwrap(), &mut head).unwrap();
    drop(child.stdout.take());
    ns.send(3);
    let st = wait(&mut child, Duration::from_secs(5));
    let stderr = stderr_of(&mut child);
    assert!(st.success(), "{st:?}: {stderr}");
    assert!(!stderr.contains("bpfcap:"), "{stderr}");
    assert!(!ns.has_xdp(&ns.iface), "the program stayed attached");
}

/// SIGINT right after a burst: what the ring buffer still holds is
/// written, so the file has exactly the "captured" packets, and every
/// matched packet was captured or counted lost.
#[test]
fn xdp_stop_writes_what_the_ring_buffer_holds() {
    if !privileged("xdp_stop_writes_what_the_ring_buffer_holds") {
        return;
    }
    let ns = Netns::new("xs");
    let out = out_file("burst.pcap");
    // -U: a write per packet, so that user space lags behind the burst.
    let mut child = ns.capture_listening(
        &["--xdp", "-U", "-w", out.to_str().unwrap(), "udp port 7777"],
        "XDP program on",
    );
    let script = "import socket\n\
        s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\n\
        for i in range(50000): s.sendto(b'pkt-%d' % i,('10.77.0.1',7777))\n";
    let mut sender = Command::new("ip")
        .args(["netns", "exec", &ns.send, "python3", "-c", script])
        .spawn()
        .unwrap();
    // Stop in the middle of the burst: once some packets are written.
    let start = Instant::now();
    while std::fs::metadata(&out).map_or(0, |m| m.len()) < 5000
        && start.elapsed() < Duration::from_secs(10)
    {
        std::thread::sleep(Duration::from_millis(1));
    }
    // SAFETY: signalling our own child.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    assert!(sender.wait().unwrap().success());
    let st = wait(&mut child, Duration::from_secs(10));
    let stderr = stderr_of(&mut child);
    assert!(st.success(), "{stderr}");
    let captured = count_of(&stderr, " packets captured");
    let matched = count_of(&stderr, " packets matched");
    let lost = count_of(&stderr, " packets lost (ring buffer full)");
    let in_file = payloads(&out).len() as u64;
    assert_eq!(in_file, captured, "{stderr}");
    assert_eq!(matched, captured + lost, "{stderr}");
    assert!(captured > 0, "{stderr}");
}

/// `--ebpf` with 1,000 ports from a file (`-F`): the eBPF filter fits the
/// socket's memory limit and captures the listed port only, without a
/// warning; with that limit lowered (`net.core.optmem_max` of the capture
/// namespace), attaching fails with ENOMEM, and the classic filter (here in
/// user space: it is longer than the kernel takes) captures the same
/// packets after a warning that names the limit.
#[test]
fn ebpf_filters_with_a_thousand_ports() {
    if !privileged("ebpf_filters_with_a_thousand_ports") {
        return;
    }
    // 7777 is listed, 7778 (the other half of `Netns::send`) is not.
    let ports: Vec<String> = (7000..=7777)
        .chain(8000..8222)
        .map(|p| format!("port {p}"))
        .collect();
    assert_eq!(ports.len(), 1000);
    let file = out_file("ports.txt");
    std::fs::write(&file, ports.join(" or ")).unwrap();
    for (tag, optmem_max) in [("pf", None), ("pm", Some("20480"))] {
        let ns = Netns::new(tag);
        if let Some(m) = optmem_max {
            ns.set_optmem_max(m);
        }
        let out = out_file(&format!("ports-{tag}.pcap"));
        let args = [
            "--ebpf",
            "-c",
            "5",
            "-w",
            out.to_str().unwrap(),
            "-F",
            file.to_str().unwrap(),
        ];
        let (child, first) = ns.spawn(&ns.iface, &args);
        match optmem_max {
            None => assert!(first.starts_with("bpfcap: listening on"), "{first}"),
            Some(m) => {
                assert!(
                    first.starts_with("bpfcap: warning: the eBPF filter (")
                        && first.trim_end().ends_with(&format!(
                            "exceeds the socket's memory limit \
                             (net.core.optmem_max = {m}); using the classic filter"
                        )),
                    "{first}"
                );
            }
        }
        let rest = five_captured(&ns, child, &out, tag);
        let warnings = rest.lines().filter(|l| l.contains("warning")).count();
        // With the classic filter, also tcpdump's warning that it runs in
        // user space.
        assert_eq!(warnings, usize::from(optmem_max.is_some()), "{tag}: {rest}");
    }
}

/// A filter over the socket's memory limit (here `net.core.optmem_max`
/// lowered to 1024 bytes) runs in user space after a warning that names
/// the limit, classic or eBPF (which first gives way to the classic one),
/// and captures the same packets.
#[test]
fn filters_over_the_socket_memory_limit_run_in_user_space() {
    if !privileged("filters_over_the_socket_memory_limit_run_in_user_space") {
        return;
    }
    let others: Vec<String> = (0..100).map(|i| format!("udp port {}", 9000 + i)).collect();
    let expr = format!("udp port 7777 or {}", others.join(" or "));
    let classic = "exceeds the socket's memory limit (net.core.optmem_max = 1024); \
                   filtering in user space";
    for (tag, flags) in [("oc", &[][..]), ("oe", &["--ebpf"][..])] {
        let ns = Netns::new(tag);
        ns.set_optmem_max("1024");
        let out = out_file(&format!("optmem-{tag}.pcap"));
        let mut args = flags.to_vec();
        args.extend(["-c", "5", "-w", out.to_str().unwrap(), &expr]);
        let (child, first) = ns.spawn(&ns.iface, &args);
        let rest = five_captured(&ns, child, &out, tag);
        let warnings: Vec<&str> = std::iter::once(first.as_str())
            .chain(rest.lines())
            .filter(|l| l.starts_with("bpfcap: warning:"))
            .collect();
        let classic_warning = warnings.last().copied().unwrap_or_default();
        assert!(
            classic_warning.starts_with("bpfcap: warning: the classic filter (")
                && classic_warning.ends_with(classic),
            "{tag}: {warnings:?}"
        );
        if tag == "oe" {
            assert_eq!(warnings.len(), 2, "{warnings:?}");
            assert!(
                warnings[0].ends_with("(net.core.optmem_max = 1024); using the classic filter")
            );
        }
    }
}

/// How many packets a capture file being written holds so far (0 while
/// it cannot be read yet).
fn packets_so_far(path: &Path) -> usize {
    let Ok(mut r) = Reader::open(path) else {
        return 0;
    };
    let mut n = 0;
    while let Ok(Some(_)) = r.next_packet() {
        n += 1;
    }
    n
}

/// Sends `script` (Python, `s` a UDP socket) from the sender namespace.
fn send_script(ns: &Netns, script: &str) {
    let script =
        format!("import socket\ns=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\n{script}\n");
    let st = Command::new("ip")
        .args(["netns", "exec", &ns.send, "python3", "-c", &script])
        .status()
        .unwrap();
    assert!(st.success());
}

/// A trickle: the XDP program wakes the reader only past a fill
/// threshold, so single packets reach the file through the reader's
/// timer — each within a second, with no stop to push them out.
#[test]
fn xdp_capture_delivers_a_trickle_promptly() {
    if !privileged("xdp_capture_delivers_a_trickle_promptly") {
        return;
    }
    let ns = Netns::new("xt");
    let out = out_file("trickle.pcap");
    let mut child = ns.capture_listening(
        &["--xdp", "-U", "-w", out.to_str().unwrap(), "udp port 7777"],
        "XDP program on",
    );
    for i in 0..3 {
        send_script(&ns, &format!("s.sendto(b'pkt-{i}',('10.77.0.1',7777))"));
        let sent = Instant::now();
        while packets_so_far(&out) < i + 1 {
            assert!(
                sent.elapsed() < Duration::from_secs(1),
                "packet {i} not in the file after 1 s"
            );
            std::thread::sleep(Duration::from_millis(5));
        }
    }
    // SAFETY: signalling our own child.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    assert!(wait(&mut child, Duration::from_secs(10)).success());
    let stderr = stderr_of(&mut child);
    let want: Vec<Vec<u8>> = (0..3).map(|i| format!("pkt-{i}").into_bytes()).collect();
    assert_eq!(payloads(&out), want, "{stderr}");
    assert_eq!(count_of(&stderr, " packets captured"), 3, "{stderr}");
}

/// Bursts past the wake-up threshold (an eighth of a 256 KiB ring, `-B
/// 256`: 1000 packets take about 88 KB) and, together, twice around the
/// ring: every packet is captured, in order, records that wrap around the
/// ring's end included, and the capture ends by itself at -c, with
/// nothing lost.
#[test]
fn xdp_capture_takes_a_burst_past_the_wakeup_threshold() {
    if !privileged("xdp_capture_takes_a_burst_past_the_wakeup_threshold") {
        return;
    }
    const N: usize = 6000;
    let ns = Netns::new("xw");
    let out = out_file("wakeup.pcap");
    let mut child = ns.capture_listening(
        &[
            "--xdp",
            "-B",
            "256",
            "-c",
            &N.to_string(),
            "-w",
            out.to_str().unwrap(),
            "udp port 7777",
        ],
        "XDP program on",
    );
    send_script(
        &ns,
        &format!(
            "import time\nfor i in range({N}):\n  s.sendto(b'pkt-%d' % i,('10.77.0.1',7777))\n  \
             if i % 1000 == 999: time.sleep(0.05)"
        ),
    );
    let st = wait(&mut child, Duration::from_secs(20));
    let stderr = stderr_of(&mut child);
    assert!(st.success(), "{stderr}");
    let got = payloads(&out);
    let want: Vec<Vec<u8>> = (0..N).map(|i| format!("pkt-{i}").into_bytes()).collect();
    assert!(got == want, "{} packets in the file; {stderr}", got.len());
    assert_eq!(count_of(&stderr, " packets captured"), N as u64, "{stderr}");
    assert_eq!(
        count_of(&stderr, " packets lost (ring buffer full)"),
        0,
        "{stderr}"
    );
    assert_eq!(count_of(&stderr, " packets matched"), N as u64, "{stderr}");
}

impl Netns {
    /// A second veth pair between the namespaces, 10.79.0.1 (capture
    /// side, returned) and 10.79.0.2 (sender); it goes with the
    /// namespaces.
    fn add_second_pair(&self) -> String {
        let second = format!("{}s", self.iface);
        let peer = format!("{}p", self.iface);
        ip(&[
            "link", "add", &second, "netns", &self.cap, "type", "veth", "peer", "name", &peer,
            "netns", &self.send,
        ]);
        ip(&[
            "-n",
            &self.cap,
            "addr",
            "add",
            "10.79.0.1/24",
            "dev",
            &second,
        ]);
        ip(&[
            "-n",
            &self.send,
            "addr",
            "add",
            "10.79.0.2/24",
            "dev",
            &peer,
        ]);
        ip(&["-n", &self.cap, "link", "set", &second, "up"]);
        ip(&["-n", &self.send, "link", "set", &peer, "up"]);
        second
    }
}

/// Root, `ip`, and Wireshark's tshark and capinfos to read the files.
fn privileged_with_wireshark(test: &str) -> bool {
    bpfcap_tests::privileged(test, &["ip", "tshark", "capinfos"])
}

/// tshark's fields of each packet of `path`, tab-separated, after
/// checking that tshark reads the file with nothing to say but its
/// warning about running as root, and that capinfos reads it without a
/// word on standard error; capinfos's report.
fn tshark_fields(path: &Path, fields: &[&str]) -> (Vec<String>, String) {
    let mut cmd = Command::new("tshark");
    cmd.arg("-r").arg(path).args(["-T", "fields"]);
    for f in fields {
        cmd.args(["-e", f]);
    }
    let o = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    let said: Vec<&str> = stderr
        .lines()
        .filter(|l| !l.starts_with("Running as user \"root\""))
        .collect();
    assert!(o.status.success() && said.is_empty(), "tshark: {stderr}");
    let info = Command::new("capinfos").arg(path).output().unwrap();
    let warned = String::from_utf8_lossy(&info.stderr);
    assert!(
        info.status.success() && warned.trim().is_empty(),
        "capinfos: {warned}"
    );
    let lines = String::from_utf8(o.stdout).unwrap();
    (
        lines.lines().map(str::to_string).collect(),
        String::from_utf8(info.stdout).unwrap(),
    )
}

/// tshark's `frame.packet_flags` of a received unicast packet.
const INBOUND_UNICAST: &str = "0x00000005";

/// `-i a -i b`: 3 datagrams through a and 5 through b go in one pcapng,
/// each under its interface's name, received (inbound, unicast), in time
/// order; each interface ends with its statistics. With AF_PACKET
/// (classic and eBPF filters) and XDP, whose packets also say what the
/// program did with them.
#[test]
fn several_interfaces_go_in_one_pcapng_by_name() {
    if !privileged_with_wireshark("several_interfaces_go_in_one_pcapng_by_name") {
        return;
    }
    for (tag, flags, ready) in [
        ("ma", &[][..], "listening on"),
        ("me", &["--ebpf"][..], "listening on"),
        (
            "mx",
            &["--xdp", "--action", "capture"][..],
            "XDP program on",
        ),
    ] {
        let ns = Netns::new(tag);
        let second = ns.add_second_pair();
        let out = out_file(&format!("several-{tag}.pcapng"));
        let mut args = vec!["-i", &second, "--pcapng", "-w", out.to_str().unwrap()];
        args.extend(flags);
        args.push("udp port 7777");
        let child = ns.start(&ns.iface, &args, ready);
        send_script(
            &ns,
            "import time\n\
             for i in range(3): s.sendto(b'a-%d' % i,('10.77.0.1',7777)); time.sleep(0.01)\n\
             for i in range(5): s.sendto(b'b-%d' % i,('10.79.0.1',7777)); time.sleep(0.01)",
        );
        std::thread::sleep(Duration::from_millis(200));
        let stderr = interrupt(child);
        let (packets, info) = tshark_fields(
            &out,
            &[
                "frame.interface_name",
                "frame.packet_flags",
                "frame.verdict.ebpf_xdp",
                "frame.interface_queue",
                "frame.comment",
                "udp.payload",
            ],
        );
        let xdp = tag == "mx";
        let (a, b) = (&ns.iface, &second);
        let verdict = if xdp {
            "2\t0\txdp: action=pass rxq=0"
        } else {
            "\t\t"
        };
        let want: Vec<String> = (0..3)
            .map(|i| format!("{a}\t{INBOUND_UNICAST}\t{verdict}\t612d3{i}"))
            .chain((0..5).map(|i| format!("{b}\t{INBOUND_UNICAST}\t{verdict}\t622d3{i}")))
            .collect();
        assert_eq!(packets, want, "{tag}: {stderr}");
        assert_eq!(count_of(&stderr, &format!(" packets captured on {a}")), 3);
        assert_eq!(count_of(&stderr, &format!(" packets captured on {b}")), 5);
        for name in [a, b] {
            assert!(info.contains(&format!("Name = {name}\n")), "{info}");
        }
        assert!(info.contains("Strict time order:   True"), "{info}");
        assert_eq!(
            info.matches("Number of stat entries = 1").count(),
            2,
            "{info}"
        );
    }
}

/// `-i any` in pcapng: each packet under the interface it came through,
/// described when first seen, after `any` itself.
#[test]
fn any_in_pcapng_names_each_packets_interface() {
    if !privileged_with_wireshark("any_in_pcapng_names_each_packets_interface") {
        return;
    }
    let ns = Netns::new("mn");
    let second = ns.add_second_pair();
    let out = out_file("any-names.pcapng");
    let mut child = ns.start(
        "any",
        &[
            "-c",
            "4",
            "--pcapng",
            "-w",
            out.to_str().unwrap(),
            "udp port 7777",
        ],
        "listening on",
    );
    send_script(
        &ns,
        "import time\n\
         for i in range(2): s.sendto(b'a',('10.77.0.1',7777)); time.sleep(0.01)\n\
         for i in range(2): s.sendto(b'b',('10.79.0.1',7777)); time.sleep(0.01)",
    );
    assert!(wait(&mut child, Duration::from_secs(20)).success());
    let (packets, info) = tshark_fields(
        &out,
        &["frame.interface_id", "frame.interface_name", "udp.payload"],
    );
    let a = &ns.iface;
    assert_eq!(
        packets,
        [
            format!("1\t{a}\t61"),
            format!("1\t{a}\t61"),
            format!("2\t{second}\t62"),
            format!("2\t{second}\t62"),
        ]
    );
    assert!(info.contains("Name = any\n"), "{info}");
}

/// Several interfaces of different link types go in pcapng, each packet
/// under its own link type; pcap is refused before capturing, pointing
/// to --pcapng.
#[test]
fn interfaces_of_different_link_types_need_pcapng() {
    if !privileged_with_wireshark("interfaces_of_different_link_types_need_pcapng") {
        return;
    }
    let ns = Netns::new("ml");
    ns.add_tun("bctun0");
    let out = out_file("mixed.pcap");
    let (mut child, line) = ns.spawn(&ns.iface, &["-i", "bctun0", "-w", out.to_str().unwrap()]);
    assert!(!wait(&mut child, Duration::from_secs(10)).success());
    assert_eq!(
        line,
        format!(
            "bpfcap: {} (EN10MB) and bctun0 (RAW) have different link types, which cannot go \
             in one pcap file; write pcapng (--pcapng)",
            ns.iface
        )
    );
    let out = out_file("mixed.pcapng");
    let args = ["-i", "bctun0", "--pcapng", "-w", out.to_str().unwrap()];
    let child = ns.start(
        &ns.iface,
        &[&args[..], &["udp port 7777"]].concat(),
        "listening on",
    );
    ns.send(2);
    ns.send_tun("bctun0", 2);
    std::thread::sleep(Duration::from_millis(200));
    interrupt(child);
    let (packets, _) = tshark_fields(&out, &["frame.interface_name", "frame.encap_type"]);
    let a = &ns.iface;
    // tshark's WTAP_ENCAP numbers: 1 Ethernet, 7 raw IP.
    assert_eq!(
        packets,
        [
            format!("{a}\t1"),
            format!("{a}\t1"),
            "bctun0\t7".to_string(),
            "bctun0\t7".to_string(),
        ]
    );
}

/// Printed, each packet of `-i a -i any` is printed for its own link
/// type: Ethernet's line, and `any`'s cooked line naming the interface,
/// as tcpdump prints each.
#[test]
fn several_interfaces_print_each_packet_with_its_link_type() {
    if !privileged("several_interfaces_print_each_packet_with_its_link_type") {
        return;
    }
    let ns = Netns::new("mp");
    let mut child = ns.start(
        &ns.iface,
        &["-i", "any", "-n", "-c", "2", "udp port 7777"],
        "listening on",
    );
    send_script(&ns, "s.sendto(b'pkt',('10.77.0.1',7777))");
    assert!(wait(&mut child, Duration::from_secs(20)).success());
    let mut out = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    // The time stamps aside.
    let mut lines: Vec<&str> = out
        .lines()
        .map(|l| l.split_once(' ').map_or(l, |(_, rest)| rest))
        .collect();
    lines.sort();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(lines[0].starts_with("IP 10.77.0.2."), "{out}");
    assert!(
        lines[1].starts_with(&format!("{} In  IP 10.77.0.2.", ns.iface)),
        "{out}"
    );
    assert!(
        lines
            .iter()
            .all(|l| l.ends_with(" > 10.77.0.1.7777: UDP, length 3")),
        "{out}"
    );
}

/// An interface given twice would have its packets captured twice: it is
/// refused before anything is opened (so without privileges too).
#[test]
fn an_interface_given_twice_is_refused() {
    let out = Command::new(env!("CARGO_BIN_EXE_bpfcap"))
        .args(["-i", "lo", "-i", "any", "-i", "lo", "udp"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "bpfcap: -i lo: the interface is given twice\n"
    );
}

/// `-i a -i b --pcapng -C 1`: every rotated file describes both
/// interfaces, so that each packet keeps its interface's name (and
/// direction), and the last one ends with their statistics.
#[test]
fn several_interfaces_rotated_keep_their_names_in_each_file() {
    if !privileged_with_wireshark("several_interfaces_rotated_keep_their_names_in_each_file") {
        return;
    }
    let ns = Netns::new("mr");
    let second = ns.add_second_pair();
    let out = out_file("rotated-several.pcapng");
    let w = out.to_str().unwrap();
    let args = [
        "-i",
        &second,
        "--pcapng",
        "-C",
        "1",
        "-w",
        w,
        "udp port 7777",
    ];
    let child = ns.start(&ns.iface, &args, "listening on");
    send_script(
        &ns,
        "import time\n\
         for dst in ('10.77.0.1','10.79.0.1'):\n \
          for i in range(500):\n  \
           s.sendto(b'x' * 1400,(dst,7777))\n  \
           if i % 20 == 0: time.sleep(0.01)",
    );
    std::thread::sleep(Duration::from_millis(300));
    let stderr = interrupt(child);
    // About 1.5 MB: two files, or more if rotated early.
    let name = |n: usize| match n {
        0 => out.clone(),
        n => PathBuf::from(format!("{w}{n}")),
    };
    let files: Vec<PathBuf> = (0..).map(name).take_while(|f| f.exists()).collect();
    assert!(files.len() >= 2, "{files:?}: {stderr}");
    let (a, b) = (&ns.iface, &second);
    let mut counts = (0, 0);
    for (k, f) in files.iter().enumerate() {
        let (packets, info) = tshark_fields(f, &["frame.interface_name", "frame.packet_flags"]);
        assert!(!packets.is_empty(), "{f:?}: {stderr}");
        for p in &packets {
            match p.split_once('\t') {
                Some((name, INBOUND_UNICAST)) if name == a => counts.0 += 1,
                Some((name, INBOUND_UNICAST)) if name == b => counts.1 += 1,
                _ => panic!("{f:?}: {p}"),
            }
        }
        for name in [a, b] {
            assert!(info.contains(&format!("Name = {name}\n")), "{f:?}: {info}");
        }
        let stats = if k == files.len() - 1 { 2 } else { 0 };
        assert_eq!(
            info.matches("Number of stat entries = 1").count(),
            stats,
            "{f:?}: {info}"
        );
    }
    assert_eq!(counts, (500, 500), "{stderr}");
}

/// The next line bpfcap writes on stderr.
fn stderr_line(child: &mut Child) -> String {
    let err = child.stderr.as_mut().unwrap();
    let mut bytes = Vec::new();
    let mut byte = [0u8];
    while err.read(&mut byte).unwrap() == 1 && byte[0] != b'\n' {
        bytes.push(byte[0]);
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// The id of the XDP program attached to the capture side's veth end.
fn xdp_prog_id(ns: &Netns) -> Option<String> {
    let out = Command::new("ip")
        .args(["-n", &ns.cap, "link", "show", "dev", &ns.iface])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let words: Vec<&str> = text.split_whitespace().collect();
    let at = words.iter().position(|w| w.starts_with("prog/xdp"))?;
    (words.get(at + 1) == Some(&"id")).then(|| words[at + 2].to_string())
}

/// `--set p=FILE 'udp dst port @p'`: after the file changes and SIGHUP,
/// the same attached filter (an eBPF socket filter, an XDP program: the
/// same program id on the interface) keeps the new members' packets, and
/// the capture goes on; a classic filter is compiled again and replaced.
#[test]
fn sighup_reloads_a_set_without_reattaching() {
    if !privileged("sighup_reloads_a_set_without_reattaching") {
        return;
    }
    for (tag, flags, ready) in [
        ("c", &[][..], "listening on"),
        ("s", &["--ebpf"][..], "listening on"),
        ("t", &["--xdp", "--xdp-mode", "skb"][..], "XDP program on"),
    ] {
        let ns = Netns::new(tag);
        let set = out_file(&format!("ports-{tag}.txt"));
        std::fs::write(&set, "# the ports wanted\n7777\n").unwrap();
        let out = out_file(&format!("sets-{tag}.pcap"));
        let def = format!("p={}", set.display());
        let mut args = flags.to_vec();
        args.extend([
            "--set",
            &def,
            "-w",
            out.to_str().unwrap(),
            "udp dst port @p",
        ]);
        let mut child = ns.capture_listening(&args, ready);
        let prog = xdp_prog_id(&ns);
        assert_eq!(prog.is_some(), tag == "t", "{prog:?}");
        ns.send(3);
        std::fs::write(&set, "7778\n").unwrap();
        // SAFETY: signalling our own child (`ip netns exec` execs bpfcap).
        unsafe { libc::kill(child.id() as i32, libc::SIGHUP) };
        let line = stderr_line(&mut child);
        assert!(line.ends_with("sets reloaded: @p (1)"), "{tag}: {line}");
        assert_eq!(xdp_prog_id(&ns), prog, "{tag}");
        ns.send(3);
        let stderr = interrupt(child);
        let mut want: Vec<Vec<u8>> = (0..3).map(|i| format!("pkt-{i}").into_bytes()).collect();
        want.extend([b"other".to_vec(), b"other".to_vec(), b"other".to_vec()]);
        assert_eq!(payloads(&out), want, "{tag}: {stderr}");
    }
}

/// Without `--set`, SIGHUP still ends a capture, as in tcpdump.
#[test]
fn sighup_without_sets_ends_the_capture() {
    if !privileged("sighup_without_sets_ends_the_capture") {
        return;
    }
    let ns = Netns::new("h");
    let out = out_file("hup.pcap");
    let mut child = ns.capture(&["-w", out.to_str().unwrap(), "udp port 7777"]);
    std::thread::sleep(Duration::from_millis(200));
    // SAFETY: signalling our own child.
    unsafe { libc::kill(child.id() as i32, libc::SIGHUP) };
    assert!(wait(&mut child, Duration::from_secs(10)).success());
}
