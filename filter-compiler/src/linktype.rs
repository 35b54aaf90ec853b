//! Link types (libpcap's DLT_ values as stored in capture files) and their
//! names as `tcpdump -y` takes them.

use std::fmt;

/// A link-layer header type: the DLT value a capture file's header stores
/// (LINKTYPE_ values are mapped to DLT_ values on reading where they
/// differ, as libpcap does).
///
/// The value is public so that any number a file holds can be carried
/// (and printed as `DLT_<n>`), named or not; the named ones are the
/// associated constants.
///
/// # Adding a link type
///
/// A link type is known in several places, each owning one aspect of it;
/// a new one needs (skip what does not apply, the compiler then refuses
/// filters on it with "not supported", the printer prints `UNSUPPORTED`):
///
/// 1. **Name** — `link_types!` in `filter-compiler/src/linktype.rs`
///    (constant, `-y`/`-L` name, description); if capture files store a
///    different LINKTYPE_ number than the DLT value, an arm in
///    [`LinkType::from_linktype`] too.
/// 2. **Header layout** — `Link::new` in
///    `filter-compiler/src/lower/link.rs` (where the protocol field, the
///    payload and the network layer are, which `Macs` layout
///    `ether host` uses); a new way of naming the payload protocol is a
///    `Proto` variant and its arm in `Link::proto_is`, a header of
///    run-time length a `Prefix` and its prologue in
///    `filter-compiler/src/lower/mod.rs`.
/// 3. **Link-specific primitives** — in
///    `filter-compiler/src/lower/special.rs`: `inbound`/`outbound`
///    (`Lowerer::direction`), `ifindex`, `is_juniper`, pflog and SunATM
///    fields; in `filter-compiler/src/lower/net.rs`: OSI over Frame Relay
///    and C-HDLC.
/// 4. **Live capture and XDP** (only for interfaces that produce it) —
///    `link_for_hardware` in `capture/src/hardware.rs` (ARPHRD → link type
///    and LINKTYPE_ number; `-L` in `cli/src/interfaces.rs` lists from
///    it); for a cooked link type also the kernel-program rewriter for
///    cooked sockets (`cooked_kernel_program` in `capture/src/live.rs`,
///    moving to `filter-compiler/src/cbpf/cooked.rs`).
/// 5. **Capture files** — `max_snaplen` in `capture/src/file/mod.rs` if
///    libpcap allows a larger snapshot length for it
///    (`max_snaplen_for_dlt`).
/// 6. **Printing** — `dispatch` in `print/src/link/mod.rs` and a printer
///    module in `print/src/link/`; the link type lists in
///    `print/tests/never_panic.rs` and `fuzz/fuzz_targets/print_packet.rs`.
///    `cli/src/offline.rs` holds tcpdump's per-link-type warnings (SLL2's
///    interface names).
/// 7. **Tests** — frames for it in `pcaps/make_samples.py` with verdicts
///    from tcpdump (`tests/goldens/regen.sh` → `verdicts.tsv`), libpcap's
///    quirks in `filter-compiler/tests/libpcap_quirks.rs`, listings in
///    `tests/goldens/dump/`, print goldens in `print/tests/goldens/`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LinkType(pub u32);

