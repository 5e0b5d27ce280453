//! The change report (`generator::report`) against facts computed independently of it:
//!
//! - for every pair of consecutive real revisions (`spec/history/*`, then `spec/dwolla.yaml`),
//!   the component schemas, operationIds and properties per component that the report says were
//!   added or removed are exactly those a plain diff of the two YAML documents finds;
//! - on two small specs written for the purpose, every change is found and marked breaking or
//!   not as the rules in `generator/src/report/mod.rs` say.

use std::collections::{BTreeMap, BTreeSet};

use generator::report::{self, ChangeKind, Report, Subject, Surface};
use serde_yaml::Value;
use workspace_tests::{history_revisions, workspace_root};

// ------------------------------------------------------------------------------------------
// The independent diff: straight from the YAML, no generator code involved.

fn components(doc: &Value) -> BTreeMap<String, Value> {
    doc.get("components")
        .and_then(|c| c.get("schemas"))
        .and_then(Value::as_mapping)
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| Some((k.as_str()?.to_owned(), v.clone())))
                .collect()
        })
        .unwrap_or_default()
}

/// The property names of a component: its own `properties`, those of its `allOf` parts, and
/// those of the component a bare `$ref` or an `allOf` part points at.
fn properties(schemas: &BTreeMap<String, Value>, schema: &Value, depth: usize) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    if depth > 32 {
        return out;
    }
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let name = r.trim_start_matches("#/components/schemas/");
        if let Some(target) = schemas.get(name) {
            out.extend(properties(schemas, target, depth + 1));
        }
    }
    if let Some(props) = schema.get("properties").and_then(Value::as_mapping) {
        out.extend(props.keys().filter_map(|k| k.as_str().map(str::to_owned)));
    }
    for part in schema.get("allOf").and_then(Value::as_sequence).into_iter().flatten() {
        out.extend(properties(schemas, part, depth + 1));
    }
    out
}

fn operation_ids(doc: &Value) -> BTreeSet<String> {
    let methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
    let mut out = BTreeSet::new();
    for (_, item) in doc.get("paths").and_then(Value::as_mapping).into_iter().flatten() {
        for m in methods {
            if let Some(id) = item.get(m).and_then(|op| op.get("operationId")).and_then(Value::as_str) {
                out.insert(id.to_owned());
            }
        }
    }
    out
}

/// Added and removed names, as `+name` and `-name`.
fn delta(old: &BTreeSet<String>, new: &BTreeSet<String>) -> BTreeSet<String> {
    new.difference(old)
        .map(|n| format!("+{n}"))
        .chain(old.difference(new).map(|n| format!("-{n}")))
        .collect()
}

// ------------------------------------------------------------------------------------------
// The same facts, read off the report.

/// Component schemas the report adds and removes: types added or removed, and types that now
/// come from another schema (`SchemaChanged`) while keeping their Rust name.
fn reported_components(r: &Report) -> BTreeSet<String> {
    let component = |k: &str| !k.starts_with('~');
    let mut out = BTreeSet::new();
    for c in &r.changes {
        let Subject::Type { key, .. } = &c.subject else {
            continue;
        };
        match &c.kind {
            ChangeKind::TypeAdded { .. } if component(key) => {
                out.insert(format!("+{key}"));
            }
            ChangeKind::TypeRemoved { .. } if component(key) => {
                out.insert(format!("-{key}"));
            }
            ChangeKind::SchemaChanged { from, to } => {
                if component(to) {
                    out.insert(format!("+{to}"));
                }
                if component(from) {
                    out.insert(format!("-{from}"));
                }
            }
            _ => {}
        }
    }
    out
}

fn reported_operations(r: &Report) -> BTreeSet<String> {
    r.changes
        .iter()
        .filter_map(|c| match (&c.subject, &c.kind) {
            (Subject::Operation { id, .. }, ChangeKind::OperationAdded) => Some(format!("+{id}")),
            (Subject::Operation { id, .. }, ChangeKind::OperationRemoved) => Some(format!("-{id}")),
            _ => None,
        })
        .collect()
}

