//! The fleet channel over an MQTT broker: each kiosk listens for commands on
//! `<prefix>/<kiosk_id>/cmd` and `<prefix>/all/cmd`, keeps a retained status
//! on `<prefix>/<kiosk_id>/status` (refreshed on every change and by a
//! heartbeat), and leaves a last-will so the broker marks a dead kiosk
//! offline. This module is the protocol both sides share (topics, commands,
//! broker access, limits); the kiosk's side is [`crate::kiosk::fleet`], the
//! admin's side (`kioskctl --broker`) [`crate::admin::fleet`].
//!
//! Against others on the broker: MQTT 5 with a maximum packet size, so the
//! broker never delivers an oversize command or status (it drops them
//! instead of sending); broker credentials and TLS (`mqtts://`); client
//! ids with a random part, so nobody can take over a kiosk's session by
//! guessing its id; commands rate-limited per kiosk, a burst of them one
//! sync; retained and unknown commands ignored with a rate-limited log
//! line. Per-kiosk ACLs on the broker (`docs/deploy.md`) keep a kiosk to
//! its own topics.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rumqttc::v5::MqttOptions;

/// The command that wakes a kiosk's sync.
pub const SYNC_COMMAND: &str = "sync";

/// The command that makes a kiosk publish its status now.
pub const STATUS_COMMAND: &str = "status";

/// How often the connection is checked; a kiosk silent for 1.5× this is dead
/// to the broker, which then publishes its last-will.
pub const KEEP_ALIVE: Duration = Duration::from_secs(5);

/// Largest packet a kiosk accepts (commands are a word; the broker drops
/// larger ones rather than send them).
pub const KIOSK_MAX_PACKET: u32 = 4 * 1024;

/// Largest packet kioskctl accepts (a status is about 500 bytes).
pub const ADMIN_MAX_PACKET: u32 = 16 * 1024;

/// A fleet command a kiosk understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    /// Sync now.
    Sync,
    /// Publish the status now.
    Status,
}

impl Command {
    /// The command in a payload: one word, surrounding white space allowed.
    pub fn parse(payload: &[u8]) -> Option<Command> {
        if payload.len() > 64 {
            return None;
        }
        match std::str::from_utf8(payload).ok()?.trim() {
            SYNC_COMMAND => Some(Command::Sync),
            STATUS_COMMAND => Some(Command::Status),
            _ => None,
        }
    }
}

/// The fleet channel failed.
#[derive(Debug, thiserror::Error)]
pub enum FleetError {
    /// The broker address is not usable.
    #[error(
        "broker `{url}` is not a valid mqtt://host:port or mqtts://host:port address: {reason}"
    )]
    BrokerUrl {
        /// The address given.
        url: String,
        /// Why.
        reason: String,
    },
    /// The broker cannot be reached or refused the connection.
    #[error(
        "cannot reach the MQTT broker {broker}: {message} (check the address, the credentials and that the broker runs)"
    )]
    Connection {
        /// host:port.
        broker: String,
        /// Why.
        message: String,
    },
    /// A password or certificate file cannot be read.
    #[error("cannot read the broker's {what} {path}: {source}")]
    File {
        /// "password file" or "CA certificate".
        what: &'static str,
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A password without a user name, or the other way round.
    #[error("broker credentials need both a user name and a password ({0})")]
    Credentials(String),
    /// A period of 0 (`Config::parse` refuses it too; this guards a config
    /// built in code).
    #[error("fleet channel: {0} must be at least 1")]
    ZeroPeriod(&'static str),
    /// A thread or runtime could not start.
    #[error("fleet channel: cannot start: {0}")]
    Start(std::io::Error),
}

/// A broker's host and port, from `mqtt://host:port` or `mqtts://host:port`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broker {
    /// Host name or address.
    pub host: String,
    /// Port (1883 when not given, 8883 for mqtts://).
    pub port: u16,
    /// TLS (`mqtts://`).
    pub tls: bool,
}

