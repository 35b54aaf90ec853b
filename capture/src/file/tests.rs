//! Reader and writer tests over hand-built files in both byte orders.

use super::*;

mod pcapng_walk;
mod stored_time;

thread_local! {
    /// Whether replay's fast loop on this thread reads a mapped file's
    /// mapping (`Some(true)`) or copies (`Some(false)`) instead of
    /// probing which is cheaper: both must behave the same.
    pub(crate) static READ_MAPPED: std::cell::Cell<Option<bool>> = const { std::cell::Cell::new(None) };
}

/// Builds files field by field in a chosen byte order.
struct Bytes {
    big: bool,
    out: Vec<u8>,
}

impl Bytes {
    fn new(big: bool) -> Bytes {
        Bytes {
            big,
            out: Vec::new(),
        }
    }
    fn u16(&mut self, v: u16) -> &mut Self {
        self.ordered(&v.to_le_bytes(), &v.to_be_bytes())
    }
    fn u32(&mut self, v: u32) -> &mut Self {
        self.ordered(&v.to_le_bytes(), &v.to_be_bytes())
    }
    fn ordered(&mut self, le: &[u8], be: &[u8]) -> &mut Self {
        self.raw(if self.big { be } else { le })
    }
    fn raw(&mut self, b: &[u8]) -> &mut Self {
        self.out.extend_from_slice(b);
        self
    }
    /// A pcapng block with `body` padded to 4 bytes.
    fn block(&mut self, kind: u32, body: &[u8]) -> &mut Self {
        let padded = body.len().next_multiple_of(4);
        let total = 12 + padded as u32;
        self.u32(kind).u32(total).raw(body);
        self.out.resize(self.out.len() + padded - body.len(), 0);
        self.u32(total)
    }
}

fn pcap_file(
    big: bool,
    magic: u32,
    linktype: u32,
    snaplen: u32,
    recs: &[(u32, u32, &[u8], u32)],
) -> Vec<u8> {
    let mut b = Bytes::new(big);
    b.u32(magic)
        .u16(2)
        .u16(4)
        .u32(0)
        .u32(0)
        .u32(snaplen)
        .u32(linktype);
    for &(secs, frac, data, wire) in recs {
        b.u32(secs)
            .u32(frac)
            .u32(data.len() as u32)
            .u32(wire)
            .raw(data);
    }
    b.out
}

/// A section header's body: byte-order magic, version, unknown length.
fn shb_body(big: bool, major: u16, minor: u16, magic: u32) -> Vec<u8> {
    let mut body = Bytes::new(big);
    body.u32(magic)
        .u16(major)
        .u16(minor)
        .u32(u32::MAX)
        .u32(u32::MAX);
    body.out
}

fn shb(b: &mut Bytes) {
    shb_version(b, 1, 0, 0x1a2b_3c4d);
}

fn idb(b: &mut Bytes, linktype: u16, snaplen: u32, tsresol: Option<u8>, tsoffset: Option<u64>) {
    let mut body = Bytes::new(b.big);
    body.u16(linktype).u16(0).u32(snaplen);
    if let Some(r) = tsresol {
        body.u16(9).u16(1).raw(&[r, 0, 0, 0]);
    }
    if let Some(off) = tsoffset {
        body.u16(14).u16(8);
        let v = if b.big {
            off.to_be_bytes()
        } else {
            off.to_le_bytes()
        };
        body.raw(&v);
    }
    body.u16(0).u16(0);
    b.block(1, &body.out);
}

fn epb(b: &mut Bytes, id: u32, ticks: u64, data: &[u8], wire: u32) {
    let mut body = Bytes::new(b.big);
    body.u32(id).u32((ticks >> 32) as u32).u32(ticks as u32);
    body.u32(data.len() as u32).u32(wire).raw(data);
    b.block(6, &body.out);
}

/// A packet as (interface linktype, ts, wirelen, data).
type Seen = (u32, Timestamp, u32, Vec<u8>);

/// Every packet of a file.
fn read_all(bytes: &[u8]) -> Result<Vec<Seen>, ReadError> {
    let mut r = Reader::from_bytes(bytes.to_vec())?;
    let mut v = Vec::new();
    while let Some(p) = r.next_packet()? {
        v.push((p.interface.linktype, p.ts, p.wirelen, p.data.to_vec()));
    }
    Ok(v)
}

fn ts(secs: i64, nanos: u32) -> Timestamp {
    Timestamp { secs, nanos }
}

#[test]
fn pcap_both_byte_orders_and_resolutions() {
    for big in [false, true] {
        let f = pcap_file(big, 0xa1b2_c3d4, 1, 65535, &[(10, 5, b"abc", 60)]);
        assert_eq!(
            read_all(&f).unwrap(),
            vec![(1, ts(10, 5000), 60, b"abc".to_vec())]
        );
        let f = pcap_file(big, 0xa1b2_3c4d, 1, 65535, &[(10, 5, b"abc", 60)]);
        let r = Reader::from_bytes(f.to_vec()).unwrap();
        assert_eq!(r.format(), FileFormat::Pcap { nanos: true });
        assert_eq!(r.interfaces()[0].big_endian, big);
        assert_eq!(read_all(&f).unwrap()[0].1, ts(10, 5));
    }
}

#[test]
fn pcap_records_are_cut_to_the_snapshot_length() {
    let f = pcap_file(
        false,
        0xa1b2_c3d4,
        1,
        2,
        &[(0, 0, b"abcd", 4), (1, 0, b"x", 1)],
    );
    let got = read_all(&f).unwrap();
    assert_eq!(got[0].3, b"ab");
    assert_eq!(got[1].3, b"x");
}

#[test]
fn pcap_microseconds_out_of_range_carry() {
    let f = pcap_file(false, 0xa1b2_c3d4, 1, 0, &[(1, 2_500_000, b"", 0)]);
    assert_eq!(read_all(&f).unwrap()[0].1, ts(3, 500_000_000));
}

#[test]
fn truncated_record_is_reported_after_whole_ones() {
    let mut f = pcap_file(
        false,
        0xa1b2_c3d4,
        1,
        0,
        &[(0, 0, b"abcd", 4), (1, 0, b"efgh", 4)],
    );
    f.truncate(f.len() - 2);
    let mut r = Reader::from_bytes(f.to_vec()).unwrap();
    assert!(r.next_packet().unwrap().is_some());
    assert!(matches!(r.next_packet(), Err(ReadError::Truncated { .. })));
}

#[test]
fn garbage_is_an_error_not_a_panic() {
    assert!(matches!(
        Reader::from_bytes(b"hello world, not a pcap".to_vec()),
        Err(ReadError::UnknownFormat)
    ));
    assert!(Reader::from_bytes(b"".to_vec()).is_err());
    assert!(Reader::from_bytes(b"\xd4\xc3\xb2\xa1\x02\x00".to_vec()).is_err());
    // Fuzz-ish: every prefix of a valid pcapng file.
    let f = pcapng_sample(false);
    for n in 0..f.len() {
        if let Ok(mut r) = Reader::from_bytes(f[..n].to_vec()) {
            while let Ok(Some(_)) = r.next_packet() {}
        }
    }
}

fn pcapng_sample(big: bool) -> Vec<u8> {
    let mut b = Bytes::new(big);
    shb(&mut b);
    idb(&mut b, 1, 0, None, None);
    idb(&mut b, 101, 65535, Some(9), Some(100));
    epb(&mut b, 0, 1_500_000, b"eth", 10);
    epb(&mut b, 1, 2_000_000_007, b"raw", 3);
    // A simple packet block: wire length 5, data padded.
    let mut spb = Bytes::new(big);
    spb.u32(5).raw(b"simpl");
    b.block(3, &spb.out);
    // An obsolete packet block on interface 0.
    let mut pb = Bytes::new(big);
    pb.u16(0).u16(0).u32(0).u32(7).u32(2).u32(2).raw(b"pb");
    b.block(2, &pb.out);
    // An unknown block is skipped.
    b.block(0x0bad, b"skip");
    b.out
}