macro_rules! link_types {
    ($( $name:ident = $val:expr, $desc:expr; )*) => {
        impl LinkType {
            $( #[doc = $desc] pub const $name: LinkType = LinkType($val); )*
        }
        /// (name, value, description) of every link type known by name.
        const TABLE: &[(&str, u32, &str)] = &[ $( (stringify!($name), $val, $desc), )* ];
    };
}

link_types! {
    NULL = 0, "BSD loopback";
    EN10MB = 1, "Ethernet";
    EN3MB = 2, "3Mb experimental Ethernet";
    AX25 = 3, "Amateur Radio AX.25";
    PRONET = 4, "Proteon ProNET Token Ring";
    CHAOS = 5, "Chaos";
    IEEE802 = 6, "IEEE 802 networks (Token Ring)";
    ARCNET = 7, "ARCNET";
    SLIP = 8, "SLIP";
    PPP = 9, "PPP";
    FDDI = 10, "FDDI";
    ATM_RFC1483 = 11, "RFC 1483 LLC-encapsulated ATM";
    RAW = 12, "Raw IP";
    SLIP_BSDOS = 15, "BSD/OS SLIP";
    PPP_BSDOS = 16, "BSD/OS PPP";
    ATM_CLIP = 19, "Linux Classical IP over ATM";
    PPP_SERIAL = 50, "PPP over serial";
    PPP_ETHER = 51, "PPPoE";
    SYMANTEC_FIREWALL = 99, "Symantec Firewall";
    C_HDLC = 104, "Cisco HDLC";
    IEEE802_11 = 105, "802.11";
    FRELAY = 107, "Frame Relay";
    LOOP = 108, "OpenBSD loopback";
    ENC = 109, "OpenBSD encapsulated IP";
    LINUX_SLL = 113, "Linux cooked v1";
    LTALK = 114, "Localtalk";
    PFLOG = 117, "OpenBSD pflog file";
    PRISM_HEADER = 119, "802.11 plus Prism header";
    IP_OVER_FC = 122, "RFC 2625 IP-over-Fibre Channel";
    SUNATM = 123, "Sun raw ATM";
    IEEE802_11_RADIO_AVS = 163, "802.11 plus AVS radio information header";
    IEEE802_11_RADIO = 127, "802.11 plus radiotap header";
    ARCNET_LINUX = 129, "Linux ARCNET";
    JUNIPER_MLPPP = 130, "Juniper Multi-Link PPP";
    JUNIPER_MLFR = 131, "Juniper Multi-Link Frame Relay";
    JUNIPER_ES = 132, "Juniper Encryption Services PIC";
    JUNIPER_GGSN = 133, "Juniper GGSN PIC";
    JUNIPER_MFR = 134, "Juniper FRF.16 Frame Relay";
    JUNIPER_ATM2 = 135, "Juniper ATM2 PIC";
    JUNIPER_SERVICES = 136, "Juniper Advanced Services PIC";
    JUNIPER_ATM1 = 137, "Juniper ATM1 PIC";
    APPLE_IP_OVER_IEEE1394 = 138, "Apple IP-over-IEEE 1394";
    MTP2_WITH_PHDR = 139, "SS7 MTP2 with Pseudo-header";
    MTP2 = 140, "SS7 MTP2";
    MTP3 = 141, "SS7 MTP3";
    SCCP = 142, "SS7 SCCP";
    DOCSIS = 143, "DOCSIS";
    LINUX_IRDA = 144, "Linux IrDA";
    USER0 = 147, "DLT_USER0";
    USER1 = 148, "DLT_USER1";
    USER2 = 149, "DLT_USER2";
    USER3 = 150, "DLT_USER3";
    JUNIPER_MONITOR = 164, "Juniper Passive Monitor PIC";
    BACNET_MS_TP = 165, "BACnet MS/TP";
    PPP_PPPD = 166, "PPP for pppd, with direction flag";
    JUNIPER_PPPOE = 167, "Juniper PPPoE";
    JUNIPER_PPPOE_ATM = 168, "Juniper PPPoE/ATM";
    GPRS_LLC = 169, "GPRS LLC";
    GPF_T = 170, "GPF-T";
    GPF_F = 171, "GPF-F";
    JUNIPER_PIC_PEER = 174, "Juniper PIC Peer";
    ERF_ETH = 175, "Ethernet with Endace ERF header";
    ERF_POS = 176, "Packet-over-SONET with Endace ERF header";
    LINUX_LAPD = 177, "Linux vISDN LAPD";
    JUNIPER_ETHER = 178, "Juniper Ethernet";
    JUNIPER_PPP = 179, "Juniper PPP";
    JUNIPER_FRELAY = 180, "Juniper Frame Relay";
    JUNIPER_CHDLC = 181, "Juniper C-HDLC";
    MFR = 182, "FRF.16 Frame Relay";
    JUNIPER_VP = 183, "Juniper Voice PIC";
    A429 = 184, "Arinc 429";
    A653_ICM = 185, "Arinc 653 Interpartition Communication";
    USB_FREEBSD = 186, "USB with FreeBSD header";
    BLUETOOTH_HCI_H4 = 187, "Bluetooth HCI UART transport layer";
    IEEE802_16_MAC_CPS = 188, "IEEE 802.16 MAC Common Part Sublayer";
    USB_LINUX = 189, "USB with Linux header";
    CAN20B = 190, "Controller Area Network (CAN) v. 2.0B";
    IEEE802_15_4_LINUX = 191, "IEEE 802.15.4 with Linux padding";
    PPI = 192, "Per-Packet Information";
    IEEE802_16_MAC_CPS_RADIO = 193, "IEEE 802.16 MAC Common Part Sublayer plus radiotap header";
    JUNIPER_ISM = 194, "Juniper Integrated Service Module";
    IEEE802_15_4 = 195, "IEEE 802.15.4 with FCS";
    SITA = 196, "SITA pseudo-header";
    ERF = 197, "Endace ERF header";
    RAIF1 = 198, "Ethernet with u10 Networks pseudo-header";
    IPMB_KONTRON = 199, "IPMB with Kontron pseudo-header";
    JUNIPER_ST = 200, "Juniper Secure Tunnel";
    BLUETOOTH_HCI_H4_WITH_PHDR = 201, "Bluetooth HCI UART transport layer plus pseudo-header";
    AX25_KISS = 202, "AX.25 with KISS header";
    IPMB_LINUX = 209, "IPMB with Linux/Pigeon Point pseudo-header";
    FLEXRAY = 210, "FlexRay";
    LIN = 212, "Local Interconnect Network";
    IEEE802_15_4_NONASK_PHY = 215, "IEEE 802.15.4 with non-ASK PHY data";
    USB_LINUX_MMAPPED = 220, "USB with padded Linux header";
    FC_2 = 224, "Fibre Channel FC-2";
    FC_2_WITH_FRAME_DELIMS = 225, "Fibre Channel FC-2 with frame delimiters";
    IPNET = 226, "Solaris ipnet";
    CAN_SOCKETCAN = 227, "CAN-bus with SocketCAN headers";
    IPV4 = 228, "Raw IPv4";
    IPV6 = 229, "Raw IPv6";
    IEEE802_15_4_NOFCS = 230, "IEEE 802.15.4 without FCS";
    DBUS = 231, "D-Bus";
    JUNIPER_VS = 232, "Juniper Virtual Server";
    JUNIPER_SRX_E2E = 233, "Juniper SRX E2E";
    JUNIPER_FIBRECHANNEL = 234, "Juniper Fibre Channel";
    DVB_CI = 235, "DVB-CI";
    MUX27010 = 236, "MUX27010";
    STANAG_5066_D_PDU = 237, "STANAG 5066 D_PDUs";
    JUNIPER_ATM_CEMIC = 238, "Juniper ATM CEMIC";
    NFLOG = 239, "Linux netfilter log messages";
    NETANALYZER = 240, "Ethernet with Hilscher netANALYZER pseudo-header";
    NETANALYZER_TRANSPARENT = 241, "Ethernet with Hilscher netANALYZER pseudo-header and with preamble and SFD";
    IPOIB = 242, "RFC 4391 IP-over-Infiniband";
    MPEG_2_TS = 243, "MPEG-2 transport stream";
    NG40 = 244, "ng40 protocol tester Iub/Iur";
    NFC_LLCP = 245, "NFC LLCP PDUs with pseudo-header";
    INFINIBAND = 247, "InfiniBand";
    SCTP = 248, "SCTP";
    USBPCAP = 249, "USB with USBPcap header";
    RTAC_SERIAL = 250, "Schweitzer Engineering Laboratories RTAC packets";
    BLUETOOTH_LE_LL = 251, "Bluetooth Low Energy air interface";
    NETLINK = 253, "Linux netlink";
    BLUETOOTH_LINUX_MONITOR = 254, "Bluetooth Linux Monitor";
    BLUETOOTH_BREDR_BB = 255, "Bluetooth Basic Rate/Enhanced Data Rate baseband packets";
    BLUETOOTH_LE_LL_WITH_PHDR = 256, "Bluetooth Low Energy air interface with pseudo-header";
    PROFIBUS_DL = 257, "PROFIBUS data link layer";
    PKTAP = 258, "Apple DLT_PKTAP";
    EPON = 259, "Ethernet with 802.3 Clause 65 EPON preamble";
    IPMI_HPM_2 = 260, "IPMI trace packets";
    ZWAVE_R1_R2 = 261, "Z-Wave RF profile R1 and R2 packets";
    ZWAVE_R3 = 262, "Z-Wave RF profile R3 packets";
    WATTSTOPPER_DLM = 263, "WattStopper Digital Lighting Management (DLM) and Legrand Nitoo Open protocol packets";
    ISO_14443 = 264, "ISO 14443 messages";
    RDS = 265, "IEC 62106 Radio Data System groups";
    USB_DARWIN = 266, "USB with Darwin header";
    OPENFLOW = 267, "OpenBSD DLT_OPENFLOW";
    SDLC = 268, "IBM SDLC frames";
    TI_LLN_SNIFFER = 269, "TI LLN sniffer frames";
    VSOCK = 271, "Linux vsock";
    NORDIC_BLE = 272, "Nordic Semiconductor Bluetooth LE sniffer frames";
    DOCSIS31_XRA31 = 273, "Excentis XRA-31 DOCSIS 3.1 RF sniffer frames";
    ETHERNET_MPACKET = 274, "802.3br mPackets";
    DISPLAYPORT_AUX = 275, "DisplayPort AUX channel monitoring data";
    LINUX_SLL2 = 276, "Linux cooked v2";
    OPENVIZSLA = 278, "OpenVizsla USB";
    EBHSCR = 279, "Elektrobit High Speed Capture and Replay (EBHSCR)";
    VPP_DISPATCH = 280, "VPP graph dispatch tracer";
    DSA_TAG_BRCM = 281, "Broadcom tag";
    DSA_TAG_BRCM_PREPEND = 282, "Broadcom tag (prepended)";
    IEEE802_15_4_TAP = 283, "IEEE 802.15.4 with pseudo-header";
    DSA_TAG_DSA = 284, "Marvell DSA";
    DSA_TAG_EDSA = 285, "Marvell EDSA";
    ELEE = 286, "ELEE lawful intercept packets";
    Z_WAVE_SERIAL = 287, "Z-Wave serial frames between host and chip";
    USB_2_0 = 288, "USB 2.0/1.1/1.0 as transmitted over the cable";
    ATSC_ALP = 289, "ATSC Link-Layer Protocol packets";
}

impl LinkType {
    /// Looks a link type up by name, as `tcpdump -y` does: case-insensitive,
    /// with or without the `DLT_` prefix. A plain number is accepted too
    /// (tcpdump takes names only): a DLT_ value or a capture file's
    /// LINKTYPE_ value, mapped as [`LinkType::from_linktype`] maps them,
    /// so raw IP is `12` (DLT_RAW) and `101` (LINKTYPE_RAW) alike.
    pub fn from_name(name: &str) -> Option<LinkType> {
        let bare = name
            .strip_prefix("DLT_")
            .or_else(|| name.strip_prefix("dlt_"))
            .unwrap_or(name);
        if let Ok(n) = bare.parse::<u32>() {
            return Some(LinkType::from_linktype(n));
        }
        TABLE
            .iter()
            .find(|(n, _, _)| n.eq_ignore_ascii_case(bare))
            .map(|&(_, v, _)| LinkType(v))
    }

    /// The name `tcpdump -L` prints (`EN10MB`), or `DLT_<n>` if unknown.
    pub fn name(self) -> String {
        match TABLE.iter().find(|&&(_, v, _)| v == self.0) {
            Some((n, _, _)) => (*n).to_string(),
            None => format!("DLT_{}", self.0),
        }
    }

    /// A description for people (`Ethernet`).
    pub fn description(self) -> &'static str {
        TABLE
            .iter()
            .find(|&&(_, v, _)| v == self.0)
            .map_or("unknown link type", |&(_, _, d)| d)
    }

    /// Maps a LINKTYPE_ value from a capture file header to the DLT value
    /// libpcap uses (they differ only for a few historical types).
    pub fn from_linktype(linktype: u32) -> LinkType {
        LinkType(match linktype {
            100 => 11, // LINKTYPE_ATM_RFC1483
            101 => 12, // LINKTYPE_RAW
            102 => 15, // LINKTYPE_SLIP_BSDOS
            103 => 16, // LINKTYPE_PPP_BSDOS
            106 => 19, // LINKTYPE_ATM_CLIP
            other => other,
        })
    }
}

impl fmt::Display for LinkType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        assert_eq!(LinkType::from_name("EN10MB"), Some(LinkType::EN10MB));
        assert_eq!(
            LinkType::from_name("dlt_linux_sll2"),
            Some(LinkType::LINUX_SLL2)
        );
        assert_eq!(LinkType::from_name("147"), Some(LinkType::USER0));
        // DLT_RAW and LINKTYPE_RAW.
        assert_eq!(LinkType::from_name("12"), Some(LinkType::RAW));
        assert_eq!(LinkType::from_name("101"), Some(LinkType::RAW));
        assert_eq!(LinkType::from_name("DLT_100"), Some(LinkType::ATM_RFC1483));
        assert_eq!(LinkType::from_name("nonsense"), None);
        assert_eq!(LinkType::IEEE802_11_RADIO.name(), "IEEE802_11_RADIO");
        assert_eq!(LinkType(9999).name(), "DLT_9999");
    }
}
