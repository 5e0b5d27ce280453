//! The public surface of one generated crate, as plain data read off the IR: every type with
//! what downstream code can see of it, and every operation with how it is called and what it
//! returns. This is what the report compares and what `generated/api-surface.json` keeps.
//!
//! Types inside type expressions are written `{key}`, where the key is a type's stable
//! identity (see [`TypeFacts::key`]), so that a type renamed in Rust does not make every field
//! that mentions it look changed.

use serde::{Deserialize, Serialize};

use crate::ir::accessors::{Returns, shared_accessors};

use crate::ir::{
    Additional, BodyKind, CONSTS_MODULE, Ir, Operation, ParamLocation, Status, SuccessBody, TypeEntry,
    TypeKind, TypeRef,
};

/// Everything the report compares, for one generation of the crate.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Surface {
    /// Sorted by key.
    pub types: Vec<TypeFacts>,
    /// Sorted by operationId.
    pub operations: Vec<OperationFacts>,
    /// The variants of `dwolla::ApiErrorBody`, as type keys, in the enum's order.
    pub error_bodies: Vec<String>,
}

/// One named Rust type.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TypeFacts {
    /// Its identity across generations: the component schema name for a component, and
    /// `~` + the Rust name (`~consts::` + the name for a const) for a type the generator made
    /// from an inline schema. `~` cannot start a component name (OpenAPI restricts them to
    /// `[a-zA-Z0-9._-]`), so the two never collide.
    pub key: String,
    /// The Rust name, `dwolla::models::<name>` (`dwolla::models::consts::<name>` for a const).
    pub name: String,
    /// The resource module, which is also the cargo feature that compiles it.
    pub module: String,
    /// For a type of the shared `common` module: the features any one of which compiles it;
    /// empty when every build does.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub features: Vec<String>,
    /// Where in the spec the type is first defined: recognises an inline type whose Rust name
    /// changed.
    pub origin: String,
    /// Users build it (it is reachable from a request body): it has `new(..)` and setters.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub in_request: bool,
    pub shape: ShapeFacts,
}

/// What kind of type it is and what it contains.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ShapeFacts {
    Struct {
        fields: Vec<FieldFacts>,
        /// The value type of the flattened `additional_properties` map, when there is one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        additional: Option<String>,
        /// Helper methods (`x-dwolla-variants` views, `x-dwolla-links` helpers), each as
        /// `name() -> Type`. A view's enum is a type of its own, listed as a union whose
        /// variants hold `(field: Type, ..)`.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        methods: Vec<String>,
    },
    Enum {
        values: Vec<ValueFacts>,
    },
    Union {
        variants: Vec<VariantFacts>,
        /// Shared accessors (`ir::accessors`), each as `name() -> Type`.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        methods: Vec<String>,
    },
    Alias {
        target: String,
    },
    Const {
        value: String,
    },
}

