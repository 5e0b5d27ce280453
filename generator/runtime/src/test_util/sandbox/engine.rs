//! The Sandbox's engine: one request in, one answer out, on the state the Sandbox keeps. The
//! order is Dwolla's: rate limit, the test's override, routing, idempotency, validation, then
//! Dwolla's behaviour (`rules/`) or, where no rule speaks, what the operation's kind does to
//! the store (create, list, get, update, remove).

use std::collections::HashMap;
use std::time::Duration;

use serde_json::{Map, Value, json};

use super::clock::Clock;
use super::store::{self, Store};
use super::table::{self, SandboxKind, SandboxOperation};
use super::validate;
use crate::test_util::MockAnswer;
use crate::test_util::idempotency::{self, Admission, IdempotencyLedger};

/// A request refused before it acts, with the answer that says why (boxed: an answer is large,
/// and most calls are not refused).
pub(crate) type Refusal = Box<MockAnswer>;

/// Request fields Dwolla never echoes in a resource (secrets and account numbers).
const NOT_ECHOED: &[&str] = &["ssn", "accountNumber", "routingNumber", "secret", "plaidToken", "token", "password"];

/// What the test changed of one operation's answer.
#[derive(Clone, Debug, Default)]
pub(crate) struct Override {
    pub(crate) answer: Option<MockAnswer>,
    pub(crate) delay: Option<Duration>,
}

/// Everything the Sandbox keeps between requests.
#[derive(Debug)]
pub(crate) struct State {
    pub(crate) table: &'static [SandboxOperation],
    pub(crate) store: Store,
    pub(crate) clock: Clock,
    pub(crate) ledger: IdempotencyLedger<MockAnswer>,
    pub(crate) overrides: HashMap<&'static str, Override>,
    pub(crate) rate_limited: bool,
    /// The URL of the Sandbox's own account (the application's Dwolla account).
    pub(crate) account: String,
    /// Each webhook subscription's secret, by subscription id (never in a body).
    pub(crate) secrets: HashMap<String, crate::webhooks::WebhookSecret>,
    /// Webhook attempts waiting for their time.
    pub(crate) deliveries: Vec<super::rules::webhooks::Delivery>,
}

/// One request, routed to its operation.
#[derive(Debug)]
pub(crate) struct Call {
    pub(crate) op: &'static SandboxOperation,
    /// The path's parameters, in order.
    pub(crate) params: Vec<String>,
    pub(crate) query: Vec<(String, String)>,
    /// The JSON body (`Null` when there is none or it is not JSON).
    pub(crate) body: Value,
    /// The request's URL without its query, on the Sandbox's base URL.
    pub(crate) url: String,
}

impl Call {
    /// The first path parameter (the item an item operation addresses), or `""`.
    pub(crate) fn item(&self) -> &str {
        self.params.first().map_or("", String::as_str)
    }
}

/// An answer with a JSON body.
pub(crate) fn json_answer(status: u16, body: &Value) -> MockAnswer {
    let status = http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
    MockAnswer::new(status).json(body)
}

/// A `201 Created` with its `Location`.
pub(crate) fn created_answer(location: &str) -> MockAnswer {
    let answer = MockAnswer::new(http::StatusCode::CREATED);
    match http::HeaderValue::from_str(location) {
        Ok(value) => answer.header(http::header::LOCATION, value),
        Err(_) => answer,
    }
}

/// Dwolla's `404 NotFound`.
pub(crate) fn not_found() -> MockAnswer {
    json_answer(404, &json!({"code": "NotFound", "message": "The requested resource was not found."}))
}

/// A `400 ValidationError` with one embedded error.
pub(crate) fn invalid(code: &str, message: &str, path: &str) -> MockAnswer {
    let error = validate::error(code, message, path);
    json_answer(validate::VALIDATION_STATUS, &validate::validation_error(vec![error]))
}

/// Dwolla's `429` when the rate limit is switched on: "The rate limit was exceeded".
fn too_many_requests() -> MockAnswer {
    json_answer(429, &json!({"code": "TooManyRequests", "message": "Too many requests. Please try again later."}))
}

