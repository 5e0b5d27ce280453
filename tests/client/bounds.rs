//! Every wait bounded: a token provider that never answers ends the call at its timeout.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use client_tests::exchange_session_json;
use dwolla::api::BoxFuture;
use dwolla::{Error, ProvidedToken, TokenProvider};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SESSION: &str = "/exchange-sessions/9b7fb629";

/// Longer than any call here may take: a call still running then never ends.
const NEVER: Duration = Duration::from_secs(3600);

/// A server answering the exchange session and refusing any token request.
async fn session_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/token"))
        .respond_with(ResponseTemplate::new(500))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(SESSION))
        .respond_with(ResponseTemplate::new(200).set_body_json(exchange_session_json()))
        .mount(&server)
        .await;
    server
}

/// Never answers until `healthy` is set; then mints `minted-1`, `minted-2`, ...
struct Hangs {
    healthy: Arc<AtomicBool>,
    calls: Arc<AtomicUsize>,
}

impl TokenProvider for Hangs {
    fn token(&self) -> BoxFuture<'_, Result<ProvidedToken, Box<dyn std::error::Error + Send + Sync>>> {
        let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
        let healthy = self.healthy.load(Ordering::SeqCst);
        Box::pin(async move {
            if !healthy {
                std::future::pending::<()>().await;
            }
            Ok(ProvidedToken::new(format!("minted-{n}"), Duration::from_secs(3600)))
        })
    }
}

/// A client with a timeout of one second, no deadline and no retries, whose tokens come from
/// `provider`, for a paused clock.
fn client_with(server: &MockServer, provider: impl TokenProvider) -> dwolla::Client {
    client_tests::builder_for_paused_clock(server, dwolla::RetryPolicy::none())
        .timeout(Duration::from_secs(1))
        .token_provider(provider)
        .build()
        .unwrap_or_else(|e| panic!("{e}"))
}

/// Gets the session, failing the test if the call has not ended after an hour (on a paused
/// clock, at once).
async fn get_session(client: &dwolla::Client) -> Result<(), Error> {
    let call = client.exchange_sessions().get("9b7fb629");
    match tokio::time::timeout(NEVER, call).await {
        Ok(result) => result.map(drop),
        Err(_) => panic!("the call did not end within an hour of a one-second timeout"),
    }
}

#[tokio::test(start_paused = true)]
async fn a_token_provider_that_never_answers_ends_the_call_at_its_timeout() {
    let server = session_server().await;
    let (healthy, calls) = (Arc::new(AtomicBool::new(false)), Arc::new(AtomicUsize::new(0)));
    let client = client_with(&server, Hangs { healthy: healthy.clone(), calls: calls.clone() });
    let started = tokio::time::Instant::now();
    let err = get_session(&client).await.expect_err("no token");
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    assert_eq!(started.elapsed(), Duration::from_secs(1));
    assert_eq!(client_tests::count(&server, SESSION).await, 0);
}

#[tokio::test(start_paused = true)]
async fn calls_waiting_for_a_hung_token_provider_each_end_at_their_timeout() {
    let server = session_server().await;
    let (healthy, calls) = (Arc::new(AtomicBool::new(false)), Arc::new(AtomicUsize::new(0)));
    let client = client_with(&server, Hangs { healthy: healthy.clone(), calls: calls.clone() });
    let (first, second) = tokio::join!(get_session(&client), get_session(&client));
    for err in [first.expect_err("no token"), second.expect_err("no token")] {
        assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    }
}

#[tokio::test(start_paused = true)]
async fn after_a_hung_token_provider_times_out_the_next_call_asks_it_again() {
    let server = session_server().await;
    let (healthy, calls) = (Arc::new(AtomicBool::new(false)), Arc::new(AtomicUsize::new(0)));
    let client = client_with(&server, Hangs { healthy: healthy.clone(), calls: calls.clone() });
    let err = get_session(&client).await.expect_err("no token");
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    let asked = calls.load(Ordering::SeqCst);
    healthy.store(true, Ordering::SeqCst);
    // The request goes to a real loopback socket: the clock must not jump while it is out.
    tokio::time::resume();
    get_session(&client).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(calls.load(Ordering::SeqCst), asked + 1, "the provider is asked again");
    let sent = client_tests::authorizations(&server, SESSION).await;
    assert_eq!(sent, [format!("Bearer minted-{}", asked + 1)]);
}
