//! Free objects keep every key, both ways. Dwolla's `metadata` on transfers, mass payments and
//! mass payment items is whatever key-value pairs the caller sent; reading the resource back
//! must return all of them (reconciliation matches on them), and what was read must serialize
//! back unchanged. Checked through loopback `GET`s and against every documented response of
//! Dwolla's API reference that carries metadata, and likewise the documented fields that the
//! response schemas did not declare.

use std::path::{Path, PathBuf};

use client_tests::{client, server_answering};
use dwolla::models::{InitiateTransferRequest, Link, TransferAmount, TransferLinks};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use wiremock::matchers::{body_partial_json, method, path};
use wiremock::{Mock, ResponseTemplate};

const TRANSFER_ID: &str = "15c6bcce-46f7-e811-8112-e8dd3bececa8";

/// Metadata with a key of the caller's own beside the two the spec's example shows.
fn caller_metadata() -> Value {
    json!({"orderId": "42", "paymentId": "p", "note": "n"})
}

fn transfer_json(metadata: &Value) -> Value {
    json!({
        "_links": {"self": {"href": format!("https://api-sandbox.dwolla.com/transfers/{TRANSFER_ID}")}},
        "id": TRANSFER_ID,
        "status": "pending",
        "amount": {"value": "42.00", "currency": "USD"},
        "created": "2018-12-03T22:00:22.970Z",
        "metadata": metadata,
    })
}

/// The `metadata` of `value` serialized again.
fn metadata_of(value: &impl Serialize) -> Value {
    let json = serde_json::to_value(value).unwrap_or_else(|e| panic!("does not serialize: {e}"));
    json.get("metadata").cloned().unwrap_or(Value::Null)
}

