//! The fault server of `tests/at_most_once.rs`: raw HTTP/1.1 on a loopback `TcpListener`, so
//! that it can fail at every point of an exchange, playing Dwolla's idempotency rules
//! (`dwolla::test_util::idempotency`). It answers the token endpoint, and every other `POST`
//! through the ledger: "acting" creates a resource, counted per logical request (a case, named
//! by the [`CASE_HEADER`] every request of the case carries). A `201` answers with a `Location`
//! on the server's own base URL, `/<collection>/<case>-<n>`, and a `GET` of it answers the
//! created resource's example (`{}` where the spec has none). Each case may inject one
//! [`FaultPoint`] into its first requests.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use dwolla::test_util::idempotency::{
    mismatch_body, Admission, IdempotencyLedger, IN_PROGRESS_STATUS, MISMATCH_STATUS,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The header naming the case (the logical request) a request belongs to.
pub const CASE_HEADER: &str = "x-fault-case";

/// The longest request head the server reads.
const MAX_HEAD: usize = 16 * 1024;

/// How long [`FaultPoint::SlowAct`] holds a key in progress: longer than [`SLOW_ACT_TIMEOUT`].
const SLOW_ACT_HOLD: Duration = Duration::from_millis(800);

/// The attempt timeout a caller sets on a [`FaultPoint::SlowAct`] case, so that it gives up on
/// the first attempt while the server is still acting on it.
pub const SLOW_ACT_TIMEOUT: Duration = Duration::from_millis(300);

/// Where an exchange fails.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FaultPoint {
    /// The connection is closed before the request is read (the server only peeks at its head
    /// to know whose it is).
    CloseBeforeReading,
    /// The request is read, then the connection closed before acting on it.
    CloseBeforeActing,
    /// The server acts, then closes before answering.
    CloseBeforeAnswering,
    /// The server acts, sends the status line and some headers, and closes.
    CutHeaders,
    /// The server acts, sends the headers and part of the body, and closes.
    CutBody,
    /// The server takes the request, holds its key in progress for longer than the caller's
    /// attempt timeout ([`SLOW_ACT_TIMEOUT`]), then acts: a repeat meanwhile gets `409`.
    SlowAct,
    /// The create succeeds; the `GET` of its `Location` answers `503`.
    ReadBack503,
    /// The create succeeds; the `GET` of its `Location` is closed unanswered.
    ReadBackClose,
}

impl FaultPoint {
    /// Every fault point.
    pub const ALL: [FaultPoint; 8] = [
        FaultPoint::CloseBeforeReading,
        FaultPoint::CloseBeforeActing,
        FaultPoint::CloseBeforeAnswering,
        FaultPoint::CutHeaders,
        FaultPoint::CutBody,
        FaultPoint::SlowAct,
        FaultPoint::ReadBack503,
        FaultPoint::ReadBackClose,
    ];

    /// Whether the fault hits the read-back of a create rather than the operation's request.
    pub fn on_read_back(self) -> bool {
        matches!(self, FaultPoint::ReadBack503 | FaultPoint::ReadBackClose)
    }
}

/// What an operation's request gets when the server acts on it: the spec's success answer.
#[derive(Clone, Copy, Debug)]
pub struct Answer {
    pub status: u16,
    pub body: Option<&'static str>,
    /// The collection a `Location` names (`transfers`), when the answer has one.
    pub collection: Option<&'static str>,
    /// The body of a `GET` of the `Location`: the created resource's example, or `{}`.
    pub read_back: &'static str,
}

/// What the server saw of one case.
#[derive(Clone, Debug, Default)]
pub struct CaseReport {
    /// The operation's requests received (faulted ones included).
    pub requests: u32,
    /// The times the server acted: resources created.
    pub actions: u32,
    /// The ids of the resources created.
    pub created: Vec<String>,
    /// The faults injected.
    pub faults: u32,
    /// The requests answered `409`: their key was still in progress.
    pub conflicts: u32,
}

/// One case: the operation's answer, its fault and what the server saw.
struct Case {
    answer: Answer,
    fault: Option<(FaultPoint, u32)>,
    reads: u32,
    report: CaseReport,
}

/// An answer as the ledger stores it, to replay.
#[derive(Clone, Debug)]
struct Stored {
    status: u16,
    location: Option<String>,
    body: Vec<u8>,
}

