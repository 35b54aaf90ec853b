//! Interfaces as tcpdump names and describes them: `-D`, the interface
//! used without `-i`, `-i N` (a number from `-D`), `-L` and the link type
//! `-y` selects, `-J`/`-j` time stamp types and `-I` monitor mode.

use std::io;

use bpfcap_capture::devices::{self, Connection, Device};
use bpfcap_filter::LinkType;

use crate::Fatal;
use crate::args::values::TIME_STAMP_TYPES;

fn find_all() -> Result<Vec<Device>, Fatal> {
    devices::find_all().map_err(|e| Fatal(format!("cannot list interfaces: {e}")))
}

/// One `-D` line: `N.name (description) [Up, Running, Connected]`.
fn describe(n: usize, d: &Device) -> String {
    let mut line = format!("{n}.{}", d.name);
    if let Some(text) = d.description {
        line += &format!(" ({text})");
    }
    let flags: Vec<&str> = [
        (d.up, "Up"),
        (d.running, "Running"),
        (d.loopback, "Loopback"),
        (d.wireless, "Wireless"),
    ]
    .iter()
    .filter(|f| f.0)
    .map(|f| f.1)
    .collect();
    let status = match (d.wireless, d.connection) {
        (_, Connection::NotApplicable) => None,
        (false, Connection::Unknown) => Some("Connection status unknown"),
        (false, Connection::Connected) => Some("Connected"),
        (false, Connection::Disconnected) => Some("Disconnected"),
        (true, Connection::Unknown) => Some("Association status unknown"),
        (true, Connection::Connected) => Some("Associated"),
        (true, Connection::Disconnected) => Some("Not associated"),
    };
    // tcpdump prints the brackets when any flag or status bit is set, and
    // "none" when only the status is (as "not applicable").
    let any_bit = !flags.is_empty() || d.connection != Connection::Unknown;
    if any_bit {
        let names = if flags.is_empty() {
            "none".to_string()
        } else {
            flags.join(", ")
        };
        match status {
            Some(s) => line += &format!(" [{names}, {s}]"),
            None => line += &format!(" [{names}]"),
        }
    }
    line + "\n"
}

/// `-D`.
pub fn list() -> Result<(), Fatal> {
    let text: String = find_all()?
        .iter()
        .enumerate()
        .map(|(i, d)| describe(i + 1, d))
        .collect();
    crate::write_stdout(text.as_bytes())
}

/// The interface to capture on: `-i`'s name, or the number of one in the
/// `-D` list if no interface has that name, or without `-i` the first of
/// the list (as tcpdump: the first up, running, connected interface, else
/// `any`).
pub fn resolve(given: Option<&str>) -> Result<String, Fatal> {
    let Some(name) = given else {
        return find_all()?
            .into_iter()
            .next()
            .map(|d| d.name)
            .ok_or_else(|| Fatal("no interfaces available for capture".into()));
    };
    if name == "any" || exists(name) {
        return Ok(name.to_string());
    }
    match name.parse::<i64>() {
        Ok(n) => usize::try_from(n)
            .ok()
            .and_then(|n| n.checked_sub(1))
            .and_then(|i| find_all().ok()?.into_iter().nth(i))
            .map(|d| d.name)
            .ok_or_else(|| Fatal("Invalid adapter index".into())),
        Err(_) => Ok(name.to_string()),
    }
}

/// The interfaces of `-i` given once or more (none: the first one
/// found), each resolved as [`resolve`] does; one given twice is refused,
/// as its packets would be captured twice.
pub fn resolve_all(given: &[String]) -> Result<Vec<String>, Fatal> {
    if given.is_empty() {
        return Ok(vec![resolve(None)?]);
    }
    let mut ifaces: Vec<String> = Vec::with_capacity(given.len());
    for name in given {
        let iface = resolve(Some(name))?;
        if ifaces.contains(&iface) {
            return Err(Fatal(format!("-i {iface}: the interface is given twice")));
        }
        ifaces.push(iface);
    }
    Ok(ifaces)
}

fn exists(name: &str) -> bool {
    std::path::Path::new("/sys/class/net").join(name).exists()
}

/// The link types bpfcap captures with on `iface`: `-L`'s list, among
/// which `-y` chooses.
fn link_types(iface: &str) -> Result<Vec<LinkType>, Fatal> {
    if iface == "any" {
        return Ok(vec![LinkType::LINUX_SLL2]);
    }
    let path = format!("/sys/class/net/{iface}/type");
    let arphrd: u16 = std::fs::read_to_string(&path)
        .map_err(|e| match e.kind() {
            io::ErrorKind::NotFound => {
                Fatal(format!("{iface}: no such interface (bpfcap -D lists them)"))
            }
            _ => Fatal(format!("{path}: {e}")),
        })?
        .trim()
        .parse()
        .map_err(|_| Fatal(format!("{path}: not a hardware type")))?;
    Ok(bpfcap_capture::link_for_hardware(arphrd)
        .map(|(link, _)| link)
        .into_iter()
        .collect())
}

