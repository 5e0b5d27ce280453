//! Chooses the variant of a `oneOf` deliberately: by discriminator when the spec declares one,
//! otherwise by what the JSON object contains (required properties, constant values), trying
//! the most specific candidates first. Of the candidates that decode, the first that keeps
//! every property of the object wins: a variant that does not declare a property would drop
//! it without a word (an update of a verified customer's address read as a name change). When
//! nothing fits, the error says, for every variant, why it did not.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// What a JSON value must look like to be one variant.
#[derive(Debug)]
pub(crate) struct Variant {
    pub name: &'static str,
    pub required: &'static [&'static str],
    /// `(property, value)` pairs that must hold when the property is present.
    pub equals: &'static [(&'static str, &'static str)],
    /// The variant is an object.
    pub object: bool,
}

/// Picks and decodes the variant of `type_name` that `value` is. `decode(i)` decodes variant
/// `i`, with whether it kept every property of `value`, or says why it could not.
pub(crate) fn select<T>(
    type_name: &str,
    value: &Value,
    variants: &[Variant],
    discriminator: Option<(&str, &[(&str, usize)])>,
    decode: impl Fn(usize) -> Result<(T, bool), String>,
) -> Result<T, String> {
    let mut reasons: Vec<(usize, String)> = Vec::new();
    let candidates: Vec<usize> = match discriminator {
        Some((property, mapping)) => match value.get(property).and_then(Value::as_str) {
            Some(tag) => match mapping.iter().find(|(k, _)| *k == tag) {
                Some((_, i)) => vec![*i],
                None => {
                    let known: Vec<&str> = mapping.iter().map(|(k, _)| *k).collect();
                    return Err(format!(
                        "{type_name}: `{property}` is {tag:?}, which names no variant (known: {})",
                        known.join(", ")
                    ));
                }
            },
            None => return Err(format!("{type_name}: the discriminator `{property}` is missing")),
        },
        None => {
            let mut fitting = Vec::new();
            for (i, v) in variants.iter().enumerate() {
                match fits(v, value) {
                    Ok(score) => fitting.push((i, score)),
                    Err(why) => reasons.push((i, why)),
                }
            }
            // Most specific first; equal scores keep the spec's order.
            fitting.sort_by_key(|f| std::cmp::Reverse(f.1));
            fitting.into_iter().map(|(i, _)| i).collect()
        }
    };
    let mut lossy = None;
    for i in candidates {
        match decode(i) {
            Ok((v, true)) => return Ok(v),
            Ok((v, false)) => {
                lossy.get_or_insert(v);
            }
            Err(e) => reasons.push((i, e)),
        }
    }
    // Every variant that decodes drops something (a property Dwolla added since the spec):
    // the most specific one.
    if let Some(v) = lossy {
        return Ok(v);
    }
    reasons.sort_by_key(|r| r.0);
    let detail: Vec<String> = reasons
        .iter()
        .map(|(i, why)| format!("{} ({why})", variants.get(*i).map_or("?", |v| v.name)))
        .collect();
    Err(format!("no variant of {type_name} fits: {}", detail.join("; ")))
}

/// `Ok(specificity)` when `value` passes the variant's shape tests, else why not.
fn fits(v: &Variant, value: &Value) -> Result<usize, String> {
    if !v.object {
        return Ok(0);
    }
    let Some(object) = value.as_object() else {
        return Err(format!("expected an object, found {}", kind(value)));
    };
    let missing: Vec<String> = v
        .required
        .iter()
        .filter(|r| !object.contains_key(**r))
        .map(|r| format!("`{r}`"))
        .collect();
    if !missing.is_empty() {
        return Err(format!("missing {}", missing.join(", ")));
    }
    for (property, expected) in v.equals {
        if let Some(actual) = object.get(*property) {
            if actual.as_str() != Some(expected) {
                return Err(format!("`{property}` is {actual}, expected {expected:?}"));
            }
        }
    }
    Ok(v.required.len() + 2 * v.equals.len())
}

/// Decodes one variant, naming the path inside it where decoding failed.
pub(crate) fn decode<T: DeserializeOwned>(value: &Value) -> Result<T, String> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        if path == "." {
            e.into_inner().to_string()
        } else {
            format!("at `{path}`: {}", e.into_inner())
        }
    })
}

/// Decodes one variant, and says whether it kept every property of `value`: whether encoding
/// it again gives every property back.
pub(crate) fn decode_keeping<T: DeserializeOwned + Serialize>(value: &Value) -> Result<(T, bool), String> {
    let decoded: T = decode(value)?;
    let kept = serde_json::to_value(&decoded).is_ok_and(|back| covers(value, &back));
    Ok((decoded, kept))
}

/// Every property of `input` (at any depth) is in `output`; a `null` may be left out.
fn covers(input: &Value, output: &Value) -> bool {
    match (input, output) {
        (Value::Object(a), Value::Object(b)) => a
            .iter()
            .all(|(k, v)| v.is_null() || b.get(k).is_some_and(|w| covers(v, w))),
        (Value::Array(a), Value::Array(b)) => a.len() == b.len() && a.iter().zip(b).all(|(x, y)| covers(x, y)),
        _ => true,
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
