//! The public API of the hand-written runtime (`generator/runtime/*.rs`, copied into
//! `generated/src/`): `Client`, `ClientBuilder`, `Error`, `RetryPolicy`, `webhooks::*`,
//! `test_util::*` and the rest. The generated surface ([`super::Surface`]) does not see it, yet
//! a change to it is a change for users all the same, so the runtime's items are listed here,
//! each with its signature as text, and compared like the generated ones.
//!
//! What is listed is what users can reach: the `pub` items of the `pub` modules whose source is
//! a runtime file (`webhooks`, `test_util`, and inline `pub mod`s in them), the items `lib.rs`
//! re-exports (`pub use client::{Client, ..}`; a re-export of anything else, such as `reqwest`
//! or the generated `api::ApiErrorBody`, is listed as the `pub use` it is), and of each listed
//! struct, enum or trait: its `pub` fields, its variants, its trait items, the `pub` functions
//! and consts of its inherent `impl` blocks (in any runtime file), its derives and its trait
//! impls. `pub(crate)` and private items, items under `#[cfg(test)]` and `#[doc(hidden)]` items
//! are not API. Each item records the `#[cfg]` it is under (of its module, its re-export, its
//! `impl` block and its own).
//!
//! Signatures are printed by `prettyplease` and put on one line; attributes, doc comments,
//! bodies, the `mut` of a parameter binding, const values and private field types are left out,
//! and `crate::a::B` is written `B`. Other spellings of the same type (`Duration` and
//! `std::time::Duration`), a renamed parameter and a derive replaced by the same impl written by
//! hand with other bounds show as changed signatures: conservatively breaking, for review.
//!
//! Methods a `macro_rules!` arm writes into the `impl` block it is invoked in (the request
//! builders' `header`, `retry`, `timeout`, `deadline` and, for `POST`, `idempotency_key` of
//! `call_options!` in `macros.rs`) are listed as `macro method`s at `name!(arm)::method`
//! (`call_options!(post)::idempotency_key`): whichever builders invoke it, they are API. An arm
//! that uses macro variables (`$builder`) is not Rust until it is expanded, so what it writes
//! (the `IntoFuture` impls of `into_future!`, the enum and const impls) is not seen; nor are auto
//! traits (`Send`, `Sync`) and behaviour.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use syn::{Attribute, Fields, FnArg, ImplItem, Item, ItemImpl, Pat, TraitItem, Type, UseTree, Visibility, parse_quote};

use super::change::{Change, ChangeKind, Subject};

/// One item of the runtime's public API.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuntimeItem {
    /// Its identity: the path users write after `dwolla::` (`ClientBuilder::deadline`,
    /// `Error::Api`, `webhooks::WebhookSecret::new`), or for a trait impl its header without
    /// generics (`impl Clone for Client`).
    pub path: String,
    /// `struct`, `enum`, `variant`, `field`, `trait`, `trait item`, `fn`, `method`, `const`,
    /// `static`, `type alias`, `impl` or `re-export`.
    pub kind: String,
    pub signature: String,
    /// The `#[cfg(..)]` predicate it is compiled under; none when every build has it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cfg: Option<String>,
    /// A struct, enum or variant marked `#[non_exhaustive]`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub non_exhaustive: bool,
    /// Adding an item like it breaks code: a variant of an enum that is not `#[non_exhaustive]`
    /// (exhaustive matches), a field of a struct users can build with a literal (not
    /// `#[non_exhaustive]`, no private field), a trait item without a default (implementors).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub closed: bool,
}

/// The sources of the runtime crate (`generator/runtime/src/`): its `lib.rs`, then each module
/// file by module name.
const RUNTIME_LIB: &str = include_str!("../../runtime/src/lib.rs");
const RUNTIME_MODULES: &[(&str, &str)] = &[
    ("auth", include_str!("../../runtime/src/auth.rs")),
    ("client", include_str!("../../runtime/src/client.rs")),
    ("decimal", include_str!("../../runtime/src/decimal.rs")),
    ("decode", include_str!("../../runtime/src/decode.rs")),
    ("delivery", include_str!("../../runtime/src/delivery.rs")),
    ("error", include_str!("../../runtime/src/error.rs")),
    ("error_body", include_str!("../../runtime/src/error_body.rs")),
    ("execute", include_str!("../../runtime/src/execute.rs")),
    ("future", include_str!("../../runtime/src/future.rs")),
    ("hooks", include_str!("../../runtime/src/hooks.rs")),
    ("links", include_str!("../../runtime/src/links.rs")),
    ("locate", include_str!("../../runtime/src/locate.rs")),
    ("macros", include_str!("../../runtime/src/macros.rs")),
    ("managed_headers", include_str!("../../runtime/src/managed_headers.rs")),
    ("multipart", include_str!("../../runtime/src/multipart.rs")),
    ("pagination", include_str!("../../runtime/src/pagination.rs")),
    ("redact", include_str!("../../runtime/src/redact.rs")),
    ("request", include_str!("../../runtime/src/request.rs")),
    ("response", include_str!("../../runtime/src/response.rs")),
    ("retry", include_str!("../../runtime/src/retry.rs")),
    ("test_util", include_str!("../../runtime/src/test_util.rs")),
    ("transport", include_str!("../../runtime/src/transport.rs")),
    ("union", include_str!("../../runtime/src/union.rs")),
    ("webhooks", include_str!("../../runtime/src/webhooks.rs")),
];

/// The surface of the runtime compiled into this generator, sorted by path.
pub fn current() -> &'static [RuntimeItem] {
    static ITEMS: std::sync::OnceLock<Vec<RuntimeItem>> = std::sync::OnceLock::new();
    ITEMS.get_or_init(|| match surface(RUNTIME_LIB, RUNTIME_MODULES) {
        Ok(items) => items,
        Err(e) => panic!("the runtime in generator/runtime/src/ does not parse: {e}"),
    })
}

