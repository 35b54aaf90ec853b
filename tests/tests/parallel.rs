//! Replay of a large file takes the multi-threaded path (also with `-s`
//! and from a file in the other byte order, whose records are rewritten);
//! its output must be byte for byte what the sequential path writes.

use std::path::Path;

use bpfcap_capture::{
    FileFormat, Interface, Packet, Reader, Replay, ReplayOptions, Timestamp, Writer,
};

/// An Ethernet/IPv4 frame, TCP or UDP by `i`, with ports from `i`.
fn frame(i: u32) -> Vec<u8> {
    let mut f = vec![0u8; 60 + (i % 7) as usize * 40];
    f[12] = 0x08;
    f[14] = 0x45;
    f[23] = if i.is_multiple_of(3) { 17 } else { 6 };
    f[34..36].copy_from_slice(&((i % 1000) as u16).to_be_bytes());
    f[36..38].copy_from_slice(&80u16.to_be_bytes());
    f
}

fn write_big(path: &Path) {
    let iface = Interface {
        linktype: 1,
        snaplen: 65535,
        big_endian: cfg!(target_endian = "big"),
        ts_units_per_sec: 1_000_000,
    };
    let out = Box::new(std::fs::File::create(path).unwrap());
    let mut w = Writer::new(out, FileFormat::Pcap { nanos: false }, &iface, 65535).unwrap();
    for i in 0..300_000u32 {
        let data = frame(i);
        let ts = Timestamp {
            secs: 1_700_000_000 + i64::from(i),
            nanos: (i % 1000) * 1000,
        };
        w.write(&iface, ts, data.len() as u32, &data).unwrap();
    }
    w.flush().unwrap();
}

/// `pcap` (a classic pcap file in this host's byte order) in the other
/// byte order.
fn swapped(pcap: &[u8]) -> Vec<u8> {
    let mut out = pcap.to_vec();
    let turn = |b: &mut [u8]| b.reverse();
    turn(&mut out[0..4]);
    turn(&mut out[4..6]);
    turn(&mut out[6..8]);
    for at in (8..24).step_by(4) {
        turn(&mut out[at..at + 4]);
    }
    let mut at = 24;
    while at + 16 <= pcap.len() {
        let caplen = u32::from_ne_bytes(pcap[at + 8..at + 12].try_into().unwrap());
        for word in (at..at + 16).step_by(4) {
            turn(&mut out[word..word + 4]);
        }
        at += 16 + caplen as usize;
    }
    out
}

/// Replays `input` into `out`, cut to `snaplen`; returns whether reading
/// ended in an error.
fn replay(input: &Path, out: &Path, expr: &str, snaplen: Option<u32>, sequential: bool) -> bool {
    let mut reader = Reader::open(input).unwrap();
    let first = reader.interfaces()[0].clone();
    let file = Box::new(std::fs::File::create(out).unwrap());
    let mut w = Writer::new(file, FileFormat::Pcap { nanos: false }, &first, 65535).unwrap();
    let mut replay = Replay::new(ReplayOptions {
        snaplen,
        ..ReplayOptions::new(expr)
    });
    let result = if sequential {
        // A plain callback cannot take stored records: the one-by-one path.
        replay.run(&mut reader, &mut |p: &Packet<'_>| {
            w.write(p.interface, p.ts, p.wirelen, p.data)
        })
    } else {
        replay.run(&mut reader, &mut w)
    };
    w.flush().unwrap();
    match result {
        Ok(_) => false,
        Err(bpfcap_capture::ReplayError::Read { .. }) => true,
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn parallel_replay_writes_what_sequential_replay_writes() {
    let dir = std::env::temp_dir().join(format!("bpfcap-parallel-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let big = dir.join("big.pcap");
    write_big(&big);
    assert!(std::fs::metadata(&big).unwrap().len() > 40 << 20);
    let mut cut = std::fs::read(&big).unwrap();
    cut.extend_from_slice(&[0u8; 10]); // half a record header at the end
    let damaged = dir.join("damaged.pcap");
    std::fs::write(&damaged, &cut).unwrap();
    // The other byte order, and `-s`: records are rewritten on the way out.
    let other = dir.join("swapped.pcap");
    std::fs::write(&other, swapped(&std::fs::read(&big).unwrap())).unwrap();
    let runs = [
        (&big, false, None),
        (&damaged, true, None),
        (&big, false, Some(70)),
        (&damaged, true, Some(100)),
        (&other, false, None),
        (&other, false, Some(70)),
    ];
    for (input, error, snaplen) in runs {
        for expr in ["tcp", "udp and src port 7", "len > 200"] {
            let (a, b) = (dir.join("par.pcap"), dir.join("seq.pcap"));
            assert_eq!(replay(input, &a, expr, snaplen, false), error);
            assert_eq!(replay(input, &b, expr, snaplen, true), error);
            assert!(
                std::fs::read(&a).unwrap() == std::fs::read(&b).unwrap(),
                "{input:?} {expr} {snaplen:?}"
            );
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
