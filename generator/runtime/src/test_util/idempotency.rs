//! Dwolla's idempotency rules as a pure model, for test servers that play Dwolla: given the
//! `Idempotency-Key` and the request a `POST` carries, whether the server acts on it, answers
//! with what it answered before, or refuses it. No IO and no clock of its own: the caller passes
//! the time, so a test decides when a key expires.
//!
//! The rules, from Dwolla's API reference ("Idempotency Key"):
//!
//! - "Multiple `POST`s with the same idempotency key and request body won't result in multiple
//!   resources being created": the first request is acted on ([`Admission::Act`]); a repeat
//!   with an **exact match** request body gets "a `201 Created`, with the original response of
//!   the created resource" ([`Admission::Replay`]).
//! - "If the Dwolla server is still processing the original `POST` request, you will receive a
//!   `409 Conflict`" ([`Admission::InProgress`]).
//! - "Keys which are paired with a request body expire after 24 hours" ([`KEY_LIFETIME`]): a
//!   key older than that is new again.
//! - A request without a key is acted on every time.
//! - The same key with another body is not documented. This model refuses it without acting
//!   ([`Admission::Mismatch`], answered as [`MISMATCH_STATUS`] with [`mismatch_body`]): acting
//!   could move money the caller meant to send once, and a `409` would be waited out by a
//!   client that retries it.
//!
//! ```
//! # use dwolla_runtime as dwolla;
//! use std::time::Duration;
//! use dwolla::test_util::idempotency::{Admission, IdempotencyLedger};
//!
//! let mut ledger = IdempotencyLedger::new();
//! let now = Duration::ZERO;
//! assert_eq!(ledger.begin(Some("k"), b"POST /transfers {..}", now), Admission::Act);
//! ledger.finish(Some("k"), (201, "/transfers/1"));
//! assert_eq!(ledger.begin(Some("k"), b"POST /transfers {..}", now), Admission::Replay((201, "/transfers/1")));
//! ```

use std::collections::HashMap;
use std::time::Duration;

/// How long Dwolla pairs a key with its request: "keys which are paired with a request body
/// expire after 24 hours".
pub const KEY_LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);

/// The status a server answers [`Admission::Mismatch`] with: a client error, so that the
/// client neither retries nor waits it out, and the caller learns its key was reused.
pub const MISMATCH_STATUS: u16 = 400;

/// The body a server answers [`Admission::Mismatch`] with, in Dwolla's error shape.
pub fn mismatch_body() -> serde_json::Value {
    serde_json::json!({
        "code": "InvalidIdempotencyKey",
        "message": "The Idempotency-Key was already used with a different request body.",
    })
}

/// The status Dwolla answers [`Admission::InProgress`] with.
pub const IN_PROGRESS_STATUS: u16 = 409;

/// What a server does with one request, by Dwolla's rules.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Admission<A> {
    /// Act on it: no key, a new key, or a key whose 24 hours are over. Record the answer with
    /// [`IdempotencyLedger::finish`].
    Act,
    /// The same key and the same request, already answered: answer this again, without acting.
    Replay(A),
    /// The same key and the same request, still being acted on: answer `409 Conflict`.
    InProgress,
    /// The same key with another request: refuse it without acting (see the module's docs).
    Mismatch,
}

/// One key's request and, once the server finished it, its answer.
#[derive(Clone, Debug)]
struct Entry<A> {
    fingerprint: Vec<u8>,
    since: Duration,
    answer: Option<A>,
}

/// The keys a server has seen, each with its request's fingerprint and its answer `A` (whatever
/// the server needs to answer again: a status, headers and body).
#[derive(Clone, Debug)]
pub struct IdempotencyLedger<A> {
    entries: HashMap<String, Entry<A>>,
}

impl<A> Default for IdempotencyLedger<A> {
    fn default() -> Self {
        IdempotencyLedger { entries: HashMap::new() }
    }
}

impl<A: Clone> IdempotencyLedger<A> {
    /// A ledger that has seen no key.
    pub fn new() -> Self {
        Self::default()
    }

    /// Admits a request carrying `key` (its `Idempotency-Key`, if any) at time `now` (any
    /// clock the caller keeps, as a duration since its start). `fingerprint` is what must match
    /// exactly for a repeat to be the same request: the method, the path and the body, with what
    /// legitimately differs between two sends of it (a multipart boundary) taken out. On
    /// [`Admission::Act`] with a key, the key is taken until [`finish`](Self::finish) records
    /// the answer or [`abandon`](Self::abandon) frees it.
    pub fn begin(&mut self, key: Option<&str>, fingerprint: &[u8], now: Duration) -> Admission<A> {
        let Some(key) = key else { return Admission::Act };
        if let Some(entry) = self.entries.get(key) {
            let expired = now.saturating_sub(entry.since) >= KEY_LIFETIME;
            if !expired {
                return match (&entry.answer, entry.fingerprint == fingerprint) {
                    (_, false) => Admission::Mismatch,
                    (Some(answer), true) => Admission::Replay(answer.clone()),
                    (None, true) => Admission::InProgress,
                };
            }
        }
        let entry = Entry {
            fingerprint: fingerprint.to_vec(),
            since: now,
            answer: None,
        };
        self.entries.insert(key.to_owned(), entry);
        Admission::Act
    }

