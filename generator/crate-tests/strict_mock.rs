//! The strict mock of `tests/operations.rs`: a loopback server that answers an operation's
//! request only when it is exactly the request the spec describes (method, path, query,
//! headers, content type, body), once for every response the spec declares. The generated test
//! of each operation is data (an [`Expect`] and its [`Reply`]s) and one call; this file, written
//! once by hand, plays them.

use std::future::Future;
use std::pin::Pin;

use wiremock::matchers::{
    any, body_json, body_string, body_string_contains, header, header_exists, header_regex, method, path, query_param,
};
use wiremock::{Mock, MockBuilder, MockServer, ResponseTemplate};

/// `Basic` credentials of the test client.
const BASIC: &str = "Basic dGVzdC1jbGllbnQtaWQ6dGVzdC1jbGllbnQtc2VjcmV0";

/// The credentials an operation's request must carry.
pub enum Auth {
    Basic,
    Bearer,
    /// No credentials (an operation with `security: []`; Dwolla's spec has none today).
    #[allow(dead_code)]
    None,
}

/// The body an operation's request must carry.
pub enum Body {
    None,
    /// JSON equal to `json`, sent as `content_type`.
    Json { content_type: &'static str, json: &'static str },
    /// This exact `application/x-www-form-urlencoded` text.
    Form(&'static str),
    /// A `multipart/form-data` upload with these part names, and a file with this text.
    Multipart { parts: &'static [&'static str], file: Option<&'static str> },
}

/// The request the spec describes for one operation.
pub struct Expect {
    pub method: &'static str,
    pub path: &'static str,
    pub accept: &'static str,
    pub auth: Auth,
    /// A `POST`: an `Idempotency-Key` must be sent.
    pub idempotency_key: bool,
    pub query: &'static [(&'static str, &'static str)],
    pub headers: &'static [(&'static str, &'static str)],
    pub body: Body,
}

/// The name of an error body's variant and whether a body is that variant.
pub type Typed = (&'static str, fn(&dwolla::ApiErrorBody) -> bool);

/// What the call must make of a reply.
pub enum Outcome {
    /// Success with this status; `created`: the `Location`'s id is in the body.
    Ok { created: bool },
    /// An API error with this status, its body typed when `typed` says so.
    Api { typed: Option<Typed> },
}

/// One response the spec declares: status, example body, `Location`, and what it must become.
pub struct Reply {
    pub status: u16,
    pub body: Option<&'static str>,
    pub location: bool,
    pub outcome: Outcome,
}

/// What a call answered: its status and its body as `Debug` text.
pub type Answer = Result<(u16, String), dwolla::Error>;

/// The operation's call, with arguments from the spec's examples; `Err` when an example does not
/// decode into its argument's type.
pub type Call = fn(dwolla::Client) -> Pin<Box<dyn Future<Output = Result<Answer, String>> + Send>>;

/// Turns a typed response into an [`Answer`].
pub fn answer<T: std::fmt::Debug>(r: Result<dwolla::Response<T>, dwolla::Error>) -> Answer {
    r.map(|r| (r.status().as_u16(), format!("{:?}", r.body())))
}

/// Plays every reply of `operation` against a mock of its own that answers only `expect`;
/// panics naming the operation, the status and the last request on the first mismatch.
pub async fn check(operation: &str, expect: Expect, replies: &[Reply], call: Call) {
    let server = MockServer::start().await;
    let client = dwolla::Client::builder()
        .base_url(server.uri())
        .credentials("test-client-id", "test-client-secret")
        .retry(dwolla::RetryPolicy::none())
        .build()
        .unwrap();
    for reply in replies {
        server.reset().await;
        // The token endpoint itself must not be answered by the token mock.
        if matches!(expect.auth, Auth::Bearer) {
            mount_token(&server).await;
        }
        matchers(&expect).respond_with(template(reply)).mount(&server).await;
        let answer = call(client.clone()).await.unwrap_or_else(|e| panic!("{operation}: {e}"));
        if let Err(e) = judge(reply, answer) {
            panic!("{operation}: {}: {e}{}", reply.status, last_request(&server).await);
        }
    }
    println!("{operation}: request and {} responses checked", replies.len());
}

/// The mock's conditions: everything the spec says the request is.
fn matchers(e: &Expect) -> MockBuilder {
    let mut m = Mock::given(any()).and(method(e.method)).and(path(e.path)).and(header("accept", e.accept));
    m = match e.auth {
        Auth::Basic => m.and(header("authorization", BASIC)),
        Auth::Bearer => m.and(header("authorization", "Bearer test-access-token")),
        Auth::None => m,
    };
    if e.idempotency_key {
        m = m.and(header_exists("idempotency-key"));
    }
    for (name, value) in e.query {
        m = m.and(query_param(*name, *value));
    }
    for (name, value) in e.headers {
        m = m.and(header(*name, *value));
    }
    match &e.body {
        Body::None => m,
        Body::Json { content_type, json } => {
            let json: serde_json::Value = serde_json::from_str(json).expect("the spec's body example is JSON");
            m.and(header("content-type", *content_type)).and(body_json(json))
        }
        Body::Form(text) => m
            .and(header("content-type", "application/x-www-form-urlencoded"))
            .and(body_string(*text)),
        Body::Multipart { parts, file } => {
            m = m.and(header_regex("content-type", "^multipart/form-data; boundary="));
            for part in *parts {
                m = m.and(body_string_contains(format!("name=\"{part}\"")));
            }
            if let Some(text) = file {
                m = m.and(body_string_contains(*text));
            }
            m
        }
    }
}

/// The reply as the mock sends it.
fn template(reply: &Reply) -> ResponseTemplate {
    let mut t = ResponseTemplate::new(reply.status);
    if let Some(body) = reply.body {
        t = t.set_body_raw(body, "application/vnd.dwolla.v1.hal+json");
    }
    if reply.location {
        t = t.insert_header("location", "https://api.dwolla.com/resources/new-id");
    }
    t
}

/// Whether the call made of `reply` what the spec says it is.
fn judge(reply: &Reply, answer: Answer) -> Result<(), String> {
    match (&reply.outcome, answer) {
        (Outcome::Ok { created }, Ok((status, body))) => {
            if status != reply.status {
                return Err(format!("status came back as {status}"));
            }
            if *created && !body.contains("new-id") {
                return Err("the created id is missing".into());
            }
            Ok(())
        }
        (Outcome::Ok { .. }, Err(e)) => Err(e.to_string()),
        (Outcome::Api { typed }, Err(dwolla::Error::Api(e))) if e.status.as_u16() == reply.status => match typed {
            Some((variant, is)) if !e.body.as_ref().is_some_and(is) => {
                Err(format!("the error body is not typed as {variant}: {:?}", e.body))
            }
            _ => Ok(()),
        },
        (Outcome::Api { .. }, other) => Err(format!("expected an API error, got {other:?}")),
    }
}

async fn mount_token(server: &MockServer) {
    Mock::given(method("POST"))
        .and(path("/token"))
        .and(header("authorization", BASIC))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "access_token": "test-access-token", "token_type": "Bearer", "expires_in": 3600
        })))
        .mount(server)
        .await;
}

/// What the server last received, for failure messages.
async fn last_request(server: &MockServer) -> String {
    match server.received_requests().await.and_then(|r| r.last().cloned()) {
        Some(r) => format!(
            "\n  last request: {} {} {:?}\n  body: {}",
            r.method,
            r.url,
            r.headers.get("content-type"),
            String::from_utf8_lossy(&r.body)
        ),
        None => String::new(),
    }
}
