//! Money moves at most once, past the end of a call: every error of a request that may have
//! reached Dwolla says so and carries what resuming it needs (the Idempotency-Key, the attempts,
//! and for a create whose read-back failed, the `Created`), and the promises of
//! `without_idempotency_key()` and `RetryPolicy::none()` hold on every path, the replay after a
//! rejected token included.

use std::time::Duration;

use client_tests::{client, client_with, count, mount_token, received};
use dwolla::models::{InitiateTransferRequest, Link, TransferAmount, TransferLinks};
use dwolla::{Error, RetryPolicy, Sent};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TRANSFER_ID: &str = "15c6bcce-46f7-e811-8112-e8dd3bececa8";

fn transfer_request(server: &MockServer) -> InitiateTransferRequest {
    let link = |p: &str| Link::new(format!("{}{p}", server.uri()));
    InitiateTransferRequest::new(
        TransferLinks::new(link("/funding-sources/a"), link("/funding-sources/b")),
        TransferAmount::new("5.00", "USD"),
    )
}

/// `POST /transfers` answered `201` with the new transfer's `Location` on `server`.
async fn mount_creating_transfer(server: &MockServer) {
    Mock::given(method("POST"))
        .and(path("/transfers"))
        .respond_with(
            ResponseTemplate::new(201).insert_header("Location", format!("{}/transfers/{TRANSFER_ID}", server.uri())),
        )
        .mount(server)
        .await;
}

/// A server that creates the transfer (`201` with its `Location`) and answers the read-back
/// with `read_back`.
async fn creating_server(read_back: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    mount_token(&server).await;
    mount_creating_transfer(&server).await;
    Mock::given(method("GET"))
        .and(path(format!("/transfers/{TRANSFER_ID}")))
        .respond_with(read_back)
        .mount(&server)
        .await;
    server
}

/// The keys the server received on `POST /transfers`, in order.
async fn keys_received(server: &MockServer) -> Vec<String> {
    received(server, "/transfers")
        .await
        .iter()
        .filter(|r| r.method.as_str() == "POST")
        .map(|r| {
            r.headers
                .get("idempotency-key")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_owned()
        })
        .collect()
}

#[tokio::test]
async fn a_create_whose_read_back_fails_is_not_a_failed_create() {
    let answers = [
        ("503", ResponseTemplate::new(503)),
        ("404 (replication lag)", ResponseTemplate::new(404).set_body_json(serde_json::json!({"code": "NotFound", "message": "not found"}))),
        ("a body that does not decode", ResponseTemplate::new(200).set_body_string("{\"id\": 42")),
    ];
    for (case, read_back) in answers {
        let server = creating_server(read_back).await;
        let client = client(&server);
        let err = client
            .transfers()
            .create(transfer_request(&server))
            .fetch_created()
            .await
            .expect_err("the read-back fails");
        println!("read-back {case}: {err}");
        let created = err.created().unwrap_or_else(|| panic!("{case}: no Created on {err:?}"));
        assert_eq!(created.id, TRANSFER_ID, "{case}");
        assert!(matches!(err, Error::CreatedNotFetched { .. }), "{case}: {err:?}");
        assert_eq!(err.sent(), Sent::Answered, "{case}");
        assert!(err.may_have_acted(), "{case}: it did act");
        assert_eq!(err.idempotency_key().map(str::to_owned), keys_received(&server).await.first().cloned());
        assert!(err.to_string().contains(TRANSFER_ID), "{case}: {err}");
        // Whatever the read said, the create was sent once.
        assert_eq!(keys_received(&server).await.len(), 1, "{case}");
    }
}

