//! The one place where text from the spec is made safe for the language it lands in: rustdoc
//! (block prose and code spans), Markdown (inline text of `README.md` and `CHANGES.md`) and
//! TOML (comments, strings and keys of `Cargo.toml`). Spec text is untrusted: whatever it
//! contains, the output is inert text in its target language. Rust string literals need no
//! function here: every one is a token made by `quote` (`proc_macro2::Literal`), which escapes.
//!
//! Every function first drops what no target takes literally: control characters other than
//! newlines and tabs (a bare carriage return is an error in a doc comment) and the Unicode
//! bidirectional controls (rustc denies them in comments and literals, since they can make
//! source read differently from how it compiles).

/// Spec prose as rustdoc: a block of Markdown that renders the prose and cannot run.
///
/// - A fence (three or more `` ` `` or `~`, at any indentation, with or without an info string)
///   becomes a ```` ```text ```` block that is always closed, with a fence longer than any run
///   of backticks inside it, so no line of the content can end it early.
/// - Everything else is left-aligned, so indentation cannot start an indented code block (a
///   doctest).
/// - `<` and `>` become entities (no HTML, no block quotes), `[` and `]` are escaped (no
///   intra-doc links), and bare URLs become autolinks.
/// - A container that line-by-line reading does not see (a list item whose first line is a
///   fence, `* ```` `, or holds indented code, `-      x`) is caught as in [`rustdoc_inert`]: the
///   result is parsed as rustdoc parses it, and if any code block in it could run, the whole
///   text is shown as one ```` ```text ```` block instead.
pub fn rustdoc(text: &str) -> String {
    let text = clean(text.trim());
    let rewritten = prose_lines(&text);
    if runs_nothing(&rewritten) { rewritten } else { one_text_block(&text) }
}

/// [`rustdoc`]'s line-by-line rewrite of cleaned text: fences as closed `text` blocks, other
/// lines as left-aligned prose.
fn prose_lines(text: &str) -> String {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut out = String::with_capacity(text.len() + 16);
    let mut i = 0;
    while i < lines.len() {
        let trimmed = lines[i].trim_start();
        i += 1;
        let Some((fence_char, fence_len)) = fence(trimmed) else {
            out.push_str(markdown_prose(trimmed).trim_end());
            out.push('\n');
            continue;
        };
        let mut content = Vec::new();
        while i < lines.len() {
            let line = lines[i];
            i += 1;
            if closes(line.trim(), fence_char, fence_len) {
                break;
            }
            content.push(line.trim_end());
        }
        let longest = content.iter().map(|l| leading_run(l.trim_start(), '`')).max().unwrap_or(0);
        let ticks = "`".repeat(longest.max(2) + 1);
        out.push_str(&ticks);
        out.push_str("text\n");
        for line in content {
            out.push_str(line);
            out.push('\n');
        }
        out.push_str(&ticks);
        out.push('\n');
    }
    out.trim_end().to_owned()
}

/// The last line of defence for a doc comment as a whole (generator text with escaped spec text
/// in it): whatever reached it, no code block in it can run. Every fence's info string becomes
/// `text` (its fence characters kept, so it closes where it did) and an unclosed fence is
/// closed; lines outside fences are left-aligned, so none is an indented code block. Text that
/// [`rustdoc`] made, and generator text without fences or indentation, pass unchanged.
///
/// That line-by-line rewrite cannot see every Markdown context a fence may sit in (an HTML
/// block or a block quote around it changes what is a fence), so its result is parsed as rustdoc
/// parses it; if any code block in it could still run, the whole text is shown as one
/// ```` ```text ```` block instead.
pub fn rustdoc_inert(text: &str) -> String {
    let text = clean(text);
    let rewritten = fences_as_text(&text);
    if runs_nothing(&rewritten) { rewritten } else { one_text_block(&text) }
}

/// Every fence of `text` as a `text` fence, every other line left-aligned.
fn fences_as_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut open: Option<(char, usize)> = None;
    for line in text.split('\n') {
        match open {
            Some((c, n)) => {
                if closes(line.trim(), c, n) {
                    out.push_str(&c.to_string().repeat(n));
                    open = None;
                } else {
                    out.push_str(line);
                }
            }
            None => {
                let trimmed = line.trim_start();
                match fence(trimmed) {
                    Some((c, n)) => {
                        out.push_str(&c.to_string().repeat(n));
                        out.push_str("text");
                        open = Some((c, n));
                    }
                    None => out.push_str(trimmed),
                }
            }
        }
        out.push('\n');
    }
    if let Some((c, n)) = open {
        out.push_str(&c.to_string().repeat(n));
        out.push('\n');
    }
    out.pop();
    out
}

