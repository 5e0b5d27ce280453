//! Sending one attempt: the URL, the headers (the caller's checked against the one list of
//! headers the client manages), the credentials, the body, and the response read within the
//! size limit. What the server sends is not believed: a response that an HTTP client of the
//! caller's own followed to outside the base URL is refused with [`Error::ForeignResponse`], and
//! a body over the limit is refused before or while it is read.

use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue};

use crate::auth::AccessToken;
use crate::hooks::{FailureParts, RequestParts, ResponseParts};
use crate::request::{Auth, Body, Raw, Request};
use crate::delivery::{Delivery, Sent};
use crate::managed_headers::MANAGED_HEADERS;
use crate::{Client, Error};

/// Whether `name` (lower case, as [`HeaderName`] keeps it) is one the client sets itself.
pub(crate) fn is_managed(name: &HeaderName) -> bool {
    MANAGED_HEADERS.contains(&name.as_str())
}

/// What is wrong with `value` as a header value, if anything: the one check of a value the
/// caller or a token source hands the client for a header it sets (the user agent, a token),
/// made where the value arrives so that it is refused there, never retried when sent.
pub(crate) fn header_value_problem(value: &str) -> Option<&'static str> {
    HeaderValue::from_str(value)
        .is_err()
        .then_some("holds characters a header cannot carry (control characters such as line breaks)")
}

/// The headers the caller gave (header parameters and `.header(..)`), checked.
pub(crate) fn caller_headers(req: &Request) -> Result<Vec<(HeaderName, HeaderValue)>, Error> {
    let op = req.operation;
    let value_of = |name: &str, value: &str| {
        HeaderValue::from_str(value).map_err(|_| Error::request(op, format!("the value of `{name}` is not a valid header value")))
    };
    let mut out = Vec::with_capacity(req.headers.len() + req.extra_headers.len());
    for (name, value) in &req.headers {
        let header = HeaderName::from_bytes(name.as_bytes()).map_err(|_| Error::request(op, format!("`{name}` is not a header name")))?;
        out.push((header, value_of(name, value)?));
    }
    for (name, value) in &req.extra_headers {
        let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| Error::request(op, format!("`{name}` is not a header name")))?;
        if is_managed(&name) {
            return Err(Error::request(op, format!("the client sets `{name}` itself; it cannot be added with .header()")));
        }
        let value = value_of(name.as_str(), value)?;
        out.push((name, value));
    }
    Ok(out)
}

/// What an error of the HTTP client means for the call: a timeout, a request that could not be
/// built (a final [`Error::Request`]: sending it again would fail alike, so it is never taken
/// for a network failure and retried), or a transport failure. The URL it names loses its
/// query, fragment and userinfo (`redact::strip_url`): a list's filters carry names and emails,
/// and the error's `Display` and `Debug` show it.
pub(crate) fn transport_error(operation: &'static str, mut e: reqwest::Error) -> Error {
    // A connection that was never made carried nothing; anything later may have reached
    // Dwolla.
    let delivery = Delivery::attempt(if e.is_connect() { Sent::NotSent } else { Sent::Unanswered });
    if e.is_timeout() {
        Error::Timeout { operation, delivery }
    } else if e.is_builder() {
        // Without the URL: it may hold the caller's query. Nothing was sent.
        Error::request(operation, format!("the HTTP client cannot build it: {}", e.without_url()))
    } else {
        if let Some(url) = e.url_mut() {
            crate::redact::strip_url(url);
        }
        Error::Transport {
            operation,
            source: std::sync::Arc::new(e),
            delivery,
        }
    }
}

