//! Operations as the client will expose them: where each method hangs
//! (`client.customers().exchange_sessions().create(..)`), its arguments and builder options, its
//! body and media type, and every response it declares.

use heck::ToSnakeCase;
use openapiv3::{OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr, RequestBody, StatusCode};
use serde_json::Value;

use super::TypeRef;
use super::build::Builder;
use super::graph::module_name;
use super::naming::{self, Scope};
use super::shape::{ShapeKind, prim};
use crate::error::Result;
use crate::spec::Pointer;

/// The intermediate representation of an operation that will become a method.
#[derive(Clone, Debug)]
pub struct Operation {
    /// The spec's operationId.
    pub id: String,
    /// `GET`, `POST`, ...
    pub http_method: HttpMethod,
    /// The request path template, `{name}` for path parameters, without any `#fragment`.
    pub path: String,
    /// `path` parsed once: its literal text and its parameters, in order.
    pub template: Vec<PathPiece>,
    /// The path as the spec spells it (it may carry a `#fragment` to tell operations apart).
    pub spec_path: String,
    /// Where the method hangs: `["customers", "exchange_sessions"]`.
    pub group: Vec<String>,
    /// The method name, `snake_case`, unique within its group.
    pub method: String,
    /// `UpperCamelCase` stem for the operation's own types (`CreateCustomerExchangeSession`).
    pub type_name: String,
    /// The name of the operation's own test in the generated tests (`create_customer`):
    /// `naming::test_name` of its type name.
    pub test_name: String,
    /// The enum of the successes when they differ by status (`single_success` is `None`).
    pub outcome: Option<Outcome>,
    /// The resource module (and feature) it belongs to, from its tag.
    pub module: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    /// Path parameters in the order they appear in the path, then query and header ones.
    pub params: Vec<Param>,
    pub body: Option<Body>,
    pub responses: Vec<Response>,
    pub auth: Auth,
    /// The `Accept` header to send: the media types the operation's responses declare.
    pub accept: String,
    /// Set for list operations whose pages can be streamed (see `ir/pagination.rs`).
    pub pagination: Option<super::Pagination>,
    /// For a `201 Created`, the type of the resource its `Location` names, when a `GET`
    /// operation on that resource path exists.
    pub created: Option<TypeRef>,
    /// Where the operation is in the spec.
    pub pointer: Pointer,
}

impl Operation {
    /// The module of `dwolla::api` its builder and outcome are in: its top-level group's
    /// (`customers` for `["customers", "exchange_sessions"]`).
    pub fn api_module(&self) -> Option<&str> {
        self.group.first().map(String::as_str)
    }

    /// Every type the operation mentions: parameters, body and responses.
    pub fn type_refs(&self) -> impl Iterator<Item = &TypeRef> {
        self.params
            .iter()
            .map(|p| &p.ty)
            .chain(self.body.iter().flat_map(|b| b.type_refs()))
            .chain(self.responses.iter().filter_map(|r| r.body.as_ref()))
    }

    pub fn path_params(&self) -> impl Iterator<Item = &Param> {
        self.params.iter().filter(|p| p.location == ParamLocation::Path)
    }

    pub fn is_post(&self) -> bool {
        self.http_method == HttpMethod::Post
    }
}

/// A piece of a request path template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathPiece {
    /// Text sent as it is: `/customers/`.
    Literal(String),
    /// `{id}`: the path parameter at this index of [`Operation::params`].
    Param(usize),
}

/// A piece of a path template before its parameters are matched with their declarations.
#[derive(Debug, PartialEq, Eq)]
enum RawPiece<'a> {
    Literal(&'a str),
    Param(&'a str),
}

/// Splits `/customers/{id}/documents` into its literal text and `{name}` parameters. A `{`
/// that no `}` closes is literal text.
fn parse_template(path: &str) -> Vec<RawPiece<'_>> {
    let mut pieces = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else { break };
        if start > 0 {
            pieces.push(RawPiece::Literal(&rest[..start]));
        }
        pieces.push(RawPiece::Param(&rest[start + 1..start + len]));
        rest = &rest[start + len + 1..];
    }
    if !rest.is_empty() {
        pieces.push(RawPiece::Literal(rest));
    }
    pieces
}

