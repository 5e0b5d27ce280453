//! The one error type of the crate. It separates what went wrong in a way a caller can act on:
//! the network ([`Error::Transport`], [`Error::Timeout`]), Dwolla saying no ([`Error::Api`]),
//! a response this crate could not read ([`Error::Decode`]), and the client's own setup.
//! Nothing here ever contains a credential or an access token, and no `Debug` output shows a
//! raw response body: a body may carry a token (the token endpoint's does), so `Debug` gives its
//! length only. The bytes stay readable in the fields. What the errors show of the server's
//! text (`Display` and `Debug`) goes through `redact.rs`: URLs without their query, fragment or
//! userinfo, and control characters escaped; the fields keep the values as received.
//!
//! Errors are `Clone`: a failed token request is handed to every caller that was waiting for it.
//!
//! Every error of a call says how far the call got ([`Error::sent`]): whether any request left
//! the client, and if so whether Dwolla answered it. With the Idempotency-Key the call was sent
//! under ([`Error::idempotency_key`]), that is what a caller needs to resume a call that may have
//! moved money without moving it twice: call again under the same key, and Dwolla answers with
//! what the first request did. A create that succeeded but whose resource could not be read back
//! is [`Error::CreatedNotFetched`], which carries the [`Created`](crate::Created): it is not a failed
//! create, and must not be sent again.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use bytes::Bytes;
use http::{HeaderMap, StatusCode};

use crate::redact::{self, Escaped};
use crate::Untyped;

