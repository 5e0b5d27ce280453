//! The crate's version, from the change report: the API changes since the last published
//! release make the pending release, numbered by semver as cargo reads it, with an entry in
//! `generated/CHANGELOG.md`.
//!
//! Cargo treats the first non-zero number as the major one: for `0.y.z`, a change that breaks
//! code is a new `y`, and anything else a new `z`. So, from the report since the last published
//! release:
//!
//! | report | `0.y.z` | `x.y.z` (x ≥ 1) |
//! |---|---|---|
//! | a breaking change | `0.(y+1).0` | `(x+1).0.0` |
//! | an addition, none breaking | `0.y.(z+1)` | `x.(y+1).0` |
//! | only changes that keep the Rust API (path, media type, deprecation, ..) | `0.y.(z+1)` | `x.y.(z+1)` |
//! | no change to the API | unchanged | unchanged |
//!
//! "No change to the API" includes a spec that changed only its documentation: the crate's doc
//! comments then differ from the last release's, and are released with the next API change.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::Report;
use super::change::ChangeKind;
use crate::error::{Error, Result};

/// The version of the first generation recorded.
pub const INITIAL_VERSION: &str = "0.1.0";

/// How far the pending release moves the version from the published one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Bump {
    /// No change to the API: no release.
    None,
    /// Changes that keep the Rust API.
    Patch,
    /// Additions that break nothing.
    Minor,
    /// At least one breaking change.
    Major,
}

impl Bump {
    /// What `report` calls for.
    pub fn of(report: &Report) -> Bump {
        if report.changes.is_empty() {
            Bump::None
        } else if report.breaking().next().is_some() {
            Bump::Major
        } else if report.changes.iter().any(|c| c.kind.is_addition()) {
            Bump::Minor
        } else {
            Bump::Patch
        }
    }

    /// How a release of this bump after `previous` reads in the changelog: one sentence.
    pub fn describe(self, previous: Version) -> String {
        match self {
            Bump::None => format!("No change to the API since {previous}."),
            Bump::Major => format!("Breaking: code that compiled against {previous} may have to change."),
            Bump::Minor => format!("Compatible additions: code that compiled against {previous} still does."),
            Bump::Patch => format!("Compatible: code that compiled against {previous} still does."),
        }
    }
}

impl ChangeKind {
    /// Something new users can call, build or match on.
    fn is_addition(&self) -> bool {
        matches!(
            self,
            ChangeKind::OperationAdded
                | ChangeKind::InputAdded { .. }
                | ChangeKind::MethodAdded { .. }
                | ChangeKind::TypeAdded { .. }
                | ChangeKind::ConstructorAdded
                | ChangeKind::FieldAdded { .. }
                | ChangeKind::AdditionalAdded { .. }
                | ChangeKind::ValueAdded { .. }
                | ChangeKind::VariantAdded { .. }
                | ChangeKind::RustAdded { .. }
        )
    }
}

/// `MAJOR.MINOR.PATCH`, without pre-release or build metadata (the generator never makes them).
/// Written as that string in `api-surface.json`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Version {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
}

impl Version {
    /// [`INITIAL_VERSION`].
    pub fn initial() -> Version {
        Version {
            major: 0,
            minor: 1,
            patch: 0,
        }
    }

    /// Reads `MAJOR.MINOR.PATCH`; anything else is an error that quotes the text.
    pub fn parse(text: &str) -> Result<Version> {
        let invalid = || Error::Report {
            message: format!("the recorded crate version {text:?} is not MAJOR.MINOR.PATCH"),
        };
        let mut parts = text.split('.').map(|p| {
            if p.is_empty() || p.len() > 20 || !p.bytes().all(|b| b.is_ascii_digit()) || (p.len() > 1 && p.starts_with('0'))
            {
                Err(invalid())
            } else {
                p.parse::<u64>().map_err(|_| invalid())
            }
        });
        let (Some(major), Some(minor), Some(patch), None) = (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(invalid());
        };
        Ok(Version {
            major: major?,
            minor: minor?,
            patch: patch?,
        })
    }

    /// The version after a release of `bump` (numbers saturate rather than overflow).
    pub fn bumped(self, bump: Bump) -> Version {
        let Version { major, minor, patch } = self;
        match (bump, major) {
            (Bump::None, _) => self,
            (Bump::Major, 0) => Version {
                major,
                minor: minor.saturating_add(1),
                patch: 0,
            },
            (Bump::Major, _) => Version {
                major: major.saturating_add(1),
                minor: 0,
                patch: 0,
            },
            (Bump::Minor, 0) | (Bump::Patch, _) => Version {
                major,
                minor,
                patch: patch.saturating_add(1),
            },
            (Bump::Minor, _) => Version {
                major,
                minor: minor.saturating_add(1),
                patch: 0,
            },
        }
    }
}

impl TryFrom<String> for Version {
    type Error = Error;

    fn try_from(text: String) -> Result<Version> {
        Version::parse(&text)
    }
}

impl From<Version> for String {
    fn from(version: Version) -> String {
        version.to_string()
    }
}

/// A release, published or pending, as `CHANGELOG.md` lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Release {
    pub version: Version,
    /// The version it follows.
    pub previous: Version,
    pub bump: Bump,
    /// The entry below its heading, in markdown: a published release's as written when it was
    /// last pending (later changes to the report's wording do not rewrite history), a pending
    /// one's written again by every run that changes the crate.
    pub notes: String,
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> Version {
        Version::parse(text).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn zero_major_versions_break_in_the_minor_number_and_add_in_the_patch() {
        assert_eq!(v("0.1.3").bumped(Bump::Major).to_string(), "0.2.0");
        assert_eq!(v("0.1.3").bumped(Bump::Minor).to_string(), "0.1.4");
        assert_eq!(v("0.1.3").bumped(Bump::Patch).to_string(), "0.1.4");
        assert_eq!(v("0.1.3").bumped(Bump::None).to_string(), "0.1.3");
        assert_eq!(v("1.4.2").bumped(Bump::Major).to_string(), "2.0.0");
        assert_eq!(v("1.4.2").bumped(Bump::Minor).to_string(), "1.5.0");
        assert_eq!(v("1.4.2").bumped(Bump::Patch).to_string(), "1.4.3");
        let top = format!("0.{}.{}", u64::MAX, u64::MAX);
        assert_eq!(v(&top).bumped(Bump::Major).to_string(), format!("0.{}.0", u64::MAX));
        assert_eq!(v(&top).bumped(Bump::Patch).to_string(), top);
    }

    #[test]
    fn anything_but_three_plain_numbers_is_refused_with_the_text() {
        for bad in ["", "1", "1.2", "1.2.3.4", "1.2.x", "01.2.3", "1.2.3-rc.1", "1..3", "-1.2.3", " 1.2.3", "99999999999999999999.0.0"] {
            let e = Version::parse(bad).expect_err(bad).to_string();
            assert!(e.contains(&format!("{bad:?}")), "{e}");
        }
        assert_eq!(v("0.10.0"), Version { major: 0, minor: 10, patch: 0 });
        assert_eq!(Version::initial().to_string(), INITIAL_VERSION);
    }
}
