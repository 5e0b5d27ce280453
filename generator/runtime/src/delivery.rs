//! How far a call got before it failed, and what resuming it needs: the record every error of a
//! call carries, so that a caller can tell a call Dwolla never saw from one it may have acted on,
//! and resume the second under the Idempotency-Key it was sent under.
//!
//! The attempt loop (`execute.rs`) keeps one [`Reach`] per call: each attempt reports how far
//! it got (`transport.rs` knows whether a request left the client), and the call's record is the
//! furthest any attempt got. Every error the call returns is stamped with it.

use std::sync::{Arc, Mutex, PoisonError};
use std::sync::atomic::{AtomicU8, AtomicU32, Ordering};

/// Whether a call's requests reached Dwolla: what a caller needs to know before calling again.
///
/// The states are ordered by how much they leave open: a call with one request unanswered and
/// a later one answered is [`Sent::Unanswered`], since the first may have been acted on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Sent {
    /// No request left the client (it could not be built, no token could be had, the
    /// connection was refused): Dwolla cannot have acted on the call. Calling again is safe.
    #[default]
    NotSent,
    /// Dwolla answered every request that left the client, and the error describes its last
    /// answer: whether it acted is what that answer says (Dwolla does not act on a `4xx`; after
    /// a `5xx`, resume under the same key to be sure).
    Answered,
    /// At least one request left the client and no answer came back (it timed out, the
    /// connection was lost, the answer was cut short): Dwolla may have acted on it. Resume under
    /// the same Idempotency-Key ([`Error::idempotency_key`](crate::Error::idempotency_key)), and
    /// Dwolla answers with what the first request did instead of acting again.
    Unanswered,
}

impl Sent {
    fn from_u8(n: u8) -> Sent {
        match n {
            0 => Sent::NotSent,
            1 => Sent::Answered,
            _ => Sent::Unanswered,
        }
    }
}

/// How far a failed call got, and what resuming it needs: [`sent`](Self::sent), the
/// [`idempotency_key`](Self::idempotency_key) its requests carried and the number of
/// [`attempts`](Self::attempts) sent. Read it through the same methods on
/// [`Error`](crate::Error); an error that no call made (a bad configuration) says
/// [`Sent::NotSent`].
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Delivery(Option<Arc<Record>>);

#[derive(Clone, Debug, PartialEq, Eq)]
struct Record {
    sent: Sent,
    attempts: u32,
    idempotency_key: Option<String>,
}

impl Delivery {
    /// The record of an error no call made.
    pub(crate) const NONE: Delivery = Delivery(None);

    /// Whether the call's requests reached Dwolla.
    pub fn sent(&self) -> Sent {
        self.0.as_ref().map_or(Sent::NotSent, |r| r.sent)
    }

    /// The requests sent (retries and a replay after a rejected token included).
    pub fn attempts(&self) -> u32 {
        self.0.as_ref().map_or(0, |r| r.attempts)
    }

    /// The `Idempotency-Key` every request of the call carried, when it had one (every `POST`
    /// does, unless the call was made `without_idempotency_key()`). Send the same
    /// request again under it to resume the call.
    pub fn idempotency_key(&self) -> Option<&str> {
        self.0.as_ref().and_then(|r| r.idempotency_key.as_deref())
    }

    /// The record of one attempt that got as far as `sent`, before the call stamps its own.
    pub(crate) fn attempt(sent: Sent) -> Delivery {
        Delivery(Some(Arc::new(Record {
            sent,
            attempts: 0,
            idempotency_key: None,
        })))
    }
}

impl std::fmt::Debug for Delivery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The key is not a secret: it is what a caller needs to resume, and what Dwolla's support
        // asks for. It is shown so that a logged error is enough to resume from.
        f.debug_struct("Delivery")
            .field("sent", &self.sent())
            .field("attempts", &self.attempts())
            .field("idempotency_key", &self.idempotency_key())
            .finish()
    }
}

/// How far one call has got, shared by its attempt loop and the deadline around it: the
/// requests sent, the furthest a finished attempt got, and when the attempt in flight, if one
/// is, was sent (a deadline that cuts an attempt short leaves its request unanswered).
#[derive(Debug, Default)]
pub(crate) struct Reach {
    attempts: AtomicU32,
    settled: AtomicU8,
    /// When the attempt in flight was handed to the HTTP client; `None` between attempts.
    in_flight_since: Mutex<Option<tokio::time::Instant>>,
}

impl Reach {
    /// An attempt's request is about to be handed to the HTTP client.
    pub(crate) fn sending(&self) {
        self.attempts.fetch_add(1, Ordering::Relaxed);
        *self.in_flight() = Some(tokio::time::Instant::now());
    }

    /// The attempt in flight ended, having got as far as `sent`.
    pub(crate) fn settle(&self, sent: Sent) {
        *self.in_flight() = None;
        self.settled.fetch_max(sent as u8, Ordering::Relaxed);
    }

    /// When the attempt still in flight was sent, if one is (the deadline cut it short).
    pub(crate) fn in_flight_since(&self) -> Option<tokio::time::Instant> {
        *self.in_flight()
    }

    fn in_flight(&self) -> std::sync::MutexGuard<'_, Option<tokio::time::Instant>> {
        self.in_flight_since.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The requests sent so far.
    pub(crate) fn attempts(&self) -> u32 {
        self.attempts.load(Ordering::Relaxed)
    }

    /// The call's record: the furthest any attempt got (one still in flight counts as
    /// unanswered), with the call's key.
    pub(crate) fn delivery(&self, idempotency_key: Option<&str>) -> Delivery {
        let in_flight = if self.in_flight_since().is_some() {
            Sent::Unanswered
        } else {
            Sent::NotSent
        };
        let sent = Sent::from_u8(self.settled.load(Ordering::Relaxed)).max(in_flight);
        Delivery(Some(Arc::new(Record {
            sent,
            attempts: self.attempts(),
            idempotency_key: idempotency_key.map(str::to_owned),
        })))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_call_is_as_far_as_its_furthest_attempt() {
        let p = Reach::default();
        assert_eq!(p.delivery(None).sent(), Sent::NotSent);
        p.sending();
        assert_eq!(p.delivery(None).sent(), Sent::Unanswered, "in flight");
        p.settle(Sent::Unanswered);
        p.sending();
        p.settle(Sent::Answered);
        let d = p.delivery(Some("k"));
        assert_eq!((d.sent(), d.attempts(), d.idempotency_key()), (Sent::Unanswered, 2, Some("k")));
        let q = Reach::default();
        q.sending();
        q.settle(Sent::NotSent);
        q.sending();
        q.settle(Sent::Answered);
        assert_eq!(q.delivery(None).sent(), Sent::Answered);
        assert_eq!(Delivery::default().sent(), Sent::NotSent);
    }
}
