//! Tokens and formatting, file by file, on as many threads as the machine has: token streams
//! cannot cross threads, so each worker generates the tokens of a file and formats them itself.
//! What makes a file's tokens is handed in by the caller (`lib.rs` passes the codegen stage):
//! this stage does not call back up into codegen.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use proc_macro2::TokenStream;

use crate::error::Result;

/// What one worker did: the files it made, by plan index, and its time on tokens and formatting.
#[derive(Default)]
struct Work {
    files: Vec<(usize, Result<String>)>,
    tokens: Duration,
    format: Duration,
}

/// Every file of `paths` as formatted text, in order, its tokens from `tokens_of(index)`, with
/// the time all threads spent on tokens and on formatting.
pub fn rust_files<F>(paths: Vec<String>, tokens_of: F, source: &str) -> (Vec<(String, Result<String>)>, Duration, Duration)
where
    F: Fn(usize) -> TokenStream + Sync,
{
    let plan = paths;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(plan.len()).max(1);
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Work::default();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(path) = plan.get(i) else { return done };
            let t = Instant::now();
            let tokens = tokens_of(i);
            done.tokens += t.elapsed();
            let t = Instant::now();
            done.files.push((i, super::rust_file(path, tokens, source)));
            done.format += t.elapsed();
        }
    };
    let workers: Vec<Work> = std::thread::scope(|s| {
        let helpers: Vec<_> = (1..threads).map(|_| s.spawn(work)).collect();
        let mut all = vec![work()];
        for helper in helpers {
            // A worker that panicked panics here, as the same code on one thread would.
            all.push(helper.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)));
        }
        all
    });
    let (mut tokens, mut format) = (Duration::ZERO, Duration::ZERO);
    let mut texts: Vec<(usize, Result<String>)> = Vec::with_capacity(plan.len());
    for w in workers {
        tokens += w.tokens;
        format += w.format;
        texts.extend(w.files);
    }
    texts.sort_by_key(|(i, _)| *i);
    let files = plan.into_iter().zip(texts).map(|(path, (_, text))| (path, text)).collect();
    (files, tokens, format)
}
