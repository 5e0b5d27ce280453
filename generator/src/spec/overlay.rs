//! The OpenAPI Overlay 1.0.0 engine: applies `spec/overlay.yaml`, our reviewed corrections and
//! additions, to Dwolla's document before it is normalized.
//!
//! Each action selects nodes with an RFC 9535 JSONPath `target` (evaluated by
//! `serde_json_path`) and either merges `update` into them or removes them. Actions apply in
//! order, each to the result of the ones before it. A target that matches nothing is a warning:
//! the spec moved under the overlay and someone should look, but generation goes on.

use serde::Deserialize;
use serde_json::Value;
use serde_json_path::JsonPath;

/// A parsed overlay document.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Overlay {
    /// The overlay specification version; only `1.x` is accepted.
    pub overlay: String,
    pub info: OverlayInfo,
    /// The document this overlay was written for (informational).
    #[serde(default)]
    pub extends: Option<String>,
    pub actions: Vec<Action>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct OverlayInfo {
    pub title: String,
    pub version: String,
}

/// One step of an overlay.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Action {
    /// RFC 9535 JSONPath selecting the nodes this action applies to.
    pub target: String,
    #[serde(default)]
    pub description: Option<String>,
    /// Merged into every selected node (objects merge key by key, arrays are appended to).
    #[serde(default)]
    pub update: Option<Value>,
    /// Removes every selected node from its parent.
    #[serde(default)]
    pub remove: bool,
}

/// Something an overlay did that deserves a maintainer's attention but does not stop generation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OverlayWarning {
    /// Index of the action in `actions`.
    pub action: usize,
    pub message: String,
}

impl std::fmt::Display for OverlayWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "overlay action {}: {}", self.action, self.message)
    }
}

/// An overlay that cannot be applied: bad version, bad JSONPath, or an action with nothing to do.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{pointer}: {message}")]
pub struct OverlayError {
    /// JSON pointer into the overlay document.
    pub pointer: String,
    pub message: String,
}

impl Overlay {
    /// Reads an overlay from YAML text; an error carries the line and column when known.
    pub fn from_yaml(text: &str) -> Result<Self, (Option<(usize, usize)>, String)> {
        serde_yaml::from_str(text).map_err(|e| (e.location().map(|l| (l.line(), l.column())), e.to_string()))
    }

    /// Applies every action to `doc` in order.
    pub fn apply(&self, doc: &mut Value) -> Result<Vec<OverlayWarning>, OverlayError> {
        if !self.overlay.starts_with("1.") {
            return Err(OverlayError {
                pointer: "#/overlay".into(),
                message: format!("unsupported overlay version `{}`, expected 1.x", self.overlay),
            });
        }
        let mut warnings = Vec::new();
        for (index, action) in self.actions.iter().enumerate() {
            apply_action(index, action, doc, &mut warnings)?;
        }
        Ok(warnings)
    }
}

fn apply_action(
    index: usize,
    action: &Action,
    doc: &mut Value,
    warnings: &mut Vec<OverlayWarning>,
) -> Result<(), OverlayError> {
    let path = JsonPath::parse(&action.target).map_err(|e| OverlayError {
        pointer: format!("#/actions/{index}/target"),
        message: format!("invalid JSONPath `{}`: {e}", action.target),
    })?;
    if !action.remove && action.update.is_none() {
        return Err(OverlayError {
            pointer: format!("#/actions/{index}"),
            message: "action has neither `update` nor `remove: true`".into(),
        });
    }
    let mut pointers = locate(doc, &path.query(doc).all());
    if pointers.is_empty() {
        let what = action.description.as_deref().unwrap_or("(no description)");
        warnings.push(OverlayWarning {
            action: index,
            message: format!("target `{}` matched nothing: {what}", action.target),
        });
        return Ok(());
    }
    if action.remove {
        // Remove deepest and last first, so that earlier array indices stay valid.
        pointers.sort_by(|a, b| compare_pointers(b, a));
        for pointer in pointers {
            remove_at(doc, &pointer);
        }
        return Ok(());
    }
    if let Some(update) = &action.update {
        for pointer in pointers {
            if let Some(node) = doc.pointer_mut(&pointer) {
                merge(node, update);
            }
        }
    }
    Ok(())
}

