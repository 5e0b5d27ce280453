//! Helpers shared by the workspace's integration tests: where the workspace is, copying it,
//! and running cargo in a copy.
//!
//! Scratch files are written only when their content changes, and files that should not be
//! there are removed one by one, never the whole directory: an unchanged file keeps its
//! modification time, so cargo sees no change and a warm run rebuilds nothing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The workspace root (this package lives in `tests/`), or the checkout named by
/// `DWOLLA_WORKSPACE_ROOT`, as for `cargo xtask` (the drift test points an already built test at
/// a copy of the workspace that way).
pub fn workspace_root() -> PathBuf {
    if let Some(root) = std::env::var_os("DWOLLA_WORKSPACE_ROOT") {
        return PathBuf::from(root);
    }
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    here.parent().unwrap_or(here).to_path_buf()
}

/// The spec revisions kept in `spec/history/`, oldest first (their names sort by date).
pub fn history_revisions() -> Vec<PathBuf> {
    let mut revisions: Vec<_> = std::fs::read_dir(workspace_root().join("spec/history"))
        .unwrap_or_else(|e| panic!("spec/history: {e}"))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    revisions.sort();
    revisions
}

/// The cargo target directory the calling test was built in, as a `PathBuf`: where the
/// workspace's own crates and their dependencies are built already. Cargo gives an integration
/// test `CARGO_TARGET_TMPDIR` (`<target>/tmp`) when it compiles it, and gives this library
/// nothing, so this is a macro that expands in the test.
#[macro_export]
macro_rules! own_target_dir {
    () => {{
        let tmp = ::std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
        tmp.parent().unwrap_or(tmp).to_path_buf()
    }};
}

/// A fresh, empty directory under `target/test-work/`, removed first if it exists.
pub fn scratch_dir(name: &str) -> PathBuf {
    let dir = work_dir(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    dir
}

/// A directory under `target/test-work/`, kept from earlier runs with what is in it.
pub fn work_dir(name: &str) -> PathBuf {
    let dir = workspace_root().join("target").join("test-work").join(name);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    dir
}

/// Writes `content` to `path` unless it holds that already. The new content is written beside
/// it and renamed over it, so that a test building the same scratch workspace at the same
/// time never reads half a file.
pub fn write_if_changed(path: &Path, content: &[u8]) {
    if std::fs::read(path).is_ok_and(|old| old == content) {
        return;
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("mkdir {}: {e}", parent.display()));
    }
    let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let temp = path.with_file_name(format!(".{file_name}.{}.writing", std::process::id()));
    std::fs::write(&temp, content).unwrap_or_else(|e| panic!("write {}: {e}", temp.display()));
    std::fs::rename(&temp, path).unwrap_or_else(|e| panic!("rename {} to {}: {e}", temp.display(), path.display()));
}

/// Makes the files under `dir` exactly `files` (relative path to content): writes each one
/// whose content differs, and removes every other file and every directory left empty.
/// `keep` names top-level entries of `dir` left alone (such as a `target/`).
pub fn sync_dir(dir: &Path, files: &BTreeMap<String, Vec<u8>>, keep: &[&str]) {
    for (rel, content) in files {
        write_if_changed(&dir.join(rel), content);
    }
    // Returns whether `at` is empty afterwards.
    fn prune(base: &Path, at: &Path, files: &BTreeMap<String, Vec<u8>>, keep: &[&str]) -> bool {
        let Ok(entries) = std::fs::read_dir(at) else {
            return false;
        };
        let mut empty = true;
        for entry in entries.flatten() {
            let path = entry.path();
            let rel = path
                .strip_prefix(base)
                .map(|r| r.to_string_lossy().replace('\\', "/"))
                .unwrap_or_default();
            if at == base && keep.iter().any(|k| *k == rel) {
                empty = false;
            } else if path.is_dir() {
                if prune(base, &path, files, keep) {
                    let _ = std::fs::remove_dir(&path);
                } else {
                    empty = false;
                }
            } else if files.contains_key(&rel) {
                empty = false;
            } else {
                std::fs::remove_file(&path).unwrap_or_else(|e| panic!("remove {}: {e}", path.display()));
            }
        }
        empty
    }
    prune(dir, dir, files, keep);
}

