//! Receiving Dwolla's webhooks safely: check `X-Request-Signature-SHA-256`, the hex HMAC-SHA256
//! of the raw request body keyed with the subscription's secret, in constant time; only then
//! read the body as an [`Event`].
//!
//! ```
//! let secret = dwolla::webhooks::WebhookSecret::new("my-subscription-secret");
//! let body = br#"{"id":"e1","resourceId":"r1","topic":"customer_created","timestamp":"2024-01-01T00:00:00Z","_links":{}}"#;
//! let signature = dwolla::webhooks::sign(&secret, body); // what Dwolla sends
//! let event = dwolla::webhooks::verify_and_parse(&secret, Some(&signature), body).unwrap();
//! assert_eq!(event.topic.as_ref().map(|t| t.as_str()), Some("customer_created"));
//! assert!(dwolla::webhooks::verify_and_parse(&secret, Some(&signature), b"{}").is_err());
//! ```

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use crate::Secret;
use crate::models::Event;

/// The header that carries the signature.
pub const SIGNATURE_HEADER: &str = "X-Request-Signature-SHA-256";

/// A webhook subscription's secret. Its `Debug` shows `<redacted>`.
#[derive(Clone, Debug)]
pub struct WebhookSecret(Secret);

impl WebhookSecret {
    /// The secret given when the webhook subscription was created.
    pub fn new(secret: impl Into<String>) -> Self {
        WebhookSecret(Secret::new(secret))
    }
}

/// Why a webhook was rejected.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum WebhookError {
    /// The request has no `X-Request-Signature-SHA-256` header.
    #[error("the webhook has no {SIGNATURE_HEADER} header")]
    MissingSignature,
    /// The signature does not match the body and the secret: the body was changed, the secret
    /// is wrong, or the request does not come from Dwolla.
    #[error("the webhook signature does not match its body")]
    BadSignature,
    /// The body is signed correctly but is not an event.
    #[error("the webhook body is not an event: at `{path}`: {message}")]
    MalformedBody {
        /// Where in the body reading failed, as a JSON path.
        path: String,
        /// What did not fit.
        message: String,
    },
}

/// The HMAC of `body` under `secret`. HMAC takes keys of any length, so this is `None` only if
/// the `hmac` crate ever stops doing so.
fn mac(secret: &WebhookSecret, body: &[u8]) -> Option<Hmac<Sha256>> {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(secret.0.expose().as_bytes()).ok()?;
    mac.update(body);
    Some(mac)
}

/// The signature Dwolla sends for `body`: lowercase hex of its HMAC-SHA256 under `secret`.
/// Useful for tests of your own webhook handler.
pub fn sign(secret: &WebhookSecret, body: &[u8]) -> String {
    match mac(secret, body) {
        Some(mac) => mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect(),
        None => String::new(),
    }
}

fn decode_hex(text: &str) -> Option<Vec<u8>> {
    let text = text.trim();
    if text.len() % 2 != 0 {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| text.get(i..i + 2).and_then(|pair| u8::from_str_radix(pair, 16).ok()))
        .collect()
}

/// Checks `signature` (the header's value, `None` when it is absent) against the raw `body`.
/// The comparison takes the same time wherever the signatures differ.
pub fn verify(secret: &WebhookSecret, signature: Option<&str>, body: &[u8]) -> Result<(), WebhookError> {
    let signature = signature.ok_or(WebhookError::MissingSignature)?;
    let expected = decode_hex(signature).ok_or(WebhookError::BadSignature)?;
    let mac = mac(secret, body).ok_or(WebhookError::BadSignature)?;
    mac.verify_slice(&expected).map_err(|_| WebhookError::BadSignature)
}

/// Reads a (verified) body as an event.
pub fn parse(body: &[u8]) -> Result<Event, WebhookError> {
    serde_path_to_error::deserialize(&mut serde_json::Deserializer::from_slice(body)).map_err(|e| {
        WebhookError::MalformedBody {
            path: e.path().to_string(),
            message: e.into_inner().to_string(),
        }
    })
}

/// [`verify`], then [`parse`]: the one call a webhook handler needs.
pub fn verify_and_parse(secret: &WebhookSecret, signature: Option<&str>, body: &[u8]) -> Result<Event, WebhookError> {
    verify(secret, signature, body)?;
    parse(body)
}

/// [`verify_and_parse`] with the signature taken from request headers.
pub fn verify_request(secret: &WebhookSecret, headers: &http::HeaderMap, body: &[u8]) -> Result<Event, WebhookError> {
    let signature = match headers.get(SIGNATURE_HEADER) {
        Some(v) => Some(v.to_str().map_err(|_| WebhookError::BadSignature)?),
        None => None,
    };
    verify_and_parse(secret, signature, body)
}
