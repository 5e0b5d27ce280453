//! Running one call: its attempts, each sent by `transport.rs`, with what follows each decided
//! by `retry::decide` (retry after a wait, replay once with a fresh token, or stop). Durations the
//! server names (`Retry-After`) are added with saturating arithmetic and bounded by the retry
//! policy's time budget.

use http::Method;

use crate::request::{Auth, Body, Idempotency, Raw, Request, check_idempotency_key};
use crate::retry::{Decision, Outcome, Progress, Stop, decide, token_rejected};
use crate::transport::caller_headers;
use crate::{Client, Error};

/// Whether `req` may be sent more than once: reads and deletes always, a `POST` only under an
/// idempotency key (or when it is safe by nature, as the token request is), and never a body
/// streamed from a reader, which cannot be sent twice. The second value says whether the body
/// alone can be sent again.
fn repeatable(req: &Request, keyed: bool) -> (bool, bool) {
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
    (body_replayable && by_method, body_replayable)
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
        let (repeatable, body_replayable) = repeatable(&req, key.is_some());
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
            let result = self
                .send_once(&req, &headers, token.as_ref(), key.as_deref(), attempt_timeout)
                .await;
            let outcome = match &result {
                Ok(raw) => Outcome::Response {
                    status: raw.status,
                    headers: &raw.headers,
                    token_rejected: raw.status == http::StatusCode::UNAUTHORIZED && token_rejected(&raw.body),
                },
                Err(e @ (Error::Transport { .. } | Error::Timeout { .. })) => Outcome::Transient(e.to_string()),
                Err(_) => Outcome::Final,
            };
            let progress = Progress {
                attempt,
                elapsed: started.elapsed(),
                repeatable,
                keyed: key.is_some(),
                // A body streamed from a reader cannot be sent again: the caller gets the 401.
                may_replay_token: token.is_some() && !token_replayed && body_replayable,
                deadline_left: None,
            };
            let (delay, why) = match decide(&outcome, &progress, &policy, fastrand::f64()) {
                Decision::Stop(Stop::Final) => return result,
                Decision::Stop(Stop::NotRepeatable { .. }) => {
                    if policy.is_enabled() {
                        tracing::debug!(operation = op, "not retried: a POST without an idempotency key");
                    }
                    return result;
                }
                Decision::Stop(Stop::AttemptsSpent { .. }) => return result,
                Decision::Stop(Stop::BudgetSpent { reason }) => {
                    tracing::info!(operation = op, attempt, reason = %reason, "not retried: the retry time budget is spent");
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
                idempotency_key = key.as_deref().unwrap_or(""),
                "retrying"
            );
            tokio::time::sleep(delay).await;
            let remaining = policy.max_elapsed.saturating_sub(started.elapsed());
            if remaining.is_zero() {
                return result;
            }
            // A client without a timeout (`no_timeout()`) sets no timer on a request, a retry's
            // included; the budget then only decides whether a retry starts.
            attempt_timeout = self.inner.timeout.map(|t| t.min(remaining));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn which_requests_may_be_sent_twice() {
        let req = |method: Method, idempotency: Idempotency| {
            let mut r = Request::new("op", method, "/x".into(), Auth::Bearer);
            r.idempotency = idempotency;
            r
        };
        assert_eq!(repeatable(&req(Method::GET, Idempotency::Auto), false), (true, true));
        assert_eq!(repeatable(&req(Method::DELETE, Idempotency::Auto), false), (true, true));
        assert_eq!(repeatable(&req(Method::POST, Idempotency::Auto), true), (true, true));
        assert_eq!(repeatable(&req(Method::POST, Idempotency::Off), false), (false, true));
        assert_eq!(repeatable(&req(Method::POST, Idempotency::Inherent), false), (true, true));
        assert_eq!(repeatable(&req(Method::PATCH, Idempotency::Auto), false), (false, true));
    }
}
