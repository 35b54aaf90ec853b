//! Where matching packets go, offline and live alike: the `-w` file(s)
//! (rotated with -C/-G/-W, each finished one handed to `-z`), a printed
//! line each (without `-w`, or with `--print`), or only a count
//! (`--count`).

use std::ffi::OsString;
use std::io::{self, BufWriter, IoSlice, Write};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command};

use bpfcap_capture::{
    FileFormat, Interface, InterfaceCounts, Packet, Port, RawBlock, RotatingWriter, Rotation, Sink,
    Timestamp, Writer, file::native_record_count,
};
use bpfcap_print::Summarizer;

use crate::args::Args;
use crate::{Fatal, signals};

/// The capture file(s) being written.
pub enum FileOut {
    Plain(Writer),
    /// -C / -G / -W.
    Rotating {
        /// Boxed: it is much bigger than a plain writer.
        writer: Box<RotatingWriter>,
        postrotate: Option<PostRotate>,
    },
}

impl FileOut {
    /// Creates the -w file, or the first of the -C/-G files.
    pub fn create(
        args: &Args,
        path: &Path,
        format: FileFormat,
        interface: &Interface,
        snaplen: u32,
    ) -> Result<FileOut, Fatal> {
        FileOut::create_with(
            args,
            path,
            || Writer::create(path, format, interface, snaplen),
            |rotation| {
                RotatingWriter::create(path, rotation, format, interface, snaplen, capture_time())
            },
        )
    }

    /// Creates the -w file, or the first of the -C/-G files, as a copy of
    /// a pcapng input: `opening` is its opening blocks, `snaplen` `-s`'s.
    fn create_pcapng_copy(
        args: &Args,
        path: &Path,
        opening: &[RawBlock],
        snaplen: Option<u32>,
    ) -> Result<FileOut, Fatal> {
        FileOut::create_with(
            args,
            path,
            || Writer::create_pcapng_copy(path, opening, snaplen),
            |rotation| {
                RotatingWriter::create_pcapng_copy(path, rotation, opening, snaplen, capture_time())
            },
        )
    }

    /// One file made by `plain`, or with -C/-G a series made by `rotating`.
    fn create_with(
        args: &Args,
        path: &Path,
        plain: impl FnOnce() -> io::Result<Writer>,
        rotating: impl FnOnce(Rotation) -> io::Result<RotatingWriter>,
    ) -> Result<FileOut, Fatal> {
        let rotation = args.rotation();
        if rotation.is_some() && path.as_os_str() == "-" {
            return Err(Fatal("-C and -G need a file name, not -".into()));
        }
        match rotation {
            Some(rotation) => rotating(rotation).map(|writer| FileOut::Rotating {
                writer: Box::new(writer),
                postrotate: args.postrotate.clone().map(PostRotate::new),
            }),
            None => plain().map(FileOut::Plain),
        }
        .map_err(|e| Fatal(format!("{}: {e}", path.display())))
    }

    /// Writes a pcapng input's metadata blocks where they were met (a
    /// copy of a pcapng input; other files ignore them).
    fn write_blocks(&mut self, blocks: &[RawBlock]) -> io::Result<()> {
        match self {
            FileOut::Plain(w) => w.write_blocks(blocks),
            FileOut::Rotating { writer, .. } => writer.write_blocks(blocks),
        }
    }

    /// Whether this copies a pcapng input's metadata.
    fn copies_pcapng(&self) -> bool {
        match self {
            FileOut::Plain(w) => w.copies_pcapng(),
            FileOut::Rotating { writer, .. } => writer.copies_pcapng(),
        }
    }

    /// Writes a packet; `false` once -G -W has written its last file.
    pub fn write(&mut self, pkt: &Packet<'_>) -> io::Result<bool> {
        match self {
            FileOut::Plain(w) => w.write_packet(pkt).map(|()| true),
            FileOut::Rotating { writer, postrotate } => {
                let before = writer.files().len();
                let more = writer.write_packet(pkt)?;
                let files = writer.files();
                if let Some(cmd) = postrotate {
                    // A new file means the one before it is closed; the
                    // last -G -W file is closed when writing ends.
                    if files.len() > before {
                        cmd.run(&files[files.len() - 2]);
                    } else if !more && let Some(last) = files.last() {
                        cmd.run(last);
                    }
                }
                Ok(more)
            }
        }
    }

    pub fn flush(&mut self) -> io::Result<()> {
        match self {
            FileOut::Plain(w) => w.flush(),
            FileOut::Rotating { writer, .. } => writer.flush(),
        }
    }

    /// Describes an interface packets will come from (pcapng).
    fn describe(&mut self, interface: &Interface, port: Port<'_>) -> io::Result<()> {
        match self {
            FileOut::Plain(w) => w.describe(interface, port),
            FileOut::Rotating { writer, .. } => writer.describe(interface, port),
        }
    }

