//! Access tokens: one per client, fetched on first use, refreshed a minute before it expires,
//! shared by every clone of the client. A token comes from one of three sources: Dwolla's token
//! endpoint with the OAuth2 client credentials (the default), a [`TokenProvider`] of your own
//! (a platform that mints tokens elsewhere), or a fixed token given with
//! [`ClientBuilder::access_token`](crate::ClientBuilder::access_token).
//!
//! The fetch is single-flight: while one token request is in flight, every other caller waits
//! for its outcome instead of sending its own, and receives that outcome whether it is a token
//! or an error. A failed fetch is shared with the callers waiting for it and then forgotten, so
//! the next call tries again. The token request is sent like any request that is safe to
//! repeat: under the client's retry policy and timeout. If the caller driving the fetch is
//! dropped (cancelled, timed out by its own caller), a waiting caller takes it over.
//!
//! No caller waits for a token longer than its attempt's timeout (and its deadline): the wait,
//! fetching or joining another caller's fetch, counts against the attempt's time, and past it
//! the call ends with [`Error::Timeout`]. The fetch is driven by the callers, not by a task of
//! its own, so a fetch every caller gave up on stops there (a provider that never answers is
//! not awaited for ever, nor is its hang cached): the next call asks again.

use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use tokio::sync::watch;
use tokio::time::Instant;

use crate::BoxFuture;
use crate::request::{Auth, Body, Idempotency, Request};
use crate::{Client, Error, Secret};

/// A source of access tokens of your own, for a platform that mints them elsewhere: the client
/// then never calls Dwolla's token endpoint. Register it with
/// [`ClientBuilder::token_provider`](crate::ClientBuilder::token_provider).
///
/// The client asks for a token on first use and again when the last one is within a minute of
/// its expiry, or was rejected by Dwolla (`401 ExpiredAccessToken`). One request for a token is
/// in flight at a time: callers that need a token meanwhile wait for it, and receive its error
/// too when it fails (as [`Error::TokenProvider`]); the next call asks again. A call waits for a
/// token no longer than its timeout and deadline allow, then ends with [`Error::Timeout`]. The
/// token must be one that can be sent in a header (no control characters such as line breaks):
/// another is an [`Error::TokenProvider`] too, which does not show it.
///
/// ```
/// # mod dwolla { pub use dwolla_runtime::*; pub mod api { pub use dwolla_runtime::BoxFuture; } }
/// use std::time::Duration;
/// use dwolla::{ProvidedToken, TokenProvider, api::BoxFuture};
///
/// struct FromVault;
///
/// impl TokenProvider for FromVault {
///     fn token(&self) -> BoxFuture<'_, Result<ProvidedToken, Box<dyn std::error::Error + Send + Sync>>> {
///         Box::pin(async {
///             let token = String::from("minted-elsewhere"); // Ask your token service here.
///             Ok(ProvidedToken::new(token, Duration::from_secs(3600)))
///         })
///     }
/// }
///
/// let client = dwolla::Client::builder().token_provider(FromVault).build();
/// # let _ = client;
/// ```
pub trait TokenProvider: Send + Sync + 'static {
    /// A fresh access token, or why there is none.
    fn token(&self) -> BoxFuture<'_, Result<ProvidedToken, Box<dyn std::error::Error + Send + Sync>>>;
}

/// An access token from a [`TokenProvider`], with how long it is good for.
#[derive(Clone, Debug)]
pub struct ProvidedToken {
    value: Secret,
    expires_in: Duration,
}

impl ProvidedToken {
    /// A token that expires `expires_in` from now (believed up to a day).
    pub fn new(value: impl Into<String>, expires_in: Duration) -> Self {
        ProvidedToken {
            value: Secret::new(value),
            expires_in,
        }
    }
}

/// Where a client's access tokens come from.
#[derive(Clone, Default)]
pub(crate) enum TokenSource {
    /// Dwolla's token endpoint, with the client's credentials.
    #[default]
    ClientCredentials,
    /// The caller's token, used as it is until Dwolla rejects it.
    Fixed(Secret),
    /// The caller's provider.
    Provider(std::sync::Arc<dyn TokenProvider>),
}

impl std::fmt::Debug for TokenSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TokenSource::ClientCredentials => f.write_str("ClientCredentials"),
            TokenSource::Fixed(secret) => f.debug_tuple("Fixed").field(secret).finish(),
            TokenSource::Provider(_) => f.write_str("Provider"),
        }
    }
}

impl TokenSource {
    /// Whether asking again may give another token (a fixed token stays the same).
    pub fn renews(&self) -> bool {
        !matches!(self, TokenSource::Fixed(_))
    }
}

/// How long before expiry a token is replaced.
pub const REFRESH_MARGIN: Duration = Duration::from_secs(60);

/// The longest lifetime believed of a token: `expires_in` is the server's number, and a
/// token is not kept for longer than a day whatever it says (Dwolla's last an hour).
pub const MAX_LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);

