//! The OpenAPI Overlay 1.0.0 engine: applies `spec/overlay.yaml`, our reviewed corrections and
//! additions, to Dwolla's document before it is normalized.
//!
//! Each action selects nodes with an RFC 9535 JSONPath `target` (evaluated by
//! `serde_json_path`) and either merges `update` into them or removes them. Actions apply in
//! order, each to the result of the ones before it. A target that matches nothing is a warning:
//! the spec moved under the overlay and someone should look, but generation goes on.
//!
//! Any document Overlay 1.0 allows is accepted: Specification Extensions (`x-*` fields) on the
//! Overlay, Info and Action objects (Dwolla's own SDK overlay carries `x-speakeasy-jsonpath`),
//! and, besides strict RFC 9535 paths, the specification's own examples' shorthand for
//! hyphenated names (`$.paths.*.get.x-safe`, `@.x-beta`), read as `['x-safe']`. Any other field
//! is an error, so that a misspelt `remove` or `update` is not silently ignored.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;
use serde_json_path::JsonPath;

use super::Pointer;

/// A parsed overlay document.
#[derive(Clone, Debug, Deserialize)]
pub struct Overlay {
    /// The overlay specification version; only `1.x` is accepted.
    pub overlay: String,
    pub info: OverlayInfo,
    /// The document this overlay was written for (informational).
    #[serde(default)]
    pub extends: Option<String>,
    pub actions: Vec<Action>,
    /// Specification Extensions (`x-*`) and, until [`Overlay::from_yaml`] rejects them, any
    /// other field.
    #[serde(flatten)]
    pub extensions: BTreeMap<String, Value>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct OverlayInfo {
    pub title: String,
    pub version: String,
    /// Added to the Info object by Overlay 1.1; harmless in a 1.0 document.
    #[serde(default)]
    pub description: Option<String>,
    /// Specification Extensions (`x-*`).
    #[serde(flatten)]
    pub extensions: BTreeMap<String, Value>,
}

/// One step of an overlay.
#[derive(Clone, Debug, Deserialize)]
pub struct Action {
    /// RFC 9535 JSONPath selecting the nodes this action applies to.
    pub target: String,
    #[serde(default)]
    pub description: Option<String>,
    /// Merged into every selected node: see [`merge`] for the rules.
    #[serde(default)]
    pub update: Option<Value>,
    /// Removes every selected node from its parent.
    #[serde(default)]
    pub remove: bool,
    /// Specification Extensions (`x-*`), such as Speakeasy's `x-speakeasy-metadata`.
    #[serde(flatten)]
    pub extensions: BTreeMap<String, Value>,
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
    /// Reads an overlay from YAML text through the spec's bounded YAML reader. Broken YAML names
    /// the line and column in `file`; a field of the wrong type, missing or unknown, its pointer.
    pub fn from_yaml(text: &str, file: &str) -> crate::Result<Self> {
        let value = super::parse_yaml(text, file)?;
        let overlay: Self = serde_path_to_error::deserialize(value).map_err(|e| {
            let at = super::path_pointer(super::Pointer::root(), e.path());
            crate::Error::spec(file, at.to_string(), e.into_inner().to_string())
        })?;
        overlay
            .check_fields()
            .map_err(|message| crate::Error::spec(file, "#", message))?;
        Ok(overlay)
    }

    /// Rejects fields that are neither fixed fields nor Specification Extensions, naming where.
    fn check_fields(&self) -> Result<(), String> {
        fn check(at: &str, extensions: &BTreeMap<String, Value>, expected: &str) -> Result<(), String> {
            match extensions.keys().find(|k| !k.starts_with("x-")) {
                Some(k) => Err(format!(
                    "{at}: unknown field `{k}`, expected one of {expected} or an extension `x-...`"
                )),
                None => Ok(()),
            }
        }
        check("#", &self.extensions, "`overlay`, `info`, `extends`, `actions`")?;
        check("#/info", &self.info.extensions, "`title`, `version`, `description`")?;
        for (i, action) in self.actions.iter().enumerate() {
            check(
                &format!("#/actions/{i}"),
                &action.extensions,
                "`target`, `description`, `update`, `remove`",
            )?;
        }
        Ok(())
    }

