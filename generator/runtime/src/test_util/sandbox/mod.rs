//! A Dwolla Sandbox in a box, behind the `test-util` feature: an in-process stand-in on
//! loopback that keeps state the way Dwolla's Sandbox does, so that a test runs whole payment
//! flows offline in milliseconds.
//!
//! - Resources persist and link: a create answers `201` with a `Location` on the Sandbox's own
//!   base URL (so `fetch_created()` reads it back), items can be fetched, listed (paged with
//!   `limit`/`offset`, working `next` links and `total`), updated and removed where the API
//!   allows, and their `_links` point at resources of the Sandbox.
//! - Dwolla's behaviour (`rules/`): customers' verification status from magic names, exchange
//!   partners and a session per partner, funding sources and micro-deposits, transfers that stay
//!   `pending` until `POST /sandbox-simulations` processes them, R-code names that fail them.
//! - Requests are validated against the fields the spec requires (`400 ValidationError` with
//!   `_embedded.errors[].path`), idempotency keys follow [`idempotency`](super::idempotency),
//!   and a `429` can be switched on.
//! - Ids and timestamps are deterministic: ids derive from a seed, time is a clock the test
//!   moves.
//! - Webhook subscriptions receive the events Dwolla would send, signed with their secret,
//!   delivered to a loopback URL or a handler of the test, retried on Dwolla's schedule on the
//!   Sandbox's clock ([`Sandbox::deliver_webhooks`]).
//! - As with [`MockDwolla`](super::MockDwolla), a test can change one operation's answer, delay
//!   it, and see the requests received.
//!
//! What the Sandbox knows of the spec is a generated table ([`SandboxOperation`]); the engine is
//! written once, on JSON.

mod clock;
mod delivery;
mod engine;
mod fixtures;
mod rules;
mod store;
mod table;
mod validate;

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use chrono::{DateTime, Utc};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

pub use clock::DEFAULT_START;
pub use delivery::WebhookRequest;
pub use rules::webhooks::{ANSWER_WITHIN, RETRY_SCHEDULE};
pub use store::{DEFAULT_PAGE, MAX_PAGE};
pub use table::{JsonKind, SandboxKind, SandboxOperation};

use super::{MockAnswer, Operation, ReceivedRequest, UnknownOperation};
use engine::State;

/// Sets up a [`Sandbox`]: the seed of its ids and the start of its clock.
///
/// `S` is the spec's tables of operations, which the generated crate fills in.
pub struct SandboxBuilder<S> {
    table: &'static [SandboxOperation],
    seed: u32,
    start: DateTime<Utc>,
    spec: std::marker::PhantomData<fn() -> S>,
}

impl<S> std::fmt::Debug for SandboxBuilder<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SandboxBuilder").field("seed", &self.seed).field("start", &self.start).finish_non_exhaustive()
    }
}

impl<S> SandboxBuilder<S> {
    /// A builder serving the operations of `table`.
    pub fn new(table: &'static [SandboxOperation]) -> Self {
        SandboxBuilder {
            table,
            seed: 0,
            start: DateTime::from_timestamp(DEFAULT_START, 0).unwrap_or_default(),
            spec: std::marker::PhantomData,
        }
    }

    /// Ids derive from `seed` (0 by default): the same seed and the same requests give the same
    /// ids.
    #[must_use]
    pub fn seed(mut self, seed: u32) -> Self {
        self.seed = seed;
        self
    }

    /// The clock starts at `start` ([`DEFAULT_START`] by default) and moves only when the test
    /// moves it ([`Sandbox::advance`]).
    #[must_use]
    pub fn start_time(mut self, start: DateTime<Utc>) -> Self {
        self.start = start;
        self
    }

    /// Starts the Sandbox on a free loopback port.
    pub async fn start(self) -> Sandbox<S> {
        let server = MockServer::start().await;
        let mut store = store::Store::new(&server.uri(), self.seed);
        let account_id = store.new_id();
        let account = store.url("accounts", &account_id);
        let mut state = State {
            table: self.table,
            store,
            clock: clock::Clock::new(self.start),
            ledger: Default::default(),
            overrides: Default::default(),
            rate_limited: false,
            account,
            secrets: Default::default(),
            deliveries: Vec::new(),
        };
        rules::seed(&mut state);
        let state = Arc::new(Mutex::new(state));
        mount(&server, &state).await;
        Sandbox {
            server,
            state,
            handler: Mutex::new(None),
            spec: std::marker::PhantomData,
        }
    }
}

/// Routes every request of `server` to the Sandbox's engine.
async fn mount(server: &MockServer, state: &Arc<Mutex<State>>) {
    Mock::given(any())
        .respond_with(Engine {
            state: Arc::clone(state),
        })
        .mount(server)
        .await;
}

