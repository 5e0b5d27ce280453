//! Every example of the `dwolla-client` crate runs offline, against the local mock server it starts
//! itself when no Dwolla credentials are set, and prints each step.

use workspace_tests::{text, workspace_root};

#[test]
fn every_example_runs_offline() {
    let root = workspace_root();
    let mut names: Vec<String> = std::fs::read_dir(root.join("generated/examples"))
        .unwrap_or_else(|e| panic!("generated/examples: {e}"))
        .filter_map(|e| e.ok()?.path().file_stem().map(|s| s.to_string_lossy().into_owned()))
        .collect();
    names.sort();
    assert_eq!(names.len(), 4, "{names:?}");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    for name in &names {
        let out = std::process::Command::new(&cargo)
            .args(["run", "--offline", "-q", "-p", "dwolla-client", "--example", name])
            .current_dir(&root)
            .env_remove("DWOLLA_CLIENT_ID")
            .env_remove("DWOLLA_CLIENT_SECRET")
            .env_remove("DWOLLA_WEBHOOK_SECRET")
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
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
