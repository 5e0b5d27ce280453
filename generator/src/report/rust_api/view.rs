//! Reading the view off rustdoc's JSON: first every public path each item is reached by (its
//! modules, and `pub use`s, also into another crate read), then each item's entries under its
//! shortest path, other paths being re-exports of it.

use std::collections::{BTreeMap, HashMap, HashSet};

use rustdoc_types::{Crate, Id, Impl, Item, ItemEnum, StructKind, Type, VariantKind, Visibility};

use super::crates::{Crates, Loc};
use super::render::Render;
use super::{RustApi, RustItem};

/// The auto traits the view lists (rustdoc also works out unstable ones, which no stable code
/// can name).
const AUTO_TRAITS: [&str; 5] = [
    "core::marker::Send",
    "core::marker::Sync",
    "core::marker::Unpin",
    "core::panic::unwind_safe::UnwindSafe",
    "core::panic::unwind_safe::RefUnwindSafe",
];

/// Traits whose impls are a detail of a derive, which stable code cannot name.
const UNNAMEABLE_TRAITS: [&str; 1] = ["core::marker::StructuralPartialEq"];

/// How many segments a public path may have: far more than any real module tree, and a bound
/// on a cycle of glob re-exports.
const PATH_DEPTH: usize = 32;

/// The view of the first crate of `crates`, whose re-exports of the others are followed.
pub fn view(crates: Vec<Crate>) -> RustApi {
    let crates = Crates::new(crates);
    let mut walk = Walk {
        crates: &crates,
        reached: Vec::new(),
        seen: HashSet::new(),
        foreign: Vec::new(),
    };
    if let (Some(root), Some(name)) = (crates.get(0).map(|c| c.root), crates.name(0)) {
        walk.module(Loc { krate: 0, id: root }, name);
    }
    let Walk { reached, foreign, .. } = walk;
    // Each item's own path: the shortest, then the first in sort order.
    let mut primary: HashMap<Loc, String> = HashMap::new();
    for (path, loc) in &reached {
        let better = |old: &String| (path.matches("::").count(), path) < (old.matches("::").count(), old);
        if primary.get(loc).is_none_or(better) {
            primary.insert(*loc, path.clone());
        }
    }
    let public: HashMap<String, String> = primary
        .iter()
        .filter_map(|(loc, path)| Some((crates.canonical(loc.krate, &loc.id)?, path.clone())))
        .collect();
    let mut out = Emit {
        render: Render {
            crates: &crates,
            public: &public,
        },
        items: BTreeMap::new(),
    };
    for (path, loc) in &reached {
        match primary.get(loc) {
            Some(own) if own == path => out.item(*loc, path),
            Some(own) => out.add(path.clone(), "re-export", format!("pub use {own}"), false, false),
            None => {}
        }
    }
    for (path, source) in foreign {
        out.add(path, "re-export", format!("pub use {source}"), false, false);
    }
    RustApi {
        items: out.items.into_values().collect(),
    }
}

/// The public paths found so far.
struct Walk<'a> {
    crates: &'a Crates,
    /// Each item reached, by each public path.
    reached: Vec<(String, Loc)>,
    seen: HashSet<(String, Loc)>,
    /// `pub use`s of crates not read (`pub use http;`): their path and what they name.
    foreign: Vec<(String, String)>,
}

