//! The application-layer printers over UDP against tcpdump 4.99's text
//! (goldens written by `tests/goldens/apps-regen.sh`, no tcpdump needed
//! here). Only the application part is compared: what follows
//! `a.p > b.q: ` (and a UDP checksum verdict), since the layers below
//! are another printer's business.

use std::path::Path;

use bpfcap_filter::LinkType;
use bpfcap_print::{Summarizer, SummaryOptions, TimeFormat};

mod common;
use common::read_pcap;

/// Splits printer output into packets: each starts with its `-tt` time
/// stamp.
fn records(text: &str) -> Vec<String> {
    let mut recs: Vec<String> = Vec::new();
    for line in text.lines() {
        let stamped = line
            .split_once(' ')
            .is_some_and(|(t, _)| t.len() == 17 && t.as_bytes()[10] == b'.');
        match recs.last_mut() {
            Some(last) if !stamped => {
                last.push('\n');
                last.push_str(line);
            }
            _ => recs.push(line.to_string()),
        }
    }
    recs
}

/// What follows `a.p > b.q: ` in a UDP packet's record, without the
/// checksum verdict; `None` for other packets.
fn app_part(rec: &str) -> Option<&str> {
    let mut body = rec.split_once(' ')?.1;
    if body.starts_with("IP (tos ") {
        body = body.split_once('\n')?.1.trim_start();
    } else if let Some(rest) = body.strip_prefix("IP6 (") {
        let end = rest.find("payload length: ")?;
        body = rest[end..].split_once(") ")?.1;
    }
    body = body
        .strip_prefix("IP ")
        .or_else(|| body.strip_prefix("IP6 "))
        .unwrap_or(body);
    let (_, rest) = body.split_once(" > ")?;
    let (dst, rest) = rest.split_once(": ")?;
    let (_, port) = dst.rsplit_once('.')?;
    port.parse::<u16>().ok()?;
    for verdict in ["[udp sum ok] ", "[no cksum] "] {
        if let Some(r) = rest.strip_prefix(verdict) {
            return Some(r);
        }
    }
    if rest.starts_with("[bad udp cksum ") {
        return Some(rest.split_once("!] ")?.1);
    }
    Some(rest)
}

/// VXLAN and Geneve print the inner packet with the crate's link and IP
/// printers, which are compared elsewhere: only their own header is
/// compared here.
fn tunnel_header(app: &str) -> &str {
    if app.starts_with("VXLAN") || app.starts_with("Geneve") {
        let end = [app.find('\n'), app.find(": ")]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(app.len());
        &app[..end]
    } else {
        app
    }
}

#[test]
fn udp_applications_print_as_tcpdump() {
    // RADIUS prints Event-Timestamp with ctime() in the local zone; the
    // goldens were written with TZ=UTC. This is the only test in this
    // binary, so no other thread reads the environment meanwhile.
    unsafe { std::env::set_var("TZ", "UTC") };
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/goldens/apps");
    let mut pcaps: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pcap"))
        .collect();
    pcaps.sort();
    assert!(pcaps.len() >= 7, "goldens in {}", dir.display());
    let mut compared = 0;
    let mut failures = Vec::new();
    for pcap in &pcaps {
        let packets = read_pcap(&std::fs::read(pcap).unwrap());
        for (verbose, suffix) in [(0, "n"), (1, "v"), (2, "vv"), (3, "vvv")] {
            let golden_path = pcap.with_extension(format!("{suffix}.txt"));
            let golden = std::fs::read_to_string(&golden_path).unwrap();
            let mut sum = Summarizer::new(SummaryOptions {
                time: TimeFormat::Epoch,
                verbose,
                numeric: 1,
                ..SummaryOptions::default()
            });
            let mut ours = String::new();
            for (secs, data, wirelen) in &packets {
                sum.write(&mut ours, LinkType::EN10MB, *secs, 0, *wirelen, data);
            }
            let (theirs, ours) = (records(&golden), records(&ours));
            assert_eq!(theirs.len(), ours.len(), "{}", golden_path.display());
            for (i, (t, o)) in theirs.iter().zip(&ours).enumerate() {
                let Some(want) = app_part(t) else { continue };
                compared += 1;
                let (want, got) = (tunnel_header(want), app_part(o).map(tunnel_header));
                if got != Some(want) {
                    failures.push(format!(
                        "{} packet {i}:\n  tcpdump: {want:?}\n  bpfcap:  {got:?}",
                        golden_path.display()
                    ));
                }
            }
        }
    }
    assert!(compared > 300, "only {compared} application lines compared");
    assert!(
        failures.is_empty(),
        "{} of {compared} differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
