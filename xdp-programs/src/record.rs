//! The record an XDP capture program writes into its ring buffer for each
//! packet, defined once for both ends: the template stores its header
//! fields at these offsets, and the reader parses them with
//! [`Record::parse`].

/// The kernel's own header in front of every record in a BPF ring buffer
/// (`BPF_RINGBUF_HDR_SZ`: length, busy and discard bits, page offset): a
/// record takes this much room in the ring besides its reserved size,
/// which the program counts when deciding to wake the reader, and the
/// reader skips.
pub const RINGBUF_HEADER_LEN: usize = 8;

/// One captured packet as the XDP capture program submits it to the ring
/// buffer: a [`Record::HEADER_LEN`]-byte header in host byte order — time
/// stamp, length on the wire, captured length, receive queue, action —
/// then the captured bytes, padded to the record's size class.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Record<'a> {
    /// When the program saw the packet: `bpf_ktime_get_ns`, nanoseconds of
    /// `CLOCK_MONOTONIC` (the reader converts it to wall-clock time).
    pub monotonic_ns: u64,
    /// The packet's whole length (`bpf_xdp_get_buff_len`), which may be
    /// more than was captured.
    pub wire_len: u32,
    /// The receive queue the packet arrived on (`xdp_md->rx_queue_index`).
    pub rx_queue: u32,
    /// The XDP action the program returns for it (`XDP_PASS`, `XDP_DROP`).
    pub action: u32,
    /// The captured bytes: at most the snapshot length the program was
    /// built for.
    pub data: &'a [u8],
}

impl<'a> Record<'a> {
    /// Offset of [`Record::monotonic_ns`] (a `u64`) in the header.
    pub const TIMESTAMP_AT: usize = 0;
    /// Offset of [`Record::wire_len`] (a `u32`) in the header.
    pub const WIRE_LEN_AT: usize = 8;
    /// Offset of the captured length (a `u32`, the length of
    /// [`Record::data`]) in the header.
    pub const CAPTURED_LEN_AT: usize = 12;
    /// Offset of [`Record::rx_queue`] (a `u32`) in the header.
    pub const RX_QUEUE_AT: usize = 16;
    /// Offset of [`Record::action`] (a `u32`) in the header.
    pub const ACTION_AT: usize = 20;
    /// Size of the header; the captured bytes start here.
    pub const HEADER_LEN: usize = 24;

    /// Reads a record as the ring buffer hands it over (without the
    /// kernel's [`RINGBUF_HEADER_LEN`] bytes). `None` if it is shorter
    /// than its header says, which a record written by the program never
    /// is; bytes past the captured ones (the size class's padding) are
    /// ignored.
    pub fn parse(bytes: &'a [u8]) -> Option<Record<'a>> {
        let header = bytes.get(..Self::HEADER_LEN)?;
        let u32_at =
            |at: usize| u32::from_ne_bytes(header[at..at + 4].try_into().expect("4 bytes"));
        let captured = usize::try_from(u32_at(Self::CAPTURED_LEN_AT)).ok()?;
        let end = Self::HEADER_LEN.checked_add(captured)?;
        Some(Record {
            monotonic_ns: u64::from_ne_bytes(
                header[Self::TIMESTAMP_AT..Self::TIMESTAMP_AT + 8]
                    .try_into()
                    .expect("8 bytes"),
            ),
            wire_len: u32_at(Self::WIRE_LEN_AT),
            rx_queue: u32_at(Self::RX_QUEUE_AT),
            action: u32_at(Self::ACTION_AT),
            data: bytes.get(Self::HEADER_LEN..end)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A record laid out field by field at the header's offsets, as the
    /// program stores them.
    fn record(ts: u64, wire: u32, captured: u32, body: &[u8]) -> Vec<u8> {
        let mut bytes = vec![0; Record::HEADER_LEN];
        bytes[Record::TIMESTAMP_AT..][..8].copy_from_slice(&ts.to_ne_bytes());
        bytes[Record::WIRE_LEN_AT..][..4].copy_from_slice(&wire.to_ne_bytes());
        bytes[Record::CAPTURED_LEN_AT..][..4].copy_from_slice(&captured.to_ne_bytes());
        bytes[Record::RX_QUEUE_AT..][..4].copy_from_slice(&3u32.to_ne_bytes());
        bytes[Record::ACTION_AT..][..4].copy_from_slice(&2u32.to_ne_bytes());
        bytes.extend_from_slice(body);
        bytes
    }

    #[test]
    fn the_header_fields_fill_the_header_without_overlapping() {
        let mut fields = [
            (Record::TIMESTAMP_AT, 8),
            (Record::WIRE_LEN_AT, 4),
            (Record::CAPTURED_LEN_AT, 4),
            (Record::RX_QUEUE_AT, 4),
            (Record::ACTION_AT, 4),
        ];
        fields.sort();
        let mut at = 0;
        for (start, len) in fields {
            assert_eq!(start, at, "{fields:?}");
            assert_eq!(start % len, 0, "aligned: {fields:?}");
            at += len;
        }
        assert_eq!(at, Record::HEADER_LEN);
    }

    #[test]
    fn a_record_reads_back_what_was_stored() {
        let frame: Vec<u8> = (0..74).collect();
        // Cut at a snapshot length of 50, padded to a 72-byte class.
        let mut bytes = record(1_234_567_890_123, 74, 50, &frame[..50]);
        bytes.resize(80, 0);
        assert_eq!(
            Record::parse(&bytes),
            Some(Record {
                monotonic_ns: 1_234_567_890_123,
                wire_len: 74,
                rx_queue: 3,
                action: 2,
                data: &frame[..50],
            })
        );
    }

    #[test]
    fn a_record_shorter_than_its_header_says_is_refused() {
        assert_eq!(Record::parse(&[0; Record::HEADER_LEN - 1]), None);
        assert_eq!(Record::parse(&record(1, 60, 60, &[0; 59])), None);
        assert_eq!(Record::parse(&record(1, 60, u32::MAX, &[0; 60])), None);
        let empty = record(1, 0, 0, &[]);
        assert_eq!(Record::parse(&empty).map(|r| r.data.len()), Some(0));
    }
}