/// Everything that can go wrong calling Dwolla.
///
/// Before you call again after an error, ask it how far the call got:
/// [`may_have_acted`](Error::may_have_acted) says whether Dwolla may have acted on it,
/// [`sent`](Error::sent) whether any request reached Dwolla, [`idempotency_key`](Error::idempotency_key) the key it was
/// sent under, [`attempts`](Error::attempts) how many requests it took, and
/// [`created`](Error::created) what a create made when only reading it back failed. A call that
/// may have reached Dwolla is resumed by sending the same request under the same key: Dwolla
/// answers with what the first request did instead of acting twice. The crate's README shows it
/// for a transfer ("Move money at most once").
///
/// `B` is the type of Dwolla's error bodies as the API declares them ([`ApiError::body`]): the
/// generated crate's `ApiErrorBody`, whose `Error` names this type with it. What the runtime
/// returns before any operation's body is known (a configuration error, a followed link) is
/// `Error<Untyped>`, the default, which converts into any other with `?` or `.into()`.
#[derive(Clone, thiserror::Error)]
#[non_exhaustive]
pub enum Error<B: 'static = Untyped> {
    /// The request did not complete: connection refused or reset, TLS, DNS, a body cut short.
    #[error("{operation}: request failed: {}", Escaped(source))]
    Transport {
        /// The operation, by its operationId.
        operation: &'static str,
        /// What the HTTP client reported (shared: one failed token request fails every caller
        /// that waited for it).
        #[source]
        source: Arc<reqwest::Error>,
        /// How far the call got, and what resuming it needs (see [`Delivery`](crate::Delivery)).
        delivery: crate::Delivery,
    },
    /// No complete response within the configured timeout.
    #[error("{operation}: timed out")]
    Timeout {
        /// The operation, by its operationId.
        operation: &'static str,
        /// How far the call got, and what resuming it needs (see [`Delivery`](crate::Delivery)).
        delivery: crate::Delivery,
    },
    /// Dwolla answered with an error status.
    #[error("{0}")]
    Api(Box<ApiError<B>>),
    /// A response arrived but is not what the spec says: the body does not decode into the
    /// operation's type. The raw body is kept (its `Debug` shows only its length).
    #[error("{operation}: cannot decode the {status} response at `{}`: {}", Escaped(path), Escaped(message))]
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
        /// How far the call got, and what resuming it needs (see [`Delivery`](crate::Delivery)).
        delivery: crate::Delivery,
    },
    /// A `201 Created` without the `Location` header that names what was created.
    #[error("{operation}: {status} response has no Location header")]
    MissingLocation {
        /// The operation, by its operationId.
        operation: &'static str,
        /// The response's status.
        status: StatusCode,
        /// How far the call got, and what resuming it needs (see [`Delivery`](crate::Delivery)).
        delivery: crate::Delivery,
    },
    /// The response body is larger than [`ClientBuilder::max_response_bytes`](crate::ClientBuilder::max_response_bytes).
    #[error("{operation}: response body exceeds the {limit}-byte limit")]
    ResponseTooLarge {
        /// The operation, by its operationId.
        operation: &'static str,
        /// The limit, in bytes.
        limit: usize,
        /// How far the call got, and what resuming it needs (see [`Delivery`](crate::Delivery)).
        delivery: crate::Delivery,
    },
    /// Dwolla's token endpoint refused the client credentials (or answered with something
    /// that is not a token).
    #[error("token request failed with {status}: {}{}", Escaped(error), description.as_deref().map(|d| format!(": {}", Escaped(d))).unwrap_or_default())]
    Auth {
        /// The token endpoint's status.
        status: StatusCode,
        /// The OAuth `error` code, such as `invalid_client`.
        error: String,
        /// The OAuth `error_description`, when there is one.
        description: Option<String>,
        /// How far the call got, and what resuming it needs (see [`Delivery`](crate::Delivery)).
        delivery: crate::Delivery,
    },
    /// The [`TokenProvider`](crate::TokenProvider) the client was built with failed, or gave
    /// an empty token.
    #[error("the token provider failed: {}", Escaped(source))]
    TokenProvider {
        /// What the provider reported (shared: one failed fetch fails every caller that waited
        /// for it).
        #[source]
        source: Arc<dyn std::error::Error + Send + Sync>,
        /// How far the call got, and what resuming it needs (see [`Delivery`](crate::Delivery)).
        delivery: crate::Delivery,
    },
    /// An operation that needs an access token was called on a client without credentials.
    #[error("{operation}: the client has no credentials; set them with ClientBuilder::credentials")]
    NoCredentials {
        /// The operation, by its operationId.
        operation: &'static str,
    },
    /// The request could not be built (a body that does not serialize, a file that cannot be
    /// read, a streamed body that cannot be sent twice).
    #[error("{operation}: cannot build the request: {}", Escaped(message))]
    Request {
        /// The operation, by its operationId.
        operation: &'static str,
        /// What went wrong.
        message: String,
        /// How far the call got, and what resuming it needs (see [`Delivery`](crate::Delivery)).
        delivery: crate::Delivery,
    },
    /// The client is configured wrongly (a bad base URL, a missing environment variable).
    #[error("invalid client configuration: {}", Escaped(.0))]
    Config(String),
    /// A response lacks a link the caller asked to follow.
    #[error("the response has no `{rel}` link")]
    MissingLink {
        /// The link relation, such as `exchange-partner`.
        rel: &'static str,
    },
    /// A link to follow points outside the configured API, where the access token must not go.
    #[error("{operation}: refusing to follow a link to {}, which is not under {base}", redact::url(url))]
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
    #[error("{operation}: refusing a response from {}, which is not under {base} (a redirect was followed)", redact::url(url))]
    ForeignResponse {
        /// The operation, by its operationId.
        operation: &'static str,
        /// Where the response came from.
        url: String,
        /// The client's base URL.
        base: String,
        /// How far the call got, and what resuming it needs (see [`Delivery`](crate::Delivery)).
        delivery: crate::Delivery,
    },
    /// A `201 Created` whose `Location` names no resource (no id in its last path segment).
    #[error("{operation}: the {status} response's Location `{}` names no resource: {}", redact::url(location), Escaped(message))]
    InvalidLocation {
        /// The operation, by its operationId.
        operation: &'static str,
        /// The response's status.
        status: StatusCode,
        /// The `Location` header as received.
        location: String,
        /// What is wrong with it.
        message: String,
        /// How far the call got, and what resuming it needs (see [`Delivery`](crate::Delivery)).
        delivery: crate::Delivery,
    },
    /// A paginated list did not end: a `next` link led back to a page already fetched, or the
    /// list ran past [`Paged::max_pages`](crate::Paged::max_pages).
    #[error("{operation}: pagination stopped: {}", Escaped(message))]
    Pagination {
        /// The operation, by its operationId.
        operation: &'static str,
        /// Why.
        message: String,
    },
    /// The request created a resource (Dwolla answered `201 Created` with its `Location`), but
    /// reading it back failed. The create succeeded: do not send it again. Read the resource at
    /// [`created`](Error::created)'s location (or by its id) once Dwolla can answer.
    #[error("{operation}: created {}, but reading it back failed: {source}", redact::url(&created.location))]
    CreatedNotFetched {
        /// The operation that created the resource, by its operationId.
        operation: &'static str,
        /// What was created: its location and id.
        created: crate::Created,
        /// Why reading it back failed. (Written `Self`, the same `Error<B>`, so that the derived
        /// `std::error::Error` does not require itself of the boxed error.)
        #[source]
        source: Box<Self>,
        /// How the create was delivered (answered, under which key, in how many attempts).
        delivery: crate::Delivery,
    },
}

