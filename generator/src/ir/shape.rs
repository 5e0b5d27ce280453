//! Reads `openapiv3` schemas into `Shape` trees: references resolved to component indices,
//! `allOf` merged, formats mapped to Rust primitives, and our `x-dwolla-*` extensions picked up.
//! Shapes are unnamed; `build` names and deduplicates them.

use std::cell::RefCell;

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, AnySchema, IntegerFormat, OpenAPI, ReferenceOr, Schema, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};
use serde_json::Value;

use super::TypeRef;
use crate::error::{Error, Result};
use crate::spec::Pointer;

#[derive(Clone, Debug)]
pub(crate) struct Shape {
    pub kind: ShapeKind,
    pub docs: Option<String>,
    /// The schema's own `example`.
    pub example: Option<Value>,
    pub origin: Pointer,
    pub nullable: bool,
    pub ext: Ext,
}

/// Our vendor extensions, read from the schema (they usually arrive through the overlay).
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Ext {
    /// `x-dwolla-secret`: redact in `Debug`.
    pub secret: bool,
    /// `x-dwolla-preserve-unknown`: keep undeclared properties.
    pub preserve_unknown: bool,
    /// `x-dwolla-variants`: the raw declaration and where it sits.
    pub variants: Option<(Value, Pointer)>,
    /// `x-dwolla-canonical`: this component names its class of identical shapes.
    pub canonical: bool,
    /// `x-dwolla-name`: the Rust name for an inline schema.
    pub name: Option<String>,
    /// `x-dwolla-links`: link helpers to generate, raw, and where they are declared.
    pub links: Option<(Value, Pointer)>,
}

#[derive(Clone, Debug)]
pub(crate) enum ShapeKind {
    /// A component schema, by index in `components.schemas`.
    Ref(usize),
    Prim(TypeRef),
    Const(String),
    Enum(Vec<String>),
    Array(Box<Shape>),
    Map(Box<Shape>),
    Object(ObjectShape),
    Union {
        variants: Vec<Shape>,
        discriminator: Option<(String, Vec<(String, String)>)>,
        /// `anyOf`: the variants may overlap on purpose, so two components of the same
        /// structure stay two variants (`oneOf` variants of one structure are one).
        overlapping: bool,
    },
}

#[derive(Clone, Debug)]
pub(crate) struct ObjectShape {
    pub props: Vec<Prop>,
    pub additional: Option<Box<Shape>>,
}

#[derive(Clone, Debug)]
pub(crate) struct Prop {
    pub wire: String,
    pub shape: Shape,
    pub required: bool,
}

/// How deep schemas may nest: inline schemas inside one another plus the components an `allOf`
/// expands, counted together across components, so that no spec can exhaust the stack.
const MAX_DEPTH: usize = 32;

pub(crate) struct Reader<'a> {
    pub file: &'a str,
    /// Component schemas in spec order.
    pub components: Vec<(&'a str, &'a ReferenceOr<Schema>)>,
    index: IndexMap<&'a str, usize>,
    /// The components being read, outermost first: a component an `allOf` reaches again while it
    /// is on this stack closes a cycle.
    expanding: RefCell<Vec<usize>>,
}

impl<'a> Reader<'a> {
    pub fn new(spec: &'a OpenAPI, file: &'a str) -> Self {
        let components: Vec<_> = spec
            .components
            .iter()
            .flat_map(|c| c.schemas.iter())
            .map(|(name, schema)| (name.as_str(), schema))
            .collect();
        let index = components.iter().enumerate().map(|(i, (n, _))| (*n, i)).collect();
        Reader {
            file,
            components,
            index,
            expanding: RefCell::new(Vec::new()),
        }
    }

    fn err(&self, at: &Pointer, message: impl Into<String>) -> Error {
        Error::spec(self.file, at.to_string(), message)
    }

    pub fn component_pointer(&self, i: usize) -> Pointer {
        Pointer::root()
            .push("components")
            .push("schemas")
            .push(self.components[i].0)
    }

    /// The component a `$ref` names.
    pub fn resolve(&self, reference: &str, at: &Pointer) -> Result<usize> {
        let name = reference
            .strip_prefix("#/components/schemas/")
            .map(|n| n.replace("~1", "/").replace("~0", "~"));
        name.as_deref()
            .and_then(|n| self.index.get(n).copied())
            .ok_or_else(|| self.err(at, format!("dangling reference `{reference}`")))
    }

    /// Reads a component schema itself (not a reference to it).
    pub fn component(&self, i: usize) -> Result<Shape> {
        self.expand(i, 0)
    }

