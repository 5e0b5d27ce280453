//! The Sandbox's webhooks: subscriptions receive the events Dwolla would send, signed so that
//! the crate's own verification accepts them, delivered to a handler or a loopback URL, and
//! retried on Dwolla's schedule (8 retries over 72 hours) on the Sandbox's clock.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use dwolla::test_util::sandbox::{RETRY_SCHEDULE, WebhookRequest};
use dwolla::test_util::Sandbox;
use dwolla::webhooks::{SIGNATURE_HEADER, WebhookSecret, verify};
use serde_json::{Value, json};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const SECRET: &str = "a-webhook-secret";

async fn post(sandbox: &Sandbox, path: &str, body: Value) -> String {
    let url = if path.starts_with("http") { path.to_owned() } else { format!("{}{path}", sandbox.uri()) };
    let response = reqwest::Client::new().post(url).header("content-type", "application/json").body(body.to_string()).send().await.unwrap();
    assert!(response.status().is_success(), "POST {path}: {}", response.status());
    response.headers().get("location").map(|l| l.to_str().unwrap().to_owned()).unwrap_or_default()
}

async fn subscribe(sandbox: &Sandbox, url: &str) -> String {
    post(sandbox, "/webhook-subscriptions", json!({"url": url, "secret": SECRET})).await
}

/// Collects every webhook the handler receives, answering `status`.
fn collect(sandbox: &Sandbox, status: u16) -> Arc<Mutex<Vec<WebhookRequest>>> {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&seen);
    sandbox.on_webhook(move |w| {
        sink.lock().unwrap().push(w.clone());
        status
    });
    seen
}

fn topics(seen: &Mutex<Vec<WebhookRequest>>) -> Vec<String> {
    seen.lock().unwrap().iter().map(|w| w.headers["x-dwolla-topic"].to_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn webhooks_are_signed_so_that_the_crates_verification_accepts_them() {
    let sandbox = Sandbox::start().await;
    subscribe(&sandbox, "http://127.0.0.1:9/hooks").await;
    let seen = collect(&sandbox, 200);
    let body = json!({"firstName": "Jane", "lastName": "Doe", "email": "j@example.com", "type": "personal"});
    let customer = post(&sandbox, "/customers", body).await;
    assert_eq!(sandbox.deliver_webhooks().await, 2);
    assert_eq!(topics(&seen), ["customer_created", "customer_verified"]);
    let secret = WebhookSecret::new(SECRET).unwrap();
    for webhook in seen.lock().unwrap().iter() {
        let signature = webhook.headers[SIGNATURE_HEADER].to_str().unwrap();
        verify(&secret, Some(signature), &webhook.body).unwrap();
        let event: Value = serde_json::from_slice(&webhook.body).unwrap();
        assert_eq!(event["_links"]["customer"]["href"], customer.as_str());
        assert_eq!(event["_links"]["resource"]["href"], customer.as_str());
    }
    assert_eq!(sandbox.deliver_webhooks().await, 0, "an acknowledged webhook is not sent again");
    let wrong = WebhookSecret::new("another-secret").unwrap();
    let first = &seen.lock().unwrap()[0];
    assert!(verify(&wrong, first.headers[SIGNATURE_HEADER].to_str().ok(), &first.body).is_err());
}

#[tokio::test]
async fn an_unacknowledged_webhook_is_retried_eight_times_over_72_hours() {
    let sandbox = Sandbox::start().await;
    subscribe(&sandbox, "http://127.0.0.1:9/hooks").await;
    let seen = collect(&sandbox, 500);
    post(&sandbox, "/customers", json!({"firstName": "A", "lastName": "B", "email": "a@example.com"})).await;
    assert_eq!(sandbox.deliver_webhooks().await, 1, "customer_created, at once");
    let mut elapsed = Duration::ZERO;
    for (retry, at) in RETRY_SCHEDULE.iter().enumerate() {
        sandbox.advance(at.saturating_sub(elapsed).saturating_sub(Duration::from_secs(1)));
        assert_eq!(sandbox.deliver_webhooks().await, 0, "retry {} is not due a second early", retry + 1);
        sandbox.advance(Duration::from_secs(1));
        elapsed = *at;
        assert_eq!(sandbox.deliver_webhooks().await, 1, "retry {} at {at:?}", retry + 1);
    }
    sandbox.advance(Duration::from_secs(7 * 24 * 3600));
    assert_eq!(sandbox.deliver_webhooks().await, 0, "no ninth retry");
    assert_eq!(seen.lock().unwrap().len(), 9);
}

#[tokio::test]
async fn a_loopback_url_receives_the_webhooks_of_a_transfer_flow() {
    let receiver = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(200)).mount(&receiver).await;
    let sandbox = Sandbox::start().await;
    subscribe(&sandbox, &format!("{}/hooks", receiver.uri())).await;
    let personal = |name: &str| json!({"firstName": name, "lastName": "Doe", "email": "x@example.com", "type": "personal"});
    let alice = post(&sandbox, "/customers", personal("Alice")).await;
    let bob = post(&sandbox, "/customers", personal("Bob")).await;
    let partners = reqwest::get(format!("{}/exchange-partners", sandbox.uri())).await.unwrap().bytes().await.unwrap();
    let partners: Value = serde_json::from_slice(&partners).unwrap();
    let plaid = partners["_embedded"]["exchange-partners"][1]["_links"]["self"]["href"].as_str().unwrap().to_owned();
    let exchange = post(&sandbox, &format!("{alice}/exchanges"), json!({"_links": {"exchange-partner": {"href": plaid}}, "token": "t"})).await;
    let source = post(&sandbox, &format!("{alice}/funding-sources"), json!({"name": "A", "bankAccountType": "checking", "_links": {"exchange": {"href": exchange}}})).await;
    let destination = post(&sandbox, &format!("{bob}/funding-sources"), json!({"name": "B", "bankAccountType": "checking", "routingNumber": "222222226", "accountNumber": "1234"})).await;
    let transfer = json!({"_links": {"source": {"href": source}, "destination": {"href": destination}}, "amount": {"value": "5.00", "currency": "USD"}});
    post(&sandbox, "/transfers", transfer).await;
    post(&sandbox, "/sandbox-simulations", json!({})).await;
    post(&sandbox, "/sandbox-simulations", json!({})).await;
    sandbox.deliver_webhooks().await;
    let received: Vec<String> = receiver
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.headers["x-dwolla-topic"].to_str().unwrap().to_owned())
        .filter(|t| t.contains("transfer"))
        .collect();
    assert_eq!(received, ["customer_transfer_created", "customer_transfer_created", "customer_transfer_completed", "customer_transfer_completed"]);
}