    /// An interface's counts at the end (pcapng), as of now.
    fn write_statistics(
        &mut self,
        interface: &Interface,
        port: Port<'_>,
        counts: &InterfaceCounts,
    ) -> io::Result<()> {
        let writer = match self {
            FileOut::Plain(w) => w,
            FileOut::Rotating { writer, .. } => writer.current(),
        };
        writer.write_statistics(interface, Some(port), counts, capture_time())
    }
}

/// `-z CMD`: `CMD FILE` for each file closed by rotation, at the lowest
/// priority and not waited for, as tcpdump runs it (tcpdump's own last
/// file is not handed over either).
pub struct PostRotate {
    command: OsString,
    running: Vec<Child>,
}

impl PostRotate {
    fn new(command: OsString) -> PostRotate {
        PostRotate {
            command,
            running: Vec::new(),
        }
    }

    fn run(&mut self, file: &Path) {
        // Reap the ones that have finished.
        self.running
            .retain_mut(|c| matches!(c.try_wait(), Ok(None)));
        let mut cmd = Command::new(&self.command);
        cmd.arg(file);
        // SAFETY: setpriority is async-signal-safe; nothing else runs
        // between fork and exec.
        unsafe {
            cmd.pre_exec(|| {
                libc::setpriority(libc::PRIO_PROCESS, 0, 19);
                Ok(())
            });
        }
        match cmd.spawn() {
            Ok(child) => self.running.push(child),
            Err(e) => eprintln!(
                "bpfcap: -z {} {}: {e}",
                self.command.to_string_lossy(),
                file.display()
            ),
        }
    }
}

/// The current time, for naming the first -G file and stamping the
/// interface statistics.
fn capture_time() -> Timestamp {
    let d = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    Timestamp {
        secs: d.as_secs() as i64,
        nanos: d.subsec_nanos(),
    }
}

/// One line per packet on standard output.
pub struct Printer {
    summarizer: Summarizer,
    out: BufWriter<io::Stdout>,
    line: String,
    /// Flush at each line (`-l`, and always live, where lines should
    /// show up as packets arrive).
    flush_each: bool,
    /// Time stamps in nanoseconds (`--nano`), else microseconds.
    nanos: bool,
}

impl Printer {
    pub fn new(args: &Args, flush_each: bool) -> Printer {
        Printer {
            summarizer: args.summarizer(),
            out: BufWriter::new(io::stdout()),
            line: String::new(),
            flush_each: flush_each || args.line_buffered,
            nanos: args.nanos(),
        }
    }

    pub fn print(&mut self, pkt: &Packet<'_>) -> io::Result<()> {
        self.line.clear();
        // A pcap record's time stamp as libpcap hands it to tcpdump.
        self.summarizer.write_timeval(
            &mut self.line,
            pkt.interface.link_type(),
            pkt.timeval(self.nanos),
            pkt.wirelen,
            pkt.data,
        );
        self.out.write_all(self.line.as_bytes())?;
        if self.flush_each {
            self.out.flush()?;
        }
        Ok(())
    }
}

/// A live capture's file format: pcapng with `--pcapng`, else pcap with
/// the precision asked for (micro by default, as tcpdump).
pub fn live_format(args: &Args) -> FileFormat {
    if args.pcapng {
        FileFormat::PcapNg
    } else {
        FileFormat::Pcap {
            nanos: args.nanos(),
        }
    }
}

/// Everything a matching packet is handed to.
pub struct Output {
    file: Option<FileOut>,
    printer: Option<Printer>,
    /// `-U`: the file is flushed after each packet.
    packet_buffered: bool,
    /// `--count`: nothing is printed, packets are counted.
    count_only: bool,
    /// Packets handed over so far (those handed over as records
    /// counted for `--count` only).
    pub packets: u64,
}

impl Output {
    /// Creates the -w file(s) before the capture starts, so that a bad
    /// path fails at once, as in tcpdump. `live` flushes printed lines at
    /// once.
    pub fn open(
        args: &Args,
        format: FileFormat,
        interface: &Interface,
        snaplen: u32,
        live: bool,
    ) -> Result<Output, Fatal> {
        let file = match &args.write {
            Some(path) => Some(FileOut::create(args, path, format, interface, snaplen)?),
            None => None,
        };
        Ok(Output::with_file(args, file, live))
    }

    fn with_file(args: &Args, file: Option<FileOut>, live: bool) -> Output {
        let printer = (args.printing() && !args.count_only).then(|| Printer::new(args, live));
        Output {
            file,
            printer,
            packet_buffered: args.packet_buffered,
            count_only: args.count_only,
            packets: 0,
        }
    }

    /// Opens the `-w` file as a copy of a pcapng input (interfaces,
    /// options and metadata blocks kept): `opening` is the input's
    /// opening blocks, `snaplen` `-s`'s.
    pub fn open_pcapng_copy(
        args: &Args,
        opening: &[RawBlock],
        snaplen: Option<u32>,
    ) -> Result<Output, Fatal> {
        let file = match &args.write {
            Some(path) => Some(FileOut::create_pcapng_copy(args, path, opening, snaplen)?),
            None => None,
        };
        Ok(Output::with_file(args, file, false))
    }

