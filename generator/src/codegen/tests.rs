//! Tests of the generated crate that are themselves generated from the spec: that every
//! component schema is a public type, and that every example in the spec round-trips through
//! the Rust type of its schema.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use super::type_ref::{Root, ident};
use crate::ir::{Ir, TypeId};

/// `#![cfg(all(feature = ...))]`: the tests name types of every resource module.
pub(crate) fn all_features(ir: &Ir) -> TokenStream {
    let features = ir.modules.iter().filter_map(|m| m.feature.as_deref());
    quote!(#![cfg(all(#(feature = #features),*))])
}

/// `tests/components.rs`: compiles only if every component schema is at `dwolla::models::*`.
pub fn components(ir: &Ir) -> TokenStream {
    let cfg = all_features(ir);
    let mut names = Vec::new();
    let mut paths = Vec::new();
    for (i, t) in ir.types.iter().enumerate() {
        if let Some(c) = &t.component {
            names.push(c.clone());
            paths.push(test_path(ir, TypeId(i)));
        }
    }
    let count = names.len();
    let doc = docs::inner_lines(
        "Every component schema of the spec (after the overlay) is a public type at\n`dwolla::models::*`: this file compiles only if each one is.",
    );
    quote! {
        #doc
        #cfg

        /// The spec's component schema names, each checked to be a type below.
        pub const COMPONENTS: [&str; #count] = [#(#names),*];

        #[test]
        fn every_component_schema_is_a_public_model() {
            fn is_a_type<T: ?Sized>() {}
            #( is_a_type::<#paths>(); )*
            assert_eq!(COMPONENTS.len(), #count);
        }
    }
}

/// `tests/spec_examples.rs`: every example of every type decodes into it and re-encodes with
/// each declared leaf unchanged.
pub fn examples(ir: &Ir) -> TokenStream {
    let cfg = all_features(ir);
    let mut rows = Vec::new();
    for (i, t) in ir.types.iter().enumerate() {
        let path = test_path(ir, TypeId(i));
        let name = &t.name;
        for e in &t.examples {
            let source = &e.source;
            let json = serde_json::to_string(&e.value).unwrap_or_default();
            let declared = &e.declared;
            rows.push(quote! {
                Example { ty: #name, source: #source, json: #json, declared: &[#(#declared),*], check: roundtrip::<#path> },
            });
        }
    }
    let count = rows.len();
    let doc = docs::inner_lines(
        "Every example in the spec (schema examples, media-type examples, and one value per type\nassembled from its property examples) decodes into the Rust type of its schema and\nre-encodes with every declared field unchanged.",
    );
    quote! {
        #doc
        #cfg

        use serde_json::Value;

        struct Example {
            ty: &'static str,
            source: &'static str,
            json: &'static str,
            /// JSON pointers of the declared leaves, which must survive the round trip.
            declared: &'static [&'static str],
            check: fn(&Value) -> Result<Value, String>,
        }

        fn roundtrip<T: serde::de::DeserializeOwned + serde::Serialize>(v: &Value) -> Result<Value, String> {
            let t: T = serde_path_to_error::deserialize(v)
                .map_err(|e| format!("decode failed at `{}`: {}", e.path(), e.inner()))?;
            serde_json::to_value(&t).map_err(|e| format!("encode failed: {e}"))
        }

        /// Equal, or the same instant written two ways.
        fn same(a: &Value, b: &Value) -> bool {
            if a == b {
                return true;
            }
            match (a.as_str(), b.as_str()) {
                (Some(x), Some(y)) => matches!(
                    (chrono::DateTime::parse_from_rfc3339(x), chrono::DateTime::parse_from_rfc3339(y)),
                    (Ok(p), Ok(q)) if p == q
                ),
                _ => a.as_f64().is_some() && a.as_f64() == b.as_f64(),
            }
        }

        #[test]
        fn every_spec_example_round_trips() {
            let mut failures = Vec::new();
            let mut leaves = 0;
            for e in &EXAMPLES {
                let input: Value = match serde_json::from_str(e.json) {
                    Ok(v) => v,
                    Err(err) => {
                        failures.push(format!("{} ({}): example is not JSON: {err}", e.ty, e.source));
                        continue;
                    }
                };
                match (e.check)(&input) {
                    Ok(output) => {
                        for p in e.declared {
                            leaves += 1;
                            let (a, b) = (input.pointer(p), output.pointer(p));
                            if !matches!((a, b), (Some(a), Some(b)) if same(a, b)) {
                                failures.push(format!("{} ({}): `{p}` was {a:?}, came back as {b:?}", e.ty, e.source));
                            }
                        }
                    }
                    Err(err) => failures.push(format!("{} ({}): {err}", e.ty, e.source)),
                }
            }
            println!("{} examples, {leaves} declared leaves checked, {} failures", EXAMPLES.len(), failures.len());
            assert!(failures.is_empty(), "{} of {} examples failed:\n{}", failures.len(), EXAMPLES.len(), failures.join("\n"));
        }

        static EXAMPLES: [Example; #count] = [#(#rows)*];
    }
}

/// An example of `t` as JSON text, from the examples the IR collected.
pub(crate) fn example_json(ir: &Ir, t: &crate::ir::TypeRef) -> Option<String> {
    use crate::ir::{TypeKind, TypeRef};
    match t {
        TypeRef::Named(id) => {
            let e = &ir.types[id.0];
            if let Some(x) = e.examples.first() {
                return serde_json::to_string(&x.value).ok();
            }
            match &e.kind {
                TypeKind::Alias(inner) => example_json(ir, inner),
                _ => None,
            }
        }
        TypeRef::Vec(inner) => example_json(ir, inner).map(|x| format!("[{x}]")),
        TypeRef::Object | TypeRef::Any | TypeRef::Map(_) => Some("{}".into()),
        _ => None,
    }
}

/// A Rust expression and its wire text for a parameter value of type `t`.
pub(crate) fn param_value(ir: &Ir, t: &crate::ir::TypeRef) -> (TokenStream, String) {
    use crate::ir::{TypeKind, TypeRef};
    match t {
        TypeRef::I32 | TypeRef::I64 => (quote!(10), "10".into()),
        TypeRef::F64 => (quote!(1.5), "1.5".into()),
        TypeRef::Bool => (quote!(true), "true".into()),
        TypeRef::Date => (
            quote!("2024-01-02".parse::<chrono::NaiveDate>().unwrap()),
            "2024-01-02".into(),
        ),
        TypeRef::DateTime => (
            quote!("2024-01-02T03:04:05Z".parse::<chrono::DateTime<chrono::Utc>>().unwrap()),
            "2024-01-02T03:04:05Z".into(),
        ),
        TypeRef::Named(id) => match &ir.types[id.0].kind {
            TypeKind::Enum(e) => {
                let wire = e
                    .values
                    .first()
                    .map(|v| v.wire.clone())
                    .unwrap_or_else(|| "value".into());
                let path = test_path(ir, *id);
                (quote!(#path::from(#wire)), wire)
            }
            TypeKind::Alias(inner) => param_value(ir, inner),
            _ => (quote!("value"), "value".into()),
        },
        _ => (quote!("value-1"), "value-1".into()),
    }
}

/// The path of a named type as the generated tests (a crate that depends on this one) write it.
pub(crate) fn test_path(ir: &Ir, id: TypeId) -> TokenStream {
    super::type_ref::named_from(ir, id, Root::Downstream)
}

/// The type expression for `t` as the generated tests write it.
pub(crate) fn test_type(ir: &Ir, t: &crate::ir::TypeRef) -> TokenStream {
    super::type_ref::type_tokens_from(ir, t, Root::Downstream)
}

/// The text of the file every generated test uploads.
/// The text of the file every multipart upload of the generated tests sends.
pub(crate) const EXAMPLE_FILE_TEXT: &str = "%PDF-1.4 test document";

/// What an example call sends as its body.
pub(crate) enum SentBody {
    Json {
        content_type: String,
        json: String,
    },
    /// Form text, `k=v&...`.
    Form(String),
    /// The part names, and whether one is the example file.
    Multipart {
        parts: Vec<String>,
        file: bool,
    },
}

/// A typed call of an operation with arguments from the spec's examples (every required
/// argument, every optional parameter set, the body decoded from its type's example) and the
/// request it must produce. The operations test and the contract test both use it, so they send
/// the same requests.
pub(crate) struct ExampleCall {
    /// Statements that prepare the call: the body, decoded from its example.
    pub prelude: TokenStream,
    args: Vec<TokenStream>,
    setters: Vec<TokenStream>,
    /// The request path with the placeholder path parameters.
    pub path: String,
    /// `(wire name, text)` of every query parameter and header parameter sent.
    pub query: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    pub body: Option<SentBody>,
}

impl ExampleCall {
    /// `client.<groups>().<method>(args).<setters>.await`.
    pub fn call(&self, op: &crate::ir::Operation) -> TokenStream {
        let builder = self.builder(op);
        quote!(#builder.await)
    }

    /// `client.<groups>().<method>(args).<setters>`: the request builder, not sent.
    pub fn builder(&self, op: &crate::ir::Operation) -> TokenStream {
        let accessors: Vec<_> = op.group.iter().map(|g| ident(g)).collect();
        let method = ident(&op.method);
        let (args, setters) = (&self.args, &self.setters);
        quote!(client #(.#accessors())* .#method(#(#args),*) #(#setters)*)
    }
}

/// The example call of `op`, with `extra` setters (such as `.header(..)`) at the end.
pub(crate) fn example_call(ir: &Ir, op: &crate::ir::Operation, extra: Vec<TokenStream>) -> ExampleCall {
    use crate::ir::{BodyKind, ParamLocation, TypeRef};
    let mut call = ExampleCall {
        prelude: TokenStream::new(),
        args: Vec::new(),
        setters: Vec::new(),
        path: String::new(),
        query: Vec::new(),
        headers: Vec::new(),
        body: None,
    };
    // Path parameters, in the order the path names them (the order of the arguments).
    let mut rest = op.path.as_str();
    while let Some(start) = rest.find('{') {
        let Some(end) = rest[start..].find('}') else { break };
        call.path.push_str(&rest[..start]);
        let wire = &rest[start + 1..start + end];
        if let Some(p) = op
            .params
            .iter()
            .find(|p| p.location == ParamLocation::Path && p.wire == wire)
        {
            let (value, text) = match p.ty {
                TypeRef::String => {
                    let v = format!("{}-1", p.ident);
                    (quote!(#v), v)
                }
                _ => param_value(ir, &p.ty),
            };
            call.path.push_str(&text);
            call.args.push(value);
        }
        rest = &rest[start + end + 1..];
    }
    call.path.push_str(rest);
    for p in op.params.iter().filter(|p| p.location != ParamLocation::Path) {
        let (value, text) = param_value(ir, &p.ty);
        if p.location == ParamLocation::Query {
            call.query.push((p.wire.clone(), text));
        } else {
            call.headers.push((p.wire.clone(), text));
        }
        if p.required {
            call.args.push(value);
        } else {
            let setter = ident(&p.ident);
            call.setters.push(quote!(.#setter(#value)));
        }
    }
    if let Some(body) = &op.body {
        match &body.kind {
            BodyKind::Json(t) | BodyKind::Form(t) => {
                let json = example_json(ir, t).unwrap_or_else(|| "{}".into());
                let ty = test_type(ir, t);
                call.prelude = quote! {
                    let body: #ty = serde_json::from_str(#json)
                        .map_err(|e| format!("the spec's body example does not decode: {e}"))?;
                };
                call.body = Some(if matches!(body.kind, BodyKind::Form(_)) {
                    SentBody::Form(serde_urlencoded_string(&json))
                } else {
                    SentBody::Json {
                        content_type: body.content_type.clone(),
                        json,
                    }
                });
                if body.required {
                    call.args.push(quote!(body));
                } else {
                    call.setters.push(quote!(.body(body)));
                }
            }
            BodyKind::Multipart(parts) => {
                let mut names = Vec::new();
                let mut file = false;
                for part in parts {
                    names.push(part.wire.clone());
                    let value = if part.ty == TypeRef::Binary {
                        file = true;
                        quote!(dwolla::File::from_bytes(#EXAMPLE_FILE_TEXT.as_bytes().to_vec(), "scan.pdf"))
                    } else {
                        param_value(ir, &part.ty).0
                    };
                    if part.required {
                        call.args.push(value);
                    } else {
                        let setter = ident(&part.ident);
                        call.setters.push(quote!(.#setter(#value)));
                    }
                }
                call.body = Some(SentBody::Multipart { parts: names, file });
            }
        }
    }
    call.setters.extend(extra);
    call
}

/// `tests/operations.rs`: every operation against a mock server that answers only the request
/// the spec describes, with every response the spec declares. Each test is data, played by the
/// hand-written `tests/strict_mock/mod.rs`.
pub fn operations(ir: &Ir) -> TokenStream {
    let cfg = all_features(ir);
    let tests = ir.operations.iter().map(|op| operation_test(ir, op));
    let doc = docs::inner_lines(
        "Every operation of the spec against a loopback mock server that answers only the request\nthe spec describes (method, path, query, headers, content type, body from the spec's\nexamples), once for every response the spec declares, each with its example body. One test\nper operation, `operation::<name>`, each with a mock server of its own.",
    );
    quote! {
        #doc
        #cfg
        #![allow(clippy::redundant_clone, clippy::unit_arg)]

        mod strict_mock;

        /// One test per operation, named after it: `cargo test --test operations operation::create_customer`.
        mod operation {
            use super::strict_mock::{answer, check, Auth, Body, Expect, Outcome, Reply};
            #(#tests)*
        }
    }
}

/// One operation's test: the request it must send, the replies to play, and the call.
fn operation_test(ir: &Ir, op: &crate::ir::Operation) -> TokenStream {
    let example = example_call(ir, op, Vec::new());
    let expect = expected_request(op, &example);
    let replies = op.responses.iter().map(|r| reply(ir, r));
    let (prelude, call) = (&example.prelude, example.call(op));
    let (op_id, test_name) = (&op.id, ident(&op.test_name));
    quote! {
        #[tokio::test]
        async fn #test_name() {
            check(#op_id, #expect, &[#(#replies),*], |client| Box::pin(async move {
                #prelude
                Ok(answer(#call))
            }))
            .await;
        }
    }
}

/// The `Expect` of `op`: everything the spec says its request is.
fn expected_request(op: &crate::ir::Operation, example: &ExampleCall) -> TokenStream {
    let (method, path, accept) = (op.http_method.as_str(), &example.path, &op.accept);
    let auth = match op.auth {
        crate::ir::Auth::Basic => quote!(Auth::Basic),
        crate::ir::Auth::Bearer => quote!(Auth::Bearer),
        crate::ir::Auth::None => quote!(Auth::None),
    };
    let idempotency_key = op.is_post();
    let pairs = |list: &[(String, String)]| {
        let items = list.iter().map(|(name, value)| quote!((#name, #value)));
        quote!(&[#(#items),*])
    };
    let (query, headers) = (pairs(&example.query), pairs(&example.headers));
    let body = match &example.body {
        None => quote!(Body::None),
        Some(SentBody::Json { content_type, json }) => quote!(Body::Json { content_type: #content_type, json: #json }),
        Some(SentBody::Form(form)) => quote!(Body::Form(#form)),
        Some(SentBody::Multipart { parts, file }) => {
            let file = if *file { quote!(Some(#EXAMPLE_FILE_TEXT)) } else { quote!(None) };
            quote!(Body::Multipart { parts: &[#(#parts),*], file: #file })
        }
    };
    quote! {
        Expect {
            method: #method,
            path: #path,
            accept: #accept,
            auth: #auth,
            idempotency_key: #idempotency_key,
            query: #query,
            headers: #headers,
            body: #body,
        }
    }
}

/// The `Reply` of one declared response: a `default` plays as `500`, a range as its `x00`.
fn reply(ir: &Ir, r: &crate::ir::Response) -> TokenStream {
    use crate::ir::{Status, TypeRef};
    let status: u16 = match r.status {
        Status::Code(c) => c,
        Status::Range(x) => x * 100,
        Status::Default => 500,
    };
    let body = match r.body.as_ref().and_then(|t| example_json(ir, t)) {
        Some(json) => quote!(Some(#json)),
        None => quote!(None),
    };
    let location = r.location;
    let outcome = if r.status.is_success() {
        quote!(Outcome::Ok { created: #location })
    } else {
        match r.body.as_ref().and_then(TypeRef::named) {
            Some(id) => {
                let name = &ir.types[ir.canonical(id).0].name;
                let variant = ident(name);
                quote!(Outcome::Api { typed: Some((#name, |b| matches!(b, dwolla::ApiErrorBody::#variant(_)))) })
            }
            None => quote!(Outcome::Api { typed: None }),
        }
    };
    quote!(Reply { status: #status, body: #body, location: #location, outcome: #outcome })
}

/// A JSON object of strings as `application/x-www-form-urlencoded` text.
pub(crate) fn serde_urlencoded_string(json: &str) -> String {
    let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(json) else {
        return String::new();
    };
    map.iter()
        .map(|(k, v)| format!("{k}={}", v.as_str().map(str::to_owned).unwrap_or_else(|| v.to_string())))
        .collect::<Vec<_>>()
        .join("&")
}

/// `tests/decoders.rs`: arbitrary bytes, arbitrary JSON values and mutated spec examples fed to
/// the decoder of every response body type; a panic anywhere fails the test.
pub fn decoders(ir: &Ir) -> TokenStream {
    let cfg = all_features(ir);
    let types = response_types(ir);
    let decoders = types.iter().map(|t| {
        let ty = test_type(ir, t);
        let name = ty.to_string().replace(' ', "");
        quote!((#name, decode::<#ty>),)
    });
    let seeds = types.iter().filter_map(|t| example_json(ir, t));
    let count = types.len();
    let doc = docs::inner_lines(
        "Fuzzing the decoders: arbitrary bytes, arbitrary JSON values and mutated spec examples go\nthrough the decoder of every response body type. Decoding may fail; it must never panic.\nThe inputs and the runner are in `fuzz/mod.rs`.",
    );
    quote! {
        #doc
        #cfg

        mod fuzz;

        use fuzz::{decode, Decoder};

        static DECODERS: [Decoder; #count] = [#(#decoders)*];
        static SEEDS: &[&str] = &[#(#seeds),*];

        #[test]
        fn no_decoder_panics_on_hostile_input() {
            fuzz::no_decoder_panics(&DECODERS, SEEDS);
        }
    }
}

/// Every response body type of every operation, once each, in the order they first appear.
fn response_types(ir: &Ir) -> Vec<crate::ir::TypeRef> {
    let mut seen: Vec<crate::ir::TypeRef> = Vec::new();
    for t in ir.operations.iter().flat_map(|op| &op.responses).filter_map(|r| r.body.as_ref()) {
        if !seen.contains(t) {
            seen.push(t.clone());
        }
    }
    seen
}

