//! The matrix of `tests/at_most_once.rs`: every operation it lists, under every retry policy
//! kind and without a key, against every fault point of the fault server, all at once on one
//! server and one client. The caller resumes as the README says: a call that Dwolla may have
//! acted on ([`Error::may_have_acted`]: no answer, a `409` or a `5xx`) is sent again under the
//! error's Idempotency-Key; a create whose read-back failed (its error carries the `Created`) is not
//! sent again. The checks are on the server's side: no case was acted on twice.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use dwolla::{Error, RetryPolicy, Sent};

use crate::fault_server::{Answer, CaseReport, FaultPoint, FaultServer, SLOW_ACT_TIMEOUT};

/// How many times the caller resumes one logical request.
const MAX_RESUMES: u32 = 4;

/// The Idempotency-Key the caller asks for on one send.
pub enum Key {
    /// The fresh key every `POST` gets.
    Fresh,
    /// The key of an earlier send: the resume.
    Resume(String),
    /// `without_idempotency_key()`.
    Without,
}

/// One send of an operation: its case, its policy and attempt timeout (the client's when
/// `None`) and its key.
pub struct Sending {
    pub case: usize,
    pub policy: Option<RetryPolicy>,
    pub timeout: Option<Duration>,
    pub key: Key,
}

/// An operation's typed call; `Err` when its example arguments do not decode.
pub type Call = fn(dwolla::Client, Sending) -> Pin<Box<dyn Future<Output = Result<Result<(), Error>, String>> + Send>>;

/// One `POST` operation of the spec.
pub struct Operation {
    pub id: &'static str,
    pub answer: Answer,
    /// Whether it has `fetch_created()`, which the matrix calls.
    pub fetches_created: bool,
    pub call: Call,
}

/// The policies of the matrix.
#[derive(Clone, Copy, Debug)]
enum Policy {
    Default,
    NoRetries,
    Custom,
    /// The default policy, sent `without_idempotency_key()`.
    Keyless,
}

impl Policy {
    const ALL: [Policy; 4] = [Policy::Default, Policy::NoRetries, Policy::Custom, Policy::Keyless];

    fn retry(self) -> Option<RetryPolicy> {
        match self {
            Policy::Default | Policy::Keyless => None,
            Policy::NoRetries => Some(RetryPolicy::none()),
            Policy::Custom => Some(
                RetryPolicy::default()
                    .max_attempts(2)
                    .initial_backoff(Duration::from_millis(20))
                    .max_backoff(Duration::from_millis(50)),
            ),
        }
    }

    /// How many of a case's first requests fail: one (a retry recovers) and every attempt
    /// of one call (only a resume recovers).
    fn fault_counts(self) -> &'static [u32] {
        match self {
            Policy::Default => &[1, 3],
            Policy::Custom => &[1, 2],
            Policy::NoRetries | Policy::Keyless => &[1],
        }
    }
}

/// One logical request: an operation, a policy and a fault.
struct Case<'a> {
    op: &'a Operation,
    policy: Policy,
    fault: (FaultPoint, u32),
    id: usize,
}

/// What the caller saw of one error.
#[derive(Debug)]
struct Seen {
    sent: Sent,
    key: Option<String>,
    created: Option<String>,
    error: String,
}

/// Runs the matrix over `operations`, prints its counts and fails on any case acted on twice
/// or any error that left the caller unable to resume.
pub async fn run(operations: Vec<Operation>) {
    let server = FaultServer::start().await;
    let client = dwolla::Client::builder()
        .base_url(server.uri())
        .credentials("fault-client", "fault-secret")
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let cases = cases(&server, &operations);
    // The slow cases run on their own, once the rest are done: their attempt timeout is short,
    // and a loaded machine would make it fire before the request reached the server.
    let slow = |c: &&Case<'_>| c.fault.0 == FaultPoint::SlowAct;
    let mut driven = futures::future::join_all(cases.iter().filter(|c| !slow(c)).map(|c| drive(&client, c))).await;
    driven.extend(futures::future::join_all(cases.iter().filter(slow).map(|c| drive(&client, c))).await);
    let cases: Vec<&Case<'_>> = cases.iter().filter(|c| !slow(c)).chain(cases.iter().filter(slow)).collect();
    server.settled().await;
    let mut failures = reused_keys(&server, &client, &operations).await;
    let (mut faults, mut conflicts, mut created, mut duplicates) = (0, 0, 0, 0);
    for (case, seen) in cases.iter().zip(driven) {
        let report = server.report(case.id);
        faults += report.faults;
        conflicts += report.conflicts;
        created += report.actions;
        duplicates += report.actions.saturating_sub(1);
        failures.extend(check(case, &report, seen).into_iter().map(|f| {
            format!("{} {:?} {:?}: {f}; server saw {report:?}", case.op.id, case.policy, case.fault)
        }));
    }
    println!(
        "logical requests: {} (and {} sent under another's key), operations: {}, faults injected: {faults}, answered 409 in progress: {conflicts}, resources created: {created}, duplicates: {duplicates}",
        cases.len(),
        operations.len(),
        operations.len()
    );
    for f in failures.iter().take(20) {
        println!("FAILED: {f}");
    }
    assert_eq!(duplicates, 0, "a logical request was acted on more than once");
    assert!(failures.is_empty(), "{} of {} cases failed", failures.len(), cases.len());
}

/// Every operation sent under the key another operation was sent under first: a key reused
/// with another request is refused (`400 InvalidIdempotencyKey`) and not acted on.
async fn reused_keys(server: &FaultServer, client: &dwolla::Client, operations: &[Operation]) -> Vec<String> {
    let pairs = operations.iter().zip(operations.iter().cycle().skip(1)).enumerate();
    let refused = futures::future::join_all(pairs.map(|(i, (op, other))| reuse_key(server, client, i, op, other))).await;
    refused.into_iter().flatten().collect()
}

