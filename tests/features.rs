//! The `dwolla-client` crate's features: each resource group is a feature, and so is each TLS
//! choice. The crate compiles, without warnings, with no group, with each group alone, and with
//! every combination of the TLS features; with rustls and ring, a client builds even where the
//! application's rustls has aws-lc-rs too.
//!
//! A crate compiles with one set of features per cargo invocation, and cargo runs one
//! invocation at a time in a target directory, one compiler at a time on a crate this size. So
//! the sets whose dependencies are built alike are checked together, in one invocation: each set
//! is a member of a scratch workspace (`target/test-work/feature-sets/`), the crate's own
//! manifest under a name of its own (`set-<feature>`) with that set as its default features and
//! its library pointed at `generated/src/lib.rs`. The compiler sees the same source with the same
//! `--cfg feature` flags as a crate that depends on `dwolla-client` with that set.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Instant;

use workspace_tests::{
    cargo, cargo_diagnostics, cargo_generated_crates, diagnostics_of, executables, read_toml, scratch_workspace_root, sync_dir,
    text, workspace_root,
};

/// The TLS features: rustls with aws-lc-rs (the default), rustls with ring, the platform's TLS.
const TLS: [&str; 3] = ["rustls-aws-lc-rs", "rustls-ring", "native-tls"];

/// `generated/Cargo.toml`, parsed.
fn manifest() -> toml::Table {
    read_toml("generated/Cargo.toml")
}

/// The resource groups: the features that enable nothing but code of the crate's own (`= []`).
fn resource_groups(manifest: &toml::Table) -> Vec<String> {
    let features = manifest.get("features").and_then(toml::Value::as_table).cloned().unwrap_or_default();
    features
        .iter()
        .filter(|(_, enables)| enables.as_array().is_some_and(Vec::is_empty))
        .map(|(name, _)| name.clone())
        .collect()
}

/// The member that checks `set`: `set-<its features>`, or `set-none`.
fn member_name(set: &[&str]) -> String {
    if set.is_empty() { "set-none".to_owned() } else { format!("set-{}", set.join("-")) }
}

/// The manifest of the member that checks `set`: the crate's own, renamed, with `set` as its
/// default features, no development dependencies (only the library is checked), and its
/// library at `lib` (the crate's `src/lib.rs`).
fn member_manifest(manifest: &toml::Table, set: &[&str], lib: &Path) -> String {
    let mut member = manifest.clone();
    member.remove("dev-dependencies");
    let table = |t: &toml::Table, key: &str| -> toml::Table {
        t.get(key).and_then(toml::Value::as_table).cloned().unwrap_or_default()
    };
    let mut package = table(&member, "package");
    package.insert("name".into(), member_name(set).into());
    package.insert("publish".into(), false.into());
    for key in ["readme", "exclude", "documentation"] {
        package.remove(key);
    }
    let mut library = table(&member, "lib");
    library.insert("path".into(), lib.to_string_lossy().into_owned().into());
    // The runtime's path is relative to `generated/`, which the member is not in.
    let mut dependencies = table(&member, "dependencies");
    if let Some(toml::Value::Table(runtime)) = dependencies.get_mut("dwolla-client-runtime") {
        let path = workspace_root().join("generator/runtime");
        runtime.insert("path".into(), path.to_string_lossy().into_owned().into());
    }
    member.insert("dependencies".into(), dependencies.into());
    let mut features = table(&member, "features");
    let default: Vec<toml::Value> = set.iter().map(|f| toml::Value::from(*f)).collect();
    features.insert("default".into(), default.into());
    member.insert("package".into(), package.into());
    member.insert("lib".into(), library.into());
    member.insert("features".into(), features.into());
    format!("# Written by tests/features.rs: `dwolla-client` with {set:?}.\n{member}")
}