/// What is wrong with `token` as the credential of an `Authorization: Bearer` header, if
/// anything: the one check of a token from any source, made where the token arrives so that a
/// bad one is refused there, never when a request carrying it is sent. The answer never
/// quotes the token.
pub(crate) fn token_problem(token: &str) -> Option<&'static str> {
    if token.trim().is_empty() {
        Some("is empty")
    } else {
        crate::transport::header_value_problem(token)
    }
}

/// The operation the token request is named as in errors.
const TOKEN_OPERATION: &str = "createApplicationAccessToken";

#[derive(Clone)]
pub(crate) struct AccessToken {
    pub value: Secret,
    /// When to stop using it: the expiry less the refresh margin.
    pub refresh_at: Instant,
}

impl std::fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccessToken")
            .field("value", &self.value)
            .field("refresh_at", &self.refresh_at)
            .finish()
    }
}

/// The outcome of one fetch, as every caller waiting for it receives it.
type Outcome = Option<Result<AccessToken, Error>>;

#[derive(Debug, Default)]
enum Slot {
    #[default]
    Empty,
    Ready(AccessToken),
    /// A fetch is in flight; its outcome arrives on the channel. A closed channel without an
    /// outcome means the caller driving it was dropped.
    Fetching(watch::Receiver<Outcome>),
}

#[derive(Debug, Default)]
pub(crate) struct TokenCache {
    slot: Mutex<Slot>,
}

/// What a caller does about the token: use the cached one, wait for a fetch, or make one.
enum Role<'a> {
    Ready(AccessToken),
    Wait(watch::Receiver<Outcome>),
    Fetch(Leader<'a>),
}

/// The caller making the fetch. Dropped before it has sent the outcome, it empties the slot so
/// that a waiting caller takes the fetch over.
struct Leader<'a> {
    cache: &'a TokenCache,
    sender: watch::Sender<Outcome>,
    done: bool,
}

impl Leader<'_> {
    /// Caches a token (a failure is not cached) and hands the outcome to every waiter.
    fn finish(mut self, outcome: &Result<AccessToken, Error>) {
        {
            let mut slot = self.cache.lock();
            *slot = match outcome {
                Ok(token) => Slot::Ready(token.clone()),
                Err(_) => Slot::Empty,
            };
        }
        self.sender.send_replace(Some(outcome.clone()));
        self.done = true;
    }
}

impl Drop for Leader<'_> {
    fn drop(&mut self) {
        if !self.done {
            let mut slot = self.cache.lock();
            if matches!(&*slot, Slot::Fetching(rx) if rx.same_channel(&self.sender.subscribe())) {
                *slot = Slot::Empty;
            }
        }
        // The sender drops after this, which wakes the waiters.
    }
}

impl TokenCache {
    fn lock(&self) -> std::sync::MutexGuard<'_, Slot> {
        // The slot is never left half-written, so a panic elsewhere cannot poison its meaning.
        self.slot.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn role(&self) -> Role<'_> {
        let mut slot = self.lock();
        match &*slot {
            Slot::Ready(token) if Instant::now() < token.refresh_at => return Role::Ready(token.clone()),
            // A closed channel without an outcome: its fetch was abandoned.
            Slot::Fetching(rx) if rx.has_changed().is_ok() => return Role::Wait(rx.clone()),
            _ => {}
        }
        let (sender, receiver) = watch::channel(None);
        *slot = Slot::Fetching(receiver);
        Role::Fetch(Leader {
            cache: self,
            sender,
            done: false,
        })
    }

    /// A token that is good for at least the refresh margin, within `limit` (the attempt's
    /// timeout; `None` is no limit of its own), which the wait uses up: what is left of it is
    /// what the attempt has to send in. Past the limit the caller gets [`Error::Timeout`],
    /// whether it was fetching the token or waiting for another caller's fetch. A fetch cut off
    /// so is abandoned, not cached: the next caller asks again.
    pub async fn get(&self, client: &Client, operation: &'static str, limit: &mut Option<Duration>) -> Result<AccessToken, Error> {
        if let TokenSource::Fixed(value) = &client.inner.token_source {
            return Ok(AccessToken {
                value: value.clone(),
                refresh_at: Instant::now() + MAX_LIFETIME,
            });
        }
        let Some(within) = *limit else {
            return self.obtain(client, operation).await;
        };
        let started = Instant::now();
        let outcome = tokio::time::timeout(within, self.obtain(client, operation)).await;
        *limit = Some(within.saturating_sub(started.elapsed()));
        outcome.unwrap_or(Err(Error::Timeout {
            operation,
            delivery: crate::Delivery::default(),
        }))
    }

    /// A token that is good for at least the refresh margin, fetching one if needed, or
    /// waiting for the fetch another caller has in flight and taking its outcome.
    async fn obtain(&self, client: &Client, operation: &'static str) -> Result<AccessToken, Error> {
        loop {
            match self.role() {
                Role::Ready(token) => return Ok(token),
                Role::Fetch(leader) => {
                    let outcome = fetch(client, operation).await;
                    leader.finish(&outcome);
                    return outcome;
                }
                Role::Wait(mut rx) => loop {
                    if let Some(outcome) = rx.borrow_and_update().clone() {
                        return outcome;
                    }
                    if rx.changed().await.is_err() {
                        // The fetching caller was dropped; one of the waiters takes over.
                        if let Some(outcome) = rx.borrow().clone() {
                            return outcome;
                        }
                        break;
                    }
                },
            }
        }
    }

    /// Forgets `used` (the server rejected it), unless another caller already replaced it.
    pub async fn invalidate(&self, used: &AccessToken) {
        let mut slot = self.lock();
        if matches!(&*slot, Slot::Ready(t) if t.value == used.value) {
            *slot = Slot::Empty;
        }
    }
}

