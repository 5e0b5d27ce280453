//! Test support for crates that build on the generated client, behind the `test-util` feature:
//! a mock Dwolla on loopback that answers every operation with the spec's example, lets a test
//! change an operation's answer and see the requests it received, and hands out a client pointed
//! at it. The spec's operations are the generated crate's ([`MockSpec`]), whose
//! `test_util::MockDwolla` names them; its documentation shows the mock in use.
//!
//! [`Sandbox`] is a stateful stand-in for Dwolla's Sandbox on loopback: resources persist and link,
//! Dwolla's documented Sandbox behaviour (magic names, simulations, R-codes, webhooks) is played
//! out. Both take operations by typed handles ([`Operation`]), which the generated crate lists in
//! its `test_util::op`.
//!
//! [`idempotency`] is Dwolla's `Idempotency-Key` rules as a pure model, for servers that play
//! Dwolla in tests.

pub mod idempotency;
mod operation;
mod routing;
pub mod sandbox;

pub use operation::{Operation, UnknownOperation};
pub use sandbox::{Sandbox, SandboxBuilder};

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// The media type of Dwolla's bodies, which the mock answers with.
const HAL_JSON: &str = "application/vnd.dwolla.v1.hal+json";

/// The id of every resource the mock "creates" (the last segment of its `Location`).
pub const CREATED_ID: &str = "00000000-0000-4000-8000-000000000000";

/// The access token of [`MockDwolla::client`].
pub const ACCESS_TOKEN: &str = "mock-access-token";

/// One operation and its default answer: a row of the table the generated crate writes from
/// the spec (its `test_util/operations.rs`).
#[doc(hidden)]
#[derive(Debug)]
pub struct MockOperation {
    /// The operationId.
    pub id: &'static str,
    /// The HTTP method, upper case.
    pub method: &'static str,
    /// The path template (`/customers/{id}`).
    pub path: &'static str,
    /// The status of the default answer.
    pub status: u16,
    /// The body of the default answer, the spec's example.
    pub body: Option<&'static str>,
    /// Whether the default answer has a `Location` (a `201 Created`).
    pub location: bool,
}

/// The operations a [`MockDwolla`] answers: the generated crate's table of every operation of
/// the spec, which names its `MockDwolla` with it.
#[doc(hidden)]
pub trait MockSpec: 'static {
    /// The client [`MockDwolla::client`] hands out: the generated crate's.
    type Client: crate::BuildClient;
    /// Every operation and its default answer.
    const OPERATIONS: &'static [MockOperation];
    /// Every operation as the [`Sandbox`] serves it.
    const SANDBOX_OPERATIONS: &'static [sandbox::SandboxOperation];
}

/// What the mock answers to one operation: a status, a JSON body and headers.
#[derive(Clone, Debug)]
pub struct MockAnswer {
    status: StatusCode,
    body: Option<Vec<u8>>,
    headers: HeaderMap,
}

impl MockAnswer {
    /// An answer with this status and no body.
    pub fn new(status: StatusCode) -> Self {
        MockAnswer {
            status,
            body: None,
            headers: HeaderMap::new(),
        }
    }

    /// The same answer with this JSON body (sent as `application/vnd.dwolla.v1.hal+json`).
    #[must_use]
    pub fn json(mut self, body: &serde_json::Value) -> Self {
        self.body = Some(serde_json::to_vec(body).unwrap_or_default());
        self
    }

    /// The same answer with a response header added (`location`, `x-request-id`, ...).
    #[must_use]
    pub fn header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.append(name, value);
        self
    }

    /// The answer as wiremock sends it.
    fn into_template(self) -> ResponseTemplate {
        let mut template = ResponseTemplate::new(self.status.as_u16());
        if let Some(body) = self.body {
            template = template.set_body_raw(body, HAL_JSON);
        }
        for (name, value) in &self.headers {
            template = template.append_header(name.clone(), value.clone());
        }
        template
    }
}

impl<S: MockSpec> Sandbox<S> {
    /// Starts a Sandbox serving every operation of the spec, with ids of seed 0 and its clock
    /// at [`sandbox::DEFAULT_START`].
    pub async fn start() -> Self {
        Self::builder().start().await
    }

    /// A builder for a Sandbox serving every operation of the spec.
    pub fn builder() -> SandboxBuilder<S> {
        SandboxBuilder::new(S::SANDBOX_OPERATIONS)
    }
}

