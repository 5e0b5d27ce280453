//! Every wait bounded and every caller value checked where it enters: a token provider that
//! never answers ends the call at its timeout, a value that cannot go in a header is refused at
//! `build()` or where a token arrives (never at send time, never retried), and a list whose
//! first page links to itself is fetched once.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use client_tests::{exchange_session_json, mount_token};
use dwolla::api::BoxFuture;
use dwolla::{Error, ProvidedToken, TokenProvider};
use futures::StreamExt;
use serde_json::json;
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

/// Gives `token` once and counts how often it was asked.
struct Gives {
    token: &'static str,
    calls: Arc<AtomicUsize>,
}

impl TokenProvider for Gives {
    fn token(&self) -> BoxFuture<'_, Result<ProvidedToken, Box<dyn std::error::Error + Send + Sync>>> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        Box::pin(async move { Ok(ProvidedToken::new(self.token, Duration::from_secs(3600))) })
    }
}

/// A client for `server` that retries quickly, for tests that count what a retry would resend.
fn retrying(server: &MockServer) -> dwolla::ClientBuilder {
    let policy = dwolla::RetryPolicy::default()
        .max_attempts(3)
        .initial_backoff(Duration::from_millis(10));
    dwolla::Client::builder()
        .base_url(server.uri())
        .credentials(client_tests::CLIENT_ID, client_tests::CLIENT_SECRET)
        .retry(policy)
}

#[tokio::test]
async fn a_user_agent_with_a_line_break_is_refused_at_build() {
    let err = dwolla::Client::builder()
        .user_agent("my-app/1.0\n")
        .build()
        .expect_err("refused");
    assert!(matches!(err, Error::Config(_)), "{err:?}");
    assert!(err.to_string().contains("user agent"), "{err}");
}

#[tokio::test]
async fn an_access_token_with_a_line_break_is_refused_at_build() {
    let err = dwolla::Client::builder()
        .access_token("secret-token\r\nX-Injected: 1")
        .build()
        .expect_err("refused");
    assert!(matches!(err, Error::Config(_)), "{err:?}");
    assert!(!err.to_string().contains("secret-token"), "{err}");
}

#[tokio::test]
async fn credentials_that_cannot_be_basic_credentials_are_refused_at_build() {
    for (id, secret) in [("id\n", "secret"), ("id:more", "secret"), ("id", "hidden-secret\r\n")] {
        let err = dwolla::Client::builder()
            .credentials(id, secret)
            .build()
            .expect_err("refused");
        assert!(matches!(err, Error::Config(_)), "{id:?}: {err:?}");
        assert!(!err.to_string().contains("hidden-secret"), "{err}");
    }
}

#[tokio::test]
async fn a_provided_token_that_cannot_be_a_header_is_a_token_provider_error_not_retried() {
    let server = session_server().await;
    let calls = Arc::new(AtomicUsize::new(0));
    let client = retrying(&server)
        .token_provider(Gives { token: "minted\nX-Injected: 1", calls: calls.clone() })
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let err = client.exchange_sessions().get("9b7fb629").await.expect_err("no usable token");
    assert!(matches!(err, Error::TokenProvider { .. }), "{err:?}");
    assert!(!err.to_string().contains("minted"), "{err}");
    assert!(!format!("{err:?}").contains("minted"), "{err:?}");
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    assert_eq!(client_tests::count(&server, SESSION).await, 0);
}

#[tokio::test]
async fn a_token_endpoint_token_that_cannot_be_a_header_is_an_auth_error_not_retried() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "access_token": "issued\u{7}token", "token_type": "Bearer", "expires_in": 3600
        })))
        .mount(&server)
        .await;
    let client = retrying(&server).build().unwrap_or_else(|e| panic!("{e}"));
    let err = client.exchange_sessions().get("9b7fb629").await.expect_err("no usable token");
    assert!(matches!(err, Error::Auth { .. }), "{err:?}");
    assert!(!err.to_string().contains("issued"), "{err}");
    assert!(!format!("{err:?}").contains("issued"), "{err:?}");
    assert_eq!(client_tests::count(&server, "/token").await, 1);
    assert_eq!(client_tests::count(&server, SESSION).await, 0);
}

#[tokio::test]
async fn a_caller_header_that_is_not_a_header_value_is_final_and_sends_nothing() {
    let server = MockServer::start().await;
    mount_token(&server).await;
    let client = retrying(&server).build().unwrap_or_else(|e| panic!("{e}"));
    let call = client.exchange_sessions().get("9b7fb629").header("X-Note", "a\nb");
    let err = call.await.expect_err("refused");
    assert!(matches!(err, Error::Request { .. }), "{err:?}");
    assert_eq!(client_tests::count(&server, "/token").await, 0);
    assert_eq!(client_tests::count(&server, SESSION).await, 0);
}

/// A customer as a list page holds it.
fn customer(id: &str) -> serde_json::Value {
    json!({
        "_links": {}, "id": id, "firstName": "Jane", "lastName": "Doe", "email": "jane@example.com",
        "type": "unverified", "status": "unverified", "created": "2024-01-01T00:00:00Z"
    })
}

/// Serves one page of customers at `/customers` whose `next` link is `next` (relative to the
/// server).
async fn looping_list(next: &str) -> MockServer {
    let server = MockServer::start().await;
    mount_token(&server).await;
    let page = json!({
        "_links": {"next": {"href": format!("{}{next}", server.uri())}},
        "_embedded": {"customers": [customer("c-1"), customer("c-2")]},
        "total": 2
    });
    Mock::given(method("GET"))
        .and(path("/customers"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page))
        .mount(&server)
        .await;
    server
}

/// The items a stream yields before its first error, and that error.
async fn drain(mut stream: dwolla::Paged<dwolla::models::Customer>) -> (Vec<String>, Option<Error>) {
    let mut ids = Vec::new();
    while let Some(item) = stream.next().await {
        match item {
            Ok(customer) => ids.push(customer.id().to_owned()),
            Err(e) => return (ids, Some(e)),
        }
    }
    (ids, None)
}

#[tokio::test]
async fn a_first_page_whose_next_link_is_itself_is_fetched_once() {
    let server = looping_list("/customers").await;
    let client = client_tests::client(&server);
    let (ids, err) = drain(client.customers().list().stream()).await;
    assert_eq!(ids, ["c-1", "c-2"], "no item is yielded twice");
    assert!(matches!(err, Some(Error::Pagination { .. })), "{err:?}");
    assert_eq!(client_tests::count(&server, "/customers").await, 1);
}

#[tokio::test]
async fn a_first_page_with_a_query_whose_next_link_is_itself_is_fetched_once() {
    let server = looping_list("/customers?limit=2").await;
    let client = client_tests::client(&server);
    let (ids, err) = drain(client.customers().list().limit(2).stream()).await;
    assert_eq!(ids, ["c-1", "c-2"], "no item is yielded twice");
    assert!(matches!(err, Some(Error::Pagination { .. })), "{err:?}");
    assert_eq!(client_tests::count(&server, "/customers").await, 1);
}
