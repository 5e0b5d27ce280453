//! Tokens and formatting, file by file, on as many threads as the machine has: token streams
//! cannot cross threads, so each worker generates the tokens of a file and formats them itself.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::codegen::{self, PlannedFile};
use crate::error::Result;
use crate::ir::Ir;

/// Every generated Rust file as formatted text, in plan order, with the time all threads spent
/// on tokens and on formatting.
pub fn rust_files(ir: &Ir, source: &str) -> (Vec<(String, Result<String>)>, Duration, Duration) {
    let plan = codegen::plan(ir);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(plan.len()).max(1);
    let next = AtomicUsize::new(0);
    let done: Mutex<Vec<Option<Result<String>>>> = Mutex::new((0..plan.len()).map(|_| None).collect());
    let spent = Mutex::new((Duration::ZERO, Duration::ZERO));
    let work = || {
        let (mut tokens_time, mut format_time) = (Duration::ZERO, Duration::ZERO);
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(file) = plan.get(i) else { break };
            let t = Instant::now();
            let tokens = codegen::tokens(ir, file);
            tokens_time += t.elapsed();
            let t = Instant::now();
            let text = super::rust_file(&file.path, tokens, source);
            format_time += t.elapsed();
            if let Ok(mut done) = done.lock() {
                done[i] = Some(text);
            }
        }
        if let Ok(mut spent) = spent.lock() {
            spent.0 += tokens_time;
            spent.1 += format_time;
        }
    };
    std::thread::scope(|s| {
        for _ in 1..threads {
            s.spawn(work);
        }
        work();
    });
    let done = done.into_inner().unwrap_or_else(|poisoned| poisoned.into_inner());
    let (tokens_time, format_time) = spent.into_inner().unwrap_or_else(|poisoned| poisoned.into_inner());
    let files = plan
        .into_iter()
        .zip(done)
        .map(|(PlannedFile { path, .. }, text)| {
            let text = text.unwrap_or_else(|| {
                Err(crate::error::Error::InvalidTokens {
                    file: path.clone(),
                    message: "a generating thread stopped before this file".into(),
                })
            });
            (path, text)
        })
        .collect();
    (files, tokens_time, format_time)
}
