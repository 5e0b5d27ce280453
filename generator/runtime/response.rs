//! What a successful call returns: the typed body with the status, the headers and Dwolla's
//! request id, and for `201 Created` the location and id of the new resource.

use http::{HeaderMap, StatusCode};

/// A successful response with its typed body.
#[derive(Clone, Debug)]
pub struct Response<T> {
    status: StatusCode,
    headers: HeaderMap,
    body: T,
}

impl<T> Response<T> {
    pub(crate) fn new(status: StatusCode, headers: HeaderMap, body: T) -> Self {
        Response { status, headers, body }
    }

    /// The same response with its body transformed.
    pub fn map_body<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response {
            status: self.status,
            headers: self.headers,
            body: f(self.body),
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
    /// The `Location` header: the URL of the new resource.
    pub location: String,
    /// The new resource's id: the last segment of `location`.
    pub id: String,
}

impl Created {
    pub(crate) fn from_location(location: &str) -> Self {
        let trimmed = location.split(['?', '#']).next().unwrap_or(location).trim_end_matches('/');
        let id = trimmed.rsplit('/').next().unwrap_or(trimmed).to_owned();
        Created {
            location: location.to_owned(),
            id,
        }
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

    #[test]
    fn the_id_is_the_last_path_segment() {
        let c = Created::from_location("https://api.dwolla.com/customers/fc451a7a-ae30-4404-aB95-e3553fcd733");
        assert_eq!(c.id, "fc451a7a-ae30-4404-aB95-e3553fcd733");
        assert_eq!(Created::from_location("https://x/a/b/?q=1").id, "b");
    }
}
