//! OAuth2 client credentials against a loopback token endpoint, counting requests: one token
//! for many concurrent callers, refresh before expiry, one refresh and one replay after
//! `ExpiredAccessToken`, no caching of a failed token request, and the token endpoint's own
//! error body read as an error.

use std::sync::Arc;
use std::sync::atomic::AtomicUsize;
use std::time::Duration;

use client_tests::{
    CLIENT_SECRET, Tokens, answer_first, authorizations, client, client_for_paused_clock, client_with, count,
    exchange_session_json,
};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SESSION: &str = "/exchange-sessions/9b7fb629";

async fn server_with_tokens(expires_in: u64, delay: Duration) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/token"))
        .respond_with(Tokens {
            issued: Arc::new(AtomicUsize::new(0)),
            expires_in,
            delay,
        })
        .mount(&server)
        .await;
    server
}

async fn mount_session(server: &MockServer) {
    Mock::given(method("GET"))
        .and(path(SESSION))
        .respond_with(ResponseTemplate::new(200).set_body_json(exchange_session_json()))
        .mount(server)
        .await;
}

#[tokio::test]
async fn fifty_concurrent_calls_on_a_cold_client_make_one_token_request() {
    let server = server_with_tokens(3600, Duration::from_millis(200)).await;
    mount_session(&server).await;
    let client = client(&server);
    let mut calls = tokio::task::JoinSet::new();
    for _ in 0..50 {
        let client = client.clone();
        calls.spawn(async move { client.exchange_sessions().get("9b7fb629").await });
    }
    let mut ok = 0;
    while let Some(result) = calls.join_next().await {
        match result {
            Ok(Ok(_)) => ok += 1,
            other => panic!("a call failed: {other:?}"),
        }
    }
    let (tokens, sessions) = (count(&server, "/token").await, count(&server, SESSION).await);
    println!("50 concurrent calls: {ok} succeeded, {tokens} token request(s), {sessions} API requests");
    assert_eq!((ok, tokens, sessions), (50, 1, 50));
    assert!(
        authorizations(&server, SESSION)
            .await
            .iter()
            .all(|a| a == "Bearer token-1")
    );
}

#[tokio::test(start_paused = true)]
async fn a_token_is_refreshed_a_minute_before_it_expires() {
    let server = server_with_tokens(3600, Duration::ZERO).await;
    mount_session(&server).await;
    let client = client_for_paused_clock(&server);

    client
        .exchange_sessions()
        .get("9b7fb629")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    // 58 minutes later the token still has two minutes to live: it is reused.
    tokio::time::advance(Duration::from_secs(58 * 60)).await;
    client
        .exchange_sessions()
        .get("9b7fb629")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(count(&server, "/token").await, 1);
    // Another 90 s: 30 s left, inside the 60 s margin, so a new token comes first.
    tokio::time::advance(Duration::from_secs(90)).await;
    client
        .exchange_sessions()
        .get("9b7fb629")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let auths = authorizations(&server, SESSION).await;
    println!(
        "token requests: {}, authorizations used: {auths:?}",
        count(&server, "/token").await
    );
    assert_eq!(count(&server, "/token").await, 2);
    assert_eq!(auths, ["Bearer token-1", "Bearer token-1", "Bearer token-2"]);
}

#[tokio::test]
async fn expired_access_token_refreshes_once_and_replays_once() {
    let server = server_with_tokens(3600, Duration::ZERO).await;
    answer_first(
        &server,
        "GET",
        SESSION,
        ResponseTemplate::new(401)
            .set_body_json(serde_json::json!({"code": "ExpiredAccessToken", "message": "Access token is expired."})),
    )
    .await;
    mount_session(&server).await;
    let client = client_with(&server, dwolla::RetryPolicy::default());
    let session = client
        .exchange_sessions()
        .get("9b7fb629")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let auths = authorizations(&server, SESSION).await;
    println!(
        "ExpiredAccessToken: {} token requests, API requests with {auths:?}, result {}",
        count(&server, "/token").await,
        session.status()
    );
    assert_eq!(count(&server, "/token").await, 2);
    assert_eq!(auths, ["Bearer token-1", "Bearer token-2"]);
}

#[tokio::test]
async fn a_second_rejection_is_returned_not_replayed_again() {
    let server = server_with_tokens(3600, Duration::ZERO).await;
    Mock::given(method("GET"))
        .and(path(SESSION))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(serde_json::json!({"code": "InvalidAccessToken", "message": "Invalid access token."})),
        )
        .mount(&server)
        .await;
    let client = client_with(&server, dwolla::RetryPolicy::default());
    let err = client.exchange_sessions().get("9b7fb629").await.expect_err("must fail");
    assert_eq!(err.code(), Some("InvalidAccessToken"));
    assert_eq!((count(&server, "/token").await, count(&server, SESSION).await), (2, 2));
}

#[tokio::test]
async fn a_failed_token_request_is_not_cached() {
    let server = MockServer::start().await;
    answer_first(&server, "POST", "/token", ResponseTemplate::new(503)).await;
    Mock::given(method("POST"))
        .and(path("/token"))
        .respond_with(Tokens {
            issued: Arc::new(AtomicUsize::new(0)),
            expires_in: 3600,
            delay: Duration::ZERO,
        })
        .mount(&server)
        .await;
    mount_session(&server).await;
    let client = client(&server);
    let first = client.exchange_sessions().get("9b7fb629").await;
    assert!(matches!(first, Err(dwolla::Error::Auth { .. })), "{first:?}");
    client
        .exchange_sessions()
        .get("9b7fb629")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(count(&server, "/token").await, 2);
    assert_eq!(count(&server, SESSION).await, 1);
}

#[tokio::test]
async fn the_token_endpoints_error_body_is_an_error_not_a_token() {
    let server = MockServer::start().await;
    for status in [401, 200] {
        server.reset().await;
        Mock::given(method("POST"))
            .and(path("/token"))
            .respond_with(ResponseTemplate::new(status).set_body_json(serde_json::json!({"error": "invalid_client"})))
            .mount(&server)
            .await;
        let err = client(&server)
            .exchange_sessions()
            .get("x")
            .await
            .expect_err("must fail");
        match &err {
            dwolla::Error::Auth { error, .. } => assert_eq!(error, "invalid_client"),
            other => panic!("expected an auth error, got {other:?}"),
        }
        let shown = format!("{err} {err:?}");
        assert!(!shown.contains(CLIENT_SECRET), "{shown}");
        println!("token endpoint {status} {{\"error\": \"invalid_client\"}} -> {err}");
    }
}

#[tokio::test]
async fn the_token_request_uses_basic_auth_and_the_form_grant() {
    let server = server_with_tokens(3600, Duration::ZERO).await;
    mount_session(&server).await;
    client(&server)
        .exchange_sessions()
        .get("9b7fb629")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let requests = server.received_requests().await.unwrap_or_default();
    let token = requests
        .iter()
        .find(|r| r.url.path() == "/token")
        .expect("a token request");
    assert_eq!(
        token.headers.get("authorization").and_then(|v| v.to_str().ok()),
        Some("Basic dGVzdC1jbGllbnQtaWQ6dGVzdC1jbGllbnQtc2VjcmV0LTAxMjM0NTY3ODk=")
    );
    assert_eq!(String::from_utf8_lossy(&token.body), "grant_type=client_credentials");
}
