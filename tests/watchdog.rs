//! The systemd notifications reach a real notify socket (a Unix datagram
//! socket, as systemd provides through NOTIFY_SOCKET).

use std::os::unix::net::UnixDatagram;
use std::time::Duration;

use lobby_kiosk::platform::watchdog;

fn receive(socket: &UnixDatagram) -> String {
    let mut buffer = [0u8; 256];
    let length = socket.recv(&mut buffer).expect("a notification");
    String::from_utf8_lossy(&buffer[..length]).into_owned()
}

#[test]
fn ready_and_watchdog_reach_the_notify_socket() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("notify");
    let socket = UnixDatagram::bind(&path).expect("bind the notify socket");
    socket
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("read timeout");
    // SAFETY: the only test in this binary; no other thread reads the environment.
    unsafe { std::env::set_var("NOTIFY_SOCKET", &path) };

    watchdog::notify_ready();
    assert_eq!(receive(&socket), "READY=1\n");
    watchdog::feed();
    assert_eq!(receive(&socket), "WATCHDOG=1\n");

    assert_eq!(
        watchdog::feed_interval(Duration::from_secs(30)),
        Duration::from_secs(15)
    );
}
