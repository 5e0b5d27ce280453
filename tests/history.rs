//! The generator survives the spec's evolution and its other shapes: every earlier real
//! revision in `spec/history/`, and Dwolla's own document before its SDK overlay
//! (`spec/upstream/`), generates with today's overlay a crate that compiles without warnings
//! and whose spec-driven tests pass (every component is a public type; every example of that
//! document round-trips).

use std::path::Path;

use workspace_tests::{cargo, scratch_dir, text, workspace_root, write_generated_crate};

/// The generated crates are all called `dwolla` and build into one target directory, so two
/// built at once overwrite each other's test binaries: the tests take turns.
static ONE_CRATE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Generates a crate from `spec` (a path relative to the workspace root) with today's
/// overlay, builds it and runs its `components` and `spec_examples` tests; fails on any
/// compiler warning or error.
fn generates_a_clean_crate(name: &str, spec: &str) {
    // A test that panicked while holding the lock has reported its failure already.
    let _turn = ONE_CRATE_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let root = workspace_root();
    let overlay = std::fs::read_to_string(root.join(generator::OVERLAY_PATH)).unwrap_or_else(|e| panic!("{e}"));
    let text_spec = std::fs::read_to_string(root.join(spec)).unwrap_or_else(|e| panic!("{spec}: {e}"));
    let generated = generator::render(&text_spec, spec, Some((&overlay, generator::OVERLAY_PATH)))
        .unwrap_or_else(|e| panic!("{name}: generation failed: {e}"));
    let dir = scratch_dir(&format!("history-{name}"));
    write_generated_crate(&dir, &generated.files);
    let target = root.join("target").join("generated-crates");
    // The library and the spec-driven tests (components, example round-trips); the
    // per-operation coverage test runs on the current spec in the workspace itself.
    let out = cargo(
        &dir,
        &target,
        &[
            "test",
            "--message-format",
            "short",
            "--test",
            "components",
            "--test",
            "spec_examples",
            "--",
            "--nocapture",
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    let diagnostics: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("warning:") || l.contains("error:") || l.contains("error["))
        .collect();
    let summary: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| l.contains("examples,") || l.starts_with("test result"))
        .map(str::to_owned)
        .collect();
    println!(
        "{name}: {} types, {} operations, {} overlay warnings; cargo test -> {} ({} compiler warnings or errors); {}",
        generated.ir.types.len(),
        generated.ir.operations.len(),
        generated.warnings.len(),
        out.status,
        diagnostics.len(),
        summary.join(" | ")
    );
    assert!(
        out.status.success() && diagnostics.is_empty(),
        "{name}: the generated crate does not pass `cargo test` without warnings\n{}",
        text(&out)
    );
}

#[test]
fn every_historical_revision_generates_a_crate_that_compiles_and_passes_its_tests() {
    let root = workspace_root();
    let mut revisions: Vec<_> = std::fs::read_dir(root.join("spec/history"))
        .unwrap_or_else(|e| panic!("spec/history: {e}"))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    revisions.sort();
    assert_eq!(revisions.len(), 5, "expected the five historical revisions");
    for rev in &revisions {
        let name = rev
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let file = rev
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        generates_a_clean_crate(&name, &format!("spec/history/{file}"));
    }
}

/// Dwolla's document before its SDK overlay is shaped differently (a 15-way `oneOf` body,
/// untyped unions, fewer `x-speakeasy-*` names): a second real input, not a revision.
#[test]
fn the_upstream_document_generates_a_crate_that_compiles_and_passes_its_tests() {
    let spec = "spec/upstream/openapi-2026-01-23-d4901e4.yml";
    assert!(Path::new(&workspace_root().join(spec)).is_file(), "{spec} is missing");
    generates_a_clean_crate("upstream", spec);
}
