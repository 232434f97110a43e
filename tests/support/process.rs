//! What the helpers that run real servers (nginx, mosquitto) share.

use std::path::PathBuf;
use std::time::Duration;

/// The path of a program from Debian's `package`, or a panic saying how to
/// install it.
pub fn installed(program: &str, package: &str) -> PathBuf {
    ["/usr/sbin", "/usr/bin"]
        .into_iter()
        .map(|folder| PathBuf::from(folder).join(program))
        .find(|path| path.exists())
        .unwrap_or_else(|| {
            panic!("{package} is not installed: run scripts/install-test-deps.sh (as root) before the tests")
        })
}

/// A TCP port on loopback that nothing listens on now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("a free loopback port")
}

/// Waits up to 5 s for a server on `port`; panics with `hint` (where its
/// log is) when it does not come up.
pub fn wait_until_listening(port: u16, hint: &str) {
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("the server on port {port} did not start; {hint}");
}

/// Raises this process's limit of open files to its hard limit: the fleet
/// tests hold a thousand connections (and mosquitto, started from here,
/// inherits the limit), more than a soft limit of 1024 allows.
pub fn allow_many_open_files() {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit and setrlimit only read and write `limit`.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) == 0 && limit.rlim_cur < limit.rlim_max
        {
            limit.rlim_cur = limit.rlim_max;
            libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
        }
    }
}
