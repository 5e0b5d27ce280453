//! The drift check: `cargo test` fails when `generated/` differs from what `spec/` produces,
//! and says how to fix it.

#[test]
fn generated_crate_matches_the_spec() {
    let root = workspace_tests::workspace_root();
    if let Err(e) = generator::generate(&root, true) {
        panic!(
            "{e}\n\nThe checked-in crate under generated/ is not what spec/ produces: run `cargo xtask codegen` and commit the result."
        );
    }
}

/// Two runs give identical bytes.
#[test]
fn generation_is_deterministic() {
    let root = workspace_tests::workspace_root();
    let a = generator::render_workspace(&root).unwrap_or_else(|e| panic!("{e}"));
    let b = generator::render_workspace(&root).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(a.files, b.files);
}
