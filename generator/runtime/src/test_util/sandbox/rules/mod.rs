//! Dwolla's behaviour in its Sandbox, one file per concept, each rule citing the page of
//! Dwolla's documentation it comes from. The engine asks them in three places: whether a rule
//! answers a call itself ([`answer`]), what a new resource of a collection looks like
//! ([`created`]), and what follows its creation ([`after_create`]).

mod customers;
mod exchanges;
mod funding_sources;
mod transfers;
pub(crate) mod webhooks;

use serde_json::Value;

use super::engine::{Call, Refusal, State};
use crate::test_util::MockAnswer;

/// The answer of a rule that handles the call as a whole, by the operation's method and path
/// template (Dwolla's URLs, which its documentation names).
pub(crate) fn answer(state: &mut State, call: &Call) -> Option<MockAnswer> {
    match (call.op.method, call.op.path) {
        ("POST", "/sandbox-simulations") => Some(transfers::simulate(state)),
        ("GET", "/transfers/{id}/failure") => Some(transfers::failure(state, call)),
        ("POST", "/transfers/{id}") => Some(transfers::cancel(state, call)),
        ("POST", "/funding-sources/{id}/micro-deposits") => Some(funding_sources::micro_deposits(state, call)),
        ("GET", "/funding-sources/{id}/micro-deposits") => Some(funding_sources::micro_deposit_status(state, call)),
        ("GET", "/funding-sources/{id}/balance") => Some(funding_sources::balance(state, call)),
        ("GET", "/") => Some(super::engine::json_answer(200, &customers::root(state))),
        _ => None,
    }
}

/// Fills in what Dwolla adds to a new resource of `collection` (its status, its links), or
/// refuses the request (a link to no resource of the Sandbox).
pub(crate) fn created(state: &mut State, collection: &str, body: &mut Value, call: &Call) -> Result<(), Refusal> {
    match collection {
        "customers" => {
            customers::verify(body, &call.body);
            Ok(())
        }
        "exchange-sessions" => exchanges::session(state, body, &call.body),
        "exchanges" => exchanges::exchange(state, body, &call.body),
        "funding-sources" => funding_sources::created(state, body, call),
        "transfers" => transfers::created(state, body, &call.body),
        "webhook-subscriptions" => webhooks::subscribed(state, body, &call.body),
        _ => Ok(()),
    }
}

/// What follows the creation of a resource: a verified customer's balance, and the events
/// Dwolla sends about it.
pub(crate) fn after_create(state: &mut State, collection: &str, id: &str) {
    let Some(body) = state.store.get(collection, id).map(|r| r.body.clone()) else { return };
    let url = state.store.url(collection, id);
    match collection {
        "customers" => {
            webhooks::emit(state, "created", &url, Some(&url));
            if let Some(topic) = customers::status_topic(body["status"].as_str().unwrap_or_default()) {
                webhooks::emit(state, topic, &url, Some(&url));
            }
            funding_sources::open_balance(state, id);
        }
        "funding-sources" => {
            let customer = webhooks::customer_of(&body);
            webhooks::emit(state, "funding_source_added", &url, customer.as_deref());
            if body["status"] == "verified" {
                webhooks::emit(state, "funding_source_verified", &url, customer.as_deref());
            }
        }
        "transfers" => {
            transfers::announce(state, &body, "transfer_created");
            if body["status"] == "processed" {
                transfers::announce(state, &body, "transfer_completed");
            }
        }
        _ => {}
    }
}

/// Seeds what a fresh Sandbox holds: the exchange partners.
pub(crate) fn seed(state: &mut State) {
    exchanges::seed_partners(state);
}