impl ShapeFacts {
    /// `struct`, `enum`, `union`, `alias`, `const`: how the report names the kind.
    pub fn word(&self) -> &'static str {
        match self {
            ShapeFacts::Struct { .. } => "struct",
            ShapeFacts::Enum { .. } => "enum",
            ShapeFacts::Union { .. } => "union enum",
            ShapeFacts::Alias { .. } => "type alias",
            ShapeFacts::Const { .. } => "const type",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldFacts {
    /// The property name on the wire: the field's identity.
    pub wire: String,
    pub ident: String,
    /// The Rust type inside any `Option` (with its `Box`, when it has one).
    pub ty: String,
    /// The spec lists the property as required.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub required: bool,
    /// The spec lets it be `null`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub nullable: bool,
}

impl FieldFacts {
    /// The field is an `Option` in Rust (a required nullable field is one too, sent as
    /// `null`).
    pub fn option(&self) -> bool {
        !self.required || self.nullable
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValueFacts {
    pub wire: String,
    pub ident: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VariantFacts {
    pub ident: String,
    pub ty: String,
}

/// One operation, as the client exposes it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperationFacts {
    /// The spec's operationId: the operation's identity.
    pub id: String,
    pub http_method: String,
    pub path: String,
    /// The method chain from the client, `customers().exchange_sessions().create`.
    pub call: String,
    /// The request builder's path under `dwolla::api`: `customers::CreateCustomer`.
    pub builder: String,
    /// The resource module whose cargo feature compiles it.
    pub module: String,
    /// Parameters, then the body (or the parts of a multipart body), in argument order.
    pub inputs: Vec<InputFacts>,
    /// The media type the body is sent as.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media: Option<String>,
    /// What awaiting the builder gives on success.
    pub output: String,
    /// Error statuses and the type of their body, when they declare one.
    pub errors: Vec<ErrorFacts>,
    /// Builder methods beyond setters and `send`: `stream() -> ..`, `fetch_created() -> ..`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub methods: Vec<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub deprecated: bool,
}

/// A parameter, the body, or one part of a multipart body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputFacts {
    /// `path`, `query`, `header`, `body` or `part`.
    #[serde(rename = "in")]
    pub location: String,
    /// The wire name (`body` for the body): with `location`, the input's identity.
    pub wire: String,
    /// The argument name, or the setter's name when optional.
    pub ident: String,
    pub ty: String,
    /// An argument of the method rather than a setter of the builder.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub required: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorFacts {
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
}

impl Surface {
    /// Reads the surface off an IR.
    pub fn of(ir: &Ir) -> Surface {
        let keys: Vec<String> = ir.types.iter().map(key_of).collect();
        let mut types: Vec<TypeFacts> = ir
            .types
            .iter()
            .zip(&keys)
            .map(|(t, key)| type_facts(ir, &keys, t, key))
            .collect();
        types.extend(ir.types.iter().flat_map(|t| view_facts(&keys, t)));
        types.sort_by(|a, b| a.key.cmp(&b.key));
        let mut operations: Vec<OperationFacts> = ir.operations.iter().map(|op| operation_facts(&keys, op)).collect();
        operations.sort_by(|a, b| a.id.cmp(&b.id));
        let mut error_bodies: Vec<String> = Vec::new();
        for op in &ir.operations {
            for r in op.responses.iter().filter(|r| !r.status.is_success()) {
                if let Some(id) = r.body.as_ref().and_then(TypeRef::named) {
                    let key = &keys[ir.canonical(id).0];
                    if !error_bodies.contains(key) {
                        error_bodies.push(key.clone());
                    }
                }
            }
        }
        Surface {
            types,
            operations,
            error_bodies,
        }
    }

    /// The type with this key.
    pub fn get(&self, key: &str) -> Option<&TypeFacts> {
        self.types
            .binary_search_by(|t| t.key.as_str().cmp(key))
            .ok()
            .map(|i| &self.types[i])
    }

    /// The type with this component schema name.
    pub fn component(&self, name: &str) -> Option<&TypeFacts> {
        self.get(name).filter(|t| !t.key.starts_with('~'))
    }

    /// The type an alias stands for, following `pub type A = B;` chains to a type that is not
    /// an alias of a single named type (or `key`'s own type when it is not such an alias).
    pub fn resolve<'a>(&'a self, key: &str) -> Option<&'a TypeFacts> {
        let mut t = self.get(key)?;
        for _ in 0..64 {
            match &t.shape {
                ShapeFacts::Alias { target } => match single_key(target).and_then(|k| self.get(k)) {
                    Some(next) => t = next,
                    None => break,
                },
                _ => break,
            }
        }
        Some(t)
    }

    /// A type expression with `{key}` replaced by the Rust names this surface gives them.
    pub fn display(&self, expr: &str) -> String {
        map_keys(expr, |key| match self.get(key) {
            Some(t) if t.module == CONSTS_MODULE => format!("consts::{}", t.name),
            Some(t) => t.name.clone(),
            None => key.trim_start_matches('~').to_owned(),
        })
    }
}

/// The key of the only type an expression names when the expression is just `{key}`.
pub fn single_key(expr: &str) -> Option<&str> {
    let inner = expr.strip_prefix('{')?.strip_suffix('}')?;
    (!inner.contains(['{', '}'])).then_some(inner)
}

/// Rewrites each `{key}` of a type expression with `f(key)`, leaving the rest as is.
pub fn map_keys(expr: &str, mut f: impl FnMut(&str) -> String) -> String {
    let mut out = String::with_capacity(expr.len());
    let mut rest = expr;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end) => {
                out.push_str(&f(&after[..end]));
                rest = &after[end + 1..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

fn key_of(t: &TypeEntry) -> String {
    match &t.component {
        Some(c) => c.clone(),
        None if t.module == CONSTS_MODULE => format!("~consts::{}", t.name),
        None => format!("~{}", t.name),
    }
}


/// The Rust type of a type reference, with named types as `{key}`.
pub(crate) fn expr(keys: &[String], t: &TypeRef) -> String {
    match t {
        TypeRef::Named(id) => format!("{{{}}}", keys[id.0]),
        TypeRef::String | TypeRef::Binary => "String".into(),
        TypeRef::Bool => "bool".into(),
        TypeRef::I32 => "i32".into(),
        TypeRef::I64 => "i64".into(),
        TypeRef::F64 => "f64".into(),
        TypeRef::DateTime => "DateTime<Utc>".into(),
        TypeRef::Date => "NaiveDate".into(),
        TypeRef::Any => "Value".into(),
        TypeRef::Object => "Map<String, Value>".into(),
        TypeRef::Vec(inner) => format!("Vec<{}>", expr(keys, inner)),
        TypeRef::Map(inner) => format!("BTreeMap<String, {}>", expr(keys, inner)),
    }
}

fn type_facts(ir: &Ir, keys: &[String], t: &TypeEntry, key: &str) -> TypeFacts {
    let shape = match &t.kind {
        TypeKind::Struct(s) => {
            let fields = s
                .fields
                .iter()
                .map(|f| {
                    let inner = expr(keys, &f.ty);
                    FieldFacts {
                        wire: f.wire.clone(),
                        ident: f.ident.clone(),
                        ty: if f.boxed { format!("Box<{inner}>") } else { inner },
                        required: f.required,
                        nullable: f.nullable,
                    }
                })
                .collect();
            let additional = s.additional.as_ref().map(|a| match a {
                Additional::Preserve => "Value".to_owned(),
                Additional::Typed(t) => expr(keys, t),
            });
            let mut methods: Vec<String> = s
                .views
                .iter()
                .map(|v| format!("{}() -> {{~{}}}", v.method, v.enum_name))
                .collect();
            for l in &s.links {
                let ret = if l.optional { "Option<&str>" } else { "&str" };
                methods.push(format!("{}_id() -> {ret}", l.stem));
                methods.push(format!("{}_url() -> {ret}", l.stem));
                if let Some(r) = l.resource {
                    methods.push(format!("fetch_{}() -> {{{}}}", l.stem, keys[r.0]));
                }
            }
            ShapeFacts::Struct {
                fields,
                additional,
                methods,
            }
        }
        TypeKind::Enum(e) => ShapeFacts::Enum {
            values: e
                .values
                .iter()
                .map(|v| ValueFacts {
                    wire: v.wire.clone(),
                    ident: v.ident.clone(),
                })
                .collect(),
        },
        TypeKind::Union(u) => ShapeFacts::Union {
            variants: u
                .variants
                .iter()
                .map(|v| {
                    let inner = expr(keys, &v.ty);
                    VariantFacts {
                        ident: v.ident.clone(),
                        ty: if v.boxed { format!("Box<{inner}>") } else { inner },
                    }
                })
                .collect(),
            methods: shared_accessors(ir, u)
                .iter()
                .map(|a| {
                    let ty = match &a.returns {
                        Returns::Same(t) => format!("&{}", expr(keys, t)),
                        Returns::Str { .. } => "&str".to_owned(),
                    };
                    let ret = if a.optional { format!("Option<{ty}>") } else { ty };
                    format!("{}() -> {ret}", a.name)
                })
                .collect(),
        },
        TypeKind::Alias(target) => ShapeFacts::Alias {
            target: expr(keys, target),
        },
        TypeKind::Const { value } => ShapeFacts::Const { value: value.clone() },
    };
    TypeFacts {
        key: key.to_owned(),
        name: t.name.clone(),
        module: t.module.clone(),
        features: t.features.clone(),
        origin: t.origin.to_string(),
        in_request: t.in_request,
        shape,
    }
}

/// The enums of a struct's `x-dwolla-variants` views, as union-like types: each variant with
/// its fields, `(name: Type, ..)`.
fn view_facts(keys: &[String], t: &TypeEntry) -> Vec<TypeFacts> {
    let TypeKind::Struct(s) = &t.kind else {
        return Vec::new();
    };
    s.views
        .iter()
        .map(|v| {
            let mut variants: Vec<VariantFacts> = v
                .variants
                .iter()
                .map(|x| {
                    let fields: Vec<String> = x
                        .fields
                        .iter()
                        .map(|f| {
                            let ty = expr(keys, &f.ty);
                            let ty = if f.optional { format!("Option<{ty}>") } else { ty };
                            format!("{}: {ty}", f.name)
                        })
                        .collect();
                    VariantFacts {
                        ident: x.name.clone(),
                        ty: format!("({})", fields.join(", ")),
                    }
                })
                .collect();
            variants.push(VariantFacts {
                ident: v.fallback.clone(),
                ty: "()".into(),
            });
            TypeFacts {
                key: format!("~{}", v.enum_name),
                name: v.enum_name.clone(),
                module: t.module.clone(),
                features: t.features.clone(),
                origin: format!("{}/x-dwolla-variants", t.origin),
                in_request: false,
                shape: ShapeFacts::Union {
                    variants,
                    methods: Vec::new(),
                },
            }
        })
        .collect()
}

fn success_expr(keys: &[String], s: &SuccessBody) -> String {
    match s {
        SuccessBody::Created => "Created".into(),
        SuccessBody::Body(t) => expr(keys, t),
        SuccessBody::Empty => "()".into(),
    }
}

fn operation_facts(keys: &[String], op: &Operation) -> OperationFacts {
    let mut inputs: Vec<InputFacts> = op
        .params
        .iter()
        .map(|p| InputFacts {
            location: match p.location {
                ParamLocation::Path => "path",
                ParamLocation::Query => "query",
                ParamLocation::Header => "header",
            }
            .to_owned(),
            wire: p.wire.clone(),
            ident: p.ident.clone(),
            ty: expr(keys, &p.ty),
            required: p.required,
        })
        .collect();
    let mut media = None;
    if let Some(body) = &op.body {
        media = Some(body.content_type.clone());
        match &body.kind {
            BodyKind::Json(t) | BodyKind::Form(t) => inputs.push(InputFacts {
                location: "body".into(),
                wire: "body".into(),
                ident: "body".into(),
                ty: expr(keys, t),
                required: body.required,
            }),
            BodyKind::Multipart(parts) => inputs.extend(parts.iter().map(|p| InputFacts {
                location: "part".into(),
                wire: p.wire.clone(),
                ident: p.ident.clone(),
                ty: if p.ty == TypeRef::Binary {
                    "File".into()
                } else {
                    expr(keys, &p.ty)
                },
                required: p.required,
            })),
        }
    }
    let output = match (&op.outcome, op.single_success()) {
        (None, s) => success_expr(keys, &s.unwrap_or(SuccessBody::Empty)),
        (Some(outcome), _) => {
            let per_status: Vec<String> = op
                .responses
                .iter()
                .filter(|r| r.status.is_success())
                .filter_map(|r| match r.status {
                    Status::Code(c) => Some(format!("{c}: {}", success_expr(keys, &r.success_body()))),
                    _ => None,
                })
                .collect();
            format!("{}[{}]", outcome.name, per_status.join(", "))
        }
    };
    let errors = op
        .responses
        .iter()
        .filter(|r| !r.status.is_success())
        .map(|r| ErrorFacts {
            status: r.status.to_string(),
            body: r.body.as_ref().map(|t| expr(keys, t)),
        })
        .collect();
    let mut methods = Vec::new();
    if let Some(p) = &op.pagination {
        methods.push(format!("stream() -> Paged<{}>", expr(keys, &p.item)));
    }
    if let (Some(t), Some(SuccessBody::Created)) = (&op.created, op.single_success()) {
        methods.push(format!("fetch_created() -> {}", expr(keys, t)));
    }
    let mut call: Vec<String> = op.group.iter().map(|g| format!("{g}()")).collect();
    call.push(op.method.clone());
    OperationFacts {
        id: op.id.clone(),
        http_method: op.http_method.to_string(),
        path: op.path.clone(),
        call: call.join("."),
        builder: match op.api_module() {
            Some(module) => format!("{module}::{}", op.type_name),
            None => op.type_name.clone(),
        },
        module: op.module.clone(),
        inputs,
        media,
        output,
        errors,
        methods,
        deprecated: op.deprecated,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_replaced_and_found() {
        assert_eq!(map_keys("Vec<{A}>", |k| format!("<{k}>")), "Vec<<A>>");
        assert_eq!(
            map_keys("BTreeMap<String, {~B}>", str::to_owned),
            "BTreeMap<String, ~B>"
        );
        assert_eq!(map_keys("broken {A", str::to_owned), "broken {A");
        assert_eq!(
            map_keys("XOutcome[200: {A}, 202: ()]", |k| k.to_lowercase()),
            "XOutcome[200: a, 202: ()]"
        );
        assert_eq!(single_key("{A}"), Some("A"));
        assert_eq!(single_key("Vec<{A}>"), None);
    }
}
