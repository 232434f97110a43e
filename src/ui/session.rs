//! The visitor's session (language, text size, contrast) and the admin PIN gate.

use std::time::Duration;

use crate::content::Lang;
use crate::secret::hash_secret;

/// The text size steps offered to visitors.
pub const TEXT_SCALES: [f32; 3] = [1.0, 1.25, 1.5];

/// Settings a visitor may change; all reset after idle.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VisitorSettings {
    /// Display language of chrome and content.
    pub lang: Lang,
    /// One of [`TEXT_SCALES`].
    pub text_scale: f32,
    /// High-contrast theme.
    pub high_contrast: bool,
    /// Speech mode (read-aloud): touches explore, the kiosk speaks.
    pub speech: bool,
}

impl VisitorSettings {
    /// The defaults a new visitor finds.
    pub fn defaults(lang: Lang) -> Self {
        VisitorSettings {
            lang,
            text_scale: 1.0,
            high_contrast: false,
            speech: false,
        }
    }
}

/// How many wrong PINs lock the pad.
pub const MAX_PIN_ATTEMPTS: u32 = 3;

/// How long the pad stays locked.
pub const PIN_LOCKOUT: Duration = Duration::from_secs(60);

/// What happened to a PIN attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PinOutcome {
    /// Correct: open the admin panel.
    Accepted,
    /// Wrong; this many attempts remain before the lock.
    Rejected {
        /// Attempts left.
        remaining: u32,
    },
    /// Locked: no attempt is checked until this much time has passed.
    Locked {
        /// Time left on the lock.
        remaining: Duration,
    },
}

/// Checks admin PINs against a SHA-256 hash from the config, with lock-out.
#[derive(Debug, Clone)]
pub struct PinGate {
    pin_sha256: Option<String>,
    failures: u32,
    locked_until: Option<Duration>,
}

impl PinGate {
    /// A gate for the configured hash; without one the admin panel cannot be opened.
    pub fn new(pin_sha256: Option<String>) -> Self {
        PinGate {
            pin_sha256: pin_sha256.map(|hash| hash.to_ascii_lowercase()),
            failures: 0,
            locked_until: None,
        }
    }

    /// Checks a PIN at time `now` (monotonic time since start).
    pub fn submit(&mut self, pin: &str, now: Duration) -> PinOutcome {
        if let Some(until) = self.locked_until {
            if now < until {
                return PinOutcome::Locked {
                    remaining: until - now,
                };
            }
            self.locked_until = None;
            self.failures = 0;
        }
        let accepted = self
            .pin_sha256
            .as_deref()
            .is_some_and(|expected| hash_secret(pin) == expected);
        if accepted {
            self.failures = 0;
            return PinOutcome::Accepted;
        }
        self.failures += 1;
        if self.failures >= MAX_PIN_ATTEMPTS {
            self.locked_until = Some(now + PIN_LOCKOUT);
            return PinOutcome::Locked {
                remaining: PIN_LOCKOUT,
            };
        }
        PinOutcome::Rejected {
            remaining: MAX_PIN_ATTEMPTS - self.failures,
        }
    }

    /// How long the pad stays locked after `now`; None when it is not.
    pub fn locked_for(&self, now: Duration) -> Option<Duration> {
        self.locked_until
            .filter(|until| now < *until)
            .map(|until| until - now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_wrong_pins_lock_for_a_minute() {
        let mut gate = PinGate::new(Some(hash_secret("2468")));
        let t = Duration::from_secs(10);
        assert_eq!(
            gate.submit("1111", t),
            PinOutcome::Rejected { remaining: 2 }
        );
        assert_eq!(
            gate.submit("2222", t),
            PinOutcome::Rejected { remaining: 1 }
        );
        assert_eq!(
            gate.submit("3333", t),
            PinOutcome::Locked {
                remaining: PIN_LOCKOUT
            }
        );
        // Even the right PIN is refused while locked.
        assert!(matches!(
            gate.submit("2468", t + Duration::from_secs(59)),
            PinOutcome::Locked { .. }
        ));
        assert_eq!(
            gate.submit("2468", t + Duration::from_secs(61)),
            PinOutcome::Accepted
        );
    }

    #[test]
    fn without_a_configured_hash_nothing_opens() {
        let mut gate = PinGate::new(None);
        assert_eq!(
            gate.submit("", Duration::ZERO),
            PinOutcome::Rejected { remaining: 2 }
        );
    }
}
