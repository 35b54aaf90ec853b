//! sFlow version 5 (tcpdump's `sflow_print`): the datagram header, and
//! on `-v` the samples with their counter and flow records.

use super::{Bytes, Ctx, Res, put, tok, unknown_data};

const COUNTER_TYPES: &[(u32, &str)] = &[
    (1, "Generic counter"),
    (2, "Ethernet counter"),
    (3, "Token ring counter"),
    (4, "100 BaseVG counter"),
    (5, "Vlan counter"),
    (1001, "Processor counter"),
];

const FLOW_TYPES: &[(u32, &str)] = &[
    (1, "Raw packet"),
    (2, "Ethernet frame"),
    (3, "IPv4 Data"),
    (4, "IPv6 Data"),
    (1001, "Extended Switch data"),
    (1002, "Extended Router data"),
    (1003, "Extended Gateway data"),
    (1004, "Extended User data"),
    (1005, "Extended URL data"),
    (1006, "Extended MPLS data"),
    (1007, "Extended NAT data"),
    (1008, "Extended MPLS tunnel"),
    (1009, "Extended MPLS VC"),
    (1010, "Extended MPLS FEC"),
    (1011, "Extended MPLS LVP FEC"),
    (1012, "Extended VLAN Tunnel"),
];

/// A record printer: false where tcpdump's returns 1 (too short).
type Record = fn(&mut String, Bytes, usize, usize) -> Res<bool>;

fn be64(b: Bytes, at: usize) -> Res<u64> {
    Ok((u64::from(b.be32(at)?) << 32) | u64::from(b.be32(at + 4)?))
}

/// Prints `labels` (each with its field width, 4 or 8 bytes) from `at`,
/// as tcpdump's counter printers do: every `None` label starts a line.
fn fields(
    out: &mut String,
    b: Bytes,
    mut at: usize,
    labels: &[(Option<&str>, &str, usize)],
) -> Res {
    for (line_start, label, width) in labels {
        match line_start {
            Some(first) => put!(out, "\n\t      {first}"),
            None => put!(out, ", {label}"),
        }
        let v = if *width == 8 {
            be64(b, at)?
        } else {
            u64::from(b.be32(at)?)
        };
        put!(out, " {v}");
        at += width;
    }
    Ok(())
}

fn generic(out: &mut String, b: Bytes, at: usize, len: usize) -> Res<bool> {
    if len < 88 {
        return Ok(false);
    }
    let dir = b.be32(at + 16)?;
    let dir_name = ["unknown", "full-duplex", "half-duplex", "in", "out"]
        .get(dir as usize)
        .copied()
        .unwrap_or("Unknown");
    put!(
        out,
        "\n\t      ifindex {}, iftype {}, ifspeed {}, ifdirection {dir} ({dir_name})",
        b.be32(at)?,
        b.be32(at + 4)?,
        be64(b, at + 8)?
    );
    let status = b.be32(at + 20)?;
    let up = |bit: u32| {
        if (status >> bit) & 1 != 0 {
            "up"
        } else {
            "down"
        }
    };
    put!(
        out,
        "\n\t      ifstatus {status}, adminstatus: {}, operstatus: {}",
        up(0),
        up(1)
    );
    fields(
        out,
        b,
        at + 24,
        &[
            (Some("In octets"), "", 8),
            (None, "unicast pkts", 4),
            (None, "multicast pkts", 4),
            (None, "broadcast pkts", 4),
            (None, "discards", 4),
            (Some("In errors"), "", 4),
            (None, "unknown protos", 4),
            (Some("Out octets"), "", 8),
            (None, "unicast pkts", 4),
            (None, "multicast pkts", 4),
            (None, "broadcast pkts", 4),
            (None, "discards", 4),
            (Some("Out errors"), "", 4),
            (None, "promisc mode", 4),
        ],
    )?;
    Ok(true)
}

fn ethernet(out: &mut String, b: Bytes, at: usize, len: usize) -> Res<bool> {
    if len < 52 {
        return Ok(false);
    }
    fields(
        out,
        b,
        at,
        &[
            (Some("align errors"), "", 4),
            (None, "fcs errors", 4),
            (None, "single collision", 4),
            (None, "multiple collision", 4),
            (None, "test error", 4),
            (Some("deferred"), "", 4),
            (None, "late collision", 4),
            (None, "excessive collision", 4),
            (None, "mac trans error", 4),
            (Some("carrier error"), "", 4),
            (None, "frames too long", 4),
            (None, "mac receive errors", 4),
            (None, "symbol errors", 4),
        ],
    )?;
    Ok(true)
}

