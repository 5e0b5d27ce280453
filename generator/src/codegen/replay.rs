//! `tests/replay.rs`: Dwolla's API-reference examples replayed through the client. The
//! harness (reading the cases, the mock, judging, the allowlist) is hand-written in
//! `generator/crate-tests/docs_replay.rs`; this file generates what needs per-operation code:
//! for each operationId, the documented request turned into the typed call (path arguments,
//! parameters, the body deserialized into the operation's input type) and its result.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs;
use super::tests::{all_features, test_type};
use super::type_ref::ident;
use crate::ir::{BodyKind, Ir, Operation, ParamLocation, SuccessBody, TypeRef};

/// The tokens of `tests/replay.rs`.
pub fn replay(ir: &Ir) -> TokenStream {
    let cfg = all_features(ir);
    let mut fns = Vec::new();
    let mut arms = Vec::new();
    for op in &ir.operations {
        let fn_name = format_ident!("op_{}", op.test_name);
        let id = &op.id;
        fns.push(call_fn(ir, op, &fn_name));
        arms.push(quote!(#id => #fn_name(server, client, case).await,));
    }
    let doc = docs::inner_lines(
        "Dwolla's API-reference examples (`tests/fixtures/dwolla-docs/` in the workspace) replayed\nthrough the client against a loopback mock: for each, whether the documented request body is\nthe operation's typed input, whether the client sends the documented request, and whether the\ndocumented response decodes. The harness is `docs_replay/mod.rs`.",
    );
    quote! {
        #doc
        #cfg
        #![allow(clippy::redundant_clone, unused_mut, unused_variables)]

        mod docs_replay;

        use docs_replay::{param, required, Case, Replayed, Run};
        use wiremock::matchers::{method, path};
        use wiremock::{Mock, MockServer, ResponseTemplate};

        /// Answers the client's token requests (it asks once and caches the token).
        async fn mount_token(server: &MockServer) {
            Mock::given(method("POST"))
                .and(path("/token"))
                .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
                    "access_token": "test-access-token", "token_type": "Bearer", "expires_in": 3600
                })))
                .mount(server)
                .await;
        }

        #(#fns)*

        /// The call of the case's operation, or `None` for an operationId the crate lacks.
        async fn call(server: &MockServer, client: &dwolla::Client, case: &Case, operation: &str) -> Option<Replayed> {
            Some(match operation {
                #(#arms)*
                _ => return None,
            })
        }

        #[tokio::test]
        async fn every_documented_exchange_replays() {
            let mut run = Run::start().await;
            for case in docs_replay::cases() {
                let Some(operation) = case.operation_id.clone() else {
                    run.no_operation(&case);
                    continue;
                };
                run.prepare(&case).await;
                let replayed = match call(&run.server, &run.client, &case, &operation).await {
                    Some(r) => r,
                    None => Err(format!("the crate has no operation `{operation}`")),
                };
                run.judge(&case, &operation, replayed).await;
            }
            run.finish();
        }
    }
}

/// `async fn op_x(server, client, case) -> Replayed`: the documented request as a typed call.
fn call_fn(ir: &Ir, op: &Operation, fn_name: &proc_macro2::Ident) -> TokenStream {
    let template = &op.path;
    let mut prelude = Vec::new();
    let mut args = Vec::new();
    let mut setters = Vec::new();
    let path_params: Vec<_> = op.path_params().collect();
    if !path_params.is_empty() {
        prelude.push(quote!(let path_args = case.path_args(#template)?;));
    }
    for (i, p) in path_params.iter().enumerate() {
        let wire = &p.wire;
        args.push(match p.ty {
            TypeRef::String => quote!(path_args[#i].clone()),
            _ => {
                let ty = test_type(ir, &p.ty);
                quote!(param::<#ty>(#wire, &path_args[#i])?)
            }
        });
    }
    for p in op.params.iter().filter(|p| p.location != ParamLocation::Path) {
        let wire = &p.wire;
        let ty = test_type(ir, &p.ty);
        let lookup = if p.location == ParamLocation::Query {
            quote!(case.query(#wire))
        } else {
            quote!(case.header(#wire))
        };
        if p.required {
            args.push(quote!(param::<#ty>(#wire, &required(#wire, #lookup)?)?));
        } else {
            let setter = ident(&p.ident);
            setters.push(quote! {
                if let Some(text) = #lookup {
                    call = call.#setter(param::<#ty>(#wire, &text)?);
                }
            });
        }
    }
    if let Some(body) = &op.body {
        match &body.kind {
            BodyKind::Json(t) | BodyKind::Form(t) => {
                let ty = test_type(ir, t);
                if body.required {
                    prelude.push(quote!(let body: #ty = case.body()?;));
                    args.push(quote!(body));
                } else {
                    setters.push(quote! {
                        if case.has_body() {
                            call = call.body(case.body::<#ty>()?);
                        }
                    });
                }
            }
            BodyKind::Multipart(parts) => {
                for part in parts {
                    let wire = &part.wire;
                    let value = |text: TokenStream| {
                        if part.ty == TypeRef::Binary {
                            quote!(case.file(#wire)?)
                        } else {
                            let ty = test_type(ir, &part.ty);
                            quote!(param::<#ty>(#wire, &#text)?)
                        }
                    };
                    if part.required {
                        let v = value(quote!(required(#wire, case.form_text(#wire))?));
                        args.push(v);
                    } else {
                        let setter = ident(&part.ident);
                        let v = value(quote!(text));
                        setters.push(quote! {
                            if let Some(text) = case.form_text(#wire) {
                                call = call.#setter(#v);
                            }
                        });
                    }
                }
            }
        }
    }
    let accessors: Vec<_> = op.group.iter().map(|g| ident(g)).collect();
    let method = ident(&op.method);
    let token = if op.auth == crate::ir::Auth::Bearer {
        quote!(mount_token(server).await;)
    } else {
        TokenStream::new()
    };
    let created = created_id(op);
    quote! {
        async fn #fn_name(server: &MockServer, client: &dwolla::Client, case: &Case) -> Replayed {
            #token
            #(#prelude)*
            let mut call = client #(.#accessors())* .#method(#(#args),*);
            #(#setters)*
            Ok(call.await.map(#created).map_err(|e| e.to_string()))
        }
    }
}

/// A closure from the call's response to the id of the resource a `201` created.
fn created_id(op: &Operation) -> TokenStream {
    match op.single_success() {
        Some(SuccessBody::Created) => quote!(|r| Some(r.into_inner().id)),
        Some(_) => quote!(|_| None),
        None => {
            let enum_name = format_ident!("{}Outcome", op.type_name);
            let created = op
                .responses
                .iter()
                .any(|r| r.status.is_success() && r.location && r.status == crate::ir::Status::Code(201));
            let module = ident(op.api_module().unwrap_or_default());
            if created {
                quote!(|r| match r.into_inner() {
                    dwolla::api::#module::#enum_name::Created(c) => Some(c.id),
                    _ => None,
                })
            } else {
                quote!(|_| None)
            }
        }
    }
}
