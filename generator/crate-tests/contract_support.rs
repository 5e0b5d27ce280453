//! The contract test's side of each call (`tests/contract.rs`): the one shared Prism, a client
//! of it, the canary that proves Prism validates, and the judgement of a call by the status
//! Prism answered, with Prism's own account of any violation. The generated test of each
//! operation is its call and expected status; this file, written once by hand, plays them.

use std::future::Future;
use std::pin::Pin;

use super::prism;

/// What a call answered: its status.
pub type Answer = Result<u16, dwolla::Error>;

/// The operation's call, with arguments from the spec's examples; `Err` when an example does not
/// decode into its argument's type.
pub type Call = fn(dwolla::Client) -> Pin<Box<dyn Future<Output = Result<Answer, String>> + Send>>;

/// Turns a typed response into an [`Answer`].
pub fn answer<T>(r: Result<dwolla::Response<T>, dwolla::Error>) -> Answer {
    r.map(|r| r.status().as_u16())
}

/// Sends `operation` (`what` is its method and path) to Prism and checks that it answers with
/// `expected`, its lowest declared success (`None`: the spec declares no success, so no
/// answer can be right); panics with the reason and Prism's log otherwise.
pub async fn check(operation: &str, what: &str, expected: Option<u16>, call: Call) {
    let client = client().await;
    let result = call(client).await.and_then(|answer| match (answer, expected) {
        (Ok(status), Some(code)) if status == code => Ok(()),
        (Ok(status), Some(code)) => Err(format!("answered {status}, expected {code}")),
        (Ok(status), None) => Err(format!("answered {status} to an operation that declares no success")),
        (Err(e), _) => Err(reason(&e)),
    });
    if let Err(e) = result {
        panic!("{operation} ({what}): {e}\n  Prism's log: {}", prism().log().display());
    }
}

/// Why a call failed, with Prism's own account of the violation when it gave one: the
/// `sl-violations` header it adds when it answers with one of the spec's error responses, and
/// the `detail` and `validation` of the problem+json body it sends when the spec declares none.
fn reason(e: &dwolla::Error) -> String {
    let dwolla::Error::Api(api) = e else {
        return match e {
            dwolla::Error::Decode { body, .. } => format!("{e}\n      body: {}", String::from_utf8_lossy(body)),
            _ => e.to_string(),
        };
    };
    let mut out = format!("Prism answered {}", api.status);
    if let Some(v) = api.headers.get("sl-violations") {
        out.push_str(&format!("\n      sl-violations: {}", String::from_utf8_lossy(v.as_bytes())));
    }
    match serde_json::from_slice::<serde_json::Value>(&api.raw_body) {
        Ok(body) if body.get("validation").is_some() || body.get("detail").is_some() => {
            if let Some(detail) = body.get("detail").and_then(|d| d.as_str()) {
                out.push_str(&format!("\n      detail: {detail}"));
            }
            for v in body.get("validation").and_then(|v| v.as_array()).into_iter().flatten() {
                out.push_str(&format!("\n      validation: {v}"));
            }
        }
        _ => out.push_str(&format!("\n      body: {}", String::from_utf8_lossy(&api.raw_body))),
    }
    out
}

/// The Prism server of this test binary, started by the first test that needs it. It lives as
/// long as the process; `prism/mod.rs` has it exit with the process. Should it fail to start,
/// every test fails with the reason.
fn prism() -> &'static prism::Prism {
    static PRISM: std::sync::OnceLock<Result<prism::Prism, String>> = std::sync::OnceLock::new();
    let started = PRISM.get_or_init(|| {
        std::panic::catch_unwind(prism::Prism::start).map_err(|panic| {
            panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "Prism did not start".into())
        })
    });
    match started {
        Ok(prism) => prism,
        Err(e) => panic!("{e}"),
    }
}

/// A client of the shared Prism (one per test: a client belongs to its test's runtime), after
/// checking that Prism validates requests.
async fn client() -> dwolla::Client {
    let prism = prism();
    if let Err(e) = prism_refuses_an_invalid_request(prism.url()).await {
        panic!("Prism does not validate requests, so it cannot judge the client: {e}");
    }
    dwolla::Client::builder()
        .base_url(prism.url())
        .credentials("test-client-id", "test-client-secret")
        .retry(dwolla::RetryPolicy::none())
        .build()
        .unwrap()
}

/// Prism is validating: a request that breaks the spec (a customer without any of its required
/// fields) is refused with its reasons. Otherwise every pass would mean nothing.
async fn prism_refuses_an_invalid_request(url: &str) -> Result<(), String> {
    let response = reqwest::Client::new()
        .post(format!("{url}/customers"))
        .header("accept", "application/vnd.dwolla.v1.hal+json")
        .header("authorization", "Bearer test-access-token")
        .header("idempotency-key", "contract-canary")
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .map_err(|e| format!("cannot reach Prism: {e}"))?;
    let status = response.status();
    let violations = response.headers().get("sl-violations").is_some();
    let body = response.text().await.unwrap_or_default();
    if status.is_client_error() && (violations || body.contains("validation")) {
        Ok(())
    } else {
        Err(format!("Prism answered {status} to an invalid request: {body}"))
    }
}
