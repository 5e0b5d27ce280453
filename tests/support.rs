//! Helpers shared by the workspace's integration tests: where the workspace is, copying it,
//! and running cargo in a copy.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The workspace root (this package lives in `tests/`).
pub fn workspace_root() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    here.parent().unwrap_or(here).to_path_buf()
}

/// A fresh, empty directory under `target/test-work/`, removed first if it exists.
pub fn scratch_dir(name: &str) -> PathBuf {
    let dir = workspace_root().join("target").join("test-work").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    dir
}

/// Copies the workspace's sources (no `target/`, no `.git/`) to `dest`.
pub fn copy_workspace(dest: &Path) {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap_or_else(|e| panic!("mkdir {}: {e}", to.display()));
        for entry in std::fs::read_dir(from).unwrap_or_else(|e| panic!("read {}: {e}", from.display())) {
            let entry = entry.unwrap_or_else(|e| panic!("read {}: {e}", from.display()));
            let name = entry.file_name();
            if name == "target" || name == ".git" {
                continue;
            }
            let (src, dst) = (entry.path(), to.join(&name));
            if src.is_dir() {
                copy(&src, &dst);
            } else {
                std::fs::copy(&src, &dst).unwrap_or_else(|e| panic!("copy {}: {e}", src.display()));
            }
        }
    }
    copy(&workspace_root(), dest);
}

/// Writes a generated crate into `dir` as a workspace of its own (not a member of ours), with
/// our `Cargo.lock`.
pub fn write_generated_crate(dir: &Path, files: &std::collections::BTreeMap<String, String>) {
    for (rel, content) in files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
        }
        let mut content = content.clone();
        if rel == "Cargo.toml" {
            content.push_str("\n[workspace]\n");
        }
        std::fs::write(&path, content).unwrap_or_else(|e| panic!("{e}"));
    }
    std::fs::copy(workspace_root().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap_or_else(|e| panic!("{e}"));
}

/// Runs `cargo --offline <args>` in `dir`, building into `target_dir`.
pub fn cargo(dir: &Path, target_dir: &Path, args: &[&str]) -> Output {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    Command::new(cargo)
        .arg("--offline")
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target_dir)
        .env_remove("CARGO_MANIFEST_DIR")
        .env_remove("RUSTFLAGS")
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
