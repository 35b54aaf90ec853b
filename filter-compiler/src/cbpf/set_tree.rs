//! Set memberships ([`CmpOp::In`]) for classic BPF, which has no maps:
//! each becomes a balanced tree of comparisons over the set's sorted,
//! merged ranges, so a packet takes about `log2(ranges)` comparisons per
//! word, and compiling costs time in proportion to the set (1,000 hosts
//! in well under a millisecond) rather than the optimizer's time on
//! 1,000 `or`ed primitives.
//!
//! An IPv6 set is a tree on the address's first word whose leaves are
//! trees on the next word, and so on: the words are loaded in order, and
//! only as far as a member shares them, as libpcap's `host6` tests do.

use crate::error::{Error, ErrorKind, Result};
use crate::ir::{ACCEPT, Cfg, CmpOp, Cond, Node, NodeId, REJECT, Val};
use crate::sets::{SetMap, SetTable, member_words};

/// `cfg` with every set membership expanded, or `None` when it has none.
pub(crate) fn expand(cfg: &Cfg, sets: &SetTable) -> Result<Option<Cfg>> {
    let is_in = |n: &Node| matches!(n, Node::Branch { cond, .. } if cond.op == CmpOp::In);
    if !cfg.nodes().iter().any(is_in) {
        return Ok(None);
    }
    let order = cfg.topo_order();
    let mut out = Cfg::new();
    out.vars = cfg.vars;
    let mut map = vec![REJECT; cfg.nodes().len()];
    for &id in order.iter().rev() {
        let m = |n: NodeId| map[n as usize];
        let new = match cfg.node(id) {
            Node::Accept => ACCEPT,
            Node::Reject => REJECT,
            Node::Branch { cond, t, f } if cond.op == CmpOp::In => {
                membership(&mut out, cond, sets, m(*t), m(*f))?
            }
            Node::Branch { cond, t, f } => out.add(Node::Branch {
                cond: cond.clone(),
                t: m(*t),
                f: m(*f),
            }),
            Node::Assign { var, val, next } => out.add(Node::Assign {
                var: *var,
                val: val.clone(),
                next: m(*next),
            }),
        };
        map[id as usize] = new;
    }
    out.root = map[cfg.root as usize];
    Ok(Some(out))
}

fn internal(what: &str) -> Error {
    Error::new(
        ErrorKind::Internal,
        0..0,
        format!("cannot expand a set membership: {what}"),
    )
}

/// The tree for one membership test: to `t` when the value is a member.
fn membership(out: &mut Cfg, cond: &Cond, sets: &SetTable, t: NodeId, f: NodeId) -> Result<NodeId> {
    let Val::Const(code) = cond.rhs else {
        return Err(internal("no set"));
    };
    let map = SetMap::from_code(code).ok_or_else(|| internal("bad set code"))?;
    let set = sets.at(map.set).ok_or_else(|| internal("no such set"))?;
    let words = member_words(map.family, &cond.lhs)
        .ok_or_else(|| internal("an IPv6 address not loaded by words"))?;
    let ranges = set.ranges(map.family);
    if ranges.is_empty() {
        // No member: still load the value, which may reject the packet
        // (as the map lookup would).
        return Ok(out.add(Node::Branch {
            cond: Cond {
                op: CmpOp::Eq,
                lhs: words[0].clone(),
                rhs: Val::Const(0),
            },
            t: f,
            f,
        }));
    }
    Ok(Tree {
        out,
        words: &words,
        t,
        f,
    }
    .ranges(&ranges, 0))
}

/// Ranges of one word's values: all of them members (`rest` `None`), or
/// one value whose members go on in the next words (`rest`).
struct Item {
    lo: u32,
    hi: u32,
    rest: Option<Vec<(u128, u128)>>,
}

struct Tree<'a> {
    out: &'a mut Cfg,
    words: &'a [Val],
    t: NodeId,
    f: NodeId,
}

