//! The workspace README's quickstart is the crate's quickstart, word for word, so the two cannot
//! drift apart (both are compiled as doctests of the `dwolla` crate).

#[test]
fn the_readme_quickstart_is_the_crate_quickstart() {
    let root = workspace_tests::workspace_root();
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap_or_else(|e| panic!("{e}"));
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
    let copy = &readme[body_start..end];
    assert_eq!(
        copy,
        generator::output::QUICKSTART,
        "README.md's quickstart differs from generator/templates/quickstart.md: copy it over"
    );
}

/// The crate's documentation builds without a warning: no broken intra-doc link, no missing doc
/// (the crate denies `missing_docs`), no bare URL.
#[test]
fn rustdoc_of_the_crate_has_no_warnings() {
    let root = workspace_tests::workspace_root();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = std::process::Command::new(cargo)
        .args(["doc", "--offline", "-p", "dwolla", "--no-deps"])
        .env("RUSTDOCFLAGS", "-D warnings")
        .current_dir(&root)
        .output()
        .unwrap_or_else(|e| panic!("cargo doc: {e}"));
    assert!(out.status.success(), "{}", workspace_tests::text(&out));
}
