//! Building a client: environments, a base URL, `from_env`, a caller's HTTP client, and the
//! `User-Agent` every request carries. (One test touches the process environment, so this file
//! has that test only for it.)

use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[test]
fn environments_base_urls_and_from_env() {
    assert_eq!(dwolla::Environment::default(), dwolla::Environment::Production);
    assert_eq!(dwolla::Environment::Production.base_url(), "https://api.dwolla.com");
    assert_eq!(
        dwolla::Environment::Sandbox.base_url(),
        "https://api-sandbox.dwolla.com"
    );
    assert_eq!(
        "SANDBOX".parse::<dwolla::Environment>().ok(),
        Some(dwolla::Environment::Sandbox)
    );
    assert!(matches!(
        "staging".parse::<dwolla::Environment>(),
        Err(dwolla::Error::Config(_))
    ));

    let sandbox = dwolla::Client::builder()
        .environment(dwolla::Environment::Sandbox)
        .credentials("id", "s")
        .build();
    assert_eq!(
        sandbox.map(|c| c.base_url().to_owned()).ok().as_deref(),
        Some("https://api-sandbox.dwolla.com")
    );
    assert!(matches!(
        dwolla::Client::builder().base_url("not a url").build(),
        Err(dwolla::Error::Config(_))
    ));
    assert!(matches!(
        dwolla::Client::builder().base_url("ftp://example.com").build(),
        Err(dwolla::Error::Config(_))
    ));

    // SAFETY: this is the only test in this binary that reads or writes the environment.
    unsafe {
        std::env::remove_var("DWOLLA_BASE_URL");
        std::env::remove_var("DWOLLA_CLIENT_ID");
        std::env::set_var("DWOLLA_CLIENT_SECRET", "s");
    }
    let missing = dwolla::Client::from_env().expect_err("no client id");
    assert!(missing.to_string().contains("DWOLLA_CLIENT_ID"), "{missing}");
    unsafe {
        std::env::set_var("DWOLLA_CLIENT_ID", "id");
        std::env::set_var("DWOLLA_ENVIRONMENT", "sandbox");
    }
    let client = dwolla::Client::from_env().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(client.base_url(), "https://api-sandbox.dwolla.com");
    unsafe {
        std::env::set_var("DWOLLA_BASE_URL", "http://127.0.0.1:9/");
    }
    assert_eq!(
        dwolla::Client::from_env()
            .map(|c| c.base_url().to_owned())
            .ok()
            .as_deref(),
        Some("http://127.0.0.1:9")
    );
    unsafe {
        for v in [
            "DWOLLA_BASE_URL",
            "DWOLLA_CLIENT_ID",
            "DWOLLA_CLIENT_SECRET",
            "DWOLLA_ENVIRONMENT",
        ] {
            std::env::remove_var(v);
        }
    }
}

#[tokio::test]
async fn requests_name_the_crate_and_use_the_callers_http_client() {
    let server = MockServer::start().await;
    client_tests::mount_token(&server).await;
    let ua = format!("my-shop/2.1 {}", dwolla::USER_AGENT);
    assert!(dwolla::USER_AGENT.starts_with("dwolla-rust/"));
    Mock::given(method("GET"))
        .and(path("/exchange-sessions/s-1"))
        .and(header("user-agent", ua.as_str()))
        .and(header("accept", "application/vnd.dwolla.v1.hal+json"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-request-id", "req-42")
                .set_body_json(client_tests::exchange_session_json()),
        )
        .mount(&server)
        .await;
    let http = dwolla::reqwest::Client::builder()
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let client = dwolla::Client::builder()
        .base_url(server.uri())
        .credentials("id", "secret")
        .http_client(http)
        .user_agent("my-shop/2.1")
        .timeout(std::time::Duration::from_secs(5))
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let response = client
        .exchange_sessions()
        .get("s-1")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.request_id().as_deref(), Some("req-42"));
    assert!(response.headers().contains_key("content-type"));
}

#[tokio::test]
async fn extra_headers_are_sent_and_managed_ones_refused() {
    let server = MockServer::start().await;
    client_tests::mount_token(&server).await;
    Mock::given(method("GET"))
        .and(path("/exchange-sessions/s-1"))
        .and(header("x-correlation-id", "order-7"))
        .respond_with(ResponseTemplate::new(200).set_body_json(client_tests::exchange_session_json()))
        .mount(&server)
        .await;
    let client = client_tests::client(&server);
    client
        .exchange_sessions()
        .get("s-1")
        .header("X-Correlation-Id", "order-7")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    for managed in [
        "Authorization",
        "accept",
        "Idempotency-Key",
        "Content-Type",
        "User-Agent",
    ] {
        let err = client
            .exchange_sessions()
            .get("s-1")
            .header(managed, "x")
            .await
            .expect_err("refused");
        assert!(matches!(err, dwolla::Error::Request { .. }), "{managed}: {err:?}");
    }
    let err = client
        .exchange_sessions()
        .get("s-1")
        .header("bad header", "x")
        .await
        .expect_err("refused");
    assert!(err.to_string().contains("is not a header name"), "{err}");
}
