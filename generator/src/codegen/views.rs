//! Tokens for `x-dwolla-variants` views: a borrowed enum and the method that classifies a
//! struct into it (`ExchangeSession::provider_session() -> ProviderSession<'_>`).

use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use super::type_ref::{ident, type_tokens};
use crate::ir::{Ir, LinkHelper, PathStep, TypeId, TypeRef, VariantView, ViewField};

/// The enum, its redacting `Debug`, and the classifying method on the owning struct.
pub fn view(ir: &Ir, owner: TypeId, v: &VariantView) -> TokenStream {
    let owner_name = ident(&ir.types[owner.0].name);
    let enum_name = ident(&v.enum_name);
    let fallback = ident(&v.fallback);
    // The overlay may leave the view or its variants undescribed; the crate denies missing docs.
    let enum_doc = match v.docs.as_deref().filter(|d| !d.trim().is_empty()) {
        Some(d) => docs::attrs(Some(d)),
        None => docs::lines(&format!(
            "The shapes of a [`{}`], as `{}()` tells them apart.",
            ir.types[owner.0].name, v.method
        )),
    };

    let variants = variant_items(ir, v);
    let debug_arms = debug_arms(v);
    let fallback_label = &v.fallback;
    let method_doc = docs::lines(&method_doc(v));
    let method = ident(&v.method);
    let checks = checks(v);

    // `Some` by its short name in the patterns, safe from a spec type of that name.
    let use_some = if v.variants.iter().any(|var| var.fields.iter().any(|f| !f.optional)) {
        quote!(use ::std::option::Option::Some;)
    } else {
        TokenStream::new()
    };
    quote! {
        #enum_doc
        #[derive(Clone, Copy, PartialEq)]
        #[non_exhaustive]
        pub enum #enum_name<'a> {
            #(#variants)*
            /// None of the shapes above: a shape this crate does not know yet. Not an error.
            #[non_exhaustive]
            #fallback {},
        }
        impl ::std::fmt::Debug for #enum_name<'_> {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    #(#debug_arms)*
                    Self::#fallback {} => f.debug_struct(#fallback_label).finish(),
                }
            }
        }
        impl #owner_name {
            #method_doc
            pub fn #method(&self) -> #enum_name<'_> {
                #use_some
                #(#checks)*
                #enum_name::#fallback {}
            }
        }
    }
}

