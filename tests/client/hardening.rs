//! The client's defences against a hostile server and against the caller's mistakes, one test or
//! more each, against loopback servers: the server is not believed, and the caller's mistakes do
//! not become incidents. A heading comment names each defence its tests cover.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use client_tests::{CLIENT_ID, CLIENT_SECRET, answer_first, client, count, mount_token, server_answering};
use dwolla::models::CreateUnverifiedCustomer;
use dwolla::{Error, RetryPolicy};
use serde_json::{Value, json};
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

fn customer_json(id: &str) -> Value {
    json!({
        "_links": {}, "id": id, "firstName": "Jane", "lastName": "Doe",
        "email": "jane@example.com", "type": "unverified", "status": "unverified",
        "created": "2024-01-01T00:00:00Z"
    })
}

/// Answers `GET /customers/c1` on `server` with customer `c1`.
async fn mount_customer(server: &MockServer) {
    Mock::given(method("GET"))
        .and(path("/customers/c1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(customer_json("c1")))
        .mount(server)
        .await;
}

fn new_customer() -> CreateUnverifiedCustomer {
    CreateUnverifiedCustomer::new("Jane", "Doe", "jane@example.com")
}

/// A client for `server` with this retry policy and timeout.
fn client_with(server: &MockServer, retry: RetryPolicy, timeout: Option<Duration>) -> dwolla::Client {
    let builder = dwolla::Client::builder()
        .base_url(server.uri())
        .credentials(CLIENT_ID, CLIENT_SECRET)
        .retry(retry);
    match timeout {
        Some(t) => builder.timeout(t),
        None => builder.no_timeout(),
    }
    .build()
    .unwrap_or_else(|e| panic!("{e}"))
}

async fn requests_to(server: &MockServer, prefix: &str) -> usize {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .filter(|r| r.url.path().starts_with(prefix))
        .count()
}

fn status_of(result: &Result<impl std::fmt::Debug, Error>) -> Option<u16> {
    result.as_ref().err().and_then(Error::status).map(|s| s.as_u16())
}

// Redirects.

/// A mock Dwolla (`api`) that answers `verb` on `from` with a redirect (`status`) to `to` on
/// another host (`elsewhere`), which answers every `verb` with `elsewhere_answers`.
async fn api_redirecting_elsewhere(
    verb: &str,
    from: &str,
    status: u16,
    to: &str,
    elsewhere_answers: ResponseTemplate,
) -> (MockServer, MockServer) {
    let api = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    mount_token(&api).await;
    Mock::given(method(verb))
        .and(path(from))
        .respond_with(ResponseTemplate::new(status).insert_header("location", format!("{}{to}", elsewhere.uri())))
        .mount(&api)
        .await;
    Mock::given(method(verb))
        .respond_with(elsewhere_answers)
        .mount(&elsewhere)
        .await;
    (api, elsewhere)
}

#[tokio::test]
async fn redirect_of_a_post_to_another_host_does_not_resend_the_body() {
    let created = ResponseTemplate::new(201).insert_header("location", "/customers/x");
    let (api, elsewhere) = api_redirecting_elsewhere("POST", "/customers", 307, "/collect", created).await;
    let result = client(&api).customers().create(new_customer()).await;
    assert_eq!(status_of(&result), Some(307), "{result:?}");
    assert_eq!(requests_to(&elsewhere, "/").await, 0, "the body went to another host");
}

/// A mock Dwolla (`api`) that answers `GET /customers/c1` with a redirect to another host
/// (`elsewhere`), which answers every `GET` with a forged customer.
async fn redirected_off_the_api() -> (MockServer, MockServer) {
    let forged = ResponseTemplate::new(200).set_body_json(customer_json("forged"));
    api_redirecting_elsewhere("GET", "/customers/c1", 302, "/customers/c1", forged).await
}

#[tokio::test]
async fn redirect_of_a_get_to_another_host_is_not_followed() {
    let (api, elsewhere) = redirected_off_the_api().await;
    let result = client(&api).customers().get("c1").await;
    assert_eq!(status_of(&result), Some(302), "{result:?}");
    assert_eq!(requests_to(&elsewhere, "/").await, 0);
}

#[tokio::test]
async fn redirect_outside_the_base_path_does_not_receive_the_token() {
    let api = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v2/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"access_token": "token-1", "expires_in": 3600})))
        .mount(&api)
        .await;
    Mock::given(method("GET"))
        .and(path("/v2/customers/c1"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", "/other-app/customers/c1"))
        .mount(&api)
        .await;
    Mock::given(method("GET"))
        .and(path("/other-app/customers/c1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(customer_json("c1")))
        .mount(&api)
        .await;
    let client = dwolla::Client::builder()
        .base_url(format!("{}/v2", api.uri()))
        .credentials(CLIENT_ID, CLIENT_SECRET)
        .retry(RetryPolicy::none())
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let result = client.customers().get("c1").await;
    assert_eq!(status_of(&result), Some(302), "{result:?}");
    assert_eq!(
        requests_to(&api, "/other-app").await,
        0,
        "the bearer token left the base path"
    );
}

#[tokio::test]
async fn a_callers_http_client_that_follows_a_redirect_off_the_api_has_its_answer_refused() {
    let (api, _elsewhere) = redirected_off_the_api().await;
    // reqwest's default policy follows up to ten redirects.
    let client = dwolla::Client::builder()
        .base_url(api.uri())
        .credentials(CLIENT_ID, CLIENT_SECRET)
        .http_client(dwolla::reqwest::Client::new())
        .retry(RetryPolicy::none())
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let result = client.customers().get("c1").await;
    assert!(matches!(result, Err(Error::ForeignResponse { .. })), "{result:?}");
}

// Numbers from the server.

#[tokio::test]
async fn expires_in_beyond_the_clock_does_not_panic() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/token"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            r#"{"access_token":"token-1","token_type":"Bearer","expires_in":9223372036854775808}"#,
            "application/json",
        ))
        .mount(&server)
        .await;
    mount_customer(&server).await;
    let client = client(&server);
    for _ in 0..2 {
        let result = client.customers().get("c1").await;
        assert!(result.is_ok(), "{result:?}");
    }
    assert_eq!(count(&server, "/token").await, 1, "the token is reused");
}

