//! The Sandbox's clock: a start instant the test may seed and the time the test advanced it
//! by. Nothing in the Sandbox reads the wall clock, so timestamps are stable across runs and a
//! test moves time (idempotency keys expiring, webhook retries falling due) without sleeping.

use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};

/// Where the Sandbox's clock starts unless the test seeds it: 2024-01-01T00:00:00Z.
pub const DEFAULT_START: i64 = 1_704_067_200;

/// The Sandbox's time.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Clock {
    start: DateTime<Utc>,
    elapsed: Duration,
}

impl Clock {
    /// A clock at `start`.
    pub(crate) fn new(start: DateTime<Utc>) -> Self {
        Clock { start, elapsed: Duration::ZERO }
    }

    /// How long the clock has run since its start.
    pub(crate) fn elapsed(&self) -> Duration {
        self.elapsed
    }

    /// Moves the clock on by `by` (saturating: a clock does not wrap).
    pub(crate) fn advance(&mut self, by: Duration) {
        self.elapsed = self.elapsed.saturating_add(by);
    }

    /// The current time, as Dwolla writes timestamps (`2024-01-01T00:00:00.000Z`).
    pub(crate) fn timestamp(&self) -> String {
        let elapsed = chrono::Duration::from_std(self.elapsed).unwrap_or(chrono::Duration::MAX);
        let now = self.start.checked_add_signed(elapsed).unwrap_or(DateTime::<Utc>::MAX_UTC);
        now.to_rfc3339_opts(SecondsFormat::Millis, true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clock_moves_only_when_told_and_saturates() {
        let mut clock = Clock::new(DateTime::from_timestamp(DEFAULT_START, 0).unwrap());
        assert_eq!(clock.timestamp(), "2024-01-01T00:00:00.000Z");
        clock.advance(Duration::from_secs(90));
        assert_eq!((clock.timestamp().as_str(), clock.elapsed()), ("2024-01-01T00:01:30.000Z", Duration::from_secs(90)));
        clock.advance(Duration::MAX);
        assert_eq!(clock.elapsed(), Duration::MAX);
        assert!(clock.timestamp().starts_with('+'), "{}", clock.timestamp());
    }
}
