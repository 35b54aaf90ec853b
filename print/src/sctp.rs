//! SCTP (print-sctp.c): the common header, each chunk, and the ForCES
//! message type when the ports or PPID say ForCES (print-forces.c).

use crate::ctx::{Bytes, Ctx, Res, Trunc, put, tok};
use crate::ip::IpInfo;

const CHUNKS: &[(u8, &str)] = &[
    (0, "DATA"),
    (1, "INIT"),
    (2, "INIT ACK"),
    (3, "SACK"),
    (4, "HB REQ"),
    (5, "HB ACK"),
    (6, "ABORT"),
    (7, "SHUTDOWN"),
    (8, "SHUTDOWN ACK"),
    (9, "OP ERR"),
    (10, "COOKIE ECHO"),
    (11, "COOKIE ACK"),
    (12, "ECN ECHO"),
    (13, "ECN CWR"),
    (14, "SHUTDOWN COMPLETE"),
    (0xc0, "FOR CUM TSN"),
    (0xc1, "REL CTRL"),
    (0xc2, "REL CTRL ACK"),
];

const PPIDS: &[(u32, &str)] = &[
    (1, "ISDN Q.921"),
    (2, "M2UA"),
    (3, "M3UA"),
    (4, "SUA"),
    (5, "M2PA"),
    (6, "V5.2"),
    (7, "H.248"),
    (8, "BICC"),
    (9, "TALI"),
    (10, "DUA"),
    (11, "ASAP"),
    (12, "ENRP"),
    (13, "H.323"),
    (14, "Q.IPC"),
    (15, "SIMCO"),
    (16, "DDP Segment"),
    (17, "DDP Stream"),
    (18, "S1AP"),
    (19, "RUA"),
    (20, "HNBAP"),
    (21, "ForCES HP"),
    (22, "ForCES MP"),
    (23, "ForCES LP"),
    (24, "SBc-AP"),
    (25, "NBAP"),
    (27, "X2AP"),
    (28, "IRCP"),
    (29, "LCS-AP"),
    (30, "MPICH2"),
    (31, "SABP"),
    (32, "FGP"),
    (33, "PPP"),
    (34, "CALCAPP"),
    (35, "SSP"),
    (36, "NPMP-CTRL"),
    (37, "NPMP-DATA"),
];

const FORCES_CHANNELS: &[(u16, &str)] = &[
    (6704, "ForCES HP"),
    (6705, "ForCES MP"),
    (6706, "ForCES LP"),
];

const FORCES_TYPES: &[(u8, &str)] = &[
    (0x01, "Association Setup"),
    (0x02, "Association TearDown"),
    (0x03, "Config"),
    (0x04, "Query"),
    (0x05, "Event Notification"),
    (0x06, "Packet Redirect"),
    (0x0f, "HeartBeat"),
    (0x11, "Association Response"),
    (0x13, "Config Response"),
    (0x14, "Query Response"),
];

