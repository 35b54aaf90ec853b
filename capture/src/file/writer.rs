//! Writing packets to a pcap or pcapng file (or standard output).

use std::fs::File;
use std::io::{self, BufWriter, IoSlice, Write};
use std::path::Path;

use super::{FileFormat, Interface, Packet, Timestamp, pcap, pcapng};

/// A capture file being written. Records are written whole, so a file cut
/// short by a signal after [`Writer::flush`] is always readable.
pub struct Writer {
    out: BufWriter<Box<dyn Write>>,
    kind: Kind,
}

enum Kind {
    Pcap {
        nanos: bool,
        linktype: u32,
    },
    /// pcapng: the (linktype, snaplen) of each interface description
    /// written so far; its index is the interface id.
    PcapNg {
        written: Vec<(u32, u32)>,
    },
}

impl Writer {
    /// Creates `path` (`-` for standard output) and writes the file
    /// header. A pcap file takes its link type and snapshot length from
    /// `first`, the interface of the packets to come.
    pub fn create(
        path: &Path,
        format: FileFormat,
        first: &Interface,
        snaplen: u32,
    ) -> io::Result<Writer> {
        let out: Box<dyn Write> = if path == Path::new("-") {
            Box::new(io::stdout())
        } else {
            Box::new(File::create(path)?)
        };
        Writer::new(out, format, first, snaplen)
    }

    /// Like [`Writer::create`], on any output.
    pub fn new(
        out: Box<dyn Write>,
        format: FileFormat,
        first: &Interface,
        snaplen: u32,
    ) -> io::Result<Writer> {
        let mut out = BufWriter::with_capacity(1 << 20, out);
        let kind = match format {
            FileFormat::Pcap { nanos } => {
                pcap::write_header(&mut out, first.linktype, snaplen, nanos)?;
                Kind::Pcap {
                    nanos,
                    linktype: first.linktype,
                }
            }
            FileFormat::PcapNg => {
                pcapng::write_shb(&mut out)?;
                // Describe the first interface even if no packet follows,
                // so that readers know the link type of an empty file.
                pcapng::write_idb(&mut out, first.linktype, snaplen)?;
                Kind::PcapNg {
                    written: vec![(first.linktype, snaplen)],
                }
            }
        };
        Ok(Writer { out, kind })
    }

    /// Whether pcap records of packets from `i` are already in this
    /// file's format (byte order, time resolution, link type) and can be
    /// copied as they are.
    pub fn takes_records_of(&self, i: &Interface) -> bool {
        let Kind::Pcap { nanos, linktype } = self.kind else {
            return false;
        };
        let units = if nanos { 1_000_000_000 } else { 1_000_000 };
        i.linktype == linktype
            && i.ts_units_per_sec == units
            && i.big_endian == cfg!(target_endian = "big")
    }

    /// Whether `pkt`'s stored record can be copied as it is.
    pub fn takes_record(&self, pkt: &Packet<'_>) -> bool {
        pkt.record.is_some() && self.takes_records_of(pkt.interface)
    }

    /// Appends a packet as read by a [`super::Reader`], copying its record
    /// as it is when [`Writer::takes_record`] allows.
    pub fn write_packet(&mut self, pkt: &Packet<'_>) -> io::Result<()> {
        match pkt.record {
            Some(record) if self.takes_record(pkt) => self.out.write_all(record),
            _ => self.write(pkt.interface, pkt.ts, pkt.wirelen, pkt.data),
        }
    }

    /// Appends records accepted by [`Writer::takes_record`], straight from
    /// the caller's memory with one system call for many records.
    pub fn write_records(&mut self, records: &[IoSlice<'_>]) -> io::Result<()> {
        self.out.flush()?;
        let out = self.out.get_mut();
        let mut owned = records.to_vec();
        let mut bufs = &mut owned[..];
        while !bufs.is_empty() {
            match out.write_vectored(bufs) {
                Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
                Ok(n) => IoSlice::advance_slices(&mut bufs, n),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// Appends a packet captured on `interface`.
    pub fn write(
        &mut self,
        interface: &Interface,
        ts: Timestamp,
        wirelen: u32,
        data: &[u8],
    ) -> io::Result<()> {
        match &mut self.kind {
            Kind::Pcap { nanos, linktype } => {
                if interface.linktype != *linktype {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidInput,
                        format!(
                            "a pcap file holds one link type ({}), but a packet has link type {}; write pcapng (--pcapng)",
                            *linktype, interface.linktype
                        ),
                    ));
                }
                pcap::write_record(&mut self.out, ts, wirelen, data, *nanos)
            }
            Kind::PcapNg { written } => {
                let key = (interface.linktype, written[0].1);
                let id = match written.iter().position(|&w| w == key) {
                    Some(id) => id,
                    None => {
                        pcapng::write_idb(&mut self.out, key.0, key.1)?;
                        written.push(key);
                        written.len() - 1
                    }
                };
                pcapng::write_epb(&mut self.out, id as u32, ts, wirelen, data)
            }
        }
    }

    /// Pushes buffered records to the file.
    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}
