//! Capture-file rotation, as tcpdump's `-C`, `-G` and `-W` do it.
//!
//! A long-running capture must not fill the disk or grow a single file
//! without bound, so the output is split into a series of files: by size
//! (`-C`), by time (`-G`), or both, optionally bounded in number (`-W`).
//! File names and the order of the checks follow tcpdump's
//! `dump_packet_and_trunc` and `MakeFilename`, so scripts written for
//! tcpdump's naming keep working.

use std::ffi::{CString, OsString};
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use super::{FileFormat, Interface, Packet, Port, RawBlock, Timestamp, Writer};

/// When to start a new file, mirroring tcpdump's `-C`, `-G` and `-W`.
///
/// All fields default to `None`, which means a single file: rotation is
/// opt-in, as in tcpdump.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rotation {
    /// `-C`: start a new file before a packet once the current one is
    /// larger than this many millions of bytes (1,000,000, not 2^20, as
    /// tcpdump counts). Files get the counter appended to their name.
    pub size_mb: Option<u64>,
    /// `-G`: start a new file when a packet arrives this many seconds or
    /// more after the current file was opened. The name is then a
    /// `strftime` pattern expanded with the (local) time of the rotation.
    pub seconds: Option<u64>,
    /// `-W`: with `size_mb`, keep at most this many files, reusing their
    /// names in a ring (and zero-padding the counter so names sort); with
    /// only `seconds`, stop capturing after this many files.
    pub count: Option<u32>,
}

impl Rotation {
    /// Refuses zeros, which tcpdump refuses too and which would lose
    /// packets: `-C 0` and `-G 0` would start a file for every packet, and
    /// a `-W 0` ring would overwrite its only file. (tcpdump's command line
    /// reads `-G 0` as no time rotation: then `seconds` is `None`.)
    fn check(&self) -> io::Result<()> {
        let zero = [
            ("file size (-C)", self.size_mb == Some(0)),
            ("rotation period (-G)", self.seconds == Some(0)),
            ("file count (-W)", self.count == Some(0)),
        ];
        match zero.iter().find(|(_, z)| *z) {
            Some((what, _)) => Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("the {what} must be greater than 0"),
            )),
            None => Ok(()),
        }
    }
}

/// A series of capture files, rotated as tcpdump does with `-C`, `-G`
/// and `-W`. Decisions about time use packet time stamps, not the wall
/// clock, so that rotation is deterministic (testable) and also correct
/// when rewriting a saved capture.
pub struct RotatingWriter {
    pattern: PathBuf,
    rotation: Rotation,
    format: FileFormat,
    first: Interface,
    /// The interfaces [`RotatingWriter::describe`]d, for each new file.
    described: Vec<(Interface, String, Option<String>)>,
    snaplen: u32,
    /// Digits of the `-C` counter when `-W` is given (tcpdump's
    /// `WflagChars`); 0 means no padding and no suffix on the first file.
    digits: usize,
    writer: Writer,
    /// Time (seconds) the current `-G` period started; names use it.
    period_start: i64,
    /// `-G` rotations so far (tcpdump's `Gflag_count`).
    periods: u64,
    /// Number of the current file in the `-C` series (`Cflag_count`).
    counter: u32,
    done: bool,
    files: Vec<PathBuf>,
}

impl RotatingWriter {
    /// Opens the first file. `pattern` is the `-w` name (a `strftime`
    /// pattern with `-G`); `now` is the time that names the first file and
    /// starts the first `-G` period (the capture's start time).
    pub fn create(
        pattern: &Path,
        rotation: Rotation,
        format: FileFormat,
        first: &Interface,
        snaplen: u32,
        now: Timestamp,
    ) -> io::Result<RotatingWriter> {
        // Replaced by `open`; a sink keeps construction simple.
        let sink = Writer::new(Box::new(io::sink()), format, first, snaplen)?;
        RotatingWriter::start(pattern, rotation, format, sink, first, snaplen, now)
    }

