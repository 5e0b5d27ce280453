#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
// With only some resource groups enabled, parts of the runtime go unused.
#![cfg_attr(not(feature = "full"), allow(dead_code))]

pub mod api;
pub mod models;

mod auth;
mod client;
mod decode;
mod delivery;
#[cfg(feature = "decimal")]
mod decimal;
mod error;
mod execute;
mod hooks;
mod links;
mod locate;
mod macros;
mod multipart;
mod pagination;
mod redact;
mod request;
mod response;
mod retry;
mod transport;
mod union;
#[cfg(feature = "test-util")]
#[cfg_attr(docsrs, doc(cfg(feature = "test-util")))]
pub mod test_util;
pub mod webhooks;

/// The date and time types of the models (`chrono::DateTime<Utc>`, `chrono::NaiveDate`).
pub use chrono;
/// The decimal type of [`to_decimal`](crate::models::TransferAmount::to_decimal) and
/// `from_decimal` on the amount types.
#[cfg(feature = "decimal")]
#[cfg_attr(docsrs, doc(cfg(feature = "decimal")))]
pub use rust_decimal;
/// The HTTP client; pass your own with [`ClientBuilder::http_client`].
pub use reqwest;
/// The HTTP types of the client's API (`StatusCode`, `HeaderMap`, `Method`).
pub use http;

pub use api::{ApiErrorBody, ErrorCode};
pub use auth::{ProvidedToken, TokenProvider};
#[cfg(feature = "decimal")]
#[cfg_attr(docsrs, doc(cfg(feature = "decimal")))]
pub use decimal::AmountError;
pub use client::{Client, ClientBuilder, Credentials, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT, Environment, USER_AGENT};
pub use delivery::{Delivery, Sent};
pub use error::{ApiError, BodyMismatch, Error, ErrorDetail};
pub use hooks::{FailureParts, Hook, RequestParts, ResponseParts};
pub use multipart::File;
pub use pagination::{DEFAULT_MAX_PAGES, Paged};
pub use redact::{Redacted, Secret};
pub use response::{Created, Response};
pub use retry::RetryPolicy;
