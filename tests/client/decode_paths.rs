//! Where decoding a model failed, as an error names it, checked against `serde_path_to_error`
//! decoding the same body: the runtime's path scanner (`Error::Decode`'s `path`) and its union
//! decoding (a variant's reason) on the generated models, over the spec's examples, cut at every
//! byte or with one value of the wrong type. (The runtime's own tests check the scanner on
//! local types.)

use dwolla::http::{HeaderMap, StatusCode};
use dwolla::models::{Customer, Transfer, Transfers};
use dwolla::test_util::Spec;
use dwolla_runtime::__private::request::Raw;
use dwolla_runtime::__private::union::{Captured, decode_keeping};
use dwolla_runtime::test_util::MockSpec;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Every example body of the spec's operations.
fn examples() -> Vec<&'static [u8]> {
    Spec::OPERATIONS
        .iter()
        .filter_map(|op| op.body.map(str::as_bytes))
        .collect()
}

/// The path `Error::Decode` names for `body` decoded as `T`, or `None` when it decodes.
fn decode_path<T: DeserializeOwned>(body: &[u8]) -> Option<String> {
    let raw = Raw {
        operation: "decodePaths",
        url: dwolla::reqwest::Url::parse("http://127.0.0.1/").unwrap_or_else(|e| panic!("{e}")),
        status: StatusCode::OK,
        headers: HeaderMap::new(),
        body: bytes::Bytes::copy_from_slice(body),
        span: tracing::Span::none(),
        delivery: dwolla::Delivery::default(),
    };
    match raw.decode::<T, dwolla::ApiErrorBody>() {
        Ok(_) => None,
        Err(dwolla::Error::Decode { path, .. }) => Some(path),
        Err(e) => panic!("not a decoding error: {e}"),
    }
}

/// Panics when the path `Error::Decode` names differs from `serde_path_to_error`'s (which is
/// exact, but for a syntax error inside a property the type ignores, as the models ignore what
/// they do not declare: serde names the property, the scanner the place inside it).
fn check<T: DeserializeOwned>(body: &[u8]) {
    let ours = decode_path::<T>(body);
    let theirs = serde_path_to_error::deserialize::<_, T>(&mut serde_json::Deserializer::from_slice(body));
    let text = String::from_utf8_lossy(body);
    match (ours, theirs) {
        (None, Ok(_)) => {}
        (None, Err(e)) => panic!("only serde_path_to_error fails on {text}: {e}"),
        // serde_path_to_error does not check for trailing characters.
        (Some(ours), Ok(_)) => assert_eq!(ours, ".", "{text}"),
        (Some(ours), Err(t)) => {
            let theirs = t.path().to_string();
            let deeper = t.inner().classify() != serde_json::error::Category::Data
                && (theirs == "."
                    || ours
                        .strip_prefix(&theirs)
                        .is_some_and(|rest| rest.starts_with(['.', '['])));
            assert!(
                ours == theirs || deeper,
                "path {ours:?}, expected {theirs:?}: {} on {text}",
                t.inner()
            );
        }
    }
}

/// `body` as `Value` and as the models with the most nesting.
fn check_models(body: &[u8]) {
    check::<Value>(body);
    check::<Transfer>(body);
    check::<Customer>(body);
}

#[test]
fn the_spec_examples_decode_or_fail_where_serde_path_to_error_says() {
    for body in examples() {
        check_models(body);
        check::<Transfers>(body);
        check::<dwolla::models::SimulateBankTransferProcessingResponse>(body);
    }
}

/// Every example of the spec, cut at every byte (compact) or every few (pretty). The cuts cost
/// the square of an example's size, so the examples are shared out among threads.
#[test]
fn the_spec_examples_cut_anywhere() {
    let bodies = examples();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    std::thread::scope(|scope| {
        for first in 0..threads {
            let bodies = &bodies;
            scope.spawn(move || bodies.iter().skip(first).step_by(threads).for_each(|b| cut_anywhere(b)));
        }
    });
}

fn cut_anywhere(body: &[u8]) {
    let value: Value = serde_json::from_slice(body).unwrap_or_else(|e| panic!("{e}"));
    let pretty = serde_json::to_vec_pretty(&value).unwrap_or_else(|e| panic!("{e}"));
    for (b, step) in [(body, 1), (&pretty[..], 5)] {
        for cut in (0..b.len()).step_by(step) {
            check_models(&b[..cut]);
        }
    }
}

/// How a union variant was decoded before the runtime decoded it from captured text: straight
/// from the `Value`, with serde_path_to_error.
fn from_value<T: DeserializeOwned>(value: &Value) -> Result<T, String> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        if path == "." {
            e.into_inner().to_string()
        } else {
            format!("at `{path}`: {}", e.into_inner())
        }
    })
}

/// A union variant's reason for not fitting is the one decoding the `Value` gives.
fn same<T: DeserializeOwned + Serialize>(value: &Value) {
    let captured = Captured::read(value, &[], None).unwrap_or_else(|e| panic!("{e}"));
    let (ours, theirs) = (decode_keeping::<T>(&captured).err(), from_value::<T>(value).err());
    // One wording differs: a struct given as an array longer than its fields is "trailing
    // characters" to serde_json's reader, "invalid length" to `Value`. The path is the same.
    if let (Some(o), Some(t)) = (&ours, &theirs)
        && let (Some(at), Some((at_t, _))) = (o.strip_suffix("trailing characters"), t.split_once("invalid length"))
    {
        assert_eq!(at, at_t, "{value}");
        return;
    }
    assert_eq!(ours, theirs, "{value}");
}

/// Each example, and each example with one of its values (at any depth) replaced by one of
/// another type.
fn examples_and_their_misfits() -> Vec<Value> {
    let mut out = Vec::new();
    for body in examples() {
        let value: Value = serde_json::from_slice(body).unwrap_or_else(|e| panic!("{e}"));
        let mut pointers = Vec::new();
        leaves(&value, String::new(), &mut pointers);
        for pointer in pointers {
            for misfit in [
                Value::Bool(true),
                Value::from(7),
                Value::from("x"),
                Value::Array(vec![]),
            ] {
                let mut changed = value.clone();
                if let Some(slot) = changed.pointer_mut(&pointer)
                    && std::mem::discriminant(slot) != std::mem::discriminant(&misfit)
                {
                    *slot = misfit;
                    out.push(changed);
                }
            }
        }
        out.push(value);
    }
    out
}

/// The JSON pointers of every value below `value`.
fn leaves(value: &Value, at: String, out: &mut Vec<String>) {
    let children: Vec<(String, &Value)> = match value {
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| (k.replace('~', "~0").replace('/', "~1"), v))
            .collect(),
        Value::Array(items) => items.iter().enumerate().map(|(i, v)| (i.to_string(), v)).collect(),
        _ => Vec::new(),
    };
    for (key, child) in children {
        let pointer = format!("{at}/{key}");
        out.push(pointer.clone());
        leaves(child, pointer, out);
    }
}

#[test]
fn union_reasons_on_the_models_are_those_of_decoding_the_value() {
    for value in examples_and_their_misfits() {
        same::<Transfer>(&value);
        same::<Customer>(&value);
        same::<Transfers>(&value);
    }
}
