//! The headline table: generation by stage and as a process, the crate's own compile time next
//! to progenitor's and with one feature, and per-call overhead and decoding.

use std::path::Path;
use std::process::Command;

use crate::Options;
use crate::report::{Table, ratio};
use crate::util::{Result, cargo, median, ms, run_cmd, secs, timed_builds, warm_up, workspace_target, write};

/// Runs the groups of the headline table `o` asks for and returns the table.
pub fn measure(root: &Path, work: &Path, o: &Options) -> Result<Table> {
    let mut table = Table::new(&["what", "ours", "baseline", "ratio"]);
    if o.wants("generate") {
        eprintln!("bench: generation (criterion)");
        criterion(root, &["-p", "generator", "--bench", "generate"])?;
    }
    if o.wants("calls") {
        eprintln!("bench: client calls and decoding (criterion)");
        criterion(root, &["-p", "bench", "--bench", "client"])?;
    }
    let est = criterion_estimates(root);
    if o.wants("generate") {
        generation(root, work, o.runs, &est, &mut table)?;
    }
    if o.wants("compile") {
        compile(root, work, o.runs, &mut table)?;
    }
    if o.wants("calls") {
        calls(&est, &mut table)?;
    }
    Ok(table)
}

/// `cargo bench` of one criterion bench, in a release build.
fn criterion(root: &Path, which: &[&str]) -> Result<()> {
    run_cmd(
        Command::new(cargo())
            .arg("bench")
            .args(which)
            .args(["--", "--noplot"])
            .current_dir(root),
    )
    .map(drop)
}

/// In-process by stage (criterion), then as a whole process, ours and progenitor's.
fn generation(root: &Path, work: &Path, runs: usize, est: &[(String, f64)], table: &mut Table) -> Result<()> {
    eprintln!("bench: generation as a process");
    run_cmd(
        Command::new(cargo())
            .args(["build", "--release", "-p", "xtask"])
            .current_dir(root),
    )?;
    let xtask = workspace_target(root).join("release/xtask");
    let progenitor = crate::progenitor::Generator::new(root, work)?;
    // Alternating, so that whatever else the machine does falls on both sides alike.
    let (mut ours, mut peer) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        ours.push(run_cmd(Command::new(&xtask).args(["codegen", "--check"]).current_dir(root))?);
        peer.push(progenitor.run()?);
    }
    let (ours, peer) = (median(ours), median(peer));

    let whole = estimate(est, "generate/whole spec (all stages but writing)")?;
    table.row([
        "generate the whole spec, in-process (release)".into(),
        ms(whole),
        "—".into(),
        "1.00".into(),
    ]);
    for s in [
        "parse YAML",
        "overlay + normalize + openapiv3",
        "IR",
        "tokens (one thread)",
        "format (syn + prettyplease, one thread)",
        "tokens + format, file by file on every core",
    ] {
        let stage = estimate(est, &format!("generate/stage: {s}"))?;
        table.row([
            format!("&nbsp;&nbsp;stage: {s}"),
            ms(stage),
            ms(whole),
            format!("{:.2}", stage / whole),
        ]);
    }
    if let (Ok(a), Ok(b)) = (
        estimate(est, "generate/1,000 synthetic schemas"),
        estimate(est, "generate/10,000 synthetic schemas"),
    ) {
        table.row([
            "10,000 vs 1,000 synthetic schemas (10× the input)".into(),
            ms(b),
            ms(a),
            format!("{:.2}", b / a),
        ]);
    }
    table.row([
        "generate as a process: `xtask codegen --check` vs `cargo progenitor`".into(),
        secs(ours),
        secs(peer),
        ratio(ours, peer),
    ]);
    Ok(())
}

