//! Listens for DHCP traffic the way a DHCP client does: an `AF_PACKET`
//! socket that the kernel filters down to `udp and (port 67 or 68)`.
//!
//! ```text
//! cargo run -p bpfcap-capture --example dhcp_listener -- [interface [count]]
//! ```
//!
//! The socket is opened with protocol 0, so it receives nothing until it is
//! bound; the filter is attached before `bind`, so no unfiltered packet can
//! slip into the queue in between. Needs root (or `CAP_NET_RAW`).

use std::ffi::CString;
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use bpfcap_capture::Filter;
use bpfcap_filter::LinkType;

const EXPR: &str = "udp and (port 67 or 68)";
const TIMEOUT: Duration = Duration::from_secs(10);

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let ifname = args.next().unwrap_or_else(|| "lo".to_string());
    let count: usize = match args.next().map(|s| s.parse()) {
        None => 5,
        Some(Ok(n)) => n,
        Some(Err(e)) => {
            eprintln!("dhcp_listener: bad packet count: {e}");
            return ExitCode::from(2);
        }
    };
    match run(&ifname, count) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("dhcp_listener: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(ifname: &str, count: usize) -> Result<(), Box<dyn std::error::Error>> {
    let filter = Filter::compile(EXPR, LinkType::EN10MB).map_err(|e| e.render(EXPR))?;

    // SAFETY: plain socket(2) call; the result is checked before use.
    let fd = unsafe { libc::socket(libc::AF_PACKET, libc::SOCK_RAW | libc::SOCK_CLOEXEC, 0) };
    if fd < 0 {
        let err = io::Error::last_os_error();
        if err.raw_os_error() == Some(libc::EPERM) {
            return Err(format!(
                "cannot open AF_PACKET socket: {err} (run as root or with CAP_NET_RAW)"
            )
            .into());
        }
        return Err(format!("cannot open AF_PACKET socket: {err}").into());
    }
    // SAFETY: `fd` is a fresh descriptor that nothing else owns.
    let sock = unsafe { OwnedFd::from_raw_fd(fd) };

    filter.attach(&sock)?;

    let cname = CString::new(ifname)?;
    // SAFETY: `cname` is a valid NUL-terminated string.
    let ifindex = unsafe { libc::if_nametoindex(cname.as_ptr()) };
    if ifindex == 0 {
        return Err(format!("no interface {ifname:?}: {}", io::Error::last_os_error()).into());
    }

    // SAFETY: an all-zero sockaddr_ll is valid; we fill in what bind needs.
    let mut sll: libc::sockaddr_ll = unsafe { std::mem::zeroed() };
    sll.sll_family = libc::AF_PACKET as u16;
    sll.sll_protocol = (libc::ETH_P_ALL as u16).to_be();
    sll.sll_ifindex = ifindex as i32;
    // SAFETY: `sll` is a valid sockaddr_ll of the size passed.
    let rc = unsafe {
        libc::bind(
            sock.as_raw_fd(),
            (&sll as *const libc::sockaddr_ll).cast(),
            std::mem::size_of::<libc::sockaddr_ll>() as libc::socklen_t,
        )
    };
    if rc != 0 {
        return Err(format!("cannot bind to {ifname}: {}", io::Error::last_os_error()).into());
    }

    println!("listening on {ifname} for {count} packet(s) matching {EXPR:?}");
    let deadline = Instant::now() + TIMEOUT;
    let mut buf = vec![0u8; 65536];
    let mut seen = 0;
    while seen < count {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || !set_timeout(&sock, left)? {
            break;
        }
        // SAFETY: an all-zero sockaddr_ll is valid for recvfrom to fill.
        let mut from: libc::sockaddr_ll = unsafe { std::mem::zeroed() };
        let mut fromlen = std::mem::size_of::<libc::sockaddr_ll>() as libc::socklen_t;
        // SAFETY: `buf` is writable for its full length and `from` for
        // `fromlen` bytes.
        let n = unsafe {
            libc::recvfrom(
                sock.as_raw_fd(),
                buf.as_mut_ptr().cast(),
                buf.len(),
                libc::MSG_TRUNC,
                (&mut from as *mut libc::sockaddr_ll).cast(),
                &mut fromlen,
            )
        };
        if n < 0 {
            let err = io::Error::last_os_error();
            match err.kind() {
                io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => break,
                io::ErrorKind::Interrupted => continue,
                _ => return Err(format!("recv: {err}").into()),
            }
        }
        // On loopback every packet is seen twice: once going out, once in.
        let dir = match from.sll_pkttype {
            libc::PACKET_OUTGOING => "out",
            libc::PACKET_HOST => "in ",
            _ => "   ",
        };
        let len = n as usize;
        let shown = &buf[..len.min(buf.len()).min(48)];
        let hex: Vec<String> = shown.iter().map(|b| format!("{b:02x}")).collect();
        println!("{dir} {len:5} bytes: {}", hex.join(" "));
        seen += 1;
    }
    if seen < count {
        println!("timed out after {}s: {seen} packet(s)", TIMEOUT.as_secs());
    }
    Ok(())
}

/// Sets `SO_RCVTIMEO` to `left` (at least 1 ms, as 0 means "forever").
fn set_timeout(sock: &OwnedFd, left: Duration) -> io::Result<bool> {
    let left = left.max(Duration::from_millis(1));
    let tv = libc::timeval {
        tv_sec: left.as_secs() as libc::time_t,
        tv_usec: left.subsec_micros() as libc::suseconds_t,
    };
    // SAFETY: `tv` is a valid timeval of the size passed.
    let rc = unsafe {
        libc::setsockopt(
            sock.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_RCVTIMEO,
            (&tv as *const libc::timeval).cast(),
            std::mem::size_of::<libc::timeval>() as libc::socklen_t,
        )
    };
    if rc != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(true)
}
