//! mosquitto (installed by `scripts/install-test-deps.sh`) as a private MQTT
//! broker on a free loopback port, for the fleet channel tests: open to
//! anyone, or locked down as `docs/deploy.md` says (a password file,
//! per-kiosk ACLs, a TLS listener with a certificate made in the test).

use std::path::Path;
use std::process::{Child, Command};

use super::process::{free_port, installed};

/// A broker on a free loopback port; stopped on drop.
pub struct Mosquitto {
    child: Child,
    /// The ports it listens on, the plain one first.
    ports: Vec<u16>,
}

/// Starts of the broker tried before a test gives up.
const ATTEMPTS: usize = 5;

/// Whether `child` listens on every one of `ports` within 5 s (false at
/// once when it exits).
fn all_listening(child: &mut Child, ports: &[u16]) -> bool {
    for _ in 0..100 {
        if ports
            .iter()
            .all(|port| std::net::TcpStream::connect(("127.0.0.1", *port)).is_ok())
        {
            return true;
        }
        if !matches!(child.try_wait(), Ok(None)) {
            return false;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    false
}

/// As root, mosquitto drops to its own user, which cannot read the test's
/// private folder: keep it root there.
fn stay_root() -> &'static str {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } == 0 {
        "user root\n"
    } else {
        ""
    }
}

/// Writes the config of a broker open to anyone on loopback `port`.
fn write_open_config(conf: &Path, port: u16, log: &Path) {
    std::fs::write(
        conf,
        format!(
            "{}listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\nlog_dest file {}\n",
            stay_root(),
            log.display()
        ),
    )
    .unwrap();
}

/// A broker with credentials, ACLs and TLS.
pub struct SecureBroker {
    /// The broker (its plain port takes credentials too).
    pub broker: Mosquitto,
    /// The TLS listener's port.
    pub tls_port: u16,
    /// The CA certificate (PEM file) that signed the broker's.
    pub ca_file: std::path::PathBuf,
    work: std::path::PathBuf,
}

impl SecureBroker {
    /// `mqtts://127.0.0.1:<tls port>`.
    pub fn tls_url(&self) -> String {
        format!("mqtts://127.0.0.1:{}", self.tls_port)
    }

    /// A file holding the password of `user` (made by [`Mosquitto::start_secure`]).
    pub fn password_file(&self, user: &str) -> std::path::PathBuf {
        self.work.join(format!("{user}.password"))
    }

    /// The broker's log so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.work.join("mosquitto.log")).unwrap_or_default()
    }
}

/// The ACL of `docs/deploy.md` for the topic prefix `lobby`: kioskctl's
/// user reads every status and sends commands; a kiosk, whose user name is
/// its kiosk id, publishes only its own status and reads only its own and
/// the fleet's commands.
pub const ACL: &str = "\
user kioskctl
topic read lobby/+/status
topic write lobby/+/cmd

pattern readwrite lobby/%u/status
pattern read lobby/%u/cmd
pattern read lobby/all/cmd
";

impl Mosquitto {
    /// Starts a broker with its config and log in `work`.
    pub fn start(work: &Path) -> Mosquitto {
        std::fs::create_dir_all(work).unwrap();
        let log = work.join("mosquitto.log");
        Mosquitto::run(work, |conf| {
            let port = free_port();
            write_open_config(conf, port, &log);
            vec![port]
        })
    }

    /// Starts an open broker on `port` (a broker started again where one
    /// was stopped), with its config and log in `work`.
    pub fn start_on(work: &Path, port: u16) -> Mosquitto {
        let log = work.join("mosquitto.log");
        Mosquitto::run(work, |conf| {
            write_open_config(conf, port, &log);
            vec![port]
        })
    }

