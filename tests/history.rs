//! The generator survives the spec's evolution: every earlier real revision in
//! `spec/history/` generates a crate that compiles and whose spec-driven tests pass (every
//! component is a public type; every example of that revision round-trips).

use workspace_tests::{cargo, scratch_dir, text, workspace_root, write_generated_crate};

#[test]
fn every_historical_revision_generates_a_crate_that_compiles_and_passes_its_tests() {
    let root = workspace_root();
    let overlay = std::fs::read_to_string(root.join(generator::OVERLAY_PATH)).unwrap_or_else(|e| panic!("{e}"));
    let mut revisions: Vec<_> = std::fs::read_dir(root.join("spec/history"))
        .unwrap_or_else(|e| panic!("spec/history: {e}"))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    revisions.sort();
    assert_eq!(revisions.len(), 5, "expected the five historical revisions");
    let target = root.join("target").join("generated-crates");
    for rev in &revisions {
        let name = rev
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let text_spec = std::fs::read_to_string(rev).unwrap_or_else(|e| panic!("{e}"));
        let generated = generator::render(
            &text_spec,
            &format!("spec/history/{name}.yaml"),
            Some((&overlay, generator::OVERLAY_PATH)),
        )
        .unwrap_or_else(|e| panic!("{name}: generation failed: {e}"));
        let dir = scratch_dir(&format!("history-{name}"));
        write_generated_crate(&dir, &generated.files);
        // The library and the spec-driven tests (components, example round-trips); the
        // per-operation coverage test runs on the current spec in the workspace itself.
        let out = cargo(
            &dir,
            &target,
            &[
                "test",
                "--test",
                "components",
                "--test",
                "spec_examples",
                "--",
                "--nocapture",
            ],
        );
        let summary: Vec<String> = String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter(|l| l.contains("examples,") || l.starts_with("test result"))
            .map(str::to_owned)
            .collect();
        println!(
            "{name}: {} types, {} operations, {} overlay warnings; cargo test -> {}; {}",
            generated.ir.types.len(),
            generated.ir.operations.len(),
            generated.warnings.len(),
            out.status,
            summary.join(" | ")
        );
        assert!(
            out.status.success(),
            "{name}: the generated crate does not pass `cargo test`\n{}",
            text(&out)
        );
    }
}
