//! GNU `getopt_long`, as tcpdump's command line is read by it.
//!
//! tcpdump users write `-nr f.pcap -c1`, `-s0`, `-ieth0`, `-w-`, options
//! after the expression (`-n tcp -r f.pcap`) and abbreviated long options
//! (`--snap=96`); a parser with other rules reads some of those as the
//! filter expression. This one follows glibc's: short options clustered,
//! a value attached or in the next word (even one starting with `-`),
//! operands and options in any order (permutation; `POSIXLY_CORRECT`
//! stops at the first operand instead), `--` ends the options, `--name=v`
//! or `--name v`, and a long option may be shortened to any prefix that
//! is not ambiguous. Errors carry glibc's messages.
//!
//! Long options come in two tables: tcpdump's own and the extensions of a
//! program built on it. A prefix is looked up in the first table before
//! the second, so an extension never makes a tcpdump abbreviation
//! ambiguous (`--in` stays `--interface` although `--invert` exists).

use std::ffi::{OsStr, OsString};
use std::fmt;
use std::os::unix::ffi::{OsStrExt, OsStringExt};

/// Whether an option takes a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HasArg {
    No,
    Required,
}

/// A long option: its name, whether it takes a value, and what it means
/// (a short option letter, or a key of its own).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Long<K> {
    pub name: &'static str,
    pub has_arg: HasArg,
    pub key: K,
}

/// What a command line accepts. `short` is a getopt option string
/// (`"c:nr:"`: a letter followed by `:` takes a value).
pub struct Spec<K: 'static> {
    pub short: &'static str,
    /// Long options searched first (tcpdump's).
    pub long: &'static [Long<K>],
    /// Long options searched after `long` (the program's own).
    pub extra: &'static [Long<K>],
    /// The key a short option letter stands for.
    pub letter: fn(u8) -> K,
}

/// One option found on the command line, in command-line order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found<K> {
    pub key: K,
    pub value: Option<OsString>,
}

/// A mistake in the command line, worded as glibc words it (without the
/// program name in front).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Error {
    InvalidOption(u8),
    MissingValue(u8),
    Unrecognized(OsString),
    Ambiguous {
        given: OsString,
        candidates: Vec<&'static str>,
    },
    NoValueAllowed(&'static str),
    LongMissingValue(&'static str),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let byte = |b: &u8| String::from_utf8_lossy(&[*b]).into_owned();
        match self {
            Error::InvalidOption(c) => write!(f, "invalid option -- '{}'", byte(c)),
            Error::MissingValue(c) => write!(f, "option requires an argument -- '{}'", byte(c)),
            Error::Unrecognized(arg) => write!(f, "unrecognized option '{}'", arg.display()),
            Error::Ambiguous { given, candidates } => {
                write!(
                    f,
                    "option '{}' is ambiguous; possibilities:",
                    given.display()
                )?;
                candidates.iter().try_for_each(|c| write!(f, " '--{c}'"))
            }
            Error::NoValueAllowed(name) => write!(f, "option '--{name}' doesn't allow an argument"),
            Error::LongMissingValue(name) => write!(f, "option '--{name}' requires an argument"),
        }
    }
}

/// The options (in order) and the operands of a command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parsed<K> {
    pub options: Vec<Found<K>>,
    pub operands: Vec<OsString>,
}

/// Reads `args` (without the program name). Stops at the first mistake,
/// as a getopt loop that exits on `'?'` does; `options` then holds what
/// came before it, so that an earlier `-h` can still win.
pub fn parse<K: Copy + PartialEq>(
    spec: &Spec<K>,
    args: &[OsString],
    posixly_correct: bool,
) -> (Parsed<K>, Option<Error>) {
    let mut out = Parsed {
        options: Vec::new(),
        operands: Vec::new(),
    };
    let mut i = 0;
    while i < args.len() {
        let arg = args[i].as_bytes();
        i += 1;
        let step = if arg == b"--" {
            out.operands.extend_from_slice(&args[i..]);
            break;
        } else if let Some(long) = arg.strip_prefix(b"--") {
            long_option(spec, long, &args[i - 1], args.get(i), &mut out.options)
        } else if arg.len() > 1 && arg[0] == b'-' {
            cluster(spec, &arg[1..], args.get(i), &mut out.options)
        } else if posixly_correct {
            out.operands.extend_from_slice(&args[i - 1..]);
            break;
        } else {
            out.operands.push(args[i - 1].clone());
            continue;
        };
        match step {
            Ok(true) => i += 1,
            Ok(false) => {}
            Err(e) => return (out, Some(e)),
        }
    }
    (out, None)
}

/// Whether the next word was the value of the option(s) in this one.
type Step = Result<bool, Error>;

