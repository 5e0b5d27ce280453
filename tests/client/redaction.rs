//! What leaves the client as text (`tracing` events and spans, an error's `Display` and
//! `Debug`) shows no URL query, fragment or userinfo, and no raw control character from the
//! server: a list's filters carry names and emails, and a server's `\n`, `\r` or ESC would forge
//! or recolour a line of the caller's log.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use dwolla::RetryPolicy;
use futures::StreamExt;
use serde_json::json;
use tokio::io::AsyncReadExt;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The search a caller filters a list by: a person's email, which no log line may hold.
const SEARCH: &str = "jane.doe@example.com";

/// Text a hostile server sends: a line break that would start a forged log line, a carriage
/// return, and an ANSI escape that would recolour the caller's terminal.
const HOSTILE: &str = "bad\r\nFORGED level=ERROR\u{1b}[31m red";

/// Where a value was recorded (an event's or span's name) and its fields by name.
type Recorded = (String, BTreeMap<String, String>);

/// Every field of every `tracing` event and span, as an exporter receives it.
#[derive(Clone, Default)]
struct Recorder(Arc<Mutex<Vec<Recorded>>>);

struct Fields<'a>(&'a mut BTreeMap<String, String>);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }
}

impl<S: tracing::Subscriber> Layer<S> for Recorder {
    fn on_new_span(&self, attrs: &Attributes<'_>, _: &Id, _: Context<'_, S>) {
        let mut fields = BTreeMap::new();
        attrs.record(&mut Fields(&mut fields));
        self.push(attrs.metadata().name(), fields);
    }

    fn on_record(&self, _: &Id, values: &Record<'_>, _: Context<'_, S>) {
        let mut fields = BTreeMap::new();
        values.record(&mut Fields(&mut fields));
        self.push("(recorded on a span)", fields);
    }

    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        let mut fields = BTreeMap::new();
        event.record(&mut Fields(&mut fields));
        fields.insert("level".to_owned(), event.metadata().level().to_string());
        self.push(event.metadata().name(), fields);
    }
}

impl Recorder {
    /// A recorder, the subscriber of this thread until the guard drops.
    fn install() -> (Recorder, tracing::subscriber::DefaultGuard) {
        let recorder = Recorder::default();
        let guard = tracing::subscriber::set_default(tracing_subscriber::registry().with(recorder.clone()));
        tracing::callsite::rebuild_interest_cache();
        (recorder, guard)
    }

    fn push(&self, name: &str, fields: BTreeMap<String, String>) {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((name.to_owned(), fields));
    }

    fn all(&self) -> Vec<Recorded> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The events whose message is `message`.
    fn events(&self, message: &str) -> Vec<BTreeMap<String, String>> {
        self.all()
            .into_iter()
            .map(|(_, fields)| fields)
            .filter(|f| f.get("message").map(String::as_str) == Some(message))
            .collect()
    }

    /// Every value recorded, each with where it was recorded.
    fn values(&self) -> Vec<(String, String)> {
        self.all()
            .into_iter()
            .flat_map(|(name, fields)| {
                fields
                    .into_iter()
                    .map(move |(field, value)| (format!("{name}.{field}"), value))
            })
            .collect()
    }
}

/// Fails when `text` (named `what`) holds the search, a user name or password, or a raw line
/// break, carriage return or escape.
fn assert_clean(what: &str, text: &str) {
    assert!(!text.contains("jane.doe"), "{what} holds the query: {text}");
    assert!(
        !text.contains("hunter2") && !text.contains("user:"),
        "{what} holds userinfo: {text}"
    );
    for c in ['\n', '\r', '\u{1b}'] {
        assert!(!text.contains(c), "{what} holds a raw {c:?}: {text}");
    }
}

/// [`assert_clean`] on an error's `Display` and `Debug`.
fn assert_error_clean(e: &dwolla::Error) {
    assert_clean("Display", &e.to_string());
    assert_clean("Debug", &format!("{e:?}"));
    assert_clean("alternate Debug", &format!("{e:#?}").replace('\n', " "));
}

/// [`assert_clean`] on every event and span field recorded.
fn assert_recorded_clean(recorder: &Recorder) {
    for (field, value) in recorder.values() {
        assert_clean(&field, &value);
    }
}

