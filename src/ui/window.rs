//! The kiosk's window on a desktop or the board.

use super::{KioskWindow, fonts};
use crate::config::Config;

/// The kiosk window could not open.
#[derive(Debug, thiserror::Error)]
#[error("cannot open the kiosk window: {source}{}", hint(.no_display))]
pub struct WindowError {
    /// Slint's (winit's) reason.
    pub source: slint::PlatformError,
    /// Neither `DISPLAY` nor `WAYLAND_DISPLAY` was set.
    pub no_display: bool,
}

/// What to do without a display, in one line.
fn hint(no_display: &bool) -> &'static str {
    if *no_display {
        "\nhint: there is no display here (ssh, a container): run it where a screen is \
         attached, under `xvfb-run`, or headless with `kiosk emulate --out shots/`"
    } else {
        ""
    }
}

/// Opens the kiosk window on the desktop (or the board) with the bundled
/// fonts. The 1080×1920 design does not fit most desktops: it is shown at
/// half size unless `SLINT_SCALE_FACTOR` is set (the board runs at 1.0).
/// Call before any other thread starts.
pub fn desktop_window(config: &Config) -> Result<KioskWindow, WindowError> {
    fonts::install(&config.font_dir());
    if std::env::var_os("SLINT_SCALE_FACTOR").is_none() {
        // SAFETY: called before the UI and any other thread start.
        unsafe { std::env::set_var("SLINT_SCALE_FACTOR", "0.5") };
    }
    KioskWindow::new().map_err(|source| WindowError {
        source,
        // The board draws through DRM/KMS and needs neither.
        no_display: cfg!(not(feature = "board"))
            && std::env::var_os("DISPLAY").is_none()
            && std::env::var_os("WAYLAND_DISPLAY").is_none(),
    })
}
