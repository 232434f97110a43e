//! mosquitto (installed by `scripts/install-test-deps.sh`) as a private MQTT
//! broker on a free loopback port, for the fleet channel tests.

use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::Duration;

/// A broker on a free loopback port; stopped on drop.
pub struct Mosquitto {
    child: Child,
    port: u16,
}

fn mosquitto_binary() -> PathBuf {
    ["/usr/sbin/mosquitto", "/usr/bin/mosquitto"]
        .into_iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
        .expect(
            "mosquitto is not installed: run scripts/install-test-deps.sh (as root) before the tests",
        )
}

impl Mosquitto {
    /// Starts a broker with its config and log in `work`.
    pub fn start(work: &Path) -> Mosquitto {
        std::fs::create_dir_all(work).unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let conf = work.join("mosquitto.conf");
        std::fs::write(
            &conf,
            format!(
                "listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\nlog_dest file {}\n",
                work.join("mosquitto.log").display()
            ),
        )
        .unwrap();
        let child = Command::new(mosquitto_binary())
            .arg("-c")
            .arg(&conf)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("mosquitto starts");
        let broker = Mosquitto { child, port };
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return broker;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!(
            "mosquitto did not start; see {}/mosquitto.log",
            work.display()
        );
    }

    /// The port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `mqtt://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("mqtt://127.0.0.1:{}", self.port)
    }
}

impl Drop for Mosquitto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