/// Every file under `dir` (relative `/`-separated path to content), but the top-level entries
/// named in `skip`.
pub fn files_in(dir: &Path, skip: &[&str]) -> BTreeMap<String, Vec<u8>> {
    fn collect(base: &Path, from: &Path, skip: &[&str], out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(from).unwrap_or_else(|e| panic!("read {}: {e}", from.display())) {
            let entry = entry.unwrap_or_else(|e| panic!("read {}: {e}", from.display()));
            if from == base && skip.iter().any(|s| entry.file_name() == *s) {
                continue;
            }
            let src = entry.path();
            if src.is_dir() {
                collect(base, &src, skip, out);
            } else if let Ok(rel) = src.strip_prefix(base) {
                let content = std::fs::read(&src).unwrap_or_else(|e| panic!("read {}: {e}", src.display()));
                out.insert(rel.to_string_lossy().replace('\\', "/"), content);
            }
        }
    }
    let mut files = BTreeMap::new();
    collect(dir, dir, skip, &mut files);
    files
}

/// Makes `dest` a copy of the workspace's sources (no `target/`, no `.git/`), writing only
/// what differs (see [`sync_dir`]); `dest`'s own `target/` is kept.
pub fn copy_workspace(dest: &Path) {
    let files = files_in(&workspace_root(), &["target", ".git"]);
    std::fs::create_dir_all(dest).unwrap_or_else(|e| panic!("mkdir {}: {e}", dest.display()));
    sync_dir(dest, &files, &["target"]);
}

/// The scratch workspace of every generated crate the tests build (the history revisions,
/// Dwolla's upstream document, the hostile fixtures): each crate is a member of its own name,
/// so that one `cargo test` builds several of them at once.
pub fn generated_crates_workspace() -> PathBuf {
    workspace_root().join("target").join("test-work").join("generated-crates")
}

/// Writes a generated crate into the scratch workspace as member `member` (the package name
/// too: every generated crate is package `dwolla-client`, and a workspace's packages need
/// names of their own; the library keeps its name `dwolla`, which the crate's tests use).
/// Its dependency on the runtime points at this workspace's `generator/runtime` (the path it is
/// generated with is relative to the workspace root). Writes the workspace's manifest (every
/// directory is a member) and our `Cargo.lock` as well. Only what changed is written. Returns
/// the member's directory.
pub fn write_generated_member(member: &str, files: &BTreeMap<String, String>) -> PathBuf {
    assert!(
        !member.is_empty() && member.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'),
        "{member:?} is not a package name"
    );
    let ws = generated_crates_workspace();
    for (rel, content) in &scratch_workspace_root("every generated crate the tests build") {
        write_if_changed(&ws.join(rel), content);
    }
    let package_line = "\nname = \"dwolla-client\"\n";
    let files: BTreeMap<String, Vec<u8>> = files
        .iter()
        .map(|(rel, content)| {
            let content = if rel == "Cargo.toml" {
                assert!(
                    content.contains(package_line),
                    "the generated Cargo.toml has no line `name = \"dwolla-client\"` to rename"
                );
                // The package, and its dev-dependency on itself (which runs its doctests with
                // `test-util`), take the member's name.
                let self_dependency = "\ndwolla-client = { path = \".\"";
                let renamed = content
                    .replacen(package_line, &format!("\nname = \"{member}\"\n"), 1)
                    .replacen(self_dependency, &format!("\n{member} = {{ path = \".\""), 1);
                with_runtime_at(&renamed, &workspace_root().join("generator/runtime"))
            } else {
                content.clone()
            };
            (rel.clone(), content.into_bytes())
        })
        .collect();
    let dir = ws.join(member);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("mkdir {}: {e}", dir.display()));
    sync_dir(&dir, &files, &[]);
    dir
}

