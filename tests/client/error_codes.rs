//! Dwolla's error bodies are told apart by their `code`. A `400` to a funding-source create is
//! one of several bodies of the same shape (`code`, `message`); which one it is, is what the
//! `code` says, not which shape decodes first. The body's `_links` (the `about` link of a
//! duplicate names the resource that already exists) and the typed code are read with it.

use client_tests::{client, server_answering};
use dwolla::ApiErrorBody;
use dwolla::api::ErrorCode;
use dwolla::models::{CreateCustomerFundingSourceBody, CreateCustomerFundingSourceBadRequest};
use serde_json::{Value, json};
use wiremock::ResponseTemplate;

const CUSTOMER: &str = "AB443D36-3757-44C1-A1B4-29727FB3111C";
const EXISTING: &str = "https://api-sandbox.dwolla.com/funding-sources/b268f6b9-db3b-4ecc-83a2-8823a53ec8b7";

fn bank_account() -> CreateCustomerFundingSourceBody {
    serde_json::from_value(json!({
        "routingNumber": "222222226",
        "accountNumber": "123456789",
        "bankAccountType": "checking",
        "name": "Jane's checking",
    }))
    .unwrap_or_else(|e| panic!("the request body: {e}"))
}

/// The API error of a funding-source create that Dwolla answers with `400` and `body`.
async fn create_answered_with(body: Value) -> dwolla::ApiError {
    let server = server_answering(
        "POST",
        &format!("/customers/{CUSTOMER}/funding-sources"),
        ResponseTemplate::new(400).set_body_json(body),
    )
    .await;
    let result = client(&server)
        .customers()
        .funding_sources()
        .create(CUSTOMER, bank_account())
        .await;
    match result {
        Err(dwolla::Error::Api(api)) => *api,
        other => panic!("expected an API error, got {other:?}"),
    }
}

fn duplicate_resource() -> Value {
    json!({
        "code": "DuplicateResource",
        "message": "Bank already exists: id=b268f6b9-db3b-4ecc-83a2-8823a53ec8b7",
        "_links": {"about": {"href": EXISTING, "type": "application/vnd.dwolla.v1.hal+json", "resource-type": "funding-source"}},
    })
}

#[tokio::test]
async fn a_duplicate_resource_answer_is_not_read_as_an_inactive_exchange() {
    let api = create_answered_with(duplicate_resource()).await;
    assert_eq!(api.code.as_deref(), Some("DuplicateResource"));
    assert!(
        !matches!(
            api.body,
            Some(ApiErrorBody::CreateCustomerFundingSourceBadRequest(
                CreateCustomerFundingSourceBadRequest::InactiveExchange(_)
            ))
        ),
        "a DuplicateResource body chosen by its shape: {:?}",
        api.body
    );
}

#[tokio::test]
async fn an_inactive_exchange_answer_still_decodes_as_inactive_exchange() {
    let api =
        create_answered_with(json!({"code": "InactiveExchange", "message": "The Exchange was removed or disabled."}))
            .await;
    assert!(
        matches!(
            api.body,
            Some(ApiErrorBody::CreateCustomerFundingSourceBadRequest(
                CreateCustomerFundingSourceBadRequest::InactiveExchange(_)
            ))
        ),
        "{:?} ({:?})",
        api.body,
        api.body_error
    );
}

#[tokio::test]
async fn a_code_the_spec_does_not_declare_for_the_status_says_so() {
    let api = create_answered_with(duplicate_resource()).await;
    assert!(api.body.is_none(), "{:?}", api.body);
    let why = api.body_error.map(|m| m.message).unwrap_or_default();
    assert!(
        why.contains(r#"code "DuplicateResource" is not one the spec declares for this status"#),
        "{why}"
    );
}

#[tokio::test]
async fn the_about_link_of_a_duplicate_names_the_existing_resource() {
    let api = create_answered_with(duplicate_resource()).await;
    assert_eq!(api.link("about"), Some(EXISTING));
    assert_eq!(api.link("self"), None);
}

#[tokio::test]
async fn the_typed_code_of_a_duplicate_is_duplicate_resource() {
    let api = create_answered_with(duplicate_resource()).await;
    assert_eq!(api.kind(), Some(ErrorCode::DuplicateResource));
    assert_eq!(
        ErrorCode::from_code("SomethingNew"),
        ErrorCode::Unknown("SomethingNew".into())
    );
    assert_eq!(
        ErrorCode::from_code("not_found"),
        ErrorCode::NotFound,
        "the spec spells it both ways"
    );
    assert_eq!(ErrorCode::DuplicateResource.as_str(), "DuplicateResource");
}

#[tokio::test]
async fn bodies_of_one_shape_are_told_apart_by_their_code() {
    let api =
        create_answered_with(json!({"code": "InvalidExchangeToken", "message": "The exchange token is invalid."}))
            .await;
    assert!(
        matches!(
            api.body,
            Some(ApiErrorBody::CreateCustomerFundingSourceBadRequest(
                CreateCustomerFundingSourceBadRequest::InvalidExchangeToken(_)
            ))
        ),
        "{:?} ({:?})",
        api.body,
        api.body_error
    );
}

#[tokio::test]
async fn the_links_of_each_embedded_error_are_read_and_their_debug_hides_queries() {
    let api = create_answered_with(json!({
        "code": "ValidationError",
        "message": "Validation error(s) present. See embedded errors list for more details.",
        "_embedded": {"errors": [{
            "code": "Duplicate",
            "message": "A bank with this account already exists.",
            "path": "",
            "_links": {"about": {"href": format!("{EXISTING}?token=s3cret")}},
        }]},
    }))
    .await;
    let detail = api
        .errors
        .first()
        .unwrap_or_else(|| panic!("no embedded error: {api:?}"));
    assert_eq!(
        detail.links.get("about").map(String::as_str),
        Some(format!("{EXISTING}?token=s3cret").as_str())
    );
    // (The typed body is the spec's model, whose `Debug` shows what the server sent.)
    let shown = format!("{detail:?}");
    assert!(!shown.contains("s3cret") && shown.contains(EXISTING), "{shown}");
}
