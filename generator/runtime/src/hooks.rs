//! Hooks: code of your own that sees every attempt of every request, registered on the client
//! with [`ClientBuilder::hook`](crate::ClientBuilder::hook). A hook can add or change headers
//! before an attempt is sent (a correlation id, a tenant header) and observe each response
//! (record a metric, log a request id).
//!
//! ```
//! # use dwolla_runtime as dwolla;
//! use dwolla::{Hook, RequestParts, ResponseParts};
//!
//! struct Correlate;
//!
//! impl Hook for Correlate {
//!     fn before_send(&self, request: &mut RequestParts<'_>) {
//!         request.headers.insert("x-correlation-id", dwolla::reqwest::header::HeaderValue::from_static("c-42"));
//!     }
//!
//!     fn after_response(&self, response: &ResponseParts<'_>) {
//!         println!("{} attempt {}: {}", response.operation, response.attempt, response.status);
//!     }
//! }
//!
//! let client = dwolla::Client::builder()
//!     .credentials("client-id", "client-secret")
//!     .hook(Correlate)
//!     .build();
//! # let _ = client;
//! ```
//!
//! A hook cannot read secrets: the `Authorization` header is added after
//! [`Hook::before_send`] returns and is not among the headers it sees, and bodies are not shown.
//! It cannot set the headers the client manages either (`Authorization`, `Accept`,
//! `Content-Type`, `Idempotency-Key`, `User-Agent`, ...): an attempt where a hook did fails with
//! [`Error::Request`](crate::Error::Request). Hooks run in the order they were registered,
//! synchronously on the task sending the request, so they should be quick.
//!
//! Why a trait of our own rather than `tower` layers or `reqwest-middleware`: it adds no
//! dependency and no compile time, it runs per attempt inside the client's retry loop (so a
//! retry shows as a second attempt), and it sees the operation's name, which HTTP-level
//! middleware does not know. A `reqwest::Client` of your own with its own middleware can still be
//! passed with [`ClientBuilder::http_client`](crate::ClientBuilder::http_client).

use std::time::Duration;

use http::{HeaderMap, Method, StatusCode};

/// Code that sees each attempt of each request the client sends. Both methods do nothing
/// unless implemented.
pub trait Hook: Send + Sync + 'static {
    /// Called before each attempt is sent, retries included. `request.headers` holds the
    /// headers the caller set (header parameters and `.header(..)`); a hook may add, change or
    /// remove them.
    fn before_send(&self, request: &mut RequestParts<'_>) {
        let _ = request;
    }

    /// Called when an attempt's response has arrived and its body has been read. An attempt
    /// that ends without one is [`after_failure`](Hook::after_failure)'s.
    fn after_response(&self, response: &ResponseParts<'_>) {
        let _ = response;
    }

    /// Called when an attempt that was sent ends without a response to read: the connection
    /// failed or was refused, the attempt ran past its timeout or the call's deadline, the answer
    /// was cut short or too large, or it came from outside the API. Every attempt that
    /// [`before_send`](Hook::before_send) saw ends in exactly one of the two calls, unless the
    /// request could not be built at all.
    fn after_failure(&self, failure: &FailureParts<'_>) {
        let _ = failure;
    }
}

/// An attempt about to be sent, as a [`Hook`] sees it: no credentials, no body.
#[derive(Debug)]
#[non_exhaustive]
pub struct RequestParts<'a> {
    /// The operation, by its operationId (`createApplicationAccessToken` for the token request).
    pub operation: &'static str,
    /// The HTTP method.
    pub method: &'a Method,
    /// The URL the attempt goes to; the operation's query parameters are added after.
    pub url: &'a str,
    /// The attempt, from 1.
    pub attempt: u32,
    /// The `Idempotency-Key` the request carries, if any.
    pub idempotency_key: Option<&'a str>,
    /// The headers the caller set; a hook may change them (not the ones the client manages).
    pub headers: &'a mut HeaderMap,
}

/// An attempt's response, as a [`Hook`] sees it: status, headers and size, not the body.
#[derive(Debug)]
#[non_exhaustive]
pub struct ResponseParts<'a> {
    /// The operation, by its operationId.
    pub operation: &'static str,
    /// The HTTP method of the request.
    pub method: &'a Method,
    /// The attempt, from 1.
    pub attempt: u32,
    /// The response's status.
    pub status: StatusCode,
    /// The response's headers.
    pub headers: &'a HeaderMap,
    /// The length of the body, in bytes.
    pub body_len: usize,
    /// How long the attempt took, from sending to the end of the body.
    pub elapsed: Duration,
}

/// An attempt that ended without a response, as a [`Hook`] sees it.
#[derive(Debug)]
#[non_exhaustive]
pub struct FailureParts<'a> {
    /// The operation, by its operationId.
    pub operation: &'static str,
    /// The HTTP method of the request.
    pub method: &'a Method,
    /// The attempt, from 1.
    pub attempt: u32,
    /// What ended it ([`Error::Timeout`](crate::Error::Timeout),
    /// [`Error::Transport`](crate::Error::Transport), ...). Its [`sent`](crate::Error::sent)
    /// says whether the request can have reached Dwolla.
    pub error: &'a crate::Error,
    /// How long the attempt took, from sending to its end.
    pub elapsed: Duration,
}

/// The hooks of a client, run in order.
#[derive(Clone, Default)]
pub(crate) struct Hooks(pub Vec<std::sync::Arc<dyn Hook>>);

impl std::fmt::Debug for Hooks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} hook(s)", self.0.len())
    }
}

impl Hooks {
    pub fn before_send(&self, parts: &mut RequestParts<'_>) {
        for hook in &self.0 {
            hook.before_send(parts);
        }
    }

    pub fn after_response(&self, parts: &ResponseParts<'_>) {
        for hook in &self.0 {
            hook.after_response(parts);
        }
    }

    pub fn after_failure(&self, parts: &FailureParts<'_>) {
        for hook in &self.0 {
            hook.after_failure(parts);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    struct Add(&'static str, Mutex<Vec<u16>>);

    impl Hook for Add {
        fn before_send(&self, request: &mut RequestParts<'_>) {
            request.headers.append("x-seen", http::HeaderValue::from_static(self.0));
        }
        fn after_response(&self, response: &ResponseParts<'_>) {
            self.1.lock().unwrap().push(response.status.as_u16());
        }
    }

    #[test]
    fn hooks_run_in_order_and_see_each_response() {
        let first = std::sync::Arc::new(Add("1", Mutex::default()));
        let hooks = Hooks(vec![first.clone(), std::sync::Arc::new(Add("2", Mutex::default()))]);
        let mut headers = HeaderMap::new();
        let method = Method::GET;
        hooks.before_send(&mut RequestParts {
            operation: "op",
            method: &method,
            url: "http://h/x",
            attempt: 1,
            idempotency_key: None,
            headers: &mut headers,
        });
        let seen: Vec<&str> = headers.get_all("x-seen").iter().filter_map(|v| v.to_str().ok()).collect();
        assert_eq!(seen, ["1", "2"]);
        hooks.after_response(&ResponseParts {
            operation: "op",
            method: &method,
            attempt: 1,
            status: StatusCode::ACCEPTED,
            headers: &headers,
            body_len: 0,
            elapsed: Duration::ZERO,
        });
        assert_eq!(*first.1.lock().unwrap(), [202]);
        assert_eq!(format!("{hooks:?}"), "2 hook(s)");
    }
}