/// `cargo check` and `cargo build` of the crate alone and of progenitor's (dependencies built,
/// `cargo clean -p` before each run), and of a crate using only exchange sessions.
fn compile(root: &Path, work: &Path, runs: usize, table: &mut Table) -> Result<()> {
    eprintln!("bench: compile times");
    let target = work.join("compile-target");
    let crate_alone = ["-p", "dwolla-client"];
    warm_up(root, &target, "build", &crate_alone)?;
    warm_up(root, &target, "check", &crate_alone)?;
    let ours_check = timed_builds(root, &target, "dwolla-client", "check", &crate_alone, runs)?;
    let ours_build = timed_builds(root, &target, "dwolla-client", "build", &crate_alone, runs)?;

    let peer = crate::progenitor::ensure_crate(root, work)?;
    warm_up(&peer, &target, "build", &[])?;
    warm_up(&peer, &target, "check", &[])?;
    let peer_check = timed_builds(&peer, &target, "progenitor-dwolla", "check", &[], runs)?;
    let peer_build = timed_builds(&peer, &target, "progenitor-dwolla", "build", &[], runs)?;

    let es = exchange_sessions_only(root, work)?;
    warm_up(&es, &target, "build", &["--offline"])?;
    warm_up(&es, &target, "check", &["--offline"])?;
    let es_check = timed_builds(&es, &target, "dwolla-client", "check", &["--offline"], runs)?;
    let es_build = timed_builds(&es, &target, "dwolla-client", "build", &["--offline"], runs)?;

    for (what, ours, base) in [
        (
            "`cargo check` of the crate alone vs progenitor's crate",
            ours_check,
            peer_check,
        ),
        (
            "`cargo build` (debug) of the crate alone vs progenitor's crate",
            ours_build,
            peer_build,
        ),
        (
            "`cargo check`, exchange-sessions feature only vs all features",
            es_check,
            ours_check,
        ),
        (
            "`cargo build`, exchange-sessions feature only vs all features",
            es_build,
            ours_build,
        ),
    ] {
        table.row([what.into(), secs(ours), secs(base), ratio(ours, base)]);
    }
    Ok(())
}

/// A library crate that depends on `dwolla` with only the `exchange-sessions` feature and the
/// default TLS feature.
fn exchange_sessions_only(root: &Path, work: &Path) -> Result<std::path::PathBuf> {
    let tls = crate::cold::features(root)?.default_tls;
    let es = work.join("exchange-sessions-only");
    write(
        &es.join("Cargo.toml"),
        &format!(
            "[package]\nname = \"exchange-sessions-only\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\ndwolla = {{ package = \"dwolla-client\", path = {:?}, default-features = false, features = [\"exchange-sessions\", {:?}] }}\n\n[workspace]\n",
            root.join("generated").display().to_string(),
            tls
        ),
    )?;
    write(
        &es.join("src/lib.rs"),
        "//! Uses only exchange sessions.\npub async fn session(client: &dwolla::Client, id: &str) -> Result<dwolla::models::ExchangeSession, dwolla::Error> {\n    Ok(client.exchange_sessions().get(id).await?.into_inner())\n}\n",
    )?;
    std::fs::copy(root.join("Cargo.lock"), es.join("Cargo.lock")).map_err(|e| e.to_string())?;
    Ok(es)
}

/// One call against hand-written reqwest + serde, and typed decoding against `serde_json::Value`.
fn calls(est: &[(String, f64)], table: &mut Table) -> Result<()> {
    for (what, ours, base) in [
        (
            "one call, `client.exchange_sessions().get(id)` vs hand-written reqwest + serde, both with the client's default 60 s timeout",
            "call/dwolla: exchange_sessions().get(id)",
            "call/hand-written reqwest GET + serde_json::from_slice, same timeout",
        ),
        (
            "the same call, both without a timeout",
            "call/dwolla: exchange_sessions().get(id), no_timeout()",
            "call/hand-written reqwest GET + serde_json::from_slice",
        ),
        (
            "decode 1,000 transfers: typed vs `serde_json::Value`",
            "decode/1,000 transfers into dwolla::models::Transfers",
            "decode/1,000 transfers into serde_json::Value",
        ),
    ] {
        let (ours, base) = (estimate(est, ours)?, estimate(est, base)?);
        table.row([what.into(), ms(ours), ms(base), format!("{:.2}", ours / base)]);
    }
    Ok(())
}

/// The median estimates criterion recorded, by "group/function".
fn criterion_estimates(root: &Path) -> Vec<(String, f64)> {
    let mut out = Vec::new();
    let mut stack = vec![workspace_target(root).join("criterion")];
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
    out
}

fn estimate(all: &[(String, f64)], name: &str) -> Result<f64> {
    all.iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| *v)
        .ok_or_else(|| format!("no criterion estimate for `{name}`"))
}