#[test]
fn pcapng_interfaces_resolutions_and_block_kinds() {
    for big in [false, true] {
        let got = read_all(&pcapng_sample(big)).unwrap();
        assert_eq!(
            got,
            vec![
                (1, ts(1, 500_000_000), 10, b"eth".to_vec()),
                (101, ts(102, 7), 3, b"raw".to_vec()),
                (1, ts(0, 0), 5, b"simpl".to_vec()),
                (1, ts(0, 7000), 2, b"pb".to_vec()),
            ]
        );
    }
}

/// Regression (fuzz/artifacts/read_capture/crash-handmade-pcapng-if_tsoffset):
/// an `if_tsoffset` near `i64::MAX` used to overflow when added.
#[test]
fn pcapng_huge_tsoffset_wraps_instead_of_panicking() {
    let mut b = Bytes::new(false);
    shb(&mut b);
    idb(&mut b, 1, 0, None, Some(i64::MAX as u64));
    epb(&mut b, 0, 0x1_0000_0000_0000, b"x", 1);
    let got = read_all(&b.out).unwrap();
    let secs = (0x1_0000_0000_0000u64 / 1_000_000) as i64;
    assert_eq!(got[0].1.secs, secs.wrapping_add(i64::MAX));
}

#[test]
fn pcapng_power_of_two_resolution_and_new_sections() {
    let mut b = Bytes::new(false);
    shb(&mut b);
    idb(&mut b, 1, 0, Some(0x80 | 10), None);
    epb(&mut b, 0, 1024 + 512, b"a", 1);
    // A new section in the other byte order forgets the old interfaces.
    let mut big = Bytes::new(true);
    shb(&mut big);
    idb(&mut big, 12, 0, None, None);
    epb(&mut big, 0, 3, b"b", 1);
    b.raw(&big.out);
    let got = read_all(&b.out).unwrap();
    assert_eq!(got[0].1, ts(1, 500_000_000));
    assert_eq!((got[1].0, got[1].1), (12, ts(0, 3000)));
}

#[test]
fn pcapng_packet_on_unknown_interface_is_an_error() {
    let mut b = Bytes::new(false);
    shb(&mut b);
    idb(&mut b, 1, 0, None, None);
    epb(&mut b, 3, 0, b"a", 1);
    let err = read_all(&b.out).unwrap_err();
    assert!(
        err.to_string()
            .contains("no Interface Description Block for that interface"),
        "{err}"
    );
}

#[test]
fn written_files_read_back() {
    let iface = Interface {
        linktype: 1,
        snaplen: 262_144,
        big_endian: false,
        ts_units_per_sec: 1_000_000_000,
    };
    let raw = Interface {
        linktype: 101,
        ..iface.clone()
    };
    for format in [
        FileFormat::Pcap { nanos: false },
        FileFormat::Pcap { nanos: true },
        FileFormat::PcapNg,
    ] {
        let buf = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let mut w = Writer::new(Box::new(SharedBuf(buf.clone())), format, &iface, 262_144).unwrap();
        w.write(&iface, ts(5, 123_456_789), 100, b"hello").unwrap();
        let mixed = w.write(&raw, ts(6, 0), 1, b"r");
        assert_eq!(mixed.is_ok(), format == FileFormat::PcapNg);
        w.flush().unwrap();
        drop(w);
        let bytes = buf.lock().unwrap().clone();
        let got = read_all(&bytes).unwrap();
        let nanos = if format == (FileFormat::Pcap { nanos: false }) {
            123_456_000
        } else {
            123_456_789
        };
        assert_eq!(got[0], (1, ts(5, nanos), 100, b"hello".to_vec()));
        assert_eq!(got.len(), if format == FileFormat::PcapNg { 2 } else { 1 });
    }
}