#[tokio::test]
async fn transfer_metadata_keeps_the_callers_keys_and_serializes_them_back() {
    let metadata = caller_metadata();
    let server = server_answering(
        "GET",
        &format!("/transfers/{TRANSFER_ID}"),
        ResponseTemplate::new(200).set_body_json(transfer_json(&metadata)),
    )
    .await;
    let transfer = client(&server)
        .transfers()
        .get(TRANSFER_ID)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .into_inner();
    assert_eq!(metadata_of(&transfer), metadata, "the transfer's metadata read back");
    let again: dwolla::models::Transfer =
        serde_json::from_value(serde_json::to_value(&transfer).unwrap_or_default()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(again, transfer, "a transfer survives a round trip");
}

#[tokio::test]
async fn metadata_read_from_a_transfer_is_sent_as_it_was_read() {
    let metadata = caller_metadata();
    let server = server_answering(
        "GET",
        &format!("/transfers/{TRANSFER_ID}"),
        ResponseTemplate::new(200).set_body_json(transfer_json(&metadata)),
    )
    .await;
    Mock::given(method("POST"))
        .and(path("/transfers"))
        .and(body_partial_json(json!({"metadata": metadata})))
        .respond_with(
            ResponseTemplate::new(201).insert_header("Location", format!("{}/transfers/{TRANSFER_ID}", server.uri())),
        )
        .mount(&server)
        .await;
    let client = client(&server);
    let read = client
        .transfers()
        .get(TRANSFER_ID)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .into_inner();
    let metadata_read = read
        .metadata
        .clone()
        .unwrap_or_else(|| panic!("the transfer has metadata"));
    let link = |p: &str| Link::new(format!("{}{p}", server.uri()));
    let request = InitiateTransferRequest::new(
        TransferLinks::new(link("/funding-sources/a"), link("/funding-sources/b")),
        TransferAmount::new("42.00", "USD"),
    )
    .with_metadata(metadata_read);
    let created = client
        .transfers()
        .create(request)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(created.id, TRANSFER_ID, "the server matched the metadata that was read");
}

#[tokio::test]
async fn mass_payment_item_metadata_keeps_every_key() {
    let metadata = json!({"item1": "item1", "item2": "item2"});
    let body = json!({"id": "c2f5f1b4", "status": "success", "metadata": metadata});
    let server = server_answering(
        "GET",
        "/mass-payment-items/c2f5f1b4",
        ResponseTemplate::new(200).set_body_json(body),
    )
    .await;
    let item = client(&server)
        .mass_payments()
        .items()
        .get("c2f5f1b4")
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .into_inner();
    assert_eq!(metadata_of(&item), metadata);
}

#[tokio::test]
async fn mass_payment_metadata_is_read_under_the_name_dwolla_sends() {
    let metadata = json!({"UserJobId": "some ID"});
    let body = json!({"id": "b4b5a699", "status": "complete", "metadata": metadata});
    let server = server_answering(
        "GET",
        "/mass-payments/b4b5a699",
        ResponseTemplate::new(200).set_body_json(body),
    )
    .await;
    let mass_payment = client(&server)
        .mass_payments()
        .get("b4b5a699")
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .into_inner();
    assert_eq!(metadata_of(&mass_payment), metadata);
}

fn docs_case(id: &str) -> Value {
    let file: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../fixtures/dwolla-docs/cases/{id}.json"));
    let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let case: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{id}: {e}"));
    case["response_body"].clone()
}

/// The resource at `pointer` of a documented response decodes as `T` and serializes back
/// with the documented metadata.
fn documented_metadata_survives<T: DeserializeOwned + Serialize>(id: &str, pointer: &str) {
    let body = docs_case(id);
    let resource = body
        .pointer(pointer)
        .unwrap_or_else(|| panic!("{id}: nothing at {pointer}"));
    let documented = resource
        .get("metadata")
        .unwrap_or_else(|| panic!("{id}{pointer}: no metadata"));
    let decoded: T = serde_json::from_value(resource.clone()).unwrap_or_else(|e| panic!("{id}{pointer}: {e}"));
    assert_eq!(&metadata_of(&decoded), documented, "{id}{pointer}");
}

#[test]
fn every_documented_metadata_survives_decoding() {
    use dwolla::models::{MassPayment, MassPaymentItem, Transfer};
    documented_metadata_survives::<Transfer>("docs-098", "");
    documented_metadata_survives::<Transfer>("docs-101", "/_embedded/transfers/0");
    documented_metadata_survives::<Transfer>("docs-101", "/_embedded/transfers/1");
    documented_metadata_survives::<MassPaymentItem>("docs-081", "/_embedded/items/0");
    documented_metadata_survives::<MassPaymentItem>("docs-081", "/_embedded/items/1");
    documented_metadata_survives::<MassPaymentItem>("docs-083", "");
    documented_metadata_survives::<MassPayment>("docs-011", "/_embedded/mass-payments/0");
    documented_metadata_survives::<MassPayment>("docs-082", "/_embedded/mass-payments/0");
    documented_metadata_survives::<MassPayment>("docs-084", "");
}

/// The field `key` of the resource at `pointer` of a documented response decodes as `T` and
/// serializes back as documented.
fn documented_field_survives<T: DeserializeOwned + Serialize>(id: &str, pointer: &str, key: &str) {
    let body = docs_case(id);
    let resource = body
        .pointer(pointer)
        .unwrap_or_else(|| panic!("{id}: nothing at {pointer}"));
    let decoded: T = serde_json::from_value(resource.clone()).unwrap_or_else(|e| panic!("{id}{pointer}: {e}"));
    let back = serde_json::to_value(&decoded).unwrap_or_else(|e| panic!("{id}{pointer}: {e}"));
    assert_eq!(back.get(key), resource.get(key), "{id}{pointer}: `{key}`");
}

#[test]
fn documented_fields_the_spec_lacked_are_read() {
    use dwolla::models::{Account, BeneficialOwners, MassPaymentItem, Transfer};
    documented_field_survives::<MassPaymentItem>("docs-081", "/_embedded/items/1", "_embedded");
    documented_field_survives::<Transfer>("docs-009", "/_embedded/transfers/0", "individualAchId");
    documented_field_survives::<Account>("docs-191", "", "created");
    documented_field_survives::<BeneficialOwners>("docs-019", "", "total");
}
