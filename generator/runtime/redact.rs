//! The stand-in that `Debug` output prints instead of a secret.

/// Prints `<redacted>`. `Debug` output shows it in place of every secret: client secrets,
/// access tokens, webhook secrets, and the fields the spec overlay marks `x-dwolla-secret`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Redacted;

impl std::fmt::Debug for Redacted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}
