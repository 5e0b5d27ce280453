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
    #[cfg(test)]
    pub(crate) fn backoff(&self, retry: u32) -> Duration {
        self.backoff_with(retry, fastrand::f64())
    }

    /// The backoff before retry number `retry`, `jitter` (in `0..1`) of its exponential ceiling.
    pub(crate) fn backoff_with(&self, retry: u32, jitter: f64) -> Duration {
        let ceiling = self
            .initial_backoff
            .saturating_mul(2u32.saturating_pow(retry.min(16)))
            .min(self.max_backoff);
        // Not `mul_f64`, which panics when the product rounds above `Duration::MAX`.
        Duration::try_from_secs_f64(ceiling.as_secs_f64() * jitter.clamp(0.0, 1.0)).map_or(ceiling, |d| d.min(ceiling))
    }
}

/// What became of one attempt, as far as retrying cares.
#[derive(Debug)]
pub(crate) enum Outcome<'a> {
    /// An answer arrived. `token_rejected` says that it is a `401` blaming the access token.
    Response {
        status: StatusCode,
        headers: &'a HeaderMap,
        token_rejected: bool,
    },
    /// No answer: the connection failed or the attempt timed out. Worth another attempt.
    Transient(String),
    /// Anything else (a caller mistake, a body too large, a foreign answer): final.
    Final,
}

/// Where a call stands when an attempt has ended.
#[derive(Clone, Debug)]
pub(crate) struct Progress {
    /// The attempt that just ended, from 1 (a replay after a rejected token does not count).
    pub attempt: u32,
    /// Time since the first attempt started.
    pub elapsed: Duration,
    /// The request may be sent again: by its method and idempotency key, and by its body.
    pub repeatable: bool,
    /// The request carries an `Idempotency-Key` (a `409` then means "still in progress").
    pub keyed: bool,
    /// The access token may be refreshed and the request replayed once: it was sent with a
    /// bearer token, has not been replayed for that yet, and its body can be sent again.
    pub may_replay_token: bool,
    /// How long the call may still take by its caller's deadline, if it has one.
    pub deadline_left: Option<Duration>,
}

/// What to do after an attempt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Decision {
    /// Return the outcome to the caller.
    Stop(Stop),
    /// Forget the access token, fetch another and send the request again, at once.
    ReplayToken,
    /// Wait `delay`, then send the request again.
    Retry { delay: Duration, reason: String },
}

/// Why the outcome goes back to the caller.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Stop {
    /// A success, or a failure that another attempt would not change.
    Final,
    /// Worth retrying, but the request cannot be sent twice (a `POST` without a key, a body
    /// streamed from a reader).
    NotRepeatable { reason: String },
    /// Worth retrying, but the policy's attempts are spent.
    AttemptsSpent { reason: String },
    /// Worth retrying, but the wait would reach past the policy's time budget or the deadline.
    BudgetSpent { reason: String },
}

/// Decides what follows an attempt: a pure function of the outcome, where the call stands and
/// the policy. `jitter` (in `0..1`) picks the backoff below its ceiling; `Retry-After`, when the
/// server sends one, is taken instead.
pub(crate) fn decide(outcome: &Outcome<'_>, progress: &Progress, policy: &RetryPolicy, jitter: f64) -> Decision {
    let (reason, asked) = match outcome {
        Outcome::Response { status, token_rejected, .. }
            if *status == StatusCode::UNAUTHORIZED && *token_rejected && progress.may_replay_token =>
        {
            return Decision::ReplayToken;
        }
        Outcome::Response { status, headers, .. } if retryable_status(*status, progress.keyed) => {
            (status.to_string(), retry_after(headers))
        }
        Outcome::Transient(why) => (why.clone(), None),
        _ => return Decision::Stop(Stop::Final),
    };
    if !progress.repeatable {
        return Decision::Stop(Stop::NotRepeatable { reason });
    }
    if progress.attempt >= policy.max_attempts {
        return Decision::Stop(Stop::AttemptsSpent { reason });
    }
    let delay = asked.unwrap_or_else(|| policy.backoff_with(progress.attempt.saturating_sub(1), jitter));
    // `Retry-After` is the server's number: it may be anything up to `u64::MAX` seconds.
    let budget = policy.max_elapsed.saturating_sub(progress.elapsed);
    let budget = progress.deadline_left.map_or(budget, |d| d.min(budget));
    if delay >= budget {
        return Decision::Stop(Stop::BudgetSpent { reason });
    }
    Decision::Retry { delay, reason }
}