/// The template of `path`, each parameter matched with its declaration in `params`, or the name
/// of the first parameter the path uses that is not declared.
fn template_of(path: &str, params: &[Param]) -> std::result::Result<Vec<PathPiece>, String> {
    parse_template(path)
        .into_iter()
        .map(|piece| match piece {
            RawPiece::Literal(text) => Ok(PathPiece::Literal(text.to_owned())),
            RawPiece::Param(name) => params
                .iter()
                .position(|p| p.location == ParamLocation::Path && p.wire == name)
                .map(PathPiece::Param)
                .ok_or_else(|| name.to_owned()),
        })
        .collect()
}

/// The HTTP method of an operation: one of the eight an OpenAPI path item can hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum HttpMethod {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl HttpMethod {
    /// Every method, in the order the operations of one path are read.
    pub const ALL: [HttpMethod; 8] = [
        HttpMethod::Get,
        HttpMethod::Put,
        HttpMethod::Post,
        HttpMethod::Delete,
        HttpMethod::Options,
        HttpMethod::Head,
        HttpMethod::Patch,
        HttpMethod::Trace,
    ];

    /// `GET`, as on the wire and as the constant of `http::Method`.
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Put => "PUT",
            HttpMethod::Post => "POST",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Options => "OPTIONS",
            HttpMethod::Head => "HEAD",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Trace => "TRACE",
        }
    }

    /// `get`, the key of a path item and of a JSON pointer into it.
    pub fn key(self) -> &'static str {
        match self {
            HttpMethod::Get => "get",
            HttpMethod::Put => "put",
            HttpMethod::Post => "post",
            HttpMethod::Delete => "delete",
            HttpMethod::Options => "options",
            HttpMethod::Head => "head",
            HttpMethod::Patch => "patch",
            HttpMethod::Trace => "trace",
        }
    }

    /// The operation a path item holds under this method.
    pub fn of(self, item: &openapiv3::PathItem) -> Option<&openapiv3::Operation> {
        match self {
            HttpMethod::Get => item.get.as_ref(),
            HttpMethod::Put => item.put.as_ref(),
            HttpMethod::Post => item.post.as_ref(),
            HttpMethod::Delete => item.delete.as_ref(),
            HttpMethod::Options => item.options.as_ref(),
            HttpMethod::Head => item.head.as_ref(),
            HttpMethod::Patch => item.patch.as_ref(),
            HttpMethod::Trace => item.trace.as_ref(),
        }
    }
}

impl std::fmt::Display for HttpMethod {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
}

#[derive(Clone, Debug)]
pub struct Param {
    pub wire: String,
    pub ident: String,
    pub location: ParamLocation,
    pub ty: TypeRef,
    pub required: bool,
    pub docs: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Body {
    /// The media type to send, as the spec declares it.
    pub content_type: String,
    pub kind: BodyKind,
    pub required: bool,
    pub docs: Option<String>,
}

impl Body {
    pub fn type_refs(&self) -> Box<dyn Iterator<Item = &TypeRef> + '_> {
        match &self.kind {
            BodyKind::Json(t) | BodyKind::Form(t) => Box::new(std::iter::once(t)),
            BodyKind::Multipart(parts) => Box::new(parts.iter().map(|p| &p.ty)),
        }
    }
}

#[derive(Clone, Debug)]
pub enum BodyKind {
    /// Serialized as JSON (`application/json` or Dwolla's HAL media type).
    Json(TypeRef),
    /// `application/x-www-form-urlencoded`.
    Form(TypeRef),
    /// `multipart/form-data`: one part per property; binary ones are streamed files.
    Multipart(Vec<Part>),
}

#[derive(Clone, Debug)]
pub struct Part {
    pub wire: String,
    pub ident: String,
    pub ty: TypeRef,
    pub required: bool,
    pub docs: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Response {
    pub status: Status,
    pub description: String,
    /// The JSON body type, when the response declares one.
    pub body: Option<TypeRef>,
    /// The media type of that body, as the spec declares it.
    pub media_type: Option<String>,
    /// The response declares a `Location` header (a `201 Created`).
    pub location: bool,
}

impl Response {
    /// What the client makes of this response when it is a success.
    pub fn success_body(&self) -> SuccessBody {
        if self.location {
            SuccessBody::Created
        } else {
            match &self.body {
                Some(t) => SuccessBody::Body(t.clone()),
                None => SuccessBody::Empty,
            }
        }
    }
}

/// The result a successful call gives: a `201 Created`'s location, a decoded body, or nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SuccessBody {
    Created,
    Body(TypeRef),
    Empty,
}