/// Reads a body, refusing one larger than `limit` before or while reading it.
pub(crate) async fn read_body(operation: &'static str, mut response: reqwest::Response, limit: usize) -> Result<Bytes, Error> {
    if response.content_length().is_some_and(|n| n > limit as u64) {
        return Err(Error::ResponseTooLarge {
            operation,
            limit,
            delivery: Delivery::attempt(Sent::Answered),
        });
    }
    if response.content_length().is_some() {
        // Declared and within the limit: read it whole (hyper stops at the declared length).
        return response.bytes().await.map_err(|e| transport_error(operation, e));
    }
    let mut body = bytes::BytesMut::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| transport_error(operation, e))? {
        if body.len() + chunk.len() > limit {
            return Err(Error::ResponseTooLarge {
                operation,
                limit,
                delivery: Delivery::attempt(Sent::Answered),
            });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

/// One attempt of a call, beside the request itself: what changes from one attempt to the next.
pub(crate) struct Attempt<'a> {
    /// 1 for the first attempt.
    pub number: u32,
    /// The caller's own headers (already checked not to be ones the client sets).
    pub headers: &'a [(HeaderName, HeaderValue)],
    /// The access token, for a request with bearer authentication.
    pub token: Option<&'a AccessToken>,
    /// The `Idempotency-Key`, the same on every attempt of a call.
    pub key: Option<&'a str>,
    /// How long this attempt may take.
    pub timeout: Option<std::time::Duration>,
}

impl Client {
    /// Sends one attempt of `req` and reads its answer, telling the hooks before it is sent and
    /// after it is answered or failed.
    pub(crate) async fn send_once(&self, req: &Request, attempt: Attempt<'_>) -> Result<Raw, Error> {
        let inner = &self.inner;
        let op = req.operation;
        let url = match &req.url {
            Some(url) => url.clone(),
            None => format!("{}{}", inner.base_url, req.path),
        };
        let mut extra = HeaderMap::with_capacity(attempt.headers.len());
        for (name, value) in attempt.headers {
            extra.append(name.clone(), value.clone());
        }
        if !inner.hooks.0.is_empty() {
            // The hooks run before the credentials are added, and see none of them.
            inner.hooks.before_send(&mut RequestParts {
                operation: op,
                method: &req.method,
                url: &url,
                attempt: attempt.number,
                idempotency_key: attempt.key,
                headers: &mut extra,
            });
            if let Some(name) = extra.keys().find(|name| is_managed(name)) {
                return Err(Error::request(op, format!("a hook set `{name}`, which the client sets itself")));
            }
        }
        let b = self.build(req, &attempt, url, extra).await?;
        let sent_at = tokio::time::Instant::now();
        let (from, status, headers, body) = match self.receive(op, b).await {
            Ok(answer) => answer,
            Err(error) => {
                inner.hooks.after_failure(&FailureParts {
                    operation: op,
                    method: &req.method,
                    attempt: attempt.number,
                    error: &error,
                    elapsed: sent_at.elapsed(),
                });
                return Err(error);
            }
        };
        tracing::debug!(operation = op, status = status.as_u16(), bytes = body.len(), "response");
        inner.hooks.after_response(&ResponseParts {
            operation: op,
            method: &req.method,
            attempt: attempt.number,
            status,
            headers: &headers,
            body_len: body.len(),
            elapsed: sent_at.elapsed(),
        });
        Ok(Raw {
            operation: op,
            url: from,
            status,
            headers,
            body,
            span: tracing::Span::current(),
            delivery: Delivery::default(),
        })
    }

    /// The HTTP request of one attempt: the client's headers, the caller's (`extra`), the key,
    /// the credentials, the body and the attempt's timeout.
    async fn build(&self, req: &Request, attempt: &Attempt<'_>, url: String, extra: HeaderMap) -> Result<reqwest::RequestBuilder, Error> {
        let inner = &self.inner;
        let op = req.operation;
        let mut b = inner
            .http
            .request(req.method.clone(), url)
            .header(http::header::ACCEPT, req.accept)
            .header(http::header::USER_AGENT, &inner.user_agent);
        if !req.query.is_empty() {
            b = b.query(&req.query);
        }
        b = b.headers(extra);
        if let Some(key) = attempt.key {
            b = b.header("Idempotency-Key", key);
        }
        match (req.auth, attempt.token) {
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
        if let Some(timeout) = attempt.timeout {
            b = b.timeout(timeout);
        }
        Ok(b)
    }
}

impl Client {
    /// Sends a built request and reads its answer: the URL it came from (refused when outside
    /// the base URL), the status, the headers and the size-limited body.
    async fn receive(&self, op: &'static str, b: reqwest::RequestBuilder) -> Result<(url::Url, http::StatusCode, HeaderMap, Bytes), Error> {
        let mut response = b.send().await.map_err(|e| transport_error(op, e))?;
        // The client this crate builds follows no redirect; one passed by the caller may. Its
        // answer counts only if it still came from under the base URL.
        let from = response.url().clone();
        if crate::links::check_under(op, &self.inner.base_url, from.as_str()).is_err() {
            let mut shown = from;
            let _ = shown.set_username("");
            let _ = shown.set_password(None);
            return Err(Error::ForeignResponse {
                operation: op,
                url: shown.to_string(),
                base: self.inner.base_url.clone(),
                // Whoever answered, the request went out, and a redirect may have taken it on.
                delivery: Delivery::attempt(Sent::Unanswered),
            });
        }
        let status = response.status();
        let headers = std::mem::take(response.headers_mut());
        let body = read_body(op, response, self.inner.max_response_bytes).await?;
        Ok((from, status, headers, body))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::Method;

    fn request(extra: &[(&str, &str)]) -> Request {
        let mut r = Request::new("op", Method::GET, "/x", "/x".into(), Auth::Bearer);
        r.headers.push(("X-Param", "v".into()));
        r.extra_headers = extra.iter().map(|(n, v)| ((*n).to_owned(), (*v).to_owned())).collect();
        r
    }

    #[test]
    fn a_request_the_http_client_cannot_build_is_final_not_transient() {
        let built = reqwest::Client::new().get("http://127.0.0.1:9/x?q=private").header("x-a", "line\nbreak").build();
        let Err(e) = built else { panic!("the header value is refused") };
        let error = transport_error("op", e);
        assert!(matches!(error, Error::Request { .. }), "{error:?}");
        assert!(!error.to_string().contains("private"), "{error}");
    }

    #[test]
    fn caller_headers_are_checked_and_kept_in_order() {
        let h = caller_headers(&request(&[("X-Correlation-Id", "c-1")])).unwrap_or_default();
        let names: Vec<&str> = h.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["x-param", "x-correlation-id"]);
        assert!(matches!(caller_headers(&request(&[("bad name", "v")])), Err(Error::Request { .. })));
        assert!(matches!(caller_headers(&request(&[("x-ok", "line\nbreak")])), Err(Error::Request { .. })));
    }

    #[test]
    fn managed_headers_cannot_be_added_in_any_case() {
        for name in MANAGED_HEADERS.iter().copied().chain(["Authorization", "IDEMPOTENCY-KEY"]) {
            let message = caller_headers(&request(&[(name, "v")])).err().map(|e| e.to_string()).unwrap_or_default();
            assert!(message.contains("sets"), "{name}: {message}");
        }
    }

    #[test]
    fn a_body_over_the_limit_is_refused() {
        let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let response = |n: usize| reqwest::Response::from(http::Response::new(vec![b'x'; n]));
        let ok = rt.block_on(read_body("op", response(10), 10)).map(|b| b.len());
        assert_eq!(ok.ok(), Some(10));
        let big = rt.block_on(read_body("op", response(11), 10));
        assert!(matches!(big, Err(Error::ResponseTooLarge { limit: 10, .. })));
    }
}
