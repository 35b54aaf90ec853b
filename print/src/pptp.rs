//! Point-to-Point Tunnelling Protocol control messages over TCP 1723
//! (RFC 2637; tcpdump's `pptp_print`).

use crate::ctx::{Bytes, Ctx, Res, put, tok};

const MAGIC_COOKIE: u32 = 0x1a2b_3c4d;

const MSG_TYPES: [&str; 16] = [
    "NOT_DEFINED",
    "SCCRQ",
    "SCCRP",
    "StopCCRQ",
    "StopCCRP",
    "ECHORQ",
    "ECHORP",
    "OCRQ",
    "OCRP",
    "ICRQ",
    "ICRP",
    "ICCN",
    "CCRQ",
    "CDN",
    "WEN",
    "SLI",
];

const BEARER_TYPES: &[(u32, &str)] = &[(1, "A"), (2, "D"), (3, "Any")];
const FRAMING_TYPES: &[(u32, &str)] = &[(1, "A"), (2, "S"), (3, "E")];
const ERR_CODES: &[(u8, &str)] = &[
    (0, "None"),
    (1, "Not-Connected"),
    (2, "Bad-Format"),
    (3, "Bad-Value"),
    (4, "No-Resource"),
    (5, "Bad-Call-ID"),
    (6, "PAC-Error"),
];
const SCCRP_RESULTS: &[(u8, &str)] = &[
    (1, "Successful channel establishment"),
    (2, "General error"),
    (3, "Command channel already exists"),
    (
        4,
        "Requester is not authorized to establish a command channel",
    ),
    (5, "The protocol version of the requester is not supported"),
];
const ECHORP_RESULTS: &[(u8, &str)] = &[(1, "OK"), (2, "General Error")];
const OCRP_RESULTS: &[(u8, &str)] = &[
    (1, "Connected"),
    (2, "General Error"),
    (3, "No Carrier"),
    (4, "Busy"),
    (5, "No Dial Tone"),
    (6, "Time-out"),
    (7, "Do Not Accept"),
];
const ICRP_RESULTS: &[(u8, &str)] = &[(1, "Connect"), (2, "General Error"), (3, "Do Not Accept")];
const CDN_RESULTS: &[(u8, &str)] = &[
    (1, "Lost Carrier"),
    (2, "General Error"),
    (3, "Admin Shutdown"),
    (4, "Request"),
];

/// A reader of one message body: fields print in order, a read past the
/// capture ends the packet (tcpdump's `GET_*`).
struct Msg<'c, 'a, 'p> {
    ctx: &'c mut Ctx<'a>,
    p: &'p [u8],
}

