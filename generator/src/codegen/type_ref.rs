//! Rust type expressions for IR type references. Generated code names std types by absolute
//! path, so a spec schema called `Option`, `Box` or `String` cannot shadow them.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::ir::{CONSTS_MODULE, Ir, TypeId, TypeRef};

pub fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// Where a path to a generated type starts: inside the crate, or in a crate that depends on it
/// (the generated tests, which see the public API only).
#[derive(Clone, Copy)]
pub enum Root {
    /// `crate::models::…`
    Crate,
    /// `dwolla::models::…`
    Downstream,
}

impl Root {
    fn tokens(self) -> TokenStream {
        match self {
            Root::Crate => quote!(crate),
            Root::Downstream => quote!(dwolla),
        }
    }
}

/// The path of a named type from anywhere in the crate.
pub fn named(ir: &Ir, id: TypeId) -> TokenStream {
    named_from(ir, id, Root::Crate)
}

/// The path of a named type from `root`.
pub fn named_from(ir: &Ir, id: TypeId, root: Root) -> TokenStream {
    let t = &ir.types[id.0];
    let name = ident(&t.name);
    let root = root.tokens();
    if t.module == CONSTS_MODULE {
        quote!(#root::models::consts::#name)
    } else {
        quote!(#root::models::#name)
    }
}

/// The path of a named type as an intra-doc link target (`crate::models::X`).
pub fn doc_path(ir: &Ir, id: TypeId) -> String {
    let t = &ir.types[id.0];
    let module = if t.module == CONSTS_MODULE { "crate::models::consts" } else { "crate::models" };
    format!("{module}::{}", t.name)
}

/// The type expression for `t` in a model (a JSON value).
pub fn type_tokens(ir: &Ir, t: &TypeRef) -> TokenStream {
    type_tokens_from(ir, t, Root::Crate)
}

/// [`type_tokens`] with named types' paths from `root`.
pub fn type_tokens_from(ir: &Ir, t: &TypeRef, root: Root) -> TokenStream {
    match t {
        TypeRef::Named(id) => named_from(ir, *id, root),
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
            let inner = type_tokens_from(ir, inner, root);
            quote!(::std::vec::Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = type_tokens_from(ir, inner, root);
            quote!(::std::collections::BTreeMap<::std::string::String, #inner>)
        }
    }
}
