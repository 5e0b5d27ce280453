//! Per-call overhead of the client against a hand-written `reqwest` + `serde_json` call to the
//! same loopback server, and typed decoding of a 1,000-item transfers list against decoding the
//! same bytes into `serde_json::Value`. Run with `cargo bench -p bench --bench client`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const SESSION: &str = r#"{"created":"2024-03-25T17:13:38.430Z","_links":{"self":{"href":"https://api.dwolla.com/exchange-sessions/9b7fb629","type":"application/vnd.dwolla.v1.hal+json","resource-type":"exchange-sessions"},"exchange-partner":{"href":"https://api.dwolla.com/exchange-partners/bca8d065","type":"application/vnd.dwolla.v1.hal+json","resource-type":"exchange-partner"},"external-provider-session":{"href":"https://int-widgets.moneydesktop.com/md/connect/abc","type":"application/vnd.dwolla.v1.hal+json","resource-type":"text/html"}}}"#;

/// A keep-alive HTTP/1.1 server that answers every request with a token (for `/token`) or the
/// exchange session, so both clients pay exactly the same server cost.
async fn serve(listener: tokio::net::TcpListener) {
    loop {
        let Ok((mut socket, _)) = listener.accept().await else {
            return;
        };
        tokio::spawn(async move {
            let mut buf = vec![0u8; 16 * 1024];
            let mut pending = Vec::new();
            loop {
                let Ok(n) = socket.read(&mut buf).await else { return };
                if n == 0 {
                    return;
                }
                pending.extend_from_slice(&buf[..n]);
                while let Some(end) = pending.windows(4).position(|w| w == b"\r\n\r\n") {
                    let head = String::from_utf8_lossy(&pending[..end]).to_ascii_lowercase();
                    let length: usize = head
                        .lines()
                        .find_map(|l| l.strip_prefix("content-length:").and_then(|v| v.trim().parse().ok()))
                        .unwrap_or(0);
                    if pending.len() < end + 4 + length {
                        break;
                    }
                    pending.drain(..end + 4 + length);
                    let body = if head.starts_with("post /token") {
                        r#"{"access_token":"t","token_type":"Bearer","expires_in":3600}"#
                    } else {
                        SESSION
                    };
                    let reply = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/vnd.dwolla.v1.hal+json\r\ncontent-length: {}\r\n\r\n{body}",
                        body.len()
                    );
                    if socket.write_all(reply.as_bytes()).await.is_err() {
                        return;
                    }
                }
            }
        });
    }
}

fn transfers_page(n: usize) -> Vec<u8> {
    let transfer = |i: usize| {
        serde_json::json!({
            "_links": {
                "self": {"href": format!("https://api.dwolla.com/transfers/{i}"), "type": "application/vnd.dwolla.v1.hal+json", "resource-type": "transfer"},
                "source": {"href": "https://api.dwolla.com/funding-sources/5cfcdc41", "type": "application/vnd.dwolla.v1.hal+json", "resource-type": "funding-source"},
                "destination": {"href": "https://api.dwolla.com/funding-sources/c2eb3f03", "type": "application/vnd.dwolla.v1.hal+json", "resource-type": "funding-source"}
            },
            "id": format!("15c6bcce-46f7-e811-8112-{i:012}"),
            "status": "processed",
            "amount": {"value": "42.00", "currency": "USD"},
            "created": "2018-12-03T22:00:22.970Z",
            "clearing": {"source": "standard", "destination": "same-day"},
            "metadata": {"paymentId": "12345678", "note": "Payment for completed work Dec. 1"},
            "individualAchId": "IDC3R7QK",
            "correlationId": "8a2cdc8d-629d-4a24-98ac-40b735229fe2"
        })
    };
    let items: Vec<_> = (0..n).map(transfer).collect();
    serde_json::to_vec(&serde_json::json!({
        "_links": {"self": {"href": "https://api.dwolla.com/customers/c/transfers"}},
        "_embedded": {"transfers": items},
        "total": n
    }))
    .unwrap_or_default()
}