    /// Applies every action to `doc` in order, returning the actions that selected nothing.
    pub fn apply(&self, doc: &mut Value) -> Result<Vec<OverlayWarning>, OverlayError> {
        self.apply_recording(doc).map(|applied| applied.warnings)
    }

    /// Applies every action to `doc` in order, recording what each one wrote.
    pub fn apply_recording(&self, doc: &mut Value) -> Result<Applied, OverlayError> {
        if !self.overlay.starts_with("1.") {
            return Err(OverlayError {
                pointer: "#/overlay".into(),
                message: format!("unsupported overlay version `{}`, expected 1.x", self.overlay),
            });
        }
        let mut applied = Applied::default();
        for (index, action) in self.actions.iter().enumerate() {
            let written = apply_action(index, action, doc, &mut applied.warnings)?;
            applied.writes.push(ActionWrites {
                action: index,
                target: action.target.clone(),
                written,
            });
        }
        Ok(applied)
    }
}

/// What applying an overlay did: the actions that selected nothing, and, for every action in
/// order, the nodes it wrote.
#[derive(Clone, Debug, Default)]
pub struct Applied {
    pub warnings: Vec<OverlayWarning>,
    pub writes: Vec<ActionWrites>,
}

/// The nodes one action inserted or replaced (not those it merged into, nor those it removed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActionWrites {
    /// Index of the action in `actions`.
    pub action: usize,
    pub target: String,
    pub written: Vec<Pointer>,
}

/// Applies one action, returning the pointers of the nodes it wrote.
fn apply_action(
    index: usize,
    action: &Action,
    doc: &mut Value,
    warnings: &mut Vec<OverlayWarning>,
) -> Result<Vec<Pointer>, OverlayError> {
    let path = parse_path(&action.target).map_err(|e| OverlayError {
        pointer: format!("#/actions/{index}/target"),
        message: format!("invalid JSONPath `{}`: {e}", action.target),
    })?;
    if !action.remove && action.update.is_none() {
        return Err(OverlayError {
            pointer: format!("#/actions/{index}"),
            message: "action has neither `update` nor `remove: true`".into(),
        });
    }
    let mut pointers = select(doc, &path, &action.target);
    if pointers.is_empty() {
        let what = action.description.as_deref().unwrap_or("(no description)");
        warnings.push(OverlayWarning {
            action: index,
            message: format!("target `{}` matched nothing: {what}", action.target),
        });
        return Ok(Vec::new());
    }
    if action.remove {
        // Remove deepest and last first, so that earlier array indices stay valid.
        pointers.sort_by(|a, b| compare_pointers(b, a));
        for pointer in pointers {
            remove_at(doc, &pointer);
        }
        return Ok(Vec::new());
    }
    let mut written = Vec::new();
    if let Some(update) = &action.update {
        for pointer in pointers {
            if let Some(node) = doc.pointer_mut(&pointer) {
                let at = Pointer::from_ref(&format!("#{pointer}")).unwrap_or_default();
                merge(node, update, &at, &mut written);
            }
        }
    }
    Ok(written)
}

/// Parses a target as RFC 9535 JSONPath; failing that, as the Overlay 1.0 examples write it,
/// with hyphenated names in dot notation (`$.paths.*.get.x-safe`, `[?@.x-beta == true]`), which
/// RFC 9535 spells `['x-safe']`. The strict reading comes first, so a valid path never changes
/// meaning; the error reported is the strict parser's.
fn parse_path(target: &str) -> Result<JsonPath, serde_json_path::ParseError> {
    match JsonPath::parse(target) {
        Ok(path) => Ok(path),
        Err(strict) => match hyphenated_names_bracketed(target) {
            Some(rewritten) => JsonPath::parse(&rewritten).map_err(|_| strict),
            None => Err(strict),
        },
    }
}