/// Fields added and removed per type key.
fn reported_fields(r: &Report) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for c in &r.changes {
        let Subject::Type { key, .. } = &c.subject else {
            continue;
        };
        let entry = match &c.kind {
            ChangeKind::FieldAdded { wire, .. } => format!("+{wire}"),
            ChangeKind::FieldRemoved { wire, .. } => format!("-{wire}"),
            _ => continue,
        };
        out.entry(key.clone()).or_default().insert(entry);
    }
    out
}

/// Where the report lists the field changes of component `name`: under the component, unless
/// it is an alias of the same type in both generations (then under that type).
fn fields_key(old: &Surface, new: &Surface, name: &str) -> Option<String> {
    let (o, n) = (old.component(name)?, new.component(name)?);
    let (ro, rn) = (old.resolve(name)?, new.resolve(name)?);
    let both_alias = ro.key != o.key && rn.key != n.key;
    Some(if both_alias && ro.key == rn.key {
        rn.key.clone()
    } else {
        n.key.clone()
    })
}

fn revisions() -> Vec<(String, String)> {
    let root = workspace_root();
    let mut paths = history_revisions();
    assert_eq!(paths.len(), 5, "expected the five historical revisions");
    paths.push(root.join(generator::SPEC_PATH));
    paths
        .iter()
        .map(|p| {
            let name = p.strip_prefix(&root).unwrap_or(p).to_string_lossy().replace('\\', "/");
            (
                name,
                std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display())),
            )
        })
        .collect()
}

#[test]
fn reports_exactly_the_schemas_operations_and_properties_each_real_revision_added_or_removed() {
    let overlay =
        std::fs::read_to_string(workspace_root().join(generator::OVERLAY_PATH)).unwrap_or_else(|e| panic!("{e}"));
    let overlay = Some((overlay.as_str(), generator::OVERLAY_PATH));
    let revs = revisions();
    let mut surfaces = Vec::new();
    let mut docs = Vec::new();
    for (name, text) in &revs {
        let g = generator::render(text, name, overlay).unwrap_or_else(|e| panic!("{name}: {e}"));
        surfaces.push(Surface::of(&g.ir));
        docs.push(serde_yaml::from_str::<Value>(text).unwrap_or_else(|e| panic!("{name}: {e}")));
    }
    let mut checked_fields = 0;
    for i in 1..revs.len() {
        let pair = format!("{} -> {}", revs[i - 1].0, revs[i].0);
        let (old, new) = (&surfaces[i - 1], &surfaces[i]);
        let r = report::compare(old, new);
        assert!(
            report::compare(new, new).changes.is_empty(),
            "{pair}: a surface compared with itself"
        );

        let (old_schemas, new_schemas) = (components(&docs[i - 1]), components(&docs[i]));
        let want = delta(
            &old_schemas.keys().cloned().collect(),
            &new_schemas.keys().cloned().collect(),
        );
        assert_eq!(reported_components(&r), want, "{pair}: component schemas added/removed");

        let want = delta(&operation_ids(&docs[i - 1]), &operation_ids(&docs[i]));
        assert_eq!(reported_operations(&r), want, "{pair}: operations added/removed");

        // Properties of the components both revisions have, where the report puts them.
        let mut want: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (name, schema) in &new_schemas {
            let Some(before) = old_schemas.get(name) else { continue };
            let d = delta(
                &properties(&old_schemas, before, 0),
                &properties(&new_schemas, schema, 0),
            );
            if d.is_empty() {
                continue;
            }
            let key = fields_key(old, new, name).unwrap_or_else(|| panic!("{pair}: {name} is not a type"));
            want.entry(key).or_default().extend(d);
        }
        let got: BTreeMap<String, BTreeSet<String>> = reported_fields(&r)
            .into_iter()
            .filter(|(k, _)| !k.starts_with('~'))
            .collect();
        assert_eq!(got, want, "{pair}: properties added/removed per component");
        checked_fields += want.len();

        println!("## {pair}\n\n{}\n{}", r.summary(), r.list());
    }
    // The history does change properties (FundingSource, ExchangeSession): the comparison
    // above is not vacuous.
    assert!(checked_fields >= 2, "expected property changes in the history");
}