/// A loopback server that reads each request and closes the connection without answering.
async fn server_dropping_connections() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let addr = listener.local_addr().unwrap_or_else(|e| panic!("{e}"));
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut buf = vec![0u8; 8192];
            let _ = socket.read(&mut buf).await;
            drop(socket);
        }
    });
    format!("http://{addr}")
}

/// A client at `base` with a fixed token and `retry`, for a paused clock (no timers of its own).
fn client_at(base: &str, retry: RetryPolicy) -> dwolla::Client {
    let http = reqwest::Client::builder()
        .pool_idle_timeout(None)
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    dwolla::Client::builder()
        .base_url(base)
        .access_token("token-1")
        .http_client(http)
        .retry(retry)
        .no_timeout()
        .build()
        .unwrap_or_else(|e| panic!("{e}"))
}

#[tokio::test(start_paused = true)]
async fn a_searched_list_whose_connection_drops_logs_and_returns_no_query() {
    let (recorder, _guard) = Recorder::install();
    let base = server_dropping_connections().await;
    let retry = RetryPolicy::default()
        .max_attempts(2)
        .initial_backoff(Duration::from_millis(10));
    let client = client_at(&base, retry);

    let result = client.customers().list().search(SEARCH).await;

    let Err(e) = result else {
        panic!("the server answered nothing, yet the call succeeded")
    };
    assert!(matches!(e, dwolla::Error::Transport { .. }), "{e:?}");
    let retrying = recorder.events("retrying");
    assert_eq!(retrying.len(), 1, "{:?}", recorder.all());
    assert_eq!(retrying[0].get("level").map(String::as_str), Some("WARN"));
    let reason = retrying[0].get("reason").cloned().unwrap_or_default();
    assert!(reason.contains("/customers"), "the reason still says where: {reason}");
    assert_clean("the retrying event's reason", &reason);
    assert_error_clean(&e);
    let source = std::error::Error::source(&e)
        .map(ToString::to_string)
        .unwrap_or_default();
    assert_clean("the error's source", &source);
    assert_recorded_clean(&recorder);
}

#[tokio::test(start_paused = true)]
async fn a_transport_failure_past_the_retry_budget_logs_no_query() {
    let (recorder, _guard) = Recorder::install();
    let base = server_dropping_connections().await;
    let retry = RetryPolicy::default()
        .initial_backoff(Duration::from_secs(60))
        .max_backoff(Duration::from_secs(60))
        .max_elapsed(Duration::from_secs(1));
    let client = client_at(&base, retry);

    let result = client.customers().list().search(SEARCH).await;

    let Err(e) = result else {
        panic!("the server answered nothing, yet the call succeeded")
    };
    let spent = recorder.events("not retried: the retry time budget or the deadline is spent");
    assert_eq!(spent.len(), 1, "{:?}", recorder.all());
    assert_clean(
        "the budget event's reason",
        spent[0].get("reason").map(String::as_str).unwrap_or_default(),
    );
    assert_error_clean(&e);
    assert_recorded_clean(&recorder);
}

#[tokio::test]
async fn an_api_error_shows_the_servers_text_with_control_characters_escaped() {
    let (recorder, _guard) = Recorder::install();
    let server = client_tests::server_answering(
        "GET",
        "/customers",
        ResponseTemplate::new(400).set_body_json(json!({
            "code": format!("ValidationError{HOSTILE}"),
            "message": HOSTILE,
            "_embedded": {"errors": [
                {"code": "Invalid", "message": HOSTILE, "path": format!("/email{HOSTILE}")},
                {"code": HOSTILE}
            ]}
        })),
    )
    .await;

    let result = client_tests::client(&server).customers().list().search(SEARCH).await;

    let Err(e) = result else { panic!("a 400 is an error") };
    let api = e.api().unwrap_or_else(|| panic!("{e:?}"));
    assert_eq!(
        api.message.as_deref(),
        Some(HOSTILE),
        "the field keeps the server's text as sent"
    );
    assert_eq!(api.errors[0].path.as_deref(), Some(format!("/email{HOSTILE}").as_str()));
    let shown = e.to_string();
    assert!(
        shown.contains(r"bad\r\nFORGED level=ERROR\u{1b}[31m red"),
        "escaped, not dropped: {shown}"
    );
    assert_error_clean(&e);
    assert_recorded_clean(&recorder);
}

