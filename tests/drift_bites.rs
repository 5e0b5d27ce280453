//! Shows on a copy of the workspace that the drift check bites: after one property of one
//! schema changes in the spec, both `cargo xtask codegen --check` and the drift test fail, and
//! `cargo xtask codegen` heals both, reporting the change as breaking in `generated/CHANGES.md`.
//!
//! The commands are the workspace's own executables, as `cargo test --workspace` built them,
//! pointed at the copy with `DWOLLA_WORKSPACE_ROOT` (`cargo xtask` is `cargo run -p xtask --`,
//! and xtask's own tests make cargo build its binary). Building the copy instead would build the
//! generator, the xtask and the test again at their new paths, which was most of what this test
//! cost.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use workspace_tests::{Executable, cargo, copy_workspace, executables, text, work_dir, workspace_root};

/// The executables `cargo test --workspace` built (so nothing builds again).
fn built_by_cargo_test(target: &Path) -> Vec<Executable> {
    let out = cargo(
        &workspace_root(),
        target,
        &["test", "--workspace", "--no-run", "--message-format", "json"],
    );
    assert!(out.status.success(), "cannot build the workspace's tests\n{}", text(&out));
    executables(&out)
}

/// The executable of the target `name` of kind `kind` among `built`, a test harness or not.
fn find(built: &[Executable], name: &str, kind: &str, test_harness: bool) -> PathBuf {
    built
        .iter()
        .find(|e| e.name == name && e.kind == kind && e.test_harness == test_harness)
        .map(|e| e.path.clone())
        .unwrap_or_else(|| panic!("cargo test --workspace built no {kind} {name}: {built:?}"))
}

/// A copy of the workspace and the two commands that judge it, run against the copy.
struct Copy {
    root: PathBuf,
    xtask: PathBuf,
    drift: PathBuf,
}

impl Copy {
    fn new() -> Copy {
        // Only what differs from the workspace is rewritten.
        let root = work_dir("drift-bites");
        copy_workspace(&root);
        let built = built_by_cargo_test(&workspace_tests::own_target_dir!());
        Copy {
            root,
            // The xtask binary itself, not the harness of its unit tests (which has its name and kind).
            xtask: find(&built, "xtask", "bin", false),
            drift: find(&built, "drift", "test", true),
        }
    }

    fn run(&self, exe: &Path, args: &[&str]) -> Output {
        Command::new(exe)
            .args(args)
            .env("DWOLLA_WORKSPACE_ROOT", &self.root)
            .output()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", exe.display()))
    }

    /// `cargo xtask codegen --check`.
    fn check(&self, what: &str) -> Output {
        let out = self.run(&self.xtask, &["codegen", "--check"]);
        println!("{what}: `cargo xtask codegen --check` -> {}", out.status);
        out
    }

    /// The generated crate's drift test.
    fn drift_test(&self, what: &str) -> Output {
        let out = self.run(&self.drift, &[]);
        println!("{what}: drift test -> {}", out.status);
        out
    }

    /// Both judges pass (or both fail), saying so when they do not.
    fn assert_both(&self, what: &str, pass: bool) {
        let out = self.check(what);
        assert_eq!(out.status.success(), pass, "`--check` {what}\n{}", text(&out));
        if !pass {
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(stderr.contains("differs: src/models/"), "{}", text(&out));
            assert!(stderr.contains("run `cargo xtask codegen`"), "{}", text(&out));
            println!(
                "{}",
                stderr
                    .lines()
                    .filter(|l| l.contains("differs") || l.contains("generated:") || l.contains("checked in:"))
                    .collect::<Vec<_>>()
                    .join("\n")
            );
        }
        let out = self.drift_test(what);
        assert_eq!(out.status.success(), pass, "the drift test {what}\n{}", text(&out));
        if !pass {
            assert!(
                String::from_utf8_lossy(&out.stdout).contains("run `cargo xtask codegen`"),
                "{}",
                text(&out)
            );
        }
    }

    /// One property of one schema: `Account.timezoneOffset` becomes an integer.
    fn edit_the_spec(&self) {
        let spec_path = self.root.join("spec/dwolla.yaml");
        let spec = std::fs::read_to_string(&spec_path).unwrap_or_else(|e| panic!("{e}"));
        let before = "        timezoneOffset:\n          type: number\n";
        assert_eq!(spec.matches(before).count(), 1, "the edited property must be unique in the spec");
        std::fs::write(&spec_path, spec.replace(before, "        timezoneOffset:\n          type: integer\n"))
            .unwrap_or_else(|e| panic!("{e}"));
    }

    /// `cargo xtask codegen`: the new type in the code, the change in the report, which it prints
    /// and keeps in generated/CHANGES.md. `f64` → `i64` is a new Rust type for a field: breaking.
    fn regenerate_and_read_the_report(&self) {
        let out = self.run(&self.xtask, &["codegen"]);
        assert!(out.status.success(), "regeneration failed\n{}", text(&out));
        let stdout = String::from_utf8_lossy(&out.stdout);
        let change = "field `timezone_offset` (`timezoneOffset`) type changed: `f64` → `i64`";
        assert!(
            stdout.contains("API changes since the previous generation") && stdout.contains(change),
            "{}",
            text(&out)
        );
        let read = |path: &str| std::fs::read_to_string(self.root.join(path)).unwrap_or_else(|e| panic!("{e}"));
        let report = read("generated/CHANGES.md");
        println!("{report}");
        assert!(report.contains("**1 breaking change, 0 not breaking.**"), "{report}");
        assert!(report.contains(&format!("## Breaking\n\n- type `Account`: {change}")), "{report}");
        assert!(
            read("generated/src/models/accounts.rs").contains("pub timezone_offset: ::std::option::Option<i64>"),
            "regenerated code should have the new type"
        );
    }
}

#[test]
fn changing_the_spec_fails_the_check_until_regenerated() {
    let copy = Copy::new();
    copy.assert_both("unchanged copy", true);
    copy.edit_the_spec();
    copy.assert_both("after editing the spec", false);
    copy.regenerate_and_read_the_report();
    copy.assert_both("after `cargo xtask codegen`", true);
}