/// Prints the length of a raw body, never its bytes.
struct BodyLength<'a>(&'a Bytes);

impl fmt::Debug for BodyLength<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<{} bytes>", self.0.len())
    }
}

/// `f.debug_struct(name)` with a `.field(..)` per `field = value`.
macro_rules! debug_struct {
    ($f:expr, $name:literal $(, $field:ident = $value:expr)* $(,)?) => {
        $f.debug_struct($name)$(.field(stringify!($field), $value))*.finish()
    };
}

/// Every field, as `derive(Debug)` would show it, except what must not be shown: a raw body
/// only as its length, a URL without query, fragment or userinfo.
impl<B: fmt::Debug + 'static> fmt::Debug for Error<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Transport { operation, source, delivery } => {
                debug_struct!(f, "Transport", operation = operation, source = source, delivery = delivery)
            }
            Error::Timeout { operation, delivery } => debug_struct!(f, "Timeout", operation = operation, delivery = delivery),
            Error::Api(e) => f.debug_tuple("Api").field(e).finish(),
            Error::Decode { operation, status, path, message, body, delivery } => debug_struct!(
                f,
                "Decode",
                operation = operation,
                status = status,
                path = path,
                message = message,
                body = &BodyLength(body),
                delivery = delivery,
            ),
            Error::MissingLocation { operation, status, delivery } => {
                debug_struct!(f, "MissingLocation", operation = operation, status = status, delivery = delivery)
            }
            Error::ResponseTooLarge { operation, limit, delivery } => {
                debug_struct!(f, "ResponseTooLarge", operation = operation, limit = limit, delivery = delivery)
            }
            Error::Auth { status, error, description, delivery } => {
                debug_struct!(f, "Auth", status = status, error = error, description = description, delivery = delivery)
            }
            Error::TokenProvider { source, delivery } => debug_struct!(f, "TokenProvider", source = source, delivery = delivery),
            Error::NoCredentials { operation } => debug_struct!(f, "NoCredentials", operation = operation),
            Error::Request { operation, message, delivery } => {
                debug_struct!(f, "Request", operation = operation, message = message, delivery = delivery)
            }
            Error::Config(message) => f.debug_tuple("Config").field(message).finish(),
            Error::MissingLink { rel } => debug_struct!(f, "MissingLink", rel = rel),
            Error::ForeignLink { operation, url, base } => {
                debug_struct!(f, "ForeignLink", operation = operation, url = &redact::url(url), base = base)
            }
            Error::ForeignResponse { operation, url, base, delivery } => debug_struct!(
                f,
                "ForeignResponse",
                operation = operation,
                url = &redact::url(url),
                base = base,
                delivery = delivery,
            ),
            Error::InvalidLocation { operation, status, location, message, delivery } => debug_struct!(
                f,
                "InvalidLocation",
                operation = operation,
                status = status,
                location = &redact::url(location),
                message = message,
                delivery = delivery,
            ),
            Error::Pagination { operation, message } => debug_struct!(f, "Pagination", operation = operation, message = message),
            Error::CreatedNotFetched { operation, created, source, delivery } => debug_struct!(
                f,
                "CreatedNotFetched",
                operation = operation,
                id = &created.id,
                location = &redact::url(&created.location),
                source = source,
                delivery = delivery,
            ),
        }
    }
}

