//! `cargo xtask semver`'s judgement of the Rust API on tiny crates, each documented by the real
//! rustdoc (about a second each): what only the compiled crate shows (a method a macro writes,
//! an auto trait, what a type alias stands for, an item re-exported from another crate) is
//! seen, and judged as `generator/src/report/rust_api/mod.rs` says.

use std::path::Path;

use generator::report::rust_api::rustdoc_types as rustdoc_types_crate;
use generator::report::rust_api::{self, RustApi};
use generator::report::{Change, ChangeKind, Subject};
use workspace_tests::{work_dir, write_if_changed};

/// The API of a scratch workspace of the given packages (name, `lib.rs`, dependencies on the
/// packages before it), the first being the crate whose API it is, as `cargo xtask semver`
/// reads it. `case` names the workspace under `target/test-work/semver/`.
fn api_of(case: &str, packages: &[(&str, &str)]) -> RustApi {
    let dir = work_dir(&format!("semver/{case}"));
    let members: Vec<String> = packages.iter().map(|(name, _)| format!("\"{name}\"")).collect();
    write_if_changed(
        &dir.join("Cargo.toml"),
        format!("[workspace]\nresolver = \"3\"\nmembers = [{}]\n", members.join(", ")).as_bytes(),
    );
    for (i, (name, lib)) in packages.iter().enumerate() {
        let deps: String = packages[i + 1..]
            .iter()
            .map(|(dep, _)| format!("{dep} = {{ path = \"../{dep}\" }}\n"))
            .collect();
        let manifest =
            format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[dependencies]\n{deps}");
        write_if_changed(&dir.join(name).join("Cargo.toml"), manifest.as_bytes());
        write_if_changed(&dir.join(name).join("src/lib.rs"), lib.as_bytes());
    }
    let crates = packages.iter().map(|(name, _)| crate_json(&dir, name)).collect();
    rust_api::view(crates)
}

