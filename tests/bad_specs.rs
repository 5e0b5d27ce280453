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

/// `n` component schemas in an `allOf` chain: `S0` is `S1` plus a property, `S1` is `S2` plus a
/// property, and so on; `S{n}` is a plain object.
fn all_of_chain(n: usize) -> String {
    let mut body = String::from("paths: {}\ncomponents:\n  schemas:\n");
    for i in 0..n {
        body.push_str(&format!(
            "    S{i}:\n      allOf:\n        - $ref: '#/components/schemas/S{next}'\n        - {{type: object, properties: {{p{i}: {{type: string}}}}}}\n",
            next = i + 1
        ));
    }
    body.push_str(&format!("    S{n}: {{type: object, properties: {{last: {{type: string}}}}}}\n"));
    spec(&body)
}

#[test]
fn an_all_of_cycle_through_two_schemas_names_the_pointer() {
    let e = error_of(&spec(
        "paths: {}\ncomponents:\n  schemas:\n    A:\n      allOf:\n        - $ref: '#/components/schemas/B'\n        - {type: object, properties: {a: {type: string}}}\n    B:\n      allOf:\n        - $ref: '#/components/schemas/A'\n        - {type: object, properties: {b: {type: string}}}\n",
    ));
    println!("{e}");
    assert_eq!(e.pointer(), Some("#/components/schemas/B/allOf/0"), "{e}");
    assert!(e.to_string().contains("`allOf` cycle"), "{e}");
}

#[test]
fn a_schema_that_is_all_of_itself_names_the_pointer() {
    let e = error_of(&spec(
        "paths: {}\ncomponents:\n  schemas:\n    A:\n      allOf:\n        - $ref: '#/components/schemas/A'\n        - {type: object, properties: {a: {type: string}}}\n",
    ));
    println!("{e}");
    assert_eq!(e.pointer(), Some("#/components/schemas/A/allOf/0"), "{e}");
    assert!(e.to_string().contains("`allOf` cycle"), "{e}");
}

/// Deep `allOf` chains run on a thread with a 1 MiB stack (half a test thread's default), so
/// that a guard that counts too late shows up as a crash here rather than only on some
/// machines. The depth limit is counted across components, so the error comes at the limit
/// whichever component the chain passes through.
#[test]
fn deep_all_of_chains_are_an_error_naming_the_pointer_not_a_stack_overflow() {
    for n in [700, 10_000] {
        let text = all_of_chain(n);
        let e = std::thread::Builder::new()
            .stack_size(1 << 20)
            .spawn(move || error_of(&text))
            .unwrap_or_else(|e| panic!("{e}"))
            .join()
            .unwrap_or_else(|_| panic!("{n}-deep allOf chain: generation panicked"));
        println!("{n}: {e}");
        let pointer = e.pointer().unwrap_or_else(|| panic!("{e}"));
        assert!(pointer.starts_with("#/components/schemas/S"), "{e}");
        assert!(e.to_string().contains("nest more than"), "{e}");
    }
}

#[test]
fn a_shallow_all_of_chain_generates() {
    let generated = generator::render(&all_of_chain(8), "chain.yaml", None).unwrap_or_else(|e| panic!("{e}"));
    assert!(generated.ir.types.len() >= 9);
}

/// `n` component schemas each only a `$ref` to the next, ending in an object: a chain of
/// aliases, which must not recurse once per link.
fn alias_chain(n: usize) -> String {
    let mut body = String::from("paths: {}\ncomponents:\n  schemas:\n");
    for i in 0..n {
        body.push_str(&format!("    S{i}: {{$ref: '#/components/schemas/S{}'}}\n", i + 1));
    }
    body.push_str(&format!("    S{n}: {{type: object, properties: {{last: {{type: string}}}}}}\n"));
    spec(&body)
}

#[test]
fn a_ten_thousand_long_alias_chain_does_not_overflow() {
    let text = alias_chain(10_000);
    let outcome = std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(move || generator::render(&text, "aliases.yaml", None).map(|g| g.ir.types.len()))
        .unwrap_or_else(|e| panic!("{e}"))
        .join()
        .unwrap_or_else(|_| panic!("a 10,000-long alias chain: generation panicked"));
    match outcome {
        Ok(types) => println!("10,000 aliases: {types} types"),
        Err(e) => {
            println!("10,000 aliases: {e}");
            assert!(e.pointer().is_some(), "{e}");
        }
    }
}
