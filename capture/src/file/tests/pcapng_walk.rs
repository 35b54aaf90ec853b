//! Replay's pcapng fast loop (`replay::pcapng_fast`) against replaying
//! packet by packet: files in both byte orders, with several interfaces,
//! time resolutions and link types, and blocks of every other kind
//! between the packets; damaged, truncated and shrinking files.

use super::*;

/// A 14-to-133-byte frame numbered `i`.
fn numbered(i: usize) -> Vec<u8> {
    (0..14 + i % 120).map(|k| (i * 7 + k) as u8).collect()
}

/// One section of `n` packets from `first` on, in byte order `big`:
/// interfaces 0 (Ethernet, microseconds), 1 (Ethernet, nanoseconds, an
/// offset, snapshot length 200) and, with `raw`, 2 (RAW); packet 3333 is
/// longer than replay's copied window (256 KiB); every 500th
/// packet is followed by blocks of the other kinds (name resolution,
/// statistics, custom, decryption secrets, an unknown one, a simple and
/// an obsolete packet block).
fn section(big: bool, first: usize, n: usize, raw: bool) -> Vec<u8> {
    let mut b = Bytes::new(big);
    shb(&mut b);
    idb(&mut b, 1, 0, None, None);
    idb(&mut b, 1, 200, Some(9), Some(100));
    if raw {
        idb(&mut b, 101, 0, None, None);
    }
    packets(&mut b, first, n, raw);
    b.out
}

/// The packets of [`section`] and the blocks between them.
fn packets(b: &mut Bytes, first: usize, n: usize, raw: bool) {
    let big = b.big;
    for i in first..first + n {
        let (id, ticks) = match i % 10 {
            0..=5 => (0, i as u64 * 1_000_003),
            6..=8 => (1, i as u64 * 1_000_000_007),
            _ if raw => (2, i as u64),
            _ => (0, i as u64),
        };
        // One block longer than a copied window (on interface 0).
        let data = if i == 3333 {
            vec![7; 262_000]
        } else {
            numbered(i)
        };
        epb(b, id, ticks, &data, data.len() as u32 + (i % 3) as u32);
        if i % 500 == 499 {
            b.block(4, &[0; 8]); // name resolution: opt_endofopt
            let mut isb = Bytes::new(big);
            isb.u32(0).u32(0).u32(5);
            b.block(5, &isb.out);
            b.block(0x0bad, b"\x00\x00\x7f\xffcustom");
            b.block(10, &[0; 8]);
            b.block(0x1234, b"unknown");
            let mut spb = Bytes::new(big);
            spb.u32(60).raw(&frame(i as u8));
            b.block(3, &spb.out);
            let mut pb = Bytes::new(big);
            pb.u16(1)
                .u16(0)
                .u32(0)
                .u32(9)
                .u32(60)
                .u32(60)
                .raw(&frame(i as u8));
            b.block(2, &pb.out);
        }
    }
}

/// Two sections, the second in the other byte order.
fn sections(big: bool, raw: bool) -> Vec<u8> {
    let mut file = section(big, 0, 7000, raw);
    file.extend(section(!big, 7000, 5000, raw));
    file
}

/// The fast loop's output, counts and errors are those of replaying
/// packet by packet, with and without `-c` and `-s`, whole, truncated
/// and damaged, in memory and mapped, and when only counting.
#[test]
fn fast_pcapng_replay_writes_what_packet_replay_writes() {
    for big in [false, true] {
        let whole = sections(big, false);
        let mut truncated = whole.clone();
        truncated.truncate(whole.len() - 20);
        // A block whose trailer differs from its length, after 3000
        // packets.
        let mut damaged = section(big, 0, 3000, false);
        let mut b = Bytes::new(big);
        let mut body = Bytes::new(big);
        body.u32(0).u32(0).u32(5).u32(60).u32(60).raw(&frame(5));
        raw_block(&mut b, 6, 92, &body.out, 1234);
        packets(&mut b, 3000, 4000, false);
        damaged.extend(b.out);
        for file in [&whole, &truncated, &damaged] {
            for expr in ["", "ether[0] & 1 = 0", "ether[3] = 7", "len > 100"] {
                for opts in [
                    (None, None),
                    (Some(1), None),
                    (Some(7777), None),
                    (None, Some(40)),
                    (Some(7777), Some(60)),
                ] {
                    let slow = fast_agrees_with_slow(file, expr, opts, big);
                    if std::ptr::eq(file, &damaged) && opts.0.is_none() {
                        let error = slow.2.as_deref().unwrap_or_default();
                        assert!(error.contains("header and trailer"), "{error}");
                    }
                }
            }
        }
    }
}

