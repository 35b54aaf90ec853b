//! `bpfcap -i IFACE`: live capture through the kernel's packet ring, with
//! the filter running in the kernel, to a file or as one line per packet;
//! and `-D`, the list of interfaces.

use std::ffi::{CStr, CString};
use std::io::{self, BufWriter, Write};
use std::time::Duration;

use capture::live::{LiveCapture, LiveError, LiveOptions, Stats};
use capture::{FileFormat, Interface, Packet, RotatingWriter, Timestamp, Writer};

use crate::args::Args;
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
    let mut cap = LiveCapture::open(&opts).map_err(|e| match e {
        LiveError::Compile(e) => Fatal(e.render(expr)),
        e => Fatal(e.to_string()),
    })?;
    if let Some(user) = &args.user {
        drop_privileges(user)?;
    }
    let output = Output::open(args, cap.interface(), opts.snaplen)?;
    if let Some(limit) = cap.ebpf_fallback() {
        eprintln!("bpfcap: warning: {limit}; using the classic filter");
    }
    if let Some(limit) = cap.classic_refused() {
        eprintln!("bpfcap: warning: {limit}; filtering in user space");
    }
    if cap.filter_too_long_for_kernel() {
        eprintln!("bpfcap: warning: the kernel cannot run this filter; filtering in user space");
    }
    let link = cap.link_type();
    eprintln!(
        "listening on {iface}, link-type {} ({}), snapshot length {} bytes",
        link.name(),
        link.description(),
        opts.snaplen
    );
    signals::install();
    let result = output.deliver(args, |out| {
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

/// The capture file(s) being written.
pub enum FileOut {
    Plain(Writer),
    /// -C / -G / -W.
    Rotating(RotatingWriter),
}

impl FileOut {
    /// Creates the -w file, or the first of the -C/-G files.
    pub fn create(
        args: &Args,
        path: &std::path::Path,
        format: FileFormat,
        interface: &Interface,
        snaplen: u32,
    ) -> Result<FileOut, Fatal> {
        let rotation = args.rotation();
        if rotation.is_some() && path.as_os_str() == "-" {
            return Err(Fatal("-C and -G need a file name, not -".into()));
        }
        match rotation {
            Some(rotation) => {
                RotatingWriter::create(path, rotation, format, interface, snaplen, capture_time())
                    .map(FileOut::Rotating)
            }
            None => Writer::create(path, format, interface, snaplen).map(FileOut::Plain),
        }
        .map_err(|e| Fatal(format!("{}: {e}", path.display())))
    }

    /// Writes a packet; `false` once -G -W has written its last file.
    pub fn write(&mut self, pkt: &Packet<'_>) -> io::Result<bool> {
        match self {
            FileOut::Plain(w) => w
                .write(pkt.interface, pkt.ts, pkt.wirelen, pkt.data)
                .map(|()| true),
            FileOut::Rotating(w) => w.write(pkt.interface, pkt.ts, pkt.wirelen, pkt.data),
        }
    }

    pub fn flush(&mut self) -> io::Result<()> {
        match self {
            FileOut::Plain(w) => w.flush(),
            FileOut::Rotating(w) => w.flush(),
        }
    }
}

/// The current time, for naming the first -G file.
fn capture_time() -> Timestamp {
    let d = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    Timestamp {
        secs: d.as_secs() as i64,
        nanos: d.subsec_nanos(),
    }
}

/// Where captured packets go: the -w file(s), or a line each on stdout.
pub enum Output {
    File(Box<FileOut>),
    Lines,
}

impl Output {
    /// Creates the -w file(s) before the capture starts, so that a bad
    /// path fails at once, as in tcpdump.
    pub fn open(args: &Args, interface: &Interface, snaplen: u32) -> Result<Output, Fatal> {
        let Some(path) = &args.write else {
            return Ok(Output::Lines);
        };
        let format = if args.pcapng {
            FileFormat::PcapNg
        } else {
            FileFormat::Pcap {
                nanos: args.nanos(),
            }
        };
        FileOut::create(args, path, format, interface, snaplen).map(|f| Output::File(Box::new(f)))
    }

    /// Sends captured packets to the file(s) or prints them, until -c
    /// packets, a signal, an error, or the last -G -W file. `next` waits a
    /// moment for packets and hands each to the function it is given
    /// (which returns whether to go on).
    pub fn deliver(
        self,
        args: &Args,
        mut next: impl FnMut(&mut dyn FnMut(&Packet<'_>) -> io::Result<bool>) -> Result<usize, Fatal>,
    ) -> Result<(), Fatal> {
        let mut left = args.count.unwrap_or(u64::MAX);
        let mut more = true;
        let mut pump = |out: &mut dyn FnMut(&Packet<'_>) -> io::Result<bool>| -> Result<(), Fatal> {
            while more && left > 0 && !signals::stopped() {
                next(&mut |pkt| {
                    if signals::stopped() {
                        return Ok(false);
                    }
                    more = out(pkt)?;
                    left -= 1;
                    Ok(more && left > 0)
                })?;
            }
            Ok(())
        };
        match self {
            Output::File(mut file) => {
                let r = pump(&mut |pkt| {
                    let more = file.write(pkt)?;
                    if args.packet_buffered {
                        file.flush()?;
                    }
                    Ok(more)
                });
                // Whatever stopped the loop, the records written are whole.
                let flushed = file.flush();
                r.and_then(|()| flushed.map_err(|e| Fatal(e.to_string())))
            }
            Output::Lines => {
                let mut summarizer = args.summarizer();
                let mut out = BufWriter::new(io::stdout().lock());
                let mut line = String::new();
                pump(&mut |pkt| {
                    line.clear();
                    summarizer.write(
                        &mut line,
                        pkt.interface.link_type(),
                        pkt.ts.secs,
                        pkt.ts.nanos,
                        pkt.wirelen,
                        pkt.data,
                    );
                    out.write_all(line.as_bytes())?;
                    out.flush()?;
                    Ok(true)
                })
            }
        }
    }
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
/// tcpdump's `-Z` does once the capture socket is open.
fn drop_privileges(user: &str) -> Result<(), Fatal> {
    let name = CString::new(user).map_err(|_| Fatal(format!("invalid user name {user:?}")))?;
    // SAFETY: getpwnam returns a pointer into static storage or null;
    // the fields are read before any other call that could reuse it.
    let (uid, gid) = unsafe {
        let pw = libc::getpwnam(name.as_ptr());
        if pw.is_null() {
            return Err(Fatal(format!("couldn't find user '{user}'")));
        }
        ((*pw).pw_uid, (*pw).pw_gid)
    };
    // SAFETY: plain credential changes; each result is checked.
    let ok = unsafe {
        libc::setgroups(1, &gid) == 0 && libc::setgid(gid) == 0 && libc::setuid(uid) == 0
    };
    if !ok {
        return Err(Fatal(format!(
            "couldn't change to user '{user}': {}",
            io::Error::last_os_error()
        )));
    }
    Ok(())
}

/// `-D`: the interfaces, numbered as tcpdump numbers them.
pub fn list_interfaces() -> Result<(), Fatal> {
    // SAFETY: if_nameindex returns an array ended by a zero entry, freed
    // below with if_freenameindex.
    let mut out = String::new();
    unsafe {
        let list = libc::if_nameindex();
        if list.is_null() {
            return Err(Fatal(format!(
                "cannot list interfaces: {}",
                io::Error::last_os_error()
            )));
        }
        let mut p = list;
        let mut n = 1;
        while (*p).if_index != 0 {
            let name = CStr::from_ptr((*p).if_name).to_string_lossy();
            out.push_str(&format!("{n}.{name}\n"));
            n += 1;
            p = p.add(1);
        }
        libc::if_freenameindex(list);
    }
    crate::write_stdout(out.as_bytes())
}