/// Whether rustdoc finds no code block in `doc` that it would compile: every code block is a
/// fenced block whose info string is exactly `text` (indented blocks are doctests).
fn runs_nothing(doc: &str) -> bool {
    use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag};
    // The extensions rustdoc turns on; footnotes and tables are containers a fence can sit in.
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION;
    Parser::new_ext(doc, options).all(|event| match event {
        Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => &*info == "text",
        Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)) => false,
        _ => true,
    })
}

/// All of `text` as one ```` ```text ```` block: its fence is longer than any run of backticks
/// in the text, so no line can close it, and nothing inside a fenced block is Markdown.
fn one_text_block(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let ticks = "`".repeat(longest.max(2) + 1);
    format!("{ticks}text\n{}\n{ticks}", text.trim_end())
}

/// Spec text as a Markdown code span (rustdoc or Markdown files): on one line, shown exactly,
/// never interpreted. The delimiter is one backtick longer than any run inside.
pub fn code_span(text: &str) -> String {
    let text = one_line(text);
    if text.is_empty() {
        return "` `".to_owned();
    }
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let ticks = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') || (text.starts_with(' ') && text.ends_with(' ')) {
        " "
    } else {
        ""
    };
    format!("{ticks}{pad}{text}{pad}{ticks}")
}

/// Spec text for the inside of a code span someone else's single backticks delimit (the change
/// report's sentences): one line, backticks turned into `'`, so the span ends where it should.
pub fn code_span_text(text: &str) -> String {
    match one_line(text).replace('`', "'") {
        empty if empty.is_empty() => " ".to_owned(),
        text => text,
    }
}

