//! The XDP templates in the kernel: built for an expression, loaded with
//! aya, test-run on frames that match and frames that don't; counters and
//! the capture ring buffer checked. Needs root (skips otherwise, fails
//! under CI=true).

mod common;

use aya::Ebpf;
use aya::maps::{PerCpuArray, RingBuf};
use aya::programs::Xdp;
use bpfcap_filter::{CompileOptions, LinkType};
use bpfcap_xdp::templates::*;
use bpfcap_xdp::{Action, Counter, Counters, RINGBUF_HEADER_LEN, Record, XdpObject, XdpOptions};

/// Root, or a skip (a failure under CI).
fn have_root() -> bool {
    bpfcap_tests::privileged("the template tests", &[])
}

/// An Ethernet/IPv4/UDP frame to `port` with a 32-byte payload.
fn udp_frame(port: u16) -> Vec<u8> {
    let mut f = vec![0u8; 14 + 20 + 8 + 32];
    f[12..14].copy_from_slice(&[0x08, 0x00]);
    f[14] = 0x45;
    let ip_len = (f.len() - 14) as u16;
    f[16..18].copy_from_slice(&ip_len.to_be_bytes());
    f[23] = 17;
    f[36..38].copy_from_slice(&port.to_be_bytes());
    for (i, b) in f[42..].iter_mut().enumerate() {
        *b = i as u8;
    }
    f
}

fn load(opts: &XdpOptions) -> Ebpf {
    let obj = xdp_object("udp port 9", &CompileOptions::new(LinkType::EN10MB), opts).unwrap();
    let mut ebpf = aya::EbpfLoader::new()
        .load(obj.elf())
        .expect("aya loads the object");
    let prog: &mut Xdp = ebpf
        .program_mut(XdpObject::PROGRAM)
        .unwrap()
        .try_into()
        .unwrap();
    prog.load().unwrap_or_else(|e| panic!("verifier: {e}"));
    ebpf
}

fn counters(ebpf: &Ebpf) -> Counters {
    let map = PerCpuArray::<_, u64>::try_from(ebpf.map(XdpObject::COUNTERS_MAP).unwrap()).unwrap();
    Counters::read(|c: Counter| map.get(&c.index(), 0).map(|v| v.iter().sum())).unwrap()
}

/// `seen`, `matched`, `dropped`, `lost`.
fn counts(seen: u64, matched: u64, dropped: u64, lost: u64) -> Counters {
    Counters {
        seen,
        matched,
        dropped,
        lost,
    }
}

#[test]
fn drop_filter_drops_matches_and_counts() {
    if !have_root() {
        return;
    }
    let mut ebpf = load(&XdpOptions {
        action: Action::Drop,
        ..XdpOptions::default()
    });
    assert_eq!(common::test_run(&mut ebpf, &udp_frame(9)) as i32, XDP_DROP);
    assert_eq!(common::test_run(&mut ebpf, &udp_frame(53)) as i32, XDP_PASS);
    assert_eq!(common::test_run(&mut ebpf, &udp_frame(9)) as i32, XDP_DROP);
    assert_eq!(counters(&ebpf), counts(3, 2, 2, 0));
}

#[test]
fn inverted_pass_filter() {
    if !have_root() {
        return;
    }
    let mut ebpf = load(&XdpOptions {
        action: Action::Drop,
        invert: true,
        ..XdpOptions::default()
    });
    assert_eq!(common::test_run(&mut ebpf, &udp_frame(9)) as i32, XDP_PASS);
    assert_eq!(common::test_run(&mut ebpf, &udp_frame(53)) as i32, XDP_DROP);
}

#[test]
fn capture_copies_matching_frames_to_the_ring() {
    if !have_root() {
        return;
    }
    let mut ebpf = load(&XdpOptions {
        action: Action::Capture { drop: false },
        snaplen: 50,
        ..XdpOptions::default()
    });
    let frame = udp_frame(9);
    assert_eq!(common::test_run(&mut ebpf, &frame) as i32, XDP_PASS);
    assert_eq!(common::test_run(&mut ebpf, &udp_frame(53)) as i32, XDP_PASS);
    let mut ring = RingBuf::try_from(ebpf.take_map(XdpObject::EVENTS_MAP).unwrap()).unwrap();
    let rec = ring.next().expect("one record");
    let parsed = Record::parse(&rec).expect("a whole record");
    assert_eq!(parsed.wire_len as usize, frame.len());
    assert_eq!(parsed.data, &frame[..50]);
    assert!(parsed.monotonic_ns > 0);
    drop(rec);
    assert!(ring.next().is_none());
}

