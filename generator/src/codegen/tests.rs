//! Tests of the generated crate that are themselves generated from the spec: that every
//! component schema is a public type, and that every example in the spec round-trips through
//! the Rust type of its schema.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use super::type_ref::named;
use crate::ir::{Ir, TypeId};

/// `#![cfg(all(feature = ...))]`: the tests name types of every resource module.
fn all_features(ir: &Ir) -> TokenStream {
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
            let path = named(ir, TypeId(i))
                .to_string()
                .replace("crate :: models", "dwolla :: models");
            let path: TokenStream = path.parse().unwrap_or_default();
            paths.push(path);
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
        let path = named(ir, TypeId(i))
            .to_string()
            .replace("crate :: models", "dwolla :: models");
        let path: TokenStream = path.parse().unwrap_or_default();
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
