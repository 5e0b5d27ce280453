//! JSON pointers (RFC 6901) in the `#/a/b` form that `$ref` uses, built while walking a document.

use std::fmt;

/// A JSON pointer into the spec, always rendered with a leading `#`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Pointer(String);

impl Pointer {
    /// The pointer to the document root, `#`.
    pub fn root() -> Self {
        Pointer(String::new())
    }

    /// Parses a `#/...` reference into a pointer; `None` for anything that is not local.
    pub fn from_ref(reference: &str) -> Option<Self> {
        let rest = reference.strip_prefix('#')?;
        if !(rest.is_empty() || rest.starts_with('/')) {
            return None;
        }
        Some(Pointer(rest.to_owned()))
    }

    /// This pointer extended by one segment (escaped as RFC 6901 requires).
    pub fn push(&self, segment: impl fmt::Display) -> Self {
        let segment = segment.to_string();
        let mut s = String::with_capacity(self.0.len() + segment.len() + 1);
        s.push_str(&self.0);
        s.push('/');
        for c in segment.chars() {
            match c {
                '~' => s.push_str("~0"),
                '/' => s.push_str("~1"),
                c => s.push(c),
            }
        }
        Pointer(s)
    }

    /// The pointer without the leading `#`, as `serde_json::Value::pointer` takes it.
    pub fn as_json_pointer(&self) -> &str {
        &self.0
    }

    /// The last segment, unescaped.
    pub fn last(&self) -> Option<String> {
        let seg = self.0.rsplit('/').next()?;
        if self.0.is_empty() {
            return None;
        }
        Some(seg.replace("~1", "/").replace("~0", "~"))
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_slashes_and_tildes() {
        let p = Pointer::root().push("paths").push("/customers/{id}").push("a~b");
        assert_eq!(p.to_string(), "#/paths/~1customers~1{id}/a~0b");
        assert_eq!(p.last().as_deref(), Some("a~b"));
        let v = serde_json::json!({"paths": {"/customers/{id}": {"a~b": 1}}});
        assert_eq!(v.pointer(p.as_json_pointer()), Some(&serde_json::json!(1)));
    }

    #[test]
    fn parses_local_refs_only() {
        assert!(Pointer::from_ref("#/components/schemas/A").is_some());
        assert!(Pointer::from_ref("other.yaml#/A").is_none());
        assert!(Pointer::from_ref("#A").is_none());
    }
}
