//! `cargo xtask semver`: the Rust API of the checked-in crate as rustdoc sees it, compared with
//! the last published release's, recorded in `generated/rust-api.json` (see
//! [`report::rust_api`]). It builds the crate's documentation, so it is a command of its own
//! and a CI step, not part of `cargo xtask codegen`, which reads the record.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::error::{Error, Result};
use crate::report::rust_api::{self, PublishedApi, RUST_API_FILE, RustApi, RustRecord};
use crate::report::{Bump, Report, SNAPSHOT_FILE, Snapshot, Version};
use crate::{OUTPUT_DIR, read};

/// What `cargo xtask semver` found.
#[derive(Clone, Debug)]
pub struct Semver {
    /// The record as it should be.
    pub record: RustRecord,
    /// The checked-in crate's API.
    pub current: RustApi,
    /// The record differs from the checked-in one (written, unless checking).
    pub fresh: bool,
    /// The version the Rust API's changes call for after the published release.
    pub required: Version,
    /// The checked-in crate's version (`api-surface.json`'s).
    pub version: Version,
}

/// Compares the checked-in crate's Rust API with the published release's and writes the
/// record, or with `check` fails when the checked-in record is not what this finds or the
/// crate's version is below what the Rust changes call for. `published_from`, a git revision
/// of the last published release, makes the published view from it (the first record, or one
/// of a format that changed); otherwise the checked-in record's is used.
pub fn semver(root: &Path, check: bool, published_from: Option<&str>) -> Result<Semver> {
    let snapshot =
        Snapshot::parse(&read(&root.join(OUTPUT_DIR).join(SNAPSHOT_FILE))?).map_err(|message| Error::Report {
            message: format!("generated/{SNAPSHOT_FILE}: {message}"),
        })?;
    let stored = read_record(root)?;
    let current = rust_api(root)?;
    let published = match (published_from, &stored) {
        (Some(rev), _) => PublishedApi {
            version: snapshot.published.version,
            api: published_api(root, rev, snapshot.published.version)?,
        },
        (None, Some((_, record))) => record.published.clone(),
        // Nothing recorded and nothing pending: the checked-in crate is the published release.
        (None, None) if snapshot.pending.is_none() => PublishedApi {
            version: snapshot.published.version,
            api: current.clone(),
        },
        (None, None) => {
            return Err(Error::Report {
                message: format!(
                    "generated/{RUST_API_FILE} is missing, and the checked-in crate is not the published release {}: \
                     make its view with `cargo xtask semver --published-from <the release's commit>`",
                    snapshot.published.version
                ),
            });
        }
    };
    if published.version != snapshot.published.version {
        return Err(Error::Report {
            message: format!(
                "generated/{RUST_API_FILE} has the Rust API of release {}, but the last published release is {} \
                 (generated/{SNAPSHOT_FILE}); `cargo xtask release` records both",
                published.version, snapshot.published.version
            ),
        });
    }
    let changes = rust_api::compare(&published.api, &current);
    let required = published.version.bumped(Bump::of(&Report {
        changes: changes.clone(),
    }));
    let record = RustRecord { changes, published };
    let text = record.to_text()?;
    let fresh = stored.as_ref().is_none_or(|(old, _)| *old != text);
    let outcome = Semver {
        record,
        current,
        fresh,
        required,
        version: snapshot.version,
    };
    if check {
        verify(&outcome)?;
    } else if fresh {
        let path = root.join(OUTPUT_DIR).join(RUST_API_FILE);
        std::fs::write(&path, text).map_err(|source| Error::Io { path, source })?;
    }
    Ok(outcome)
}

/// `--check`: the record is current and the version is at least what it calls for.
fn verify(outcome: &Semver) -> Result<()> {
    if outcome.fresh {
        return Err(Error::Report {
            message: format!(
                "generated/{RUST_API_FILE} is out of date with the crate's Rust API ({} changes since {} now): \
                 run `cargo xtask semver`, then `cargo xtask codegen`",
                outcome.record.changes.len(),
                outcome.record.published.version
            ),
        });
    }
    if outcome.version < outcome.required {
        return Err(Error::Report {
            message: format!(
                "the crate's version {} is below {}, which its Rust API's changes since {} call for: run `cargo xtask codegen`",
                outcome.version, outcome.required, outcome.record.published.version
            ),
        });
    }
    Ok(())
}

/// The checked-in record, with its text; `None` when there is none.
pub(crate) fn read_record(root: &Path) -> Result<Option<(String, RustRecord)>> {
    let path = root.join(OUTPUT_DIR).join(RUST_API_FILE);
    if !path.exists() {
        return Ok(None);
    }
    let text = read(&path)?;
    let record = RustRecord::parse(&text)?;
    Ok(Some((text, record)))
}

/// Where cargo builds: `CARGO_TARGET_DIR`, or `target/` under the workspace.
fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from)
}

/// Where rustdoc's JSON is built: a target directory of its own under the workspace's, since
/// `RUSTC_BOOTSTRAP` changes what some build scripts (proc-macro2's) emit, and sharing one
/// would rebuild the procedural macros and all that depends on them at every switch.
fn rustdoc_target_dir(root: &Path) -> PathBuf {
    target_dir(root).join("rustdoc-json")
}

/// The Rust API of the crate in the workspace at `root`.
pub fn rust_api(root: &Path) -> Result<RustApi> {
    let (manifest, target) = (root.join("Cargo.toml"), rustdoc_target_dir(root));
    let crates = rust_api::PACKAGES
        .iter()
        .map(|p| rust_api::parse(&rust_api::json_of(&manifest, p, &target)?, p))
        .collect::<Result<Vec<_>>>()?;
    Ok(rust_api::view(crates))
}

/// The Rust API of git revision `rev` of the repository at `root`, which must be release
/// `version`: read in a temporary worktree, removed after.
fn published_api(root: &Path, rev: &str, version: Version) -> Result<RustApi> {
    let dir = target_dir(root).join("semver-published");
    let git = |args: &[&str]| -> Result<()> {
        let out = Command::new("git")
            .arg("-C")
            .arg(root)
            .args(args)
            .output()
            .map_err(|e| Error::Report {
                message: format!("cannot run git: {e}"),
            })?;
        if out.status.success() {
            Ok(())
        } else {
            Err(Error::Report {
                message: format!("git {}: {}", args.join(" "), String::from_utf8_lossy(&out.stderr)),
            })
        }
    };
    let dir_text = dir.to_string_lossy().into_owned();
    let _ = git(&["worktree", "remove", "--force", &dir_text]);
    git(&["worktree", "add", "--detach", &dir_text, rev])?;
    let api = rust_api(&dir);
    let crate_version = std::fs::read_to_string(dir.join(OUTPUT_DIR).join("Cargo.toml"))
        .ok()
        .and_then(|t| {
            t.lines()
                .find_map(|l| l.strip_prefix("version = \"")?.strip_suffix('"').map(str::to_owned))
        });
    git(&["worktree", "remove", "--force", &dir_text])?;
    if crate_version.as_deref() != Some(version.to_string().as_str()) {
        return Err(Error::Report {
            message: format!(
                "revision {rev} is version {} of the crate, not the published release {version}",
                crate_version.as_deref().unwrap_or("(none)")
            ),
        });
    }
    api
}