impl Msg<'_, '_, '_> {
    fn u16(&mut self, name: &str, at: usize) -> Res {
        let v = self.p.be16(at)?;
        put!(self.ctx.out, " {name}({v})");
        Ok(())
    }

    fn u32(&mut self, name: &str, at: usize) -> Res {
        let v = self.p.be32(at)?;
        put!(self.ctx.out, " {name}({v})");
        Ok(())
    }

    fn hex32(&mut self, name: &str, at: usize) -> Res {
        let v = self.p.be32(at)?;
        put!(self.ctx.out, " {name}(0x{v:08x})");
        Ok(())
    }

    fn reserved16(&mut self, at: usize) -> Res {
        let v = self.p.be16(at)?;
        if v != 0 {
            put!(self.ctx.out, " [ERROR: reserved={v} must be zero]");
        }
        Ok(())
    }

    fn proto_ver(&mut self, at: usize) -> Res {
        let v = self.p.be16(at)?;
        put!(self.ctx.out, " PROTO_VER({}.{})", v >> 8, v & 0xff);
        Ok(())
    }

    fn result(&mut self, at: usize, table: &[(u8, &'static str)]) -> Res {
        let v = self.p.u8_at(at)?;
        put!(self.ctx.out, " RESULT_CODE({v}");
        if self.ctx.o.verbose > 0 {
            put!(self.ctx.out, ":{}", tok(table, v).unwrap_or("?"));
        }
        self.ctx.s(")");
        Ok(())
    }

    fn err(&mut self, at: usize) -> Res {
        let v = self.p.u8_at(at)?;
        put!(self.ctx.out, " ERR_CODE({v}");
        if self.ctx.o.verbose > 0 {
            put!(self.ctx.out, ":{}", tok(ERR_CODES, v).unwrap_or("?"));
        }
        self.ctx.s(")");
        Ok(())
    }

    /// ` NAME(..)` with the letters of the bits set in the 32 bits at
    /// `at`, in `letters`' order.
    fn caps(&mut self, name: &str, at: usize, letters: &[(u32, &str)]) -> Res {
        let v = self.p.be32(at)?;
        put!(self.ctx.out, " {name}(");
        for &(bit, l) in letters {
            if v & bit != 0 {
                self.ctx.s(l);
            }
        }
        self.ctx.s(")");
        Ok(())
    }

    fn named32(&mut self, name: &str, at: usize, table: &[(u32, &'static str)]) -> Res {
        let v = self.p.be32(at)?;
        put!(self.ctx.out, " {name}({})", tok(table, v).unwrap_or("?"));
        Ok(())
    }

    /// A text field of at most `n` bytes, up to the first NUL, shown
    /// as tcpdump's `nd_printjnp` shows it (a read past the capture ends
    /// the packet after the bytes captured).
    fn text(&mut self, name: &str, at: usize, n: usize) -> Res {
        put!(self.ctx.out, " {name}(");
        for i in 0..n {
            let c = self.p.u8_at(at + i)?;
            if c == 0 {
                break;
            }
            crate::ctx::fn_char(self.ctx.out, c);
        }
        self.ctx.s(")");
        Ok(())
    }

    /// A text field whose length is given at `len_at` (at most `max`).
    fn text_len(&mut self, name: &str, at: usize, len_at: usize, max: u16) -> Res {
        let n = self.p.be16(len_at)?.min(max);
        self.text(name, at, usize::from(n))
    }
}

/// `: pptp CTRL_MSGTYPE=SCCRQ PROTO_VER(1.0) ...`; `p`: the TCP payload.
pub(crate) fn pptp_print(ctx: &mut Ctx<'_>, p: &[u8]) -> Res {
    ctx.proto = "pptp";
    ctx.s(": pptp");
    let v = ctx.o.verbose > 0;
    if v {
        put!(ctx.out, " Length={}", p.be16(0)?);
        ctx.s(match p.be16(2)? {
            1 => " CTRL-MSG",
            2 => " MGMT-MSG",
            _ => " UNKNOWN-MSG-TYPE",
        });
    }
    let mc = p.be32(4)?;
    if mc != MAGIC_COOKIE {
        put!(ctx.out, " UNEXPECTED Magic-Cookie!!({mc:08x})");
    }
    if v || mc != MAGIC_COOKIE {
        put!(ctx.out, " Magic-Cookie={mc:08x}");
    }
    let t = p.be16(8)?;
    match MSG_TYPES.get(usize::from(t)) {
        Some(name) => put!(ctx.out, " CTRL_MSGTYPE={name}"),
        None => put!(ctx.out, " UNKNOWN_CTRL_MSGTYPE({t})"),
    }
    let reserved0 = p.be16(10)?;
    if reserved0 != 0 {
        put!(ctx.out, " [ERROR: reserved={reserved0} must be zero]");
    }
    body(&mut Msg { ctx, p: p.from(12) }, t)
}

fn body(m: &mut Msg<'_, '_, '_>, t: u16) -> Res {
    match t {
        1 | 2 => {
            m.proto_ver(0)?;
            if t == 1 {
                m.reserved16(2)?;
            } else {
                m.result(2, SCCRP_RESULTS)?;
                m.err(3)?;
            }
            m.caps("FRAME_CAP", 4, &[(1, "A"), (2, "S")])?;
            m.caps("BEARER_CAP", 8, &[(2, "D"), (1, "A")])?;
            m.u16("MAX_CHAN", 12)?;
            m.u16("FIRM_REV", 14)?;
            m.text("HOSTNAME", 16, 64)?;
            m.text("VENDOR", 80, 64)?;
        }
        3 => {
            let r = m.p.u8_at(0)?;
            put!(m.ctx.out, " REASON({r}");
            if m.ctx.o.verbose > 0 {
                m.ctx.s(match r {
                    1 => ":None",
                    2 => ":Stop-Protocol",
                    3 => ":Stop-Local-Shutdown",
                    _ => ":?",
                });
            }
            m.ctx.s(")");
            let r1 = m.p.u8_at(1)?;
            if r1 != 0 {
                put!(m.ctx.out, " [ERROR: reserved={r1} must be zero]");
            }
            m.reserved16(2)?;
        }
        4 => {
            m.result(0, ECHORP_RESULTS)?;
            m.err(1)?;
            m.reserved16(2)?;
        }
        5 => m.u32("ID", 0)?,
        6 => {
            m.u32("ID", 0)?;
            m.result(4, ECHORP_RESULTS)?;
            m.err(5)?;
            m.reserved16(6)?;
        }
        7 => {
            m.u16("CALL_ID", 0)?;
            m.u16("CALL_SER_NUM", 2)?;
            m.u32("MIN_BPS", 4)?;
            m.u32("MAX_BPS", 8)?;
            m.named32("BEARER_TYPE", 12, BEARER_TYPES)?;
            m.named32("FRAME_TYPE", 16, FRAMING_TYPES)?;
            m.u16("RECV_WIN", 20)?;
            m.u16("PROC_DELAY", 22)?;
            m.u16("PHONE_NO_LEN", 24)?;
            m.reserved16(26)?;
            m.text_len("PHONE_NO", 28, 24, 64)?;
            m.text("SUB_ADDR", 92, 64)?;
        }
        8 => {
            m.u16("CALL_ID", 0)?;
            m.u16("PEER_CALL_ID", 2)?;
            m.result(4, OCRP_RESULTS)?;
            m.err(5)?;
            m.u16("CAUSE_CODE", 6)?;
            m.u32("CONN_SPEED", 8)?;
            m.u16("RECV_WIN", 12)?;
            m.u16("PROC_DELAY", 14)?;
            m.u32("PHY_CHAN_ID", 16)?;
        }
        9 => {
            m.u16("CALL_ID", 0)?;
            m.u16("CALL_SER_NUM", 2)?;
            m.named32("BEARER_TYPE", 4, BEARER_TYPES)?;
            m.u32("PHY_CHAN_ID", 8)?;
            m.u16("DIALED_NO_LEN", 12)?;
            m.u16("DIALING_NO_LEN", 14)?;
            m.text_len("DIALED_NO", 16, 12, 64)?;
            m.text_len("DIALING_NO", 80, 14, 64)?;
            m.text("SUB_ADDR", 144, 64)?;
        }
        10 => {
            m.u16("CALL_ID", 0)?;
            m.u16("PEER_CALL_ID", 2)?;
            m.result(4, ICRP_RESULTS)?;
            m.err(5)?;
            m.u16("RECV_WIN", 6)?;
            m.u16("PROC_DELAY", 8)?;
            m.reserved16(10)?;
        }
        11 => {
            m.u16("PEER_CALL_ID", 0)?;
            m.reserved16(2)?;
            m.u32("CONN_SPEED", 4)?;
            m.u16("RECV_WIN", 8)?;
            m.u16("PROC_DELAY", 10)?;
            m.named32("FRAME_TYPE", 12, FRAMING_TYPES)?;
        }
        12 => {
            m.u16("CALL_ID", 0)?;
            m.reserved16(2)?;
        }
        13 => {
            m.u16("CALL_ID", 0)?;
            m.result(2, CDN_RESULTS)?;
            m.err(3)?;
            m.u16("CAUSE_CODE", 4)?;
            m.reserved16(6)?;
            m.text("CALL_STATS", 8, 128)?;
        }
        14 => {
            m.u16("PEER_CALL_ID", 0)?;
            m.reserved16(2)?;
            for (i, name) in [
                "CRC_ERR",
                "FRAMING_ERR",
                "HARDWARE_OVERRUN",
                "BUFFER_OVERRUN",
                "TIMEOUT_ERR",
                "ALIGN_ERR",
            ]
            .into_iter()
            .enumerate()
            {
                m.u32(name, 4 + 4 * i)?;
            }
        }
        15 => {
            m.u16("PEER_CALL_ID", 0)?;
            m.reserved16(2)?;
            m.hex32("SEND_ACCM", 4)?;
            m.hex32("RECV_ACCM", 8)?;
        }
        _ => {}
    }
    Ok(())
}
