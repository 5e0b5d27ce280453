//! Shared accessors on a union (`oneOf`/`anyOf`) enum, as tokens: for a field that every
//! variant has, a method that reads it from whichever variant the value is, so that
//! `customer.status()` needs no `match` over five variants and three status types. Which
//! fields get one, and what they return, is the IR's ([`crate::ir::accessors`]); the change
//! report lists the same.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use super::type_ref::{ident, type_tokens};
use crate::ir::accessors::{Returns, SharedAccessor, plain_string, shared_accessors};
use crate::ir::{Field, Ir, TypeEntry, Union};

/// The `impl` block of `t`'s shared accessors, or nothing when no field qualifies.
pub fn union_accessors(ir: &Ir, t: &TypeEntry, u: &Union) -> TokenStream {
    let methods: Vec<TokenStream> = shared_accessors(ir, u).iter().map(|a| accessor(ir, a)).collect();
    if methods.is_empty() {
        return TokenStream::new();
    }
    let name = ident(&t.name);
    quote! {
        impl #name {
            #(#methods)*
        }
    }
}

/// One accessor method.
fn accessor(ir: &Ir, a: &SharedAccessor<'_>) -> TokenStream {
    let wire = docs::code(a.wire);
    let (doc, ty, arms): (String, TokenStream, Vec<TokenStream>) = match &a.returns {
        Returns::Same(t) => {
            let inner = type_tokens(ir, t);
            let arms = a.fields.iter().map(|(v, f)| arm(v, typed_read(f, a.optional))).collect();
            (format!("The {wire} of whichever variant this is."), quote!(&#inner), arms)
        }
        Returns::Str { plain } => {
            let arms = a.fields.iter().map(|(v, f)| arm(v, str_read(ir, f, a.optional))).collect();
            let text = if *plain {
                format!("The {wire} of whichever variant this is.")
            } else {
                format!("The {wire} of whichever variant this is, as it is on the wire.")
            };
            (text, quote!(&str), arms)
        }
    };
    let ret = if a.optional { quote!(::std::option::Option<#ty>) } else { ty };
    let method = ident(a.name);
    let doc = docs::lines(&doc);
    quote! {
        #doc
        pub fn #method(&self) -> #ret {
            match self {
                #(#arms)*
            }
        }
    }
}

/// One match arm: variant `v`, read by `read` (an expression of the variant's value `v`).
fn arm(v: &str, read: TokenStream) -> TokenStream {
    let variant = ident(v);
    quote!(Self::#variant(v) => #read,)
}

/// Reading a field of the shared type as `&T`, or `Option<&T>` when `optional`.
fn typed_read(f: &Field, optional: bool) -> TokenStream {
    let field = ident(&f.ident);
    match (f.optional(), f.boxed, optional) {
        (true, true, _) => quote!(v.#field.as_deref()),
        (true, false, _) => quote!(v.#field.as_ref()),
        (false, true, true) => quote!(::std::option::Option::Some(&*v.#field)),
        (false, false, true) => quote!(::std::option::Option::Some(&v.#field)),
        (false, true, false) => quote!(&*v.#field),
        (false, false, false) => quote!(&v.#field),
    }
}

/// Reading a string-valued field as `&str`, or `Option<&str>` when `optional`.
fn str_read(ir: &Ir, f: &Field, optional: bool) -> TokenStream {
    let field = ident(&f.ident);
    match (f.optional(), plain_string(ir, f), optional) {
        (true, true, _) => quote!(v.#field.as_deref()),
        (true, false, _) => {
            let ty = type_tokens(ir, &f.ty);
            quote!(v.#field.as_ref().map(#ty::as_str))
        }
        (false, _, true) => quote!(::std::option::Option::Some(v.#field.as_str())),
        (false, _, false) => quote!(v.#field.as_str()),
    }
}

#[cfg(test)]
mod tests {
    use super::union_accessors;
    use crate::ir::{
        EnumValue, Field, Ir, Stats, StringEnum, Struct, TypeId, TypeKind, TypeRef, Union, UnionVariant,
        VariantChecks,
    };

    use crate::ir::test_entry as entry;

    fn field(name: &str, ty: TypeRef, required: bool) -> Field {
        Field {
            wire: name.to_owned(),
            ident: name.to_owned(),
            ty,
            required,
            nullable: false,
            boxed: false,
            secret: false,
            docs: None,
            example: None,
        }
    }

    fn structure(fields: Vec<Field>) -> TypeKind {
        TypeKind::Struct(Struct { fields, additional: None, views: Vec::new(), links: Vec::new(), required: None })
    }

    fn union(variants: &[(&str, TypeRef)]) -> TypeKind {
        let variants = variants
            .iter()
            .map(|(ident, ty)| UnionVariant {
                ident: (*ident).to_owned(),
                ty: ty.clone(),
                boxed: false,
                checks: VariantChecks::default(),
            })
            .collect();
        TypeKind::Union(Union { variants, discriminator: None })
    }

    /// `A` and `B` (through the alias `BAlias`) share `id` (a `String` in both), `status` (an
    /// open enum in one, a `String` in the other), `note` (optional in one), `created` (the
    /// same named type), `count` (`i32` against `i64`) and `clone` (a derive's method name).
    fn ir() -> Ir {
        let named = |i| TypeRef::Named(TypeId(i));
        let status = StringEnum { values: vec![EnumValue { wire: "a".into(), ident: "A".into() }] };
        let types = vec![
            entry("Status", TypeKind::Enum(status)),
            entry("Stamp", structure(vec![field("at", TypeRef::String, true)])),
            entry(
                "A",
                structure(vec![
                    field("id", TypeRef::String, true),
                    field("status", named(0), true),
                    field("note", TypeRef::String, false),
                    field("created", named(1), true),
                    field("count", TypeRef::I32, true),
                    field("clone", TypeRef::String, true),
                ]),
            ),
            entry(
                "B",
                structure(vec![
                    field("clone", TypeRef::String, true),
                    field("count", TypeRef::I64, true),
                    field("created", named(1), true),
                    field("note", TypeRef::String, true),
                    field("status", TypeRef::String, true),
                    field("id", TypeRef::String, true),
                ]),
            ),
            entry("BAlias", TypeKind::Alias(named(3))),
            entry("U", union(&[("First", named(2)), ("Second", named(4))])),
            entry("V", union(&[("First", named(2)), ("Text", TypeRef::String)])),
        ];
        Ir {
            types,
            operations: Vec::new(),
            modules: Vec::new(),
            feature_groups: Vec::new(),
            stats: Stats::default(),
            warnings: Vec::new(),
            error_codes: Vec::new(),
        }
    }

    fn accessors_of(ir: &Ir, id: usize) -> String {
        let t = &ir.types[id];
        let TypeKind::Union(u) = &t.kind else { panic!("{} is not a union", t.name) };
        union_accessors(ir, t, u).to_string().replace(' ', "")
    }

    #[test]
    fn shared_fields_read_by_the_rules_and_the_rest_get_no_accessor() {
        let ir = ir();
        let u = accessors_of(&ir, 5);
        assert!(u.contains("pubfnid(&self)->&str{matchself{Self::First(v)=>v.id.as_str(),"), "{u}");
        assert!(u.contains("pubfnstatus(&self)->&str{"), "{u}");
        assert!(u.contains("Self::First(v)=>v.status.as_str(),Self::Second(v)=>v.status.as_str(),"), "{u}");
        assert!(u.contains("pubfnnote(&self)->::std::option::Option<&str>{"), "{u}");
        assert!(u.contains("Self::First(v)=>v.note.as_deref(),"), "{u}");
        assert!(u.contains("Self::Second(v)=>::std::option::Option::Some(v.note.as_str()),"), "{u}");
        assert!(u.contains("pubfncreated(&self)->&crate::models::Stamp{"), "{u}");
        assert!(!u.contains("fncount"), "i32 against i64 has no accessor: {u}");
        assert!(!u.contains("fnclone"), "a derive's method name is not shadowed: {u}");
    }

    #[test]
    fn a_union_with_a_variant_that_is_not_a_struct_gets_no_accessors() {
        assert_eq!(accessors_of(&ir(), 6), "");
    }
}
