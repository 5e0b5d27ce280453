//! The client: where Dwolla is, with which credentials, over which HTTP client. Cheap to clone;
//! clones share the connection pool and the access token.
//!
//! The HTTP client built here follows no redirect: a `3xx` is returned to the caller as an
//! [`Error::Api`], so that a `307` cannot resend a body (an SSN) to another host and a
//! redirect cannot carry the access token off the API. An HTTP client passed with
//! [`ClientBuilder::http_client`] keeps its own redirect policy; build it with
//! `reqwest::redirect::Policy::none()`. Whatever it does, a response it fetched from outside
//! the base URL is refused ([`Error::ForeignResponse`]).
//!
//! The base URL is checked when the client is built: http or https, no query, no fragment, and
//! no user name or password (which would show in `Debug` output and errors).

use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use crate::auth::{TokenCache, TokenProvider, TokenSource};
use crate::hooks::{Hook, Hooks};
use crate::{Error, Secret};

/// Dwolla's two environments.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Environment {
    /// `https://api.dwolla.com`, where money moves.
    #[default]
    Production,
    /// `https://api-sandbox.dwolla.com`, for development and tests.
    Sandbox,
}

impl Environment {
    /// The API's base URL in this environment.
    pub fn base_url(self) -> &'static str {
        match self {
            Environment::Production => "https://api.dwolla.com",
            Environment::Sandbox => "https://api-sandbox.dwolla.com",
        }
    }
}

impl std::str::FromStr for Environment {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        match s.trim().to_ascii_lowercase().as_str() {
            "production" | "prod" => Ok(Environment::Production),
            "sandbox" => Ok(Environment::Sandbox),
            other => Err(Error::Config(format!(
                "unknown Dwolla environment `{other}`, expected `production` or `sandbox`"
            ))),
        }
    }
}

/// An application's client id and secret, for the OAuth client-credentials flow.
#[derive(Clone, Debug)]
pub struct Credentials {
    pub(crate) client_id: String,
    pub(crate) client_secret: Secret,
}

impl Credentials {
    /// Credentials from an application's client id and secret.
    pub fn new(client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
        Credentials {
            client_id: client_id.into(),
            client_secret: Secret::new(client_secret),
        }
    }

    /// The client id (the secret is not readable back).
    pub fn client_id(&self) -> &str {
        &self.client_id
    }
}

/// A Dwolla API client: the HTTP client, the base URL, the credentials and the token cache. The
/// generated crate's `Client` wraps it and adds the operations.
///
/// ```no_run
/// # async fn run() -> Result<(), dwolla_runtime::Error> {
/// let client = dwolla_runtime::Client::builder()
///     .environment(dwolla_runtime::Environment::Sandbox)
///     .credentials("client-id", "client-secret")
///     .build()?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub http: reqwest::Client,
    /// The base URL without a trailing slash.
    pub base_url: String,
    pub credentials: Option<Credentials>,
    pub token_source: TokenSource,
    pub tokens: TokenCache,
    pub timeout: Option<Duration>,
    /// How long a call may take in all, retries and waits included.
    pub deadline: Option<Duration>,
    pub hooks: Hooks,
    /// The base URL's host and port, for OpenTelemetry's `server.address` and `server.port`.
    pub server_address: String,
    pub server_port: Option<u16>,
    pub max_response_bytes: usize,
    pub user_agent: String,
    pub retry: crate::retry::RetryPolicy,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("credentials", &self.inner.credentials)
            .field("token_source", &self.inner.token_source)
            .field("timeout", &self.inner.timeout)
            .field("deadline", &self.inner.deadline)
            .field("hooks", &self.inner.hooks)
            .field("retry", &self.inner.retry)
            .finish_non_exhaustive()
    }
}

/// The `User-Agent` every request carries unless the caller sets their own product first.
pub const USER_AGENT: &str = concat!("dwolla-rust/", env!("CARGO_PKG_VERSION"));

/// Default limit on a response body: far above any Dwolla response, far below trouble.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 16 * 1024 * 1024;

/// Default time a whole request may take.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// What a [`ClientBuilder`] builds: the runtime's [`Client`], or a client that wraps it (the
/// generated crate's), with the error its [`build`](ClientBuilder::build) returns.
pub trait BuildClient: From<Client> {
    /// The error of a client that does not build ([`Error::Config`]), as this client's callers
    /// name it.
    type Error: From<Error> + std::error::Error;
}

impl BuildClient for Client {
    type Error = Error;
}

/// Builds a [`Client`], or a client `C` that wraps one ([`BuildClient`]).
#[derive(Debug)]
#[must_use]
pub struct ClientBuilder<C = Client> {
    environment: Environment,
    base_url: Option<String>,
    credentials: Option<Credentials>,
    token_source: TokenSource,
    http: Option<reqwest::Client>,
    timeout: Option<Option<Duration>>,
    deadline: Option<Duration>,
    hooks: Hooks,
    user_agent: Option<String>,
    max_response_bytes: Option<usize>,
    retry: Option<crate::retry::RetryPolicy>,
    built: PhantomData<fn() -> C>,
}

