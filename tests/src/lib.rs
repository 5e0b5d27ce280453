//! Integration tests of the workspace live beside this crate's manifest.
