//! Builds the IR from the spec: components first (so forward and cyclic references just work),
//! then every inline schema, deduplicated by structure, then operations; then naming, boxing
//! and module placement.
//!
//! Deduplication is hash-consing on a structural key that ignores documentation. Components
//! are partitioned into classes of identical structure by refinement (references compare by
//! class, so the partition converges); each class gets one Rust type and its other members
//! become aliases of it. An inline schema whose key matches an existing type is that type.

use std::collections::HashMap;

use serde_json::Value;

use super::graph;
use super::naming::{self, Scope};
use super::operations;
use super::shape::{Ext, ObjectShape, Prop, Reader, Shape, ShapeKind};
use super::variants;
use super::{
    Additional, COMMON_MODULE, CONSTS_MODULE, Discriminator, EnumValue, Field, Ir, Stats, StringEnum, Struct,
    TypeEntry, TypeId, TypeKind, TypeRef, Union, UnionVariant, VariantChecks,
};
use crate::error::{Error, Result};
use crate::spec::{Pointer, Spec};

/// Builds the whole IR.
pub fn build(spec: &Spec) -> Result<Ir> {
    let reader = Reader::new(&spec.openapi, &spec.file);
    let mut b = Builder::new(reader)?;
    b.components()?;
    b.check_alias_cycles()?;
    let mut ops = operations::read(&spec.openapi, &mut b)?;
    b.name_types(&builder_names(&ops));
    let pending = std::mem::take(&mut b.pending_views);
    let mut warnings = Vec::new();
    for (id, raw, at) in pending {
        let view = variants::resolve(&b.types, id, &raw, &at, b.reader.file, &mut warnings)?;
        if let (Some(view), TypeKind::Struct(s)) = (view, &mut b.types[id.0].kind) {
            s.views.push(view);
        }
    }
    let pending = std::mem::take(&mut b.pending_links);
    for (id, raw, at) in pending {
        let components: Vec<(String, TypeId)> = b
            .reader
            .components
            .iter()
            .zip(&b.comp_type)
            .map(|((name, _), id)| ((*name).to_owned(), *id))
            .collect();
        let helpers = variants::resolve_links(&b.types, id, &raw, &at, b.reader.file, &components, &mut warnings)?;
        if let TypeKind::Struct(s) = &mut b.types[id.0].kind {
            s.links.extend(helpers);
        }
    }
    for op in &mut ops {
        op.pagination = super::pagination::detect(&b.types, op);
    }
    graph::mark_boxes(&mut b.types);
    let modules = graph::place(&mut b.types, &ops, &spec.openapi.tags);
    b.stats.components = b.reader.components.len();
    let mut sets: Vec<Vec<String>> = Vec::new();
    for t in &b.types {
        if !t.features.is_empty() && !sets.contains(&t.features) {
            sets.push(t.features.clone());
        }
    }
    let names = super::naming::feature_group_modules(&sets);
    Ok(Ir {
        types: b.types,
        operations: ops,
        modules,
        feature_groups: sets.into_iter().zip(names).collect(),
        error_codes: b.error_codes,
        stats: b.stats,
        warnings,
    })
}

/// Who asked for a name, which decides who keeps it on a collision.
#[derive(Clone, Debug)]
struct Wanted {
    name: String,
    component: bool,
    /// Named by the overlay (`x-dwolla-name`) or by its value (a const): kept as it is.
    explicit: bool,
}

/// One place an inline type is used: the name it would get there. When the place is inside
/// another inline type (a property, an item, a variant), the name is that type's name plus
/// `suffix`, so that it follows the parent's final name.
#[derive(Clone, Debug)]
struct Reach {
    hint: String,
    parent: Option<(TypeId, String)>,
}

pub(crate) struct Builder<'a> {
    pub reader: Reader<'a>,
    pub types: Vec<TypeEntry>,
    wanted: Vec<Wanted>,
    pub(super) shapes: Vec<Shape>,
    /// Class representative of each component.
    class: Vec<usize>,
    /// The entry of each component (its own, alias or not).
    comp_type: Vec<TypeId>,
    dedup: HashMap<ShapeKey, TypeId>,
    /// Every place each inline type is used (by type index), for naming.
    reaches: HashMap<usize, Vec<Reach>>,
    /// The types whose bodies are being converted, innermost last, with the name each was
    /// converted under: the parents of the inline types met meanwhile.
    converting: Vec<(TypeId, String)>,
    pending_views: Vec<(TypeId, Value, Pointer)>,
    pending_links: Vec<(TypeId, Value, Pointer)>,
    /// The codes of the error bodies met so far, first spelling of each (`error_codes`).
    pub(super) error_codes: Vec<String>,
    pub stats: Stats,
}

