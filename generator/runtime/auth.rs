//! OAuth2 client credentials: one access token per client, fetched on first use, refreshed a
//! minute before it expires, shared by every clone of the client. Concurrent callers on a cold
//! client wait for one token request instead of each sending their own; a failed token request
//! leaves nothing cached.

use std::time::Duration;

use tokio::sync::Mutex;
use tokio::time::Instant;

use crate::{Client, Error, Secret};

/// How long before expiry a token is replaced.
pub const REFRESH_MARGIN: Duration = Duration::from_secs(60);

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

#[derive(Debug, Default)]
pub(crate) struct TokenCache {
    slot: Mutex<Option<AccessToken>>,
}

impl TokenCache {
    /// A token that is good for at least the refresh margin, fetching one if needed. The lock is
    /// held across the fetch: that is what makes concurrent callers share one request.
    pub async fn get(&self, client: &Client, operation: &'static str) -> Result<AccessToken, Error> {
        let mut slot = self.slot.lock().await;
        if let Some(token) = slot.as_ref() {
            if Instant::now() < token.refresh_at {
                return Ok(token.clone());
            }
        }
        *slot = None;
        let token = fetch(client, operation).await?;
        *slot = Some(token.clone());
        Ok(token)
    }

    /// Forgets `used` (the server rejected it), unless another caller already replaced it.
    pub async fn invalidate(&self, used: &AccessToken) {
        let mut slot = self.slot.lock().await;
        if slot.as_ref().is_some_and(|t| t.value == used.value) {
            *slot = None;
        }
    }
}

/// `POST /token` with HTTP Basic credentials and `grant_type=client_credentials`.
async fn fetch(client: &Client, operation: &'static str) -> Result<AccessToken, Error> {
    let inner = &client.inner;
    let credentials = inner.credentials.as_ref().ok_or(Error::NoCredentials { operation })?;
    let mut request = inner
        .http
        .post(format!("{}/token", inner.base_url))
        .basic_auth(&credentials.client_id, Some(credentials.client_secret.expose()))
        .header(http::header::ACCEPT, "application/json")
        .header(http::header::USER_AGENT, &inner.user_agent)
        .header(http::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body("grant_type=client_credentials");
    if let Some(timeout) = inner.timeout {
        request = request.timeout(timeout);
    }
    tracing::debug!(client_id = %credentials.client_id, "requesting an access token");
    let operation = "createApplicationAccessToken";
    let response = request.send().await.map_err(|e| crate::request::transport_error(operation, e))?;
    let status = response.status();
    let body = crate::request::read_body(operation, response, inner.max_response_bytes).await?;
    let json: Option<serde_json::Value> = serde_json::from_slice(&body).ok();
    let field = |name: &str| json.as_ref().and_then(|j| j.get(name)).and_then(|v| v.as_str()).map(str::to_owned);
    // The endpoint's own error body is an error whatever the status says.
    if let Some(error) = field("error") {
        return Err(Error::Auth {
            status,
            error,
            description: field("error_description"),
        });
    }
    let (Some(value), true) = (field("access_token"), status.is_success()) else {
        return Err(Error::Auth {
            status,
            error: if status.is_success() { "no access_token in the response".into() } else { "token request refused".into() },
            description: None,
        });
    };
    let expires_in = json
        .as_ref()
        .and_then(|j| j.get("expires_in"))
        .and_then(serde_json::Value::as_u64)
        .unwrap_or(3600);
    let lifetime = Duration::from_secs(expires_in);
    // A minute before expiry; for tokens that live less than two minutes, halfway.
    let margin = REFRESH_MARGIN.min(lifetime / 2);
    tracing::debug!(expires_in, "access token received");
    Ok(AccessToken {
        value: Secret::new(value),
        refresh_at: Instant::now() + lifetime - margin,
    })
}
