#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

pub mod models;

mod macros;
mod redact;
mod union;

pub use redact::Redacted;