impl Walk<'_> {
    fn module(&mut self, module: Loc, prefix: &str) {
        let Some(krate) = self.crates.get(module.krate) else {
            return;
        };
        let Some(ItemEnum::Module(m)) = krate.index.get(&module.id).map(|i| &i.inner) else {
            return;
        };
        for id in &m.items {
            let Some(item) = krate.index.get(id) else { continue };
            if item.visibility != Visibility::Public {
                continue;
            }
            match &item.inner {
                ItemEnum::Use(u) => {
                    let target = u.id.as_ref().and_then(|id| self.crates.locate(module.krate, id));
                    match (target, u.is_glob) {
                        (Some(t), true) => self.module(t, prefix),
                        (Some(t), false) => self.reach(t, format!("{prefix}::{}", u.name)),
                        (None, _) => {
                            let source = u.id.as_ref().and_then(|id| self.crates.canonical(module.krate, id));
                            let path = if u.is_glob {
                                format!("{prefix}::*")
                            } else {
                                format!("{prefix}::{}", u.name)
                            };
                            self.foreign.push((path, source.unwrap_or_else(|| u.source.clone())));
                        }
                    }
                }
                ItemEnum::Impl(_) => {}
                _ => {
                    if let Some(name) = &item.name {
                        self.reach(
                            Loc {
                                krate: module.krate,
                                id: *id,
                            },
                            format!("{prefix}::{name}"),
                        );
                    }
                }
            }
        }
    }

    fn reach(&mut self, loc: Loc, path: String) {
        if path.matches("::").count() >= PATH_DEPTH || !self.seen.insert((path.clone(), loc)) {
            return;
        }
        self.reached.push((path.clone(), loc));
        let is_module = self
            .crates
            .get(loc.krate)
            .and_then(|c| c.index.get(&loc.id))
            .is_some_and(|i| matches!(i.inner, ItemEnum::Module(_)));
        if is_module {
            self.module(loc, &path);
        }
    }
}

/// The entries written so far, by path and kind.
struct Emit<'a> {
    render: Render<'a>,
    items: BTreeMap<(String, String), RustItem>,
}

/// Whether an item was made from the spec: it is in the generated `models` or `api` modules.
fn from_spec(item: &Item) -> Option<bool> {
    let file = item.span.as_ref()?.filename.to_string_lossy().replace('\\', "/");
    Some(file.contains("src/models/") || file.contains("src/api/"))
}

