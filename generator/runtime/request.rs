//! Sending one operation: the request the generated code describes, sent with the right
//! headers and credentials, retried when that is safe, replayed once after a rejected token,
//! and the response read within the size limit. Decoding helpers turn the raw response into
//! the operation's typed result. Everything here is non-generic except the final decode, so the
//! 83 operations share one copy of it.
//!
//! What the caller gives is checked before anything is sent, with an [`Error::Request`] naming
//! the operation: path parameters that would change the endpoint (empty, `.`, `..`), idempotency
//! keys that are blank or not printable ASCII, header values that are not header values.
//!
//! What the server sends is not believed: the client follows no redirect (a `3xx` is the
//! caller's to see), and a response that an HTTP client of the caller's own followed to outside
//! the base URL is refused with [`Error::ForeignResponse`]. Durations the server names
//! (`Retry-After`) are added with saturating arithmetic and bounded by the retry policy.

use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use serde::de::DeserializeOwned;

use crate::auth::AccessToken;
use crate::retry::{RetryPolicy, retry_after, retryable_status};
use crate::{ApiError, BodyMismatch, Client, Created, Error, Response};

/// The media type Dwolla answers in; sent as `Accept` on every request but the few whose
/// responses the spec declares in another type (the token endpoint's `application/json`).
pub const HAL_JSON: &str = "application/vnd.dwolla.v1.hal+json";

/// Headers the client manages; `.header()` cannot set them.
const MANAGED_HEADERS: &[&str] = &["accept", "authorization", "content-type", "content-length", "idempotency-key", "user-agent", "host"];

/// One operation's request, as the generated code describes it.
pub(crate) struct Request {
    pub operation: &'static str,
    pub method: Method,
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
}

impl Request {
    pub fn new(operation: &'static str, method: Method, path: String, auth: Auth) -> Self {
        Request {
            operation,
            method,
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
        }
    }

    /// Serializes `body` as JSON sent with `content_type`.
    pub fn json<T: serde::Serialize + ?Sized>(&mut self, content_type: &'static str, body: &T) -> Result<(), Error> {
        let bytes = serde_json::to_vec(body).map_err(|e| Error::Request {
            operation: self.operation,
            message: format!("cannot serialize the body: {e}"),
        })?;
        self.body = Body::Json(content_type, Bytes::from(bytes));
        Ok(())
    }

    /// Serializes `body` as `application/x-www-form-urlencoded`.
    pub fn form<T: serde::Serialize + ?Sized>(&mut self, body: &T) -> Result<(), Error> {
        let text = serde_urlencoded::to_string(body).map_err(|e| Error::Request {
            operation: self.operation,
            message: format!("cannot encode the form: {e}"),
        })?;
        self.body = Body::Form(text);
        Ok(())
    }
}

