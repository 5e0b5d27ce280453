//! Funding sources in the Sandbox, from Dwolla's "Testing Funding Sources" page
//! (`developers.dwolla.com/docs/testing/funding-sources`) and the micro-deposit guide: a bank
//! added by account number is `unverified` until micro-deposits verify it ("any two amounts
//! **below** `$0.10` will allow you to verify the funding source immediately"; "use the
//! amounts `0.09` and `0.09`" to simulate `microdeposits_maxattempts`, three wrong attempts in
//! all); one added through an exchange is `verified`; a Verified Customer has a `balance`.

use serde_json::{Value, json};

use super::super::engine::{Call, Refusal, State, created_answer, invalid, json_answer, not_found};
use super::super::store;
use crate::test_util::MockAnswer;

/// The micro-deposit amounts that simulate the last failed attempt.
const MAX_ATTEMPTS_AMOUNT: &str = "0.09";

/// Wrong attempts a funding source allows before it can no longer be verified this way.
const ATTEMPTS: u64 = 3;

/// An amount in cents (`"10.00"` → 1000), or `None` for what is no amount.
pub(super) fn cents(value: &str) -> Option<i64> {
    let (whole, fraction) = value.trim().split_once('.').unwrap_or((value.trim(), "0"));
    if fraction.len() > 2 || whole.is_empty() && fraction.is_empty() {
        return None;
    }
    let whole: i64 = if whole.is_empty() { 0 } else { whole.parse().ok()? };
    let fraction: i64 = format!("{fraction:0<2}").parse().ok()?;
    Some(whole.saturating_mul(100).saturating_add(fraction))
}

/// A new funding source: a bank by default, linked to its owner (the account when not a
/// customer's), `verified` through an exchange and `unverified` otherwise.
pub(super) fn created(state: &mut State, body: &mut Value, call: &Call) -> Result<(), Refusal> {
    if store::link_href(body, "customer").is_none() {
        let account = state.account.clone();
        store::set_link(body, "account", &account, "account");
    }
    let status = match store::link_href(&call.body, "exchange") {
        Some(href) if state.store.follow(href).is_some_and(|r| r.collection == "exchanges") => {
            store::set_link(body, "exchange", href, "exchange");
            "verified"
        }
        Some(_) => return Err(Box::new(invalid("Invalid", "/_links/exchange/href is invalid", "/_links/exchange/href"))),
        None => "unverified",
    };
    if body.get("type").is_none() {
        body["type"] = "bank".into();
    }
    body["status"] = status.into();
    body["removed"] = false.into();
    body["channels"] = json!(["ach"]);
    body["bankName"] = "SANDBOX TEST BANK".into();
    Ok(())
}

/// Sends `topic` about a funding source (by id) to its customer, or to the account.
pub(super) fn announce(state: &mut State, source: &str, topic: &str) {
    let Some(body) = state.store.get("funding-sources", source).map(|r| r.body.clone()) else { return };
    let url = state.store.url("funding-sources", source);
    super::webhooks::emit(state, topic, &url, super::webhooks::customer_of(&body).as_deref());
}

/// Opens the balance of a customer that is `verified`.
pub(super) fn open_balance(state: &mut State, customer: &str) {
    let Some(owner) = state.store.get("customers", customer) else { return };
    if owner.body["status"] != "verified" {
        return;
    }
    let owner_url = state.store.url("customers", customer);
    let id = state.store.new_id();
    let url = state.store.url("funding-sources", &id);
    let mut body = json!({"id": id, "status": "verified", "type": "balance", "name": "Balance", "removed": false, "created": state.clock.timestamp(), "channels": []});
    store::set_link(&mut body, "self", &url, "funding-source");
    store::set_link(&mut body, "customer", &owner_url, "customer");
    store::set_link(&mut body, "balance", &format!("{url}/balance"), "balance");
    state.store.insert("funding-sources", &id, body);
    state.store.insert("_balances", &id, json!(0));
}