#[tokio::test]
async fn retry_after_of_u64_max_a_second_into_the_call_does_not_panic() {
    let server = server_answering(
        "GET",
        "/customers/c1",
        ResponseTemplate::new(503)
            .insert_header("retry-after", "18446744073709551615")
            .set_delay(Duration::from_millis(1050)),
    )
    .await;
    let client = client_with(&server, RetryPolicy::default(), None);
    let result = client.customers().get("c1").await;
    assert_eq!(status_of(&result), Some(503), "{result:?}");
    assert_eq!(
        count(&server, "/customers/c1").await,
        1,
        "a wait past the budget is not waited"
    );
}

// Pagination that does not end.

/// Serves `/customers?page=<name>` from a table of pages: (items, next page name).
struct Pages {
    base: String,
    pages: Vec<(&'static str, usize, Option<&'static str>)>,
}

impl Respond for Pages {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let name = req
            .url
            .query_pairs()
            .find(|(k, _)| k == "page")
            .map(|(_, v)| v.into_owned())
            .unwrap_or_else(|| "first".to_owned());
        let Some((_, items, next)) = self.pages.iter().find(|(n, ..)| *n == name) else {
            return ResponseTemplate::new(404);
        };
        let items: Vec<Value> = (0..*items).map(|i| customer_json(&format!("{name}-{i}"))).collect();
        let mut links = json!({"self": {"href": format!("{}/customers?page={name}", self.base)}});
        if let Some(next) = next {
            links["next"] = json!({"href": format!("{}/customers?page={next}", self.base)});
        }
        ResponseTemplate::new(200)
            .set_body_json(json!({"_links": links, "_embedded": {"customers": items}, "total": 1000}))
    }
}

