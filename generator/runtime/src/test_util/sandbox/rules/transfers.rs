//! Transfers in the Sandbox, from Dwolla's "Testing Transfers" page
//! (`developers.dwolla.com/docs/testing/transfers`): a bank transfer stays `pending` until
//! `POST /sandbox-simulations` processes "the last 500 bank transfers"; "if a bank-to-bank
//! transaction is initiated between two users, you'll want to simulate bank transfer processing
//! twice in order to process both sides of the transaction (debit and credit)"; a funding source
//! named with an R code fails the transfer when its side is processed ("R01 ... failing from the
//! source bank account", "R03 ... failing to the destination bank account. The funding source
//! will be automatically removed"; the `-late` ones fail a transfer already processed, at the
//! next simulation). Processing includes initiated micro-deposits.

use serde_json::{Value, json};

use super::super::engine::{Call, Refusal, State, invalid, json_answer, not_found};
use super::super::store;
use super::funding_sources::cents;
use crate::test_util::MockAnswer;

/// How many of the latest transfers one simulation processes.
pub const SIMULATED: usize = 500;

/// The R codes the Sandbox honours in a funding source's name, with Dwolla's description of
/// each ("List of codes for testing bank transfer failures").
const RETURN_CODES: &[(&str, &str, &str)] = &[
    ("R01", "Insufficient Funds", "Available balance is not sufficient to cover the dollar value of the debit entry."),
    ("R03", "No Account/Unable to Locate Account", "Account number structure is valid, but does not match individual identified in entry or is not an open account."),
];

/// The R code a funding source's name asks for, and whether it is a `-late` one.
fn return_code(name: &str) -> Option<(&'static str, bool)> {
    let (code, late) = match name.strip_suffix("-late") {
        Some(code) => (code, true),
        None => (name, false),
    };
    RETURN_CODES.iter().find(|(c, _, _)| *c == code).map(|(c, _, _)| (*c, late))
}

/// Sends `topic` about a transfer to each party: `customer_` events to a customer, account
/// events once for the account.
pub(super) fn announce(state: &mut State, transfer: &Value, topic: &str) {
    let url = store::link_href(transfer, "self").unwrap_or_default().to_owned();
    let mut parties: Vec<String> = ["source", "destination"]
        .iter()
        .filter_map(|p| store::link_href(transfer, p).map(str::to_owned))
        .collect();
    parties.dedup();
    for party in parties {
        let customer = party.contains("/customers/").then_some(party.as_str());
        super::webhooks::emit(state, topic, &url, customer);
    }
}

/// A funding source the request links to under `name`, which must be one of the Sandbox's and
/// not removed, or a `400` naming the link.
fn funding_source(state: &State, request: &Value, name: &str) -> Result<Value, Refusal> {
    let path = format!("/_links/{name}/href");
    let href = store::link_href(request, name).unwrap_or_default();
    state
        .store
        .follow(href)
        .filter(|r| r.collection == "funding-sources" && r.body["removed"] != true)
        .map(|r| r.body.clone())
        .ok_or_else(|| Box::new(invalid("Invalid", "Funding source not found.", &path)))
}

/// The link to a funding source's owner (its customer or the account).
fn owner(source: &Value) -> String {
    store::link_href(source, "customer")
        .or_else(|| store::link_href(source, "account"))
        .unwrap_or_default()
        .to_owned()
}

