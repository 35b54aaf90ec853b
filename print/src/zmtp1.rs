//! ZeroMQ's ZMTP/1.0 (print-zeromq.c), printed only when `-T` asks:
//! `-T zmtp1` over TCP, `-T pgm_zmtp1` in PGM's ODATA and RDATA.
//! Each frame's length and flags, with -v its first bytes. A read past
//! the capture is tcpdump's longjmp (`Err`).

use crate::ctx::{Bytes, Ctx, Res, Trunc, put};

/// The body bytes -v shows of a frame (-vv: all captured).
const VBYTES: u64 = 128;

/// `zmtp1_print`: `: ZMTP/1.0` and the frames within `len` bytes of
/// what was captured.
pub(crate) fn zmtp1_print(ctx: &mut Ctx<'_>, p: &[u8], len: u32) -> Res {
    ctx.proto = "zmtp1";
    ctx.s(": ZMTP/1.0");
    let ep = p.len().min(len as usize);
    let mut at = 0;
    while at < ep {
        at = frame(ctx, p, at, ep)?;
    }
    Ok(())
}

/// `zmtp1_print_datagram`: a PGM payload, whose first 16 bits give
/// where the first whole message starts.
pub(crate) fn zmtp1_datagram(ctx: &mut Ctx<'_>, p: &[u8], len: u32) -> Res {
    ctx.proto = "zmtp1";
    let ep = p.len().min(len as usize);
    let mut at = intermediate(ctx, p, len)?;
    while at < ep {
        at = frame(ctx, p, at, ep)?;
    }
    Ok(())
}

/// `zmtp1_print_frame`: one frame at `at`; where the next starts.
fn frame(ctx: &mut Ctx<'_>, p: &[u8], at: usize, ep: usize) -> Res<usize> {
    ctx.s("\n\t");
    let first = p.u8_at(at)?;
    let (header, declared) = if first != 0xff {
        put!(ctx.out, " frame flags+body  (8-bit) length {first}");
        (1, u64::from(first))
    } else {
        ctx.s(" frame flags+body (64-bit) length");
        let b = p.sub(at + 1, 8)?;
        let n = b.iter().fold(0u64, |a, &x| a << 8 | u64::from(x));
        put!(ctx.out, " {n}");
        (9, n)
    };
    if declared == 0 {
        return Ok(at + header);
    }
    let flags = p.u8_at(at + header)?;
    // What is left of `len` after the header (wrapping as in tcpdump when
    // the header itself went past it).
    let captured = (ep as u64).wrapping_sub((at + header) as u64);
    if declared > captured {
        put!(ctx.out, " ({captured} captured)");
    }
    put!(ctx.out, ", flags 0x{flags:02x}");
    if ctx.o.verbose > 0 {
        let bit = |m: u8, t: &'static str| if flags & m != 0 { t } else { "-" };
        put!(
            ctx.out,
            " ({}|{}|{}|{}|{}|{}|{}|{})",
            bit(0x80, "MBZ"),
            bit(0x40, "MBZ"),
            bit(0x20, "MBZ"),
            bit(0x10, "MBZ"),
            bit(0x08, "MBZ"),
            bit(0x04, "MBZ"),
            bit(0x02, "MBZ"),
            bit(0x01, "MORE")
        );
        let mut shown = captured.min(declared);
        if ctx.o.verbose == 1 {
            shown = shown.min(VBYTES + 1);
        }
        if shown > 1 {
            put!(ctx.out, ", first {} byte(s) of body:", shown - 1);
            dump(ctx, p, at + header + 1, shown - 1)?;
        }
    }
    let body = at + header;
    match usize::try_from(declared) {
        Ok(n) if p.has(body, n) => Ok(body + n),
        _ => Err(Trunc),
    }
}

/// `hex_and_ascii_print(ndo, "\n\t ", ...)` of `n` bytes at `at`, cut
/// where the capture ends (then the longjmp).
fn dump(ctx: &mut Ctx<'_>, p: &[u8], at: usize, n: u64) -> Res {
    let avail = p.get(at..).unwrap_or(&[]);
    let n = usize::try_from(n).unwrap_or(usize::MAX);
    crate::hex::hex_and_ascii_prefixed(ctx.out, "\n\t ", &avail[..avail.len().min(n)], 0);
    if n > avail.len() {
        return Err(Trunc);
    }
    Ok(())
}

/// `zmtp1_print_intermediate_part`: the frame offset and the tail of a
/// message before it; where the first frame starts.
fn intermediate(ctx: &mut Ctx<'_>, p: &[u8], len: u32) -> Res<usize> {
    let offset = p.be16(0)?;
    put!(ctx.out, "\n\t frame offset 0x{offset:04x}");
    let remaining = p.len().saturating_sub(2) as u64;
    let offset = if offset == 0xffff {
        len.wrapping_sub(2)
    } else if 2 + u32::from(offset) > len {
        ctx.s(" (exceeds datagram declared length)");
        ctx.explicit_trunc();
        return Ok(2 + len as usize);
    } else {
        u32::from(offset)
    };
    if offset != 0 {
        put!(ctx.out, "\n\t frame intermediate part, {offset} bytes");
        if u64::from(offset) > remaining {
            put!(ctx.out, " ({remaining} captured)");
        }
        if ctx.o.verbose > 0 {
            let mut shown = u64::from(offset).min(remaining);
            if ctx.o.verbose == 1 {
                shown = shown.min(VBYTES);
            }
            if shown > 1 {
                put!(ctx.out, ", first {shown} byte(s):");
                dump(ctx, p, 2, shown)?;
            }
        }
    }
    Ok(2 + offset as usize)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::NoNames;

    fn run(p: &[u8], len: u32, verbose: u8) -> String {
        let o = crate::SummaryOptions {
            verbose,
            ..crate::SummaryOptions::default()
        };
        let mut out = String::new();
        let mut tcp = crate::tcp::SeqState::default();
        let mut rx = crate::app::rx::Calls::default();
        let mut names = crate::Names::new(Box::new(NoNames));
        let mut ctx = Ctx {
            out: &mut out,
            o: &o,
            tcp: &mut tcp,
            rx: &mut rx,
            names: &mut names,
            proto: "",
        };
        if zmtp1_print(&mut ctx, p, len).is_err() {
            ctx.explicit_trunc();
        }
        let _ = zmtp1_datagram(&mut ctx, p, len);
        out
    }

    /// Lengths that wrap or run past the capture end the frames.
    #[test]
    fn huge_lengths_end() {
        let mut p = vec![0xff];
        p.extend_from_slice(&u64::MAX.to_be_bytes());
        p.push(1);
        for v in 0..3 {
            let s = run(&p, p.len() as u32, v);
            assert!(s.contains("[|zmtp1]"), "{s}");
            run(&p, 0, v);
            run(&p[..3], 100, v);
        }
    }
}
