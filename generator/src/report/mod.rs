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
//! # Versions
//!
//! The snapshot also records the crate's version. A regeneration that changes the API against
//! the checked-in generation is a release: the version moves by semver as the report says
//! (breaking → a new minor version while the crate is `0.y.z`, anything else → a new patch
//! version; see [`version`]) and the release, with its list of changes, is added to
//! `generated/CHANGELOG.md`. A run that changes nothing, or only documentation, leaves both alone.
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
//! The hand-written runtime (`Client`, `ClientBuilder`, `Error`, `webhooks`, ..) is API too:
//! `report/runtime.rs` lists its public items with their signatures, and a removed item or changed
//! signature is breaking, an added item is not (unless it is a variant of an exhaustive enum, a
//! field of a struct built with literals, or a trait item without default), `#[non_exhaustive]`
//! added is breaking and removed is not, and a new or changed `#[cfg]` is breaking.
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
mod runtime;
mod snapshot;
mod surface;
mod types;
pub mod version;

pub use change::{Change, ChangeKind, Subject};
pub use runtime::RuntimeItem;
pub use snapshot::{CHANGELOG_FILE, CHANGES_FILE, Generation, Recorded, SNAPSHOT_FILE, Snapshot, Source};
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
    // A side without a recorded runtime (an older snapshot) is no baseline: nothing to report.
    if let (Some(old), Some(new)) = (&old.runtime, &new.runtime) {
        runtime::diff(old, new, &mut changes);
    }
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
    /// The release this run makes: its API differs from the checked-in generation's.
    pub release: Option<Release>,
    /// The only news is the runtime's surface (or a kind of its items), recorded for the first
    /// time into a snapshot written before it was: a baseline, not a change (the report and
    /// version are kept).
    pub runtime_baseline: bool,
}

/// The kinds of runtime item listed since the runtime was first recorded: a snapshot with none
/// of one was written before it was listed.
const LATER_RUNTIME_KINDS: [&str; 1] = ["macro method"];

/// Gives `stored` what it could not have recorded from `current`: all of it when it has no
/// runtime, else the items of each [`LATER_RUNTIME_KINDS`] kind it has none of. Whether it did.
fn adopt_unrecorded(stored: &mut Option<Vec<RuntimeItem>>, current: Option<&[RuntimeItem]>) -> bool {
    let Some(current) = current else { return false };
    let Some(old) = stored else {
        *stored = Some(current.to_vec());
        return true;
    };
    let mut adopted = false;
    for kind in LATER_RUNTIME_KINDS {
        if !old.iter().any(|i| i.kind == kind) && current.iter().any(|i| i.kind == kind) {
            old.extend(current.iter().filter(|i| i.kind == kind).cloned());
            adopted = true;
        }
    }
    old.sort_by(|a, b| a.path.cmp(&b.path));
    adopted
}

impl Changes {
    /// Decides what "previous" is. `stored` is the checked-in snapshot, `current` this run's
    /// generation, `since` a generation to compare with instead (`--since`). The version moves
    /// only against the checked-in generation, the last release, whatever `since` is.
    pub fn new(stored: Option<Snapshot>, current: Generation, since: Option<Generation>) -> Changes {
        let mut release = None;
        // What the snapshot could not have recorded (the runtime, before it was recorded; the
        // kinds of runtime item listed since) takes this run's as its baseline: recording it is
        // not a change, and the report and version stay as they are.
        let mut records_runtime = false;
        let stored = stored.map(|mut s| {
            records_runtime = adopt_unrecorded(&mut s.current.surface.runtime, current.surface.runtime.as_deref());
            s
        });
        let (version, releases, report) = match &stored {
            None => (Version::initial(), Vec::new(), None),
            Some(s) if s.current == current => (s.version, s.releases.clone(), s.report.clone()),
            Some(s) => {
                let report = compare(&s.current.surface, &current.surface);
                let bump = Bump::of(&report);
                let version = s.version.bumped(bump);
                let mut releases = s.releases.clone();
                if bump != Bump::None {
                    let made = Release {
                        version,
                        previous: s.version,
                        bump,
                        notes: markdown::release_notes(&report, bump, s.version, &current.source),
                    };
                    releases.push(made.clone());
                    release = Some(made);
                }
                let recorded = Recorded {
                    previous: s.current.source.clone(),
                    changes: report.changes,
                };
                (version, releases, Some(recorded))
            }
        };
        let report = match &since {
            Some(base) => Some(Recorded {
                previous: base.source.clone(),
                changes: compare(&base.surface, &current.surface).changes,
            }),
            None => report,
        };
        let snapshot = Snapshot {
            current,
            report,
            version,
            releases,
        };
        let unchanged = stored.as_ref() == Some(&snapshot);
        Changes {
            snapshot,
            fresh: records_runtime || !unchanged,
            release,
            runtime_baseline: records_runtime && unchanged,
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
                runtime: None,
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
        assert_eq!(second.snapshot.releases.len(), 1);
        assert_eq!(second.snapshot.releases[0].bump, Bump::Minor);
        assert!(second.changelog().contains("\n## 0.1.1\n\nCompatible additions: code that compiled against 0.1.0"));
        assert_eq!((version(&again), again.changelog()), (version(&second), second.changelog()));
        assert_eq!((version(&docs_only), docs_only.changelog()), (version(&second), second.changelog()));
        // A removal breaks: a new minor version, listed first.
        let removed = Changes::new(Some(docs_only.snapshot.clone()), generation("v4", &["B"]), None);
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
        );        // ... and the version moves only against the checked-in generation.
        assert_eq!(version(&since), version(&docs_only));
    }

