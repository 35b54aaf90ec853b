//! The syntax tree of a pcap-filter expression.
//!
//! The tree stays close to what the user wrote: qualifiers are kept as
//! written (with bare ids already given the qualifiers they inherit, as
//! libpcap does for `tcp port ftp or ftp-data`), and identifiers keep their
//! text where their meaning depends on the qualifiers (`10.1` is a /16
//! network for `host` but a DECnet address for `decnet host`).  Giving the
//! tree a meaning for a link type is the job of [`crate::lower`].
//!
//! Every node carries the byte span of the source it came from, so errors
//! found while lowering can point at the right place.

use std::ops::Range;

/// Byte range in the expression text.
pub type Span = Range<usize>;

/// A boolean filter expression. Its names and addresses borrow their
/// text from the expression's (`'a`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expr<'a> {
    /// Both operands in one box: one allocation for each operator (a
    /// list of 1,000 hosts has 999), not one for each operand.
    And(Box<(Expr<'a>, Expr<'a>)>),
    Or(Box<(Expr<'a>, Expr<'a>)>),
    Not(Box<Expr<'a>>),
    Prim(Prim<'a>, Span),
}

/// A tree whose operands are nodes of its own type: long ones lean left
/// (`a or b or ...` is Or(Or(a, b), ...)), and dropping the chain of a
/// 50,000-way `or` recursively would overflow the stack, so their `Drop`
/// uses [`drop_operands`].
pub(crate) trait Operands: Sized {
    /// The nodes this one is made of, moved out (leaving leaves).
    fn take_operands(&mut self, into: &mut Vec<Self>);
}

/// Drops the operands of `root` with a work list instead of recursion.
pub(crate) fn drop_operands<T: Operands>(root: &mut T) {
    let mut pending = Vec::new();
    root.take_operands(&mut pending);
    while let Some(mut node) = pending.pop() {
        node.take_operands(&mut pending);
    }
}

impl Drop for Expr<'_> {
    fn drop(&mut self) {
        // A primitive (and what the work list left in place of an
        // operand) has nothing to walk.
        if !matches!(self, Expr::Prim(..)) {
            drop_operands(self);
        }
    }
}

impl<'a> Operands for Expr<'a> {
    fn take_operands(&mut self, into: &mut Vec<Self>) {
        // Primitives are dropped where they are, without the work list.
        let mut push = |a: &mut Expr<'a>| {
            if !matches!(a, Expr::Prim(..)) {
                into.push(std::mem::replace(a, Expr::Prim(Prim::Inbound, 0..0)));
            }
        };
        match self {
            Expr::And(ab) | Expr::Or(ab) => {
                push(&mut ab.0);
                push(&mut ab.1);
            }
            Expr::Not(a) => push(a),
            Expr::Prim(..) => {}
        }
    }
}

/// A protocol qualifier (`pname` in libpcap's grammar).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Proto {
    /// `link`, `ether`, `ppp`, `slip`, `fddi`, `tr`, `wlan`.
    Link,
    Ip,
    Arp,
    Rarp,
    Sctp,
    Tcp,
    Udp,
    Icmp,
    Igmp,
    Igrp,
    Pim,
    Vrrp,
    Carp,
    Atalk,
    Aarp,
    Decnet,
    Lat,
    Sca,
    Moprc,
    Mopdl,
    Ip6,
    Icmp6,
    Ah,
    Esp,
    Iso,
    Esis,
    Isis,
    L1,
    L2,
    Iih,
    Lsp,
    Snp,
    Csnp,
    Psnp,
    Clnp,
    Stp,
    Ipx,
    Netbeui,
    Radio,
}

/// A direction qualifier (`dqual`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Dir {
    Src,
    Dst,
    /// `src or dst` / `dst or src`
    SrcOrDst,
    /// `src and dst` / `dst and src`
    SrcAndDst,
    Addr1,
    Addr2,
    Addr3,
    Addr4,
    Ra,
    Ta,
}

/// An address-kind qualifier (`aqual`, plus `proto` and `protochain`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    Host,
    Net,
    Port,
    Portrange,
    Gateway,
    Proto,
    Protochain,
}

