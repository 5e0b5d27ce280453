//! Writes the file set to `generated/`, or, in check mode, reports how the directory differs
//! from it: which files differ (with the first differing line), which are missing, which should
//! no longer exist. Files are only written when their contents change.

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

/// Every file under `dir`, relative to it, with `/` separators.
fn existing_files(dir: &Path) -> Result<Vec<String>> {
    let mut out = Vec::new();
    if !dir.exists() {
        return Ok(out);
    }
    let mut stack: Vec<PathBuf> = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).map_err(|e| io(&d, e))? {
            let entry = entry.map_err(|e| io(&d, e))?;
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
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
    for rel in existing_files(dir)? {
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
        let path = entry.map_err(|e| io(dir, e))?.path();
        if path.is_dir() {
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
}