impl<C> Default for ClientBuilder<C> {
    fn default() -> Self {
        ClientBuilder {
            environment: Environment::default(),
            base_url: None,
            credentials: None,
            token_source: TokenSource::default(),
            http: None,
            timeout: None,
            deadline: None,
            hooks: Hooks::default(),
            user_agent: None,
            max_response_bytes: None,
            retry: None,
            built: PhantomData,
        }
    }
}

impl Client {
    /// A builder for a client; see [`ClientBuilder`].
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured from the environment: `DWOLLA_CLIENT_ID`, `DWOLLA_CLIENT_SECRET`, and
    /// either `DWOLLA_BASE_URL` or `DWOLLA_ENVIRONMENT` (`production`, the default, or `sandbox`).
    pub fn from_env() -> Result<Client, Error> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let id = var("DWOLLA_CLIENT_ID").ok_or_else(|| Error::Config("DWOLLA_CLIENT_ID is not set".into()))?;
        let secret = var("DWOLLA_CLIENT_SECRET").ok_or_else(|| Error::Config("DWOLLA_CLIENT_SECRET is not set".into()))?;
        let mut builder = Client::builder().credentials(id, secret);
        if let Some(env) = var("DWOLLA_ENVIRONMENT") {
            builder = builder.environment(env.parse()?);
        }
        if let Some(url) = var("DWOLLA_BASE_URL") {
            builder = builder.base_url(url);
        }
        builder.build()
    }

    /// The base URL every request goes to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }
}

impl<C> ClientBuilder<C> {
    /// Production (the default) or Sandbox.
    pub fn environment(mut self, environment: Environment) -> Self {
        self.environment = environment;
        self
    }

    /// Sends requests to this URL instead of the environment's (a mock server, a proxy).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The application's client id and secret.
    pub fn credentials(mut self, client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
        self.credentials = Some(Credentials::new(client_id, client_secret));
        self
    }

    /// Uses this access token for every request instead of fetching one with the client
    /// credentials: for a token minted elsewhere. It is used as it is until Dwolla rejects it;
    /// the client cannot renew it (use [`token_provider`](Self::token_provider) for that).
    /// Replaces a token provider set before.
    pub fn access_token(mut self, token: impl Into<String>) -> Self {
        self.token_source = TokenSource::Fixed(Secret::new(token));
        self
    }

    /// Gets access tokens from `provider` instead of Dwolla's token endpoint; see
    /// [`TokenProvider`]. Replaces an access token set before. Operations that use HTTP Basic
    /// authentication (the token endpoint itself) still need [`credentials`](Self::credentials).
    pub fn token_provider(mut self, provider: impl TokenProvider) -> Self {
        self.token_source = TokenSource::Provider(Arc::new(provider));
        self
    }

    /// Runs `hook` before each attempt is sent and after each response arrives; see [`Hook`].
    /// Hooks run in the order they were added.
    pub fn hook(mut self, hook: impl Hook) -> Self {
        self.hooks.0.push(Arc::new(hook));
        self
    }

    /// How long a call may take in all, from when it is sent to its result: the token fetch,
    /// every attempt and every wait between attempts. No retry starts whose wait would reach
    /// past it, and an attempt still running at the deadline ends with
    /// [`Error::Timeout`](crate::Error::Timeout). None by default (the retry policy's time budget
    /// and the timeout of each attempt still bound a call). A call can set its own with
    /// `.deadline(..)`.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// Uses this HTTP client (its connection pool, proxy and TLS settings) instead of a new one.
    ///
    /// Its redirect policy is its own: build it with `reqwest::redirect::Policy::none()`, as
    /// the client this crate builds is. A redirect it follows anyway may carry a request body
    /// elsewhere before this crate sees the answer; the answer itself is refused with
    /// [`Error::ForeignResponse`] unless it came from under the base URL.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// How long one attempt of a request may take in all; 60 s by default.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(Some(timeout));
        self
    }

    /// No timeout of our own (the HTTP client's, if any, still applies).
    pub fn no_timeout(mut self) -> Self {
        self.timeout = Some(None);
        self
    }

    /// Your product, put in front of this crate's `User-Agent` (`my-app/1.2 dwolla-rust/0.1.0`).
    pub fn user_agent(mut self, product: impl Into<String>) -> Self {
        self.user_agent = Some(product.into());
        self
    }

    /// The largest response body accepted, in bytes; 16 MiB by default.
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = Some(limit);
        self
    }

    /// How failed requests are retried; see [`RetryPolicy`](crate::RetryPolicy).
    pub fn retry(mut self, policy: crate::retry::RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }
}

