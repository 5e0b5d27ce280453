//! Stage 1, reading: YAML text → overlay applied → OpenAPI 3.1 normalized to 3.0 →
//! `openapiv3::OpenAPI`. Nothing after this stage reads YAML or JSON text.

mod applied;
pub mod normalize;
pub mod overlay;
pub mod pointer;
pub mod tools;
mod yaml;

use serde_json::Value;

use crate::error::{Error, Result};
pub use applied::AppliedOverlay;
pub use overlay::{Overlay, OverlayWarning};
pub use pointer::Pointer;

/// The spec as the rest of the pipeline sees it.
#[derive(Debug)]
pub struct Spec {
    /// Name of the spec file, for error messages.
    pub file: String,
    pub openapi: openapiv3::OpenAPI,
    /// What the overlay did: the actions that selected nothing, and what the others wrote, to
    /// attribute later errors at those nodes to their actions.
    pub overlay: AppliedOverlay,
}

/// Parses YAML text into a JSON value, keeping key order, bounded in what aliases may expand
/// to: the one reader of YAML, for the spec and the overlay alike (see `yaml.rs`).
pub use yaml::parse as parse_yaml;

/// Reads a spec (and optionally an overlay) from text and runs the whole reading stage.
pub fn read(spec_text: &str, spec_file: &str, overlay: Option<(&str, &str)>) -> Result<Spec> {
    let mut doc = parse_yaml(spec_text, spec_file)?;
    read_value(&mut doc, spec_file, overlay)
}

/// The document after the overlay and the 3.1-to-3.0 normalization, as JSON: what other
/// OpenAPI 3.0 tools (benchmarks' baselines, mock servers) can read.
pub fn normalized_document(spec_text: &str, spec_file: &str, overlay: Option<(&str, &str)>) -> Result<Value> {
    let mut doc = parse_yaml(spec_text, spec_file)?;
    if let Some((overlay_text, overlay_file)) = overlay {
        let overlay = Overlay::from_yaml(overlay_text, overlay_file)?;
        overlay.apply(&mut doc).map_err(|e| Error::Spec {
            file: overlay_file.to_owned(),
            pointer: e.pointer,
            message: e.message,
        })?;
    }
    normalize::normalize(&mut doc, spec_file)?;
    Ok(doc)
}

/// The reading stage after YAML parsing: overlay, normalization, `openapiv3`.
pub fn read_value(doc: &mut Value, spec_file: &str, overlay: Option<(&str, &str)>) -> Result<Spec> {
    let applied = match overlay {
        Some(overlay) => apply_overlay(doc, overlay)?,
        None => AppliedOverlay::default(),
    };
    read_overlaid(doc, spec_file, applied)
}

/// The reading stage after the overlay (`applied` is what it did): normalization and
/// `openapiv3`. An error at a node an overlay action wrote names the action.
pub fn read_overlaid(doc: &mut Value, spec_file: &str, applied: AppliedOverlay) -> Result<Spec> {
    normalize::normalize(doc, spec_file).map_err(|e| applied.attribute(e))?;
    let openapi = from_value(std::mem::take(doc), spec_file).map_err(|e| applied.attribute(e))?;
    Ok(Spec {
        file: spec_file.to_owned(),
        openapi,
        overlay: applied,
    })
}

/// Applies the overlay `(text, file name)` to `doc` in place, returning what it did: the
/// actions that selected nothing and the nodes each action wrote. The result is still the
/// OpenAPI 3.1 document as Dwolla wrote it, with our corrections: what other OpenAPI tools (the
/// contract test's mock server) should read.
pub fn apply_overlay(doc: &mut Value, (overlay_text, overlay_file): (&str, &str)) -> Result<AppliedOverlay> {
    let overlay = Overlay::from_yaml(overlay_text, overlay_file)?;
    let applied = overlay.apply_recording(doc).map_err(|e| Error::Spec {
        file: overlay_file.to_owned(),
        pointer: e.pointer,
        message: e.message,
    })?;
    Ok(AppliedOverlay {
        file: overlay_file.to_owned(),
        actions: overlay.actions.len(),
        applied,
    })
}

