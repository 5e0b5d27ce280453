//! Stage 2, the intermediate representation: every type and operation the crate will contain,
//! already named, deduplicated and placed in a module. The token stage reads only this, never
//! the spec.

pub mod accessors;
mod build;
mod error_codes;
pub(crate) use error_codes::code_key;
mod examples;
mod graph;
pub mod naming;
mod operations;
mod pagination;
mod shape;
mod variants;

pub use build::build;
pub use operations::*;

use serde_json::Value;

use crate::spec::Pointer;

/// Everything the token stage needs.
#[derive(Debug)]
pub struct Ir {
    pub types: Vec<TypeEntry>,
    pub operations: Vec<Operation>,
    /// Resource modules in output order, each with the feature that enables it.
    pub modules: Vec<Module>,
    /// The private modules of `common`: each set of features that compiles shared types (in
    /// the order of its first type) and the module's name, from `naming::feature_group_modules`.
    pub feature_groups: Vec<(Vec<String>, String)>,
    /// The codes of the spec's error bodies (of every `4xx`/`5xx` response, or of the members
    /// of its union), in the order met, one spelling of each (`code_key` tells them apart; the
    /// upper camel case spelling when there is one, else the first).
    pub error_codes: Vec<String>,
    /// Figures for the closing report (inline schemas seen versus types emitted, ...).
    pub stats: Stats,
    /// Things a maintainer should look at that did not stop generation.
    pub warnings: Vec<String>,
}

/// Index of a type in [`Ir::types`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TypeId(pub usize);

/// A resource module of `dwolla::models` (and of the API), gated by a cargo feature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Module {
    /// Rust module name, `snake_case`.
    pub name: String,
    /// The cargo feature that enables it; `None` for the always-on core.
    pub feature: Option<String>,
    /// The spec tag it comes from, for docs.
    pub tag: Option<String>,
    pub description: Option<String>,
}

/// The core module, always compiled: types that several resource groups share.
pub const COMMON_MODULE: &str = "common";
/// Zero-sized types for the spec's `const` values.
pub const CONSTS_MODULE: &str = "consts";

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Inline object, enum and union schemas found in the spec (each occurrence counted).
    pub inline_schemas: usize,
    /// Distinct Rust types those occurrences became.
    pub inline_types: usize,
    /// Component schemas in the spec.
    pub components: usize,
    /// Component schemas that became an alias of a structurally identical one.
    pub component_aliases: usize,
}

/// One named Rust type.
#[derive(Clone, Debug)]
pub struct TypeEntry {
    /// The Rust identifier, unique across `dwolla::models`.
    pub name: String,
    /// The `models` submodule it lives in.
    pub module: String,
    pub docs: Option<String>,
    /// Where in the spec it was first defined.
    pub origin: Pointer,
    /// The component schema name, when it is one.
    pub component: Option<String>,
    /// Reachable from a request body: users build it, so it gets a constructor.
    pub in_request: bool,
    /// A component with the same structure as another component: an alias of that type.
    pub same_as: Option<TypeId>,
    /// For a type of the shared `common` module: the features of the resource groups that use
    /// it, any one of which compiles it. Empty: always compiled (and for resource modules, whose
    /// feature is the module's).
    pub features: Vec<String>,
    pub kind: TypeKind,
    /// The spec's examples of this type, for the round-trip test.
    pub examples: Vec<Example>,
}

/// One example value of a type, as the spec gives it or as assembled from property examples.
#[derive(Clone, Debug, PartialEq)]
pub struct Example {
    /// Where it comes from: a JSON pointer, and whether it was assembled.
    pub source: String,
    pub value: Value,
    /// JSON pointers (into `value`) of every leaf the schema declares: these must survive a
    /// decode and re-encode unchanged.
    pub declared: Vec<String>,
}

#[derive(Clone, Debug)]
pub enum TypeKind {
    Struct(Struct),
    Enum(StringEnum),
    Union(Union),
    /// A component that is another type under its own name (`pub type A = B;`).
    Alias(TypeRef),
    /// A `const` string: a zero-sized type that always (de)serializes to `value`.
    Const {
        value: String,
    },
}