/// A request the mock received.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct ReceivedRequest {
    /// The operation it was routed to, by its operationId.
    pub operation: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The full URL, with the query.
    pub url: url::Url,
    /// The request headers (the mock's client sends `Bearer mock-access-token`).
    pub headers: HeaderMap,
    /// The raw body.
    pub body: Vec<u8>,
}

impl ReceivedRequest {
    /// The body decoded from JSON.
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_slice(&self.body)
    }
}

type Overrides = Arc<Mutex<HashMap<&'static str, MockAnswer>>>;

/// A mock Dwolla on a loopback port. Every operation of the spec is answered with the first
/// success response the spec declares for it, with the spec's example body (and, for a
/// `201 Created`, a `Location` ending in [`CREATED_ID`]); a request that is no operation gets a
/// `404` with Dwolla's `NotFound` body. Dropping it stops the server.
///
/// `S` is the spec's table of operations, which the generated crate fills in.
pub struct MockDwolla<S> {
    server: MockServer,
    overrides: Overrides,
    table: &'static [MockOperation],
    spec: std::marker::PhantomData<fn() -> S>,
}

impl<S> std::fmt::Debug for MockDwolla<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockDwolla").field("uri", &self.server.uri()).finish_non_exhaustive()
    }
}

impl<S: MockSpec> MockDwolla<S> {
    /// Starts a mock on a free loopback port.
    pub async fn start() -> Self {
        let server = MockServer::start().await;
        let overrides = Overrides::default();
        let table = S::OPERATIONS;
        Mock::given(any())
            .respond_with(Router {
                overrides: Arc::clone(&overrides),
                table,
            })
            .mount(&server)
            .await;
        MockDwolla {
            server,
            overrides,
            table,
            spec: std::marker::PhantomData,
        }
    }

    /// A client pointed at the mock, with the access token [`ACCESS_TOKEN`] and no retries.
    pub fn client(&self) -> S::Client {
        self.client_builder()
            .build()
            .unwrap_or_else(|e| panic!("the mock's client does not build: {e}"))
    }

    /// A client builder pointed at the mock with the same settings as
    /// [`client`](Self::client), to add hooks, a timeout and the like.
    pub fn client_builder(&self) -> crate::ClientBuilder<S::Client> {
        crate::ClientBuilder::default()
            .base_url(self.server.uri())
            .access_token(ACCESS_TOKEN)
            .retry(crate::RetryPolicy::none())
    }
}

impl<S> MockDwolla<S> {
    /// The mock's base URL (`http://127.0.0.1:port`).
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// The answers of one operation, by its handle (`op::CREATE_CUSTOMER`).
    pub fn on(&self, operation: Operation) -> OnOperation<'_> {
        OnOperation {
            overrides: &self.overrides,
            operation: operation.id(),
        }
    }

    /// The handle of the operation of that operationId (`createCustomer`), for a name read from
    /// data; [`op`] has one for each.
    ///
    /// # Errors
    ///
    /// [`UnknownOperation`] if the spec has no operation of that id.
    pub fn operation(id: &str) -> Result<Operation, UnknownOperation>
    where
        S: MockSpec,
    {
        S::OPERATIONS
            .iter()
            .find(|op| op.id == id)
            .map(|op| Operation::from_spec(op.id, op.method, op.path))
            .ok_or_else(|| UnknownOperation(id.to_owned()))
    }

    /// Every request received for one operation, oldest first. Operations that share a method
    /// and path with another are told apart by neither, so both see these requests.
    pub async fn received(&self, operation: Operation) -> Vec<ReceivedRequest> {
        self.all_received()
            .await
            .into_iter()
            .filter(|r| {
                route(self.table, &r.method, r.url.path())
                    .is_some_and(|op| op.method == operation.method() && op.path == operation.path())
            })
            .collect()
    }

    /// Every request received, oldest first, each with the operation it was routed to;
    /// requests that match no operation are left out.
    pub async fn all_received(&self) -> Vec<ReceivedRequest> {
        let requests = self.server.received_requests().await.unwrap_or_default();
        requests
            .into_iter()
            .filter_map(|r| {
                let op = route(self.table, &r.method, r.url.path())?;
                Some(ReceivedRequest {
                    operation: op.id,
                    method: r.method,
                    url: r.url,
                    headers: r.headers,
                    body: r.body,
                })
            })
            .collect()
    }

    /// Forgets every changed answer and every received request.
    pub async fn reset(&self) {
        self.overrides.lock().unwrap_or_else(PoisonError::into_inner).clear();
        self.server.reset().await;
        Mock::given(any())
            .respond_with(Router {
                overrides: Arc::clone(&self.overrides),
                table: self.table,
            })
            .mount(&self.server)
            .await;
    }
}

