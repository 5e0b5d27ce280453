//! Running rustdoc for its JSON output. The stable toolchain emits it under
//! `RUSTC_BOOTSTRAP=1` with `-Z unstable-options --output-format json`; the JSON's format is
//! checked against the one `rustdoc-types` reads when it is parsed ([`super::parse`]).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::error::{Error, Result};

/// The packages whose API is the crate's, the crate users depend on first: the view follows
/// its `pub use`s into the others.
pub const PACKAGES: &[&str] = &["dwolla-client", "dwolla-client-runtime"];

/// Runs `cargo rustdoc` for `package` of the workspace or package at `manifest` (its
/// `Cargo.toml`), with every feature, into `target`, and reads the JSON's text.
pub fn json_of(manifest: &Path, package: &str, target: &Path) -> Result<String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args([
            "rustdoc",
            "--quiet",
            "--lib",
            "--all-features",
            "-p",
            package,
            "--manifest-path",
        ])
        .arg(manifest)
        .arg("--target-dir")
        .arg(target)
        .args(["--", "-Z", "unstable-options", "--output-format", "json"])
        .env("RUSTC_BOOTSTRAP", "1")
        .output()
        .map_err(|e| Error::Report {
            message: format!("cannot run cargo rustdoc: {e}"),
        })?;
    if !output.status.success() {
        return Err(Error::Report {
            message: format!(
                "cargo rustdoc -p {package} failed:\n{}",
                String::from_utf8_lossy(&output.stderr)
            ),
        });
    }
    let path = json_path(target, &library_name(manifest, package));
    std::fs::read_to_string(&path).map_err(|source| Error::Io { path, source })
}

/// `target/doc/<library>.json`.
fn json_path(target: &Path, library: &str) -> PathBuf {
    target.join("doc").join(format!("{}.json", library.replace('-', "_")))
}

/// The library's name of `package`: its `[lib] name`, else the package name. Read with
/// `cargo metadata`, which knows both.
fn library_name(manifest: &Path, package: &str) -> String {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let metadata = Command::new(cargo)
        .args([
            "metadata",
            "--no-deps",
            "--format-version",
            "1",
            "--offline",
            "--manifest-path",
        ])
        .arg(manifest)
        .output()
        .ok()
        .and_then(|o| serde_json::from_slice::<serde_json::Value>(&o.stdout).ok());
    let lib = metadata.as_ref().and_then(|m| {
        let packages = m.get("packages")?.as_array()?;
        let p = packages
            .iter()
            .find(|p| p.get("name").and_then(|n| n.as_str()) == Some(package))?;
        let targets = p.get("targets")?.as_array()?;
        let lib = targets.iter().find(|t| {
            t.get("kind")
                .and_then(|k| k.as_array())
                .is_some_and(|k| k.iter().any(|k| k.as_str().is_some_and(|k| k == "lib" || k == "rlib")))
        })?;
        Some(lib.get("name")?.as_str()?.to_owned())
    });
    lib.unwrap_or_else(|| package.to_owned())
}
