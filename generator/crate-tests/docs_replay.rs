//! The harness of the replay test (`tests/replay.rs`): Dwolla's own API-reference examples
//! (`tests/fixtures/dwolla-docs/` in the workspace, one JSON file per documented exchange)
//! replayed through the client against a loopback mock.
//!
//! For every case whose operation the spec has, three things are judged:
//!
//! - **body**: the documented request body (or form) deserializes into the operation's typed
//!   input, and the documented path and query fit its parameters;
//! - **request**: the request the client sends equals the documented one (method, path, query
//!   as a set, a JSON body compared as JSON, form fields as a set, multipart parts by name);
//! - **response**: the documented response decodes (a `201` yields the id of the documented
//!   `Location`).
//!
//! The per-operation calls are generated from the IR (`tests/replay.rs`); this file reads the
//! cases, serves the documented responses, compares and reports. A case fails the test unless
//! [`ALLOWED`] names it with the reason the documentation, not the crate, is wrong.

// Header lookups are generated only for operations with header parameters.
#![allow(dead_code)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Documented exchanges that may fail, each with why the documentation is wrong.
pub const ALLOWED: &[(&str, &str)] = &[
    (
        "docs-014",
        "a placeholder: the page about making requests shows `{\"foo\": \"bar\"}` as the body of \
         `POST /customers`, which is no customer",
    ),
    (
        "docs-193",
        "a placeholder: the page about making requests shows `{\"foo\": \"bar\"}` as the body of \
         `POST /customers`, which is no customer",
    ),
];

/// One documented exchange, as the fixture's README describes it.
#[derive(Debug, Deserialize)]
pub struct Case {
    pub id: String,
    pub method: String,
    pub url: String,
    #[serde(default)]
    pub query: Option<Value>,
    #[serde(default)]
    pub request_headers: Option<Map<String, Value>>,
    #[serde(default)]
    pub request_body: Option<Value>,
    #[serde(default)]
    pub request_form: Option<Map<String, Value>>,
    #[serde(default)]
    pub status: Option<u16>,
    #[serde(default)]
    pub status_inferred: Option<u16>,
    #[serde(default)]
    pub response_headers: Option<Map<String, Value>>,
    #[serde(default)]
    pub response_body: Option<Value>,
    #[serde(rename = "operationId")]
    pub operation_id: Option<String>,
}

/// What the generated call of one operation did: `Err` when the documented request could not
/// be expressed in the operation's typed input (nothing was sent); otherwise the call's
/// result, with the id of the created resource for a `201`.
pub type Replayed = Result<Result<Option<String>, String>, String>;

/// The directory of the cases, in the workspace beside the generated crate.
fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/dwolla-docs/cases")
}

/// Every case, in the order of their ids.
pub fn cases() -> Vec<Case> {
    let dir = cases_dir();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()));
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not a case: {e}", p.display()))
        })
        .collect()
}

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned()
}

impl Case {
    fn parsed_url(&self) -> Result<url::Url, String> {
        url::Url::parse(&self.url).map_err(|e| format!("the documented URL {:?} does not parse: {e}", self.url))
    }

    /// The status the documented response has, if the docs show or imply one.
    pub fn status(&self) -> Option<u16> {
        self.status.or(self.status_inferred)
    }

    /// The values of the path parameters of `template` (`/customers/{id}/funding-sources`) in
    /// the documented URL, in order.
    pub fn path_args(&self, template: &str) -> Result<Vec<String>, String> {
        let url = self.parsed_url()?;
        let documented: Vec<&str> = url.path().trim_matches('/').split('/').collect();
        let expected: Vec<&str> = template.trim_matches('/').split('/').collect();
        if documented.len() != expected.len() {
            return Err(format!("the documented path {} does not fit {template}", url.path()));
        }
        let mut args = Vec::new();
        for (d, e) in documented.iter().zip(&expected) {
            if e.starts_with('{') && e.ends_with('}') {
                args.push(percent_decode(d));
            } else if d != e {
                return Err(format!("the documented path {} does not fit {template}", url.path()));
            }
        }
        Ok(args)
    }

