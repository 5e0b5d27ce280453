//! Time limits: an overall deadline across retries (on the client or per call) and a per-call
//! timeout of each attempt.

use std::time::Duration;

use client_tests::server_answering;
use dwolla::RetryPolicy;
use wiremock::{MockServer, ResponseTemplate};

const SESSION: &str = "/exchange-sessions/9b7fb629";

/// A server whose session endpoint is always unavailable.
async fn unavailable() -> MockServer {
    server_answering("GET", SESSION, ResponseTemplate::new(503)).await
}

/// Retries every 100 ms at most, for up to a minute: far longer than a second.
fn patient() -> RetryPolicy {
    RetryPolicy::default()
        .max_attempts(1_000)
        .initial_backoff(Duration::from_millis(100))
        .max_backoff(Duration::from_millis(100))
        .max_elapsed(Duration::from_secs(60))
}

fn builder(server: &MockServer) -> dwolla::ClientBuilder {
    client_tests::builder_for_paused_clock(server, patient())
}

fn within_ten_percent_of_a_second(elapsed: Duration) -> bool {
    elapsed >= Duration::from_millis(900) && elapsed <= Duration::from_millis(1100)
}

#[tokio::test(start_paused = true)]
async fn a_client_deadline_of_one_second_ends_a_call_whose_retries_would_take_a_minute() {
    let server = unavailable().await;
    let client = builder(&server)
        .deadline(Duration::from_secs(1))
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let started = tokio::time::Instant::now();
    let result = client.exchange_sessions().get("9b7fb629").await;
    let elapsed = started.elapsed();
    let attempts = client_tests::count(&server, SESSION).await;
    println!("deadline 1 s: ended after {elapsed:?} (paused clock), {attempts} attempts, {result:?}");
    assert!(within_ten_percent_of_a_second(elapsed), "{elapsed:?}");
    // Either the deadline cut an attempt off, or no retry could start before it: the last
    // answer is returned.
    match &result {
        Err(dwolla::Error::Timeout { .. }) => {}
        Err(e) => assert_eq!(e.status().map(|s| s.as_u16()), Some(503), "{e:?}"),
        Ok(_) => panic!("the server never succeeds"),
    }
}

#[tokio::test(start_paused = true)]
async fn a_per_call_deadline_overrides_the_clients() {
    let server = unavailable().await;
    let client = builder(&server)
        .deadline(Duration::from_secs(30))
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let started = tokio::time::Instant::now();
    let result = client
        .exchange_sessions()
        .get("9b7fb629")
        .deadline(Duration::from_secs(1))
        .await;
    let elapsed = started.elapsed();
    println!("per-call deadline 1 s: ended after {elapsed:?} (paused clock)");
    assert!(result.is_err());
    assert!(within_ten_percent_of_a_second(elapsed), "{elapsed:?}");
}

#[tokio::test(start_paused = true)]
async fn without_a_deadline_the_same_call_retries_past_one_second() {
    let server = unavailable().await;
    let client = builder(&server)
        .retry(patient().max_attempts(60))
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let started = tokio::time::Instant::now();
    let result = client.exchange_sessions().get("9b7fb629").await;
    let elapsed = started.elapsed();
    let attempts = client_tests::count(&server, SESSION).await;
    println!("no deadline, 60 attempts: ended after {elapsed:?} (paused clock)");
    assert_eq!(result.err().and_then(|e| e.status()).map(|s| s.as_u16()), Some(503));
    assert_eq!(attempts, 60);
    // 59 waits of 0-100 ms each: 2.95 s on average, and under 1.1 s with a probability below
    // one in 10^15.
    assert!(elapsed > Duration::from_millis(1100), "{elapsed:?}");
}

/// A per-call timeout bounds each attempt, whatever the client's is (real clock: the server's
/// delay is real time).
#[tokio::test]
async fn a_per_call_timeout_bounds_an_attempt() {
    let server = server_answering("GET", SESSION, ResponseTemplate::new(200).set_delay(Duration::from_secs(5))).await;
    let client = client_tests::client(&server);
    let started = std::time::Instant::now();
    let result = client
        .exchange_sessions()
        .get("9b7fb629")
        .timeout(Duration::from_millis(200))
        .await;
    let elapsed = started.elapsed();
    println!("per-call timeout 200 ms: {result:?} after {elapsed:?}");
    assert!(matches!(result, Err(dwolla::Error::Timeout { .. })), "{result:?}");
    assert!(elapsed < Duration::from_secs(2), "{elapsed:?}");
}