/// The qualifiers in front of an id; `None` is libpcap's `Q_DEFAULT`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Quals {
    pub proto: Option<Proto>,
    pub dir: Option<Dir>,
    pub kind: Option<Kind>,
}

/// An identifier after qualifiers (`nid`/`pnum` in libpcap's grammar),
/// its text borrowed from the expression: copying it out was an
/// allocation for each address of a list of hosts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Id<'a> {
    /// A number (decimal, `0x` hex or leading-`0` octal), already converted.
    Num(u32),
    /// A name (`http`, `ftp-data`, `eth0`, a host name), with any leading
    /// backslash escape removed.
    Name(&'a str),
    /// Dotted-decimal text with at least one dot: `10.0.0.1`, `10.1`.
    Hid(&'a str),
    /// An IPv6 address literal.
    Hid6(&'a str),
    /// A MAC address literal (`00:11:22:33:44:55`, `00-11-...`,
    /// `00.11.22.33.44.55`, `0011.2233.4455`).
    Eid(&'a str),
    /// `HID / NUM`
    HidCidr(&'a str, u32),
    /// `HID6 / NUM`
    Hid6Cidr(&'a str, u32),
    /// `HID mask HID`
    HidMask(&'a str, &'a str),
    /// An ARCnet address: `$` and one or two hex digits.
    Aid(&'a str),
    /// `@NAME`: the members of a named set.
    Set(&'a str),
}

/// The operator of `byte N OP V`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ByteOp {
    /// `&`: true when `byte & V` is non-zero.
    And,
    /// `|`: true when `byte | V` is non-zero.
    Or,
    Lt,
    Gt,
    Eq,
}

/// A comparison operator of a relation (`relop` and `irelop`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RelOp {
    Gt,
    Ge,
    Eq,
    Ne,
    Lt,
    Le,
}

/// A binary arithmetic operator, from the filter language's `arth`
/// expressions to the IR's [`Val::Alu`](crate::ir::Val::Alu). All are
/// unsigned 32-bit operations, as in classic BPF.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ArithOp {
    /// `+`, wrapping.
    Add,
    /// `-`, wrapping.
    Sub,
    /// `*`, wrapping.
    Mul,
    /// `/`; a zero divisor at run time rejects the packet.
    Div,
    /// `%`; a zero divisor at run time rejects the packet.
    Mod,
    /// `&`
    And,
    /// `|`
    Or,
    /// `^`
    Xor,
    /// `<<`; shifts of 32 or more give 0 (as classic BPF's `lsh` does on
    /// Linux).
    Shl,
    /// `>>`, logical; shifts of 32 or more give 0.
    Shr,
}

/// An arithmetic expression (`arth`).  Named constants such as `tcpflags`,
/// `tcp-syn` or `icmp-echo` are already numbers here.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Arith {
    Num(u32),
    /// `len`: the packet's wire length.
    Len,
    /// `proto[index]` or `proto[index:size]`, size 1, 2 or 4.
    Load {
        proto: Proto,
        index: Box<Arith>,
        size: u8,
        span: Span,
    },
    Bin(ArithOp, Box<Arith>, Box<Arith>),
    /// Unary minus.
    Neg(Box<Arith>),
}

/// An LLC frame-kind test after `llc`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LlcKind {
    /// `llc i`: information frames.
    I,
    /// `llc s`: supervisory frames.
    S,
    /// `llc u`: unnumbered frames.
    U,
    /// A supervisory subtype (`rr`, `rnr`, `rej`): the value of the
    /// control field's bits under mask 0x0c.
    SubtypeS(u8),
    /// An unnumbered subtype (`ui`, `ua`, `disc`, `dm`, `sabme`, `test`,
    /// `xid`, `frmr`): the value of the control field under mask 0xef.
    SubtypeU(u8),
}

/// A pf (OpenBSD packet filter log) primitive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Pf {
    /// `on IFNAME` / `ifname IFNAME`
    Ifname(String),
    /// `rset NAME` / `ruleset NAME`
    Ruleset(String),
    /// `rnr NUM` / `rulenum NUM`
    Rulenum(u32),
    /// `srnr NUM` / `subrulenum NUM`
    Subrulenum(u32),
    /// `reason NAME|NUM`, resolved to the reason code.
    Reason(u32),
    /// `action NAME|NUM`, resolved to the action code.
    Action(u32),
}

/// An ATM primitive on SUNATM-like link types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Atm {
    Lane,
    Metac,
    Bcc,
    Oamf4ec,
    Oamf4sc,
    Sc,
    Ilmic,
    Oam,
    Oamf4,
    Connectmsg,
    Metaconnect,
}