/// A stateful Dwolla Sandbox on a loopback port; see the module's documentation. Dropping it
/// stops the server.
///
/// `S` is the spec's tables of operations, which the generated crate fills in.
pub struct Sandbox<S> {
    server: MockServer,
    state: Arc<Mutex<State>>,
    handler: Mutex<Option<delivery::Handler>>,
    spec: std::marker::PhantomData<fn() -> S>,
}

impl<S> std::fmt::Debug for Sandbox<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sandbox").field("uri", &self.server.uri()).finish_non_exhaustive()
    }
}

impl<S: super::MockSpec> Sandbox<S> {
    /// A client pointed at the Sandbox, with the access token
    /// [`ACCESS_TOKEN`](super::ACCESS_TOKEN) and no retries.
    pub fn client(&self) -> S::Client {
        self.client_builder()
            .build()
            .unwrap_or_else(|e| panic!("the Sandbox's client does not build: {e}"))
    }

    /// A client builder pointed at the Sandbox with the settings of [`client`](Self::client).
    pub fn client_builder(&self) -> crate::ClientBuilder<S::Client> {
        crate::ClientBuilder::default()
            .base_url(self.server.uri())
            .access_token(super::ACCESS_TOKEN)
            .retry(crate::RetryPolicy::none())
    }
}

impl<S> Sandbox<S> {
    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The Sandbox's base URL (`http://127.0.0.1:port`).
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// The URL of the Sandbox's own account (the application's).
    pub fn account(&self) -> String {
        self.state().account.clone()
    }

    /// Changes what the Sandbox answers to one operation, by its handle (`op::CREATE_CUSTOMER`).
    pub fn on(&self, operation: Operation) -> OnSandboxOperation<'_, S> {
        OnSandboxOperation { sandbox: self, operation: operation.id() }
    }

    /// The handle of the operation of that operationId (`createCustomer`), for a name read from
    /// data; [`op`](super::op) has one for each.
    ///
    /// # Errors
    ///
    /// [`UnknownOperation`] if the Sandbox's table has no operation of that id.
    pub fn operation(&self, id: &str) -> Result<Operation, UnknownOperation> {
        let op = table::find(self.state().table, id).ok_or_else(|| UnknownOperation(id.to_owned()))?;
        Ok(Operation::from_spec(op.id, op.method, op.path))
    }

    /// Every request received for one operation, oldest first.
    pub async fn received(&self, operation: Operation) -> Vec<ReceivedRequest> {
        let table = self.state().table;
        let requests = self.server.received_requests().await.unwrap_or_default();
        requests
            .into_iter()
            .filter_map(|r| {
                let (op, _) = table::route(table, r.method.as_str(), r.url.path())?;
                (op.method == operation.method() && op.path == operation.path()).then(|| ReceivedRequest {
                    operation: op.id,
                    method: r.method,
                    url: r.url,
                    headers: r.headers,
                    body: r.body,
                })
            })
            .collect()
    }

    /// Answers every request with `429 Too Many Requests` while `on`, as Dwolla does past its
    /// rate limit.
    pub fn rate_limit(&self, on: bool) {
        self.state().rate_limited = on;
    }

    /// Moves the Sandbox's clock on by `by` (idempotency keys expire after 24 hours of it,
    /// webhook retries fall due on it: deliver them with [`deliver_webhooks`](Self::deliver_webhooks)).
    pub fn advance(&self, by: Duration) {
        self.state().clock.advance(by);
    }
}

/// Changes what the Sandbox answers to one operation; see [`Sandbox::on`].
#[derive(Debug)]
pub struct OnSandboxOperation<'a, S> {
    sandbox: &'a Sandbox<S>,
    operation: &'static str,
}

impl<S> OnSandboxOperation<'_, S> {
    /// From now on, answer with `answer` instead of the Sandbox's own (a fault, an error body).
    pub fn respond_with(&self, answer: MockAnswer) -> &Self {
        self.sandbox.state().overrides.entry(self.operation).or_default().answer = Some(answer);
        self
    }

    /// From now on, answer only after `delay`.
    pub fn delay(&self, delay: Duration) -> &Self {
        self.sandbox.state().overrides.entry(self.operation).or_default().delay = Some(delay);
        self
    }

    /// Answer as the Sandbox does again, without delay.
    pub fn restore(&self) {
        self.sandbox.state().overrides.remove(self.operation);
    }
}

/// Answers each request with the engine's answer.
struct Engine {
    state: Arc<Mutex<State>>,
}

impl Respond for Engine {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let key = request.headers.get("idempotency-key").and_then(|v| v.to_str().ok());
        let answer = state.handle(request.method.as_str(), &request.url, key, &request.body);
        let delay = table::route(state.table, request.method.as_str(), request.url.path())
            .and_then(|(op, _)| state.overrides.get(op.id).and_then(|o| o.delay));
        let template = answer.into_template();
        match delay {
            Some(delay) => template.set_delay(delay),
            None => template,
        }
    }
}