impl<C: BuildClient> ClientBuilder<C> {
    /// The client, or [`Error::Config`] for a base URL that is not a plain http(s) URL (one
    /// with a query, a fragment, or a user name or password is refused), credentials with an
    /// empty id or secret, a value that cannot be sent in a header (a user agent, client id,
    /// secret or access token with a line break or another control character, a client id with
    /// a `:`), or an HTTP client that cannot be built. Every value the client puts in a header
    /// is checked here, so that no request fails for it when it is sent.
    pub fn build(self) -> Result<C, C::Error> {
        self.build_client().map(C::from).map_err(C::Error::from)
    }

    /// The runtime's client these settings make, or the configuration error.
    fn build_client(self) -> Result<Client, Error> {
        let base_url = check_base_url(self.base_url.as_deref().unwrap_or(self.environment.base_url()))?;
        if let Some(c) = &self.credentials {
            check_credentials(c)?;
        }
        if let TokenSource::Fixed(token) = &self.token_source
            && let Some(problem) = crate::auth::token_problem(token.expose())
        {
            return Err(Error::Config(format!("the access token {problem}")));
        }
        let parsed = url::Url::parse(&base_url).map_err(|e| Error::Config(format!("invalid base URL: {e}")))?;
        let server_address = parsed.host_str().unwrap_or_default().to_owned();
        let server_port = parsed.port_or_known_default();
        // With `rustls-ring`, reqwest's rustls has no crypto provider of its own: ring becomes
        // the process default, unless the application installed one first.
        #[cfg(feature = "rustls-ring")]
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?,
        };
        let user_agent = match self.user_agent {
            Some(product) => format!("{product} {USER_AGENT}"),
            None => USER_AGENT.to_owned(),
        };
        if let Some(problem) = crate::transport::header_value_problem(&user_agent) {
            return Err(Error::Config(format!("the user agent {problem}")));
        }
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                credentials: self.credentials,
                token_source: self.token_source,
                tokens: TokenCache::default(),
                timeout: self.timeout.unwrap_or(Some(DEFAULT_TIMEOUT)),
                deadline: self.deadline,
                hooks: self.hooks,
                server_address,
                server_port,
                max_response_bytes: self.max_response_bytes.unwrap_or(DEFAULT_MAX_RESPONSE_BYTES),
                user_agent,
                retry: self.retry.unwrap_or_default(),
            }),
        })
    }
}

/// Whether `c` can be sent as HTTP Basic credentials: a client id and secret that are not
/// blank and hold no control character (a line break would end up in logs as it is), and an id
/// without `:`, which Basic credentials use to separate the id from the secret. Neither value
/// is quoted in the error.
fn check_credentials(c: &Credentials) -> Result<(), Error> {
    let problem = |value: &str| {
        if value.trim().is_empty() {
            Some("is empty")
        } else if value.chars().any(char::is_control) {
            Some("holds a control character (such as a line break)")
        } else {
            None
        }
    };
    if let Some(problem) = problem(&c.client_id) {
        return Err(Error::Config(format!("the client id {problem}")));
    }
    if c.client_id.contains(':') {
        return Err(Error::Config("the client id holds a `:`, which HTTP Basic credentials cannot carry".into()));
    }
    if let Some(problem) = problem(c.client_secret.expose()) {
        return Err(Error::Config(format!("the client secret {problem}")));
    }
    Ok(())
}

/// The base URL without a trailing slash, or why it cannot be one. The URL is echoed in errors
/// only when it cannot hold a password.
fn check_base_url(url: &str) -> Result<String, Error> {
    let trimmed = url.trim().trim_end_matches('/');
    let shown = if trimmed.contains('@') { "(not shown: it contains `@`)" } else { trimmed };
    let invalid = |why: &str| Error::Config(format!("invalid base URL `{shown}`: {why}"));
    let parsed = url::Url::parse(trimmed).map_err(|e| invalid(&e.to_string()))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(invalid("it is not http or https"));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(invalid("it has a user name or password; pass credentials with ClientBuilder::credentials"));
    }
    if parsed.query().is_some() {
        return Err(invalid("it has a query"));
    }
    if parsed.fragment().is_some() {
        return Err(invalid("it has a fragment"));
    }
    Ok(trimmed.to_owned())
}

#[cfg(test)]
mod tests {
    use super::check_base_url;

    #[test]
    fn base_urls_with_a_query_fragment_or_userinfo_are_refused() {
        assert_eq!(check_base_url("https://api.dwolla.com/").ok().as_deref(), Some("https://api.dwolla.com"));
        assert!(check_base_url("http://127.0.0.1:9/v2").is_ok());
        for bad in ["http://h/p?x=1", "http://h/p?", "http://h/p#f", "http://u:pw@h/", "http://u@h/", "ftp://h/", "h"] {
            assert!(check_base_url(bad).is_err(), "{bad}");
        }
        let message = check_base_url("http://user:hunter2@h/").err().map(|e| e.to_string()).unwrap_or_default();
        assert!(!message.contains("hunter2"), "{message}");
    }
}