impl Emit<'_> {
    /// Adds an entry; two of the same path and kind (methods of one name in two impls of a
    /// generic type) are one entry with both signatures.
    fn add(&mut self, path: String, kind: &str, signature: String, closed: bool, spec: bool) {
        let key = (path.clone(), kind.to_owned());
        if let Some(old) = self.items.get_mut(&key) {
            let mut both = [old.signature.clone(), signature];
            both.sort();
            old.signature = both.join(" | ");
            return;
        }
        let item = RustItem {
            path,
            kind: kind.to_owned(),
            signature,
            closed,
            spec,
        };
        self.items.insert(key, item);
    }

    fn item(&mut self, loc: Loc, path: &str) {
        let crates = self.render.crates;
        let Some(item) = crates.get(loc.krate).and_then(|c| c.index.get(&loc.id)) else {
            return;
        };
        let k = loc.krate;
        let spec = from_spec(item).unwrap_or(false);
        let name = item.name.as_deref().unwrap_or("_");
        let r = &self.render;
        match &item.inner {
            ItemEnum::Module(_) => self.add(path.to_owned(), "module", format!("mod {name}"), false, spec),
            ItemEnum::Struct(s) => self.structure(loc, item, path, s, spec),
            ItemEnum::Union(u) => {
                let signature = format!(
                    "union {name}{}{}",
                    r.generics(k, &u.generics),
                    r.where_clause(k, &u.generics)
                );
                self.add(path.to_owned(), "union", signature, false, spec);
                self.fields(k, path, &u.fields, false, spec);
                self.impls(k, path, &u.impls, spec);
            }
            ItemEnum::Enum(e) => self.enumeration(loc, item, path, e, spec),
            ItemEnum::Function(f) => {
                let signature = r.function(k, name, f);
                self.add(path.to_owned(), "fn", signature, false, spec);
            }
            ItemEnum::Trait(t) => self.trait_(loc, path, t, spec),
            ItemEnum::TypeAlias(t) => {
                let signature = format!(
                    "type {name}{} = {}{}",
                    r.generics(k, &t.generics),
                    r.ty(k, &t.type_),
                    r.where_clause(k, &t.generics)
                );
                self.add(path.to_owned(), "type alias", signature, false, spec);
            }
            ItemEnum::Constant { type_, .. } => {
                let signature = format!("const {name}: {}", r.ty(k, type_));
                self.add(path.to_owned(), "const", signature, false, spec);
            }
            ItemEnum::Static(s) => {
                let signature = format!(
                    "static {}{name}: {}",
                    if s.is_mutable { "mut " } else { "" },
                    r.ty(k, &s.type_)
                );
                self.add(path.to_owned(), "static", signature, false, spec);
            }
            ItemEnum::Macro(_) => self.add(path.to_owned(), "macro", format!("macro_rules! {name}"), false, spec),
            ItemEnum::ProcMacro(_) => self.add(path.to_owned(), "proc macro", name.to_owned(), false, spec),
            ItemEnum::TraitAlias(t) => {
                let signature = format!(
                    "trait {name}{} = {}",
                    r.generics(k, &t.generics),
                    r.bounds(k, &t.params)
                );
                self.add(path.to_owned(), "trait alias", signature, false, spec);
            }
            _ => {}
        }
    }

    /// `exhaustive` for a struct, enum or variant without `#[non_exhaustive]`: adding the
    /// attribute removes this entry (breaking), removing it adds the entry (not breaking).
    fn exhaustive(&mut self, item: &Item, path: &str, spec: bool) -> bool {
        let exhaustive = !item
            .attrs
            .iter()
            .any(|a| matches!(a, rustdoc_types::Attribute::NonExhaustive));
        if exhaustive {
            self.add(
                path.to_owned(),
                "exhaustive",
                "without #[non_exhaustive]".to_owned(),
                false,
                spec,
            );
        }
        exhaustive
    }

    fn structure(&mut self, loc: Loc, item: &Item, path: &str, s: &rustdoc_types::Struct, spec: bool) {
        let (k, r) = (loc.krate, &self.render);
        let name = item.name.as_deref().unwrap_or("_");
        let head = format!("struct {name}{}", r.generics(k, &s.generics));
        let wh = r.where_clause(k, &s.generics);
        let (signature, fields, private) = match &s.kind {
            StructKind::Unit => (format!("{head}{wh};"), Vec::new(), false),
            StructKind::Tuple(fields) => {
                let shown: Vec<&str> = fields.iter().map(|f| if f.is_some() { "pub _" } else { "_" }).collect();
                let ids = fields.iter().flatten().copied().collect();
                (
                    format!("{head}({}){wh};", shown.join(", ")),
                    ids,
                    fields.iter().any(Option::is_none),
                )
            }
            StructKind::Plain {
                fields,
                has_stripped_fields,
            } => {
                let rest = if *has_stripped_fields { " { .. }" } else { " {}" };
                (format!("{head}{wh}{rest}"), fields.clone(), *has_stripped_fields)
            }
        };
        self.add(path.to_owned(), "struct", signature, false, spec);
        let exhaustive = self.exhaustive(item, path, spec);
        self.fields(k, path, &fields, exhaustive && !private, spec);
        self.impls(k, path, &s.impls, spec);
    }

    /// Public fields; `closed` when a struct literal must name every field.
    fn fields(&mut self, krate: usize, path: &str, ids: &[Id], closed: bool, spec: bool) {
        let Some(c) = self.render.crates.get(krate) else { return };
        for id in ids {
            let Some(field) = c.index.get(id) else { continue };
            let ItemEnum::StructField(ty) = &field.inner else {
                continue;
            };
            if field.visibility != Visibility::Public {
                continue;
            }
            let name = field.name.as_deref().unwrap_or("_");
            let signature = format!("{name}: {}", self.render.ty(krate, ty));
            self.add(format!("{path}::{name}"), "field", signature, closed, spec);
        }
    }

    fn enumeration(&mut self, loc: Loc, item: &Item, path: &str, e: &rustdoc_types::Enum, spec: bool) {
        let (k, r) = (loc.krate, &self.render);
        let name = item.name.as_deref().unwrap_or("_");
        let signature = format!(
            "enum {name}{}{}",
            r.generics(k, &e.generics),
            r.where_clause(k, &e.generics)
        );
        self.add(path.to_owned(), "enum", signature, false, spec);
        let closed = self.exhaustive(item, path, spec) && !e.has_stripped_variants;
        let Some(c) = self.render.crates.get(k) else { return };
        for id in &e.variants {
            let Some(v) = c.index.get(id) else { continue };
            let ItemEnum::Variant(variant) = &v.inner else { continue };
            let vname = v.name.as_deref().unwrap_or("_");
            let vpath = format!("{path}::{vname}");
            let signature = self.variant(k, vname, variant);
            self.add(vpath.clone(), "variant", signature, closed, spec);
            self.exhaustive(v, &vpath, spec);
        }
        self.impls(k, path, &e.impls, spec);
    }

    /// `V`, `V(T, U)` or `V { a: T, .. }`, with ` = discriminant` when it has one.
    fn variant(&self, krate: usize, name: &str, v: &rustdoc_types::Variant) -> String {
        let Some(c) = self.render.crates.get(krate) else {
            return name.to_owned();
        };
        let field = |id: &Id| match c.index.get(id).map(|f| (&f.name, &f.inner)) {
            Some((n, ItemEnum::StructField(t))) => (n.clone().unwrap_or_default(), self.render.ty(krate, t)),
            _ => (String::new(), "_".to_owned()),
        };
        let shape = match &v.kind {
            VariantKind::Plain => String::new(),
            VariantKind::Tuple(fields) => {
                let types: Vec<String> = fields
                    .iter()
                    .map(|f| f.as_ref().map_or("_".to_owned(), |id| field(id).1))
                    .collect();
                format!("({})", types.join(", "))
            }
            VariantKind::Struct {
                fields,
                has_stripped_fields,
            } => {
                let mut parts: Vec<String> = fields
                    .iter()
                    .map(|id| {
                        let (n, t) = field(id);
                        format!("{n}: {t}")
                    })
                    .collect();
                if *has_stripped_fields {
                    parts.push("..".to_owned());
                }
                format!(" {{ {} }}", parts.join(", "))
            }
        };
        let discriminant = v
            .discriminant
            .as_ref()
            .map(|d| format!(" = {}", d.value))
            .unwrap_or_default();
        format!("{name}{shape}{discriminant}")
    }

    fn trait_(&mut self, loc: Loc, path: &str, t: &rustdoc_types::Trait, spec: bool) {
        let (k, r) = (loc.krate, &self.render);
        let Some(c) = r.crates.get(k) else { return };
        let name = c.index.get(&loc.id).and_then(|i| i.name.as_deref()).unwrap_or("_");
        let supertraits = if t.bounds.is_empty() {
            String::new()
        } else {
            format!(": {}", r.bounds(k, &t.bounds))
        };
        let signature = format!(
            "{}{}trait {name}{}{supertraits}{}",
            if t.is_unsafe { "unsafe " } else { "" },
            if t.is_auto { "auto " } else { "" },
            r.generics(k, &t.generics),
            r.where_clause(k, &t.generics)
        );
        self.add(path.to_owned(), "trait", signature, false, spec);
        for id in &t.items {
            let Some(member) = c.index.get(id) else { continue };
            let mname = member.name.as_deref().unwrap_or("_");
            let (kind, signature, required) = match &member.inner {
                ItemEnum::Function(f) => ("trait method", self.render.function(k, mname, f), !f.has_body),
                ItemEnum::AssocType {
                    generics,
                    bounds,
                    type_,
                } => {
                    let mut s = format!("type {mname}{}", self.render.generics(k, generics));
                    if !bounds.is_empty() {
                        s.push_str(&format!(": {}", self.render.bounds(k, bounds)));
                    }
                    if let Some(d) = type_ {
                        s.push_str(&format!(" = {}", self.render.ty(k, d)));
                    }
                    ("trait type", s, type_.is_none())
                }
                ItemEnum::AssocConst { type_, value } => (
                    "trait const",
                    format!("const {mname}: {}", self.render.ty(k, type_)),
                    value.is_none(),
                ),
                _ => continue,
            };
            self.add(format!("{path}::{mname}"), kind, signature, required, spec);
        }
        // Impls for types of other crates, or not public: those of public types are listed
        // with the type.
        let foreign: Vec<Id> = t
            .implementations
            .iter()
            .filter(|id| {
                let Some(ItemEnum::Impl(imp)) = c.index.get(id).map(|i| &i.inner) else { return false };
                !matches!(&imp.for_, Type::ResolvedPath(p) if self.render.crates.canonical(k, &p.id).is_some_and(|d| self.render.public.contains_key(&d)))
            })
            .copied()
            .collect();
        for id in foreign {
            let Some(ItemEnum::Impl(imp)) = c.index.get(&id).map(|i| &i.inner) else {
                continue;
            };
            let owner = self.render.ty(k, &imp.for_);
            self.impl_of_trait(k, &owner, imp, spec);
        }
    }

    /// A type's impls: the public items of inherent ones, and each trait impl (auto traits
    /// included) but for blanket impls of other crates, which follow from their bounds.
    fn impls(&mut self, krate: usize, path: &str, ids: &[Id], spec: bool) {
        let Some(c) = self.render.crates.get(krate) else { return };
        for id in ids {
            let Some(item) = c.index.get(id) else { continue };
            let ItemEnum::Impl(imp) = &item.inner else { continue };
            if imp.blanket_impl.is_some() || imp.is_negative {
                continue;
            }
            if let Some(t) = &imp.trait_ {
                let name = self.render.crates.canonical(krate, &t.id).unwrap_or_default();
                if (imp.is_synthetic && !AUTO_TRAITS.contains(&name.as_str()))
                    || UNNAMEABLE_TRAITS.contains(&name.as_str())
                {
                    continue;
                }
            }
            let spec = from_spec(item).unwrap_or(spec);
            if imp.trait_.is_some() {
                self.impl_of_trait(krate, path, imp, spec);
            } else {
                self.inherent(krate, path, imp, spec);
            }
        }
    }

    fn inherent(&mut self, krate: usize, path: &str, imp: &Impl, spec: bool) {
        let Some(c) = self.render.crates.get(krate) else { return };
        let r = &self.render;
        // The impl's own generics, when it has any: `impl<T> Response<T>: fn ..`.
        let prefix = if imp.generics.params.is_empty() && imp.generics.where_predicates.is_empty() {
            String::new()
        } else {
            format!(
                "impl{} {}{}: ",
                r.generics(krate, &imp.generics),
                r.ty(krate, &imp.for_),
                r.where_clause(krate, &imp.generics)
            )
        };
        let mut entries = Vec::new();
        for id in &imp.items {
            let Some(member) = c.index.get(id) else { continue };
            if member.visibility != Visibility::Public {
                continue;
            }
            let name = member.name.as_deref().unwrap_or("_");
            let spec = from_spec(member).unwrap_or(spec);
            match &member.inner {
                ItemEnum::Function(f) => {
                    entries.push((name, "method", format!("{prefix}{}", r.function(krate, name, f)), spec))
                }
                ItemEnum::AssocConst { type_, .. } => entries.push((
                    name,
                    "assoc const",
                    format!("{prefix}const {name}: {}", r.ty(krate, type_)),
                    spec,
                )),
                _ => {}
            }
        }
        for (name, kind, signature, spec) in entries {
            self.add(format!("{path}::{name}"), kind, signature, false, spec);
        }
    }

    /// `impl<..> Trait for Type where ..`, with the associated types it sets.
    fn impl_of_trait(&mut self, krate: usize, owner: &str, imp: &Impl, spec: bool) {
        let Some(trait_) = &imp.trait_ else { return };
        let Some(c) = self.render.crates.get(krate) else { return };
        let r = &self.render;
        let name = r.trait_path(krate, trait_);
        let mut assoc: Vec<String> = imp
            .items
            .iter()
            .filter_map(|id| match c.index.get(id).map(|i| (&i.name, &i.inner)) {
                Some((Some(n), ItemEnum::AssocType { type_: Some(t), .. })) => {
                    Some(format!("type {n} = {};", r.ty(krate, t)))
                }
                _ => None,
            })
            .collect();
        assoc.sort();
        let body = if assoc.is_empty() {
            String::new()
        } else {
            format!(" {{ {} }}", assoc.join(" "))
        };
        let signature = format!(
            "{}impl{} {name} for {}{}{body}",
            if imp.is_unsafe { "unsafe " } else { "" },
            r.generics(krate, &imp.generics),
            r.ty(krate, &imp.for_),
            r.where_clause(krate, &imp.generics)
        );
        let kind = if imp.is_synthetic { "auto trait impl" } else { "impl" };
        self.add(format!("{owner} impl {name}"), kind, signature, false, spec);
    }
}
