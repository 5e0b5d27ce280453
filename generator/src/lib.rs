//! Reads Dwolla's OpenAPI document and writes the `dwolla` client crate.
//!
//! The pipeline has four stages, one module each:
//! [`spec`] (YAML → overlay → 3.1 normalized to 3.0 → `openapiv3`),
//! [`ir`] (named, deduplicated types and operations),
//! [`codegen`] (IR → tokens) and [`output`] (formatting, templates, writing or checking).
//! Beside them, [`report`] compares the IR with the one the checked-in crate was made from and
//! says what changed for the crate's users, and [`semver`] compares the crate's Rust API, as
//! rustdoc sees it, with the last published release's (`cargo xtask semver`).

pub mod codegen;
pub mod error;
pub mod escape;
pub mod ir;
pub mod output;
pub mod report;
pub mod semver;
pub mod spec;
pub mod testing;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub use error::{Error, Result};
use output::FileSet;

/// Where the inputs and the output live, relative to the workspace root.
pub const SPEC_PATH: &str = "spec/dwolla.yaml";
pub const OVERLAY_PATH: &str = "spec/overlay.yaml";
pub const OUTPUT_DIR: &str = "generated";
/// The spec with our overlay applied, as other OpenAPI tools read it, relative to `generated/`:
/// the contract test serves it with Prism, and it is there for any other OpenAPI tool.
pub const OVERLAID_SPEC_FILE: &str = "tests/prism/openapi.json";

/// The generated crate in memory, with what it took to make it.
#[derive(Debug)]
pub struct Generated {
    pub files: FileSet,
    pub ir: ir::Ir,
    pub warnings: Vec<String>,
    pub timings: Timings,
    /// What changed in the API since the checked-in generation; set by [`render_workspace`],
    /// whose files then include `api-surface.json`, `CHANGES.md` and `CHANGELOG.md`, and whose
    /// `Cargo.toml` has the version that follows from the change.
    pub changes: Option<report::Changes>,
    /// `info.version` of the spec.
    pub spec_version: String,
    /// What the overlay did to this spec, when there was one: which corrections applied.
    pub overlay: Option<spec::AppliedOverlay>,
}

/// Time of each stage of one run. Tokens and formatting run file by file on several threads:
/// `tokens` and `format` add up the time every thread spent on them, `tokens_and_format` is
/// the wall-clock time of both.
#[derive(Clone, Debug, Default)]
pub struct Timings {
    pub parse: Duration,
    pub normalize: Duration,
    pub ir: Duration,
    pub tokens: Duration,
    pub format: Duration,
    pub tokens_and_format: Duration,
    /// Runtime files copied and non-Rust files rendered with tera.
    pub templates: Duration,
    pub write: Duration,
}

/// Runs every stage but writing: spec text (and overlay text) in, files out.
pub fn render(spec_text: &str, spec_file: &str, overlay: Option<(&str, &str)>) -> Result<Generated> {
    let mut timings = Timings::default();
    let t = Instant::now();
    let mut doc = spec::parse_yaml(spec_text, spec_file)?;
    timings.parse = t.elapsed();

    let t = Instant::now();
    let applied = match overlay {
        Some(overlay) => spec::apply_overlay(&mut doc, overlay)?,
        None => spec::AppliedOverlay::default(),
    };
    let overlaid = tool_document(doc.clone(), spec_file)?;
    let spec = spec::read_overlaid(&mut doc, spec_file, applied)?;
    timings.normalize = t.elapsed();
    let version = spec.openapi.info.version.clone();

    let t = Instant::now();
    let ir = ir::build(&spec).map_err(|e| spec.overlay.attribute(e))?;
    timings.ir = t.elapsed();

    let t = Instant::now();
    let plan = codegen::plan(&ir);
    let paths = plan.iter().map(|file| file.path.clone()).collect();
    let (rust, tokens, format) = output::parallel::rust_files(paths, |i| codegen::tokens(&ir, &plan[i]), spec_file);
    timings.tokens = tokens;
    timings.format = format;
    timings.tokens_and_format = t.elapsed();

    let t = Instant::now();
    let mut files = FileSet::new();
    files.insert(OVERLAID_SPEC_FILE.to_owned(), overlaid);
    for (path, text) in rust {
        files.insert(path, text?);
    }
    for (dest, source, text) in output::RUNTIME_FILES {
        let mut out = output::preamble(&format!("generator/{source}"));
        out.push_str(text);
        files.insert((*dest).to_owned(), out);
    }
    output::render_templates(&ir, &version, report::version::INITIAL_VERSION, &mut files)?;
    timings.templates = t.elapsed();

    let warnings = spec
        .overlay
        .warnings()
        .iter()
        .map(ToString::to_string)
        .chain(ir.warnings.iter().cloned())
        .collect();
    Ok(Generated {
        files,
        ir,
        warnings,
        timings,
        changes: None,
        spec_version: version,
        overlay: overlay.map(|_| spec.overlay),
    })
}

/// What `cargo xtask codegen` was asked to do.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Compare with `generated/` instead of writing it.
    pub check: bool,
    /// Report the changes since this spec file (generated with today's overlay) instead of
    /// since the checked-in generation.
    pub since: Option<PathBuf>,
}

pub(crate) fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_owned(),
        source,
    })
}

/// Reads `spec/dwolla.yaml` and `spec/overlay.yaml` under `root`, and the snapshot of the
/// checked-in crate, so that the files include the change report.
pub fn render_workspace(root: &Path) -> Result<Generated> {
    render_workspace_with(root, None)
}

