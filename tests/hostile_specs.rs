//! Hostile specs: each small fixture in `tests/fixtures/specs/` either generates a crate that
//! compiles and passes its own spec-driven tests, with models matching the checked-in snapshot
//! in `tests/snapshots/`, or fails with an error naming the JSON pointer. Never a panic.
//! `UPDATE_SNAPSHOTS=1 cargo test -p workspace-tests --test hostile_specs` rewrites snapshots.

use std::path::Path;

use workspace_tests::{
    cargo_generated_crates, generated_crates_workspace, test_generated_members, text, workspace_root,
    write_generated_member,
};

fn fixture(name: &str) -> String {
    let path = workspace_root()
        .join("tests/fixtures/specs")
        .join(format!("{name}.yaml"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
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

/// Generates and snapshots each compiling fixture's crate, then builds them all in one cargo
/// invocation (as members `fixture-<name>` of the scratch workspace of generated crates) and
/// runs their tests.
#[test]
fn hostile_fixtures_compile_or_fail_with_a_pointer() {
    let names = ["cycles", "collisions", "keywords", "non_ascii"];
    let mut members = Vec::new();
    for name in names {
        let generated = generator::render(&fixture(name), &format!("{name}.yaml"), None)
            .unwrap_or_else(|e| panic!("{name}: generation failed: {e}"));
        check_snapshot(name, &models(&generated));
        let member = format!("fixture-{}", name.replace('_', "-"));
        write_generated_member(&member, &generated.files);
        println!(
            "{name}: {} types, {} operations",
            generated.ir.types.len(),
            generated.ir.operations.len()
        );
        members.push(member);
    }
    let members: Vec<&str> = members.iter().map(String::as_str).collect();
    let target = workspace_tests::own_target_dir!();
    let (out, runs) = test_generated_members(&target, &members, &["components", "spec_examples"]);
    for (name, member) in names.iter().zip(&members) {
        let run = runs.get(*member);
        let tests = run.map(|r| r.tests.as_slice()).unwrap_or_default();
        let ran: Vec<&str> = tests.iter().map(|(t, _)| t.as_str()).collect();
        println!("{name}: built and ran {ran:?}");
        assert!(
            run.is_some_and(|r| r.diagnostics.iter().all(|d| !d.starts_with("error"))),
            "{name}: the generated crate does not compile:\n{}",
            run.map(|r| r.diagnostics.join("\n")).unwrap_or_default()
        );
        assert_eq!(tests.len(), 2, "{name}: the test binaries did not build\n{}", text(&out));
        for (test, result) in tests {
            assert!(
                result.status.success(),
                "{name}: the generated crate does not pass its {test} test\n{}",
                text(result)
            );
        }
    }
    assert!(out.status.success(), "cargo test of the fixtures failed\n{}", text(&out));
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

/// The table `name` of a manifest.
fn table<'a>(manifest: &'a toml::Table, name: &str) -> &'a toml::Table {
    manifest.get(name).and_then(|t| t.as_table()).unwrap_or_else(|| panic!("no [{name}]"))
}

/// The sorted keys of a TOML table.
fn keys(table: &toml::Table) -> Vec<&str> {
    let mut keys: Vec<&str> = table.keys().map(String::as_str).collect();
    keys.sort_unstable();
    keys
}

/// Every code block of Markdown `text`, as (info string, or `None` for an indented block;
/// content).
fn code_blocks(text: &str) -> Vec<(Option<String>, String)> {
    use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};
    let mut blocks = Vec::new();
    let mut current: Option<(Option<String>, String)> = None;
    for event in Parser::new(text) {
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let info = match kind {
                    CodeBlockKind::Fenced(info) => Some(info.to_string()),
                    CodeBlockKind::Indented => None,
                };
                current = Some((info, String::new()));
            }
            Event::Text(t) => {
                if let Some((_, content)) = current.as_mut() {
                    content.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => blocks.extend(current.take()),
            _ => {}
        }
    }
    blocks
}

/// The raw HTML of Markdown `text`.
fn html(text: &str) -> Vec<String> {
    use pulldown_cmark::{Event, Parser};
    Parser::new(text)
        .filter_map(|event| match event {
            Event::Html(h) | Event::InlineHtml(h) => Some(h.to_string()),
            _ => None,
        })
        .collect()
}

/// The doc comments of a formatted Rust file, one string per run of `///` or `//!` lines.
fn doc_comments(source: &str) -> Vec<String> {
    let mut docs = Vec::new();
    let mut current: Option<String> = None;
    for line in source.lines() {
        let line = line.trim_start();
        let text = line.strip_prefix("///").or_else(|| line.strip_prefix("//!"));
        match (text, current.as_mut()) {
            (Some(text), Some(doc)) => {
                doc.push_str(text.strip_prefix(' ').unwrap_or(text));
                doc.push('\n');
            }
            (Some(text), None) => current = Some(format!("{}\n", text.strip_prefix(' ').unwrap_or(text))),
            (None, _) => docs.extend(current.take()),
        }
    }
    docs.extend(current);
    docs
}

/// A spec whose every description, title, summary, tag, version, example, enum and const value
/// is hostile (`tests/fixtures/specs/hostile_text.yaml`) gives a crate whose `Cargo.toml` has
/// exactly the keys of the real crate's (plus the two groups, renamed away from `full` and
/// `default`), whose docs and README hold spec text only as inert text (every code block a
/// `text` fence, no HTML), which compiles and passes its own tests, and none of whose doctests
/// comes from the spec.
#[test]
fn hostile_text_stays_text() {
    let name = "hostile_text";
    let generated = generator::render(&fixture(name), &format!("{name}.yaml"), None)
        .unwrap_or_else(|e| panic!("{name}: generation failed: {e}"));
    assert_manifest_is_the_real_crates(&generated.files["Cargo.toml"]);
    assert_readme_is_inert(&generated.files["README.md"]);
    assert_docs_are_inert(&generated.files);
    assert_passes_its_tests_without_spec_doctests(name, &generated.files);
}

/// The `Cargo.toml` of a crate from a hostile spec has exactly the keys and dependencies of the
/// real crate's, and its features are the real crate's own plus the spec's two groups.
fn assert_manifest_is_the_real_crates(text: &str) {
    let manifest: toml::Table = text
        .parse()
        .unwrap_or_else(|e| panic!("the generated Cargo.toml is not TOML: {e}"));
    let real_text = std::fs::read_to_string(workspace_root().join("generated/Cargo.toml")).unwrap_or_else(|e| panic!("{e}"));
    let real: toml::Table = real_text.parse().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(keys(&manifest), keys(&real), "top-level keys");
    assert_eq!(manifest["package"]["version"].as_str(), Some("0.1.0"), "the version of a first generation");
    for section in ["dependencies", "dev-dependencies"] {
        assert_eq!(manifest[section], real[section], "[{section}] differs from the real crate's");
    }
    // The package's fields are the real crate's but for its version: a crate generated afresh
    // from another spec starts at 0.1.0, the real one is where its releases took it.
    let (package, real_package) = (table(&manifest, "package"), table(&real, "package"));
    assert_eq!(keys(package), keys(real_package), "[package] keys");
    for key in keys(package).into_iter().filter(|k| *k != "version") {
        assert_eq!(package[key], real_package[key], "[package] {key} differs from the real crate's");
    }
    // The features are the real crate's own (TLS, test-util, ...) and this spec's two groups,
    // renamed away from `full` and `default`.
    let (features, real_features) = (table(&manifest, "features"), table(&real, "features"));
    println!("features: {features:?}");
    let groups: Vec<&str> = real_features["full"].as_array().into_iter().flatten().filter_map(|v| v.as_str()).collect();
    let mut expected: Vec<&str> = keys(real_features).into_iter().filter(|k| !groups.contains(k)).collect();
    expected.extend(["default-2", "full-2"]);
    expected.sort_unstable();
    assert_eq!(keys(features), expected);
    assert_eq!(features["default"], real_features["default"]);
    assert_eq!(features["full"], toml::Value::from(vec!["full-2", "default-2"]));
}

/// The README holds spec text only in `text` fences (every other code block is the
/// quickstart's), and no HTML but the generated marker.
fn assert_readme_is_inert(readme: &str) {
    let quickstart: Vec<String> = code_blocks(generator::output::QUICKSTART)
        .into_iter()
        .map(|(_, content)| content)
        .collect();
    for (info, content) in code_blocks(readme) {
        assert!(
            info.as_deref() == Some("text") || quickstart.contains(&content),
            "README.md has a {info:?} code block that is not the quickstart's:\n{content}"
        );
    }
    for h in html(readme) {
        assert!(h.starts_with("<!-- @generated"), "README.md has HTML from the spec: {h:?}");
    }
}

/// Every doc comment of the models and the API holds spec text only in `text` fences and
/// without HTML, and no doc attribute carries any.
fn assert_docs_are_inert(files: &generator::output::FileSet) {
    let mut doc_count = 0;
    for (path, source) in files
        .iter()
        .filter(|(p, _)| p.starts_with("src/models/") || p.starts_with("src/api/"))
    {
        assert!(!source.contains("#[doc") && !source.contains("#![doc"), "{path}: a doc attribute");
        for doc in doc_comments(source) {
            doc_count += 1;
            for (info, content) in code_blocks(&doc) {
                assert_eq!(info.as_deref(), Some("text"), "{path}: a code block that may run:\n{content}\nin:\n{doc}");
            }
            assert_eq!(html(&doc), Vec::<String>::new(), "{path}: HTML in\n{doc}");
        }
    }
    assert!(doc_count > 20, "only {doc_count} doc comments found");
    assert!(
        files.values().any(|f| f.contains("spec text ran as a doctest")),
        "the fixture's text is not in the crate at all, so this test shows nothing"
    );
}

/// The crate compiles and passes its own tests, and its doctests are the quickstart's alone:
/// none comes from the spec.
fn assert_passes_its_tests_without_spec_doctests(name: &str, files: &generator::output::FileSet) {
    let member = format!("fixture-{}", name.replace('_', "-"));
    let dir = write_generated_member(&member, files);
    // The runtime's `src/lib.rs` includes the workspace README (`../../README.md`) into its
    // doctests; outside the workspace there is none, so an empty one stands in.
    let stand_in = dir.join("../README.md");
    if !stand_in.exists() {
        std::fs::write(&stand_in, "").unwrap_or_else(|e| panic!("{e}"));
    }
    let target = workspace_tests::own_target_dir!();
    let (out, runs) = test_generated_members(&target, &[&member], &["components", "spec_examples"]);
    let tests = runs.get(&member).map(|r| r.tests.as_slice()).unwrap_or_default();
    assert!(
        out.status.success() && tests.len() == 2 && tests.iter().all(|(_, o)| o.status.success()),
        "{name}: the generated crate does not pass its tests\n{}\n{}",
        text(&out),
        tests.iter().map(|(t, o)| format!("{t}: {}", text(o))).collect::<Vec<_>>().join("\n")
    );
    let out = cargo_generated_crates(
        &generated_crates_workspace(),
        &target,
        &["test", "-p", &member, "--doc", "--", "--list"],
    );
    assert!(out.status.success(), "{name}: cannot list the doctests\n{}", text(&out));
    let listed = String::from_utf8_lossy(&out.stdout).into_owned();
    println!("cargo test --doc -- --list:\n{listed}");
    let doctests: Vec<&str> = listed.lines().filter(|l| l.ends_with(": test")).collect();
    let runnable_quickstart = code_blocks(generator::output::QUICKSTART)
        .iter()
        .filter(|(info, _)| info.as_deref().is_some_and(|i| i.starts_with("rust")))
        .count();
    for test in &doctests {
        assert!(
            !test.starts_with("src/models/") && !test.starts_with("src/api/"),
            "a doctest from generated docs: {test}"
        );
    }
    let from_readme = doctests.iter().filter(|t| t.contains("README.md")).count();
    assert_eq!(from_readme, runnable_quickstart, "the README has doctests beyond the quickstart's");
}
