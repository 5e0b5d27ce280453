//! The one error type of the crate. It separates what went wrong in a way a caller can act on:
//! the network ([`Error::Transport`], [`Error::Timeout`]), Dwolla saying no ([`Error::Api`]),
//! a response this crate could not read ([`Error::Decode`]), and the client's own setup.
//! Nothing here ever contains a credential or an access token, and no `Debug` output shows a
//! raw response body: a body may carry a token (the token endpoint's does), so `Debug` gives its
//! length only. The bytes stay readable in the fields.
//!
//! Errors are `Clone`: a failed token request is handed to every caller that was waiting for it.

use std::fmt;
use std::sync::Arc;

use bytes::Bytes;
use http::{HeaderMap, StatusCode};

/// Everything that can go wrong calling Dwolla.
#[derive(Clone, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request did not complete: connection refused or reset, TLS, DNS, a body cut short.
    #[error("{operation}: request failed: {source}")]
    Transport {
        /// The operation, by its operationId.
        operation: &'static str,
        /// What the HTTP client reported (shared: one failed token request fails every caller
        /// that waited for it).
        #[source]
        source: Arc<reqwest::Error>,
    },
    /// No complete response within the configured timeout.
    #[error("{operation}: timed out")]
    Timeout {
        /// The operation, by its operationId.
        operation: &'static str,
    },
    /// Dwolla answered with an error status.
    #[error("{0}")]
    Api(Box<ApiError>),
    /// A response arrived but is not what the spec says: the body does not decode into the
    /// operation's type. The raw body is kept (its `Debug` shows only its length).
    #[error("{operation}: cannot decode the {status} response at `{path}`: {message}")]
    Decode {
        /// The operation, by its operationId.
        operation: &'static str,
        /// The response's status.
        status: StatusCode,
        /// Where in the body decoding failed, as a JSON path (`.` for the whole body).
        path: String,
        /// What did not fit.
        message: String,
        /// The raw response body.
        body: Bytes,
    },
    /// A `201 Created` without the `Location` header that names what was created.
    #[error("{operation}: {status} response has no Location header")]
    MissingLocation {
        /// The operation, by its operationId.
        operation: &'static str,
        /// The response's status.
        status: StatusCode,
    },
    /// The response body is larger than [`ClientBuilder::max_response_bytes`](crate::ClientBuilder::max_response_bytes).
    #[error("{operation}: response body exceeds the {limit}-byte limit")]
    ResponseTooLarge {
        /// The operation, by its operationId.
        operation: &'static str,
        /// The limit, in bytes.
        limit: usize,
    },
    /// Dwolla's token endpoint refused the client credentials (or answered with something
    /// that is not a token).
    #[error("token request failed with {status}: {error}{}", description.as_deref().map(|d| format!(": {d}")).unwrap_or_default())]
    Auth {
        /// The token endpoint's status.
        status: StatusCode,
        /// The OAuth `error` code, such as `invalid_client`.
        error: String,
        /// The OAuth `error_description`, when there is one.
        description: Option<String>,
    },
    /// The [`TokenProvider`](crate::TokenProvider) the client was built with failed, or gave
    /// an empty token.
    #[error("the token provider failed: {source}")]
    TokenProvider {
        /// What the provider reported (shared: one failed fetch fails every caller that waited
        /// for it).
        #[source]
        source: Arc<dyn std::error::Error + Send + Sync>,
    },
    /// An operation that needs an access token was called on a client without credentials.
    #[error("{operation}: the client has no credentials; set them with ClientBuilder::credentials")]
    NoCredentials {
        /// The operation, by its operationId.
        operation: &'static str,
    },
    /// The request could not be built (a body that does not serialize, a file that cannot be
    /// read, a streamed body that cannot be sent twice).
    #[error("{operation}: cannot build the request: {message}")]
    Request {
        /// The operation, by its operationId.
        operation: &'static str,
        /// What went wrong.
        message: String,
    },
    /// The client is configured wrongly (a bad base URL, a missing environment variable).
    #[error("invalid client configuration: {0}")]
    Config(String),
    /// A response lacks a link the caller asked to follow.
    #[error("the response has no `{rel}` link")]
    MissingLink {
        /// The link relation, such as `exchange-partner`.
        rel: &'static str,
    },
    /// A link to follow points outside the configured API, where the access token must not go.
    #[error("{operation}: refusing to follow a link to {url}, which is not under {base}")]
    ForeignLink {
        /// The operation, by its operationId.
        operation: &'static str,
        /// The link that was not followed.
        url: String,
        /// The client's base URL.
        base: String,
    },
    /// The response came from outside the configured API: the HTTP client (one passed to
    /// [`ClientBuilder::http_client`](crate::ClientBuilder::http_client)) followed a redirect
    /// there. The answer is not taken as Dwolla's.
    #[error("{operation}: refusing a response from {url}, which is not under {base} (a redirect was followed)")]
    ForeignResponse {
        /// The operation, by its operationId.
        operation: &'static str,
        /// Where the response came from.
        url: String,
        /// The client's base URL.
        base: String,
    },
    /// A `201 Created` whose `Location` names no resource (no id in its last path segment).
    #[error("{operation}: the {status} response's Location `{location}` names no resource: {message}")]
    InvalidLocation {
        /// The operation, by its operationId.
        operation: &'static str,
        /// The response's status.
        status: StatusCode,
        /// The `Location` header as received.
        location: String,
        /// What is wrong with it.
        message: String,
    },
    /// A paginated list did not end: a `next` link led back to a page already fetched, or the
    /// list ran past [`Paged::max_pages`](crate::Paged::max_pages).
    #[error("{operation}: pagination stopped: {message}")]
    Pagination {
        /// The operation, by its operationId.
        operation: &'static str,
        /// Why.
        message: String,
    },
}

