//! Each resource group is a cargo feature of the `dwolla-client` crate: the crate compiles, without
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

/// `cargo check -p dwolla-client --no-default-features --features <set>` in `target`: it must
/// succeed without a warning. `label` names the kind of set in the output.
fn check_compiles_without_warnings(root: &std::path::Path, target: &std::path::Path, label: &str, set: &[&str]) {
    let list = set.join(",");
    let mut args = vec!["check", "-p", "dwolla-client", "--no-default-features", "--message-format", "short"];
    if !set.is_empty() {
        args.extend(["--features", list.as_str()]);
    }
    let started = std::time::Instant::now();
    let out = cargo(root, target, &args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let warnings = stderr
        .lines()
        .filter(|l| l.contains("warning:") || l.contains("error:") || l.contains("error["))
        .count();
    println!(
        "{label} [{list}]: {} ({warnings} warnings or errors), {:.1} s",
        out.status,
        started.elapsed().as_secs_f64()
    );
    assert!(out.status.success() && warnings == 0, "{label} [{list}]\n{}", text(&out));
}

#[test]
fn every_resource_feature_compiles_alone_without_warnings() {
    let root = workspace_root();
    // The target directory of this test's own build, where the TLS test checks the same
    // dependencies (those without TLS), and the docs.rs build those of `test-util`. (A directory
    // of their own would let these checks, one compiler at a time, run beside the TLS checks,
    // but checking those dependencies twice costs as much compiler time as it saves.)
    let target = workspace_tests::own_target_dir!();
    let features = features();
    assert!(features.len() >= 15, "{features:?}");
    let mut sets: Vec<Vec<String>> = vec![Vec::new()];
    sets.extend(features.iter().map(|f| vec![f.clone()]));
    // The integrators' features (issue 14) compile alone too.
    sets.extend(["test-util", "decimal"].map(|f| vec![f.to_owned()]));
    for set in &sets {
        let set: Vec<&str> = set.iter().map(String::as_str).collect();
        check_compiles_without_warnings(&root, &target, "features", &set);
    }
}

/// TLS is a choice of features too (`rustls-aws-lc-rs`, the default; `rustls-ring`;
/// `native-tls`): the crate compiles without warnings with every combination of them, none
/// included. The resource groups play no part in TLS, so none is enabled.
#[test]
fn every_combination_of_tls_features_compiles_without_warnings() {
    let root = workspace_root();
    // The target directory of this test's own build, where the dependencies are built already.
    let target = workspace_tests::own_target_dir!();
    let manifest =
        std::fs::read_to_string(root.join("generated/Cargo.toml")).unwrap_or_else(|e| panic!("{e}"));
    let tls = ["rustls-aws-lc-rs", "rustls-ring", "native-tls"];
    for feature in tls {
        assert!(manifest.contains(&format!("\n{feature} = [")), "no feature {feature}");
    }
    assert!(
        manifest.contains("\ndefault = [\"full\", \"rustls-aws-lc-rs\"]\n"),
        "rustls with aws-lc-rs is the default"
    );
    for mask in 0..(1u32 << tls.len()) {
        let set: Vec<&str> = tls
            .iter()
            .enumerate()
            .filter(|(i, _)| mask & (1 << i) != 0)
            .map(|(_, f)| *f)
            .collect();
        check_compiles_without_warnings(&root, &target, "TLS features", &set);
    }
    // rustls with ring alone is the one choice that needs code of ours at run time (reqwest
    // has no provider for it): a client builds, where without that code reqwest panics.
    let args = [
        "test",
        "-p",
        "dwolla-client",
        "--lib",
        "--no-default-features",
        "--features",
        "rustls-ring",
        "--",
        "ring_tests",
    ];
    let started = std::time::Instant::now();
    let out = cargo(&root, &target, &args);
    println!("rustls-ring alone: the ring test, {:.1} s", started.elapsed().as_secs_f64());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("test client::ring_tests::a_client_builds_with_rustls_and_ring_alone ... ok"),
        "{}",
        text(&out)
    );
}
