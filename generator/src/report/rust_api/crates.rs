//! The rustdoc JSON of the crates whose API is read, and finding an item of one crate that
//! another crate's JSON names: rustdoc writes a crate's own items only, and names another
//! crate's by id and path, so a re-export of a sibling crate is followed by its path into that
//! crate's JSON.

use std::collections::HashMap;

use rustdoc_types::{Crate, Id};

use crate::error::{Error, Result};

/// Where an item is: which crate's JSON and its id there.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) struct Loc {
    pub krate: usize,
    pub id: Id,
}

/// The crates read, the first being the one whose API is reported.
pub(super) struct Crates {
    list: Vec<Crate>,
    /// Each crate's own items by the path they are defined at (`dwolla::error::Error`).
    by_path: Vec<HashMap<String, Id>>,
    /// Each crate's index in `list`, by its name.
    by_name: HashMap<String, usize>,
}

/// Reads one crate's rustdoc JSON, refusing another format than the one `rustdoc-types`
/// reads (its fields differ from version to version) with both numbers named.
pub fn parse(text: &str, what: &str) -> Result<Crate> {
    #[derive(serde::Deserialize)]
    struct Version {
        format_version: u32,
    }
    let error = |message: String| Error::Report {
        message: format!("{what}: {message}"),
    };
    let found = serde_json::from_str::<Version>(text)
        .map_err(|e| error(format!("not rustdoc JSON: {e}")))?
        .format_version;
    if found != rustdoc_types::FORMAT_VERSION {
        return Err(error(format!(
            "rustdoc JSON format {found}, but the generator reads format {} (rustdoc-types {}); \
             use the toolchain that emits it, or move rustdoc-types to the version of format {found}",
            rustdoc_types::FORMAT_VERSION,
            RUSTDOC_TYPES_VERSION
        )));
    }
    serde_json::from_str(text).map_err(|e| error(format!("cannot read the rustdoc JSON: {e}")))
}

/// The version of `rustdoc-types` the generator is built with, as pinned in its Cargo.toml.
const RUSTDOC_TYPES_VERSION: &str = "0.57.4";

impl Crates {
    pub fn new(list: Vec<Crate>) -> Crates {
        let by_path = list
            .iter()
            .map(|c| {
                c.paths
                    .iter()
                    .filter(|(_, s)| s.crate_id == 0)
                    .map(|(id, s)| (s.path.join("::"), *id))
                    .collect()
            })
            .collect();
        let by_name = list
            .iter()
            .enumerate()
            .filter_map(|(i, c)| Some((c.index.get(&c.root)?.name.clone()?, i)))
            .collect();
        Crates { list, by_path, by_name }
    }

    pub fn get(&self, krate: usize) -> Option<&Crate> {
        self.list.get(krate)
    }

    /// The name of a crate read (its library's).
    pub fn name(&self, krate: usize) -> Option<&str> {
        let c = self.list.get(krate)?;
        c.index.get(&c.root)?.name.as_deref()
    }

    /// Where the item `id` of `krate`'s JSON is defined, as a path (`core::time::Duration`);
    /// `None` for an item rustdoc gives no path (a field, a method, an impl).
    pub fn canonical(&self, krate: usize, id: &Id) -> Option<String> {
        let summary = self.list.get(krate)?.paths.get(id)?;
        Some(summary.path.join("::"))
    }

    /// The item `id` of `krate`'s JSON: in that crate, or by its path in another crate read.
    pub fn locate(&self, krate: usize, id: &Id) -> Option<Loc> {
        let c = self.list.get(krate)?;
        if c.index.contains_key(id) {
            return Some(Loc { krate, id: *id });
        }
        let path = &c.paths.get(id)?.path;
        let other = *self.by_name.get(path.first()?)?;
        let id = *self.by_path.get(other)?.get(&path.join("::"))?;
        Some(Loc { krate: other, id })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn json_of_another_format_is_refused_naming_both() {
        let text = r#"{"format_version": 12, "root": 0}"#;
        let error = super::parse(text, "dwolla-client")
            .map(|_| ())
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            error.contains("dwolla-client: rustdoc JSON format 12") && error.contains("format 57"),
            "{error}"
        );
    }
}
