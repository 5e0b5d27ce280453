//! The workspace README's quickstart is the crate's quickstart, word for word, so the two cannot
//! drift apart: the crate's README, its front page, is compiled as its doctests, and the
//! workspace README has no Rust outside the quickstart. (The crate does not include the
//! workspace README itself: its package must build without the workspace around it.)

/// The byte ranges of the workspace README's quickstart copy: (start of the marker, end of the
/// copy, where the end marker starts).
fn quickstart_range(readme: &str) -> (usize, usize, usize) {
    let start = readme
        .find("<!-- quickstart: start")
        .expect("the README marks where the quickstart starts");
    let body_start = readme[start..]
        .find("-->")
        .map(|i| start + i + 4)
        .expect("closed marker");
    let end = readme
        .find("<!-- quickstart: end -->")
        .expect("the README marks where the quickstart ends");
    (start, body_start, end)
}

#[test]
fn the_readme_quickstart_is_the_crate_quickstart() {
    let root = workspace_tests::workspace_root();
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap_or_else(|e| panic!("{e}"));
    let (_, body_start, end) = quickstart_range(&readme);
    let copy = &readme[body_start..end];
    assert_eq!(
        copy,
        generator::output::QUICKSTART,
        "README.md's quickstart differs from generator/templates/quickstart.md: copy it over"
    );
}

/// Dwolla signs a webhook's body alone, with no timestamp, so a captured delivery verifies
/// again when replayed. The packaged crate says so, and what to do (de-duplicate by the event
/// id), where its users read it: its README (the docs.rs front page) and the `webhooks` module,
/// not only in the workspace's SECURITY.md, which is not packaged.
#[test]
fn the_packaged_readme_and_webhook_docs_tell_handlers_to_deduplicate_by_event_id() {
    let root = workspace_tests::workspace_root();
    for file in ["generated/README.md", "generated/src/webhooks.rs"] {
        let text = std::fs::read_to_string(root.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        // Words only: line breaks and comment markers do not split a phrase.
        let words: Vec<&str> = text.split_whitespace().filter(|w| !matches!(*w, "//!" | "///")).collect();
        let prose = words.join(" ");
        for phrase in ["no timestamp", "replayed", "de-duplicate by the event id"] {
            assert!(prose.contains(phrase), "{file} does not say `{phrase}`");
        }
    }
}

/// Rust in the workspace README is compiled only as part of the quickstart, which the crate's
/// doctests compile: a snippet outside it would be checked by nothing.
#[test]
fn the_readme_has_rust_only_in_the_quickstart() {
    let root = workspace_tests::workspace_root();
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap_or_else(|e| panic!("{e}"));
    let (start, _, end) = quickstart_range(&readme);
    let mut offset = 0;
    let mut rust_blocks = 0;
    for line in readme.split_inclusive('\n') {
        let fence = line.trim_start().strip_prefix("```").map(str::trim);
        if let Some(info) = fence {
            let lang = info.split(',').next().unwrap_or_default();
            if lang == "rust" {
                rust_blocks += 1;
                assert!(
                    (start..end).contains(&offset),
                    "README.md has a Rust snippet outside the quickstart, which no doctest compiles: {line}"
                );
            }
        }
        offset += line.len();
    }
    assert!(rust_blocks > 0, "the quickstart has Rust snippets");
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
