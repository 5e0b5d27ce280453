//! Renders the crate's non-Rust files (`Cargo.toml`, `README.md`) from the tera templates in
//! `generator/templates/`. Tera escapes nothing in these (its autoescaping is for HTML), so
//! every value from the spec reaches a template already escaped for where it lands, by
//! [`crate::escape`]: the context has no raw spec text.

use serde::Serialize;

use super::FileSet;
use crate::error::{Error, Result};
use crate::escape;
use crate::ir::Ir;

const TEMPLATES: &[(&str, &str)] = &[
    ("Cargo.toml", include_str!("../../templates/Cargo.toml.tera")),
    ("README.md", include_str!("../../templates/README.md.tera")),
];

/// The integrator's quickstart: the crate's front page (its README, which the crate's doctests
/// compile).
pub const QUICKSTART: &str = include_str!("../../templates/quickstart.md");

/// A resource group's feature, each field escaped for the one place it is used.
#[derive(Serialize)]
struct FeatureModule {
    /// The feature's name as a key of `[features]`.
    feature_key: String,
    /// The feature's name as a TOML string (in the list of `full`).
    feature_string: String,
    /// The feature's name in a Markdown code span.
    feature_code: String,
    /// What the group is, for a comment line of `Cargo.toml`.
    summary_toml_comment: String,
    /// What the group is, for a cell of the README's table.
    summary_markdown: String,
}

#[derive(Serialize)]
struct Context {
    version: String,
    /// The spec's `info.version`, as inline Markdown.
    spec_version_markdown: String,
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
        spec_version_markdown: escape::markdown_inline(spec_version),
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
                Some(FeatureModule {
                    feature_key: escape::toml_key(&feature),
                    feature_string: escape::toml_string(&feature),
                    feature_code: escape::code_span(&feature),
                    summary_toml_comment: escape::toml_comment(&summary),
                    summary_markdown: escape::markdown_inline(&summary),
                })
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Every dependency of the generated crate is a name no resource group's feature can take.
    #[test]
    fn reserved_feature_names_cover_every_dependency() {
        let template = TEMPLATES[0].1;
        let dependencies = &template[template.find("[dependencies]").unwrap_or(0)..];
        let table: toml::Table = dependencies.parse().unwrap_or_else(|e| panic!("{e}"));
        let mut names = Vec::new();
        for section in ["dependencies", "dev-dependencies"] {
            let deps = table.get(section).and_then(|d| d.as_table());
            names.extend(deps.unwrap_or_else(|| panic!("no [{section}]")).keys().cloned());
        }
        assert!(names.len() > 10, "{names:?}");
        for name in names {
            assert!(
                crate::ir::naming::RESERVED_FEATURES.contains(&name.as_str()),
                "`{name}` is a dependency of the generated crate but not in ir::naming::RESERVED_FEATURES"
            );
        }
    }

    /// Every feature the template declares by hand (TLS, `test-util`, `decimal`, ...) is a name
    /// no resource group's feature can take.
    #[test]
    fn reserved_feature_names_cover_every_fixed_feature() {
        let template = TEMPLATES[0].1;
        let start = template.find("[features]").unwrap_or(0);
        let end = template.find("[dependencies]").unwrap_or(template.len());
        let fixed: Vec<&str> = template[start..end]
            .lines()
            .filter(|l| l.starts_with(|c: char| c.is_ascii_lowercase()))
            .filter_map(|l| l.split_once(" = ").map(|(name, _)| name))
            .collect();
        assert!(
            fixed.contains(&"test-util") && fixed.contains(&"native-tls"),
            "{fixed:?}"
        );
        for name in fixed {
            assert!(
                crate::ir::naming::RESERVED_FEATURES.contains(&name),
                "`{name}` is a feature of the generated crate but not in ir::naming::RESERVED_FEATURES"
            );
        }
    }
}
