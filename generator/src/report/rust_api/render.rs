//! Rust types, bounds and signatures out of rustdoc's JSON, written one way whatever way the
//! source spelled them: a path is the item's public path (`dwolla::Error`) or, for another
//! crate's item, where it is defined (`core::time::Duration`, however it was imported), and
//! a type alias of a crate read is replaced by the type it stands for. Two signatures are the
//! same API exactly when their texts are equal.

use std::collections::HashMap;

use rustdoc_types::{
    AssocItemConstraint, AssocItemConstraintKind, FunctionHeader, FunctionSignature, GenericArg, GenericArgs,
    GenericBound, GenericParamDef, GenericParamDefKind, Generics, ItemEnum, Path, PreciseCapturingArg, Term,
    TraitBoundModifier, Type, WherePredicate,
};

use super::crates::{Crates, Loc};

/// How deep a type alias may refer to another before the renderer stops following: far more
/// than any real chain, and a bound on a cycle.
const ALIAS_DEPTH: usize = 16;

/// Renders what one crate's JSON says, naming items by the public paths found for them.
pub(super) struct Render<'a> {
    pub crates: &'a Crates,
    /// Public path of each item, by where it is defined (`dwolla_runtime::error::Error`).
    pub public: &'a HashMap<String, String>,
}

/// The generic parameters a type alias is being expanded with: each parameter's rendered
/// argument.
type Substitution = HashMap<String, String>;