impl Operation {
    /// The one result every success status shares (nothing, when there are no success
    /// statuses), or `None` when they differ and the client returns an enum with one variant
    /// per status code.
    pub fn single_success(&self) -> Option<SuccessBody> {
        single_success(&self.responses)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    Code(u16),
    /// `4XX`: the hundreds digit.
    Range(u16),
    Default,
}

/// As the spec spells it: `404`, `4XX`, `default`.
impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Status::Code(c) => write!(f, "{c}"),
            Status::Range(r) => write!(f, "{r}XX"),
            Status::Default => f.write_str("default"),
        }
    }
}

impl Status {
    pub fn is_success(&self) -> bool {
        match self {
            Status::Code(c) => (200..300).contains(c),
            Status::Range(r) => *r == 2,
            Status::Default => false,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Auth {
    /// The OAuth2 client-credentials bearer token.
    Bearer,
    /// HTTP Basic with the client id and secret (the token endpoint itself).
    Basic,
    None,
}

/// Reads every operation, converting the schemas it uses into types through `b`.
pub(crate) fn read(spec: &OpenAPI, b: &mut Builder<'_>) -> Result<Vec<Operation>> {
    let mut ops = Vec::new();
    let mut names: std::collections::HashMap<Vec<String>, Scope> = std::collections::HashMap::new();
    let mut type_names = Scope::new();
    let global_auth = auth_of(spec.security.as_deref());
    for (spec_path, item) in spec.paths.iter() {
        let at_path = Pointer::root().push("paths").push(spec_path);
        let ReferenceOr::Item(item) = item else {
            return Err(b.err(&at_path, "path item references are not supported"));
        };
        for http_method in HttpMethod::ALL {
            let Some(op) = http_method.of(item) else { continue };
            let at = at_path.push(http_method.key());
            let id = op.operation_id.clone().unwrap_or_default();
            let tag = op.tags.first().cloned().unwrap_or_else(|| "default".to_owned());
            let group: Vec<String> = match op.extensions.get("x-speakeasy-group").and_then(Value::as_str) {
                Some(g) => g.split('.').map(naming::field_name).collect(),
                None => vec![module_name(&tag)],
            };
            let wanted = op
                .extensions
                .get("x-speakeasy-name-override")
                .and_then(Value::as_str)
                .unwrap_or(&id);
            let method_name = names
                .entry(group.clone())
                .or_default()
                .claim_with(&naming::field_name(&wanted.to_snake_case()), "_");
            let type_name = type_names.claim(&naming::builder_name(&id, &group));
            let path = spec_path.split('#').next().unwrap_or(spec_path).to_owned();

            let (params, mut param_scope) = params_of(spec, item, op, b, &type_name, &path, &at)?;
            let template = template_of(&path, &params)
                .map_err(|name| b.err(&at, format!("path parameter `{name}` is not declared")))?;
            let body = match &op.request_body {
                Some(rb) => Some(body_of(spec, rb, b, &type_name, &mut param_scope, &at.push("requestBody"))?),
                None => None,
            };
            let responses = responses_of(spec, op, b, &type_name, &at)?;
            let accept = accept_of(&responses);

            let auth = match &op.security {
                Some(reqs) => auth_of(Some(reqs)),
                None => global_auth,
            };
            ops.push(Operation {
                id,
                http_method,
                path,
                template,
                spec_path: spec_path.clone(),
                group,
                method: method_name,
                outcome: outcome_of(&type_name, &responses),
                test_name: naming::test_name(&type_name),
                type_name,
                module: module_name(&tag),
                summary: op.summary.clone(),
                description: op.description.clone(),
                deprecated: op.deprecated,
                params,
                body,
                responses,
                auth,
                accept,
                pagination: None,
                created: None,
                pointer: at,
            });
        }
    }
    link_created_resources(&mut ops);
    Ok(ops)
}

/// The parameters of an operation (the path item's, then its own), path parameters first in
/// the order the path names them, and the scope of the builder's member names they claimed.
fn params_of(
    spec: &OpenAPI,
    item: &openapiv3::PathItem,
    op: &openapiv3::Operation,
    b: &mut Builder<'_>,
    type_name: &str,
    path: &str,
    at: &Pointer,
) -> Result<(Vec<Param>, Scope)> {
    let mut params = Vec::new();
    // Names the operation's builder already uses for its own fields and methods.
    let mut param_scope = Scope::with_reserved(&[
        "header",
        "extra_headers",
        "stream",
        "fetch_created",
        "client",
        "body",
        "idempotency",
        "retry",
        "send",
        "idempotency_key",
        "without_idempotency_key",
        "into_future",
    ]);
    for (i, p) in item.parameters.iter().chain(op.parameters.iter()).enumerate() {
        let at_p = at.push("parameters").push(i);
        let p = resolve_parameter(spec, p, b, &at_p)?;
        if let Some(param) = param_of(p, b, type_name, &mut param_scope, &at_p)? {
            params.push(param);
        }
    }
    let position = |p: &Param| path.find(&format!("{{{}}}", p.wire)).unwrap_or(usize::MAX);
    params.sort_by_key(|p| match p.location {
        ParamLocation::Path => (0, position(p)),
        ParamLocation::Query => (1, 0),
        ParamLocation::Header => (2, 0),
    });
    Ok((params, param_scope))
}

/// Every declared response of an operation, in status order, `default` last.
fn responses_of(
    spec: &OpenAPI,
    op: &openapiv3::Operation,
    b: &mut Builder<'_>,
    type_name: &str,
    at: &Pointer,
) -> Result<Vec<Response>> {
    let at_r = at.push("responses");
    let all = op
        .responses
        .responses
        .iter()
        .map(|(s, r)| (status_of(s), r))
        .chain(op.responses.default.iter().map(|r| (Status::Default, r)));
    let mut responses = Vec::new();
    for (status, r) in all {
        let at_s = at_r.push(status.to_string());
        let r = match r {
            ReferenceOr::Item(r) => r,
            ReferenceOr::Reference { reference } => {
                let name = reference.rsplit('/').next().unwrap_or_default();
                match spec.components.as_ref().and_then(|c| c.responses.get(name)) {
                    Some(ReferenceOr::Item(r)) => r,
                    _ => return Err(b.err(&at_s, format!("unsupported response reference `{reference}`"))),
                }
            }
        };
        responses.push(response_of(spec, b, status, r, type_name, &at_s)?);
    }
    responses.sort_by_key(|r| r.status);
    Ok(responses)
}

/// One response: its JSON body's type (named after the operation and the status), if any.
fn response_of(
    spec: &OpenAPI,
    b: &mut Builder<'_>,
    status: Status,
    r: &openapiv3::Response,
    type_name: &str,
    at_s: &Pointer,
) -> Result<Response> {
    let json = r
        .content
        .iter()
        .find(|(media, _)| is_json(media))
        .and_then(|(media, mt)| mt.schema.as_ref().map(|s| (media, s, mt)));
    let media_type = json.map(|(media, _, _)| media.clone());
    let body = match json {
        Some((media, schema, mt)) => {
            let at_schema = at_s.push("content").push(media).push("schema");
            let shape = b.reader.schema_or_ref(schema, &at_schema, 0)?;
            if !status.is_success() {
                b.note_error_codes(&shape);
            }
            let hint = if status.is_success() {
                format!("{type_name}Response")
            } else {
                format!("{type_name}{}", naming::status_word(status))
            };
            let t = b.type_ref(&shape, &hint)?;
            media_examples(spec, b, &t, &shape, mt, &at_s.push("content").push(media));
            Some(t)
        }
        None => None,
    };
    Ok(Response {
        status,
        description: r.description.clone(),
        body,
        media_type,
        location: r.headers.keys().any(|h| h.eq_ignore_ascii_case("location")),
    })
}

/// A `POST /a/{id}/things` (or `POST /things`) that answers `201` with a `Location` creates a
/// `things` resource; when `GET /things/{id}` exists, its body is the created resource's type.
fn link_created_resources(ops: &mut [Operation]) {
    let getters: Vec<(String, TypeRef)> = ops
        .iter()
        .filter(|o| o.http_method == HttpMethod::Get)
        .filter_map(|o| {
            let body = o.responses.iter().find(|r| r.status.is_success())?.body.clone()?;
            Some((o.path.clone(), body))
        })
        .collect();
    for op in ops.iter_mut() {
        if !op.is_post() || !op.responses.iter().any(|r| r.status.is_success() && r.location) {
            continue;
        }
        let Some(collection) = op.path.trim_end_matches('/').rsplit('/').next() else {
            continue;
        };
        if collection.starts_with('{') {
            continue;
        }
        let prefix = format!("/{collection}/{{");
        op.created = getters
            .iter()
            .find(|(path, _)| path.starts_with(&prefix) && path.matches('/').count() == 2)
            .map(|(_, t)| t.clone());
    }
}

/// Dwolla's media type, which almost every response declares.
pub const HAL_JSON: &str = "application/vnd.dwolla.v1.hal+json";

/// The `Accept` of an operation: the media types its success responses declare for their
/// bodies, Dwolla's HAL type when none declares one. The token endpoint answers
/// `application/json`, and a server that honours `Accept` (Prism does) refuses to answer a
/// request to it that accepts only HAL.
fn accept_of(responses: &[Response]) -> String {
    let mut media: Vec<&str> = Vec::new();
    for m in responses
        .iter()
        .filter(|r| r.status.is_success())
        .filter_map(|r| r.media_type.as_deref())
    {
        if !media.contains(&m) {
            media.push(m);
        }
    }
    if media.is_empty() {
        HAL_JSON.to_owned()
    } else {
        media.join(", ")
    }
}

/// The scheme an operation uses: Basic when it names a `basic` scheme, none for `security: []`,
/// otherwise the client-credentials bearer token.
fn auth_of(reqs: Option<&[openapiv3::SecurityRequirement]>) -> Auth {
    match reqs {
        None => Auth::Bearer,
        Some([]) => Auth::None,
        Some(reqs) => {
            if reqs
                .iter()
                .any(|r| r.keys().any(|k| k.to_ascii_lowercase().contains("basic")))
            {
                Auth::Basic
            } else {
                Auth::Bearer
            }
        }
    }
}

fn status_of(s: &StatusCode) -> Status {
    match s {
        StatusCode::Code(c) => Status::Code(*c),
        StatusCode::Range(r) => Status::Range(*r),
    }
}

/// The one result every success status in `responses` shares (nothing, when there are none),
/// or `None` when they differ.
fn single_success(responses: &[Response]) -> Option<SuccessBody> {
    let mut ok = responses.iter().filter(|r| r.status.is_success());
    let Some(first) = ok.next() else {
        return Some(SuccessBody::Empty);
    };
    let kind = first.success_body();
    ok.all(|r| r.success_body() == kind).then_some(kind)
}

/// The outcome enum of an operation whose successes differ by status, named by `naming`: one
/// variant per success status code.
fn outcome_of(type_name: &str, responses: &[Response]) -> Option<Outcome> {
    if single_success(responses).is_some() {
        return None;
    }
    let variants = responses
        .iter()
        .filter_map(|r| match r.status {
            Status::Code(c) if r.status.is_success() => Some((c, naming::outcome_variant(c))),
            _ => None,
        })
        .collect();
    Some(Outcome {
        name: naming::outcome_enum(type_name),
        variants,
    })
}

/// The successes of an operation that differ by status, as one enum.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub name: String,
    /// `(status code, variant name)`, in the spec's order.
    pub variants: Vec<(u16, String)>,
}

/// Media types the client decodes as JSON: `application/json`, `+json` suffixes and Dwolla's
/// `application/vnd.dwolla.v1.hal` (which the spec once spells without `+json`).
pub fn is_json(media: &str) -> bool {
    let m = media.split(';').next().unwrap_or(media).trim().to_ascii_lowercase();
    m == "application/json" || m.ends_with("+json") || m.starts_with("application/vnd.dwolla")
}

fn resolve_parameter<'s>(
    spec: &'s OpenAPI,
    p: &'s ReferenceOr<Parameter>,
    b: &Builder<'_>,
    at: &Pointer,
) -> Result<&'s Parameter> {
    match p {
        ReferenceOr::Item(p) => Ok(p),
        ReferenceOr::Reference { reference } => {
            let name = reference.strip_prefix("#/components/parameters/").unwrap_or_default();
            match spec.components.as_ref().and_then(|c| c.parameters.get(name)) {
                Some(ReferenceOr::Item(p)) => Ok(p),
                _ => Err(b.err(at, format!("unsupported parameter reference `{reference}`"))),
            }
        }
    }
}

