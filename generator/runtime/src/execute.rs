//! Running one call: its attempts, each sent by `transport.rs`, with what follows each decided
//! by `retry::decide` (retry after a wait, replay once with a fresh token, or stop). Durations the
//! server names (`Retry-After`) are added with saturating arithmetic and bounded by the retry
//! policy's time budget.

use std::time::Duration;

use http::Method;
use tracing::Instrument;

use crate::request::{Auth, Body, Idempotency, Raw, Request, check_idempotency_key};
use crate::delivery::{Reach, Sent};
use crate::retry::{Decision, Outcome, Progress, Stop, decide, token_rejected};
use crate::transport::{Attempt, caller_headers};
use crate::{Client, Error};

/// Whether `req` may be sent more than once: reads and deletes always, a `POST` only under an
/// idempotency key (or when it is safe by nature, as the token request is), and never a body
/// streamed from a reader, which cannot be sent twice.
fn repeatable(req: &Request, keyed: bool) -> bool {
    let body_replayable = match &req.body {
        Body::Multipart(parts) => parts.iter().all(|p| match p {
            crate::multipart::Part::File(_, file) => file.replayable(),
            crate::multipart::Part::Text(..) => true,
        }),
        _ => true,
    };
    let by_method = match req.method {
        Method::GET | Method::HEAD | Method::DELETE | Method::PUT | Method::OPTIONS => true,
        Method::POST => keyed || req.idempotency == Idempotency::Inherent,
        _ => false,
    };
    body_replayable && by_method
}

/// Sends one operation's request and decodes the answer with `decode`: the one async path every
/// request builder's `send` takes, generic only in the result type (and the API's error bodies,
/// of which there is one type), so that the operations share its state machine instead of each
/// compiling its own.
pub async fn send<T, B: crate::ErrorBody>(
    client: &Client,
    req: Result<Request, Error<B>>,
    decode: fn(Raw) -> Result<crate::Response<T>, Error<B>>,
) -> Result<crate::Response<T>, Error<B>> {
    decode(client.execute(req?).await?)
}

impl Client {
    /// Sends `req` within its deadline, retrying as the policy allows and replaying once after
    /// a rejected token, in one span named `dwolla.request` (see [`call_span`]). Every error it
    /// returns carries the call's [`Delivery`](crate::Delivery): how far the call got, its
    /// Idempotency-Key and its attempts; so does the `Raw` it returns, for the errors decoding
    /// finds.
    pub(crate) async fn execute(&self, req: Request) -> Result<Raw, Error> {
        let span = call_span(self, &req);
        let op = req.operation;
        let deadline = req.deadline.or(self.inner.deadline);
        // The key is chosen before the first attempt, so that every error of the call, the
        // deadline's included, can name it.
        let key = match idempotency_key(&req) {
            Ok(key) => key,
            Err(e) => {
                let result = Err(e);
                record_outcome(&span, &result, 0);
                return result;
            }
        };
        let reach = Reach::default();
        let method = req.method.clone();
        let attempts = self.attempts(req, deadline, key.as_deref(), &reach);
        let result = match deadline {
            // The whole call, the token fetch included, ends at the deadline.
            Some(d) => tokio::time::timeout(d, attempts)
                .instrument(span.clone())
                .await
                .unwrap_or(Err(Error::Timeout {
                    operation: op,
                    delivery: crate::Delivery::default(),
                })),
            None => attempts.instrument(span.clone()).await,
        };
        let delivery = reach.delivery(key.as_deref());
        let result = match result {
            Ok(mut raw) => {
                raw.delivery = delivery;
                Ok(raw)
            }
            Err(e) => Err(e.with_delivery(delivery)),
        };
        if let (Some(sent_at), Err(error)) = (reach.in_flight_since(), &result) {
            // The deadline cut an attempt short: its hooks hear of it like of any other failure.
            self.inner.hooks.after_failure(&crate::hooks::FailureParts {
                operation: op,
                method: &method,
                attempt: reach.attempts(),
                error,
                elapsed: sent_at.elapsed(),
            });
        }
        record_outcome(&span, &result, reach.attempts());
        result
    }

