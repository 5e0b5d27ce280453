//! The client against loopback servers: one test binary, one module per concern. Run one
//! concern with `cargo test -p client-tests --test client auth::`.

mod at_most_once;
mod auth;
mod secrets;
mod exchange_sessions;
mod retries;
mod pagination;
mod webhooks;
mod faults;
mod hardening;
mod customer_updates;
mod observability;
mod redaction;
mod time;
mod tokens;
mod bounds;
mod open_objects;
mod union_accessors;
mod error_codes;
mod typed_filters;
mod sandbox;
mod sandbox_webhooks;
mod mock_dwolla;
mod decode_paths;