fn basevg(out: &mut String, b: Bytes, at: usize, len: usize) -> Res<bool> {
    if len < 80 {
        return Ok(false);
    }
    fields(
        out,
        b,
        at,
        &[
            (Some("in high prio frames"), "", 4),
            (None, "in high prio octets", 8),
            (Some("in norm prio frames"), "", 4),
            (None, "in norm prio octets", 8),
            (Some("in ipm errors"), "", 4),
            (None, "oversized", 4),
            (None, "in data errors", 4),
            (None, "null addressed frames", 4),
            (Some("out high prio frames"), "", 4),
            (None, "out high prio octets", 8),
            (None, "trans into frames", 4),
            (Some("in hc high prio octets"), "", 8),
            (None, "in hc norm prio octets", 8),
            (None, "out hc high prio octets", 8),
        ],
    )?;
    Ok(true)
}

fn vlan(out: &mut String, b: Bytes, at: usize, len: usize) -> Res<bool> {
    if len < 28 {
        return Ok(false);
    }
    put!(
        out,
        "\n\t      vlan_id {}, octets {}, unicast_pkt {}, multicast_pkt {}, broadcast_pkt {}, discards {}",
        b.be32(at)?,
        be64(b, at + 4)?,
        b.be32(at + 12)?,
        b.be32(at + 16)?,
        b.be32(at + 20)?,
        b.be32(at + 24)?
    );
    Ok(true)
}

fn processor(out: &mut String, b: Bytes, at: usize, len: usize) -> Res<bool> {
    if len < 28 {
        return Ok(false);
    }
    put!(
        out,
        "\n\t      5sec {}, 1min {}, 5min {}, total_mem {}, total_mem {}",
        b.be32(at)?,
        b.be32(at + 4)?,
        b.be32(at + 8)?,
        be64(b, at + 12)?,
        be64(b, at + 20)?
    );
    Ok(true)
}

fn raw_packet(out: &mut String, b: Bytes, at: usize, len: usize) -> Res<bool> {
    if len < 16 {
        return Ok(false);
    }
    let proto = b.be32(at)?;
    let name = match proto {
        1 => "Ethernet",
        11 => "IPv4",
        12 => "IPv6",
        _ => "Unknown",
    };
    put!(
        out,
        "\n\t      protocol {name} ({proto}), length {}, stripped bytes {}, header_size {}",
        b.be32(at + 4)?,
        b.be32(at + 8)?,
        b.be32(at + 12)?
    );
    Ok(true)
}

fn ethernet_frame(out: &mut String, b: Bytes, at: usize, len: usize) -> Res<bool> {
    if len < 24 {
        return Ok(false);
    }
    put!(
        out,
        "\n\t      frame len {}, type {}",
        b.be32(at)?,
        b.be32(at + 20)?
    );
    Ok(true)
}

fn switch_data(out: &mut String, b: Bytes, at: usize, len: usize) -> Res<bool> {
    if len < 16 {
        return Ok(false);
    }
    put!(
        out,
        "\n\t      src vlan {}, src pri {}, dst vlan {}, dst pri {}",
        b.be32(at)?,
        b.be32(at + 4)?,
        b.be32(at + 8)?,
        b.be32(at + 12)?
    );
    Ok(true)
}

/// Counter records (`counter`) or flow records; false when too short.
fn records(
    out: &mut String,
    cx: &Ctx,
    b: Bytes,
    mut at: usize,
    mut len: usize,
    mut n: u32,
    counter: bool,
) -> Res<bool> {
    while n > 0 {
        if len < 8 {
            return Ok(false);
        }
        let format = b.be32(at)?;
        let typ = format & 0xfff;
        let enterprise = format >> if counter { 20 } else { 12 };
        let rlen = b.be32(at + 4)? as usize;
        let table = if counter { COUNTER_TYPES } else { FLOW_TYPES };
        let name = if enterprise == 0 {
            tok(table, typ).unwrap_or("Unknown")
        } else {
            "Unknown"
        };
        put!(
            out,
            "\n\t    enterprise {enterprise}{} {name} ({typ}) length {rlen}",
            if counter { "," } else { "" }
        );
        at += 8;
        len -= 8;
        if len < rlen {
            return Ok(false);
        }
        if enterprise == 0 {
            let printer: Option<Record> = match (counter, typ) {
                (true, 1) => Some(generic),
                (true, 2) => Some(ethernet),
                (true, 3) => None,
                (true, 4) => Some(basevg),
                (true, 5) => Some(vlan),
                (true, 1001) => Some(processor),
                (false, 1) => Some(raw_packet),
                (false, 1001) => Some(switch_data),
                (false, 2) => Some(ethernet_frame),
                (false, 3 | 4 | 1002..=1012) => None,
                _ => {
                    if cx.verbose <= 1 {
                        unknown_data(out, b, "\n\t\t", at, rlen);
                    }
                    None
                }
            };
            if let Some(p) = printer
                && !p(out, b, at, len)?
            {
                return Ok(false);
            }
        }
        at += rlen;
        len -= rlen;
        n -= 1;
    }
    Ok(true)
}

