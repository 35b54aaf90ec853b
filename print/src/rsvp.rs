//! RSVP (IP protocol 46): the common header as tcpdump's `rsvp_print`
//! prints it without -v (the objects are decoded with -v only; not done
//! here).

use crate::ctx::{Ctx, Res, put, tok};

const MSG_TYPES: &[(u8, &str)] = &[
    (1, "Path"),
    (2, "Resv"),
    (3, "PathErr"),
    (4, "ResvErr"),
    (5, "PathTear"),
    (6, "ResvTear"),
    (7, "ResvConf"),
    (12, "Bundle"),
    (13, "Acknowledgement"),
    (14, "Hello (Old)"),
    (15, "Refresh"),
    (20, "Hello"),
];

/// `RSVPv1 Path Message, length: 24`.
pub(crate) fn rsvp_print(ctx: &mut Ctx<'_>, p: &[u8], len: u32) -> Res {
    ctx.proto = "rsvp";
    if p.len() < 8 {
        return ctx.trunc();
    }
    let version = p[0] >> 4;
    if version != 1 {
        put!(
            ctx.out,
            "ERROR: RSVP version {version} packet not supported"
        );
        return Ok(());
    }
    match tok(MSG_TYPES, p[1]) {
        Some(t) => put!(ctx.out, "RSVPv{version} {t} Message, length: {len}"),
        None => put!(
            ctx.out,
            "RSVPv{version} unknown ({}) Message, length: {len}",
            p[1]
        ),
    }
    Ok(())
}