/// [`render_workspace`], reporting the changes since the spec file `since` when it is given.
pub fn render_workspace_with(root: &Path, since: Option<&Path>) -> Result<Generated> {
    let spec_text = read(&root.join(SPEC_PATH))?;
    let overlay_text = if root.join(OVERLAY_PATH).exists() {
        Some(read(&root.join(OVERLAY_PATH))?)
    } else {
        None
    };
    let overlay = overlay_text.as_deref().map(|t| (t, OVERLAY_PATH));
    let mut generated = render(&spec_text, SPEC_PATH, overlay)?;

    let current = report::Generation {
        source: report::Source::of(&spec_text, overlay_text.as_deref()),
        surface: report::Surface::of(&generated.ir),
    };
    let snapshot_path = root.join(OUTPUT_DIR).join(report::SNAPSHOT_FILE);
    let stored = if snapshot_path.exists() {
        match report::Snapshot::parse(&read(&snapshot_path)?) {
            Ok(s) => Some(s),
            Err(e) => {
                generated.warnings.push(format!(
                    "{}: {e}; the change report starts afresh",
                    snapshot_path.display()
                ));
                None
            }
        }
    } else {
        None
    };
    let since = match since {
        Some(path) => {
            let text = read(path)?;
            let name = path.display().to_string();
            let base = render(&text, &name, overlay)?;
            Some(report::Generation {
                source: report::Source::of(&text, overlay_text.as_deref()),
                surface: report::Surface::of(&base.ir),
            })
        }
        None => None,
    };
    let rust = rust_changes(root, stored.as_ref(), &mut generated)?;
    let changes = report::Changes::with_rust(stored, current, since, &rust);
    for (rel, text) in changes.files()? {
        generated.files.insert(rel, text);
    }
    let crate_version = changes.snapshot.version.to_string();
    output::render_templates(&generated.ir, &generated.spec_version, &crate_version, &mut generated.files)?;
    generated.changes = Some(changes);
    Ok(generated)
}

/// The Rust API's changes since the published release that `cargo xtask semver` recorded in
/// `generated/rust-api.json`, which stays among the files as it is. None when there is no
/// record, or (with a warning) when it is of another published release than `stored`'s.
fn rust_changes(root: &Path, stored: Option<&report::Snapshot>, generated: &mut Generated) -> Result<Vec<report::Change>> {
    let Some((text, record)) = semver::read_record(root)? else {
        return Ok(Vec::new());
    };
    generated.files.insert(report::rust_api::RUST_API_FILE.to_owned(), text);
    let published = stored.map(|s| s.published.version);
    if published != Some(record.published.version) {
        generated.warnings.push(format!(
            "generated/{}: the Rust API of release {} is recorded, not of the last published release; \
             the Rust API's changes are left out of the version until `cargo xtask semver` records them",
            report::rust_api::RUST_API_FILE,
            record.published.version
        ));
        return Ok(Vec::new());
    }
    Ok(record.changes)
}

/// The text of [`OVERLAID_SPEC_FILE`] from the overlaid document: still OpenAPI
/// 3.1 as Dwolla wrote it (our 3.1-to-3.0 normalization is not applied), so that an independent
/// tool judges the client against the spec and our reviewed corrections, not against our
/// reading of them. The one change tools need: operations the spec tells apart only by a
/// `#fragment` in the path are merged into the one HTTP endpoint they are (see `spec::tools`).
fn tool_document(mut doc: serde_json::Value, spec_file: &str) -> Result<String> {
    // Tools route by the request path, where fragment-distinguished operations are one.
    spec::tools::merge_fragment_paths(&mut doc);
    let mut text = serde_json::to_string_pretty(&doc).map_err(|e| Error::Spec {
        file: spec_file.to_owned(),
        pointer: "#".into(),
        message: format!("cannot write the overlaid spec as JSON: {e}"),
    })?;
    text.push('\n');
    Ok(text)
}

/// `cargo xtask codegen` (`check == false`) and `cargo xtask codegen --check` (`true`): the
/// generated crate under `root/generated` is written, or compared with what the spec produces.
pub fn generate(root: &Path, check: bool) -> Result<(Generated, output::SyncReport)> {
    generate_with(
        root,
        &Options {
            check,
            ..Options::default()
        },
    )
}

/// [`generate`] with every option of `cargo xtask codegen`.
pub fn generate_with(root: &Path, options: &Options) -> Result<(Generated, output::SyncReport)> {
    let mut generated = render_workspace_with(root, options.since.as_deref())?;
    let t = Instant::now();
    let report = output::sync(&root.join(OUTPUT_DIR), &generated.files, options.check)?;
    generated.timings.write = t.elapsed();
    Ok((generated, report))
}

/// `cargo xtask release`: marks the pending release of the checked-in crate published, so that
/// the next change to the API starts a new one (see [`report::Snapshot::publish`]), and records
/// the crate's Rust API as the published release's (`generated/rust-api.json`). `generated/`
/// and that record must be up to date, so that what is marked is what was published. The
/// version published, or `None` when nothing was pending (then nothing is written).
pub fn release(root: &Path) -> Result<Option<report::Version>> {
    let (mut generated, _) = generate(root, true)?;
    let rust = semver::semver(root, true, None)?;
    let Some(mut changes) = generated.changes.take() else {
        return Ok(None);
    };
    let Some(version) = changes.snapshot.publish() else {
        return Ok(None);
    };
    for (rel, text) in changes.files()? {
        generated.files.insert(rel, text);
    }
    let record = report::rust_api::RustRecord::published(version, rust.current);
    generated.files.insert(report::rust_api::RUST_API_FILE.to_owned(), record.to_text()?);
    output::sync(&root.join(OUTPUT_DIR), &generated.files, false)?;
    Ok(Some(version))
}
