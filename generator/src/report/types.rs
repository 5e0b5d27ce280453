//! Types: which type of the old crate is which type of the new one, and what changed in each.
//!
//! A type is matched, in this order: a component by its schema name; an inline type with an
//! inline type defined at the same place in the spec (its Rust name may have changed, say
//! because a new schema now claims it); any type by its Rust name (a schema that was inlined
//! or extracted, or renamed in the spec without changing its Rust name, is the same Rust
//! type). An inline type still unmatched is matched with the one new type, if there is
//! exactly one, that has the same contents: the shape is now named after another place that
//! uses it. What is left is added or removed.

use std::collections::HashMap;

use super::change::{Change, ChangeKind, Subject};
use super::pairing::{Paired, pair_lists};
use super::surface::{FieldFacts, ShapeFacts, Surface, TypeFacts, ValueFacts, VariantFacts, map_keys, single_key};
use crate::ir::CONSTS_MODULE;

/// Two surfaces and their types, paired: what every comparison of the report reads.
pub(super) struct Matching<'a> {
    pub old: &'a Surface,
    pub new: &'a Surface,
    pub pairs: Vec<(&'a TypeFacts, &'a TypeFacts)>,
    pub removed: Vec<&'a TypeFacts>,
    pub added: Vec<&'a TypeFacts>,
    /// Old key → new key, for every pair.
    pub keys: HashMap<String, String>,
}

impl Matching<'_> {
    /// An old type expression in terms of the new surface's keys, so that it compares equal to
    /// the new expression when only names changed.
    pub fn translate(&self, expr: &str) -> String {
        map_keys(expr, |k| format!("{{{}}}", self.keys.get(k).map_or(k, String::as_str)))
    }

    /// An old type's contents in terms of the new surface's keys.
    fn translate_shape(&self, shape: &ShapeFacts) -> ShapeFacts {
        let mut shape = shape.clone();
        match &mut shape {
            ShapeFacts::Struct {
                fields,
                additional,
                methods,
            } => {
                for f in fields {
                    f.ty = self.translate(&f.ty);
                }
                if let Some(a) = additional {
                    *a = self.translate(a);
                }
                for s in methods {
                    *s = self.translate(s);
                }
            }
            ShapeFacts::Union { variants, methods } => {
                for v in variants {
                    v.ty = self.translate(&v.ty);
                }
                for s in methods {
                    *s = self.translate(s);
                }
            }
            ShapeFacts::Alias { target } => *target = self.translate(target),
            ShapeFacts::Enum { .. } | ShapeFacts::Const { .. } => {}
        }
        shape
    }
}

fn same_component(o: &TypeFacts, n: &TypeFacts) -> bool {
    !o.key.starts_with('~') && o.key == n.key
}

fn same_name(o: &TypeFacts, n: &TypeFacts) -> bool {
    o.name == n.name && (o.module == CONSTS_MODULE) == (n.module == CONSTS_MODULE)
}

fn same_origin(o: &TypeFacts, n: &TypeFacts) -> bool {
    o.key.starts_with('~') && n.key.starts_with('~') && o.origin == n.origin
}

pub(super) fn match_types<'a>(old: &'a Surface, new: &'a Surface) -> Matching<'a> {
    let mut pairs = Vec::new();
    let mut old_left: Vec<&TypeFacts> = old.types.iter().collect();
    let mut new_left: Vec<&TypeFacts> = new.types.iter().collect();
    for rule in [same_component, same_origin, same_name] {
        let mut still = Vec::new();
        for o in old_left {
            match new_left.iter().position(|n| rule(o, n)) {
                Some(i) => pairs.push((o, new_left.remove(i))),
                None => still.push(o),
            }
        }
        old_left = still;
    }
    let mut m = Matching {
        old,
        new,
        keys: pairs.iter().map(|(o, n)| (o.key.clone(), n.key.clone())).collect(),
        pairs,
        removed: Vec::new(),
        added: Vec::new(),
    };
    // An inline type whose contents are now, under another name, those of exactly one new
    // type: the shape moved (say, a new component that contains it claimed it first).
    for o in old_left {
        let translated = m.translate_shape(&o.shape);
        let candidates: Vec<usize> = (0..new_left.len())
            .filter(|&i| new_left[i].shape == translated)
            .collect();
        match candidates.as_slice() {
            [i] if o.key.starts_with('~') => {
                let n = new_left.remove(*i);
                m.keys.insert(o.key.clone(), n.key.clone());
                m.pairs.push((o, n));
            }
            _ => m.removed.push(o),
        }
    }
    m.added = new_left;
    m
}

fn subject(t: &TypeFacts) -> Subject {
    Subject::Type {
        name: t.name.clone(),
        key: t.key.clone(),
    }
}

/// Every type change between two surfaces.
pub(super) fn diff(m: &Matching<'_>, out: &mut Vec<Change>) {
    for t in &m.added {
        out.push(Change {
            subject: subject(t),
            kind: ChangeKind::TypeAdded {
                kind: t.shape.word().to_owned(),
            },
        });
    }
    for t in &m.removed {
        out.push(Change {
            subject: subject(t),
            kind: ChangeKind::TypeRemoved {
                kind: t.shape.word().to_owned(),
            },
        });
    }
    for (o, n) in &m.pairs {
        let mut kinds = Vec::new();
        pair(m, o, n, &mut kinds);
        out.extend(kinds.into_iter().map(|kind| Change {
            subject: subject(n),
            kind,
        }));
    }
}

