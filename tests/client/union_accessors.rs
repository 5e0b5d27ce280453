//! A union type reads the fields all its variants share without a `match`: a `Customer`, of
//! whichever of its five shapes, gives its `id()`, `status()` and `type_()` directly. Checked
//! on the customer of Dwolla's API reference (`GET /customers/{id}`) and on each documented
//! shape built from it with the spec's property examples of that shape's fields.

use std::path::Path;

use dwolla::models::Customer;
use serde_json::{Value, json};

/// The response body of the API reference's `GET /customers/{id}` (an unverified customer).
fn documented_customer() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/dwolla-docs/cases/docs-032.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let case: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()));
    assert_eq!(case["operationId"], "getCustomer", "docs-032 is the API reference's customer");
    case["response_body"].clone()
}

/// The documented customer with `id`, `type`, `status` and the fields of one shape in place.
fn shape(id: &str, kind: &str, status: &str, fields: Value) -> Value {
    let mut body = documented_customer();
    body["id"] = json!(id);
    body["type"] = json!(kind);
    body["status"] = json!(status);
    if let (Some(body), Value::Object(fields)) = (body.as_object_mut(), fields) {
        body.extend(fields);
    }
    body
}

/// A verified customer's address, from the spec's property examples.
fn address() -> Value {
    json!({"address1": "123 Main Street", "address2": "Ste 123", "city": "Des Moines", "state": "IA", "postalCode": "50309"})
}

/// `(id, type, status, body, the variant's name)` for each shape of `Customer`.
fn shapes() -> Vec<(&'static str, &'static str, &'static str, Value, &'static str)> {
    let sole_prop = json!({
        "businessName": "Jane Corp", "businessType": "soleProprietorship",
        "businessClassification": "9ed3f670-7d6f-11e3-b1ce-5404a6144203",
    });
    let business = json!({
        "businessName": "Jane Corp", "businessType": "llc",
        "businessClassification": "9ed3f670-7d6f-11e3-b1ce-5404a6144203",
        "controller": {"firstName": "John", "lastName": "Controller", "title": "CEO", "address": {
            "address1": "462 Main Street", "city": "Des Moines", "postalCode": "50309", "country": "USA",
            "stateProvinceRegion": "IA",
        }},
    });
    let with_address = |extra: Value| {
        let mut fields = address();
        if let (Some(fields), Value::Object(extra)) = (fields.as_object_mut(), extra) {
            fields.extend(extra);
        }
        fields
    };
    let mut out = vec![(
        "07d59716-ef22-4fe6-98e8-f3190233dfb8",
        "unverified",
        "unverified",
        documented_customer(),
        "Unverified",
    )];
    for (id, kind, status, fields, variant) in [
        ("c-receive-only", "receive-only", "suspended", json!({}), "ReceiveOnly"),
        ("c-personal", "personal", "document", address(), "VerifiedPersonal"),
        ("c-sole-prop", "business", "verified", with_address(sole_prop), "VerifiedSoleProp"),
        ("c-business", "business", "retry", with_address(business), "VerifiedBusiness"),
    ] {
        out.push((id, kind, status, shape(id, kind, status, fields), variant));
    }
    out
}

/// The name of the variant a customer decoded into, to show each shape was reached.
fn variant(c: &Customer) -> &'static str {
    match c {
        Customer::Unverified(_) => "Unverified",
        Customer::ReceiveOnly(_) => "ReceiveOnly",
        Customer::VerifiedPersonal(_) => "VerifiedPersonal",
        Customer::VerifiedSoleProp(_) => "VerifiedSoleProp",
        Customer::VerifiedBusiness(_) => "VerifiedBusiness",
        _ => "another variant",
    }
}

#[test]
fn every_customer_shape_reads_id_and_status_without_a_match() {
    for (id, kind, status, body, expected) in shapes() {
        let c: Customer = serde_json::from_value(body).unwrap_or_else(|e| panic!("{expected}: {e}"));
        assert_eq!(variant(&c), expected, "the {kind}/{status} body decodes as {expected}");
        assert_eq!(c.id(), id, "{expected}: id");
        assert_eq!(c.status(), status, "{expected}: status");
        assert_eq!(c.type_(), kind, "{expected}: type");
        assert_eq!(c.email(), "janedoe@nomail.com", "{expected}: email");
    }
}

/// A status the spec does not list arrives as the open enum's `Unknown` and still reads as
/// the string the server sent.
#[test]
fn an_unlisted_customer_status_reads_as_sent() {
    let body = shape("c-new", "personal", "under-review", address());
    let c: Customer = serde_json::from_value(body).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(c.status(), "under-review");
}