/// An ATM header field compared with a value (`vpi 5`, `vci > 32`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AtmField {
    Vpi,
    Vci,
}

/// An SS7 MTP2 frame kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Mtp2 {
    Fisu,
    Lssu,
    Msu,
    Hfisu,
    Hlssu,
    Hmsu,
}

/// An SS7 MTP3 field compared with a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Mtp3Field {
    Sio,
    Opc,
    Dpc,
    Sls,
    Hsio,
    Hopc,
    Hdpc,
    Hsls,
}

/// An 802.11 frame-control test.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Wlan {
    /// `type T`: frame type (0 mgt, 1 ctl, 2 data) in fc bits 2-3, i.e.
    /// the value is already shifted: `T << 2`.
    Type(u8),
    /// `type T subtype S` / `subtype S`: type and subtype already combined
    /// into fc byte 0 bits 2-7: `(T << 2) | (S << 4)`.
    TypeSubtype(u8),
    /// `dir D`: value of fc byte 1 bits 0-1 (0 nods, 1 tods, 2 fromds,
    /// 3 dstods).
    Dir(u8),
}

/// A primitive term.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Prim<'a> {
    /// `[proto] [dir] [kind] id`, e.g. `src host 10.0.0.1`,
    /// `tcp port http`, `ip proto \tcp`, `ip6 protochain 6`.
    Qualified {
        quals: Quals,
        id: Id<'a>,
    },
    /// A protocol name alone: `ip`, `tcp`, `ether` (`rterm: pname`).
    Proto(Proto),
    /// `[proto] broadcast`
    Broadcast(Option<Proto>),
    /// `[proto] multicast`
    Multicast(Option<Proto>),
    /// `less N`
    Less(u32),
    /// `greater N`
    Greater(u32),
    /// `arth relop arth`
    Relation {
        op: RelOp,
        lhs: Arith,
        rhs: Arith,
    },
    Inbound,
    Outbound,
    /// `ifindex N`
    Ifindex(u32),
    /// `vlan [N]`
    Vlan(Option<u32>),
    /// `mpls [N]`
    Mpls(Option<u32>),
    Pppoed,
    /// `pppoes [N]`
    Pppoes(Option<u32>),
    /// `geneve [N]`
    Geneve(Option<u32>),
    /// `vxlan [N]` (libpcap's development branch spells it so; libpcap
    /// 1.10 has no `vxlan`, and bpfcap takes it only with
    /// `CompileOptions::tunnels`).
    Vxlan(Option<u32>),
    /// `inner(EXPR)`: the packet is a tunnel packet and EXPR holds for
    /// the packet it carries (see `lower::tunnel`; also only with
    /// `CompileOptions::tunnels`).
    Inner(Box<Expr<'a>>),
    /// `llc` alone (`None`) or `llc KIND`.
    Llc(Option<LlcKind>),
    Pf(Pf),
    Wlan(Wlan),
    Atm(Atm),
    /// `vpi N`, `vci N` and their relational forms (`vci > 32`).
    AtmField {
        field: AtmField,
        op: RelOp,
        value: u32,
    },
    Mtp2(Mtp2),
    /// `sio N`, `opc N`, ...
    Mtp3 {
        field: Mtp3Field,
        op: RelOp,
        value: u32,
    },
    /// `byte N OP V`: a test on the byte at offset N of the link header.
    Byte {
        index: u32,
        op: ByteOp,
        value: u32,
    },
    /// Any of the primitives matches: `vpi (1 or 2)`, `sio (3 or 5)`.
    AnyOf(Vec<Prim<'a>>),
}
