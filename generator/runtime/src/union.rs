//! Chooses the variant of a `oneOf` deliberately: by discriminator when the spec declares one,
//! otherwise by what the JSON object contains (required properties, constant values), trying
//! the most specific candidates first. Of the candidates that decode, the first that keeps
//! every property of the object wins: a variant that does not declare a property would drop
//! it without a word (an update of a verified customer's address read as a name change). When
//! nothing fits, the error says, for every variant, why it did not.
//!
//! Dwolla's error bodies mostly share one shape (`code`, `message`): what tells them apart is
//! their `code`. A variant that is the body of one code is a candidate only for a body of that
//! code (compared by its ASCII letters and digits, case aside: the spec spells `forbidden` and
//! `Forbidden`, `not_found` and `NotFound`); a body whose code is none of the variants' is no
//! variant, rather than the first of that shape.
//!
//! The value is read once, into [`Captured`]: its JSON text, written out as it is read, and
//! where in that text the top-level properties the variants look at are. Memory follows the
//! size of the text, not the number of values in it (a `serde_json::Value` of a million `{}`
//! is a million map headers), and each candidate decodes from that one text.

use std::ops::Range;

use serde::de::{self, DeserializeOwned, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// What a JSON value must look like to be one variant.
#[derive(Debug)]
pub struct Variant {
    pub name: &'static str,
    pub required: &'static [&'static str],
    /// `(property, value)` pairs that must hold when the property is present.
    pub equals: &'static [(&'static str, &'static str)],
    /// The variant is an object.
    pub object: bool,
    /// The Dwolla error `code` whose body the variant is, when it is one.
    pub code: Option<&'static str>,
}

/// The property an error body names its code in.
const CODE: &str = "code";

/// A JSON value read once: its compact JSON text, what kind of value it is, and where the
/// values of the top-level properties that choosing a variant reads are in that text.
pub struct Captured {
    json: Vec<u8>,
    kind: &'static str,
    /// `(property, where its value is in json)`, for the properties asked for when reading; a
    /// property given twice is its last value, as in a `serde_json::Value`.
    found: Vec<(String, Range<usize>)>,
}

impl Captured {
    /// Reads one value from `deserializer`, noting the top-level properties that the variants
    /// test and the discriminator names.
    pub fn read<'de, D: Deserializer<'de>>(
        deserializer: D,
        variants: &[Variant],
        discriminator: Option<&str>,
    ) -> Result<Self, D::Error> {
        let wanted = |key: &str| {
            discriminator == Some(key)
                || (key == CODE && variants.iter().any(|v| v.code.is_some()))
                || variants
                    .iter()
                    .any(|v| v.required.contains(&key) || v.equals.iter().any(|(k, _)| *k == key))
        };
        let mut captured = Captured {
            json: Vec::new(),
            kind: "null",
            found: Vec::new(),
        };
        let top = Top {
            wanted: &wanted,
            kind: &mut captured.kind,
            found: &mut captured.found,
        };
        Write {
            out: &mut captured.json,
            top: Some(top),
        }
        .deserialize(deserializer)?;
        Ok(captured)
    }

    /// The JSON text of the top-level property `key`, when the object has it.
    fn text(&self, key: &str) -> Option<&str> {
        let (_, range) = self.found.iter().find(|(k, _)| k == key)?;
        self.json.get(range.clone()).and_then(|b| std::str::from_utf8(b).ok())
    }

    /// The top-level property `key` when it is a string.
    fn string(&self, key: &str) -> Option<String> {
        self.text(key)
            .filter(|t| t.starts_with('"'))
            .and_then(|t| serde_json::from_str(t).ok())
    }

    fn is_object(&self) -> bool {
        self.kind == "an object"
    }
}

/// What the top-level value reports while it is read.
struct Top<'a> {
    wanted: &'a dyn Fn(&str) -> bool,
    kind: &'a mut &'static str,
    found: &'a mut Vec<(String, Range<usize>)>,
}

/// Reads one value and writes it to `out` as compact JSON, as `serde_json::Value` would read it
/// and `serde_json::to_vec` write it again; `top` is given for the outermost value only.
struct Write<'a> {
    out: &'a mut Vec<u8>,
    top: Option<Top<'a>>,
}

impl Write<'_> {
    fn kind(&mut self, kind: &'static str) {
        if let Some(top) = &mut self.top {
            *top.kind = kind;
        }
    }

    fn scalar<T: Serialize + ?Sized, E: de::Error>(mut self, kind: &'static str, value: &T) -> Result<(), E> {
        self.kind(kind);
        serde_json::to_writer(&mut *self.out, value).map_err(E::custom)
    }
}

