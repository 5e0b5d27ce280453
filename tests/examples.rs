//! Every example of the `dwolla-client` crate runs offline, against the local mock server it starts
//! itself when no Dwolla credentials are set, and prints each step.
//!
//! The examples are built as `cargo test --workspace` builds them (every member's features
//! unified), so after that command this finds them built; `cargo run -p dwolla-client` would
//! build the crate again with its own features only.

use std::collections::BTreeMap;

use workspace_tests::{cargo, executables, text, workspace_root};

/// Builds every example of the workspace and returns those of `dwolla-client`: name → executable.
fn built_examples() -> BTreeMap<String, String> {
    let root = workspace_root();
    let target = workspace_tests::own_target_dir!();
    let out = cargo(&root, &target, &["build", "--workspace", "--examples", "--message-format", "json"]);
    assert!(out.status.success(), "cannot build the examples\n{}", text(&out));
    let manifest = root.join("generated").join("Cargo.toml");
    executables(&out)
        .into_iter()
        .filter(|e| e.kind == "example" && e.manifest_path == manifest)
        .map(|e| (e.name, e.path.to_string_lossy().into_owned()))
        .collect()
}

#[test]
fn every_example_runs_offline() {
    let root = workspace_root();
    let mut names: Vec<String> = std::fs::read_dir(root.join("generated/examples"))
        .unwrap_or_else(|e| panic!("generated/examples: {e}"))
        .filter_map(|e| e.ok()?.path().file_stem().map(|s| s.to_string_lossy().into_owned()))
        .collect();
    names.sort();
    assert_eq!(names.len(), 4, "{names:?}");
    let built = built_examples();
    assert_eq!(built.keys().cloned().collect::<Vec<_>>(), names, "the examples cargo built");
    for (name, executable) in &built {
        let out = std::process::Command::new(executable)
            .current_dir(root.join("generated"))
            .env_remove("DWOLLA_CLIENT_ID")
            .env_remove("DWOLLA_CLIENT_SECRET")
            .env_remove("DWOLLA_WEBHOOK_SECRET")
            .output()
            .unwrap_or_else(|e| panic!("{executable}: {e}"));
        let stdout = String::from_utf8_lossy(&out.stdout);
        println!("== {name}\n{stdout}");
        assert!(out.status.success(), "{name}\n{}", text(&out));
        let steps = stdout
            .lines()
            .filter(|l| l.starts_with(|c: char| c.is_ascii_digit()))
            .count();
        assert!(steps >= 3, "{name} should print its steps\n{stdout}");
    }
}
