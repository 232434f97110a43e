//! The admin workstation side: `kioskctl` (its commands live in [`cli`]),
//! its HTTP client of a kiosk's endpoint, the fleet admin over MQTT, the
//! content preview in a window, and the admin console (a local web app,
//! [`console`], with its live fleet table, [`fleet_watch`]). The kiosk's
//! own side of these lives in [`crate::kiosk`].

pub mod cli;
pub mod client;
#[cfg(feature = "emulator")]
pub mod console;
pub mod fleet;
pub mod fleet_watch;
pub mod preview;