    /// The attempts of one call, each reported to `reach` (the requests sent, how far each
    /// got).
    async fn attempts(&self, req: Request, deadline: Option<Duration>, key: Option<&str>, reach: &Reach) -> Result<Raw, Error> {
        let op = req.operation;
        let policy = req.retry.clone().unwrap_or_else(|| self.inner.retry.clone());
        let headers = caller_headers(&req)?;
        let repeatable = repeatable(&req, key.is_some());
        let started = tokio::time::Instant::now();
        let timeout = req.timeout.or(self.inner.timeout);
        let mut attempt = 0u32;
        let mut token_replayed = false;
        // The first attempt has the call's timeout; a retry at most what is left of the
        // policy's time budget, so that retries do not run past it.
        let mut attempt_timeout = timeout;
        loop {
            attempt += 1;
            let token = match req.auth {
                Auth::Bearer => Some(self.inner.tokens.get(self, op, &mut attempt_timeout).await?),
                _ => None,
            };
            tracing::debug!(operation = op, attempt, method = %req.method, path = %req.path, "sending");
            reach.sending();
            let result = self
                .send_once(
                    &req,
                    Attempt {
                        number: attempt,
                        headers: &headers,
                        token: token.as_ref(),
                        key,
                        timeout: attempt_timeout,
                    },
                )
                .await;
            reach.settle(reached(&result));
            let token_rejected = matches!(&result, Ok(raw) if raw.status == http::StatusCode::UNAUTHORIZED && token_rejected(&raw.body));
            let outcome = match &result {
                Ok(raw) => Outcome::Response {
                    status: raw.status,
                    headers: &raw.headers,
                    token_rejected,
                },
                Err(e @ (Error::Transport { .. } | Error::Timeout { .. })) => Outcome::Transient(e.to_string()),
                Err(_) => Outcome::Final,
            };
            let elapsed = started.elapsed();
            let progress = Progress {
                attempt,
                elapsed,
                repeatable,
                keyed: key.is_some(),
                // A replay is a second request: only one that may be sent twice (by its
                // method, key and body) and under a policy that sends more than once. A fixed
                // token cannot be renewed: the caller gets the 401.
                may_replay_token: token.is_some()
                    && !token_replayed
                    && repeatable
                    && policy.is_enabled()
                    && self.inner.token_source.renews(),
                deadline_left: deadline.map(|d| d.saturating_sub(elapsed)),
            };
            let (delay, why) = match decide(&outcome, &progress, &policy, fastrand::f64()) {
                Decision::Stop(stop) => {
                    if let (true, Some(token)) = (token_rejected, &token) {
                        // Not replayed, but not kept either: the next call fetches a new one.
                        self.inner.tokens.invalidate(token).await;
                    }
                    log_stop(op, attempt, &stop, &policy);
                    return result;
                }
                Decision::ReplayToken => {
                    tracing::info!(operation = op, "access token rejected; refreshing it and replaying once");
                    if let Some(token) = &token {
                        self.inner.tokens.invalidate(token).await;
                    }
                    token_replayed = true;
                    attempt -= 1;
                    continue;
                }
                Decision::Retry { delay, reason } => (delay, reason),
            };
            tracing::warn!(
                operation = op,
                attempt,
                reason = %why,
                delay_ms = delay.as_millis() as u64,
                idempotency_key = key.unwrap_or(""),
                "retrying"
            );
            tokio::time::sleep(delay).await;
            let remaining = policy.max_elapsed.saturating_sub(started.elapsed());
            if remaining.is_zero() {
                return result;
            }
            // A client without a timeout (`no_timeout()`) sets no timer on a request, a retry's
            // included; the budget then only decides whether a retry starts.
            attempt_timeout = timeout.map(|t| t.min(remaining));
        }
    }
}

/// The Idempotency-Key of a call: a `POST`'s own (checked), a new one for a `POST` that did not
/// opt out, none for other methods.
fn idempotency_key(req: &Request) -> Result<Option<String>, Error> {
    match (&req.method, &req.idempotency) {
        (&Method::POST, Idempotency::Auto) => Ok(Some(uuid::Uuid::new_v4().to_string())),
        (&Method::POST, Idempotency::Key(k)) => {
            check_idempotency_key(req.operation, k)?;
            Ok(Some(k.clone()))
        }
        _ => Ok(None),
    }
}