    /// Reads component `i` at `depth`, with `i` on the stack of components being expanded for
    /// as long as it takes. The caller has checked that `i` is not on it already.
    fn expand(&self, i: usize, depth: usize) -> Result<Shape> {
        self.expanding.borrow_mut().push(i);
        let shape = self.schema_or_ref(self.components[i].1, &self.component_pointer(i), depth);
        self.expanding.borrow_mut().pop();
        shape
    }

    pub fn schema_or_ref(&self, s: &ReferenceOr<Schema>, at: &Pointer, depth: usize) -> Result<Shape> {
        match s {
            ReferenceOr::Reference { reference } => Ok(Shape {
                kind: ShapeKind::Ref(self.resolve(reference, &at.push("$ref"))?),
                docs: None,
                example: None,
                origin: at.clone(),
                nullable: false,
                ext: Ext::default(),
            }),
            ReferenceOr::Item(schema) => self.schema(schema, at, depth),
        }
    }

    fn boxed(&self, s: &ReferenceOr<Box<Schema>>, at: &Pointer, depth: usize) -> Result<Shape> {
        match s {
            ReferenceOr::Reference { reference } => self.schema_or_ref(
                &ReferenceOr::Reference {
                    reference: reference.clone(),
                },
                at,
                depth,
            ),
            ReferenceOr::Item(schema) => self.schema(schema, at, depth),
        }
    }

    pub fn schema(&self, s: &Schema, at: &Pointer, depth: usize) -> Result<Shape> {
        if depth > MAX_DEPTH {
            return Err(self.too_deep(at, "schemas"));
        }
        let data = &s.schema_data;
        let ext = self.ext(&data.extensions, at)?;
        let docs = data
            .description
            .clone()
            .or_else(|| data.title.clone())
            .filter(|d| !d.trim().is_empty());
        let kind = match &s.schema_kind {
            SchemaKind::Type(t) => self.typed(t, &data.extensions, at, depth)?,
            SchemaKind::OneOf { one_of } => self.union(one_of, "oneOf", data, at, depth)?,
            SchemaKind::AnyOf { any_of } => self.union(any_of, "anyOf", data, at, depth)?,
            SchemaKind::AllOf { all_of } => return self.all_of(all_of, None, s, at, depth),
            SchemaKind::Not { .. } => ShapeKind::Prim(TypeRef::Any),
            SchemaKind::Any(any) => return self.any(any, s, at, depth),
        };
        Ok(Shape {
            kind,
            docs,
            example: data.example.clone(),
            origin: at.clone(),
            nullable: data.nullable,
            ext,
        })
    }

    fn ext(&self, ext: &IndexMap<String, Value>, at: &Pointer) -> Result<Ext> {
        let flag = |key: &str| -> Result<bool> {
            match ext.get(key) {
                None => Ok(false),
                Some(Value::Bool(b)) => Ok(*b),
                Some(_) => Err(self.err(&at.push(key), format!("`{key}` must be a boolean"))),
            }
        };
        let name = match ext.get("x-dwolla-name") {
            None => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => return Err(self.err(&at.push("x-dwolla-name"), "`x-dwolla-name` must be a string")),
        };
        Ok(Ext {
            secret: flag("x-dwolla-secret")?,
            preserve_unknown: flag("x-dwolla-preserve-unknown")?,
            canonical: flag("x-dwolla-canonical")?,
            variants: ext
                .get("x-dwolla-variants")
                .map(|v| (v.clone(), at.push("x-dwolla-variants"))),
            links: ext
                .get("x-dwolla-links")
                .map(|v| (v.clone(), at.push("x-dwolla-links"))),
            name,
        })
    }

    fn typed(&self, t: &Type, ext: &IndexMap<String, Value>, at: &Pointer, depth: usize) -> Result<ShapeKind> {
        Ok(match t {
            Type::String(s) => {
                if let Some(Value::String(c)) = ext.get("x-const") {
                    return Ok(ShapeKind::Const(c.clone()));
                }
                let values: Vec<String> = s.enumeration.iter().flatten().cloned().collect();
                if !values.is_empty() {
                    return Ok(ShapeKind::Enum(values));
                }
                ShapeKind::Prim(match &s.format {
                    VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => TypeRef::DateTime,
                    VariantOrUnknownOrEmpty::Item(StringFormat::Date) => TypeRef::Date,
                    VariantOrUnknownOrEmpty::Item(StringFormat::Binary) => TypeRef::Binary,
                    _ => TypeRef::String,
                })
            }
            Type::Number(_) => ShapeKind::Prim(TypeRef::F64),
            Type::Integer(i) => ShapeKind::Prim(match i.format {
                VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => TypeRef::I32,
                _ => TypeRef::I64,
            }),
            Type::Boolean(_) => ShapeKind::Prim(TypeRef::Bool),
            Type::Array(a) => {
                let items = match &a.items {
                    Some(items) => self.boxed(items, &at.push("items"), depth + 1)?,
                    None => prim(TypeRef::Any, at.push("items")),
                };
                ShapeKind::Array(Box::new(items))
            }
            Type::Object(o) => self.object(&o.properties, &o.required, o.additional_properties.as_ref(), at, depth)?,
        })
    }

