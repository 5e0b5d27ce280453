//! The one error type of the crate. It separates what went wrong in a way a caller can act on:
//! the network ([`Error::Transport`], [`Error::Timeout`]), Dwolla saying no ([`Error::Api`]),
//! a response this crate could not read ([`Error::Decode`]), and the client's own setup.
//! Nothing here ever contains a credential or an access token.

use std::fmt;

use bytes::Bytes;
use http::{HeaderMap, StatusCode};

/// Everything that can go wrong calling Dwolla.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request did not complete: connection refused or reset, TLS, DNS, a body cut short.
    #[error("{operation}: request failed: {source}")]
    Transport {
        /// The operation, by its operationId.
        operation: &'static str,
        /// What the HTTP client reported.
        #[source]
        source: reqwest::Error,
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
    /// operation's type. The raw body is kept.
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
            Error::Decode { status, .. } | Error::MissingLocation { status, .. } | Error::Auth { status, .. } => {
                Some(*status)
            }
            _ => None,
        }
    }

    /// Dwolla's error `code` (`ValidationError`, `NotFound`, ...), when it sent one.
    pub fn code(&self) -> Option<&str> {
        self.api().and_then(|e| e.code.as_deref())
    }
}

/// Dwolla's answer to a request it did not accept.
#[derive(Debug)]
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
    /// The individual problems of a validation error, each with the JSON path of the field.
    pub errors: Vec<ErrorDetail>,
    /// Dwolla's request id (`X-Request-Id`), for support requests.
    pub request_id: Option<String>,
    /// The error body typed as the spec declares it for this status, when it declares one and
    /// the body matches it.
    pub body: Option<crate::ApiErrorBody>,
    /// The raw response body, whatever it was (an HTML page from a proxy, say).
    pub raw_body: Bytes,
    /// The response headers.
    pub headers: HeaderMap,
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
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

impl ApiError {
    /// Reads Dwolla's error fields from a body, leniently: whatever is missing stays empty.
    pub(crate) fn from_body(
        operation: &'static str,
        status: StatusCode,
        headers: HeaderMap,
        raw_body: Bytes,
        body: Option<crate::ApiErrorBody>,
    ) -> Self {
        let json: Option<serde_json::Value> = serde_json::from_slice(&raw_body).ok();
        let text = |v: Option<&serde_json::Value>| v.and_then(|v| v.as_str()).map(str::to_owned);
        let code = text(json.as_ref().and_then(|j| j.get("code")));
        let message = text(json.as_ref().and_then(|j| j.get("message")));
        let errors = json
            .as_ref()
            .and_then(|j| j.pointer("/_embedded/errors"))
            .and_then(|e| e.as_array())
            .map(|list| {
                list.iter()
                    .map(|e| ErrorDetail {
                        code: text(e.get("code")),
                        message: text(e.get("message")),
                        path: text(e.get("path")),
                    })
                    .collect()
            })
            .unwrap_or_default();
        ApiError {
            operation,
            status,
            code,
            message,
            errors,
            request_id: crate::response::request_id(&headers),
            body,
            raw_body,
            headers,
        }
    }
}
