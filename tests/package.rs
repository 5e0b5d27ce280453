//! The crate as the registry would ship it: `cargo package` makes the `.crate`, and the package,
//! unpacked outside this workspace as a workspace of its own, builds and passes its own tests
//! offline. That is more than `cargo package`'s own verification (a `cargo build` of the
//! unpacked package), so packaging runs with `--no-verify` and the build happens once, in
//! `cargo test`.
//!
//! What the package holds is decided in `generator/templates/Cargo.toml.tera` (`exclude`): every
//! generated test but the contract test, which needs npm and the workspace's Prism lockfile.

use std::path::{Path, PathBuf};
use std::process::Command;

use workspace_tests::{cargo, scratch_dir, text, workspace_root};

/// The cargo target directory this test was built in: the unpacked package builds there too,
/// so that its dependencies are the ones already built.
fn target_dir() -> PathBuf {
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    tmp.parent().unwrap_or(tmp).to_path_buf()
}

/// The value of `key = "..."` in the `[package]` table of a manifest.
fn package_field(manifest: &str, key: &str) -> String {
    let package = manifest.split("[package]").nth(1).unwrap_or_default();
    let package = package.split("\n[").next().unwrap_or_default();
    package
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once('=')?;
            (k.trim() == key).then(|| v.trim().trim_matches('"').to_owned())
        })
        .unwrap_or_else(|| panic!("no `{key}` in [package]"))
}

/// A directory under the system's temporary directory, outside any cargo workspace (a package
/// unpacked under ours would be taken for a member of it), removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Every file under `dir`, as `/`-separated paths relative to it, sorted.
fn files_under(dir: &Path) -> Vec<String> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("read {}: {e}", dir.display())) {
            let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
            if path.is_dir() {
                walk(base, &path, out);
            } else if let Ok(rel) = path.strip_prefix(base) {
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

#[test]
fn the_packaged_crate_builds_and_passes_its_own_tests_offline() {
    let root = workspace_root();
    let manifest = std::fs::read_to_string(root.join("generated/Cargo.toml")).unwrap_or_else(|e| panic!("{e}"));
    let (name, version) = (package_field(&manifest, "name"), package_field(&manifest, "version"));

    // Packaging writes nothing but the `.crate`, so it gets a directory of its own.
    let package_target = scratch_dir("package");
    let out = cargo(
        &root,
        &package_target,
        &["package", "-p", &name, "--allow-dirty", "--no-verify"],
    );
    assert!(out.status.success(), "cargo package failed:\n{}", text(&out));
    let crate_file = package_target.join("package").join(format!("{name}-{version}.crate"));
    assert!(crate_file.is_file(), "no {}:\n{}", crate_file.display(), text(&out));

    // Unpacked with fresh modification times (`-m`), so that cargo rebuilds it rather than
    // trusting an earlier build of another package with the same name and version.
    let scratch = TempDir::new("dwolla-package");
    let unpacked = Command::new("tar")
        .arg("-xzmf")
        .arg(&crate_file)
        .arg("-C")
        .arg(&scratch.0)
        .output()
        .unwrap_or_else(|e| panic!("cannot run tar: {e}"));
    assert!(unpacked.status.success(), "tar failed:\n{}", text(&unpacked));
    let dir = scratch.0.join(format!("{name}-{version}"));

    // What it holds: the crate, its README and changelog, and every test but the two that need
    // the workspace (the contract test's Prism, the replay test's fixtures).
    let files = files_under(&dir);
    for needed in ["Cargo.toml", "Cargo.lock", "README.md", "CHANGELOG.md", "src/lib.rs"] {
        assert!(files.iter().any(|f| f == needed), "the package lacks {needed}: {files:?}");
    }
    // The contract and replay tests stay out with their support modules; the support modules of
    // the others (`strict_mock/`, `fuzz/`) come along.
    let workspace_only = ["contract.rs", "replay.rs", "prism/", "contract_support/", "docs_replay/"];
    let mut wanted_tests: Vec<String> = files_under(&root.join("generated/tests"))
        .into_iter()
        .filter(|f| f.ends_with(".rs") && !workspace_only.iter().any(|w| f == w || f.starts_with(w)))
        .map(|f| format!("tests/{f}"))
        .collect();
    wanted_tests.sort();
    let packaged_tests: Vec<String> = files.iter().filter(|f| f.starts_with("tests/")).cloned().collect();
    assert_eq!(
        packaged_tests, wanted_tests,
        "the package's tests: every generated test and its support but the contract and replay tests (and nothing of Prism's, the contract's or the replay's support)"
    );
    for left_out in ["api-surface.json", "CHANGES.md"] {
        assert!(!files.iter().any(|f| f == left_out), "{left_out} is in the package");
    }

    // The package on its own: the library, its examples, every test in it and the doctests.
    let out = cargo(&dir, &target_dir(), &["test"]);
    let log = text(&out);
    assert!(out.status.success(), "cargo test of the unpacked package failed:\n{log}");
    // Every test file ran (a support module is part of a test, not a test of its own).
    for test in wanted_tests.iter().filter(|t| !t.ends_with("/mod.rs")) {
        assert!(log.contains(&format!("Running {test}")), "{test} did not run:\n{log}");
    }
    assert!(log.contains("Doc-tests"), "the doctests did not run:\n{log}");
    let passed: usize = log
        .lines()
        .filter_map(|l| l.strip_prefix("test result: ok. "))
        .filter_map(|l| l.split(' ').next()?.parse::<usize>().ok())
        .sum();
    println!(
        "{name} {version}: {} files packaged; cargo test of the unpacked package: {passed} tests passed",
        files.len()
    );
}