/// The letters after a `-`; those before a mistake are found already.
fn cluster<K>(
    spec: &Spec<K>,
    letters: &[u8],
    next: Option<&OsString>,
    found: &mut Vec<Found<K>>,
) -> Step {
    for (at, &c) in letters.iter().enumerate() {
        let has_arg = short_arg(spec.short, c).ok_or(Error::InvalidOption(c))?;
        let key = (spec.letter)(c);
        if has_arg == HasArg::No {
            found.push(Found { key, value: None });
            continue;
        }
        let rest = &letters[at + 1..];
        let (value, took_next) = if !rest.is_empty() {
            (OsStr::from_bytes(rest).to_os_string(), false)
        } else {
            (next.cloned().ok_or(Error::MissingValue(c))?, true)
        };
        found.push(Found {
            key,
            value: Some(value),
        });
        return Ok(took_next);
    }
    Ok(false)
}

/// Whether letter `c` is an option of `optstring`, and if it takes a value.
fn short_arg(optstring: &str, c: u8) -> Option<HasArg> {
    if c == b':' {
        return None;
    }
    let s = optstring.as_bytes();
    let at = s.iter().position(|&b| b == c)?;
    Some(if s.get(at + 1) == Some(&b':') {
        HasArg::Required
    } else {
        HasArg::No
    })
}

fn long_option<K: Copy + PartialEq>(
    spec: &Spec<K>,
    body: &[u8],
    whole: &OsString,
    next: Option<&OsString>,
    found: &mut Vec<Found<K>>,
) -> Step {
    let (name, inline) = match body.iter().position(|&b| b == b'=') {
        Some(eq) => (&body[..eq], Some(&body[eq + 1..])),
        None => (body, None),
    };
    let opt = lookup(spec, name, whole)?;
    let (value, took_next) = match (opt.has_arg, inline) {
        (HasArg::No, Some(_)) => return Err(Error::NoValueAllowed(opt.name)),
        (HasArg::No, None) => (None, false),
        (HasArg::Required, Some(v)) => (Some(OsStr::from_bytes(v).to_os_string()), false),
        (HasArg::Required, None) => (
            Some(next.cloned().ok_or(Error::LongMissingValue(opt.name))?),
            true,
        ),
    };
    found.push(Found {
        key: opt.key,
        value,
    });
    Ok(took_next)
}

/// The long option `name` stands for: an exact name, else a prefix of
/// one option (or of several that mean the same), in `long` before `extra`.
fn lookup<K: Copy + PartialEq>(
    spec: &Spec<K>,
    name: &[u8],
    whole: &OsString,
) -> Result<Long<K>, Error> {
    let all = spec.long.iter().chain(spec.extra);
    if let Some(exact) = all.clone().find(|o| o.name.as_bytes() == name) {
        return Ok(*exact);
    }
    for table in [spec.long, spec.extra] {
        let matches: Vec<&Long<K>> = table
            .iter()
            .filter(|o| !name.is_empty() && o.name.as_bytes().starts_with(name))
            .collect();
        let Some(first) = matches.first() else {
            continue;
        };
        if matches
            .iter()
            .all(|o| o.key == first.key && o.has_arg == first.has_arg)
        {
            return Ok(**first);
        }
        return Err(Error::Ambiguous {
            given: whole.clone(),
            candidates: matches.iter().map(|o| o.name).collect(),
        });
    }
    Err(Error::Unrecognized(whole.clone()))
}