/// The JSON pointers of `nodes` (the nodes a query selected, by reference into `doc`), in the
/// query's order and each once. One walk of the document finds them by address, which is several
/// times faster than a query that tracks the location of every node it visits (`$..` visits all).
fn locate(doc: &Value, nodes: &[&Value]) -> Vec<String> {
    enum Step<'a> {
        Key(&'a str),
        Index(usize),
    }
    fn pointer(path: &[Step<'_>]) -> String {
        let mut out = String::new();
        for step in path {
            out.push('/');
            match step {
                Step::Key(k) => out.push_str(&k.replace('~', "~0").replace('/', "~1")),
                Step::Index(i) => out.push_str(&i.to_string()),
            }
        }
        out
    }
    fn walk<'a>(
        v: &'a Value,
        path: &mut Vec<Step<'a>>,
        wanted: &std::collections::HashMap<*const Value, usize>,
        found: &mut [Option<String>],
        remaining: &mut usize,
    ) {
        if *remaining == 0 {
            return;
        }
        if let Some(&i) = wanted.get(&std::ptr::from_ref(v))
            && found[i].is_none()
        {
            found[i] = Some(pointer(path));
            *remaining -= 1;
        }
        match v {
            Value::Object(map) => {
                for (k, child) in map {
                    path.push(Step::Key(k));
                    walk(child, path, wanted, found, remaining);
                    path.pop();
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    path.push(Step::Index(i));
                    walk(child, path, wanted, found, remaining);
                    path.pop();
                }
            }
            _ => {}
        }
    }
    let mut wanted = std::collections::HashMap::new();
    for (i, node) in nodes.iter().enumerate() {
        wanted.entry(std::ptr::from_ref(*node)).or_insert(i);
    }
    let mut found = vec![None; nodes.len()];
    let mut remaining = wanted.len();
    walk(doc, &mut Vec::new(), &wanted, &mut found, &mut remaining);
    found.into_iter().flatten().collect()
}

/// Orders pointers so that array indices compare numerically.
fn compare_pointers(a: &str, b: &str) -> std::cmp::Ordering {
    let mut sa = a.split('/');
    let mut sb = b.split('/');
    loop {
        match (sa.next(), sb.next()) {
            (None, None) => return std::cmp::Ordering::Equal,
            (None, Some(_)) => return std::cmp::Ordering::Less,
            (Some(_), None) => return std::cmp::Ordering::Greater,
            (Some(x), Some(y)) => {
                let ord = match (x.parse::<usize>(), y.parse::<usize>()) {
                    (Ok(i), Ok(j)) => i.cmp(&j),
                    _ => x.cmp(y),
                };
                if ord.is_ne() {
                    return ord;
                }
            }
        }
    }
}

fn remove_at(doc: &mut Value, pointer: &str) {
    let Some((parent, last)) = pointer.rsplit_once('/') else {
        // The root itself: an overlay cannot remove the whole document; leave it.
        return;
    };
    let key = last.replace("~1", "/").replace("~0", "~");
    match doc.pointer_mut(parent) {
        Some(Value::Object(map)) => {
            map.shift_remove(&key);
        }
        Some(Value::Array(items)) => {
            if let Ok(i) = key.parse::<usize>()
                && i < items.len()
            {
                items.remove(i);
            }
        }
        _ => {}
    }
}