async fn paged_server(pages: Vec<(&'static str, usize, Option<&'static str>)>) -> MockServer {
    let server = MockServer::start().await;
    mount_token(&server).await;
    Mock::given(method("GET"))
        .and(path("/customers"))
        .respond_with(Pages {
            base: server.uri(),
            pages,
        })
        .mount(&server)
        .await;
    server
}

/// Every item of the stream, with a deadline: a stream that never ends fails the test.
async fn drain(client: &dwolla::Client) -> Vec<Result<(), Error>> {
    use futures::StreamExt;
    let all = client
        .customers()
        .list()
        .stream()
        .map(|r| r.map(|_| ()))
        .take(5_000)
        .collect::<Vec<_>>();
    tokio::time::timeout(Duration::from_secs(10), all)
        .await
        .unwrap_or_else(|_| panic!("the stream did not end"))
}

#[tokio::test]
async fn a_next_link_to_itself_ends_the_stream() {
    let server = paged_server(vec![("first", 2, Some("a")), ("a", 2, Some("a"))]).await;
    let items = drain(&client(&server)).await;
    assert_eq!(items.len(), 5, "{items:?}");
    assert!(matches!(items.last(), Some(Err(Error::Pagination { .. }))), "{items:?}");
    assert_eq!(count(&server, "/customers").await, 2);
}

#[tokio::test]
async fn next_links_cycling_between_two_pages_end_the_stream() {
    let server = paged_server(vec![("first", 1, Some("a")), ("a", 1, Some("b")), ("b", 1, Some("a"))]).await;
    let items = drain(&client(&server)).await;
    assert_eq!(items.len(), 4, "{items:?}");
    assert!(matches!(items.last(), Some(Err(Error::Pagination { .. }))), "{items:?}");
    assert_eq!(count(&server, "/customers").await, 3);
}

#[tokio::test]
async fn an_empty_page_with_a_self_link_ends_collect_at_most() {
    let server = paged_server(vec![("first", 0, Some("a")), ("a", 0, Some("a"))]).await;
    let client = client(&server);
    let collected = tokio::time::timeout(
        Duration::from_secs(10),
        client.customers().list().stream().collect_at_most(1),
    )
    .await
    .unwrap_or_else(|_| panic!("collect_at_most(1) spun on empty pages"));
    assert_eq!(collected.map(|v| v.len()).ok(), Some(0));
    assert_eq!(count(&server, "/customers").await, 1);
}

/// A list whose every page links to a new one.
struct Endless {
    base: String,
}

impl Respond for Endless {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let page: usize = req
            .url
            .query_pairs()
            .find(|(k, _)| k == "page")
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(0);
        ResponseTemplate::new(200).set_body_json(json!({
            "_links": {"next": {"href": format!("{}/customers?page={}", self.base, page + 1)}},
            "_embedded": {"customers": [customer_json(&format!("c-{page}"))]},
        }))
    }
}

#[tokio::test]
async fn a_list_longer_than_max_pages_ends_with_an_error() {
    let server = MockServer::start().await;
    mount_token(&server).await;
    Mock::given(method("GET"))
        .and(path("/customers"))
        .respond_with(Endless { base: server.uri() })
        .mount(&server)
        .await;
    let client = client(&server);
    let result = client
        .customers()
        .list()
        .stream()
        .max_pages(5)
        .collect_at_most(100)
        .await;
    assert!(matches!(result, Err(Error::Pagination { .. })), "{result:?}");
    assert_eq!(count(&server, "/customers").await, 5);
}

// One token request, shared by everyone waiting, failure included.

type CustomerResult = Result<dwolla::Response<dwolla::models::Customer>, Error>;