/// `manifest` (a generated crate's) with its runtime dependency's `path` made `runtime`, for a
/// copy of the crate outside this workspace.
pub fn with_runtime_at(manifest: &str, runtime: &Path) -> String {
    let relative = "path = \"../generator/runtime\"";
    assert!(manifest.contains(relative), "the generated Cargo.toml has no `{relative}` to rewrite");
    let absolute = runtime.to_string_lossy().replace('\\', "/");
    manifest.replacen(relative, &format!("path = \"{absolute}\""), 1)
}

/// The top-level files of a scratch workspace whose every directory is a member: its manifest,
/// which says what the workspace is for (`purpose`), and the workspace's `Cargo.lock`, so that
/// it builds the dependencies the workspace builds, at the same versions.
pub fn scratch_workspace_root(purpose: &str) -> BTreeMap<String, Vec<u8>> {
    let manifest = format!(
        "# Written by tests/support.rs: {purpose}.\n[workspace]\nresolver = \"3\"\nmembers = [\"*\"]\n"
    );
    let lock = std::fs::read(workspace_root().join("Cargo.lock")).unwrap_or_else(|e| panic!("Cargo.lock: {e}"));
    BTreeMap::from([("Cargo.toml".to_owned(), manifest.into_bytes()), ("Cargo.lock".to_owned(), lock)])
}

/// What building and running the tests of one member of the scratch workspace gave.
#[derive(Debug, Default)]
pub struct MemberRun {
    /// Compiler warnings and errors in the member's code, rendered.
    pub diagnostics: Vec<String>,
    /// Each test binary's name and its run.
    pub tests: Vec<(String, Output)>,
}

/// Builds the test targets `tests` of the `members` of the scratch workspace in one cargo
/// invocation, into `target` (see [`cargo_generated_crates`]), then runs each test binary in
/// its member's directory. Returns cargo's own output (its status covers the build of them all)
/// and each member's diagnostics and test runs: a member whose test binary did not build has no
/// run of it.
pub fn test_generated_members(
    target: &Path,
    members: &[&str],
    tests: &[&str],
) -> (Output, BTreeMap<String, MemberRun>) {
    let ws = generated_crates_workspace();
    // `--no-fail-fast` keeps going: one member that does not compile does not stop the others.
    let mut args = vec!["test", "--no-run", "--no-fail-fast", "--message-format", "json"];
    for m in members {
        args.extend(["-p", m]);
    }
    for t in tests {
        args.extend(["--test", t]);
    }
    let out = cargo_generated_crates(&ws, target, &args);
    let mut runs: BTreeMap<String, MemberRun> = members
        .iter()
        .map(|m| {
            let diagnostics = diagnostics_of(&out, &ws.join(m).join("Cargo.toml"));
            (m.to_string(), MemberRun { diagnostics, tests: Vec::new() })
        })
        .collect();
    let member_of = |manifest: &Path| members.iter().find(|m| manifest == ws.join(m).join("Cargo.toml")).copied();
    for exe in executables(&out) {
        let Some(member) = member_of(&exe.manifest_path) else {
            continue;
        };
        // As `cargo test` runs it, with what the tests print.
        let output = Command::new(&exe.path)
            .arg("--nocapture")
            .current_dir(ws.join(member))
            .env("CARGO_MANIFEST_DIR", ws.join(member))
            .output()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", exe.path.display()));
        runs.entry(member.to_owned()).or_default().tests.push((exe.name, output));
    }
    (out, runs)
}

