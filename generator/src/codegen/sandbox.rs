//! Tokens for the Sandbox's table (`dwolla::test_util::Sandbox`): for every operation, which
//! collection or item of a resource it addresses and how (create, list, get, update, remove, or
//! an action), its spec example, and the required fields of its JSON request body. The Sandbox's
//! engine is hand-written runtime code that knows no generated type; this table is all it knows
//! of the spec.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{BodyKind, HttpMethod, Ir, PathPiece, TypeKind, TypeRef};

/// A path segment: literal text or a parameter.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Segment {
    Literal(String),
    Param,
}

/// The segments of a parsed path template.
fn segments(template: &[PathPiece]) -> Vec<Segment> {
    let mut out = Vec::new();
    for piece in template {
        match piece {
            PathPiece::Literal(text) => {
                out.extend(text.split('/').filter(|s| !s.is_empty()).map(|s| Segment::Literal(s.to_owned())));
            }
            PathPiece::Param(_) => out.push(Segment::Param),
        }
    }
    out
}

/// How an operation addresses a resource: its kind (a `SandboxKind` variant name), the
/// collection and the parent collection it is under, if any. `creates` says a response of the
/// operation carries a `Location` (a `POST` without one is an action, not a create); `paged`
/// that it answers with a page of items (a `GET` of one thing, `/funding-sources/{id}/balance`,
/// is an action, not a list).
fn addressing(template: &[PathPiece], method: HttpMethod, creates: bool, paged: bool) -> (&'static str, String, Option<String>) {
    use Segment::{Literal, Param};
    let action = |c: &str| ("Action", c.to_owned(), None);
    match (segments(template).as_slice(), method) {
        ([Literal(c)], HttpMethod::Get) if paged => ("List", c.clone(), None),
        ([Literal(c)], HttpMethod::Post) if creates => ("Create", c.clone(), None),
        ([Literal(c)], _) => action(c),
        ([Literal(c), Param], HttpMethod::Get) => ("Get", c.clone(), None),
        ([Literal(c), Param], HttpMethod::Post) => ("Update", c.clone(), None),
        ([Literal(c), Param], HttpMethod::Delete) => ("Remove", c.clone(), None),
        ([Literal(p), Param, Literal(c)], HttpMethod::Get) if paged => ("List", c.clone(), Some(p.clone())),
        ([Literal(p), Param, Literal(c)], HttpMethod::Post) if creates => ("Create", c.clone(), Some(p.clone())),
        ([Literal(p), Param, Literal(c)], _) => ("Action", c.clone(), Some(p.clone())),
        _ => action(""),
    }
}

/// Whether an operation answers with a list of items: it is paged, or its first success is an
/// object with `_embedded` items (`GET /webhook-subscriptions` has no paging links in the spec
/// but lists the subscriptions all the same).
fn answers_a_list(ir: &Ir, op: &crate::ir::Operation) -> bool {
    if op.pagination.is_some() {
        return true;
    }
    let body = op.responses.iter().find(|r| r.status.is_success()).and_then(|r| r.body.as_ref());
    let Some(id) = body.and_then(|t| ir.resolve_alias(t).named()) else { return false };
    match &ir.types[ir.canonical(id).0].kind {
        TypeKind::Struct(s) => s.fields.iter().any(|f| f.wire == "_embedded"),
        _ => false,
    }
}

/// The JSON kind a required field must have, as a `JsonKind` variant name.
fn json_kind(ir: &Ir, t: &TypeRef) -> &'static str {
    match ir.resolve_alias(t) {
        TypeRef::String | TypeRef::DateTime | TypeRef::Date | TypeRef::Binary => "String",
        TypeRef::Bool => "Bool",
        TypeRef::I32 | TypeRef::I64 | TypeRef::F64 => "Number",
        TypeRef::Vec(_) => "Array",
        TypeRef::Object | TypeRef::Map(_) => "Object",
        TypeRef::Any => "Any",
        TypeRef::Named(id) => match &ir.types[id.0].kind {
            TypeKind::Struct(_) => "Object",
            TypeKind::Enum(_) | TypeKind::Const { .. } => "String",
            _ => "Any",
        },
    }
}