/// Merges `update` into `target` as Overlay 1.0 describes: objects merge recursively, an array
/// target has the update appended, anything else is replaced.
fn merge(target: &mut Value, update: &Value) {
    match (target, update) {
        (Value::Object(t), Value::Object(u)) => {
            for (k, v) in u {
                match t.get_mut(k) {
                    Some(existing @ Value::Object(_)) if v.is_object() => merge(existing, v),
                    _ => {
                        t.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (Value::Array(t), Value::Array(u)) => t.extend(u.iter().cloned()),
        (Value::Array(t), u) => t.push(u.clone()),
        (t, u) => *t = u.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn overlay(yaml: &str) -> Overlay {
        match Overlay::from_yaml(yaml) {
            Ok(o) => o,
            Err(e) => panic!("test overlay does not parse: {e:?}"),
        }
    }

    #[test]
    fn update_merges_objects_recursively() {
        let mut doc =
            json!({"components": {"schemas": {"A": {"type": "object", "properties": {"x": {"type": "string"}}}}}});
        let o = overlay(
            r#"
overlay: 1.0.0
info: {title: t, version: "1"}
actions:
  - target: $.components.schemas.A
    update:
      description: added
      properties:
        y: {type: integer}
"#,
        );
        let warnings = o.apply(&mut doc).unwrap();
        assert!(warnings.is_empty());
        assert_eq!(
            doc,
            json!({"components": {"schemas": {"A": {"type": "object", "description": "added",
                "properties": {"x": {"type": "string"}, "y": {"type": "integer"}}}}}})
        );
    }

    #[test]
    fn update_appends_to_array_targets() {
        let mut doc = json!({"tags": [{"name": "a"}]});
        let o = overlay(
            "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.tags\n    update: {name: b}\n",
        );
        o.apply(&mut doc).unwrap();
        assert_eq!(doc, json!({"tags": [{"name": "a"}, {"name": "b"}]}));
    }

    #[test]
    fn remove_deletes_every_match_including_array_elements() {
        let mut doc = json!({"list": [1, 2, 3, 4], "obj": {"keep": 1, "drop": 2}});
        let o = overlay(
            r#"
overlay: 1.0.0
info: {title: t, version: "1"}
actions:
  - target: $.list[?@ > 1]
    remove: true
  - target: $.obj.drop
    remove: true
"#,
        );
        o.apply(&mut doc).unwrap();
        assert_eq!(doc, json!({"list": [1], "obj": {"keep": 1}}));
    }

    #[test]
    fn a_node_selected_twice_is_changed_once_and_keys_with_slashes_are_found() {
        let mut doc = json!({"list": [1, 2, 3], "paths": {"/a~b": {"get": {}}, "/c": {"get": {}}}});
        let o = overlay(
            r#"
overlay: 1.0.0
info: {title: t, version: "1"}
actions:
  - target: $.list[0,0]
    remove: true
  - target: $..get
    update: {x: 1}
  - target: "$.paths['/a~b']"
    update: {y: 2}
"#,
        );
        o.apply(&mut doc).unwrap();
        assert_eq!(
            doc,
            json!({"list": [2, 3], "paths": {"/a~b": {"get": {"x": 1}, "y": 2}, "/c": {"get": {"x": 1}}}})
        );
    }

    #[test]
    fn a_target_that_matches_nothing_is_a_warning_not_an_error() {
        let mut doc = json!({"a": 1});
        let o = overlay(
            r#"
overlay: 1.0.0
info: {title: t, version: "1"}
actions:
  - target: $.components.schemas.Gone
    description: fix a schema Dwolla has since removed
    update: {description: x}
"#,
        );
        let warnings = o.apply(&mut doc).unwrap();
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].action, 0);
        assert!(warnings[0].message.contains("matched nothing"), "{}", warnings[0]);
        assert!(warnings[0].message.contains("Dwolla has since removed"));
        assert_eq!(doc, json!({"a": 1}));
    }

    #[test]
    fn filters_select_by_value() {
        let mut doc = json!({"paths": {"/a": {"get": {"operationId": "x"}}, "/b": {"get": {"operationId": "y"}}}});
        let o = overlay(
            r#"
overlay: 1.0.0
info: {title: t, version: "1"}
actions:
  - target: $.paths.*[?@.operationId == 'y']
    update: {summary: found}
"#,
        );
        o.apply(&mut doc).unwrap();
        assert_eq!(doc["paths"]["/b"]["get"]["summary"], json!("found"));
        assert!(doc["paths"]["/a"]["get"].get("summary").is_none());
    }

    #[test]
    fn invalid_jsonpath_names_the_action() {
        let mut doc = json!({});
        let o =
            overlay("overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $..[\n    remove: true\n");
        let err = o.apply(&mut doc).unwrap_err();
        assert_eq!(err.pointer, "#/actions/0/target");
    }

    #[test]
    fn wrong_version_and_empty_actions_are_errors() {
        let mut doc = json!({});
        let o = overlay("overlay: 2.0.0\ninfo: {title: t, version: '1'}\nactions: []\n");
        assert_eq!(o.apply(&mut doc).unwrap_err().pointer, "#/overlay");
        let o = overlay("overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.a\n");
        assert_eq!(o.apply(&mut doc).unwrap_err().pointer, "#/actions/0");
    }

    #[test]
    fn unknown_fields_in_the_overlay_are_rejected() {
        assert!(Overlay::from_yaml("overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions: []\nextra: 1\n").is_err());
    }
}