    /// Starts a broker that takes only `users` (name, password), under
    /// [`ACL`], on a plain and a TLS listener; the TLS certificate (for
    /// 127.0.0.1) is signed by a CA made here with rcgen.
    pub fn start_secure(work: &Path, users: &[(&str, &str)]) -> SecureBroker {
        std::fs::create_dir_all(work).unwrap();
        let passwd = work.join("passwd");
        std::fs::write(&passwd, "").unwrap();
        for (user, password) in users {
            let status = Command::new(installed("mosquitto_passwd", "mosquitto"))
                .arg("-b")
                .arg(&passwd)
                .args([user, password])
                .status()
                .expect("mosquitto_passwd runs");
            assert!(status.success(), "mosquitto_passwd for {user}");
            std::fs::write(
                work.join(format!("{user}.password")),
                format!("{password}\n"),
            )
            .unwrap();
        }
        let acl = work.join("acl");
        std::fs::write(&acl, ACL).unwrap();
        let (ca_pem, cert_pem, key_pem) = certificates();
        let ca_file = work.join("ca.pem");
        std::fs::write(&ca_file, ca_pem).unwrap();
        std::fs::write(work.join("broker.pem"), cert_pem).unwrap();
        std::fs::write(work.join("broker.key"), key_pem).unwrap();
        let log = work.join("mosquitto.log");
        let broker = Mosquitto::run(work, |conf| {
            let port = free_port();
            let tls_port = free_port();
            std::fs::write(
                conf,
                format!(
                    "{}per_listener_settings false\nallow_anonymous false\npassword_file {}\nacl_file {}\npersistence false\nlog_dest file {}\nlog_type all\n\
                     listener {port} 127.0.0.1\n\
                     listener {tls_port} 127.0.0.1\ncafile {}\ncertfile {}\nkeyfile {}\n",
                    stay_root(),
                    passwd.display(),
                    acl.display(),
                    log.display(),
                    ca_file.display(),
                    work.join("broker.pem").display(),
                    work.join("broker.key").display(),
                ),
            )
            .unwrap();
            vec![port, tls_port]
        });
        let tls_port = broker.ports[1];
        SecureBroker {
            broker,
            tls_port,
            ca_file,
            work: work.to_owned(),
        }
    }

    /// Runs mosquitto on the config `configure` writes (returning the ports
    /// it listens on, the first one plain), picking new ports up to
    /// [`ATTEMPTS`] times: a port that was free can be taken (by another
    /// test's connection) before the broker binds it, and the broker then exits.
    fn run(work: &Path, configure: impl Fn(&Path) -> Vec<u16>) -> Mosquitto {
        let conf = work.join("mosquitto.conf");
        for _ in 0..ATTEMPTS {
            let ports = configure(&conf);
            let mut child = Command::new(installed("mosquitto", "mosquitto"))
                .arg("-c")
                .arg(&conf)
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .expect("mosquitto starts");
            if all_listening(&mut child, &ports) {
                return Mosquitto { child, ports };
            }
            let _ = child.kill();
            let _ = child.wait();
        }
        panic!(
            "mosquitto did not start in {ATTEMPTS} attempts; its log:\n{}",
            std::fs::read_to_string(work.join("mosquitto.log")).unwrap_or_default()
        );
    }

    /// The port.
    pub fn port(&self) -> u16 {
        self.ports[0]
    }

    /// `mqtt://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("mqtt://127.0.0.1:{}", self.ports[0])
    }
}

impl Drop for Mosquitto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A CA, and a broker certificate for 127.0.0.1 and localhost signed by
/// it: (CA PEM, certificate PEM, key PEM).
fn certificates() -> (String, String, String) {
    use rcgen::{BasicConstraints, CertificateParams, IsCa, KeyPair, SanType};
    let ca_key = KeyPair::generate().unwrap();
    let mut ca = CertificateParams::new(Vec::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name
        .push(rcgen::DnType::CommonName, "lobby kiosk test CA");
    let ca_cert = ca.self_signed(&ca_key).unwrap();
    let key = KeyPair::generate().unwrap();
    let mut params = CertificateParams::new(vec!["localhost".to_owned()]).unwrap();
    params
        .subject_alt_names
        .push(SanType::IpAddress(std::net::Ipv4Addr::LOCALHOST.into()));
    let issuer = rcgen::Issuer::new(ca, ca_key);
    let cert = params.signed_by(&key, &issuer).unwrap();
    (ca_cert.pem(), cert.pem(), key.serialize_pem())
}