/// `callers` clones of a client for `server`, whose token endpoint answers `answer`, getting a
/// customer at once: their results, the time until all had one, and the token requests made.
async fn concurrent_callers(
    server: &MockServer,
    answer: ResponseTemplate,
    timeout: Option<Duration>,
    callers: usize,
) -> (Vec<CustomerResult>, Duration, usize) {
    Mock::given(method("POST"))
        .and(path("/token"))
        .respond_with(answer)
        .mount(server)
        .await;
    let client = client_with(server, RetryPolicy::none(), timeout);
    let started = Instant::now();
    let calls = (0..callers).map(|_| {
        let client = client.clone();
        async move { client.customers().get("c1").await }
    });
    let results = futures::future::join_all(calls).await;
    let elapsed = started.elapsed();
    (results, elapsed, count(server, "/token").await)
}

#[tokio::test]
async fn a_hanging_token_request_is_shared_by_concurrent_callers() {
    let server = MockServer::start().await;
    let hanging = ResponseTemplate::new(200).set_delay(Duration::from_secs(30));
    let (results, elapsed, token_requests) =
        concurrent_callers(&server, hanging, Some(Duration::from_millis(300)), 10).await;
    println!("10 callers, hanging token endpoint, 300 ms timeout: all answered in {elapsed:?}");
    assert!(
        results.iter().all(|r| matches!(r, Err(Error::Timeout { .. }))),
        "{results:?}"
    );
    assert!(elapsed < Duration::from_millis(1000), "the callers waited {elapsed:?}");
    assert_eq!(token_requests, 1);
}

#[tokio::test]
async fn a_failing_token_request_is_shared_by_concurrent_callers() {
    let server = MockServer::start().await;
    let failing = ResponseTemplate::new(503).set_delay(Duration::from_millis(300));
    let (results, _, token_requests) = concurrent_callers(&server, failing, None, 50).await;
    assert!(
        results.iter().all(|r| matches!(r, Err(Error::Auth { .. }))),
        "{results:?}"
    );
    println!("50 cold calls against a token endpoint answering 503: {token_requests} token request(s)");
    assert_eq!(token_requests, 1);
}

#[tokio::test]
async fn a_failed_token_request_is_retried_under_the_retry_policy() {
    let server = MockServer::start().await;
    answer_first(&server, "POST", "/token", ResponseTemplate::new(503)).await;
    mount_token(&server).await;
    mount_customer(&server).await;
    let retry = RetryPolicy::default().initial_backoff(Duration::from_millis(10));
    let result = client_with(&server, retry, None).customers().get("c1").await;
    assert!(result.is_ok(), "{result:?}");
    assert_eq!(count(&server, "/token").await, 2);
}

#[tokio::test]
async fn a_waiter_takes_over_when_the_fetching_caller_is_dropped() {
    let server = MockServer::start().await;
    let issued = Arc::new(AtomicUsize::new(0));
    Mock::given(method("POST"))
        .and(path("/token"))
        .respond_with(client_tests::Tokens {
            issued: Arc::clone(&issued),
            expires_in: 3600,
            delay: Duration::from_millis(400),
        })
        .mount(&server)
        .await;
    mount_customer(&server).await;
    let client = client(&server);
    let leader = tokio::time::timeout(Duration::from_millis(100), client.customers().get("c1").send());
    let waiter = async {
        tokio::time::sleep(Duration::from_millis(50)).await;
        client.customers().get("c1").await
    };
    let (leader, waiter) = tokio::join!(leader, waiter);
    assert!(leader.is_err(), "the first caller gave up");
    assert!(waiter.is_ok(), "{waiter:?}");
    assert_eq!(issued.load(Ordering::SeqCst), 2);
}

// The token endpoint's body in Debug.

#[tokio::test]
async fn the_debug_of_a_token_decode_error_does_not_show_the_token() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "access_token": "tok-SECRET-4c1e", "token_type": "Bearer", "expires_in": "soon"
        })))
        .mount(&server)
        .await;
    let request = dwolla::models::CreateApplicationAccessTokenRequest::new();
    let error = client(&server)
        .tokens()
        .create(request)
        .await
        .expect_err("expires_in is not a number");
    assert!(matches!(error, Error::Decode { .. }), "{error:?}");
    let shown = format!("{error:?} {error}");
    assert!(!shown.contains("tok-SECRET-4c1e"), "{shown}");
}

// `Location` headers.

