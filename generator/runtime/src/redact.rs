//! Keeping secrets out of `Debug` output, logs and error messages, and the one discipline for
//! everything that leaves the client as text (a `tracing` event or span, an error's `Display`
//! or `Debug`): a URL is shown through [`url`], without its userinfo, query or fragment (a
//! list's filters carry names and emails), and text from the server through [`Escaped`], its
//! control characters escaped (a `\n` would start a forged line in the caller's log, an ESC
//! recolour their terminal). The errors' fields keep the values as received; only their text
//! is redacted.

use std::fmt;
use std::sync::Arc;

/// Prints `<redacted>`. `Debug` output shows it in place of every secret: client secrets,
/// access tokens, webhook secrets, and the fields the spec overlay marks `x-dwolla-secret`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Redacted;

impl std::fmt::Debug for Redacted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

/// A string that never shows itself: its `Debug` is `<redacted>` and it has no `Display`.
/// Read it deliberately with [`Secret::expose`].
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Arc<str>);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(Arc::from(value.into()))
    }

    /// The secret itself. Keep it out of logs.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret::new(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret::new(value)
    }
}

/// What [`url`] shows in place of a text that is not a URL and holds an `@`, where a user name
/// or password may hide.
const URL_NOT_SHOWN: &str = "(not shown: it contains `@`)";

/// `text`, a URL (absolute, or relative such as a `Location`), as it may be shown: scheme, host,
/// port and path, never its user name, password, query or fragment. A text that does not parse
/// as a URL loses everything from its first `?` or `#`, and is not shown at all if what is left
/// holds an `@`.
pub(crate) fn url(text: &str) -> String {
    if let Ok(mut parsed) = url::Url::parse(text) {
        if !parsed.cannot_be_a_base() {
            strip_url(&mut parsed);
            return parsed.to_string();
        }
    }
    let before_query = text.split(['?', '#']).next().unwrap_or_default();
    if before_query.contains('@') {
        URL_NOT_SHOWN.to_owned()
    } else {
        Escaped(before_query).to_string()
    }
}

/// Removes from `url` what [`url`] never shows: its user name, password, query and fragment.
pub(crate) fn strip_url(url: &mut url::Url) {
    let _ = url.set_username("");
    let _ = url.set_password(None);
    url.set_query(None);
    url.set_fragment(None);
}

/// Shows text from outside the client (a server's message, a header, an error it wraps) with
/// its control characters, line and paragraph separators and bidirectional overrides escaped as
/// Rust escapes them (`\n`, `\r`, `\u{1b}`), so that it stays on its line and cannot drive a
/// terminal. Everything else is shown as it is.
pub(crate) struct Escaped<T>(pub T);

impl<T: fmt::Display> fmt::Display for Escaped<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::write(&mut EscapingWriter(f), format_args!("{}", self.0))
    }
}

/// Passes text on to a formatter, escaping what [`needs_escape`] names.
struct EscapingWriter<'a, 'b>(&'a mut fmt::Formatter<'b>);

impl fmt::Write for EscapingWriter<'_, '_> {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        let mut plain_from = 0;
        for (at, c) in text.char_indices().filter(|(_, c)| needs_escape(*c)) {
            self.0.write_str(&text[plain_from..at])?;
            write!(self.0, "{}", c.escape_default())?;
            plain_from = at + c.len_utf8();
        }
        self.0.write_str(&text[plain_from..])
    }
}

/// Whether `c` could break a line, move the cursor or reorder what follows it on a terminal:
/// the control characters (C0, DEL, C1), the line and paragraph separators, and the
/// bidirectional marks, embeddings, overrides and isolates.
fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// The headers whose value is a URL, shown through [`url`].
const URL_HEADERS: &[&str] = &["location", "content-location"];

/// The headers whose value is a credential, shown as [`Redacted`].
const SECRET_HEADERS: &[&str] = &["authorization", "proxy-authorization", "cookie", "set-cookie"];

/// Shows a response's headers in `Debug`: a URL-valued header (a `3xx`'s `Location`) through
/// [`url`], a credential (`Set-Cookie`) as `<redacted>`, any other as `HeaderValue` shows itself.
pub(crate) struct Headers<'a>(pub &'a http::HeaderMap);

impl fmt::Debug for Headers<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (name, value) in self.0 {
            if SECRET_HEADERS.contains(&name.as_str()) {
                map.entry(name, &Redacted);
            } else if URL_HEADERS.contains(&name.as_str()) {
                map.entry(name, &url(&String::from_utf8_lossy(value.as_bytes())));
            } else {
                map.entry(name, value);
            }
        }
        map.finish()
    }
}

