//! `cargo xtask bench`: every performance figure the project reports, measured in one run on
//! one machine, each as a median of several runs and set against its baseline from the same run:
//!
//! 1. generating the whole spec, by stage (criterion, release build), and as a whole process
//!    next to `cargo progenitor` on the same spec;
//! 2. `cargo check` and `cargo build` of the `dwolla-client` crate alone (dependencies already built,
//!    `cargo clean -p dwolla-client` before each run), next to the crate cargo-progenitor generates;
//! 3. the same for a crate that depends on `dwolla` with only the `exchange-sessions` feature;
//! 4. per-call overhead against a hand-written `reqwest` + `serde_json` call, and typed decoding
//!    of a 1,000-item transfers list against `serde_json::Value` (criterion).
//!
//! `BENCH_RUNS` sets the number of runs of the timed builds (5 by default). The report goes to
//! standard output and to `target/bench/report.md`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const PROGENITOR: &str = "0.15.1";

fn main() {
    // `bench progenitor-input <path>` writes only the peer's input, to try cargo-progenitor by hand.
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.as_slice() {
        [cmd, path] if cmd == "progenitor-input" => progenitor_input(&root(), Path::new(path)),
        _ => run(),
    };
    if let Err(e) = result {
        eprintln!("bench: {e}");
        std::process::exit(1);
    }
}

type Result<T> = std::result::Result<T, String>;

fn root() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    here.parent().unwrap_or(here).to_path_buf()
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

/// Runs a command to completion, failing with its output when it fails.
fn run_cmd(cmd: &mut Command) -> Result<Duration> {
    let started = Instant::now();
    let out = cmd.output().map_err(|e| format!("{cmd:?}: {e}"))?;
    let took = started.elapsed();
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
    Ok(took)
}

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs.get(xs.len() / 2).copied().unwrap_or_default()
}

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

fn ms(ns: f64) -> String {
    if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else {
        format!("{:.1} µs", ns / 1e3)
    }
}

/// Median of `runs` timed runs of `cargo <mode>` in `dir`, cleaning `package` before each.
fn timed_builds(dir: &Path, target: &Path, package: &str, mode: &str, extra: &[&str], runs: usize) -> Result<Duration> {
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

/// The median estimates criterion recorded, by "group/function".
fn criterion_estimates(root: &Path) -> Result<Vec<(String, f64)>> {
    let mut out = Vec::new();
    let mut stack = vec![root.join("target/criterion")];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.ends_with("new/benchmark.json") {
                let read = |path: &Path| -> Option<serde_json::Value> {
                    serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()
                };
                let (Some(meta), Some(est)) = (read(&p), p.parent().and_then(|d| read(&d.join("estimates.json"))))
                else {
                    continue;
                };
                let name = format!(
                    "{}/{}",
                    meta["group_id"].as_str().unwrap_or_default(),
                    meta["function_id"].as_str().unwrap_or_default()
                );
                if let Some(ns) = est["median"]["point_estimate"].as_f64() {
                    out.push((name, ns));
                }
            }
        }
    }
    Ok(out)
}

fn estimate(all: &[(String, f64)], name: &str) -> Result<f64> {
    all.iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| *v)
        .ok_or_else(|| format!("no criterion estimate for `{name}`"))
}