/// The public API of a crate whose root is `lib` and whose modules (one file each, by name) are
/// `modules`. Sorted by path; an error names the file that does not parse.
pub fn surface(lib: &str, modules: &[(&str, &str)]) -> Result<Vec<RuntimeItem>, String> {
    let root: syn::File = syn::parse_file(lib).map_err(|e| format!("lib.rs: {e}"))?;
    let mut files = BTreeMap::new();
    for (name, text) in modules {
        let file: syn::File = syn::parse_file(text).map_err(|e| format!("{name}.rs: {e}"))?;
        files.insert(name.to_string(), file);
    }
    let mut walk = Walk {
        files: &files,
        exported: Vec::new(),
        out: Vec::new(),
    };
    walk.root(&root);
    walk.impls(&root);
    for file in files.values() {
        walk.macro_methods(&file.items);
    }
    let mut items = walk.out;
    items.sort_by(|a, b| a.path.cmp(&b.path));
    // Two items of one path (alternatives under opposite `#[cfg]`s) keep apart by their gate.
    for i in 1..items.len() {
        if items[i].path == items[i - 1].path {
            let gate = items[i].cfg.clone().unwrap_or_default();
            items[i].path = format!("{} (cfg {gate})", items[i].path);
        }
    }
    items.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(items)
}

/// A struct, enum or trait users can name: what impls found anywhere attach to.
struct Exported {
    module: String,
    ident: String,
    path: String,
    cfg: Vec<String>,
}

struct Walk<'a> {
    files: &'a BTreeMap<String, syn::File>,
    exported: Vec<Exported>,
    out: Vec<RuntimeItem>,
}

