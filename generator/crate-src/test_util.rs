//! Test support for crates that build on this one, behind the `test-util` feature: a mock
//! Dwolla on loopback that answers every operation with the spec's example, lets a test change
//! an operation's answer and see the requests it received, and hands out a client pointed at it.
//!
//! ```no_run
//! # async fn demo() -> Result<(), dwolla::Error> {
//! use dwolla::test_util::{MockDwolla, op};
//!
//! let dwolla = MockDwolla::start().await;
//! dwolla.on(op::CREATE_CUSTOMER).respond(400, serde_json::json!({"code": "ValidationError", "message": "Validation error(s) present."}));
//! let client = dwolla.client();
//! // ... run the code under test with `client` ...
//! let sent = dwolla.received(op::CREATE_CUSTOMER).await;
//! assert_eq!(sent.len(), 1);
//! # Ok(())
//! # }
//! ```
//!
//! Models of every kind have constructors under this feature too (`Customer::new(..)` with the
//! required fields and `with_x` setters), as do [`Response`](crate::Response) and
//! [`ApiError`](crate::ApiError).
//!
//! [`Sandbox`] is a stateful stand-in for Dwolla's Sandbox on loopback: what a test creates
//! persists and links, and Dwolla's documented Sandbox behaviour (magic names, simulations,
//! R-codes, signed webhooks) plays out; see [`sandbox`].
//!
//! [`idempotency`] is Dwolla's `Idempotency-Key` rules as a pure model, for servers that play
//! Dwolla in tests.
//!
//! The mock and the Sandbox are the runtime's (`dwolla_runtime::test_util`); the tables of the
//! spec's operations they answer, and the handles in [`op`], are generated, in `operations.rs`.

mod operations;

pub use operations::op;

use dwolla_runtime::test_util::{MockOperation, MockSpec};
pub use dwolla_runtime::test_util::{
    ACCESS_TOKEN, CREATED_ID, MockAnswer, OnOperation, Operation, ReceivedRequest, UnknownOperation, idempotency, sandbox,
};

/// A mock Dwolla on a loopback port, answering every operation of this crate's spec. Every
/// operation is answered with the first success response the spec declares for it, with the
/// spec's example body (and, for a `201 Created`, a `Location` ending in [`CREATED_ID`]); a
/// request that is no operation gets a `404` with Dwolla's `NotFound` body. Dropping it stops the
/// server.
pub type MockDwolla = dwolla_runtime::test_util::MockDwolla<Spec>;

/// The spec's operations, as [`MockDwolla`] answers them.
#[doc(hidden)]
#[derive(Debug)]
pub struct Spec;

impl MockSpec for Spec {
    type Client = crate::Client;
    const OPERATIONS: &'static [MockOperation] = &operations::OPERATIONS;
    const SANDBOX_OPERATIONS: &'static [sandbox::SandboxOperation] = &operations::SANDBOX_OPERATIONS;
}

/// A stateful Dwolla Sandbox on a loopback port, serving every operation of this crate's spec;
/// see [`sandbox`]. Dropping it stops the server.
pub type Sandbox = dwolla_runtime::test_util::Sandbox<Spec>;

/// Sets up a [`Sandbox`]: the seed of its ids and the start of its clock.
pub type SandboxBuilder = dwolla_runtime::test_util::SandboxBuilder<Spec>;
