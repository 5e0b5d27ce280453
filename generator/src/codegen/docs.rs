//! Turns the spec's prose into rustdoc that builds cleanly with `-D warnings`: no accidental
//! doctests, no broken intra-doc links, no bare URLs, no stray HTML.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = ...]` attributes for `text`, one per line; nothing for `None` or blank text.
pub fn attrs(text: Option<&str>) -> TokenStream {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => lines(&sanitize(t)),
        None => TokenStream::new(),
    }
}

/// `#[doc = ...]` attributes for text that is already rustdoc (written by the generator).
pub fn lines(text: &str) -> TokenStream {
    let lines = text
        .lines()
        .map(|l| if l.is_empty() { String::new() } else { format!(" {l}") });
    quote! { #( #[doc = #lines] )* }
}

/// `#![doc = ...]` attributes (module docs) for text written by the generator.
pub fn inner_lines(text: &str) -> TokenStream {
    let lines = text
        .lines()
        .map(|l| if l.is_empty() { String::new() } else { format!(" {l}") });
    quote! { #( #![doc = #lines] )* }
}

/// Makes spec prose safe for rustdoc. Fenced code becomes ```` ```text ````; everything else is
/// left-aligned (so indentation cannot start a code block), brackets and angle brackets are
/// escaped, and URLs become autolinks.
pub fn sanitize(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut in_fence = false;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") {
            out.push_str(if in_fence { "```" } else { "```text" });
            in_fence = !in_fence;
        } else if in_fence {
            out.push_str(line);
        } else {
            out.push_str(&inline(trimmed));
        }
        out.push('\n');
    }
    if in_fence {
        out.push_str("```\n");
    }
    out.trim_end().to_owned()
}

fn inline(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while !rest.is_empty() {
        if let Some(url_len) = url_at(rest) {
            out.push('<');
            out.push_str(&rest[..url_len]);
            out.push('>');
            rest = &rest[url_len..];
            continue;
        }
        let Some(c) = rest.chars().next() else { break };
        match c {
            '[' => out.push_str("\\["),
            ']' => out.push_str("\\]"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// The length of the URL at the start of `s`, trailing punctuation excluded.
fn url_at(s: &str) -> Option<usize> {
    if !(s.starts_with("https://") || s.starts_with("http://")) {
        return None;
    }
    let end = s
        .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`' | ')' | ']' | '\'' | '|'))
        .unwrap_or(s.len());
    let url = s[..end].trim_end_matches(['.', ',', ';', ':', '!', '?']);
    Some(url.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indented_text_cannot_become_a_doctest() {
        assert_eq!(sanitize("Example:\n\n    let x = 1;"), "Example:\n\nlet x = 1;");
    }

    #[test]
    fn fences_become_text() {
        assert_eq!(sanitize("```\nfoo\n```"), "```text\nfoo\n```");
        assert_eq!(sanitize("```json\n{}"), "```text\n{}\n```");
    }

    #[test]
    fn links_and_brackets() {
        assert_eq!(
            sanitize("See https://developers.dwolla.com/x. [a] <b>"),
            "See <https://developers.dwolla.com/x>. \\[a\\] &lt;b&gt;"
        );
    }
}
