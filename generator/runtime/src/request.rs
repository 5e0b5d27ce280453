//! The request model: one operation's request as the generated code describes it (method,
//! path, query, headers, body, credentials, idempotency), the response as it came off the wire,
//! and the checks of what the caller gives, made before anything is sent. The phases that act
//! on it are beside it: `execute.rs` runs a call's attempts, `transport.rs` sends one attempt,
//! `retry.rs` decides what follows an attempt, and `decode.rs` turns the response into the
//! operation's typed result.
//!
//! What the caller gives is checked with an [`Error::Request`] naming the operation: path
//! parameters that would change the endpoint (empty, `.`, `..`) and idempotency keys that are
//! blank or not printable ASCII; header values are checked in `transport.rs`.

use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, Method, StatusCode};

use crate::Error;
use crate::retry::RetryPolicy;

/// The media type Dwolla answers in; sent as `Accept` on every request but the few whose
/// responses the spec declares in another type (the token endpoint's `application/json`).
pub const HAL_JSON: &str = "application/vnd.dwolla.v1.hal+json";

/// One operation's request, as the generated code describes it.
pub struct Request {
    pub operation: &'static str,
    pub method: Method,
    /// The operation's path template, such as `/transfers/{id}` (OpenTelemetry's
    /// `url.template`); empty for a followed link.
    pub template: &'static str,
    /// The path with its parameters filled in and encoded, such as `/customers/abc`.
    pub path: String,
    /// An absolute URL to use instead of the base URL and `path` (a followed link).
    pub url: Option<String>,
    pub query: Vec<(&'static str, String)>,
    pub headers: Vec<(&'static str, String)>,
    /// Headers the caller added with `.header(..)`.
    pub extra_headers: Vec<(String, String)>,
    /// The `Accept` header: [`HAL_JSON`] unless the operation's responses are declared otherwise.
    pub accept: &'static str,
    pub body: Body,
    pub auth: Auth,
    pub idempotency: Idempotency,
    /// This call's retry policy, when it overrides the client's.
    pub retry: Option<RetryPolicy>,
    /// This call's timeout of one attempt, when it overrides the client's.
    pub timeout: Option<Duration>,
    /// How long this call may take in all, retries and waits included, when it overrides the
    /// client's deadline.
    pub deadline: Option<Duration>,
}

impl Request {
    pub fn new(operation: &'static str, method: Method, template: &'static str, path: String, auth: Auth) -> Self {
        Request {
            operation,
            method,
            template,
            path,
            url: None,
            query: Vec::new(),
            headers: Vec::new(),
            extra_headers: Vec::new(),
            accept: HAL_JSON,
            body: Body::Empty,
            auth,
            idempotency: Idempotency::Auto,
            retry: None,
            timeout: None,
            deadline: None,
        }
    }

    /// Serializes `body` as JSON sent with `content_type`. Only the serialization is generic.
    pub fn json<T: serde::Serialize + ?Sized>(&mut self, content_type: &'static str, body: &T) -> Result<(), Error> {
        let bytes = serde_json::to_vec(body);
        self.set_json(content_type, bytes)
    }

    fn set_json(&mut self, content_type: &'static str, bytes: Result<Vec<u8>, serde_json::Error>) -> Result<(), Error> {
        let bytes = bytes.map_err(|e| Error::request(self.operation, format!("cannot serialize the body: {e}")))?;
        self.body = Body::Json(content_type, Bytes::from(bytes));
        Ok(())
    }

    /// Serializes `body` as `application/x-www-form-urlencoded`. Only the encoding is generic.
    pub fn form<T: serde::Serialize + ?Sized>(&mut self, body: &T) -> Result<(), Error> {
        let text = serde_urlencoded::to_string(body);
        self.set_form(text)
    }

    fn set_form(&mut self, text: Result<String, serde_urlencoded::ser::Error>) -> Result<(), Error> {
        let text = text.map_err(|e| Error::request(self.operation, format!("cannot encode the form: {e}")))?;
        self.body = Body::Form(text);
        Ok(())
    }
}

/// The options every request builder carries besides the operation's own parameters, set by
/// its `header`, `retry`, `timeout` and `deadline` methods (and, on a `POST`, `idempotency_key`
/// and `without_idempotency_key`), written once in `macros.rs::call_options`.
#[derive(Debug, Default)]
pub struct CallOptions {
    /// Headers the caller added with `.header(..)`.
    pub extra_headers: Vec<(String, String)>,
    pub retry: Option<RetryPolicy>,
    pub timeout: Option<Duration>,
    pub deadline: Option<Duration>,
    pub idempotency: Idempotency,
}

impl Request {
    /// Takes the caller's options for this call.
    pub fn set_options(&mut self, options: CallOptions) {
        let CallOptions { extra_headers, retry, timeout, deadline, idempotency } = options;
        self.extra_headers = extra_headers;
        self.retry = retry;
        self.timeout = timeout;
        self.deadline = deadline;
        self.idempotency = idempotency;
    }
}

pub enum Body {
    Empty,
    Json(&'static str, Bytes),
    Form(String),
    Multipart(Vec<crate::multipart::Part>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Auth {
    Bearer,
    Basic,
    /// No credentials (an operation with `security: []`; Dwolla's spec has none today).
    #[allow(dead_code)]
    None,
}

/// Whether a `POST` carries an `Idempotency-Key`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Idempotency {
    /// A fresh UUID v4 for this call, the same on every attempt.
    #[default]
    Auto,
    /// The caller's own key.
    Key(String),
    /// None at all: the request is then never retried.
    Off,
    /// None needed: the request is safe to repeat by its nature (the token request), and is
    /// retried like a `GET`.
    Inherent,
}

/// A response as it came off the wire.
pub struct Raw {
    pub operation: &'static str,
    /// Where the response came from (relative `Location`s resolve against it).
    pub url: url::Url,
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
    /// The call's span, where decoding records its failure (`error.type`).
    pub span: tracing::Span,
    /// How the call was delivered, for the errors decoding finds.
    pub delivery: crate::Delivery,
}

/// Percent-encodes a path parameter's value as one path segment. Refuses the values that would
/// change which endpoint the request goes to: an empty or blank value (`/customers//x`), and
/// `.` or `..` in any spelling (URL parsers and servers resolve `%2e` as a dot too), which would
/// turn `POST /customers/{id}/funding-sources` into `POST /funding-sources`.
pub fn path_segment(operation: &'static str, value: &str) -> Result<String, Error> {
    let decoded = percent_encoding::percent_decode_str(value).decode_utf8_lossy();
    let problem = if value.trim().is_empty() {
        Some("is empty")
    } else if matches!(decoded.trim(), "." | "..") {
        Some("is a dot segment, which would change the endpoint")
    } else {
        None
    };
    match problem {
        Some(problem) => Err(Error::request(operation, format!("the path parameter {value:?} {problem}"))),
        None => Ok(percent_encoding::utf8_percent_encode(value, SEGMENT).to_string()),
    }
}

/// Refuses an idempotency key that is blank, has surrounding whitespace or holds anything but
/// printable ASCII: such a key would be sent empty, differ from what the caller meant, or not
/// be sendable at all.
pub(crate) fn check_idempotency_key(operation: &'static str, key: &str) -> Result<(), Error> {
    let problem = if key.trim().is_empty() {
        Some("is empty")
    } else if key.trim() != key {
        Some("has leading or trailing whitespace")
    } else if !key.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        Some("may hold only printable ASCII characters")
    } else {
        None
    };
    match problem {
        Some(problem) => Err(Error::request(operation, format!("the idempotency key {key:?} {problem}"))),
        None => Ok(()),
    }
}

const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_segments_are_one_segment_or_refused() {
        assert_eq!(path_segment("op", "abc-1.2_3~").ok().as_deref(), Some("abc-1.2_3~"));
        assert_eq!(path_segment("op", "a/b c").ok().as_deref(), Some("a%2Fb%20c"));
        for bad in ["", " ", ".", "..", "%2e", "%2E%2e", " .. "] {
            assert!(matches!(path_segment("op", bad), Err(Error::Request { .. })), "{bad:?}");
        }
    }

    #[test]
    fn idempotency_keys_are_printable_ascii_without_surrounding_space() {
        assert!(check_idempotency_key("op", "key-1 two").is_ok());
        for bad in ["", "  ", " k", "k ", "k\n", "kë", "k\u{7f}"] {
            assert!(check_idempotency_key("op", bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn options_replace_the_requests_defaults() {
        let mut r = Request::new("op", Method::POST, "/x", "/x".into(), Auth::Bearer);
        r.set_options(CallOptions {
            extra_headers: vec![("x-a".into(), "1".into())],
            retry: Some(RetryPolicy::none()),
            timeout: Some(Duration::from_secs(1)),
            deadline: Some(Duration::from_secs(2)),
            idempotency: Idempotency::Key("k".into()),
        });
        assert_eq!(r.extra_headers, vec![("x-a".to_owned(), "1".to_owned())]);
        assert!(r.retry.is_some());
        assert_eq!((r.timeout, r.deadline), (Some(Duration::from_secs(1)), Some(Duration::from_secs(2))));
        assert_eq!(r.idempotency, Idempotency::Key("k".into()));
        r.set_options(CallOptions::default());
        assert_eq!(r.idempotency, Idempotency::Auto);
        assert!(r.extra_headers.is_empty() && r.retry.is_none() && r.timeout.is_none() && r.deadline.is_none());
    }

    #[test]
    fn a_new_request_accepts_hal_and_generates_a_key() {
        let r = Request::new("op", Method::POST, "/x", "/x".into(), Auth::Bearer);
        assert_eq!(r.accept, HAL_JSON);
        assert_eq!(r.idempotency, Idempotency::Auto);
        assert!(matches!(r.body, Body::Empty));
    }
}
