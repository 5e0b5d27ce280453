//! Stage 3, tokens: IR → Rust token streams, one per output file. This stage never reads the
//! spec and never decides a name; everything it needs is in the IR.

pub(crate) mod api;
mod contract;
pub mod docs;
pub(crate) mod features;
mod models;
mod replay;
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