// ------------------------------------------------------------------------------------------
// Versions and the changelog, over the real revisions, through `render_workspace` as
// `cargo xtask codegen` runs it, each revision published (as `cargo xtask release` does) before
// the next: each release is then measured against the revision before it.

/// The version a `0.y.z` crate moves to, by the rule written out again here: a breaking change
/// is a new `y`, any other change a new `z`, no change none.
fn expected_version(previous: &str, breaking: bool, changed: bool) -> String {
    let numbers: Vec<u64> = previous
        .split('.')
        .map(|n| n.parse().unwrap_or_else(|e| panic!("{previous}: {e}")))
        .collect();
    let [0, y, z] = numbers[..] else {
        panic!("{previous} is not 0.y.z")
    };
    match (changed, breaking) {
        (false, _) => previous.to_owned(),
        (true, true) => format!("0.{}.0", y + 1),
        (true, false) => format!("0.{y}.{}", z + 1),
    }
}

/// `version = ".."` of the `[package]` table.
fn manifest_version(manifest: &str) -> String {
    let package = manifest.split("[package]").nth(1).unwrap_or_default();
    package
        .lines()
        .take_while(|l| !l.starts_with('['))
        .find_map(|l| l.strip_prefix("version = \""))
        .and_then(|v| v.strip_suffix('"'))
        .unwrap_or_else(|| panic!("no version in [package]:\n{manifest}"))
        .to_owned()
}

#[test]
fn each_real_revision_moves_the_version_as_its_report_says_and_adds_a_changelog_entry() {
    let root = workspace_root();
    let work = workspace_tests::scratch_dir("change-report-versions");
    let write = |rel: &str, text: &str| {
        let path = work.join(rel);
        std::fs::create_dir_all(path.parent().unwrap_or(&work)).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    };
    let overlay =
        std::fs::read_to_string(root.join(generator::OVERLAY_PATH)).unwrap_or_else(|e| panic!("{e}"));
    write(generator::OVERLAY_PATH, &overlay);
    let snapshot_path = format!("{}/{}", generator::OUTPUT_DIR, report::SNAPSHOT_FILE);

    let mut previous: Option<(String, String)> = None; // version and CHANGELOG.md
    let mut bumps = BTreeSet::new();
    for (name, text) in revisions() {
        write(generator::SPEC_PATH, &text);
        let g = generator::render_workspace(&work).unwrap_or_else(|e| panic!("{name}: {e}"));
        let file = |rel: &str| {
            g.files
                .get(rel)
                .cloned()
                .unwrap_or_else(|| panic!("{name}: no {rel}"))
        };
        let (manifest, log, snapshot) = (file("Cargo.toml"), file(report::CHANGELOG_FILE), file(report::SNAPSHOT_FILE));
        let version = manifest_version(&manifest);
        let sections = log.matches("\n## ").count();
        match &previous {
            None => {
                assert_eq!(version, "0.1.0", "{name}: the first recorded generation");
                assert!(g.changes.as_ref().is_some_and(|c| c.report().is_none()), "{name}: a baseline");
                assert!(log.contains("\n## 0.1.0\n") && sections == 1, "{name}:\n{log}");
                println!("{name}: {version} (first recorded)");
            }
            Some((before, before_log)) => {
                let r = g
                    .changes
                    .as_ref()
                    .and_then(|c| c.report())
                    .unwrap_or_else(|| panic!("{name}: no report against the revision before"));
                let breaking = r.breaking().count();
                let want = expected_version(before, breaking > 0, !r.changes.is_empty());
                assert_eq!(version, want, "{name}: {breaking} breaking of {} changes", r.changes.len());
                // Earlier entries stay as they were, below the new one.
                let preamble_end = before_log.find("\n## ").unwrap_or(before_log.len());
                assert!(log.ends_with(&before_log[preamble_end..]), "{name}: earlier entries changed:\n{log}");
                if want == *before {
                    assert_eq!(&log, before_log, "{name}: no change to the API, no entry");
                } else {
                    let entry = log.split("\n## ").nth(1).unwrap_or_default();
                    assert!(entry.starts_with(&format!("{want}\n\n")), "{name}: the newest entry first:\n{entry}");
                    let verdict = if breaking > 0 {
                        format!("Breaking: code that compiled against {before} may have to change.")
                    } else {
                        format!("code that compiled against {before} still does.")
                    };
                    assert!(entry.contains(&verdict), "{name}: the entry says {verdict:?}:\n{entry}");
                    assert!(entry.contains(&r.summary()), "{name}: the entry holds the report's summary");
                    assert!(entry.contains(&r.list_at("###")), "{name}: the entry lists every change");
                    assert_eq!(sections, before_log.matches("\n## ").count() + 1, "{name}: one entry more");
                }
                bumps.insert(if want == *before { "none" } else if breaking > 0 { "minor" } else { "patch" });
                println!(
                    "{name}: {before} -> {version} ({breaking} breaking of {} changes)",
                    r.changes.len()
                );
            }
        }

        // As `cargo xtask codegen` leaves it; run again, nothing moves.
        write(&snapshot_path, &snapshot);
        let again = generator::render_workspace(&work).unwrap_or_else(|e| panic!("{name}: {e}"));
        for rel in ["Cargo.toml", report::CHANGELOG_FILE, report::SNAPSHOT_FILE, report::CHANGES_FILE] {
            assert_eq!(again.files.get(rel), g.files.get(rel), "{name}: {rel} moved on a rerun");
        }
        assert!(again.changes.is_some_and(|c| !c.fresh && c.release.is_none()));
        // Published, as `cargo xtask release` leaves it: its entry stays, no longer marked pending.
        let mut published = report::Snapshot::parse(&snapshot).unwrap_or_else(|e| panic!("{name}: {e}"));
        published.publish();
        write(&snapshot_path, &published.to_text().unwrap_or_else(|e| panic!("{name}: {e}")));
        let log = log.replace("*Not published yet: this entry lists the changes so far.*\n\n", "");
        previous = Some((version, log));
    }
    // The history breaks the API at least once; the check of the breaking rule is not vacuous.
    assert!(bumps.contains("minor"), "{bumps:?}");
}

