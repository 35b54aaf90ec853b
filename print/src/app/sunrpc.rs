//! Sun RPC over UDP as `-T rpc` prints it (print-sunrpc.c's
//! `sunrpc_print` for calls, print-nfs.c's `nfsreply_print` for
//! anything else): one line of addresses with the transaction id in the
//! place of a port, the payload length, and the procedure or the reply's
//! status. They write the addresses themselves, not the UDP printer.
//!
//! tcpdump interprets an accepted reply further only when it saw the
//! NFS request of its transaction id (its `xid_map`, filled by the NFS
//! request printer this crate does not have); so does this printer never.

use super::{Bytes, Res, put, tok};
use crate::ctx::Ctx;
use crate::ip::IpInfo;

/// The portmapper's procedures (`proc2str`).
const PMAP_PROCS: &[(u32, &str)] = &[
    (0, "null"),
    (1, "set"),
    (2, "unset"),
    (3, "getport"),
    (4, "dump"),
    (5, "call"),
];

/// `sunrpc_auth_str`: why a reply denied a call for its credentials.
const AUTH_ERRORS: &[(u32, &str)] = &[
    (0, "OK"),
    (1, "Bogus Credentials (seal broken)"),
    (2, "Rejected Credentials (client should begin new session)"),
    (3, "Bogus Verifier (seal broken)"),
    (4, "Verifier expired or was replayed"),
    (5, "Credentials are too weak"),
    (6, "Bogus response verifier"),
    (7, "Unknown failure"),
];

/// The fixed part of a message tcpdump checks before a call: xid,
/// direction and the larger of the call and reply bodies.
const MSG_SIZE: usize = 32;

/// `-T rpc` over UDP: a call (direction 0) or a reply. The direction is
/// read first, by the UDP printer (` [|udp]` when it was not captured).
pub(crate) fn print(ctx: &mut Ctx<'_>, b: Bytes, length: u32, ip: Option<&IpInfo<'_>>) -> Res {
    if b.be32(4)? == 0 {
        call(ctx, b, length, ip)
    } else {
        reply(ctx, b, length, ip)
    }
}

/// `{src}.{sid} > {dst}.{did}: ` as `sunrpc_print` and `nfsaddr_print`
/// write it; `?` for addresses of no IP header.
fn addresses(ctx: &mut Ctx<'_>, ip: Option<&IpInfo<'_>>, sid: &str, did: &str) -> Res {
    let (s, d) = match ip {
        Some(ip) => (ip.src(ctx)?, ip.dst(ctx)?),
        None => ("?".to_string(), "?".to_string()),
    };
    put!(ctx.out, "{s}.{sid} > {d}.{did}: ");
    Ok(())
}

/// `sunrpc_print`: `10.0.0.1.0x1234 > 10.0.0.2.0x6f: 56 getport 100000.2`
/// (`.sunrpc` and `#100000` without -n: tcpdump 4.99 as packaged has no
/// `getrpcbynumber`).
fn call(ctx: &mut Ctx<'_>, b: Bytes, length: u32, ip: Option<&IpInfo<'_>>) -> Res {
    ctx.proto = "sunrpc";
    b.get(0, MSG_SIZE)?;
    let numeric = ctx.o.numeric > 0;
    let xid = format!("0x{:x}", b.be32(0)?);
    addresses(ctx, ip, &xid, if numeric { "0x6f" } else { "sunrpc" })?;
    put!(ctx.out, "{length}");
    let proc = b.be32(20)?;
    match tok(PMAP_PROCS, proc) {
        Some(name) => put!(ctx.out, " {name}"),
        None => put!(ctx.out, "  proc #{proc}"),
    }
    let rpcvers = b.be32(8)?;
    if rpcvers != 2 {
        put!(ctx.out, " [rpcver {rpcvers}]");
    }
    if matches!(proc, 1 | 2 | 3 | 5) {
        let prog = b.be32(12)?;
        let mark = if numeric { "" } else { "#" };
        put!(ctx.out, " {mark}{prog}.{}", b.be32(16)?);
    }
    Ok(())
}

/// `nfsreply_print`: `10.0.0.2.2049 > 10.0.0.1.305419896: reply ok 28`
/// (`.nfs` without -n); a reply cut short ends with `nd_print_trunc`.
fn reply(ctx: &mut Ctx<'_>, b: Bytes, length: u32, ip: Option<&IpInfo<'_>>) -> Res {
    ctx.proto = "nfs";
    let xid = b.be32(0)?.to_string();
    let sid = if ctx.o.numeric > 0 { "2049" } else { "nfs" };
    addresses(ctx, ip, sid, &xid)?;
    if reply_status(ctx, b, length).is_err() {
        ctx.explicit_trunc();
    }
    Ok(())
}

fn reply_status(ctx: &mut Ctx<'_>, b: Bytes, length: u32) -> Res {
    match b.be32(8)? {
        0 => put!(ctx.out, "reply ok {length}"),
        1 => {
            put!(ctx.out, "reply ERR {length}: ");
            match b.be32(12)? {
                0 => {
                    let (low, high) = (b.be32(16)?, b.be32(20)?);
                    put!(ctx.out, "RPC Version mismatch ({low}-{high})");
                }
                1 => {
                    let why = b.be32(16)?;
                    match tok(AUTH_ERRORS, why) {
                        Some(text) => put!(ctx.out, "Auth {text}"),
                        None => put!(ctx.out, "Auth Invalid failure code {why}"),
                    }
                }
                other => put!(ctx.out, "Unknown reason for rejecting rpc message {other}"),
            }
        }
        other => put!(ctx.out, "reply Unknown rpc response code={other} {length}"),
    }
    Ok(())
}