/// A `Write` into a shared buffer, so the test can look at what a
/// [`Writer`] (which owns its output) wrote.
struct SharedBuf(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for SharedBuf {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The data of record `i` of [`shrinking_file`]: 100 bytes saying `i`.
fn record_data(i: usize) -> Vec<u8> {
    (0..100).map(|k| (i * 7 + k) as u8).collect()
}

/// A pcap file of `n` 116-byte records in this host's byte order, written
/// to a file of its own; returns its path and where each record ends.
fn shrinking_file(name: &str, n: usize) -> (std::path::PathBuf, Vec<usize>) {
    let data: Vec<Vec<u8>> = (0..n).map(record_data).collect();
    let recs: Vec<(u32, u32, &[u8], u32)> = data
        .iter()
        .enumerate()
        .map(|(i, d)| (i as u32, 0, &d[..], 100))
        .collect();
    let big = cfg!(target_endian = "big");
    let bytes = pcap_file(big, 0xa1b2_c3d4, 1, 65535, &recs);
    let path = shrink_path(name);
    std::fs::write(&path, bytes).unwrap();
    let ends = (1..=n).map(|i| 24 + 116 * i).collect();
    (path, ends)
}

/// A path for a test file named `name`, in a folder of this process's own.
fn shrink_path(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("bpfcap-shrink-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// Cuts the file at `path` to `len` bytes, as another writer would.
fn cut(path: &std::path::Path, len: usize) {
    let f = File::options().write(true).open(path).unwrap();
    f.set_len(len as u64).unwrap();
}

/// Reads packets until the reader stops, checking each is record `i` of
/// [`shrinking_file`]; returns the next index and how reading ended.
fn read_on(r: &mut Reader, mut i: usize) -> (usize, Result<(), ReadError>) {
    loop {
        match r.next_packet() {
            Ok(Some(p)) => {
                assert_eq!(p.data, record_data(i), "packet {i}");
                assert_eq!(p.ts.secs, i as i64);
                i += 1;
            }
            Ok(None) => return (i, Ok(())),
            Err(e) => return (i, Err(e)),
        }
    }
}

/// Regression: a mapped file cut short while being read killed the
/// process with SIGBUS. Now the packets before the cut are read intact
/// and reading ends with the shrink, never with zeros read as packets.
#[test]
fn mapped_file_cut_ahead_of_the_reader_ends_at_the_cut() {
    let (path, ends) = shrinking_file("ahead.pcap", 3000);
    let mut r = Reader::open(&path).unwrap();
    assert!(r.shared_bytes().is_some(), "the file must be mapped");
    for i in 0..100 {
        assert_eq!(r.next_packet().unwrap().unwrap().data, record_data(i));
    }
    // Inside record 2000, not at a page boundary.
    let at = ends[1999] + 50;
    assert_ne!(at % 4096, 0);
    cut(&path, at);
    let (next, end) = read_on(&mut r, 100);
    assert_eq!(next, 2000);
    let err = end.unwrap_err();
    assert!(
        matches!(err, ReadError::Shrunk { size } if size == at as u64),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        format!("truncated dump file; the file shrank to {at} bytes while being read")
    );
}

#[test]
fn mapped_file_cut_behind_the_reader_ends_with_the_shrink() {
    let (path, ends) = shrinking_file("behind.pcap", 3000);
    let mut r = Reader::open(&path).unwrap();
    let (next, end) = {
        let mut i = 0;
        while i < 2000 {
            assert_eq!(r.next_packet().unwrap().unwrap().data, record_data(i));
            i += 1;
        }
        cut(&path, ends[499] + 7);
        read_on(&mut r, i)
    };
    assert_eq!(next, 2000, "nothing is read after the cut");
    assert!(matches!(end, Err(ReadError::Shrunk { .. })), "{end:?}");
    // Cut to nothing, then read again from the start: the header is gone.
    cut(&path, 0);
    assert!(matches!(Reader::open(&path), Err(ReadError::Malformed(_))));
}

/// A capture file that cuts its own input at `at` while it is handed its
/// packets or records for the `nth` time (counting from 0), before it
/// copies them.
struct ShrinkWhileCopying<'a> {
    out: &'a mut Writer,
    input: &'a std::path::Path,
    at: usize,
    nth: usize,
}

impl ShrinkWhileCopying<'_> {
    fn handed(&mut self) {
        if self.nth == 0 {
            cut(self.input, self.at);
        }
        self.nth = self.nth.wrapping_sub(1);
    }
}

impl crate::Sink for ShrinkWhileCopying<'_> {
    fn packet(&mut self, pkt: &Packet<'_>) -> std::io::Result<()> {
        self.handed();
        self.out.write_packet(pkt)
    }
    fn takes_records_of(&self, interface: &Interface) -> bool {
        self.out.takes_records_of(interface)
    }
    fn records(&mut self, records: &[std::io::IoSlice<'_>]) -> std::io::Result<()> {
        self.handed();
        self.out.write_records(records)
    }
    fn keep_records(&mut self, keep: u64) -> std::io::Result<()> {
        self.out.keep_records(keep)
    }
}

/// The records replay copies straight from the mapping into the output
/// may vanish during the copy: the output then keeps exactly the packets
/// before the cut, with no zeros from the vanished pages. Records copied
/// out of the file before the cut (replay's fast loop copies where
/// mapping is dearer) were the file's: they may be handed on too.
#[test]
fn replay_keeps_exactly_the_packets_before_a_cut_during_the_copy() {
    let (path, ends) = shrinking_file("copy.pcap", 3000);
    let format = FileFormat::Pcap { nanos: false };
    READ_MAPPED.set(Some(true));
    assert_eq!(
        replay_cut_while_copying(&path, format, ends[1999] + 50, 0),
        2000
    );
    let (path, ends) = shrinking_file("copied.pcap", 3000);
    READ_MAPPED.set(Some(false));
    let copied = replay_cut_while_copying(&path, format, ends[1999] + 50, 0);
    READ_MAPPED.set(None);
    let window = (COPY_WINDOW - 24) / 116;
    assert_eq!(copied, window as u64, "the first window's records");
}

/// Replays the file at `path` with `opts` into a capture file of
/// `format` beside it ([`ShrinkWhileCopying`]: it cuts the input at `at`
/// when handed packets for the `nth` time); returns how replay ended and
/// the output's path.
fn replay_to_a_cutting_writer(
    path: &std::path::Path,
    format: FileFormat,
    opts: crate::ReplayOptions,
    at: usize,
    nth: usize,
) -> (
    Result<crate::ReplayStats, crate::ReplayError>,
    std::path::PathBuf,
) {
    let out = path.with_extension("out");
    let mut reader = Reader::open(path).unwrap();
    let first = reader.interfaces()[0].clone();
    let mut writer = Writer::create(&out, format, &first, 65535).unwrap();
    let mut sink = ShrinkWhileCopying {
        out: &mut writer,
        input: path,
        at,
        nth,
    };
    let result = crate::Replay::new(opts).run(&mut reader, &mut sink);
    writer.flush().unwrap();
    (result, out)
}

/// Replays all of the mapped file at `path` into a capture file of
/// `format` that cuts the input at `at` when handed packets for the
/// `nth` time; checks that replay ends with the shrink and that the
/// output holds as many packets of [`shrinking_file`]'s as replay says
/// it matched, whole, and returns that count.
fn replay_cut_while_copying(
    path: &std::path::Path,
    format: FileFormat,
    at: usize,
    nth: usize,
) -> u64 {
    let (result, out) =
        replay_to_a_cutting_writer(path, format, crate::ReplayOptions::new(""), at, nth);
    let matched = match result {
        Err(crate::ReplayError::Read {
            error: ReadError::Shrunk { size },
            stats,
        }) => {
            assert_eq!(size, at as u64);
            stats.matched
        }
        other => panic!("{other:?}"),
    };
    let mut r = Reader::from_bytes(std::fs::read(&out).unwrap()).unwrap();
    let (n, end) = read_on(&mut r, 0);
    end.unwrap();
    assert_eq!(
        n as u64, matched,
        "the output holds the packets matched, whole"
    );
    matched
}

/// Packets read before reading stopped, and the error it stopped with
/// ("" at a clean end), opening included.
fn count_until_error(bytes: &[u8]) -> (usize, String) {
    let mut r = match Reader::from_bytes(bytes.to_vec()) {
        Ok(r) => r,
        Err(e) => return (0, e.to_string()),
    };
    let mut n = 0;
    loop {
        match r.next_packet() {
            Ok(Some(_)) => n += 1,
            Ok(None) => return (n, String::new()),
            Err(e) => return (n, e.to_string()),
        }
    }
}

/// A 60-byte Ethernet/IPv4 packet numbered `i`.
fn frame(i: u8) -> Vec<u8> {
    let mut f = vec![0u8; 12];
    f.extend_from_slice(&[8, 0]);
    f.extend((0..46).map(|k| i.wrapping_add(k)));
    f
}

fn epbs(b: &mut Bytes, from: u8, to: u8) {
    for i in from..to {
        epb(b, 0, u64::from(i) * 1_000_000, &frame(i), 60);
    }
}

/// A block written field by field, so its lengths can lie.
fn raw_block(b: &mut Bytes, kind: u32, total: u32, body: &[u8], trailer: u32) {
    b.u32(kind).u32(total).raw(body).u32(trailer);
}

fn shb_version(b: &mut Bytes, major: u16, minor: u16, magic: u32) {
    b.block(0x0a0d_0d0a, &shb_body(b.big, major, minor, magic));
}

fn idb_with_options(b: &mut Bytes, snaplen: u32, options: &[(u16, &[u8])]) {
    let mut body = Bytes::new(b.big);
    body.u16(1).u16(0).u32(snaplen);
    for &(code, value) in options {
        body.u16(code).u16(value.len() as u16).raw(value);
        body.raw(&[0; 3][..value.len().next_multiple_of(4) - value.len()]);
    }
    b.block(1, &body.out);
}

/// Damaged pcapng files are read as libpcap 1.10.3 reads them: the
/// packets before the damage, then its error. The expected counts and
/// messages are tcpdump 4.99.3's (`tcpdump -r`) on the same files.
#[test]
fn pcapng_damage_is_judged_as_libpcap_judges_it() {
    type Damage = fn(&mut Bytes);
    let cases: &[(&str, Damage, &str)] = &[
        ("intact", |b| epb(b, 0, 5_000_000, &frame(5), 60), ""),
        (
            "trailing length differs from the leading one",
            |b| {
                let mut body = Bytes::new(b.big);
                body.u32(0).u32(0).u32(5).u32(60).u32(60).raw(&frame(5));
                raw_block(b, 6, 92, &body.out, 1234);
            },
            "block total length in header and trailer don't match",
        ),
        (
            "length not a multiple of 4",
            |b| {
                raw_block(b, 6, 37, &[0; 25], 37);
            },
            "block in pcapng dump file has a length of 37 that is not a multiple of 4",
        ),
        (
            "length below the minimum",
            |b| {
                b.u32(6).u32(8);
            },
            "block in pcapng dump file has a length of 8 < 12",
        ),
        (
            "block larger than libpcap's maximum",
            |b| {
                b.u32(6).u32(256 << 20).raw(&[0; 300]);
            },
            "pcapng block size 268435456 > maximum 16777216",
        ),
        (
            "enhanced packet's captured length beyond its block",
            |b| {
                let mut body = Bytes::new(b.big);
                body.u32(0).u32(0).u32(5).u32(200).u32(60).raw(&frame(5));
                b.block(6, &body.out);
            },
            "block of type 6 in pcapng dump file is too short",
        ),
        (
            "enhanced packet block shorter than its fixed part",
            |b| {
                b.block(6, &[0; 12]);
            },
            "block of type 6 in pcapng dump file is too short",
        ),
        (
            "obsolete packet block shorter than its fixed part",
            |b| {
                b.block(2, &[0; 16]);
            },
            "block of type 2 in pcapng dump file is too short",
        ),
        (
            "simple packet longer than its block",
            |b| {
                let mut body = Bytes::new(b.big);
                body.u32(1000).raw(&frame(5));
                b.block(3, &body.out);
            },
            "block of type 3 in pcapng dump file is too short",
        ),
        (
            "packet on an interface never described",
            |b| {
                epb(b, 3, 0, &frame(5), 60);
            },
            "a packet arrived on interface 3, but there's no Interface Description Block for that interface",
        ),
        (
            "later section of an unknown major version",
            |b| {
                shb_version(b, 2, 0, 0x1a2b_3c4d);
                idb(b, 1, 65535, None, None);
            },
            "unknown pcapng savefile major version number 2",
        ),
        (
            "later section with a bad byte-order magic",
            |b| {
                shb_version(b, 1, 0, 0x1122_3344);
                idb(b, 1, 65535, None, None);
            },
            "the file has a section with a bad byte order magic field",
        ),
    ];
    for big in [false, true] {
        for &(what, damage, error) in cases {
            let mut b = Bytes::new(big);
            shb(&mut b);
            idb(&mut b, 1, 65535, None, None);
            epbs(&mut b, 0, 5);
            damage(&mut b);
            epbs(&mut b, 6, 10);
            let packets = if error.is_empty() { 10 } else { 5 };
            assert_eq!(
                count_until_error(&b.out),
                (packets, error.to_string()),
                "{what} (big endian: {big})"
            );
        }
    }
}

/// The same for damage in the file's opening: its first section header
/// and the interface descriptions before the first packet.
#[test]
fn pcapng_damaged_openings_are_judged_as_libpcap_judges_them() {
    type Build = fn(&mut Bytes);
    let cases: &[(&str, Build, usize, &str)] = &[
        (
            "interface option running past its block",
            |b| {
                shb(b);
                let mut body = Bytes::new(b.big);
                body.u16(1).u16(0).u32(65535).u16(2).u16(40).raw(b"abcd");
                b.block(1, &body.out);
            },
            0,
            "block of type 1 in pcapng dump file is too short",
        ),
        (
            "interface block shorter than its fixed part",
            |b| {
                shb(b);
                b.block(1, &[1, 0, 0, 0]);
            },
            0,
            "block of type 1 in pcapng dump file is too short",
        ),
        (
            "simple packet longer than its block, first",
            |b| {
                shb(b);
                idb(b, 1, 65535, None, None);
                let mut body = Bytes::new(b.big);
                body.u32(1000).raw(&frame(0));
                b.block(3, &body.out);
                epbs(b, 1, 10);
            },
            0,
            "block of type 3 in pcapng dump file is too short",
        ),
        (
            "captured length above the snapshot length",
            |b| {
                shb(b);
                idb(b, 1, 40, None, None);
                epb(b, 0, 0, &frame(0)[..30], 60);
                epbs(b, 1, 10);
            },
            1,
            "invalid packet capture length 60, bigger than snaplen of 40",
        ),
        (
            "first section header too short",
            |b| {
                let mut body = Bytes::new(b.big);
                body.u32(0x1a2b_3c4d).u16(1).u16(0).u32(0);
                raw_block(b, 0x0a0d_0d0a, 24, &body.out, 24);
                idb(b, 1, 65535, None, None);
                epbs(b, 0, 10);
            },
            0,
            "Section Header Block in pcapng dump file has invalid length 28 < _24_ < 1048576 (BT_SHB_INSANE_MAX)",
        ),
        (
            "first section header's trailer is not read",
            |b| {
                let body = shb_body(b.big, 1, 0, 0x1a2b_3c4d);
                raw_block(b, 0x0a0d_0d0a, 28, &body, 99);
                idb(b, 1, 65535, None, None);
                epbs(b, 0, 10);
            },
            10,
            "",
        ),
        (
            "packet before any interface",
            |b| {
                shb(b);
                epbs(b, 0, 10);
            },
            0,
            "the capture file has a packet block before any Interface Description Blocks",
        ),
    ];
    let versions = [
        (2, 0, 0, "unsupported pcapng savefile version 2.0"),
        (1, 1, 0, "unsupported pcapng savefile version 1.1"),
        (1, 2, 10, ""),
    ];
    // (code, value) pairs of an interface, and the error they make.
    type Options<'a> = &'a [(u16, &'a [u8])];
    let options: [(Options, &str); 8] = [
        (
            &[(0, b"ab")],
            "Interface Description Block has opt_endofopt option with length 2 != 0",
        ),
        (
            &[(9, &[6, 0])],
            "Interface Description Block has if_tsresol option with length 2 != 1",
        ),
        (
            &[(9, &[6]), (9, &[9])],
            "Interface Description Block has more than one if_tsresol option",
        ),
        (
            &[(9, &[20])],
            "Interface Description Block if_tsresol option resolution 10^-20 is too high",
        ),
        (
            &[(9, &[0x80 | 64])],
            "Interface Description Block if_tsresol option resolution 2^-64 is too high",
        ),
        (
            &[(14, &[0; 4])],
            "Interface Description Block has if_tsoffset option with length 4 != 8",
        ),
        (
            &[(14, &[0; 8]), (14, &[0; 8])],
            "Interface Description Block has more than one if_tsoffset option",
        ),
        // Whatever follows opt_endofopt is not read.
        (&[(0, b""), (0xffff, b"")], ""),
    ];
    for big in [false, true] {
        let judged = |b: Bytes| count_until_error(&b.out);
        for &(what, build, packets, error) in cases {
            let mut b = Bytes::new(big);
            build(&mut b);
            let want = (packets, error.to_string());
            assert_eq!(judged(b), want, "{what} (big endian: {big})");
        }
        for (major, minor, packets, error) in versions {
            let mut b = Bytes::new(big);
            shb_version(&mut b, major, minor, 0x1a2b_3c4d);
            idb(&mut b, 1, 65535, None, None);
            epbs(&mut b, 0, 10);
            let want = (packets, error.to_string());
            assert_eq!(
                judged(b),
                want,
                "version {major}.{minor} (big endian: {big})"
            );
        }
        for (opts, error) in options {
            let mut b = Bytes::new(big);
            shb(&mut b);
            idb_with_options(&mut b, 65535, opts);
            epbs(&mut b, 0, 10);
            let packets = if error.is_empty() { 10 } else { 0 };
            let want = (packets, error.to_string());
            assert_eq!(judged(b), want, "options {opts:?} (big endian: {big})");
        }
    }
}

/// The capacity of a stream reader's buffer.
fn stream_buffer(r: &Reader) -> usize {
    match &r.src {
        source::Source::Stream { buf, .. } => buf.capacity(),
        source::Source::Memory { .. } => panic!("not a stream"),
    }
}

/// Regression: a pcapng block header claiming 256 MiB made the stream
/// reader allocate it. Now a block above libpcap's 16 MiB is refused with
/// libpcap's message, and one below it that the input does not hold costs
/// no more memory than the bytes that came.
#[test]
fn stream_reader_allocates_only_what_arrives() {
    for claimed in [256u32 << 20, 15 << 20] {
        let mut b = Bytes::new(false);
        shb(&mut b);
        idb(&mut b, 1, 65535, None, None);
        epbs(&mut b, 0, 5);
        b.u32(6).u32(claimed).raw(&[0; 300]);
        let mut r = Reader::from_read(Box::new(std::io::Cursor::new(b.out))).unwrap();
        for _ in 0..5 {
            r.next_packet().unwrap().unwrap();
        }
        let err = r.next_packet().unwrap_err();
        if claimed > 16 << 20 {
            assert_eq!(
                err.to_string(),
                "pcapng block size 268435456 > maximum 16777216"
            );
        } else {
            assert!(
                matches!(err, ReadError::Truncated { got: 300, .. }),
                "{err:?}"
            );
        }
        assert!(stream_buffer(&r) <= 128 << 10, "{}", stream_buffer(&r));
    }
    // A pcap record of a link type with a 128 MiB snapshot (DBUS) that
    // claims 100 MiB and holds 100 bytes.
    let mut f = pcap_file(false, 0xa1b2_c3d4, 231, 0, &[]);
    f.extend_from_slice(&[0; 8]);
    f.extend_from_slice(&(100u32 << 20).to_le_bytes());
    f.extend_from_slice(&(100u32 << 20).to_le_bytes());
    f.extend_from_slice(&[0; 100]);
    let mut r = Reader::from_read(Box::new(std::io::Cursor::new(f))).unwrap();
    let err = r.next_packet().unwrap_err();
    assert!(
        matches!(err, ReadError::Truncated { got: 100, .. }),
        "{err:?}"
    );
    assert!(stream_buffer(&r) <= 128 << 10, "{}", stream_buffer(&r));
}

/// Regression (fuzz/artifacts/read_shrinking): a packet handed to a sink
/// one at a time (pcapng) was copied by the sink from the mapping after
/// the reader's check, so a cut inside it in between wrote zeros into the
/// output. The sink now gets a copy checked after it was made.
#[test]
fn replay_hands_on_packets_as_they_were_before_a_cut_inside_them() {
    let mut b = Bytes::new(false);
    shb(&mut b);
    idb(&mut b, 1, 65535, None, None);
    for i in 0..300 {
        epb(&mut b, 0, i as u64 * 1_000_000, &record_data(i), 100);
    }
    let path = shrink_path("inside.pcapng");
    std::fs::write(&path, &b.out).unwrap();
    // Into the data of packet 100 (blocks of 132 bytes after 52), while
    // it is handed on: it was read whole before, and is written whole.
    let at = 52 + 132 * 100 + 40;
    assert_eq!(
        replay_cut_while_copying(&path, FileFormat::PcapNg, at, 100),
        101
    );
}

/// A pcap record longer than the link type allows is refused with
/// libpcap 1.10.3's message (tcpdump 4.99.3's, on the same files), on a
/// stream before anything is allocated for it.
#[test]
fn pcap_oversized_record_is_refused_as_libpcap_refuses_it() {
    for (snaplen, error) in [
        (
            65535,
            "invalid packet capture length 300000, bigger than snaplen of 65535",
        ),
        (
            0,
            "invalid packet capture length 300000, bigger than snaplen of 262144",
        ),
        (
            0x8000_0000,
            "invalid packet capture length 300000, bigger than snaplen of 262144",
        ),
        (
            0x7fff_ffff,
            "invalid packet capture length 300000, bigger than maximum of 262144",
        ),
    ] {
        let mut f = pcap_file(false, 0xa1b2_c3d4, 1, snaplen, &[(0, 0, &[0; 60], 60)]);
        for v in [0u32, 0, 300_000, 300_000] {
            f.extend_from_slice(&v.to_le_bytes());
        }
        f.extend_from_slice(&[0; 100]);
        assert_eq!(count_until_error(&f), (1, error.to_string()), "{snaplen}");
        let mut r = Reader::from_read(Box::new(std::io::Cursor::new(f))).unwrap();
        r.next_packet().unwrap().unwrap();
        assert_eq!(r.next_packet().unwrap_err().to_string(), error);
        assert!(stream_buffer(&r) <= 128 << 10);
    }
}

/// How a test replays a file (see [`replay_to_pcap`]).
#[derive(Clone, Copy, Debug, PartialEq)]
enum Replayed {
    /// Into a capture file, which takes records (replay's fast loop).
    Records,
    /// Through a callback, which gets every packet alone.
    Packets,
    /// Into a sink that only counts (the fast loop without output); the
    /// output is empty.
    Counted,
}

/// Replays `file` into a pcap file as `how` says, with `-c count` and
/// `-s snaplen`. `mapped`: `None` holds the file in memory, else it is
/// written out and mapped, and the fast loop reads the mapping (`true`)
/// or copies. Returns the output, the counts, and the error reading ended
/// with.
fn replay_to_pcap(
    file: &[u8],
    expr: &str,
    (count, snaplen): (Option<u64>, Option<u32>),
    how: Replayed,
    mapped: Option<bool>,
) -> (Vec<u8>, u64, Option<String>) {
    // Tests replay at the same time: each file its own name.
    static FILES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = FILES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let path = shrink_path(&format!("replayed-{n}.pcap"));
    let mut reader = match mapped {
        None => Reader::from_bytes(file.to_vec()).unwrap(),
        Some(_) => {
            std::fs::write(&path, file).unwrap();
            Reader::open(&path).unwrap()
        }
    };
    READ_MAPPED.set(mapped);
    let first = reader.interfaces()[0].clone();
    let buf = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let out = Box::new(SharedBuf(buf.clone()));
    let format = FileFormat::Pcap { nanos: false };
    let mut w = Writer::new(out, format, &first, 65535).unwrap();
    let mut replay = test_replay(expr, count, snaplen);
    let result = match how {
        Replayed::Records => replay.run(&mut reader, &mut w),
        Replayed::Packets => replay.run(&mut reader, &mut |p: &Packet<'_>| {
            w.write(p.interface, p.ts, p.wirelen, p.data)
        }),
        Replayed::Counted => {
            let mut counter = Counter(0);
            let result = replay.run(&mut reader, &mut counter);
            if let Ok(stats) = &result {
                assert_eq!(counter.0, stats.matched);
            }
            result
        }
    };
    READ_MAPPED.set(None);
    let _ = std::fs::remove_file(&path);
    w.flush().unwrap();
    outcome(result, &buf)
}

/// A replay of `expr` that stops after `count` matches and cuts them to
/// `snaplen`.
fn test_replay(expr: &str, count: Option<u64>, snaplen: Option<u32>) -> crate::Replay {
    crate::Replay::new(crate::ReplayOptions {
        count,
        snaplen,
        ..crate::ReplayOptions::new(expr)
    })
}

/// What a replay into `buf` gave: the bytes written, the packets matched
/// and the read error it ended with, if any.
fn outcome(
    result: Result<crate::ReplayStats, crate::ReplayError>,
    buf: &std::sync::Mutex<Vec<u8>>,
) -> (Vec<u8>, u64, Option<String>) {
    let (matched, error) = match result {
        Ok(stats) => (stats.matched, None),
        Err(crate::ReplayError::Read { error, stats }) => (stats.matched, Some(error.to_string())),
        Err(e) => panic!("{e}"),
    };
    let out = buf.lock().unwrap().clone();
    (out, matched, error)
}

/// A sink that only counts (as `--count` without `-w`).
struct Counter(u64);

impl crate::Sink for Counter {
    fn packet(&mut self, _: &Packet<'_>) -> std::io::Result<()> {
        self.0 += 1;
        Ok(())
    }
    fn counts_only(&self) -> bool {
        true
    }
    fn count(&mut self, n: u64) -> std::io::Result<()> {
        self.0 += n;
        Ok(())
    }
}

/// Replay's fast loop walks records many at a time and leaves the
/// reader the records it cannot copy as stored (cut to the snapshot
/// length), damage and the end: its output, counts and errors are those
/// of replaying packet by packet, with and without `-c` and `-s`, from
/// files in either byte order, and when only counting.
#[test]
fn fast_replay_writes_what_packet_replay_writes() {
    for big in [false, true] {
        fast_replay_of_one_byte_order(big, true);
    }
}

/// The same on all CPUs: small files replayed in parallel (without
/// `-c`, which replays sequentially; with `-s` and from the other byte
/// order, records rewritten by the threads chunk by chunk). Parallel replay
/// goes on sequentially from the first record the reader must read, so
/// here none is cut to the snapshot length before the damage.
#[test]
fn parallel_replay_writes_what_packet_replay_writes() {
    crate::parallel::SMALL.set(true);
    for big in [false, true] {
        fast_replay_of_one_byte_order(big, false);
    }
    crate::parallel::SMALL.set(false);
}

/// `long`: every 97th record is longer than the file's snapshot length.
fn fast_replay_of_one_byte_order(big: bool, long: bool) {
    let data: Vec<Vec<u8>> = (0..5000usize)
        .map(|i| {
            // With `long`, every 97th record is longer than the file's snapshot
            // length (cut by the reader); sizes vary.
            let len = if long && i % 97 == 5 {
                150
            } else {
                14 + i % 80
            };
            (0..len).map(|k| (i * 7 + k) as u8).collect()
        })
        .collect();
    let recs: Vec<(u32, u32, &[u8], u32)> = data
        .iter()
        .enumerate()
        .map(|(i, d)| (i as u32, (i * 13) as u32, &d[..], 200))
        .collect();
    let whole = pcap_file(big, 0xa1b2_c3d4, 1, 100, &recs);
    let mut truncated = whole.clone();
    truncated.truncate(whole.len() - 20);
    let mut damaged = whole[..whole.len() / 2].to_vec();
    let at = 24 + data[..2500].iter().map(|d| 16 + d.len()).sum::<usize>();
    damaged.truncate(at);
    for v in [0u32, 0, 300_000, 300_000] {
        damaged.extend_from_slice(&if big {
            v.to_be_bytes()
        } else {
            v.to_le_bytes()
        });
    }
    damaged.extend_from_slice(&whole[at..]);
    for file in [&whole, &truncated, &damaged] {
        for expr in ["", "ether[0] & 1 = 0", "ether[3] = 7"] {
            for opts in [None, Some(1), Some(777)]
                .map(|c| (c, None))
                .into_iter()
                .chain([(None, Some(40)), (Some(777), Some(60))])
            {
                fast_agrees_with_slow(file, expr, opts, big);
            }
        }
    }
    let (_, matched, error) = replay_to_pcap(&damaged, "", (None, None), Replayed::Records, None);
    assert_eq!(matched, 2500);
    assert!(error.unwrap().contains("300000"));
}

/// Replays `file` through `expr` packet by packet, then on the fast loop
/// (as it chooses, reading the mapping, copying), both writing and only
/// counting, checks that all agree (`big`: which file, for the message)
/// and returns the packet-by-packet result.
fn fast_agrees_with_slow(
    file: &[u8],
    expr: &str,
    opts: (Option<u64>, Option<u32>),
    big: impl std::fmt::Display,
) -> (Vec<u8>, u64, Option<String>) {
    let slow = replay_to_pcap(file, expr, opts, Replayed::Packets, None);
    for mapped in [None, Some(true), Some(false)] {
        let fast = replay_to_pcap(file, expr, opts, Replayed::Records, mapped);
        let counted = replay_to_pcap(file, expr, opts, Replayed::Counted, mapped);
        let what = format!("{big} {expr:?} {opts:?} {mapped:?}");
        assert!(fast == slow, "{what}: {:?} {:?}", fast.1, slow.1);
        assert_eq!((counted.1, &counted.2), (slow.1, &slow.2), "{what}");
    }
    slow
}

/// Regression guard for the fast loop's shrink check: the file is cut
/// far ahead of the walk while a batch is handed on. Reading the mapping,
/// the window walked over the cut reads zeros, fails its check and is
/// read again record by record; copying, the copy ends at the cut. Either
/// way replay ends with the shrink and hands on exactly the matching
/// packets before the cut.
#[test]
fn fast_replay_of_a_file_cut_ahead_keeps_exactly_the_packets_before_it() {
    both_ways(|mapped| replay_a_file_cut_ahead(&format!("fast-{mapped}.pcap")));
}

/// Runs `case` twice: the fast loop reading the mapping (`true`), then
/// copying windows (`false`).
fn both_ways(case: impl Fn(bool)) {
    for mapped in [true, false] {
        READ_MAPPED.set(Some(mapped));
        case(mapped);
    }
    READ_MAPPED.set(None);
}

fn replay_a_file_cut_ahead(name: &str) {
    let (path, ends) = shrinking_file(name, 30_000);
    // Every other packet matches (its first byte is even): each batch
    // is handed on at 1024 separate records, long before the cut.
    replay_cut_after_20000(&path, &ends, 2);
}

/// [`replay_while_cut`] of the file at `path` (`ends` holds each
/// record's end), cut 50 bytes into its 20,001st record at the `nth`
/// hand-on: checks that the replay ends with the shrink after 20,000
/// records read and 10,000 matched, and returns the 10,000 packets the
/// output holds.
fn replay_cut_after_20000(path: &std::path::Path, ends: &[usize], nth: usize) -> Vec<Seen> {
    let at = ends[19_999] + 50;
    let (result, got) = replay_while_cut(path, at, nth, None);
    match result {
        Err(crate::ReplayError::Read {
            error: ReadError::Shrunk { size },
            stats,
        }) => {
            assert_eq!(size, at as u64);
            assert_eq!((stats.read, stats.matched), (20_000, 10_000));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(got.len(), 10_000);
    got
}

/// Replays the file at `path` (of [`record_data`] packets) into a pcap
/// file with `-s snaplen`, keeping every other packet, while another
/// writer cuts the input at `at` at the `nth` hand-on. Returns how replay
/// ended and the packets it wrote (checked to be the first matching
/// ones, in order); removes both files.
fn replay_while_cut(
    path: &std::path::Path,
    at: usize,
    nth: usize,
    snaplen: Option<u32>,
) -> (Result<crate::ReplayStats, crate::ReplayError>, Vec<Seen>) {
    let opts = crate::ReplayOptions {
        snaplen,
        ..crate::ReplayOptions::new("ether[0] & 1 = 0")
    };
    let format = FileFormat::Pcap { nanos: false };
    let (result, out) = replay_to_a_cutting_writer(path, format, opts, at, nth);
    let got = read_all(&std::fs::read(&out).unwrap()).unwrap();
    for (n, p) in got.iter().enumerate() {
        assert_eq!(p.3, record_data(2 * n), "{}: packet {n}", path.display());
    }
    let _ = std::fs::remove_file(path);
    let _ = std::fs::remove_file(&out);
    (result, got)
}

/// The same on all CPUs with `-s` (records rewritten by the threads,
/// chunk by chunk): the file is cut in the seventh of eight chunks at one
/// hand-on or another, while the threads read the mapping or copy.
/// Replay hands on the matching packets before the cut and those read
/// (and confirmed) before the file shrank, in order, with no zeros, and
/// ends with the shrink (or without error if all was read before it).
#[test]
fn parallel_rewriting_replay_of_a_file_cut_keeps_the_packets_before_it() {
    crate::parallel::SMALL.set(true);
    both_ways(|mapped| {
        // The cut comes while the chunk is read, or after.
        for nth in [0, 2, 3, 5, 6, 8] {
            replay_rewritten_while_cut(&format!("par-{mapped}-{nth}.pcap"), nth);
        }
    });
    crate::parallel::SMALL.set(false);
}

fn replay_rewritten_while_cut(name: &str, nth: usize) {
    let (path, ends) = shrinking_file(name, 100_000);
    let at = ends[79_999] + 50;
    let (result, got) = replay_while_cut(&path, at, nth, Some(100));
    let matched = match result {
        Err(crate::ReplayError::Read {
            error: ReadError::Shrunk { size },
            stats,
        }) => {
            assert_eq!(size, at as u64, "{name}");
            stats.matched
        }
        Ok(stats) => stats.matched,
        other => panic!("{name}: {other:?}"),
    };
    assert_eq!(got.len() as u64, matched, "{name}");
    assert!(got.len() >= 40_000, "{name}: {}", got.len());
}

/// Records handed to a writer in one call arrive whole and in order
/// even when the output takes a few bytes at a time.
#[test]
fn writer_records_survive_partial_writes() {
    struct Trickle(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);
    impl std::io::Write for Trickle {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            let n = b.len().min(7);
            self.0.lock().unwrap().extend_from_slice(&b[..n]);
            Ok(n)
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let data: Vec<Vec<u8>> = (0..50).map(record_data).collect();
    let recs: Vec<(u32, u32, &[u8], u32)> = data
        .iter()
        .enumerate()
        .map(|(i, d)| (i as u32, 0, &d[..], 100))
        .collect();
    let file = pcap_file(cfg!(target_endian = "big"), 0xa1b2_c3d4, 1, 65535, &recs);
    let buf = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let first = Reader::from_bytes(file.clone()).unwrap().interfaces()[0].clone();
    let format = FileFormat::Pcap { nanos: false };
    let mut w = Writer::new(Box::new(Trickle(buf.clone())), format, &first, 65535).unwrap();
    let body = &file[24..];
    let slices: Vec<std::io::IoSlice<'_>> =
        body.chunks(116 * 3).map(std::io::IoSlice::new).collect();
    w.write_records(&slices).unwrap();
    w.flush().unwrap();
    assert_eq!(w.position(), file.len() as u64);
    assert_eq!(&buf.lock().unwrap()[24..], body);
}

/// pcapng metadata: what the reader keeps and the writer copies.
mod metadata {
    use super::*;
    use crate::replay::{Replay, ReplayOptions};

    fn sample_meta() -> Vec<u8> {
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("../pcaps/sample-meta.pcapng"))
            .unwrap()
    }

    /// Per packet: section, interface name, comments, flags, hashes,
    /// drop count, captured length; and the metadata block types in order.
    type Seen = (Vec<(usize, Option<String>, PacketOptions, usize)>, Vec<u32>);

    fn read_all(bytes: Vec<u8>) -> Seen {
        let mut r = Reader::from_bytes(bytes).unwrap();
        let mut blocks: Vec<u32> = r.opening_blocks().iter().map(|b| b.block_type).collect();
        let mut packets = Vec::new();
        while let Some(p) = r.next_packet().unwrap() {
            blocks.extend(p.blocks.iter().map(|b| b.block_type));
            let (id, options, len) = (p.interface_id, p.options(), p.data.len());
            let name = r.interface_options()[id].name.clone();
            packets.push((id, name, options, len));
            r.clear_pending_blocks();
        }
        blocks.extend(r.pending_blocks().iter().map(|b| b.block_type));
        (packets, blocks)
    }

    #[test]
    fn reader_keeps_interface_and_packet_options_and_blocks() {
        let mut r = Reader::from_bytes(sample_meta()).unwrap();
        let opts = &r.interface_options()[0];
        assert_eq!(opts.name.as_deref(), Some("eth0"));
        assert_eq!(opts.description.as_deref(), Some("first interface"));
        assert_eq!(opts.tsresol, Some(9));
        assert_eq!(opts.tsoffset, None);
        let p = r.next_packet().unwrap().unwrap();
        // The decryption secrets and the second interface came first.
        let kinds: Vec<u32> = p.blocks.iter().map(|b| b.block_type).collect();
        assert_eq!(kinds, [meta::DSB, meta::IDB]);
        let o = p.options();
        assert_eq!(o.comments, ["first packet"]);
        assert_eq!(o.flags, Some(1));
        assert_eq!(o.hashes, [vec![2, 0xde, 0xad, 0xbe, 0xef]]);
        assert_eq!(o.dropcount, Some(3));
        assert!(o.other.is_empty());
        r.clear_pending_blocks();
        assert_eq!(r.interface_options()[1].name.as_deref(), Some("eth1"));
        assert_eq!(r.interface_options()[1].tsresol, Some(6));
        let (packets, blocks) = read_all(sample_meta());
        assert_eq!(packets.len(), 5);
        assert_eq!(
            blocks,
            [
                meta::SHB,
                meta::IDB,
                meta::DSB,
                meta::IDB,
                meta::NRB,
                meta::CB_COPY,
                meta::CB_NOCOPY,
                meta::ISB,
                meta::ISB,
                meta::SHB,
                meta::IDB
            ]
        );
        // The big-endian section's packet.
        assert_eq!(packets[4].2.comments, ["big endian"]);
        assert_eq!(packets[4].2.flags, Some(1));
    }

    #[test]
    fn blocks_are_each_packets_own_unless_kept() {
        let kinds = |keep: bool| {
            let mut r = Reader::from_bytes(sample_meta()).unwrap();
            r.keep_blocks(keep);
            let mut v = Vec::new();
            while let Some(p) = r.next_packet().unwrap() {
                v.push(p.blocks.iter().map(|b| b.block_type).collect::<Vec<_>>());
            }
            v
        };
        let own = kinds(false);
        assert_eq!(own[1], [meta::NRB]);
        assert_eq!(own[4], [meta::ISB, meta::ISB, meta::SHB, meta::IDB]);
        // Never cleared: each packet sees all the blocks before it.
        assert_eq!(kinds(true)[4].len(), 9);
    }

    fn copy(snaplen: Option<u32>, expr: &str) -> Vec<u8> {
        let dir = std::env::temp_dir().join(format!("bpfcap-meta-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("copy-{snaplen:?}-{}.pcapng", expr.len()));
        let mut reader = Reader::from_bytes(sample_meta()).unwrap();
        let mut w = Writer::create_pcapng_copy(&path, reader.opening_blocks(), snaplen).unwrap();
        let mut replay = Replay::new(ReplayOptions {
            snaplen,
            ..ReplayOptions::new(expr)
        });
        replay.run(&mut reader, &mut w).unwrap();
        w.flush().unwrap();
        std::fs::read(&path).unwrap()
    }

    #[test]
    fn pcapng_copy_keeps_interfaces_options_and_blocks() {
        let out = copy(None, "");
        assert_eq!(read_all(out.clone()), read_all(sample_meta()));
        let r = Reader::from_bytes(out).unwrap();
        // The section header's options, with bpfcap as the application.
        let shb = &r.opening_blocks()[0];
        let opts: Vec<(u16, Vec<u8>)> = meta::options(&shb.body[16..], shb.big_endian)
            .map(|(c, v)| (c, v.to_vec()))
            .collect();
        assert!(opts.contains(&(1, b"section one".to_vec())));
        assert!(opts.contains(&(2, b"x86_64".to_vec())));
        assert!(opts.contains(&(3, b"Linux 6.1".to_vec())));
        assert!(
            opts.iter()
                .any(|(c, v)| *c == 4 && v.starts_with(b"bpfcap "))
        );
        assert_eq!(
            r.interface_options()[0].description.as_deref(),
            Some("first interface")
        );
    }

    /// Copies the sample into files rotated every 2 seconds of packet
    /// time (`-G 2`), with `snaplen` (`-s`); the files' names in order.
    fn rotated_copy(name: &str, snaplen: Option<u32>) -> Vec<std::path::PathBuf> {
        let dir =
            std::env::temp_dir().join(format!("bpfcap-rotmeta-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let rotation = Rotation {
            seconds: Some(2),
            ..Rotation::default()
        };
        let mut r = Reader::from_bytes(sample_meta()).unwrap();
        let start = ts(1_700_000_000, 0);
        let pattern = dir.join("m-%s");
        let mut w = RotatingWriter::create_pcapng_copy(
            &pattern,
            rotation,
            r.opening_blocks(),
            snaplen,
            start,
        )
        .unwrap();
        assert!(w.copies_pcapng());
        while let Some(p) = r.next_packet().unwrap() {
            w.write_blocks(p.blocks).unwrap();
            let p = match snaplen {
                Some(s) => Packet {
                    data: &p.data[..p.data.len().min(s as usize)],
                    ..p
                },
                None => p,
            };
            assert!(w.write_packet(&p).unwrap());
            r.clear_pending_blocks();
        }
        w.write_blocks(r.pending_blocks()).unwrap();
        w.flush().unwrap();
        w.files().to_vec()
    }

    #[test]
    fn rotated_pcapng_copy_keeps_interfaces_options_and_blocks() {
        let files = rotated_copy("plain", None);
        let names: Vec<String> = files
            .iter()
            .map(|f| f.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["m-1700000000", "m-1700000002", "m-1700000004"]);
        let seen: Vec<Seen> = files
            .iter()
            .map(|f| read_all(std::fs::read(f).unwrap()))
            .collect();
        // Every packet with its interface (id and name) and options.
        let all: Vec<_> = seen.iter().flat_map(|s| s.0.clone()).collect();
        assert_eq!(all, read_all(sample_meta()).0);
        assert_eq!(
            seen.iter().map(|s| s.0.len()).collect::<Vec<_>>(),
            [2, 2, 1]
        );
        // Each file starts with the section so far: both interfaces of the
        // first section and its decryption secrets (repeated, as editcap
        // does); the name resolution and custom blocks, the statistics and
        // the next section go in the file being written when met (before
        // the packet that starts a new file).
        use meta::*;
        assert_eq!(seen[0].1, [SHB, IDB, DSB, IDB, NRB, CB_COPY]);
        assert_eq!(
            seen[1].1,
            [SHB, IDB, DSB, IDB, CB_NOCOPY, ISB, ISB, SHB, IDB]
        );
        // The big-endian section does not take the little-endian secrets.
        assert_eq!(seen[2].1, [SHB, IDB]);
        let last = Reader::from_bytes(std::fs::read(&files[2]).unwrap()).unwrap();
        assert!(last.opening_blocks()[0].big_endian);
        let second = Reader::from_bytes(std::fs::read(&files[1]).unwrap()).unwrap();
        assert_eq!(
            second.interface_options()[0].description.as_deref(),
            Some("first interface")
        );
    }

    #[test]
    fn rotated_pcapng_copy_with_snaplen_keeps_options() {
        let files = rotated_copy("snap", Some(40));
        let (before, _) = read_all(sample_meta());
        let mut after = Vec::new();
        for f in &files {
            let r = Reader::from_bytes(std::fs::read(f).unwrap()).unwrap();
            assert!(r.interfaces().iter().all(|i| i.snaplen == 40), "{f:?}");
            after.extend(read_all(std::fs::read(f).unwrap()).0);
        }
        assert_eq!(after.len(), before.len());
        for (a, b) in after.iter().zip(&before) {
            assert_eq!((a.0, &a.1, &a.2, a.3), (b.0, &b.1, &b.2, b.3.min(40)));
        }
    }

    #[test]
    fn pcapng_copy_with_snaplen_keeps_options() {
        let out = copy(Some(40), "");
        let mut r = Reader::from_bytes(out).unwrap();
        assert_eq!(r.interfaces()[0].snaplen, 40);
        let p = r.next_packet().unwrap().unwrap();
        assert_eq!((p.data.len(), p.wirelen), (40, 60));
        assert_eq!(p.options().comments, ["first packet"]);
        let (packets, _) = read_all(copy(Some(40), ""));
        let (before, _) = read_all(sample_meta());
        for (a, b) in packets.iter().zip(&before) {
            assert_eq!((a.0, &a.1, &a.2), (b.0, &b.1, &b.2));
            assert_eq!(a.3, b.3.min(40));
        }
    }

    #[test]
    fn pcapng_copy_of_filtered_packets_keeps_blocks_before_them() {
        let mut expect = Vec::new();
        let mut reader = Reader::from_bytes(sample_meta()).unwrap();
        Replay::new(ReplayOptions::new("udp"))
            .run(&mut reader, &mut |p: &Packet<'_>| {
                expect.push((p.interface_id, p.options(), p.data.len()));
                Ok(())
            })
            .unwrap();
        assert!(!expect.is_empty() && expect.len() < 5);
        let (packets, blocks) = read_all(copy(None, "udp"));
        let packets: Vec<_> = packets.into_iter().map(|p| (p.0, p.2, p.3)).collect();
        assert_eq!(packets, expect);
        // Every metadata block is kept, the packets' or not.
        assert_eq!(blocks, read_all(sample_meta()).1);
    }
}

/// An interface of a live capture: this host's byte order, nanoseconds.
fn live_interface(linktype: u32) -> Interface {
    Interface {
        linktype,
        snaplen: 65_535,
        big_endian: cfg!(target_endian = "big"),
        ts_units_per_sec: 1_000_000_000,
    }
}

/// What a [`Writer`] over a shared buffer wrote, once `write` is done.
fn written(
    format: FileFormat,
    first: &Interface,
    write: impl FnOnce(&mut Writer) -> io::Result<()>,
) -> Vec<u8> {
    let buf = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let mut w = Writer::new(Box::new(SharedBuf(buf.clone())), format, first, 65_535).unwrap();
    write(&mut w).unwrap();
    w.flush().unwrap();
    drop(w);
    buf.lock().unwrap().clone()
}

/// Live packets of two named interfaces (and `any`'s by the interface
/// each came from): an interface description per name in the order
/// described or met, with if_name and if_description; each packet under
/// its own, with its flags and XDP verdict as options; statistics last.
#[test]
fn live_packets_go_under_their_interfaces_names() {
    let eth = live_interface(1);
    let port = |name| Port {
        name,
        description: None,
    };
    let a = Port {
        name: "a",
        description: Some("uplink"),
    };
    let bytes = written(FileFormat::PcapNg, &eth, |w| {
        w.describe(&eth, a)?;
        w.describe(&eth, port("b"))?;
        let origin = |p, flags| Origin {
            port: Some(p),
            flags: Some(flags),
            verdict: None,
        };
        let b = Packet::live(ts(1, 0), 60, b"to b", &eth).with_origin(origin(port("b"), 5));
        w.write_packet(&b)?;
        let verdict = Verdict {
            action: 2,
            rx_queue: 3,
        };
        let c = Packet::live(ts(2, 0), 60, b"to c", &eth).with_origin(Origin {
            verdict: Some(verdict),
            ..origin(port("c"), 2)
        });
        w.write_packet(&c)?;
        let counts = InterfaceCounts {
            received: 7,
            dropped: 1,
            accepted: Some(4),
        };
        w.write_statistics(&eth, Some(a), &counts, ts(3, 0))
    });
    let mut r = Reader::from_bytes(bytes).unwrap();
    r.keep_blocks(true);
    let mut packets = Vec::new();
    while let Some(p) = r.next_packet().unwrap() {
        packets.push((p.interface_id, p.data.to_vec(), p.options()));
    }
    let names: Vec<_> = r
        .interface_options()
        .iter()
        .map(|o| o.name.clone())
        .collect();
    assert_eq!(
        names,
        [Some("a".into()), Some("b".into()), Some("c".into())]
    );
    assert_eq!(
        r.interface_options()[0].description.as_deref(),
        Some("uplink")
    );
    assert_eq!(r.interface_options()[1].tsresol, Some(9));
    assert_eq!(packets[0].0, 1);
    assert_eq!(packets[0].2.flags, Some(5));
    assert!(packets[0].2.comments.is_empty() && packets[0].2.other.is_empty());
    assert_eq!(packets[1].0, 2);
    let c = &packets[1].2;
    assert_eq!(c.flags, Some(2));
    assert_eq!(c.comments, ["xdp: action=pass rxq=3"]);
    let mut verdict = vec![2];
    verdict.extend_from_slice(&2u64.to_ne_bytes());
    assert_eq!(c.other, [(6, 3u32.to_ne_bytes().to_vec()), (7, verdict)]);
    // The statistics of interface 0 come last.
    let isb = r.pending_blocks().last().unwrap();
    assert_eq!(isb.block_type, meta::ISB);
    assert_eq!(isb.body[..4], 0u32.to_ne_bytes());
    let options: Vec<(u16, Vec<u8>)> = meta::options(&isb.body[12..], isb.big_endian)
        .map(|(c, v)| (c, v.to_vec()))
        .collect();
    let codes: Vec<u16> = options.iter().map(|o| o.0).collect();
    assert_eq!(codes, [3, 4, 5, 6]);
    assert_eq!(options[1].1, 7u64.to_ne_bytes());
}

/// A pcapng file no interface was described in and no packet written to
/// still describes the first interface, so that readers know its link
/// type.
#[test]
fn an_empty_pcapng_file_describes_its_first_interface() {
    let raw = live_interface(101);
    let bytes = written(FileFormat::PcapNg, &raw, |_| Ok(()));
    let r = Reader::from_bytes(bytes).unwrap();
    assert_eq!(r.announced_interfaces(), [(101, 65_535)]);
}

/// A boundary guess that lands in a packet's trailing zeros (an ARP
/// reply's Ethernet padding, 16 bytes or more right before the next
/// record) does not take them for an empty record that chains on: it
/// finds the next record.
#[test]
fn a_boundary_guess_skips_the_zero_padding_before_a_record() {
    let mut arp = vec![0x5a; 42];
    arp.resize(60, 0);
    let recs: Vec<(u32, u32, &[u8], u32)> = (0..40).map(|i| (i, 0, &arp[..], 60)).collect();
    let bytes = pcap_file(cfg!(target_endian = "big"), 0xa1b2_c3d4, 1, 65535, &recs);
    let reader = Reader::from_bytes(bytes.clone()).unwrap();
    let walker = reader.walker().unwrap();
    // Record 3 starts at 24 + 3 * 76; its last 16 bytes are zeros.
    let next = 24 + 4 * 76;
    assert_eq!(
        crate::parallel::boundary(&walker, next - 16, bytes.len()),
        Some(next)
    );
}
