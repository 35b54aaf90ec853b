//! A pcap record's time stamp as stored, out of range or not: what
//! tcpdump 4.99.3 (libpcap 1.10) prints and writes for it.

use super::*;

/// (precision asked for, fraction stored) → the fraction libpcap hands
/// on, for a microsecond file in this host's byte order and in the
/// other one. The values are tcpdump's (`-tt`, `--nano -tt`) on such
/// files.
#[test]
fn stored_fractions_are_scaled_as_libpcap_scales_them() {
    let cases: &[(bool, u32, i64, i64)] = &[
        // (nanos, stored, native, swapped)
        (false, 5, 5, 5),
        (false, 1_500_000, 1_500_000, 1_500_000),
        (false, u32::MAX, -1, 4_294_967_295),
        (true, 5, 5000, 5000),
        (true, u32::MAX, -1000, 4_294_967_295_000),
    ];
    for big in [false, true] {
        let recs: Vec<(u32, u32, &[u8], u32)> = cases
            .iter()
            .map(|&(_, frac, ..)| (1_700_000_001, frac, &b"x"[..], 1))
            .collect();
        let file = pcap_file(big, 0xa1b2_c3d4, 1, 65535, &recs);
        let mut r = Reader::from_bytes(file).unwrap();
        let swapped = big != cfg!(target_endian = "big");
        for &(nanos, stored, native, other) in cases {
            let p = r.next_packet().unwrap().unwrap();
            let frac = if swapped { other } else { native };
            assert_eq!(p.timeval(nanos), (1_700_000_001, frac), "{stored} {big}");
            // The packet's time stamp carries the excess into the seconds.
            let secs = 1_700_000_001 + i64::from(stored / 1_000_000);
            assert_eq!(p.ts.secs, secs);
        }
    }
    // A nanosecond file read at microsecond precision: divided by 1000,
    // towards zero.
    let file = pcap_file(false, 0xa1b2_3c4d, 1, 65535, &[(9, u32::MAX, b"x", 1)]);
    let mut r = Reader::from_bytes(file).unwrap();
    let p = r.next_packet().unwrap().unwrap();
    let frac = if cfg!(target_endian = "big") {
        4_294_967
    } else {
        0
    };
    assert_eq!(p.timeval(false), (9, frac));
}

/// A pcap writer writes the stored fields, cut to 32 bits, whether it
/// copies the record or writes the packet; packets without a stored
/// time stamp are written from theirs.
#[test]
fn writers_keep_stored_time_stamps() {
    let recs: &[(u32, u32, &[u8], u32)] = &[(7, 1_500_000, b"ab", 2), (8, u32::MAX, b"cd", 2)];
    let big = cfg!(target_endian = "big");
    let file = pcap_file(!big, 0xa1b2_c3d4, 1, 65535, recs);
    let mut r = Reader::from_bytes(file).unwrap();
    let first = r.interfaces()[0].clone();
    let buf = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let out = Box::new(SharedBuf(buf.clone()));
    let format = FileFormat::Pcap { nanos: false };
    let mut w = Writer::new(out, format, &first, 65535).unwrap();
    while let Some(p) = r.next_packet().unwrap() {
        // From a file in the other byte order: written, not copied.
        assert!(!w.takes_records_of(p.interface));
        w.write_packet(&p).unwrap();
    }
    w.write(&first, ts(9, 123_456_789), 2, b"ef").unwrap();
    w.flush().unwrap();
    let written = buf.lock().unwrap().clone();
    let native = pcap_file(big, 0xa1b2_c3d4, 1, 65535, recs);
    let mut want = native;
    want.extend(9u32.to_ne_bytes());
    want.extend(123_456u32.to_ne_bytes());
    want.extend(2u32.to_ne_bytes());
    want.extend(2u32.to_ne_bytes());
    want.extend(b"ef");
    assert_eq!(written, want);
}
