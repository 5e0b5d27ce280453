//! A malformed spec fails generation with an error that names where it is wrong (a JSON pointer,
//! or a line and column for broken YAML), never with a panic.

fn spec(body: &str) -> String {
    format!("openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\n{body}")
}

fn error_of(text: &str) -> generator::Error {
    match generator::render(text, "bad.yaml", None) {
        Ok(_) => panic!("expected generation to fail for:\n{text}"),
        Err(e) => e,
    }
}

#[test]
fn dangling_ref_names_the_reference() {
    let e = error_of(&spec(
        "paths: {}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        b: {$ref: '#/components/schemas/Missing'}\n",
    ));
    println!("{e}");
    assert_eq!(e.pointer(), Some("#/components/schemas/A/properties/b/$ref"));
    assert!(
        e.to_string()
            .contains("dangling reference `#/components/schemas/Missing`"),
        "{e}"
    );
}

#[test]
fn broken_yaml_names_line_and_column() {
    let e = error_of("openapi: 3.1.0\ninfo:\n  title: t\n   version: 1\npaths: {}\n");
    println!("{e}");
    match e {
        generator::Error::Yaml { line, column, .. } => assert!(line == 4 && column > 0, "{line}:{column}"),
        other => panic!("expected a YAML error, got {other}"),
    }
}

#[test]
fn unknown_type_names_the_type_keyword() {
    let e = error_of(&spec(
        "paths: {}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        n: {type: decimal}\n",
    ));
    println!("{e}");
    assert_eq!(e.pointer(), Some("#/components/schemas/A/properties/n/type"));
    assert!(e.to_string().contains("unknown type `decimal`"), "{e}");
}

#[test]
fn duplicate_operation_id_names_both_places() {
    let op = "{operationId: getThing, responses: {'200': {description: ok}}}";
    let e = error_of(&spec(&format!("paths:\n  /a:\n    get: {op}\n  /b:\n    get: {op}\n")));
    println!("{e}");
    assert_eq!(e.pointer(), Some("#/paths/~1b/get/operationId"));
    assert!(
        e.to_string()
            .contains("duplicate operationId `getThing` (first used at #/paths/~1a/get)"),
        "{e}"
    );
}

#[test]
fn other_unsupported_constructs_name_their_pointer() {
    let cases = [
        (
            "components:\n  schemas:\n    A: {$ref: 'other.yaml#/A'}\npaths: {}\n",
            "#/components/schemas/A/$ref",
            "external reference",
        ),
        (
            "components:\n  schemas:\n    A: {type: [string, integer]}\npaths: {}\n",
            "#/components/schemas/A/type",
            "union of types",
        ),
        (
            "components:\n  schemas:\n    A: {type: object, patternProperties: {x: {}}}\npaths: {}\n",
            "#/components/schemas/A/patternProperties",
            "pattern-based",
        ),
        (
            "paths:\n  /a/{id}:\n    get: {operationId: a, responses: {'200': {description: ok}}}\n",
            "#/paths/~1a~1{id}/get",
            "path parameter `id` is not declared",
        ),
        (
            "paths:\n  /a:\n    get:\n      operationId: a\n      parameters: [{name: x, in: nowhere}]\n      responses: {'200': {description: ok}}\n",
            "#/paths/~1a/get/parameters/0",
            "nowhere",
        ),
    ];
    for (body, pointer, words) in cases {
        let e = error_of(&spec(body));
        println!("{e}");
        assert_eq!(e.pointer(), Some(pointer), "{e}");
        assert!(e.to_string().contains(words), "{e}");
    }
}