/// `target` with every dot-notation name that contains a hyphen written in bracket notation,
/// or `None` when there is none. String literals are copied as they are. In RFC 9535 a hyphen
/// never follows a dot-notation name (there is no arithmetic), so the rewrite is unambiguous.
fn hyphenated_names_bracketed(target: &str) -> Option<String> {
    let chars: Vec<char> = target.chars().collect();
    let name_char = |c: char| c.is_alphanumeric() || c == '_' || c == '-' || !c.is_ascii();
    let mut out = String::with_capacity(target.len() + 8);
    let mut changed = false;
    let mut quote: Option<char> = None;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if let Some(q) = quote {
            out.push(c);
            if c == '\\' {
                if let Some(&next) = chars.get(i + 1) {
                    out.push(next);
                    i += 1;
                }
            } else if c == q {
                quote = None;
            }
            i += 1;
            continue;
        }
        match c {
            '\'' | '"' => {
                quote = Some(c);
                out.push(c);
                i += 1;
            }
            '.' if chars
                .get(i + 1)
                .is_some_and(|&n| n.is_alphabetic() || n == '_' || !n.is_ascii()) =>
            {
                let start = i + 1;
                let mut end = start;
                while end < chars.len() && name_char(chars[end]) {
                    end += 1;
                }
                let name: String = chars[start..end].iter().collect();
                if name.contains('-') {
                    // `..name` is a descendant segment: `..['name']` keeps both dots.
                    if i > 0 && chars[i - 1] == '.' {
                        out.push('.');
                    }
                    out.push_str(&format!("['{name}']"));
                    changed = true;
                } else {
                    out.push('.');
                    out.push_str(&name);
                }
                i = end;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    changed.then_some(out)
}

/// The JSON pointers of the nodes `path` (parsed from `target`) selects in `doc`, in the query's
/// order and each once. A path without a descendant segment (`..`) visits only what it names, so
/// its query tracks the locations itself; one with `..` visits every node, which [`locate`] does
/// faster. Both give the same pointers (the choice is only about speed, so a `..` inside a quoted
/// name, which picks `locate`, is harmless).
fn select(doc: &Value, path: &JsonPath, target: &str) -> Vec<String> {
    if target.contains("..") {
        return locate(doc, &path.query(doc).all());
    }
    let mut seen = std::collections::HashSet::new();
    path.query_located(doc)
        .locations()
        .map(|at| at.to_json_pointer())
        .filter(|pointer| seen.insert(pointer.clone()))
        .collect()
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

/// Merges `update` into `target` (the node at `at`), adding to `written` the pointer of every
/// node it inserts or replaces. Overlay 1.0 says that an update's properties replace the
/// target's properties of the same name and that an update to an array is appended to it;
/// Overlay 1.1 spells out the recursion that 1.0 implementations share, and this follows it:
/// objects merge key by key, an array property of the update is concatenated with the array
/// property of the target, and any other value replaces the target's (1.1 calls the remaining
/// combinations, such as an object meeting a string, incompatible; 1.0's "replace" is kept for
/// them so that every 1.0 document still applies). A selected array gets an array update
/// concatenated and any other update appended; a selected primitive is replaced.
fn merge(target: &mut Value, update: &Value, at: &Pointer, written: &mut Vec<Pointer>) {
    match (target, update) {
        (Value::Object(t), Value::Object(u)) => {
            for (k, v) in u {
                match (t.get_mut(k), v) {
                    (Some(existing @ Value::Object(_)), Value::Object(_))
                    | (Some(existing @ Value::Array(_)), Value::Array(_)) => merge(existing, v, &at.push(k), written),
                    _ => {
                        t.insert(k.clone(), v.clone());
                        written.push(at.push(k));
                    }
                }
            }
        }
        (Value::Array(t), Value::Array(u)) => {
            written.extend((t.len()..t.len().saturating_add(u.len())).map(|i| at.push(i)));
            t.extend(u.iter().cloned());
        }
        (Value::Array(t), u) => {
            written.push(at.push(t.len()));
            t.push(u.clone());
        }
        (t, u) => {
            *t = u.clone();
            written.push(at.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn overlay(yaml: &str) -> Overlay {
        match Overlay::from_yaml(yaml, "overlay.yaml") {
            Ok(o) => o,
            Err(e) => panic!("test overlay does not parse: {e}"),
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
    fn a_query_that_tracks_locations_and_the_walk_by_address_select_the_same_pointers() {
        let doc = serde_json::json!({
            "paths": {"/a/{id}": {"get": {"x": 1}, "post": {"x": 2}}, "/b~c": {"get": {"x": 3}}},
            "list": [{"x": 1}, {"y": 2}, {"x": 3}]
        });
        for target in [
            "$.paths.*.get",
            "$.paths['/a/{id}'].*",
            "$.list[?@.x]",
            "$.list[0, 0, 2]",
            "$.paths['/b~c'].get.x",
        ] {
            let path = parse_path(target).unwrap_or_else(|e| panic!("{target}: {e}"));
            let walked = locate(&doc, &path.query(&doc).all());
            assert_eq!(select(&doc, &path, target), walked, "{target}");
            assert!(!walked.is_empty(), "{target} selects something");
        }
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
    fn an_update_records_the_nodes_it_inserts_appends_or_replaces_not_those_it_merges_into() {
        let mut doc = json!({"a": {"keep": 1, "list": [1], "s": "old"}, "b": [0]});
        let o = overlay(
            "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.a\n    update: {list: [2, 3], s: new, n~/w: {}}\n  - target: $.b\n    update: 9\n  - target: $.c\n    remove: true\n",
        );
        let applied = o.apply_recording(&mut doc).unwrap();
        let written: Vec<Vec<String>> = applied
            .writes
            .iter()
            .map(|a| a.written.iter().map(ToString::to_string).collect())
            .collect();
        assert_eq!(
            written,
            [
                vec!["#/a/list/1", "#/a/list/2", "#/a/s", "#/a/n~0~1w"],
                vec!["#/b/1"],
                vec![],
            ]
        );
        assert_eq!(applied.writes[1].target, "$.b");
        assert_eq!(applied.warnings.len(), 1);
    }

    #[test]
    fn an_alias_bomb_in_the_overlay_is_refused_by_the_bounded_reader_naming_the_overlay() {
        let text = crate::spec::yaml::tests::alias_bomb("overlay: 1.0.0");
        let e = Overlay::from_yaml(&text, "spec/overlay.yaml").unwrap_err().to_string();
        assert!(e.starts_with("spec/overlay.yaml:2:"), "{e}");
        assert!(e.contains("expands through YAML aliases"), "{e}");
    }

    #[test]
    fn unknown_fields_in_the_overlay_are_rejected() {
        assert!(
            Overlay::from_yaml("overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions: []\nextra: 1\n", "o.yaml")
                .is_err()
        );
    }

    #[test]
    fn unknown_fields_are_rejected_with_where_they_are() {
        let e = Overlay::from_yaml(
            "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.a\n    remvoe: true\n",
            "o.yaml",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("#/actions/0") && e.contains("`remvoe`"), "{e}");
        let e = Overlay::from_yaml(
            "overlay: 1.0.0\ninfo: {title: t, version: '1', titel: x}\nactions: []\n",
            "o.yaml",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("#/info") && e.contains("`titel`"), "{e}");
    }

    fn apply(doc: &mut Value, yaml: &str) -> Vec<OverlayWarning> {
        match overlay(yaml).apply(doc) {
            Ok(w) => w,
            Err(e) => panic!("overlay does not apply: {e}"),
        }
    }

    /// Specification Extensions on the Overlay, Info and Action objects, as Dwolla's TypeScript
    /// SDK overlay (`.speakeasy/overlay.yaml` of github.com/Dwolla/dwolla-typescript) writes
    /// them: `x-speakeasy-jsonpath: rfc9535` at the top, bracket-notation targets, a removal
    /// followed by the re-addition of a path under a fragment, and `x-speakeasy-metadata` on
    /// actions.
    #[test]
    fn extensions_in_the_style_of_dwollas_typescript_sdk_overlay_are_accepted() {
        let mut doc = json!({
            "servers": [{"url": "https://api.dwolla.com"}, {"url": "https://api-sandbox.dwolla.com"}],
            "paths": {"/customers": {"get": {"operationId": "listCustomers"}, "post": {"operationId": "createCustomer"}}},
            "components": {"schemas": {}}
        });
        let warnings = apply(
            &mut doc,
            r#"
overlay: 1.0.0
x-speakeasy-jsonpath: rfc9535
info:
  title: Typescript SDK Overlay
  version: 0.0.0
  x-generated-by: hand
actions:
  - target: $.servers[0]
    update:
      x-speakeasy-server-id: prod
    x-speakeasy-metadata:
      type: user-edit
      before: undefined
      after: prod
  - target: $["paths"]["/customers"]["post"]
    remove: true
    x-speakeasy-metadata: {type: user-edit}
  - target: $["paths"]
    update:
      "/customers#unverified":
        post:
          operationId: createUnverifiedCustomer
          x-speakeasy-name-override: createUnverified
  - target: $["components"]["schemas"]
    update:
      CreateUnverifiedCustomer:
        type: object
        required: [firstName]
        properties:
          firstName: {type: string}
"#,
        );
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(doc["servers"][0]["x-speakeasy-server-id"], json!("prod"));
        assert!(doc["servers"][1].get("x-speakeasy-server-id").is_none());
        assert_eq!(
            doc["paths"]["/customers"],
            json!({"get": {"operationId": "listCustomers"}})
        );
        assert_eq!(
            doc["paths"]["/customers#unverified"]["post"]["operationId"],
            json!("createUnverifiedCustomer")
        );
        assert_eq!(
            doc["components"]["schemas"]["CreateUnverifiedCustomer"]["required"],
            json!(["firstName"])
        );
    }

    // The examples of the Overlay Specification (1.0.0, and the 1.1.0 text that clarifies it),
    // each applied to a small document of the shape the example is written for.

    #[test]
    fn spec_example_structured_overlay() {
        let mut doc = json!({
            "openapi": "3.1.0",
            "info": {"title": "Pets", "version": "1"},
            "paths": {"/": {"get": {"responses": {}}}, "/pets": {"get": {"summary": "old", "responses": {}}}}
        });
        let warnings = apply(
            &mut doc,
            r#"
overlay: 1.0.0
info:
  title: Structured Overlay
  version: 1.0.0
actions:
  - target: '$' # Root of document
    update:
      info:
        x-overlay-applied: structured-overlay
      paths:
        '/':
          summary: 'The root resource'
          get:
            summary: 'Retrieve the root resource'
            x-rate-limit: 100
        '/pets':
          get:
            summary: 'Retrieve a list of pets'
            x-rate-limit: 100
      components:
      tags:
"#,
        );
        assert!(warnings.is_empty());
        assert_eq!(
            doc,
            json!({
                "openapi": "3.1.0",
                "info": {"title": "Pets", "version": "1", "x-overlay-applied": "structured-overlay"},
                "paths": {
                    "/": {"get": {"responses": {}, "summary": "Retrieve the root resource", "x-rate-limit": 100},
                          "summary": "The root resource"},
                    "/pets": {"get": {"summary": "Retrieve a list of pets", "responses": {}, "x-rate-limit": 100}}
                },
                // The example's empty `components:` and `tags:` are YAML nulls: new properties.
                "components": null,
                "tags": null
            })
        );
    }

    #[test]
    fn spec_example_targeted_overlays() {
        let mut doc = json!({"paths": {
            "/foo": {"get": {"description": "old foo"}},
            "/bar": {"get": {"description": "old bar"}, "post": {"description": "old post", "x-safe": true}}
        }});
        apply(
            &mut doc,
            r#"
overlay: 1.0.0
info:
  title: Targeted Overlays
  version: 1.0.0
actions:
  - target: $.paths['/foo'].get
    update:
      description: This is the new description
  - target: $.paths['/bar'].get
    update:
      description: This is the updated description
  - target: $.paths['/bar']
    update:
      post:
        description: This is an updated description of a child object
        x-safe: false
"#,
        );
        assert_eq!(
            doc,
            json!({"paths": {
                "/foo": {"get": {"description": "This is the new description"}},
                "/bar": {"get": {"description": "This is the updated description"},
                         "post": {"description": "This is an updated description of a child object", "x-safe": false}}
            }})
        );
    }

    /// Overlay 1.1's form of the targeted example selects the primitive itself.
    #[test]
    fn spec_example_targeted_overlay_on_primitives() {
        let mut doc =
            json!({"paths": {"/foo": {"get": {"description": "old"}}, "/bar": {"get": {"description": "old"}}}});
        apply(
            &mut doc,
            r#"
overlay: 1.1.0
info: {title: Targeted Overlay, version: 1.0.0}
actions:
  - target: $.paths['/foo'].get.description
    update: This is the new description
  - target: $.paths['/bar'].get.description
    update: This is the updated description
"#,
        );
        assert_eq!(
            doc["paths"]["/foo"]["get"]["description"],
            json!("This is the new description")
        );
        assert_eq!(
            doc["paths"]["/bar"]["get"]["description"],
            json!("This is the updated description")
        );
    }

    #[test]
    fn spec_example_wildcard_overlays() {
        let mut doc = json!({"paths": {
            "/a": {"get": {"parameters": [
                {"name": "filter", "in": "query", "schema": {"type": "string"}},
                {"name": "filter", "in": "header"}
            ]}, "post": {}},
            "/b": {"get": {}}
        }});
        apply(
            &mut doc,
            r#"
overlay: 1.0.0
info:
  title: Update many objects at once
  version: 1.0.0
actions:
  - target: $.paths.*.get
    update:
      x-safe: true
  - target: $.paths.*.get.parameters[?@.name=='filter' && @.in=='query']
    update:
      schema:
        $ref: '/components/schemas/filterSchema'
"#,
        );
        assert_eq!(
            doc,
            json!({"paths": {
                "/a": {"get": {"parameters": [
                    {"name": "filter", "in": "query", "schema": {"type": "string", "$ref": "/components/schemas/filterSchema"}},
                    {"name": "filter", "in": "header"}
                ], "x-safe": true}, "post": {}},
                "/b": {"get": {"x-safe": true}}
            }})
        );
    }

    #[test]
    fn spec_example_array_modification() {
        let mut doc = json!({"paths": {
            "/a": {"get": {"parameters": [{"name": "dummy", "in": "query"}, {"name": "keep", "in": "query"}], "tags": ["dummy", "a"]}},
            "/b": {"get": {"parameters": []}}
        }});
        apply(
            &mut doc,
            r#"
overlay: 1.0.0
info:
  title: Add an array element
  version: 1.0.0
actions:
  - target: $.paths.*.get.parameters
    update:
      name: newParam
      in: query
"#,
        );
        apply(
            &mut doc,
            r#"
overlay: 1.0.0
info:
  title: Remove a array element
  version: 1.0.0
actions:
  - target: $.paths.*.get.parameters[?@.name == 'dummy']
    remove: true
"#,
        );
        // Overlay 1.1: the same for primitive elements.
        apply(
            &mut doc,
            r#"
overlay: 1.1.0
info:
  title: Remove a primitive array element
  version: 1.0.0
actions:
  - target: $.paths.*.get.tags[?@ == 'dummy']
    remove: true
"#,
        );
        assert_eq!(
            doc,
            json!({"paths": {
                "/a": {"get": {"parameters": [{"name": "keep", "in": "query"}, {"name": "newParam", "in": "query"}], "tags": ["a"]}},
                "/b": {"get": {"parameters": [{"name": "newParam", "in": "query"}]}}
            }})
        );
    }

    fn traits_document() -> Value {
        json!({
            "openapi": "3.1.0",
            "info": {"title": "API with a paged collection", "version": "1.0.0"},
            "paths": {
                "/items": {"get": {"x-oai-traits": ["paged"], "responses": {"200": {"description": "OK"}}}},
                "/items/{id}/subitems": {"get": {"x-oai-traits": ["paged"],
                    "parameters": [{"name": "id", "in": "path", "required": true}],
                    "responses": {"200": {"description": "OK"}}}},
                "/other": {"get": {"responses": {"200": {"description": "OK"}}}}
            }
        })
    }

    /// Overlay 1.1's traits example, with its documented result: the update's `parameters`
    /// are concatenated with the operation's own.
    #[test]
    fn spec_example_traits() {
        let mut doc = traits_document();
        let warnings = apply(
            &mut doc,
            r#"
overlay: 1.0.0
info:
  title: Apply Traits
  version: 1.0.0
actions:
  - target: $.paths[?(@.get['x-oai-traits'][?(@ == 'paged')])].get
    update:
      parameters:
        - name: top
          in: query
        - name: skip
          in: query
"#,
        );
        assert!(warnings.is_empty());
        let paging = json!([{"name": "top", "in": "query"}, {"name": "skip", "in": "query"}]);
        assert_eq!(doc["paths"]["/items"]["get"]["parameters"], paging);
        assert_eq!(
            doc["paths"]["/items/{id}/subitems"]["get"]["parameters"],
            json!([{"name": "id", "in": "path", "required": true}, {"name": "top", "in": "query"}, {"name": "skip", "in": "query"}])
        );
        assert!(doc["paths"]["/other"]["get"].get("parameters").is_none());
    }

    /// Overlay 1.0's traits example writes `x-oai-traits` in dot notation, which RFC 9535 does
    /// not allow; it is accepted. Read as RFC 9535 it tests the children of each `get` for a
    /// `x-oai-traits.paged` member, which no document has (1.1 rewrote the example for that
    /// reason), so it selects nothing: a warning, and the document is unchanged.
    #[test]
    fn spec_example_traits_of_overlay_1_0_parses_and_selects_what_rfc_9535_says() {
        let mut doc = traits_document();
        let before = doc.clone();
        let warnings = apply(
            &mut doc,
            r#"
overlay: 1.0.0
info:
  title: Apply Traits
  version: 1.0.0
actions:
  - target: $.paths.*.get[?@.x-oai-traits.paged]
    update:
      parameters:
        - name: top
          in: query
"#,
        );
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert_eq!(doc, before);
    }

    /// A filter on an extension, in dot notation and in bracket notation; the filter selects
    /// among the children of the node before it, so `$.paths.*[?..]` selects operations.
    #[test]
    fn filters_on_extensions_select_the_flagged_operations() {
        for target in ["$.paths.*[?@.x-beta==true]", "$.paths.*[?@['x-beta'] == true]"] {
            let mut doc =
                json!({"paths": {"/a": {"get": {"x-beta": true}, "post": {"x-beta": false}}, "/b": {"get": {}}}});
            apply(
                &mut doc,
                &format!(
                    "overlay: 1.0.0\ninfo: {{title: t, version: '1'}}\nactions:\n  - target: \"{target}\"\n    update: {{deprecated: true}}\n"
                ),
            );
            assert_eq!(
                doc,
                json!({"paths": {"/a": {"get": {"x-beta": true, "deprecated": true}, "post": {"x-beta": false}}, "/b": {"get": {}}}}),
                "{target}"
            );
        }
        // As the brief's form `$.paths.*.get[?@.x-beta==true]` reads under RFC 9535: the
        // children of `get` that have `x-beta`, of which there are none.
        let mut doc = json!({"paths": {"/a": {"get": {"x-beta": true, "responses": {}}}}});
        let warnings = apply(
            &mut doc,
            "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.paths.*.get[?@.x-beta==true]\n    update: {deprecated: true}\n",
        );
        assert_eq!(warnings.len(), 1);
    }

    #[test]
    fn descendant_segments_wildcards_and_slices() {
        let mut doc = json!({"components": {"schemas": {
            "A": {"type": "object", "properties": {"d": {"type": "string", "format": "date"}, "s": {"type": "string"}}},
            "B": {"type": "array", "items": {"type": "string", "format": "date"}}
        }}, "tags": [{"name": "a"}, {"name": "b"}, {"name": "c"}]});
        apply(
            &mut doc,
            r#"
overlay: 1.0.0
info: {title: t, version: "1"}
actions:
  - target: $..[?@.type == 'string' && @.format == 'date']
    update: {x-date: true}
  - target: $.components.schemas[*].properties.*
    update: {x-property: true}
  - target: $.tags[1:]
    update: {x-later: true}
  - target: $.tags[-1]
    update: {x-last: true}
"#,
        );
        assert_eq!(
            doc["components"]["schemas"]["A"]["properties"]["d"]["x-date"],
            json!(true)
        );
        assert_eq!(doc["components"]["schemas"]["B"]["items"]["x-date"], json!(true));
        assert!(
            doc["components"]["schemas"]["A"]["properties"]["s"]
                .get("x-date")
                .is_none()
        );
        assert_eq!(
            doc["components"]["schemas"]["A"]["properties"]["s"]["x-property"],
            json!(true)
        );
        assert_eq!(
            doc["tags"],
            json!([{"name": "a"}, {"name": "b", "x-later": true}, {"name": "c", "x-later": true, "x-last": true}])
        );
    }

    #[test]
    fn update_merges_arrays_by_concatenation_and_replaces_other_values() {
        let mut doc = json!({"s": {"required": ["a"], "enum": ["x"], "type": ["string", "null"], "n": {"k": 1}}});
        apply(
            &mut doc,
            r#"
overlay: 1.0.0
info: {title: t, version: "1"}
actions:
  - target: $.s
    update:
      required: [b]
      type: string
      n: 2
"#,
        );
        assert_eq!(
            doc,
            json!({"s": {"required": ["a", "b"], "enum": ["x"], "type": "string", "n": 2}})
        );
    }

    #[test]
    fn hyphenated_names_are_bracketed_outside_string_literals_only() {
        assert_eq!(
            hyphenated_names_bracketed("$.paths.*.get.x-safe").as_deref(),
            Some("$.paths.*.get['x-safe']")
        );
        assert_eq!(
            hyphenated_names_bracketed("$..x-a[?@.x-b == '.x-c']").as_deref(),
            Some("$..['x-a'][?@['x-b'] == '.x-c']")
        );
        assert_eq!(hyphenated_names_bracketed("$.a[?@.b == \"x.y-z\"]"), None);
        assert_eq!(hyphenated_names_bracketed("$.a[-1:]"), None);
        // A path that is still not RFC 9535 afterwards reports the strict parser's error.
        assert!(parse_path("$.x-a[").is_err());
    }
}