/// How far one attempt got: answered, or as far as its error says (`transport.rs` marks a
/// request that left the client; an error before that left nothing to answer).
fn reached(result: &Result<Raw, Error>) -> Sent {
    match result {
        Ok(_) => Sent::Answered,
        Err(e) => e.sent(),
    }
}

/// Says on the log why a call's last outcome goes back to the caller.
fn log_stop(op: &'static str, attempt: u32, stop: &Stop, policy: &crate::RetryPolicy) {
    match stop {
        Stop::NotRepeatable { .. } if policy.is_enabled() => {
            tracing::debug!(operation = op, "not retried: a POST without an idempotency key");
        }
        Stop::BudgetSpent { reason } => {
            tracing::info!(operation = op, attempt, reason = %reason, "not retried: the retry time budget or the deadline is spent");
        }
        Stop::Final | Stop::NotRepeatable { .. } | Stop::AttemptsSpent { .. } => {}
    }
}

/// Records how a call ended on its span: the status or the kind of error, and the requests
/// sent after the first.
fn record_outcome(span: &tracing::Span, result: &Result<Raw, Error>, sends: u32) {
    let resends = sends.saturating_sub(1);
    // OpenTelemetry's convention: present when the request was sent again.
    if resends > 0 {
        span.record("http.request.resend_count", resends);
    }
    match result {
        Ok(raw) => {
            span.record("http.response.status_code", raw.status.as_u16());
            if let Some(id) = crate::response::request_id(&raw.headers) {
                span.record("dwolla.request_id", id.as_str());
            }
            if raw.status.is_client_error() || raw.status.is_server_error() {
                span.record("error.type", raw.status.as_str());
                span.record("otel.status_code", "ERROR");
            }
        }
        Err(e) => {
            span.record("error.type", &*e.kind());
            span.record("otel.status_code", "ERROR");
        }
    }
}

/// The span of one call, following OpenTelemetry's semantic conventions for HTTP clients.
///
/// Its name is the constant `dwolla.request` (a `tracing` span's name is fixed where it is
/// written, and one place serves every operation); the operation names it through the
/// `otel.name` field, which `tracing-opentelemetry` exports as the span's name, so a trace shows
/// `createTransfer`, not 83 spans called alike. `otel.kind` makes it a client span.
/// The fields: `dwolla.operation` (the operationId), `http.request.method`, `url.template` (the
/// path template, such as `/transfers/{id}`; low in cardinality, unlike the path with its ids),
/// `server.address`, `server.port`, and once the call has ended `http.response.status_code`,
/// `http.request.resend_count` (when above zero: the requests sent after the first, retries and
/// a replay after a rejected token), `dwolla.request_id` (Dwolla's `X-Request-Id`), and on failure `error.type`
/// (the status code, or the kind of error such as `timeout`) and `otel.status_code`. No field
/// holds a credential, a header value of the caller's, a query or a body.
fn call_span(client: &Client, req: &Request) -> tracing::Span {
    let template = (!req.template.is_empty()).then_some(req.template);
    tracing::info_span!(
        "dwolla.request",
        otel.name = req.operation,
        otel.kind = "client",
        otel.status_code = tracing::field::Empty,
        dwolla.operation = req.operation,
        http.request.method = %req.method,
        url.template = template,
        server.address = %client.inner.server_address,
        server.port = client.inner.server_port,
        http.response.status_code = tracing::field::Empty,
        http.request.resend_count = tracing::field::Empty,
        dwolla.request_id = tracing::field::Empty,
        error.type = tracing::field::Empty,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn which_requests_may_be_sent_twice() {
        let req = |method: Method, idempotency: Idempotency| {
            let mut r = Request::new("op", method, "/x", "/x".into(), Auth::Bearer);
            r.idempotency = idempotency;
            r
        };
        assert!(repeatable(&req(Method::GET, Idempotency::Auto), false));
        assert!(repeatable(&req(Method::DELETE, Idempotency::Auto), false));
        assert!(repeatable(&req(Method::POST, Idempotency::Auto), true));
        assert!(!repeatable(&req(Method::POST, Idempotency::Off), false));
        assert!(repeatable(&req(Method::POST, Idempotency::Inherent), false));
        assert!(!repeatable(&req(Method::PATCH, Idempotency::Auto), false));
    }
}