/// `POST /token` with HTTP Basic credentials and `grant_type=client_credentials`, sent and
/// retried like any request that is safe to repeat.
async fn fetch(client: &Client, operation: &'static str) -> Result<AccessToken, Error> {
    let inner = &client.inner;
    match &inner.token_source {
        TokenSource::ClientCredentials => {}
        TokenSource::Fixed(value) => {
            return Ok(AccessToken {
                value: value.clone(),
                refresh_at: Instant::now() + MAX_LIFETIME,
            });
        }
        TokenSource::Provider(provider) => return from_provider(provider.as_ref()).await,
    }
    let credentials = inner.credentials.as_ref().ok_or(Error::NoCredentials { operation })?;
    let mut request = Request::new(TOKEN_OPERATION, http::Method::POST, "/token", "/token".to_owned(), Auth::Basic);
    request.accept = "application/json";
    request.body = Body::Form("grant_type=client_credentials".to_owned());
    request.idempotency = Idempotency::Inherent;
    tracing::debug!(client_id = %credentials.client_id, "requesting an access token");
    // Boxed: `execute` fetches tokens, so its future cannot contain itself unboxed.
    let raw = Box::pin(client.execute(request)).await?;
    let (status, body) = (raw.status, raw.body);
    let json: Option<serde_json::Value> = serde_json::from_slice(&body).ok();
    let field = |name: &str| json.as_ref().and_then(|j| j.get(name)).and_then(|v| v.as_str()).map(str::to_owned);
    // The endpoint's own error body is an error whatever the status says.
    if let Some(error) = field("error") {
        return Err(Error::Auth {
            status,
            error,
            description: field("error_description"),
            delivery: crate::Delivery::default(),
        });
    }
    let (Some(value), true) = (field("access_token"), status.is_success()) else {
        return Err(Error::Auth {
            status,
            error: if status.is_success() { "no access_token in the response".into() } else { "token request refused".into() },
            description: None,
            delivery: crate::Delivery::default(),
        });
    };
    if let Some(problem) = token_problem(&value) {
        return Err(Error::Auth {
            status,
            error: format!("the access_token in the response {problem}"),
            description: None,
            delivery: crate::Delivery::default(),
        });
    }
    let expires_in = json
        .as_ref()
        .and_then(|j| j.get("expires_in"))
        .and_then(serde_json::Value::as_u64)
        .unwrap_or(3600);
    Ok(AccessToken {
        value: Secret::new(value),
        refresh_at: refresh_at(Instant::now(), expires_in),
    })
}

/// A token from the caller's provider; one that is empty or cannot be sent in a header is
/// refused.
async fn from_provider(provider: &dyn TokenProvider) -> Result<AccessToken, Error> {
    tracing::debug!("asking the token provider for an access token");
    let provided = provider.token().await.map_err(|e| Error::TokenProvider {
        source: e.into(),
        delivery: crate::Delivery::default(),
    })?;
    if let Some(problem) = token_problem(provided.value.expose()) {
        let message = format!("the token the provider gave {problem}");
        return Err(Error::TokenProvider {
            source: std::sync::Arc::from(Box::<dyn std::error::Error + Send + Sync>::from(message)),
            delivery: crate::Delivery::default(),
        });
    }
    let lifetime = provided.expires_in.as_secs();
    Ok(AccessToken {
        value: provided.value,
        refresh_at: refresh_at(Instant::now(), lifetime),
    })
}

/// When to replace a token that the server says expires in `expires_in` seconds: a minute
/// before, or halfway for tokens that live less than two minutes. The lifetime is capped at
/// [`MAX_LIFETIME`], so no number from the server can overflow the clock.
fn refresh_at(now: Instant, expires_in: u64) -> Instant {
    let lifetime = Duration::from_secs(expires_in).min(MAX_LIFETIME);
    let margin = REFRESH_MARGIN.min(lifetime / 2);
    tracing::debug!(expires_in, "access token received");
    now.checked_add(lifetime - margin).unwrap_or(now)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_expires_in_gives_a_refresh_time_within_a_day() {
        let now = Instant::now();
        for expires_in in [0, 1, 119, 3600, 1 << 40, 1 << 63, u64::MAX] {
            let at = refresh_at(now, expires_in);
            assert!(at >= now && at <= now + MAX_LIFETIME, "{expires_in}");
        }
        assert_eq!(refresh_at(now, 3600), now + Duration::from_secs(3540));
        assert_eq!(refresh_at(now, 100), now + Duration::from_secs(50));
    }
}