    /// Opens the first file of a series copying a pcapng input, as
    /// [`Writer::create_pcapng_copy`] does for one file. Each next file
    /// starts with the section header, the interface descriptions met so
    /// far and the decryption secrets met so far (as editcap does when it
    /// splits a file; see [`Writer::section_blocks`]); the other
    /// metadata blocks go in the file being written when they are met.
    pub fn create_pcapng_copy(
        pattern: &Path,
        rotation: Rotation,
        opening: &[RawBlock],
        snaplen: Option<u32>,
        now: Timestamp,
    ) -> io::Result<RotatingWriter> {
        // Replaced by `open`, which takes its opening blocks over.
        let sink = Writer::new_pcapng_copy(Box::new(io::sink()), opening, snaplen)?;
        // Unused: files are made from the sink's section.
        let first = Interface {
            linktype: 0,
            snaplen: 0,
            big_endian: cfg!(target_endian = "big"),
            ts_units_per_sec: 1_000_000,
        };
        RotatingWriter::start(pattern, rotation, FileFormat::PcapNg, sink, &first, 0, now)
    }

    /// Opens the first file in place of `sink`, a writer to nowhere that
    /// says how files start.
    fn start(
        pattern: &Path,
        rotation: Rotation,
        format: FileFormat,
        sink: Writer,
        first: &Interface,
        snaplen: u32,
        now: Timestamp,
    ) -> io::Result<RotatingWriter> {
        rotation.check()?;
        let digits = match (rotation.size_mb, rotation.count) {
            (Some(_), Some(w)) => w_digits(w),
            _ => 0,
        };
        let mut this = RotatingWriter {
            pattern: pattern.to_path_buf(),
            rotation,
            format,
            first: first.clone(),
            described: Vec::new(),
            snaplen,
            digits,
            writer: sink,
            period_start: now.secs,
            periods: 0,
            counter: 0,
            done: false,
            files: Vec::new(),
        };
        this.open()?;
        Ok(this)
    }

    /// Writes one packet, rotating first/after as tcpdump does. Ok(false)
    /// when -G -W has produced its last file and capture should stop (the
    /// packet is then not written, as tcpdump exits before writing it).
    pub fn write(
        &mut self,
        interface: &Interface,
        ts: Timestamp,
        wirelen: u32,
        data: &[u8],
    ) -> io::Result<bool> {
        self.write_packet(&Packet::live(ts, wirelen, data, interface))
    }

    /// [`RotatingWriter::write`] for a packet with what a live capture
    /// knows of it (see [`Writer::write_packet`]).
    pub fn write_packet(&mut self, pkt: &Packet<'_>) -> io::Result<bool> {
        let ts = pkt.ts;
        if self.done {
            return Ok(false);
        }
        if let Some(secs) = self.rotation.seconds
            && ts.secs.saturating_sub(self.period_start) >= secs as i64
        {
            self.periods += 1;
            if self.rotation.size_mb.is_none()
                && self
                    .rotation
                    .count
                    .is_some_and(|w| self.periods >= u64::from(w))
            {
                self.done = true;
                self.flush()?;
                return Ok(false);
            }
            self.period_start = ts.secs;
            self.counter = 0;
            self.open()?;
        }
        // tcpdump's `pcap_dump_ftell(..) > Cflag`, before writing.
        if let Some(mb) = self.rotation.size_mb
            && self.writer.position() > mb.saturating_mul(1_000_000)
        {
            self.counter += 1;
            if self.rotation.count.is_some_and(|w| self.counter >= w) {
                self.counter = 0;
            }
            self.open()?;
        }
        self.writer.write_packet(pkt)?;
        Ok(true)
    }

    /// Describes an interface packets will come from in this file and
    /// each next one (see [`Writer::describe`]).
    pub fn describe(&mut self, interface: &Interface, port: Port<'_>) -> io::Result<()> {
        self.writer.describe(interface, port)?;
        self.described.push((
            interface.clone(),
            port.name.to_string(),
            port.description.map(str::to_string),
        ));
        Ok(())
    }

