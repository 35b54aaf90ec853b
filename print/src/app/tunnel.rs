//! VXLAN and Geneve: a header, then the inner packet printed by the
//! core's Ethernet / ether type printers (`ether_print`,
//! `ethertype_print`) in the packet's own context, so a read past the
//! capture in the inner packet ends the packet with the inner printer's
//! ` [|proto]`, as in tcpdump.

use super::{Bytes, Res, put, tok};
use crate::ctx::Ctx;
use crate::ether::{ETHERTYPES, ether_print, ethertype_print};

/// Prints an inner Ethernet frame with the core's `ether_print` (its
/// header length is of no use here: -x leaves out the outer link
/// header only).
fn inner_ethernet(ctx: &mut Ctx<'_>, frame: &[u8], len: u32) -> Res {
    let mut hdrlen = 0;
    ether_print(ctx, frame, len, &mut hdrlen)
}

/// `VXLAN, flags [I] (0x08), vni 100` and the inner frame on the next
/// line.
pub(crate) fn vxlan(ctx: &mut Ctx<'_>, b: Bytes, length: u32) -> Res {
    let out = &mut *ctx.out;
    out.push_str("VXLAN");
    if length < 8 {
        out.push_str(" (invalid)");
        return Ok(());
    }
    let flags = b.u8(0)?;
    put!(
        out,
        ", flags [{}] (0x{flags:02x}), ",
        if flags & 0x08 != 0 { "I" } else { "invalid" }
    );
    put!(out, "vni {}\n", b.be24(4)?);
    // What was captured after the header (tcpdump's
    // `ND_BYTES_AVAILABLE_AFTER`), maybe nothing.
    inner_ethernet(ctx, b.0.get(8..).unwrap_or(&[]), length - 8)
}

const GENEVE_FLAGS: [(u8, &str); 8] = [
    (0x80, "O"),
    (0x40, "C"),
    (0x20, "R1"),
    (0x10, "R2"),
    (0x08, "R3"),
    (0x04, "R4"),
    (0x02, "R5"),
    (0x01, "R6"),
];

fn opt_class_name(class: u16) -> &'static str {
    match class {
        0x0100 => "Linux",
        0x0101 => "Open vSwitch",
        0x0102 => "Open Virtual Networking (OVN)",
        0x0103 => "In-band Network Telemetry (INT)",
        0x0104 => "VMware",
        0..=0xff => "Standard",
        0xfff0.. => "Experimental",
        _ => "Unknown",
    }
}

fn geneve_opts(out: &mut String, verbose: u8, b: Bytes, mut at: usize, mut len: usize) -> Res {
    let mut sep = "";
    while len > 0 {
        out.push_str(sep);
        sep = ", ";
        let class = b.be16(at)?;
        let typ = b.u8(at + 2)?;
        let opt_len = 4 + usize::from(b.u8(at + 3)? & 0x1f) * 4;
        put!(
            out,
            "class {} (0x{class:x}) type 0x{typ:x}{} len {opt_len}",
            opt_class_name(class),
            if typ & 0x80 != 0 { "(C)" } else { "" }
        );
        if opt_len > len {
            out.push_str(" [bad length]");
            return Ok(());
        }
        if verbose > 1 && opt_len > 4 {
            out.push_str(" data");
            for k in (4..opt_len).step_by(4) {
                put!(out, " {:08x}", b.be32(at + k)?);
            }
        }
        at += opt_len;
        len -= opt_len;
    }
    Ok(())
}

/// `Geneve, Flags [none], vni 0xb: ` and the inner packet.
pub(crate) fn geneve(ctx: &mut Ctx<'_>, b: Bytes, length: u32) -> Res {
    if length < 8 {
        // The UDP length is checked before the capture.
        put!(ctx.out, "Geneve [length {length} < 8] (invalid)");
        return Ok(());
    }
    if b.get(0, 8).is_err() {
        // The header is checked first: `goto trunc` and a return.
        ctx.s("Geneve");
        return ctx.trunc();
    }
    let (verbose, link_header) = (ctx.o.verbose, ctx.o.link_header);
    let out = &mut *ctx.out;
    out.push_str("Geneve");
    b.get(0, 8)?;
    let ver_opt = b.u8(0)?;
    let version = ver_opt >> 6;
    if version != 0 {
        put!(out, " ERROR: unknown-version {version}");
        return Ok(());
    }
    let flags = b.u8(1)?;
    let proto = b.be16(2)?;
    let vni = b.be24(4)?;
    let reserved = b.u8(7)?;
    let len = (length as usize).saturating_sub(8);
    let names: String = GENEVE_FLAGS
        .iter()
        .filter(|(bit, _)| flags & bit != 0)
        .map(|(_, n)| *n)
        .collect();
    put!(
        out,
        ", Flags [{}], vni 0x{vni:x}",
        if names.is_empty() { "none" } else { &names }
    );
    if reserved != 0 {
        put!(out, ", rsvd 0x{reserved:x}");
    }
    if link_header {
        put!(
            out,
            ", proto {} (0x{proto:04x})",
            tok(ETHERTYPES, proto).unwrap_or("unknown")
        );
    }
    let opts_len = usize::from(ver_opt & 0x3f) * 4;
    if len < opts_len {
        put!(out, " truncated-geneve - {} bytes missing", opts_len - len);
        return Ok(());
    }
    b.get(8, opts_len)?;
    if opts_len > 0 {
        out.push_str(", options [");
        if verbose > 0 {
            geneve_opts(out, verbose, b, 8, opts_len)?;
        } else {
            put!(out, "{opts_len} bytes");
        }
        out.push(']');
    }
    out.push_str(if verbose < 1 { ": " } else { "\n\t" });
    let inner = &b.0[8 + opts_len..];
    let inner_len = (len - opts_len) as u32;
    if !ethertype_print(ctx, proto, inner, inner_len, None)? {
        if proto == 0x6558 {
            inner_ethernet(ctx, inner, inner_len)?;
        } else {
            put!(ctx.out, "geneve-proto-0x{proto:x}");
        }
    }
    Ok(())
}
