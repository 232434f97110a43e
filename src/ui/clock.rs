//! The kiosk's clock: wall-clock and monotonic time, injectable so the
//! emulator can mock it.

use std::time::Duration;

use chrono::{DateTime, Utc};

/// Wall-clock and monotonic time, injectable so the emulator can mock it.
pub trait Clock {
    /// The current instant.
    fn now(&self) -> DateTime<Utc>;
    /// Monotonic time since start.
    fn elapsed(&self) -> Duration;
}

/// The real clock.
pub struct SystemClock {
    started: std::time::Instant,
    /// Test hook: the wall clock stands still at this instant.
    fixed_now: Option<DateTime<Utc>>,
}

impl Default for SystemClock {
    fn default() -> Self {
        SystemClock {
            started: std::time::Instant::now(),
            fixed_now: None,
        }
    }
}

impl SystemClock {
    /// A clock whose wall time stands still at `now` (monotonic time still
    /// runs, so timers and idle resets work): the test hook that lets the
    /// board in a box (`scripts/board-box.sh`) show what the emulator's
    /// golden screenshots show. A real kiosk uses [`SystemClock::default`].
    pub fn fixed_at(now: DateTime<Utc>) -> Self {
        SystemClock {
            fixed_now: Some(now),
            ..SystemClock::default()
        }
    }
}

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        self.fixed_now.unwrap_or_else(Utc::now)
    }

    fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }
}