/// Changes what the mock answers to one operation; see [`MockDwolla::on`].
#[derive(Debug)]
pub struct OnOperation<'a> {
    overrides: &'a Overrides,
    operation: &'static str,
}

impl OnOperation<'_> {
    /// From now on, answer with `status` and this JSON body.
    ///
    /// # Panics
    ///
    /// If `status` is not a valid HTTP status (100 to 999).
    pub fn respond(self, status: u16, body: serde_json::Value) {
        let status = StatusCode::from_u16(status).unwrap_or_else(|_| panic!("{status} is not an HTTP status"));
        self.respond_with(MockAnswer::new(status).json(&body));
    }

    /// From now on, answer with `answer` (status, body and headers).
    pub fn respond_with(self, answer: MockAnswer) {
        self.overrides
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(self.operation, answer);
    }

    /// Answer with the spec's example again.
    pub fn restore(self) {
        self.overrides.lock().unwrap_or_else(PoisonError::into_inner).remove(self.operation);
    }
}

/// The operation of `table` a request routes to ([`routing::route`]).
fn route<'t>(table: &'t [MockOperation], method: &Method, path: &str) -> Option<&'t MockOperation> {
    routing::route(table, method.as_str(), path).map(|(op, _)| op)
}

impl routing::Template for MockOperation {
    fn method(&self) -> &str {
        self.method
    }
    fn path(&self) -> &str {
        self.path
    }
}

/// Answers each request with its operation's answer.
struct Router {
    overrides: Overrides,
    table: &'static [MockOperation],
}

impl Respond for Router {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let Some(op) = route(self.table, &request.method, request.url.path()) else {
            let body = serde_json::json!({"code": "NotFound", "message": "The requested resource was not found."});
            return ResponseTemplate::new(404).set_body_raw(body.to_string(), HAL_JSON);
        };
        let answer = self
            .overrides
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(op.id)
            .cloned();
        if let Some(answer) = answer {
            return answer.into_template();
        }
        let mut template = ResponseTemplate::new(op.status);
        if let Some(body) = op.body {
            template = template.set_body_raw(body, HAL_JSON);
        }
        if op.location {
            let mut location = request.url.clone();
            location.set_query(None);
            let path = format!("{}/{CREATED_ID}", location.path().trim_end_matches('/'));
            location.set_path(&path);
            template = template.insert_header("location", location.as_str());
        }
        template
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_api_error_reads_dwollas_fields_from_its_body() {
        let body = serde_json::json!({"code": "ValidationError", "message": "m", "_embedded": {"errors": [{"path": "/email"}]}});
        let e = crate::ApiError::<crate::Untyped>::new("createCustomer", StatusCode::BAD_REQUEST, body)
            .with_header(HeaderName::from_static("x-request-id"), HeaderValue::from_static("req-9"));
        assert_eq!((e.code.as_deref(), e.message.as_deref()), (Some("ValidationError"), Some("m")));
        assert_eq!(e.errors[0].path.as_deref(), Some("/email"));
        assert_eq!(e.request_id.as_deref(), Some("req-9"));
    }

    fn op(id: &'static str, method: &'static str, path: &'static str) -> MockOperation {
        MockOperation { id, method, path, status: 200, body: None, location: false }
    }

    #[test]
    fn the_most_literal_template_wins_in_either_order() {
        for table in [
            [op("get", "GET", "/customers/{id}"), op("sessions", "GET", "/customers/exchange-sessions")],
            [op("sessions", "GET", "/customers/exchange-sessions"), op("get", "GET", "/customers/{id}")],
        ] {
            assert_eq!(route(&table, &Method::GET, "/customers/exchange-sessions").map(|o| o.id), Some("sessions"));
            assert_eq!(route(&table, &Method::GET, "/customers/c-1").map(|o| o.id), Some("get"));
            assert_eq!(route(&table, &Method::GET, "/customers/").map(|o| o.id), None);
        }
    }

    #[test]
    fn a_path_of_no_operation_routes_nowhere() {
        let table = [op("list", "GET", "/customers"), op("get", "GET", "/customers/{id}")];
        assert!(route(&table, &Method::GET, "/no/such/resource/here/at/all").is_none());
        assert!(route(&table, &Method::TRACE, "/customers").is_none());
    }
}
