//! What the Sandbox knows of the spec: one row per operation, generated from it
//! (`src/test_util/operations.rs`), and the routing of a request to its row.

/// How an operation addresses a resource, read from its path and method: `POST /customers`
/// creates in the `customers` collection, `GET /customers/{id}/transfers` lists `transfers`
/// under a customer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SandboxKind {
    /// `POST` to a collection answering `201 Created` with a `Location`.
    Create,
    /// `GET` of a collection.
    List,
    /// `GET` of an item.
    Get,
    /// `POST` to an item.
    Update,
    /// `DELETE` of an item.
    Remove,
    /// Anything else (`POST /sandbox-simulations`, `POST /funding-sources/{id}/micro-deposits`).
    Action,
}

/// The JSON kind a required field of a request body must have.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum JsonKind {
    /// A string (dates and enums included).
    String,
    /// A number.
    Number,
    /// `true` or `false`.
    Bool,
    /// An array.
    Array,
    /// An object.
    Object,
    /// Any value but `null`.
    Any,
}

impl JsonKind {
    /// Whether `value` is of this kind.
    pub fn admits(self, value: &serde_json::Value) -> bool {
        use serde_json::Value;
        match self {
            JsonKind::String => value.is_string(),
            JsonKind::Number => value.is_number(),
            JsonKind::Bool => value.is_boolean(),
            JsonKind::Array => value.is_array(),
            JsonKind::Object => value.is_object(),
            JsonKind::Any => !matches!(value, Value::Null),
        }
    }
}

/// One operation of the spec as the Sandbox sees it.
#[derive(Clone, Copy, Debug)]
#[doc(hidden)]
pub struct SandboxOperation {
    /// The operationId.
    pub id: &'static str,
    /// `GET`, `POST`, `DELETE`.
    pub method: &'static str,
    /// The path template, `{name}` for a parameter.
    pub path: &'static str,
    /// How it addresses its resource.
    pub kind: SandboxKind,
    /// The collection it creates in, lists, or whose item it addresses (`funding-sources`).
    pub collection: &'static str,
    /// The collection of the item it is under, for `/customers/{id}/funding-sources`.
    pub parent: Option<&'static str>,
    /// The status of its first declared success.
    pub status: u16,
    /// The spec's example of that success's body.
    pub example: Option<&'static str>,
    /// The fields its JSON request body requires, with their kinds.
    pub required: &'static [(&'static str, JsonKind)],
}

/// The operation of `table` a request routes to, with its path's parameters
/// ([`routing::route`](super::super::routing::route)).
pub(crate) fn route<'t>(table: &'t [SandboxOperation], method: &str, path: &str) -> Option<(&'t SandboxOperation, Vec<String>)> {
    super::super::routing::route(table, method, path)
}

impl super::super::routing::Template for SandboxOperation {
    fn method(&self) -> &str {
        self.method
    }
    fn path(&self) -> &str {
        self.path
    }
}

/// The operation of that id in the table.
pub(crate) fn find<'t>(table: &'t [SandboxOperation], id: &str) -> Option<&'t SandboxOperation> {
    table.iter().find(|op| op.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    const fn op(id: &'static str, path: &'static str) -> SandboxOperation {
        SandboxOperation {
            id,
            method: "GET",
            path,
            kind: SandboxKind::Get,
            collection: "customers",
            parent: None,
            status: 200,
            example: None,
            required: &[],
        }
    }

    #[test]
    fn the_most_literal_template_wins_and_parameters_are_returned() {
        let table = [op("get", "/customers/{id}"), op("sessions", "/customers/exchange-sessions")];
        let (found, params) = route(&table, "GET", "/customers/exchange-sessions").unwrap();
        assert_eq!((found.id, params.len()), ("sessions", 0));
        let (found, params) = route(&table, "GET", "/customers/c-1").unwrap();
        assert_eq!((found.id, params), ("get", vec!["c-1".to_owned()]));
        assert!(route(&table, "GET", "/customers/").is_none());
        assert!(route(&table, "POST", "/customers/c-1").is_none());
    }
}
