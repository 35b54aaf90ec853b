//! One capture plane: the captures of a run (`-i` given once or more),
//! each an `AF_PACKET` socket with its ring or an XDP program with its
//! ring buffer, waited on together with one `poll` and delivered as one
//! stream of packets in time order.
//!
//! A socket's ring hands its packets over in blocks, which the kernel
//! retires when full or 50 ms after their first packet, so a packet of
//! one interface can be read after later ones of another. With several
//! captures, packets are therefore copied out of the rings and held for
//! [`HOLD`] (several block time-outs) before being handed over sorted by
//! time; when the capture stops, whatever is held is handed over too. One
//! capture hands its packets straight over, as it always did.
//!
//! A thread per capture feeding a merger would order the same way, but
//! would still have to hold packets back for the slowest ring; one loop
//! keeps a signal, `-c` and the end of the run in one place.

use std::io;
use std::os::fd::{AsRawFd, BorrowedFd};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bpfcap_capture::live::LiveCapture;
use bpfcap_capture::xdp::{TICK, XdpSession};
use bpfcap_capture::{
    FileFormat, Interface, InterfaceCounts, Origin, Packet, Port, Timestamp, Verdict,
};

use bpfcap_capture::SetMapError;
use bpfcap_filter::SetTable;

use crate::Fatal;
use crate::args::Args;
use crate::output::{Output, live_format};
use crate::sets::Reload;

/// How often a capture with no traffic checks for a signal.
const POLL: Duration = Duration::from_millis(100);

/// How long packets are held back to be put in time order with those of
/// the other captures: four of a socket ring's block time-outs.
const HOLD: Duration = Duration::from_millis(200);

/// Takes a packet to the output; `Ok(false)` after the last one that
/// is wanted.
pub type Take<'a> = dyn FnMut(&Packet<'_>) -> io::Result<bool> + 'a;

/// A capture that packets come from.
pub trait Source {
    /// Waits a moment for packets and hands each to `out` until it
    /// returns `Ok(false)`; how many were handed over.
    fn next(&mut self, out: &mut Take<'_>) -> Result<usize, Fatal>;

    /// Once the capture has stopped (a signal, -c, the last -G -W file):
    /// hands over, the same way, what it still holds, or throws it away
    /// when nothing more is to be written (`None`). Nothing by default.
    fn rest(&mut self, _out: Option<&mut Take<'_>>) -> Result<(), Fatal> {
        Ok(())
    }
}

/// One capture of the plane.
pub enum Member {
    /// An `AF_PACKET` socket (classic or eBPF filter).
    Socket(LiveCapture),
    /// An XDP program that copies packets to its ring buffer.
    Xdp {
        session: XdpSession,
        /// Packets left in the ring, or held, past -c or the last -W file.
        unwritten: usize,
    },
}

impl Member {
    /// The interface its packets come from.
    pub fn interface(&self) -> &Interface {
        match self {
            Member::Socket(cap) => cap.interface(),
            Member::Xdp { session, .. } => session.interface(),
        }
    }

    /// Its interface by name.
    pub fn port(&self) -> Port<'_> {
        match self {
            Member::Socket(cap) => cap.port(),
            Member::Xdp { session, .. } => session.port(),
        }
    }

    fn fd(&self) -> Option<BorrowedFd<'_>> {
        match self {
            Member::Socket(cap) => Some(cap.fd()),
            Member::Xdp { session, .. } => session.fd(),
        }
    }

    /// Refills the maps of its filter's sets in place (see
    /// [`crate::sets::Reload`]).
    pub fn update_sets(&mut self, sets: &SetTable) -> Result<(), SetMapError> {
        match self {
            Member::Socket(cap) => cap.update_sets(sets),
            Member::Xdp { session, .. } => session.update_sets(sets),
        }
    }

    /// Waits up to `timeout` for its packets and hands each to `out`
    /// until it returns `Ok(false)`; how many were handed over.
    fn next(&mut self, timeout: Duration, out: &mut Take<'_>) -> Result<usize, Fatal> {
        match self {
            Member::Socket(cap) => cap.dispatch(timeout, out).map_err(|e| Fatal(e.to_string())),
            Member::Xdp { session, .. } => {
                session.poll(timeout, out).map_err(|e| Fatal(e.to_string()))
            }
        }
    }

    /// Once the capture has stopped: an XDP program is detached and what
    /// its ring buffer still holds handed to `out`, or counted unwritten.
    fn rest(&mut self, out: Option<&mut Take<'_>>) -> Result<(), Fatal> {
        if let Member::Xdp { session, unwritten } = self {
            session.detach();
            *unwritten += session.drain(out).map_err(|e| Fatal(e.to_string()))?;
        }
        Ok(())
    }
}

