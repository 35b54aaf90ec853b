//! The objects the templates build, as their loaders see them: the ELF
//! bytes together with the names of the program and maps in them, the
//! counters' indices and the link type the filter was compiled for, so
//! that no loader repeats them as strings and numbers of its own.

use bpfcap_filter::LinkType;
use bpfcap_filter::sets::SetMap;

/// What the XDP program does with a matching packet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Count, and let it continue.
    Pass,
    /// Count, and drop it.
    Drop,
    /// Copy to user space through the ring buffer; drop it afterwards if
    /// asked.
    Capture {
        /// Drop the packet after copying it.
        drop: bool,
    },
}

/// How to build an XDP object.
#[derive(Clone, Debug)]
pub struct XdpOptions {
    /// What to do with a matching packet.
    pub action: Action,
    /// Apply the action to packets that do *not* match.
    pub invert: bool,
    /// Bytes of each captured packet to copy.
    pub snaplen: u32,
    /// Ring buffer size (a power of two, a multiple of the page size).
    pub ring_bytes: u32,
}

impl Default for XdpOptions {
    fn default() -> XdpOptions {
        XdpOptions {
            action: Action::Pass,
            invert: false,
            snaplen: 262_144,
            ring_bytes: 4 << 20,
        }
    }
}

/// The counters of an XDP program built here: slots of its per-CPU array
/// map [`XdpObject::COUNTERS_MAP`], each incremented on the CPU that ran
/// the program.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Counter {
    /// Every packet the program ran on.
    Seen,
    /// Packets the action applied to (the matching ones, or with
    /// [`XdpOptions::invert`] the others).
    Matched,
    /// Packets the program dropped.
    Dropped,
    /// Packets to capture that the ring buffer had no room for.
    Lost,
}

impl Counter {
    /// All counters, in slot order.
    pub const ALL: [Counter; 4] = [
        Counter::Seen,
        Counter::Matched,
        Counter::Dropped,
        Counter::Lost,
    ];

    /// The counter's key (slot) in the counters map.
    pub const fn index(self) -> u32 {
        self as u32
    }
}

/// The values of all [`Counter`]s, summed over CPUs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counters {
    /// [`Counter::Seen`].
    pub seen: u64,
    /// [`Counter::Matched`].
    pub matched: u64,
    /// [`Counter::Dropped`].
    pub dropped: u64,
    /// [`Counter::Lost`].
    pub lost: u64,
}

impl Counters {
    /// Reads each counter with `value` (e.g. a lookup of
    /// [`Counter::index`] in the map, summed over CPUs), stopping at the
    /// first error.
    pub fn read<E>(mut value: impl FnMut(Counter) -> Result<u64, E>) -> Result<Counters, E> {
        Ok(Counters {
            seen: value(Counter::Seen)?,
            matched: value(Counter::Matched)?,
            dropped: value(Counter::Dropped)?,
            lost: value(Counter::Lost)?,
        })
    }
}

/// A BPF ELF object built here for a filter, with what its loader needs
/// to know: the link type the filter was compiled for, and `options`
/// saying what kind of program it is and how it was built (names and
/// layouts are associated constants of [`XdpObject`] and
/// [`SocketObject`]).
#[derive(Clone, Debug)]
pub struct Object<K> {
    elf: Vec<u8>,
    link_type: LinkType,
    options: K,
    set_maps: Vec<SetMap>,
}

impl<K> Object<K> {
    pub(crate) fn new(
        elf: Vec<u8>,
        link_type: LinkType,
        options: K,
        set_maps: Vec<SetMap>,
    ) -> Object<K> {
        Object {
            elf,
            link_type,
            options,
            set_maps,
        }
    }

    /// The maps of the sets the filter names (`host @NAME`), each in the
    /// object under [`SetMap::name`]: empty when created; the loader fills
    /// them from the [`SetTable`](bpfcap_filter::SetTable) the filter was
    /// compiled with, and may refill them while the program runs.
    pub fn set_maps(&self) -> &[SetMap] {
        &self.set_maps
    }

    /// The object file's bytes, for a loader or a file.
    pub fn elf(&self) -> &[u8] {
        &self.elf
    }

    /// The object file's bytes, taken out.
    pub fn into_elf(self) -> Vec<u8> {
        self.elf
    }

    /// The link type the filter was compiled for: the program may only see
    /// packets that start with that header (those of an interface of that
    /// hardware type, or of a socket on it).
    pub fn link_type(&self) -> LinkType {
        self.link_type
    }
}

