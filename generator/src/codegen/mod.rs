//! Stage 3, tokens: IR → Rust token streams, one per output file. This stage never reads the
//! spec and never decides a name; everything it needs is in the IR.

pub(crate) mod api;
mod contract;
pub mod docs;
pub(crate) mod features;
mod models;
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

/// Every generated Rust file of the crate.
pub fn rust_files(ir: &Ir) -> Vec<RustFile> {
    let mut files = vec![RustFile {
        path: "src/models/mod.rs".into(),
        tokens: models::mod_file(ir),
    }];
    for m in &ir.modules {
        if ir.types.iter().any(|t| t.module == m.name) {
            files.push(RustFile {
                path: format!("src/models/{}.rs", m.name),
                tokens: models::module_file(ir, &m.name),
            });
        }
    }
    files.push(RustFile {
        path: "src/api/mod.rs".into(),
        tokens: api::mod_file(ir),
    });
    for g in api::group_names(ir) {
        files.push(RustFile {
            path: format!("src/api/{g}.rs"),
            tokens: api::group_file(ir, &g),
        });
    }
    files.push(RustFile {
        path: "tests/components.rs".into(),
        tokens: tests::components(ir),
    });
    files.push(RustFile {
        path: "tests/decoders.rs".into(),
        tokens: tests::decoders(ir),
    });
    files.push(RustFile {
        path: "tests/operations.rs".into(),
        tokens: tests::operations(ir),
    });
    files.push(RustFile {
        path: "tests/contract.rs".into(),
        tokens: contract::contract(ir),
    });
    files.push(RustFile {
        path: "tests/spec_examples.rs".into(),
        tokens: tests::examples(ir),
    });
    files
}
