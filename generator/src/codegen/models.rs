//! Tokens for `dwolla::models`: one file per resource module, each type as its IR says.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs;
use super::type_ref::{ident, named, type_tokens};
use super::views;
use crate::ir::{Additional, Field, Fixed, Ir, Module, StringEnum, Struct, TypeEntry, TypeId, TypeKind, TypeRef, Union};

/// The `models/mod.rs` file: the resource modules, public so that the documentation's index is
/// grouped by resource (`models::customers`), each re-exported so that every type is at
/// `dwolla::models::Name` too.
pub fn mod_file(ir: &Ir) -> TokenStream {
    let mut items = TokenStream::new();
    for m in &ir.modules {
        if !ir.types.iter().any(|t| t.module == m.name) {
            continue;
        }
        let name = ident(&m.name);
        let cfg = super::features::cfg(m.feature.as_slice());
        if m.name == crate::ir::CONSTS_MODULE {
            items.extend(quote! { #cfg pub mod #name; });
        } else {
            items.extend(quote! {
                #cfg pub mod #name;
                #cfg pub use self::#name::*;
            });
        }
    }
    let doc = docs::inner_lines(
        "Types for every schema in Dwolla's spec, one module per resource group, each re-exported\nhere (`models::Customer` is `models::customers::Customer`). Each resource module is behind\nthe cargo feature of the same name (all on by default); types several resources share, in\n`common`, are always present.",
    );
    quote! {
        #doc
        // Links between models name `crate::models::X` so that they resolve from any module;
        // within the type's own module rustdoc would find it without the path.
        #![allow(rustdoc::redundant_explicit_links)]
        #items
    }
}

fn module_doc(m: &Module) -> String {
    match (&m.tag, &m.feature) {
        (Some(tag), Some(f)) => format!(
            "Types of the {} resource group{}. Enabled by the `{f}` feature.",
            docs::code(tag),
            m.description
                .as_deref()
                .map(|d| format!(": {}", docs::inline(d)))
                .unwrap_or_default()
        ),
        (None, Some(f)) => format!("Types of the {} operations. Enabled by the `{f}` feature.", docs::code(&m.name)),
        _ if m.name == crate::ir::CONSTS_MODULE => {
            "Zero-sized types for the spec's `const` values: each (de)serializes to exactly one string.".into()
        }
        _ => "Types that several resource groups share. Each is compiled when one of the groups that use it is \
              enabled, and always when no operation uses it."
            .into(),
    }
}

/// One module file with every type placed in it.
/// Types of the shared module are grouped by the features that compile them, each group in a
/// private module behind its `#[cfg]` whose items are re-exported.
pub fn module_file(ir: &Ir, module: &str) -> TokenStream {
    let mut items = TokenStream::new();
    let mut groups: Vec<(&[String], TokenStream)> = Vec::new();
    for (i, t) in ir.types.iter().enumerate() {
        if t.module != module {
            continue;
        }
        let item = type_item(ir, TypeId(i), t);
        if t.features.is_empty() {
            items.extend(item);
        } else if let Some((_, group)) = groups.iter_mut().find(|(f, _)| *f == t.features.as_slice()) {
            group.extend(item);
        } else {
            groups.push((&t.features, item));
        }
    }
    for (features, group) in groups {
        let name = group_module_name(ir, features);
        let cfg = super::features::cfg(features);
        items.extend(quote! {
            #cfg
            mod #name {
                #group
            }
            #cfg
            pub use self::#name::*;
        });
    }
    let m = ir.modules.iter().find(|m| m.name == module);
    let doc = docs::inner_lines(&m.map(module_doc).unwrap_or_default());
    quote! {
        #doc
        #items
    }
}

/// The private module of the shared types that `features` compile, as `ir/naming.rs` named it.
fn group_module_name(ir: &Ir, features: &[String]) -> proc_macro2::Ident {
    let name = ir.feature_groups.iter().find(|(f, _)| f.as_slice() == features).map(|(_, name)| name.as_str());
    ident(name.unwrap_or("shared"))
}

/// A field's description, or else what the spec does say: its wire name and, unless it is a
/// secret, its example.
fn field_doc(f: &Field) -> TokenStream {
    if f.docs.as_deref().is_some_and(|d| !d.trim().is_empty()) {
        return docs::attrs(f.docs.as_deref());
    }
    let mut text = format!("The {} property.", docs::code(&f.wire));
    if let (Some(example), false) = (&f.example, f.secret) {
        let shown = match example {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        if !shown.is_empty() && shown.len() <= 80 && !shown.contains('`') && !shown.contains('\n') {
            text.push_str(&format!(" Example: {}.", docs::code(&shown)));
        }
    }
    docs::lines(&text)
}

fn type_item(ir: &Ir, id: TypeId, t: &TypeEntry) -> TokenStream {
    let name = ident(&t.name);
    let mut doc = docs::attrs(t.docs.as_deref());
    if doc.is_empty() {
        let text = match &t.component {
            Some(c) => format!("The spec's {} schema.", docs::code(c)),
            None => format!("A schema defined inline in the spec at {}.", docs::code(&t.origin.to_string())),
        };
        doc = docs::lines(&text);
    }
    if let Some(canonical) = t.same_as {
        let other = &ir.types[canonical.0];
        // By path: `common` keeps its types in private modules by feature set, where a bare
        // link to a type of another of them does not resolve.
        let link = format!("[`{0}`](crate::models::{0})", other.name);
        let line = docs::lines(&format!(
            "Has the same structure as {link} in the spec, so it is the same Rust type."
        ));
        let sep = if doc.is_empty() { quote!() } else { quote!(#[doc = ""]) };
        doc.extend(quote!(#sep #line));
    }
    if let Some(c) = &t.component
        && c != &t.name
    {
        let line = format!("The spec's {} schema.", docs::code(c));
        let sep = if doc.is_empty() { quote!() } else { quote!(#[doc = ""]) };
        let line = docs::lines(&line);
        doc.extend(quote!(#sep #line));
    }
    match &t.kind {
        TypeKind::Struct(s) => struct_item(ir, id, t, s, doc),
        TypeKind::Enum(e) => enum_item(&name, e, doc),
        TypeKind::Union(u) => [union_item(ir, t, u, doc), super::accessors::union_accessors(ir, t, u)].into_iter().collect(),
        TypeKind::Alias(target) => {
            let target = type_tokens(ir, target);
            quote! { #doc pub type #name = #target; }
        }
        TypeKind::Const { value } => const_item(&name, value, doc),
    }
}

fn serde_attrs(f: &Field) -> TokenStream {
    let mut parts = Vec::new();
    if f.ident != f.wire {
        let wire = &f.wire;
        parts.push(quote!(rename = #wire));
    }
    if f.optional() {
        parts.push(quote!(default));
        if !f.required {
            parts.push(quote!(skip_serializing_if = "::std::option::Option::is_none"));
        }
    }
    if parts.is_empty() {
        TokenStream::new()
    } else {
        quote!(#[serde(#(#parts),*)])
    }
}

/// The field's Rust type: `Option` when optional, `Box` when it closes a cycle.
pub fn field_type(ir: &Ir, f: &Field) -> TokenStream {
    let mut ty = type_tokens(ir, &f.ty);
    if f.boxed {
        ty = quote!(::std::boxed::Box<#ty>);
    }
    if f.optional() {
        ty = quote!(::std::option::Option<#ty>);
    }
    ty
}

fn struct_item(ir: &Ir, id: TypeId, t: &TypeEntry, s: &Struct, doc: TokenStream) -> TokenStream {
    let name = ident(&t.name);
    let fields = s.fields.iter().map(|f| {
        let ident = ident(&f.ident);
        let ty = field_type(ir, f);
        let serde = serde_attrs(f);
        let doc = field_doc(f);
        quote! { #doc #serde pub #ident: #ty, }
    });
    let additional = match &s.additional {
        Some(Additional::Preserve) => quote! {
            /// Properties the spec does not declare, kept as they arrived so that nothing in
            /// the response is lost.
            #[serde(flatten)]
            pub additional_properties: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
        },
        Some(Additional::Typed(v)) => {
            let v = type_tokens(ir, v);
            quote! {
                /// Properties beyond the declared ones.
                #[serde(flatten)]
                pub additional_properties: ::std::collections::BTreeMap<::std::string::String, #v>,
            }
        }
        None => TokenStream::new(),
    };
    let has_secret = s.fields.iter().any(|f| f.secret);
    let derive_debug = if has_secret { quote!() } else { quote!(Debug,) };
    // A struct users build with no required fields gets `Default` as well as `new()`.
    // (A one-value enum is filled in by `new` but has no `Default`.)
    let all_optional = s.fields.iter().all(|f| f.optional() || ir.fixed_value(&f.ty) == Some(Fixed::Const));
    let derive_default = if t.in_request && all_optional {
        quote!(Default,)
    } else {
        quote!()
    };
    let test_default = if !t.in_request && all_optional {
        super::test_util::gated_default()
    } else {
        TokenStream::new()
    };
    let debug_impl = if has_secret {
        redacting_debug(&t.name, s)
    } else {
        TokenStream::new()
    };
    let ctor = if t.in_request {
        let (ctor, required) = (constructor(ir, &t.name, s), required_struct(ir, &t.name, s));
        let default = default_from_new(ir, &t.name, s);
        quote!(#ctor #required #default)
    } else {
        super::test_util::gated_constructor(ir, &t.name, s)
    };
    let views = s.views.iter().map(|v| views::view(ir, id, v));
    let links = views::link_helpers(ir, id, &s.links);
    let money = super::money::amount_impls(t, s);
    let from_single = if t.in_request {
        single_field_from(ir, &t.name, s)
    } else {
        TokenStream::new()
    };
    quote! {
        #doc
        #[derive(Clone, #derive_debug #derive_default PartialEq, ::serde::Serialize, ::serde::Deserialize)]
        #test_default
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
            #additional
        }
        #debug_impl
        #ctor
        #from_single
        #(#views)*
        #links
        #money
    }
}

/// `From<T>` for a struct users build whose only required field is a `T`, so that
/// `Link::from("https://...")` and `new(href)` read naturally; `From<&str>` too when `T` is a
/// string.
fn single_field_from(ir: &Ir, name: &str, s: &Struct) -> TokenStream {
    let required = ir.constructor_args(s);
    let [only] = required.as_slice() else {
        return TokenStream::new();
    };
    if only.boxed {
        return TokenStream::new();
    }
    let ty = ident(name);
    let field_ty = type_tokens(ir, &only.ty);
    let field = ident(&only.ident);
    let mut out = quote! {
        impl ::std::convert::From<#field_ty> for #ty {
            fn from(#field: #field_ty) -> Self {
                Self::new(#field)
            }
        }
    };
    if only.ty == crate::ir::TypeRef::String {
        out.extend(quote! {
            impl ::std::convert::From<&str> for #ty {
                fn from(#field: &str) -> Self {
                    Self::new(#field)
                }
            }
        });
    }
    out
}

/// `Debug` that prints `<redacted>` for secret fields.
fn redacting_debug(name: &str, s: &Struct) -> TokenStream {
    let ty = ident(name);
    let fields = s.fields.iter().map(|f| {
        let ident = ident(&f.ident);
        let label = &f.ident;
        if !f.secret {
            quote!(.field(#label, &self.#ident))
        } else if f.optional() {
            quote!(.field(#label, &self.#ident.as_ref().map(|_| crate::Redacted)))
        } else {
            quote!(.field(#label, &crate::Redacted))
        }
    });
    let extra = if s.additional.is_some() {
        quote!(.field("additional_properties", &self.additional_properties))
    } else {
        TokenStream::new()
    };
    quote! {
        impl ::std::fmt::Debug for #ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(#name) #(#fields)* #extra .finish()
            }
        }
    }
}

/// `new(required...)` and a `with_x` setter per optional field, for types users build. Structs
/// are `#[non_exhaustive]` so that new optional fields are not breaking changes, which also
/// means this is the only way to build them outside the crate. A field with only one legal
/// value is filled in, not asked for; past `MAX_POSITIONAL_ARGS` arguments, `new` takes them as
/// the struct of named fields `Struct::required` (its definition is [`required_struct`]).
pub(super) fn constructor(ir: &Ir, name: &str, s: &Struct) -> TokenStream {
    let ty = ident(name);
    let args = ir.constructor_args(s);
    let mut inits = Vec::new();
    let mut setters = Vec::new();
    for f in &s.fields {
        let ident = ident(&f.ident);
        if f.optional() {
            inits.push(quote!(#ident: ::std::option::Option::None));
            setters.push(optional_setter(ir, f));
        } else if let Some(fixed) = ir.fixed_value(&f.ty) {
            inits.push(fixed_init(ir, f, &fixed));
        } else {
            let value = if s.required.is_some() { quote!(required.#ident) } else { quote!(#ident.into()) };
            if f.boxed {
                inits.push(quote!(#ident: ::std::boxed::Box::new(#value)));
            } else {
                inits.push(quote!(#ident: #value));
            }
        }
    }
    if s.additional.is_some() {
        inits.push(quote!(additional_properties: ::std::default::Default::default()));
    }
    let (doc, params) = match &s.required {
        Some(required) => {
            let required = ident(required);
            let doc = format!("Creates a value from its required fields, named in a [`{required}`]; optional fields start empty.");
            (docs::lines(&doc), vec![quote!(required: #required)])
        }
        None => {
            let params = args.iter().map(|f| {
                let ident = ident(&f.ident);
                let inner = type_tokens(ir, &f.ty);
                quote!(#ident: impl ::std::convert::Into<#inner>)
            });
            (docs::lines("Creates a value from its required fields; optional fields start empty."), params.collect())
        }
    };
    quote! {
        impl #ty {
            #doc
            pub fn new(#(#params),*) -> Self {
                Self { #(#inits),* }
            }
            #(#setters)*
        }
    }
}

/// The struct of named fields a constructor with many arguments takes (`Struct::required`), or
/// nothing. Its fields are public and it is not `#[non_exhaustive]`: a literal must name every
/// one, which is the point.
pub(super) fn required_struct(ir: &Ir, name: &str, s: &Struct) -> TokenStream {
    let Some(required) = &s.required else {
        return TokenStream::new();
    };
    let ty = ident(required);
    let args = ir.constructor_args(s);
    let fields = args.iter().map(|f| {
        let ident = ident(&f.ident);
        let inner = type_tokens(ir, &f.ty);
        let doc = field_doc(f);
        quote!(#doc pub #ident: #inner,)
    });
    let doc = docs::lines(&format!(
        "The required fields of a [`{name}`], for [`{name}::new`]: each named, so none can be swapped or left out."
    ));
    // A secret (an SSN, an account number) never reaches `Debug`.
    let debug = if args.iter().any(|f| f.secret) { quote!() } else { quote!(#[derive(Debug)]) };
    quote! {
        #doc
        #debug
        pub struct #ty {
            #(#fields)*
        }
    }
}

/// `Default` as `new()`, for a struct whose `new` takes nothing but that cannot derive it (it
/// fills in a one-value enum, which has no `Default`); nothing otherwise.
pub(super) fn default_from_new(ir: &Ir, name: &str, s: &Struct) -> TokenStream {
    let fills_variant = s
        .fields
        .iter()
        .any(|f| !f.optional() && matches!(ir.fixed_value(&f.ty), Some(Fixed::Variant(_))));
    if !fills_variant || !ir.constructor_args(s).is_empty() {
        return TokenStream::new();
    }
    let ty = ident(name);
    quote! {
        impl ::std::default::Default for #ty {
            fn default() -> Self {
                Self::new()
            }
        }
    }
}

/// `with_x`, the setter of an optional field.
fn optional_setter(ir: &Ir, f: &Field) -> TokenStream {
    let ident = ident(&f.ident);
    let setter = format_ident!("with_{}", f.ident.trim_end_matches('_'));
    let inner = type_tokens(ir, &f.ty);
    let value = if f.boxed {
        quote!(::std::boxed::Box::new(value.into()))
    } else {
        quote!(value.into())
    };
    let doc = docs::lines(&format!("Sets `{}`.", f.ident));
    quote! {
        #doc
        #[must_use]
        pub fn #setter(mut self, value: impl ::std::convert::Into<#inner>) -> Self {
            self.#ident = ::std::option::Option::Some(#value);
            self
        }
    }
}

/// The initializer of a field with one legal value: the const, or the enum's one variant.
fn fixed_init(ir: &Ir, f: &Field, fixed: &Fixed) -> TokenStream {
    let ident = ident(&f.ident);
    let value = match (fixed, f.ty.named()) {
        (Fixed::Variant(variant), Some(id)) => {
            let path = named(ir, ir.canonical(id));
            let variant = super::type_ref::ident(variant);
            quote!(#path::#variant)
        }
        _ => quote!(::std::default::Default::default()),
    };
    if f.boxed { quote!(#ident: ::std::boxed::Box::new(#value)) } else { quote!(#ident: #value) }
}

fn enum_item(name: &proc_macro2::Ident, e: &StringEnum, doc: TokenStream) -> TokenStream {
    let variants = e.values.iter().map(|v| {
        let ident = ident(&v.ident);
        let d = docs::lines(&docs::code(&v.wire));
        quote!(#d #ident,)
    });
    let to_str = e.values.iter().map(|v| {
        let ident = ident(&v.ident);
        let wire = &v.wire;
        quote!(Self::#ident => #wire,)
    });
    let from_str = e.values.iter().map(|v| {
        let ident = ident(&v.ident);
        let wire = &v.wire;
        quote!(#wire => Self::#ident,)
    });
    quote! {
        #doc
        ///
        /// A value this crate does not know yet arrives as `Unknown` instead of failing to decode.
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value the spec did not list when this crate was generated.
            Unknown(::std::string::String),
        }
        impl #name {
            /// The value as it is sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#to_str)*
                    Self::Unknown(other) => other,
                }
            }
        }
        impl ::std::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#from_str)*
                    other => Self::Unknown(::std::borrow::ToOwned::to_owned(other)),
                }
            }
        }
        crate::macros::string_enum_impls!(#name);
    }
}

/// The doc of a union variant: the type it holds. Every variant gets one (the crate denies
/// missing docs), whatever the spec says or does not say about it.
fn variant_doc(ir: &Ir, ty: &TypeRef) -> String {
    fn phrase(ir: &Ir, ty: &TypeRef) -> String {
        match ty {
            // By path: a bare link resolves only within the Rust module, and `common` splits
            // its types into private modules by feature set.
            TypeRef::Named(id) if ir.types[id.0].module == crate::ir::CONSTS_MODULE => {
                format!("a [`{0}`](crate::models::consts::{0})", ir.types[id.0].name)
            }
            TypeRef::Named(id) => format!("a [`{0}`](crate::models::{0})", ir.types[id.0].name),
            TypeRef::String => "a string".to_owned(),
            TypeRef::Bool => "a boolean".to_owned(),
            TypeRef::I32 | TypeRef::I64 => "an integer".to_owned(),
            TypeRef::F64 => "a number".to_owned(),
            TypeRef::DateTime => "a date and time".to_owned(),
            TypeRef::Date => "a date".to_owned(),
            TypeRef::Binary => "binary content".to_owned(),
            TypeRef::Any => "any JSON value".to_owned(),
            TypeRef::Object => "a JSON object of any properties".to_owned(),
            TypeRef::Vec(inner) => format!("a list, each item {}", phrase(ir, inner)),
            TypeRef::Map(inner) => format!("a JSON object whose every property is {}", phrase(ir, inner)),
        }
    }
    let mut text = phrase(ir, ty);
    if let Some(first) = text.get(..1) {
        text = format!("{}{}.", first.to_uppercase(), &text[1..]);
    }
    text
}

fn union_item(ir: &Ir, t: &TypeEntry, u: &Union, doc: TokenStream) -> TokenStream {
    let name = ident(&t.name);
    let type_name = &t.name;
    let variants = u.variants.iter().map(|v| {
        let ident = ident(&v.ident);
        let mut ty = type_tokens(ir, &v.ty);
        if v.boxed {
            ty = quote!(::std::boxed::Box<#ty>);
        }
        let d = docs::lines(&variant_doc(ir, &v.ty));
        quote!(#d #ident(#ty),)
    });
    let specs = u.variants.iter().map(|v| {
        let vname = &v.ident;
        let required = &v.checks.required;
        let equals = v.checks.equals.iter().map(|(k, val)| {
            let val = val.as_str().unwrap_or_default();
            quote!((#k, #val))
        });
        let object = v.checks.object;
        let code = match &v.checks.code {
            Some(c) => quote!(::std::option::Option::Some(#c)),
            None => quote!(::std::option::Option::None),
        };
        quote! {
            crate::union::Variant {
                name: #vname, required: &[#(#required),*], equals: &[#(#equals),*], object: #object, code: #code,
            },
        }
    });
    let arms = u.variants.iter().enumerate().map(|(i, v)| {
        let i = proc_macro2::Literal::usize_unsuffixed(i);
        let ident = ident(&v.ident);
        if v.boxed {
            quote!(#i => crate::union::decode_keeping(&value).map(|(v, kept)| (Self::#ident(::std::boxed::Box::new(v)), kept)),)
        } else {
            quote!(#i => crate::union::decode_keeping(&value).map(|(v, kept)| (Self::#ident(v), kept)),)
        }
    });
    let (discriminator, discriminator_property) = match &u.discriminator {
        Some(d) => {
            let prop = &d.property;
            let mapping = d.mapping.iter().map(|(k, i)| quote!((#k, #i)));
            (
                quote!(::std::option::Option::Some((#prop, &[#(#mapping),*]))),
                quote!(::std::option::Option::Some(#prop)),
            )
        }
        None => (quote!(::std::option::Option::None), quote!(::std::option::Option::None)),
    };
    let from_impls = if t.in_request {
        let impls = u.variants.iter().filter(|v| sole_holder(ir, u, v)).map(|v| {
            let ident = ident(&v.ident);
            let ty = type_tokens(ir, &v.ty);
            let wrap = if v.boxed {
                quote!(::std::boxed::Box::new(value))
            } else {
                quote!(value)
            };
            quote! {
                impl ::std::convert::From<#ty> for #name {
                    fn from(value: #ty) -> Self { Self::#ident(#wrap) }
                }
            }
        });
        quote!(#(#impls)*)
    } else {
        TokenStream::new()
    };
    let first_doc = if doc.is_empty() {
        quote!()
    } else {
        quote!(#doc #[doc = ""])
    };
    quote! {
        #first_doc
        /// Decoding picks the variant from what the object contains (required properties and
        /// constant values) and reports, for every variant, why it did not fit.
        #[allow(clippy::large_enum_variant)]
        #[derive(Clone, Debug, PartialEq, ::serde::Serialize)]
        #[serde(untagged)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
        }
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                const VARIANTS: &[crate::union::Variant] = &[#(#specs)*];
                let value = crate::union::Captured::read(deserializer, VARIANTS, #discriminator_property)?;
                crate::union::select(#type_name, &value, VARIANTS, #discriminator, |i| match i {
                    #(#arms)*
                    _ => ::std::result::Result::Err(::std::string::String::new()),
                })
                .map_err(<D::Error as ::serde::de::Error>::custom)
            }
        }
        #from_impls
    }
}

/// Whether `v` holds a named type that no other variant of `u` holds (aliases followed): then
/// `From` that type can only mean this variant.
fn sole_holder(ir: &Ir, u: &Union, v: &crate::ir::UnionVariant) -> bool {
    let Some(target) = v.ty.named().map(|id| ir.canonical(id)) else {
        return false;
    };
    u.variants.iter().filter(|w| w.ty.named().map(|id| ir.canonical(id)) == Some(target)).count() == 1
}


fn const_item(name: &proc_macro2::Ident, value: &str, doc: TokenStream) -> TokenStream {
    let line = docs::lines(&format!("Always {} on the wire.", docs::code(value)));
    quote! {
        #doc
        #line
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
        pub struct #name;
        impl #name {
            /// The value on the wire.
            pub const VALUE: &'static str = #value;
        }
        crate::macros::const_impls!(#name);
    }
}

#[cfg(test)]
mod tests {
    /// In the crate from `spec/dwolla.yaml`: no model's `new` takes more than
    /// `MAX_POSITIONAL_ARGS` arguments by position (more are one struct of named fields), and
    /// none asks for a field that can have only one value (`type_`, which can only be
    /// `Personal`).
    #[test]
    fn constructors_name_many_arguments_and_never_ask_for_a_fixed_value() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let generated = match crate::render_workspace(&root) {
            Ok(g) => g,
            Err(e) => panic!("generation failed: {e}"),
        };
        let ir = &generated.ir;
        for t in &ir.types {
            let crate::ir::TypeKind::Struct(s) = &t.kind else { continue };
            let args = ir.constructor_args(s);
            assert!(
                args.len() <= crate::ir::MAX_POSITIONAL_ARGS || s.required.is_some(),
                "`{}::new` takes {} arguments by position",
                t.name,
                args.len()
            );
            let ctor = super::constructor(ir, &t.name, s).to_string();
            let params = ctor.split("pub fn new (").nth(1).and_then(|rest| rest.split(')').next()).unwrap_or("");
            for f in s.fields.iter().filter(|f| ir.fixed_value(&f.ty).is_some()) {
                assert!(
                    !params.contains(&format!("{} :", f.ident)),
                    "`{}::new` asks for `{}`, which has one legal value",
                    t.name,
                    f.ident
                );
            }
        }
        let personal = ir.types.iter().find(|t| t.name == "VerifiedPersonalCustomer").map(|t| &t.kind);
        let Some(crate::ir::TypeKind::Struct(s)) = personal else { panic!("no VerifiedPersonalCustomer") };
        assert_eq!(s.required.as_deref(), Some("VerifiedPersonalCustomerRequired"));
        assert!(ir.constructor_args(s).iter().all(|f| f.ident != "type_"));
    }
}
