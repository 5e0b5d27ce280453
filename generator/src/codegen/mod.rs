//! Stage 3, tokens: IR → Rust token streams, one per output file. This stage never reads the
//! spec and never decides a name; everything it needs is in the IR.

pub(crate) mod api;
mod accessors;
mod contract;
pub mod docs;
mod faults;
pub(crate) mod features;
mod models;
mod money;
mod replay;
mod sandbox;
mod test_util;
pub(crate) mod tests;
pub mod type_ref;
mod views;

use proc_macro2::TokenStream;

use crate::ir::Ir;

/// A Rust file to be formatted and written under `generated/`.
pub struct RustFile {
    pub path: String,
    pub tokens: TokenStream,
}

/// One generated Rust file to produce: where it goes and what it holds. Plain data, so the
/// files can be generated and formatted on several threads (token streams cannot cross them).
#[derive(Clone, Debug)]
pub struct PlannedFile {
    pub path: String,
    content: Content,
}

#[derive(Clone, Debug)]
enum Content {
    ModelsMod,
    Models(String),
    ApiMod,
    ApiGroup(String),
    ComponentsTest,
    DecodersTest,
    OperationsTest,
    ContractTest,
    ExamplesTest,
    ReplayTest,
    MockOperations,
    ConstructorsTest,
    AmountsTest,
    AtMostOnceTest,
}

/// Every generated Rust file of the crate, the largest (the generated tests) first.
pub fn plan(ir: &Ir) -> Vec<PlannedFile> {
    let file = |path: String, content| PlannedFile { path, content };
    let mut files = vec![
        file("tests/operations.rs".into(), Content::OperationsTest),
        file("tests/spec_examples.rs".into(), Content::ExamplesTest),
        file("tests/contract.rs".into(), Content::ContractTest),
        file("tests/decoders.rs".into(), Content::DecodersTest),
        file("tests/replay.rs".into(), Content::ReplayTest),
        file("tests/components.rs".into(), Content::ComponentsTest),
        file("tests/model_constructors.rs".into(), Content::ConstructorsTest),
        file("tests/amounts.rs".into(), Content::AmountsTest),
        file("tests/at_most_once.rs".into(), Content::AtMostOnceTest),
        file("src/test_util/operations.rs".into(), Content::MockOperations),
        file("src/models/mod.rs".into(), Content::ModelsMod),
    ];
    for m in &ir.modules {
        if ir.types.iter().any(|t| t.module == m.name) {
            files.push(file(format!("src/models/{}.rs", m.name), Content::Models(m.name.clone())));
        }
    }
    files.push(file("src/api/mod.rs".into(), Content::ApiMod));
    for g in api::group_names(ir) {
        files.push(file(format!("src/api/{g}.rs"), Content::ApiGroup(g)));
    }
    files
}

/// The tokens of one planned file.
pub fn tokens(ir: &Ir, file: &PlannedFile) -> TokenStream {
    match &file.content {
        Content::ModelsMod => models::mod_file(ir),
        Content::Models(m) => models::module_file(ir, m),
        Content::ApiMod => api::mod_file(ir),
        Content::ApiGroup(g) => api::group_file(ir, g),
        Content::ComponentsTest => tests::components(ir),
        Content::DecodersTest => tests::decoders(ir),
        Content::OperationsTest => tests::operations(ir),
        Content::ContractTest => contract::contract(ir),
        Content::ExamplesTest => tests::examples(ir),
        Content::ReplayTest => replay::replay(ir),
        Content::MockOperations => test_util::operations_table(ir),
        Content::ConstructorsTest => test_util::constructors_test(ir),
        Content::AmountsTest => money::amounts_test(ir),
        Content::AtMostOnceTest => faults::at_most_once(ir),
    }
}

/// Every generated Rust file of the crate, on this thread.
pub fn rust_files(ir: &Ir) -> Vec<RustFile> {
    plan(ir)
        .into_iter()
        .map(|f| RustFile {
            tokens: tokens(ir, &f),
            path: f.path,
        })
        .collect()
}

#[cfg(test)]
mod generated_docs {
    //! The generated crate denies missing docs, so every public item the token stage writes
    //! must carry one whatever the spec leaves out; and what the docs say must be true of the
    //! code. These tests read the generated models and API back with `syn`.

