//! The crate as the registry would ship it: `cargo package` makes the `.crate`, and the package,
//! unpacked outside this workspace as a workspace of its own, builds and passes its own tests
//! offline. It depends on the runtime (`dwolla-client-runtime`), which is packaged beside it in
//! the same `cargo package` and unpacked too; the registry it would come from is played by a
//! `[patch.crates-io]` (given with `--config`) pointing at that unpacked runtime, so what is
//! built is the two packages as they would be published. That is more than `cargo package`'s own verification (a `cargo build` of the
//! unpacked package), so packaging runs with `--no-verify` and the build happens once, in
//! `cargo test`. The unpacked package keeps its directory from run to run and is rewritten only
//! where it changed, so a warm run rebuilds nothing.
//!
//! docs.rs builds its pages from that same package, and so does the docs.rs test here.
//!
//! What the package holds is decided in `generator/templates/Cargo.toml.tera` (`exclude`): every
//! generated test but the contract test, which needs npm and the workspace's Prism lockfile.
//!
//! Both build in the workspace's target directory with the workspace's profile, on the
//! dependencies built there; the package resolves its dependencies' features on its own, as a
//! user's build does, so the few whose features the workspace widens build again once.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use workspace_tests::{
    cargo, cargo_generated_crates, cargo_with_env, files_in, scratch_dir, sync_dir, text, workspace_config_args,
    workspace_root,
};

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

/// Where the package is unpacked for its build: outside any cargo workspace, and the same
/// directory on every run from this checkout (its name holds a hash of the workspace's path, so
/// two checkouts on one machine keep apart).
fn unpack_dir(package: &str) -> PathBuf {
    // FNV-1a: stable across runs and Rust versions, unlike the standard library's hasher.
    let key = workspace_root()
        .to_string_lossy()
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    std::env::temp_dir().join(format!("{package}-{key:016x}"))
}

/// The package as the registry would ship it, unpacked.
struct Package {
    name: String,
    version: String,
    /// Where it is unpacked ([`unpack_dir`]).
    dir: PathBuf,
    /// What it holds: relative path to content.
    files: BTreeMap<String, Vec<u8>>,
    /// Where the runtime's package is unpacked, which the crate's dependency on it resolves to.
    runtime_dir: PathBuf,
}

/// The runtime's package, which the crate's package depends on.
const RUNTIME: &str = "dwolla-client-runtime";

impl Package {
    /// `--config` arguments that resolve the crate's dependency on the runtime to the unpacked
    /// runtime package, as the registry would once both are published.
    fn runtime_patch(&self) -> [String; 2] {
        let path = self.runtime_dir.to_string_lossy().replace('\\', "/");
        ["--config".to_owned(), format!("patch.crates-io.{RUNTIME}.path=\"{path}\"")]
    }
}

/// The `.crate` of `name` in `package_target` (where `cargo package` wrote it), unpacked into
/// [`unpack_dir`]: its directory and what it holds.
fn unpack(package_target: &Path, name: &str, version: &str) -> (PathBuf, BTreeMap<String, Vec<u8>>) {
    let crate_file = package_target.join("package").join(format!("{name}-{version}.crate"));
    assert!(crate_file.is_file(), "no {}", crate_file.display());
    // Unpacked afresh, then copied where it builds, writing only the files whose content
    // changed: cargo sees a changed file by its modification time.
    let scratch = TempDir::new(&format!("{name}-unpacked"));
    let unpacked = Command::new("tar")
        .arg("-xzf")
        .arg(&crate_file)
        .arg("-C")
        .arg(&scratch.0)
        .output()
        .unwrap_or_else(|e| panic!("cannot run tar: {e}"));
    assert!(unpacked.status.success(), "tar failed:\n{}", text(&unpacked));
    let files = files_in(&scratch.0.join(format!("{name}-{version}")), &[]);
    let dir = unpack_dir(&format!("{name}-package"));
    sync_dir(&dir, &files, &[]);
    (dir, files)
}

/// `cargo package`, unpacked into [`unpack_dir`]; once for the test binary.
fn package() -> &'static Package {
    static PACKAGE: OnceLock<Package> = OnceLock::new();
    PACKAGE.get_or_init(|| {
        let root = workspace_root();
        let manifest =
            std::fs::read_to_string(root.join("generated/Cargo.toml")).unwrap_or_else(|e| panic!("{e}"));
        let (name, version) = (package_field(&manifest, "name"), package_field(&manifest, "version"));
        let runtime_manifest = std::fs::read_to_string(root.join("generator/runtime/Cargo.toml"))
            .unwrap_or_else(|e| panic!("{e}"));
        let runtime_version = package_field(&runtime_manifest, "version");

        // Packaging writes nothing but the `.crate`s, so it gets a directory of its own. Both
        // in one run, as they are published: the crate's lockfile resolves the runtime it pins.
        let package_target = scratch_dir("package");
        let out = cargo(
            &root,
            &package_target,
            &["package", "-p", RUNTIME, "-p", &name, "--allow-dirty", "--no-verify"],
        );
        assert!(out.status.success(), "cargo package failed:\n{}", text(&out));
        let (runtime_dir, _) = unpack(&package_target, RUNTIME, &runtime_version);
        let (dir, files) = unpack(&package_target, &name, &version);
        Package { name, version, dir, files, runtime_dir }
    })
}

