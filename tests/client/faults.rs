//! What a caller gets when the network or the server misbehaves: a typed error (or, where a
//! retry applies, a success), never a panic and never a hang. Each case prints one row of the
//! fault table.

use std::time::Duration;

use client_tests::{answer_first, client, mount_token, server_answering};
use dwolla::{Error, RetryPolicy};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SESSION: &str = "/exchange-sessions/s-1";

fn row(case: &str, outcome: &Result<impl std::fmt::Debug, Error>) {
    let what = match outcome {
        Ok(_) => "Ok (success)".to_owned(),
        Err(e) => {
            let kind = match e {
                Error::Transport { .. } => "Error::Transport",
                Error::Timeout { .. } => "Error::Timeout",
                Error::Api(_) => "Error::Api",
                Error::Decode { .. } => "Error::Decode",
                Error::ResponseTooLarge { .. } => "Error::ResponseTooLarge",
                _ => "another Error",
            };
            format!("{kind}: {e}")
        }
    };
    println!(
        "| {case} | {} |",
        what.replace('\n', " ").chars().take(160).collect::<String>()
    );
}

async fn with_session(template: ResponseTemplate) -> MockServer {
    server_answering("GET", SESSION, template).await
}

/// A server that answers the token request, then for the API request writes `raw` bytes and
/// closes the connection (or resets it, with `reset`).
async fn raw_server(raw: String, reset: bool) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let addr = listener.local_addr().unwrap_or_else(|e| panic!("{e}"));
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let raw = raw.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 8192];
                loop {
                    let Ok(n) = socket.read(&mut buf).await else { return };
                    if n == 0 {
                        return;
                    }
                    let head = String::from_utf8_lossy(&buf[..n]).to_ascii_lowercase();
                    if head.starts_with("post /token") {
                        if socket.write_all(client_tests::raw_http::token_response().as_bytes()).await.is_err() {
                            return;
                        }
                        continue;
                    }
                    let _ = socket.write_all(raw.as_bytes()).await;
                    if reset {
                        // Close with RST instead of FIN.
                        let _ = socket.set_zero_linger();
                    }
                    return;
                }
            });
        }
    });
    format!("http://{addr}")
}

fn client_at(base: &str) -> dwolla::Client {
    dwolla::Client::builder()
        .base_url(base)
        .credentials("id", "secret")
        .retry(RetryPolicy::none())
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap_or_else(|e| panic!("{e}"))
}

/// Every fault, one row each, in the order of the table: the connection, the body, what a proxy
/// puts in front, the label on the body, and its size and speed.
#[tokio::test]
async fn the_fault_table() {
    println!("| fault | what the caller gets |\n|---|---|");
    connection_faults().await;
    body_faults().await;
    proxy_error_pages().await;
    content_type_faults().await;
    size_and_time_faults().await;
}

/// The connection fails: refused, or reset half way through the body.
async fn connection_faults() {
    // Connection refused: a port nobody listens on.
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
        l.local_addr().unwrap_or_else(|e| panic!("{e}"))
    };
    let r = client_at(&format!("http://{closed}"))
        .exchange_sessions()
        .get("s-1")
        .await;
    row("connection refused", &r);
    assert!(matches!(r, Err(Error::Transport { .. })), "{r:?}");

    // Reset in the middle of the body.
    let base = raw_server("HTTP/1.1 200 OK\r\ncontent-type: application/vnd.dwolla.v1.hal+json\r\ncontent-length: 500\r\n\r\n{\"created\": \"2024-".into(), true).await;
    let r = client_at(&base).exchange_sessions().get("s-1").await;
    row("connection reset mid-body", &r);
    assert!(matches!(r, Err(Error::Transport { .. })), "{r:?}");
}

/// The body arrives but is not the JSON it should be: cut short, malformed, or of another shape.
async fn body_faults() {
    // Truncated JSON: a complete response whose body stops half way.
    let truncated = "{\"created\": \"2024-";
    let base = raw_server(
        format!("HTTP/1.1 200 OK\r\ncontent-type: application/vnd.dwolla.v1.hal+json\r\ncontent-length: {}\r\n\r\n{truncated}", truncated.len()),
        false,
    )
    .await;
    let r = client_at(&base).exchange_sessions().get("s-1").await;
    row("truncated JSON", &r);
    match &r {
        Err(Error::Decode { status, body, .. }) => {
            assert_eq!(status.as_u16(), 200);
            assert_eq!(&body[..], b"{\"created\": \"2024-", "the raw body is kept");
        }
        other => panic!("{other:?}"),
    }

    // Malformed JSON, and JSON of the wrong shape: the error names the path.
    let server = with_session(ResponseTemplate::new(200).set_body_raw(
        "{\"created\": \"2024-03-25T17:13:38.430Z\",, }",
        "application/vnd.dwolla.v1.hal+json",
    ))
    .await;
    let r = client(&server).exchange_sessions().get("s-1").await;
    row("malformed JSON", &r);
    assert!(matches!(r, Err(Error::Decode { .. })), "{r:?}");
    let server = with_session(ResponseTemplate::new(200).set_body_raw(
        "{\"created\": \"2024-03-25T17:13:38.430Z\", \"_links\": {\"self\": 5}}",
        "application/vnd.dwolla.v1.hal+json",
    ))
    .await;
    let r = client(&server).exchange_sessions().get("s-1").await;
    row("JSON of the wrong shape", &r);
    match &r {
        Err(Error::Decode { operation, path, .. }) => {
            assert_eq!(*operation, "retrieveCustomerExchangeSession");
            assert_eq!(path, "_links.self");
        }
        other => panic!("{other:?}"),
    }
}