impl<'a> Builder<'a> {
    fn new(reader: Reader<'a>) -> Result<Self> {
        let shapes = (0..reader.components.len())
            .map(|i| reader.component(i))
            .collect::<Result<Vec<_>>>()?;
        let n = shapes.len();
        Ok(Builder {
            reader,
            types: Vec::new(),
            wanted: Vec::new(),
            shapes,
            class: (0..n).collect(),
            comp_type: Vec::new(),
            dedup: HashMap::new(),
            reaches: HashMap::new(),
            converting: Vec::new(),
            pending_views: Vec::new(),
            pending_links: Vec::new(),
            error_codes: Vec::new(),
            stats: Stats::default(),
        })
    }

    pub fn err(&self, at: &Pointer, message: impl Into<String>) -> Error {
        Error::spec(self.reader.file, at.to_string(), message)
    }

    fn new_entry(&mut self, wanted: String, component: Option<&str>, origin: Pointer, docs: Option<String>) -> TypeId {
        let id = TypeId(self.types.len());
        self.wanted.push(Wanted {
            name: wanted.clone(),
            component: component.is_some(),
            explicit: false,
        });
        self.types.push(TypeEntry {
            name: wanted,
            module: COMMON_MODULE.to_owned(),
            docs,
            origin,
            component: component.map(str::to_owned),
            in_request: false,
            same_as: None,
            features: Vec::new(),
            kind: TypeKind::Alias(TypeRef::Any),
            examples: Vec::new(),
        });
        id
    }

    /// Partitions components into classes, gives each an entry, then converts their bodies.
    fn components(&mut self) -> Result<()> {
        self.partition();
        let n = self.shapes.len();
        for i in 0..n {
            let name = naming::type_name(self.reader.components[i].0, "Schema");
            let docs = self.shapes[i].docs.clone().filter(|d| d != self.reader.components[i].0);
            let id = self.new_entry(
                name,
                Some(self.reader.components[i].0),
                self.reader.component_pointer(i),
                docs,
            );
            self.comp_type.push(id);
        }
        for i in 0..n {
            if self.class[i] == i && is_nominal(&self.shapes[i].kind) {
                let key = self.key(&self.shapes[i]);
                self.dedup.insert(key, self.comp_type[i]);
            }
        }
        // Canonical components first, so the inline shapes inside them are named after them
        // rather than after whichever other schema happened to contain the same shape first.
        let order: Vec<usize> = (0..n)
            .filter(|&i| self.shapes[i].ext.canonical)
            .chain((0..n).filter(|&i| !self.shapes[i].ext.canonical))
            .collect();
        for i in order {
            let id = self.comp_type[i];
            let shape = self.shapes[i].clone();
            self.add_examples(id, &shape);
            let kind = if self.class[i] != i {
                self.stats.component_aliases += 1;
                let canonical = self.comp_type[self.class[i]];
                // The token stage says so in the docs, with the canonical type's final name.
                self.types[id.0].same_as = Some(canonical);
                TypeKind::Alias(TypeRef::Named(canonical))
            } else {
                let shape = self.shapes[i].clone();
                let name = self.wanted[id.0].name.clone();
                if is_nominal(&shape.kind) {
                    self.kind_of(&shape, &name, id)?
                } else {
                    TypeKind::Alias(self.type_ref(&shape, &name)?)
                }
            };
            self.types[id.0].kind = kind;
        }
        Ok(())
    }

    /// A component that is only a reference to itself (directly or through other references)
    /// has no structure to become a type.
    fn check_alias_cycles(&self) -> Result<()> {
        for (i, &start) in self.comp_type.iter().enumerate() {
            if super::alias_chain(&self.types, start).skip(1).any(|id| id == start) {
                return Err(self.err(
                    &self.reader.component_pointer(i),
                    "this schema is only a reference to itself (through other references); it has no structure",
                ));
            }
        }
        Ok(())
    }

    /// Refines the partition of components until references-by-class stop merging classes.
    fn partition(&mut self) {
        let n = self.shapes.len();
        loop {
            let mut groups: HashMap<ShapeKey, Vec<usize>> = HashMap::new();
            for i in 0..n {
                if is_nominal(&self.shapes[i].kind) {
                    groups.entry(self.key(&self.shapes[i])).or_default().push(i);
                }
            }
            let mut next: Vec<usize> = (0..n).collect();
            for members in groups.values() {
                let rep = members
                    .iter()
                    .copied()
                    .find(|&m| self.shapes[m].ext.canonical)
                    .unwrap_or(members[0]);
                for &m in members {
                    next[m] = rep;
                }
            }
            if next == self.class {
                return;
            }
            self.class = next;
        }
    }

