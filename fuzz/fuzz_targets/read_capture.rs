//! The pcap/pcapng readers on arbitrary bytes: truncated and corrupt
//! files, absurd lengths. Nothing may panic, and the three ways of
//! reading a file (owned bytes, a stream, a memory-mapped file) must
//! yield the same packets, the same error, and the same replay output:
//! they share decoders but not the code that fetches bytes, and replay
//! takes a zero-copy batch path only for in-memory input.
//!
//! Input: the capture file, as is (seeds: the files in pcaps/).
//! (Parallel replay needs files of 32 MiB or more; see `replay_parallel`.)

#![no_main]

use std::io::Cursor;

use bpfcap_capture::{Reader, Replay, ReplayOptions, Timestamp, Writer};
use bpfcap_fuzz::{SharedBuf, temp_path};
use libfuzzer_sys::fuzz_target;

/// One packet as read: time, wire length, data, interface id, stored
/// record.
type Record = (Timestamp, u32, Vec<u8>, usize, Option<Vec<u8>>);

/// What reading a file gave: its packets, how it ended, the interfaces.
#[derive(Debug, PartialEq)]
struct Read {
    packets: Vec<Record>,
    end: Result<(), String>,
    interfaces: Vec<bpfcap_capture::Interface>,
}

fn read_all(reader: Result<Reader, bpfcap_capture::ReadError>) -> Read {
    let mut r = match reader {
        Ok(r) => r,
        Err(e) => {
            return Read {
                packets: Vec::new(),
                end: Err(e.to_string()),
                interfaces: Vec::new(),
            };
        }
    };
    // The accessors must not panic on a reader of any file.
    let _ = (r.format(), r.native_byte_order(), r.shared_bytes());
    let mut packets = Vec::new();
    let end = loop {
        match r.next_packet() {
            Ok(Some(p)) => {
                packets.push((
                    p.ts,
                    p.wirelen,
                    p.data.to_vec(),
                    p.interface_id,
                    p.record.map(<[u8]>::to_vec),
                ));
            }
            Ok(None) => break Ok(()),
            Err(e) => break Err(e.to_string()),
        }
    };
    Read {
        packets,
        end,
        interfaces: r.interfaces().to_vec(),
    }
}

/// Replays "tcp" into a pcap/pcapng writer of the file's own format (so
/// records can be copied verbatim); returns the counts, the output bytes
/// and how it ended.
fn replay(reader: Result<Reader, bpfcap_capture::ReadError>) -> Option<(String, Vec<u8>)> {
    let mut reader = reader.ok()?;
    let first = reader.interfaces().first()?.clone();
    let out = SharedBuf::default();
    let mut writer = Writer::new(Box::new(out.clone()), reader.format(), &first, 65535).ok()?;
    let result = Replay::new(ReplayOptions::new("tcp")).run(&mut reader, &mut writer);
    let flushed = writer.flush();
    let end = match result {
        Ok(stats) => format!("{stats:?} {flushed:?}"),
        Err(e) => format!("{e} {flushed:?}"),
    };
    let bytes = out.0.borrow().clone();
    Some((end, bytes))
}

/// Opens `data` as a file: memory-mapped unless empty. The file is removed
/// at once; an open descriptor or mapping keeps it readable.
fn open_file(data: &[u8]) -> Result<Reader, bpfcap_capture::ReadError> {
    let path = temp_path("read.cap");
    std::fs::write(&path, data).expect("cannot write the temporary capture file");
    let reader = Reader::open(&path);
    let _ = std::fs::remove_file(&path);
    reader
}

fn stream(data: &[u8]) -> Result<Reader, bpfcap_capture::ReadError> {
    Reader::from_read(Box::new(Cursor::new(data.to_vec())))
}

fuzz_target!(|data: &[u8]| {
    let in_memory = read_all(Reader::from_bytes(data.to_vec()));
    assert_eq!(in_memory, read_all(stream(data)), "stream differs");
    assert_eq!(in_memory, read_all(open_file(data)), "mapped file differs");

    let in_memory = replay(Reader::from_bytes(data.to_vec()));
    assert_eq!(in_memory, replay(stream(data)), "stream replay differs");
    assert_eq!(in_memory, replay(open_file(data)), "mapped replay differs");
});