/// The headers the client sets itself (lower case), which operations therefore do not take as
/// parameters: the runtime's `MANAGED_HEADERS`, included from the one file that holds it, so that
/// a header the runtime refuses from callers is never offered to them as a parameter.
mod runtime_headers {
    include!("../../runtime/src/managed_headers.rs");
}

fn managed_headers() -> &'static [&'static str] {
    runtime_headers::MANAGED_HEADERS
}

fn param_of(
    p: &Parameter,
    b: &mut Builder<'_>,
    type_name: &str,
    scope: &mut Scope,
    at: &Pointer,
) -> Result<Option<Param>> {
    let (data, location) = match p {
        Parameter::Path { parameter_data, .. } => (parameter_data, ParamLocation::Path),
        Parameter::Query { parameter_data, .. } => (parameter_data, ParamLocation::Query),
        Parameter::Header { parameter_data, .. } => (parameter_data, ParamLocation::Header),
        Parameter::Cookie { .. } => return Err(b.err(at, "cookie parameters are not supported")),
    };
    if location == ParamLocation::Header && managed_headers().contains(&data.name.to_ascii_lowercase().as_str()) {
        return Ok(None);
    }
    let ty = match &data.format {
        ParameterSchemaOrContent::Schema(s) => {
            let shape = b.reader.schema_or_ref(s, &at.push("schema"), 0)?;
            if matches!(shape.kind, ShapeKind::Object(_)) {
                return Err(b.err(at, "object-valued parameters are not supported"));
            }
            b.type_ref(
                &shape,
                &format!("{type_name}{}", naming::type_part(&data.name, "Param")),
            )?
        }
        ParameterSchemaOrContent::Content(_) => return Err(b.err(at, "parameters with `content` are not supported")),
    };
    Ok(Some(Param {
        wire: data.name.clone(),
        ident: scope.claim_with(&naming::field_name(&data.name), "_"),
        location,
        ty,
        required: data.required || location == ParamLocation::Path,
        docs: data.description.clone(),
    }))
}

