//! Onboarding: create a customer, give it a bank account, and read the account back.
//!
//! ```sh
//! cargo run -p dwolla-client --example create_customer_and_funding_source
//! ```
//!
//! Without credentials it runs offline against a local mock server. With `DWOLLA_CLIENT_ID` and
//! `DWOLLA_CLIENT_SECRET` set it uses the sandbox (or `DWOLLA_ENVIRONMENT` / `DWOLLA_BASE_URL`)
//! and Dwolla's sandbox test bank account.

use dwolla::models::{
    CreateCustomerBankFundingSourceWithAccountNumbers, CreateCustomerBankFundingSourceWithAccountNumbersRequired,
    CreateUnverifiedCustomer, CustomerBankAccountType,
};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (client, _mock) = connect().await?;
    let unique = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_millis();

    // 1. An unverified customer: the smallest one Dwolla accepts.
    let customer = client
        .customers()
        .create(CreateUnverifiedCustomer::new("Jane", "Merchant", format!("jane+{unique}@example.com")))
        .await?;
    println!("1. created customer {} ({})", customer.id, customer.location);

    // 2. A bank account by routing and account number. The account number is a secret: it
    //    prints as <redacted>. Each required field is named, so the two numbers cannot swap.
    let bank = CreateCustomerBankFundingSourceWithAccountNumbers::new(CreateCustomerBankFundingSourceWithAccountNumbersRequired {
        routing_number: "222222226".into(),
        account_number: "123456789".into(),
        bank_account_type: CustomerBankAccountType::Checking,
        name: format!("Jane's checking {unique}"),
    });
    println!("2. adding {bank:?}");
    let funding_source = client.customers().funding_sources().create(&customer.id, bank).await?;
    println!("   created funding source {}", funding_source.id);

    // 3. Read it back.
    let read = client.funding_sources().get(&funding_source.id).await?;
    println!(
        "3. funding source {:?}: {:?}, status {:?} (request id {:?})",
        read.name,
        read.bank_account_type,
        read.status,
        read.request_id()
    );
    Ok(())
}

async fn connect() -> Result<(dwolla::Client, Option<wiremock::MockServer>), Box<dyn std::error::Error>> {
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    if let (Some(id), Some(secret)) = (env("DWOLLA_CLIENT_ID"), env("DWOLLA_CLIENT_SECRET")) {
        let mut builder = dwolla::Client::builder().environment(dwolla::Environment::Sandbox).credentials(id, secret);
        if let Some(e) = env("DWOLLA_ENVIRONMENT") {
            builder = builder.environment(e.parse()?);
        }
        if let Some(url) = env("DWOLLA_BASE_URL") {
            builder = builder.base_url(url);
        }
        return Ok((builder.build()?, None));
    }
    use serde_json::json;
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let server = MockServer::start().await;
    let base = server.uri();
    println!("0. no DWOLLA_CLIENT_ID/DWOLLA_CLIENT_SECRET: using a local mock server at {base}");
    Mock::given(method("POST"))
        .and(path("/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"access_token": "mock", "token_type": "Bearer", "expires_in": 3600})))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/customers"))
        .respond_with(ResponseTemplate::new(201).insert_header("location", format!("{base}/customers/fc451a7a-ae30-4404-aB95-e3553fcd733")))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/customers/fc451a7a-ae30-4404-aB95-e3553fcd733/funding-sources"))
        .respond_with(ResponseTemplate::new(201).insert_header("location", format!("{base}/funding-sources/49dbaa24-1580-4b1c-8b58-24e26656fa31")))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/funding-sources/49dbaa24-1580-4b1c-8b58-24e26656fa31"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-request-id", "mock-request-1")
                .set_body_json(json!({
                    "_links": {"self": {"href": format!("{base}/funding-sources/49dbaa24-1580-4b1c-8b58-24e26656fa31")}},
                    "id": "49dbaa24-1580-4b1c-8b58-24e26656fa31", "status": "unverified", "type": "bank",
                    "bankAccountType": "checking", "name": "Jane's checking", "created": "2022-07-23T00:18:21.419Z",
                    "removed": false, "channels": ["ach"], "bankName": "SANDBOX TEST BANK"
                })),
        )
        .mount(&server)
        .await;
    let client = dwolla::Client::builder().base_url(&base).credentials("example-id", "example-secret").build()?;
    Ok((client, Some(server)))
}
