//! Parallel replay of big in-memory pcap files must give exactly what
//! sequential replay gives. Each thread starts at a guessed record
//! boundary (capture/src/parallel.rs); a wrong guess must only ever cost
//! a fallback to sequential replay, never a different result. With `-s`
//! the records are rewritten chunk by chunk (capture/src/replay/chunks.rs),
//! each chunk's start a guess too.
//!
//! Input: a little-endian pcap file (header, then records). Its records
//! are repeated until the file reaches the 32 MiB from which replay goes
//! parallel, so damage in them recurs around every split point. Slow
//! (tens of milliseconds a run): run it after the other targets.

#![no_main]

use std::io::Cursor;

use bpfcap_capture::{Reader, Replay, ReplayOptions, Writer};
use bpfcap_fuzz::SharedBuf;
use libfuzzer_sys::fuzz_target;

/// `bpfcap_capture::parallel::MIN_BYTES` (crate-private): smaller files are
/// replayed sequentially.
const PARALLEL_BYTES: usize = 32 << 20;

/// Replays into a pcap file of the input's own kind, which takes records
/// verbatim (the precondition for parallel replay), cut to `snaplen`
/// (`-s`: rewritten, chunk by chunk in parallel); returns how it ended
/// and the output.
fn replay(mut reader: Reader, snaplen: Option<u32>) -> (String, Vec<u8>) {
    let first = reader.interfaces()[0].clone();
    let out = SharedBuf::default();
    let mut writer = Writer::new(Box::new(out.clone()), reader.format(), &first, 65535)
        .expect("writing to memory");
    // Matches on wire length, which the fuzzer controls directly in the
    // record headers, so runs of matching records break up.
    let opts = ReplayOptions {
        snaplen,
        ..ReplayOptions::new("greater 60")
    };
    let result = Replay::new(opts).run(&mut reader, &mut writer);
    writer.flush().expect("writing to memory");
    let end = match result {
        Ok(stats) => format!("{stats:?}"),
        Err(e) => format!("{e}"),
    };
    let bytes = out.0.borrow().clone();
    (end, bytes)
}

fuzz_target!(|data: &[u8]| {
    // Only native (little-endian) pcap is replayed in parallel.
    let Some((header, records)) = data.split_at_checked(24) else {
        return;
    };
    let magic = u32::from_le_bytes(header[..4].try_into().unwrap());
    if ![0xa1b2_c3d4, 0xa1b2_3c4d, 0xa1b2_cd34].contains(&magic) || records.is_empty() {
        return;
    }
    let mut file = Vec::with_capacity(PARALLEL_BYTES + records.len() * 2);
    file.extend_from_slice(header);
    while file.len() < PARALLEL_BYTES + 24 {
        file.extend_from_slice(records);
    }
    for snaplen in [None, Some(100)] {
        // In memory: parallel when the boundaries are found. A stream:
        // always sequential.
        let Ok(parallel) = Reader::from_bytes(file.clone()) else {
            return;
        };
        let stream = Box::new(Cursor::new(file.clone()));
        let sequential = Reader::from_read(stream).expect("the header read once");
        let (p, s) = (replay(parallel, snaplen), replay(sequential, snaplen));
        assert_eq!(
            p.0, s.0,
            "{snaplen:?}: parallel and sequential replay end differently"
        );
        assert!(
            p.1 == s.1,
            "{snaplen:?}: parallel and sequential replay output differs"
        );
    }
});
