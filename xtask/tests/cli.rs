//! The command line as a maintainer meets it: anything but a known command prints the usage and
//! exits 2, without touching the workspace. (The commands themselves are tested where their work
//! is done: the generator's tests, and `tests/drift_bites.rs`, which runs this binary.)

use std::process::Command;

fn xtask(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        // A checkout that does not exist: were anything read or written, it would fail loudly.
        .env("DWOLLA_WORKSPACE_ROOT", "/nonexistent/dwolla-workspace")
        .output()
        .unwrap_or_else(|e| panic!("cannot run xtask: {e}"))
}

#[test]
fn unknown_commands_and_options_print_the_usage_and_exit_2() {
    for args in [&[][..], &["generate"][..], &["codegen", "--chek"][..], &["codegen", "--since"][..], &["release", "--check"][..]] {
        let out = xtask(args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "xtask {args:?}: {stderr}");
        assert!(stderr.starts_with("usage: cargo xtask codegen"), "xtask {args:?}: {stderr}");
        assert!(out.stdout.is_empty(), "xtask {args:?} printed to stdout");
    }
}

#[test]
fn release_is_a_command_that_works_on_the_workspace() {
    // Known, so not the usage: it fails on reading the (nonexistent) workspace instead.
    let out = xtask(&["release"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.starts_with("error: ") && stderr.contains("/nonexistent/dwolla-workspace"), "{stderr}");
}
