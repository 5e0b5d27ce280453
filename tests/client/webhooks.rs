//! Webhook verification: HMAC-SHA256 of the raw body with the subscription secret, checked in
//! constant time, then the body read as an event.

use dwolla::webhooks::{self, WebhookError, WebhookSecret};
use proptest::prelude::*;
use sha2::{Digest, Sha256};

const BODY: &[u8] = br#"{"_links":{"self":{"href":"https://api-sandbox.dwolla.com/events/80d8ec3d"},"resource":{"href":"https://api-sandbox.dwolla.com/transfers/t-1"}},"id":"80d8ec3d-4e4b-4ff2-a0a8-2bd2f6d1c7d5","resourceId":"t-1","topic":"customer_transfer_completed","timestamp":"2024-05-01T12:00:00.000Z","created":"2024-05-01T12:00:00.000Z"}"#;

/// HMAC-SHA256 written out from RFC 2104 over `sha2`, independent of the `hmac` crate.
fn reference_hmac(key: &[u8], message: &[u8]) -> String {
    let mut block = [0u8; 64];
    if key.len() > 64 {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let pad = |byte: u8| block.iter().map(|b| b ^ byte).collect::<Vec<u8>>();
    let inner = Sha256::new().chain_update(pad(0x36)).chain_update(message).finalize();
    let outer = Sha256::new().chain_update(pad(0x5c)).chain_update(inner).finalize();
    outer.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn the_right_secret_verifies_and_the_event_is_typed() {
    let secret = secret_of("subscription-secret");
    let signature = reference_hmac(b"subscription-secret", BODY);
    let event = webhooks::verify_and_parse(&secret, Some(&signature), BODY).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(event.topic, Some(dwolla::models::EventTopic::CustomerTransferCompleted));
    assert_eq!(event.resource_id.as_deref(), Some("t-1"));
    assert!(event.timestamp.is_some());
    assert!(event.links.as_ref().is_some_and(|l| l.contains_key("resource")));
    // Upper-case hex is the same signature.
    assert!(webhooks::verify(&secret, Some(&signature.to_uppercase()), BODY).is_ok());
}

#[test]
fn one_changed_byte_a_wrong_secret_or_no_header_fails() {
    let secret = secret_of("subscription-secret");
    let signature = webhooks::sign(&secret, BODY);
    let mut changed = BODY.to_vec();
    let last_digit = changed.iter().rposition(|b| b.is_ascii_digit()).unwrap_or(0);
    changed[last_digit] ^= 1;
    assert_eq!(
        webhooks::verify(&secret, Some(&signature), &changed),
        Err(WebhookError::BadSignature)
    );
    assert_eq!(
        webhooks::verify(&secret_of("another-secret"), Some(&signature), BODY),
        Err(WebhookError::BadSignature)
    );
    assert_eq!(
        webhooks::verify(&secret, None, BODY),
        Err(WebhookError::MissingSignature)
    );
    assert_eq!(
        webhooks::verify(&secret, Some("not hex"), BODY),
        Err(WebhookError::BadSignature)
    );
    assert_eq!(
        webhooks::verify(&secret, Some(&signature[..62]), BODY),
        Err(WebhookError::BadSignature)
    );
}

#[test]
fn headers_are_read_and_a_signed_non_event_is_malformed() {
    let secret = secret_of("s");
    let body = br#"{"topic": 42}"#;
    let mut headers = http::HeaderMap::new();
    headers.insert(
        webhooks::SIGNATURE_HEADER,
        webhooks::sign(&secret, body).parse().unwrap_or_else(|e| panic!("{e}")),
    );
    match webhooks::verify_request(&secret, &headers, body) {
        Err(WebhookError::MalformedBody { path, .. }) => assert_eq!(path, "topic"),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        webhooks::verify_request(&secret, &http::HeaderMap::new(), body),
        Err(WebhookError::MissingSignature)
    );
    let unknown = br#"{"topic": "brand_new_topic"}"#;
    headers.insert(
        webhooks::SIGNATURE_HEADER,
        webhooks::sign(&secret, unknown)
            .parse()
            .unwrap_or_else(|e| panic!("{e}")),
    );
    let event = webhooks::verify_request(&secret, &headers, unknown).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        event.topic,
        Some(dwolla::models::EventTopic::Unknown("brand_new_topic".into()))
    );
}

#[test]
fn the_secret_does_not_show_in_debug() {
    let shown = format!("{:?}", secret_of("subscription-secret-123"));
    assert!(!shown.contains("subscription-secret-123"), "{shown}");
}

/// A secret that is known not to be blank.
fn secret_of(text: &str) -> WebhookSecret {
    WebhookSecret::new(text).unwrap_or_else(|e| panic!("{e}"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn signatures_agree_with_the_reference(body in proptest::collection::vec(any::<u8>(), 0..2048), key in proptest::collection::vec(any::<u8>(), 0..130)) {
        let key_text = String::from_utf8_lossy(&key).into_owned();
        // A blank key is refused (see `an_empty_or_blank_webhook_secret_is_refused`).
        let Ok(secret) = WebhookSecret::new(key_text.clone()) else {
            prop_assert!(key_text.trim().is_empty());
            return Ok(());
        };
        let reference = reference_hmac(key_text.as_bytes(), &body);
        prop_assert_eq!(webhooks::sign(&secret, &body), reference.clone());
        prop_assert!(webhooks::verify(&secret, Some(&reference), &body).is_ok());
        let mut flipped = body.clone();
        if let Some(b) = flipped.first_mut() {
            *b ^= 0x01;
            prop_assert_eq!(webhooks::verify(&secret, Some(&reference), &flipped), Err(WebhookError::BadSignature));
        }
    }
}

/// HMAC takes an empty key, and anyone can sign with it.
#[test]
fn an_empty_or_blank_webhook_secret_is_refused() {
    for blank in ["", " ", "\t\n"] {
        assert_eq!(WebhookSecret::new(blank).err(), Some(WebhookError::EmptySecret), "{blank:?}");
    }
    // An unset variable read with a default gives an empty secret: an error at startup.
    let unset = std::env::var("DWOLLA_TEST_SURELY_UNSET_WEBHOOK_SECRET").unwrap_or_default();
    assert!(WebhookSecret::new(unset).is_err());
}

/// `u8::from_str_radix` reads `+f` as `0f`, which would give one signature several spellings.
/// Only hex digits are accepted.
#[test]
fn a_signature_with_a_plus_sign_is_refused() {
    let secret = secret_of("subscription-secret");
    // A body whose signature starts with a `0`, so that `+` can stand in for it.
    let (body, signature) = (0..)
        .map(|n| format!("{{\"n\":{n}}}").into_bytes())
        .map(|body| {
            let signature = webhooks::sign(&secret, &body);
            (body, signature)
        })
        .find(|(_, signature)| signature.starts_with('0'))
        .unwrap_or_else(|| unreachable!());
    assert!(webhooks::verify(&secret, Some(&signature), &body).is_ok());
    let plus = format!("+{}", &signature[1..]);
    assert_eq!(webhooks::verify(&secret, Some(&plus), &body), Err(WebhookError::BadSignature));
    let minus = format!("-{}", &signature[1..]);
    assert_eq!(webhooks::verify(&secret, Some(&minus), &body), Err(WebhookError::BadSignature));
}
