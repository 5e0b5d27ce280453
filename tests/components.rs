//! Every component schema of Dwolla's spec (read straight from the YAML, not through the
//! generator) is a public type at `dwolla::models::*` under its `UpperCamelCase` name.
//! (`generated/tests/components.rs` proves they compile as types.)

#[test]
fn all_193_component_schemas_are_public_models() {
    let root = workspace_tests::workspace_root();
    let spec = std::fs::read_to_string(root.join("spec/dwolla.yaml")).unwrap_or_else(|e| panic!("{e}"));
    let doc = generator::spec::parse_yaml(&spec, "spec/dwolla.yaml").unwrap_or_else(|e| panic!("{e}"));
    let names: Vec<&String> = doc["components"]["schemas"]
        .as_object()
        .map(|m| m.keys().collect())
        .unwrap_or_default();
    let generated = generator::render_workspace(&root).unwrap_or_else(|e| panic!("{e}"));
    let public: std::collections::HashMap<&str, &str> = generated
        .ir
        .types
        .iter()
        .filter_map(|t| Some((t.component.as_deref()?, t.name.as_str())))
        .collect();
    let mut missing = Vec::new();
    for name in &names {
        match public.get(name.as_str()) {
            Some(rust) => {
                let models = generated.files.iter().filter(|(p, _)| p.starts_with("src/models/"));
                let declared = models.into_iter().any(|(_, text)| {
                    text.contains(&format!("pub struct {rust} "))
                        || text.contains(&format!("pub enum {rust} "))
                        || text.contains(&format!("pub type {rust} "))
                });
                if !declared {
                    missing.push(format!("{name} (as {rust}) is not declared"));
                }
            }
            None => missing.push(format!("{name} has no type")),
        }
    }
    let stats = &generated.ir.stats;
    println!(
        "{} component schemas in the spec, all public models; inline schemas: {} occurrences became {} types; {} components are aliases of an identical one",
        names.len(),
        stats.inline_schemas,
        stats.inline_types,
        stats.component_aliases
    );
    assert_eq!(names.len(), 193);
    assert!(missing.is_empty(), "{missing:#?}");
}