    fn object(
        &self,
        properties: &IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        additional: Option<&AdditionalProperties>,
        at: &Pointer,
        depth: usize,
    ) -> Result<ShapeKind> {
        let additional = match additional {
            Some(AdditionalProperties::Schema(s)) => Some(Box::new(self.schema_or_ref(
                s,
                &at.push("additionalProperties"),
                depth + 1,
            )?)),
            _ => None,
        };
        if properties.is_empty() {
            return Ok(match additional {
                Some(value) => ShapeKind::Map(value),
                None => ShapeKind::Prim(TypeRef::Object),
            });
        }
        let mut props = Vec::with_capacity(properties.len());
        let at_props = at.push("properties");
        for (wire, p) in properties {
            props.push(Prop {
                wire: wire.clone(),
                shape: self.boxed(p, &at_props.push(wire), depth + 1)?,
                required: required.iter().any(|r| r == wire),
            });
        }
        Ok(ShapeKind::Object(ObjectShape { props, additional }))
    }

    fn union(
        &self,
        variants: &[ReferenceOr<Schema>],
        key: &str,
        data: &openapiv3::SchemaData,
        at: &Pointer,
        depth: usize,
    ) -> Result<ShapeKind> {
        let at_list = at.push(key);
        let variants = variants
            .iter()
            .enumerate()
            .map(|(i, v)| self.schema_or_ref(v, &at_list.push(i), depth + 1))
            .collect::<Result<Vec<_>>>()?;
        let discriminator = data.discriminator.as_ref().map(|d| {
            let mapping = d.mapping.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
            (d.property_name.clone(), mapping)
        });
        Ok(ShapeKind::Union {
            variants,
            discriminator,
            overlapping: key == "anyOf",
        })
    }

    /// Merges `allOf` parts (and, for schemas that mix `allOf` with their own properties,
    /// `own`) into one object. A single part is returned as is, with the outer docs.
    fn all_of(
        &self,
        parts: &[ReferenceOr<Schema>],
        own: Option<ShapeKind>,
        s: &Schema,
        at: &Pointer,
        depth: usize,
    ) -> Result<Shape> {
        let data = &s.schema_data;
        let ext = self.ext(&data.extensions, at)?;
        let docs = data.description.clone().or_else(|| data.title.clone());
        let at_list = at.push("allOf");
        let mut shapes = Vec::new();
        for (i, p) in parts.iter().enumerate() {
            let shape = self.schema_or_ref(p, &at_list.push(i), depth + 1)?;
            // A part with no type and no properties only constrains; it adds no structure.
            if matches!(shape.kind, ShapeKind::Prim(TypeRef::Any)) {
                continue;
            }
            shapes.push(shape);
        }
        if let Some(kind) = own {
            shapes.push(Shape {
                kind,
                docs: None,
                example: None,
                origin: at.clone(),
                nullable: false,
                ext: Ext::default(),
            });
        }
        if shapes.len() == 1 {
            let mut only = shapes.remove(0);
            only.docs = docs.or(only.docs);
            only.example = data.example.clone().or(only.example);
            only.nullable |= data.nullable;
            if ext != Ext::default() {
                only.ext = ext;
            }
            return Ok(only);
        }
        let mut props: Vec<Prop> = Vec::new();
        let mut additional = None;
        let mut inherited = Ext::default();
        for part in &shapes {
            let obj = self.object_of(part, depth)?;
            for p in obj.props {
                match props.iter_mut().find(|q| q.wire == p.wire) {
                    Some(q) => {
                        q.required |= p.required;
                        q.shape = p.shape;
                    }
                    None => props.push(p),
                }
            }
            if obj.additional.is_some() {
                additional = obj.additional;
            }
            inherited.preserve_unknown |= part.ext.preserve_unknown;
        }
        let mut ext = ext;
        ext.preserve_unknown |= inherited.preserve_unknown;
        Ok(Shape {
            kind: ShapeKind::Object(ObjectShape { props, additional }),
            docs,
            example: data.example.clone(),
            origin: at.clone(),
            nullable: data.nullable,
            ext,
        })
    }