    /// Writes a pcapng input's metadata blocks in the file being written
    /// (see [`Writer::write_blocks`]); a series that does not copy a
    /// pcapng input ignores them.
    pub fn write_blocks(&mut self, blocks: &[RawBlock]) -> io::Result<()> {
        self.writer.write_blocks(blocks)
    }

    /// Whether the files copy a pcapng input's metadata
    /// ([`RotatingWriter::create_pcapng_copy`]).
    pub fn copies_pcapng(&self) -> bool {
        self.writer.copies_pcapng()
    }

    /// The file being written (for what goes in it once, at the end,
    /// such as [`Writer::write_statistics`]).
    pub fn current(&mut self) -> &mut Writer {
        &mut self.writer
    }

    /// Pushes buffered packets to the current file.
    pub fn flush(&mut self) -> io::Result<()> {
        self.writer.flush()
    }

    /// Names of the files written so far (in order). With `-C` and `-W`
    /// a name reappears each time the ring wraps around to it.
    pub fn files(&self) -> &[PathBuf] {
        &self.files
    }

    /// Closes the current file and opens the next one, named from the
    /// current period and counter.
    fn open(&mut self) -> io::Result<()> {
        if !self.files.is_empty() {
            self.flush()?;
        }
        let path = self.file_name()?;
        let mut writer = match self.writer.section_blocks() {
            Some((section, snaplen)) => Writer::create_pcapng_copy(&path, section, snaplen)?,
            None => Writer::create(&path, self.format, &self.first, self.snaplen)?,
        };
        for (interface, name, description) in &self.described {
            let port = Port {
                name,
                description: description.as_deref(),
            };
            writer.describe(interface, port)?;
        }
        // A new file is readable (has its header) at once.
        writer.flush()?;
        self.writer = writer;
        self.files.push(path);
        Ok(())
    }

    /// tcpdump's `MakeFilename`: the pattern, expanded by `strftime` with
    /// `-G`, followed with `-C` by the counter (omitted for the first file
    /// unless `-W` asks for padded numbers).
    fn file_name(&self) -> io::Result<PathBuf> {
        let mut name: OsString = if self.rotation.seconds.is_some() {
            strftime_local(self.pattern.as_os_str().as_bytes(), self.period_start)?
        } else {
            self.pattern.clone().into_os_string()
        };
        if self.rotation.size_mb.is_some() && (self.counter != 0 || self.digits != 0) {
            name.push(format!("{:0width$}", self.counter, width = self.digits));
        }
        Ok(PathBuf::from(name))
    }
}

/// Digits needed for file numbers `0..w` (tcpdump's `getWflagChars`).
fn w_digits(w: u32) -> usize {
    let mut x = w.saturating_sub(1);
    let mut digits = 0;
    while x > 0 {
        digits += 1;
        x /= 10;
    }
    digits
}

