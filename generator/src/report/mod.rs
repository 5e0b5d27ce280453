//! The change report: what a regeneration changed for code that uses the `dwolla` crate.
//!
//! This is a stage of its own, after [`crate::ir`] and beside [`crate::codegen`]: it reads two
//! IRs (as [`Surface`]s, plain data read off each IR) and never looks at tokens or files.
//! `cargo xtask codegen` prints the report and keeps it in `generated/CHANGES.md`.
//!
//! # What "previous" is
//!
//! The previous crate is the one checked in under `generated/`. Its surface, the digests of
//! the spec and overlay it was made from, and the report of the run that made it are kept in
//! `generated/api-surface.json` ([`Snapshot`]), with the last published release (see
//! "Versions"). When a run produces a surface or digests
//! different from the checked-in ones, the checked-in generation becomes "previous": the
//! report compares the two and the snapshot is replaced. When nothing changed, the snapshot
//! and `CHANGES.md` stay as they are, so running `codegen` twice changes nothing, and
//! `--check` verifies both files like any other output (`CHANGES.md` is rendered from the
//! snapshot alone). Everything needed is in the working tree: a fresh clone, or a tarball,
//! gives the same report, with no git history involved. A change to the generator that
//! changes the surface is reported too: it is a change for users all the same.
//!
//! # Versions
//!
//! The snapshot also records the crate's version and the generation of the last *published*
//! release (its surface, digests and version). The version is measured against that release,
//! not against the checked-in generation: the API changes since it make the *pending* release,
//! numbered by semver as its report says (breaking → a new minor version while the crate is
//! `0.y.z`, anything else → a new patch version; see [`version`]). Every regeneration measures
//! the pending release again and replaces its entry in `generated/CHANGELOG.md`, so the changes
//! made one after another before a release ship as one release listing all of them, and a
//! change that is undone drops out of it (with none left, there is no entry and the version is
//! the published one). A run that changes nothing leaves both alone.
//!
//! `cargo xtask release` ([`Snapshot::publish`]) marks the pending release published: the
//! checked-in generation becomes the one the next pending release is measured against. The
//! first recorded generation counts as published, and so does the checked-in generation of a
//! snapshot written before published releases were recorded.
//!
//! `CHANGES.md` (and what `cargo xtask codegen` prints) is the report of the last run alone:
//! what it changed against the checked-in generation, then a line naming the pending release.
//! The pending release's full list is its `CHANGELOG.md` entry; writing it into `CHANGES.md`
//! too would give it two homes, and a maintainer reviewing a change wants to see what that
//! change did, which the full list since the release buries.
//!
//! `cargo xtask codegen --since <spec.yaml>` compares with a spec file instead (generated with
//! today's overlay): for a first report, after a snapshot was lost, or to review the changes
//! across several revisions at once.
//!
//! # Identity
//!
//! Things are compared by what stays put when the spec is reordered: operations by
//! operationId; component types by component schema name; inline types by where the spec
//! defines them, then by Rust name, then by identical contents (`report/types.rs` says when); fields by wire
//! name; enum values by wire value; parameters by location and wire name; union variants by
//! the type they hold, then by name. Type expressions name types by that identity, so
//! renaming a type is one change, not one per field that mentions it. The enum of an
//! `x-dwolla-variants` view counts as a type of its own, a union of its variants.
//!
//! # Breaking or not
//!
//! *Breaking* means that code which compiled against the previous crate may have to change:
//! it stops compiling, or (reordered arguments of the same type) compiles with another
//! meaning. Every struct and enum is `#[non_exhaustive]`, every string enum has
//! `Unknown(String)`, and structs users build have `new(required..)` plus `with_x` setters, so:
//!
//! | change | breaking? | because |
//! |---|---|---|
//! | operation, type, enum value, union variant, `ApiErrorBody` variant added | no | `#[non_exhaustive]`; new names touch no existing code |
//! | optional field added | no | no code can build or destructure the struct exhaustively |
//! | required field added to a type users only read (not [`TypeEntry::in_request`](crate::ir::TypeEntry::in_request)) | no | it has no constructor; decoding now expects the field |
//! | required field added to a type users build (`in_request`, not a const) | **yes** | `new(..)` takes one more argument |
//! | optional parameter (or body, or part) added | no | one more setter |
//! | required parameter (or body, or part) added | **yes** | the method takes one more argument |
//! | anything removed (operation, type, field, parameter, value, variant, helper method) | **yes** | code that names it no longer compiles |
//! | type of a field, parameter, body, variant, alias, `additional_properties` or success result changed | **yes** | another Rust type |
//! | optional field made required, or required made optional (`Option<T>` ↔ `T`) | **yes** | another Rust type |
//! | parameter optional ↔ required | **yes** | a setter became an argument or the reverse |
//! | required inputs in another order | **yes** | positional arguments |
//! | Rust name of a type, field, enum variant, setter or method chain changed | **yes** | code uses the old name |
//! | Rust name of a required parameter changed | no | positional arguments have no name at the call site |
//! | kind of type changed (struct, enum, union, alias, const) | **yes** | code built, matched or read it as the old kind |
//! | type no longer in any request (loses `new(..)`) | **yes** | the constructor is gone; gaining one is not breaking |
//! | type or operation moved to another feature module | **yes**, unless into an always-compiled module | builds with only the old feature lose it |
//! | HTTP method or path, body media type, error statuses or their bodies, const value, `required` of a nullable field, deprecation | no | the Rust call and types are unchanged; listed for review |
//! | a schema renamed in the spec (or inlined, or extracted) under the same Rust name | no | the Rust type is the same |
//!
//! # The Rust API
//!
//! The spec-level report above judges what the spec changed. The crate as compiled is judged
//! by [`rust_api`]: rustdoc's view of every public item (the hand-written runtime, methods a
//! macro writes, trait impls and auto traits, type aliases resolved), compared with the last
//! published release's by `cargo xtask semver`, which records the changes in
//! `generated/rust-api.json`. Codegen reads that record, never rustdoc: the pending release
//! is numbered by the larger of the two verdicts, and its changelog entry lists the Rust
//! changes too (all of the hand-written code's, and the breaking ones of the code made from
//! the spec, whose compatible ones the spec-level list already describes).
//!
//! Trait impls that follow from these facts (`Default` and `From<T>` on structs users build)
//! change only together with a listed change that is already breaking: a required field added
//! or removed, a field made optional or required. Not tracked: the `From` impls of unions users
//! build, documentation, and runtime behaviour such as which union variant a value decodes
//! into.
//!

