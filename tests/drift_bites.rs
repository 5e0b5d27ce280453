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

#[test]
fn changing_the_spec_fails_the_check_until_regenerated() {
    // Only what differs from the workspace is rewritten.
    let copy = work_dir("drift-bites");
    copy_workspace(&copy);
    let built = built_by_cargo_test(&workspace_tests::own_target_dir!());
    // The xtask binary itself, not the harness of its unit tests (which has its name and kind).
    let xtask = find(&built, "xtask", "bin", false);
    let drift = find(&built, "drift", "test", true);
    let run = |exe: &Path, args: &[&str]| -> Output {
        Command::new(exe)
            .args(args)
            .env("DWOLLA_WORKSPACE_ROOT", &copy)
            .output()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", exe.display()))
    };

    let check = |what: &str| {
        let out = run(&xtask, &["codegen", "--check"]);
        println!("{what}: `cargo xtask codegen --check` -> {}", out.status);
        out
    };
    let drift_test = |what: &str| {
        let out = run(&drift, &[]);
        println!("{what}: drift test -> {}", out.status);
        out
    };

    let out = check("unchanged copy");
    assert!(
        out.status.success(),
        "the untouched copy should pass the check\n{}",
        text(&out)
    );

    // One property of one schema: `Account.timezoneOffset` becomes an integer.
    let spec_path = copy.join("spec/dwolla.yaml");
    let spec = std::fs::read_to_string(&spec_path).unwrap_or_else(|e| panic!("{e}"));
    let before = "        timezoneOffset:\n          type: number\n";
    assert_eq!(
        spec.matches(before).count(),
        1,
        "the edited property must be unique in the spec"
    );
    std::fs::write(
        &spec_path,
        spec.replace(before, "        timezoneOffset:\n          type: integer\n"),
    )
    .unwrap_or_else(|e| panic!("{e}"));

    let out = check("after editing the spec");
    assert!(
        !out.status.success(),
        "--check should fail after the spec changed\n{}",
        text(&out)
    );
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

    let out = drift_test("after editing the spec");
    assert!(
        !out.status.success(),
        "the drift test should fail after the spec changed\n{}",
        text(&out)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("run `cargo xtask codegen`"),
        "{}",
        text(&out)
    );

    let out = run(&xtask, &["codegen"]);
    assert!(out.status.success(), "regeneration failed\n{}", text(&out));
    // The change report: printed, and kept in generated/CHANGES.md. `f64` → `i64` is a new
    // Rust type for a field: breaking.
    let stdout = String::from_utf8_lossy(&out.stdout);
    let change = "field `timezone_offset` (`timezoneOffset`) type changed: `f64` → `i64`";
    assert!(
        stdout.contains("API changes since the previous generation") && stdout.contains(change),
        "{}",
        text(&out)
    );
    let report = std::fs::read_to_string(copy.join("generated/CHANGES.md")).unwrap_or_else(|e| panic!("{e}"));
    println!("{report}");
    assert!(report.contains("**1 breaking change, 0 not breaking.**"), "{report}");
    assert!(
        report.contains(&format!("## Breaking\n\n- type `Account`: {change}")),
        "{report}"
    );
    let models =
        std::fs::read_to_string(copy.join("generated/src/models/accounts.rs")).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        models.contains("pub timezone_offset: ::std::option::Option<i64>"),
        "regenerated code should have the new type"
    );

    let out = check("after `cargo xtask codegen`");
    assert!(
        out.status.success(),
        "--check should pass after regenerating\n{}",
        text(&out)
    );
    let out = drift_test("after `cargo xtask codegen`");
    assert!(
        out.status.success(),
        "the drift test should pass after regenerating\n{}",
        text(&out)
    );
}
