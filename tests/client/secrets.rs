//! Secrets never show in `Debug` output or error messages: the client secret, access tokens,
//! and the fields the overlay marks secret (SSNs, account numbers, payment session secrets).

use client_tests::{CLIENT_SECRET, client};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn the_client_and_its_credentials_do_not_show_the_secret() {
    let server = MockServer::start().await;
    let client = client(&server);
    let shown = format!("{client:?} {:#?}", dwolla::Credentials::new("id", CLIENT_SECRET));
    println!("{client:?}");
    assert!(!shown.contains(CLIENT_SECRET), "{shown}");
    assert!(shown.contains("<redacted>"), "{shown}");
}

#[tokio::test]
async fn a_token_response_does_not_show_the_token() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "access_token": "secret-access-token-xyz", "token_type": "Bearer", "expires_in": 3600
        })))
        .mount(&server)
        .await;
    let token = client(&server)
        .tokens()
        .create(dwolla::models::CreateApplicationAccessTokenRequest::new())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let shown = format!("{token:?}");
    assert!(!shown.contains("secret-access-token-xyz"), "{shown}");
    assert_eq!(
        token.access_token, "secret-access-token-xyz",
        "the value itself is still there"
    );
}

#[test]
fn marked_fields_are_redacted() {
    let customer: dwolla::models::CreateVerifiedPersonalCustomer = serde_json::from_value(serde_json::json!({
        "firstName": "Jane", "lastName": "Doe", "email": "jane@example.com", "type": "personal",
        "address1": "1 Main St", "city": "Des Moines", "state": "IA", "postalCode": "50309",
        "dateOfBirth": "1970-01-01", "ssn": "123-45-6789"
    }))
    .unwrap_or_else(|e| panic!("{e}"));
    let shown = format!("{customer:?}");
    assert!(!shown.contains("123-45-6789"), "{shown}");
    assert!(shown.contains("ssn: <redacted>"), "{shown}");

    let session: dwolla::models::ExchangeSession = serde_json::from_value(serde_json::json!({
        "created": "2024-03-25T17:13:38.430Z",
        "_links": {
            "self": {"href": "https://api.dwolla.com/exchange-sessions/1", "type": "t", "resource-type": "exchange-sessions"},
            "exchange-partner": {"href": "https://api.dwolla.com/exchange-partners/2", "type": "t", "resource-type": "exchange-partner"}
        },
        "externalProviderSessionData": {"id": "ps_1", "payment_session_secret": "pss_secret_value", "payment_session_token": "tok"}
    }))
    .unwrap_or_else(|e| panic!("{e}"));
    let shown = format!("{session:?} {:?}", session.provider_session());
    assert!(!shown.contains("pss_secret_value"), "{shown}");
}
