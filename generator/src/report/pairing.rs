//! Two versions of a list matched entry by entry: what is new, what both have, what is gone.
//!
//! Every list the report compares (operations, inputs, error statuses, fields, enum values,
//! helper methods, `ApiErrorBody` variants) is compared this way; only what counts as "the same
//! entry" differs, and the caller says it.

/// One entry of two versions of a list.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Paired<'a, T> {
    /// In the new list only.
    Added(&'a T),
    /// In both: the old entry and the new one.
    Both(&'a T, &'a T),
    /// In the old list only.
    Removed(&'a T),
}

/// The entries of `new` in order, each paired with the first entry of `old` that
/// `same(old_entry, new_entry)` says it is, then the entries of `old` no entry of `new` is.
pub(super) fn pair_lists<'a, T>(old: &'a [T], new: &'a [T], same: impl Fn(&T, &T) -> bool) -> Vec<Paired<'a, T>> {
    let mut paired: Vec<_> = new
        .iter()
        .map(|n| match old.iter().find(|o| same(o, n)) {
            Some(o) => Paired::Both(o, n),
            None => Paired::Added(n),
        })
        .collect();
    paired.extend(
        old.iter()
            .filter(|o| !new.iter().any(|n| same(o, n)))
            .map(Paired::Removed),
    );
    paired
}

#[cfg(test)]
mod tests {
    use super::Paired::*;
    use super::*;

    #[test]
    fn new_entries_come_in_order_then_the_removed_ones() {
        let old = [(1, 'a'), (2, 'b'), (3, 'c')];
        let new = [(3, 'C'), (4, 'd'), (1, 'a')];
        let same = |o: &(i32, char), n: &(i32, char)| o.0 == n.0;
        assert_eq!(
            pair_lists(&old, &new, same),
            [
                Both(&old[2], &new[0]),
                Added(&new[1]),
                Both(&old[0], &new[2]),
                Removed(&old[1])
            ]
        );
    }

    #[test]
    fn the_relation_is_asked_old_first() {
        // `same` may translate the old entry (a renamed type) before comparing.
        let old = ["A"];
        let new = ["B"];
        let same = |o: &&str, n: &&str| *o == "A" && *n == "B";
        assert_eq!(pair_lists(&old, &new, same), [Both(&old[0], &new[0])]);
        assert_eq!(pair_lists(&new, &old, same), [Added(&old[0]), Removed(&new[0])]);
    }

    #[test]
    fn empty_lists_pair_to_nothing() {
        assert!(pair_lists::<u8>(&[], &[], |a, b| a == b).is_empty());
    }
}