/// A reference to a type from a field, variant or operation.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum TypeRef {
    Named(TypeId),
    String,
    Bool,
    I32,
    I64,
    F64,
    /// `format: date-time`
    DateTime,
    /// `format: date`
    Date,
    /// `format: binary`: only meaningful in multipart bodies.
    Binary,
    /// Any JSON value.
    Any,
    /// An object with no declared properties.
    Object,
    Vec(Box<TypeRef>),
    /// `additionalProperties`: a string-keyed map.
    Map(Box<TypeRef>),
}

impl TypeRef {
    pub fn named(&self) -> Option<TypeId> {
        match self {
            TypeRef::Named(id) => Some(*id),
            _ => None,
        }
    }
}

// Aliases (`pub type A = B;`) are followed here and nowhere else. Every walk is bounded by the
// number of types, so a chain that loops (which `build` reports as an error) still ends.

/// The named types an alias chain passes through from `id`, `id` first: while a type is an
/// alias of a named type, the next is that type.
pub fn alias_chain(types: &[TypeEntry], id: TypeId) -> impl Iterator<Item = TypeId> + '_ {
    std::iter::successors(Some(id), move |id| match &types[id.0].kind {
        TypeKind::Alias(TypeRef::Named(next)) => Some(*next),
        _ => None,
    })
    .take(types.len() + 1)
}

/// The named type an alias chain from `id` ends at: the type that identical aliases share.
pub fn canonical(types: &[TypeEntry], id: TypeId) -> TypeId {
    alias_chain(types, id).last().unwrap_or(id)
}

/// What `t` stands for through aliases: a reference to a type that is not an alias, or the
/// type expression (`Vec<T>`, `String`, ...) the last alias stands for.
pub fn resolve_alias(types: &[TypeEntry], t: &TypeRef) -> TypeRef {
    let Some(id) = t.named() else { return t.clone() };
    let end = canonical(types, id);
    match &types[end.0].kind {
        TypeKind::Alias(inner) => inner.clone(),
        _ => TypeRef::Named(end),
    }
}

impl Ir {
    /// [`canonical`] over this IR's types.
    pub fn canonical(&self, id: TypeId) -> TypeId {
        canonical(&self.types, id)
    }

    /// [`resolve_alias`] over this IR's types.
    pub fn resolve_alias(&self, t: &TypeRef) -> TypeRef {
        resolve_alias(&self.types, t)
    }

    /// [`fixed_value`] over this IR's types.
    pub fn fixed_value(&self, t: &TypeRef) -> Option<Fixed> {
        fixed_value(&self.types, t)
    }

    /// [`constructor_args`] over this IR's types.
    pub fn constructor_args<'a>(&self, s: &'a Struct) -> Vec<&'a Field> {
        constructor_args(&self.types, s)
    }
}

#[derive(Clone, Debug)]
pub struct Struct {
    pub fields: Vec<Field>,
    /// Properties beyond the declared ones, kept in a flattened map.
    pub additional: Option<Additional>,
    /// Views that classify the struct into a Rust enum (`x-dwolla-variants`).
    pub views: Vec<VariantView>,
    /// Helpers for its HAL links (`x-dwolla-links`).
    pub links: Vec<LinkHelper>,
    /// The struct of named fields that `new` takes, when it has more than
    /// [`MAX_POSITIONAL_ARGS`] arguments ([`constructor_args`]); named by `naming`.
    pub required: Option<String>,
}

/// How many arguments a model's `new` takes by position. Past this, `new` takes one struct of
/// named fields instead (`Struct::required`): a literal of it names each value, so two strings
/// cannot be swapped silently, and a missing one does not compile (a builder whose `build()`
/// fails would find it only at run time; typed-state builders cost a generic type per field).
pub const MAX_POSITIONAL_ARGS: usize = 3;

/// The one value a field can hold, which a constructor fills in rather than asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fixed {
    /// A const type (`Default` is its value).
    Const,
    /// A string enum of one value, by the variant's identifier.
    Variant(String),
}

