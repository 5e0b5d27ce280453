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
//! `generated/api-surface.json` ([`Snapshot`]). When a run produces a surface or digests
//! different from the checked-in ones, the checked-in generation becomes "previous": the
//! report compares the two and the snapshot is replaced. When nothing changed, the snapshot
//! and `CHANGES.md` stay as they are, so running `codegen` twice changes nothing, and
//! `--check` verifies both files like any other output (`CHANGES.md` is rendered from the
//! snapshot alone). Everything needed is in the working tree: a fresh clone, or a tarball,
//! gives the same report, with no git history involved. A change to the generator that
//! changes the surface is reported too: it is a change for users all the same.
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
//! Trait impls that follow from these facts (`Default` and `From<T>` on structs users build)
//! change only together with a listed change that is already breaking: a required field added
//! or removed, a field made optional or required. Not tracked: the `From` impls of unions users
//! build, documentation, and runtime behaviour such as which union variant a value decodes
//! into.
//!

mod change;
mod markdown;
mod operations;
mod snapshot;
mod surface;
mod types;

pub use change::{Change, ChangeKind, Subject};
pub use snapshot::{CHANGES_FILE, Generation, Recorded, SNAPSHOT_FILE, Snapshot, Source};
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
    operations::diff(old, new, &m, &mut changes);
    types::diff(old, new, &m, &mut changes);
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
}

impl Changes {
    /// Decides what "previous" is. `stored` is the checked-in snapshot, `current` this run's
    /// generation, `since` a generation to compare with instead (`--since`).
    pub fn new(stored: Option<Snapshot>, current: Generation, since: Option<Generation>) -> Changes {
        let recorded = |previous: &Generation, current: &Generation| Recorded {
            previous: previous.source.clone(),
            changes: compare(&previous.surface, &current.surface).changes,
        };
        let snapshot = match (&since, &stored) {
            (Some(base), _) => Snapshot {
                report: Some(recorded(base, &current)),
                current,
            },
            (None, Some(s)) if s.current == current => s.clone(),
            (None, Some(s)) => Snapshot {
                report: Some(recorded(&s.current, &current)),
                current,
            },
            (None, None) => Snapshot { current, report: None },
        };
        let fresh = stored.as_ref() != Some(&snapshot);
        Changes { snapshot, fresh }
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

    /// The files this adds to `generated/`: the snapshot and `CHANGES.md`.
    pub fn files(&self) -> Result<[(String, String); 2]> {
        Ok([
            (SNAPSHOT_FILE.to_owned(), self.snapshot.to_text()?),
            (CHANGES_FILE.to_owned(), self.markdown()),
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
        );
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
