//! Decoding: a response turned into the operation's typed result. A body is decoded as the type
//! the spec declares (naming the JSON path where it does not fit), a `201` into [`Created`] from
//! its `Location`, and an error status into [`Error::Api`] with the body typed as the spec
//! declares for that status. This is the only generic part of sending a request.

use serde::de::DeserializeOwned;

use crate::request::Raw;
use crate::{ApiError, BodyMismatch, Created, Error, Response};

/// Decodes `body` as `T`, or says where and how it does not fit. It
/// decodes with `serde_json::from_slice` alone: every model's `Deserialize` is compiled for that
/// one deserializer. Where a body does not fit is found afterwards, by [`mismatch`].
pub(crate) fn decode_tracked<T: DeserializeOwned>(body: &[u8]) -> Result<T, BodyMismatch> {
    match serde_json::from_slice::<T>(body) {
        Ok(value) => Ok(value),
        Err(e) => Err(mismatch(body, &e)),
    }
}

/// What a decoding error of `body` says, with the JSON path where it happened.
#[cold]
fn mismatch(body: &[u8], e: &serde_json::Error) -> BodyMismatch {
    BodyMismatch {
        path: crate::locate::path(body, e),
        message: e.to_string(),
    }
}

impl Raw {
    /// Records on the call's span that its response could not be decoded.
    fn failed(&self, e: Error) -> Error {
        self.span.record("error.type", &*e.kind());
        self.span.record("otel.status_code", "ERROR");
        e
    }

    /// Decodes the body as `T`, naming the JSON path where it does not fit.
    pub fn decode<T: DeserializeOwned>(self) -> Result<Response<T>, Error> {
        match serde_json::from_slice::<T>(&self.body) {
            Ok(body) => {
                let (status, headers, delivery) = self.into_parts();
                Ok(Response::new(status, headers, body).delivered(delivery))
            }
            Err(e) => Err(self.mismatched(&e)),
        }
    }

    /// The status and headers, the rest dropped here rather than in every copy of the generic
    /// [`Raw::decode`].
    fn into_parts(self) -> (http::StatusCode, http::HeaderMap, crate::Delivery) {
        (self.status, self.headers, self.delivery)
    }

    /// The error of a body that does not decode (out of [`Raw::decode`], which is generic).
    #[cold]
    fn mismatched(self, e: &serde_json::Error) -> Error {
        let BodyMismatch { path, message } = mismatch(&self.body, e);
        let e = Error::Decode {
            operation: self.operation,
            status: self.status,
            path,
            message,
            body: self.body.clone(),
            delivery: self.delivery.clone(),
        };
        self.failed(e)
    }

    /// The `Location` of a `201 Created`, resolved against the request's URL when relative
    /// (RFC 9110 allows that).
    pub fn created(self) -> Result<Response<Created>, Error> {
        match self.location() {
            Ok(created) => Ok(Response::new(self.status, self.headers, created).delivered(self.delivery)),
            Err(e) => Err(self.failed(e)),
        }
    }

    fn location(&self) -> Result<Created, Error> {
        let Some(value) = self.headers.get(http::header::LOCATION).filter(|v| !v.as_bytes().trim_ascii().is_empty()) else {
            return Err(Error::MissingLocation {
                operation: self.operation,
                status: self.status,
                delivery: self.delivery.clone(),
            });
        };
        let invalid = |message: String| Error::InvalidLocation {
            operation: self.operation,
            status: self.status,
            location: String::from_utf8_lossy(value.as_bytes()).into_owned(),
            message,
            delivery: self.delivery.clone(),
        };
        let text = value.to_str().map_err(|_| invalid("it is not visible ASCII".into()))?;
        Created::from_location(&self.url, text).map_err(invalid)
    }

    /// A response whose body does not matter.
    // Called only by operations whose success has no body, which not every spec has (Dwolla's
    // upstream document declares a body for every one).
    #[allow(dead_code)]
    pub fn empty(self) -> Response<()> {
        Response::new(self.status, self.headers, ()).delivered(self.delivery)
    }

    /// The API error this response is, its body typed as `T` (the type the spec declares for
    /// the status). A body that does not match is still an API error, without the typed body
    /// but with the reason on [`ApiError::body_error`].
    pub fn into_typed_error<T: DeserializeOwned>(self, wrap: impl FnOnce(T) -> crate::ApiErrorBody) -> Error {
        let body = decode_tracked::<T>(&self.body).map(|t| Some(wrap(t)));
        self.into_api_error(body)
    }

    fn into_api_error(self, body: Result<Option<crate::ApiErrorBody>, BodyMismatch>) -> Error {
        let mut error = ApiError::from_body(self.operation, self.status, self.headers, self.body, body);
        error.delivery = self.delivery;
        Error::Api(Box::new(error))
    }

    /// The API error this response is, with `body` as its typed body.
    pub fn into_error(self, body: Option<crate::ApiErrorBody>) -> Error {
        self.into_api_error(Ok(body))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::{HeaderMap, HeaderValue, StatusCode};

    fn raw(status: u16, location: Option<&'static str>, body: &'static str) -> Raw {
        let mut headers = HeaderMap::new();
        if let Some(l) = location {
            headers.insert(http::header::LOCATION, HeaderValue::from_static(l));
        }
        Raw {
            operation: "op",
            url: url::Url::parse("https://api.dwolla.com/customers").unwrap(),
            status: StatusCode::from_u16(status).unwrap(),
            headers,
            body: bytes::Bytes::from_static(body.as_bytes()),
            span: tracing::Span::none(),
            delivery: crate::Delivery::default(),
        }
    }

    #[derive(serde::Deserialize, Debug)]
    struct Thing {
        #[allow(dead_code)]
        n: u32,
    }

    #[test]
    fn a_body_that_does_not_fit_names_the_path() {
        assert_eq!(raw(200, None, r#"{"n":1}"#).decode::<Thing>().map(|r| r.into_inner().n).ok(), Some(1));
        match raw(200, None, r#"{"n":"one"}"#).decode::<Thing>() {
            Err(Error::Decode { path, status, .. }) => {
                assert_eq!(path, "n");
                assert_eq!(status, StatusCode::OK);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn created_resolves_relative_locations_and_refuses_missing_ones() {
        let created = raw(201, Some("/customers/c-1"), "").created().map(|r| r.into_inner());
        assert_eq!(created.map(|c| c.id).ok().as_deref(), Some("c-1"));
        assert!(matches!(raw(201, None, "").created(), Err(Error::MissingLocation { .. })));
        assert!(matches!(raw(201, Some("  "), "").created(), Err(Error::MissingLocation { .. })));
    }

    #[test]
    fn an_error_body_that_does_not_match_is_still_an_api_error() {
        let e = raw(400, None, "not json").into_typed_error::<Thing>(|_| unreachable!("the body does not decode"));
        match e {
            Error::Api(api) => {
                assert_eq!(api.status, StatusCode::BAD_REQUEST);
                assert!(api.body_error.is_some());
            }
            other => panic!("{other:?}"),
        }
    }
}