/// Prints the length of a raw body, never its bytes.
struct BodyLength<'a>(&'a Bytes);

impl fmt::Debug for BodyLength<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<{} bytes>", self.0.len())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Transport { operation, source } => f
                .debug_struct("Transport")
                .field("operation", operation)
                .field("source", source)
                .finish(),
            Error::Timeout { operation } => f.debug_struct("Timeout").field("operation", operation).finish(),
            Error::Api(e) => f.debug_tuple("Api").field(e).finish(),
            Error::Decode {
                operation,
                status,
                path,
                message,
                body,
            } => f
                .debug_struct("Decode")
                .field("operation", operation)
                .field("status", status)
                .field("path", path)
                .field("message", message)
                .field("body", &BodyLength(body))
                .finish(),
            Error::MissingLocation { operation, status } => f
                .debug_struct("MissingLocation")
                .field("operation", operation)
                .field("status", status)
                .finish(),
            Error::ResponseTooLarge { operation, limit } => f
                .debug_struct("ResponseTooLarge")
                .field("operation", operation)
                .field("limit", limit)
                .finish(),
            Error::Auth {
                status,
                error,
                description,
            } => f
                .debug_struct("Auth")
                .field("status", status)
                .field("error", error)
                .field("description", description)
                .finish(),
            Error::TokenProvider { source } => f.debug_struct("TokenProvider").field("source", source).finish(),
            Error::NoCredentials { operation } => f.debug_struct("NoCredentials").field("operation", operation).finish(),
            Error::Request { operation, message } => f
                .debug_struct("Request")
                .field("operation", operation)
                .field("message", message)
                .finish(),
            Error::Config(message) => f.debug_tuple("Config").field(message).finish(),
            Error::MissingLink { rel } => f.debug_struct("MissingLink").field("rel", rel).finish(),
            Error::ForeignLink { operation, url, base } => f
                .debug_struct("ForeignLink")
                .field("operation", operation)
                .field("url", url)
                .field("base", base)
                .finish(),
            Error::ForeignResponse { operation, url, base } => f
                .debug_struct("ForeignResponse")
                .field("operation", operation)
                .field("url", url)
                .field("base", base)
                .finish(),
            Error::InvalidLocation {
                operation,
                status,
                location,
                message,
            } => f
                .debug_struct("InvalidLocation")
                .field("operation", operation)
                .field("status", status)
                .field("location", location)
                .field("message", message)
                .finish(),
            Error::Pagination { operation, message } => f
                .debug_struct("Pagination")
                .field("operation", operation)
                .field("message", message)
                .finish(),
        }
    }
}

