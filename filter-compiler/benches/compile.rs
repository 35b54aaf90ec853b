//! Compile-time benchmark for Ethernet, plain `std::time` (no framework): the
//! numbers are compared with libpcap's `pcap_compile` by the scripts in
//! `bench/`, measured in the same run.
//!
//! ```text
//! cargo bench -p bpfcap-filter --bench compile
//! cargo bench -p bpfcap-filter --bench compile -- --exprs FILE [--budget-ms MS]
//! ```
//!
//! Without `--exprs`: a human summary of a few fixed expressions (the 40-port
//! list of the shared benchmark, 1000 `ip host`s, everyday filters): the
//! compile time, and the time the JIT takes to turn the program into
//! native code (mapping and `mprotect` included).
//!
//! With `--exprs FILE`: one expression per non-blank line of FILE, and one
//! output line per expression, in order, for `bench/compile_series.py`:
//! `MEAN_US INSNS`, or `error: MESSAGE` when bpfcap refuses the expression
//! (a syntax error, a program too large, ...). Each expression
//! gets a budget of MS milliseconds (default 200) but at least one compile.
//! `--clock cpu` measures the compiling thread's CPU time instead of the
//! wall clock: on a shared machine, time spent waiting for a CPU is not
//! the compiler's (`bench/compile_series.py` measures libpcap the same way).
//!
//! Unknown arguments are ignored: `cargo bench` passes `--bench` itself.

use std::hint::black_box;
use std::time::Duration;

use bpfcap_filter::cbpf::jit::JitFilter;
use bpfcap_filter::{CompileOptions, LinkType, compile};

const PORTS: [u16; 40] = [
    21, 22, 23, 25, 53, 67, 80, 110, 123, 137, 143, 161, 389, 443, 500, 514, 636, 993, 995, 1194,
    1433, 1900, 3306, 3389, 3478, 4500, 5060, 5353, 5432, 5672, 6379, 8080, 8443, 9000, 9092, 9200,
    11211, 27017, 51820, 8888,
];

/// What the measurements read: the wall clock, or the CPU time of the
/// calling thread.
#[derive(Clone, Copy)]
enum Clock {
    Wall,
    Cpu,
}

impl Clock {
    fn now(self) -> Duration {
        let id = match self {
            Clock::Wall => libc::CLOCK_MONOTONIC,
            Clock::Cpu => libc::CLOCK_THREAD_CPUTIME_ID,
        };
        let mut ts = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: `ts` is a valid timespec to write to, and both clocks
        // exist on every Linux.
        let rc = unsafe { libc::clock_gettime(id, &mut ts) };
        assert_eq!(rc, 0, "clock_gettime");
        Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
    }

    fn since(self, start: Duration) -> Duration {
        self.now() - start
    }
}

/// Mean time of `compile(expr)` and the program's instruction count.
///
/// The first compile also yields the instruction count (or the error). It
/// is kept as the measurement only when it alone used up the budget, so
/// that huge expressions cost one compile, not two; otherwise it is a
/// warm-up and the mean is taken over the following repetitions.
fn time(expr: &str, budget: Duration, clock: Clock) -> Result<(Duration, usize), String> {
    let opts = CompileOptions::new(LinkType::EN10MB);
    let start = clock.now();
    let insns = compile(expr, &opts)
        .map_err(|e| e.to_string())?
        .insns()
        .len();
    let first = clock.since(start);
    if first >= budget {
        return Ok((first, insns));
    }
    let start = clock.now();
    let mut n = 0u32;
    while n == 0 || clock.since(start) < budget - first {
        black_box(compile(black_box(expr), &opts).unwrap());
        n += 1;
    }
    Ok((clock.since(start) / n, insns))
}

/// The `--exprs FILE` mode: machine-readable, one line per expression.
fn exprs_mode(file: &str, budget: Duration, clock: Clock) {
    let text = std::fs::read_to_string(file).unwrap_or_else(|e| {
        eprintln!("compile bench: {file}: {e}");
        std::process::exit(2)
    });
    for expr in text.lines().filter(|l| !l.trim().is_empty()) {
        match time(expr, budget, clock) {
            Ok((t, insns)) => println!("{:.3} {insns}", t.as_secs_f64() * 1e6),
            Err(e) => println!("error: {}", e.replace('\n', " ")),
        }
    }
}

fn summary() {
    let port40 = PORTS.map(|p| format!("port {p}")).join(" or ");
    let hosts1000 = (0..1000)
        .map(|i: u32| {
            format!(
                "ip host 10.{}.{}.{}",
                (i * 7919) % 251,
                (i * 104_729) % 241,
                i % 256
            )
        })
        .collect::<Vec<_>>()
        .join(" or ");
    let cases = [
        ("40-port list", port40.as_str()),
        ("1000 ip hosts", hosts1000.as_str()),
        ("tcp port 80", "tcp port 80"),
        ("dhcp", "udp and (port 67 or 68)"),
        ("vlan and tcp", "vlan and tcp"),
    ];
    for (name, expr) in cases {
        let (t, insns) = time(expr, Duration::from_millis(500), Clock::Wall)
            .expect("benchmark expression compiles");
        println!(
            "compile {name:<14} {:>10.3} µs  ({insns} instructions)",
            t.as_secs_f64() * 1e6
        );
    }
    for (name, expr) in cases {
        let prog = compile(expr, &CompileOptions::new(LinkType::EN10MB)).expect("compiles");
        let Some(jit) = JitFilter::new(&prog) else {
            println!("jit     {name:<14} not available here");
            continue;
        };
        let bytes = jit.code().len();
        let start = Clock::Wall.now();
        let mut n = 0u32;
        while n == 0 || Clock::Wall.since(start) < Duration::from_millis(300) {
            black_box(JitFilter::new(black_box(&prog)));
            n += 1;
        }
        println!(
            "jit     {name:<14} {:>10.3} µs  ({bytes} bytes of x86-64)",
            (Clock::Wall.since(start) / n).as_secs_f64() * 1e6
        );
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let (mut file, mut budget, mut clock) = (None, Duration::from_millis(200), Clock::Wall);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--exprs" => file = args.next(),
            "--budget-ms" => {
                let ms = args.next().and_then(|v| v.parse().ok());
                budget = Duration::from_millis(ms.expect("--budget-ms takes milliseconds"));
            }
            "--clock" => {
                clock = match args.next().as_deref() {
                    Some("cpu") => Clock::Cpu,
                    Some("wall") => Clock::Wall,
                    _ => panic!("--clock takes cpu or wall"),
                }
            }
            _ => {}
        }
    }
    match file {
        Some(file) => exprs_mode(&file, budget, clock),
        None => summary(),
    }
}
