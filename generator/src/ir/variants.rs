//! `x-dwolla-variants`: a declaration, kept in the overlay, that classifies an object into a
//! Rust enum by which fields are present. It is how `ExchangeSession::provider_session()` tells
//! MX/Visa, Plaid and Checkout.com apart, and any schema can use it:
//!
//! ```yaml
//! x-dwolla-variants:
//!   enum: ProviderSession          # the enum's name
//!   method: provider_session       # the method on the struct
//!   description: ...
//!   fallback: Unknown              # the variant when nothing matches (default `Unknown`)
//!   variants:                      # priority order: the first whose fields are present wins
//!     - name: Redirect
//!       description: ...
//!       fields:
//!         - {name: url, pointer: /_links/external-provider-session/href}
//!         - {name: secret_thing, pointer: /a/b, secret: true, optional: true}
//! ```

use serde::Deserialize;
use serde_json::Value;

use super::naming;
use super::{LinkHelper, PathStep, TypeEntry, TypeId, TypeKind, TypeRef, VariantView, ViewField, ViewVariant};
use crate::error::{Error, Result};
use crate::spec::Pointer;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Decl {
    #[serde(rename = "enum")]
    enum_name: String,
    method: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    fallback: Option<String>,
    variants: Vec<DeclVariant>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DeclVariant {
    name: String,
    #[serde(default)]
    description: Option<String>,
    fields: Vec<DeclField>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DeclField {
    name: String,
    pointer: String,
    #[serde(default)]
    secret: bool,
    #[serde(default)]
    optional: bool,
}

/// Checks a declaration against the struct it sits on and resolves each field's path. A
/// variant whose fields the schema no longer has is left out with a warning (the spec moved
/// under the overlay); a malformed declaration is an error.
pub(crate) fn resolve(
    types: &[TypeEntry],
    owner: TypeId,
    raw: &Value,
    at: &Pointer,
    file: &str,
    warnings: &mut Vec<String>,
) -> Result<Option<VariantView>> {
    let decl = parse(raw, at, file)?;
    let enum_name = identifier(&decl.enum_name, &at.push("enum"), Case::Type, file)?;
    let method = identifier(&decl.method, &at.push("method"), Case::Field, file)?;
    let fallback = identifier(
        decl.fallback.as_deref().unwrap_or("Unknown"),
        &at.push("fallback"),
        Case::Type,
        file,
    )?;
    if decl.variants.is_empty() {
        return Err(Error::spec(file, at.push("variants").to_string(), "at least one variant is needed"));
    }
    let mut variants = Vec::new();
    for (i, v) in decl.variants.iter().enumerate() {
        let at_v = at.push("variants").push(i);
        let name = identifier(&v.name, &at_v.push("name"), Case::Type, file)?;
        if name == fallback || variants.iter().any(|x: &ViewVariant| x.name == name) {
            return Err(Error::spec(file, at_v.push("name").to_string(), format!("variant name `{name}` is used twice")));
        }
        match resolve_fields(types, owner, v, &at_v, file)? {
            Ok(fields) => variants.push(ViewVariant { name, docs: v.description.clone(), fields }),
            Err(why) => warnings.push(format!("variant `{name}` of `{enum_name}` left out: {why}")),
        }
    }
    if variants.is_empty() {
        warnings.push(format!("`{enum_name}` left out: none of its variants fits the schema"));
        return Ok(None);
    }
    Ok(Some(VariantView { enum_name, method, docs: decl.description, variants, fallback }))
}

/// The declaration at `at`, or an error at the pointer of the part that does not fit.
fn parse(raw: &Value, at: &Pointer, file: &str) -> Result<Decl> {
    serde_path_to_error::deserialize(raw.clone()).map_err(|e| {
        let mut p = at.clone();
        for seg in e.path().iter() {
            p = match seg {
                serde_path_to_error::Segment::Seq { index } => p.push(index),
                serde_path_to_error::Segment::Map { key } => p.push(key),
                _ => p,
            };
        }
        Error::spec(file, p.to_string(), format!("invalid `x-dwolla-variants`: {}", e.inner()))
    })
}

/// The case a declared name must already be in.
#[derive(Clone, Copy)]
enum Case {
    /// `UpperCamelCase`: the enum, its variants and fallback.
    Type,
    /// `snake_case`: the method and the fields.
    Field,
}

/// `s` itself when it is a Rust identifier in `case`; otherwise an error at `at` naming the
/// spelling it should have.
fn identifier(s: &str, at: &Pointer, case: Case, file: &str) -> Result<String> {
    let cased = match case {
        Case::Type => naming::type_name(s, ""),
        Case::Field => naming::field_name(s),
    };
    if cased != s {
        return Err(Error::spec(
            file,
            at.to_string(),
            format!("`{s}` is not a Rust identifier in the expected case (`{cased}`)"),
        ));
    }
    Ok(cased)
}

/// The fields of one variant with their paths through the struct, or (inner `Err`) why a field
/// is not in the schema, for the warning that leaves the variant out.
fn resolve_fields(
    types: &[TypeEntry],
    owner: TypeId,
    v: &DeclVariant,
    at_v: &Pointer,
    file: &str,
) -> Result<std::result::Result<Vec<ViewField>, String>> {
    if !v.fields.iter().any(|f| !f.optional) {
        return Err(Error::spec(
            file,
            at_v.push("fields").to_string(),
            "a variant needs at least one field that is not optional",
        ));
    }
    let mut fields = Vec::new();
    for (j, f) in v.fields.iter().enumerate() {
        let at_f = at_v.push("fields").push(j);
        let name = identifier(&f.name, &at_f.push("name"), Case::Field, file)?;
        let (path, ty) = match walk(types, owner, &f.pointer) {
            Ok(found) => found,
            Err(m) => return Ok(Err(format!("{}: `{}`: {m}", at_f.push("pointer"), f.pointer))),
        };
        fields.push(ViewField { name, pointer: f.pointer.clone(), path, ty, optional: f.optional, secret: f.secret });
    }
    Ok(Ok(fields))
}

/// Follows a JSON pointer through struct fields and map keys.
fn walk(types: &[TypeEntry], owner: TypeId, pointer: &str) -> std::result::Result<(Vec<PathStep>, TypeRef), String> {
    let Some(rest) = pointer.strip_prefix('/') else {
        return Err("a pointer starts with `/`".into());
    };
    let mut current = TypeRef::Named(owner);
    let mut steps = Vec::new();
    for raw in rest.split('/') {
        let seg = raw.replace("~1", "/").replace("~0", "~");
        current = super::resolve_alias(types, &current);
        match &current {
            TypeRef::Named(id) => match &types[id.0].kind {
                TypeKind::Struct(s) => {
                    let Some(f) = s.fields.iter().find(|f| f.wire == seg) else {
                        return Err(format!("`{}` has no property `{seg}`", types[id.0].name));
                    };
                    steps.push(PathStep::Field {
                        ident: f.ident.clone(),
                        optional: f.optional(),
                    });
                    current = f.ty.clone();
                }
                _ => {
                    return Err(format!(
                        "`{}` is not an object, so `{seg}` cannot be looked up",
                        types[id.0].name
                    ));
                }
            },
            TypeRef::Map(inner) => {
                steps.push(PathStep::Key(seg));
                let inner = (**inner).clone();
                current = inner;
            }
            other => return Err(format!("cannot look up `{seg}` in a {other:?}")),
        }
    }
    Ok((steps, current))
}


#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LinkDecl {
    /// The link relation under `_links`.
    rel: String,
    /// The component schema of the resource it points at.
    #[serde(default)]
    resource: Option<String>,
}

/// Resolves `x-dwolla-links`: each relation must be a link object (with `href`) under `_links`.
/// A relation the schema no longer has is left out with a warning.
pub(crate) fn resolve_links(
    types: &[TypeEntry],
    owner: TypeId,
    raw: &Value,
    at: &Pointer,
    file: &str,
    components: &[(String, TypeId)],
    warnings: &mut Vec<String>,
) -> Result<Vec<LinkHelper>> {
    let decls: Vec<LinkDecl> = serde_json::from_value(raw.clone())
        .map_err(|e| Error::spec(file, at.to_string(), format!("invalid `x-dwolla-links`: {e}")))?;
    let mut out = Vec::new();
    for (i, d) in decls.into_iter().enumerate() {
        let at_i = at.push(i);
        let pointer = format!("/_links/{}/href", d.rel.replace('~', "~0").replace('/', "~1"));
        let (path, ty) = match walk(types, owner, &pointer) {
            Ok(found) => found,
            Err(m) => {
                warnings.push(format!("link helper `{}` left out: {at_i}: {m}", d.rel));
                continue;
            }
        };
        if ty != TypeRef::String {
            return Err(Error::spec(
                file,
                at_i.to_string(),
                format!("`{pointer}` is not a string"),
            ));
        }
        let resource = match d.resource {
            None => None,
            Some(name) => match components.iter().find(|(n, _)| *n == name) {
                Some((_, id)) => Some(*id),
                None => {
                    warnings.push(format!(
                        "link helper `{}`: no component schema `{name}`; no fetch method",
                        d.rel
                    ));
                    None
                }
            },
        };
        let optional = path
            .iter()
            .any(|s| matches!(s, PathStep::Field { optional: true, .. } | PathStep::Key(_)));
        out.push(LinkHelper {
            stem: naming::field_name(&d.rel),
            rel: d.rel,
            path,
            optional,
            resource,
        });
    }
    Ok(out)
}