/// `sctp_print`.
pub(crate) fn sctp_print(ctx: &mut Ctx<'_>, p: &[u8], length: u32, ip: IpInfo<'_>) -> Res {
    ctx.proto = "sctp";
    if length < 12 {
        put!(ctx.out, "truncated-sctp - {} bytes missing!", 12 - length);
        return Ok(());
    }
    p.sub(0, 12)?;
    let sport = p.be16(0)?;
    let dport = p.be16(2)?;
    let (s, d) = (ip.src(ctx)?, ip.dst(ctx)?);
    put!(ctx.out, "{s}.{sport} > {d}.{dport}: sctp");
    let mut forces = false;
    for port in [sport, dport] {
        if let Some(n) = tok(FORCES_CHANNELS, port) {
            put!(ctx.out, "[{n}]");
            forces = true;
        }
    }
    let mut at = 12usize;
    let mut remaining = length as usize - 12;
    let mut sep = if ctx.o.verbose >= 2 { "\n\t" } else { " (" };
    let mut count = 0;
    while remaining != 0 {
        count += 1;
        if remaining < 4 {
            put!(
                ctx.out,
                "{sep}{count}) [chunk descriptor cut off at end of packet]"
            );
            break;
        }
        p.sub(at, 4)?;
        let clen = usize::from(p.be16(at + 2)?);
        if clen < 4 {
            put!(
                ctx.out,
                "{sep}{count}) [Bad chunk length {clen}, < size of chunk descriptor]"
            );
            break;
        }
        let align = (4 - clen % 4) % 4;
        if remaining < align {
            put!(
                ctx.out,
                "{sep}{count}) [Bad chunk length {clen}, > remaining data in packet]"
            );
            break;
        }
        p.sub(at, clen)?;
        let id = p.u8_at(at)?;
        let flags = p.u8_at(at + 1)?;
        let mut body = at + 4;
        remaining = remaining.saturating_sub(4);
        let mut crem = clen - 4;
        put!(ctx.out, "{sep}{count}) ");
        match tok(CHUNKS, id) {
            Some(n) => put!(ctx.out, "[{n}] "),
            None => put!(ctx.out, "[Unknown chunk type: 0x{id:x}] "),
        }
        let bogus = |ctx: &mut Ctx<'_>| put!(ctx.out, "bogus chunk length {clen}]");
        match id {
            0 => {
                ctx.words(u32::from(flags), &[(4, "(U)"), (2, "(B)"), (1, "(E)")]);
                if flags & 7 != 0 {
                    ctx.s(" ");
                }
                if crem < 12 {
                    bogus(ctx);
                    return Ok(());
                }
                let ppid = p.be32(body + 8)?;
                put!(ctx.out, "[TSN: {}] ", p.be32(body)?);
                put!(ctx.out, "[SID: {}] ", p.be16(body + 4)?);
                put!(ctx.out, "[SSEQ {}] ", p.be16(body + 6)?);
                match tok(PPIDS, ppid) {
                    Some(n) => put!(ctx.out, "[PPID {n}] "),
                    None => put!(ctx.out, "[PPID 0x{ppid:x}] "),
                }
                forces = forces || (21..=23).contains(&ppid);
                body += 12;
                remaining = remaining.saturating_sub(12);
                crem -= 12;
                if crem == 0 {
                    bogus(ctx);
                    return Ok(());
                }
                if forces {
                    forces_print(ctx, p.from(body), crem)?;
                    ctx.proto = "sctp";
                } else if ctx.o.verbose >= 2 {
                    ctx.s("[Payload");
                    if !ctx.suppress_default_print() {
                        ctx.s(":");
                        let b = p.sub(body, crem)?;
                        crate::hex::hex_and_ascii(ctx.out, b, 0);
                    }
                    ctx.s("]");
                }
                body += crem;
                remaining = remaining.saturating_sub(crem);
                crem = 0;
            }
            1 | 2 => {
                if crem < 16 {
                    bogus(ctx);
                    return Ok(());
                }
                put!(ctx.out, "[init tag: {}] ", p.be32(body)?);
                put!(ctx.out, "[rwnd: {}] ", p.be32(body + 4)?);
                put!(ctx.out, "[OS: {}] ", p.be16(body + 8)?);
                put!(ctx.out, "[MIS: {}] ", p.be16(body + 10)?);
                put!(ctx.out, "[init TSN: {}] ", p.be32(body + 12)?);
                body += 16;
                remaining = remaining.saturating_sub(16);
                crem -= 16;
            }
            3 => {
                if crem < 12 {
                    bogus(ctx);
                    return Ok(());
                }
                let cum = p.be32(body)?;
                let gaps = p.be16(body + 8)?;
                let dups = p.be16(body + 10)?;
                put!(ctx.out, "[cum ack {cum}] ");
                put!(ctx.out, "[a_rwnd {}] ", p.be32(body + 4)?);
                put!(ctx.out, "[#gap acks {gaps}] ");
                put!(ctx.out, "[#dup tsns {dups}] ");
                body += 12;
                remaining = remaining.saturating_sub(12);
                crem -= 12;
                let mut n = 0;
                while crem != 0 && n < gaps {
                    if crem < 4 {
                        bogus(ctx);
                        return Ok(());
                    }
                    let start = cum.wrapping_add(u32::from(p.be16(body)?));
                    let end = cum.wrapping_add(u32::from(p.be16(body + 2)?));
                    n += 1;
                    put!(
                        ctx.out,
                        "\n\t\t[gap ack block #{n}: start = {start}, end = {end}] "
                    );
                    body += 4;
                    remaining = remaining.saturating_sub(4);
                    crem -= 4;
                }
                let mut n = 0;
                while crem != 0 && n < dups {
                    if crem < 4 {
                        bogus(ctx);
                        return Ok(());
                    }
                    n += 1;
                    put!(ctx.out, "\n\t\t[dup TSN #{n}: {}] ", p.be32(body)?);
                    body += 4;
                    remaining = remaining.saturating_sub(4);
                    crem -= 4;
                }
            }
            _ => {
                body += crem;
                remaining = remaining.saturating_sub(crem);
                crem = 0;
            }
        }
        body += crem;
        remaining = remaining.saturating_sub(crem);
        if ctx.o.verbose < 2 {
            sep = ", (";
        }
        if align != 0 {
            p.sub(body, align).map_err(|_| Trunc)?;
            body += align;
            remaining = remaining.saturating_sub(align);
        }
        at = body;
    }
    Ok(())
}