    fn has_doc(attrs: &[syn::Attribute]) -> bool {
        attrs.iter().any(|a| a.path().is_ident("doc"))
    }

    fn public(vis: &syn::Visibility) -> bool {
        matches!(vis, syn::Visibility::Public(_))
    }

    fn undocumented(items: &[syn::Item], at: &str, out: &mut Vec<String>) {
        for item in items {
            match item {
                syn::Item::Struct(s) if public(&s.vis) => {
                    if !has_doc(&s.attrs) {
                        out.push(format!("{at}: struct {}", s.ident));
                    }
                    for f in s.fields.iter().filter(|f| public(&f.vis)) {
                        if !has_doc(&f.attrs) {
                            out.push(format!(
                                "{at}: field {}::{:?}",
                                s.ident,
                                f.ident.as_ref().map(ToString::to_string)
                            ));
                        }
                    }
                }
                syn::Item::Enum(e) if public(&e.vis) => {
                    if !has_doc(&e.attrs) {
                        out.push(format!("{at}: enum {}", e.ident));
                    }
                    for v in &e.variants {
                        if !has_doc(&v.attrs) {
                            out.push(format!("{at}: variant {}::{}", e.ident, v.ident));
                        }
                        for f in &v.fields {
                            if f.ident.is_some() && !has_doc(&f.attrs) {
                                out.push(format!("{at}: field of {}::{}", e.ident, v.ident));
                            }
                        }
                    }
                }
                syn::Item::Fn(f) if public(&f.vis) && !has_doc(&f.attrs) => {
                    out.push(format!("{at}: fn {}", f.sig.ident));
                }
                syn::Item::Type(t) if public(&t.vis) && !has_doc(&t.attrs) => {
                    out.push(format!("{at}: type {}", t.ident));
                }
                syn::Item::Const(c) if public(&c.vis) && !has_doc(&c.attrs) => {
                    out.push(format!("{at}: const {}", c.ident));
                }
                syn::Item::Mod(m) => {
                    if public(&m.vis) && !has_doc(&m.attrs) && m.content.is_some() {
                        out.push(format!("{at}: mod {}", m.ident));
                    }
                    if let Some((_, inner)) = &m.content {
                        undocumented(inner, &format!("{at}::{}", m.ident), out);
                    }
                }
                // Inherent methods; a trait's methods take the trait's docs.
                syn::Item::Impl(i) if i.trait_.is_none() => {
                    for it in &i.items {
                        if let syn::ImplItem::Fn(f) = it
                            && public(&f.vis)
                            && !has_doc(&f.attrs)
                        {
                            out.push(format!("{at}: method {}", f.sig.ident));
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// The undocumented public items of the crate generated from `spec`, in its models and API.
    fn undocumented_items(spec: &str, overlay: Option<(&str, &str)>) -> Vec<String> {
        let generated = match crate::render(spec, "spec.yaml", overlay) {
            Ok(g) => g,
            Err(e) => panic!("generation failed: {e}"),
        };
        let mut out = Vec::new();
        for (path, text) in &generated.files {
            if !(path.starts_with("src/models/") || path.starts_with("src/api/")) {
                continue;
            }
            let file = match syn::parse_file(text) {
                Ok(f) => f,
                Err(e) => panic!("{path} does not parse: {e}"),
            };
            undocumented(&file.items, path, &mut out);
        }
        out
    }

    /// A spec that describes nothing: no descriptions, titles or examples; a union with an
    /// untyped object, a string and a list beside a component; a map; a header and a query
    /// parameter; two success statuses.
    const SILENT: &str = r##"
openapi: 3.0.3
info: {title: silent, version: "1"}
paths:
  /things/{id}:
    post:
      operationId: postThing
      tags: [things]
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: limit, in: query, schema: {type: integer}}
        - {name: X-Thing, in: header, schema: {type: string}}
      requestBody:
        content:
          application/json:
            schema:
              oneOf:
                - type: object
                - $ref: '#/components/schemas/Thing'
                - type: string
                - {type: array, items: {type: string}}
      responses:
        "200":
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
        "202": {}
        "404":
          content:
            application/json:
              schema:
                type: object
                properties:
                  code: {type: string}
components:
  schemas:
    Thing:
      type: object
      required: [kind]
      properties:
        kind: {type: string, enum: [a, b]}
        tags:
          type: object
          additionalProperties: {type: integer}
        nested:
          type: object
          properties:
            at: {type: string, format: date-time}
"##;

    #[test]
    fn a_spec_without_any_description_gives_a_documented_crate() {
        let missing = undocumented_items(SILENT, None);
        assert!(missing.is_empty(), "undocumented public items:\n{}", missing.join("\n"));
    }

    /// Dwolla's own document (before its SDK overlay) with today's overlay: its unions have
    /// untyped variants that the published document does not.
    #[test]
    fn dwollas_upstream_document_gives_a_documented_crate() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let read = |p: &str| match std::fs::read_to_string(root.join(p)) {
            Ok(t) => t,
            Err(e) => panic!("{p}: {e}"),
        };
        let spec = read("spec/upstream/openapi-2026-01-23-d4901e4.yml");
        let overlay = read(crate::OVERLAY_PATH);
        let missing = undocumented_items(&spec, Some((&overlay, crate::OVERLAY_PATH)));
        assert!(missing.is_empty(), "undocumented public items:\n{}", missing.join("\n"));
    }

    /// The crate generated from `spec/dwolla.yaml` with our overlay.
    fn dwolla() -> crate::Generated {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        match crate::render_workspace(&root) {
            Ok(g) => g,
            Err(e) => panic!("generation failed: {e}"),
        }
    }

    fn doc_lines(text: &str) -> impl Iterator<Item = &str> {
        text.lines()
            .map(str::trim_start)
            .filter(|l| l.starts_with("///") || l.starts_with("//!"))
    }

    /// Markup the generator writes is rustdoc already and must not pass through the spec-text
    /// sanitizer, which would show it as `\[`Name`\]`.
    #[test]
    fn generated_links_are_not_escaped() {
        let generated = dwolla();
        let escaped: Vec<String> = generated
            .files
            .iter()
            .filter(|(path, _)| path.ends_with(".rs"))
            .flat_map(|(path, text)| {
                doc_lines(text)
                    .filter(|l| l.contains("\\[`"))
                    .map(move |l| format!("{path}: {l}"))
            })
            .collect();
        assert!(escaped.is_empty(), "escaped links in docs:\n{}", escaped.join("\n"));
        let alias = generated
            .files
            .get("src/models/webhook_subscriptions.rs")
            .map(String::as_str)
            .unwrap_or_default();
        assert!(
            alias.contains("Has the same structure as [`ErrorMessage`](crate::models::ErrorMessage) in the spec"),
            "the note on structural aliases is missing"
        );
    }

    /// The docs of an operation's error statuses name the `ApiErrorBody` variant the code
    /// decodes each body into, and every such variant exists.
    #[test]
    fn error_docs_name_the_variants_the_code_has() {
        let generated = dwolla();
        let api = generated
            .files
            .get("src/api/mod.rs")
            .map(String::as_str)
            .unwrap_or_default();
        let file = match syn::parse_file(api) {
            Ok(f) => f,
            Err(e) => panic!("src/api/mod.rs does not parse: {e}"),
        };
        let variants: Vec<String> = file
            .items
            .iter()
            .find_map(|i| match i {
                syn::Item::Enum(e) if e.ident == "ApiErrorBody" => {
                    Some(e.variants.iter().map(|v| v.ident.to_string()).collect())
                }
                _ => None,
            })
            .unwrap_or_default();
        assert!(!variants.is_empty(), "no ApiErrorBody in src/api/mod.rs");
        let mut named = 0;
        for (path, text) in generated.files.iter().filter(|(p, _)| p.starts_with("src/api/")) {
            for line in doc_lines(text).filter(|l| l.contains(", body [`")) {
                let Some(rest) = line.split(", body [`").nth(1) else {
                    continue;
                };
                let Some(variant) = rest.strip_prefix("ApiErrorBody::").and_then(|r| r.split('`').next()) else {
                    panic!("{path}: an error body that is not an ApiErrorBody variant: {line}");
                };
                assert!(
                    variants.iter().any(|v| v == variant),
                    "{path}: no variant ApiErrorBody::{variant}: {line}"
                );
                named += 1;
            }
        }
        assert!(named > 100, "only {named} error bodies documented");
    }
}
