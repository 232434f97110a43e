//! Lobby kiosk: a self-service information terminal for a government
//! department's lobby.
//!
//! - [`content`]: the content model, authoring format and demo content.
//! - [`ui`]: the Slint UI and its adapters.
//! - [`emulator`]: the headless emulator that runs the real UI.
//! - [`config`]: the kiosk's configuration file.
//! - [`mirror`]: import of the department site's columns (HTML, RSS) as
//!   authoring content.
//! - [`platform`]: the board's OS integration (systemd readiness and watchdog).
//! - [`store`]: the offline content cache (content-addressed blobs,
//!   generations switched atomically, fallback, garbage collection).

pub mod config;
pub mod content;
pub mod emulator;
pub mod mirror;
pub mod platform;
pub mod repo;
pub mod startup;
pub mod store;
pub mod sync;
pub mod ui;