/// Deserializes the normalized document, reporting the pointer where `openapiv3` gave up.
/// `openapiv3` flattens several maps, which hides the path from serde; when the reported path is
/// shallow, the parts below it are deserialized one by one to find the node that fails.
fn from_value(doc: Value, file: &str) -> Result<openapiv3::OpenAPI> {
    match serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(&doc) {
        Ok(api) => Ok(api),
        Err(e) => {
            let (at, message) = locate(
                &doc,
                path_pointer(Pointer::root(), e.path()),
                e.into_inner().to_string(),
            );
            Err(Error::spec(file, at.to_string(), message))
        }
    }
}

pub(super) fn path_pointer(mut at: Pointer, path: &serde_path_to_error::Path) -> Pointer {
    for segment in path.iter() {
        at = match segment {
            serde_path_to_error::Segment::Seq { index } => at.push(index),
            serde_path_to_error::Segment::Map { key } => at.push(key),
            serde_path_to_error::Segment::Enum { variant } => at.push(variant),
            serde_path_to_error::Segment::Unknown => at,
        };
    }
    at
}

/// Narrows a failure inside `paths` or `components` down to the operation, parameter, body,
/// response or schema that does not deserialize.
fn locate(doc: &Value, at: Pointer, message: String) -> (Pointer, String) {
    fn try_as<T: serde::de::DeserializeOwned>(v: &Value, at: &Pointer) -> Option<(Pointer, String)> {
        serde_path_to_error::deserialize::<_, T>(v)
            .err()
            .map(|e| (path_pointer(at.clone(), e.path()), e.into_inner().to_string()))
    }
    let root = Pointer::root();
    let mut found = None;
    if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
        for (p, item) in paths {
            let at_p = root.push("paths").push(p);
            let Some(item) = item.as_object() else { continue };
            for (method, op) in item {
                let at_m = at_p.push(method);
                if let Some(params) = op.get("parameters").and_then(Value::as_array) {
                    for (i, param) in params.iter().enumerate() {
                        found = found.or_else(|| {
                            try_as::<openapiv3::ReferenceOr<openapiv3::Parameter>>(
                                param,
                                &at_m.push("parameters").push(i),
                            )
                        });
                    }
                }
                if let Some(body) = op.get("requestBody") {
                    found = found.or_else(|| {
                        try_as::<openapiv3::ReferenceOr<openapiv3::RequestBody>>(body, &at_m.push("requestBody"))
                    });
                }
                if let Some(responses) = op.get("responses").and_then(Value::as_object) {
                    for (status, r) in responses {
                        found = found.or_else(|| {
                            try_as::<openapiv3::ReferenceOr<openapiv3::Response>>(
                                r,
                                &at_m.push("responses").push(status),
                            )
                        });
                    }
                }
                if method != "parameters" && method != "summary" && method != "description" {
                    found = found.or_else(|| try_as::<openapiv3::Operation>(op, &at_m));
                }
            }
        }
    }
    if let Some(schemas) = doc.pointer("/components/schemas").and_then(Value::as_object) {
        for (name, s) in schemas {
            found = found.or_else(|| {
                try_as::<openapiv3::ReferenceOr<openapiv3::Schema>>(
                    s,
                    &root.push("components").push("schemas").push(name),
                )
            });
        }
    }
    found
        .filter(|(p, _)| p.as_json_pointer().len() > at.as_json_pointer().len())
        .unwrap_or((at, message))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broken_yaml_names_line_and_column() {
        let e = read("openapi: 3.1.0\ninfo: [unclosed\n", "bad.yaml", None).unwrap_err();
        match e {
            Error::Yaml { line, file, .. } => {
                assert_eq!(file, "bad.yaml");
                assert!(line >= 2, "line {line}");
            }
            other => panic!("expected a YAML error, got {other}"),
        }
    }

    #[test]
    fn openapiv3_failures_name_a_pointer() {
        let text = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: a\n      parameters:\n        - {name: x, in: nowhere}\n      responses: {'200': {description: ok}}\n";
        let e = read(text, "t.yaml", None).unwrap_err();
        let p = e.pointer().unwrap_or_default().to_owned();
        assert!(p.starts_with("#/paths/~1a/get/parameters/0"), "{e}");
    }
}
