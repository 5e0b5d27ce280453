//! With every `tracing` event captured at TRACE (and `log` records bridged in), a token flow, a
//! customer creation with an SSN, a webhook verification and an API error leave no client
//! secret, access token, webhook secret or SSN in the logs, in any `Debug` output or in any
//! error's `Display`.

use std::io::Write;
use std::sync::{Arc, Mutex};

use dwolla::models::{CreateVerifiedPersonalCustomer, CreateVerifiedPersonalCustomerRequired, consts};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const CLIENT_SECRET: &str = "client-secret-Zq93kd";
const ACCESS_TOKEN: &str = "access-token-Hf72Lm";
const WEBHOOK_SECRET: &str = "webhook-secret-Pw41Xc";
const SSN: &str = "123-45-6789";

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if let Ok(mut v) = self.0.lock() {
            v.extend_from_slice(buf);
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn no_secret_reaches_logs_debug_or_errors() {
    let logs = Captured::default();
    let sink = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || sink.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let _ = tracing_log::LogTracer::init();

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"access_token": ACCESS_TOKEN, "token_type": "Bearer", "expires_in": 3600})),
        )
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/customers"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "code": "ValidationError", "message": "Validation error(s) present. See embedded errors list for more details.",
            "_embedded": {"errors": [{"code": "Invalid", "message": "Invalid parameter.", "path": "/ssn"}]}
        })))
        .mount(&server)
        .await;
    let client = dwolla::Client::builder()
        .base_url(server.uri())
        .credentials("client-id", CLIENT_SECRET)
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    tracing::info!("client built: {client:?}");

    // A customer with an SSN, refused by the API: the token flow runs first.
    let customer = CreateVerifiedPersonalCustomer::new(CreateVerifiedPersonalCustomerRequired {
        first_name: "Jane".into(),
        last_name: "Doe".into(),
        email: "jane@example.com".into(),
        address1: "1 Main St".into(),
        city: "Des Moines".into(),
        state: "IA".into(),
        postal_code: "50309".into(),
        ssn: SSN.into(),
        date_of_birth: dwolla::chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default(),
    });
    let request = client.customers().create(customer.clone());
    let request_debug = format!("{request:?}");
    let err = request.await.expect_err("the mock refuses it");
    tracing::error!("{err}");
    tracing::error!("{err:?}");

    // The token itself, as the token operation returns it.
    let token = client
        .tokens()
        .create(dwolla::models::CreateApplicationAccessTokenRequest::new())
        .await
        .unwrap_or_else(|e| panic!("{e}"));

    // A webhook, verified and then tampered with.
    let secret = dwolla::webhooks::WebhookSecret::new(WEBHOOK_SECRET).unwrap_or_else(|e| panic!("{e}"));
    let body =
        br#"{"id":"e1","topic":"customer_created","resourceId":"c1","timestamp":"2024-01-01T00:00:00Z","_links":{}}"#;
    let signature = dwolla::webhooks::sign(&secret, body);
    let event = dwolla::webhooks::verify_and_parse(&secret, Some(&signature), body).unwrap_or_else(|e| panic!("{e}"));
    let bad = dwolla::webhooks::verify_and_parse(&secret, Some(&signature), b"{}").expect_err("tampered");
    tracing::warn!("{bad} {bad:?} {event:?}");

    let shown = [
        String::from_utf8_lossy(&logs.0.lock().map(|v| v.clone()).unwrap_or_default()).into_owned(),
        format!("{client:?}"),
        format!("{customer:?}"),
        request_debug,
        format!("{err} {err:?}"),
        format!("{token:?}"),
        format!("{secret:?}"),
        format!("{bad} {bad:?}"),
        format!("{:?}", consts::Personal),
    ]
    .join("\n");
    let lines = shown.lines().count();
    println!("checked {lines} lines of logs and Debug/Display output");
    assert!(lines > 20, "the subscriber captured the client's events:\n{shown}");
    assert!(
        shown.contains("retrieve") || shown.contains("createCustomer"),
        "{shown}"
    );
    for secret in [CLIENT_SECRET, ACCESS_TOKEN, WEBHOOK_SECRET, SSN] {
        assert!(!shown.contains(secret), "`{secret}` leaked:\n{shown}");
    }
    assert_eq!(
        token.access_token, ACCESS_TOKEN,
        "the value is still usable by the caller"
    );
}
