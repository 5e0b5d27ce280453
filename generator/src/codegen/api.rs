//! Tokens for `dwolla::api`: the resource groups reached from the client
//! (`client.customers().exchange_sessions()`), one request builder per operation that sends
//! itself when awaited, and [`ApiErrorBody`], the typed error bodies of every operation.

use std::collections::BTreeMap;

use heck::ToUpperCamelCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote, ToTokens};

use super::docs;
use super::type_ref::{ident, named, type_tokens};
use crate::ir::{Auth, BodyKind, Ir, Operation, Param, ParamLocation, PathPiece, Status, SuccessBody, TypeId, TypeRef};

/// A node of the group tree: `customers` → `exchange_sessions`.
#[derive(Default)]
struct Group {
    ops: Vec<usize>,
    children: BTreeMap<String, Group>,
}

impl Group {
    fn all_ops(&self) -> Vec<usize> {
        let mut out = self.ops.clone();
        for c in self.children.values() {
            out.extend(c.all_ops());
        }
        out
    }
}

fn tree(ir: &Ir) -> BTreeMap<String, Group> {
    let mut roots: BTreeMap<String, Group> = BTreeMap::new();
    for (i, op) in ir.operations.iter().enumerate() {
        let Some((first, rest)) = op.group.split_first() else {
            continue;
        };
        let mut node = roots.entry(first.clone()).or_default();
        for seg in rest {
            node = node.children.entry(seg.clone()).or_default();
        }
        node.ops.push(i);
    }
    roots
}

fn group_type(path: &[String]) -> proc_macro2::Ident {
    ident(&path.iter().map(|s| s.to_upper_camel_case()).collect::<String>())
}

/// `#[cfg(any(feature = ...))]` for code that exists when any of `ops` does.
fn cfg_any(ir: &Ir, ops: &[usize]) -> TokenStream {
    let mut features: Vec<String> = ops
        .iter()
        .filter_map(|&i| super::features::of_module(ir, &ir.operations[i].module))
        .collect();
    features.sort();
    features.dedup();
    super::features::cfg(&features)
}

