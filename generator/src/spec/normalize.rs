//! Rewrites an OpenAPI 3.1 document into the OpenAPI 3.0 form that the `openapiv3` crate reads.
//!
//! The walk knows where schemas are (it never touches an `example` value or a property that
//! happens to be called `type`), rewrites the 3.1 constructs it understands, and fails with the
//! JSON pointer of anything else. Nothing is dropped silently.
//!
//! | 3.1                                   | 3.0 form written                                        |
//! |---------------------------------------|---------------------------------------------------------|
//! | `type: [T, "null"]`                   | `type: T`, `nullable: true`                             |
//! | `enum` containing `null`              | the other values, `nullable: true`                      |
//! | `const: v`                            | `enum: [v]` and `x-const: v` (the generator's constant) |
//! | `examples: [a, ...]` in a schema      | `example: a`                                            |
//! | `exclusiveMinimum: n` (a number)      | `minimum: n`, `exclusiveMinimum: true`                  |
//! | `$ref` with siblings                  | `allOf: [{$ref}, {constraints}]` plus the doc siblings  |
//! | `contentMediaType` / `contentEncoding`| `format: binary` / `format: byte`                       |
//! | boolean schema `true`                 | `{}`                                                    |
//! | a schema without `type`               | `type` inferred from `properties`, `items` or `enum`    |

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::pointer::Pointer;
use crate::error::{Error, Result};

/// Keywords a 3.0 schema may carry, which pass through unchanged.
const SCHEMA_KEYWORDS: &[&str] = &[
    "title",
    "multipleOf",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "maxProperties",
    "minProperties",
    "required",
    "enum",
    "type",
    "allOf",
    "oneOf",
    "anyOf",
    "not",
    "items",
    "properties",
    "additionalProperties",
    "description",
    "format",
    "default",
    "nullable",
    "discriminator",
    "readOnly",
    "writeOnly",
    "xml",
    "externalDocs",
    "example",
    "deprecated",
];

/// Keywords that only document a schema; they may sit beside a `$ref`.
const DOC_KEYWORDS: &[&str] = &[
    "title",
    "description",
    "example",
    "deprecated",
    "readOnly",
    "writeOnly",
    "externalDocs",
];

const TYPES: &[&str] = &["string", "number", "integer", "boolean", "object", "array"];

const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Normalizes `doc` in place. `file` names the document in errors.
pub fn normalize(doc: &mut Value, file: &str) -> Result<()> {
    let mut n = Normalizer {
        file,
        refs: Vec::new(),
        operation_ids: HashMap::new(),
    };
    n.document(doc)?;
    n.check_refs(doc)
}

struct Normalizer<'a> {
    file: &'a str,
    /// Every `$ref` seen, with where it was seen and whether it must name a component schema.
    refs: Vec<(Pointer, String, RefKind)>,
    operation_ids: HashMap<String, Pointer>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum RefKind {
    Schema,
    Other,
}

type Obj = Map<String, Value>;