/// The `delivery` of an error, borrowed as `error` is (`delivery_of!(e,)` from `&Error`,
/// `delivery_of!(e, mut)` from `&mut Error`), or `None` for the variants no call makes: the one
/// list of the variants that carry a call's record.
macro_rules! delivery_of {
    ($error:expr, $($mutability:tt)?) => {
        match $error {
            Error::Api(e) => Some(&$($mutability)? e.delivery),
            Error::Transport { delivery, .. }
            | Error::Timeout { delivery, .. }
            | Error::Decode { delivery, .. }
            | Error::MissingLocation { delivery, .. }
            | Error::ResponseTooLarge { delivery, .. }
            | Error::Auth { delivery, .. }
            | Error::TokenProvider { delivery, .. }
            | Error::Request { delivery, .. }
            | Error::ForeignResponse { delivery, .. }
            | Error::InvalidLocation { delivery, .. }
            | Error::CreatedNotFetched { delivery, .. } => Some(delivery),
            Error::NoCredentials { .. }
            | Error::Config(_)
            | Error::MissingLink { .. }
            | Error::ForeignLink { .. }
            | Error::Pagination { .. } => None,
        }
    };
}

impl<B: 'static> Error<B> {
    /// The API error, when Dwolla answered with an error status.
    pub fn api(&self) -> Option<&ApiError<B>> {
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
            Error::CreatedNotFetched { .. } => "created_not_fetched",
        };
        std::borrow::Cow::Borrowed(kind)
    }

    /// Dwolla's error `code` (`ValidationError`, `NotFound`, ...), when it sent one.
    pub fn code(&self) -> Option<&str> {
        self.api().and_then(|e| e.code.as_deref())
    }

    /// How far the call got, and what resuming it needs. Errors no call made (a bad
    /// configuration, a link the response lacks) have the empty record: [`Sent::NotSent`](crate::Sent::NotSent).
    pub fn delivery(&self) -> &crate::Delivery {
        static NONE: crate::Delivery = crate::Delivery::NONE;
        self.delivery_slot().unwrap_or(&NONE)
    }

    /// Whether any request of the call reached Dwolla, so that Dwolla may have acted on it: see
    /// [`Sent`](crate::Sent). Anything but [`Sent::NotSent`](crate::Sent::NotSent) on a call that
    /// moves money means: do not call again under a new key; resume under
    /// [`idempotency_key`](Self::idempotency_key).
    pub fn sent(&self) -> crate::Sent {
        self.delivery().sent()
    }

    /// Whether Dwolla may have acted on the call, so that calling again under a new key could
    /// act twice: a request went out and got no answer ([`Sent::Unanswered`](crate::Sent::Unanswered)),
    /// Dwolla answered `409` (it is still processing the first request) or a `5xx`, or the call
    /// created something and only reading it back failed ([`created`](Self::created)). `false`
    /// means nothing was acted on: the request never left, or Dwolla refused it (`4xx`). When
    /// it is `true`, resume by sending the same request under
    /// [`idempotency_key`](Self::idempotency_key): Dwolla answers with what the first request
    /// did, or does it now, never both.
    pub fn may_have_acted(&self) -> bool {
        if self.created().is_some() || self.sent() == crate::Sent::Unanswered {
            return true;
        }
        self.sent() == crate::Sent::Answered
            && self
                .status()
                .is_some_and(|s| s == StatusCode::CONFLICT || s.is_server_error())
    }

    /// The `Idempotency-Key` the call's requests carried, when they had one: set it on the same
    /// request (`.idempotency_key(key)`) to resume the call without acting twice.
    pub fn idempotency_key(&self) -> Option<&str> {
        self.delivery().idempotency_key()
    }

    /// The requests the call sent (0 when none left the client).
    pub fn attempts(&self) -> u32 {
        self.delivery().attempts()
    }

    /// What the call created, when it created a resource and a request that followed (reading
    /// it back) failed: see [`Error::CreatedNotFetched`].
    pub fn created(&self) -> Option<&crate::Created> {
        match self {
            Error::CreatedNotFetched { created, .. } => Some(created),
            _ => None,
        }
    }

    /// A request that could not be built: nothing of it was sent.
    pub(crate) fn request(operation: &'static str, message: String) -> Self {
        Error::Request {
            operation,
            message,
            delivery: crate::Delivery::default(),
        }
    }

    /// Where this error keeps its call's record, for the variants a call can return after it
    /// began sending.
    fn delivery_slot(&self) -> Option<&crate::Delivery> {
        delivery_of!(self,)
    }

    /// The same error stamped with its call's record (the attempt loop does this once, when the
    /// call ends).
    pub(crate) fn with_delivery(mut self, record: crate::Delivery) -> Self {
        if let Some(slot) = delivery_of!(&mut self, mut) {
            *slot = record;
        }
        self
    }
}

