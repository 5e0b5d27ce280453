//! Each resource group is a cargo feature of the `dwolla` crate: the crate compiles, without
//! warnings, with no group, with each group alone, and with all of them.

use workspace_tests::{cargo, text, workspace_root};

fn features() -> Vec<String> {
    let manifest =
        std::fs::read_to_string(workspace_root().join("generated/Cargo.toml")).unwrap_or_else(|e| panic!("{e}"));
    let section = manifest
        .split("[features]")
        .nth(1)
        .and_then(|s| s.split("\n[").next())
        .unwrap_or_default();
    section
        .lines()
        .filter_map(|l| l.split_once(" = []").map(|(name, _)| name.trim().to_owned()))
        .collect()
}

#[test]
fn every_resource_feature_compiles_alone_without_warnings() {
    let root = workspace_root();
    let target = root.join("target").join("generated-crates");
    let features = features();
    assert!(features.len() >= 15, "{features:?}");
    let mut sets: Vec<Vec<String>> = vec![Vec::new()];
    sets.extend(features.iter().map(|f| vec![f.clone()]));
    for set in &sets {
        let list = set.join(",");
        let mut args = vec![
            "check",
            "-p",
            "dwolla",
            "--no-default-features",
            "--message-format",
            "short",
        ];
        if !set.is_empty() {
            args.extend(["--features", list.as_str()]);
        }
        let out = cargo(&root, &target, &args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        let warnings = stderr
            .lines()
            .filter(|l| l.contains("warning:") || l.contains("error:") || l.contains("error["))
            .count();
        println!("features [{list}]: {} ({warnings} warnings or errors)", out.status);
        assert!(
            out.status.success() && warnings == 0,
            "features [{list}]\n{}",
            text(&out)
        );
    }
}
