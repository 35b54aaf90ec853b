//! [`FilterSpec`]: what a user asks of the filter — the expression and the
//! compiler's knobs — apart from what the packets' source decides (link
//! type, byte order, snapshot length).

use std::sync::Arc;

use crate::{CompileOptions, LinkType, Resolver, Semantics, SetTable};

/// A filter as asked for: the expression and how to compile it. Live
/// capture, file replay, XDP and `bpfcap compile` each take one and
/// complete it with what their packets' source says
/// ([`FilterSpec::options`]), so the knobs are set in one place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FilterSpec {
    /// The pcap-filter(7) expression (empty: every packet).
    pub expr: String,
    /// Run the optimizer (libpcap's `-O` turns it off).
    pub optimize: bool,
    /// Compile for size rather than speed (see
    /// [`CompileOptions::size_first`]).
    pub size_first: bool,
    /// IPv4 netmask for `ip broadcast` (`None`: unknown).
    pub netmask: Option<u32>,
    /// Where host, network and Ethernet host names come from (see
    /// [`CompileOptions::resolver`]); `None`: nowhere.
    pub resolver: Option<Arc<dyn Resolver>>,
    /// Whose meaning the primitives have (see [`CompileOptions::semantics`]).
    pub semantics: Semantics,
    /// Accept `vxlan` and `inner(...)` (see [`CompileOptions::tunnels`]).
    pub tunnels: bool,
    /// The sets the expression can name as `@NAME` (see
    /// [`CompileOptions::sets`]); none by default.
    pub sets: SetTable,
}

impl FilterSpec {
    /// `expr` with the compiler's defaults: optimized for speed, no
    /// netmask, no resolver.
    pub fn new(expr: impl Into<String>) -> FilterSpec {
        FilterSpec {
            expr: expr.into(),
            optimize: true,
            size_first: false,
            netmask: None,
            resolver: None,
            semantics: Semantics::Libpcap,
            tunnels: false,
            sets: SetTable::new(),
        }
    }

    /// The compile options for packets of `link_type`, with this spec's
    /// knobs and the defaults for the rest (the default snapshot length,
    /// this host's byte order), which the caller sets from its source.
    pub fn options(&self, link_type: LinkType) -> CompileOptions {
        CompileOptions {
            optimize: self.optimize,
            size_first: self.size_first,
            netmask: self.netmask,
            resolver: self.resolver.clone(),
            semantics: self.semantics,
            tunnels: self.tunnels,
            sets: self.sets.clone(),
            ..CompileOptions::new(link_type)
        }
    }
}

impl From<&str> for FilterSpec {
    fn from(expr: &str) -> FilterSpec {
        FilterSpec::new(expr)
    }
}

impl From<String> for FilterSpec {
    fn from(expr: String) -> FilterSpec {
        FilterSpec::new(expr)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_carry_the_knobs_and_the_source_defaults() {
        let spec = FilterSpec {
            optimize: false,
            size_first: true,
            netmask: Some(0xffff_ff00),
            ..FilterSpec::new("ip broadcast")
        };
        let o = spec.options(LinkType::RAW);
        assert_eq!(o.link_type, LinkType::RAW);
        assert!(!o.optimize && o.size_first);
        assert_eq!(o.netmask, Some(0xffff_ff00));
        assert_eq!(o.snaplen, crate::DEFAULT_SNAPLEN);
        let plain = FilterSpec::from("tcp").options(LinkType::EN10MB);
        assert!(plain.optimize && !plain.size_first && plain.netmask.is_none());
        assert!(plain.resolver.is_none());
        assert_eq!(plain.semantics, Semantics::Libpcap);
        let protocol = FilterSpec {
            semantics: Semantics::Protocol,
            ..FilterSpec::new("tcp")
        };
        assert_eq!(
            protocol.options(LinkType::RAW).semantics,
            Semantics::Protocol
        );
        // Every compile made from the spec gets its resolver.
        let named = FilterSpec {
            resolver: Some(Arc::new(crate::NameTable::new())),
            ..FilterSpec::new("host gw")
        };
        assert_eq!(named.options(LinkType::RAW).resolver, named.resolver);
    }
}
