//! Built-in name tables (being written).

/// The transport protocols a service name is registered for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PortProto {
    Tcp,
    Udp,
    Sctp,
    Any,
}

pub fn port(_name: &str) -> Option<(u16, PortProto)> {
    None
}
pub fn port_range(_name: &str) -> Option<(u16, u16, PortProto)> {
    None
}
pub fn ip_proto(_name: &str) -> Option<u8> {
    None
}
pub fn ether_proto(_name: &str) -> Option<u16> {
    None
}
pub fn llc_proto(_name: &str) -> Option<u8> {
    None
}
