//! Hostile specs: each small fixture in `tests/fixtures/specs/` either generates a crate that
//! compiles and passes its own spec-driven tests, with models matching the checked-in snapshot
//! in `tests/snapshots/`, or fails with an error naming the JSON pointer. Never a panic.
//! `UPDATE_SNAPSHOTS=1 cargo test -p workspace-tests --test hostile_specs` rewrites snapshots.

use std::path::Path;

use workspace_tests::{cargo, scratch_dir, text, workspace_root, write_generated_crate};

fn fixture(name: &str) -> String {
    let path = workspace_root()
        .join("tests/fixtures/specs")
        .join(format!("{name}.yaml"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Writes the generated crate for `name` into a scratch directory of its own.
fn write_crate(name: &str, generated: &generator::Generated) -> std::path::PathBuf {
    let dir = scratch_dir(&format!("fixture-{name}"));
    write_generated_crate(&dir, &generated.files);
    dir
}

/// All model files of the generated crate, concatenated: what the snapshot holds.
fn models(generated: &generator::Generated) -> String {
    generated
        .files
        .iter()
        .filter(|(rel, _)| rel.starts_with("src/models/"))
        .map(|(rel, content)| format!("// ===== {rel}\n{content}"))
        .collect()
}

fn check_snapshot(name: &str, actual: &str) {
    let path = workspace_root()
        .join("tests/snapshots")
        .join(format!("{name}.models.rs.snap"));
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap_or(Path::new("."))).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(&path, actual).unwrap_or_else(|e| panic!("{e}"));
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; run with UPDATE_SNAPSHOTS=1 to create it", path.display()));
    if expected != actual {
        let line = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(0);
        panic!(
            "{name}: the generated models differ from {} (first at line {}):\n  snapshot:  {}\n  generated: {}\nrun with UPDATE_SNAPSHOTS=1 after reviewing",
            path.display(),
            line + 1,
            expected.lines().nth(line).unwrap_or(""),
            actual.lines().nth(line).unwrap_or("")
        );
    }
}

/// Generates, snapshots, and builds and tests the crate of each compiling fixture.
#[test]
fn hostile_fixtures_compile_or_fail_with_a_pointer() {
    let target = workspace_root().join("target").join("generated-crates");
    for name in ["cycles", "collisions", "keywords", "non_ascii"] {
        let generated = generator::render(&fixture(name), &format!("{name}.yaml"), None)
            .unwrap_or_else(|e| panic!("{name}: generation failed: {e}"));
        check_snapshot(name, &models(&generated));
        let dir = write_crate(name, &generated);
        let out = cargo(
            &dir,
            &target,
            &["test", "--test", "components", "--test", "spec_examples"],
        );
        println!(
            "{name}: {} types, {} operations; cargo test -> {}",
            generated.ir.types.len(),
            generated.ir.operations.len(),
            out.status
        );
        assert!(
            out.status.success(),
            "{name}: the generated crate does not pass its tests\n{}",
            text(&out)
        );
    }
}

#[test]
fn a_cycle_of_aliases_is_an_error_naming_the_schema() {
    match generator::render(&fixture("alias_cycle"), "alias_cycle.yaml", None) {
        Ok(_) => panic!("a schema that is only itself cannot become a type"),
        Err(e) => {
            println!("{e}");
            assert_eq!(e.pointer(), Some("#/components/schemas/A"), "{e}");
        }
    }
}

/// A spec of 10,000 schemas, each referring to the next, generates. (How the time grows with
/// the number of schemas is measured by `cargo bench -p generator --bench generate`.)
#[test]
fn ten_thousand_schemas_generate() {
    let spec = generator_fixtures::many_schemas(10_000);
    let started = std::time::Instant::now();
    let generated = generator::render(&spec, "many.yaml", None).unwrap_or_else(|e| panic!("{e}"));
    println!(
        "10,000 schemas: {} types in {:?} (debug build)",
        generated.ir.types.len(),
        started.elapsed()
    );
    assert!(generated.ir.types.len() >= 10_000);
}

mod generator_fixtures {
    /// `n` object schemas in a chain (`S0.next` is `S1`, ...) plus one list operation.
    pub fn many_schemas(n: usize) -> String {
        generator::testing::many_schemas(n)
    }
}
