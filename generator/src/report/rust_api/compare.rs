//! Comparing two views of the Rust API: the rules of "Breaking or not" in [`super`], applied
//! to items paired by path and kind.

use std::collections::{BTreeMap, BTreeSet};

use super::{RustApi, RustItem};
use crate::report::change::{Change, ChangeKind, Subject};

/// The changes from `old` to `new`, in path order; what is inside an item removed or added is
/// part of that change and left out.
pub fn compare(old: &RustApi, new: &RustApi) -> Vec<Change> {
    let key = |i: &RustItem| (i.path.clone(), i.kind.clone());
    let old: BTreeMap<_, &RustItem> = old.items.iter().map(|i| (key(i), i)).collect();
    let new: BTreeMap<_, &RustItem> = new.items.iter().map(|i| (key(i), i)).collect();
    let gone = |from: &BTreeMap<(String, String), &RustItem>,
                to: &BTreeMap<(String, String), &RustItem>|
     -> BTreeSet<String> {
        from.keys()
            .filter(|k| !to.contains_key(*k) && k.1 != EXHAUSTIVE)
            .map(|k| k.0.clone())
            .collect()
    };
    let (removed, added) = (gone(&old, &new), gone(&new, &old));
    let mut changes = Vec::new();
    for (k, o) in &old {
        match new.get(k) {
            None if !within(o, &removed) => changes.push(change(
                o,
                ChangeKind::RustRemoved {
                    kind: o.kind.clone(),
                    signature: o.signature.clone(),
                },
            )),
            Some(n) if n.signature != o.signature => changes.push(change(
                n,
                ChangeKind::RustChanged {
                    kind: n.kind.clone(),
                    from: o.signature.clone(),
                    to: n.signature.clone(),
                },
            )),
            _ => {}
        }
    }
    for (k, n) in &new {
        if !old.contains_key(k) && !within(n, &added) {
            changes.push(change(
                n,
                ChangeKind::RustAdded {
                    kind: n.kind.clone(),
                    signature: n.signature.clone(),
                    closed: n.closed,
                },
            ));
        }
    }
    changes.sort_by(|a, b| a.subject.cmp(&b.subject));
    changes
}

fn change(item: &RustItem, kind: ChangeKind) -> Change {
    Change {
        subject: Subject::Rust {
            path: item.path.clone(),
            spec: item.spec,
        },
        kind,
    }
}

/// The kind of the entry a struct, enum or variant without `#[non_exhaustive]` has.
const EXHAUSTIVE: &str = "exhaustive";

/// Whether `item` is part of one of `parents`: a member (`::`) or trait impl (` impl `) of it,
/// or its `exhaustive` entry.
fn within(item: &RustItem, parents: &BTreeSet<String>) -> bool {
    let path = item.path.as_str();
    let ends = path
        .match_indices("::")
        .chain(path.match_indices(" impl "))
        .map(|(i, _)| i);
    let mut ends = ends.into_iter();
    (item.kind == EXHAUSTIVE && parents.contains(path)) || ends.any(|end| parents.contains(&path[..end]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(path: &str, kind: &str, signature: &str) -> RustItem {
        RustItem {
            path: path.to_owned(),
            kind: kind.to_owned(),
            signature: signature.to_owned(),
            closed: false,
            spec: false,
        }
    }

    fn api(items: &[RustItem]) -> RustApi {
        RustApi { items: items.to_vec() }
    }

    fn verdicts(changes: &[Change]) -> Vec<(String, bool)> {
        changes
            .iter()
            .map(|c| match &c.subject {
                Subject::Rust { path, .. } => (path.clone(), c.breaking()),
                other => panic!("not a Rust change: {other:?}"),
            })
            .collect()
    }

    #[test]
    fn removed_or_changed_breaks_and_added_does_not() {
        let old = api(&[
            item("a::Client", "struct", "struct Client { .. }"),
            item(
                "a::Client::deadline",
                "method",
                "fn deadline(self, core::time::Duration) -> Self",
            ),
            item("a::Client::timeout", "method", "fn timeout(self, u32) -> Self"),
        ]);
        let new = api(&[
            item("a::Client", "struct", "struct Client { .. }"),
            item("a::Client::retries", "method", "fn retries(self, u32) -> Self"),
            item("a::Client::timeout", "method", "fn timeout(self, u64) -> Self"),
        ]);
        assert_eq!(
            verdicts(&compare(&old, &new)),
            [
                ("a::Client::deadline".to_owned(), true),
                ("a::Client::retries".to_owned(), false),
                ("a::Client::timeout".to_owned(), true)
            ]
        );
    }

    #[test]
    fn an_addition_to_what_code_can_be_exhaustive_over_breaks() {
        let mut variant = item("a::E::B", "variant", "B");
        variant.closed = true;
        let old = api(&[
            item("a::E", "enum", "enum E"),
            item("a::E", "exhaustive", "without #[non_exhaustive]"),
        ]);
        let new = api(&[
            item("a::E", "enum", "enum E"),
            item("a::E", "exhaustive", "without #[non_exhaustive]"),
            variant,
        ]);
        assert_eq!(verdicts(&compare(&old, &new)), [("a::E::B".to_owned(), true)]);
        // `#[non_exhaustive]` added removes the `exhaustive` entry: breaking; taken away, not.
        let marked = api(&[item("a::E", "enum", "enum E")]);
        assert_eq!(verdicts(&compare(&old, &marked)), [("a::E".to_owned(), true)]);
        assert_eq!(verdicts(&compare(&marked, &old)), [("a::E".to_owned(), false)]);
    }

    #[test]
    fn a_lost_auto_trait_breaks_and_a_gained_one_does_not() {
        let send = item(
            "a::S impl core::marker::Send",
            "auto trait impl",
            "impl core::marker::Send for a::S",
        );
        let with = api(&[item("a::S", "struct", "struct S { .. }"), send]);
        let without = api(&[item("a::S", "struct", "struct S { .. }")]);
        assert_eq!(
            verdicts(&compare(&with, &without)),
            [("a::S impl core::marker::Send".to_owned(), true)]
        );
        assert_eq!(
            verdicts(&compare(&without, &with)),
            [("a::S impl core::marker::Send".to_owned(), false)]
        );
    }

    #[test]
    fn what_is_inside_a_removed_or_added_item_is_not_listed_again() {
        let old = api(&[
            item("a::S", "struct", "struct S { .. }"),
            item("a::S::f", "field", "f: u8"),
            item(
                "a::S impl core::clone::Clone",
                "impl",
                "impl core::clone::Clone for a::S",
            ),
            item("a::Sx", "struct", "struct Sx { .. }"),
        ]);
        let new = api(&[
            item("a::Sx", "struct", "struct Sx { .. }"),
            item("a::T", "struct", "struct T { .. }"),
            item("a::T", "exhaustive", "without #[non_exhaustive]"),
            item("a::T::g", "field", "g: u8"),
        ]);
        assert_eq!(
            verdicts(&compare(&old, &new)),
            [("a::S".to_owned(), true), ("a::T".to_owned(), false)]
        );
    }
}