pub(crate) enum Body {
    Empty,
    Json(&'static str, Bytes),
    Form(String),
    Multipart(Vec<crate::multipart::Part>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Auth {
    Bearer,
    Basic,
    /// No credentials (an operation with `security: []`; Dwolla's spec has none today).
    #[allow(dead_code)]
    None,
}

/// Whether a `POST` carries an `Idempotency-Key`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Idempotency {
    /// A fresh UUID v4 for this call, the same on every attempt.
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
pub(crate) struct Raw {
    pub operation: &'static str,
    /// Where the response came from (relative `Location`s resolve against it).
    pub url: url::Url,
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

/// Percent-encodes a path parameter's value as one path segment. Refuses the values that would
/// change which endpoint the request goes to: an empty or blank value (`/customers//x`), and
/// `.` or `..` in any spelling (URL parsers and servers resolve `%2e` as a dot too), which would
/// turn `POST /customers/{id}/funding-sources` into `POST /funding-sources`.
pub(crate) fn path_segment(operation: &'static str, value: &str) -> Result<String, Error> {
    let decoded = percent_encoding::percent_decode_str(value).decode_utf8_lossy();
    let problem = if value.trim().is_empty() {
        Some("is empty")
    } else if matches!(decoded.trim(), "." | "..") {
        Some("is a dot segment, which would change the endpoint")
    } else {
        None
    };
    match problem {
        Some(problem) => Err(Error::Request {
            operation,
            message: format!("the path parameter {value:?} {problem}"),
        }),
        None => Ok(percent_encoding::utf8_percent_encode(value, SEGMENT).to_string()),
    }
}

/// Refuses an idempotency key that is blank, has surrounding whitespace or holds anything but
/// printable ASCII: such a key would be sent empty, differ from what the caller meant, or not
/// be sendable at all.
fn check_idempotency_key(operation: &'static str, key: &str) -> Result<(), Error> {
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
        Some(problem) => Err(Error::Request {
            operation,
            message: format!("the idempotency key {key:?} {problem}"),
        }),
        None => Ok(()),
    }
}

/// The headers the caller gave (header parameters and `.header(..)`), checked.
fn caller_headers(req: &Request) -> Result<Vec<(HeaderName, HeaderValue)>, Error> {
    let op = req.operation;
    let value_of = |name: &str, value: &str| {
        HeaderValue::from_str(value).map_err(|_| Error::Request {
            operation: op,
            message: format!("the value of `{name}` is not a valid header value"),
        })
    };
    let mut out = Vec::with_capacity(req.headers.len() + req.extra_headers.len());
    for (name, value) in &req.headers {
        let header = HeaderName::from_bytes(name.as_bytes()).map_err(|_| Error::Request {
            operation: op,
            message: format!("`{name}` is not a header name"),
        })?;
        out.push((header, value_of(name, value)?));
    }
    for (name, value) in &req.extra_headers {
        let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| Error::Request {
            operation: op,
            message: format!("`{name}` is not a header name"),
        })?;
        if MANAGED_HEADERS.contains(&name.as_str()) {
            return Err(Error::Request {
                operation: op,
                message: format!("the client sets `{name}` itself; it cannot be added with .header()"),
            });
        }
        let value = value_of(name.as_str(), value)?;
        out.push((name, value));
    }
    Ok(out)
}

const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

pub(crate) fn transport_error(operation: &'static str, e: reqwest::Error) -> Error {
    if e.is_timeout() {
        Error::Timeout { operation }
    } else {
        // Not `e.without_url()`: URLs carry no credentials here (the base URL may have no
        // userinfo), and they help.
        Error::Transport {
            operation,
            source: std::sync::Arc::new(e),
        }
    }
}

/// Reads a body, refusing one larger than `limit` before or while reading it.
pub(crate) async fn read_body(operation: &'static str, mut response: reqwest::Response, limit: usize) -> Result<Bytes, Error> {
    if response.content_length().is_some_and(|n| n > limit as u64) {
        return Err(Error::ResponseTooLarge { operation, limit });
    }
    if response.content_length().is_some() {
        // Declared and within the limit: read it whole (hyper stops at the declared length).
        return response.bytes().await.map_err(|e| transport_error(operation, e));
    }
    let mut body = bytes::BytesMut::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| transport_error(operation, e))? {
        if body.len() + chunk.len() > limit {
            return Err(Error::ResponseTooLarge { operation, limit });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

/// A `401` that says the token, not the caller, is the problem.
fn token_rejected(body: &[u8]) -> bool {
    serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v.get("code").and_then(|c| c.as_str()).map(str::to_owned))
        .is_some_and(|code| code == "ExpiredAccessToken" || code == "InvalidAccessToken")
}

impl Client {
    /// Sends `req`, retrying as the policy allows and replaying once after a rejected token.
    pub(crate) async fn execute(&self, req: Request) -> Result<Raw, Error> {
        let op = req.operation;
        let policy = req.retry.clone().unwrap_or_else(|| self.inner.retry.clone());
        let key = match (&req.method, &req.idempotency) {
            (&Method::POST, Idempotency::Auto) => Some(uuid::Uuid::new_v4().to_string()),
            (&Method::POST, Idempotency::Key(k)) => {
                check_idempotency_key(op, k)?;
                Some(k.clone())
            }
            _ => None,
        };
        let headers = caller_headers(&req)?;
        // Safe to repeat: reads and deletes always, a POST only under an idempotency key, and
        // never a body streamed from a reader, which cannot be sent twice.
        let body_replayable = match &req.body {
            Body::Multipart(parts) => parts.iter().all(|p| match p {
                crate::multipart::Part::File(_, file) => file.replayable(),
                crate::multipart::Part::Text(..) => true,
            }),
            _ => true,
        };
        let repeatable = body_replayable
            && match req.method {
                Method::GET | Method::HEAD | Method::DELETE | Method::PUT | Method::OPTIONS => true,
                Method::POST => key.is_some() || req.idempotency == Idempotency::Inherent,
                _ => false,
            };
        let started = tokio::time::Instant::now();
        let mut attempt = 0u32;
        let mut token_replayed = false;
        // The first attempt has the client's timeout; a retry at most what is left of the
        // policy's time budget, so that retries do not run past it.
        let mut attempt_timeout = self.inner.timeout;
        loop {
            attempt += 1;
            let token = match req.auth {
                Auth::Bearer => Some(self.inner.tokens.get(self, op).await?),
                _ => None,
            };
            tracing::debug!(operation = op, attempt, method = %req.method, path = %req.path, "sending");
            let outcome = self
                .send_once(&req, &headers, token.as_ref(), key.as_deref(), attempt_timeout)
                .await;
            if let (Ok(raw), Some(token)) = (&outcome, &token) {
                // A body streamed from a reader cannot be sent again: the caller gets the 401.
                if raw.status == StatusCode::UNAUTHORIZED && !token_replayed && body_replayable && token_rejected(&raw.body) {
                    tracing::info!(operation = op, "access token rejected; refreshing it and replaying once");
                    self.inner.tokens.invalidate(token).await;
                    token_replayed = true;
                    attempt -= 1;
                    continue;
                }
            }
            let reason = match &outcome {
                Ok(raw) if retryable_status(raw.status, key.is_some()) => Some((raw.status.to_string(), retry_after(&raw.headers))),
                Err(e @ (Error::Transport { .. } | Error::Timeout { .. })) => Some((e.to_string(), None)),
                _ => None,
            };
            let Some((why, asked)) = reason else { return outcome };
            if !repeatable || attempt >= policy.max_attempts {
                if !repeatable && policy.is_enabled() {
                    tracing::debug!(operation = op, "not retried: a POST without an idempotency key");
                }
                return outcome;
            }
            let delay = asked.unwrap_or_else(|| policy.backoff(attempt - 1));
            // `Retry-After` is the server's number: it may be anything up to `u64::MAX` seconds.
            if started.elapsed().saturating_add(delay) >= policy.max_elapsed {
                tracing::info!(operation = op, attempt, reason = %why, "not retried: the retry time budget is spent");
                return outcome;
            }
            tracing::warn!(
                operation = op,
                attempt,
                reason = %why,
                delay_ms = delay.as_millis() as u64,
                idempotency_key = key.as_deref().unwrap_or(""),
                "retrying"
            );
            tokio::time::sleep(delay).await;
            let remaining = policy.max_elapsed.saturating_sub(started.elapsed());
            if remaining.is_zero() {
                return outcome;
            }
            // A client without a timeout (`no_timeout()`) sets no timer on a request, a retry's
            // included; the budget then only decides whether a retry starts.
            attempt_timeout = self.inner.timeout.map(|t| t.min(remaining));
        }
    }

    async fn send_once(
        &self,
        req: &Request,
        headers: &[(HeaderName, HeaderValue)],
        token: Option<&AccessToken>,
        key: Option<&str>,
        timeout: Option<std::time::Duration>,
    ) -> Result<Raw, Error> {
        let inner = &self.inner;
        let op = req.operation;
        let url = match &req.url {
            Some(url) => url.clone(),
            None => format!("{}{}", inner.base_url, req.path),
        };
        let mut b = inner
            .http
            .request(req.method.clone(), url)
            .header(http::header::ACCEPT, req.accept)
            .header(http::header::USER_AGENT, &inner.user_agent);
        if !req.query.is_empty() {
            b = b.query(&req.query);
        }
        for (name, value) in headers {
            b = b.header(name.clone(), value.clone());
        }
        if let Some(key) = key {
            b = b.header("Idempotency-Key", key);
        }
        match (req.auth, token) {
            (Auth::Bearer, Some(token)) => b = b.bearer_auth(token.value.expose()),
            (Auth::Basic, _) => {
                let c = inner.credentials.as_ref().ok_or(Error::NoCredentials { operation: op })?;
                b = b.basic_auth(&c.client_id, Some(c.client_secret.expose()));
            }
            _ => {}
        }
        b = match &req.body {
            Body::Empty => b,
            Body::Json(content_type, bytes) => b.header(http::header::CONTENT_TYPE, *content_type).body(bytes.clone()),
            Body::Form(text) => b
                .header(http::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(text.clone()),
            Body::Multipart(parts) => b.multipart(crate::multipart::form(op, parts).await?),
        };
        if let Some(timeout) = timeout {
            b = b.timeout(timeout);
        }
        let mut response = b.send().await.map_err(|e| transport_error(op, e))?;
        // The client this crate builds follows no redirect; one passed by the caller may. Its
        // answer counts only if it still came from under the base URL.
        let from = response.url().clone();
        if crate::links::check_under(op, &inner.base_url, from.as_str()).is_err() {
            let mut shown = from;
            let _ = shown.set_username("");
            let _ = shown.set_password(None);
            return Err(Error::ForeignResponse {
                operation: op,
                url: shown.to_string(),
                base: inner.base_url.clone(),
            });
        }
        let status = response.status();
        let headers = std::mem::take(response.headers_mut());
        let body = read_body(op, response, inner.max_response_bytes).await?;
        tracing::debug!(operation = op, status = status.as_u16(), bytes = body.len(), "response");
        Ok(Raw {
            operation: op,
            url: from,
            status,
            headers,
            body,
        })
    }
}

/// Decodes `body` as `T`, or says where and how it does not fit.
fn decode_tracked<T: DeserializeOwned>(body: &[u8]) -> Result<T, BodyMismatch> {
    // The fast path decodes without tracking where it is; only a body that does not fit is
    // decoded again, tracking the path, to say where.
    if let Ok(value) = serde_json::from_slice::<T>(body) {
        return Ok(value);
    }
    serde_path_to_error::deserialize::<_, T>(&mut serde_json::Deserializer::from_slice(body)).map_err(|e| BodyMismatch {
        path: e.path().to_string(),
        message: e.into_inner().to_string(),
    })
}

impl Raw {
    /// Decodes the body as `T`, naming the JSON path where it does not fit.
    pub fn decode<T: DeserializeOwned>(self) -> Result<Response<T>, Error> {
        match decode_tracked::<T>(&self.body) {
            Ok(body) => Ok(Response::new(self.status, self.headers, body)),
            Err(BodyMismatch { path, message }) => Err(Error::Decode {
                operation: self.operation,
                status: self.status,
                path,
                message,
                body: self.body,
            }),
        }
    }

    /// The `Location` of a `201 Created`, resolved against the request's URL when relative
    /// (RFC 9110 allows that).
    pub fn created(self) -> Result<Response<Created>, Error> {
        let Some(value) = self.headers.get(http::header::LOCATION).filter(|v| !v.as_bytes().trim_ascii().is_empty()) else {
            return Err(Error::MissingLocation {
                operation: self.operation,
                status: self.status,
            });
        };
        let invalid = |message: String| Error::InvalidLocation {
            operation: self.operation,
            status: self.status,
            location: String::from_utf8_lossy(value.as_bytes()).into_owned(),
            message,
        };
        let text = value.to_str().map_err(|_| invalid("it is not visible ASCII".into()))?;
        let created = Created::from_location(&self.url, text).map_err(invalid)?;
        Ok(Response::new(self.status, self.headers, created))
    }

    /// A response whose body does not matter.
    // Called only by operations whose success has no body, which not every spec has (Dwolla's
    // upstream document declares a body for every one).
    #[allow(dead_code)]
    pub fn empty(self) -> Response<()> {
        Response::new(self.status, self.headers, ())
    }

    /// The API error this response is, its body typed as `T` (the type the spec declares for
    /// the status). A body that does not match is still an API error, without the typed body
    /// but with the reason on [`ApiError::body_error`].
    pub fn into_typed_error<T: DeserializeOwned>(self, wrap: impl FnOnce(T) -> crate::ApiErrorBody) -> Error {
        let body = decode_tracked::<T>(&self.body).map(|t| Some(wrap(t)));
        Error::Api(Box::new(ApiError::from_body(self.operation, self.status, self.headers, self.body, body)))
    }

    /// The API error this response is, with `body` as its typed body.
    pub fn into_error(self, body: Option<crate::ApiErrorBody>) -> Error {
        Error::Api(Box::new(ApiError::from_body(self.operation, self.status, self.headers, self.body, Ok(body))))
    }
}
