//! `cargo xtask bench`: every performance figure the project reports, measured in one run on
//! one machine, each as a median of several runs and set against its baseline from the same run:
//!
//! 1. generating the whole spec, by stage (criterion, release build), and as a whole process
//!    next to `cargo progenitor` on the same spec (`headline`, `progenitor`);
//! 2. `cargo check` and `cargo build` of the `dwolla-client` crate alone (dependencies already built,
//!    `cargo clean -p dwolla-client` before each run), next to the crate cargo-progenitor generates;
//! 3. the same for a crate that depends on `dwolla` with only the `exchange-sessions` feature;
//! 4. per-call overhead against a hand-written `reqwest` + `serde_json` call, and typed decoding
//!    of a 1,000-item transfers list against `serde_json::Value` (criterion);
//! 5. cold builds of a minimal downstream binary that calls one operation, from nothing, with
//!    each way of depending on the client, next to the same binary over progenitor's crate (`cold`);
//! 6. what each dependency costs in the default cold build, from cargo's `--timings` (`timings`);
//! 7. what the optional features `test-util` and `decimal` cost a cold build, and that
//!    `test-util` off costs a default build nothing (`features`).
//!
//! The report goes to standard output and to `target/bench/report.md`.

mod cold;
mod features;
mod headline;
mod progenitor;
mod report;
mod timings;
mod util;

use std::path::Path;
use std::process::Command;

use util::{Result, root, write};

const USAGE: &str = "usage: bench [--runs N] [--cold-runs N] [--only PART[,PART...]]
       bench progenitor-input <path>

  --runs N        runs of each warm build and of generation as a process (default 5, or BENCH_RUNS)
  --cold-runs N   runs of each cold downstream build (default 2: each takes minutes)
  --only PARTS    measure only these parts; a part is a name below or a prefix of names before a
                  `-` (`cold` is every cold-* part). Without it, every part.
  progenitor-input <path>   write only the peer's input, to try cargo-progenitor by hand

parts: ";

/// What `--only` can name, in the report's order.
pub const PARTS: &[&str] = &[
    "generate",
    "compile",
    "calls",
    "cold-default",
    "cold-exchange-sessions",
    "cold-rustls-aws-lc-rs",
    "cold-rustls-ring",
    "cold-native-tls",
    "cold-progenitor",
    "cold-deps",
    "features-test-util",
    "features-decimal",
    "features-tree",
];

/// The command line.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    pub runs: usize,
    pub cold_runs: usize,
    /// Names or prefixes of `PARTS`; empty for all.
    pub only: Vec<String>,
}

impl Options {
    fn parse(args: &[String]) -> Result<Options> {
        let mut o = Options {
            runs: std::env::var("BENCH_RUNS")
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(5),
            cold_runs: 2,
            only: Vec::new(),
        };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let mut value = || args.next().ok_or_else(|| format!("{arg} needs a value\n{}", usage()));
            match arg.as_str() {
                "--runs" => o.runs = value()?.parse().map_err(|e| format!("--runs: {e}"))?,
                "--cold-runs" => o.cold_runs = value()?.parse().map_err(|e| format!("--cold-runs: {e}"))?,
                "--only" => o
                    .only
                    .extend(value()?.split(',').filter(|s| !s.is_empty()).map(str::to_owned)),
                _ => return Err(format!("unknown argument `{arg}`\n{}", usage())),
            }
        }
        o.runs = o.runs.max(1);
        o.cold_runs = o.cold_runs.max(1);
        if let Some(unknown) = o.only.iter().find(|n| !PARTS.iter().any(|p| selects(n, p))) {
            return Err(format!("--only: no part is called `{unknown}`\n{}", usage()));
        }
        Ok(o)
    }

    /// Whether the run measures `part`.
    pub fn wants(&self, part: &str) -> bool {
        self.only.is_empty() || self.only.iter().any(|n| selects(n, part))
    }
}

/// What the command line takes, and the parts `--only` can name.
fn usage() -> String {
    format!("{USAGE}{}", PARTS.join(", "))
}

/// Whether the name given to `--only` selects `part`: the part itself, or a prefix before a `-`.
fn selects(name: &str, part: &str) -> bool {
    part == name || part.strip_prefix(name).is_some_and(|rest| rest.starts_with('-'))
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "-h" || a == "--help") {
        println!("{}", usage());
        return;
    }
    let result = match args.as_slice() {
        [cmd, path] if cmd == "progenitor-input" => progenitor::progenitor_input(&root(), Path::new(path)),
        _ => Options::parse(&args).and_then(|o| run(&o)),
    };
    if let Err(e) = result {
        eprintln!("bench: {e}");
        std::process::exit(1);
    }
}