/// A new transfer: `pending`, linked to both funding sources and their owners, with a `cancel`
/// link while it can be cancelled. Its bank sides wait for simulations; one between balances
/// is processed at once.
pub(super) fn created(state: &mut State, body: &mut Value, request: &Value) -> Result<(), Refusal> {
    let source = funding_source(state, request, "source")?;
    let destination = funding_source(state, request, "destination")?;
    if source["status"] != "verified" {
        return Err(Box::new(invalid("Invalid", "The source funding source is not verified.", "/_links/source/href")));
    }
    let self_url = store::link_href(body, "self").unwrap_or_default().to_owned();
    for (name, fs) in [("source", &source), ("destination", &destination)] {
        store::set_link(body, name, &owner(fs), "customer");
        let href = store::link_href(fs, "self").unwrap_or_default();
        store::set_link(body, &format!("{name}-funding-source"), href, "funding-source");
    }
    store::set_link(body, "cancel", &self_url, "transfer");
    let side = |fs: &Value| if fs["type"] == "bank" { "pending" } else { "none" };
    let sides = json!({"debit": side(&source), "credit": side(&destination)});
    body["status"] = "pending".into();
    let id = body["id"].as_str().unwrap_or_default().to_owned();
    if sides["debit"] == "none" && sides["credit"] == "none" {
        settle(state, body);
    }
    state.store.insert("_sides", &id, sides);
    Ok(())
}

/// Marks a transfer processed and moves the balances it touches.
fn settle(state: &mut State, transfer: &mut Value) {
    transfer["status"] = "processed".into();
    if let Some(links) = transfer.get_mut("_links").and_then(Value::as_object_mut) {
        links.remove("cancel");
    }
    let amount = transfer.pointer("/amount/value").and_then(Value::as_str).and_then(cents).unwrap_or(0);
    for (name, sign) in [("source-funding-source", -1_i64), ("destination-funding-source", 1)] {
        let Some((_, id)) = store::link_href(transfer, name).and_then(|h| state.store.locate(h)) else { continue };
        if let Some(balance) = state.store.get_mut("_balances", &id) {
            let now = balance.body.as_i64().unwrap_or(0);
            balance.body = now.saturating_add(amount.saturating_mul(sign)).into();
        }
    }
}

/// Marks a transfer failed with an R code (kept in its `sides` for its failure reason), and
/// removes a funding source an `R03` names.
fn fail(state: &mut State, transfer: &mut Value, sides: &mut Value, code: &str, failed_source: &str) {
    transfer["status"] = "failed".into();
    if let Some(links) = transfer.get_mut("_links").and_then(Value::as_object_mut) {
        links.remove("cancel");
    }
    let url = store::link_href(transfer, "self").unwrap_or_default().to_owned();
    store::set_link(transfer, "failure", &format!("{url}/failure"), "failure");
    sides["failure"] = json!({"code": code, "fundingSource": failed_source});
    if code == "R03" {
        if let Some((collection, id)) = state.store.locate(failed_source) {
            let customer = state.store.get_mut(&collection, &id).map(|fs| {
                fs.body["removed"] = true.into();
                super::webhooks::customer_of(&fs.body)
            });
            if let Some(customer) = customer {
                super::webhooks::emit(state, "funding_source_removed", failed_source, customer.as_deref());
            }
        }
    }
}

/// `POST /sandbox-simulations`: processes one pending side of each of the last
/// [`SIMULATED`] transfers, fails a side whose funding source has an R code, fails transfers a
/// `-late` code named at the last simulation, and processes initiated micro-deposits.
pub(super) fn simulate(state: &mut State) -> MockAnswer {
    let ids: Vec<String> = state.store.list("transfers", None).iter().take(SIMULATED).map(|r| r.id.clone()).collect();
    let mut total = 0_u64;
    for id in ids {
        total = total.saturating_add(u64::from(step(state, &id)));
    }
    let mut completed = Vec::new();
    for record in state.store.list_mut("micro-deposits") {
        if record.body["status"] == "pending" {
            record.body["status"] = "processed".into();
            completed.push(record.id.clone());
        }
    }
    for source in completed {
        super::funding_sources::announce(state, &source, "microdeposits_completed");
    }
    let url = format!("{}/sandbox-simulations", state.store.base());
    json_answer(200, &json!({"_links": {"self": store::link(&url, "sandbox-simulation")}, "total": total}))
}

