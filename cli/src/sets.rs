//! `--set NAME=FILE`: the named sets an expression uses as `@NAME`, read
//! from their files at the start, and again on SIGHUP, when the maps of a
//! live eBPF or XDP filter are refilled in place, and a classic filter is
//! compiled again and replaced (see [`Reload`]).

use std::path::PathBuf;

use bpfcap_filter::{Set, SetTable};

use crate::signals;

/// One `--set NAME=FILE`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetDef {
    /// The name, used as `@NAME`.
    pub name: String,
    /// The file of members.
    pub path: PathBuf,
}

impl SetDef {
    /// Reads `NAME=FILE`.
    pub fn parse(text: &str) -> Result<SetDef, String> {
        match text.split_once('=') {
            Some((name, path)) if bpfcap_filter::sets::is_set_name(name) && !path.is_empty() => {
                Ok(SetDef {
                    name: name.to_string(),
                    path: path.into(),
                })
            }
            _ => Err(format!(
                "invalid --set '{text}': expected NAME=FILE, NAME a letter or '_' \
                 then letters, digits or '_'"
            )),
        }
    }
}

/// Reads every set's file; an error names the file and line at fault.
pub fn load(defs: &[SetDef]) -> Result<SetTable, String> {
    let mut table = SetTable::new();
    for (i, d) in defs.iter().enumerate() {
        if defs[..i].iter().any(|o| o.name == d.name) {
            return Err(format!("--set {}: defined twice", d.name));
        }
        let path = d.path.display();
        let text = std::fs::read_to_string(&d.path).map_err(|e| format!("{path}: {e}"))?;
        let set = Set::parse(&text).map_err(|e| format!("{path}:{e}"))?;
        table.insert(d.name.clone(), set);
    }
    Ok(table)
}

/// Refills the sets of a running capture when SIGHUP asks for it.
pub struct Reload {
    defs: Vec<SetDef>,
}

impl Reload {
    /// For a run with `--set`s: SIGHUP then reloads them instead of
    /// ending the run (as it does otherwise, like tcpdump's).
    pub fn new(defs: &[SetDef]) -> Option<Reload> {
        if defs.is_empty() {
            return None;
        }
        signals::reload_on_hangup();
        Some(Reload {
            defs: defs.to_vec(),
        })
    }

    /// If a SIGHUP came: the sets read from their files again, for the
    /// capture to refill its maps (or compile its classic filters again)
    /// with. `None` when none came, or when a file cannot be read (that
    /// is reported, and the capture keeps the sets it has).
    pub fn take(&self) -> Option<SetTable> {
        if !signals::take_reload() {
            return None;
        }
        load(&self.defs)
            .map_err(|e| eprintln!("bpfcap: sets not reloaded: {e}"))
            .ok()
    }

    /// `@NAME (N), ...`: each set of `table` with its number of members,
    /// for the line that says a reload took.
    pub fn sizes(&self, table: &SetTable) -> String {
        let sizes: Vec<String> = self
            .defs
            .iter()
            .filter_map(|d| {
                let (_, s) = table.get(&d.name)?;
                let n = s.v4().len() + s.v6().len() + s.ports().len();
                Some(format!("@{} ({n})", d.name))
            })
            .collect();
        sizes.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn definitions_and_files() {
        assert_eq!(
            SetDef::parse("bad=/tmp/x").unwrap(),
            SetDef {
                name: "bad".into(),
                path: "/tmp/x".into()
            }
        );
        for bad in ["bad", "=x", "1a=x", "a-b=x", "a="] {
            assert!(
                SetDef::parse(bad).unwrap_err().contains("NAME=FILE"),
                "{bad}"
            );
        }
        let dir = std::env::temp_dir().join(format!("bpfcap-sets-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let (good, bad) = (dir.join("good"), dir.join("bad"));
        std::fs::write(&good, "# hosts\n10.0.0.1\n").unwrap();
        std::fs::write(&bad, "10.0.0.1\n\n10.0.0.300\n").unwrap();
        let def = |name: &str, path: &PathBuf| SetDef {
            name: name.into(),
            path: path.clone(),
        };
        let table = load(&[def("a", &good)]).unwrap();
        assert_eq!(table.get("a").unwrap().1.v4(), &[(0x0a00_0001, 32)]);
        assert_eq!(
            load(&[def("a", &bad)]).unwrap_err(),
            format!(
                "{}:3: '10.0.0.300' is not an IPv4 or IPv6 address, prefix or port",
                bad.display()
            )
        );
        assert!(
            load(&[def("a", &good), def("a", &good)])
                .unwrap_err()
                .contains("twice")
        );
        assert!(load(&[def("a", &dir.join("none"))]).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
