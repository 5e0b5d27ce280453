//! Operations named by typed handles (`test_util::op::CREATE_CUSTOMER`), which the mock and the
//! Sandbox take: a typo is a compile error, not a test that fails at run time. A name read from
//! data goes through [`MockDwolla::operation`](super::MockDwolla::operation) or
//! [`Sandbox::operation`](super::Sandbox::operation), which answer [`UnknownOperation`] for a
//! name the spec does not have.

/// One operation of the spec: its operationId, method and path template.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Operation {
    id: &'static str,
    method: &'static str,
    path: &'static str,
}

impl Operation {
    /// The handle of an operation of the spec; the generated `op` module makes one for each.
    #[doc(hidden)]
    pub const fn from_spec(id: &'static str, method: &'static str, path: &'static str) -> Self {
        Operation { id, method, path }
    }

    /// The operationId (`createCustomer`).
    pub const fn id(&self) -> &'static str {
        self.id
    }

    /// The HTTP method (`POST`).
    pub const fn method(&self) -> &'static str {
        self.method
    }

    /// The path template (`/customers/{id}`).
    pub const fn path(&self) -> &'static str {
        self.path
    }
}

/// An operationId the spec does not have.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the spec has no operation `{0}`")]
pub struct UnknownOperation(pub String);