    /// A pcapng copy's next input file: its opening blocks start a new
    /// section.
    pub fn next_input(&mut self, opening: &[RawBlock]) -> io::Result<()> {
        self.file
            .as_mut()
            .map_or(Ok(()), |f| f.write_blocks(opening))
    }

    /// Hands a packet over; `false` once -G -W has written its last file.
    pub fn packet(&mut self, pkt: &Packet<'_>) -> io::Result<bool> {
        let mut more = true;
        if let Some(file) = &mut self.file {
            more = file.write(pkt)?;
            if !more {
                return Ok(false);
            }
            if self.packet_buffered {
                file.flush()?;
            }
        }
        if let Some(printer) = &mut self.printer {
            printer.print(pkt)?;
        }
        self.packets += 1;
        Ok(more)
    }

    /// Describes an interface packets will come from, so that a pcapng
    /// file lists the capture's interfaces in order (other files and
    /// printing ignore it).
    pub fn describe(&mut self, interface: &Interface, port: Port<'_>) -> io::Result<()> {
        self.file
            .as_mut()
            .map_or(Ok(()), |f| f.describe(interface, port))
    }

    /// Writes an interface's counts at the end of a capture (pcapng's
    /// interface statistics; other files and printing ignore them).
    pub fn write_statistics(
        &mut self,
        interface: &Interface,
        port: Port<'_>,
        counts: &InterfaceCounts,
    ) -> io::Result<()> {
        self.file
            .as_mut()
            .map_or(Ok(()), |f| f.write_statistics(interface, port, counts))
    }

    /// Pushes out what is buffered; the files then end in whole records.
    pub fn flush(&mut self) -> io::Result<()> {
        let file = self.file.as_mut().map_or(Ok(()), FileOut::flush);
        let printed = self.printer.as_mut().map_or(Ok(()), |p| p.out.flush());
        file.and(printed)
    }
}

/// The error a sink returns to end a run after a signal or the last
/// -G -W file.
pub fn interrupted() -> io::Error {
    io::Error::new(io::ErrorKind::Interrupted, "interrupted")
}

impl Output {
    /// The `-w` file that may take many packets at once, as replay's
    /// fast loops hand them on: a plain file (not -C/-G), with nothing
    /// printed and no flush after each packet (`-U`).
    fn copying(&self) -> Option<&Writer> {
        match &self.file {
            Some(FileOut::Plain(w)) if self.printer.is_none() && !self.packet_buffered => Some(w),
            _ => None,
        }
    }

    /// Writes many packets at once with `write` into the file
    /// [`Output::copying`] allows, until a signal; counts them (`packets`,
    /// asked only for `--count`).
    fn copy(
        &mut self,
        write: impl FnOnce(&mut Writer) -> io::Result<()>,
        packets: impl FnOnce() -> u64,
    ) -> io::Result<()> {
        if signals::stopped() {
            return Err(interrupted());
        }
        let Some(FileOut::Plain(w)) = &mut self.file else {
            return Err(io::ErrorKind::Unsupported.into());
        };
        write(w)?;
        if self.count_only {
            self.packets += packets();
        }
        Ok(())
    }
}

/// Replay hands packets over until a signal; plain `-w` files take the
/// stored records as they are.
impl Sink for Output {
    fn packet(&mut self, pkt: &Packet<'_>) -> io::Result<()> {
        if signals::stopped() || !Output::packet(self, pkt)? {
            return Err(interrupted());
        }
        Ok(())
    }

    fn takes_records_of(&self, interface: &Interface) -> bool {
        self.copying()
            .is_some_and(|w| w.takes_records_of(interface))
    }

    fn records(&mut self, records: &[IoSlice<'_>]) -> io::Result<()> {
        // Only `--count` reads the count. (Records taken back after the
        // input shrank, `keep_records`, stay counted: replay then ends
        // with the shrink, and no count is printed.)
        let n = || records.iter().map(|r| native_record_count(r)).sum();
        self.copy(|w| w.write_records(records), n)
    }

    fn counts_only(&self) -> bool {
        self.count_only && self.file.is_none()
    }

    fn count(&mut self, n: u64) -> io::Result<()> {
        if signals::stopped() {
            return Err(interrupted());
        }
        self.packets += n;
        Ok(())
    }

    fn blocks(&mut self, blocks: &[RawBlock]) -> io::Result<()> {
        self.next_input(blocks)
    }

    fn takes_blocks(&self) -> bool {
        self.file.as_ref().is_some_and(FileOut::copies_pcapng)
    }

    fn takes_pcapng_blocks(&self) -> bool {
        self.copying().is_some_and(Writer::copies_pcapng)
    }

    fn pcapng_blocks(&mut self, blocks: &[u8], packets: u64) -> io::Result<()> {
        self.copy(|w| w.write_pcapng_blocks(blocks), || packets)
    }

    fn keep_records(&mut self, keep: u64) -> io::Result<()> {
        match &mut self.file {
            Some(FileOut::Plain(w)) => w.keep_records(keep),
            _ => Err(io::ErrorKind::Unsupported.into()),
        }
    }
}