    /// The structural key of a shape: everything that affects the Rust type, nothing that only
    /// documents it. Every field of `Shape`, `Ext`, `ShapeKind` and `Prop` is named here (in a
    /// pattern without `..`), so a field added later does not compile until it is either put
    /// in the key or said to be documentation.
    fn key(&self, s: &Shape) -> ShapeKey {
        let Shape { kind, docs: _, example: _, origin: _, nullable, ext } = s;
        let Ext { secret, preserve_unknown, variants, canonical: _, name: _, links } = ext;
        let kind = match kind {
            ShapeKind::Ref(i) => KeyKind::Class(self.class[*i]),
            ShapeKind::Prim(t) => KeyKind::Prim(t.clone()),
            ShapeKind::Const(v) => KeyKind::Const(v.clone()),
            ShapeKind::Enum(values) => KeyKind::Enum(values.clone()),
            ShapeKind::Array(items) => KeyKind::Array(Box::new(self.key(items))),
            ShapeKind::Map(v) => KeyKind::Map(Box::new(self.key(v))),
            ShapeKind::Object(ObjectShape { props, additional }) => KeyKind::Object {
                props: props
                    .iter()
                    .map(|Prop { wire, shape, required }| (wire.clone(), *required, self.key(shape)))
                    .collect(),
                additional: additional.as_ref().map(|a| Box::new(self.key(a))),
            },
            ShapeKind::Union { variants, discriminator, overlapping } => KeyKind::Union {
                overlapping: *overlapping,
                variants: variants.iter().map(|v| self.key(v)).collect(),
                discriminator: discriminator.clone(),
                codes: self.error_union_codes(variants).map(|c| c.iter().map(|c| super::code_key(c)).collect()),
            },
        };
        ShapeKey {
            nullable: *nullable,
            secret: *secret,
            preserve_unknown: *preserve_unknown,
            variants: variants.as_ref().map(|(v, _)| v.to_string()),
            links: links.as_ref().map(|(v, _)| v.to_string()),
            kind,
        }
    }

    /// The Rust type for a schema met at `hint` (the name an inline type would get).
    pub fn type_ref(&mut self, shape: &Shape, hint: &str) -> Result<TypeRef> {
        Ok(match &shape.kind {
            ShapeKind::Ref(i) => TypeRef::Named(self.comp_type[*i]),
            ShapeKind::Prim(t) => t.clone(),
            ShapeKind::Array(items) => TypeRef::Vec(Box::new(self.type_ref(items, &format!("{hint}Item"))?)),
            ShapeKind::Map(v) => TypeRef::Map(Box::new(self.type_ref(v, &format!("{hint}Value"))?)),
            ShapeKind::Union {
                variants, overlapping, ..
            } if self.distinct_variants(variants, *overlapping).len() == 1 => {
                // Every variant is the same type: the union says nothing a plain type doesn't.
                // Name the class's canonical type rather than whichever member came first.
                if let ShapeKind::Ref(c) = variants[0].kind {
                    return Ok(TypeRef::Named(self.comp_type[self.class[c]]));
                }
                let mut only = variants[0].clone();
                only.docs = shape.docs.clone().or(only.docs);
                self.type_ref(&only, hint)?
            }
            _ => {
                self.stats.inline_schemas += 1;
                let key = self.key(shape);
                if let Some(&id) = self.dedup.get(&key) {
                    // An explicit `x-dwolla-name` on any occurrence names the shared type.
                    if let (Some(name), false) = (&shape.ext.name, self.wanted[id.0].component) {
                        self.wanted[id.0].name = name.clone();
                        self.wanted[id.0].explicit = true;
                    }
                    self.record_reach(id, hint);
                    self.add_examples(id, shape);
                    return Ok(TypeRef::Named(id));
                }
                self.stats.inline_types += 1;
                let (wanted, module) = match &shape.kind {
                    ShapeKind::Const(v) => (naming::type_name(v, "Empty"), Some(CONSTS_MODULE)),
                    _ => (shape.ext.name.clone().unwrap_or_else(|| hint.to_owned()), None),
                };
                let id = self.new_entry(wanted.clone(), None, shape.origin.clone(), shape.docs.clone());
                self.wanted[id.0].explicit = module.is_some() || shape.ext.name.is_some();
                if let Some(m) = module {
                    self.types[id.0].module = m.to_owned();
                }
                self.dedup.insert(key, id);
                self.record_reach(id, hint);
                self.add_examples(id, shape);
                let kind = self.kind_of(shape, &wanted, id)?;
                self.types[id.0].kind = kind;
                TypeRef::Named(id)
            }
        })
    }

