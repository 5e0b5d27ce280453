//! The crate's Rust API as rustdoc sees it, and what changed in it since the last published
//! release. The spec-level report ([`super::compare`]) judges what the spec changed, by the
//! spec's identities; this judges the compiled crate, so it has no blind spot for what only the
//! Rust code shows: the hand-written runtime, methods a macro writes, type aliases, auto traits.
//! The release's version is the larger of the two verdicts.
//!
//! rustdoc needs the crate built, so this runs as its own command, `cargo xtask semver`
//! ([`crate::semver`]), never inside `cargo xtask codegen`: it writes `generated/rust-api.json`
//! ([`RustRecord`]: the published release's view and the changes since it), which codegen
//! reads to number the pending release and write its changelog entry.
//!
//! # The view
//!
//! [`view`] walks the crate's public modules from its root and lists every item users can
//! name, each under its public path ([`RustItem`]): modules, structs, enums, unions, their
//! fields and variants, functions, inherent methods (also those a macro wrote), traits and their
//! items, trait impls (derived, written, and the auto traits `Send`, `Sync`, `Unpin`,
//! `UnwindSafe`, `RefUnwindSafe` that rustdoc works out), type aliases, constants, statics and
//! macros. A `pub use` of another crate read (the runtime's crate, say) is followed into that
//! crate's JSON, so a re-exported item is listed with its members under the path users write.
//! Each item has one normalized signature ([`render`]): types are named by their public path
//! or where they are defined, so `Duration` and `std::time::Duration` are one type, and a type
//! alias is replaced by what it stands for, so swapping an alias for the same type changes
//! nothing while changing what an alias stands for changes every signature that uses it.
//!
//! # Breaking or not ([`compare`])
//!
//! - an item removed, or its signature changed: **breaking** (code that names it, calls it
//!   with the old types or relies on the old impl no longer compiles). A lost auto trait impl
//!   is an item removed.
//! - an item added: not breaking, except where code could be exhaustive over its parent
//!   ([`RustItem::closed`]): a variant of an enum without `#[non_exhaustive]`, a field of a
//!   struct with only public fields and no `#[non_exhaustive]` (struct literals), a trait item
//!   without a default (implementations).
//! - `#[non_exhaustive]` added to a struct, enum or variant: breaking; removed: an addition. (The
//!   view lists an `exhaustive` item for each one without it, so this is the rule above.)
//! - what is inside a removed or added item is part of that change and not listed again.
//!
//! Not judged: which cargo features an item needs (rustdoc sees the build with every feature;
//! the spec-level report judges the features of the generated types and operations), what a
//! `macro_rules!` macro accepts, sealed traits (a trait item added to one is listed as breaking),
//! generic parameters renamed (a change), type aliases of other crates (named, not expanded),
//! and behaviour.

mod compare;
mod crates;
mod record;
mod render;
mod rustdoc;
mod view;

use serde::{Deserialize, Serialize};

pub use compare::compare;
pub use crates::parse;
pub use record::{PublishedApi, RUST_API_FILE, RustRecord};
pub use rustdoc::{PACKAGES, json_of};
/// The types of rustdoc's JSON, as [`parse`] gives them to [`view`].
pub use rustdoc_types;
pub use view::view;

/// One item users can name, as rustdoc sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RustItem {
    /// Its public path from the crate root (`dwolla::Error::attempts`), or for a trait impl,
    /// the type's path and the trait (`dwolla::Delivery impl core::marker::Send`).
    pub path: String,
    /// What it is: `module`, `struct`, `field`, `method`, `impl`, `auto trait impl`, ..
    pub kind: String,
    /// Its normalized signature (see [`render`]).
    pub signature: String,
    /// Adding it breaks code that was exhaustive over its parent (see "Breaking or not").
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub closed: bool,
    /// Made from the spec (the generated `models` and `api` modules), which the spec-level
    /// report describes too; `false` for the hand-written runtime.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub spec: bool,
}

/// Every item of a crate's public API, sorted by path, then kind.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RustApi {
    pub items: Vec<RustItem>,
}