impl Render<'_> {
    /// A type, written in `krate`'s JSON.
    pub fn ty(&self, krate: usize, t: &Type) -> String {
        self.ty_in(krate, t, &Substitution::new(), 0)
    }

    fn ty_in(&self, krate: usize, t: &Type, subst: &Substitution, depth: usize) -> String {
        let ty = |t: &Type| self.ty_in(krate, t, subst, depth);
        match t {
            Type::ResolvedPath(p) => self.resolved(krate, p, subst, depth),
            Type::DynTrait(d) => {
                let mut parts: Vec<String> = d
                    .traits
                    .iter()
                    .map(|p| {
                        format!(
                            "{}{}",
                            self.for_lifetimes(krate, &p.generic_params),
                            self.path(krate, &p.trait_, subst, depth)
                        )
                    })
                    .collect();
                parts.extend(d.lifetime.iter().cloned());
                format!("dyn {}", parts.join(" + "))
            }
            Type::Generic(name) => subst.get(name).cloned().unwrap_or_else(|| name.clone()),
            Type::Primitive(name) => name.clone(),
            Type::FunctionPointer(f) => format!(
                "{}{}fn{}",
                self.for_lifetimes(krate, &f.generic_params),
                header(&f.header),
                self.sig(krate, &f.sig, subst, depth)
            ),
            Type::Tuple(items) if items.len() == 1 => format!("({},)", ty(&items[0])),
            Type::Tuple(items) => format!("({})", items.iter().map(ty).collect::<Vec<_>>().join(", ")),
            Type::Slice(inner) => format!("[{}]", ty(inner)),
            Type::Array { type_, len } => format!("[{}; {len}]", ty(type_)),
            Type::Pat { type_, .. } => ty(type_),
            Type::ImplTrait(bounds) => format!("impl {}", self.bounds_in(krate, bounds, subst, depth)),
            Type::Infer => "_".to_owned(),
            Type::RawPointer { is_mutable, type_ } => {
                format!("*{} {}", if *is_mutable { "mut" } else { "const" }, ty(type_))
            }
            Type::BorrowedRef {
                lifetime,
                is_mutable,
                type_,
            } => format!(
                "&{}{}{}",
                lifetime.as_deref().map(|l| format!("{l} ")).unwrap_or_default(),
                if *is_mutable { "mut " } else { "" },
                ty(type_)
            ),
            Type::QualifiedPath {
                name,
                args,
                self_type,
                trait_,
            } => {
                let args = args
                    .as_deref()
                    .map(|a| self.args(krate, a, subst, depth))
                    .unwrap_or_default();
                match trait_ {
                    Some(tr) => format!(
                        "<{} as {}>::{name}{args}",
                        ty(self_type),
                        self.path(krate, tr, subst, depth)
                    ),
                    None => format!("{}::{name}{args}", ty(self_type)),
                }
            }
        }
    }

    /// A path to a type: a type alias of a crate read is expanded (its generic parameters
    /// replaced by the arguments), anything else is named with its arguments.
    fn resolved(&self, krate: usize, p: &Path, subst: &Substitution, depth: usize) -> String {
        if depth < ALIAS_DEPTH
            && let Some((at, alias)) = self.alias(krate, p)
        {
            let mut inner = Substitution::new();
            let given = match p.args.as_deref() {
                Some(GenericArgs::AngleBracketed { args, .. }) => args.as_slice(),
                _ => &[],
            };
            let params = alias
                .generics
                .params
                .iter()
                .filter(|g| matches!(g.kind, GenericParamDefKind::Type { .. }));
            let types = given.iter().filter_map(|a| match a {
                GenericArg::Type(t) => Some(t),
                _ => None,
            });
            for (param, arg) in params.zip(types) {
                inner.insert(param.name.clone(), self.ty_in(krate, arg, subst, depth));
            }
            return self.ty_in(at, &alias.type_, &inner, depth + 1);
        }
        self.path(krate, p, subst, depth)
    }

    /// The type alias `p` names, when it is an item of a crate read, with that crate.
    fn alias(&self, krate: usize, p: &Path) -> Option<(usize, &rustdoc_types::TypeAlias)> {
        let Loc { krate: at, id } = self.crates.locate(krate, &p.id)?;
        match &self.crates.get(at)?.index.get(&id)?.inner {
            ItemEnum::TypeAlias(alias) => Some((at, alias)),
            _ => None,
        }
    }

    /// A path with its generic arguments, named by [`Render::name`].
    fn path(&self, krate: usize, p: &Path, subst: &Substitution, depth: usize) -> String {
        let args = p
            .args
            .as_deref()
            .map(|a| self.args(krate, a, subst, depth))
            .unwrap_or_default();
        format!("{}{args}", self.name(krate, p))
    }

    /// A trait as a bound or impl names it: its path and generic arguments.
    pub fn trait_path(&self, krate: usize, p: &Path) -> String {
        self.path(krate, p, &Substitution::new(), 0)
    }

    /// The name of the item `p` points to: its public path when it is one of the crates read
    /// and public, else the path where it is defined, else the path as written.
    pub fn name(&self, krate: usize, p: &Path) -> String {
        match self.crates.canonical(krate, &p.id) {
            Some(defined) => self.public.get(&defined).cloned().unwrap_or(defined),
            None => p.path.clone(),
        }
    }

    fn args(&self, krate: usize, args: &GenericArgs, subst: &Substitution, depth: usize) -> String {
        match args {
            GenericArgs::AngleBracketed { args, constraints } => {
                let mut parts: Vec<String> = args.iter().map(|a| self.arg(krate, a, subst, depth)).collect();
                parts.extend(constraints.iter().map(|c| self.constraint(krate, c, subst, depth)));
                if parts.is_empty() {
                    String::new()
                } else {
                    format!("<{}>", parts.join(", "))
                }
            }
            GenericArgs::Parenthesized { inputs, output } => {
                let inputs: Vec<String> = inputs.iter().map(|t| self.ty_in(krate, t, subst, depth)).collect();
                let output = output
                    .as_ref()
                    .map(|t| format!(" -> {}", self.ty_in(krate, t, subst, depth)));
                format!("({}){}", inputs.join(", "), output.unwrap_or_default())
            }
            GenericArgs::ReturnTypeNotation => "(..)".to_owned(),
        }
    }

    fn arg(&self, krate: usize, arg: &GenericArg, subst: &Substitution, depth: usize) -> String {
        match arg {
            GenericArg::Lifetime(l) => l.clone(),
            GenericArg::Type(t) => self.ty_in(krate, t, subst, depth),
            GenericArg::Const(c) => c.value.clone().unwrap_or_else(|| c.expr.clone()),
            GenericArg::Infer => "_".to_owned(),
        }
    }

    fn constraint(&self, krate: usize, c: &AssocItemConstraint, subst: &Substitution, depth: usize) -> String {
        let args = c
            .args
            .as_deref()
            .map(|a| self.args(krate, a, subst, depth))
            .unwrap_or_default();
        match &c.binding {
            AssocItemConstraintKind::Equality(Term::Type(t)) => {
                format!("{}{args} = {}", c.name, self.ty_in(krate, t, subst, depth))
            }
            AssocItemConstraintKind::Equality(Term::Constant(k)) => {
                format!("{}{args} = {}", c.name, k.value.as_deref().unwrap_or(&k.expr))
            }
            AssocItemConstraintKind::Constraint(bounds) => {
                format!("{}{args}: {}", c.name, self.bounds_in(krate, bounds, subst, depth))
            }
        }
    }

    /// Bounds joined with ` + `, in the order written.
    pub fn bounds(&self, krate: usize, bounds: &[GenericBound]) -> String {
        self.bounds_in(krate, bounds, &Substitution::new(), 0)
    }

    fn bounds_in(&self, krate: usize, bounds: &[GenericBound], subst: &Substitution, depth: usize) -> String {
        let one = |b: &GenericBound| match b {
            GenericBound::TraitBound {
                trait_,
                generic_params,
                modifier,
            } => {
                let modifier = match modifier {
                    TraitBoundModifier::None => "",
                    TraitBoundModifier::Maybe => "?",
                    TraitBoundModifier::MaybeConst => "~const ",
                };
                format!(
                    "{}{modifier}{}",
                    self.for_lifetimes(krate, generic_params),
                    self.path(krate, trait_, subst, depth)
                )
            }
            GenericBound::Outlives(l) => l.clone(),
            GenericBound::Use(args) => {
                let args: Vec<&str> = args
                    .iter()
                    .map(|a| match a {
                        PreciseCapturingArg::Lifetime(l) | PreciseCapturingArg::Param(l) => l.as_str(),
                    })
                    .collect();
                format!("use<{}>", args.join(", "))
            }
        };
        bounds.iter().map(one).collect::<Vec<_>>().join(" + ")
    }

    /// `for<'a> ` for higher-ranked lifetimes; empty without.
    fn for_lifetimes(&self, krate: usize, params: &[GenericParamDef]) -> String {
        if params.is_empty() {
            return String::new();
        }
        format!("for<{}> ", self.params(krate, params).join(", "))
    }

    /// Generic parameters as declared (the compiler's own, for `impl Trait` arguments, left
    /// out: the argument's type says them).
    fn params(&self, krate: usize, params: &[GenericParamDef]) -> Vec<String> {
        params
            .iter()
            .filter_map(|p| match &p.kind {
                GenericParamDefKind::Lifetime { outlives } if outlives.is_empty() => Some(p.name.clone()),
                GenericParamDefKind::Lifetime { outlives } => Some(format!("{}: {}", p.name, outlives.join(" + "))),
                GenericParamDefKind::Type { is_synthetic: true, .. } => None,
                GenericParamDefKind::Type { bounds, default, .. } => {
                    let mut s = p.name.clone();
                    if !bounds.is_empty() {
                        s.push_str(&format!(": {}", self.bounds(krate, bounds)));
                    }
                    if let Some(d) = default {
                        s.push_str(&format!(" = {}", self.ty(krate, d)));
                    }
                    Some(s)
                }
                GenericParamDefKind::Const { type_, default } => Some(format!(
                    "const {}: {}{}",
                    p.name,
                    self.ty(krate, type_),
                    default.as_deref().map(|d| format!(" = {d}")).unwrap_or_default()
                )),
            })
            .collect()
    }

    /// `<..>` of a declaration; empty without parameters.
    pub fn generics(&self, krate: usize, g: &Generics) -> String {
        let params = self.params(krate, &g.params);
        if params.is_empty() {
            String::new()
        } else {
            format!("<{}>", params.join(", "))
        }
    }

    /// ` where ..` of a declaration; empty without predicates.
    pub fn where_clause(&self, krate: usize, g: &Generics) -> String {
        let predicates: Vec<String> = g
            .where_predicates
            .iter()
            .map(|w| match w {
                WherePredicate::BoundPredicate {
                    type_,
                    bounds,
                    generic_params,
                } => format!(
                    "{}{}: {}",
                    self.for_lifetimes(krate, generic_params),
                    self.ty(krate, type_),
                    self.bounds(krate, bounds)
                ),
                WherePredicate::LifetimePredicate { lifetime, outlives } => {
                    format!("{lifetime}: {}", outlives.join(" + "))
                }
                WherePredicate::EqPredicate { lhs, rhs } => {
                    let rhs = match rhs {
                        Term::Type(t) => self.ty(krate, t),
                        Term::Constant(k) => k.value.clone().unwrap_or_else(|| k.expr.clone()),
                    };
                    format!("{} == {rhs}", self.ty(krate, lhs))
                }
            })
            .collect();
        if predicates.is_empty() {
            String::new()
        } else {
            format!(" where {}", predicates.join(", "))
        }
    }

    /// A function's signature: `fn name<..>(types) -> output where ..`. Argument names are
    /// left out (they are no part of the API); the receiver is written `self`, `&self`, ..
    pub fn function(&self, krate: usize, name: &str, f: &rustdoc_types::Function) -> String {
        format!(
            "{}fn {name}{}{}{}",
            header(&f.header),
            self.generics(krate, &f.generics),
            self.sig(krate, &f.sig, &Substitution::new(), 0),
            self.where_clause(krate, &f.generics)
        )
    }

    fn sig(&self, krate: usize, sig: &FunctionSignature, subst: &Substitution, depth: usize) -> String {
        let mut inputs: Vec<String> = sig
            .inputs
            .iter()
            .map(|(name, t)| {
                let ty = self.ty_in(krate, t, subst, depth);
                if name == "self" { receiver(ty) } else { ty }
            })
            .collect();
        if sig.is_c_variadic {
            inputs.push("...".to_owned());
        }
        let output = sig
            .output
            .as_ref()
            .map(|t| format!(" -> {}", self.ty_in(krate, t, subst, depth)));
        format!("({}){}", inputs.join(", "), output.unwrap_or_default())
    }
}

/// `self`, `&self`, `&mut self` for the receivers that have a short form.
fn receiver(ty: String) -> String {
    match ty.as_str() {
        "Self" => "self".to_owned(),
        "&Self" => "&self".to_owned(),
        "&mut Self" => "&mut self".to_owned(),
        _ => format!("self: {ty}"),
    }
}

/// `const async unsafe ` and a non-Rust ABI, as far as the header has them.
fn header(h: &FunctionHeader) -> String {
    let mut out = String::new();
    if h.is_const {
        out.push_str("const ");
    }
    if h.is_async {
        out.push_str("async ");
    }
    if h.is_unsafe {
        out.push_str("unsafe ");
    }
    if !matches!(h.abi, rustdoc_types::Abi::Rust) {
        out.push_str(&format!("extern {:?} ", h.abi));
    }
    out
}