/// The compiler's warnings and errors, rendered, in the package of `manifest`, read from the
/// output of a cargo command run with `--message-format json`.
pub fn diagnostics_of(out: &Output, manifest: &Path) -> Vec<String> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|m| m["reason"] == "compiler-message" && m["manifest_path"].as_str().map(Path::new) == Some(manifest))
        .filter_map(|m| {
            let level = m["message"]["level"].as_str().unwrap_or("");
            (level == "warning" || level.starts_with("error"))
                .then(|| m["message"]["rendered"].as_str().unwrap_or(level).to_owned())
        })
        .collect()
}

/// Cargo's own warnings and errors in its standard error (about a manifest, say), which concern
/// every package it built.
pub fn cargo_diagnostics(out: &Output) -> Vec<String> {
    String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter(|l| l.contains("warning:") || l.contains("error:") || l.contains("error["))
        .map(str::to_owned)
        .collect()
}

/// An executable cargo reported building, read from its `--message-format json` output.
#[derive(Debug)]
pub struct Executable {
    /// The target's name (`xtask`, `drift`, an example's name).
    pub name: String,
    /// The target's kind: `bin`, `test`, `example`, …
    pub kind: String,
    /// The manifest of the package it belongs to.
    pub manifest_path: PathBuf,
    /// Whether it is a test harness: a test target, or the unit tests of a binary (which have
    /// the binary's name and kind).
    pub test_harness: bool,
    /// Where it is.
    pub path: PathBuf,
}

/// Every executable in the output of a cargo command run with `--message-format json`.
pub fn executables(out: &Output) -> Vec<Executable> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|m| m["reason"] == "compiler-artifact")
        .filter_map(|m| {
            Some(Executable {
                name: m["target"]["name"].as_str()?.to_owned(),
                kind: m["target"]["kind"][0].as_str()?.to_owned(),
                manifest_path: PathBuf::from(m["manifest_path"].as_str()?),
                test_harness: m["profile"]["test"] == true,
                path: PathBuf::from(m["executable"].as_str()?),
            })
        })
        .collect()
}

/// The workspace's `[profile]` settings as `--config` arguments, with incremental state and line
/// tables off for the crates built this way: each is built whole (it is new, or regenerated)
/// and only run by a test, and both cost compile time (line tables about 8% of a generated
/// crate's). The dependencies have neither in the workspace either. A generated crate built in a
/// scratch directory (a workspace of its own) under these settings compiles its dependencies as
/// the workspace did, so in the workspace's target directory it finds them built: all but the
/// few whose features differ, because the workspace unifies the generator's needs into them.
pub fn workspace_config_args() -> Vec<String> {
    let mut settings = Vec::new();
    if let Some(profile) = workspace_manifest().get("profile") {
        config_settings(&mut vec!["profile".to_owned()], profile, &mut settings);
    }
    settings.push("profile.dev.incremental=false".to_owned());
    settings.push("profile.dev.debug=false".to_owned());
    settings.into_iter().flat_map(|s| ["--config".to_owned(), s]).collect()
}

/// The workspace's `Cargo.toml`, parsed.
fn workspace_manifest() -> toml::Table {
    read_toml("Cargo.toml")
}

/// The TOML file at `rel` in the workspace, parsed.
pub fn read_toml(rel: &str) -> toml::Table {
    let path = workspace_root().join(rel);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .parse()
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Each leaf of `value`, under the dotted key `keys`, as a `--config` setting:
/// `profile."dev"."package"."*"."debug"=false`.
fn config_settings(keys: &mut Vec<String>, value: &toml::Value, out: &mut Vec<String>) {
    let quoted = |s: &str| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""));
    let setting = format!("{}=", keys.join("."));
    match value {
        toml::Value::Table(table) => {
            for (key, value) in table {
                keys.push(quoted(key));
                config_settings(keys, value, out);
                keys.pop();
            }
        }
        toml::Value::String(s) => out.push(setting + &quoted(s)),
        toml::Value::Integer(i) => out.push(setting + &i.to_string()),
        toml::Value::Boolean(b) => out.push(setting + &b.to_string()),
        other => panic!("Cargo.toml: a profile setting of a kind these tests do not pass on: {other:?}"),
    }
}