async fn created_at(location: &str) -> (MockServer, Result<dwolla::Response<dwolla::Created>, Error>) {
    let server = server_answering(
        "POST",
        "/customers",
        ResponseTemplate::new(201).insert_header("location", location),
    )
    .await;
    Mock::given(method("GET"))
        .and(path_regex("^/customers/"))
        .respond_with(ResponseTemplate::new(200).set_body_json(customer_json("abc")))
        .mount(&server)
        .await;
    let result = client(&server).customers().create(new_customer()).await;
    (server, result)
}

#[tokio::test]
async fn a_relative_location_is_resolved_for_fetch_created() {
    let (server, created) = created_at("/customers/abc").await;
    let created = created.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(created.id, "abc");
    assert_eq!(created.location, format!("{}/customers/abc", server.uri()));
    let fetched = client(&server).customers().create(new_customer()).fetch_created().await;
    assert!(fetched.is_ok(), "{fetched:?}");
    assert_eq!(count(&server, "/customers/abc").await, 1);
}

#[tokio::test]
async fn a_location_without_an_id_is_an_error() {
    let server = MockServer::start().await;
    for location in [format!("{}/", server.uri()), format!("{}/customers/", server.uri())] {
        let (_server, result) = created_at(&location).await;
        assert!(
            matches!(result, Err(Error::InvalidLocation { .. })),
            "{location}: {result:?}"
        );
    }
}

#[tokio::test]
async fn a_percent_encoded_id_in_a_location_is_decoded() {
    let (_server, created) = created_at("/customers/a%20b%2Fc").await;
    assert_eq!(created.map(|c| c.id.clone()).ok(), Some("a b/c".to_owned()));
}

// Blank webhook secrets: tests/client/webhooks.rs (`an_empty_or_blank_webhook_secret_is_refused`)
// and below (`no_snippet_or_example_defaults_a_secret`).

#[test]
fn no_snippet_or_example_defaults_a_secret() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = vec![root.join("README.md"), root.join("generator/templates/quickstart.md")];
    let examples = root.join("generator/crate-examples");
    for entry in std::fs::read_dir(&examples).unwrap_or_else(|e| panic!("{e}")) {
        files.push(entry.unwrap_or_else(|e| panic!("{e}")).path());
    }
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        for (n, line) in text.lines().enumerate() {
            let defaulted = line.contains("unwrap_or_default")
                || (line.contains("WebhookSecret::new") && line.contains("unwrap_or"));
            assert!(
                !defaulted,
                "{}:{}: a secret (or something) read with a default: {line}",
                file.display(),
                n + 1
            );
        }
    }
}

// Path ids that change the endpoint.

#[tokio::test]
async fn dot_and_empty_path_ids_are_refused_before_sending() {
    let server = MockServer::start().await;
    mount_token(&server).await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(201).insert_header("location", format!("{}/documents/d1", server.uri())))
        .mount(&server)
        .await;
    let client = client(&server);
    for id in ["", " ", ".", "..", "%2e", "%2E%2e", ".%2e"] {
        let got = client.customers().get(id).await;
        assert!(
            matches!(
                got,
                Err(Error::Request {
                    operation: "getCustomer",
                    ..
                })
            ),
            "{id:?}: {got:?}"
        );
        let file = dwolla::File::from_bytes(&b"%PDF-1.4"[..], "id.pdf");
        let created = client
            .customers()
            .documents()
            .create(id, dwolla::models::DocumentType::License, file)
            .await;
        assert!(matches!(created, Err(Error::Request { .. })), "{id:?}: {created:?}");
    }
    let sent: Vec<String> = server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .map(|r| format!("{} {}", r.method, r.url.path()))
        .filter(|r| !r.ends_with("/token"))
        .collect();
    assert!(sent.is_empty(), "sent {sent:?}");
}

// Idempotency keys.

