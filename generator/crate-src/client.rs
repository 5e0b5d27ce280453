//! The client users hold: the runtime's client (`dwolla_runtime::Client`: the HTTP client, the
//! base URL, the credentials, the token cache) with an accessor per group of operations, which
//! the generated `api` module adds. Its errors are this crate's [`Error`], whose API error bodies
//! are typed.

use std::fmt;
use std::ops::Deref;

use serde::de::DeserializeOwned;

use crate::{Error, Response};

/// A Dwolla API client. Cheap to clone; clones share the connection pool and the access token.
///
/// ```no_run
/// # async fn run() -> Result<(), dwolla::Error> {
/// let client = dwolla::Client::builder()
///     .environment(dwolla::Environment::Sandbox)
///     .credentials("client-id", "client-secret")
///     .build()?;
/// # Ok(()) }
/// ```
///
/// It dereferences to the runtime's client (`dwolla_runtime::Client`), whose methods
/// ([`base_url`](dwolla_runtime::Client::base_url) and the like) are called on it as they are.
#[derive(Clone)]
pub struct Client(dwolla_runtime::Client);

/// Builds a [`Client`]; see [`Client::builder`].
pub type ClientBuilder = dwolla_runtime::ClientBuilder<Client>;

impl Client {
    /// A builder for a client; see [`ClientBuilder`].
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured from the environment: `DWOLLA_CLIENT_ID`, `DWOLLA_CLIENT_SECRET`, and
    /// either `DWOLLA_BASE_URL` or `DWOLLA_ENVIRONMENT` (`production`, the default, or `sandbox`).
    pub fn from_env() -> Result<Client, Error> {
        Ok(Client(dwolla_runtime::Client::from_env()?))
    }

    /// Fetches the resource at `href`, a link from a response (`_links.*.href`, a `Location`),
    /// decoded as `T`. The link must point under this client's base URL; any other is an
    /// [`Error::ForeignLink`] and no request is sent.
    pub async fn follow<T: DeserializeOwned>(&self, href: &str) -> Result<Response<T>, Error> {
        Ok(self.0.follow(href).await?)
    }
}

impl Deref for Client {
    type Target = dwolla_runtime::Client;

    fn deref(&self) -> &dwolla_runtime::Client {
        &self.0
    }
}

impl From<dwolla_runtime::Client> for Client {
    fn from(client: dwolla_runtime::Client) -> Self {
        Client(client)
    }
}

impl From<Client> for dwolla_runtime::Client {
    fn from(client: Client) -> Self {
        client.0
    }
}

impl dwolla_runtime::BuildClient for Client {
    type Error = Error;
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}