impl Broker {
    /// Parses `mqtt://host[:port]` or `mqtts://host[:port]` (a bare
    /// `host[:port]` is plain MQTT).
    pub fn parse(text: &str) -> Result<Broker, FleetError> {
        let with_scheme = if text.contains("://") {
            text.to_owned()
        } else {
            format!("mqtt://{text}")
        };
        let error = |reason: String| FleetError::BrokerUrl {
            url: text.to_owned(),
            reason,
        };
        let url = url::Url::parse(&with_scheme).map_err(|e| error(e.to_string()))?;
        let (tls, default_port) = match url.scheme() {
            "mqtt" => (false, 1883),
            "mqtts" => (true, 8883),
            other => {
                return Err(error(format!(
                    "scheme `{other}` is not supported, use mqtt:// or mqtts://"
                )));
            }
        };
        let host = url
            .host_str()
            .ok_or_else(|| error("no host".into()))?
            .trim_matches(['[', ']'])
            .to_owned();
        Ok(Broker {
            host,
            port: url.port().unwrap_or(default_port),
            tls,
        })
    }

    /// The error of a failed connection to this broker, in words.
    pub fn connection_error(&self, message: impl std::fmt::Display) -> FleetError {
        FleetError::Connection {
            broker: format!("{}:{}", self.host, self.port),
            message: message.to_string(),
        }
    }
}

/// How to reach a broker: its address, credentials and the CA its TLS
/// certificate must be signed by.
#[derive(Debug, Clone)]
pub struct BrokerAccess {
    /// The broker.
    pub broker: Broker,
    /// User name and password.
    pub credentials: Option<(String, String)>,
    /// PEM of the CA that signed the broker's certificate (None: the
    /// system's roots).
    pub ca_pem: Option<Vec<u8>>,
}

impl BrokerAccess {
    /// Access without credentials or a CA of its own.
    pub fn anonymous(broker: Broker) -> Self {
        BrokerAccess {
            broker,
            credentials: None,
            ca_pem: None,
        }
    }

    /// Access from an address, a user name and the files holding the
    /// password and the CA certificate.
    pub fn from_files(
        broker: &str,
        username: Option<&str>,
        password_file: Option<&Path>,
        ca_file: Option<&Path>,
    ) -> Result<Self, FleetError> {
        let broker = Broker::parse(broker)?;
        let read = |what: &'static str, path: &Path| {
            std::fs::read(path).map_err(|source| FleetError::File {
                what,
                path: path.to_owned(),
                source,
            })
        };
        let password = password_file
            .map(|path| read("password file", path))
            .transpose()?
            .map(|bytes| {
                String::from_utf8_lossy(&bytes)
                    .trim_end_matches(['\n', '\r'])
                    .to_owned()
            });
        let credentials = match (username, password) {
            (Some(user), Some(password)) => Some((user.to_owned(), password)),
            (None, None) => None,
            (Some(user), None) => {
                return Err(FleetError::Credentials(format!(
                    "user `{user}` has no password file"
                )));
            }
            (None, Some(_)) => {
                return Err(FleetError::Credentials(
                    "a password file is given but no user name".into(),
                ));
            }
        };
        let ca_pem = ca_file
            .map(|path| read("CA certificate", path))
            .transpose()?;
        Ok(BrokerAccess {
            broker,
            credentials,
            ca_pem,
        })
    }

    /// MQTT 5 options for a client with this id, accepting packets up to
    /// `max_packet` bytes.
    pub fn options(&self, client_id: &str, max_packet: u32) -> MqttOptions {
        let mut options = MqttOptions::new(client_id, self.broker.host.clone(), self.broker.port);
        options.set_keep_alive(KEEP_ALIVE);
        options.set_max_packet_size(Some(max_packet));
        if let Some((user, password)) = &self.credentials {
            options.set_credentials(user.clone(), password.clone());
        }
        if self.broker.tls {
            options.set_transport(match &self.ca_pem {
                Some(ca) => rumqttc::Transport::tls(ca.clone(), None, None),
                None => rumqttc::Transport::tls_with_default_config(),
            });
        }
        options
    }
}

