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
    fn failed<B: 'static>(&self, e: Error<B>) -> Error<B> {
        self.span.record("error.type", &*e.kind());
        self.span.record("otel.status_code", "ERROR");
        e
    }

    /// Decodes the body as `T`, naming the JSON path where it does not fit.
    pub fn decode<T: DeserializeOwned, B: 'static>(self) -> Result<Response<T>, Error<B>> {
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
    fn mismatched<B: 'static>(self, e: &serde_json::Error) -> Error<B> {
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
    pub fn created<B: 'static>(self) -> Result<Response<Created>, Error<B>> {
        match self.location() {
            Ok(created) => Ok(Response::new(self.status, self.headers, created).delivered(self.delivery)),
            Err(e) => Err(self.failed(e.typed())),
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
    /// A body of more than [`MAX_TYPED_ERROR_VALUES`] JSON values is not typed (the reason is on
    /// [`ApiError::body_error`]).
    pub fn into_typed_error<T: DeserializeOwned, B: 'static>(self, wrap: impl FnOnce(T) -> B) -> Error<B> {
        let body = match too_many_values(&self.body) {
            Some(mismatch) => Err(mismatch),
            None => decode_tracked::<T>(&self.body).map(|t| Some(wrap(t))),
        };
        self.into_api_error(body)
    }

    fn into_api_error<B: 'static>(self, body: Result<Option<B>, BodyMismatch>) -> Error<B> {
        let mut error = ApiError::from_body(self.operation, self.status, self.headers, self.body, body);
        error.delivery = self.delivery;
        Error::Api(Box::new(error))
    }

    /// The API error this response is, with `body` as its typed body.
    pub fn into_error<B: 'static>(self, body: Option<B>) -> Error<B> {
        self.into_api_error(Ok(body))
    }
}

/// An error body is decoded into the type the spec declares only when it holds at most this
/// many JSON values. Dwolla's hold tens; a body of millions of `{}` would be millions of structs.
pub(crate) const MAX_TYPED_ERROR_VALUES: usize = 10_000;

/// Why `body` is not decoded into its type: it holds more than [`MAX_TYPED_ERROR_VALUES`]
/// values. Counted in one pass that keeps nothing; a body that is not JSON passes, for
/// decoding to say where it breaks.
fn too_many_values(body: &[u8]) -> Option<BodyMismatch> {
    let mut seen = 0;
    let mut reader = serde_json::Deserializer::from_slice(body);
    let _ = serde::de::DeserializeSeed::deserialize(Count(&mut seen), &mut reader);
    (seen > MAX_TYPED_ERROR_VALUES).then(|| BodyMismatch {
        path: ".".to_owned(),
        message: format!(
            "the body holds more than {MAX_TYPED_ERROR_VALUES} JSON values; an error body that large is not decoded"
        ),
    })
}

/// Counts the values it reads into `.0`, and stops past [`MAX_TYPED_ERROR_VALUES`].
struct Count<'a>(&'a mut usize);

impl Count<'_> {
    fn one<E: serde::de::Error>(&mut self) -> Result<(), E> {
        *self.0 = self.0.saturating_add(1);
        if *self.0 > MAX_TYPED_ERROR_VALUES {
            return Err(E::custom("too many values"));
        }
        Ok(())
    }
}

impl<'de> serde::de::DeserializeSeed<'de> for Count<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Count<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E: serde::de::Error>(mut self, _: bool) -> Result<(), E> {
        self.one()
    }
    fn visit_i64<E: serde::de::Error>(mut self, _: i64) -> Result<(), E> {
        self.one()
    }
    fn visit_u64<E: serde::de::Error>(mut self, _: u64) -> Result<(), E> {
        self.one()
    }
    fn visit_f64<E: serde::de::Error>(mut self, _: f64) -> Result<(), E> {
        self.one()
    }
    fn visit_str<E: serde::de::Error>(mut self, _: &str) -> Result<(), E> {
        self.one()
    }
    fn visit_unit<E: serde::de::Error>(mut self) -> Result<(), E> {
        self.one()
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
        self.one()?;
        while seq.next_element_seed(Count(&mut *self.0))?.is_some() {}
        Ok(())
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(mut self, mut map: A) -> Result<(), A::Error> {
        self.one()?;
        while map.next_key::<serde::de::IgnoredAny>()?.is_some() {
            map.next_value_seed(Count(&mut *self.0))?;
        }
        Ok(())
    }
}