/// `api/mod.rs`: the group modules, the client's entry points, the error-body enum.
pub fn mod_file(ir: &Ir) -> TokenStream {
    let roots = tree(ir);
    let mut mods = TokenStream::new();
    let mut accessors = TokenStream::new();
    for (name, group) in &roots {
        let m = ident(name);
        let cfg = cfg_any(ir, &group.all_ops());
        mods.extend(quote! { #cfg mod #m; #cfg pub use self::#m::*; });
        let ty = group_type(std::slice::from_ref(name));
        let doc = docs::lines(&format!("The `{name}` operations."));
        accessors.extend(quote! {
            #doc
            #cfg
            pub fn #m(&self) -> #ty<'_> {
                #ty { client: self }
            }
        });
    }
    let error_body = error_body_enum(ir);
    let doc = docs::inner_lines(
        "Every operation of the spec, grouped the way Dwolla's own SDK groups them: start from a\n[`Client`](crate::Client) (`client.customers().exchange_sessions().create(..)`). Each call\nreturns a request builder; set its options, then `.await` it (or call `.send()`).",
    );
    quote! {
        #doc

        /// The future a request builder becomes when awaited.
        pub type BoxFuture<'a, T> = ::std::pin::Pin<::std::boxed::Box<dyn ::std::future::Future<Output = T> + ::std::marker::Send + 'a>>;

        #mods

        impl crate::Client {
            #accessors
        }

        #error_body
    }
}


/// The distinct typed error bodies across all operations, in first-use order. Aliases count
/// as the type they stand for, so identical bodies share one variant.
fn error_types(ir: &Ir) -> Vec<TypeId> {
    let mut out: Vec<TypeId> = Vec::new();
    for op in &ir.operations {
        for r in &op.responses {
            if r.status.is_success() {
                continue;
            }
            if let Some(id) = r.body.as_ref().and_then(TypeRef::named).map(|id| ir.canonical(id))
                && !out.contains(&id)
            {
                out.push(id);
            }
        }
    }
    out
}

fn error_body_enum(ir: &Ir) -> TokenStream {
    let variants = error_types(ir).into_iter().map(|id| {
        let t = &ir.types[id.0];
        let name = ident(&t.name);
        let path = named(ir, id);
        let cfg = super::features::cfg(&super::features::of_type(ir, id));
        let doc = docs::lines(&format!("A [`{0}`](crate::models::{0}).", t.name));
        quote!(#doc #cfg #name(#path),)
    });
    quote! {
        /// The error body of an [`ApiError`](crate::ApiError), typed as the spec declares it for
        /// the operation and status. Structurally identical bodies share one variant.
        #[allow(clippy::large_enum_variant)]
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub enum ApiErrorBody {
            #(#variants)*
        }
    }
}

/// `api/<group>.rs`: the group's structs, nested groups, and the builders of its operations.
pub fn group_file(ir: &Ir, name: &str) -> TokenStream {
    let roots = tree(ir);
    let mut items = TokenStream::new();
    if let Some(group) = roots.get(name) {
        emit_group(ir, &[name.to_owned()], group, &mut items);
    }
    let doc = docs::inner_lines(&format!("The `{name}` operations and their request builders."));
    quote! {
        #doc
        #items
    }
}

/// The group's struct and its methods first, then the builders of its operations, then its
/// nested groups, each in the same order: a file reads from the entry point down.
fn emit_group(ir: &Ir, path: &[String], group: &Group, out: &mut TokenStream) {
    let ty = group_type(path);
    let cfg = cfg_any(ir, &group.all_ops());
    let mut methods = TokenStream::new();
    let mut builders = TokenStream::new();
    let mut children = TokenStream::new();
    for (child, g) in &group.children {
        let mut child_path = path.to_vec();
        child_path.push(child.clone());
        let child_ty = group_type(&child_path);
        let m = ident(child);
        let ccfg = cfg_any(ir, &g.all_ops());
        let doc = docs::lines(&format!("The `{}` operations.", child_path.join(".")));
        methods.extend(quote! {
            #doc
            #ccfg
            pub fn #m(&self) -> #child_ty<'a> {
                #child_ty { client: self.client }
            }
        });
        emit_group(ir, &child_path, g, &mut children);
    }
    for &i in &group.ops {
        let (method, builder) = operation(ir, &ir.operations[i]);
        methods.extend(method);
        builders.extend(builder);
    }
    let doc = docs::lines(&format!(
        "The `{}` operations. Get it from [`Client`](crate::Client).",
        path.join(".")
    ));
    out.extend(quote! {
        #doc
        #cfg
        #[derive(Clone, Copy, Debug)]
        pub struct #ty<'a> {
            pub(crate) client: &'a crate::Client,
        }

        #cfg
        impl<'a> #ty<'a> {
            #methods
        }

        #builders
        #children
    });
}

/// How a parameter is taken and stored: `impl Into<String>` stored as `String`, etc.
fn param_type(ir: &Ir, t: &TypeRef) -> TokenStream {
    type_tokens(ir, t)
}