/// Spec text as inline Markdown (a sentence of rustdoc, a README table cell, a list item of
/// `CHANGES.md`): one line, whose Markdown punctuation is backslash-escaped so that it is
/// read as plain text (no code, emphasis, links, HTML, entities or table cells), and bare URLs
/// become autolinks.
pub fn markdown_inline(text: &str) -> String {
    let text = one_line(text);
    let mut out = String::with_capacity(text.len() + 8);
    let mut rest = text.as_str();
    while let Some(c) = rest.chars().next() {
        if let Some(url_len) = url_at(rest) {
            out.push('<');
            out.push_str(&rest[..url_len]);
            out.push('>');
            rest = &rest[url_len..];
            continue;
        }
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '|' | '~' | '#' | '!' | '^') {
            out.push('\\');
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Spec text as the rest of a TOML comment line (after `# `): one line.
pub fn toml_comment(text: &str) -> String {
    one_line(text)
}

/// Spec text as a TOML basic string, quotes included.
pub fn toml_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A TOML key: bare when it can be, a quoted string otherwise.
pub fn toml_key(text: &str) -> String {
    let bare = !text.is_empty() && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if bare { text.to_owned() } else { toml_string(text) }
}

/// Newlines normalized to `\n`; other control characters and bidirectional controls become
/// spaces (tabs stay).
fn clean(text: &str) -> String {
    text.replace("\r\n", "\n")
        .chars()
        .map(|c| match c {
            '\n' | '\t' => c,
            '\r' => '\n',
            c if c.is_control() || is_bidi_control(c) => ' ',
            c => c,
        })
        .collect()
}

/// [`clean`] text on one line: every run of whitespace (newlines included) is one space.
fn one_line(text: &str) -> String {
    let cleaned = clean(text);
    cleaned.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The characters rustc's `text_direction_codepoint_in_comment` and `_in_literal` lints deny.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The fence character and length a (left-trimmed) line opens with, if it is a fence.
fn fence(line: &str) -> Option<(char, usize)> {
    let c = line.chars().next().filter(|c| matches!(c, '`' | '~'))?;
    let n = leading_run(line, c);
    (n >= 3).then_some((c, n))
}

/// Whether a trimmed line closes a fence of `len` times `c`.
fn closes(line: &str, c: char, len: usize) -> bool {
    let n = leading_run(line, c);
    n >= len && line[n..].trim().is_empty()
}

/// How many times `c` starts `s` (`c` is ASCII).
fn leading_run(s: &str, c: char) -> usize {
    s.len() - s.trim_start_matches(c).len()
}

/// One left-aligned line of rustdoc prose: HTML and link brackets neutralized, URLs linked.
fn markdown_prose(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        if let Some(url_len) = url_at(rest) {
            out.push('<');
            out.push_str(&rest[..url_len]);
            out.push('>');
            rest = &rest[url_len..];
            continue;
        }
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
        .find(|c: char| {
            c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`' | ')' | ']' | '\'' | '|' | '\\')
        })
        .unwrap_or(s.len());
    let url = s[..end].trim_end_matches(['.', ',', ';', ':', '!', '?']);
    // A scheme with nothing after it is not a link.
    (url.len() > "https://".len()).then_some(url.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indented_text_cannot_become_a_doctest() {
        assert_eq!(rustdoc("Example:\n\n    let x = 1;"), "Example:\n\nlet x = 1;");
    }

    #[test]
    fn every_fence_becomes_a_closed_text_fence() {
        assert_eq!(rustdoc("```\nfoo\n```"), "```text\nfoo\n```");
        assert_eq!(rustdoc("```json\n{}"), "```text\n{}\n```");
        assert_eq!(rustdoc("~~~\nfn main() {}\n~~~\nafter"), "```text\nfn main() {}\n```\nafter");
        assert_eq!(rustdoc("   ~~~~rust\nx\n~~~~"), "```text\nx\n```");
        assert_eq!(rustdoc("    ```\nx\n```"), "```text\nx\n```");
        // A backtick fence inside a tilde fence is content; the output fence outlasts it.
        assert_eq!(rustdoc("~~~\n```\nx\n~~~"), "````text\n```\nx\n````");
        // A shorter fence does not close a longer one.
        assert_eq!(rustdoc("````\n```\nx\n````\ny"), "````text\n```\nx\n````\ny");
    }

    #[test]
    fn links_and_brackets() {
        assert_eq!(
            rustdoc("See https://developers.dwolla.com/x. [a] <b>"),
            "See <https://developers.dwolla.com/x>. \\[a\\] &lt;b&gt;"
        );
    }

    #[test]
    fn control_and_bidi_characters_are_dropped() {
        assert_eq!(rustdoc("a\rb\u{202E}c\u{0}d"), "a\nb c d");
        assert_eq!(toml_comment("a\n[x]\r\u{7f}y"), "a [x] y");
    }

    #[test]
    fn code_spans_outlast_their_content() {
        assert_eq!(code_span("a"), "`a`");
        assert_eq!(code_span("a`b"), "``a`b``");
        assert_eq!(code_span("`"), "`` ` ``");
        assert_eq!(code_span("x\n```\ny"), "````x ``` y````");
        assert_eq!(code_span(""), "` `");
    }

    #[test]
    fn inline_markdown_is_plain_text() {
        assert_eq!(markdown_inline("a | *b*\n```\n<i>"), "a \\| \\*b\\* \\`\\`\\` \\<i\\>");
        assert_eq!(markdown_inline("see https://x.example/a_b."), "see <https://x.example/a_b>.");
        assert_eq!(markdown_inline("1.2.0"), "1.2.0");
    }

    #[test]
    fn toml_strings_and_keys() {
        assert_eq!(toml_string("a\"b\\c\nd\u{1}"), "\"a\\\"b\\\\c\\nd\\u0001\"");
        assert_eq!(toml_key("exchange-sessions"), "exchange-sessions");
        assert_eq!(toml_key("a b"), "\"a b\"");
        assert_eq!(toml_key(""), "\"\"");
    }

    /// Spec text the way an attacker writes it: pieces of every syntax the escapes defend
    /// against, glued by arbitrary text.
    fn hostile_text() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let piece = prop_oneof![
            Just("```".to_owned()),
            Just("```rust".to_owned()),
            Just("````".to_owned()),
            Just("~~~".to_owned()),
            Just("~~~~ no_run".to_owned()),
            Just("   ```".to_owned()),
            Just("    indented();".to_owned()),
            Just("\n".to_owned()),
            Just("\n\n".to_owned()),
            Just("\r".to_owned()),
            Just("`".to_owned()),
            Just("*/".to_owned()),
            Just("/*".to_owned()),
            Just("#[".to_owned()),
            Just("#![doc = \"x\"]".to_owned()),
            Just("\"".to_owned()),
            Just("\\".to_owned()),
            Just("<script>".to_owned()),
            Just("<!--".to_owned()),
            Just("&amp;".to_owned()),
            Just("[link](x)".to_owned()),
            Just("| a |".to_owned()),
            Just("> quote".to_owned()),
            Just("https://example.com/a_b".to_owned()),
            Just("[dependencies]\nevil = { path = \"x\" }".to_owned()),
            Just("\"\"\"".to_owned()),
            Just("'''".to_owned()),
            Just("\u{202E}".to_owned()),
            Just("\u{0}".to_owned()),
            Just("\u{7f}".to_owned()),
            Just("\t".to_owned()),
            "[ -~]{0,8}",
            any::<String>(),
        ];
        proptest::collection::vec(piece, 0..12).prop_map(|pieces| pieces.concat())
    }

    /// Every code block Markdown `text` holds, as (fenced, info string).
    fn code_blocks(text: &str) -> Vec<(bool, String)> {
        use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag};
        Parser::new(text)
            .filter_map(|event| match event {
                Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => Some((true, info.to_string())),
                Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)) => Some((false, String::new())),
                _ => None,
            })
            .collect()
    }

    /// The first thing in Markdown `text` that is not plain text in a paragraph, if any.
    fn structure(text: &str, options: pulldown_cmark::Options) -> Option<String> {
        use pulldown_cmark::{Event, Parser, Tag, TagEnd};
        Parser::new_ext(text, options).find_map(|event| match event {
            Event::Text(_) | Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph) => None,
            Event::Start(Tag::Table(_) | Tag::TableHead | Tag::TableRow | Tag::TableCell)
            | Event::End(TagEnd::Table | TagEnd::TableHead | TagEnd::TableRow | TagEnd::TableCell) => None,
            Event::Start(Tag::Link { link_type: pulldown_cmark::LinkType::Autolink, .. })
            | Event::End(TagEnd::Link) => None,
            other => Some(format!("{other:?}")),
        })
    }

    /// The keys of a TOML table, sorted.
    fn keys(table: &toml::Table) -> Vec<String> {
        let mut keys: Vec<String> = table.keys().cloned().collect();
        keys.sort();
        keys
    }

    /// A list item can hold a fence or indented code on its marker's line, where reading line
    /// by line sees prose (proptest found `*   ````); the parsed result decides.
    #[test]
    fn list_items_cannot_hide_code() {
        for text in ["*   ```", "- ```rust\nfn f() {}\n```", "1. ```\nx", "+      indented(code);", "2)\t```"] {
            let doc = rustdoc(text);
            assert!(runs_nothing(&doc), "runnable code in\n{doc}");
            for (fenced, info) in code_blocks(&doc) {
                assert!(fenced && info == "text", "code block {info:?} in\n{doc}");
            }
        }
        // Ordinary prose with a list stays prose.
        assert_eq!(rustdoc("Steps:\n* one\n* two"), "Steps:\n* one\n* two");
    }

    /// A fence inside an HTML block or a block quote is not where a line-by-line reading puts
    /// it: the parsed result decides, and such text becomes one `text` block.
    #[test]
    fn fences_in_html_blocks_and_quotes_cannot_run() {
        for text in ["<!--\n```\n<!--> quote", "> ```\n> let x = 1;\n> ```", "- ```rust\n  fn f() {}\n  ```", "<div>\n```\n</div>\n```"] {
            let inert = rustdoc_inert(text);
            for (fenced, info) in code_blocks(&inert) {
                assert!(fenced && info == "text", "code block {info:?} in\n{inert}");
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

        /// Rustdoc from spec prose has no code block but closed ```` ```text ```` fences, no
        /// indented line outside them, no HTML, and no character rustc refuses.
        #[test]
        fn rustdoc_never_runs_spec_text(text in hostile_text()) {
            let doc = rustdoc(&text);
            for (fenced, info) in code_blocks(&doc) {
                proptest::prop_assert!(fenced && info == "text", "code block {:?} in\n{}", info, doc);
            }
            let mut in_fence = None::<usize>;
            for line in doc.lines() {
                let ticks = leading_run(line, '`');
                match in_fence {
                    None if ticks >= 3 => in_fence = Some(ticks),
                    Some(n) if ticks == n && line[ticks..].is_empty() => in_fence = None,
                    None => proptest::prop_assert!(
                        !line.starts_with([' ', '\t']) && !line.starts_with("~~~"),
                        "indented or fence {:?}",
                        line
                    ),
                    Some(_) => {}
                }
            }
            proptest::prop_assert!(in_fence.is_none(), "unclosed fence in\n{}", doc);
            use pulldown_cmark::{Event, Parser};
            for event in Parser::new(&doc) {
                proptest::prop_assert!(!matches!(event, Event::Html(_) | Event::InlineHtml(_)), "{:?} in\n{}", event, doc);
            }
            let refused = |c: char| c == '\r' || (c.is_control() && c != '\n' && c != '\t') || is_bidi_control(c);
            proptest::prop_assert!(!doc.contains(refused), "{:?}", doc);
        }

        /// Any text at all, through the last line of defence, holds no code block that can
        /// run; and what [`rustdoc`] made passes through it unchanged.
        #[test]
        fn rustdoc_inert_leaves_nothing_runnable(text in hostile_text()) {
            let inert = rustdoc_inert(&text);
            for (fenced, info) in code_blocks(&inert) {
                proptest::prop_assert!(fenced && info == "text", "code block {:?} in\n{}", info, inert);
            }
            let doc = rustdoc(&text);
            proptest::prop_assert_eq!(rustdoc_inert(&doc), doc);
        }

        /// A code span shows exactly the spec text (on one line), and nothing else.
        #[test]
        fn code_spans_hold_exactly_their_text(text in hostile_text()) {
            use pulldown_cmark::{Event, Parser};
            let span = code_span(&text);
            let line = format!("a {span} b");
            let codes: Vec<String> = Parser::new(&line)
                .filter_map(|e| match e { Event::Code(c) => Some(c.to_string()), _ => None })
                .collect();
            let expected = match one_line(&text) { t if t.is_empty() => " ".to_owned(), t => t };
            proptest::prop_assert_eq!(codes, vec![expected], "{}", line);
            proptest::prop_assert!(!span.contains('\n'));
            let line = format!("a `{}` b", code_span_text(&text));
            let codes = Parser::new(&line).filter(|e| matches!(e, Event::Code(_))).count();
            let rest = Parser::new(&line).filter(|e| !matches!(e, Event::Code(_) | Event::Text(_) | Event::Start(_) | Event::End(_))).count();
            proptest::prop_assert_eq!((codes, rest), (1, 0), "{}", line);
        }

        /// Inline Markdown is plain text, in a sentence and in a table cell: no HTML, code,
        /// emphasis, link (but autolinks of URLs), block or extra cell.
        #[test]
        fn inline_markdown_is_only_text(text in hostile_text()) {
            use pulldown_cmark::Options;
            let inline = markdown_inline(&text);
            proptest::prop_assert!(!inline.contains('\n'));
            let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES;
            let line = format!("Version {inline} here.");
            proptest::prop_assert_eq!(structure(&line, options), None, "{}", line);
            let table = format!("| a | b |\n|---|---|\n| `x` | {inline} |\n");
            proptest::prop_assert_eq!(structure(&table, options).filter(|s| !s.starts_with("Code")), None, "{}", table);
            let cells = pulldown_cmark::Parser::new_ext(&table, options)
                .filter(|e| matches!(e, pulldown_cmark::Event::Start(pulldown_cmark::Tag::TableCell)))
                .count();
            proptest::prop_assert_eq!(cells, 4, "{}", table);
        }

        /// A TOML comment, key and string from spec text keep a document to exactly its own
        /// keys, and read back as the text.
        #[test]
        fn toml_keeps_its_keys(text in hostile_text()) {
            let doc = format!(
                "[features]\n# {}\n{} = []\nfull = [{}]\n",
                toml_comment(&text),
                toml_key(&text),
                toml_string(&text),
            );
            let table: toml::Table = doc
                .parse()
                .map_err(|e| proptest::test_runner::TestCaseError::fail(format!("{e}\n{doc}")))?;
            proptest::prop_assert_eq!(keys(&table), vec!["features".to_owned()], "{}", doc);
            let features = table["features"].as_table().cloned().unwrap_or_default();
            let mut expected = vec![text.clone(), "full".to_owned()];
            expected.sort();
            proptest::prop_assert_eq!(keys(&features), expected, "{}", doc);
            let full = features["full"].as_array().and_then(|a| a.first()).and_then(|v| v.as_str());
            proptest::prop_assert_eq!(full, Some(text.as_str()));
        }
    }
}
