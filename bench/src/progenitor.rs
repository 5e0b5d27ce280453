//! The peer: the crate cargo-progenitor generates from the same spec, reduced to what it accepts.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::util::{Result, cargo, read, run_cmd, write};

pub const VERSION: &str = "0.15.1";

/// Where the peer's crate is generated, under the bench's work directory.
pub fn crate_dir(work: &Path) -> PathBuf {
    work.join("progenitor/progenitor-dwolla")
}

/// Installs cargo-progenitor under `target/bench/tools` (once) and returns its binary.
fn install(work: &Path) -> Result<PathBuf> {
    let tools = work.join("tools");
    let bin = tools.join("bin/cargo-progenitor");
    if !bin.exists() {
        eprintln!("bench: installing cargo-progenitor {VERSION} (once)");
        run_cmd(
            Command::new(cargo())
                .args(["install", "--locked", "--root"])
                .arg(&tools)
                .arg(format!("cargo-progenitor@{VERSION}")),
        )?;
    }
    Ok(bin)
}

/// The peer's generator, ready to run: cargo-progenitor installed and its input written.
pub struct Generator {
    bin: PathBuf,
    input: PathBuf,
    out: PathBuf,
}

impl Generator {
    pub fn new(root: &Path, work: &Path) -> Result<Generator> {
        let bin = install(work)?;
        let input = work.join("progenitor/dwolla.json");
        progenitor_input(root, &input)?;
        Ok(Generator { bin, input, out: crate_dir(work) })
    }

    /// Generates the peer's crate into a fresh directory and returns how long the process took.
    /// The crate is left in its own workspace, to build in place and as a path dependency alike.
    pub fn run(&self) -> Result<Duration> {
        let _ = std::fs::remove_dir_all(&self.out);
        let took = run_cmd(
            Command::new(&self.bin)
                .args(["progenitor", "-i"])
                .arg(&self.input)
                .arg("-o")
                .arg(&self.out)
                .args(["-n", "progenitor-dwolla", "-v", "0.1.0"]),
        )?;
        let manifest = self.out.join("Cargo.toml");
        let mut m = read(&manifest)?;
        if !m.contains("[workspace]") {
            m.push_str("\n[workspace]\n");
            write(&manifest, &m)?;
        }
        Ok(took)
    }
}

/// The peer's crate, generated once if an earlier run of the bench has not left it.
pub fn ensure_crate(root: &Path, work: &Path) -> Result<PathBuf> {
    let peer = crate_dir(work);
    if !peer.join("Cargo.toml").exists() {
        Generator::new(root, work)?.run()?;
    }
    Ok(peer)
}

/// The spec reduced to what cargo-progenitor 0.15.1 can generate, with typed success responses:
/// overlaid and normalized to 3.0; Dwolla's HAL media type spelled `application/json` so that
/// progenitor types the responses; `multipart/form-data` uploads as raw
/// `application/octet-stream` bytes (progenitor rejects multipart); only the
/// first `2xx` response of each operation and no error bodies (progenitor asserts that an
/// operation's responses of each kind share one type, which Dwolla's spec does not satisfy).
/// It also renames a component whose name typify would give to an inline property type as well
/// (`Transfer.amount` is inline and `TransferAmount` is a component: typify emits both as
/// `TransferAmount` and the crate does not compile). Our crate generates all of what is removed here.
pub fn progenitor_input(root: &Path, out: &Path) -> Result<()> {
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
        for (prop, p) in schema
            .get("properties")
            .and_then(|p| p.as_object())
            .into_iter()
            .flatten()
        {
            if p.get("$ref").is_none() && p.get("properties").is_some() {
                derived.insert(format!(
                    "{}{}",
                    parent.to_upper_camel_case(),
                    prop.to_upper_camel_case()
                ));
            }
        }
    }
    let mut text = serde_json::to_string(&doc).map_err(|e| e.to_string())?;
    for name in schemas.keys().filter(|n| derived.contains(n.as_str())) {
        let new = format!("{name}Component");
        text = text
            .replace(
                &format!("\"#/components/schemas/{name}\""),
                &format!("\"#/components/schemas/{new}\""),
            )
            .replace(&format!("\"{name}\":{{"), &format!("\"{new}\":{{"));
    }
    serde_json::from_str(&text).map_err(|e| e.to_string())
}