/// Expands `pattern` with `strftime(3)` for local time `secs`, as tcpdump
/// names `-G` files.
fn strftime_local(pattern: &[u8], secs: i64) -> io::Result<OsString> {
    use std::os::unix::ffi::OsStringExt;
    if pattern.is_empty() {
        return Ok(OsString::new());
    }
    let fmt = CString::new(pattern)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "NUL in file name"))?;
    let t = secs as libc::time_t;
    // SAFETY: `tm` is plain data; localtime_r fills it or returns null.
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    if unsafe { libc::localtime_r(&t, &mut tm) }.is_null() {
        return Err(io::Error::other("localtime failed"));
    }
    let mut buf = vec![0u8; 4096];
    // SAFETY: buf is writable for buf.len() bytes; fmt is NUL-terminated.
    let n = unsafe { libc::strftime(buf.as_mut_ptr().cast(), buf.len(), fmt.as_ptr(), &tm) };
    if n == 0 {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "file name pattern expands to nothing or too long a name",
        ));
    }
    buf.truncate(n);
    Ok(OsString::from_vec(buf))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::file::Reader;

    fn iface() -> Interface {
        Interface {
            linktype: 1,
            snaplen: 65535,
            big_endian: cfg!(target_endian = "big"),
            ts_units_per_sec: 1_000_000,
        }
    }

    fn tmpdir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("bpfcap-rotate-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    /// Time stamps (seconds) and first data byte of each packet in `path`.
    fn read_all(path: &Path) -> Vec<(i64, u8, usize)> {
        let mut r = Reader::open(path).unwrap();
        let mut v = Vec::new();
        while let Some(p) = r.next_packet().unwrap() {
            v.push((p.ts.secs, p.data[0], p.data.len()));
        }
        v
    }

    fn ts(secs: i64) -> Timestamp {
        Timestamp { secs, nanos: 0 }
    }

    #[test]
    fn zero_values_are_refused_before_any_file_is_made() {
        let d = tmpdir("zeros");
        let base = d.join("cap");
        let i = iface();
        for rot in [
            Rotation {
                size_mb: Some(0),
                ..Rotation::default()
            },
            Rotation {
                seconds: Some(0),
                ..Rotation::default()
            },
            Rotation {
                size_mb: Some(1),
                count: Some(0),
                ..Rotation::default()
            },
        ] {
            let pcap = FileFormat::Pcap { nanos: false };
            let err = RotatingWriter::create(&base, rot, pcap, &i, 65535, ts(0))
                .err()
                .expect("a zero rotation value is refused");
            assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
            assert!(err.to_string().ends_with("must be greater than 0"), "{err}");
        }
        assert!(!base.exists());
    }

    fn size_rotation(format: FileFormat) {
        let d = tmpdir(&format!("size-{format:?}"));
        let base = d.join("cap");
        let rot = Rotation {
            size_mb: Some(1),
            ..Rotation::default()
        };
        let i = iface();
        let mut w = RotatingWriter::create(&base, rot, format, &i, 65535, ts(0)).unwrap();
        let n = 3500;
        for k in 0..n {
            let data = vec![(k % 251) as u8; 1000];
            assert!(w.write(&i, ts(k), 1000, &data).unwrap());
        }
        w.flush().unwrap();
        let names: Vec<PathBuf> = ["cap", "cap1", "cap2", "cap3"]
            .iter()
            .map(|s| d.join(s))
            .collect();
        assert_eq!(w.files(), &names[..]);
        let mut next = 0i64;
        for (idx, f) in names.iter().enumerate() {
            let len = std::fs::metadata(f).unwrap().len();
            assert!(len <= 1_000_000 + 1100, "{f:?} is {len} bytes");
            if idx < 3 {
                assert!(len > 1_000_000, "{f:?} is {len} bytes");
            }
            for (secs, b, l) in read_all(f) {
                assert_eq!((secs, b, l), (next, (next % 251) as u8, 1000));
                next += 1;
            }
        }
        assert_eq!(next, n);
    }

    #[test]
    fn rotate_by_size_pcap() {
        size_rotation(FileFormat::Pcap { nanos: false });
    }

    #[test]
    fn rotate_by_size_pcapng() {
        size_rotation(FileFormat::PcapNg);
    }

    #[test]
    fn rotate_by_size_ring() {
        let d = tmpdir("ring");
        let base = d.join("cap");
        let rot = Rotation {
            size_mb: Some(1),
            count: Some(2),
            ..Rotation::default()
        };
        let i = iface();
        let fmt = FileFormat::Pcap { nanos: true };
        let mut w = RotatingWriter::create(&base, rot, fmt, &i, 65535, ts(0)).unwrap();
        for k in 0..3500i64 {
            let data = vec![7u8; 1000];
            assert!(w.write(&i, ts(k), 1000, &data).unwrap());
        }
        w.flush().unwrap();
        let (c0, c1) = (d.join("cap0"), d.join("cap1"));
        assert_eq!(w.files(), &[c0.clone(), c1.clone(), c0.clone(), c1.clone()]);
        let mut entries: Vec<_> = std::fs::read_dir(&d)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        entries.sort();
        assert_eq!(entries, ["cap0", "cap1"]);
        // cap0 was rewritten with the third batch; cap1 holds the last.
        let p0 = read_all(&c0);
        let p1 = read_all(&c1);
        assert_eq!(p1.last().unwrap().0, 3499);
        assert_eq!(p0.last().unwrap().0 + 1, p1[0].0);
        assert!(p0[0].0 > 0);
    }

    #[test]
    fn ring_digits() {
        assert_eq!(w_digits(1), 0);
        assert_eq!(w_digits(2), 1);
        assert_eq!(w_digits(10), 1);
        assert_eq!(w_digits(11), 2);
        assert_eq!(w_digits(100), 2);
        assert_eq!(w_digits(101), 3);
    }

    #[test]
    fn rotate_by_time() {
        let d = tmpdir("time");
        let pattern = d.join("cap-%s.pcap");
        let rot = Rotation {
            seconds: Some(10),
            ..Rotation::default()
        };
        let i = iface();
        let fmt = FileFormat::Pcap { nanos: false };
        let t0 = 1_700_000_000;
        let mut w = RotatingWriter::create(&pattern, rot, fmt, &i, 65535, ts(t0)).unwrap();
        for (k, dt) in [0, 5, 10, 25].into_iter().enumerate() {
            assert!(w.write(&i, ts(t0 + dt), 60, &[k as u8; 60]).unwrap());
        }
        w.flush().unwrap();
        let names: Vec<PathBuf> = [t0, t0 + 10, t0 + 25]
            .iter()
            .map(|t| d.join(format!("cap-{t}.pcap")))
            .collect();
        assert_eq!(w.files(), &names[..]);
        let got: Vec<_> = names.iter().map(|f| read_all(f)).collect();
        assert_eq!(
            got,
            [
                vec![(t0, 0, 60), (t0 + 5, 1, 60)],
                vec![(t0 + 10, 2, 60)],
                vec![(t0 + 25, 3, 60)],
            ]
        );
    }

    #[test]
    fn rotate_by_time_stops_after_count() {
        let d = tmpdir("time-count");
        let pattern = d.join("cap-%s");
        let rot = Rotation {
            seconds: Some(10),
            count: Some(2),
            ..Rotation::default()
        };
        let i = iface();
        let fmt = FileFormat::PcapNg;
        let mut w = RotatingWriter::create(&pattern, rot, fmt, &i, 65535, ts(100)).unwrap();
        assert!(w.write(&i, ts(100), 60, &[1; 60]).unwrap());
        assert!(w.write(&i, ts(110), 60, &[2; 60]).unwrap());
        assert!(w.write(&i, ts(115), 60, &[3; 60]).unwrap());
        assert!(!w.write(&i, ts(120), 60, &[4; 60]).unwrap());
        assert!(!w.write(&i, ts(121), 60, &[5; 60]).unwrap());
        assert_eq!(w.files(), &[d.join("cap-100"), d.join("cap-110")]);
        assert_eq!(read_all(&d.join("cap-100")), [(100, 1, 60)]);
        assert_eq!(read_all(&d.join("cap-110")), [(110, 2, 60), (115, 3, 60)]);
        assert!(!d.join("cap-120").exists());
    }

    #[test]
    fn rotate_by_time_and_size() {
        let d = tmpdir("both");
        let pattern = d.join("c%s_");
        let rot = Rotation {
            size_mb: Some(1),
            seconds: Some(60),
            count: Some(3),
        };
        let i = iface();
        let fmt = FileFormat::Pcap { nanos: false };
        let mut w = RotatingWriter::create(&pattern, rot, fmt, &i, 65535, ts(0)).unwrap();
        let data = vec![0u8; 1000];
        for k in 0..1500 {
            assert!(w.write(&i, ts(k / 100), 1000, &data).unwrap());
        }
        assert!(w.write(&i, ts(60), 1000, &data).unwrap());
        w.flush().unwrap();
        let names: Vec<PathBuf> = ["c0_0", "c0_1", "c60_0"]
            .iter()
            .map(|s| d.join(s))
            .collect();
        assert_eq!(w.files(), &names[..]);
        assert_eq!(read_all(&names[2]).len(), 1);
    }
}
