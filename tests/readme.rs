//! The workspace README is one page that points elsewhere, so what it says must stay true of
//! what it points to: its links name files that exist (the crate's README among them), the
//! commands it gives are the ones CI runs, and its few lines of Rust are lines of the crate's
//! quickstart, which the crate's doctests compile. The crate's own README and docs are checked
//! here too, where they promise something to users.

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};

/// The Markdown of the workspace README, as the parts these tests read.
struct Readme {
    /// Every link's destination, as written.
    links: Vec<String>,
    /// Every fenced code block: its info string (`rust,no_run`, `sh`) and its text.
    code_blocks: Vec<(String, String)>,
}

impl Readme {
    fn parse(text: &str) -> Readme {
        let mut readme = Readme { links: Vec::new(), code_blocks: Vec::new() };
        let mut block: Option<(String, String)> = None;
        for event in Parser::new(text) {
            match event {
                Event::Start(Tag::Link { dest_url, .. }) => readme.links.push(dest_url.to_string()),
                Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                    block = Some((info.to_string(), String::new()))
                }
                Event::Text(text) => {
                    if let Some((_, content)) = block.as_mut() {
                        content.push_str(&text);
                    }
                }
                Event::End(TagEnd::CodeBlock) => readme.code_blocks.extend(block.take()),
                _ => {}
            }
        }
        readme
    }

    /// The text of each code block whose language (the info string's first word) is `lang`.
    fn blocks_in(&self, lang: &str) -> Vec<&str> {
        self.code_blocks
            .iter()
            .filter(|(info, _)| info.split(',').next().map(str::trim) == Some(lang))
            .map(|(_, text)| text.as_str())
            .collect()
    }
}

fn read(file: &str) -> String {
    let root = workspace_tests::workspace_root();
    std::fs::read_to_string(root.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

fn workspace_readme() -> Readme {
    Readme::parse(&read("README.md"))
}

/// The lines of a Rust snippet as rustdoc shows them: hidden lines (`# ...`) and blank lines left
/// out, trailing spaces trimmed.
fn shown_lines(snippet: &str) -> Vec<&str> {
    snippet
        .lines()
        .map(str::trim_end)
        .filter(|line| !line.is_empty())
        .filter(|line| {
            let code = line.trim_start();
            code != "#" && !code.starts_with("# ")
        })
        .collect()
}

/// Whether `part` is `whole` with some lines left out (every line of `part`, in order).
fn is_subsequence(part: &[&str], whole: &[&str]) -> bool {
    let mut rest = whole.iter();
    part.iter().all(|line| rest.any(|candidate| candidate == line))
}

/// The commands `.ci/run` runs: its lines that run cargo, with `time` taken off.
fn ci_commands() -> Vec<String> {
    read(".ci/run")
        .lines()
        .map(str::trim)
        .map(|line| line.strip_prefix("time ").unwrap_or(line).trim())
        .filter(|line| line.starts_with("cargo "))
        .map(str::to_owned)
        .collect()
}

/// The README leaves the crate's use to the crate's own README (its docs.rs front page, compiled
/// as doctests), so it must link there.
#[test]
fn the_readme_links_to_the_crate_readme() {
    let readme = workspace_readme();
    assert!(
        readme.links.iter().any(|link| link == "generated/README.md"),
        "README.md does not link to the crate's README (generated/README.md); its links: {:?}",
        readme.links
    );
}

/// Every link of the README that is not a web address names a file or folder of the workspace.
#[test]
fn every_relative_link_in_the_readme_names_a_file_that_exists() {
    let root = workspace_tests::workspace_root();
    let readme = workspace_readme();
    for link in &readme.links {
        if link.contains("://") || link.starts_with('#') || link.starts_with("mailto:") {
            continue;
        }
        let path = link.split('#').next().unwrap_or_default();
        assert!(root.join(path).exists(), "README.md links to `{link}`, which does not exist");
    }
}

/// The README says what CI runs; a step added to or changed in `.ci/run` must be said there too,
/// and the README's test command must be one CI runs.
#[test]
fn the_readme_gives_the_commands_ci_runs() {
    let text = read("README.md");
    let ci = ci_commands();
    assert!(ci.iter().any(|c| c == "cargo test --workspace"), ".ci/run does not run the tests: {ci:?}");
    for command in &ci {
        assert!(text.contains(command.as_str()), "README.md does not say that CI runs `{command}`");
    }
    let readme = Readme::parse(&text);
    let set_up = readme.blocks_in("sh").into_iter().next().expect("README.md has a set-up block");
    let tests: Vec<&str> = set_up
        .lines()
        .map(|line| line.split('#').next().unwrap_or_default().trim())
        .filter(|line| line.starts_with("cargo test"))
        .collect();
    assert!(!tests.is_empty(), "README.md's set-up block has no test command:\n{set_up}");
    for command in tests {
        assert!(ci.iter().any(|c| c == command), "README.md's `{command}` is not what CI runs: {ci:?}");
    }
}

/// Nothing compiles the workspace README, so each Rust snippet in it is lines of one snippet of
/// the crate's quickstart (`generator/templates/quickstart.md`), which the crate's doctests
/// compile: a change of the API that breaks the quickstart's snippet fails here until the
/// README follows.
#[test]
fn the_readme_rust_snippets_are_lines_of_the_crate_quickstart() {
    let quickstart = Readme::parse(generator::output::QUICKSTART);
    let compiled: Vec<Vec<&str>> = quickstart.blocks_in("rust").into_iter().map(shown_lines).collect();
    assert!(!compiled.is_empty(), "the crate's quickstart has Rust snippets");
    let readme = workspace_readme();
    for snippet in readme.blocks_in("rust") {
        let lines = shown_lines(snippet);
        assert!(
            compiled.iter().any(|whole| is_subsequence(&lines, whole)),
            "this Rust snippet of README.md is not lines of one snippet of the crate's quickstart, \
             so no doctest compiles it:\n{snippet}"
        );
    }
}

/// Dwolla signs a webhook's body alone, with no timestamp, so a captured delivery verifies
/// again when replayed. The packaged crate says so, and what to do (de-duplicate by the event
/// id), where its users read it: its README (the docs.rs front page) and the `webhooks` module,
/// not only in the workspace's SECURITY.md, which is not packaged.
#[test]
fn the_packaged_readme_and_webhook_docs_tell_handlers_to_deduplicate_by_event_id() {
    for file in ["generated/README.md", "generated/src/webhooks.rs"] {
        let text = read(file);
        // Words only: line breaks and comment markers do not split a phrase.
        let words: Vec<&str> = text.split_whitespace().filter(|w| !matches!(*w, "//!" | "///")).collect();
        let prose = words.join(" ");
        for phrase in ["no timestamp", "replayed", "de-duplicate by the event id"] {
            assert!(prose.contains(phrase), "{file} does not say `{phrase}`");
        }
    }
}

/// The crate's documentation builds without a warning: no broken intra-doc link, no missing doc
/// (the crate denies `missing_docs`), no bare URL.
#[test]
fn rustdoc_of_the_crate_has_no_warnings() {
    let root = workspace_tests::workspace_root();
    let target = workspace_tests::own_target_dir!();
    let out = workspace_tests::cargo_with_env(
        &root,
        &target,
        &["doc", "-p", "dwolla-client", "--no-deps"],
        &[("RUSTDOCFLAGS", "-D warnings")],
    );
    assert!(out.status.success(), "{}", workspace_tests::text(&out));
}
