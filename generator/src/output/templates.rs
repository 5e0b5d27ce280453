//! Renders the crate's non-Rust files (`Cargo.toml`, `README.md`) from the tera templates in
//! `generator/templates/`.

use serde::Serialize;

use super::FileSet;
use crate::error::{Error, Result};
use crate::ir::Ir;

const TEMPLATES: &[(&str, &str)] = &[
    ("Cargo.toml", include_str!("../../templates/Cargo.toml.tera")),
    ("README.md", include_str!("../../templates/README.md.tera")),
];

/// The integrator's quickstart: the crate's front page, and the same text in the workspace
/// README (a test keeps the two equal).
pub const QUICKSTART: &str = include_str!("../../templates/quickstart.md");

#[derive(Serialize)]
struct FeatureModule {
    feature: String,
    summary: String,
}

#[derive(Serialize)]
struct Context {
    version: String,
    spec_version: String,
    component_count: usize,
    type_count: usize,
    operation_count: usize,
    modules: Vec<FeatureModule>,
    quickstart: &'static str,
}

/// Renders every template into `files`, for version `crate_version` of the crate.
pub fn render_templates(ir: &Ir, spec_version: &str, crate_version: &str, files: &mut FileSet) -> Result<()> {
    let context = Context {
        version: crate_version.to_owned(),
        spec_version: spec_version.to_owned(),
        component_count: ir.stats.components,
        type_count: ir.types.len(),
        operation_count: ir.operations.len(),
        quickstart: QUICKSTART,
        modules: ir
            .modules
            .iter()
            .filter_map(|m| {
                let feature = m.feature.clone()?;
                let summary = m
                    .description
                    .clone()
                    .or_else(|| m.tag.clone())
                    .unwrap_or_else(|| m.name.clone());
                Some(FeatureModule { feature, summary })
            })
            .collect(),
    };
    let template_err = |name: &str, e: tera::Error| Error::Template {
        name: name.to_owned(),
        message: e.to_string(),
    };
    let ctx = tera::Context::from_serialize(&context).map_err(|e| template_err("context", e))?;
    let mut tera = tera::Tera::new();
    for (name, text) in TEMPLATES {
        tera.add_raw_template(name, text).map_err(|e| template_err(name, e))?;
    }
    for (name, _) in TEMPLATES {
        let out = tera.render(name, &ctx).map_err(|e| template_err(name, e))?;
        files.insert((*name).to_owned(), out);
    }
    Ok(())
}
