//! Linux cooked captures, v1 (`DLT_LINUX_SLL`, 16 bytes) and v2
//! (`DLT_LINUX_SLL2`, 20 bytes, `-i any`): tcpdump's print-sll.c.

use crate::ctx::{Bytes, Ctx, Mac, Res, Trunc, put, tok};
use crate::ether::{ETHERTYPES, ethertype_print};

const PKTTYPES: &[(u16, &str)] = &[(0, "In"), (1, "B"), (2, "M"), (3, "P"), (4, "Out")];

/// The protocol field of the cooked header, as -e shows it.
fn proto_text(ctx: &mut Ctx<'_>, proto: u16, len: u32) {
    if ctx.o.quiet > 0 {
        return;
    }
    if proto <= 1500 {
        match proto {
            1 => ctx.s("802.3"),
            4 => ctx.s("802.2"),
            _ => put!(ctx.out, "ethertype Unknown (0x{proto:04x})"),
        }
    } else {
        put!(
            ctx.out,
            "ethertype {} (0x{proto:04x})",
            tok(ETHERTYPES, proto).unwrap_or("Unknown")
        );
    }
    put!(ctx.out, ", length {len}: ");
}

fn sll_hdr(ctx: &mut Ctx<'_>, h: &[u8], len: u32) -> Res {
    let pkttype = h.be16(0)?;
    put!(ctx.out, "{:>3} ", tok(PKTTYPES, pkttype).unwrap_or("?"));
    if h.be16(4)? == 6 {
        put!(ctx.out, "{} ", Mac(h.sub(6, 6)?, ctx.o.numeric == 0));
    }
    proto_text(ctx, h.be16(14)?, len);
    Ok(())
}

fn sll2_hdr(ctx: &mut Ctx<'_>, h: &[u8], len: u32) -> Res {
    put!(ctx.out, "ifindex {} ", h.be32(4)?);
    if h.u8_at(11)? == 6 {
        put!(ctx.out, "{} ", Mac(h.sub(12, 6)?, ctx.o.numeric == 0));
    }
    proto_text(ctx, h.be16(0)?, len);
    Ok(())
}

/// `sll_if_print`.
pub(crate) fn sll_if_print(ctx: &mut Ctx<'_>, data: &[u8], len: u32, hdrlen: &mut usize) -> Res {
    ctx.proto = "sll";
    if data.len() < 16 {
        // tcpdump's length check is a read: its longjmp.
        return Err(Trunc);
    }
    if ctx.o.link_header {
        sll_hdr(ctx, data, len)?;
    }
    *hdrlen = 16;
    let proto = data.be16(14)?;
    payload(
        ctx,
        data,
        16,
        len.saturating_sub(16),
        proto,
        hdrlen,
        &|ctx, l| sll_hdr(ctx, data, l),
    )
}

/// `sll2_if_print`: the interface name (of this host, as tcpdump asks
/// `if_indextoname`) and the packet type come first, always.
pub(crate) fn sll2_if_print(ctx: &mut Ctx<'_>, data: &[u8], len: u32, hdrlen: &mut usize) -> Res {
    ctx.proto = "sll2";
    if data.len() < 20 {
        // tcpdump's length check is a read: its longjmp.
        return Err(Trunc);
    }
    let ifindex = data.be32(4)?;
    put!(ctx.out, "{:<5} ", if_name(ifindex));
    let pkttype = u16::from(data.u8_at(10)?);
    put!(ctx.out, "{:<3} ", tok(PKTTYPES, pkttype).unwrap_or("?"));
    if ctx.o.link_header {
        sll2_hdr(ctx, data, len)?;
    }
    *hdrlen = 20;
    let proto = data.be16(0)?;
    payload(
        ctx,
        data,
        20,
        len.saturating_sub(20),
        proto,
        hdrlen,
        &|ctx, l| sll2_hdr(ctx, data, l),
    )
}

type Hdr<'h> = dyn Fn(&mut Ctx<'_>, u32) -> Res + 'h;

/// What follows the cooked header (shared by v1 and v2).
fn payload(
    ctx: &mut Ctx<'_>,
    data: &[u8],
    start: usize,
    mut len: u32,
    mut proto: u16,
    hdrlen: &mut usize,
    hdr: &Hdr<'_>,
) -> Res {
    let mut at = start;
    loop {
        let p = data.from(at);
        if proto <= 1500 {
            match proto {
                1 => crate::other::ipx_print(ctx, p, len),
                4 => {
                    let (decoded, llc_len) = crate::llc::llc_print(ctx, p, len, None)?;
                    *hdrlen += llc_len;
                    if !decoded {
                        if !ctx.o.link_header {
                            hdr(ctx, len + start as u32)?;
                        }
                        ctx.default_print(p);
                    }
                    Ok(())
                }
                _ => {
                    // tcpdump repeats the header here for v1 only.
                    if !ctx.o.link_header && start == 16 {
                        hdr(ctx, len + start as u32)?;
                    }
                    ctx.default_print(p);
                    Ok(())
                }
            }?;
            return Ok(());
        }
        if proto == 0x8100 {
            if p.len() < 4 {
                ctx.proto = "vlan";
                *hdrlen = at + p.len();
                return ctx.trunc();
            }
            if ctx.o.link_header {
                let tag = p.be16(0)?;
                put!(ctx.out, "{}, ", crate::ether::Tci(tag));
            }
            proto = p.be16(2)?;
            if proto <= 1500 {
                proto = 4;
            }
            if ctx.o.quiet == 0 {
                put!(
                    ctx.out,
                    "ethertype {}, ",
                    tok(ETHERTYPES, proto).unwrap_or("Unknown")
                );
            }
            at += 4;
            len = len.saturating_sub(4);
            *hdrlen = at;
            continue;
        }
        if !ethertype_print(ctx, proto, p, len, None)? {
            if !ctx.o.link_header {
                hdr(ctx, len + start as u32)?;
            }
            ctx.default_print(p);
        }
        return Ok(());
    }
}

/// The name of interface `index` on this host, or `?`.
fn if_name(index: u32) -> String {
    let mut buf = [0 as libc::c_char; libc::IF_NAMESIZE];
    // SAFETY: `buf` has the IF_NAMESIZE bytes if_indextoname may write.
    let p = unsafe { libc::if_indextoname(index, buf.as_mut_ptr()) };
    if p.is_null() {
        return "?".to_string();
    }
    // SAFETY: on success the buffer holds a NUL-terminated name.
    unsafe { std::ffi::CStr::from_ptr(buf.as_ptr()) }
        .to_string_lossy()
        .into_owned()
}
