//! The parser: pcap-filter text → [`Expr`].
//!
//! A recursive-descent parser over the tokens of the `lex` module, following
//! libpcap's yacc grammar (grammar.y) production for production, including
//! its quirks:
//!
//! * `and` and `or` have the same precedence and associate to the left:
//!   `a or b and c` is `(a or b) and c`;
//! * a bare id after `and`/`or` inherits the qualifiers of the term before
//!   it (`tcp port ftp or ftp-data`, `host a or b`), and after a
//!   parenthesised expression the qualifiers in effect before it;
//! * in arithmetic, `%` and `^` have no declared precedence, so yacc
//!   shifts: they bind everything to their right (`a % 3 + 1` is
//!   `a % (3 + 1)`) while binding tighter than any operator to their left.
//!
//! Where the grammar needs more than one token of lookahead (a `(` can open
//! an expression, an arithmetic operand or a list of ids) the parser tries
//! the alternatives in turn.  Syntax errors report the furthest point any
//! alternative reached and what it expected there.

mod lex;

use crate::ast::*;
use crate::error::{Error, ErrorKind, Result};
use lex::{Tok, Token};

/// libpcap's development branch's tunnel keyword, which libpcap 1.10 (and
/// so bpfcap's lexer) reads as an id: the parser takes it as the `vxlan`
/// primitive where an id cannot stand.
const VXLAN: &str = "vxlan";

/// What a syntax error says was expected where an id is not.
const NO_ID: &str = "a host, network, port or protocol";

/// Parentheses and `not`s nested deeper than this are refused rather than
/// risking the stack.
const MAX_DEPTH: usize = 200;

/// Parses a filter expression; `None` for an empty one (accept all).
pub fn parse(input: &str) -> Result<Option<Expr<'_>>> {
    let toks = lex::tokenize(input)?;
    if toks.is_empty() {
        return Ok(None);
    }
    let mut p = Parser {
        toks: &toks,
        pos: 0,
        end: input.len(),
        depth: 0,
        furthest: None,
    };
    let result = p.expr(None).and_then(|(e, _)| {
        if p.pos < toks.len() {
            Err(p.fail("'and', 'or' or the end of the expression"))
        } else {
            Ok(e)
        }
    });
    result.map(Some).map_err(|e| p.best_error(e))
}

/// Widens each of `spans`, the spans of ids in `input`, to take in the
/// qualifiers written right before it (`tcp dst port 80` for the id
/// `80`): how `explain` names primitives. An id that inherits its
/// qualifiers (`443` in `port 80 or 443`) keeps its own span.
pub(crate) fn with_qualifiers<'s>(input: &str, spans: impl Iterator<Item = &'s mut Span>) {
    let Ok(toks) = lex::tokenize(input) else {
        return;
    };
    let qualifier = |t: &Tok| {
        matches!(
            t,
            Tok::Src
                | Tok::Dst
                | Tok::WlanAddr(_)
                | Tok::Pname(_)
                | Tok::Host
                | Tok::Net
                | Tok::Port
                | Tok::Portrange
                | Tok::Proto
                | Tok::Protochain
                | Tok::Gateway
        )
    };
    let direction = |t: &Token| matches!(t.tok, Tok::Src | Tok::Dst);
    for span in spans {
        let Ok(at) = toks.binary_search_by_key(&span.start, |t| t.span.start) else {
            continue;
        };
        let mut first = at;
        while first > 0 {
            let before = &toks[first - 1];
            // `src or dst`, `src and dst`: a joiner between two directions.
            let joins = matches!(before.tok, Tok::And | Tok::Or)
                && first >= 2
                && direction(&toks[first - 2])
                && direction(&toks[first]);
            if !qualifier(&before.tok) && !joins {
                break;
            }
            first -= 1;
        }
        span.start = toks[first].span.start;
    }
}

/// The qualifiers a bare id would inherit at some point; `None` is
/// libpcap's `qerr` (after a relation or a protocol name, nothing to
/// inherit).
type Inherit = Option<Quals>;

struct Parser<'t, 'a> {
    toks: &'t [Token<'a>],
    pos: usize,
    end: usize,
    depth: usize,
    /// The syntax error that got furthest: (token index, expectation).
    furthest: Option<(usize, &'static str)>,
}

fn is_syntax(e: &Error) -> bool {
    e.kind == ErrorKind::Syntax
}

impl<'t, 'a> Parser<'t, 'a> {
    fn peek(&self) -> Option<&'t Tok<'a>> {
        self.toks.get(self.pos).map(|t| &t.tok)
    }

    fn peek_at(&self, n: usize) -> Option<&'t Tok<'a>> {
        self.toks.get(self.pos + n).map(|t| &t.tok)
    }

    fn span_at(&self, i: usize) -> Span {
        self.toks
            .get(i)
            .map(|t| t.span.clone())
            .unwrap_or(self.end..self.end)
    }

    fn span(&self) -> Span {
        self.span_at(self.pos)
    }