fn run(o: &Options) -> Result<()> {
    let root = root();
    let work = root.join("target/bench");
    let mut out = format!(
        "Measured on {}; warm builds are medians of {} runs, cold builds of {}.\n\n",
        machine(),
        o.runs,
        o.cold_runs
    );
    if !o.only.is_empty() {
        out.push_str(&format!(
            "Only part of the bench ran: `--only {}`.\n\n",
            o.only.join(",")
        ));
    }
    let headline = headline::measure(&root, &work, o)?;
    if !headline.is_empty() {
        out.push_str(&headline.markdown());
    }
    out.push_str(&cold_sections(&root, &work, o)?);
    println!("{out}");
    write(&work.join("report.md"), &out)
}

/// Runs the cold builds `o` asks for, and what goes with them, and writes their sections.
fn cold_sections(root: &Path, work: &Path, o: &Options) -> Result<String> {
    let all = cold::variants(&cold::features(root)?);
    let rows: Vec<cold::Variant> = all.iter().filter(|v| o.wants(v.key)).cloned().collect();
    let deps = o.wants("cold-deps");
    let tree = o.wants("features-tree");
    if rows.is_empty() && !deps && !tree {
        return Ok(String::new());
    }
    let measured = cold::measure(root, work, &rows, o.cold_runs, deps)?;
    let mut out = String::new();
    let cold = report::cold_table(&rows, &measured);
    if !cold.is_empty() {
        out.push_str("\n### Cold build of a downstream binary\n\n");
        out.push_str(
            "A binary crate that builds a client from credentials and gets one exchange session, with \
             `tokio` (`macros`, `rt-multi-thread`), built from nothing: its own fresh target directory \
             each run, `cargo fetch` beforehand, `cargo build --offline` (debug). Ratios are against the \
             same binary over cargo-progenitor's crate and `reqwest` with rustls, built in the same rounds.\n\n",
        );
        out.push_str(&cold.markdown());
    }
    if let Some(units) = &measured.default_units {
        out.push_str("\n### What each dependency costs in the cold build\n\n");
        out.push_str(
            "The default-features cold build, one run with `cargo build --timings`: each crate's units \
             (library, build script and its run), from start to end; they overlap on the cores, so \
             their sum is more than the build's wall time.\n\n",
        );
        out.push_str(&report::dependency_table(units, &cold::direct_dependencies(root)?));
    }
    let (trees, crate_only) = if tree {
        test_util_off(root, work, &all, o.runs)?
    } else {
        (None, None)
    };
    let features = report::feature_table(&rows, &measured, trees.as_ref(), crate_only);
    if !features.is_empty() {
        out.push_str("\n### What each optional feature costs\n\n");
        out.push_str(
            "Cold builds of the same downstream binary with default features and one optional \
             feature more, against the default-features cold build of the same run; then what \
             `test-util` costs when it is off.\n\n",
        );
        out.push_str(&features.markdown());
        if let Some(t) = &trees {
            out.push('\n');
            out.push_str(&report::test_util_off(t));
        }
    }
    Ok(out)
}

/// The crate's own `cargo build` with `test-util` and without.
type CrateOnly = (std::time::Duration, std::time::Duration);

/// The dependency trees of a default build and one with `test-util`, and the crate's own build
/// with and without it (warm, in a target directory of their own).
fn test_util_off(
    root: &Path,
    work: &Path,
    all: &[cold::Variant],
    runs: usize,
) -> Result<(Option<features::Trees>, Option<CrateOnly>)> {
    let prepared = |key: &str| -> Result<std::path::PathBuf> {
        let v = all
            .iter()
            .find(|v| v.key == key)
            .ok_or_else(|| format!("no row {key}"))?;
        cold::prepare(root, work, &progenitor::crate_dir(work), v)
    };
    let (default, test_util) = (prepared("cold-default")?, prepared("features-test-util")?);
    let trees = features::trees(&default, &test_util)?;
    eprintln!("bench: the crate alone, with and without test-util");
    let target = work.join("features-target");
    let without = features::crate_only_build(&default, &target, runs)?;
    let with = features::crate_only_build(&test_util, &target, runs)?;
    Ok((Some(trees), Some((with, without))))
}

fn machine() -> String {
    let cpus = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0);
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|s| s.trim().to_owned())
        })
        .unwrap_or_else(|| "an unknown CPU".into());
    let rustc = Command::new("rustc")
        .arg("--version")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    format!("{cpus} cores ({model}), {rustc}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Options> {
        Options::parse(&args.iter().map(|a| (*a).to_owned()).collect::<Vec<_>>())
    }

    #[test]
    fn only_selects_parts_by_name_or_prefix() {
        let o = parse(&["--only", "cold,features-decimal", "--runs", "1", "--cold-runs", "3"]).unwrap();
        assert_eq!((o.runs, o.cold_runs), (1, 3));
        assert!(o.wants("cold-default") && o.wants("cold-progenitor") && o.wants("features-decimal"));
        assert!(!o.wants("generate") && !o.wants("features-test-util"));
        assert!(parse(&[]).unwrap().wants("calls"));
        assert!(!parse(&["--only", "cold-default"]).unwrap().wants("cold-deps"));
        assert!(parse(&["--only", "col"]).is_err());
        assert!(parse(&["--only"]).is_err());
        assert!(parse(&["--bogus"]).is_err());
    }
}