struct State {
    base: String,
    /// Requests taken whose action is still to come ([`FaultPoint::SlowAct`]).
    holding: usize,
    started: Instant,
    ledger: IdempotencyLedger<Stored>,
    cases: Vec<Case>,
}

/// The loopback server; it runs until the test's runtime ends.
#[derive(Clone)]
pub struct FaultServer {
    state: Arc<Mutex<State>>,
    base: String,
}

impl FaultServer {
    /// Binds `127.0.0.1:0` and serves every connection on a task of its own.
    pub async fn start() -> FaultServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
        let base = format!("http://{}", listener.local_addr().expect("local address"));
        let state = Arc::new(Mutex::new(State {
            base: base.clone(),
            holding: 0,
            started: Instant::now(),
            ledger: IdempotencyLedger::new(),
            cases: Vec::new(),
        }));
        let server = FaultServer { state, base };
        let accepting = server.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let s = accepting.clone();
                tokio::spawn(async move { s.serve(stream).await });
            }
        });
        server
    }

    /// The base URL.
    pub fn uri(&self) -> &str {
        &self.base
    }

    /// A new case answered with `answer`, whose first `times` requests (or read-backs, for a
    /// read-back fault) fail at `fault`; its number goes in [`CASE_HEADER`].
    pub fn add_case(&self, answer: Answer, fault: Option<(FaultPoint, u32)>) -> usize {
        let mut state = self.lock();
        state.cases.push(Case { answer, fault, reads: 0, report: CaseReport::default() });
        state.cases.len() - 1
    }

    /// What the server saw of case `case`.
    pub fn report(&self, case: usize) -> CaseReport {
        self.lock().cases.get(case).map(|c| c.report.clone()).unwrap_or_default()
    }

    /// Waits until no action is still to come, so that the reports are final.
    pub async fn settled(&self) {
        while self.lock().holding > 0 {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Serves the requests of one connection until it closes or a fault closes it.
    async fn serve(&self, mut stream: TcpStream) {
        while let Some(head) = peek_head(&stream).await {
            let served = match route(&head) {
                Route::Token => self.token(&mut stream, &head).await,
                Route::Operation(case) => self.operation(&mut stream, &head, case).await,
                Route::ReadBack(case) => self.read_back(&mut stream, &head, case).await,
                Route::Unknown => consume(&mut stream, &head).await.is_some() && write(&mut stream, 404, None, b"{}").await,
            };
            if !served {
                return;
            }
        }
    }

    async fn token(&self, stream: &mut TcpStream, head: &Head) -> bool {
        let token = br#"{"access_token":"fault-server-token","token_type":"Bearer","expires_in":3600}"#;
        consume(stream, head).await.is_some() && write(stream, 200, None, token).await
    }

    /// An operation's request: the fault of its number, the ledger, the answer.
    async fn operation(&self, stream: &mut TcpStream, head: &Head, case: usize) -> bool {
        let fault = self.next_request(case);
        if fault == Some(FaultPoint::CloseBeforeReading) {
            return false;
        }
        let Some(body) = consume(stream, head).await else { return false };
        if fault == Some(FaultPoint::CloseBeforeActing) {
            return false;
        }
        let key = head.header("idempotency-key");
        let stored = match self.admit(case, head, &body) {
            Ok(Some(replay)) => replay,
            Ok(None) => self.act(case, key, fault == Some(FaultPoint::SlowAct)).await,
            Err((status, body)) => return write(stream, status, None, &body).await,
        };
        match fault {
            Some(FaultPoint::CloseBeforeAnswering) => false,
            Some(FaultPoint::CutHeaders) => {
                let cut = format!("HTTP/1.1 {} Created\r\nContent-Type: application/json\r\n", stored.status);
                let _ = stream.write_all(cut.as_bytes()).await;
                false
            }
            Some(FaultPoint::CutBody) => {
                let cut = format!(
                    "HTTP/1.1 {} OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{{\"_li",
                    stored.status,
                    stored.body.len() + 64
                );
                let _ = stream.write_all(cut.as_bytes()).await;
                false
            }
            _ => write(stream, stored.status, stored.location.as_deref(), &stored.body).await,
        }
    }

    /// Counts a request of `case` and returns the fault it is to meet.
    fn next_request(&self, case: usize) -> Option<FaultPoint> {
        let mut state = self.lock();
        let c = state.cases.get_mut(case)?;
        c.report.requests += 1;
        let (point, times) = c.fault?;
        (!point.on_read_back() && c.report.requests <= times).then(|| {
            c.report.faults += 1;
            point
        })
    }

    /// The ledger's decision on a request: `None` to act on it (its key is then in progress),
    /// the answer to replay, or the status and body of a refusal.
    fn admit(&self, case: usize, head: &Head, body: &[u8]) -> Result<Option<Stored>, (u16, Vec<u8>)> {
        let mut state = self.lock();
        let now = state.started.elapsed();
        let key = head.header("idempotency-key");
        let fingerprint = fingerprint(head, body);
        match state.ledger.begin(key, &fingerprint, now) {
            Admission::Act => Ok(None),
            Admission::Replay(stored) => Ok(Some(stored)),
            Admission::InProgress => {
                if let Some(c) = state.cases.get_mut(case) {
                    c.report.conflicts += 1;
                }
                Err((IN_PROGRESS_STATUS, br#"{"code":"Conflict","message":"in progress"}"#.to_vec()))
            }
            Admission::Mismatch => Err((MISMATCH_STATUS, mismatch_body().to_string().into_bytes())),
        }
    }

    /// Acts on an admitted request of `case`, after holding its key in progress when `slow`,
    /// and records the answer under its key.
    async fn act(&self, case: usize, key: Option<&str>, slow: bool) -> Stored {
        if slow {
            self.lock().holding += 1;
            tokio::time::sleep(SLOW_ACT_HOLD).await;
        }
        let mut state = self.lock();
        if slow {
            state.holding -= 1;
        }
        let stored = state.act(case);
        state.ledger.finish(key, stored.clone());
        stored
    }

    /// The `GET` of a created resource's `Location`.
    async fn read_back(&self, stream: &mut TcpStream, head: &Head, case: usize) -> bool {
        let fault = {
            let mut state = self.lock();
            state.cases.get_mut(case).and_then(|c| {
                c.reads += 1;
                let (point, times) = c.fault?;
                (point.on_read_back() && c.reads <= times).then(|| {
                    c.report.faults += 1;
                    point
                })
            })
        };
        let known = {
            let state = self.lock();
            state.cases.get(case).and_then(|c| {
                let id = head.path.rsplit('/').next()?;
                c.report.created.iter().any(|x| x == id).then_some(c.answer.read_back)
            })
        };
        if consume(stream, head).await.is_none() {
            return false;
        }
        match (fault, known) {
            (Some(FaultPoint::ReadBackClose), _) => false,
            (Some(_), _) => write(stream, 503, None, b"{}").await,
            (None, Some(body)) => write(stream, 200, None, body.as_bytes()).await,
            (None, None) => write(stream, 404, None, br#"{"code":"NotFound","message":"not found"}"#).await,
        }
    }
}

impl State {
    /// Acts on a request of `case`: creates a resource and returns the answer.
    fn act(&mut self, case: usize) -> Stored {
        let base = self.base.clone();
        let Some(c) = self.cases.get_mut(case) else {
            return Stored { status: 404, location: None, body: b"{}".to_vec() };
        };
        c.report.actions += 1;
        let id = format!("{case}-{}", c.report.actions);
        c.report.created.push(id.clone());
        Stored {
            status: c.answer.status,
            location: c.answer.collection.map(|col| format!("{base}/{col}/{id}")),
            body: c.answer.body.unwrap_or("").as_bytes().to_vec(),
        }
    }
}

/// What identifies a request for the ledger: method, path and body, with a multipart boundary
/// (which each send chooses afresh) taken out.
fn fingerprint(head: &Head, body: &[u8]) -> Vec<u8> {
    let mut out = format!("{} {}\n", head.method, head.path).into_bytes();
    let boundary = head
        .header("content-type")
        .and_then(|t| t.split("boundary=").nth(1))
        .map(|b| b.trim_matches('"').as_bytes().to_vec());
    match boundary.filter(|b| !b.is_empty()) {
        Some(b) => {
            let mut rest = body;
            while let Some(at) = rest.windows(b.len()).position(|w| w == b.as_slice()) {
                out.extend_from_slice(&rest[..at]);
                rest = &rest[at + b.len()..];
            }
            out.extend_from_slice(rest);
        }
        None => out.extend_from_slice(body),
    }
    out
}

/// A request's head: its request line and headers (names lower-cased), and its length.
struct Head {
    method: String,
    path: String,
    headers: HashMap<String, String>,
    len: usize,
}

impl Head {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }
}

enum Route {
    Token,
    Operation(usize),
    ReadBack(usize),
    Unknown,
}

fn route(head: &Head) -> Route {
    if head.method == "POST" && head.path == "/token" {
        return Route::Token;
    }
    if head.method == "GET" {
        // A created resource's id is `<case>-<n>`.
        let id = head.path.rsplit('/').next().unwrap_or("");
        return match id.split_once('-').and_then(|(c, _)| c.parse().ok()) {
            Some(case) => Route::ReadBack(case),
            None => Route::Unknown,
        };
    }
    match head.header(CASE_HEADER).and_then(|c| c.parse().ok()) {
        Some(case) => Route::Operation(case),
        None => Route::Unknown,
    }
}

/// Waits for a whole request head without consuming it, so that a fault can close the
/// connection before the request is read. `None` when the connection ends first.
async fn peek_head(stream: &TcpStream) -> Option<Head> {
    let mut buf = vec![0u8; MAX_HEAD];
    for _ in 0..5_000 {
        let n = stream.peek(&mut buf).await.ok()?;
        if n == 0 {
            return None;
        }
        if let Some(end) = buf[..n].windows(4).position(|w| w == b"\r\n\r\n") {
            return parse_head(&buf[..end + 4]);
        }
        if n == MAX_HEAD {
            return None;
        }
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    None
}

fn parse_head(bytes: &[u8]) -> Option<Head> {
    let text = std::str::from_utf8(bytes).ok()?;
    let mut lines = text.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let (method, target) = (first.next()?.to_owned(), first.next()?);
    let path = target.split('?').next().unwrap_or("").to_owned();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    Some(Head { method, path, headers, len: bytes.len() })
}

/// Reads the request whose head was peeked: the head, then its body (by `Content-Length` or
/// chunked). `None` when the connection breaks.
async fn consume(stream: &mut TcpStream, head: &Head) -> Option<Vec<u8>> {
    let mut skip = vec![0u8; head.len];
    stream.read_exact(&mut skip).await.ok()?;
    if head.header("transfer-encoding").is_some_and(|t| t.eq_ignore_ascii_case("chunked")) {
        return read_chunked(stream).await;
    }
    let len: usize = head.header("content-length").and_then(|l| l.parse().ok()).unwrap_or(0);
    let mut body = vec![0u8; len.min(16 * 1024 * 1024)];
    stream.read_exact(&mut body).await.ok()?;
    Some(body)
}

async fn read_chunked(stream: &mut TcpStream) -> Option<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let line = read_line(stream).await?;
        let size = usize::from_str_radix(line.split(';').next()?.trim(), 16).ok()?;
        if size == 0 {
            // Trailers, up to the empty line.
            while !read_line(stream).await?.is_empty() {}
            return Some(body);
        }
        let start = body.len();
        body.resize(start + size, 0);
        stream.read_exact(&mut body[start..]).await.ok()?;
        read_line(stream).await?;
    }
}

async fn read_line(stream: &mut TcpStream) -> Option<String> {
    let mut line = Vec::new();
    loop {
        let byte = stream.read_u8().await.ok()?;
        if byte == b'\n' {
            return String::from_utf8(line).ok().map(|l| l.trim_end_matches('\r').to_owned());
        }
        line.push(byte);
        if line.len() > MAX_HEAD {
            return None;
        }
    }
}

/// Writes a whole answer; whether the connection is still good.
async fn write(stream: &mut TcpStream, status: u16, location: Option<&str>, body: &[u8]) -> bool {
    let location = location.map(|l| format!("Location: {l}\r\n")).unwrap_or_default();
    let head = format!(
        "HTTP/1.1 {status} Answer\r\nContent-Type: application/vnd.dwolla.v1.hal+json\r\n{location}Content-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.is_ok() && stream.write_all(body).await.is_ok()
}