/// The value a field of type `t` must have, when the spec allows only one: a const, or a
/// string enum of one value (`VerifiedPersonalCustomer.type`, which can only be `personal`).
pub fn fixed_value(types: &[TypeEntry], t: &TypeRef) -> Option<Fixed> {
    let id = t.named()?;
    match &types[canonical(types, id).0].kind {
        TypeKind::Const { .. } => Some(Fixed::Const),
        TypeKind::Enum(e) => match e.values.as_slice() {
            [only] => Some(Fixed::Variant(only.ident.clone())),
            _ => None,
        },
        _ => None,
    }
}

/// The fields a struct's `new` asks for, in order: the required ones whose value is not
/// [`fixed_value`].
pub fn constructor_args<'a>(types: &[TypeEntry], s: &'a Struct) -> Vec<&'a Field> {
    s.fields
        .iter()
        .filter(|f| !f.optional() && fixed_value(types, &f.ty).is_none())
        .collect()
}

/// `x-dwolla-links`: for one link relation, `<rel>_id()` (the last segment of its `href`) and,
/// when the overlay names the resource it points at, `fetch_<rel>(&client)`.
#[derive(Clone, Debug)]
pub struct LinkHelper {
    /// The link relation, such as `exchange-partner`.
    pub rel: String,
    /// `snake_case` stem of the generated methods.
    pub stem: String,
    /// How to reach the link's `href` from the struct.
    pub path: Vec<PathStep>,
    /// Whether some step of the path is optional (the helpers then return `Option`).
    pub optional: bool,
    /// The type of the resource the link points at.
    pub resource: Option<TypeId>,
}

#[derive(Clone, Debug)]
pub enum Additional {
    /// `x-dwolla-preserve-unknown`: keep every undeclared property as raw JSON.
    Preserve,
    /// `additionalProperties: <schema>` beside declared properties.
    Typed(TypeRef),
}

#[derive(Clone, Debug)]
pub struct Field {
    /// The property name on the wire.
    pub wire: String,
    /// The Rust field name.
    pub ident: String,
    pub ty: TypeRef,
    pub required: bool,
    pub nullable: bool,
    /// Cyclic reference: stored in a `Box`.
    pub boxed: bool,
    /// Redacted in `Debug` (`x-dwolla-secret`).
    pub secret: bool,
    pub docs: Option<String>,
    /// The spec's example of this property.
    pub example: Option<Value>,
}

impl Field {
    /// The field is an `Option` in Rust.
    pub fn optional(&self) -> bool {
        !self.required || self.nullable
    }
}

#[derive(Clone, Debug)]
pub struct StringEnum {
    pub values: Vec<EnumValue>,
}

#[derive(Clone, Debug)]
pub struct EnumValue {
    pub wire: String,
    pub ident: String,
}

/// A `oneOf`/`anyOf`: a Rust enum whose variant is chosen by what the JSON object contains.
#[derive(Clone, Debug)]
pub struct Union {
    pub variants: Vec<UnionVariant>,
    /// `discriminator.propertyName` and its mapping to variant indices.
    pub discriminator: Option<Discriminator>,
}

#[derive(Clone, Debug)]
pub struct Discriminator {
    pub property: String,
    /// Wire value → index into `variants`.
    pub mapping: Vec<(String, usize)>,
}

#[derive(Clone, Debug)]
pub struct UnionVariant {
    pub ident: String,
    pub ty: TypeRef,
    pub boxed: bool,
    /// What a JSON object must contain to be this variant.
    pub checks: VariantChecks,
}

/// The shape tests that select a union variant without trying to decode it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct VariantChecks {
    /// Properties that must be present.
    pub required: Vec<String>,
    /// Properties that must equal a value when present (`const` or one-value `enum`).
    pub equals: Vec<(String, Value)>,
    /// The variant is a JSON object (as opposed to a string, number, ...).
    pub object: bool,
    /// In an error union, the Dwolla error `code` the variant is the body of: it is chosen
    /// for a body of that code (compared by `code_key`) and no other.
    pub code: Option<String>,
}

