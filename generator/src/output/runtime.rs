//! The hand-written part of the generated crate (its root and the modules that name generated
//! types in `generator/crate-src/`, the examples in `generator/crate-examples/` and the test
//! support in `generator/crate-tests/`), compiled into the generator so that output never depends
//! on where the generator runs. Each file is written to `generated/` with a preamble, so the drift
//! check covers it like everything else. The runtime (`generator/runtime/`) is a crate of its own,
//! which the generated crate depends on; it is not copied.

/// `(path under generated/, path under generator/, contents)`.
pub const RUNTIME_FILES: &[(&str, &str, &str)] = &[
    (
        "examples/create_customer_and_funding_source.rs",
        "crate-examples/create_customer_and_funding_source.rs",
        include_str!("../../crate-examples/create_customer_and_funding_source.rs"),
    ),
    (
        "examples/transfers_with_idempotency.rs",
        "crate-examples/transfers_with_idempotency.rs",
        include_str!("../../crate-examples/transfers_with_idempotency.rs"),
    ),
    (
        "examples/webhook_receiver.rs",
        "crate-examples/webhook_receiver.rs",
        include_str!("../../crate-examples/webhook_receiver.rs"),
    ),
    (
        "examples/exchange_session.rs",
        "crate-examples/exchange_session.rs",
        include_str!("../../crate-examples/exchange_session.rs"),
    ),
    (
        "tests/prism/mod.rs",
        "crate-tests/prism.rs",
        include_str!("../../crate-tests/prism.rs"),
    ),
    (
        "tests/contract_support/mod.rs",
        "crate-tests/contract_support.rs",
        include_str!("../../crate-tests/contract_support.rs"),
    ),
    (
        "tests/fuzz/mod.rs",
        "crate-tests/fuzz.rs",
        include_str!("../../crate-tests/fuzz.rs"),
    ),
    (
        "tests/strict_mock/mod.rs",
        "crate-tests/strict_mock.rs",
        include_str!("../../crate-tests/strict_mock.rs"),
    ),
    (
        "tests/fault_matrix/mod.rs",
        "crate-tests/fault_matrix.rs",
        include_str!("../../crate-tests/fault_matrix.rs"),
    ),
    (
        "tests/fault_server/mod.rs",
        "crate-tests/fault_server.rs",
        include_str!("../../crate-tests/fault_server.rs"),
    ),
    (
        "tests/docs_replay/mod.rs",
        "crate-tests/docs_replay.rs",
        include_str!("../../crate-tests/docs_replay.rs"),
    ),
    ("src/lib.rs", "crate-src/lib.rs", include_str!("../../crate-src/lib.rs")),
    (
        "src/client.rs",
        "crate-src/client.rs",
        include_str!("../../crate-src/client.rs"),
    ),
    (
        "src/webhooks.rs",
        "crate-src/webhooks.rs",
        include_str!("../../crate-src/webhooks.rs"),
    ),
    (
        "src/test_util/mod.rs",
        "crate-src/test_util.rs",
        include_str!("../../crate-src/test_util.rs"),
    ),
];

#[cfg(test)]
mod tests {
    use super::RUNTIME_FILES;

    /// A file added to `generator/crate-src/` (or the examples, or the test support) but not
    /// listed here would silently not ship.
    #[test]
    fn every_runtime_file_is_listed() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut on_disk = Vec::new();
        for sub in ["crate-src", "crate-examples", "crate-tests"] {
            let dir = root.join(sub);
            let mut stack = vec![dir.clone()];
            while let Some(d) = stack.pop() {
                for entry in std::fs::read_dir(&d).unwrap() {
                    let p = entry.unwrap().path();
                    if p.is_dir() {
                        stack.push(p);
                    } else {
                        on_disk.push(format!("{sub}/{}", p.strip_prefix(&dir).unwrap().display()));
                    }
                }
            }
        }
        on_disk.sort();
        let mut listed: Vec<String> = RUNTIME_FILES.iter().map(|(_, src, _)| (*src).to_owned()).collect();
        listed.sort();
        assert_eq!(on_disk, listed);
    }
}
