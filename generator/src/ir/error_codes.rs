//! Dwolla's error codes, as the spec declares them. Every Dwolla error schema says which code
//! it is the body of the same way: a string property `code` whose `example` is that code
//! (`InactiveExchangeError` has `code: {type: string, example: InactiveExchange}`). Two rules
//! follow:
//!
//! - In a `oneOf` or `anyOf` every member of which is such a schema (an error union: no
//!   success body of the spec is one), each member is the body of its code. Members of one
//!   shape but different codes stay different variants, and decoding picks by `code` first,
//!   by shape only among the members of that code.
//! - The codes of the schemas of every `4xx`/`5xx` body (the body itself, or the members of
//!   its union) are the codes the client knows by name (`ErrorCode`).
//!
//! Codes are compared by their ASCII letters and digits, case aside ([`code_key`]): the spec
//! spells one code `Forbidden` and `forbidden`, `NotFound` and `not_found`, `TooManyRequests`
//! and `Too Many Requests`.

use serde_json::Value;

use super::build::Builder;
use super::shape::{Shape, ShapeKind};

/// What identifies an error code: its ASCII letters and digits, lowercased.
pub(crate) fn code_key(code: &str) -> String {
    code.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Whether a code is spelled as its Rust variant is (`InvalidResourceState`).
fn is_upper_camel(code: &str) -> bool {
    super::naming::type_name(code, "") == code
}

/// How many `$ref` hops are followed to reach a schema, as `checks` does.
const MAX_HOPS: usize = 64;

impl Builder<'_> {
    /// The code a schema is the error body of: its `code` property's example, when the schema
    /// is an object whose `code` is a string with a string example.
    pub(super) fn error_code(&self, s: &Shape) -> Option<String> {
        let ShapeKind::Object(o) = &self.resolve(s).kind else {
            return None;
        };
        let code = o.props.iter().find(|p| p.wire == "code")?;
        let example = code
            .shape
            .example
            .clone()
            .or_else(|| self.resolve(&code.shape).example.clone());
        match (&self.resolve(&code.shape).kind, example) {
            (ShapeKind::Prim(super::TypeRef::String), Some(Value::String(c))) if !c.is_empty() => Some(c),
            _ => None,
        }
    }

    /// Each member's code, when every member of a union is the error body of a code.
    pub(super) fn error_union_codes(&self, variants: &[Shape]) -> Option<Vec<String>> {
        variants.iter().map(|v| self.error_code(v)).collect()
    }

    /// Notes the codes of an error status's body: its own, or its union members'.
    pub(super) fn note_error_codes(&mut self, body: &Shape) {
        let codes = match &self.resolve(body).kind {
            ShapeKind::Union { variants, .. } => variants.iter().filter_map(|v| self.error_code(v)).collect(),
            _ => self.error_code(body).into_iter().collect::<Vec<_>>(),
        };
        for code in codes {
            match self.error_codes.iter_mut().find(|c| code_key(c) == code_key(&code)) {
                // Dwolla's codes are mostly upper camel case: that spelling names the code.
                Some(known) if !is_upper_camel(known) && is_upper_camel(&code) => *known = code,
                Some(_) => {}
                None => self.error_codes.push(code),
            }
        }
    }

    /// The schema a shape is, through its `$ref`s.
    fn resolve<'s>(&'s self, mut s: &'s Shape) -> &'s Shape {
        for _ in 0..MAX_HOPS {
            match s.kind {
                ShapeKind::Ref(i) => s = &self.shapes[i],
                _ => break,
            }
        }
        s
    }
}
