//! Helpers for the client tests: a client pointed at a mock server, and counting what the
//! server received.

pub mod heap;
pub mod raw_http;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use wiremock::{MockServer, Request, Respond, ResponseTemplate};

pub const CLIENT_ID: &str = "test-client-id";
pub const CLIENT_SECRET: &str = "test-client-secret-0123456789";

/// A client for `server` with test credentials, no retries and no timeout of its own (so a
/// paused test clock has no timers to jump to while a request is in flight).
pub fn client(server: &MockServer) -> dwolla::Client {
    client_with(server, dwolla::RetryPolicy::none())
}

/// Like [`client`], with `retry` as its policy (a client that sends every request once does
/// not replay one after a rejected token either).
pub fn client_with(server: &MockServer, retry: dwolla::RetryPolicy) -> dwolla::Client {
    dwolla::Client::builder()
        .base_url(server.uri())
        .credentials(CLIENT_ID, CLIENT_SECRET)
        .retry(retry)
        .no_timeout()
        .build()
        .unwrap_or_else(|e| panic!("{e}"))
}

/// Like [`client`], for tests on a paused clock: the HTTP client has no pool-idle timer, which
/// the paused clock would otherwise jump to while a request is in flight.
pub fn client_for_paused_clock(server: &MockServer) -> dwolla::Client {
    client_for_paused_clock_with(server, dwolla::RetryPolicy::none())
}

/// [`client_for_paused_clock`] with a retry policy.
pub fn client_for_paused_clock_with(server: &MockServer, retry: dwolla::RetryPolicy) -> dwolla::Client {
    builder_for_paused_clock(server, retry).build().unwrap_or_else(|e| panic!("{e}"))
}

/// The builder of [`client_for_paused_clock_with`], for tests that set more before building.
pub fn builder_for_paused_clock(server: &MockServer, retry: dwolla::RetryPolicy) -> dwolla::ClientBuilder {
    let http = reqwest::Client::builder()
        .pool_idle_timeout(None)
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    dwolla::Client::builder()
        .base_url(server.uri())
        .credentials(CLIENT_ID, CLIENT_SECRET)
        .http_client(http)
        .retry(retry)
        .no_timeout()
}

/// Mounts a token endpoint that always succeeds.
pub async fn mount_token(server: &MockServer) {
    wiremock::Mock::given(wiremock::matchers::method("POST"))
        .and(wiremock::matchers::path("/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "access_token": "token-1", "token_type": "Bearer", "expires_in": 3600
        })))
        .mount(server)
        .await;
}

/// A mock Dwolla whose token endpoint succeeds ([`mount_token`]) and that answers every
/// `method` request for `path` with `answer`.
pub async fn server_answering(method: &str, path: &str, answer: impl Respond + 'static) -> MockServer {
    let server = MockServer::start().await;
    mount_token(&server).await;
    wiremock::Mock::given(wiremock::matchers::method(method))
        .and(wiremock::matchers::path(path))
        .respond_with(answer)
        .mount(&server)
        .await;
    server
}

/// Mounts `answer` to the first `method` request `server` receives for `path` only, ahead of
/// the mocks that answer every request (it has priority 1, wiremock's default is 5).
pub async fn answer_first(server: &MockServer, method: &str, path: &str, answer: ResponseTemplate) {
    wiremock::Mock::given(wiremock::matchers::method(method))
        .and(wiremock::matchers::path(path))
        .respond_with(answer)
        .up_to_n_times(1)
        .with_priority(1)
        .mount(server)
        .await;
}

/// The requests `server` received for `path`, in order.
pub async fn received(server: &MockServer, path: &str) -> Vec<Request> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|r| r.url.path() == path)
        .collect()
}

/// How many requests `server` received for `path`.
pub async fn count(server: &MockServer, path: &str) -> usize {
    received(server, path).await.len()
}

/// The `Authorization` headers of the requests `server` received for `path`, in order.
pub async fn authorizations(server: &MockServer, path: &str) -> Vec<String> {
    received(server, path)
        .await
        .iter()
        .map(|r| {
            r.headers
                .get("authorization")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned()
        })
        .collect()
}

/// A token endpoint that hands out `token-1`, `token-2`, ... each valid `expires_in` seconds,
/// optionally after a delay (so concurrent callers overlap).
pub struct Tokens {
    pub issued: Arc<AtomicUsize>,
    pub expires_in: u64,
    pub delay: std::time::Duration,
}

impl Respond for Tokens {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let n = self.issued.fetch_add(1, Ordering::SeqCst) + 1;
        ResponseTemplate::new(200)
            .set_body_json(serde_json::json!({
                "access_token": format!("token-{n}"),
                "token_type": "Bearer",
                "expires_in": self.expires_in,
            }))
            .set_delay(self.delay)
    }
}

/// A retrieved exchange session (the MX example of Dwolla's developer docs).
pub fn exchange_session_json() -> serde_json::Value {
    serde_json::json!({
        "created": "2024-03-25T17:13:38.430Z",
        "_links": {
            "self": {"href": "https://api.dwolla.com/exchange-sessions/9b7fb629-0fad-44f4-8c5e-44c25a0bfa8e", "type": "application/vnd.dwolla.v1.hal+json", "resource-type": "exchange-sessions"},
            "exchange-partner": {"href": "https://api.dwolla.com/exchange-partners/bca8d065-49a5-475b-a6b4-509bc8504d22", "type": "application/vnd.dwolla.v1.hal+json", "resource-type": "exchange-partner"},
            "external-provider-session": {"href": "https://int-widgets.moneydesktop.com/md/connect/abc", "type": "application/vnd.dwolla.v1.hal+json", "resource-type": "text/html"}
        }
    })
}
