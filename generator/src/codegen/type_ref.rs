//! Rust type expressions for IR type references. Generated code names std types by absolute
//! path, so a spec schema called `Option`, `Box` or `String` cannot shadow them.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::ir::{CONSTS_MODULE, Ir, TypeId, TypeRef};

pub fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// The path of a named type from anywhere in the crate.
pub fn named(ir: &Ir, id: TypeId) -> TokenStream {
    let t = &ir.types[id.0];
    let name = ident(&t.name);
    if t.module == CONSTS_MODULE {
        quote!(crate::models::consts::#name)
    } else {
        quote!(crate::models::#name)
    }
}

/// The type expression for `t` in a model (a JSON value).
pub fn type_tokens(ir: &Ir, t: &TypeRef) -> TokenStream {
    match t {
        TypeRef::Named(id) => named(ir, *id),
        TypeRef::String | TypeRef::Binary => quote!(::std::string::String),
        TypeRef::Bool => quote!(bool),
        TypeRef::I32 => quote!(i32),
        TypeRef::I64 => quote!(i64),
        TypeRef::F64 => quote!(f64),
        TypeRef::DateTime => quote!(::chrono::DateTime<::chrono::Utc>),
        TypeRef::Date => quote!(::chrono::NaiveDate),
        TypeRef::Any => quote!(::serde_json::Value),
        TypeRef::Object => quote!(::serde_json::Map<::std::string::String, ::serde_json::Value>),
        TypeRef::Vec(inner) => {
            let inner = type_tokens(ir, inner);
            quote!(::std::vec::Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = type_tokens(ir, inner);
            quote!(::std::collections::BTreeMap<::std::string::String, #inner>)
        }
    }
}
