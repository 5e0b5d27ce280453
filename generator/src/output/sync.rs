//! Writes the file set to `generated/`, or, in check mode, reports how the directory differs
//! from it: which files differ (with the first differing line), which are missing, which should
//! no longer exist. Files are only written when their contents change.
//!
//! The generator writes and deletes only regular files it owns under `generated/`. Before
//! anything is written or removed (and in check mode too), the directory is surveyed without
//! following links: `generated/` being a symbolic link, a symbolic link anywhere under it (to a
//! directory or a file), a special file, or an output path that would leave the directory is
//! refused with an [`Error::UnownedPath`] naming the path. So no link can lead a write or a
//! removal outside `generated/`.

use std::path::{Path, PathBuf};

use super::FileSet;
use crate::error::{Error, Result};

/// What a sync did (or, in check mode, would do).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct SyncReport {
    pub changed: Vec<String>,
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub unchanged: usize,
}

impl SyncReport {
    pub fn is_clean(&self) -> bool {
        self.changed.is_empty() && self.added.is_empty() && self.removed.is_empty()
    }
}

fn io(path: &Path, source: std::io::Error) -> Error {
    Error::Io {
        path: path.to_owned(),
        source,
    }
}

fn unowned(path: &Path, message: &str) -> Error {
    Error::UnownedPath {
        path: path.to_owned(),
        message: message.to_owned(),
    }
}