/// The operands joined into one word list, as tcpdump's `copy_argv` joins
/// the expression (lossy for bytes that are not UTF-8).
pub fn join(words: &[OsString]) -> String {
    let bytes: Vec<Vec<u8>> = words.iter().map(|w| w.clone().into_vec()).collect();
    String::from_utf8_lossy(&bytes.join(&b' ')).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    enum K {
        L(u8),
        Count,
        Nano,
        Xdp,
    }

    const LONG: &[Long<K>] = &[
        Long {
            name: "interface",
            has_arg: HasArg::Required,
            key: K::L(b'i'),
        },
        Long {
            name: "immediate-mode",
            has_arg: HasArg::No,
            key: K::Count,
        },
        Long {
            name: "count",
            has_arg: HasArg::No,
            key: K::Count,
        },
        Long {
            name: "nano",
            has_arg: HasArg::No,
            key: K::Nano,
        },
        Long {
            name: "number",
            has_arg: HasArg::No,
            key: K::L(b'#'),
        },
    ];
    const EXTRA: &[Long<K>] = &[
        Long {
            name: "invert",
            has_arg: HasArg::No,
            key: K::Xdp,
        },
        Long {
            name: "xdp",
            has_arg: HasArg::No,
            key: K::Xdp,
        },
    ];
    const SPEC: Spec<K> = Spec {
        short: "c:i:nr:s:vw:#",
        long: LONG,
        extra: EXTRA,
        letter: K::L,
    };

    /// Options with their values, operands, and the error, if any.
    type Outcome = (Vec<(K, Option<String>)>, Vec<String>, Option<String>);

    fn run(argv: &str) -> Outcome {
        let args: Vec<OsString> = argv.split(' ').map(OsString::from).collect();
        let (p, e) = parse(&SPEC, &args, false);
        (
            p.options
                .into_iter()
                .map(|f| (f.key, f.value.map(|v| v.into_string().unwrap())))
                .collect(),
            p.operands
                .into_iter()
                .map(|o| o.into_string().unwrap())
                .collect(),
            e.map(|e| e.to_string()),
        )
    }

    fn opt(c: u8, v: Option<&str>) -> (K, Option<String>) {
        (K::L(c), v.map(str::to_string))
    }

    /// Each case as glibc's getopt_long reads it with the same option
    /// string (checked against tcpdump 4.99.3 on glibc).
    #[test]
    fn reads_as_glibc_does() {
        let n = opt(b'n', None);
        let v = opt(b'v', None);
        type Case<'a> = (
            &'a str,
            Vec<(K, Option<String>)>,
            Vec<&'a str>,
            Option<&'a str>,
        );
        let cases: Vec<Case> = vec![
            (
                "-nr f -c1",
                vec![n.clone(), opt(b'r', Some("f")), opt(b'c', Some("1"))],
                vec![],
                None,
            ),
            (
                "-s0 -ieth0 -w-",
                vec![
                    opt(b's', Some("0")),
                    opt(b'i', Some("eth0")),
                    opt(b'w', Some("-")),
                ],
                vec![],
                None,
            ),
            (
                "-nnvv",
                vec![n.clone(), n.clone(), v.clone(), v],
                vec![],
                None,
            ),
            (
                "-n tcp -r f port 80",
                vec![n.clone(), opt(b'r', Some("f"))],
                vec!["tcp", "port", "80"],
                None,
            ),
            // A value is the next word even when it looks like an option.
            ("-c -n", vec![opt(b'c', Some("-n"))], vec![], None),
            ("-- -n (tcp)", vec![], vec!["-n", "(tcp)"], None),
            ("- -n", vec![n.clone()], vec!["-"], None),
            (
                "--interface=lo --in lo --nano",
                vec![
                    opt(b'i', Some("lo")),
                    opt(b'i', Some("lo")),
                    (K::Nano, None),
                ],
                vec![],
                None,
            ),
            // A prefix of options that mean the same is not ambiguous.
            (
                "--i",
                vec![],
                vec![],
                Some("option '--i' is ambiguous; possibilities: '--interface' '--immediate-mode'"),
            ),
            ("--co", vec![(K::Count, None)], vec![], None),
            ("--x", vec![(K::Xdp, None)], vec![], None),
            ("--inv", vec![(K::Xdp, None)], vec![], None),
            (
                "--n=3",
                vec![],
                vec![],
                Some("option '--n=3' is ambiguous; possibilities: '--nano' '--number'"),
            ),
            (
                "-n -S",
                vec![n.clone()],
                vec![],
                Some("invalid option -- 'S'"),
            ),
            (
                "-n7",
                vec![n.clone()],
                vec![],
                Some("invalid option -- '7'"),
            ),
            (
                "-n:",
                vec![n.clone()],
                vec![],
                Some("invalid option -- ':'"),
            ),
            (
                "-c",
                vec![],
                vec![],
                Some("option requires an argument -- 'c'"),
            ),
            (
                "--foo=bar",
                vec![],
                vec![],
                Some("unrecognized option '--foo=bar'"),
            ),
            ("---", vec![], vec![], Some("unrecognized option '---'")),
            (
                "--count=3",
                vec![],
                vec![],
                Some("option '--count' doesn't allow an argument"),
            ),
            (
                "--nu=1",
                vec![],
                vec![],
                Some("option '--number' doesn't allow an argument"),
            ),
            (
                "--interface",
                vec![],
                vec![],
                Some("option '--interface' requires an argument"),
            ),
            ("--interface=", vec![opt(b'i', Some(""))], vec![], None),
        ];
        for (argv, options, operands, error) in cases {
            let operands: Vec<String> = operands.into_iter().map(String::from).collect();
            assert_eq!(
                run(argv),
                (options, operands, error.map(String::from)),
                "{argv}"
            );
        }
    }

    #[test]
    fn posixly_correct_stops_at_the_first_operand() {
        let args: Vec<OsString> = ["-n", "tcp", "-c", "1"].map(OsString::from).to_vec();
        let (p, e) = parse(&SPEC, &args, true);
        assert_eq!(e, None);
        assert_eq!(p.options.len(), 1);
        assert_eq!(p.operands.len(), 3);
    }
}