#[tokio::test]
async fn blank_idempotency_keys_are_refused_before_sending() {
    let server = server_answering(
        "POST",
        "/customers",
        ResponseTemplate::new(201).insert_header("location", "/customers/c1"),
    )
    .await;
    let client = client(&server);
    for key in ["", " ", "\t", " key", "key "] {
        let result = client.customers().create(new_customer()).idempotency_key(key).await;
        assert!(
            matches!(
                result,
                Err(Error::Request {
                    operation: "createCustomer",
                    ..
                })
            ),
            "{key:?}: {result:?}"
        );
    }
    assert_eq!(count(&server, "/customers").await, 0);
}

#[tokio::test]
async fn an_idempotency_key_with_a_newline_is_a_request_error() {
    let server = MockServer::start().await;
    mount_token(&server).await;
    let result = client(&server)
        .customers()
        .create(new_customer())
        .idempotency_key("order-1\nX-Injected: 1")
        .await;
    assert!(matches!(result, Err(Error::Request { .. })), "{result:?}");
    assert_eq!(count(&server, "/customers").await, 0);
}

// Base URLs.

#[test]
fn a_base_url_with_a_query_or_fragment_is_refused() {
    for url in [
        "http://127.0.0.1:9/p?x=1",
        "http://127.0.0.1:9/p?",
        "http://127.0.0.1:9/p#top",
    ] {
        let built = dwolla::Client::builder()
            .base_url(url)
            .credentials("id", "secret")
            .build();
        assert!(matches!(built, Err(Error::Config(_))), "{url}: {built:?}");
    }
}

#[test]
fn a_password_in_the_base_url_is_refused_and_not_shown() {
    let built = dwolla::Client::builder()
        .base_url("http://admin:hunter2-pw@127.0.0.1:9/")
        .credentials("id", "secret")
        .build();
    match built {
        Err(e @ Error::Config(_)) => {
            let shown = format!("{e} {e:?}");
            assert!(!shown.contains("hunter2-pw"), "{shown}");
        }
        other => panic!("accepted: {other:?}"),
    }
}

#[test]
fn empty_client_credentials_are_refused() {
    for (id, secret) in [("", "secret"), ("id", ""), ("id", "  ")] {
        let built = dwolla::Client::builder().credentials(id, secret).build();
        assert!(matches!(built, Err(Error::Config(_))), "{id:?} {secret:?}: {built:?}");
    }
}

// Replays and the time budget.

/// Answers the first upload `503` after changing the file it came from; later ones `201`.
struct ChangeFileThenFail {
    file: std::path::PathBuf,
    calls: AtomicUsize,
}

impl Respond for ChangeFileThenFail {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        if self.calls.fetch_add(1, Ordering::SeqCst) == 0 {
            std::fs::write(&self.file, b"%PDF-1.4 a different document").unwrap_or_else(|e| panic!("{e}"));
            ResponseTemplate::new(503)
        } else {
            ResponseTemplate::new(201).insert_header("location", "/documents/d1")
        }
    }
}

