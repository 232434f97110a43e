//! Admin tooling: the kiosk's status as admins see it, the kiosk's HTTP
//! admin endpoint, and `kioskctl` (its commands live in [`cli`]).

pub mod cli;
pub mod client;
pub mod endpoint;
pub mod preview;
pub mod services;
pub mod status;
