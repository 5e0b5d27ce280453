//! Customers' verification in the Sandbox, from Dwolla's "Testing Customers" page
//! (`developers.dwolla.com/docs/testing/customers`, "Simulate identity verification statuses"):
//! a Verified Customer's status follows magic values of its names.

use serde_json::{Value, json};

use super::super::engine::State;
use super::super::store;

/// The statuses the Sandbox simulates from a name: "supply either `verified`, `retry`, `kba`,
/// `document`, or `suspended` in the **firstName** parameter".
const MAGIC: &[&str] = &["retry", "kba", "document", "suspended", "verified"];

/// The magic status a name asks for, if it is one (compared without case).
fn magic(name: Option<&Value>) -> Option<&'static str> {
    let name = name?.as_str()?.trim();
    MAGIC.iter().copied().find(|m| m.eq_ignore_ascii_case(name))
}

/// Sets a new customer's `type` and `status`, and the verification link its status calls for:
/// a personal Verified Customer's status is its magic `firstName`; a business's is
/// `document`/`retry` from its `businessName`, else the controller's magic `firstName`
/// (`retry`, `document`, `suspended`); `verified` otherwise. Unverified and receive-only
/// customers are `unverified`.
pub(super) fn verify(body: &mut Value, request: &Value) {
    let kind = request.get("type").and_then(Value::as_str).unwrap_or("unverified").to_owned();
    let status = match kind.as_str() {
        "personal" => magic(request.get("firstName")).unwrap_or("verified"),
        "business" => business_status(request),
        _ => "unverified",
    };
    body["type"] = kind.as_str().into();
    body["status"] = status.into();
    let url = store::link_href(body, "self").unwrap_or_default().to_owned();
    let link = match (kind.as_str(), status) {
        (_, "retry") => Some("retry-verification"),
        ("business", "document") => Some(business_document_link(request)),
        (_, "document") => Some("verify-with-document"),
        (_, "kba") => Some("verify-with-kba"),
        _ => None,
    };
    if let Some(link) = link {
        store::set_link(body, link, &url, "customer");
    }
}

/// A business Verified Customer's status: "`retry` in the **businessName**", "`document` in
/// the **businessName**", or the controller's `retry`, `document` or `suspended`.
fn business_status(request: &Value) -> &'static str {
    let business = magic(request.get("businessName"));
    let controller = magic(request.pointer("/controller/firstName"));
    match (business, controller) {
        (Some(s @ ("retry" | "document")), _) => s,
        (_, Some(s @ ("retry" | "document" | "suspended"))) => s,
        _ => "verified",
    }
}

/// Which document a business in `document` status is asked for: the controller's
/// (`verify-with-document`), the business's (`verify-business-with-document`), or both
/// (`verify-controller-and-business-with-document`).
fn business_document_link(request: &Value) -> &'static str {
    let business = magic(request.get("businessName")) == Some("document");
    let controller = magic(request.pointer("/controller/firstName")) == Some("document");
    match (business, controller) {
        (true, true) => "verify-controller-and-business-with-document",
        (true, false) => "verify-business-with-document",
        _ => "verify-with-document",
    }
}

/// The event Dwolla sends for a new customer's status, besides `customer_created`
/// ("Webhook Events": `customer_verified`, `customer_reverification_needed`, ...).
pub(super) fn status_topic(status: &str) -> Option<&'static str> {
    Some(match status {
        "verified" => "verified",
        "retry" => "reverification_needed",
        "document" => "verification_document_needed",
        "kba" => "kba_verification_needed",
        "suspended" => "suspended",
        _ => return None,
    })
}

/// The API root: links to the Sandbox's account and its customers.
pub(super) fn root(state: &State) -> Value {
    let customers = format!("{}/customers", state.store.base());
    json!({"_links": {"account": store::link(&state.account, "account"), "customers": store::link(&customers, "customer")}})
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(request: Value) -> (String, Value) {
        let mut body = json!({"_links": {"self": {"href": "http://h/customers/1"}}});
        verify(&mut body, &request);
        (body["status"].as_str().unwrap_or_default().to_owned(), body["_links"].clone())
    }

    #[test]
    fn a_personal_customers_status_is_its_magic_first_name() {
        assert_eq!(status(json!({"type": "personal", "firstName": "Retry"})).0, "retry");
        assert_eq!(status(json!({"type": "personal", "firstName": "kba"})).0, "kba");
        assert_eq!(status(json!({"type": "personal", "firstName": "Jane"})).0, "verified");
        assert_eq!(status(json!({"firstName": "retry"})).0, "unverified");
        assert!(status(json!({"type": "personal", "firstName": "document"})).1.get("verify-with-document").is_some());
    }

    #[test]
    fn a_business_status_comes_from_its_name_or_its_controller() {
        assert_eq!(status(json!({"type": "business", "businessName": "retry"})).0, "retry");
        let both = status(json!({"type": "business", "businessName": "document", "controller": {"firstName": "document"}}));
        assert_eq!(both.0, "document");
        assert!(both.1.get("verify-controller-and-business-with-document").is_some());
        assert_eq!(status(json!({"type": "business", "businessName": "Acme", "controller": {"firstName": "suspended"}})).0, "suspended");
    }
}