/// At most this many entries of `_embedded.errors` are kept on an [`ApiError`]: a body of a
/// million `{}` is three bytes an entry on the wire but would be a struct an entry in memory.
pub(crate) const MAX_ERROR_DETAILS: usize = 1_000;

/// At most this many relations of one `_links` are kept (of the body, of each detail): a body
/// of a million links would otherwise be a million map entries.
pub(crate) const MAX_ERROR_LINKS: usize = 64;

/// Dwolla's error fields of a body (`code`, `message`, `_links`,
/// `_embedded.errors[].{code,message,path,_links}`),
/// read in one pass over the bytes, leniently: a field that is missing or not a string stays
/// empty, a body that is not JSON leaves everything empty, and of a property given twice the
/// last counts (as in a `serde_json::Value`).
#[derive(Default)]
pub(crate) struct ErrorFields {
    pub code: Option<String>,
    pub message: Option<String>,
    /// `_links`: relation → `href`, the first [`MAX_ERROR_LINKS`] relations.
    pub links: std::collections::BTreeMap<String, String>,
    /// The first [`MAX_ERROR_DETAILS`] entries of `_embedded.errors`.
    pub errors: Vec<crate::ErrorDetail>,
    /// How many entries of `_embedded.errors` there were past those.
    pub omitted: usize,
}

impl ErrorFields {
    pub(crate) fn read(body: &[u8]) -> Self {
        let mut fields = ErrorFields::default();
        let mut reader = serde_json::Deserializer::from_slice(body);
        let read = serde::Deserializer::deserialize_map(&mut reader, Fields(&mut fields)).and_then(|()| reader.end());
        if read.is_err() {
            return ErrorFields::default();
        }
        fields
    }
}

/// The property names the error fields are read from; any other is skipped.
enum Name {
    Code,
    Message,
    Path,
    Embedded,
    Errors,
    Links,
    Href,
    Other,
}

impl<'de> serde::Deserialize<'de> for Name {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Name;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a property name")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Name, E> {
                Ok(match v {
                    "code" => Name::Code,
                    "message" => Name::Message,
                    "path" => Name::Path,
                    "_embedded" => Name::Embedded,
                    "errors" => Name::Errors,
                    "_links" => Name::Links,
                    "href" => Name::Href,
                    _ => Name::Other,
                })
            }
        }
        deserializer.deserialize_identifier(V)
    }
}

/// The top level of an error body.
struct Fields<'a>(&'a mut ErrorFields);

impl<'de> serde::de::Visitor<'de> for Fields<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an error object")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(name) = map.next_key::<Name>()? {
            match name {
                Name::Code => self.0.code = map.next_value::<Lenient<Text>>()?.0.0,
                Name::Message => self.0.message = map.next_value::<Lenient<Text>>()?.0.0,
                Name::Embedded => (self.0.errors, self.0.omitted) = map.next_value::<Lenient<Details>>()?.0.0,
                Name::Links => self.0.links = map.next_value::<Lenient<Links>>()?.0.0,
                _ => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

/// A part of an error body read from any JSON value: a value of another kind than the one it
/// reads is skipped and leaves it empty.
trait Part<'de>: Default {
    fn string(_: &str) -> Self {
        Self::default()
    }
    fn object<A: serde::de::MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
        while map.next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?.is_some() {}
        Ok(Self::default())
    }
    fn array<A: serde::de::SeqAccess<'de>>(mut seq: A) -> Result<Self, A::Error> {
        while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
        Ok(Self::default())
    }
}

