//! The type parameter of [`Error`] and [`ApiError`]: the typed error bodies of the API. The
//! runtime does not know them (the generated crate declares them, one enum of every body the
//! spec gives an error status), so what it returns on its own is an `Error<Untyped>`, and what an
//! operation returns is the generated crate's `Error` (`Error<ApiErrorBody>`). An untyped error
//! has no typed body and converts into any typed one: that conversion is the one place the two
//! meet, so that sending, retrying and the token cache are compiled once, untyped.

use std::fmt;

use crate::{ApiError, Error};

/// The typed error bodies of an API ([`ApiError::body`]): the generated crate's `ApiErrorBody`
/// implements it, which lets an [`Error<Untyped>`](Untyped) convert into its `Error` and gives
/// its `ApiError` a typed [`kind`](ApiError::kind).
pub trait ErrorBody: Clone + fmt::Debug + Send + Sync + 'static {
    /// The error codes the API declares (the generated crate's `ErrorCode`), with a catch-all
    /// for any other.
    type Code;

    /// `code` (an error body's `code` field) as a [`Code`](Self::Code).
    fn code(code: &str) -> Self::Code;
}

impl<B: ErrorBody> ApiError<B> {
    /// Dwolla's [`code`](Self::code) as the API's error code type; `None` when the body has none.
    pub fn kind(&self) -> Option<B::Code> {
        self.code.as_deref().map(B::code)
    }
}

/// The error body of an error the runtime returns before any operation's body types are known
/// (a configuration error, a followed link): there is none, so [`ApiError::body`] is `None`.
/// Such an error converts into the generated crate's `Error` with `?` or `.into()`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Untyped {}

impl<B: ErrorBody> From<Error<Untyped>> for Error<B> {
    fn from(error: Error<Untyped>) -> Self {
        error.typed()
    }
}

impl Error<Untyped> {
    /// The same error as an `Error<B>`: every field kept, the typed body (which an untyped
    /// error cannot have) `None`.
    pub(crate) fn typed<B: 'static>(self) -> Error<B> {
        match self {
            Error::Api(e) => Error::Api(Box::new(e.typed())),
            Error::Transport { operation, source, delivery } => Error::Transport { operation, source, delivery },
            Error::Timeout { operation, delivery } => Error::Timeout { operation, delivery },
            Error::Decode { operation, status, path, message, body, delivery } => {
                Error::Decode { operation, status, path, message, body, delivery }
            }
            Error::MissingLocation { operation, status, delivery } => Error::MissingLocation { operation, status, delivery },
            Error::ResponseTooLarge { operation, limit, delivery } => Error::ResponseTooLarge { operation, limit, delivery },
            Error::Auth { status, error, description, delivery } => Error::Auth { status, error, description, delivery },
            Error::TokenProvider { source, delivery } => Error::TokenProvider { source, delivery },
            Error::NoCredentials { operation } => Error::NoCredentials { operation },
            Error::Request { operation, message, delivery } => Error::Request { operation, message, delivery },
            Error::Config(message) => Error::Config(message),
            Error::MissingLink { rel } => Error::MissingLink { rel },
            Error::ForeignLink { operation, url, base } => Error::ForeignLink { operation, url, base },
            Error::ForeignResponse { operation, url, base, delivery } => Error::ForeignResponse { operation, url, base, delivery },
            Error::InvalidLocation { operation, status, location, message, delivery } => {
                Error::InvalidLocation { operation, status, location, message, delivery }
            }
            Error::Pagination { operation, message } => Error::Pagination { operation, message },
            Error::CreatedNotFetched { operation, created, source, delivery } => Error::CreatedNotFetched {
                operation,
                created,
                source: Box::new(source.typed()),
                delivery,
            },
        }
    }
}

impl ApiError<Untyped> {
    /// The same API error as an `ApiError<B>`, without a typed body (an untyped one has none).
    fn typed<B>(self) -> ApiError<B> {
        ApiError {
            operation: self.operation,
            status: self.status,
            code: self.code,
            message: self.message,
            errors: self.errors,
            links: self.links,
            request_id: self.request_id,
            body: None,
            body_error: self.body_error,
            raw_body: self.raw_body,
            headers: self.headers,
            delivery: self.delivery,
        }
    }
}
