//! Compile errors with the span of the offending text, rendered like a
//! compiler's: position, message and a caret line under the expression.

use std::fmt;

use crate::ast::Span;

/// Why an expression could not be compiled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The text is not a pcap-filter expression.
    Syntax,
    /// A number, address, name or size is out of range or unknown.
    Value,
    /// The expression is well formed but means nothing for the link type
    /// (e.g. `ether host` on raw IP, `vlan` on DLT_RAW).
    LinkType,
    /// The expression can never match (libpcap refuses these too).
    RejectsAll,
    /// The expression or the compiled program is too large: it would
    /// exceed a kernel limit (scratch memory), or it nests deeper than
    /// the compiler allows (parentheses, `not`, arithmetic).
    TooLarge,
    /// The program as a whole exceeds a limit of where it runs; no part
    /// of the expression is to blame, so the error has no position.
    Limit,
    /// Compiling would take the compiler more memory than it allows
    /// itself: the expression is too big for its optimizer (it can still
    /// be compiled without).
    TooComplex,
    /// The compiler failed on its own account (a program it generated
    /// broke its own rules, an object could not be written): a bug to
    /// report, not a fault of the expression.
    Internal,
}

/// A compile error: what went wrong and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    /// The class of error, for callers that treat some differently (live
    /// capture reports a [`ErrorKind::Limit`] as a size limit of where
    /// the filter runs rather than as a mistake in the expression).
    pub kind: ErrorKind,
    /// Byte range in the expression; empty at the end for "unexpected end".
    pub span: Span,
    /// What is wrong, in libpcap's words where it has some, without the
    /// position ([`Error::render`] adds it).
    pub message: String,
}

impl Error {
    /// Out of scratch memory for variables and temporaries, with
    /// libpcap's message for it.
    /// libpcap's words when the 16 scratch memory words run out.
    pub(crate) const OUT_OF_REGISTERS: &'static str =
        "too many registers needed to evaluate expression";

    /// Out of scratch memory at the primitive at `span`.
    pub(crate) fn out_of_registers(span: Span) -> Error {
        Error::new(ErrorKind::TooLarge, span, Error::OUT_OF_REGISTERS)
    }

    /// An error of `kind` about the text at `span` of the expression; also
    /// for the crates that build on the compiler (the XDP templates) to
    /// report their own limits in the same form.
    pub fn new(kind: ErrorKind, span: Span, message: impl Into<String>) -> Error {
        Error {
            kind,
            span,
            message: message.into(),
        }
    }

    /// Whether a part of the expression is to blame (not for limits of
    /// the whole program or the compiler's own failures).
    fn has_position(&self) -> bool {
        !matches!(self.kind, ErrorKind::Limit | ErrorKind::Internal)
    }

    /// Renders the error with the expression and a caret line under the
    /// span, e.g.
    ///
    /// ```text
    /// syntax error at 14: expected a port number
    ///   tcp port http x
    ///                 ^
    /// ```
    ///
    /// A long expression is shown as a window of 100 characters
    /// around the error, with `...` where it is cut.
    pub fn render(&self, expr: &str) -> String {
        if !self.has_position() {
            return self.to_string();
        }
        let start = self.span.start.min(expr.len());
        let end = self.span.end.clamp(start, expr.len());
        // Columns count characters, not bytes, so the caret lines up.
        let chars: Vec<char> = expr
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let col = expr[..start].chars().count();
        let width = expr[start..end].chars().count().max(1);
        let from = col.saturating_sub(WINDOW / 2);
        let to = (from + WINDOW).max(col + 1).min(chars.len());
        let mut shown: String = chars[from..to].iter().collect();
        let mut caret_col = col - from;
        if from > 0 {
            shown.insert_str(0, "...");
            caret_col += 3;
        }
        if to < chars.len() {
            shown.push_str("...");
        }
        let width = width.min(WINDOW);
        format!(
            "{self}\n  {shown}\n  {}{}",
            " ".repeat(caret_col),
            "^".repeat(width)
        )
    }
}

/// How many characters of a long expression an error shows.
const WINDOW: usize = 100;

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.has_position() {
            return write!(f, "{}", self.message);
        }
        let what = match self.kind {
            ErrorKind::Syntax => "syntax error",
            _ => "error",
        };
        write!(f, "{what} at {}: {}", self.span.start, self.message)
    }
}

impl std::error::Error for Error {}

pub type Result<T> = std::result::Result<T, Error>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_of_the_whole_program_have_no_position() {
        let e = Error::new(ErrorKind::Limit, 0..0, "too many instructions");
        assert_eq!(e.to_string(), "too many instructions");
        assert_eq!(e.render("port 1 or port 2"), "too many instructions");
    }

    #[test]
    fn internal_errors_have_no_position() {
        let e = Error::new(ErrorKind::Internal, 0..0, "internal error: oops");
        assert_eq!(e.render("port 1"), "internal error: oops");
    }

    #[test]
    fn caret_under_span() {
        let e = Error::new(ErrorKind::Syntax, 14..15, "expected a port number");
        assert_eq!(
            e.render("tcp port http x"),
            "syntax error at 14: expected a port number\n  tcp port http x\n                ^"
        );
    }

    #[test]
    fn long_expressions_are_cut_around_the_error() {
        let expr = format!("{} x {}", "ip or ".repeat(40), "or ip ".repeat(40));
        let e = Error::new(ErrorKind::Syntax, 241..242, "unexpected");
        let r = e.render(&expr);
        let lines: Vec<&str> = r.lines().collect();
        assert!(lines[1].starts_with("  ...") && lines[1].ends_with("..."));
        let caret = lines[2].find('^').unwrap();
        assert_eq!(&lines[1][caret..caret + 1], "x");
    }

    #[test]
    fn caret_at_end_of_input() {
        let e = Error::new(ErrorKind::Syntax, 8..8, "expected a port number");
        assert!(e.render("tcp port").ends_with("\n          ^"));
    }
}