/// `x-dwolla-variants` on an object schema: a method that classifies the struct into a
/// borrowed Rust enum by which fields are present (exchange sessions' partner shapes).
#[derive(Clone, Debug)]
pub struct VariantView {
    /// The enum's name, e.g. `ProviderSession`.
    pub enum_name: String,
    /// The method on the struct, e.g. `provider_session`.
    pub method: String,
    pub docs: Option<String>,
    /// In priority order: the first whose fields are all present wins.
    pub variants: Vec<ViewVariant>,
    /// The variant used when none matches.
    pub fallback: String,
}

#[derive(Clone, Debug)]
pub struct ViewVariant {
    pub name: String,
    pub docs: Option<String>,
    pub fields: Vec<ViewField>,
}

#[derive(Clone, Debug)]
pub struct ViewField {
    pub name: String,
    /// The JSON pointer inside the object, as written in the overlay.
    pub pointer: String,
    /// How to reach it from the struct.
    pub path: Vec<PathStep>,
    /// The type at the end of the path.
    pub ty: TypeRef,
    /// `Option<..>` in the variant instead of a condition of the variant.
    pub optional: bool,
    /// Redacted in the enum's `Debug`.
    pub secret: bool,
}

#[derive(Clone, Debug)]
pub enum PathStep {
    /// A struct field; `optional` when it is an `Option`.
    Field { ident: String, optional: bool },
    /// A key of a map-typed value.
    Key(String),
}

/// How to walk the pages of a list operation.
#[derive(Clone, Debug)]
pub struct Pagination {
    /// The page type (the operation's success body).
    pub page: TypeRef,
    /// The `_embedded` field of the page and whether it is an `Option`.
    pub embedded: String,
    pub embedded_optional: bool,
    /// The one array field inside `_embedded`.
    pub items: String,
    pub items_optional: bool,
    pub item: TypeRef,
    /// The `_links` field of the page.
    pub links: String,
    pub links_optional: bool,
    pub next: NextLink,
    /// The `total` field, when the page has one: its name, whether it is an `Option`, and
    /// whether it is an `i32` (widened to `i64`).
    pub total: Option<(String, bool, bool)>,
}

#[derive(Clone, Debug)]
pub enum NextLink {
    /// `_links` is a map; `next` is a key of it.
    Map { href_optional: bool },
    /// `_links` is an object with a `next` field.
    Field {
        next: String,
        next_optional: bool,
        href_optional: bool,
    },
}

/// A type of the kind given, named `name`, in `common`, with nothing else set: for tests that
/// build a small IR by hand.
#[cfg(test)]
pub(crate) fn test_entry(name: &str, kind: TypeKind) -> TypeEntry {
    TypeEntry {
        name: name.to_owned(),
        module: COMMON_MODULE.to_owned(),
        docs: None,
        origin: Pointer::root(),
        component: None,
        in_request: false,
        same_as: None,
        features: Vec::new(),
        kind,
        examples: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(kind: TypeKind) -> TypeEntry {
        test_entry("T", kind)
    }

    #[test]
    fn aliases_resolve_in_one_place_and_a_loop_ends() {
        let types = vec![
            entry(TypeKind::Alias(TypeRef::Named(TypeId(1)))),
            entry(TypeKind::Alias(TypeRef::Vec(Box::new(TypeRef::String)))),
            entry(TypeKind::Alias(TypeRef::Named(TypeId(3)))),
            entry(TypeKind::Alias(TypeRef::Named(TypeId(2)))),
        ];
        assert_eq!(canonical(&types, TypeId(0)), TypeId(1));
        assert_eq!(resolve_alias(&types, &TypeRef::Named(TypeId(0))), TypeRef::Vec(Box::new(TypeRef::String)));
        assert_eq!(resolve_alias(&types, &TypeRef::Bool), TypeRef::Bool);
        // 2 → 3 → 2: the walk is bounded, and the loop shows in the chain.
        assert!(alias_chain(&types, TypeId(2)).count() <= types.len() + 1);
        assert!(alias_chain(&types, TypeId(2)).skip(1).any(|id| id == TypeId(2)));
    }
}