/// An XDP program built by [`xdp_object`](crate::templates::xdp_object):
/// a BPF ELF object with one program in section [`XdpObject::SECTION`]
/// named [`XdpObject::PROGRAM`], the [`Counter`]s in map
/// [`XdpObject::COUNTERS_MAP`] and, if it captures, the ring buffer
/// [`XdpObject::EVENTS_MAP`] of [`Record`](crate::Record)s.
pub type XdpObject = Object<XdpOptions>;

impl XdpObject {
    /// The ELF section of the program, which makes it an XDP program for
    /// aya and libbpf (`ip link set … xdp obj FILE sec xdp`).
    pub const SECTION: &'static str = "xdp";
    /// The program's name.
    pub const PROGRAM: &'static str = "bpfcap_xdp";
    /// The per-CPU array of [`Counter`]s: `u32` keys, `u64` values.
    pub const COUNTERS_MAP: &'static str = "counters";
    /// The ring buffer of captured packets, one [`Record`](crate::Record)
    /// each; only in objects that capture.
    pub const EVENTS_MAP: &'static str = "events";

    /// What the program was built to do.
    pub fn options(&self) -> &XdpOptions {
        &self.options
    }

    /// Whether the program copies packets into [`XdpObject::EVENTS_MAP`].
    pub fn captures(&self) -> bool {
        matches!(self.options.action, Action::Capture { .. })
    }
}

/// The kind of a [`SocketObject`]: an eBPF socket filter, built with no
/// options beyond the compiler's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SocketFilter;

/// An eBPF socket filter built by
/// [`socket_object`](crate::templates::socket_object): a BPF ELF object
/// with one program in section [`SocketObject::SECTION`] named
/// [`SocketObject::PROGRAM`], and the maps of the sets it names (see
/// [`Object::set_maps`]).
pub type SocketObject = Object<SocketFilter>;

impl SocketObject {
    /// The ELF section of the program, which makes it a socket filter for
    /// aya and libbpf.
    pub const SECTION: &'static str = "socket";
    /// The program's name.
    pub const PROGRAM: &'static str = "bpfcap_socket";
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::templates::{socket_object, xdp_object};
    use bpfcap_filter::CompileOptions;

    #[test]
    fn counter_indices_are_the_slots_in_order() {
        let indices: Vec<u32> = Counter::ALL.iter().map(|c| c.index()).collect();
        assert_eq!(indices, [0, 1, 2, 3]);
    }

    #[test]
    fn counters_are_read_by_name() {
        let c = Counters::read(|c| Ok::<_, ()>(10 + u64::from(c.index()))).unwrap();
        assert_eq!(
            c,
            Counters {
                seen: 10,
                matched: 11,
                dropped: 12,
                lost: 13
            }
        );
        assert_eq!(
            Counters::read(|c| if c == Counter::Dropped { Err(c) } else { Ok(1) }),
            Err(Counter::Dropped)
        );
    }

    /// Whether `name` is in one of the ELF file's string tables (which
    /// share tails: "xdp" may be the end of "bpfcap_xdp").
    fn has_symbol(elf: &[u8], name: &str) -> bool {
        let mut wanted = name.as_bytes().to_vec();
        wanted.push(0);
        elf.windows(wanted.len()).any(|w| w == wanted)
    }

    #[test]
    fn an_xdp_object_carries_what_it_was_built_for() {
        let opts = XdpOptions {
            action: Action::Capture { drop: true },
            snaplen: 100,
            ..XdpOptions::default()
        };
        let obj = xdp_object("udp", &CompileOptions::new(LinkType::RAW), &opts).unwrap();
        assert_eq!(obj.link_type(), LinkType::RAW);
        assert_eq!(obj.options().snaplen, 100);
        assert!(obj.captures());
        for name in [
            XdpObject::SECTION,
            XdpObject::PROGRAM,
            XdpObject::COUNTERS_MAP,
            XdpObject::EVENTS_MAP,
        ] {
            assert!(has_symbol(obj.elf(), name), "{name}");
        }
        assert_eq!(&obj.clone().into_elf()[..4], b"\x7fELF");

        let pass = xdp_object(
            "udp",
            &CompileOptions::new(LinkType::EN10MB),
            &Default::default(),
        );
        let pass = pass.unwrap();
        assert_eq!(pass.link_type(), LinkType::EN10MB);
        assert!(!pass.captures());
        assert!(!has_symbol(pass.elf(), XdpObject::EVENTS_MAP));
    }

    #[test]
    fn a_socket_object_carries_its_names_and_link_type() {
        let obj = socket_object("tcp", &CompileOptions::new(LinkType::EN10MB)).unwrap();
        assert_eq!(obj.link_type(), LinkType::EN10MB);
        assert!(has_symbol(obj.elf(), SocketObject::SECTION));
        assert!(has_symbol(obj.elf(), SocketObject::PROGRAM));
    }
}
