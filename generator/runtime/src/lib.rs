#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod auth;
mod client;
mod decode;
mod delivery;
#[cfg(feature = "decimal")]
#[doc(hidden)]
pub mod decimal;
mod error;
mod error_body;
#[doc(hidden)]
pub mod execute;
mod future;
mod hooks;
#[doc(hidden)]
pub mod links;
mod locate;
#[doc(hidden)]
pub mod macros;
mod managed_headers;
#[doc(hidden)]
pub mod multipart;
#[doc(hidden)]
pub mod pagination;
mod redact;
#[doc(hidden)]
pub mod request;
mod response;
mod retry;
mod transport;
#[doc(hidden)]
pub mod union;
#[cfg(feature = "test-util")]
#[cfg_attr(docsrs, doc(cfg(feature = "test-util")))]
pub mod test_util;
pub mod webhooks;

/// What the generated crate's code calls and no user does: the request model, the one send path,
/// pagination, union decoding, the builders' macros' helpers. Its items are `pub` only so that
/// `dwolla-client` can reach them; they are not API, and change with any release (which is why
/// `dwolla-client` pins this crate's exact version).
#[doc(hidden)]
pub mod __private {
    #[cfg(feature = "decimal")]
    pub use crate::decimal;
    pub use crate::execute;
    pub use crate::links;
    pub use crate::macros;
    pub use crate::multipart;
    pub use crate::pagination;
    pub use crate::request;
    pub use crate::union;
}

/// The HTTP client; pass your own with [`ClientBuilder::http_client`].
pub use reqwest;
/// The HTTP types of the client's API (`StatusCode`, `HeaderMap`, `Method`).
pub use http;
/// The decimal type of `to_decimal` and `from_decimal` on the generated amount types.
#[cfg(feature = "decimal")]
#[cfg_attr(docsrs, doc(cfg(feature = "decimal")))]
pub use rust_decimal;

pub use auth::{ProvidedToken, TokenProvider};
#[cfg(feature = "decimal")]
#[cfg_attr(docsrs, doc(cfg(feature = "decimal")))]
pub use decimal::AmountError;
pub use client::{BuildClient, Client, ClientBuilder, Credentials, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT, Environment, USER_AGENT};
pub use delivery::{Delivery, Sent};
pub use future::BoxFuture;
pub use error::{ApiError, BodyMismatch, Error, ErrorDetail};
pub use error_body::{ErrorBody, Untyped};
pub use hooks::{FailureParts, Hook, RequestParts, ResponseParts};
pub use multipart::File;
pub use pagination::{DEFAULT_MAX_PAGES, Paged};
pub use redact::{Redacted, Secret};
pub use response::{Created, Response};
pub use retry::RetryPolicy;
