//! The spec as other OpenAPI tools (Prism, say) read it. Dwolla's spec follows a Speakeasy
//! convention that OpenAPI itself does not allow: two operations on one method and path, told
//! apart by a `#fragment` in the path key (`/funding-sources/{id}/micro-deposits#initiate` and
//! `#verify`). No fragment reaches a server, so for a tool that routes by the request path they
//! are one HTTP endpoint; this merges them into one operation that accepts what either accepts
//! and answers what either answers. Our own generator keeps them apart.

use serde_json::{Map, Value, json};

/// Merges the operations of path keys that differ only by a `#fragment` into the path without
/// it.
pub fn merge_fragment_paths(doc: &mut Value) {
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    let fragments: Vec<String> = paths.keys().filter(|k| k.contains('#')).cloned().collect();
    for key in fragments {
        let base = key.split('#').next().unwrap_or(&key).to_owned();
        let Some(Value::Object(item)) = paths.shift_remove(&key) else {
            continue;
        };
        let target = paths.entry(base).or_insert_with(|| Value::Object(Map::new()));
        let Some(target) = target.as_object_mut() else { continue };
        for (method, op) in item {
            match target.get_mut(&method) {
                Some(existing) => merge_operations(existing, op),
                None => {
                    target.insert(method, op);
                }
            }
        }
    }
}

/// `a` becomes the operation that is `a` or `b`.
fn merge_operations(a: &mut Value, b: Value) {
    let (Some(a), Value::Object(b)) = (a.as_object_mut(), b) else {
        return;
    };
    let text = |o: &Map<String, Value>, k: &str| o.get(k).and_then(Value::as_str).unwrap_or_default().to_owned();
    let id = format!("{}_or_{}", text(a, "operationId"), text(&b, "operationId"));
    a.insert("operationId".into(), Value::String(id));
    let summary = format!("{} / {}", text(a, "summary"), text(&b, "summary"));
    a.insert("summary".into(), Value::String(summary));

    // Parameters: the union, by name and location.
    let mut params: Vec<Value> = a
        .get("parameters")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for p in b.get("parameters").and_then(Value::as_array).into_iter().flatten() {
        let same =
            |q: &Value| q.get("name") == p.get("name") && q.get("in") == p.get("in") && q.get("$ref") == p.get("$ref");
        if !params.iter().any(same) {
            params.push(p.clone());
        }
    }
    if !params.is_empty() {
        a.insert("parameters".into(), Value::Array(params));
    }

    // The body: either one's; required only if both require one.
    let a_body = a.remove("requestBody");
    let b_body = b.get("requestBody").cloned();
    let body = match (a_body, b_body) {
        (Some(x), Some(y)) => Some(merge_bodies(x, y)),
        (Some(mut one), None) | (None, Some(mut one)) => {
            if let Some(o) = one.as_object_mut() {
                o.insert("required".into(), Value::Bool(false));
            }
            Some(one)
        }
        (None, None) => None,
    };
    if let Some(body) = body {
        a.insert("requestBody".into(), body);
    }

    // Responses: the union by status; where both declare one, either's content.
    let responses = a.entry("responses").or_insert_with(|| Value::Object(Map::new()));
    if let (Some(ours), Some(theirs)) = (responses.as_object_mut(), b.get("responses").and_then(Value::as_object)) {
        for (status, r) in theirs {
            match ours.get_mut(status) {
                None => {
                    ours.insert(status.clone(), r.clone());
                }
                Some(existing) => merge_content(existing, r),
            }
        }
        let mut sorted: Vec<(String, Value)> = std::mem::take(ours).into_iter().collect();
        sorted.sort_by(|x, y| x.0.cmp(&y.0));
        ours.extend(sorted);
    }
}

fn merge_bodies(mut a: Value, b: Value) -> Value {
    let required = a.get("required").and_then(Value::as_bool).unwrap_or(false)
        && b.get("required").and_then(Value::as_bool).unwrap_or(false);
    merge_content(&mut a, &b);
    if let Some(o) = a.as_object_mut() {
        o.insert("required".into(), Value::Bool(required));
    }
    a
}

/// Merges `b`'s `content` into `a`'s: per media type, a schema that is either one.
fn merge_content(a: &mut Value, b: &Value) {
    let Some(theirs) = b.get("content").and_then(Value::as_object) else {
        return;
    };
    let Some(a) = a.as_object_mut() else { return };
    let ours = a.entry("content").or_insert_with(|| Value::Object(Map::new()));
    let Some(ours) = ours.as_object_mut() else { return };
    for (media, mt) in theirs {
        match ours.get_mut(media) {
            None => {
                ours.insert(media.clone(), mt.clone());
            }
            Some(existing) => {
                let (x, y) = (existing.get("schema").cloned(), mt.get("schema").cloned());
                if let (Some(x), Some(y), Some(o)) = (x, y, existing.as_object_mut())
                    && x != y
                {
                    o.insert("schema".into(), json!({ "anyOf": [x, y] }));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragment_paths_become_one_operation_accepting_either() {
        let mut doc = json!({"paths": {
            "/x/{id}/m#initiate": {"post": {"operationId": "initiate", "parameters": [{"name": "id", "in": "path"}],
                "responses": {"201": {"description": "created"}, "404": {"description": "nf"}}}},
            "/x/{id}/m#verify": {"post": {"operationId": "verify", "parameters": [{"name": "id", "in": "path"}],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object"}}}},
                "responses": {"200": {"description": "ok"}, "404": {"description": "nf"}}}},
            "/x/{id}/m": {"get": {"operationId": "get", "responses": {"200": {"description": "ok"}}}}
        }});
        merge_fragment_paths(&mut doc);
        let paths = doc["paths"]
            .as_object()
            .map(|p| p.keys().cloned().collect::<Vec<_>>())
            .unwrap_or_default();
        assert_eq!(paths, ["/x/{id}/m"]);
        let post = &doc["paths"]["/x/{id}/m"]["post"];
        assert_eq!(post["operationId"], "initiate_or_verify");
        assert_eq!(post["requestBody"]["required"], false, "initiate sends no body");
        assert_eq!(post["parameters"].as_array().map(Vec::len), Some(1));
        let statuses: Vec<&String> = post["responses"]
            .as_object()
            .map(|r| r.keys().collect())
            .unwrap_or_default();
        assert_eq!(statuses, ["200", "201", "404"]);
        assert_eq!(doc["paths"]["/x/{id}/m"]["get"]["operationId"], "get");
    }
}