impl State {
    /// Answers one request: `method`, `url` (with query), the `Idempotency-Key`, the raw body.
    pub(crate) fn handle(&mut self, method: &str, url: &url::Url, key: Option<&str>, raw: &[u8]) -> MockAnswer {
        if self.rate_limited {
            return too_many_requests();
        }
        let Some((op, params)) = table::route(self.table, method, url.path()) else {
            return not_found();
        };
        if let Some(answer) = self.overrides.get(op.id).and_then(|o| o.answer.clone()) {
            return answer;
        }
        let call = Call {
            op,
            params,
            query: url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect(),
            body: serde_json::from_slice(raw).unwrap_or(Value::Null),
            url: format!("{}{}", self.store.base(), url.path()),
        };
        if !method.eq_ignore_ascii_case("POST") {
            return self.act(&call);
        }
        let fingerprint = [method.as_bytes(), url.path().as_bytes(), raw].join(&b' ');
        match self.ledger.begin(key, &fingerprint, self.clock.elapsed()) {
            Admission::Act => {
                let answer = self.act(&call);
                self.ledger.finish(key, answer.clone());
                answer
            }
            Admission::Replay(answer) => answer,
            Admission::InProgress => json_answer(
                idempotency::IN_PROGRESS_STATUS,
                &json!({"code": "Conflict", "message": "The request is still being processed."}),
            ),
            Admission::Mismatch => json_answer(idempotency::MISMATCH_STATUS, &idempotency::mismatch_body()),
        }
    }

    /// Validates and carries out a call.
    fn act(&mut self, call: &Call) -> MockAnswer {
        let errors = validate::problems(call.op.required, &call.body);
        if !errors.is_empty() {
            return json_answer(validate::VALIDATION_STATUS, &validate::validation_error(errors));
        }
        if let Some(answer) = super::rules::answer(self, call) {
            return answer;
        }
        match call.op.kind {
            SandboxKind::Create => self.create(call),
            SandboxKind::List => self.list(call),
            SandboxKind::Get => self.get(call),
            SandboxKind::Update => self.update(call),
            SandboxKind::Remove => self.remove(call),
            _ => self.example(call.op),
        }
    }

    /// The operation's spec example, as the stateless mock answers.
    fn example(&self, op: &SandboxOperation) -> MockAnswer {
        let body = op.example.and_then(|e| serde_json::from_str::<Value>(e).ok());
        match body {
            Some(body) => json_answer(op.status, &body),
            None => MockAnswer::new(http::StatusCode::from_u16(op.status).unwrap_or(http::StatusCode::OK)),
        }
    }

    /// The URL of the item a sub-collection operation is under (`/customers/{id}/...`), if the
    /// operation has a parent; `Err` with `404` when that item does not exist.
    fn owner(&self, call: &Call) -> Result<Option<String>, Refusal> {
        let Some(parent) = call.op.parent else { return Ok(None) };
        let url = self.store.url(parent, call.item());
        if url == self.account || self.store.get(parent, call.item()).is_some() {
            Ok(Some(url))
        } else {
            Err(Box::new(not_found()))
        }
    }

    /// Creates a resource from the request: its fields (but [`NOT_ECHOED`]), an id, `created`,
    /// a `self` link, a link to the item it is under, links to its own sub-collections, then
    /// Dwolla's rules for its collection; answers `201` with its `Location`.
    fn create(&mut self, call: &Call) -> MockAnswer {
        let owner = match self.owner(call) {
            Ok(owner) => owner,
            Err(answer) => return *answer,
        };
        let mut body = Map::new();
        for (name, value) in call.body.as_object().into_iter().flatten() {
            if name != "_links" && !NOT_ECHOED.contains(&name.as_str()) {
                body.insert(name.clone(), value.clone());
            }
        }
        let mut body = Value::Object(body);
        let collection = call.op.collection;
        let id = self.store.new_id();
        body["id"] = id.clone().into();
        body["created"] = self.clock.timestamp().into();
        if let Some(owner) = &owner {
            store::set_link(&mut body, store::singular(call.op.parent.unwrap_or_default()), owner, call.op.parent.unwrap_or_default());
        }
        self.insert(collection, &id, body, call)
    }