/// A packet copied out of its ring, held to be put in time order.
struct Held {
    /// Which member it came from.
    member: usize,
    ts: Timestamp,
    wirelen: u32,
    data: Vec<u8>,
    /// Its interface's name and description (for `any`, the interface it
    /// came from).
    port: Option<(String, Option<String>)>,
    flags: Option<u32>,
    verdict: Option<Verdict>,
}

impl Held {
    fn new(member: usize, pkt: &Packet<'_>) -> Held {
        let o = &pkt.origin;
        Held {
            member,
            ts: pkt.ts,
            wirelen: pkt.wirelen,
            data: pkt.data.to_vec(),
            port: o
                .port
                .map(|p| (p.name.to_string(), p.description.map(str::to_string))),
            flags: o.flags,
            verdict: o.verdict,
        }
    }

    fn packet<'a>(&'a self, interface: &'a Interface) -> Packet<'a> {
        let origin = Origin {
            port: self.port.as_ref().map(|(name, description)| Port {
                name,
                description: description.as_deref(),
            }),
            flags: self.flags,
            verdict: self.verdict,
        };
        Packet::live(self.ts, self.wirelen, &self.data, interface).with_origin(origin)
    }
}

/// The captures of a run, as one source of packets.
pub struct Plane {
    pub members: Vec<Member>,
    /// Packets written from each member.
    pub written: Vec<u64>,
    held: Vec<Held>,
    /// With `--set`: SIGHUP refills the members' set maps.
    pub reload: Option<Reload>,
}

impl Plane {
    pub fn new(members: Vec<Member>) -> Plane {
        Plane {
            written: vec![0; members.len()],
            members,
            held: Vec::new(),
            reload: None,
        }
    }

    /// Opens the output for the packets of `members` and describes their
    /// interfaces in it. A pcap file holds one link type: interfaces of
    /// several need pcapng.
    pub fn output(args: &Args, members: &[Member], snaplen: u32) -> Result<Output, Fatal> {
        let format = live_format(args);
        let first = members[0].interface();
        if let (FileFormat::Pcap { .. }, Some(_)) = (format, &args.write)
            && let Some(other) = members
                .iter()
                .find(|m| m.interface().linktype != first.linktype)
        {
            return Err(Fatal(format!(
                "{} ({}) and {} ({}) have different link types, which cannot go in one \
                 pcap file; write pcapng (--pcapng)",
                members[0].port().name,
                first.link_type().name(),
                other.port().name,
                other.interface().link_type().name(),
            )));
        }
        let mut output = Output::open(args, format, first, snaplen, true)?;
        for m in members {
            output
                .describe(m.interface(), m.port())
                .map_err(|e| Fatal(e.to_string()))?;
        }
        Ok(output)
    }

    /// Ends the run's output: each member's `counts` (an interface
    /// statistics block in pcapng), then a flush — unless the run ended
    /// with an error, which is the one to report.
    pub fn finish(
        &self,
        output: &mut Output,
        result: Result<(), Fatal>,
        counts: &[InterfaceCounts],
    ) -> Result<(), Fatal> {
        result?;
        for (m, c) in self.members.iter().zip(counts) {
            output
                .write_statistics(m.interface(), m.port(), c)
                .map_err(|e| Fatal(e.to_string()))?;
        }
        output.flush().map_err(|e| Fatal(e.to_string()))
    }

