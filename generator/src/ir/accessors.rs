//! Which fields of a union (`oneOf`/`anyOf`) enum get a shared accessor: for a field that every variant has, a
//! method that reads it from whichever variant the value is, so that `customer.status()` needs
//! no `match` over five variants and three status types.
//!
//! The rules, all read off the IR:
//!
//! - Every variant holds a struct (directly or through an alias chain, [`Ir::resolve_alias`]);
//!   otherwise the union gets no accessors.
//! - A field is shared when every variant's struct has a field of that wire name. Fields are
//!   taken in the first variant's order, and the accessor is named after the first variant's
//!   field (the IR's name, already a Rust name).
//! - When the field is a `String` in every variant, the accessor returns `&str`, or
//!   `Option<&str>` when it is an `Option` in at least one variant.
//! - Otherwise, when the field has the same Rust type `T` in every variant (aliases followed;
//!   a cyclic field, boxed, must be boxed in every variant and is read through its `Box`), the
//!   accessor returns `&T`, or `Option<&T>` when the field is an `Option` in at least one
//!   variant.
//! - When the types differ but each is string-valued (a `String`, or a generated open string
//!   enum, which has `as_str()`), it returns `&str`, or `Option<&str>` likewise: the value as
//!   it is on the wire.
//! - Otherwise the field gets no accessor; nor does a field whose name is a method the enum
//!   already has ([`ENUM_METHODS`]), since an inherent method would shadow it.

use super::{Field, Ir, Struct, TypeKind, TypeRef, Union};

/// The methods a union enum has from the derives and impls `models.rs` gives it (`Clone`,
/// `Debug`, `PartialEq`, `Serialize`, `Deserialize`, `From`) and from std's blanket impls: an
/// accessor of one of these names would shadow it in method-call syntax.
const ENUM_METHODS: &[&str] = &[
    "clone",
    "clone_from",
    "fmt",
    "eq",
    "ne",
    "serialize",
    "deserialize",
    "from",
    "into",
    "try_from",
    "try_into",
    "to_owned",
    "clone_into",
    "borrow",
    "borrow_mut",
    "type_id",
];

/// One shared accessor: the method `name` over the field `wire` of every variant.
#[derive(Debug)]
pub struct SharedAccessor<'a> {
    /// The method's name: the first variant's field name.
    pub name: &'a str,
    /// The field's wire name.
    pub wire: &'a str,
    /// What the method returns, before the `Option` of [`optional`](Self::optional).
    pub returns: Returns,
    /// The field is an `Option` in at least one variant.
    pub optional: bool,
    /// Each variant's name and its field.
    pub fields: Vec<(&'a str, &'a Field)>,
}

/// What a shared accessor returns.
#[derive(Debug, PartialEq)]
pub enum Returns {
    /// `&T`: the field has the same Rust type `T` in every variant.
    Same(TypeRef),
    /// `&str`: the field is a `String` in every variant (`plain`), or string-valued (a `String`
    /// or an open string enum) in each.
    Str { plain: bool },
}

/// The shared accessors of union `u`, in the first variant's field order.
pub fn shared_accessors<'a>(ir: &'a Ir, u: &'a Union) -> Vec<SharedAccessor<'a>> {
    let Some(structs) = variant_structs(ir, u) else {
        return Vec::new();
    };
    let Some((_, first)) = structs.first() else {
        return Vec::new();
    };
    first
        .fields
        .iter()
        .filter(|f| !ENUM_METHODS.contains(&f.ident.as_str()))
        .filter_map(|f| {
            let fields: Vec<(&str, &Field)> = structs
                .iter()
                .map(|(variant, s)| s.fields.iter().find(|g| g.wire == f.wire).map(|g| (*variant, g)))
                .collect::<Option<_>>()?;
            let returns = returns(ir, &fields)?;
            let optional = fields.iter().any(|(_, g)| g.optional());
            Some(SharedAccessor {
                name: &f.ident,
                wire: &f.wire,
                returns,
                optional,
                fields,
            })
        })
        .collect()
}

/// Each variant's name and the struct it holds, or `None` when some variant holds no struct.
fn variant_structs<'a>(ir: &'a Ir, u: &'a Union) -> Option<Vec<(&'a str, &'a Struct)>> {
    u.variants
        .iter()
        .map(|v| match ir.resolve_alias(&v.ty) {
            TypeRef::Named(id) => match &ir.types[id.0].kind {
                TypeKind::Struct(s) => Some((v.ident.as_str(), s)),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

/// What the accessor over one field per variant returns, by the rules above; `None` when the
/// fields share no type.
fn returns(ir: &Ir, fields: &[(&str, &Field)]) -> Option<Returns> {
    let (_, first) = fields.first()?;
    let plain = fields.iter().all(|(_, f)| plain_string(ir, f));
    if !plain && fields.iter().all(|(_, f)| same_type(ir, f, first)) {
        Some(Returns::Same(first.ty.clone()))
    } else if fields.iter().all(|(_, f)| string_valued(ir, f)) {
        Some(Returns::Str { plain })
    } else {
        None
    }
}

/// Whether `a` and `b` are the same Rust type: the same type through aliases, boxed alike.
fn same_type(ir: &Ir, a: &Field, b: &Field) -> bool {
    a.boxed == b.boxed && rust_type(ir, &a.ty) == rust_type(ir, &b.ty)
}

/// `t` as the Rust type it stands for: aliases followed, and a binary body (a `String` in a
/// model) as the string it is.
fn rust_type(ir: &Ir, t: &TypeRef) -> TypeRef {
    match ir.resolve_alias(t) {
        TypeRef::Binary => TypeRef::String,
        other => other,
    }
}

/// Whether the field is a plain `String` (not boxed).
pub fn plain_string(ir: &Ir, f: &Field) -> bool {
    !f.boxed && rust_type(ir, &f.ty) == TypeRef::String
}

/// Whether the field holds a string with `as_str()`: a `String` or an open string enum.
fn string_valued(ir: &Ir, f: &Field) -> bool {
    !f.boxed
        && match rust_type(ir, &f.ty) {
            TypeRef::String => true,
            TypeRef::Named(id) => matches!(ir.types[id.0].kind, TypeKind::Enum(_)),
            _ => false,
        }
}

