//! Cisco NetFlow export (print-cnfp.c), printed only with `-T cnfp`:
//! versions 1, 5 and 6, a header line and two lines per flow record.

use super::{Bytes, Ctx, Res, put};
use crate::ctx::bits;

/// print-cnfp.c's own TCP flag letters (no ECN bits, `A` for ACK).
const TCP_FLAGS: &[(u32, &str)] = &[
    (0x01, "F"),
    (0x02, "S"),
    (0x04, "R"),
    (0x08, "P"),
    (0x10, "A"),
    (0x20, "U"),
];

/// What differs between the versions tcpdump decodes.
struct Layout {
    /// The header's size (checked whole before anything is printed).
    header: usize,
    /// A record's size, as tcpdump's structures have it (v5 and v6 with
    /// a peer next hop after the standard 48 bytes).
    record: usize,
    /// v5 and v6: a flow sequence number in the header, masks and AS
    /// numbers in the records.
    v5: bool,
    /// v6: the encapsulation sizes in the records.
    encaps: bool,
}

fn layout(version: u16) -> Option<Layout> {
    Some(match version {
        1 => Layout {
            header: 16,
            record: 48,
            v5: false,
            encaps: false,
        },
        5 => Layout {
            header: 24,
            record: 52,
            v5: true,
            encaps: false,
        },
        6 => Layout {
            header: 24,
            record: 52,
            v5: true,
            encaps: true,
        },
        _ => return None,
    })
}

/// `cnfp_print`: `NetFlow v5, 1.234 uptime, 100.000000200, #7,  1 recs`
/// and the records; a version read past the capture is the longjmp, a
/// header or record cut short tcpdump's `nd_print_trunc`.
pub(crate) fn print(out: &mut String, cx: &Ctx, b: Bytes) -> Res {
    let version = b.be16(0)?;
    let Some(l) = layout(version) else {
        put!(out, "NetFlow v{version:x}");
        return Ok(());
    };
    if records(out, cx, b, version, &l).is_err() {
        out.push_str(" [|cnfp]");
    }
    Ok(())
}

fn records(out: &mut String, cx: &Ctx, b: Bytes, version: u16, l: &Layout) -> Res {
    b.get(0, l.header)?;
    // tcpdump reads the 16-bit count as 32 bits (the count and the top
    // of the uptime).
    let mut n = b.be32(2)?;
    let uptime = b.be32(4)?;
    put!(
        out,
        "NetFlow v{version:x}, {}.{:03} uptime, {}.{:09}, ",
        uptime / 1000,
        uptime % 1000,
        b.be32(8)?,
        b.be32(12)?
    );
    if l.v5 {
        put!(out, "#{}, ", b.be32(16)?);
    }
    put!(out, "{n:2} recs");
    let mut at = l.header;
    while n != 0 {
        let r = Bytes(b.get(at, l.record)?);
        let (start, last) = (r.be32(24)?, r.be32(28)?);
        put!(
            out,
            "\n  started {}.{:03}, last {}.{:03}",
            start / 1000,
            start % 1000,
            last / 1000,
            last % 1000
        );
        let ends = |mask: usize, asn: usize| -> Res<String> {
            Ok(if l.v5 {
                format!("/{}:{}", r.u8(mask)?, r.be16(asn)?)
            } else {
                String::new()
            })
        };
        put!(
            out,
            "\n    {}{}:{} > {}{}:{} >> {}\n    ",
            r.ipv4(0)?,
            ends(44, 40)?,
            r.be16(32)?,
            r.ipv4(4)?,
            ends(45, 42)?,
            r.be16(34)?,
            r.ipv4(8)?
        );
        let proto = r.u8(38)?;
        match crate::ip::proto_name(proto) {
            Some(name) if !cx.numeric => put!(out, "{name} "),
            _ => put!(out, "{proto} "),
        }
        // The TCP flags byte: offset 40 in v1, 37 in v5 and v6.
        let flags = r.u8(if l.v5 { 37 } else { 40 })?;
        if proto == 6 && flags != 0 {
            put!(out, "{} ", bits(TCP_FLAGS, u32::from(flags), "", ""));
        }
        let tos = r.u8(39)?;
        put!(out, "tos {tos}, {} ({} octets) ", r.be32(16)?, r.be32(20)?);
        if l.encaps {
            put!(out, "({}<>{} encaps)", r.u8(46)?, r.u8(47)?);
        }
        at += l.record;
        n -= 1;
    }
    Ok(())
}
