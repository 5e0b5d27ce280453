//! `cargo xtask`: the project's maintenance commands. Argument parsing only; the work is done
//! by the `generator` library.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask codegen [--check] | cargo xtask bench | cargo xtask overlaid-spec";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["codegen"] => codegen(false),
        ["codegen", "--check"] => codegen(true),
        ["bench"] => bench(),
        ["overlaid-spec"] => overlaid_spec(),
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

/// The workspace root: the parent of this crate's directory.
fn root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

fn codegen(check: bool) -> ExitCode {
    match generator::generate(&root(), check) {
        Ok((generated, report)) => {
            for w in &generated.warnings {
                eprintln!("warning: {w}");
            }
            if check {
                println!(
                    "generated/ is up to date with spec/dwolla.yaml ({} files)",
                    report.unchanged
                );
            } else {
                println!(
                    "generated/: {} written, {} added, {} removed, {} unchanged",
                    report.changed.len(),
                    report.added.len(),
                    report.removed.len(),
                    report.unchanged
                );
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The benchmarks live in the `bench` package; this runs its report in a release build.
fn bench() -> ExitCode {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    match std::process::Command::new(cargo)
        .args(["run", "--release", "-p", "bench"])
        .current_dir(root())
        .status()
    {
        Ok(status) if status.success() => ExitCode::SUCCESS,
        Ok(_) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("error: cannot run cargo: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Writes the spec with our overlay applied to `target/contract/dwolla.overlaid.json`, the file
/// the contract test serves with Prism, for running Prism (or another OpenAPI tool) by hand.
fn overlaid_spec() -> ExitCode {
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root().join("target"), PathBuf::from);
    let dest = target.join("contract").join("dwolla.overlaid.json");
    match generator::write_overlaid_spec(&root(), &dest) {
        Ok(()) => {
            println!("{}", dest.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