/// What the call benchmarks share: one runtime, a server on loopback, our client with and
/// without a timeout, and reqwest alone, all warmed up.
struct Setup {
    runtime: tokio::runtime::Runtime,
    base: String,
    client: dwolla::Client,
    client_no_timeout: dwolla::Client,
    http: reqwest::Client,
}

fn setup() -> Setup {
    // One thread for the server and both clients: no cross-thread wake-ups to add noise, and
    // both clients pay the same server cost in the same place.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let addr = runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let addr = listener.local_addr().unwrap_or_else(|e| panic!("{e}"));
        tokio::spawn(serve(listener));
        addr
    });
    let base = format!("http://{addr}");
    let client = dwolla::Client::builder()
        .base_url(&base)
        .credentials("id", "secret")
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    // The same client without a deadline, against the hand-written call without one: reqwest
    // arms a timer for every request with a timeout, which costs the same with or without us.
    let client_no_timeout = dwolla::Client::builder()
        .base_url(&base)
        .credentials("id", "secret")
        .no_timeout()
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    runtime.block_on(async {
        client_no_timeout
            .exchange_sessions()
            .get("9b7fb629")
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    });
    let http = reqwest::Client::new();
    // Warm both: the token, the connection pools.
    runtime.block_on(async {
        client
            .exchange_sessions()
            .get("9b7fb629")
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        http.get(format!("{base}/exchange-sessions/9b7fb629"))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    });
    Setup { runtime, base, client, client_no_timeout, http }
}

/// One call through the client against the same call written by hand with reqwest and serde_json.
fn calls(c: &mut Criterion) {
    let Setup { runtime, base, client, client_no_timeout, http } = setup();
    let mut g = c.benchmark_group("call");
    g.bench_function("dwolla: exchange_sessions().get(id)", |b| {
        b.to_async(&runtime).iter(|| async {
            black_box(
                client
                    .exchange_sessions()
                    .get("9b7fb629")
                    .await
                    .unwrap_or_else(|e| panic!("{e}")),
            );
        })
    });
    let hand_written = |timeout: Option<std::time::Duration>| {
        let http = &http;
        let base = &base;
        async move {
            let mut request = http
                .get(format!("{base}/exchange-sessions/9b7fb629"))
                .header("accept", "application/vnd.dwolla.v1.hal+json")
                .bearer_auth("t");
            if let Some(timeout) = timeout {
                request = request.timeout(timeout);
            }
            let bytes = request
                .send()
                .await
                .unwrap_or_else(|e| panic!("{e}"))
                .bytes()
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            black_box(
                serde_json::from_slice::<dwolla::models::ExchangeSession>(&bytes).unwrap_or_else(|e| panic!("{e}")),
            );
        }
    };
    g.bench_function("hand-written reqwest GET + serde_json::from_slice, same timeout", |b| {
        b.to_async(&runtime).iter(|| hand_written(Some(dwolla::DEFAULT_TIMEOUT)))
    });
    g.bench_function("dwolla: exchange_sessions().get(id), no_timeout()", |b| {
        b.to_async(&runtime).iter(|| async {
            black_box(
                client_no_timeout
                    .exchange_sessions()
                    .get("9b7fb629")
                    .await
                    .unwrap_or_else(|e| panic!("{e}")),
            );
        })
    });
    g.bench_function("hand-written reqwest GET + serde_json::from_slice", |b| {
        b.to_async(&runtime).iter(|| hand_written(None))
    });
    g.finish();
}

/// Decoding a page of 1,000 transfers into the model against into a `serde_json::Value`.
fn decode(c: &mut Criterion) {
    let page = transfers_page(1000);
    let mut g = c.benchmark_group("decode");
    g.bench_function("1,000 transfers into dwolla::models::Transfers", |b| {
        b.iter(|| {
            black_box(
                serde_json::from_slice::<dwolla::models::Transfers>(black_box(&page)).unwrap_or_else(|e| panic!("{e}")),
            )
        })
    });
    g.bench_function("1,000 transfers into serde_json::Value", |b| {
        b.iter(|| {
            black_box(serde_json::from_slice::<serde_json::Value>(black_box(&page)).unwrap_or_else(|e| panic!("{e}")))
        })
    });
    g.finish();
}

criterion_group!(benches, calls, decode);
criterion_main!(benches);