/// Whether a `401`'s body says the token, not the caller, is the problem.
pub(crate) fn token_rejected(body: &[u8]) -> bool {
    serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v.get("code").and_then(|c| c.as_str()).map(str::to_owned))
        .is_some_and(|code| code == "ExpiredAccessToken" || code == "InvalidAccessToken")
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

    fn progress(attempt: u32) -> Progress {
        Progress {
            attempt,
            elapsed: Duration::ZERO,
            repeatable: true,
            keyed: true,
            may_replay_token: true,
            deadline_left: None,
        }
    }

    fn response(status: u16, headers: &HeaderMap, token_rejected: bool) -> Outcome<'_> {
        Outcome::Response {
            status: StatusCode::from_u16(status).unwrap(),
            headers,
            token_rejected,
        }
    }

    #[test]
    fn successes_and_client_errors_stop() {
        let h = HeaderMap::new();
        let p = RetryPolicy::default();
        for status in [200, 201, 400, 401, 403, 404] {
            assert_eq!(decide(&response(status, &h, false), &progress(1), &p, 0.5), Decision::Stop(Stop::Final), "{status}");
        }
        assert_eq!(decide(&Outcome::Final, &progress(1), &p, 0.5), Decision::Stop(Stop::Final));
    }

    #[test]
    fn a_rejected_token_is_replayed_once() {
        let h = HeaderMap::new();
        let p = RetryPolicy::none();
        assert_eq!(decide(&response(401, &h, true), &progress(1), &p, 0.5), Decision::ReplayToken);
        let replayed = Progress {
            may_replay_token: false,
            ..progress(1)
        };
        assert_eq!(decide(&response(401, &h, true), &replayed, &p, 0.5), Decision::Stop(Stop::Final));
    }

    #[test]
    fn transient_failures_retry_with_the_jittered_backoff_until_attempts_run_out() {
        let h = HeaderMap::new();
        let p = RetryPolicy::default();
        let d = decide(&response(503, &h, false), &progress(1), &p, 0.5);
        assert_eq!(d, Decision::Retry { delay: Duration::from_millis(250), reason: "503 Service Unavailable".into() });
        let d = decide(&Outcome::Transient("timed out".into()), &progress(2), &p, 1.0);
        assert_eq!(d, Decision::Retry { delay: Duration::from_secs(1), reason: "timed out".into() });
        let d = decide(&response(503, &h, false), &progress(3), &p, 0.5);
        assert!(matches!(d, Decision::Stop(Stop::AttemptsSpent { .. })), "{d:?}");
    }

    #[test]
    fn an_unrepeatable_request_is_not_retried() {
        let h = HeaderMap::new();
        let p = Progress {
            repeatable: false,
            keyed: false,
            ..progress(1)
        };
        let d = decide(&response(503, &h, false), &p, &RetryPolicy::default(), 0.5);
        assert!(matches!(d, Decision::Stop(Stop::NotRepeatable { .. })), "{d:?}");
        // A 409 means "in progress" only under a key.
        let d = decide(&response(409, &h, false), &p, &RetryPolicy::default(), 0.5);
        assert_eq!(d, Decision::Stop(Stop::Final));
    }

    #[test]
    fn retry_after_is_honoured_within_the_budget_and_the_deadline() {
        let mut h = HeaderMap::new();
        h.insert(http::header::RETRY_AFTER, http::HeaderValue::from_static("5"));
        let p = RetryPolicy::default();
        let d = decide(&response(429, &h, false), &progress(1), &p, 0.0);
        assert_eq!(d, Decision::Retry { delay: Duration::from_secs(5), reason: "429 Too Many Requests".into() });
        let late = Progress {
            elapsed: Duration::from_secs(56),
            ..progress(1)
        };
        assert!(matches!(decide(&response(429, &h, false), &late, &p, 0.0), Decision::Stop(Stop::BudgetSpent { .. })));
        let deadline = Progress {
            deadline_left: Some(Duration::from_secs(4)),
            ..progress(1)
        };
        assert!(matches!(decide(&response(429, &h, false), &deadline, &p, 0.0), Decision::Stop(Stop::BudgetSpent { .. })));
        h.insert(http::header::RETRY_AFTER, http::HeaderValue::from_static("18446744073709551615"));
        assert!(matches!(decide(&response(429, &h, false), &progress(1), &p, 0.0), Decision::Stop(Stop::BudgetSpent { .. })));
    }

    #[test]
    fn token_rejection_is_read_from_the_code() {
        assert!(token_rejected(br#"{"code":"ExpiredAccessToken"}"#));
        assert!(token_rejected(br#"{"code":"InvalidAccessToken","message":"x"}"#));
        assert!(!token_rejected(br#"{"code":"InvalidCredentials"}"#));
        assert!(!token_rejected(b"not json"));
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