    /// Span from token `start` to the last consumed token.
    fn span_from(&self, start: usize) -> Span {
        let a = self.span_at(start).start;
        let b = if self.pos > start {
            self.toks[self.pos - 1].span.end
        } else {
            a
        };
        a..b
    }

    fn eat(&mut self, t: &Tok) -> bool {
        if self.peek() == Some(t) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// A syntax error here, remembered if it is the furthest so far.
    ///
    /// The error itself carries no message: every alternative the parser
    /// tries and drops fails this way (after each `and`/`or` an id is
    /// tried before a term), so its text would be written for nothing.
    /// A syntax error that ends the parse is replaced by
    /// [`Parser::best_error`]'s, from the furthest failure, which this
    /// one has just updated.
    fn fail(&mut self, expected: &'static str) -> Error {
        self.expected(expected);
        Error::new(ErrorKind::Syntax, self.span(), String::new())
    }

    /// Notes that `expected` was expected here, if no failure got further.
    fn expected(&mut self, expected: &'static str) {
        if self.furthest.is_none_or(|(p, _)| self.pos > p) {
            self.furthest = Some((self.pos, expected));
        }
    }

    fn best_error(&self, e: Error) -> Error {
        if !is_syntax(&e) {
            return e;
        }
        match &self.furthest {
            Some((pos, exp)) => {
                let span = self.span_at(*pos);
                let msg = if *pos < self.toks.len() {
                    format!("expected {exp}")
                } else {
                    format!("unexpected end of expression, expected {exp}")
                };
                Error::new(ErrorKind::Syntax, span, msg)
            }
            None => e,
        }
    }

    fn expect(&mut self, t: &Tok, what: &'static str) -> Result<()> {
        if self.eat(t) {
            Ok(())
        } else {
            Err(self.fail(what))
        }
    }

    fn enter(&mut self) -> Result<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(Error::new(
                ErrorKind::TooLarge,
                self.span(),
                "expression nested too deeply",
            ));
        }
        Ok(())
    }

    /// Runs `f`; on a syntax error rewinds and returns `None`.
    fn attempt<T>(&mut self, f: impl FnOnce(&mut Self) -> Result<T>) -> Result<Option<T>> {
        let (pos, depth) = (self.pos, self.depth);
        match f(self) {
            Ok(v) => Ok(Some(v)),
            Err(e) if is_syntax(&e) => {
                self.pos = pos;
                self.depth = depth;
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    fn num(&mut self, what: &'static str) -> Result<u32> {
        match self.peek() {
            Some(Tok::Num(n)) => {
                let n = *n;
                self.pos += 1;
                Ok(n)
            }
            _ => Err(self.fail(what)),
        }
    }

    /// `pnum: NUM | '(' pnum ')'`
    fn pnum(&mut self) -> Result<u32> {
        if self.eat(&Tok::LParen) {
            self.enter()?;
            let n = self.pnum()?;
            self.expect(&Tok::RParen, "')'")?;
            self.depth -= 1;
            return Ok(n);
        }
        self.num("a number")
    }

    fn at_pnum(&self) -> bool {
        matches!(self.peek(), Some(Tok::Num(_) | Tok::LParen))
    }

    /// Whether the next token may follow an id or term.
    fn at_follow(&self) -> bool {
        matches!(self.peek(), None | Some(Tok::And | Tok::Or | Tok::RParen))
    }

    // ---- boolean structure -------------------------------------------

    /// `expr: term | expr and term | expr and id | expr or ...`
    fn expr(&mut self, before: Inherit) -> Result<(Expr<'a>, Inherit)> {
        let (mut e, mut q) = self.term(before)?;
        loop {
            let and = match self.peek() {
                Some(Tok::And) => true,
                Some(Tok::Or) => false,
                _ => return Ok((e, q)),
            };
            self.pos += 1;
            let (rhs, nq) = self.term_or_id(q)?;
            e = if and {
                Expr::And(Box::new((e, rhs)))
            } else {
                Expr::Or(Box::new((e, rhs)))
            };
            q = nq;
        }
    }

    /// After `and`/`or`: a bare id inheriting `q` if one fits, else a term.
    fn term_or_id(&mut self, q: Inherit) -> Result<(Expr<'a>, Inherit)> {
        let start = self.pos;
        if q.is_none() && self.at_vxlan() {
            return self.term(q);
        }
        if !matches!(
            self.peek(),
            Some(
                Tok::LParen
                    | Tok::Num(_)
                    | Tok::Not
                    | Tok::Id(_)
                    | Tok::Hid(_)
                    | Tok::Hid6(_)
                    | Tok::Eid(_)
                    | Tok::Aid(_)
                    | Tok::SetRef(_)
            )
        ) {
            // No id starts so (`host` after `or`, most often): trying one
            // would only fail here, as `nid` does.
            self.expected(NO_ID);
            return self.term(q);
        }
        let id = self.attempt(|p| {
            let e = p.id(q)?;
            if p.at_follow() {
                Ok(e)
            } else {
                Err(p.fail("'and', 'or' or ')'"))
            }
        })?;
        if let Some(e) = id {
            if q.is_none() {
                return Err(Error::new(
                    ErrorKind::Syntax,
                    self.span_from(start),
                    "this id has no qualifier to inherit; write e.g. 'host ...' or 'port ...'",
                ));
            }
            return Ok((e, q));
        }
        self.term(q)
    }

    /// Whether a term here is `vxlan`, after any `not`s and `(`s: with
    /// nothing to inherit, libpcap 1.10 reads no id there.
    fn at_vxlan(&self) -> bool {
        let mut i = 0;
        while matches!(self.peek_at(i), Some(Tok::Not | Tok::LParen)) {
            i += 1;
        }
        matches!(self.peek_at(i), Some(Tok::Id(w)) if *w == VXLAN)
    }

    /// `term: rterm | not term`
    fn term(&mut self, before: Inherit) -> Result<(Expr<'a>, Inherit)> {
        if self.eat(&Tok::Not) {
            self.enter()?;
            let (e, q) = self.term(before)?;
            self.depth -= 1;
            return Ok((Expr::Not(Box::new(e)), q));
        }
        self.rterm(before)
    }

    fn rterm(&mut self, before: Inherit) -> Result<(Expr<'a>, Inherit)> {
        let start = self.pos;
        let prim = |p: &Self, prim| Ok((Expr::Prim(prim, p.span_from(start)), None));
        match self.peek().copied() {
            None => Err(self.fail("an expression")),
            Some(Tok::LParen) => {
                if let Some(rel) = self.attempt(|p| p.relation())? {
                    return prim(self, rel);
                }
                self.pos += 1;
                self.enter()?;
                let (e, _) = self.expr(before)?;
                self.expect(&Tok::RParen, "')'")?;
                self.depth -= 1;
                Ok((e, before))
            }
            Some(Tok::Num(_) | Tok::Minus | Tok::Len) => {
                let r = self.relation()?;
                prim(self, r)
            }
            Some(Tok::Pname(_)) if self.peek_at(1) == Some(&Tok::LBrack) => {
                let r = self.relation()?;
                prim(self, r)
            }
            Some(Tok::Pname(p)) => {
                self.pos += 1;
                self.after_pqual(Some(p), start)
            }
            Some(Tok::Id(w)) if w == "inner" && self.peek_at(1) == Some(&Tok::LParen) => {
                self.inner(start)
            }
            Some(Tok::Id(w)) if w == VXLAN => {
                self.pos += 1;
                let vni = if self.at_pnum() {
                    Some(self.pnum()?)
                } else {
                    None
                };
                prim(self, Prim::Vxlan(vni))
            }
            Some(_) => self.after_pqual(None, start),
        }
    }

    /// `inner(EXPR)`, bpfcap's tunnel scope. `inner` stays an ordinary
    /// id (a host name) everywhere else: only `inner (` — which libpcap's
    /// grammar refuses — opens the scope, so every expression libpcap
    /// accepts keeps its meaning. Nothing is inherited across the
    /// parentheses either way: the inside is an expression of its own.
    /// (`vxlan` is read the same way: a primitive only where libpcap 1.10
    /// has a syntax error, a bare id where nothing is inherited.)
    fn inner(&mut self, start: usize) -> Result<(Expr<'a>, Inherit)> {
        self.pos += 2;
        self.enter()?;
        let (e, _) = self.expr(None)?;
        self.expect(&Tok::RParen, "')'")?;
        self.depth -= 1;
        Ok((
            Expr::Prim(Prim::Inner(Box::new(e)), self.span_from(start)),
            None,
        ))
    }

    /// What may follow an optional protocol qualifier: a head and id, a
    /// `broadcast`/`multicast`, an 802.11 test, or (for a protocol name
    /// alone) the protocol test.
    fn after_pqual(&mut self, proto: Option<Proto>, start: usize) -> Result<(Expr<'a>, Inherit)> {
        let dir = self.dqual()?;
        let kind = match self.peek() {
            Some(Tok::Host) => Some(Kind::Host),
            Some(Tok::Net) => Some(Kind::Net),
            Some(Tok::Port) => Some(Kind::Port),
            Some(Tok::Portrange) => Some(Kind::Portrange),
            Some(Tok::Proto) if dir.is_none() => Some(Kind::Proto),
            Some(Tok::Protochain) if dir.is_none() => Some(Kind::Protochain),
            Some(Tok::Gateway) if dir.is_none() => Some(Kind::Gateway),
            _ => None,
        };
        if kind.is_some() {
            self.pos += 1;
        }
        if dir.is_some() || kind.is_some() {
            let q = Quals { proto, dir, kind };
            let e = self.id(Some(q))?;
            return Ok((e, Some(q)));
        }
        let prim = match self.peek().copied() {
            Some(Tok::Broadcast) => {
                self.pos += 1;
                Prim::Broadcast(proto)
            }
            Some(Tok::Multicast) => {
                self.pos += 1;
                Prim::Multicast(proto)
            }
            Some(Tok::Type | Tok::Subtype | Tok::DirKw) => self.p80211()?,
            _ => match proto {
                Some(p) => Prim::Proto(p),
                None => self.other()?,
            },
        };
        Ok((Expr::Prim(prim, self.span_from(start)), None))
    }

    /// `dqual`, if present.
    fn dqual(&mut self) -> Result<Option<Dir>> {
        let first = match self.peek() {
            Some(Tok::Src) => Dir::Src,
            Some(Tok::Dst) => Dir::Dst,
            Some(Tok::WlanAddr(d)) => {
                let d = *d;
                self.pos += 1;
                return Ok(Some(d));
            }
            _ => return Ok(None),
        };
        self.pos += 1;
        let other = if first == Dir::Src {
            Tok::Dst
        } else {
            Tok::Src
        };
        let other_name = if first == Dir::Src { "'dst'" } else { "'src'" };
        if self.eat(&Tok::Or) {
            self.expect(&other, other_name)?;
            return Ok(Some(Dir::SrcOrDst));
        }
        if self.eat(&Tok::And) {
            self.expect(&other, other_name)?;
            return Ok(Some(Dir::SrcAndDst));
        }
        Ok(Some(first))
    }

    // ---- ids -----------------------------------------------------------

    /// `id: nid | pnum | '(' pid ')'`, all with qualifiers `q`.
    fn id(&mut self, q: Inherit) -> Result<Expr<'a>> {
        let start = self.pos;
        match self.peek() {
            Some(Tok::LParen) => {
                if let Some(n) = self.attempt(|p| p.pnum())? {
                    return self.leaf(q, Id::Num(n), start);
                }
                self.pos += 1;
                self.enter()?;
                let e = self.pid(q)?;
                self.expect(&Tok::RParen, "')'")?;
                self.depth -= 1;
                Ok(e)
            }
            Some(Tok::Num(n)) => {
                let n = *n;
                self.pos += 1;
                self.leaf(q, Id::Num(n), start)
            }
            _ => self.nid(q),
        }
    }

    /// `pid: nid | qid and id | qid or id` with `qid: pnum | pid`: a list
    /// of ids joined left to right, the first not parenthesised.
    fn pid(&mut self, q: Inherit) -> Result<Expr<'a>> {
        let start = self.pos;
        let mut e = match self.peek() {
            Some(Tok::Num(_) | Tok::LParen) => {
                let n = self.pnum()?;
                self.leaf(q, Id::Num(n), start)?
            }
            _ => self.nid(q)?,
        };
        loop {
            let and = match self.peek() {
                Some(Tok::And) => true,
                Some(Tok::Or) => false,
                _ => return Ok(e),
            };
            self.pos += 1;
            let rhs = self.id(q)?;
            e = if and {
                Expr::And(Box::new((e, rhs)))
            } else {
                Expr::Or(Box::new((e, rhs)))
            };
        }
    }

    /// `nid`: a name or address, or `not id`.
    fn nid(&mut self, q: Inherit) -> Result<Expr<'a>> {
        let start = self.pos;
        let id = match self.peek().copied() {
            Some(Tok::Not) => {
                self.pos += 1;
                self.enter()?;
                let e = self.id(q)?;
                self.depth -= 1;
                return Ok(Expr::Not(Box::new(e)));
            }
            Some(Tok::Id(s)) => {
                self.pos += 1;
                Id::Name(s)
            }
            Some(Tok::Hid(s)) => {
                self.pos += 1;
                if self.eat(&Tok::Slash) {
                    Id::HidCidr(s, self.num("a prefix length")?)
                } else if self.eat(&Tok::Mask) {
                    match self.peek().copied() {
                        Some(Tok::Hid(m)) => {
                            self.pos += 1;
                            Id::HidMask(s, m)
                        }
                        _ => return Err(self.fail("a netmask such as 255.255.0.0")),
                    }
                } else {
                    Id::Hid(s)
                }
            }
            Some(Tok::Hid6(s)) => {
                self.pos += 1;
                if self.eat(&Tok::Slash) {
                    Id::Hid6Cidr(s, self.num("a prefix length")?)
                } else {
                    Id::Hid6(s)
                }
            }
            Some(Tok::Eid(s)) => {
                self.pos += 1;
                Id::Eid(s)
            }
            Some(Tok::Aid(s)) => {
                self.pos += 1;
                Id::Aid(s)
            }
            Some(Tok::SetRef(s)) => {
                self.pos += 1;
                Id::Set(s)
            }
            _ => return Err(self.fail(NO_ID)),
        };
        self.leaf(q, id, start)
    }

    /// An id with its qualifiers, after libpcap's checks on address forms.
    fn leaf(&mut self, q: Inherit, id: Id<'a>, start: usize) -> Result<Expr<'a>> {
        let span = self.span_from(start);
        let Some(quals) = q else {
            // Checked by the caller once it knows this is an id.
            return Ok(Expr::Prim(
                Prim::Qualified {
                    quals: Quals::default(),
                    id,
                },
                span,
            ));
        };
        let form = match &id {
            Id::Hid(_) | Id::Hid6(_) => Some("IP address"),
            Id::HidCidr(..) | Id::Hid6Cidr(..) => Some("IP address and prefix length"),
            Id::HidMask(..) => Some("IP address and netmask"),
            _ => None,
        };
        if let Some(form) = form {
            let kw = match quals.kind {
                Some(Kind::Port) => Some("port"),
                Some(Kind::Portrange) => Some("portrange"),
                Some(Kind::Proto) => Some("proto"),
                Some(Kind::Protochain) => Some("protochain"),
                _ => None,
            };
            if let Some(kw) = kw {
                return Err(Error::new(
                    ErrorKind::Value,
                    span,
                    format!("'{kw}' modifier applied to {form}"),
                ));
            }
        }
        Ok(Expr::Prim(Prim::Qualified { quals, id }, span))
    }

    // ---- arithmetic ----------------------------------------------------

    /// `arth relop arth | arth irelop arth`
    fn relation(&mut self) -> Result<Prim<'a>> {
        let lhs = self.arith(0)?;
        let op = match self.peek() {
            Some(Tok::Gt) => RelOp::Gt,
            Some(Tok::Geq) => RelOp::Ge,
            Some(Tok::Eq) => RelOp::Eq,
            Some(Tok::Leq) => RelOp::Le,
            Some(Tok::Lt) => RelOp::Lt,
            Some(Tok::Neq) => RelOp::Ne,
            _ => return Err(self.fail("a comparison operator or an arithmetic operator")),
        };
        self.pos += 1;
        let rhs = self.arith(0)?;
        Ok(Prim::Relation { op, lhs, rhs })
    }

    /// Operator-precedence parsing of `arth` with yacc's resolution of the
    /// grammar's precedences (see the module documentation).
    fn arith(&mut self, min_bp: u8) -> Result<Arith> {
        const UNARY: u8 = 11;
        self.enter()?;
        let mut lhs = match self.peek().copied() {
            Some(Tok::Num(n)) => {
                self.pos += 1;
                Arith::Num(n)
            }
            Some(Tok::Len) => {
                self.pos += 1;
                Arith::Len
            }
            Some(Tok::Minus) => {
                self.pos += 1;
                Arith::Neg(Box::new(self.arith(UNARY)?))
            }
            Some(Tok::LParen) => {
                self.pos += 1;
                let a = self.arith(0)?;
                self.expect(&Tok::RParen, "')'")?;
                a
            }
            Some(Tok::Pname(proto)) if self.peek_at(1) == Some(&Tok::LBrack) => self.load(proto)?,
            _ => return Err(self.fail("a number, 'len' or a packet access such as ip[0]")),
        };
        // Each operator nests the tree one deeper: `1 + 1 + ... + 1` is
        // as deep as it is long, so it counts against `MAX_DEPTH` too.
        let mut links = 0;
        loop {
            let (op, lbp, rbp) = match self.peek() {
                Some(Tok::Pipe) => (ArithOp::Or, 1, 2),
                Some(Tok::Amp) => (ArithOp::And, 3, 4),
                Some(Tok::Lsh) => (ArithOp::Shl, 5, 6),
                Some(Tok::Rsh) => (ArithOp::Shr, 5, 6),
                Some(Tok::Plus) => (ArithOp::Add, 7, 8),
                Some(Tok::Minus) => (ArithOp::Sub, 7, 8),
                Some(Tok::Star) => (ArithOp::Mul, 9, 10),
                Some(Tok::Slash) => (ArithOp::Div, 9, 10),
                // No precedence in libpcap's grammar: yacc always shifts.
                Some(Tok::Percent) => (ArithOp::Mod, u8::MAX, 0),
                Some(Tok::Caret) => (ArithOp::Xor, u8::MAX, 0),
                _ => break,
            };
            if lbp < min_bp {
                break;
            }
            self.enter()?;
            links += 1;
            self.pos += 1;
            let rhs = self.arith(rbp)?;
            lhs = Arith::Bin(op, Box::new(lhs), Box::new(rhs));
        }
        self.depth -= 1 + links;
        Ok(lhs)
    }

    /// `pname '[' arth ']'` or `pname '[' arth ':' NUM ']'`.
    fn load(&mut self, proto: Proto) -> Result<Arith> {
        let start = self.pos;
        self.pos += 2;
        let index = self.arith(0)?;
        let size = if self.eat(&Tok::Colon) {
            let at = self.span();
            let n = self.num("a size: 1, 2 or 4")?;
            if !matches!(n, 1 | 2 | 4) {
                return Err(Error::new(
                    ErrorKind::Value,
                    at,
                    "data size must be 1, 2, or 4",
                ));
            }
            n as u8
        } else {
            1
        };
        self.expect(&Tok::RBrack, "']'")?;
        Ok(Arith::Load {
            proto,
            index: Box::new(index),
            size,
            span: self.span_from(start),
        })
    }

    // ---- other primitives ------------------------------------------------

    /// The keyword-led primitives (`other`, ATM and MTP rules).
    fn other(&mut self) -> Result<Prim<'a>> {
        let Some(tok) = self.peek().copied() else {
            return Err(self.fail("an expression"));
        };
        let expected = "a primitive such as 'host', 'port', 'tcp' or 'ip[0] = 1'";
        if !self.starts_other(&tok) {
            return Err(self.fail(expected));
        }
        self.pos += 1;
        let opt_pnum = |p: &mut Self| -> Result<Option<u32>> {
            if p.at_pnum() {
                p.pnum().map(Some)
            } else {
                Ok(None)
            }
        };
        Ok(match tok {
            Tok::Less => Prim::Less(self.num("a length")?),
            Tok::Greater => Prim::Greater(self.num("a length")?),
            Tok::Byte => {
                let index = self.num("a byte offset")?;
                let op = match self.peek() {
                    Some(Tok::Amp) => ByteOp::And,
                    Some(Tok::Pipe) => ByteOp::Or,
                    Some(Tok::Lt) => ByteOp::Lt,
                    Some(Tok::Gt) => ByteOp::Gt,
                    Some(Tok::Eq) => ByteOp::Eq,
                    _ => return Err(self.fail("one of & | < > =")),
                };
                self.pos += 1;
                Prim::Byte {
                    index,
                    op,
                    value: self.num("a number")?,
                }
            }
            Tok::Inbound => Prim::Inbound,
            Tok::Outbound => Prim::Outbound,
            Tok::Ifindex => Prim::Ifindex(self.num("an interface index")?),
            Tok::Vlan => Prim::Vlan(opt_pnum(self)?),
            Tok::Mpls => Prim::Mpls(opt_pnum(self)?),
            Tok::Pppoed => Prim::Pppoed,
            Tok::Pppoes => Prim::Pppoes(opt_pnum(self)?),
            Tok::Geneve => Prim::Geneve(opt_pnum(self)?),
            Tok::PfIfname => Prim::Pf(Pf::Ifname(self.name("an interface name")?)),
            Tok::PfRset => Prim::Pf(Pf::Ruleset(self.name("a ruleset name")?)),
            Tok::PfRnr => Prim::Pf(Pf::Rulenum(self.num("a rule number")?)),
            Tok::PfSrnr => Prim::Pf(Pf::Subrulenum(self.num("a rule number")?)),
            Tok::PfReason => Prim::Pf(Pf::Reason(self.pf_code(PF_REASONS, "reason")?)),
            Tok::PfAction => Prim::Pf(Pf::Action(self.pf_code(PF_ACTIONS, "action")?)),
            Tok::Llc => Prim::Llc(self.llc()?),
            Tok::AtmType(a) | Tok::AtmMulti(a) => Prim::Atm(a),
            Tok::Mtp2(m) => Prim::Mtp2(m),
            Tok::AtmField(field) => {
                return self.field_values(|op, value| Prim::AtmField { field, op, value });
            }
            Tok::Mtp3(field) => {
                return self.field_values(|op, value| Prim::Mtp3 { field, op, value });
            }
            _ => return Err(self.fail(expected)),
        })
    }

    fn starts_other(&self, t: &Tok) -> bool {
        use Tok::*;
        matches!(
            t,
            Less | Greater
                | Byte
                | Inbound
                | Outbound
                | Ifindex
                | Vlan
                | Mpls
                | Pppoed
                | Pppoes
                | Geneve
                | PfIfname
                | PfRset
                | PfRnr
                | PfSrnr
                | PfReason
                | PfAction
                | Llc
                | AtmType(_)
                | AtmMulti(_)
                | Mtp2(_)
                | AtmField(_)
                | Mtp3(_)
        )
    }

    fn name(&mut self, what: &'static str) -> Result<String> {
        match self.peek().copied() {
            Some(Tok::Id(s)) => {
                self.pos += 1;
                Ok(s.to_string())
            }
            _ => Err(self.fail(what)),
        }
    }

    /// A pf reason or action: a number (reasons only) or a name.
    fn pf_code(&mut self, table: &[(&str, u32)], what: &str) -> Result<u32> {
        if what == "reason"
            && let Some(&Tok::Num(n)) = self.peek()
        {
            self.pos += 1;
            return Ok(n);
        }
        let span = self.span();
        let name = self.name(if what == "reason" {
            "a PF reason name"
        } else {
            "a PF action name"
        })?;
        lookup(table, &name).ok_or_else(|| {
            Error::new(
                ErrorKind::Value,
                span,
                format!("unknown PF {what} \"{name}\""),
            )
        })
    }

    /// After `llc`: nothing, or a frame kind.
    fn llc(&mut self) -> Result<Option<LlcKind>> {
        if self.eat(&Tok::PfRnr) {
            return Ok(Some(LlcKind::SubtypeS(LLC_S_SUBTYPES[1].1 as u8)));
        }
        let Some(Tok::Id(name)) = self.peek().copied() else {
            return Ok(None);
        };
        let span = self.span();
        self.pos += 1;
        let kind = match name.to_ascii_lowercase().as_str() {
            "i" => LlcKind::I,
            "s" => LlcKind::S,
            "u" => LlcKind::U,
            _ => {
                if let Some(v) = lookup(LLC_S_SUBTYPES, name) {
                    LlcKind::SubtypeS(v as u8)
                } else if let Some(v) = lookup(LLC_U_SUBTYPES, name) {
                    LlcKind::SubtypeU(v as u8)
                } else {
                    return Err(Error::new(
                        ErrorKind::Value,
                        span,
                        format!("unknown LLC type name \"{name}\""),
                    ));
                }
            }
        };
        Ok(Some(kind))
    }

    /// `type T [subtype S]`, `subtype S`, `dir D`.
    fn p80211(&mut self) -> Result<Prim<'a>> {
        let tok = self.peek().copied();
        self.pos += 1;
        match tok {
            Some(Tok::Type) => {
                let ty = self.wlan_field(
                    "type",
                    0x0c,
                    "an 802.11 frame type: mgt, ctl, data or a number",
                    |name| {
                        WLAN_TYPES
                            .iter()
                            .find(|t| t.names.iter().any(|n| n.eq_ignore_ascii_case(name)))
                            .map(|t| t.value)
                    },
                )?;
                if !self.eat(&Tok::Subtype) {
                    return Ok(Prim::Wlan(Wlan::Type(ty as u8)));
                }
                let subtypes = WLAN_TYPES.iter().find(|t| t.value == ty);
                if subtypes.is_none() && matches!(self.peek(), Some(Tok::Id(_))) {
                    // A reserved type (given as a number) has no subtype names.
                    let span = self.span();
                    return Err(Error::new(ErrorKind::Value, span, "unknown 802.11 type"));
                }
                let sub = self.wlan_field("subtype", 0xf0, "an 802.11 frame subtype", |name| {
                    subtypes.and_then(|t| lookup(t.subtypes, name))
                })?;
                Ok(Prim::Wlan(Wlan::TypeSubtype((ty | sub) as u8)))
            }
            Some(Tok::Subtype) => {
                let span = self.span();
                let name = self.name("an 802.11 frame subtype name")?;
                WLAN_TYPES
                    .iter()
                    .find_map(|t| {
                        lookup(t.subtypes, &name)
                            .map(|s| Prim::Wlan(Wlan::TypeSubtype((s | t.value) as u8)))
                    })
                    .ok_or_else(|| unknown_wlan_name("subtype", &name, span))
            }
            _ => {
                let span = self.span();
                let d = match self.peek().copied() {
                    Some(Tok::Num(n)) => {
                        self.pos += 1;
                        n.min(255)
                    }
                    Some(Tok::Id(name)) => {
                        self.pos += 1;
                        lookup(WLAN_DIRS, name).ok_or_else(|| {
                            Error::new(ErrorKind::Value, span, "unknown 802.11 direction")
                        })?
                    }
                    _ => {
                        return Err(self
                            .fail("an 802.11 direction: nods, tods, fromds, dstods or a number"));
                    }
                };
                Ok(Prim::Wlan(Wlan::Dir(d as u8)))
            }
        }
    }

    /// An 802.11 frame-control `field` (`type`, `subtype`): a number with
    /// bits only in `mask` (the field in place), or a name `by_name` knows.
    fn wlan_field(
        &mut self,
        field: &str,
        mask: u32,
        expected: &'static str,
        by_name: impl FnOnce(&str) -> Option<u32>,
    ) -> Result<u32> {
        let span = self.span();
        match self.peek().copied() {
            Some(Tok::Num(n)) => {
                self.pos += 1;
                if n & !mask != 0 {
                    return Err(Error::new(
                        ErrorKind::Value,
                        span,
                        format!("invalid 802.11 {field} value 0x{n:02x}"),
                    ));
                }
                Ok(n)
            }
            Some(Tok::Id(name)) => {
                self.pos += 1;
                by_name(name).ok_or_else(|| unknown_wlan_name(field, name, span))
            }
            _ => Err(self.fail(expected)),
        }
    }

    /// The value part of `vpi`/`vci`/MTP3 field tests: `N`, `relop N`, or
    /// `(N or N ...)`.
    fn field_values(&mut self, make: impl Fn(RelOp, u32) -> Prim<'a>) -> Result<Prim<'a>> {
        let op = match self.peek() {
            Some(Tok::Gt) => Some(RelOp::Gt),
            Some(Tok::Geq) => Some(RelOp::Ge),
            Some(Tok::Eq) => Some(RelOp::Eq),
            Some(Tok::Leq) => Some(RelOp::Le),
            Some(Tok::Lt) => Some(RelOp::Lt),
            Some(Tok::Neq) => Some(RelOp::Ne),
            _ => None,
        };
        if let Some(op) = op {
            self.pos += 1;
            return Ok(make(op, self.num("a number")?));
        }
        if !self.eat(&Tok::LParen) {
            return Ok(make(
                RelOp::Eq,
                self.num("a number, a comparison or a parenthesised list")?,
            ));
        }
        let mut values = vec![self.num("a number")?];
        while self.eat(&Tok::Or) {
            values.push(self.num("a number")?);
        }
        self.expect(&Tok::RParen, "'or' or ')'")?;
        Ok(Prim::AnyOf(
            values.into_iter().map(|v| make(RelOp::Eq, v)).collect(),
        ))
    }
}