    /// Indices of the variants that are structurally distinct, first of each kept. In an
    /// `anyOf` (`overlapping`), distinct components are distinct variants even when they have
    /// the same structure: the variant's name says what the value is for (an upgrade to a
    /// verified customer and a retry of its verification send the same fields). In an error
    /// union, bodies of different codes are distinct variants (`error_codes`).
    fn distinct_variants(&self, variants: &[Shape], overlapping: bool) -> Vec<usize> {
        let codes = self.error_union_codes(variants);
        let mut seen = HashMap::new();
        let mut out = Vec::new();
        for (i, v) in variants.iter().enumerate() {
            let code = codes.as_ref().and_then(|c| c.get(i));
            let k = match (&v.kind, code) {
                (ShapeKind::Ref(c), _) if overlapping => VariantKey::Component(*c),
                (_, Some(code)) => VariantKey::Coded(self.key(&strip_docs_only(v)), super::code_key(code)),
                _ => VariantKey::Shape(self.key(&strip_docs_only(v))),
            };
            if seen.insert(k, i).is_none() {
                out.push(i);
            }
        }
        out
    }

    /// Remembers that the inline type `id` is used where it would be called `hint`.
    fn record_reach(&mut self, id: TypeId, hint: &str) {
        let parent = self.converting.last().and_then(|(parent, name)| {
            hint.strip_prefix(name.as_str())
                .map(|suffix| (*parent, suffix.to_owned()))
        });
        self.reaches.entry(id.0).or_default().push(Reach {
            hint: hint.to_owned(),
            parent,
        });
    }

    fn kind_of(&mut self, shape: &Shape, name: &str, id: TypeId) -> Result<TypeKind> {
        self.converting.push((id, name.to_owned()));
        let kind = self.convert(shape, name, id);
        self.converting.pop();
        kind
    }

    fn convert(&mut self, shape: &Shape, name: &str, id: TypeId) -> Result<TypeKind> {
        Ok(match &shape.kind {
            ShapeKind::Object(o) => TypeKind::Struct(self.convert_object(shape, o, name, id)?),
            ShapeKind::Enum(values) => {
                let mut scope = Scope::with_reserved(&["Unknown"]);
                let values = values
                    .iter()
                    .map(|v| EnumValue {
                        wire: v.clone(),
                        ident: scope.claim(&naming::type_name(v, "Empty")),
                    })
                    .collect();
                TypeKind::Enum(StringEnum { values })
            }
            ShapeKind::Const(v) => TypeKind::Const { value: v.clone() },
            ShapeKind::Union {
                variants,
                discriminator,
                overlapping,
            } => {
                let keep = self.distinct_variants(variants, *overlapping);
                if keep.len() == 1 {
                    return Ok(TypeKind::Alias(self.type_ref(&variants[keep[0]], name)?));
                }
                TypeKind::Union(self.convert_union(shape, variants, discriminator.as_ref(), &keep, name)?)
            }
            ShapeKind::Ref(_) | ShapeKind::Prim(_) | ShapeKind::Array(_) | ShapeKind::Map(_) => {
                TypeKind::Alias(self.type_ref(shape, name)?)
            }
        })
    }

    /// A struct: its fields named in one scope, its other keys kept or typed, and its
    /// `x-dwolla-variants` and `x-dwolla-links` declarations queued until every type has a name.
    fn convert_object(&mut self, shape: &Shape, o: &ObjectShape, name: &str, id: TypeId) -> Result<Struct> {
        let mut scope = Scope::new();
        let mut fields = Vec::with_capacity(o.props.len());
        for p in &o.props {
            let ident = scope.claim_with(&naming::field_name(&p.wire), "_");
            let hint = format!("{name}{}", naming::type_part(&p.wire, "Field"));
            let ty = self.type_ref(&p.shape, &hint)?;
            fields.push(Field {
                wire: p.wire.clone(),
                ident,
                ty,
                required: p.required,
                nullable: p.shape.nullable,
                boxed: false,
                secret: p.shape.ext.secret,
                docs: p.shape.docs.clone().or_else(|| self.docs_of_ref(&p.shape)),
                example: p.shape.example.clone(),
            });
        }
        let additional = if shape.ext.preserve_unknown {
            Some(Additional::Preserve)
        } else if let Some(a) = &o.additional {
            Some(Additional::Typed(self.type_ref(a, &format!("{name}Value"))?))
        } else {
            None
        };
        if let Some((raw, at)) = &shape.ext.variants {
            self.pending_views.push((id, raw.clone(), at.clone()));
        }
        if let Some((raw, at)) = &shape.ext.links {
            self.pending_links.push((id, raw.clone(), at.clone()));
        }
        Ok(Struct {
            fields,
            additional,
            views: Vec::new(),
            links: Vec::new(),
            required: None,
        })
    }

