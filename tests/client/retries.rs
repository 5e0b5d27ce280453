//! Retries that cannot move money twice, counted at a loopback server on a paused clock.

use std::time::Duration;

use client_tests::{answer_first, client_for_paused_clock_with, count, mount_token, received, server_answering};
use dwolla::RetryPolicy;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn transfer() -> dwolla::models::InitiateTransferRequest {
    serde_json::from_value(json!({
        "_links": {
            "source": {"href": "https://api.dwolla.com/funding-sources/5cfcdc41-10f6-4a45-b11d-7ac89893d985"},
            "destination": {"href": "https://api.dwolla.com/funding-sources/c2eb3f03-1b0e-4d18-a4a2-e552cc111418"}
        },
        "amount": {"currency": "USD", "value": "225.00"}
    }))
    .unwrap_or_else(|e| panic!("{e}"))
}

async fn transfers(server: &MockServer) -> Vec<Request> {
    received(server, "/transfers").await
}

async fn failing_then_created(failures: u64) -> MockServer {
    let server = MockServer::start().await;
    mount_token(&server).await;
    Mock::given(method("POST"))
        .and(path("/transfers"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(failures)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/transfers"))
        .respond_with(ResponseTemplate::new(201).insert_header("location", "https://api.dwolla.com/transfers/t-1"))
        .mount(&server)
        .await;
    server
}

#[tokio::test(start_paused = true)]
async fn a_post_that_fails_twice_is_sent_three_times_with_one_key_and_one_body() {
    let server = failing_then_created(2).await;
    let client = client_for_paused_clock_with(&server, RetryPolicy::default());
    let created = client
        .transfers()
        .create(transfer())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let sent = transfers(&server).await;
    let keys: Vec<&str> = sent
        .iter()
        .map(|r| {
            r.headers
                .get("idempotency-key")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
        })
        .collect();
    println!(
        "503, 503, 201: {} requests, keys {keys:?}, caller sees {}",
        sent.len(),
        created.id
    );
    assert_eq!(sent.len(), 3);
    assert!(!keys[0].is_empty() && keys.iter().all(|k| *k == keys[0]), "{keys:?}");
    assert!(uuid_v4(keys[0]), "{}", keys[0]);
    assert!(sent.iter().all(|r| r.body == sent[0].body), "identical bodies");
    assert_eq!(created.id, "t-1");
}

#[tokio::test(start_paused = true)]
async fn with_retries_off_one_request_and_a_typed_error() {
    let server = failing_then_created(2).await;
    let client = client_for_paused_clock_with(&server, RetryPolicy::none());
    let err = client.transfers().create(transfer()).await.expect_err("must fail");
    assert_eq!(transfers(&server).await.len(), 1);
    assert_eq!(err.api().map(|e| e.status.as_u16()), Some(503), "{err:?}");
    // Per call, too: the client retries, this call does not.
    let server = failing_then_created(2).await;
    let client = client_for_paused_clock_with(&server, RetryPolicy::default());
    let err = client
        .transfers()
        .create(transfer())
        .retry(RetryPolicy::none())
        .await
        .expect_err("must fail");
    assert_eq!(
        (transfers(&server).await.len(), err.status().map(|s| s.as_u16())),
        (1, Some(503))
    );
}

#[tokio::test(start_paused = true)]
async fn a_post_whose_key_was_removed_is_never_retried() {
    let server = failing_then_created(2).await;
    let client = client_for_paused_clock_with(&server, RetryPolicy::default().max_attempts(5));
    let err = client
        .transfers()
        .create(transfer())
        .without_idempotency_key()
        .await
        .expect_err("must fail");
    let sent = transfers(&server).await;
    assert_eq!(sent.len(), 1, "{err}");
    assert!(sent[0].headers.get("idempotency-key").is_none());
}

#[tokio::test(start_paused = true)]
async fn the_callers_key_wins_and_a_409_on_a_keyed_request_is_retried() {
    let server = MockServer::start().await;
    mount_token(&server).await;
    answer_first(
        &server,
        "POST",
        "/transfers",
        ResponseTemplate::new(409).set_body_json(json!({"code": "Conflict", "message": "still processing"})),
    )
    .await;
    Mock::given(method("POST"))
        .and(path("/transfers"))
        .respond_with(ResponseTemplate::new(201).insert_header("location", "https://api.dwolla.com/transfers/t-2"))
        .mount(&server)
        .await;
    let client = client_for_paused_clock_with(&server, RetryPolicy::default());
    client
        .transfers()
        .create(transfer())
        .idempotency_key("order-42")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let sent = transfers(&server).await;
    assert_eq!(sent.len(), 2);
    assert!(
        sent.iter()
            .all(|r| r.headers.get("idempotency-key").and_then(|v| v.to_str().ok()) == Some("order-42"))
    );
}

#[tokio::test(start_paused = true)]
async fn retry_after_two_seconds_waits_two_seconds() {
    let server = MockServer::start().await;
    mount_token(&server).await;
    answer_first(
        &server,
        "GET",
        "/transfers/t-1",
        ResponseTemplate::new(429).insert_header("retry-after", "2"),
    )
    .await;
    Mock::given(method("GET"))
        .and(path("/transfers/t-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "t-1", "status": "pending"})))
        .mount(&server)
        .await;
    let client = client_for_paused_clock_with(&server, RetryPolicy::default());
    let started = tokio::time::Instant::now();
    client.transfers().get("t-1").await.unwrap_or_else(|e| panic!("{e}"));
    let waited = started.elapsed();
    println!("429 with Retry-After: 2 -> waited {waited:?} on the paused clock");
    assert!(
        waited >= Duration::from_secs(2) && waited < Duration::from_millis(2100),
        "{waited:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_retry_after_beyond_the_time_budget_is_not_waited_for() {
    let server = server_answering(
        "GET",
        "/transfers/t-1",
        ResponseTemplate::new(429).insert_header("retry-after", "300"),
    )
    .await;
    let client = client_for_paused_clock_with(&server, RetryPolicy::default().max_elapsed(Duration::from_secs(30)));
    let started = tokio::time::Instant::now();
    let err = client.transfers().get("t-1").await.expect_err("must fail");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
    assert!(started.elapsed() < Duration::from_secs(1));
}

#[tokio::test(start_paused = true)]
async fn get_is_retried_on_server_errors_up_to_the_attempt_limit() {
    let server = server_answering("GET", "/transfers/t-1", ResponseTemplate::new(500)).await;
    let client = client_for_paused_clock_with(&server, RetryPolicy::default().max_attempts(4));
    let err = client.transfers().get("t-1").await.expect_err("must fail");
    let gets = count(&server, "/transfers/t-1").await;
    assert_eq!((gets, err.status().map(|s| s.as_u16())), (4, Some(500)));
}

fn uuid_v4(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.iter().map(|p| p.len()).collect::<Vec<_>>() == [8, 4, 4, 4, 12]
        && parts[2].starts_with('4')
        && s.chars().all(|c| c == '-' || c.is_ascii_hexdigit())
}
