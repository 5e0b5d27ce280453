//! Shared accessors on a union (`oneOf`/`anyOf`) enum: for a field that every variant has, a
//! method that reads it from whichever variant the value is, so that `customer.status()` needs
//! no `match` over five variants and three status types.
//!
//! The rules, all read off the IR:
//!
//! - Every variant holds a struct (directly or through an alias chain, [`Ir::resolve_alias`]);
//!   otherwise the union gets no accessors.
//! - A field is shared when every variant's struct has a field of that wire name. Fields are
//!   taken in the first variant's order, and the accessor is named after the first variant's
//!   field (the IR's name, already a Rust name).
//! - When the field is a `String` in every variant, the accessor returns `&str`, or
//!   `Option<&str>` when it is an `Option` in at least one variant.
//! - Otherwise, when the field has the same Rust type `T` in every variant (aliases followed;
//!   a cyclic field, boxed, must be boxed in every variant and is read through its `Box`), the
//!   accessor returns `&T`, or `Option<&T>` when the field is an `Option` in at least one
//!   variant.
//! - When the types differ but each is string-valued (a `String`, or a generated open string
//!   enum, which has `as_str()`), it returns `&str`, or `Option<&str>` likewise: the value as
//!   it is on the wire.
//! - Otherwise the field gets no accessor; nor does a field whose name is a method the enum
//!   already has ([`ENUM_METHODS`]), since an inherent method would shadow it.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use super::type_ref::{ident, type_tokens};
use crate::ir::{Field, Ir, Struct, TypeEntry, TypeKind, TypeRef, Union};

/// The methods a union enum has from the derives and impls `models.rs` gives it (`Clone`,
/// `Debug`, `PartialEq`, `Serialize`, `Deserialize`, `From`) and from std's blanket impls: an
/// accessor of one of these names would shadow it in method-call syntax.
const ENUM_METHODS: &[&str] = &[
    "clone",
    "clone_from",
    "fmt",
    "eq",
    "ne",
    "serialize",
    "deserialize",
    "from",
    "into",
    "try_from",
    "try_into",
    "to_owned",
    "clone_into",
    "borrow",
    "borrow_mut",
    "type_id",
];

/// The `impl` block of `t`'s shared accessors, or nothing when no field qualifies.
pub fn union_accessors(ir: &Ir, t: &TypeEntry, u: &Union) -> TokenStream {
    let Some(structs) = variant_structs(ir, u) else {
        return TokenStream::new();
    };
    let Some((_, first)) = structs.first() else {
        return TokenStream::new();
    };
    let methods: Vec<TokenStream> = first
        .fields
        .iter()
        .filter(|f| !ENUM_METHODS.contains(&f.ident.as_str()))
        .filter_map(|f| {
            let fields: Vec<(&str, &Field)> = structs
                .iter()
                .map(|(variant, s)| s.fields.iter().find(|g| g.wire == f.wire).map(|g| (*variant, g)))
                .collect::<Option<_>>()?;
            accessor(ir, &f.ident, &fields)
        })
        .collect();
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

/// Each variant's name and the struct it holds, or `None` when some variant holds no struct.
fn variant_structs<'a>(ir: &'a Ir, u: &'a Union) -> Option<Vec<(&'a str, &'a Struct)>> {
    u.variants
        .iter()
        .map(|v| match ir.resolve_alias(&v.ty) {
            TypeRef::Named(id) => match &ir.types[id.0].kind {
                TypeKind::Struct(s) => Some((v.ident.as_str(), s)),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

/// The accessor `name` over one field per variant (`(variant, field)`), by the rules above.
fn accessor(ir: &Ir, name: &str, fields: &[(&str, &Field)]) -> Option<TokenStream> {
    let (_, first) = fields.first()?;
    let optional = fields.iter().any(|(_, f)| f.optional());
    let wire = docs::code(&first.wire);
    let plain = fields.iter().all(|(_, f)| plain_string(ir, f));
    let (doc, ty, arms) = if !plain && fields.iter().all(|(_, f)| same_type(ir, f, first)) {
        let inner = type_tokens(ir, &first.ty);
        let arms = fields.iter().map(|(v, f)| arm(v, typed_read(f, optional)));
        let ty = quote!(&#inner);
        (format!("The {wire} of whichever variant this is."), ty, arms.collect::<Vec<_>>())
    } else if fields.iter().all(|(_, f)| string_valued(ir, f)) {
        let arms = fields.iter().map(|(v, f)| arm(v, str_read(ir, f, optional)));
        let ty = quote!(&str);
        let text = if plain {
            format!("The {wire} of whichever variant this is.")
        } else {
            format!("The {wire} of whichever variant this is, as it is on the wire.")
        };
        (text, ty, arms.collect())
    } else {
        return None;
    };
    let ret = if optional { quote!(::std::option::Option<#ty>) } else { ty };
    let method = ident(name);
    let doc = docs::lines(&doc);
    Some(quote! {
        #doc
        pub fn #method(&self) -> #ret {
            match self {
                #(#arms)*
            }
        }
    })
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

/// Whether `a` and `b` are the same Rust type: the same type through aliases, boxed alike.
fn same_type(ir: &Ir, a: &Field, b: &Field) -> bool {
    a.boxed == b.boxed && rust_type(ir, &a.ty) == rust_type(ir, &b.ty)
}

/// `t` as the Rust type it stands for: aliases followed, and a binary body (a `String` in a
/// model) as the string it is.
fn rust_type(ir: &Ir, t: &TypeRef) -> TypeRef {
    match ir.resolve_alias(t) {
        TypeRef::Binary => TypeRef::String,
        other => other,
    }
}

/// Whether the field is a plain `String` (not boxed).
fn plain_string(ir: &Ir, f: &Field) -> bool {
    !f.boxed && rust_type(ir, &f.ty) == TypeRef::String
}

/// Whether the field holds a string with `as_str()`: a `String` or an open string enum.
fn string_valued(ir: &Ir, f: &Field) -> bool {
    !f.boxed
        && match rust_type(ir, &f.ty) {
            TypeRef::String => true,
            TypeRef::Named(id) => matches!(ir.types[id.0].kind, TypeKind::Enum(_)),
            _ => false,
        }
}

#[cfg(test)]
mod tests {
    use super::union_accessors;
    use crate::ir::{
        EnumValue, Field, Ir, Stats, StringEnum, Struct, TypeEntry, TypeId, TypeKind, TypeRef, Union, UnionVariant,
        VariantChecks,
    };
    use crate::spec::Pointer;

    fn entry(name: &str, kind: TypeKind) -> TypeEntry {
        TypeEntry {
            name: name.to_owned(),
            module: crate::ir::COMMON_MODULE.to_owned(),
            docs: None,
            origin: Pointer::root(),
            component: None,
            in_request: false,
            same_as: None,
            features: Vec::new(),
            kind,
            examples: Vec::new(),
        }
    }

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
        TypeKind::Struct(Struct { fields, additional: None, views: Vec::new(), links: Vec::new() })
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
