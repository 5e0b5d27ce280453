//! Turns the spec's prose into rustdoc that builds cleanly with `-D warnings`: no accidental
//! doctests, no broken intra-doc links, no bare URLs, no stray HTML. The escaping itself is
//! [`crate::escape`]'s; this module makes attributes of it.

use proc_macro2::TokenStream;
use quote::quote;

use crate::escape;

/// `#[doc = ...]` attributes for spec prose `text`, one per line; nothing for `None` or blank
/// text.
pub fn attrs(text: Option<&str>) -> TokenStream {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => lines(&sanitize(t)),
        None => TokenStream::new(),
    }
}

/// `#[doc = ...]` attributes for text that is already rustdoc (written by the generator, with
/// spec text in it only through [`sanitize`], [`code`] or [`inline`]). Whatever it holds, no
/// code block in it can run ([`escape::rustdoc_inert`]).
pub fn lines(text: &str) -> TokenStream {
    let text = escape::rustdoc_inert(text);
    let lines = text.lines().map(doc_line);
    quote! { #( #[doc = #lines] )* }
}

/// `#![doc = ...]` attributes (module docs) for text written by the generator, made inert like
/// [`lines`].
pub fn inner_lines(text: &str) -> TokenStream {
    let text = escape::rustdoc_inert(text);
    let lines = text.lines().map(doc_line);
    quote! { #( #![doc = #lines] )* }
}

/// One line of a doc comment, with the space after `///`.
fn doc_line(line: &str) -> String {
    if line.is_empty() { String::new() } else { format!(" {line}") }
}

/// Spec prose as a block of rustdoc: see [`escape::rustdoc`]. Start it on a line of its own.
pub fn sanitize(text: &str) -> String {
    escape::rustdoc(text)
}

/// Spec text (a name, a wire value, a path) as a code span inside a sentence.
pub fn code(text: &str) -> String {
    escape::code_span(text)
}

/// Spec prose inside a sentence: one line of plain text.
pub fn inline(text: &str) -> String {
    escape::markdown_inline(text)
}