/// How the report describes a kind of type: `a struct`, `a type alias of `X``.
fn describe(s: &Surface, shape: &ShapeFacts) -> String {
    match shape {
        ShapeFacts::Alias { target } => format!("a type alias of `{}`", s.display(target)),
        ShapeFacts::Const { value } => format!("a const type (`{value}`)"),
        ShapeFacts::Enum { .. } => "an enum".into(),
        other => format!("a {}", other.word()),
    }
}

fn pair(m: &Matching<'_>, o: &TypeFacts, n: &TypeFacts, out: &mut Vec<ChangeKind>) {
    use ChangeKind::*;
    if o.key != n.key && (!o.key.starts_with('~') || !n.key.starts_with('~')) {
        out.push(SchemaChanged {
            from: o.key.clone(),
            to: n.key.clone(),
        });
    }
    if o.name != n.name {
        out.push(TypeRenamed {
            from: o.name.clone(),
            to: n.name.clone(),
        });
    }
    if (&o.module, &o.features) != (&n.module, &n.features) {
        out.push(FeatureChanged {
            from: o.module.clone(),
            to: n.module.clone(),
            from_features: o.features.clone(),
            to_features: n.features.clone(),
        });
    }
    match (&o.shape, &n.shape) {
        (ShapeFacts::Alias { target: a }, ShapeFacts::Alias { target: b }) => {
            if m.translate(a) == *b {
                // The same alias of the same type: what changed in that type is reported there.
                return;
            }
            out.push(AliasChanged {
                from: m.old.display(a),
                to: m.new.display(b),
            });
        }
        (a, b) if a.word() != b.word() => out.push(KindChanged {
            from: describe(m.old, a),
            to: describe(m.new, b),
        }),
        (ShapeFacts::Struct { .. }, ShapeFacts::Struct { .. }) => match (o.in_request, n.in_request) {
            (false, true) => out.push(ConstructorAdded),
            (true, false) => out.push(ConstructorRemoved),
            _ => {}
        },
        _ => {}
    }
    // Compare what the two stand for; for a type that is or was an alias, that is the type at
    // the end of the alias chain.
    let (Some(ro), Some(rn)) = (m.old.resolve(&o.key), m.new.resolve(&n.key)) else {
        return;
    };
    contents(m, ro, rn, out);
}

fn is_const(s: &Surface, ty: &str) -> bool {
    single_key(ty)
        .and_then(|k| s.get(k))
        .is_some_and(|t| matches!(t.shape, ShapeFacts::Const { .. }))
}

/// What changed in what two paired types stand for: fields, values, variants or the constant.
fn contents(m: &Matching<'_>, o: &TypeFacts, n: &TypeFacts, out: &mut Vec<ChangeKind>) {
    match (&o.shape, &n.shape) {
        (
            ShapeFacts::Struct {
                fields: of,
                additional: oa,
                methods: om,
            },
            ShapeFacts::Struct {
                fields: nf,
                additional: na,
                methods: nm,
            },
        ) => {
            fields(m, n.in_request, of, nf, out);
            additional(m, oa.as_deref(), na.as_deref(), out);
            methods(m, om, nm, out);
        }
        (ShapeFacts::Enum { values: ov }, ShapeFacts::Enum { values: nv }) => values(ov, nv, out),
        (
            ShapeFacts::Union {
                variants: ov,
                methods: om,
            },
            ShapeFacts::Union {
                variants: nv,
                methods: nm,
            },
        ) => {
            variants(m, ov, nv, out);
            methods(m, om, nm, out);
        }
        (ShapeFacts::Const { value: a }, ShapeFacts::Const { value: b }) if a != b => {
            out.push(ChangeKind::ConstChanged {
                from: a.clone(),
                to: b.clone(),
            })
        }
        // A struct that was or became another kind of type: its fields, against none.
        (ShapeFacts::Struct { fields: of, .. }, _) => fields(m, false, of, &[], out),
        (_, ShapeFacts::Struct { fields: nf, .. }) => fields(m, n.in_request, &[], nf, out),
        _ => {}
    }
}

/// The type of a struct's `additional_properties`, added, removed or changed.
fn additional(m: &Matching<'_>, oa: Option<&str>, na: Option<&str>, out: &mut Vec<ChangeKind>) {
    use ChangeKind::*;
    match (oa, na) {
        (None, Some(t)) => out.push(AdditionalAdded { ty: m.new.display(t) }),
        (Some(t), None) => out.push(AdditionalRemoved { ty: m.old.display(t) }),
        (Some(a), Some(b)) if m.translate(a) != b => out.push(AdditionalChanged {
            from: m.old.display(a),
            to: m.new.display(b),
        }),
        _ => {}
    }
}