    /// A union of the variants `keep` keeps: each variant named after the type it holds (the
    /// words all share stripped), with the checks that tell it apart, by Dwolla's error `code`
    /// where every variant is an error body, and the discriminator if the spec gives one.
    fn convert_union(
        &mut self,
        shape: &Shape,
        variants: &[Shape],
        discriminator: Option<&(String, Vec<(String, String)>)>,
        keep: &[usize],
        name: &str,
    ) -> Result<Union> {
        let codes = self.error_union_codes(variants);
        let mut out = Vec::with_capacity(keep.len());
        let mut names = Vec::with_capacity(keep.len());
        for (n, &i) in keep.iter().enumerate() {
            let v = &variants[i];
            let ty = self.type_ref(v, &format!("{name}Variant{}", n + 1))?;
            names.push(match (&v.kind, ty.named()) {
                (ShapeKind::Ref(_), Some(t)) => self.wanted[t.0].name.clone(),
                _ => v.ext.name.clone().unwrap_or_else(|| format!("Variant{}", n + 1)),
            });
            let mut checks = self.checks(v);
            checks.code = codes.as_ref().and_then(|c| c.get(i).cloned());
            out.push(UnionVariant {
                ident: String::new(),
                ty,
                boxed: false,
                checks,
            });
        }
        for (v, ident) in out.iter_mut().zip(naming::strip_common_words(&names)) {
            v.ident = ident;
        }
        let discriminator = match discriminator {
            Some((property, mapping)) => Some(self.discriminator(property, mapping, variants, keep, &shape.origin)?),
            None => None,
        };
        Ok(Union {
            variants: out,
            discriminator,
        })
    }

    fn docs_of_ref(&self, s: &Shape) -> Option<String> {
        match s.kind {
            ShapeKind::Ref(i) => self.shapes[i].docs.clone().filter(|d| d != self.reader.components[i].0),
            _ => None,
        }
    }

    /// What a JSON object must contain to be this variant: its required properties and the
    /// values of its `const` and one-value `enum` properties.
    pub(super) fn checks(&self, v: &Shape) -> VariantChecks {
        let mut shape = v;
        let mut hops = 0;
        while let ShapeKind::Ref(i) = shape.kind {
            shape = &self.shapes[i];
            hops += 1;
            if hops > 64 {
                break;
            }
        }
        let mut checks = VariantChecks::default();
        if let ShapeKind::Object(o) = &shape.kind {
            checks.object = true;
            for p in &o.props {
                if p.required {
                    checks.required.push(p.wire.clone());
                }
                match &p.shape.kind {
                    ShapeKind::Const(c) => checks.equals.push((p.wire.clone(), Value::String(c.clone()))),
                    ShapeKind::Enum(values) if values.len() == 1 => {
                        checks.equals.push((p.wire.clone(), Value::String(values[0].clone())));
                    }
                    _ => {}
                }
            }
        } else if let ShapeKind::Prim(TypeRef::Object) = &shape.kind {
            checks.object = true;
        }
        checks
    }

    fn discriminator(
        &self,
        property: &str,
        mapping: &[(String, String)],
        variants: &[Shape],
        keep: &[usize],
        at: &Pointer,
    ) -> Result<Discriminator> {
        let position = |component: usize| {
            keep.iter()
                .position(|&k| matches!(variants[k].kind, ShapeKind::Ref(c) if self.class[c] == self.class[component]))
        };
        let mut out = Vec::new();
        if mapping.is_empty() {
            for (i, v) in variants.iter().enumerate() {
                if let (ShapeKind::Ref(c), Some(pos)) = (&v.kind, keep.iter().position(|&k| k == i)) {
                    out.push((self.reader.components[*c].0.to_owned(), pos));
                }
            }
        } else {
            for (value, target) in mapping {
                let reference = if target.starts_with('#') {
                    target.clone()
                } else {
                    format!("#/components/schemas/{target}")
                };
                let at = at.push("discriminator").push("mapping").push(value);
                let c = self.reader.resolve(&reference, &at)?;
                let pos = position(c).ok_or_else(|| self.err(&at, format!("`{target}` is not one of the variants")))?;
                out.push((value.clone(), pos));
            }
        }
        Ok(Discriminator {
            property: property.to_owned(),
            mapping: out,
        })
    }