/// One sample's header and records; false when too short.
fn sample(out: &mut String, cx: &Ctx, b: Bytes, at: usize, len: usize, typ: u32) -> Res<bool> {
    let (head, counter) = match typ {
        1 => (32, false),
        2 => (12, true),
        3 => (44, false),
        _ => (16, true),
    };
    if len < head {
        return Ok(false);
    }
    let nrecords = b.be32(at + head - 4)?;
    let seqnum = b.be32(at)?;
    let expanded = typ >= 3;
    let (stype, index) = if expanded {
        (b.be32(at + 4)?, b.be32(at + 8)?)
    } else {
        (u32::from(b.u8(at + 4)?), b.be24(at + 5)?)
    };
    put!(out, " seqnum {seqnum}, type {stype}, idx {index}");
    match typ {
        1 => put!(
            out,
            ", rate {}, pool {}, drops {}, input {} output {} records {nrecords}",
            b.be32(at + 8)?,
            b.be32(at + 12)?,
            b.be32(at + 16)?,
            b.be32(at + 20)?,
            b.be32(at + 24)?
        ),
        3 => put!(
            out,
            ", rate {}, pool {}, drops {}, records {nrecords}",
            b.be32(at + 12)?,
            b.be32(at + 16)?,
            b.be32(at + 20)?
        ),
        _ => put!(out, ", records {nrecords}"),
    }
    records(out, cx, b, at + head, len - head, nrecords, counter)
}

/// `sFlowv5, IPv4 agent 192.0.2.1, agent-id 1, length 200`.
pub(crate) fn print(out: &mut String, cx: &Ctx, b: Bytes, length: u32) -> Res {
    let len = length as usize;
    let ip_version = b.be32(4)?;
    if (len < 28 && ip_version == 1) || (len < 40 && ip_version == 2) {
        put!(out, "sFlowv{} [length {len} < 28] (invalid)", b.be32(0)?);
        return Ok(());
    }
    b.get(0, 28)?;
    let version = b.be32(0)?;
    if version != 5 {
        put!(out, "sFlow version {version} packet not supported");
        return Ok(());
    }
    let v4 = ip_version == 1;
    let agent = if v4 {
        b.ipv4(8)?.to_string()
    } else {
        b.ipv6(8)?.to_string()
    };
    let base = if v4 { 12 } else { 24 };
    let family = if v4 { "IPv4" } else { "IPv6" };
    let agent_id = b.be32(base)?;
    if cx.verbose < 1 {
        put!(
            out,
            "sFlowv{version}, {family} agent {agent}, agent-id {agent_id}, length {len}"
        );
        return Ok(());
    }
    let mut nsamples = b.be32(base + 12)?;
    put!(
        out,
        "sFlowv{version}, {family} agent {agent}, agent-id {agent_id}, seqnum {}, uptime {}, samples {nsamples}, length {len}",
        b.be32(base + 4)?,
        b.be32(base + 8)?
    );
    let head = base + 16;
    let invalid = |out: &mut String, at: usize, left: usize| -> Res {
        out.push_str(" (invalid)");
        b.get(at, left)?;
        Ok(())
    };
    if len < head {
        return invalid(out, 0, len);
    }
    let (mut at, mut left) = (head, len - head);
    while nsamples > 0 && left > 0 {
        let typ = b.be32(at)? & 0xfff;
        let slen = b.be32(at + 4)? as usize;
        if left < 8 {
            return invalid(out, at, left);
        }
        at += 8;
        left -= 8;
        let name = match typ {
            1 => "flow sample",
            2 => "counter sample",
            3 => "expanded flow sample",
            4 => "expanded counter sample",
            _ => "Unknown",
        };
        put!(out, "\n\t{name} ({typ}), length {slen},");
        if typ == 0 || slen == 0 {
            return Ok(());
        }
        if left < slen {
            return invalid(out, at, left);
        }
        b.get(at, slen)?;
        if (1..=4).contains(&typ) {
            if !sample(out, cx, b, at, left, typ)? {
                return invalid(out, at, left);
            }
        } else if cx.verbose <= 1 {
            unknown_data(out, b, "\n\t    ", at, slen);
        }
        at += slen;
        left -= slen;
        nsamples -= 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{app, app_len};

    #[test]
    fn header_line() {
        let mut p = vec![0, 0, 0, 5, 0, 0, 0, 1, 192, 0, 2, 1, 0, 0, 0, 1];
        p.extend([0, 0, 0, 77, 0, 0, 0, 9, 0, 0, 0, 0]);
        assert_eq!(
            app(0, 40000, 6343, &p),
            "sFlowv5, IPv4 agent 192.0.2.1, agent-id 1, length 28"
        );
        assert_eq!(
            app(1, 40000, 6343, &p),
            "sFlowv5, IPv4 agent 192.0.2.1, agent-id 1, seqnum 77, uptime 9, samples 0, length 28"
        );
        assert_eq!(app_len(0, 40000, 6343, &p[..20], 28), " [|sflow]");
    }
}
