//! Following HAL links from responses. A link is followed only when it points under the
//! client's base URL: an access token must never be sent to a host a response named.

use serde::de::DeserializeOwned;

use crate::request::{Auth, Raw, Request};
use crate::{Client, Created, Error, Response};

/// The last path segment of a link: the id of the resource it names. Only the path counts: a
/// link to `https://host/` names no id (an empty one), not `host`.
pub fn id_of(href: &str) -> &str {
    let before_query = href.split(['?', '#']).next().unwrap_or(href);
    let path = match before_query.find("://") {
        Some(i) => {
            let after_scheme = &before_query[i + 3..];
            after_scheme.find('/').map_or("", |j| &after_scheme[j..])
        }
        None => before_query,
    };
    let path = path.trim_end_matches('/');
    path.rsplit('/').next().unwrap_or(path)
}

/// `href` if it is under `base` (same scheme, host and port, and below its path).
pub(crate) fn check_under(operation: &'static str, base: &str, href: &str) -> Result<String, Error> {
    let foreign = || Error::ForeignLink {
        operation,
        url: href.to_owned(),
        base: base.to_owned(),
    };
    let (Ok(b), Ok(h)) = (url::Url::parse(base), url::Url::parse(href)) else {
        return Err(foreign());
    };
    let same_origin = b.scheme() == h.scheme()
        && b.host_str() == h.host_str()
        && b.port_or_known_default() == h.port_or_known_default();
    let base_path = b.path().trim_end_matches('/');
    let below = h.path() == base_path || h.path().starts_with(&format!("{base_path}/"));
    if same_origin && below {
        Ok(h.to_string())
    } else {
        Err(foreign())
    }
}

impl Client {
    /// Fetches the resource at `href`, a link from a response (`_links.*.href`, a `Location`),
    /// decoded as `T`. The link must point under this client's base URL; any other is an
    /// [`Error::ForeignLink`] and no request is sent.
    pub async fn follow<T: DeserializeOwned>(&self, href: &str) -> Result<Response<T>, Error> {
        self.follow_as("followLink", href).await
    }

    /// [`Client::follow`] on behalf of `operation` (named in errors). Only the decoding is
    /// generic: the request is [`Client::fetch_link`]'s, compiled once.
    pub(crate) async fn follow_as<T: DeserializeOwned>(&self, operation: &'static str, href: &str) -> Result<Response<T>, Error> {
        self.fetch_link(operation, href).await?.decode()
    }

    /// Reads back what a create made: the resource at `created`'s location, decoded as `T`. Once
    /// the create succeeded it is never reported as failed: a read that fails is
    /// [`Error::CreatedNotFetched`], carrying the [`Created`] and the create's delivery. Only the
    /// decoding is generic. (What a create's `fetch_created()` calls.)
    #[doc(hidden)]
    pub async fn fetch_created<T: DeserializeOwned, B: 'static>(
        &self,
        operation: &'static str,
        created: Response<Created>,
    ) -> Result<Response<T>, Error<B>> {
        let read = self.fetch_link(operation, &created.location).await.and_then(Raw::decode);
        read.map_err(|source| not_fetched(operation, created, source).typed())
    }

    /// The successful response at `href`, a link checked to be under the base URL.
    async fn fetch_link(&self, operation: &'static str, href: &str) -> Result<Raw, Error> {
        let url = check_under(operation, &self.inner.base_url, href)?;
        let mut req = Request::new(operation, http::Method::GET, "", String::new(), Auth::Bearer);
        req.url = Some(url);
        let raw = self.execute(req).await?;
        if raw.status.is_success() {
            Ok(raw)
        } else {
            Err(raw.into_error(None))
        }
    }
}

/// The error of a create whose resource could not be read back.
#[cold]
fn not_fetched(operation: &'static str, created: Response<Created>, source: Error) -> Error {
    let delivery = created.delivery().clone();
    Error::CreatedNotFetched {
        operation,
        created: created.into_inner(),
        source: Box::new(source),
        delivery,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_must_stay_under_the_base_url() {
        let base = "https://api.dwolla.com";
        assert!(check_under("t", base, "https://api.dwolla.com/exchange-partners/1").is_ok());
        assert!(check_under("t", base, "https://evil.example/exchange-partners/1").is_err());
        assert!(check_under("t", base, "http://api.dwolla.com/x").is_err());
        assert!(check_under("t", base, "https://api.dwolla.com:8443/x").is_err());
        assert!(check_under("t", base, "https://api.dwolla.com.evil.example/x").is_err());
        assert!(check_under("t", "http://127.0.0.1:9/v2", "http://127.0.0.1:9/v2x/a").is_err());
        assert!(check_under("t", "http://127.0.0.1:9/v2", "http://127.0.0.1:9/v2/a").is_ok());
        assert!(check_under("t", base, "/relative").is_err());
    }

    #[test]
    fn ids_are_last_segments() {
        assert_eq!(id_of("https://api.dwolla.com/exchange-partners/bca8d065"), "bca8d065");
        assert_eq!(id_of("https://api.dwolla.com/x/abc/?q=1"), "abc");
        assert_eq!(id_of("https://api.dwolla.com/"), "");
        assert_eq!(id_of("https://api.dwolla.com"), "");
    }
}