/// The manifest and program of `ring-beside-aws-lc`: an application that depends on
/// `dwolla-client` with rustls and ring, while another of its dependencies brings rustls with
/// aws-lc-rs (here, its own dependency on rustls). It builds a client.
fn ring_beside_aws_lc(generated: &Path) -> [(String, Vec<u8>); 2] {
    let generated = toml::Value::from(generated.to_string_lossy().into_owned());
    let manifest = format!(
        "# Written by tests/features.rs.\n[package]\nname = \"ring-beside-aws-lc\"\nedition = \"2024\"\npublish = false\n\n\
         [dependencies]\ndwolla-client = {{ path = {generated}, default-features = false, features = [\"rustls-ring\"] }}\n\
         rustls = {{ version = \"0.23.31\", default-features = false, features = [\"std\", \"tls12\", \"aws_lc_rs\"] }}\n"
    );
    let program = "fn main() {\n    let built = dwolla::Client::builder().credentials(\"id\", \"secret\").build();\n    \
                   assert!(built.is_ok(), \"{:?}\", built.err());\n    println!(\"a client built\");\n}\n";
    [
        ("ring-beside-aws-lc/Cargo.toml".to_owned(), manifest.into_bytes()),
        ("ring-beside-aws-lc/src/main.rs".to_owned(), program.as_bytes().to_vec()),
    ]
}

/// The feature sets checked: no feature, each resource group alone (all of them build their
/// dependencies alike), and the integrators' features (`test-util`, `decimal`) alone, whose
/// optional dependencies would widen the features of dependencies the others share.
fn feature_sets() -> (Vec<Vec<String>>, Vec<Vec<String>>) {
    let mut alike = vec![Vec::new()];
    alike.extend(resource_groups(&manifest()).into_iter().map(|g| vec![g]));
    let own = ["test-util", "decimal"].map(|f| vec![f.to_owned()]).to_vec();
    (alike, own)
}

/// Writes the scratch workspace, once for the test binary: a member for each of the
/// [`feature_sets`], and `ring-beside-aws-lc`. Only what changed is written; members of earlier runs
/// that are not wanted now are removed.
fn feature_sets_workspace() -> &'static Path {
    static WORKSPACE: OnceLock<PathBuf> = OnceLock::new();
    WORKSPACE.get_or_init(|| {
        let ws = workspace_root().join("target").join("test-work").join("feature-sets");
        let generated = workspace_root().join("generated");
        let manifest = manifest();
        let mut files: BTreeMap<String, Vec<u8>> = scratch_workspace_root("the crate with each set of features");
        let (alike, own) = feature_sets();
        for set in alike.iter().chain(&own) {
            let set: Vec<&str> = set.iter().map(String::as_str).collect();
            let member = member_manifest(&manifest, &set, &generated.join("src/lib.rs"));
            files.insert(format!("{}/Cargo.toml", member_name(&set)), member.into_bytes());
        }
        files.extend(ring_beside_aws_lc(&generated));
        std::fs::create_dir_all(&ws).unwrap_or_else(|e| panic!("mkdir {}: {e}", ws.display()));
        sync_dir(&ws, &files, &[]);
        ws
    })
}

/// `sets`, borrowed.
fn as_str(sets: &[Vec<String>]) -> Vec<Vec<&str>> {
    sets.iter().map(|s| s.iter().map(String::as_str).collect()).collect()
}

/// Checks the members of `sets` in one cargo invocation, in the workspace's target directory
/// (where the TLS checks and the docs.rs build check the same dependencies): each must compile
/// without a warning.
fn check_sets_without_warnings(ws: &Path, sets: &[Vec<&str>]) {
    let target = workspace_tests::own_target_dir!();
    let members: Vec<String> = sets.iter().map(|s| member_name(s)).collect();
    let mut args = vec!["check", "--message-format", "json"];
    for m in &members {
        args.extend(["-p", m.as_str()]);
    }
    let started = Instant::now();
    let out = cargo_generated_crates(ws, &target, &args);
    println!("{members:?}: {}, {:.1} s", out.status, started.elapsed().as_secs_f64());
    let mut failures = cargo_diagnostics(&out);
    for (member, set) in members.iter().zip(sets) {
        let diagnostics = diagnostics_of(&out, &ws.join(member).join("Cargo.toml"));
        if !diagnostics.is_empty() {
            failures.push(format!("with {set:?}:\n{}", diagnostics.join("\n")));
        }
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && failures.is_empty(), "{}\n{stderr}", failures.join("\n"));
}

