//! A memory-mapped capture file that shrinks or grows while it is read
//! (log rotation, another writer truncating it): reading must never
//! crash (SIGBUS), the packets read before the change must be intact,
//! nothing read after it may come from beyond the file's new end, and
//! reading must end cleanly (for a shrink, with the shrink: "the file
//! shrank to N bytes"). Replay into a capture file whose input changes
//! size during the k-th hand-over must leave an output that reads back
//! cleanly and holds a prefix of the input's packets; a pcapng input is
//! also replayed into a pcap file (replay's pcapng fast loop).
//!
//! Input: byte 0 = k, the packet (or, for replay, the hand-over) before
//! which the size changes; byte 1 bit 0 = grow (append the file's first
//! bytes again) instead of shrink; bytes 2..4 = the new length as a
//! fraction of the old (u16 LE / 65536); the rest = the capture file
//! (seeds: the files in pcaps/ behind four such bytes).

#![no_main]

use std::fs::OpenOptions;
use std::io::{IoSlice, Write};
use std::path::Path;

use bpfcap_capture::{
    FileFormat, Interface, Packet, ReadError, Reader, Replay, ReplayError, ReplayOptions, Sink,
    Timestamp, Writer,
};
use bpfcap_fuzz::temp_path;
use libfuzzer_sys::fuzz_target;

/// A packet as read: time, wire length, data, interface id.
type Owned = (Timestamp, u32, Vec<u8>, usize);

/// How a reading went: the packets, then how it ended.
type Reading = (Vec<Owned>, Result<(), String>);

fn own(p: &Packet<'_>) -> Owned {
    (p.ts, p.wirelen, p.data.to_vec(), p.interface_id)
}

/// Reads up to `limit` more packets into `got`; the end, if reading ended.
fn read_some(r: &mut Reader, got: &mut Vec<Owned>, limit: usize) -> Option<Result<(), ReadError>> {
    for _ in 0..limit {
        match r.next_packet() {
            Ok(Some(p)) => got.push(own(&p)),
            Ok(None) => return Some(Ok(())),
            Err(e) => return Some(Err(e)),
        }
    }
    None
}

/// Every packet of `bytes` read from memory, the reference.
fn reference(bytes: &[u8]) -> Reading {
    let mut got = Vec::new();
    let end = match Reader::from_bytes(bytes.to_vec()) {
        Ok(mut r) => read_some(&mut r, &mut got, usize::MAX).unwrap_or(Ok(())),
        Err(e) => Err(e),
    };
    (got, end.map_err(|e| e.to_string()))
}

/// The change of size: to `new_len` bytes, or by appending the file's
/// first bytes again.
#[derive(Clone, Copy)]
enum Change {
    Shrink(usize),
    Grow,
}

impl Change {
    fn apply(self, path: &Path, file: &[u8]) {
        let mut f = OpenOptions::new()
            .append(true)
            .open(path)
            .expect("the temporary capture file");
        match self {
            Change::Shrink(len) => f.set_len(len as u64).expect("truncating"),
            Change::Grow => f.write_all(&file[..file.len().min(4096)]).expect("growing"),
        }
    }
}

/// Errors are one line.
fn check_message(e: &str) {
    assert!(!e.is_empty() && !e.contains('\n'), "unclean error {e:?}");
}

/// Reads `file` mapped, changing its size before packet `k`.
fn read_changing(path: &Path, file: &[u8], k: usize, change: Change) {
    std::fs::write(path, file).expect("writing the temporary capture file");
    let full = reference(file);
    let mut r = match Reader::open(path) {
        Ok(r) => r,
        Err(e) => {
            assert_eq!(Err(e.to_string()), full.1, "opening differs");
            return;
        }
    };
    let mut got = Vec::new();
    let early = read_some(&mut r, &mut got, k);
    let before = got.len();
    change.apply(path, file);
    let end = early
        .or_else(|| read_some(&mut r, &mut got, usize::MAX))
        .expect("read to the end");
    assert_eq!(
        Some(&got[..before]),
        full.0.get(..before),
        "packets before the change"
    );
    let end = end.map_err(|e| e.to_string());
    if let Err(e) = &end {
        check_message(e);
    }
    let new_len = match change {
        // The mapping keeps the length the file had: the same reading.
        Change::Grow => {
            assert_eq!((got, end), full, "a grown file reads as before");
            return;
        }
        Change::Shrink(len) if len >= file.len() => {
            assert_eq!((got, end), full, "an unchanged file");
            return;
        }
        Change::Shrink(len) => len,
    };
    // After the change, only what the file still holds.
    let cut = reference(&file[..new_len]);
    assert!(
        got.len() <= before.max(cut.0.len()),
        "{} packets read past the cut at {new_len} ({} before it)",
        got.len() - before,
        cut.0.len()
    );
    if got.len() > before {
        assert_eq!(
            got[before..],
            cut.0[before..got.len()],
            "packets after the change"
        );
    }
    let shrunk =
        format!("truncated dump file; the file shrank to {new_len} bytes while being read");
    assert!(
        end.as_ref().err() == Some(&shrunk) || end == full.1 || end == cut.1,
        "ended with {end:?}, neither the shrink nor {:?} nor {:?}",
        full.1,
        cut.1
    );
}