#[tokio::test]
async fn a_token_endpoint_error_shows_its_text_with_control_characters_escaped() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/token"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "error": format!("invalid_client{HOSTILE}"),
            "error_description": HOSTILE,
        })))
        .mount(&server)
        .await;

    let result = client_tests::client(&server).customers().list().search(SEARCH).await;

    let Err(e) = result else { panic!("no token, no call") };
    assert!(
        matches!(&e, dwolla::Error::Auth { description: Some(d), .. } if d.as_str() == HOSTILE),
        "{e:?}"
    );
    assert_error_clean(&e);
}

/// A list whose only page links `next` to `href`.
async fn list_linking_next_to(href: String) -> MockServer {
    let server = MockServer::start().await;
    client_tests::mount_token(&server).await;
    let customer = json!({
        "_links": {}, "id": "c-1", "firstName": "Jane", "lastName": "Doe", "email": "jane@example.com",
        "type": "unverified", "status": "unverified", "created": "2024-01-01T00:00:00Z"
    });
    let href = href.replace("{base}", &server.uri());
    Mock::given(method("GET"))
        .and(path("/customers"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "_links": {"next": {"href": href}}, "_embedded": {"customers": [customer]}, "total": 2
        })))
        .mount(&server)
        .await;
    server
}

/// The error that ends a stream of the customers `server` lists.
async fn error_ending_the_list(server: &MockServer) -> dwolla::Error {
    let mut stream = client_tests::client(server).customers().list().search(SEARCH).stream();
    while let Some(item) = stream.next().await {
        if let Err(e) = item {
            return e;
        }
    }
    panic!("the list ended without an error")
}

#[tokio::test]
async fn a_next_link_looping_back_is_reported_without_its_query() {
    let (recorder, _guard) = Recorder::install();
    let server = list_linking_next_to(format!("{{base}}/customers?search={SEARCH}#frag")).await;

    let e = error_ending_the_list(&server).await;

    assert!(matches!(e, dwolla::Error::Pagination { .. }), "{e:?}");
    assert!(e.to_string().contains("/customers"), "{e}");
    assert_error_clean(&e);
    assert_recorded_clean(&recorder);
}

#[tokio::test]
async fn a_foreign_next_link_is_reported_without_its_query_or_userinfo() {
    let (recorder, _guard) = Recorder::install();
    let server = list_linking_next_to(format!("http://user:hunter2@evil.example/customers?search={SEARCH}")).await;

    let e = error_ending_the_list(&server).await;

    let dwolla::Error::ForeignLink { url, .. } = &e else {
        panic!("{e:?}")
    };
    assert!(url.contains(SEARCH), "the field keeps the link as sent: {url}");
    assert!(e.to_string().contains("http://evil.example/customers"), "{e}");
    assert_error_clean(&e);
    assert_recorded_clean(&recorder);
}

#[tokio::test]
async fn a_location_naming_no_resource_is_reported_without_its_query() {
    let server = client_tests::server_answering(
        "POST",
        "/customers",
        ResponseTemplate::new(201).insert_header("Location", format!("/customers/?search={SEARCH}").as_str()),
    )
    .await;
    let body = dwolla::models::CreateUnverifiedCustomer::new("Jane", "Doe", "jane@example.com");

    let result = client_tests::client(&server).customers().create(body).await;

    let Err(e) = result else {
        panic!("a Location without an id is an error")
    };
    assert!(matches!(e, dwolla::Error::InvalidLocation { .. }), "{e:?}");
    assert_error_clean(&e);
}

#[tokio::test]
async fn a_redirect_is_reported_without_its_locations_query_or_cookie() {
    let location = format!("http://user:hunter2@evil.example/login?search={SEARCH}");
    let server = client_tests::server_answering(
        "GET",
        "/customers",
        ResponseTemplate::new(302)
            .insert_header("Location", location.as_str())
            .insert_header("Set-Cookie", "session=hunter2"),
    )
    .await;

    let result = client_tests::client(&server).customers().list().search(SEARCH).await;

    let Err(e) = result else {
        panic!("a redirect is not followed")
    };
    let api = e.api().unwrap_or_else(|| panic!("{e:?}"));
    assert_eq!(
        api.headers.get("location").and_then(|v| v.to_str().ok()),
        Some(location.as_str())
    );
    assert!(format!("{e:?}").contains("http://evil.example/login"), "{e:?}");
    assert_error_clean(&e);
}