/// The ForCES message type; with -v the header, with -vv its flags (the
/// TLVs -vvv adds are not decoded here).
fn forces_print(ctx: &mut Ctx<'_>, p: &[u8], len: usize) -> Res {
    ctx.proto = "forces";
    let tom = p.u8_at(1)?;
    let Some(name) = tok(FORCES_TYPES, tom) else {
        put!(ctx.out, "Invalid ForCES message type {tom}");
        return Ok(());
    };
    put!(ctx.out, "\n\tForCES {name} ");
    let mlen = usize::from(p.be16(2)?) << 2;
    if !(len >= 24 && mlen >= 24 && mlen == len) {
        put!(
            ctx.out,
            "Illegal ForCES pkt len - min 24, total recvd {len}, advertised {mlen} "
        );
        return Ok(());
    }
    if ctx.o.verbose > 0 {
        let node = |n: u32| match n {
            0..=0x3fff_ffff => "FE",
            0x4000_0000..=0x7fff_ffff => "CE",
            0xc000_0000..=0xffff_ffef => "AllMulticast",
            0xffff_fffd => "AllCEsBroadcast",
            0xffff_fffe => "AllFEsBroadcast",
            0xffff_ffff => "AllBroadcast",
            _ => "ForCESreserved",
        };
        put!(
            ctx.out,
            "\n\tForCES Version {} len {mlen}B flags 0x{:08x} ",
            p.u8_at(0)? >> 4,
            p.be32(20)?
        );
        let (sid, did) = (p.be32(4)?, p.be32(8)?);
        let cor = p
            .sub(12, 8)?
            .iter()
            .fold(0u64, |a, &b| a << 8 | u64::from(b));
        put!(
            ctx.out,
            "\n\tSrcID 0x{sid:x}({}) DstID 0x{did:x}({}) Correlator 0x{cor:x}",
            node(sid),
            node(did)
        );
    }
    if ctx.o.verbose >= 2 {
        let f = p.be32(20)?;
        let ack = ["NoACK", "SuccessACK", "FailureACK", "AlwaysACK"][(f >> 30) as usize & 3];
        let em = [
            "EMReserved",
            "execute-all-or-none",
            "execute-until-failure",
            "continue-execute-on-failure",
        ][(f >> 22) as usize & 3];
        let at = ["Standalone", "2PCtransaction"][(f >> 21) as usize & 1];
        let tp = [
            "StartofTransaction",
            "MiddleofTransaction",
            "EndofTransaction",
            "abort",
        ][(f >> 19) as usize & 3];
        put!(
            ctx.out,
            "\n\tForCES flags:\n\t  {ack}(0x{:x}), prio={}, {em}(0x{:x}),\n\t  {at}(0x{:x}), {tp}(0x{:x})\n",
            f >> 30,
            (f >> 27) & 7,
            (f >> 22) & 3,
            (f >> 21) & 1,
            (f >> 19) & 3
        );
        put!(
            ctx.out,
            "\t  Extra flags: rsv(b5-7) 0x{:x} rsv(b13-31) 0x{:x}\n",
            (f >> 24) & 7,
            f & 0x7ffff
        );
    }
    Ok(())
}
