//! Exchange partners, exchange sessions and exchanges, as Dwolla's API reference describes them
//! ("Exchange Partners", "Exchange Sessions", "Exchanges" in `spec/dwolla.yaml`): the partners
//! are listed with `self` links; a session answers with what its partner needs to continue (MX
//! and Visa a redirect URL in `_links.external-provider-session`, Plaid a Link token in
//! `externalProviderSessionToken`, Checkout.com a payment session in
//! `externalProviderSessionData`); an exchange is made from the partner's answer (its token).

use serde_json::{Value, json};

use super::super::engine::{Refusal, State, invalid};
use super::super::store;

/// The partners a Sandbox lists, in Dwolla's spelling.
pub const PARTNERS: &[&str] = &["MX", "Plaid", "Checkout.com", "Visa"];

/// Stores the exchange partners.
pub(super) fn seed_partners(state: &mut State) {
    for name in PARTNERS {
        let id = state.store.new_id();
        let url = state.store.url("exchange-partners", &id);
        let body = json!({
            "_links": {"self": store::link(&url, "exchange-partner")},
            "id": id, "name": name, "status": "active", "created": state.clock.timestamp(),
        });
        state.store.insert("exchange-partners", &id, body);
    }
}

/// The name of the partner the request's `_links.exchange-partner` names, or a `400` naming
/// that link as Dwolla does ("/_links/exchange-partner/href is invalid").
fn partner(state: &State, request: &Value) -> Result<String, Refusal> {
    let path = "/_links/exchange-partner/href";
    let href = store::link_href(request, "exchange-partner").unwrap_or_default();
    state
        .store
        .follow(href)
        .filter(|r| r.collection == "exchange-partners")
        .and_then(|r| r.body.get("name")?.as_str().map(str::to_owned))
        .ok_or_else(|| Box::new(invalid("Invalid", &format!("{path} is invalid"), path)))
}

/// A new exchange session: linked to its partner, with what that partner needs.
pub(super) fn session(state: &mut State, body: &mut Value, request: &Value) -> Result<(), Refusal> {
    let name = partner(state, request)?;
    let href = store::link_href(request, "exchange-partner").unwrap_or_default().to_owned();
    store::set_link(body, "exchange-partner", &href, "exchange-partner");
    let id = body["id"].as_str().unwrap_or_default().to_owned();
    match name.as_str() {
        "Plaid" => body["externalProviderSessionToken"] = format!("link-sandbox-{id}").into(),
        "Checkout.com" => {
            body["externalProviderSessionData"] = json!({
                "id": format!("ps_{id}"),
                "payment_session_secret": format!("pss_{id}"),
                "payment_session_token": format!("token-{id}"),
            });
        }
        "MX" => store::set_link(body, "external-provider-session", &format!("https://int-widgets.moneydesktop.com/md/connect/{id}"), "external-provider-session"),
        _ => store::set_link(body, "external-provider-session", &format!("https://sandbox.secure.checkout.visa.com/session/{id}"), "external-provider-session"),
    }
    Ok(())
}

/// A new exchange: linked to its partner, `active`; the partner's token is not echoed.
pub(super) fn exchange(state: &mut State, body: &mut Value, request: &Value) -> Result<(), Refusal> {
    partner(state, request)?;
    let href = store::link_href(request, "exchange-partner").unwrap_or_default().to_owned();
    store::set_link(body, "exchange-partner", &href, "exchange-partner");
    body["status"] = "active".into();
    Ok(())
}