fn body_of(
    spec: &OpenAPI,
    rb: &ReferenceOr<RequestBody>,
    b: &mut Builder<'_>,
    type_name: &str,
    scope: &mut Scope,
    at: &Pointer,
) -> Result<Body> {
    let rb = match rb {
        ReferenceOr::Item(rb) => rb,
        ReferenceOr::Reference { reference } => {
            let name = reference
                .strip_prefix("#/components/requestBodies/")
                .unwrap_or_default();
            match spec.components.as_ref().and_then(|c| c.request_bodies.get(name)) {
                Some(ReferenceOr::Item(rb)) => rb,
                _ => return Err(b.err(at, format!("unsupported request body reference `{reference}`"))),
            }
        }
    };
    // Prefer the media types the client can send, in this order.
    let ranked = |m: &str| {
        let m = m.to_ascii_lowercase();
        if is_json(&m) {
            0
        } else if m.starts_with("multipart/form-data") {
            1
        } else if m.starts_with("application/x-www-form-urlencoded") {
            2
        } else {
            3
        }
    };
    let Some((media, mt)) = rb.content.iter().min_by_key(|(m, _)| ranked(m)) else {
        return Err(b.err(at, "request body has no content"));
    };
    let at_schema = at.push("content").push(media).push("schema");
    let shape = match &mt.schema {
        Some(s) => b.reader.schema_or_ref(s, &at_schema, 0)?,
        None => prim(TypeRef::Any, at_schema.clone()),
    };
    let hint = format!("{type_name}Request");
    let kind = match ranked(media) {
        0 => {
            let t = b.type_ref(&shape, &hint)?;
            media_examples(spec, b, &t, &shape, mt, &at.push("content").push(media));
            BodyKind::Json(t)
        }
        2 => BodyKind::Form(b.type_ref(&shape, &hint)?),
        1 => {
            let ShapeKind::Object(o) = &shape.kind else {
                return Err(b.err(&at_schema, "a multipart body must be an object schema"));
            };
            let mut parts = Vec::new();
            for p in &o.props {
                let ty = b.type_ref(&p.shape, &format!("{type_name}{}", naming::type_part(&p.wire, "Part")))?;
                parts.push(Part {
                    wire: p.wire.clone(),
                    ident: scope.claim_with(&naming::field_name(&p.wire), "_"),
                    ty,
                    required: p.required,
                    docs: p.shape.docs.clone(),
                });
            }
            BodyKind::Multipart(parts)
        }
        _ => {
            return Err(b.err(
                &at.push("content").push(media),
                format!("unsupported request media type `{media}`"),
            ));
        }
    };
    Ok(Body {
        content_type: media.clone(),
        kind,
        required: rb.required,
        docs: rb.description.clone(),
    })
}