mod change;
mod markdown;
mod operations;
mod pairing;
pub mod rust_api;
mod snapshot;
mod surface;
mod types;
pub mod version;

pub use change::{Change, ChangeKind, Subject};
pub use snapshot::{CHANGELOG_FILE, CHANGES_FILE, Generation, Published, Recorded, SNAPSHOT_FILE, Snapshot, Source};
pub use version::{Bump, Release, Version};
pub use surface::{
    ErrorFacts, FieldFacts, InputFacts, OperationFacts, ShapeFacts, Surface, TypeFacts, ValueFacts, VariantFacts,
};

use crate::error::Result;
use crate::ir::Ir;

/// The changes between two generations, grouped by subject (operations, then types, then
/// `ApiErrorBody`), each group in the order the comparison found them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub changes: Vec<Change>,
}

impl Report {
    pub fn breaking(&self) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(|c| c.breaking())
    }
}

/// Compares two surfaces: `old` the previous generation, `new` this one.
pub fn compare(old: &Surface, new: &Surface) -> Report {
    let m = types::match_types(old, new);
    let mut changes = Vec::new();
    operations::diff(&m, &mut changes);
    types::diff(&m, &mut changes);
    changes.sort_by(|a, b| a.subject.cmp(&b.subject));
    Report { changes }
}

/// Compares the surfaces of two IRs.
pub fn compare_irs(old: &Ir, new: &Ir) -> Report {
    compare(&Surface::of(old), &Surface::of(new))
}

/// The outcome of one run: the snapshot to keep in `generated/`, which holds the report.
#[derive(Clone, Debug)]
pub struct Changes {
    pub snapshot: Snapshot,
    /// The snapshot differs from the checked-in one: this run made a new report.
    pub fresh: bool,
    /// The pending release, when this run changed it (its version or its list of changes);
    /// `None` when it is as the checked-in snapshot had it, or when nothing is pending now.
    pub release: Option<Release>,
}