/// A client id nobody can guess: `<name>-<16 random hex digits>`.
pub fn client_id(name: &str) -> String {
    use aws_lc_rs::rand::SecureRandom;
    let mut random = [0u8; 8];
    let suffix = match aws_lc_rs::rand::SystemRandom::new().fill(&mut random) {
        Ok(()) => random
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>(),
        Err(_) => format!(
            "{:016x}",
            crate::sync::schedule::random_fraction().to_bits()
        ),
    };
    format!("{name}-{suffix}")
}

/// The topic names of a fleet.
#[derive(Debug, Clone)]
pub struct Topics {
    prefix: String,
}

impl Topics {
    /// Topics under `prefix`.
    pub fn new(prefix: &str) -> Self {
        Topics {
            prefix: prefix.trim_end_matches('/').to_owned(),
        }
    }

    /// Commands for one kiosk.
    pub fn command(&self, kiosk_id: &str) -> String {
        format!("{}/{kiosk_id}/cmd", self.prefix)
    }

    /// Commands for every kiosk.
    pub fn fleet_command(&self) -> String {
        format!("{}/all/cmd", self.prefix)
    }

    /// One kiosk's retained status.
    pub fn status(&self, kiosk_id: &str) -> String {
        format!("{}/{kiosk_id}/status", self.prefix)
    }

    /// Every kiosk's status (subscription filter).
    pub fn all_statuses(&self) -> String {
        format!("{}/+/status", self.prefix)
    }

    /// The kiosk id in a status topic (`<prefix>/<id>/status`).
    pub fn kiosk_of_status<'t>(&self, topic: &'t str) -> Option<&'t str> {
        topic
            .strip_prefix(self.prefix.as_str())?
            .strip_prefix('/')?
            .strip_suffix("/status")
            .filter(|id| !id.contains('/'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broker_addresses() {
        assert_eq!(
            Broker::parse("mqtt://10.0.0.2").unwrap(),
            Broker {
                host: "10.0.0.2".into(),
                port: 1883,
                tls: false
            }
        );
        assert_eq!(Broker::parse("localhost:1999").unwrap().port, 1999);
        let tls = Broker::parse("mqtts://broker.lan").unwrap();
        assert!(tls.tls && tls.port == 8883);
        let error = Broker::parse("http://x").unwrap_err().to_string();
        assert!(error.contains("use mqtt:// or mqtts://"), "{error}");
    }

    #[test]
    fn topic_names() {
        let topics = Topics::new("lobby/");
        assert_eq!(topics.command("hall-1"), "lobby/hall-1/cmd");
        assert_eq!(topics.fleet_command(), "lobby/all/cmd");
        assert_eq!(topics.status("hall-1"), "lobby/hall-1/status");
        assert_eq!(topics.all_statuses(), "lobby/+/status");
        assert_eq!(
            topics.kiosk_of_status("lobby/hall-1/status"),
            Some("hall-1")
        );
        assert_eq!(topics.kiosk_of_status("lobby/a/b/status"), None);
        assert_eq!(topics.kiosk_of_status("other/hall-1/status"), None);
    }

    #[test]
    fn commands_are_one_short_word() {
        assert_eq!(Command::parse(b" sync\n"), Some(Command::Sync));
        assert_eq!(Command::parse(b"status"), Some(Command::Status));
        assert_eq!(Command::parse(b"reboot"), None);
        assert_eq!(Command::parse(&[0xff, 0xfe]), None);
        assert_eq!(Command::parse(&[b' '; 100]), None);
    }

    #[test]
    fn client_ids_differ_every_time() {
        let first = client_id("kiosk-hall-1");
        assert!(first.starts_with("kiosk-hall-1-") && first.len() == "kiosk-hall-1-".len() + 16);
        assert_ne!(first, client_id("kiosk-hall-1"));
    }
}
