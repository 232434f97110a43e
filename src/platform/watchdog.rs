//! systemd readiness and watchdog (`Type=notify`, `WatchdogSec=`).
//!
//! The kiosk reports `READY=1` once its UI event loop runs and then sends
//! `WATCHDOG=1` from a timer on that same loop, at half the interval systemd
//! asks for: a hung UI stops feeding the watchdog and systemd restarts it.
//! Without `NOTIFY_SOCKET` (not started by systemd) every call does nothing.

use std::time::Duration;

use sd_notify::NotifyState;

/// Keeps the watchdog timer alive; drop it to stop feeding.
pub struct Watchdog {
    _feed: Option<slint::Timer>,
}

/// How often to feed a watchdog that fires after `timeout`: half of it, as
/// sd_watchdog_enabled(3) recommends.
pub fn feed_interval(timeout: Duration) -> Duration {
    timeout / 2
}

/// Sends `READY=1`.
pub fn notify_ready() {
    send(NotifyState::Ready);
}

/// Sends `WATCHDOG=1`.
pub fn feed() {
    send(NotifyState::Watchdog);
}

fn send(state: NotifyState) {
    if let Err(error) = sd_notify::notify(&[state]) {
        tracing::warn!("cannot notify systemd: {error}");
    }
}

/// Schedules `READY=1` for the first turn of the UI event loop and, when
/// systemd set `WATCHDOG_USEC` for this process, feeds the watchdog from that
/// loop. Call before running the event loop; keep the result alive while it runs.
pub fn start() -> Watchdog {
    slint::Timer::single_shot(Duration::ZERO, notify_ready);
    let feed_timer = sd_notify::watchdog_enabled().map(|timeout| {
        let timer = slint::Timer::default();
        timer.start(slint::TimerMode::Repeated, feed_interval(timeout), feed);
        timer
    });
    Watchdog { _feed: feed_timer }
}
