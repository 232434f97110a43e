//! mosquitto (installed by `scripts/install-test-deps.sh`) as a private MQTT
//! broker on a free loopback port, for the fleet channel tests.

use std::path::Path;
use std::process::{Child, Command};

use super::process::{free_port, installed, wait_until_listening};

/// A broker on a free loopback port; stopped on drop.
pub struct Mosquitto {
    child: Child,
    port: u16,
}

impl Mosquitto {
    /// Starts a broker with its config and log in `work`.
    pub fn start(work: &Path) -> Mosquitto {
        std::fs::create_dir_all(work).unwrap();
        let port = free_port();
        let conf = work.join("mosquitto.conf");
        std::fs::write(
            &conf,
            format!(
                "listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\nlog_dest file {}\n",
                work.join("mosquitto.log").display()
            ),
        )
        .unwrap();
        let child = Command::new(installed("mosquitto", "mosquitto"))
            .arg("-c")
            .arg(&conf)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("mosquitto starts");
        let broker = Mosquitto { child, port };
        let log = work.join("mosquitto.log");
        wait_until_listening(port, &format!("see {}", log.display()));
        broker
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
