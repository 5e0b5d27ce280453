//! The instant-account-verification flow with an exchange session, step by step: an access
//! token, the customer's exchange session with a partner, the session retrieved, and what to
//! do for the partner it belongs to.
//!
//! ```sh
//! cargo run -p dwolla-client --example exchange_session
//! ```
//!
//! Without credentials it starts a local mock server that answers like Dwolla's sandbox and
//! runs offline. With `DWOLLA_CLIENT_ID` and `DWOLLA_CLIENT_SECRET` set it talks to the sandbox
//! (or `DWOLLA_ENVIRONMENT` / `DWOLLA_BASE_URL`), for the customer in `DWOLLA_CUSTOMER_ID` and the
//! partner named in `DWOLLA_EXCHANGE_PARTNER` (`MX` by default).

use dwolla::models::{CreateCustomerExchangeSessionForWeb, ExchangePartnerLinks, ProviderSession};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let (client, customer_id, _mock) = match (env("DWOLLA_CLIENT_ID"), env("DWOLLA_CLIENT_SECRET")) {
        (Some(id), Some(secret)) => {
            let mut builder = dwolla::Client::builder().environment(dwolla::Environment::Sandbox).credentials(id, secret);
            if let Some(e) = env("DWOLLA_ENVIRONMENT") {
                builder = builder.environment(e.parse()?);
            }
            if let Some(url) = env("DWOLLA_BASE_URL") {
                builder = builder.base_url(url);
            }
            let customer = env("DWOLLA_CUSTOMER_ID").ok_or("set DWOLLA_CUSTOMER_ID to a verified customer of your sandbox")?;
            (builder.build()?, customer, None)
        }
        _ => {
            let mock = mock::start().await;
            println!("0. no DWOLLA_CLIENT_ID/DWOLLA_CLIENT_SECRET: using a local mock server at {}", mock.uri());
            let client = dwolla::Client::builder().base_url(mock.uri()).credentials("example-id", "example-secret").build()?;
            (client, mock::CUSTOMER_ID.to_owned(), Some(mock))
        }
    };
    println!("   client: {client:?}");

    // 1. The first call fetches an access token with the client credentials; later calls reuse it.
    let partners = client.exchange_partners().list().await?.into_inner();
    println!("1. access token obtained (client credentials); listed exchange partners");
    let wanted = env("DWOLLA_EXCHANGE_PARTNER").unwrap_or_else(|| "MX".to_owned());
    let partner = partners
        .embedded
        .and_then(|e| e.exchange_partners)
        .into_iter()
        .flatten()
        .find(|p| p.name.as_str().eq_ignore_ascii_case(&wanted))
        .ok_or_else(|| format!("no exchange partner named {wanted}"))?;
    let partner_href = partner
        .links
        .get("self")
        .and_then(|l| l.href.clone())
        .ok_or("the partner has no self link")?;
    println!("2. partner {} ({}), id {}", partner.name, partner.status, partner.id);

    // 3. A web session needs only the partner; one with a redirect URL would be
    //    CreateCustomerExchangeSessionWithRedirect (required for Visa and for Plaid on mobile).
    let created = client
        .customers()
        .exchange_sessions()
        .create(&customer_id, CreateCustomerExchangeSessionForWeb::new(ExchangePartnerLinks::new(partner_href)))
        .await?;
    println!("3. created exchange session {} at {}", created.id, created.location);

    // 4. Retrieve it and act on what the partner needs.
    let session = client.exchange_sessions().get(&created.id).await?.into_inner();
    println!("4. retrieved session created {}, partner id {}", session.created, session.exchange_partner_id());
    match session.provider_session() {
        ProviderSession::Redirect { url, .. } => println!("5. MX or Visa: send the user to {url}"),
        ProviderSession::PlaidLinkToken { token, .. } => println!("5. Plaid: initialize Plaid Link with {token}"),
        ProviderSession::CheckoutCom { id, payment_session_token, .. } => {
            println!("5. Checkout.com: initialize Flow with payment session {id} (token {payment_session_token})")
        }
        ProviderSession::Unknown { .. } => println!("5. a partner this crate does not know yet: {session:?}"),
        _ => println!("5. a newer kind of session: {session:?}"),
    }
    Ok(())
}

/// A local stand-in for Dwolla's sandbox, answering the four requests of the flow.
mod mock {
    use serde_json::json;
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    pub const CUSTOMER_ID: &str = "74a207b2-b7b7-4efa-8bf8-582148e7b980";
    const PARTNER_ID: &str = "2164407f-33c3-4555-a6a1-40d5e9e58744";
    const SESSION_ID: &str = "9b7fb629-0fad-44f4-8c5e-44c25a0bfa8e";

    pub async fn start() -> MockServer {
        let server = MockServer::start().await;
        let base = server.uri();
        let hal = "application/vnd.dwolla.v1.hal+json";
        let link = |href: String, kind: &str| json!({"href": href, "type": hal, "resource-type": kind});
        Mock::given(method("POST"))
            .and(path("/token"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "access_token": "mock-access-token", "token_type": "Bearer", "expires_in": 3600
            })))
            .mount(&server)
            .await;
        let partner = |id: &str, name: &str| {
            json!({
                "_links": {"self": link(format!("{base}/exchange-partners/{id}"), "exchange-partner")},
                "id": id, "name": name, "status": "active", "created": "2022-07-23T00:18:21.419Z"
            })
        };
        Mock::given(method("GET"))
            .and(path("/exchange-partners"))
            .respond_with(ResponseTemplate::new(200).set_body_raw(
                json!({
                    "_links": {"self": link(format!("{base}/exchange-partners"), "exchange-partner")},
                    "_embedded": {"exchange-partners": [
                        partner(PARTNER_ID, "MX"),
                        partner("f53ffb32-c84f-496a-9d9d-acd100d396ef", "Plaid"),
                        partner("d652517d-9c02-4ea4-87af-2977e6cf3850", "Checkout.com"),
                    ]},
                    "total": 3
                })
                .to_string(),
                hal,
            ))
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path(format!("/customers/{CUSTOMER_ID}/exchange-sessions")))
            .respond_with(ResponseTemplate::new(201).insert_header("location", format!("{base}/exchange-sessions/{SESSION_ID}")))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path(format!("/exchange-sessions/{SESSION_ID}")))
            .respond_with(ResponseTemplate::new(200).set_body_raw(
                json!({
                    "created": "2024-03-25T17:13:38.430Z",
                    "_links": {
                        "self": link(format!("{base}/exchange-sessions/{SESSION_ID}"), "exchange-sessions"),
                        "exchange-partner": link(format!("{base}/exchange-partners/{PARTNER_ID}"), "exchange-partner"),
                        "external-provider-session": link("https://int-widgets.moneydesktop.com/md/connect/example".into(), "text/html")
                    }
                })
                .to_string(),
                hal,
            ))
            .mount(&server)
            .await;
        server
    }
}