/// Every regular file under `dir`, relative to it, with `/` separators, found without following
/// links. A missing `dir` has none; `dir` being a link or not a directory, or anything under it
/// that is neither a directory nor a regular file (a symbolic link, a socket), is refused.
fn owned_files(dir: &Path) -> Result<Vec<String>> {
    match std::fs::symlink_metadata(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io(dir, e)),
        Ok(meta) if meta.file_type().is_symlink() => return Err(unowned(dir, SYMLINK)),
        Ok(meta) if !meta.is_dir() => return Err(unowned(dir, "is not a directory")),
        Ok(_) => {}
    }
    let mut out = Vec::new();
    let mut stack: Vec<PathBuf> = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).map_err(|e| io(&d, e))? {
            let entry = entry.map_err(|e| io(&d, e))?;
            let path = entry.path();
            let kind = entry.file_type().map_err(|e| io(&path, e))?;
            if kind.is_symlink() {
                return Err(unowned(&path, SYMLINK));
            } else if kind.is_dir() {
                stack.push(path);
            } else if !kind.is_file() {
                return Err(unowned(&path, "is neither a regular file nor a directory"));
            } else if let Ok(rel) = path.strip_prefix(dir) {
                let rel: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                out.push(rel.join("/"));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Why a symbolic link under the output directory is refused.
const SYMLINK: &str = "is a symbolic link; the generator writes and removes only regular files it owns under \
                       the output directory and follows no link, so remove the link and run it again";

/// Refuses an output path that is not a plain relative path below the output directory
/// (`..`, `.`, a root or a prefix), so that no file of the set can be written outside it.
fn check_output_paths(dir: &Path, files: &FileSet) -> Result<()> {
    for rel in files.keys() {
        let plain = !rel.is_empty()
            && Path::new(rel)
                .components()
                .all(|c| matches!(c, std::path::Component::Normal(_)));
        if !plain {
            return Err(unowned(&dir.join(rel), "is not a plain path below the output directory"));
        }
    }
    Ok(())
}

fn normalize_newlines(s: &str) -> std::borrow::Cow<'_, str> {
    if s.contains('\r') {
        std::borrow::Cow::Owned(s.replace("\r\n", "\n"))
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// Brings `dir` in line with `files`, or with `check` only compares. In check mode a
/// difference is an [`Error::Drift`] whose report ends with the command that fixes it.
pub fn sync(dir: &Path, files: &FileSet, check: bool) -> Result<SyncReport> {
    check_output_paths(dir, files)?;
    let existing = owned_files(dir)?;
    let mut report = SyncReport::default();
    let mut details = Vec::new();
    for (rel, want) in files {
        let path = dir.join(rel);
        match std::fs::read_to_string(&path) {
            Ok(have) if normalize_newlines(&have) == want.as_str() => report.unchanged += 1,
            Ok(have) => {
                details.push(first_difference(rel, &normalize_newlines(&have), want));
                report.changed.push(rel.clone());
                if !check {
                    std::fs::write(&path, want).map_err(|e| io(&path, e))?;
                }
            }
            Err(_) => {
                report.added.push(rel.clone());
                if !check {
                    if let Some(parent) = path.parent() {
                        std::fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
                    }
                    std::fs::write(&path, want).map_err(|e| io(&path, e))?;
                }
            }
        }
    }
    for rel in existing {
        if !files.contains_key(&rel) {
            report.removed.push(rel.clone());
            if !check {
                let path = dir.join(&rel);
                std::fs::remove_file(&path).map_err(|e| io(&path, e))?;
            }
        }
    }
    if !check {
        remove_empty_dirs(dir)?;
    }
    if check && !report.is_clean() {
        let mut text = format!("{} is out of date with the spec:\n", dir.display());
        for d in &details {
            text.push_str(d);
        }
        for rel in &report.added {
            text.push_str(&format!("  missing: {rel}\n"));
        }
        for rel in &report.removed {
            text.push_str(&format!("  should not exist: {rel}\n"));
        }
        text.push_str("run `cargo xtask codegen` and commit the result");
        return Err(Error::Drift { report: text });
    }
    Ok(report)
}

fn first_difference(rel: &str, have: &str, want: &str) -> String {
    let mut have_lines = have.lines();
    let mut want_lines = want.lines();
    let mut n = 1;
    loop {
        match (have_lines.next(), want_lines.next()) {
            (Some(h), Some(w)) if h == w => n += 1,
            (h, w) => {
                return format!(
                    "  differs: {rel} (first at line {n})\n    checked in: {}\n    generated:  {}\n",
                    h.unwrap_or("<end of file>"),
                    w.unwrap_or("<end of file>")
                );
            }
        }
    }
}

fn remove_empty_dirs(dir: &Path) -> Result<bool> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(false);
    };
    let mut empty = true;
    for entry in entries {
        let entry = entry.map_err(|e| io(dir, e))?;
        let path = entry.path();
        if entry.file_type().map_err(|e| io(&path, e))?.is_dir() {
            if remove_empty_dirs(&path)? {
                std::fs::remove_dir(&path).map_err(|e| io(&path, e))?;
            } else {
                empty = false;
            }
        } else {
            empty = false;
        }
    }
    Ok(empty)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("dwolla-sync-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn writes_then_checks_clean_then_reports_drift() {
        let dir = temp_dir("drift");
        let mut files = FileSet::new();
        files.insert("a.rs".into(), "one\ntwo\n".into());
        files.insert("sub/b.rs".into(), "b\n".into());
        let r = sync(&dir, &files, false).unwrap();
        assert_eq!(r.added.len(), 2);
        assert!(sync(&dir, &files, true).unwrap().is_clean());

        std::fs::write(dir.join("a.rs"), "one\nTWO\n").unwrap();
        std::fs::write(dir.join("stale.rs"), "x").unwrap();
        std::fs::remove_file(dir.join("sub/b.rs")).unwrap();
        let e = sync(&dir, &files, true).unwrap_err().to_string();
        assert!(e.contains("differs: a.rs (first at line 2)"), "{e}");
        assert!(e.contains("checked in: TWO"), "{e}");
        assert!(e.contains("missing: sub/b.rs"), "{e}");
        assert!(e.contains("should not exist: stale.rs"), "{e}");
        assert!(e.ends_with("run `cargo xtask codegen` and commit the result"), "{e}");

        let r = sync(&dir, &files, false).unwrap();
        assert_eq!((r.changed.len(), r.added.len(), r.removed.len()), (1, 1, 1));
        assert!(sync(&dir, &files, true).unwrap().is_clean());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn crlf_checkouts_are_not_drift() {
        let dir = temp_dir("crlf");
        let mut files = FileSet::new();
        files.insert("a.rs".into(), "one\ntwo\n".into());
        std::fs::write(dir.join("a.rs"), "one\r\ntwo\r\n").unwrap();
        assert!(sync(&dir, &files, true).unwrap().is_clean());
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// An output directory holding `a.rs`, and beside it a directory the generator does not
    /// own holding `canary.rs`.
    #[cfg(unix)]
    fn output_and_outside(name: &str) -> (PathBuf, PathBuf, PathBuf) {
        let root = temp_dir(name);
        let (out, outside) = (root.join("generated"), root.join("outside"));
        std::fs::create_dir_all(&out).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(out.join("a.rs"), "a\n").unwrap();
        std::fs::write(outside.join("canary.rs"), "canary\n").unwrap();
        (root, out, outside)
    }

    #[cfg(unix)]
    fn only_a() -> FileSet {
        let mut files = FileSet::new();
        files.insert("a.rs".into(), "a\n".into());
        files
    }

    #[cfg(unix)]
    fn assert_refused(result: Result<SyncReport>, link: &Path) {
        let e = result.unwrap_err();
        assert!(matches!(e, Error::UnownedPath { .. }), "{e}");
        let text = e.to_string();
        assert!(text.starts_with(&format!("{}: is a symbolic link", link.display())), "{text}");
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_to_an_outside_directory_is_refused_and_nothing_behind_it_is_removed() {
        let (root, out, outside) = output_and_outside("dir-link");
        let link = out.join("link");
        std::os::unix::fs::symlink(&outside, &link).unwrap();
        assert_refused(sync(&out, &only_a(), true), &link);
        assert_refused(sync(&out, &only_a(), false), &link);
        assert_eq!(std::fs::read_to_string(outside.join("canary.rs")).unwrap(), "canary\n");
        assert!(std::fs::symlink_metadata(&link).is_ok(), "the link itself is left alone");
        let _ = std::fs::remove_dir_all(&root);
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_to_an_outside_file_is_refused_and_the_file_survives() {
        let (root, out, outside) = output_and_outside("file-link");
        let link = out.join("stale.rs");
        std::os::unix::fs::symlink(outside.join("canary.rs"), &link).unwrap();
        assert_refused(sync(&out, &only_a(), false), &link);
        assert_eq!(std::fs::read_to_string(outside.join("canary.rs")).unwrap(), "canary\n");
        let _ = std::fs::remove_dir_all(&root);
    }

    #[cfg(unix)]
    #[test]
    fn an_output_directory_that_is_a_symlink_is_refused_before_anything_is_written() {
        let (root, _, outside) = output_and_outside("out-link");
        let link = root.join("linked");
        std::os::unix::fs::symlink(&outside, &link).unwrap();
        assert_refused(sync(&link, &only_a(), true), &link);
        assert_refused(sync(&link, &only_a(), false), &link);
        assert!(!outside.join("a.rs").exists(), "nothing written through the link");
        assert_eq!(std::fs::read_to_string(outside.join("canary.rs")).unwrap(), "canary\n");
        let _ = std::fs::remove_dir_all(&root);
    }

    #[cfg(unix)]
    #[test]
    fn an_output_path_through_a_symlinked_directory_is_refused_before_anything_is_written() {
        let (root, out, outside) = output_and_outside("component-link");
        let link = out.join("sub");
        std::os::unix::fs::symlink(&outside, &link).unwrap();
        let mut files = only_a();
        files.insert("sub/canary.rs".into(), "overwritten\n".into());
        files.insert("sub/new.rs".into(), "new\n".into());
        assert_refused(sync(&out, &files, false), &link);
        assert_eq!(std::fs::read_to_string(outside.join("canary.rs")).unwrap(), "canary\n");
        assert!(!outside.join("new.rs").exists(), "nothing written through the link");
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn an_output_path_that_leaves_the_directory_is_refused() {
        let dir = temp_dir("dotdot");
        let mut files = FileSet::new();
        files.insert("../escaped.rs".into(), "x\n".into());
        let e = sync(&dir.join("generated"), &files, false).unwrap_err();
        assert!(matches!(e, Error::UnownedPath { .. }), "{e}");
        assert!(!dir.join("escaped.rs").exists());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