/// Adds a media type's `example` and `examples` to the body type they illustrate.
fn media_examples(
    spec: &OpenAPI,
    b: &mut Builder<'_>,
    t: &TypeRef,
    shape: &super::shape::Shape,
    mt: &openapiv3::MediaType,
    at: &Pointer,
) {
    let Some(id) = t.named() else { return };
    if let Some(v) = &mt.example {
        b.add_example(id, shape, at.push("example").to_string(), v.clone());
    }
    for (name, ex) in &mt.examples {
        let example = match ex {
            ReferenceOr::Item(e) => Some(e),
            ReferenceOr::Reference { reference } => reference
                .strip_prefix("#/components/examples/")
                .and_then(|n| spec.components.as_ref()?.examples.get(n)?.as_item()),
        };
        if let Some(v) = example.and_then(|e| e.value.as_ref()) {
            b.add_example(id, shape, at.push("examples").push(name).to_string(), v.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn param(wire: &str, location: ParamLocation) -> Param {
        Param {
            wire: wire.to_owned(),
            ident: wire.to_owned(),
            location,
            ty: TypeRef::String,
            required: true,
            docs: None,
        }
    }

    #[test]
    fn a_template_is_parsed_once_into_literals_and_declared_parameters() {
        let params = [param("limit", ParamLocation::Query), param("id", ParamLocation::Path), param("doc", ParamLocation::Path)];
        let lit = |s: &str| PathPiece::Literal(s.to_owned());
        assert_eq!(
            template_of("/customers/{id}/documents/{doc}.json", &params),
            Ok(vec![lit("/customers/"), PathPiece::Param(1), lit("/documents/"), PathPiece::Param(2), lit(".json")])
        );
        assert_eq!(template_of("/{id}", &params), Ok(vec![lit("/"), PathPiece::Param(1)]));
        // A `{` that nothing closes is text.
        assert_eq!(template_of("/a/{b", &params), Ok(vec![lit("/a/{b")]));
        // A query parameter does not fill a path parameter of its name.
        assert_eq!(template_of("/x/{limit}", &params), Err("limit".to_owned()));
        assert_eq!(template_of("/x/{missing}", &params), Err("missing".to_owned()));
    }

    /// The headers operations do not take are the runtime's `MANAGED_HEADERS`
    /// (`generator/runtime/src/managed_headers.rs`, the list `.header(..)` refuses), not a copy.
    #[test]
    fn managed_headers_are_the_runtimes_list() {
        let headers = managed_headers();
        for name in ["accept", "authorization", "content-type", "idempotency-key", "user-agent"] {
            assert!(headers.contains(&name), "{name} missing from {headers:?}");
        }
        // The runtime compares with `HeaderName::as_str()`, which is lower case.
        assert!(headers.iter().all(|h| !h.is_empty() && *h == h.to_ascii_lowercase()), "{headers:?}");
    }

    /// A header parameter the client sets itself, in any case, is not an operation's parameter;
    /// any other header is.
    #[test]
    fn header_parameters_the_client_sets_are_not_parameters() {
        let mut parameters: Vec<String> = managed_headers()
            .iter()
            .map(|h| format!("{{name: {}, in: header, schema: {{type: string}}}}", h.to_ascii_uppercase()))
            .collect();
        parameters.push("{name: X-Correlation-Id, in: header, schema: {type: string}}".to_owned());
        let spec = format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n    get:\n      operationId: getA\n      parameters: [{}]\n      responses: {{'200': {{description: ok}}}}\n",
            parameters.join(", ")
        );
        let ir = match crate::render(&spec, "spec.yaml", None) {
            Ok(g) => g.ir,
            Err(e) => panic!("generation failed: {e}"),
        };
        let params: Vec<&str> = ir.operations.iter().flat_map(|op| &op.params).map(|p| p.wire.as_str()).collect();
        assert_eq!(params, ["X-Correlation-Id"]);
    }

    #[test]
    fn http_methods_read_as_the_wire_and_the_spec_spell_them() {
        for m in HttpMethod::ALL {
            assert_eq!(m.as_str().to_ascii_lowercase(), m.key());
            assert_eq!(m.to_string(), m.as_str());
        }
    }
}