#[test]
fn the_packaged_crate_builds_and_passes_its_own_tests_offline() {
    let root = workspace_root();
    let package = package();
    let Package { name, version, dir, files: packaged, .. } = package;

    // What it holds: the crate, its README and changelog, and every test but the two that need
    // the workspace (the contract test's Prism, the replay test's fixtures).
    let files: Vec<String> = packaged.keys().cloned().collect();
    for needed in ["Cargo.toml", "Cargo.lock", "README.md", "CHANGELOG.md", "src/lib.rs"] {
        assert!(files.iter().any(|f| f == needed), "the package lacks {needed}: {files:?}");
    }
    // The contract and replay tests stay out with their support modules; the support modules of
    // the others (`strict_mock/`, `fuzz/`) come along.
    let workspace_only = ["contract.rs", "replay.rs", "prism/", "contract_support/", "docs_replay/"];
    let mut wanted_tests: Vec<String> = files_in(&root.join("generated/tests"), &[])
        .into_keys()
        .filter(|f| f.ends_with(".rs") && !workspace_only.iter().any(|w| f == w || f.starts_with(w)))
        .map(|f| format!("tests/{f}"))
        .collect();
    wanted_tests.sort();
    let packaged_tests: Vec<String> = files.iter().filter(|f| f.starts_with("tests/")).cloned().collect();
    assert_eq!(
        packaged_tests, wanted_tests,
        "the package's tests: every generated test and its support but the contract and replay tests (and nothing of Prism's, the contract's or the replay's support)"
    );
    for left_out in ["api-surface.json", "rust-api.json", "CHANGES.md"] {
        assert!(!files.iter().any(|f| f == left_out), "{left_out} is in the package");
    }

    // The package on its own: the library, its examples, every test in it and the doctests.
    let mut args = vec!["test"];
    let patch = package.runtime_patch();
    args.extend(patch.iter().map(String::as_str));
    let out = cargo_generated_crates(dir, &workspace_tests::own_target_dir!(), &args);
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

/// The package's documentation as docs.rs builds it (nightly rustdoc, emulated with
/// `RUSTC_BOOTSTRAP`; every feature; `--cfg docsrs`, from `[package.metadata.docs.rs]`): no
/// warning, and an item of a resource group says which feature it needs.
///
/// Only rustdoc runs as nightly, through a wrapper: `RUSTC_BOOTSTRAP` for the whole build would
/// rerun the build scripts that read it (proc-macro2's, thiserror's) and so rebuild every
/// dependency. The dependencies are checked in the workspace's target directory (cargo's
/// `build.build-dir`), where the TLS feature test checks the same ones; the pages go to a
/// directory of their own.
#[test]
fn docs_rs_builds_the_package_without_warnings_and_shows_feature_badges() {
    let package = package();
    let manifest = String::from_utf8_lossy(&package.files["Cargo.toml"]).into_owned();
    assert!(
        manifest.contains("[package.metadata.docs.rs]\n") && manifest.contains("all-features = true\n"),
        "the package's Cargo.toml asks docs.rs for every feature:\n{manifest}"
    );
    let build_dir = workspace_tests::own_target_dir!();
    let pages = Path::new(env!("CARGO_TARGET_TMPDIR")).join("docs-rs");
    std::fs::create_dir_all(&pages).unwrap_or_else(|e| panic!("mkdir {}: {e}", pages.display()));
    let rustdoc = nightly_rustdoc(&pages);
    let build_dir_text = build_dir.to_string_lossy();
    let mut args = workspace_config_args();
    args.extend(["doc", "--no-deps", "--all-features"].map(str::to_owned));
    args.extend(package.runtime_patch());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = cargo_with_env(
        &package.dir,
        &pages,
        &args,
        &[
            ("CARGO_BUILD_BUILD_DIR", &build_dir_text),
            ("RUSTDOC", &rustdoc),
            ("RUSTDOCFLAGS", "--cfg docsrs -D warnings"),
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    let page = pages.join("doc/dwolla/api/transfers/struct.TransfersApi.html");
    let html = std::fs::read_to_string(&page).unwrap_or_else(|e| panic!("{}: {e}", page.display()));
    assert!(
        html.contains("Available on <strong>crate feature <code>transfers</code></strong> only"),
        "{} has no feature badge",
        page.display()
    );
}

/// A program, written into `dir`, that runs rustdoc (`$RUSTDOC`, or the one on the `PATH`) with
/// `RUSTC_BOOTSTRAP=1`, as docs.rs's nightly toolchain would; its path, for `RUSTDOC`. A shell
/// script: these tests run on Unix.
fn nightly_rustdoc(dir: &Path) -> String {
    let real = std::env::var("RUSTDOC").unwrap_or_else(|_| "rustdoc".to_owned());
    let script = format!("#!/bin/sh\nRUSTC_BOOTSTRAP=1 exec '{}' \"$@\"\n", real.replace('\'', "'\\''"));
    let path = dir.join("rustdoc-nightly");
    workspace_tests::write_if_changed(&path, script.as_bytes());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))
            .unwrap_or_else(|e| panic!("chmod {}: {e}", path.display()));
    }
    path.to_string_lossy().into_owned()
}
