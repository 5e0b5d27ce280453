//! A webhook endpoint in axum that verifies Dwolla's signature before reading the event.
//!
//! ```sh
//! cargo run -p dwolla-client --example webhook_receiver
//! ```
//!
//! By default it starts on a free local port, sends itself one correctly signed webhook and one
//! tampered with, prints what the endpoint answered, and exits. With `DWOLLA_WEBHOOK_SECRET` set
//! it keeps serving on `PORT` (8080 by default) for real deliveries from a webhook subscription.

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::{Router, extract::State};
use dwolla::webhooks::{SIGNATURE_HEADER, WebhookError, WebhookSecret, verify_request};

async fn receive(State(secret): State<WebhookSecret>, headers: HeaderMap, body: Bytes) -> StatusCode {
    match verify_request(&secret, &headers, &body) {
        Ok(event) => {
            println!("   verified event {:?}: {:?} for resource {:?}", event.id, event.topic, event.resource_id);
            StatusCode::OK
        }
        Err(e @ WebhookError::MalformedBody { .. }) => {
            println!("   rejected: {e}");
            StatusCode::BAD_REQUEST
        }
        Err(e) => {
            println!("   rejected: {e}");
            StatusCode::UNAUTHORIZED
        }
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // A configured secret serves real deliveries; without one, the demo signs its own webhooks
    // with a random secret made for this run. No secret is ever defaulted: `WebhookSecret::new`
    // refuses an empty one, which would accept events signed by anyone.
    let configured = std::env::var("DWOLLA_WEBHOOK_SECRET").ok();
    let secret = match &configured {
        Some(value) => WebhookSecret::new(value.as_str())?,
        None => WebhookSecret::new(format!("demo-{:016x}{:016x}", fastrand::u64(..), fastrand::u64(..)))?,
    };
    let app = Router::new().route("/dwolla/webhooks", post(receive)).with_state(secret.clone());

    if configured.is_some() {
        let port = std::env::var("PORT").ok().and_then(|p| p.parse::<u16>().ok()).unwrap_or(8080);
        let listener = tokio::net::TcpListener::bind(("0.0.0.0", port)).await?;
        println!("listening for Dwolla webhooks on port {port} at /dwolla/webhooks");
        axum::serve(listener, app).await?;
        return Ok(());
    }

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/dwolla/webhooks", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, app).await });
    println!("1. endpoint at {url}");

    let body = br#"{"_links":{"resource":{"href":"https://api-sandbox.dwolla.com/transfers/d76265cd"}},"id":"80d8ec3d-4e4b-4ff2-a0a8-2bd2f6d1c7d5","resourceId":"d76265cd","topic":"customer_transfer_completed","timestamp":"2024-05-01T12:00:00.000Z","created":"2024-05-01T12:00:00.000Z"}"#;
    let http = dwolla::reqwest::Client::new();
    let post = |body: &'static [u8], signature: String| {
        http.post(&url).header(SIGNATURE_HEADER, signature).header("content-type", "application/json").body(body).send()
    };

    println!("2. a webhook signed with the subscription's secret:");
    let status = post(body, dwolla::webhooks::sign(&secret, body)).await?.status();
    println!("   endpoint answered {status}");

    println!("3. the same signature over a body changed in transit:");
    let tampered: &'static [u8] = br#"{"id":"80d8ec3d","resourceId":"d76265cd","topic":"customer_transfer_failed"}"#;
    let status = post(tampered, dwolla::webhooks::sign(&secret, body)).await?.status();
    println!("   endpoint answered {status}");
    Ok(())
}