    /// Stores a new resource after its collection's rules had their say, with its `self` link
    /// and links to its sub-collections; answers `201` with its `Location`.
    pub(crate) fn insert(&mut self, collection: &str, id: &str, mut body: Value, call: &Call) -> MockAnswer {
        let url = self.store.url(collection, id);
        store::set_link(&mut body, "self", &url, store::singular(collection));
        for op in self.table.iter().filter(|op| op.kind == SandboxKind::List && op.parent == Some(collection)) {
            store::set_link(&mut body, op.collection, &format!("{url}/{}", op.collection), op.collection);
        }
        if let Err(answer) = super::rules::created(self, collection, &mut body, call) {
            return *answer;
        }
        self.store.insert(collection, id, body);
        super::rules::after_create(self, collection, id);
        created_answer(&url)
    }

    /// A page of a collection (under its owner for a sub-collection), newest first. A
    /// collection no operation creates and the Sandbox holds nothing of is reference data
    /// (business classifications): it answers the spec's example.
    fn list(&self, call: &Call) -> MockAnswer {
        let created_here = self.table.iter().any(|op| op.kind == SandboxKind::Create && op.collection == call.op.collection);
        if !created_here && self.store.list(call.op.collection, None).is_empty() {
            return self.example(call.op);
        }
        let owner = match self.owner(call) {
            Ok(owner) => owner,
            Err(answer) => return *answer,
        };
        let key = embedded_key(call.op);
        let items = self
            .store
            .list(call.op.collection, owner.as_deref())
            .into_iter()
            .filter(|r| matches_query(&r.body, &call.query))
            .map(|r| r.body.clone())
            .collect();
        json_answer(200, &store::page(&call.url, &call.query, &key, items))
    }

    /// An item.
    fn get(&self, call: &Call) -> MockAnswer {
        match self.store.get(call.op.collection, call.item()) {
            Some(resource) => json_answer(200, &resource.body),
            None => not_found(),
        }
    }

    /// Changes an item's fields (but its id, links and [`NOT_ECHOED`]) to the request's.
    fn update(&mut self, call: &Call) -> MockAnswer {
        let Some(resource) = self.store.get_mut(call.op.collection, call.item()) else { return not_found() };
        for (name, value) in call.body.as_object().into_iter().flatten() {
            if name != "_links" && name != "id" && !NOT_ECHOED.contains(&name.as_str()) {
                resource.body[name] = value.clone();
            }
        }
        json_answer(200, &resource.body)
    }

    /// Removes an item and answers with it.
    fn remove(&mut self, call: &Call) -> MockAnswer {
        match self.store.remove(call.op.collection, call.item()) {
            Some(resource) => json_answer(200, &resource.body),
            None => not_found(),
        }
    }
}

/// Fields a list's `search` looks in, as Dwolla's customer search does ("searches on
/// firstName, lastName, email and businessName").
const SEARCHED: &[&str] = &["firstName", "lastName", "email", "businessName"];

/// Whether an item passes a list's filters: `search` (a case-insensitive substring of a
/// [`SEARCHED`] field) and any parameter naming one of its string fields
/// (`correlationId`, `status`), which must equal it. Other parameters do not filter.
fn matches_query(body: &Value, query: &[(String, String)]) -> bool {
    query.iter().filter(|(k, _)| k != "limit" && k != "offset").all(|(k, v)| {
        if k == "search" {
            let needle = v.to_lowercase();
            return SEARCHED
                .iter()
                .any(|f| body.get(*f).and_then(Value::as_str).is_some_and(|s| s.to_lowercase().contains(&needle)));
        }
        body.get(k).and_then(Value::as_str).is_none_or(|s| s == v)
    })
}

/// The key of a list's items in its page's `_embedded`: the one the spec's example uses, else
/// the collection's name (as Dwolla names them: `funding-sources`).
fn embedded_key(op: &SandboxOperation) -> String {
    op.example
        .and_then(|e| serde_json::from_str::<Value>(e).ok())
        .and_then(|e| e.get("_embedded")?.as_object()?.keys().next().cloned())
        .unwrap_or_else(|| op.collection.to_owned())
}