impl Normalizer<'_> {
    fn err(&self, at: &Pointer, message: impl Into<String>) -> Error {
        Error::spec(self.file, at.to_string(), message)
    }

    fn object<'v>(&self, v: &'v mut Value, at: &Pointer, what: &str) -> Result<&'v mut Obj> {
        match v {
            Value::Object(o) => Ok(o),
            other => Err(self.err(at, format!("{what} must be an object, found {}", kind(other)))),
        }
    }

    /// Fails on any key of `o` that is neither in `allowed` nor an `x-` extension.
    fn known_keys(&self, o: &Obj, at: &Pointer, what: &str, allowed: &[&str]) -> Result<()> {
        for k in o.keys() {
            if !k.starts_with("x-") && !allowed.contains(&k.as_str()) {
                return Err(self.err(&at.push(k), format!("unsupported keyword `{k}` in {what}")));
            }
        }
        Ok(())
    }

    fn document(&mut self, doc: &mut Value) -> Result<()> {
        let root = Pointer::root();
        let o = self.object(doc, &root, "the document")?;
        match o.get("openapi").and_then(Value::as_str) {
            Some(v) if v.starts_with("3.1.") || v.starts_with("3.0.") => {}
            Some(v) => return Err(self.err(&root.push("openapi"), format!("unsupported OpenAPI version `{v}`"))),
            None => return Err(self.err(&root.push("openapi"), "missing OpenAPI version")),
        }
        o.insert("openapi".into(), Value::String("3.0.3".into()));
        o.shift_remove("jsonSchemaDialect");
        if let Some(w) = o.get("webhooks") {
            if !is_empty(w) {
                return Err(self.err(&root.push("webhooks"), "document-level `webhooks` are not supported"));
            }
            o.shift_remove("webhooks");
        }
        self.known_keys(
            o,
            &root,
            "the document",
            &[
                "openapi",
                "info",
                "servers",
                "paths",
                "components",
                "security",
                "tags",
                "externalDocs",
            ],
        )?;
        if let Some(info) = o.get_mut("info").and_then(Value::as_object_mut) {
            // 3.1 additions that 3.0 has no place for and the generator does not use.
            info.shift_remove("summary");
            if let Some(l) = info.get_mut("license").and_then(Value::as_object_mut) {
                l.shift_remove("identifier");
            }
        }
        if let Some(paths) = o.get_mut("paths") {
            let at = root.push("paths");
            let paths = self.object(paths, &at, "`paths`")?;
            for (path, item) in paths.iter_mut() {
                if path.starts_with("x-") {
                    continue;
                }
                self.path_item(item, &at.push(path))?;
            }
        } else {
            o.insert("paths".into(), Value::Object(Map::new()));
        }
        if let Some(components) = o.get_mut("components") {
            self.components(components, &root.push("components"))?;
        }
        Ok(())
    }

    fn components(&mut self, v: &mut Value, at: &Pointer) -> Result<()> {
        let o = self.object(v, at, "`components`")?;
        for key in ["pathItems", "callbacks"] {
            if let Some(x) = o.get(key) {
                if !is_empty(x) {
                    return Err(self.err(&at.push(key), format!("`components/{key}` are not supported")));
                }
                o.shift_remove(key);
            }
        }
        self.known_keys(
            o,
            at,
            "`components`",
            &[
                "schemas",
                "responses",
                "parameters",
                "examples",
                "requestBodies",
                "headers",
                "securitySchemes",
                "links",
            ],
        )?;
        let each = |n: &mut Self,
                    o: &mut Obj,
                    key: &str,
                    f: fn(&mut Self, &mut Value, &Pointer) -> Result<()>|
         -> Result<()> {
            if let Some(m) = o.get_mut(key) {
                let at = at.push(key);
                let m = n.object(m, &at, &format!("`components/{key}`"))?;
                for (name, item) in m.iter_mut() {
                    f(n, item, &at.push(name))?;
                }
            }
            Ok(())
        };
        each(self, o, "schemas", Self::schema)?;
        each(self, o, "parameters", Self::parameter)?;
        each(self, o, "responses", Self::response)?;
        each(self, o, "requestBodies", Self::request_body)?;
        each(self, o, "headers", Self::header)?;
        Ok(())
    }

    fn path_item(&mut self, v: &mut Value, at: &Pointer) -> Result<()> {
        let o = self.object(v, at, "a path item")?;
        if o.contains_key("$ref") {
            return Err(self.err(&at.push("$ref"), "path item `$ref` is not supported"));
        }
        let mut allowed = vec!["summary", "description", "servers", "parameters"];
        allowed.extend_from_slice(METHODS);
        self.known_keys(o, at, "a path item", &allowed)?;
        if let Some(ps) = o.get_mut("parameters") {
            self.parameters(ps, &at.push("parameters"))?;
        }
        for m in METHODS {
            if let Some(op) = o.get_mut(*m) {
                self.operation(op, &at.push(m))?;
            }
        }
        Ok(())
    }

    fn operation(&mut self, v: &mut Value, at: &Pointer) -> Result<()> {
        let o = self.object(v, at, "an operation")?;
        if let Some(c) = o.get("callbacks") {
            if !is_empty(c) {
                return Err(self.err(&at.push("callbacks"), "callbacks are not supported"));
            }
            o.shift_remove("callbacks");
        }
        self.known_keys(
            o,
            at,
            "an operation",
            &[
                "tags",
                "summary",
                "description",
                "externalDocs",
                "operationId",
                "parameters",
                "requestBody",
                "responses",
                "deprecated",
                "security",
                "servers",
            ],
        )?;
        match o.get("operationId") {
            Some(Value::String(id)) => {
                if let Some(first) = self.operation_ids.get(id) {
                    return Err(self.err(
                        &at.push("operationId"),
                        format!("duplicate operationId `{id}` (first used at {first})"),
                    ));
                }
                self.operation_ids.insert(id.clone(), at.clone());
            }
            Some(other) => {
                return Err(self.err(
                    &at.push("operationId"),
                    format!("operationId must be a string, found {}", kind(other)),
                ));
            }
            None => return Err(self.err(at, "operation has no operationId")),
        }
        if let Some(ps) = o.get_mut("parameters") {
            self.parameters(ps, &at.push("parameters"))?;
        }
        if let Some(rb) = o.get_mut("requestBody") {
            self.request_body(rb, &at.push("requestBody"))?;
        }
        match o.get_mut("responses") {
            Some(rs) => {
                let at = at.push("responses");
                let rs = self.object(rs, &at, "`responses`")?;
                for (status, r) in rs.iter_mut() {
                    let valid = status == "default"
                        || (status.len() == 3
                            && status
                                .chars()
                                .enumerate()
                                .all(|(i, c)| c.is_ascii_digit() || (i > 0 && (c == 'X' || c == 'x'))));
                    if !valid && !status.starts_with("x-") {
                        return Err(self.err(&at.push(status), format!("invalid response status `{status}`")));
                    }
                    self.response(r, &at.push(status))?;
                }
            }
            None => return Err(self.err(at, "operation has no `responses`")),
        }
        Ok(())
    }

    fn parameters(&mut self, v: &mut Value, at: &Pointer) -> Result<()> {
        let Value::Array(items) = v else {
            return Err(self.err(at, "`parameters` must be an array"));
        };
        for (i, p) in items.iter_mut().enumerate() {
            self.parameter(p, &at.push(i))?;
        }
        Ok(())
    }

    fn reference(&mut self, o: &Obj, at: &Pointer, what: &str, kind: RefKind) -> Result<bool> {
        let Some(r) = o.get("$ref") else { return Ok(false) };
        let Value::String(r) = r else {
            return Err(self.err(&at.push("$ref"), "`$ref` must be a string"));
        };
        self.refs.push((at.push("$ref"), r.clone(), kind));
        for k in o.keys() {
            // Documentation beside a reference is allowed and, as OpenAPI says, has no effect.
            let doc_only = matches!(k.as_str(), "description" | "summary" | "example" | "examples");
            if k != "$ref" && !doc_only && !k.starts_with("x-") {
                return Err(self.err(
                    &at.push(k),
                    format!("unsupported keyword `{k}` beside `$ref` in {what}"),
                ));
            }
        }
        Ok(true)
    }

    fn parameter(&mut self, v: &mut Value, at: &Pointer) -> Result<()> {
        const KEYS: &[&str] = &[
            "name",
            "in",
            "description",
            "required",
            "deprecated",
            "allowEmptyValue",
            "style",
            "explode",
            "allowReserved",
            "schema",
            "example",
            "examples",
            "content",
        ];
        self.parameter_like(v, at, "a parameter", KEYS)
    }

    fn header(&mut self, v: &mut Value, at: &Pointer) -> Result<()> {
        const KEYS: &[&str] = &[
            "description",
            "required",
            "deprecated",
            "style",
            "explode",
            "schema",
            "example",
            "examples",
            "content",
        ];
        self.parameter_like(v, at, "a header", KEYS)
    }

    /// A parameter or a header (a parameter without `name` and `in`): its keys checked, its
    /// `schema` and the schemas of its `content` normalized.
    fn parameter_like(&mut self, v: &mut Value, at: &Pointer, what: &str, keys: &[&str]) -> Result<()> {
        let o = self.object(v, at, what)?;
        if self.reference(o, at, what, RefKind::Other)? {
            o.retain(|k, _| k == "$ref");
            return Ok(());
        }
        self.known_keys(o, at, what, keys)?;
        if let Some(s) = o.get_mut("schema") {
            self.schema(s, &at.push("schema"))?;
        }
        if let Some(c) = o.get_mut("content") {
            self.content(c, &at.push("content"))?;
        }
        Ok(())
    }

    fn request_body(&mut self, v: &mut Value, at: &Pointer) -> Result<()> {
        let o = self.object(v, at, "a request body")?;
        if self.reference(o, at, "a request body", RefKind::Other)? {
            o.retain(|k, _| k == "$ref");
            return Ok(());
        }
        self.known_keys(o, at, "a request body", &["description", "content", "required"])?;
        match o.get_mut("content") {
            Some(c) => self.content(c, &at.push("content")),
            None => Err(self.err(at, "request body has no `content`")),
        }
    }

    fn response(&mut self, v: &mut Value, at: &Pointer) -> Result<()> {
        let o = self.object(v, at, "a response")?;
        if self.reference(o, at, "a response", RefKind::Other)? {
            o.retain(|k, _| k == "$ref");
            return Ok(());
        }
        self.known_keys(o, at, "a response", &["description", "headers", "content", "links"])?;
        // 3.1 lets a response go without a description; 3.0 requires one.
        o.entry("description").or_insert_with(|| Value::String(String::new()));
        if let Some(hs) = o.get_mut("headers") {
            let at = at.push("headers");
            let hs = self.object(hs, &at, "`headers`")?;
            for (name, h) in hs.iter_mut() {
                self.header(h, &at.push(name))?;
            }
        }
        if let Some(c) = o.get_mut("content") {
            self.content(c, &at.push("content"))?;
        }
        Ok(())
    }

    fn content(&mut self, v: &mut Value, at: &Pointer) -> Result<()> {
        let o = self.object(v, at, "`content`")?;
        for (media_type, mt) in o.iter_mut() {
            let at = at.push(media_type);
            let mto = self.object(mt, &at, "a media type")?;
            self.known_keys(mto, &at, "a media type", &["schema", "example", "examples", "encoding"])?;
            if let Some(s) = mto.get_mut("schema") {
                self.schema(s, &at.push("schema"))?;
            }
        }
        Ok(())
    }

    /// Normalizes one schema and, recursively, every schema inside it.
    fn schema(&mut self, v: &mut Value, at: &Pointer) -> Result<()> {
        match v {
            Value::Bool(true) => {
                *v = Value::Object(Map::new());
                return Ok(());
            }
            Value::Bool(false) => return Err(self.err(at, "the `false` schema is not supported")),
            Value::Object(_) => {}
            other => return Err(self.err(at, format!("a schema must be an object, found {}", kind(other)))),
        }
        let Value::Object(o) = v else { return Ok(()) };

        if o.contains_key("$ref") {
            return self.schema_ref(v, at);
        }
        {
            let k = "$comment";
            o.shift_remove(k);
        }
        self.rewrite_31(o, at)?;
        self.check_keywords(o, at)?;
        if let Some(t) = o.get("type").and_then(Value::as_str)
            && t == "array"
            && !o.contains_key("items")
        {
            // 3.0 requires `items`; an array of anything says the same.
            o.insert("items".into(), Value::Object(Map::new()));
        }

        self.subschemas(o, at)
    }

    /// Rewrites the OpenAPI 3.1 keywords of one schema into their 3.0 form: `examples`,
    /// `const`, type arrays, `null` in an `enum`, numeric exclusive bounds, `contentMediaType`
    /// and `contentEncoding`.
    fn rewrite_31(&self, o: &mut Obj, at: &Pointer) -> Result<()> {
        if let Some(examples) = o.shift_remove("examples") {
            match examples {
                Value::Array(mut xs) => {
                    if !o.contains_key("example") && !xs.is_empty() {
                        o.insert("example".into(), xs.swap_remove(0));
                    }
                }
                other => {
                    return Err(self.err(
                        &at.push("examples"),
                        format!("schema `examples` must be an array, found {}", kind(&other)),
                    ));
                }
            }
        }
        if let Some(c) = o.shift_remove("const") {
            if o.contains_key("enum") {
                return Err(self.err(&at.push("const"), "`const` beside `enum` is not supported"));
            }
            if !o.contains_key("type")
                && let Some(t) = json_type(&c)
            {
                o.insert("type".into(), Value::String(t.into()));
            }
            o.insert("enum".into(), Value::Array(vec![c.clone()]));
            o.insert("x-const".into(), c);
        }
        self.schema_type(o, at)?;
        if let Some(Value::Array(values)) = o.get_mut("enum") {
            let before = values.len();
            values.retain(|x| !x.is_null());
            if values.len() != before {
                o.insert("nullable".into(), Value::Bool(true));
            }
        }
        for (bound, exclusive) in [("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum")] {
            if let Some(n @ Value::Number(_)) = o.get(exclusive).cloned() {
                o.insert(bound.into(), n);
                o.insert(exclusive.into(), Value::Bool(true));
            }
        }
        if let Some(media) = o.shift_remove("contentMediaType") {
            if !media.is_string() {
                return Err(self.err(&at.push("contentMediaType"), "`contentMediaType` must be a string"));
            }
            o.entry("format").or_insert_with(|| Value::String("binary".into()));
        }
        if let Some(enc) = o.shift_remove("contentEncoding") {
            match enc.as_str() {
                Some("base64") => {
                    o.insert("format".into(), Value::String("byte".into()));
                }
                _ => {
                    return Err(self.err(
                        &at.push("contentEncoding"),
                        format!("unsupported `contentEncoding` {enc}"),
                    ));
                }
            }
        }
        Ok(())
    }

    /// Every keyword of a schema is one this generator understands, or an error naming it.
    fn check_keywords(&self, o: &Obj, at: &Pointer) -> Result<()> {
        for k in o.keys() {
            if k.starts_with("x-") || SCHEMA_KEYWORDS.contains(&k.as_str()) {
                continue;
            }
            let why = match k.as_str() {
                "$id" | "$schema" | "$anchor" | "$dynamicRef" | "$dynamicAnchor" | "$defs" | "$vocabulary" => {
                    "JSON Schema identifiers and definitions are not supported"
                }
                "prefixItems" | "contains" | "minContains" | "maxContains" | "unevaluatedItems" => {
                    "tuple and `contains` array keywords are not supported"
                }
                "if" | "then" | "else" | "dependentSchemas" | "dependentRequired" => {
                    "conditional schemas are not supported"
                }
                "patternProperties" | "propertyNames" | "unevaluatedProperties" => {
                    "pattern-based object keywords are not supported"
                }
                _ => "unknown schema keyword",
            };
            return Err(self.err(&at.push(k), format!("{why}: `{k}`")));
        }
        Ok(())
    }

    /// Normalizes the schemas inside one: properties, items, additional properties, `not`,
    /// `allOf`/`oneOf`/`anyOf`; and checks `required`.
    fn subschemas(&mut self, o: &mut Obj, at: &Pointer) -> Result<()> {
        if let Some(ps) = o.get_mut("properties") {
            let at = at.push("properties");
            let ps = self.object(ps, &at, "`properties`")?;
            for (name, p) in ps.iter_mut() {
                self.schema(p, &at.push(name))?;
            }
        }
        if let Some(items) = o.get_mut("items") {
            if items.is_array() {
                return Err(self.err(
                    &at.push("items"),
                    "tuple `items` (an array of schemas) is not supported",
                ));
            }
            self.schema(items, &at.push("items"))?;
        }
        if let Some(ap) = o.get_mut("additionalProperties")
            && !ap.is_boolean()
        {
            self.schema(ap, &at.push("additionalProperties"))?;
        }
        if let Some(not) = o.get_mut("not") {
            self.schema(not, &at.push("not"))?;
        }
        for key in ["allOf", "oneOf", "anyOf"] {
            if let Some(list) = o.get_mut(key) {
                let at = at.push(key);
                let Value::Array(list) = list else {
                    return Err(self.err(&at, format!("`{key}` must be an array")));
                };
                if list.is_empty() {
                    return Err(self.err(&at, format!("`{key}` must not be empty")));
                }
                for (i, s) in list.iter_mut().enumerate() {
                    self.schema(s, &at.push(i))?;
                }
            }
        }
        if let Some(Value::Array(req)) = o.get("required")
            && req.iter().any(|r| !r.is_string())
        {
            return Err(self.err(&at.push("required"), "`required` must list property names"));
        }
        Ok(())
    }

    /// Checks `type` and turns a 3.1 type array into a 3.0 type plus `nullable`.
    fn schema_type(&self, o: &mut Obj, at: &Pointer) -> Result<()> {
        let at_type = at.push("type");
        match o.get("type").cloned() {
            None => {
                let composed = ["allOf", "oneOf", "anyOf", "not"].iter().any(|k| o.contains_key(*k));
                let inferred = if composed {
                    None
                } else if o.contains_key("properties")
                    || o.contains_key("additionalProperties")
                    || o.contains_key("required")
                {
                    Some("object")
                } else if o.contains_key("items") {
                    Some("array")
                } else if let Some(Value::Array(values)) = o.get("enum") {
                    let types: Vec<_> = values.iter().filter(|v| !v.is_null()).filter_map(json_type).collect();
                    match types.first() {
                        Some(t) if types.iter().all(|x| x == t) => Some(*t),
                        _ => None,
                    }
                } else {
                    None
                };
                if let Some(t) = inferred {
                    o.insert("type".into(), Value::String(t.into()));
                }
            }
            Some(Value::String(t)) => {
                if t == "null" {
                    return Err(self.err(&at_type, "a schema of type `null` alone is not supported"));
                }
                if !TYPES.contains(&t.as_str()) {
                    return Err(self.err(&at_type, format!("unknown type `{t}`")));
                }
            }
            Some(Value::Array(types)) => {
                let mut nullable = false;
                let mut rest = Vec::new();
                for (i, t) in types.iter().enumerate() {
                    match t.as_str() {
                        Some("null") => nullable = true,
                        Some(t) if TYPES.contains(&t) => rest.push(t.to_owned()),
                        Some(t) => return Err(self.err(&at_type.push(i), format!("unknown type `{t}`"))),
                        None => return Err(self.err(&at_type.push(i), "a type must be a string")),
                    }
                }
                match rest.as_slice() {
                    [one] => {
                        o.insert("type".into(), Value::String(one.clone()));
                    }
                    [] => return Err(self.err(&at_type, "a schema of type `null` alone is not supported")),
                    _ => {
                        return Err(self.err(
                            &at_type,
                            format!("a union of types {rest:?} is not supported; use `oneOf`"),
                        ));
                    }
                }
                if nullable {
                    o.insert("nullable".into(), Value::Bool(true));
                }
            }
            Some(other) => {
                return Err(self.err(
                    &at_type,
                    format!("`type` must be a string or an array, found {}", kind(&other)),
                ));
            }
        }
        Ok(())
    }

    /// A schema `$ref`: alone it stays a reference; with siblings it becomes an `allOf` that
    /// keeps the documentation beside it and applies any constraints jointly.
    fn schema_ref(&mut self, v: &mut Value, at: &Pointer) -> Result<()> {
        let Value::Object(o) = v else { return Ok(()) };
        let Some(Value::String(r)) = o.get("$ref").cloned() else {
            return Err(self.err(&at.push("$ref"), "`$ref` must be a string"));
        };
        if o.len() == 1 {
            self.refs.push((at.push("$ref"), r, RefKind::Schema));
            return Ok(());
        }
        let mut docs = Map::new();
        let mut constraints = Map::new();
        for (k, val) in std::mem::take(o) {
            if k == "$ref" || k == "$comment" {
                continue;
            }
            if DOC_KEYWORDS.contains(&k.as_str()) || k.starts_with("x-") || k == "examples" {
                docs.insert(k, val);
            } else {
                constraints.insert(k, val);
            }
        }
        let mut all_of = vec![serde_json::json!({ "$ref": r })];
        if !constraints.is_empty() {
            all_of.push(Value::Object(constraints));
        }
        docs.insert("allOf".into(), Value::Array(all_of));
        *v = Value::Object(docs);
        self.schema(v, at)
    }

    /// Every `$ref` must point at something that exists; schema references must name a
    /// component schema, because that is what the generator turns into a Rust type.
    fn check_refs(&self, doc: &Value) -> Result<()> {
        for (at, r, kind) in &self.refs {
            let Some(target) = Pointer::from_ref(r) else {
                return Err(self.err(at, format!("external reference `{r}` is not supported")));
            };
            if doc.pointer(target.as_json_pointer()).is_none() {
                return Err(self.err(at, format!("dangling reference `{r}`: nothing is at {target}")));
            }
            if *kind == RefKind::Schema {
                let t = target.as_json_pointer();
                let is_component = t
                    .strip_prefix("/components/schemas/")
                    .is_some_and(|name| !name.contains('/'));
                if !is_component {
                    return Err(self.err(
                        at,
                        format!("schema reference `{r}` must name a schema under #/components/schemas"),
                    ));
                }
            }
        }
        Ok(())
    }
}