fn write(path: &Path, text: &str) -> Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// The spec reduced to what cargo-progenitor 0.15.1 can generate, as the baseline did
/// ("with typed success responses"): overlaid and normalized to 3.0; Dwolla's HAL media type
/// spelled `application/json` so that progenitor types the responses; `multipart/form-data`
/// uploads as raw `application/octet-stream` bytes (progenitor rejects multipart); only the
/// first `2xx` response of each operation and no error bodies (progenitor asserts that an
/// operation's responses of each kind share one type, which Dwolla's spec does not satisfy).
/// It also renames a component whose name typify would give to an inline property type as well
/// (`Transfer.amount` is inline and `TransferAmount` is a component: typify emits both as
/// `TransferAmount` and the crate does not compile). Our crate generates all of what is removed here.
fn progenitor_input(root: &Path, out: &Path) -> Result<()> {
    let read = |rel: &str| std::fs::read_to_string(root.join(rel)).map_err(|e| format!("{rel}: {e}"));
    let spec = read(generator::SPEC_PATH)?;
    let overlay = read(generator::OVERLAY_PATH)?;
    let doc =
        generator::spec::normalized_document(&spec, generator::SPEC_PATH, Some((&overlay, generator::OVERLAY_PATH)))
            .map_err(|e| e.to_string())?;
    let text = serde_json::to_string(&doc)
        .map_err(|e| e.to_string())?
        .replace("application/vnd.dwolla.v1.hal+json", "application/json")
        .replace("\"application/vnd.dwolla.v1.hal\"", "\"application/json\"");
    let mut doc: serde_json::Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    if let Some(paths) = doc.get_mut("paths").and_then(|p| p.as_object_mut()) {
        for item in paths.values_mut().filter_map(|i| i.as_object_mut()) {
            for op in item.values_mut().filter_map(|o| o.as_object_mut()) {
                if let Some(content) = op
                    .get_mut("requestBody")
                    .and_then(|b| b.get_mut("content"))
                    .and_then(|c| c.as_object_mut())
                    && content.contains_key("multipart/form-data")
                {
                    content.clear();
                    content.insert(
                        "application/octet-stream".into(),
                        serde_json::json!({"schema": {"type": "string", "format": "binary"}}),
                    );
                }
                if let Some(responses) = op.get_mut("responses").and_then(|r| r.as_object_mut()) {
                    let mut successes: Vec<String> = responses.keys().filter(|s| s.starts_with('2')).cloned().collect();
                    successes.sort();
                    for extra in successes.iter().skip(1) {
                        responses.remove(extra);
                    }
                    for (status, response) in responses.iter_mut() {
                        if !status.starts_with('2')
                            && let Some(r) = response.as_object_mut()
                        {
                            r.remove("content");
                        }
                    }
                }
            }
        }
    }
    let doc = rename_typify_collisions(doc)?;
    write(out, &serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())?)
}

/// Renames each component `ParentProp` that collides with the name typify derives for the inline
/// object property `prop` of component `Parent`, and rewrites the `$ref`s to it.
fn rename_typify_collisions(doc: serde_json::Value) -> Result<serde_json::Value> {
    use heck::ToUpperCamelCase;
    let Some(schemas) = doc.pointer("/components/schemas").and_then(|s| s.as_object()) else {
        return Ok(doc);
    };
    let mut derived = std::collections::BTreeSet::new();
    for (parent, schema) in schemas {
        for (prop, p) in schema.get("properties").and_then(|p| p.as_object()).into_iter().flatten() {
            if p.get("$ref").is_none() && p.get("properties").is_some() {
                derived.insert(format!("{}{}", parent.to_upper_camel_case(), prop.to_upper_camel_case()));
            }
        }
    }
    let mut text = serde_json::to_string(&doc).map_err(|e| e.to_string())?;
    for name in schemas.keys().filter(|n| derived.contains(n.as_str())) {
        let new = format!("{name}Component");
        text = text
            .replace(&format!("\"#/components/schemas/{name}\""), &format!("\"#/components/schemas/{new}\""))
            .replace(&format!("\"{name}\":{{"), &format!("\"{new}\":{{"));
    }
    serde_json::from_str(&text).map_err(|e| e.to_string())
}