#[test]
fn capture_and_drop() {
    if !have_root() {
        return;
    }
    let mut ebpf = load(&XdpOptions {
        action: Action::Capture { drop: true },
        ..XdpOptions::default()
    });
    assert_eq!(common::test_run(&mut ebpf, &udp_frame(9)) as i32, XDP_DROP);
    assert_eq!(common::test_run(&mut ebpf, &udp_frame(53)) as i32, XDP_PASS);
    assert_eq!(counters(&ebpf), counts(2, 1, 1, 0));
    let mut ring = RingBuf::try_from(ebpf.take_map(XdpObject::EVENTS_MAP).unwrap()).unwrap();
    assert!(ring.next().is_some());
}

/// The capture program for "udp port 9", loaded.
fn capturing(drop: bool, snaplen: u32, ring_bytes: u32) -> Ebpf {
    load(&XdpOptions {
        action: Action::Capture { drop },
        invert: false,
        snaplen,
        ring_bytes,
    })
}

fn ring(ebpf: &mut Ebpf) -> RingBuf<aya::maps::MapData> {
    RingBuf::try_from(ebpf.take_map(XdpObject::EVENTS_MAP).unwrap()).unwrap()
}

/// A record takes what the packet needs, not the whole snapshot length:
/// the smallest size class that holds the header and the bytes.
#[test]
fn capture_reserves_what_the_packet_needs() {
    if !have_root() {
        return;
    }
    let mut ebpf = capturing(true, 2048, 4 << 20);
    let small = udp_frame(9);
    let mut big = udp_frame(9);
    big.resize(1400, 0x5a);
    for frame in [&small, &big] {
        assert_eq!(common::test_run(&mut ebpf, frame) as i32, XDP_DROP);
    }
    let mut ring = ring(&mut ebpf);
    for frame in [&small, &big] {
        let rec = ring.next().expect("a record");
        let want = Record::HEADER_LEN + frame.len();
        let class = *record_classes(2048)
            .iter()
            .find(|&&c| c as usize >= want)
            .unwrap() as usize;
        assert_eq!(rec.len(), class, "frame of {}", frame.len());
        assert!(rec.len() < Record::HEADER_LEN + 2048);
        assert_eq!(Record::parse(&rec).unwrap().data, &frame[..]);
    }
    assert_eq!(counters(&ebpf), counts(2, 2, 2, 0));
}

/// Every snapshot length and ring size the command line can ask for
/// gives a program the verifier takes (one reserve path per size class),
/// and a frame is cut at the snapshot length.
#[test]
fn capture_programs_pass_the_verifier_for_any_snaplen() {
    if !have_root() {
        return;
    }
    for (snaplen, ring_bytes) in [
        (1, 4096),
        (64, 1 << 16),
        (100, 4 << 20),
        (2048, 32 << 20),
        (65535, 1 << 20),
    ] {
        let mut ebpf = capturing(false, snaplen, ring_bytes);
        let frame = udp_frame(9);
        assert_eq!(common::test_run(&mut ebpf, &frame) as i32, XDP_PASS);
        let mut ring = ring(&mut ebpf);
        let rec = ring.next().expect("a record");
        let cap = frame.len().min(snaplen as usize);
        let rec = Record::parse(&rec).unwrap();
        assert_eq!(rec.data, &frame[..cap], "snaplen {snaplen}");
        assert_eq!(rec.action, XDP_PASS as u32);
    }
}

/// A ring too small for the records fills up: the rest are counted lost,
/// and what is in the ring is whole.
#[test]
fn a_full_ring_counts_lost_packets() {
    if !have_root() {
        return;
    }
    let mut ebpf = capturing(true, 2048, 4096);
    let frame = udp_frame(9);
    for _ in 0..100 {
        common::test_run(&mut ebpf, &frame);
    }
    let c = counters(&ebpf);
    let mut ring = ring(&mut ebpf);
    let mut kept = 0;
    while let Some(rec) = ring.next() {
        let rec = Record::parse(&rec).unwrap();
        assert_eq!(rec.data, &frame[..]);
        // What the program returns for it, and the queue of a test run.
        assert_eq!((rec.action, rec.rx_queue), (XDP_DROP as u32, 0));
        kept += 1;
    }
    // 74 bytes + 24 of header: 112-byte records, 120 with the kernel's.
    assert_eq!(kept, 4096 / (112 + RINGBUF_HEADER_LEN));
    assert_eq!(c, counts(100, 100, 100, 100 - kept as u64));
}
