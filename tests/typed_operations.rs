//! No untyped operation: every request body and every success response of the crate is a named
//! Rust type, never `serde_json::Value` or a map of them; and the rule that keeps the customer
//! update's 15 shapes 15 variants (an `anyOf` keeps components of the same structure apart).

use generator::ir::{BodyKind, Ir, TypeKind, TypeRef};

fn untyped(t: &TypeRef) -> bool {
    !matches!(t, TypeRef::Named(_))
}

/// `(operationId, what)` of every body or success result that is not a named type.
fn untyped_operations(ir: &Ir) -> Vec<String> {
    let mut found = Vec::new();
    for op in &ir.operations {
        if let Some(body) = &op.body
            && let BodyKind::Json(t) | BodyKind::Form(t) = &body.kind
            && untyped(t)
        {
            found.push(format!("{}: request body {t:?}", op.id));
        }
        // A response with a `Location` gives `Created`, whatever body it declares.
        for r in op.responses.iter().filter(|r| r.status.is_success() && !r.location) {
            if let Some(t) = &r.body
                && untyped(t)
            {
                found.push(format!("{}: {:?} result {t:?}", op.id, r.status));
            }
        }
    }
    found
}

#[test]
fn every_request_body_and_success_result_is_a_named_type() {
    let root = workspace_tests::workspace_root();
    let generated = generator::render_workspace(&root).unwrap_or_else(|e| panic!("{e}"));
    let found = untyped_operations(&generated.ir);
    assert!(found.is_empty(), "untyped operations:\n{}", found.join("\n"));

    // The checked-in surface says the same: no input or output is `Value` or `Map<..>`.
    let surface = std::fs::read_to_string(root.join("generated/api-surface.json")).unwrap_or_else(|e| panic!("{e}"));
    let surface: serde_json::Value = serde_json::from_str(&surface).unwrap_or_else(|e| panic!("{e}"));
    let mut raw = Vec::new();
    for op in surface["operations"].as_array().into_iter().flatten() {
        let inputs = op["inputs"].as_array().into_iter().flatten().map(|i| &i["ty"]);
        for ty in inputs.chain(std::iter::once(&op["output"])) {
            let ty = ty.as_str().unwrap_or("");
            if ty.contains("Value") || ty.starts_with("Map<") {
                raw.push(format!("{}: {ty}", op["id"]));
            }
        }
    }
    assert!(raw.is_empty(), "api-surface.json lists untyped inputs or outputs:\n{}", raw.join("\n"));
}

/// Two components of one structure, offered as `anyOf` (a body may be either, and the API
/// tells them apart by state) and as `oneOf`.
const SPEC: &str = r#"
openapi: 3.1.0
info: {title: twins, version: '1'}
paths:
  /things/{id}:
    post:
      operationId: changeThing
      tags: [things]
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      requestBody:
        required: true
        content:
          application/json:
            schema:
              anyOf:
                - $ref: '#/components/schemas/Upgrade'
                - $ref: '#/components/schemas/Retry'
                - $ref: '#/components/schemas/Suspend'
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                oneOf:
                  - $ref: '#/components/schemas/Upgrade'
                  - $ref: '#/components/schemas/Retry'
components:
  schemas:
    Upgrade:
      type: object
      required: [name]
      properties:
        name: {type: string, example: Jane}
    Retry:
      type: object
      required: [name]
      properties:
        name: {type: string, example: Jane}
    Suspend:
      type: object
      required: [status]
      properties:
        status: {type: string, const: suspended}
"#;

#[test]
fn an_any_of_keeps_components_of_one_structure_as_variants_of_their_own() {
    let generated = generator::render(SPEC, "twins.yaml", None).unwrap_or_else(|e| panic!("{e}"));
    let ir = &generated.ir;
    let op = &ir.operations[0];
    let Some(BodyKind::Json(TypeRef::Named(body))) = op.body.as_ref().map(|b| &b.kind) else {
        panic!("the body is not a named type: {:?}", op.body);
    };
    let TypeKind::Union(u) = &ir.types[body.0].kind else {
        panic!("the anyOf body is not a union: {:?}", ir.types[body.0].kind);
    };
    let names: Vec<&str> = u.variants.iter().map(|v| v.ident.as_str()).collect();
    assert_eq!(names, ["Upgrade", "Retry", "Suspend"]);

    // The `oneOf` of the same two components says one thing twice: one type.
    let result = op.responses[0].body.as_ref().and_then(TypeRef::named).unwrap_or_else(|| panic!("no result"));
    assert!(
        !matches!(ir.types[result.0].kind, TypeKind::Union(_)),
        "a oneOf of two identical components became a union"
    );

    // `From` only where the variant is unambiguous: a `Retry` is also an `Upgrade`.
    let models: String = generated
        .files
        .iter()
        .filter(|(p, _)| p.starts_with("src/models/"))
        .map(|(_, text)| text.as_str())
        .collect();
    let body_name = &ir.types[body.0].name;
    let from = |t: &str| models.contains(&format!("impl ::std::convert::From<crate::models::{t}> for {body_name}"));
    assert!(from("Suspend"), "no From<Suspend> for {body_name}");
    assert!(!from("Upgrade") && !from("Retry"), "From for a type two variants hold");
}
