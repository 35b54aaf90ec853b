//! Cisco Hot Standby Router Protocol, version 0 (tcpdump's `hsrp_print`).

use super::{Bytes, Ctx, Res, printjnp, put, relts, tok};

const STATES: &[(u8, &str)] = &[
    (0, "initial"),
    (1, "learn"),
    (2, "listen"),
    (4, "speak"),
    (8, "standby"),
    (16, "active"),
];

/// `HSRPv0-hello 20: state=active group=1 addr=192.0.2.1`.
pub(crate) fn print(out: &mut String, cx: &Ctx, b: Bytes, length: u32) -> Res {
    let version = b.u8(0)?;
    put!(out, "HSRPv{version}");
    if version != 0 {
        return Ok(());
    }
    out.push('-');
    match b.u8(1)? {
        0 => out.push_str("hello "),
        1 => out.push_str("coup "),
        2 => out.push_str("resign "),
        op => put!(out, "unknown ({op}) "),
    }
    put!(out, "{length}: ");
    let state = b.u8(2)?;
    match tok(STATES, state) {
        Some(s) => put!(out, "state={s} "),
        None => put!(out, "state=Unknown ({state}) "),
    }
    put!(out, "group={} ", b.u8(6)?);
    let reserved = b.u8(7)?;
    if reserved != 0 {
        put!(out, "[reserved={reserved}!] ");
    }
    put!(out, "addr={}", b.ipv4(16)?);
    if cx.verbose > 0 {
        out.push_str(" hellotime=");
        relts(out, u32::from(b.u8(3)?));
        out.push_str(" holdtime=");
        relts(out, u32::from(b.u8(4)?));
        put!(out, " priority={}", b.u8(5)?);
        out.push_str(" auth=\"");
        printjnp(out, b, 8, 8)?;
        out.push('"');
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{app, app_len, hex};

    const HELLO: &str = "0000 1003 0a64 0100 63697363 6f000000 c0a80001";

    #[test]
    fn hello() {
        let p = hex(HELLO);
        assert_eq!(
            app(0, 1985, 1985, &p),
            "HSRPv0-hello 20: state=active group=1 addr=192.168.0.1"
        );
        assert_eq!(
            app(1, 1985, 1985, &p),
            "HSRPv0-hello 20: state=active group=1 addr=192.168.0.1 \
             hellotime=3s holdtime=10s priority=100 auth=\"cisco\""
        );
    }

    #[test]
    fn truncated() {
        let p = hex("0003 0000 0000 0200 00000000 00000000");
        assert_eq!(
            app_len(0, 1985, 1985, &p, 16),
            "HSRPv0-unknown (3) 16: state=initial group=2  [|hsrp]"
        );
    }
}