/// A field that is kept when it is a string.
#[derive(Default)]
struct Text(Option<String>);

impl Part<'_> for Text {
    fn string(s: &str) -> Self {
        Text(Some(s.to_owned()))
    }
}

/// `_links` when it is an object: each relation whose value is an object with a string `href`
/// (of a relation given twice, the last), up to [`MAX_ERROR_LINKS`] relations.
#[derive(Default)]
struct Links(std::collections::BTreeMap<String, String>);

impl<'de> Part<'de> for Links {
    fn object<A: serde::de::MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
        let mut links = Links::default();
        while let Some(rel) = map.next_key::<String>()? {
            if links.0.len() >= MAX_ERROR_LINKS && !links.0.contains_key(&rel) {
                map.next_value::<serde::de::IgnoredAny>()?;
                continue;
            }
            match map.next_value::<Lenient<Href>>()?.0.0 {
                Some(href) => links.0.insert(rel, href),
                None => links.0.remove(&rel),
            };
        }
        Ok(links)
    }
}

/// A link's `href`, when the link is an object and its `href` a string.
#[derive(Default)]
struct Href(Option<String>);

impl<'de> Part<'de> for Href {
    fn object<A: serde::de::MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
        let mut href = Href::default();
        while let Some(name) = map.next_key::<Name>()? {
            match name {
                Name::Href => href.0 = map.next_value::<Lenient<Text>>()?.0.0,
                _ => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
        }
        Ok(href)
    }
}

/// `_embedded`'s `errors` when it is an array (read as `_embedded`, an object): the first
/// [`MAX_ERROR_DETAILS`] entries and how many more there were.
#[derive(Default)]
struct Details((Vec<crate::ErrorDetail>, usize));

impl<'de> Part<'de> for Details {
    fn object<A: serde::de::MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
        let mut details = Details::default();
        while let Some(name) = map.next_key::<Name>()? {
            match name {
                Name::Errors => details = map.next_value::<Lenient<Entries>>()?.0.0,
                _ => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
        }
        Ok(details)
    }
}

/// `_embedded.errors`, when it is an array.
#[derive(Default)]
struct Entries(Details);

impl<'de> Part<'de> for Entries {
    fn array<A: serde::de::SeqAccess<'de>>(mut seq: A) -> Result<Self, A::Error> {
        let mut entries = Entries::default();
        let (kept, omitted) = &mut entries.0.0;
        while kept.len() < MAX_ERROR_DETAILS {
            match seq.next_element::<Lenient<Detail>>()? {
                Some(detail) => kept.push(detail.0.0),
                None => return Ok(entries),
            }
        }
        while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {
            *omitted = omitted.saturating_add(1);
        }
        Ok(entries)
    }
}

/// One entry of `_embedded.errors`: an object's `code`, `message` and `path`; an entry that is
/// no object has none of them.
struct Detail(crate::ErrorDetail);

impl Default for Detail {
    fn default() -> Self {
        Detail(crate::ErrorDetail {
            code: None,
            message: None,
            path: None,
            links: std::collections::BTreeMap::new(),
        })
    }
}

impl<'de> Part<'de> for Detail {
    fn object<A: serde::de::MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
        let mut detail = Detail::default();
        while let Some(name) = map.next_key::<Name>()? {
            let field = match name {
                Name::Code => &mut detail.0.code,
                Name::Message => &mut detail.0.message,
                Name::Path => &mut detail.0.path,
                Name::Links => {
                    detail.0.links = map.next_value::<Lenient<Links>>()?.0.0;
                    continue;
                }
                _ => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                    continue;
                }
            };
            *field = map.next_value::<Lenient<Text>>()?.0.0;
        }
        Ok(detail)
    }
}

