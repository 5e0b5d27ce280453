//! `tests/contract.rs`: every operation through the typed client against Stoplight Prism, a
//! mock server nobody on this project wrote, serving the same corrected spec the crate is
//! generated from. Prism rejects a request that breaks the spec (path, parameters, security,
//! content type, body) and answers a valid one with the spec's example, which the client must
//! decode. The Prism process is managed by `tests/prism/mod.rs` (from
//! `generator/crate-tests/prism.rs`).

use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use super::tests::{all_features, example_call, test_ident};
use crate::ir::{Ir, Operation, Status};

/// The status Prism answers a valid request with when not told otherwise: its lowest declared
/// `2XX` (it sorts status codes as text, so `200` before `201` before `2XX`, which it sends as
/// `200`).
pub(crate) fn prism_default_status(op: &Operation) -> Option<u16> {
    let mut codes: Vec<(String, u16)> = op
        .responses
        .iter()
        .filter(|r| r.status.is_success())
        .map(|r| match r.status {
            Status::Code(c) => (c.to_string(), c),
            Status::Range(x) => (format!("{x}XX"), x * 100),
            Status::Default => ("default".into(), 200),
        })
        .collect();
    codes.sort();
    codes.first().map(|(_, c)| *c)
}

/// The example call of `op` (the same the operations test makes). Operations the spec tells
/// apart by a `#fragment` in the path are one operation for Prism (see
/// `generator::spec::tools`), answering the statuses of both: for those, ask for this one's.
fn call(ir: &Ir, op: &Operation) -> (TokenStream, TokenStream) {
    let mut extra = Vec::new();
    if op.spec_path != op.path
        && let Some(code) = prism_default_status(op)
    {
        let prefer = format!("code={code}");
        extra.push(quote!(.header("Prefer", #prefer)));
    }
    let example = example_call(ir, op, extra);
    (example.prelude.clone(), example.call(op))
}

/// `tests/contract.rs`.
pub fn contract(ir: &Ir) -> TokenStream {
    let cfg = all_features(ir);
    let mut fns = Vec::new();
    let mut tests = Vec::new();
    for op in &ir.operations {
        let fn_name = quote::format_ident!("op_{}", heck::ToSnakeCase::to_snake_case(op.type_name.as_str()));
        let op_id = &op.id;
        let (prelude, call) = call(ir, op);
        let what = format!("{} {}", op.http_method, op.path);
        let check = match prism_default_status(op) {
            Some(code) => quote! {
                match result {
                    Ok(response) if response.status().as_u16() == #code => Ok(()),
                    Ok(response) => Err(format!("answered {}, expected {}", response.status(), #code)),
                    Err(e) => Err(reason(&e)),
                }
            },
            // No success response declared: nothing for Prism to answer with.
            None => quote! {
                match result {
                    Ok(response) => Err(format!("answered {} to an operation that declares no success", response.status())),
                    Err(e) => Err(reason(&e)),
                }
            },
        };
        fns.push(quote! {
            async fn #fn_name(client: &dwolla::Client) -> Result<(), String> {
                #prelude
                let result = #call;
                #check
            }
        });
        let test_name = test_ident(&op.type_name);
        tests.push(quote! {
            #[tokio::test]
            async fn #test_name() {
                let (id, what): (&str, &str) = (#op_id, #what);
                let client = super::client().await;
                if let Err(e) = super::#fn_name(&client).await {
                    panic!("{id} ({what}): {e}\n  Prism's log: {}", super::prism().log().display());
                }
            }
        });
    }
    let doc = docs::inner_lines(
        "Contract test: every operation through the typed client against Stoplight Prism\n\
         (`prism mock`, request validation on) serving the spec with our overlay applied, the\n\
         document this crate is generated from. Prism rejects any request that breaks the spec\n\
         with a 4xx and says why; it answers a valid one with the spec's example for its lowest\n\
         success status, which the client must decode. Arguments come from the spec's examples.\n\
         One test per operation, `operation::<name>`; one Prism serves them all.\n\
         Prism is installed with npm into `target/prism` on first use (see `prism/mod.rs`).",
    );
    quote! {
        #doc
        #cfg

        mod prism;

        /// Why a call failed, with Prism's own account of the violation when it gave one: the
        /// `sl-violations` header it adds when it answers with one of the spec's error
        /// responses, and the `detail` and `validation` of the problem+json body it sends when
        /// the spec declares none.
        fn reason(e: &dwolla::Error) -> String {
            let dwolla::Error::Api(api) = e else {
                return match e {
                    dwolla::Error::Decode { body, .. } => {
                        format!("{e}\n      body: {}", String::from_utf8_lossy(body))
                    }
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

        /// The Prism server of this test binary, started by the first test that needs it. It lives
        /// as long as the process; `prism/mod.rs` has it exit with the process. Should it fail to
        /// start, every test fails with the reason.
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

        /// A client of the shared Prism (one per test: a client belongs to its test's runtime),
        /// after checking that Prism validates requests.
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

        #(#fns)*

        /// Prism is validating: a request that breaks the spec (a customer without any of its
        /// required fields) is refused with its reasons. Otherwise every pass below would mean
        /// nothing.
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

        /// One test per operation, named after it: `cargo test --test contract operation::create_customer`.
        mod operation {
            #(#tests)*
        }
    }
}
