//! Fuzzing the decoders (`tests/decoders.rs`): arbitrary bytes, arbitrary JSON values and
//! mutated spec examples go through the decoder of every response body type. Decoding may fail;
//! it must never panic. The generated test lists the decoders and the examples; this file,
//! written once by hand, runs them.

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::Value;

/// Whether `bytes` decode as `T`.
pub fn decode<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> bool {
    serde_json::from_slice::<T>(bytes).is_ok()
}

/// A response type's name and a function that decodes bytes into it.
pub type Decoder = (&'static str, fn(&[u8]) -> bool);

/// Runs every kind of hostile input through every decoder; `seeds` are the spec's examples of
/// the response types, to mutate.
pub fn no_decoder_panics(decoders: &[Decoder], seeds: &[&str]) {
    let mut total = 0;
    total += run(decoders, "arbitrary bytes", 1000, proptest::collection::vec(any::<u8>(), 0..256), |b| b);
    total += run(decoders, "arbitrary JSON", 1000, json(), |v| serde_json::to_vec(&v).unwrap_or_default());
    let seeds: Vec<Value> = seeds.iter().filter_map(|s| serde_json::from_str(s).ok()).collect();
    assert!(!seeds.is_empty());
    let mutated = (0..seeds.len(), 0usize..64, json()).prop_map(move |(i, at, with)| {
        let mut v = seeds[i].clone();
        let mut at = at;
        mutate(&mut v, &mut at, &with);
        v
    });
    total += run(decoders, "mutated spec examples", 2000, mutated, |v| serde_json::to_vec(&v).unwrap_or_default());
    println!("decoder fuzzing: {total} executions in all, 0 panics");
}

/// Arbitrary JSON, with the keys and values Dwolla's bodies are made of among them.
fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map(Value::Number).unwrap_or(Value::Null)),
        "[a-zA-Z0-9_:./ -]{0,24}".prop_map(Value::String),
        Just(Value::String("2024-03-25T17:13:38.430Z".into())),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::btree_map("[a-zA-Z_-]{1,12}|_links|_embedded|href|id|status|type|code", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Replaces the node at a random position (by index into a walk) with `with`.
fn mutate(v: &mut Value, target: &mut usize, with: &Value) -> bool {
    if *target == 0 {
        *v = with.clone();
        return true;
    }
    *target -= 1;
    match v {
        Value::Array(items) => items.iter_mut().any(|x| mutate(x, target, with)),
        Value::Object(map) => map.values_mut().any(|x| mutate(x, target, with)),
        _ => false,
    }
}

/// Runs `cases` inputs of `strategy` through every decoder; the number of decodes.
fn run<S: Strategy>(decoders: &[Decoder], name: &str, cases: u32, strategy: S, bytes_of: impl Fn(S::Value) -> Vec<u8>) -> usize
where
    S::Value: std::fmt::Debug,
{
    let mut runner = TestRunner::new(Config { cases, failure_persistence: None, ..Config::default() });
    let executions = std::cell::Cell::new(0usize);
    let result = runner.run(&strategy, |input| {
        let bytes = bytes_of(input);
        for (_, decoder) in decoders {
            decoder(&bytes);
            executions.set(executions.get() + 1);
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{name}: {e}");
    }
    println!("{name}: {} decodes ({cases} inputs x {} decoders), no panic", executions.get(), decoders.len());
    executions.get()
}