/// Case-insensitive table lookup, as libpcap's `str2tok`.
fn lookup(table: &[(&str, u32)], name: &str) -> Option<u32> {
    table
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|&(_, v)| v)
}

/// The error for an 802.11 `field` name that is not in [`WLAN_TYPES`].
fn unknown_wlan_name(field: &str, name: &str, span: Span) -> Error {
    Error::new(
        ErrorKind::Value,
        span,
        format!("unknown 802.11 {field} name \"{name}\""),
    )
}

const LLC_S_SUBTYPES: &[(&str, u32)] = &[("rr", 0x01), ("rnr", 0x05), ("rej", 0x09)];
const LLC_U_SUBTYPES: &[(&str, u32)] = &[
    ("ui", 0x03),
    ("ua", 0x63),
    ("disc", 0x43),
    ("dm", 0x0f),
    ("sabme", 0x6f),
    ("test", 0xe3),
    ("xid", 0xaf),
    ("frmr", 0x87),
];

/// An 802.11 frame type: its value in the frame-control byte (bits 2-3 in
/// place), its names, and its subtypes' names and values (bits 4-7 in
/// place).
struct WlanType {
    value: u32,
    names: &'static [&'static str],
    subtypes: &'static [(&'static str, u32)],
}

/// The 802.11 frame types and subtypes `type T subtype S` and `subtype S`
/// name, in the order libpcap searches them (a bare `subtype S` takes the
/// first type with such a subtype).
const WLAN_TYPES: &[WlanType] = &[
    WlanType {
        value: 0x00,
        names: &["mgt", "management"],
        subtypes: &[
            ("assocreq", 0x00),
            ("assoc-req", 0x00),
            ("assocresp", 0x10),
            ("assoc-resp", 0x10),
            ("reassocreq", 0x20),
            ("reassoc-req", 0x20),
            ("reassocresp", 0x30),
            ("reassoc-resp", 0x30),
            ("probereq", 0x40),
            ("probe-req", 0x40),
            ("proberesp", 0x50),
            ("probe-resp", 0x50),
            ("beacon", 0x80),
            ("atim", 0x90),
            ("disassoc", 0xa0),
            ("disassociation", 0xa0),
            ("auth", 0xb0),
            ("authentication", 0xb0),
            ("deauth", 0xc0),
            ("deauthentication", 0xc0),
        ],
    },
    WlanType {
        value: 0x04,
        names: &["ctl", "control"],
        subtypes: &[
            ("bar", 0x80),
            ("ba", 0x90),
            ("ps-poll", 0xa0),
            ("rts", 0xb0),
            ("cts", 0xc0),
            ("ack", 0xd0),
            ("cf-end", 0xe0),
            ("cf-end-ack", 0xf0),
        ],
    },
    WlanType {
        value: 0x08,
        names: &["data"],
        subtypes: &[
            ("data", 0x00),
            ("data-cf-ack", 0x10),
            ("data-cf-poll", 0x20),
            ("data-cf-ack-poll", 0x30),
            ("null", 0x40),
            ("cf-ack", 0x50),
            ("cf-poll", 0x60),
            ("cf-ack-poll", 0x70),
            ("qos-data", 0x80),
            ("qos-data-cf-ack", 0x90),
            ("qos-data-cf-poll", 0xa0),
            ("qos-data-cf-ack-poll", 0xb0),
            ("qos", 0xc0),
            ("qos-cf-poll", 0xe0),
            ("qos-cf-ack-poll", 0xf0),
        ],
    },
];
const WLAN_DIRS: &[(&str, u32)] = &[("nods", 0), ("tods", 1), ("fromds", 2), ("dstods", 3)];

const PF_REASONS: &[(&str, u32)] = &[
    ("match", 0),
    ("bad-offset", 1),
    ("fragment", 2),
    ("short", 3),
    ("normalize", 4),
    ("memory", 5),
    ("bad-timestamp", 6),
    ("congestion", 7),
    ("ip-option", 8),
    ("proto-cksum", 9),
    ("state-mismatch", 10),
    ("state-insert", 11),
    ("state-limit", 12),
    ("src-limit", 13),
    ("synproxy", 14),
];
const PF_ACTIONS: &[(&str, u32)] = &[
    ("pass", 0),
    ("accept", 0),
    ("drop", 1),
    ("block", 1),
    ("scrub", 2),
    ("noscrub", 3),
    ("nat", 4),
    ("nonat", 5),
    ("binat", 6),
    ("nobinat", 7),
    ("rdr", 8),
    ("nordr", 9),
    ("synproxy-drop", 10),
];

#[cfg(test)]
mod tests;
