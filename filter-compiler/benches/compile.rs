//! Compile-time benchmark (`cargo bench -p filter-compiler`): the 40-port
//! list of the shared benchmark, a 1000-host filter and a few everyday
//! expressions, compiled for Ethernet. Prints the mean time per compile.
//!
//! Plain `std::time` rather than a framework: the numbers are compared by
//! `bench/compare.sh` with libpcap's `pcap_compile` in the same run.

use std::hint::black_box;
use std::time::{Duration, Instant};

use filter_compiler::{CompileOptions, LinkType, compile};

const PORTS: [u16; 40] = [
    21, 22, 23, 25, 53, 67, 80, 110, 123, 137, 143, 161, 389, 443, 500, 514, 636, 993, 995, 1194,
    1433, 1900, 3306, 3389, 3478, 4500, 5060, 5353, 5432, 5672, 6379, 8080, 8443, 9000, 9092, 9200,
    11211, 27017, 51820, 8888,
];

/// Mean time of `compile(expr)` over at least `budget` of repetitions.
fn time(expr: &str, budget: Duration) -> (Duration, usize) {
    let opts = CompileOptions::new(LinkType::EN10MB);
    let insns = compile(expr, &opts)
        .expect("benchmark expression compiles")
        .insns()
        .len();
    let start = Instant::now();
    let mut n = 0u32;
    while start.elapsed() < budget {
        black_box(compile(black_box(expr), &opts).unwrap());
        n += 1;
    }
    (start.elapsed() / n, insns)
}

fn main() {
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
        let (t, insns) = time(expr, Duration::from_millis(500));
        println!(
            "compile {name:<14} {:>10.3} µs  ({insns} instructions)",
            t.as_secs_f64() * 1e6
        );
    }
}