/// Packets of link types a pcap output cannot take (RAW here) and
/// packets only counted: the fast loop leaves the former to the reader,
/// which fails as packet replay does, and counts all of them.
#[test]
fn fast_pcapng_replay_of_several_link_types() {
    for big in [false, true] {
        let file = sections(big, true);
        for expr in ["", "ip", "ether[0] & 1 = 0"] {
            let slow = replay_through(&file, expr, &mut |_: &Packet<'_>| Ok(()));
            let mut counter = Counter(0);
            let counted = replay_through(&file, expr, &mut counter);
            assert_eq!(counted, slow, "{big} {expr:?}");
            assert_eq!(counter.0, slow.1, "{big} {expr:?}");
        }
        // Into a pcap file of Ethernet: the first RAW packet (number 10)
        // is refused, whichever loop meets it.
        let first = Reader::from_bytes(file.clone()).unwrap().interfaces()[0].clone();
        let format = FileFormat::Pcap { nanos: false };
        let mut w = Writer::new(Box::new(std::io::sink()), format, &first, 65535).unwrap();
        let mut reader = Reader::from_bytes(file).unwrap();
        let err = crate::Replay::new(crate::ReplayOptions::new(""))
            .run(&mut reader, &mut w)
            .unwrap_err();
        assert!(err.to_string().contains("write pcapng"), "{err}");
    }
}

/// (read, matched) of replaying `file` into `sink`.
fn replay_through(file: &[u8], expr: &str, sink: &mut impl crate::Sink) -> (u64, u64) {
    let mut reader = Reader::from_bytes(file.to_vec()).unwrap();
    let stats = crate::Replay::new(crate::ReplayOptions::new(expr))
        .run(&mut reader, sink)
        .unwrap();
    (stats.read, stats.matched)
}

/// A pcap writer that counts how its packets arrive.
struct Arrivals<'a> {
    out: &'a mut Writer,
    records: u64,
    packets: u64,
}

impl crate::Sink for Arrivals<'_> {
    fn packet(&mut self, pkt: &Packet<'_>) -> std::io::Result<()> {
        self.packets += 1;
        self.out.write_packet(pkt)
    }
    fn takes_records_of(&self, interface: &Interface) -> bool {
        self.out.takes_records_of(interface)
    }
    fn records(&mut self, records: &[std::io::IoSlice<'_>]) -> std::io::Result<()> {
        self.records += records.iter().map(|r| native_record_count(r)).sum::<u64>();
        self.out.write_records(records)
    }
}

/// The enhanced packet blocks of interfaces whose filter reads only the
/// packets go through the fast loop, but for the first packet after
/// blocks of other kinds, which the reader reads with them; the packets
/// of simple and obsolete packet blocks, and all of them when the filter
/// reads the records' metadata, go one at a time.
#[test]
fn pcapng_packets_take_the_fast_loop_where_they_can() {
    let file = sections(false, false);
    let first = Reader::from_bytes(file.clone()).unwrap().interfaces()[0].clone();
    // Each section's first packet (both match) is read with its
    // interface descriptions.
    for (expr, fast) in [("", 11_998), ("ether[0] & 1 = 0", 5_998), ("inbound", 0)] {
        let format = FileFormat::Pcap { nanos: false };
        let mut w = Writer::new(Box::new(std::io::sink()), format, &first, 65535).unwrap();
        let mut sink = Arrivals {
            out: &mut w,
            records: 0,
            packets: 0,
        };
        let mut reader = Reader::from_bytes(file.clone()).unwrap();
        let result =
            crate::Replay::new(crate::ReplayOptions::new(expr)).run(&mut reader, &mut sink);
        assert_eq!(sink.records, fast, "{expr:?}");
        if fast > 0 {
            // 24 times a simple and an obsolete packet block (all
            // matching), and the sections' first packets.
            let slow = 50;
            assert_eq!(sink.packets, slow, "{expr:?}");
            assert_eq!(result.unwrap().matched, fast + slow);
        } else {
            // No direction recorded: as packet by packet.
            assert!(matches!(
                result,
                Err(crate::ReplayError::NoDirection { .. })
            ));
        }
    }
}

