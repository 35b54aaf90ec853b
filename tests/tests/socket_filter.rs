//! The embeddable socket-filter API on real sockets. UDP on loopback needs
//! no privileges, so these run everywhere.

use std::io::ErrorKind;
use std::net::UdpSocket;
use std::time::Duration;

use bpfcap_capture::{AttachError, Filter};
use bpfcap_filter::LinkType;

fn receiver() -> UdpSocket {
    let sock = UdpSocket::bind("127.0.0.1:0").unwrap();
    sock.set_read_timeout(Some(Duration::from_millis(500)))
        .unwrap();
    sock
}

fn os_error(err: &AttachError) -> Option<i32> {
    std::error::Error::source(err)
        .and_then(|e| e.downcast_ref::<std::io::Error>())
        .and_then(|e| e.raw_os_error())
}

/// On a UDP socket the kernel runs the filter on the datagram from the UDP
/// header, so `len` is 8 plus the payload length: `len > 18` keeps payloads
/// longer than 10 bytes. `len` compiles to the same load for any link type.
#[test]
fn udp_filter_drops_short_datagrams() {
    let rx = receiver();
    let filter = Filter::compile("len > 18", LinkType::EN10MB).unwrap();
    filter.attach(&rx).unwrap();

    let tx = UdpSocket::bind("127.0.0.1:0").unwrap();
    let to = rx.local_addr().unwrap();
    tx.send_to(b"short", to).unwrap(); // 5 bytes: dropped
    tx.send_to(b"exactly10!", to).unwrap(); // 10 bytes: dropped
    tx.send_to(b"a long datagram", to).unwrap(); // 15 bytes: kept

    let mut buf = [0u8; 64];
    let (n, _) = rx.recv_from(&mut buf).unwrap();
    assert_eq!(&buf[..n], b"a long datagram");
    let err = rx.recv_from(&mut buf).unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut),
        "{err}"
    );

    // Detaching restores normal delivery.
    Filter::detach(&rx).unwrap();
    tx.send_to(b"short", to).unwrap();
    let (n, _) = rx.recv_from(&mut buf).unwrap();
    assert_eq!(&buf[..n], b"short");
}

#[test]
fn locked_filter_cannot_be_detached_or_replaced() {
    let rx = receiver();
    Filter::compile("len > 18", LinkType::EN10MB)
        .unwrap()
        .attach(&rx)
        .unwrap();
    Filter::lock(&rx).unwrap();

    let err = Filter::detach(&rx).unwrap_err();
    assert_eq!(os_error(&err), Some(libc::EPERM), "{err}");
    assert!(
        err.to_string().starts_with("cannot detach socket filter: "),
        "{err}"
    );

    let accept_all = Filter::compile("", LinkType::EN10MB).unwrap();
    let err = accept_all.attach(&rx).unwrap_err();
    assert_eq!(os_error(&err), Some(libc::EPERM), "{err}");

    // The locked filter is still in force.
    let tx = UdpSocket::bind("127.0.0.1:0").unwrap();
    let to = rx.local_addr().unwrap();
    tx.send_to(b"short", to).unwrap();
    tx.send_to(b"a long datagram", to).unwrap();
    let mut buf = [0u8; 64];
    let (n, _) = rx.recv_from(&mut buf).unwrap();
    assert_eq!(&buf[..n], b"a long datagram");
}

#[test]
fn attaching_to_a_non_socket_fails_clearly() {
    let file = std::fs::File::open("/dev/null").unwrap();
    let filter = Filter::compile("udp", LinkType::EN10MB).unwrap();
    let err = filter.attach(&file).unwrap_err();
    assert_eq!(os_error(&err), Some(libc::ENOTSOCK), "{err}");
    let msg = err.to_string();
    assert!(msg.starts_with("cannot attach socket filter: "), "{msg}");
    assert!(msg.contains("non-socket"), "{msg}");
}

/// 1001 host alternatives (IPv4, ARP and RARP fields) compile to more
/// instructions than the kernel's 4096, as with libpcap: they run offline,
/// and attaching them says why it cannot be done.
#[test]
fn programs_longer_than_the_kernel_takes_are_refused_at_attach() {
    let hosts: Vec<String> = (0..1001)
        .map(|i| format!("host 10.{}.{}.{}", i / 250, i % 250, 1 + i % 7))
        .collect();
    let filter = Filter::compile(&hosts.join(" or "), LinkType::EN10MB).unwrap();
    let insns = filter.program().insns().len();
    assert!(insns > 4096, "{insns}");
    let err = filter.attach(&receiver()).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "cannot attach socket filter: the filter has {insns} instructions; \
             the kernel takes at most 4096"
        )
    );
}

#[test]
fn compile_errors_are_reported() {
    let err = Filter::compile("udp and", LinkType::EN10MB).unwrap_err();
    assert!(!err.render("udp and").is_empty());
}

/// Offset 0 of what a UDP socket's filter sees is the UDP header: with a
/// header-less view, `ether[2:2]` loads the destination port.
#[test]
fn udp_filter_sees_the_udp_header_at_offset_zero() {
    let rx = receiver();
    let port = rx.local_addr().unwrap().port();
    let expr = format!("ether[2:2] = {port} and ether[6:2] != 0");
    Filter::compile(&expr, LinkType::EN10MB)
        .unwrap()
        .attach(&rx)
        .unwrap();
    let tx = UdpSocket::bind("127.0.0.1:0").unwrap();
    tx.send_to(b"hello", rx.local_addr().unwrap()).unwrap();
    let mut buf = [0u8; 64];
    let (n, _) = rx.recv_from(&mut buf).unwrap();
    assert_eq!(&buf[..n], b"hello");

    let wrong = format!("ether[2:2] = {}", port.wrapping_add(1));
    Filter::compile(&wrong, LinkType::EN10MB)
        .unwrap()
        .attach(&rx)
        .unwrap();
    tx.send_to(b"hello", rx.local_addr().unwrap()).unwrap();
    assert!(rx.recv_from(&mut buf).is_err());
}
