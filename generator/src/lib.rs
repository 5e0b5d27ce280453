//! Reads Dwolla's OpenAPI document and writes the `dwolla` client crate.
//!
//! The pipeline has four stages, one module each:
//! [`spec`] (YAML → overlay → 3.1 normalized to 3.0 → `openapiv3`),
//! [`ir`] (named, deduplicated types and operations),
//! [`codegen`] (IR → tokens) and [`output`] (formatting, templates, writing or checking).
//! Beside them, [`report`] compares the IR with the one the checked-in crate was made from and
//! says what changed for the crate's users.

pub mod codegen;
pub mod error;
pub mod ir;
pub mod output;
pub mod report;
pub mod spec;

use std::path::Path;
use std::time::{Duration, Instant};

pub use error::{Error, Result};
use output::FileSet;

/// Where the inputs and the output live, relative to the workspace root.
pub const SPEC_PATH: &str = "spec/dwolla.yaml";
pub const OVERLAY_PATH: &str = "spec/overlay.yaml";
pub const OUTPUT_DIR: &str = "generated";

/// The generated crate in memory, with what it took to make it.
#[derive(Debug)]
pub struct Generated {
    pub files: FileSet,
    pub ir: ir::Ir,
    pub warnings: Vec<String>,
    pub timings: Timings,
}

/// Wall-clock time of each stage of one run.
#[derive(Clone, Debug, Default)]
pub struct Timings {
    pub parse: Duration,
    pub normalize: Duration,
    pub ir: Duration,
    pub tokens: Duration,
    pub format: Duration,
    pub write: Duration,
}

/// Runs every stage but writing: spec text (and overlay text) in, files out.
pub fn render(spec_text: &str, spec_file: &str, overlay: Option<(&str, &str)>) -> Result<Generated> {
    let mut timings = Timings::default();
    let t = Instant::now();
    let mut doc = spec::parse_yaml(spec_text, spec_file)?;
    timings.parse = t.elapsed();

    let t = Instant::now();
    let spec = spec::read_value(&mut doc, spec_file, overlay)?;
    timings.normalize = t.elapsed();
    let version = spec.openapi.info.version.clone();

    let t = Instant::now();
    let ir = ir::build(&spec)?;
    timings.ir = t.elapsed();

    let t = Instant::now();
    let rust = codegen::rust_files(&ir);
    timings.tokens = t.elapsed();

    let t = Instant::now();
    let mut files = FileSet::new();
    for f in rust {
        let text = output::rust_file(&f.path, f.tokens, spec_file)?;
        files.insert(f.path, text);
    }
    for (dest, source, text) in output::RUNTIME_FILES {
        let mut out = output::preamble(&format!("generator/{source}"));
        out.push_str(text);
        files.insert((*dest).to_owned(), out);
    }
    output::render_templates(&ir, &version, &mut files)?;
    timings.format = t.elapsed();

    let warnings = spec
        .warnings
        .iter()
        .map(ToString::to_string)
        .chain(ir.warnings.iter().cloned())
        .collect();
    Ok(Generated {
        files,
        ir,
        warnings,
        timings,
    })
}

/// Reads `spec/dwolla.yaml` and `spec/overlay.yaml` under `root`.
pub fn render_workspace(root: &Path) -> Result<Generated> {
    let read = |rel: &str| {
        let path = root.join(rel);
        std::fs::read_to_string(&path).map_err(|source| Error::Io { path, source })
    };
    let spec_text = read(SPEC_PATH)?;
    let overlay_text = if root.join(OVERLAY_PATH).exists() {
        Some(read(OVERLAY_PATH)?)
    } else {
        None
    };
    render(
        &spec_text,
        SPEC_PATH,
        overlay_text.as_deref().map(|t| (t, OVERLAY_PATH)),
    )
}

/// `cargo xtask codegen` (`check == false`) and `cargo xtask codegen --check` (`true`): the
/// generated crate under `root/generated` is written, or compared with what the spec produces.
pub fn generate(root: &Path, check: bool) -> Result<(Generated, output::SyncReport)> {
    let mut generated = render_workspace(root)?;
    let t = Instant::now();
    let report = output::sync(&root.join(OUTPUT_DIR), &generated.files, check)?;
    generated.timings.write = t.elapsed();
    Ok((generated, report))
}
