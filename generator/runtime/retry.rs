//! Retries that cannot move money twice. Connection failures, timeouts, `429` and `5xx` are
//! retried with exponential backoff and full jitter, honouring `Retry-After`, within a bound on
//! attempts and on total time. `GET` and `DELETE` are retried freely; a `POST` only when it
//! carries an `Idempotency-Key` (every `POST` gets one unless the caller opts out), so Dwolla
//! answers a replay with the original result instead of acting twice. A `409` on a keyed
//! request means the first attempt is still being processed, and is retried too.
//!
//! Every duration from outside (`Retry-After`, the caller's settings) is combined with
//! saturating arithmetic: no number can overflow the clock.

use std::time::{Duration, SystemTime};

use http::{HeaderMap, StatusCode};

/// How a client (or one call) retries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    pub(crate) max_attempts: u32,
    pub(crate) initial_backoff: Duration,
    pub(crate) max_backoff: Duration,
    pub(crate) max_elapsed: Duration,
}

impl Default for RetryPolicy {
    /// Three attempts, backoff from 0.5 s up to 10 s, at most 60 s in all.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(10),
            max_elapsed: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// No retries: every request is sent once.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// How many times a request may be sent in all (1 means no retries).
    #[must_use]
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The backoff before the first retry; it doubles with each one.
    #[must_use]
    pub fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// The longest backoff between two attempts.
    #[must_use]
    pub fn max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// The time budget of retrying: no retry starts once this much time has passed since the
    /// first attempt started, no wait (not even one that `Retry-After` asks for) reaches past
    /// it, and a retry is cut off (as [`Error::Timeout`](crate::Error::Timeout)) when it would
    /// run past it. The first attempt is bounded by the client's timeout alone, and a client
    /// built with [`no_timeout`](crate::ClientBuilder::no_timeout) sets no timer on any attempt:
    /// then the budget only decides whether a retry starts.
    #[must_use]
    pub fn max_elapsed(mut self, elapsed: Duration) -> Self {
        self.max_elapsed = elapsed;
        self
    }

    /// Whether a request may be sent more than once.
    pub fn is_enabled(&self) -> bool {
        self.max_attempts > 1
    }

    /// The full-jitter backoff before retry number `retry` (0 for the first retry).
    pub(crate) fn backoff(&self, retry: u32) -> Duration {
        let ceiling = self
            .initial_backoff
            .saturating_mul(2u32.saturating_pow(retry.min(16)))
            .min(self.max_backoff);
        // Not `mul_f64`, which panics when the product rounds above `Duration::MAX`.
        Duration::try_from_secs_f64(ceiling.as_secs_f64() * fastrand::f64()).map_or(ceiling, |d| d.min(ceiling))
    }
}

/// Why an attempt may be worth repeating.
pub(crate) fn retryable_status(status: StatusCode, keyed: bool) -> bool {
    status == StatusCode::TOO_MANY_REQUESTS
        || status.is_server_error()
        || (status == StatusCode::CONFLICT && keyed)
}

/// `Retry-After` as a duration: delta-seconds or an HTTP date.
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(http::header::RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(SystemTime::now()).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_is_jittered_below_an_exponential_ceiling() {
        let p = RetryPolicy::default();
        for retry in 0..8 {
            let ceiling = (Duration::from_millis(500) * 2u32.pow(retry)).min(Duration::from_secs(10));
            for _ in 0..50 {
                assert!(p.backoff(retry) <= ceiling);
            }
        }
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let mut h = HeaderMap::new();
        h.insert(http::header::RETRY_AFTER, http::HeaderValue::from_static("2"));
        assert_eq!(retry_after(&h), Some(Duration::from_secs(2)));
        let later = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(120));
        h.insert(http::header::RETRY_AFTER, http::HeaderValue::from_str(&later).unwrap());
        let d = retry_after(&h).unwrap();
        assert!(d > Duration::from_secs(100) && d <= Duration::from_secs(120), "{d:?}");
        h.insert(http::header::RETRY_AFTER, http::HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&h), None);
    }

    #[test]
    fn backoff_does_not_panic_at_the_largest_durations() {
        let p = RetryPolicy::default()
            .initial_backoff(Duration::MAX)
            .max_backoff(Duration::MAX);
        for retry in [0, 1, 16, u32::MAX] {
            for _ in 0..50 {
                assert!(p.backoff(retry) <= Duration::MAX);
            }
        }
    }

    #[test]
    fn retry_after_takes_the_largest_number() {
        let mut h = HeaderMap::new();
        h.insert(http::header::RETRY_AFTER, http::HeaderValue::from_static("18446744073709551615"));
        let d = retry_after(&h).unwrap_or_default();
        assert_eq!(d, Duration::from_secs(u64::MAX));
        assert_eq!(Duration::from_secs(1).saturating_add(d), Duration::MAX);
    }

    #[test]
    fn which_statuses_are_retried() {
        assert!(retryable_status(StatusCode::SERVICE_UNAVAILABLE, false));
        assert!(retryable_status(StatusCode::TOO_MANY_REQUESTS, false));
        assert!(retryable_status(StatusCode::CONFLICT, true));
        assert!(!retryable_status(StatusCode::CONFLICT, false));
        assert!(!retryable_status(StatusCode::BAD_REQUEST, true));
    }
}
