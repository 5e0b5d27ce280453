//! Stage 4, output: the generated crate as an in-memory set of files (Rust formatted with
//! prettyplease, the rest rendered with tera, the hand-written runtime copied), and syncing
//! that set to disk or checking it against what is there.

mod format;
pub mod parallel;
mod runtime;
mod sync;
mod templates;

use std::collections::BTreeMap;

pub use format::{preamble, rust_file};
pub use runtime::RUNTIME_FILES;
pub use sync::{SyncReport, sync};
pub use templates::{QUICKSTART, render_templates};

/// Path relative to `generated/` → file contents. Sorted, so output order is deterministic.
pub type FileSet = BTreeMap<String, String>;