    /// Waits until a capture may have packets, a signal, or the time a
    /// capture must be looked at anyway (an XDP ring buffer is not
    /// always woken: see [`TICK`]).
    fn wait(&self) -> Result<(), Fatal> {
        let mut fds: Vec<libc::pollfd> = self
            .members
            .iter()
            .filter_map(Member::fd)
            .map(|fd| libc::pollfd {
                fd: fd.as_raw_fd(),
                events: libc::POLLIN | libc::POLLERR,
                revents: 0,
            })
            .collect();
        let xdp = self.members.iter().any(|m| matches!(m, Member::Xdp { .. }));
        let timeout = if xdp { TICK } else { POLL };
        // SAFETY: `fds` holds fds.len() valid pollfds.
        let r = unsafe {
            libc::poll(
                fds.as_mut_ptr(),
                fds.len() as libc::nfds_t,
                timeout.as_millis() as i32,
            )
        };
        let e = io::Error::last_os_error();
        if r < 0 && e.kind() != io::ErrorKind::Interrupted {
            return Err(Fatal(format!("poll: {e}")));
        }
        Ok(())
    }

    /// Copies every member's ready packets out of its ring.
    fn gather(&mut self) -> Result<(), Fatal> {
        for (m, member) in self.members.iter_mut().enumerate() {
            let held = &mut self.held;
            member.next(Duration::ZERO, &mut |pkt: &Packet<'_>| {
                held.push(Held::new(m, pkt));
                Ok(true)
            })?;
        }
        Ok(())
    }

    /// Hands the held packets up to `upto` (all without it) to `out` in
    /// time order, until it returns `Ok(false)`; how many.
    fn release(&mut self, upto: Option<Timestamp>, out: &mut Take<'_>) -> Result<usize, Fatal> {
        // Stable: packets of one time stay in the order they were read.
        self.held.sort_by_key(|h| h.ts);
        let ready = upto.map_or(self.held.len(), |t| {
            self.held.partition_point(|h| h.ts <= t)
        });
        let mut n = 0;
        let mut more = true;
        while more && n < ready {
            let h = &self.held[n];
            self.written[h.member] += 1;
            n += 1;
            more = out(&h.packet(self.members[h.member].interface()))
                .map_err(|e| Fatal(format!("writing packets: {e}")))?;
        }
        self.held.drain(..n);
        Ok(n)
    }
}

/// The wall-clock time `ago` before now.
fn before_now(ago: Duration) -> Timestamp {
    let t = SystemTime::now()
        .checked_sub(ago)
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .unwrap_or_default();
    Timestamp {
        secs: t.as_secs() as i64,
        nanos: t.subsec_nanos(),
    }
}

impl Source for Plane {
    fn next(&mut self, out: &mut Take<'_>) -> Result<usize, Fatal> {
        if let Some(reload) = &self.reload
            && let Some(table) = reload.take()
        {
            // A member that cannot take the new sets is reported and
            // keeps the old ones.
            let sizes = reload.sizes(&table);
            for m in &mut self.members {
                let name = m.port().name.to_string();
                match m.update_sets(&table) {
                    Ok(()) => eprintln!("bpfcap: {name}: sets reloaded: {sizes}"),
                    Err(e) => eprintln!("bpfcap: {name}: sets not reloaded: {e}"),
                }
            }
        }
        if let ([only], [written]) = (&mut self.members[..], &mut self.written[..]) {
            return only.next(POLL, &mut |pkt: &Packet<'_>| {
                *written += 1;
                out(pkt)
            });
        }
        self.wait()?;
        self.gather()?;
        self.release(Some(before_now(HOLD)), out)
    }

    fn rest(&mut self, out: Option<&mut Take<'_>>) -> Result<(), Fatal> {
        if let ([only], [written]) = (&mut self.members[..], &mut self.written[..]) {
            let mut counted;
            let out = match out {
                Some(out) => {
                    counted = |pkt: &Packet<'_>| {
                        *written += 1;
                        out(pkt)
                    };
                    Some(&mut counted as &mut Take<'_>)
                }
                None => None,
            };
            return only.rest(out);
        }
        self.gather()?;
        for m in 0..self.members.len() {
            let held = &mut self.held;
            self.members[m].rest(Some(&mut |pkt: &Packet<'_>| {
                held.push(Held::new(m, pkt));
                Ok(true)
            }))?;
        }
        if let Some(out) = out {
            self.release(None, out)?;
        }
        // What -c or -W left: XDP counts it as matched but not written.
        for h in self.held.drain(..) {
            if let Member::Xdp { unwritten, .. } = &mut self.members[h.member] {
                *unwritten += 1;
            }
        }
        Ok(())
    }
}
