#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
// With only some resource groups enabled, parts of the runtime's seam go unused.
#![cfg_attr(not(feature = "full"), allow(dead_code))]

pub mod api;
mod client;
pub mod models;

#[cfg(feature = "test-util")]
#[cfg_attr(docsrs, doc(cfg(feature = "test-util")))]
pub mod test_util;
pub mod webhooks;

// The runtime's seam (`dwolla_runtime::__private`), under the paths the generated code names:
// `crate::request::Request`, `crate::execute::send`, `crate::macros::call_options!`, ...
#[allow(unused_imports)]
use dwolla_runtime::__private::{execute, links, macros, multipart, pagination, request, union};
// Unused with `decimal` but no group whose models have an amount.
#[cfg(feature = "decimal")]
#[allow(unused_imports)]
use dwolla_runtime::__private::decimal;

/// The date and time types of the models (`chrono::DateTime<Utc>`, `chrono::NaiveDate`).
pub use chrono;
/// The decimal type of [`to_decimal`](crate::models::TransferAmount::to_decimal) and
/// `from_decimal` on the amount types.
#[cfg(feature = "decimal")]
#[cfg_attr(docsrs, doc(cfg(feature = "decimal")))]
pub use dwolla_runtime::rust_decimal;
/// The HTTP client; pass your own with [`ClientBuilder::http_client`].
pub use dwolla_runtime::reqwest;
/// The HTTP types of the client's API (`StatusCode`, `HeaderMap`, `Method`).
pub use dwolla_runtime::http;

pub use api::{ApiErrorBody, ErrorCode};
#[cfg(feature = "decimal")]
#[cfg_attr(docsrs, doc(cfg(feature = "decimal")))]
pub use dwolla_runtime::AmountError;
pub use client::{Client, ClientBuilder};
pub use dwolla_runtime::{
    BodyMismatch, Created, Credentials, DEFAULT_MAX_PAGES, DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_TIMEOUT, Delivery, Environment, ErrorDetail, FailureParts, File, Hook, ProvidedToken, Redacted,
    RequestParts, Response, ResponseParts, RetryPolicy, Secret, Sent, TokenProvider, USER_AGENT, Untyped,
};

/// Everything that can go wrong calling Dwolla, with Dwolla's error bodies typed as the spec
/// declares them ([`ApiErrorBody`], the default of `B`). What the runtime reports before any
/// operation's bodies are known (a hook's [`FailureParts::error`], `Environment`'s `FromStr`) is
/// an `Error<Untyped>`, which converts into this one with `?` or `.into()`; its variants are
/// matched with the same paths (`dwolla::Error::Timeout { .. }`), `B` being inferred.
pub type Error<B = ApiErrorBody> = dwolla_runtime::Error<B>;

/// Dwolla's answer to a request it did not accept, its body typed as [`ApiErrorBody`] (the
/// default of `B`; an untyped error's has [`Untyped`]).
pub type ApiError<B = ApiErrorBody> = dwolla_runtime::ApiError<B>;

/// The items of every page of a list operation, in order; made by a list operation's `stream()`.
/// It owns a clone of the client, so it is `'static` and `Send`:
///
/// ```no_run
/// # #[cfg(feature = "customers")]
/// # async fn run(client: dwolla::Client) -> Result<(), dwolla::Error> {
/// use futures::TryStreamExt;
/// let customers = client.customers().list().stream();
/// let all = tokio::spawn(customers.try_collect::<Vec<_>>()).await.expect("the task ran")?;
/// # let _ = all; Ok(()) }
/// ```
pub type Paged<T> = dwolla_runtime::Paged<T, ApiErrorBody>;