/// The fast loop over a mapped pcapng file that is cut far ahead of the
/// walk while matching packets are handed on: the window over the cut
/// (of the mapping, or copied, which then comes back short) stops at the
/// first block it cuts, which the reader reads and reports as the
/// shrink; the output holds exactly the matching packets before the
/// cut.
#[test]
fn fast_pcapng_replay_of_a_file_cut_ahead_keeps_exactly_the_packets_before_it() {
    both_ways(|mapped| replay_a_pcapng_file_cut_ahead(&format!("cut-ahead-{mapped}.pcapng")));
}

fn replay_a_pcapng_file_cut_ahead(name: &str) {
    let mut b = Bytes::new(cfg!(target_endian = "big"));
    shb(&mut b);
    idb(&mut b, 1, 0, None, None);
    let mut ends = Vec::new();
    for i in 0..30_000 {
        epb(&mut b, 0, i as u64 * 1_000_000, &record_data(i), 100);
        ends.push(b.out.len());
    }
    let path = shrink_path(name);
    std::fs::write(&path, &b.out).unwrap();
    let got = replay_cut_after_20000(&path, &ends, 0);
    for (n, p) in got.iter().enumerate() {
        assert_eq!(p.1, ts(2 * n as i64, 0), "packet {n}");
    }
}

/// A pcapng copy that takes every packet one at a time, as the
/// record-by-record loop hands them on.
struct OneByOne<'a>(&'a mut Writer);

impl crate::Sink for OneByOne<'_> {
    fn packet(&mut self, pkt: &Packet<'_>) -> std::io::Result<()> {
        self.0.write_packet(pkt)
    }
    fn blocks(&mut self, blocks: &[RawBlock]) -> std::io::Result<()> {
        self.0.write_blocks(blocks)
    }
    fn takes_blocks(&self) -> bool {
        true
    }
}

/// Replays `file` into a pcapng copy, through the fast loop or
/// (`one_by_one`) packet by packet; the output, the matching count and
/// the error reading ended with.
fn replay_to_pcapng_copy(
    file: &[u8],
    expr: &str,
    (count, snaplen): (Option<u64>, Option<u32>),
    one_by_one: bool,
) -> (Vec<u8>, u64, Option<String>) {
    let mut reader = Reader::from_bytes(file.to_vec()).unwrap();
    let buf = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let out = Box::new(SharedBuf(buf.clone()));
    let mut w = Writer::new_pcapng_copy(out, reader.opening_blocks(), snaplen).unwrap();
    let mut replay = test_replay(expr, count, snaplen);
    let result = if one_by_one {
        replay.run(&mut reader, &mut OneByOne(&mut w))
    } else {
        replay.run(&mut reader, &mut w)
    };
    w.flush().unwrap();
    outcome(result, &buf)
}

/// A pcapng copy (`--pcapng -w`) through the fast loop is the copy made
/// packet by packet: the same packet blocks, and the metadata blocks
/// (later sections, interface descriptions, statistics, name resolution,
/// decryption secrets, custom blocks) where they were met, with and
/// without `-c` and `-s`, several link types, truncated and damaged.
#[test]
fn fast_pcapng_copy_writes_what_packet_replay_writes() {
    for big in [false, true] {
        let whole = sections(big, true);
        let mut truncated = whole.clone();
        truncated.truncate(whole.len() - 20);
        for file in [&whole, &truncated] {
            for expr in ["", "ether[0] & 1 = 0", "len > 100", "ip"] {
                for opts in [
                    (None, None),
                    (Some(1), None),
                    (Some(7777), None),
                    (None, Some(40)),
                ] {
                    let slow = replay_to_pcapng_copy(file, expr, opts, true);
                    let fast = replay_to_pcapng_copy(file, expr, opts, false);
                    let what = format!("{big} {expr:?} {opts:?}");
                    assert!(fast == slow, "{what}: {:?} {:?}", fast.1, slow.1);
                }
            }
        }
    }
}
