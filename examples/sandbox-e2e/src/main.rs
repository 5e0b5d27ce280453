//! A payouts service's end-to-end flow, tested offline against `dwolla::test_util::Sandbox`
//! from the packaged crate: customers (one in `retry` by its magic name), an exchange session
//! with each partner, funding sources, transfers processed and failed by simulations, the
//! webhooks received and verified, and a paged transfer list. Its output is the flow's log.

use std::sync::{Arc, Mutex};

use dwolla::models::{
    CreateCustomerExchangeSessionForWeb, ExchangePartnerLinks, InitiateTransferRequest, Link, ProviderSession,
    TransferAmount, TransferLinks,
};
use dwolla::test_util::Sandbox;
use dwolla::webhooks::{SIGNATURE_HEADER, WebhookSecret, verify};
use futures::StreamExt;

const SECRET: &str = "payouts-webhook-secret";

async fn pay(client: &dwolla::Client, source: &str, destination: &str, value: &str) -> Result<String, dwolla::Error> {
    let base = "https://api-sandbox.dwolla.com/funding-sources";
    let body = InitiateTransferRequest::new(
        TransferLinks::new(Link::new(format!("{base}/{source}")), Link::new(format!("{base}/{destination}"))),
        TransferAmount::new(value, "USD"),
    );
    Ok(client.transfers().create(body).idempotency_key(format!("payout-{source}-{value}")).await?.id.clone())
}

async fn status(client: &dwolla::Client, transfer: &str) -> Result<String, dwolla::Error> {
    let transfer = client.transfers().get(transfer).await?.into_inner();
    Ok(transfer.status.map(|s| s.to_string()).unwrap_or_else(|| "(none)".into()))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sandbox = Sandbox::builder().seed(7).start().await;
    let client = sandbox.client();

    // Webhooks: one subscription, verified by the crate's own verification.
    let received = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&received);
    let secret = WebhookSecret::new(SECRET)?;
    sandbox.on_webhook(move |w| {
        let signature = w.headers.get(SIGNATURE_HEADER).and_then(|v| v.to_str().ok());
        let verified = verify(&secret, signature, &w.body).is_ok();
        let topic = w.headers.get("x-dwolla-topic").and_then(|v| v.to_str().ok()).unwrap_or("?").to_owned();
        sink.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push((topic, verified));
        if verified { 200 } else { 401 }
    });
    let subscription = dwolla::models::CreateWebhookSubscriptionRequest::new("http://127.0.0.1:9/webhooks", SECRET);
    client.webhook_subscriptions().create(subscription).await?;

    // Customers: a verified one, one in `retry` by its magic name.
    let alice = sandbox.add_customer("personal", "Alice");
    let retry = sandbox.add_customer("personal", "retry");
    let bob = sandbox.add_customer("personal", "Bob");
    for id in [&alice, &retry] {
        let customer = client.customers().get(id).await?.into_inner();
        println!("customer {id}: {}", customer.status());
    }

    // An exchange session with each partner.
    let mut partners = client.exchange_partners().list().stream();
    while let Some(partner) = partners.next().await {
        let partner = partner?;
        let Some(href) = partner.links["self"].href.clone() else { continue };
        let session = CreateCustomerExchangeSessionForWeb::new(ExchangePartnerLinks::new(href));
        let created = client.customers().exchange_sessions().create(&alice, session).await?;
        let session = client.exchange_sessions().get(&created.id).await?.into_inner();
        let what = match session.provider_session() {
            ProviderSession::Redirect { url, .. } => format!("redirect to {url}"),
            ProviderSession::PlaidLinkToken { token, .. } => format!("Plaid Link token {token}"),
            ProviderSession::CheckoutCom { id, .. } => format!("Checkout.com payment session {id}"),
            other => format!("{other:?}"),
        };
        println!("exchange session with {:?}: {what}", partner.name);
    }

    // Funding sources: Alice's verified through an exchange, Bob's by account number, and one
    // of Bob's named R03 (which fails the credit to it).
    let source = sandbox.add_bank(&alice, "Alice checking", true);
    let destination = sandbox.add_bank(&bob, "Bob savings", false);
    let r03 = sandbox.add_bank(&bob, "R03", false);

    // Transfers, processed one side per simulation.
    let paid = pay(&client, &source, &destination, "25.00").await?;
    let failing = pay(&client, &source, &r03, "5.00").await?;
    for round in 1..=2 {
        println!("before simulation {round}: {paid} {}, {failing} {}", status(&client, &paid).await?, status(&client, &failing).await?);
        let total = match client.sandbox_simulations().simulate().await?.into_inner() {
            dwolla::api::sandbox_simulations::SimulateBankTransferProcessingOutcome::Ok(
                dwolla::models::SimulateBankTransferProcessingResponse::BankProcessing(r),
            ) => r.total.to_string(),
            other => format!("{other:?}"),
        };
        println!("simulation {round}: {total} transfers moved on");
    }
    println!("transfer {paid}: {}", status(&client, &paid).await?);
    println!("transfer {failing}: {}", status(&client, &failing).await?);
    let reason = client.transfers().failure().get(&failing).await?.into_inner();
    println!("failure of {failing}: {:?} ({:?})", reason.code, reason.description);

    // A paged list of Alice's transfers, two per page.
    for i in 0..3 {
        pay(&client, &source, &destination, &format!("1.0{i}")).await?;
    }
    let mut transfers = client.customers().transfers().list(&alice).limit(2).stream();
    let mut listed = 0;
    while let Some(transfer) = transfers.next().await {
        let transfer = transfer?;
        listed += 1;
        let amount = transfer.amount.as_ref().map(|a| a.value.clone());
        println!("  listed transfer {:?} {amount:?} {:?}", transfer.id, transfer.status);
    }
    println!("{listed} transfers listed, total {:?}", transfers.total());

    // The webhooks.
    sandbox.deliver_webhooks().await;
    let received = received.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let verified = received.iter().filter(|(_, ok)| *ok).count();
    println!("{} webhooks received, {verified} verified:", received.len());
    for (topic, ok) in received.iter() {
        println!("  {topic} (signature {})", if *ok { "ok" } else { "BAD" });
    }
    Ok(())
}