    /// The documented query parameters: those of the URL and those of the `query` field.
    pub fn query_pairs(&self) -> BTreeSet<(String, String)> {
        let mut pairs = BTreeSet::new();
        if let Ok(url) = self.parsed_url() {
            pairs.extend(url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())));
        }
        if let Some(Value::Object(map)) = &self.query {
            for (k, v) in map {
                match v {
                    Value::Array(items) => pairs.extend(items.iter().map(|i| (k.clone(), text(i)))),
                    other => {
                        pairs.insert((k.clone(), text(other)));
                    }
                }
            }
        }
        pairs
    }

    /// The documented value of the query parameter `name`, when there is one.
    pub fn query(&self, name: &str) -> Option<String> {
        self.query_pairs().into_iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }

    /// The documented value of the header `name`, when there is one.
    pub fn header(&self, name: &str) -> Option<String> {
        self.request_headers
            .as_ref()?
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| text(v))
    }

    /// Whether the docs show a request body (JSON or form).
    pub fn has_body(&self) -> bool {
        self.request_body.is_some() || self.request_form.is_some()
    }

    /// The documented JSON body (or form fields, as a JSON object) as the operation's input.
    pub fn body<T: DeserializeOwned>(&self) -> Result<T, String> {
        let value = match (&self.request_body, &self.request_form) {
            (Some(body), _) => body.clone(),
            (None, Some(form)) => Value::Object(form.clone()),
            (None, None) => return Err("the docs show no body; the operation requires one".into()),
        };
        serde_path_to_error::deserialize(&value).map_err(|e| format!("at `{}`: {}", e.path(), e.inner()))
    }

    /// The documented text of the multipart field `name`.
    pub fn form_text(&self, name: &str) -> Option<String> {
        self.request_form.as_ref()?.get(name).map(text)
    }

    /// The documented file of the multipart field `name` (`@foo.png` in the docs' curl
    /// notation): a small file of that name.
    pub fn file(&self, name: &str) -> Result<dwolla::File, String> {
        let spec = self
            .form_text(name)
            .ok_or_else(|| format!("the docs send no `{name}` part"))?;
        let file_name = spec.strip_prefix('@').unwrap_or(&spec).to_owned();
        Ok(dwolla::File::from_bytes(FILE_BYTES.to_vec(), file_name))
    }
}

/// The contents of every uploaded file.
const FILE_BYTES: &[u8] = b"documented file";

/// A parameter value from its documented text: as a JSON string, else as JSON (numbers,
/// booleans).
pub fn param<T: DeserializeOwned>(name: &str, text: &str) -> Result<T, String> {
    serde_json::from_value(Value::String(text.to_owned()))
        .or_else(|_| serde_json::from_str(text))
        .map_err(|e| format!("the documented `{name}` {text:?} does not fit its type: {e}"))
}