fn json_type(v: &Value) -> Option<&'static str> {
    match v {
        Value::String(_) => Some("string"),
        Value::Bool(_) => Some("boolean"),
        Value::Number(n) if n.is_i64() || n.is_u64() => Some("integer"),
        Value::Number(_) => Some("number"),
        Value::Object(_) => Some("object"),
        Value::Array(_) => Some("array"),
        Value::Null => None,
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Object(o) => o.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Null => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc_with_schema(schema: Value) -> Value {
        json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "paths": {},
            "components": {"schemas": {"A": schema, "B": {"type": "string"}}}
        })
    }

    fn normalized(schema: Value) -> Value {
        let mut doc = doc_with_schema(schema);
        match normalize(&mut doc, "test.yaml") {
            Ok(()) => doc["components"]["schemas"]["A"].clone(),
            Err(e) => panic!("normalize failed: {e}"),
        }
    }

    fn error(schema: Value) -> Error {
        let mut doc = doc_with_schema(schema);
        match normalize(&mut doc, "test.yaml") {
            Ok(()) => panic!("expected an error, got {doc:#}"),
            Err(e) => e,
        }
    }

    #[test]
    fn type_array_with_null_becomes_nullable() {
        assert_eq!(
            normalized(json!({"type": ["object", "null"], "properties": {"a": {"type": ["string", "null"]}}})),
            json!({"type": "object", "nullable": true, "properties": {"a": {"type": "string", "nullable": true}}})
        );
    }

    #[test]
    fn const_becomes_a_remembered_one_value_enum() {
        assert_eq!(
            normalized(json!({"const": "business"})),
            json!({"type": "string", "enum": ["business"], "x-const": "business"})
        );
    }

    #[test]
    fn examples_array_becomes_example() {
        assert_eq!(
            normalized(json!({"type": "string", "examples": ["a", "b"]})),
            json!({"type": "string", "example": "a"})
        );
    }

    #[test]
    fn ref_with_description_keeps_both() {
        assert_eq!(
            normalized(json!({"$ref": "#/components/schemas/B", "description": "d", "example": "x"})),
            json!({"description": "d", "example": "x", "allOf": [{"$ref": "#/components/schemas/B"}]})
        );
    }

    #[test]
    fn example_values_are_left_alone() {
        let s = json!({"type": "object", "properties": {"type": {"type": "string"}}, "example": {"type": ["x"], "const": 1}});
        assert_eq!(normalized(s.clone()), s);
    }

    /// A header's `content` holds schemas like a parameter's, and they are normalized the same
    /// way (a header and a parameter share one function).
    #[test]
    fn a_headers_content_schema_is_normalized() {
        let mut doc = doc_with_schema(json!({"type": "string"}));
        doc["components"]["headers"] =
            json!({"H": {"content": {"text/plain": {"schema": {"type": ["string", "null"]}}}}});
        if let Err(e) = normalize(&mut doc, "test.yaml") {
            panic!("normalize failed: {e}");
        }
        assert_eq!(
            doc["components"]["headers"]["H"]["content"]["text/plain"]["schema"],
            json!({"type": "string", "nullable": true})
        );
    }

    #[test]
    fn unknown_type_names_its_pointer() {
        let e = error(json!({"type": "object", "properties": {"a": {"type": "strnig"}}}));
        assert_eq!(e.pointer(), Some("#/components/schemas/A/properties/a/type"));
        assert!(e.to_string().contains("unknown type `strnig`"), "{e}");
    }

    #[test]
    fn unsupported_keywords_name_their_pointer() {
        let e = error(json!({"type": "object", "patternProperties": {"^x": {}}}));
        assert_eq!(e.pointer(), Some("#/components/schemas/A/patternProperties"));
        let e = error(json!({"type": "array", "prefixItems": [{}]}));
        assert_eq!(e.pointer(), Some("#/components/schemas/A/prefixItems"));
        let e = error(json!({"type": ["string", "integer"]}));
        assert_eq!(e.pointer(), Some("#/components/schemas/A/type"));
    }

    #[test]
    fn dangling_ref_names_where_it_is_used() {
        let e = error(json!({"type": "object", "properties": {"x": {"$ref": "#/components/schemas/Nope"}}}));
        assert_eq!(e.pointer(), Some("#/components/schemas/A/properties/x/$ref"));
        assert!(e.to_string().contains("dangling reference"), "{e}");
    }

    #[test]
    fn duplicate_operation_id_names_the_second_use() {
        let mut doc = json!({
            "openapi": "3.1.0", "info": {"title": "t", "version": "1"},
            "paths": {
                "/a": {"get": {"operationId": "x", "responses": {"200": {"description": "ok"}}}},
                "/b": {"get": {"operationId": "x", "responses": {"200": {"description": "ok"}}}}
            }
        });
        let e = normalize(&mut doc, "t.yaml").unwrap_err();
        assert_eq!(e.pointer(), Some("#/paths/~1b/get/operationId"));
        assert!(e.to_string().contains("#/paths/~1a/get"), "{e}");
    }
}
