//! Rate-limited log lines, for what a stranger can make happen as often as
//! they like (unknown fleet commands, failed connections): the first line
//! is logged, then at most one per period, each saying how many like it
//! were left out, so nobody can fill the log or the disk.

use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};

/// One kind of log line, limited to one per period.
pub struct LogLimit {
    limiter: DefaultDirectRateLimiter,
    suppressed: AtomicU64,
}

impl LogLimit {
    /// At most one line per `period` (a burst of one).
    pub fn new(period: Duration) -> Self {
        let quota = Quota::with_period(period.max(Duration::from_millis(1)))
            .unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN))
            .allow_burst(NonZeroU32::MIN);
        LogLimit {
            limiter: RateLimiter::direct(quota),
            suppressed: AtomicU64::new(0),
        }
    }

    /// Whether to log this line now; `Some(n)` also says how many were left
    /// out since the last one logged.
    pub fn allow(&self) -> Option<u64> {
        if self.limiter.check().is_ok() {
            Some(self.suppressed.swap(0, Ordering::Relaxed))
        } else {
            self.suppressed.fetch_add(1, Ordering::Relaxed);
            None
        }
    }
}

/// ` (and 41 more like it)` for a count of left-out lines, or nothing.
pub fn left_out(count: u64) -> String {
    if count == 0 {
        String::new()
    } else {
        format!(" (and {count} more like it since the last one logged)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_per_period_and_a_count_of_the_rest() {
        let limit = LogLimit::new(Duration::from_secs(3600));
        assert_eq!(limit.allow(), Some(0));
        for _ in 0..5000 {
            assert_eq!(limit.allow(), None);
        }
        assert_eq!(
            left_out(5000),
            " (and 5000 more like it since the last one logged)"
        );
        assert_eq!(left_out(0), "");
    }
}