    /// Records the answer to the request admitted under `key`, which later repeats replay.
    /// Without a key, or for a key not begun, nothing is recorded.
    pub fn finish(&mut self, key: Option<&str>, answer: A) {
        if let Some(entry) = key.and_then(|k| self.entries.get_mut(k)) {
            entry.answer = Some(answer);
        }
    }

    /// Frees a key whose request was admitted but not acted on (the server failed before
    /// acting), so that a repeat is acted on instead of answered `409` for a day.
    pub fn abandon(&mut self, key: Option<&str>) {
        if let Some(k) = key {
            if self.entries.get(k).is_some_and(|e| e.answer.is_none()) {
                self.entries.remove(k);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &[u8] = b"POST /transfers {\"amount\":\"5.00\"}";
    const OTHER: &[u8] = b"POST /transfers {\"amount\":\"6.00\"}";
    const T0: Duration = Duration::from_secs(1_000);

    fn answered() -> IdempotencyLedger<&'static str> {
        let mut ledger = IdempotencyLedger::new();
        assert_eq!(ledger.begin(Some("k"), BODY, T0), Admission::Act);
        ledger.finish(Some("k"), "201 /transfers/1");
        ledger
    }

    #[test]
    fn a_request_without_a_key_is_acted_on_every_time() {
        let mut ledger = IdempotencyLedger::<&str>::new();
        assert_eq!(ledger.begin(None, BODY, T0), Admission::Act);
        ledger.finish(None, "201 /transfers/1");
        assert_eq!(ledger.begin(None, BODY, T0), Admission::Act);
    }

    #[test]
    fn a_repeat_with_the_same_key_and_body_replays_the_original_answer() {
        let mut ledger = answered();
        assert_eq!(ledger.begin(Some("k"), BODY, T0), Admission::Replay("201 /transfers/1"));
        assert_eq!(ledger.begin(Some("k"), BODY, T0 + Duration::from_secs(60)), Admission::Replay("201 /transfers/1"));
    }

    #[test]
    fn a_repeat_while_the_original_is_processed_is_in_progress() {
        let mut ledger = IdempotencyLedger::<&str>::new();
        assert_eq!(ledger.begin(Some("k"), BODY, T0), Admission::Act);
        assert_eq!(ledger.begin(Some("k"), BODY, T0), Admission::InProgress);
    }

    #[test]
    fn the_same_key_with_another_body_is_refused_not_acted_on() {
        let mut ledger = answered();
        assert_eq!(ledger.begin(Some("k"), OTHER, T0), Admission::Mismatch);
        let mut pending = IdempotencyLedger::<&str>::new();
        assert_eq!(pending.begin(Some("k"), BODY, T0), Admission::Act);
        assert_eq!(pending.begin(Some("k"), OTHER, T0), Admission::Mismatch);
        // The refusal does not replace the original.
        assert_eq!(ledger.begin(Some("k"), BODY, T0), Admission::Replay("201 /transfers/1"));
        assert_eq!(MISMATCH_STATUS, 400);
        assert_eq!(mismatch_body()["code"], "InvalidIdempotencyKey");
    }

    #[test]
    fn a_key_expires_after_24_hours() {
        let mut ledger = answered();
        let just_before = T0 + KEY_LIFETIME - Duration::from_secs(1);
        assert_eq!(ledger.begin(Some("k"), BODY, just_before), Admission::Replay("201 /transfers/1"));
        assert_eq!(ledger.begin(Some("k"), BODY, T0 + KEY_LIFETIME), Admission::Act);
        // Once expired, the key pairs with the new request, whatever its body.
        let mut other = answered();
        assert_eq!(other.begin(Some("k"), OTHER, T0 + KEY_LIFETIME), Admission::Act);
        assert_eq!(other.begin(Some("k"), OTHER, T0 + KEY_LIFETIME), Admission::InProgress);
    }

    #[test]
    fn keys_are_independent_and_a_clock_going_back_does_not_expire_one() {
        let mut ledger = answered();
        assert_eq!(ledger.begin(Some("j"), BODY, T0), Admission::Act);
        assert_eq!(ledger.begin(Some("k"), BODY, Duration::ZERO), Admission::Replay("201 /transfers/1"));
    }

    #[test]
    fn an_abandoned_key_is_acted_on_again_and_a_finished_one_is_kept() {
        let mut ledger = IdempotencyLedger::<&str>::new();
        assert_eq!(ledger.begin(Some("k"), BODY, T0), Admission::Act);
        ledger.abandon(Some("k"));
        assert_eq!(ledger.begin(Some("k"), BODY, T0), Admission::Act);
        ledger.finish(Some("k"), "201 /transfers/1");
        ledger.abandon(Some("k"));
        assert_eq!(ledger.begin(Some("k"), BODY, T0), Admission::Replay("201 /transfers/1"));
    }
}
