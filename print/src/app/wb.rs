//! The LBL whiteboard (wb) over UDP port 4567 (tcpdump's `wb_print`);
//! -v adds the drawing operations of drawop packets and repair replies.

use super::{Bytes, Ctx, Res, print_char, put};

/// The packet header: source, time stamp, version, type, flags.
const HEADER: u32 = 12;

/// A page id as `sid:uid`, 8 bytes at `at`.
fn page(b: Bytes, at: usize) -> Res<String> {
    Ok(format!("{}:{}", b.ipv4(at)?, b.be32(at + 4)?))
}

/// `* wb-prep: 1/10.0.0.2:3<10.0.0.3:4>`; ` (invalid)` where tcpdump
/// finds a length too short.
pub(crate) fn print(out: &mut String, cx: &Ctx, b: Bytes, len: u32) -> Res {
    if len < HEADER {
        out.push_str(" (invalid)");
        return Ok(());
    }
    b.get(0, HEADER as usize)?;
    if b.u8(11)? != 0 {
        out.push('*');
    }
    let body = Bytes(b.0.get(HEADER as usize..).unwrap_or(&[]));
    let len = len - HEADER;
    let ok = match b.u8(10)? {
        4 => {
            out.push_str(" wb-kill");
            true
        }
        1 => id(out, body, len)?,
        2 => repair(out, body, len, " wb-rreq: please repair")?,
        3 => {
            let ok = repair(out, body, len, " wb-rrep: for")?;
            if ok && cx.verbose > 0 {
                dops(out, body, 4)?;
            }
            ok
        }
        0 => {
            out.push_str(" wb-dop:");
            len >= 16 && {
                put!(
                    out,
                    " {}<{}:{}>",
                    page(body, 0)?,
                    body.be32(8)?,
                    body.be32(12)?
                );
                if cx.verbose > 0 {
                    dops(out, body, 0)?;
                }
                true
            }
        }
        5 => {
            out.push_str(" wb-preq:");
            len >= 16 && {
                put!(out, " need {}/{}", body.be32(8)?, page(body, 0)?);
                true
            }
        }
        7 => prep(out, body, len)?,
        t => {
            put!(out, " wb-{t}!");
            false
        }
    };
    if !ok {
        out.push_str(" (invalid)");
    }
    Ok(())
}

/// The names of the drawing operations 0 to 15.
const DOP_NAMES: [&str; 16] = [
    "dop-0!", "dop-1!", "RECT", "LINE", "ML", "DEL", "XFORM", "ELL", "CHAR", "STR", "NOP",
    "PSCODE", "PSCOMP", "REF", "SKIP", "HOLE",
];

/// -v: ` < LINE RECT SKIP3 >`, the drawing operations after the
/// drawop header at `at` (page, start and end sequence numbers), one per
/// sequence number; a SKIP or HOLE jumps to its time stamp's number
/// (`[|]` when that is out of the range). Each operation is 4-byte
/// aligned after its 8-byte header.
fn dops(out: &mut String, b: Bytes, at: usize) -> Res {
    let mut seq = b.be32(at + 8)?;
    let end = b.be32(at + 12)?;
    let mut op = at + 16;
    out.push_str(" <");
    while seq <= end {
        let t = b.u8(op + 7)?;
        match DOP_NAMES.get(usize::from(t)) {
            None => put!(out, " dop-{t}!"),
            Some(name) => {
                out.push(' ');
                out.push_str(name);
                if t == 14 || t == 15 {
                    let ts = b.be32(op)?;
                    put!(out, "{}", ts.wrapping_sub(seq).wrapping_add(1));
                    if seq > ts || ts > end {
                        out.push_str("[|]");
                        if ts < seq {
                            return Ok(());
                        }
                    }
                    seq = ts;
                }
            }
        }
        let body = usize::from(b.be16(op + 4)?);
        op += (body + 8).next_multiple_of(4);
        // At the end of the range the counter wraps, as tcpdump's: the
        // loop then ends at the capture's end.
        seq = seq.wrapping_add(1);
    }
    out.push_str(" >");
    Ok(())
}

/// A repair request or reply: `{what} 10.0.0.1 10.0.0.2:3<4:5>` (the
/// source id, the page, the sequence numbers), the words before the
/// first colon printed whatever the length.
fn repair(out: &mut String, b: Bytes, len: u32, what: &str) -> Res<bool> {
    let (name, words) = what.split_at(what.find(':').map_or(0, |i| i + 1));
    out.push_str(name);
    if len < 20 {
        return Ok(false);
    }
    put!(
        out,
        "{words} {} {}<{}:{}>",
        b.ipv4(0)?,
        page(b, 4)?,
        b.be32(12)?,
        b.be32(16)?
    );
    Ok(true)
}

/// An announcement: this page state, the current page, the sequence
/// pointers and the site name.
fn id(out: &mut String, b: Bytes, len: u32) -> Res<bool> {
    out.push_str(" wb-id:");
    // current slot and page, then the page state (slot, page, nid, rsvd)
    if len < 28 {
        return Ok(false);
    }
    put!(
        out,
        " {}/{} (max {}/{}) ",
        b.be32(12)?,
        page(b, 16)?,
        b.be32(0)?,
        page(b, 4)?
    );
    let nid = u32::from(b.be16(24)?);
    let len = len - 28;
    if len < nid * 8 {
        return Ok(false);
    }
    let mut sep = '<';
    let mut at = 28;
    for _ in 0..nid {
        put!(out, "{sep}{}:{}", b.ipv4(at)?, b.be32(at + 4)?);
        sep = ',';
        at += 8;
    }
    out.push_str("> \"");
    for i in 0..(len - nid * 8) as usize {
        print_char(out, b.u8(at + i)?);
    }
    out.push('"');
    Ok(true)
}

/// A page reply: `n` page states, each followed by its `nid` id/offset
/// pairs (`nid`'s first byte, as tcpdump reads it).
fn prep(out: &mut String, b: Bytes, len: u32) -> Res<bool> {
    out.push_str(" wb-prep:");
    if len < 4 {
        return Ok(false);
    }
    let mut n = b.be32(0)?;
    let mut at = 4;
    while n != 0 {
        put!(out, " {}/{}", b.be32(at)?, page(b, at + 4)?);
        let nid = b.u8(at + 12)?;
        at += 16;
        let mut sep = '<';
        for _ in 0..nid {
            put!(out, "{sep}{}:{}", b.ipv4(at)?, b.be32(at + 4)?);
            sep = ',';
            at += 8;
        }
        out.push('>');
        n -= 1;
    }
    Ok(true)
}
