//! The customer update body (`client.customers().update(id, body)`) is the typed
//! `UpdateCustomerRequest`, an enum of the 15 shapes of Dwolla's own OpenAPI document. Every
//! documented update body serializes from it to exactly the documented JSON: the example of
//! each shape in Dwolla's document (`tests/fixtures/customer-updates/`), the body of its code
//! sample, and the customer updates of Dwolla's API reference (`tests/fixtures/dwolla-docs/`).

use std::path::Path;

use dwolla::models::*;
use serde::de::DeserializeOwned;
use serde_json::Value;

fn fixture(path: &str) -> Value {
    let full = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures").join(path);
    let text = std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("cannot read {}: {e}", full.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", full.display()))
}

fn decode<T: DeserializeOwned>(body: &Value) -> Result<T, String> {
    serde_json::from_value(body.clone()).map_err(|e| e.to_string())
}

/// The body as the named shape: the enum variant holding that shape's struct.
fn as_shape(shape: &str, body: &Value) -> Result<UpdateCustomerRequest, String> {
    use UpdateCustomerRequest as U;
    Ok(match shape {
        "DeactivateCustomer" => U::DeactivateCustomer(decode(body)?),
        "ReactivateCustomer" => U::ReactivateCustomer(decode(body)?),
        "SuspendCustomer" => U::SuspendCustomer(decode(body)?),
        "UpdateUnverifiedAndReceiveOnly" => U::UpdateUnverifiedAndReceiveOnly(decode(body)?),
        "UpdateVerifiedPersonal" => U::UpdateVerifiedPersonal(decode(body)?),
        "UpdateVerifiedBusiness" => U::UpdateVerifiedBusiness(decode(body)?),
        "UpgradeToUnverified" => U::UpgradeToUnverified(decode(body)?),
        "UpgradeToVerifiedPersonal" => U::UpgradeToVerifiedPersonal(decode(body)?),
        "UpgradeToVerifiedBusiness" => U::UpgradeToVerifiedBusiness(decode(body)?),
        "UpgradeToVerifiedSoleProp" => U::UpgradeToVerifiedSoleProp(decode(body)?),
        "RetryVerifiedPersonal" => U::RetryVerifiedPersonal(decode(body)?),
        "RetryVerifiedBusinessNoController" => U::RetryVerifiedBusinessNoController(decode(body)?),
        "RetryVerifiedBusinessWithController" => U::RetryVerifiedBusinessWithController(decode(body)?),
        "RetryVerifiedBusinessWithInternationalController" => {
            U::RetryVerifiedBusinessWithInternationalController(decode(body)?)
        }
        "RetryVerifiedSoleProp" => U::RetryVerifiedSoleProp(decode(body)?),
        other => return Err(format!("UpdateCustomerRequest has no variant {other}")),
    })
}

/// `from` merged into `into`, objects recursively.
fn merge(into: &mut Value, from: &Value) {
    match (into, from) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in b {
                merge(a.entry(k.clone()).or_insert(Value::Null), v);
            }
        }
        (a, b) => *a = b.clone(),
    }
}

/// Checks one documented body, as its named shape (when known) and as the enum decodes it.
fn check(label: &str, shape: Option<&str>, body: &Value, failures: &mut Vec<String>) {
    if let Some(shape) = shape {
        match as_shape(shape, body).and_then(|typed| serde_json::to_value(&typed).map_err(|e| e.to_string())) {
            Ok(sent) if &sent == body => {}
            Ok(sent) => failures.push(format!("{label}: as {shape}, serializes to {sent}, documented {body}")),
            Err(e) => failures.push(format!("{label}: not a {shape}: {e}")),
        }
    }
    match decode::<UpdateCustomerRequest>(body).and_then(|typed| serde_json::to_value(&typed).map_err(|e| e.to_string())) {
        Ok(sent) if &sent == body => {}
        Ok(sent) => failures.push(format!("{label}: decoded, serializes to {sent}, documented {body}")),
        Err(e) => failures.push(format!("{label}: does not decode: {e}")),
    }
}

#[test]
fn every_documented_customer_update_serializes_to_the_documented_json() {
    let mut failures = Vec::new();
    let mut checked = 0;

    // The 15 shapes of Dwolla's document, each with its example.
    let upstream = fixture("customer-updates/upstream-examples.json");
    let examples = upstream["examples"].as_array().expect("examples");
    assert_eq!(examples.len(), 15, "Dwolla's document has 15 shapes");
    for e in examples {
        let shape = e["shape"].as_str().expect("shape");
        let mut body = e["body"].clone();
        if let Some(supplied) = e.get("supplied") {
            merge(&mut body, supplied);
        }
        check(&format!("upstream {shape}"), Some(shape), &body, &mut failures);
        checked += 1;
    }

    // The code sample of the operation in Dwolla's document: a name and email change.
    let sample = serde_json::json!({"firstName": "John", "lastName": "Doe", "email": "johndoe@example.com"});
    check("upstream code sample", Some("UpdateUnverifiedAndReceiveOnly"), &sample, &mut failures);
    checked += 1;

    // Every customer update in Dwolla's API reference.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/dwolla-docs/cases");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .expect("the docs cases")
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect();
    names.sort();
    let mut documented = 0;
    for name in names {
        let case = fixture(&format!("dwolla-docs/cases/{name}"));
        if case["operationId"] != "update" {
            continue;
        }
        let id = case["id"].as_str().unwrap_or("?");
        check(id, None, &case["request_body"], &mut failures);
        documented += 1;
        checked += 1;
    }
    assert!(documented >= 1, "the API reference documents customer updates");

    println!("{checked} customer update bodies ({documented} from the API reference) serialize to the documented JSON");
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}

/// The variants users build convert into the body: `update(id, DeactivateCustomer::new())`.
#[test]
fn a_shape_converts_into_the_update_body() {
    let body: UpdateCustomerRequest = DeactivateCustomer::new().into();
    assert_eq!(serde_json::to_value(&body).ok(), Some(serde_json::json!({"status": "deactivated"})));
    let body: UpdateCustomerRequest = SuspendCustomer::new().into();
    assert_eq!(serde_json::to_value(&body).ok(), Some(serde_json::json!({"status": "suspended"})));
}
