//! Synthetic specs for tests and benchmarks.

/// A spec of `n` object schemas in a chain (`S0.next` is `S1`, ...), each with a few
/// properties, an enum and an inline object, plus one operation that returns `S0`.
pub fn many_schemas(n: usize) -> String {
    let mut s = String::with_capacity(n * 400);
    s.push_str("openapi: 3.1.0\ninfo: {title: many, version: '1'}\npaths:\n  /s0:\n    get:\n      operationId: getS0\n      tags: [many]\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/S0'}\ncomponents:\n  schemas:\n");
    for i in 0..n {
        s.push_str(&format!(
            "    S{i}:\n      type: object\n      required: [id]\n      properties:\n        id: {{type: string, example: id-{i}}}\n        count: {{type: integer, format: int32}}\n        state: {{type: string, enum: [a{i}, b{i}]}}\n        inner:\n          type: object\n          properties:\n            v{i}: {{type: string}}\n"
        ));
        if i + 1 < n {
            s.push_str(&format!("        next: {{$ref: '#/components/schemas/S{}'}}\n", i + 1));
        }
    }
    s
}