    /// The name an inline type wants: where it is used in one place, the name of that place
    /// (its parent's final name plus its own part); where places disagree (an identical shape
    /// in unrelated operations or properties), a neutral name none of them would mislead with
    /// ([`naming::neutral_name`]). Components and explicitly named types keep their names.
    fn resolve_wanted(
        &self,
        i: usize,
        memo: &mut HashMap<usize, String>,
        wanted: &HashMap<&str, usize>,
        depth: usize,
    ) -> String {
        if let Some(name) = memo.get(&i) {
            return name.clone();
        }
        let own = &self.wanted[i];
        let reaches = self.reaches.get(&i).map(Vec::as_slice).unwrap_or_default();
        // Nested inline types form a tree (an inline schema cannot contain itself), so the depth
        // is bounded by the spec's nesting; the guard only keeps a bug from recursing forever.
        if own.component || own.explicit || reaches.is_empty() || depth > 256 {
            return own.name.clone();
        }
        let mut candidates: Vec<String> = Vec::new();
        for r in reaches {
            let name = match &r.parent {
                Some((parent, suffix)) if parent.0 != i => {
                    let parent_name = self.resolve_wanted(parent.0, memo, wanted, depth + 1);
                    self.child_name(i, &parent_name, suffix, !self.wanted[parent.0].component, wanted)
                }
                _ => r.hint.clone(),
            };
            if !candidates.contains(&name) {
                candidates.push(name);
            }
        }
        let name = if candidates.len() == 1 {
            candidates.swap_remove(0)
        } else {
            let contents: Vec<String> = match &self.types[i].kind {
                TypeKind::Struct(s) => s.fields.iter().map(|f| f.wire.clone()).collect(),
                TypeKind::Enum(e) => e.values.iter().map(|v| v.wire.clone()).collect(),
                _ => Vec::new(),
            };
            // Names other types want (before this resolution): a neutral name must not take one.
            let taken = |n: &str| {
                let others = usize::from(self.wanted[i].name == n);
                wanted.get(n).is_some_and(|&count| count > others)
            };
            naming::neutral_name(&candidates, &contents, &taken)
        };
        memo.insert(i, name.clone());
        name
    }

    /// The name of inline type `i` as `part` of a parent named `parent`: shortened by
    /// [`naming::child_name`] unless another type wants the short name, then the two joined.
    fn child_name(
        &self,
        i: usize,
        parent: &str,
        part: &str,
        inline_parent: bool,
        wanted: &HashMap<&str, usize>,
    ) -> String {
        let long = format!("{parent}{part}");
        let short = naming::child_name(parent, part, inline_parent);
        let others = usize::from(self.wanted[i].name == short);
        if short != long && wanted.get(short.as_str()).is_some_and(|&count| count > others) {
            long
        } else {
            short
        }
    }

    /// Gives every type its final, unique name: components claim theirs first, in spec order,
    /// then inline types in the order they were met; consts have a namespace of their own. A
    /// model that would have an operation's builder name (`builders`, with the types of that
    /// operation's body) gets [`naming::model_beside_builder`]'s, so no name is both a model and
    /// a builder.
    fn name_types(&mut self, builders: &HashMap<String, Vec<TypeId>>) {
        let mut memo = HashMap::new();
        // How many types want each name (before resolution), for `neutral_name`'s `taken`.
        let mut wanted: HashMap<&str, usize> = HashMap::new();
        for w in &self.wanted {
            *wanted.entry(w.name.as_str()).or_default() += 1;
        }
        let resolved: Vec<String> = (0..self.types.len())
            .map(|i| self.resolve_wanted(i, &mut memo, &wanted, 0))
            .collect();
        for (w, name) in self.wanted.iter_mut().zip(resolved) {
            w.name = name;
        }
        let mut models = Scope::new();
        let mut consts = Scope::new();
        let order: Vec<usize> = (0..self.types.len())
            .filter(|&i| self.wanted[i].component)
            .chain((0..self.types.len()).filter(|&i| !self.wanted[i].component))
            .collect();
        for i in order {
            let scope = if self.types[i].module == CONSTS_MODULE {
                &mut consts
            } else {
                &mut models
            };
            let wanted = &self.wanted[i].name;
            self.types[i].name = match builders.get(wanted) {
                Some(body) => scope.claim(&naming::model_beside_builder(wanted, body.contains(&TypeId(i)))),
                None => scope.claim(wanted),
            };
        }
        self.name_required_structs(&mut models);
    }

    /// Names the struct of named fields that `new` takes, for every struct with more than
    /// [`super::MAX_POSITIONAL_ARGS`] constructor arguments, after every model has its name.
    fn name_required_structs(&mut self, models: &mut Scope) {
        for i in 0..self.types.len() {
            let TypeKind::Struct(s) = &self.types[i].kind else { continue };
            if super::constructor_args(&self.types, s).len() <= super::MAX_POSITIONAL_ARGS {
                continue;
            }
            let name = models.claim(&naming::required_fields(&self.types[i].name));
            if let TypeKind::Struct(s) = &mut self.types[i].kind {
                s.required = Some(name);
            }
        }
    }
}