#[cfg(test)]
mod tests {
    use bytes::Bytes;
    use http::{HeaderMap, HeaderValue, StatusCode};

    use super::*;
    use crate::Error;
    use crate::error::ApiError;

    /// Text a hostile server sends: a forged log line, a carriage return, an ANSI escape and a
    /// bidirectional override.
    const HOSTILE: &str = "bad\r\nFORGED level=ERROR\u{1b}[31m red\u{202e}";
    /// A URL whose userinfo and query must not be shown.
    const HOSTILE_URL: &str = "http://user:hunter2@127.0.0.1:9/customers?search=jane.doe@example.com#frag";

    /// Fails when `text` holds the query, the userinfo or a character [`needs_escape`] names.
    fn assert_clean(what: &str, text: &str) {
        assert!(
            !text.contains("jane.doe") && !text.contains("frag"),
            "{what} holds the query or fragment: {text}"
        );
        assert!(
            !text.contains("hunter2") && !text.contains("user:"),
            "{what} holds userinfo: {text}"
        );
        assert!(
            !text.chars().any(needs_escape),
            "{what} holds a raw control character: {text:?}"
        );
    }

    /// A transport error as `transport::transport_error` wraps it: a connection to `HOSTILE_URL`,
    /// refused by a loopback port that was just closed.
    fn transport() -> Error {
        let closed = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .unwrap_or_else(|e| panic!("{e}"));
        let url = HOSTILE_URL.replace("127.0.0.1:9", &closed.to_string());
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap_or_else(|e| panic!("{e}"));
        let sent = rt.block_on(reqwest::Client::new().get(url).send());
        let e = sent.err().unwrap_or_else(|| panic!("a closed port answered"));
        assert!(
            e.url().is_some_and(|u| u.query().is_some()),
            "reqwest keeps the URL: {e:?}"
        );
        crate::transport::transport_error("op", e)
    }

    fn api() -> Error {
        let body = serde_json::json!({
            "code": HOSTILE, "message": HOSTILE,
            "_embedded": {"errors": [{"code": HOSTILE, "message": HOSTILE, "path": HOSTILE}, {"code": HOSTILE}]}
        });
        let mut headers = HeaderMap::new();
        headers.insert("x-request-id", HeaderValue::from_static("req-1"));
        headers.insert("location", HeaderValue::from_static(HOSTILE_URL));
        headers.insert("set-cookie", HeaderValue::from_static("session=hunter2"));
        let mismatch = crate::error::BodyMismatch {
            path: HOSTILE.into(),
            message: HOSTILE.into(),
        };
        let raw = Bytes::from(body.to_string());
        Error::Api(Box::new(ApiError::from_body(
            "op",
            StatusCode::BAD_REQUEST,
            headers,
            raw,
            Err(mismatch),
        )))
    }

    /// A call's record with a key, as the attempt loop stamps it.
    fn delivered() -> crate::Delivery {
        let reach = crate::delivery::Reach::default();
        reach.sending();
        reach.settle(crate::Sent::Unanswered);
        reach.delivery(Some("key-1"))
    }

    /// One error of every variant, each carrying hostile text wherever it has text.
    fn every_variant() -> Vec<Error> {
        let status = StatusCode::CREATED;
        vec![
            transport(),
            Error::Timeout {
                operation: "op",
                delivery: delivered(),
            },
            api(),
            Error::Decode {
                operation: "op",
                status,
                path: HOSTILE.into(),
                message: HOSTILE.into(),
                body: Bytes::from(HOSTILE),
                delivery: delivered(),
            },
            Error::MissingLocation {
                operation: "op",
                status,
                delivery: delivered(),
            },
            Error::ResponseTooLarge {
                operation: "op",
                limit: 1,
                delivery: delivered(),
            },
            Error::Auth {
                status,
                error: HOSTILE.into(),
                description: Some(HOSTILE.into()),
                delivery: delivered(),
            },
            Error::TokenProvider {
                source: Arc::from(Box::<dyn std::error::Error + Send + Sync>::from(HOSTILE)),
                delivery: delivered(),
            },
            Error::NoCredentials { operation: "op" },
            Error::Request {
                operation: "op",
                message: HOSTILE.into(),
                delivery: delivered(),
            },
            Error::Config(HOSTILE.into()),
            Error::MissingLink { rel: "next" },
            Error::ForeignLink {
                operation: "op",
                url: HOSTILE_URL.into(),
                base: "http://127.0.0.1:9".into(),
            },
            Error::ForeignResponse {
                operation: "op",
                url: HOSTILE_URL.into(),
                base: "http://127.0.0.1:9".into(),
                delivery: delivered(),
            },
            Error::InvalidLocation {
                operation: "op",
                status,
                location: format!("/customers/?search=jane.doe{HOSTILE}"),
                message: HOSTILE.into(),
                delivery: delivered(),
            },
            Error::Pagination {
                operation: "op",
                message: HOSTILE.into(),
            },
            Error::CreatedNotFetched {
                operation: "op",
                created: crate::Created {
                    location: HOSTILE_URL.into(),
                    id: HOSTILE.into(),
                },
                source: Box::new(transport()),
                delivery: delivered(),
            },
        ]
    }

