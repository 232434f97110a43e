//! The running kiosk apart from its screen: its status and the updates
//! sync reports make to it ([`status`]), what it shows at start
//! ([`startup`]), and the admin services it runs ([`services`]: the HTTP
//! [`endpoint`] and the MQTT [`fleet`] channel). Nothing here imports the
//! UI; the UI and the binaries wire these to the screen.

pub mod endpoint;
pub mod fleet;
pub mod services;
pub mod startup;
pub mod status;
