//! [`Semantics`]: whose meaning of the filter language a program has —
//! libpcap's (the default, verdict for verdict), or what the packet's
//! headers say (`--semantics protocol`, issue 13).

use std::fmt;
use std::str::FromStr;

/// What a primitive means.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Semantics {
    /// libpcap 1.10's meaning, surprises included: `port 80` misses
    /// VLAN-tagged frames, `tcp` misses IPv6 packets with extension
    /// headers, `tcp[…]` is IPv4 only.
    #[default]
    Libpcap,
    /// A packet matches what its headers say: VLAN/QinQ tags and MPLS
    /// stacks are looked through, IPv6 extension headers (and AH) are
    /// walked, and the transport primitives work on IPv4 and IPv6 alike
    /// (the README's "Protocol semantics" lists every difference).
    Protocol,
}

impl Semantics {
    /// The name the command line uses.
    pub fn name(self) -> &'static str {
        match self {
            Semantics::Libpcap => "libpcap",
            Semantics::Protocol => "protocol",
        }
    }
}

impl fmt::Display for Semantics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Semantics {
    type Err = String;

    /// `libpcap` or `protocol`; anything else is an error that names both.
    fn from_str(s: &str) -> Result<Semantics, String> {
        match s {
            "libpcap" => Ok(Semantics::Libpcap),
            "protocol" => Ok(Semantics::Protocol),
            _ => Err(format!(
                "unknown semantics '{s}' (expected 'libpcap' or 'protocol')"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_unknown_ones_are_refused() {
        for s in [Semantics::Libpcap, Semantics::Protocol] {
            assert_eq!(s.name().parse::<Semantics>(), Ok(s));
            assert_eq!(s.to_string(), s.name());
        }
        assert_eq!(Semantics::default(), Semantics::Libpcap);
        assert_eq!(
            "tshark".parse::<Semantics>(),
            Err("unknown semantics 'tshark' (expected 'libpcap' or 'protocol')".into())
        );
    }
}