/// Runs `cargo --offline <args>` in `dir` (the scratch workspace of generated crates, or a
/// generated crate unpacked elsewhere) with the workspace's profile
/// ([`workspace_config_args`]), building into `target`, the workspace's own target directory
/// ([`own_target_dir!`]), where the dependencies are built already.
pub fn cargo_generated_crates(dir: &Path, target: &Path, args: &[&str]) -> Output {
    let mut all = workspace_config_args();
    all.extend(args.iter().map(|a| a.to_string()));
    let all: Vec<&str> = all.iter().map(String::as_str).collect();
    cargo(dir, target, &all)
}

/// Downloads every package of the workspace's `Cargo.lock`, once per test process: the builds
/// these tests run are offline, and some need packages the workspace's own build never
/// downloads (native-tls's, for the TLS features and the docs.rs build). On a machine that has
/// them all this asks nothing of the network; on a fresh one it is the one download.
fn fetch_once() {
    static FETCHED: std::sync::OnceLock<()> = std::sync::OnceLock::new();
    FETCHED.get_or_init(|| {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let out = Command::new(cargo)
            .args(["fetch", "--locked"])
            .current_dir(workspace_root())
            .env_remove("CARGO_MANIFEST_DIR")
            .output()
            .unwrap_or_else(|e| panic!("cannot run cargo fetch: {e}"));
        assert!(out.status.success(), "cargo fetch --locked failed\n{}", text(&out));
    });
}

/// Runs `cargo --offline <args>` in `dir`, building into `target_dir`, once every package of
/// the lockfile is downloaded.
pub fn cargo(dir: &Path, target_dir: &Path, args: &[&str]) -> Output {
    cargo_with_env(dir, target_dir, args, &[])
}

/// [`cargo`] with environment variables `env` set as well (`RUSTDOCFLAGS`, say).
pub fn cargo_with_env(dir: &Path, target_dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    fetch_once();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    Command::new(cargo)
        .arg("--offline")
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target_dir)
        .env_remove("CARGO_MANIFEST_DIR")
        .env_remove("RUSTFLAGS")
        .envs(env.iter().copied())
        .output()
        .unwrap_or_else(|e| panic!("cannot run cargo in {}: {e}", dir.display()))
}

/// Standard error and output of a finished command, for assertion messages.
pub fn text(out: &Output) -> String {
    format!(
        "status: {}\n--- stderr\n{}\n--- stdout\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    )
}

#[cfg(test)]
mod tests {
    /// Read back as TOML, the `--config` settings are the manifest's `[profile]` table, every
    /// setting of it, plus incremental state and line tables off.
    #[test]
    fn the_config_arguments_say_what_the_manifest_profile_says() {
        fn merge(into: &mut toml::Table, from: toml::Table) {
            for (key, value) in from {
                match (into.get_mut(&key), value) {
                    (Some(toml::Value::Table(a)), toml::Value::Table(b)) => merge(a, b),
                    (_, value) => {
                        into.insert(key, value);
                    }
                }
            }
        }
        let args = super::workspace_config_args();
        let mut read_back = toml::Table::new();
        for pair in args.chunks(2) {
            assert_eq!(pair[0], "--config", "{args:?}");
            let setting: toml::Table = pair[1].parse().unwrap_or_else(|e| panic!("{}: {e}", pair[1]));
            merge(&mut read_back, setting);
        }
        let mut expected = toml::Table::new();
        let profile = super::workspace_manifest().get("profile").cloned().expect("a [profile]");
        expected.insert("profile".to_owned(), profile);
        merge(&mut expected, "profile.dev.incremental = false\nprofile.dev.debug = false".parse().unwrap_or_default());
        assert_eq!(read_back, expected);
        assert!(args.iter().any(|a| a == r#"profile."dev"."package"."*"."debug"=false"#), "{args:?}");
    }
}