/// The snapshot after a run whose generation `current` differs from the checked-in one in
/// `stored`: the report says what this run changed, and the pending release is measured
/// again against the published one, its entry replaced.
fn regenerated(stored: &Snapshot, current: Generation) -> Snapshot {
    let report = Recorded {
        previous: stored.current.source.clone(),
        changes: compare(&stored.current.surface, &current.surface).changes,
    };
    Snapshot {
        version: stored.version,
        report: Some(report),
        releases: stored.releases.clone(),
        pending: stored.pending.clone(),
        published: stored.published.clone(),
        current,
    }
}

/// Measures the pending release of `snapshot` again: the spec-level changes since the
/// published release and `rust`, the Rust API's changes since it (`generated/rust-api.json`).
fn measure_pending(snapshot: &mut Snapshot, rust: &[Change]) {
    snapshot.pending = pending_release(&snapshot.published, &snapshot.current, rust);
    snapshot.version = snapshot.pending.as_ref().map_or(snapshot.published.version, |p| p.version);
}

/// The release `current` makes after `published`: every change to the API since, numbered by
/// the larger of [`Bump::of`] the spec-level changes and of the Rust API's (`rust`); `None`
/// when the API is the published one.
fn pending_release(published: &Published, current: &Generation, rust: &[Change]) -> Option<Release> {
    let report = compare(&published.generation.surface, &current.surface);
    let rust = Report { changes: rust.to_vec() };
    let bump = Bump::of(&report).max(Bump::of(&rust));
    (bump != Bump::None).then(|| Release {
        version: published.version.bumped(bump),
        previous: published.version,
        bump,
        notes: markdown::release_notes(&report, &rust, bump, published.version, &current.source),
    })
}

impl Changes {
    /// Decides what "previous" is. `stored` is the checked-in snapshot, `current` this run's
    /// generation, `since` a generation to compare with instead (`--since`). The version moves
    /// only against the last published release, whatever `since` is.
    pub fn new(stored: Option<Snapshot>, current: Generation, since: Option<Generation>) -> Changes {
        Changes::with_rust(stored, current, since, &[])
    }

    /// [`Changes::new`], with `rust` the Rust API's changes since the published release, as
    /// `cargo xtask semver` recorded them: the pending release is the larger of the two
    /// verdicts.
    pub fn with_rust(stored: Option<Snapshot>, current: Generation, since: Option<Generation>, rust: &[Change]) -> Changes {
        let mut snapshot = match &stored {
            None => Snapshot::first(current.clone()),
            Some(s) if s.current == current => s.clone(),
            Some(s) => regenerated(s, current.clone()),
        };
        measure_pending(&mut snapshot, rust);
        if let Some(base) = &since {
            snapshot.report = Some(Recorded {
                previous: base.source.clone(),
                changes: compare(&base.surface, &current.surface).changes,
            });
        }
        let unchanged = stored.as_ref() == Some(&snapshot);
        let release = match &stored {
            Some(s) if s.pending != snapshot.pending => snapshot.pending.clone(),
            _ => None,
        };
        Changes {
            snapshot,
            fresh: !unchanged,
            release,
        }
    }

    /// The report the snapshot holds; `None` when no earlier generation was recorded.
    pub fn report(&self) -> Option<Report> {
        self.snapshot.report.as_ref().map(|r| Report {
            changes: r.changes.clone(),
        })
    }

    /// `CHANGES.md`.
    pub fn markdown(&self) -> String {
        markdown::document(&self.snapshot)
    }

    /// `CHANGELOG.md`.
    pub fn changelog(&self) -> String {
        markdown::changelog(&self.snapshot)
    }

