//! The fleet channel over an MQTT broker: each kiosk listens for commands on
//! `<prefix>/<kiosk_id>/cmd` and `<prefix>/all/cmd`, keeps a retained status
//! on `<prefix>/<kiosk_id>/status` (refreshed on every change and by a
//! heartbeat), and leaves a last-will so the broker marks a dead kiosk
//! offline. [`admin`] is the other side, used by `kioskctl --broker`.

pub mod admin;
mod kiosk;

pub use kiosk::Fleet;

use std::time::Duration;

/// The command that wakes a kiosk's sync.
pub const SYNC_COMMAND: &str = "sync";

/// The command that makes a kiosk publish its status now.
pub const STATUS_COMMAND: &str = "status";

/// How often the connection is checked; a kiosk silent for 1.5× this is dead
/// to the broker, which then publishes its last-will.
pub const KEEP_ALIVE: Duration = Duration::from_secs(5);

/// The fleet channel failed.
#[derive(Debug, thiserror::Error)]
pub enum FleetError {
    /// The broker address is not usable.
    #[error("broker `{url}` is not a valid mqtt://host:port address: {reason}")]
    BrokerUrl {
        /// The address given.
        url: String,
        /// Why.
        reason: String,
    },
    /// The broker cannot be reached or refused the connection.
    #[error(
        "cannot reach the MQTT broker {broker}: {message} (check the address and that the broker runs)"
    )]
    Connection {
        /// host:port.
        broker: String,
        /// Why.
        message: String,
    },
    /// A thread or runtime could not start.
    #[error("fleet channel: cannot start: {0}")]
    Start(std::io::Error),
}

/// A broker's host and port, from `mqtt://host:port`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broker {
    /// Host name or address.
    pub host: String,
    /// Port (1883 when not given).
    pub port: u16,
}

impl Broker {
    /// Parses `mqtt://host[:port]` (a bare `host[:port]` is accepted too).
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
        if url.scheme() != "mqtt" {
            return Err(error(format!(
                "scheme `{}` is not supported, use mqtt://",
                url.scheme()
            )));
        }
        let host = url
            .host_str()
            .ok_or_else(|| error("no host".into()))?
            .trim_matches(['[', ']'])
            .to_owned();
        Ok(Broker {
            host,
            port: url.port().unwrap_or(1883),
        })
    }

    fn options(&self, client_id: &str) -> rumqttc::MqttOptions {
        let mut options = rumqttc::MqttOptions::new(client_id, self.host.clone(), self.port);
        options.set_keep_alive(KEEP_ALIVE);
        options
    }

    fn connection_error(&self, message: impl std::fmt::Display) -> FleetError {
        FleetError::Connection {
            broker: format!("{}:{}", self.host, self.port),
            message: message.to_string(),
        }
    }
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
                port: 1883
            }
        );
        assert_eq!(Broker::parse("localhost:1999").unwrap().port, 1999);
        let error = Broker::parse("http://x").unwrap_err().to_string();
        assert!(error.contains("use mqtt://"), "{error}");
    }

    #[test]
    fn topic_names() {
        let topics = Topics::new("lobby/");
        assert_eq!(topics.command("hall-1"), "lobby/hall-1/cmd");
        assert_eq!(topics.fleet_command(), "lobby/all/cmd");
        assert_eq!(topics.status("hall-1"), "lobby/hall-1/status");
        assert_eq!(topics.all_statuses(), "lobby/+/status");
    }
}
