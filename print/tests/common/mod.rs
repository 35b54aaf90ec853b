//! Helpers shared by the printer's golden tests.

/// (seconds, captured bytes, original length) of each packet of a
/// little-endian microsecond pcap file.
pub fn read_pcap(bytes: &[u8]) -> Vec<(i64, Vec<u8>, u32)> {
    let le32 = |at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap());
    assert_eq!(le32(0), 0xa1b2_c3d4, "little-endian µs pcap");
    let mut at = 24;
    let mut packets = Vec::new();
    while at + 16 <= bytes.len() {
        let secs = i64::from(le32(at));
        let caplen = le32(at + 8) as usize;
        let wirelen = le32(at + 12);
        packets.push((secs, bytes[at + 16..at + 16 + caplen].to_vec(), wirelen));
        at += 16 + caplen;
    }
    packets
}
