//! `tests/contract.rs`: every operation through the typed client against Stoplight Prism, a
//! mock server nobody on this project wrote, serving the same corrected spec the crate is
//! generated from. Prism rejects a request that breaks the spec (path, parameters, security,
//! content type, body) and answers a valid one with the spec's example, which the client must
//! decode. The Prism process is managed by `tests/prism/mod.rs` (from
//! `generator/crate-tests/prism.rs`).

use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use super::type_ref::ident;
use super::tests::{all_features, example_call};
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

/// `tests/contract.rs`: one test per operation, played by the hand-written
/// `tests/contract_support/mod.rs`.
pub fn contract(ir: &Ir) -> TokenStream {
    let cfg = all_features(ir);
    let tests = ir.operations.iter().map(|op| operation_test(ir, op));
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

        mod contract_support;
        mod prism;

        /// One test per operation, named after it: `cargo test --test contract operation::create_customer`.
        mod operation {
            use super::contract_support::{answer, check};
            #(#tests)*
        }
    }
}

/// One operation's test: its call and the status Prism must answer it with.
fn operation_test(ir: &Ir, op: &Operation) -> TokenStream {
    let (prelude, call) = call(ir, op);
    let what = format!("{} {}", op.http_method, op.path);
    let expected = match prism_default_status(op) {
        Some(code) => quote!(Some(#code)),
        None => quote!(None),
    };
    let (op_id, test_name) = (&op.id, ident(&op.test_name));
    quote! {
        #[tokio::test]
        async fn #test_name() {
            check(#op_id, #what, #expected, |client| Box::pin(async move {
                #prelude
                Ok(answer(#call))
            }))
            .await;
        }
    }
}
