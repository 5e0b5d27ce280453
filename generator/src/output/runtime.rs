//! The hand-written part of the generated crate (`generator/runtime/`, the examples in
//! `generator/crate-examples/` and the test support in `generator/crate-tests/`), compiled into the
//! generator so that output never depends on where the generator runs. Each file is written
//! to `generated/` with a preamble, so the drift check covers it like everything else.

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
    ("src/lib.rs", "runtime/lib.rs", include_str!("../../runtime/lib.rs")),
    ("src/auth.rs", "runtime/auth.rs", include_str!("../../runtime/auth.rs")),
    (
        "src/client.rs",
        "runtime/client.rs",
        include_str!("../../runtime/client.rs"),
    ),
    (
        "src/decode.rs",
        "runtime/decode.rs",
        include_str!("../../runtime/decode.rs"),
    ),
    (
        "src/delivery.rs",
        "runtime/delivery.rs",
        include_str!("../../runtime/delivery.rs"),
    ),
    (
        "src/decimal.rs",
        "runtime/decimal.rs",
        include_str!("../../runtime/decimal.rs"),
    ),
    (
        "src/error.rs",
        "runtime/error.rs",
        include_str!("../../runtime/error.rs"),
    ),
    (
        "src/execute.rs",
        "runtime/execute.rs",
        include_str!("../../runtime/execute.rs"),
    ),
    (
        "src/hooks.rs",
        "runtime/hooks.rs",
        include_str!("../../runtime/hooks.rs"),
    ),
    (
        "src/links.rs",
        "runtime/links.rs",
        include_str!("../../runtime/links.rs"),
    ),
    (
        "src/pagination.rs",
        "runtime/pagination.rs",
        include_str!("../../runtime/pagination.rs"),
    ),
    (
        "src/webhooks.rs",
        "runtime/webhooks.rs",
        include_str!("../../runtime/webhooks.rs"),
    ),
    (
        "src/locate.rs",
        "runtime/locate.rs",
        include_str!("../../runtime/locate.rs"),
    ),
    (
        "src/macros.rs",
        "runtime/macros.rs",
        include_str!("../../runtime/macros.rs"),
    ),
    (
        "src/multipart.rs",
        "runtime/multipart.rs",
        include_str!("../../runtime/multipart.rs"),
    ),
    (
        "src/redact.rs",
        "runtime/redact.rs",
        include_str!("../../runtime/redact.rs"),
    ),
    (
        "src/request.rs",
        "runtime/request.rs",
        include_str!("../../runtime/request.rs"),
    ),
    (
        "src/response.rs",
        "runtime/response.rs",
        include_str!("../../runtime/response.rs"),
    ),
    (
        "src/retry.rs",
        "runtime/retry.rs",
        include_str!("../../runtime/retry.rs"),
    ),
    (
        "src/test_util/idempotency.rs",
        "runtime/idempotency.rs",
        include_str!("../../runtime/idempotency.rs"),
    ),
    (
        "src/test_util/operation.rs",
        "runtime/operation.rs",
        include_str!("../../runtime/operation.rs"),
    ),
    (
        "src/test_util/sandbox/clock.rs",
        "runtime/sandbox/clock.rs",
        include_str!("../../runtime/sandbox/clock.rs"),
    ),
    (
        "src/test_util/sandbox/delivery.rs",
        "runtime/sandbox/delivery.rs",
        include_str!("../../runtime/sandbox/delivery.rs"),
    ),
    (
        "src/test_util/sandbox/rules/webhooks.rs",
        "runtime/sandbox/rules/webhooks.rs",
        include_str!("../../runtime/sandbox/rules/webhooks.rs"),
    ),
    (
        "src/test_util/sandbox/engine.rs",
        "runtime/sandbox/engine.rs",
        include_str!("../../runtime/sandbox/engine.rs"),
    ),
    (
        "src/test_util/sandbox/fixtures.rs",
        "runtime/sandbox/fixtures.rs",
        include_str!("../../runtime/sandbox/fixtures.rs"),
    ),
    (
        "src/test_util/sandbox/mod.rs",
        "runtime/sandbox/mod.rs",
        include_str!("../../runtime/sandbox/mod.rs"),
    ),
    (
        "src/test_util/sandbox/store.rs",
        "runtime/sandbox/store.rs",
        include_str!("../../runtime/sandbox/store.rs"),
    ),
    (
        "src/test_util/sandbox/table.rs",
        "runtime/sandbox/table.rs",
        include_str!("../../runtime/sandbox/table.rs"),
    ),
    (
        "src/test_util/sandbox/validate.rs",
        "runtime/sandbox/validate.rs",
        include_str!("../../runtime/sandbox/validate.rs"),
    ),
    (
        "src/test_util/sandbox/rules/mod.rs",
        "runtime/sandbox/rules/mod.rs",
        include_str!("../../runtime/sandbox/rules/mod.rs"),
    ),
    (
        "src/test_util/sandbox/rules/customers.rs",
        "runtime/sandbox/rules/customers.rs",
        include_str!("../../runtime/sandbox/rules/customers.rs"),
    ),
    (
        "src/test_util/sandbox/rules/exchanges.rs",
        "runtime/sandbox/rules/exchanges.rs",
        include_str!("../../runtime/sandbox/rules/exchanges.rs"),
    ),
    (
        "src/test_util/sandbox/rules/funding_sources.rs",
        "runtime/sandbox/rules/funding_sources.rs",
        include_str!("../../runtime/sandbox/rules/funding_sources.rs"),
    ),
    (
        "src/test_util/sandbox/rules/transfers.rs",
        "runtime/sandbox/rules/transfers.rs",
        include_str!("../../runtime/sandbox/rules/transfers.rs"),
    ),
    (
        "src/test_util/mod.rs",
        "runtime/test_util.rs",
        include_str!("../../runtime/test_util.rs"),
    ),
    (
        "src/transport.rs",
        "runtime/transport.rs",
        include_str!("../../runtime/transport.rs"),
    ),
    (
        "src/union.rs",
        "runtime/union.rs",
        include_str!("../../runtime/union.rs"),
    ),
];

#[cfg(test)]
mod tests {
    use super::RUNTIME_FILES;

    /// A file added to `generator/runtime/` but not listed here would silently not ship.
    #[test]
    fn every_runtime_file_is_listed() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut on_disk = Vec::new();
        for sub in ["runtime", "crate-examples", "crate-tests"] {
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