/// A required argument the docs must provide.
pub fn required(name: &str, value: Option<String>) -> Result<String, String> {
    value.ok_or_else(|| format!("the docs do not send the required parameter `{name}`"))
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The verdict on one column of one case.
#[derive(Clone, Debug, PartialEq)]
enum Verdict {
    Pass,
    Fail(String),
    /// Nothing documented to judge, or not reached because the input failed.
    NotJudged(&'static str),
}

impl Verdict {
    fn mark(&self) -> &'static str {
        match self {
            Verdict::Pass => "ok",
            Verdict::Fail(_) => "FAIL",
            Verdict::NotJudged(_) => "-",
        }
    }
}

#[derive(Default)]
struct Column {
    pass: usize,
    fail: usize,
    not_judged: usize,
}

impl Column {
    fn count(&mut self, v: &Verdict) {
        match v {
            Verdict::Pass => self.pass += 1,
            Verdict::Fail(_) => self.fail += 1,
            Verdict::NotJudged(_) => self.not_judged += 1,
        }
    }
}

/// The replay of every case: the mock server, the client, and the verdicts so far.
pub struct Run {
    pub server: MockServer,
    pub client: dwolla::Client,
    columns: [Column; 3],
    no_operation: Vec<String>,
    failed: Vec<String>,
    allowed_failed: Vec<String>,
    passed: usize,
}

impl Run {
    pub async fn start() -> Run {
        let server = MockServer::start().await;
        let client = dwolla::Client::builder()
            .base_url(server.uri())
            .credentials("test-client-id", "test-client-secret")
            .retry(dwolla::RetryPolicy::none())
            .build()
            .expect("a client for the mock server");
        Run {
            server,
            client,
            columns: Default::default(),
            no_operation: Vec::new(),
            failed: Vec::new(),
            allowed_failed: Vec::new(),
            passed: 0,
        }
    }

    /// A case that matches no operation of the spec.
    pub fn no_operation(&mut self, case: &Case) {
        println!("{}  no operation ({} {})", case.id, case.method, case.url);
        self.no_operation.push(case.id.clone());
    }

    /// Serves the documented response to whatever the client sends (the token mock the
    /// generated call mounts for bearer operations takes precedence for `/token`).
    pub async fn prepare(&self, case: &Case) {
        self.server.reset().await;
        let status = case.status().unwrap_or(200);
        let mut template = ResponseTemplate::new(status);
        if let Some(body) = &case.response_body {
            let media = case
                .response_headers
                .as_ref()
                .and_then(|h| h.iter().find(|(k, _)| k.eq_ignore_ascii_case("content-type")))
                .map(|(_, v)| text(v))
                .unwrap_or_else(|| "application/vnd.dwolla.v1.hal+json".to_owned());
            template = template.set_body_raw(body.to_string(), &media);
        }
        for (k, v) in case.response_headers.iter().flatten() {
            if !k.eq_ignore_ascii_case("content-type") {
                template = template.insert_header(k.as_str(), text(v).as_str());
            }
        }
        Mock::given(any()).respond_with(template).with_priority(10).mount(&self.server).await;
    }

    /// Judges one replayed case and prints its line.
    pub async fn judge(&mut self, case: &Case, operation: &str, replayed: Replayed) {
        let (body, request, response) = match replayed {
            Err(e) => (
                Verdict::Fail(e),
                Verdict::NotJudged("not sent: the input failed"),
                Verdict::NotJudged("not sent: the input failed"),
            ),
            Ok(result) => {
                let body = if case.has_body() {
                    Verdict::Pass
                } else {
                    Verdict::NotJudged("the docs show no body")
                };
                (body, self.judge_request(case).await, judge_response(case, result))
            }
        };
        let verdicts = [body, request, response];
        for (column, v) in self.columns.iter_mut().zip(&verdicts) {
            column.count(v);
        }
        println!(
            "{}  {operation:<44} body {:<4} request {:<4} response {:<4}",
            case.id,
            verdicts[0].mark(),
            verdicts[1].mark(),
            verdicts[2].mark()
        );
        let reasons: Vec<String> = ["body", "request", "response"]
            .iter()
            .zip(&verdicts)
            .filter_map(|(name, v)| match v {
                Verdict::Fail(why) => Some(format!("{name}: {why}")),
                _ => None,
            })
            .collect();
        if reasons.is_empty() {
            self.passed += 1;
            if ALLOWED.iter().any(|(id, _)| *id == case.id) {
                self.failed
                    .push(format!("{} ({operation}) passes: remove it from the allowlist", case.id));
            }
        } else {
            for r in &reasons {
                println!("    {r}");
            }
            let line = format!("{} ({operation}): {}", case.id, reasons.join("; "));
            if ALLOWED.iter().any(|(id, _)| *id == case.id) {
                self.allowed_failed.push(line);
            } else {
                self.failed.push(line);
            }
        }
    }

    /// The last request the server received (the token request, if any, comes first) against
    /// the documented one.
    async fn judge_request(&self, case: &Case) -> Verdict {
        let Some(received) = self.server.received_requests().await.and_then(|r| r.last().cloned()) else {
            return Verdict::Fail("the client sent nothing".into());
        };
        let Ok(url) = case.parsed_url() else {
            return Verdict::Fail(format!("the documented URL {:?} does not parse", case.url));
        };
        let mut wrong = Vec::new();
        if !received.method.as_str().eq_ignore_ascii_case(&case.method) {
            wrong.push(format!("method {} instead of {}", received.method, case.method));
        }
        let (sent_path, documented_path) = (percent_decode(received.url.path()), percent_decode(url.path()));
        if sent_path != documented_path {
            wrong.push(format!("path {sent_path} instead of {documented_path}"));
        }
        let sent_query: BTreeSet<(String, String)> = received
            .url
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        let documented_query = case.query_pairs();
        if sent_query != documented_query {
            wrong.push(format!("query {sent_query:?} instead of {documented_query:?}"));
        }
        let content_type = received
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        match (&case.request_body, &case.request_form) {
            (Some(documented), _) => match serde_json::from_slice::<Value>(&received.body) {
                Ok(sent) if &sent == documented => {}
                Ok(sent) => wrong.push(format!("body {sent} instead of {documented}")),
                Err(e) => wrong.push(format!("the body sent is not JSON ({e}): {}", String::from_utf8_lossy(&received.body))),
            },
            (None, Some(form)) if content_type.starts_with("multipart/form-data") => {
                let sent = String::from_utf8_lossy(&received.body);
                for (name, value) in form {
                    let value = text(value);
                    if !sent.contains(&format!("name=\"{name}\"")) {
                        wrong.push(format!("no `{name}` part"));
                    } else if let Some(file) = value.strip_prefix('@') {
                        if !sent.contains(&format!("filename=\"{file}\"")) {
                            wrong.push(format!("the `{name}` part is not the file {file}"));
                        }
                    } else if !sent.contains(&format!("\r\n\r\n{value}\r\n")) {
                        wrong.push(format!("the `{name}` part is not {value:?}"));
                    }
                }
            }
            (None, Some(form)) => {
                let sent: BTreeSet<(String, String)> = url::form_urlencoded::parse(&received.body)
                    .map(|(k, v)| (k.into_owned(), v.into_owned()))
                    .collect();
                let documented: BTreeSet<(String, String)> = form.iter().map(|(k, v)| (k.clone(), text(v))).collect();
                if sent != documented {
                    wrong.push(format!("form {sent:?} instead of {documented:?}"));
                }
            }
            (None, None) => {
                if !received.body.is_empty() {
                    wrong.push(format!(
                        "a body the docs do not send: {}",
                        String::from_utf8_lossy(&received.body)
                    ));
                }
            }
        }
        if wrong.is_empty() {
            Verdict::Pass
        } else {
            Verdict::Fail(wrong.join("; "))
        }
    }

    /// Prints the summary and fails on any case the allowlist does not excuse.
    pub fn finish(self) {
        let names = ["body", "request", "response"];
        let judged = self.passed + self.failed.len() + self.allowed_failed.len();
        println!();
        println!(
            "replayed {judged} documented exchanges with an operation ({} passed, {} failed, {} of them allowed); {} with no operation",
            self.passed,
            self.failed.len() + self.allowed_failed.len(),
            self.allowed_failed.len(),
            self.no_operation.len()
        );
        for (name, c) in names.iter().zip(&self.columns) {
            println!("  {name:<8}: {} ok, {} failed, {} not judged", c.pass, c.fail, c.not_judged);
        }
        for line in &self.allowed_failed {
            let id = line.split(' ').next().unwrap_or("");
            let why = ALLOWED.iter().find(|(a, _)| *a == id).map_or("", |(_, w)| *w);
            println!("  allowed: {id}: {why}");
        }
        assert!(
            self.failed.is_empty(),
            "{} documented exchanges failed:\n{}",
            self.failed.len(),
            self.failed.join("\n")
        );
    }
}

/// The documented response against what the call returned.
fn judge_response(case: &Case, result: Result<Option<String>, String>) -> Verdict {
    let Some(status) = case.status() else {
        return Verdict::NotJudged("the docs show no response");
    };
    let location = case
        .response_headers
        .as_ref()
        .and_then(|h| h.iter().find(|(k, _)| k.eq_ignore_ascii_case("location")))
        .map(|(_, v)| text(v));
    match (result, location) {
        (Err(e), _) => Verdict::Fail(format!("{status}: {e}")),
        (Ok(created), Some(location)) => {
            let trimmed = location.split(['?', '#']).next().unwrap_or(&location).trim_end_matches('/');
            let expected = trimmed.rsplit('/').next().unwrap_or(trimmed);
            match created {
                Some(id) if id == expected => Verdict::Pass,
                Some(id) => Verdict::Fail(format!("the created id is {id:?}, the Location names {expected:?}")),
                None => Verdict::Fail(format!("the Location {location} was not returned as a created resource")),
            }
        }
        (Ok(_), None) => Verdict::Pass,
    }
}