impl<'de> DeserializeSeed<'de> for Write<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Write<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any valid JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<(), E> {
        self.scalar("a boolean", &v)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<(), E> {
        self.scalar("a number", &v)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<(), E> {
        self.scalar("a number", &v)
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<(), E> {
        let number = serde_json::Number::deserialize(de::value::I128Deserializer::<E>::new(v))?;
        self.scalar("a number", &number)
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<(), E> {
        let number = serde_json::Number::deserialize(de::value::U128Deserializer::<E>::new(v))?;
        self.scalar("a number", &number)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<(), E> {
        // A value that is no JSON number is `null`, as in a `serde_json::Value`.
        match serde_json::Number::from_f64(v) {
            Some(number) => self.scalar("a number", &number),
            None => self.visit_unit(),
        }
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        self.scalar("a string", v)
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_unit<E: de::Error>(mut self) -> Result<(), E> {
        self.kind("null");
        self.out.extend_from_slice(b"null");
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
        self.kind("an array");
        self.out.push(b'[');
        let mut first = true;
        loop {
            let comma = self.out.len();
            if !first {
                self.out.push(b',');
            }
            let element = Write {
                out: &mut *self.out,
                top: None,
            };
            if seq.next_element_seed(element)?.is_none() {
                self.out.truncate(comma);
                break;
            }
            first = false;
        }
        self.out.push(b']');
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<(), A::Error> {
        self.kind("an object");
        self.out.push(b'{');
        let mut first = true;
        loop {
            let comma = self.out.len();
            if !first {
                self.out.push(b',');
            }
            if map.next_key_seed(Key { out: &mut *self.out })?.is_none() {
                self.out.truncate(comma);
                break;
            }
            first = false;
            self.out.push(b':');
            let start = self.out.len();
            let value = Write {
                out: &mut *self.out,
                top: None,
            };
            map.next_value_seed(value)?;
            if let Some(top) = &mut self.top {
                note(top, &self.out[comma..start], start..self.out.len());
            }
        }
        self.out.push(b'}');
        Ok(())
    }
}

/// Records where the value of the top-level property written as `key_text` (`,"key":`) is,
/// when it is one the variants look at.
fn note(top: &mut Top<'_>, key_text: &[u8], range: Range<usize>) {
    let key_text = key_text.strip_prefix(b",").unwrap_or(key_text);
    let key_text = key_text.strip_suffix(b":").unwrap_or(key_text);
    let Ok(key) = serde_json::from_slice::<String>(key_text) else {
        return;
    };
    if !(top.wanted)(&key) {
        return;
    }
    match top.found.iter_mut().find(|(k, _)| *k == key) {
        Some((_, r)) => *r = range,
        None => top.found.push((key, range)),
    }
}

/// Reads a property name and writes it to `out` as a JSON string.
struct Key<'a> {
    out: &'a mut Vec<u8>,
}

impl<'de> DeserializeSeed<'de> for Key<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Key<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a string key")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        serde_json::to_writer(&mut *self.out, v).map_err(E::custom)
    }
}

/// Picks and decodes the variant of `type_name` that `value` is. `decode(i)` decodes variant
/// `i`, with whether it kept every property of `value`, or says why it could not. Only the
/// loop over the candidates is generic; choosing them and wording the failure are not.
pub fn select<T>(
    type_name: &str,
    value: &Captured,
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
    value: &Captured,
    variants: &[Variant],
    discriminator: Option<(&str, &[(&str, usize)])>,
    reasons: &mut Vec<(usize, String)>,
) -> Result<Vec<usize>, String> {
    match discriminator {
        Some((property, mapping)) => match value.string(property) {
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
            undeclared_code(type_name, value, variants)?;
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

/// A body whose `code` is a string that no variant is the body of, when every variant is the
/// body of a code: which code it is and which the spec declares. (A variant of no particular
/// code would be the one such a body is.)
fn undeclared_code(type_name: &str, value: &Captured, variants: &[Variant]) -> Result<(), String> {
    let known: Vec<&str> = variants.iter().filter_map(|v| v.code).collect();
    let every = !known.is_empty() && known.len() == variants.len();
    let Some(code) = value.string(CODE).filter(|_| every) else {
        return Ok(());
    };
    if known.iter().any(|k| same_code(k, &code)) {
        return Ok(());
    }
    Err(format!(
        "{type_name}: code {code:?} is not one the spec declares for this status (known: {})",
        known.join(", ")
    ))
}

/// Whether two error codes are one: the same ASCII letters and digits, case aside.
fn same_code(a: &str, b: &str) -> bool {
    let letters = |s: &str| {
        s.chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect::<Vec<_>>()
    };
    letters(a) == letters(b)
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
fn fits(v: &Variant, value: &Captured) -> Result<usize, String> {
    if !v.object {
        return Ok(0);
    }
    if !value.is_object() {
        return Err(format!("expected an object, found {}", value.kind));
    }
    let missing: Vec<String> = v
        .required
        .iter()
        .filter(|r| value.text(r).is_none())
        .map(|r| format!("`{r}`"))
        .collect();
    if !missing.is_empty() {
        return Err(format!("missing {}", missing.join(", ")));
    }
    for (property, expected) in v.equals {
        if let Some(actual) = value.text(property) {
            if value.string(property).as_deref() != Some(expected) {
                return Err(format!("`{property}` is {actual}, expected {expected:?}"));
            }
        }
    }
    if let (Some(expected), Some(actual)) = (v.code, value.text(CODE)) {
        if !value.string(CODE).is_some_and(|c| same_code(&c, expected)) {
            return Err(format!("`{CODE}` is {actual}, expected {expected:?}"));
        }
    }
    Ok(v.required.len() + 2 * v.equals.len() + 2 * usize::from(v.code.is_some()))
}

/// Decodes one variant from the captured text, naming the path inside it where decoding
/// failed, with `serde_json::from_slice`: the deserializer every model is decoded with anyway,
/// so that no model's `Deserialize` is compiled twice.
pub(crate) fn decode<T: DeserializeOwned>(value: &Captured) -> Result<T, String> {
    match serde_json::from_slice(&value.json) {
        Ok(decoded) => Ok(decoded),
        Err(e) => Err(reason(&value.json, &e)),
    }
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
pub fn decode_keeping<T: DeserializeOwned + Serialize>(value: &Captured) -> Result<(T, bool), String> {
    let decoded: T = decode(value)?;
    let kept = serde_json::to_value(&decoded).is_ok_and(|back| covers(&value.json, &back));
    Ok((decoded, kept))
}

/// Every property of the JSON text `input` (at any depth) is in `output`; a `null` may be left
/// out. Read in one pass over the text, holding nothing of it.
fn covers(input: &[u8], output: &Value) -> bool {
    let mut reader = serde_json::Deserializer::from_slice(input);
    Cover { output: Some(output) }.deserialize(&mut reader).unwrap_or(false)
}

/// Whether the value read is covered by `output`, the value it was decoded into written out
/// again; `None` when `output` does not have it (then only a `null` is covered).
struct Cover<'a> {
    output: Option<&'a Value>,
}

impl<'de> DeserializeSeed<'de> for Cover<'_> {
    type Value = bool;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<bool, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Cover<'_> {
    type Value = bool;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any valid JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<bool, E> {
        Ok(true)
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<bool, E> {
        Ok(self.output.is_some())
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<bool, E> {
        Ok(self.output.is_some())
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<bool, E> {
        Ok(self.output.is_some())
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<bool, E> {
        Ok(self.output.is_some())
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<bool, E> {
        Ok(self.output.is_some())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<bool, A::Error> {
        let Some(Value::Array(output)) = self.output else {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            return Ok(self.output.is_some());
        };
        let (mut all, mut n) = (true, 0usize);
        while let Some(covered) = seq.next_element_seed(Cover { output: output.get(n) })? {
            all &= covered;
            n = n.saturating_add(1);
        }
        Ok(all && n == output.len())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
        let Some(Value::Object(output)) = self.output else {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            return Ok(self.output.is_some());
        };
        let mut all = true;
        while let Some(output) = map.next_key_seed(Lookup { output })? {
            all &= map.next_value_seed(Cover { output })?;
        }
        Ok(all)
    }
}

/// Reads a property name and gives the value `output` has under it.
struct Lookup<'a> {
    output: &'a serde_json::Map<String, Value>,
}

impl<'de, 'a> DeserializeSeed<'de> for Lookup<'a> {
    type Value = Option<&'a Value>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<&'a Value>, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de, 'a> Visitor<'de> for Lookup<'a> {
    type Value = Option<&'a Value>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a string key")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Option<&'a Value>, E> {
        Ok(self.output.get(key))
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

    fn captured(value: &Value) -> super::Captured {
        super::Captured::read(value, &[], None).unwrap_or_else(|e| panic!("{e}"))
    }

    /// How the kept check was made before: on the `Value` read and the `Value` written back.
    fn covers_value(input: &Value, output: &Value) -> bool {
        match (input, output) {
            (Value::Object(a), Value::Object(b)) => a
                .iter()
                .all(|(k, v)| v.is_null() || b.get(k).is_some_and(|w| covers_value(v, w))),
            (Value::Array(a), Value::Array(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| covers_value(x, y))
            }
            _ => true,
        }
    }

    fn same<T: DeserializeOwned>(value: &Value) {
        let (ours, theirs) = (super::decode::<T>(&captured(value)).err(), from_value::<T>(value).err());
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
            super::decode::<Vec<Item>>(&captured(&v)).err().as_deref(),
            Some("at `[0].amount.currency`: invalid type: integer `2`, expected a string")
        );
        assert_eq!(
            super::decode::<Item>(&captured(&Value::Null)).err().as_deref(),
            Some("invalid type: null, expected struct Item")
        );
    }

    #[test]
    fn the_properties_the_variants_test_are_found_in_the_text() {
        const VARIANTS: &[super::Variant] = &[super::Variant {
            name: "A",
            required: &["code"],
            equals: &[("type", "a")],
            object: true,
            code: None,
        }];
        let body = br#"{"type":"b","code":{"x":[1,2.5,"\u00e9"]},"other":1,"type":"a\n"}"#;
        let mut reader = serde_json::Deserializer::from_slice(body);
        let c = super::Captured::read(&mut reader, VARIANTS, Some("kind")).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            std::str::from_utf8(&c.json).ok(),
            Some(r#"{"type":"b","code":{"x":[1,2.5,"é"]},"other":1,"type":"a\n"}"#)
        );
        assert_eq!(c.text("code"), Some(r#"{"x":[1,2.5,"é"]}"#));
        assert_eq!(c.string("type").as_deref(), Some("a\n"), "a repeated property is its last value");
        assert_eq!(c.text("other"), None, "no variant tests `other`");
        assert_eq!(
            super::fits(&VARIANTS[0], &c).err().as_deref(),
            Some(r#"`type` is "a\n", expected "a""#)
        );
    }

    #[test]
    fn error_bodies_are_chosen_by_code_and_an_undeclared_code_is_none_of_them() {
        const ERRORS: &[super::Variant] = &[
            super::Variant { name: "A", required: &["code"], equals: &[], object: true, code: Some("NotFound") },
            super::Variant { name: "B", required: &["code"], equals: &[], object: true, code: Some("Forbidden") },
        ];
        let chosen = |body: &[u8], variants: &[super::Variant]| {
            let mut reader = serde_json::Deserializer::from_slice(body);
            let c = super::Captured::read(&mut reader, variants, None).unwrap_or_else(|e| panic!("{e}"));
            super::select("E", &c, variants, None, |i| Ok((i, true)))
        };
        assert_eq!(chosen(br#"{"code":"forbidden"}"#, ERRORS), Ok(1), "case aside");
        assert_eq!(chosen(br#"{"code":"not_found"}"#, ERRORS), Ok(0), "punctuation aside");
        assert_eq!(
            chosen(br#"{"code":"DuplicateResource"}"#, ERRORS),
            Err(r#"E: code "DuplicateResource" is not one the spec declares for this status (known: NotFound, Forbidden)"#.into())
        );
        const WITH_GENERIC: &[super::Variant] = &[
            super::Variant { name: "A", required: &["code"], equals: &[], object: true, code: Some("NotFound") },
            super::Variant { name: "Any", required: &["code"], equals: &[], object: true, code: None },
        ];
        assert_eq!(chosen(br#"{"code":"DuplicateResource"}"#, WITH_GENERIC), Ok(1), "a variant of no code takes it");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]

        #[test]
        fn the_text_is_the_value_written_out(v in arb_json()) {
            let c = captured(&v);
            prop_assert_eq!(c.json, serde_json::to_vec(&v).unwrap_or_default());
        }

        #[test]
        fn the_kept_check_reads_the_text_as_it_read_the_value(a in arb_json(), b in arb_json()) {
            let text = serde_json::to_vec(&a).unwrap_or_default();
            prop_assert_eq!(super::covers(&text, &b), covers_value(&a, &b), "{} {}", a, b);
            prop_assert_eq!(super::covers(&text, &a), covers_value(&a, &a));
        }

        #[test]
        fn reasons_are_those_of_decoding_the_value(v in arb_json()) {
            // (Not `Item`: its derived enum is told an array or a number is "expected value" by
            // serde_json's reader but "invalid type" by `Value`; the models' enums are strings.)
            same::<Amount>(&v);
            same::<Vec<Amount>>(&v);
            same::<std::collections::BTreeMap<String, Inner>>(&v);
        }
    }
}
