//! Access tokens from elsewhere: a fixed token, or a provider of the caller's own, in place of
//! the client-credentials flow.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use client_tests::{authorizations, exchange_session_json};
use dwolla::api::BoxFuture;
use dwolla::{ProvidedToken, TokenProvider};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SESSION: &str = "/exchange-sessions/9b7fb629";

/// A server whose token endpoint must never be called.
async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/token"))
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(SESSION))
        .respond_with(ResponseTemplate::new(200).set_body_json(exchange_session_json()))
        .mount(&server)
        .await;
    server
}

/// Mints `minted-1`, `minted-2`, ... after a short delay, or fails when `fail` is set.
struct Minter {
    calls: Arc<AtomicUsize>,
    fail: bool,
}

impl TokenProvider for Minter {
    fn token(&self) -> BoxFuture<'_, Result<ProvidedToken, Box<dyn std::error::Error + Send + Sync>>> {
        Box::pin(async move {
            let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
            tokio::time::sleep(Duration::from_millis(50)).await;
            if self.fail {
                return Err("the vault is sealed".into());
            }
            Ok(ProvidedToken::new(format!("minted-{n}"), Duration::from_secs(3600)))
        })
    }
}

fn builder(server: &MockServer) -> dwolla::ClientBuilder {
    dwolla::Client::builder()
        .base_url(server.uri())
        .retry(dwolla::RetryPolicy::none())
        .no_timeout()
}

#[tokio::test]
async fn a_client_with_a_token_provider_never_calls_the_token_endpoint() {
    let server = server().await;
    let calls = Arc::new(AtomicUsize::new(0));
    let client = builder(&server)
        .token_provider(Minter {
            calls: calls.clone(),
            fail: false,
        })
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    for _ in 0..3 {
        client
            .exchange_sessions()
            .get("9b7fb629")
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    }
    assert_eq!(authorizations(&server, SESSION).await, ["Bearer minted-1"; 3]);
    assert_eq!(calls.load(Ordering::SeqCst), 1, "the token is cached");
    server.verify().await;
}

#[tokio::test]
async fn a_failing_provider_is_asked_once_for_a_burst_of_calls_which_all_see_its_error() {
    let server = server().await;
    let calls = Arc::new(AtomicUsize::new(0));
    let client = builder(&server)
        .token_provider(Minter {
            calls: calls.clone(),
            fail: true,
        })
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let client = client.clone();
        tasks.spawn(async move { client.exchange_sessions().get("9b7fb629").await });
    }
    let mut errors = Vec::new();
    while let Some(result) = tasks.join_next().await {
        errors.push(result.unwrap_or_else(|e| panic!("{e}")).expect_err("no token"));
    }
    assert!(errors.iter().all(|e| matches!(e, dwolla::Error::TokenProvider { .. })), "{errors:?}");
    assert!(errors[0].to_string().contains("the vault is sealed"), "{}", errors[0]);
    assert_eq!(calls.load(Ordering::SeqCst), 1, "one fetch shared by the burst");
    assert_eq!(client_tests::count(&server, SESSION).await, 0);
    server.verify().await;
}

#[tokio::test]
async fn a_fixed_access_token_is_sent_as_it_is() {
    let server = server().await;
    let client = builder(&server)
        .access_token("given-elsewhere")
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    client
        .exchange_sessions()
        .get("9b7fb629")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(authorizations(&server, SESSION).await, ["Bearer given-elsewhere"]);
    assert!(!format!("{client:?}").contains("given-elsewhere"), "{client:?}");
    server.verify().await;
}

#[tokio::test]
async fn an_empty_access_token_is_refused_when_the_client_is_built() {
    let err = dwolla::Client::builder().access_token("  ").build().expect_err("refused");
    assert!(matches!(err, dwolla::Error::Config(_)), "{err:?}");
}
