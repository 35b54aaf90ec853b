//! `bpfcap explain`: for each packet of a capture file (or one given in
//! hexadecimal), the filter's verdict and the tests that decided it
//! ([`bpfcap_filter::explain`]).
//!
//! The verdict is the one `bpfcap -r FILE -w OUT` reaches: the program is
//! compiled with the options a replay compiles it with (the file's link
//! type and byte order, its pcapng interfaces, `-s`), and run with what
//! each record says of the packet's direction and interface.

use std::io::{self, Write};
use std::path::Path;

use bpfcap_capture::Reader;
use bpfcap_capture::file::pkttype_for_flags;
use bpfcap_filter::cbpf::ancillary::Answers;
use bpfcap_filter::explain::{Explainer, Explanation, Symbols};
use bpfcap_filter::{CompileOptions, LinkType, PacketSource};

use crate::args::ExplainArgs;
use crate::{Fatal, closed_pipe_ends_quietly, resolver};

/// `bpfcap explain (-r FILE | --hex HEX) [-c N] [-y LINKTYPE] EXPR`.
pub fn run(x: &ExplainArgs) -> Result<(), Fatal> {
    let symbols = if x.ascii || !utf8_locale() {
        Symbols::Ascii
    } else {
        Symbols::Unicode
    };
    let mut out = io::stdout().lock();
    let mut show = |n: u64, why: Explanation| {
        write!(out, "packet {n}: {}", why.render(symbols))
            .map_err(closed_pipe_ends_quietly)
            .map_err(Fatal::from)
    };
    if let Some(bytes) = &x.hex {
        let len = bytes.len() as u32;
        let mut ex = explainer(
            x,
            x.link_type,
            cfg!(target_endian = "big"),
            PacketSource::Savefile,
        )?;
        return show(1, ex.explain(bytes, len, Answers::default()));
    }
    let Some(path) = &x.read else {
        return Ok(());
    };
    let shown = path.display();
    let mut reader = Reader::open(Path::new(path)).map_err(|e| Fatal(format!("{shown}: {e}")))?;
    let source = reader.packet_source();
    // One explainer per link type and byte order, as a replay compiles.
    let mut explainers: Vec<((LinkType, bool), Explainer)> = Vec::new();
    let mut n = 0;
    while x.count.is_none_or(|c| n < c) {
        let pkt = match reader.next_packet() {
            Ok(Some(p)) => p,
            Ok(None) => return whole_file_names(x, &reader, &explainers),
            Err(e) => return Err(Fatal(format!("{shown}: {e}"))),
        };
        n += 1;
        let key = (pkt.interface.link_type(), pkt.interface.big_endian);
        let at = match explainers.iter().position(|(k, _)| *k == key) {
            Some(i) => i,
            None => {
                explainers.push((key, explainer(x, key.0, key.1, source.clone())?));
                explainers.len() - 1
            }
        };
        let answers = Answers {
            pkttype: pkt.flags().and_then(pkttype_for_flags).map(u32::from),
            ifindex: pkt.interface_id as u32,
        };
        let why = explainers[at].1.explain(pkt.data, pkt.wirelen, answers);
        show(n, why)?;
    }
    Ok(())
}

/// At the end of a pcapng file, as a replay does: an `ifname` that named
/// none of its interfaces is an error.
fn whole_file_names(
    x: &ExplainArgs,
    reader: &Reader,
    explainers: &[((LinkType, bool), Explainer)],
) -> Result<(), Fatal> {
    if let (PacketSource::Records { interfaces, .. }, Some(((link, big), _))) =
        (reader.packet_source(), explainers.first())
    {
        let complete = PacketSource::Records {
            interfaces,
            complete: true,
        };
        explainer(x, *link, *big, complete)?;
    }
    Ok(())
}

/// The filter compiled as a replay of packets of `link_type` compiles it.
fn explainer(
    x: &ExplainArgs,
    link_type: LinkType,
    big_endian: bool,
    source: PacketSource,
) -> Result<Explainer, Fatal> {
    let expr = &x.filter.expr;
    let mut opts = CompileOptions {
        big_endian_capture: big_endian,
        resolver: Some(resolver::system()),
        source,
        ..x.filter.options(link_type)
    };
    if let Some(s) = x.snaplen.replay() {
        opts.snaplen = s;
    }
    Explainer::new(expr, &opts).map_err(|e| Fatal(e.render(expr)))
}

/// Whether the locale's character set is UTF-8 (the first of `LC_ALL`,
/// `LC_CTYPE` and `LANG` that is set decides, as for the C library).
fn utf8_locale() -> bool {
    let locale = ["LC_ALL", "LC_CTYPE", "LANG"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|v| !v.is_empty())
        .unwrap_or_default()
        .to_ascii_lowercase();
    locale.contains("utf-8") || locale.contains("utf8")
}