impl Error {
    /// The API error, when Dwolla answered with an error status.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }

    /// The HTTP status of the response that caused this error, when there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::Decode { status, .. }
            | Error::MissingLocation { status, .. }
            | Error::InvalidLocation { status, .. }
            | Error::Auth { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// A short, fixed name of the kind of failure, for OpenTelemetry's `error.type`: the status
    /// code of an error response (`"503"`), or the variant's name in snake case.
    pub(crate) fn kind(&self) -> std::borrow::Cow<'static, str> {
        let kind = match self {
            Error::Api(e) => return std::borrow::Cow::Owned(e.status.as_str().to_owned()),
            Error::Transport { .. } => "transport",
            Error::Timeout { .. } => "timeout",
            Error::Decode { .. } => "decode",
            Error::MissingLocation { .. } => "missing_location",
            Error::ResponseTooLarge { .. } => "response_too_large",
            Error::Auth { .. } => "auth",
            Error::TokenProvider { .. } => "token_provider",
            Error::NoCredentials { .. } => "no_credentials",
            Error::Request { .. } => "request",
            Error::Config(_) => "config",
            Error::MissingLink { .. } => "missing_link",
            Error::ForeignLink { .. } => "foreign_link",
            Error::ForeignResponse { .. } => "foreign_response",
            Error::InvalidLocation { .. } => "invalid_location",
            Error::Pagination { .. } => "pagination",
        };
        std::borrow::Cow::Borrowed(kind)
    }

    /// Dwolla's error `code` (`ValidationError`, `NotFound`, ...), when it sent one.
    pub fn code(&self) -> Option<&str> {
        self.api().and_then(|e| e.code.as_deref())
    }
}

/// Dwolla's answer to a request it did not accept.
#[derive(Clone)]
#[non_exhaustive]
pub struct ApiError {
    /// The operation, by its operationId.
    pub operation: &'static str,
    /// The response's status.
    pub status: StatusCode,
    /// Dwolla's machine-readable error code, such as `ValidationError` or `NotFound`.
    pub code: Option<String>,
    /// Dwolla's human-readable message.
    pub message: Option<String>,
    /// The individual problems of a validation error, each with the JSON path of the field:
    /// the first 1,000 of them, so that a body listing millions does not become millions of
    /// values (`Display` says how many more there were).
    pub errors: Vec<ErrorDetail>,
    /// Dwolla's request id (`X-Request-Id`), for support requests.
    pub request_id: Option<String>,
    /// The error body typed as the spec declares it for this status, when it declares one and
    /// the body matches it.
    pub body: Option<crate::ApiErrorBody>,
    /// Why [`body`](Self::body) is `None` although the spec declares a type for this status:
    /// where the body does not fit that type, and how.
    pub body_error: Option<BodyMismatch>,
    /// The raw response body, whatever it was (an HTML page from a proxy, say). `Debug` shows
    /// only its length.
    pub raw_body: Bytes,
    /// The response headers.
    pub headers: HeaderMap,
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("operation", &self.operation)
            .field("status", &self.status)
            .field("code", &self.code)
            .field("message", &self.message)
            .field("errors", &self.errors)
            .field("request_id", &self.request_id)
            .field("body", &self.body)
            .field("body_error", &self.body_error)
            .field("raw_body", &BodyLength(&self.raw_body))
            .field("headers", &self.headers)
            .finish()
    }
}

/// Why an error body does not match the type the spec declares for its status.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct BodyMismatch {
    /// Where in the body decoding failed, as a JSON path (`.` for the whole body).
    pub path: String,
    /// What did not fit.
    pub message: String,
}

impl fmt::Display for BodyMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at `{}`: {}", self.path, self.message)
    }
}