#[tokio::test]
async fn a_post_that_timed_out_carries_its_key_and_resumes_under_it() {
    let server = MockServer::start().await;
    mount_token(&server).await;
    Mock::given(method("POST"))
        .and(path("/transfers"))
        .respond_with(ResponseTemplate::new(201).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let client = dwolla::Client::builder()
        .base_url(server.uri())
        .credentials("id", "secret")
        .timeout(Duration::from_millis(150))
        .retry(RetryPolicy::none())
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let err = client
        .transfers()
        .create(transfer_request(&server))
        .await
        .expect_err("times out");
    println!("{err} / {err:?}");
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    assert_eq!(err.sent(), Sent::Unanswered, "the request reached the server");
    assert!(err.may_have_acted());
    assert_eq!(err.attempts(), 1);
    let key = err.idempotency_key().map(str::to_owned).expect("a POST carries a key");
    assert_eq!(keys_received(&server).await, std::slice::from_ref(&key));

    // The resume the README documents: the same request under the error's key.
    server.reset().await;
    mount_token(&server).await;
    mount_creating_transfer(&server).await;
    let created = client
        .transfers()
        .create(transfer_request(&server))
        .idempotency_key(key.clone())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(created.id, TRANSFER_ID);
    assert_eq!(created.delivery().idempotency_key(), Some(key.as_str()));
    assert_eq!(keys_received(&server).await, [key]);
}

#[tokio::test]
async fn a_refused_connection_says_nothing_was_sent() {
    // A port nothing listens on: bind one, then drop it.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
    let addr = listener.local_addr().unwrap_or_else(|e| panic!("{e}"));
    drop(listener);
    let client = dwolla::Client::builder()
        .base_url(format!("http://{addr}"))
        .access_token("token")
        .retry(RetryPolicy::none())
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let body = InitiateTransferRequest::new(
        TransferLinks::new(Link::new(format!("http://{addr}/funding-sources/a")), Link::new(format!("http://{addr}/funding-sources/b"))),
        TransferAmount::new("5.00", "USD"),
    );
    let err = client.transfers().create(body).await.expect_err("nothing listens");
    println!("{err}");
    assert_eq!(err.sent(), Sent::NotSent, "{err:?}");
    assert!(!err.may_have_acted());
    assert_eq!(err.attempts(), 1);
    assert!(err.idempotency_key().is_some());
}

#[tokio::test]
async fn retries_that_run_out_keep_the_key_and_count_the_attempts() {
    let server = MockServer::start().await;
    mount_token(&server).await;
    Mock::given(method("POST"))
        .and(path("/transfers"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let policy = RetryPolicy::default()
        .max_attempts(3)
        .initial_backoff(Duration::from_millis(1))
        .max_backoff(Duration::from_millis(2));
    let client = client_with(&server, policy);
    let err = client
        .transfers()
        .create(transfer_request(&server))
        .idempotency_key("order-42")
        .await
        .expect_err("503 every time");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!((err.sent(), err.attempts(), err.idempotency_key()), (Sent::Answered, 3, Some("order-42")));
    assert!(err.may_have_acted(), "a 5xx may have acted");
    assert_eq!(keys_received(&server).await, ["order-42"; 3]);
}

/// A server whose first token is rejected as expired on `POST /transfers`.
async fn expiring_server() -> MockServer {
    let server = MockServer::start().await;
    mount_token(&server).await;
    Mock::given(method("POST"))
        .and(path("/transfers"))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(serde_json::json!({"code": "ExpiredAccessToken", "message": "Access token is expired."})),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    mount_creating_transfer(&server).await;
    server
}

#[tokio::test]
async fn an_unkeyed_post_is_not_replayed_after_a_rejected_token() {
    let server = expiring_server().await;
    let client = client_with(&server, RetryPolicy::default());
    let err = client
        .transfers()
        .create(transfer_request(&server))
        .without_idempotency_key()
        .await
        .expect_err("the 401 goes back to the caller");
    assert_eq!(err.code(), Some("ExpiredAccessToken"));
    assert_eq!(keys_received(&server).await.len(), 1, "sent once");
    // The rejected token is not kept: the next call fetches another.
    client
        .transfers()
        .create(transfer_request(&server))
        .without_idempotency_key()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(count(&server, "/token").await, 2);
}

#[tokio::test]
async fn a_client_that_sends_once_does_not_replay_after_a_rejected_token() {
    let server = expiring_server().await;
    let client = client_with(&server, RetryPolicy::none());
    let err = client
        .transfers()
        .create(transfer_request(&server))
        .await
        .expect_err("the 401 goes back to the caller");
    assert_eq!(err.code(), Some("ExpiredAccessToken"));
    assert_eq!((err.sent(), err.attempts()), (Sent::Answered, 1));
    assert!(!err.may_have_acted(), "Dwolla does not act on a 401");
    assert_eq!(keys_received(&server).await.len(), 1, "sent once");
}

#[tokio::test]
async fn a_keyed_post_under_a_retrying_policy_is_replayed_once_under_the_same_key() {
    let server = expiring_server().await;
    let client = client_with(&server, RetryPolicy::default());
    let created = client
        .transfers()
        .create(transfer_request(&server))
        .idempotency_key("order-43")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(created.id, TRANSFER_ID);
    assert_eq!(keys_received(&server).await, ["order-43", "order-43"]);
}