/// A proxy answers for Dwolla with an HTML error page: an API error keeping the page, which a
/// retry gets past when the proxy recovers.
async fn proxy_error_pages() {
    // An HTML error page from a proxy, with 502.
    let html = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    let server = with_session(ResponseTemplate::new(502).set_body_raw(html, "text/html")).await;
    let r = client(&server).exchange_sessions().get("s-1").await;
    row("HTML error page with 502", &r);
    match &r {
        Err(Error::Api(e)) => {
            assert_eq!(e.status.as_u16(), 502);
            assert_eq!(&e.raw_body[..], html.as_bytes());
            assert!(e.body.is_none() && e.code.is_none());
        }
        other => panic!("{other:?}"),
    }
    // ... which a retry gets past when the proxy recovers.
    let server = MockServer::start().await;
    mount_token(&server).await;
    answer_first(
        &server,
        "GET",
        SESSION,
        ResponseTemplate::new(502).set_body_raw(html, "text/html"),
    )
    .await;
    Mock::given(method("GET"))
        .and(path(SESSION))
        .respond_with(ResponseTemplate::new(200).set_body_json(client_tests::exchange_session_json()))
        .mount(&server)
        .await;
    let retrying = dwolla::Client::builder()
        .base_url(server.uri())
        .credentials("id", "secret")
        .retry(RetryPolicy::default().initial_backoff(Duration::from_millis(10)))
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let r = retrying.exchange_sessions().get("s-1").await;
    row("HTML error page with 502, then 200, retries on", &r);
    assert!(r.is_ok(), "{r:?}");
}

/// The label on the body is wrong, or there is no body: the body decides, not the label.
async fn content_type_faults() {
    // A wrong Content-Type: an HTML page with 200 is not an exchange session.
    let server = with_session(ResponseTemplate::new(200).set_body_raw("<html>maintenance</html>", "text/html")).await;
    let r = client(&server).exchange_sessions().get("s-1").await;
    row("200 with Content-Type text/html", &r);
    assert!(matches!(r, Err(Error::Decode { .. })), "{r:?}");
    // Valid JSON under a wrong Content-Type is read: the body decides, not the label.
    let server = with_session(
        ResponseTemplate::new(200).set_body_raw(client_tests::exchange_session_json().to_string(), "text/plain"),
    )
    .await;
    let r = client(&server).exchange_sessions().get("s-1").await;
    row("200 with a valid body labelled text/plain", &r);
    assert!(r.is_ok(), "{r:?}");

    // An empty 200 where a body is expected.
    let server = with_session(ResponseTemplate::new(200)).await;
    let r = client(&server).exchange_sessions().get("s-1").await;
    row("empty 200 where a body is expected", &r);
    assert!(matches!(r, Err(Error::Decode { .. })), "{r:?}");
}

/// The body is too large, or too slow: a bounded error, never an exhausted memory or a hang.
async fn size_and_time_faults() {
    // A 50 MiB body, against the default limit (16 MiB) and a configured one.
    let big = vec![b' '; 50 * 1024 * 1024];
    let server = with_session(ResponseTemplate::new(200).set_body_raw(big, "application/vnd.dwolla.v1.hal+json")).await;
    let r = client(&server).exchange_sessions().get("s-1").await;
    row("50 MiB body (default 16 MiB limit)", &r);
    assert!(
        matches!(r, Err(Error::ResponseTooLarge { limit: 16_777_216, .. })),
        "{r:?}"
    );
    let small = dwolla::Client::builder()
        .base_url(server.uri())
        .credentials("id", "secret")
        .max_response_bytes(1024)
        .retry(RetryPolicy::none())
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let r = small.exchange_sessions().get("s-1").await;
    row("50 MiB body (limit set to 1 KiB)", &r);
    assert!(matches!(r, Err(Error::ResponseTooLarge { limit: 1024, .. })), "{r:?}");

    // A response slower than the timeout.
    let server = with_session(
        ResponseTemplate::new(200)
            .set_body_json(client_tests::exchange_session_json())
            .set_delay(Duration::from_secs(30)),
    )
    .await;
    let impatient = dwolla::Client::builder()
        .base_url(server.uri())
        .credentials("id", "secret")
        .timeout(Duration::from_millis(300))
        .retry(RetryPolicy::none())
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let started = std::time::Instant::now();
    let r = impatient.exchange_sessions().get("s-1").await;
    row("response slower than the timeout (300 ms)", &r);
    assert!(matches!(r, Err(Error::Timeout { .. })), "{r:?}");
    assert!(started.elapsed() < Duration::from_secs(10), "no hang");
}
