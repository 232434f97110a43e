//! The admin workstation side: `kioskctl` (its commands live in [`cli`]),
//! its HTTP client of a kiosk's endpoint, the fleet admin over MQTT, the
//! live fleet table of the console ([`fleet_watch`]) and the content preview. The kiosk's own side of these lives in [`crate::kiosk`].

pub mod cli;
pub mod client;
pub mod fleet;
pub mod fleet_watch;
pub mod preview;