/// Dwolla's answer to a request it did not accept.
///
/// `B` is the type of [`body`](Self::body), as for [`Error`].
#[derive(Clone)]
#[non_exhaustive]
pub struct ApiError<B = Untyped> {
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
    /// The body's `_links`, relation → `href`: a duplicate's `about` names the resource that
    /// already exists (also [`link`](Self::link)). `Debug` shows each `href` without its query.
    pub links: BTreeMap<String, String>,
    /// Dwolla's request id (`X-Request-Id`), for support requests.
    pub request_id: Option<String>,
    /// The error body typed as the spec declares it for this status, when it declares one and
    /// the body matches it.
    pub body: Option<B>,
    /// Why [`body`](Self::body) is `None` although the spec declares a type for this status:
    /// where the body does not fit that type, and how.
    pub body_error: Option<BodyMismatch>,
    /// The raw response body, whatever it was (an HTML page from a proxy, say). `Debug` shows
    /// only its length.
    pub raw_body: Bytes,
    /// The response headers. `Debug` shows a `Location` without its query and a cookie as
    /// `<redacted>`.
    pub headers: HeaderMap,
    /// How the call was delivered: answered, under which Idempotency-Key, in how many attempts
    /// (also [`Error::sent`] and the other accessors of [`Error`]).
    pub delivery: crate::Delivery,
}

impl<B: fmt::Debug> fmt::Debug for ApiError<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("operation", &self.operation)
            .field("status", &self.status)
            .field("code", &self.code)
            .field("message", &self.message)
            .field("errors", &self.errors)
            .field("links", &LinkUrls(&self.links))
            .field("request_id", &self.request_id)
            .field("body", &self.body)
            .field("body_error", &self.body_error)
            .field("raw_body", &BodyLength(&self.raw_body))
            .field("headers", &redact::Headers(&self.headers))
            .field("delivery", &self.delivery)
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
        write!(f, "at `{}`: {}", Escaped(&self.path), Escaped(&self.message))
    }
}

/// One entry of `_embedded.errors` in a Dwolla error.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ErrorDetail {
    /// The problem's code, such as `Invalid` or `Required`.
    pub code: Option<String>,
    /// What is wrong with the field.
    pub message: Option<String>,
    /// The JSON path of the offending field, such as `/_links/source/href`.
    pub path: Option<String>,
    /// The entry's `_links`, relation → `href` (a duplicate's `about`). `Debug` shows each
    /// `href` without its query.
    pub links: BTreeMap<String, String>,
}