/// A capture file whose input changes size before hand-over `k`.
struct Changing<'a> {
    out: Writer,
    input: &'a Path,
    file: &'a [u8],
    change: Change,
    k: usize,
}

impl Changing<'_> {
    fn count(&mut self) {
        if self.k == 0 {
            self.change.apply(self.input, self.file);
        }
        self.k = self.k.wrapping_sub(1);
    }
}

impl Sink for Changing<'_> {
    fn packet(&mut self, pkt: &Packet<'_>) -> std::io::Result<()> {
        self.count();
        self.out.write_packet(pkt)
    }

    fn takes_records_of(&self, interface: &Interface) -> bool {
        self.out.takes_records_of(interface)
    }

    fn records(&mut self, records: &[IoSlice<'_>]) -> std::io::Result<()> {
        self.count();
        self.out.write_records(records)
    }

    fn keep_records(&mut self, keep: u64) -> std::io::Result<()> {
        self.out.keep_records(keep)
    }
}

/// Replays every packet of `file` (mapped) into a capture file of its
/// own format, or of `format` (a pcapng input into a pcap file: replay's
/// pcapng fast loop), changing the input's size before hand-over `k`.
fn replay_changing(path: &Path, file: &[u8], k: usize, change: Change, format: Option<FileFormat>) {
    std::fs::write(path, file).expect("writing the temporary capture file");
    let Ok(mut reader) = Reader::open(path) else {
        return;
    };
    let Some(first) = reader.interfaces().first().cloned() else {
        return;
    };
    let format = match format {
        None => reader.format(),
        Some(f) if reader.format() == FileFormat::PcapNg => f,
        Some(_) => return,
    };
    let out_path = temp_path("shrink-out.cap");
    let out = Writer::create(&out_path, format, &first, 0).expect("creating the output");
    let mut sink = Changing {
        out,
        input: path,
        file,
        change,
        k,
    };
    let result = Replay::new(ReplayOptions::new("")).run(&mut reader, &mut sink);
    let flushed = sink.out.flush();
    drop(sink);
    match &result {
        Err(ReplayError::Compile { .. }) => return,
        Err(e) => check_message(&e.to_string()),
        Ok(_) => {}
    }
    if let Err(e) = flushed {
        check_message(&e.to_string());
    }
    let written = std::fs::read(&out_path).expect("reading the output back");
    let _ = std::fs::remove_file(&out_path);
    let (packets, end) = reference(&written);
    assert_eq!(end, Ok(()), "the output must read back cleanly");
    let full = reference(file).0;
    let same = |(a, b): (&Owned, &Owned)| (a.1, &a.2) == (b.1, &b.2);
    assert!(
        packets.len() <= full.len() && packets.iter().zip(&full).all(same),
        "the output holds packets that are not the input's first ones"
    );
}

fuzz_target!(|data: &[u8]| {
    let Some((head, file)) = data.split_at_checked(4) else {
        return;
    };
    if file.is_empty() {
        return;
    }
    let k = usize::from(head[0]);
    let change = if head[1] & 1 != 0 {
        Change::Grow
    } else {
        let fraction = usize::from(u16::from_le_bytes([head[2], head[3]]));
        Change::Shrink(file.len() * fraction / 65536)
    };
    let path = temp_path("shrink.cap");
    read_changing(&path, file, k, change);
    replay_changing(&path, file, k, change, None);
    replay_changing(
        &path,
        file,
        k,
        change,
        Some(FileFormat::Pcap { nanos: true }),
    );
    let _ = std::fs::remove_file(&path);
});