    /// The files this adds to `generated/`: the snapshot, `CHANGES.md` and `CHANGELOG.md`.
    pub fn files(&self) -> Result<[(String, String); 3]> {
        Ok([
            (SNAPSHOT_FILE.to_owned(), self.snapshot.to_text()?),
            (CHANGES_FILE.to_owned(), self.markdown()),
            (CHANGELOG_FILE.to_owned(), self.changelog()),
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn generation(spec: &str, types: &[&str]) -> Generation {
        Generation {
            source: Source::of(spec, None),
            surface: Surface {
                types: types
                    .iter()
                    .map(|n| TypeFacts {
                        key: (*n).to_owned(),
                        name: (*n).to_owned(),
                        module: crate::ir::COMMON_MODULE.to_owned(),
                        features: Vec::new(),
                        origin: format!("#/components/schemas/{n}"),
                        in_request: false,
                        shape: ShapeFacts::Enum { values: Vec::new() },
                    })
                    .collect(),
                operations: Vec::new(),
                error_bodies: Vec::new(),
            },
        }
    }

    #[test]
    fn previous_is_the_checked_in_generation_until_something_changes() {
        // Nothing recorded: a baseline without a report.
        let first = Changes::new(None, generation("v1", &["A"]), None);
        assert!(first.fresh && first.report().is_none());

        // A new spec with a new type: compared with the checked-in generation.
        let second = Changes::new(Some(first.snapshot.clone()), generation("v2", &["A", "B"]), None);
        assert!(second.fresh);
        let changes = second.report().map(|r| r.changes).unwrap_or_default();
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].kind, ChangeKind::TypeAdded { kind: "enum".into() });
        assert_eq!(
            second.snapshot.report.as_ref().map(|r| &r.previous),
            Some(&Source::of("v1", None))
        );

        // The same inputs again: the snapshot, and so CHANGES.md, stay as they are.
        let again = Changes::new(Some(second.snapshot.clone()), generation("v2", &["A", "B"]), None);
        assert!(!again.fresh);
        assert_eq!(again.snapshot, second.snapshot);
        assert_eq!(again.markdown(), second.markdown());

        // A spec that changes nothing users see still makes a new (empty) report.
        let docs_only = Changes::new(Some(again.snapshot.clone()), generation("v3", &["A", "B"]), None);
        assert!(docs_only.fresh);
        assert_eq!(docs_only.report().map(|r| r.changes.len()), Some(0));
        assert!(docs_only.markdown().contains("**No changes to the API.**"));

        // Versions: the baseline is the first version; an addition is a patch release of a
        // 0.y.z crate, with its entry; the same inputs again, or documentation only, change
        // neither.
        let version = |c: &Changes| c.snapshot.version.to_string();
        assert_eq!(version(&first), "0.1.0");
        assert_eq!(version(&second), "0.1.1");
        assert_eq!(second.snapshot.pending.as_ref().map(|r| r.bump), Some(Bump::Minor));
        assert!(second.changelog().contains(
            "\n## 0.1.1\n\n*Not published yet: this entry lists the changes so far.*\n\n\
             Compatible additions: code that compiled against 0.1.0"
        ));
        assert_eq!((version(&again), again.changelog()), (version(&second), second.changelog()));
        // Documentation only: the same version, whose pending entry now names the new spec.
        assert_eq!(version(&docs_only), version(&second));
        assert_eq!(versions_in(&docs_only.changelog()), versions_in(&second.changelog()));
        // Once 0.1.1 is published, a removal breaks: a new minor version, listed first.
        let mut published = docs_only.snapshot.clone();
        assert_eq!(published.publish().map(|v| v.to_string()).as_deref(), Some("0.1.1"));
        let removed = Changes::new(Some(published), generation("v4", &["B"]), None);
        assert_eq!(version(&removed), "0.2.0");
        let log = removed.changelog();
        let (newest, older) = (log.find("\n## 0.2.0\n"), log.find("\n## 0.1.1\n"));
        assert!(newest.is_some() && newest < older && log.contains("\n## 0.1.0\n"), "{log}");
        assert!(log.contains("Breaking: code that compiled against 0.1.1 may have to change."), "{log}");

        // `--since` compares with the given generation whatever is checked in.
        let since = Changes::new(
            Some(docs_only.snapshot.clone()),
            generation("v3", &["A", "B"]),
            Some(generation("v0", &["B", "C"])),
        );
        let kinds: Vec<ChangeKind> = since
            .report()
            .map(|r| r.changes)
            .unwrap_or_default()
            .into_iter()
            .map(|c| c.kind)
            .collect();
        assert_eq!(
            kinds,
            vec![
                ChangeKind::TypeAdded { kind: "enum".into() },
                ChangeKind::TypeRemoved { kind: "enum".into() }
            ]
        );        // ... and the version moves only against the published release.
        assert_eq!(version(&since), version(&docs_only));
    }

    fn versions_in(changelog: &str) -> Vec<&str> {
        changelog
            .lines()
            .filter_map(|l| l.strip_prefix("## "))
            .collect()
    }

    #[test]
    fn two_breaking_regenerations_make_one_pending_release_listing_both() {
        let published = Changes::new(None, generation("v1", &["A", "B", "C"]), None);
        let first = Changes::new(Some(published.snapshot.clone()), generation("v2", &["A", "B"]), None);
        let second = Changes::new(Some(first.snapshot.clone()), generation("v3", &["A"]), None);
        // One release, measured against the published 0.1.0: the next minor version, whose
        // entry replaces the first run's and lists both removals.
        assert_eq!(first.snapshot.version.to_string(), "0.2.0");
        assert_eq!(second.snapshot.version.to_string(), "0.2.0");
        let log = second.changelog();
        assert_eq!(versions_in(&log), ["0.2.0", "0.1.0"], "{log}");
        assert!(log.contains("Breaking: code that compiled against 0.1.0 may have to change."), "{log}");
        assert!(log.contains("**2 breaking changes, 0 not breaking.**"), "{log}");
        // This run changed the pending release's list, though not its version.
        assert_eq!(second.release.as_ref().map(|r| r.version.to_string()).as_deref(), Some("0.2.0"));
        // What the run itself changed (printed, and in CHANGES.md): the last removal alone.
        assert_eq!(second.report().map(|r| r.changes.len()), Some(1));
        assert!(second.markdown().contains("**1 breaking change, 0 not breaking.**"));
        assert!(second.markdown().contains("Pending release 0.2.0, not published yet."));
    }

    #[test]
    fn a_change_undone_before_release_leaves_nothing_pending() {
        let published = Changes::new(None, generation("v1", &["A"]), None);
        let added = Changes::new(Some(published.snapshot.clone()), generation("v2", &["A", "B"]), None);
        assert_eq!(added.snapshot.version.to_string(), "0.1.1");
        let undone = Changes::new(Some(added.snapshot.clone()), generation("v3", &["A"]), None);
        // Back to the published version, with no entry: the API is the published one.
        assert_eq!(undone.snapshot.version.to_string(), "0.1.0");
        assert_eq!(undone.changelog(), published.changelog());
        assert!(undone.release.is_none());
        assert!(undone.markdown().contains("Version 0.1.0 is published; the API has not changed since."));
    }

    #[test]
    fn release_publishes_the_pending_version_and_the_next_change_starts_another() {
        let first = Changes::new(None, generation("v1", &["A"]), None);
        let added = Changes::new(Some(first.snapshot.clone()), generation("v2", &["A", "B"]), None);
        let mut released = added.snapshot.clone();
        assert_eq!(released.publish().map(|v| v.to_string()).as_deref(), Some("0.1.1"));
        assert!(released.pending.is_none() && released.published.generation == released.current);
        // Nothing pending: publishing again changes nothing.
        let mut again = released.clone();
        assert_eq!(again.publish(), None);
        assert_eq!(again, released);
        // The same inputs after a release: nothing to write.
        let rerun = Changes::new(Some(released.clone()), generation("v2", &["A", "B"]), None);
        assert!(!rerun.fresh && rerun.release.is_none());
        assert_eq!(rerun.snapshot, released);
        let log = rerun.changelog();
        assert_eq!(versions_in(&log), ["0.1.1", "0.1.0"], "{log}");
        assert!(!log.contains("Not published yet"), "{log}");
        // The next change is measured against 0.1.1.
        let next = Changes::new(Some(released), generation("v3", &["A", "B", "C"]), None);
        assert_eq!(next.snapshot.version.to_string(), "0.1.2");
        let log = next.changelog();
        assert_eq!(versions_in(&log), ["0.1.2", "0.1.1", "0.1.0"], "{log}");
        assert!(log.contains("Compatible additions: code that compiled against 0.1.1 still does."), "{log}");
        assert_eq!(next.snapshot.pending.as_ref().map(|r| r.previous.to_string()).as_deref(), Some("0.1.1"));
    }

    #[test]
    fn a_snapshot_without_a_published_release_reads_as_published() {
        let mut old = Snapshot::first(generation("v1", &["A", "B"]));
        old.version = Version::parse("0.2.0").unwrap_or_else(|e| panic!("{e}"));
        let text = old.to_text().unwrap_or_else(|e| panic!("{e}"));
        let text = text.replace("  \"pending\": null,\n", "");
        assert!(!text.contains("pending") && !text.contains("published"), "{text}");
        let read = Snapshot::parse(&text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(read.published.version.to_string(), "0.2.0");
        assert_eq!(read.published.generation, read.current);
        assert!(read.pending.is_none());
        // A breaking change is measured against it: 0.3.0, from 0.2.0.
        let next = Changes::new(Some(read), generation("v2", &["A"]), None);
        assert_eq!(next.snapshot.version.to_string(), "0.3.0");
        assert_eq!(next.snapshot.pending.as_ref().map(|r| r.previous.to_string()).as_deref(), Some("0.2.0"));
    }

    fn rust_removed(path: &str) -> Change {
        Change {
            subject: Subject::Rust {
                path: path.to_owned(),
                spec: false,
            },
            kind: ChangeKind::RustRemoved {
                kind: "method".to_owned(),
                signature: "fn deadline(self, core::time::Duration) -> Self".to_owned(),
            },
        }
    }

    #[test]
    fn the_version_is_the_larger_of_the_spec_and_rust_verdicts() {
        let published = Changes::new(None, generation("v1", &["A"]), None);
        // An addition in the spec and a Rust method removed: a breaking release, whose entry
        // names the Rust change.
        let rust = [rust_removed("dwolla::ClientBuilder::deadline")];
        let both = Changes::with_rust(Some(published.snapshot.clone()), generation("v2", &["A", "B"]), None, &rust);
        assert_eq!(both.snapshot.version.to_string(), "0.2.0");
        assert_eq!(both.release.as_ref().map(|r| r.bump), Some(Bump::Major));
        let line = "- Rust `dwolla::ClientBuilder::deadline`: method removed: \
                    `fn deadline(self, core::time::Duration) -> Self` — *code that names it no longer compiles*\n";
        assert!(both.changelog().contains(line), "{}", both.changelog());
        assert!(both.changelog().contains("Types: 1 added, 0 removed, 0 changed. Rust items: 0 added, 1 removed, 0 changed."));
        // The spec unchanged, the Rust API changed: a release all the same.
        let rust_only = Changes::with_rust(Some(published.snapshot.clone()), generation("v1", &["A"]), None, &rust);
        assert!(rust_only.fresh);
        assert_eq!(rust_only.snapshot.version.to_string(), "0.2.0");
        // Neither changed: none.
        let none = Changes::with_rust(Some(published.snapshot.clone()), generation("v1", &["A"]), None, &[]);
        assert!(!none.fresh && none.snapshot.pending.is_none());
    }
}

#[cfg(test)]
mod feature_tests {
    use super::change::ChangeKind;

    fn moved(from: &str, from_features: &[&str], to: &str, to_features: &[&str]) -> ChangeKind {
        ChangeKind::FeatureChanged {
            from: from.into(),
            to: to.into(),
            from_features: from_features.iter().map(|f| (*f).to_owned()).collect(),
            to_features: to_features.iter().map(|f| (*f).to_owned()).collect(),
        }
    }

    #[test]
    fn a_move_is_breaking_exactly_when_some_build_loses_the_type() {
        // Into the shared core with its old group among the new ones: every build keeps it.
        assert!(!moved("client_tokens", &[], "common", &["client-tokens", "sandbox-simulations"]).breaking());
        // Into the core compiled by every build.
        assert!(!moved("transfers", &[], "common", &[]).breaking());
        // From every build to some: a build with none of them loses it.
        assert!(moved("common", &[], "common", &["accounts"]).breaking());
        // Its old group no longer uses it.
        assert!(moved("client_tokens", &[], "common", &["sandbox-simulations", "transfers"]).breaking());
        // Out of the core into one group.
        assert!(moved("common", &["accounts", "transfers"], "transfers", &[]).breaking());
    }
}