#[tokio::test]
async fn a_file_changed_between_attempts_is_not_sent_again() {
    let dir = std::env::temp_dir().join(format!("dwolla-hardening-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let file = dir.join("scan.pdf");
    std::fs::write(&file, b"%PDF-1.4 the document").unwrap_or_else(|e| panic!("{e}"));
    let server = server_answering(
        "POST",
        "/customers/c1/documents",
        ChangeFileThenFail {
        file: file.clone(),
        calls: AtomicUsize::new(0),
    },
    )
    .await;
    let retry = RetryPolicy::default().initial_backoff(Duration::from_millis(10));
    let result = client_with(&server, retry, None)
        .customers()
        .documents()
        .create(
            "c1",
            dwolla::models::DocumentType::License,
            dwolla::File::from_path(&file),
        )
        .await;
    let _ = std::fs::remove_dir_all(&dir);
    match &result {
        Err(Error::Request { message, .. }) => assert!(message.contains("changed"), "{message}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        count(&server, "/customers/c1/documents").await,
        1,
        "the changed file went out"
    );
}

#[tokio::test]
async fn a_reader_upload_answered_401_returns_the_401() {
    let server = server_answering(
        "POST",
        "/customers/c1/documents",
        ResponseTemplate::new(401)
            .set_body_json(json!({"code": "InvalidAccessToken", "message": "Invalid access token."})),
    )
    .await;
    let body = b"%PDF-1.4 streamed".to_vec();
    let length = body.len() as u64;
    let file = dwolla::File::from_reader(std::io::Cursor::new(body), "scan.pdf", Some(length));
    let result = client(&server)
        .customers()
        .documents()
        .create("c1", dwolla::models::DocumentType::License, file)
        .await;
    assert_eq!(status_of(&result), Some(401), "{result:?}");
    assert_eq!(result.as_ref().err().and_then(Error::code), Some("InvalidAccessToken"));
}

#[tokio::test]
async fn retries_stay_within_max_elapsed() {
    let server = server_answering(
        "GET",
        "/customers/c1",
        ResponseTemplate::new(503).set_delay(Duration::from_millis(600)),
    )
    .await;
    let retry = RetryPolicy::default()
        .max_attempts(10)
        .initial_backoff(Duration::from_millis(10))
        .max_backoff(Duration::from_millis(10))
        .max_elapsed(Duration::from_millis(1500));
    // The default timeout (60 s): a client with `no_timeout()` sets no timer on any attempt.
    let client = client_with(&server, retry, Some(dwolla::DEFAULT_TIMEOUT));
    let started = Instant::now();
    let result = client.customers().get("c1").await;
    let elapsed = started.elapsed();
    println!("max_elapsed 1.5 s, attempts of 0.6 s each: the call took {elapsed:?} ({result:?})");
    assert!(result.is_err());
    assert!(elapsed < Duration::from_millis(1650), "took {elapsed:?}");
}

// Signatures spelled with a `+`: tests/client/webhooks.rs (`a_signature_with_a_plus_sign_is_refused`).

// An error body that does not fit its type keeps the reason.

#[tokio::test]
async fn an_error_body_that_does_not_fit_its_type_keeps_the_reason() {
    let server = server_answering(
        "GET",
        "/customers/c1",
        ResponseTemplate::new(404).set_body_json(json!({"code": 5, "message": "not found"})),
    )
    .await;
    let error = client(&server).customers().get("c1").await.expect_err("404");
    let api = error.api().unwrap_or_else(|| panic!("{error:?}"));
    assert!(api.body.is_none());
    let mismatch = api.body_error.as_ref().unwrap_or_else(|| panic!("no reason: {api:?}"));
    assert_eq!(mismatch.path, "code");
    assert!(mismatch.message.contains("expected"), "{mismatch}");
}

#[tokio::test]
async fn an_error_body_that_fits_has_no_mismatch() {
    let server = server_answering(
        "GET",
        "/customers/c1",
        ResponseTemplate::new(404).set_body_json(json!({"code": "NotFound", "message": "not found"})),
    )
    .await;
    let error = client(&server).customers().get("c1").await.expect_err("404");
    let api = error.api().unwrap_or_else(|| panic!("{error:?}"));
    assert!(api.body.is_some() && api.body_error.is_none(), "{api:?}");
}

// Properties over the open input spaces: path ids and idempotency keys.

mod properties {
    use super::*;
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestRunner};

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap_or_else(|e| panic!("{e}"))
    }

    fn runner() -> TestRunner {
        TestRunner::new(Config {
            cases: 256,
            failure_persistence: None,
            ..Config::default()
        })
    }

    /// The requests `server` received, the token requests left out.
    async fn sent(server: &MockServer) -> Vec<Request> {
        let all = server.received_requests().await.unwrap_or_default();
        all.into_iter().filter(|r| r.url.path() != "/token").collect()
    }

    /// Percent-decodes `text` with a small decoder of its own, so that the property does not
    /// lean on the client's.
    fn decoded(text: &str) -> String {
        let bytes = text.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if bytes[i] == b'%'
                && i + 2 < bytes.len()
                && let (Some(high), Some(low)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
            {
                out.push((high * 16 + low) as u8);
                i += 3;
                continue;
            }
            out.push(bytes[i]);
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    }

    fn ids() -> impl Strategy<Value = String> {
        prop_oneof![
            any::<String>(),
            "[./%2eE a-z]{0,6}",
            "(%2[eE]|\\.|%252e|/|%2F){0,3}",
            "\\PC{0,12}",
        ]
    }

    /// Whatever the id, the request goes to `/customers/{id}` with the id as exactly one path
    /// segment, or it is refused before anything is sent (an empty id, `.` or `..`).
    #[test]
    fn any_path_id_stays_in_its_segment() {
        let rt = runtime();
        let server = rt.block_on(async {
            let server = MockServer::start().await;
            mount_token(&server).await;
            Mock::given(method("GET"))
                .respond_with(ResponseTemplate::new(404).set_body_json(json!({"code": "NotFound"})))
                .mount(&server)
                .await;
            server
        });
        let client = client(&server);
        runner()
            .run(&ids(), |id| {
                rt.block_on(async {
                    let before = sent(&server).await.len();
                    let result = client.customers().get(id.clone()).await;
                    let after = sent(&server).await;
                    let endpoint_changing = id.trim().is_empty() || matches!(decoded(&id).trim(), "." | "..");
                    if let Err(Error::Request { operation, .. }) = &result {
                        prop_assert_eq!(*operation, "getCustomer");
                        prop_assert_eq!(after.len(), before, "a refused id was sent");
                        prop_assert!(endpoint_changing, "{:?} was refused", id);
                        return Ok(());
                    }
                    prop_assert!(!endpoint_changing, "{:?} was sent: {:?}", id, result);
                    prop_assert_eq!(after.len(), before + 1);
                    let url = &after[before].url;
                    let segments: Vec<&str> = url.path_segments().map(Iterator::collect).unwrap_or_default();
                    prop_assert_eq!(segments.len(), 2, "{:?} became {}", id, url.path());
                    prop_assert_eq!(segments[0], "customers");
                    prop_assert_eq!(decoded(segments[1]), id);
                    Ok(())
                })
            })
            .unwrap_or_else(|e| panic!("{e}"));
    }

    fn keys() -> impl Strategy<Value = String> {
        prop_oneof![
            any::<String>(),
            "[ -~]{0,24}",
            "[\t\n\r ]?[a-z0-9-]{0,8}[\t\n\r ]?",
            "\\PC{0,12}",
        ]
    }

    /// Whatever the key, it is sent exactly as given, or refused before anything is sent
    /// (blank, surrounding whitespace, or a character that is not printable ASCII); never a
    /// `Transport` error, never an empty key.
    #[test]
    fn any_idempotency_key_is_sent_verbatim_or_refused() {
        let rt = runtime();
        let server = rt.block_on(server_answering(
            "POST",
            "/customers",
            ResponseTemplate::new(201).insert_header("location", "/customers/c1"),
        ));
        let client = client(&server);
        runner()
            .run(&keys(), |key| {
                rt.block_on(async {
                    let before = sent(&server).await.len();
                    let result = client.customers().create(new_customer()).idempotency_key(key.clone()).await;
                    let after = sent(&server).await;
                    let valid =
                        !key.trim().is_empty() && key.trim() == key && key.bytes().all(|b| (0x20..0x7f).contains(&b));
                    match &result {
                        Err(Error::Request { .. }) => {
                            prop_assert!(!valid, "{:?} was refused", key);
                            prop_assert_eq!(after.len(), before, "a refused key was sent");
                        }
                        Ok(_) => {
                            prop_assert!(valid, "{:?} was sent", key);
                            prop_assert_eq!(after.len(), before + 1);
                            let header = after[before].headers.get("idempotency-key").map(|v| v.as_bytes().to_vec());
                            prop_assert_eq!(header, Some(key.as_bytes().to_vec()));
                        }
                        Err(e) => prop_assert!(false, "{:?}: {:?}", key, e),
                    }
                    Ok(())
                })
            })
            .unwrap_or_else(|e| panic!("{e}"));
    }
}
