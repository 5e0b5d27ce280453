//! Receiving Dwolla's webhooks safely: check `X-Request-Signature-SHA-256`, the hex HMAC-SHA256
//! of the raw request body keyed with the subscription's secret, in constant time; only then
//! read the body as an event. The event type is the generated crate's (`dwolla::models::Event`),
//! so reading is generic over it here, and `dwolla::webhooks` names it.
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
//! - de-duplicate by the event id (Dwolla sends it with every event, though the model types it
//!   optional): act on each id once, and answer a repeat `2xx` without acting;
//! - refuse an event whose `created` is not recent (minutes old, not days);
//! - be reachable over HTTPS only, so a delivery cannot be read on the way;
//! - answer `2xx` quickly and do the work afterwards, so Dwolla does not deliver it again.
//!
//! ```
//! use dwolla_runtime::webhooks::{WebhookSecret, sign, verify_and_parse};
//!
//! let secret = WebhookSecret::new("my-subscription-secret").unwrap();
//! let body = br#"{"id":"e1","topic":"customer_created"}"#;
//! let signature = sign(&secret, body); // what Dwolla sends
//! let event: serde_json::Value = verify_and_parse(&secret, Some(&signature), body).unwrap();
//! assert_eq!(event["topic"], "customer_created");
//! assert!(verify_and_parse::<serde_json::Value>(&secret, Some(&signature), b"{}").is_err());
//! ```

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use serde::de::DeserializeOwned;

use crate::Secret;

/// The header that carries the signature.
pub const SIGNATURE_HEADER: &str = "X-Request-Signature-SHA-256";

/// A webhook subscription's secret. Its `Debug` shows `<redacted>`.
#[derive(Clone, Debug)]
pub struct WebhookSecret(Secret);

impl WebhookSecret {
    /// The secret given when the webhook subscription was created, or
    /// [`WebhookError::EmptySecret`] for an empty or blank one (an unset environment variable
    /// read with a default), which would accept events forged by anyone.
    pub fn new(secret: impl Into<String>) -> Result<Self, WebhookError> {
        let secret = secret.into();
        if secret.trim().is_empty() {
            return Err(WebhookError::EmptySecret);
        }
        Ok(WebhookSecret(Secret::new(secret)))
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
    /// The webhook secret is empty or blank; see [`WebhookSecret::new`].
    #[error("the webhook secret is empty")]
    EmptySecret,
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

/// Hex digits to bytes: digits only (no sign, no prefix, no separators), either case.
fn decode_hex(text: &str) -> Option<Vec<u8>> {
    fn digit(c: u8) -> Option<u8> {
        match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            b'A'..=b'F' => Some(c - b'A' + 10),
            _ => None,
        }
    }
    let text = text.trim().as_bytes();
    if text.len() % 2 != 0 {
        return None;
    }
    text.chunks_exact(2).map(|pair| Some((digit(pair[0])? << 4) | digit(pair[1])?)).collect()
}

/// Checks `signature` (the header's value, `None` when it is absent) against the raw `body`.
/// The comparison takes the same time wherever the signatures differ.
///
/// A replayed delivery verifies as well as the original: de-duplicate by the event id (see
/// [what the signature does not protect](self#what-the-signature-does-not-protect)).
pub fn verify(secret: &WebhookSecret, signature: Option<&str>, body: &[u8]) -> Result<(), WebhookError> {
    let signature = signature.ok_or(WebhookError::MissingSignature)?;
    let expected = decode_hex(signature).ok_or(WebhookError::BadSignature)?;
    let mac = mac(secret, body).ok_or(WebhookError::BadSignature)?;
    mac.verify_slice(&expected).map_err(|_| WebhookError::BadSignature)
}

/// Reads a (verified) body as an event of type `E` (the generated crate's `Event`, which its
/// `webhooks::parse` names).
pub fn parse<E: DeserializeOwned>(body: &[u8]) -> Result<E, WebhookError> {
    crate::decode::decode_tracked(body).map_err(|e| WebhookError::MalformedBody {
        path: e.path,
        message: e.message,
    })
}

/// [`verify`], then [`parse`]: the one call a webhook handler needs. A replayed delivery
/// verifies too: act on each event id once (see
/// [what the signature does not protect](self#what-the-signature-does-not-protect)).
pub fn verify_and_parse<E: DeserializeOwned>(secret: &WebhookSecret, signature: Option<&str>, body: &[u8]) -> Result<E, WebhookError> {
    verify(secret, signature, body)?;
    parse(body)
}

/// [`verify_and_parse`] with the signature taken from request headers.
pub fn verify_request<E: DeserializeOwned>(secret: &WebhookSecret, headers: &http::HeaderMap, body: &[u8]) -> Result<E, WebhookError> {
    let signature = match headers.get(SIGNATURE_HEADER) {
        Some(v) => Some(v.to_str().map_err(|_| WebhookError::BadSignature)?),
        None => None,
    };
    verify_and_parse(secret, signature, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_is_digits_only() {
        assert_eq!(decode_hex("00ff0A"), Some(vec![0, 255, 10]));
        for bad in ["+f", "-1", "0x", " f", "f", "g0", "0_"] {
            assert_eq!(decode_hex(&format!("00{bad}")), None, "{bad}");
        }
    }

    #[test]
    fn secrets_cannot_be_blank() {
        assert_eq!(WebhookSecret::new("").err(), Some(WebhookError::EmptySecret));
        assert_eq!(WebhookSecret::new(" \t\n").err(), Some(WebhookError::EmptySecret));
        assert!(WebhookSecret::new("s").is_ok());
    }
}