    fn with_runtime(mut g: Generation, items: &[(&str, &str)]) -> Generation {
        g.surface.runtime = Some(
            items
                .iter()
                .map(|(path, signature)| RuntimeItem {
                    path: (*path).to_owned(),
                    kind: "method".to_owned(),
                    signature: (*signature).to_owned(),
                    cfg: None,
                    non_exhaustive: false,
                    closed: false,
                })
                .collect(),
        );
        g
    }

    #[test]
    fn the_runtime_is_recorded_first_then_compared_like_the_generated_api() {
        let old = Changes::new(None, generation("v1", &["A"]), None);
        let old = Changes::new(Some(old.snapshot), generation("v2", &["A", "B"]), None);
        let items = [("ClientBuilder::deadline", "pub fn deadline(self, deadline: Duration) -> Self")];

        // A snapshot written before the runtime was recorded: the runtime is its baseline, not
        // a change; the report, the version and the changelog stay as they were.
        let recorded = Changes::new(Some(old.snapshot.clone()), with_runtime(generation("v2", &["A", "B"]), &items), None);
        assert!(recorded.fresh && recorded.runtime_baseline && recorded.release.is_none());
        assert_eq!(recorded.snapshot.report, old.snapshot.report);
        assert_eq!((recorded.snapshot.version, recorded.changelog()), (old.snapshot.version, old.changelog()));
        let text = recorded.snapshot.to_text().unwrap_or_else(|e| panic!("{e}"));
        assert!(text.ends_with("  \"runtime\": [\n    {\"path\":\"ClientBuilder::deadline\",\"kind\":\"method\",\"signature\":\"pub fn deadline(self, deadline: Duration) -> Self\"}\n  ]\n}\n"), "{text}");
        assert_eq!(Snapshot::parse(&text).as_ref(), Ok(&recorded.snapshot));
        let again = Changes::new(Some(recorded.snapshot.clone()), with_runtime(generation("v2", &["A", "B"]), &items), None);
        assert!(!again.fresh && !again.runtime_baseline);

        // Macro methods, listed since: the run's are the baseline of a snapshot that has none.
        let mut listed = with_runtime(generation("v2", &["A", "B"]), &items);
        if let Some(runtime) = &mut listed.surface.runtime {
            runtime.push(RuntimeItem {
                path: "call_options!()::timeout".to_owned(),
                kind: "macro method".to_owned(),
                signature: "pub fn timeout(self, timeout: Duration) -> Self".to_owned(),
                cfg: None,
                non_exhaustive: false,
                closed: false,
            });
        }
        let baseline = Changes::new(Some(again.snapshot.clone()), listed.clone(), None);
        assert!(baseline.fresh && baseline.runtime_baseline && baseline.release.is_none());
        assert_eq!(baseline.snapshot.report, old.snapshot.report);
        assert_eq!(baseline.snapshot.version, old.snapshot.version);
        assert_eq!(baseline.snapshot.current, listed);
        // ... and once recorded, removing one is a change like any other.
        let gone = Changes::new(Some(baseline.snapshot.clone()), again.snapshot.current.clone(), None);
        assert_eq!(gone.release.as_ref().map(|r| r.bump), Some(Bump::Major));

        // A runtime method removed: a breaking release, named in CHANGES.md and CHANGELOG.md.
        let removed = Changes::new(Some(again.snapshot.clone()), with_runtime(generation("v2", &["A", "B"]), &[]), None);
        assert_eq!(removed.snapshot.version.to_string(), "0.2.0");
        assert_eq!(removed.release.as_ref().map(|r| r.bump), Some(Bump::Major));
        let line = "- runtime `dwolla::ClientBuilder::deadline`: method removed: \
                    `pub fn deadline(self, deadline: Duration) -> Self` — *code that names it no longer compiles*\n";
        assert!(removed.markdown().contains(line), "{}", removed.markdown());
        assert!(removed.markdown().contains("Types: 0 added, 0 removed, 0 changed. Runtime items: 0 added, 1 removed, 0 changed."));
        assert!(removed.changelog().contains(line), "{}", removed.changelog());
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
