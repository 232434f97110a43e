//! Lobby kiosk: a self-service information terminal for a government
//! department's lobby.
//!
//! - [`content`]: the content model, authoring format and demo content.
//! - [`ui`]: the Slint UI and its adapters.
//! - `emulator`: the headless emulator that runs the real UI (the
//!   `emulator` feature; the board build leaves it out).
//! - [`config`]: the kiosk's configuration file.
//! - [`mirror`]: import of the department site's columns (HTML, RSS) as
//!   authoring content.
//! - [`net`]: bounded reads from the network (size limits and deadlines).
//! - [`platform`]: the board's OS integration (waiting for the display, systemd readiness and watchdog).
//! - [`reach`]: the reach zone, the part of the screen a visitor can touch,
//!   from how the panel is mounted.
//! - [`search`]: the search index (pinyin, simplified/traditional folding,
//!   ranking, highlights) behind the on-screen keyboard.
//! - [`store`]: the offline content cache (content-addressed blobs,
//!   generations switched atomically, fallback, garbage collection).
//! - [`kiosk`]: the running kiosk apart from its screen (status, startup,
//!   the HTTP admin endpoint and the fleet channel); [`secret`]: PIN and
//!   token hashing; [`service_thread`]: a service on a thread of its own
//!   that stops when its handle is dropped.
//! - [`speech`]: the read-aloud mode's engine (what is spoken, in which
//!   voice, espeak-ng behind a [`speech::Speaker`]).
//! - [`handwriting`]: the search pad's recognizer (Debian's libzinnia,
//!   loaded at run time) and candidates in the visitor's script.
//! - [`admin`]: the admin workstation side (`kioskctl`, its client, the fleet
//!   admin, the preview); [`fleet`]: the MQTT protocol both sides share.
//!
//! The layers and the rules that keep them are in `docs/architecture.md`
//! (checked by `scripts/layer-check.sh`).

pub mod admin;
pub mod config;
pub mod content;
#[cfg(feature = "emulator")]
pub mod emulator;
pub mod fleet;
pub mod handwriting;
pub mod kiosk;
pub mod log_limit;
pub mod mirror;
pub mod net;
pub mod platform;
pub mod reach;
pub mod repo;
pub mod search;
pub mod secret;
pub mod service_thread;
pub mod speech;
pub mod store;
pub mod sync;
pub mod ui;