impl Tree<'_> {
    /// The tree for `ranges` of the value made of `words[level..]`.
    fn ranges(&mut self, ranges: &[(u128, u128)], level: usize) -> NodeId {
        let shift = 32 * (self.words.len() - level - 1) as u32;
        let rest_mask = if shift == 0 { 0 } else { (1u128 << shift) - 1 };
        let mut items: Vec<Item> = Vec::new();
        let mut push = |lo: u32, hi: u32, rest: Option<(u128, u128)>| match (items.last_mut(), rest)
        {
            (Some(last), None) if last.rest.is_none() && last.hi.checked_add(1) == Some(lo) => {
                last.hi = hi
            }
            (
                Some(Item {
                    lo: l,
                    rest: Some(r),
                    ..
                }),
                Some(sub),
            ) if *l == lo => r.push(sub),
            (_, rest) => items.push(Item {
                lo,
                hi,
                rest: rest.map(|r| vec![r]),
            }),
        };
        for &(lo, hi) in ranges {
            let (lw, hw) = ((lo >> shift) as u32, (hi >> shift) as u32);
            let (lr, hr) = (lo & rest_mask, hi & rest_mask);
            if lw == hw {
                let whole = lr == 0 && hr == rest_mask;
                push(lw, lw, (!whole).then_some((lr, hr)));
                continue;
            }
            let mut a = lw;
            if lr != 0 {
                push(lw, lw, Some((lr, rest_mask)));
                a += 1;
            }
            let b = if hr != rest_mask { hw - 1 } else { hw };
            if a <= b {
                push(a, b, None);
            }
            if hr != rest_mask {
                push(hw, hw, Some((0, hr)));
            }
        }
        self.balanced(&items, level, 0, u32::MAX)
    }

    /// A binary search over `items`, knowing the word is in `[known_lo,
    /// known_hi]`.
    fn balanced(&mut self, items: &[Item], level: usize, known_lo: u32, known_hi: u32) -> NodeId {
        if let [item] = items {
            return self.leaf(item, level, known_lo, known_hi);
        }
        let mid = items.len() / 2;
        let pivot = items[mid].lo;
        let left = self.balanced(&items[..mid], level, known_lo, pivot - 1);
        let right = self.balanced(&items[mid..], level, pivot, known_hi);
        self.branch(CmpOp::Ge, level, pivot, right, left)
    }

    fn leaf(&mut self, item: &Item, level: usize, known_lo: u32, known_hi: u32) -> NodeId {
        let inside = match &item.rest {
            Some(rest) => self.ranges(rest, level + 1),
            None => self.t,
        };
        let f = self.f;
        if item.lo == item.hi && (known_lo < item.lo || known_hi > item.hi) {
            return self.branch(CmpOp::Eq, level, item.lo, inside, f);
        }
        let mut n = inside;
        if item.hi < known_hi {
            n = self.branch(CmpOp::Gt, level, item.hi, f, n);
        }
        if item.lo > known_lo {
            n = self.branch(CmpOp::Ge, level, item.lo, n, f);
        }
        if n == inside && (known_lo, known_hi) == (0, u32::MAX) {
            // Every value is a member: no comparison, but the load stays,
            // as in a map lookup (it rejects a packet too short for it).
            n = self.branch(CmpOp::Eq, level, 0, inside, inside);
        }
        n
    }

    fn branch(&mut self, op: CmpOp, level: usize, k: u32, t: NodeId, f: NodeId) -> NodeId {
        self.out.add(Node::Branch {
            cond: Cond {
                op,
                lhs: self.words[level].clone(),
                rhs: Val::Const(k),
            },
            t,
            f,
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::cbpf::interp;
    use crate::sets::Set;
    use crate::{CompileOptions, LinkType, SetTable, compile};

    fn opts(text: &str) -> CompileOptions {
        let mut sets = SetTable::new();
        sets.insert("s", Set::parse(text).unwrap());
        CompileOptions {
            sets,
            ..CompileOptions::new(LinkType::EN10MB)
        }
    }

    /// An Ethernet + IPv4 + UDP frame from `src` to `dst`, ports `sp`/`dp`.
    fn v4(src: [u8; 4], dst: [u8; 4], sp: u16, dp: u16) -> Vec<u8> {
        let mut p = vec![0u8; 12];
        p.extend([0x08, 0x00, 0x45, 0, 0, 28, 0, 0, 0, 0, 64, 17, 0, 0]);
        p.extend(src);
        p.extend(dst);
        p.extend(sp.to_be_bytes());
        p.extend(dp.to_be_bytes());
        p.extend([0, 8, 0, 0]);
        p
    }

    fn v6(src: u128, dst: u128) -> Vec<u8> {
        let mut p = vec![0u8; 12];
        p.extend([0x86, 0xdd, 0x60, 0, 0, 0, 0, 8, 17, 64]);
        p.extend(src.to_be_bytes());
        p.extend(dst.to_be_bytes());
        p.extend([0, 1, 0, 2, 0, 8, 0, 0]);
        p
    }

    fn matches(expr: &str, o: &CompileOptions, pkt: &[u8]) -> bool {
        let prog = compile(expr, o).unwrap();
        interp::run(&prog, pkt, pkt.len() as u32) != 0
    }

    /// Membership trees agree with the expressions naming every member.
    #[test]
    fn trees_agree_with_the_members_spelt_out() {
        let text = "10.0.0.1\n10.0.0.3\n10.0.1.0/24\n192.168.0.0/16\n255.255.255.255\n0.0.0.0\n";
        let o = opts(text);
        let spelt = "host 10.0.0.1 or host 10.0.0.3 or net 10.0.1.0/24 or net 192.168.0.0/16 \
                     or host 255.255.255.255 or host 0.0.0.0";
        let plain = CompileOptions::new(LinkType::EN10MB);
        for a in [
            [10, 0, 0, 1],
            [10, 0, 0, 2],
            [10, 0, 0, 3],
            [10, 0, 1, 77],
            [10, 0, 2, 0],
            [192, 168, 9, 9],
            [192, 169, 0, 0],
            [255, 255, 255, 255],
            [0, 0, 0, 0],
            [0, 0, 0, 1],
        ] {
            for (x, spelt) in [
                ("host @s", spelt.to_string()),
                (
                    "src net @s",
                    format!(
                        "src net ({})",
                        spelt.replace("host ", "").replace("net ", "")
                    ),
                ),
            ] {
                for pkt in [v4(a, [1, 1, 1, 1], 1, 2), v4([1, 1, 1, 1], a, 1, 2)] {
                    assert_eq!(
                        matches(x, &o, &pkt),
                        matches(&spelt, &plain, &pkt),
                        "{x} {a:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn ipv6_trees_walk_the_words() {
        let o = opts("2001:db8::1\n2001:db8::5\n2001:db8:1::/48\nfe80::/10\n::\n");
        let a = |s: &str| u128::from(s.parse::<std::net::Ipv6Addr>().unwrap());
        for (addr, member) in [
            ("2001:db8::1", true),
            ("2001:db8::2", false),
            ("2001:db8::5", true),
            ("2001:db8:1:ffff::9", true),
            ("2001:db8:2::", false),
            ("fe80::1", true),
            ("febf:ffff::", true),
            ("fec0::", false),
            ("::", true),
            ("::1", false),
        ] {
            assert_eq!(
                matches("dst host @s", &o, &v6(1, a(addr))),
                member,
                "{addr}"
            );
            assert!(!matches("ip host @s", &o, &v6(1, a(addr))));
        }
    }

    #[test]
    fn port_sets_and_empty_sets() {
        let o = opts("53\n80\n443\n8000\n8001\n");
        for (p, member) in [
            (53, true),
            (54, false),
            (443, true),
            (8001, true),
            (8002, false),
        ] {
            assert_eq!(
                matches("udp dst port @s", &o, &v4([1; 4], [2; 4], 9, p)),
                member
            );
            assert!(!matches("tcp port @s", &o, &v4([1; 4], [2; 4], 9, p)));
        }
        let empty = opts("# nothing yet\n");
        assert!(!matches("host @s", &empty, &v4([1; 4], [2; 4], 1, 2)));
        assert!(matches("not host @s", &empty, &v4([1; 4], [2; 4], 1, 2)));
    }

    /// The compiling thread's CPU time (a shared machine's wall clock
    /// also counts the time spent waiting for a CPU).
    fn cpu_time() -> std::time::Duration {
        let mut ts = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: clock_gettime writes the timespec it is given.
        unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
        std::time::Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
    }

    /// 1,000 hosts compile into balanced trees: about 2 instructions per
    /// host and address field tested (`host` tests 8 fields: IPv4, ARP
    /// and RARP source and destination, IPv6 source and destination). In
    /// a release build `host @s` takes about 8.5 ms of CPU time and `ip
    /// host @s` 3.7 (see the README); the time is checked there only (a
    /// debug build is some 50 times slower), with a margin for a busy
    /// machine's caches.
    #[test]
    fn a_thousand_hosts_compile_fast_into_a_small_tree() {
        let text: String = (0..1000)
            .map(|i| format!("10.{}.{}.{}\n", i % 7, i / 256, i % 256))
            .collect();
        let o = opts(&text);
        let prog = compile("host @s", &o).unwrap();
        assert!(
            prog.insns().len() < 8 * 1000 + 200,
            "{}",
            prog.insns().len()
        );
        let start = cpu_time();
        let ip = compile("ip host @s", &o).unwrap();
        let took = cpu_time() - start;
        assert!(
            ip.insns().len() < 2 * 2 * 1000 + 100,
            "{}",
            ip.insns().len()
        );
        if !cfg!(debug_assertions) {
            assert!(took.as_millis() < 10, "{took:?}");
        }
    }
}
