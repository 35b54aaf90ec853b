//! `bpfcap -i IFACE`: live capture through the kernel's packet ring, with
//! the filter running in the kernel, to a file or as one line per packet.

use std::ffi::CString;
use std::io;
use std::time::Duration;

use capture::Packet;
use capture::live::{LiveCapture, LiveError, LiveOptions, Stats};

use crate::args::Args;
use crate::output::{Output, live_format};
use crate::{Fatal, signals};

/// How often a capture with no traffic checks for a signal.
const POLL: Duration = Duration::from_millis(100);

pub fn run(args: &Args, iface: &str, expr: &str) -> Result<(), Fatal> {
    let mut opts = LiveOptions::new(iface);
    if let Some(s) = args.snaplen.filter(|&s| s != 0) {
        opts.snaplen = s;
    }
    opts.promiscuous = !args.no_promiscuous;
    if let Some(kib) = args.buffer_kib {
        opts.buffer_size = kib.saturating_mul(1024);
    }
    opts.expr = expr.to_string();
    opts.optimize = !args.no_optimize;
    opts.ebpf = args.ebpf;
    opts.direction = args.direction;
    opts.immediate = args.immediate;
    let mut cap = LiveCapture::open(&opts).map_err(|e| match e {
        LiveError::Compile(e) => Fatal(e.render(expr)),
        e => Fatal(e.to_string()),
    })?;
    if let Some(user) = &args.user {
        drop_privileges(user)?;
    }
    let output = Output::open(args, live_format(args), cap.interface(), opts.snaplen, true)?;
    if cap.filter_too_long_for_kernel() {
        eprintln!("bpfcap: warning: the kernel cannot run this filter; filtering in user space");
    }
    let link = cap.link_type();
    listening(
        args,
        &format!(
            "listening on {iface}, link-type {} ({}), snapshot length {} bytes",
            link.name(),
            link.description(),
            opts.snaplen
        ),
    );
    signals::install();
    let result = deliver(output, args, |out| {
        cap.dispatch(POLL, |pkt| out(pkt)).map_err(|e| match e {
            // `| head` has seen enough.
            LiveError::Os { source, .. } if source.kind() == io::ErrorKind::BrokenPipe => {
                std::process::exit(0)
            }
            e => Fatal(e.to_string()),
        })
    });
    let stats = cap.stats().map_err(|e| Fatal(e.to_string()))?;
    print_stats(&stats);
    result
}

/// tcpdump's line before a live capture starts: with nothing to make
/// the output verbose (`-v`) or go to a file, a hint comes first.
pub fn listening(args: &Args, what: &str) {
    if args.verbose == 0 && args.write.is_none() {
        eprintln!("bpfcap: verbose output suppressed, use -v[v]... for full protocol decode");
        eprintln!("{what}");
    } else {
        eprintln!("bpfcap: {what}");
    }
}

/// Sends captured packets to the output until -c packets, a signal, an
/// error, or the last -G -W file. `next` waits a moment for packets and
/// hands each to the function it is given (which returns whether to go
/// on).
pub fn deliver(
    mut output: Output,
    args: &Args,
    mut next: impl FnMut(&mut dyn FnMut(&Packet<'_>) -> io::Result<bool>) -> Result<usize, Fatal>,
) -> Result<(), Fatal> {
    let mut left = args.count.unwrap_or(u64::MAX);
    let mut more = true;
    let mut result = Ok(());
    while result.is_ok() && more && left > 0 && !signals::stopped() {
        result = next(&mut |pkt| {
            if signals::stopped() {
                return Ok(false);
            }
            more = output.packet(pkt)?;
            left -= 1;
            Ok(more && left > 0)
        })
        .map(drop);
    }
    // Whatever stopped the loop, the records written are whole.
    let flushed = output.flush();
    result.and(flushed.map_err(|e| Fatal(e.to_string())))
}

/// tcpdump's closing lines.
fn print_stats(s: &Stats) {
    let plural = |n: u64| if n == 1 { "" } else { "s" };
    eprintln!("{} packet{} captured", s.captured, plural(s.captured));
    eprintln!(
        "{} packet{} received by filter",
        s.received,
        plural(s.received)
    );
    eprintln!(
        "{} packet{} dropped by kernel",
        s.dropped,
        plural(s.dropped)
    );
}

/// Switches to `user`'s uid and gid (and only its primary group), as
/// tcpdump's `-Z` does once the capture is open, when run as root (as
/// anyone else, tcpdump ignores `-Z`).
pub fn drop_privileges(user: &str) -> Result<(), Fatal> {
    // SAFETY: getuid and geteuid have no preconditions.
    if unsafe { libc::getuid() != 0 && libc::geteuid() != 0 } {
        return Ok(());
    }
    let name = CString::new(user).map_err(|_| Fatal(format!("invalid user name {user:?}")))?;
    // SAFETY: getpwnam returns a pointer into static storage or null;
    // the fields are read before any other call that could reuse it.
    let (uid, gid) = unsafe {
        let pw = libc::getpwnam(name.as_ptr());
        if pw.is_null() {
            return Err(Fatal(format!("Couldn't find user '{user}'")));
        }
        ((*pw).pw_uid, (*pw).pw_gid)
    };
    // SAFETY: plain credential changes; each result is checked.
    let ok = unsafe {
        libc::setgroups(1, &gid) == 0 && libc::setgid(gid) == 0 && libc::setuid(uid) == 0
    };
    if !ok {
        return Err(Fatal(format!(
            "Couldn't change to '{user}' uid={uid} gid={gid}: {}",
            io::Error::last_os_error()
        )));
    }
    Ok(())
}