impl fmt::Debug for ErrorDetail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ErrorDetail")
            .field("code", &self.code)
            .field("message", &self.message)
            .field("path", &self.path)
            .field("links", &LinkUrls(&self.links))
            .finish()
    }
}

/// Shows an error's links in `Debug`, each `href` as [`redact::url`] shows a URL: a link may
/// carry a query (a search's filters).
struct LinkUrls<'a>(&'a BTreeMap<String, String>);

impl fmt::Debug for LinkUrls<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.0.iter().map(|(rel, href)| (rel, redact::url(href))))
            .finish()
    }
}

impl<B> fmt::Display for ApiError<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: Dwolla answered {}", self.operation, self.status)?;
        if let Some(code) = &self.code {
            write!(f, " {}", Escaped(code))?;
        }
        if let Some(message) = &self.message {
            write!(f, ": {}", Escaped(message))?;
        }
        for e in &self.errors {
            write!(
                f,
                "; {}{}",
                e.path.as_deref().map(|p| format!("{}: ", Escaped(p))).unwrap_or_default(),
                Escaped(e.message.as_deref().or(e.code.as_deref()).unwrap_or("invalid"))
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
            write!(f, " (request id {})", Escaped(id))?;
        }
        Ok(())
    }
}

impl<B> ApiError<B> {
    /// Reads Dwolla's error fields from a body, leniently: whatever is missing stays empty. The
    /// body is read once, for those fields alone.
    pub(crate) fn from_body(
        operation: &'static str,
        status: StatusCode,
        headers: HeaderMap,
        raw_body: Bytes,
        body: Result<Option<B>, BodyMismatch>,
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
            links: fields.links,
            request_id: crate::response::request_id(&headers),
            body,
            body_error,
            raw_body,
            headers,
            delivery: crate::Delivery::default(),
        }
    }
}

impl<B> ApiError<B> {
    /// The `href` of the body's link `rel` (`about`: the resource a duplicate duplicates).
    pub fn link(&self, rel: &str) -> Option<&str> {
        self.links.get(rel).map(String::as_str)
    }
}

#[cfg(feature = "test-util")]
#[cfg_attr(docsrs, doc(cfg(feature = "test-util")))]
impl<B> ApiError<B> {
    /// An API error as a call of `operation` (an operationId) would return it for a `status`
    /// response with this JSON body: `code`, `message`, `errors` and `links` are read from the body the
    /// way they are from Dwolla's. The typed [`body`](Self::body) starts empty; set it with
    /// [`with_body`](Self::with_body). Wrap it as `Error::Api(Box::new(..))` where an
    /// [`Error`] is wanted.
    pub fn new(operation: &'static str, status: StatusCode, body: serde_json::Value) -> Self {
        let raw = Bytes::from(serde_json::to_vec(&body).unwrap_or_default());
        Self::from_body(operation, status, HeaderMap::new(), raw, Ok(None))
    }

    /// The same error with the body typed as the spec declares it.
    #[must_use]
    pub fn with_body(mut self, body: B) -> Self {
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
        let api: Error = Error::Api(Box::new(ApiError::from_body(
            "op",
            StatusCode::SERVICE_UNAVAILABLE,
            HeaderMap::new(),
            Bytes::new(),
            Ok(None),
        )));
        assert_eq!(api.kind(), "503");
        let timeout: Error = Error::Timeout {
            operation: "op",
            delivery: crate::Delivery::default(),
        };
        assert_eq!(timeout.kind(), "timeout");
        assert_eq!(Error::<Untyped>::Config("x".into()).kind(), "config");
        let provider: Error = Error::TokenProvider {
            source: Arc::from(Box::<dyn std::error::Error + Send + Sync>::from("sealed")),
            delivery: crate::Delivery::default(),
        };
        assert_eq!(provider.kind(), "token_provider");
        assert_eq!(provider.to_string(), "the token provider failed: sealed");
    }
}
