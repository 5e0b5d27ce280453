//! List operations as streams that follow `_links.next`, counted at a loopback server.

use futures::StreamExt;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// Serves `total` customers in pages of the requested `limit`, linking each page to the next
/// with `offset`, as Dwolla does. `next_host` replaces the host of the `next` links.
struct Customers {
    base: String,
    total: usize,
    next_host: Option<String>,
}

impl Respond for Customers {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let q = |k: &str| {
            req.url
                .query_pairs()
                .find(|(n, _)| n == k)
                .and_then(|(_, v)| v.parse::<usize>().ok())
        };
        let limit = q("limit").unwrap_or(25);
        let offset = q("offset").unwrap_or(0);
        let items: Vec<Value> = (offset..(offset + limit).min(self.total))
            .map(|i| {
                json!({
                    "_links": {}, "id": format!("c-{i}"), "firstName": "Jane", "lastName": "Doe",
                    "email": format!("jane{i}@example.com"), "type": "unverified", "status": "unverified",
                    "created": "2024-01-01T00:00:00Z"
                })
            })
            .collect();
        let mut links = json!({"self": {"href": format!("{}/customers?limit={limit}&offset={offset}", self.base)}});
        if offset + limit < self.total {
            let host = self.next_host.as_deref().unwrap_or(&self.base);
            links["next"] = json!({"href": format!("{host}/customers?limit={limit}&offset={}", offset + limit)});
        }
        ResponseTemplate::new(200)
            .set_body_json(json!({"_links": links, "_embedded": {"customers": items}, "total": self.total}))
    }
}

async fn server(total: usize, next_host: Option<&str>) -> MockServer {
    let server = MockServer::start().await;
    client_tests::mount_token(&server).await;
    Mock::given(method("GET"))
        .and(path("/customers"))
        .respond_with(Customers {
            base: server.uri(),
            total,
            next_host: next_host.map(str::to_owned),
        })
        .mount(&server)
        .await;
    server
}

async fn pages_requested(server: &MockServer) -> usize {
    client_tests::count(server, "/customers").await
}

#[tokio::test]
async fn a_list_of_1050_streams_in_six_pages_of_200() {
    let server = server(1050, None).await;
    let client = client_tests::client(&server);
    let mut stream = client.customers().list().limit(200).stream();
    let mut ids = Vec::new();
    while let Some(customer) = stream.next().await {
        let customer = customer.unwrap_or_else(|e| panic!("{e}"));
        ids.push(customer.id().to_owned());
    }
    let requests = pages_requested(&server).await;
    println!("{} items in {requests} requests, total {:?}", ids.len(), stream.total());
    assert_eq!(ids.len(), 1050);
    assert_eq!(requests, 6);
    assert_eq!(stream.total(), Some(1050));
    assert_eq!(ids.first().map(String::as_str), Some("c-0"));
    assert_eq!(ids.last().map(String::as_str), Some("c-1049"));
    let distinct: std::collections::BTreeSet<_> = ids.iter().collect();
    assert_eq!(distinct.len(), 1050, "no item twice");
    let first = server.received_requests().await.unwrap_or_default();
    let first = first
        .iter()
        .find(|r| r.url.path() == "/customers")
        .expect("a list request");
    assert_eq!(first.url.query(), Some("limit=200"), "the caller's limit is sent");
}

#[tokio::test]
async fn collect_at_most_stops_fetching_pages_when_it_has_enough() {
    let server = server(1050, None).await;
    let client = client_tests::client(&server);
    let some = client
        .customers()
        .list()
        .limit(200)
        .stream()
        .collect_at_most(250)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(some.len(), 250);
    assert_eq!(pages_requested(&server).await, 2);
}

#[tokio::test]
async fn a_next_link_to_another_host_stops_with_an_error() {
    let server = server(450, Some("https://attacker.example")).await;
    let client = client_tests::client(&server);
    let mut stream = client.customers().list().limit(200).stream();
    let mut items = 0;
    let mut error = None;
    while let Some(item) = stream.next().await {
        match item {
            Ok(_) => items += 1,
            Err(e) => {
                error = Some(e);
                break;
            }
        }
    }
    println!("{items} items, then {error:?}");
    assert_eq!(items, 200);
    assert!(matches!(error, Some(dwolla::Error::ForeignLink { .. })), "{error:?}");
    assert_eq!(pages_requested(&server).await, 1, "nothing was sent to the other host");
}

/// A stream owns a clone of the client, so it is `'static`: it can be moved into a spawned
/// task and outlive the client it came from.
#[tokio::test]
async fn a_stream_can_be_spawned_and_outlive_its_client() {
    let server = server(450, None).await;
    let client = client_tests::client(&server);
    let stream = client.customers().list().limit(200).stream();
    drop(client);
    let task = tokio::spawn(async move { stream.collect::<Vec<_>>().await });
    let items = task.await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(items.len(), 450);
    assert!(items.iter().all(Result::is_ok));
    assert_eq!(pages_requested(&server).await, 3);
}
