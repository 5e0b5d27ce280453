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

    let variants = v.variants.iter().map(|var| {
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
    });

    let debug_arms = v.variants.iter().map(|var| {
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
    });
    let fallback_label = &v.fallback;

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
    let method_doc = docs::lines(&priority);
    let method = ident(&v.method);

    let checks = v.variants.iter().map(|var| {
        let name = ident(&var.name);
        let (required, optional): (Vec<&ViewField>, Vec<&ViewField>) = var.fields.iter().partition(|f| !f.optional);
        let req_binds = required.iter().map(|f| ident(&f.name));
        let req_exprs = required.iter().map(|f| access(f));
        let opt_lets = optional.iter().map(|f| {
            let fname = ident(&f.name);
            let expr = access(f);
            quote!(let #fname = #expr;)
        });
        let binds = var.fields.iter().map(|f| ident(&f.name));
        quote! {
            if let (#(::std::option::Option::Some(#req_binds),)*) = (#(#req_exprs,)*) {
                #(#opt_lets)*
                return #enum_name::#name { #(#binds),* };
            }
        }
    });

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
                #(#checks)*
                #enum_name::#fallback {}
            }
        }
    }
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

/// An expression of type `Option<leaf>` that follows the field's path from `self`.
fn access(f: &ViewField) -> TokenStream {
    access_path(&f.path, &f.ty)
}

fn access_path(path: &[PathStep], ty: &TypeRef) -> TokenStream {
    let mut expr = quote!(::std::option::Option::Some(self));
    for step in path {
        match step {
            PathStep::Field { ident: name, optional } => {
                let name = ident(name);
                expr = if *optional {
                    quote!(#expr.and_then(|v| v.#name.as_ref()))
                } else {
                    quote!(#expr.map(|v| &v.#name))
                };
            }
            PathStep::Key(key) => {
                expr = quote!(#expr.and_then(|v| v.get(#key)));
            }
        }
    }
    if matches!(ty, TypeRef::String | TypeRef::Binary) {
        expr = quote!(#expr.map(::std::string::String::as_str));
    }
    expr
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
        let (ret, id_body, url_body) = if l.optional {
            (
                quote!(::std::option::Option<&str>),
                quote!(#href.map(crate::links::id_of)),
                quote!(#href),
            )
        } else {
            // Every step is required, so the path always leads somewhere.
            (
                quote!(&str),
                quote!(#href.map(crate::links::id_of).unwrap_or_default()),
                quote!(#href.unwrap_or_default()),
            )
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
                let href_opt = access_path(&l.path, &TypeRef::String);
                Some(quote! {
                    #doc
                    #cfg
                    pub async fn #fetch_fn(&self, client: &crate::Client) -> ::std::result::Result<crate::Response<#target_ty>, crate::Error> {
                        match #href_opt {
                            ::std::option::Option::Some(href) => client.follow(href).await,
                            ::std::option::Option::None => ::std::result::Result::Err(crate::Error::MissingLink { rel: #rel }),
                        }
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