/// Each operation's builder name, with the named types its request body sends.
fn builder_names(ops: &[super::Operation]) -> HashMap<String, Vec<TypeId>> {
    ops.iter()
        .map(|op| {
            let body = op.body.iter().flat_map(|b| b.type_refs()).filter_map(TypeRef::named).collect();
            (op.type_name.clone(), body)
        })
        .collect()
}

/// Object, enum, union and const shapes become named types; the rest are type expressions.
fn is_nominal(kind: &ShapeKind) -> bool {
    matches!(
        kind,
        ShapeKind::Object(_) | ShapeKind::Enum(_) | ShapeKind::Union { .. } | ShapeKind::Const(_)
    )
}

/// A copy without the things that never distinguish two variants (their docs).
fn strip_docs_only(s: &Shape) -> Shape {
    let mut s = s.clone();
    s.docs = None;
    s
}

#[cfg(test)]
mod tests {
    /// The names of the generated types of `spec`.
    fn type_names(spec: &str) -> Vec<String> {
        match crate::render(spec, "spec.yaml", None) {
            Ok(g) => g.ir.types.iter().map(|t| t.name.clone()).collect(),
            Err(e) => panic!("generation failed: {e}"),
        }
    }

    /// Two unrelated operations whose request bodies happen to be the same shape: the one type
    /// is named for neither of them, and an inline type inside it follows its name.
    #[test]
    fn a_shape_shared_by_unrelated_operations_gets_a_neutral_name() {
        let spec = r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /customers/{id}/beneficial-ownership:
    post:
      operationId: certifyBeneficialOwnershipForCustomer
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      requestBody:
        content:
          application/json:
            schema:
              type: object
              required: [status]
              properties:
                status: {type: string}
                reason: {type: object, properties: {code: {type: string}}}
      responses: {"200": {description: ok}}
  /mass-payments/{id}:
    post:
      operationId: updateMassPayment
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      requestBody:
        content:
          application/json:
            schema:
              type: object
              required: [status]
              properties:
                status: {type: string}
                reason: {type: object, properties: {code: {type: string}}}
      responses: {"200": {description: ok}}
"#;
        let names = type_names(spec);
        assert!(
            names
                .iter()
                .all(|n| !n.starts_with("Certify") && !n.starts_with("UpdateMassPayment")),
            "{names:?}"
        );
        assert!(names.contains(&"StatusReasonRequest".to_owned()), "{names:?}");
        assert!(names.contains(&"StatusReasonRequestReason".to_owned()), "{names:?}");
    }

    /// Two inline shapes of one structure, one of them declaring link helpers, are two types:
    /// the structural key holds every field of the shape that changes the Rust type, so the
    /// helpers are not lost to whichever shape came first.
    #[test]
    fn link_helpers_are_part_of_a_shapes_identity() {
        let body = |links: &str| {
            format!(
                "{{type: object, {links} properties: {{_links: {{type: object, required: [partner], properties: {{partner: {{type: object, required: [href], properties: {{href: {{type: string}}}}}}}}}}}}}}"
            )
        };
        let spec = format!(
            r#"
openapi: 3.0.3
info: {{title: t, version: "1"}}
paths:
  /a:
    get:
      operationId: getA
      responses: {{"200": {{description: ok, content: {{application/json: {{schema: {plain}}}}}}}}}
  /b:
    get:
      operationId: getB
      responses: {{"200": {{description: ok, content: {{application/json: {{schema: {linked}}}}}}}}}
"#,
            plain = body(""),
            linked = body("x-dwolla-links: [{rel: partner}],"),
        );
        let g = match crate::render(&spec, "spec.yaml", None) {
            Ok(g) => g,
            Err(e) => panic!("generation failed: {e}"),
        };
        let with_links: Vec<&str> = g
            .ir
            .types
            .iter()
            .filter(|t| matches!(&t.kind, crate::ir::TypeKind::Struct(s) if !s.links.is_empty()))
            .map(|t| t.name.as_str())
            .collect();
        assert_eq!(with_links, ["GetBResponse"], "{:?}", g.ir.types.iter().map(|t| &t.name).collect::<Vec<_>>());
    }

    /// A shape used in one place keeps the name of that place.
    #[test]
    fn a_shape_used_once_is_named_after_its_place() {
        let spec = r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /mass-payments/{id}:
    post:
      operationId: updateMassPayment
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      requestBody:
        content:
          application/json:
            schema: {type: object, required: [status], properties: {status: {type: string}}}
      responses: {"200": {description: ok}}
"#;
        assert_eq!(type_names(spec), vec!["UpdateMassPaymentRequest".to_owned()]);
    }