/// The expression that turns a stored parameter value into its wire text.
fn to_text(t: &TypeRef, value: TokenStream) -> TokenStream {
    match t {
        TypeRef::DateTime => quote!(#value.to_rfc3339_opts(::chrono::SecondsFormat::AutoSi, true)),
        TypeRef::String => quote!(::std::clone::Clone::clone(#value)),
        _ => quote!(::std::string::ToString::to_string(#value)),
    }
}

/// The success type of an operation, and the match arms that produce it.
struct Success {
    ty: TokenStream,
    arms: TokenStream,
    extra: TokenStream,
    doc: String,
}

/// A status code as a person writes it in a match arm: `404`, not `404u16`.
fn code_literal(code: u16) -> proc_macro2::Literal {
    proc_macro2::Literal::u16_unsuffixed(code)
}

fn status_pattern(s: Status) -> TokenStream {
    match s {
        Status::Code(c) => code_literal(c).into_token_stream(),
        Status::Range(r) => {
            let (lo, hi) = (code_literal(r * 100), code_literal(r * 100 + 99));
            quote!(#lo..=#hi)
        }
        Status::Default => quote!(_),
    }
}

/// How an error status's body reaches the caller: the [`ApiErrorBody`] variant the code
/// decodes it into (named after the canonical type of its structural class), and the spec's
/// name for it when that is another name.
fn error_body_doc(ir: &Ir, t: &TypeRef) -> String {
    let Some(declared) = t.named() else {
        return format!(", body {}", type_link(ir, t));
    };
    let variant = &ir.types[ir.canonical(declared).0].name;
    let mut text = format!(", body [`ApiErrorBody::{variant}`](crate::ApiErrorBody::{variant})");
    let spec_name = ir.types[declared.0]
        .component
        .as_deref()
        .unwrap_or(&ir.types[declared.0].name);
    if spec_name != variant {
        text.push_str(&format!(" (the spec's `{}`)", spec_name.replace('`', "'")));
    }
    text
}

fn type_link(ir: &Ir, t: &TypeRef) -> String {
    match t {
        TypeRef::Named(id) => {
            let e = &ir.types[id.0];
            let path = if e.module == crate::ir::CONSTS_MODULE {
                "crate::models::consts"
            } else {
                "crate::models"
            };
            format!("[`{0}`]({path}::{0})", e.name)
        }
        TypeRef::Vec(inner) => format!("`Vec` of {}", type_link(ir, inner)),
        other => format!("`{other:?}`"),
    }
}

fn success(ir: &Ir, op: &Operation) -> Success {
    let ok: Vec<_> = op.responses.iter().filter(|r| r.status.is_success()).collect();
    // One result kind for every success status: the common case.
    if let Some(single) = op.single_success() {
        let (ty, decode, doc) = match single {
            SuccessBody::Created => (
                quote!(crate::Created),
                quote!(raw.created()),
                "[`Created`](crate::Created): the new resource's location and id".to_owned(),
            ),
            SuccessBody::Body(t) => {
                let tt = type_tokens(ir, &t);
                (quote!(#tt), quote!(raw.decode()), type_link(ir, &t))
            }
            SuccessBody::Empty => (
                quote!(()),
                quote!(::std::result::Result::Ok(raw.empty())),
                "nothing (`()`)".to_owned(),
            ),
        };
        return Success {
            ty,
            arms: quote!(_ if raw.status.is_success() => #decode,),
            extra: TokenStream::new(),
            doc,
        };
    }
    // Several success statuses with different results: an enum of them.
    let enum_name = format_ident!("{}Outcome", op.type_name);
    let mut variants = TokenStream::new();
    let mut arms = TokenStream::new();
    let mut docs_list = Vec::new();
    for r in &ok {
        let Status::Code(code) = r.status else { continue };
        let v = format_ident!(
            "{}",
            match code {
                200 => "Ok".to_owned(),
                201 => "Created".to_owned(),
                202 => "Accepted".to_owned(),
                204 => "NoContent".to_owned(),
                c => format!("Status{c}"),
            }
        );
        let d = docs::attrs(Some(&format!("`{code}`: {}", r.description)));
        let (field, value) = if r.location {
            (
                quote!((crate::Created)),
                quote!(raw.created()?.map_body(#enum_name::#v)),
            )
        } else if let Some(t) = &r.body {
            let tt = type_tokens(ir, t);
            (quote!((#tt)), quote!(raw.decode::<#tt>()?.map_body(#enum_name::#v)))
        } else {
            (TokenStream::new(), quote!(raw.empty().map_body(|()| #enum_name::#v)))
        };
        variants.extend(quote!(#d #v #field,));
        let pat = code_literal(code);
        arms.extend(quote!(#pat => ::std::result::Result::Ok(#value),));
        docs_list.push(format!("`{code}`"));
    }
    let edoc = docs::lines(&format!("The successful outcomes of {}.", docs::code(&op.id)));
    Success {
        ty: quote!(#enum_name),
        arms: quote! {
            #arms
            _ if raw.status.is_success() => ::std::result::Result::Err(raw.into_error(::std::option::Option::None)),
        },
        extra: quote! {
            #edoc
            #[derive(Clone, Debug, PartialEq)]
            #[non_exhaustive]
            pub enum #enum_name { #variants }
        },
        doc: format!(
            "[`{enum_name}`], one variant per success status ({})",
            docs_list.join(", ")
        ),
    }
}

/// The method on the group and the builder it returns.
fn operation(ir: &Ir, op: &Operation) -> (TokenStream, TokenStream) {
    let builder = ident(&op.type_name);
    let method = ident(&op.method);
    let feature = super::features::of_module(ir, &op.module);
    let cfg = super::features::cfg(feature.as_slice());
    let op_id = &op.id;
    let http_method = ident(op.http_method.as_str());

    // Arguments: required path/query/header parameters, a required body, required parts.
    let mut args = Vec::new();
    let mut inits = Vec::new();
    let mut fields = Vec::new();
    let mut setters = Vec::new();
    for p in &op.params {
        let id = ident(&p.ident);
        let ty = param_type(ir, &p.ty);
        if p.required {
            args.push(quote!(#id: impl ::std::convert::Into<#ty>));
            inits.push(quote!(#id: #id.into()));
            fields.push(quote!(#id: #ty));
        } else {
            inits.push(quote!(#id: ::std::option::Option::None));
            fields.push(quote!(#id: ::std::option::Option<#ty>));
            setters.push(setter(p, &id, &ty));
        }
    }
    let mut body_stmt = TokenStream::new();
    if let Some(body) = &op.body {
        match &body.kind {
            BodyKind::Json(t) | BodyKind::Form(t) => {
                let ty = type_tokens(ir, t);
                let content_type = &body.content_type;
                let encode = if matches!(body.kind, BodyKind::Form(_)) {
                    quote!(req.form(b)?;)
                } else {
                    quote!(req.json(#content_type, b)?;)
                };
                if body.required {
                    args.push(quote!(body: impl ::std::convert::Into<#ty>));
                    inits.push(quote!(body: body.into()));
                    fields.push(quote!(body: #ty));
                    body_stmt = if matches!(body.kind, BodyKind::Form(_)) {
                        quote!(req.form(&self.body)?;)
                    } else {
                        quote!(req.json(#content_type, &self.body)?;)
                    };
                } else {
                    inits.push(quote!(body: ::std::option::Option::None));
                    fields.push(quote!(body: ::std::option::Option<#ty>));
                    setters.push(quote! {
                        /// The request body (optional for this operation).
                        pub fn body(mut self, body: impl ::std::convert::Into<#ty>) -> Self {
                            self.body = ::std::option::Option::Some(body.into());
                            self
                        }
                    });
                    body_stmt = quote!(if let ::std::option::Option::Some(b) = &self.body { #encode });
                }
            }
            BodyKind::Multipart(parts) => {
                let mut required_parts = Vec::new();
                let mut pushes = Vec::new();
                for part in parts {
                    let id = ident(&part.ident);
                    let wire = &part.wire;
                    let is_file = part.ty == TypeRef::Binary;
                    let ty = if is_file {
                        quote!(crate::File)
                    } else {
                        type_tokens(ir, &part.ty)
                    };
                    let value = |v: TokenStream| {
                        if is_file {
                            quote!(crate::multipart::Part::File(#wire, #v))
                        } else {
                            let text = to_text(&part.ty, quote!(&#v));
                            quote!(crate::multipart::Part::Text(#wire, #text))
                        }
                    };
                    if part.required {
                        let arg = if is_file {
                            quote!(#id: crate::File)
                        } else {
                            quote!(#id: impl ::std::convert::Into<#ty>)
                        };
                        args.push(arg);
                        inits.push(if is_file { quote!(#id) } else { quote!(#id: #id.into()) });
                        fields.push(quote!(#id: #ty));
                        required_parts.push(value(quote!(self.#id)));
                    } else {
                        inits.push(quote!(#id: ::std::option::Option::None));
                        fields.push(quote!(#id: ::std::option::Option<#ty>));
                        let fallback = format!("Sets the `{}` part.", part.wire.replace('`', "'"));
                        let d = docs::attrs(Some(
                            part.docs
                                .as_deref()
                                .filter(|d| !d.trim().is_empty())
                                .unwrap_or(&fallback),
                        ));
                        setters.push(quote! {
                            #d
                            pub fn #id(mut self, value: impl ::std::convert::Into<#ty>) -> Self {
                                self.#id = ::std::option::Option::Some(value.into());
                                self
                            }
                        });
                        let v = value(quote!(v));
                        pushes.push(quote!(if let ::std::option::Option::Some(v) = self.#id { parts.push(#v); }));
                    }
                }
                let binding = if pushes.is_empty() {
                    quote!(let parts)
                } else {
                    quote!(let mut parts)
                };
                body_stmt = quote! {
                    #binding = ::std::vec![#(#required_parts),*];
                    #(#pushes)*
                    req.body = crate::request::Body::Multipart(parts);
                };
            }
        }
    }
    let is_post = op.is_post();
    if is_post {
        fields.push(quote!(idempotency: crate::request::Idempotency));
        inits.push(quote!(idempotency: crate::request::Idempotency::Auto));
        setters.push(quote! {
            /// Sends this `Idempotency-Key` instead of the fresh UUID every `POST` gets. Dwolla
            /// honours a key for 24 hours: a repeated request with it returns the original
            /// result instead of acting twice.
            pub fn idempotency_key(mut self, key: impl ::std::convert::Into<::std::string::String>) -> Self {
                self.idempotency = crate::request::Idempotency::Key(key.into());
                self
            }
            /// Sends no `Idempotency-Key`. The request is then never retried, since a retry
            /// could act twice.
            pub fn without_idempotency_key(mut self) -> Self {
                self.idempotency = crate::request::Idempotency::Off;
                self
            }
        });
    }
    fields.push(quote!(extra_headers: ::std::vec::Vec<(::std::string::String, ::std::string::String)>));
    inits.push(quote!(extra_headers: ::std::vec::Vec::new()));
    setters.push(quote! {
        /// Sends an extra header with this request: a correlation id for your own tracing,
        /// say. The headers the client manages (`Accept`, `Authorization`, `Content-Type`,
        /// `Idempotency-Key`, `User-Agent`) cannot be set this way; `send` then fails with
        /// [`Error::Request`](crate::Error::Request).
        pub fn header(
            mut self,
            name: impl ::std::convert::Into<::std::string::String>,
            value: impl ::std::convert::Into<::std::string::String>,
        ) -> Self {
            self.extra_headers.push((name.into(), value.into()));
            self
        }
    });
    fields.push(quote!(retry: ::std::option::Option<crate::RetryPolicy>));
    inits.push(quote!(retry: ::std::option::Option::None));
    setters.push(quote! {
        /// This call's retry policy, instead of the client's.
        pub fn retry(mut self, policy: crate::RetryPolicy) -> Self {
            self.retry = ::std::option::Option::Some(policy);
            self
        }
    });
    fields.push(quote!(timeout: ::std::option::Option<::std::time::Duration>));
    inits.push(quote!(timeout: ::std::option::Option::None));
    fields.push(quote!(deadline: ::std::option::Option<::std::time::Duration>));
    inits.push(quote!(deadline: ::std::option::Option::None));
    setters.push(quote! {
        /// How long one attempt of this call may take, instead of the client's
        /// [`timeout`](crate::ClientBuilder::timeout).
        pub fn timeout(mut self, timeout: ::std::time::Duration) -> Self {
            self.timeout = ::std::option::Option::Some(timeout);
            self
        }
        /// How long this call may take in all, retries and the waits between them included,
        /// instead of the client's [`deadline`](crate::ClientBuilder::deadline).
        pub fn deadline(mut self, deadline: ::std::time::Duration) -> Self {
            self.deadline = ::std::option::Option::Some(deadline);
            self
        }
    });

    // The request path with its parameters, percent-encoded.
    let pieces: Vec<TokenStream> = op
        .template
        .iter()
        .map(|piece| match piece {
            PathPiece::Literal(text) => quote!(#text),
            PathPiece::Param(i) => {
                let p = &op.params[*i];
                let id = ident(&p.ident);
                let value = match p.ty {
                    TypeRef::String => quote!(&self.#id),
                    _ => {
                        let text = to_text(&p.ty, quote!(&self.#id));
                        quote!(&#text)
                    }
                };
                quote!(&crate::request::path_segment(#op_id, #value)?)
            }
        })
        .collect();
    let path_expr = match op.template.as_slice() {
        [] => quote!(::std::string::String::new()),
        [PathPiece::Literal(text)] => quote!(::std::string::String::from(#text)),
        _ => quote!([#(#pieces),*].concat()),
    };

    let query = op.params.iter().filter(|p| p.location != ParamLocation::Path).map(|p| {
        let id = ident(&p.ident);
        let wire = &p.wire;
        let target = if p.location == ParamLocation::Query {
            quote!(req.query)
        } else {
            quote!(req.headers)
        };
        let push = |v: TokenStream| match &p.ty {
            TypeRef::Vec(inner) => {
                let text = to_text(inner, quote!(item));
                quote!(for item in #v { #target.push((#wire, #text)); })
            }
            t => {
                let text = to_text(t, v);
                quote!(#target.push((#wire, #text));)
            }
        };
        if p.required {
            push(quote!(&self.#id))
        } else {
            let inner = push(quote!(v));
            quote!(if let ::std::option::Option::Some(v) = &self.#id { #inner })
        }
    });

    let template = op.path.as_str();
    let auth = match op.auth {
        Auth::Bearer => quote!(crate::request::Auth::Bearer),
        Auth::Basic => quote!(crate::request::Auth::Basic),
        Auth::None => quote!(crate::request::Auth::None),
    };
    let idem = if is_post {
        quote!(req.idempotency = self.idempotency;)
    } else {
        TokenStream::new()
    };

    let ok = success(ir, op);
    let ok_ty = &ok.ty;
    let ok_arms = &ok.arms;
    let error_arms = op.responses.iter().filter(|r| !r.status.is_success()).filter_map(|r| {
        let id = ir.canonical(r.body.as_ref()?.named()?);
        let t = &ir.types[id.0];
        let variant = ident(&t.name);
        let path = named(ir, id);
        let pat = status_pattern(r.status);
        Some(quote! {
            #pat => {
                ::std::result::Result::Err(raw.into_typed_error::<#path>(crate::ApiErrorBody::#variant))
            }
        })
    });
    // Error statuses in order; `default` last.
    let has_default = op
        .responses
        .iter()
        .any(|r| r.status == Status::Default && r.body.is_some());
    let fallback = if has_default {
        TokenStream::new()
    } else {
        quote!(_ => ::std::result::Result::Err(raw.into_error(::std::option::Option::None)),)
    };

    // Documentation of the method.
    let mut doc = String::new();
    if let Some(s) = &op.summary {
        doc.push_str(&docs::sanitize(s));
        doc.push_str("\n\n");
    }
    if let Some(d) = &op.description
        && Some(d) != op.summary.as_ref()
    {
        doc.push_str(&docs::sanitize(d));
        doc.push_str("\n\n");
    }
    let request = docs::code(&format!("{} {}", op.http_method, op.path));
    let operation_id = docs::code(&op.id);
    doc.push_str(&format!("{request} (operation {operation_id}).\n\n"));
    if let Some(body) = &op.body {
        let what = match &body.kind {
            BodyKind::Json(t) => format!("{} as {}", type_link(ir, t), docs::code(&body.content_type)),
            BodyKind::Form(t) => format!("{} as a form", type_link(ir, t)),
            BodyKind::Multipart(_) => "a `multipart/form-data` upload".to_owned(),
        };
        doc.push_str(&format!("Request body: {what}.\n\n"));
    }
    doc.push_str(&format!("Returns {}.", ok.doc));
    let errors: Vec<String> = op
        .responses
        .iter()
        .filter(|r| !r.status.is_success())
        .map(|r| {
            let status = match r.status {
                Status::Code(c) => c.to_string(),
                Status::Range(x) => format!("{x}XX"),
                Status::Default => "other".into(),
            };
            let body = r.body.as_ref().map(|t| error_body_doc(ir, t)).unwrap_or_default();
            let what = docs::inline(&r.description);
            format!("- `{status}`: {what}{body}")
        })
        .collect();
    if !errors.is_empty() {
        doc.push_str("\n\n# Errors\n\n[`Error::Api`](crate::Error::Api) with, by status:\n");
        doc.push_str(&errors.join("\n"));
    }
    if op.deprecated {
        doc.push_str("\n\nDeprecated in the spec.");
    }
    let method_doc = docs::lines(&doc);
    let deprecated = if op.deprecated {
        quote!(#[deprecated])
    } else {
        TokenStream::new()
    };
    let builder_doc = docs::lines(&format!(
        "A {request} request (operation {operation_id}), made by [`{}::{}`]. Set its options, then `.await` it.",
        group_type(&op.group),
        op.method,
    ));
    let stream = op
        .pagination
        .as_ref()
        .map(|p| stream_method(ir, op, p))
        .unwrap_or_default();
    let fetch_created = match (&op.created, ok.ty.to_string() == quote!(crate::Created).to_string()) {
        (Some(t), true) => {
            let tt = type_tokens(ir, t);
            let cfg_t = t
                .named()
                .map(|id| super::features::cfg_within(ir, id, feature.as_slice()))
                .unwrap_or_default();
            let doc = docs::lines(&format!(
                "Sends the request, then fetches the resource it created from the `Location` Dwolla returns, as {}. \
                 Two requests; nothing is fetched unless you call this.",
                type_link(ir, t)
            ));
            quote! {
                #doc
                #cfg_t
                pub async fn fetch_created(self) -> ::std::result::Result<crate::Response<#tt>, crate::Error> {
                    let client = self.client;
                    let created = self.send().await?;
                    client.follow_as(#op_id, &created.location).await
                }
            }
        }
        _ => TokenStream::new(),
    };
    let extra = if ok.extra.is_empty() {
        TokenStream::new()
    } else {
        let e = &ok.extra;
        quote!(#cfg #e)
    };

    let accept = if op.accept == crate::ir::HAL_JSON {
        TokenStream::new()
    } else {
        let a = &op.accept;
        quote!(req.accept = #a;)
    };
    let method_tokens = quote! {
        #method_doc
        #cfg
        #deprecated
        pub fn #method(&self, #(#args),*) -> #builder<'a> {
            #builder {
                client: self.client,
                #(#inits,)*
            }
        }
    };
    let builder_tokens = quote! {
        #builder_doc
        #cfg
        #[derive(Debug)]
        #[must_use = "a request does nothing until it is awaited"]
        pub struct #builder<'a> {
            client: &'a crate::Client,
            #(#fields,)*
        }

        #cfg
        impl<'a> #builder<'a> {
            #(#setters)*
            #stream
            #fetch_created

            /// Sends the request and decodes the response.
            pub async fn send(self) -> ::std::result::Result<crate::Response<#ok_ty>, crate::Error> {
                let client = self.client;
                let req = self.into_request()?;
                Self::from_raw(client.execute(req).await?)
            }

            fn into_request(self) -> ::std::result::Result<crate::request::Request, crate::Error> {
                let mut req = crate::request::Request::new(#op_id, ::http::Method::#http_method, #template, #path_expr, #auth);
                #accept
                #idem
                req.retry = self.retry.clone();
                req.timeout = self.timeout;
                req.deadline = self.deadline;
                req.extra_headers = self.extra_headers.clone();
                #(#query)*
                #body_stmt
                ::std::result::Result::Ok(req)
            }

            fn from_raw(raw: crate::request::Raw) -> ::std::result::Result<crate::Response<#ok_ty>, crate::Error> {
                match raw.status.as_u16() {
                    #ok_arms
                    #(#error_arms)*
                    #fallback
                }
            }
        }

        #cfg
        impl<'a> ::std::future::IntoFuture for #builder<'a> {
            type Output = ::std::result::Result<crate::Response<#ok_ty>, crate::Error>;
            type IntoFuture = crate::api::BoxFuture<'a, Self::Output>;
            fn into_future(self) -> Self::IntoFuture {
                ::std::boxed::Box::pin(self.send())
            }
        }

        #extra
    };
    (method_tokens, builder_tokens)
}

/// `stream()`: every item of every page, following `_links.next`.
fn stream_method(ir: &Ir, op: &Operation, p: &crate::ir::Pagination) -> TokenStream {
    let page_ty = type_tokens(ir, &p.page);
    let item_ty = type_tokens(ir, &p.item);
    let op_id = &op.id;
    let builder = ident(&op.type_name);
    let emb = ident(&p.embedded);
    let items = ident(&p.items);
    let items_expr = match (p.embedded_optional, p.items_optional) {
        (true, true) => quote!(page.#emb.and_then(|e| e.#items).unwrap_or_default()),
        (true, false) => quote!(page.#emb.map(|e| e.#items).unwrap_or_default()),
        (false, true) => quote!(page.#emb.#items.unwrap_or_default()),
        (false, false) => quote!(page.#emb.#items),
    };
    let links = ident(&p.links);
    let links_ref = if p.links_optional {
        quote!(page.#links.as_ref())
    } else {
        quote!(::std::option::Option::Some(&page.#links))
    };
    let next_expr = match &p.next {
        crate::ir::NextLink::Map { href_optional } => {
            let href = if *href_optional {
                quote!(.and_then(|l| l.href.clone()))
            } else {
                quote!(.map(|l| l.href.clone()))
            };
            quote!(#links_ref.and_then(|l| l.get("next")) #href)
        }
        crate::ir::NextLink::Field {
            next,
            next_optional,
            href_optional,
        } => {
            let next = ident(next);
            let n = if *next_optional {
                quote!(.and_then(|l| l.#next.as_ref()))
            } else {
                quote!(.map(|l| &l.#next))
            };
            let href = if *href_optional {
                quote!(.and_then(|l| l.href.clone()))
            } else {
                quote!(.map(|l| l.href.clone()))
            };
            quote!(#links_ref #n #href)
        }
    };
    let total_expr = match &p.total {
        Some((t, optional, narrow)) => {
            let t = ident(t);
            match (optional, narrow) {
                (true, true) => quote!(page.#t.map(i64::from)),
                (true, false) => quote!(page.#t),
                (false, true) => quote!(::std::option::Option::Some(i64::from(page.#t))),
                (false, false) => quote!(::std::option::Option::Some(page.#t)),
            }
        }
        None => quote!(::std::option::Option::None),
    };
    quote! {
        /// Streams the items of every page, following `_links.next` until a page has none.
        /// This request (its `limit` and filters) fetches the first page; the stream's
        /// [`total`](crate::Paged::total) is known once it has. A `next` link outside the
        /// client's base URL ends the stream with [`Error::ForeignLink`](crate::Error::ForeignLink).
        pub fn stream(self) -> crate::Paged<#item_ty> {
            fn reduce(page: #page_ty) -> crate::pagination::Page<#item_ty> {
                let next = #next_expr;
                let total = #total_expr;
                crate::pagination::Page { items: #items_expr, next, total }
            }
            let client = self.client.clone();
            let first = self.into_request();
            let sender = client.clone();
            crate::Paged::new(
                client,
                #op_id,
                ::std::boxed::Box::pin(async move {
                    let raw = sender.execute(first?).await?;
                    // Named with `'static`: the stream outlives the borrow of the client.
                    <#builder<'static>>::from_raw(raw).map(|r| reduce(r.into_inner()))
                }),
                |client, operation, url| crate::pagination::follow(client, operation, url, reduce),
            )
        }
    }
}

fn setter(p: &Param, id: &proc_macro2::Ident, ty: &TokenStream) -> TokenStream {
    let where_ = match p.location {
        ParamLocation::Query => "query parameter",
        ParamLocation::Header => "header",
        ParamLocation::Path => "path parameter",
    };
    let fallback = format!("Sets the `{}` {where_}.", p.wire.replace('`', "'"));
    let d = docs::attrs(Some(
        p.docs.as_deref().filter(|d| !d.trim().is_empty()).unwrap_or(&fallback),
    ));
    quote! {
        #d
        pub fn #id(mut self, value: impl ::std::convert::Into<#ty>) -> Self {
            self.#id = ::std::option::Option::Some(value.into());
            self
        }
    }
}

/// The names of the top-level groups, for one file each.
pub fn group_names(ir: &Ir) -> Vec<String> {
    tree(ir).into_keys().collect()
}
