//! Request validation as Dwolla answers it: a body missing a field the spec requires, or
//! carrying it with the wrong JSON kind, is refused with `400` and a `ValidationError` whose
//! `_embedded.errors[]` name each field by its JSON pointer (`/firstName`), as the API reference
//! shows ("Validation error(s) present. See embedded errors list for more details.").

use serde_json::{Value, json};

use super::table::JsonKind;

/// The status of a validation error.
pub const VALIDATION_STATUS: u16 = 400;

/// The problems of `body` against the fields an operation requires, as Dwolla's embedded
/// errors; empty when it is valid. A body that is not a JSON object misses every field.
pub(crate) fn problems(required: &[(&str, JsonKind)], body: &Value) -> Vec<Value> {
    let mut errors = Vec::new();
    for (name, kind) in required {
        let path = format!("/{name}");
        match body.get(*name) {
            None | Some(Value::Null) => errors.push(error("Required", &format!("{name} is required."), &path)),
            Some(value) if !kind.admits(value) => errors.push(error("Invalid", &format!("{name} is invalid."), &path)),
            Some(_) => {}
        }
    }
    errors
}

/// One embedded error.
pub(crate) fn error(code: &str, message: &str, path: &str) -> Value {
    json!({"code": code, "message": message, "path": path, "_links": {}})
}

/// The body of a `400 ValidationError` with these embedded errors.
pub(crate) fn validation_error(errors: Vec<Value>) -> Value {
    json!({
        "code": "ValidationError",
        "message": "Validation error(s) present. See embedded errors list for more details.",
        "_embedded": {"errors": errors},
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const REQUIRED: &[(&str, JsonKind)] = &[("firstName", JsonKind::String), ("email", JsonKind::String)];

    #[test]
    fn a_missing_or_mistyped_field_is_named_by_its_pointer() {
        let found = problems(REQUIRED, &json!({"firstName": 5}));
        let paths: Vec<&str> = found.iter().filter_map(|e| e["path"].as_str()).collect();
        assert_eq!(paths, ["/firstName", "/email"]);
        assert_eq!((found[0]["code"].as_str(), found[1]["code"].as_str()), (Some("Invalid"), Some("Required")));
        assert!(problems(REQUIRED, &json!({"firstName": "a", "email": "b"})).is_empty());
        assert_eq!(validation_error(found)["_embedded"]["errors"][1]["path"], "/email");
    }
}