// ------------------------------------------------------------------------------------------
// The rules, on specs made for them.

const OLD: &str = r#"
openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /things:
    get:
      operationId: listThings
      parameters:
        - {name: limit, in: query, schema: {type: integer}}
        - {name: sort, in: query, schema: {type: string}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}}
    post:
      operationId: createThing
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: '#/components/schemas/NewThing'}}}
      responses:
        '200': {description: ok}
  /gone:
    get: {operationId: goneOp, responses: {'200': {description: ok}}}
components:
  schemas:
    Thing:
      type: object
      required: [id]
      properties:
        id: {type: string}
        size: {type: integer}
        status: {type: string, enum: [active, inactive]}
        note: {type: string}
    NewThing:
      type: object
      required: [name]
      properties:
        name: {type: string}
    Old:
      type: object
      properties:
        a: {type: string}
"#;

const NEW: &str = r#"
openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /things:
    get:
      operationId: listThings
      parameters:
        - {name: limit, in: query, required: true, schema: {type: integer}}
        - {name: owner, in: query, required: true, schema: {type: string}}
        - {name: cursor, in: query, schema: {type: string}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}}
        '404': {description: missing, content: {application/json: {schema: {$ref: '#/components/schemas/Problem'}}}}
    post:
      operationId: createThing
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: '#/components/schemas/NewThing'}}}
      responses:
        '200': {description: ok}
  /new:
    get: {operationId: newOp, responses: {'200': {description: ok}}}
components:
  schemas:
    Thing:
      type: object
      required: [id, created, note]
      properties:
        id: {type: string}
        size: {type: string}
        status: {type: string, enum: [active, archived]}
        note: {type: string}
        color: {type: string}
        created: {type: string}
    NewThing:
      type: object
      required: [name, kind]
      properties:
        name: {type: string}
        kind: {type: string}
        tag: {type: string}
    Problem:
      type: object
      properties:
        code: {type: string}
"#;