    /// In the crate from `spec/dwolla.yaml` with our overlay, a query parameter has one Rust
    /// type on every operation that takes it (paging `limit`/`offset` are integers, the
    /// `removed` filter a boolean), as Dwolla's documented requests show. `status` filters by
    /// the status of the resource listed, so it has one type per resource module.
    #[test]
    fn query_parameters_of_one_name_have_one_type_everywhere() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let generated = match crate::render_workspace(&root) {
            Ok(g) => g,
            Err(e) => panic!("generation failed: {e}"),
        };
        let mut types: std::collections::BTreeMap<String, Vec<(&str, &crate::ir::TypeRef)>> = Default::default();
        for op in &generated.ir.operations {
            for p in op
                .params
                .iter()
                .filter(|p| p.location == crate::ir::ParamLocation::Query)
            {
                let key = match p.wire.as_str() {
                    "status" => format!("status of {}", op.module),
                    wire => wire.to_owned(),
                };
                types.entry(key).or_default().push((op.id.as_str(), &p.ty));
            }
        }
        for (name, uses) in &types {
            assert!(
                uses.iter().all(|(_, t)| *t == uses[0].1),
                "query parameter `{name}` has several types: {uses:?}"
            );
        }
        assert_eq!(types["limit"][0].1, &crate::ir::TypeRef::I32);
        assert_eq!(types["removed"][0].1, &crate::ir::TypeRef::Bool);
    }

    /// In the crate from `spec/dwolla.yaml` with our overlay, a name is one thing: no name of
    /// `dwolla::api` (builders, outcomes, group handles, its own types) is also a model's, and
    /// no synthesized model name is longer than `naming::MAX_INLINE_NAME`.
    #[test]
    fn api_and_model_names_are_distinct_and_synthesized_names_short() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let generated = match crate::render_workspace(&root) {
            Ok(g) => g,
            Err(e) => panic!("generation failed: {e}"),
        };
        let ir = &generated.ir;
        let mut api: std::collections::BTreeSet<String> =
            ["ApiErrorBody", "ErrorCode", "BoxFuture"].map(str::to_owned).into();
        for op in &ir.operations {
            api.insert(op.type_name.clone());
            api.extend(op.outcome.iter().map(|o| o.name.clone()));
            for n in 1..=op.group.len() {
                api.insert(super::naming::group_type(&op.group[..n]));
            }
        }
        let required = ir.types.iter().filter_map(|t| match &t.kind {
            crate::ir::TypeKind::Struct(s) => s.required.as_deref(),
            _ => None,
        });
        let both: Vec<&str> =
            ir.types.iter().map(|t| t.name.as_str()).chain(required).filter(|n| api.contains(*n)).collect();
        assert!(both.is_empty(), "names in both `api` and `models`: {both:?}");
        let long: Vec<&str> = ir
            .types
            .iter()
            .filter(|t| t.component.is_none() && t.name.len() > super::naming::MAX_INLINE_NAME)
            .map(|t| t.name.as_str())
            .collect();
        assert!(long.is_empty(), "synthesized names over {} characters: {long:?}", super::naming::MAX_INLINE_NAME);
    }
}

/// The structural key of a shape ([`Builder::key`]): two shapes with equal keys are one Rust
/// type. Extensions kept as their JSON text.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct ShapeKey {
    nullable: bool,
    secret: bool,
    preserve_unknown: bool,
    variants: Option<String>,
    links: Option<String>,
    kind: KeyKind,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum KeyKind {
    /// A component, by its class of structurally identical components.
    Class(usize),
    Prim(TypeRef),
    Const(String),
    Enum(Vec<String>),
    Array(Box<ShapeKey>),
    Map(Box<ShapeKey>),
    Object {
        /// Wire name, required, shape.
        props: Vec<(String, bool, ShapeKey)>,
        additional: Option<Box<ShapeKey>>,
    },
    Union {
        overlapping: bool,
        variants: Vec<ShapeKey>,
        discriminator: Option<(String, Vec<(String, String)>)>,
        /// The members' codes (`code_key`), in an error union.
        codes: Option<Vec<String>>,
    },
}

/// What tells two variants of a union apart: in an `anyOf`, the component itself; else the
/// structure.
#[derive(PartialEq, Eq, Hash)]
enum VariantKey {
    Component(usize),
    Shape(ShapeKey),
    /// In an error union: the structure and the code (`code_key`).
    Coded(ShapeKey, String),
}
