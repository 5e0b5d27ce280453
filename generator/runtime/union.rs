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
/// `i`, with whether it kept every property of `value`, or says why it could not. Only the
/// loop over the candidates is generic; choosing them and wording the failure are not.
pub(crate) fn select<T>(
    type_name: &str,
    value: &Value,
    variants: &[Variant],
    discriminator: Option<(&str, &[(&str, usize)])>,
    decode: impl Fn(usize) -> Result<(T, bool), String>,
) -> Result<T, String> {
    let mut reasons: Vec<(usize, String)> = Vec::new();
    let mut lossy = None;
    for i in candidates(type_name, value, variants, discriminator, &mut reasons)? {
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
    match lossy {
        Some(v) => Ok(v),
        None => Err(no_fit(type_name, variants, reasons)),
    }
}

/// The variants worth decoding, most specific first; the others go to `reasons`, with why.
fn candidates(
    type_name: &str,
    value: &Value,
    variants: &[Variant],
    discriminator: Option<(&str, &[(&str, usize)])>,
    reasons: &mut Vec<(usize, String)>,
) -> Result<Vec<usize>, String> {
    match discriminator {
        Some((property, mapping)) => match value.get(property).and_then(Value::as_str) {
            Some(tag) => match mapping.iter().find(|(k, _)| *k == tag) {
                Some((_, i)) => Ok(vec![*i]),
                None => {
                    let known: Vec<&str> = mapping.iter().map(|(k, _)| *k).collect();
                    Err(format!(
                        "{type_name}: `{property}` is {tag:?}, which names no variant (known: {})",
                        known.join(", ")
                    ))
                }
            },
            None => Err(format!("{type_name}: the discriminator `{property}` is missing")),
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
            Ok(fitting.into_iter().map(|(i, _)| i).collect())
        }
    }
}

/// Why no variant fits: every variant's reason, in the spec's order.
fn no_fit(type_name: &str, variants: &[Variant], mut reasons: Vec<(usize, String)>) -> String {
    reasons.sort_by_key(|r| r.0);
    let detail: Vec<String> = reasons
        .iter()
        .map(|(i, why)| format!("{} ({why})", variants.get(*i).map_or("?", |v| v.name)))
        .collect();
    format!("no variant of {type_name} fits: {}", detail.join("; "))
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

/// Decodes one variant, naming the path inside it where decoding failed. The variant is
/// decoded from `value` written out again, with `serde_json::from_slice`: the deserializer
/// every model is decoded with anyway, so that no model's `Deserialize` is compiled twice.
pub(crate) fn decode<T: DeserializeOwned>(value: &Value) -> Result<T, String> {
    let bytes = encode(value);
    match serde_json::from_slice(&bytes) {
        Ok(decoded) => Ok(decoded),
        Err(e) => Err(reason(&bytes, &e)),
    }
}

fn encode(value: &Value) -> Vec<u8> {
    // Writing a `Value` (string keys) cannot fail.
    serde_json::to_vec(value).unwrap_or_default()
}

/// Why a variant did not decode: the error, after the path inside the variant.
#[cold]
fn reason(bytes: &[u8], e: &serde_json::Error) -> String {
    let path = crate::locate::path(bytes, e);
    let message = crate::locate::message(e);
    if path == "." {
        message
    } else {
        format!("at `{path}`: {message}")
    }
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

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde::de::DeserializeOwned;
    use serde_json::Value;

    use crate::locate::tests::{Amount, Inner, Item, arb_json};

    /// How variants were decoded before: straight from the `Value`, with serde_path_to_error.
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

    fn same<T: DeserializeOwned>(value: &Value) {
        let (ours, theirs) = (super::decode::<T>(value).err(), from_value::<T>(value).err());
        // One wording differs: a struct given as an array longer than its fields is "trailing
        // characters" to serde_json's reader, "invalid length" to `Value`. The path is the same.
        if let (Some(o), Some(t)) = (&ours, &theirs) {
            if let (Some(at), Some((at_t, _))) = (o.strip_suffix("trailing characters"), t.split_once("invalid length")) {
                assert_eq!(at, at_t, "{value}");
                return;
            }
        }
        assert_eq!(ours, theirs, "{value}");
    }

    #[test]
    fn a_reason_names_the_path_inside_the_variant() {
        let v = serde_json::json!([{"name": "a", "amount": {"value": "1", "currency": 2}, "status": "pending"}]);
        assert_eq!(
            super::decode::<Vec<Item>>(&v).err().as_deref(),
            Some("at `[0].amount.currency`: invalid type: integer `2`, expected a string")
        );
        assert_eq!(super::decode::<Item>(&Value::Null).err().as_deref(), Some("invalid type: null, expected struct Item"));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]

        #[test]
        fn reasons_are_those_of_decoding_the_value(v in arb_json()) {
            // (Not `Item`: its derived enum is told an array or a number is "expected value" by
            // serde_json's reader but "invalid type" by `Value`; the models' enums are strings.)
            same::<Amount>(&v);
            same::<Vec<Amount>>(&v);
            same::<std::collections::BTreeMap<String, Inner>>(&v);
            #[cfg(feature = "full")]
            {
                same::<crate::models::Transfer>(&v);
                same::<crate::models::Customer>(&v);
                same::<crate::models::Transfers>(&v);
            }
        }
    }
}