/// Reads a [`Part`] from whatever JSON value is there.
struct Lenient<T>(T);

impl<'de, T: Part<'de>> serde::Deserialize<'de> for Lenient<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(LenientVisitor(std::marker::PhantomData)).map(Lenient)
    }
}

struct LenientVisitor<T>(std::marker::PhantomData<T>);

impl<'de, T: Part<'de>> serde::de::Visitor<'de> for LenientVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<T, E> {
        Ok(T::string(v))
    }
    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<T, E> {
        Ok(T::default())
    }
    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<T, E> {
        Ok(T::default())
    }
    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<T, E> {
        Ok(T::default())
    }
    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<T, E> {
        Ok(T::default())
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<T, E> {
        Ok(T::default())
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::object(map)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, seq: A) -> Result<T, A::Error> {
        T::array(seq)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Untyped;
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
        assert_eq!(raw(200, None, r#"{"n":1}"#).decode::<Thing, Untyped>().map(|r| r.into_inner().n).ok(), Some(1));
        match raw(200, None, r#"{"n":"one"}"#).decode::<Thing, Untyped>() {
            Err(Error::Decode { path, status, .. }) => {
                assert_eq!(path, "n");
                assert_eq!(status, StatusCode::OK);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn created_resolves_relative_locations_and_refuses_missing_ones() {
        let created = raw(201, Some("/customers/c-1"), "").created::<Untyped>().map(|r| r.into_inner());
        assert_eq!(created.map(|c| c.id).ok().as_deref(), Some("c-1"));
        assert!(matches!(raw(201, None, "").created::<Untyped>(), Err(Error::MissingLocation { .. })));
        assert!(matches!(raw(201, Some("  "), "").created::<Untyped>(), Err(Error::MissingLocation { .. })));
    }

    #[test]
    fn an_error_body_that_does_not_match_is_still_an_api_error() {
        let e = raw(400, None, "not json").into_typed_error::<Thing, Untyped>(|_| unreachable!("the body does not decode"));
        match e {
            Error::Api(api) => {
                assert_eq!(api.status, StatusCode::BAD_REQUEST);
                assert!(api.body_error.is_some());
            }
            other => panic!("{other:?}"),
        }
    }

    /// A `_links` value read as a whole: relation → `href`, for each link with a string `href`.
    fn links_from_value(links: Option<&serde_json::Value>) -> std::collections::BTreeMap<String, String> {
        let Some(serde_json::Value::Object(links)) = links else {
            return std::collections::BTreeMap::new();
        };
        links
            .iter()
            .filter_map(|(rel, link)| Some((rel.clone(), link.get("href")?.as_str()?.to_owned())))
            .collect()
    }

    /// How the error fields were read before: a whole `serde_json::Value` of the body.
    fn fields_from_value(body: &[u8]) -> (Option<String>, Option<String>, Vec<crate::ErrorDetail>) {
        let json: Option<serde_json::Value> = serde_json::from_slice(body).ok();
        let text = |v: Option<&serde_json::Value>| v.and_then(|v| v.as_str()).map(str::to_owned);
        let errors = json
            .as_ref()
            .and_then(|j| j.pointer("/_embedded/errors"))
            .and_then(|e| e.as_array())
            .map(|list| {
                list.iter()
                    .map(|e| crate::ErrorDetail {
                        code: text(e.get("code")),
                        message: text(e.get("message")),
                        path: text(e.get("path")),
                        links: links_from_value(e.get("_links")),
                    })
                    .collect()
            })
            .unwrap_or_default();
        (
            text(json.as_ref().and_then(|j| j.get("code"))),
            text(json.as_ref().and_then(|j| j.get("message"))),
            errors,
        )
    }

    fn arb_error_body() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let key = prop::sample::select(vec!["code", "message", "path", "_embedded", "errors", "x", "_links", "href"]);
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::Bool),
            (0u32..3).prop_map(serde_json::Value::from),
            prop::sample::select(vec!["", "Invalid", "a\"b", "é✓", "\u{1}"]).prop_map(serde_json::Value::from),
        ];
        let value = leaf.prop_recursive(4, 40, 5, move |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::Array),
                prop::collection::vec((key.clone(), inner), 0..5).prop_map(|entries| {
                    // Written by hand, so that a property can be given twice.
                    let body: Vec<String> = entries
                        .iter()
                        .map(|(k, v)| format!("{}:{}", serde_json::Value::from(*k), unwrap_objects(v)))
                        .collect();
                    serde_json::Value::String(format!("\u{0}{{{}}}", body.join(",")))
                }),
            ]
        });
        // An object is carried as a string marked with NUL, unwrapped here into its text.
        value.prop_map(|v| unwrap_objects(&v))
    }

    /// The JSON text of `v`, with the strings that carry an object's text (marked with NUL)
    /// replaced by that text.
    fn unwrap_objects(v: &serde_json::Value) -> String {
        match v {
            serde_json::Value::String(s) if s.starts_with('\u{0}') => {
                // The carried text is itself made by this function, from the inside out.
                s[1..].to_owned()
            }
            serde_json::Value::Array(items) => {
                format!("[{}]", items.iter().map(unwrap_objects).collect::<Vec<_>>().join(","))
            }
            other => other.to_string(),
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

        #[test]
        fn error_fields_are_those_of_reading_the_value(body in arb_error_body(), cut in 0usize..4) {
            // Whole, or cut short (no JSON: nothing is read).
            let body = &body.as_bytes()[..body.len().saturating_sub(cut)];
            let fields = ErrorFields::read(body);
            let json: Option<serde_json::Value> = serde_json::from_slice(body).ok();
            proptest::prop_assert_eq!(&fields.links, &links_from_value(json.as_ref().and_then(|j| j.get("_links"))));
            proptest::prop_assert_eq!((fields.code, fields.message, fields.errors), fields_from_value(body));
            proptest::prop_assert_eq!(fields.omitted, 0);
        }
    }

    #[test]
    fn an_error_body_of_too_many_values_is_not_typed() {
        let body = |n: usize| {
            let mut b = String::from(r#"{"code":"ValidationError","_embedded":{"errors":[{}"#);
            for _ in 1..n {
                b.push_str(",{}");
            }
            b.push_str("]}}");
            b.into_bytes()
        };
        // The object, `code`, `_embedded`, `errors` and the entries.
        assert!(too_many_values(&body(MAX_TYPED_ERROR_VALUES - 4)).is_none());
        let mismatch = too_many_values(&body(MAX_TYPED_ERROR_VALUES - 3));
        assert_eq!(mismatch.map(|m| m.path).as_deref(), Some("."));
        assert!(too_many_values(b"{").is_none(), "decoding says where a broken body breaks");
    }

    #[test]
    fn an_error_keeps_a_thousand_details_and_counts_the_rest() {
        let mut body = String::from(r#"{"code":"ValidationError","_embedded":{"errors":[{"code":"Invalid","path":"/a"}"#);
        for _ in 1..MAX_ERROR_DETAILS + 2_500 {
            body.push_str(",{}");
        }
        body.push_str("]}}");
        let fields = ErrorFields::read(body.as_bytes());
        assert_eq!(fields.code.as_deref(), Some("ValidationError"));
        assert_eq!(fields.errors.len(), MAX_ERROR_DETAILS);
        assert_eq!(fields.errors[0].path.as_deref(), Some("/a"));
        assert_eq!(fields.omitted, 2_500);
        let e: ApiError = ApiError::from_body("op", http::StatusCode::BAD_REQUEST, HeaderMap::new(), body.into(), Ok(None));
        assert_eq!(e.errors.len(), MAX_ERROR_DETAILS);
        assert!(e.to_string().contains("; and 2500 more"), "{e}");
    }
}