    /// The name of `e`'s variant and how many variants there are, from one match without a
    /// wildcard: a new variant does not compile until it has an arm here, and the arm's count
    /// makes [`every_variant`] build it.
    fn variant(e: &Error) -> (&'static str, usize) {
        macro_rules! names {
            ($($pattern:pat => $name:literal),* $(,)?) => {{
                const COUNT: usize = [$($name),*].len();
                (match e { $($pattern => $name),* }, COUNT)
            }};
        }
        names! {
            Error::Transport { .. } => "Transport",
            Error::Timeout { .. } => "Timeout",
            Error::Api(_) => "Api",
            Error::Decode { .. } => "Decode",
            Error::MissingLocation { .. } => "MissingLocation",
            Error::ResponseTooLarge { .. } => "ResponseTooLarge",
            Error::Auth { .. } => "Auth",
            Error::TokenProvider { .. } => "TokenProvider",
            Error::NoCredentials { .. } => "NoCredentials",
            Error::Request { .. } => "Request",
            Error::Config(_) => "Config",
            Error::MissingLink { .. } => "MissingLink",
            Error::ForeignLink { .. } => "ForeignLink",
            Error::ForeignResponse { .. } => "ForeignResponse",
            Error::InvalidLocation { .. } => "InvalidLocation",
            Error::Pagination { .. } => "Pagination",
            Error::CreatedNotFetched { .. } => "CreatedNotFetched",
        }
    }

    #[test]
    fn no_error_variant_shows_a_query_userinfo_or_raw_control_character() {
        let errors = every_variant();
        let names: std::collections::BTreeSet<&str> = errors.iter().map(|e| variant(e).0).collect();
        let count = errors.first().map_or(0, |e| variant(e).1);
        assert_eq!(names.len(), count, "every variant is built once: {names:?}");
        for e in &errors {
            let name = variant(e).0;
            assert_clean(&format!("{name}'s Display"), &e.to_string());
            assert_clean(&format!("{name}'s Debug"), &format!("{e:?}"));
            // A token provider's error is the caller's own, handed back as it was given.
            let mut source = std::error::Error::source(e).filter(|_| name != "TokenProvider");
            while let Some(s) = source {
                assert_clean(&format!("{name}'s source"), &s.to_string());
                source = s.source();
            }
        }
    }

    #[test]
    fn the_fields_keep_the_servers_text_as_received() {
        let errors = every_variant();
        let Some(Error::ForeignLink { url, .. }) = errors.iter().find(|e| matches!(e, Error::ForeignLink { .. }))
        else {
            panic!("no ForeignLink")
        };
        assert_eq!(url, HOSTILE_URL);
        let api = errors.iter().find_map(Error::api).unwrap_or_else(|| panic!("no Api"));
        assert_eq!(api.message.as_deref(), Some(HOSTILE));
    }

    #[test]
    fn urls_are_shown_without_userinfo_query_or_fragment() {
        assert_eq!(url(HOSTILE_URL), "http://127.0.0.1:9/customers");
        assert_eq!(
            url("https://api.dwolla.com/customers/abc"),
            "https://api.dwolla.com/customers/abc"
        );
        assert_eq!(url("/customers/abc?search=jane.doe#x"), "/customers/abc");
        assert_eq!(url("user:hunter2@host/x"), URL_NOT_SHOWN);
        assert_eq!(url("mailto:jane.doe@example.com"), URL_NOT_SHOWN);
        assert_eq!(url("/a\nb?q"), "/a\\nb");
    }

    #[test]
    fn control_characters_are_escaped_and_the_rest_is_kept() {
        assert_eq!(
            Escaped("a\nb\rc\u{1b}[31m\td\u{202e}é").to_string(),
            "a\\nb\\rc\\u{1b}[31m\\td\\u{202e}é"
        );
        assert_eq!(
            Escaped("plain text: 100% \"quoted\" \\ ok").to_string(),
            "plain text: 100% \"quoted\" \\ ok"
        );
        assert_eq!(Escaped(format_args!("{}-{}", "x\n", 1)).to_string(), "x\\n-1");
    }
}
