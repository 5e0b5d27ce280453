//! Receiving Dwolla's webhooks safely: check `X-Request-Signature-SHA-256`, the hex HMAC-SHA256
//! of the raw request body keyed with the subscription's secret, in constant time; only then
//! read the body as an [`Event`](crate::models::Event).
//!
//! Verifying ([`verify`], [`sign`]) needs no cargo feature; reading the body as an `Event`
//! ([`parse`], [`verify_and_parse`], [`verify_request`]) needs the `events` feature, which has
//! the event types. (The `webhooks` feature is something else: the resource group of the API's
//! `/webhooks` operations, which list and retry the deliveries Dwolla made.)
//!
//! A secret cannot be empty or blank: HMAC accepts an empty key, and anyone can sign with it.
//! The signature is read strictly: 64 hex digits (either case), nothing else, so one signature
//! has one spelling.
//!
//! # What the signature does not protect
//!
//! Dwolla signs the body alone, with no timestamp: a delivery someone captured verifies again
//! whenever it is replayed, and Dwolla itself delivers an event again when it is unsure you got
//! it. So a handler should:
//!
//! - de-duplicate by the event id (`Event::id`; Dwolla sends it with every event, though the
//!   model types it optional): act on each id once, and answer a repeat `2xx` without acting;
//! - refuse an event whose `created` is not recent (minutes old, not days);
//! - be reachable over HTTPS only, so a delivery cannot be read on the way;
//! - answer `2xx` quickly and do the work afterwards, so Dwolla does not deliver it again.
//!
//! ```
//! # #[cfg(feature = "events")] {
//! let secret = dwolla::webhooks::WebhookSecret::new("my-subscription-secret").unwrap();
//! let body = br#"{"id":"e1","resourceId":"r1","topic":"customer_created","timestamp":"2024-01-01T00:00:00Z","_links":{}}"#;
//! let signature = dwolla::webhooks::sign(&secret, body); // what Dwolla sends
//! let event = dwolla::webhooks::verify_and_parse(&secret, Some(&signature), body).unwrap();
//! assert_eq!(event.topic.as_ref().map(|t| t.as_str()), Some("customer_created"));
//! assert!(dwolla::webhooks::verify_and_parse(&secret, Some(&signature), b"{}").is_err());
//! # }
//! ```
//!
//! Verifying is the runtime's (`dwolla_runtime::webhooks`, re-exported here); reading names the
//! event type, which this crate generates.

pub use dwolla_runtime::webhooks::{SIGNATURE_HEADER, WebhookError, WebhookSecret, sign, verify};

// Named by path, not imported: the module's doc links `Event` by path in every build, and an
// import would make that link redundant with `events` on.
#[cfg(feature = "events")]
#[cfg_attr(docsrs, doc(cfg(feature = "events")))]
/// Reads a (verified) body as an event.
pub fn parse(body: &[u8]) -> Result<crate::models::Event, WebhookError> {
    dwolla_runtime::webhooks::parse(body)
}

#[cfg(feature = "events")]
#[cfg_attr(docsrs, doc(cfg(feature = "events")))]
/// [`verify`], then [`parse`]: the one call a webhook handler needs. A replayed delivery
/// verifies too: act on each event id once (see
/// [what the signature does not protect](self#what-the-signature-does-not-protect)).
pub fn verify_and_parse(
    secret: &WebhookSecret,
    signature: Option<&str>,
    body: &[u8],
) -> Result<crate::models::Event, WebhookError> {
    dwolla_runtime::webhooks::verify_and_parse(secret, signature, body)
}

#[cfg(feature = "events")]
#[cfg_attr(docsrs, doc(cfg(feature = "events")))]
/// [`verify_and_parse`] with the signature taken from request headers.
pub fn verify_request(
    secret: &WebhookSecret,
    headers: &http::HeaderMap,
    body: &[u8],
) -> Result<crate::models::Event, WebhookError> {
    dwolla_runtime::webhooks::verify_request(secret, headers, body)
}