/// The enum's variants, each with its borrowed fields.
fn variant_items(ir: &Ir, v: &VariantView) -> Vec<TokenStream> {
    v.variants.iter().map(|var| {
        let name = ident(&var.name);
        let doc = match var.docs.as_deref().filter(|d| !d.trim().is_empty()) {
            Some(d) => docs::attrs(Some(d)),
            None => docs::lines(&format!("The `{}` shape.", var.name)),
        };
        let fields = var.fields.iter().map(|f| {
            let fname = ident(&f.name);
            let ty = leaf_type(ir, f);
            let doc = docs::lines(&format!("From {}.", docs::code(&f.pointer.to_string())));
            quote!(#doc #fname: #ty,)
        });
        quote! {
            #doc
            #[non_exhaustive]
            #name { #(#fields)* },
        }
    })
    .collect()
}

/// The `Debug` arms: secret fields are redacted.
fn debug_arms(v: &VariantView) -> Vec<TokenStream> {
    v.variants.iter().map(|var| {
        let name = ident(&var.name);
        let label = &var.name;
        let binds = var.fields.iter().map(|f| {
            let name = ident(&f.name);
            if f.secret && !f.optional {
                quote!(#name: _)
            } else {
                quote!(#name)
            }
        });
        let fields = var.fields.iter().map(|f| {
            let fname = ident(&f.name);
            let label = &f.name;
            match (f.secret, f.optional) {
                (false, _) => quote!(.field(#label, #fname)),
                (true, false) => quote!(.field(#label, &crate::Redacted)),
                (true, true) => quote!(.field(#label, &#fname.map(|_| crate::Redacted))),
            }
        });
        quote! {
            Self::#name { #(#binds),* } => f.debug_struct(#label) #(#fields)* .finish(),
        }
    })
    .collect()
}

/// The classifying method's documentation: the order its variants are tried in.
fn method_doc(v: &VariantView) -> String {
    let mut priority = String::from(
        "Classifies this value by which fields are present. Variants are tried in this order and \
         the first whose fields are all present wins, so a response that carries the fields of \
         several variants at once is the first of them:\n",
    );
    for (i, var) in v.variants.iter().enumerate() {
        let needs: Vec<String> = var
            .fields
            .iter()
            .filter(|f| !f.optional)
            .map(|f| docs::code(&f.pointer.to_string()))
            .collect();
        let verb = if needs.len() > 1 { "are" } else { "is" };
        priority.push_str(&format!(
            "\n{}. [`{}::{}`] when {} {verb} present",
            i + 1,
            v.enum_name,
            var.name,
            needs.join(" and ")
        ));
    }
    priority.push_str(&format!(
        "\n\nOtherwise it is [`{}::{}`], which is not an error: the fields are still on `self`.",
        v.enum_name, v.fallback
    ));
    priority
}

/// One `if let` a variant: when its required fields are all present, it is the answer.
fn checks(v: &VariantView) -> Vec<TokenStream> {
    let enum_name = ident(&v.enum_name);
    v.variants.iter().map(|var| {
        let name = ident(&var.name);
        let (required, optional): (Vec<&ViewField>, Vec<&ViewField>) = var.fields.iter().partition(|f| !f.optional);
        let req_binds: Vec<_> = required.iter().map(|f| ident(&f.name)).collect();
        let req_exprs: Vec<_> = required.iter().map(|f| access(f).optional()).collect();
        let opt_lets = optional.iter().map(|f| {
            let fname = ident(&f.name);
            let expr = access(f).optional();
            quote!(let #fname = #expr;)
        });
        let binds = var.fields.iter().map(|f| ident(&f.name));
        // One required field is a plain `if let`; several are matched as a tuple.
        let (pattern, value) = match (req_binds.as_slice(), req_exprs.as_slice()) {
            ([bind], [expr]) => (quote!(Some(#bind)), expr.clone()),
            _ => (quote!((#(Some(#req_binds)),*)), quote!((#(#req_exprs),*))),
        };
        quote! {
            if let #pattern = #value {
                #(#opt_lets)*
                return #enum_name::#name { #(#binds),* };
            }
        }
    })
    .collect()
}

/// The borrowed type a view field has in the enum.
fn leaf_type(ir: &Ir, f: &ViewField) -> TokenStream {
    let inner = match &f.ty {
        TypeRef::String | TypeRef::Binary => quote!(&'a str),
        other => {
            let t = type_tokens(ir, other);
            quote!(&'a #t)
        }
    };
    if f.optional {
        quote!(::std::option::Option<#inner>)
    } else {
        inner
    }
}

/// Where a view field's path leads from `self`: a place every step of which is required, or an
/// `Option` once a step is optional.
enum Access {
    /// `self.links.partner.href`: an expression of the leaf's type (not a reference), and
    /// whether that is a `String`.
    Place(TokenStream, bool),
    /// `self.data.as_ref().and_then(|v| v.id.as_deref())`: an `Option<&leaf>`.
    Optional(TokenStream),
}

impl Access {
    /// The access as an `Option<&leaf>` (`&str` for strings).
    fn optional(self) -> TokenStream {
        match self {
            Access::Optional(e) => e,
            Access::Place(e, true) => quote!(::std::option::Option::Some(#e.as_str())),
            Access::Place(e, false) => quote!(::std::option::Option::Some(&#e)),
        }
    }

    /// The access as a `&leaf` when every step is required.
    fn borrowed(&self) -> Option<TokenStream> {
        match self {
            Access::Place(e, _) => Some(quote!(&#e)),
            Access::Optional(_) => None,
        }
    }
}

/// The access that follows the field's path from `self`.
fn access(f: &ViewField) -> Access {
    access_path(&f.path, &f.ty)
}

/// Follows `path` from `self` as a person writes it: plain field accesses while every step is
/// required, then `as_ref()`/`and_then`/`map` once one is optional, and `as_deref()` where a
/// string is optional.
fn access_path(path: &[PathStep], ty: &TypeRef) -> Access {
    let string = matches!(ty, TypeRef::String | TypeRef::Binary);
    let mut expr = quote!(self);
    let mut optional_yet = false;
    for (i, step) in path.iter().enumerate() {
        let last = i + 1 == path.len();
        match step {
            PathStep::Field { ident: name, optional } => {
                let name = ident(name);
                let as_ref = if last && string { quote!(as_deref) } else { quote!(as_ref) };
                expr = match (optional_yet, *optional) {
                    (false, false) => quote!(#expr.#name),
                    (false, true) => quote!(#expr.#name.#as_ref()),
                    (true, true) => quote!(#expr.and_then(|v| v.#name.#as_ref())),
                    (true, false) if last && string => quote!(#expr.map(|v| v.#name.as_str())),
                    (true, false) => quote!(#expr.map(|v| &v.#name)),
                };
                optional_yet |= *optional;
            }
            PathStep::Key(key) => {
                expr = if optional_yet {
                    quote!(#expr.and_then(|v| v.get(#key)))
                } else {
                    quote!(#expr.get(#key))
                };
                optional_yet = true;
                if last && string {
                    expr = quote!(#expr.map(::std::string::String::as_str));
                }
            }
        }
    }
    if optional_yet {
        Access::Optional(expr)
    } else {
        Access::Place(expr, string)
    }
}

/// `<rel>_id()` and `fetch_<rel>()` for each `x-dwolla-links` relation.
pub fn link_helpers(ir: &Ir, owner: TypeId, links: &[LinkHelper]) -> TokenStream {
    if links.is_empty() {
        return TokenStream::new();
    }
    let owner_ty = ident(&ir.types[owner.0].name);
    let methods = links.iter().map(|l| {
        let href = access_path(&l.path, &TypeRef::String);
        let id_fn = quote::format_ident!("{}_id", l.stem);
        let url_fn = quote::format_ident!("{}_url", l.stem);
        let rel = &l.rel;
        let (ret, id_body, url_body) = match href.borrowed().filter(|_| !l.optional) {
            // Every step is required, so the path always leads somewhere.
            Some(place) => (quote!(&str), quote!(crate::links::id_of(#place)), place),
            None => {
                let href = href.optional();
                (
                    quote!(::std::option::Option<&str>),
                    quote!(#href.map(crate::links::id_of)),
                    href,
                )
            }
        };
        let (rel_code, href_code) = (docs::code(rel), docs::code(&format!("_links.{rel}.href")));
        let id_doc = docs::lines(&format!(
            "The id of the {rel_code} resource: the last path segment of {href_code}."
        ));
        let url_doc = docs::lines(&format!("The URL of the {rel_code} resource ({href_code})."));
        let fetch = match l.resource {
            Some(target) => {
                let t = &ir.types[target.0];
                let target_ty = super::type_ref::named(ir, target);
                let fetch_fn = quote::format_ident!("fetch_{}", l.stem);
                let cfg = super::features::cfg_within(ir, target, &super::features::of_type(ir, owner));
                let doc = docs::lines(&format!(
                    "Fetches the {rel_code} resource this links to, as a [`{0}`](crate::models::{0}). The link must point \
                     under the client's base URL (see [`Client::follow`](crate::Client::follow)).",
                    t.name
                ));
                let fetch = match access_path(&l.path, &TypeRef::String) {
                    Access::Place(place, _) => quote!(client.follow(&#place).await),
                    Access::Optional(href) => quote! {
                        match #href {
                            ::std::option::Option::Some(href) => client.follow(href).await,
                            ::std::option::Option::None => ::std::result::Result::Err(crate::Error::MissingLink { rel: #rel }),
                        }
                    },
                };
                Some(quote! {
                    #doc
                    #cfg
                    pub async fn #fetch_fn(&self, client: &crate::Client) -> ::std::result::Result<crate::Response<#target_ty>, crate::Error> {
                        #fetch
                    }
                })
            }
            None => None,
        };
        quote! {
            #id_doc
            pub fn #id_fn(&self) -> #ret { #id_body }
            #url_doc
            pub fn #url_fn(&self) -> #ret { #url_body }
            #fetch
        }
    });
    quote! {
        impl #owner_ty {
            #(#methods)*
        }
    }
}