/// One entry of `_embedded.errors` in a Dwolla error.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ErrorDetail {
    /// The problem's code, such as `Invalid` or `Required`.
    pub code: Option<String>,
    /// What is wrong with the field.
    pub message: Option<String>,
    /// The JSON path of the offending field, such as `/_links/source/href`.
    pub path: Option<String>,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: Dwolla answered {}", self.operation, self.status)?;
        if let Some(code) = &self.code {
            write!(f, " {code}")?;
        }
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        }
        for e in &self.errors {
            write!(
                f,
                "; {}{}",
                e.path.as_deref().map(|p| format!("{p}: ")).unwrap_or_default(),
                e.message.as_deref().or(e.code.as_deref()).unwrap_or("invalid")
            )?;
        }
        if self.errors.len() >= crate::decode::MAX_ERROR_DETAILS {
            // Counted again from the raw body: only a body at the limit pays for it.
            let omitted = crate::decode::ErrorFields::read(&self.raw_body).omitted;
            if omitted > 0 {
                write!(f, "; and {omitted} more")?;
            }
        }
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

impl ApiError {
    /// Reads Dwolla's error fields from a body, leniently: whatever is missing stays empty. The
    /// body is read once, for those fields alone.
    pub(crate) fn from_body(
        operation: &'static str,
        status: StatusCode,
        headers: HeaderMap,
        raw_body: Bytes,
        body: Result<Option<crate::ApiErrorBody>, BodyMismatch>,
    ) -> Self {
        let (body, body_error) = match body {
            Ok(body) => (body, None),
            Err(mismatch) => (None, Some(mismatch)),
        };
        let fields = crate::decode::ErrorFields::read(&raw_body);
        ApiError {
            operation,
            status,
            code: fields.code,
            message: fields.message,
            errors: fields.errors,
            request_id: crate::response::request_id(&headers),
            body,
            body_error,
            raw_body,
            headers,
        }
    }
}

#[cfg(feature = "test-util")]
#[cfg_attr(docsrs, doc(cfg(feature = "test-util")))]
impl ApiError {
    /// An API error as a call of `operation` (an operationId) would return it for a `status`
    /// response with this JSON body: `code`, `message` and `errors` are read from the body the
    /// way they are from Dwolla's. The typed [`body`](Self::body) starts empty; set it with
    /// [`with_body`](Self::with_body). Wrap it as `Error::Api(Box::new(..))` where an
    /// [`Error`] is wanted.
    pub fn new(operation: &'static str, status: StatusCode, body: serde_json::Value) -> Self {
        let raw = Bytes::from(serde_json::to_vec(&body).unwrap_or_default());
        Self::from_body(operation, status, HeaderMap::new(), raw, Ok(None))
    }

    /// The same error with the body typed as the spec declares it.
    #[must_use]
    pub fn with_body(mut self, body: crate::ApiErrorBody) -> Self {
        self.body = Some(body);
        self.body_error = None;
        self
    }

    /// The same error with a response header added (`x-request-id` also sets
    /// [`request_id`](Self::request_id)).
    #[must_use]
    pub fn with_header(mut self, name: http::HeaderName, value: http::HeaderValue) -> Self {
        self.headers.append(name, value);
        self.request_id = crate::response::request_id(&self.headers);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_kinds_are_short_and_fixed() {
        let api = Error::Api(Box::new(ApiError::from_body(
            "op",
            StatusCode::SERVICE_UNAVAILABLE,
            HeaderMap::new(),
            Bytes::new(),
            Ok(None),
        )));
        assert_eq!(api.kind(), "503");
        assert_eq!(Error::Timeout { operation: "op" }.kind(), "timeout");
        assert_eq!(Error::Config("x".into()).kind(), "config");
        let provider = Error::TokenProvider {
            source: Arc::from(Box::<dyn std::error::Error + Send + Sync>::from("sealed")),
        };
        assert_eq!(provider.kind(), "token_provider");
        assert_eq!(provider.to_string(), "the token provider failed: sealed");
    }
}
