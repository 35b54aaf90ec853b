//! The Redis serialization protocol on TCP port 6379 (print-resp.c):
//! simple strings, errors, integers, bulk strings and arrays, pipelined.

use crate::ctx::{Ctx, Res, Trunc};

/// Failure of a parse: the packet ends with ` [|resp]`, after the
/// printer's return (`Parse`) or, for a byte read past the capture,
/// tcpdump's `GET_U_1` longjmp (`Read`: the dumps then show it all).
enum Stop {
    Parse,
    Read,
}

type R<T> = Result<T, Stop>;

fn byte(p: &[u8], at: usize) -> R<u8> {
    p.get(at).copied().ok_or(Stop::Read)
}

/// ` "text"`, characters as tcpdump's `fn_print_char`.
fn segment(ctx: &mut Ctx<'_>, p: &[u8], at: usize, len: usize) -> R<()> {
    let s = p.get(at..at + len).ok_or(Stop::Parse)?;
    ctx.s(" \"");
    for &c in s {
        crate::ctx::fn_char(ctx.out, c);
    }
    ctx.out.push('"');
    Ok(())
}

/// `resp_get_length`: (value or code, bytes consumed). Codes: -1 null,
/// -2 truncated, -3 too large, -4 negative and not -1, -5 invalid.
fn get_length(p: &[u8], start: usize, mut len: usize) -> R<(i64, usize)> {
    let mut at = start;
    if len == 0 {
        return Ok((-2, 0));
    }
    let mut neg = false;
    if byte(p, at)? == b'-' {
        neg = true;
        at += 1;
        len -= 1;
    }
    let mut result: i64 = 0;
    let mut saw_digit = false;
    let mut too_large = false;
    loop {
        if len == 0 {
            return Ok((-2, at - start));
        }
        let c = byte(p, at)?;
        if !c.is_ascii_digit() {
            if !saw_digit {
                return Ok((-5, at + 1 - start));
            }
            break;
        }
        let d = i64::from(c - b'0');
        if result > i64::from(i32::MAX) / 10 {
            too_large = true;
        } else {
            result *= 10;
            if result == (i64::from(i32::MAX) / 10) * 10 && d > i64::from(i32::MAX) % 10 {
                too_large = true;
            } else {
                result += d;
            }
        }
        at += 1;
        len -= 1;
        saw_digit = true;
    }
    if byte(p, at)? != b'\r' {
        return Ok((-5, at + 1 - start));
    }
    at += 1;
    len -= 1;
    if len == 0 {
        return Ok((-2, at - start));
    }
    if byte(p, at)? != b'\n' {
        return Ok((-5, at + 1 - start));
    }
    at += 1;
    if neg {
        if too_large || result != 1 {
            return Ok((-4, at - start));
        }
        return Ok((-1, at - start));
    }
    Ok((if too_large { -3 } else { result }, at - start))
}

fn bad_length(ctx: &mut Ctx<'_>, code: i64) -> R<()> {
    match code {
        -1 => ctx.s(" null"),
        -2 => return Err(Stop::Parse),
        -3 => ctx.s(" length too large"),
        -4 => ctx.s(" length negative and not -1"),
        _ => ctx.s(" invalid"),
    }
    Ok(())
}

/// One value at `at`; returns the bytes it took.
fn parse(ctx: &mut Ctx<'_>, p: &[u8], at: usize, length: usize) -> R<usize> {
    if length < 1 {
        return Err(Stop::Parse);
    }
    match byte(p, at)? {
        b'+' | b':' | b'-' => {
            let mut i = at + 1;
            let mut len = length - 1;
            loop {
                if len < 2 {
                    return Err(Stop::Parse);
                }
                if byte(p, i)? == b'\r' && byte(p, i + 1)? == b'\n' {
                    break;
                }
                i += 1;
                len -= 1;
            }
            segment(ctx, p, at + 1, i - at - 1)?;
            Ok(i - at + 2)
        }
        b'$' => {
            let (n, used) = get_length(p, at + 1, length - 1)?;
            let mut i = at + 1 + used;
            let mut len = length - 1 - used;
            if n < 0 {
                bad_length(ctx, n)?;
                return Ok(1 + used);
            }
            let n = n as usize;
            if n == 0 {
                ctx.s(" empty");
            } else {
                if len < n {
                    return Err(Stop::Parse);
                }
                segment(ctx, p, i, n)?;
                i += n;
                len -= n;
            }
            if len < 2 || p.get(i..i + 2).is_none() {
                return Err(Stop::Parse);
            }
            if p[i] != b'\r' || p[i + 1] != b'\n' {
                ctx.s(" invalid");
                return Ok(i - at);
            }
            Ok(i + 2 - at)
        }
        b'*' => {
            let (n, used) = get_length(p, at + 1, length - 1)?;
            let mut i = at + 1 + used;
            let mut len = length - 1 - used;
            if n <= 0 {
                if n == 0 {
                    ctx.s(" empty");
                } else {
                    bad_length(ctx, n)?;
                }
                return Ok(1 + used);
            }
            for _ in 0..n {
                let r = parse(ctx, p, i, len)?;
                i += r;
                len = len.saturating_sub(r);
            }
            Ok(i - at)
        }
        _ => {
            let mut i = at;
            let mut len = length;
            loop {
                if len == 0 {
                    return Err(Stop::Parse);
                }
                let c = byte(p, i)?;
                if c == b'\r' || c == b'\n' {
                    break;
                }
                i += 1;
                len -= 1;
            }
            if i > at {
                segment(ctx, p, at, i - at)?;
            }
            let mut found = false;
            loop {
                if len == 0 || i >= p.len() {
                    if found {
                        break;
                    }
                    return Err(Stop::Parse);
                }
                if p[i] != b'\r' && p[i] != b'\n' {
                    break;
                }
                found = true;
                i += 1;
                len -= 1;
            }
            Ok(i - at)
        }
    }
}

/// `resp_print`.
pub(crate) fn resp_print(ctx: &mut Ctx<'_>, p: &[u8], length: u32) -> Res {
    ctx.proto = "resp";
    ctx.s(": RESP");
    let mut length = length as usize;
    let mut at = 0;
    while length > 0 {
        match parse(ctx, p, at, length) {
            Ok(n) if n > 0 => {
                at += n;
                length = length.saturating_sub(n);
            }
            Err(Stop::Read) => return Err(Trunc),
            _ => {
                ctx.explicit_trunc();
                return Ok(());
            }
        }
    }
    Ok(())
}