/// An enum's values, matched by wire value: added, renamed or removed.
fn values(ov: &[ValueFacts], nv: &[ValueFacts], out: &mut Vec<ChangeKind>) {
    use ChangeKind::*;
    for entry in pair_lists(ov, nv, |x, v| x.wire == v.wire) {
        match entry {
            Paired::Added(v) => out.push(ValueAdded {
                wire: v.wire.clone(),
                ident: v.ident.clone(),
            }),
            Paired::Both(x, v) if x.ident != v.ident => out.push(ValueRenamed {
                wire: v.wire.clone(),
                from: x.ident.clone(),
                to: v.ident.clone(),
            }),
            Paired::Both(..) => {}
            Paired::Removed(x) => out.push(ValueRemoved {
                wire: x.wire.clone(),
                ident: x.ident.clone(),
            }),
        }
    }
}

/// A union's variants, matched by the type they hold, failing that by name: renamed, holding
/// another type, added or removed.
fn variants(m: &Matching<'_>, ov: &[VariantFacts], nv: &[VariantFacts], out: &mut Vec<ChangeKind>) {
    use ChangeKind::*;
    let mut old_left: Vec<_> = ov.iter().collect();
    let mut new_left = Vec::new();
    for v in nv {
        match old_left.iter().position(|x| m.translate(&x.ty) == v.ty) {
            Some(i) => {
                let x = old_left.remove(i);
                if x.ident != v.ident {
                    out.push(VariantRenamed {
                        ty: m.new.display(&v.ty),
                        from: x.ident.clone(),
                        to: v.ident.clone(),
                    });
                }
            }
            None => new_left.push(v),
        }
    }
    for v in new_left {
        match old_left.iter().position(|x| x.ident == v.ident) {
            Some(i) => {
                let x = old_left.remove(i);
                out.push(VariantTypeChanged {
                    ident: v.ident.clone(),
                    from: m.old.display(&x.ty),
                    to: m.new.display(&v.ty),
                });
            }
            None => out.push(VariantAdded {
                ident: v.ident.clone(),
                ty: m.new.display(&v.ty),
            }),
        }
    }
    for x in old_left {
        out.push(VariantRemoved {
            ident: x.ident.clone(),
            ty: m.old.display(&x.ty),
        });
    }
}

fn fields(m: &Matching<'_>, built: bool, of: &[FieldFacts], nf: &[FieldFacts], out: &mut Vec<ChangeKind>) {
    use ChangeKind::*;
    for entry in pair_lists(of, nf, |x, f| x.wire == f.wire) {
        match entry {
            Paired::Added(f) => out.push(FieldAdded {
                wire: f.wire.clone(),
                ident: f.ident.clone(),
                ty: m.new.display(&f.ty),
                option: f.option(),
                argument: built && !f.option() && !is_const(m.new, &f.ty),
            }),
            Paired::Both(x, f) => field(m, x, f, out),
            Paired::Removed(x) => out.push(FieldRemoved {
                wire: x.wire.clone(),
                ident: x.ident.clone(),
            }),
        }
    }
}

/// What changed in one field both versions have (`x` before, `f` now).
fn field(m: &Matching<'_>, x: &FieldFacts, f: &FieldFacts, out: &mut Vec<ChangeKind>) {
    use ChangeKind::*;
    if x.ident != f.ident {
        out.push(FieldRenamed {
            wire: f.wire.clone(),
            from: x.ident.clone(),
            to: f.ident.clone(),
        });
    }
    if m.translate(&x.ty) != f.ty {
        out.push(FieldTypeChanged {
            wire: f.wire.clone(),
            ident: f.ident.clone(),
            from: m.old.display(&x.ty),
            to: m.new.display(&f.ty),
        });
    }
    match (x.option(), f.option()) {
        (true, false) => out.push(FieldNowRequired {
            wire: f.wire.clone(),
            ident: f.ident.clone(),
            ty: m.new.display(&f.ty),
        }),
        (false, true) => out.push(FieldNowOptional {
            wire: f.wire.clone(),
            ident: f.ident.clone(),
            ty: m.new.display(&f.ty),
        }),
        _ if x.required != f.required => out.push(FieldWireRequired {
            wire: f.wire.clone(),
            ident: f.ident.clone(),
            now: f.required,
        }),
        _ => {}
    }
}

/// The name of a method from its signature, `name() -> Type`.
pub(super) fn method_name(signature: &str) -> &str {
    signature.split('(').next().unwrap_or(signature)
}

pub(super) fn methods(m: &Matching<'_>, om: &[String], nm: &[String], out: &mut Vec<ChangeKind>) {
    use ChangeKind::*;
    for entry in pair_lists(om, nm, |x, s| method_name(x) == method_name(s)) {
        match entry {
            Paired::Added(s) => out.push(MethodAdded {
                signature: m.new.display(s),
            }),
            Paired::Both(x, s) if m.translate(x) != *s => out.push(MethodChanged {
                from: m.old.display(x),
                to: m.new.display(s),
            }),
            Paired::Both(..) => {}
            Paired::Removed(x) => out.push(MethodRemoved {
                signature: m.old.display(x),
            }),
        }
    }
}