/// Sends `op` under a key, then `other` under the same key: what is wrong with the answer.
async fn reuse_key(server: &FaultServer, client: &dwolla::Client, i: usize, op: &Operation, other: &Operation) -> Option<String> {
    let key = format!("reused-key-{i}");
    let (first, second) = (server.add_case(op.answer, None), server.add_case(other.answer, None));
    let sending = |case| Sending { case, policy: Some(RetryPolicy::none()), timeout: None, key: Key::Resume(key.clone()) };
    let _ = (op.call)(client.clone(), sending(first)).await;
    let answer = (other.call)(client.clone(), sending(second)).await;
    let actions = server.report(second).actions;
    match answer {
        Ok(Err(e)) if actions == 0 && e.code() == Some("InvalidIdempotencyKey") => None,
        answer => Some(format!(
            "{} under the key of {}: acted on {actions} times, answered {:?}",
            other.id,
            op.id,
            answer.map(|r| r.map_err(|e| e.to_string()))
        )),
    }
}

/// Every case of the matrix, registered with the server.
fn cases<'a>(server: &FaultServer, operations: &'a [Operation]) -> Vec<Case<'a>> {
    let mut cases = Vec::new();
    for op in operations {
        for policy in Policy::ALL {
            for point in FaultPoint::ALL {
                if point.on_read_back() && !op.fetches_created {
                    continue;
                }
                for &times in policy.fault_counts() {
                    let id = server.add_case(op.answer, Some((point, times)));
                    cases.push(Case { op, policy, fault: (point, times), id });
                }
            }
        }
    }
    cases
}

/// What the caller saw of one logical request: every error, and whether its last call still
/// failed in a way the caller would resume (it ran out of resumes).
struct Driven {
    seen: Vec<Seen>,
    out_of_resumes: bool,
}

/// Sends a case's request and resumes it as the README says, a bounded number of times.
async fn drive(client: &dwolla::Client, case: &Case<'_>) -> Result<Driven, String> {
    let keyless = matches!(case.policy, Policy::Keyless);
    let mut key = if keyless { Key::Without } else { Key::Fresh };
    let timeout = (case.fault.0 == FaultPoint::SlowAct).then_some(SLOW_ACT_TIMEOUT);
    let mut seen = Vec::new();
    for _ in 0..=MAX_RESUMES {
        let sending = Sending { case: case.id, policy: case.policy.retry(), timeout, key };
        let Err(e) = (case.op.call)(client.clone(), sending).await? else {
            return Ok(Driven { seen, out_of_resumes: false });
        };
        let in_progress = e.status() == Some(http::StatusCode::CONFLICT);
        let may_have_acted = e.may_have_acted();
        let error = Seen {
            sent: e.sent(),
            key: e.idempotency_key().map(str::to_owned),
            created: e.created().map(|c| c.id.clone()),
            error: e.to_string(),
        };
        let resume = match (&error, keyless) {
            // Dwolla never saw it: sending it again is safe, with or without a key.
            (Seen { sent: Sent::NotSent, .. }, true) => Key::Without,
            (Seen { sent: Sent::NotSent, key, .. }, false) => key.clone().map_or(Key::Fresh, Key::Resume),
            // It may have been acted on (`Error::may_have_acted`, the README's rule): only its
            // key makes sending it again safe. Dwolla still acting on the first request (`409`):
            // ask again under its key a little later.
            (Seen { key: Some(k), created: None, .. }, false) if may_have_acted => {
                if in_progress {
                    tokio::time::sleep(SLOW_ACT_TIMEOUT).await;
                }
                Key::Resume(k.clone())
            }
            // Answered, created, or no key to resume under: the caller stops.
            _ => {
                seen.push(error);
                return Ok(Driven { seen, out_of_resumes: false });
            }
        };
        seen.push(error);
        key = resume;
    }
    Ok(Driven { seen, out_of_resumes: true })
}

/// What is wrong with a case: the server's count and the errors the caller saw.
fn check(case: &Case<'_>, report: &CaseReport, driven: Result<Driven, String>) -> Vec<String> {
    let Driven { seen, out_of_resumes } = match driven {
        Ok(driven) => driven,
        Err(e) => return vec![format!("the call could not be made: {e}")],
    };
    let mut wrong = Vec::new();
    if report.actions > 1 {
        wrong.push(format!("acted on {} times", report.actions));
    }
    if matches!(case.policy, Policy::Keyless) {
        if report.requests > 1 {
            wrong.push(format!("a request without a key was sent {} times", report.requests));
        }
        return wrong;
    }
    let first_key = seen.iter().find_map(|s| s.key.clone());
    for s in &seen {
        let resumable = s.sent == Sent::NotSent || s.key.is_some() || s.created.is_some();
        if !resumable {
            wrong.push(format!("an error left nothing to resume with ({:?}, no key, no Created): {}", s.sent, s.error));
        }
        if s.key.is_some() && s.key != first_key {
            wrong.push(format!("the resume changed the key: {s:?}"));
        }
        if let Some(id) = &s.created {
            if report.created.first() != Some(id) {
                wrong.push(format!("the Created names {id}, not the resource the server made"));
            }
        }
    }
    if report.actions != 1 {
        wrong.push(format!("the resumes did not reach the resource (acted on {} times)", report.actions));
    }
    if out_of_resumes {
        wrong.push(format!("still unanswered after {MAX_RESUMES} resumes: {:?}", seen.last()));
    }
    wrong
}