/// `subject change:what` and whether the report calls it breaking.
fn verdicts(r: &Report) -> BTreeMap<String, bool> {
    r.changes
        .iter()
        .map(|c| {
            let subject = match &c.subject {
                Subject::Operation { id, .. } => id.clone(),
                Subject::Type { key, .. } => key.clone(),
                Subject::ErrorBody => "ApiErrorBody".into(),
                Subject::Rust { path, .. } => path.clone(),
            };
            let json = serde_json::to_value(c).unwrap_or_else(|e| panic!("{e}"));
            let what = ["wire", "status", "name"]
                .iter()
                .find_map(|k| json.get(*k).and_then(serde_json::Value::as_str))
                .unwrap_or("");
            let change = json.get("change").and_then(serde_json::Value::as_str).unwrap_or("?");
            (format!("{subject} {change}:{what}"), c.breaking())
        })
        .collect()
}

#[test]
fn every_change_is_found_and_classified_by_the_rules() {
    let old = generator::render(OLD, "old.yaml", None).unwrap_or_else(|e| panic!("{e}"));
    let new = generator::render(NEW, "new.yaml", None).unwrap_or_else(|e| panic!("{e}"));
    let r = report::compare_irs(&old.ir, &new.ir);
    let got = verdicts(&r);
    let want: BTreeMap<String, bool> = [
        // Operations.
        ("newOp operation_added:", false),
        ("goneOp operation_removed:", true),
        ("listThings input_now_required:limit", true),
        ("listThings input_added:owner", true),
        ("listThings input_added:cursor", false),
        ("listThings input_removed:sort", true),
        ("listThings error_added:404", false),
        ("ApiErrorBody error_body_added:Problem", false),
        // Types.
        ("Problem type_added:", false),
        ("Old type_removed:", true),
        ("Thing field_added:color", false),
        ("Thing field_added:created", false),
        ("Thing field_type_changed:size", true),
        ("Thing field_now_required:note", true),
        ("NewThing field_added:kind", true),
        ("NewThing field_added:tag", false),
        ("~ThingStatus value_added:archived", false),
        ("~ThingStatus value_removed:inactive", true),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    for c in &r.changes {
        println!("{:?} {:?}: {}", c.subject, c.breaking(), c.kind.describe());
    }
    assert_eq!(got, want);
}

#[test]
fn renamed_types_fields_and_reordered_arguments_are_breaking() {
    // `Thing` is renamed in the spec but keeps its Rust name (`thing` → `Thing`): no break. A
    // field's Rust name changes with its wire name only by being another field, so renames
    // are exercised through a key collision: the inline `_links` of `A` is named `ALinks`
    // until a component called `ALinks` arrives.
    let old = r#"
openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /a/{x}/{y}:
    get:
      operationId: getA
      parameters:
        - {name: x, in: path, required: true, schema: {type: string}}
        - {name: y, in: path, required: true, schema: {type: string}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/A'}}}}
components:
  schemas:
    thing: {type: object, properties: {n: {type: integer}}}
    A:
      type: object
      properties:
        _links: {type: object, properties: {self: {type: string}}}
"#;
    let new = r#"
openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /a/{y}/{x}:
    get:
      operationId: getA
      parameters:
        - {name: x, in: path, required: true, schema: {type: string}}
        - {name: y, in: path, required: true, schema: {type: string}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/A'}}}}
components:
  schemas:
    ALinks: {type: object, properties: {other: {type: boolean}}}
    Thing: {type: object, properties: {n: {type: integer}}}
    A:
      type: object
      properties:
        _links: {type: object, properties: {self: {type: string}}}
"#;
    let old = generator::render(old, "old.yaml", None).unwrap_or_else(|e| panic!("{e}"));
    let new = generator::render(new, "new.yaml", None).unwrap_or_else(|e| panic!("{e}"));
    let r = report::compare_irs(&old.ir, &new.ir);
    for c in &r.changes {
        println!("{:?} {:?}: {}", c.subject, c.breaking(), c.kind.describe());
    }
    let got = verdicts(&r);
    let want: BTreeMap<String, bool> = [
        ("getA request_changed:", false),
        ("getA arguments_reordered:", true),
        ("ALinks type_added:", false),
        ("Thing schema_changed:", false),
        ("~ALinks2 type_renamed:", true),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    assert_eq!(got, want);
}