#[tokio::test]
async fn a_url_off_loopback_is_never_contacted_and_counts_as_a_failure() {
    let sandbox = Sandbox::start().await;
    subscribe(&sandbox, "https://example.com/hooks").await;
    post(&sandbox, "/customers", json!({"firstName": "A", "lastName": "B", "email": "a@example.com"})).await;
    assert_eq!(sandbox.deliver_webhooks().await, 1);
    sandbox.advance(RETRY_SCHEDULE[0]);
    assert_eq!(sandbox.deliver_webhooks().await, 1, "retried as a failure");
}

#[tokio::test]
async fn subscriptions_and_events_are_listed_from_the_sandbox() {
    let sandbox = Sandbox::start().await;
    let subscription = subscribe(&sandbox, "http://127.0.0.1:9/hooks").await;
    post(&sandbox, "/customers", json!({"firstName": "A", "lastName": "B", "email": "a@example.com"})).await;
    let list = |path: &'static str| {
        let url = format!("{}{path}", sandbox.uri());
        async move { serde_json::from_slice::<Value>(&reqwest::get(url).await.unwrap().bytes().await.unwrap()).unwrap() }
    };
    let subscriptions = list("/webhook-subscriptions").await;
    assert_eq!(subscriptions["_embedded"]["webhook-subscriptions"][0]["_links"]["self"]["href"], subscription.as_str());
    let events = list("/events").await;
    assert_eq!(events["_embedded"]["events"][0]["topic"], "customer_created");
    let classifications = list("/business-classifications").await;
    assert!(classifications["_embedded"]["business-classifications"].as_array().is_some_and(|c| !c.is_empty()), "reference data: {classifications}");
}