/// The required top-level fields of a JSON body type, with their kinds: a struct's required
/// fields, or for a union the fields every variant requires (what any valid body carries).
fn required_fields(ir: &Ir, t: &TypeRef) -> Vec<(String, &'static str)> {
    let Some(id) = ir.resolve_alias(t).named() else { return Vec::new() };
    match &ir.types[ir.canonical(id).0].kind {
        TypeKind::Struct(s) => s
            .fields
            .iter()
            .filter(|f| f.required && !f.nullable)
            .map(|f| (f.wire.clone(), json_kind(ir, &f.ty)))
            .collect(),
        TypeKind::Union(u) => {
            let mut each = u.variants.iter().map(|v| required_fields(ir, &v.ty));
            let first = each.next().unwrap_or_default();
            each.fold(first, |common, next| common.into_iter().filter(|f| next.contains(f)).collect())
        }
        _ => Vec::new(),
    }
}

/// The `op` module of `src/test_util/operations.rs`: a typed handle per operation, named after
/// the operation's test name (`create_customer` → `CREATE_CUSTOMER`), which the mock and the
/// Sandbox take instead of a string.
pub(super) fn handles(ir: &Ir) -> TokenStream {
    let consts = ir.operations.iter().map(|op| {
        let name = quote::format_ident!("{}", op.test_name.to_uppercase());
        let (id, method, path) = (&op.id, op.http_method.as_str(), &op.path);
        let doc = format!("`{method} {path}` (operation `{id}`).");
        quote! {
            #[doc = #doc]
            pub const #name: super::super::Operation = super::super::Operation::from_spec(#id, #method, #path);
        }
    });
    quote! {
        /// A typed handle for every operation of the spec, for `MockDwolla::on` and `Sandbox::on`.
        pub mod op {
            #(#consts)*
        }
    }
}

/// The `SANDBOX_OPERATIONS` static of `src/test_util/operations.rs`.
pub(super) fn sandbox_table(ir: &Ir) -> TokenStream {
    let rows = ir.operations.iter().map(|op| {
        let id = &op.id;
        let method = op.http_method.as_str();
        let path = &op.path;
        let creates = op.responses.iter().any(|r| r.location);
        let (kind, collection, parent) = addressing(&op.template, op.http_method, creates, answers_a_list(ir, op));
        let kind = quote::format_ident!("{kind}");
        let parent = super::test_util::optional_str(parent);
        let (status, example, _) = super::test_util::default_answer(ir, op);
        let example = super::test_util::optional_str(example);
        let required = match op.body.as_ref().map(|b| &b.kind) {
            Some(BodyKind::Json(t)) => required_fields(ir, t),
            _ => Vec::new(),
        };
        let required = required.iter().map(|(name, kind)| {
            let kind = quote::format_ident!("{kind}");
            quote!((#name, super::sandbox::JsonKind::#kind))
        });
        quote! {
            super::sandbox::SandboxOperation {
                id: #id, method: #method, path: #path,
                kind: super::sandbox::SandboxKind::#kind, collection: #collection, parent: #parent,
                status: #status, example: #example, required: &[#(#required),*],
            },
        }
    });
    let count = ir.operations.len();
    quote! {
        /// One row per operation for the Sandbox: the resource it addresses and how, its example
        /// answer and the required fields of its request body.
        pub(super) static SANDBOX_OPERATIONS: [super::sandbox::SandboxOperation; #count] = [#(#rows)*];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_operation_addresses_a_collection_an_item_or_a_sub_collection() {
        let lit = |s: &str| PathPiece::Literal(s.to_owned());
        let owned = |k, c: &str, p: Option<&str>| (k, c.to_owned(), p.map(str::to_owned));
        let list = addressing(&[lit("/customers")], HttpMethod::Get, false, true);
        assert_eq!(list, owned("List", "customers", None));
        let create = addressing(&[lit("/customers")], HttpMethod::Post, true, false);
        assert_eq!(create, owned("Create", "customers", None));
        let get = addressing(&[lit("/customers/"), PathPiece::Param(0)], HttpMethod::Get, false, false);
        assert_eq!(get, owned("Get", "customers", None));
        let sub = [lit("/customers/"), PathPiece::Param(0), lit("/funding-sources")];
        let nested = addressing(&sub, HttpMethod::Get, false, true);
        assert_eq!(nested, owned("List", "funding-sources", Some("customers")));
        assert_eq!(addressing(&sub, HttpMethod::Get, false, false).0, "Action");
        assert_eq!(addressing(&sub, HttpMethod::Post, false, false).0, "Action");
        assert_eq!(addressing(&[lit("/sandbox-simulations")], HttpMethod::Post, false, false).0, "Action");
    }
}