#[test]
fn every_resource_feature_compiles_alone_without_warnings() {
    let (alike, own) = feature_sets();
    assert!(alike.len() >= 16, "{alike:?}");
    let ws = feature_sets_workspace();
    check_sets_without_warnings(ws, &as_str(&alike));
    for set in as_str(&own) {
        check_sets_without_warnings(ws, std::slice::from_ref(&set));
    }
}

/// `cargo check -p dwolla-client --no-default-features --features <set>` in the workspace: it
/// must succeed without a warning. The TLS features change the features of the crate's
/// dependencies, so each combination is an invocation of its own.
fn check_in_workspace_without_warnings(set: &[&str]) {
    let list = set.join(",");
    let mut args = vec!["check", "-p", "dwolla-client", "--no-default-features", "--message-format", "short"];
    if !set.is_empty() {
        args.extend(["--features", list.as_str()]);
    }
    let started = Instant::now();
    let out = cargo(&workspace_root(), &workspace_tests::own_target_dir!(), &args);
    let failures = cargo_diagnostics(&out);
    println!("TLS features [{list}]: {}, {:.1} s", out.status, started.elapsed().as_secs_f64());
    assert!(out.status.success() && failures.is_empty(), "TLS features [{list}]\n{}", text(&out));
}

/// TLS is a choice of features too: the crate compiles without warnings with every combination
/// of them, none included. The resource groups play no part in TLS, so none is enabled.
#[test]
fn every_combination_of_tls_features_compiles_without_warnings() {
    let manifest = manifest();
    let features = manifest.get("features").and_then(toml::Value::as_table).cloned().unwrap_or_default();
    for feature in TLS {
        assert!(features.contains_key(feature), "no feature {feature}");
    }
    let default = features.get("default").and_then(toml::Value::as_array).cloned().unwrap_or_default();
    assert_eq!(default, ["full", "rustls-aws-lc-rs"].map(toml::Value::from), "rustls with aws-lc-rs is the default");
    for mask in 0..(1u32 << TLS.len()) {
        let set: Vec<&str> = TLS.iter().enumerate().filter(|(i, _)| mask & (1 << i) != 0).map(|(_, f)| *f).collect();
        check_in_workspace_without_warnings(&set);
    }
    rustls_with_ring_builds_a_client_beside_aws_lc();
}

/// rustls with ring is the one choice that needs code of ours at run time. With ring alone in
/// an application, rustls picks it; but where another dependency brings rustls with aws-lc-rs
/// too, rustls cannot choose, and reqwest (which has no provider of its own here) panics when a
/// client is built, unless ring is installed as the process default, as `build` does.
fn rustls_with_ring_builds_a_client_beside_aws_lc() {
    let started = Instant::now();
    let out = cargo_generated_crates(
        feature_sets_workspace(),
        &workspace_tests::own_target_dir!(),
        &["build", "-p", "ring-beside-aws-lc", "--message-format", "json"],
    );
    let mut failures = cargo_diagnostics(&out);
    failures.extend(diagnostics_of(&out, &workspace_root().join("generated/Cargo.toml")));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && failures.is_empty(), "ring beside aws-lc-rs\n{}\n{stderr}", failures.join("\n"));
    let program = executables(&out)
        .into_iter()
        .find(|e| e.name == "ring-beside-aws-lc" && !e.test_harness)
        .unwrap_or_else(|| panic!("cargo built no ring-beside-aws-lc\n{}", text(&out)));
    let run = std::process::Command::new(&program.path)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", program.path.display()));
    println!("rustls-ring beside aws-lc-rs: built and ran, {:.1} s", started.elapsed().as_secs_f64());
    assert!(run.status.success() && String::from_utf8_lossy(&run.stdout).contains("a client built"), "{}", text(&run));
}
