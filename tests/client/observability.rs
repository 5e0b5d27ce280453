//! One `tracing` span per call, with the OpenTelemetry HTTP client fields and no secret.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use client_tests::{CLIENT_ID, CLIENT_SECRET, client, client_for_paused_clock_with, exchange_session_json, mount_token, server_answering};
use dwolla::RetryPolicy;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// One span as recorded: its name and every field with its value.
#[derive(Clone, Debug, Default)]
struct Span {
    name: String,
    fields: BTreeMap<String, String>,
}

/// A layer that records every span and every value recorded on it later.
#[derive(Clone, Default)]
struct Recorder {
    spans: Arc<Mutex<Vec<Span>>>,
    index: Arc<Mutex<HashMap<u64, usize>>>,
}

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
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, _: Context<'_, S>) {
        let mut span = Span {
            name: attrs.metadata().name().to_owned(),
            ..Span::default()
        };
        attrs.record(&mut Fields(&mut span.fields));
        let mut spans = self.spans.lock().unwrap_or_else(|e| e.into_inner());
        spans.push(span);
        self.index.lock().unwrap_or_else(|e| e.into_inner()).insert(id.into_u64(), spans.len() - 1);
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, _: Context<'_, S>) {
        let Some(&i) = self.index.lock().unwrap_or_else(|e| e.into_inner()).get(&id.into_u64()) else { return };
        let mut spans = self.spans.lock().unwrap_or_else(|e| e.into_inner());
        values.record(&mut Fields(&mut spans[i].fields));
    }
}

impl Recorder {
    /// A recorder, the subscriber of this thread until the guard drops. The callsites' interest
    /// is rebuilt, in case another test's thread registered them before this subscriber existed.
    fn install() -> (Recorder, tracing::subscriber::DefaultGuard) {
        let recorder = Recorder::default();
        let guard = tracing::subscriber::set_default(tracing_subscriber::registry().with(recorder.clone()));
        tracing::callsite::rebuild_interest_cache();
        (recorder, guard)
    }

    fn calls(&self) -> Vec<Span> {
        let spans = self.spans.lock().unwrap_or_else(|e| e.into_inner());
        spans.iter().filter(|s| s.name == "dwolla.request").cloned().collect()
    }
}

const SESSION: &str = "/exchange-sessions/9b7fb629";

#[tokio::test(start_paused = true)]
async fn a_retried_call_is_one_span_with_the_http_client_fields_and_no_secret() {
    let server = MockServer::start().await;
    mount_token(&server).await;
    Mock::given(method("GET"))
        .and(path(SESSION))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(SESSION))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-request-id", "req-7f3a")
                .set_body_json(exchange_session_json()),
        )
        .mount(&server)
        .await;
    let (recorder, _guard) = Recorder::install();
    let client = client_for_paused_clock_with(&server, RetryPolicy::default());
    client
        .exchange_sessions()
        .get("9b7fb629")
        .await
        .unwrap_or_else(|e| panic!("{e}"));

    let calls = recorder.calls();
    println!("{calls:#?}");
    // The call, and the token request it made.
    assert_eq!(calls.len(), 2, "{calls:#?}");
    let call = calls
        .iter()
        .find(|s| s.fields.get("otel.name").map(String::as_str) == Some("retrieveCustomerExchangeSession"))
        .unwrap_or_else(|| panic!("no span for the call: {calls:#?}"));
    let field = |name: &str| call.fields.get(name).map(String::as_str);
    assert_eq!(field("otel.kind"), Some("client"));
    assert_eq!(field("dwolla.operation"), Some("retrieveCustomerExchangeSession"));
    assert_eq!(field("http.request.method"), Some("GET"));
    assert_eq!(field("url.template"), Some("/exchange-sessions/{id}"));
    assert_eq!(field("server.address"), Some("127.0.0.1"));
    assert_eq!(field("http.response.status_code"), Some("200"));
    assert_eq!(field("http.request.resend_count"), Some("2"), "three attempts");
    assert_eq!(field("dwolla.request_id"), Some("req-7f3a"));
    assert_eq!(field("error.type"), None);
    let token = calls
        .iter()
        .find(|s| s.fields.get("otel.name").map(String::as_str) == Some("createApplicationAccessToken"));
    assert_eq!(token.and_then(|s| s.fields.get("url.template")).map(String::as_str), Some("/token"));

    let basic = format!("{CLIENT_ID}:{CLIENT_SECRET}");
    for span in &calls {
        for (name, value) in &span.fields {
            for secret in [CLIENT_SECRET, "token-1", basic.as_str(), "Bearer", "Basic"] {
                assert!(!value.contains(secret), "{name} = {value} holds a secret");
            }
        }
    }
}

#[tokio::test]
async fn a_failed_call_records_the_error_type() {
    let server = server_answering(
        "GET",
        SESSION,
        ResponseTemplate::new(404).set_body_json(serde_json::json!({"code": "NotFound", "message": "no"})),
    )
    .await;
    Mock::given(method("GET"))
        .and(path("/exchange-sessions/bad-body"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"created": 7})))
        .mount(&server)
        .await;
    let (recorder, _guard) = Recorder::install();
    let client = client(&server);
    assert!(client.exchange_sessions().get("9b7fb629").await.is_err());
    assert!(client.exchange_sessions().get("bad-body").await.is_err());
    let calls: Vec<Span> = recorder
        .calls()
        .into_iter()
        .filter(|s| s.fields.get("dwolla.operation").map(String::as_str) == Some("retrieveCustomerExchangeSession"))
        .collect();
    let types: Vec<Option<&str>> = calls.iter().map(|s| s.fields.get("error.type").map(String::as_str)).collect();
    assert_eq!(types, [Some("404"), Some("decode")]);
    assert!(calls.iter().all(|s| !s.fields.contains_key("http.request.resend_count")), "sent once");
    assert!(calls.iter().all(|s| s.fields.get("otel.status_code").map(String::as_str) == Some("ERROR")));
}
