//! What the crate's optional features cost: beside their cold builds (rows of `cold`), whether
//! `test-util` off costs a default build anything: the packages each build compiles, and the
//! crate's own build with and without the feature.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use crate::util::{Result, cargo, output, timed_builds, warm_up};

/// The packages of a default build and of one with `test-util`, by `cargo tree -e normal`.
#[derive(Debug, Clone, PartialEq)]
pub struct Trees {
    pub default: BTreeSet<String>,
    pub test_util: BTreeSet<String>,
}

impl Trees {
    /// Packages only `test-util` brings in.
    pub fn only_test_util(&self) -> Vec<&str> {
        self.test_util.difference(&self.default).map(String::as_str).collect()
    }

    /// Whether the default build has any of the packages `test-util` exists to bring: `wiremock`.
    pub fn default_has_wiremock(&self) -> bool {
        self.default.iter().any(|p| p.starts_with("wiremock "))
    }
}

pub fn trees(default_dir: &Path, test_util_dir: &Path) -> Result<Trees> {
    Ok(Trees {
        default: tree(default_dir)?,
        test_util: tree(test_util_dir)?,
    })
}

/// `cargo tree -e normal` of a prepared downstream crate: the packages it builds, as
/// `name vX.Y.Z`, each once.
fn tree(dir: &Path) -> Result<BTreeSet<String>> {
    let text = output(
        Command::new(cargo())
            .args([
                "tree",
                "--offline",
                "-e",
                "normal",
                "--prefix",
                "none",
                "--format",
                "{p}",
            ])
            .current_dir(dir),
    )?;
    Ok(packages(&text))
}

fn packages(tree: &str) -> BTreeSet<String> {
    tree.lines()
        .filter_map(|l| {
            let mut words = l.split_whitespace();
            Some(format!("{} {}", words.next()?, words.next()?))
        })
        .collect()
}

/// `cargo build` of `dwolla-client` alone (dependencies built, `cargo clean -p` before each run)
/// in a prepared downstream crate, median of `runs`; `target` is shared between the crates
/// measured this way, so that each set of dependencies is built once.
pub fn crate_only_build(dir: &Path, target: &Path, runs: usize) -> Result<Duration> {
    warm_up(dir, target, "build", &["--offline"])?;
    timed_builds(dir, target, "dwolla-client", "build", &["--offline"], runs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_each_package_once() {
        let default = packages("downstream v0.0.0 (/x)\ndwolla-client v0.2.0 (/g)\nbytes v1.11.0\nbytes v1.11.0 (*)\n");
        assert_eq!(default.len(), 3);
        let test_util = packages("downstream v0.0.0 (/x)\ndwolla-client v0.2.0 (/g)\nbytes v1.11.0\nwiremock v0.6.5\n");
        let trees = Trees { default, test_util };
        assert_eq!(trees.only_test_util(), ["wiremock v0.6.5"]);
        assert!(!trees.default_has_wiremock());
    }
}