/// `POST /funding-sources/{id}/micro-deposits`: initiates them (no body) or verifies them
/// (`amount1` and `amount2`), the two operations Dwolla serves at one URL.
pub(super) fn micro_deposits(state: &mut State, call: &Call) -> MockAnswer {
    let Some(source) = state.store.get("funding-sources", call.item()) else { return not_found() };
    if source.body["status"] != "unverified" || source.body["type"] != "bank" {
        return json_answer(400, &json!({"code": "InvalidResourceState", "message": "Funding source is not an unverified bank."}));
    }
    if call.body.get("amount1").is_some() {
        return verify(state, call);
    }
    if state.store.get("micro-deposits", call.item()).is_some() {
        return json_answer(400, &json!({"code": "InvalidResourceState", "message": "Micro-deposits were already initiated."}));
    }
    let record = json!({"status": "pending", "created": state.clock.timestamp(), "attempts": 0});
    state.store.insert("micro-deposits", call.item(), record);
    announce(state, call.item(), "microdeposits_added");
    created_answer(&format!("{}/micro-deposits", state.store.url("funding-sources", call.item())))
}

/// Verifies micro-deposits: both amounts below `$0.10` verify the funding source; `0.09` and
/// `0.09`, or a third wrong attempt, fail the verification for good.
fn verify(state: &mut State, call: &Call) -> MockAnswer {
    let amount = |n: &str| call.body.pointer(&format!("/{n}/value")).and_then(Value::as_str).unwrap_or_default().to_owned();
    let (a1, a2) = (amount("amount1"), amount("amount2"));
    let Some(record) = state.store.get_mut("micro-deposits", call.item()) else { return not_found() };
    let attempts = record.body["attempts"].as_u64().unwrap_or(0).saturating_add(1);
    record.body["attempts"] = attempts.into();
    let below = |a: &str| cents(a).is_some_and(|c| (1..10).contains(&c));
    let max_attempts = a1 == MAX_ATTEMPTS_AMOUNT && a2 == MAX_ATTEMPTS_AMOUNT || attempts >= ATTEMPTS;
    if below(&a1) && below(&a2) && !max_attempts && record.body["status"] != "failed" {
        record.body["status"] = "processed".into();
        if let Some(source) = state.store.get_mut("funding-sources", call.item()) {
            source.body["status"] = "verified".into();
        }
        announce(state, call.item(), "funding_source_verified");
        let url = format!("{}/micro-deposits", state.store.url("funding-sources", call.item()));
        return json_answer(200, &json!({"_links": {"self": store::link(&url, "micro-deposits")}}));
    }
    if max_attempts {
        record.body["status"] = "failed".into();
        announce(state, call.item(), "microdeposits_maxattempts");
        return json_answer(400, &json!({"code": "MaxNumberOfAttemptsExceeded", "message": "Wrong amount(s); the maximum number of attempts was exceeded."}));
    }
    json_answer(400, &json!({"code": "InvalidAmount", "message": "Wrong amount(s)."}))
}

/// `GET /funding-sources/{id}/micro-deposits`: their status.
pub(super) fn micro_deposit_status(state: &State, call: &Call) -> MockAnswer {
    let Some(record) = state.store.get("micro-deposits", call.item()) else { return not_found() };
    let url = format!("{}/micro-deposits", state.store.url("funding-sources", call.item()));
    let body = json!({"_links": {"self": store::link(&url, "micro-deposits")}, "created": record.body["created"], "status": record.body["status"]});
    json_answer(200, &body)
}

/// `GET /funding-sources/{id}/balance`: a balance funding source's balance, moved by the
/// transfers the Sandbox processed.
pub(super) fn balance(state: &State, call: &Call) -> MockAnswer {
    let Some(cents) = state.store.get("_balances", call.item()).and_then(|r| r.body.as_i64()) else { return not_found() };
    let sign = if cents < 0 { "-" } else { "" };
    let value = format!("{sign}{}.{:02}", (cents / 100).abs(), (cents % 100).abs());
    let amount = json!({"value": value, "currency": "USD"});
    let url = format!("{}/balance", state.store.url("funding-sources", call.item()));
    let body = json!({"_links": {"self": store::link(&url, "balance")}, "balance": amount, "total": amount, "lastUpdated": state.clock.timestamp()});
    json_answer(200, &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_read_as_cents_and_nonsense_is_none() {
        assert_eq!(cents("10.00"), Some(1000));
        assert_eq!(cents("0.3"), Some(30));
        assert_eq!(cents("7"), Some(700));
        assert_eq!(cents("1.234"), None);
        assert_eq!(cents("x"), None);
        assert_eq!(cents("99999999999999999999"), None);
    }
}
