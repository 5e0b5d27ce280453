//! Hooks: code of the caller's own that sees each attempt, adds headers, observes responses,
//! and cannot touch credentials.

use std::sync::{Arc, Mutex};

use client_tests::{CLIENT_ID, CLIENT_SECRET, answer_first, exchange_session_json, mount_token, received};
use dwolla::{Hook, RequestParts, ResponseParts};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SESSION: &str = "/exchange-sessions/9b7fb629";

/// Adds a header to every attempt and records what it saw.
#[derive(Default)]
struct Recording {
    header_names: Mutex<Vec<String>>,
    statuses: Mutex<Vec<(u32, u16)>>,
}

struct Shared(Arc<Recording>);

impl Hook for Shared {
    fn before_send(&self, request: &mut RequestParts<'_>) {
        let mut names = self.0.header_names.lock().unwrap_or_else(|e| e.into_inner());
        names.extend(request.headers.keys().map(|n| n.to_string()));
        request
            .headers
            .insert("x-tenant", dwolla::reqwest::header::HeaderValue::from_static("acme"));
    }
    fn after_response(&self, response: &ResponseParts<'_>) {
        let mut statuses = self.0.statuses.lock().unwrap_or_else(|e| e.into_inner());
        statuses.push((response.attempt, response.status.as_u16()));
    }
}

#[tokio::test(start_paused = true)]
async fn a_hook_adds_a_header_the_server_sees_and_observes_each_response() {
    let server = MockServer::start().await;
    mount_token(&server).await;
    answer_first(&server, "GET", SESSION, ResponseTemplate::new(503)).await;
    Mock::given(method("GET"))
        .and(path(SESSION))
        .and(header("x-tenant", "acme"))
        .respond_with(ResponseTemplate::new(200).set_body_json(exchange_session_json()))
        .mount(&server)
        .await;
    let seen = Arc::new(Recording::default());
    let http = dwolla::reqwest::Client::builder()
        .pool_idle_timeout(None)
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let client = dwolla::Client::builder()
        .base_url(server.uri())
        .credentials(CLIENT_ID, CLIENT_SECRET)
        .http_client(http)
        .no_timeout()
        .hook(Shared(seen.clone()))
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    client
        .exchange_sessions()
        .get("9b7fb629")
        .header("x-correlation-id", "c-1")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let statuses = seen.statuses.lock().unwrap_or_else(|e| e.into_inner()).clone();
    println!("statuses seen by the hook: {statuses:?}");
    // The token request, then the call's two attempts.
    assert_eq!(statuses, [(1, 200), (1, 503), (2, 200)]);
    let names = seen.header_names.lock().unwrap_or_else(|e| e.into_inner()).clone();
    assert!(names.contains(&"x-correlation-id".to_owned()), "{names:?}");
    assert!(!names.iter().any(|n| n == "authorization"), "a hook never sees credentials: {names:?}");
    let tenants = received(&server, SESSION)
        .await
        .iter()
        .filter(|r| r.headers.get("x-tenant").is_some())
        .count();
    assert_eq!(tenants, 2, "every attempt carries the hook's header");
}

struct Impostor;

impl Hook for Impostor {
    fn before_send(&self, request: &mut RequestParts<'_>) {
        request.headers.insert(
            dwolla::reqwest::header::AUTHORIZATION,
            dwolla::reqwest::header::HeaderValue::from_static("Bearer stolen"),
        );
    }
}

#[tokio::test]
async fn a_hook_cannot_set_a_header_the_client_manages() {
    let server = MockServer::start().await;
    mount_token(&server).await;
    let client = dwolla::Client::builder()
        .base_url(server.uri())
        .credentials(CLIENT_ID, CLIENT_SECRET)
        .hook(Impostor)
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let err = client.exchange_sessions().get("9b7fb629").await.expect_err("refused");
    assert!(matches!(err, dwolla::Error::Request { .. }), "{err:?}");
    assert!(err.to_string().contains("authorization"), "{err}");
    assert_eq!(client_tests::count(&server, SESSION).await, 0, "nothing was sent");
}

/// Records every attempt's end, response or failure, as a per-call metric would.
#[derive(Default)]
struct Ends(Mutex<Vec<String>>);

struct SharedEnds(Arc<Ends>);

impl Hook for SharedEnds {
    fn after_response(&self, response: &ResponseParts<'_>) {
        let mut ends = self.0.0.lock().unwrap_or_else(|e| e.into_inner());
        ends.push(format!("{} #{}: {}", response.operation, response.attempt, response.status.as_u16()));
    }
    fn after_failure(&self, failure: &dwolla::FailureParts<'_>) {
        let mut ends = self.0.0.lock().unwrap_or_else(|e| e.into_inner());
        let kind = match failure.error {
            dwolla::Error::Timeout { .. } => "timeout",
            dwolla::Error::Transport { .. } => "transport",
            _ => "other",
        };
        ends.push(format!("{} #{}: {kind} ({:?})", failure.operation, failure.attempt, failure.error.sent()));
    }
}

fn client_recording(base: &str, ends: &Arc<Ends>) -> dwolla::ClientBuilder {
    dwolla::Client::builder()
        .base_url(base)
        .access_token("token")
        .retry(dwolla::RetryPolicy::none())
        .hook(SharedEnds(ends.clone()))
}

#[tokio::test]
async fn hooks_see_attempts_that_end_without_a_response() {
    // A timeout of the attempt.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(SESSION))
        .respond_with(ResponseTemplate::new(200).set_delay(std::time::Duration::from_secs(5)))
        .mount(&server)
        .await;
    let ends = Arc::new(Ends::default());
    let client = client_recording(&server.uri(), &ends)
        .timeout(std::time::Duration::from_millis(100))
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let _ = client.exchange_sessions().get("9b7fb629").await.expect_err("times out");

    // The call's deadline cutting an attempt short.
    let client = client_recording(&server.uri(), &ends)
        .no_timeout()
        .deadline(std::time::Duration::from_millis(100))
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let _ = client.exchange_sessions().get("9b7fb629").await.expect_err("runs past the deadline");

    // A refused connection.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .unwrap_or_else(|e| panic!("{e}"));
    let client = client_recording(&format!("http://{closed}"), &ends)
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let _ = client.exchange_sessions().get("9b7fb629").await.expect_err("nothing listens");

    let ends = ends.0.lock().unwrap_or_else(|e| e.into_inner()).clone();
    println!("{ends:#?}");
    assert_eq!(
        ends,
        [
            "retrieveCustomerExchangeSession #1: timeout (Unanswered)",
            "retrieveCustomerExchangeSession #1: timeout (Unanswered)",
            "retrieveCustomerExchangeSession #1: transport (NotSent)",
        ]
    );
}
