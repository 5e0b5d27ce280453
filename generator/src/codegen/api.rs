//! Tokens for `dwolla::api`: the resource groups reached from the client
//! (`client.customers().exchange_sessions()`), one request builder per operation that sends
//! itself when awaited, and [`ApiErrorBody`], the typed error bodies of every operation.

use std::collections::BTreeMap;

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

/// The type of a group of operations, named by `ir/naming.rs`.
fn group_type(path: &[String]) -> proc_macro2::Ident {
    ident(&crate::ir::naming::group_type(path))
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
        mods.extend(quote! { #cfg pub mod #m; });
        let ty = group_type(std::slice::from_ref(name));
        let doc = docs::lines(&format!("The `{name}` operations."));
        accessors.extend(quote! {
            #doc
            #cfg
            pub fn #m(&self) -> self::#m::#ty<'_> {
                self::#m::#ty { client: self }
            }
        });
    }
    let error_body = error_body_enum(ir);
    let error_code = error_code_enum(ir);
    let doc = docs::inner_lines(
        "Every operation of the spec, one module per resource group as Dwolla's own SDK groups them:\nstart from a [`Client`](crate::Client) (`client.customers().exchange_sessions().create(..)`).\nEach call returns a request builder named after what it does, in its group's module\n(`api::customers::CreateCustomerExchangeSession`); set its options, then `.await` it (or call\n`.send()`). A group's handle is its name with `Api` (`api::customers::CustomersApi`), so no\nname here is also a model's.",
    );
    quote! {
        #doc

        /// The future a request builder becomes when awaited (the runtime's).
        pub use ::dwolla_runtime::BoxFuture;

        #mods

        impl crate::Client {
            #accessors
        }

        #error_body
        #error_code
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

/// `ErrorCode`, the codes of the spec's error bodies as an open enum, and `ApiError::kind`,
/// which reads the raw `code` into it. Codes are compared by their ASCII letters and digits,
/// case aside (`code_key`: the spec spells `Forbidden` and `forbidden`), as union variants are
/// chosen by code.
fn error_code_enum(ir: &Ir) -> TokenStream {
    let mut scope = crate::ir::naming::Scope::with_reserved(&["Unknown"]);
    let codes: Vec<(proc_macro2::Ident, &str, String)> = ir
        .error_codes
        .iter()
        .map(|c| {
            let name = ident(&scope.claim(&crate::ir::naming::type_name(c, "Empty")));
            (name, c.as_str(), crate::ir::code_key(c))
        })
        .collect();
    let variants = codes.iter().map(|(name, code, _)| {
        let doc = docs::lines(&format!("`{code}`."));
        quote!(#doc #name,)
    });
    let as_str = codes.iter().map(|(name, code, _)| quote!(Self::#name => #code,));
    let parse = codes.iter().map(|(name, _, lower)| quote!(#lower => Self::#name,));
    quote! {
        /// A Dwolla error code: one the spec declares for an error body, or
        /// [`Unknown`](Self::Unknown) with the code as Dwolla sent it. Dwolla adds codes, so a
        /// `match` needs a catch-all arm; the raw code is [`ApiError::code`](crate::ApiError::code).
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ErrorCode {
            #(#variants)*
            /// A code the spec does not declare, as Dwolla sent it.
            Unknown(::std::string::String),
        }

        impl ErrorCode {
            /// The code that `code` is, compared by its ASCII letters and digits, case aside
            /// (`not_found` is the code `NotFound`).
            pub fn from_code(code: &str) -> Self {
                let key: ::std::string::String = code
                    .chars()
                    .filter(char::is_ascii_alphanumeric)
                    .map(|c| c.to_ascii_lowercase())
                    .collect();
                match key.as_str() {
                    #(#parse)*
                    _ => Self::Unknown(::std::borrow::ToOwned::to_owned(code)),
                }
            }

            /// The code as the spec spells it (an unknown one as Dwolla sent it).
            pub fn as_str(&self) -> &str {
                match self {
                    #(#as_str)*
                    Self::Unknown(code) => code,
                }
            }
        }

        /// Gives [`ApiError::kind`](crate::ApiError::kind) its [`ErrorCode`], and lets the
        /// runtime's untyped errors convert into [`Error`](crate::Error).
        impl ::dwolla_runtime::ErrorBody for ApiErrorBody {
            type Code = ErrorCode;

            fn code(code: &str) -> ErrorCode {
                ErrorCode::from_code(code)
            }
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
        TypeRef::Named(id) => format!("[`{}`]({})", ir.types[id.0].name, super::type_ref::doc_path(ir, *id)),
        TypeRef::Vec(inner) => format!("`Vec` of {}", type_link(ir, inner)),
        other => format!("`{other:?}`"),
    }
}

fn success(ir: &Ir, op: &Operation) -> Success {
    let ok: Vec<_> = op.responses.iter().filter(|r| r.status.is_success()).collect();
    // One result kind for every success status: the common case (the IR then has no outcome
    // enum).
    let Some(outcome) = &op.outcome else {
        let single = op.single_success().unwrap_or(SuccessBody::Empty);
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
    };
    // Several success statuses with different results: the IR's enum of them.
    let enum_name = ident(&outcome.name);
    let mut variants = TokenStream::new();
    let mut arms = TokenStream::new();
    let mut docs_list = Vec::new();
    for r in &ok {
        let Status::Code(code) = r.status else { continue };
        let Some((_, v)) = outcome.variants.iter().find(|(c, _)| *c == code) else { continue };
        let v = ident(v);
        let d = docs::attrs(Some(&format!("`{code}`: {}", r.description)));
        let (field, value) = if r.location {
            (
                quote!((crate::Created)),
                quote!(raw.created::<crate::ApiErrorBody>()?.map_body(#enum_name::#v)),
            )
        } else if let Some(t) = &r.body {
            let tt = type_tokens(ir, t);
            (quote!((#tt)), quote!(raw.decode::<#tt, crate::ApiErrorBody>()?.map_body(#enum_name::#v)))
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

/// The members of a request builder, gathered from the parameters, the body and the options:
/// the group method's arguments and the struct's fields, their initial values and setters.
#[derive(Default)]
struct Members {
    args: Vec<TokenStream>,
    inits: Vec<TokenStream>,
    fields: Vec<TokenStream>,
    setters: Vec<TokenStream>,
}

impl Members {
    /// A required value: an argument of the group method, stored as it is given.
    fn required(&mut self, id: &proc_macro2::Ident, ty: &TokenStream) {
        self.args.push(quote!(#id: impl ::std::convert::Into<#ty>));
        self.inits.push(quote!(#id: #id.into()));
        self.fields.push(quote!(#id: #ty));
    }

    /// An optional value: `None` until its setter is called.
    fn optional(&mut self, id: &proc_macro2::Ident, ty: &TokenStream, setter: TokenStream) {
        self.inits.push(quote!(#id: ::std::option::Option::None));
        self.fields.push(quote!(#id: ::std::option::Option<#ty>));
        self.setters.push(setter);
    }

    /// A field every builder has, with its initial value, set by `setters` if any.
    fn option(&mut self, field: TokenStream, init: TokenStream, setters: TokenStream) {
        self.fields.push(field);
        self.inits.push(init);
        if !setters.is_empty() {
            self.setters.push(setters);
        }
    }
}

/// The method on the group and the builder it returns.
fn operation(ir: &Ir, op: &Operation) -> (TokenStream, TokenStream) {
    let feature = super::features::of_module(ir, &op.module);
    let cfg = super::features::cfg(feature.as_slice());
    let mut members = Members::default();
    param_members(ir, op, &mut members);
    let body = body_members(ir, op, &mut members);
    option_members(op, &mut members);
    let ok = success(ir, op);
    let method_tokens = group_method(ir, op, &ok, &cfg, &members);
    let builder_tokens = builder(ir, op, &ok, &cfg, feature.as_slice(), &members, &body);
    (method_tokens, builder_tokens)
}

/// The parameters: a required one is an argument, an optional one has a setter.
fn param_members(ir: &Ir, op: &Operation, m: &mut Members) {
    for p in &op.params {
        let id = ident(&p.ident);
        let ty = param_type(ir, &p.ty);
        if p.required {
            m.required(&id, &ty);
        } else {
            let set = setter(p, &id, &ty);
            m.optional(&id, &ty, set);
        }
    }
}

/// The request body's members, and the statements that put it into the request.
fn body_members(ir: &Ir, op: &Operation, m: &mut Members) -> TokenStream {
    let Some(body) = &op.body else {
        return TokenStream::new();
    };
    match &body.kind {
        BodyKind::Json(t) | BodyKind::Form(t) => encoded_body(ir, body, t, m),
        BodyKind::Multipart(parts) => multipart_body(ir, parts, m),
    }
}

/// A JSON or form body: one value, an argument when required, else the `body` setter.
fn encoded_body(ir: &Ir, body: &crate::ir::Body, t: &TypeRef, m: &mut Members) -> TokenStream {
    let ty = type_tokens(ir, t);
    let content_type = &body.content_type;
    let encode = |value: TokenStream| {
        if matches!(body.kind, BodyKind::Form(_)) {
            quote!(req.form(#value)?;)
        } else {
            quote!(req.json(#content_type, #value)?;)
        }
    };
    let id = format_ident!("body");
    if body.required {
        m.required(&id, &ty);
        return encode(quote!(&self.body));
    }
    let set = quote! {
        /// The request body (optional for this operation).
        pub fn body(mut self, body: impl ::std::convert::Into<#ty>) -> Self {
            self.body = ::std::option::Option::Some(body.into());
            self
        }
    };
    m.optional(&id, &ty, set);
    let encode = encode(quote!(b));
    quote!(if let ::std::option::Option::Some(b) = &self.body { #encode })
}

/// A `multipart/form-data` body: a member per part, files taken as `crate::File`.
fn multipart_body(ir: &Ir, parts: &[crate::ir::Part], m: &mut Members) -> TokenStream {
    let mut required_parts = Vec::new();
    let mut pushes = Vec::new();
    for part in parts {
        let id = ident(&part.ident);
        let wire = &part.wire;
        let is_file = part.ty == TypeRef::Binary;
        let ty = if is_file { quote!(crate::File) } else { type_tokens(ir, &part.ty) };
        let value = |v: TokenStream| {
            if is_file {
                quote!(crate::multipart::Part::File(#wire, #v))
            } else {
                let text = to_text(&part.ty, quote!(&#v));
                quote!(crate::multipart::Part::Text(#wire, #text))
            }
        };
        if part.required {
            if is_file {
                m.args.push(quote!(#id: crate::File));
                m.inits.push(quote!(#id));
                m.fields.push(quote!(#id: #ty));
            } else {
                m.required(&id, &ty);
            }
            required_parts.push(value(quote!(self.#id)));
        } else {
            let fallback = format!("Sets the `{}` part.", part.wire.replace('`', "'"));
            let d = docs::attrs(Some(part.docs.as_deref().filter(|d| !d.trim().is_empty()).unwrap_or(&fallback)));
            let set = quote! {
                #d
                pub fn #id(mut self, value: impl ::std::convert::Into<#ty>) -> Self {
                    self.#id = ::std::option::Option::Some(value.into());
                    self
                }
            };
            m.optional(&id, &ty, set);
            let v = value(quote!(v));
            pushes.push(quote!(if let ::std::option::Option::Some(v) = self.#id { parts.push(#v); }));
        }
    }
    let binding = if pushes.is_empty() { quote!(let parts) } else { quote!(let mut parts) };
    quote! {
        #binding = ::std::vec![#(#required_parts),*];
        #(#pushes)*
        req.body = crate::request::Body::Multipart(parts);
    }
}

/// The options every builder has, in one runtime value whose setters (`header`, `retry`,
/// `timeout`, `deadline`, and on a `POST` the idempotency key's) the runtime's
/// `call_options!` writes.
fn option_members(op: &Operation, m: &mut Members) {
    let setters = if op.is_post() {
        quote!(crate::macros::call_options!(post);)
    } else {
        quote!(crate::macros::call_options!();)
    };
    m.option(
        quote!(options: crate::request::CallOptions),
        quote!(options: ::std::default::Default::default()),
        setters,
    );
}

/// The request path with its parameters, percent-encoded, from the IR's parsed template.
fn path_expr(op: &Operation) -> TokenStream {
    let op_id = &op.id;
    let pieces = op.template.iter().map(|piece| match piece {
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
    });
    match op.template.as_slice() {
        [] => quote!(::std::string::String::new()),
        [PathPiece::Literal(text)] => quote!(::std::string::String::from(#text)),
        _ => quote!([#(#pieces),*].concat()),
    }
}

/// The statements that add the query parameters and headers, each only when it is set.
fn query_and_headers(op: &Operation) -> TokenStream {
    op.params
        .iter()
        .filter(|p| p.location != ParamLocation::Path)
        .map(|p| {
            let id = ident(&p.ident);
            let wire = &p.wire;
            let target = if p.location == ParamLocation::Query { quote!(req.query) } else { quote!(req.headers) };
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
        })
        .collect()
}

/// `into_request()`: the builder as a runtime `Request`, nothing sent yet.
fn into_request(op: &Operation, body: &TokenStream) -> TokenStream {
    let op_id = &op.id;
    let http_method = ident(op.http_method.as_str());
    let template = op.path.as_str();
    let path = path_expr(op);
    let auth = match op.auth {
        Auth::Bearer => quote!(crate::request::Auth::Bearer),
        Auth::Basic => quote!(crate::request::Auth::Basic),
        Auth::None => quote!(crate::request::Auth::None),
    };
    let accept = if op.accept == crate::ir::HAL_JSON {
        TokenStream::new()
    } else {
        let a = &op.accept;
        quote!(req.accept = #a;)
    };
    let query = query_and_headers(op);
    quote! {
        fn into_request(self) -> ::std::result::Result<crate::request::Request, crate::Error> {
            let mut req = crate::request::Request::new(#op_id, ::http::Method::#http_method, #template, #path, #auth);
            #accept
            req.set_options(self.options);
            #query
            #body
            ::std::result::Result::Ok(req)
        }
    }
}

/// The match arms of the error statuses with a typed body, then the fallback: any other
/// status is an untyped error (unless the spec declares a `default` body, whose arm is `_`).
/// Neighbouring statuses with the same body share an arm (`403 | 404 =>`); arms are never
/// reordered, since a range such as `400..=499` decides what the codes after it mean.
fn error_arms(ir: &Ir, op: &Operation) -> TokenStream {
    let mut arms: Vec<(Vec<TokenStream>, proc_macro2::Ident)> = Vec::new();
    for r in op.responses.iter().filter(|r| !r.status.is_success()) {
        let Some(id) = r.body.as_ref().and_then(|b| b.named()) else {
            continue;
        };
        let variant = ident(&ir.types[ir.canonical(id).0].name);
        let pat = status_pattern(r.status);
        match arms.last_mut() {
            Some((pats, v)) if *v == variant => pats.push(pat),
            _ => arms.push((vec![pat], variant)),
        }
    }
    let mut tokens: TokenStream = arms
        .iter()
        .map(|(pats, variant)| {
            quote! {
                #(#pats)|* => ::std::result::Result::Err(raw.into_typed_error(crate::ApiErrorBody::#variant)),
            }
        })
        .collect();
    let has_default = op.responses.iter().any(|r| r.status == Status::Default && r.body.is_some());
    if !has_default {
        tokens.extend(quote!(_ => ::std::result::Result::Err(raw.into_error(::std::option::Option::None)),));
    }
    tokens
}

/// `- `404`: Not found, body [`ApiErrorBody::..`]`, a line per error status.
fn error_docs(ir: &Ir, op: &Operation) -> Vec<String> {
    op.responses
        .iter()
        .filter(|r| !r.status.is_success())
        .map(|r| {
            // The spec's `default` reads as "other" beside the codes.
            let status = match r.status {
                Status::Default => "other".to_owned(),
                s => s.to_string(),
            };
            let body = r.body.as_ref().map(|t| error_body_doc(ir, t)).unwrap_or_default();
            let what = docs::inline(&r.description);
            format!("- `{status}`: {what}{body}")
        })
        .collect()
}

/// `` `POST /customers` `` and `` `createCustomer` ``, as both docs name the request.
fn request_doc(op: &Operation) -> (String, String) {
    (docs::code(&format!("{} {}", op.http_method, op.path)), docs::code(&op.id))
}

/// The group method's documentation: summary, description, request, body, result, errors.
fn method_doc(ir: &Ir, op: &Operation, ok_doc: &str) -> String {
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
    let (request, operation_id) = request_doc(op);
    doc.push_str(&format!("{request} (operation {operation_id}).\n\n"));
    if let Some(body) = &op.body {
        let what = match &body.kind {
            BodyKind::Json(t) => format!("{} as {}", type_link(ir, t), docs::code(&body.content_type)),
            BodyKind::Form(t) => format!("{} as a form", type_link(ir, t)),
            BodyKind::Multipart(_) => "a `multipart/form-data` upload".to_owned(),
        };
        doc.push_str(&format!("Request body: {what}.\n\n"));
    }
    doc.push_str(&format!("Returns {ok_doc}."));
    let errors = error_docs(ir, op);
    if !errors.is_empty() {
        doc.push_str("\n\n# Errors\n\n[`Error::Api`](crate::Error::Api) with, by status:\n");
        doc.push_str(&errors.join("\n"));
    }
    if op.deprecated {
        doc.push_str("\n\nDeprecated in the spec.");
    }
    doc
}

/// The method on the group that starts the request: `client.customers().create(body)`.
fn group_method(ir: &Ir, op: &Operation, ok: &Success, cfg: &TokenStream, m: &Members) -> TokenStream {
    let builder = ident(&op.type_name);
    let method = ident(&op.method);
    let doc = docs::lines(&method_doc(ir, op, &ok.doc));
    let deprecated = if op.deprecated { quote!(#[deprecated]) } else { TokenStream::new() };
    let (args, inits) = (&m.args, &m.inits);
    quote! {
        #doc
        #cfg
        #deprecated
        pub fn #method(&self, #(#args),*) -> #builder<'a> {
            #builder {
                client: self.client,
                #(#inits,)*
            }
        }
    }
}

/// `fetch_created()`, for an operation whose one success is a `201 Created` whose resource
/// the IR knows (`Operation::created`).
fn fetch_created(ir: &Ir, op: &Operation, feature: &[String]) -> TokenStream {
    let (Some(t), Some(SuccessBody::Created)) = (&op.created, op.single_success()) else {
        return TokenStream::new();
    };
    let op_id = &op.id;
    let tt = type_tokens(ir, t);
    let cfg_t = t.named().map(|id| super::features::cfg_within(ir, id, feature)).unwrap_or_default();
    let doc = docs::lines(&format!(
        "Sends the request, then fetches the resource it created from the `Location` Dwolla returns, as {}. \
         Two requests; nothing is fetched unless you call this. Once the create succeeded it is never \
         reported as failed: if reading the resource back fails, the error is \
         [`Error::CreatedNotFetched`](crate::Error::CreatedNotFetched), which carries the \
         [`Created`](crate::Created) (do not send the create again).",
        type_link(ir, t)
    ));
    quote! {
        #doc
        #cfg_t
        pub async fn fetch_created(self) -> ::std::result::Result<crate::Response<#tt>, crate::Error> {
            let client = self.client;
            let created = self.send().await?;
            client.fetch_created(#op_id, created).await
        }
    }
}

/// The builder struct, its setters and methods, its `IntoFuture`, and its outcome enum if any.
fn builder(
    ir: &Ir,
    op: &Operation,
    ok: &Success,
    cfg: &TokenStream,
    feature: &[String],
    m: &Members,
    body: &TokenStream,
) -> TokenStream {
    let builder = ident(&op.type_name);
    let (request, operation_id) = request_doc(op);
    let doc = docs::lines(&format!(
        "A {request} request (operation {operation_id}), made by [`{}::{}`]. Set its options, then `.await` it.",
        group_type(&op.group),
        op.method,
    ));
    let (fields, setters) = (&m.fields, &m.setters);
    let stream = op.pagination.as_ref().map(|p| stream_method(ir, op, p)).unwrap_or_default();
    let fetch_created = fetch_created(ir, op, feature);
    let into_request = into_request(op, body);
    let (ok_ty, ok_arms) = (&ok.ty, &ok.arms);
    let error_arms = error_arms(ir, op);
    let extra = if ok.extra.is_empty() {
        TokenStream::new()
    } else {
        let e = &ok.extra;
        quote!(#cfg #e)
    };
    quote! {
        #doc
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
            pub fn send(self) -> impl ::std::future::Future<Output = ::std::result::Result<crate::Response<#ok_ty>, crate::Error>> + ::std::marker::Send + 'a {
                crate::execute::send(self.client, self.into_request(), Self::from_raw)
            }

            #into_request

            fn from_raw(raw: crate::request::Raw) -> ::std::result::Result<crate::Response<#ok_ty>, crate::Error> {
                match raw.status.as_u16() {
                    #ok_arms
                    #error_arms
                }
            }
        }

        crate::macros::into_future!(#cfg #builder => #ok_ty, crate::Error);

        #extra
    }
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
            // The runtime's client, which the stream holds.
            let client = ::dwolla_runtime::Client::clone(self.client);
            // Named with `'static`: the stream outlives the borrow of the client.
            let first = crate::pagination::first(client.clone(), self.into_request(), <#builder<'static>>::from_raw, reduce);
            crate::Paged::new(
                client,
                #op_id,
                first,
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
