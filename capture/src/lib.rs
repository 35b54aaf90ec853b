#![deny(missing_docs)]
#![doc = include_str!("../README.md")]
//! ## Design
//!
//! The file formats are implemented here rather than through a crate:
//! replay needs zero-copy packet access, per-interface link types and time
//! resolutions in pcapng, and libpcap's exact rules for odd files
//! (snapshot truncation, obsolete blocks), which the available crates
//! either lack or get wrong (see pcap-file 2.0's pcapng timestamps).

mod batch;
pub mod bpf;
pub mod devices;
pub mod file;
mod hardware;
pub use hardware::link_for_hardware;
pub mod live;
mod parallel;
pub mod replay;
pub mod set_maps;
pub mod size_limit;
pub mod socket_filter;
mod sys;
#[cfg(feature = "xdp")]
pub mod xdp;

pub use file::{
    FileFormat, Interface, InterfaceCounts, InterfaceOptions, Origin, Packet, PacketOptions, Port,
    RawBlock, ReadError, Reader, RotatingWriter, Rotation, Timestamp, Verdict, Writer,
};
pub use replay::{Replay, ReplayError, ReplayOptions, ReplayStats, Sink};
pub use set_maps::{SetMapError, SetMaps};
pub use socket_filter::{AttachError, EbpfFilter, Filter};
pub use sys::{InterfaceError, OsError};
