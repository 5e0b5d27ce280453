//! The generator survives the spec's evolution and its other shapes: every earlier real
//! revision in `spec/history/`, and Dwolla's own document before its SDK overlay
//! (`spec/upstream/`), generates with today's overlay a crate that compiles without warnings
//! and whose spec-driven tests pass (every component is a public type; every example of that
//! document round-trips).
//!
//! The six crates are members of one scratch workspace (`tests/support.rs`) and build in one
//! cargo invocation, in the workspace's target directory on the dependencies built there; the
//! first test to need them builds them all.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

use workspace_tests::{
    MemberRun, history_revisions, test_generated_members, text, workspace_root, write_generated_member,
};

/// Dwolla's own document, before its SDK overlay.
const UPSTREAM: &str = "spec/upstream/openapi-2026-01-23-d4901e4.yml";

/// Each revision of `spec/history/` as a member name and its spec path.
fn revisions() -> Vec<(String, String)> {
    history_revisions()
        .iter()
        .map(|rev| {
            let stem = rev
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let file = rev
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default();
            (member(&format!("history-{stem}")), format!("spec/history/{file}"))
        })
        .collect()
}

/// A package name made of `name`: its ASCII letters and digits, `-` for anything else.
fn member(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' })
        .collect()
}

/// What generating, building and testing one crate gave: a one-line summary, or why it failed.
type Outcome = Result<String, String>;

/// Generates every crate (the revisions and the upstream document) with today's overlay,
/// builds them in one cargo invocation and runs their `components` and `spec_examples`
/// tests; once for the whole test binary.
fn outcomes() -> &'static BTreeMap<String, Outcome> {
    static OUTCOMES: OnceLock<BTreeMap<String, Outcome>> = OnceLock::new();
    OUTCOMES.get_or_init(|| {
        let root = workspace_root();
        let overlay =
            std::fs::read_to_string(root.join(generator::OVERLAY_PATH)).unwrap_or_else(|e| panic!("{e}"));
        let mut crates = revisions();
        crates.push(("upstream".to_owned(), UPSTREAM.to_owned()));
        let mut outcomes = BTreeMap::new();
        let mut summaries = BTreeMap::new();
        for (name, spec) in &crates {
            let text_spec = std::fs::read_to_string(root.join(spec)).unwrap_or_else(|e| panic!("{spec}: {e}"));
            match generator::render(&text_spec, spec, Some((&overlay, generator::OVERLAY_PATH))) {
                Ok(generated) => {
                    write_generated_member(name, &generated.files);
                    summaries.insert(
                        name.clone(),
                        format!(
                            "{} types, {} operations, {} overlay warnings",
                            generated.ir.types.len(),
                            generated.ir.operations.len(),
                            generated.warnings.len()
                        ),
                    );
                }
                Err(e) => {
                    outcomes.insert(name.clone(), Err(format!("generation failed: {e}")));
                }
            }
        }
        let built: Vec<&str> = summaries.keys().map(String::as_str).collect();
        // The library and the spec-driven tests (components, example round-trips); the
        // per-operation tests run on the current spec in the workspace itself.
        let target = workspace_tests::own_target_dir!();
        let (cargo_out, runs) = test_generated_members(&target, &built, &["components", "spec_examples"]);
        // Cargo's own warnings (about a manifest, say) are every crate's.
        let cargo_warnings = workspace_tests::cargo_diagnostics(&cargo_out);
        for (name, summary) in summaries {
            let empty = MemberRun::default();
            let run = runs.get(&name).unwrap_or(&empty);
            outcomes.insert(name, judge(&summary, &cargo_out, &cargo_warnings, run));
        }
        outcomes
    })
}

/// Passes when the build succeeded without a warning and both test binaries ran and passed.
fn judge(summary: &str, cargo_out: &std::process::Output, cargo_warnings: &[String], run: &MemberRun) -> Outcome {
    let results: Vec<String> = run
        .tests
        .iter()
        .flat_map(|(name, out)| {
            String::from_utf8_lossy(&out.stdout)
                .lines()
                .filter(|l| l.contains("examples,") || l.starts_with("test result"))
                .map(|l| format!("{name}: {l}"))
                .collect::<Vec<_>>()
        })
        .collect();
    let line = format!(
        "{summary}; {} compiler warnings or errors; {}",
        run.diagnostics.len() + cargo_warnings.len(),
        results.join(" | ")
    );
    let failed: Vec<String> = run
        .tests
        .iter()
        .filter(|(_, out)| !out.status.success())
        .map(|(name, out)| format!("{name}:\n{}", text(out)))
        .collect();
    let mut ran: Vec<&str> = run.tests.iter().map(|(name, _)| name.as_str()).collect();
    ran.sort();
    // With `--no-fail-fast`, another crate's error fails cargo but not this crate: this one
    // fails on its own diagnostics and on test binaries that did not build, run or pass.
    if !run.diagnostics.is_empty() || !cargo_warnings.is_empty() {
        Err(format!(
            "{line}\nthe crate does not build without warnings:\n{}\n{}",
            run.diagnostics.join("\n"),
            cargo_warnings.join("\n")
        ))
    } else if ran != ["components", "spec_examples"] || !failed.is_empty() {
        Err(format!(
            "{line}\nits tests did not all build, run and pass (ran {ran:?}):\n{}\ncargo: {}",
            failed.join("\n"),
            text(cargo_out)
        ))
    } else {
        Ok(line)
    }
}

/// Asserts that the crate `name` passed, printing its summary.
fn passed(name: &str) {
    match outcomes().get(name) {
        Some(Ok(line)) => println!("{name}: {line}"),
        Some(Err(why)) => panic!("{name}: the generated crate does not pass `cargo test` without warnings: {why}"),
        None => panic!("{name}: no such crate was generated"),
    }
}

#[test]
fn every_historical_revision_generates_a_crate_that_compiles_and_passes_its_tests() {
    let revisions = revisions();
    assert_eq!(revisions.len(), 5, "expected the five historical revisions");
    for (name, _) in &revisions {
        passed(name);
    }
}

/// Dwolla's document before its SDK overlay is shaped differently (a 15-way `oneOf` body,
/// untyped unions, fewer `x-speakeasy-*` names): a second real input, not a revision.
#[test]
fn the_upstream_document_generates_a_crate_that_compiles_and_passes_its_tests() {
    assert!(Path::new(&workspace_root().join(UPSTREAM)).is_file(), "{UPSTREAM} is missing");
    passed("upstream");
}
