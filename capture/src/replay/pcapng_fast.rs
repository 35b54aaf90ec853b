//! Replay's fast loop over a pcapng file held in memory: runs of
//! enhanced packet blocks are filtered where they lie, without the
//! reader, and the matching packets are written into a buffer as the
//! writer would write them (pcap records, or enhanced packet blocks for
//! a pcapng copy), or only counted; the buffer is handed on once the
//! bytes walked are confirmed as the file's.
//!
//! Only what the record-by-record loop would hand on the same is done
//! here: blocks of interfaces whose filter reads nothing but the packet
//! ([`Answered::plain`]), for a sink that takes pcap records of their
//! link type ([`Sink::records`]), copies pcapng input
//! ([`Sink::pcapng_blocks`]; the metadata blocks met before are handed
//! to [`Sink::blocks`] first, as the reader hands them with a packet),
//! or only counts. Every other block (section headers, interface
//! descriptions, statistics, simple packet blocks, damage...) stops the
//! walk; the reader reads it and the packet after it, and the walk goes
//! on from there.
//!
//! [`Answered::plain`]: bpfcap_filter::cbpf::ancillary::Answered::plain

use std::io::IoSlice;

use bpfcap_filter::cbpf::Runner;

use super::{OUT_BYTES, Replay, ReplayError, ReplayStats, Sink, Stop, kept};
use crate::file::{BlockHalt, Interface, Packet, Reader, write_kept_epb, write_pcap_record};

/// What becomes of an interface's matching packets.
#[derive(Clone, Copy)]
enum Plan {
    /// Written as pcap records, with nanosecond time stamps or not.
    Written { nanos: bool },
    /// Written as a pcapng copy writes them ([`Sink::pcapng_blocks`]).
    Copied,
    /// Only counted ([`Sink::counts_only`]).
    Counted,
}

impl Replay {
    /// Walks the enhanced packet blocks from the reader's position on as
    /// far as the fast loop may (see the module's documentation), leaving
    /// the reader after the last one handed on. Whether the walk is worth
    /// trying again after the reader read the block that stopped it.
    pub(super) fn walk_pcapng(
        &self,
        reader: &mut Reader,
        sink: &mut impl Sink,
        stats: &mut ReplayStats,
    ) -> Result<bool, ReplayError> {
        let Some(walker) = reader.pcapng_walker() else {
            return Ok(false);
        };
        let copied = sink.takes_pcapng_blocks() && !sink.counts_only();
        if sink.takes_blocks() && !copied {
            return Ok(false);
        }
        // Each interface's filter (compiled already, else the reader's
        // loop compiles it) and plan.
        let plans: Vec<Option<(&Runner, Plan)>> = (reader.interfaces().iter())
            .take(walker.interfaces())
            .map(|i| Some((self.plain_filter(i)?, plan(i, sink)?)))
            .collect();
        if plans.iter().all(Option::is_none) {
            return Ok(true);
        }
        let take: Vec<bool> = plans.iter().map(Option::is_some).collect();
        let interfaces = reader.interfaces().to_vec();
        // Metadata blocks not handed on yet, which go before the next
        // packet handed on.
        let mut pending = reader.pending_blocks().to_vec();
        let (len, count) = (walker.memory().bytes().len(), self.opts.count);
        let (cut, counted) = (self.opts.snaplen.is_some(), sink.counts_only());
        let mut out = Vec::new();
        let (mut at, mut longer) = (walker.start, false);
        let (mut buf, mut plan) = (Vec::new(), (false, at));
        let again = loop {
            let window = walker.window(at, len, longer, &mut buf, &mut plan);
            let (before, mut matched) = (*stats, 0);
            let (stop, halt) = walker.walk(&window, at, &take, &mut |p, _| {
                stats.read += 1;
                let Some((exec, plan)) = plans[p.interface] else {
                    unreachable!("the walk hands on blocks of interfaces taken only")
                };
                let verdict = exec.run(p.data, p.wirelen);
                if verdict == 0 {
                    return true;
                }
                stats.matched += 1;
                matched += 1;
                let data = &p.data[..kept(p.data.len(), verdict, cut)];
                match plan {
                    Plan::Written { nanos } => {
                        write_pcap_record(&mut out, p.ts.timeval(nanos), p.wirelen, data)
                    }
                    Plan::Copied => {
                        let live = Packet::live(p.ts, p.wirelen, data, &interfaces[p.interface]);
                        let pkt = Packet {
                            block: Some(p.body),
                            ..live
                        };
                        write_kept_epb(&mut out, &pkt)
                    }
                    Plan::Counted => Ok(()),
                }
                .expect("writing to memory");
                out.len() < OUT_BYTES && Some(stats.matched) != count
            });
            // Copies are the file's bytes whatever happens to it later;
            // the mapping's are vouched for after they were read.
            if !window.copied && walker.memory().confirm(stop).is_err() {
                // The file shrank: what was walked may have been zeros.
                // The reader reads it again and reports the shrink.
                *stats = before;
                break false;
            }
            let handed = if out.is_empty() {
                if matched > 0 && counted {
                    sink.count(matched)
                } else {
                    Ok(())
                }
            } else if copied {
                let blocks = if pending.is_empty() {
                    Ok(())
                } else {
                    reader.clear_pending_blocks();
                    sink.blocks(&std::mem::take(&mut pending))
                };
                blocks.and_then(|()| sink.pcapng_blocks(&out, matched))
            } else {
                sink.records(&[IoSlice::new(&out)])
            };
            out.clear();
            handed.map_err(|e| Stop::Output(e).into_error(*stats))?;
            let (progress, last) = (stop > at, window.last);
            at = stop;
            match halt {
                BlockHalt::Asked if Some(stats.matched) == count => break true,
                BlockHalt::Asked => longer = false,
                // A block longer than the window: the mapping's next.
                BlockHalt::Edge if !last => longer = !progress,
                BlockHalt::Edge | BlockHalt::Refused => break true,
            }
        };
        reader.seek(at);
        Ok(again)
    }

    /// The runner of the filter compiled for `interface`'s packets, if it
    /// reads nothing but their bytes.
    fn plain_filter(&self, interface: &Interface) -> Option<&Runner> {
        self.filters[self.compiled(interface)?].1.plain()
    }
}

/// What `sink` does with packets of `interface`: counts them, copies
/// pcapng blocks, or takes pcap records of its link type in this host's
/// byte order (with micro- or nanosecond time stamps); `None` if none.
fn plan(interface: &Interface, sink: &impl Sink) -> Option<Plan> {
    if sink.counts_only() {
        return Some(Plan::Counted);
    }
    if sink.takes_pcapng_blocks() {
        return Some(Plan::Copied);
    }
    [false, true].into_iter().find_map(|nanos| {
        let record = Interface {
            big_endian: cfg!(target_endian = "big"),
            ts_units_per_sec: if nanos { 1_000_000_000 } else { 1_000_000 },
            ..interface.clone()
        };
        sink.takes_records_of(&record)
            .then_some(Plan::Written { nanos })
    })
}
