//! The link-layer printers (tcpdump's `*_if_print`): each prints its
//! header (with -e, or when nothing above it is decoded) and hands the
//! payload on; each returns its header length, which -x leaves out.

mod ieee80211;
mod null;
mod raw;
mod serial;
mod sll;

pub(crate) use null::BSD_AF;

use bpfcap_filter::LinkType;

use crate::ctx::{Ctx, Res, Trunc};
use crate::ether::SwitchTag;

/// Prints one packet for link type `link`; returns the link header length.
pub(crate) fn print(ctx: &mut Ctx<'_>, link: LinkType, wirelen: u32, data: &[u8]) -> usize {
    let mut hdrlen = 0;
    let r = dispatch(ctx, link, wirelen, data, &mut hdrlen);
    if r == Err(Trunc) {
        // As tcpdump after its longjmp: the mark, and the dumps show the
        // whole packet.
        ctx.explicit_trunc();
        return 0;
    }
    hdrlen
}

fn dispatch(
    ctx: &mut Ctx<'_>,
    link: LinkType,
    wirelen: u32,
    data: &[u8],
    hdrlen: &mut usize,
) -> Res {
    match link.0 {
        1 => crate::ether::if_print(ctx, data, wirelen, hdrlen),
        113 => sll::sll_if_print(ctx, data, wirelen, hdrlen),
        276 => sll::sll2_if_print(ctx, data, wirelen, hdrlen),
        0 => null::null_if_print(ctx, data, wirelen, hdrlen, false),
        108 => null::null_if_print(ctx, data, wirelen, hdrlen, true),
        12 | 14 | 101 | 228 | 229 => raw::raw_if_print(ctx, data, wirelen),
        104 => serial::chdlc_print(ctx, data, wirelen, hdrlen),
        9 => serial::ppp_if_print(ctx, data, wirelen, hdrlen),
        107 => serial::fr_print(ctx, data, wirelen, hdrlen),
        117 => serial::pflog_print(ctx, data, wirelen, hdrlen),
        226 => serial::ipnet_print(ctx, data, wirelen, hdrlen),
        242 => serial::ipoib_print(ctx, data, wirelen, hdrlen),
        129 => serial::arcnet_linux_print(ctx, data, wirelen, hdrlen),
        271 => serial::vsock_print(ctx, data, hdrlen),
        239 => serial::nflog_print(ctx, data, wirelen, hdrlen),
        105 => ieee80211::plain(ctx, data, wirelen, hdrlen),
        284 => crate::ether::ether_common(ctx, data, wirelen, hdrlen, SwitchTag::Dsa),
        285 => crate::ether::ether_common(ctx, data, wirelen, hdrlen, SwitchTag::Edsa),
        281 => crate::ether::ether_common(ctx, data, wirelen, hdrlen, SwitchTag::Brcm),
        282 => {
            ctx.proto = "brcm";
            if data.len() < 4 {
                *hdrlen = data.len();
                return ctx.trunc();
            }
            if ctx.o.link_header {
                crate::ether::brcm_tag(ctx, &data[..4]);
            }
            let mut h = 0;
            let r = crate::ether::ether_print(ctx, &data[4..], wirelen.saturating_sub(4), &mut h);
            *hdrlen = 4 + h;
            r
        }
        127 => ieee80211::radiotap(ctx, data, wirelen, hdrlen),
        _ => {
            // Dumped even under -x/-X/-A, which dump it once more.
            ctx.s("UNSUPPORTED");
            crate::hex::hex_and_ascii(ctx.out, data, 0);
            Ok(())
        }
    }
}