/// The link type a capture on `iface` has.
pub fn link_type(iface: &str) -> Result<LinkType, Fatal> {
    link_types(iface)?.first().copied().ok_or_else(|| {
        Fatal(format!(
            "{iface}: bpfcap cannot capture on this kind of interface"
        ))
    })
}

/// `-L`: tcpdump's list, with the link types bpfcap captures with, on
/// stderr as tcpdump 4.99 writes it.
pub fn list_link_types(iface: &str) -> Result<(), Fatal> {
    let types = link_types(iface)?;
    if types.is_empty() {
        return Err(Fatal("No data link types.".into()));
    }
    let mut text = format!("Data link types for {iface} (use option -y to set):\n");
    for t in types {
        text += &format!("  {} ({})\n", t.name(), t.description());
    }
    eprint!("{text}");
    Ok(())
}

/// `-y` with a live capture: the link type must be one `-L` lists (the
/// capture then uses it; there is only ever one), as libpcap's
/// `pcap_set_datalink` insists; tcpdump then says which it set.
pub fn select_link_type(iface: &str, wanted: LinkType) -> Result<(), Fatal> {
    if !link_types(iface)?.contains(&wanted) {
        return Err(Fatal(format!(
            "{} is not one of the DLTs supported by this device",
            wanted.name()
        )));
    }
    eprintln!("bpfcap: data link type {}", wanted.name());
    Ok(())
}

/// `-J`: on Linux, without hardware time stamping, libpcap offers the
/// host's clock only. On stderr, as tcpdump 4.99 writes it.
pub fn list_time_stamp_types(iface: &str) -> Result<(), Fatal> {
    link_types(iface)?;
    let (name, description) = TIME_STAMP_TYPES[0];
    eprint!("Time stamp types for {iface} (use option -j to set):\n  {name} ({description})\n");
    Ok(())
}

/// `-j`: another type than the host's clock is a warning in tcpdump, and
/// the capture goes on with the host's.
pub fn warn_time_stamp_type(iface: &str, wanted: &str) {
    if wanted != TIME_STAMP_TYPES[0].0 {
        eprintln!(
            "bpfcap: WARNING: When trying to set timestamp type '{wanted}' on {iface}: That type of time stamp is not supported by that device"
        );
    }
}

/// `-I`: bpfcap has no monitor mode; for interfaces that are not
/// wireless this is tcpdump's own answer.
pub fn refuse_monitor_mode(iface: &str) -> Fatal {
    let wireless = std::path::Path::new("/sys/class/net")
        .join(iface)
        .join("phy80211")
        .exists();
    if wireless {
        Fatal(format!(
            "{iface}: bpfcap cannot capture in monitor mode (capture with tcpdump -I)"
        ))
    } else {
        Fatal(format!("{iface}: That device doesn't support monitor mode"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dev(name: &str, flags: [bool; 4], connection: Connection) -> Device {
        Device {
            name: name.into(),
            description: None,
            up: flags[0],
            running: flags[1],
            loopback: flags[2],
            wireless: flags[3],
            connection,
        }
    }

    /// Lines as `tcpdump -D` prints them on this project's VM.
    #[test]
    fn lines_as_tcpdump_prints_them() {
        use Connection::*;
        let cases = [
            (
                dev("eth0", [true, true, false, false], Connected),
                "1.eth0 [Up, Running, Connected]\n",
            ),
            (
                Device {
                    description: Some("Pseudo-device that captures on all interfaces"),
                    ..dev("any", [true, true, false, false], NotApplicable)
                },
                "1.any (Pseudo-device that captures on all interfaces) [Up, Running]\n",
            ),
            (
                dev("lo", [true, true, true, false], NotApplicable),
                "1.lo [Up, Running, Loopback]\n",
            ),
            (
                dev("ifb0", [false, false, false, false], NotApplicable),
                "1.ifb0 [none]\n",
            ),
            (
                dev("eth1", [true, false, false, false], Disconnected),
                "1.eth1 [Up, Disconnected]\n",
            ),
            (
                dev("wlan0", [true, true, false, true], Connected),
                "1.wlan0 [Up, Running, Wireless, Associated]\n",
            ),
            (dev("x", [false; 4], Unknown), "1.x\n"),
        ];
        for (d, want) in cases {
            assert_eq!(describe(1, &d), want);
        }
    }

    #[test]
    fn numbers_name_interfaces_of_the_list() {
        let first = find_all().unwrap()[0].name.clone();
        assert_eq!(resolve(Some("1")).unwrap(), first);
        assert_eq!(resolve(None).unwrap(), first);
        assert_eq!(resolve(Some("lo")).unwrap(), "lo");
        assert_eq!(resolve(Some("nosuch0")).unwrap(), "nosuch0");
        for bad in ["0", "-1", "9999"] {
            assert_eq!(resolve(Some(bad)).unwrap_err().0, "Invalid adapter index");
        }
    }
}
