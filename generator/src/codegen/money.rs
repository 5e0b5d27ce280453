//! Tokens for the `decimal` feature: `to_decimal`/`from_decimal` on every amount type (a struct
//! with a string `value` and a string `currency`), and the generated test that every amount in
//! the spec's examples survives string -> decimal -> string unchanged.

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use super::docs;
use super::type_ref::ident;
use crate::ir::{Field, Ir, Struct, TypeEntry, TypeRef};

/// The `value` and `currency` fields of an amount type, when `s` is one: both strings, and
/// no other required field (so that `from_decimal` can build it from those two alone).
fn amount_fields(s: &Struct) -> Option<(&Field, &Field)> {
    let field = |name: &str| {
        s.fields
            .iter()
            .find(|f| f.ident == name && f.ty == TypeRef::String && !f.boxed)
    };
    let (value, currency) = (field("value")?, field("currency")?);
    let others_optional = s
        .fields
        .iter()
        .all(|f| f.ident == "value" || f.ident == "currency" || f.optional());
    others_optional.then_some((value, currency))
}

/// The `decimal` conversions of an amount type; nothing for any other type.
pub(super) fn amount_impls(t: &TypeEntry, s: &Struct) -> TokenStream {
    let Some((value, currency)) = amount_fields(s) else {
        return TokenStream::new();
    };
    let name = ident(&t.name);
    let read = if value.optional() {
        quote!(crate::decimal::parse(self.value.as_deref()))
    } else {
        quote!(crate::decimal::parse(::std::option::Option::Some(self.value.as_str())))
    };
    let wrap = |f: &Field, v: TokenStream| {
        if f.optional() {
            quote!(::std::option::Option::Some(#v))
        } else {
            v
        }
    };
    let value_init = wrap(value, quote!(crate::decimal::format(value)));
    let currency_init = wrap(currency, quote!(currency.into()));
    let others = s
        .fields
        .iter()
        .filter(|f| f.ident != "value" && f.ident != "currency")
        .map(|f| {
            let i = ident(&f.ident);
            quote!(#i: ::std::option::Option::None,)
        });
    let additional = if s.additional.is_some() {
        quote!(additional_properties: ::std::default::Default::default(),)
    } else {
        TokenStream::new()
    };
    quote! {
        #[cfg(feature = "decimal")]
        #[cfg_attr(docsrs, doc(cfg(feature = "decimal")))]
        impl #name {
            /// The amount as a decimal, exactly as written: `"5.00"` is `5.00`, scale 2. A
            /// negative value (`"-12.34"`) is read as written: the sign is not checked here. A
            /// missing value, or one that is not a plain decimal number or does not fit a
            /// `Decimal` exactly, is an [`AmountError`](crate::AmountError).
            pub fn to_decimal(&self) -> ::std::result::Result<::rust_decimal::Decimal, crate::AmountError> {
                #read
            }

            /// An amount of `value` in `currency` (`"USD"`), written with the decimal's scale:
            /// `Decimal::new(500, 2)` is `"5.00"`.
            pub fn from_decimal(value: ::rust_decimal::Decimal, currency: impl ::std::convert::Into<::std::string::String>) -> Self {
                Self { value: #value_init, currency: #currency_init, #(#others)* #additional }
            }
        }
    }
}

/// Every `value` string of an object with a string `currency` beside it, anywhere in `v`.
fn amounts_in(v: &Value, out: &mut Vec<String>, depth: usize) {
    if depth > 64 {
        return;
    }
    match v {
        Value::Object(o) => {
            if let (Some(Value::String(value)), Some(Value::String(_))) = (o.get("value"), o.get("currency"))
                && !out.contains(value)
            {
                out.push(value.clone());
            }
            for x in o.values() {
                amounts_in(x, out, depth + 1);
            }
        }
        Value::Array(a) => {
            for x in a {
                amounts_in(x, out, depth + 1);
            }
        }
        _ => {}
    }
}

/// `tests/amounts.rs`: every amount in every example the IR collected, through `to_decimal`
/// and back through `from_decimal`, must come back as the same string.
pub fn amounts_test(ir: &Ir) -> TokenStream {
    let mut values = Vec::new();
    for t in &ir.types {
        for e in &t.examples {
            amounts_in(&e.value, &mut values, 0);
        }
    }
    // The always-present amount type that the test goes through.
    let amount = ir
        .types
        .iter()
        .find(|t| {
            matches!(&t.kind, crate::ir::TypeKind::Struct(s) if amount_fields(s).is_some()) && t.features.is_empty()
        })
        .or_else(|| {
            ir.types
                .iter()
                .find(|t| matches!(&t.kind, crate::ir::TypeKind::Struct(s) if amount_fields(s).is_some()))
        });
    let Some(amount) = amount else {
        return TokenStream::new();
    };
    let path: TokenStream = format!("dwolla::models::{}", amount.name).parse().unwrap_or_default();
    let features = ir.modules.iter().filter_map(|m| m.feature.as_deref());
    let count = values.len();
    let doc = docs::inner_lines(
        "Every amount in the spec's examples (each `value` beside a `currency`) goes from its string\nto a `Decimal` and back unchanged.",
    );
    quote! {
        #doc
        #![cfg(all(feature = "decimal", #(feature = #features),*))]

        /// The amounts of the spec's examples.
        const AMOUNTS: [&str; #count] = [#(#values),*];

        #[test]
        fn every_spec_amount_round_trips_through_decimal() {
            let mut failures = Vec::new();
            for text in AMOUNTS {
                let original: #path = serde_json::from_value(serde_json::json!({"value": text, "currency": "USD"})).unwrap();
                match original.to_decimal() {
                    Ok(d) => {
                        let back = serde_json::to_value(#path::from_decimal(d, "USD")).unwrap();
                        if back["value"] != text {
                            failures.push(format!("{text} came back as {}", back["value"]));
                        }
                    }
                    Err(e) => failures.push(format!("{text}: {e}")),
                }
            }
            println!("{} spec amounts round-tripped: {:?}", AMOUNTS.len(), AMOUNTS);
            assert!(!AMOUNTS.is_empty());
            assert!(failures.is_empty(), "{}", failures.join("\n"));
        }
    }
}
