//! `@NAME` where a host, network or port may stand: the same tests as
//! for one address or port, with a set membership ([`CmpOp::In`]) where
//! the comparison with the value would be.

use crate::ast::{Kind, Proto, Quals, Span};
use crate::error::{ErrorKind, Result};
use crate::ir::{CmpOp, Val};
use crate::sets::{Family, SetMap};

use super::net::PortTest;
use super::{F, Lowerer, err};

impl Lowerer<'_> {
    /// `host @NAME`, `src net @NAME`, `tcp port @NAME`, …
    pub(super) fn set_code(&mut self, name: &str, q: Quals, span: &Span) -> Result<F> {
        let Some((index, set)) = self.opts.sets.get(name) else {
            return Err(err(
                ErrorKind::Value,
                span,
                format!("unknown set '@{name}' (define it with --set {name}=FILE)"),
            ));
        };
        let map = |family| {
            SetMap {
                set: index,
                family,
                lpm: set.has_prefixes(family),
            }
            .code()
        };
        let (v4, v6, port) = (map(Family::V4), map(Family::V6), map(Family::Port));
        let member = |v: Val, code: u32| F::test(CmpOp::In, v, Val::Const(code));
        match q.kind {
            None | Some(Kind::Host) | Some(Kind::Net) => {
                let ip4 = |l: &mut Self| l.host_with(|v| member(v, v4), q, span);
                let ip6 = |l: &mut Self| l.host6_with(&|[w, ..]| member(w, v6), q, span);
                match q.proto {
                    None => Ok(F::or(ip4(self)?, ip6(self)?)),
                    Some(Proto::Ip6) => ip6(self),
                    Some(_) => ip4(self),
                }
            }
            Some(Kind::Port) => {
                let proto = self.port_proto(q, span, "port")?;
                self.ports(&[PortTest::member(port, proto, q.dir)], span)
            }
            Some(_) => Err(err(
                ErrorKind::Value,
                span,
                format!("a set ('@{name}') can stand only for a host, net or port"),
            )),
        }
    }
}
