//! Running commands, timing them and formatting what they took.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

pub type Result<T> = std::result::Result<T, String>;

/// The workspace root: the parent of this crate's directory.
pub fn root() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    here.parent().unwrap_or(here).to_path_buf()
}

/// The workspace's own target directory, where `cargo` run from the root builds and criterion
/// writes: `CARGO_TARGET_DIR` when set (relative to the root), `target/` otherwise. The bench's
/// own builds never use it: they have target directories under `target/bench`.
pub fn workspace_target(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => root.join(dir),
        _ => root.join("target"),
    }
}

pub fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

/// Runs a command to completion, failing with its output when it fails.
pub fn run_cmd(cmd: &mut Command) -> Result<Duration> {
    let started = Instant::now();
    output(cmd)?;
    Ok(started.elapsed())
}

/// Runs a command to completion and returns its standard output, failing with its standard
/// error when it fails.
pub fn output(cmd: &mut Command) -> Result<String> {
    let out = cmd.output().map_err(|e| format!("{cmd:?}: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{cmd:?} failed: {}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
                .lines()
                .rev()
                .take(30)
                .collect::<Vec<_>>()
                .join("\n")
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

pub fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs.get(xs.len() / 2).copied().unwrap_or_default()
}

pub fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

pub fn ms(ns: f64) -> String {
    if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else {
        format!("{:.1} µs", ns / 1e3)
    }
}

/// Median of `runs` timed runs of `cargo <mode>` in `dir`, cleaning `package` before each.
pub fn timed_builds(
    dir: &Path,
    target: &Path,
    package: &str,
    mode: &str,
    extra: &[&str],
    runs: usize,
) -> Result<Duration> {
    let mut times = Vec::new();
    for _ in 0..runs {
        run_cmd(
            Command::new(cargo())
                .args(["clean", "-p", package, "--target-dir"])
                .arg(target)
                .current_dir(dir),
        )?;
        times.push(run_cmd(
            Command::new(cargo())
                .arg(mode)
                .args(extra)
                .arg("--target-dir")
                .arg(target)
                .current_dir(dir),
        )?);
    }
    Ok(median(times))
}

/// `cargo <mode> <extra>` in `dir` into `target`, untimed: to build what the timed runs then reuse.
pub fn warm_up(dir: &Path, target: &Path, mode: &str, extra: &[&str]) -> Result<()> {
    run_cmd(
        Command::new(cargo())
            .arg(mode)
            .args(extra)
            .arg("--target-dir")
            .arg(target)
            .current_dir(dir),
    )
    .map(drop)
}

pub fn write(path: &Path, text: &str) -> Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

pub fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}
