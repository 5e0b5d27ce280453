//! An error response costs memory in proportion to its size: a `400` to `initiateTransfer` of
//! just under the 16 MiB response limit, whose `_embedded.errors` is millions of `{}`, grows the
//! heap by at most a few times the limit while it is read and decoded: the error keeps a bounded
//! number of details, and a body of that many values is not decoded into the spec's type.
//! Measured with a counting global allocator in this test binary, against a loopback server
//! that answers from a body made before the measurement.

use std::sync::Arc;

use client_tests::heap::{Counting, growth};
use client_tests::raw_http::{Answer, serve};

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The client's default response limit, which the hostile body stays just under.
const LIMIT: usize = 16 * 1024 * 1024;

/// A valid `400` body of `initiateTransfer` (code, message, `_embedded.errors`) whose errors are
/// as many `{}` as fit under the limit; with how many there are.
fn hostile_body() -> (Vec<u8>, usize) {
    let head = br#"{"code":"ValidationError","message":"Validation error(s) present.","_embedded":{"errors":["#;
    let tail = b"]}}";
    let mut body = Vec::with_capacity(LIMIT);
    body.extend_from_slice(head);
    body.extend_from_slice(b"{}");
    let mut details = 1;
    while body.len() + 3 + tail.len() < LIMIT {
        body.extend_from_slice(b",{}");
        details += 1;
    }
    body.extend_from_slice(tail);
    (body, details)
}

/// Answers `error` as a `400` to anything but the token request.
fn bad_request(error: Arc<Vec<u8>>) -> impl Fn(&str) -> Answer + Clone + Send + 'static {
    move |_| Answer {
        head: format!(
            "HTTP/1.1 400 Bad Request\r\ncontent-type: application/vnd.dwolla.v1.hal+json\r\ncontent-length: {}\r\n\r\n",
            error.len()
        ),
        body: Arc::clone(&error),
    }
}

fn transfer() -> dwolla::models::InitiateTransferRequest {
    serde_json::from_value(serde_json::json!({
        "_links": {
            "source": {"href": "https://api.dwolla.com/funding-sources/5cfcdc41-10f6-4a45-b11d-7ac89893d985"},
            "destination": {"href": "https://api.dwolla.com/funding-sources/c2eb3f03-1b0e-4d18-a4a2-e552cc111418"}
        },
        "amount": {"currency": "USD", "value": "225.00"}
    }))
    .unwrap_or_else(|e| panic!("{e}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hostile_error_body_under_the_limit_costs_memory_in_proportion_to_it() {
    let (body, details) = hostile_body();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let addr = listener.local_addr().unwrap_or_else(|e| panic!("{e}"));
    tokio::spawn(serve(listener, bad_request(Arc::new(body))));
    let client = dwolla::Client::builder()
        .base_url(format!("http://{addr}"))
        .credentials("id", "secret")
        .retry(dwolla::RetryPolicy::none())
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    // Warm up: token, connection pool, lazily initialized statics.
    let warm = client.transfers().create(transfer()).await;
    assert!(warm.is_err(), "the server answers every transfer with a 400");
    drop(warm);

    let (result, extra) = growth(client.transfers().create(transfer())).await;
    println!(
        "a {} MiB error body of {details} empty details: peak heap growth {} MiB ({:.1}x the limit)",
        LIMIT / (1024 * 1024),
        extra / (1024 * 1024),
        extra as f64 / LIMIT as f64
    );

    assert!(
        extra <= 8 * LIMIT,
        "decoding the error grew the heap by {extra} bytes, {:.1}x the limit",
        extra as f64 / LIMIT as f64
    );
    let Err(dwolla::Error::Api(api)) = result else {
        panic!("expected an API error, got {result:?}");
    };
    assert_eq!(api.status, 400);
    assert_eq!(api.code.as_deref(), Some("ValidationError"));
    assert!(
        api.body.is_none()
            && api
                .body_error
                .as_ref()
                .is_some_and(|m| m.message.contains("JSON values")),
        "a body of millions of values is not typed: {:?}",
        api.body_error
    );
    assert!(api.errors.len() <= 1_000, "the error kept {} details", api.errors.len());
    let omitted = format!("; and {} more", details - api.errors.len());
    assert!(api.to_string().contains(&omitted), "the error does not say {omitted:?}");
}
