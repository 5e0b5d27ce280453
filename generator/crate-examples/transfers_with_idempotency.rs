//! Moving money once: a transfer whose first attempts fail is retried under one
//! `Idempotency-Key`, and sending the same key again returns the original transfer instead of
//! a second one.
//!
//! ```sh
//! cargo run -p dwolla-client --example transfers_with_idempotency
//! ```
//!
//! Offline it runs against a local mock server that fails the first attempt with `503`. With
//! `DWOLLA_CLIENT_ID`/`DWOLLA_CLIENT_SECRET` it uses the sandbox, between the funding sources in
//! `DWOLLA_SOURCE_FUNDING_SOURCE` and `DWOLLA_DESTINATION_FUNDING_SOURCE` (their URLs).

use dwolla::models::{InitiateTransferRequest, TransferAmount, TransferLinks};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let (client, source, destination, mock) = match (env("DWOLLA_CLIENT_ID"), env("DWOLLA_CLIENT_SECRET")) {
        (Some(id), Some(secret)) => {
            let mut builder = dwolla::Client::builder().environment(dwolla::Environment::Sandbox).credentials(id, secret);
            if let Some(url) = env("DWOLLA_BASE_URL") {
                builder = builder.base_url(url);
            }
            let source = env("DWOLLA_SOURCE_FUNDING_SOURCE").ok_or("set DWOLLA_SOURCE_FUNDING_SOURCE to a funding source URL")?;
            let destination = env("DWOLLA_DESTINATION_FUNDING_SOURCE").ok_or("set DWOLLA_DESTINATION_FUNDING_SOURCE")?;
            (builder.build()?, source, destination, None)
        }
        _ => {
            let mock = mock::start().await;
            println!("0. no credentials: a local mock server at {} that fails the first attempt with 503", mock.uri());
            let client = dwolla::Client::builder()
                .base_url(mock.uri())
                .credentials("example-id", "example-secret")
                .retry(dwolla::RetryPolicy::default().initial_backoff(std::time::Duration::from_millis(200)))
                .build()?;
            let source = format!("{}/funding-sources/5cfcdc41-10f6-4a45-b11d-7ac89893d985", mock.uri());
            let destination = format!("{}/funding-sources/c2eb3f03-1b0e-4d18-a4a2-e552cc111418", mock.uri());
            (client, source, destination, Some(mock))
        }
    };

    // The key names this payment in your own system: an order id, say.
    let key = format!("order-{}", std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_millis());
    let transfer = InitiateTransferRequest::new(TransferLinks::new(source.as_str(), destination.as_str()), TransferAmount::new("10.00", "USD"));

    let first = client.transfers().create(transfer.clone()).idempotency_key(&key).await?;
    println!("1. transfer {} created under Idempotency-Key {key}", first.id);
    let again = client.transfers().create(transfer).idempotency_key(&key).await?;
    println!("2. the same request again: transfer {} (the original, not a second one)", again.id);

    if let Some(mock) = mock {
        let sent = mock.received_requests().await.ok_or("the mock records no requests")?;
        let posts: Vec<_> = sent.iter().filter(|r| r.url.path() == "/transfers").collect();
        let keys: Vec<_> = posts.iter().filter_map(|r| r.headers.get("idempotency-key")).collect();
        println!("3. the mock saw {} POST /transfers, with keys {keys:?}", posts.len());
    }
    Ok(())
}

mod mock {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    pub async fn start() -> MockServer {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/token"))
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
                "access_token": "mock", "token_type": "Bearer", "expires_in": 3600
            })))
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path("/transfers"))
            .respond_with(ResponseTemplate::new(503))
            .up_to_n_times(1)
            .with_priority(1)
            .mount(&server)
            .await;
        // Dwolla answers a replayed key with the original transfer's location.
        Mock::given(method("POST"))
            .and(path("/transfers"))
            .respond_with(ResponseTemplate::new(201).insert_header("location", format!("{}/transfers/15c6bcce-46f7-e811-8112-e8dd3bececa8", server.uri())))
            .mount(&server)
            .await;
        server
    }
}