/// One simulation of one transfer; whether it changed.
fn step(state: &mut State, id: &str) -> bool {
    let (Some(transfer), Some(sides)) = (state.store.get("transfers", id), state.store.get("_sides", id)) else { return false };
    let (mut transfer, mut sides) = (transfer.body.clone(), sides.body.clone());
    let changed = if let Some(late) = sides.get("late").and_then(Value::as_array).cloned() {
        let code = late[0].as_str().unwrap_or_default().to_owned();
        let source = late[1].as_str().unwrap_or_default().to_owned();
        if let Some(s) = sides.as_object_mut() {
            s.remove("late");
        }
        fail(state, &mut transfer, &mut sides, &code, &source);
        true
    } else if transfer["status"] != "pending" {
        false
    } else {
        process_side(state, &mut transfer, &mut sides);
        true
    };
    let before = state.store.get("transfers", id).map(|r| r.body["status"].clone()).unwrap_or_default();
    let topic = match transfer["status"].as_str() {
        Some("processed") if before != "processed" => Some("transfer_completed"),
        Some("failed") if before != "failed" => Some("transfer_failed"),
        _ => None,
    };
    if let Some(r) = state.store.get_mut("transfers", id) {
        r.body = transfer.clone();
    }
    if let Some(r) = state.store.get_mut("_sides", id) {
        r.body = sides;
    }
    if let Some(topic) = topic {
        announce(state, &transfer, topic);
    }
    changed
}

/// Processes the debit side of a pending transfer, or its credit side once the debit is done.
fn process_side(state: &mut State, transfer: &mut Value, sides: &mut Value) {
    let (side, link, code_side) = if sides["debit"] == "pending" {
        ("debit", "source-funding-source", "R01")
    } else {
        ("credit", "destination-funding-source", "R03")
    };
    sides[side] = "processed".into();
    let href = store::link_href(transfer, link).unwrap_or_default().to_owned();
    let name = state.store.follow(&href).and_then(|r| r.body["name"].as_str().map(str::to_owned)).unwrap_or_default();
    match return_code(&name) {
        Some((code, false)) if code == code_side => return fail(state, transfer, sides, code, &href),
        Some((code, true)) if code == code_side => sides["late"] = json!([code, href]),
        _ => {}
    }
    if sides["debit"] != "pending" && sides["credit"] != "pending" {
        settle(state, transfer);
    }
}

/// `GET /transfers/{id}/failure`: the R code of a failed transfer.
pub(super) fn failure(state: &State, call: &Call) -> MockAnswer {
    let (Some(transfer), Some(sides)) = (state.store.get("transfers", call.item()), state.store.get("_sides", call.item())) else {
        return not_found();
    };
    let Some(code) = sides.body.pointer("/failure/code").and_then(Value::as_str) else { return not_found() };
    let (_, description, explanation) = RETURN_CODES.iter().find(|(c, _, _)| *c == code).copied().unwrap_or((code, "", ""));
    let url = format!("{}/failure", store::link_href(&transfer.body, "self").unwrap_or_default());
    let source = sides.body.pointer("/failure/fundingSource").and_then(Value::as_str).unwrap_or_default();
    let body = json!({
        "_links": {"self": store::link(&url, "failure"), "failed-funding-source": store::link(source, "funding-source")},
        "code": code, "description": description, "explanation": explanation,
    });
    json_answer(200, &body)
}

/// `POST /transfers/{id}` with `{"status": "cancelled"}`: cancels a transfer no side of which
/// was processed yet.
pub(super) fn cancel(state: &mut State, call: &Call) -> MockAnswer {
    let untouched = state.store.get("_sides", call.item()).is_some_and(|s| s.body["debit"] != "processed" && s.body["credit"] != "processed");
    let Some(transfer) = state.store.get_mut("transfers", call.item()) else { return not_found() };
    if call.body["status"] != "cancelled" || transfer.body["status"] != "pending" || !untouched {
        return invalid("Invalid", "The transfer cannot be cancelled.", "/status");
    }
    transfer.body["status"] = "cancelled".into();
    if let Some(links) = transfer.body.get_mut("_links").and_then(Value::as_object_mut) {
        links.remove("cancel");
    }
    let body = transfer.body.clone();
    announce(state, &body, "transfer_cancelled");
    json_answer(200, &body)
}
