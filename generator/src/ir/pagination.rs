//! Which operations are paginated lists, detected from the shape of their response: a page
//! whose `_embedded` object holds exactly one array of items, and whose `_links` can carry a
//! `next` link (a map of links, or an object with a `next` property). Detection is structural,
//! so a list Dwolla adds later is paginated without anyone listing it.

use super::{Field, Operation, Pagination, Struct, TypeEntry, TypeKind, TypeRef, resolve_alias as resolve};


/// The page shape of `op`'s success response, when it is a paginated list.
pub(crate) fn detect(types: &[TypeEntry], op: &Operation) -> Option<Pagination> {
    if op.http_method != super::HttpMethod::Get {
        return None;
    }
    let ok = op.responses.iter().find(|r| r.status.is_success())?;
    let page_ref = ok.body.clone()?;
    let page = struct_of(types, &page_ref)?;
    let embedded = page.fields.iter().find(|f| f.wire == "_embedded")?;
    let emb = struct_of(types, &embedded.ty)?;
    let [items] = emb.fields.as_slice() else { return None };
    let TypeRef::Vec(item) = resolve(types, &items.ty) else {
        return None;
    };
    let links = page.fields.iter().find(|f| f.wire == "_links")?;
    let next = match resolve(types, &links.ty) {
        // `_links: {<rel>: {href, ...}}`
        TypeRef::Map(link) => {
            let href = href_of(struct_of(types, &link)?)?;
            super::NextLink::Map {
                href_optional: href.optional(),
            }
        }
        // `_links: {next: {href}, ...}`
        TypeRef::Named(_) => {
            let next = struct_of(types, &links.ty)?.fields.iter().find(|f| f.wire == "next")?;
            let href = href_of(struct_of(types, &next.ty)?)?;
            super::NextLink::Field {
                next: next.ident.clone(),
                next_optional: next.optional(),
                href_optional: href.optional(),
            }
        }
        _ => return None,
    };
    let total = page
        .fields
        .iter()
        .find(|f| f.wire == "total" && matches!(f.ty, TypeRef::I32 | TypeRef::I64))
        .map(|f| (f.ident.clone(), f.optional(), f.ty == TypeRef::I32));
    Some(Pagination {
        page: page_ref,
        embedded: embedded.ident.clone(),
        embedded_optional: embedded.optional(),
        items: items.ident.clone(),
        items_optional: items.optional(),
        item: *item,
        links: links.ident.clone(),
        links_optional: links.optional(),
        next,
        total,
    })
}

/// The struct a type stands for, through aliases.
fn struct_of<'a>(types: &'a [TypeEntry], ty: &TypeRef) -> Option<&'a Struct> {
    match resolve(types, ty) {
        TypeRef::Named(id) => match &types[id.0].kind {
            TypeKind::Struct(s) => Some(s),
            _ => None,
        },
        _ => None,
    }
}

/// The string `href` of a link object.
fn href_of(link: &Struct) -> Option<&Field> {
    link.fields.iter().find(|f| f.wire == "href" && f.ty == TypeRef::String)
}
