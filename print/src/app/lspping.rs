//! MPLS LSP ping (RFC 4379) over UDP 3503: the common header as
//! tcpdump's `lspping_print` prints it without -v (the TLVs are decoded
//! with -v only; not done here).

use super::{Bytes, Ctx, Res, put, tok};

/// The common header's size.
const HEADER: u32 = 32;

const MSG_TYPES: &[(u8, &str)] = &[(1, "MPLS Echo Request"), (2, "MPLS Echo Reply")];

/// `LSP-PINGv1, MPLS Echo Request, seq 5, length: 32`.
pub(crate) fn print(out: &mut String, _cx: &Ctx, b: Bytes, len: u32) -> Res {
    if len < HEADER {
        out.push_str("\n\t\t packet is too short");
        return Ok(());
    }
    b.get(0, HEADER as usize)?;
    let version = b.be16(0)?;
    if version != 1 {
        put!(out, "LSP-PING version {version} packet not supported");
        return Ok(());
    }
    let t = b.u8(4)?;
    match tok(MSG_TYPES, t) {
        Some(name) => put!(out, "LSP-PINGv{version}, {name}"),
        None => put!(out, "LSP-PINGv{version}, unknown ({t})"),
    }
    put!(out, ", seq {}, length: {len}", b.be32(12)?);
    Ok(())
}