/// The rustdoc JSON of package `name` (its library has the same name) of the scratch workspace
/// `dir`. A warm run reuses the JSON of an earlier one when it is newer than the package's
/// files (which are written only when they change) and of the format read; else rustdoc runs.
fn crate_json(dir: &Path, name: &str) -> rustdoc_types_crate::Crate {
    let json = dir.join("target/doc").join(format!("{name}.json"));
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let sources = [
        dir.join("Cargo.toml"),
        dir.join(name).join("Cargo.toml"),
        dir.join(name).join("src/lib.rs"),
    ];
    let built = modified(&json);
    if built.is_some()
        && sources.iter().all(|s| modified(s) < built)
        && let Some(c) = std::fs::read_to_string(&json)
            .ok()
            .and_then(|t| rust_api::parse(&t, name).ok())
    {
        return c;
    }
    let text =
        rust_api::json_of(&dir.join("Cargo.toml"), name, &dir.join("target")).unwrap_or_else(|e| panic!("{name}: {e}"));
    rust_api::parse(&text, name).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The changes from `old` to `new` (the library `a` alone): each as its path, kind of change
/// and whether it breaks code.
fn changes(case: &str, old: &str, new: &str) -> Vec<(String, &'static str, bool)> {
    let old = api_of(&format!("{case}/old"), &[("a", old)]);
    let new = api_of(&format!("{case}/new"), &[("a", new)]);
    summarize(&rust_api::compare(&old, &new))
}

fn summarize(changes: &[Change]) -> Vec<(String, &'static str, bool)> {
    changes
        .iter()
        .map(|c| {
            let Subject::Rust { path, .. } = &c.subject else {
                panic!("not a Rust change: {c:?}")
            };
            let kind = match &c.kind {
                ChangeKind::RustAdded { .. } => "added",
                ChangeKind::RustRemoved { .. } => "removed",
                ChangeKind::RustChanged { .. } => "changed",
                other => panic!("not a Rust change: {other:?}"),
            };
            (path.clone(), kind, c.breaking())
        })
        .collect()
}

fn change(path: &str, kind: &'static str, breaking: bool) -> (String, &'static str, bool) {
    (path.to_owned(), kind, breaking)
}

#[test]
fn a_removed_runtime_method_is_breaking() {
    let old = "pub struct Client;\nimpl Client {\n    pub fn deadline(&self) -> u32 { 1 }\n    pub fn timeout(&self, t: u64) -> u64 { t }\n}\n";
    let new = "pub struct Client;\nimpl Client {\n    pub fn deadline(&self) -> u32 { 1 }\n}\n";
    assert_eq!(
        changes("removed_method", old, new),
        [change("a::Client::timeout", "removed", true)]
    );
}

#[test]
fn a_struct_that_loses_send_and_sync_is_a_breaking_change() {
    // The field is private: only the auto traits show the change.
    let old = "pub struct Cache {\n    pub hits: u32,\n    inner: std::sync::Arc<u8>,\n}\n";
    let new = "pub struct Cache {\n    pub hits: u32,\n    inner: std::rc::Rc<u8>,\n}\n";
    assert_eq!(
        changes("lost_auto_trait", old, new),
        [
            change("a::Cache impl core::marker::Send", "removed", true),
            change("a::Cache impl core::marker::Sync", "removed", true),
        ]
    );
    // Gaining them breaks nothing.
    assert_eq!(
        changes("gained_auto_trait", new, old),
        [
            change("a::Cache impl core::marker::Send", "added", false),
            change("a::Cache impl core::marker::Sync", "added", false),
        ]
    );
}

#[test]
fn type_aliases_are_judged_by_the_type_they_stand_for() {
    let old = "use std::time::Duration;\n\
               pub type Id = u32;\n\
               pub type Timeout = Duration;\n\
               pub fn get(id: Id) -> Id { id }\n\
               pub fn wait(d: Duration) -> Duration { d }\n\
               pub fn set(t: Timeout) -> Timeout { t }\n";
    // `Id` now stands for another type: it and `get` changed. `wait` names the same type by
    // another path, and `set` takes it without the alias: neither changed.
    let new = "pub type Id = u64;\n\
               pub type Timeout = core::time::Duration;\n\
               pub fn get(id: Id) -> Id { id }\n\
               pub fn wait(d: std::time::Duration) -> std::time::Duration { d }\n\
               pub fn set(t: std::time::Duration) -> Timeout { t }\n";
    assert_eq!(
        changes("alias_swap", old, new),
        [change("a::Id", "changed", true), change("a::get", "changed", true)]
    );
}

#[test]
fn a_method_a_macro_wrote_is_seen_and_its_removal_is_breaking() {
    let lib = |arms: &str| {
        format!(
            "macro_rules! call_options {{\n    () => {{\n{arms}    }};\n}}\n\
             pub struct Builder;\nimpl Builder {{\n    call_options!();\n}}\n"
        )
    };
    let old = lib(
        "        pub fn timeout(self, t: u64) -> Self { let _ = t; self }\n        pub fn retries(self) -> Self { self }\n",
    );
    let new = lib("        pub fn retries(self) -> Self { self }\n");
    assert_eq!(
        changes("macro_method", &old, &new),
        [change("a::Builder::timeout", "removed", true)]
    );
}

#[test]
fn an_item_re_exported_from_another_crate_is_read_under_the_path_users_write() {
    let inner = |methods: &str| format!("pub enum Error {{\n    Timeout,\n}}\nimpl Error {{\n{methods}}}\n");
    let outer = "pub use inner::Error;\npub fn check() -> Result<(), Error> { Ok(()) }\n";
    let with = inner("    pub fn attempts(&self) -> u32 { 1 }\n    pub fn sent(&self) -> bool { true }\n");
    let old = api_of("re_export/old", &[("outer", outer), ("inner", &with)]);
    let new = api_of(
        "re_export/new",
        &[
            ("outer", outer),
            ("inner", &inner("    pub fn sent(&self) -> bool { true }\n")),
        ],
    );
    let signature = |api: &RustApi, path: &str, kind: &str| {
        let item = api.items.iter().find(|i| i.path == path && i.kind == kind);
        item.map(|i| i.signature.clone())
    };
    // The enum, its variant and its methods, and the function naming it, all under `outer`.
    assert_eq!(signature(&old, "outer::Error", "enum").as_deref(), Some("enum Error"));
    assert_eq!(
        signature(&old, "outer::Error::Timeout", "variant").as_deref(),
        Some("Timeout")
    );
    assert_eq!(
        signature(&old, "outer::check", "fn").as_deref(),
        Some("fn check() -> core::result::Result<(), outer::Error>")
    );
    assert!(
        old.items.iter().all(|i| !i.path.starts_with("inner::")),
        "{:#?}",
        old.items
    );
    assert_eq!(
        summarize(&rust_api::compare(&old, &new)),
        [change("outer::Error::attempts", "removed", true)]
    );
}
