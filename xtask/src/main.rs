//! `cargo xtask`: the project's maintenance commands. Argument parsing only; the work is done
//! by the `generator` library.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The generator's allocation pattern (many small, short-lived nodes) runs faster on mimalloc.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str = "usage: cargo xtask codegen [--check] [--since <spec.yaml>]
       cargo xtask semver [--check] [--published-from <git revision>]
       cargo xtask release
       cargo xtask bench [--runs N] [--cold-runs N] [--only PART[,PART...]]

  --check               compare generated/ with what the spec produces; write nothing
  --since <spec.yaml>   report the API changes since that spec (with today's overlay) instead of
                        since the checked-in generation
  semver                compare the crate's Rust API, as rustdoc sees it, with the last published
                        release's and record the changes in generated/rust-api.json, which
                        codegen reads for the version; --check fails when the record is out of
                        date or the version is below what it calls for; --published-from makes
                        the published release's view from that git revision (its commit)
  release               mark the pending release (its version and CHANGELOG.md entry) published:
                        the next API change starts a new one
  bench                 measure generation, compile times (the crate's, and cold builds of a
                        downstream binary) and per-call overhead (release); its options go to
                        the bench package: `cargo xtask bench --help` lists them";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut args = args.iter().map(String::as_str);
    match args.next() {
        Some("codegen") => {}
        Some("bench") => return bench(args.map(str::to_owned).collect()),
        Some("release") if args.clone().next().is_none() => return release(),
        Some("semver") => return semver(args.collect()),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    }
    let mut options = generator::Options::default();
    while let Some(arg) = args.next() {
        match (arg, args.clone().next()) {
            ("--check", _) => options.check = true,
            ("--since", Some(path)) => {
                args.next();
                // Relative to where the command was run, like any path argument.
                options.since = Some(PathBuf::from(path));
            }
            _ => {
                eprintln!("{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    codegen(&options)
}

/// The workspace root: the parent of this crate's directory, or the checkout named by
/// `DWOLLA_WORKSPACE_ROOT` (the drift test points an already built xtask at a copy that way).
fn root() -> PathBuf {
    if let Some(root) = std::env::var_os("DWOLLA_WORKSPACE_ROOT") {
        return PathBuf::from(root);
    }
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

fn codegen(options: &generator::Options) -> ExitCode {
    let root = root();
    let generated = match generator::render_workspace_with(&root, options.since.as_deref()) {
        Ok(g) => g,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    for w in &generated.warnings {
        eprintln!("warning: {w}");
    }
    if let Some(overlay) = &generated.overlay {
        println!("{}", overlay.summary());
    }
    print_changes(&generated, options.check, options.since.is_some());
    match generator::output::sync(&root.join(generator::OUTPUT_DIR), &generated.files, options.check) {
        Ok(report) if options.check => {
            println!(
                "generated/ is up to date with spec/dwolla.yaml ({} files)",
                report.unchanged
            );
            ExitCode::SUCCESS
        }
        Ok(report) => {
            println!(
                "generated/: {} written, {} added, {} removed, {} unchanged",
                report.changed.len(),
                report.added.len(),
                report.removed.len(),
                report.unchanged
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The change report, when this run makes a new one or `--since` asked for it: a summary line,
/// then the list.
fn print_changes(generated: &generator::Generated, check: bool, asked: bool) {
    let Some(changes) = &generated.changes else { return };
    let file = format!("generated/{}", generator::report::CHANGES_FILE);
    if !changes.fresh && !asked {
        println!(
            "API unchanged since the checked-in generation (generated/{} kept)",
            generator::report::SNAPSHOT_FILE
        );
        return;
    }
    let verb = match (changes.fresh, check) {
        (false, _) => "already in",
        (true, true) => "would be written to",
        (true, false) => "written to",
    };
    match &changes.report() {
        None => println!("No earlier generation recorded: this one is the baseline of the next change report."),
        Some(report) => {
            println!("API changes since the previous generation ({verb} {file}):");
            print!("{}", report.summary());
            let list = report.list();
            if !list.is_empty() {
                println!();
                print!("{list}");
            }
        }
    }
    println!();
    let changelog = format!("generated/{}", generator::report::CHANGELOG_FILE);
    let published = changes.snapshot.published.version;
    match (&changes.release, &changes.snapshot.pending) {
        (Some(r), _) => println!(
            "Pending release {} (published: {published}; {:?}; its entry {} {changelog}): {}",
            r.version,
            r.bump,
            if check { "would be written to" } else { "written to" },
            r.bump.describe(published)
        ),
        (None, Some(p)) => println!("Pending release {} kept: its changes since {published} are the same.", p.version),
        (None, None) => println!("Version {published} kept: no change to the API since that release."),
    }
}

/// `cargo xtask semver [--check] [--published-from <rev>]`: the changes to the Rust API since
/// the published release, and whether the record and version follow them.
fn semver(args: Vec<&str>) -> ExitCode {
    let (check, published_from) = match args.as_slice() {
        [] => (false, None),
        ["--check"] => (true, None),
        ["--published-from", rev] => (false, Some(*rev)),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let outcome = match generator::semver::semver(&root(), check, published_from) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let file = format!("generated/{}", generator::report::rust_api::RUST_API_FILE);
    let report = generator::report::Report {
        changes: outcome.record.changes.clone(),
    };
    let published = outcome.record.published.version;
    println!("Rust API changes since {published} (rustdoc):");
    print!("{}", report.summary());
    let list = report.list();
    if !list.is_empty() {
        println!();
        print!("{list}");
    }
    println!();
    match (check, outcome.fresh) {
        (true, _) => println!("{file} is up to date; version {} (the Rust API calls for at least {})", outcome.version, outcome.required),
        (false, false) => println!("{file} kept: the same changes."),
        (false, true) if outcome.version < outcome.required => println!(
            "written to {file}; version {} is below the {} they call for: run `cargo xtask codegen` to number the pending release",
            outcome.version, outcome.required
        ),
        (false, true) => println!("written to {file}; run `cargo xtask codegen` to carry them into CHANGELOG.md"),
    }
    ExitCode::SUCCESS
}

/// `cargo xtask release`: the generator marks the pending release published.
fn release() -> ExitCode {
    match generator::release(&root()) {
        Ok(Some(version)) => {
            println!("Version {version} is published: the next change to the API starts a new release.");
            ExitCode::SUCCESS
        }
        Ok(None) => {
            println!("Nothing to publish: no change to the API since the last published release.");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The benchmarks live in the `bench` package; this runs its report in a release build, handing
/// it the arguments that follow `bench` (the bench parses them).
fn bench(args: Vec<String>) -> ExitCode {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    match std::process::Command::new(cargo)
        .args(["run", "--release", "-p", "bench", "--"])
        .args(args)
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
