//! The generator's error type: every failure names the file and, where there is one, the
//! JSON pointer of the offending node.

use std::path::PathBuf;

/// A failure of one generator run.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The YAML text itself is broken; only a line and column can be named.
    #[error("{file}:{line}:{column}: invalid YAML: {message}")]
    Yaml {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },
    /// The document parsed, but a node in it is wrong or unsupported.
    #[error("{file}: {pointer}: {message}")]
    Spec {
        file: String,
        /// JSON pointer (RFC 6901) of the offending node, `#`-prefixed.
        pointer: String,
        message: String,
    },
    /// A node of the spec that an overlay action wrote is wrong or unsupported (boxed: the
    /// failure has many parts and is rare).
    #[error("{0}")]
    Overlay(Box<OverlayActionError>),
    /// A path under the output directory that the generator does not own (a symbolic link, a
    /// special file, a path leaving the directory); found before anything is written or removed.
    #[error("{path}: {message}; nothing was written or removed")]
    UnownedPath { path: PathBuf, message: String },
    /// A template under `generator/templates` failed to render.
    #[error("template {name}: {message}")]
    Template { name: String, message: String },
    /// The token stage produced text that is not Rust. This is a generator bug.
    #[error("generated {file} is not valid Rust ({message}); this is a generator bug")]
    InvalidTokens { file: String, message: String },
    /// The change report could not be made.
    #[error("change report: {message}")]
    Report { message: String },
    /// `--check` found that the checked-in output differs from what the spec produces.
    #[error("{report}")]
    Drift { report: String },
}

impl Error {
    pub(crate) fn spec(file: &str, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Spec {
            file: file.to_owned(),
            pointer: pointer.into(),
            message: message.into(),
        }
    }

    /// The JSON pointer this error names, if it names one.
    pub fn pointer(&self) -> Option<&str> {
        match self {
            Error::Spec { pointer, .. } => Some(pointer),
            Error::Overlay(failure) => Some(&failure.pointer),
            _ => None,
        }
    }
}

/// A failure at a node an overlay action wrote: it names the action (its place in the overlay
/// and its target) and what it wrote, then the node, since the fix belongs in the overlay rather
/// than in the spec.
#[derive(Debug, thiserror::Error)]
#[error("{overlay}: actions[{action}] (target `{target}`) wrote {written} into {spec}: {pointer}: {message}")]
pub struct OverlayActionError {
    pub overlay: String,
    /// Index of the action in the overlay's `actions`.
    pub action: usize,
    pub target: String,
    /// JSON pointer of the node the action wrote, at or above `pointer`.
    pub written: String,
    pub spec: String,
    /// JSON pointer (RFC 6901) of the offending node, `#`-prefixed.
    pub pointer: String,
    pub message: String,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
