//! Collects the spec's examples for every type: the schema's own `example`, media-type
//! examples of request and response bodies, and one value assembled from the property-level
//! examples (placeholders where a required property has none). Each comes with the pointers of
//! the declared leaves in it, which the generated round-trip test checks one by one.

use serde_json::{Map, Value};

use super::build::Builder;
use super::shape::{Shape, ShapeKind};
use super::{Example, TypeId, TypeRef};

/// How deep assembly follows references; deeper parts are left out (optional) or a placeholder.
const MAX_DEPTH: usize = 8;

impl Builder<'_> {
    /// Records `shape`'s examples on type `id`, skipping values it already has.
    pub(crate) fn add_examples(&mut self, id: TypeId, shape: &Shape) {
        let mut found = Vec::new();
        if let Some(v) = &shape.example {
            found.push((shape.origin.to_string(), v.clone()));
        }
        if let Some(v) = self.assemble(shape, 0, true) {
            found.push((format!("{} (assembled from property examples)", shape.origin), v));
        }
        for (source, value) in found {
            self.add_example(id, shape, source, value);
        }
    }

    /// Records one example value (from a media type, say) of type `id`, whose schema is `shape`.
    pub(crate) fn add_example(&mut self, id: TypeId, shape: &Shape, source: String, value: Value) {
        if self.types[id.0].examples.iter().any(|e| e.value == value) {
            return;
        }
        let mut declared = Vec::new();
        self.declared(shape, &value, String::new(), &mut declared, 0);
        self.types[id.0].examples.push(Example {
            source,
            value,
            declared,
        });
    }

    /// A value for `s` built from examples; `None` when there is nothing to say about an
    /// optional part. `required` asks for a placeholder rather than nothing.
    fn assemble(&self, s: &Shape, depth: usize, required: bool) -> Option<Value> {
        if let Some(v) = &s.example {
            return Some(v.clone());
        }
        if depth > MAX_DEPTH {
            return required.then(|| placeholder(&s.kind));
        }
        match &s.kind {
            ShapeKind::Ref(i) => self.assemble(&self.shapes[*i], depth + 1, required),
            ShapeKind::Const(v) => Some(Value::String(v.clone())),
            ShapeKind::Enum(values) => values.first().map(|v| Value::String(v.clone())),
            ShapeKind::Prim(_) => required.then(|| placeholder(&s.kind)),
            ShapeKind::Array(items) => match self.assemble(items, depth + 1, false) {
                Some(v) => Some(Value::Array(vec![v])),
                None => required.then(|| Value::Array(Vec::new())),
            },
            ShapeKind::Map(v) => match self.assemble(v, depth + 1, false) {
                Some(v) => Some(Value::Object(Map::from_iter([("key".to_owned(), v)]))),
                None => required.then(|| Value::Object(Map::new())),
            },
            ShapeKind::Object(o) => {
                let mut out = Map::new();
                for p in &o.props {
                    if let Some(v) = self.assemble(&p.shape, depth + 1, p.required) {
                        out.insert(p.wire.clone(), v);
                    }
                }
                if out.is_empty() && !required {
                    None
                } else {
                    Some(Value::Object(out))
                }
            }
            ShapeKind::Union { variants, .. } => variants.first().and_then(|v| self.assemble(v, depth + 1, required)),
        }
    }

    /// Pointers of the declared leaves of `v` under schema `s`.
    fn declared(&self, s: &Shape, v: &Value, at: String, out: &mut Vec<String>, depth: usize) {
        if depth > 32 {
            out.push(at);
            return;
        }
        match (&s.kind, v) {
            (ShapeKind::Ref(i), _) => self.declared(&self.shapes[*i], v, at, out, depth + 1),
            (ShapeKind::Object(o), Value::Object(m)) => {
                for (k, x) in m {
                    let child = format!("{at}/{}", escape(k));
                    match o.props.iter().find(|p| &p.wire == k) {
                        Some(p) => self.declared(&p.shape, x, child, out, depth + 1),
                        None => match &o.additional {
                            Some(a) => self.declared(a, x, child, out, depth + 1),
                            // Undeclared: kept only by `x-dwolla-preserve-unknown` structs.
                            None if s.ext.preserve_unknown => out.push(child),
                            None => {}
                        },
                    }
                }
            }
            (ShapeKind::Array(items), Value::Array(xs)) => {
                for (i, x) in xs.iter().enumerate() {
                    self.declared(items, x, format!("{at}/{i}"), out, depth + 1);
                }
            }
            (ShapeKind::Map(vs), Value::Object(m)) => {
                for (k, x) in m {
                    self.declared(vs, x, format!("{at}/{}", escape(k)), out, depth + 1);
                }
            }
            (ShapeKind::Union { variants, .. }, Value::Object(m)) => {
                // The variant whose required properties are all present, most of them first;
                // in an error union, of the body's code.
                let codes = self.error_union_codes(variants);
                let best = variants
                    .iter()
                    .enumerate()
                    .filter_map(|(i, var)| {
                        let checks = self.checks(var);
                        let code = codes.as_ref().and_then(|c| c.get(i)).map(|c| super::code_key(c));
                        let sent = m.get("code").and_then(Value::as_str).map(super::code_key);
                        let fits = checks.required.iter().all(|r| m.contains_key(r))
                            && checks.equals.iter().all(|(k, val)| m.get(k).is_none_or(|x| x == val))
                            && code.is_none_or(|c| sent.as_ref() == Some(&c));
                        fits.then_some((checks.required.len() + checks.equals.len(), var))
                    })
                    .max_by_key(|(score, _)| *score);
                match best {
                    Some((_, var)) => self.declared(var, v, at, out, depth + 1),
                    None => out.push(at),
                }
            }
            _ => out.push(at),
        }
    }
}

fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// A value of the right JSON type for a required property the spec gives no example of.
fn placeholder(kind: &ShapeKind) -> Value {
    match kind {
        ShapeKind::Prim(TypeRef::DateTime) => Value::String("2024-01-01T00:00:00Z".into()),
        ShapeKind::Prim(TypeRef::Date) => Value::String("2024-01-01".into()),
        ShapeKind::Prim(TypeRef::Bool) => Value::Bool(false),
        ShapeKind::Prim(TypeRef::I32 | TypeRef::I64) => Value::from(0),
        ShapeKind::Prim(TypeRef::F64) => Value::from(0.5),
        ShapeKind::Prim(TypeRef::Object | TypeRef::Any) | ShapeKind::Object(_) | ShapeKind::Map(_) => {
            Value::Object(Map::new())
        }
        ShapeKind::Array(_) => Value::Array(Vec::new()),
        _ => Value::String("string".into()),
    }
}
