//! When to sync next: a regular interval with jitter (so a fleet does not
//! hit the server at the same second), exponential backoff after failures,
//! capped.

use std::time::Duration;

/// The sync timing policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schedule {
    /// Time between successful syncs.
    pub interval: Duration,
    /// Up to this much is added at random to each interval.
    pub jitter: Duration,
    /// First retry delay after a failure; doubles per consecutive failure.
    pub backoff_base: Duration,
    /// Longest retry delay.
    pub backoff_cap: Duration,
}

impl Default for Schedule {
    fn default() -> Self {
        Schedule {
            interval: Duration::from_secs(10 * 60),
            jitter: Duration::from_secs(60),
            backoff_base: Duration::from_secs(15),
            backoff_cap: Duration::from_secs(30 * 60),
        }
    }
}

impl Schedule {
    /// The delay before the next attempt after `failures` consecutive
    /// failures; `random` in [0, 1) picks the jitter.
    pub fn next_delay(&self, failures: u32, random: f64) -> Duration {
        let jitter = self.jitter.mul_f64(random.clamp(0.0, 1.0));
        if failures == 0 {
            return self.interval + jitter;
        }
        let factor = 2u32.saturating_pow(failures.saturating_sub(1).min(20));
        let backoff = self
            .backoff_base
            .saturating_mul(factor)
            .min(self.backoff_cap);
        backoff + jitter.min(backoff / 4)
    }
}

/// A number in [0, 1) that differs between kiosks and calls, for jitter.
pub fn random_fraction() -> f64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interval_plus_jitter_when_healthy() {
        let schedule = Schedule::default();
        assert_eq!(schedule.next_delay(0, 0.0), Duration::from_secs(600));
        assert_eq!(schedule.next_delay(0, 0.5), Duration::from_secs(630));
    }

    #[test]
    fn backoff_doubles_and_is_capped() {
        let schedule = Schedule {
            jitter: Duration::ZERO,
            ..Schedule::default()
        };
        let delays: Vec<u64> = (1..=10)
            .map(|f| schedule.next_delay(f, 0.0).as_secs())
            .collect();
        assert_eq!(delays, [15, 30, 60, 120, 240, 480, 960, 1800, 1800, 1800]);
        assert_eq!(
            schedule.next_delay(u32::MAX, 0.0),
            Duration::from_secs(1800)
        );
    }

    #[test]
    fn random_fraction_is_in_range() {
        for _ in 0..100 {
            let r = random_fraction();
            assert!((0.0..1.0).contains(&r));
        }
    }
}
