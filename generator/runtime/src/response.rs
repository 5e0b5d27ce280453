//! What a successful call returns: the typed body with the status, the headers and Dwolla's
//! request id, and for `201 Created` the location and id of the new resource.

use http::{HeaderMap, StatusCode};

/// A successful response with its typed body.
#[derive(Clone, Debug)]
pub struct Response<T> {
    status: StatusCode,
    headers: HeaderMap,
    body: T,
    delivery: crate::Delivery,
}

impl<T> Response<T> {
    #[cfg(not(feature = "test-util"))]
    pub(crate) fn new(status: StatusCode, headers: HeaderMap, body: T) -> Self {
        Response {
            status,
            headers,
            body,
            delivery: crate::Delivery::default(),
        }
    }

    /// A response as a call would return it, for tests of code that takes one (the
    /// `test-util` feature makes this public).
    #[cfg(feature = "test-util")]
    #[cfg_attr(docsrs, doc(cfg(feature = "test-util")))]
    pub fn new(status: StatusCode, headers: HeaderMap, body: T) -> Self {
        Response {
            status,
            headers,
            body,
            delivery: crate::Delivery::default(),
        }
    }

    /// The same response, as delivered by the call that received it.
    pub(crate) fn delivered(mut self, delivery: crate::Delivery) -> Self {
        self.delivery = delivery;
        self
    }

    /// The same response with its body transformed.
    pub fn map_body<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response {
            status: self.status,
            headers: self.headers,
            body: f(self.body),
            delivery: self.delivery,
        }
    }

    /// The body, consuming the response.
    pub fn into_inner(self) -> T {
        self.body
    }

    /// The body.
    pub fn body(&self) -> &T {
        &self.body
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// Dwolla's id for this request (`X-Request-Id`), for support requests.
    pub fn request_id(&self) -> Option<String> {
        request_id(&self.headers)
    }

    /// How the call was delivered: the Idempotency-Key it was sent under (keep it with what
    /// you created, to reconcile later) and the requests it took.
    pub fn delivery(&self) -> &crate::Delivery {
        &self.delivery
    }
}

impl<T> std::ops::Deref for Response<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.body
    }
}

/// What a `201 Created` says: where the new resource is.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Created {
    /// The URL of the new resource: the `Location` header, resolved against the request's URL
    /// when it is relative.
    pub location: String,
    /// The new resource's id: the last segment of `location`'s path, percent-decoded.
    pub id: String,
}

impl Created {
    /// Reads a `Location` received in answer to a request to `request_url`. The last segment
    /// of its path is the id; a location whose path ends in `/` or has fewer than two segments
    /// (`https://host/`, `/customers`) names no resource.
    pub(crate) fn from_location(request_url: &url::Url, location: &str) -> Result<Self, String> {
        let url = request_url.join(location.trim()).map_err(|e| format!("it is not a URL: {e}"))?;
        let segments: Vec<&str> = url.path_segments().map(Iterator::collect).unwrap_or_default();
        let last = match segments.as_slice() {
            [.., _, last] if !last.is_empty() => *last,
            _ => return Err("its path does not end in an id".into()),
        };
        let id = percent_encoding::percent_decode_str(last)
            .decode_utf8()
            .map_err(|_| "its id is not UTF-8 once percent-decoded".to_owned())?;
        if id.trim().is_empty() || matches!(id.as_ref(), "." | "..") {
            return Err("its path does not end in an id".into());
        }
        Ok(Created {
            id: id.into_owned(),
            location: url.to_string(),
        })
    }
}

pub(crate) fn request_id(headers: &HeaderMap) -> Option<String> {
    ["x-request-id", "x-amzn-requestid", "request-id"]
        .iter()
        .find_map(|h| headers.get(*h))
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::Created;

    fn created(location: &str) -> Result<Created, String> {
        let request = url::Url::parse("https://api.dwolla.com/customers").unwrap_or_else(|e| panic!("{e}"));
        Created::from_location(&request, location)
    }

    #[test]
    fn the_id_is_the_last_path_segment() {
        let c = created("https://api.dwolla.com/customers/fc451a7a-ae30-4404-aB95-e3553fcd733");
        assert_eq!(c.map(|c| c.id), Ok("fc451a7a-ae30-4404-aB95-e3553fcd733".to_owned()));
        assert_eq!(created("https://x/a/b?q=1").map(|c| c.id), Ok("b".to_owned()));
    }

    #[test]
    fn a_relative_location_resolves_against_the_request() {
        let c = created("/customers/abc").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(c.location, "https://api.dwolla.com/customers/abc");
        assert_eq!(c.id, "abc");
    }

    #[test]
    fn a_location_without_an_id_is_refused() {
        for location in ["https://api.dwolla.com/", "https://api.dwolla.com/customers/", "https://api.dwolla.com/customers", "/"] {
            assert!(created(location).is_err(), "{location}");
        }
    }

    #[test]
    fn the_id_is_percent_decoded() {
        assert_eq!(created("/customers/a%20b").map(|c| c.id), Ok("a b".to_owned()));
    }
}