impl Walk<'_> {
    /// `lib.rs`: its `pub mod`s of runtime files, its `pub use`s and its own `pub` items.
    fn root(&mut self, root: &syn::File) {
        let mut mod_cfg: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for item in &root.items {
            if let Item::Mod(m) = item
                && m.content.is_none()
                && !skipped(&m.attrs)
            {
                mod_cfg.insert(m.ident.to_string(), cfgs(&m.attrs));
            }
        }
        for item in &root.items {
            match item {
                Item::Mod(m) if m.content.is_none() => {
                    let name = m.ident.to_string();
                    if let (Some(file), true, false) = (self.files.get(&name), public(&m.vis), skipped(&m.attrs)) {
                        let cfg = mod_cfg.get(&name).cloned().unwrap_or_default();
                        self.module(&format!("{name}::"), &name, &file.items, &cfg);
                    }
                }
                Item::Use(u) if public(&u.vis) && !skipped(&u.attrs) => {
                    let mut leaves = Vec::new();
                    use_leaves(&u.tree, &mut Vec::new(), &mut leaves);
                    for (segments, alias) in leaves {
                        self.re_export(&segments, alias.as_deref(), &cfgs(&u.attrs), &mod_cfg);
                    }
                }
                Item::Use(_) | Item::Mod(_) => {}
                other => self.module("", "", std::slice::from_ref(other), &[]),
            }
        }
    }

    /// `pub use module::Name [as Alias]` in `lib.rs`.
    fn re_export(&mut self, segments: &[String], alias: Option<&str>, cfg: &[String], mod_cfg: &BTreeMap<String, Vec<String>>) {
        let Some(last) = segments.last() else { return };
        let name = alias.unwrap_or(last).to_owned();
        if let ([module, item], Some(file)) = (segments, self.files.get(&segments[0])) {
            let found = file.items.iter().find(|i| !skipped(attrs_of(i)) && ident_of(i).as_deref() == Some(item.as_str()));
            if let Some(found) = found {
                let mut gate = cfg.to_vec();
                gate.extend(mod_cfg.get(module).cloned().unwrap_or_default());
                self.item(&name, module, found, &gate);
                return;
            }
        }
        let source = segments.join("::");
        let signature = match alias {
            Some(a) => format!("pub use {source} as {a}"),
            None => format!("pub use {source}"),
        };
        self.push(name, "re-export", signature, cfg, false, false);
    }

    /// The `pub` items of a module (a runtime file, an inline `pub mod`, or `lib.rs`'s own).
    fn module(&mut self, prefix: &str, module: &str, items: &[Item], cfg: &[String]) {
        for item in items {
            if skipped(attrs_of(item)) {
                continue;
            }
            match item {
                Item::Use(u) if public(&u.vis) => {
                    let mut leaves = Vec::new();
                    use_leaves(&u.tree, &mut Vec::new(), &mut leaves);
                    for (segments, alias) in leaves {
                        let name = alias.clone().unwrap_or_else(|| segments.last().cloned().unwrap_or_default());
                        let source = segments.join("::");
                        let signature = match &alias {
                            Some(a) => format!("pub use {source} as {a}"),
                            None => format!("pub use {source}"),
                        };
                        let gate = [cfg, &cfgs(&u.attrs)[..]].concat();
                        self.push(format!("{prefix}{name}"), "re-export", signature, &gate, false, false);
                    }
                }
                Item::Mod(m) if public(&m.vis) => {
                    if let Some((_, inner)) = &m.content {
                        let gate = [cfg, &cfgs(&m.attrs)[..]].concat();
                        self.module(&format!("{prefix}{}::", m.ident), module, inner, &gate);
                    }
                }
                other if ident_of(other).is_some() && vis_of(other).is_some_and(public) => {
                    let name = ident_of(other).unwrap_or_default();
                    self.item(&format!("{prefix}{name}"), module, other, cfg);
                }
                _ => {}
            }
        }
    }

    /// One item users reach as `path`, defined in `module`, and what belongs to it.
    fn item(&mut self, path: &str, module: &str, item: &Item, cfg: &[String]) {
        let gate = [cfg, &cfgs(attrs_of(item))[..]].concat();
        match item {
            Item::Struct(s) => {
                let non_exhaustive = non_exhaustive(&s.attrs);
                let private = s.fields.iter().any(|f| !public(&f.vis));
                self.push(path.to_owned(), "struct", struct_text(s), &gate, non_exhaustive, false);
                if let Fields::Named(named) = &s.fields {
                    for f in named.named.iter().filter(|f| public(&f.vis) && !skipped(&f.attrs)) {
                        let ident = f.ident.as_ref().map(ToString::to_string).unwrap_or_default();
                        let field_gate = [&gate[..], &cfgs(&f.attrs)[..]].concat();
                        let signature = format!("pub {ident}: {}", type_text(&f.ty));
                        let closed = !non_exhaustive && !private;
                        self.push(format!("{path}::{ident}"), "field", signature, &field_gate, false, closed);
                    }
                }
                self.derives(&s.attrs, &s.ident, &s.generics, &gate);
                self.export(module, &s.ident, path, &gate);
            }
            Item::Enum(e) => {
                let non_exhaustive = non_exhaustive(&e.attrs);
                let header = format!("pub enum {}{}", e.ident, generics_text(&e.generics));
                self.push(path.to_owned(), "enum", header, &gate, non_exhaustive, false);
                for v in e.variants.iter().filter(|v| !skipped(&v.attrs)) {
                    let variant_gate = [&gate[..], &cfgs(&v.attrs)[..]].concat();
                    let (name, text) = (format!("{path}::{}", v.ident), variant_text(v));
                    self.push(name, "variant", text, &variant_gate, self::non_exhaustive(&v.attrs), !non_exhaustive);
                }
                self.derives(&e.attrs, &e.ident, &e.generics, &gate);
                self.export(module, &e.ident, path, &gate);
            }
            Item::Trait(t) => {
                let mut header = t.clone();
                header.attrs.clear();
                header.items.clear();
                self.push(path.to_owned(), "trait", braces_off(&print(Item::Trait(header))), &gate, false, false);
                for ti in &t.items {
                    self.trait_item(path, ti, &gate);
                }
                self.export(module, &t.ident, path, &gate);
            }
            Item::Fn(f) => self.push(path.to_owned(), "fn", fn_text(&f.vis, &f.sig), &gate, false, false),
            Item::Const(c) => {
                let signature = format!("pub const {}: {}", c.ident, type_text(&c.ty));
                self.push(path.to_owned(), "const", signature, &gate, false, false);
            }
            Item::Static(s) => {
                let signature = format!("pub static {}: {}", s.ident, type_text(&s.ty));
                self.push(path.to_owned(), "static", signature, &gate, false, false);
            }
            Item::Type(t) => {
                let mut alias = t.clone();
                alias.attrs.clear();
                self.push(path.to_owned(), "type alias", print(Item::Type(alias)), &gate, false, false);
            }
            _ => {}
        }
    }

    /// A trait's method, const or type; one without a default is required of implementors.
    fn trait_item(&mut self, path: &str, item: &TraitItem, gate: &[String]) {
        let (ident, text, has_default, attrs) = match item {
            TraitItem::Fn(f) => (f.sig.ident.to_string(), fn_text(&Visibility::Inherited, &f.sig), f.default.is_some(), &f.attrs),
            TraitItem::Const(c) => {
                let text = format!("const {}: {}", c.ident, type_text(&c.ty));
                (c.ident.to_string(), text, c.default.is_some(), &c.attrs)
            }
            TraitItem::Type(t) => {
                let mut bare = t.clone();
                bare.attrs.clear();
                bare.default = None;
                let text = print_trait_item(TraitItem::Type(bare));
                (t.ident.to_string(), text, t.default.is_some(), &t.attrs)
            }
            _ => return,
        };
        if skipped(attrs) {
            return;
        }
        let text = if has_default { format!("{text} {{ .. }}") } else { text };
        let item_gate = [gate, &cfgs(attrs)[..]].concat();
        self.push(format!("{path}::{ident}"), "trait item", text, &item_gate, false, !has_default);
    }

    /// `#[derive(..)]` as the impls it writes (a type parameter bound by the trait, as derives do).
    fn derives(&mut self, attrs: &[Attribute], ident: &syn::Ident, generics: &syn::Generics, gate: &[String]) {
        for name in derived_traits(attrs) {
            let trait_path: syn::Path = match syn::parse_str(&name) {
                Ok(p) => p,
                Err(_) => continue,
            };
            let mut bounded = generics.clone();
            for param in bounded.type_params_mut() {
                param.bounds.push(parse_quote!(#trait_path));
            }
            let (impl_generics, _, where_clause) = bounded.split_for_impl();
            let (_, ty_generics, _) = generics.split_for_impl();
            let imp: ItemImpl = parse_quote!(impl #impl_generics #trait_path for #ident #ty_generics #where_clause {});
            let self_ty: Type = parse_quote!(#ident #ty_generics);
            let key = format!("impl {name} for {}", type_text(&self_ty));
            self.push(key, "impl", impl_text(&imp), gate, false, false);
        }
    }

    fn export(&mut self, module: &str, ident: &syn::Ident, path: &str, cfg: &[String]) {
        self.exported.push(Exported {
            module: module.to_owned(),
            ident: ident.to_string(),
            path: path.to_owned(),
            cfg: cfg.to_vec(),
        });
    }

    /// The types and traits an `impl` in `module` that names `ident` may be about: the one of
    /// that module, or, when the module defines no item of that name, the one it imports.
    fn exported_named(&self, module: &str, ident: &str) -> Option<&Exported> {
        let mut candidates = self.exported.iter().filter(|e| e.ident == ident);
        let defines = |m: &str| {
            let items = if m.is_empty() { None } else { self.files.get(m).map(|f| &f.items) };
            items.is_some_and(|items| items.iter().any(|i| ident_of(i).as_deref() == Some(ident)))
        };
        if defines(module) {
            candidates.find(|e| e.module == module)
        } else {
            candidates.next()
        }
    }

    /// Every top-level `impl` of every runtime file (and `lib.rs`) for a listed type or of a
    /// listed trait: the `pub` members of inherent impls, and trait impls as their headers.
    fn impls(&mut self, root: &syn::File) {
        let files = self.files;
        let all = files.iter().map(|(m, f)| (m.as_str(), &f.items)).chain([("", &root.items)]);
        for (module, items) in all {
            for item in items {
                let Item::Impl(imp) = item else { continue };
                if skipped(&imp.attrs) {
                    continue;
                }
                let self_name = last_ident(&imp.self_ty);
                let on_type = self_name.as_deref().and_then(|n| self.exported_named(module, n));
                match &imp.trait_ {
                    None => {
                        if let Some(t) = on_type {
                            let (path, gate) = (t.path.clone(), [&t.cfg[..], &cfgs(&imp.attrs)[..]].concat());
                            self.inherent(&path, imp, &gate);
                        }
                    }
                    Some((_, trait_path, _)) => {
                        let trait_name = trait_path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default();
                        let of_trait = self.exported_named(module, &trait_name);
                        let Some(anchor) = on_type.or(of_trait) else { continue };
                        let gate = [&anchor.cfg[..], &cfgs(&imp.attrs)[..]].concat();
                        let (key, text) = (impl_key(imp), impl_text(imp));
                        self.push(key, "impl", text, &gate, false, false);
                    }
                }
            }
        }
    }

    /// The `pub` functions and consts of an inherent `impl` of the type users reach as `path`.
    fn inherent(&mut self, path: &str, imp: &ItemImpl, gate: &[String]) {
        let generic = !imp.generics.params.is_empty() || imp.generics.where_clause.is_some();
        let header = {
            let mut bare = imp.clone();
            bare.attrs.clear();
            bare.items.clear();
            braces_off(&print(Item::Impl(bare)))
        };
        for member in &imp.items {
            let (ident, kind, text, attrs) = match member {
                ImplItem::Fn(f) if public(&f.vis) => (f.sig.ident.to_string(), "method", fn_text(&f.vis, &f.sig), &f.attrs),
                ImplItem::Const(c) if public(&c.vis) => {
                    let text = format!("pub const {}: {}", c.ident, type_text(&c.ty));
                    (c.ident.to_string(), "const", text, &c.attrs)
                }
                _ => continue,
            };
            if skipped(attrs) {
                continue;
            }
            let text = if generic { format!("{header} {{ {text} }}") } else { text };
            let member_gate = [gate, &cfgs(attrs)[..]].concat();
            self.push(format!("{path}::{ident}"), kind, text, &member_gate, false, false);
        }
    }

    /// The `pub fn`s each arm of each `macro_rules!` in `items` writes, where the arm is Rust as
    /// it stands (no macro variables): see the module's documentation.
    fn macro_methods(&mut self, items: &[Item]) {
        for item in items {
            let Item::Macro(m) = item else { continue };
            let Some(name) = m.ident.as_ref().filter(|_| m.mac.path.is_ident("macro_rules")) else { continue };
            if skipped(&m.attrs) {
                continue;
            }
            for (matcher, body) in macro_arms(m.mac.tokens.clone()) {
                let Ok(imp) = syn::parse2::<ItemImpl>(quote::quote!(impl Builder { #body })) else { continue };
                for member in &imp.items {
                    let ImplItem::Fn(f) = member else { continue };
                    if public(&f.vis) && !skipped(&f.attrs) {
                        let path = format!("{name}!({matcher})::{}", f.sig.ident);
                        self.push(path, "macro method", fn_text(&f.vis, &f.sig), &cfgs(&f.attrs), false, false);
                    }
                }
            }
        }
    }

    fn push(&mut self, path: String, kind: &str, signature: String, cfg: &[String], non_exhaustive: bool, closed: bool) {
        self.out.push(RuntimeItem {
            path,
            kind: kind.to_owned(),
            signature,
            cfg: cfg_text(cfg),
            non_exhaustive,
            closed,
        });
    }
}

/// The arms of a `macro_rules!` body (`(matcher) => { body };` ..): each matcher as text
/// (`post`, or empty) and its body.
fn macro_arms(tokens: proc_macro2::TokenStream) -> Vec<(String, proc_macro2::TokenStream)> {
    use proc_macro2::TokenTree;
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let mut arms = Vec::new();
    let mut rest = &tokens[..];
    while let [TokenTree::Group(matcher), TokenTree::Punct(eq), TokenTree::Punct(gt), TokenTree::Group(body), tail @ ..] =
        rest
    {
        if eq.as_char() != '=' || gt.as_char() != '>' {
            break;
        }
        arms.push((matcher.stream().to_string(), body.stream()));
        rest = match tail {
            [TokenTree::Punct(semi), after @ ..] if semi.as_char() == ';' => after,
            _ => tail,
        };
    }
    arms
}

/// The leaves of a `use` tree: each path's segments and its `as` name.
fn use_leaves(tree: &UseTree, prefix: &mut Vec<String>, out: &mut Vec<(Vec<String>, Option<String>)>) {
    match tree {
        UseTree::Path(p) => {
            prefix.push(p.ident.to_string());
            use_leaves(&p.tree, prefix, out);
            prefix.pop();
        }
        UseTree::Name(n) => out.push(([&prefix[..], &[n.ident.to_string()]].concat(), None)),
        UseTree::Rename(r) => out.push(([&prefix[..], &[r.ident.to_string()]].concat(), Some(r.rename.to_string()))),
        UseTree::Glob(_) => out.push(([&prefix[..], &["*".to_owned()]].concat(), None)),
        UseTree::Group(g) => g.items.iter().for_each(|t| use_leaves(t, prefix, out)),
    }
}

fn public(vis: &Visibility) -> bool {
    matches!(vis, Visibility::Public(_))
}

fn ident_of(item: &Item) -> Option<String> {
    match item {
        Item::Struct(i) => Some(i.ident.to_string()),
        Item::Enum(i) => Some(i.ident.to_string()),
        Item::Trait(i) => Some(i.ident.to_string()),
        Item::Fn(i) => Some(i.sig.ident.to_string()),
        Item::Const(i) => Some(i.ident.to_string()),
        Item::Static(i) => Some(i.ident.to_string()),
        Item::Type(i) => Some(i.ident.to_string()),
        Item::Union(i) => Some(i.ident.to_string()),
        _ => None,
    }
}

fn vis_of(item: &Item) -> Option<&Visibility> {
    match item {
        Item::Struct(i) => Some(&i.vis),
        Item::Enum(i) => Some(&i.vis),
        Item::Trait(i) => Some(&i.vis),
        Item::Fn(i) => Some(&i.vis),
        Item::Const(i) => Some(&i.vis),
        Item::Static(i) => Some(&i.vis),
        Item::Type(i) => Some(&i.vis),
        _ => None,
    }
}

fn attrs_of(item: &Item) -> &[Attribute] {
    match item {
        Item::Struct(i) => &i.attrs,
        Item::Enum(i) => &i.attrs,
        Item::Trait(i) => &i.attrs,
        Item::Fn(i) => &i.attrs,
        Item::Const(i) => &i.attrs,
        Item::Static(i) => &i.attrs,
        Item::Type(i) => &i.attrs,
        Item::Impl(i) => &i.attrs,
        Item::Mod(i) => &i.attrs,
        Item::Use(i) => &i.attrs,
        _ => &[],
    }
}

/// The predicates of an item's `#[cfg(..)]` attributes (not `cfg_attr`).
fn cfgs(attrs: &[Attribute]) -> Vec<String> {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("cfg"))
        .filter_map(|a| a.meta.require_list().ok())
        .map(|l| tidy(&l.tokens.to_string()))
        .collect()
}

/// One predicate for all of an item's gates, or none when every build has it.
fn cfg_text(cfg: &[String]) -> Option<String> {
    let set: BTreeSet<&String> = cfg.iter().collect();
    match set.len() {
        0 => None,
        1 => set.into_iter().next().cloned(),
        _ => Some(format!("all({})", set.into_iter().cloned().collect::<Vec<_>>().join(", "))),
    }
}

/// Not API: test code (`#[cfg(test)]`, `#[cfg(all(test, ..))]`) and `#[doc(hidden)]` items.
fn skipped(attrs: &[Attribute]) -> bool {
    let words = |a: &Attribute| -> Vec<String> {
        let Ok(list) = a.meta.require_list() else { return Vec::new() };
        list.tokens.clone().into_iter().map(|t| t.to_string()).collect()
    };
    attrs.iter().any(|a| {
        let words = words(a);
        (a.path().is_ident("cfg") && (words == ["test"] || words.first().is_some_and(|w| w == "all") && all_has_test(a)))
            || (a.path().is_ident("doc") && words == ["hidden"])
    })
}

/// `#[cfg(all(test, ..))]`.
fn all_has_test(a: &Attribute) -> bool {
    let Ok(list) = a.meta.require_list() else { return false };
    list.tokens.clone().into_iter().any(|t| match t {
        proc_macro2::TokenTree::Group(g) => g.stream().into_iter().any(|t| t.to_string() == "test"),
        _ => false,
    })
}

fn non_exhaustive(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|a| a.path().is_ident("non_exhaustive"))
}

/// The traits of `#[derive(..)]`, by last path segment; `thiserror::Error` writes `Display` too.
fn derived_traits(attrs: &[Attribute]) -> Vec<String> {
    let mut out = Vec::new();
    for a in attrs.iter().filter(|a| a.path().is_ident("derive")) {
        let paths = a.parse_args_with(syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated);
        for p in paths.into_iter().flatten() {
            let full = p.segments.iter().map(|s| s.ident.to_string()).collect::<Vec<_>>().join("::");
            let last = p.segments.last().map(|s| s.ident.to_string()).unwrap_or_default();
            if full == "thiserror::Error" {
                out.push("Display".to_owned());
            }
            out.push(last);
        }
    }
    out
}

fn last_ident(ty: &Type) -> Option<String> {
    match ty {
        Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// A trait impl's identity: `impl Trait<Args> for Type`, the trait by its last segment.
fn impl_key(imp: &ItemImpl) -> String {
    let Some((bang, path, _)) = &imp.trait_ else {
        return String::new();
    };
    let last: Type = match path.segments.last() {
        Some(seg) => Type::Path(syn::TypePath {
            qself: None,
            path: syn::Path::from(seg.clone()),
        }),
        None => return String::new(),
    };
    let bang = if bang.is_some() { "!" } else { "" };
    format!("impl {bang}{} for {}", type_text(&last), type_text(&imp.self_ty))
}

/// A trait impl's header (trait by its last segment) with its associated types.
fn impl_text(imp: &ItemImpl) -> String {
    let mut bare = imp.clone();
    bare.attrs.clear();
    if let Some((_, path, _)) = &mut bare.trait_
        && let Some(last) = path.segments.last().cloned()
    {
        *path = syn::Path::from(last);
    }
    bare.items.retain(|i| matches!(i, ImplItem::Type(_)));
    for i in &mut bare.items {
        if let ImplItem::Type(t) = i {
            t.attrs.clear();
        }
    }
    braces_off(&print(Item::Impl(bare)))
}

fn struct_text(s: &syn::ItemStruct) -> String {
    let head = format!("pub struct {}{}", s.ident, generics_text(&s.generics));
    match &s.fields {
        Fields::Named(f) if f.named.iter().any(|f| !public(&f.vis)) => format!("{head} {{ .. }}"),
        Fields::Named(_) => format!("{head} {{}}"),
        Fields::Unnamed(f) => {
            let fields: Vec<String> = f
                .unnamed
                .iter()
                .map(|f| if public(&f.vis) { format!("pub {}", type_text(&f.ty)) } else { "_".to_owned() })
                .collect();
            format!("{head}({})", fields.join(", "))
        }
        Fields::Unit => format!("{head};"),
    }
}

fn variant_text(v: &syn::Variant) -> String {
    let fields = |named: bool, fields: &mut dyn Iterator<Item = &syn::Field>| -> Vec<String> {
        fields
            .map(|f| match (&f.ident, named) {
                (Some(i), true) => format!("{i}: {}", type_text(&f.ty)),
                _ => type_text(&f.ty),
            })
            .collect()
    };
    let body = match &v.fields {
        Fields::Named(f) => format!(" {{ {} }}", fields(true, &mut f.named.iter()).join(", ")),
        Fields::Unnamed(f) => format!("({})", fields(false, &mut f.unnamed.iter()).join(", ")),
        Fields::Unit => String::new(),
    };
    let value = v.discriminant.as_ref().map(|(_, e)| format!(" = {}", tidy(&quote::ToTokens::to_token_stream(e).to_string())));
    format!("{}{body}{}", v.ident, value.unwrap_or_default())
}

/// A function's signature: no attributes, no body, no `mut` on bindings.
fn fn_text(vis: &Visibility, sig: &syn::Signature) -> String {
    let mut sig = sig.clone();
    for input in &mut sig.inputs {
        match input {
            FnArg::Receiver(r) => {
                r.attrs.clear();
                if r.reference.is_none() {
                    r.mutability = None;
                }
            }
            FnArg::Typed(t) => {
                t.attrs.clear();
                if let Pat::Ident(p) = &mut *t.pat {
                    p.mutability = None;
                }
            }
        }
    }
    let item = syn::ItemFn {
        attrs: Vec::new(),
        vis: vis.clone(),
        sig,
        block: Box::new(parse_quote!({})),
    };
    braces_off(&print(Item::Fn(item)))
}

fn type_text(ty: &Type) -> String {
    let text = print(parse_quote!(type __ = #ty;));
    text.strip_prefix("type __ = ")
        .and_then(|t| t.strip_suffix(';'))
        .unwrap_or(&text)
        .to_owned()
}

fn generics_text(generics: &syn::Generics) -> String {
    let where_clause = &generics.where_clause;
    let text = print(parse_quote!(struct __ #generics #where_clause;));
    text.strip_prefix("struct __")
        .and_then(|t| t.strip_suffix(';'))
        .unwrap_or(&text)
        .to_owned()
}

fn print_trait_item(item: TraitItem) -> String {
    let text = print(parse_quote!(trait __ { #item }));
    text.strip_prefix("trait __ { ")
        .and_then(|t| t.strip_suffix(" }"))
        .unwrap_or(&text)
        .to_owned()
}

/// `text` without the empty body prettyplease gives an item printed without its contents.
fn braces_off(text: &str) -> String {
    text.strip_suffix(" {}").unwrap_or(text).to_owned()
}

/// An item as prettyplease prints it, on one line.
fn print(item: Item) -> String {
    let file = syn::File {
        shebang: None,
        attrs: Vec::new(),
        items: vec![item],
    };
    tidy(&prettyplease::unparse(&file))
}

/// Text on one line, without the spaces and trailing commas a line break leaves, and with
/// `crate::a::B` written `B`.
fn tidy(text: &str) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let line = line
        .replace("( ", "(")
        .replace(", )", ")")
        .replace(",)", ")")
        .replace(", {", " {")
        .replace(", }", " }");
    without_crate_paths(&line)
}

/// `crate::a::B` → `B`: the runtime's items are reached from the crate root whatever module
/// defines them.
fn without_crate_paths(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("crate::") {
        let word_start = at == 0 || !rest[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_');
        out.push_str(&rest[..at]);
        if !word_start {
            out.push_str("crate::");
            rest = &rest[at + "crate::".len()..];
            continue;
        }
        rest = &rest[at + "crate::".len()..];
        // Drop `module::` segments while another segment follows.
        loop {
            let len = rest.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(rest.len());
            if len > 0 && rest[len..].starts_with("::") {
                rest = &rest[len + 2..];
            } else {
                break;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The changes from `old` to `new`, by path. Items under an item added or removed (its fields,
/// variants, methods) go with it and are not listed again.
pub fn diff(old: &[RuntimeItem], new: &[RuntimeItem], out: &mut Vec<Change>) {
    let old_by: BTreeMap<&str, &RuntimeItem> = old.iter().map(|i| (i.path.as_str(), i)).collect();
    let new_by: BTreeMap<&str, &RuntimeItem> = new.iter().map(|i| (i.path.as_str(), i)).collect();
    let gone: BTreeSet<&str> = old_by.keys().filter(|p| !new_by.contains_key(*p)).copied().collect();
    let came: BTreeSet<&str> = new_by.keys().filter(|p| !old_by.contains_key(*p)).copied().collect();
    let under = |path: &str, set: &BTreeSet<&str>| {
        path.match_indices("::").any(|(i, _)| set.contains(&path[..i]))
    };
    let mut push = |path: &str, kind: ChangeKind| {
        out.push(Change {
            subject: Subject::Runtime { path: path.to_owned() },
            kind,
        })
    };
    for (path, o) in &old_by {
        match new_by.get(path) {
            None if under(path, &gone) => {}
            None => push(path, ChangeKind::RuntimeRemoved {
                kind: o.kind.clone(),
                signature: o.signature.clone(),
            }),
            Some(n) => {
                if o.signature != n.signature || o.kind != n.kind {
                    push(path, ChangeKind::RuntimeChanged {
                        kind: n.kind.clone(),
                        from: o.signature.clone(),
                        to: n.signature.clone(),
                    });
                }
                if o.non_exhaustive != n.non_exhaustive {
                    push(path, ChangeKind::RuntimeNonExhaustive {
                        kind: n.kind.clone(),
                        now: n.non_exhaustive,
                    });
                }
                if o.cfg != n.cfg {
                    push(path, ChangeKind::RuntimeGateChanged {
                        from: o.cfg.clone(),
                        to: n.cfg.clone(),
                    });
                }
            }
        }
    }
    for path in &came {
        if under(path, &came) {
            continue;
        }
        let n = new_by[path];
        push(path, ChangeKind::RuntimeAdded {
            kind: n.kind.clone(),
            signature: n.signature.clone(),
            closed: n.closed,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Report;

    const LIB: &str = "mod client;\n#[cfg(feature = \"events\")]\npub mod webhooks;\npub use client::{Client, ClientBuilder, Error};\n";

    const CLIENT: &str = r#"
        pub struct Client { inner: u8 }
        #[derive(Debug, Default)]
        pub struct ClientBuilder { timeout: Option<u64> }
        impl Client { pub fn builder() -> ClientBuilder { ClientBuilder::default() } pub(crate) fn private(&self) {} }
        impl ClientBuilder { pub fn timeout(mut self, t: u64) -> Self { self.timeout = Some(t); self } }
        impl ClientBuilder { pub fn build(self) -> Result<Client, Error> { Ok(Client { inner: 0 }) } }
        #[non_exhaustive]
        pub enum Error { Api { status: u16 }, Config(String) }
        pub struct Hidden;
        #[cfg(test)]
        impl Client { pub fn only_in_tests(&self) {} }
    "#;

    const WEBHOOKS: &str = r#"
        pub struct WebhookSecret(String);
        impl WebhookSecret { pub fn new(secret: impl Into<String>) -> Self { WebhookSecret(secret.into()) } }
    "#;

    fn items(client: &str, webhooks: &str) -> Vec<RuntimeItem> {
        surface(LIB, &[("client", client), ("webhooks", webhooks)]).unwrap_or_else(|e| panic!("{e}"))
    }

    fn changes(client: &str, webhooks: &str) -> Report {
        let mut changes = Vec::new();
        diff(&items(CLIENT, WEBHOOKS), &items(client, webhooks), &mut changes);
        Report { changes }
    }

    /// The one change, as `(path, breaking, what CHANGES.md says of it)`.
    fn only(report: &Report) -> (String, bool, String) {
        let [c] = report.changes.as_slice() else { panic!("{report:#?}") };
        let Subject::Runtime { path } = &c.subject else { panic!("{c:?}") };
        (path.clone(), c.breaking(), c.kind.describe())
    }

    #[test]
    fn reachable_items_only_with_their_signatures_and_gates() {
        let all = items(CLIENT, WEBHOOKS);
        let paths: Vec<&str> = all.iter().map(|i| i.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "Client",
                "Client::builder",
                "ClientBuilder",
                "ClientBuilder::build",
                "ClientBuilder::timeout",
                "Error",
                "Error::Api",
                "Error::Config",
                "impl Debug for ClientBuilder",
                "impl Default for ClientBuilder",
                "webhooks::WebhookSecret",
                "webhooks::WebhookSecret::new",
            ]
        );
        let get = |p: &str| all.iter().find(|i| i.path == p).unwrap_or_else(|| panic!("{p}"));
        assert_eq!(get("ClientBuilder::timeout").signature, "pub fn timeout(self, t: u64) -> Self");
        assert_eq!(get("Client").signature, "pub struct Client { .. }");
        assert_eq!(get("Error::Api").signature, "Api { status: u16 }");
        assert!(get("Error").non_exhaustive && !get("Error::Api").closed);
        assert_eq!(get("webhooks::WebhookSecret").signature, "pub struct WebhookSecret(_)");
        assert_eq!(get("webhooks::WebhookSecret::new").cfg.as_deref(), Some("feature = \"events\""));
    }

    // Each arm on one line, so that the methods in this text are not read as functions of
    // this file by line-based tools.
    const MACROS: &str = r#"
        macro_rules! call_options {
            (post) => { pub fn idempotency_key(mut self, key: String) -> Self { self.key = key; self } crate::macros::call_options!(); };
            () => { pub fn timeout(mut self, t: u64) -> Self { self.t = t; self } pub(crate) fn private(self) -> Self { self } #[doc(hidden)] pub fn hidden(self) -> Self { self } }
        }
        macro_rules! into_future {
            ($builder:ident => $ok:ty) => { impl IntoFuture for $builder { type Output = $ok; } pub fn not_rust_yet(self) -> $ok { todo!() } };
        }
        pub(crate) use call_options;
    "#;

    fn macro_methods(macros: &str) -> Vec<RuntimeItem> {
        let all = surface(LIB, &[("client", CLIENT), ("macros", macros)]).unwrap_or_else(|e| panic!("{e}"));
        all.into_iter().filter(|i| i.kind == "macro method").collect()
    }

    #[test]
    fn methods_a_macro_writes_are_listed_by_macro_and_arm() {
        let listed = macro_methods(MACROS);
        let paths: Vec<(&str, &str)> = listed.iter().map(|i| (i.path.as_str(), i.signature.as_str())).collect();
        assert_eq!(
            paths,
            [
                ("call_options!()::timeout", "pub fn timeout(self, t: u64) -> Self"),
                ("call_options!(post)::idempotency_key", "pub fn idempotency_key(self, key: String) -> Self"),
            ]
        );
        // One of them removed is a breaking change like any removed method.
        let without = MACROS.replace("pub fn timeout(mut self, t: u64) -> Self { self.t = t; self }", "");
        let mut changes = Vec::new();
        diff(&listed, &macro_methods(&without), &mut changes);
        let (path, breaking, text) = only(&Report { changes });
        assert_eq!(path, "call_options!()::timeout");
        assert!(breaking, "{text}");
    }

    #[test]
    fn a_removed_method_breaks() {
        let client = CLIENT.replace("pub fn timeout(mut self, t: u64) -> Self { self.timeout = Some(t); self }", "");
        let (path, breaking, text) = only(&changes(&client, WEBHOOKS));
        assert_eq!(path, "ClientBuilder::timeout");
        assert!(breaking);
        assert_eq!(text, "method removed: `pub fn timeout(self, t: u64) -> Self`");
    }

    #[test]
    fn a_changed_signature_breaks_and_says_both() {
        let webhooks = WEBHOOKS.replace("-> Self { WebhookSecret(secret.into()) }", "-> Result<Self, String> { Ok(WebhookSecret(secret.into())) }");
        let (path, breaking, text) = only(&changes(CLIENT, &webhooks));
        assert_eq!(path, "webhooks::WebhookSecret::new");
        assert!(breaking);
        assert_eq!(
            text,
            "method changed: `pub fn new(secret: impl Into<String>) -> Self` → \
             `pub fn new(secret: impl Into<String>) -> Result<Self, String>`"
        );
        // Only the binding's `mut`, a body or a private item changed: nothing to report.
        let same = CLIENT.replace("pub fn build(self)", "pub fn build(mut self)").replace("pub struct Hidden;", "struct Hidden;");
        assert!(changes(&same, WEBHOOKS).changes.is_empty());
    }

    #[test]
    fn a_removed_variant_breaks_and_an_added_one_breaks_only_an_exhaustive_enum() {
        let (path, breaking, text) = only(&changes(&CLIENT.replace(", Config(String)", ""), WEBHOOKS));
        assert_eq!((path.as_str(), breaking), ("Error::Config", true));
        assert_eq!(text, "variant removed: `Config(String)`");

        let added = CLIENT.replace("Config(String) }", "Config(String), Timeout }");
        assert!(!only(&changes(&added, WEBHOOKS)).1, "#[non_exhaustive]");
        let exhaustive = |c: &str| c.replace("#[non_exhaustive]\n", "");
        let mut changes_exhaustive = Vec::new();
        diff(&items(&exhaustive(CLIENT), WEBHOOKS), &items(&exhaustive(&added), WEBHOOKS), &mut changes_exhaustive);
        assert!(changes_exhaustive.iter().all(Change::breaking) && changes_exhaustive.len() == 1);

        // `#[non_exhaustive]` added breaks; removed does not, and is an addition.
        let (_, breaking, text) = only(&changes(&exhaustive(CLIENT), WEBHOOKS));
        assert!(!breaking);
        assert_eq!(text, "enum no longer `#[non_exhaustive]`");
        let mut back = Vec::new();
        diff(&items(&exhaustive(CLIENT), WEBHOOKS), &items(CLIENT, WEBHOOKS), &mut back);
        assert!(back.len() == 1 && back[0].breaking());
    }

    #[test]
    fn an_added_method_is_an_addition_and_a_new_gate_breaks() {
        let client = CLIENT.replace("pub(crate) fn private(&self) {}", "pub fn base_url(&self) -> &str { \"\" }");
        let report = changes(&client, WEBHOOKS);
        let (path, breaking, text) = only(&report);
        assert_eq!((path.as_str(), breaking), ("Client::base_url", false));
        assert_eq!(text, "method added: `pub fn base_url(&self) -> &str`");
        assert_eq!(crate::report::Bump::of(&report), crate::report::Bump::Minor);

        let gated = CLIENT.replace("pub fn builder()", "#[cfg(feature = \"x\")] pub fn builder()");
        let (path, breaking, text) = only(&changes(&gated, WEBHOOKS));
        assert_eq!((path.as_str(), breaking), ("Client::builder", true));
        assert_eq!(text, "compiled under `#[cfg(feature = \"x\")]` (was in every build)");
    }

    #[test]
    fn a_removed_type_is_one_change() {
        let client = CLIENT.replace("pub enum Error { Api { status: u16 }, Config(String) }", "pub struct Error;");
        let lib = LIB.replace(", Error}", "}");
        let new = surface(&lib, &[("client", &client), ("webhooks", WEBHOOKS)]).unwrap_or_else(|e| panic!("{e}"));
        let mut changes = Vec::new();
        diff(&items(CLIENT, WEBHOOKS), &new, &mut changes);
        let paths: Vec<String> = changes.iter().map(|c| format!("{:?}", c.subject)).collect();
        assert_eq!(paths, [r#"Runtime { path: "Error" }"#], "its variants go with it");
    }

    #[test]
    fn the_current_runtime_lists_what_users_call() {
        let all = current();
        let get = |p: &str| all.iter().find(|i| i.path == p).unwrap_or_else(|| panic!("{p} is not listed"));
        assert_eq!(get("Client::builder").signature, "pub fn builder() -> ClientBuilder");
        assert_eq!(
            get("ClientBuilder::deadline").signature,
            "impl<C> ClientBuilder<C> { pub fn deadline(self, deadline: Duration) -> Self }"
        );
        assert_eq!(get("Error::Api").kind, "variant");
        assert!(get("Error").non_exhaustive);
        let secret = get("webhooks::WebhookSecret::new");
        assert_eq!(secret.signature, "pub fn new(secret: impl Into<String>) -> Result<Self, WebhookError>");
        assert_eq!(secret.cfg, None, "verifying needs no feature");
        // The runtime's `parse`, generic over the event type, needs no feature; the generated
        // crate's wrapper over it (behind `events`) is not among the runtime's sources read here.
        assert_eq!(get("webhooks::parse").cfg.as_deref(), None);
        assert_eq!(get("test_util::MockDwolla").cfg.as_deref(), Some("feature = \"test-util\""));
        assert!(get("TokenProvider::token").closed, "implementors must write it");
        get("impl Clone for Client");
        // Not API: crate-private items, and public items of private modules not re-exported.
        assert!(all.iter().all(|i| !i.path.starts_with("Client::execute") && !i.path.contains("REFRESH_MARGIN")));
        let mut paths: Vec<&str> = all.iter().map(|i| i.path.as_str()).collect();
        paths.dedup();
        assert_eq!(paths.len(), all.len(), "paths are unique and sorted");
        assert!(paths.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn crate_paths_are_written_from_the_root() {
        assert_eq!(without_crate_paths("Option<crate::retry::RetryPolicy>"), "Option<RetryPolicy>");
        assert_eq!(without_crate_paths("my_crate::a::B"), "my_crate::a::B");
    }
}
