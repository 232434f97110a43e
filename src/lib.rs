//! Lobby kiosk: a self-service information terminal for a government
//! department's lobby.
//!
//! - [`content`]: the content model, authoring format and demo content.

pub mod content;
pub mod ui;