    /// The object structure of an `allOf` part, following references: a reference to a component
    /// being expanded is a cycle, and each component followed counts one level of depth.
    fn object_of(&self, shape: &Shape, depth: usize) -> Result<ObjectShape> {
        let at = &shape.origin;
        match &shape.kind {
            ShapeKind::Object(o) => Ok(o.clone()),
            ShapeKind::Prim(TypeRef::Object) => Ok(ObjectShape {
                props: Vec::new(),
                additional: None,
            }),
            ShapeKind::Ref(i) => {
                let cycle = {
                    let expanding = self.expanding.borrow();
                    expanding.iter().position(|c| c == i).map(|start| {
                        expanding[start..]
                            .iter()
                            .chain([i])
                            .map(|&c| self.components[c].0)
                            .collect::<Vec<_>>()
                            .join(" -> ")
                    })
                };
                if let Some(cycle) = cycle {
                    return Err(self.err(at, format!("`allOf` cycle: {cycle}")));
                }
                if depth >= MAX_DEPTH {
                    return Err(self.too_deep(at, "`allOf` references"));
                }
                let inner = self.expand(*i, depth + 1)?;
                self.object_of(&inner, depth + 1)
            }
            _ => Err(self.err(at, "`allOf` of something other than objects is not supported")),
        }
    }

    /// The error for nesting past [`MAX_DEPTH`] at `at`, naming the outermost component being
    /// read. Out of line, so that the frames of the recursive functions stay small.
    #[cold]
    #[inline(never)]
    fn too_deep(&self, at: &Pointer, what: &str) -> Error {
        let outermost = self.expanding.borrow().first().copied();
        let reading = outermost
            .map(|c| format!(" (reading {})", self.component_pointer(c)))
            .unwrap_or_default();
        self.err(at, format!("{what} nest more than {MAX_DEPTH} levels deep{reading}"))
    }

    fn any(&self, any: &AnySchema, s: &Schema, at: &Pointer, depth: usize) -> Result<Shape> {
        let data = &s.schema_data;
        let has_object = !any.properties.is_empty() || any.additional_properties.is_some();
        if !any.one_of.is_empty() || !any.any_of.is_empty() {
            if has_object {
                return Err(self.err(at, "properties beside `oneOf`/`anyOf` are not supported; use `allOf`"));
            }
            let (list, key) = if any.one_of.is_empty() {
                (&any.any_of, "anyOf")
            } else {
                (&any.one_of, "oneOf")
            };
            let kind = self.union(list, key, data, at, depth)?;
            return Ok(Shape {
                kind,
                docs: data.description.clone().or_else(|| data.title.clone()),
                example: data.example.clone(),
                origin: at.clone(),
                nullable: data.nullable,
                ext: self.ext(&data.extensions, at)?,
            });
        }
        let own = if has_object || any.typ.as_deref() == Some("object") {
            Some(self.object(
                &any.properties,
                &any.required,
                any.additional_properties.as_ref(),
                at,
                depth,
            )?)
        } else if any.typ.as_deref() == Some("array") || any.items.is_some() {
            let items = match &any.items {
                Some(items) => self.boxed(items, &at.push("items"), depth + 1)?,
                None => prim(TypeRef::Any, at.push("items")),
            };
            Some(ShapeKind::Array(Box::new(items)))
        } else if !any.enumeration.is_empty() && any.enumeration.iter().all(|v| v.is_string() || v.is_null()) {
            Some(ShapeKind::Enum(
                any.enumeration
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect(),
            ))
        } else {
            match any.typ.as_deref() {
                Some("string") => Some(ShapeKind::Prim(TypeRef::String)),
                Some("integer") => Some(ShapeKind::Prim(TypeRef::I64)),
                Some("number") => Some(ShapeKind::Prim(TypeRef::F64)),
                Some("boolean") => Some(ShapeKind::Prim(TypeRef::Bool)),
                _ => None,
            }
        };
        if !any.all_of.is_empty() {
            return self.all_of(&any.all_of, own, s, at, depth);
        }
        Ok(Shape {
            kind: own.unwrap_or(ShapeKind::Prim(TypeRef::Any)),
            docs: data.description.clone().or_else(|| data.title.clone()),
            example: data.example.clone(),
            origin: at.clone(),
            nullable: data.nullable,
            ext: self.ext(&data.extensions, at)?,
        })
    }
}

pub(crate) fn prim(t: TypeRef, origin: Pointer) -> Shape {
    Shape {
        kind: ShapeKind::Prim(t),
        docs: None,
        example: None,
        origin,
        nullable: false,
        ext: Ext::default(),
    }
}
