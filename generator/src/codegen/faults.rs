//! `tests/at_most_once.rs`: every `POST` operation of the spec, through its typed builder,
//! against the fault server (`tests/fault_server/mod.rs`) at every point of an exchange, under
//! every kind of retry policy and without a key, resumed the way the README says. The file is
//! data and calls; the matrix and its checks are the hand-written `tests/fault_matrix/mod.rs`.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use super::tests::{example_call, example_json};
use crate::ir::{Auth, Ir, Operation, PathPiece, Status};

/// The test file: one test that drives the whole matrix concurrently.
pub fn at_most_once(ir: &Ir) -> TokenStream {
    let features = ir.modules.iter().filter_map(|m| m.feature.as_deref());
    // The token endpoint is the fault server's own; every other `POST` moves something.
    let operations = ir
        .operations
        .iter()
        .filter(|op| op.is_post() && op.auth != Auth::Basic)
        .map(|op| operation(ir, op));
    let doc = docs::inner_lines(
        "Money moves at most once: every `POST` operation of the spec, sent through its typed\nbuilder to a loopback server that fails at every point of an exchange and plays Dwolla's\nidempotency rules, under the default retry policy, no retries, a custom policy and without\nan Idempotency-Key, and resumed the way the README says. The server counts what it acted on.",
    );
    quote! {
        #doc
        #![cfg(all(#(feature = #features,)* feature = "test-util"))]
        #![allow(clippy::redundant_clone)]

        mod fault_matrix;
        mod fault_server;

        use fault_matrix::{Key, Operation};
        use fault_server::{Answer, CASE_HEADER};

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn every_post_acts_at_most_once_under_every_fault() {
            fault_matrix::run(vec![#(#operations),*]).await;
        }
    }
}

/// One operation: the answer the server gives when it acts, and its typed call.
fn operation(ir: &Ir, op: &Operation) -> TokenStream {
    let example = example_call(ir, op, Vec::new());
    let (prelude, builder) = (&example.prelude, example.builder(op));
    let success = op.responses.iter().find(|r| r.status.is_success());
    let status: u16 = match success.map(|r| r.status) {
        Some(Status::Code(c)) => c,
        _ => 200,
    };
    let body = match success.and_then(|r| r.body.as_ref()).and_then(|t| example_json(ir, t)) {
        Some(json) => quote!(Some(#json)),
        None => quote!(None),
    };
    let collection = match success.is_some_and(|r| r.location).then(|| collection(op)).flatten() {
        Some(c) => quote!(Some(#c)),
        None => quote!(None),
    };
    let fetches_created = op.created.is_some();
    let read_back = op.created.as_ref().and_then(|t| example_json(ir, t)).unwrap_or_else(|| "{}".into());
    let send = if fetches_created {
        quote!(builder.fetch_created().await.map(|_| ()))
    } else {
        quote!(builder.await.map(|_| ()))
    };
    let id = &op.id;
    quote! {
        Operation {
            id: #id,
            answer: Answer { status: #status, body: #body, collection: #collection, read_back: #read_back },
            fetches_created: #fetches_created,
            call: |client, sending| Box::pin(async move {
                #prelude
                let builder = #builder.header(CASE_HEADER, sending.case.to_string());
                let builder = match sending.policy {
                    Some(policy) => builder.retry(policy),
                    None => builder,
                };
                let builder = match sending.timeout {
                    Some(timeout) => builder.timeout(timeout),
                    None => builder,
                };
                let builder = match sending.key {
                    Key::Fresh => builder,
                    Key::Resume(key) => builder.idempotency_key(key),
                    Key::Without => builder.without_idempotency_key(),
                };
                Ok(#send)
            }),
        }
    }
}

/// The collection a `201`'s `Location` names: the last literal segment of the path.
fn collection(op: &Operation) -> Option<String> {
    let last = op.template.iter().rev().find_map(|p| match p {
        PathPiece::Literal(text) => Some(text.trim_matches('/')),
        PathPiece::Param(_) => None,
    })?;
    last.rsplit('/').next().filter(|s| !s.is_empty()).map(str::to_owned)
}
