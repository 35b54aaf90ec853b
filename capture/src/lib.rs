//! Packet capture for bpfcap (being written).
