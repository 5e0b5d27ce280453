//! The Sandbox (`dwolla::test_util::Sandbox`) through the client: resources persist and link,
//! lists page, and Dwolla's Sandbox behaviour (verification from magic names, exchange sessions
//! per partner, transfers processed and failed by simulations, micro-deposits, idempotency,
//! validation, rate limits) holds.

use dwolla::models::{
    CreateCustomerExchangeSessionForWeb, CreateUnverifiedCustomer, ExchangePartnerLinks, ProviderSession,
};
use dwolla::test_util::{MockAnswer, Sandbox, op};
use futures::StreamExt;
use serde_json::{Value, json};

/// A raw request to the Sandbox: its status, `Location` and JSON body.
async fn call(sandbox: &Sandbox, method: &str, path: &str, body: Option<Value>, key: Option<&str>) -> (u16, Option<String>, Value) {
    let url = if path.starts_with("http") { path.to_owned() } else { format!("{}{path}", sandbox.uri()) };
    let mut request = reqwest::Client::new().request(method.parse().unwrap(), url);
    if let Some(body) = body {
        request = request.header("content-type", "application/json").body(body.to_string());
    }
    if let Some(key) = key {
        request = request.header("idempotency-key", key);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let location = response.headers().get("location").map(|l| l.to_str().unwrap().to_owned());
    let bytes = response.bytes().await.unwrap();
    (status, location, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

async fn post(sandbox: &Sandbox, path: &str, body: Value) -> (u16, Option<String>, Value) {
    call(sandbox, "POST", path, Some(body), None).await
}

async fn get(sandbox: &Sandbox, path: &str) -> Value {
    let (status, _, body) = call(sandbox, "GET", path, None, None).await;
    assert_eq!(status, 200, "GET {path}: {body}");
    body
}

/// Creates and answers the new resource's URL.
async fn create(sandbox: &Sandbox, path: &str, body: Value) -> String {
    let (status, location, answer) = post(sandbox, path, body).await;
    assert_eq!(status, 201, "POST {path}: {answer}");
    location.unwrap()
}

/// A verified personal customer whose first name is `first_name`.
async fn personal(sandbox: &Sandbox, first_name: &str) -> String {
    let body = json!({
        "firstName": first_name, "lastName": "Doe", "email": format!("{first_name}@example.com"), "type": "personal",
        "address1": "1 Main St", "city": "Des Moines", "state": "IA", "postalCode": "50309",
        "dateOfBirth": "1980-01-01", "ssn": "1234",
    });
    create(sandbox, "/customers", body).await
}

/// A bank funding source of `customer` named `name`, verified through an exchange when
/// `verified`.
async fn bank(sandbox: &Sandbox, customer: &str, name: &str, verified: bool) -> String {
    let mut body = json!({"name": name, "bankAccountType": "checking", "routingNumber": "222222226", "accountNumber": "123456789"});
    if verified {
        let plaid = partner(sandbox, "Plaid").await;
        let exchange = create(sandbox, &format!("{customer}/exchanges"), json!({"_links": {"exchange-partner": {"href": plaid}}, "token": "t"})).await;
        body = json!({"name": name, "bankAccountType": "checking", "_links": {"exchange": {"href": exchange}}});
    }
    create(sandbox, &format!("{customer}/funding-sources"), body).await
}

/// The URL of the exchange partner of that name.
async fn partner(sandbox: &Sandbox, name: &str) -> String {
    let partners = get(sandbox, "/exchange-partners").await;
    let found = partners["_embedded"]["exchange-partners"].as_array().unwrap().iter().find(|p| p["name"] == name).unwrap();
    found["_links"]["self"]["href"].as_str().unwrap().to_owned()
}

async fn transfer(sandbox: &Sandbox, source: &str, destination: &str, value: &str) -> String {
    let body = json!({"_links": {"source": {"href": source}, "destination": {"href": destination}}, "amount": {"currency": "USD", "value": value}});
    create(sandbox, "/transfers", body).await
}

async fn simulate(sandbox: &Sandbox) -> Value {
    let (status, _, body) = post(sandbox, "/sandbox-simulations", json!({})).await;
    assert_eq!(status, 200);
    body
}

#[tokio::test]
async fn a_created_customer_is_read_back_from_its_location_on_the_sandbox() {
    let sandbox = Sandbox::start().await;
    let client = sandbox.client();
    let customer = client
        .customers()
        .create(CreateUnverifiedCustomer::new("John", "Doe", "john@example.com"))
        .fetch_created()
        .await
        .unwrap()
        .into_inner();
    assert_eq!((customer.status(), customer.id()), ("unverified", "00000000-0000-4000-8000-000000000006"));
    let again = client.customers().get(customer.id()).await.unwrap().into_inner();
    assert_eq!(again, customer);
    let missing = client.customers().get("no-such-customer").await.unwrap_err();
    assert!(matches!(&missing, dwolla::Error::Api(e) if e.status == 404), "{missing:?}");
}

#[tokio::test]
async fn a_list_pages_with_limit_offset_next_and_total() {
    let sandbox = Sandbox::start().await;
    let client = sandbox.client();
    for i in 0..23 {
        client.customers().create(CreateUnverifiedCustomer::new("Jo", format!("Doe{i}"), "jo@example.com")).await.unwrap();
    }
    let mut stream = client.customers().list().limit(10).stream();
    let mut seen = Vec::new();
    while let Some(customer) = stream.next().await {
        seen.push(customer.unwrap().id().to_owned());
    }
    assert_eq!((seen.len(), stream.total()), (23, Some(23)));
    seen.dedup();
    assert_eq!(seen.len(), 23, "each customer once");
    let page = get(&sandbox, "/customers?limit=10&offset=20").await;
    assert_eq!((page["total"].clone(), page["_embedded"]["customers"].as_array().unwrap().len()), (json!(23), 3));
    assert!(page["_links"].get("next").is_none());
    let searched = get(&sandbox, "/customers?search=doe2").await;
    assert_eq!(searched["total"], 4, "Doe2 and Doe20 to Doe22");
}

#[tokio::test]
async fn links_point_at_real_resources_of_the_sandbox() {
    let sandbox = Sandbox::start().await;
    let alice = personal(&sandbox, "Alice").await;
    let bob = personal(&sandbox, "Bob").await;
    let source = bank(&sandbox, &alice, "Alice's bank", true).await;
    let destination = bank(&sandbox, &bob, "Bob's bank", false).await;
    let transfer = transfer(&sandbox, &source, &destination, "10.00").await;
    let customer = get(&sandbox, &alice).await;
    let sources = get(&sandbox, customer["_links"]["funding-sources"]["href"].as_str().unwrap()).await;
    let hrefs: Vec<&str> = sources["_embedded"]["funding-sources"].as_array().unwrap().iter().map(|f| f["_links"]["self"]["href"].as_str().unwrap()).collect();
    assert!(hrefs.contains(&source.as_str()), "{hrefs:?}");
    let body = get(&sandbox, &transfer).await;
    assert_eq!((body["_links"]["source"]["href"].as_str(), body["_links"]["destination"]["href"].as_str()), (Some(alice.as_str()), Some(bob.as_str())));
    assert_eq!(body["_links"]["destination-funding-source"]["href"], destination.as_str());
    let theirs = get(&sandbox, customer["_links"]["transfers"]["href"].as_str().unwrap()).await;
    assert_eq!(theirs["_embedded"]["transfers"][0]["id"], body["id"]);
}

#[tokio::test]
async fn an_update_changes_a_resource_and_a_remove_deletes_it() {
    let sandbox = Sandbox::start().await;
    let customer = create(&sandbox, "/customers", json!({"firstName": "A", "lastName": "B", "email": "a@example.com"})).await;
    let (status, _, updated) = post(&sandbox, &customer, json!({"email": "new@example.com"})).await;
    assert_eq!((status, updated["email"].as_str()), (200, Some("new@example.com")));
    assert_eq!(get(&sandbox, &customer).await["email"], "new@example.com");
    let subscription = create(&sandbox, "/webhook-subscriptions", json!({"url": "http://127.0.0.1:1/hook", "secret": "s3cret"})).await;
    let stored = get(&sandbox, &subscription).await;
    assert!(stored.get("secret").is_none(), "the secret is not echoed: {stored}");
    let (status, _, _) = call(&sandbox, "DELETE", &subscription, None, None).await;
    assert_eq!(status, 200);
    let (status, _, _) = call(&sandbox, "GET", &subscription, None, None).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn ids_and_timestamps_follow_the_seed_and_the_clock() {
    let start = dwolla::chrono::DateTime::from_timestamp(1_800_000_000, 0).unwrap();
    let sandbox = Sandbox::builder().seed(42).start_time(start).start().await;
    sandbox.advance(std::time::Duration::from_secs(61));
    let customer = create(&sandbox, "/customers", json!({"firstName": "A", "lastName": "B", "email": "a@example.com"})).await;
    let body = get(&sandbox, &customer).await;
    assert_eq!(body["id"], "0000002a-0000-4000-8000-000000000006");
    assert_eq!(body["created"], "2027-01-15T08:01:01.000Z");
}

#[tokio::test]
async fn a_verified_customers_status_follows_its_magic_first_name() {
    let sandbox = Sandbox::start().await;
    let client = sandbox.client();
    for (name, status) in [("retry", "retry"), ("document", "document"), ("kba", "kba"), ("suspended", "suspended"), ("Jane", "verified")] {
        let url = personal(&sandbox, name).await;
        let id = url.rsplit('/').next().unwrap();
        let customer = client.customers().get(id).await.unwrap().into_inner();
        assert_eq!(customer.status(), status, "{name}");
    }
    let retry = get(&sandbox, &personal(&sandbox, "retry").await).await;
    assert!(retry["_links"].get("retry-verification").is_some(), "{retry}");
    let business = json!({"firstName": "A", "lastName": "B", "email": "b@example.com", "type": "business", "businessName": "document", "controller": {"firstName": "Jo"}});
    let body = get(&sandbox, &create(&sandbox, "/customers", business).await).await;
    assert_eq!(body["status"], "document");
    assert!(body["_links"].get("verify-business-with-document").is_some(), "{body}");
}

#[tokio::test]
async fn each_exchange_partner_is_listed_and_its_session_reaches_its_variant() {
    let sandbox = Sandbox::start().await;
    let client = sandbox.client();
    let customer = personal(&sandbox, "Jane").await;
    let customer_id = customer.rsplit('/').next().unwrap().to_owned();
    let mut kinds = Vec::new();
    for name in ["MX", "Plaid", "Checkout.com", "Visa"] {
        let href = partner(&sandbox, name).await;
        let created = client
            .customers()
            .exchange_sessions()
            .create(&customer_id, CreateCustomerExchangeSessionForWeb::new(ExchangePartnerLinks::new(href)))
            .await
            .unwrap();
        let session = client.exchange_sessions().get(&created.id).await.unwrap().into_inner();
        kinds.push(match session.provider_session() {
            ProviderSession::Redirect { url, .. } => format!("redirect {}", url.starts_with("https://")),
            ProviderSession::PlaidLinkToken { token, .. } => format!("plaid {}", token.starts_with("link-sandbox-")),
            ProviderSession::CheckoutCom { .. } => "checkout".to_owned(),
            other => format!("{other:?}"),
        });
    }
    assert_eq!(kinds, ["redirect true", "plaid true", "checkout", "redirect true"]);
    let (status, _, error) = post(&sandbox, &format!("{customer}/exchange-sessions"), json!({"_links": {"exchange-partner": {"href": "http://elsewhere/x"}}})).await;
    assert_eq!((status, error["_embedded"]["errors"][0]["path"].as_str()), (400, Some("/_links/exchange-partner/href")));
}

#[tokio::test]
async fn a_bank_to_bank_transfer_is_processed_one_side_per_simulation() {
    let sandbox = Sandbox::start().await;
    let alice = personal(&sandbox, "Alice").await;
    let bob = personal(&sandbox, "Bob").await;
    let source = bank(&sandbox, &alice, "Alice's bank", true).await;
    let destination = bank(&sandbox, &bob, "Bob's bank", false).await;
    let transfer = transfer(&sandbox, &source, &destination, "10.00").await;
    assert_eq!(get(&sandbox, &transfer).await["status"], "pending");
    assert_eq!(simulate(&sandbox).await["total"], 1);
    assert_eq!(get(&sandbox, &transfer).await["status"], "pending", "the debit side only");
    simulate(&sandbox).await;
    assert_eq!(get(&sandbox, &transfer).await["status"], "processed");
    assert_eq!(simulate(&sandbox).await["total"], 0);
}

#[tokio::test]
async fn r_code_names_fail_transfers_with_their_reason() {
    let sandbox = Sandbox::start().await;
    let alice = personal(&sandbox, "Alice").await;
    let bob = personal(&sandbox, "Bob").await;
    let good = bank(&sandbox, &alice, "Alice's bank", true).await;
    let r01 = bank(&sandbox, &alice, "R01", true).await;
    let r03 = bank(&sandbox, &bob, "R03", false).await;
    let fine = bank(&sandbox, &bob, "Bob's bank", false).await;
    let debit_fails = transfer(&sandbox, &r01, &fine, "1.00").await;
    let credit_fails = transfer(&sandbox, &good, &r03, "2.00").await;
    simulate(&sandbox).await;
    assert_eq!(get(&sandbox, &debit_fails).await["status"], "failed");
    assert_eq!(get(&sandbox, &format!("{debit_fails}/failure")).await["code"], "R01");
    assert_eq!(get(&sandbox, &credit_fails).await["status"], "pending");
    simulate(&sandbox).await;
    assert_eq!(get(&sandbox, &credit_fails).await["status"], "failed");
    assert_eq!(get(&sandbox, &format!("{credit_fails}/failure")).await["code"], "R03");
    assert_eq!(get(&sandbox, &r03).await["removed"], true, "R03 removes the funding source");
}

#[tokio::test]
async fn micro_deposits_below_ten_cents_verify_and_nine_cents_twice_fails() {
    let sandbox = Sandbox::start().await;
    let customer = personal(&sandbox, "Jane").await;
    let first = bank(&sandbox, &customer, "First", false).await;
    let second = bank(&sandbox, &customer, "Second", false).await;
    let amounts = |a: &str, b: &str| json!({"amount1": {"value": a, "currency": "USD"}, "amount2": {"value": b, "currency": "USD"}});
    for source in [&first, &second] {
        create(&sandbox, &format!("{source}/micro-deposits"), json!({})).await;
    }
    assert_eq!(get(&sandbox, &format!("{first}/micro-deposits")).await["status"], "pending");
    let (status, _, _) = post(&sandbox, &format!("{first}/micro-deposits"), amounts("0.03", "0.07")).await;
    assert_eq!((status, get(&sandbox, &first).await["status"].clone()), (200, json!("verified")));
    let (status, _, error) = post(&sandbox, &format!("{second}/micro-deposits"), amounts("0.09", "0.09")).await;
    assert_eq!((status, error["code"].as_str()), (400, Some("MaxNumberOfAttemptsExceeded")));
    assert_eq!(get(&sandbox, &second).await["status"], "unverified");
}

#[tokio::test]
async fn the_same_idempotency_key_replays_and_another_body_under_it_is_refused() {
    let sandbox = Sandbox::start().await;
    let body = json!({"firstName": "A", "lastName": "B", "email": "a@example.com"});
    let (s1, l1, _) = call(&sandbox, "POST", "/customers", Some(body.clone()), Some("k-1")).await;
    let (s2, l2, _) = call(&sandbox, "POST", "/customers", Some(body), Some("k-1")).await;
    assert_eq!((s1, s2, l1.clone()), (201, 201, l2));
    assert_eq!(get(&sandbox, "/customers").await["total"], 1);
    let other = json!({"firstName": "C", "lastName": "D", "email": "c@example.com"});
    let (s3, _, refused) = call(&sandbox, "POST", "/customers", Some(other.clone()), Some("k-1")).await;
    assert_eq!((s3, refused["code"].as_str()), (400, Some("InvalidIdempotencyKey")));
    sandbox.advance(dwolla::test_util::idempotency::KEY_LIFETIME);
    let (s4, l4, _) = call(&sandbox, "POST", "/customers", Some(other), Some("k-1")).await;
    assert_ne!((s4, l4.clone()), (201, l1), "after 24 hours the key acts anew");
    assert_eq!(s4, 201);
}

#[tokio::test]
async fn a_body_missing_a_required_field_is_a_validation_error_naming_its_path() {
    let sandbox = Sandbox::start().await;
    let client = sandbox.client();
    let error = client.customers().create(CreateUnverifiedCustomer::new("A", "B", "")).await;
    assert!(error.is_ok(), "an empty email is a string");
    let (status, _, body) = post(&sandbox, "/customers", json!({"firstName": "A", "lastName": 5})).await;
    assert_eq!((status, body["code"].as_str()), (400, Some("ValidationError")));
    let paths: Vec<&str> = body["_embedded"]["errors"].as_array().unwrap().iter().map(|e| e["path"].as_str().unwrap()).collect();
    assert_eq!(paths, ["/lastName", "/email"]);
}

#[tokio::test]
async fn rate_limits_overrides_and_received_requests_are_the_tests_to_control() {
    let sandbox = Sandbox::start().await;
    let client = sandbox.client();
    sandbox.rate_limit(true);
    let limited = client.customers().list().await.unwrap_err();
    assert!(matches!(&limited, dwolla::Error::Api(e) if e.status == 429), "{limited:?}");
    sandbox.rate_limit(false);
    let on = sandbox.on(op::LIST_AND_SEARCH_CUSTOMERS);
    on.respond_with(MockAnswer::new(http::StatusCode::SERVICE_UNAVAILABLE));
    assert!(client.customers().list().await.is_err());
    on.restore();
    assert!(client.customers().list().await.is_ok());
    assert_eq!(sandbox.received(op::LIST_AND_SEARCH_CUSTOMERS).await.len(), 3);
    assert_eq!(sandbox.operation("listAndSearchCustomers"), Ok(op::LIST_AND_SEARCH_CUSTOMERS));
    assert_eq!(sandbox.operation("listCustomerz").unwrap_err().to_string(), "the spec has no operation `listCustomerz`");
}

#[tokio::test]
async fn set_up_without_http_goes_through_the_same_rules() {
    let sandbox = Sandbox::start().await;
    let retry = sandbox.add_customer("personal", "retry");
    let jane = sandbox.add_customer("personal", "Jane");
    let client = sandbox.client();
    assert_eq!(client.customers().get(&retry).await.unwrap().into_inner().status(), "retry");
    let verified = sandbox.add_bank(&jane, "Checking", true);
    let unverified = sandbox.add_bank(&jane, "Savings", false);
    let status = |id: &str| {
        let sandbox = &sandbox;
        let url = format!("/funding-sources/{id}");
        async move { get(sandbox, &url).await["status"].clone() }
    };
    assert_eq!((status(&verified).await, status(&unverified).await), (json!("verified"), json!("unverified")));
    let listed = get(&sandbox, &format!("/customers/{jane}/funding-sources")).await;
    assert_eq!(listed["total"], 3, "the balance and both banks");
}

#[tokio::test]
async fn a_link_on_dwollas_sandbox_host_names_the_sandboxs_own_resource() {
    let sandbox = Sandbox::start().await;
    let (alice, bob) = (sandbox.add_customer("personal", "Alice"), sandbox.add_customer("personal", "Bob"));
    let (source, destination) = (sandbox.add_bank(&alice, "Checking", true), sandbox.add_bank(&bob, "Savings", false));
    let base = "https://api-sandbox.dwolla.com/funding-sources";
    let transfer = transfer(&sandbox, &format!("{base}/{source}"), &format!("{base}/{destination}"), "3.00").await;
    let body = get(&sandbox, &transfer).await;
    assert_eq!(body["_links"]["source-funding-source"]["href"], format!("{}/funding-sources/{source}", sandbox.uri()));
    let (status, _, refused) = post(&sandbox, "/transfers", json!({"_links": {"source": {"href": format!("https://api.example.com/funding-sources/{source}")}, "destination": {"href": format!("{base}/{destination}")}}, "amount": {"currency": "USD", "value": "1.00"}})).await;
    assert_eq!((status, refused["_embedded"]["errors"][0]["path"].as_str()), (400, Some("/_links/source/href")));
}