fn run() -> Result<()> {
    let root = root();
    let runs: usize = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5)
        .max(1);
    let work = root.join("target/bench");
    let compile_target = work.join("compile-target");
    let mut report = String::new();
    let machine = machine();
    report.push_str(&format!(
        "Measured on {machine}; builds are medians of {runs} runs.\n\n"
    ));

    // 1. Generation, in-process by stage (criterion, release).
    eprintln!("bench: generation (criterion)");
    run_cmd(
        Command::new(cargo())
            .args(["bench", "-p", "generator", "--bench", "generate", "--", "--noplot"])
            .current_dir(&root),
    )?;
    // 4. Client: per-call overhead and decoding (criterion, release).
    eprintln!("bench: client calls and decoding (criterion)");
    run_cmd(
        Command::new(cargo())
            .args(["bench", "-p", "bench", "--bench", "client", "--", "--noplot"])
            .current_dir(&root),
    )?;
    let est = criterion_estimates(&root)?;

    // Generation as a whole process, ours and progenitor's.
    eprintln!("bench: generation as a process");
    run_cmd(
        Command::new(cargo())
            .args(["build", "--release", "-p", "xtask"])
            .current_dir(&root),
    )?;
    let xtask = root.join("target/release/xtask");
    let ours_process = median(
        (0..runs)
            .map(|_| run_cmd(Command::new(&xtask).args(["codegen", "--check"]).current_dir(&root)))
            .collect::<Result<Vec<_>>>()?,
    );
    let tools = work.join("tools");
    let progenitor_bin = tools.join("bin/cargo-progenitor");
    if !progenitor_bin.exists() {
        eprintln!("bench: installing cargo-progenitor {PROGENITOR} (once)");
        run_cmd(
            Command::new(cargo())
                .args(["install", "--locked", "--root"])
                .arg(&tools)
                .arg(format!("cargo-progenitor@{PROGENITOR}")),
        )?;
    }
    let input = work.join("progenitor/dwolla.json");
    progenitor_input(&root, &input)?;
    let peer = work.join("progenitor/progenitor-dwolla");
    let mut peer_gen = Vec::new();
    for _ in 0..runs {
        let _ = std::fs::remove_dir_all(&peer);
        peer_gen.push(run_cmd(
            Command::new(&progenitor_bin)
                .args(["progenitor", "-i"])
                .arg(&input)
                .arg("-o")
                .arg(&peer)
                .args(["-n", "progenitor-dwolla", "-v", "0.1.0"]),
        )?);
    }
    let peer_gen = median(peer_gen);
    // Its own workspace, sharing our compile target so common dependencies are built once.
    let manifest = peer.join("Cargo.toml");
    let mut m = std::fs::read_to_string(&manifest).map_err(|e| format!("{}: {e}", manifest.display()))?;
    if !m.contains("[workspace]") {
        m.push_str("\n[workspace]\n");
        write(&manifest, &m)?;
    }

    // 2. Compile time of the crate alone, and of progenitor's, dependencies built first.
    eprintln!("bench: compile times");
    run_cmd(
        Command::new(cargo())
            .args(["build", "-p", "dwolla-client"])
            .arg("--target-dir")
            .arg(&compile_target)
            .current_dir(&root),
    )?;
    run_cmd(
        Command::new(cargo())
            .args(["check", "-p", "dwolla-client"])
            .arg("--target-dir")
            .arg(&compile_target)
            .current_dir(&root),
    )?;
    let ours_check = timed_builds(&root, &compile_target, "dwolla-client", "check", &["-p", "dwolla-client"], runs)?;
    let ours_build = timed_builds(&root, &compile_target, "dwolla-client", "build", &["-p", "dwolla-client"], runs)?;
    run_cmd(
        Command::new(cargo())
            .arg("build")
            .arg("--target-dir")
            .arg(&compile_target)
            .current_dir(&peer),
    )?;
    run_cmd(
        Command::new(cargo())
            .arg("check")
            .arg("--target-dir")
            .arg(&compile_target)
            .current_dir(&peer),
    )?;
    let peer_check = timed_builds(&peer, &compile_target, "progenitor-dwolla", "check", &[], runs)?;
    let peer_build = timed_builds(&peer, &compile_target, "progenitor-dwolla", "build", &[], runs)?;

    // 3. A crate that uses only exchange sessions.
    let es = work.join("exchange-sessions-only");
    write(
        &es.join("Cargo.toml"),
        &format!(
            "[package]\nname = \"exchange-sessions-only\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\ndwolla = {{ package = \"dwolla-client\", path = {:?}, default-features = false, features = [\"exchange-sessions\", \"rustls-aws-lc-rs\"] }}\n\n[workspace]\n",
            root.join("generated").display().to_string()
        ),
    )?;
    write(
        &es.join("src/lib.rs"),
        "//! Uses only exchange sessions.\npub async fn session(client: &dwolla::Client, id: &str) -> Result<dwolla::models::ExchangeSession, dwolla::Error> {\n    Ok(client.exchange_sessions().get(id).await?.into_inner())\n}\n",
    )?;
    std::fs::copy(root.join("Cargo.lock"), es.join("Cargo.lock")).map_err(|e| e.to_string())?;
    run_cmd(
        Command::new(cargo())
            .args(["build", "--offline"])
            .arg("--target-dir")
            .arg(&compile_target)
            .current_dir(&es),
    )?;
    run_cmd(
        Command::new(cargo())
            .args(["check", "--offline"])
            .arg("--target-dir")
            .arg(&compile_target)
            .current_dir(&es),
    )?;
    let es_check = timed_builds(&es, &compile_target, "dwolla-client", "check", &["--offline"], runs)?;
    let es_build = timed_builds(&es, &compile_target, "dwolla-client", "build", &["--offline"], runs)?;

    let whole = estimate(&est, "generate/whole spec (all stages but writing)")?;
    let stage = |s: &str| estimate(&est, &format!("generate/stage: {s}"));
    let call_ours = estimate(&est, "call/dwolla: exchange_sessions().get(id)")?;
    let call_peer = estimate(&est, "call/hand-written reqwest GET + serde_json::from_slice, same timeout")?;
    let call_ours_untimed = estimate(&est, "call/dwolla: exchange_sessions().get(id), no_timeout()")?;
    let call_peer_untimed = estimate(&est, "call/hand-written reqwest GET + serde_json::from_slice")?;
    let typed = estimate(&est, "decode/1,000 transfers into dwolla::models::Transfers")?;
    let value = estimate(&est, "decode/1,000 transfers into serde_json::Value")?;
    let linear_1k = estimate(&est, "generate/1,000 synthetic schemas").ok();
    let linear_10k = estimate(&est, "generate/10,000 synthetic schemas").ok();

    report.push_str("| what | ours | baseline | ratio |\n|---|---|---|---|\n");
    let row = |r: &mut String, what: &str, ours: String, base: String, ratio: f64| {
        r.push_str(&format!("| {what} | {ours} | {base} | {ratio:.2} |\n"));
    };
    row(
        &mut report,
        "generate the whole spec, in-process (release)",
        ms(whole),
        "—".into(),
        1.0,
    );
    for s in [
        "parse YAML",
        "overlay + normalize + openapiv3",
        "IR",
        "tokens (one thread)",
        "format (syn + prettyplease, one thread)",
        "tokens + format, file by file on every core",
    ] {
        row(
            &mut report,
            &format!("&nbsp;&nbsp;stage: {s}"),
            ms(stage(s)?),
            ms(whole),
            stage(s)? / whole,
        );
    }
    if let (Some(a), Some(b)) = (linear_1k, linear_10k) {
        row(
            &mut report,
            "10,000 vs 1,000 synthetic schemas (10× the input)",
            ms(b),
            ms(a),
            b / a,
        );
    }
    row(
        &mut report,
        "generate as a process: `xtask codegen --check` vs `cargo progenitor`",
        secs(ours_process),
        secs(peer_gen),
        ours_process.as_secs_f64() / peer_gen.as_secs_f64(),
    );
    row(
        &mut report,
        "`cargo check` of the crate alone vs progenitor's crate",
        secs(ours_check),
        secs(peer_check),
        ours_check.as_secs_f64() / peer_check.as_secs_f64(),
    );
    row(
        &mut report,
        "`cargo build` (debug) of the crate alone vs progenitor's crate",
        secs(ours_build),
        secs(peer_build),
        ours_build.as_secs_f64() / peer_build.as_secs_f64(),
    );
    row(
        &mut report,
        "`cargo check`, exchange-sessions feature only vs all features",
        secs(es_check),
        secs(ours_check),
        es_check.as_secs_f64() / ours_check.as_secs_f64(),
    );
    row(
        &mut report,
        "`cargo build`, exchange-sessions feature only vs all features",
        secs(es_build),
        secs(ours_build),
        es_build.as_secs_f64() / ours_build.as_secs_f64(),
    );
    row(
        &mut report,
        "one call, `client.exchange_sessions().get(id)` vs hand-written reqwest + serde, both with the client's default 60 s timeout",
        ms(call_ours),
        ms(call_peer),
        call_ours / call_peer,
    );
    row(
        &mut report,
        "the same call, both without a timeout",
        ms(call_ours_untimed),
        ms(call_peer_untimed),
        call_ours_untimed / call_peer_untimed,
    );
    row(
        &mut report,
        "decode 1,000 transfers: typed vs `serde_json::Value`",
        ms(typed),
        ms(value),
        typed / value,
    );

    println!("{report}");
    write(&work.join("report.md"), &report)?;
    Ok(())
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
