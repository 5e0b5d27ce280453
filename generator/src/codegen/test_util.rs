//! Tokens for the `test-util` feature: constructors for the types users never build (response
//! types), the table of every operation's example answer that `dwolla::test_util::MockDwolla`
//! serves, and the generated test that builds every model type through its constructor.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use super::type_ref::{Root, ident, named_from, type_tokens_from};
use crate::ir::{Ir, Operation, Status, Struct, TypeKind, TypeRef};

/// How deep the constructor test nests constructors for required fields before it gives up on
/// a type (a required cycle could never be built, nor received).
const MAX_DEPTH: usize = 8;

/// `new(..)` and the `with_x` setters of a type users do not build (with the struct of its
/// required fields and `Default` when it has them), compiled only with the `test-util`
/// feature so that the default build is unchanged.
pub(super) fn gated_constructor(ir: &Ir, name: &str, s: &Struct) -> TokenStream {
    let items = [
        super::models::constructor(ir, name, s),
        super::models::required_struct(ir, name, s),
        super::models::default_from_new(ir, name, s),
    ];
    let gated = items.into_iter().filter(|item| !item.is_empty()).map(|item| {
        quote! {
            #[cfg(feature = "test-util")]
            #[cfg_attr(docsrs, doc(cfg(feature = "test-util")))]
            #item
        }
    });
    quote!(#(#gated)*)
}

/// `Default` for a type users do not build whose fields are all optional, as the types they
/// build have it, under the `test-util` feature.
pub(super) fn gated_default() -> TokenStream {
    quote!(#[cfg_attr(feature = "test-util", derive(Default))])
}

/// `src/test_util/operations.rs`: for every operation, what the mock answers by default, and
/// the Sandbox's table of the same operations (`codegen/sandbox.rs`).
pub fn operations_table(ir: &Ir) -> TokenStream {
    let rows = ir.operations.iter().map(|op| {
        let id = &op.id;
        let method = op.http_method.as_str();
        let path = &op.path;
        let (status, body, location) = default_answer(ir, op);
        let body = optional_str(body);
        quote! {
            super::MockOperation { id: #id, method: #method, path: #path, status: #status, body: #body, location: #location },
        }
    });
    let count = ir.operations.len();
    let doc =
        docs::inner_lines("Every operation of the spec and the answer the mock gives it unless a test says otherwise.");
    let sandbox = super::sandbox::sandbox_table(ir);
    let handles = super::sandbox::handles(ir);
    quote! {
        #doc

        /// One row per operation: its method, path template and the spec's example answer.
        pub(super) static OPERATIONS: [super::MockOperation; #count] = [#(#rows)*];

        #sandbox

        #handles
    }
}

/// What the spec shows first for an operation: the first declared success, else the first
/// response, as its status, its example body and whether it carries a `Location`.
pub(super) fn default_answer(ir: &Ir, op: &Operation) -> (u16, Option<String>, bool) {
    let chosen = op
        .responses
        .iter()
        .find(|r| r.status.is_success())
        .or_else(|| op.responses.first());
    match chosen {
        Some(r) => {
            let code: u16 = match r.status {
                Status::Code(c) => c,
                Status::Range(x) => x.saturating_mul(100),
                Status::Default => 200,
            };
            let body = r.body.as_ref().and_then(|t| super::tests::example_json(ir, t));
            (code, body, r.location)
        }
        None => (200, None, false),
    }
}

/// `Some("..")` or `None` as an `Option<&'static str>` expression.
pub(super) fn optional_str(text: Option<String>) -> TokenStream {
    match text {
        Some(json) => quote!(::std::option::Option::Some(#json)),
        None => quote!(::std::option::Option::None),
    }
}

/// `tests/model_constructors.rs`: every model struct built through its public constructor,
/// with a value for every required field (itself built the same way).
pub fn constructors_test(ir: &Ir) -> TokenStream {
    let features = ir.modules.iter().filter_map(|m| m.feature.as_deref());
    let mut lines = Vec::new();
    let mut names = Vec::new();
    let mut structs = 0_usize;
    for (i, t) in ir.types.iter().enumerate() {
        if !matches!(t.kind, TypeKind::Struct(_)) {
            continue;
        }
        structs += 1;
        let Some(value) = value_of(ir, &TypeRef::Named(crate::ir::TypeId(i)), 0) else {
            continue;
        };
        let path = named_from(ir, crate::ir::TypeId(i), Root::Downstream);
        names.push(t.name.clone());
        lines.push(quote!(let _: #path = #value;));
    }
    let count = names.len();
    let doc = docs::inner_lines(
        "Every model struct of the crate built through its public constructor (`new` with the\nrequired fields), as a crate that depends on `dwolla` with the `test-util` feature can.",
    );
    quote! {
        #doc
        #![cfg(all(feature = "test-util", #(feature = #features),*))]

        /// The structs built below, one line each.
        pub const BUILT: [&str; #count] = [#(#names),*];

        /// The model structs of the crate; a struct the generator could not find values for is
        /// missing from [`BUILT`] and fails the test.
        pub const STRUCTS: usize = #structs;

        #[test]
        fn every_model_struct_has_a_public_constructor() {
            #(#lines)*
            println!("{} of {STRUCTS} model structs built through their constructors", BUILT.len());
            assert_eq!(BUILT.len(), STRUCTS);
        }
    }
}

/// An expression of type `t` built only through the public API, or `None` past the depth
/// bound.
fn value_of(ir: &Ir, t: &TypeRef, depth: usize) -> Option<TokenStream> {
    if depth > MAX_DEPTH {
        return None;
    }
    Some(match t {
        TypeRef::String | TypeRef::Binary => quote!(::std::string::String::new()),
        TypeRef::Bool => quote!(false),
        TypeRef::I32 => quote!(0_i32),
        TypeRef::I64 => quote!(0_i64),
        TypeRef::F64 => quote!(0.0_f64),
        TypeRef::DateTime => quote!(dwolla::chrono::DateTime::<dwolla::chrono::Utc>::UNIX_EPOCH),
        TypeRef::Date => quote!(dwolla::chrono::NaiveDate::MIN),
        TypeRef::Any => quote!(serde_json::Value::Null),
        TypeRef::Object => quote!(serde_json::Map::new()),
        TypeRef::Vec(_) | TypeRef::Map(_) => {
            let ty = type_tokens_from(ir, t, Root::Downstream);
            quote!(<#ty>::new())
        }
        TypeRef::Named(id) => {
            let ty = &ir.types[id.0];
            let path = named_from(ir, *id, Root::Downstream);
            match &ty.kind {
                TypeKind::Alias(target) => value_of(ir, target, depth + 1)?,
                TypeKind::Const { .. } => quote!(#path),
                TypeKind::Enum(_) => quote!(#path::from("")),
                TypeKind::Union(u) => {
                    let v = u.variants.first()?;
                    let inner = value_of(ir, &v.ty, depth + 1)?;
                    let variant = ident(&v.ident);
                    if v.boxed {
                        quote!(#path::#variant(::std::boxed::Box::new(#inner)))
                    } else {
                        quote!(#path::#variant(#inner))
                    }
                }
                TypeKind::Struct(s) => {
                    let mut args = Vec::new();
                    let mut named_args = Vec::new();
                    for f in ir.constructor_args(s) {
                        let value = value_of(ir, &f.ty, depth + 1)?;
                        let field = ident(&f.ident);
                        named_args.push(quote!(#field: #value));
                        args.push(value);
                    }
                    match &s.required {
                        Some(required) => {
                            let required = ident(required);
                            quote!(#path::new(dwolla::models::#required { #(#named_args),* }))
                        }
                        None => quote!(#path::new(#(#args),*)),
                    }
                }
            }
        }
    })
}
